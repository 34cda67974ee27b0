//! The game and a real LRS (ralph): the trainer types the LRS into classroom mode (the secret
//! key by key, shown as dots and never again), results saved before go at once, a result saved
//! after goes by itself, and an LRS gone away is shown with what waits.

use bevy::prelude::*;
use dunning_dojo::domain::text::Locale;
use dunning_dojo::game::classroom::SendNowButton;
use dunning_dojo::game::lrs::LrsLink;
use dunning_dojo::game::records::Results;
use dunning_dojo::game::scripted::{self, LrsPlan, lrs_tour};
use dunning_dojo::game::settings::Settings;
use dunning_dojo::game::state::{ClassroomScreen, Place, Screen, TraineeName};
use dunning_dojo::lrs::LrsConfig;

use crate::app_support::{AppExt, headless, texts_on_screen};
use crate::lrs_support::{KEY, Ralph, SECRET};

/// `actions` from the title screen.
fn from_title(actions: Vec<scripted::Action>) -> Vec<scripted::Action> {
    let mut a = vec![
        scripted::Action::go(Screen::Title),
        scripted::Action::Until(Place::from(Screen::Title)),
    ];
    a.extend(actions);
    a
}

fn link(app: &App) -> &LrsLink {
    app.world().resource::<LrsLink>()
}

/// Runs frames until no send is under way and `done` holds.
fn settle(app: &mut App, what: &str, done: impl Fn(&LrsLink) -> bool) {
    app.run_until(what, |w| {
        let l = w.resource::<LrsLink>();
        !l.sending && done(l)
    });
}

#[test]
fn the_trainer_sets_the_lrs_in_classroom_mode_and_results_reach_it() {
    let Some(mut ralph) = Ralph::start() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("results.sqlite");
    // Five results saved before there was an LRS.
    let (store, _) = crate::store::classroom(data.path());
    let before = store.attempt_count().unwrap();
    drop(store);

    let mut app = headless(&crate::support::dialogues(), None, false);
    // Keys reach the focused field as in a window (a window entity ends their bubbling).
    app.add_plugins(bevy::input_focus::InputDispatchPlugin);
    app.world_mut()
        .spawn((bevy::window::Window::default(), bevy::window::PrimaryWindow));
    app.insert_resource(Results::open(Some(&db)));
    app.world_mut().resource_mut::<Settings>().locale = Locale::En;
    app.world_mut().resource_mut::<TraineeName>().0 = "Wang Fang".into();
    app.wait_for(Screen::Title);

    let plan = LrsPlan {
        endpoint: ralph.endpoint(),
        key: KEY.into(),
        secret: SECRET.into(),
    };
    app.run_script(lrs_tour(&plan)).unwrap();
    assert_eq!(Place::current(app.world()), ClassroomScreen::Lrs);
    settle(&mut app, "the first send", |l| l.counts.pending == 0);
    let sent = link(&app).counts.sent;
    assert_eq!(link(&app).problem, None);
    assert!(sent >= before * 5, "{sent} statements for {before} results");
    assert_eq!(ralph.statements().len() as u64, sent, "{}", ralph.log());
    // Saved as typed; on screen only as dots.
    let saved = app
        .world()
        .resource::<Results>()
        .with(|s| Ok(LrsConfig::load(s)))
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(saved.secret.expose(), SECRET);
    assert_eq!(saved.endpoint, ralph.endpoint());
    let shown = texts_on_screen(&mut app);
    assert!(!shown.contains(SECRET), "the secret is on screen:\n{shown}");
    assert!(shown.contains("secret ••••"), "{shown}");
    assert!(shown.contains("Everything has reached the LRS."), "{shown}");

    // A result saved now goes by itself.
    app.run_script(from_title(scripted::practice(
        "boss_on_business_trip",
        1,
        &[],
        &vec!["1".to_owned(); 4],
    )))
    .unwrap();
    settle(&mut app, "the send after a save", |l| l.counts.sent > sent);
    assert_eq!(link(&app).counts.pending, 0);
    let now_sent = link(&app).counts.sent;
    assert_eq!(ralph.statements().len() as u64, now_sent);

    // The LRS goes away: the next result waits, and the screen says so.
    ralph.stop();
    app.run_script(from_title(scripted::practice(
        "boss_on_business_trip",
        1,
        &[],
        &vec!["1".to_owned(); 4],
    )))
    .unwrap();
    settle(&mut app, "the failed send", |l| l.problem.is_some());
    assert!(link(&app).counts.pending > 0);
    assert!(
        link(&app)
            .problem
            .as_deref()
            .unwrap()
            .contains("cannot be reached"),
        "{:?}",
        link(&app).problem
    );
    let pending = link(&app).counts.pending;
    app.run_script(vec![
        scripted::Action::go(ClassroomScreen::Lrs),
        scripted::Action::Until(Place::from(ClassroomScreen::Lrs)),
    ])
    .unwrap();
    app.update();
    let shown = texts_on_screen(&mut app);
    assert!(shown.contains(&format!("pending {pending}")), "{shown}");
    assert!(shown.contains("cannot be reached"), "{shown}");

    // Back again: Send now empties the outbox, each statement stored once.
    ralph.resume();
    let send = app.find::<SendNowButton>(|_| true);
    app.press(send);
    settle(&mut app, "the send after the LRS came back", |l| {
        l.counts.pending == 0 && l.problem.is_none()
    });
    let stored = ralph.statements();
    assert_eq!(stored.len() as u64, link(&app).counts.sent);
    let ids: std::collections::BTreeSet<&str> =
        stored.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), stored.len(), "a statement is stored twice");
}
