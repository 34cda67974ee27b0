//! Classroom records: sessions, teams with captain and members, rounds (scenarios and one
//! seed), the trainer's PIN (an argon2 hash), and the leaderboard of a session.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, params};

use super::{AttemptFilter, Result, Store, StoreError, now, stamp};
use crate::domain::classroom::{AttemptRecord, Leaderboard, leaderboard};

const PIN_KEY: &str = "trainer_pin";

/// A classroom session.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    /// Id.
    pub id: i64,
    /// Name the trainer gave it.
    pub name: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Ended, if the trainer ended it.
    pub ended_at: Option<String>,
    /// Teams entered.
    pub teams: usize,
    /// Rounds started.
    pub rounds: usize,
    /// Attempts recorded.
    pub attempts: usize,
}

/// A team.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamInfo {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Captain (also a member).
    pub captain: Option<String>,
    /// Members in entry order, captain first.
    pub members: Vec<String>,
}

/// A round of a session.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundInfo {
    /// Id.
    pub id: i64,
    /// Number within the session, from 1.
    pub number: u32,
    /// The seed every team plays.
    pub seed: u64,
    /// Scenario ids, in play order.
    pub scenarios: Vec<String>,
    /// Closed by the trainer.
    pub ended: bool,
}

fn clean(name: &str, what: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid(format!("a {what} needs a name")));
    }
    Ok(name.to_owned())
}

/// Sessions matching `condition` (SQL over `s`, with `value` as `?1`), newest first, read on
/// `conn` (the store's connection or an open transaction).
fn select_sessions(
    conn: &Connection,
    condition: &str,
    value: Option<i64>,
) -> Result<Vec<SessionInfo>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT s.id, s.name, s.created_at, s.ended_at,
            (SELECT count(*) FROM teams WHERE session_id = s.id),
            (SELECT count(*) FROM rounds WHERE session_id = s.id),
            (SELECT count(*) FROM attempts WHERE session_id = s.id)
         FROM sessions s WHERE {condition} ORDER BY s.created_at DESC, s.id DESC"
    ))?;
    let rows = stmt.query_map([value], |r| {
        Ok(SessionInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
            ended_at: r.get(3)?,
            teams: r.get::<_, i64>(4)? as usize,
            rounds: r.get::<_, i64>(5)? as usize,
            attempts: r.get::<_, i64>(6)? as usize,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One session, read on `conn`.
fn session_on(conn: &Connection, id: i64) -> Result<SessionInfo> {
    select_sessions(conn, "s.id = ?1", Some(id))?
        .pop()
        .ok_or_else(|| StoreError::Missing(format!("classroom session {id}")))
}

/// Enters a team inside the transaction `tx` (see [`Store::add_team`]).
fn add_team_in(
    tx: &Connection,
    session: Option<i64>,
    name: &str,
    captain: Option<&str>,
    members: &[String],
) -> Result<i64> {
    let at = stamp(now());
    let taken: Option<i64> = tx
        .query_row(
            "SELECT id FROM teams WHERE ifnull(session_id, 0) = ifnull(?1, 0) AND name = ?2",
            params![session, name],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Invalid(format!(
            "there is already a team called {name:?} in this session"
        )));
    }
    let position: i64 = tx.query_row(
        "SELECT count(*) FROM teams WHERE ifnull(session_id, 0) = ifnull(?1, 0)",
        [session],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO teams (session_id, name, captain, position) VALUES (?1, ?2, ?3, ?4)",
        params![session, name, captain, position],
    )?;
    let team = tx.last_insert_rowid();
    let everyone = captain
        .into_iter()
        .chain(members.iter().map(|m| m.trim()))
        .filter(|m| !m.is_empty());
    for member in everyone {
        let trainee = Store::trainee_id(tx, member, &at)?;
        tx.execute(
            "INSERT OR IGNORE INTO team_members (team_id, trainee_id) VALUES (?1, ?2)",
            (team, trainee),
        )?;
    }
    Ok(team)
}

impl Store {
    /// Starts a classroom session.
    pub fn create_session(&mut self, name: &str) -> Result<i64> {
        let name = clean(name, "session")?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (name, created_at) VALUES (?1, ?2)",
                (&name, stamp(now())),
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Every session, newest first.
    pub fn sessions(&self) -> Result<Vec<SessionInfo>> {
        select_sessions(&self.conn, "?1 IS NULL", None)
    }

    /// One session.
    pub fn session(&self, id: i64) -> Result<SessionInfo> {
        session_on(&self.conn, id)
    }

    /// Ends a session (it stays readable and can be resumed).
    pub fn end_session(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            session_on(tx, id)?;
            tx.execute(
                "UPDATE sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![id, stamp(now())],
            )?;
            Ok(())
        })
    }

    /// Reopens an ended session.
    pub fn resume_session(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            session_on(tx, id)?;
            tx.execute("UPDATE sessions SET ended_at = NULL WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Enters a team: name, captain and members (the captain is added as a member). Team names
    /// are unique within a session.
    pub fn add_team(
        &mut self,
        session: Option<i64>,
        name: &str,
        captain: Option<&str>,
        members: &[String],
    ) -> Result<i64> {
        let name = clean(name, "team")?;
        let captain = captain.map(str::trim).filter(|c| !c.is_empty());
        self.write(|tx| add_team_in(tx, session, &name, captain, members))
    }

    /// Removes a team entered by mistake. A team that has played is kept: its attempts and
    /// campaign results are results, and results are never deleted from here.
    pub fn remove_team(&mut self, team: i64) -> Result<()> {
        self.write(|tx| {
            let played: i64 = tx.query_row(
                "SELECT (SELECT count(*) FROM attempts WHERE team_id = ?1)
                    + (SELECT count(*) FROM campaign_results WHERE team_id = ?1)",
                [team],
                |r| r.get(0),
            )?;
            if played > 0 {
                return Err(StoreError::Invalid(
                    "this team has already played; its results stay".into(),
                ));
            }
            tx.execute("DELETE FROM team_members WHERE team_id = ?1", [team])?;
            if tx.execute("DELETE FROM teams WHERE id = ?1", [team])? == 0 {
                return Err(StoreError::Missing(format!("team {team}")));
            }
            Ok(())
        })
    }

    /// The team called `name` outside any session (`play --team`), created on first use.
    pub fn team_by_name(&mut self, name: &str) -> Result<i64> {
        let name = clean(name, "team")?;
        // Looked up and created in one write, so two processes naming a new team at once get
        // the same team.
        self.write(|tx| {
            let found: Option<i64> = tx
                .query_row(
                    "SELECT id FROM teams WHERE session_id IS NULL AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .optional()?;
            match found {
                Some(id) => Ok(id),
                None => add_team_in(tx, None, &name, None, &[]),
            }
        })
    }

    /// The teams of a session, in entry order.
    pub fn teams(&self, session: i64) -> Result<Vec<TeamInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, captain FROM teams WHERE session_id = ?1 ORDER BY position, id",
        )?;
        let teams: Vec<(i64, String, Option<String>)> = stmt
            .query_map([session], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut members = self.conn.prepare(
            "SELECT t.name FROM team_members m JOIN trainees t ON t.id = m.trainee_id
             WHERE m.team_id = ?1 ORDER BY m.rowid",
        )?;
        teams
            .into_iter()
            .map(|(id, name, captain)| {
                let mut list: Vec<String> = members
                    .query_map([id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                // Captain first, then the others in entry order.
                if let Some(c) = &captain
                    && let Some(i) = list.iter().position(|m| m == c)
                {
                    let c = list.remove(i);
                    list.insert(0, c);
                }
                Ok(TeamInfo {
                    id,
                    name,
                    captain,
                    members: list,
                })
            })
            .collect()
    }

    /// Starts the next round of a session with its scenarios and seed.
    pub fn start_round(
        &mut self,
        session: i64,
        seed: u64,
        scenarios: &[String],
    ) -> Result<RoundInfo> {
        if scenarios.is_empty() {
            return Err(StoreError::Invalid(
                "a round needs at least one scenario".into(),
            ));
        }
        let list =
            serde_json::to_string(scenarios).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let (id, number) = self.write(|tx| {
            let info = session_on(tx, session)?;
            if info.ended_at.is_some() {
                return Err(StoreError::Invalid(format!(
                    "session {:?} has ended; resume it first",
                    info.name
                )));
            }
            tx.execute(
                "UPDATE rounds SET ended_at = ?2 WHERE session_id = ?1 AND ended_at IS NULL",
                params![session, stamp(now())],
            )?;
            let number: u32 = tx.query_row(
                "SELECT ifnull(max(number), 0) + 1 FROM rounds WHERE session_id = ?1",
                [session],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO rounds (session_id, number, seed, scenarios, started_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
                params![session, number, seed as i64, list, stamp(now())],
            )?;
            Ok((tx.last_insert_rowid(), number))
        })?;
        Ok(RoundInfo {
            id,
            number,
            seed,
            scenarios: scenarios.to_vec(),
            ended: false,
        })
    }

    /// Closes a round (the leaderboard then counts it as played).
    pub fn end_round(&mut self, round: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE rounds SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![round, stamp(now())],
            )?;
            Ok(())
        })
    }

    /// The rounds of a session, in order.
    pub fn rounds(&self, session: i64) -> Result<Vec<RoundInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, number, seed, scenarios, ended_at IS NOT NULL FROM rounds
             WHERE session_id = ?1 ORDER BY number",
        )?;
        let rows: Vec<(i64, u32, i64, String, bool)> = stmt
            .query_map([session], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, number, seed, list, ended)| {
                Ok(RoundInfo {
                    id,
                    number,
                    seed: seed as u64,
                    scenarios: serde_json::from_str(&list).map_err(|e| StoreError::Damaged {
                        what: format!("round {number} of session {session}"),
                        why: e.to_string(),
                    })?,
                    ended,
                })
            })
            .collect()
    }

    /// The leaderboard of a session: its teams and rounds over its attempts.
    pub fn leaderboard(&self, session: i64) -> Result<Leaderboard> {
        let attempts: Vec<AttemptRecord> = self
            .attempts(&AttemptFilter {
                session: Some(session),
                trainee: None,
            })?
            .iter()
            .map(|a| a.record())
            .collect();
        self.leaderboard_over(session, &attempts)
    }

    /// The leaderboard of a session over attempts already read (those of other sessions are
    /// ignored), so a caller that holds them does not read them again.
    pub fn leaderboard_over(
        &self,
        session: i64,
        attempts: &[AttemptRecord],
    ) -> Result<Leaderboard> {
        let teams: Vec<String> = self.teams(session)?.into_iter().map(|t| t.name).collect();
        let rounds: Vec<u32> = self.rounds(session)?.iter().map(|r| r.number).collect();
        let mine: Vec<AttemptRecord> = attempts
            .iter()
            .filter(|a| a.session == Some(session))
            .cloned()
            .collect();
        Ok(leaderboard(&teams, &rounds, &mine))
    }

    /// Whether the trainer has set a PIN.
    pub fn has_pin(&self) -> Result<bool> {
        Ok(self.setting(PIN_KEY)?.is_some())
    }

    /// Sets (or replaces) the trainer's PIN: 4 to 12 digits, stored as an argon2id hash with a
    /// random salt.
    pub fn set_pin(&mut self, pin: &str) -> Result<()> {
        if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::Invalid("a PIN is 4 to 12 digits".into()));
        }
        let hash = Argon2::default()
            .hash_password(pin.as_bytes())
            .map_err(|e| StoreError::Invalid(format!("cannot hash the PIN: {e}")))?
            .to_string();
        self.set_setting(PIN_KEY, &hash)
    }

    /// Forgets the trainer's PIN (`dunning-dojo reset-pin`): the next visit to classroom
    /// mode sets a new one. Whoever can run commands on this machine can read the database
    /// anyway, so this is the recovery path, not a hole.
    pub fn clear_pin(&mut self) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM settings WHERE key = ?1", [PIN_KEY])? > 0))
    }

    /// Whether `pin` matches the stored hash (false when none is set).
    pub fn check_pin(&self, pin: &str) -> Result<bool> {
        let Some(stored) = self.setting(PIN_KEY)? else {
            return Ok(false);
        };
        let hash = PasswordHash::new(&stored).map_err(|e| StoreError::Damaged {
            what: "the trainer PIN".into(),
            why: e.to_string(),
        })?;
        Ok(Argon2::default()
            .verify_password(pin.as_bytes(), &hash)
            .is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_hashed_and_checked() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(!s.has_pin().unwrap());
        assert!(!s.check_pin("1234").unwrap());
        assert!(s.set_pin("12a4").is_err());
        assert!(s.set_pin("123").is_err());
        s.set_pin("2468").unwrap();
        assert!(s.has_pin().unwrap());
        let stored = s.setting(PIN_KEY).unwrap().unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("2468"));
        assert!(s.check_pin("2468").unwrap());
        assert!(!s.check_pin("2469").unwrap());
        assert!(s.clear_pin().unwrap());
        assert!(!s.has_pin().unwrap());
        assert!(!s.clear_pin().unwrap());
    }

    #[test]
    fn teams_keep_captain_first_and_names_unique_per_session() {
        let mut s = Store::open_in_memory().unwrap();
        let a = s.create_session("华东销售 11月").unwrap();
        let b = s.create_session("Second class").unwrap();
        let members = ["王芳".to_owned(), " 李雷 ".to_owned()];
        s.add_team(Some(a), "猛虎队", Some("李雷"), &members)
            .unwrap();
        s.add_team(Some(a), "Eagles", None, &[]).unwrap();
        assert!(s.add_team(Some(a), " 猛虎队 ", None, &[]).is_err());
        s.add_team(Some(b), "猛虎队", None, &[]).unwrap();
        assert!(s.add_team(Some(a), "  ", None, &[]).is_err());
        let teams = s.teams(a).unwrap();
        assert_eq!(teams.len(), 2);
        assert_eq!(teams[0].name, "猛虎队");
        assert_eq!(teams[0].members, vec!["李雷", "王芳"]);
        assert_eq!(teams[1].name, "Eagles");
        assert_eq!(
            s.team_by_name("Solo").unwrap(),
            s.team_by_name("Solo").unwrap()
        );
    }

    #[test]
    fn rounds_number_from_one_and_close_the_previous_round() {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.create_session("x").unwrap();
        assert!(s.start_round(id, 1, &[]).is_err());
        let r1 = s.start_round(id, 7, &["a".into()]).unwrap();
        let r2 = s
            .start_round(id, u64::MAX, &["b".into(), "c".into()])
            .unwrap();
        assert_eq!((r1.number, r2.number), (1, 2));
        let rounds = s.rounds(id).unwrap();
        assert!(rounds[0].ended && !rounds[1].ended);
        assert_eq!(rounds[1].seed, u64::MAX);
        assert_eq!(rounds[1].scenarios, vec!["b", "c"]);
        s.end_session(id).unwrap();
        assert!(s.session(id).unwrap().ended_at.is_some());
        assert!(s.start_round(id, 1, &["a".into()]).is_err());
        s.resume_session(id).unwrap();
        assert!(s.session(id).unwrap().ended_at.is_none());
        assert!(s.end_session(999).is_err());
    }
}
