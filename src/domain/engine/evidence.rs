//! What the evidence axis is measured against: the most evidence a clean playthrough can
//! gather. The analyser finds it; the engine only carries it.

use serde::{Deserialize, Serialize};

/// The most evidence (item weights plus points) a playthrough without a blocker violation can
/// end with: over every way the drawn truths can fall, and for each of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceMax {
    /// The most over every way the truths can fall.
    pub best: i64,
    /// The most for each way the truths can fall, in `Compiled::truth_combos` order.
    pub by_truth: Vec<i64>,
}
