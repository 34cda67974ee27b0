//! Classroom campaign rounds: the trainer names one campaign and one seed, every team works
//! that desk, and the round's board compares them. A session numbers its campaign rounds on
//! their own, beside its rounds of scenarios; starting one closes the one before.

use rusqlite::{OptionalExtension, params};

use super::{AttemptFilter, Result, Store, StoreError, now, stamp};
use crate::domain::classroom::{CampaignBoard, CampaignRecord, campaign_board};

/// A campaign round of a session.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignRoundInfo {
    /// Id (what [`NewCampaign::round`](super::NewCampaign::round) takes).
    pub id: i64,
    /// Number among the session's campaign rounds, from 1.
    pub number: u32,
    /// The campaign every team works.
    pub campaign: String,
    /// The seed every team plays.
    pub seed: u64,
    /// Closed by the trainer (or by the next campaign round).
    pub ended: bool,
}

impl Store {
    /// Starts the next campaign round of a session: every team works `campaign` with `seed`.
    /// The session's open campaign round, if any, is closed.
    pub fn start_campaign_round(
        &mut self,
        session: i64,
        campaign: &str,
        seed: u64,
    ) -> Result<CampaignRoundInfo> {
        let campaign = campaign.trim();
        if campaign.is_empty() {
            return Err(StoreError::Invalid(
                "a campaign round needs a campaign".into(),
            ));
        }
        let (id, number) = self.write(|tx| {
            let info = tx
                .query_row(
                    "SELECT name, ended_at IS NOT NULL FROM sessions WHERE id = ?1",
                    [session],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)),
                )
                .optional()?
                .ok_or_else(|| StoreError::Missing(format!("classroom session {session}")))?;
            if info.1 {
                return Err(StoreError::Invalid(format!(
                    "session {:?} has ended; resume it first",
                    info.0
                )));
            }
            tx.execute(
                "UPDATE campaign_rounds SET ended_at = ?2
                 WHERE session_id = ?1 AND ended_at IS NULL",
                params![session, stamp(now())],
            )?;
            let number: u32 = tx.query_row(
                "SELECT ifnull(max(number), 0) + 1 FROM campaign_rounds WHERE session_id = ?1",
                [session],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO campaign_rounds (session_id, number, campaign, seed, started_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                // SQLite integers are signed; the seed's bits are kept as they are.
                params![session, number, campaign, seed as i64, stamp(now())],
            )?;
            Ok((tx.last_insert_rowid(), number))
        })?;
        Ok(CampaignRoundInfo {
            id,
            number,
            campaign: campaign.to_owned(),
            seed,
            ended: false,
        })
    }

    /// Closes a campaign round (results already played into it stay).
    pub fn end_campaign_round(&mut self, round: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE campaign_rounds SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![round, stamp(now())],
            )?;
            Ok(())
        })
    }

    /// The campaign rounds of a session, in order.
    pub fn campaign_rounds(&self, session: i64) -> Result<Vec<CampaignRoundInfo>> {
        if !self.has_campaigns() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, number, campaign, seed, ended_at IS NOT NULL FROM campaign_rounds
             WHERE session_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([session], |r| {
            Ok(CampaignRoundInfo {
                id: r.get(0)?,
                number: r.get(1)?,
                campaign: r.get(2)?,
                seed: r.get::<_, i64>(3)? as u64,
                ended: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The session's open campaign round, if the trainer has started one and not closed it.
    pub fn open_campaign_round(&self, session: i64) -> Result<Option<CampaignRoundInfo>> {
        Ok(self
            .campaign_rounds(session)?
            .into_iter()
            .rfind(|r| !r.ended))
    }

    /// The board of each campaign round of a session, in round order; an error names the first
    /// damaged result.
    pub fn campaign_boards(&self, session: i64) -> Result<Vec<CampaignBoard>> {
        let results: Vec<CampaignRecord> = self
            .campaign_results(&AttemptFilter {
                session: Some(session),
                trainee: None,
            })?
            .iter()
            .map(|c| c.record())
            .collect();
        self.campaign_boards_over(session, &results)
    }

    /// The board of each campaign round of a session over results already read (those of other
    /// sessions are ignored), so a caller that holds them does not read them again.
    pub fn campaign_boards_over(
        &self,
        session: i64,
        results: &[CampaignRecord],
    ) -> Result<Vec<CampaignBoard>> {
        let teams: Vec<String> = self.teams(session)?.into_iter().map(|t| t.name).collect();
        let mine: Vec<CampaignRecord> = results
            .iter()
            .filter(|r| r.session == Some(session))
            .cloned()
            .collect();
        Ok(self
            .campaign_rounds(session)?
            .iter()
            .map(|r| campaign_board(r.number, &r.campaign, r.seed, &teams, &mine))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classroom::campaign::sample_result;
    use crate::store::NewCampaign;

    fn at(minute: i64) -> jiff::Timestamp {
        let t0: jiff::Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        t0 + jiff::SignedDuration::from_mins(minute)
    }

    #[test]
    fn campaign_rounds_number_from_one_and_close_the_one_before() {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.create_session("x").unwrap();
        assert!(s.start_campaign_round(id, " ", 1).is_err());
        assert!(s.start_campaign_round(999, "desk", 1).is_err());
        assert_eq!(s.open_campaign_round(id).unwrap(), None);
        let r1 = s.start_campaign_round(id, "desk", 7).unwrap();
        // A round of scenarios beside it does not close it, nor share its numbers.
        s.start_round(id, 3, &["a".into()]).unwrap();
        assert_eq!(
            s.open_campaign_round(id).unwrap().map(|r| r.id),
            Some(r1.id)
        );
        let r2 = s.start_campaign_round(id, "other", u64::MAX).unwrap();
        assert_eq!((r1.number, r2.number), (1, 2));
        let rounds = s.campaign_rounds(id).unwrap();
        assert!(rounds[0].ended && !rounds[1].ended);
        assert_eq!(rounds[1].seed, u64::MAX);
        assert_eq!(s.open_campaign_round(id).unwrap(), Some(rounds[1].clone()));
        s.end_campaign_round(r2.id).unwrap();
        assert_eq!(s.open_campaign_round(id).unwrap(), None);
        s.end_session(id).unwrap();
        let err = s.start_campaign_round(id, "desk", 1).unwrap_err();
        assert!(err.to_string().contains("has ended"), "{err}");
    }

    #[test]
    fn a_round_takes_only_its_campaign_and_seed_from_its_own_teams() {
        let mut s = Store::open_in_memory().unwrap();
        let session = s.create_session("class").unwrap();
        let other = s.create_session("other class").unwrap();
        let red = s.add_team(Some(session), "Red", None, &[]).unwrap();
        let blue = s.add_team(Some(session), "Blue", None, &[]).unwrap();
        let stranger = s.add_team(Some(other), "Red", None, &[]).unwrap();
        let round = s.start_campaign_round(session, "desk", 7).unwrap();
        let good = sample_result(70.0, 150_000.0, true);
        let mut wrong_seed = good.clone();
        wrong_seed.seed = 8;
        let new = |team, result| NewCampaign {
            trainee: "王芳",
            team: Some(team),
            round: Some(round.id),
            started_at: at(0),
            ended_at: at(25),
            result,
        };
        let err = s.record_campaign(&new(red, &wrong_seed)).unwrap_err();
        assert!(err.to_string().contains("seed 7"), "{err}");
        let err = s.record_campaign(&new(stranger, &good)).unwrap_err();
        assert!(
            err.to_string().contains("not a team of the session"),
            "{err}"
        );
        assert_eq!(
            s.campaign_result_count().unwrap(),
            0,
            "nothing half-written"
        );
        let stored = s.record_campaign(&new(red, &good)).unwrap();
        assert_eq!(stored.session, Some(session));
        assert_eq!(stored.session_name.as_deref(), Some("class"));
        assert_eq!(stored.round, Some(1));
        assert_eq!(stored.duration_ms, 25 * 60_000);
        assert_eq!(stored.result, good);
        s.record_campaign(&new(blue, &sample_result(80.0, 90_000.0, true)))
            .unwrap();
        let boards = s.campaign_boards(session).unwrap();
        assert_eq!(boards.len(), 1);
        let order: Vec<&str> = boards[0]
            .standings
            .iter()
            .map(|t| t.team.as_str())
            .collect();
        assert_eq!(order, ["Blue", "Red"]);
        assert_eq!((boards[0].campaign.as_str(), boards[0].seed), ("desk", 7));
        // A team that has worked a desk stays, like one that has played.
        let err = s.remove_team(red).unwrap_err();
        assert!(err.to_string().contains("already played"), "{err}");
        assert!(s.campaign_boards(other).unwrap().is_empty());
    }
}
