//! Exports of the results database for the trainer: CSV for spreadsheets, xAPI statements for
//! a learning record store, and a printable HTML report. Each is a pure function of a
//! [`ReportData`] read from the store, so the exports agree with each other.

pub mod csv;
pub mod html;
pub mod xapi;

use std::collections::BTreeMap;

use crate::domain::classroom::{
    AttemptRecord, Leaderboard, ScenarioStats, TraineeStats, scenario_stats, trainee_stats,
};
use crate::domain::content::Library;
use crate::domain::engine::session::render_text;
use crate::domain::text::Locale;
use crate::store::{
    AttemptFilter, Result, RoundInfo, SessionInfo, Store, StoredAttempt, StoredQuiz, TeamInfo,
};

/// One classroom session with its teams, rounds and leaderboard.
#[derive(Clone, Debug)]
pub struct SessionReport {
    /// The session.
    pub info: SessionInfo,
    /// Its teams.
    pub teams: Vec<TeamInfo>,
    /// Its rounds.
    pub rounds: Vec<RoundInfo>,
    /// Its leaderboard.
    pub leaderboard: Leaderboard,
}

/// Everything an export shows.
#[derive(Clone, Debug)]
pub struct ReportData {
    /// Attempts, in play order.
    pub attempts: Vec<StoredAttempt>,
    /// Quiz results, in order.
    pub quizzes: Vec<StoredQuiz>,
    /// Sessions covered (one with `--session`, else all).
    pub sessions: Vec<SessionReport>,
    /// Per trainee.
    pub trainees: Vec<TraineeStats>,
    /// Per scenario.
    pub scenarios: Vec<ScenarioStats>,
    /// Scenario titles by id, in the report's language (ids missing here show as ids).
    pub titles: BTreeMap<String, String>,
}

impl ReportData {
    /// Reads the whole database, or one session of it.
    pub fn load(
        store: &Store,
        session: Option<i64>,
        titles: BTreeMap<String, String>,
    ) -> Result<ReportData> {
        let infos = match session {
            Some(id) => vec![store.session(id)?],
            None => {
                let mut all = store.sessions()?;
                all.reverse();
                all
            }
        };
        // Every attempt is read (and its JSON parsed) once; the leaderboards come from them.
        let attempts = store.attempts(&AttemptFilter {
            session,
            trainee: None,
        })?;
        let records: Vec<AttemptRecord> = attempts.iter().map(StoredAttempt::record).collect();
        let sessions = infos
            .into_iter()
            .map(|info| {
                Ok(SessionReport {
                    leaderboard: store.leaderboard_over(info.id, &records)?,
                    teams: store.teams(info.id)?,
                    rounds: store.rounds(info.id)?,
                    info,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ReportData {
            trainees: trainee_stats(&records),
            scenarios: scenario_stats(&records),
            quizzes: store.quizzes(session)?,
            attempts,
            sessions,
            titles,
        })
    }

    /// Every playable scenario's title in `locale`, for [`ReportData::load`].
    pub fn titles(lib: &Library, locale: Locale) -> BTreeMap<String, String> {
        lib.scenarios
            .iter()
            .map(|(id, p)| {
                let c = &p.compiled;
                (id.clone(), render_text(c, locale, "", &c.scenario.title))
            })
            .collect()
    }

    /// A scenario's title, or its id.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.titles.get(id).map_or(id, String::as_str)
    }
}

/// Seconds with millisecond precision, as shown in exports.
pub fn seconds(ms: i64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}
