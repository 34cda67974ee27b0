//! Planning a round: which scenarios every team plays, and the one seed they all play with,
//! so every team faces the same debtor saying the same lines.

use bevy::prelude::*;
use bevy::text::EditableText;
use bevy::ui_widgets::observe;

use super::actions::{ClassroomAction, ClassroomStore};
use super::desk::{ActiveSession, ClassroomNotice, RoundDraft, Standing};
use crate::domain::engine::session::render_text;
use crate::game::content::ContentLibrary;
use crate::game::settings::Settings;
use crate::game::state::ClassroomScreen;
use crate::game::theme::interaction::{InitialFocus, Press, Selected};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(ClassroomScreen::Round),
        (spawn_round_screen).run_if(resource_exists::<ActiveSession>),
    );
}

/// A scenario toggle.
#[derive(Component, Debug, Clone)]
pub struct RoundScenario(pub String);

/// Starts a campaign round of this campaign.
#[derive(Component, Debug, Clone)]
pub struct RoundCampaign(pub String);

/// The seed field.
#[derive(Component, Debug)]
pub struct RoundSeedField;

/// Starts the round.
#[derive(Component, Debug)]
pub struct StartRoundButton;

fn spawn_round_screen(
    settings: Res<Settings>,
    store: ClassroomStore,
    content: Res<ContentLibrary>,
    session: Res<ActiveSession>,
    mut draft: ResMut<RoundDraft>,
    mut notice: ResMut<ClassroomNotice>,
    time: Res<Time<Real>>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let (standing, standing_error) = match store.standing(session.id) {
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
        .spawn(super::desk::classroom_root(
            &s,
            "Classroom round screen",
            ClassroomScreen::Round,
            format!(
                "{} · {}{number}{}",
                session.name,
                s.t("第", "Round "),
                s.t("轮安排", " plan")
            ),
        ))
        .id();
    if let Some(e) = standing_error {
        commands
            .entity(root)
            .with_child(super::desk::unreadable(&s, &e));
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
    // Or a campaign round: every team works the same desk for the same weeks.
    let campaigns = commands.spawn(widget::row("Campaign rounds")).id();
    commands.entity(root).add_child(campaigns);
    commands.entity(campaigns).with_children(|r| {
        r.spawn(widget::label(s.t(
            "或者来一轮催收战役（每队用同一个种子做同一个战役）：",
            "Or a campaign round (every team works the same campaign with the same seed):",
        )));
    });
    let mut list: Vec<_> = content.library.campaigns.values().collect();
    list.sort_by_key(|c| (c.difficulty, c.weeks, c.id.0.clone()));
    for c in list {
        let button = commands
            .spawn((
                RoundCampaign(c.id.0.clone()),
                widget::button_secondary(format!(
                    "{} · {} {}",
                    c.title.resolve(s.locale),
                    c.weeks,
                    s.t("周", "weeks")
                )),
                observe(start_campaign_round),
            ))
            .id();
        commands.entity(campaigns).add_child(button);
    }
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
                sc.channel.label(s.locale),
                sc.stage.label(s.locale),
                sc.difficulty.label(s.locale),
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
    field: Query<&EditableText, With<RoundSeedField>>,
    mut commands: Commands,
) {
    let typed = field
        .single()
        .map_or_else(|_| String::new(), |f| f.value().to_string());
    commands.trigger(ClassroomAction::StartRound(typed));
}

fn start_campaign_round(
    press: On<Press>,
    buttons: Query<&RoundCampaign>,
    field: Query<&EditableText, With<RoundSeedField>>,
    mut commands: Commands,
) {
    let Ok(RoundCampaign(campaign)) = buttons.get(press.0) else {
        return;
    };
    let seed = field
        .single()
        .map_or_else(|_| String::new(), |f| f.value().to_string());
    commands.trigger(ClassroomAction::StartCampaignRound {
        campaign: campaign.clone(),
        seed,
    });
}
