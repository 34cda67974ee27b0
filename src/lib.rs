//! Dunning Dojo (催款道场): a training simulator for collecting overdue B2B payments.
//!
//! [`domain`] holds the rules (content, engine, scoring) and never depends on Bevy; [`cli`]
//! is the command line over it, and [`game`] (feature `game`) the Bevy window.

pub mod cli;
pub mod domain;
#[cfg(feature = "game")]
pub mod game;
