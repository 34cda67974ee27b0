//! The game window on a cmi5 launch (a real LRS, ralph, behind a small fake LMS): it opens the
//! briefing of the AU's scenario with the session's seed, and the result saved at the debrief
//! reaches the LMS in cmi5's order, with the LMS's registration, ending in `terminated`.

use bevy::prelude::*;
use dunning_dojo::cmi5::{LaunchUrl, Options, seed_of};
use dunning_dojo::domain::engine::{Session, Setup as Play};
use dunning_dojo::domain::text::Locale;
use dunning_dojo::game::cmi5::{Cmi5Link, Cmi5Stage};
use dunning_dojo::game::content::ContentLibrary;
use dunning_dojo::game::records::Results;
use dunning_dojo::game::scripted;
use dunning_dojo::game::state::{Screen, Selection, TraineeName};

use crate::app_support::{AppExt, headless, texts_on_screen};
use crate::cmi5_lms::{FakeLms, Setup};
use crate::lrs_support::{KEY, Ralph, SECRET};
use crate::support::verb_of;

const SCENARIO: &str = "boss_on_business_trip";
const REGISTRATION: &str = "5b0d6c2e-3f1a-4c8e-9d42-1a2b3c4d5e6f";

#[test]
fn a_launch_opens_its_scenario_and_the_saved_result_reaches_the_lms() {
    let Some(ralph) = Ralph::start() else { return };
    let lms = FakeLms::start(ralph.port, &format!("{KEY}:{SECRET}"));
    let setup = Setup {
        au: &format!("dunningdojo://play/{SCENARIO}"),
        registration: REGISTRATION,
        activity_id: "https://lms.example.com/activities/au-9",
        session: "session-window-1",
        launch_mode: "Normal",
        mastery: Some(0.1),
        language: None,
    };
    let url = LaunchUrl::parse(&lms.launch(&setup, true)).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut app = headless(&crate::support::dialogues(), None, false);
    app.insert_resource(Results::open(Some(&data.path().join("results.sqlite"))));
    app.insert_resource(Cmi5Link::new(url, Options::default()));
    app.insert_resource(TraineeName("Li Lei".into()));
    app.wait_for(Screen::Briefing);
    let seed = seed_of("session-window-1");
    let selection = app.world().resource::<Selection>().clone();
    assert_eq!(
        (selection.scenario.as_str(), selection.seed),
        (SCENARIO, seed)
    );
    assert!(texts_on_screen(&mut app).contains("Launched by your LMS"));

    // The answers the trainee gives: the first option each turn (worked out by the engine).
    let compiled = app
        .world()
        .resource::<ContentLibrary>()
        .library
        .scenario(SCENARIO)
        .unwrap()
        .clone();
    let play = Play {
        prepared: Vec::new(),
        trainee: Some("Li Lei".into()),
        truths: Vec::new(),
    };
    let (mut session, _) = Session::start(&compiled, seed, Locale::ZhCn, play).unwrap();
    let mut choices = Vec::new();
    while !session.is_ended() {
        let first = session
            .choices()
            .into_iter()
            .find(|c| c.number == Some(1))
            .unwrap();
        session.choose(&first.id).unwrap();
        choices.push(first.id);
    }
    app.run_script(scripted::from_briefing(SCENARIO, &[], &choices, false))
        .unwrap();
    app.run_until("the LMS to get the result", |w| {
        let stage = &w.resource::<Cmi5Link>().stage;
        *stage == Cmi5Stage::Done || *stage == Cmi5Stage::Failed
    });
    let link = app.world().resource::<Cmi5Link>();
    assert_eq!(link.stage, Cmi5Stage::Done, "{}", link.message);

    let mut stored: Vec<serde_json::Value> = ralph
        .statements()
        .into_iter()
        .filter(|s| s["context"]["registration"] == REGISTRATION)
        .collect();
    stored.sort_by(|a, b| a["timestamp"].as_str().cmp(&b["timestamp"].as_str()));
    let verbs: Vec<String> = stored.iter().map(verb_of).collect();
    let n = choices.len();
    assert_eq!(verbs.len(), n + 4, "{verbs:?}");
    assert_eq!(verbs[0], "initialized");
    assert!(verbs[1..=n].iter().all(|v| v == "answered"), "{verbs:?}");
    assert_eq!(verbs[n + 1], "completed");
    assert!(
        ["passed", "failed"].contains(&verbs[n + 2].as_str()),
        "{verbs:?}"
    );
    assert_eq!(verbs[n + 3], "terminated");
    for s in &stored {
        assert_eq!(s["actor"], crate::cmi5_lms::actor());
    }
}
