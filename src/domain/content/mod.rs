//! Content: the RON model, parsing with spans, validation with codes, and the loaded library.

pub mod files;
pub mod library;
pub mod model;
pub mod parse;
mod parse_error;
pub mod span;
pub mod syntax;
pub mod validate;

pub use library::{ContentSet, Library, Playable, SourceFile};
pub use model::{Id, Persona, Scenario};
pub use parse::{Document, parse_document};
