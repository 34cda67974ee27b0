//! Emptying the outbox into the LRS: batches of the oldest due statements; marked sent only on
//! a 2xx (or a 409, the same deterministic id stored before); a batch the LRS refuses is sent
//! again statement by statement so only the bad ones are set aside; a dead LRS pushes the
//! batch back with a growing wait; a wrong key or secret stops the flush and marks nothing.

use jiff::{SignedDuration, Timestamp};

use super::client::{Lrs, Posted};
use crate::store::{OutboxCounts, Queued, Refused, Store, StoreError};

/// Statements per `POST`.
pub const BATCH: usize = 50;

/// What a flush did and what is left.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flush {
    /// Statements the LRS stored in this flush.
    pub sent: u64,
    /// Statements still waiting, and in all.
    pub counts: OutboxCounts,
    /// Every statement the LRS refused (this flush or before), with its reason.
    pub refused: Vec<Refused>,
    /// Why the flush stopped early (the LRS unreachable or the credentials refused).
    pub problem: Option<String>,
}

/// How long to wait before retrying a statement that failed `tries` times: 5 s doubling, at
/// most an hour.
pub fn backoff(tries: u32) -> SignedDuration {
    let secs = 5u64.saturating_mul(1u64 << tries.min(10));
    SignedDuration::from_secs(secs.min(3600) as i64)
}

/// Sends every due statement (all pending ones when `now_or_all` is `None`, as when the
/// trainer asks; else those whose retry time has come) to `lrs`.
pub fn flush(store: &mut Store, lrs: &Lrs, due_at: Option<Timestamp>) -> Result<Flush, StoreError> {
    let mut out = Flush::default();
    // A far future makes every pending statement due.
    let horizon = due_at.unwrap_or(Timestamp::MAX);
    // Rows set back for a retry are not due again in this flush, so the loop ends.
    let mut tried = std::collections::HashSet::new();
    'batches: loop {
        let due: Vec<Queued> = store
            .outbox_due(horizon, BATCH + tried.len())?
            .into_iter()
            .filter(|q| !tried.contains(&q.id))
            .take(BATCH)
            .collect();
        if due.is_empty() {
            break;
        }
        let statements: Vec<_> = due.iter().map(|q| q.statement.clone()).collect();
        let ids: Vec<i64> = due.iter().map(|q| q.id).collect();
        match lrs.post_statements(&statements) {
            Posted::Stored | Posted::Duplicate => {
                store.outbox_sent(&ids, crate::store::now())?;
                out.sent += ids.len() as u64;
            }
            Posted::Unauthorised { reason, .. } => {
                out.problem = Some(unauthorised(lrs, &reason));
                break;
            }
            Posted::Unreachable { reason } => {
                set_back(store, &due, &reason)?;
                out.problem = Some(unreachable(lrs, &reason));
                break;
            }
            Posted::Refused { .. } => {
                // Which statement is at fault? Send them one by one.
                for q in &due {
                    tried.insert(q.id);
                    match lrs.post_statements(std::slice::from_ref(&q.statement)) {
                        Posted::Stored | Posted::Duplicate => {
                            store.outbox_sent(&[q.id], crate::store::now())?;
                            out.sent += 1;
                        }
                        Posted::Refused { reason, .. } => store.outbox_refuse(q.id, &reason)?,
                        Posted::Unauthorised { reason, .. } => {
                            out.problem = Some(unauthorised(lrs, &reason));
                            break 'batches;
                        }
                        Posted::Unreachable { reason } => {
                            set_back(store, std::slice::from_ref(q), &reason)?;
                            out.problem = Some(unreachable(lrs, &reason));
                            break 'batches;
                        }
                    }
                }
            }
        }
    }
    out.counts = store.outbox_counts()?;
    out.refused = store.outbox_refused()?;
    Ok(out)
}

fn set_back(store: &mut Store, due: &[Queued], reason: &str) -> Result<(), StoreError> {
    let tries = due.iter().map(|q| q.tries).max().unwrap_or(0);
    let ids: Vec<i64> = due.iter().map(|q| q.id).collect();
    store.outbox_failed(&ids, reason, crate::store::now() + backoff(tries))
}

fn unauthorised(lrs: &Lrs, reason: &str) -> String {
    format!(
        "the LRS at {} refused the key and secret ({reason}); nothing was marked sent. Check them with `lrs set`, or in classroom mode's LRS settings",
        lrs.endpoint()
    )
}

fn unreachable(lrs: &Lrs, reason: &str) -> String {
    format!(
        "the LRS at {} cannot be reached ({reason}); the statements stay in the outbox and go when it answers",
        lrs.endpoint()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_up_to_an_hour() {
        assert_eq!(backoff(0), SignedDuration::from_secs(5));
        assert_eq!(backoff(1), SignedDuration::from_secs(10));
        assert_eq!(backoff(3), SignedDuration::from_secs(40));
        assert_eq!(backoff(20), SignedDuration::from_secs(3600));
    }
}
