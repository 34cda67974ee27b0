//! The library stage, the top of the content pipeline: read and parse the files, validate
//! everything (analysing through a cache), and keep the scenarios that are fit to play (or their
//! last good version while their file is broken).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::domain::analysis::{Analysis, AnalysisCache};
use crate::domain::content::ContentSet;
use crate::domain::content::model::{Campaign, Persona, QuizBank};
use crate::domain::diagnostics::{Diagnostic, Level};
use crate::domain::engine::Compiled;
use crate::domain::text::Locale;
use crate::domain::validate::validate;

/// A scenario that is fit to play.
#[derive(Clone, Debug)]
pub struct Playable {
    /// The compiled scenario (its evidence maxima set from the analysis).
    pub compiled: Arc<Compiled>,
    /// What the analyser found about it.
    pub analysis: Arc<Analysis>,
    /// The scenario file.
    pub path: PathBuf,
    /// True when the file now has errors and this is the last good version.
    pub stale: bool,
}

/// The validated content: playable scenarios and every diagnostic.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Playable scenarios by id.
    pub scenarios: BTreeMap<String, Playable>,
    /// Quiz banks fit to use, by id (a bank whose file has errors keeps its last good version).
    pub quiz_banks: BTreeMap<String, Arc<QuizBank>>,
    /// Campaigns fit to play, by id.
    pub campaigns: BTreeMap<String, Arc<Campaign>>,
    /// Every persona that parsed, by id.
    pub personas: BTreeMap<String, Arc<Persona>>,
    /// All problems, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// File texts by path, for rendering diagnostics.
    pub sources: BTreeMap<PathBuf, String>,
}

impl Library {
    /// Loads and validates the given files and directories, analysing in memory.
    pub fn load(paths: &[PathBuf]) -> Library {
        Library::load_with(paths, &AnalysisCache::in_memory())
    }

    /// Loads and validates the given files and directories, taking unchanged scenarios'
    /// analyses from `cache` (see [`AnalysisCache::from_env`] for the one on disk).
    pub fn load_with(paths: &[PathBuf], cache: &AnalysisCache) -> Library {
        Library::build_with(ContentSet::load(paths), None, cache)
    }

    /// Validates a content set. Scenarios whose file (or persona) has errors are left out,
    /// unless `previous` had a good version of them: that one stays, marked stale. The
    /// analyses of `previous`'s scenarios whose sources are unchanged are reused.
    pub fn build(set: ContentSet, previous: Option<&Library>) -> Library {
        let cache = AnalysisCache::in_memory();
        for p in previous.iter().flat_map(|p| p.scenarios.values()) {
            cache.remember(&p.compiled.content_hash, Arc::clone(&p.analysis));
        }
        Library::build_with(set, previous, &cache)
    }

    /// [`Library::build`], taking analyses from `cache` (and keeping new ones there).
    pub fn build_with(
        set: ContentSet,
        previous: Option<&Library>,
        cache: &AnalysisCache,
    ) -> Library {
        let validated = validate(set, cache);
        let diagnostics = validated.diagnostics;
        let files = validated.files;
        let campaigns = validated
            .campaigns
            .into_iter()
            .map(|(_, c)| (c.id.0.clone(), Arc::new(c)))
            .collect();
        let personas = validated
            .personas
            .into_iter()
            .map(|p| (p.id.0.clone(), Arc::new(p)))
            .collect();
        let mut quiz_banks: BTreeMap<String, Arc<QuizBank>> = validated
            .quiz_banks
            .into_iter()
            .map(|b| (b.id.0.clone(), Arc::new(b)))
            .collect();
        if let Some(prev) = previous {
            for (id, b) in &prev.quiz_banks {
                if !quiz_banks.contains_key(id) && validated.broken_banks.contains(id) {
                    quiz_banks.insert(id.clone(), Arc::clone(b));
                }
            }
        }
        let mut scenarios = BTreeMap::new();
        for (file, c, analysis) in validated.compiled {
            scenarios.insert(
                c.scenario.id.0.clone(),
                Playable {
                    compiled: Arc::new(c),
                    analysis,
                    path: files[file].path.clone(),
                    stale: false,
                },
            );
        }
        if let Some(prev) = previous {
            let erroring: BTreeSet<&Path> = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .map(|d| d.path.as_path())
                .collect();
            for (id, p) in &prev.scenarios {
                // Keep the last good version only while its file is broken: a scenario that was
                // deleted or renamed on purpose disappears.
                let still_there = files.iter().any(|f| f.path == p.path);
                if !scenarios.contains_key(id) && still_there && erroring.contains(p.path.as_path())
                {
                    scenarios.insert(
                        id.clone(),
                        Playable {
                            stale: true,
                            ..p.clone()
                        },
                    );
                }
            }
        }
        let sources = files.into_iter().map(|f| (f.path, f.text)).collect();
        Library {
            scenarios,
            quiz_banks,
            campaigns,
            personas,
            diagnostics,
            sources,
        }
    }

    /// The playable scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&Arc<Compiled>> {
        self.scenarios.get(id).map(|p| &p.compiled)
    }

    /// Every playable scenario's id and syllabus tags, for quiz recommendations and the
    /// coverage table.
    pub fn scenario_tags(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.scenarios.values().map(|p| {
            (
                p.compiled.scenario.id.as_str(),
                p.compiled.scenario.tags.as_slice(),
            )
        })
    }

    /// The quiz banks written in `locale`, in id order.
    pub fn quiz_banks_in(&self, locale: Locale) -> Vec<QuizBank> {
        self.quiz_banks
            .values()
            .filter(|b| locale.served_by(&b.locales).is_some())
            .map(|b| (**b).clone())
            .collect()
    }

    /// Errors and warnings counts.
    pub fn tally(&self) -> (usize, usize) {
        crate::domain::diagnostics::tally(&self.diagnostics)
    }

    /// Every diagnostic rendered with its snippet, in order.
    pub fn render_diagnostics(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(self.sources.get(&d.path).map_or("", String::as_str)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
