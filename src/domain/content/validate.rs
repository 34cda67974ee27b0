//! The validator: every check on personas and scenarios, each problem reported with its
//! location, a stable code and what to do. Scenarios that pass are compiled and returned.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use super::library::{ContentSet, SourceFile};
use super::model::{
    Condition, Effects, Id, Node, Outcome, Persona, Scenario, Severity, is_known_seed,
};
use super::parse::suggest;
use smallvec::SmallVec;

use super::span::Seg;
use crate::domain::analysis::{model_answer, strongly_connected};
use crate::domain::diagnostics::{Code, Diagnostic, Level, codes};
use crate::domain::engine::Compiled;
use crate::domain::engine::format::parse_date;
use crate::domain::quiz::QuizBank;
use crate::domain::syllabus;
use crate::domain::text::{Locale, TEMPLATE_VARIABLES, Text, has_han, placeholders};
use quiz::{Known, check_quiz_bank, unparsed_scenarios};

mod quiz;
mod truths;

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
        self.file.tree().locate(path)
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
/// with no error in their own file or their persona's file, with their file index.
pub fn validate(set: ContentSet) -> Validated {
    validate_reusing(set, None)
}

/// [`validate`], reusing the analysis of scenarios in `previous` whose sources are unchanged.
pub fn validate_reusing(set: ContentSet, previous: Option<&super::library::Library>) -> Validated {
    let ContentSet {
        files,
        personas,
        scenarios,
        quiz_banks,
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

    // Compile the scenarios worth compiling, moving them out of the set, and check their graphs.
    let mut compiled = Vec::new();
    for (k, (file, scenario)) in scenarios.into_iter().enumerate() {
        let Some(persona_k) = to_compile[k] else {
            continue;
        };
        let (pfile, persona) = &personas[persona_k];
        let sources = [files[file].text.as_str(), files[*pfile].text.as_str()];
        let before = diags.len();
        let earlier = previous
            .and_then(|p| p.scenarios.get(scenario.id.as_str()))
            .map(|p| p.compiled.as_ref());
        match Compiled::new_reusing(scenario, persona.clone(), &sources, earlier) {
            Ok(c) => {
                let mut ctx = FileCtx::new(&files[file], &mut diags);
                check_graph(&mut ctx, &c, scoring_valid[k]);
                let graph_errors = diags[before..].iter().any(|d| d.level == Level::Error);
                if scenario_ok[k] && !graph_errors {
                    compiled.push((file, c));
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
        files,
    }
}

/// What validation produced.
pub struct Validated {
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The scenarios fit to play, with the index of their file.
    pub compiled: Vec<(usize, Compiled)>,
    /// The quiz banks without errors.
    pub quiz_banks: Vec<QuizBank>,
    /// Ids of quiz banks whose file has errors.
    pub broken_banks: BTreeSet<String>,
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

/// Every text of a persona with its path.
fn persona_texts(persona: &Persona) -> Vec<(OwnedPath, &Text)> {
    let mut v: Vec<(OwnedPath, &Text)> = vec![
        (p(&[Seg::Key("name")]), &persona.name),
        (p(&[Seg::Key("company")]), &persona.company),
        (p(&[Seg::Key("role")]), &persona.role),
        (p(&[Seg::Key("temperament")]), &persona.temperament),
        (
            p(&[Seg::Key("debt"), Seg::Key("terms")]),
            &persona.debt.terms,
        ),
    ];
    if let Some(g) = &persona.debt.goods {
        v.push((p(&[Seg::Key("debt"), Seg::Key("goods")]), g));
    }
    for (i, t) in persona.hidden_truths.iter().enumerate() {
        v.push((
            p(&[Seg::Key("hidden_truths"), Seg::Index(i), Seg::Key("text")]),
            &t.text,
        ));
    }
    v
}

fn check_persona_locales(
    ctx: &mut FileCtx<'_>,
    persona: &Persona,
    locales: &[Locale],
    scenario: &Scenario,
) {
    for (path, text) in persona_texts(persona) {
        check_text(ctx, &path, text, locales, Some(scenario.id.as_str()));
    }
}

/// Every text of a scenario with its path.
fn scenario_texts(sc: &Scenario) -> Vec<(OwnedPath, &Text)> {
    let mut v: Vec<(OwnedPath, &Text)> = vec![
        (p(&[Seg::Key("title")]), &sc.title),
        (p(&[Seg::Key("supplier")]), &sc.supplier),
        (p(&[Seg::Key("briefing")]), &sc.briefing),
    ];
    v.extend(truths::texts(sc));
    for (i, o) in sc.objectives.iter().enumerate() {
        v.push((
            p(&[Seg::Key("objectives"), Seg::Index(i), Seg::Key("text")]),
            &o.text,
        ));
        if let Some(section) = &o.section {
            v.push((
                p(&[Seg::Key("objectives"), Seg::Index(i), Seg::Key("section")]),
                section,
            ));
        }
    }
    for (i, item) in sc.preparation.items.iter().enumerate() {
        let base = [Seg::Key("preparation"), Seg::Key("items"), Seg::Index(i)];
        v.push((join(&base, &[Seg::Key("label")]), &item.label));
        v.push((join(&base, &[Seg::Key("why")]), &item.why));
    }
    for (i, e) in sc.evidence.iter().enumerate() {
        v.push((
            p(&[Seg::Key("evidence"), Seg::Index(i), Seg::Key("label")]),
            &e.label,
        ));
    }
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        if let Some(s) = node.scene() {
            v.push((join(&base, &[Seg::Key("scene")]), s));
        }
        for (li, line) in node.lines().iter().enumerate() {
            v.push((
                join(&base, &[Seg::Key("say"), Seg::Index(li), Seg::Key("text")]),
                &line.text,
            ));
        }
        match node {
            Node::Debtor(d) => {
                for (ci, c) in d.choices.iter().enumerate() {
                    let cb = join(&base, &[Seg::Key("choices"), Seg::Index(ci)]);
                    v.push((join(&cb, &[Seg::Key("text")]), &c.text));
                    v.push((
                        join(&cb, &[Seg::Key("feedback"), Seg::Key("text")]),
                        &c.feedback.text,
                    ));
                    if let Some(pr) = &c.feedback.principle {
                        v.push((
                            join(&cb, &[Seg::Key("feedback"), Seg::Key("principle")]),
                            pr,
                        ));
                    }
                    if let Some(h) = &c.locked_hint {
                        v.push((join(&cb, &[Seg::Key("locked_hint")]), h));
                    }
                    if let Some(vi) = &c.violation {
                        v.push((
                            join(&cb, &[Seg::Key("violation"), Seg::Key("explanation")]),
                            &vi.explanation,
                        ));
                    }
                }
            }
            Node::Ending(e) => {
                if let Some(s) = &e.summary {
                    v.push((join(&base, &[Seg::Key("summary")]), s));
                }
            }
        }
    }
    v
}

fn check_text(
    ctx: &mut FileCtx<'_>,
    path: &[Seg<'_>],
    text: &Text,
    locales: &[Locale],
    via: Option<&str>,
) {
    let via_note = via.map_or(String::new(), |s| format!(" (required by scenario `{s}`)"));
    match text {
        Text::Plain(s) => {
            if s.trim().is_empty() {
                ctx.error(
                    codes::EMPTY_TEXT,
                    path,
                    "this text is empty".to_owned(),
                    "empty",
                    "write the words, or remove the optional field".to_owned(),
                );
            }
            if locales.len() > 1 && locales.contains(&Locale::En) && has_han(s) {
                ctx.warn(
                    codes::UNTRANSLATED,
                    path,
                    format!("plain text in Chinese will show untranslated in `en`{via_note}"),
                    "one string for every locale",
                    r#"write it per locale: {"zh-CN": "…", "en": "…"}"#.to_owned(),
                );
            }
        }
        Text::Localized(map) => {
            for locale in locales {
                if !map
                    .iter()
                    .any(|(k, _)| Locale::from_tag(k) == Some(*locale))
                {
                    ctx.error(
                        codes::MISSING_LOCALE,
                        path,
                        format!("this text has no `{}` version{via_note}", locale.tag()),
                        "incomplete locales",
                        format!("add \"{}\": \"…\" to the map", locale.tag()),
                    );
                }
            }
            for (k, s) in map {
                let key_path: Vec<Seg<'_>> =
                    path.iter().copied().chain([Seg::Key(k.as_str())]).collect();
                match Locale::from_tag(k) {
                    None => ctx.error(
                        codes::EXTRA_LOCALE,
                        &key_path,
                        format!("`{k}` is not a supported locale"),
                        "unknown locale",
                        "supported locales are `zh-CN` and `en`".to_owned(),
                    ),
                    Some(l) if !locales.contains(&l) && via.is_none() && ctx.undeclared.insert(k.clone()) => ctx.warn(
                        codes::EXTRA_LOCALE,
                        &key_path,
                        format!("`{k}` texts are written but `{k}` is not in this scenario's `locales`, so they are never shown"),
                        "undeclared locale (first of its texts)",
                        format!("add \"{k}\" to `locales`, or remove the `{k}` entries"),
                    ),
                    _ => {}
                }
                if s.trim().is_empty() {
                    ctx.error(
                        codes::EMPTY_TEXT,
                        &key_path,
                        format!("the `{k}` text is empty"),
                        "empty",
                        "write the words".to_owned(),
                    );
                }
            }
        }
    }
    for (_, s) in text.entries() {
        for ph in placeholders(s) {
            if !TEMPLATE_VARIABLES.contains(&ph.name) {
                let help = match suggest(ph.name, TEMPLATE_VARIABLES) {
                    Some(sug) => {
                        format!("did you mean `{{{sug}}}`? Write `{{{{` for a literal brace")
                    }
                    None => format!(
                        "variables: {}; write `{{{{` for a literal brace",
                        TEMPLATE_VARIABLES.join(", ")
                    ),
                };
                ctx.error(
                    codes::UNKNOWN_VARIABLE,
                    path,
                    format!("`{{{}}}` is not a variable", ph.name),
                    "unknown variable",
                    help,
                );
            }
        }
    }
}

fn check_seed(ctx: &mut FileCtx<'_>, seed: &str, path: &[Seg<'_>]) {
    if !is_known_seed(seed) {
        ctx.error(
            codes::UNKNOWN_SEED,
            path,
            format!("`{seed}` is not one of the course documents"),
            "unknown seed",
            "cite one of 000, 001, 002, 003, 004 (the files in ../shared/seeds/)".to_owned(),
        );
    }
}

/// Per-file checks of a scenario; returns its valid locales.
fn check_scenario(ctx: &mut FileCtx<'_>, sc: &Scenario) -> Vec<Locale> {
    check_id(ctx, &sc.id, &[Seg::Key("id")]);

    let mut locales = Vec::new();
    for (i, tag) in sc.locales.iter().enumerate() {
        match Locale::from_tag(tag) {
            Some(l) if locales.contains(&l) => ctx.warn(
                codes::BAD_LOCALES,
                &[Seg::Key("locales"), Seg::Index(i)],
                format!("locale `{tag}` is listed twice"),
                "duplicate",
                None,
            ),
            Some(l) => locales.push(l),
            None => ctx.error(
                codes::BAD_LOCALES,
                &[Seg::Key("locales"), Seg::Index(i)],
                format!("`{tag}` is not a supported locale"),
                "unsupported locale",
                "supported locales are `zh-CN` and `en`".to_owned(),
            ),
        }
    }
    if sc.locales.is_empty() {
        ctx.error(
            codes::BAD_LOCALES,
            &[Seg::Key("locales")],
            "the scenario declares no locales".to_owned(),
            "empty",
            r#"write `locales: ["zh-CN", "en"]`"#.to_owned(),
        );
    }

    if sc.objectives.is_empty() {
        ctx.error(
            codes::NO_OBJECTIVES,
            &[Seg::Key("objectives")],
            "the scenario has no learning objectives".to_owned(),
            "empty",
            "add at least one objective citing the course document it teaches".to_owned(),
        );
    }
    for (i, o) in sc.objectives.iter().enumerate() {
        check_seed(
            ctx,
            &o.seed,
            &[Seg::Key("objectives"), Seg::Index(i), Seg::Key("seed")],
        );
    }
    let topics = syllabus::ids();
    for (i, tag) in sc.tags.iter().enumerate() {
        if syllabus::topic(tag).is_none() {
            let help = suggest(tag, &topics).map_or_else(
                || "see the coverage table in dialogues/README.md for the topic ids".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            ctx.error(
                codes::UNKNOWN_TAG,
                &[Seg::Key("tags"), Seg::Index(i)],
                format!("`{tag}` is not a syllabus topic"),
                "unknown topic",
                help,
            );
        }
    }

    // Ids: preparation, evidence, nodes, choices.
    let prep_ids = unique_ids(
        ctx,
        sc.preparation.items.iter().map(|x| &x.id),
        &[Seg::Key("preparation"), Seg::Key("items")],
        "preparation item",
    );
    if let Some(b) = sc.preparation.budget
        && (b == 0 || b as usize > sc.preparation.items.len())
    {
        ctx.error(
            codes::OUT_OF_RANGE,
            &[Seg::Key("preparation"), Seg::Key("budget")],
            format!(
                "budget {b} is not between 1 and the {} items",
                sc.preparation.items.len()
            ),
            "out of range",
            "remove `budget` to allow every item".to_owned(),
        );
    }
    let evidence_ids = unique_ids(
        ctx,
        sc.evidence.iter().map(|x| &x.id),
        &[Seg::Key("evidence")],
        "evidence item",
    );
    for (i, e) in sc.evidence.iter().enumerate() {
        if e.weight == 0 {
            ctx.error(
                codes::OUT_OF_RANGE,
                &[Seg::Key("evidence"), Seg::Index(i), Seg::Key("weight")],
                "evidence weight must be at least 1".to_owned(),
                "zero weight",
                None,
            );
        }
    }
    let w = &sc.scoring.weights;
    let ws = [w.tone, w.persistence, w.evidence];
    if ws.iter().any(|x| !x.is_finite() || *x < 0.0) || ws.iter().sum::<f64>() <= 0.0 {
        ctx.error(
            codes::BAD_SCORING,
            &[Seg::Key("scoring"), Seg::Key("weights")],
            "weights must be non-negative and not all zero".to_owned(),
            "invalid weights",
            "the defaults are 1.0 each".to_owned(),
        );
    }
    if sc.scoring.pass_mark > 100 {
        ctx.error(
            codes::BAD_SCORING,
            &[Seg::Key("scoring"), Seg::Key("pass_mark")],
            format!("pass mark {} is above 100", sc.scoring.pass_mark),
            "out of range",
            "the default is 70".to_owned(),
        );
    }
    if sc.max_turns == 0 {
        ctx.error(
            codes::OUT_OF_RANGE,
            &[Seg::Key("max_turns")],
            "max_turns must be at least 1".to_owned(),
            "zero",
            None,
        );
    }
    let node_ids = unique_ids(
        ctx,
        sc.nodes.iter().map(Node::id),
        &[Seg::Key("nodes")],
        "node",
    );
    let mut choice_ids: HashMap<&str, ()> = HashMap::new();
    for (ni, node) in sc.nodes.iter().enumerate() {
        if let Node::Debtor(d) = node {
            for (ci, c) in d.choices.iter().enumerate() {
                let path = [
                    Seg::Key("nodes"),
                    Seg::Index(ni),
                    Seg::Key("choices"),
                    Seg::Index(ci),
                    Seg::Key("id"),
                ];
                check_id(ctx, &c.id, &path);
                if choice_ids.insert(c.id.as_str(), ()).is_some() {
                    ctx.error(
                        codes::DUPLICATE_ID,
                        &path,
                        format!("choice id `{}` is used twice in this scenario", c.id),
                        "duplicate id",
                        "choice ids must be unique in the scenario so results can name them"
                            .to_owned(),
                    );
                }
            }
        }
    }
    // Special nodes.
    let by_id: HashMap<&str, &Node> = sc.nodes.iter().map(|n| (n.id().as_str(), n)).collect();
    let kind = |id: &Id| by_id.get(id.as_str()).map(|n| matches!(n, Node::Ending(_)));
    match kind(&sc.start) {
        None => unknown_node(ctx, &sc.start, &node_ids, &[Seg::Key("start")]),
        Some(true) => ctx.error(
            codes::BAD_SPECIAL_NODE,
            &[Seg::Key("start")],
            format!("the start node `{}` is an ending", sc.start),
            "ending",
            "start at a `Debtor(…)` node".to_owned(),
        ),
        Some(false) => {}
    }
    match kind(&sc.patience_out) {
        None => unknown_node(
            ctx,
            &sc.patience_out,
            &node_ids,
            &[Seg::Key("patience_out")],
        ),
        Some(false) => ctx.error(
            codes::BAD_SPECIAL_NODE,
            &[Seg::Key("patience_out")],
            format!(
                "`patience_out` must be an ending, and `{}` is a debtor node",
                sc.patience_out
            ),
            "not an ending",
            "point it at an `Ending(…)` such as the debtor hanging up".to_owned(),
        ),
        Some(true) => {}
    }

    // Flags set and tested.
    let mut set_flags: BTreeSet<&str> = BTreeSet::new();
    let mut tested: Vec<(&str, OwnedPath)> = Vec::new();
    let mut has_violation = false;
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        if node.lines().is_empty() {
            ctx.error(
                codes::NO_LINES,
                &join(&base, &[Seg::Key("say")]),
                format!("node `{}` has no lines", node.id()),
                "no lines",
                "add at least one `(text: …)` to `say`".to_owned(),
            );
        } else if node.lines().iter().all(|l| !l.when.is_empty()) {
            ctx.error(codes::NO_LINES, &join(&base, &[Seg::Key("say")]), format!("every line of node `{}` has conditions, so in some situations it has nothing to say", node.id()), "no fallback line", "leave one line without `when` as the fallback".to_owned());
        }
        for (li, line) in node.lines().iter().enumerate() {
            let lb = join(&base, &[Seg::Key("say"), Seg::Index(li), Seg::Key("when")]);
            check_conditions(
                ctx,
                sc,
                &line.when,
                &lb,
                &node_ids,
                &evidence_ids,
                &prep_ids,
                &mut tested,
            );
            if line.weight == 0 {
                ctx.error(
                    codes::OUT_OF_RANGE,
                    &join(
                        &base,
                        &[Seg::Key("say"), Seg::Index(li), Seg::Key("weight")],
                    ),
                    "line weight must be at least 1".to_owned(),
                    "zero",
                    None,
                );
            }
        }
        match node {
            Node::Debtor(d) => {
                if d.choices.is_empty() {
                    ctx.error(
                        codes::NO_WAY_OUT,
                        &join(&base, &[Seg::Key("choices")]),
                        format!(
                            "debtor node `{}` has no choices, so the conversation cannot go on",
                            d.id
                        ),
                        "no way out",
                        "add choices, or make it an `Ending(…)`".to_owned(),
                    );
                }
                for (ci, c) in d.choices.iter().enumerate() {
                    let cb = join(&base, &[Seg::Key("choices"), Seg::Index(ci)]);
                    if !node_ids.contains(c.next.as_str()) {
                        unknown_node(ctx, &c.next, &node_ids, &join(&cb, &[Seg::Key("next")]));
                    }
                    check_conditions(
                        ctx,
                        sc,
                        &c.when,
                        &join(&cb, &[Seg::Key("when")]),
                        &node_ids,
                        &evidence_ids,
                        &prep_ids,
                        &mut tested,
                    );
                    check_effects(
                        ctx,
                        &c.effects,
                        &join(&cb, &[Seg::Key("effects")]),
                        &evidence_ids,
                        &mut set_flags,
                    );
                    if let Some(seed) = &c.feedback.seed {
                        check_seed(
                            ctx,
                            seed,
                            &join(&cb, &[Seg::Key("feedback"), Seg::Key("seed")]),
                        );
                    }
                    if let Some(v) = &c.violation {
                        has_violation = true;
                        if v.rule.is_prohibited_conduct() && v.severity != Severity::Blocker {
                            ctx.error(
                                codes::VIOLATION_DOES_NOT_FAIL,
                                &join(&cb, &[Seg::Key("violation"), Seg::Key("severity")]),
                                format!("`{}` is prohibited conduct, but severity `{}` would let the attempt pass", v.rule.key(), v.severity.key()),
                                "must fail the attempt",
                                "prohibited conduct is an automatic fail in the course (002 第四章第三节): use `severity: blocker`".to_owned(),
                            );
                        }
                    }
                    if let Some(Node::Ending(e)) = by_id.get(c.next.as_str())
                        && e.outcome == Outcome::Violation
                        && c.violation.is_none()
                    {
                        ctx.warn(codes::VIOLATION_ENDING_WITHOUT_VIOLATION, &join(&cb, &[Seg::Key("next")]), format!("choice `{}` leads to the violation ending `{}` but carries no `violation`", c.id, e.id), "no violation", "add `violation: (rule: …, severity: blocker, explanation: …)` or point it at another ending".to_owned());
                    }
                }
            }
            Node::Ending(e) => {
                check_effects(
                    ctx,
                    &e.effects,
                    &join(&base, &[Seg::Key("effects")]),
                    &evidence_ids,
                    &mut set_flags,
                );
            }
        }
    }
    for (flag, path) in &tested {
        if !set_flags.contains(flag) {
            let known: Vec<&str> = set_flags.iter().copied().collect();
            let help = suggest(flag, &known).map_or_else(|| "set it with `effects: (set: [\"…\"])` on a choice, or test a `Prepared(…)` item instead".to_owned(), |s| format!("did you mean `{s}`?"));
            ctx.error(
                codes::FLAG_NEVER_SET,
                path,
                format!("flag `{flag}` is tested but nothing sets it"),
                "never set",
                help,
            );
        }
    }
    let tested_names: BTreeSet<&str> = tested.iter().map(|(f, _)| *f).collect();
    for (ni, node) in sc.nodes.iter().enumerate() {
        if let Node::Debtor(d) = node {
            for (ci, c) in d.choices.iter().enumerate() {
                for (fi, f) in c.effects.set.iter().enumerate() {
                    if !tested_names.contains(f.as_str()) {
                        ctx.warn(
                            codes::FLAG_NEVER_TESTED,
                            &[
                                Seg::Key("nodes"),
                                Seg::Index(ni),
                                Seg::Key("choices"),
                                Seg::Index(ci),
                                Seg::Key("effects"),
                                Seg::Key("set"),
                                Seg::Index(fi),
                            ],
                            format!("flag `{f}` is set but no condition tests it"),
                            "unused flag",
                            "test it with `Flag(\"…\")`, or remove it".to_owned(),
                        );
                    }
                }
            }
        }
    }
    if !has_violation {
        ctx.warn(codes::NO_VIOLATION_TRAP, &[Seg::Key("nodes")], "no choice in this scenario breaks a rule, so it never tests prohibited conduct".to_owned(), "no trap", "add at least one tempting line that threatens, insults or loses its temper, with a `violation`".to_owned());
    }

    for (path, text) in scenario_texts(sc) {
        check_text(ctx, &path, text, &locales, None);
    }
    locales
}

fn unique_ids<'a>(
    ctx: &mut FileCtx<'_>,
    ids: impl Iterator<Item = &'a Id>,
    base: &[Seg<'static>],
    what: &str,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        let path = join(base, &[Seg::Index(i), Seg::Key("id")]);
        check_id(ctx, id, &path);
        if !seen.insert(id.as_str()) {
            ctx.error(
                codes::DUPLICATE_ID,
                &path,
                format!("{what} id `{id}` is used twice"),
                "duplicate id",
                format!("give each {what} its own id"),
            );
        }
    }
    seen
}

fn unknown_node(ctx: &mut FileCtx<'_>, id: &Id, node_ids: &BTreeSet<&str>, path: &[Seg<'_>]) {
    let known: Vec<&str> = node_ids.iter().copied().collect();
    let help = suggest(id.as_str(), &known).map_or_else(
        || "use the id of a node in this scenario's `nodes`".to_owned(),
        |s| format!("did you mean `{s}`?"),
    );
    ctx.error(
        codes::UNKNOWN_NODE,
        path,
        format!("node `{id}` does not exist"),
        "no node has this id",
        help,
    );
}

fn check_conditions<'a>(
    ctx: &mut FileCtx<'_>,
    sc: &Scenario,
    conds: &'a [Condition],
    base: &[Seg<'static>],
    node_ids: &BTreeSet<&str>,
    evidence_ids: &BTreeSet<&str>,
    prep_ids: &BTreeSet<&str>,
    tested: &mut Vec<(&'a str, OwnedPath)>,
) {
    for (i, c) in conds.iter().enumerate() {
        let path = join(base, &[Seg::Index(i)]);
        check_condition(ctx, sc, c, &path, node_ids, evidence_ids, prep_ids, tested);
    }
}

fn check_condition<'a>(
    ctx: &mut FileCtx<'_>,
    sc: &Scenario,
    c: &'a Condition,
    path: &[Seg<'static>],
    node_ids: &BTreeSet<&str>,
    evidence_ids: &BTreeSet<&str>,
    prep_ids: &BTreeSet<&str>,
    tested: &mut Vec<(&'a str, OwnedPath)>,
) {
    let arg = join(path, &[Seg::Index(0)]);
    match c {
        Condition::Flag(f) => tested.push((f.as_str(), arg)),
        Condition::Has(e) if !evidence_ids.contains(e.as_str()) => {
            unknown_ref(
                ctx,
                codes::UNKNOWN_EVIDENCE,
                "evidence item",
                e,
                evidence_ids,
                &arg,
                "declare it in `evidence`",
            );
        }
        Condition::Prepared(x) if !prep_ids.contains(x.as_str()) => {
            unknown_ref(
                ctx,
                codes::UNKNOWN_PREP,
                "preparation item",
                x,
                prep_ids,
                &arg,
                "declare it in `preparation.items`",
            );
        }
        Condition::VisitsAtLeast(n, _) | Condition::VisitsBelow(n, _)
            if !node_ids.contains(n.as_str()) =>
        {
            unknown_node(ctx, n, node_ids, &arg);
        }
        Condition::All(cs) | Condition::Any(cs) => {
            check_conditions(ctx, sc, cs, &arg, node_ids, evidence_ids, prep_ids, tested);
        }
        Condition::Not(inner) => check_condition(
            ctx,
            sc,
            inner,
            &arg,
            node_ids,
            evidence_ids,
            prep_ids,
            tested,
        ),
        _ => {}
    }
}

fn unknown_ref(
    ctx: &mut FileCtx<'_>,
    code: Code,
    what: &str,
    id: &Id,
    known: &BTreeSet<&str>,
    path: &[Seg<'_>],
    fix: &str,
) {
    let list: Vec<&str> = known.iter().copied().collect();
    let help = suggest(id.as_str(), &list)
        .map_or_else(|| fix.to_owned(), |s| format!("did you mean `{s}`?"));
    ctx.error(
        code,
        path,
        format!("{what} `{id}` does not exist"),
        "unknown id",
        help,
    );
}

fn check_effects<'a>(
    ctx: &mut FileCtx<'_>,
    e: &'a Effects,
    base: &[Seg<'static>],
    evidence_ids: &BTreeSet<&str>,
    set_flags: &mut BTreeSet<&'a str>,
) {
    for (i, g) in e.gain.iter().enumerate() {
        if !evidence_ids.contains(g.as_str()) {
            unknown_ref(
                ctx,
                codes::UNKNOWN_EVIDENCE,
                "evidence item",
                g,
                evidence_ids,
                &join(base, &[Seg::Key("gain"), Seg::Index(i)]),
                "declare it in the scenario's `evidence`",
            );
        }
    }
    for f in &e.set {
        set_flags.insert(f.as_str());
    }
}

/// `{goods}` needs the persona's `debt.goods`.
fn check_goods_variable(ctx: &mut FileCtx<'_>, sc: &Scenario, persona: &Persona) {
    if persona.debt.goods.is_some() {
        return;
    }
    for (path, text) in scenario_texts(sc) {
        if text
            .entries()
            .iter()
            .any(|(_, s)| placeholders(s).iter().any(|p| p.name == "goods"))
        {
            ctx.error(
                codes::UNKNOWN_VARIABLE,
                &path,
                format!("`{{goods}}` is used but persona `{}` has no `debt.goods`", persona.id),
                "nothing to fill in",
                "add `goods: {\"zh-CN\": \"…\", \"en\": \"…\"}` to the persona's `debt`, or write the goods out".to_owned(),
            );
        }
    }
}

/// Every id that `pick` finds in the scenario's conditions (line variants and choices, nested
/// in `All`/`Any`/`Not` too), with the path of the argument.
fn condition_refs<'a>(
    sc: &'a Scenario,
    pick: fn(&'a Condition) -> Option<&'a Id>,
) -> Vec<(&'a Id, OwnedPath)> {
    fn walk<'a>(
        conds: &'a [Condition],
        base: &[Seg<'static>],
        pick: fn(&'a Condition) -> Option<&'a Id>,
        out: &mut Vec<(&'a Id, OwnedPath)>,
    ) {
        for (i, c) in conds.iter().enumerate() {
            let path = join(base, &[Seg::Index(i)]);
            if let Some(id) = pick(c) {
                out.push((id, join(&path, &[Seg::Index(0)])));
            }
            match c {
                Condition::All(cs) | Condition::Any(cs) => {
                    walk(cs, &join(&path, &[Seg::Index(0)]), pick, out)
                }
                Condition::Not(inner) => walk(
                    std::slice::from_ref(inner.as_ref()),
                    &join(&path, &[Seg::Index(0)]),
                    pick,
                    out,
                ),
                _ => {}
            }
        }
    }
    let mut refs = Vec::new();
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        for (li, line) in node.lines().iter().enumerate() {
            let at = join(&base, &[Seg::Key("say"), Seg::Index(li), Seg::Key("when")]);
            walk(&line.when, &at, pick, &mut refs);
        }
        if let Node::Debtor(d) = node {
            for (ci, c) in d.choices.iter().enumerate() {
                let at = join(
                    &base,
                    &[Seg::Key("choices"), Seg::Index(ci), Seg::Key("when")],
                );
                walk(&c.when, &at, pick, &mut refs);
            }
        }
    }
    refs
}

/// `Revealed(…)` conditions and `reveal` effects must name one of the persona's hidden truths.
fn check_truth_refs(ctx: &mut FileCtx<'_>, sc: &Scenario, persona: &Persona) {
    let known: BTreeSet<&str> = persona
        .hidden_truths
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let fix = format!("add it to `hidden_truths` of persona `{}`", persona.id);
    let mut refs = condition_refs(sc, |c| match c {
        Condition::Revealed(id) => Some(id),
        _ => None,
    });
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        let mut effects: Vec<(&Effects, OwnedPath)> = Vec::new();
        match node {
            Node::Debtor(d) => {
                for (ci, c) in d.choices.iter().enumerate() {
                    let cb = join(&base, &[Seg::Key("choices"), Seg::Index(ci)]);
                    effects.push((&c.effects, join(&cb, &[Seg::Key("effects")])));
                }
            }
            Node::Ending(e) => effects.push((&e.effects, join(&base, &[Seg::Key("effects")]))),
        }
        for (eff, eb) in effects {
            for (i, id) in eff.reveal.iter().enumerate() {
                refs.push((id, join(&eb, &[Seg::Key("reveal"), Seg::Index(i)])));
            }
        }
    }
    for (id, path) in refs {
        if !known.contains(id.as_str()) {
            unknown_ref(
                ctx,
                codes::UNKNOWN_TRUTH,
                "hidden truth",
                id,
                &known,
                &path,
                &fix,
            );
        }
    }
}

/// Checks that need the persona and the compiled graph: truth references, reachability,
/// dead ends, cycles, evidence that can never be gained, and the model answer.
fn check_graph(ctx: &mut FileCtx<'_>, c: &Compiled, scoring_ok: bool) {
    let sc = &c.scenario;
    let n = c.nodes.len();
    let node_path = |i: usize| p(&[Seg::Key("nodes"), Seg::Index(i), Seg::Key("id")]);

    // Structural reachability along `next` (patience_out can always be reached).
    let mut reach = vec![false; n];
    let mut stack = vec![c.start, c.patience_out];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reach[i], true) {
            continue;
        }
        stack.extend(c.nodes[i].choices.iter().map(|ch| ch.next));
    }
    let ex = &c.analysis;
    for (i, &reached) in reach.iter().enumerate() {
        let ending = c.nodes[i].ending.is_some();
        let code = if ending {
            codes::UNREACHABLE_ENDING
        } else {
            codes::UNREACHABLE_NODE
        };
        let what = if ending { "ending" } else { "node" };
        if !reached {
            ctx.error(
                code,
                &node_path(i),
                format!(
                    "{what} `{}` cannot be reached: no choice leads to it",
                    sc.nodes[i].id()
                ),
                "unreachable",
                "point a choice's `next` at it, or delete it".to_owned(),
            );
        } else if !ex.reachable[i] && !ex.bounded && i != c.patience_out {
            // The patience-out ending can always be reached through the turn limit.
            ctx.error(
                code,
                &node_path(i),
                format!(
                    "{what} `{}` cannot be reached: the conditions on the way never allow it",
                    sc.nodes[i].id()
                ),
                "unreachable",
                "check the `when` conditions of the choices leading here".to_owned(),
            );
        }
    }

    // Cycles with no exit: strongly connected groups of debtor nodes with no edge out.
    for group in closed_cycles(c) {
        let names: Vec<&str> = group.iter().map(|&i| sc.nodes[i].id().as_str()).collect();
        ctx.error(
            codes::CYCLE_NO_EXIT,
            &node_path(group[0]),
            format!("nodes {} form a loop with no way out", names.join(" → ")),
            "closed loop",
            "give one of these nodes a choice that leads out of the loop, towards an ending"
                .to_owned(),
        );
    }

    // Dead ends in reachable states, and choices or lines never offered.
    for i in 0..n {
        if ex.stuck[i] {
            ctx.error(
                codes::NO_WAY_OUT,
                &node_path(i),
                format!(
                    "at node `{}` there are situations where no choice's conditions hold",
                    sc.nodes[i].id()
                ),
                "stuck",
                "add a choice without `when`, or loosen the conditions".to_owned(),
            );
        }
        if !ex.reachable[i] || ex.bounded {
            continue;
        }
        if let Node::Debtor(d) = &sc.nodes[i] {
            for (ci, ch) in d.choices.iter().enumerate() {
                if ex.farmable[i][ci] {
                    ctx.warn(
                        codes::FARMABLE_EVIDENCE,
                        &[Seg::Key("nodes"), Seg::Index(i), Seg::Key("choices"), Seg::Index(ci), Seg::Key("effects"), Seg::Key("evidence")],
                        format!("choice `{}` gives evidence points and can be repeated in a loop, so they can be collected again and again", ch.id),
                        "repeatable points",
                        "give the points for an evidence item gained once (`gain`), or move them to a choice outside the loop".to_owned(),
                    );
                }
                if !ex.choice_offered[i][ci] {
                    ctx.warn(
                        codes::NEVER_AVAILABLE,
                        &[
                            Seg::Key("nodes"),
                            Seg::Index(i),
                            Seg::Key("choices"),
                            Seg::Index(ci),
                            Seg::Key("id"),
                        ],
                        format!(
                            "choice `{}` is never offered: its conditions never hold here",
                            ch.id
                        ),
                        "never offered",
                        "check its `when`".to_owned(),
                    );
                }
            }
        }
        for (li, line) in sc.nodes[i].lines().iter().enumerate() {
            if !line.when.is_empty() && !ex.line_eligible[i][li] {
                ctx.warn(
                    codes::NEVER_AVAILABLE,
                    &[
                        Seg::Key("nodes"),
                        Seg::Index(i),
                        Seg::Key("say"),
                        Seg::Index(li),
                    ],
                    "this line is never said: its conditions never hold when the node is entered"
                        .to_owned(),
                    "never said",
                    "check its `when`".to_owned(),
                );
            }
        }
    }

    // Evidence that can never be gained.
    for (ei, e) in sc.evidence.iter().enumerate() {
        let named = sc.nodes.iter().any(|node| match node {
            Node::Debtor(d) => d.choices.iter().any(|ch| ch.effects.gain.contains(&e.id)),
            Node::Ending(end) => end.effects.gain.contains(&e.id),
        });
        let path = p(&[Seg::Key("evidence"), Seg::Index(ei), Seg::Key("id")]);
        if !named {
            ctx.error(
                codes::EVIDENCE_NEVER_GAINED,
                &path,
                format!(
                    "evidence `{}` is never gained: no choice or ending has it in `gain`",
                    e.id
                ),
                "never gained",
                "add it to the `gain` of the choice that secures it".to_owned(),
            );
        } else if !ex.evidence_gainable[ei] && !ex.bounded {
            ctx.error(
                codes::EVIDENCE_NEVER_GAINED,
                &path,
                format!(
                    "evidence `{}` is never gained: the choices that gain it are never reached",
                    e.id
                ),
                "never gained",
                "check the conditions on the way to those choices".to_owned(),
            );
        }
    }
    if !ex.bounded && !ex.patience_runs_out {
        ctx.warn(
            codes::PATIENCE_NEVER_RUNS_OUT,
            &[Seg::Key("patience_out")],
            format!(
                "no playthrough spends the debtor's patience ({}) to zero, so `{}` is reached only by the turn limit",
                c.persona.patience,
                sc.patience_out
            ),
            "only by the turn limit",
            "give impatient, pushy or repetitive lines that lead on to debtor nodes a negative `patience` effect".to_owned(),
        );
    }
    if ex.bounded {
        ctx.warn(codes::SEARCH_BOUNDED, &[Seg::Key("nodes")], format!("the scenario has more than {} reachable situations; reachability checks are partial", crate::domain::analysis::STATE_BUDGET), "very large", "split the scenario, or reduce flags and mood-dependent branches".to_owned());
    }

    // The model answer must pass (meaningless while the scoring rules themselves are invalid).
    if !scoring_ok {
        return;
    }
    match model_answer(c) {
        None => ctx.error(codes::BEST_PATH_FAILS, &[Seg::Key("id")], "following the best alternative at each turn gets stuck before an ending".to_owned(), "no best path", "run `dunning-dojo sim` on it to see where".to_owned()),
        Some(best) if !best.passed => ctx.error(
            codes::BEST_PATH_FAILS,
            &[Seg::Key("scoring")],
            format!(
                "the best path scores {} (tone {}, persistence {}, evidence {}) and does not pass the mark of {}",
                best.scores.overall, best.scores.tone, best.scores.persistence, best.scores.evidence, sc.scoring.pass_mark
            ),
            "best path fails",
            format!("best path: {}; make the strongest line at each turn also gather the evidence, or lower the pass mark", best.choices.join(" → ")),
        ),
        Some(_) => {
            // The length tell: a trainee who picks the longest line should not find the answer.
            let ([zh, en], points) = crate::domain::audit::longest_on_model_path(c);
            let worst = zh.max(en);
            if points >= 5 && worst > LONGEST_SHARE_LIMIT {
                ctx.warn(
                    codes::ANSWER_GIVEN_AWAY,
                    &[Seg::Key("nodes")],
                    format!(
                        "along the model answer the best line is also the longest at {:.0}% of {points} decision points (Chinese {:.0}%, English {:.0}%); a trainee who picks the longest line finds the answer",
                        100.0 * worst,
                        100.0 * zh,
                        100.0 * en
                    ),
                    "the answer is the longest line",
                    format!("one ask per line; make a calm wrong line the longer one at more turns (at most {:.0}%); `dunning-dojo audit` shows every tell", 100.0 * LONGEST_SHARE_LIMIT),
                );
            }
        }
    }
}

/// The most decision points along the model answer where the best line may also be the
/// longest before `lint` warns (DD0407).
const LONGEST_SHARE_LIMIT: f64 = 0.40;

/// Groups of debtor nodes that loop among themselves with no choice leading outside.
fn closed_cycles(c: &Compiled) -> Vec<Vec<usize>> {
    let adjacency: Vec<Vec<usize>> = c
        .nodes
        .iter()
        .map(|n| n.choices.iter().map(|ch| ch.next).collect())
        .collect();
    let (_, groups) = strongly_connected(&adjacency);
    groups
        .into_iter()
        .filter(|g| {
            let looped = g.len() > 1 || adjacency[g[0]].contains(&g[0]);
            let exits = g
                .iter()
                .any(|&v| adjacency[v].iter().any(|w| !g.contains(w)));
            let has_ending = g.iter().any(|&v| c.nodes[v].ending.is_some());
            looped && !exits && !has_ending
        })
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect()
}
