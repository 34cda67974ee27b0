//! What every screen shares: the top bar with its back and settings buttons, and the one Back
//! rule — a screen says where back leads with [`BackTo`] on its top bar or root, and Esc or
//! the back button go there.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use crate::game::input::Back;
use crate::game::settings::Settings;
use crate::game::state::{Navigate, Overlay, Place};
use crate::game::theme::interaction::Press;
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    app.add_observer(go_back);
}

/// Where Esc (and a top bar's back button) leads from the screen showing: put on the screen's
/// top bar (see [`top_bar_with_back`]) or root, and read by the one [`go_back`] observer.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackTo {
    /// Another screen.
    Place(Place),
    /// Nowhere yet: ask first whether to leave what is under way.
    LeavePrompt,
}

impl BackTo {
    /// Back to `place`.
    pub fn to(place: impl Into<Place>) -> BackTo {
        BackTo::Place(place.into())
    }
}

/// Esc or a back button: wherever the showing screen says back leads. Screens with no
/// [`BackTo`] (loading, title) ignore it.
fn go_back(
    _: On<Back>,
    targets: Query<&BackTo>,
    mut next: Navigate,
    mut overlay: ResMut<NextState<Overlay>>,
) {
    // One screen shows at a time; while screens change (two roots for a frame) Esc waits.
    let Ok(target) = targets.single() else {
        return;
    };
    match *target {
        BackTo::Place(place) => next.to(place),
        BackTo::LeavePrompt => overlay.set(Overlay::LeavePrompt),
    }
}

/// A screen's top bar: a back button, the title, and the settings button. Back (the button or
/// Esc) leads to `back_to`.
pub fn top_bar_with_back(
    s: &Settings,
    title: impl Into<String>,
    back_to: impl Into<Place>,
) -> impl Bundle {
    (
        widget::row("Top bar"),
        BackTo::to(back_to),
        children![
            (
                widget::button_secondary(s.t("← 返回", "← Back")),
                observe(|_: On<Press>, mut commands: Commands| commands.trigger(Back)),
            ),
            widget::title(title),
            widget::spacer(),
            settings_button(s),
        ],
    )
}

/// A small button that opens the settings overlay; screens put it in their corner.
pub fn settings_button(s: &Settings) -> impl Bundle {
    (
        widget::button_secondary(s.t("设置 (F2)", "Settings (F2)")),
        observe(|_: On<Press>, mut o: ResMut<NextState<Overlay>>| {
            o.set(Overlay::Settings);
        }),
    )
}
