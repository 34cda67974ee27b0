//! Loading content: read files or in-memory sources, parse each, validate everything, and
//! keep the scenarios that are fit to play (or their last good version).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::files::{find_content_files, read_content_file};
use super::model::{Persona, Scenario};
use super::parse::{Document, normalise, parse_document};
use super::span::{self, SpanNode};

use super::validate::validate_reusing;
use crate::domain::diagnostics::{Diagnostic, Level};
use crate::domain::engine::Compiled;
use crate::domain::quiz::QuizBank;

/// A content file's text, and its span tree once a diagnostic needs it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given to the loader.
    pub path: PathBuf,
    /// The full text.
    pub text: String,
    /// Spans of every value, scanned on first use: clean files never pay for it.
    tree: OnceLock<SpanNode>,
}

impl SourceFile {
    /// A file with its text, kept as [`normalise`] reads it (the text diagnostics point into).
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let text = match normalise(&text) {
            Cow::Borrowed(same) if same.len() == text.len() => text,
            other => other.into_owned(),
        };
        SourceFile {
            path,
            text,
            tree: OnceLock::new(),
        }
    }

    /// The span tree of the file (scanned now if needed).
    pub fn tree(&self) -> &SpanNode {
        self.tree.get_or_init(|| span::scan(&self.text))
    }
}

/// Every file read, what parsed, and the parse diagnostics.
#[derive(Clone, Debug, Default)]
pub struct ContentSet {
    /// Every file, in load order.
    pub files: Vec<SourceFile>,
    /// Parsed personas with the index of their file.
    pub personas: Vec<(usize, Persona)>,
    /// Parsed scenarios with the index of their file.
    pub scenarios: Vec<(usize, Scenario)>,
    /// Parsed quiz banks with the index of their file.
    pub quiz_banks: Vec<(usize, QuizBank)>,
    /// Problems found while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
}

impl ContentSet {
    /// Reads every `.ron` file under the given files and directories (recursively, sorted;
    /// see [`find_content_files`] for what is skipped or refused).
    pub fn load(paths: &[PathBuf]) -> ContentSet {
        let found = find_content_files(paths);
        let mut set = ContentSet {
            diagnostics: found.problems,
            ..ContentSet::default()
        };
        for path in found.files {
            match read_content_file(&path) {
                Ok(text) => set.add(path, text),
                Err((d, text)) => {
                    set.diagnostics.push(*d);
                    set.files.push(SourceFile::new(path, text));
                }
            }
        }
        set
    }

    /// Builds a set from in-memory sources (the game's asset loader and tests use this).
    pub fn from_sources(sources: impl IntoIterator<Item = (PathBuf, String)>) -> ContentSet {
        let mut set = ContentSet::default();
        for (path, text) in sources {
            set.add(path, text);
        }
        set
    }

    /// Parses one file and adds it.
    pub fn add(&mut self, path: PathBuf, text: String) {
        let parsed = parse_document(&path, &text);
        self.add_parsed(path, text, parsed);
    }

    /// Adds a file already parsed with [`parse_document`] (the game's asset loader does that).
    pub fn add_parsed(
        &mut self,
        path: PathBuf,
        text: String,
        parsed: Result<Document, Box<Diagnostic>>,
    ) {
        let index = self.files.len();
        match parsed {
            Ok(doc) => {
                match doc {
                    Document::Persona(p) => self.personas.push((index, *p)),
                    Document::Scenario(s) => self.scenarios.push((index, *s)),
                    Document::QuizBank(q) => self.quiz_banks.push((index, *q)),
                }
                self.files.push(SourceFile::new(path, text));
            }
            Err(d) => {
                self.diagnostics.push(*d);
                self.files.push(SourceFile::new(path, text));
            }
        }
    }

    /// The text of the file at `path`, for rendering diagnostics.
    pub fn text_of(&self, path: &Path) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
    }
}

/// A scenario that is fit to play.
#[derive(Clone, Debug)]
pub struct Playable {
    /// The compiled scenario.
    pub compiled: Arc<Compiled>,
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
    /// All problems, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// File texts by path, for rendering diagnostics.
    pub sources: BTreeMap<PathBuf, String>,
}

impl Library {
    /// Loads and validates the given files and directories.
    pub fn load(paths: &[PathBuf]) -> Library {
        Library::build(ContentSet::load(paths), None)
    }

    /// Validates a content set. Scenarios whose file (or persona) has errors are left out,
    /// unless `previous` had a good version of them: that one stays, marked stale.
    pub fn build(set: ContentSet, previous: Option<&Library>) -> Library {
        let validated = validate_reusing(set, previous);
        let diagnostics = validated.diagnostics;
        let files = validated.files;
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
        for (file, c) in validated.compiled {
            scenarios.insert(
                c.scenario.id.0.clone(),
                Playable {
                    compiled: Arc::new(c),
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
    pub fn quiz_banks_in(&self, locale: crate::domain::text::Locale) -> Vec<QuizBank> {
        self.quiz_banks
            .values()
            .filter(|b| {
                b.locales
                    .iter()
                    .any(|l| crate::domain::text::Locale::from_tag(l) == Some(locale))
            })
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
