//! The debrief: compliance first, then the overall score and the three axes, the evidence
//! checklist, and the turn-by-turn review with the better line at each turn.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use crate::domain::analysis::model_answer_for;
use crate::domain::engine::compiled::Bits;
use crate::domain::engine::session::render_text;
use crate::game::chrome::{BackTo, settings_button};
use crate::game::content::ContentLibrary;
use crate::game::records::LastResult;
use crate::game::settings::Settings;
use crate::game::state::{
    CampaignScreen, ClassroomScreen, Navigate, PlayContext, Screen, Selection, next_seed,
};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Debrief), spawn_debrief_screen);
}

/// The box that reveals how the drawn truths fell (tests look for it).
#[derive(Component, Debug, Clone, Copy)]
pub struct DrawnTruthsShown;

/// The overall score shown on the debrief (tests read it).
#[derive(Component, Debug, Clone, Copy)]
pub struct OverallScore(pub f64);

fn spawn_debrief_screen(
    settings: Res<Settings>,
    last: Option<Res<LastResult>>,
    content: Res<ContentLibrary>,
    context: Res<PlayContext>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(last) = last else {
        next.to(Screen::ScenarioSelect);
        return;
    };
    let s = settings.clone();
    let r = &last.result;
    let compiled = content.library.scenario(&r.scenario).cloned();
    let locale = crate::domain::text::Locale::from_tag(&r.lang).unwrap_or(s.locale);
    let text = |t: &crate::domain::text::Text| match &compiled {
        Some(c) => render_text(c, locale, &r.trainee, t),
        None => t.resolve(locale).to_owned(),
    };
    let title = compiled
        .as_ref()
        .map_or(r.scenario.clone(), |c| text(&c.scenario.title));
    let (verdict, verdict_color) = if r.passed {
        (s.t("通过", "PASSED"), palette::GOOD)
    } else {
        (s.t("未通过", "NOT PASSED"), palette::BAD)
    };
    let root = commands
        .spawn((
            widget::ui_root("Debrief screen"),
            DespawnOnExit(Screen::Debrief),
            BackTo::Place(context.home()),
            children![(
                widget::row("Top bar"),
                children![
                    widget::title(format!("{} · {title}", s.t("复盘", "Debrief"))),
                    widget::spacer(),
                    settings_button(&s),
                ],
            )],
        ))
        .id();
    let body = commands.spawn(widget::scroll_area("Debrief body")).id();
    commands.entity(root).add_child(body);
    commands.entity(body).with_children(|p| {
        // Compliance first: a blocker fails the attempt whatever the score.
        if !r.violations.is_empty() {
            p.spawn((
                Name::new("Compliance"),
                Node {
                    flex_direction: FlexDirection::Column,
                    padding: UiRect::all(px(12)),
                    row_gap: px(4),
                    border_radius: BorderRadius::all(px(8)),
                    border: UiRect::left(px(6)),
                    ..default()
                },
                BorderColor::all(palette::BAD),
                BackgroundColor(palette::BAD.with_alpha(0.08)),
            ))
            .with_children(|c| {
                c.spawn(widget::colored(
                    s.t(
                        "合规问题：违规的催收方式直接判为不通过",
                        "Compliance: unlawful or prohibited conduct fails the attempt",
                    ),
                    1.1,
                    palette::BAD,
                ));
                for v in &r.violations {
                    let said = r
                        .debrief
                        .iter()
                        .find(|t| t.turn == v.turn)
                        .map_or(String::new(), |t| t.said.clone());
                    c.spawn(widget::colored(
                        format!(
                            "× {} {} · {} ({}) — “{said}”",
                            s.t("第", "Turn"),
                            v.turn,
                            v.rule.label(s.locale),
                            v.severity.label(s.locale)
                        ),
                        0.95,
                        palette::TEXT,
                    ));
                }
            });
        }
        p.spawn(widget::row("Overall")).with_children(|row| {
            row.spawn((
                OverallScore(r.scores.overall),
                widget::colored(
                    format!("{} {:.1}", s.t("总分", "Overall"), r.scores.overall),
                    2.2,
                    palette::score_color(r.scores.overall),
                ),
            ));
            row.spawn(widget::colored(verdict, 1.6, verdict_color));
            row.spawn(widget::muted(format!(
                "{} {}{}",
                s.t("及格线", "Pass mark"),
                r.pass_mark,
                last.previous_best.map_or(String::new(), |b| format!(
                    " · {} {b:.1}",
                    s.t("之前最好", "previous best")
                ))
            )));
        });
        match &last.saved {
            Ok(id) => p.spawn(widget::muted(format!(
                "{} #{id}",
                s.t(
                    "已保存到成绩库：记录",
                    "Saved to the results database: attempt"
                )
            ))),
            Err(e) => p.spawn(widget::colored(
                format!(
                    "{} {e}",
                    s.t("成绩没有保存：", "This result was NOT saved:")
                ),
                0.95,
                palette::BAD,
            )),
        };
        p.spawn(widget::score_bar(s.t("语气", "Tone"), r.scores.tone, 420.0));
        p.spawn(widget::score_bar(
            s.t("坚持", "Persistence"),
            r.scores.persistence,
            420.0,
        ));
        p.spawn(widget::score_bar(
            s.t("证据", "Evidence"),
            r.scores.evidence,
            420.0,
        ));
        p.spawn(widget::label(format!(
            "{}: {}{}",
            s.t("结果", "Outcome"),
            r.outcome.label(s.locale),
            r.summary
                .as_ref()
                .map_or(String::new(), |x| format!(" — {x}"))
        )));
        if !r.drawn.is_empty() {
            // The facts drawn for this play: what the trainee had to find out by listening.
            p.spawn((
                DrawnTruthsShown,
                widget::note("Drawn truths", palette::PRIMARY),
            ))
            .with_children(|note| {
                note.spawn(widget::label(
                    s.t("这一次的真相", "What was true this time"),
                ));
                for d in &r.drawn {
                    note.spawn(widget::muted(format!("{} {}", d.label, d.text)));
                }
            });
        }
        if let Some(c) = &compiled {
            p.spawn(widget::header(s.t("证据清单", "Evidence checklist")));
            p.spawn(widget::row("Evidence")).with_children(|row| {
                for e in &c.scenario.evidence {
                    let got = r.evidence.contains(&e.id.0);
                    let (mark, color) = if got {
                        ("✓", palette::GOOD)
                    } else {
                        ("×", palette::BAD)
                    };
                    row.spawn(widget::chip(format!("{mark} {}", text(&e.label)), color));
                }
            });
            if !c.persona.hidden_truths.is_empty() {
                p.spawn(widget::muted(format!(
                    "{} {}/{}",
                    s.t("了解到的隐情", "Hidden facts uncovered"),
                    r.truths.len(),
                    c.persona.hidden_truths.len()
                )));
            }
            let mut drawn = Bits::with_len(c.variant_count());
            for d in &r.drawn {
                if let Some(i) = c.variant_index(&d.variant) {
                    drawn.insert(i);
                }
            }
            if let Some(best) = model_answer_for(c, &drawn)
                && !best.prepared.is_empty()
            {
                let labels: Vec<String> = best
                    .prepared
                    .iter()
                    .filter_map(|id| c.scenario.preparation.items.iter().find(|i| i.id.0 == *id))
                    .map(|i| text(&i.label))
                    .collect();
                p.spawn(widget::muted(format!(
                    "{} {}",
                    s.t("最有用的准备：", "The preparation that helps most:"),
                    labels.join(s.t("、", ", "))
                )));
            }
        }
        p.spawn(widget::header(s.t("逐回合复盘", "Turn by turn")));
        for t in &r.debrief {
            let bar = if t.violation.is_some() {
                palette::BAD
            } else if t.was_best {
                palette::GOOD
            } else {
                palette::CAUTION
            };
            p.spawn(widget::note("Turn review", bar))
                .with_children(|turn| {
                    turn.spawn(widget::muted(format!(
                        "{} {} · {}",
                        s.t("回合", "Turn"),
                        t.turn,
                        t.debtor
                    )));
                    turn.spawn(widget::label(format!(
                        "{} {}",
                        s.t("你说：", "You said:"),
                        t.said
                    )));
                    let persistence = t
                        .persistence_score
                        .map_or("–".to_owned(), |p| format!("{p:.0}"));
                    let gained = if t.evidence_gained.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " · {} +{}",
                            s.t("证据", "evidence"),
                            t.evidence_gained.len()
                        )
                    };
                    turn.spawn(widget::muted(format!(
                        "{} {} {:.0} · {} {persistence}{gained}",
                        t.tone.label(s.locale),
                        s.t("语气", "tone"),
                        t.tone_score,
                        s.t("坚持", "persistence"),
                    )));
                    turn.spawn(widget::label(t.feedback.clone()));
                    if let Some(b) = &t.best_alternative {
                        turn.spawn(widget::colored(
                            format!("{} {}", s.t("更好的说法：", "Better:"), b.text),
                            0.95,
                            palette::PRIMARY,
                        ));
                        if let Some(why) = &b.locked_reason {
                            turn.spawn(widget::colored(why.clone(), 0.9, palette::CAUTION));
                        }
                        turn.spawn(widget::muted(b.feedback.clone()));
                    }
                });
        }
    });
    if *context == PlayContext::Campaign {
        // A contact from the campaign desk is played once: its result is on the account now.
        commands.entity(root).with_children(|p| {
            p.spawn(widget::row("Actions")).with_children(|row| {
                row.spawn((
                    Hotkey(KeyCode::KeyN),
                    InitialFocus,
                    widget::button_primary(s.t("回到办公桌 (N)", "Back to the desk (N)")),
                    observe(|_: On<Press>, mut next: Navigate| {
                        next.to(CampaignScreen::Desk);
                    }),
                ));
            });
        });
        return;
    }
    if last.classroom {
        // A team gets one go per scenario in a round: the only way on is the next team.
        commands.entity(root).with_children(|p| {
            p.spawn(widget::row("Actions")).with_children(|row| {
                row.spawn((
                    NextTeamButton,
                    Hotkey(KeyCode::KeyN),
                    InitialFocus,
                    widget::button_primary(s.t("下一队 (N)", "Next team (N)")),
                    observe(next_team),
                ));
            });
        });
        return;
    }
    commands.entity(root).with_children(|p| {
        p.spawn(widget::row("Actions")).with_children(|row| {
            row.spawn((
                Hotkey(KeyCode::KeyR),
                InitialFocus,
                widget::button_primary(s.t("再练一次 (R)", "Retry (R)")),
                observe(|_: On<Press>, mut next: Navigate| next.to(Screen::Briefing)),
            ));
            row.spawn((
                Hotkey(KeyCode::KeyW),
                widget::button_secondary(s.t("换一种说法再练 (W)", "Retry, new wording (W)")),
                observe(
                    |_: On<Press>, mut sel: ResMut<Selection>, mut next: Navigate| {
                        sel.seed = next_seed(sel.seed);
                        next.to(Screen::Briefing);
                    },
                ),
            ));
            row.spawn((
                Hotkey(KeyCode::KeyN),
                widget::button_secondary(s.t("下一个场景 (N)", "Next scenario (N)")),
                observe(next_scenario),
            ));
            row.spawn((
                widget::button_secondary(s.t("场景列表 (Esc)", "All scenarios (Esc)")),
                observe(|_: On<Press>, mut next: Navigate| next.to(Screen::ScenarioSelect)),
            ));
        });
    });
}

/// The debrief's "next team" button in classroom play.
#[derive(Component, Debug)]
pub struct NextTeamButton;

fn next_team(_: On<Press>, mut next: Navigate) {
    next.to(ClassroomScreen::Turn);
}

fn next_scenario(
    _press: On<Press>,
    content: Res<ContentLibrary>,
    mut selection: ResMut<Selection>,
    mut next: Navigate,
) {
    let mut ids: Vec<_> = content.library.scenarios.values().collect();
    ids.sort_by_key(|p| {
        let sc = &p.compiled.scenario;
        (sc.channel, sc.difficulty, sc.stage, sc.id.0.clone())
    });
    let ids: Vec<String> = ids
        .iter()
        .map(|p| p.compiled.scenario.id.0.clone())
        .collect();
    let pos = ids.iter().position(|id| *id == selection.scenario);
    let next_id = pos.map_or(0, |p| (p + 1) % ids.len().max(1));
    if let Some(id) = ids.get(next_id) {
        *selection = Selection {
            scenario: id.clone(),
            seed: 1,
            prepared: Vec::new(),
        };
        next.to(Screen::Briefing);
    }
}
