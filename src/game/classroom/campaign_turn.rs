//! The hot seat of a campaign round: every team works the same campaign with the same seed, in
//! turn; the screen shows who is up, who of them takes the keyboard, and each team's result so
//! far. When every team has worked the desk, the leaderboard is next.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::ActiveSession;
use crate::game::content::ContentLibrary;
use crate::game::settings::Settings;
use crate::game::state::{ClassroomScreen, Navigate};
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(ClassroomScreen::CampaignTurn),
        spawn_campaign_turn_screen.run_if(resource_exists::<ActiveSession>),
    );
}

/// "This member takes the campaign desk" for the team that is up.
#[derive(Component, Debug, Clone)]
pub struct CampaignSeatButton {
    /// Who plays.
    pub trainee: String,
}

fn spawn_campaign_turn_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    content: Res<ContentLibrary>,
    session: Res<ActiveSession>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let s = settings.clone();
    let root = |commands: &mut Commands, title: String| {
        commands
            .spawn(super::desk::classroom_root(
                &s,
                "Classroom campaign turn screen",
                ClassroomScreen::CampaignTurn,
                title,
            ))
            .id()
    };
    let turn = match store.campaign_turn(session.id) {
        Ok(Some(turn)) => turn,
        Ok(None) => {
            next.to(ClassroomScreen::Round);
            return;
        }
        Err(e) => {
            error!("{e}");
            let r = root(&mut commands, session.name.clone());
            commands
                .entity(r)
                .with_child(super::desk::unreadable(&s, &e));
            return;
        }
    };
    let title = content
        .library
        .campaigns
        .get(&turn.round.campaign)
        .map_or(turn.round.campaign.clone(), |c| {
            c.title.resolve(s.locale).to_owned()
        });
    let r = root(
        &mut commands,
        format!(
            "{} · {}{}{} · {title}",
            session.name,
            s.t("战役第", "Campaign round "),
            turn.round.number,
            s.t("轮", "")
        ),
    );
    let up = turn.next_team().cloned();
    let board = store.campaign_boards(session.id);
    commands.entity(r).with_children(|p| {
        p.spawn(widget::muted(format!(
            "{} {} · {}",
            s.t("本轮种子", "Round seed"),
            turn.round.seed,
            s.t(
                "每队接手同样的客户、同样的几周：比回款、账龄和节奏。",
                "Every team takes over the same accounts for the same weeks: cash, ageing and rhythm decide."
            )
        )));
        match &up {
            Some(team) => {
                p.spawn(widget::note("Up next", palette::PRIMARY))
                    .with_children(|n| {
                        n.spawn(widget::colored(
                            format!("{} {}", s.t("轮到：", "Up now:"), team.name),
                            1.8,
                            palette::PRIMARY,
                        ));
                        n.spawn(widget::header(s.t("谁来坐办公桌？", "Who takes the desk?")));
                        let seats: Vec<String> = if team.members.is_empty() {
                            vec![team.name.clone()]
                        } else {
                            team.members.clone()
                        };
                        n.spawn(widget::row("Seats")).with_children(|row| {
                            for (k, member) in seats.iter().enumerate() {
                                let mut seat = row.spawn((
                                    CampaignSeatButton {
                                        trainee: member.clone(),
                                    },
                                    widget::option_button(member.clone(), k == 0),
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
                    s.t("这一轮所有队都已完成战役。", "Every team has worked the desk this round."),
                    1.4,
                    palette::GOOD,
                ));
            }
        }
        p.spawn(widget::row("Turn actions")).with_children(|row| {
            let mut b = row.spawn((
                widget::option_button(s.t("看排行榜 →", "Leaderboard →"), up.is_none()),
                observe(|_: On<Press>, mut next: Navigate| next.to(ClassroomScreen::Board)),
            ));
            if up.is_none() {
                b.insert(InitialFocus);
            }
        });
        p.spawn(widget::header(s.t("本轮进度", "This round")));
        match &board {
            Ok(boards) => {
                let this = boards.iter().find(|b| b.round == turn.round.number);
                for team in &turn.teams {
                    let row = this.and_then(|b| b.standings.iter().find(|x| x.team == team.name));
                    let (text, color) = match row {
                        Some(x) if x.results > 0 => (
                            format!(
                                "{} · {:.1} · {} {:.0}% · {} {:.1} · {} {:.1}{}",
                                team.name,
                                x.total,
                                s.t("回款", "collected"),
                                x.collected_share,
                                s.t("账龄", "ageing"),
                                x.ageing,
                                s.t("节奏", "rhythm"),
                                x.rhythm,
                                if x.blocked > 0 { s.t(" · 违规", " · unlawful") } else { "" }
                            ),
                            if x.blocked > 0 { palette::BAD } else { palette::score_color(x.total) },
                        ),
                        _ => (format!("{} · {}", team.name, s.t("等待上场", "waiting")), palette::MUTED),
                    };
                    p.spawn(widget::colored(format!("    {text}"), 0.95, color));
                }
            }
            Err(e) => {
                p.spawn(super::desk::unreadable(&s, e));
            }
        }
    });
}

fn take_seat(press: On<Press>, seats: Query<&CampaignSeatButton>, mut commands: Commands) {
    if let Ok(seat) = seats.get(press.0) {
        commands.trigger(ClassroomAction::SeatCampaignTeam(seat.trainee.clone()));
    }
}
