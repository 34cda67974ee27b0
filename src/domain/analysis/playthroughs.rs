//! Playing a scenario through: one path under a policy, the model answer per truth, every
//! path enumerated, and random-policy simulation.

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::prep_sets;
use crate::domain::content::model::Outcome;
use crate::domain::engine::compiled::{Bits, Compiled, State};
use crate::domain::engine::scoring::{ScoreSheet, Scores, judge_turn, passes};

/// One complete playthrough and how it scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathResult {
    /// Preparation item ids ticked.
    pub prepared: Vec<String>,
    /// The drawn-truth variant ids that held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub truths: Vec<String>,
    /// Choice ids, in order.
    pub choices: Vec<String>,
    /// The ending node id.
    pub ending: String,
    /// The ending's outcome.
    pub outcome: Outcome,
    /// The scores.
    pub scores: Scores,
    /// Whether it passed.
    pub passed: bool,
}

/// Plays from the start with `prepared` and the truths `drawn`, asking `policy` for a choice
/// index at each turn.
pub fn run_policy(
    c: &Compiled,
    prepared: &[usize],
    drawn: &Bits,
    mut policy: impl FnMut(&State, &[usize]) -> usize,
) -> Option<PathResult> {
    let mut s = c.initial_state(prepared, drawn);
    let mut sheet = ScoreSheet::default();
    let mut choices = Vec::new();
    while !c.is_ended(&s) {
        let available = c.available(&s);
        if available.is_empty() {
            return None;
        }
        let ci = policy(&s, &available);
        let j = judge_turn(c, &s, &available, ci);
        let choice = &c.nodes[s.node].choices[ci];
        sheet.add_turn(
            &j,
            choice.violation.map_or(0.0, |v| v.penalty()),
            choice.is_blocker(),
        );
        choices.push(node_choice_id(c, s.node, ci));
        let info = c.step(&mut s, ci);
        sheet.evidence_points += i64::from(info.evidence_points);
    }
    Some(finish(c, prepared, choices, &s, &sheet))
}

fn finish(
    c: &Compiled,
    prepared: &[usize],
    choices: Vec<String>,
    s: &State,
    sheet: &ScoreSheet,
) -> PathResult {
    let raw = c.evidence_weight(&s.evidence) + sheet.evidence_points;
    let scores = sheet.scores(
        raw,
        c.max_evidence_for(&s.drawn),
        &c.scenario.scoring.weights,
    );
    PathResult {
        prepared: prepared
            .iter()
            .map(|&i| c.scenario.preparation.items[i].id.0.clone())
            .collect(),
        truths: truth_ids(c, &s.drawn),
        choices,
        ending: c.scenario.nodes[s.node].id().0.clone(),
        outcome: c.nodes[s.node].ending.unwrap_or(Outcome::HungUp),
        passed: passes(&scores, sheet.blocker, c.scenario.scoring.pass_mark),
        scores,
    }
}

fn node_choice_id(c: &Compiled, node: usize, ci: usize) -> String {
    match &c.scenario.nodes[node] {
        crate::domain::content::model::Node::Debtor(d) => d.choices[ci].id.0.clone(),
        crate::domain::content::model::Node::Ending(_) => String::new(),
    }
}

/// The variant ids of a set of drawn truths, in the scenario's order.
pub fn truth_ids(c: &Compiled, drawn: &Bits) -> Vec<String> {
    drawn
        .iter()
        .filter_map(|i| c.variant(i).map(|(_, v)| v.id.0.clone()))
        .collect()
}

/// The model answer for every way the truths can fall (one entry for a scenario without
/// drawn truths), each with the truths it was played under.
pub fn model_answers(c: &Compiled) -> Vec<(Vec<String>, Option<PathResult>)> {
    c.truth_combos()
        .iter()
        .map(|drawn| (truth_ids(c, drawn), model_answer_for(c, drawn)))
        .collect()
}

/// The weakest of the per-truth model answers (`None` when one gets stuck): when it passes,
/// the model answer passes whatever is drawn. This is the "best path" the validator requires
/// to pass.
pub fn model_answer(c: &Compiled) -> Option<PathResult> {
    weakest(model_answers(c).iter().map(|(_, a)| a.as_ref()))
}

/// The lowest-scoring of some model answers (the first of equals), or `None` when one of them
/// is `None` (got stuck).
pub fn weakest<'a>(answers: impl Iterator<Item = Option<&'a PathResult>>) -> Option<PathResult> {
    let mut worst: Option<&PathResult> = None;
    for answer in answers {
        let answer = answer?;
        if worst.is_none_or(|w| answer.scores.overall < w.scores.overall) {
            worst = Some(answer);
        }
    }
    worst.cloned()
}

/// The model answer when the truths `drawn` hold: the best line on offer taken at every
/// turn, with the preparation set that makes it score highest.
pub fn model_answer_for(c: &Compiled, drawn: &Bits) -> Option<PathResult> {
    let mut best: Option<PathResult> = None;
    for set in prep_sets(c) {
        let result = run_policy(c, &set, drawn, |s, available| {
            let probe = available[0];
            judge_turn(c, s, available, probe).best_offered
        });
        if let Some(r) = result {
            let better = best.as_ref().is_none_or(|b| {
                r.scores.overall > b.scores.overall
                    || (r.scores.overall == b.scores.overall && r.prepared.len() < b.prepared.len())
            });
            if better {
                best = Some(r);
            }
        }
    }
    best
}

/// Summary of every path through a scenario (bounded).
#[derive(Clone, Debug, Serialize)]
pub struct PathsReport {
    /// Complete paths found.
    pub paths: usize,
    /// Paths that pass.
    pub passing: usize,
    /// True when `limit` stopped the enumeration.
    pub bounded: bool,
    /// The highest-scoring path.
    pub best: Option<PathResult>,
    /// The lowest-scoring path.
    pub worst: Option<PathResult>,
    /// Paths per outcome.
    pub outcomes: BTreeMap<String, usize>,
    /// Ending ids no enumerated path reached.
    pub unreached_endings: Vec<String>,
    /// Preparation sets enumerated (fully or until the limit).
    pub prep_sets_done: usize,
    /// Preparation sets not reached because of the limit.
    pub prep_sets_skipped: usize,
}

/// Enumerates every path from the start with `prepared` and the truths `drawn`, up to `limit`
/// complete paths.
pub fn enumerate_paths(
    c: &Compiled,
    prepared: &[usize],
    drawn: &Bits,
    limit: usize,
) -> PathsReport {
    struct Walk<'a> {
        c: &'a Compiled,
        prepared: &'a [usize],
        limit: usize,
        report: PathsReport,
        reached: Vec<bool>,
        choices: Vec<String>,
    }
    impl Walk<'_> {
        fn go(&mut self, s: &State, sheet: &ScoreSheet) {
            if self.report.paths >= self.limit {
                self.report.bounded = true;
                return;
            }
            if self.c.is_ended(s) {
                let r = finish(self.c, self.prepared, self.choices.clone(), s, sheet);
                self.reached[s.node] = true;
                self.report.paths += 1;
                self.report.passing += usize::from(r.passed);
                *self
                    .report
                    .outcomes
                    .entry(r.outcome.key().to_owned())
                    .or_default() += 1;
                if self
                    .report
                    .best
                    .as_ref()
                    .is_none_or(|b| r.scores.overall > b.scores.overall)
                {
                    self.report.best = Some(r.clone());
                }
                if self
                    .report
                    .worst
                    .as_ref()
                    .is_none_or(|w| r.scores.overall < w.scores.overall)
                {
                    self.report.worst = Some(r);
                }
                return;
            }
            let available = self.c.available(s);
            for &ci in &available {
                let j = judge_turn(self.c, s, &available, ci);
                let choice = &self.c.nodes[s.node].choices[ci];
                let mut sheet2 = sheet.clone();
                sheet2.add_turn(
                    &j,
                    choice.violation.map_or(0.0, |v| v.penalty()),
                    choice.is_blocker(),
                );
                let mut next = s.clone();
                let info = self.c.step(&mut next, ci);
                sheet2.evidence_points += i64::from(info.evidence_points);
                self.choices.push(node_choice_id(self.c, s.node, ci));
                self.go(&next, &sheet2);
                self.choices.pop();
            }
        }
    }
    let mut walk = Walk {
        c,
        prepared,
        limit,
        report: PathsReport {
            paths: 0,
            passing: 0,
            bounded: false,
            best: None,
            worst: None,
            outcomes: BTreeMap::new(),
            unreached_endings: Vec::new(),
            prep_sets_done: 1,
            prep_sets_skipped: 0,
        },
        reached: vec![false; c.nodes.len()],
        choices: Vec::new(),
    };
    walk.go(&c.initial_state(prepared, drawn), &ScoreSheet::default());
    let mut report = walk.report;
    report.unreached_endings = c
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| n.ending.is_some() && !walk.reached[*i])
        .map(|(i, _)| c.scenario.nodes[i].id().0.clone())
        .collect();
    report
}

/// Enumerates every path for every way the truths can fall and every preparation set worth
/// considering (see [`prep_sets`]), up to `limit` complete paths in all, and merges the
/// reports.
pub fn enumerate_all(c: &Compiled, limit: usize) -> PathsReport {
    let mut total: Option<PathsReport> = None;
    let mut reached: Vec<String> = Vec::new();
    let combos = c.truth_combos();
    let sets: Vec<(Bits, Vec<usize>)> = combos
        .iter()
        .flat_map(|d| prep_sets(c).into_iter().map(move |p| (d.clone(), p)))
        .collect();
    let count = sets.len();
    let mut done = 0;
    for (drawn, set) in sets {
        let left = limit.saturating_sub(total.as_ref().map_or(0, |t| t.paths));
        if left == 0 {
            if let Some(t) = total.as_mut() {
                t.bounded = true;
            }
            break;
        }
        done += 1;
        let r = enumerate_paths(c, &set, &drawn, left);
        for n in c
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.ending.is_some())
        {
            let id = &c.scenario.nodes[n.0].id().0;
            if !r.unreached_endings.contains(id) && !reached.contains(id) {
                reached.push(id.clone());
            }
        }
        total = Some(match total {
            None => r,
            Some(mut t) => {
                t.paths += r.paths;
                t.passing += r.passing;
                t.bounded |= r.bounded;
                for (k, v) in r.outcomes {
                    *t.outcomes.entry(k).or_default() += v;
                }
                if r.best.as_ref().is_some_and(|b| {
                    t.best
                        .as_ref()
                        .is_none_or(|tb| b.scores.overall > tb.scores.overall)
                }) {
                    t.best = r.best;
                }
                if r.worst.as_ref().is_some_and(|w| {
                    t.worst
                        .as_ref()
                        .is_none_or(|tw| w.scores.overall < tw.scores.overall)
                }) {
                    t.worst = r.worst;
                }
                t
            }
        });
    }
    let mut report = total.unwrap_or_else(|| enumerate_paths(c, &[], &c.draw_truths(0), limit));
    report.unreached_endings.retain(|id| !reached.contains(id));
    report.prep_sets_done = done.max(1);
    report.prep_sets_skipped = count.saturating_sub(done);
    report
}

/// Min, mean and max of one score over simulated runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    /// Lowest.
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Highest.
    pub max: f64,
}

/// Results of random-policy runs.
#[derive(Clone, Debug, Serialize)]
pub struct SimReport {
    /// Runs played.
    pub runs: usize,
    /// Share of runs that passed, 0 to 1.
    pub pass_rate: f64,
    /// Tone spread.
    pub tone: Spread,
    /// Persistence spread.
    pub persistence: Spread,
    /// Evidence spread.
    pub evidence: Spread,
    /// Overall spread.
    pub overall: Spread,
    /// Runs per outcome.
    pub outcomes: BTreeMap<String, usize>,
    /// Choices made in all runs.
    pub choices: usize,
}

/// Plays `runs` conversations choosing uniformly among the available lines (and a random
/// preparation within the budget), seeded by `seed`.
pub fn simulate(c: &Compiled, runs: usize, seed: u64) -> SimReport {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut results = Vec::with_capacity(runs);
    let mut choices = 0;
    let items = c.scenario.preparation.items.len();
    let budget = c.scenario.preparation.budget.map_or(items, |b| b as usize);
    for _ in 0..runs {
        let mut prepared: Vec<usize> = (0..items).filter(|_| rng.random_bool(0.5)).collect();
        prepared.truncate(budget);
        let drawn = c.draw_truths(rng.random());
        let r = run_policy(c, &prepared, &drawn, |_, available| {
            choices += 1;
            available[rng.random_range(0..available.len())]
        });
        if let Some(r) = r {
            results.push(r);
        }
    }
    let spread = |f: fn(&Scores) -> f64| {
        if results.is_empty() {
            return Spread::default();
        }
        let vals: Vec<f64> = results.iter().map(|r| f(&r.scores)).collect();
        Spread {
            min: vals.iter().copied().fold(f64::INFINITY, f64::min),
            mean: crate::domain::engine::scoring::round1(
                vals.iter().sum::<f64>() / vals.len() as f64,
            ),
            max: vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    };
    let mut outcomes = BTreeMap::new();
    for r in &results {
        *outcomes.entry(r.outcome.key().to_owned()).or_default() += 1;
    }
    SimReport {
        runs: results.len(),
        pass_rate: if results.is_empty() {
            0.0
        } else {
            results.iter().filter(|r| r.passed).count() as f64 / results.len() as f64
        },
        tone: spread(|s| s.tone),
        persistence: spread(|s| s.persistence),
        evidence: spread(|s| s.evidence),
        overall: spread(|s| s.overall),
        outcomes,
        choices,
    }
}
