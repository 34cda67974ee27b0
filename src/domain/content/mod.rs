//! Content as read: the RON model, the source files, and parsing with spans. The stages after
//! this one (compile, analyse, validate, library) live beside it in `domain`.

pub mod files;
pub mod model;
pub mod parse;
mod parse_error;
pub mod set;
pub mod source;
pub mod span;
pub mod strings;
pub mod syntax;

pub use model::{Id, Persona, Scenario};
pub use parse::{Document, parse_document};
pub use set::ContentSet;
pub use source::SourceFile;
