//! Unit tests of the session: start, choose, lines, save and restore, the order shown.

use std::path::PathBuf;

use super::*;
use crate::domain::content::ContentSet;
use crate::domain::content::model::{Outcome, Rule};
use crate::domain::diagnostics::Level;
use crate::domain::library::Library;

const PERSONA: &str = include_str!("../../../../tests/fixtures/base/persona.ron");
const SCENARIO: &str = include_str!("../../../../tests/fixtures/base/scenario.ron");

fn library(scenario: &str) -> Library {
    Library::build(
        ContentSet::from_sources([
            (PathBuf::from("persona.ron"), PERSONA.to_owned()),
            (PathBuf::from("scenario.ron"), scenario.to_owned()),
        ]),
        None,
    )
}

fn fixture() -> Arc<Compiled> {
    let lib = library(SCENARIO);
    let errors: Vec<_> = lib
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "fixture has errors: {errors:#?}");
    Arc::clone(lib.scenario("test_call").expect("fixture compiles"))
}

fn play(c: &Arc<Compiled>, seed: u64, setup: Setup, choices: &[&str]) -> Session {
    let (mut s, _) = Session::start(c, seed, Locale::En, setup).expect("starts");
    for id in choices {
        s.choose(id).unwrap_or_else(|e| panic!("choice {id}: {e}"));
    }
    s
}

#[test]
fn model_path_scores_full_marks_and_passes() {
    let c = fixture();
    let s = play(
        &c,
        1,
        Setup::default(),
        &["intro", "who_covers", "fix_date"],
    );
    let r = s.result().expect("ended");
    assert_eq!(r.outcome, Outcome::VerbalPromise);
    assert_eq!(
        (r.scores.tone, r.scores.persistence, r.scores.evidence),
        (100.0, 100.0, 100.0)
    );
    assert!(r.passed);
    assert_eq!(
        r.evidence,
        ["amount_confirmed", "date_committed", "contact"]
    );
    assert_eq!(r.truths, ["approved"]);
    assert!(
        r.debrief
            .iter()
            .all(|t| t.was_best && t.best_alternative.is_none())
    );
}

#[test]
fn soft_path_scores_low_on_persistence_and_names_the_better_line() {
    let c = fixture();
    let r = play(&c, 1, Setup::default(), &["intro", "wait"])
        .result()
        .unwrap();
    assert_eq!(r.outcome, Outcome::Refused);
    assert!(r.scores.persistence < 50.0, "{:?}", r.scores);
    assert!(!r.passed);
    let t2 = &r.debrief[1];
    assert!(!t2.was_best);
    assert_eq!(
        t2.best_alternative.as_ref().map(|b| b.choice.as_str()),
        Some("who_covers")
    );
    assert_eq!(r.evidence_missed, ["date_committed", "contact"]);
}

#[test]
fn violation_fails_even_with_high_score() {
    let c = fixture();
    let r = play(
        &c,
        1,
        Setup::default(),
        &["intro", "yell", "who_covers", "fix_date"],
    )
    .result()
    .unwrap();
    assert!(r.scores.overall >= 70.0, "{:?}", r.scores);
    assert!(!r.passed);
    assert_eq!(r.violations.len(), 1);
    assert_eq!(
        (r.violations[0].rule, r.violations[0].turn),
        (Rule::LostTemper, 2)
    );
}

#[test]
fn major_violation_costs_fifteen_points() {
    let c = fixture();
    let clean = play(
        &c,
        1,
        Setup::default(),
        &["intro", "who_covers", "fix_date"],
    )
    .result()
    .unwrap();
    let r = play(&c, 1, Setup::default(), &["intro", "discount", "fix_date"])
        .result()
        .unwrap();
    assert_eq!(r.violations[0].severity, Severity::Major);
    assert!(
        r.scores.overall <= clean.scores.overall - 15.0,
        "{:?}",
        r.scores
    );
}

#[test]
fn mood_dependent_variant_wins_when_it_applies() {
    let c = fixture();
    let s = play(&c, 3, Setup::default(), &["intro", "yell"]);
    assert_eq!(s.last_line(), "That has to wait for the manager.");
}

#[test]
fn locked_choices_are_listed_with_a_reason_and_refused() {
    let c = fixture();
    let mut s = play(&c, 1, Setup::default(), &["intro"]);
    let choices = s.choices();
    let locked = choices
        .iter()
        .find(|c| c.id == "cite_statement")
        .expect("shown");
    assert!(!locked.available);
    assert_eq!(locked.number, None);
    assert_eq!(
        locked.locked_reason.as_deref(),
        Some("Not prepared: Statement")
    );
    assert!(
        !choices.iter().any(|c| c.id == "thanks_bye"),
        "hidden locked choice listed"
    );
    assert!(matches!(
        s.choose("cite_statement"),
        Err(PlayError::ChoiceLocked { .. })
    ));
    let err = s.choose("nope").unwrap_err();
    assert!(err.to_string().contains("who_covers"), "{err}");
}

#[test]
fn preparation_unlocks_lines_and_is_checked() {
    let c = fixture();
    let setup = Setup {
        prepared: vec!["statement".into()],
        trainee: None,
        truths: Vec::new(),
    };
    let s = play(&c, 1, setup, &["intro"]);
    assert!(
        s.choices()
            .iter()
            .any(|c| c.id == "cite_statement" && c.available)
    );
    let over = Setup {
        prepared: vec!["statement".into(), "notebook".into()],
        trainee: None,
        truths: Vec::new(),
    };
    assert!(matches!(
        Session::start(&c, 1, Locale::En, over),
        Err(PlayError::OverBudget {
            budget: 1,
            given: 2
        })
    ));
    let unknown = Setup {
        prepared: vec!["laptop".into()],
        trainee: None,
        truths: Vec::new(),
    };
    assert!(matches!(
        Session::start(&c, 1, Locale::En, unknown),
        Err(PlayError::UnknownPrep { .. })
    ));
}

#[test]
fn numbers_choose_among_available_options_in_the_order_shown() {
    let c = fixture();
    let (mut s, _) = Session::start(&c, 1, Locale::En, Setup::default()).unwrap();
    let first_shown = s
        .choices()
        .into_iter()
        .find(|v| v.number == Some(1))
        .unwrap();
    let mut same = s.clone();
    s.choose_number(1).unwrap();
    same.choose(&first_shown.id).unwrap();
    assert_eq!(s.node_id(), same.node_id());
    assert!(matches!(
        s.choose_number(9),
        Err(PlayError::NoSuchOption { number: 9, .. })
    ));
}

#[test]
fn patience_running_out_ends_the_call_and_revisits_change_the_line() {
    let c = fixture();
    let (mut s, _) = Session::start(
        &c,
        5,
        Locale::En,
        Setup {
            trainee: Some("Mei".into()),
            truths: Vec::new(),
            ..Setup::default()
        },
    )
    .unwrap();
    let events = s.choose("chat").unwrap();
    assert!(
        events.contains(&Event::DebtorSaid {
            node: "open".into(),
            text: "You again, Mei.".into()
        }),
        "{events:?}"
    );
    for _ in 0..2 {
        s.choose("chat").unwrap();
    }
    let events = s.choose("chat").unwrap();
    assert!(
        events.contains(&Event::CutShort { patience: true }),
        "{events:?}"
    );
    let r = s.result().expect("ended");
    assert_eq!((r.outcome, r.ending.as_str()), (Outcome::HungUp, "hangup"));
    assert!(matches!(s.choose("intro"), Err(PlayError::Ended)));
}

#[test]
fn same_seed_and_choices_give_identical_results() {
    let c = fixture();
    let run = |seed| {
        serde_json::to_string(
            &play(
                &c,
                seed,
                Setup::default(),
                &["chat", "intro", "who_covers", "fix_date"],
            )
            .result(),
        )
        .unwrap()
    };
    assert_eq!(run(42), run(42));
    let differs = (0..20).any(|seed| run(seed) != run(42));
    assert!(differs, "seeds never change the wording");
}

#[test]
fn score_does_not_depend_on_the_seed() {
    let c = fixture();
    let scores: Vec<_> = (0..10)
        .map(|seed| {
            play(&c, seed, Setup::default(), &["chat", "intro", "wait"])
                .result()
                .unwrap()
                .scores
        })
        .collect();
    assert!(scores.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn save_and_restore_continues_exactly() {
    let c = fixture();
    let full = play(
        &c,
        9,
        Setup::default(),
        &["chat", "intro", "who_covers", "fix_date"],
    )
    .result()
    .unwrap();
    let half = play(&c, 9, Setup::default(), &["chat", "intro"]);
    let json = serde_json::to_string(&half.save()).unwrap();
    let saved: SavedSession = serde_json::from_str(&json).unwrap();
    let mut resumed = Session::restore(&c, saved).unwrap();
    resumed.choose("who_covers").unwrap();
    resumed.choose("fix_date").unwrap();
    assert_eq!(
        serde_json::to_string(&resumed.result().unwrap()).unwrap(),
        serde_json::to_string(&full).unwrap()
    );
}

#[test]
fn restore_refuses_changed_content() {
    let c = fixture();
    let saved = play(&c, 1, Setup::default(), &["intro"]).save();
    let edited = library(&SCENARIO.replace("Busy lately?", "Keeping busy?"));
    let other = edited.scenario("test_call").unwrap();
    assert!(matches!(
        Session::restore(other, saved),
        Err(PlayError::StaleSave { .. })
    ));
}

#[test]
fn chinese_rendering_fills_variables_in_chinese() {
    let c = fixture();
    let (s, events) = Session::start(&c, 1, Locale::ZhCn, Setup::default()).unwrap();
    assert!(matches!(events.last(), Some(Event::DebtorSaid { .. })));
    let intro = s.choices().into_iter().find(|c| c.id == "intro").unwrap();
    assert_eq!(
        intro.text,
        "孙主管您好，我是华建管桩的小李，关于HT-1001、HT-1002的52,000.00元。"
    );
}

#[test]
fn unsupported_locale_is_refused() {
    let c = fixture();
    let zh_only =
        library(&SCENARIO.replace(r#"locales: ["zh-CN", "en"]"#, r#"locales: ["zh-CN"]"#));
    let zc = zh_only
        .scenario("test_call")
        .expect("still valid with one locale");
    assert!(matches!(
        Session::start(zc, 1, Locale::En, Setup::default()),
        Err(PlayError::UnsupportedLocale { .. })
    ));
    assert!(Session::start(&c, 1, Locale::En, Setup::default()).is_ok());
}

#[test]
fn the_order_shown_is_drawn_from_the_seed_and_repeats_with_it() {
    let a = shown_order(7, 3, 2, 6);
    assert_eq!(a, shown_order(7, 3, 2, 6), "same seed, turn and node");
    let mut sorted = a.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..6).collect::<Vec<_>>(), "a permutation");
    // Over many seeds every line is shown first now and then: no fixed place.
    let firsts: std::collections::BTreeSet<usize> =
        (0..200).map(|seed| shown_order(seed, 0, 0, 4)[0]).collect();
    assert_eq!(firsts.len(), 4, "{firsts:?}");
    // Another turn at the same node reorders too.
    assert!((0..50).any(|seed| shown_order(seed, 1, 0, 4) != shown_order(seed, 2, 0, 4)));
}

#[test]
fn numbers_follow_the_order_shown_and_survive_save_and_restore() {
    let c = fixture();
    let (s, _) = Session::start(&c, 11, Locale::En, Setup::default()).unwrap();
    let shown: Vec<String> = s.choices().into_iter().map(|v| v.id).collect();
    let restored = Session::restore(s.content(), s.save()).unwrap();
    let again: Vec<String> = restored.choices().into_iter().map(|v| v.id).collect();
    assert_eq!(shown, again);
    let numbers: Vec<Option<usize>> = s.choices().into_iter().map(|v| v.number).collect();
    let available = numbers.iter().filter(|n| n.is_some()).count();
    assert_eq!(
        numbers.iter().flatten().copied().collect::<Vec<_>>(),
        (1..=available).collect::<Vec<_>>(),
        "available lines are numbered 1..n top to bottom"
    );
}
