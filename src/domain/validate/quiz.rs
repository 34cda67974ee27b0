//! The checks on quiz banks: ids, topics, course documents, the answer key against the options, the shape
//! each kind needs, recommended scenarios, and complete locales.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{FileCtx, check_course, check_id, check_text, join};
use crate::domain::content::SourceFile;
use crate::domain::content::model::{Persona, Scenario};
use crate::domain::content::model::{QuestionKind, QuizBank};
use crate::domain::content::span::{self, Seg};
use crate::domain::diagnostics::codes;
use crate::domain::diagnostics::suggest;
use crate::domain::syllabus;
use crate::domain::text::{Locale, Text};

/// The most options a quiz question may have: the game letters them A to H.
const MAX_QUIZ_OPTIONS: usize = 8;

/// Whether `text` (any locale) points at option `id` the way a paper quiz would: "option b",
/// "(b)", "选项B", "B项". Options are shuffled on screen, so such a pointer misleads.
fn names_option(text: &Text, id: &str) -> bool {
    let id = id.to_lowercase();
    let patterns = [
        format!("option {id} "),
        format!("option {id},"),
        format!("option {id}."),
        format!("options {id} "),
        format!("({id})"),
        format!("（{id}）"),
        format!("选项{id}"),
        format!("选项 {id}"),
        format!("{id}项"),
        format!("{id} 项"),
    ];
    text.entries().into_iter().any(|(_, t)| {
        let t = t.to_lowercase();
        patterns.iter().any(|p| t.contains(p.as_str()))
    })
}

/// The scenario ids a quiz bank may recommend, and those of scenario files that did not parse.
#[derive(Clone, Copy)]
pub(super) struct Known<'a> {
    pub(super) scenarios: &'a BTreeSet<&'a str>,
    pub(super) unparsed_scenarios: &'a BTreeMap<String, &'a Path>,
}

/// Scenario files that did not parse, by the id they seem to declare: their `id` field when
/// the span scanner can still read it, and their file name.
pub(super) fn unparsed_scenarios<'a>(
    files: &'a [SourceFile],
    personas: &[(usize, Persona)],
    scenarios: &[(usize, Scenario)],
    quiz_banks: &[(usize, QuizBank)],
) -> BTreeMap<String, &'a Path> {
    let parsed: BTreeSet<usize> = personas
        .iter()
        .map(|p| p.0)
        .chain(scenarios.iter().map(|s| s.0))
        .chain(quiz_banks.iter().map(|b| b.0))
        .collect();
    let mut out = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if parsed.contains(&i) || span::root_name(&f.text).as_deref() != Some("Scenario") {
            continue;
        }
        let declared = f
            .tree()
            .get(&[Seg::Key("id")])
            .map(|n| f.text[n.span.clone()].trim_matches('"').to_owned());
        let stem = f.path.file_stem().map(|s| s.to_string_lossy().into_owned());
        for id in declared.into_iter().chain(stem) {
            out.entry(id).or_insert(f.path.as_path());
        }
    }
    out
}

/// Every check on a quiz bank: ids, topics, course documents, the answer key against the options, the
/// shape each kind needs, recommended scenarios, and complete locales.
pub(super) fn check_quiz_bank(
    ctx: &mut FileCtx<'_>,
    bank: &QuizBank,
    known: Known<'_>,
    question_ids: &mut BTreeMap<String, (usize, String)>,
    file: usize,
    files: &[SourceFile],
) {
    check_id(ctx, &bank.id, &[Seg::Key("id")]);
    let mut locales = Vec::new();
    for (i, tag) in bank.locales.iter().enumerate() {
        match Locale::from_tag(tag) {
            Some(l) if !locales.contains(&l) => locales.push(l),
            Some(_) => {}
            None => ctx.error(
                codes::BAD_LOCALES,
                &[Seg::Key("locales"), Seg::Index(i)],
                format!("`{tag}` is not a supported locale"),
                "unsupported locale",
                format!("supported locales are {}", Locale::tags_list()),
            ),
        }
    }
    if bank.locales.is_empty() {
        ctx.error(
            codes::BAD_LOCALES,
            &[Seg::Key("locales")],
            "the bank declares no locales".to_owned(),
            "empty",
            r#"write `locales: ["zh-CN", "en"]`"#.to_owned(),
        );
    }
    check_text(ctx, &[Seg::Key("title")], &bank.title, &locales, None);
    let topics = syllabus::ids();
    let known_scenarios: Vec<&str> = known.scenarios.iter().copied().collect();
    for (qi, q) in bank.questions.iter().enumerate() {
        let base = [Seg::Key("questions"), Seg::Index(qi)];
        let at = |k: &'static str| join(&base, &[Seg::Key(k)]);
        check_id(ctx, &q.id, &at("id"));
        match question_ids.get(q.id.as_str()) {
            Some((other, bank_id)) => {
                let place = if *other == file {
                    "this bank".to_owned()
                } else {
                    format!("{} (bank `{bank_id}`)", files[*other].path.display())
                };
                ctx.error(
                    codes::DUPLICATE_ID,
                    &at("id"),
                    format!("question id `{}` is already used in {place}", q.id),
                    "duplicate id",
                    "question ids are unique across all banks, so results can name them".to_owned(),
                );
            }
            None => {
                question_ids.insert(q.id.0.clone(), (file, bank.id.0.clone()));
            }
        }
        if syllabus::topic(&q.topic).is_none() {
            let help = suggest(&q.topic, &topics).map_or_else(
                || "see the topic table in dialogues/README.md".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            ctx.error(
                codes::QUIZ_UNKNOWN_TOPIC,
                &at("topic"),
                format!("`{}` is not a syllabus topic", q.topic),
                "unknown topic",
                help,
            );
        }
        check_course(ctx, &q.course, &base);
        for (si, s) in q.scenarios.iter().enumerate() {
            if known.scenarios.contains(s.as_str()) {
                continue;
            }
            let at = join(&base, &[Seg::Key("scenarios"), Seg::Index(si)]);
            match known.unparsed_scenarios.get(s.as_str()) {
                Some(file) => ctx.warn(
                    codes::QUIZ_UNKNOWN_SCENARIO,
                    &at,
                    format!(
                        "scenario `{s}` is in {}, which has errors; this recommendation is left out until that file is fixed",
                        file.display()
                    ),
                    "scenario not loaded",
                    "fix the errors in that file; the rest of this bank works meanwhile".to_owned(),
                ),
                None => {
                    let help = suggest(s.as_str(), &known_scenarios).map_or_else(
                        || "name a scenario id from `dunning-dojo list`".to_owned(),
                        |x| format!("did you mean `{x}`?"),
                    );
                    ctx.warn(
                        codes::QUIZ_UNKNOWN_SCENARIO,
                        &at,
                        format!("scenario `{s}` does not exist; this recommendation is left out"),
                        "unknown scenario",
                        help,
                    );
                }
            }
        }
        let mut option_ids = BTreeSet::new();
        for (oi, o) in q.options.iter().enumerate() {
            let path = join(
                &base,
                &[Seg::Key("options"), Seg::Index(oi), Seg::Key("id")],
            );
            check_id(ctx, &o.id, &path);
            if !option_ids.insert(o.id.as_str()) {
                ctx.error(
                    codes::DUPLICATE_ID,
                    &path,
                    format!("option id `{}` is used twice in this question", o.id),
                    "duplicate id",
                    "give each option its own id".to_owned(),
                );
            }
            check_text(
                ctx,
                &join(
                    &base,
                    &[Seg::Key("options"), Seg::Index(oi), Seg::Key("text")],
                ),
                &o.text,
                &locales,
                None,
            );
        }
        check_text(ctx, &at("prompt"), &q.prompt, &locales, None);
        check_text(ctx, &at("explanation"), &q.explanation, &locales, None);
        if let Some(named) = q
            .options
            .iter()
            .find(|o| names_option(&q.explanation, o.id.as_str()))
        {
            ctx.warn(
                codes::QUIZ_LETTER_IN_EXPLANATION,
                &at("explanation"),
                format!(
                    "the explanation names option `{}` by its id; options are shuffled, so the trainee sees another letter",
                    named.id
                ),
                "names an option by id",
                "name the option by what it says instead".to_owned(),
            );
        }
        if let Some(line) = &q.debtor_line {
            check_text(ctx, &at("debtor_line"), line, &locales, None);
        }
        // The key.
        if q.answer.is_empty() {
            ctx.error(
                codes::QUIZ_NO_CORRECT,
                &at("answer"),
                format!("question `{}` has no correct answer", q.id),
                "empty key",
                "list the right option ids in `answer`".to_owned(),
            );
        }
        let shape = |ctx: &mut FileCtx<'_>, message: String, help: &str| {
            ctx.error(
                codes::QUIZ_BAD_SHAPE,
                &at("kind"),
                message,
                "shape does not fit",
                Some(help.to_owned()),
            );
        };
        match q.kind {
            QuestionKind::TrueFalse => {
                if !q.options.is_empty() {
                    shape(
                        ctx,
                        "a true_false question has no options".to_owned(),
                        "remove `options`; write `answer: [\"true\"]` or `[\"false\"]`",
                    );
                }
                if q.answer.len() > 1 || q.answer.iter().any(|a| a != "true" && a != "false") {
                    ctx.error(
                        codes::QUIZ_BAD_KEY,
                        &at("answer"),
                        "the key of a true_false question is `[\"true\"]` or `[\"false\"]`"
                            .to_owned(),
                        "bad key",
                        None,
                    );
                }
            }
            kind => {
                for (ai, a) in q.answer.iter().enumerate() {
                    if !option_ids.contains(a.as_str()) {
                        let known: Vec<&str> = option_ids.iter().copied().collect();
                        let help = suggest(a, &known).map_or_else(
                            || format!("the options are: {}", known.join(", ")),
                            |s| format!("did you mean `{s}`?"),
                        );
                        ctx.error(
                            codes::QUIZ_BAD_KEY,
                            &join(&base, &[Seg::Key("answer"), Seg::Index(ai)]),
                            format!(
                                "the key names option `{a}`, which this question does not have"
                            ),
                            "no such option",
                            help,
                        );
                    }
                }
                let distinct: BTreeSet<&String> = q.answer.iter().collect();
                if distinct.len() != q.answer.len() {
                    ctx.error(
                        codes::QUIZ_BAD_KEY,
                        &at("answer"),
                        "the key names an option twice".to_owned(),
                        "repeated",
                        None,
                    );
                }
                match kind {
                    QuestionKind::Single if q.options.len() < 2 || q.answer.len() > 1 => shape(ctx, format!("a single-choice question needs at least two options and one answer (it has {} and {})", q.options.len(), q.answer.len()), "use `kind: multiple` for several right answers"),
                    QuestionKind::BestReply if q.options.len() != 4 || q.answer.len() > 1 || q.debtor_line.is_none() => shape(ctx, "a best_reply question needs the debtor's line, four replies and one answer".to_owned(), "add `debtor_line` and exactly four options"),
                    QuestionKind::Multiple if q.options.len() < 3 || q.answer.len() >= q.options.len() => shape(ctx, format!("a multiple-choice question needs at least three options and at least one wrong one (it has {} options, {} right)", q.options.len(), q.answer.len()), "add a wrong option, or use `single`"),
                    QuestionKind::Order if q.options.len() < 3 || q.answer.len() != q.options.len() => shape(ctx, format!("an order question lists all {} steps in `answer`, in the right order (it lists {})", q.options.len(), q.answer.len()), "put every option id in `answer`, first to last"),
                    _ => {}
                }
                if q.options.len() > MAX_QUIZ_OPTIONS {
                    shape(
                        ctx,
                        format!(
                            "a question has at most {MAX_QUIZ_OPTIONS} options, lettered A to H (it has {})",
                            q.options.len()
                        ),
                        "split it into two questions",
                    );
                }
                if q.kind != QuestionKind::BestReply && q.debtor_line.is_some() {
                    shape(
                        ctx,
                        "only best_reply questions have a `debtor_line`".to_owned(),
                        "remove it, or use `kind: best_reply`",
                    );
                }
            }
        }
    }
}
