//! The scripted run's watchdog: a run stuck at one step ends with an error instead of hanging.

use bevy::prelude::*;

use super::{Progress, Step, classroom, fail};
use crate::game::screens::Screen;

/// How long a scripted run may stay at one step before it gives up: a screen that never comes
/// (a quiz with no question banks, a button that is not there) must end the run with an
/// error, never hang a test or a CI job.
const STALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(90);

/// Where the script was last seen moving on, and when.
#[derive(Default)]
pub(super) struct LastMove {
    at: (Step, classroom::Tour, u32),
    since: std::time::Duration,
}

pub(super) fn give_up_when_stuck(
    time: Res<Time<Real>>,
    screen: Res<State<Screen>>,
    mut progress: ResMut<Progress>,
    mut exit: MessageWriter<AppExit>,
    mut last: Local<LastMove>,
) {
    let now = time.elapsed();
    let here = (progress.step, progress.tour, progress.teams_played);
    if here != last.at || matches!(progress.step, Step::Done) {
        *last = LastMove {
            at: here,
            since: now,
        };
        return;
    }
    if now.saturating_sub(last.since) > STALL_LIMIT {
        fail(
            format!(
                "stuck for {} s at step {:?} on the {:?} screen (is the screen it waits for reachable with this content?)",
                STALL_LIMIT.as_secs(),
                progress.step,
                screen.get()
            ),
            &mut exit,
            &mut progress,
        );
    }
}
