//! Scenario selection: a card per playable scenario with persona, company, channel, debt age,
//! difficulty and the trainee's best score so far.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use crate::domain::engine::session::default_trainee;
use crate::domain::engine::session::render_text;
use crate::game::content::ContentLibrary;
use crate::game::records::Results;
use crate::game::settings::Settings;
use crate::game::state::{Navigate, Screen, Selection, TraineeName};
use crate::game::theme::interaction::{Focusable, InitialFocus, InteractionPalette, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::ScenarioSelect), spawn_select_screen);
}

/// A scenario card; pressing it opens the briefing.
#[derive(Component, Debug, Clone)]
pub struct ScenarioCard(pub String);

fn spawn_select_screen(
    settings: Res<Settings>,
    content: Res<ContentLibrary>,
    results: Res<Results>,
    name: Res<TraineeName>,
    mut commands: Commands,
) {
    let s = settings.clone();
    // The cards show this trainee's bests, from every earlier run of the game.
    let who = if name.0.is_empty() {
        default_trainee(s.locale)
    } else {
        &name.0
    };
    let (bests, bests_error) = match results.best_scores(who) {
        Ok(bests) => (bests, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let root = commands
        .spawn((
            widget::ui_root("Scenario select screen"),
            DespawnOnExit(Screen::ScenarioSelect),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                s.t("选择练习场景", "Choose a scenario"),
                Screen::Title
            )],
        ))
        .id();
    if let Some(e) = bests_error {
        commands.entity(root).with_children(|p| {
            p.spawn(widget::colored(
                format!(
                    "{} {e}",
                    s.t(
                        "读不出你以前的成绩：",
                        "Your earlier scores could not be read:"
                    )
                ),
                0.95,
                palette::BAD,
            ));
        });
    }
    let list = commands.spawn(widget::scroll_area("Scenario cards")).id();
    commands.entity(root).add_child(list);
    let grid = commands
        .spawn((
            Name::new("Card grid"),
            Node {
                flex_direction: FlexDirection::Row,
                flex_wrap: FlexWrap::Wrap,
                column_gap: px(14),
                row_gap: px(14),
                ..default()
            },
        ))
        .id();
    commands.entity(list).add_child(grid);
    if content.library.scenarios.is_empty() {
        commands.entity(grid).with_children(|p| {
            p.spawn(widget::label(s.t(
                "没有可玩的场景。请查看“内容问题”。",
                "No playable scenarios. See “Content problems” on the title screen.",
            )));
        });
    }
    // Phone calls first, then visits; easy before hard; then by id.
    let mut playable: Vec<_> = content.library.scenarios.values().collect();
    playable.sort_by_key(|p| {
        let sc = &p.compiled.scenario;
        (sc.channel, sc.difficulty, sc.stage, sc.id.0.clone())
    });
    for (k, p) in playable.into_iter().enumerate() {
        let c = &p.compiled;
        let sc = &c.scenario;
        let r = |t| render_text(c, s.locale, "", t);
        let mine = bests.iter().find(|(id, _, _)| *id == sc.id.0);
        let best = match mine {
            Some((_, b, true)) => format!("{} {b:.1} ✓", s.t("最好成绩", "Best")),
            Some((_, b, false)) => format!("{} {b:.1}", s.t("最好成绩", "Best")),
            None => s.t("尚未练习", "Not played yet").to_owned(),
        };
        let best_color = match mine {
            Some((_, b, _)) => palette::score_color(*b),
            None => palette::MUTED,
        };
        let channel_color = match sc.channel {
            crate::domain::content::model::Channel::Phone => palette::PRIMARY,
            crate::domain::content::model::Channel::Visit => palette::DESK,
        };
        let id = sc.id.0.clone();
        let card = commands
            .spawn((
                Name::new(format!("Card {id}")),
                ScenarioCard(id.clone()),
                Button,
                Focusable,
                Node {
                    width: px(380),
                    flex_direction: FlexDirection::Column,
                    padding: UiRect::all(px(14)),
                    row_gap: px(6),
                    border_radius: BorderRadius::all(px(10)),
                    border: UiRect::left(px(6)),
                    ..default()
                },
                BorderColor::all(channel_color),
                Outline::new(px(3), px(2), Color::NONE),
                BackgroundColor(palette::PANEL),
                InteractionPalette {
                    none: palette::PANEL,
                    hovered: palette::PANEL_DARK,
                    pressed: palette::SECONDARY,
                },
                observe(open_briefing),
            ))
            .id();
        commands.entity(grid).add_child(card);
        if k == 0 {
            commands.entity(card).insert(InitialFocus);
        }
        commands.entity(card).with_children(|card| {
            card.spawn(widget::header(r(&sc.title)));
            card.spawn(widget::label(format!(
                "{} · {} · {}",
                r(&c.persona.name),
                r(&c.persona.role),
                r(&c.persona.company)
            )));
            card.spawn(widget::row("Tags")).with_children(|row| {
                row.spawn(widget::chip(sc.channel.label(s.locale), channel_color));
                row.spawn(widget::chip(sc.stage.label(s.locale), palette::CAUTION));
                row.spawn(widget::chip(sc.difficulty.label(s.locale), palette::MUTED));
                row.spawn(widget::chip(
                    c.persona.debtor_type.label(s.locale),
                    palette::PRIMARY,
                ));
                // The language the scenario plays in, where it is not the interface's: a zh-TW
                // trainee sees which scenarios offer 繁體中文 (the others play in zh-CN).
                let plays_in = s.locale.closest_in(&sc.locales);
                if plays_in != s.locale.interface() {
                    row.spawn(widget::chip(plays_in.native_name(), palette::GOOD));
                }
            });
            card.spawn(widget::colored(best, 0.95, best_color));
            if p.stale {
                card.spawn(widget::colored(
                    s.t(
                        "⚠ 文件有错误，正在使用上一个可用版本",
                        "⚠ The file has errors; this is its last good version",
                    ),
                    0.85,
                    palette::BAD,
                ));
            }
        });
    }
    commands.entity(root).with_children(|p| {
        p.spawn(widget::muted(s.t(
            "方向键选择，Enter 打开，Esc 返回。",
            "Arrows choose, Enter opens, Esc goes back.",
        )));
    });
}

fn open_briefing(
    press: On<Press>,
    cards: Query<&ScenarioCard>,
    mut selection: ResMut<Selection>,
    mut next: Navigate,
) {
    if let Ok(card) = cards.get(press.0) {
        if selection.scenario != card.0 {
            *selection = Selection {
                scenario: card.0.clone(),
                seed: 1,
                prepared: Vec::new(),
            };
        }
        next.to(Screen::Briefing);
    }
}
