//! The classroom's shared state: whether the trainer has unlocked it, the session being run,
//! the notice for the next screen, the drafts being typed, the standing of a session (read from
//! the results store, so a session resumed next week picks up where it stopped), and the root
//! every classroom screen inside a session is built on.

use bevy::prelude::*;

use crate::game::records::Results;
use crate::game::state::{ClassroomScreen, Navigate};
use crate::store::{AttemptFilter, RoundInfo, TeamInfo};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<TrainerUnlocked>();
    app.init_resource::<ClassroomNotice>();
    app.init_resource::<Exported>();
    app.init_resource::<PinEntry>();
    app.init_resource::<RoundDraft>();
    // The screens inside a session need one; without it (a stale jump) back to the list.
    for screen in [
        ClassroomScreen::Teams,
        ClassroomScreen::Round,
        ClassroomScreen::Turn,
        ClassroomScreen::Board,
    ] {
        app.add_systems(
            OnEnter(screen),
            (|mut next: Navigate| next.to(ClassroomScreen::Sessions))
                .run_if(not(resource_exists::<ActiveSession>)),
        );
    }
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

/// A problem to show on the next classroom screen (a refused name, a wrong PIN…).
#[derive(Resource, Debug, Default)]
pub struct ClassroomNotice(pub Option<String>);

/// What has been typed on the keypad.
#[derive(Resource, Debug, Default)]
pub struct PinEntry {
    /// Digits typed so far.
    pub digits: String,
    /// When setting a PIN: the first entry, waiting for the confirmation.
    pub first: Option<String>,
    /// What to tell the trainer.
    pub message: Option<String>,
    /// Wrong PINs in a row, and the wait they started.
    pub throttle: crate::domain::pin::PinThrottle,
}

/// The round being planned.
#[derive(Resource, Debug, Default)]
pub struct RoundDraft {
    /// Scenario ids picked, in the order picked.
    pub scenarios: Vec<String>,
}

/// The files the last export wrote, to show once.
#[derive(Resource, Debug, Default)]
pub struct Exported(pub Option<String>);

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

/// "The session's results could not be read", with the store's reason.
pub(super) fn unreadable(s: &crate::game::settings::Settings, error: &str) -> impl Bundle {
    use crate::game::theme::{palette, widget};
    widget::colored(
        format!(
            "{} {error}",
            s.t(
                "读不出本场的成绩：",
                "The session's results could not be read:"
            )
        ),
        0.95,
        palette::BAD,
    )
}

/// The root of a classroom screen inside a session: `title` in the top bar, whose back button
/// (like Esc) returns to the session list.
pub(super) fn classroom_root(
    s: &crate::game::settings::Settings,
    name: &'static str,
    screen: ClassroomScreen,
    title: String,
) -> impl Bundle {
    use crate::game::theme::widget;
    (
        widget::ui_root(name),
        DespawnOnExit(screen),
        children![crate::game::chrome::top_bar_with_back(
            s,
            title,
            ClassroomScreen::Sessions
        )],
    )
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
