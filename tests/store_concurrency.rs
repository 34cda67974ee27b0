//! Several programs writing one results database at once, through the binary: concurrent
//! `play` processes lose no finished attempt, and simultaneous first opens of a new file all
//! succeed with one schema.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use dunning_dojo::store::{AttemptFilter, Store};

use crate::store_faults::{play_command, script};
use crate::support::s;

/// Plays the model answer `plays` times in each of `writers` processes at once, all recording
/// into `db`; returns every run's output.
pub fn concurrent_plays(db: &Path, writers: usize, plays: usize) -> Vec<Output> {
    let script = script();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let script = &script;
                scope.spawn(move || {
                    (0..plays)
                        .map(|k| {
                            play_command(db, script, &format!("Writer {w}"), k as u64)
                                .output()
                                .expect("the binary runs")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a writer thread"))
            .collect()
    })
}

#[test]
fn concurrent_writers_lose_no_finished_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite");
    let (writers, plays) = (3, 40);
    let outputs = concurrent_plays(&db, writers, plays);
    let failures: Vec<String> = outputs
        .iter()
        .filter(|o| !o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .collect();
    assert!(
        failures.is_empty(),
        "{} plays failed: {failures:?}",
        failures.len()
    );
    let receipts = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stderr).contains("saved as attempt"))
        .count();
    let store = Store::open(&db).unwrap();
    let rows = store.attempts(&AttemptFilter::default()).unwrap();
    assert_eq!(receipts, writers * plays);
    assert_eq!(rows.len(), writers * plays);
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
    for w in 0..writers {
        let name = format!("Writer {w}");
        assert_eq!(rows.iter().filter(|a| a.trainee == name).count(), plays);
    }
}

#[test]
fn simultaneous_first_opens_of_a_new_file_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..24 {
        let db = dir.path().join(format!("new-{round}.sqlite"));
        let children: Vec<_> = (0..6)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
                    .args(["--db", s(&db), "reset-pin"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the binary starts")
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(store.schema_version().unwrap(), Store::known_version());
        assert_eq!(store.integrity_check().unwrap(), ["ok"]);
    }
}
