//! Choosing a campaign: each one's brief, and "continue" where a desk is kept from before.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::{OpenCampaign, desk_trainee, kept_desk};
use crate::game::chrome::top_bar_with_back;
use crate::game::content::ContentLibrary;
use crate::game::input::digit_key;
use crate::game::records::ResultsPath;
use crate::game::settings::Settings;
use crate::game::state::{CampaignScreen, Screen, TraineeName};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(CampaignScreen::Select), spawn_select_screen);
}

/// A seed to start campaigns with instead of one from the clock (a scripted run, so its result
/// can be compared with the command line's).
#[derive(Resource, Debug, Clone, Copy)]
pub struct SeedOverride(pub u64);

/// A campaign's start button: its id, and whether it continues a kept desk.
#[derive(Component, Debug, Clone)]
pub struct CampaignCard {
    /// The campaign id.
    pub id: String,
    /// Continue the kept desk.
    pub resume: bool,
}

fn spawn_select_screen(
    settings: Res<Settings>,
    content: Res<ContentLibrary>,
    results: Res<ResultsPath>,
    time: Res<Time<Real>>,
    seed_override: Option<Res<SeedOverride>>,
    name: Res<TraineeName>,
    mut commands: Commands,
) {
    let s = settings.clone();
    let trainee = desk_trainee(&name, s.locale);
    let root = commands
        .spawn((
            widget::ui_root("Campaign select screen"),
            DespawnOnExit(CampaignScreen::Select),
            children![top_bar_with_back(
                &s,
                s.t(
                    "催收战役：办公桌上的几个星期",
                    "Campaigns: weeks at the collection desk"
                ),
                Screen::Title
            )],
        ))
        .id();
    commands.entity(root).with_children(|p| {
        p.spawn(widget::muted(s.t(
            "每个工作日有固定的工时：打电话、发信息、寄函、上门、对账、求助同事、记录跟进……一天结束，世界往前走：承诺兑现或落空，账龄增长。按数字键开始。",
            "Each working day has its hours: calls, messages, letters, visits, statements, colleagues, the follow-up sheet… When the day ends the world moves: promises are kept or broken, debts age. Press a number to start.",
        )));
    });
    let list = commands.spawn(widget::scroll_area("Campaign list")).id();
    commands.entity(root).add_child(list);
    let seed = seed_override.map_or_else(
        || {
            (crate::store::now().as_millisecond() as u64 ^ time.elapsed().as_nanos() as u64)
                % 1_000_000
        },
        |s| s.0,
    );
    let mut first = true;
    let mut campaigns: Vec<_> = content.library.campaigns.values().collect();
    campaigns.sort_by_key(|c| (c.difficulty, c.weeks, c.id.0.clone()));
    for (n, c) in campaigns.into_iter().enumerate() {
        let owed: f64 = c
            .accounts
            .iter()
            .flat_map(|a| &a.invoices)
            .map(|i| i.amount)
            .sum();
        let card = commands
            .spawn((
                widget::panel("Campaign card"),
                children![
                    widget::header(format!("{}. {}", n + 1, c.title.resolve(s.locale))),
                    widget::muted(format!(
                        "{} · {} {} · {} {} · {} {}",
                        c.difficulty.label(s.locale),
                        c.weeks,
                        s.t("周", "weeks"),
                        c.accounts.len(),
                        s.t("个客户", "accounts"),
                        s.t("应收", "owed"),
                        crate::domain::engine::format::amount(owed, "CNY", s.locale)
                    )),
                    widget::label(c.summary.resolve(s.locale).to_owned()),
                ],
            ))
            .id();
        commands.entity(list).add_child(card);
        let row = commands.spawn(widget::row("Campaign buttons")).id();
        commands.entity(card).add_child(row);
        let mut start = commands.spawn((
            CampaignCard {
                id: c.id.0.clone(),
                resume: false,
            },
            widget::button_primary(format!("{} ({})", s.t("开始", "Start"), n + 1)),
            observe(open_card(seed)),
        ));
        if let Some(key) = digit_key(n + 1) {
            start.insert(Hotkey(key));
        }
        if first {
            start.insert(InitialFocus);
            first = false;
        }
        let start = start.id();
        commands.entity(row).add_child(start);
        match kept_desk(&content, &results, c.id.as_str(), None, &trainee) {
            Some(Ok(desk)) => {
                let label = format!(
                    "{} · {} {}/{}",
                    s.t("继续上次", "Continue"),
                    s.t("第", "day"),
                    desk.state().day + 1,
                    desk.length()
                );
                commands.entity(row).with_child((
                    CampaignCard {
                        id: c.id.0.clone(),
                        resume: true,
                    },
                    widget::button_secondary(label),
                    observe(open_card(seed)),
                ));
            }
            Some(Err(e)) => {
                commands.entity(row).with_child(widget::colored(
                    format!(
                        "{} {e}",
                        s.t("上次的进度无法继续：", "The kept desk cannot continue:")
                    ),
                    0.9,
                    palette::BAD,
                ));
            }
            None => {}
        }
    }
}

fn open_card(seed: u64) -> impl Fn(On<Press>, Query<&CampaignCard>, MessageWriter<OpenCampaign>) {
    move |press: On<Press>, cards: Query<&CampaignCard>, mut opens: MessageWriter<OpenCampaign>| {
        if let Ok(card) = cards.get(press.0) {
            opens.write(OpenCampaign {
                id: card.id.clone(),
                seed,
                resume: card.resume,
                seat: None,
            });
        }
    }
}
