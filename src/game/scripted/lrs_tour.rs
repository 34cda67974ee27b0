//! The scripted tour of the LRS settings: into classroom mode, type the endpoint, key and
//! secret (key by key, into the field that shows dots), save, send now and wait for the send.

use bevy::prelude::*;

use super::runner::{Action, Target};
use super::steps::{shot, unlock_classroom};
use crate::game::classroom::{
    LrsField, LrsSettingsButton, SaveLrsButton, SecretField, SendNowButton,
};
use crate::game::lrs::LrsLink;
use crate::game::state::{ClassroomScreen, Place};

/// An LRS to set by script.
#[derive(Debug, Clone, Default)]
pub struct LrsPlan {
    /// Its xAPI root.
    pub endpoint: String,
    /// The key.
    pub key: String,
    /// The secret, typed key by key (ASCII letters and digits).
    pub secret: String,
}

/// The key that types `c` (letters and digits; anything else has none).
fn key_for(c: char) -> Option<KeyCode> {
    let c = c.to_ascii_lowercase();
    if let Some(d) = c.to_digit(10) {
        return Some(match d {
            0 => KeyCode::Digit0,
            n => crate::game::input::digit_key(n as usize)?,
        });
    }
    let n = (c as u32).checked_sub('a' as u32)? as usize;
    crate::game::input::LETTER_KEYS.get(n).copied()
}

/// The tour.
pub fn lrs_tour(plan: &LrsPlan) -> Vec<Action> {
    let mut a = unlock_classroom();
    a.push(Action::Press(Target::of::<LrsSettingsButton>()));
    a.push(Action::Until(Place::from(ClassroomScreen::Lrs)));
    for (field, text) in [
        (LrsField::Endpoint, &plan.endpoint),
        (LrsField::Key, &plan.key),
    ] {
        a.push(Action::Type(
            Target::matching::<LrsField>(move |f| *f == field),
            text.clone(),
        ));
    }
    a.push(Action::Press(Target::of::<SecretField>()));
    a.extend(plan.secret.chars().filter_map(key_for).map(Action::Key));
    a.extend(shot("lrs_form.png"));
    a.push(Action::Press(Target::of::<SaveLrsButton>()));
    a.push(Action::Press(Target::of::<SendNowButton>()));
    a.push(wait_for_send());
    a.extend(shot("lrs_sent.png"));
    a
}

/// Waits (ten frames at a time) until a send has finished (or a problem was found).
fn wait_for_send() -> Action {
    Action::then("wait for the send", |world| {
        let link = world.resource::<LrsLink>();
        let done = link.last_send.is_some() || link.problem.is_some();
        Ok(if link.sending || !done {
            vec![Action::Settle(10), wait_for_send()]
        } else {
            vec![]
        })
    })
}
