//! The "leave before it is finished?" prompt of the screens that run something unfinished — a
//! conversation, a quiz: Esc or the leave button opens it, and nothing is lost by accident.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::Screen;
use crate::game::AppSystems;
use crate::game::settings::Settings;
use crate::game::theme::interaction::Press;
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LeavePrompt>();
    for screen in [Screen::Conversation, Screen::Quiz] {
        app.add_systems(OnExit(screen), close);
    }
    app.add_systems(
        Update,
        draw.in_set(AppSystems::Present)
            .run_if(in_state(Screen::Conversation).or_else(in_state(Screen::Quiz))),
    );
}

/// Whether the prompt is open.
#[derive(Resource, Default, Debug)]
pub struct LeavePrompt {
    /// Open or closed.
    pub open: bool,
}

#[derive(Component)]
struct LeavePromptRoot;

fn close(mut prompt: ResMut<LeavePrompt>) {
    prompt.open = false;
}

fn draw(
    prompt: Res<LeavePrompt>,
    settings: Res<Settings>,
    screen: Res<State<Screen>>,
    existing: Query<Entity, With<LeavePromptRoot>>,
    mut commands: Commands,
) {
    if !prompt.is_changed() {
        return;
    }
    for e in &existing {
        commands.entity(e).despawn();
    }
    if !prompt.open {
        return;
    }
    let s = settings.clone();
    let here = *screen.get();
    let (title, consequence, stay, leave_to) = match here {
        Screen::Quiz => (
            s.t("结束这次测验？", "Leave this quiz?"),
            s.t(
                "已答的题不会保留，也不计分。",
                "The answers so far are not kept or scored.",
            ),
            s.t("继续答题", "Keep going"),
            Screen::QuizSetup,
        ),
        _ => (
            s.t("离开这次对话？", "Leave this conversation?"),
            s.t("这次练习不会计分。", "This attempt will not be scored."),
            s.t("继续对话", "Stay"),
            Screen::Briefing,
        ),
    };
    commands.spawn((
        LeavePromptRoot,
        DespawnOnExit(here),
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
                            observe(|_: On<Press>, mut p: ResMut<LeavePrompt>| p.open = false),
                        ),
                        (
                            widget::button_primary(s.t("离开", "Leave")),
                            observe(move |_: On<Press>, mut next: ResMut<NextState<Screen>>| {
                                next.set(leave_to);
                            }),
                        ),
                    ],
                ),
            ],
        )],
    ));
}
