//! Planning a round: which scenarios every team plays, and the one seed they all play with,
//! so every team faces the same debtor saying the same lines.

use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use super::Screen;
use crate::domain::engine::session::render_text;
use crate::game::classroom::{ActiveSession, ClassroomNotice, Standing};
use crate::game::content::ContentLibrary;
use crate::game::results::Results;
use crate::game::settings::Settings;
use crate::game::theme::interaction::{InitialFocus, Press, Selected};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<RoundDraft>();
    app.add_systems(OnEnter(Screen::ClassroomRound), spawn_round_screen);
}

/// The round being planned.
#[derive(Resource, Debug, Default)]
pub struct RoundDraft {
    /// Scenario ids picked, in the order picked.
    pub scenarios: Vec<String>,
}

/// A scenario toggle.
#[derive(Component, Debug, Clone)]
pub struct RoundScenario(pub String);

/// The seed field.
#[derive(Component, Debug)]
pub struct RoundSeedField;

/// Starts the round.
#[derive(Component, Debug)]
pub struct StartRoundButton;

fn spawn_round_screen(
    settings: Res<Settings>,
    results: Res<Results>,
    content: Res<ContentLibrary>,
    session: Option<Res<ActiveSession>>,
    mut draft: ResMut<RoundDraft>,
    mut notice: ResMut<ClassroomNotice>,
    time: Res<Time<Real>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
) {
    let Some(session) = session else {
        next.set(Screen::ClassroomSessions);
        return;
    };
    let s = settings.clone();
    let (standing, standing_error) = match Standing::load(&results, session.id) {
        Ok(standing) => (standing, None),
        Err(e) => (Standing::default(), Some(e)),
    };
    // Drop picks that are no longer playable (content may have changed).
    draft
        .scenarios
        .retain(|id| content.library.scenario(id).is_some());
    // A fresh seed per round: from the clock, so two rounds do not read alike.
    let seed = (crate::store::now().as_millisecond() as u64 ^ time.elapsed().as_nanos() as u64)
        % 1_000_000;
    let number = standing.rounds + 1;
    let root = commands
        .spawn(super::classroom_root(
            &s,
            "Classroom round screen",
            Screen::ClassroomRound,
            format!(
                "{} · {}{number}{}",
                session.name,
                s.t("第", "Round "),
                s.t("轮安排", " plan")
            ),
        ))
        .id();
    if let Some(e) = standing_error {
        commands.entity(root).with_children(|p| {
            p.spawn(widget::colored(
                format!(
                    "{} {e}",
                    s.t(
                        "读不出本场的成绩：",
                        "The session's results could not be read:"
                    )
                ),
                0.95,
                palette::BAD,
            ));
        });
    }
    commands.entity(root).with_children(|p| {
        p.spawn(widget::muted(s.t(
            "选一个或几个场景；每队按顺序轮流上场，所有队用同一个随机种子，面对同样的对方。",
            "Pick one or more scenarios. Teams take turns; every team plays with the same seed, so they face the same debtor.",
        )));
        if let Some(n) = notice.0.take() {
            p.spawn(widget::colored(n, 1.0, palette::BAD));
        }
    });
    let seed_row = commands.spawn(widget::row("Seed")).id();
    commands.entity(root).add_child(seed_row);
    commands.entity(seed_row).with_children(|r| {
        r.spawn(widget::label(s.t("本轮种子", "Seed for the round")));
    });
    let field = commands
        .spawn((
            RoundSeedField,
            widget::text_field(&seed.to_string(), 200.0, 1.0),
        ))
        .id();
    commands.entity(seed_row).add_child(field);
    commands.entity(seed_row).with_children(|r| {
        r.spawn((
            StartRoundButton,
            InitialFocus,
            widget::button_primary(s.t("开始这一轮", "Start the round")),
            observe(start_round),
        ));
    });
    let list = commands.spawn(widget::scroll_area("Scenario picks")).id();
    commands.entity(root).add_child(list);
    let mut playable: Vec<_> = content.library.scenarios.values().collect();
    playable.sort_by_key(|p| {
        let sc = &p.compiled.scenario;
        (sc.channel, sc.difficulty, sc.stage, sc.id.0.clone())
    });
    commands.entity(list).with_children(|p| {
        for pl in playable {
            let c = &pl.compiled;
            let sc = &c.scenario;
            let id = sc.id.0.clone();
            let picked = draft.scenarios.contains(&id);
            let line = format!(
                "{} · {} · {} · {}",
                render_text(c, s.locale, "", &sc.title),
                sc.channel.label(s.zh()),
                sc.stage.label(s.zh()),
                sc.difficulty.label(s.zh()),
            );
            p.spawn((
                RoundScenario(id),
                Selected(picked),
                widget::option_button(line, picked),
                observe(toggle_scenario),
            ));
        }
    });
}

fn toggle_scenario(
    press: On<Press>,
    mut toggles: Query<(&RoundScenario, &mut Selected)>,
    mut draft: ResMut<RoundDraft>,
) {
    let Ok((RoundScenario(id), mut selected)) = toggles.get_mut(press.0) else {
        return;
    };
    if let Some(i) = draft.scenarios.iter().position(|x| x == id) {
        draft.scenarios.remove(i);
    } else {
        draft.scenarios.push(id.clone());
    }
    selected.set_if_neq(Selected(draft.scenarios.contains(id)));
}

fn start_round(
    _: On<Press>,
    settings: Res<Settings>,
    field: Query<&EditableText, With<RoundSeedField>>,
    results: Res<Results>,
    session: Res<ActiveSession>,
    mut draft: ResMut<RoundDraft>,
    mut notice: ResMut<ClassroomNotice>,
    mut next: ResMut<NextState<Screen>>,
) {
    let typed = field
        .single()
        .map(|f| f.value().to_string())
        .unwrap_or_default();
    let Ok(seed) = typed.trim().parse::<u64>() else {
        notice.0 = Some(
            settings
                .t(
                    "种子要填一个非负整数。",
                    "The seed is a whole number, 0 or more.",
                )
                .into(),
        );
        next.set(Screen::ClassroomRound);
        return;
    };
    if draft.scenarios.is_empty() {
        notice.0 = Some(
            settings
                .t("至少选一个场景。", "Pick at least one scenario.")
                .into(),
        );
        next.set(Screen::ClassroomRound);
        return;
    }
    match results.with(|st| st.start_round(session.id, seed, &draft.scenarios)) {
        Ok(_) => {
            draft.scenarios.clear();
            next.set(Screen::ClassroomTurn);
        }
        Err(e) => {
            notice.0 = Some(e);
            next.set(Screen::ClassroomRound);
        }
    }
}
