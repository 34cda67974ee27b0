//! The classroom's campaign board, pure: in a campaign round every team works the same
//! campaign with the same seed, so their desks can be compared on what the course counts —
//! the cash brought in, the ageing of what is left, the rhythm of contacts — and on the total.
//!
//! Rules, chosen as for scenario rounds so a team's size does not decide the ranking:
//! * a team's figures are the means over its results in the round (a team of three that
//!   each worked the desk is not three times as good as a team of one);
//! * teams rank by mean total, then mean share collected, then results passed, then name; a
//!   team with no result yet comes last and wins nothing;
//! * results of another campaign or seed are not comparable and are left out (the store never
//!   records one under the round).

use serde::Serialize;

use super::mean;
use crate::domain::campaign::CampaignResult;

/// A stored campaign result with where it was played.
pub type CampaignRecord = super::Played<CampaignResult>;

/// One team's line on a campaign round's board; every figure is a mean over its results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CampaignStanding {
    /// Team name.
    pub team: String,
    /// Results in the round.
    pub results: usize,
    /// Share of what was owed that was collected, in per cent.
    pub collected_share: f64,
    /// Cash collected, in the campaign's currency.
    pub collected: f64,
    /// The cash score (of 40).
    pub cash: f64,
    /// The ageing score (of 20).
    pub ageing: f64,
    /// The rhythm score (of 20).
    pub rhythm: f64,
    /// The evidence score (of 20).
    pub evidence: f64,
    /// The total (0–100).
    pub total: f64,
    /// Results passed.
    pub passed: usize,
    /// Results failed by something unlawful.
    pub blocked: usize,
}

/// The board of one campaign round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CampaignBoard {
    /// The round's number within the session.
    pub round: u32,
    /// The campaign every team works.
    pub campaign: String,
    /// The seed every team plays.
    pub seed: u64,
    /// Teams, best first.
    pub standings: Vec<CampaignStanding>,
    /// The best team, once one has a result.
    pub best_team: Option<String>,
}

/// The board of campaign round `round` (campaign `campaign`, seed `seed`) for `teams` (in
/// entry order; teams without a result still appear), over `results` (those of other rounds,
/// teams, campaigns or seeds are ignored).
pub fn campaign_board(
    round: u32,
    campaign: &str,
    seed: u64,
    teams: &[String],
    results: &[CampaignRecord],
) -> CampaignBoard {
    let mut standings: Vec<CampaignStanding> = teams
        .iter()
        .map(|team| {
            let mine: Vec<&CampaignResult> = results
                .iter()
                .filter(|r| {
                    r.team.as_deref() == Some(team.as_str())
                        && r.round == Some(round)
                        && r.result.campaign == campaign
                        && r.result.seed == seed
                })
                .map(|r| &r.result)
                .collect();
            let of = |f: fn(&CampaignResult) -> f64| mean(mine.iter().map(|r| f(r))).unwrap_or(0.0);
            CampaignStanding {
                team: team.clone(),
                results: mine.len(),
                collected_share: of(|r| 100.0 * r.collected / r.owed.max(0.01)),
                collected: of(|r| r.collected),
                cash: of(|r| r.scores.cash),
                ageing: of(|r| r.scores.ageing),
                rhythm: of(|r| r.scores.rhythm),
                evidence: of(|r| r.scores.evidence),
                total: of(|r| r.scores.total),
                passed: mine.iter().filter(|r| r.passed).count(),
                blocked: mine.iter().filter(|r| !r.blockers.is_empty()).count(),
            }
        })
        .collect();
    standings.sort_by(|a, b| {
        (b.results > 0)
            .cmp(&(a.results > 0))
            .then(b.total.total_cmp(&a.total))
            .then(b.collected_share.total_cmp(&a.collected_share))
            .then(b.passed.cmp(&a.passed))
            .then(a.team.cmp(&b.team))
    });
    let best_team = standings
        .first()
        .filter(|s| s.results > 0)
        .map(|s| s.team.clone());
    CampaignBoard {
        round,
        campaign: campaign.to_owned(),
        seed,
        standings,
        best_team,
    }
}

/// A result of campaign `desk`, seed 7, owing 200,000, with `total` split 40/20/20/20 (tests).
#[cfg(test)]
pub(crate) fn sample_result(total: f64, collected: f64, passed: bool) -> CampaignResult {
    CampaignResult {
        campaign: "desk".into(),
        seed: 7,
        lang: "en".into(),
        trainee: "t".into(),
        content_hash: "h".into(),
        scores: crate::domain::campaign::CampaignScores {
            cash: total * 0.4,
            ageing: total * 0.2,
            rhythm: total * 0.2,
            evidence: total * 0.2,
            total,
        },
        passed,
        pass_mark: 60,
        owed: 200_000.0,
        collected,
        left_by_grade: [0.0, 200_000.0 - collected, 0.0, 0.0, 0.0],
        accounts: vec![],
        blockers: vec![],
        turning_points: vec![],
        weeks: vec![],
        actions: vec![],
        log: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: i64, team: &str, round: u32, r: CampaignResult) -> CampaignRecord {
        CampaignRecord {
            id,
            trainee: format!("p{id}"),
            team: Some(team.into()),
            session: Some(1),
            round: Some(round),
            started_at: format!("2026-12-01T10:{id:02}:00Z"),
            result: r,
        }
    }

    fn teams(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn teams_rank_by_mean_total_so_team_size_does_not_decide() {
        let results = vec![
            // Red: two desks, 50 and 90 (mean 70).
            record(1, "Red", 1, sample_result(50.0, 60_000.0, false)),
            record(2, "Red", 1, sample_result(90.0, 180_000.0, true)),
            // Blue: one desk at 72.
            record(3, "Blue", 1, sample_result(72.0, 150_000.0, true)),
        ];
        let b = campaign_board(1, "desk", 7, &teams(&["Red", "Blue", "Idle"]), &results);
        let order: Vec<&str> = b.standings.iter().map(|s| s.team.as_str()).collect();
        assert_eq!(order, ["Blue", "Red", "Idle"]);
        assert_eq!(b.best_team.as_deref(), Some("Blue"));
        let red = &b.standings[1];
        assert_eq!((red.results, red.total, red.passed), (2, 70.0, 1));
        assert_eq!(red.collected, 120_000.0);
        assert_eq!(red.collected_share, 60.0);
        assert_eq!(red.ageing, 14.0);
        assert_eq!(b.standings[2].results, 0);
    }

    #[test]
    fn equal_totals_go_to_the_team_that_collected_more() {
        let results = vec![
            record(1, "A", 1, sample_result(65.0, 90_000.0, true)),
            record(2, "B", 1, sample_result(65.0, 120_000.0, true)),
        ];
        let b = campaign_board(1, "desk", 7, &teams(&["A", "B"]), &results);
        assert_eq!(b.standings[0].team, "B");
        assert_eq!(b.standings[0].collected_share, 60.0);
        assert_eq!(b.standings[1].collected_share, 45.0);
    }

    #[test]
    fn other_rounds_campaigns_and_seeds_are_not_compared() {
        let mut other_seed = sample_result(99.0, 200_000.0, true);
        other_seed.seed = 8;
        let mut other_campaign = sample_result(99.0, 200_000.0, true);
        other_campaign.campaign = "other".into();
        let results = vec![
            record(1, "A", 1, other_seed),
            record(2, "A", 1, other_campaign),
            record(3, "A", 2, sample_result(99.0, 200_000.0, true)),
            record(4, "B", 1, sample_result(40.0, 20_000.0, false)),
        ];
        let b = campaign_board(1, "desk", 7, &teams(&["A", "B"]), &results);
        assert_eq!(b.standings[0].team, "B");
        assert_eq!(b.standings[1].results, 0, "{:?}", b.standings[1]);
        assert_eq!(b.best_team.as_deref(), Some("B"));
    }

    #[test]
    fn a_blocked_result_is_counted_and_a_board_with_no_results_has_no_winner() {
        let mut bad = sample_result(30.0, 10_000.0, false);
        bad.blockers.push("threatened the debtor".into());
        let b = campaign_board(1, "desk", 7, &teams(&["A"]), &[record(1, "A", 1, bad)]);
        assert_eq!(b.standings[0].blocked, 1);
        let empty = campaign_board(1, "desk", 7, &teams(&["A", "B"]), &[]);
        assert_eq!(empty.best_team, None);
        assert_eq!(empty.standings[0].team, "A", "then by name");
    }
}
