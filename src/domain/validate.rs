//! The validate stage: every check on personas, scenarios and quiz banks, each problem reported
//! with its location, a stable code and what to do. Scenarios are compiled and analysed (through
//! the analysis cache); those that pass are returned with their analysis.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use std::sync::Arc;

use smallvec::SmallVec;

use crate::domain::analysis::{Analysis, AnalysisCache, strongly_connected};
use crate::domain::content::model::{
    Campaign, Condition, Effects, Id, Node, Outcome, Persona, QuizBank, Scenario, Severity,
    is_known_course,
};
use crate::domain::content::span::Seg;
use crate::domain::content::{ContentSet, SourceFile};
use crate::domain::diagnostics::suggest;
use crate::domain::diagnostics::{Code, Diagnostic, Level, codes};
use crate::domain::engine::Compiled;
use crate::domain::engine::format::parse_date;
use crate::domain::syllabus;
use crate::domain::text::{Locale, TEMPLATE_VARIABLES, Text, has_han, placeholders};
use quiz::{Known, check_quiz_bank, unparsed_scenarios};

mod campaign;
mod graph;
mod quiz;
mod refs;
mod scenario;
mod texts;
mod truths;

use graph::*;
use refs::*;
use scenario::*;
use texts::*;

/// A path into a file; inline up to eight steps, so clean content allocates nothing for it.
type OwnedPath = SmallVec<[Seg<'static>; 8]>;

/// Diagnostics for one file.
struct FileCtx<'a> {
    file: &'a SourceFile,
    out: &'a mut Vec<Diagnostic>,
    /// Undeclared locale keys already reported in this file (reported once, not per text).
    undeclared: BTreeSet<String>,
}

impl<'a> FileCtx<'a> {
    fn new(file: &'a SourceFile, out: &'a mut Vec<Diagnostic>) -> FileCtx<'a> {
        FileCtx {
            file,
            out,
            undeclared: BTreeSet::new(),
        }
    }
}

impl FileCtx<'_> {
    fn span(&self, path: &[Seg<'_>]) -> Range<usize> {
        self.file.locate(path)
    }

    fn push(
        &mut self,
        level: Level,
        code: Code,
        path: &[Seg<'_>],
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        let span = self.span(path);
        let path_ref: &Path = &self.file.path;
        let mut d = match level {
            Level::Error => Diagnostic::error(code, path_ref, &self.file.text, span, message),
            Level::Warning => Diagnostic::warning(code, path_ref, &self.file.text, span, message),
        }
        .with_label(label);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.out.push(d);
    }

    fn error(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        message: String,
        label: &str,
        help: impl Into<Option<String>>,
    ) {
        self.push(Level::Error, code, path, message, label, help.into());
    }

    fn warn(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        message: String,
        label: &str,
        help: impl Into<Option<String>>,
    ) {
        self.push(Level::Warning, code, path, message, label, help.into());
    }
}

fn p(segs: &[Seg<'static>]) -> OwnedPath {
    SmallVec::from_slice(segs)
}

fn join(base: &[Seg<'static>], more: &[Seg<'static>]) -> OwnedPath {
    let mut v = SmallVec::from_slice(base);
    v.extend_from_slice(more);
    v
}

/// Validates the whole set; returns every diagnostic (sorted) and the scenarios that compiled
/// with no error in their own file or their persona's file, with their file index and their
/// analysis. Analyses are taken from `cache` when the sources are unchanged, and kept there.
pub fn validate(set: ContentSet, cache: &AnalysisCache) -> Validated {
    let ContentSet {
        files,
        personas,
        scenarios,
        quiz_banks,
        campaigns,
        diagnostics: mut diags,
    } = set;
    let unparsed_scenarios = unparsed_scenarios(&files, &personas, &scenarios, &quiz_banks);
    let set = Borrowed {
        files: &files,
        personas: &personas,
        scenarios: &scenarios,
    };

    // Personas: per-file checks and duplicate ids.
    let mut persona_by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, (file, persona)) in set.personas.iter().enumerate() {
        let mut ctx = FileCtx::new(&set.files[*file], &mut diags);
        check_persona(&mut ctx, persona);
        if let Some(&first) = persona_by_id.get(persona.id.as_str()) {
            let first_path = set.files[set.personas[first].0].path.display().to_string();
            ctx.error(
                codes::DUPLICATE_ID,
                &[Seg::Key("id")],
                format!(
                    "persona id `{}` is already used by {first_path}",
                    persona.id
                ),
                "duplicate persona id",
                "give each persona its own id".to_owned(),
            );
        } else {
            persona_by_id.insert(persona.id.as_str(), k);
        }
    }

    // Scenarios.
    let mut scenario_ids: BTreeMap<&str, usize> = BTreeMap::new();
    let unparsed = set.files.len() - set.personas.len() - set.scenarios.len();
    let mut to_compile: Vec<Option<usize>> = vec![None; scenarios.len()];
    let mut scenario_ok = vec![false; scenarios.len()];
    let mut scoring_valid = vec![false; scenarios.len()];
    let persona_ids: Vec<&str> = persona_by_id.keys().copied().collect();
    for (k, (file, scenario)) in set.scenarios.iter().enumerate() {
        let before = diags.len();
        let persona = persona_by_id
            .get(scenario.persona.as_str())
            .map(|&k| &set.personas[k]);
        {
            let mut ctx = FileCtx::new(&set.files[*file], &mut diags);
            if let Some(&first) = scenario_ids.get(scenario.id.as_str()) {
                ctx.error(
                    codes::DUPLICATE_ID,
                    &[Seg::Key("id")],
                    format!(
                        "scenario id `{}` is already used by {}",
                        scenario.id,
                        set.files[first].path.display()
                    ),
                    "duplicate scenario id",
                    "give each scenario its own id".to_owned(),
                );
            } else {
                scenario_ids.insert(scenario.id.as_str(), *file);
            }
            if persona.is_none() {
                let mut help = match suggest(scenario.persona.as_str(), &persona_ids) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if persona_ids.is_empty() => {
                        "no persona files were loaded: add a `Persona(…)` file".to_owned()
                    }
                    None => format!("known personas: {}", persona_ids.join(", ")),
                };
                if unparsed > 0 {
                    help.push_str(&format!(" ({unparsed} file(s) could not be parsed; the persona may be in one of them: fix those first)"));
                }
                ctx.error(
                    codes::UNKNOWN_PERSONA,
                    &[Seg::Key("persona")],
                    format!("persona `{}` does not exist", scenario.persona),
                    "no persona has this id",
                    help,
                );
            }
        }
        let locales = check_scenario(&mut FileCtx::new(&set.files[*file], &mut diags), scenario);
        truths::check(&mut FileCtx::new(&set.files[*file], &mut diags), scenario);
        if let Some((pfile, persona)) = persona {
            check_truth_refs(
                &mut FileCtx::new(&set.files[*file], &mut diags),
                scenario,
                persona,
            );
            check_goods_variable(
                &mut FileCtx::new(&set.files[*file], &mut diags),
                scenario,
                persona,
            );
            let mut pctx = FileCtx::new(&set.files[*pfile], &mut diags);
            check_persona_locales(&mut pctx, persona, &locales, scenario);
        }
        let scenario_errors = diags[before..]
            .iter()
            .any(|d| d.level == Level::Error && d.path == set.files[*file].path);
        let persona_file_errors = persona.is_some_and(|(pf, _)| {
            diags
                .iter()
                .any(|d| d.level == Level::Error && d.path == set.files[*pf].path)
        });
        let references_ok = !diags[before..].iter().any(|d| {
            d.level == Level::Error
                && matches!(
                    d.code,
                    codes::UNKNOWN_PERSONA
                        | codes::UNKNOWN_NODE
                        | codes::UNKNOWN_EVIDENCE
                        | codes::UNKNOWN_PREP
                        | codes::UNKNOWN_TRUTH
                        | codes::BAD_SPECIAL_NODE
                        | codes::DUPLICATE_ID
                        | codes::NO_LINES
                )
        });
        // Graph checks on a scenario whose persona is broken would only report echoes of
        // the persona's errors.
        if persona.is_some() && references_ok && !persona_file_errors {
            let scoring_ok = !diags[before..].iter().any(|d| d.code == codes::BAD_SCORING);
            to_compile[k] = Some(persona_by_id[scenario.persona.as_str()]);
            scenario_ok[k] = !scenario_errors;
            scoring_valid[k] = scoring_ok;
        }
    }

    let scenario_id_list: Vec<String> = scenarios.iter().map(|(_, s)| s.id.0.clone()).collect();

    // Campaigns: their references are checked against what parsed; a scenario that parsed but
    // fails its own checks is reported in its own file, and the campaign's contact falls back
    // to the rules while it is not playable.
    let mut good_campaigns = Vec::new();
    {
        let personas_by_id: BTreeMap<&str, &Persona> =
            personas.iter().map(|(_, p)| (p.id.as_str(), p)).collect();
        let scenarios_by_id: BTreeMap<&str, &Scenario> =
            scenarios.iter().map(|(_, s)| (s.id.as_str(), s)).collect();
        let known = campaign::Known {
            personas: &personas_by_id,
            scenarios: &scenarios_by_id,
            unparsed: &unparsed_scenarios,
        };
        let mut campaign_ids: BTreeMap<String, usize> = BTreeMap::new();
        for (file, c) in campaigns {
            let before = diags.len();
            let mut ctx = FileCtx::new(&files[file], &mut diags);
            if let Some(&first) = campaign_ids.get(c.id.as_str()) {
                ctx.error(
                    codes::DUPLICATE_ID,
                    &[Seg::Key("id")],
                    format!(
                        "campaign id `{}` is already used by {}",
                        c.id,
                        files[first].path.display()
                    ),
                    "duplicate campaign id",
                    "give each campaign its own id".to_owned(),
                );
            } else {
                campaign_ids.insert(c.id.0.clone(), file);
            }
            campaign::check_campaign(&mut ctx, &c, &known);
            if !diags[before..].iter().any(|d| d.level == Level::Error) {
                good_campaigns.push((file, c));
            }
        }
    }

    // Compile the scenarios worth compiling, moving them out of the set, and check their graphs.
    let mut compiled = Vec::new();
    for (k, (file, scenario)) in scenarios.into_iter().enumerate() {
        let Some(persona_k) = to_compile[k] else {
            continue;
        };
        let (pfile, persona) = &personas[persona_k];
        let sources = [files[file].text.as_str(), files[*pfile].text.as_str()];
        let before = diags.len();
        match Compiled::new(scenario, persona.clone(), &sources) {
            Ok(mut c) => {
                let analysis = cache.analyse(&mut c, scoring_valid[k]);
                let mut ctx = FileCtx::new(&files[file], &mut diags);
                check_graph(&mut ctx, &c, &analysis);
                let graph_errors = diags[before..].iter().any(|d| d.level == Level::Error);
                if scenario_ok[k] && !graph_errors {
                    compiled.push((file, c, analysis));
                }
            }
            Err(e) => {
                // Unreachable after the reference checks above; reported rather than assumed.
                let mut ctx = FileCtx::new(&files[file], &mut diags);
                ctx.error(codes::UNKNOWN_NODE, &[], e.to_string(), "here", None);
            }
        }
    }

    // Quiz banks: recommendations may name any scenario that parsed. A recommendation of one
    // that did not (its file is broken, or a typo) is left out with a warning: it costs that
    // recommendation, not the bank.
    let scenario_ids: BTreeSet<&str> = scenario_id_list.iter().map(String::as_str).collect();
    let mut good_banks = Vec::new();
    let mut broken_banks = BTreeSet::new();
    let mut bank_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut question_ids: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (file, mut bank) in quiz_banks {
        let before = diags.len();
        let mut ctx = FileCtx::new(&files[file], &mut diags);
        if let Some(&first) = bank_ids.get(bank.id.as_str()) {
            ctx.error(
                codes::DUPLICATE_ID,
                &[Seg::Key("id")],
                format!(
                    "quiz bank id `{}` is already used by {}",
                    bank.id,
                    files[first].path.display()
                ),
                "duplicate bank id",
                "give each bank its own id".to_owned(),
            );
        } else {
            bank_ids.insert(bank.id.0.clone(), file);
        }
        check_quiz_bank(
            &mut ctx,
            &bank,
            Known {
                scenarios: &scenario_ids,
                unparsed_scenarios: &unparsed_scenarios,
            },
            &mut question_ids,
            file,
            &files,
        );
        for q in &mut bank.questions {
            q.scenarios.retain(|s| scenario_ids.contains(s.as_str()));
        }
        if diags[before..].iter().any(|d| d.level == Level::Error) {
            broken_banks.insert(bank.id.0.clone());
        } else {
            good_banks.push(bank);
        }
    }

    // The same persona problem found via two scenarios is one problem.
    let mut seen = BTreeSet::new();
    diags.retain(|d| seen.insert((d.path.clone(), d.span.start, d.code, d.message.clone())));
    diags.sort_by(|a, b| {
        (a.path.as_path(), a.span.start, a.code).cmp(&(b.path.as_path(), b.span.start, b.code))
    });
    Validated {
        diagnostics: diags,
        compiled,
        quiz_banks: good_banks,
        broken_banks,
        campaigns: good_campaigns,
        personas: personas.into_iter().map(|(_, p)| p).collect(),
        files,
    }
}

/// What validation produced.
pub struct Validated {
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The scenarios fit to play, with the index of their file and their analysis.
    pub compiled: Vec<(usize, Compiled, Arc<Analysis>)>,
    /// The quiz banks without errors.
    pub quiz_banks: Vec<QuizBank>,
    /// Ids of quiz banks whose file has errors.
    pub broken_banks: BTreeSet<String>,
    /// The campaigns without errors, with the index of their file.
    pub campaigns: Vec<(usize, Campaign)>,
    /// Every persona that parsed (campaign desks show their names).
    pub personas: Vec<Persona>,
    /// The files, handed back.
    pub files: Vec<SourceFile>,
}

/// The parts of a content set the checks read.
struct Borrowed<'a> {
    files: &'a [SourceFile],
    personas: &'a [(usize, Persona)],
    scenarios: &'a [(usize, Scenario)],
}

fn check_id(ctx: &mut FileCtx<'_>, id: &Id, path: &[Seg<'_>]) {
    if !id.is_well_formed() {
        ctx.error(
            codes::BAD_ID,
            path,
            format!("id `{id}` may only use lowercase letters, digits and `_`"),
            "malformed id",
            format!("for example `{}`", suggest_id(id.as_str())),
        );
    }
}

fn suggest_id(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.trim_matches('_').is_empty() {
        out = "my_id".to_owned();
    }
    out
}

fn check_persona(ctx: &mut FileCtx<'_>, persona: &Persona) {
    check_id(ctx, &persona.id, &[Seg::Key("id")]);
    if !(-100..=100).contains(&persona.mood) {
        ctx.error(
            codes::OUT_OF_RANGE,
            &[Seg::Key("mood")],
            format!("mood {} is outside -100..=100", persona.mood),
            "out of range",
            "use -100 (hostile) to 100 (warm); 0 is neutral".to_owned(),
        );
    }
    if !(1..=100).contains(&persona.patience) {
        ctx.error(
            codes::OUT_OF_RANGE,
            &[Seg::Key("patience")],
            format!("patience {} is outside 1..=100", persona.patience),
            "out of range",
            "patience is how many points of pushing the debtor takes before ending the talk; 6 to 12 is typical".to_owned(),
        );
    }
    let debt = &persona.debt;
    let cents = debt.amount * 100.0;
    if !debt.amount.is_finite() || debt.amount < 0.0 || (cents - cents.round()).abs() > 1e-6 {
        ctx.error(
            codes::BAD_AMOUNT,
            &[Seg::Key("debt"), Seg::Key("amount")],
            format!(
                "amount {} is not a non-negative sum with at most two decimals",
                debt.amount
            ),
            "invalid amount",
            "write the amount in yuan, for example `286400.00`".to_owned(),
        );
    }
    if debt.currency.len() != 3 || !debt.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        ctx.error(
            codes::BAD_CURRENCY,
            &[Seg::Key("debt"), Seg::Key("currency")],
            format!("currency `{}` is not an ISO 4217 code", debt.currency),
            "invalid currency",
            "use three capital letters, for example `CNY`".to_owned(),
        );
    }
    if parse_date(&debt.due_date).is_none() {
        ctx.error(
            codes::BAD_DATE,
            &[Seg::Key("debt"), Seg::Key("due_date")],
            format!(
                "due date `{}` is not a real date written YYYY-MM-DD",
                debt.due_date
            ),
            "invalid date",
            "for example \"2026-09-30\"".to_owned(),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, truth) in persona.hidden_truths.iter().enumerate() {
        let path = [Seg::Key("hidden_truths"), Seg::Index(i), Seg::Key("id")];
        check_id(ctx, &truth.id, &path);
        if !seen.insert(truth.id.as_str()) {
            ctx.error(
                codes::DUPLICATE_ID,
                &path,
                format!("hidden truth id `{}` is used twice", truth.id),
                "duplicate id",
                "give each hidden truth its own id".to_owned(),
            );
        }
    }
}
