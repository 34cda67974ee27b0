//! The game window: a thin Bevy layer over [`crate::domain`]. Screens present state and forward
//! input; the [`practice`] adapter owns the domain session; scoring, branching and content
//! loading all happen in the domain.

pub mod campaign;
pub mod chrome;
pub mod classroom;
pub mod cmi5;
pub mod content;
pub mod input;
pub mod lrs;
pub mod practice;
pub mod quiz;
pub mod records;
pub mod screens;
#[cfg(feature = "scripted")]
pub mod scripted;
pub mod settings;
pub mod state;
pub mod theme;

pub use state::{AppSystems, GameOptions};

use std::thread::JoinHandle;

use bevy::asset::io::AssetSourceBuilder;
use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy::winit::WinitSettings;

/// The game's own plugins, without window or rendering: what headless tests run.
pub fn plugin(app: &mut App) {
    app.configure_sets(
        Update,
        (AppSystems::ReadInput, AppSystems::Act, AppSystems::Present).chain(),
    );
    app.add_plugins((
        state::plugin,
        theme::plugin,
        chrome::plugin,
        settings::plugin,
        content::plugin,
        records::plugin,
        lrs::plugin,
        cmi5::plugin,
        campaign::plugin,
        classroom::plugin,
        practice::plugin,
        quiz::plugin,
        input::plugin,
        screens::plugin,
    ));
    #[cfg(feature = "scripted")]
    app.add_plugins(scripted::plugin);
}

/// Registers the content folder as the `dialogues://` asset source (hot-reloaded). Must run
/// before `AssetPlugin` is added.
pub fn register_content_source(app: &mut App, dir: &std::path::Path) {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    app.insert_resource(content::ContentDir(dir.clone()));
    let dir = dir.to_string_lossy().into_owned();
    app.register_asset_source(
        content::SOURCE,
        AssetSourceBuilder::platform_default(&dir, None),
    );
}

/// Opens the window and runs the game until it is closed; `extra` adds to the app last (a
/// scripted run).
pub fn run(options: GameOptions, extra: impl FnOnce(&mut App)) -> AppExit {
    let mut app = App::new();
    register_content_source(&mut app, &options.content_dir);
    let title = "催款道场 Dunning Dojo".to_owned();
    app.add_plugins(
        DefaultPlugins
            .set(AssetPlugin {
                watch_for_changes_override: Some(true),
                ..default()
            })
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title,
                    resolution: WindowResolution::new(1280, 800),
                    resizable: true,
                    ime_enabled: true,
                    ..default()
                }),
                ..default()
            }),
    );
    // A desktop app, not a spinning loop: redraw on input or change only. A scripted run needs
    // every frame to advance on its own.
    app.insert_resource(if options.continuous {
        WinitSettings::game()
    } else {
        WinitSettings::desktop_app()
    });
    app.insert_resource(records::ResultsPath(Some(options.db.clone())));
    app.insert_resource(options);
    app.insert_resource(ClearColor(theme::palette::BACKGROUND));
    app.add_systems(Startup, spawn_camera);
    app.add_plugins(plugin);
    extra(&mut app);
    app.run()
}

/// What the background thread in `slot` returned, once it has finished (the slot is then
/// empty); `None` while it runs or when there is none. Systems poll it every frame rather than
/// wait on the thread.
pub(crate) fn finished<T>(slot: &mut Option<JoinHandle<T>>) -> Option<std::thread::Result<T>> {
    if !slot.as_ref().is_some_and(JoinHandle::is_finished) {
        return None;
    }
    slot.take().map(JoinHandle::join)
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn((Name::new("Camera"), Camera2d));
}
