//! Headless game Apps for tests, driven like the real-window run: [`AppExt`] steps frames,
//! presses widgets and keys through the game's own scripted driver (`game::scripted`), so the
//! key synthesis and the scripts live in one place.

use std::path::Path;
use std::time::Duration;

use bevy::input::InputPlugin;
use bevy::input_focus::InputFocusPlugin;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use dunning_dojo::game::records::ResultsPath;
use dunning_dojo::game::scripted::{Action, ScriptRun, keyboard_input};
use dunning_dojo::game::state::Place;
use dunning_dojo::game::theme::interaction::Press;

/// A headless game over the content in `dir`: no window, no GPU; results in the file `db`
/// when given, else in memory. `watch` turns on file watching (hot reload).
pub fn headless(dir: &Path, db: Option<&Path>, watch: bool) -> App {
    let mut app = App::new();
    app.insert_resource(ResultsPath(db.map(Path::to_path_buf)));
    app.add_plugins(MinimalPlugins);
    dunning_dojo::game::register_content_source(&mut app, dir);
    app.add_plugins((
        AssetPlugin {
            watch_for_changes_override: Some(watch),
            ..default()
        },
        StatesPlugin,
        InputPlugin,
        InputFocusPlugin,
    ));
    app.add_plugins(dunning_dojo::game::plugin);
    app
}

/// Frame stepping and input for a headless game App.
pub trait AppExt {
    /// Runs frames until `done` holds, failing with `what` after a bounded number of frames.
    fn run_until(&mut self, what: &str, done: impl FnMut(&mut World) -> bool);
    /// Runs frames until `place` shows, and one more so its widgets exist and focus settles.
    fn wait_for(&mut self, place: impl Into<Place>);
    /// The first entity with a `C` that `matches`; fails when there is none.
    fn find<C: Component>(&mut self, matches: impl Fn(&C) -> bool) -> Entity;
    /// Presses a widget, as a click would, and runs a frame.
    fn press(&mut self, entity: Entity);
    /// Presses and releases a key through the keyboard messages, as winit would.
    fn key(&mut self, code: KeyCode);
    /// Runs a script with the game's scripted driver to its end; `Err` says why it stopped.
    fn run_script(&mut self, actions: Vec<Action>) -> Result<(), String>;
}

impl AppExt for App {
    fn run_until(&mut self, what: &str, mut done: impl FnMut(&mut World) -> bool) {
        for _ in 0..400 {
            self.update();
            if done(self.world_mut()) {
                return;
            }
            // Asset loading happens on other threads; give it a moment.
            std::thread::sleep(Duration::from_millis(2));
        }
        panic!(
            "timed out waiting for {what}; the screen is {:?}",
            Place::current(self.world())
        );
    }

    fn wait_for(&mut self, place: impl Into<Place>) {
        let want = place.into();
        self.run_until(&format!("{want:?}"), |w| Place::current(w) == want);
        self.update();
    }

    fn find<C: Component>(&mut self, matches: impl Fn(&C) -> bool) -> Entity {
        let world = self.world_mut();
        let mut q = world.query::<(Entity, &C)>();
        q.iter(world)
            .find(|(_, c)| matches(c))
            .map(|(e, _)| e)
            .unwrap_or_else(|| panic!("no {} on screen", std::any::type_name::<C>()))
    }

    fn press(&mut self, entity: Entity) {
        self.world_mut().trigger(Press(entity));
        self.update();
    }

    fn key(&mut self, code: KeyCode) {
        let window = self.world_mut().spawn_empty().id();
        for pressed in [true, false] {
            self.world_mut()
                .write_message(keyboard_input(code, pressed, window));
            self.update();
        }
        self.update();
    }

    fn run_script(&mut self, actions: Vec<Action>) -> Result<(), String> {
        self.insert_resource(ScriptRun::new(actions, None, false));
        // Bounded: every action waits a few frames at most, screens come within a few more.
        for _ in 0..20_000 {
            self.update();
            if let Some(outcome) = &self.world().resource::<ScriptRun>().outcome {
                let outcome = outcome.clone();
                self.world_mut().remove_resource::<ScriptRun>();
                return outcome;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        Err(format!(
            "the script did not end; the screen is {:?}",
            Place::current(self.world())
        ))
    }
}

/// Every text on screen, joined.
pub fn texts_on_screen(app: &mut App) -> String {
    let world = app.world_mut();
    let mut q = world.query::<&Text>();
    q.iter(world)
        .map(|t| t.0.clone())
        .collect::<Vec<_>>()
        .join("\n")
}
