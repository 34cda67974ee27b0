//! The screens: a state per screen, each spawning its UI on enter and despawning it on exit.

mod briefing;
mod content_errors;
mod conversation;
mod debrief;
mod loading;
mod select;
mod title;

use bevy::prelude::*;

pub use content_errors::DiagnosticEntry;
pub use conversation::{ChoiceButton, DebriefButton};
pub use debrief::OverallScore;
pub use select::ScenarioCard;
pub use title::StartPractising;

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.init_resource::<Selection>();
    app.add_systems(
        Update,
        (refresh_on_language_change, refresh_on_content_change)
            .in_set(crate::game::AppSystems::Act),
    );
    app.add_plugins((
        loading::plugin,
        title::plugin,
        select::plugin,
        briefing::plugin,
        conversation::plugin,
        debrief::plugin,
        content_errors::plugin,
    ));
}

/// Which screen is showing.
#[derive(States, Debug, Hash, PartialEq, Eq, Clone, Copy, Default)]
pub enum Screen {
    /// Waiting for the content folder.
    #[default]
    Loading,
    /// Name, language, start.
    Title,
    /// Scenario cards.
    ScenarioSelect,
    /// The briefing and the preparation checklist.
    Briefing,
    /// The call or visit.
    Conversation,
    /// Scores and the turn-by-turn review.
    Debrief,
    /// Problems found in the content files.
    ContentErrors,
}

/// The scenario being prepared or played, and its seed and preparation.
#[derive(Resource, Debug, Clone, Default)]
pub struct Selection {
    /// Scenario id.
    pub scenario: String,
    /// Seed for the debtor's line variants.
    pub seed: u64,
    /// Preparation ids ticked in the briefing.
    pub prepared: Vec<String>,
}

/// Re-enters the current screen when the language changes, so every string switches. The
/// conversation keeps its language (the domain session is bound to one).
fn refresh_on_language_change(
    settings: Res<crate::game::settings::Settings>,
    screen: Res<State<Screen>>,
    mut last: Local<Option<crate::domain::text::Locale>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let previous = last.replace(settings.locale);
    let current = *screen.get();
    if previous.is_some_and(|l| l != settings.locale)
        && !matches!(current, Screen::Loading | Screen::Conversation)
        && matches!(*next, NextState::Unchanged)
    {
        next.set(current);
    }
}

/// Re-enters the screens that list content (title, scenario cards, content problems) when the
/// content changes, so a saved file shows up at once.
fn refresh_on_content_change(
    content: Res<crate::game::content::ContentLibrary>,
    screen: Res<State<Screen>>,
    mut seen: Local<u64>,
    mut next: ResMut<NextState<Screen>>,
) {
    let current = *screen.get();
    // Never override a screen change already asked for this frame.
    if *seen != 0
        && *seen != content.generation
        && matches!(
            current,
            Screen::Title | Screen::ScenarioSelect | Screen::ContentErrors
        )
        && matches!(*next, NextState::Unchanged)
    {
        next.set(current);
    }
    *seen = content.generation;
}

/// A different seed from `seed`, for "retry with new wording".
pub fn next_seed(seed: u64) -> u64 {
    seed.wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407)
        >> 33
}
