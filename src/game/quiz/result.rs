//! The quiz result: the score and verdict, the per-topic breakdown (weakest first), buttons that
//! open the scenarios practising the weak topics, and every question with its explanation.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::{StartQuiz, short_seed};
use super::question::{letters_for, option_text};
use crate::domain::content::model::course_citation;
use crate::game::chrome::{BackTo, settings_button};
use crate::game::content::ContentLibrary;
use crate::game::records::LastQuiz;
use crate::game::settings::Settings;
use crate::game::state::{Navigate, QuizScreen, Screen, Selection};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(QuizScreen::Result), spawn_result_screen);
}

/// The quiz score shown on the result (tests read it).
#[derive(Component, Debug, Clone, Copy)]
pub struct QuizScore(pub f64);

/// A button that opens a recommended scenario's briefing.
#[derive(Component, Debug, Clone)]
pub struct RecommendedScenario(pub String);

fn spawn_result_screen(
    settings: Res<Settings>,
    last: Option<Res<LastQuiz>>,
    content: Res<ContentLibrary>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(last) = last else {
        next.to(QuizScreen::Setup);
        return;
    };
    let s = settings.clone();
    let locale = last.locale;
    let r = &last.result;
    let code = last.attempt.spec().code();
    let (verdict, verdict_color) = if r.passed {
        (s.t("通过", "PASSED"), palette::GOOD)
    } else {
        (s.t("未通过", "NOT PASSED"), palette::BAD)
    };
    let right = r.questions.iter().filter(|q| q.correct).count();
    let root = commands
        .spawn((
            widget::ui_root("Quiz result screen"),
            DespawnOnExit(QuizScreen::Result),
            BackTo::to(Screen::Title),
            children![(
                widget::row("Top bar"),
                children![
                    widget::title(s.t("测验结果", "Quiz result")),
                    widget::spacer(),
                    settings_button(&s),
                ],
            )],
        ))
        .id();
    let body = commands.spawn(widget::scroll_area("Quiz result body")).id();
    commands.entity(root).add_child(body);
    commands.entity(body).with_children(|p| {
        p.spawn(widget::row("Score")).with_children(|row| {
            row.spawn((
                QuizScore(r.score),
                widget::colored(
                    format!("{} {:.1}", s.t("得分", "Score"), r.score),
                    2.2,
                    palette::score_color(r.score),
                ),
            ));
            row.spawn(widget::colored(verdict, 1.6, verdict_color));
            row.spawn(widget::muted(format!(
                "{} {right}/{} · {} {} · {} {code}",
                s.t("全对", "Fully right"),
                r.questions.len(),
                s.t("及格线", "Pass mark"),
                r.pass_mark,
                s.t("题目代码", "Quiz code"),
            )));
        });
        if let Err(e) = &last.saved {
            p.spawn(widget::colored(
                format!(
                    "{} {e}",
                    s.t("成绩没有保存：", "This result was NOT saved:")
                ),
                0.95,
                palette::BAD,
            ));
        }
        p.spawn(widget::header(
            s.t("按主题（最弱的在前）", "By topic (weakest first)"),
        ));
        for t in &r.topics {
            let name = crate::domain::syllabus::topic(&t.topic)
                .map_or(t.topic.clone(), |x| locale.pick(x.zh, x.en).to_owned());
            p.spawn(widget::score_bar_with_label_width(
                format!("{name} ({}/{})", t.correct, t.asked),
                t.score,
                360.0,
                320.0,
            ));
        }
        if !r.recommendations.is_empty() {
            p.spawn(widget::header(s.t("去练一练", "Practise it")));
            p.spawn(widget::muted(s.t(
                "这些场景练的正是你最弱的主题：",
                "These scenarios practise your weakest topics:",
            )));
            p.spawn(widget::row("Recommendations"))
                .with_children(|row| {
                    for rec in &r.recommendations {
                        let title = content
                            .library
                            .scenario(&rec.scenario)
                            .map_or(rec.scenario.clone(), |c| {
                                c.scenario.title.resolve(locale).to_owned()
                            });
                        let topic = crate::domain::syllabus::topic(&rec.topic)
                            .map_or(rec.topic.clone(), |x| locale.pick(x.zh, x.en).to_owned());
                        row.spawn((
                            RecommendedScenario(rec.scenario.clone()),
                            widget::button_secondary(format!("{title} · {topic}")),
                            observe(open_scenario),
                        ));
                    }
                });
        }
        p.spawn(widget::header(s.t("逐题解析", "Question by question")));
        for (k, g) in r.questions.iter().enumerate() {
            let Some((q, d)) = last.attempt.question(k) else {
                continue;
            };
            let bar = if g.correct {
                palette::GOOD
            } else if g.credit > 0.0 {
                palette::CAUTION
            } else {
                palette::BAD
            };
            p.spawn(widget::note("Question review", bar))
                .with_children(|n| {
                    n.spawn(widget::muted(format!(
                        "{} {} · {:.0}%",
                        s.t("第", "Question"),
                        k + 1,
                        g.credit * 100.0
                    )));
                    n.spawn(widget::label(q.prompt.resolve(locale)));
                    let given = if g.given.is_empty() {
                        s.t("（未作答）", "(no answer)").to_owned()
                    } else {
                        answer_line(q, d, &g.given, locale)
                    };
                    n.spawn(widget::label(format!(
                        "{} {given}",
                        s.t("你的答案：", "Your answer:")
                    )));
                    if !g.correct {
                        n.spawn(widget::colored(
                            format!(
                                "{} {}",
                                s.t("正确答案：", "Right answer:"),
                                answer_line(q, d, &g.expected, locale)
                            ),
                            1.0,
                            palette::PRIMARY,
                        ));
                    }
                    n.spawn(widget::muted(format!(
                        "{}  ({})",
                        q.explanation.resolve(locale),
                        course_citation(&q.course, locale)
                    )));
                });
        }
    });
    commands.entity(root).with_children(|p| {
        p.spawn(widget::row("Actions")).with_children(|row| {
            let again = last.attempt.spec().clone();
            row.spawn((
                Hotkey(KeyCode::KeyR),
                InitialFocus,
                widget::button_primary(s.t("同一套题再做一次 (R)", "Same quiz again (R)")),
                observe(move |_: On<Press>, mut starts: MessageWriter<StartQuiz>| {
                    starts.write(StartQuiz(again.clone()));
                }),
            ));
            let fresh = last.attempt.spec().clone();
            row.spawn((
                Hotkey(KeyCode::KeyN),
                widget::button_secondary(s.t("换一批题 (N)", "New questions (N)")),
                observe(move |_: On<Press>, mut starts: MessageWriter<StartQuiz>| {
                    let mut spec = fresh.clone();
                    spec.seed = short_seed(spec.seed);
                    starts.write(StartQuiz(spec));
                }),
            ));
            row.spawn((
                widget::button_secondary(s.t("测验设置", "Quiz setup")),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(QuizScreen::Setup);
                }),
            ));
            row.spawn((
                widget::button_secondary(s.t("返回首页 (Esc)", "Title (Esc)")),
                observe(|_: On<Press>, mut next: Navigate| {
                    next.to(Screen::Title);
                }),
            ));
        });
    });
}

/// `B — the option's text` for each given id; an order joins them with arrows.
fn answer_line(
    q: &crate::domain::quiz::Question,
    d: &crate::domain::quiz::Drawn,
    ids: &[String],
    locale: crate::domain::text::Locale,
) -> String {
    let letters = letters_for(q, d, ids, locale);
    if q.kind == crate::domain::quiz::QuestionKind::TrueFalse {
        return letters;
    }
    let texts: Vec<String> = ids.iter().map(|id| option_text(q, id, locale)).collect();
    format!("{letters} — {}", texts.join(" / "))
}

fn open_scenario(
    press: On<Press>,
    buttons: Query<&RecommendedScenario>,
    mut selection: ResMut<Selection>,
    mut next: Navigate,
) {
    if let Ok(RecommendedScenario(id)) = buttons.get(press.0) {
        *selection = Selection {
            scenario: id.clone(),
            seed: 1,
            prepared: Vec::new(),
        };
        next.to(Screen::Briefing);
    }
}
