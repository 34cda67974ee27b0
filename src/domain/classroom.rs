//! Classroom arithmetic, pure: the round-by-round leaderboard (team totals, per-axis averages,
//! the best and the fastest-improving team, compliance failures) and the trainer's views (per
//! trainee first / best / average / lift, per scenario pass rate and the choices where most
//! trainees went wrong). The store supplies [`AttemptRecord`]s; nothing here does I/O.
//!
//! Rules, chosen so a team's size does not decide the ranking:
//! * a team's **round score** is the mean overall score of its attempts in that round;
//! * its **total** is the sum of its round scores (a round it did not play adds nothing);
//! * the **best team** has the highest total (ties: more passed attempts, then fewer
//!   violations, then name);
//! * the **fastest-improving team** has the largest lift from its first played round to its
//!   last (at least two rounds played and a lift above zero; ties by name).
//!
//! Campaign rounds, where every team works the same campaign with the same seed, have a board
//! of their own ([`campaign`]).

pub mod campaign;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::engine::AttemptResult;
use crate::domain::engine::scoring::round1;

pub use campaign::{CampaignBoard, CampaignRecord, CampaignStanding, campaign_board};

/// A stored result with where it was played: an attempt ([`AttemptRecord`]) or a campaign
/// ([`CampaignRecord`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Played<R> {
    /// Store id.
    pub id: i64,
    /// Who played.
    pub trainee: String,
    /// Their team, in classroom play or with `--team`.
    pub team: Option<String>,
    /// The classroom session.
    pub session: Option<i64>,
    /// The round number within the session (a campaign round's among campaign rounds).
    pub round: Option<u32>,
    /// Start time (RFC 3339), for ordering.
    pub started_at: String,
    /// The scored result.
    pub result: R,
}

/// A stored attempt with where it was played.
pub type AttemptRecord = Played<AttemptResult>;

/// One team's line on the leaderboard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamStanding {
    /// Team name.
    pub team: String,
    /// Sum of the round scores.
    pub total: f64,
    /// The team's mean overall per round, in round order (`None`: did not play it).
    pub rounds: Vec<Option<f64>>,
    /// Mean tone over all its attempts.
    pub tone: f64,
    /// Mean persistence.
    pub persistence: f64,
    /// Mean evidence.
    pub evidence: f64,
    /// Attempts played.
    pub attempts: usize,
    /// Attempts passed.
    pub passed: usize,
    /// Attempts with a violation.
    pub violations: usize,
    /// Last played round score minus first (`None` with fewer than two rounds).
    pub lift: Option<f64>,
}

/// An attempt that broke a conduct rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComplianceFailure {
    /// Team.
    pub team: Option<String>,
    /// Who played.
    pub trainee: String,
    /// Round number.
    pub round: Option<u32>,
    /// Scenario id.
    pub scenario: String,
    /// The rules broken (keys), in order.
    pub rules: Vec<String>,
}

/// The leaderboard of a session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leaderboard {
    /// Round numbers, in order.
    pub rounds: Vec<u32>,
    /// Teams, best first.
    pub standings: Vec<TeamStanding>,
    /// The best team.
    pub best_team: Option<String>,
    /// The fastest-improving team and its lift.
    pub most_improved: Option<(String, f64)>,
    /// Every attempt with a violation, in play order.
    pub compliance: Vec<ComplianceFailure>,
}

fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| round1(sum / n as f64))
}

/// The leaderboard over `attempts` for `teams` (in entry order; teams with no attempt still
/// appear) and `rounds` (numbers). Attempts without a team or round are ignored.
pub fn leaderboard(teams: &[String], rounds: &[u32], attempts: &[AttemptRecord]) -> Leaderboard {
    let mut standings: Vec<TeamStanding> = teams
        .iter()
        .map(|team| {
            let mine: Vec<&AttemptRecord> = attempts
                .iter()
                .filter(|a| a.team.as_deref() == Some(team.as_str()) && a.round.is_some())
                .collect();
            let per_round: Vec<Option<f64>> = rounds
                .iter()
                .map(|r| {
                    mean(
                        mine.iter()
                            .filter(|a| a.round == Some(*r))
                            .map(|a| a.result.scores.overall),
                    )
                })
                .collect();
            let played: Vec<f64> = per_round.iter().flatten().copied().collect();
            let lift = (played.len() >= 2).then(|| round1(played[played.len() - 1] - played[0]));
            TeamStanding {
                team: team.clone(),
                total: round1(played.iter().sum()),
                rounds: per_round,
                tone: mean(mine.iter().map(|a| a.result.scores.tone)).unwrap_or(0.0),
                persistence: mean(mine.iter().map(|a| a.result.scores.persistence)).unwrap_or(0.0),
                evidence: mean(mine.iter().map(|a| a.result.scores.evidence)).unwrap_or(0.0),
                attempts: mine.len(),
                passed: mine.iter().filter(|a| a.result.passed).count(),
                violations: mine
                    .iter()
                    .filter(|a| !a.result.violations.is_empty())
                    .count(),
                lift,
            }
        })
        .collect();
    standings.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then(b.passed.cmp(&a.passed))
            .then(a.violations.cmp(&b.violations))
            .then(a.team.cmp(&b.team))
    });
    let best_team = standings
        .first()
        .filter(|s| s.attempts > 0)
        .map(|s| s.team.clone());
    let most_improved = standings
        .iter()
        .filter_map(|s| s.lift.filter(|l| *l > 0.0).map(|l| (s.team.clone(), l)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    let compliance = attempts
        .iter()
        .filter(|a| !a.result.violations.is_empty())
        .map(|a| ComplianceFailure {
            team: a.team.clone(),
            trainee: a.trainee.clone(),
            round: a.round,
            scenario: a.result.scenario.clone(),
            rules: a
                .result
                .violations
                .iter()
                .map(|v| v.rule.key().to_owned())
                .collect(),
        })
        .collect();
    Leaderboard {
        rounds: rounds.to_vec(),
        standings,
        best_team,
        most_improved,
        compliance,
    }
}

/// One trainee's progress.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraineeStats {
    /// Name.
    pub trainee: String,
    /// Attempts played.
    pub attempts: usize,
    /// Overall score of the first attempt.
    pub first: f64,
    /// Best overall score.
    pub best: f64,
    /// Mean overall score.
    pub average: f64,
    /// Best minus first.
    pub lift: f64,
    /// Attempts passed.
    pub passed: usize,
}

/// Per trainee: attempts, first, best, average, lift and passes; by name.
pub fn trainee_stats(attempts: &[AttemptRecord]) -> Vec<TraineeStats> {
    let mut by: BTreeMap<&str, Vec<&AttemptRecord>> = BTreeMap::new();
    for a in attempts {
        by.entry(&a.trainee).or_default().push(a);
    }
    by.into_iter()
        .map(|(trainee, mut list)| {
            list.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.id.cmp(&b.id)));
            let scores: Vec<f64> = list.iter().map(|a| a.result.scores.overall).collect();
            let first = scores[0];
            let best = scores.iter().copied().fold(f64::MIN, f64::max);
            TraineeStats {
                trainee: trainee.to_owned(),
                attempts: list.len(),
                first,
                best,
                average: mean(scores.iter().copied()).unwrap_or(0.0),
                lift: round1(best - first),
                passed: list.iter().filter(|a| a.result.passed).count(),
            }
        })
        .collect()
}

/// A turn where trainees often did not pick the best line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissedChoice {
    /// The node (the debtor's line).
    pub node: String,
    /// What the debtor said there (from the most recent attempt that reached it).
    pub debtor: String,
    /// Trainees who reached this node.
    pub reached: usize,
    /// Trainees who did not pick the best line here (at least once).
    pub missed: usize,
    /// The wrong choice picked most often, and what it said.
    pub common_choice: String,
    /// Its text.
    pub common_text: String,
    /// The better line, when recorded.
    pub better: Option<String>,
}

/// One scenario's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioStats {
    /// Scenario id.
    pub scenario: String,
    /// Attempts.
    pub attempts: usize,
    /// Attempts passed.
    pub passed: usize,
    /// Passed ÷ attempts × 100.
    pub pass_rate: f64,
    /// Mean overall score.
    pub average: f64,
    /// The turns where most trainees went wrong, worst first (at most five).
    pub missed: Vec<MissedChoice>,
}

/// Per scenario: pass rate, average and where trainees go wrong; by scenario id.
pub fn scenario_stats(attempts: &[AttemptRecord]) -> Vec<ScenarioStats> {
    let mut by: BTreeMap<&str, Vec<&AttemptRecord>> = BTreeMap::new();
    for a in attempts {
        by.entry(&a.result.scenario).or_default().push(a);
    }
    by.into_iter()
        .map(|(scenario, list)| {
            let passed = list.iter().filter(|a| a.result.passed).count();
            // node → (trainees reaching it, trainees missing it, wrong choice counts, texts)
            #[derive(Default)]
            struct Node<'a> {
                reached: BTreeSet<&'a str>,
                missed: BTreeSet<&'a str>,
                wrong: BTreeMap<&'a str, (usize, &'a str)>,
                debtor: &'a str,
                better: Option<&'a str>,
            }
            let mut nodes: BTreeMap<&str, Node<'_>> = BTreeMap::new();
            for a in &list {
                for t in &a.result.debrief {
                    let n = nodes.entry(&t.node).or_default();
                    n.reached.insert(&a.trainee);
                    n.debtor = &t.debtor;
                    if !t.was_best {
                        n.missed.insert(&a.trainee);
                        let e = n.wrong.entry(&t.choice).or_insert((0, &t.said));
                        e.0 += 1;
                        if let Some(b) = &t.best_alternative {
                            n.better = Some(&b.text);
                        }
                    }
                }
            }
            let mut missed: Vec<MissedChoice> = nodes
                .into_iter()
                .filter(|(_, n)| !n.missed.is_empty())
                .map(|(node, n)| {
                    let (choice, (_, text)) = n
                        .wrong
                        .iter()
                        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
                        .map(|(c, v)| (*c, *v))
                        .unwrap_or(("", (0, "")));
                    MissedChoice {
                        node: node.to_owned(),
                        debtor: n.debtor.to_owned(),
                        reached: n.reached.len(),
                        missed: n.missed.len(),
                        common_choice: choice.to_owned(),
                        common_text: text.to_owned(),
                        better: n.better.map(str::to_owned),
                    }
                })
                .collect();
            // Worst share first, then most trainees, then node id.
            missed.sort_by(|a, b| {
                let share = |m: &MissedChoice| m.missed as f64 / m.reached.max(1) as f64;
                share(b)
                    .total_cmp(&share(a))
                    .then(b.missed.cmp(&a.missed))
                    .then(a.node.cmp(&b.node))
            });
            missed.truncate(5);
            ScenarioStats {
                scenario: scenario.to_owned(),
                attempts: list.len(),
                passed,
                pass_rate: round1(100.0 * passed as f64 / list.len() as f64),
                average: mean(list.iter().map(|a| a.result.scores.overall)).unwrap_or(0.0),
                missed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content::model::{Outcome, Rule, Severity, Tone};
    use crate::domain::engine::scoring::Scores;
    use crate::domain::engine::session::{DebriefTurn, ViolationRecord};

    fn result(scenario: &str, overall: f64, passed: bool) -> AttemptResult {
        AttemptResult {
            scenario: scenario.into(),
            seed: 1,
            lang: "en".into(),
            trainee: "t".into(),
            content_hash: "h".into(),
            prepared: vec![],
            outcome: Outcome::WrittenPromise,
            ending: "e".into(),
            summary: None,
            passed,
            pass_mark: 70,
            scores: Scores {
                tone: overall,
                persistence: overall,
                evidence: overall,
                overall,
            },
            violations: vec![],
            evidence: vec![],
            evidence_missed: vec![],
            truths: vec![],
            drawn: vec![],
            turns: 0,
            transcript: vec![],
            debrief: vec![],
        }
    }

    fn attempt(id: i64, who: &str, team: &str, round: u32, overall: f64) -> AttemptRecord {
        AttemptRecord {
            id,
            trainee: who.into(),
            team: Some(team.into()),
            session: Some(1),
            round: Some(round),
            started_at: format!("2026-11-22T10:{id:02}:00Z"),
            result: result("s", overall, overall >= 70.0),
        }
    }

    #[test]
    fn team_totals_sum_round_means_so_team_size_does_not_decide() {
        let teams = vec!["Red".to_owned(), "Blue".to_owned()];
        let attempts = vec![
            // Red: two players in round 1 (mean 60), one in round 2 (80): total 140.
            attempt(1, "a", "Red", 1, 50.0),
            attempt(2, "b", "Red", 1, 70.0),
            attempt(3, "a", "Red", 2, 80.0),
            // Blue: 75 then 70: total 145.
            attempt(4, "c", "Blue", 1, 75.0),
            attempt(5, "c", "Blue", 2, 70.0),
        ];
        let lb = leaderboard(&teams, &[1, 2], &attempts);
        assert_eq!(lb.standings[0].team, "Blue");
        assert_eq!(lb.standings[0].total, 145.0);
        assert_eq!(lb.standings[1].total, 140.0);
        assert_eq!(lb.standings[1].rounds, vec![Some(60.0), Some(80.0)]);
        assert_eq!(lb.best_team.as_deref(), Some("Blue"));
        // Red improved by 20; Blue fell by 5 and does not count as improving.
        assert_eq!(lb.most_improved, Some(("Red".to_owned(), 20.0)));
        assert_eq!(lb.standings[1].lift, Some(20.0));
        assert_eq!(lb.standings[0].lift, Some(-5.0));
        assert_eq!(lb.standings[1].tone, 66.7);
    }

    #[test]
    fn a_team_that_has_not_played_is_listed_last_and_wins_nothing() {
        let teams = vec!["Idle".to_owned(), "Red".to_owned()];
        let lb = leaderboard(&teams, &[1], &[attempt(1, "a", "Red", 1, 40.0)]);
        assert_eq!(lb.standings[1].team, "Idle");
        assert_eq!(lb.standings[1].rounds, vec![None]);
        assert_eq!(lb.best_team.as_deref(), Some("Red"));
        assert_eq!(lb.most_improved, None, "one round cannot show improvement");
        let empty = leaderboard(&teams, &[1], &[]);
        assert_eq!(empty.best_team, None);
    }

    #[test]
    fn ties_go_to_more_passes_then_fewer_violations_then_name() {
        let teams = vec!["B".to_owned(), "A".to_owned()];
        let lb = leaderboard(
            &teams,
            &[1],
            &[attempt(1, "x", "B", 1, 70.0), attempt(2, "y", "A", 1, 70.0)],
        );
        assert_eq!(lb.best_team.as_deref(), Some("A"));
    }

    #[test]
    fn compliance_failures_are_listed_with_their_rules() {
        let mut bad = attempt(1, "a", "Red", 1, 30.0);
        bad.result.violations.push(ViolationRecord {
            rule: Rule::Threat,
            severity: Severity::Blocker,
            turn: 2,
            choice: "threaten".into(),
        });
        let lb = leaderboard(&["Red".to_owned()], &[1], &[bad]);
        assert_eq!(lb.compliance.len(), 1);
        assert_eq!(lb.compliance[0].rules, ["threat"]);
        assert_eq!(lb.standings[0].violations, 1);
    }

    #[test]
    fn trainee_lift_is_best_minus_first_in_time_order() {
        let attempts = vec![
            attempt(3, "a", "Red", 2, 90.0),
            attempt(1, "a", "Red", 1, 40.0),
            attempt(2, "a", "Red", 1, 60.0),
        ];
        let s = &trainee_stats(&attempts)[0];
        assert_eq!(
            (s.attempts, s.first, s.best, s.average, s.lift),
            (3, 40.0, 90.0, 63.3, 50.0)
        );
        assert_eq!(s.passed, 1);
    }

    fn turn(node: &str, choice: &str, best: bool) -> DebriefTurn {
        DebriefTurn {
            turn: 1,
            node: node.into(),
            debtor: format!("{node}?"),
            choice: choice.into(),
            said: format!("said {choice}"),
            tone: Tone::CourteousFirm,
            tone_score: 100.0,
            persistence_score: None,
            evidence_gained: vec![],
            mood: (0, 0),
            feedback: String::new(),
            principle: None,
            course: None,
            violation: None,
            was_best: best,
            best_alternative: None,
        }
    }

    #[test]
    fn scenario_stats_find_the_turn_most_trainees_get_wrong() {
        let mut list = Vec::new();
        for (id, who, wrong_at_n2) in [(1, "a", true), (2, "b", true), (3, "c", false)] {
            let mut a = attempt(id, who, "Red", 1, if wrong_at_n2 { 50.0 } else { 80.0 });
            a.result.debrief = vec![
                turn("n1", "good", true),
                turn(
                    "n2",
                    if wrong_at_n2 { "soft" } else { "firm" },
                    !wrong_at_n2,
                ),
            ];
            list.push(a);
        }
        list[0].result.debrief[0] = turn("n1", "meh", false);
        let s = &scenario_stats(&list)[0];
        assert_eq!((s.attempts, s.passed, s.pass_rate), (3, 1, 33.3));
        assert_eq!(s.missed[0].node, "n2");
        assert_eq!((s.missed[0].reached, s.missed[0].missed), (3, 2));
        assert_eq!(s.missed[0].common_choice, "soft");
        assert_eq!(s.missed[1].node, "n1");
    }
}
