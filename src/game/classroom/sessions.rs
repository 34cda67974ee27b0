//! The trainer's list of classroom sessions: start a new one, continue (or resume) one, look
//! at one's results, end one, or lock classroom mode again.

use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::{ClassroomNotice, Exported};
use crate::game::settings::Settings;
use crate::game::state::{ClassroomScreen, Navigate, Screen};
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};
use crate::store::SessionInfo;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(ClassroomScreen::Sessions), spawn_sessions_screen);
}

/// The new session's name.
#[derive(Component, Debug)]
pub struct SessionNameField;

/// Creates a session from [`SessionNameField`].
#[derive(Component, Debug)]
pub struct CreateSessionButton;

/// Exports every result (all sessions and free practice).
#[derive(Component, Debug)]
pub struct ExportAllButton;

/// Opens the LRS settings and outbox.
#[derive(Component, Debug)]
pub struct LrsSettingsButton;

/// Continues the session with this id.
#[derive(Component, Debug, Clone, Copy)]
pub struct ContinueSession(pub i64);

/// Shows the results of the session with this id.
#[derive(Component, Debug, Clone, Copy)]
pub struct ReviewSession(pub i64);

fn spawn_sessions_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    mut notice: ResMut<ClassroomNotice>,
    mut exported: ResMut<Exported>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let sessions = store.sessions();
    let today = crate::store::now().strftime("%Y-%m-%d").to_string();
    let root = commands
        .spawn((
            widget::ui_root("Classroom sessions screen"),
            DespawnOnExit(ClassroomScreen::Sessions),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                s.t("课堂 · 培训场次", "Classroom sessions"),
                Screen::Title
            )],
        ))
        .id();
    let field = commands
        .spawn((
            SessionNameField,
            widget::text_field(
                &format!("{} {today}", s.t("催款培训", "Collections class")),
                420.0,
                1.0,
            ),
        ))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widget::header(s.t("新开一场", "New session")));
    });
    let form = commands.spawn(widget::row("New session form")).id();
    commands.entity(root).add_child(form);
    commands.entity(form).add_child(field);
    commands.entity(form).with_children(|row| {
        row.spawn((
            CreateSessionButton,
            InitialFocus,
            widget::button_primary(s.t("创建并录入队伍", "Create and enter teams")),
            observe(create_session),
        ));
    });
    commands.entity(root).with_children(|p| {
        if let Some(n) = notice.0.take() {
            p.spawn(widget::colored(n, 1.0, palette::BAD));
        }
        p.spawn(widget::header(s.t("已有的场次", "Sessions so far")));
        p.spawn(widget::muted(format!(
            "{} {}",
            s.t("成绩库：", "Results database:"),
            store.location()
        )));
    });
    let list = commands.spawn(widget::scroll_area("Session list")).id();
    commands.entity(root).add_child(list);
    commands.entity(list).with_children(|p| match &sessions {
        Err(e) => {
            p.spawn(widget::colored(e.clone(), 1.0, palette::BAD));
        }
        Ok(list) if list.is_empty() => {
            p.spawn(widget::muted(s.t(
                "还没有场次。在上面输入名称，新开一场。",
                "No sessions yet. Name one above to start.",
            )));
        }
        Ok(list) => {
            for info in list {
                p.spawn(session_row(&s, info));
            }
        }
    });
    commands.entity(root).with_children(|p| {
        if let Some(files) = exported.0.take() {
            p.spawn(widget::colored(
                format!("{} {files}", s.t("已导出：", "Exported:")),
                0.95,
                palette::GOOD,
            ));
        }
        p.spawn(widget::row("Actions")).with_children(|row| {
            row.spawn((
                ExportAllButton,
                widget::button_secondary(s.t(
                    "导出全部成绩 (HTML + CSV)",
                    "Export all results (HTML + CSV)",
                )),
                observe(|_: On<Press>, mut commands: Commands| {
                    commands.trigger(ClassroomAction::Export { all: true });
                }),
            ));
            row.spawn((
                LrsSettingsButton,
                widget::button_secondary(s.t("学习记录系统 (LRS)", "Learning record store (LRS)")),
                observe(|_: On<Press>, mut next: Navigate| next.to(ClassroomScreen::Lrs)),
            ));
            row.spawn((
                widget::button_secondary(s.t("锁定课堂模式", "Lock classroom mode")),
                observe(|_: On<Press>, mut commands: Commands| {
                    commands.trigger(ClassroomAction::Lock);
                }),
            ));
        });
    });
}

fn session_row(s: &Settings, info: &SessionInfo) -> impl Bundle {
    let id = info.id;
    let status = match &info.ended_at {
        Some(_) => s.t("已结束", "ended"),
        None => s.t("进行中", "open"),
    };
    let when: String = info
        .created_at
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ");
    (
        widget::note(
            "Session",
            if info.ended_at.is_some() {
                palette::MUTED
            } else {
                palette::GOOD
            },
        ),
        children![
            widget::label(format!("{} · {status}", info.name)),
            widget::muted(format!(
                "{when} UTC · {} {} · {} {} · {} {}",
                info.teams,
                s.t("队", "teams"),
                info.rounds,
                s.t("轮", "rounds"),
                info.attempts,
                s.t("次练习", "attempts")
            )),
            (
                widget::row("Session actions"),
                children![
                    (
                        ContinueSession(id),
                        widget::button_primary(if info.ended_at.is_some() {
                            s.t("恢复这一场", "Resume")
                        } else {
                            s.t("继续", "Continue")
                        }),
                        observe(continue_session),
                    ),
                    (
                        ReviewSession(id),
                        widget::button_secondary(s.t("成绩与排行榜", "Results and leaderboard")),
                        observe(review_session),
                    ),
                ],
            ),
        ],
    )
}

fn create_session(
    _: On<Press>,
    field: Query<&EditableText, With<SessionNameField>>,
    mut commands: Commands,
) {
    let name = field
        .single()
        .map_or_else(|_| String::new(), |f| f.value().to_string());
    commands.trigger(ClassroomAction::CreateSession(name));
}

fn continue_session(press: On<Press>, buttons: Query<&ContinueSession>, mut commands: Commands) {
    if let Ok(ContinueSession(id)) = buttons.get(press.0).copied() {
        commands.trigger(ClassroomAction::ContinueSession(id));
    }
}

fn review_session(press: On<Press>, buttons: Query<&ReviewSession>, mut commands: Commands) {
    if let Ok(ReviewSession(id)) = buttons.get(press.0).copied() {
        commands.trigger(ClassroomAction::ReviewSession(id));
    }
}
