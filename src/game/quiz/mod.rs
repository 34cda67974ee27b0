//! Self-assessment quizzes: setup, questions and result. The `adapter` connects the domain to the screens; the other files are the screens, which present
//! and forward input.

mod adapter;
mod question;
mod result;
mod setup;

use bevy::prelude::*;

pub use adapter::{QuizInput, QuizRun, QuizSetup, StartQuiz, short_seed};
pub use question::{NextButton, QuizOptionButton, SubmitButton};
pub use result::{QuizScore, RecommendedScenario};
pub use setup::{CodeField, SetupOption, StartQuizButton};

pub(super) fn plugin(app: &mut App) {
    app.add_plugins((
        adapter::plugin,
        setup::plugin,
        question::plugin,
        result::plugin,
    ));
}
