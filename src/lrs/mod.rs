//! The learning record store (LRS): where the results go as xAPI statements. [`config`] is the
//! trainer's LRS setting, [`client`] speaks to the LRS, [`sender`] empties the store's outbox
//! into it.

pub mod client;
pub mod config;
pub mod sender;

pub use client::{Lrs, LrsError, Posted, Secret};
pub use config::LrsConfig;
pub use sender::{Flush, flush};
