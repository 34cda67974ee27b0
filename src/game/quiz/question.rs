//! A quiz question, one at a time: the prompt (and the debtor's line for a best reply), the
//! lettered options, submit, and in practice mode the marking and explanation before the next.

use bevy::input_focus::{FocusCause, InputFocus};
use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::{QuizInput, QuizRun};
use crate::domain::content::model::course_citation;
use crate::domain::quiz::{Drawn, Phase, Question, QuestionKind, option_letter};
use crate::domain::text::Locale;
use crate::game::chrome::{BackTo, settings_button};
use crate::game::input::{digit_key, letter_key};
use crate::game::settings::{Mode, Settings};
use crate::game::state::{AppSystems, Overlay, QuizScreen};
use crate::game::theme::interaction::{AltHotkey, Disabled, Hotkey, InitialFocus, Press, Selected};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(QuizScreen::Question), spawn_quiz_screen);
    app.add_systems(
        Update,
        redraw_question
            .in_set(AppSystems::Present)
            .run_if(in_state(QuizScreen::Question)),
    );
}

/// An option button: the option id (`"true"`/`"false"` for true/false).
#[derive(Component, Debug, Clone)]
pub struct QuizOptionButton(pub String);

/// The submit button.
#[derive(Component, Debug)]
pub struct SubmitButton;

/// The "next question" button shown with the explanation.
#[derive(Component, Debug)]
pub struct NextButton;

/// The part of the screen redrawn for each question and answer.
#[derive(Component, Debug)]
struct QuestionBody;

fn spawn_quiz_screen(mut commands: Commands) {
    commands.spawn((
        widget::ui_root("Quiz screen"),
        DespawnOnExit(QuizScreen::Question),
        // Leaving a quiz under way is asked first.
        BackTo::LeavePrompt,
        QuestionBody,
    ));
}

/// The shown option ids of a drawn question, in the order shown.
fn shown_ids(q: &Question, d: &Drawn) -> Vec<String> {
    match q.kind {
        QuestionKind::TrueFalse => vec!["true".into(), "false".into()],
        _ => d.shown.iter().map(|&i| q.options[i].id.0.clone()).collect(),
    }
}

/// The text of an option id in `locale`.
pub fn option_text(q: &Question, id: &str, locale: Locale) -> String {
    match (q.kind, id) {
        (QuestionKind::TrueFalse, "true") => locale.pick("对", "True").to_owned(),
        (QuestionKind::TrueFalse, "false") => locale.pick("错", "False").to_owned(),
        _ => q
            .options
            .iter()
            .find(|o| o.id.0 == id)
            .map_or(id.to_owned(), |o| o.text.resolve(locale).to_owned()),
    }
}

/// Letters (as shown) for a list of option ids: `B → A → C` for an order, `A+C` otherwise,
/// the words for true/false.
pub fn letters_for(q: &Question, d: &Drawn, ids: &[String], locale: Locale) -> String {
    if q.kind == QuestionKind::TrueFalse {
        return ids
            .iter()
            .map(|id| option_text(q, id, locale))
            .collect::<Vec<_>>()
            .join(", ");
    }
    d.letters(q, ids)
}

fn redraw_question(
    run: Option<Res<QuizRun>>,
    settings: Res<Settings>,
    body: Query<Entity, With<QuestionBody>>,
    mut focus: ResMut<InputFocus>,
    mut drawn: Local<Option<u64>>,
    mut commands: Commands,
) {
    let (Some(run), Ok(root)) = (run, body.single()) else {
        return;
    };
    // Redraw on a new question, answer or pick, and when the screen was just entered.
    let entered = body.iter().count() == 1 && drawn.is_none_or(|v| v != run.version);
    if !entered && !run.is_changed() {
        return;
    }
    *drawn = Some(run.version);
    commands.entity(root).despawn_children();
    let s = settings.clone();
    let locale = run.locale;
    let attempt = &run.attempt;
    let Some((q, d)) = attempt.current() else {
        return;
    };
    let k = attempt.index();
    let reviewing = attempt.phase() == Phase::Reviewing;
    let picked: Vec<String> = if reviewing {
        attempt
            .response(k)
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    } else {
        attempt.picked().to_vec()
    };
    let topic = crate::domain::syllabus::topic(&q.topic)
        .map_or(q.topic.clone(), |t| locale.pick(t.zh, t.en).to_owned());
    let mode = attempt.mode().label(s.locale);
    let top = commands
        .spawn((
            widget::row("Top bar"),
            children![
                widget::title(format!(
                    "{} {} / {}",
                    s.t("第", "Question"),
                    k + 1,
                    attempt.len()
                )),
                widget::chip(topic, palette::PRIMARY),
                widget::chip(q.difficulty.label(s.locale), palette::MUTED),
                widget::chip(mode, palette::CAUTION),
                widget::spacer(),
                (
                    widget::button_secondary(s.t("结束测验 (Esc)", "Leave (Esc)")),
                    observe(|_: On<Press>, mut o: ResMut<NextState<Overlay>>| {
                        o.set(Overlay::LeavePrompt);
                    }),
                ),
                settings_button(&s),
            ],
        ))
        .id();
    // One dot per question: answered ones coloured by the mark in practice mode.
    let dots = commands.spawn(widget::row("Progress")).id();
    commands.entity(dots).with_children(|row| {
        for i in 0..attempt.len() {
            let color = match (attempt.mode(), attempt.response(i), attempt.question(i)) {
                (Mode::Practice, Some(r), Some((q, _))) => {
                    match crate::domain::quiz::grade_question(q, r) {
                        (_, true) => palette::GOOD,
                        (credit, false) if credit > 0.0 => palette::CAUTION,
                        _ => palette::BAD,
                    }
                }
                (Mode::Exam, Some(_), _) => palette::PRIMARY,
                _ if i == k => palette::FOCUS,
                _ => palette::PANEL_DARK,
            };
            row.spawn(widget::shape(
                "Progress dot",
                color,
                Node {
                    width: px(16),
                    height: px(16),
                    border_radius: BorderRadius::all(px(8)),
                    ..default()
                },
            ));
        }
    });
    let content = commands.spawn(widget::scroll_area("Question")).id();
    commands.entity(root).add_children(&[top, dots, content]);
    let shown = shown_ids(q, d);
    let mut focus_target = None;
    commands.entity(content).with_children(|p| {
        p.spawn(widget::muted(q.kind.instruction(locale)));
        p.spawn(widget::colored(
            q.prompt.resolve(locale),
            1.25,
            palette::TEXT,
        ));
        if let Some(line) = &q.debtor_line {
            p.spawn((
                Name::new("Debtor line"),
                Node {
                    flex_direction: FlexDirection::Column,
                    padding: UiRect::all(px(12)),
                    row_gap: px(4),
                    border_radius: BorderRadius::all(px(10)),
                    max_width: percent(80),
                    ..default()
                },
                BackgroundColor(palette::DEBTOR_BUBBLE),
                children![
                    widget::muted(s.t("对方说：", "The debtor says:")),
                    widget::label(format!("“{}”", line.resolve(locale))),
                ],
            ));
        }
        for (i, id) in shown.iter().enumerate() {
            let chosen = picked.iter().position(|p| p == id);
            let mut label = format!("{}   {}", option_letter(i), option_text(q, id, locale));
            if q.kind == QuestionKind::Order
                && let Some(n) = chosen
            {
                label = format!("{label}   [{}]", n + 1);
            }
            if reviewing {
                // Marked: right options green, wrong picks red; an order shows the right place.
                let right = q.answer.contains(id);
                let (mark, tint) = match (q.kind, right, chosen.is_some()) {
                    (QuestionKind::Order, _, _) => {
                        let place = q.answer.iter().position(|a| a == id).map_or(0, |p| p + 1);
                        let ok = chosen.map(|c| c + 1) == Some(place);
                        (
                            format!("  → {} {place}", s.t("应排第", "belongs at")),
                            if ok { palette::GOOD } else { palette::BAD },
                        )
                    }
                    (_, true, _) => ("  ✓".to_owned(), palette::GOOD),
                    (_, false, true) => ("  ×".to_owned(), palette::BAD),
                    (_, false, false) => (String::new(), palette::MUTED),
                };
                p.spawn((
                    QuizOptionButton(id.clone()),
                    widget::marked_line(format!("{label}{mark}"), tint),
                ));
                continue;
            }
            let mut e = p.spawn((
                QuizOptionButton(id.clone()),
                widget::button_wide(label),
                Selected(chosen.is_some()),
            ));
            {
                e.insert(observe(pick));
                if let Some(key) = if q.kind == QuestionKind::TrueFalse {
                    Some(if id == "true" {
                        KeyCode::KeyT
                    } else {
                        KeyCode::KeyF
                    })
                } else {
                    letter_key(i + 1)
                } {
                    e.insert(Hotkey(key));
                }
                if let Some(key) = digit_key(i + 1) {
                    e.insert(AltHotkey(key));
                }
                if run.last_pressed.as_deref() == Some(id.as_str()) {
                    focus_target = Some(e.id());
                }
            }
        }
        if q.kind == QuestionKind::Order && !reviewing {
            let order = if picked.is_empty() {
                s.t(
                    "按先后依次选择；再点已选的一步可以从那一步重排。",
                    "Pick the steps first to last; pick a placed step again to redo from there.",
                )
                .to_owned()
            } else {
                format!(
                    "{} {}",
                    s.t("你的顺序：", "Your order:"),
                    letters_for(q, d, &picked, locale)
                )
            };
            p.spawn(widget::label(order));
        }
        if reviewing && let Some((_, marked)) = run.last {
            let (verdict, color) = if marked.correct {
                (s.t("✓ 回答正确", "✓ Right").to_owned(), palette::GOOD)
            } else if marked.credit > 0.0 {
                (
                    format!(
                        "{} {:.0}%",
                        s.t("部分正确，得分", "Partly right: credit"),
                        marked.credit * 100.0
                    ),
                    palette::CAUTION,
                )
            } else {
                (s.t("× 不正确", "× Not right").to_owned(), palette::BAD)
            };
            p.spawn(widget::note("Explanation", color))
                .with_children(|n| {
                    n.spawn(widget::colored(verdict, 1.15, color));
                    if !marked.correct {
                        n.spawn(widget::label(format!(
                            "{} {}",
                            s.t("正确答案：", "Right answer:"),
                            letters_for(q, d, &q.answer, locale)
                        )));
                    }
                    n.spawn(widget::label(q.explanation.resolve(locale)));
                    n.spawn(widget::muted(format!(
                        "{} {}",
                        s.t("出处：", "Source:"),
                        course_citation(&q.course, locale)
                    )));
                });
        }
    });
    let can_submit = attempt.can_submit();
    let one_answer = matches!(
        q.kind,
        QuestionKind::Single | QuestionKind::BestReply | QuestionKind::TrueFalse
    );
    let actions = commands.spawn(widget::row("Actions")).id();
    commands.entity(root).add_child(actions);
    commands.entity(actions).with_children(|row| {
        if reviewing {
            let last = k + 1 == attempt.len();
            let id = row
                .spawn((
                    NextButton,
                    InitialFocus,
                    Hotkey(KeyCode::KeyN),
                    widget::button_primary(if last {
                        s.t("看结果 (N)", "See the result (N)")
                    } else {
                        s.t("下一题 (N)", "Next question (N)")
                    }),
                    observe(|_: On<Press>, mut input: MessageWriter<QuizInput>| {
                        input.write(QuizInput::Next);
                    }),
                ))
                .id();
            focus_target = Some(id);
            return;
        }
        let mut submit = row.spawn((
            SubmitButton,
            Hotkey(KeyCode::KeyS),
            widget::button_primary(s.t("提交 (S)", "Submit (S)")),
            observe(|_: On<Press>, mut input: MessageWriter<QuizInput>| {
                input.write(QuizInput::Submit);
            }),
        ));
        if can_submit {
            // After picking the only answer (or the last step), Enter submits.
            if one_answer || q.kind == QuestionKind::Order {
                focus_target = Some(submit.id());
            }
        } else {
            submit.insert(Disabled);
        }
        if q.kind == QuestionKind::Order {
            row.spawn((
                Hotkey(KeyCode::KeyR),
                widget::button_secondary(s.t("重排 (R)", "Start over (R)")),
                observe(|_: On<Press>, mut input: MessageWriter<QuizInput>| {
                    input.write(QuizInput::Clear);
                }),
            ));
        }
        let keys = match q.kind {
            QuestionKind::TrueFalse => s.t(
                "键盘：T 对，F 错（或 1 / 2），S 提交。",
                "Keyboard: T true, F false (or 1 / 2), S submits.",
            ),
            QuestionKind::Multiple => s.t(
                "键盘：字母或数字键勾选 / 取消，S 提交。",
                "Keyboard: letters or digits tick and untick, S submits.",
            ),
            QuestionKind::Order => s.t(
                "键盘：按字母或数字键依次选择，R 重排，S 提交。",
                "Keyboard: press letters or digits in order, R starts over, S submits.",
            ),
            _ => s.t(
                "键盘：字母或数字键选择，Enter 或 S 提交。",
                "Keyboard: a letter or digit picks, Enter or S submits.",
            ),
        };
        row.spawn(widget::muted(keys));
    });
    match focus_target {
        Some(target) => focus.set(target, FocusCause::Navigated),
        None => focus.clear(),
    }
}

fn pick(press: On<Press>, options: Query<&QuizOptionButton>, mut input: MessageWriter<QuizInput>) {
    if let Ok(option) = options.get(press.0) {
        input.write(QuizInput::Pick(option.0.clone()));
    }
}
