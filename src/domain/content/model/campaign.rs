//! The campaign file: a collection desk over simulated weeks — a portfolio of accounts, how each
//! debtor behaves over time, and which authored scenarios play for which contact.

use serde::{Deserialize, Serialize};

use super::Id;
use super::kinds::{DebtStage, Difficulty};
use crate::domain::text::Text;

/// A campaign: `Campaign(…)` at the root of a file (see `dialogues/README.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Stable id (`[a-z0-9_]+`).
    pub id: Id,
    /// Title shown in the campaign list.
    pub title: Text,
    /// What the trainee is handed: the desk, the month, the manager's expectation.
    pub summary: Text,
    /// The company the trainee collects for.
    pub supplier: Text,
    /// Locales every text is written in.
    pub locales: Vec<String>,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// The first day, `YYYY-MM-DD`; a Monday.
    pub start: String,
    /// Length in weeks (1 to 26); each week has five working days.
    pub weeks: u32,
    /// Working hours per day (4 to 12): every action costs some of them.
    pub hours_per_day: u32,
    /// The campaign score (0–100) needed to pass.
    #[serde(default = "default_pass_mark")]
    pub pass_mark: u32,
    /// The accounts on the desk.
    pub accounts: Vec<Account>,
}

fn default_pass_mark() -> u32 {
    60
}

/// One customer account on the desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Stable id within the campaign.
    pub id: Id,
    /// The debtor persona (a `Persona(…)` file).
    pub persona: Id,
    /// What the AR follow-up sheet says about the account when the campaign starts.
    pub note: Text,
    /// The invoices owed; some may not be due yet.
    pub invoices: Vec<Invoice>,
    /// How the debtor behaves over the weeks.
    pub behaviour: Behaviour,
    /// The authored conversations: which scenario plays for which contact at which stage.
    #[serde(default)]
    pub scenarios: Vec<ScenarioUse>,
}

/// An invoice on an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// The invoice number.
    pub id: String,
    /// The amount owed, in the campaign's currency (CNY).
    pub amount: f64,
    /// The due date, `YYYY-MM-DD` (before `start` when already overdue).
    pub due: String,
}

/// How a debtor behaves over time. Percentages are 0–100.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    /// Willingness to pay at the start (0–100); contacts, levers and age move it.
    pub willingness: i32,
    /// Chance a verbal promise is kept when it falls due.
    pub verbal_kept: u32,
    /// Chance a signed (or written) promise is kept when it falls due.
    pub written_kept: u32,
    /// The levers that move this debtor most.
    #[serde(default)]
    pub moved_by: Vec<Lever>,
    /// The levers that backfire with this debtor: goodwill is lost and they dig in.
    #[serde(default)]
    pub put_off_by: Vec<Lever>,
    /// Stops answering calls and messages after this many unanswered ones in a row (an
    /// evader); a visit or an escalation through the managers reopens the line.
    #[serde(default)]
    pub silent_after: Option<u32>,
    /// Chance (0–100) a call or message reaches a decision maker at all.
    #[serde(default = "default_reach")]
    pub reach: u32,
    /// Short of cash at the start (pays only part, or nothing, until cash arrives).
    #[serde(default)]
    pub short_of_cash: bool,
    /// Part of the debt held back as "disputed" until a reconciliation statement is signed
    /// (a deductor).
    #[serde(default)]
    pub disputed: f64,
    /// Agrees to an instalment plan rather than one payment when short of cash.
    #[serde(default)]
    pub instalments: bool,
    /// A malicious debtor: never pays of its own will; only a timely hand-over to legal, with
    /// the evidence a court needs, recovers the money.
    #[serde(default)]
    pub malicious: Option<Malicious>,
    /// Things that happen to the debtor in a given week.
    #[serde(default)]
    pub events: Vec<WorldEvent>,
}

fn default_reach() -> u32 {
    90
}

/// What makes a malicious debtor's money unrecoverable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Malicious {
    /// The week (1-based) in which the assets are moved: a hand-over after it recovers nothing.
    pub assets_moved_week: u32,
}

/// Something that happens to a debtor at the start of a week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldEvent {
    /// The week (1-based).
    pub week: u32,
    /// What happens.
    pub kind: EventKind,
}

/// The kinds of things that happen to a debtor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Their own customer pays them: cash arrives (the triangle debt unlocks).
    ClientPays,
    /// Their cash runs short.
    CashShort,
    /// The contact person leaves without a handover: calls reach no one who can decide until
    /// a colleague in sales finds the successor.
    ContactLeaves,
}

/// A lever a collector can pull.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    /// A signed reconciliation statement.
    Reconciliation,
    /// A visit in person.
    Visit,
    /// A formal collection letter.
    Letter,
    /// The lawyer's letter (the third letter, from the legal department).
    LegalLetter,
    /// Your manager speaking to their manager.
    Manager,
    /// The sales colleague who owns the relationship.
    Sales,
    /// Stopping supply.
    StopSupply,
}

/// Which kind of contact plays an authored conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    /// A phone call.
    Call,
    /// A visit.
    Visit,
}

/// An authored conversation for one account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioUse {
    /// The contact that plays it.
    pub contact: Contact,
    /// The ageing stages at which it plays (the account's age decides); once played, it does
    /// not play again.
    pub stages: Vec<DebtStage>,
    /// The scenario id.
    pub scenario: Id,
}
