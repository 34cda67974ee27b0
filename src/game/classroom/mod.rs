//! Classroom mode: the trainer's PIN, sessions, teams, rounds, the hot seat and the
//! leaderboard. [`actions`] is the adapter that owns every store call; [`desk`] holds the shared
//! state; the other files are the screens, which present and trigger [`ClassroomAction`]s.

mod actions;
mod board;
mod campaign_turn;
mod desk;
mod lrs;
mod pin;
mod round;
mod sessions;
mod teams;
mod turn;

use bevy::prelude::*;

pub use actions::{CampaignTurn, ClassroomAction, ClassroomStore};
pub use board::{EndSessionButton, ExportButton, NextRoundButton, StandingRow};
pub use campaign_turn::CampaignSeatButton;
pub use desk::{
    ActiveSession, ClassroomNotice, Exported, PinEntry, Played, RoundDraft, Standing,
    TrainerUnlocked,
};
pub use lrs::{
    DialogueTextToggle, ForgetLrsButton, LrsField, SaveLrsButton, SecretDraft, SecretField,
    SendNowButton,
};
pub use pin::{PinDigit, PinOk};
pub use round::{RoundCampaign, RoundScenario, RoundSeedField, StartRoundButton};
pub use sessions::{
    ContinueSession, CreateSessionButton, ExportAllButton, LrsSettingsButton, ReviewSession,
    SessionNameField,
};
pub use teams::{AddTeamButton, PlanRoundButton, RemoveTeam, TeamField, split_members};
pub use turn::{LeaderboardButton, SeatButton};

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        desk::plugin,
        actions::plugin,
        pin::plugin,
        sessions::plugin,
        teams::plugin,
        round::plugin,
        turn::plugin,
        campaign_turn::plugin,
        board::plugin,
        lrs::plugin,
    ));
}
