//! The rules of the product in pure Rust: content, engine, scoring, analysis, syllabus.
//! Nothing here imports Bevy; the game and the command line are thin layers over it.

pub mod analysis;
pub mod audit;
pub mod classroom;
pub mod content;
pub mod diagnostics;
pub mod engine;
pub mod graph;
pub mod mode;
pub mod pin;
pub mod quiz;
pub mod scoring;
pub mod syllabus;
pub mod text;
