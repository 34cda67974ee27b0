//! The integration suite: one binary (so Bevy links once) with a module per area.

mod analysis_cache;
#[cfg(feature = "game")]
mod app_cmi5;
#[cfg(feature = "game")]
mod app_desk;
#[cfg(feature = "game")]
mod app_flow;
#[cfg(feature = "game")]
mod app_lrs;
#[cfg(feature = "game")]
mod app_support;
mod architecture;
mod broken_fixtures;
mod campaign_exports;
mod campaign_records;
mod campaigns;
mod cli;
mod cli_faults;
mod cmi5;
mod cmi5_lms;
mod content_files;
mod font;
mod lrs;
mod lrs_support;
mod parse_errors;
mod quiz_statements;
mod robustness;
mod shipped_content;
mod shipped_quizzes;
mod store;
mod store_concurrency;
mod store_faults;
mod strings;
mod support;
mod truths;
#[cfg(feature = "game")]
mod window;
mod zh_tw;
