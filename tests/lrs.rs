//! Results reach a real learning record store (ralph, see `lrs_support`): a classroom session
//! arrives whole and as exported; an LRS that stops and comes back gets every statement exactly
//! once; a wrong secret is told plainly, nothing is dropped and the secret is never printed.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::lrs_support::{KEY, Ralph, SECRET};
use crate::store::classroom;
use crate::support::{run, s, stderr, stdout};

const SCENARIO: &str = "boss_on_business_trip";

/// `lrs set` for `ralph` with `secret`, into the database `db`.
fn set(db: &Path, endpoint: &str, secret: &str) {
    let o = run(
        &[
            "--db",
            s(db),
            "lrs",
            "set",
            "--endpoint",
            endpoint,
            "--key",
            KEY,
        ],
        &format!("{secret}\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains(secret) && !stderr(&o).contains(secret));
}

fn send(db: &Path) -> std::process::Output {
    run(&["--db", s(db), "report", "xapi", "--send"], "")
}

/// Plays the scenario as `trainee` with an answer sheet, saving it (and sending it, when an
/// LRS is set).
fn play(db: &Path, trainee: &str) -> std::process::Output {
    let o = run(
        &[
            "--db",
            s(db),
            "play",
            SCENARIO,
            "--choices",
            "1,1,1,1",
            "--trainee",
            trainee,
            "--json",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// How many times each statement id is stored.
fn counts(statements: &[Value]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for st in statements {
        *out.entry(st["id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    out
}

/// Whether every field of `ours` is in `stored` with the same value (the LRS adds `stored`,
/// `authority` and `version`).
fn within(ours: &Value, stored: &Value) -> bool {
    match (ours, stored) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| within(v, w))),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| within(v, w))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => ours == stored,
    }
}

#[test]
fn a_recorded_classroom_session_arrives_in_the_lrs_as_exported() {
    let Some(ralph) = Ralph::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (store, _session) = classroom(dir.path());
    drop(store);
    let db = dir.path().join("results.sqlite");
    set(&db, &ralph.endpoint(), SECRET);
    let exported = run(&["--db", s(&db), "report", "xapi", "--ndjson"], "");
    assert!(exported.status.success(), "{}", stderr(&exported));
    let ours: Vec<Value> = stdout(&exported)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(ours.len() > 20, "{}", ours.len());

    let o = send(&db);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("sent {}, pending 0, refused 0", ours.len())),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("queued the statements of 5 result(s)"),
        "{}",
        stderr(&o)
    );

    let stored = ralph.statements();
    assert_eq!(stored.len(), ours.len(), "{}", ralph.log());
    let by_id: BTreeMap<&str, &Value> = stored
        .iter()
        .map(|st| (st["id"].as_str().unwrap(), st))
        .collect();
    for st in &ours {
        let id = st["id"].as_str().unwrap();
        let back = by_id
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not in the LRS"));
        assert!(
            within(st, back),
            "the LRS holds another statement:\n{st}\n{back}"
        );
    }
    // The classroom is in the statements: teams as groups, the session and the rounds.
    let teams: std::collections::BTreeSet<&str> = stored
        .iter()
        .filter_map(|st| st["context"]["team"]["name"].as_str())
        .collect();
    assert!(teams.contains("猛虎队"), "{teams:?}");
    // A second send has nothing left to do and the LRS still holds each statement once.
    let again = send(&db);
    assert!(
        stdout(&again).starts_with("sent 0, pending 0, refused 0"),
        "{}",
        stdout(&again)
    );
    assert!(counts(&ralph.statements()).values().all(|&n| n == 1));
}

#[test]
fn an_lrs_that_stops_and_comes_back_gets_every_statement_exactly_once() {
    let Some(mut ralph) = Ralph::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite");
    set(&db, &ralph.endpoint(), SECRET);
    // Up: the play's statements go at once.
    let o = play(&db, "王芳");
    assert!(
        stderr(&o).contains("sent to the LRS (8 statements)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(ralph.statements().len(), 8);

    // Down: saved all the same, and waiting.
    ralph.stop();
    for trainee in ["李雷", "韩梅梅"] {
        let o = play(&db, trainee);
        assert!(stderr(&o).contains("saved as attempt"), "{}", stderr(&o));
        assert!(stderr(&o).contains("wait in the outbox"), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot be reached"), "{}", stderr(&o));
    }
    let o = send(&db);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("sent 0, pending 16, refused 0"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("stay in the outbox"), "{}", stderr(&o));

    // Back: everything arrives.
    ralph.resume();
    let o = send(&db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("sent 16, pending 0, refused 0"),
        "{}",
        stdout(&o)
    );

    // A sender killed after the LRS stored a batch but before it marked it sent: the batch
    // goes again, and the LRS still holds each statement once (the ids are deterministic).
    let conn = rusqlite::Connection::open(&db).unwrap();
    let reset = conn
        .execute(
            "UPDATE outbox SET state = 'pending', sent_at = NULL WHERE id % 2 = 0",
            [],
        )
        .unwrap();
    drop(conn);
    assert_eq!(reset, 12);
    let o = send(&db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("sent 12, pending 0, refused 0"),
        "{}",
        stdout(&o)
    );
    let stored = ralph.statements();
    assert_eq!(stored.len(), 24, "{}", ralph.log());
    assert!(
        counts(&stored).values().all(|&n| n == 1),
        "a statement is stored twice"
    );
    let o = run(&["--db", s(&db), "lrs", "show"], "");
    assert!(
        stdout(&o).contains("0 pending, 24 sent, 0 refused"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_wrong_secret_is_told_plainly_and_nothing_is_dropped() {
    let Some(ralph) = Ralph::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite");
    let wrong = "not-the-secret-9f2c";
    set(&db, &ralph.endpoint(), wrong);
    let o = play(&db, "王芳");
    assert!(stderr(&o).contains("saved as attempt 1"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("refused the key and secret"),
        "{}",
        stderr(&o)
    );
    let o = send(&db);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("refused the key and secret (HTTP 401"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).starts_with("sent 0, pending 8, refused 0"),
        "{}",
        stdout(&o)
    );
    let shown = run(&["--db", s(&db), "lrs", "show"], "");
    assert!(
        stdout(&shown).contains("secret         ••••"),
        "{}",
        stdout(&shown)
    );
    for out in [&o, &shown] {
        assert!(!stdout(out).contains(wrong) && !stderr(out).contains(wrong));
    }
    assert!(ralph.statements().is_empty());

    set(&db, &ralph.endpoint(), SECRET);
    let o = send(&db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("sent 8, pending 0, refused 0"),
        "{}",
        stdout(&o)
    );
    assert_eq!(ralph.statements().len(), 8);
}
