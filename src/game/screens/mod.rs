//! The screens outside the features (loading, title, content problems, the leave prompt and the
//! settings overlay), and re-entering a screen when the language or the content changes. Each
//! screen spawns its UI on enter and despawns it on exit.

mod content_errors;
mod leave_prompt;
mod loading;
mod settings_overlay;
mod title;

use bevy::prelude::*;

use crate::game::state::{ClassroomScreen, Navigate, Place, QuizScreen, Screen};

pub use content_errors::DiagnosticEntry;
pub use leave_prompt::{LeaveConfirm, LeavePromptRoot};
pub use title::{StartCampaign, StartClassroom, StartPractising, StartQuizSetup};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (refresh_on_language_change, refresh_on_content_change)
            .in_set(crate::game::state::AppSystems::Act),
    );
    app.add_plugins((
        loading::plugin,
        title::plugin,
        content_errors::plugin,
        leave_prompt::plugin,
        settings_overlay::plugin,
    ));
}

/// Re-enters the current screen when the language changes, so every string switches. A
/// conversation or a quiz keeps the language it started in.
fn refresh_on_language_change(
    settings: Res<crate::game::settings::Settings>,
    mut last: Local<Option<crate::domain::text::Locale>>,
    mut next: Navigate,
) {
    let previous = last.replace(settings.locale);
    let here = next.here();
    let keeps_its_language = [
        Place::from(Screen::Loading),
        Place::from(Screen::Conversation),
        Place::from(QuizScreen::Question),
        Place::from(ClassroomScreen::Pin),
    ];
    if previous.is_some_and(|l| l != settings.locale)
        && !keeps_its_language.contains(&here)
        && next.is_unchanged()
    {
        next.to(here);
    }
}

/// Re-enters the screens that list content (title, scenario cards, content problems, quiz
/// setup) when the content changes, so a saved file shows up at once.
fn refresh_on_content_change(
    content: Res<crate::game::content::ContentLibrary>,
    mut seen: Local<u64>,
    mut next: Navigate,
) {
    let here = next.here();
    let lists_content = [
        Place::from(Screen::Title),
        Place::from(Screen::ScenarioSelect),
        Place::from(Screen::ContentErrors),
        Place::from(QuizScreen::Setup),
    ];
    // Never override a screen change already asked for this frame.
    if *seen != 0
        && *seen != content.generation
        && lists_content.contains(&here)
        && next.is_unchanged()
    {
        next.to(here);
    }
    *seen = content.generation;
}
