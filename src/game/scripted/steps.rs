//! Steps the scripts share: a settled screenshot, and getting into classroom mode past the
//! trainer's PIN.

use super::runner::{Action, SETTLE_FRAMES, Target};
use crate::game::classroom::{PinDigit, PinOk};
use crate::game::screens::StartClassroom;
use crate::game::state::{ClassroomScreen, Place, Screen};

/// A screenshot once the screen has settled.
pub(super) fn shot(name: &str) -> [Action; 2] {
    [Action::Settle(SETTLE_FRAMES), Action::Shot(name.to_owned())]
}

/// The PIN the tour sets (on a fresh database) and enters.
pub(super) const PIN: &str = "2468";

pub(super) fn pin_digits(range: std::ops::Range<usize>) -> impl Iterator<Item = Action> {
    PIN.chars()
        .skip(range.start)
        .take(range.len())
        .map(|c| Action::Press(Target::matching::<PinDigit>(move |d| d.0 == c)))
}

/// From the title into classroom mode: the PIN (set and confirmed on a new database), then the
/// sessions.
pub(super) fn unlock_classroom() -> Vec<Action> {
    vec![
        Action::go(Screen::Title),
        Action::Settle(SETTLE_FRAMES),
        Action::Press(Target::of::<StartClassroom>()),
        Action::Settle(SETTLE_FRAMES),
        // Once unlocked in this run, classroom mode opens on the sessions.
        Action::then("enter the PIN if asked", |world| {
            Ok(if Place::current(world) == ClassroomScreen::Pin {
                pin_digits(0..PIN.len())
                    .chain([Action::Press(Target::of::<PinOk>()), confirm_pin_if_asked()])
                    .collect()
            } else {
                vec![]
            })
        }),
        Action::Until(Place::from(ClassroomScreen::Sessions)),
    ]
}

/// On a new database the first OK asks for the PIN again, to confirm it.
pub(super) fn confirm_pin_if_asked() -> Action {
    Action::then("confirm the PIN if asked", |world| {
        Ok(if Place::current(world) == ClassroomScreen::Pin {
            pin_digits(0..PIN.len())
                .chain([Action::Press(Target::of::<PinOk>())])
                .collect()
        } else {
            vec![]
        })
    })
}
