//! The settings overlay (F2, or the settings button in each screen's top bar): language, text
//! size, practice or exam mode.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use crate::domain::text::Locale;
use crate::game::settings::{Mode, Settings, TEXT_SCALES};
use crate::game::state::{AppSystems, Navigate, Overlay, QuizScreen, Screen};
use crate::game::theme::interaction::Press;
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        draw_overlay
            .run_if(in_state(Overlay::Settings))
            .in_set(AppSystems::Present),
    );
}

#[derive(Component)]
struct OverlayRoot;

fn step_scale(current: f32, up: bool) -> f32 {
    let i = TEXT_SCALES
        .iter()
        .position(|&x| x >= current - 1e-3)
        .unwrap_or(1);
    let j = if up {
        (i + 1).min(TEXT_SCALES.len() - 1)
    } else {
        i.saturating_sub(1)
    };
    TEXT_SCALES[j]
}

/// Draws the panel when it opens, and again whenever a setting changes while it is open.
fn draw_overlay(
    settings: Res<Settings>,
    next: Navigate,
    existing: Query<Entity, With<OverlayRoot>>,
    mut commands: Commands,
) {
    let fresh = existing.is_empty();
    if !fresh && !settings.is_changed() {
        return;
    }
    for e in &existing {
        commands.entity(e).despawn();
    }
    let here = next.here();
    let under_way = here == Screen::Conversation || here == QuizScreen::Question;
    let s = settings.clone();
    let language_note = if under_way {
        s.t(
            "语言将在下一次对话或测验生效。",
            "The language applies from the next conversation or quiz.",
        )
    } else {
        s.t(
            "对话内容与界面同时切换。",
            "Dialogue and interface switch together.",
        )
    };
    let size_label = format!(
        "{} {:.0}%",
        s.t("文字大小", "Text size"),
        s.text_scale * 100.0
    );
    let mode_label = match s.mode {
        Mode::Practice => s.t(
            "模式：练习（每步反馈）",
            "Mode: practice (feedback each turn)",
        ),
        Mode::Exam => s.t(
            "模式：考试（结束后统一反馈）",
            "Mode: exam (feedback at the end)",
        ),
    };
    commands.spawn((
        OverlayRoot,
        DespawnOnExit(Overlay::Settings),
        widget::modal_root("Settings overlay"),
        children![(
            widget::panel("Settings panel"),
            children![
                widget::header(s.t("设置", "Settings")),
                widget::muted(s.t(
                    "F2 打开或关闭 · Esc 关闭",
                    "F2 opens or closes · Esc closes"
                )),
                (
                    widget::row("Language row"),
                    children![
                        (
                            widget::option_button(
                                Locale::ZhCn.native_name(),
                                s.locale == Locale::ZhCn
                            ),
                            observe(set_locale(Locale::ZhCn)),
                        ),
                        (
                            widget::option_button(
                                Locale::ZhTw.native_name(),
                                s.locale == Locale::ZhTw
                            ),
                            observe(set_locale(Locale::ZhTw)),
                        ),
                        (
                            widget::option_button(Locale::En.native_name(), s.locale == Locale::En),
                            observe(set_locale(Locale::En)),
                        ),
                    ],
                ),
                widget::muted(language_note),
                (
                    widget::row("Text size row"),
                    children![
                        (
                            widget::button_secondary("A －"),
                            observe(|_: On<Press>, mut s: ResMut<Settings>| {
                                s.text_scale = step_scale(s.text_scale, false);
                            }),
                        ),
                        widget::label(size_label),
                        (
                            widget::button_secondary("A ＋"),
                            observe(|_: On<Press>, mut s: ResMut<Settings>| {
                                s.text_scale = step_scale(s.text_scale, true);
                            }),
                        ),
                    ],
                ),
                (
                    widget::button_secondary(mode_label),
                    observe(|_: On<Press>, mut s: ResMut<Settings>| {
                        s.mode = match s.mode {
                            Mode::Practice => Mode::Exam,
                            Mode::Exam => Mode::Practice,
                        };
                    }),
                ),
                (
                    widget::button_primary(s.t("完成", "Done")),
                    observe(|_: On<Press>, mut o: ResMut<NextState<Overlay>>| {
                        o.set(Overlay::None);
                    }),
                ),
            ],
        )],
    ));
}

fn set_locale(locale: Locale) -> impl Fn(On<Press>, Res<State<Screen>>, ResMut<Settings>) {
    move |_, screen, mut settings| {
        // A conversation keeps the language it started in.
        if *screen.get() != Screen::Conversation && settings.locale != locale {
            settings.locale = locale;
        }
    }
}
