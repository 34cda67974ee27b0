//! The desk screen: the calendar and the time left today, the accounts ledger, the actions for
//! the account in hand, and the log. Digits pick an account, letters act, N ends the day.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::{ActiveDesk, DeskDo};
use crate::domain::campaign::{Action, Colleague, LedgerRow, LetterKind, MessageChannel, NextStep};
use crate::domain::engine::format::amount;
use crate::domain::text::Locale;
use crate::game::chrome::top_bar_with_back;
use crate::game::input::digit_key;
use crate::game::settings::Settings;
use crate::game::state::{AppSystems, CampaignScreen};
use crate::game::theme::interaction::{Hotkey, InitialFocus, Press};
use crate::game::theme::{palette, widget};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(CampaignScreen::Desk),
        spawn_desk_screen.run_if(resource_exists::<ActiveDesk>),
    );
    app.add_systems(
        Update,
        redraw
            .run_if(in_state(CampaignScreen::Desk))
            .run_if(resource_exists_and_changed::<ActiveDesk>)
            .in_set(AppSystems::Present),
    );
}

/// The desk screen's root.
#[derive(Component, Debug)]
struct DeskRoot;

/// The part of the desk redrawn at every change.
#[derive(Component, Debug)]
struct DeskBody;

/// An account row in the ledger (its index).
#[derive(Component, Debug, Clone, Copy)]
pub struct DeskAccount(pub usize);

/// An action button for the account in hand.
#[derive(Component, Debug, Clone)]
pub struct DeskActionButton(pub Action);

/// Ends the working day.
#[derive(Component, Debug)]
pub struct EndDayButton;

fn spawn_desk_screen(settings: Res<Settings>, active: Res<ActiveDesk>, mut commands: Commands) {
    let s = settings.clone();
    let root = commands
        .spawn((
            DeskRoot,
            widget::ui_root("Campaign desk screen"),
            DespawnOnExit(CampaignScreen::Desk),
        ))
        .id();
    build(&mut commands, root, &active, &s);
}

fn redraw(
    settings: Res<Settings>,
    active: Res<ActiveDesk>,
    roots: Query<Entity, With<DeskRoot>>,
    bodies: Query<Entity, With<DeskBody>>,
    mut commands: Commands,
) {
    let Ok(root) = roots.single() else {
        return;
    };
    for b in &bodies {
        commands.entity(b).despawn();
    }
    build(&mut commands, root, &active, &settings);
}

/// A panel (as [`widget::panel`] draws it) of the given width.
fn desk_panel(name: &'static str, width: Val) -> impl Bundle {
    (
        Name::new(name),
        Node {
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(14)),
            row_gap: px(8),
            border_radius: BorderRadius::all(px(10)),
            width,
            min_height: px(0),
            overflow: Overflow::clip_y(),
            ..default()
        },
        BackgroundColor(palette::PANEL),
    )
}

fn money(v: f64, l: Locale) -> String {
    amount(v, "CNY", l)
}

/// One ledger line: company, what is left, age, last contact, next step, promise.
fn ledger_line(n: usize, r: &LedgerRow, l: Locale) -> String {
    let age = match r.age {
        Some(a) if a > 0 => format!("{}{a}{}", l.pick("逾期", ""), l.pick("天", " days overdue")),
        Some(a) => format!(
            "{}{}{}",
            l.pick("还有", "due in "),
            -a,
            l.pick("天到期", " days")
        ),
        None => l.pick("已结清", "paid").to_owned(),
    };
    let last = r.last_contact.as_deref().map_or_else(
        || l.pick("未联系", "no contact").to_owned(),
        |d| format!("{}{}", l.pick("上次 ", "last "), &d[5..]),
    );
    let next = r.next.as_ref().map_or(String::new(), |x| {
        format!(
            " · {}{} {}{}",
            l.pick("下一步 ", "next "),
            x.step.label(l),
            &x.date[5..],
            if x.missed {
                l.pick("（已错过）", " (missed)")
            } else {
                ""
            }
        )
    });
    let promise = r.promise.as_ref().map_or(String::new(), |p| {
        format!(
            " · {}{} {}",
            if p.written {
                l.pick("书面承诺 ", "signed ")
            } else {
                l.pick("口头承诺 ", "verbal ")
            },
            money(p.amount, l),
            &p.due[5..]
        )
    });
    let status = match r.status {
        "handed_over" => l.pick(" [已移交法务]", " [with legal]"),
        "lost" => l.pick(" [客户流失]", " [lost]"),
        _ => "",
    };
    format!(
        "{n}. {} — {} · {age} · {last}{next}{promise}{status}",
        r.company,
        money(r.left, l)
    )
}

/// The actions on the menu for one account, with their keys.
fn menu(account: &str) -> Vec<(Action, Option<KeyCode>)> {
    let a = || account.to_owned();
    vec![
        (Action::Call { account: a() }, Some(KeyCode::KeyC)),
        (
            Action::Message {
                account: a(),
                channel: MessageChannel::Wechat,
            },
            Some(KeyCode::KeyW),
        ),
        (
            Action::Message {
                account: a(),
                channel: MessageChannel::Email,
            },
            Some(KeyCode::KeyE),
        ),
        (Action::Visit { account: a() }, Some(KeyCode::KeyV)),
        (Action::Reconcile { account: a() }, Some(KeyCode::KeyR)),
        (
            Action::Letter {
                account: a(),
                kind: LetterKind::Reminder,
            },
            Some(KeyCode::KeyJ),
        ),
        (
            Action::Letter {
                account: a(),
                kind: LetterKind::Overdue,
            },
            Some(KeyCode::KeyK),
        ),
        (
            Action::Letter {
                account: a(),
                kind: LetterKind::Legal,
            },
            Some(KeyCode::KeyL),
        ),
        (
            Action::Colleague {
                account: a(),
                who: Colleague::Sales,
            },
            Some(KeyCode::KeyS),
        ),
        (
            Action::Colleague {
                account: a(),
                who: Colleague::Manager,
            },
            Some(KeyCode::KeyM),
        ),
        (
            Action::Colleague {
                account: a(),
                who: Colleague::Legal,
            },
            Some(KeyCode::KeyA),
        ),
        (
            Action::Log {
                account: a(),
                next: NextStep::Call,
                in_days: 2,
            },
            Some(KeyCode::KeyF),
        ),
        (
            Action::Log {
                account: a(),
                next: NextStep::CheckPayment,
                in_days: 2,
            },
            Some(KeyCode::KeyP),
        ),
        (Action::StopSupply { account: a() }, Some(KeyCode::KeyX)),
        (Action::HandOver { account: a() }, Some(KeyCode::KeyH)),
        // No key: a letter the law forbids is never one keystroke away.
        (
            Action::Letter {
                account: a(),
                kind: LetterKind::TheirCustomers,
            },
            None,
        ),
    ]
}

fn key_name(k: KeyCode) -> &'static str {
    match k {
        KeyCode::KeyC => "C",
        KeyCode::KeyW => "W",
        KeyCode::KeyE => "E",
        KeyCode::KeyV => "V",
        KeyCode::KeyR => "R",
        KeyCode::KeyJ => "J",
        KeyCode::KeyK => "K",
        KeyCode::KeyL => "L",
        KeyCode::KeyS => "S",
        KeyCode::KeyM => "M",
        KeyCode::KeyA => "A",
        KeyCode::KeyF => "F",
        KeyCode::KeyP => "P",
        KeyCode::KeyX => "X",
        KeyCode::KeyH => "H",
        _ => "",
    }
}

fn build(commands: &mut Commands, root: Entity, active: &ActiveDesk, s: &Settings) {
    let l = s.locale;
    let desk = &active.desk;
    let campaign = desk.campaign();
    let st = desk.state();
    let hours = desk.minutes_left() as f64 / 60.0;
    let title = campaign.title.resolve(l).to_owned();
    let weekday = [
        l.pick("周一", "Mon"),
        l.pick("周二", "Tue"),
        l.pick("周三", "Wed"),
        l.pick("周四", "Thu"),
        l.pick("周五", "Fri"),
    ][(st.day % 5) as usize];
    let calendar = format!(
        "{}{}{} · {weekday} {} · {}{}/{}{}",
        l.pick("第", "Week "),
        st.day / 5 + 1,
        l.pick("周", ""),
        desk.today(),
        l.pick("第", "day "),
        st.day + 1,
        desk.length(),
        l.pick("天", ""),
    );
    let body = commands
        .spawn((
            DeskBody,
            Name::new("Desk body"),
            Node {
                flex_direction: FlexDirection::Column,
                flex_grow: 1.0,
                row_gap: px(8),
                min_height: px(0),
                ..default()
            },
        ))
        .id();
    commands.entity(root).add_child(body);
    commands
        .entity(body)
        .with_child(top_bar_with_back(s, title, active.home()));
    let time_color = if hours < 1.0 {
        palette::CAUTION
    } else {
        palette::PRIMARY
    };
    commands.entity(body).with_children(|p| {
        p.spawn(widget::row("Clock")).with_children(|r| {
            r.spawn(widget::colored(calendar, 1.2, palette::PRIMARY));
            r.spawn(widget::colored(
                format!(
                    "{} {:.1} {}",
                    l.pick("今天还剩", "time left today:"),
                    hours,
                    l.pick("小时", "h")
                ),
                1.1,
                time_color,
            ));
            r.spawn(widget::shape(
                "Time bar",
                palette::PANEL_DARK,
                Node {
                    width: px(240),
                    height: px(10),
                    ..default()
                },
            ))
            .with_child(widget::shape(
                "Time used",
                time_color,
                Node {
                    width: px((240.0 * hours / f64::from(campaign.hours_per_day)) as f32),
                    height: px(10),
                    ..default()
                },
            ));
            r.spawn(widget::spacer());
            r.spawn((
                EndDayButton,
                Hotkey(KeyCode::KeyN),
                widget::button_primary(l.pick("结束今天 (N)", "End the day (N)")),
                observe(|_: On<Press>, mut d: MessageWriter<DeskDo>| {
                    d.write(DeskDo(Action::EndDay));
                }),
            ));
        });
        if let Some(n) = &active.notice {
            p.spawn(widget::colored(n.clone(), 0.95, palette::BAD));
        }
    });
    let columns = commands
        .spawn((
            Name::new("Desk columns"),
            Node {
                flex_direction: FlexDirection::Row,
                column_gap: px(12),
                flex_grow: 1.0,
                min_height: px(0),
                ..default()
            },
        ))
        .id();
    commands.entity(body).add_child(columns);
    // The ledger.
    let ledger = commands.spawn(desk_panel("Ledger", percent(58))).id();
    commands.entity(columns).add_child(ledger);
    let rows = desk.ledger();
    commands.entity(ledger).with_child(widget::header(l.pick(
        "应收账款台账（数字键选客户）",
        "Accounts ledger (digits pick an account)",
    )));
    for (k, r) in rows.iter().enumerate() {
        let mut row = commands.spawn((
            DeskAccount(k),
            widget::option_button(ledger_line(k + 1, r, l), k == active.cursor),
            observe(
                |press: On<Press>, rows: Query<&DeskAccount>, mut active: ResMut<ActiveDesk>| {
                    if let Ok(DeskAccount(k)) = rows.get(press.0) {
                        active.cursor = *k;
                    }
                },
            ),
        ));
        if let Some(key) = digit_key(k + 1) {
            row.insert(Hotkey(key));
        }
        let row = row.id();
        commands.entity(ledger).add_child(row);
    }
    // The account in hand and its actions.
    let side = commands
        .spawn((
            desk_panel("Account in hand", percent(42)),
            bevy::ui_widgets::ScrollArea,
        ))
        .id();
    commands.entity(side).entry::<Node>().and_modify(|mut n| {
        n.overflow = Overflow::scroll_y();
    });
    commands.entity(columns).add_child(side);
    if let Some(r) = rows.get(active.cursor) {
        let evidence = [
            l.pick("对账单", "statement"),
            l.pick("书面确认", "written"),
            l.pick("催款函回执", "letter receipt"),
            l.pick("录音确认", "recording"),
        ];
        commands.entity(side).with_children(|p| {
            p.spawn(widget::header(format!("{} · {}", r.company, r.contact)));
            p.spawn(widget::muted(r.note.clone()));
            p.spawn(widget::row("Evidence")).with_children(|row| {
                for (held, name) in r.evidence.iter().zip(evidence) {
                    row.spawn(widget::chip(
                        format!("{}{name}", if *held { "✓ " } else { "· " }),
                        if *held { palette::GOOD } else { palette::MUTED },
                    ));
                }
            });
        });
        let grid = commands
            .spawn((
                Name::new("Actions"),
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    column_gap: px(6),
                    row_gap: px(6),
                    ..default()
                },
            ))
            .id();
        commands.entity(side).add_child(grid);
        let mut first = true;
        for (action, key) in menu(&r.account) {
            if desk.check(&action).is_err() {
                continue;
            }
            let label = match key {
                Some(k) => format!("{} ({})", action.label(l), key_name(k)),
                None => action.label(l),
            };
            let minutes = action.minutes();
            let mut button = commands.spawn((
                DeskActionButton(action),
                widget::button_small(format!("{label} · {minutes}′")),
                observe(
                    |press: On<Press>,
                     buttons: Query<&DeskActionButton>,
                     mut d: MessageWriter<DeskDo>| {
                        if let Ok(DeskActionButton(a)) = buttons.get(press.0) {
                            d.write(DeskDo(a.clone()));
                        }
                    },
                ),
            ));
            if let Some(k) = key {
                button.insert(Hotkey(k));
            }
            if first {
                button.insert(InitialFocus);
                first = false;
            }
            let button = button.id();
            commands.entity(grid).add_child(button);
        }
    }
    // The log: the latest lines, the new ones marked.
    let log = commands.spawn(desk_panel("Desk log", percent(100))).id();
    commands.entity(body).add_child(log);
    let lines = &st.log;
    let from = lines.len().saturating_sub(5);
    commands.entity(log).with_children(|p| {
        if lines.is_empty() {
            p.spawn(widget::muted(l.pick(
                "工作记录：还没有。每次联系、到账、承诺和事件都会记在这里。",
                "Log: nothing yet. Every contact, payment, promise and event is written here.",
            )));
        }
        for (i, line) in lines.iter().enumerate().skip(from) {
            let who = line
                .account
                .map(|k| desk.account_name(k))
                .unwrap_or_default();
            let color = if i >= active.fresh_from {
                palette::PRIMARY
            } else {
                palette::MUTED
            };
            p.spawn(widget::colored(
                format!(
                    "{} {} {}",
                    &desk.date_of(line.day).to_string()[5..],
                    who,
                    line.note.text(l)
                ),
                0.9,
                color,
            ));
        }
    });
}
