//! Writing and reading attempts and quiz results. Each is one transaction: the attempt row,
//! its choices and (first time) its trainee commit together or not at all.

use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::{Result, Store, StoreError, checksum, stamp};
use crate::domain::classroom::AttemptRecord;
use crate::domain::engine::AttemptResult;
use crate::domain::mode::Mode;
use crate::domain::quiz::QuizResult;

/// An attempt to record.
#[derive(Clone, Debug)]
pub struct NewAttempt<'a> {
    /// Who played (created on first use).
    pub trainee: &'a str,
    /// Their team (see [`Store::team_by_name`] / [`Store::add_team`]).
    pub team: Option<i64>,
    /// The classroom round (its session is recorded too).
    pub round: Option<i64>,
    /// The persona id.
    pub persona: &'a str,
    /// `phone` or `visit`.
    pub channel: &'a str,
    /// Practice or exam.
    pub mode: Mode,
    /// When the conversation started.
    pub started_at: jiff::Timestamp,
    /// When it ended.
    pub ended_at: jiff::Timestamp,
    /// The scored result, transcript included.
    pub result: &'a AttemptResult,
}

/// A quiz result to record.
#[derive(Clone, Debug)]
pub struct NewQuiz<'a> {
    /// Who answered.
    pub trainee: &'a str,
    /// Their team.
    pub team: Option<i64>,
    /// Their classroom session.
    pub session: Option<i64>,
    /// The quiz code (bank, count, topic, difficulty, seed).
    pub code: &'a str,
    /// Locale tag.
    pub locale: &'a str,
    /// Practice or exam.
    pub mode: Mode,
    /// Start.
    pub started_at: jiff::Timestamp,
    /// End.
    pub ended_at: jiff::Timestamp,
    /// The graded result.
    pub result: &'a QuizResult,
}

/// An attempt as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredAttempt {
    /// Row id.
    pub id: i64,
    /// UUID, the xAPI registration.
    pub registration: Uuid,
    /// Trainee name.
    pub trainee: String,
    /// Team name.
    pub team: Option<String>,
    /// Session id.
    pub session: Option<i64>,
    /// Session name.
    pub session_name: Option<String>,
    /// Round number.
    pub round: Option<u32>,
    /// Persona id.
    pub persona: String,
    /// Channel.
    pub channel: String,
    /// Practice or exam.
    pub mode: Mode,
    /// Start (RFC 3339).
    pub started_at: String,
    /// End (RFC 3339).
    pub ended_at: String,
    /// Duration in milliseconds.
    pub duration_ms: i64,
    /// SHA-256 of the stored result JSON.
    pub checksum: String,
    /// The result, transcript included.
    pub result: AttemptResult,
}

impl StoredAttempt {
    /// The classroom view of this attempt.
    pub fn record(&self) -> AttemptRecord {
        AttemptRecord {
            id: self.id,
            trainee: self.trainee.clone(),
            team: self.team.clone(),
            session: self.session,
            round: self.round,
            started_at: self.started_at.clone(),
            result: self.result.clone(),
        }
    }
}

/// A quiz result as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredQuiz {
    /// Row id.
    pub id: i64,
    /// UUID, the xAPI registration.
    pub registration: Uuid,
    /// Trainee.
    pub trainee: String,
    /// Team.
    pub team: Option<String>,
    /// Session id.
    pub session: Option<i64>,
    /// Quiz code.
    pub code: String,
    /// Locale.
    pub locale: String,
    /// Mode.
    pub mode: Mode,
    /// Start.
    pub started_at: String,
    /// End.
    pub ended_at: String,
    /// Duration in milliseconds.
    pub duration_ms: i64,
    /// SHA-256 of the stored result JSON.
    pub checksum: String,
    /// The graded result.
    pub result: QuizResult,
}

/// An attempt row before its JSON is parsed.
struct RawAttempt {
    id: i64,
    registration: String,
    trainee: String,
    team: Option<String>,
    session: Option<i64>,
    session_name: Option<String>,
    round: Option<u32>,
    persona: String,
    channel: String,
    mode: String,
    started_at: String,
    ended_at: String,
    duration_ms: i64,
    checksum: String,
    result: String,
}

/// Which attempts to read.
#[derive(Clone, Debug, Default)]
pub struct AttemptFilter<'a> {
    /// Only this classroom session.
    pub session: Option<i64>,
    /// Only this trainee.
    pub trainee: Option<&'a str>,
}

fn damaged(what: String) -> impl FnOnce(serde_json::Error) -> StoreError {
    move |e| StoreError::Damaged {
        what,
        why: e.to_string(),
    }
}

fn millis(from: jiff::Timestamp, to: jiff::Timestamp) -> i64 {
    to.duration_since(from).as_millis().max(0) as i64
}

fn mode_of(key: &str, what: impl FnOnce() -> String) -> Result<Mode> {
    Mode::from_key(key).ok_or_else(|| StoreError::Damaged {
        what: what(),
        why: format!("unknown mode {key:?}"),
    })
}

fn uuid_of(text: &str, what: impl FnOnce() -> String) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Damaged {
        what: what(),
        why: e.to_string(),
    })
}

impl Store {
    /// Records a finished attempt in one transaction; returns it as stored.
    pub fn record_attempt(&mut self, new: &NewAttempt<'_>) -> Result<StoredAttempt> {
        let result_json =
            serde_json::to_string(new.result).map_err(damaged("the new attempt".into()))?;
        let sum = checksum(&result_json);
        let registration = Uuid::new_v4();
        let started = stamp(new.started_at);
        let ended = stamp(new.ended_at);
        let r = new.result;
        let tx = self.conn.transaction()?;
        let trainee = Store::trainee_id(&tx, new.trainee, &started)?;
        let session: Option<i64> = match (new.round, new.team) {
            (Some(round), _) => Some(tx.query_row(
                "SELECT session_id FROM rounds WHERE id = ?1",
                [round],
                |row| row.get(0),
            )?),
            (None, Some(team)) => tx.query_row(
                "SELECT session_id FROM teams WHERE id = ?1",
                [team],
                |row| row.get(0),
            )?,
            (None, None) => None,
        };
        let violations: Vec<&str> = r.violations.iter().map(|v| v.rule.key()).collect();
        tx.execute(
            "INSERT INTO attempts (registration, trainee_id, team_id, session_id, round_id,
                scenario, persona, channel, content_hash, seed, locale, mode, started_at,
                ended_at, duration_ms, overall, tone, persistence, evidence, outcome, passed,
                violations, evidence_items, result, checksum)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
            params![
                registration.to_string(),
                trainee,
                new.team,
                session,
                new.round,
                r.scenario,
                new.persona,
                new.channel,
                r.content_hash,
                // SQLite integers are signed; the seed's bits are kept as they are.
                r.seed as i64,
                r.lang,
                new.mode.key(),
                started,
                ended,
                millis(new.started_at, new.ended_at),
                r.scores.overall,
                r.scores.tone,
                r.scores.persistence,
                r.scores.evidence,
                r.outcome.key(),
                r.passed,
                serde_json::to_string(&violations).map_err(damaged("violations".into()))?,
                serde_json::to_string(&r.evidence).map_err(damaged("evidence".into()))?,
                result_json,
                sum,
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut stmt = tx.prepare(
                "INSERT INTO attempt_choices (attempt_id, turn, node, choice, was_best, violation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for t in &r.debrief {
                stmt.execute(params![
                    id,
                    t.turn,
                    t.node,
                    t.choice,
                    t.was_best,
                    t.violation.map(|v| v.key())
                ])?;
            }
        }
        tx.commit()?;
        self.attempt(id)?
            .ok_or_else(|| StoreError::Missing(format!("attempt {id} after writing it")))
    }

    const ATTEMPT_SELECT: &'static str = "SELECT a.id, a.registration, t.name, tm.name,
            a.session_id, s.name, r.number, a.persona, a.channel, a.mode, a.started_at,
            a.ended_at, a.duration_ms, a.checksum, a.result
        FROM attempts a
        JOIN trainees t ON t.id = a.trainee_id
        LEFT JOIN teams tm ON tm.id = a.team_id
        LEFT JOIN sessions s ON s.id = a.session_id
        LEFT JOIN rounds r ON r.id = a.round_id";

    fn attempt_row(row: &Row<'_>) -> rusqlite::Result<RawAttempt> {
        Ok(RawAttempt {
            id: row.get(0)?,
            registration: row.get(1)?,
            trainee: row.get(2)?,
            team: row.get(3)?,
            session: row.get(4)?,
            session_name: row.get(5)?,
            round: row.get(6)?,
            persona: row.get(7)?,
            channel: row.get(8)?,
            mode: row.get(9)?,
            started_at: row.get(10)?,
            ended_at: row.get(11)?,
            duration_ms: row.get(12)?,
            checksum: row.get(13)?,
            result: row.get(14)?,
        })
    }

    // JSON is parsed outside the row callback so a damaged record becomes a StoreError that
    // names it.
    fn parse_attempt(raw: RawAttempt) -> Result<StoredAttempt> {
        let what = || format!("attempt {}", raw.id);
        Ok(StoredAttempt {
            id: raw.id,
            registration: uuid_of(&raw.registration, what)?,
            trainee: raw.trainee,
            team: raw.team,
            session: raw.session,
            session_name: raw.session_name,
            round: raw.round,
            persona: raw.persona,
            channel: raw.channel,
            mode: mode_of(&raw.mode, what)?,
            started_at: raw.started_at,
            ended_at: raw.ended_at,
            duration_ms: raw.duration_ms,
            checksum: raw.checksum,
            result: serde_json::from_str(&raw.result).map_err(damaged(what()))?,
        })
    }

    /// One attempt by id.
    pub fn attempt(&self, id: i64) -> Result<Option<StoredAttempt>> {
        let sql = format!("{} WHERE a.id = ?1", Store::ATTEMPT_SELECT);
        self.conn
            .query_row(&sql, [id], Store::attempt_row)
            .optional()?
            .map(Store::parse_attempt)
            .transpose()
    }

    /// Attempts matching `filter`, in play order.
    pub fn attempts(&self, filter: &AttemptFilter<'_>) -> Result<Vec<StoredAttempt>> {
        let sql = format!(
            "{} WHERE (?1 IS NULL OR a.session_id = ?1) AND (?2 IS NULL OR t.name = ?2)
             ORDER BY a.started_at, a.id",
            Store::ATTEMPT_SELECT
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![filter.session, filter.trainee], Store::attempt_row)?;
        rows.map(|r| Store::parse_attempt(r?)).collect()
    }

    /// How many attempts are stored.
    pub fn attempt_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM attempts", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Every attempt's id and stored checksum, and whether the stored result still hashes to
    /// it (for audits and the crash test).
    pub fn verify_attempts(&self) -> Result<Vec<(i64, String, bool)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, checksum, result FROM attempts ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|r| {
            let (id, sum, text) = r?;
            let ok = checksum(&text) == sum;
            Ok((id, sum, ok))
        })
        .collect()
    }

    /// A trainee's best overall score per scenario, and whether they have passed it.
    pub fn best_scores(&self, trainee: &str) -> Result<Vec<(String, f64, bool)>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.scenario, max(a.overall), max(a.passed) FROM attempts a
             JOIN trainees t ON t.id = a.trainee_id
             WHERE t.name = ?1 GROUP BY a.scenario ORDER BY a.scenario",
        )?;
        let rows = stmt.query_map([trainee.trim()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a quiz result in one transaction.
    pub fn record_quiz(&mut self, new: &NewQuiz<'_>) -> Result<StoredQuiz> {
        let json =
            serde_json::to_string(new.result).map_err(damaged("the new quiz result".into()))?;
        let sum = checksum(&json);
        let registration = Uuid::new_v4();
        let started = stamp(new.started_at);
        let tx = self.conn.transaction()?;
        let trainee = Store::trainee_id(&tx, new.trainee, &started)?;
        tx.execute(
            "INSERT INTO quiz_results (registration, trainee_id, team_id, session_id, code,
                locale, mode, started_at, ended_at, duration_ms, score, passed, result, checksum)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                registration.to_string(),
                trainee,
                new.team,
                new.session,
                new.code,
                new.locale,
                new.mode.key(),
                started,
                stamp(new.ended_at),
                millis(new.started_at, new.ended_at),
                new.result.score,
                new.result.passed,
                json,
                sum,
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.select_quizzes("q.id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| StoreError::Missing(format!("quiz result {id} after writing it")))
    }

    /// Quiz results, optionally of one session, in order.
    pub fn quizzes(&self, session: Option<i64>) -> Result<Vec<StoredQuiz>> {
        self.select_quizzes("?1 IS NULL OR q.session_id = ?1", session)
    }

    /// Quiz results matching `condition` (SQL over `q`, with `value` as `?1`), in order.
    fn select_quizzes(&self, condition: &str, value: Option<i64>) -> Result<Vec<StoredQuiz>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT q.id, q.registration, t.name, tm.name, q.session_id, q.code, q.locale,
                q.mode, q.started_at, q.ended_at, q.duration_ms, q.checksum, q.result
             FROM quiz_results q
             JOIN trainees t ON t.id = q.trainee_id
             LEFT JOIN teams tm ON tm.id = q.team_id
             WHERE {condition}
             ORDER BY q.started_at, q.id"
        ))?;
        type QuizRow = (
            i64,
            String,
            String,
            Option<String>,
            Option<i64>,
            String,
            String,
            String,
            String,
            String,
            i64,
            String,
            String,
        );
        let rows = stmt.query_map([value], |r| {
            Ok::<QuizRow, _>((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
            ))
        })?;
        rows.map(|row| {
            let (
                id,
                reg,
                trainee,
                team,
                session,
                code,
                locale,
                mode,
                started,
                ended,
                ms,
                sum,
                json,
            ) = row?;
            let what = || format!("quiz result {id}");
            Ok(StoredQuiz {
                id,
                registration: uuid_of(&reg, what)?,
                trainee,
                team,
                session,
                code,
                locale,
                mode: mode_of(&mode, what)?,
                started_at: started,
                ended_at: ended,
                duration_ms: ms,
                checksum: sum,
                result: serde_json::from_str(&json).map_err(damaged(what()))?,
            })
        })
        .collect()
    }
}
