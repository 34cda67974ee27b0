//! The compile stage and the dialogue engine: compiled scenarios, the scoring rubric, the
//! session state machine and its events.

pub mod bits;
pub mod compiled;
mod draw;
mod error;
mod evidence;
pub mod format;
mod record;
pub mod scoring;
pub mod session;
pub mod spoken;
mod state;
pub mod tone;
mod truths;

pub use compiled::{CompileError, Compiled, EvidenceMax, State};
pub use session::{
    AttemptResult, ChoiceView, DebriefTurn, Event, PlayError, SavedSession, Session, Setup,
    Speaker, TranscriptEntry, start,
};
