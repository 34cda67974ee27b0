//! The end-of-campaign report: the score and its parts, a chart of what was left by risk grade
//! week by week with the cash curve over it (drawn with UI nodes), and the turning points.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::ActiveDesk;
use crate::domain::campaign::{CampaignResult, RiskGrade};
use crate::domain::engine::format::amount;
use crate::domain::text::Locale;
use crate::game::chrome::top_bar_with_back;
use crate::game::records::LastCampaign;
use crate::game::settings::Settings;
use crate::game::state::{CampaignScreen, Navigate};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(CampaignScreen::Report),
        spawn_report_screen.run_if(resource_exists::<ActiveDesk>),
    );
}

/// The chart's height in pixels.
const CHART_HEIGHT: f32 = 170.0;
/// A week's column width and the gap between columns, in pixels.
const COLUMN_WIDTH: f32 = 44.0;
/// See [`COLUMN_WIDTH`].
const COLUMN_GAP: f32 = 10.0;

fn grade_color(g: RiskGrade) -> Color {
    match g {
        RiskGrade::NotDue => Color::srgb(0.62, 0.75, 0.80),
        RiskGrade::Collecting => Color::srgb(0.30, 0.55, 0.62),
        RiskGrade::Doubtful => palette::CAUTION,
        RiskGrade::Bad => Color::srgb(0.85, 0.40, 0.25),
        RiskGrade::Dead => palette::BAD,
    }
}

fn spawn_report_screen(
    settings: Res<Settings>,
    active: Res<ActiveDesk>,
    last: Option<Res<LastCampaign>>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let l = s.locale;
    let Some(r) = active.desk.result() else {
        return;
    };
    // The campaign's title alone: with "report" in front it wraps the top bar.
    let title = active.desk.campaign().title.resolve(l).to_owned();
    let root = commands
        .spawn((
            widget::ui_root("Campaign report screen"),
            DespawnOnExit(CampaignScreen::Report),
            children![top_bar_with_back(&s, title, active.home())],
        ))
        .id();
    let body = commands.spawn(widget::scroll_area("Report body")).id();
    commands.entity(root).add_child(body);
    let (verdict, color) = if r.passed {
        (l.pick("通过", "PASSED"), palette::GOOD)
    } else {
        (l.pick("未通过", "NOT PASSED"), palette::BAD)
    };
    commands.entity(body).with_children(|p| {
        p.spawn(widget::row("Verdict")).with_children(|row| {
            row.spawn(widget::colored(
                format!(
                    "{} {:.1}",
                    l.pick("战役总分", "Campaign score"),
                    r.scores.total
                ),
                2.0,
                palette::score_color(r.scores.total),
            ));
            row.spawn(widget::colored(verdict, 1.5, color));
            row.spawn(widget::muted(format!(
                "{} {} · {} {} / {}",
                l.pick("及格线", "pass mark"),
                r.pass_mark,
                l.pick("收回", "collected"),
                amount(r.collected, "CNY", l),
                amount(r.owed, "CNY", l)
            )));
        });
        // Said to be saved only when it was.
        match last.as_ref().map(|l| &l.saved) {
            Some(Ok(id)) => {
                p.spawn(widget::muted(format!(
                    "{} #{id}",
                    l.pick(
                        "已保存到成绩库：战役记录",
                        "Saved in the results database: campaign"
                    )
                )));
            }
            Some(Err(e)) => {
                p.spawn(widget::colored(
                    format!(
                        "{} {e}",
                        l.pick(
                            "这次战役结果没有保存：",
                            "This campaign result was NOT saved:"
                        )
                    ),
                    1.0,
                    palette::BAD,
                ));
            }
            None => {}
        }
        for b in &r.blockers {
            p.spawn(widget::colored(format!("× {b}"), 1.0, palette::BAD));
        }
        p.spawn(widget::row("Parts")).with_children(|row| {
            for (label, v, of) in [
                (
                    l.pick("回款（越早越好）", "Cash (earlier is better)"),
                    r.scores.cash,
                    40.0,
                ),
                (l.pick("账龄", "Ageing"), r.scores.ageing, 20.0),
                (l.pick("节奏", "Rhythm"), r.scores.rhythm, 20.0),
                (l.pick("证据", "Evidence"), r.scores.evidence, 20.0),
            ] {
                row.spawn(widget::score_bar(
                    format!("{label} {v:.1}/{of:.0}"),
                    100.0 * v / of,
                    200.0,
                ));
            }
        });
    });
    chart(&mut commands, body, &r, l);
    commands.entity(body).with_children(|p| {
        p.spawn(widget::header(l.pick("转折点", "Turning points")));
        for t in &r.turning_points {
            p.spawn(widget::colored(
                format!(
                    "{} {} {}",
                    if t.good { "＋" } else { "－" },
                    &t.date[5..],
                    t.text
                ),
                0.95,
                if t.good { palette::GOOD } else { palette::BAD },
            ));
        }
        let home = active.home();
        let back = if active.seat.is_some() {
            l.pick("下一队 (N)", "Next team (N)")
        } else {
            l.pick("回到战役列表 (N)", "Back to the campaigns (N)")
        };
        p.spawn(widget::row("Report actions")).with_children(|row| {
            row.spawn((
                InitialFocus,
                Hotkey(KeyCode::KeyN),
                widget::button_primary(back),
                observe(move |_: On<Press>, mut next: Navigate| next.to(home)),
            ));
        });
    });
}

/// Stacked columns of what was left by risk grade at each week's end, and the cash collected
/// so far as a marker on each column, all against what was owed.
fn chart(commands: &mut Commands, body: Entity, r: &CampaignResult, l: Locale) {
    let owed = r.owed.max(1.0);
    let panel = commands
        .spawn((
            widget::panel("Ageing chart"),
            children![widget::header(l.pick(
                "每周末：未收余额按风险等级（柱）与累计回款（绿线）",
                "Each week's end: what is left by risk grade (bars) and cash collected so far (green line)"
            ))],
        ))
        .id();
    commands.entity(body).add_child(panel);
    let plot = commands
        .spawn((
            Name::new("Chart"),
            Node {
                flex_direction: FlexDirection::Row,
                align_items: AlignItems::FlexStart,
                column_gap: px(COLUMN_GAP),
                height: px(CHART_HEIGHT + 24.0),
                ..default()
            },
        ))
        .id();
    commands.entity(panel).add_child(plot);
    for w in &r.weeks {
        let column = commands
            .spawn((
                Name::new("Week"),
                Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    ..default()
                },
            ))
            .id();
        commands.entity(plot).add_child(column);
        let stack = commands
            .spawn((
                Name::new("Stack"),
                Node {
                    width: px(COLUMN_WIDTH),
                    height: px(CHART_HEIGHT),
                    flex_direction: FlexDirection::ColumnReverse,
                    ..default()
                },
                BackgroundColor(palette::PANEL_DARK.with_alpha(0.4)),
            ))
            .id();
        commands.entity(column).add_child(stack);
        for (g, v) in RiskGrade::ALL.iter().zip(w.by_grade) {
            if v <= 0.0 {
                continue;
            }
            commands.entity(stack).with_child(widget::shape(
                "Grade",
                grade_color(*g),
                Node {
                    width: percent(100),
                    height: px((CHART_HEIGHT as f64 * v / owed) as f32),
                    ..default()
                },
            ));
        }
        let cash_y = (CHART_HEIGHT as f64 * (w.collected / owed).min(1.0)) as f32;
        commands.entity(stack).with_child((
            Name::new("Cash marker"),
            Node {
                position_type: PositionType::Absolute,
                bottom: px(cash_y - 5.0),
                left: px(12),
                width: px(20),
                height: px(10),
                ..default()
            },
            BackgroundColor(palette::GOOD),
            Outline::new(px(1), px(0), palette::TEXT),
        ));
        commands.entity(column).with_child(widget::muted(format!(
            "{}{}",
            l.pick("周", "W"),
            w.week
        )));
    }
    // The cash curve: a segment from each week's marker to the next, drawn as a thin node
    // rotated into place over the columns (UI nodes have no line primitive).
    let points: Vec<(f32, f32)> = r
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = i as f32 * (COLUMN_WIDTH + COLUMN_GAP) + COLUMN_WIDTH / 2.0;
            let y = CHART_HEIGHT - (CHART_HEIGHT as f64 * (w.collected / owed).min(1.0)) as f32;
            (x, y)
        })
        .collect();
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = dx.hypot(dy);
        commands.entity(plot).with_child((
            Name::new("Cash curve"),
            Node {
                position_type: PositionType::Absolute,
                left: px((x1 + x2) / 2.0 - length / 2.0),
                top: px((y1 + y2) / 2.0 - 1.5),
                width: px(length),
                height: px(3),
                ..default()
            },
            UiTransform::from_rotation(Rot2::radians(dy.atan2(dx))),
            BackgroundColor(palette::GOOD),
        ));
    }
    commands.entity(panel).with_children(|p| {
        p.spawn(widget::row("Legend")).with_children(|row| {
            for g in RiskGrade::ALL {
                row.spawn(widget::chip(g.label(l), grade_color(g)));
            }
            row.spawn(widget::chip(
                l.pick("■ 累计回款", "■ collected"),
                palette::GOOD,
            ));
        });
    });
}
