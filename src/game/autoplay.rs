//! Scripted play for tests and screenshots (`--autoplay SCENARIO --choices …`, and/or
//! `--autoplay-quiz CODE --autoplay-answers …`): it presses the same widgets and keys a player
//! would — the title's buttons, the scenario card, the preparation and answer number keys, S to
//! start and Enter for the debrief; the quiz's letter keys, S to submit and N for the next
//! question — captures PNGs of each screen, writes the result JSON, and exits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::PrimaryWindow;

use crate::domain::quiz::{Phase, QuizSpec};
use crate::domain::text::Locale;
use crate::game::content::ContentLibrary;
use crate::game::conversation::{Conversation, LastResult, TraineeName};
use crate::game::input::digit_key;
use crate::game::quiz::{LastQuiz, QuizRun, QuizSetup};
use crate::game::screens::{ScenarioCard, Screen, Selection, StartPractising, StartQuizSetup};
use crate::game::settings::Settings;
use crate::game::theme::interaction::Press;
use crate::game::{AppSystems, GameOptions};

mod classroom;
mod watchdog;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Progress>();
    app.add_systems(Startup, apply_script_settings);
    app.add_systems(
        Update,
        (
            drive,
            drive_quiz,
            classroom::drive_classroom,
            watchdog::give_up_when_stuck,
        )
            .chain()
            .run_if(scripted)
            .in_set(AppSystems::ReadInput),
    );
}

/// Only a scripted run pays for the drivers (the classroom one is exclusive, a sync point).
fn scripted(options: Option<Res<GameOptions>>) -> bool {
    options.is_some_and(|o| o.autoplay.is_some())
}

/// What to play and where to put the evidence.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Scenario id (none: straight to the quiz).
    pub scenario: Option<String>,
    /// Seed.
    pub seed: u64,
    /// Language.
    pub lang: Option<Locale>,
    /// Answers: choice ids or 1-based option numbers.
    pub choices: Vec<String>,
    /// Preparation ids to tick.
    pub prepare: Vec<String>,
    /// The trainee's name.
    pub trainee: Option<String>,
    /// Folder for `briefing.png`, `conversation.png`, `debrief.png`.
    pub screenshots: Option<PathBuf>,
    /// Where to write the result JSON.
    pub result: Option<PathBuf>,
    /// A quiz to take after the scenario (or alone).
    pub quiz: Option<QuizScript>,
    /// Then tour classroom mode with the scenario: PIN, session, two teams, one round, the
    /// leaderboard (on a fresh results database).
    pub classroom: bool,
    /// Quit when done.
    pub exit: bool,
}

/// A scripted quiz.
#[derive(Debug, Clone, Default)]
pub struct QuizScript {
    /// The quiz (from its code).
    pub spec: QuizSpec,
    /// One answer per question, as `quiz --answers` takes them: `B`, `A+C`, `T`, `C-A-B`.
    pub answers: Vec<String>,
    /// Where to write the quiz result JSON.
    pub result: Option<PathBuf>,
}

/// Frames to wait after each action, and before a screenshot (layout, glyphs and pipelines).
const STEP_FRAMES: u32 = 4;
const SETTLE_FRAMES: u32 = 45;
/// Give up on a screenshot that never arrives (a broken renderer) after this many frames.
const CAPTURE_TIMEOUT_FRAMES: u32 = 600;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Step {
    #[default]
    Boot,
    TitleShot,
    Title,
    SelectShot,
    Select,
    Seed,
    Prepare(usize),
    BriefingShot,
    Start,
    Answer(usize),
    ConversationShot(usize),
    ToDebrief,
    DebriefShot,
    Finish,
    QuizTitle,
    QuizCode,
    QuizSetupShot,
    QuizStart,
    QuizAnswer(usize),
    QuizSubmitted(usize),
    QuizFeedbackShot(usize),
    QuizResultShot,
    Classroom,
    WaitForCaptures(u32),
    Done,
}

#[derive(Resource, Default, Debug)]
struct Progress {
    step: Step,
    wait: u32,
    key_up: Option<KeyCode>,
    requested: u32,
    captured: Arc<AtomicU32>,
    conversation_shot: bool,
    question_shot: bool,
    feedback_shot: bool,
    /// Keys still to press for the current quiz answer.
    quiz_keys: Vec<KeyCode>,
    /// Where the classroom tour is.
    tour: classroom::Tour,
    pin_rounds: u32,
    pin_shot: bool,
    teams_played: u32,
}

fn apply_script_settings(
    options: Option<Res<GameOptions>>,
    mut settings: ResMut<Settings>,
    mut name: ResMut<TraineeName>,
) {
    let Some(script) = options.and_then(|o| o.autoplay.clone()) else {
        return;
    };
    if let Some(l) = script.lang {
        settings.locale = l;
    }
    if let Some(t) = &script.trainee {
        name.0 = t.clone();
    }
    if let Some(dir) = &script.screenshots
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        error!("cannot create {}: {e}", dir.display());
    }
}

fn key_character(key: KeyCode) -> Option<&'static str> {
    Some(match key {
        KeyCode::Digit1 => "1",
        KeyCode::Digit2 => "2",
        KeyCode::Digit3 => "3",
        KeyCode::Digit4 => "4",
        KeyCode::Digit5 => "5",
        KeyCode::Digit6 => "6",
        KeyCode::Digit7 => "7",
        KeyCode::Digit8 => "8",
        KeyCode::Digit9 => "9",
        KeyCode::KeyA => "a",
        KeyCode::KeyB => "b",
        KeyCode::KeyC => "c",
        KeyCode::KeyD => "d",
        KeyCode::KeyE => "e",
        KeyCode::KeyF => "f",
        KeyCode::KeyG => "g",
        KeyCode::KeyH => "h",
        KeyCode::KeyN => "n",
        KeyCode::KeyS => "s",
        KeyCode::KeyT => "t",
        _ => return None,
    })
}

/// The message winit sends for `key` going down (`pressed`) or up.
fn keyboard_input(key: KeyCode, pressed: bool, window: Entity) -> KeyboardInput {
    let character = key_character(key).filter(|_| pressed);
    KeyboardInput {
        key_code: key,
        logical_key: match (key, character) {
            (_, Some(c)) => Key::Character(c.into()),
            (KeyCode::Enter, None) if pressed => Key::Enter,
            _ => Key::Unidentified(NativeKey::Unidentified),
        },
        state: if pressed {
            ButtonState::Pressed
        } else {
            ButtonState::Released
        },
        text: character.map(Into::into),
        repeat: false,
        window,
    }
}

/// Sends a key press now and its release on the next frame: the real keyboard path.
fn press_key(
    key: KeyCode,
    keys: &mut MessageWriter<KeyboardInput>,
    window: Entity,
    progress: &mut Progress,
) {
    keys.write(keyboard_input(key, true, window));
    progress.key_up = Some(key);
}

fn release_key(keys: &mut MessageWriter<KeyboardInput>, window: Entity, progress: &mut Progress) {
    if let Some(key) = progress.key_up.take() {
        keys.write(keyboard_input(key, false, window));
    }
}

fn screenshot(name: &str, script: &Script, progress: &mut Progress, commands: &mut Commands) {
    let Some(dir) = &script.screenshots else {
        return;
    };
    progress.requested += 1;
    let counter = progress.captured.clone();
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(dir.join(name)))
        .observe(move |_: On<ScreenshotCaptured>| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
}

fn fail(reason: String, exit: &mut MessageWriter<AppExit>, progress: &mut Progress) {
    error!("autoplay stopped: {reason}");
    progress.step = Step::Done;
    exit.write(AppExit::error());
}

fn drive(
    options: Option<Res<GameOptions>>,
    screen: Res<State<Screen>>,
    mut progress: ResMut<Progress>,
    content: Res<ContentLibrary>,
    conversation: Option<Res<Conversation>>,
    last: Option<Res<LastResult>>,
    start_buttons: Query<Entity, With<StartPractising>>,
    cards: Query<(Entity, &ScenarioCard)>,
    window: Query<Entity, With<PrimaryWindow>>,
    mut keys: MessageWriter<KeyboardInput>,
    mut exit: MessageWriter<AppExit>,
    mut commands: Commands,
) {
    let Some(script) = options.and_then(|o| o.autoplay.clone()) else {
        return;
    };
    let Ok(window) = window.single() else {
        return;
    };
    release_key(&mut keys, window, &mut progress);
    if progress.wait > 0 {
        progress.wait -= 1;
        return;
    }
    let screen = *screen.get();
    let next = |progress: &mut Progress, step: Step, wait: u32| {
        progress.step = step;
        progress.wait = wait;
    };
    match (progress.step, screen) {
        (Step::Boot, Screen::Title) => next(&mut progress, Step::TitleShot, SETTLE_FRAMES),
        (Step::TitleShot, Screen::Title) => {
            screenshot("title.png", &script, &mut progress, &mut commands);
            next(&mut progress, Step::Title, STEP_FRAMES);
        }
        (Step::Title, Screen::Title) if script.scenario.is_none() => {
            next(&mut progress, Step::QuizTitle, 0);
        }
        (Step::Title, Screen::Title) => match start_buttons.single() {
            Ok(b) => {
                commands.trigger(Press(b));
                next(&mut progress, Step::SelectShot, SETTLE_FRAMES);
            }
            Err(_) => fail(
                "the title screen has no start button".into(),
                &mut exit,
                &mut progress,
            ),
        },
        (Step::SelectShot, Screen::ScenarioSelect) => {
            screenshot("select.png", &script, &mut progress, &mut commands);
            next(&mut progress, Step::Select, STEP_FRAMES);
        }
        (Step::Select, Screen::ScenarioSelect) => {
            let scenario = script.scenario.clone().unwrap_or_default();
            match cards.iter().find(|(_, c)| c.0 == scenario) {
                Some((card, _)) => {
                    commands.trigger(Press(card));
                    next(&mut progress, Step::Seed, STEP_FRAMES);
                }
                None => fail(
                    format!("no playable scenario `{scenario}`"),
                    &mut exit,
                    &mut progress,
                ),
            }
        }
        (Step::Seed, Screen::Briefing) => {
            // Re-enter the briefing so it shows the script's seed.
            let seed = script.seed;
            commands.queue(move |world: &mut World| {
                world.resource_mut::<Selection>().seed = seed;
                world
                    .resource_mut::<NextState<Screen>>()
                    .set(Screen::Briefing);
            });
            next(&mut progress, Step::Prepare(0), STEP_FRAMES);
        }
        (Step::Prepare(i), Screen::Briefing) => {
            let Some(id) = script.prepare.get(i) else {
                next(&mut progress, Step::BriefingShot, SETTLE_FRAMES);
                return;
            };
            let scenario = script.scenario.as_deref().unwrap_or_default();
            let position = content.library.scenario(scenario).and_then(|c| {
                c.scenario
                    .preparation
                    .items
                    .iter()
                    .position(|p| p.id.0 == *id)
            });
            match position.and_then(|p| digit_key(p + 1)) {
                Some(key) => {
                    press_key(key, &mut keys, window, &mut progress);
                    next(&mut progress, Step::Prepare(i + 1), STEP_FRAMES);
                }
                None => fail(
                    format!("preparation `{id}` is not on the checklist"),
                    &mut exit,
                    &mut progress,
                ),
            }
        }
        (Step::BriefingShot, Screen::Briefing) => {
            screenshot("briefing.png", &script, &mut progress, &mut commands);
            next(&mut progress, Step::Start, STEP_FRAMES);
        }
        (Step::Start, Screen::Briefing) => {
            press_key(KeyCode::KeyS, &mut keys, window, &mut progress);
            next(&mut progress, Step::Answer(0), STEP_FRAMES);
        }
        (Step::Answer(i), Screen::Conversation) => {
            let Some(conv) = conversation else {
                return;
            };
            // Capture mid-conversation, once the first answers have filled the log.
            if i == script.choices.len().min(2) && !progress.conversation_shot {
                next(&mut progress, Step::ConversationShot(i), SETTLE_FRAMES);
                return;
            }
            let Some(item) = script.choices.get(i) else {
                if conv.session.is_ended() {
                    next(&mut progress, Step::ToDebrief, STEP_FRAMES);
                } else {
                    let left: Vec<String> = conv
                        .choices()
                        .into_iter()
                        .filter(|c| c.available)
                        .map(|c| c.id)
                        .collect();
                    fail(
                        format!(
                            "the conversation has not ended after {i} answers; next: {}",
                            left.join(", ")
                        ),
                        &mut exit,
                        &mut progress,
                    );
                }
                return;
            };
            let available: Vec<_> = conv.choices().into_iter().filter(|c| c.available).collect();
            let number = item.parse::<usize>().ok().or_else(|| {
                available
                    .iter()
                    .find(|c| c.id == *item)
                    .and_then(|c| c.number)
            });
            match number.and_then(digit_key) {
                Some(key) => {
                    press_key(key, &mut keys, window, &mut progress);
                    next(&mut progress, Step::Answer(i + 1), STEP_FRAMES);
                }
                None => fail(
                    format!(
                        "answer {} (`{item}`) is not on offer; the options are: {}",
                        i + 1,
                        available
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    &mut exit,
                    &mut progress,
                ),
            }
        }
        (Step::ConversationShot(i), Screen::Conversation) => {
            screenshot("conversation.png", &script, &mut progress, &mut commands);
            progress.conversation_shot = true;
            next(&mut progress, Step::Answer(i), STEP_FRAMES);
        }
        (Step::ToDebrief, Screen::Conversation) => {
            // Focus sits on the "see the debrief" button once the conversation is over.
            press_key(KeyCode::Enter, &mut keys, window, &mut progress);
            next(&mut progress, Step::DebriefShot, SETTLE_FRAMES);
        }
        (Step::DebriefShot, Screen::Debrief) => {
            screenshot("debrief.png", &script, &mut progress, &mut commands);
            next(&mut progress, Step::Finish, STEP_FRAMES);
        }
        (Step::Finish, Screen::Debrief) => {
            if let (Some(path), Some(last)) = (&script.result, &last) {
                let json = serde_json::to_string_pretty(&last.result).unwrap_or_default();
                if let Err(e) = std::fs::write(path, json + "\n") {
                    fail(
                        format!("cannot write {}: {e}", path.display()),
                        &mut exit,
                        &mut progress,
                    );
                    return;
                }
            }
            let then = if script.quiz.is_some() {
                Step::QuizTitle
            } else {
                after_plays(&script)
            };
            next(&mut progress, then, 0);
        }
        (Step::WaitForCaptures(frames), _) => {
            let done = progress.captured.load(Ordering::SeqCst) >= progress.requested;
            if done || frames > CAPTURE_TIMEOUT_FRAMES {
                if !done {
                    error!(
                        "autoplay: only {} of {} screenshots arrived",
                        progress.captured.load(Ordering::SeqCst),
                        progress.requested
                    );
                }
                info!("autoplay: done");
                progress.step = Step::Done;
                if script.exit {
                    exit.write(if done {
                        AppExit::Success
                    } else {
                        AppExit::error()
                    });
                }
            } else {
                progress.step = Step::WaitForCaptures(frames + 1);
            }
        }
        _ => {}
    }
}

/// The keys that give a `quiz --answers` style answer on screen: letters as shown, T or F.
fn answer_keys(answer: &str) -> Result<Vec<KeyCode>, String> {
    let mut keys = Vec::new();
    for c in answer.chars().filter(|c| !matches!(c, ' ' | '+' | '-')) {
        let key = match c.to_ascii_uppercase() {
            'A' => KeyCode::KeyA,
            'B' => KeyCode::KeyB,
            'C' => KeyCode::KeyC,
            'D' => KeyCode::KeyD,
            'E' => KeyCode::KeyE,
            'F' => KeyCode::KeyF,
            'G' => KeyCode::KeyG,
            'H' => KeyCode::KeyH,
            'T' => KeyCode::KeyT,
            other => {
                return Err(format!(
                    "`{other}` is not an option letter (A to H, or T/F)"
                ));
            }
        };
        keys.push(key);
    }
    if keys.is_empty() {
        return Err("an empty answer".into());
    }
    Ok(keys)
}

/// The quiz part of the script: from the title through the quiz to its result.
fn drive_quiz(
    options: Option<Res<GameOptions>>,
    screen: Res<State<Screen>>,
    mut progress: ResMut<Progress>,
    run: Option<Res<QuizRun>>,
    last: Option<Res<LastQuiz>>,
    quiz_buttons: Query<Entity, With<StartQuizSetup>>,
    window: Query<Entity, With<PrimaryWindow>>,
    mut keys: MessageWriter<KeyboardInput>,
    mut exit: MessageWriter<AppExit>,
    mut commands: Commands,
) {
    let Some(script) = options.and_then(|o| o.autoplay.clone()) else {
        return;
    };
    let (Some(quiz), Ok(window)) = (&script.quiz, window.single()) else {
        return;
    };
    if progress.wait > 0 || progress.key_up.is_some() {
        return;
    }
    let next = |progress: &mut Progress, step: Step, wait: u32| {
        progress.step = step;
        progress.wait = wait;
    };
    match (progress.step, *screen.get()) {
        (Step::QuizTitle, Screen::Title) => match quiz_buttons.single() {
            Ok(b) => {
                commands.trigger(Press(b));
                next(&mut progress, Step::QuizCode, STEP_FRAMES);
            }
            Err(_) => fail(
                "the title screen has no quiz button".into(),
                &mut exit,
                &mut progress,
            ),
        },
        (Step::QuizTitle, _) => {
            commands.queue(|world: &mut World| {
                world.resource_mut::<NextState<Screen>>().set(Screen::Title);
            });
            next(&mut progress, Step::QuizTitle, STEP_FRAMES);
        }
        (Step::QuizCode, Screen::QuizSetup) => {
            // Re-enter the setup so it shows the script's code.
            let spec = quiz.spec.clone();
            commands.queue(move |world: &mut World| {
                world.resource_mut::<QuizSetup>().spec = spec;
                world
                    .resource_mut::<NextState<Screen>>()
                    .set(Screen::QuizSetup);
            });
            next(&mut progress, Step::QuizSetupShot, SETTLE_FRAMES);
        }
        (Step::QuizSetupShot, Screen::QuizSetup) => {
            screenshot("quiz_setup.png", &script, &mut progress, &mut commands);
            next(&mut progress, Step::QuizStart, STEP_FRAMES);
        }
        (Step::QuizStart, Screen::QuizSetup) => {
            press_key(KeyCode::KeyS, &mut keys, window, &mut progress);
            next(&mut progress, Step::QuizAnswer(0), SETTLE_FRAMES);
        }
        (Step::QuizAnswer(i), Screen::Quiz) => {
            if i == 0 && !progress.question_shot {
                screenshot("quiz_question.png", &script, &mut progress, &mut commands);
                progress.question_shot = true;
                next(&mut progress, Step::QuizAnswer(0), STEP_FRAMES);
                return;
            }
            if progress.quiz_keys.is_empty() {
                let Some(answer) = quiz.answers.get(i) else {
                    fail(
                        format!("the quiz has more questions than the {i} answers given"),
                        &mut exit,
                        &mut progress,
                    );
                    return;
                };
                match answer_keys(answer) {
                    Ok(mut k) => {
                        k.reverse();
                        progress.quiz_keys = k;
                    }
                    Err(e) => {
                        fail(
                            format!("answer {} (`{answer}`): {e}", i + 1),
                            &mut exit,
                            &mut progress,
                        );
                        return;
                    }
                }
            }
            if let Some(key) = progress.quiz_keys.pop() {
                press_key(key, &mut keys, window, &mut progress);
                let then = if progress.quiz_keys.is_empty() {
                    Step::QuizSubmitted(i)
                } else {
                    Step::QuizAnswer(i)
                };
                next(&mut progress, then, STEP_FRAMES);
            }
        }
        (Step::QuizSubmitted(i), Screen::Quiz) => {
            press_key(KeyCode::KeyS, &mut keys, window, &mut progress);
            // Let the first explanation settle before its screenshot.
            let wait = if i == 0 { SETTLE_FRAMES } else { STEP_FRAMES };
            next(&mut progress, Step::QuizFeedbackShot(i), wait);
        }
        (
            Step::QuizSubmitted(_) | Step::QuizFeedbackShot(_) | Step::QuizAnswer(_),
            Screen::QuizResult,
        ) => {
            next(&mut progress, Step::QuizResultShot, SETTLE_FRAMES);
        }
        (Step::QuizFeedbackShot(i), Screen::Quiz) => {
            let reviewing = run
                .as_ref()
                .is_some_and(|r| r.attempt.phase() == Phase::Reviewing);
            if let Some(r) = run
                .as_ref()
                .filter(|r| r.attempt.index() == i && !reviewing)
            {
                let kind = r.attempt.current().map_or("?", |(q, _)| q.kind.key());
                fail(
                    format!(
                        "answer {} (`{}`) is not a complete answer to this {kind} question",
                        i + 1,
                        quiz.answers.get(i).map_or("", String::as_str)
                    ),
                    &mut exit,
                    &mut progress,
                );
            } else if !reviewing {
                // An exam moves straight on.
                next(&mut progress, Step::QuizAnswer(i + 1), 0);
            } else if i == 0 && !progress.feedback_shot {
                screenshot("quiz_feedback.png", &script, &mut progress, &mut commands);
                progress.feedback_shot = true;
                next(&mut progress, Step::QuizFeedbackShot(i), STEP_FRAMES);
            } else {
                press_key(KeyCode::KeyN, &mut keys, window, &mut progress);
                next(&mut progress, Step::QuizAnswer(i + 1), STEP_FRAMES);
            }
        }
        (Step::QuizResultShot, Screen::QuizResult) => {
            screenshot("quiz_result.png", &script, &mut progress, &mut commands);
            if let (Some(path), Some(last)) = (&quiz.result, &last) {
                let json = serde_json::to_string_pretty(&last.result).unwrap_or_default();
                if let Err(e) = std::fs::write(path, json + "\n") {
                    fail(
                        format!("cannot write {}: {e}", path.display()),
                        &mut exit,
                        &mut progress,
                    );
                    return;
                }
            }
            next(&mut progress, after_plays(&script), 0);
        }
        _ => {}
    }
}

/// What follows the scripted conversation and quiz: the classroom tour, or the end.
fn after_plays(script: &Script) -> Step {
    if script.classroom {
        Step::Classroom
    } else {
        Step::WaitForCaptures(0)
    }
}
