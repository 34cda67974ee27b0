//! Dunning Dojo (催款道场): a training simulator for collecting overdue B2B payments.
//!
//! [`domain`] holds the rules (content, engine, scoring, classroom arithmetic) and never
//! depends on Bevy; [`store`] keeps results in SQLite, [`report`] exports them, [`lrs`] sends
//! them to a learning record store, [`cmi5`] takes launches from a learning management system;
//! [`cli`] is the
//! command line over all of it, and [`game`] (feature `game`) the Bevy window.

pub mod cli;
pub mod cmi5;
pub mod domain;
#[cfg(feature = "game")]
pub mod game;
pub mod lrs;
pub mod report;
pub mod store;
