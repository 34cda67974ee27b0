//! The accounts ledger as the desk shows it: what is owed and left, the age and stage, the
//! last contact, the next step on the follow-up sheet, the promise standing and the evidence.

use serde::Serialize;

use super::action::NextStep;
use super::calendar::{RiskGrade, stage_of};
use super::desk::Desk;
use crate::domain::content::model::DebtStage;

/// A promise as the ledger shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PromiseRow {
    /// The amount.
    pub amount: f64,
    /// The date it falls due.
    pub due: String,
    /// Signed or written rather than said.
    pub written: bool,
}

/// The next step on the follow-up sheet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NextRow {
    /// The step.
    pub step: NextStep,
    /// Its date.
    pub date: String,
    /// Whether its date has passed without a contact.
    pub missed: bool,
}

/// One account in the ledger.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerRow {
    /// The account id.
    pub account: String,
    /// The debtor's company.
    pub company: String,
    /// The contact's name.
    pub contact: String,
    /// What the follow-up sheet said at the start.
    pub note: String,
    /// What was owed at the start.
    pub owed: f64,
    /// What is left.
    pub left: f64,
    /// Days past the oldest unpaid due date (negative: not yet due; none: all paid).
    pub age: Option<i64>,
    /// The ageing stage.
    pub stage: Option<DebtStage>,
    /// The risk grade.
    pub grade: Option<RiskGrade>,
    /// The last contact's date.
    pub last_contact: Option<String>,
    /// The next step logged.
    pub next: Option<NextRow>,
    /// The earliest promise standing.
    pub promise: Option<PromiseRow>,
    /// Evidence held: reconciliation, written promise or acknowledgement, letter with receipt,
    /// recorded confirmation.
    pub evidence: [bool; 4],
    /// A contact today not yet logged.
    pub unlogged: bool,
    /// Closed: paid, handed over or lost (and which).
    pub status: &'static str,
}

impl Desk {
    /// The ledger, in the campaign's order.
    pub fn ledger(&self) -> Vec<LedgerRow> {
        let today = self.today_offset();
        let locale = self.locale();
        self.state
            .accounts
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let person = self.person(k).cloned().unwrap_or_default();
                let age = a.age(today);
                let next = a.follow_ups.last().map(|f| NextRow {
                    step: f.next,
                    date: self.date_of(f.due).to_string(),
                    missed: f.due < self.state.day
                        && !a.contacts.iter().any(|c| c.day > f.day && c.day <= f.due),
                });
                let promise = a.promises.iter().min_by_key(|p| p.due).map(|p| PromiseRow {
                    amount: p.amount,
                    due: self.date_of(p.due).to_string(),
                    written: p.written,
                });
                let status = if a.balance() <= 0.005 {
                    "paid"
                } else if a.handed_over.is_some() {
                    "handed_over"
                } else if a.lost {
                    "lost"
                } else {
                    "open"
                };
                LedgerRow {
                    account: a.id.clone(),
                    company: person.company,
                    contact: person.name,
                    note: self.campaign.accounts[k].note.resolve(locale).to_owned(),
                    owed: a.invoices.iter().map(|i| i.amount).sum(),
                    left: (a.balance() * 100.0).round() / 100.0,
                    age,
                    stage: age.map(stage_of),
                    grade: a.grade(today),
                    last_contact: a.last_contact().map(|d| self.date_of(d).to_string()),
                    next,
                    promise,
                    evidence: a.evidence.items(),
                    unlogged: a.unlogged.is_some(),
                    status,
                }
            })
            .collect()
    }
}
