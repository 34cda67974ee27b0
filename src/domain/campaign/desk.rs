//! The desk: a campaign in progress. It answers which actions are allowed, applies them,
//! hands authored conversations to the interface and takes their results back, ends days, and
//! saves and restores at any point.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use sha2::{Digest, Sha256};

use super::action::{Action, LetterKind};
use super::calendar::{WORKDAYS, date_of, days_between, stage_of, workday_on_or_after};
use super::error::CampaignError;
use super::note::Note;
use super::state::{
    AccountState, ActionRecord, ConversationRecord, DESK_VERSION, DeskState, EvidenceFile,
    InvoiceState, LogLine, PendingConversation,
};
use crate::domain::content::model::{Campaign, Contact, Severity};
use crate::domain::engine::format::parse_date;
use crate::domain::engine::{AttemptResult, Compiled};
use crate::domain::library::Library;
use crate::domain::text::Locale;

/// A scenario the campaign can play.
#[derive(Clone, Debug)]
pub struct DeskScenario {
    /// The compiled scenario.
    pub compiled: Arc<Compiled>,
}

/// The debtor behind an account, in the desk's locale.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Person {
    /// The company.
    pub company: String,
    /// The contact's name.
    pub name: String,
    /// The contact's role.
    pub role: String,
}

/// The people behind a campaign's accounts, from the library's personas.
fn people_for(library: &Library, campaign: &Campaign, locale: Locale) -> Vec<Person> {
    campaign
        .accounts
        .iter()
        .map(|a| {
            library
                .personas
                .get(a.persona.as_str())
                .map(|p| Person {
                    company: p.company.resolve(locale).to_owned(),
                    name: p.name.resolve(locale).to_owned(),
                    role: p.role.resolve(locale).to_owned(),
                })
                .unwrap_or_else(|| Person {
                    company: a.id.0.clone(),
                    ..Person::default()
                })
        })
        .collect()
}

/// What an action did.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Done: these lines were added to the log.
    Done(Vec<LogLine>),
    /// An authored conversation must be played now; report it with
    /// [`Desk::finish_conversation`].
    Conversation(PendingConversation),
}

/// A campaign in progress.
#[derive(Clone, Debug)]
pub struct Desk {
    pub(super) campaign: Arc<Campaign>,
    pub(super) start: Date,
    pub(super) scenarios: BTreeMap<String, DeskScenario>,
    pub(super) people: Vec<Person>,
    pub(super) state: DeskState,
}

/// The scenarios a campaign names that are playable in `library`.
fn scenarios_for(library: &Library, campaign: &Campaign) -> BTreeMap<String, DeskScenario> {
    let mut out = BTreeMap::new();
    for u in campaign.accounts.iter().flat_map(|a| &a.scenarios) {
        if let Some(p) = library.scenarios.get(u.scenario.as_str()) {
            out.insert(
                u.scenario.0.clone(),
                DeskScenario {
                    compiled: Arc::clone(&p.compiled),
                },
            );
        }
    }
    out
}

/// SHA-256 of the campaign as parsed and of the scenarios it plays.
fn content_hash(campaign: &Campaign, scenarios: &BTreeMap<String, DeskScenario>) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(campaign).unwrap_or_default());
    for (id, s) in scenarios {
        h.update(id.as_bytes());
        h.update(s.compiled.content_hash.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Desk {
    /// Opens campaign `id` from the library.
    pub fn new(
        library: &Library,
        id: &str,
        seed: u64,
        locale: Locale,
        trainee: &str,
    ) -> Result<Desk, CampaignError> {
        let campaign = library
            .campaigns
            .get(id)
            .ok_or_else(|| CampaignError::UnknownCampaign {
                id: id.to_owned(),
                known: library.campaigns.keys().cloned().collect(),
            })?;
        let scenarios = scenarios_for(library, campaign);
        // Named in the language the desk runs in (see `from_parts`).
        let people = people_for(
            library,
            campaign,
            locale.served_by(&campaign.locales).unwrap_or(locale),
        );
        Desk::from_parts(
            Arc::clone(campaign),
            scenarios,
            people,
            seed,
            locale,
            trainee,
        )
    }

    /// Opens a campaign with the scenarios it may play.
    pub fn from_parts(
        campaign: Arc<Campaign>,
        scenarios: BTreeMap<String, DeskScenario>,
        people: Vec<Person>,
        seed: u64,
        locale: Locale,
        trainee: &str,
    ) -> Result<Desk, CampaignError> {
        // A campaign not written in zh-TW runs in zh-CN for a zh-TW trainee (`Locale::fallback`).
        let Some(locale) = locale.served_by(&campaign.locales) else {
            return Err(CampaignError::UnsupportedLocale {
                campaign: campaign.id.0.clone(),
                locale: locale.tag().to_owned(),
            });
        };
        let start = parse_date(&campaign.start).ok_or_else(|| CampaignError::BadCalendar {
            campaign: campaign.id.0.clone(),
        })?;
        let accounts = campaign
            .accounts
            .iter()
            .map(|a| AccountState {
                id: a.id.0.clone(),
                invoices: a
                    .invoices
                    .iter()
                    .map(|i| InvoiceState {
                        id: i.id.clone(),
                        amount: i.amount,
                        due_offset: parse_date(&i.due).map_or(0, |d| days_between(start, d)),
                        paid: 0.0,
                    })
                    .collect(),
                willingness: a.behaviour.willingness,
                goodwill: 70,
                cash: !a.behaviour.short_of_cash,
                silent: false,
                unanswered: 0,
                contact_left: false,
                disputed: a.behaviour.disputed,
                promises: Vec::new(),
                broken: Vec::new(),
                evidence: EvidenceFile::default(),
                reconciliation_due: None,
                refused_reconciliation: false,
                contacts: Vec::new(),
                follow_ups: Vec::new(),
                unlogged: None,
                handed_over: None,
                legal_pays: None,
                supply_stopped: None,
                lost: false,
                assets_moved: false,
                warning_seen: false,
                played: Vec::new(),
                payments: Vec::new(),
            })
            .collect();
        let state = DeskState {
            version: DESK_VERSION,
            campaign: campaign.id.0.clone(),
            content_hash: content_hash(&campaign, &scenarios),
            seed,
            lang: locale.tag().to_owned(),
            trainee: trainee.to_owned(),
            day: 0,
            minutes_used: 0,
            rng: Pcg64Mcg::seed_from_u64(seed ^ 0xC0FF_EE00_CA3B_A16E),
            accounts,
            log: Vec::new(),
            actions: Vec::new(),
            pending: None,
            weeks: Vec::new(),
            blockers: Vec::new(),
        };
        let mut desk = Desk {
            campaign,
            start,
            scenarios,
            people,
            state,
        };
        desk.start_week();
        Ok(desk)
    }

    /// Continues a saved campaign. Refuses a save from other content or another version.
    pub fn restore(library: &Library, saved: DeskState) -> Result<Desk, CampaignError> {
        if saved.version != DESK_VERSION {
            return Err(CampaignError::BadVersion {
                found: saved.version,
            });
        }
        let campaign = library.campaigns.get(&saved.campaign).ok_or_else(|| {
            CampaignError::UnknownCampaign {
                id: saved.campaign.clone(),
                known: library.campaigns.keys().cloned().collect(),
            }
        })?;
        let scenarios = scenarios_for(library, campaign);
        let hash = content_hash(campaign, &scenarios);
        if hash != saved.content_hash {
            return Err(CampaignError::ContentChanged {
                campaign: saved.campaign,
            });
        }
        let start = parse_date(&campaign.start).ok_or_else(|| CampaignError::BadCalendar {
            campaign: campaign.id.0.clone(),
        })?;
        if saved.accounts.len() != campaign.accounts.len() {
            return Err(CampaignError::ContentChanged {
                campaign: saved.campaign,
            });
        }
        let locale = Locale::from_tag(&saved.lang).unwrap_or(Locale::ZhCn);
        Ok(Desk {
            campaign: Arc::clone(campaign),
            start,
            scenarios,
            people: people_for(library, campaign, locale),
            state: saved,
        })
    }

    /// Everything needed to continue later.
    pub fn save(&self) -> DeskState {
        self.state.clone()
    }

    /// The state, read-only.
    pub fn state(&self) -> &DeskState {
        &self.state
    }

    /// The campaign.
    pub fn campaign(&self) -> &Arc<Campaign> {
        &self.campaign
    }

    /// The locale conversations are played in.
    pub fn locale(&self) -> Locale {
        Locale::from_tag(&self.state.lang).unwrap_or(Locale::ZhCn)
    }

    /// The debtor behind account `k`.
    pub fn person(&self, k: usize) -> Option<&Person> {
        self.people.get(k)
    }

    /// A scenario the campaign plays.
    pub fn scenario(&self, id: &str) -> Option<&DeskScenario> {
        self.scenarios.get(id)
    }

    /// Working days in the campaign.
    pub fn length(&self) -> u32 {
        self.campaign.weeks * WORKDAYS
    }

    /// Whether the last day has ended.
    pub fn is_over(&self) -> bool {
        self.state.day >= self.length()
    }

    /// Today's date.
    pub fn today(&self) -> Date {
        date_of(
            self.start,
            self.state.day.min(self.length().saturating_sub(1)),
        )
    }

    /// The date of working day `day`.
    pub fn date_of(&self, day: u32) -> Date {
        date_of(self.start, day)
    }

    /// Calendar days from the start to working day `day`.
    pub(super) fn offset_of(&self, day: u32) -> i64 {
        days_between(self.start, date_of(self.start, day))
    }

    /// Calendar days from the start to today.
    pub fn today_offset(&self) -> i64 {
        self.offset_of(self.state.day)
    }

    /// The working day (from the start) on which an invoice `due_offset` days after the
    /// start falls due, if within the campaign.
    pub(super) fn workday_of_offset(&self, due_offset: i64) -> Option<u32> {
        let date = self
            .start
            .checked_add(jiff::Span::new().days(due_offset))
            .ok()?;
        workday_on_or_after(self.start, date)
    }

    /// Touches (calls, messages, visits, letters) of account `k` on working day `day`.
    pub fn touches_on(&self, k: usize, day: u32) -> usize {
        let id = &self.state.accounts[k].id;
        self.state
            .actions
            .iter()
            .filter(|r| r.day == day && r.action.is_touch() && r.action.account() == Some(id))
            .count()
    }

    /// Minutes left today.
    pub fn minutes_left(&self) -> u32 {
        (self.campaign.hours_per_day * 60).saturating_sub(self.state.minutes_used)
    }

    /// The index of an account id.
    pub fn account_index(&self, id: &str) -> Option<usize> {
        self.state.accounts.iter().position(|a| a.id == id)
    }

    /// Every action allowed now, in menu order (end of day last).
    pub fn allowed(&self) -> Vec<Action> {
        if self.is_over() || self.state.pending.is_some() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for a in &self.state.accounts {
            for action in super::menu::for_account(a) {
                if self.check(&action).is_ok() {
                    out.push(action);
                }
            }
        }
        out.push(Action::EndDay);
        out
    }

    /// Why `action` is not allowed now, if it is not.
    pub fn check(&self, action: &Action) -> Result<usize, CampaignError> {
        if self.is_over() {
            return Err(CampaignError::Over);
        }
        if self.state.pending.is_some() {
            return Err(CampaignError::ConversationPending);
        }
        let Some(id) = action.account() else {
            return Ok(usize::MAX);
        };
        let k = self
            .account_index(id)
            .ok_or_else(|| CampaignError::UnknownAccount {
                id: id.to_owned(),
                known: self.state.accounts.iter().map(|a| a.id.clone()).collect(),
            })?;
        let a = &self.state.accounts[k];
        let not = |why: &str| {
            Err(CampaignError::NotAllowed {
                action: action.clone(),
                why: why.to_owned(),
            })
        };
        if !a.active() {
            return not("the account is closed: paid, handed over or lost");
        }
        if action.minutes() > self.minutes_left() {
            return not("not enough time left today");
        }
        match action {
            Action::Log { in_days, .. } => {
                if a.unlogged.is_none() {
                    return not("there is no contact to log since the last entry");
                }
                if !(1..=10).contains(in_days) {
                    return not("the next step must be 1 to 10 working days ahead");
                }
            }
            Action::Reconcile { .. } if a.reconciliation_due.is_some() => {
                return not("a reconciliation statement is already on its way");
            }
            Action::StopSupply { .. } if a.supply_stopped.is_some() => {
                return not("supply is already stopped");
            }
            _ => {}
        }
        Ok(k)
    }

    /// Applies an action.
    pub fn apply(&mut self, action: Action) -> Result<Step, CampaignError> {
        let k = self.check(&action)?;
        let before = self.state.log.len();
        self.state.minutes_used += action.minutes();
        self.state.actions.push(ActionRecord {
            day: self.state.day,
            action: action.clone(),
            conversation: None,
        });
        if action == Action::EndDay {
            self.end_day();
            return Ok(Step::Done(self.state.log[before..].to_vec()));
        }
        if let Some(pending) = self.act(k, &action) {
            self.state.pending = Some(pending.clone());
            return Ok(Step::Conversation(pending));
        }
        Ok(Step::Done(self.state.log[before..].to_vec()))
    }

    /// Adds a log line.
    pub(super) fn note(&mut self, account: Option<usize>, note: Note) {
        self.state.log.push(LogLine {
            day: self.state.day,
            account,
            note,
        });
    }

    /// Adds a line that breaks the law: the campaign fails.
    pub(super) fn blocker(&mut self, account: Option<usize>, note: Note) {
        let line = LogLine {
            day: self.state.day,
            account,
            note,
        };
        self.state.blockers.push(line.clone());
        self.state.log.push(line);
    }

    /// The authored conversation for a contact with account `k` now, if one is due.
    pub(super) fn authored(&self, k: usize, contact: Contact) -> Option<String> {
        let a = &self.state.accounts[k];
        let stage = stage_of(a.age(self.today_offset())?);
        self.campaign.accounts[k]
            .scenarios
            .iter()
            .find(|u| {
                u.contact == contact
                    && u.stages.contains(&stage)
                    && !a.played.contains(&u.scenario.0)
                    && self.scenarios.contains_key(u.scenario.as_str())
            })
            .map(|u| u.scenario.0.clone())
    }

    /// A seed for a conversation: the campaign's seed, the day and the action count.
    pub(super) fn conversation_seed(&self, k: usize) -> u64 {
        let mut h = Sha256::new();
        h.update(self.state.seed.to_le_bytes());
        h.update(self.state.day.to_le_bytes());
        h.update((k as u64).to_le_bytes());
        h.update((self.state.actions.len() as u64).to_le_bytes());
        let d = h.finalize();
        u64::from_le_bytes(d[..8].try_into().unwrap_or([0; 8]))
    }

    /// The trainee left the pending conversation before it ended: the contact happened, nothing
    /// was agreed, goodwill suffers, and the scenario does not play again.
    pub fn abandon_conversation(&mut self) -> Result<Vec<LogLine>, CampaignError> {
        let pending = self
            .state
            .pending
            .take()
            .ok_or(CampaignError::NoConversation)?;
        let before = self.state.log.len();
        self.state.accounts[pending.account].goodwill -= 5;
        self.note(
            Some(pending.account),
            Note::LeftConversation {
                scenario: pending.scenario,
            },
        );
        Ok(self.state.log[before..].to_vec())
    }

    /// Takes back the result of the pending conversation.
    pub fn finish_conversation(
        &mut self,
        result: &AttemptResult,
        choices: Vec<String>,
    ) -> Result<Vec<LogLine>, CampaignError> {
        let pending = self
            .state
            .pending
            .clone()
            .ok_or(CampaignError::NoConversation)?;
        if result.scenario != pending.scenario || result.seed != pending.seed {
            return Err(CampaignError::WrongConversation {
                expected: pending.scenario,
            });
        }
        self.state.pending = None;
        let before = self.state.log.len();
        if let Some(rec) = self.state.actions.last_mut() {
            rec.conversation = Some(ConversationRecord {
                scenario: result.scenario.clone(),
                seed: result.seed,
                outcome: result.outcome,
                score: result.scores.overall,
                passed: result.passed,
                prepared: result.prepared.clone(),
                choices,
            });
        }
        self.conversation_outcome(pending.account, pending.contact, result);
        if result
            .violations
            .iter()
            .any(|v| v.severity == Severity::Blocker)
        {
            self.blocker(
                Some(pending.account),
                Note::ConversationViolation {
                    scenario: result.scenario.clone(),
                },
            );
        }
        Ok(self.state.log[before..].to_vec())
    }

    /// Whether a letter of `kind` to account `k` now is out of the course's order: a legal
    /// letter before the overdue notice or within 15 days of the due date.
    pub(super) fn letter_out_of_order(&self, k: usize, kind: LetterKind) -> bool {
        let a = &self.state.accounts[k];
        match kind {
            LetterKind::Legal => {
                let age = a.age(self.today_offset()).unwrap_or(0);
                age < 15
                    || !a
                        .evidence
                        .letters
                        .iter()
                        .any(|l| l.kind == LetterKind::Overdue)
            }
            LetterKind::Overdue => a.age(self.today_offset()).unwrap_or(0) <= 0,
            _ => false,
        }
    }
}
