//! The briefing: who the debtor is, the facts of the debt, what to learn, and the preparation
//! checklist (what the trainee prepares unlocks lines in the conversation).

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::StartConversation;
use crate::domain::content::model::course_citation;
use crate::domain::engine::format;
use crate::domain::engine::session::render_text;
use crate::game::content::ContentLibrary;
use crate::game::input::digit_key;
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, Navigate, PlayContext, Screen, Selection, TraineeName};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press, Selected};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Briefing), spawn_briefing_screen);
    app.add_systems(
        Update,
        redraw_preparation
            .in_set(AppSystems::Present)
            .run_if(in_state(Screen::Briefing)),
    );
}

/// A preparation checkbox for the item with this id.
#[derive(Component, Debug, Clone)]
pub struct PrepToggle(pub String);

/// The "prepared n/m" counter.
#[derive(Component, Debug)]
pub struct PrepCount {
    budget: usize,
}

/// The button that starts the conversation.
#[derive(Component, Debug)]
pub struct StartButton;

fn spawn_briefing_screen(
    settings: Res<Settings>,
    content: Res<ContentLibrary>,
    mut selection: ResMut<Selection>,
    name: Res<TraineeName>,
    context: Res<PlayContext>,
    mut next: Navigate,
    mut commands: Commands,
) {
    let back_to = context.home();
    let Some(c) = content.library.scenario(&selection.scenario).cloned() else {
        next.to(Screen::ScenarioSelect);
        return;
    };
    let s = settings.clone();
    let trainee = if name.0.is_empty() {
        crate::domain::engine::session::default_trainee(s.locale).to_owned()
    } else {
        name.0.clone()
    };
    let r = |t| render_text(&c, s.locale, &trainee, t);
    let sc = &c.scenario;
    let persona = &c.persona;
    let debt = &persona.debt;
    // Drop preparation that no longer exists (the file may have changed).
    selection
        .prepared
        .retain(|id| sc.preparation.items.iter().any(|i| i.id.0 == *id));
    let budget = sc
        .preparation
        .budget
        .map_or(sc.preparation.items.len(), |b| b as usize);

    let root = commands
        .spawn((
            widget::ui_root("Briefing screen"),
            DespawnOnExit(Screen::Briefing),
            children![crate::game::chrome::top_bar_with_back(
                &s,
                r(&sc.title),
                back_to
            )],
        ))
        .id();
    // Left: what the trainee reads; right: what they prepare, and the start button.
    let columns = commands
        .spawn((
            Name::new("Columns"),
            Node {
                flex_direction: FlexDirection::Row,
                flex_grow: 1.0,
                min_height: px(0),
                column_gap: px(18),
                ..default()
            },
        ))
        .id();
    commands.entity(root).add_child(columns);
    let body = commands.spawn(widget::scroll_area("Briefing body")).id();
    let prep = commands
        .spawn((
            widget::scrolling(
                "Preparation",
                Node {
                    width: px(440),
                    flex_shrink: 0.0,
                    row_gap: px(8),
                    padding: UiRect::all(px(14)),
                    border_radius: BorderRadius::all(px(10)),
                    ..default()
                },
            ),
            BackgroundColor(palette::PANEL),
        ))
        .id();
    commands.entity(columns).add_children(&[body, prep]);
    let reconciled = if debt.reconciled {
        s.t("已对账", "reconciled")
    } else {
        s.t("尚未对账", "not reconciled")
    };
    let overdue = if debt.days_overdue >= 0 {
        format!(
            "{} {} {}",
            s.t("已逾期", "overdue by"),
            debt.days_overdue,
            s.t("天", "days")
        )
    } else {
        format!(
            "{} {} {}",
            s.t("距到期还有", "due in"),
            -debt.days_overdue,
            s.t("天", "days")
        )
    };
    commands.entity(body).with_children(|p| {
        p.spawn(widget::row("Tags")).with_children(|row| {
            row.spawn(widget::chip(sc.channel.label(s.locale), palette::PRIMARY));
            row.spawn(widget::chip(sc.stage.label(s.locale), palette::CAUTION));
            row.spawn(widget::chip(sc.difficulty.label(s.locale), palette::MUTED));
            row.spawn(widget::chip(
                persona.debtor_type.label(s.locale),
                palette::PRIMARY,
            ));
            row.spawn(widget::muted(format!(
                "{} {}",
                s.t("随机种子", "Seed"),
                selection.seed
            )));
        });
        p.spawn(widget::label(r(&sc.briefing)));
        p.spawn(widget::header(s.t("对方", "The debtor")));
        p.spawn(widget::label(format!(
            "{} · {} · {}",
            r(&persona.name),
            r(&persona.role),
            r(&persona.company)
        )));
        p.spawn(widget::muted(r(&persona.temperament)));
        p.spawn(widget::header(s.t("欠款事实", "The debt")));
        p.spawn(widget::label(format!(
            "{}: {}   {}: {}   {}",
            s.t("金额", "Amount"),
            format::amount(debt.amount, &debt.currency, s.locale),
            s.t("发票", "Invoices"),
            format::list(&debt.invoices, s.locale),
            reconciled,
        )));
        p.spawn(widget::label(format!(
            "{}: {}   ({overdue})   {}: {}",
            s.t("到期日", "Due"),
            format::date(&debt.due_date, s.locale),
            s.t("付款条件", "Terms"),
            r(&debt.terms)
        )));
        p.spawn(widget::header(s.t("学习目标", "What you will practise")));
        for o in &sc.objectives {
            let doc = course_citation(&o.course, s.locale);
            let section = o
                .section
                .as_ref()
                .map_or(String::new(), |t| format!(" · {}", r(t)));
            p.spawn(widget::label(format!("• {}", r(&o.text))));
            p.spawn(widget::muted(format!("    {doc}{section}")));
        }
    });
    commands.entity(prep).with_children(|p| {
        p.spawn(widget::header(s.t("准备", "Preparation")));
        if sc.preparation.items.is_empty() {
            p.spawn(widget::muted(s.t("这个场景不需要事先准备。", "Nothing to prepare for this one.")));
        } else {
            p.spawn(widget::muted(format!(
                "{} {budget} {}",
                s.t("时间只够准备", "You have time for"),
                s.t(
                    "项。按数字键或点击勾选；准备的东西会让你在对话中有更有力的说法。",
                    "items. Press a number or click to tick: what you prepare gives you stronger lines later."
                ),
            )));
        }
    });
    for (i, item) in sc.preparation.items.iter().enumerate() {
        let ticked = selection.prepared.contains(&item.id.0);
        let label = prep_label(i, ticked, &r(&item.label));
        let mut e = commands.spawn((
            PrepToggle(item.id.0.clone()),
            PrepLabel(r(&item.label), i),
            widget::option_button(label, ticked),
            Selected(ticked),
            observe(toggle_prep),
        ));
        if let Some(k) = digit_key(i + 1) {
            e.insert(Hotkey(k));
        }
        let id = e.id();
        commands.entity(prep).add_child(id);
    }
    let count = format!(
        "{} {}/{budget}",
        s.t("已准备", "Prepared"),
        selection.prepared.len()
    );
    commands.entity(prep).with_children(|p| {
        p.spawn(widget::row("Start row")).with_children(|row| {
            row.spawn((PrepCount { budget }, widget::label(count)));
            row.spawn((
                StartButton,
                InitialFocus,
                Hotkey(KeyCode::KeyS),
                widget::button_primary(match sc.channel {
                    crate::domain::content::model::Channel::Phone => {
                        s.t("拨打电话 (S)", "Make the call (S)")
                    }
                    crate::domain::content::model::Channel::Visit => {
                        s.t("开始拜访 (S)", "Start the visit (S)")
                    }
                }),
                observe(start),
            ));
        });
    });
}

fn toggle_prep(
    press: On<Press>,
    toggles: Query<&PrepToggle>,
    content: Res<ContentLibrary>,
    mut selection: ResMut<Selection>,
) {
    let Ok(PrepToggle(id)) = toggles.get(press.0) else {
        return;
    };
    let budget = content
        .library
        .scenario(&selection.scenario)
        .and_then(|c| c.scenario.preparation.budget)
        .map_or(usize::MAX, |b| b as usize);
    if let Some(i) = selection.prepared.iter().position(|p| p == id) {
        selection.prepared.remove(i);
    } else if selection.prepared.len() < budget {
        selection.prepared.push(id.clone());
    }
}

/// The item's label and position, for redrawing its tick.
#[derive(Component, Debug, Clone)]
pub struct PrepLabel(String, usize);

fn prep_label(i: usize, ticked: bool, label: &str) -> String {
    let mark = if ticked { "■" } else { "□" };
    format!("{} {mark} {label}", i + 1)
}

/// Updates ticks and the counter in place (the toggles restyle themselves through
/// [`Selected`]), so keyboard focus stays where it is.
fn redraw_preparation(
    selection: Res<Selection>,
    settings: Res<Settings>,
    mut toggles: Query<(&PrepToggle, &PrepLabel, &Children, &mut Selected)>,
    mut texts: Query<&mut Text, Without<PrepCount>>,
    mut counts: Query<(&PrepCount, &mut Text), Without<PrepToggle>>,
) {
    if !selection.is_changed() {
        return;
    }
    for (toggle, label, children, mut selected) in &mut toggles {
        let ticked = selection.prepared.contains(&toggle.0);
        selected.set_if_neq(Selected(ticked));
        for child in children.iter() {
            if let Ok(mut text) = texts.get_mut(child) {
                text.0 = prep_label(label.1, ticked, &label.0);
            }
        }
    }
    for (count, mut text) in &mut counts {
        text.0 = format!(
            "{} {}/{}",
            settings.t("已准备", "Prepared"),
            selection.prepared.len(),
            count.budget
        );
    }
}

fn start(
    _press: On<Press>,
    selection: Res<Selection>,
    mut starts: MessageWriter<StartConversation>,
) {
    starts.write(StartConversation {
        scenario: selection.scenario.clone(),
        seed: selection.seed,
        prepared: selection.prepared.clone(),
    });
}
