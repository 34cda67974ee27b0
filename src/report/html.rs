//! The printable HTML report: per session the leaderboard and a chart of each team's score per
//! round, then per trainee progress, per scenario pass rates and where trainees go wrong, and
//! every attempt; the campaign rounds' boards and every campaign result with a chart of its
//! ledger week by week ([`campaigns`]). One self-contained file (inline CSS and SVG) that
//! prints on A4.

mod campaigns;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use plotters::prelude::*;

use super::{ReportData, SessionReport};

use crate::domain::content::model::Rule;
use crate::domain::text::Locale;
pub use campaigns::campaign_chart;

struct Words {
    locale: Locale,
}

impl Words {
    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.locale.pick(zh, en)
    }
}

fn score(x: f64) -> String {
    format!("{x:.1}")
}

fn rule_label(key: &str, locale: Locale) -> String {
    Rule::ALL
        .iter()
        .find(|r| r.key() == key)
        .map_or_else(|| key.to_owned(), |r| r.label(locale).to_owned())
}

/// Escapes text for the HTML around the chart (an error message in place of the chart).
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG line chart: one line per team, its mean overall score in each round (0–100).
pub fn team_chart(session: &SessionReport, locale: Locale) -> Result<String, String> {
    let board = &session.leaderboard;
    let rounds = board.rounds.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(34)
            .y_label_area_size(40)
            .caption(
                locale.pick("各队每轮平均分", "Team score per round"),
                ("sans-serif", 18),
            )
            .build_cartesian_2d(0.5f64..rounds as f64 + 0.5, 0f64..100f64)
            .map_err(|e| e.to_string())?;
        let round_label = locale.pick("第{}轮", "Round {}");
        chart
            .configure_mesh()
            .x_labels(rounds)
            .x_label_formatter(&|x| {
                let n = x.round();
                if (x - n).abs() < 1e-6 && n >= 1.0 {
                    round_label.replace("{}", &(n as u32).to_string())
                } else {
                    String::new()
                }
            })
            .y_desc(locale.pick("平均分", "Mean score"))
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, team) in board.standings.iter().enumerate() {
            let colour = Palette99::pick(i).to_rgba();
            let points: Vec<(f64, f64)> = team
                .rounds
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.map(|s| (k as f64 + 1.0, s)))
                .collect();
            // plotters' SVG backend escapes `<`, `>`, `&` and quotes in text itself
            // (plotters-svg `escape_and_push`), so the name goes in as typed.
            let name = team.team.clone();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))
                .map_err(|e| e.to_string())?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3))
                });
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|&(x, y)| Circle::new((x, y), 4, colour.filled())),
                )
                .map_err(|e| e.to_string())?;
        }
        if !board.standings.is_empty() {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .position(SeriesLabelPosition::LowerRight)
                .draw()
                .map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn session_section(w: &Words, data: &ReportData, s: &SessionReport) -> Markup {
    let board = &s.leaderboard;
    let chart = team_chart(s, w.locale).unwrap_or_else(|e| format!("<p>{}</p>", xml_escape(&e)));
    html! {
        section.session {
            h2 { (w.t("课堂：", "Session: ")) (s.info.name) }
            p.meta {
                (w.t("开始 ", "Started ")) (s.info.created_at)
                @if let Some(end) = &s.info.ended_at { " · " (w.t("结束 ", "ended ")) (end) }
                " · " (s.teams.len()) (w.t(" 个队", " teams")) " · " (s.rounds.len()) (w.t(" 轮", " rounds"))
                @if !s.campaign_rounds.is_empty() {
                    " · " (s.campaign_rounds.len()) (w.t(" 轮战役", " campaign rounds"))
                }
            }
            @if s.shows_scenario_board() {
                @if let Some(best) = &board.best_team {
                    p.award { "🏆 " (w.t("最佳团队：", "Best team: ")) strong { (best) } }
                }
                @if let Some((team, lift)) = &board.most_improved {
                    p.award { "📈 " (w.t("进步最快：", "Most improved: ")) strong { (team) } " (+" (score(*lift)) ")" }
                }
                table {
                    thead { tr {
                        th { "#" } th { (w.t("队伍", "Team")) } th { (w.t("队长", "Captain")) }
                        @for r in &board.rounds { th.num { (w.t("第", "R")) (r) (w.t("轮", "")) } }
                        th.num { (w.t("总分", "Total")) } th.num { (w.t("语气", "Tone")) }
                        th.num { (w.t("坚持", "Persist.")) } th.num { (w.t("证据", "Evidence")) }
                        th.num { (w.t("通过/次数", "Passed")) } th.num { (w.t("违规", "Violations")) }
                    } }
                    tbody {
                        @for (i, t) in board.standings.iter().enumerate() {
                            @let captain = s.teams.iter().find(|x| x.name == t.team).and_then(|x| x.captain.clone());
                            tr {
                                td { (i + 1) } td { (t.team) } td { (captain.unwrap_or_default()) }
                                @for r in &t.rounds { td.num { @if let Some(v) = r { (score(*v)) } @else { "–" } } }
                                td.num { strong { (score(t.total)) } } td.num { (score(t.tone)) }
                                td.num { (score(t.persistence)) } td.num { (score(t.evidence)) }
                                td.num { (t.passed) "/" (t.attempts) } td.num { (t.violations) }
                            }
                        }
                    }
                }
                div.chart { (PreEscaped(chart)) }
            }
            (campaigns::campaign_boards(w, data, s))
            @if !board.compliance.is_empty() {
                h3 { (w.t("合规问题", "Compliance failures")) }
                ul.compliance {
                    @for c in &board.compliance {
                        li {
                            @if let Some(r) = c.round { (w.t("第", "Round ")) (r) (w.t("轮 · ", " · ")) }
                            @if let Some(t) = &c.team { (t) " · " }
                            (c.trainee) " · " (c.scenario) ": "
                            (c.rules.iter().map(|k| rule_label(k, w.locale)).collect::<Vec<_>>().join(w.t("；", "; ")))
                        }
                    }
                }
            }
        }
    }
}

const STYLE: &str = r#"
body { font-family: "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: #1d2433; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; border-bottom: 2px solid #2b5d8a; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin-top: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #d5dae3; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef2f7; } .num { text-align: right; white-space: nowrap; }
.meta { color: #5b6475; font-size: 13px; } .award { margin: 4px 0; }
.pass { color: #1f7a3a; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; }
.compliance li { color: #b3261e; } .chart svg { max-width: 100%; height: auto; }
.empty { color: #5b6475; font-style: italic; }
@media print { body { margin: 0; max-width: none; } section { page-break-inside: avoid; } h2 { page-break-after: avoid; } }
@page { size: A4; margin: 14mm; }
"#;

/// The whole report.
pub fn render(data: &ReportData, locale: Locale, generated_at: &str) -> String {
    let w = Words { locale };
    let page = html! {
        (DOCTYPE)
        html lang=(w.t("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (w.t("催款道场 · 培训报告", "Dunning Dojo · training report")) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (w.t("催款道场 · 培训报告", "Dunning Dojo · training report")) }
                p.meta {
                    (w.t("生成于 ", "Generated ")) (generated_at) " · "
                    (data.attempts.len()) (w.t(" 次练习 · ", " attempts · "))
                    (data.quizzes.len()) (w.t(" 次测验", " quizzes"))
                    @if !data.campaigns.is_empty() {
                        " · " (data.campaigns.len()) (w.t(" 次战役", " campaigns"))
                    }
                }
                @for s in &data.sessions { (session_section(&w, data, s)) }
                h2 { (w.t("学员进步", "Trainees")) }
                @if data.trainees.is_empty() { p.empty { (w.t("还没有练习记录。", "No attempts yet.")) } }
                @else {
                    table {
                        thead { tr {
                            th { (w.t("学员", "Trainee")) } th.num { (w.t("次数", "Attempts")) }
                            th.num { (w.t("首次", "First")) } th.num { (w.t("最好", "Best")) }
                            th.num { (w.t("平均", "Average")) } th.num { (w.t("提升", "Lift")) }
                            th.num { (w.t("通过", "Passed")) }
                        } }
                        tbody { @for t in &data.trainees { tr {
                            td { (t.trainee) } td.num { (t.attempts) } td.num { (score(t.first)) }
                            td.num { (score(t.best)) } td.num { (score(t.average)) }
                            td.num { "+" (score(t.lift)) } td.num { (t.passed) }
                        } } }
                    }
                }
                h2 { (w.t("场景", "Scenarios")) }
                @if data.scenarios.is_empty() { p.empty { (w.t("还没有练习记录。", "No attempts yet.")) } }
                @for s in &data.scenarios {
                    h3 { (data.title(&s.scenario)) " " span.meta { "(" (s.scenario) ")" } }
                    p {
                        (w.t("通过率 ", "Pass rate ")) strong { (score(s.pass_rate)) "%" }
                        " (" (s.passed) "/" (s.attempts) ") · " (w.t("平均分 ", "mean ")) (score(s.average))
                    }
                    @if !s.missed.is_empty() {
                        table {
                            thead { tr {
                                th { (w.t("对方说", "The debtor said")) } th { (w.t("常见的错误回答", "Most common miss")) }
                                th { (w.t("更好的说法", "Better")) } th.num { (w.t("答错/到达", "Missed/reached")) }
                            } }
                            tbody { @for m in &s.missed { tr {
                                td { (m.debtor) } td { (m.common_text) }
                                td { (m.better.clone().unwrap_or_default()) }
                                td.num { (m.missed) "/" (m.reached) }
                            } } }
                        }
                    }
                }
                h2 { (w.t("全部练习", "All attempts")) }
                table {
                    thead { tr {
                        th { "#" } th { (w.t("学员", "Trainee")) } th { (w.t("队伍", "Team")) }
                        th { (w.t("场景", "Scenario")) } th { (w.t("模式", "Mode")) } th { (w.t("开始", "Started")) }
                        th.num { (w.t("总分", "Overall")) } th.num { (w.t("语气", "Tone")) }
                        th.num { (w.t("坚持", "Persist.")) } th.num { (w.t("证据", "Evidence")) }
                        th { (w.t("结果", "Result")) }
                    } }
                    tbody { @for a in &data.attempts { tr {
                        td { (a.id) } td { (a.trainee) } td { (a.team.clone().unwrap_or_default()) }
                        td { (data.title(&a.result.scenario)) } td { (a.mode.label(locale)) } td { (a.started_at) }
                        td.num { (score(a.result.scores.overall)) } td.num { (score(a.result.scores.tone)) }
                        td.num { (score(a.result.scores.persistence)) } td.num { (score(a.result.scores.evidence)) }
                        td {
                            @if a.result.passed { span.pass { (w.t("通过", "passed")) } }
                            @else { span.fail { (w.t("未通过", "not passed")) } }
                            " · " (a.result.outcome.label(locale))
                        }
                    } } }
                }
                @if !data.quizzes.is_empty() {
                    h2 { (w.t("测验", "Quizzes")) }
                    table {
                        thead { tr {
                            th { (w.t("学员", "Trainee")) } th { (w.t("题目代码", "Quiz code")) }
                            th { (w.t("开始", "Started")) } th.num { (w.t("得分", "Score")) } th { (w.t("结果", "Result")) }
                        } }
                        tbody { @for q in &data.quizzes { tr {
                            td { (q.trainee) } td { (q.code) } td { (q.started_at) }
                            td.num { (score(q.result.score)) }
                            td { @if q.result.passed { span.pass { (w.t("通过", "passed")) } } @else { span.fail { (w.t("未通过", "not passed")) } } }
                        } } }
                    }
                }
                (campaigns::campaigns_section(&w, data))
            }
        }
    };
    page.into_string()
}
