//! The trainer's list of classroom sessions: start a new one, continue (or resume) one, look
//! at one's results, end one, or lock classroom mode again.

use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use super::Screen;
use super::classroom_board::Exported;
use crate::game::classroom::{
    ActiveSession, ClassroomNotice, Standing, TrainerUnlocked, export_report,
};
use crate::game::content::ContentLibrary;
use crate::game::input::Back;
use crate::game::results::Results;
use crate::game::settings::Settings;
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};
use crate::store::SessionInfo;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::ClassroomSessions), spawn_sessions_screen);
    app.add_observer(go_back);
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

/// Continues the session with this id.
#[derive(Component, Debug, Clone, Copy)]
pub struct ContinueSession(pub i64);

/// Shows the results of the session with this id.
#[derive(Component, Debug, Clone, Copy)]
pub struct ReviewSession(pub i64);

fn spawn_sessions_screen(
    settings: Res<Settings>,
    results: Res<Results>,
    mut notice: ResMut<ClassroomNotice>,
    mut exported: ResMut<Exported>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let sessions = results.with(|st| st.sessions());
    let today = crate::store::now().strftime("%Y-%m-%d").to_string();
    let root = commands
        .spawn((
            widget::ui_root("Classroom sessions screen"),
            DespawnOnExit(Screen::ClassroomSessions),
            children![super::top_bar_with_back(
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
            results.location()
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
                observe(
                    |_: On<Press>,
                     settings: Res<Settings>,
                     results: Res<Results>,
                     content: Res<ContentLibrary>,
                     mut notice: ResMut<ClassroomNotice>,
                     mut exported: ResMut<Exported>,
                     mut next: ResMut<NextState<Screen>>| {
                        // Free practice and every session: the trainer's whole picture.
                        match export_report(&results, &content, settings.locale, None) {
                            Ok(files) => exported.0 = Some(files),
                            Err(e) => notice.0 = Some(e),
                        }
                        next.set(Screen::ClassroomSessions);
                    },
                ),
            ));
            row.spawn((
                widget::button_secondary(s.t("锁定课堂模式", "Lock classroom mode")),
                observe(
                    |_: On<Press>,
                     mut unlocked: ResMut<TrainerUnlocked>,
                     mut next: ResMut<NextState<Screen>>| {
                        unlocked.0 = false;
                        next.set(Screen::Title);
                    },
                ),
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
    results: Res<Results>,
    mut notice: ResMut<ClassroomNotice>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let name = field
        .single()
        .map(|f| f.value().to_string())
        .unwrap_or_default();
    match results.with(|st| st.create_session(&name)) {
        Ok(id) => {
            commands.insert_resource(ActiveSession {
                id,
                name: name.trim().to_owned(),
            });
            next.set(Screen::ClassroomTeams);
        }
        Err(e) => {
            notice.0 = Some(e);
            next.set(Screen::ClassroomSessions);
        }
    }
}

fn open_session(results: &Results, id: i64) -> Result<ActiveSession, String> {
    results.with(|st| {
        let info = st.session(id)?;
        Ok(ActiveSession {
            id,
            name: info.name,
        })
    })
}

fn continue_session(
    press: On<Press>,
    buttons: Query<&ContinueSession>,
    results: Res<Results>,
    mut notice: ResMut<ClassroomNotice>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let Ok(ContinueSession(id)) = buttons.get(press.0).copied() else {
        return;
    };
    let opened = results
        .with(|st| st.resume_session(id))
        .and_then(|()| open_session(&results, id));
    match opened {
        Ok(active) => {
            let standing = Standing::load(&results, id).unwrap_or_default();
            commands.insert_resource(active);
            // No teams yet: enter them; no round yet: plan one; otherwise the hot seat.
            next.set(if standing.teams.is_empty() {
                Screen::ClassroomTeams
            } else if standing.round.is_none() {
                Screen::ClassroomRound
            } else {
                Screen::ClassroomTurn
            });
        }
        Err(e) => {
            notice.0 = Some(e);
            next.set(Screen::ClassroomSessions);
        }
    }
}

fn review_session(
    press: On<Press>,
    buttons: Query<&ReviewSession>,
    results: Res<Results>,
    mut notice: ResMut<ClassroomNotice>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let Ok(ReviewSession(id)) = buttons.get(press.0).copied() else {
        return;
    };
    match open_session(&results, id) {
        Ok(active) => {
            commands.insert_resource(active);
            next.set(Screen::ClassroomBoard);
        }
        Err(e) => {
            notice.0 = Some(e);
            next.set(Screen::ClassroomSessions);
        }
    }
}

fn go_back(_: On<Back>, screen: Res<State<Screen>>, mut next: ResMut<NextState<Screen>>) {
    if *screen.get() == Screen::ClassroomSessions {
        next.set(Screen::Title);
    }
}
