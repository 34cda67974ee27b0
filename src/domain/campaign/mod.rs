//! Campaign mode: a collection desk over simulated weeks. A campaign file puts accounts on the
//! desk; each working day the trainee spends time on calls, messages, letters, visits,
//! statements, colleagues, supply stops, hand-overs and the follow-up sheet, and when the day
//! ends the world moves (promises kept or broken, payments, ageing). Authored scenarios play
//! for the contacts they are written for and feed the account. The end scores cash, ageing,
//! rhythm, evidence and compliance, and names the turning points.
//!
//! Pure and deterministic: same campaign, seed and actions give the same result, and a saved
//! desk ([`DeskState`]) continues exactly where it was.

pub mod action;
pub mod calendar;
mod contact;
mod desk;
mod error;
pub mod ledger;
mod menu;
pub mod note;
pub mod policy;
mod score;
pub mod state;
mod world;

#[cfg(test)]
mod tests;

pub use action::{Action, Addressees, Colleague, LetterKind, MessageChannel, NextStep};
pub use calendar::RiskGrade;
pub use desk::{Desk, DeskScenario, Person, Step};
pub use error::CampaignError;
pub use ledger::{LedgerRow, NextRow, PromiseRow};
pub use policy::{Policy, next_action, play_conversation, policy_rng, replay, simulate};
pub use score::{AccountOutcome, CampaignResult, CampaignScores, TurningPoint};
pub use state::{ActionRecord, ConversationRecord, DeskState, LogLine, PendingConversation};
