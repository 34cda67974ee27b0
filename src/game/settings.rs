//! Player settings — language, text size, practice or exam mode — and the overlay that edits
//! them (F2, or the settings button on each screen).

use bevy::prelude::*;
use bevy::text::RemSize;
use bevy::ui_widgets::observe;

use crate::domain::text::Locale;
use crate::game::AppSystems;
use crate::game::screens::Screen;
use crate::game::theme::interaction::Press;
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Settings>();
    app.init_resource::<Overlay>();
    app.add_systems(
        Update,
        (
            apply_text_size,
            scale_ui_with_window,
            spawn_or_despawn_overlay,
        )
            .in_set(AppSystems::Present),
    );
}

pub use crate::domain::mode::Mode;

/// What the player chose.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Settings {
    /// Interface and content language.
    pub locale: Locale,
    /// Text size relative to the default.
    pub text_scale: f32,
    /// Practice or exam.
    pub mode: Mode,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            locale: Locale::ZhCn,
            text_scale: 1.0,
            mode: Mode::Practice,
        }
    }
}

impl Settings {
    /// Picks the interface string for the current language.
    pub fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        self.locale.pick(zh, en)
    }

    /// True for Chinese, for the domain's `label(zh)` helpers.
    pub fn zh(&self) -> bool {
        self.locale == Locale::ZhCn
    }
}

/// The text sizes offered, as multiples of the default.
pub const TEXT_SCALES: [f32; 5] = [0.85, 1.0, 1.15, 1.3, 1.5];

/// Base font size in pixels before the text-size setting.
pub const BASE_REM: f32 = 18.0;

/// Whether the settings overlay is open.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Overlay {
    /// Open or closed.
    pub open: bool,
}

#[derive(Component)]
struct OverlayRoot;

fn apply_text_size(settings: Res<Settings>, rem: Option<ResMut<RemSize>>) {
    if let Some(mut rem) = rem {
        let want = BASE_REM * settings.text_scale;
        if rem.0 != want {
            rem.0 = want;
        }
    }
}

/// The window size the layout is designed for; larger or smaller windows scale the whole UI.
const DESIGN_SIZE: Vec2 = Vec2::new(1280.0, 800.0);

/// Scales the whole interface with the window, so a projector or a small laptop both fit.
fn scale_ui_with_window(
    windows: Query<
        &bevy::window::Window,
        (
            With<bevy::window::PrimaryWindow>,
            Changed<bevy::window::Window>,
        ),
    >,
    scale: Option<ResMut<UiScale>>,
) {
    let (Ok(window), Some(mut scale)) = (windows.single(), scale) else {
        return;
    };
    let size = Vec2::new(window.width(), window.height());
    let want = (size / DESIGN_SIZE).min_element().clamp(0.7, 2.0);
    if (scale.0 - want).abs() > 0.01 {
        scale.0 = want;
    }
}

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

fn spawn_or_despawn_overlay(
    overlay: Res<Overlay>,
    settings: Res<Settings>,
    screen: Option<Res<State<Screen>>>,
    existing: Query<Entity, With<OverlayRoot>>,
    mut commands: Commands,
) {
    if !overlay.is_changed() && !settings.is_changed() {
        return;
    }
    for e in &existing {
        commands.entity(e).despawn();
    }
    if !overlay.open {
        return;
    }
    let under_way = screen.is_some_and(|s| matches!(*s.get(), Screen::Conversation | Screen::Quiz));
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
                            widget::option_button("中文", s.locale == Locale::ZhCn),
                            observe(set_locale(Locale::ZhCn)),
                        ),
                        (
                            widget::option_button("English", s.locale == Locale::En),
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
                    observe(|_: On<Press>, mut o: ResMut<Overlay>| o.open = false),
                ),
            ],
        )],
    ));
}

fn set_locale(locale: Locale) -> impl Fn(On<Press>, Res<State<Screen>>, ResMut<Settings>) {
    move |_, screen, mut settings| {
        if *screen.get() != Screen::Conversation && settings.locale != locale {
            settings.locale = locale;
        }
    }
}

/// A small button that opens the settings overlay; screens put it in their corner.
pub fn settings_button(s: &Settings) -> impl Bundle {
    (
        widget::button_secondary(s.t("设置 (F2)", "Settings (F2)")),
        observe(|_: On<Press>, mut o: ResMut<Overlay>| o.open = true),
    )
}
