//! Practice: scenario cards, briefing, the call or visit, and the debrief. The `adapter`
//! connects the domain to the screens; the other files are the screens, which present
//! and forward input.

mod adapter;
mod briefing;
mod conversation;
mod debrief;
mod select;

use bevy::prelude::*;

pub use adapter::{Conversation, FeedbackNote, LogKind, LogLine, Say, StartConversation};
pub use briefing::StartButton;
pub use conversation::{ChoiceButton, DebriefButton};
pub use debrief::{NextTeamButton, OverallScore};
pub use select::ScenarioCard;

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        adapter::plugin,
        select::plugin,
        briefing::plugin,
        conversation::plugin,
        debrief::plugin,
    ));
}
