//! cmi5: launching the game from a learning management system (LMS). The LMS opens the AU's
//! URL from the course structure ([`course`]) with its launch parameters appended; the game
//! checks it ([`LaunchUrl`]), fetches the token, reads `LMS.LaunchData` ([`LaunchData`]),
//! sends `initialized`, plays, records the result on this computer, sends the result's
//! statements under the cmi5 rules, and ends with `terminated` ([`Launch`]).
//!
//! The order of calls, for the command line (`dunning-dojo launch`) and the game window alike:
//!
//! 1. [`LaunchUrl::parse`] the URL (nothing asked of the LMS yet; a bad URL is told at once).
//! 2. [`Launch::start`]`(&url, &library, &options)` → `(launch, target)`: the token (once),
//!    the launch data, this registration's earlier results, `initialized`. [`Target`] says
//!    what to play: a scenario with its seed, or a quiz spec; [`Launch::language`] the
//!    language to play in (`Options::language`, else the learner's preference kept by the LMS
//!    where the content has it, else the content's first).
//! 3. Play, then record the result in the store as usual (`Store::record_attempt` /
//!    `record_quiz`).
//! 4. [`Launch::finish`]`(Played::Attempt(&stored))` sends `answered` per turn, `completed`
//!    and `passed`/`failed`, as the launch mode, the mastery score and the registration's
//!    history allow; its [`Report`] lists what was sent and what was kept back and why. Skip
//!    it when the learner leaves before the end.
//! 5. [`Launch::terminate`] sends `terminated` (and anything `finish` could not deliver);
//!    then show or open [`Launch::return_url`].
//!
//! Each send is retried with a doubling wait; a [`Cmi5Error`] with
//! [`Problem::NotDelivered`] then means the LMS did not get the result, which must be told to
//! the learner (the result is already recorded on this computer). All calls block on the
//! network (at most about 20 s each, plus the retries): call them off the frame loop.

pub mod course;
mod error;
mod launch_data;
mod launch_url;
mod session;

pub use error::{Cmi5Error, Problem};
pub use launch_data::{LaunchData, LaunchMode, MoveOn, STATE_ID};
pub use launch_url::{Au, LaunchUrl, SCHEME};
pub use session::{
    Earlier, Launch, Options, Played, Report, Target, Withheld, check_content, preferred_language,
    resolve, seed_of,
};
