//! The command line under faults: bad names, a database that refuses writes, a save that
//! fails after play, a full or closed stdout, and hostile input lines. Nothing a trainee did
//! may be lost, and nothing may be hidden.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use dunning_dojo::store::Store;
use serde_json::Value;

use crate::support::{fixture, s, shown_numbers, stderr, stdout};

/// `--content` with the fixture scenario `test_call` and the fixture quiz bank.
fn content() -> [String; 2] {
    ["--content".to_owned(), s(&fixture("base")).to_owned()]
}

/// The fixture call, answered well, as interactive input: no preparation, then three answers.
/// An interactive call: no preparation, then the fixture's best line at each of three turns, by
/// the number shown for it (the order is drawn from the seed, 1 by default).
fn call() -> Vec<u8> {
    format!(
        "\n{}\n",
        shown_numbers(1, "intro,who_covers,fix_date").replace(',', "\n")
    )
    .into_bytes()
}

/// How stdout of the binary is connected.
pub enum Stdout {
    /// A pipe the test reads.
    Piped,
    /// A pipe whose reading end the test closes before sending any input.
    Closed,
    /// A file (e.g. `/dev/full`).
    File(&'static str),
}

/// Runs the binary in `dir` with the fixture content; stdin is written from a thread, so an
/// input larger than a pipe's buffer cannot deadlock against the output.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8], out: Stdout) -> Output {
    let stdout = match out {
        Stdout::Piped | Stdout::Closed => Stdio::piped(),
        Stdout::File(path) => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .expect("the output file opens")
            .into(),
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
        .args(content())
        .args(args)
        .current_dir(dir)
        .env_remove("DUNNING_DOJO_DB")
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if matches!(out, Stdout::Closed) {
        drop(child.stdout.take());
    }
    let mut input = child.stdin.take().expect("stdin is piped");
    let bytes = stdin.to_vec();
    // The binary may stop reading early (a refused name); a failed write is not the test's
    // concern.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let output = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("the stdin writer finishes");
    output
}

/// The fixture call played well by script with `--json`, saved under `trainee` in `db`.
fn scripted_play(dir: &Path, db: &Path, trainee: &str, out: Stdout) -> Output {
    let choices = ["--choices", "intro,who_covers,fix_date", "--json"];
    let args = [
        &["--db", s(db), "play", "test_call", "--trainee", trainee][..],
        &choices,
    ]
    .concat();
    run_in(dir, &args, b"", out)
}

fn attempts(db: &Path) -> u64 {
    Store::open(db).unwrap().attempt_count().unwrap()
}

/// A database whose next attempt and quiz result cannot be written: a trigger aborts them, as
/// a full disk or a damaged file would. Opening it and taking its write lock still work.
fn failing_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("failing.sqlite");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no_attempts BEFORE INSERT ON attempts
             BEGIN SELECT RAISE(ABORT, 'disk is full (simulated)'); END;
         CREATE TRIGGER no_quizzes BEFORE INSERT ON quiz_results
             BEGIN SELECT RAISE(ABORT, 'disk is full (simulated)'); END;",
    )
    .unwrap();
    db
}

/// The one file the failed save kept in `dir`, parsed.
pub fn kept(dir: &Path, kind: &str) -> (std::path::PathBuf, Value) {
    let files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("dunning-dojo-unsaved-{kind}-")))
        })
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    (files[0].clone(), serde_json::from_str(&text).unwrap())
}

#[test]
fn a_bad_trainee_or_team_name_is_refused_before_the_call_or_quiz_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    for (name, team, why) in [
        (" ", None, "--trainee is blank"),
        ("\u{200b}\u{3000}", None, "--trainee is blank"),
        (
            "Wang\u{1b}[31m",
            None,
            "--trainee has the control character U+001B at position 5",
        ),
        (
            "Li\nLei",
            None,
            "--trainee has the control character U+000A at position 3",
        ),
        (
            "Li\u{202e}Lei",
            None,
            "--trainee has the control character U+202E",
        ),
        ("王芳", Some("  "), "--team is blank"),
    ] {
        let mut args = vec!["--db", s(&db), "play", "test_call", "--lang", "en"];
        args.extend(["--trainee", name]);
        if let Some(team) = team {
            args.extend(["--team", team]);
        }
        let out = run_in(dir.path(), &args, &call(), Stdout::Piped);
        assert_eq!(out.status.code(), Some(2), "{name:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{name:?}: {}", stderr(&out));
        // Refused up front: not one line of the call was shown.
        assert_eq!(stdout(&out), "", "{name:?}");
        let mut quiz_args = vec!["--db", s(&db), "quiz", "--count", "2", "--trainee", name];
        if let Some(team) = team {
            quiz_args.extend(["--team", team]);
        }
        let quiz = run_in(dir.path(), &quiz_args, b"a\na\n", Stdout::Piped);
        assert_eq!(quiz.status.code(), Some(2), "{name:?}: {}", stderr(&quiz));
        assert_eq!(stdout(&quiz), "", "{name:?}");
    }
    assert!(!db.exists(), "a refused name opens no database");
    // Any script, emoji with joiners and spaces around the name are fine.
    let out = scripted_play(dir.path(), &db, " 王芳 👩‍💻 سارا ", Stdout::Piped);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(attempts(&db), 1);
}

#[test]
fn a_database_that_refuses_writes_is_found_before_the_call_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    drop(Store::open(&db).unwrap());
    // Another program holds the write lock for longer than the binary waits (5 s).
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = run_in(
        dir.path(),
        &["--db", s(&db), "play", "test_call", "--trainee", "Wang"],
        &call(),
        Stdout::Piped,
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("does not accept writes (database is locked)"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("nothing has been played yet"));
    assert_eq!(stdout(&out), "", "the call did not start");
}

#[test]
fn a_failed_save_shows_the_debrief_then_the_error_and_keeps_the_result_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = failing_db(dir.path());
    let out = run_in(
        dir.path(),
        &[
            "--db",
            s(&db),
            "play",
            "test_call",
            "--lang",
            "en",
            "--trainee",
            "Wang",
        ],
        &call(),
        Stdout::Piped,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Overall: 100 / 70   PASSED"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    // The store names the file it could not write to.
    assert!(
        err.starts_with("error: the attempt was NOT saved: results database")
            && err.contains("failing.sqlite: disk is full (simulated)"),
        "{err}"
    );
    let (path, record) = kept(dir.path(), "attempt");
    assert!(
        err.contains(&format!("the result is kept in {}", path.display())),
        "{err}"
    );
    assert_eq!(record["trainee"], "Wang");
    assert_eq!(record["unsaved"], "attempt");
    assert_eq!(record["result"]["scenario"], "test_call");
    assert_eq!(record["result"]["scores"]["overall"], 100.0);
    assert_eq!(attempts(&db), 0);

    // A quiz the same way: the result is printed, then the error, and the file is kept.
    let quiz = run_in(
        dir.path(),
        &[
            "--db",
            s(&db),
            "quiz",
            "--count",
            "1",
            "--topic",
            "prohibited_conduct",
            "--answers",
            "f",
            "--trainee",
            "Wang",
            "--team",
            "Tigers",
            "--json",
        ],
        b"",
        Stdout::Piped,
    );
    assert_eq!(quiz.status.code(), Some(1), "{}", stderr(&quiz));
    let printed: Value = serde_json::from_str(&stdout(&quiz)).unwrap();
    assert_eq!(printed["score"], 100.0);
    assert!(stderr(&quiz).contains("the quiz result was NOT saved"));
    let (_, record) = kept(dir.path(), "quiz");
    assert_eq!(record["result"], printed);
    assert_eq!(record["team"], "Tigers");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_and_a_closed_one_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let full = run_in(
        dir.path(),
        &["list", "--json"],
        b"",
        Stdout::File("/dev/full"),
    );
    assert_eq!(full.status.code(), Some(1));
    assert!(
        stderr(&full).contains("error: cannot write to standard output: No space left on device"),
        "{}",
        stderr(&full)
    );
    // A reader that went away (`| head`) is not an error.
    let closed = run_in(dir.path(), &["list", "--json"], b"", Stdout::Closed);
    assert_eq!(closed.status.code(), Some(0));
    assert_eq!(stderr(&closed), "");
    // The attempt is saved before its result is printed, so a full stdout loses nothing.
    let db = dir.path().join("r.sqlite");
    let play = scripted_play(dir.path(), &db, "Wang", Stdout::File("/dev/full"));
    assert_eq!(play.status.code(), Some(1), "{}", stderr(&play));
    assert_eq!(attempts(&db), 1);
}

#[test]
fn json_steps_answers_invalid_utf8_and_huge_lines_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut input = b"intro\n\xff\xfewho\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 10 << 20));
    input.extend_from_slice(b"\nwho_covers\nfix_date\n");
    let out = run_in(
        dir.path(),
        &["play", "test_call", "--json-steps"],
        &input,
        Stdout::Piped,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let errors: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("error").is_some())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let utf8 = errors[0]["error"].as_str().unwrap();
    assert!(utf8.contains("is not valid UTF-8"), "{utf8}");
    let long = errors[1]["error"].as_str().unwrap();
    assert!(long.contains("longer than 64 KiB"), "{long}");
    assert!(
        lines.iter().all(|l| l.len() < 4096),
        "no line echoes the 10 MB input"
    );
    assert!(long.len() < 1024, "{}", long.len());
    let last: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(last["outcome"], "verbal_promise");
}

#[test]
fn json_steps_saves_the_attempt_when_the_caller_closed_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let out = run_in(
        dir.path(),
        &[
            "--db",
            s(&db),
            "play",
            "test_call",
            "--json-steps",
            "--trainee",
            "Wang",
        ],
        b"intro\nnope\nwho_covers\nfix_date\n",
        Stdout::Closed,
    );
    assert_eq!(attempts(&db), 1, "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("saved as attempt 1"), "{err}");
    assert!(err.contains("cannot write to standard output"), "{err}");
}

#[test]
fn an_unreadable_line_in_an_interactive_call_is_explained_and_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &["play", "test_call", "--lang", "en"],
        &[b"\n\xc3(".as_slice(), &call()].concat(),
        Stdout::Piped,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("is not valid UTF-8"));
    assert!(stdout(&out).contains("Overall: 100 / 70   PASSED"));
}

#[test]
fn quiz_counts_outside_what_a_code_carries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for count in ["0", "101", "100000"] {
        let out = run_in(
            dir.path(),
            &["quiz", "--count", count, "--print"],
            b"",
            Stdout::Piped,
        );
        assert_eq!(out.status.code(), Some(2), "{count}");
        assert!(
            stderr(&out).contains(&format!("{count} is not in 1..=100")),
            "{}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "");
    }
    // The largest count gives a code that `--code` takes back.
    let out = run_in(
        dir.path(),
        &["quiz", "--count", "100", "--print", "--json"],
        b"",
        Stdout::Piped,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let code = serde_json::from_str::<Value>(&stdout(&out)).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = run_in(
        dir.path(),
        &["quiz", "--code", &code, "--print"],
        b"",
        Stdout::Piped,
    );
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn a_blank_scenario_id_is_called_empty() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["", "  "] {
        let out = run_in(dir.path(), &["play", id], b"", Stdout::Piped);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out).trim(),
            "error: the scenario id is empty; `dunning-dojo list` shows the scenarios"
        );
    }
}
