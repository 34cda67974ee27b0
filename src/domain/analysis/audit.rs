//! The answer-leak audit: does a scenario's wording give the best line away? It measures the
//! tells a trainee could play by without reading (the best line is the longest, the only
//! courteous-firm one), what the content offers instead (near-misses, preparation that
//! matters) and plays naive policies over many seeds to see how often they pass.

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use crate::domain::analysis::{PathResult, model_answer_for, run_policy};
use crate::domain::content::model::{Difficulty, Node, Tone};
use crate::domain::engine::compiled::{Bits, Compiled, State};
use crate::domain::engine::scoring::{judge_turn, turn_values};
use crate::domain::engine::session::{default_trainee, render_text, shown_order};
use crate::domain::text::Locale;

/// How much a near-miss is worth at least, as a share of the best line's value at its turn.
pub const NEAR_MISS_FLOOR: f64 = 0.5;

/// The naive and reference policies the audit plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Always the first option shown.
    AlwaysFirst,
    /// Always the longest line, measured in Chinese.
    LongestZh,
    /// Always the longest line, measured in English.
    LongestEn,
    /// The longest line not tagged aggressive, insulting, threatening or deceptive (Chinese).
    LongestNotHostileZh,
    /// The same in English.
    LongestNotHostileEn,
    /// Uniformly at random.
    Random,
    /// A polite-firm player: a random courteous-firm line, else a random line without a
    /// violation.
    PoliteFirm,
    /// A polite-soft player: a random courteous-soft line, else a random line without a
    /// violation.
    PoliteSoft,
    /// An aggressive player: a random impatient, aggressive, threatening or insulting line,
    /// else a random one.
    Aggressive,
    /// A careful but imperfect trainee: the best line on offer four times in five, otherwise a
    /// random line without a violation. Its pass rate measures how forgiving the scenario is,
    /// which is what its difficulty label should say.
    Careful,
}

impl Policy {
    /// Every policy, in report order.
    pub const ALL: [Policy; 10] = [
        Policy::AlwaysFirst,
        Policy::LongestZh,
        Policy::LongestEn,
        Policy::LongestNotHostileZh,
        Policy::LongestNotHostileEn,
        Policy::Random,
        Policy::PoliteFirm,
        Policy::PoliteSoft,
        Policy::Aggressive,
        Policy::Careful,
    ];

    /// Its key in reports.
    pub fn key(self) -> &'static str {
        match self {
            Policy::AlwaysFirst => "always_first",
            Policy::LongestZh => "longest_zh",
            Policy::LongestEn => "longest_en",
            Policy::LongestNotHostileZh => "longest_not_hostile_zh",
            Policy::LongestNotHostileEn => "longest_not_hostile_en",
            Policy::Random => "random",
            Policy::PoliteFirm => "polite_firm",
            Policy::PoliteSoft => "polite_soft",
            Policy::Aggressive => "aggressive",
            Policy::Careful => "careful",
        }
    }

    /// The most a naive policy may pass, as a share of the library's plays; `None` for the
    /// reference players, which are checked against each other instead.
    pub fn limit(self) -> Option<f64> {
        match self {
            Policy::AlwaysFirst | Policy::LongestZh | Policy::LongestEn | Policy::Random => {
                Some(0.10)
            }
            Policy::LongestNotHostileZh | Policy::LongestNotHostileEn => Some(0.20),
            Policy::PoliteFirm | Policy::PoliteSoft | Policy::Aggressive | Policy::Careful => None,
        }
    }
}

/// How one policy did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct PolicyStats {
    /// Plays.
    pub plays: usize,
    /// Plays that passed.
    pub passes: usize,
    /// Mean overall score.
    pub mean_overall: f64,
}

impl PolicyStats {
    /// Share of plays that passed, 0 to 1.
    pub fn pass_rate(&self) -> f64 {
        if self.plays == 0 {
            0.0
        } else {
            self.passes as f64 / self.plays as f64
        }
    }

    fn add(&mut self, other: &PolicyStats) {
        let total = self.mean_overall * self.plays as f64 + other.mean_overall * other.plays as f64;
        self.plays += other.plays;
        self.passes += other.passes;
        self.mean_overall = if self.plays == 0 {
            0.0
        } else {
            total / self.plays as f64
        };
    }
}

/// The audit of one scenario.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioAudit {
    /// The scenario id.
    pub id: String,
    /// Ways the drawn truths can fall.
    pub truth_combinations: usize,
    /// Distinct decision points met (node and set of lines on offer, two or more lines) in
    /// the audit's own plays: every policy over every seed, and the model answers.
    pub decision_points: usize,
    /// Share of decision points where the best line is the longest, in Chinese.
    pub best_longest_zh: f64,
    /// The same in English.
    pub best_longest_en: f64,
    /// Median over decision points of the best line's length against the median length of
    /// the others (Chinese characters).
    pub best_length_ratio_zh: f64,
    /// The same in English.
    pub best_length_ratio_en: f64,
    /// Share of decision points where the best line is the only courteous-firm one.
    pub best_only_firm: f64,
    /// Decision points with a near-miss: a line without a violation worth at least half the
    /// best line's value but less than it.
    pub near_miss_points: usize,
    /// Their share.
    pub near_miss_share: f64,
    /// Overall points the model answer loses without any preparation (mean over truths).
    pub preparation_cost: f64,
    /// Whether the model answer still passes with nothing prepared, in some truth.
    pub passes_unprepared: bool,
    /// Whether the model answer passes in every truth.
    pub model_passes: bool,
    /// The lowest model-answer overall over the truths.
    pub model_overall: f64,
    /// Each policy's plays.
    pub policies: BTreeMap<Policy, PolicyStats>,
    /// The scenario's difficulty label.
    pub difficulty: Difficulty,
    /// The label the careful player's pass rate calls for (see [`measured_difficulty`]).
    pub measured_difficulty: Difficulty,
}

/// The difficulty a careful player's pass rate calls for: easy when at least 80 % of careful
/// plays pass, hard below 60 %, medium between.
pub fn measured_difficulty(careful_pass_rate: f64) -> Difficulty {
    if careful_pass_rate >= 0.80 {
        Difficulty::Easy
    } else if careful_pass_rate < 0.60 {
        Difficulty::Hard
    } else {
        Difficulty::Medium
    }
}

/// The audit of a set of scenarios.
#[derive(Clone, Debug, Serialize)]
pub struct LibraryAudit {
    /// Plays per scenario and policy.
    pub plays: usize,
    /// Per scenario.
    pub scenarios: Vec<ScenarioAudit>,
    /// Each policy over all scenarios.
    pub totals: BTreeMap<Policy, PolicyStats>,
    /// What fails the audit (empty when it passes).
    pub failures: Vec<String>,
}

/// A decision point: the node, the lines on offer, and the state it was first met in.
struct Point {
    state: State,
    available: Vec<usize>,
    /// The best line on offer, when the play that met the point already judged it.
    best: Option<usize>,
}

/// Decision points by node and the lines on offer, each with the state it was first met in.
type Points = BTreeMap<(usize, Vec<usize>), Point>;

/// Records a decision point (two or more lines on offer) the first time it is met.
fn note_point(points: &mut Points, s: &State, available: &[usize], best: Option<usize>) {
    if available.len() >= 2 {
        points
            .entry((s.node, available.to_vec()))
            .or_insert_with(|| Point {
                state: s.clone(),
                available: available.to_vec(),
                best,
            });
    }
}

/// The best line on offer at a decision point.
fn best_at(c: &Compiled, p: &Point) -> usize {
    judge_turn(c, &p.state, &p.available, p.available[0]).best_offered
}

/// Per locale (Chinese, English): whether the best line is strictly the longest on offer, and
/// its length over the median length of the others (when that is not zero). Each line is
/// rendered once.
fn length_tell(c: &Compiled, p: &Point, best: usize) -> [(bool, Option<f64>); 2] {
    [Locale::ZhCn, Locale::En].map(|locale| {
        let len = |i: usize| length(c, locale, p.state.node, i) as f64;
        let best_len = len(best);
        let others: Vec<f64> = p
            .available
            .iter()
            .filter(|&&i| i != best)
            .map(|&i| len(i))
            .collect();
        let longest = others.iter().all(|&o| best_len > o);
        let m = median(others);
        (longest, (m > 0.0).then(|| best_len / m))
    })
}

/// Audits `scenarios` with `plays` seeded plays per scenario and policy (seeds 1 to `plays`).
pub fn audit(scenarios: &[&Compiled], plays: usize) -> LibraryAudit {
    let audits: Vec<ScenarioAudit> = scenarios.iter().map(|c| audit_one(c, plays)).collect();
    let mut totals: BTreeMap<Policy, PolicyStats> = BTreeMap::new();
    for a in &audits {
        for (p, s) in &a.policies {
            totals.entry(*p).or_default().add(s);
        }
    }
    let mut failures = Vec::new();
    for (p, s) in &totals {
        if let Some(limit) = p.limit()
            && s.pass_rate() > limit
        {
            failures.push(format!(
                "{} passes {:.1}% of plays (at most {:.0}% allowed)",
                p.key(),
                100.0 * s.pass_rate(),
                100.0 * limit
            ));
        }
    }
    let mean = |p: Policy| totals.get(&p).map_or(0.0, |s| s.mean_overall);
    if !audits.is_empty() && mean(Policy::PoliteFirm) <= mean(Policy::PoliteSoft) {
        failures.push(format!(
            "a polite-firm player ({:.1}) does not beat a polite-soft one ({:.1})",
            mean(Policy::PoliteFirm),
            mean(Policy::PoliteSoft)
        ));
    }
    if let Some(s) = totals.get(&Policy::Aggressive)
        && s.passes > 0
    {
        failures.push(format!(
            "an aggressive player passes {} of {} plays",
            s.passes, s.plays
        ));
    }
    for a in &audits {
        if a.difficulty != a.measured_difficulty {
            failures.push(format!(
                "{}: labelled {} but a careful player passes {:.0}% of plays, which is {}",
                a.id,
                a.difficulty.key(),
                100.0
                    * a.policies
                        .get(&Policy::Careful)
                        .map_or(0.0, PolicyStats::pass_rate),
                a.measured_difficulty.key()
            ));
        }
        if !a.model_passes {
            failures.push(format!(
                "{}: the model answer does not pass in every truth (lowest {})",
                a.id, a.model_overall
            ));
        }
    }
    LibraryAudit {
        plays,
        scenarios: audits,
        totals,
        failures,
    }
}

fn audit_one(c: &Compiled, plays: usize) -> ScenarioAudit {
    let combos = c.truth_combos();
    let models: Vec<Option<PathResult>> = combos.iter().map(|d| model_answer_for(c, d)).collect();
    let mut points = Points::new();
    let mut note = |s: &State, available: &[usize]| note_point(&mut points, s, available, None);
    // The model answers' own decision points.
    let mut model_overall = f64::INFINITY;
    let mut model_passes = true;
    let mut cost = 0.0;
    let mut passes_unprepared = false;
    for (drawn, model) in combos.iter().zip(&models) {
        let Some(model) = model else {
            model_passes = false;
            continue;
        };
        model_passes &= model.passed;
        model_overall = model_overall.min(model.scores.overall);
        let prepared = prep_indices(c, model);
        run_policy(c, &prepared, drawn, |s, available| {
            note(s, available);
            judge_turn(c, s, available, available[0]).best_offered
        });
        if let Some(bare) = run_policy(c, &[], drawn, |s, available| {
            judge_turn(c, s, available, available[0]).best_offered
        }) {
            cost += model.scores.overall - bare.scores.overall;
            passes_unprepared |= bare.passed;
        }
    }
    let mut policies = BTreeMap::new();
    for policy in Policy::ALL {
        let mut stats = PolicyStats::default();
        let mut total = 0.0;
        for seed in 1..=plays as u64 {
            let drawn = c.draw_truths(seed);
            let k = combos.iter().position(|d| *d == drawn).unwrap_or(0);
            // Naive players get the model's preparation: the audit is then a lower bound
            // on how well guessing does.
            let prepared = models[k]
                .as_ref()
                .map(|m| prep_indices(c, m))
                .unwrap_or_default();
            let mut rng = Pcg64Mcg::seed_from_u64(seed.wrapping_mul(31) ^ policy as u64);
            let result = run_policy(c, &prepared, &drawn, |s, available| {
                note(s, available);
                pick(c, policy, seed, s, available, &mut rng)
            });
            if let Some(r) = result {
                stats.plays += 1;
                stats.passes += usize::from(r.passed);
                total += r.scores.overall;
            }
        }
        stats.mean_overall = if stats.plays == 0 {
            0.0
        } else {
            crate::domain::engine::scoring::round1(total / stats.plays as f64)
        };
        policies.insert(policy, stats);
    }
    let measures = measure_points(c, points.values());
    let careful = policies
        .get(&Policy::Careful)
        .map_or(0.0, PolicyStats::pass_rate);
    ScenarioAudit {
        id: c.scenario.id.0.clone(),
        truth_combinations: combos.len(),
        decision_points: measures.points,
        best_longest_zh: measures.longest[0],
        best_longest_en: measures.longest[1],
        best_length_ratio_zh: measures.ratio[0],
        best_length_ratio_en: measures.ratio[1],
        best_only_firm: measures.only_firm,
        near_miss_points: measures.near_misses,
        near_miss_share: share(measures.near_misses, measures.points),
        preparation_cost: crate::domain::engine::scoring::round1(cost / combos.len().max(1) as f64),
        passes_unprepared,
        model_passes,
        model_overall: if model_overall.is_finite() {
            model_overall
        } else {
            0.0
        },
        policies,
        difficulty: c.scenario.difficulty,
        measured_difficulty: measured_difficulty(careful),
    }
}

/// The share of the model answers' decision points where the best line is also the longest,
/// in Chinese and in English, and how many points that is over (the cheap check `lint` runs;
/// `audit` measures every decision point its plays meet). `answers` are the model answers
/// with the truths each was played under.
pub fn longest_on_model_path(
    c: &Compiled,
    answers: &[(Bits, Option<PathResult>)],
) -> ([f64; 2], usize) {
    let mut points = Points::new();
    for (drawn, model) in answers {
        let Some(model) = model else {
            continue;
        };
        let prepared = prep_indices(c, model);
        run_policy(c, &prepared, drawn, |s, available| {
            let best = judge_turn(c, s, available, available[0]).best_offered;
            note_point(&mut points, s, available, Some(best));
            best
        });
    }
    let mut longest = [0; 2];
    for p in points.values() {
        let best = p.best.unwrap_or_else(|| best_at(c, p));
        for (k, tell) in length_tell(c, p, best).iter().enumerate() {
            longest[k] += usize::from(tell.0);
        }
    }
    let n = points.len();
    ([share(longest[0], n), share(longest[1], n)], n)
}

fn prep_indices(c: &Compiled, model: &PathResult) -> Vec<usize> {
    model
        .prepared
        .iter()
        .filter_map(|id| {
            c.scenario
                .preparation
                .items
                .iter()
                .position(|p| p.id.0 == *id)
        })
        .collect()
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        crate::domain::engine::scoring::round1(100.0 * n as f64 / of as f64) / 100.0
    }
}

/// The length a trainee sees: characters of the rendered line.
fn length(c: &Compiled, locale: Locale, node: usize, ci: usize) -> usize {
    match &c.scenario.nodes[node] {
        Node::Debtor(d) => render_text(c, locale, default_trainee(locale), &d.choices[ci].text)
            .chars()
            .count(),
        Node::Ending(_) => 0,
    }
}

fn hostile(tone: Tone) -> bool {
    matches!(
        tone,
        Tone::Aggressive | Tone::Insulting | Tone::Threatening | Tone::Deceptive
    )
}

fn tone_of(c: &Compiled, node: usize, ci: usize) -> Tone {
    match &c.scenario.nodes[node] {
        Node::Debtor(d) => d.choices[ci].tone,
        Node::Ending(_) => Tone::Neutral,
    }
}

fn pick(
    c: &Compiled,
    policy: Policy,
    seed: u64,
    s: &State,
    available: &[usize],
    rng: &mut Pcg64Mcg,
) -> usize {
    let random_of = |pool: Vec<usize>, rng: &mut Pcg64Mcg| -> Option<usize> {
        (!pool.is_empty()).then(|| pool[rng.random_range(0..pool.len())])
    };
    let clean = |i: &usize| c.nodes[s.node].choices[*i].violation.is_none();
    let longest = |locale: Locale, pool: &[usize]| {
        // The first of equally long lines in the order shown.
        let order = shown_order(seed, s.turn, s.node, c.nodes[s.node].choices.len());
        order
            .into_iter()
            .filter(|i| pool.contains(i))
            .max_by_key(|&i| (length(c, locale, s.node, i), std::cmp::Reverse(i)))
    };
    let fallback = available[0];
    match policy {
        Policy::AlwaysFirst => shown_order(seed, s.turn, s.node, c.nodes[s.node].choices.len())
            .into_iter()
            .find(|i| available.contains(i))
            .unwrap_or(fallback),
        Policy::LongestZh => longest(Locale::ZhCn, available).unwrap_or(fallback),
        Policy::LongestEn => longest(Locale::En, available).unwrap_or(fallback),
        Policy::LongestNotHostileZh | Policy::LongestNotHostileEn => {
            let calm: Vec<usize> = available
                .iter()
                .copied()
                .filter(|&i| !hostile(tone_of(c, s.node, i)))
                .collect();
            let pool = if calm.is_empty() {
                available.to_vec()
            } else {
                calm
            };
            let locale = if policy == Policy::LongestNotHostileZh {
                Locale::ZhCn
            } else {
                Locale::En
            };
            longest(locale, &pool).unwrap_or(fallback)
        }
        Policy::Random => random_of(available.to_vec(), rng).unwrap_or(fallback),
        Policy::Careful => {
            if rng.random_bool(0.8) {
                judge_turn(c, s, available, available[0]).best_offered
            } else {
                let clean: Vec<usize> = available.iter().copied().filter(clean).collect();
                random_of(clean, rng).unwrap_or(fallback)
            }
        }
        Policy::PoliteFirm | Policy::PoliteSoft | Policy::Aggressive => {
            let wanted = |t: Tone| match policy {
                Policy::PoliteFirm => t == Tone::CourteousFirm,
                Policy::PoliteSoft => t == Tone::CourteousSoft,
                _ => matches!(
                    t,
                    Tone::Impatient | Tone::Aggressive | Tone::Threatening | Tone::Insulting
                ),
            };
            let preferred: Vec<usize> = available
                .iter()
                .copied()
                .filter(|&i| wanted(tone_of(c, s.node, i)))
                .collect();
            let second: Vec<usize> = if policy == Policy::Aggressive {
                available.to_vec()
            } else {
                available.iter().copied().filter(clean).collect()
            };
            random_of(preferred, rng)
                .or_else(|| random_of(second, rng))
                .unwrap_or(fallback)
        }
    }
}

struct Measures {
    points: usize,
    longest: [f64; 2],
    ratio: [f64; 2],
    only_firm: f64,
    near_misses: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn measure_points<'a>(c: &Compiled, points: impl Iterator<Item = &'a Point>) -> Measures {
    let mut n = 0;
    let mut longest = [0usize; 2];
    let mut ratios: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut only_firm = 0;
    let mut near_misses = 0;
    for p in points {
        n += 1;
        let s = &p.state;
        let best = p.best.unwrap_or_else(|| best_at(c, p));
        for (k, (is_longest, ratio)) in length_tell(c, p, best).into_iter().enumerate() {
            longest[k] += usize::from(is_longest);
            ratios[k].extend(ratio);
        }
        let firm = |i: usize| tone_of(c, s.node, i) == Tone::CourteousFirm;
        if firm(best) && p.available.iter().filter(|&&i| firm(i)).count() == 1 {
            only_firm += 1;
        }
        let values = turn_values(c, s, &p.available);
        let top = values
            .all
            .iter()
            .find(|v| v.index == best)
            .map_or(0.0, |v| v.value);
        let near = top > 0.0
            && values.all.iter().any(|v| {
                v.index != best
                    && c.nodes[s.node].choices[v.index].violation.is_none()
                    && v.value >= NEAR_MISS_FLOOR * top
                    && v.value < top - 1e-9
            });
        near_misses += usize::from(near);
    }
    Measures {
        points: n,
        longest: [share(longest[0], n), share(longest[1], n)],
        ratio: [
            crate::domain::engine::scoring::round1(median(std::mem::take(&mut ratios[0])) * 100.0)
                / 100.0,
            crate::domain::engine::scoring::round1(median(std::mem::take(&mut ratios[1])) * 100.0)
                / 100.0,
        ],
        only_firm: share(only_firm, n),
        near_misses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulty_follows_how_often_a_careful_player_passes() {
        assert_eq!(measured_difficulty(0.95), Difficulty::Easy);
        assert_eq!(measured_difficulty(0.80), Difficulty::Easy);
        assert_eq!(measured_difficulty(0.79), Difficulty::Medium);
        assert_eq!(measured_difficulty(0.60), Difficulty::Medium);
        assert_eq!(measured_difficulty(0.59), Difficulty::Hard);
    }

    #[test]
    fn pass_rates_add_up_over_scenarios() {
        let mut a = PolicyStats {
            plays: 10,
            passes: 5,
            mean_overall: 60.0,
        };
        a.add(&PolicyStats {
            plays: 30,
            passes: 0,
            mean_overall: 20.0,
        });
        assert_eq!((a.plays, a.passes), (40, 5));
        assert!((a.mean_overall - 30.0).abs() < 1e-9);
        assert!((a.pass_rate() - 0.125).abs() < 1e-9);
    }
}
