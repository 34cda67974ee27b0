//! Exports of the results database for the trainer: CSV for spreadsheets, xAPI statements for
//! a learning record store, and a printable HTML report, each with the attempts, the quizzes
//! and the campaigns. Each is a pure function of a
//! [`ReportData`] read from the store, so the exports agree with each other; [`write_file`]
//! puts one on disk whole or not at all.

pub mod csv;
pub mod html;
pub mod xapi;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use crate::domain::classroom::{
    AttemptRecord, CampaignBoard, CampaignRecord, Leaderboard, ScenarioStats, TraineeStats,
    scenario_stats, trainee_stats,
};
use crate::domain::engine::session::render_text;
use crate::domain::library::Library;
use crate::domain::text::Locale;
use crate::store::{
    AttemptFilter, CampaignRoundInfo, Result, RoundInfo, SessionInfo, Skipped, Store,
    StoredAttempt, StoredCampaign, StoredQuiz, TeamInfo,
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
    /// Its campaign rounds.
    pub campaign_rounds: Vec<CampaignRoundInfo>,
    /// The board of each campaign round, in round order.
    pub campaign_boards: Vec<CampaignBoard>,
}

impl SessionReport {
    /// Whether the session's board of scenario rounds is worth showing: it has such rounds,
    /// or it has no campaign rounds either (a new session still lists its teams). A session
    /// of campaign rounds only shows their boards alone.
    pub fn shows_scenario_board(&self) -> bool {
        !self.rounds.is_empty() || self.campaign_rounds.is_empty()
    }
}

/// The titles of what was played, in the report's language, by id (an id missing here shows
/// as the id).
#[derive(Clone, Debug, Default)]
pub struct Titles {
    /// Scenario titles.
    pub scenarios: BTreeMap<String, String>,
    /// Campaign titles.
    pub campaigns: BTreeMap<String, String>,
}

/// Everything an export shows.
#[derive(Clone, Debug)]
pub struct ReportData {
    /// Attempts, in play order.
    pub attempts: Vec<StoredAttempt>,
    /// Quiz results, in order.
    pub quizzes: Vec<StoredQuiz>,
    /// Campaign results, in play order.
    pub campaigns: Vec<StoredCampaign>,
    /// Sessions covered (one with `--session`, else all).
    pub sessions: Vec<SessionReport>,
    /// Per trainee.
    pub trainees: Vec<TraineeStats>,
    /// Per scenario.
    pub scenarios: Vec<ScenarioStats>,
    /// Titles by id, in the report's language.
    pub titles: Titles,
    /// Stored rows left out because they fail their checksum or do not parse.
    pub skipped: Vec<Skipped>,
}

impl ReportData {
    /// Reads the whole database, or one session of it. A row that fails its checksum or does
    /// not parse is left out and listed in [`ReportData::skipped`]; errors name the file.
    pub fn load(store: &Store, session: Option<i64>, titles: Titles) -> Result<ReportData> {
        ReportData::read(store, session, titles).map_err(|e| e.in_file(store.path()))
    }

    fn read(store: &Store, session: Option<i64>, titles: Titles) -> Result<ReportData> {
        let infos = match session {
            Some(id) => vec![store.session(id)?],
            None => {
                let mut all = store.sessions()?;
                all.reverse();
                all
            }
        };
        // Every attempt is read (and its JSON parsed) once; the leaderboards come from them.
        let filter = AttemptFilter {
            session,
            trainee: None,
        };
        let attempts = store.attempts_checked(&filter)?;
        let quizzes = store.quizzes_checked(session)?;
        let campaigns = store.campaign_results_checked(&filter)?;
        let mut skipped = attempts.skipped;
        skipped.extend(quizzes.skipped);
        skipped.extend(campaigns.skipped);
        let attempts = attempts.rows;
        let records: Vec<AttemptRecord> = attempts.iter().map(StoredAttempt::record).collect();
        let desks: Vec<CampaignRecord> =
            campaigns.rows.iter().map(StoredCampaign::record).collect();
        let sessions = infos
            .into_iter()
            .map(|info| {
                Ok(SessionReport {
                    leaderboard: store.leaderboard_over(info.id, &records)?,
                    teams: store.teams(info.id)?,
                    rounds: store.rounds(info.id)?,
                    campaign_rounds: store.campaign_rounds(info.id)?,
                    campaign_boards: store.campaign_boards_over(info.id, &desks)?,
                    info,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ReportData {
            trainees: trainee_stats(&records),
            scenarios: scenario_stats(&records),
            quizzes: quizzes.rows,
            campaigns: campaigns.rows,
            attempts,
            sessions,
            titles,
            skipped,
        })
    }

    /// Every playable scenario's and campaign's title in `locale`, for [`ReportData::load`].
    pub fn titles(lib: &Library, locale: Locale) -> Titles {
        Titles {
            scenarios: lib
                .scenarios
                .iter()
                .map(|(id, p)| {
                    let c = &p.compiled;
                    (id.clone(), render_text(c, locale, "", &c.scenario.title))
                })
                .collect(),
            campaigns: lib
                .campaigns
                .iter()
                .map(|(id, c)| (id.clone(), c.title.resolve(locale).to_owned()))
                .collect(),
        }
    }

    /// A scenario's title, or its id.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.titles.scenarios.get(id).map_or(id, String::as_str)
    }

    /// A campaign's title, or its id.
    pub fn campaign_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.titles.campaigns.get(id).map_or(id, String::as_str)
    }
}

/// Seconds with millisecond precision, as shown in exports.
pub fn seconds(ms: i64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file in the same folder,
/// flushed to disk, then renamed over `path`. If anything fails (a full disk), the file that
/// was there stays as it was and the temporary file is removed. A new file gets the usual
/// permissions (0666 less the umask); a file replaced keeps its own; a read-only file is left
/// alone with an error.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    if existing.as_ref().is_some_and(|p| p.readonly()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dunning-dojo-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Passed to open(2), so the umask applies as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(perms) = existing {
        tmp.as_file().set_permissions(perms)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
