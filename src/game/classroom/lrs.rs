//! The trainer's LRS settings: endpoint, key, secret, IRI base and whether dialogue text is
//! sent, saved into the results database; and the outbox: how many statements wait, went and
//! were refused, the last problem, and a button to send now. The secret is typed into a field
//! that shows dots, and once saved it is never shown again.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::input_focus::{FocusCause, FocusedInput, InputFocus};
use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use crate::game::lrs::{LrsAction, LrsLink};
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, ClassroomScreen};
use crate::game::theme::interaction::{Focusable, InitialFocus, Press};
use crate::game::theme::{palette, widget};
use crate::lrs::{LrsConfig, Secret};
use crate::report::xapi::DEFAULT_BASE;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SecretDraft>();
    app.add_systems(OnEnter(ClassroomScreen::Lrs), spawn_lrs_screen);
    app.add_systems(
        Update,
        (show_secret, show_status)
            .run_if(in_state(ClassroomScreen::Lrs))
            .in_set(AppSystems::Present),
    );
}

/// A text field of the LRS form.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LrsField {
    /// The xAPI root.
    Endpoint,
    /// The key.
    Key,
    /// The IRI base.
    IriBase,
}

/// The secret's field (dots only).
#[derive(Component, Debug)]
pub struct SecretField;

/// Whether dialogue text goes into statements (a toggle).
#[derive(Component, Debug)]
pub struct DialogueTextToggle;

/// Saves the form.
#[derive(Component, Debug)]
pub struct SaveLrsButton;

/// Sends the outbox now.
#[derive(Component, Debug)]
pub struct SendNowButton;

/// Removes the setting.
#[derive(Component, Debug)]
pub struct ForgetLrsButton;

/// The secret as typed on this screen, and whether dialogue text is on (the toggle's state).
#[derive(Resource, Debug, Default)]
pub struct SecretDraft {
    /// What was typed (empty: keep the saved secret).
    pub secret: Secret,
    /// Dialogue text in statements.
    pub dialogue_text: bool,
}

#[derive(Component)]
struct SecretDots;

#[derive(Component)]
struct StatusPanel;

fn spawn_lrs_screen(
    settings: Res<Settings>,
    link: Res<LrsLink>,
    mut draft: ResMut<SecretDraft>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let saved = link.config.clone();
    *draft = SecretDraft {
        secret: Secret::default(),
        dialogue_text: saved.as_ref().is_none_or(|c| c.dialogue_text),
    };
    let root = commands
        .spawn((
            widget::ui_root("Classroom LRS screen"),
            DespawnOnExit(ClassroomScreen::Lrs),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                s.t(
                    "课堂 · 学习记录系统 (LRS)",
                    "Classroom · learning record store (LRS)"
                ),
                ClassroomScreen::Sessions
            )],
        ))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widget::muted(s.t(
            "成绩保存时，其 xAPI 语句同时进入待发队列，再发往公司的 LRS；LRS 连不上时语句留在队列里，恢复后补发，每条只存一次。",
            "When a result is saved its xAPI statements are queued with it and sent to your company's LRS; while the LRS is unreachable they wait and go later, each stored once.",
        )));
    });
    let value = |f: fn(&LrsConfig) -> &str, default: &str| {
        saved
            .as_ref()
            .map_or(default.to_owned(), |c| f(c).to_owned())
    };
    let fields = [
        (
            LrsField::Endpoint,
            s.t("地址 (xAPI 根)", "Endpoint (xAPI root)"),
            value(|c| &c.endpoint, "https://"),
        ),
        (
            LrsField::Key,
            s.t("账号 (key)", "Key"),
            value(|c| &c.key, ""),
        ),
        (
            LrsField::IriBase,
            s.t("IRI 前缀", "IRI base"),
            value(|c| &c.iri_base, DEFAULT_BASE),
        ),
    ];
    let label = |text: &str| widget::cell(text.to_owned(), 220.0, palette::TEXT);
    for (k, (field, text, initial)) in fields.into_iter().enumerate() {
        let row = commands.spawn(widget::row("LRS field")).id();
        commands.entity(root).add_child(row);
        commands.entity(row).with_children(|r| {
            r.spawn(label(text));
        });
        let input = commands
            .spawn((field, widget::text_field(&initial, 560.0, 1.0)))
            .id();
        if k == 0 {
            commands.entity(input).insert(InitialFocus);
        }
        commands.entity(row).add_child(input);
    }
    let secret_hint = if saved.as_ref().is_some_and(|c| !c.secret.is_empty()) {
        s.t(
            "已保存（不显示）；输入新的即替换",
            "saved (never shown); type to replace",
        )
    } else {
        s.t("输入密钥", "type the secret")
    };
    commands.entity(root).with_children(|p| {
        p.spawn(widget::row("LRS secret")).with_children(|r| {
            r.spawn(label(s.t("密钥 (secret)", "Secret")));
            r.spawn((
                SecretField,
                Focusable,
                widget::field_frame(560.0),
                observe(type_secret),
                // Pressed (clicked, or Enter on it): typing goes into it.
                observe(|press: On<Press>, mut focus: ResMut<InputFocus>| {
                    focus.set(press.0, FocusCause::Pressed);
                }),
                children![(SecretDots, widget::muted(secret_hint))],
            ));
        });
        p.spawn(widget::row("LRS privacy")).with_children(|r| {
            r.spawn(label(s.t("对话文本", "Dialogue text")));
            r.spawn((
                DialogueTextToggle,
                widget::button_secondary(toggle_text_label(&s, draft.dialogue_text)),
                observe(toggle_text),
            ));
        });
        p.spawn(widget::row("LRS actions")).with_children(|r| {
            r.spawn((
                SaveLrsButton,
                widget::button_primary(s.t("保存", "Save")),
                observe(save),
            ));
            r.spawn((
                SendNowButton,
                widget::button_secondary(s.t("立即发送", "Send now")),
                observe(|_: On<Press>, mut actions: MessageWriter<LrsAction>| {
                    actions.write(LrsAction::SendNow);
                }),
            ));
            r.spawn((
                ForgetLrsButton,
                widget::button_secondary(s.t("删除此设置", "Remove this setting")),
                observe(|_: On<Press>, mut actions: MessageWriter<LrsAction>| {
                    actions.write(LrsAction::Forget);
                }),
            ));
        });
        p.spawn((StatusPanel, widget::column("LRS status")));
    });
}

fn toggle_text_label(s: &Settings, on: bool) -> String {
    if on {
        s.t(
            "发送说了什么（台词与选项）",
            "Sent: what was said (lines and options)",
        )
        .to_owned()
    } else {
        s.t(
            "不发送台词，只发编号、分数与时间",
            "Left out: only ids, scores and times go",
        )
        .to_owned()
    }
}

fn toggle_text(
    press: On<Press>,
    settings: Res<Settings>,
    mut draft: ResMut<SecretDraft>,
    mut labels: Query<(&mut Text, &ChildOf)>,
) {
    draft.dialogue_text = !draft.dialogue_text;
    // The button's label is its text child.
    for (mut t, parent) in &mut labels {
        if parent.parent() == press.0 {
            t.0 = toggle_text_label(&settings, draft.dialogue_text);
        }
    }
}

/// Typing into the secret field: characters are added, Backspace removes the last; nothing
/// typed here reaches other keys' actions.
fn type_secret(mut input: On<FocusedInput<KeyboardInput>>, mut draft: ResMut<SecretDraft>) {
    let key = &input.input;
    if key.state != ButtonState::Pressed {
        return;
    }
    let mut text = draft.secret.expose().to_owned();
    match (&key.logical_key, &key.text) {
        (Key::Backspace, _) => {
            text.pop();
        }
        (Key::Enter | Key::Tab | Key::Escape, _) => return,
        (_, Some(typed)) if typed.chars().all(|c| !c.is_control()) => text.push_str(typed),
        _ => return,
    }
    draft.secret = Secret::new(text);
    input.propagate(false);
}

fn show_secret(
    draft: Res<SecretDraft>,
    mut dots: Query<(&mut Text, &mut TextColor), With<SecretDots>>,
) {
    if !draft.is_changed() || draft.secret.is_empty() {
        return;
    }
    let shown = "•".repeat(draft.secret.expose().chars().count());
    for (mut t, mut color) in &mut dots {
        t.0 = shown.clone();
        color.0 = palette::TEXT;
    }
}

fn save(
    _: On<Press>,
    fields: Query<(&LrsField, &EditableText)>,
    draft: Res<SecretDraft>,
    link: Res<LrsLink>,
    mut actions: MessageWriter<LrsAction>,
) {
    let value = |which: LrsField| {
        fields
            .iter()
            .find(|(f, _)| **f == which)
            .map_or_else(String::new, |(_, t)| {
                t.value().to_string().trim().to_owned()
            })
    };
    // An empty secret field keeps the saved secret.
    let secret = if draft.secret.is_empty() {
        link.config
            .as_ref()
            .map(|c| c.secret.clone())
            .unwrap_or_default()
    } else {
        draft.secret.clone()
    };
    actions.write(LrsAction::Save(LrsConfig {
        endpoint: value(LrsField::Endpoint),
        key: value(LrsField::Key),
        secret,
        iri_base: value(LrsField::IriBase),
        dialogue_text: draft.dialogue_text,
    }));
}

fn show_status(
    link: Res<LrsLink>,
    settings: Res<Settings>,
    panels: Query<Entity, With<StatusPanel>>,
    mut commands: Commands,
    mut shown: Local<Option<u64>>,
) {
    let Ok(panel) = panels.single() else {
        return;
    };
    if *shown == Some(link.version) {
        return;
    }
    *shown = Some(link.version);
    let s = settings.clone();
    commands.entity(panel).despawn_children();
    commands.entity(panel).with_children(|p| {
        p.spawn(widget::header(s.t("待发队列", "Outbox")));
        let setting = match &link.config {
            Some(c) => format!(
                "{} {} · {} {} · {} {}",
                s.t("LRS：", "LRS:"),
                c.endpoint,
                s.t("账号", "key"),
                c.key,
                s.t("密钥", "secret"),
                c.secret
            ),
            None => s
                .t(
                    "尚未设置 LRS：成绩只保存在本机成绩库。",
                    "No LRS set: results stay in this computer's results database.",
                )
                .to_owned(),
        };
        p.spawn(widget::label(setting));
        let c = link.counts;
        p.spawn(widget::label(format!(
            "{} {} · {} {} · {} {}{}",
            s.t("待发", "pending"),
            c.pending,
            s.t("已发", "sent"),
            c.sent,
            s.t("被拒", "refused"),
            c.refused,
            if link.sending {
                s.t(" · 正在发送…", " · sending…")
            } else {
                ""
            }
        )));
        if let Some(f) = &link.last_send {
            p.spawn(widget::muted(format!(
                "{} {} {}",
                s.t("上次发送：送达", "Last send: delivered"),
                f.sent,
                s.t("条语句", "statement(s)")
            )));
            for r in f.refused.iter().take(3) {
                p.spawn(widget::colored(
                    format!(
                        "{} {}: {}",
                        s.t("被拒", "refused"),
                        r.statement_id,
                        r.reason
                    ),
                    0.9,
                    palette::BAD,
                ));
            }
        }
        if let Some(problem) = &link.problem {
            p.spawn(widget::colored(problem.clone(), 0.95, palette::BAD));
        } else if link.config.is_some() && c.pending == 0 && !link.sending {
            p.spawn(widget::colored(
                s.t("全部已送达 LRS。", "Everything has reached the LRS."),
                0.95,
                palette::GOOD,
            ));
        }
    });
}
