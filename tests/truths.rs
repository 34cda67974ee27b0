//! Drawn truths, preparation in the score and the answer-leak audit, through the binary.

use serde_json::Value;

use crate::support::{fixture, run, s, stderr, stdout};

fn truths() -> String {
    s(&fixture("truths")).to_owned()
}

fn play_json(extra: &[&str]) -> Value {
    let content = truths();
    let mut args = vec![
        "--content",
        content.as_str(),
        "play",
        "truth_call",
        "--json",
        "--lang",
        "en",
    ];
    args.extend_from_slice(extra);
    let out = run(&args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON result")
}

#[test]
fn the_seed_draws_each_truth_in_some_plays_and_the_debrief_reveals_it() {
    let mut seen = std::collections::BTreeMap::new();
    for seed in 1..=24 {
        let seed = seed.to_string();
        // The first line is the same whatever is true; the result says what was.
        let v = play_json(&["--seed", &seed, "--choices", "ask_details,wait_and_see"]);
        let drawn = &v["drawn"][0];
        assert_eq!(drawn["id"], "money");
        let variant = drawn["variant"].as_str().unwrap().to_owned();
        assert!(!drawn["text"].as_str().unwrap().is_empty());
        *seen.entry(variant).or_insert(0) += 1;
    }
    assert_eq!(seen.len(), 2, "both variants are drawn: {seen:?}");
    // The weights are 1 : 2.
    assert!(seen["never_sent"] > seen["really_sent"], "{seen:?}");
}

#[test]
fn each_truth_has_its_own_golden_path() {
    let sent = play_json(&[
        "--truth",
        "really_sent",
        "--prepare",
        "bank_record",
        "--choices",
        "ask_bank,slip_sent",
    ]);
    assert_eq!(sent["outcome"], "paid");
    assert_eq!(sent["passed"], true);
    assert_eq!(sent["scores"]["overall"], 100.0);
    let unsent = play_json(&[
        "--truth",
        "never_sent",
        "--prepare",
        "bank_record",
        "--choices",
        "ask_bank,slip_unsent,fix_date",
    ]);
    assert_eq!(unsent["outcome"], "verbal_promise");
    assert_eq!(unsent["passed"], true);
    assert_eq!(unsent["drawn"][0]["variant"], "never_sent");
    // A line that belongs to the other truth is not on offer.
    let out = run(
        &[
            "--content",
            &truths(),
            "play",
            "truth_call",
            "--truth",
            "never_sent",
            "--choices",
            "ask_details,slip_sent",
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("slip_sent"), "{}", stderr(&out));
}

#[test]
fn an_unknown_truth_is_refused_with_the_variants() {
    let out = run(
        &[
            "--content",
            &truths(),
            "play",
            "truth_call",
            "--truth",
            "maybe",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("really_sent, never_sent"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sim_covers_every_truth() {
    let out = run(
        &["--content", &truths(), "sim", "truth_call", "--model"],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("model answer when really_sent"), "{text}");
    assert!(text.contains("model answer when never_sent"), "{text}");
    let out = run(
        &["--content", &truths(), "sim", "truth_call", "--exhaustive"],
        "",
    );
    let text = stdout(&out);
    // `paid` is reached only when the money was sent, the promise only when it was not.
    assert!(text.contains("  paid "), "{text}");
    assert!(text.contains("  verbal_promise "), "{text}");
    assert!(text.contains("2 way(s) the truths fall"), "{text}");
}

#[test]
fn skipping_preparation_costs_tone_and_persistence_not_only_evidence() {
    let prepared = play_json(&[
        "--truth",
        "really_sent",
        "--prepare",
        "bank_record",
        "--choices",
        "ask_bank,slip_sent",
    ]);
    let bare = play_json(&[
        "--truth",
        "really_sent",
        "--choices",
        "ask_details,slip_sent",
    ]);
    // Without the record the stronger line was out of reach, and the turn is measured
    // against it.
    let p = |v: &Value| v["scores"]["persistence"].as_f64().unwrap();
    assert!(p(&bare) < p(&prepared), "{} vs {}", p(&bare), p(&prepared));
    let first = &bare["debrief"][0];
    assert_eq!(first["was_best"], false);
    assert_eq!(first["best_alternative"]["choice"], "ask_bank");
    assert!(
        first["best_alternative"]["locked_reason"]
            .as_str()
            .unwrap()
            .contains("Their usual paying account"),
        "{first}"
    );
}

#[test]
fn the_audit_fails_a_scenario_built_to_leak_its_answer() {
    // The base fixture's best line is always the longest.
    let out = run(
        &[
            "--content",
            s(&fixture("base")),
            "audit",
            "--plays",
            "50",
            "--json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["scenarios"][0]["best_longest_zh"], 1.0);
    assert_eq!(v["totals"]["longest_zh"]["passes"], 50);
    let failures = v["failures"].as_array().unwrap();
    assert!(
        failures
            .iter()
            .any(|f| f.as_str().unwrap().starts_with("longest_zh passes 100.0%")),
        "{failures:?}"
    );
    // The text report says so too.
    let text = stdout(&run(
        &["--content", s(&fixture("base")), "audit", "--plays", "50"],
        "",
    ));
    assert!(text.contains("audit FAILED"), "{text}");
}

#[test]
fn the_audit_is_deterministic_and_counts_every_truth() {
    let args = ["--content", &truths(), "audit", "--plays", "40", "--json"];
    let a = stdout(&run(&args, ""));
    assert_eq!(a, stdout(&run(&args, "")));
    let v: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["scenarios"][0]["truth_combinations"], 2);
    assert!(v["scenarios"][0]["preparation_cost"].as_f64().unwrap() > 0.0);
    assert_eq!(v["totals"]["aggressive"]["passes"], 0);
}
