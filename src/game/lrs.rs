//! The learning record store adapter: with an LRS configured in the results database, every
//! result saved queues its statements (in the save's own transaction), and a sender on a thread
//! of its own empties the outbox after each save and every minute while some wait, without ever
//! holding up a frame. Screens read [`LrsLink`] and send [`LrsAction`]s; nothing else here.

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use bevy::prelude::*;

use crate::domain::content::strings::SOURCE_LOCALE;
use crate::game::content::ContentLibrary;
use crate::game::records::{LastCampaign, LastQuiz, LastResult, Results};
use crate::game::state::AppSystems;
use crate::lrs::{Flush, LrsConfig, flush};
use crate::report::xapi::Catalog;
use crate::store::{OutboxCounts, Store};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LrsLink>();
    app.add_message::<LrsAction>();
    app.add_systems(
        Update,
        (configure, act, wake_on_save, start_flush, finish_flush)
            .chain()
            .in_set(AppSystems::Act),
    );
}

/// What the trainer asks of the LRS link.
#[derive(Message, Debug, Clone)]
pub enum LrsAction {
    /// Save this setting (checked first) and queue what was saved before it.
    Save(LrsConfig),
    /// Remove the setting; queued statements stay.
    Forget,
    /// Send what waits now, retry times notwithstanding.
    SendNow,
}

/// The LRS as the game knows it.
#[derive(Resource, Debug, Default)]
pub struct LrsLink {
    /// The setting, when there is one.
    pub config: Option<LrsConfig>,
    /// The outbox: pending, sent, refused.
    pub counts: OutboxCounts,
    /// The last problem: a setting refused, the LRS unreachable, credentials refused, the
    /// store failing. Cleared by a send that went through.
    pub problem: Option<String>,
    /// What the last send did, in a line (for the trainer).
    pub last_send: Option<Flush>,
    /// Whether a send is under way.
    pub sending: bool,
    /// Bumped whenever any of this changes, so the screen redraws.
    pub version: u64,
    task: Option<JoinHandle<Result<Flush, String>>>,
    wanted: bool,
    forced: bool,
    content_generation: Option<u64>,
    since_last: Duration,
}

/// Loads the setting and arms the store's outbox whenever the results database or the
/// content changes.
fn configure(
    results: Option<Res<Results>>,
    content: Option<Res<ContentLibrary>>,
    mut link: ResMut<LrsLink>,
) {
    let (Some(results), Some(content)) = (results, content) else {
        return;
    };
    if !results.is_changed() && link.content_generation == Some(content.generation) {
        return;
    }
    link.content_generation = Some(content.generation);
    arm(&results, &content, &mut link);
}

fn arm(results: &Results, content: &ContentLibrary, link: &mut LrsLink) {
    let catalog = Catalog::from_library(&content.library);
    let armed = results.with(|s| {
        let config = LrsConfig::load(s).map_err(crate::store::StoreError::Invalid)?;
        s.queue_statements(config.as_ref().map(|c| {
            Arc::new(c.statements(catalog.clone(), SOURCE_LOCALE)) as crate::store::Source
        }));
        Ok((config, s.outbox_counts()?))
    });
    match armed {
        Ok((config, counts)) => {
            link.wanted |= config.is_some() && counts.pending > 0;
            link.config = config;
            link.counts = counts;
        }
        Err(e) => link.problem = Some(e),
    }
    link.version += 1;
}

fn act(
    mut actions: MessageReader<LrsAction>,
    results: Option<Res<Results>>,
    content: Option<Res<ContentLibrary>>,
    mut link: ResMut<LrsLink>,
) {
    let (Some(results), Some(content)) = (results, content) else {
        actions.clear();
        return;
    };
    for action in actions.read() {
        let done = match action {
            LrsAction::Save(config) => {
                results.with(|s| config.save(s).map_err(crate::store::StoreError::Invalid))
            }
            LrsAction::Forget => {
                results.with(|s| LrsConfig::forget(s).map_err(crate::store::StoreError::Invalid))
            }
            LrsAction::SendNow => {
                link.forced = true;
                link.wanted = true;
                Ok(())
            }
        };
        match done {
            Ok(()) => {
                if !matches!(action, LrsAction::SendNow) {
                    link.problem = None;
                    arm(&results, &content, &mut link);
                    link.wanted = link.config.is_some();
                }
                // Results saved before the LRS was set go too (the store now renders them
                // with the setting just armed).
                if matches!(action, LrsAction::Save(_))
                    && let Err(e) = results.with(Store::queue_missing)
                {
                    link.problem = Some(e);
                }
            }
            Err(e) => link.problem = Some(e),
        }
        link.version += 1;
    }
}

/// A result just saved (its statements queued with it): send them.
fn wake_on_save(
    attempt: Option<Res<LastResult>>,
    quiz: Option<Res<LastQuiz>>,
    campaign: Option<Res<LastCampaign>>,
    results: Option<Res<Results>>,
    mut link: ResMut<LrsLink>,
) {
    let saved = attempt.is_some_and(|r| r.is_changed() && r.saved.is_ok())
        || quiz.is_some_and(|r| r.is_changed() && r.saved.is_ok())
        || campaign.is_some_and(|r| r.is_changed() && r.saved.is_ok());
    if saved && link.config.is_some() {
        link.wanted = true;
        if let Some(Ok(counts)) = results.map(|r| r.with(|s| s.outbox_counts())) {
            link.counts = counts;
            link.version += 1;
        }
    }
}

/// Starts a send on its own thread when one is wanted (after a save, on request, or a minute
/// after the last while statements wait) and none is under way.
fn start_flush(time: Res<Time>, results: Option<Res<Results>>, mut link: ResMut<LrsLink>) {
    link.since_last += time.delta();
    if link.task.is_some() {
        return;
    }
    let Some(config) = link.config.clone() else {
        return;
    };
    let periodic = link.counts.pending > 0 && link.since_last >= Duration::from_secs(60);
    if !(link.wanted || periodic) {
        return;
    }
    let Some(file) = results.as_ref().and_then(|r| r.file()) else {
        return;
    };
    let forced = std::mem::take(&mut link.forced);
    link.wanted = false;
    link.since_last = Duration::ZERO;
    link.sending = true;
    link.version += 1;
    link.task = Some(std::thread::spawn(move || send(&file, &config, forced)));
}

/// One send, on its own connection to the database (the game's stays free for saving).
fn send(file: &Path, config: &LrsConfig, forced: bool) -> Result<Flush, String> {
    let mut store = Store::open(file).map_err(|e| e.to_string())?;
    let due = (!forced).then(crate::store::now);
    flush(&mut store, &config.client(), due).map_err(|e| e.to_string())
}

fn finish_flush(mut link: ResMut<LrsLink>) {
    let Some(joined) = crate::game::finished(&mut link.task) else {
        return;
    };
    link.sending = false;
    match joined {
        Ok(Ok(f)) => {
            if let Some(problem) = &f.problem {
                warn!("{problem}");
            } else if f.sent > 0 {
                info!("sent {} statement(s) to the LRS", f.sent);
            }
            link.problem = f.problem.clone();
            link.counts = f.counts;
            link.last_send = Some(f);
        }
        Ok(Err(e)) => {
            error!("the LRS send could not read the results database: {e}");
            link.problem = Some(e);
        }
        Err(_) => link.problem = Some("the LRS send stopped unexpectedly".into()),
    }
    link.version += 1;
}
