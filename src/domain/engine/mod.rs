//! The dialogue engine: compiled scenarios, the session state machine and its events.

pub mod bits;
pub mod compiled;
mod draw;
mod error;
pub mod format;
mod record;
pub mod session;
pub mod spoken;
pub mod tone;
mod truths;

pub use compiled::{CompileError, Compiled, State};
pub use session::{
    AttemptResult, ChoiceView, DebriefTurn, Event, PlayError, SavedSession, Session, Setup,
    Speaker, TranscriptEntry, start,
};
