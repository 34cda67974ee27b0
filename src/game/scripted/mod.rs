//! Scripted play, for tests and screenshots only (the `scripted` cargo feature; a player's build
//! leaves it out). A script is data: a list of [`Action`]s — press a widget, press a key, type
//! into a field, wait for a screen, take a screenshot, write the result — built by [`scripts`]
//! and run by [`runner`]. The real-window run (`--autoplay …`) and the headless App tests use
//! the same runner.

mod lrs_tour;
mod runner;
mod scripts;
mod steps;

pub use lrs_tour::{LrsPlan, lrs_tour};
pub use runner::{Action, Expand, SETTLE_FRAMES, STEP_FRAMES, ScriptRun, Target, keyboard_input};
pub use scripts::{
    CampaignPlan, Plan, QuizPlan, classroom_tour, from_briefing, from_plan, practice, take_quiz,
    work_the_desk,
};

pub(super) fn plugin(app: &mut bevy::app::App) {
    runner::plugin(app);
}
