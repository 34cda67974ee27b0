//! Traditional Chinese (zh-TW), the third locale: the scenario translated through `strings
//! export`/`import` plays in it and scores as in zh-CN; content without it is served in zh-CN;
//! a `locales` entry without its texts is a located lint error.

use std::sync::Arc;

use dunning_dojo::domain::analysis::model_answer;
use dunning_dojo::domain::campaign::Desk;
use dunning_dojo::domain::content::model::{Node, cites_a_course};
use dunning_dojo::domain::engine::session::render_text;
use dunning_dojo::domain::engine::{AttemptResult, Compiled, Session, Setup, Speaker};
use dunning_dojo::domain::text::Locale;

use crate::support::{run, s, shipped, stderr, stdout};

/// The shipped scenario translated into zh-TW through the round trip.
const TRANSLATED: &str = "year_old_debt";
/// A shipped scenario with no zh-TW texts.
const UNTRANSLATED: &str = "courtesy_reminder";

/// The fixed inputs: the model answer, and the path of always taking the first choice shown
/// with nothing prepared (a weaker play, so the comparison covers lost points too).
fn inputs(c: &Arc<Compiled>) -> Vec<(Vec<String>, Vec<String>)> {
    let best = model_answer(c).expect("the scenario has a model answer");
    let (mut first, _) =
        Session::start(c, 3, Locale::ZhCn, Setup::default()).expect("starts in zh-CN");
    let mut ids = Vec::new();
    while !first.is_ended() {
        let id = first
            .choices()
            .into_iter()
            .find(|v| v.available)
            .expect("a conversation under way has a choice")
            .id;
        first.choose(&id).expect("an offered choice is taken");
        ids.push(id);
    }
    vec![(best.prepared, best.choices), (Vec::new(), ids)]
}

fn play(
    scenario: &str,
    lang: &str,
    prepared: &[String],
    choices: &[String],
) -> (AttemptResult, String) {
    let prepare = prepared.join(",");
    let choices = choices.join(",");
    let mut args = vec![
        "play",
        scenario,
        "--seed",
        "3",
        "--lang",
        lang,
        "--json",
        "--choices",
        &choices,
    ];
    if !prepare.is_empty() {
        args.extend(["--prepare", &prepare]);
    }
    let out = run(&args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let result = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not a result ({e}): {}", stdout(&out)));
    (result, stderr(&out))
}

/// What a translation must not change: everything scored.
fn scored(r: &AttemptResult) -> serde_json::Value {
    serde_json::json!({
        "outcome": r.outcome,
        "ending": r.ending,
        "passed": r.passed,
        "scores": r.scores,
        "violations": r.violations.iter().map(|v| (&v.choice, &v.rule)).collect::<Vec<_>>(),
        "evidence": r.evidence,
        "missed": r.evidence_missed,
        "truths": r.truths,
        "turns": r.turns,
        "choices": r.debrief.iter().map(|t| &t.choice).collect::<Vec<_>>(),
    })
}

/// Every text the transcript entry could be in `locale`: the node's line variants, its scene,
/// or the choice the trainee took, rendered as the session renders them.
fn candidates(
    c: &Compiled,
    locale: Locale,
    trainee: &str,
    node: &str,
    choice: Option<&str>,
) -> Vec<String> {
    let node = c
        .scenario
        .nodes
        .iter()
        .find(|n| n.id().as_str() == node)
        .unwrap_or_else(|| panic!("no node `{node}`"));
    let texts: Vec<_> = match (choice, node) {
        (Some(id), Node::Debtor(d)) => d
            .choices
            .iter()
            .filter(|ch| ch.id.as_str() == id)
            .map(|ch| &ch.text)
            .collect(),
        _ => node
            .lines()
            .iter()
            .map(|l| &l.text)
            .chain(node.scene())
            .collect(),
    };
    texts
        .into_iter()
        .map(|t| render_text(c, locale, trainee, t))
        .collect()
}

#[test]
fn the_translated_scenario_plays_in_zh_tw_and_scores_as_in_zh_cn() {
    let lib = shipped();
    let c = lib
        .scenario(TRANSLATED)
        .expect("the zh-TW sample is playable");
    assert!(
        c.scenario.locales.iter().any(|l| l == "zh-TW"),
        "{:?}",
        c.scenario.locales
    );
    for (prepared, choices) in inputs(c) {
        let (tw, note) = play(TRANSLATED, "zh-TW", &prepared, &choices);
        let (cn, _) = play(TRANSLATED, "zh-CN", &prepared, &choices);
        assert_eq!(tw.lang, "zh-TW");
        assert!(
            note.is_empty(),
            "no fallback note for a scenario in zh-TW: {note}"
        );
        assert_eq!(
            scored(&tw),
            scored(&cn),
            "a translation changed the score of {choices:?}"
        );
        assert_eq!(tw.transcript.len(), cn.transcript.len());
        for (t, z) in tw.transcript.iter().zip(&cn.transcript) {
            let choice = if t.speaker == Speaker::Trainee {
                t.choice.as_deref()
            } else {
                None
            };
            let want = candidates(c, Locale::ZhTw, &tw.trainee, &t.node, choice);
            assert!(
                want.contains(&t.text),
                "`{}` is not a zh-TW text of `{}`: {want:?}",
                t.text,
                t.node
            );
            assert_ne!(t.text, z.text, "the zh-TW line is the zh-CN one");
        }
    }
    // The terminal shows the Traditional lines too, and the amount said in Traditional script.
    let out = run(
        &[
            "play",
            TRANSLATED,
            "--lang",
            "zh-TW",
            "--choices",
            "open_identify,ask_how_settled",
        ],
        "",
    );
    let text = stdout(&out);
    assert!(text.contains("櫃檯猶豫了一下"), "{text}");
    assert!(text.contains("結清了最好，我這邊好核銷。"), "{text}");
}

#[test]
fn the_zh_tw_amount_is_said_in_traditional_script() {
    let lib = shipped();
    let c = lib.scenario(TRANSLATED).unwrap();
    let line = c
        .scenario
        .nodes
        .iter()
        .flat_map(|n| match n {
            Node::Debtor(d) => d.choices.iter().map(|ch| &ch.text).collect(),
            Node::Ending(_) => Vec::new(),
        })
        .find(|t| {
            t.get(Locale::ZhTw)
                .is_some_and(|s| s.contains("{amount_spoken}"))
        })
        .expect("a zh-TW choice says the amount");
    assert!(render_text(c, Locale::ZhTw, "林", line).contains("三十六萬五"));
    assert!(render_text(c, Locale::ZhCn, "林", line).contains("三十六万五"));
}

#[test]
fn a_zh_tw_text_cites_the_course_in_traditional_characters() {
    assert!(cites_a_course(
        "拿「報警」嚇唬對方，是催款策略課程 第四章 第三節禁止的威脅恐嚇"
    ));
    assert!(cites_a_course("結束時留下好印象（電話催款課程）"));
    assert!(!cites_a_course("結束時留下好印象"));
}

#[test]
fn a_scenario_without_zh_tw_plays_in_zh_cn_and_says_which_offer_it() {
    let lib = shipped();
    let c = lib.scenario(UNTRANSLATED).unwrap();
    assert!(!c.scenario.locales.iter().any(|l| l == "zh-TW"));
    let best = model_answer(c).unwrap();
    let (tw, note) = play(UNTRANSLATED, "zh-TW", &best.prepared, &best.choices);
    let (cn, _) = play(UNTRANSLATED, "zh-CN", &best.prepared, &best.choices);
    assert_eq!(tw.lang, "zh-CN", "played in zh-CN, and recorded so");
    assert_eq!(tw, cn, "the fallback is the zh-CN play itself");
    assert!(
        note.contains(&format!(
            "not written in zh-TW: scenario `{UNTRANSLATED}`; shown in zh-CN"
        )),
        "{note}"
    );
    assert!(
        note.contains(TRANSLATED),
        "the note names what is in zh-TW: {note}"
    );
    // English has no fallback: a language the scenario lacks is still refused, as before.
    assert_eq!(Locale::En.served_by(&["zh-CN".to_owned()]), None);
    // The game's rule: the chosen language, else its fallback, else the scenario's first.
    assert_eq!(Locale::ZhTw.closest_in(&c.scenario.locales), Locale::ZhCn);
    let translated = &lib.scenario(TRANSLATED).unwrap().scenario.locales;
    assert_eq!(Locale::ZhTw.closest_in(translated), Locale::ZhTw);
}

#[test]
fn quizzes_and_campaigns_without_zh_tw_are_served_in_zh_cn() {
    let args = ["quiz", "--print", "--count", "3", "--json", "--lang"];
    let tw = run(&[&args[..], &["zh-TW"]].concat(), "");
    let cn = run(&[&args[..], &["zh-CN"]].concat(), "");
    assert!(tw.status.success(), "{}", stderr(&tw));
    assert_eq!(stdout(&tw), stdout(&cn), "the same quiz, in zh-CN");
    assert!(
        stdout(&tw).contains("\"lang\": \"zh-CN\""),
        "{}",
        stdout(&tw)
    );
    assert!(
        stderr(&tw).contains("not written in zh-TW: quiz bank `"),
        "{}",
        stderr(&tw)
    );
    let lib = shipped();
    assert_eq!(lib.quiz_banks_in(Locale::ZhTw).len(), lib.quiz_banks.len());
    let desk = Desk::new(&lib, "first_month_desk", 1, Locale::ZhTw, "林").expect("opens in zh-TW");
    assert_eq!(desk.locale(), Locale::ZhCn);
    let out = run(
        &["campaign", "sim", "first_month_desk", "--lang", "zh-TW"],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not written in zh-TW: campaign `first_month_desk`; shown in zh-CN"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_zh_tw_locale_without_zh_tw_texts_is_a_located_lint_error() {
    let dir = tempfile::tempdir().unwrap();
    let base = crate::support::fixture("base");
    let scenario = std::fs::read_to_string(base.join("scenario.ron"))
        .unwrap()
        .replace(
            r#"locales: ["zh-CN", "en"]"#,
            r#"locales: ["zh-CN", "en", "zh-TW"]"#,
        );
    std::fs::write(dir.path().join("scenario.ron"), scenario).unwrap();
    std::fs::copy(base.join("persona.ron"), dir.path().join("persona.ron")).unwrap();
    let out = run(&["lint", s(dir.path())], "");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let at = |file: &str, lc: &str| {
        format!(
            "{}:{lc}: error[DD0301]: this text has no `zh-TW` version",
            s(&dir.path().join(file))
        )
    };
    assert!(
        text.contains(&at("scenario.ron", "4:12")),
        "the title: {text}"
    );
    assert!(
        text.contains(&format!(
            "{} (required by scenario `test_call`)",
            at("persona.ron", "4:11")
        )),
        "the persona's name: {text}"
    );
    assert!(
        text.contains(r#"help: add "zh-TW": "…" to the map"#),
        "{text}"
    );
}

#[test]
fn the_zh_tw_sample_is_recorded_by_the_import_and_nothing_is_stale() {
    let out = run(&["strings", "coverage"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("zh-TW"))
        .unwrap_or_else(|| panic!("no zh-TW row: {text}"))
        .split_whitespace()
        .collect();
    let translated: usize = row[2].parse().unwrap();
    assert!(translated > 300, "{text}");
    assert_eq!(row[4], "0", "stale zh-TW translations: {text}");
    let record =
        std::fs::read_to_string(crate::support::dialogues().join(".translations/zh-TW.json"))
            .expect("the import kept its record");
    assert!(record.contains(&format!("scenarios/{TRANSLATED}.ron#title")));
}
