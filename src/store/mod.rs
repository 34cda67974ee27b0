//! The trainer's results database: one SQLite file (bundled SQLite, WAL journal, full sync)
//! holding trainees, classroom sessions, teams, rounds, every attempt, quiz result and campaign
//! result. Opening
//! it for writing checks its version and soundness before anything changes, then runs the
//! pending migrations; each record is written in one immediate transaction, so a process
//! killed at any moment leaves every committed record whole and two writers wait for each
//! other instead of failing. Reports open it read-only.

mod attempts;
mod campaign_rounds;
mod campaigns;
mod checked;
mod classroom;
mod open;
mod outbox;
mod schema;
mod unsaved;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

pub use attempts::{AttemptFilter, NewAttempt, NewQuiz, StoredAttempt, StoredQuiz};
pub use campaign_rounds::CampaignRoundInfo;
pub use campaigns::{NewCampaign, StoredCampaign};
pub use checked::{Checked, Skipped};
pub use classroom::{RoundInfo, SessionInfo, TeamInfo};
pub use outbox::{OutboxCounts, Queued, Refused, Source, StatementSource};
pub use unsaved::keep_unsaved;

/// The environment variable that overrides the default database path.
pub const DB_ENV: &str = "DUNNING_DOJO_DB";

/// What can go wrong with the results database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The folder for the database could not be made.
    #[error("cannot create the folder {path} for the results database: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// SQLite refused to open the file.
    #[error(
        "cannot open the results database {path}: {source} (check the path, or pass --db / set {DB_ENV} to another file)"
    )]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The file was written by a newer Dunning Dojo.
    #[error(
        "the results database {path} has schema version {found}, newer than this build knows ({known}); update Dunning Dojo, or pass --db to use another file"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its version.
        found: i64,
        /// Ours.
        known: i64,
    },
    /// The file holds a schema version no Dunning Dojo writes (negative).
    #[error(
        "the results database {path} has schema version {found}, which no Dunning Dojo writes; pass --db to use another file"
    )]
    Foreign {
        /// The file.
        path: String,
        /// Its version.
        found: i64,
    },
    /// A report was asked of a file whose schema is older than this build reads (reports
    /// never change the file, so they do not migrate it).
    #[error(
        "the results database {path} has schema version {found} and reports read version {known}; record one play into it (or open it in the game) to bring it up to date, then report again"
    )]
    Unmigrated {
        /// The file.
        path: String,
        /// Its version.
        found: i64,
        /// Ours.
        known: i64,
    },
    /// SQLite finds the file damaged; nothing is written to it.
    #[error(
        "the results database {path} is damaged ({finding}); nothing was written to it. Make a copy of it (and of any -wal file beside it) and keep it, then pass --db to record into a new file; SQLite's `.recover` command can often rescue the rest"
    )]
    Malformed {
        /// The file.
        path: String,
        /// SQLite's first finding.
        finding: String,
    },
    /// No home folder, so no default path.
    #[error("cannot find a per-user data folder; pass --db PATH or set {DB_ENV}")]
    NoDataDir,
    /// A query failed (`file` is empty until the error is placed with [`StoreError::in_file`]).
    #[error("results database{}: {source}", if file.is_empty() { String::new() } else { format!(" {file}") })]
    Sql {
        /// The file, when known.
        file: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A stored record does not read back.
    #[error("stored record {what} is damaged: {why}")]
    Damaged {
        /// Which record.
        what: String,
        /// Why.
        why: String,
    },
    /// A name was left empty or is already taken.
    #[error("{0}")]
    Invalid(String),
    /// A record that was asked for does not exist.
    #[error("no {0}")]
    Missing(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(source: rusqlite::Error) -> Self {
        StoreError::Sql {
            file: String::new(),
            source,
        }
    }
}

impl StoreError {
    /// Names `path` in a query error that does not name its file yet.
    pub fn in_file(self, path: Option<&Path>) -> StoreError {
        match (self, path) {
            (StoreError::Sql { file, source }, Some(p)) if file.is_empty() => StoreError::Sql {
                file: p.display().to_string(),
                source,
            },
            (e, _) => e,
        }
    }

    /// Whether SQLite gave up waiting for another process's lock.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Sql { source, .. } | StoreError::Open { source, .. } if open::is_busy(source))
    }
}

/// Results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The open results database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The schema version of the file as it is read: the current one when opened for
    /// writing, possibly an older one when a report opens it read-only (see
    /// [`Store::open_read_only`]).
    version: i64,
    /// Renders the statements queued with each new result (see [`Store::queue_statements`]).
    outbox: Option<Source>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("version", &self.version)
            .field("queues_statements", &self.outbox.is_some())
            .finish()
    }
}

/// The default database file: `results.sqlite` in the per-user data folder
/// (`~/.local/share/dunning-dojo` on Linux, `%APPDATA%\dunning-dojo\data` on Windows,
/// `~/Library/Application Support/dunning-dojo` on macOS).
pub fn default_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "dunning-dojo")
        .map(|d| d.data_dir().join("results.sqlite"))
        .ok_or(StoreError::NoDataDir)
}

/// The database to use: `flag` (`--db`) if given, else [`DB_ENV`] if set and not empty, else
/// [`default_path`].
pub fn resolve_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    match std::env::var_os(DB_ENV) {
        Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
        _ => default_path(),
    }
}

/// SHA-256 (hex) of a stored record's JSON, kept beside it to prove it reads back unchanged.
pub fn checksum(text: &str) -> String {
    checksum_bytes(text.as_bytes())
}

/// SHA-256 (hex) of stored bytes (a damaged row may not even be text).
pub(crate) fn checksum_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A timestamp as stored: RFC 3339 in UTC with exactly three decimals, so that text order is
/// time order (`…:05Z` would sort after `…:05.250Z`).
pub fn stamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Now, to the millisecond.
pub fn now() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Millisecond).unwrap_or(now)
}

impl Store {
    /// The file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The schema version this build writes.
    pub fn known_version() -> i64 {
        schema::MIGRATIONS.len() as i64
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound file, else SQLite's findings.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn trainee_id(tx: &Connection, name: &str, at: &str) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a trainee needs a name".into()));
        }
        if let Some(id) = tx
            .query_row("SELECT id FROM trainees WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?
        {
            return Ok(id);
        }
        tx.execute(
            "INSERT INTO trainees (name, created_at) VALUES (?1, ?2)",
            (name, at),
        )?;
        Ok(tx.last_insert_rowid())
    }

    /// Every trainee name, sorted.
    pub fn trainees(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM trainees ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A setting (`None` when unset).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets (`Some`) or removes (`None`) several settings in one transaction.
    pub fn set_settings(&mut self, pairs: &[(&str, Option<&str>)]) -> Result<()> {
        self.write(|tx| {
            for (key, value) in pairs {
                match value {
                    Some(v) => tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (key, v),
                    )?,
                    None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
                };
            }
            Ok(())
        })
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_gets_the_whole_schema_and_reopens_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/folder/results.sqlite");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), Store::known_version());
        assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_owned()]);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(store);
        let again = Store::open(&path).unwrap();
        assert_eq!(again.schema_version().unwrap(), Store::known_version());
    }

    #[test]
    fn an_empty_file_is_migrated_to_the_current_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.sqlite");
        std::fs::write(&path, b"").unwrap();
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), Store::known_version());
        let tables: Vec<String> = {
            let mut stmt = store
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        for t in [
            "attempt_choices",
            "attempts",
            "campaign_results",
            "campaign_rounds",
            "quiz_results",
            "rounds",
            "sessions",
            "settings",
            "team_members",
            "teams",
            "trainees",
        ] {
            assert!(tables.iter().any(|x| x == t), "{t} missing from {tables:?}");
        }
        // And it is usable straight away.
        store.create_session("first").unwrap();
    }

    #[test]
    fn a_file_from_a_newer_build_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("newer than this build"));
        // Not even its journal mode was switched (header bytes 18 and 19).
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert_eq!(&before[18..20], &[1, 1]);
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
    }

    #[test]
    fn a_negative_schema_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.sqlite");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", -1)
            .unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::Foreign { found: -1, .. }),
            "{err}"
        );
    }

    #[test]
    fn query_errors_name_their_file_once_placed() {
        let e = StoreError::from(rusqlite::Error::QueryReturnedNoRows);
        assert_eq!(e.to_string(), "results database: Query returned no rows");
        let e = e.in_file(Some(Path::new("/x/r.sqlite")));
        assert_eq!(
            e.to_string(),
            "results database /x/r.sqlite: Query returned no rows"
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.sqlite");
        std::fs::write(&path, "this is a spreadsheet, not a database ".repeat(100)).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(err.to_string().contains("results database"), "{err}");
    }

    #[test]
    fn stamps_sort_in_time_order() {
        let a: jiff::Timestamp = "2026-11-20T09:00:05Z".parse().unwrap();
        let b = a + jiff::SignedDuration::from_millis(250);
        let c = a + jiff::SignedDuration::from_secs(1);
        assert_eq!(stamp(a), "2026-11-20T09:00:05.000Z");
        assert_eq!(stamp(b), "2026-11-20T09:00:05.250Z");
        assert!(stamp(a) < stamp(b) && stamp(b) < stamp(c));
        assert_eq!(stamp(b).parse::<jiff::Timestamp>().unwrap(), b);
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let p = resolve_path(Some(Path::new("/tmp/x.sqlite"))).unwrap();
        assert_eq!(p, PathBuf::from("/tmp/x.sqlite"));
    }
}
