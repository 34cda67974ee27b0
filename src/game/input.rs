//! The keyboard: arrows and Tab move focus, Enter or Space presses the focused widget, digits
//! and letters press their [`Hotkey`] widgets, Esc goes back. All of it ends in [`Press`] or
//! [`Back`], the same events a click produces.

use bevy::input_focus::{FocusCause, InputFocus};
use bevy::prelude::*;
use bevy::text::EditableText;

use crate::game::state::{AppSystems, Overlay};
use crate::game::theme::interaction::{
    AltHotkey, Disabled, FocusOrder, Focusable, Hotkey, InitialFocus, ModalLayer, Press,
};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (keep_focus_on_screen, navigate_with_keys)
            .chain()
            .in_set(AppSystems::ReadInput),
    );
}

/// The player asked to go back (Esc) while the settings overlay was closed; the screen (or its
/// open confirmation) decides what that means, in an observer. (An event rather than a
/// message, so a screen that opens later never sees an old Esc.)
#[derive(Event, Debug, Clone, Copy, Default)]
pub struct Back;

/// The focusable widgets that keys act on now: those of the top modal layer, if any.
fn active_widgets(
    focusables: &Query<(Entity, &FocusOrder, Has<Disabled>), With<Focusable>>,
    modals: &Query<Entity, With<ModalLayer>>,
    parents: &Query<&ChildOf>,
) -> Vec<(Entity, FocusOrder, bool)> {
    let modal = modals.iter().last();
    let mut list: Vec<(Entity, FocusOrder, bool)> = focusables
        .iter()
        .filter(|(e, _, _)| match modal {
            None => true,
            Some(m) => parents.iter_ancestors(*e).any(|a| a == m),
        })
        .map(|(e, o, d)| (e, *o, d))
        .collect();
    list.sort_by_key(|(_, o, _)| *o);
    list
}

/// When the focused widget disappears (a screen changed), focus the first one of the new screen.
fn keep_focus_on_screen(
    mut focus: ResMut<InputFocus>,
    exists: Query<()>,
    focusables: Query<(Entity, &FocusOrder, Has<Disabled>), With<Focusable>>,
    modals: Query<Entity, With<ModalLayer>>,
    parents: Query<&ChildOf>,
    editable: Query<(), With<EditableText>>,
    initial: Query<(), With<InitialFocus>>,
) {
    let active = active_widgets(&focusables, &modals, &parents);
    let current = focus.get();
    let valid = current.is_some_and(|c| {
        exists.contains(c) && (editable.contains(c) || active.iter().any(|(e, _, _)| *e == c))
    });
    if valid {
        return;
    }
    let preferred = active
        .iter()
        .find(|(e, _, d)| !d && initial.contains(*e))
        .or_else(|| active.iter().find(|(_, _, d)| !d));
    if let Some((first, _, _)) = preferred {
        focus.set(*first, FocusCause::Navigated);
    }
}

fn navigate_with_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut focus: ResMut<InputFocus>,
    focusables: Query<(Entity, &FocusOrder, Has<Disabled>), With<Focusable>>,
    hotkeys: Query<(Entity, &Hotkey, Option<&AltHotkey>), (With<Focusable>, Without<Disabled>)>,
    modals: Query<Entity, With<ModalLayer>>,
    parents: Query<&ChildOf>,
    editable: Query<(), With<EditableText>>,
    initial: Query<(), With<InitialFocus>>,
    overlay: Res<State<Overlay>>,
    mut next_overlay: ResMut<NextState<Overlay>>,
    mut commands: Commands,
) {
    let open = *overlay.get() != Overlay::None;
    if keys.just_pressed(KeyCode::F2) {
        next_overlay.set(if *overlay.get() == Overlay::Settings {
            Overlay::None
        } else {
            Overlay::Settings
        });
        return;
    }
    let typing = focus.get().is_some_and(|f| editable.contains(f));
    let active = active_widgets(&focusables, &modals, &parents);
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let forward = keys.just_pressed(KeyCode::Tab) && !shift
        || !typing && keys.any_just_pressed([KeyCode::ArrowDown, KeyCode::ArrowRight]);
    let backward = keys.just_pressed(KeyCode::Tab) && shift
        || !typing && keys.any_just_pressed([KeyCode::ArrowUp, KeyCode::ArrowLeft]);
    if (forward || backward) && !active.is_empty() {
        let enabled: Vec<Entity> = active
            .iter()
            .filter(|(_, _, d)| !d)
            .map(|(e, _, _)| *e)
            .collect();
        if !enabled.is_empty() {
            let pos = focus
                .get()
                .and_then(|f| enabled.iter().position(|e| *e == f));
            let next = match (pos, forward) {
                (None, true) => 0,
                (None, false) => enabled.len() - 1,
                (Some(p), true) => (p + 1) % enabled.len(),
                (Some(p), false) => (p + enabled.len() - 1) % enabled.len(),
            };
            focus.set(enabled[next], FocusCause::Navigated);
        }
        return;
    }
    // Enter in a text field confirms it and moves on to the screen's main button.
    if typing && keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter]) {
        let target = active
            .iter()
            .find(|(e, _, d)| !d && initial.contains(*e))
            .or_else(|| active.iter().find(|(_, _, d)| !d));
        if let Some((e, _, _)) = target {
            focus.set(*e, FocusCause::Navigated);
        }
        return;
    }
    if !typing && keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Space]) {
        if let Some(f) = focus.get()
            && active.iter().any(|(e, _, d)| *e == f && !d)
        {
            commands.trigger(Press(f));
        }
        return;
    }
    if keys.just_pressed(KeyCode::Escape) {
        // Esc closes what covers the screen first.
        if open {
            next_overlay.set(Overlay::None);
        } else {
            commands.trigger(Back);
        }
        return;
    }
    if typing {
        return;
    }
    for (entity, hotkey, alt) in &hotkeys {
        let hit = keys.just_pressed(hotkey.0) || alt.is_some_and(|a| keys.just_pressed(a.0));
        if hit && active.iter().any(|(e, _, _)| *e == entity) {
            focus.set(entity, FocusCause::Navigated);
            commands.trigger(Press(entity));
            return;
        }
    }
}

/// The top-row key and the numpad key for the digit `d` (0–9).
pub fn numeral_keys(d: usize) -> Option<(KeyCode, KeyCode)> {
    const TOP: [KeyCode; 10] = [
        KeyCode::Digit0,
        KeyCode::Digit1,
        KeyCode::Digit2,
        KeyCode::Digit3,
        KeyCode::Digit4,
        KeyCode::Digit5,
        KeyCode::Digit6,
        KeyCode::Digit7,
        KeyCode::Digit8,
        KeyCode::Digit9,
    ];
    const PAD: [KeyCode; 10] = [
        KeyCode::Numpad0,
        KeyCode::Numpad1,
        KeyCode::Numpad2,
        KeyCode::Numpad3,
        KeyCode::Numpad4,
        KeyCode::Numpad5,
        KeyCode::Numpad6,
        KeyCode::Numpad7,
        KeyCode::Numpad8,
        KeyCode::Numpad9,
    ];
    TOP.get(d).copied().zip(PAD.get(d).copied())
}

/// The digit key for option `n` (1-based), if it has one.
pub fn digit_key(n: usize) -> Option<KeyCode> {
    numeral_keys(n).filter(|_| n >= 1).map(|(top, _)| top)
}

/// The letter keys, A to Z.
pub const LETTER_KEYS: [KeyCode; 26] = [
    KeyCode::KeyA,
    KeyCode::KeyB,
    KeyCode::KeyC,
    KeyCode::KeyD,
    KeyCode::KeyE,
    KeyCode::KeyF,
    KeyCode::KeyG,
    KeyCode::KeyH,
    KeyCode::KeyI,
    KeyCode::KeyJ,
    KeyCode::KeyK,
    KeyCode::KeyL,
    KeyCode::KeyM,
    KeyCode::KeyN,
    KeyCode::KeyO,
    KeyCode::KeyP,
    KeyCode::KeyQ,
    KeyCode::KeyR,
    KeyCode::KeyS,
    KeyCode::KeyT,
    KeyCode::KeyU,
    KeyCode::KeyV,
    KeyCode::KeyW,
    KeyCode::KeyX,
    KeyCode::KeyY,
    KeyCode::KeyZ,
];

/// The letter key for option `n` (1-based: A, B, C…), if it has one. Quiz options stop at H so
/// the action letters (N, R, S) stay free.
pub fn letter_key(n: usize) -> Option<KeyCode> {
    n.checked_sub(1)
        .filter(|&i| i < 8)
        .and_then(|i| LETTER_KEYS.get(i))
        .copied()
}
