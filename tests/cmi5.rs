//! cmi5 launches through the binary: a fake LMS (tests/cmi5_lms.rs) in front of a real LRS
//! (ralph, tests/lrs_support.rs); the statements are read back from ralph. Also the course
//! structure, checked against cmi5's own XSD with xmllint.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::cmi5_lms::{FakeLms, PUBLISHER_AU, Setup, actor};
use crate::lrs_support::{KEY, Ralph, SECRET};
use crate::support::{fixture, run, s, stderr, stdout, verb_of};

const AU: &str = "https://lms.example.com/activities/au-7";
const CMI5: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
const MOVEON: &str = "https://w3id.org/xapi/cmi5/context/categories/moveon";
const SESSION: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
const MASTERY: &str = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";

fn base() -> String {
    s(&fixture("base")).to_owned()
}

/// `launch URL` with the fixture content, a results file in `dir`, and `extra` flags.
fn launch(dir: &Path, url: &str, extra: &[&str]) -> Output {
    let (db, content) = (dir.join("results.sqlite"), base());
    let mut args = vec!["--content", &content, "--db", s(&db), "launch", url];
    args.extend_from_slice(extra);
    run(&args, "")
}

fn setup<'a>(registration: &'a str, session: &'a str, mastery: Option<f64>) -> Setup<'a> {
    Setup {
        au: "dunningdojo://play/test_call",
        registration,
        activity_id: AU,
        session,
        launch_mode: "Normal",
        mastery,
        language: None,
    }
}

/// Every statement ralph holds of `registration`, oldest first (by timestamp, then as
/// stored: a batch shares its stored time).
fn statements_of(ralph: &Ralph, registration: &str) -> Vec<Value> {
    let mut all = ralph
        .client()
        .statements(&[("registration", registration), ("ascending", "true")])
        .expect("ralph lists statements");
    let time = |s: &Value, key: &str| {
        s[key]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
    };
    all.sort_by_key(|s| (time(s, "timestamp"), time(s, "stored")));
    all
}

/// ralph, the fake LMS in front of it, and a results folder.
struct Bench {
    ralph: Ralph,
    lms: FakeLms,
    dir: tempfile::TempDir,
}

impl Bench {
    /// `None` (said) when ralph is not installed and not required.
    fn start() -> Option<Bench> {
        let ralph = Ralph::start()?;
        let lms = FakeLms::start(ralph.port, &format!("{KEY}:{SECRET}"));
        Some(Bench {
            ralph,
            lms,
            dir: tempfile::tempdir().unwrap(),
        })
    }

    /// Launches `setup` with `flags`, which must succeed; returns the output and every
    /// statement of the registration.
    fn play(&self, setup: &Setup<'_>, flags: &[&str]) -> (Output, Vec<Value>) {
        let url = self.lms.launch(setup, true);
        let out = launch(self.dir.path(), &url, flags);
        assert!(
            out.status.success(),
            "{}\n{}\nralph: {}",
            stdout(&out),
            stderr(&out),
            self.ralph.log()
        );
        (out, statements_of(&self.ralph, setup.registration))
    }
}

fn verbs(statements: &[Value]) -> Vec<String> {
    statements.iter().map(verb_of).collect()
}

fn categories(s: &Value) -> Vec<String> {
    s["context"]["contextActivities"]["category"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|a| a["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What every statement of a launch session must carry, cmi5 defined or allowed.
fn check_session(statements: &[Value], registration: &str, session: &str) {
    for s in statements {
        let v = verb_of(s);
        assert_eq!(s["actor"], actor(), "{v}: the LMS's actor");
        assert_eq!(s["context"]["registration"], registration, "{v}");
        assert_eq!(s["context"]["extensions"][SESSION], session, "{v}");
        assert_eq!(
            s["context"]["contextActivities"]["grouping"][0]["id"], PUBLISHER_AU,
            "{v}: the context template's publisher id"
        );
        let cats = categories(s);
        if v == "answered" {
            assert!(cats.is_empty(), "answered is cmi5 allowed: {cats:?}");
            assert_eq!(s["context"]["contextActivities"]["parent"][0]["id"], AU);
            assert_ne!(s["object"]["id"], AU);
        } else {
            assert_eq!(s["object"]["id"], AU, "{v}: the AU is the object");
            assert_eq!(cats[0], CMI5, "{v}");
            let judged =
                s["result"].get("success").is_some() || s["result"].get("completion").is_some();
            assert_eq!(cats.contains(&MOVEON.to_owned()), judged, "{v}: {cats:?}");
        }
        let scored = s["result"].get("score").is_some();
        assert!(!scored || v == "passed" || v == "failed", "{v} has a score");
    }
}

#[test]
fn a_launch_sends_the_cmi5_sequence_and_a_relaunch_after_a_pass_adds_no_verdict() {
    let Some(b) = Bench::start() else {
        return;
    };
    let reg = "760e3480-ba55-4991-94b0-01820dbd23a2";
    let first = setup(reg, "session-1", Some(0.8));
    let (out, stored) = b.play(&first, &["--choices", "intro,who_covers,fix_date"]);
    let text = stdout(&out);
    assert!(
        text.contains("The LMS got: 3 answer(s), completed, passed"),
        "{text}"
    );
    assert!(text.contains("Back to your course: https://lms.example.com/course/7"));
    assert!(
        stderr(&out).contains("saved as attempt 1"),
        "{}",
        stderr(&out)
    );
    let all_seven = [
        "initialized",
        "answered",
        "answered",
        "answered",
        "completed",
        "passed",
        "terminated",
    ];
    assert_eq!(verbs(&stored), all_seven);
    check_session(&stored, reg, "session-1");
    let passed = &stored[5];
    assert_eq!(passed["result"]["score"]["scaled"], 1.0);
    assert_eq!(passed["result"]["success"], true);
    assert_eq!(passed["context"]["extensions"][MASTERY], 0.8);
    assert!(
        stored[6]["result"]["duration"]
            .as_str()
            .unwrap()
            .starts_with("PT")
    );
    assert_eq!(stored[4]["result"]["completion"], true);
    assert_eq!(stored[1]["result"]["response"], "intro");
    if let Some(path) = std::env::var_os("DOJO_CMI5_SEQUENCE_OUT") {
        std::fs::write(path, serde_json::to_string_pretty(&stored).unwrap()).unwrap();
    }

    // A fetch URL answers once: a launch used a second time gets cmi5's error and sends
    // nothing (the first use, after the pass, sends its session and turns).
    let used = b.lms.launch(&setup(reg, "session-1b", Some(0.8)), true);
    let once = launch(
        b.dir.path(),
        &used,
        &["--choices", "intro,who_covers,fix_date"],
    );
    assert!(once.status.success(), "{}", stderr(&once));
    let again = launch(
        b.dir.path(),
        &used,
        &["--choices", "intro,who_covers,fix_date"],
    );
    assert_eq!(again.status.code(), Some(1), "{}", stdout(&again));
    assert!(
        stderr(&again).contains("CMI5-03 the LMS refused the launch token (error \"1\")"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        statements_of(&b.ralph, reg).len(),
        7 + 5,
        "the used URL sent nothing"
    );

    // Launches in the same registration after the pass: a failed play sends its turns but no
    // second completed and no failed.
    let (out, all) = b.play(
        &setup(reg, "session-2", Some(0.8)),
        &["--choices", "intro,wait"],
    );
    let text = stdout(&out);
    assert!(text.contains("The LMS got: 2 answer(s)\n"), "{text}");
    for (verb, why) in [
        (
            "completed",
            "the LMS already has this course unit completed in your registration",
        ),
        (
            "failed",
            "the LMS already has this course unit passed in your registration, and a pass stands",
        ),
    ] {
        assert!(
            text.contains(&format!("Not sent to the LMS: {verb} ({why})")),
            "{text}"
        );
    }
    let later: Vec<Value> = all
        .iter()
        .filter(|s| s["context"]["extensions"][SESSION] == "session-2")
        .cloned()
        .collect();
    assert_eq!(
        verbs(&later),
        ["initialized", "answered", "answered", "terminated"]
    );
    check_session(&later, reg, "session-2");
    let count = |verb: &str| verbs(&all).iter().filter(|v| *v == verb).count();
    assert_eq!(
        (count("passed"), count("completed"), count("failed")),
        (1, 1, 0)
    );
    assert_eq!(b.lms.fetches(), 4);
}

#[test]
fn the_mastery_score_decides_and_a_blocker_still_fails() {
    let Some(b) = Bench::start() else {
        return;
    };
    // (registration, mastery, choices, verdict, scaled score sent): 69.2 fails the scenario's
    // pass mark of 70 but reaches 0.6; 91.6 passes the mark but not 0.95; 83.3 with a blocker
    // fails whatever the mastery score, and then without a score.
    let cases = [
        (
            "11111111-1111-4111-8111-111111111111",
            0.6,
            "intro,who_covers,thanks_bye",
            "passed",
            Some(0.692),
        ),
        (
            "22222222-2222-4222-8222-222222222222",
            0.95,
            "chat,intro,who_covers,fix_date",
            "failed",
            Some(0.916),
        ),
        (
            "33333333-3333-4333-8333-333333333333",
            0.8,
            "intro,yell,who_covers,fix_date",
            "failed",
            None,
        ),
    ];
    for (reg, mastery, choices, verdict, scaled) in cases {
        let (_, stored) = b.play(&setup(reg, "s", Some(mastery)), &["--choices", choices]);
        check_session(&stored, reg, "s");
        let judged: Vec<&Value> = stored
            .iter()
            .filter(|s| matches!(verb_of(s).as_str(), "passed" | "failed"))
            .collect();
        assert_eq!(judged.len(), 1, "{reg}: {:?}", verbs(&stored));
        assert_eq!(verb_of(judged[0]), verdict, "{reg}");
        assert_eq!(
            judged[0]["context"]["extensions"][MASTERY], mastery,
            "{reg}"
        );
        // The score as sent is the overall score over 100, in floating point (69.2 / 100).
        let sent = judged[0]["result"]["score"]["scaled"].as_f64();
        match (sent, scaled) {
            (Some(sent), Some(want)) => assert!((sent - want).abs() < 1e-9, "{reg}: {sent}"),
            (sent, want) => assert_eq!(sent, want, "{reg}"),
        }
    }
}

#[test]
fn browse_mode_sends_only_the_session_and_the_turns_in_the_learners_language() {
    let Some(b) = Bench::start() else {
        return;
    };
    let reg = "44444444-4444-4444-8444-444444444444";
    let browse = Setup {
        launch_mode: "Browse",
        language: Some("fr-FR,en-US"),
        ..setup(reg, "b-1", None)
    };
    let (out, stored) = b.play(&browse, &["--choices", "intro,who_covers,fix_date"]);
    assert!(
        stdout(&out).contains("Not sent to the LMS: passed (the LMS launched this in Browse mode, which records no result)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        verbs(&stored),
        [
            "initialized",
            "answered",
            "answered",
            "answered",
            "terminated"
        ]
    );
    check_session(&stored, reg, "b-1");
    // The LMS keeps English as the learner's first language the game has.
    assert!(
        stdout(&out).contains("[You] Ms Sun, this is Li Lei from Huajian Piles"),
        "{}",
        stdout(&out)
    );
    assert!(stored.iter().all(|s| s["context"]["language"] == "en"));
}

#[test]
fn a_quiz_launch_sends_its_verdict_by_the_mastery_score() {
    let Some(b) = Bench::start() else {
        return;
    };
    let reg = "55555555-5555-4555-8555-555555555555";
    // The quiz is drawn with the seed the session id gives: print it to answer it.
    let code = format!("3-{}", dunning_dojo::cmi5::seed_of("q-1"));
    let printed = run(
        &[
            "--content",
            &base(),
            "quiz",
            "--code",
            &code,
            "--print",
            "--json",
        ],
        "",
    );
    let layout: Value = serde_json::from_str(&stdout(&printed)).unwrap();
    let answers: Vec<String> = layout["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| match q["kind"].as_str().unwrap() {
            "true_false" => "T".to_owned(),
            "order" => (0..q["options"].as_array().unwrap().len())
                .map(|i| char::from(b'A' + i as u8))
                .collect(),
            _ => "A".to_owned(),
        })
        .collect();
    let quiz = Setup {
        au: "dunningdojo://quiz/test_bank?count=3",
        ..setup(reg, "q-1", Some(0.5))
    };
    let (_, stored) = b.play(&quiz, &["--answers", &answers.join(",")]);
    let v = verbs(&stored);
    assert_eq!(
        v[..5],
        [
            "initialized",
            "answered",
            "answered",
            "answered",
            "completed"
        ]
    );
    assert_eq!(v[6], "terminated");
    check_session(&stored, reg, "q-1");
    let judged = &stored[5];
    let scaled = judged["result"]["score"]["scaled"].as_f64().unwrap();
    assert_eq!(
        verb_of(judged),
        if scaled >= 0.5 { "passed" } else { "failed" }
    );
    assert_eq!(
        stored[0]["context"]["contextActivities"]["other"][0]["id"],
        format!("https://dunning-dojo.invalid/xapi/quizzes/{code}")
    );
}

#[test]
fn an_lrs_that_stops_answering_is_told_and_the_attempt_is_kept() {
    let Some(Bench { ralph, lms, dir }) = Bench::start() else {
        return;
    };
    let reg = "66666666-6666-4666-8666-666666666666";
    let url = lms.launch(&setup(reg, "d-1", None), true);
    // `initialized` goes through; everything after it meets a 503.
    lms.fail_statements_after(1);
    let out = launch(
        dir.path(),
        &url,
        &["--choices", "intro,who_covers,fix_date"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("saved as attempt 1"), "{err}");
    assert!(
        err.contains("CMI5-06 the LMS did NOT get answered, completed, passed from this launch"),
        "{err}"
    );
    assert!(err.contains("did not answer after 4 tries"), "{err}");
    assert!(
        err.contains("Your result is saved on this computer: tell your trainer"),
        "{err}"
    );
    assert_eq!(verbs(&statements_of(&ralph, reg)), ["initialized"]);
    let posts = lms
        .seen()
        .iter()
        .filter(|r| *r == "POST /xAPI/statements")
        .count();
    // initialized, then four tries of the result and four of the result with terminated.
    assert_eq!(posts, 9, "{:?}", lms.seen());
    let csv = run(
        &[
            "--db",
            s(&dir.path().join("results.sqlite")),
            "report",
            "csv",
        ],
        "",
    );
    assert!(stdout(&csv).contains("test_call"), "{}", stdout(&csv));
}

#[test]
fn launch_problems_are_told_before_the_lms_is_asked() {
    let lms = FakeLms::start(0, "k:s");
    let dir = tempfile::tempdir().unwrap();
    let reg = "77777777-7777-4777-8777-777777777777";
    let good = lms.launch(&setup(reg, "p-1", None), true);
    let cases = [
        (
            good.replace("&registration=", "&x="),
            "CMI5-01 the launch URL has no `registration`",
        ),
        (
            good.replace("play/test_call", "play/no_such"),
            "CMI5-02 the course launches scenario `no_such`",
        ),
        (
            good.replace("dunningdojo:", "https:"),
            "CMI5-01 the launch URL starts with `https:`",
        ),
    ];
    for (url, want) in cases {
        let out = launch(dir.path(), &url, &["--choices", "intro"]);
        assert_eq!(out.status.code(), Some(2), "{url}");
        assert!(stderr(&out).contains(want), "{}", stderr(&out));
    }
    let quiz_flags = launch(dir.path(), &good, &["--answers", "A"]);
    assert!(
        stderr(&quiz_flags).contains("--answers is for a quiz"),
        "{}",
        stderr(&quiz_flags)
    );
    assert_eq!(
        lms.fetches(),
        0,
        "a bad launch must not spend the one-time token"
    );

    // The LMS that wrote no launch data: cmi5 requires it.
    let bare = lms.launch(
        &setup("88888888-8888-4888-8888-888888888888", "p-2", None),
        false,
    );
    let out = launch(
        dir.path(),
        &bare,
        &["--choices", "intro,who_covers,fix_date"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("CMI5-04 the LMS has no LMS.LaunchData document for this launch"),
        "{}",
        stderr(&out)
    );
    assert_eq!(lms.fetches(), 1);
}

/// xmllint, or `None` (said) when it is not installed and not required.
fn xmllint() -> Option<&'static str> {
    let found = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("xmllint");
    }
    let required = ["CI", "DOJO_REQUIRE_XMLLINT"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|v| !v.is_empty() && v != "0"));
    assert!(
        !required,
        "xmllint is not installed (apt-get install libxml2-utils)"
    );
    eprintln!(
        "course structure schema check skipped: xmllint is not installed (apt-get install libxml2-utils)"
    );
    None
}

#[test]
fn the_course_structure_is_valid_cmi5_with_one_au_per_scenario_and_the_quiz() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("course.xml");
    let out = run(
        &[
            "cmi5-course",
            "-o",
            s(&file),
            "--iri-base",
            "https://lms.example.com/dojo",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let xml = std::fs::read_to_string(&file).unwrap();
    let lib = crate::support::shipped();
    let aus = xml.matches("<au ").count();
    assert_eq!(aus, lib.scenarios.len() + 1, "{}", stdout(&out));
    for (id, p) in &lib.scenarios {
        let mastery = format!(
            "masteryScore=\"{}\"",
            f64::from(p.compiled.scenario.scoring.pass_mark) / 100.0
        );
        let au = format!(
            "<au id=\"https://lms.example.com/dojo/au/scenarios/{id}\" launchMethod=\"OwnWindow\" moveOn=\"CompletedAndPassed\" {mastery}>"
        );
        assert!(xml.contains(&au), "{au}");
        assert!(
            xml.contains(&format!("<url>dunningdojo://play/{id}</url>")),
            "{id}"
        );
    }
    assert!(xml.contains("<url>dunningdojo://quiz/all?count=10</url>"));
    assert_eq!(
        xml.matches("<langstring lang=\"en\">").count(),
        2 * (aus + 1)
    );
    assert_eq!(
        xml.matches("<langstring lang=\"zh-CN\">").count(),
        2 * (aus + 1)
    );
    let bad = run(&["cmi5-course", "-o", s(&file), "--iri-base", "lms"], "");
    assert_eq!(bad.status.code(), Some(2));
    let Some(lint) = xmllint() else {
        return;
    };
    let xsd = fixture("cmi5/CourseStructure.xsd");
    let checked = std::process::Command::new(lint)
        .args(["--noout", "--schema", s(&xsd), s(&file)])
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    // The validator does catch a broken file.
    std::fs::write(
        &file,
        xml.replace("moveOn=\"CompletedAndPassed\"", "moveOn=\"Done\""),
    )
    .unwrap();
    let broken = std::process::Command::new(lint)
        .args(["--noout", "--schema", s(&xsd), s(&file)])
        .output()
        .unwrap();
    assert!(!broken.status.success());
}

#[test]
fn the_link_handler_opens_dunningdojo_links_with_launch() {
    let file = crate::support::root().join("assets/linux/dunningdojo.desktop");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let scheme = dunning_dojo::cmi5::SCHEME;
    assert!(
        lines.contains(&format!("MimeType=x-scheme-handler/{scheme};").as_str()),
        "{text}"
    );
    assert!(lines.contains(&"Exec=dunning-dojo launch %u"), "{text}");
    let help = run(&["launch", "--help"], "");
    assert!(help.status.success(), "{}", stderr(&help));
    let validated = std::process::Command::new("desktop-file-validate")
        .arg(&file)
        .output();
    match validated {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout)),
        Err(e) => {
            eprintln!("desktop-file-validate not run ({e}): apt-get install desktop-file-utils")
        }
    }
}
