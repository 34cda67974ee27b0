//! The results database as a resource. Every finished conversation and quiz is committed here
//! (one transaction each) before its debrief is shown; the scenario cards read the trainee's
//! best scores from it. Without a database path (headless tests) it lives in memory.

use std::path::PathBuf;
use std::sync::Mutex;

use bevy::prelude::*;

use crate::store::{Store, StoreError};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Results>();
}

/// Where results go: the database file, or memory.
#[derive(Resource, Debug, Clone, Default)]
pub struct ResultsPath(pub Option<PathBuf>);

/// The open results database.
#[derive(Resource)]
pub struct Results {
    // SQLite connections are `Send` but not `Sync`; systems take turns through the lock.
    store: Mutex<Store>,
    /// Why results are not being kept on disk, when that is so (shown on the title screen).
    pub problem: Option<String>,
    /// The file results were meant for (its folder is the first place an unsaved result is
    /// kept).
    intended: Option<PathBuf>,
}

impl FromWorld for Results {
    fn from_world(world: &mut World) -> Self {
        let path = world
            .get_resource::<ResultsPath>()
            .and_then(|p| p.0.clone());
        Results::open(path.as_deref())
    }
}

impl Results {
    /// Opens `path`, or memory when `None`. A file that cannot be opened leaves the game
    /// playable on a database in memory, with [`Results::problem`] saying why.
    pub fn open(path: Option<&std::path::Path>) -> Results {
        let opened = match path {
            Some(p) => Store::open(p),
            None => Store::open_in_memory(),
        };
        match opened {
            Ok(store) => Results {
                store: Mutex::new(store),
                problem: None,
                intended: path.map(std::path::Path::to_path_buf),
            },
            Err(e) => {
                error!("{e}");
                Results {
                    store: Mutex::new(
                        Store::open_in_memory().expect("SQLite opens a database in memory"),
                    ),
                    problem: Some(e.to_string()),
                    intended: path.map(std::path::Path::to_path_buf),
                }
            }
        }
    }

    /// Runs `f` on the store.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, String> {
        // A panic while holding the lock cannot leave a half-written transaction behind
        // (SQLite rolls it back), so a poisoned lock is still safe to use.
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut store).map_err(|e| e.to_string())
    }

    /// Saves a finished attempt or quiz with `write`, returning its id. When the database file
    /// could not be opened the save is refused (results kept only in memory would be lost at
    /// exit, so "saved" would not be true). When the save fails, `record` is written to a file
    /// of its own (beside the database, else the working folder, else the temporary folder)
    /// and the error says where: nothing the trainee did is lost.
    pub fn save(
        &self,
        kind: &str,
        write: impl FnOnce(&mut Store) -> Result<i64, StoreError>,
        record: impl FnOnce() -> serde_json::Value,
    ) -> Result<i64, String> {
        let error = match &self.problem {
            Some(problem) => format!("the results database could not be opened ({problem})"),
            None => match self.with(write) {
                Ok(id) => return Ok(id),
                Err(e) => e,
            },
        };
        let folders: Vec<PathBuf> = self
            .intended
            .as_deref()
            .and_then(std::path::Path::parent)
            .map(std::path::Path::to_path_buf)
            .into_iter()
            .chain(std::env::current_dir())
            .chain([std::env::temp_dir()])
            .collect();
        let database = self
            .intended
            .as_ref()
            .map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string());
        Err(
            match crate::store::keep_unsaved(kind, &error, &database, record(), &folders) {
                Ok(path) => format!(
                    "{error}. Nothing is lost: the result is kept in {}",
                    path.display()
                ),
                Err(tried) => format!(
                    "{error}. It could not be kept in a file either: {}",
                    tried.join("; ")
                ),
            },
        )
    }

    /// `trainee`'s best overall score on each scenario, and whether they have passed it.
    pub fn best_scores(&self, trainee: &str) -> Result<Vec<(String, f64, bool)>, String> {
        self.with(|s| s.best_scores(trainee))
    }

    /// Where results are kept, for the interface.
    pub fn location(&self) -> String {
        self.with(|s| Ok(s.path().map(|p| p.display().to_string())))
            .ok()
            .flatten()
            .unwrap_or_else(|| ":memory:".to_owned())
    }
}
