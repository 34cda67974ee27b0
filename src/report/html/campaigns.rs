//! The campaigns in the HTML report: each campaign round's board in its session, and a section
//! with every campaign result and, per result, a chart of the ledger week by week — what is
//! left in each risk grade as stacked bars, the cash collected so far as a line.

use maud::{Markup, PreEscaped, html};
use plotters::prelude::*;

use super::{Words, score, xml_escape};
use crate::domain::campaign::RiskGrade;
use crate::domain::engine::format::amount;
use crate::domain::text::Locale;
use crate::report::{ReportData, SessionReport};
use crate::store::StoredCampaign;

/// The colour of each risk grade, in [`RiskGrade::ALL`] order: calm to alarming.
const GRADE_COLOURS: [RGBColor; 5] = [
    RGBColor(158, 178, 199),
    RGBColor(122, 178, 110),
    RGBColor(232, 184, 72),
    RGBColor(222, 118, 58),
    RGBColor(163, 38, 30),
];

/// The cash line's colour.
const CASH: RGBColor = RGBColor(43, 93, 138);

/// An amount on the chart's axis, short: `12万` / `120k`.
fn axis_amount(v: f64, locale: Locale) -> String {
    let (unit, size) = match locale {
        // Interface text: zh-TW reads the Simplified unit, as everywhere in the interface.
        Locale::ZhCn | Locale::ZhTw => ("万", 10_000.0),
        Locale::En => ("k", 1_000.0),
    };
    let n = v / size;
    if v.abs() < 0.5 {
        "0".to_owned()
    } else if (n - n.round()).abs() < 0.05 {
        format!("{n:.0}{unit}")
    } else {
        format!("{n:.1}{unit}")
    }
}

/// An SVG chart of a campaign result's ledger week by week: what is left in each risk grade
/// (stacked bars) and the cash collected so far (a line), on one axis of money.
pub fn campaign_chart(c: &StoredCampaign, locale: Locale) -> Result<String, String> {
    let weeks = &c.result.weeks;
    let n = weeks.len().max(1);
    let top = weeks
        .iter()
        .map(|w| w.by_grade.iter().sum::<f64>().max(w.collected))
        .fold(c.result.owed, f64::max)
        .max(1.0)
        * 1.08;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        // The key sits beside the plot, so it never hides a bar or the cash line.
        let (plot, key) = root.split_horizontally(570);
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(56)
            .caption(
                locale.pick("每周账龄与累计回款", "Ageing and cash, week by week"),
                ("sans-serif", 17),
            )
            .build_cartesian_2d(0.5f64..n as f64 + 0.5, 0f64..top)
            .map_err(|e| e.to_string())?;
        let week_label = locale.pick("第{}周", "Week {}");
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| {
                let k = x.round();
                if (x - k).abs() < 1e-6 && k >= 1.0 {
                    week_label.replace("{}", &(k as u32).to_string())
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| axis_amount(*v, locale))
            .y_desc(locale.pick("金额", "Amount"))
            .draw()
            .map_err(|e| e.to_string())?;
        for (g, colour) in GRADE_COLOURS.iter().enumerate() {
            let bars = weeks.iter().enumerate().filter_map(|(k, w)| {
                let below: f64 = w.by_grade[..g].iter().sum();
                let x = k as f64 + 1.0;
                (w.by_grade[g] > 0.005).then(|| {
                    Rectangle::new(
                        [(x - 0.32, below), (x + 0.32, below + w.by_grade[g])],
                        colour.filled(),
                    )
                })
            });
            chart.draw_series(bars).map_err(|e| e.to_string())?;
        }
        let cash: Vec<(f64, f64)> = weeks
            .iter()
            .enumerate()
            .map(|(k, w)| (k as f64 + 1.0, w.collected))
            .collect();
        chart
            .draw_series(LineSeries::new(cash.clone(), CASH.stroke_width(3)))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(cash.iter().map(|&p| Circle::new(p, 4, CASH.filled())))
            .map_err(|e| e.to_string())?;
        let text = ("sans-serif", 13).into_font().color(&BLACK);
        let row = |k: i32| 48 + 22 * k;
        key.draw(&Text::new(
            locale.pick("未收回（按风险等级）", "Left, by risk grade"),
            (4, row(0) - 22),
            text.clone(),
        ))
        .map_err(|e| e.to_string())?;
        for (k, grade) in RiskGrade::ALL.iter().enumerate() {
            let y = row(k as i32);
            key.draw(&Rectangle::new(
                [(6, y), (22, y + 12)],
                GRADE_COLOURS[k].filled(),
            ))
            .map_err(|e| e.to_string())?;
            key.draw(&Text::new(grade.label(locale), (30, y), text.clone()))
                .map_err(|e| e.to_string())?;
        }
        let y = row(RiskGrade::ALL.len() as i32) + 8;
        key.draw(&PathElement::new(
            vec![(4, y + 6), (24, y + 6)],
            CASH.stroke_width(3),
        ))
        .map_err(|e| e.to_string())?;
        key.draw(&Text::new(
            locale.pick("累计回款", "Collected so far"),
            (30, y),
            text,
        ))
        .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The boards of a session's campaign rounds (nothing when it has none).
pub(super) fn campaign_boards(w: &Words, data: &ReportData, s: &SessionReport) -> Markup {
    html! {
        @for board in &s.campaign_boards {
            h3 {
                (w.t("战役第", "Campaign round ")) (board.round) (w.t("轮：", ": "))
                (data.campaign_title(&board.campaign))
                span.meta { " (" (board.campaign) (w.t("，种子 ", ", seed ")) (board.seed) ")" }
            }
            @if let Some(best) = &board.best_team {
                p.award { "🏆 " (w.t("本轮最佳：", "Best desk: ")) strong { (best) } }
            }
            table {
                thead { tr {
                    th { "#" } th { (w.t("队伍", "Team")) } th.num { (w.t("收回比例", "Collected")) }
                    th.num { (w.t("账龄", "Ageing")) } th.num { (w.t("节奏", "Rhythm")) }
                    th.num { (w.t("回款", "Cash")) } th.num { (w.t("证据", "Evidence")) }
                    th.num { (w.t("总分", "Total")) } th.num { (w.t("通过/次数", "Passed")) }
                } }
                tbody {
                    @for (i, t) in board.standings.iter().enumerate() {
                        tr {
                            td { (i + 1) } td { (t.team) }
                            @if t.results == 0 {
                                td.num.empty colspan="7" { (w.t("还没有结果", "no result yet")) }
                            } @else {
                                td.num { (score(t.collected_share)) "%" }
                                td.num { (score(t.ageing)) } td.num { (score(t.rhythm)) }
                                td.num { (score(t.cash)) } td.num { (score(t.evidence)) }
                                td.num { strong { (score(t.total)) } }
                                td.num { (t.passed) "/" (t.results) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Every campaign result: a table, then each result's chart and turning points.
pub(super) fn campaigns_section(w: &Words, data: &ReportData) -> Markup {
    let locale = w.locale;
    html! {
        @if !data.campaigns.is_empty() {
            h2 { (w.t("战役", "Campaigns")) }
            table {
                thead { tr {
                    th { "#" } th { (w.t("学员", "Trainee")) } th { (w.t("队伍", "Team")) }
                    th { (w.t("战役", "Campaign")) } th { (w.t("开始", "Started")) }
                    th.num { (w.t("收回/应收", "Collected / owed")) }
                    th.num { (w.t("回款", "Cash")) } th.num { (w.t("账龄", "Ageing")) }
                    th.num { (w.t("节奏", "Rhythm")) } th.num { (w.t("证据", "Evidence")) }
                    th.num { (w.t("总分", "Total")) } th { (w.t("结果", "Result")) }
                } }
                tbody { @for c in &data.campaigns {
                    @let r = &c.result;
                    tr {
                        td { (c.id) } td { (c.trainee) } td { (c.team.clone().unwrap_or_default()) }
                        td { (data.campaign_title(&r.campaign)) } td { (c.started_at) }
                        td.num { (amount(r.collected, "CNY", locale)) " / " (amount(r.owed, "CNY", locale)) }
                        td.num { (score(r.scores.cash)) } td.num { (score(r.scores.ageing)) }
                        td.num { (score(r.scores.rhythm)) } td.num { (score(r.scores.evidence)) }
                        td.num { strong { (score(r.scores.total)) } }
                        td {
                            @if r.passed { span.pass { (w.t("通过", "passed")) } }
                            @else { span.fail { (w.t("未通过", "not passed")) } }
                        }
                    }
                } }
            }
            @for c in &data.campaigns {
                @let r = &c.result;
                @let chart = campaign_chart(c, locale).unwrap_or_else(|e| format!("<p>{}</p>", xml_escape(&e)));
                section.campaign {
                    h3 {
                        "#" (c.id) " · " (c.trainee) " · " (data.campaign_title(&r.campaign))
                        span.meta { " (" (w.t("种子 ", "seed ")) (r.seed) ")" }
                    }
                    div.chart { (PreEscaped(chart)) }
                    @if !r.blockers.is_empty() {
                        ul.compliance { @for b in &r.blockers { li { (b) } } }
                    }
                    @if !r.turning_points.is_empty() {
                        ul {
                            @for t in &r.turning_points {
                                li {
                                    @if t.good { span.pass { "✓ " } } @else { span.fail { "✗ " } }
                                    (t.date) " · " (t.text)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_amounts_are_short_in_each_language() {
        assert_eq!(axis_amount(0.0, Locale::En), "0");
        assert_eq!(axis_amount(120_000.0, Locale::En), "120k");
        assert_eq!(axis_amount(25_000.0, Locale::ZhCn), "2.5万");
        assert_eq!(axis_amount(300_000.0, Locale::ZhCn), "30万");
    }
}
