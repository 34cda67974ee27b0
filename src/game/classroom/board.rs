//! The leaderboard after a round, and the trainer's views of a session: team totals round by
//! round, per-axis averages, the best and the fastest-improving team, every compliance
//! failure, each trainee's first / best / average / lift, and each scenario's pass rate with
//! the line where most trainees went wrong.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::{ActiveSession, ClassroomNotice, Exported};
use crate::domain::content::model::Rule;
use crate::game::content::ContentLibrary;
use crate::game::settings::Settings;
use crate::game::state::{ClassroomScreen, Navigate};
use crate::game::theme::interaction::{InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Exported>();
    app.add_systems(
        OnEnter(ClassroomScreen::Board),
        (spawn_board_screen).run_if(resource_exists::<ActiveSession>),
    );
}

/// A team's line on the leaderboard (tests read it).
#[derive(Component, Debug, Clone, PartialEq)]
pub struct StandingRow {
    /// Rank, from 1.
    pub rank: usize,
    /// Team name.
    pub team: String,
    /// Its total.
    pub total: f64,
}

/// Starts planning the next round.
#[derive(Component, Debug)]
pub struct NextRoundButton;

/// Ends the session.
#[derive(Component, Debug)]
pub struct EndSessionButton;

/// Writes the session's HTML report and CSV next to the results database.
#[derive(Component, Debug)]
pub struct ExportButton;

fn spawn_board_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    content: Res<ContentLibrary>,
    session: Res<ActiveSession>,
    mut notice: ResMut<ClassroomNotice>,
    mut exported: ResMut<Exported>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let root = commands
        .spawn(super::desk::classroom_root(
            &s,
            "Classroom leaderboard screen",
            ClassroomScreen::Board,
            format!("{} · {}", session.name, s.t("排行榜", "Leaderboard")),
        ))
        .id();
    let loaded = store.board(&content, s.locale, session.id);
    let (data, this) = match loaded.and_then(|d| {
        let this = d
            .sessions
            .first()
            .cloned()
            .ok_or_else(|| format!("no classroom session {}", session.id))?;
        Ok((d, this))
    }) {
        Ok(d) => d,
        Err(e) => {
            commands.entity(root).with_children(|p| {
                if let Some(n) = notice.0.take() {
                    p.spawn(widget::colored(n, 1.0, palette::BAD));
                }
                p.spawn(widget::colored(e, 1.0, palette::BAD));
            });
            return;
        }
    };
    let ended = this.info.ended_at.is_some();
    commands.entity(root).with_children(|p| {
        if let Some(n) = notice.0.take() {
            p.spawn(widget::colored(n, 1.0, palette::BAD));
        }
        p.spawn(widget::row("Board actions")).with_children(|row| {
            if ended {
                row.spawn((
                    InitialFocus,
                    widget::button_primary(s.t("恢复这一场", "Resume the session")),
                    observe(resume),
                ));
            } else {
                row.spawn((
                    NextRoundButton,
                    InitialFocus,
                    widget::button_primary(s.t("下一轮 →", "Next round →")),
                    observe(|_: On<Press>, mut next: Navigate| {
                        next.to(ClassroomScreen::Round);
                    }),
                ));
                if !this.campaign_boards.is_empty() {
                    row.spawn((
                        widget::button_secondary(s.t("回到战役轮", "Back to the campaign round")),
                        observe(|_: On<Press>, mut next: Navigate| {
                            next.to(ClassroomScreen::CampaignTurn);
                        }),
                    ));
                }
                if this.info.rounds > 0 {
                    row.spawn((
                        widget::button_secondary(s.t("回到本轮", "Back to the round")),
                        observe(|_: On<Press>, mut next: Navigate| {
                            next.to(ClassroomScreen::Turn);
                        }),
                    ));
                }
                row.spawn((
                    ExportButton,
                    widget::button_secondary(
                        s.t("导出报告 (HTML + CSV)", "Export report (HTML + CSV)"),
                    ),
                    observe(export),
                ));
                row.spawn((
                    EndSessionButton,
                    widget::button_secondary(s.t("结束这一场", "End the session")),
                    observe(end_session),
                ));
            }
        });
        if let Some(files) = exported.0.take() {
            p.spawn(widget::colored(
                format!("{} {files}", s.t("已导出：", "Exported:")),
                0.95,
                palette::GOOD,
            ));
        }
        if ended {
            p.spawn(widget::muted(s.t(
                "这一场已经结束；成绩保留在成绩库里，可随时查看或导出。",
                "This session has ended; its results stay in the database to review or export.",
            )));
        }
    });
    let body = commands.spawn(widget::scroll_area("Board body")).id();
    commands.entity(root).add_child(body);
    let board = &this.leaderboard;
    let title_of = |id: &str| data.title(id).to_owned();
    // Campaign rounds: every team worked the same desk; cash, ageing and rhythm decide.
    commands.entity(body).with_children(|p| {
        for b in this.campaign_boards.iter().rev() {
            p.spawn(widget::header(format!(
                "{}{}{} · {} · {} {}",
                s.t("战役第", "Campaign round "),
                b.round,
                s.t("轮", ""),
                data.campaign_title(&b.campaign),
                s.t("种子", "seed"),
                b.seed
            )));
            if let Some(best) = &b.best_team {
                p.spawn(widget::colored(
                    format!("{} {best}", s.t("最佳团队：", "Best team:")),
                    1.3,
                    palette::GOOD,
                ));
            }
            for (k, x) in b.standings.iter().enumerate() {
                let text = if x.results == 0 {
                    format!("{}. {} · {}", k + 1, x.team, s.t("未上场", "not played"))
                } else {
                    format!(
                        "{}. {} · {} {:.1} · {} {:.0}% · {} {:.1}/20 · {} {:.1}/20 · {} {:.1}/20{}",
                        k + 1,
                        x.team,
                        s.t("总分", "total"),
                        x.total,
                        s.t("回款", "collected"),
                        x.collected_share,
                        s.t("账龄", "ageing"),
                        x.ageing,
                        s.t("节奏", "rhythm"),
                        x.rhythm,
                        s.t("证据", "evidence"),
                        x.evidence,
                        if x.blocked > 0 {
                            s.t(" · 违规不通过", " · failed: unlawful")
                        } else {
                            ""
                        }
                    )
                };
                let color = if x.blocked > 0 {
                    palette::BAD
                } else if x.results == 0 {
                    palette::MUTED
                } else {
                    palette::score_color(x.total)
                };
                p.spawn(widget::colored(text, 1.0, color));
            }
        }
    });
    // A session of campaign rounds only has no scenario board to show.
    if !this.shows_scenario_board() {
        return;
    }
    commands.entity(body).with_children(|p| {
        if let Some(best) = &board.best_team {
            p.spawn(widget::colored(
                format!("{} {best}", s.t("最佳团队：", "Best team:")),
                1.6,
                palette::GOOD,
            ));
        }
        if let Some((team, lift)) = &board.most_improved {
            p.spawn(widget::colored(
                format!(
                    "{} {team} (+{lift:.1})",
                    s.t("进步最快：", "Most improved:")
                ),
                1.3,
                palette::PRIMARY,
            ));
        }
        // The table: rank, team, each round, total, the three axes, passes, violations.
        let mut header = vec![
            ("#".to_owned(), 40.0),
            (s.t("队伍", "Team").to_owned(), 180.0),
        ];
        for r in &board.rounds {
            header.push((format!("{}{r}{}", s.t("第", "R"), s.t("轮", "")), 80.0));
        }
        for h in [
            s.t("总分", "Total"),
            s.t("语气", "Tone"),
            s.t("坚持", "Persist."),
            s.t("证据", "Evidence"),
            s.t("通过", "Passed"),
            s.t("违规", "Violations"),
        ] {
            header.push((h.to_owned(), 90.0));
        }
        p.spawn(widget::row("Board header")).with_children(|row| {
            for (h, w) in &header {
                row.spawn(widget::cell(h.clone(), *w, palette::MUTED));
            }
        });
        for (k, t) in board.standings.iter().enumerate() {
            p.spawn((
                StandingRow {
                    rank: k + 1,
                    team: t.team.clone(),
                    total: t.total,
                },
                widget::row("Board row"),
            ))
            .with_children(|row| {
                let ink = if k == 0 && t.attempts > 0 {
                    palette::GOOD
                } else {
                    palette::TEXT
                };
                row.spawn(widget::cell(format!("{}", k + 1), 40.0, ink));
                row.spawn(widget::cell(t.team.clone(), 180.0, ink));
                for r in &t.rounds {
                    row.spawn(widget::cell(
                        r.map_or("–".to_owned(), |v| format!("{v:.1}")),
                        80.0,
                        palette::TEXT,
                    ));
                }
                for (v, w) in [
                    (format!("{:.1}", t.total), 90.0),
                    (format!("{:.1}", t.tone), 90.0),
                    (format!("{:.1}", t.persistence), 90.0),
                    (format!("{:.1}", t.evidence), 90.0),
                    (format!("{}/{}", t.passed, t.attempts), 90.0),
                ] {
                    row.spawn(widget::cell(v, w, ink));
                }
                row.spawn(widget::cell(
                    t.violations.to_string(),
                    90.0,
                    if t.violations > 0 {
                        palette::BAD
                    } else {
                        palette::TEXT
                    },
                ));
            });
        }
        if board.standings.is_empty() {
            p.spawn(widget::muted(s.t("还没有队伍。", "No teams yet.")));
        }
        p.spawn(widget::header(s.t("合规问题", "Compliance failures")));
        if board.compliance.is_empty() {
            p.spawn(widget::colored(
                s.t("没有违规。", "None: every attempt stayed within the rules."),
                1.0,
                palette::GOOD,
            ));
        }
        for c in &board.compliance {
            let rules: Vec<String> = c
                .rules
                .iter()
                .map(|k| {
                    Rule::ALL
                        .iter()
                        .find(|r| r.key() == k)
                        .map_or(k.clone(), |r| r.label(s.locale).to_owned())
                })
                .collect();
            p.spawn(widget::colored(
                format!(
                    "× {}{} · {} · {} · {}",
                    c.round.map_or(String::new(), |r| format!(
                        "{}{r}{} · ",
                        s.t("第", "R"),
                        s.t("轮", "")
                    )),
                    c.team.clone().unwrap_or_default(),
                    c.trainee,
                    title_of(&c.scenario),
                    rules.join(s.t("；", "; "))
                ),
                0.95,
                palette::BAD,
            ));
        }
        p.spawn(widget::header(s.t("学员", "Trainees")));
        p.spawn(widget::row("Trainee header")).with_children(|row| {
            for (h, w) in [
                (s.t("学员", "Trainee"), 180.0),
                (s.t("次数", "Attempts"), 90.0),
                (s.t("首次", "First"), 90.0),
                (s.t("最好", "Best"), 90.0),
                (s.t("平均", "Average"), 90.0),
                (s.t("提升", "Lift"), 90.0),
            ] {
                row.spawn(widget::cell(h, w, palette::MUTED));
            }
        });
        for t in &data.trainees {
            p.spawn(widget::row("Trainee row")).with_children(|row| {
                row.spawn(widget::cell(t.trainee.clone(), 180.0, palette::TEXT));
                for (v, w) in [
                    (t.attempts.to_string(), 90.0),
                    (format!("{:.1}", t.first), 90.0),
                    (format!("{:.1}", t.best), 90.0),
                    (format!("{:.1}", t.average), 90.0),
                    (format!("+{:.1}", t.lift), 90.0),
                ] {
                    row.spawn(widget::cell(v, w, palette::TEXT));
                }
            });
        }
        p.spawn(widget::header(s.t("场景", "Scenarios")));
        for sc in &data.scenarios {
            p.spawn(widget::label(format!(
                "{} · {} {:.0}% ({}/{}) · {} {:.1}",
                title_of(&sc.scenario),
                s.t("通过率", "pass rate"),
                sc.pass_rate,
                sc.passed,
                sc.attempts,
                s.t("平均", "mean"),
                sc.average
            )));
            if let Some(m) = sc.missed.first() {
                p.spawn(widget::muted(format!(
                    "    {} {}/{} — “{}” → {} “{}”",
                    s.t("最多人答错：", "Most missed:"),
                    m.missed,
                    m.reached,
                    m.common_text,
                    s.t("更好：", "better:"),
                    m.better.clone().unwrap_or_default()
                )));
            }
        }
    });
}

fn export(_: On<Press>, mut commands: Commands) {
    commands.trigger(ClassroomAction::Export { all: false });
}

fn end_session(_: On<Press>, mut commands: Commands) {
    commands.trigger(ClassroomAction::EndSession);
}

fn resume(_: On<Press>, mut commands: Commands) {
    commands.trigger(ClassroomAction::ResumeSession);
}
