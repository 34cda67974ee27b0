//! Reference policies that play a campaign to the end: the course's way (best), a soft
//! collector, a heavy-handed one and a random one. They read only what the desk shows (the
//! ledger, the log, the evidence file), never the debtors' hidden behaviour.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::action::{Action, Addressees, Colleague, LetterKind, MessageChannel, NextStep};
use super::desk::{Desk, Step};
use super::error::CampaignError;
use super::note::Note;
use super::score::CampaignResult;
use super::state::{ActionRecord, PendingConversation};
use crate::domain::engine::scoring::judge_turn;
use crate::domain::engine::{AttemptResult, Session, Setup};

/// A built-in way of working the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// The course's way: three touches a week, letters on schedule, reconcile early, turn
    /// verbal promises into written ones, visit evaders and instalment cases, log every
    /// contact, follow up broken promises at once, hand a malicious debtor to legal in time.
    Best,
    /// A soft collector: one call a fortnight per account, accepts verbal promises, no letters,
    /// no visits, no log.
    Soft,
    /// A heavy-handed one: the lawyer's letter first, supply stopped, handed to legal early.
    Heavy,
    /// Any allowed action at random (and random lines in conversations).
    Random,
    /// Busy without judgement: random actions that stay within the law (no letter to their
    /// customers, never a third contact in a day), first lines in conversations.
    Busy,
}

impl Policy {
    /// Every policy.
    pub const ALL: [Policy; 5] = [
        Policy::Best,
        Policy::Soft,
        Policy::Heavy,
        Policy::Random,
        Policy::Busy,
    ];

    /// The name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Policy::Best => "best",
            Policy::Soft => "soft",
            Policy::Heavy => "heavy",
            Policy::Random => "random",
            Policy::Busy => "busy",
        }
    }
}

impl std::str::FromStr for Policy {
    type Err = String;

    fn from_str(s: &str) -> Result<Policy, String> {
        Policy::ALL
            .into_iter()
            .find(|p| p.key() == s)
            .ok_or_else(|| format!("unknown policy `{s}`: use best, soft, heavy, random or busy"))
    }
}

/// The generator a policy draws from for `desk` (random actions and random lines).
pub fn policy_rng(desk: &Desk) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(desk.state().seed ^ 0x0005_EED0_FB0B)
}

/// The action `policy` takes next (always one the desk allows now).
pub fn next_action(desk: &Desk, policy: Policy, rng: &mut Pcg64Mcg) -> Action {
    let action = match policy {
        Policy::Best => best(desk),
        Policy::Soft => soft(desk),
        Policy::Heavy => heavy(desk),
        Policy::Random => random(desk, rng),
        Policy::Busy => busy(desk, rng),
    };
    if desk.check(&action).is_ok() {
        action
    } else {
        Action::EndDay
    }
}

/// Plays `desk` to the end under `policy` and returns the result.
pub fn simulate(mut desk: Desk, policy: Policy) -> Result<CampaignResult, CampaignError> {
    let mut rng = policy_rng(&desk);
    while !desk.is_over() {
        let action = next_action(&desk, policy, &mut rng);
        if let Step::Conversation(pending) = desk.apply(action)? {
            let (result, choices) = play_conversation(&desk, &pending, policy, &mut rng)?;
            desk.finish_conversation(&result, choices)?;
        }
    }
    desk.result().ok_or(CampaignError::Over)
}

/// Plays recorded actions again (a golden playthrough, a stored result checked against its
/// content): each conversation is played with the choices recorded for it. Stops with an error
/// at the first action or choice the desk refuses.
pub fn replay(mut desk: Desk, records: &[ActionRecord]) -> Result<Desk, CampaignError> {
    for record in records {
        if desk.is_over() {
            break;
        }
        if let Step::Conversation(pending) = desk.apply(record.action.clone())? {
            let recorded = record
                .conversation
                .as_ref()
                .ok_or(CampaignError::NoConversation)?;
            let scenario = desk
                .scenario(&pending.scenario)
                .ok_or(CampaignError::NoConversation)?;
            let setup = Setup {
                prepared: recorded.prepared.clone(),
                trainee: Some(desk.state().trainee.clone()),
                truths: Vec::new(),
            };
            let failed = |e: crate::domain::engine::PlayError| CampaignError::Conversation {
                scenario: pending.scenario.clone(),
                why: format!("does not replay as recorded: {e}"),
            };
            let (mut session, _) =
                Session::start(&scenario.compiled, pending.seed, desk.locale(), setup)
                    .map_err(failed)?;
            for id in &recorded.choices {
                session.choose(id).map_err(failed)?;
            }
            let result = session
                .result()
                .ok_or_else(|| CampaignError::Conversation {
                    scenario: pending.scenario.clone(),
                    why: "did not end with the recorded choices".to_owned(),
                })?;
            desk.finish_conversation(&result, recorded.choices.clone())?;
        }
    }
    Ok(desk)
}

/// Plays an authored conversation the way `policy` would: the model answer's line at every
/// turn (best, heavy), the first line shown (soft), or any line (random).
pub fn play_conversation(
    desk: &Desk,
    pending: &PendingConversation,
    policy: Policy,
    rng: &mut Pcg64Mcg,
) -> Result<(AttemptResult, Vec<String>), CampaignError> {
    let scenario = desk
        .scenario(&pending.scenario)
        .ok_or(CampaignError::NoConversation)?;
    // A conversation from the desk starts without the briefing's checklist (the trainee
    // plays it the same way in the window and the terminal), so no policy ticks one either.
    let prepared: Vec<String> = Vec::new();
    let setup = Setup {
        prepared: prepared.clone(),
        trainee: Some(desk.state().trainee.clone()),
        truths: Vec::new(),
    };
    let conversation_error = |e: crate::domain::engine::PlayError| CampaignError::Conversation {
        scenario: pending.scenario.clone(),
        why: format!("failed: {e}"),
    };
    let (mut session, _) = Session::start(&scenario.compiled, pending.seed, desk.locale(), setup)
        .map_err(conversation_error)?;
    let mut choices = Vec::new();
    while !session.is_ended() {
        let c = session.content().clone();
        let s = session.state().clone();
        let available = c.available(&s);
        if available.is_empty() {
            break;
        }
        let id = match policy {
            Policy::Best | Policy::Heavy => {
                let ci = judge_turn(&c, &s, &available, available[0]).best_offered;
                choice_id(&c, s.node, ci)
            }
            Policy::Soft | Policy::Busy => session
                .choices()
                .into_iter()
                .find(|v| v.number == Some(1))
                .map(|v| v.id)
                .unwrap_or_default(),
            Policy::Random => {
                let ci = available[rng.random_range(0..available.len())];
                choice_id(&c, s.node, ci)
            }
        };
        session.choose(&id).map_err(conversation_error)?;
        choices.push(id);
    }
    let result = session
        .result()
        .ok_or_else(|| CampaignError::Conversation {
            scenario: pending.scenario.clone(),
            why: "did not reach an ending".to_owned(),
        })?;
    Ok((result, choices))
}

fn choice_id(c: &crate::domain::engine::Compiled, node: usize, ci: usize) -> String {
    match &c.scenario.nodes[node] {
        crate::domain::content::model::Node::Debtor(d) => d.choices[ci].id.0.clone(),
        crate::domain::content::model::Node::Ending(_) => String::new(),
    }
}

/// What the desk shows of account `k` that a policy may use.
struct Seen {
    id: String,
    age: i64,
    touched_today: usize,
    touches_this_week: usize,
    unlogged: bool,
    verbal_promise: bool,
    promise_due_soon: bool,
    promise_standing: bool,
    broken_unfollowed: bool,
    broken: usize,
    silent: bool,
    nobody_there: bool,
    no_cash: bool,
    disputes: bool,
    reconciled: bool,
    reconciliation_pending: bool,
    refused_reconciliation: bool,
    warning: bool,
    enough_for_legal: bool,
    letters: Vec<LetterKind>,
    last_letter_day: Option<u32>,
    visited: bool,
}

fn seen(desk: &Desk, k: usize) -> Seen {
    let st = desk.state();
    let a = &st.accounts[k];
    let day = st.day;
    let today = desk.today_offset();
    let notes = st.log.iter().filter(|l| l.account == Some(k));
    let (mut silent, mut nobody, mut no_cash, mut disputes) = (false, false, false, false);
    for l in notes {
        match &l.note {
            Note::WentSilent => silent = true,
            Note::NobodyThere => nobody = true,
            Note::SalesHelped { successor: true } => nobody = false,
            Note::ManagerEscalated => silent = false,
            Note::NoCash => no_cash = true,
            Note::Event { .. } | Note::Promised { .. } => no_cash = false,
            Note::Disputes { .. } => disputes = true,
            Note::ReconciliationSigned { .. } => disputes = false,
            _ => {}
        }
    }
    let week = day / 5;
    Seen {
        id: a.id.clone(),
        age: a.age(today).unwrap_or(i64::MIN),
        touched_today: desk.touches_on(k, day),
        touches_this_week: (week * 5..=day).map(|d| desk.touches_on(k, d)).sum(),
        unlogged: a.unlogged.is_some(),
        verbal_promise: a.promises.iter().any(|p| !p.written),
        promise_due_soon: a.promises.iter().any(|p| p.due <= day + 2),
        promise_standing: !a.promises.is_empty(),
        broken_unfollowed: a.broken.iter().any(|b| b.followed.is_none()),
        broken: a.broken.len(),
        silent: silent || a.unanswered >= 2,
        nobody_there: nobody,
        no_cash,
        disputes,
        reconciled: a.evidence.reconciliation.is_some(),
        reconciliation_pending: a.reconciliation_due.is_some(),
        refused_reconciliation: a.refused_reconciliation,
        warning: a.warning_seen,
        enough_for_legal: a.evidence.enough_for_legal(),
        letters: a.evidence.letters.iter().map(|l| l.kind).collect(),
        last_letter_day: a.evidence.letters.last().map(|l| l.day),
        visited: desk
            .state()
            .actions
            .iter()
            .any(|r| matches!(&r.action, Action::Visit { account } if *account == a.id)),
    }
}

fn fits(desk: &Desk, action: Action) -> Option<Action> {
    desk.check(&action).is_ok().then_some(action)
}

/// The course's way.
fn best(desk: &Desk) -> Action {
    let day = desk.state().day;
    let mut candidates = Vec::new();
    for k in 0..desk.state().accounts.len() {
        if !desk.state().accounts[k].active() {
            continue;
        }
        let s = seen(desk, k);
        let id = || s.id.clone();
        // Log every contact before moving on.
        if s.unlogged {
            let next = if s.promise_standing {
                NextStep::CheckPayment
            } else {
                NextStep::Call
            };
            candidates.push(Action::Log {
                account: id(),
                next,
                in_days: 2,
            });
            continue;
        }
        let overdue = s.age > 0;
        // A debtor who refuses to sign, breaks promises and is moving stock: to legal, with
        // the evidence, before it is too late.
        // Broken promises alone do not make a debtor malicious: one short of cash breaks them
        // too, and suing them loses a customer who would have paid (004).
        let suspicious = s.refused_reconciliation || s.warning || (s.broken >= 3 && !s.no_cash);
        if overdue && suspicious && s.age >= 30 {
            if s.enough_for_legal {
                candidates.push(Action::HandOver { account: id() });
                continue;
            }
            if !s.letters.contains(&LetterKind::Overdue) {
                candidates.push(Action::Letter {
                    account: id(),
                    kind: LetterKind::Overdue,
                    to: Addressees::DecisionMakers,
                });
                continue;
            }
            if s.touched_today == 0 {
                candidates.push(Action::Message {
                    account: id(),
                    channel: MessageChannel::Wechat,
                });
                continue;
            }
        }
        if s.touched_today > 0 {
            continue;
        }
        if s.broken_unfollowed {
            candidates.push(if s.silent {
                Action::Visit { account: id() }
            } else {
                Action::Call { account: id() }
            });
            continue;
        }
        if s.nobody_there {
            candidates.push(Action::Colleague {
                account: id(),
                who: Colleague::Sales,
            });
            continue;
        }
        if overdue && !s.reconciled && !s.reconciliation_pending && !s.refused_reconciliation {
            candidates.push(Action::Reconcile { account: id() });
        }
        // The letter schedule.
        if (-7..=-3).contains(&s.age) && !s.letters.contains(&LetterKind::Reminder) {
            candidates.push(Action::Letter {
                account: id(),
                kind: LetterKind::Reminder,
                to: Addressees::DecisionMakers,
            });
            continue;
        }
        if (1..=15).contains(&s.age)
            && !s.letters.contains(&LetterKind::Overdue)
            && !s.promise_standing
        {
            candidates.push(Action::Letter {
                account: id(),
                kind: LetterKind::Overdue,
                to: Addressees::DecisionMakers,
            });
            continue;
        }
        if s.age > 15 && !s.letters.contains(&LetterKind::Overdue) && !s.promise_standing {
            candidates.push(Action::Letter {
                account: id(),
                kind: LetterKind::Overdue,
                to: Addressees::DecisionMakers,
            });
            continue;
        }
        if s.age >= 30
            && s.letters.contains(&LetterKind::Overdue)
            && !s.letters.contains(&LetterKind::Legal)
            && !s.promise_standing
            && s.broken > 0
            && s.last_letter_day.is_none_or(|d| d + 5 <= day)
        {
            candidates.push(Action::Letter {
                account: id(),
                kind: LetterKind::Legal,
                to: Addressees::DecisionMakers,
            });
            continue;
        }
        if s.silent {
            candidates.push(if s.visited {
                Action::Colleague {
                    account: id(),
                    who: Colleague::Manager,
                }
            } else {
                Action::Visit { account: id() }
            });
            continue;
        }
        if s.verbal_promise {
            candidates.push(Action::Message {
                account: id(),
                channel: MessageChannel::Wechat,
            });
            continue;
        }
        if (s.no_cash || s.disputes) && !s.visited {
            candidates.push(Action::Visit { account: id() });
            continue;
        }
        if s.promise_due_soon {
            candidates.push(Action::Call { account: id() });
            continue;
        }
        let rhythm_day = matches!(day % 5, 0 | 2 | 4);
        if (overdue || s.age > -7) && rhythm_day && s.touches_this_week < 3 {
            candidates.push(if s.promise_standing || day % 5 == 2 {
                Action::Message {
                    account: id(),
                    channel: MessageChannel::Wechat,
                }
            } else {
                Action::Call { account: id() }
            });
        }
    }
    candidates
        .into_iter()
        .find_map(|a| fits(desk, a))
        .unwrap_or(Action::EndDay)
}

/// One call a fortnight per account, verbal promises taken at their word.
fn soft(desk: &Desk) -> Action {
    let day = desk.state().day;
    for k in 0..desk.state().accounts.len() {
        let a = &desk.state().accounts[k];
        if !a.active() || !(day as usize + k).is_multiple_of(10) || desk.touches_on(k, day) > 0 {
            continue;
        }
        if let Some(action) = fits(
            desk,
            Action::Call {
                account: a.id.clone(),
            },
        ) {
            return action;
        }
    }
    Action::EndDay
}

/// The lawyer's letter first, supply stopped, legal early.
fn heavy(desk: &Desk) -> Action {
    let day = desk.state().day;
    for k in 0..desk.state().accounts.len() {
        let a = &desk.state().accounts[k];
        if !a.active() {
            continue;
        }
        let s = seen(desk, k);
        let id = || s.id.clone();
        if s.age <= 0 {
            continue;
        }
        if !s.letters.contains(&LetterKind::Legal) {
            return Action::Letter {
                account: id(),
                kind: LetterKind::Legal,
                to: Addressees::DecisionMakers,
            };
        }
        if a.supply_stopped.is_none() {
            return Action::StopSupply { account: id() };
        }
        if day >= 10 && s.age >= 30 && s.broken > 0 {
            return Action::HandOver { account: id() };
        }
        if day % 5 == (k as u32) % 5 && desk.touches_on(k, day) == 0 {
            return Action::Call { account: id() };
        }
    }
    Action::EndDay
}

/// Random lawful actions: never the letter to their customers, never a third contact with
/// one account in a day; the day ends about one time in eight.
fn busy(desk: &Desk, rng: &mut Pcg64Mcg) -> Action {
    if rng.random_range(0..8) == 0 {
        return Action::EndDay;
    }
    let day = desk.state().day;
    let lawful: Vec<Action> = desk
        .allowed()
        .into_iter()
        .filter(|a| {
            let to_their_customers = matches!(
                a,
                Action::Letter {
                    kind: LetterKind::TheirCustomers,
                    ..
                }
            );
            let contact = matches!(
                a,
                Action::Call { .. } | Action::Message { .. } | Action::Visit { .. }
            );
            let third_today = a
                .account()
                .and_then(|id| desk.account_index(id))
                .is_some_and(|k| desk.touches_on(k, day) >= 2);
            !to_their_customers && (!contact || !third_today)
        })
        .collect();
    lawful[rng.random_range(0..lawful.len())].clone()
}

/// Any allowed action; the day ends about one time in eight. An account and a menu item are
/// drawn until one is allowed (cheaper than listing every allowed action at every step).
fn random(desk: &Desk, rng: &mut Pcg64Mcg) -> Action {
    if rng.random_range(0..8) == 0 {
        return Action::EndDay;
    }
    let accounts = &desk.state().accounts;
    for _ in 0..64 {
        let a = &accounts[rng.random_range(0..accounts.len())];
        if let Some(action) = super::menu::item(&a.id, rng.random_range(0..super::menu::ITEMS))
            && desk.check(&action).is_ok()
        {
            return action;
        }
    }
    Action::EndDay
}
