//! The rules of the product in pure Rust. Nothing here imports Bevy; the game and the command
//! line are thin layers over it.
//!
//! Content goes one way through five stages, each importing only the ones before it (the test
//! `the_content_pipeline_runs_one_way` checks): `content` (the model, the source files and
//! parsing) → `engine` (compile, score, play) → `analysis` (search, model answer, the cache) →
//! `validate` → `library`. Below them all sit the foundations (`text`, `diagnostics`, `mode`,
//! `syllabus`, `pin`); above them, what uses the library's products (`quiz`, `classroom`,
//! `campaign`, `graph`).

pub mod analysis;
pub mod campaign;
pub mod classroom;
pub mod content;
pub mod diagnostics;
pub mod engine;
pub mod graph;
pub mod library;
pub mod mode;
pub mod pin;
pub mod quiz;
pub mod syllabus;
pub mod text;
pub mod validate;

#[cfg(test)]
mod pipeline;
