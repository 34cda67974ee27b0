//! `lrs set|show|forget` (the trainer's learning record store) and `report xapi --send` (empty
//! the outbox into it). The secret is read from standard input or the environment, never from
//! an argument (shell histories and process lists keep those), and never printed.

use std::io::BufRead as _;
use std::path::Path;

use super::Failure;
use super::record::{open_store, store_failure};
use crate::domain::content::strings::SOURCE_LOCALE;
use crate::domain::library::Library;
use crate::lrs::config::ENV_SECRET;
use crate::lrs::{LrsConfig, Secret, flush};
use crate::report::xapi::Catalog;

/// `lrs …`.
#[derive(Debug, clap::Subcommand)]
pub enum LrsCommand {
    /// Save the LRS to send results to, in the results database (the game and the command
    /// line share it). The secret is read from standard input (one line), or from
    /// DUNNING_DOJO_LRS_SECRET; each field can also be overridden from the environment
    /// (DUNNING_DOJO_LRS_ENDPOINT, _KEY, _SECRET, _IRI_BASE, _DIALOGUE_TEXT).
    Set {
        /// The LRS's xAPI root, e.g. https://lrs.example.com/xAPI/.
        #[arg(long)]
        endpoint: String,
        /// The key (basic authorisation's user name).
        #[arg(long)]
        key: String,
        /// The IRI under which activities, accounts and extensions are named.
        #[arg(long, value_name = "IRI", default_value = crate::report::xapi::DEFAULT_BASE)]
        iri_base: String,
        /// Leave what was said (lines, options) out of statements; ids, scores and times stay.
        #[arg(long)]
        no_dialogue_text: bool,
    },
    /// Show the LRS setting (the secret as dots) and the outbox: pending, sent, refused.
    Show,
    /// Remove the LRS setting; statements already queued stay in the outbox.
    Forget,
}

/// Runs an `lrs` command.
pub fn run(command: &LrsCommand, db: Option<&Path>) -> Result<u8, Failure> {
    let mut store = open_store(db)?;
    match command {
        LrsCommand::Set {
            endpoint,
            key,
            iri_base,
            no_dialogue_text,
        } => {
            let secret = match std::env::var(ENV_SECRET).ok().filter(|s| !s.is_empty()) {
                Some(s) => s,
                None => {
                    eprintln!("LRS secret (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .map_err(|e| Failure::usage(format!("cannot read the secret: {e}")))?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let config = LrsConfig {
                endpoint: endpoint.trim().to_owned(),
                key: key.trim().to_owned(),
                secret: Secret::new(secret),
                iri_base: iri_base.trim().to_owned(),
                dialogue_text: !no_dialogue_text,
            };
            config.save(&mut store).map_err(Failure::usage)?;
            out!(
                "LRS saved: {} as {} (secret {})",
                config.endpoint,
                config.key,
                config.secret
            );
            Ok(0)
        }
        LrsCommand::Show => {
            match LrsConfig::load(&store).map_err(|message| Failure { message, code: 1 })? {
                None => out!("no LRS is set: results stay in the database (`lrs set` adds one)"),
                Some(c) => {
                    out!("endpoint       {}", c.endpoint);
                    out!("key            {}", c.key);
                    out!("secret         {}", c.secret);
                    out!("IRI base       {}", c.iri_base);
                    out!(
                        "dialogue text  {}",
                        if c.dialogue_text { "sent" } else { "left out" }
                    );
                }
            }
            let counts = store.outbox_counts().map_err(store_failure)?;
            out!(
                "outbox         {} pending, {} sent, {} refused",
                counts.pending,
                counts.sent,
                counts.refused
            );
            if let Some(e) = store.outbox_last_error().map_err(store_failure)? {
                out!("last failure   {e}");
            }
            Ok(0)
        }
        LrsCommand::Forget => {
            LrsConfig::forget(&mut store).map_err(|message| Failure { message, code: 1 })?;
            out!("LRS setting removed");
            Ok(0)
        }
    }
}

/// `report xapi --send`: queues the statements of every result not queued yet, then sends
/// every pending statement now. Exit 0 when all went, 3 when the LRS refused some (listed
/// with its reasons), 1 when it could not be reached or refused the credentials.
pub fn send(
    lib: &Library,
    db: Option<&Path>,
    retry_refused: bool,
    partial: u8,
) -> Result<u8, Failure> {
    let mut store = open_store(db)?;
    let Some(config) = LrsConfig::load(&store).map_err(|message| Failure { message, code: 1 })?
    else {
        return Err(Failure::usage(
            "no LRS is set: `lrs set --endpoint URL --key KEY` (secret on standard input), or set DUNNING_DOJO_LRS_ENDPOINT, _KEY and _SECRET",
        ));
    };
    config.check().map_err(Failure::usage)?;
    let source = config.statements(Catalog::from_library(lib), SOURCE_LOCALE);
    store.queue_statements(Some(std::sync::Arc::new(source)));
    let queued = store.queue_missing().map_err(store_failure)?;
    if queued > 0 {
        eprintln!("queued the statements of {queued} result(s) saved before");
    }
    if retry_refused {
        let n = store.outbox_retry_refused().map_err(store_failure)?;
        eprintln!("{n} refused statement(s) queued again");
    }
    let f = flush(&mut store, &config.client(), None).map_err(store_failure)?;
    out!(
        "sent {}, pending {}, refused {} (to {})",
        f.sent,
        f.counts.pending,
        f.counts.refused,
        config.endpoint
    );
    for r in &f.refused {
        out!("refused {}: {}", r.statement_id, r.reason);
    }
    if let Some(problem) = f.problem {
        return Err(Failure {
            message: problem,
            code: 1,
        });
    }
    if f.refused.is_empty() {
        Ok(0)
    } else {
        eprintln!(
            "warning: the LRS refused {} statement(s) (exit status {partial}); fix the cause, then `report xapi --send --retry-refused`",
            f.refused.len()
        );
        Ok(partial)
    }
}
