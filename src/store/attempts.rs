//! Writing and reading attempts and quiz results. Each is one transaction: the attempt row,
//! its choices and (first time) its trainee commit together or not at all. Reading checks
//! each row's stored checksum; a row that fails it or does not parse is set aside by id.

use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::checked::{RowRead, checked_result, row_read};
use super::outbox::enqueue;
use super::{Checked, Result, Skipped, Store, StoreError, checksum, checksum_bytes, stamp};
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
    /// When each turn was answered, in turn order (may be empty when not known).
    pub turn_times: &'a [jiff::Timestamp],
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
    /// When each question was answered, in the order asked (may be empty).
    pub answer_times: &'a [jiff::Timestamp],
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
    /// When each turn was answered (RFC 3339), in turn order; empty for attempts recorded
    /// before turn times were kept.
    pub turn_times: Vec<String>,
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
    /// When each question was answered (RFC 3339), in the order asked; empty for results
    /// saved before answers were timed.
    pub answer_times: Vec<String>,
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
    result: Vec<u8>,
}

/// A quiz row before its JSON is parsed.
struct RawQuiz {
    id: i64,
    registration: String,
    trainee: String,
    team: Option<String>,
    session: Option<i64>,
    code: String,
    locale: String,
    mode: String,
    started_at: String,
    ended_at: String,
    duration_ms: i64,
    checksum: String,
    result: Vec<u8>,
}

/// Which attempts (or campaign results) to read.
#[derive(Clone, Debug, Default)]
pub struct AttemptFilter<'a> {
    /// Only this classroom session.
    pub session: Option<i64>,
    /// Only this trainee.
    pub trainee: Option<&'a str>,
}

pub(super) fn damaged(what: String) -> impl FnOnce(serde_json::Error) -> StoreError {
    move |e| StoreError::Damaged {
        what,
        why: e.to_string(),
    }
}

pub(super) fn millis(from: jiff::Timestamp, to: jiff::Timestamp) -> i64 {
    to.duration_since(from).as_millis().max(0) as i64
}

fn mode_of(key: &str) -> std::result::Result<Mode, String> {
    Mode::from_key(key).ok_or_else(|| format!("unknown mode {key:?}"))
}

pub(super) fn uuid_of(text: &str) -> std::result::Result<Uuid, String> {
    Uuid::parse_str(text).map_err(|e| format!("bad registration: {e}"))
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
        let violations: Vec<&str> = r.violations.iter().map(|v| v.rule.key()).collect();
        let violations =
            serde_json::to_string(&violations).map_err(damaged("violations".into()))?;
        let evidence = serde_json::to_string(&r.evidence).map_err(damaged("evidence".into()))?;
        let source = self.outbox.clone();
        let id = self.write(|tx| {
            let trainee = Store::trainee_id(tx, new.trainee, &started)?;
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
                    violations,
                    evidence,
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
                let mut stmt = tx.prepare(
                    "INSERT INTO turn_times (attempt_id, turn, answered_at) VALUES (?1, ?2, ?3)",
                )?;
                for (k, at) in new.turn_times.iter().enumerate() {
                    stmt.execute(params![id, k as i64 + 1, stamp(*at)])?;
                }
            }
            if let Some(source) = &source {
                let stored = Store::attempts_in(tx, Store::known_version(), "a.id = ?1", [id])?
                    .strict()?
                    .pop()
                    .ok_or_else(|| StoreError::Missing(format!("attempt {id} while writing it")))?;
                enqueue(
                    tx,
                    &stored.registration.to_string(),
                    &source.attempt(&stored),
                    &ended,
                )?;
            }
            Ok(id)
        })?;
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

    fn attempt_row(row: &Row<'_>) -> RowRead<RawAttempt> {
        row_read("attempt", row, |row| {
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
                result: row.get_ref(14)?.as_bytes()?.to_vec(),
            })
        })
    }

    // JSON is checked and parsed outside the row callback so a damaged record is set aside
    // by its id.
    fn parse_attempt(raw: RawAttempt) -> std::result::Result<StoredAttempt, Skipped> {
        const KIND: &str = "attempt";
        let skip = Skipped::of(KIND, raw.id);
        let result = checked_result(KIND, raw.id, &raw.result, &raw.checksum)?;
        Ok(StoredAttempt {
            id: raw.id,
            registration: uuid_of(&raw.registration).map_err(skip)?,
            trainee: raw.trainee,
            team: raw.team,
            session: raw.session,
            session_name: raw.session_name,
            round: raw.round,
            persona: raw.persona,
            channel: raw.channel,
            mode: mode_of(&raw.mode).map_err(skip)?,
            started_at: raw.started_at,
            ended_at: raw.ended_at,
            duration_ms: raw.duration_ms,
            checksum: raw.checksum,
            turn_times: Vec::new(),
            result,
        })
    }

    /// Attempts matching `condition` (SQL over `a` and `t`, with `values`), in play order,
    /// the damaged ones set aside.
    fn select_attempts(
        &self,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> Result<Checked<StoredAttempt>> {
        Store::attempts_in(&self.conn, self.version, condition, values)
            .map_err(|e| e.in_file(self.path()))
    }

    /// [`Store::select_attempts`] on `conn` (also a transaction writing one), for a file of
    /// schema `version`, with each attempt's turn times.
    fn attempts_in(
        conn: &Connection,
        version: i64,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> Result<Checked<StoredAttempt>> {
        let sql = format!(
            "{} WHERE {condition} ORDER BY a.started_at, a.id",
            Store::ATTEMPT_SELECT
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(values, Store::attempt_row)?;
        let mut checked = Checked::gather(rows, Store::parse_attempt)?;
        if version >= super::schema::OUTBOX {
            let mut times = conn.prepare_cached(
                "SELECT answered_at FROM turn_times WHERE attempt_id = ?1 ORDER BY turn",
            )?;
            for a in &mut checked.rows {
                a.turn_times = times
                    .query_map([a.id], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<_>>()?;
            }
        }
        Ok(checked)
    }

    /// One attempt by id (an error names it when it is damaged).
    pub fn attempt(&self, id: i64) -> Result<Option<StoredAttempt>> {
        Ok(self.select_attempts("a.id = ?1", [id])?.strict()?.pop())
    }

    /// Attempts matching `filter`, in play order; an error names the first damaged one.
    pub fn attempts(&self, filter: &AttemptFilter<'_>) -> Result<Vec<StoredAttempt>> {
        self.attempts_checked(filter)?.strict()
    }

    /// Attempts matching `filter`, in play order, with the rows that fail their checksum or
    /// do not parse set aside (exports show the rest and name these).
    pub fn attempts_checked(&self, filter: &AttemptFilter<'_>) -> Result<Checked<StoredAttempt>> {
        self.select_attempts(
            "(?1 IS NULL OR a.session_id = ?1) AND (?2 IS NULL OR t.name = ?2)",
            params![filter.session, filter.trainee],
        )
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
                r.get_ref(2)?.as_bytes()?.to_vec(),
            ))
        })?;
        rows.map(|r| {
            let (id, sum, bytes) = r?;
            let ok = checksum_bytes(&bytes) == sum;
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
        let ended = stamp(new.ended_at);
        let source = self.outbox.clone();
        let id = self.write(|tx| {
            let trainee = Store::trainee_id(tx, new.trainee, &started)?;
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
                    ended,
                    millis(new.started_at, new.ended_at),
                    new.result.score,
                    new.result.passed,
                    json,
                    sum,
                ],
            )?;
            let id = tx.last_insert_rowid();
            let mut stmt = tx.prepare(
                "INSERT INTO quiz_answer_times (quiz_id, question, answered_at) VALUES (?1, ?2, ?3)",
            )?;
            for (k, at) in new.answer_times.iter().enumerate() {
                stmt.execute(params![id, k as i64 + 1, stamp(*at)])?;
            }
            if let Some(source) = &source {
                let stored = Store::quizzes_in(tx, Store::known_version(), "q.id = ?1", Some(id))?
                    .strict()?
                    .pop()
                    .ok_or_else(|| {
                        StoreError::Missing(format!("quiz result {id} while writing it"))
                    })?;
                enqueue(
                    tx,
                    &stored.registration.to_string(),
                    &source.quiz(&stored),
                    &ended,
                )?;
            }
            Ok(id)
        })?;
        self.select_quizzes("q.id = ?1", Some(id))?
            .strict()?
            .pop()
            .ok_or_else(|| StoreError::Missing(format!("quiz result {id} after writing it")))
    }

    /// Quiz results, optionally of one session, in order; an error names the first damaged
    /// one.
    pub fn quizzes(&self, session: Option<i64>) -> Result<Vec<StoredQuiz>> {
        self.quizzes_checked(session)?.strict()
    }

    /// Quiz results, optionally of one session, in order, with the rows that fail their
    /// checksum or do not parse set aside.
    pub fn quizzes_checked(&self, session: Option<i64>) -> Result<Checked<StoredQuiz>> {
        self.select_quizzes("?1 IS NULL OR q.session_id = ?1", session)
    }

    /// Quiz results matching `condition` (SQL over `q`, with `value` as `?1`), in order, the
    /// damaged ones set aside.
    fn select_quizzes(&self, condition: &str, value: Option<i64>) -> Result<Checked<StoredQuiz>> {
        Store::quizzes_in(&self.conn, self.version, condition, value)
            .map_err(|e| e.in_file(self.path()))
    }

    /// [`Store::select_quizzes`] on `conn` (also a transaction writing one), for a file of
    /// schema `version`, with each result's answer times.
    fn quizzes_in(
        conn: &Connection,
        version: i64,
        condition: &str,
        value: Option<i64>,
    ) -> Result<Checked<StoredQuiz>> {
        let read = || -> Result<Checked<StoredQuiz>> {
            let mut stmt = conn.prepare(&format!(
                "SELECT q.id, q.registration, t.name, tm.name, q.session_id, q.code, q.locale,
                    q.mode, q.started_at, q.ended_at, q.duration_ms, q.checksum, q.result
                 FROM quiz_results q
                 JOIN trainees t ON t.id = q.trainee_id
                 LEFT JOIN teams tm ON tm.id = q.team_id
                 WHERE {condition}
                 ORDER BY q.started_at, q.id"
            ))?;
            let rows = stmt.query_map([value], Store::quiz_row)?;
            let mut checked = Checked::gather(rows, Store::parse_quiz)?;
            if version >= super::schema::QUIZ_TIMES {
                let mut times = conn.prepare_cached(
                    "SELECT answered_at FROM quiz_answer_times WHERE quiz_id = ?1 ORDER BY question",
                )?;
                for q in &mut checked.rows {
                    q.answer_times = times
                        .query_map([q.id], |r| r.get::<_, String>(0))?
                        .collect::<rusqlite::Result<_>>()?;
                }
            }
            Ok(checked)
        };
        read()
    }

    fn quiz_row(row: &Row<'_>) -> RowRead<RawQuiz> {
        row_read("quiz result", row, |r| {
            Ok(RawQuiz {
                id: r.get(0)?,
                registration: r.get(1)?,
                trainee: r.get(2)?,
                team: r.get(3)?,
                session: r.get(4)?,
                code: r.get(5)?,
                locale: r.get(6)?,
                mode: r.get(7)?,
                started_at: r.get(8)?,
                ended_at: r.get(9)?,
                duration_ms: r.get(10)?,
                checksum: r.get(11)?,
                result: r.get_ref(12)?.as_bytes()?.to_vec(),
            })
        })
    }

    fn parse_quiz(raw: RawQuiz) -> std::result::Result<StoredQuiz, Skipped> {
        const KIND: &str = "quiz result";
        let skip = Skipped::of(KIND, raw.id);
        let result = checked_result(KIND, raw.id, &raw.result, &raw.checksum)?;
        Ok(StoredQuiz {
            id: raw.id,
            registration: uuid_of(&raw.registration).map_err(skip)?,
            trainee: raw.trainee,
            team: raw.team,
            session: raw.session,
            code: raw.code,
            locale: raw.locale,
            mode: mode_of(&raw.mode).map_err(skip)?,
            started_at: raw.started_at,
            ended_at: raw.ended_at,
            duration_ms: raw.duration_ms,
            checksum: raw.checksum,
            answer_times: Vec::new(),
            result,
        })
    }
}
