//! Headless App tests of the campaign desk: the real game plugins on `MinimalPlugins`, driven
//! by the presses and keys a trainee uses at the desk.

use bevy::prelude::*;
use dunning_dojo::domain::campaign::Action as DeskAction;
use dunning_dojo::game::campaign::{ActiveDesk, CampaignCard};
use dunning_dojo::game::screens::StartCampaign;
use dunning_dojo::game::state::{CampaignScreen, Overlay, Place, Screen};

use crate::app_support::{AppExt, headless, texts_on_screen};
use crate::support::fixture;

fn overlay(app: &App) -> Overlay {
    *app.world().resource::<State<Overlay>>().get()
}

/// The fixture campaign's desk, opened afresh from the title screen (the folder it is read from
/// lives as long as the first value).
fn open_test_desk() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    for f in ["persona.ron", "scenario.ron"] {
        std::fs::copy(fixture(&format!("base/{f}")), dir.path().join(f)).unwrap();
    }
    std::fs::copy(fixture("campaign/desk.ron"), dir.path().join("desk.ron")).unwrap();
    let mut app = headless(dir.path(), None, false);
    app.wait_for(Screen::Title);
    let start = app.find::<StartCampaign>(|_| true);
    app.press(start);
    app.wait_for(CampaignScreen::Select);
    let card = app.find::<CampaignCard>(|c| c.id == "test_desk" && !c.resume);
    app.press(card);
    app.wait_for(CampaignScreen::Desk);
    (dir, app)
}

/// Presses `key` at the desk and checks it did `want`.
fn act(app: &mut App, key: KeyCode, want: DeskAction) {
    let count = |w: &World| w.resource::<ActiveDesk>().desk.state().actions.len();
    let before = count(app.world());
    app.key(key);
    app.run_until("the desk acts", |w| count(w) > before);
    let done = &app.world().resource::<ActiveDesk>().desk.state().actions;
    assert_eq!(done.len(), before + 1);
    assert_eq!(done[before].action, want);
}

/// A campaign desk in the window: a call that plays the authored conversation, left half-way
/// through the leave prompt, ends that contact without a result and frees the desk again.
#[test]
fn a_campaign_call_left_half_way_returns_to_a_desk_that_goes_on() {
    use dunning_dojo::domain::campaign::note::Note;
    use dunning_dojo::game::campaign::{DeskActionButton, EndDayButton};
    let (_dir, mut app) = open_test_desk();
    // Call the overdue account until someone answers and the authored call starts.
    for _ in 0..10 {
        let before = app
            .world()
            .resource::<ActiveDesk>()
            .desk
            .state()
            .actions
            .len();
        let call = app.find::<DeskActionButton>(
            |b| matches!(&b.0, DeskAction::Call { account } if account == "hengtong"),
        );
        app.press(call);
        // Answered: the conversation opens; not answered: the desk is free again.
        app.run_until("the call is made", |w| {
            let desk = &w.resource::<ActiveDesk>().desk;
            desk.state().actions.len() > before
                && (desk.state().pending.is_none() || Place::current(w) == Screen::Conversation)
        });
        if Place::current(app.world()) == Screen::Conversation {
            break;
        }
        let end = app.find::<EndDayButton>(|_| true);
        app.press(end);
        app.run_until("the day ends", |w| {
            w.resource::<ActiveDesk>().desk.state().actions.len() > before + 1
        });
    }
    app.wait_for(Screen::Conversation);
    app.key(KeyCode::Escape);
    assert_eq!(overlay(&app), Overlay::LeavePrompt);
    let leave = app.find::<dunning_dojo::game::screens::LeaveConfirm>(|_| true);
    app.press(leave);
    app.wait_for(CampaignScreen::Desk);
    let desk = &app.world().resource::<ActiveDesk>().desk;
    assert!(desk.state().pending.is_none(), "the desk is free again");
    assert!(
        desk.state()
            .log
            .iter()
            .any(|l| matches!(l.note, Note::LeftConversation { .. })),
        "the log says the contact ended without a result"
    );
    assert!(!desk.allowed().is_empty());
}

/// The desk by keys: T sends a text message, D changes the follow-up delay, each next step has
/// its own key, and U chooses whom letters go to, so every action the terminal offers is at
/// hand in the window too.
#[test]
fn the_desk_texts_logs_any_next_step_and_addresses_letters_by_keys() {
    use dunning_dojo::domain::campaign::{Addressees, LetterKind, MessageChannel, NextStep};
    use dunning_dojo::game::campaign::LogDaysButton;
    let (_dir, mut app) = open_test_desk();
    // The second account: its digit, then T.
    app.key(KeyCode::Digit2);
    app.run_until("the second account is in hand", |w| {
        w.resource::<ActiveDesk>().cursor == 1
    });
    act(
        &mut app,
        KeyCode::KeyT,
        DeskAction::Message {
            account: "later".into(),
            channel: MessageChannel::Sms,
        },
    );
    // The log entry offers 2 days first; D twice makes it 10, and G logs "send a message".
    assert_eq!(app.world().resource::<ActiveDesk>().log_days, 2);
    app.find::<LogDaysButton>(|_| true);
    for want in [5, 10] {
        app.key(KeyCode::KeyD);
        app.run_until("the delay changes", move |w| {
            w.resource::<ActiveDesk>().log_days == want
        });
    }
    let shown = texts_on_screen(&mut app);
    assert!(
        shown.contains("下一步定在 10 个工作日后")
            || shown.contains("next step in 10 working days"),
        "the desk says when:\n{shown}"
    );
    act(
        &mut app,
        KeyCode::KeyG,
        DeskAction::Log {
            account: "later".into(),
            next: NextStep::Message,
            in_days: 10,
        },
    );
    // Letters go to the contact alone until U sends them to the people who decide.
    assert_eq!(
        app.world().resource::<ActiveDesk>().letters_to,
        Addressees::ContactOnly
    );
    app.key(KeyCode::KeyU);
    app.run_until("the letters go to those who decide", |w| {
        w.resource::<ActiveDesk>().letters_to == Addressees::DecisionMakers
    });
    let shown = texts_on_screen(&mut app);
    assert!(
        shown.contains("催款函：寄给老板、财务和对接人")
            || shown.contains("Letters go to the boss, finance and your contact"),
        "the desk says to whom:\n{shown}"
    );
    act(
        &mut app,
        KeyCode::KeyJ,
        DeskAction::Letter {
            account: "later".into(),
            kind: LetterKind::Reminder,
            to: Addressees::DecisionMakers,
        },
    );
}
