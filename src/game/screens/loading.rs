//! The loading screen: shown until the content folder has been read once.

use bevy::prelude::*;

use crate::game::content::ContentLibrary;
use crate::game::state::{AppSystems, Navigate, Screen};
use crate::game::theme::widget;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Loading), spawn_loading_screen);
    app.add_systems(
        Update,
        continue_when_loaded
            .run_if(in_state(Screen::Loading))
            .in_set(AppSystems::Act),
    );
}

fn spawn_loading_screen(mut commands: Commands) {
    commands.spawn((
        widget::ui_root("Loading screen"),
        DespawnOnExit(Screen::Loading),
        children![widget::header("正在载入内容… Loading content…")],
    ));
}

fn continue_when_loaded(content: Res<ContentLibrary>, mut next: Navigate) {
    if content.ready {
        next.to(Screen::Title);
    }
}
