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
use dunning_dojo::domain::text::Locale;
use dunning_dojo::game::content::ContentLibrary;
use dunning_dojo::game::conversation::{Conversation, LastResult};
use dunning_dojo::game::screens::{ChoiceButton, ScenarioCard, Screen, StartPractising};
use dunning_dojo::game::settings::Settings;
use dunning_dojo::game::theme::interaction::Press;

use crate::support::fixture;

/// A headless game over the content in `dir`.
fn app(dir: &Path) -> App {
    let mut app = App::new();
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
    let lib = dunning_dojo::domain::content::Library::load(&[dir]);
    let c = lib.scenario("test_call").unwrap();
    let setup = Setup {
        prepared: vec!["statement".into()],
        trainee: None,
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
