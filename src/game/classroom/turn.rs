//! The hot seat: which team is up with which scenario, who of them takes the keyboard, and
//! the round's progress so far. When every team has played, the leaderboard is next.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::ActiveSession;
use crate::domain::engine::session::render_text;
use crate::game::content::ContentLibrary;
use crate::game::settings::Settings;
use crate::game::state::{ClassroomScreen, Navigate, PlayContext};
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(ClassroomScreen::Turn),
        (spawn_turn_screen).run_if(resource_exists::<ActiveSession>),
    );
}

/// "This member takes the keyboard" for the team that is up.
#[derive(Component, Debug, Clone)]
pub struct SeatButton {
    /// Who plays.
    pub trainee: String,
}

/// Opens the leaderboard.
#[derive(Component, Debug)]
pub struct LeaderboardButton;

fn spawn_turn_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    content: Res<ContentLibrary>,
    session: Res<ActiveSession>,
    mut context: ResMut<PlayContext>,
    mut next: Navigate,
    mut commands: Commands,
) {
    // Nobody is at the keyboard while this screen shows: a conversation started from here is
    // a team's turn only once a member takes the seat.
    *context = PlayContext::Practice;
    let s = settings.clone();
    let standing = match store.standing(session.id) {
        Ok(st) => st,
        Err(e) => {
            // Nobody can be seated on a standing that cannot be read: say so, on screen.
            error!("{e}");
            commands
                .spawn(super::desk::classroom_root(
                    &s,
                    "Classroom turn screen",
                    ClassroomScreen::Turn,
                    session.name.clone(),
                ))
                .with_child(super::desk::unreadable(&s, &e));
            return;
        }
    };
    let Some(round) = standing.round.clone() else {
        next.to(ClassroomScreen::Round);
        return;
    };
    let title_of = |id: &str| {
        content.library.scenario(id).map_or(id.to_owned(), |c| {
            render_text(c, s.locale, "", &c.scenario.title)
        })
    };
    let root = commands
        .spawn(super::desk::classroom_root(
            &s,
            "Classroom turn screen",
            ClassroomScreen::Turn,
            format!(
                "{} · {}{}{}",
                session.name,
                s.t("第", "Round "),
                round.number,
                s.t("轮", "")
            ),
        ))
        .id();
    let up = standing
        .next_turn()
        .map(|(t, sc)| (t.clone(), sc.to_owned()));
    commands.entity(root).with_children(|p| {
        p.spawn(widget::muted(format!(
            "{} {} · {}",
            s.t("本轮种子", "Round seed"),
            round.seed,
            s.t(
                "每队面对同样的对方、同样的话。",
                "Every team faces the same debtor and the same lines."
            )
        )));
        match &up {
            Some((team, scenario)) => {
                let playable = content.library.scenario(scenario).is_some();
                p.spawn(widget::note("Up next", palette::PRIMARY))
                    .with_children(|n| {
                        n.spawn(widget::colored(
                            format!("{} {}", s.t("轮到：", "Up now:"), team.name),
                            1.8,
                            palette::PRIMARY,
                        ));
                        n.spawn(widget::label(format!(
                            "{} {}",
                            s.t("场景：", "Scenario:"),
                            title_of(scenario)
                        )));
                        if !playable {
                            n.spawn(widget::colored(
                                s.t(
                                    "这个场景现在有内容错误，无法开始；请修好文件，或在标题页查看“内容问题”。",
                                    "This scenario has content errors and cannot start; fix the file (see “Content problems”).",
                                ),
                                1.0,
                                palette::BAD,
                            ));
                        }
                        n.spawn(widget::header(s.t("谁来操作键盘？", "Who takes the keyboard?")));
                        let seats: Vec<String> = if team.members.is_empty() {
                            vec![team.name.clone()]
                        } else {
                            team.members.clone()
                        };
                        n.spawn(widget::row("Seats")).with_children(|row| {
                            for (k, member) in seats.iter().enumerate() {
                                let captain = team.captain.as_deref() == Some(member.as_str());
                                let text = if captain {
                                    format!("{member} ({})", s.t("队长", "captain"))
                                } else {
                                    member.clone()
                                };
                                let mut seat = row.spawn((
                                    SeatButton {
                                        trainee: member.clone(),
                                    },
                                    // The captain's seat is offered first and stands out.
                                    widget::option_button(text, k == 0),
                                    observe(take_seat),
                                ));
                                if k == 0 {
                                    seat.insert(InitialFocus);
                                }
                            }
                        });
                    });
            }
            None => {
                p.spawn(widget::colored(
                    s.t(
                        "这一轮所有队都已上场。",
                        "Every team has played this round.",
                    ),
                    1.4,
                    palette::GOOD,
                ));
            }
        }
        p.spawn(widget::row("Turn actions")).with_children(|row| {
            let mut board = row.spawn((
                LeaderboardButton,
                widget::option_button(
                    if up.is_none() {
                        s.t("看排行榜 →", "Leaderboard →")
                    } else {
                        s.t("目前的排行榜", "Leaderboard so far")
                    },
                    up.is_none(),
                ),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(ClassroomScreen::Board);
                }),
            ));
            if up.is_none() {
                board.insert(InitialFocus);
            }
            row.spawn((
                widget::button_secondary(s.t("队伍", "Teams")),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(ClassroomScreen::Teams);
                }),
            ));
        });
        p.spawn(widget::header(s.t("本轮进度", "This round")));
    });
    let list = commands.spawn(widget::scroll_area("Round progress")).id();
    commands.entity(root).add_child(list);
    commands.entity(list).with_children(|p| {
        for sc in &round.scenarios {
            p.spawn(widget::label(title_of(sc)));
            for team in &standing.teams {
                let played = standing
                    .played
                    .iter()
                    .find(|x| x.team == team.name && x.scenario == *sc);
                let (text, color) = match played {
                    Some(x) => (
                        format!(
                            "{} · {} · {:.1} {}{}",
                            team.name,
                            x.trainee,
                            x.overall,
                            if x.passed { "✓" } else { "×" },
                            if x.violated {
                                s.t(" · 违规", " · violation")
                            } else {
                                ""
                            }
                        ),
                        if x.violated {
                            palette::BAD
                        } else {
                            palette::score_color(x.overall)
                        },
                    ),
                    None => (
                        format!("{} · {}", team.name, s.t("等待上场", "waiting")),
                        palette::MUTED,
                    ),
                };
                p.spawn(widget::colored(format!("    {text}"), 0.95, color));
            }
        }
    });
}

fn take_seat(press: On<Press>, seats: Query<&SeatButton>, mut commands: Commands) {
    if let Ok(seat) = seats.get(press.0) {
        commands.trigger(ClassroomAction::SeatTeam(seat.trainee.clone()));
    }
}
