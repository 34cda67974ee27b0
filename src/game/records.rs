//! Recording results: the results database as a resource, and the one place a finished
//! conversation, quiz or campaign is saved. The adapters announce [`ConversationEnded`],
//! [`QuizFinished`] and [`CampaignFinished`]; this plugin observes them, commits each in one transaction before its
//! debrief is shown, and publishes [`LastResult`] / [`LastQuiz`] with the attempt's id or why it
//! was not saved. Without a database path (headless tests) the store lives in memory.

use std::path::PathBuf;
use std::sync::Mutex;

use bevy::prelude::*;

use crate::domain::campaign::CampaignResult;
use crate::domain::engine::AttemptResult;
use crate::domain::mode::Mode;
use crate::domain::quiz::{QuizAttempt, QuizResult};
use crate::domain::text::Locale;
use crate::game::state::PlayContext;
use crate::store::{NewAttempt, NewCampaign, NewQuiz, Store, StoreError, stamp};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Results>();
    app.add_observer(record_conversation);
    app.add_observer(record_quiz);
    app.add_observer(record_campaign);
}

/// A conversation reached its ending: announced by the practice adapter, saved here.
#[derive(Event, Debug, Clone)]
pub struct ConversationEnded {
    /// The scored result.
    pub result: AttemptResult,
    /// Who played.
    pub trainee: String,
    /// The debtor persona's id.
    pub persona: String,
    /// `phone` or `visit`.
    pub channel: &'static str,
    /// Practice or exam.
    pub mode: Mode,
    /// When it started.
    pub started_at: jiff::Timestamp,
    /// When it ended.
    pub ended_at: jiff::Timestamp,
    /// When each turn was answered.
    pub turn_times: Vec<jiff::Timestamp>,
}

/// A quiz was finished: announced by the quiz adapter, saved here.
#[derive(Event, Debug, Clone)]
pub struct QuizFinished {
    /// The graded result.
    pub result: QuizResult,
    /// The attempt, with every response (for the review).
    pub attempt: QuizAttempt,
    /// Who took it.
    pub trainee: String,
    /// The language it was taken in.
    pub locale: Locale,
    /// When it started.
    pub started_at: jiff::Timestamp,
    /// When it ended.
    pub ended_at: jiff::Timestamp,
    /// When each answer was submitted, in the order asked.
    pub answer_times: Vec<jiff::Timestamp>,
}

/// A campaign ended (announced by the campaign adapter); this plugin saves it.
#[derive(Event, Debug, Clone)]
pub struct CampaignFinished {
    /// The result, with the action log.
    pub result: CampaignResult,
    /// When the desk was opened (in this run; a desk continued from a file counts from then).
    pub started_at: jiff::Timestamp,
    /// When it ended.
    pub ended_at: jiff::Timestamp,
    /// The team whose turn it was, in a classroom campaign round.
    pub team: Option<i64>,
    /// The classroom campaign round.
    pub round: Option<i64>,
}

/// The campaign that just ended, as recorded.
#[derive(Resource, Debug, Clone)]
pub struct LastCampaign {
    /// Its id in the results database, or why it could not be saved.
    pub saved: Result<i64, String>,
}

/// The result of the conversation that just ended, as recorded.
#[derive(Resource, Debug, Clone)]
pub struct LastResult {
    /// The scored result.
    pub result: AttemptResult,
    /// The best overall on this scenario before this attempt.
    pub previous_best: Option<f64>,
    /// Practice or exam.
    pub mode: Mode,
    /// The attempt's id in the results database, or why it could not be saved.
    pub saved: Result<i64, String>,
    /// Played as a classroom turn.
    pub classroom: bool,
}

/// The finished quiz, as recorded: the graded result and the attempt it came from.
#[derive(Resource, Debug)]
pub struct LastQuiz {
    /// The graded result.
    pub result: QuizResult,
    /// The attempt, with every response.
    pub attempt: QuizAttempt,
    /// The language it was taken in.
    pub locale: Locale,
    /// Its id in the results database, or why it could not be saved.
    pub saved: Result<i64, String>,
}

/// Saves a finished conversation under the play context (free practice or a team's turn) and
/// publishes it with its id or the store's error. Committed before the debrief is shown: what
/// the trainee sees is what is kept.
fn record_conversation(
    ended: On<ConversationEnded>,
    results: Res<Results>,
    context: Res<PlayContext>,
    mut commands: Commands,
) {
    let e = ended.event();
    let previous_best = match results.best_scores(&e.trainee) {
        Ok(bests) => bests
            .into_iter()
            .find(|(id, _, _)| *id == e.result.scenario)
            .map(|(_, score, _)| score),
        // The save below reports the store's trouble on the debrief itself.
        Err(err) => {
            error!("the previous best could not be read: {err}");
            None
        }
    };
    let (team, round) = match *context {
        PlayContext::ClassroomTurn { team, round } => (Some(team), Some(round)),
        PlayContext::Practice | PlayContext::Campaign => (None, None),
    };
    let saved = results.save(
        "attempt",
        |s| {
            s.record_attempt(&NewAttempt {
                trainee: &e.trainee,
                team,
                round,
                persona: &e.persona,
                channel: e.channel,
                mode: e.mode,
                started_at: e.started_at,
                ended_at: e.ended_at,
                turn_times: &e.turn_times,
                result: &e.result,
            })
            .map(|a| a.id)
        },
        || {
            serde_json::json!({
                "trainee": e.trainee,
                "team": team,
                "round": round,
                "mode": e.mode,
                "started_at": stamp(e.started_at),
                "ended_at": stamp(e.ended_at),
                "result": e.result,
            })
        },
    );
    if let Err(err) = &saved {
        error!("the attempt was not saved: {err}");
    }
    commands.insert_resource(LastResult {
        result: e.result.clone(),
        previous_best,
        mode: e.mode,
        saved,
        classroom: context.is_classroom(),
    });
}

/// Saves a finished campaign (with its action log) and publishes its id or the store's error.
fn record_campaign(finished: On<CampaignFinished>, results: Res<Results>, mut commands: Commands) {
    let f = finished.event();
    let saved = results.save(
        "campaign",
        |s| {
            s.record_campaign(&NewCampaign {
                trainee: &f.result.trainee,
                team: f.team,
                round: f.round,
                started_at: f.started_at,
                ended_at: f.ended_at,
                result: &f.result,
            })
            .map(|c| c.id)
        },
        || {
            serde_json::json!({
                "trainee": f.result.trainee,
                "team": f.team,
                "round": f.round,
                "started_at": stamp(f.started_at),
                "ended_at": stamp(f.ended_at),
                "result": f.result,
            })
        },
    );
    if let Err(err) = &saved {
        error!("the campaign result was not saved: {err}");
    }
    commands.insert_resource(LastCampaign { saved });
}

/// Saves a finished quiz and publishes it with its id or the store's error.
fn record_quiz(finished: On<QuizFinished>, results: Res<Results>, mut commands: Commands) {
    let f = finished.event();
    let code = f.attempt.spec().code();
    let saved = results.save(
        "quiz",
        |s| {
            s.record_quiz(&NewQuiz {
                trainee: &f.trainee,
                team: None,
                session: None,
                code: &code,
                locale: f.locale.tag(),
                mode: f.attempt.mode(),
                started_at: f.started_at,
                ended_at: f.ended_at,
                answer_times: &f.answer_times,
                result: &f.result,
            })
            .map(|q| q.id)
        },
        || {
            serde_json::json!({
                "trainee": f.trainee,
                "code": code,
                "mode": f.attempt.mode(),
                "started_at": stamp(f.started_at),
                "ended_at": stamp(f.ended_at),
                "answer_times": f.answer_times.iter().map(|t| stamp(*t)).collect::<Vec<_>>(),
                "result": f.result,
            })
        },
    );
    if let Err(err) = &saved {
        error!("the quiz result was not saved: {err}");
    }
    commands.insert_resource(LastQuiz {
        result: f.result.clone(),
        attempt: f.attempt.clone(),
        locale: f.locale,
        saved,
    });
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

    /// Results kept in `store` (already open), meant for the file `intended`.
    pub fn from_store(store: Store, intended: Option<PathBuf>) -> Results {
        Results {
            store: Mutex::new(store),
            problem: None,
            intended,
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

    /// The database file results are being kept in, when they are (not when it could not be
    /// opened, nor in memory).
    pub fn file(&self) -> Option<PathBuf> {
        self.problem
            .is_none()
            .then(|| self.intended.clone())
            .flatten()
    }

    /// Where results are kept, for the interface.
    pub fn location(&self) -> String {
        self.with(|s| Ok(s.path().map(|p| p.display().to_string())))
            .ok()
            .flatten()
            .unwrap_or_else(|| ":memory:".to_owned())
    }
}
