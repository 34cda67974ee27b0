//! The state of a campaign in progress: the accounts as the desk knows them and as they are,
//! the calendar, the generator, the log and the action record. All of it is saved and restored.

use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::action::{Action, Addressees, LetterKind, NextStep};
use super::calendar::RiskGrade;
use super::note::Note;
use crate::domain::content::model::{Contact, Outcome};

/// Format version of [`DeskState`].
pub const DESK_VERSION: u32 = 1;

/// Everything needed to continue a campaign exactly where it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskState {
    /// Format version.
    pub version: u32,
    /// The campaign id.
    pub campaign: String,
    /// SHA-256 of the campaign and the scenarios it plays; restore refuses other content.
    pub content_hash: String,
    /// The seed.
    pub seed: u64,
    /// The locale tag conversations are played in.
    pub lang: String,
    /// The trainee's name.
    pub trainee: String,
    /// The working day (0-based); equal to the campaign's length when it is over.
    pub day: u32,
    /// Minutes of today already spent.
    pub minutes_used: u32,
    /// The world's generator, mid-stream.
    pub rng: Pcg64Mcg,
    /// The accounts, in the campaign's order.
    pub accounts: Vec<AccountState>,
    /// The desk log, oldest first.
    pub log: Vec<LogLine>,
    /// Every action taken, with its day, in order.
    pub actions: Vec<ActionRecord>,
    /// The conversation in progress, if an action started one.
    pub pending: Option<PendingConversation>,
    /// The ledger at the end of each week (for the report's chart).
    pub weeks: Vec<WeekSnapshot>,
    /// What broke the law, if anything: any entry fails the campaign.
    pub blockers: Vec<LogLine>,
}

/// One action and the working day it was taken on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// The working day.
    pub day: u32,
    /// The action.
    pub action: Action,
    /// The conversation it played, with its outcome and score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationRecord>,
}

/// What an authored conversation left behind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationRecord {
    /// The scenario id.
    pub scenario: String,
    /// The seed it was played with.
    pub seed: u64,
    /// The outcome.
    pub outcome: Outcome,
    /// The overall score (0–100).
    pub score: f64,
    /// Whether it passed.
    pub passed: bool,
    /// The preparation ids ticked.
    #[serde(default)]
    pub prepared: Vec<String>,
    /// The choice ids, in order (the conversation can be replayed from them).
    pub choices: Vec<String>,
}

/// A conversation the desk is waiting for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingConversation {
    /// The account index.
    pub account: usize,
    /// The scenario id.
    pub scenario: String,
    /// The session seed.
    pub seed: u64,
    /// Call or visit.
    pub contact: Contact,
}

/// A line of the desk log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogLine {
    /// The working day.
    pub day: u32,
    /// The account index, when it concerns one.
    pub account: Option<usize>,
    /// What happened.
    pub note: Note,
}

/// A promise to pay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    /// The amount promised.
    pub amount: f64,
    /// The working day it falls due.
    pub due: u32,
    /// Signed and stamped (or confirmed in writing) rather than said.
    pub written: bool,
    /// The working day it was made.
    pub made: u32,
    /// Part of an instalment plan fitted to the debtor's cash (kept whether or not they are
    /// short of cash otherwise).
    #[serde(default)]
    pub plan: bool,
}

/// A promise that broke, and when the collector next touched the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrokenPromise {
    /// The working day it broke.
    pub day: u32,
    /// The amount.
    pub amount: f64,
    /// The first working day with a contact after it broke.
    pub followed: Option<u32>,
}

/// A letter sent by courier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LetterSent {
    /// Which letter.
    pub kind: LetterKind,
    /// The working day.
    pub day: u32,
    /// To whom.
    #[serde(default, skip_serializing_if = "Addressees::is_default")]
    pub to: Addressees,
}

/// The evidence file of one account: what a court would need.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// A reconciliation statement signed and stamped (working day).
    pub reconciliation: Option<u32>,
    /// A written or signed promise, or a written confirmation of amount and date.
    pub written_promise: Option<u32>,
    /// An acknowledgement of the debt in writing (a message reply): restarts the limitation
    /// period.
    pub acknowledged: Option<u32>,
    /// A recorded call confirming the amount and the date.
    pub recorded: Option<u32>,
    /// Letters with courier receipts.
    pub letters: Vec<LetterSent>,
}

impl EvidenceFile {
    /// The items a court would look for, held or not: reconciliation, a written promise or
    /// acknowledgement, a letter with a receipt, a recorded confirmation.
    pub fn items(&self) -> [bool; 4] {
        [
            self.reconciliation.is_some(),
            self.written_promise.is_some() || self.acknowledged.is_some(),
            !self.letters.is_empty(),
            self.recorded.is_some(),
        ]
    }

    /// Whether the file is enough for the legal department to act: a signed statement or a
    /// written acknowledgement of the debt, and a formal demand with a receipt.
    pub fn enough_for_legal(&self) -> bool {
        (self.reconciliation.is_some()
            || self.written_promise.is_some()
            || self.acknowledged.is_some())
            && !self.letters.is_empty()
    }
}

/// A contact with the debtor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// The working day.
    pub day: u32,
    /// Whether someone who decides was reached.
    pub reached: bool,
}

/// An entry of the AR follow-up sheet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The working day it was written.
    pub day: u32,
    /// The next step.
    pub next: NextStep,
    /// The working day of the next step.
    pub due: u32,
    /// Whether a promise stood when it was written.
    pub promise: bool,
}

/// An invoice and what is left of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceState {
    /// The invoice number.
    pub id: String,
    /// The amount.
    pub amount: f64,
    /// Calendar days from the campaign's start to the due date (negative: already overdue).
    pub due_offset: i64,
    /// Paid so far.
    pub paid: f64,
}

/// One account as the campaign runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    /// The account id.
    pub id: String,
    /// The invoices.
    pub invoices: Vec<InvoiceState>,
    /// Willingness to pay (0–100), hidden from the desk.
    pub willingness: i32,
    /// The relationship (0–100), hidden; below 20 the customer is lost.
    pub goodwill: i32,
    /// Whether they have the cash.
    pub cash: bool,
    /// Whether they have stopped answering.
    pub silent: bool,
    /// Unanswered contacts in a row.
    pub unanswered: u32,
    /// The contact person left without a handover and no successor is known.
    pub contact_left: bool,
    /// The amount held back as disputed until a reconciliation is signed.
    pub disputed: f64,
    /// Promises standing.
    pub promises: Vec<Promise>,
    /// Promises broken.
    pub broken: Vec<BrokenPromise>,
    /// The evidence file.
    pub evidence: EvidenceFile,
    /// A reconciliation statement sent and not yet back (the working day it returns).
    pub reconciliation_due: Option<u32>,
    /// They refused to sign the reconciliation statement.
    pub refused_reconciliation: bool,
    /// Contacts, oldest first.
    pub contacts: Vec<ContactRecord>,
    /// The follow-up sheet.
    pub follow_ups: Vec<FollowUp>,
    /// The working day of a contact not yet logged.
    pub unlogged: Option<u32>,
    /// Handed over to legal (working day).
    pub handed_over: Option<u32>,
    /// The working day the legal department's action pays out, if it will.
    pub legal_pays: Option<u32>,
    /// Supply stopped (working day).
    pub supply_stopped: Option<u32>,
    /// The customer is lost.
    pub lost: bool,
    /// A malicious debtor's assets have moved.
    pub assets_moved: bool,
    /// A warning sign the desk has seen (a malicious debtor emptying the warehouse).
    pub warning_seen: bool,
    /// Authored conversations already played (scenario ids).
    pub played: Vec<String>,
    /// Payments received: (working day, amount).
    pub payments: Vec<(u32, f64)>,
}

impl AccountState {
    /// What is still owed.
    pub fn balance(&self) -> f64 {
        self.invoices
            .iter()
            .map(|i| (i.amount - i.paid).max(0.0))
            .sum()
    }

    /// What is owed and due by calendar offset `today` (days since the start).
    pub fn due_balance(&self, today: i64) -> f64 {
        self.invoices
            .iter()
            .filter(|i| i.due_offset <= today)
            .map(|i| (i.amount - i.paid).max(0.0))
            .sum()
    }

    /// The age in days of the oldest unpaid invoice at calendar offset `today` (negative when
    /// nothing is due yet; `None` when all is paid).
    pub fn age(&self, today: i64) -> Option<i64> {
        self.invoices
            .iter()
            .filter(|i| i.amount - i.paid > 0.005)
            .map(|i| today - i.due_offset)
            .max()
    }

    /// Whether the desk still works the account.
    pub fn active(&self) -> bool {
        self.balance() > 0.005 && self.handed_over.is_none() && !self.lost
    }

    /// Pays `amount` against the oldest invoices first; returns what was applied.
    pub fn pay(&mut self, day: u32, amount: f64) -> f64 {
        let mut left = (amount * 100.0).round() / 100.0;
        let mut applied = 0.0;
        let mut order: Vec<usize> = (0..self.invoices.len()).collect();
        order.sort_by_key(|&i| self.invoices[i].due_offset);
        for i in order {
            let inv = &mut self.invoices[i];
            let open = inv.amount - inv.paid;
            if open <= 0.005 || left <= 0.005 {
                continue;
            }
            let take = open.min(left);
            inv.paid += take;
            left -= take;
            applied += take;
        }
        let applied = (applied * 100.0).round() / 100.0;
        if applied > 0.0 {
            self.payments.push((day, applied));
        }
        applied
    }

    /// The risk grade of the account's remainder at calendar offset `today`.
    pub fn grade(&self, today: i64) -> Option<RiskGrade> {
        let age = self.age(today)?;
        if self.lost || self.assets_moved {
            return Some(RiskGrade::Dead);
        }
        Some(RiskGrade::of_age(age))
    }

    /// The last working day with a contact.
    pub fn last_contact(&self) -> Option<u32> {
        self.contacts.last().map(|c| c.day)
    }
}

/// The ledger at the end of a week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekSnapshot {
    /// The week (1-based).
    pub week: u32,
    /// Cash collected so far.
    pub collected: f64,
    /// What is left, by risk grade, in [`RiskGrade::ALL`] order.
    pub by_grade: [f64; 5],
}
