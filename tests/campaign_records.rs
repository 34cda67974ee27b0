//! Campaign results in the records, the exports and the classroom, mostly through the binary:
//! `campaign play --trainee` saves (also by the line protocol and with a closed stdout), a
//! failed save keeps the result in a file, and names and classroom rounds are checked before
//! the desk opens (the exports and the classroom board are in `campaign_exports`). The fixture
//! campaign `test_desk` keeps these tests apart from the shipped campaigns' tuning.

use std::path::{Path, PathBuf};
use std::process::Output;

use dunning_dojo::domain::campaign::{Action, CampaignResult, Desk, Policy, simulate};
use dunning_dojo::domain::library::Library;
use dunning_dojo::domain::text::Locale;
use dunning_dojo::store::{AttemptFilter, NewCampaign, Store, StoredCampaign};
use rusqlite::Connection;

use crate::cli_faults::{Stdout, kept, run_in};
use crate::support::{fixture, s, stderr, stdout};

/// The fixture campaign.
pub const CAMPAIGN: &str = "test_desk";

/// Its working days (two weeks).
pub const DAYS: usize = 10;

/// The fixture persona and scenario, and the fixture campaign.
pub fn library() -> Library {
    Library::load(&[fixture("base"), fixture("campaign")])
}

/// `campaign play` in `dir` with the fixture content, recording into `db`; `args` follow
/// `play`.
pub fn campaign_play(dir: &Path, db: &Path, args: &[&str], stdin: &[u8], out: Stdout) -> Output {
    let campaign = fixture("campaign");
    let head = ["--content", s(&campaign), "--db", s(db), "campaign", "play"];
    run_in(dir, &[&head[..], args].concat(), stdin, out)
}

/// Asserts that the end of the campaign was shown.
fn assert_shown(out: &Output) {
    assert!(
        stdout(out).contains("== Campaign over =="),
        "{}",
        stdout(out)
    );
}

/// The fixture campaign played by a reference policy.
pub fn played(seed: u64, policy: Policy) -> CampaignResult {
    let desk = Desk::new(&library(), CAMPAIGN, seed, Locale::En, "Wang").expect("opens");
    simulate(desk, policy).expect("the policy finishes the campaign")
}

/// Line-protocol input that ends every working day at once.
pub fn end_every_day() -> Vec<u8> {
    "{\"do\":\"end_day\"}\n".repeat(DAYS).into_bytes()
}

/// Interactive input that ends every working day, by the menu number shown for it.
fn end_every_day_by_number(seed: u64) -> Vec<u8> {
    let mut desk = Desk::new(&library(), CAMPAIGN, seed, Locale::En, "Wang").unwrap();
    let mut input = String::new();
    while !desk.is_over() {
        let n = desk
            .allowed()
            .iter()
            .position(|a| *a == Action::EndDay)
            .expect("a day can always be ended");
        input.push_str(&format!("{}\n", n + 1));
        desk.apply(Action::EndDay).unwrap();
    }
    input.into_bytes()
}

pub fn campaigns(db: &Path) -> Vec<StoredCampaign> {
    Store::open(db)
        .unwrap()
        .campaign_results(&AttemptFilter::default())
        .unwrap()
}

/// Records `result` under `trainee` (and `team` / `round`) straight into `store`.
pub fn record(
    store: &mut Store,
    result: &CampaignResult,
    trainee: &str,
    team: Option<i64>,
    round: Option<i64>,
) -> StoredCampaign {
    let t0: jiff::Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
    store
        .record_campaign(&NewCampaign {
            trainee,
            team,
            round,
            started_at: t0,
            ended_at: t0 + jiff::SignedDuration::from_millis(1_500_250),
            result,
        })
        .unwrap()
}

/// A database with the results of three desks outside any classroom, ids from 1.
pub fn three_desks(dir: &Path) -> PathBuf {
    let db = dir.join("results.sqlite");
    let mut store = Store::open(&db).unwrap();
    let tigers = store.team_by_name("猛虎队").unwrap();
    record(
        &mut store,
        &played(2, Policy::Best),
        "王芳",
        Some(tigers),
        None,
    );
    record(&mut store, &played(2, Policy::Soft), "李雷", None, None);
    record(&mut store, &played(3, Policy::Heavy), "=1+1", None, None);
    db
}

#[test]
fn a_campaign_result_reads_back_whole_with_its_action_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.sqlite");
    let result = played(2, Policy::Best);
    assert!(
        result.actions.len() > DAYS,
        "the best policy works the desk"
    );
    assert!(
        result.actions.iter().any(|a| a.conversation.is_some()),
        "and plays the authored call"
    );
    let mut store = Store::open(&db).unwrap();
    let team = store.team_by_name("猛虎队").unwrap();
    let stored = record(&mut store, &result, " 王芳 ", Some(team), None);
    assert_eq!(stored.trainee, "王芳");
    assert_eq!(stored.team.as_deref(), Some("猛虎队"));
    assert_eq!(stored.duration_ms, 1_500_250);
    drop(store);
    for store in [
        Store::open(&db).unwrap(),
        Store::open_read_only(&db).unwrap(),
    ] {
        let all = store.campaign_results(&AttemptFilter::default()).unwrap();
        assert_eq!(all, vec![stored.clone()]);
        assert_eq!(all[0].result, result, "the action log and every figure");
        let mine = store
            .campaign_results(&AttemptFilter {
                session: None,
                trainee: Some("王芳"),
            })
            .unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            store.campaign_result(stored.id).unwrap(),
            Some(stored.clone())
        );
    }
    // The columns agree with the stored result.
    let conn = Connection::open(&db).unwrap();
    let (total, collected, actions): (f64, f64, i64) = conn
        .query_row(
            "SELECT total, collected, json_array_length(result, '$.actions')
             FROM campaign_results",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((total, collected), (result.scores.total, result.collected));
    assert_eq!(actions as usize, result.actions.len());
}

#[test]
fn json_steps_with_a_trainee_saves_before_the_last_line_even_to_a_closed_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let args = [
        CAMPAIGN,
        "--seed",
        "4",
        "--lang",
        "en",
        "--json-steps",
        "--trainee",
        "Wang",
        "--team",
        "Tigers",
    ];
    let out = campaign_play(dir.path(), &db, &args, &end_every_day(), Stdout::Piped);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("saved as campaign result 1 in {}", s(&db))),
        "{}",
        stderr(&out)
    );
    let last = stdout(&out).lines().last().unwrap().to_owned();
    let printed: CampaignResult = serde_json::from_str(&last).unwrap();
    assert_eq!(printed.actions.len(), DAYS);
    let stored = campaigns(&db);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].result, printed);
    assert_eq!(stored[0].team.as_deref(), Some("Tigers"));
    assert_eq!(stored[0].result.seed, 4);

    // A caller that stops reading does not lose the result.
    let out = campaign_play(dir.path(), &db, &args, &end_every_day(), Stdout::Closed);
    assert_eq!(campaigns(&db).len(), 2, "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("saved as campaign result 2"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("cannot write to standard output"));
}

#[test]
fn an_interactive_campaign_shows_the_result_then_the_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let args = [CAMPAIGN, "--seed", "5", "--lang", "en", "--trainee", "Wang"];
    let out = campaign_play(
        dir.path(),
        &db,
        &args,
        &end_every_day_by_number(5),
        Stdout::Piped,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_shown(&out);
    assert!(stderr(&out).contains("saved as campaign result 1"));
    let stored = campaigns(&db);
    assert_eq!(stored[0].result.actions.len(), DAYS);
    assert_eq!(stored[0].team, None);
    // Without a trainee, nothing is written.
    let bare = dir.path().join("untouched.sqlite");
    let out = campaign_play(
        dir.path(),
        &bare,
        &[CAMPAIGN, "--json-steps"],
        &end_every_day(),
        Stdout::Piped,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!bare.exists());
}

#[test]
fn a_failed_campaign_save_shows_the_result_then_keeps_it_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("failing.sqlite");
    drop(Store::open(&db).unwrap());
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER no_campaigns BEFORE INSERT ON campaign_results
                 BEGIN SELECT RAISE(ABORT, 'disk is full (simulated)'); END;",
        )
        .unwrap();
    let args = [
        CAMPAIGN,
        "--lang",
        "en",
        "--trainee",
        "Wang",
        "--team",
        "Tigers",
    ];
    let out = campaign_play(
        dir.path(),
        &db,
        &args,
        &end_every_day_by_number(1),
        Stdout::Piped,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_shown(&out);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: the campaign result was NOT saved: results database")
            && err.contains("failing.sqlite: disk is full (simulated)"),
        "{err}"
    );
    let (path, kept) = kept(dir.path(), "campaign");
    assert!(
        err.contains(&format!("the result is kept in {}", path.display())),
        "{err}"
    );
    assert_eq!(kept["unsaved"], "campaign");
    assert_eq!(kept["trainee"], "Wang");
    assert_eq!(kept["team"], "Tigers");
    let result: CampaignResult = serde_json::from_value(kept["result"].clone()).unwrap();
    assert_eq!(result.campaign, CAMPAIGN);
    assert_eq!(result.actions.len(), DAYS, "the whole action log is kept");
    assert!(campaigns(&db).is_empty());
}

#[test]
fn bad_names_and_a_missing_classroom_round_are_refused_before_the_desk_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let session = {
        let mut store = Store::open(&db).unwrap();
        let id = store.create_session("class").unwrap();
        store.add_team(Some(id), "Red", None, &[]).unwrap();
        id
    };
    let sid = session.to_string();
    let cases: [(&[&str], &str); 6] = [
        (&["--trainee", " "], "--trainee is blank"),
        (
            &["--trainee", "Wang", "--team", "\u{1b}[31m"],
            "--team has the control",
        ),
        (
            &["--session", &sid, "--trainee", "Wang", "--team", "Red"],
            "has no campaign round open",
        ),
        (
            &["--session", "99", "--trainee", "Wang", "--team", "Red"],
            "no classroom session 99",
        ),
        (&["--session", &sid, "--trainee", "Wang"], "--team <TEAM>"),
        (&["--session", &sid], "--trainee <TRAINEE>"),
    ];
    for (extra, why) in cases {
        let args = [&[CAMPAIGN][..], extra].concat();
        let out = campaign_play(
            dir.path(),
            &db,
            &args,
            &end_every_day_by_number(1),
            Stdout::Piped,
        );
        assert_ne!(out.status.code(), Some(0), "{extra:?}");
        assert!(stderr(&out).contains(why), "{extra:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{extra:?}: the desk opened");
    }
    // With a round open: a team of another session, another campaign or another seed.
    let mut store = Store::open(&db).unwrap();
    store.start_campaign_round(session, CAMPAIGN, 9).unwrap();
    drop(store);
    for (extra, why) in [
        (vec!["--team", "Blue"], "its teams are: Red"),
        (
            vec!["--team", "Red", "--seed", "3"],
            "seed 9, the same for every team",
        ),
        (
            vec!["--team", "Red", "other_desk"],
            "is `test_desk`, not `other_desk`",
        ),
    ] {
        let args = [&["--session", &sid, "--trainee", "Wang"][..], &extra].concat();
        let out = campaign_play(dir.path(), &db, &args, b"", Stdout::Piped);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{extra:?}: {}", stderr(&out));
    }
    assert!(campaigns(&db).is_empty());
}
