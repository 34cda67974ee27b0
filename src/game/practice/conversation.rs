//! The conversation screen: the call or the visit, the log, the debtor's mood and the
//! evidence so far, feedback in practice mode, and the trainee's answers (buttons or 1–9).

use std::time::Duration;

use bevy::input_focus::{FocusCause, InputFocus};
use bevy::prelude::*;
use bevy::ui_widgets::observe;
use bevy::winit::{UpdateMode, WinitSettings};

use super::adapter::{Conversation, LogKind, Say};
use crate::domain::content::model::{Channel, ShowsAs};
use crate::domain::engine::session::render_text;
use crate::game::chrome::{BackTo, settings_button};
use crate::game::input::digit_key;
use crate::game::settings::{Mode, Settings};
use crate::game::state::{AppSystems, GameOptions, Navigate, Screen};
use crate::game::theme::interaction::{Disabled, Hotkey, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Conversation),
        (spawn_conversation_screen, tick_for_call_timer),
    );
    app.add_systems(OnExit(Screen::Conversation), restore_update_mode);
    app.add_systems(
        Update,
        ((redraw_conversation, update_call_timer).in_set(AppSystems::Present),)
            .run_if(in_state(Screen::Conversation)),
    );
}

/// The conversation log panel.
#[derive(Component)]
struct LogPanel;

/// The panel holding the answer buttons.
#[derive(Component)]
struct ChoicePanel;

/// The practice-mode feedback panel.
#[derive(Component)]
struct FeedbackPanel;

/// The mood, patience and evidence panel.
#[derive(Component)]
struct StatusPanel;

/// The call timer text.
#[derive(Component)]
struct CallTimer;

/// An answer button, with the id of its choice.
#[derive(Component, Debug, Clone)]
pub struct ChoiceButton(pub String);

/// The button that leaves for the debrief once the conversation has ended.
#[derive(Component, Debug)]
pub struct DebriefButton;

fn spawn_conversation_screen(
    settings: Res<Settings>,
    conversation: Option<Res<Conversation>>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(conv) = conversation else {
        next.to(Screen::ScenarioSelect);
        return;
    };
    let s = settings.clone();
    let c = conv.content();
    let sc = &c.scenario;
    let r = |t| render_text(c, conv.session.locale(), conv.session.trainee(), t);
    let mode_chip = conv.mode.label(s.locale);
    let channel_color = match sc.channel {
        Channel::Phone => palette::PRIMARY,
        Channel::Visit => palette::DESK,
    };
    let root = commands
        .spawn((
            widget::ui_root("Conversation screen"),
            DespawnOnExit(Screen::Conversation),
            // Leaving a conversation under way is asked first; once over, back is the debrief.
            BackTo::LeavePrompt,
        ))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widget::row("Top bar")).with_children(|row| {
            row.spawn(widget::header(r(&sc.title)));
            row.spawn(widget::chip(sc.channel.label(s.locale), channel_color));
            row.spawn(widget::chip(mode_chip, palette::MUTED));
            if sc.channel == Channel::Phone {
                row.spawn((CallTimer, widget::colored("● 00:00", 1.0, palette::GOOD)));
            }
            row.spawn(widget::spacer());
            row.spawn(settings_button(&s));
        });
        p.spawn((
            Name::new("Main"),
            Node {
                flex_direction: FlexDirection::Row,
                flex_grow: 1.0,
                min_height: px(0),
                column_gap: px(18),
                ..default()
            },
        ))
        .with_children(|main| {
            main.spawn(widget::scrolling(
                "Stage",
                Node {
                    width: px(380),
                    flex_shrink: 0.0,
                    row_gap: px(12),
                    ..default()
                },
            ))
            .with_children(|stage| {
                spawn_stage(stage, &conv, &s);
                stage.spawn((StatusPanel, widget::column("Status")));
            });
            main.spawn((
                LogPanel,
                widget::scrolling(
                    "Conversation log",
                    Node {
                        flex_grow: 1.0,
                        row_gap: px(10),
                        padding: UiRect::all(px(12)),
                        border_radius: BorderRadius::all(px(10)),
                        ..default()
                    },
                ),
                BackgroundColor(palette::PANEL),
            ));
        });
        p.spawn((FeedbackPanel, widget::column("Feedback")));
        p.spawn((
            ChoicePanel,
            widget::scrolling(
                "Choices",
                Node {
                    row_gap: px(8),
                    max_height: percent(42),
                    flex_shrink: 0.0,
                    ..default()
                },
            ),
        ));
    });
}

/// The left-hand picture: a phone for calls, the desk and the people for visits.
fn spawn_stage(stage: &mut ChildSpawnerCommands, conv: &Conversation, s: &Settings) {
    let c = conv.content();
    let r = |t| render_text(c, conv.session.locale(), conv.session.trainee(), t);
    match c.scenario.channel {
        Channel::Phone => {
            stage
                .spawn(widget::shape(
                    "Handset",
                    palette::PHONE,
                    Node {
                        height: px(250),
                        flex_direction: FlexDirection::Column,
                        align_items: AlignItems::Center,
                        justify_content: JustifyContent::Center,
                        row_gap: px(8),
                        border_radius: BorderRadius::all(px(28)),
                        padding: UiRect::all(px(18)),
                        ..default()
                    },
                ))
                .with_children(|phone| {
                    phone.spawn(widget::colored(
                        s.t("通话中", "Connected"),
                        0.9,
                        palette::GOOD,
                    ));
                    phone.spawn(widget::colored(
                        r(&c.persona.name),
                        1.5,
                        palette::ON_PRIMARY,
                    ));
                    phone.spawn(widget::colored(
                        r(&c.persona.company),
                        0.85,
                        palette::SECONDARY,
                    ));
                    // The debtor's voice: only sound reaches you on a call.
                    phone
                        .spawn((
                            Name::new("Voice"),
                            Node {
                                flex_direction: FlexDirection::Row,
                                align_items: AlignItems::Center,
                                column_gap: px(4),
                                height: px(44),
                                ..default()
                            },
                        ))
                        .with_children(|wave| {
                            for h in [12.0, 26.0, 40.0, 22.0, 34.0, 16.0, 30.0, 20.0, 10.0] {
                                wave.spawn(widget::shape(
                                    "Voice bar",
                                    palette::PRIMARY_HOVER,
                                    Node {
                                        width: px(6),
                                        height: px(h),
                                        border_radius: BorderRadius::all(px(3)),
                                        ..default()
                                    },
                                ));
                            }
                        });
                    phone.spawn(widget::colored(
                        s.t(
                            "● 录音中 · 仅能听到对方的声音",
                            "● Recording · you only hear their voice",
                        ),
                        0.8,
                        palette::BAD,
                    ));
                });
        }
        Channel::Visit => {
            let brought = |kind: ShowsAs| -> Vec<String> {
                c.scenario
                    .preparation
                    .items
                    .iter()
                    .filter(|i| conv.prepared.contains(&i.id.0) && i.shows_as == Some(kind))
                    .map(|i| r(&i.label))
                    .collect()
            };
            let documents = brought(ShowsAs::Document);
            let colleagues = brought(ShowsAs::Colleague);
            let colleague = !colleagues.is_empty();
            stage
                .spawn(widget::shape(
                    "Office",
                    palette::PANEL_DARK,
                    Node {
                        flex_direction: FlexDirection::Column,
                        align_items: AlignItems::Center,
                        padding: UiRect::all(px(10)),
                        border_radius: BorderRadius::all(px(12)),
                        row_gap: px(4),
                        ..default()
                    },
                ))
                .with_children(|office| {
                    office.spawn(widget::colored(
                        format!("{} · {}", r(&c.persona.name), r(&c.persona.role)),
                        0.9,
                        palette::TEXT,
                    ));
                    person(office, palette::FIGURE, 1.0);
                    // The desk, with what the trainee brought on it.
                    office
                        .spawn(widget::shape(
                            "Desk",
                            palette::DESK,
                            Node {
                                width: percent(100),
                                min_height: px(70),
                                flex_direction: FlexDirection::Row,
                                flex_wrap: FlexWrap::Wrap,
                                align_items: AlignItems::Center,
                                justify_content: JustifyContent::Center,
                                column_gap: px(6),
                                row_gap: px(4),
                                padding: UiRect::all(px(6)),
                                border_radius: BorderRadius::all(px(6)),
                                ..default()
                            },
                        ))
                        .with_children(|desk| {
                            if documents.is_empty() {
                                desk.spawn(widget::colored(
                                    s.t(
                                        "（桌上没有你带来的资料）",
                                        "(nothing you brought is on the desk)",
                                    ),
                                    0.75,
                                    palette::PAPER,
                                ));
                            }
                            for d in documents {
                                desk.spawn(widget::shape(
                                    "Document",
                                    palette::PAPER,
                                    Node {
                                        padding: UiRect::axes(px(6), px(3)),
                                        max_width: px(160),
                                        border_radius: BorderRadius::all(px(2)),
                                        ..default()
                                    },
                                ))
                                .with_children(|doc| {
                                    doc.spawn(widget::colored(d, 0.7, palette::TEXT));
                                });
                            }
                        });
                    office
                        .spawn((
                            Name::new("Our side"),
                            Node {
                                flex_direction: FlexDirection::Row,
                                column_gap: px(30),
                                ..default()
                            },
                        ))
                        .with_children(|ours| {
                            person(ours, palette::PRIMARY, 0.8);
                            for _ in &colleagues {
                                person(ours, palette::COLLEAGUE, 0.8);
                            }
                        });
                    let us = if colleague {
                        match colleagues.len() {
                            1 => s.t(
                                "你和同事（一人为私，两人为公）",
                                "You and a colleague (“two is official”)",
                            ),
                            _ => s.t("你和两位同事", "You and two colleagues"),
                        }
                        .to_owned()
                    } else {
                        s.t("你（独自上门）", "You (on your own)").to_owned()
                    };
                    office.spawn(widget::colored(us, 0.8, palette::MUTED));
                });
        }
    }
}

/// A simple figure: a head above shoulders.
fn person(parent: &mut ChildSpawnerCommands, color: Color, scale: f32) {
    parent
        .spawn((
            Name::new("Person"),
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                ..default()
            },
        ))
        .with_children(|p| {
            p.spawn(widget::shape(
                "Head",
                color,
                Node {
                    width: px(34.0 * scale),
                    height: px(34.0 * scale),
                    border_radius: BorderRadius::all(percent(50)),
                    ..default()
                },
            ));
            p.spawn(widget::shape(
                "Shoulders",
                color,
                Node {
                    width: px(70.0 * scale),
                    height: px(36.0 * scale),
                    margin: UiRect::top(px(4)),
                    border_radius: BorderRadius::new(
                        px(30.0 * scale),
                        px(30.0 * scale),
                        px(4),
                        px(4),
                    ),
                    ..default()
                },
            ));
        });
}

/// Rebuilds the log, status, feedback and answers whenever the conversation moves on.
fn redraw_conversation(
    conversation: Option<Res<Conversation>>,
    settings: Res<Settings>,
    mut drawn: Local<Option<u64>>,
    log_panel: Single<(Entity, &mut ScrollPosition, Ref<LogPanel>)>,
    status: Single<Entity, With<StatusPanel>>,
    feedback: Single<Entity, With<FeedbackPanel>>,
    choices_panel: Single<Entity, With<ChoicePanel>>,
    mut focus: ResMut<InputFocus>,
    mut back: Query<&mut BackTo>,
    mut commands: Commands,
) {
    let Some(conv) = conversation else {
        return;
    };
    let (log_entity, mut scroll, panel) = log_panel.into_inner();
    // Each visit to the screen spawns new panels; redraw when they or the conversation change.
    if !panel.is_added() && *drawn == Some(conv.version) {
        return;
    }
    *drawn = Some(conv.version);
    let s = settings.clone();
    let c = conv.content();
    let state = conv.session.state();
    commands.entity(log_entity).despawn_children();
    commands.entity(log_entity).with_children(|log| {
        for line in &conv.log {
            spawn_log_line(log, line.kind, &line.text, &s);
        }
    });
    // Keep the newest line in view.
    scroll.0.y = f32::MAX;

    commands.entity(*status).despawn_children();
    commands.entity(*status).with_children(|st| {
        let mood = state.mood;
        let mood_word = if mood >= 20 {
            s.t("缓和", "warm")
        } else if mood > -20 {
            s.t("平静", "neutral")
        } else {
            s.t("抵触", "hostile")
        };
        st.spawn(widget::label(format!(
            "{} {mood_word} ({mood:+})",
            s.t("对方情绪", "Debtor's mood")
        )));
        st.spawn((
            Name::new("Mood track"),
            Node {
                width: percent(100),
                height: px(14),
                border_radius: BorderRadius::all(px(7)),
                ..default()
            },
            BackgroundColor(palette::PANEL_DARK),
        ))
        .with_children(|track| {
            track.spawn(widget::shape(
                "Mood fill",
                palette::mood_color(mood),
                Node {
                    width: percent(((mood + 100) as f32 / 2.0).clamp(2.0, 100.0)),
                    height: percent(100),
                    border_radius: BorderRadius::all(px(7)),
                    ..default()
                },
            ));
        });
        let full = c.persona.patience.max(1);
        let pips: String = (0..full)
            .map(|i| if i < state.patience { '●' } else { '○' })
            .collect();
        st.spawn(widget::label(format!("{} {pips}", s.t("耐心", "Patience"))));
        st.spawn(widget::label(s.t("已取得的证据", "Evidence so far")));
        st.spawn(widget::row("Evidence chips"))
            .with_children(|row| {
                let mut any = false;
                for (i, e) in c.scenario.evidence.iter().enumerate() {
                    if state.evidence.has(i) {
                        any = true;
                        row.spawn(widget::chip(
                            format!(
                                "✓ {}",
                                render_text(
                                    c,
                                    conv.session.locale(),
                                    conv.session.trainee(),
                                    &e.label
                                )
                            ),
                            palette::GOOD,
                        ));
                    }
                }
                if !any {
                    row.spawn(widget::muted(s.t("还没有", "none yet")));
                }
            });
    });

    commands.entity(*feedback).despawn_children();
    if conv.mode == Mode::Practice
        && let Some(note) = &conv.feedback
    {
        let (mark, color) = if note.was_best {
            ("✓", palette::GOOD)
        } else {
            ("·", palette::CAUTION)
        };
        commands.entity(*feedback).with_children(|f| {
            f.spawn(widget::note("Feedback note", color))
                .with_children(|n| {
                    n.spawn(widget::colored(
                        format!("{mark} {}", note.text),
                        0.95,
                        palette::TEXT,
                    ));
                    if let Some(better) = &note.better {
                        n.spawn(widget::colored(
                            format!("{} {better}", s.t("更好的说法：", "A better line:")),
                            0.9,
                            palette::PRIMARY,
                        ));
                    }
                });
        });
    }

    commands.entity(*choices_panel).despawn_children();
    let mut first = None;
    if conv.session.is_ended() {
        for mut b in &mut back {
            b.set_if_neq(BackTo::to(Screen::Debrief));
        }
        let button = commands
            .spawn((
                DebriefButton,
                widget::button_primary(s.t(
                    "对话结束 · 查看复盘 (Enter)",
                    "Conversation over · See the debrief (Enter)",
                )),
                observe(|_: On<Press>, mut next: Navigate| next.to(Screen::Debrief)),
                ChildOf(*choices_panel),
            ))
            .id();
        first = Some(button);
    } else {
        for view in conv.choices() {
            let label = match (view.number, &view.locked_reason) {
                (Some(n), _) => format!("{n}. {}", view.text),
                (None, reason) => format!(
                    "□ {}   ({})",
                    view.text,
                    reason.as_deref().unwrap_or_default()
                ),
            };
            let mut e = commands.spawn((
                ChoiceButton(view.id.clone()),
                widget::button_wide(label),
                observe(say_choice),
                ChildOf(*choices_panel),
            ));
            match view.number {
                Some(n) => {
                    if let Some(k) = digit_key(n) {
                        e.insert(Hotkey(k));
                    }
                    first.get_or_insert(e.id());
                }
                None => {
                    e.insert(Disabled);
                }
            }
        }
    }
    if let Some(f) = first {
        focus.set(f, FocusCause::Navigated);
    }
}

fn spawn_log_line(log: &mut ChildSpawnerCommands, kind: LogKind, text: &str, s: &Settings) {
    let (who, bubble, color, align) = match kind {
        LogKind::Debtor => (
            s.t("对方", "Debtor"),
            Some(palette::DEBTOR_BUBBLE),
            palette::TEXT,
            AlignSelf::FlexStart,
        ),
        LogKind::Trainee => (
            s.t("你", "You"),
            Some(palette::TRAINEE_BUBBLE),
            palette::TEXT,
            AlignSelf::FlexEnd,
        ),
        LogKind::Scene => ("", None, palette::NARRATION, AlignSelf::Stretch),
        LogKind::Evidence => (
            s.t("证据", "Evidence"),
            None,
            palette::GOOD,
            AlignSelf::Center,
        ),
        LogKind::Truth => (
            s.t("了解到", "Uncovered"),
            None,
            palette::PRIMARY,
            AlignSelf::Center,
        ),
        LogKind::Violation => (
            s.t("违规", "Violation"),
            None,
            palette::BAD,
            AlignSelf::Center,
        ),
        LogKind::Notice => ("", None, palette::CAUTION, AlignSelf::Center),
    };
    let shown = match kind {
        LogKind::Scene => format!("（{text}）"),
        LogKind::Evidence => format!("＋ {who}：{text}"),
        LogKind::Truth => format!("！{who}：{text}"),
        LogKind::Violation => format!("× {who}：{text}"),
        _ => text.to_owned(),
    };
    let mut e = log.spawn((
        Name::new("Log line"),
        Node {
            flex_direction: FlexDirection::Column,
            max_width: percent(82),
            align_self: align,
            padding: UiRect::axes(px(12), px(8)),
            border_radius: BorderRadius::all(px(10)),
            row_gap: px(2),
            ..default()
        },
    ));
    if let Some(b) = bubble {
        e.insert(BackgroundColor(b));
    }
    e.with_children(|b| {
        if bubble.is_some() {
            b.spawn(widget::colored(who, 0.75, palette::MUTED));
        }
        b.spawn(widget::colored(shown, 1.0, color));
    });
}

fn say_choice(press: On<Press>, buttons: Query<&ChoiceButton>, mut says: MessageWriter<Say>) {
    if let Ok(ChoiceButton(id)) = buttons.get(press.0) {
        says.write(Say(id.clone()));
    }
}

fn update_call_timer(
    conversation: Option<Res<Conversation>>,
    time: Res<Time<Real>>,
    mut timers: Query<&mut Text, With<CallTimer>>,
) {
    let Some(conv) = conversation else {
        return;
    };
    let secs = (time.elapsed_secs_f64() - conv.started_at).max(0.0) as u64;
    let shown = if conv.session.is_ended() {
        format!("■ {:02}:{:02}", secs / 60, secs % 60)
    } else {
        format!("● {:02}:{:02}", secs / 60, secs % 60)
    };
    for mut t in &mut timers {
        if t.0 != shown && !conv.session.is_ended() {
            t.0 = shown.clone();
        }
    }
}

/// A phone call shows a running timer: wake once a second instead of only on input.
fn tick_for_call_timer(
    conversation: Option<Res<Conversation>>,
    winit: Option<ResMut<WinitSettings>>,
    options: Option<Res<GameOptions>>,
) {
    let scripted = options.is_some_and(|o| o.continuous);
    if let (Some(conv), Some(mut winit), false) = (conversation, winit, scripted)
        && conv.content().scenario.channel == Channel::Phone
    {
        winit.focused_mode = UpdateMode::reactive(Duration::from_secs(1));
    }
}

fn restore_update_mode(winit: Option<ResMut<WinitSettings>>, options: Option<Res<GameOptions>>) {
    let scripted = options.is_some_and(|o| o.continuous);
    if let (Some(mut winit), false) = (winit, scripted) {
        *winit = WinitSettings::desktop_app();
    }
}
