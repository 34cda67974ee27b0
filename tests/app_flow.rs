//! Headless App tests: the real game plugins on `MinimalPlugins`, no window and no GPU, driven
//! by the same presses and keys a player uses, in bounded frame loops.

use std::time::Duration;

use bevy::prelude::*;
use dunning_dojo::domain::engine::{Session, Setup};
use dunning_dojo::domain::quiz::{Phase, QuestionKind, QuizSpec};
use dunning_dojo::domain::text::Locale;
use dunning_dojo::game::classroom::{
    AddTeamButton, ContinueSession, CreateSessionButton, EndSessionButton, ExportAllButton,
    ExportButton, LeaderboardButton, PlanRoundButton, RemoveTeam, RoundScenario, RoundSeedField,
    SeatButton, SessionNameField, StandingRow, StartRoundButton, TeamField,
};
use dunning_dojo::game::content::ContentLibrary;
use dunning_dojo::game::practice::NextTeamButton;
use dunning_dojo::game::quiz::{
    CodeField, NextButton, QuizRun, QuizScore, QuizSetup, RecommendedScenario, SetupOption,
};
use dunning_dojo::game::records::{LastQuiz, LastResult, Results};
use dunning_dojo::game::screens::{
    LeavePromptRoot, StartClassroom, StartPractising, StartQuizSetup,
};
use dunning_dojo::game::scripted;
use dunning_dojo::game::settings::{Mode, Settings};
use dunning_dojo::game::state::{
    ClassroomScreen, Overlay, Place, QuizScreen, Screen, Selection, TraineeName,
};

use crate::app_support::{AppExt, headless, texts_on_screen};
use crate::support::fixture;

fn owned(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// Plays `choices` (ids) with `prepared` from the title screen to the debrief, by keys, with
/// the game's own practice script.
fn play_through(app: &mut App, scenario: &str, seed: u64, prepared: &[&str], choices: &[&str]) {
    app.wait_for(Screen::Title);
    let script = scripted::practice(scenario, seed, &owned(prepared), &owned(choices));
    app.run_script(script)
        .expect("the practice script runs to the debrief");
}

/// From the briefing of `scenario`: ticks `prepared`, starts, says `choices` (ids) by number
/// keys, and waits for the debrief.
fn play_from_briefing(app: &mut App, scenario: &str, prepared: &[&str], choices: &[&str]) {
    let script = scripted::from_briefing(scenario, &owned(prepared), &owned(choices), false);
    app.run_script(script)
        .expect("the script plays from the briefing to the debrief");
}

#[test]
fn playing_by_keys_reaches_the_debrief_with_the_engines_scores() {
    let dir = fixture("base");
    let mut app = headless(&dir, None, false);
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
    let mut q = world.query::<&dunning_dojo::game::practice::OverallScore>();
    let on_screen = q.iter(world).next().expect("the overall score is shown").0;
    assert_eq!(on_screen, expected.scores.overall);
}

#[test]
fn a_violation_is_called_out_and_fails_the_attempt() {
    let mut app = headless(&fixture("base"), None, false);
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
    let mut app = headless(&fixture("base"), None, false);
    app.wait_for(Screen::Title);
    let start = app.find::<StartPractising>(|_| true);
    app.press(start);
    app.wait_for(Screen::ScenarioSelect);
    app.key(KeyCode::Escape);
    app.wait_for(Screen::Title);
    // Into a conversation, then Esc: the leave prompt opens, the conversation stays.
    let start = app.find::<StartPractising>(|_| true);
    app.press(start);
    app.wait_for(Screen::ScenarioSelect);
    app.key(KeyCode::Enter);
    app.wait_for(Screen::Briefing);
    app.key(KeyCode::KeyS);
    app.wait_for(Screen::Conversation);
    app.key(KeyCode::Escape);
    assert_eq!(Place::current(app.world()), Screen::Conversation);
    assert_eq!(
        overlay(&app),
        Overlay::LeavePrompt,
        "Esc opens the leave prompt"
    );
    let prompts = app.find::<LeavePromptRoot>(|_| true);
    assert!(app.world().get_entity(prompts).is_ok());
    // Esc again closes it, and the conversation goes on.
    app.key(KeyCode::Escape);
    assert_eq!(Place::current(app.world()), Screen::Conversation);
    assert_eq!(
        overlay(&app),
        Overlay::None,
        "a second Esc closes the prompt"
    );
    let mut q = app.world_mut().query::<&LeavePromptRoot>();
    assert_eq!(q.iter(app.world()).count(), 0, "the prompt is gone");
}

fn overlay(app: &App) -> Overlay {
    *app.world().resource::<State<Overlay>>().get()
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
    let mut app = headless(dir.path(), None, false);
    app.wait_for(Screen::Title);
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
    app.wait_for(Screen::ContentErrors);
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
    let mut app = headless(dir.path(), None, true);
    app.wait_for(Screen::Title);
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
fn answer_keys(app: &App, right: bool) -> Vec<KeyCode> {
    let run = app.world().resource::<QuizRun>();
    let (q, d) = run.attempt.current().expect("a question is showing");
    let letter_of = |id: &str| {
        let pos = d
            .shown
            .iter()
            .position(|&i| q.options[i].id.0 == id)
            .expect("the option is shown");
        dunning_dojo::game::input::letter_key(pos + 1).unwrap()
    };
    match q.kind {
        QuestionKind::TrueFalse => {
            let truth = q.answer[0] == "true";
            let say = if right { truth } else { !truth };
            vec![if say { KeyCode::KeyT } else { KeyCode::KeyF }]
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
    app.wait_for(Screen::Title);
    let quiz = app.find::<StartQuizSetup>(|_| true);
    app.press(quiz);
    app.wait_for(QuizScreen::Setup);
}

#[test]
fn a_quiz_taken_by_keys_is_graded_like_the_domain_and_opens_a_recommended_scenario() {
    let dir = fixture("base");
    let mut app = headless(&dir, None, false);
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    open_quiz_setup(&mut app);
    type_code(&mut app, "5-42");
    assert_eq!(app.world().resource::<QuizSetup>().spec.code(), "5-42");
    app.key(KeyCode::KeyS);
    app.wait_for(QuizScreen::Question);

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
        for code in answer_keys(&app, right) {
            app.key(code);
        }
        given.push(app.world().resource::<QuizRun>().attempt.picked().to_vec());
        if matches!(kind, QuestionKind::Multiple) {
            app.key(KeyCode::KeyS);
        } else {
            // Once the answer is complete, focus sits on Submit: Enter submits.
            app.key(KeyCode::Enter);
        }
        let run = app.world().resource::<QuizRun>();
        assert_eq!(
            run.attempt.phase(),
            Phase::Reviewing,
            "practice shows the explanation"
        );
        let _ = app.find::<NextButton>(|_| true);
        app.key(KeyCode::KeyN);
    }
    app.wait_for(QuizScreen::Result);

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
    // Saved with the moment of each answer, in order, within the quiz.
    let saved = app
        .world()
        .resource::<Results>()
        .with(|s| s.quizzes(None))
        .unwrap();
    let [saved] = saved.as_slice() else {
        panic!("one quiz result is saved: {saved:?}")
    };
    assert_eq!(saved.answer_times.len(), 5);
    let mut stamps = vec![saved.started_at.as_str()];
    stamps.extend(saved.answer_times.iter().map(String::as_str));
    stamps.push(saved.ended_at.as_str());
    let times: Vec<jiff::Timestamp> = stamps.iter().map(|t| t.parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");

    // The weakest topic's scenario opens its briefing.
    let recommended = expected
        .recommendations
        .first()
        .expect("a weak topic has a scenario")
        .scenario
        .clone();
    let button = app.find::<RecommendedScenario>(|r| r.0 == recommended);
    app.press(button);
    app.wait_for(Screen::Briefing);
    assert_eq!(app.world().resource::<Selection>().scenario, recommended);
}

#[test]
fn an_exam_holds_explanations_back_and_leaving_asks_first() {
    let mut app = headless(&fixture("base"), None, false);
    app.world_mut().resource_mut::<Settings>().mode = Mode::Exam;
    open_quiz_setup(&mut app);
    // Count 5 from its button, then start with S.
    let five = app.find::<SetupOption>(|o| *o == SetupOption::Count(5));
    app.press(five);
    app.key(KeyCode::KeyS);
    app.wait_for(QuizScreen::Question);
    // Esc asks first; the quiz stays; Esc again closes the prompt.
    app.key(KeyCode::Escape);
    assert_eq!(Place::current(app.world()), QuizScreen::Question);
    app.key(KeyCode::Escape);
    for k in 0..5 {
        for code in answer_keys(&app, true) {
            app.key(code);
        }
        app.key(KeyCode::KeyS);
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
    app.wait_for(QuizScreen::Result);
    let r = &app.world().resource::<LastQuiz>().result;
    assert_eq!(r.score, 100.0);
    assert!(r.passed && r.recommendations.is_empty());
    // Back to the title with Esc.
    app.key(KeyCode::Escape);
    app.wait_for(Screen::Title);
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
        app.key(code);
    }
    app.key(KeyCode::Enter);
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
    let mut app = headless(&dir, None, false);
    // A results file, so the export lands beside it.
    let data = tempfile::tempdir().unwrap();
    app.insert_resource(Results::open(Some(&data.path().join("results.sqlite"))));
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    app.world_mut().resource_mut::<TraineeName>().0 = "Trainer Zhou".into();
    app.wait_for(Screen::Title);
    let classroom = app.find::<StartClassroom>(|_| true);
    app.press(classroom);
    app.wait_for(ClassroomScreen::Pin);

    // First use: the PIN is typed twice; a mismatch starts again.
    type_pin(&mut app, "2468");
    type_pin(&mut app, "2469");
    assert_eq!(Place::current(app.world()), ClassroomScreen::Pin);
    type_pin(&mut app, "2468");
    type_pin(&mut app, "2468");
    app.wait_for(ClassroomScreen::Sessions);
    let results = app.world().resource::<Results>();
    assert!(results.with(|s| s.check_pin("2468")).unwrap());
    assert!(!results.with(|s| s.check_pin("2469")).unwrap());

    set_text::<SessionNameField>(&mut app, |_| true, "Spring class");
    let create = app.find::<CreateSessionButton>(|_| true);
    app.press(create);
    app.wait_for(ClassroomScreen::Teams);
    for (name, captain, members) in [
        ("Tigers", "Wang Fang", "Li Lei、Han Meimei"),
        ("Eagles", "Tom", ""),
    ] {
        set_text::<TeamField>(&mut app, |f| *f == TeamField::Name, name);
        set_text::<TeamField>(&mut app, |f| *f == TeamField::Captain, captain);
        set_text::<TeamField>(&mut app, |f| *f == TeamField::Members, members);
        let add = app.find::<AddTeamButton>(|_| true);
        app.press(add);
        app.update();
    }
    // A team entered by mistake is removed before it plays.
    set_text::<TeamField>(&mut app, |f| *f == TeamField::Name, "Eaglse");
    let add = app.find::<AddTeamButton>(|_| true);
    app.press(add);
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
    let remove = app.find::<RemoveTeam>(|r| r.0 == typo);
    app.press(remove);
    app.update();
    let plan = app.find::<PlanRoundButton>(|_| true);
    app.press(plan);
    app.wait_for(ClassroomScreen::Round);
    let pick = app.find::<RoundScenario>(|r| r.0 == "test_call");
    app.press(pick);
    set_text::<RoundSeedField>(&mut app, |_| true, "42");
    let start = app.find::<StartRoundButton>(|_| true);
    app.press(start);
    app.wait_for(ClassroomScreen::Turn);

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
        let seat = app.find::<SeatButton>(|b| b.trainee == who);
        app.press(seat);
        app.wait_for(Screen::Briefing);
        assert_eq!(app.world().resource::<Selection>().seed, 42);
        play_from_briefing(&mut app, "test_call", prepared, choices);
        let last = app.world().resource::<LastResult>();
        assert!(last.classroom && last.saved.is_ok(), "{:?}", last.saved);
        let next_team = app.find::<NextTeamButton>(|_| true);
        app.press(next_team);
        app.wait_for(ClassroomScreen::Turn);
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
    let board = app.find::<LeaderboardButton>(|_| true);
    app.press(board);
    app.wait_for(ClassroomScreen::Board);
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
    let export = app.find::<ExportButton>(|_| true);
    app.press(export);
    app.wait_for(ClassroomScreen::Board);
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
    let end = app.find::<EndSessionButton>(|_| true);
    app.press(end);
    app.wait_for(ClassroomScreen::Sessions);
    let results = app.world().resource::<Results>();
    let sessions = results.with(|s| s.sessions()).unwrap();
    assert!(sessions[0].ended_at.is_some());
    // Everything, free practice included, from the session list.
    let export_all = app.find::<ExportAllButton>(|_| true);
    app.press(export_all);
    app.wait_for(ClassroomScreen::Sessions);
    let all: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("all-results-"))
        .collect();
    assert_eq!(all.len(), 2, "{all:?}");
    let resume = app.find::<ContinueSession>(|c| c.0 == sessions[0].id);
    app.press(resume);
    app.wait_for(ClassroomScreen::Turn);
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
    let mut app = headless(&dir, None, false);
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
    let mut app = headless(&fixture("base"), Some(&db), false);
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

#[test]
fn a_store_failure_during_classroom_play_is_shown_on_screen() {
    // A session with teams and a round, in a file the game may read but not write.
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("results.sqlite");
    let session = {
        let mut store = dunning_dojo::store::Store::open(&path).unwrap();
        store.set_pin("2468").unwrap();
        let id = store.create_session("Locked class").unwrap();
        store
            .add_team(Some(id), "Tigers", Some("Wang Fang"), &[])
            .unwrap();
        store.start_round(id, 7, &["test_call".to_owned()]).unwrap();
        id
    };
    let mut app = headless(&fixture("base"), None, false);
    let read_only = dunning_dojo::store::Store::open_read_only(&path).unwrap();
    app.insert_resource(Results::from_store(read_only, Some(path.clone())));
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    app.wait_for(Screen::Title);
    let classroom = app.find::<StartClassroom>(|_| true);
    app.press(classroom);
    app.wait_for(ClassroomScreen::Pin);
    type_pin(&mut app, "2468");
    app.wait_for(ClassroomScreen::Sessions);

    // Continuing reopens the session, a write: refused, and the trainer reads why.
    let cont = app.find::<ContinueSession>(|c| c.0 == session);
    app.press(cont);
    app.wait_for(ClassroomScreen::Sessions);
    app.update();
    let shown = texts_on_screen(&mut app);
    assert!(
        shown.contains("readonly"),
        "the store's error is on screen:\n{shown}"
    );

    // Reading still works: the leaderboard opens; ending the session is refused on screen.
    let review = app.find::<dunning_dojo::game::classroom::ReviewSession>(|r| r.0 == session);
    app.press(review);
    app.wait_for(ClassroomScreen::Board);
    assert!(
        !texts_on_screen(&mut app).contains("readonly"),
        "a read is not an error"
    );
    let end = app.find::<EndSessionButton>(|_| true);
    app.press(end);
    app.wait_for(ClassroomScreen::Board);
    app.update();
    let shown = texts_on_screen(&mut app);
    assert!(
        shown.contains("readonly"),
        "the refused end is on screen:\n{shown}"
    );
    assert_eq!(Place::current(app.world()), ClassroomScreen::Board);

    // A team's turn played on it: the debrief says the result was NOT saved, and why, and the
    // result is kept in a file beside the database.
    Place::from(ClassroomScreen::Turn).go(app.world_mut());
    app.wait_for(ClassroomScreen::Turn);
    let seat = app.find::<SeatButton>(|_| true);
    app.press(seat);
    app.wait_for(Screen::Briefing);
    play_from_briefing(
        &mut app,
        "test_call",
        &[],
        &["intro", "who_covers", "fix_date"],
    );
    let last = app.world().resource::<LastResult>();
    assert!(last.classroom, "played as the team's turn");
    let why = last
        .saved
        .clone()
        .expect_err("a read-only store saves nothing");
    assert!(why.contains("readonly"), "{why}");
    let shown = texts_on_screen(&mut app);
    assert!(shown.contains("NOT saved"), "the debrief says so:\n{shown}");
    let kept = std::fs::read_dir(data.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("dunning-dojo-unsaved-attempt")
        });
    assert!(kept, "the result is kept in a file beside the database");
}
