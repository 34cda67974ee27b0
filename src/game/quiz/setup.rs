//! The quiz setup: how many questions, practice or exam, which topics and difficulty, and the
//! quiz code a trainer reads out so the whole class draws the same questions.

use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use super::adapter::{QuizSetup, StartQuiz, short_seed};
use crate::domain::content::model::Difficulty;
use crate::domain::quiz::{CodeError, QuizSpec};
use crate::domain::syllabus::TOPICS;
use crate::game::content::ContentLibrary;
use crate::game::settings::{Mode, Settings};
use crate::game::state::{AppSystems, QuizScreen, Screen};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press, Selected};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(QuizScreen::Setup), spawn_setup_screen);
    app.add_systems(
        Update,
        (
            read_typed_code.in_set(AppSystems::Act),
            show_setup.in_set(AppSystems::Present),
        )
            .run_if(in_state(QuizScreen::Setup)),
    );
}

/// The counts offered.
const COUNTS: [usize; 3] = [5, 10, 20];

/// One of the setup's choices; pressing it changes [`QuizSetup`] or the mode.
#[derive(Component, Debug, Clone, PartialEq)]
pub enum SetupOption {
    /// This many questions.
    Count(usize),
    /// Practice or exam.
    Mode(Mode),
    /// All topics (`None`) or toggle one.
    Topic(Option<String>),
    /// Any difficulty (`None`) or one.
    Difficulty(Option<Difficulty>),
}

/// The button that starts the quiz.
#[derive(Component, Debug)]
pub struct StartQuizButton;

/// The line showing the current quiz code.
#[derive(Component, Debug)]
struct CodeLabel;

/// The field where a trainee types the code the trainer gave.
#[derive(Component, Debug)]
pub struct CodeField;

/// What the typed code means (accepted, or what is wrong with it).
#[derive(Component, Debug)]
struct CodeStatus;

fn spawn_setup_screen(
    settings: Res<Settings>,
    content: Res<ContentLibrary>,
    setup: Res<QuizSetup>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let banks = content.library.quiz_banks_in(s.locale);
    let total: usize = banks.iter().map(|b| b.questions.len()).sum();
    let root = commands
        .spawn((
            widget::ui_root("Quiz setup screen"),
            DespawnOnExit(QuizScreen::Setup),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                s.t("知识自测", "Self-assessment quiz"),
                Screen::Title
            )],
        ))
        .id();
    let body = commands.spawn(widget::scroll_area("Quiz setup body")).id();
    commands.entity(root).add_child(body);
    let titles: Vec<&str> = banks.iter().map(|b| b.title.resolve(s.locale)).collect();
    commands.entity(body).with_children(|p| {
        p.spawn(widget::label(if total == 0 {
            s.t(
                "没有可用的题库。请查看标题页上的“内容问题”。",
                "No question banks are available. See “Content problems” on the title screen.",
            )
            .to_owned()
        } else {
            format!(
                "{total} {}{}",
                s.t("道题，来自：", "questions, from: "),
                titles.join(s.t("、", ", "))
            )
        }));
        if let Some(problem) = &setup.problem {
            p.spawn(widget::note("Problem", palette::BAD))
                .with_children(|n| {
                    n.spawn(widget::label(format!(
                        "{} {problem}",
                        s.t("无法出题：", "Cannot draw the quiz:")
                    )));
                    n.spawn(widget::muted(s.t(
                        "放宽主题或难度，或减少题量。",
                        "Choose more topics, any difficulty, or fewer questions.",
                    )));
                });
        }
        p.spawn(widget::header(s.t("题量", "How many questions")));
        p.spawn(widget::row("Counts")).with_children(|row| {
            for n in COUNTS {
                row.spawn(option(n.to_string(), SetupOption::Count(n)));
            }
        });
        p.spawn(widget::header(s.t("模式", "Mode")));
        p.spawn(widget::row("Modes")).with_children(|row| {
            row.spawn(option(
                s.t("练习：每题后看解析", "Practice: the explanation after each answer"),
                SetupOption::Mode(Mode::Practice),
            ));
            row.spawn(option(
                s.t("考试：做完再看解析", "Exam: explanations at the end"),
                SetupOption::Mode(Mode::Exam),
            ));
        });
        p.spawn(widget::header(s.t("题目代码", "Quiz code")));
        p.spawn(widget::muted(s.t(
            "同一个代码出同样的题、同样的顺序。培训师把代码发给全班，大家做的就是同一套题。",
            "The same code gives the same questions in the same order: a trainer reads it out and the whole class takes the same quiz.",
        )));
        p.spawn(widget::row("Code row")).with_children(|row| {
            row.spawn((CodeLabel, widget::colored(setup.spec.code(), 1.3, palette::PRIMARY)));
            row.spawn((
                widget::button_secondary(s.t("换一批题 (N)", "New questions (N)")),
                Hotkey(KeyCode::KeyN),
                observe(|_: On<Press>, mut setup: ResMut<QuizSetup>| {
                    setup.spec.seed = short_seed(setup.spec.seed);
                }),
            ));
        });
        p.spawn(widget::row("Code entry")).with_children(|row| {
            row.spawn(widget::label(s.t("有代码？输入：", "Have a code? Type it:")));
            row.spawn((CodeField, widget::text_field("", 320.0, 1.1)));
            row.spawn((CodeStatus, widget::muted("")));
        });
        p.spawn(widget::header(s.t("难度", "Difficulty")));
        p.spawn(widget::row("Difficulties")).with_children(|row| {
            row.spawn(option(s.t("不限", "Any"), SetupOption::Difficulty(None)));
            for d in [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard] {
                row.spawn(option(d.label(s.locale), SetupOption::Difficulty(Some(d))));
            }
        });
        p.spawn(widget::header(s.t("主题", "Topics")));
        p.spawn(widget::row("Topics")).with_children(|row| {
            row.spawn(option(s.t("全部主题", "All topics"), SetupOption::Topic(None)));
            for t in TOPICS {
                let n = banks
                    .iter()
                    .flat_map(|b| &b.questions)
                    .filter(|q| q.topic == t.id)
                    .count();
                if n > 0 {
                    row.spawn(option(
                        format!("{} ({n})", s.locale.pick(t.zh, t.en)),
                        SetupOption::Topic(Some(t.id.to_owned())),
                    ));
                }
            }
        });
    });
    commands.entity(root).with_children(|p| {
        p.spawn(widget::row("Actions")).with_children(|row| {
            row.spawn((
                StartQuizButton,
                InitialFocus,
                Hotkey(KeyCode::KeyS),
                widget::button_primary(s.t("开始答题 (S)", "Start the quiz (S)")),
                observe(
                    |_: On<Press>, setup: Res<QuizSetup>, mut starts: MessageWriter<StartQuiz>| {
                        starts.write(StartQuiz(setup.spec.clone()));
                    },
                ),
            ));
            row.spawn(widget::muted(s.t(
                "键盘：Tab / 方向键 移动，Enter 选择，S 开始，N 换一批题，Esc 返回。",
                "Keyboard: Tab / arrows move, Enter picks, S starts, N new questions, Esc goes back.",
            )));
        });
    });
}

fn option(label: impl Into<String>, value: SetupOption) -> impl Bundle {
    (
        widget::option_button(label, false),
        Selected(false),
        value,
        observe(choose),
    )
}

fn choose(
    press: On<Press>,
    options: Query<&SetupOption>,
    mut setup: ResMut<QuizSetup>,
    mut settings: ResMut<Settings>,
) {
    let Ok(option) = options.get(press.0) else {
        return;
    };
    match option {
        SetupOption::Count(n) => setup.set_count(*n),
        SetupOption::Mode(m) => settings.mode = *m,
        SetupOption::Topic(None) => setup.spec.topics.clear(),
        SetupOption::Topic(Some(t)) => {
            let topics = &mut setup.spec.topics;
            match topics.iter().position(|x| x == t) {
                Some(i) => {
                    topics.remove(i);
                }
                None => topics.push(t.clone()),
            }
        }
        SetupOption::Difficulty(d) => setup.spec.difficulty = *d,
    }
    setup.problem = None;
}

/// Marks the chosen options and shows the current code.
fn show_setup(
    setup: Res<QuizSetup>,
    settings: Res<Settings>,
    mut options: Query<(&SetupOption, &mut Selected)>,
    mut code: Query<&mut Text, With<CodeLabel>>,
    added: Query<(), Added<SetupOption>>,
) {
    if !setup.is_changed() && !settings.is_changed() && added.is_empty() {
        return;
    }
    let spec = &setup.spec;
    for (option, mut selected) in &mut options {
        let on = match option {
            SetupOption::Count(n) => spec.count == *n,
            SetupOption::Mode(m) => settings.mode == *m,
            SetupOption::Topic(None) => spec.topics.is_empty(),
            SetupOption::Topic(Some(t)) => spec.topics.contains(t),
            SetupOption::Difficulty(d) => spec.difficulty == *d,
        };
        selected.set_if_neq(Selected(on));
    }
    for mut text in &mut code {
        let want = spec.code();
        if text.0 != want {
            text.0 = want;
        }
    }
}

/// Reads the code as it is typed: a valid code replaces the setup's choices.
fn read_typed_code(
    fields: Query<&EditableText, (With<CodeField>, Changed<EditableText>)>,
    mut status: Query<(&mut Text, &mut TextColor), With<CodeStatus>>,
    mut setup: ResMut<QuizSetup>,
    settings: Res<Settings>,
) {
    let Ok(field) = fields.single() else {
        return;
    };
    let typed = field.value().to_string();
    let (message, color) = if typed.trim().is_empty() {
        (String::new(), palette::MUTED)
    } else {
        match QuizSpec::from_code(&typed) {
            Ok(spec) => {
                let spec = QuizSpec {
                    pass_mark: setup.spec.pass_mark,
                    ..spec
                };
                if setup.spec != spec {
                    setup.spec = spec;
                    setup.problem = None;
                }
                (
                    settings.t("✓ 已采用这个代码", "✓ Code accepted").to_owned(),
                    palette::GOOD,
                )
            }
            Err(e) => (code_problem(&e, &settings), palette::BAD),
        }
    };
    for (mut text, mut ink) in &mut status {
        text.0.clone_from(&message);
        ink.0 = color;
    }
}

fn code_problem(e: &CodeError, s: &Settings) -> String {
    match e {
        CodeError::Malformed(_) => s
            .t(
                "格式不对：代码形如 10-4821",
                "Not a code yet: codes look like 10-4821",
            )
            .to_owned(),
        CodeError::Count(n) => format!(
            "{} {n}",
            s.t(
                "题量应在 1 到 100 之间，而不是",
                "A quiz has 1 to 100 questions, not"
            )
        ),
        CodeError::Topic(t) => format!("{} {t}", s.t("没有这个主题：", "No such topic:")),
    }
}
