//! Attempts played in this run of the game, kept in memory: best scores on the scenario cards
//! and the debrief's "previous best". (A lasting results store is a separate feature.)

use bevy::prelude::*;

use crate::domain::engine::AttemptResult;
use crate::game::settings::Mode;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Attempts>();
}

/// One finished attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The trainee's name.
    pub trainee: String,
    /// Practice or exam.
    pub mode: Mode,
    /// The domain's scored result.
    pub result: AttemptResult,
}

/// Every attempt finished since the game started.
#[derive(Resource, Debug, Default)]
pub struct Attempts {
    /// In the order they finished.
    pub list: Vec<Attempt>,
}

impl Attempts {
    /// The best overall score on `scenario` so far.
    pub fn best(&self, scenario: &str) -> Option<f64> {
        self.list
            .iter()
            .filter(|a| a.result.scenario == scenario)
            .map(|a| a.result.scores.overall)
            .reduce(f64::max)
    }

    /// Whether `scenario` has been passed.
    pub fn passed(&self, scenario: &str) -> bool {
        self.list
            .iter()
            .any(|a| a.result.scenario == scenario && a.result.passed)
    }
}
