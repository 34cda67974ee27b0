//! The trainer's PIN in front of classroom mode: set on first use (typed twice), then asked
//! for once per run of the game. Digits show as dots, since the screen is often projected.

use bevy::input_focus::{FocusCause, InputFocus};
use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::Screen;
use crate::game::AppSystems;
use crate::game::classroom::TrainerUnlocked;
use crate::game::input::{Back, numeral_keys};
use crate::game::results::Results;
use crate::game::settings::Settings;
use crate::game::theme::interaction::{AltHotkey, Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PinEntry>();
    app.add_systems(OnEnter(Screen::ClassroomPin), spawn_pin_screen);
    app.add_systems(
        Update,
        show_entry
            .run_if(in_state(Screen::ClassroomPin))
            .in_set(AppSystems::Present),
    );
    app.add_observer(go_back);
}

/// What has been typed on the keypad.
#[derive(Resource, Debug, Default)]
pub struct PinEntry {
    /// Digits typed so far.
    pub digits: String,
    /// When setting a PIN: the first entry, waiting for the confirmation.
    pub first: Option<String>,
    /// What to tell the trainer.
    pub message: Option<String>,
    /// Wrong PINs in a row, and the wait they started.
    pub throttle: crate::domain::pin::PinThrottle,
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
    results: Res<Results>,
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
    let setting = !results.with(|st| st.has_pin()).unwrap_or(false);
    let root = commands
        .spawn((
            widget::ui_root("Classroom PIN screen"),
            DespawnOnExit(Screen::ClassroomPin),
            children![super::top_bar_with_back(
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

fn submit(
    _: On<Press>,
    settings: Res<Settings>,
    results: Res<Results>,
    time: Res<Time<Real>>,
    mut entry: ResMut<PinEntry>,
    mut unlocked: ResMut<TrainerUnlocked>,
    mut next: ResMut<NextState<Screen>>,
) {
    let s = settings.clone();
    let typed = std::mem::take(&mut entry.digits);
    let now = time.elapsed();
    let waiting = |left: std::time::Duration| {
        format!(
            "{} {} {}",
            s.t("密码错误次数太多，请等", "Too many wrong PINs: wait"),
            left.as_secs().max(1),
            s.t("秒再试。", "seconds before the next try.")
        )
    };
    if let Some(left) = entry.throttle.wait_left(now) {
        entry.message = Some(waiting(left));
        return;
    }
    let has_pin = results.with(|st| st.has_pin());
    let outcome = match has_pin {
        Err(e) => Err(e),
        Ok(true) => match results.with(|st| st.check_pin(&typed)) {
            Ok(true) => {
                entry.throttle.right();
                Ok(true)
            }
            Ok(false) => Err(match entry.throttle.wrong(now) {
                Some(wait) => waiting(wait),
                None => s
                    .t("密码不对，请再试一次。", "Wrong PIN; try again.")
                    .into(),
            }),
            Err(e) => Err(e),
        },
        Ok(false) if typed.len() < 4 => Err(s
            .t("密码至少 4 位数字。", "A PIN has at least 4 digits.")
            .into()),
        Ok(false) => match entry.first.take() {
            None => {
                entry.first = Some(typed);
                Err(s
                    .t("请再输入一次以确认。", "Type it again to confirm.")
                    .into())
            }
            Some(first) if first == typed => results.with(|st| st.set_pin(&typed)).map(|()| true),
            Some(_) => Err(s
                .t(
                    "两次输入不一致，请重新设置。",
                    "The two entries differ; start again.",
                )
                .into()),
        },
    };
    match outcome {
        Ok(_) => {
            unlocked.0 = true;
            next.set(Screen::ClassroomSessions);
        }
        Err(message) => entry.message = Some(message),
    }
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

fn go_back(_: On<Back>, screen: Res<State<Screen>>, mut next: ResMut<NextState<Screen>>) {
    if *screen.get() == Screen::ClassroomPin {
        next.set(Screen::Title);
    }
}
