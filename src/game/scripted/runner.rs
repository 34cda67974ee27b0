//! The runner: one system that runs a script's actions one at a time, through the same
//! [`Press`] events and keyboard messages a player produces, with a stall limit, and ends the
//! run (and the app, when asked) once the screenshots are written.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::text::EditableText;
use bevy::window::PrimaryWindow;

use crate::game::input::numeral_keys;
use crate::game::records::{LastQuiz, LastResult};
use crate::game::state::{AppSystems, Place};
use crate::game::theme::interaction::Press;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        run_script
            .run_if(resource_exists::<ScriptRun>)
            .in_set(AppSystems::ReadInput),
    );
}

/// Frames to wait after each action (the screen reacts, focus settles).
pub const STEP_FRAMES: u32 = 4;
/// Frames to wait before a screenshot (layout, glyphs and pipelines).
pub const SETTLE_FRAMES: u32 = 45;
/// Give up on screenshots that never arrive (a broken renderer) after this many frames.
const CAPTURE_TIMEOUT_FRAMES: u32 = 600;
/// How long a script may wait at one action: a screen that never comes (a quiz with no
/// question banks, a button that is not there) ends the run with an error, never hangs it.
const STALL_LIMIT: Duration = Duration::from_secs(90);

/// Finds the widget an action is about, in the world as it is when the action runs.
#[derive(Clone)]
pub struct Target {
    what: String,
    find: Arc<dyn Fn(&mut World) -> Option<Entity> + Send + Sync>,
}

impl Target {
    /// The first entity with component `C`.
    pub fn of<C: Component>() -> Target {
        Target::matching::<C>(|_| true)
    }

    /// The first entity found by `find`, called `what` in messages.
    pub fn custom(
        what: &str,
        find: impl Fn(&mut World) -> Option<Entity> + Send + Sync + 'static,
    ) -> Target {
        Target {
            what: what.to_owned(),
            find: Arc::new(find),
        }
    }

    /// The first entity whose `C` satisfies `matches`.
    pub fn matching<C: Component>(matches: impl Fn(&C) -> bool + Send + Sync + 'static) -> Target {
        Target {
            what: short_type_name::<C>(),
            find: Arc::new(move |world: &mut World| {
                let mut q = world.query::<(Entity, &C)>();
                q.iter(world).find(|(_, c)| matches(c)).map(|(e, _)| e)
            }),
        }
    }

    /// The entity, if it is there now.
    pub fn find(&self, world: &mut World) -> Option<Entity> {
        (self.find)(world)
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)
    }
}

fn short_type_name<C>() -> String {
    std::any::type_name::<C>()
        .rsplit("::")
        .next()
        .unwrap_or("widget")
        .to_owned()
}

/// An action computed when it runs, from what the screen shows then (which number a choice
/// has, whether a quiz is reviewing an answer): it returns the actions to run next.
pub type Expand = Arc<dyn Fn(&mut World) -> Result<Vec<Action>, String> + Send + Sync>;

/// One step of a script.
#[derive(Clone)]
pub enum Action {
    /// Wait until this screen shows.
    Until(Place),
    /// Wait this many frames.
    Settle(u32),
    /// Press a widget, as a click or Enter on it would.
    Press(Target),
    /// Press and release a key on the keyboard.
    Key(KeyCode),
    /// Replace the text of a field.
    Type(Target, String),
    /// Save a PNG of the window under this name (when screenshots are asked for).
    Shot(String),
    /// Work out the next actions from what is on screen now (named for messages).
    Then(String, Expand),
    /// Write the last conversation's result JSON here.
    WriteResult(PathBuf),
    /// Write the last quiz's result JSON here.
    WriteQuizResult(PathBuf),
    /// Write the finished campaign's result JSON here.
    WriteCampaignResult(PathBuf),
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Until(p) => write!(f, "wait for {p:?}"),
            Action::Settle(n) => write!(f, "settle {n} frames"),
            Action::Press(t) => write!(f, "press {t:?}"),
            Action::Key(k) => write!(f, "key {k:?}"),
            Action::Type(t, s) => write!(f, "type {s:?} into {t:?}"),
            Action::Shot(n) => write!(f, "screenshot {n}"),
            Action::Then(what, _) => f.write_str(what),
            Action::WriteResult(p) => write!(f, "write the result to {}", p.display()),
            Action::WriteQuizResult(p) => write!(f, "write the quiz result to {}", p.display()),
            Action::WriteCampaignResult(p) => {
                write!(f, "write the campaign result to {}", p.display())
            }
        }
    }
}

impl Action {
    /// `Then` with a name for messages.
    pub fn then(
        what: impl Into<String>,
        f: impl Fn(&mut World) -> Result<Vec<Action>, String> + Send + Sync + 'static,
    ) -> Action {
        Action::Then(what.into(), Arc::new(f))
    }

    /// Shows `place`, as the game's own navigation would (for steps a player takes outside
    /// the script, such as going back to the title between parts).
    pub fn go(place: impl Into<Place>) -> Action {
        let place = place.into();
        Action::then(format!("go to {place:?}"), move |world| {
            place.go(world);
            Ok(vec![Action::Until(place)])
        })
    }
}

/// A script being run, and how it ends.
#[derive(Resource)]
pub struct ScriptRun {
    actions: VecDeque<Action>,
    wait: u32,
    key_up: Option<KeyCode>,
    keyboard: Option<Entity>,
    screenshots: Option<PathBuf>,
    requested: u32,
    captured: Arc<AtomicU32>,
    capture_frames: u32,
    exit: bool,
    since: Option<Duration>,
    /// How it ended: `Ok` when every action ran, or why it stopped.
    pub outcome: Option<Result<(), String>>,
}

impl ScriptRun {
    /// Runs `actions`; PNGs go to `screenshots` when given; the app exits at the end when
    /// `exit` is set (with an error status if the script failed).
    pub fn new(actions: Vec<Action>, screenshots: Option<PathBuf>, exit: bool) -> ScriptRun {
        ScriptRun {
            actions: actions.into(),
            wait: 0,
            key_up: None,
            keyboard: None,
            screenshots,
            requested: 0,
            captured: Arc::new(AtomicU32::new(0)),
            capture_frames: 0,
            exit,
            since: None,
            outcome: None,
        }
    }

    /// Whether the script has ended (done or failed).
    pub fn ended(&self) -> bool {
        self.outcome.is_some()
    }
}

/// The message winit sends for `key` going down (`pressed`) or up, in `window`.
pub fn keyboard_input(key: KeyCode, pressed: bool, window: Entity) -> KeyboardInput {
    let character = key_character(key).filter(|_| pressed);
    KeyboardInput {
        key_code: key,
        logical_key: match (key, &character) {
            (_, Some(c)) => Key::Character(c.as_str().into()),
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

/// The text a key types, for the keys scripts press.
fn key_character(key: KeyCode) -> Option<String> {
    if let Some(d) = (0..10).find(|&d| numeral_keys(d).is_some_and(|(top, _)| top == key)) {
        return Some(d.to_string());
    }
    let name = format!("{key:?}");
    name.strip_prefix("Key")
        .filter(|l| l.len() == 1)
        .map(str::to_ascii_lowercase)
}

/// The entity keyboard messages name as their window: the real window, or a stand-in in a
/// headless App.
fn keyboard_window(world: &mut World) -> Entity {
    let mut windows = world.query_filtered::<Entity, With<PrimaryWindow>>();
    if let Some(w) = windows.iter(world).next() {
        return w;
    }
    if let Some(e) = world.resource::<ScriptRun>().keyboard {
        return e;
    }
    let e = world.spawn(Name::new("Scripted keyboard")).id();
    world.resource_mut::<ScriptRun>().keyboard = Some(e);
    e
}

/// Runs the script's next action when its wait is over.
fn run_script(world: &mut World) {
    if world.resource::<ScriptRun>().ended() {
        return;
    }
    let window = keyboard_window(world);
    if let Some(key) = world.resource_mut::<ScriptRun>().key_up.take() {
        world.write_message(keyboard_input(key, false, window));
    }
    {
        let mut run = world.resource_mut::<ScriptRun>();
        if run.wait > 0 {
            run.wait -= 1;
            return;
        }
    }
    let now = world.resource::<Time<Real>>().elapsed();
    let Some(action) = world.resource_mut::<ScriptRun>().actions.pop_front() else {
        finish(world);
        return;
    };
    match step(world, &action, window) {
        Ok(Some(wait)) => {
            // DOJO_SCRIPT_TRACE=1 lists each action as it is done (to see where a script stalls).
            if std::env::var_os("DOJO_SCRIPT_TRACE").is_some() {
                eprintln!("script: {action:?}");
            }
            let mut run = world.resource_mut::<ScriptRun>();
            run.wait = wait;
            run.since = None;
        }
        // Not yet: the action stays first, within the stall limit.
        Ok(None) => {
            let mut run = world.resource_mut::<ScriptRun>();
            run.actions.push_front(action.clone());
            let since = *run.since.get_or_insert(now);
            if now.saturating_sub(since) > STALL_LIMIT {
                let here = Place::current(world);
                fail(
                    world,
                    format!(
                        "stuck for {} s at `{action:?}` on {here:?} (is that screen reachable with this content?)",
                        STALL_LIMIT.as_secs()
                    ),
                );
            }
        }
        Err(why) => fail(world, format!("`{action:?}`: {why}")),
    }
}

/// Runs one action: `Ok(Some(frames))` when it is done (wait that long before the next),
/// `Ok(None)` when it must wait, `Err` when it cannot be done.
fn step(world: &mut World, action: &Action, window: Entity) -> Result<Option<u32>, String> {
    match action {
        Action::Until(place) => Ok((Place::current(world) == *place).then_some(1)),
        Action::Settle(n) => Ok(Some(*n)),
        Action::Press(target) => {
            let e = target
                .find(world)
                .ok_or_else(|| format!("no {target:?} on {:?}", Place::current(world)))?;
            world.trigger(Press(e));
            Ok(Some(STEP_FRAMES))
        }
        Action::Key(key) => {
            world.write_message(keyboard_input(*key, true, window));
            world.resource_mut::<ScriptRun>().key_up = Some(*key);
            Ok(Some(STEP_FRAMES))
        }
        Action::Type(target, text) => {
            let e = target
                .find(world)
                .ok_or_else(|| format!("no {target:?} on {:?}", Place::current(world)))?;
            let mut field = world
                .get_mut::<EditableText>(e)
                .ok_or_else(|| format!("{target:?} is not a text field"))?;
            field.editor_mut().set_text(text);
            Ok(Some(STEP_FRAMES))
        }
        Action::Shot(name) => {
            shoot(world, name);
            Ok(Some(STEP_FRAMES))
        }
        Action::Then(_, expand) => {
            let next = expand(world)?;
            // What it expands to runs next, before the rest of the script.
            let mut run = world.resource_mut::<ScriptRun>();
            for a in next.into_iter().rev() {
                run.actions.push_front(a);
            }
            Ok(Some(0))
        }
        Action::WriteResult(path) => {
            let last = world
                .get_resource::<LastResult>()
                .ok_or("no conversation has ended")?;
            write_json(path, &last.result)
        }
        Action::WriteQuizResult(path) => {
            let last = world
                .get_resource::<LastQuiz>()
                .ok_or("no quiz has been finished")?;
            write_json(path, &last.result)
        }
        Action::WriteCampaignResult(path) => {
            let result = world
                .get_resource::<crate::game::campaign::ActiveDesk>()
                .and_then(|a| a.desk.result())
                .ok_or("no campaign has been finished")?;
            write_json(path, &result)
        }
    }
}

fn write_json(
    path: &std::path::Path,
    value: &impl serde::Serialize,
) -> Result<Option<u32>, String> {
    let json = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    std::fs::write(path, json + "\n")
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(STEP_FRAMES))
}

fn shoot(world: &mut World, name: &str) {
    let Some(dir) = world.resource::<ScriptRun>().screenshots.clone() else {
        return;
    };
    let counter = world.resource::<ScriptRun>().captured.clone();
    world.resource_mut::<ScriptRun>().requested += 1;
    world
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(dir.join(name)))
        .observe(move |_: On<ScreenshotCaptured>| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
}

/// Every action ran: wait for the screenshots to be written, then end (and exit if asked).
fn finish(world: &mut World) {
    let mut run = world.resource_mut::<ScriptRun>();
    let captured = run.captured.load(Ordering::SeqCst);
    let all_there = captured >= run.requested;
    if !all_there && run.capture_frames < CAPTURE_TIMEOUT_FRAMES {
        run.capture_frames += 1;
        return;
    }
    let outcome = if all_there {
        info!("script: done");
        Ok(())
    } else {
        Err(format!(
            "only {captured} of {} screenshots arrived",
            run.requested
        ))
    };
    if let Err(e) = &outcome {
        error!("script: {e}");
    }
    let exit = run.exit;
    let ok = outcome.is_ok();
    run.outcome = Some(outcome);
    if exit {
        world.write_message(if ok {
            AppExit::Success
        } else {
            AppExit::error()
        });
    }
}

fn fail(world: &mut World, why: String) {
    error!("script stopped: {why}");
    let mut run = world.resource_mut::<ScriptRun>();
    run.actions.clear();
    let exit = run.exit;
    run.outcome = Some(Err(why));
    if exit {
        world.write_message(AppExit::error());
    }
}
