//! `soak`, the hidden command the crash test kills mid-write (test builds only: the
//! `scripted` feature).

use std::path::Path;

use super::Failure;
use super::record::{open_store, store_failure};
use crate::domain::engine::{Session, Setup};
use crate::domain::library::Library;
use crate::domain::mode::Mode;
use crate::domain::text::Locale;
use crate::store::NewAttempt;

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
                turn_times: &[],
                result: &result,
            })
            .map_err(store_failure)?;
        out!("committed {} {}", saved.id, saved.checksum);
    }
    Ok(0)
}
