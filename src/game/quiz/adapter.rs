//! The quiz adapter between the domain's [`QuizAttempt`] and the quiz screens: it draws the quiz
//! from the loaded banks, applies the trainee's picks, and announces [`QuizFinished`] for the
//! records plugin to save. Nothing here grades, shuffles or saves.

use bevy::prelude::*;

use crate::domain::quiz::{MAX_COUNT, Marked, Phase, QuizAttempt, QuizSpec};
use crate::domain::text::Locale;
use crate::game::content::ContentLibrary;
use crate::game::records::QuizFinished;
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, Navigate, QuizScreen, TraineeName, next_seed};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<QuizSetup>();
    app.add_message::<StartQuiz>();
    app.add_message::<QuizInput>();
    app.add_systems(
        Update,
        (start_quiz, apply_quiz_input)
            .chain()
            .in_set(AppSystems::Act),
    );
}

/// The quiz the setup screen will start: kept between quizzes so "again" and "new questions"
/// start from the last choices.
#[derive(Resource, Debug, Clone)]
pub struct QuizSetup {
    /// Count, topics, difficulty and seed.
    pub spec: QuizSpec,
    /// Why the last start failed (no question matches…), shown on the setup screen.
    pub problem: Option<String>,
    /// Only these banks (by id; empty: every bank), as a cmi5 launch of one bank asks.
    pub banks: Vec<String>,
}

impl Default for QuizSetup {
    fn default() -> Self {
        // A fresh seed per launch, short enough to read out to a class.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        QuizSetup {
            spec: QuizSpec {
                seed: short_seed(u64::from(nanos)),
                ..QuizSpec::default()
            },
            problem: None,
            banks: Vec::new(),
        }
    }
}

/// A four-digit seed derived from `n`: easy to write on a board.
pub fn short_seed(n: u64) -> u64 {
    1000 + next_seed(n) % 9000
}

/// Start a quiz with this spec (the setup's Start, "same quiz again", autoplay).
#[derive(Message, Debug, Clone)]
pub struct StartQuiz(pub QuizSpec);

/// What the trainee does on a question.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub enum QuizInput {
    /// Pick (or un-pick) an option; `"true"`/`"false"` for true/false.
    Pick(String),
    /// Clear the picks (put the steps in order again).
    Clear,
    /// Submit the answer.
    Submit,
    /// Leave the explanation for the next question.
    Next,
}

/// The quiz in progress.
#[derive(Resource, Debug)]
pub struct QuizRun {
    /// The domain attempt.
    pub attempt: QuizAttempt,
    /// The language it is shown in (fixed at the start).
    pub locale: Locale,
    /// How the last submitted answer was marked, with its question index.
    pub last: Option<(usize, Marked)>,
    /// The option the trainee pressed last, so focus can stay near it.
    pub last_pressed: Option<String>,
    /// Bumped on every change, so the screen redraws.
    pub version: u64,
    /// When it started, as recorded in the results.
    pub started_wall: jiff::Timestamp,
    /// When each answer was submitted, in the order asked.
    pub answer_times: Vec<jiff::Timestamp>,
}

impl QuizSetup {
    /// Clamps the count to what a quiz allows.
    pub fn set_count(&mut self, count: usize) {
        self.spec.count = count.clamp(1, MAX_COUNT);
    }
}

fn start_quiz(
    mut starts: MessageReader<StartQuiz>,
    content: Res<ContentLibrary>,
    settings: Res<Settings>,
    mut setup: ResMut<QuizSetup>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(StartQuiz(spec)) = starts.read().last().cloned() else {
        return;
    };
    setup.spec = spec.clone();
    let mut banks = content.library.quiz_banks_in(settings.locale);
    if !setup.banks.is_empty() {
        banks.retain(|b| setup.banks.contains(&b.id.0));
    }
    // The whole quiz in one language: zh-TW falls back to zh-CN where a bank lacks it.
    let locale =
        crate::domain::quiz::quiz_locale(&banks, settings.locale).unwrap_or(settings.locale);
    let mode = settings.mode;
    match QuizAttempt::new(banks, spec, mode) {
        Ok(attempt) => {
            setup.problem = None;
            commands.insert_resource(QuizRun {
                attempt,
                locale,
                last: None,
                last_pressed: None,
                version: 0,
                started_wall: crate::store::now(),
                answer_times: Vec::new(),
            });
            next.to(QuizScreen::Question);
        }
        Err(e) => {
            setup.problem = Some(e.to_string());
            // Re-enter the setup so it shows the problem.
            next.to(QuizScreen::Setup);
        }
    }
}

fn apply_quiz_input(
    mut inputs: MessageReader<QuizInput>,
    run: Option<ResMut<QuizRun>>,
    content: Res<ContentLibrary>,
    name: Res<TraineeName>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let Some(mut run) = run else {
        inputs.clear();
        return;
    };
    let mut changed = false;
    for input in inputs.read() {
        let k = run.attempt.index();
        changed |= match input {
            QuizInput::Pick(id) => {
                run.last_pressed = Some(id.clone());
                run.attempt.pick(id)
            }
            QuizInput::Clear => {
                run.attempt.clear();
                run.last_pressed = None;
                true
            }
            QuizInput::Submit => match run.attempt.submit() {
                Some(marked) => {
                    run.answer_times.push(crate::store::now());
                    run.last = Some((k, marked));
                    run.last_pressed = None;
                    true
                }
                None => false,
            },
            QuizInput::Next => {
                run.last_pressed = None;
                run.attempt.advance()
            }
        };
    }
    if !changed {
        return;
    }
    run.version += 1;
    if run.attempt.phase() == Phase::Finished
        && let Some(result) = run.attempt.result(content.library.scenario_tags())
    {
        let trainee = if name.0.is_empty() {
            crate::domain::engine::session::default_trainee(run.locale)
        } else {
            &name.0
        };
        // The records plugin saves it before the result screen shows.
        commands.trigger(QuizFinished {
            result,
            attempt: run.attempt.clone(),
            trainee: trainee.to_owned(),
            locale: run.locale,
            started_at: run.started_wall,
            ended_at: crate::store::now(),
            answer_times: run.answer_times.clone(),
        });
        commands.remove_resource::<QuizRun>();
        next.to(QuizScreen::Result);
    }
}
