//! Opening the results database, for writing or read-only, and the one way every write runs:
//! an immediate transaction, tried again while another process holds the database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use super::{Result, Store, StoreError, schema};

/// How long one statement waits for another process's lock before SQLite reports it busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many times a whole write is tried while the database stays busy: with the busy timeout
/// that is about 25 s of waiting before a trainee's result is reported as not saved.
const WRITE_TRIES: u32 = 5;

/// How many times opening is started again while another process switches a new file to WAL
/// or migrates it (each such hold lasts milliseconds).
const OPEN_TRIES: u32 = 40;

/// Whether SQLite gave up waiting for a lock another connection holds.
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

fn open_error(path: &Path) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses a schema version this build cannot write (newer, or one no build writes).
fn check_version(path: &str, found: i64) -> Result<()> {
    let known = Store::known_version();
    if found > known {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            known,
        });
    }
    if found < 0 {
        return Err(StoreError::Foreign {
            path: path.to_owned(),
            found,
        });
    }
    Ok(())
}

/// `path` as an SQLite URI that opens it immutable (no locks, no `-shm`): the last resort for
/// reading a WAL file in a folder where nobody may create the `-shm` file.
fn immutable_uri(path: &Path) -> Result<String> {
    let abs = std::path::absolute(path).map_err(|source| StoreError::Folder {
        path: path.to_path_buf(),
        source,
    })?;
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file:");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

impl Store {
    /// Opens (creating if need be) the database at `path` for writing and brings its schema up
    /// to date. Nothing in the file changes until its version is known to be one this build
    /// writes and `PRAGMA quick_check` finds it sound.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(open_error(path))?;
        Store::init(conn, Some(path.to_path_buf()))
    }

    /// A private database in memory (tests, and the game when told not to keep results).
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None)
    }

    /// Opens the database at `path` for reading only (reports): no journal switch, no
    /// migration, no file created, so an archived or read-only copy exports. A file from an
    /// older build is read as it is (what a later migration added reads as empty: a file from
    /// before campaign mode has no campaign results); a file without the results tables, or
    /// from a newer build, is refused.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        // No SQLITE_OPEN_URI here: a file really called `file:…` must stay a file name.
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_error(path))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let found = match user_version(&conn) {
            Ok(v) => v,
            // A WAL file whose folder forbids creating `-shm` (an archived copy): with no
            // journal content beside it, the main file is the whole database and can be read
            // without locks. Nobody can be writing it, since nobody can create its `-wal`.
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen)
                ) && !Store::has_journal(path) =>
            {
                conn = Connection::open_with_flags(
                    immutable_uri(path)?,
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(open_error(path))?;
                user_version(&conn).map_err(open_error(path))?
            }
            Err(e) => return Err(open_error(path)(e)),
        };
        let shown = path.display().to_string();
        check_version(&shown, found)?;
        let known = Store::known_version();
        // Version 1 made the results tables; every later migration only adds tables.
        if found < 1 {
            return Err(StoreError::Unmigrated {
                path: shown,
                found,
                known,
            });
        }
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            version: found,
            outbox: None,
        })
    }

    /// Whether a `-wal` or `-journal` file with content lies beside `path`: then the main
    /// file alone is not the database.
    fn has_journal(path: &Path) -> bool {
        ["-wal", "-journal"].iter().any(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::metadata(PathBuf::from(name)).is_ok_and(|m| m.len() > 0)
        })
    }

    fn init(conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let mut store = Store {
            conn,
            path,
            version: Store::known_version(),
            outbox: None,
        };
        store
            .prepare()
            .map_err(|e| e.in_file(store.path.as_deref()))?;
        Ok(store)
    }

    /// Prepares the connection, starting again from the version read while another process
    /// holds a lock SQLite will not wait for: switching a new file to WAL needs the file to
    /// itself, and SQLite answers "database is locked" at once (no busy wait, to avoid a
    /// deadlock) when two processes open the same new file together.
    fn prepare(&mut self) -> Result<()> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.prepare_once() {
                Err(e) if e.is_busy() && tries < OPEN_TRIES => {
                    std::thread::sleep(Duration::from_millis(20 * u64::from(tries)));
                }
                other => return other,
            }
        }
    }

    fn prepare_once(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the version changes nothing, so a file from a newer build is refused before
        // its journal mode is touched.
        let found = match (user_version(&self.conn), &self.path) {
            (Ok(v), _) => v,
            (Err(e), Some(p)) => return Err(open_error(p)(e)),
            (Err(e), None) => return Err(e.into()),
        };
        check_version(&self.shown_path(), found)?;
        self.quick_check()?;
        // WAL: readers (a report) never block the game's writes, and a killed writer leaves
        // the last committed transaction intact. FULL sync makes a commit durable on return.
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        if found < Store::known_version() {
            self.migrate()?;
        }
        Ok(())
    }

    /// The file as shown in messages.
    pub(super) fn shown_path(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| ":memory:".into(), |p| p.display().to_string())
    }

    /// Refuses a file SQLite finds damaged, so nothing is appended to it.
    fn quick_check(&self) -> Result<()> {
        let findings: rusqlite::Result<Vec<String>> = self
            .conn
            .prepare("PRAGMA quick_check(1)")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect());
        let finding = match findings {
            Ok(f) if f.len() == 1 && f[0] == "ok" => return Ok(()),
            Ok(f) => f.join("; "),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
                ) =>
            {
                e.to_string()
            }
            Err(e) => return Err(e.into()),
        };
        Err(StoreError::Malformed {
            path: self.shown_path(),
            finding,
        })
    }

    /// Runs every pending migration in one immediate transaction. The version is read again
    /// under the write lock: another process opening the same new file may have migrated it
    /// since the first look.
    fn migrate(&mut self) -> Result<()> {
        let shown = self.shown_path();
        self.write(|tx| {
            let found = user_version(tx)?;
            check_version(&shown, found)?;
            let known = Store::known_version();
            for sql in schema::MIGRATIONS.iter().skip(found as usize) {
                tx.execute_batch(sql)?;
            }
            if found < known {
                tx.pragma_update(None, "user_version", known)?;
            }
            Ok(())
        })
    }

    /// Runs `body` in an immediate transaction (the write lock is taken at the start, so a
    /// write never finds its snapshot overtaken by another process) and commits it. While
    /// another process holds the lock past the busy timeout, the whole transaction is tried
    /// again, up to [`WRITE_TRIES`] times. Errors name the file.
    pub(super) fn write<T>(
        &mut self,
        mut body: impl FnMut(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut tries = 0;
        loop {
            tries += 1;
            let outcome = match self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
            {
                Ok(tx) => body(&tx).and_then(|out| {
                    tx.commit()?;
                    Ok(out)
                }),
                Err(e) => Err(e.into()),
            };
            match outcome {
                Err(e) if e.is_busy() && tries < WRITE_TRIES => {
                    std::thread::sleep(Duration::from_millis(50 * u64::from(tries)));
                }
                other => return other.map_err(|e| e.in_file(self.path.as_deref())),
            }
        }
    }
}
