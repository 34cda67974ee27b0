//! The hot seat: which team is up with which scenario, who of them takes the keyboard, and
//! the round's progress so far. When every team has played, the leaderboard is next.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::{Screen, Selection};
use crate::domain::engine::session::render_text;
use crate::game::classroom::{ActiveSession, Standing, Turn};
use crate::game::content::ContentLibrary;
use crate::game::conversation::TraineeName;
use crate::game::results::Results;
use crate::game::settings::Settings;
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::ClassroomTurn), spawn_turn_screen);
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
    results: Res<Results>,
    content: Res<ContentLibrary>,
    session: Option<Res<ActiveSession>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let Some(session) = session else {
        next.set(Screen::ClassroomSessions);
        return;
    };
    // Nobody is at the keyboard while this screen shows.
    commands.remove_resource::<Turn>();
    let s = settings.clone();
    let standing = match Standing::load(&results, session.id) {
        Ok(st) => st,
        Err(e) => {
            error!("{e}");
            Standing::default()
        }
    };
    let Some(round) = standing.round.clone() else {
        next.set(Screen::ClassroomRound);
        return;
    };
    let title_of = |id: &str| {
        content.library.scenario(id).map_or(id.to_owned(), |c| {
            render_text(c, s.locale, "", &c.scenario.title)
        })
    };
    let root = commands
        .spawn(super::classroom_root(
            &s,
            "Classroom turn screen",
            Screen::ClassroomTurn,
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
                observe(|_: On<Press>, mut next: ResMut<NextState<Screen>>| {
                    next.set(Screen::ClassroomBoard);
                }),
            ));
            if up.is_none() {
                board.insert(InitialFocus);
            }
            row.spawn((
                widget::button_secondary(s.t("队伍", "Teams")),
                observe(|_: On<Press>, mut next: ResMut<NextState<Screen>>| {
                    next.set(Screen::ClassroomTeams);
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

fn take_seat(
    press: On<Press>,
    seats: Query<&SeatButton>,
    results: Res<Results>,
    content: Res<ContentLibrary>,
    session: Res<ActiveSession>,
    mut name: ResMut<TraineeName>,
    mut selection: ResMut<Selection>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let Ok(seat) = seats.get(press.0) else {
        return;
    };
    let Ok(standing) = Standing::load(&results, session.id) else {
        return;
    };
    let (Some(round), Some((team, scenario))) = (standing.round.clone(), standing.next_turn())
    else {
        return;
    };
    if content.library.scenario(scenario).is_none() {
        return;
    }
    name.0 = seat.trainee.clone();
    *selection = Selection {
        scenario: scenario.to_owned(),
        seed: round.seed,
        prepared: Vec::new(),
    };
    commands.insert_resource(Turn {
        team: team.id,
        team_name: team.name.clone(),
        round: round.id,
        round_number: round.number,
        scenario: scenario.to_owned(),
        trainee: seat.trainee.clone(),
    });
    next.set(Screen::Briefing);
}
