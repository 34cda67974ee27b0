//! Saving terminal plays, quizzes and campaigns in the results database.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use unicode_width::UnicodeWidthChar as _;

use super::Failure;
use crate::domain::campaign::CampaignResult;
use crate::domain::content::strings::SOURCE_LOCALE;
use crate::domain::engine::{AttemptResult, Compiled};
use crate::domain::library::Library;
use crate::domain::mode::Mode;
use crate::lrs::{LrsConfig, flush};
use crate::report::xapi::Catalog;
use crate::store::{
    CampaignRoundInfo, NewAttempt, NewCampaign, NewQuiz, Store, StoredAttempt, StoredQuiz,
    resolve_path,
};

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
/// writes, before the trainee's time is spent. With an LRS configured, each result saved
/// queues its statements (see [`send_queued`]).
pub fn open_for_saving(db: Option<&Path>, lib: &Library) -> Result<Store, Failure> {
    let path = resolve_path(db).map_err(store_failure)?;
    let mut store = Store::open(&path).map_err(store_failure)?;
    if let Some(config) = LrsConfig::load(&store).map_err(|message| Failure { message, code: 1 })? {
        store.queue_statements(Some(Arc::new(
            config.statements(Catalog::from_library(lib), SOURCE_LOCALE),
        )));
    }
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

/// After a save: sends the outbox to the configured LRS at once, and says how it went in a
/// few words for the receipt (empty when no LRS is configured). A failure keeps the
/// statements queued; they go with the next save or `report xapi --send`.
pub fn send_queued(store: &mut Store) -> String {
    if !store.queues_statements() {
        return String::new();
    }
    let config = match LrsConfig::load(store) {
        Ok(Some(c)) => c,
        Ok(None) => return String::new(),
        Err(e) => return format!("; not sent to the LRS: {e}"),
    };
    match flush(store, &config.client(), Some(crate::store::now())) {
        Ok(f) => match f.problem {
            None if f.counts.pending == 0 => format!("; sent to the LRS ({} statements)", f.sent),
            None => format!(
                "; {} statements sent to the LRS, {} waiting for a retry",
                f.sent, f.counts.pending
            ),
            Some(problem) => format!(
                "; {} statements wait in the outbox: {problem}",
                f.counts.pending
            ),
        },
        Err(e) => format!("; not sent to the LRS: {e}"),
    }
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
    /// When each turn was answered.
    pub turn_times: &'a [jiff::Timestamp],
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

/// Saves a finished terminal attempt, and returns it as stored. If that fails, the result is
/// kept in a file (see [`keep_unsaved`]) and the failure, which names that file, is returned
/// to be told after the debrief.
pub fn save_play(
    store: &mut Store,
    rec: &PlayRecord<'_>,
    c: &Compiled,
    result: &AttemptResult,
) -> (Saved, Option<StoredAttempt>) {
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
                turn_times: rec.turn_times,
                result,
            })
        });
    match saved {
        Ok(saved) => {
            let receipt = format!("saved as attempt {} in {}", saved.id, where_(store));
            (Saved::Yes(receipt + &send_queued(store)), Some(saved))
        }
        Err(e) => (
            Saved::No(keep_unsaved(
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
            None,
        ),
    }
}

/// Saves a finished terminal quiz, and returns it as stored; `printed` is the result as
/// `quiz --json` prints it, kept in a file if the save fails (see [`save_play`]).
pub fn save_quiz(
    store: &mut Store,
    new: &NewQuiz<'_>,
    team: Option<&str>,
    printed: serde_json::Value,
) -> (Saved, Option<StoredQuiz>) {
    let saved = team
        .map(|t| store.team_by_name(t))
        .transpose()
        .and_then(|team| store.record_quiz(&NewQuiz { team, ..*new }));
    match saved {
        Ok(saved) => (
            Saved::Yes(format!("saved as quiz result {}", saved.id) + &send_queued(store)),
            Some(saved),
        ),
        Err(e) => (
            Saved::No(keep_unsaved(
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
            None,
        ),
    }
}

/// Where a terminal campaign is recorded.
pub struct CampaignPlay<'a> {
    /// Trainee name.
    pub trainee: &'a str,
    /// Team name.
    pub team: Option<&'a str>,
    /// In a classroom: the session's open campaign round and the team (see
    /// [`classroom_round`]); otherwise the team is one outside any session.
    pub classroom: Option<Seat>,
    /// When the desk was opened.
    pub started_at: jiff::Timestamp,
}

/// A team's place in a classroom campaign round.
pub struct Seat {
    /// The session id.
    pub session: i64,
    /// Its open campaign round.
    pub round: CampaignRoundInfo,
    /// The team's id.
    pub team: i64,
}

/// The open campaign round of classroom session `session` and its team called `team`,
/// checked before the desk opens: the session exists and is running, the trainer has started
/// a campaign round, and the team is one of the session's.
pub fn classroom_round(store: &Store, session: i64, team: &str) -> Result<Seat, Failure> {
    let info = store.session(session).map_err(store_failure)?;
    if info.ended_at.is_some() {
        return Err(Failure::usage(format!(
            "classroom session {session} ({:?}) has ended; the trainer resumes it in classroom mode",
            info.name
        )));
    }
    let round = store
        .open_campaign_round(session)
        .map_err(store_failure)?
        .ok_or_else(|| {
            Failure::usage(format!(
                "classroom session {session} ({:?}) has no campaign round open; the trainer starts one (a campaign and a seed for every team) in classroom mode",
                info.name
            ))
        })?;
    let teams = store.teams(session).map_err(store_failure)?;
    let team = team.trim();
    match teams.iter().find(|t| t.name == team) {
        Some(t) => Ok(Seat {
            session,
            round,
            team: t.id,
        }),
        None => {
            let names: Vec<&str> = teams.iter().map(|t| t.name.as_str()).collect();
            Err(Failure::usage(format!(
                "--team {team:?} is not a team of classroom session {session} ({:?}); {}",
                info.name,
                if names.is_empty() {
                    "it has no teams yet: the trainer enters them in classroom mode".to_owned()
                } else {
                    format!("its teams are: {}", names.join(", "))
                }
            )))
        }
    }
}

/// Saves a finished terminal campaign, action log included. If that fails, the result is kept
/// in a file and the failure, which names that file, is returned to be told after the result
/// (see [`save_play`]).
pub fn save_campaign(store: &mut Store, rec: &CampaignPlay<'_>, result: &CampaignResult) -> Saved {
    let ended_at = crate::store::now();
    let team = match &rec.classroom {
        Some(seat) => Ok(Some(seat.team)),
        None => rec.team.map(|t| store.team_by_name(t)).transpose(),
    };
    let saved = team.and_then(|team| {
        store.record_campaign(&NewCampaign {
            trainee: rec.trainee,
            team,
            round: rec.classroom.as_ref().map(|seat| seat.round.id),
            started_at: rec.started_at,
            ended_at,
            result,
        })
    });
    match saved {
        Ok(saved) => {
            let place = match (&saved.session_name, saved.round) {
                (Some(session), Some(round)) => format!(
                    " (session {}, campaign round {round}, team {})",
                    session,
                    saved.team.as_deref().unwrap_or("-")
                ),
                _ => String::new(),
            };
            let receipt = format!(
                "saved as campaign result {} in {}{place}",
                saved.id,
                where_(store)
            );
            Saved::Yes(receipt + &send_queued(store))
        }
        Err(e) => Saved::No(keep_unsaved(
            "campaign",
            &e.to_string(),
            store,
            serde_json::json!({
                "trainee": rec.trainee,
                "team": rec.team,
                "session": rec.classroom.as_ref().map(|seat| seat.session),
                "campaign_round": rec.classroom.as_ref().map(|seat| seat.round.number),
                "started_at": crate::store::stamp(rec.started_at),
                "ended_at": crate::store::stamp(ended_at),
                "result": result,
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
    let what = match kind {
        "quiz" => "quiz result",
        "campaign" => "campaign result",
        other => other,
    };
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
