//! The integration suite: one binary (so Bevy links once) with a module per area.

mod broken_fixtures;
mod cli;
mod robustness;
mod shipped_content;
mod support;
