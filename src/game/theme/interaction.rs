//! One input path for mouse, keyboard and autoplay: every way of pressing a widget ends in a
//! [`Press`] event on it, and widgets act in observers of that event.

use bevy::input_focus::InputFocus;
use bevy::picking::events::{Click, Pointer};
use bevy::prelude::*;

use super::palette;
use crate::game::state::AppSystems;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FocusCounter>();
    app.add_observer(assign_focus_order);
    app.add_observer(press_on_click);
    app.add_systems(
        Update,
        (restyle_selected, apply_interaction_palette, draw_focus_ring)
            .chain()
            .in_set(AppSystems::Present),
    );
}

/// A widget was pressed: by click, by Enter on the focused widget, by its hotkey, or by autoplay.
#[derive(EntityEvent, Debug, Clone, Copy)]
pub struct Press(pub Entity);

/// Background colours for a button's interaction states.
#[derive(Component, Debug, Clone, Copy)]
pub struct InteractionPalette {
    /// Idle.
    pub none: Color,
    /// Under the pointer.
    pub hovered: Color,
    /// Being pressed.
    pub pressed: Color,
}

/// A widget that takes keyboard focus and can be pressed.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Focusable;

/// Keyboard order: widgets are visited in the order they were spawned.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FocusOrder(pub u64);

#[derive(Resource, Default)]
struct FocusCounter(u64);

/// A key that presses this widget directly (digits for choices, letters for actions).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hotkey(pub KeyCode);

/// A second key for the same widget (the digit beside a quiz option's letter).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct AltHotkey(pub KeyCode);

/// Whether an option button is selected; changing it restyles the button in place, so keyboard
/// focus stays where it is.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Selected(pub bool);

/// The widget to focus first when a screen opens (the first scenario card, the Start button).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct InitialFocus;

/// A widget that cannot be pressed now (a locked choice, a full preparation budget).
#[derive(Component, Debug, Clone, Copy)]
pub struct Disabled;

/// A layer above the screen (settings, a confirmation): while one exists, only its widgets take
/// focus and keys.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct ModalLayer;

fn assign_focus_order(
    add: On<Add, Focusable>,
    mut counter: ResMut<FocusCounter>,
    mut commands: Commands,
) {
    counter.0 += 1;
    commands.entity(add.entity).insert(FocusOrder(counter.0));
}

/// Clicks bubble from the text inside a button up to the button; the first focusable on the
/// way is pressed.
fn press_on_click(
    mut click: On<Pointer<Click>>,
    focusables: Query<(), (With<Focusable>, Without<Disabled>)>,
    blocked: Query<(), With<Disabled>>,
    mut focus: ResMut<InputFocus>,
    mut commands: Commands,
) {
    let entity = click.entity;
    if focusables.contains(entity) {
        click.propagate(false);
        focus.set(entity, bevy::input_focus::FocusCause::Pressed);
        commands.trigger(Press(entity));
    } else if blocked.contains(entity) {
        click.propagate(false);
    }
}

fn restyle_selected(
    mut buttons: Query<
        (
            &Selected,
            &Children,
            &mut InteractionPalette,
            &mut BackgroundColor,
        ),
        Changed<Selected>,
    >,
    mut texts: Query<&mut TextColor>,
) {
    for (selected, children, mut pal, mut background) in &mut buttons {
        let (fill, hover, press, ink) = if selected.0 {
            (
                palette::PRIMARY,
                palette::PRIMARY_HOVER,
                palette::PRIMARY_PRESSED,
                palette::ON_PRIMARY,
            )
        } else {
            (
                palette::SECONDARY,
                palette::SECONDARY_HOVER,
                palette::SECONDARY_PRESSED,
                palette::TEXT,
            )
        };
        *pal = InteractionPalette {
            none: fill,
            hovered: hover,
            pressed: press,
        };
        *background = BackgroundColor(fill);
        for child in children.iter() {
            if let Ok(mut color) = texts.get_mut(child) {
                color.0 = ink;
            }
        }
    }
}

fn apply_interaction_palette(
    mut buttons: Query<
        (
            &Interaction,
            &InteractionPalette,
            &mut BackgroundColor,
            Has<Disabled>,
        ),
        Or<(
            Changed<Interaction>,
            Added<InteractionPalette>,
            Added<Disabled>,
        )>,
    >,
) {
    for (interaction, palette, mut background, disabled) in &mut buttons {
        let color = match (interaction, disabled) {
            (_, true) => palette.none.with_alpha(0.45),
            (Interaction::None, false) => palette.none,
            (Interaction::Hovered, false) => palette.hovered,
            (Interaction::Pressed, false) => palette.pressed,
        };
        *background = color.into();
    }
}

fn draw_focus_ring(
    focus: Res<InputFocus>,
    mut focusables: Query<(Entity, &mut Outline), With<Focusable>>,
    added: Query<(), Added<Focusable>>,
) {
    if !focus.is_changed() && added.is_empty() {
        return;
    }
    for (entity, mut outline) in &mut focusables {
        let focused = focus.get() == Some(entity);
        let color = if focused { palette::FOCUS } else { Color::NONE };
        if outline.color != color {
            outline.color = color;
        }
    }
}
