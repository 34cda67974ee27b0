//! The analyse stage: what a compiled scenario allows (the search), the model answer and the
//! tells that give it away, every path, random-policy simulation, and a cache of the findings
//! keyed by content hash so unchanged content is not searched again.

pub mod audit;
mod cache;
mod playthroughs;
mod search;

use serde::{Deserialize, Serialize};

use crate::domain::engine::Compiled;

pub use cache::{AnalysisCache, CACHE_ENV, CACHE_OFF};
pub use playthroughs::{
    PathResult, PathsReport, SimReport, Spread, enumerate_all, enumerate_paths, model_answer,
    model_answer_for, model_answers, run_policy, simulate, truth_ids, weakest,
};
pub use search::{
    Exploration, STATE_BUDGET, explore, prep_sets, relevant_prep, strongly_connected,
};

/// What the analyser found about one compiled scenario. It depends on the scenario's and
/// persona's sources alone (and on this program), which is why it can be cached by
/// [`Compiled::content_hash`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The search: reachability, dead ends, loops and the evidence maxima.
    pub exploration: Exploration,
    /// The model answer check, when the scenario's scoring rules are valid (otherwise a score
    /// means nothing and the check is not made).
    pub model: Option<ModelCheck>,
}

/// The model answer and how easy it is to spot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelCheck {
    /// The weakest of the per-truth model answers; `None` when following the best line gets
    /// stuck before an ending.
    pub answer: Option<PathResult>,
    /// Along the model answers, the share of decision points where the best line is also the
    /// longest (Chinese, English) and how many points that is over; measured only when the
    /// answer passes.
    pub longest: Option<([f64; 2], usize)>,
}

/// Analyses `c` and sets its evidence maxima ([`Compiled::evidence_max`]), which the model
/// answer's score (and every later session) is normalised against. The model answer is
/// checked only when `check_model` is true.
pub fn analyse(c: &mut Compiled, check_model: bool) -> Analysis {
    let exploration = explore(c);
    c.evidence_max = exploration.evidence_max();
    let model = check_model.then(|| {
        let answers: Vec<_> = c
            .truth_combos()
            .into_iter()
            .map(|drawn| {
                let answer = model_answer_for(c, &drawn);
                (drawn, answer)
            })
            .collect();
        let answer = weakest(answers.iter().map(|(_, a)| a.as_ref()));
        let longest = answer
            .as_ref()
            .filter(|a| a.passed)
            .map(|_| audit::longest_on_model_path(c, &answers));
        ModelCheck { answer, longest }
    });
    Analysis { exploration, model }
}

impl Analysis {
    /// Whether this analysis has the shape of `c` (one entry per node, choice, line, evidence
    /// item and way the truths fall) and answers the same question: a cached analysis that
    /// does not fit is never used, so it cannot index out of bounds or mislead.
    pub fn fits(&self, c: &Compiled, check_model: bool) -> bool {
        let ex = &self.exploration;
        let per_node =
            |v: &[Vec<bool>], len: fn(&crate::domain::engine::compiled::CNode) -> usize| {
                v.len() == c.nodes.len() && v.iter().zip(&c.nodes).all(|(x, n)| x.len() == len(n))
            };
        self.model.is_some() == check_model
            && ex.reachable.len() == c.nodes.len()
            && ex.stuck.len() == c.nodes.len()
            && per_node(&ex.choice_offered, |n| n.choices.len())
            && per_node(&ex.farmable, |n| n.choices.len())
            && per_node(&ex.line_eligible, |n| n.lines.len())
            && ex.evidence_gainable.len() == c.scenario.evidence.len()
            && ex.max_evidence_by_truth.len() == c.truth_combos().len()
    }
}
