//! The campaign adapter: owns the domain [`Desk`], applies the trainee's actions, hands an
//! authored conversation to the practice screens and takes its result back, keeps the desk in
//! a file after every action (so a campaign continues after the window is closed), and
//! announces [`CampaignFinished`] for the records plugin.

use std::path::{Path, PathBuf};

use bevy::prelude::*;

use crate::domain::campaign::{Action, Desk, DeskState, Step};
use crate::game::content::ContentLibrary;
use crate::game::practice::{Conversation, StartConversation};
use crate::game::records::{CampaignFinished, ConversationEnded, ResultsPath};
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, CampaignScreen, Navigate, PlayContext, TraineeName};

pub(super) fn plugin(app: &mut App) {
    app.add_message::<OpenCampaign>();
    app.add_message::<DeskDo>();
    app.add_observer(conversation_ended);
    app.add_systems(
        Update,
        (open_campaign, apply_actions)
            .chain()
            .in_set(AppSystems::Act),
    );
    app.add_systems(OnEnter(CampaignScreen::Desk), resume_pending_conversation);
}

/// Open a campaign: afresh with this seed, or from its kept desk.
#[derive(Message, Debug, Clone)]
pub struct OpenCampaign {
    /// The campaign id.
    pub id: String,
    /// The seed for a fresh start.
    pub seed: u64,
    /// Continue from the kept desk instead of starting afresh.
    pub resume: bool,
    /// A classroom team's turn in a campaign round.
    pub seat: Option<Seat>,
}

/// A team at the desk in a classroom campaign round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    /// Team id.
    pub team: i64,
    /// Campaign round id.
    pub round: i64,
}

/// Do this at the desk.
#[derive(Message, Debug, Clone)]
pub struct DeskDo(pub Action);

/// The campaign in progress.
#[derive(Resource)]
pub struct ActiveDesk {
    /// The domain desk.
    pub desk: Desk,
    /// The account the trainee is working on (an index into the ledger).
    pub cursor: usize,
    /// Bumped at every change, so the screen redraws.
    pub version: u64,
    /// What the last action refused, or why the desk could not be kept, to show.
    pub notice: Option<String>,
    /// The log lines shown as new (from this index on).
    pub fresh_from: usize,
    /// When the desk was opened in this run.
    pub opened_at: jiff::Timestamp,
    /// The classroom team at the desk, if this is a campaign round's turn.
    pub seat: Option<Seat>,
    /// The follow-up delay the log entries on the desk offer (working days).
    pub log_days: u32,
    /// Whom the letters on the desk go to: the contact alone at first, as a clerk's habit
    /// would have it; the course wants the people who decide.
    pub letters_to: crate::domain::campaign::Addressees,
}

impl ActiveDesk {
    /// Where the report and the desk's Back lead: the campaign list, or the classroom's hot
    /// seat for a team's turn.
    pub fn home(&self) -> crate::game::state::Place {
        match self.seat {
            Some(_) => crate::game::state::ClassroomScreen::CampaignTurn.into(),
            None => CampaignScreen::Select.into(),
        }
    }
}

/// The name a desk is worked under: the name typed on the title screen, or the default.
pub fn desk_trainee(name: &TraineeName, locale: crate::domain::text::Locale) -> String {
    if name.0.trim().is_empty() {
        crate::domain::engine::session::default_trainee(locale).to_owned()
    } else {
        name.0.clone()
    }
}

/// Where the desk of campaign `id` is kept between runs: beside the results database, one file
/// per trainee (so nobody continues someone else's desk), or per classroom team and round.
pub fn save_path(
    results: &ResultsPath,
    id: &str,
    seat: Option<Seat>,
    trainee: &str,
) -> Option<PathBuf> {
    use sha2::{Digest, Sha256};
    let db = results.0.as_ref()?;
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty())?;
    Some(match seat {
        None => {
            // A name can hold anything a file name cannot: the file is named by its hash.
            let who: String = Sha256::digest(trainee.as_bytes())[..6]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            dir.join(format!("dunning-dojo-campaign-{id}-{who}.json"))
        }
        Some(s) => dir.join(format!(
            "dunning-dojo-campaign-{id}-round{}-team{}.json",
            s.round, s.team
        )),
    })
}

/// Writes the desk atomically; a failure is returned to be shown.
fn keep(path: &Path, state: &DeskState) -> Result<(), String> {
    let text = serde_json::to_string(state).map_err(|e| e.to_string())?;
    crate::report::write_file(path, text.as_bytes()).map_err(|e| e.to_string())
}

/// Reads a kept desk, if there is one that this content can continue.
pub fn kept_desk(
    content: &ContentLibrary,
    results: &ResultsPath,
    id: &str,
    seat: Option<Seat>,
    trainee: &str,
) -> Option<Result<Desk, String>> {
    let path = save_path(results, id, seat, trainee)?;
    let text = std::fs::read_to_string(&path).ok()?;
    let state: Result<DeskState, String> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()));
    Some(state.and_then(|s| Desk::restore(&content.library, s).map_err(|e| e.to_string())))
}

fn open_campaign(
    mut opens: MessageReader<OpenCampaign>,
    content: Res<ContentLibrary>,
    results: Res<ResultsPath>,
    settings: Res<Settings>,
    name: Res<TraineeName>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(open) = opens.read().last().cloned() else {
        return;
    };
    let trainee = desk_trainee(&name, settings.locale);
    let desk = match (
        open.resume,
        kept_desk(&content, &results, &open.id, open.seat, &trainee),
    ) {
        (true, Some(Ok(desk))) => Ok(desk),
        (true, Some(Err(e))) => Err(e),
        _ => Desk::new(
            &content.library,
            &open.id,
            open.seed,
            settings.locale,
            &trainee,
        )
        .map_err(|e| e.to_string()),
    };
    match desk {
        Ok(desk) => {
            let fresh_from = desk.state().log.len();
            commands.insert_resource(ActiveDesk {
                desk,
                cursor: 0,
                version: 0,
                notice: None,
                fresh_from,
                opened_at: crate::store::now(),
                seat: open.seat,
                log_days: 2,
                letters_to: crate::domain::campaign::Addressees::ContactOnly,
            });
            next.to(CampaignScreen::Desk);
        }
        Err(e) => error!("cannot open campaign `{}`: {e}", open.id),
    }
}

fn apply_actions(
    mut actions: MessageReader<DeskDo>,
    desk: Option<ResMut<ActiveDesk>>,
    results: Res<ResultsPath>,
    mut context: ResMut<PlayContext>,
    mut starts: MessageWriter<StartConversation>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(mut active) = desk else {
        actions.clear();
        return;
    };
    for DeskDo(action) in actions.read() {
        let before = active.desk.state().log.len();
        match active.desk.apply(action.clone()) {
            Ok(Step::Done(_)) => active.notice = None,
            Ok(Step::Conversation(pending)) => {
                active.notice = None;
                *context = PlayContext::Campaign;
                starts.write(StartConversation {
                    scenario: pending.scenario.clone(),
                    seed: pending.seed,
                    prepared: Vec::new(),
                });
            }
            Err(e) => active.notice = Some(e.to_string()),
        }
        active.fresh_from = before;
        active.version += 1;
        after_change(&mut active, &results, &mut next, &mut commands);
    }
}

/// Keeps the desk, and when the campaign is over announces it and shows the report.
fn after_change(
    active: &mut ActiveDesk,
    results: &ResultsPath,
    next: &mut Navigate,
    commands: &mut Commands,
) {
    let id = active.desk.state().campaign.clone();
    if let Some(result) = active.desk.result() {
        if let Some(path) = save_path(results, &id, active.seat, &active.desk.state().trainee) {
            // The result goes to the records now; the kept desk is no longer needed.
            let _ = std::fs::remove_file(path);
        }
        commands.trigger(CampaignFinished {
            result,
            started_at: active.opened_at,
            ended_at: crate::store::now(),
            team: active.seat.map(|s| s.team),
            round: active.seat.map(|s| s.round),
        });
        next.to(CampaignScreen::Report);
        return;
    }
    if let Some(path) = save_path(results, &id, active.seat, &active.desk.state().trainee)
        && let Err(e) = keep(&path, &active.desk.save())
    {
        active.notice = Some(format!(
            "the desk could not be kept in {}: {e}",
            path.display()
        ));
    }
}

fn conversation_ended(
    ended: On<ConversationEnded>,
    context: Res<PlayContext>,
    desk: Option<ResMut<ActiveDesk>>,
    results: Res<ResultsPath>,
    mut next: Navigate,
    mut commands: Commands,
) {
    if *context != PlayContext::Campaign {
        return;
    }
    let Some(mut active) = desk else {
        return;
    };
    let result = &ended.event().result;
    let choices = result.debrief.iter().map(|t| t.choice.clone()).collect();
    let before = active.desk.state().log.len();
    if let Err(e) = active.desk.finish_conversation(result, choices) {
        active.notice = Some(e.to_string());
    }
    active.fresh_from = before;
    active.version += 1;
    // The conversation screen goes on to its debrief, which leads back to the desk (a day
    // only ends at the desk, so the campaign cannot be over here).
    after_change(&mut active, &results, &mut next, &mut commands);
}

/// Back at the desk with a conversation still waiting. Left half-way (the trainee chose to
/// leave it): the contact ended without a result, and the desk goes on. Waiting in a desk
/// continued from a file (the window closed mid-call): it starts again.
fn resume_pending_conversation(
    desk: Option<ResMut<ActiveDesk>>,
    conversation: Option<Res<Conversation>>,
    results: Res<ResultsPath>,
    mut context: ResMut<PlayContext>,
    mut starts: MessageWriter<StartConversation>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(mut active) = desk else {
        return;
    };
    let Some(pending) = active.desk.state().pending.clone() else {
        return;
    };
    let left = conversation.is_some_and(|c| {
        !c.session.is_ended()
            && c.session.seed() == pending.seed
            && c.content().scenario.id.0 == pending.scenario
    });
    if left {
        let before = active.desk.state().log.len();
        if let Err(e) = active.desk.abandon_conversation() {
            active.notice = Some(e.to_string());
        }
        active.fresh_from = before;
        active.version += 1;
        after_change(&mut active, &results, &mut next, &mut commands);
        return;
    }
    *context = PlayContext::Campaign;
    starts.write(StartConversation {
        scenario: pending.scenario.clone(),
        seed: pending.seed,
        prepared: Vec::new(),
    });
}
