//! The outbox: xAPI statements waiting for the learning record store. A result's statements
//! are queued in the transaction that records the result (when a [`StatementSource`] is set),
//! so nothing saved is ever without them; a sender takes the due ones, and marks them sent
//! only after the LRS said so, or pushes them back with a later time to try again.

use std::sync::Arc;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use super::{Result, Store, StoreError, StoredAttempt, StoredCampaign, StoredQuiz, schema, stamp};

/// Turns stored results into xAPI statements (the report layer implements it, so the store
/// stays free of the statement format). Each statement has an `id`.
pub trait StatementSource: Send + Sync {
    /// The statements of an attempt.
    fn attempt(&self, attempt: &StoredAttempt) -> Vec<Value>;
    /// The statements of a quiz result.
    fn quiz(&self, quiz: &StoredQuiz) -> Vec<Value>;
    /// The statements of a campaign result.
    fn campaign(&self, campaign: &StoredCampaign) -> Vec<Value>;
}

/// The shared handle the store keeps.
pub type Source = Arc<dyn StatementSource>;

/// How many statements are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting to be sent (including those waiting for a retry).
    pub pending: u64,
    /// Stored by the LRS.
    pub sent: u64,
    /// Refused by the LRS (see [`Store::outbox_refused`]).
    pub refused: u64,
}

/// A statement waiting to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Queued {
    /// Outbox row id.
    pub id: i64,
    /// The statement's id.
    pub statement_id: String,
    /// The statement.
    pub statement: Value,
    /// How many sends failed before.
    pub tries: u32,
}

/// A refused statement and the LRS's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The statement's id.
    pub statement_id: String,
    /// The LRS's reason.
    pub reason: String,
}

/// Queues `statements` (of the result with `registration`) in `tx`. A statement already in
/// the outbox (same id) is left as it is, so queueing twice is harmless.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    registration: &str,
    statements: &[Value],
    now: &str,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO outbox (statement_id, registration, statement, queued_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (statement_id) DO NOTHING",
    )?;
    for s in statements {
        let id = s.get("id").and_then(Value::as_str).ok_or_else(|| {
            StoreError::Invalid(format!("a statement of {registration} has no id"))
        })?;
        stmt.execute(params![id, registration, s.to_string(), now])?;
    }
    Ok(())
}

impl Store {
    /// Queues the statements of every result recorded from now on, rendered by `source`
    /// (`None`: queue nothing, as when no LRS is configured).
    pub fn queue_statements(&mut self, source: Option<Source>) {
        self.outbox = source;
    }

    /// Whether results recorded now get their statements queued.
    pub fn queues_statements(&self) -> bool {
        self.outbox.is_some()
    }

    pub(super) fn has_outbox(&self) -> bool {
        self.version >= schema::OUTBOX
    }

    /// Queues, with the source set by [`Store::queue_statements`], the statements of every
    /// stored result that has none in the outbox yet (results recorded before an LRS was
    /// configured). Damaged rows are left out, as in every export. Returns how many results
    /// were queued (none without a source).
    pub fn queue_missing(&mut self) -> Result<u64> {
        let Some(source) = self.outbox.clone() else {
            return Ok(0);
        };
        let queued: std::collections::HashSet<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT DISTINCT registration FROM outbox")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let filter = super::AttemptFilter::default();
        let mut batches: Vec<(String, Vec<Value>)> = Vec::new();
        let missing = |reg: &uuid::Uuid| !queued.contains(&reg.to_string());
        for a in self.attempts_checked(&filter)?.rows {
            if missing(&a.registration) {
                batches.push((a.registration.to_string(), source.attempt(&a)));
            }
        }
        for q in self.quizzes_checked(None)?.rows {
            if missing(&q.registration) {
                batches.push((q.registration.to_string(), source.quiz(&q)));
            }
        }
        for c in self.campaign_results_checked(&filter)?.rows {
            if missing(&c.registration) {
                batches.push((c.registration.to_string(), source.campaign(&c)));
            }
        }
        let now = stamp(super::now());
        let count = batches.len() as u64;
        self.write(|tx| {
            for (registration, statements) in &batches {
                enqueue(tx, registration, statements, &now)?;
            }
            Ok(())
        })?;
        Ok(count)
    }

    /// Up to `limit` pending statements whose retry time has come by `now`, oldest first.
    pub fn outbox_due(&self, now: jiff::Timestamp, limit: usize) -> Result<Vec<Queued>> {
        if !self.has_outbox() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, statement_id, statement, tries FROM outbox
             WHERE state = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?1)
             ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![stamp(now), limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (id, statement_id, text, tries) = row?;
            let statement = serde_json::from_str(&text).map_err(|e| StoreError::Damaged {
                what: format!("outbox statement {statement_id}"),
                why: e.to_string(),
            })?;
            Ok(Queued {
                id,
                statement_id,
                statement,
                tries,
            })
        })
        .collect()
    }

    /// Marks the outbox rows `ids` sent at `at`.
    pub fn outbox_sent(&mut self, ids: &[i64], at: jiff::Timestamp) -> Result<()> {
        let at = stamp(at);
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
            )?;
            for id in ids {
                stmt.execute(params![id, at])?;
            }
            Ok(())
        })
    }

    /// Records a failed send of `ids`: one more try, `error`, and no retry before `retry_at`.
    pub fn outbox_failed(
        &mut self,
        ids: &[i64],
        error: &str,
        retry_at: jiff::Timestamp,
    ) -> Result<()> {
        let retry_at = stamp(retry_at);
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET tries = tries + 1, last_error = ?2, next_try_at = ?3
                 WHERE id = ?1 AND state = 'pending'",
            )?;
            for id in ids {
                stmt.execute(params![id, error, retry_at])?;
            }
            Ok(())
        })
    }

    /// Marks the outbox row `id` refused by the LRS, with its reason. It stays in the outbox
    /// (shown by `report xapi --send`) until [`Store::outbox_retry_refused`].
    pub fn outbox_refuse(&mut self, id: i64, reason: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'refused', last_error = ?2, tries = tries + 1
                 WHERE id = ?1",
                params![id, reason],
            )?;
            Ok(())
        })
    }

    /// Puts every refused statement back in the queue (after the LRS was fixed); returns how
    /// many.
    pub fn outbox_retry_refused(&mut self) -> Result<u64> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE outbox SET state = 'pending', next_try_at = NULL WHERE state = 'refused'",
                [],
            )? as u64)
        })
    }

    /// How many statements are pending, sent and refused.
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let mut counts = OutboxCounts::default();
        if !self.has_outbox() {
            return Ok(counts);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT state, count(*) FROM outbox GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            let n = n as u64;
            match state.as_str() {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                _ => counts.refused = n,
            }
        }
        Ok(counts)
    }

    /// The refused statements and the LRS's reasons, oldest first.
    pub fn outbox_refused(&self) -> Result<Vec<Refused>> {
        if !self.has_outbox() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(
            "SELECT statement_id, coalesce(last_error, '') FROM outbox
             WHERE state = 'refused' ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Refused {
                statement_id: r.get(0)?,
                reason: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The last failure of a pending statement, if the last send failed.
    pub fn outbox_last_error(&self) -> Result<Option<String>> {
        if !self.has_outbox() {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row(
                "SELECT last_error FROM outbox WHERE state = 'pending' AND last_error IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }
}
