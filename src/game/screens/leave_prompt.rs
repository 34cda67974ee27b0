//! The "leave before it is finished?" prompt of the screens that run something unfinished — a
//! conversation, a quiz: Esc or the leave button opens it, and nothing is lost by accident.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use crate::game::settings::Settings;
use crate::game::state::{Navigate, Overlay, Place, PlayContext, QuizScreen, Screen};
use crate::game::theme::interaction::Press;
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    // Whatever screen follows, the prompt does not stay open over it.
    app.add_systems(OnExit(Screen::Conversation), close);
    app.add_systems(OnExit(QuizScreen::Question), close);
    app.add_systems(OnEnter(Overlay::LeavePrompt), spawn_prompt);
}

/// The prompt's root.
#[derive(Component, Debug)]
pub struct LeavePromptRoot;

/// The prompt's "leave" button.
#[derive(Component, Debug)]
pub struct LeaveConfirm;

fn close(mut overlay: ResMut<NextState<Overlay>>) {
    overlay.set(Overlay::None);
}

fn spawn_prompt(
    settings: Res<Settings>,
    next: Navigate,
    context: Res<PlayContext>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let here = next.here();
    let (title, consequence, stay, leave_to) = if here == QuizScreen::Question {
        (
            s.t("结束这次测验？", "Leave this quiz?"),
            s.t(
                "已答的题不会保留，也不计分。",
                "The answers so far are not kept or scored.",
            ),
            s.t("继续答题", "Keep going"),
            Place::from(QuizScreen::Setup),
        )
    } else if *context == PlayContext::Campaign {
        // A contact from the campaign desk: leaving ends it without a result, at the desk.
        (
            s.t("挂断这次通话？", "End this contact now?"),
            s.t(
                "这次联系没有结果，客户会记得；场景不会再出现。",
                "It ends without a result, the customer remembers, and it does not come back.",
            ),
            s.t("继续对话", "Stay"),
            context.home(),
        )
    } else {
        (
            s.t("离开这次对话？", "Leave this conversation?"),
            s.t("这次练习不会计分。", "This attempt will not be scored."),
            s.t("继续对话", "Stay"),
            Place::from(Screen::Briefing),
        )
    };
    commands.spawn((
        LeavePromptRoot,
        DespawnOnExit(Overlay::LeavePrompt),
        widget::modal_root("Leave prompt"),
        children![(
            widget::panel("Leave panel"),
            children![
                widget::header(title),
                widget::label(consequence),
                (
                    widget::row("Leave buttons"),
                    children![
                        (
                            widget::button_secondary(stay),
                            observe(|_: On<Press>, mut o: ResMut<NextState<Overlay>>| {
                                o.set(Overlay::None);
                            }),
                        ),
                        (
                            LeaveConfirm,
                            widget::button_primary(s.t("离开", "Leave")),
                            observe(move |_: On<Press>, mut next: Navigate| next.to(leave_to)),
                        ),
                    ],
                ),
            ],
        )],
    ));
}
