//! The results database and the trainer's exports: round trips, the CLI recording plays and
//! quizzes, CSV escaping, xAPI statements read by a third-party library, the HTML report, and
//! a writer killed mid-write many times.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use dunning_dojo::domain::analysis::model_answer;
use dunning_dojo::domain::engine::{AttemptResult, Session, Setup};
use dunning_dojo::domain::library::Library;
use dunning_dojo::domain::mode::Mode;
use dunning_dojo::domain::text::Locale;
use dunning_dojo::report::{ReportData, Titles, csv, html, xapi};
use dunning_dojo::store::{AttemptFilter, NewAttempt, Store};

use crate::support::{fixture, root, run, s, shipped, stderr, stdout, verb_of};

const SCENARIO: &str = "big_company_approval_chain";

/// Plays `id` with `seed`, taking the model answer (`best`) or the `k`-th open choice by a
/// simple rule, and returns the result.
fn play(lib: &Library, id: &str, seed: u64, best: bool) -> AttemptResult {
    let c = lib.scenario(id).expect("the scenario is shipped");
    let model = model_answer(c).expect("a model answer");
    let setup = Setup {
        prepared: if best { model.prepared.clone() } else { vec![] },
        trainee: None,
        truths: model.truths.clone(),
    };
    let (mut session, _) = Session::start(c, seed, Locale::ZhCn, setup).expect("starts");
    let mut turn = 0usize;
    while !session.is_ended() {
        if best {
            session.choose(&model.choices[turn]).expect("model choice");
        } else {
            let open: Vec<usize> = session.choices().iter().filter_map(|v| v.number).collect();
            let n = open[(seed as usize + turn * 7) % open.len()];
            session.choose_number(n).expect("open choice");
        }
        turn += 1;
    }
    session.result().expect("ended")
}

/// A result that broke a conduct rule.
fn violating(lib: &Library, id: &str) -> AttemptResult {
    (0..500)
        .map(|seed| play(lib, id, seed, false))
        .find(|r| !r.violations.is_empty())
        .expect("some path through the scenario breaks a rule")
}

fn attempt<'a>(
    result: &'a AttemptResult,
    trainee: &'a str,
    team: Option<i64>,
    round: Option<i64>,
) -> NewAttempt<'a> {
    let t0: jiff::Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
    NewAttempt {
        trainee,
        team,
        round,
        persona: "sun_jianhua",
        channel: "phone",
        mode: Mode::Exam,
        started_at: t0,
        ended_at: t0 + jiff::SignedDuration::from_millis(83_250),
        turn_times: &[],
        result,
    }
}

/// A classroom: two teams (one with hostile names), two rounds, five attempts (also sent to an
/// LRS in `lrs`).
pub(crate) fn classroom(dir: &std::path::Path) -> (Store, i64) {
    let lib = shipped();
    let best = play(&lib, SCENARIO, 3, true);
    let weak = play(&lib, SCENARIO, 3, false);
    let bad = violating(&lib, SCENARIO);
    let mut store = Store::open(&dir.join("results.sqlite")).unwrap();
    let session = store.create_session("华东区新人培训 · 11月").unwrap();
    let tigers = store
        .add_team(
            Some(session),
            "猛虎队",
            Some("王芳"),
            &["李雷".into(), "韩梅梅".into()],
        )
        .unwrap();
    let hostile = store
        .add_team(
            Some(session),
            "=HYPERLINK(\"http://x\")<script>",
            Some("@admin"),
            &["-5+3".into()],
        )
        .unwrap();
    let r1 = store
        .start_round(session, 3, &[SCENARIO.to_owned()])
        .unwrap();
    store
        .record_attempt(&attempt(&weak, "王芳", Some(tigers), Some(r1.id)))
        .unwrap();
    store
        .record_attempt(&attempt(&bad, "-5+3", Some(hostile), Some(r1.id)))
        .unwrap();
    let r2 = store
        .start_round(session, 3, &[SCENARIO.to_owned()])
        .unwrap();
    store
        .record_attempt(&attempt(&best, "李雷", Some(tigers), Some(r2.id)))
        .unwrap();
    store
        .record_attempt(&attempt(&weak, "@admin", Some(hostile), Some(r2.id)))
        .unwrap();
    // Outside the classroom.
    store
        .record_attempt(&attempt(&best, "王芳", None, None))
        .unwrap();
    (store, session)
}

#[test]
fn an_attempt_reads_back_exactly_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = classroom(dir.path());
    let before = store.attempts(&AttemptFilter::default()).unwrap();
    drop(store);
    let store = Store::open(&dir.path().join("results.sqlite")).unwrap();
    let after = store.attempts(&AttemptFilter::default()).unwrap();
    assert_eq!(before, after);
    assert_eq!(after.len(), 5);
    let first = &after[0];
    assert_eq!(first.trainee, "王芳");
    assert_eq!(first.team.as_deref(), Some("猛虎队"));
    assert_eq!(first.session, Some(session));
    assert_eq!(first.round, Some(1));
    assert_eq!(first.mode, Mode::Exam);
    assert_eq!(first.duration_ms, 83_250);
    assert_eq!(first.started_at, "2026-11-20T09:00:00.000Z");
    assert!(!first.result.transcript.is_empty());
    assert!(
        store
            .verify_attempts()
            .unwrap()
            .iter()
            .all(|(_, _, ok)| *ok)
    );
    assert_eq!(store.integrity_check().unwrap(), vec!["ok"]);
    let wang = store
        .attempts(&AttemptFilter {
            session: None,
            trainee: Some("王芳"),
        })
        .unwrap();
    assert_eq!(wang.len(), 2);
    let best = store.best_scores("王芳").unwrap();
    assert_eq!(best.len(), 1);
    assert_eq!(
        best[0].1,
        wang[1]
            .result
            .scores
            .overall
            .max(wang[0].result.scores.overall)
    );
    // The choices are kept row by row too.
    let in_session = store
        .attempts(&AttemptFilter {
            session: Some(session),
            trainee: None,
        })
        .unwrap();
    assert_eq!(in_session.len(), 4);
}

#[test]
fn an_attempt_stored_before_the_course_rename_still_reads() {
    // Written by the program when a debrief turn's course document was called `seed`.
    let old = std::fs::read_to_string(fixture("stored/attempt_before_course_rename.json")).unwrap();
    assert!(
        old.contains("\"seed\": \"001\""),
        "the fixture lost its old key"
    );
    let result: AttemptResult = serde_json::from_str(&old).expect("the old record reads");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite");
    let mut store = Store::open(&db).unwrap();
    let id = store
        .record_attempt(&attempt(&result, "王芳", None, None))
        .unwrap()
        .id;
    drop(store);
    // Put the old text back in the row, with its checksum, as the old program stored it.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE attempts SET result = ?1, checksum = ?2 WHERE id = ?3",
            rusqlite::params![&old, dunning_dojo::store::checksum(&old), id],
        )
        .unwrap();
    let store = Store::open(&db).unwrap();
    let read = store.attempt(id).unwrap().expect("the old row reads");
    assert_eq!(read.result.seed, 3);
    let courses: Vec<Option<&str>> = read
        .result
        .debrief
        .iter()
        .map(|t| t.course.as_deref())
        .collect();
    assert_eq!(courses, [Some("001"), Some("001"), Some("002")]);
    let sum = dunning_dojo::store::checksum(&old);
    assert_eq!(store.verify_attempts().unwrap(), [(id, sum, true)]);
    // Written again, the course document has its own name and `seed` is the random seed only.
    let again = serde_json::to_value(&read.result).unwrap();
    assert_eq!(again["debrief"][0]["course"], "001");
    assert!(again["debrief"][0].get("seed").is_none());
    assert_eq!(again["seed"], 3);
}

#[test]
fn the_leaderboard_of_a_stored_session_ranks_teams_by_round_scores() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = classroom(dir.path());
    let board = store.leaderboard(session).unwrap();
    assert_eq!(board.rounds, vec![1, 2]);
    assert_eq!(board.standings.len(), 2);
    let tigers = board.standings.iter().find(|s| s.team == "猛虎队").unwrap();
    let a = store.attempts(&AttemptFilter::default()).unwrap();
    let (weak, best) = (a[0].result.scores.overall, a[2].result.scores.overall);
    assert_eq!(tigers.rounds, vec![Some(weak), Some(best)]);
    assert!((tigers.total - (weak + best)).abs() < 0.051);
    assert_eq!(tigers.attempts, 2);
    assert_eq!(board.best_team.as_deref(), Some("猛虎队"));
    let broke: Vec<&str> = a[..4]
        .iter()
        .filter(|x| !x.result.violations.is_empty())
        .map(|x| x.trainee.as_str())
        .collect();
    assert!(broke.contains(&"-5+3"));
    let listed: Vec<&str> = board
        .compliance
        .iter()
        .map(|c| c.trainee.as_str())
        .collect();
    assert_eq!(
        listed, broke,
        "every rule broken in the session, in play order"
    );
}

#[test]
fn the_csv_export_has_a_bom_one_row_per_attempt_and_no_live_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = classroom(dir.path());
    let data = ReportData::load(&store, None, Titles::default()).unwrap();
    let text = csv::render(&data).unwrap();
    assert!(text.starts_with('\u{feff}'), "Excel needs the BOM");
    let mut reader = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for col in [
        "attempt",
        "trainee",
        "team",
        "session",
        "scenario",
        "persona",
        "channel",
        "mode",
        "started",
        "ended",
        "duration_s",
        "outcome",
        "passed",
        "overall",
        "tone",
        "persistence",
        "evidence",
        "violations",
        "evidence_items",
    ] {
        assert!(header.iter().any(|h| h == col), "missing column {col}");
    }
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "live formula in {cell:?}"
            );
        }
    }
    assert_eq!(&rows[0][col("trainee")], "王芳");
    assert_eq!(&rows[1][col("trainee")], "'-5+3");
    assert_eq!(&rows[1][col("team")], "'=HYPERLINK(\"http://x\")<script>");
    assert_eq!(&rows[3][col("trainee")], "'@admin");
    assert_eq!(&rows[0][col("duration_s")], "83.250");
    assert_eq!(&rows[0][col("mode")], "exam");
    assert!(!rows[1][col("violations")].is_empty());
    assert_eq!(&rows[4][col("session")], "");
}

/// `value` read and validated by a third-party xAPI library (the test fails if it is not a
/// valid statement).
pub fn valid_statement(value: &serde_json::Value) -> xapi_data::Statement {
    use xapi_data::{Statement, Validate};
    let text = value.to_string();
    let st = match Statement::from_str(&text) {
        Ok(st) => st,
        // xapi-data 1.0.2 checks `raw` against a half-open range (score.rs: `lower..upper`),
        // while xAPI 1.0.3 (Data 2.4.5.1) says min ≤ raw ≤ max, inclusive: a perfect score
        // is refused. Only that case is allowed, and the rest of the statement is still
        // parsed and validated with `raw` taken out.
        Err(e) if e.to_string().contains("raw is out-of-bounds") => {
            let score = &value["result"]["score"];
            assert_eq!(score["raw"].as_f64(), score["max"].as_f64(), "{e}: {text}");
            let mut copy = value.clone();
            copy["result"]["score"]
                .as_object_mut()
                .unwrap()
                .remove("raw");
            Statement::from_str(&copy.to_string()).unwrap_or_else(|e| panic!("{e}: {copy}"))
        }
        Err(e) => panic!("{e}: {text}"),
    };
    let problems = st.validate();
    assert!(problems.is_empty(), "{problems:?} in {text}");
    st
}

#[test]
fn xapi_statements_are_read_by_a_third_party_xapi_library() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = classroom(dir.path());
    let data = ReportData::load(&store, None, Titles::default()).unwrap();
    let all = xapi::Xapi::new(xapi::DEFAULT_BASE, "zh-CN").statements(&data);
    let turns: usize = data.attempts.iter().map(|a| a.result.debrief.len()).sum();
    assert_eq!(all.len(), data.attempts.len() * 4 + turns);
    let mut verbs: BTreeMap<String, usize> = BTreeMap::new();
    for value in &all {
        let st = valid_statement(value);
        let verb = value["verb"]["id"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        // cmi5: only passed and failed carry a score; success only there and on answers.
        let judged = verb == "passed" || verb == "failed";
        assert_eq!(value["result"].get("score").is_some(), judged, "{value}");
        if !judged && verb != "answered" {
            assert!(value["result"].get("success").is_none(), "{value}");
        }
        *verbs.entry(verb).or_default() += 1;
        let registration = st.context().and_then(|c| c.registration()).copied();
        assert!(registration.is_some(), "every statement has a registration");
    }
    assert_eq!(verbs["initialized"], 5);
    assert_eq!(verbs["completed"], 5);
    assert_eq!(verbs["terminated"], 5);
    assert_eq!(verbs["answered"], turns);
    assert_eq!(
        verbs.get("passed").unwrap_or(&0) + verbs.get("failed").unwrap_or(&0),
        5
    );
    // Per result: initialized first, terminated last.
    let a = &data.attempts[0];
    let mine: Vec<&serde_json::Value> = all
        .iter()
        .filter(|v| v["context"]["registration"] == a.registration.to_string())
        .collect();
    assert_eq!(verb_of(mine[0]), "initialized");
    // In time order too (an LRS orders by timestamp): terminated strictly last.
    let stamps: Vec<&str> = mine
        .iter()
        .map(|v| v["timestamp"].as_str().unwrap())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    assert!(
        stamps[stamps.len() - 2] < stamps[stamps.len() - 1],
        "{stamps:?}"
    );
    assert_eq!(verb_of(mine[mine.len() - 1]), "terminated");
    // The score, duration and the three axes on the verdict; completion and duration on
    // `completed`.
    let verdict = mine
        .iter()
        .find(|v| ["passed", "failed"].contains(&verb_of(v).as_str()))
        .unwrap();
    assert_eq!(
        verdict["result"]["score"]["raw"],
        a.result.scores.overall.round() as i64
    );
    assert_eq!(
        verdict["result"]["score"]["scaled"],
        a.result.scores.overall / 100.0
    );
    assert_eq!(verdict["result"]["success"], a.result.passed);
    assert_eq!(verdict["result"]["duration"], "PT83.250S");
    let completed = mine.iter().find(|v| verb_of(v) == "completed").unwrap();
    assert_eq!(completed["result"]["completion"], true);
    assert_eq!(completed["result"]["duration"], "PT83.250S");
    assert_eq!(
        completed["context"]["registration"],
        a.registration.to_string()
    );
    assert_eq!(completed["context"]["team"]["objectType"], "Group");
    assert_eq!(completed["context"]["team"]["name"], "猛虎队");
    let ext = verdict["result"]["extensions"].as_object().unwrap();
    for axis in ["tone", "persistence", "evidence", "violations"] {
        assert!(
            ext.keys()
                .any(|k| k.ends_with(&format!("/extensions/{axis}"))),
            "{axis}"
        );
    }
    // Each choice as `answered`, with the choice id as the response.
    let answered: Vec<_> = all
        .iter()
        .filter(|v| v["context"]["registration"] == a.registration.to_string())
        .filter(|v| v["verb"]["id"].as_str().unwrap().ends_with("/answered"))
        .map(|v| v["result"]["response"].as_str().unwrap().to_owned())
        .collect();
    let chosen: Vec<String> = a.result.debrief.iter().map(|t| t.choice.clone()).collect();
    assert_eq!(answered, chosen);
    // The same data gives the same statement ids (an LRS then stores nothing twice).
    let again = xapi::Xapi::new(xapi::DEFAULT_BASE, "zh-CN").statements(&data);
    assert_eq!(all, again);
    let lines = xapi::render(&all, true);
    assert_eq!(lines.lines().count(), all.len());
}

#[test]
fn the_html_report_charts_each_session_and_escapes_what_trainers_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = classroom(dir.path());
    let data = ReportData::load(&store, None, Titles::default()).unwrap();
    for locale in Locale::ALL {
        let page = html::render(&data, locale, "2026-11-22T10:00:00Z");
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert_eq!(page.matches("<svg").count(), 1, "one chart per session");
        assert!(!page.contains("<script>"), "a team name became markup");
        assert!(page.contains("&lt;script&gt;"));
        // Escaped once, in the table and in the chart's legend alike.
        assert!(!page.contains("&amp;lt;"), "escaped twice");
        let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap()];
        assert!(
            svg.contains("=HYPERLINK(&quot;http://x&quot;)&lt;script&gt;"),
            "{svg}"
        );
        assert!(page.contains("猛虎队"));
        assert!(page.contains(locale.pick("最佳团队", "Best team")));
        assert!(page.contains("@media print"));
    }
}

#[test]
fn play_and_quiz_with_a_trainee_are_recorded_and_without_one_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite");
    let lib = shipped();
    let model = model_answer(lib.scenario(SCENARIO).unwrap()).unwrap();
    let choices = model.choices.join(",");
    let prepare = model.prepared.join(",");
    let o = run(
        &[
            "--db",
            s(&db),
            "play",
            SCENARIO,
            "--seed",
            "5",
            "--choices",
            &choices,
            "--prepare",
            &prepare,
            "--trainee",
            "王芳",
            "--team",
            "猛虎队",
            "--json",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("saved as attempt 1"), "{}", stderr(&o));
    let printed: AttemptResult = serde_json::from_str(&stdout(&o)).unwrap();
    let o = run(
        &[
            "--db",
            s(&db),
            "quiz",
            "--code",
            "3-7",
            "--answers",
            "A,A,A",
            "--trainee",
            "王芳",
            "--json",
        ],
        "",
    );
    // Whatever the answers score, a well-formed run is recorded.
    if o.status.success() {
        assert!(
            stderr(&o).contains("saved as quiz result 1"),
            "{}",
            stderr(&o)
        );
    }
    let store = Store::open(&db).unwrap();
    let stored = store.attempts(&AttemptFilter::default()).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].result, printed);
    assert_eq!(stored[0].team.as_deref(), Some("猛虎队"));
    assert_eq!(stored[0].mode, Mode::Practice);
    assert_eq!(stored[0].channel, "phone");
    drop(store);

    // No trainee: nothing is written, not even to the database named by the environment.
    let elsewhere = dir.path().join("untouched.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
        .args([
            "play",
            SCENARIO,
            "--choices",
            &choices,
            "--prepare",
            &prepare,
        ])
        .env("DUNNING_DOJO_DB", &elsewhere)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!elsewhere.exists());

    // The environment variable names the database when --db is absent.
    let out = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
        .args([
            "play",
            SCENARIO,
            "--exam",
            "--trainee",
            "李雷",
            "--choices",
            &choices,
        ])
        .args(["--prepare", &prepare])
        .env("DUNNING_DOJO_DB", &elsewhere)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&elsewhere).unwrap();
    let stored = store.attempts(&AttemptFilter::default()).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].mode, Mode::Exam);
}

#[test]
fn report_commands_write_files_and_bad_databases_get_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (store, session) = classroom(dir.path());
    drop(store);
    let db = dir.path().join("results.sqlite");
    for (format, file) in [("csv", "r.csv"), ("xapi", "r.json"), ("html", "r.html")] {
        let out = dir.path().join(file);
        let o = run(
            &[
                "--db",
                s(&db),
                "report",
                format,
                "--session",
                &session.to_string(),
                "-o",
                s(&out),
            ],
            "",
        );
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert!(stderr(&o).contains("4 attempt(s)"), "{}", stderr(&o));
        assert!(std::fs::metadata(&out).unwrap().len() > 500);
    }
    let o = run(&["--db", s(&db), "report", "summary", "--lang", "en"], "");
    assert!(o.status.success());
    assert!(stdout(&o).contains("Best team: 猛虎队"), "{}", stdout(&o));
    let o = run(&["--db", s(&db), "report", "csv", "--session", "999"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no classroom session 999"),
        "{}",
        stderr(&o)
    );
    let nowhere = dir.path().join("never-played.sqlite");
    let o = run(&["--db", s(&nowhere), "report", "csv"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no results database"), "{}", stderr(&o));
    assert!(!nowhere.exists(), "a report created a database");
    // A trainer who forgot the PIN resets it from the command line.
    Store::open(&db).unwrap().set_pin("1357").unwrap();
    let o = run(&["--db", s(&db), "reset-pin"], "");
    assert!(o.status.success());
    assert!(stdout(&o).contains("PIN is removed"), "{}", stdout(&o));
    assert!(!Store::open(&db).unwrap().has_pin().unwrap());
    // A folder where the file should be: an error that names it, not a panic.
    let o = run(&["--db", s(dir.path()), "report", "summary"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot open the results database"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
}

/// Kills a writer at random moments, many times, and checks that every attempt it reported as
/// committed is present, unchanged, and that SQLite finds the file sound.
#[test]
fn killing_the_writer_mid_write_never_loses_or_corrupts_a_committed_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite");
    let scenario = root().join(format!("dialogues/scenarios/{SCENARIO}.ron"));
    let personas = root().join("dialogues/personas");
    let mut committed: BTreeMap<i64, String> = BTreeMap::new();
    // A fixed LCG: the kill moments differ per round but the test is repeatable.
    let mut rng: u64 = 0x5eed;
    let mut next = |bound: u64| {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng >> 33) % bound
    };
    let kills = 40;
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
            .args([
                "--db",
                s(&db),
                "--content",
                s(&scenario),
                "--content",
                s(&personas),
            ])
            .args(["soak", SCENARIO, "--count", "1000000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Every fourth round dies while opening (before any commit); the rest after the
        // first commit plus 0–60 ms, i.e. somewhere inside a stream of transactions.
        if round % 4 == 0 {
            std::thread::sleep(Duration::from_millis(next(25)));
        } else {
            let _ = rx.recv_timeout(Duration::from_secs(30));
            std::thread::sleep(Duration::from_millis(next(60)));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        let deadline = Instant::now() + Duration::from_secs(1);
        while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            // A line cut short by the kill is not a claim of a commit.
            let parts: Vec<&str> = line.split(' ').collect();
            if let ["committed", id, sum] = parts[..]
                && sum.len() == 64
            {
                let id: i64 = id.parse().unwrap();
                let old = committed.insert(id, sum.to_owned());
                assert!(old.is_none(), "attempt id {id} was handed out twice");
            }
        }
    }
    assert!(
        committed.len() >= kills,
        "the writer committed only {} attempts over {kills} runs",
        committed.len()
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), vec!["ok"]);
    let stored: BTreeMap<i64, (String, bool)> = store
        .verify_attempts()
        .unwrap()
        .into_iter()
        .map(|(id, sum, ok)| (id, (sum, ok)))
        .collect();
    for (id, sum) in &committed {
        let (stored_sum, ok) = stored
            .get(id)
            .unwrap_or_else(|| panic!("committed attempt {id} is missing"));
        assert_eq!(stored_sum, sum, "attempt {id} changed");
        assert!(ok, "attempt {id} no longer matches its checksum");
    }
    // Every row reads back as a whole attempt.
    let all = store.attempts(&AttemptFilter::default()).unwrap();
    assert_eq!(all.len(), stored.len());
    eprintln!(
        "crash test: {kills} kills, {} attempts reported committed, {} stored, integrity ok",
        committed.len(),
        stored.len()
    );
}
