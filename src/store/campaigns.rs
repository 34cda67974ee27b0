//! Writing and reading campaign results. Each is one transaction with its trainee (made on
//! first use); the full result, action log included, is kept as JSON beside its SHA-256, and
//! the scores, the cash and the place it was played in columns of their own. Reading checks
//! each row's checksum; a row that fails it or does not parse is set aside by id.

use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::attempts::{damaged, millis, uuid_of};
use super::checked::{RowRead, checked_result, row_read};
use super::outbox::enqueue;
use super::{AttemptFilter, Checked, Result, Skipped, Store, StoreError, checksum, schema, stamp};
use crate::domain::campaign::CampaignResult;
use crate::domain::classroom::CampaignRecord;

/// What a campaign result is called in messages and [`Skipped`] notes.
const KIND: &str = "campaign result";

/// A finished campaign to record.
#[derive(Clone, Debug)]
pub struct NewCampaign<'a> {
    /// Who worked the desk (created on first use).
    pub trainee: &'a str,
    /// Their team (see [`Store::team_by_name`], or a team of the round's session).
    pub team: Option<i64>,
    /// The classroom campaign round (see [`Store::start_campaign_round`]); its session is
    /// recorded too, and the result must be of the round's campaign and seed.
    pub round: Option<i64>,
    /// When the desk was opened.
    pub started_at: jiff::Timestamp,
    /// When the campaign ended.
    pub ended_at: jiff::Timestamp,
    /// The result, action log included.
    pub result: &'a CampaignResult,
}

/// A campaign result as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCampaign {
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
    /// The campaign round's number within its session.
    pub round: Option<u32>,
    /// Start (RFC 3339).
    pub started_at: String,
    /// End (RFC 3339).
    pub ended_at: String,
    /// Duration in milliseconds.
    pub duration_ms: i64,
    /// SHA-256 of the stored result JSON.
    pub checksum: String,
    /// The result, action log included.
    pub result: CampaignResult,
}

impl StoredCampaign {
    /// The classroom view of this result.
    pub fn record(&self) -> CampaignRecord {
        CampaignRecord {
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

/// A campaign row before its JSON is parsed.
struct RawCampaign {
    id: i64,
    registration: String,
    trainee: String,
    team: Option<String>,
    session: Option<i64>,
    session_name: Option<String>,
    round: Option<u32>,
    started_at: String,
    ended_at: String,
    duration_ms: i64,
    checksum: String,
    result: Vec<u8>,
}

/// The session a result belongs to: the round's (after checking that the result is of the
/// round's campaign and seed, and the team of the round's session), else the team's.
fn session_of(tx: &rusqlite::Connection, new: &NewCampaign<'_>) -> Result<Option<i64>> {
    let team_session = |team: i64| -> Result<Option<i64>> {
        tx.query_row("SELECT session_id FROM teams WHERE id = ?1", [team], |r| {
            r.get(0)
        })
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::Missing(format!("team {team}")),
            e => e.into(),
        })
    };
    let Some(round) = new.round else {
        return new.team.map(team_session).transpose().map(Option::flatten);
    };
    let (session, number, campaign, seed): (i64, u32, String, i64) = tx
        .query_row(
            "SELECT session_id, number, campaign, seed FROM campaign_rounds WHERE id = ?1",
            [round],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                StoreError::Missing(format!("campaign round {round}"))
            }
            e => e.into(),
        })?;
    let r = new.result;
    // SQLite integers are signed; the seed's bits are kept as they are.
    if r.campaign != campaign || r.seed != seed as u64 {
        return Err(StoreError::Invalid(format!(
            "campaign round {number} is `{campaign}` with seed {}; this result is `{}` with seed {}, so it cannot be compared with the other teams' and is not recorded in the round",
            seed as u64, r.campaign, r.seed
        )));
    }
    if let Some(team) = new.team
        && team_session(team)? != Some(session)
    {
        return Err(StoreError::Invalid(format!(
            "team {team} is not a team of the session campaign round {number} belongs to"
        )));
    }
    Ok(Some(session))
}

impl Store {
    /// Records a finished campaign in one transaction; returns it as stored.
    pub fn record_campaign(&mut self, new: &NewCampaign<'_>) -> Result<StoredCampaign> {
        let json =
            serde_json::to_string(new.result).map_err(damaged("the new campaign result".into()))?;
        let sum = checksum(&json);
        let registration = Uuid::new_v4();
        let started = stamp(new.started_at);
        let ended = stamp(new.ended_at);
        let r = new.result;
        let source = self.outbox.clone();
        let id = self.write(|tx| {
            let session = session_of(tx, new)?;
            let trainee = Store::trainee_id(tx, new.trainee, &started)?;
            tx.execute(
                "INSERT INTO campaign_results (registration, trainee_id, team_id, session_id,
                    round_id, campaign, content_hash, seed, locale, started_at, ended_at,
                    duration_ms, total, cash, ageing, rhythm, evidence, passed, collected, owed,
                    result, checksum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22)",
                params![
                    registration.to_string(),
                    trainee,
                    new.team,
                    session,
                    new.round,
                    r.campaign,
                    r.content_hash,
                    r.seed as i64,
                    r.lang,
                    started,
                    ended,
                    millis(new.started_at, new.ended_at),
                    r.scores.total,
                    r.scores.cash,
                    r.scores.ageing,
                    r.scores.rhythm,
                    r.scores.evidence,
                    r.passed,
                    r.collected,
                    r.owed,
                    json,
                    sum,
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(source) = &source {
                let stored = campaigns_in(tx, "c.id = ?1", params![id])?
                    .strict()?
                    .pop()
                    .ok_or_else(|| StoreError::Missing(format!("{KIND} {id} while writing it")))?;
                enqueue(
                    tx,
                    &stored.registration.to_string(),
                    &source.campaign(&stored),
                    &ended,
                )?;
            }
            Ok(id)
        })?;
        self.campaign_result(id)?
            .ok_or_else(|| StoreError::Missing(format!("{KIND} {id} after writing it")))
    }

    /// One campaign result by id (an error names it when it is damaged).
    pub fn campaign_result(&self, id: i64) -> Result<Option<StoredCampaign>> {
        Ok(self
            .select_campaigns("c.id = ?1", params![id])?
            .strict()?
            .pop())
    }

    /// Campaign results matching `filter`, in play order; an error names the first damaged
    /// one.
    pub fn campaign_results(&self, filter: &AttemptFilter<'_>) -> Result<Vec<StoredCampaign>> {
        self.campaign_results_checked(filter)?.strict()
    }

    /// Campaign results matching `filter`, in play order, with the rows that fail their
    /// checksum or do not parse set aside (exports show the rest and name these).
    pub fn campaign_results_checked(
        &self,
        filter: &AttemptFilter<'_>,
    ) -> Result<Checked<StoredCampaign>> {
        self.select_campaigns(
            "(?1 IS NULL OR c.session_id = ?1) AND (?2 IS NULL OR t.name = ?2)",
            params![filter.session, filter.trainee],
        )
    }

    /// How many campaign results are stored.
    pub fn campaign_result_count(&self) -> Result<u64> {
        if !self.has_campaigns() {
            return Ok(0);
        }
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM campaign_results", [], |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    /// Whether the file has the campaign tables (a report may read a file from before them).
    pub(super) fn has_campaigns(&self) -> bool {
        self.version >= schema::CAMPAIGNS
    }

    /// Campaign results matching `condition` (SQL over `c` and `t`, with `values`), in play
    /// order, the damaged ones set aside.
    fn select_campaigns(
        &self,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> Result<Checked<StoredCampaign>> {
        if !self.has_campaigns() {
            return Ok(Checked {
                rows: Vec::new(),
                skipped: Vec::new(),
            });
        }
        campaigns_in(&self.conn, condition, values).map_err(|e| e.in_file(self.path()))
    }
}

/// [`Store::select_campaigns`] on `conn` (also a transaction writing one) of a file that has
/// the campaign tables.
fn campaigns_in(
    conn: &Connection,
    condition: &str,
    values: impl rusqlite::Params,
) -> Result<Checked<StoredCampaign>> {
    {
        let sql = format!(
            "SELECT c.id, c.registration, t.name, tm.name, c.session_id, s.name, r.number,
                c.started_at, c.ended_at, c.duration_ms, c.checksum, c.result
             FROM campaign_results c
             JOIN trainees t ON t.id = c.trainee_id
             LEFT JOIN teams tm ON tm.id = c.team_id
             LEFT JOIN sessions s ON s.id = c.session_id
             LEFT JOIN campaign_rounds r ON r.id = c.round_id
             WHERE {condition} ORDER BY c.started_at, c.id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(values, campaign_row)?;
        Checked::gather(rows, parse_campaign)
    }
}

fn campaign_row(row: &Row<'_>) -> RowRead<RawCampaign> {
    row_read(KIND, row, |r| {
        Ok(RawCampaign {
            id: r.get(0)?,
            registration: r.get(1)?,
            trainee: r.get(2)?,
            team: r.get(3)?,
            session: r.get(4)?,
            session_name: r.get(5)?,
            round: r.get(6)?,
            started_at: r.get(7)?,
            ended_at: r.get(8)?,
            duration_ms: r.get(9)?,
            checksum: r.get(10)?,
            result: r.get_ref(11)?.as_bytes()?.to_vec(),
        })
    })
}

// The JSON is checked and parsed outside the row callback so a damaged record is set aside by
// its id.
fn parse_campaign(raw: RawCampaign) -> std::result::Result<StoredCampaign, Skipped> {
    let result = checked_result(KIND, raw.id, &raw.result, &raw.checksum)?;
    Ok(StoredCampaign {
        id: raw.id,
        registration: uuid_of(&raw.registration).map_err(Skipped::of(KIND, raw.id))?,
        trainee: raw.trainee,
        team: raw.team,
        session: raw.session,
        session_name: raw.session_name,
        round: raw.round,
        started_at: raw.started_at,
        ended_at: raw.ended_at,
        duration_ms: raw.duration_ms,
        checksum: raw.checksum,
        result,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classroom::campaign::sample_result;

    #[test]
    fn a_file_from_before_campaigns_reports_none_and_is_brought_up_to_date_on_writing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.sqlite");
        let session = Store::open(&path)
            .unwrap()
            .create_session("old class")
            .unwrap();
        // The file as a build before campaign mode left it (so without the later turn times,
        // outbox and quiz answer times either).
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE campaign_results; DROP TABLE campaign_rounds; DROP TABLE turn_times;
             DROP TABLE outbox; DROP TABLE quiz_answer_times; PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(conn);
        let old = Store::open_read_only(&path).unwrap();
        assert_eq!(old.schema_version().unwrap(), 1);
        let all = old
            .campaign_results_checked(&AttemptFilter::default())
            .unwrap();
        assert!(all.rows.is_empty() && all.skipped.is_empty());
        assert_eq!(old.campaign_result_count().unwrap(), 0);
        assert!(old.campaign_rounds(session).unwrap().is_empty());
        assert!(old.campaign_boards(session).unwrap().is_empty());
        drop(old);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), Store::known_version());
        let result = sample_result(64.0, 120_000.0, true);
        let t0: jiff::Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let stored = store
            .record_campaign(&NewCampaign {
                trainee: "王芳",
                team: None,
                round: None,
                started_at: t0,
                ended_at: t0,
                result: &result,
            })
            .unwrap();
        assert_eq!(
            (stored.session, stored.round, stored.duration_ms),
            (None, None, 0)
        );
        assert_eq!(store.campaign_result_count().unwrap(), 1);
    }
}
