//! The rubric: per-turn judgements on tone, persistence and evidence, the best alternative at
//! each turn, and the final axis scores normalised against what was achievable.
//!
//! * **Tone** — each line's tone value (its tag's base value plus the author's adjustment) is
//!   measured from the floor of the scale against the best tone available at that turn.
//! * **Persistence** — each line's persistence value is placed between the lowest and highest
//!   value available at that turn (turns where every option is equal do not count).
//! * **Evidence** — the weight of the evidence held at the end plus evidence points, against
//!   the most any violation-free playthrough of the scenario can gather (found by the analyser).
//!
//! Overall is the weighted mean of the three, minus penalties for non-blocking violations;
//! an attempt passes when it has no blocker violation and overall reaches the pass mark.

use serde::{Deserialize, Serialize};

use crate::domain::content::model::Weights;
use crate::domain::engine::compiled::{Compiled, State, TONE_FLOOR};

/// How one trainee line measured up at its turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnJudgement {
    /// Tone value of the line said.
    pub tone: i32,
    /// Best tone value available at that turn.
    pub tone_best: i32,
    /// Persistence value of the line said.
    pub persistence: i32,
    /// Lowest and highest persistence available.
    pub persistence_range: (i32, i32),
    /// Evidence value of the line said (new items' weight plus points).
    pub evidence: i64,
    /// Lowest and highest evidence value available.
    pub evidence_range: (i64, i64),
    /// Index (within the node) of the best alternative, including lines that the right
    /// preparation would have unlocked.
    pub best_choice: usize,
    /// Whether the line said was the best alternative.
    pub was_best: bool,
    /// Index of the best line actually on offer (what a player without the missing
    /// preparation could do best; the model answer follows it).
    #[serde(default)]
    pub best_offered: usize,
}

impl TurnJudgement {
    /// The line's share of the best tone at this turn, 0 to 1.
    pub fn tone_fraction(&self) -> f64 {
        fraction(
            i64::from(self.tone - TONE_FLOOR),
            i64::from(self.tone_best - TONE_FLOOR),
        )
    }

    /// Where the line sits between the weakest and strongest persistence available, 0 to 1.
    pub fn persistence_fraction(&self) -> f64 {
        let (lo, hi) = self.persistence_range;
        fraction(
            i64::from(self.persistence.clamp(lo, hi) - lo),
            i64::from(hi - lo),
        )
    }

    /// Where the line sits between the least and most evidence available, 0 to 1.
    pub fn evidence_fraction(&self) -> f64 {
        let (lo, hi) = self.evidence_range;
        fraction(self.evidence.clamp(lo, hi) - lo, hi - lo)
    }
}

fn fraction(num: i64, den: i64) -> f64 {
    if den <= 0 {
        1.0
    } else {
        (num as f64 / den as f64).clamp(0.0, 1.0)
    }
}

/// The value of one candidate line at a turn.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    index: usize,
    tone: i32,
    persistence: i32,
    evidence: i64,
    penalty: f64,
    blocker: bool,
}

/// Judges choice `chosen` among `available` at state `s` (before the choice is applied).
///
/// The turn is measured against every line the trainee could have had here: the lines on
/// offer and the lines that preparation would have unlocked (see
/// [`Compiled::unlockable_by_preparation`]), so skipping preparation costs tone and
/// persistence, not only evidence. Rule-breaking (blocker) lines are never the reference.
pub fn judge_turn(c: &Compiled, s: &State, available: &[usize], chosen: usize) -> TurnJudgement {
    let mut candidates: Vec<usize> = available.to_vec();
    candidates.push(chosen);
    candidates.extend(c.unlockable_by_preparation(s));
    candidates.sort_unstable();
    candidates.dedup();
    let values = turn_values(c, s, &candidates);
    let (tone_best, (p_lo, p_hi), (e_lo, e_hi)) = values.ranges;
    let said = *values.get(chosen).unwrap_or(&values.all[0]);
    // Strictly greater: ties go to the author's order.
    let best_in = |pool: &dyn Fn(usize) -> bool| {
        let mut best: Option<(usize, f64)> = None;
        for v in values.reference.iter().filter(|v| pool(v.index)) {
            if best.is_none_or(|(_, b)| v.value > b + 1e-9) {
                best = Some((v.index, v.value));
            }
        }
        best.map(|(i, _)| i)
    };
    let best = best_in(&|_| true).unwrap_or(chosen);
    let best_offered = best_in(&|i| available.contains(&i))
        .or_else(|| available.first().copied())
        .unwrap_or(chosen);
    TurnJudgement {
        tone: said.tone,
        tone_best,
        persistence: said.persistence,
        persistence_range: (p_lo, p_hi),
        evidence: said.evidence,
        evidence_range: (e_lo, e_hi),
        best_choice: best,
        was_best: best == chosen,
        best_offered,
    }
}

/// A line's measures at one turn and its value there (the weighted sum of its axis fractions
/// minus its penalty share; the best line has the highest).
#[derive(Clone, Copy, Debug)]
pub struct Valued {
    /// Choice index within the node.
    pub index: usize,
    /// Tone value.
    pub tone: i32,
    /// Persistence value.
    pub persistence: i32,
    /// Evidence value.
    pub evidence: i64,
    /// Penalty in overall points for a non-blocking violation.
    pub penalty: f64,
    /// Whether the line is a blocker violation.
    pub blocker: bool,
    /// Its value at this turn, in the units of the axis weights.
    pub value: f64,
}

/// The lines of one turn, valued against each other.
#[derive(Clone, Debug)]
pub struct TurnValues {
    /// Every candidate, valued.
    pub all: Vec<Valued>,
    /// The candidates the turn is measured against: all but blocker lines (unless nothing
    /// else is on offer).
    pub reference: Vec<Valued>,
    /// Best tone, persistence range and evidence range over the reference.
    pub ranges: (i32, (i32, i32), (i64, i64)),
}

impl TurnValues {
    /// The valued candidate with choice index `i`, if it is one.
    pub fn get(&self, i: usize) -> Option<&Valued> {
        self.all.iter().find(|v| v.index == i)
    }

    /// The highest value in the reference set.
    pub fn best_value(&self) -> f64 {
        self.reference
            .iter()
            .map(|v| v.value)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Values each of `candidates` (choice indices of the current node) at state `s`.
pub fn turn_values(c: &Compiled, s: &State, candidates: &[usize]) -> TurnValues {
    let node = &c.nodes[s.node];
    let cand = |i: usize| {
        let ch = &node.choices[i];
        Candidate {
            index: i,
            tone: ch.tone_value,
            persistence: ch.persistence,
            evidence: c.choice_evidence_value(s, i),
            penalty: ch.violation.map_or(0.0, |v| v.penalty()),
            blocker: ch.is_blocker(),
        }
    };
    let all: Vec<Candidate> = candidates.iter().map(|&i| cand(i)).collect();
    // Breaking the rules is never "the best achievable": the reference set leaves blockers out
    // (unless nothing else is on offer).
    let reference: Vec<Candidate> = if all.iter().any(|c| !c.blocker) {
        all.iter().copied().filter(|c| !c.blocker).collect()
    } else {
        all.clone()
    };
    let tone_best = reference.iter().map(|c| c.tone).max().unwrap_or(0);
    let p_lo = reference.iter().map(|c| c.persistence).min().unwrap_or(0);
    let p_hi = reference.iter().map(|c| c.persistence).max().unwrap_or(0);
    let e_lo = reference.iter().map(|c| c.evidence).min().unwrap_or(0);
    let e_hi = reference.iter().map(|c| c.evidence).max().unwrap_or(0);
    let w = c.scenario.scoring.weights;
    let local = |k: &Candidate| {
        let j = TurnJudgement {
            tone: k.tone,
            tone_best,
            persistence: k.persistence,
            persistence_range: (p_lo, p_hi),
            evidence: k.evidence,
            evidence_range: (e_lo, e_hi),
            best_choice: 0,
            was_best: false,
            best_offered: 0,
        };
        w.tone * j.tone_fraction()
            + w.persistence * j.persistence_fraction()
            + w.evidence * j.evidence_fraction()
            - k.penalty / 100.0 * weight_sum(&w)
    };
    let valued = |k: &Candidate| Valued {
        index: k.index,
        tone: k.tone,
        persistence: k.persistence,
        evidence: k.evidence,
        penalty: k.penalty,
        blocker: k.blocker,
        value: local(k),
    };
    TurnValues {
        all: all.iter().map(valued).collect(),
        reference: reference.iter().map(valued).collect(),
        ranges: (tone_best, (p_lo, p_hi), (e_lo, e_hi)),
    }
}

fn weight_sum(w: &Weights) -> f64 {
    w.tone + w.persistence + w.evidence
}

/// Final scores of an attempt, each 0 to 100 with one decimal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Tone axis.
    pub tone: f64,
    /// Persistence axis.
    pub persistence: f64,
    /// Evidence axis.
    pub evidence: f64,
    /// Weighted overall score after penalties.
    pub overall: f64,
}

/// Running totals while a conversation is played.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreSheet {
    tone_num: i64,
    tone_den: i64,
    pers_num: i64,
    pers_den: i64,
    /// Evidence points from `effects.evidence` along the way.
    pub evidence_points: i64,
    /// Overall points lost to non-blocking violations.
    pub penalties: f64,
    /// Whether a blocker violation happened.
    pub blocker: bool,
}

impl ScoreSheet {
    /// Adds one judged turn.
    pub fn add_turn(&mut self, j: &TurnJudgement, penalty: f64, blocker: bool) {
        self.tone_num += i64::from(j.tone.max(TONE_FLOOR) - TONE_FLOOR);
        self.tone_den += i64::from(j.tone_best - TONE_FLOOR);
        let (lo, hi) = j.persistence_range;
        if hi > lo {
            // Breaking the rules is never persistence, however pushy the line.
            if !blocker {
                self.pers_num += i64::from(j.persistence.clamp(lo, hi) - lo);
            }
            self.pers_den += i64::from(hi - lo);
        }
        self.penalties += penalty;
        self.blocker |= blocker;
    }

    /// The scores given the evidence held at the end and the best evidence achievable.
    pub fn scores(&self, evidence_raw: i64, evidence_best: i64, w: &Weights) -> Scores {
        let tone = 100.0 * fraction(self.tone_num, self.tone_den);
        let persistence = 100.0 * fraction(self.pers_num, self.pers_den);
        let evidence = 100.0 * fraction(evidence_raw, evidence_best);
        let sum = weight_sum(w);
        let weighted = if sum > 0.0 {
            (w.tone * tone + w.persistence * persistence + w.evidence * evidence) / sum
        } else {
            0.0
        };
        Scores {
            tone: round1(tone),
            persistence: round1(persistence),
            evidence: round1(evidence),
            overall: round1((weighted - self.penalties).clamp(0.0, 100.0)),
        }
    }
}

/// Rounds to one decimal, so displayed and compared scores are the same number. Zero comes
/// out as +0 (a sum of nothing is -0 in Rust, which would print as `-0.0` on a leaderboard and
/// as a formula-like `-0` in a spreadsheet).
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

/// Whether an attempt passes: no blocker violation and overall at or above the pass mark.
pub fn passes(scores: &Scores, blocker: bool, pass_mark: u32) -> bool {
    !blocker && scores.overall >= f64::from(pass_mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judgement(tone: i32, best: i32, p: i32, range: (i32, i32)) -> TurnJudgement {
        TurnJudgement {
            tone,
            tone_best: best,
            persistence: p,
            persistence_range: range,
            evidence: 0,
            evidence_range: (0, 0),
            best_choice: 0,
            was_best: false,
            best_offered: 0,
        }
    }

    #[test]
    fn rounding_never_gives_negative_zero() {
        let nothing: f64 = [0.0f64; 0].iter().sum();
        assert!(nothing.is_sign_negative(), "Rust sums nothing to -0");
        for x in [nothing, -0.04, 0.0] {
            assert!(round1(x).is_sign_positive(), "{x}");
            assert_eq!(round1(x).to_string(), "0");
        }
        assert_eq!(round1(-0.06), -0.1);
        assert_eq!(round1(66.66), 66.7);
    }

    #[test]
    fn perfect_turns_score_one_hundred() {
        let mut s = ScoreSheet::default();
        s.add_turn(&judgement(4, 4, 3, (-2, 3)), 0.0, false);
        s.add_turn(&judgement(4, 4, 0, (0, 0)), 0.0, false);
        let sc = s.scores(5, 5, &Weights::default());
        assert_eq!(
            (sc.tone, sc.persistence, sc.evidence, sc.overall),
            (100.0, 100.0, 100.0, 100.0)
        );
    }

    #[test]
    fn tone_is_measured_from_the_floor_against_the_best_available() {
        let mut s = ScoreSheet::default();
        // Courteous-soft (2) where courteous-firm (4) was available: (2+6)/(4+6).
        s.add_turn(&judgement(2, 4, 0, (0, 0)), 0.0, false);
        assert_eq!(s.scores(0, 0, &Weights::default()).tone, 80.0);
    }

    #[test]
    fn persistence_ignores_turns_without_a_spread() {
        let mut s = ScoreSheet::default();
        s.add_turn(&judgement(4, 4, 0, (0, 0)), 0.0, false);
        s.add_turn(&judgement(4, 4, -3, (-3, 3)), 0.0, false);
        assert_eq!(s.scores(0, 0, &Weights::default()).persistence, 0.0);
    }

    #[test]
    fn a_rule_breaking_line_earns_no_persistence() {
        let mut s = ScoreSheet::default();
        s.add_turn(&judgement(-6, 4, 3, (-3, 3)), 0.0, true);
        assert_eq!(s.scores(0, 0, &Weights::default()).persistence, 0.0);
    }

    #[test]
    fn weights_shape_the_overall_and_penalties_come_off() {
        let mut s = ScoreSheet::default();
        s.add_turn(&judgement(4, 4, -3, (-3, 3)), 15.0, false);
        let w = Weights {
            tone: 3.0,
            persistence: 1.0,
            evidence: 0.0,
        };
        // (3*100 + 1*0)/4 = 75, minus 15.
        assert_eq!(s.scores(0, 10, &w).overall, 60.0);
    }

    #[test]
    fn a_blocker_fails_whatever_the_score() {
        let sc = Scores {
            tone: 100.0,
            persistence: 100.0,
            evidence: 100.0,
            overall: 100.0,
        };
        assert!(passes(&sc, false, 70));
        assert!(!passes(&sc, true, 70));
        let low = Scores {
            overall: 69.9,
            ..sc
        };
        assert!(!passes(&low, false, 70));
    }
}
