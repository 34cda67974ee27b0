//! Player settings — language, text size, practice or exam mode — and how the text size and
//! the window size scale the interface. The overlay that edits them is
//! `screens/settings_overlay.rs`.

use bevy::prelude::*;
use bevy::text::RemSize;

use crate::domain::text::Locale;
use crate::game::state::AppSystems;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Settings>();
    app.add_systems(
        Update,
        (apply_text_size, scale_ui_with_window).in_set(AppSystems::Present),
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
}

/// The text sizes offered, as multiples of the default.
pub const TEXT_SCALES: [f32; 5] = [0.85, 1.0, 1.15, 1.3, 1.5];

/// Base font size in pixels before the text-size setting.
pub const BASE_REM: f32 = 18.0;

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
