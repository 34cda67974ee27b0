//! The content-errors panel: every problem in the content files, located and explained, so a
//! trainer editing a file can fix it while the game runs (the list refreshes on save).

use bevy::prelude::*;

use crate::domain::diagnostics::Level;
use crate::game::content::ContentLibrary;
use crate::game::settings::Settings;
use crate::game::state::Screen;
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::ContentErrors), spawn_errors_screen);
}

/// One diagnostic shown on the panel.
#[derive(Component, Debug, Clone)]
pub struct DiagnosticEntry(pub String);

fn spawn_errors_screen(
    settings: Res<Settings>,
    content: Res<ContentLibrary>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let lib = &content.library;
    let (errors, warnings) = lib.tally();
    let root = commands
        .spawn((
            widget::ui_root("Content errors screen"),
            DespawnOnExit(Screen::ContentErrors),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                s.t("内容问题", "Content problems"),
                Screen::Title
            )],
        ))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widget::label(format!(
            "{errors} {} · {warnings} {} · {} {}",
            s.t("个错误", "error(s)"),
            s.t("个警告", "warning(s)"),
            lib.scenarios.len(),
            s.t(
                "个场景可玩。保存文件后这里会自动刷新。",
                "scenario(s) playable. Saving a file refreshes this list."
            ),
        )));
    });
    let list = commands.spawn(widget::scroll_area("Diagnostics")).id();
    commands.entity(root).add_child(list);
    commands.entity(list).with_children(|p| {
        if lib.diagnostics.is_empty() {
            p.spawn(widget::colored(
                s.t(
                    "✓ 所有内容文件都没有问题。",
                    "✓ Every content file checks out.",
                ),
                1.1,
                palette::GOOD,
            ));
        }
        for d in &lib.diagnostics {
            let color = match d.level {
                Level::Error => palette::BAD,
                Level::Warning => palette::CAUTION,
            };
            let snippet = d.render(lib.sources.get(&d.path).map_or("", String::as_str));
            p.spawn((
                DiagnosticEntry(d.headline()),
                widget::note("Diagnostic", color),
            ))
            .with_children(|e| {
                e.spawn(widget::colored(d.headline(), 0.95, color));
                // The located snippet, as `lint` prints it, minus the headline already shown.
                let rest: String = snippet.lines().skip(1).collect::<Vec<_>>().join("\n");
                e.spawn(widget::colored(rest, 0.8, palette::TEXT));
            });
        }
    });
}
