//! A quiz result's xAPI statements: each answer at the moment it was given, with the question
//! as an interaction of its own type and its options as `choices` in every language of the bank.

use std::collections::BTreeSet;

use dunning_dojo::domain::content::model::QuestionKind;
use dunning_dojo::domain::library::Library;
use dunning_dojo::domain::mode::Mode;
use dunning_dojo::domain::quiz::{QuizResult, QuizSpec, draw, grade};
use dunning_dojo::domain::text::Locale;
use dunning_dojo::report::xapi::{Catalog, DEFAULT_BASE, Xapi};
use dunning_dojo::store::{NewQuiz, StatementSource, Store, StoredQuiz};

use crate::store::valid_statement;
use crate::support::{shipped, verb_of};

/// A quiz of 30 shipped questions answered as the key says, in Simplified Chinese.
fn answered_quiz(lib: &Library) -> (String, QuizResult) {
    let banks = lib.quiz_banks_in(Locale::ZhCn);
    let spec = QuizSpec::from_code("30-11").unwrap();
    let quiz = draw(&banks, &spec).unwrap();
    let responses: Vec<Vec<String>> = quiz
        .questions
        .iter()
        .map(|d| banks[d.bank].questions[d.question].answer.clone())
        .collect();
    let result = grade(&banks, &quiz, &responses, lib.scenario_tags());
    (spec.code(), result)
}

/// `result` recorded with one answer every `step_s` seconds from 09:00 (`None`: untimed, as
/// results saved before answers were timed).
fn record(store: &mut Store, code: &str, result: &QuizResult, step_s: Option<i64>) -> StoredQuiz {
    let t0: jiff::Timestamp = "2026-12-07T09:00:00Z".parse().unwrap();
    let at = |s: i64| t0 + jiff::SignedDuration::from_secs(s);
    let n = result.questions.len() as i64;
    let times: Vec<jiff::Timestamp> = match step_s {
        Some(step) => (1..=n).map(|k| at(k * step)).collect(),
        None => Vec::new(),
    };
    store
        .record_quiz(&NewQuiz {
            trainee: "王芳",
            team: None,
            session: None,
            code,
            locale: "zh-CN",
            mode: Mode::Practice,
            started_at: t0,
            ended_at: at(n * step_s.unwrap_or(7) + 5),
            answer_times: &times,
            result,
        })
        .unwrap()
}

#[test]
fn each_quiz_answer_is_timed_and_its_question_carries_its_options_in_both_languages() {
    let lib = shipped();
    let (code, result) = answered_quiz(&lib);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite")).unwrap();
    let stored = record(&mut store, &code, &result, Some(20));
    // The times come back from the file as they were given.
    let again = store.quizzes(None).unwrap();
    assert_eq!(again[0].answer_times, stored.answer_times);
    assert_eq!(stored.answer_times.len(), result.questions.len());
    assert_eq!(stored.answer_times[0], "2026-12-07T09:00:20.000Z");

    let x = Xapi::new(DEFAULT_BASE, "zh-CN").with_catalog(Catalog::from_library(&lib));
    let all = x.quiz(&stored);
    let answered: Vec<&serde_json::Value> =
        all.iter().filter(|s| verb_of(s) == "answered").collect();
    assert_eq!(answered.len(), result.questions.len());
    let mut kinds = BTreeSet::new();
    for (k, (s, g)) in answered.iter().zip(&result.questions).enumerate() {
        valid_statement(s);
        assert_eq!(s["timestamp"], stored.answer_times[k], "{s}");
        assert_eq!(s["result"]["duration"], "PT20.000S", "{s}");
        let def = &s["object"]["definition"];
        for lang in ["zh-CN", "en"] {
            assert!(
                def["name"][lang].as_str().is_some_and(|t| !t.is_empty()),
                "{def}"
            );
        }
        let question = lib
            .quiz_banks
            .values()
            .flat_map(|b| &b.questions)
            .find(|q| q.id.0 == g.id)
            .unwrap();
        let want = match g.kind {
            QuestionKind::TrueFalse => "true-false",
            QuestionKind::Order => "sequencing",
            _ => "choice",
        };
        assert_eq!(def["interactionType"], want, "{def}");
        kinds.insert(want);
        if g.kind == QuestionKind::TrueFalse {
            assert!(def.get("choices").is_none(), "{def}");
            assert!(["true", "false"].contains(&s["result"]["response"].as_str().unwrap()));
        } else {
            let ids: Vec<&str> = def["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap())
                .collect();
            let options: Vec<&str> = question.options.iter().map(|o| o.id.0.as_str()).collect();
            assert_eq!(ids, options);
            for c in def["choices"].as_array().unwrap() {
                for lang in ["zh-CN", "en"] {
                    assert!(c["description"][lang].is_string(), "{c}");
                }
            }
        }
        assert_eq!(
            def["correctResponsesPattern"][0],
            question.answer.join("[,]"),
            "{def}"
        );
        assert_eq!(
            def.get("description").is_some(),
            g.kind == QuestionKind::BestReply,
            "a best reply's debtor line is its description: {def}"
        );
    }
    assert!(
        kinds.len() >= 3,
        "the quiz shows every interaction type: {kinds:?}"
    );
    // The verdict after the last answer, `terminated` last of all.
    let stamps: Vec<&str> = all
        .iter()
        .map(|s| s["timestamp"].as_str().unwrap())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    assert_eq!(verb_of(all.last().unwrap()), "terminated");

    // Without dialogue text: ids, responses and times only.
    let bare = Xapi::new(DEFAULT_BASE, "zh-CN")
        .with_catalog(Catalog::from_library(&lib))
        .with_dialogue_text(false)
        .quiz(&stored);
    for s in bare.iter().filter(|s| verb_of(s) == "answered") {
        let def = &s["object"]["definition"];
        assert!(
            def.get("name").is_none() && def.get("description").is_none(),
            "{def}"
        );
        if let Some(choices) = def["choices"].as_array() {
            assert!(
                choices.iter().all(|c| c.get("description").is_none()),
                "{def}"
            );
        }
    }
}

#[test]
fn a_quiz_saved_before_answers_were_timed_carries_the_end_of_the_quiz() {
    let lib = shipped();
    let (code, result) = answered_quiz(&lib);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite")).unwrap();
    let stored = record(&mut store, &code, &result, None);
    assert!(stored.answer_times.is_empty());
    let all = Xapi::new(DEFAULT_BASE, "zh-CN").quiz(&stored);
    for s in all.iter().filter(|s| verb_of(s) == "answered") {
        valid_statement(s);
        assert_eq!(s["timestamp"], stored.ended_at);
        // Without a catalog the type still follows the question's kind.
        assert!(s["object"]["definition"]["interactionType"].is_string());
    }
    let first = all.iter().find(|s| verb_of(s) == "answered").unwrap();
    assert_eq!(first["result"]["duration"], "PT215.000S");
}
