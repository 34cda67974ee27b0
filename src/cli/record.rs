//! Saving terminal plays and quizzes in the results database, and `soak`, the hidden command
//! the crash test kills mid-write.

use std::path::Path;

use super::Failure;
use crate::domain::content::Library;
use crate::domain::engine::{AttemptResult, Compiled, Session, Setup};
use crate::domain::mode::Mode;
use crate::domain::text::Locale;
use crate::store::{NewAttempt, Store, resolve_path};

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

/// Where a terminal attempt is played from.
pub struct PlayRecord<'a> {
    /// The database flag.
    pub db: Option<&'a Path>,
    /// Trainee name.
    pub trainee: &'a str,
    /// Team name (a team outside any classroom session).
    pub team: Option<&'a str>,
    /// Practice or exam.
    pub mode: Mode,
    /// When play started.
    pub started_at: jiff::Timestamp,
}

/// Records a finished terminal attempt; returns the one-line receipt for stderr.
pub fn record_play(
    rec: &PlayRecord<'_>,
    c: &Compiled,
    result: &AttemptResult,
) -> Result<String, Failure> {
    let mut store = open_store(rec.db)?;
    let team = rec
        .team
        .map(|t| store.team_by_name(t))
        .transpose()
        .map_err(store_failure)?;
    let saved = store
        .record_attempt(&NewAttempt {
            trainee: rec.trainee,
            team,
            round: None,
            persona: &c.persona.id.0,
            channel: c.scenario.channel.key(),
            mode: rec.mode,
            started_at: rec.started_at,
            ended_at: crate::store::now(),
            result,
        })
        .map_err(store_failure)?;
    Ok(format!(
        "saved as attempt {} in {}",
        saved.id,
        store
            .path()
            .map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
    ))
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
