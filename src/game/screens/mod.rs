//! The screens: a state per screen, each spawning its UI on enter and despawning it on exit.

mod briefing;
mod classroom_board;
mod classroom_pin;
mod classroom_round;
mod classroom_sessions;
mod classroom_teams;
mod classroom_turn;
mod content_errors;
mod conversation;
mod debrief;
mod leave_prompt;
mod loading;
mod quiz_question;
mod quiz_result;
mod quiz_setup;
mod select;
mod title;

use bevy::prelude::*;

pub use classroom_board::{EndSessionButton, ExportButton, Exported, NextRoundButton, StandingRow};
pub use classroom_pin::{PinDigit, PinEntry, PinOk};
pub use classroom_round::{RoundScenario, RoundSeedField, StartRoundButton};
pub use classroom_sessions::{
    ContinueSession, CreateSessionButton, ExportAllButton, ReviewSession, SessionNameField,
};
pub use classroom_teams::{AddTeamButton, PlanRoundButton, RemoveTeam, TeamField, split_members};
pub use classroom_turn::{LeaderboardButton, SeatButton};
pub use content_errors::DiagnosticEntry;
pub use conversation::{ChoiceButton, DebriefButton};
pub use debrief::NextTeamButton;
pub use debrief::OverallScore;
pub use quiz_question::{NextButton, QuizOptionButton, SubmitButton};
pub use quiz_result::{QuizScore, RecommendedScenario};
pub use quiz_setup::{CodeField, SetupOption, StartQuizButton};
pub use select::ScenarioCard;
pub use title::{StartClassroom, StartPractising, StartQuizSetup};

pub(super) fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.init_resource::<Selection>();
    app.add_observer(classroom_escape);
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
        leave_prompt::plugin,
        quiz_setup::plugin,
        quiz_question::plugin,
        quiz_result::plugin,
    ));
    app.add_plugins((
        classroom_pin::plugin,
        classroom_sessions::plugin,
        classroom_teams::plugin,
        classroom_round::plugin,
        classroom_turn::plugin,
        classroom_board::plugin,
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
    /// Choosing a self-assessment quiz.
    QuizSetup,
    /// Answering the quiz, one question at a time.
    Quiz,
    /// The quiz's score, topics, recommendations and explanations.
    QuizResult,
    /// The trainer's PIN, in front of classroom mode.
    ClassroomPin,
    /// Classroom sessions: new, continue, review.
    ClassroomSessions,
    /// A session's teams.
    ClassroomTeams,
    /// Planning a round: scenarios and seed.
    ClassroomRound,
    /// The hot seat: which team is up, who takes the keyboard.
    ClassroomTurn,
    /// The leaderboard and the trainer's views of a session.
    ClassroomBoard,
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

/// Re-enters the current screen when the language changes, so every string switches. A
/// conversation or a quiz keeps the language it started in.
fn refresh_on_language_change(
    settings: Res<crate::game::settings::Settings>,
    screen: Res<State<Screen>>,
    mut last: Local<Option<crate::domain::text::Locale>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let previous = last.replace(settings.locale);
    let current = *screen.get();
    if previous.is_some_and(|l| l != settings.locale)
        && !matches!(
            current,
            Screen::Loading | Screen::Conversation | Screen::Quiz | Screen::ClassroomPin
        )
        && matches!(*next, NextState::Unchanged)
    {
        next.set(current);
    }
}

/// Re-enters the screens that list content (title, scenario cards, content problems, quiz
/// setup) when the
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
            Screen::Title | Screen::ScenarioSelect | Screen::ContentErrors | Screen::QuizSetup
        )
        && matches!(*next, NextState::Unchanged)
    {
        next.set(current);
    }
    *seen = content.generation;
}

/// A screen's top bar: a back button to `back_to`, the title, and the settings button.
pub(super) fn top_bar_with_back(
    s: &crate::game::settings::Settings,
    title: impl Into<String>,
    back_to: Screen,
) -> impl Bundle {
    use crate::game::theme::interaction::Press;
    use crate::game::theme::widget;
    use bevy::ui_widgets::observe;
    (
        widget::row("Top bar"),
        children![
            (
                widget::button_secondary(s.t("← 返回", "← Back")),
                observe(move |_: On<Press>, mut next: ResMut<NextState<Screen>>| {
                    next.set(back_to);
                }),
            ),
            widget::title(title),
            widget::spacer(),
            crate::game::settings::settings_button(s),
        ],
    )
}

/// The root of a classroom screen inside a session: `title` in the top bar, whose back button
/// (like Esc, see [`classroom_escape`]) returns to the session list.
pub(super) fn classroom_root(
    s: &crate::game::settings::Settings,
    name: &'static str,
    screen: Screen,
    title: String,
) -> impl Bundle {
    use crate::game::theme::widget;
    (
        widget::ui_root(name),
        DespawnOnExit(screen),
        children![top_bar_with_back(s, title, Screen::ClassroomSessions)],
    )
}

/// Esc on a classroom screen inside a session goes back to the session list.
fn classroom_escape(
    _: On<crate::game::input::Back>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if matches!(
        screen.get(),
        Screen::ClassroomTeams
            | Screen::ClassroomRound
            | Screen::ClassroomTurn
            | Screen::ClassroomBoard
    ) {
        next.set(Screen::ClassroomSessions);
    }
}

/// A different seed from `seed`, for "retry with new wording".
pub fn next_seed(seed: u64) -> u64 {
    seed.wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407)
        >> 33
}
