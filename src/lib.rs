//! Dunning Dojo (催款道场): a training simulator for collecting overdue B2B payments.
//!
//! [`domain`] holds the rules (content, engine, scoring) and never depends on Bevy; [`cli`]
//! is the command line over it.

pub mod cli;
pub mod domain;
