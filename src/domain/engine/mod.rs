//! The dialogue engine: compiled scenarios, the session state machine and its events.

pub mod compiled;
pub mod format;
pub mod session;
pub mod spoken;

pub use compiled::{CompileError, Compiled, State};
pub use session::{
    AttemptResult, ChoiceView, DebriefTurn, Event, PlayError, SavedSession, Session, Setup,
    Speaker, TranscriptEntry, start,
};
