//! The desk screen: the calendar and the time left today, the accounts ledger, the actions for
//! the account in hand, and the log. Digits pick an account, letters act, N ends the day.

use bevy::prelude::*;
use bevy::ui_widgets::observe;

use super::adapter::{ActiveDesk, DeskDo};
use crate::domain::campaign::{
    Action, Addressees, Colleague, LedgerRow, LetterKind, MessageChannel, NextStep,
};
use crate::domain::engine::format::amount;
use crate::domain::text::Locale;
use crate::game::chrome::top_bar_with_back;
use crate::game::input::{LETTER_KEYS, digit_key};
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

/// Switches whom the letters go to.
#[derive(Component, Debug)]
pub struct AddresseesButton;

/// Cycles the follow-up delay of the log entry.
#[derive(Component, Debug)]
pub struct LogDaysButton;

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

/// The groups of actions on the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    /// Calls, messages, visits, statements.
    Contact,
    /// The three letters, with whom they go to.
    Letters,
    /// Colleagues, stopping supply, legal.
    Escalate,
    /// The after-contact log entry, with when the next step falls.
    Log,
}

/// A group of actions, each with its key.
type Section = (Group, Vec<(Action, Option<KeyCode>)>);

/// The actions on the menu for one account, in groups, with their keys; letters go `to` these
/// people.
fn sections(account: &str, to: Addressees) -> [Section; 3] {
    let a = || account.to_owned();
    let message = |channel, key| {
        (
            Action::Message {
                account: a(),
                channel,
            },
            Some(key),
        )
    };
    let letter = |kind, key| {
        (
            Action::Letter {
                account: a(),
                kind,
                to,
            },
            Some(key),
        )
    };
    let colleague = |who, key| (Action::Colleague { account: a(), who }, Some(key));
    [
        (
            Group::Contact,
            vec![
                (Action::Call { account: a() }, Some(KeyCode::KeyC)),
                message(MessageChannel::Wechat, KeyCode::KeyW),
                message(MessageChannel::Sms, KeyCode::KeyT),
                message(MessageChannel::Email, KeyCode::KeyE),
                (Action::Visit { account: a() }, Some(KeyCode::KeyV)),
                (Action::Reconcile { account: a() }, Some(KeyCode::KeyR)),
            ],
        ),
        (
            Group::Letters,
            vec![
                letter(LetterKind::Reminder, KeyCode::KeyJ),
                letter(LetterKind::Overdue, KeyCode::KeyK),
                letter(LetterKind::Legal, KeyCode::KeyL),
            ],
        ),
        (
            Group::Escalate,
            vec![
                colleague(Colleague::Sales, KeyCode::KeyS),
                colleague(Colleague::Manager, KeyCode::KeyM),
                colleague(Colleague::Legal, KeyCode::KeyA),
                (Action::StopSupply { account: a() }, Some(KeyCode::KeyX)),
                (Action::HandOver { account: a() }, Some(KeyCode::KeyH)),
                // No key: a letter the law forbids is never one keystroke away.
                (
                    Action::Letter {
                        account: a(),
                        kind: LetterKind::TheirCustomers,
                        to: Addressees::default(),
                    },
                    None,
                ),
            ],
        ),
    ]
}

/// The desk's short name for an action: its group's heading says the rest.
fn short_label(action: &Action, l: Locale) -> String {
    let (zh, en) = match action {
        Action::Call { .. } => ("打电话", "Call"),
        Action::Message { channel, .. } => match channel {
            MessageChannel::Wechat => ("微信", "WeChat"),
            MessageChannel::Sms => ("短信", "SMS"),
            MessageChannel::Email => ("邮件", "Email"),
        },
        Action::Visit { .. } => ("上门（半天）", "Visit (half a day)"),
        Action::Reconcile { .. } => ("寄对账单盖章", "Statement to stamp"),
        Action::Letter { kind, .. } => match kind {
            LetterKind::Reminder => ("第一封·提醒（客服部）", "1st: reminder"),
            LetterKind::Overdue => ("第二封·逾期（财务部）", "2nd: overdue"),
            LetterKind::Legal => ("第三封·律师函（法务部）", "3rd: legal"),
            LetterKind::TheirCustomers => ("致对方客户的告知函", "To their customers"),
        },
        Action::Colleague { who, .. } => match who {
            Colleague::Sales => ("销售同事", "Sales colleague"),
            Colleague::Manager => ("经理找对方领导", "Manager to theirs"),
            Colleague::Legal => ("法务咨询证据", "Legal advice"),
        },
        Action::StopSupply { .. } => ("暂停供货", "Stop supply"),
        Action::HandOver { .. } => ("移交法务", "Hand over to legal"),
        Action::Log { next, .. } => match next {
            NextStep::Call => ("再打电话", "Call again"),
            NextStep::Message => ("发信息", "Message"),
            NextStep::Visit => ("上门拜访", "Visit"),
            NextStep::Letter => ("寄催款函", "Letter"),
            NextStep::CheckPayment => ("核对到账", "Check payment"),
        },
        Action::EndDay => ("结束今天", "End the day"),
    };
    l.pick(zh, en).to_owned()
}

/// The after-contact log entries for one account, `in_days` ahead: every next step, with its key.
fn log_menu(account: &str, in_days: u32) -> Vec<(Action, KeyCode)> {
    NextStep::ALL
        .into_iter()
        .zip([
            KeyCode::KeyF,
            KeyCode::KeyG,
            KeyCode::KeyI,
            KeyCode::KeyO,
            KeyCode::KeyP,
        ])
        .map(|(next, key)| {
            (
                Action::Log {
                    account: account.to_owned(),
                    next,
                    in_days,
                },
                key,
            )
        })
        .collect()
}

/// The follow-up delays the log entry cycles through (working days; D moves to the next).
const LOG_DAYS: [u32; 4] = [1, 2, 5, 10];

/// The delay after `days` in [`LOG_DAYS`] (round to the first).
fn next_log_days(days: u32) -> u32 {
    let i = LOG_DAYS
        .iter()
        .position(|d| *d == days)
        .map_or(0, |i| i + 1);
    LOG_DAYS[i % LOG_DAYS.len()]
}

/// The letter a key types (A to Z), for a button's label.
fn key_name(k: KeyCode) -> char {
    LETTER_KEYS
        .iter()
        .position(|l| *l == k)
        .map_or('?', |i| char::from(b'A' + i as u8))
}

/// A row of buttons that wraps.
fn button_grid(name: &'static str) -> impl Bundle {
    (
        Name::new(name),
        Node {
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(6),
            row_gap: px(6),
            align_items: AlignItems::Center,
            ..default()
        },
    )
}

/// A button that does `action`, labelled with what it costs.
fn action_button(
    commands: &mut Commands,
    action: Action,
    label: String,
    key: Option<KeyCode>,
    focus: bool,
) -> Entity {
    let minutes = action.minutes();
    let mut button = commands.spawn((
        DeskActionButton(action),
        widget::button_small(format!("{label} · {minutes}′")),
        observe(
            |press: On<Press>, buttons: Query<&DeskActionButton>, mut d: MessageWriter<DeskDo>| {
                if let Ok(DeskActionButton(a)) = buttons.get(press.0) {
                    d.write(DeskDo(a.clone()));
                }
            },
        ),
    ));
    if let Some(k) = key {
        button.insert(Hotkey(k));
    }
    if focus {
        button.insert(InitialFocus);
    }
    button.id()
}

/// The account in hand: its name, evidence file and note under the ledger; its actions in
/// groups beside it (whom letters go to and when the next step falls each with its switch).
fn account_in_hand(
    commands: &mut Commands,
    (details, side): (Entity, Entity),
    r: &LedgerRow,
    active: &ActiveDesk,
    l: Locale,
) {
    let desk = &active.desk;
    let evidence = [
        l.pick("对账单", "statement"),
        l.pick("书面确认", "written"),
        l.pick("催款函回执", "letter receipt"),
        l.pick("录音确认", "recording"),
    ];
    commands.entity(details).with_children(|p| {
        p.spawn(widget::header(format!("{} · {}", r.company, r.contact)));
        p.spawn(widget::row("Evidence")).with_children(|row| {
            for (held, name) in r.evidence.iter().zip(evidence) {
                row.spawn(widget::chip(
                    format!("{}{name}", if *held { "✓ " } else { "· " }),
                    if *held { palette::GOOD } else { palette::MUTED },
                ));
            }
        });
        p.spawn(widget::muted(r.note.clone()));
    });
    let mut first = true;
    let log_entries = log_menu(&r.account, active.log_days)
        .into_iter()
        .map(|(a, k)| (a, Some(k)))
        .collect();
    let groups = sections(&r.account, active.letters_to)
        .into_iter()
        .chain([(Group::Log, log_entries)]);
    for (id, items) in groups {
        let allowed: Vec<_> = items
            .into_iter()
            .filter(|(a, _)| desk.check(a).is_ok())
            .collect();
        if allowed.is_empty() {
            continue;
        }
        // The heading leads the group's own row of buttons (a row saved per group).
        let heading = commands.spawn(button_grid("Action group")).id();
        commands.entity(side).add_child(heading);
        match id {
            Group::Letters => {
                commands.entity(heading).with_children(|row| {
                    row.spawn(widget::label(format!(
                        "{}{}",
                        l.pick("催款函：", "Letters go "),
                        active.letters_to.label(l)
                    )));
                    row.spawn((
                        AddresseesButton,
                        Hotkey(KeyCode::KeyU),
                        widget::button_small(l.pick("改收件人 (U)", "Change who (U)")),
                        observe(|_: On<Press>, mut active: ResMut<ActiveDesk>| {
                            active.letters_to = match active.letters_to {
                                Addressees::ContactOnly => Addressees::DecisionMakers,
                                Addressees::DecisionMakers => Addressees::ContactOnly,
                            };
                        }),
                    ));
                });
            }
            Group::Log => {
                commands.entity(heading).with_children(|row| {
                    row.spawn(widget::label(
                        l.pick(
                            "记录跟进：下一步定在 {n} 个工作日后",
                            "Log it: next step in {n} working days",
                        )
                        .replace("{n}", &active.log_days.to_string()),
                    ));
                    row.spawn((
                        LogDaysButton,
                        Hotkey(KeyCode::KeyD),
                        widget::button_small(l.pick("改天数 (D)", "Days (D)")),
                        observe(|_: On<Press>, mut active: ResMut<ActiveDesk>| {
                            active.log_days = next_log_days(active.log_days);
                        }),
                    ));
                });
            }
            Group::Contact | Group::Escalate => {
                let title = if id == Group::Contact {
                    l.pick("联系", "Contact")
                } else {
                    l.pick("求助与升级", "Escalate")
                };
                commands.entity(heading).with_child(widget::label(title));
            }
        }
        for (action, key) in allowed {
            let label = match key {
                Some(k) => format!("{} ({})", short_label(&action, l), key_name(k)),
                None => short_label(&action, l),
            };
            let button = action_button(commands, action, label, key, first);
            first = false;
            commands.entity(heading).add_child(button);
        }
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
    // The ledger, and the account in hand under it.
    let ledger = commands
        .spawn((
            desk_panel("Ledger", percent(55)),
            bevy::ui_widgets::ScrollArea,
        ))
        .id();
    commands.entity(ledger).entry::<Node>().and_modify(|mut n| {
        n.overflow = Overflow::scroll_y();
    });
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
    // The actions on the account in hand.
    let side = commands
        .spawn((
            desk_panel("Actions on the account", percent(45)),
            bevy::ui_widgets::ScrollArea,
        ))
        .id();
    commands.entity(side).entry::<Node>().and_modify(|mut n| {
        n.overflow = Overflow::scroll_y();
    });
    commands.entity(columns).add_child(side);
    if let Some(r) = rows.get(active.cursor) {
        account_in_hand(commands, (ledger, side), r, active, l);
    }
    // The log: the latest lines, the new ones marked; never squeezed by the columns above.
    let log = commands.spawn(desk_panel("Desk log", percent(100))).id();
    commands.entity(log).entry::<Node>().and_modify(|mut n| {
        n.flex_shrink = 0.0;
    });
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
