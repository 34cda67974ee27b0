//! Tests of campaign mode: determinism, save and restore, compliance, the letter schedule and
//! what a conversation leaves behind, on a small campaign written here.

use std::path::{Path, PathBuf};

use super::*;
use crate::domain::content::ContentSet;
use crate::domain::diagnostics::codes;
use crate::domain::library::Library;
use crate::domain::text::Locale;

const CAMPAIGN: &str = r#"Campaign(
    id: "test_desk",
    title: {"zh-CN": "测试", "en": "Test"},
    summary: {"zh-CN": "两个客户。", "en": "Two accounts."},
    supplier: {"zh-CN": "测试公司", "en": "Test Co."},
    locales: ["zh-CN", "en"],
    difficulty: easy,
    start: "2026-11-23",
    weeks: 3,
    hours_per_day: 8,
    accounts: [
        (
            id: "lianjun",
            persona: "wang_lei",
            note: {"zh-CN": "首单，发票可能没交到财务。", "en": "First order; the invoice may not have reached finance."},
            invoices: [(id: "JY-2026-1016", amount: 48750.00, due: "2026-11-17")],
            behaviour: (willingness: 55, verbal_kept: 40, written_kept: 90, moved_by: [reconciliation]),
            scenarios: [(contact: call, stages: [days_overdue], scenario: "boss_on_business_trip")],
        ),
        (
            id: "huacai",
            persona: "liu_fang",
            note: {"zh-CN": "还没到期。", "en": "Not due yet."},
            invoices: [(id: "HC-1", amount: 52000.00, due: "2026-12-02")],
            behaviour: (willingness: 60, verbal_kept: 50, written_kept: 90, put_off_by: [legal_letter, stop_supply]),
        ),
    ],
)"#;

fn dialogues() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues")
}

fn library_with(campaign: &str) -> Library {
    let d = dialogues();
    let mut set = ContentSet::load(&[d.join("personas"), d.join("scenarios")]);
    set.add(
        PathBuf::from("campaigns/test_desk.ron"),
        campaign.to_owned(),
    );
    Library::build(set, None)
}

fn desk(lib: &Library, seed: u64) -> Desk {
    Desk::new(lib, "test_desk", seed, Locale::En, "Alex").expect("the test campaign opens")
}

fn json(r: &CampaignResult) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn the_test_campaign_validates() {
    let lib = library_with(CAMPAIGN);
    let errors: Vec<String> = lib.diagnostics.iter().map(|d| d.headline()).collect();
    assert!(lib.campaigns.contains_key("test_desk"), "{errors:?}");
}

#[test]
fn same_campaign_seed_and_policy_give_byte_identical_results() {
    let lib = library_with(CAMPAIGN);
    for policy in Policy::ALL {
        let a = simulate(desk(&lib, 7), policy).unwrap();
        let b = simulate(desk(&lib, 7), policy).unwrap();
        assert_eq!(json(&a), json(&b), "{policy:?}");
    }
    let a = simulate(desk(&lib, 7), Policy::Random).unwrap();
    let c = simulate(desk(&lib, 8), Policy::Random).unwrap();
    assert_ne!(json(&a), json(&c), "another seed plays out differently");
}

#[test]
fn recorded_actions_replay_to_the_same_result() {
    let lib = library_with(CAMPAIGN);
    let played = simulate(desk(&lib, 3), Policy::Best).unwrap();
    assert!(
        played.actions.iter().any(|r| r.conversation.is_some()),
        "the authored call was played"
    );
    let again = replay(desk(&lib, 3), &played.actions).unwrap();
    assert_eq!(json(&again.result().unwrap()), json(&played));
}

/// Saves after every `every` actions (through JSON, as the interfaces keep it), including
/// while a conversation is waiting, and restores before going on.
fn run_with_saves(lib: &Library, seed: u64, policy: Policy, every: usize) -> CampaignResult {
    let mut d = desk(lib, seed);
    let mut rng = policy_rng(&d);
    let mut n = 0;
    while !d.is_over() {
        let action = next_action(&d, policy, &mut rng);
        if let Step::Conversation(pending) = d.apply(action).unwrap() {
            // Save and restore with the conversation pending.
            let saved = serde_json::to_string(&d.save()).unwrap();
            d = Desk::restore(lib, serde_json::from_str(&saved).unwrap()).unwrap();
            assert_eq!(d.state().pending.as_ref(), Some(&pending));
            let (result, choices) = play_conversation(&d, &pending, policy, &mut rng).unwrap();
            d.finish_conversation(&result, choices).unwrap();
        }
        n += 1;
        if n % every == 0 {
            let saved = serde_json::to_string(&d.save()).unwrap();
            d = Desk::restore(lib, serde_json::from_str(&saved).unwrap()).unwrap();
        }
    }
    d.result().unwrap()
}

#[test]
fn save_restore_continue_equals_an_uninterrupted_run() {
    let lib = library_with(CAMPAIGN);
    for (seed, policy) in [(1, Policy::Best), (2, Policy::Random), (5, Policy::Heavy)] {
        let straight = simulate(desk(&lib, seed), policy).unwrap();
        for every in [1, 3, 17] {
            let resumed = run_with_saves(&lib, seed, policy, every);
            assert_eq!(
                json(&resumed),
                json(&straight),
                "{policy:?} seed {seed} every {every}"
            );
        }
    }
}

#[test]
fn a_save_from_other_content_is_refused() {
    let lib = library_with(CAMPAIGN);
    let saved = desk(&lib, 1).save();
    let changed = library_with(&CAMPAIGN.replace("willingness: 55", "willingness: 56"));
    assert!(matches!(
        Desk::restore(&changed, saved.clone()),
        Err(CampaignError::ContentChanged { .. })
    ));
    let mut future = saved;
    future.version = 99;
    assert!(matches!(
        Desk::restore(&lib, future),
        Err(CampaignError::BadVersion { found: 99 })
    ));
}

#[test]
fn a_third_contact_in_a_day_is_harassment_and_fails_the_campaign() {
    let lib = library_with(CAMPAIGN);
    let mut d = desk(&lib, 1);
    let call = || Action::Message {
        account: "huacai".into(),
        channel: MessageChannel::Sms,
    };
    d.apply(call()).unwrap();
    d.apply(call()).unwrap();
    assert!(
        d.state().blockers.is_empty(),
        "two contacts in a day are allowed"
    );
    d.apply(call()).unwrap();
    assert_eq!(d.state().blockers.len(), 1);
    let r = simulate(d, Policy::Best).unwrap();
    assert!(!r.passed, "a blocker fails the campaign whatever the score");
    assert_eq!(r.blockers.len(), 1);
}

#[test]
fn telling_their_customers_breaks_the_law_and_the_campaign() {
    let lib = library_with(CAMPAIGN);
    let mut d = desk(&lib, 1);
    d.apply(Action::Letter {
        account: "lianjun".into(),
        kind: LetterKind::TheirCustomers,
        to: Addressees::DecisionMakers,
    })
    .unwrap();
    let r = simulate(d, Policy::Best).unwrap();
    assert!(!r.passed);
    assert!(r.blockers[0].contains("law wins"), "{:?}", r.blockers);
}

#[test]
fn a_lawyers_letter_first_backfires_with_a_customer_put_off_by_it() {
    let lib = library_with(CAMPAIGN);
    let mut d = desk(&lib, 1);
    let before = d.state().accounts[1].willingness;
    d.apply(Action::Letter {
        account: "huacai".into(),
        kind: LetterKind::Legal,
        to: Addressees::DecisionMakers,
    })
    .unwrap();
    let a = &d.state().accounts[1];
    assert!(a.willingness < before, "{} !< {before}", a.willingness);
    assert!(
        d.state()
            .log
            .iter()
            .any(|l| matches!(l.note, note::Note::Backfired { .. }))
    );
}

#[test]
fn a_letter_to_the_contact_alone_keeps_half_the_schedule_and_moves_them_less() {
    let lib = library_with(CAMPAIGN);
    let sent = |to: Addressees| {
        let mut d = desk(&lib, 1);
        let before = d.state().accounts[0].willingness;
        d.apply(Action::Letter {
            account: "lianjun".into(),
            kind: LetterKind::Overdue,
            to,
        })
        .unwrap();
        let gained = d.state().accounts[0].willingness - before;
        (
            d.letter_schedule(0),
            gained,
            d.state().log.last().unwrap().clone(),
        )
    };
    let (everyone, moved, _) = sent(Addressees::DecisionMakers);
    let (contact, moved_less, line) = sent(Addressees::ContactOnly);
    // The second letter is the only one due in these three weeks (six days overdue at the
    // start): on time to the boss and finance it is all of the schedule, to the contact half.
    assert_eq!(everyone, Some(1.0));
    assert_eq!(contact, Some(0.5));
    assert!(moved_less < moved, "{moved_less} !< {moved}");
    assert!(line.note.text(Locale::En).contains("to your contact only"));
    // In JSON the default is left out, so actions recorded before addressees still read.
    let json = serde_json::to_string(&Action::Letter {
        account: "a".into(),
        kind: LetterKind::Reminder,
        to: Addressees::DecisionMakers,
    })
    .unwrap();
    assert_eq!(json, r#"{"do":"letter","account":"a","kind":"reminder"}"#);
    let contact_only: Action = serde_json::from_str(
        r#"{"do":"letter","account":"a","kind":"reminder","to":"contact_only"}"#,
    )
    .unwrap();
    assert!(matches!(
        contact_only,
        Action::Letter {
            to: Addressees::ContactOnly,
            ..
        }
    ));
}

#[test]
fn actions_cost_time_and_the_day_runs_out() {
    let lib = library_with(CAMPAIGN);
    let mut d = desk(&lib, 1);
    assert_eq!(d.minutes_left(), 480);
    d.apply(Action::Visit {
        account: "huacai".into(),
    })
    .unwrap();
    assert_eq!(d.minutes_left(), 240);
    d.apply(Action::Letter {
        account: "huacai".into(),
        kind: LetterKind::Reminder,
        to: Addressees::DecisionMakers,
    })
    .unwrap();
    d.apply(Action::Reconcile {
        account: "huacai".into(),
    })
    .unwrap();
    d.apply(Action::Letter {
        account: "lianjun".into(),
        kind: LetterKind::Overdue,
        to: Addressees::DecisionMakers,
    })
    .unwrap();
    let visit = Action::Visit {
        account: "lianjun".into(),
    };
    assert!(matches!(
        d.check(&visit),
        Err(CampaignError::NotAllowed { .. })
    ));
    assert!(!d.allowed().contains(&visit));
    d.apply(Action::EndDay).unwrap();
    assert_eq!(d.state().day, 1);
    assert_eq!(d.minutes_left(), 480);
}

#[test]
fn a_log_entry_needs_a_contact_first() {
    let lib = library_with(CAMPAIGN);
    let mut d = desk(&lib, 1);
    let log = Action::Log {
        account: "huacai".into(),
        next: NextStep::Call,
        in_days: 2,
    };
    assert!(d.check(&log).is_err());
    d.apply(Action::Message {
        account: "huacai".into(),
        channel: MessageChannel::Wechat,
    })
    .unwrap();
    assert!(d.check(&log).is_ok());
    d.apply(log.clone()).unwrap();
    assert!(d.check(&log).is_err(), "logged once per contact");
    let row = &d.ledger()[1];
    assert_eq!(row.next.as_ref().map(|n| n.step), Some(NextStep::Call));
}

#[test]
fn the_course_way_beats_soft_and_heavy_handed_collectors() {
    let lib = library_with(CAMPAIGN);
    let mean = |p: Policy| {
        (1..=20)
            .map(|s| simulate(desk(&lib, s), p).unwrap().scores.total)
            .sum::<f64>()
            / 20.0
    };
    let (best, soft, heavy) = (mean(Policy::Best), mean(Policy::Soft), mean(Policy::Heavy));
    assert!(best > soft + 15.0, "best {best} soft {soft}");
    assert!(best > heavy + 15.0, "best {best} heavy {heavy}");
}

#[test]
fn a_broken_campaign_file_gets_located_errors_and_no_panic() {
    let broken = CAMPAIGN
        .replace("start: \"2026-11-23\"", "start: \"2026-11-24\"")
        .replace("persona: \"liu_fang\"", "persona: \"liu_fnag\"")
        .replace(
            "scenario: \"boss_on_business_trip\"",
            "scenario: \"courtesy_reminder\"",
        )
        .replace("amount: 52000.00", "amount: -5.0");
    let lib = library_with(&broken);
    assert!(!lib.campaigns.contains_key("test_desk"));
    let found = |code| {
        lib.diagnostics
            .iter()
            .find(|d| d.code == code && d.path.ends_with("test_desk.ron"))
            .unwrap_or_else(|| panic!("no {code:?} in {:#?}", lib.diagnostics))
    };
    let line_of = |needle: &str| broken[..broken.find(needle).unwrap()].lines().count();
    assert_eq!(
        found(codes::CAMPAIGN_CALENDAR).line,
        line_of("start: \"2026-11-24\"")
    );
    let persona = found(codes::UNKNOWN_PERSONA);
    assert_eq!(persona.line, line_of("persona: \"liu_fnag\""));
    assert!(persona.help.as_deref().unwrap().contains("liu_fang"));
    assert_eq!(
        found(codes::CAMPAIGN_SCENARIO_MISMATCH).line,
        line_of("scenario: \"courtesy_reminder\"")
    );
    assert_eq!(found(codes::BAD_AMOUNT).line, line_of("amount: -5.0"));
    // A syntax error is located too.
    let lib = library_with(&CAMPAIGN.replace("weeks: 3,", "weeks: 3"));
    let d = &lib.diagnostics[0];
    assert!(d.path.ends_with("test_desk.ron"));
    assert_eq!(d.code, codes::SYNTAX);
}

#[test]
fn a_conversation_left_half_way_frees_the_desk_and_does_not_play_again() {
    let lib = library_with(CAMPAIGN);
    let mut d = desk(&lib, 1);
    let call = Action::Call {
        account: "lianjun".into(),
    };
    // Until someone answers and the authored call starts.
    let mut started = None;
    for _ in 0..10 {
        if let Step::Conversation(p) = d.apply(call.clone()).unwrap() {
            started = Some(p);
            break;
        }
        d.apply(Action::EndDay).unwrap();
    }
    let pending = started.expect("the authored call starts");
    assert_eq!(
        d.allowed(),
        Vec::<Action>::new(),
        "nothing else while it waits"
    );
    let lines = d.abandon_conversation().unwrap();
    assert!(matches!(lines[0].note, note::Note::LeftConversation { .. }));
    assert!(d.state().pending.is_none());
    assert!(!d.allowed().is_empty());
    assert!(d.state().accounts[0].played.contains(&pending.scenario));
    assert!(matches!(
        d.abandon_conversation(),
        Err(CampaignError::NoConversation)
    ));
}
