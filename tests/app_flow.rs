//! Headless App tests: the real game plugins on `MinimalPlugins`, no window and no GPU, driven
//! by the same presses and keys a player uses, in bounded frame loops.

use std::path::Path;
use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::InputPlugin;
use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
use bevy::input_focus::InputFocusPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use dunning_dojo::domain::engine::{Session, Setup};
use dunning_dojo::domain::quiz::{Phase, QuestionKind, QuizSpec};
use dunning_dojo::domain::text::Locale;
use dunning_dojo::game::content::ContentLibrary;
use dunning_dojo::game::conversation::TraineeName;
use dunning_dojo::game::conversation::{Conversation, LastResult};
use dunning_dojo::game::quiz::{LastQuiz, QuizRun, QuizSetup};
use dunning_dojo::game::results::{Results, ResultsPath};
use dunning_dojo::game::screens::{
    AddTeamButton, ChoiceButton, CodeField, ContinueSession, CreateSessionButton, EndSessionButton,
    ExportAllButton, ExportButton, LeaderboardButton, NextButton, NextTeamButton, PlanRoundButton,
    QuizScore, RecommendedScenario, RemoveTeam, RoundScenario, RoundSeedField, ScenarioCard,
    Screen, SeatButton, Selection, SessionNameField, SetupOption, StandingRow, StartClassroom,
    StartPractising, StartQuizSetup, StartRoundButton, TeamField,
};
use dunning_dojo::game::settings::{Mode, Settings};
use dunning_dojo::game::theme::interaction::Press;

use crate::support::fixture;

/// A headless game over the content in `dir`, results in memory.
fn app(dir: &Path) -> App {
    app_with_db(dir, None)
}

/// A headless game over the content in `dir`, results in the file `db` when given.
fn app_with_db(dir: &Path, db: Option<&Path>) -> App {
    let mut app = App::new();
    app.insert_resource(ResultsPath(db.map(Path::to_path_buf)));
    app.add_plugins(MinimalPlugins);
    dunning_dojo::game::register_content_source(&mut app, dir);
    app.add_plugins((
        AssetPlugin::default(),
        StatesPlugin,
        InputPlugin,
        InputFocusPlugin,
    ));
    app.add_plugins(dunning_dojo::game::plugin);
    app
}

/// Runs frames until `done` holds, failing with `what` after a bounded number of frames.
fn run_until(app: &mut App, what: &str, mut done: impl FnMut(&mut World) -> bool) {
    for _ in 0..400 {
        app.update();
        if done(app.world_mut()) {
            return;
        }
        // Asset loading happens on other threads; give it a moment.
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!(
        "timed out waiting for {what}; the screen is {:?}",
        screen(app.world())
    );
}

fn screen(world: &World) -> Screen {
    *world.resource::<State<Screen>>().get()
}

fn wait_for_screen(app: &mut App, want: Screen) {
    run_until(app, &format!("screen {want:?}"), |w| screen(w) == want);
    // One more frame so the screen's widgets exist and focus settles.
    app.update();
}

fn press(app: &mut App, entity: Entity) {
    app.world_mut().trigger(Press(entity));
    app.update();
}

fn find<C: Component>(app: &mut App, matches: impl Fn(&C) -> bool) -> Entity {
    let world = app.world_mut();
    let mut q = world.query::<(Entity, &C)>();
    q.iter(world)
        .find(|(_, c)| matches(c))
        .map(|(e, _)| e)
        .expect("the widget is on screen")
}

/// Presses and releases a key through the keyboard input messages, as winit would.
fn key(app: &mut App, code: KeyCode, character: Option<&str>) {
    let window = app.world_mut().spawn_empty().id();
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: code,
            logical_key: character.map_or(Key::Unidentified(NativeKey::Unidentified), |c| {
                Key::Character(c.into())
            }),
            state,
            text: character
                .filter(|_| state == ButtonState::Pressed)
                .map(Into::into),
            repeat: false,
            window,
        });
        app.update();
    }
    app.update();
}

fn digit(n: usize) -> (KeyCode, String) {
    (
        dunning_dojo::game::input::digit_key(n).expect("a digit key"),
        n.to_string(),
    )
}

/// Plays `choices` (ids) with `prepared` from the title screen to the debrief, by keys.
fn play_through(app: &mut App, scenario: &str, seed: u64, prepared: &[&str], choices: &[&str]) {
    wait_for_screen(app, Screen::Title);
    let start = find::<StartPractising>(app, |_| true);
    press(app, start);
    wait_for_screen(app, Screen::ScenarioSelect);
    let card = find::<ScenarioCard>(app, |c| c.0 == scenario);
    press(app, card);
    wait_for_screen(app, Screen::Briefing);
    app.world_mut()
        .resource_mut::<dunning_dojo::game::screens::Selection>()
        .seed = seed;
    play_from_briefing(app, scenario, prepared, choices);
}

/// From the briefing of `scenario`: ticks `prepared`, starts, says `choices` (ids) by number
/// keys, and waits for the debrief.
fn play_from_briefing(app: &mut App, scenario: &str, prepared: &[&str], choices: &[&str]) {
    let items: Vec<String> = {
        let lib = &app.world().resource::<ContentLibrary>().library;
        let c = lib.scenario(scenario).expect("playable");
        c.scenario
            .preparation
            .items
            .iter()
            .map(|i| i.id.0.clone())
            .collect()
    };
    for p in prepared {
        let n = items.iter().position(|i| i == p).expect("prep item exists") + 1;
        let (code, ch) = digit(n);
        key(app, code, Some(&ch));
    }
    key(app, KeyCode::KeyS, Some("s"));
    wait_for_screen(app, Screen::Conversation);
    for id in choices {
        let n = {
            let conv = app.world().resource::<Conversation>();
            conv.choices()
                .into_iter()
                .find(|c| c.id == *id)
                .and_then(|c| c.number)
                .unwrap_or_else(|| panic!("`{id}` is not on offer"))
        };
        // The button for this choice carries the number the key presses.
        let _ = find::<ChoiceButton>(app, |b| b.0 == *id);
        let (code, ch) = digit(n);
        key(app, code, Some(&ch));
    }
    key(app, KeyCode::Enter, None);
    wait_for_screen(app, Screen::Debrief);
}

#[test]
fn playing_by_keys_reaches_the_debrief_with_the_engines_scores() {
    let dir = fixture("base");
    let mut app = app(&dir);
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    let choices = ["chat", "intro", "who_covers", "fix_date"];
    play_through(&mut app, "test_call", 7, &["statement"], &choices);

    let shown = app.world().resource::<LastResult>().result.clone();
    // The same play through the domain alone.
    let lib = dunning_dojo::domain::library::Library::load(&[dir]);
    let c = lib.scenario("test_call").unwrap();
    let setup = Setup {
        prepared: vec!["statement".into()],
        trainee: None,
        truths: Vec::new(),
    };
    let (mut s, _) = Session::start(c, 7, Locale::En, setup).unwrap();
    for id in choices {
        s.choose(id).unwrap();
    }
    let expected = s.result().unwrap();
    assert_eq!(
        serde_json::to_string(&shown).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    // And the number on screen is that overall score.
    let world = app.world_mut();
    let mut q = world.query::<&dunning_dojo::game::screens::OverallScore>();
    let on_screen = q.iter(world).next().expect("the overall score is shown").0;
    assert_eq!(on_screen, expected.scores.overall);
}

#[test]
fn a_violation_is_called_out_and_fails_the_attempt() {
    let mut app = app(&fixture("base"));
    play_through(
        &mut app,
        "test_call",
        1,
        &[],
        &["intro", "yell", "who_covers", "fix_date"],
    );
    let r = &app.world().resource::<LastResult>().result;
    assert!(!r.passed);
    assert_eq!(r.violations.len(), 1);
}

#[test]
fn escape_walks_back_and_leaving_a_conversation_asks_first() {
    let mut app = app(&fixture("base"));
    wait_for_screen(&mut app, Screen::Title);
    let start = find::<StartPractising>(&mut app, |_| true);
    press(&mut app, start);
    wait_for_screen(&mut app, Screen::ScenarioSelect);
    key(&mut app, KeyCode::Escape, None);
    wait_for_screen(&mut app, Screen::Title);
    // Into a conversation, then Esc: the leave prompt opens, the conversation stays.
    let start = find::<StartPractising>(&mut app, |_| true);
    press(&mut app, start);
    wait_for_screen(&mut app, Screen::ScenarioSelect);
    key(&mut app, KeyCode::Enter, None);
    wait_for_screen(&mut app, Screen::Briefing);
    key(&mut app, KeyCode::KeyS, Some("s"));
    wait_for_screen(&mut app, Screen::Conversation);
    key(&mut app, KeyCode::Escape, None);
    assert_eq!(screen(app.world()), Screen::Conversation);
    key(&mut app, KeyCode::Escape, None);
    assert_eq!(screen(app.world()), Screen::Conversation);
}

#[test]
fn a_broken_file_shows_its_errors_and_the_good_scenarios_still_play() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("base/persona.ron"), dir.path().join("persona.ron")).unwrap();
    std::fs::copy(
        fixture("base/scenario.ron"),
        dir.path().join("scenario.ron"),
    )
    .unwrap();
    let broken = std::fs::read_to_string(fixture("broken/dangling_next.ron")).unwrap();
    std::fs::write(
        dir.path().join("broken.ron"),
        broken.replace(r#"id: "test_call""#, r#"id: "broken_call""#),
    )
    .unwrap();
    let mut app = app(dir.path());
    wait_for_screen(&mut app, Screen::Title);
    let lib = &app.world().resource::<ContentLibrary>().library;
    assert!(
        lib.scenario("test_call").is_some(),
        "the good scenario plays"
    );
    assert!(
        lib.diagnostics
            .iter()
            .any(|d| d.code.to_string() == "DD0103")
    );
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::ContentErrors);
    wait_for_screen(&mut app, Screen::ContentErrors);
    let world = app.world_mut();
    let mut q = world.query::<&dunning_dojo::game::screens::DiagnosticEntry>();
    let shown: Vec<String> = q.iter(world).map(|d| d.0.clone()).collect();
    assert!(
        shown
            .iter()
            .any(|h| h.contains("broken.ron:") && h.contains("error[DD0103]")),
        "{shown:?}"
    );
}

/// Runs frames for up to `seconds` of wall time until `done` holds (file watching is real time).
fn run_for(app: &mut App, seconds: u64, what: &str, mut done: impl FnMut(&mut World) -> bool) {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(seconds) {
        app.update();
        if done(app.world_mut()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out after {seconds}s waiting for {what}");
}

#[test]
fn saving_a_file_reloads_it_and_a_broken_save_keeps_the_last_good_version() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.ron");
    std::fs::copy(fixture("base/persona.ron"), dir.path().join("persona.ron")).unwrap();
    let original = std::fs::read_to_string(fixture("base/scenario.ron")).unwrap();
    std::fs::write(&scenario, &original).unwrap();
    let mut app = App::new();
    app.add_plugins(MinimalPlugins);
    dunning_dojo::game::register_content_source(&mut app, dir.path());
    app.add_plugins((
        AssetPlugin {
            watch_for_changes_override: Some(true),
            ..default()
        },
        StatesPlugin,
        InputPlugin,
        InputFocusPlugin,
    ));
    app.add_plugins(dunning_dojo::game::plugin);
    wait_for_screen(&mut app, Screen::Title);
    let title = |w: &mut World| {
        w.resource::<ContentLibrary>()
            .library
            .scenario("test_call")
            .map(|c| {
                c.scenario
                    .title
                    .get(Locale::En)
                    .unwrap_or_default()
                    .to_owned()
            })
    };
    assert_eq!(title(app.world_mut()).as_deref(), Some("Test call"));

    // An edit shows up in place.
    std::fs::write(
        &scenario,
        original.replace(r#""en": "Test call""#, r#""en": "Test call, revised""#),
    )
    .unwrap();
    run_for(&mut app, 20, "the edited title", |w| {
        title(w).as_deref() == Some("Test call, revised")
    });

    // A save that breaks the file: its error is shown, the last good version still plays.
    std::fs::write(
        &scenario,
        original.replace("channel: phone,", "channel: phone"),
    )
    .unwrap();
    run_for(&mut app, 20, "the syntax error", |w| {
        w.resource::<ContentLibrary>()
            .library
            .diagnostics
            .iter()
            .any(|d| d.code.to_string() == "DD0001")
    });
    let lib = &app.world().resource::<ContentLibrary>().library;
    let playable = lib
        .scenarios
        .get("test_call")
        .expect("the last good version stays playable");
    assert!(playable.stale);
    assert_eq!(
        playable.compiled.scenario.title.get(Locale::En),
        Some("Test call, revised")
    );
}

/// Sets the quiz setup's code field as if typed.
fn type_code(app: &mut App, code: &str) {
    let world = app.world_mut();
    let mut q = world.query_filtered::<&mut bevy::text::EditableText, With<CodeField>>();
    let mut field = q.single_mut(world).expect("the code field is on screen");
    field.editor_mut().set_text(code);
    app.update();
}

/// The keys that answer the current question: `right` answers it right; otherwise a
/// multiple-choice question gets only its first right option and anything else a wrong one.
fn answer_keys(app: &App, right: bool) -> Vec<(KeyCode, String)> {
    let run = app.world().resource::<QuizRun>();
    let (q, d) = run.attempt.current().expect("a question is showing");
    let letter_of = |id: &str| {
        let pos = d
            .shown
            .iter()
            .position(|&i| q.options[i].id.0 == id)
            .expect("the option is shown");
        let c = char::from(b'a' + pos as u8);
        (
            dunning_dojo::game::input::letter_key(pos + 1).unwrap(),
            c.to_string(),
        )
    };
    match q.kind {
        QuestionKind::TrueFalse => {
            let truth = q.answer[0] == "true";
            let say = if right { truth } else { !truth };
            vec![if say {
                (KeyCode::KeyT, "t".into())
            } else {
                (KeyCode::KeyF, "f".into())
            }]
        }
        QuestionKind::Multiple if !right => vec![letter_of(&q.answer[0])],
        QuestionKind::Order if !right => q.answer.iter().rev().map(|id| letter_of(id)).collect(),
        QuestionKind::Single | QuestionKind::BestReply if !right => {
            let wrong = q
                .options
                .iter()
                .find(|o| !q.answer.contains(&o.id.0))
                .expect("a wrong option");
            vec![letter_of(&wrong.id.0)]
        }
        _ => q.answer.iter().map(|id| letter_of(id)).collect(),
    }
}

/// From the title to the quiz setup. (The title focuses the empty name field, where Q types a
/// letter, so the button is pressed.)
fn open_quiz_setup(app: &mut App) {
    wait_for_screen(app, Screen::Title);
    let quiz = find::<StartQuizSetup>(app, |_| true);
    press(app, quiz);
    wait_for_screen(app, Screen::QuizSetup);
}

#[test]
fn a_quiz_taken_by_keys_is_graded_like_the_domain_and_opens_a_recommended_scenario() {
    let dir = fixture("base");
    let mut app = app(&dir);
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    open_quiz_setup(&mut app);
    type_code(&mut app, "5-42");
    assert_eq!(app.world().resource::<QuizSetup>().spec.code(), "5-42");
    key(&mut app, KeyCode::KeyS, Some("s"));
    wait_for_screen(&mut app, Screen::Quiz);

    let mut given = Vec::new();
    for k in 0..5 {
        let kind = {
            let run = app.world().resource::<QuizRun>();
            assert_eq!(run.attempt.index(), k);
            run.attempt.current().unwrap().0.kind
        };
        // True/false and the best reply right; the single choice wrong, half the
        // multiple choice, and the steps reversed: (0 + 0.5 + 1 + 0 + 1) / 5 = 50.
        let right = matches!(kind, QuestionKind::TrueFalse | QuestionKind::BestReply);
        for (code, ch) in answer_keys(&app, right) {
            key(&mut app, code, Some(&ch));
        }
        given.push(app.world().resource::<QuizRun>().attempt.picked().to_vec());
        if matches!(kind, QuestionKind::Multiple) {
            key(&mut app, KeyCode::KeyS, Some("s"));
        } else {
            // Once the answer is complete, focus sits on Submit: Enter submits.
            key(&mut app, KeyCode::Enter, None);
        }
        let run = app.world().resource::<QuizRun>();
        assert_eq!(
            run.attempt.phase(),
            Phase::Reviewing,
            "practice shows the explanation"
        );
        let _ = find::<NextButton>(&mut app, |_| true);
        key(&mut app, KeyCode::KeyN, Some("n"));
    }
    wait_for_screen(&mut app, Screen::QuizResult);

    // The same quiz and answers through the domain alone.
    let lib = dunning_dojo::domain::library::Library::load(&[dir]);
    let spec = QuizSpec::from_code("5-42").unwrap();
    let quiz = dunning_dojo::domain::quiz::draw(&lib.quiz_banks_in(Locale::En), &spec).unwrap();
    let expected = dunning_dojo::domain::quiz::grade(
        &lib.quiz_banks_in(Locale::En),
        &quiz,
        &given,
        lib.scenario_tags(),
    );
    let shown = &app.world().resource::<LastQuiz>().result;
    assert_eq!(
        serde_json::to_string(shown).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    assert!(
        expected
            .questions
            .iter()
            .any(|g| g.credit > 0.0 && g.credit < 1.0),
        "the multiple-choice answer earns partial credit"
    );
    assert_eq!(expected.score, 50.0);
    assert!(!expected.passed);
    let world = app.world_mut();
    let mut q = world.query::<&QuizScore>();
    assert_eq!(q.single(world).unwrap().0, expected.score);

    // The weakest topic's scenario opens its briefing.
    let recommended = expected
        .recommendations
        .first()
        .expect("a weak topic has a scenario")
        .scenario
        .clone();
    let button = find::<RecommendedScenario>(&mut app, |r| r.0 == recommended);
    press(&mut app, button);
    wait_for_screen(&mut app, Screen::Briefing);
    assert_eq!(
        app.world()
            .resource::<dunning_dojo::game::screens::Selection>()
            .scenario,
        recommended
    );
}

#[test]
fn an_exam_holds_explanations_back_and_leaving_asks_first() {
    let mut app = app(&fixture("base"));
    app.world_mut().resource_mut::<Settings>().mode = Mode::Exam;
    open_quiz_setup(&mut app);
    // Count 5 from its button, then start with S.
    let five = find::<SetupOption>(&mut app, |o| *o == SetupOption::Count(5));
    press(&mut app, five);
    key(&mut app, KeyCode::KeyS, Some("s"));
    wait_for_screen(&mut app, Screen::Quiz);
    // Esc asks first; the quiz stays; Esc again closes the prompt.
    key(&mut app, KeyCode::Escape, None);
    assert_eq!(screen(app.world()), Screen::Quiz);
    key(&mut app, KeyCode::Escape, None);
    for k in 0..5 {
        for (code, ch) in answer_keys(&app, true) {
            key(&mut app, code, Some(&ch));
        }
        key(&mut app, KeyCode::KeyS, Some("s"));
        if k < 4 {
            let run = app.world().resource::<QuizRun>();
            assert_eq!(
                run.attempt.phase(),
                Phase::Answering,
                "no explanation mid-exam"
            );
            assert_eq!(run.attempt.index(), k + 1);
        }
    }
    wait_for_screen(&mut app, Screen::QuizResult);
    let r = &app.world().resource::<LastQuiz>().result;
    assert_eq!(r.score, 100.0);
    assert!(r.passed && r.recommendations.is_empty());
    // Back to the title with Esc.
    key(&mut app, KeyCode::Escape, None);
    wait_for_screen(&mut app, Screen::Title);
}

fn set_text<C: Component>(app: &mut App, matches: impl Fn(&C) -> bool, text: &str) {
    let world = app.world_mut();
    let mut q = world.query::<(&C, &mut bevy::text::EditableText)>();
    let mut field = q
        .iter_mut(world)
        .find(|(c, _)| matches(c))
        .map(|(_, f)| f)
        .expect("the field is on screen");
    field.editor_mut().set_text(text);
    app.update();
}

fn type_pin(app: &mut App, pin: &str) {
    for c in pin.chars() {
        let n = c.to_digit(10).unwrap() as usize;
        let code = if n == 0 {
            KeyCode::Digit0
        } else {
            dunning_dojo::game::input::digit_key(n).unwrap()
        };
        key(app, code, Some(&c.to_string()));
    }
    key(app, KeyCode::Enter, None);
}

fn stored_attempts(app: &App) -> Vec<dunning_dojo::store::StoredAttempt> {
    app.world()
        .resource::<Results>()
        .with(|s| s.attempts(&dunning_dojo::store::AttemptFilter::default()))
        .unwrap()
}

#[test]
fn a_classroom_session_runs_from_pin_to_leaderboard_and_resumes() {
    let dir = fixture("base");
    let mut app = app(&dir);
    // A results file, so the export lands beside it.
    let data = tempfile::tempdir().unwrap();
    app.insert_resource(Results::open(Some(&data.path().join("results.sqlite"))));
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    app.world_mut().resource_mut::<TraineeName>().0 = "Trainer Zhou".into();
    wait_for_screen(&mut app, Screen::Title);
    let classroom = find::<StartClassroom>(&mut app, |_| true);
    press(&mut app, classroom);
    wait_for_screen(&mut app, Screen::ClassroomPin);

    // First use: the PIN is typed twice; a mismatch starts again.
    type_pin(&mut app, "2468");
    type_pin(&mut app, "2469");
    assert_eq!(screen(app.world()), Screen::ClassroomPin);
    type_pin(&mut app, "2468");
    type_pin(&mut app, "2468");
    wait_for_screen(&mut app, Screen::ClassroomSessions);
    let results = app.world().resource::<Results>();
    assert!(results.with(|s| s.check_pin("2468")).unwrap());
    assert!(!results.with(|s| s.check_pin("2469")).unwrap());

    set_text::<SessionNameField>(&mut app, |_| true, "Spring class");
    let create = find::<CreateSessionButton>(&mut app, |_| true);
    press(&mut app, create);
    wait_for_screen(&mut app, Screen::ClassroomTeams);
    for (name, captain, members) in [
        ("Tigers", "Wang Fang", "Li Lei、Han Meimei"),
        ("Eagles", "Tom", ""),
    ] {
        set_text::<TeamField>(&mut app, |f| *f == TeamField::Name, name);
        set_text::<TeamField>(&mut app, |f| *f == TeamField::Captain, captain);
        set_text::<TeamField>(&mut app, |f| *f == TeamField::Members, members);
        let add = find::<AddTeamButton>(&mut app, |_| true);
        press(&mut app, add);
        app.update();
    }
    // A team entered by mistake is removed before it plays.
    set_text::<TeamField>(&mut app, |f| *f == TeamField::Name, "Eaglse");
    let add = find::<AddTeamButton>(&mut app, |_| true);
    press(&mut app, add);
    app.update();
    let typo = app
        .world()
        .resource::<Results>()
        .with(|s| s.sessions().and_then(|l| s.teams(l[0].id)))
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Eaglse")
        .expect("the typo was added")
        .id;
    let remove = find::<RemoveTeam>(&mut app, |r| r.0 == typo);
    press(&mut app, remove);
    app.update();
    let plan = find::<PlanRoundButton>(&mut app, |_| true);
    press(&mut app, plan);
    wait_for_screen(&mut app, Screen::ClassroomRound);
    let pick = find::<RoundScenario>(&mut app, |r| r.0 == "test_call");
    press(&mut app, pick);
    set_text::<RoundSeedField>(&mut app, |_| true, "42");
    let start = find::<StartRoundButton>(&mut app, |_| true);
    press(&mut app, start);
    wait_for_screen(&mut app, Screen::ClassroomTurn);

    // Hot seat: Tigers (captain first) play well, Eagles break a rule; same seed for both.
    let plays: [(&str, &[&str], &[&str]); 2] = [
        (
            "Wang Fang",
            &["statement"],
            &["chat", "intro", "who_covers", "fix_date"],
        ),
        ("Tom", &[], &["intro", "yell", "who_covers", "fix_date"]),
    ];
    for (who, prepared, choices) in plays {
        let seat = find::<SeatButton>(&mut app, |b| b.trainee == who);
        press(&mut app, seat);
        wait_for_screen(&mut app, Screen::Briefing);
        assert_eq!(app.world().resource::<Selection>().seed, 42);
        play_from_briefing(&mut app, "test_call", prepared, choices);
        let last = app.world().resource::<LastResult>();
        assert!(last.classroom && last.saved.is_ok(), "{:?}", last.saved);
        let next_team = find::<NextTeamButton>(&mut app, |_| true);
        press(&mut app, next_team);
        wait_for_screen(&mut app, Screen::ClassroomTurn);
    }
    let stored = stored_attempts(&app);
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].team.as_deref(), Some("Tigers"));
    assert_eq!(stored[0].trainee, "Wang Fang");
    assert_eq!(stored[1].team.as_deref(), Some("Eagles"));
    assert!(
        stored
            .iter()
            .all(|a| a.round == Some(1) && a.result.seed == 42)
    );
    assert!(!stored[1].result.violations.is_empty());

    // Round over: the leaderboard ranks by the engine's scores.
    assert!(
        app.world_mut()
            .query::<&SeatButton>()
            .iter(app.world())
            .next()
            .is_none()
    );
    let board = find::<LeaderboardButton>(&mut app, |_| true);
    press(&mut app, board);
    wait_for_screen(&mut app, Screen::ClassroomBoard);
    let mut rows: Vec<StandingRow> = app
        .world_mut()
        .query::<&StandingRow>()
        .iter(app.world())
        .cloned()
        .collect();
    rows.sort_by_key(|r| r.rank);
    let (tigers, eagles) = (
        stored[0].result.scores.overall,
        stored[1].result.scores.overall,
    );
    assert!(tigers > eagles);
    assert_eq!(
        rows,
        vec![
            StandingRow {
                rank: 1,
                team: "Tigers".into(),
                total: tigers
            },
            StandingRow {
                rank: 2,
                team: "Eagles".into(),
                total: eagles
            },
        ]
    );

    // The trainer exports the session's report and spreadsheet from here.
    let export = find::<ExportButton>(&mut app, |_| true);
    press(&mut app, export);
    wait_for_screen(&mut app, Screen::ClassroomBoard);
    let reports = data.path().join("reports");
    let mut files: Vec<_> = std::fs::read_dir(&reports)
        .expect("a reports folder beside the database")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("Tigers") && csv.contains("Eagles"));
    assert!(std::fs::read_to_string(&files[1]).unwrap().contains("<svg"));

    // End the session, then resume it from the list: it comes back where it stopped.
    let end = find::<EndSessionButton>(&mut app, |_| true);
    press(&mut app, end);
    wait_for_screen(&mut app, Screen::ClassroomSessions);
    let results = app.world().resource::<Results>();
    let sessions = results.with(|s| s.sessions()).unwrap();
    assert!(sessions[0].ended_at.is_some());
    // Everything, free practice included, from the session list.
    let export_all = find::<ExportAllButton>(&mut app, |_| true);
    press(&mut app, export_all);
    wait_for_screen(&mut app, Screen::ClassroomSessions);
    let all: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("all-results-"))
        .collect();
    assert_eq!(all.len(), 2, "{all:?}");
    let resume = find::<ContinueSession>(&mut app, |c| c.0 == sessions[0].id);
    press(&mut app, resume);
    wait_for_screen(&mut app, Screen::ClassroomTurn);
    let results = app.world().resource::<Results>();
    assert!(
        results.with(|s| s.sessions()).unwrap()[0]
            .ended_at
            .is_none()
    );
}

#[test]
fn free_practice_is_recorded_and_the_cards_show_the_best_so_far() {
    let dir = fixture("base");
    let mut app = app(&dir);
    app.world_mut().resource_mut::<TraineeName>().0 = "Li Lei".into();
    play_through(
        &mut app,
        "test_call",
        7,
        &["statement"],
        &["chat", "intro", "who_covers", "fix_date"],
    );
    let last = app.world().resource::<LastResult>().clone();
    let id = last.saved.clone().expect("saved before the debrief");
    let stored = stored_attempts(&app);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, id);
    assert_eq!(stored[0].trainee, "Li Lei");
    assert_eq!(stored[0].team, None);
    assert_eq!(stored[0].result, last.result);
    let best = app
        .world()
        .resource::<Results>()
        .best_scores("Li Lei")
        .expect("the store reads");
    assert_eq!(
        best,
        vec![(
            "test_call".to_owned(),
            last.result.scores.overall,
            last.result.passed
        )]
    );
}

#[test]
fn a_result_that_cannot_be_saved_is_never_called_saved_and_is_kept_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite");
    let original = "this is a spreadsheet, not a database ".repeat(50);
    std::fs::write(&db, &original).unwrap();
    let mut app = app_with_db(&fixture("base"), Some(&db));
    assert!(
        app.world().resource::<Results>().problem.is_some(),
        "the file cannot be opened"
    );
    play_through(
        &mut app,
        "test_call",
        7,
        &["statement"],
        &["chat", "intro", "who_covers", "fix_date"],
    );
    let last = app.world().resource::<LastResult>().clone();
    let err = last
        .saved
        .clone()
        .expect_err("an unusable database never says saved");
    assert!(err.contains("could not be opened"), "{err}");
    assert!(err.contains("Nothing is lost"), "{err}");
    // The result is in a file of its own beside the database, and the database is untouched.
    let kept: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .starts_with("dunning-dojo-unsaved-attempt")
            })
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&kept[0]).unwrap()).unwrap();
    assert_eq!(
        v["result"]["scores"]["overall"].as_f64(),
        Some(last.result.scores.overall)
    );
    assert_eq!(std::fs::read_to_string(&db).unwrap(), original);
}
