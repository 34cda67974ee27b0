//! The classroom adapter: whether the trainer has unlocked classroom mode, the session being
//! run, and the hot-seat turn being played. What has been played comes from the results
//! store, so a session resumed next week picks up exactly where it stopped.

use bevy::prelude::*;

use crate::domain::text::Locale;
use crate::game::content::ContentLibrary;
use crate::game::results::Results;
use crate::store::{AttemptFilter, RoundInfo, TeamInfo};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TrainerUnlocked>();
    app.init_resource::<ClassroomNotice>();
}

/// The trainer entered the PIN in this run of the game.
#[derive(Resource, Debug, Default)]
pub struct TrainerUnlocked(pub bool);

/// The classroom session being run or reviewed.
#[derive(Resource, Debug, Clone)]
pub struct ActiveSession {
    /// Store id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// A team at the keyboard: recorded with its team and round when the conversation ends.
#[derive(Resource, Debug, Clone)]
pub struct Turn {
    /// Team id.
    pub team: i64,
    /// Team name.
    pub team_name: String,
    /// Round id.
    pub round: i64,
    /// Round number.
    pub round_number: u32,
    /// The scenario.
    pub scenario: String,
    /// Who is at the keyboard.
    pub trainee: String,
}

/// A problem to show on the next classroom screen (a refused name, a wrong PIN…).
#[derive(Resource, Debug, Default)]
pub struct ClassroomNotice(pub Option<String>);

/// One turn already played in the current round.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// Team name.
    pub team: String,
    /// Scenario id.
    pub scenario: String,
    /// Who played.
    pub trainee: String,
    /// Overall score.
    pub overall: f64,
    /// Passed.
    pub passed: bool,
    /// Broke a rule.
    pub violated: bool,
}

/// Where a session stands: its teams, its latest round and what has been played in it.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// Teams, in entry order.
    pub teams: Vec<TeamInfo>,
    /// The latest round, if one was started.
    pub round: Option<RoundInfo>,
    /// Rounds started so far.
    pub rounds: usize,
    /// Turns played in the latest round.
    pub played: Vec<Played>,
}

impl Standing {
    /// Reads the session from the store.
    pub fn load(results: &Results, session: i64) -> Result<Standing, String> {
        results.with(|s| {
            let teams = s.teams(session)?;
            let rounds = s.rounds(session)?;
            let round = rounds.last().cloned();
            let played = match &round {
                None => Vec::new(),
                Some(r) => s
                    .attempts(&AttemptFilter {
                        session: Some(session),
                        trainee: None,
                    })?
                    .into_iter()
                    .filter(|a| a.round == Some(r.number))
                    .map(|a| Played {
                        team: a.team.unwrap_or_default(),
                        scenario: a.result.scenario.clone(),
                        trainee: a.trainee,
                        overall: a.result.scores.overall,
                        passed: a.result.passed,
                        violated: !a.result.violations.is_empty(),
                    })
                    .collect(),
            };
            Ok(Standing {
                teams,
                rounds: rounds.len(),
                round,
                played,
            })
        })
    }

    /// Whether `team` has played `scenario` in this round.
    pub fn has_played(&self, team: &str, scenario: &str) -> bool {
        self.played
            .iter()
            .any(|p| p.team == team && p.scenario == scenario)
    }

    /// The next team up and its scenario: scenario by scenario, each team in entry order.
    pub fn next_turn(&self) -> Option<(&TeamInfo, &str)> {
        let round = self.round.as_ref().filter(|r| !r.ended)?;
        round.scenarios.iter().find_map(|sc| {
            self.teams
                .iter()
                .find(|t| !self.has_played(&t.name, sc))
                .map(|t| (t, sc.as_str()))
        })
    }
}

/// Writes the HTML report and the CSV of one session (or of everything) as `report html|csv`
/// would, into a `reports` folder beside the results database (the system's temp folder for a
/// database in memory); returns the files written.
pub fn export_report(
    results: &Results,
    content: &ContentLibrary,
    locale: Locale,
    session: Option<i64>,
) -> Result<String, String> {
    let titles = crate::report::ReportData::titles(&content.library, locale);
    let (data, folder) = results.with(|st| {
        let data = crate::report::ReportData::load(st, session, titles)?;
        let folder = st
            .path()
            .and_then(|p| p.parent())
            .map_or_else(std::env::temp_dir, |d| d.to_path_buf())
            .join("reports");
        Ok((data, folder))
    })?;
    let now = crate::store::now();
    let stem = match session {
        Some(id) => format!("session-{id}-{}", now.strftime("%Y%m%d-%H%M%S")),
        None => format!("all-results-{}", now.strftime("%Y%m%d-%H%M%S")),
    };
    let html =
        crate::report::html::render(&data, locale == Locale::ZhCn, &crate::store::stamp(now));
    let csv = crate::report::csv::render(&data).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let mut files = Vec::new();
    for (ext, text) in [("html", html), ("csv", csv)] {
        let path = folder.join(format!("{stem}.{ext}"));
        // Whole or not at all, as `report -o` writes.
        crate::report::write_file(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push(path.display().to_string());
    }
    Ok(files.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(id: i64, name: &str) -> TeamInfo {
        TeamInfo {
            id,
            name: name.into(),
            captain: None,
            members: vec![],
        }
    }

    #[test]
    fn turns_go_scenario_by_scenario_and_team_by_team() {
        let mut st = Standing {
            teams: vec![team(1, "A"), team(2, "B")],
            round: Some(RoundInfo {
                id: 1,
                number: 1,
                seed: 9,
                scenarios: vec!["x".into(), "y".into()],
                ended: false,
            }),
            rounds: 1,
            played: vec![],
        };
        let mut order = Vec::new();
        while let Some((t, sc)) = st.next_turn() {
            order.push(format!("{}:{sc}", t.name));
            st.played.push(Played {
                team: t.name.clone(),
                scenario: sc.to_owned(),
                trainee: "p".into(),
                overall: 50.0,
                passed: false,
                violated: false,
            });
        }
        assert_eq!(order, ["A:x", "B:x", "A:y", "B:y"]);
        st.round.as_mut().unwrap().ended = true;
        st.played.clear();
        assert!(st.next_turn().is_none(), "an ended round has no turns");
    }
}
