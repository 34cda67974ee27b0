//! Saving terminal plays and quizzes in the results database, and `soak`, the hidden command
//! the crash test kills mid-write.

use std::path::Path;
use std::time::Duration;

use unicode_width::UnicodeWidthChar as _;

use super::Failure;
use crate::domain::engine::{AttemptResult, Compiled, Session, Setup};
use crate::domain::library::Library;
use crate::domain::mode::Mode;
use crate::domain::text::Locale;
use crate::store::{NewAttempt, NewQuiz, Store, resolve_path};

/// Opens the results database named by `--db`, the environment or the default path.
pub fn open_store(db: Option<&Path>) -> Result<Store, Failure> {
    let path = resolve_path(db).map_err(store_failure)?;
    Store::open(&path).map_err(store_failure)
}

/// A store error as a command failure (exit 1: the request was fine, the file was not).
pub fn store_failure(e: crate::store::StoreError) -> Failure {
    Failure {
        message: e.to_string(),
        code: 1,
    }
}

/// Why `name` cannot name a trainee or a team, or `None` when it can.
///
/// Refused: a name with nothing visible in it (empty, spaces, zero-width characters), because
/// no trainer could tell whose result it is; and control characters (escape, bell, newline,
/// tab…) or bidirectional overrides inside it, because names are printed in terminals, CSV
/// rows and reports, where those move the cursor, change colours, split rows or reorder the
/// rest of the line. Any script, emoji and joiners are accepted; spaces around the name are
/// trimmed when it is stored.
pub fn name_problem(name: &str) -> Option<String> {
    let name = name.trim();
    if name
        .chars()
        .all(|c| c.is_whitespace() || c.width() == Some(0))
    {
        return Some("is blank: give a name a trainer can read".to_owned());
    }
    let (at, c) = name.chars().enumerate().find(|&(_, c)| {
        c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })?;
    Some(format!(
        "has the control character U+{:04X} at position {}: names are printed in terminals and reports, where it would move or recolour the text; type the name without it",
        u32::from(c),
        at + 1
    ))
}

/// Checks `--trainee` and `--team` before anything is played (exit 2 with the reason).
pub fn check_names(trainee: &str, team: Option<&str>) -> Result<(), Failure> {
    for (flag, name) in [("--trainee", Some(trainee)), ("--team", team)] {
        if let Some(problem) = name.and_then(name_problem) {
            return Err(Failure::usage(format!("{flag} {problem}")));
        }
    }
    Ok(())
}

/// Opens the results database for a play or quiz that is to be saved, and checks that it takes
/// writes, before the trainee's time is spent.
pub fn open_for_saving(db: Option<&Path>) -> Result<Store, Failure> {
    let path = resolve_path(db).map_err(store_failure)?;
    let store = Store::open(&path).map_err(store_failure)?;
    // Opening is not writing: a read-only file, or one another program keeps locked, opens
    // fine and fails only at the save. Take the write lock once and hand it straight back.
    let probe = rusqlite::Connection::open(&path).and_then(|conn| {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
    });
    probe.map_err(|e| Failure {
        message: format!(
            "the results database {} does not accept writes ({e}), so nothing would be saved; nothing has been played yet: make the file and its folder writable, close the program that holds it, or pass --db another file",
            path.display()
        ),
        code: 1,
    })?;
    Ok(store)
}

/// Where a terminal attempt is played from.
pub struct PlayRecord<'a> {
    /// Trainee name.
    pub trainee: &'a str,
    /// Team name (a team outside any classroom session).
    pub team: Option<&'a str>,
    /// Practice or exam.
    pub mode: Mode,
    /// When play started.
    pub started_at: jiff::Timestamp,
}

/// What became of a result that was to be saved.
#[derive(Debug)]
pub enum Saved {
    /// No trainee was named, so nothing was to be saved.
    NotAsked,
    /// Saved; the one-line receipt for stderr.
    Yes(String),
    /// Not saved; the failure says why and where the result was kept instead.
    No(Failure),
}

impl Saved {
    /// Tells the outcome on stderr, after the result has been printed: the receipt, or the
    /// failure (and its exit code).
    pub fn finish(self) -> Result<u8, Failure> {
        match self {
            Saved::NotAsked => Ok(0),
            Saved::Yes(receipt) => {
                eprintln!("{receipt}");
                Ok(0)
            }
            Saved::No(failure) => Err(failure),
        }
    }
}

/// Saves a finished terminal attempt. If that fails, the result is kept in a file (see
/// [`keep_unsaved`]) and the failure, which names that file, is returned to be told after
/// the debrief.
pub fn save_play(
    store: &mut Store,
    rec: &PlayRecord<'_>,
    c: &Compiled,
    result: &AttemptResult,
) -> Saved {
    let ended_at = crate::store::now();
    let saved = rec
        .team
        .map(|t| store.team_by_name(t))
        .transpose()
        .and_then(|team| {
            store.record_attempt(&NewAttempt {
                trainee: rec.trainee,
                team,
                round: None,
                persona: &c.persona.id.0,
                channel: c.scenario.channel.key(),
                mode: rec.mode,
                started_at: rec.started_at,
                ended_at,
                result,
            })
        });
    match saved {
        Ok(saved) => Saved::Yes(format!(
            "saved as attempt {} in {}",
            saved.id,
            where_(store)
        )),
        Err(e) => Saved::No(keep_unsaved(
            "attempt",
            &e.to_string(),
            store,
            serde_json::json!({
                "trainee": rec.trainee,
                "team": rec.team,
                "mode": rec.mode,
                "started_at": crate::store::stamp(rec.started_at),
                "ended_at": crate::store::stamp(ended_at),
                "result": result,
            }),
        )),
    }
}

/// Saves a finished terminal quiz; `printed` is the result as `quiz --json` prints it, kept in
/// a file if the save fails (see [`save_play`]).
pub fn save_quiz(
    store: &mut Store,
    new: &NewQuiz<'_>,
    team: Option<&str>,
    printed: serde_json::Value,
) -> Saved {
    let saved = team
        .map(|t| store.team_by_name(t))
        .transpose()
        .and_then(|team| store.record_quiz(&NewQuiz { team, ..*new }));
    match saved {
        Ok(saved) => Saved::Yes(format!("saved as quiz result {}", saved.id)),
        Err(e) => Saved::No(keep_unsaved(
            "quiz",
            &e.to_string(),
            store,
            serde_json::json!({
                "trainee": new.trainee,
                "team": team,
                "mode": new.mode,
                "started_at": crate::store::stamp(new.started_at),
                "ended_at": crate::store::stamp(new.ended_at),
                "result": printed,
            }),
        )),
    }
}

fn where_(store: &Store) -> String {
    store
        .path()
        .map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
}

/// A save failed: writes `record` (with the error and the database) to a new JSON file in the
/// working folder, or the temporary folder if that cannot be written, and returns the failure
/// that says where it is. The failure is also registered to be told if printing the result
/// fails first, so it can never be lost with a closed stdout.
fn keep_unsaved(kind: &str, error: &str, store: &Store, record: serde_json::Value) -> Failure {
    let folders: Vec<std::path::PathBuf> = std::env::current_dir()
        .into_iter()
        .chain([std::env::temp_dir()])
        .collect();
    let kept = crate::store::keep_unsaved(kind, error, &where_(store), record, &folders);
    let what = if kind == "quiz" { "quiz result" } else { kind };
    let rescue = match kept {
        Ok(path) => format!(
            "nothing is lost: the result is kept in {}; keep that file and give it to your trainer",
            path.display()
        ),
        Err(tried) => format!(
            "it could not be kept in a file either ({}); the result printed above is the only copy, copy it now",
            tried.join("; ")
        ),
    };
    let failure = Failure {
        message: format!("the {what} was NOT saved: {error}\n{rescue}"),
        code: 1,
    };
    super::defer_failure(&failure);
    failure
}

/// `reset-pin`.
pub fn reset_pin(db: Option<&Path>) -> Result<u8, Failure> {
    let mut store = open_store(db)?;
    let removed = store.clear_pin().map_err(store_failure)?;
    out!(
        "{}",
        if removed {
            "the trainer PIN is removed; classroom mode asks for a new one next time"
        } else {
            "no trainer PIN was set"
        }
    );
    Ok(0)
}

/// `soak`: plays `scenario` over and over with varying seeds and choices, recording each
/// attempt, and prints `committed <id> <checksum>` after every commit. The crash test kills
/// it at random moments and then checks that every printed attempt is intact.
pub fn soak(lib: &Library, db: Option<&Path>, scenario: &str, count: usize) -> Result<u8, Failure> {
    let c = super::find(lib, scenario)?;
    let mut store = open_store(db)?;
    let base = store.attempt_count().map_err(store_failure)?;
    for k in 0..count as u64 {
        let seed = base + k;
        let started_at = crate::store::now();
        let (mut session, _) = Session::start(c, seed, Locale::ZhCn, Setup::default())
            .map_err(|e| Failure::usage(e.to_string()))?;
        let mut pick = seed;
        while !session.is_ended() {
            let open: Vec<usize> = session.choices().iter().filter_map(|v| v.number).collect();
            let Some(&n) = open.get((pick % open.len().max(1) as u64) as usize) else {
                break;
            };
            pick = pick
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                >> 7;
            session
                .choose_number(n)
                .map_err(|e| Failure::usage(e.to_string()))?;
        }
        let Some(result) = session.result() else {
            continue;
        };
        let saved = store
            .record_attempt(&NewAttempt {
                trainee: &format!("soak {}", seed % 7),
                team: None,
                round: None,
                persona: &c.persona.id.0,
                channel: c.scenario.channel.key(),
                mode: Mode::Practice,
                started_at,
                ended_at: crate::store::now(),
                result: &result,
            })
            .map_err(store_failure)?;
        out!("committed {} {}", saved.id, saved.checksum);
    }
    Ok(0)
}
