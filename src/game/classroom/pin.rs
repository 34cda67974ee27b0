//! The trainer's PIN in front of classroom mode: set on first use (typed twice), then asked
//! for once per run of the game. Digits show as dots, since the screen is often projected.

use bevy::input_focus::{FocusCause, InputFocus};
use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::PinEntry;
use crate::game::input::numeral_keys;
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, ClassroomScreen, Screen};
use crate::game::theme::interaction::{AltHotkey, Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ClassroomScreen::Pin), spawn_pin_screen);
    app.add_systems(
        Update,
        show_entry
            .run_if(in_state(ClassroomScreen::Pin))
            .in_set(AppSystems::Present),
    );
}

/// A keypad digit.
#[derive(Component, Debug, Clone, Copy)]
pub struct PinDigit(pub char);

/// The keypad's OK button.
#[derive(Component, Debug)]
pub struct PinOk;

#[derive(Component)]
struct PinDots;

#[derive(Component)]
struct PinMessage;

const MAX_DIGITS: usize = 12;

fn spawn_pin_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    mut entry: ResMut<PinEntry>,
    mut commands: Commands,
) {
    // Leaving and coming back does not reset the count of wrong PINs.
    let throttle = std::mem::take(&mut entry.throttle);
    *entry = PinEntry {
        throttle,
        ..PinEntry::default()
    };
    let s = settings.clone();
    // A store that cannot say whether a PIN exists is shown, and the keypad then checks it
    // (and reports the failure again) rather than offering to set a new one.
    let (setting, store_error) = match store.has_pin() {
        Ok(has) => (!has, None),
        Err(e) => (false, Some(e)),
    };
    entry.message = store_error;
    let root = commands
        .spawn((
            widget::ui_root("Classroom PIN screen"),
            DespawnOnExit(ClassroomScreen::Pin),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                s.t("课堂模式 · 培训师", "Classroom · trainer"),
                Screen::Title
            )],
        ))
        .id();
    let ok = commands
        .spawn((
            PinOk,
            InitialFocus,
            widget::button_primary(s.t("确定 (Enter)", "OK (Enter)")),
            observe(submit),
        ))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widget::header(if setting {
            s.t(
                "第一次使用：请设置培训师密码（4–12 位数字）",
                "First use: set a trainer PIN (4–12 digits)",
            )
        } else {
            s.t("请输入培训师密码", "Enter the trainer PIN")
        }));
        p.spawn(widget::muted(s.t(
            "密码只以加密散列保存。可用数字键输入，退格键删除。",
            "The PIN is stored only as a salted hash. Type digits, Backspace deletes.",
        )));
        p.spawn((PinDots, widget::colored("", 2.4, palette::PRIMARY)));
        p.spawn((PinMessage, widget::colored("", 1.0, palette::BAD)));
        p.spawn((
            Name::new("Keypad"),
            Node {
                display: Display::Grid,
                grid_template_columns: RepeatedGridTrack::px(3, 84.0),
                column_gap: px(10),
                row_gap: px(10),
                ..default()
            },
        ))
        .with_children(|pad| {
            for (k, c) in "123456789".chars().enumerate() {
                pad.spawn(digit_button(c, k + 1));
            }
            pad.spawn((
                Hotkey(KeyCode::Backspace),
                widget::button_secondary(s.t("删除", "Del")),
                observe(
                    |_: On<Press>,
                     mut entry: ResMut<PinEntry>,
                     ok: Query<Entity, With<PinOk>>,
                     mut focus: ResMut<InputFocus>| {
                        entry.digits.pop();
                        refocus(&ok, &mut focus);
                    },
                ),
            ));
            pad.spawn(digit_button('0', 0));
        });
    });
    commands.entity(root).add_child(ok);
}

fn digit_button(c: char, digit: usize) -> impl Bundle {
    let (key, alt) = numeral_keys(digit).unwrap_or((KeyCode::Digit0, KeyCode::Numpad0));
    (
        PinDigit(c),
        Hotkey(key),
        AltHotkey(alt),
        widget::button_secondary(c.to_string()),
        observe(
            move |_: On<Press>,
                  mut entry: ResMut<PinEntry>,
                  ok: Query<Entity, With<PinOk>>,
                  mut focus: ResMut<InputFocus>| {
                if entry.digits.len() < MAX_DIGITS {
                    entry.digits.push(c);
                }
                refocus(&ok, &mut focus);
            },
        ),
    )
}

/// Keeps focus on OK so Enter always submits, whatever was clicked.
fn refocus(ok: &Query<Entity, With<PinOk>>, focus: &mut InputFocus) {
    if let Ok(e) = ok.single() {
        focus.set(e, FocusCause::Navigated);
    }
}

fn submit(_: On<Press>, mut commands: Commands) {
    commands.trigger(ClassroomAction::EnterPin);
}

fn show_entry(
    entry: Res<PinEntry>,
    mut dots: Query<&mut Text, (With<PinDots>, Without<PinMessage>)>,
    mut message: Query<(&mut Text, &mut TextColor), (With<PinMessage>, Without<PinDots>)>,
) {
    if !entry.is_changed() {
        return;
    }
    for mut t in &mut dots {
        let shown = if entry.digits.is_empty() {
            "_".to_owned()
        } else {
            "● ".repeat(entry.digits.len()).trim_end().to_owned()
        };
        if t.0 != shown {
            t.0 = shown;
        }
    }
    for (mut t, mut color) in &mut message {
        let text = entry.message.clone().unwrap_or_default();
        // The confirmation step is guidance, not an error.
        color.0 = if entry.first.is_some() {
            palette::PRIMARY
        } else {
            palette::BAD
        };
        if t.0 != text {
            t.0 = text;
        }
    }
}
