//! The mutable part of a conversation, cloned and hashed for every situation the analyser
//! visits.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::bits::Bits;

/// The mutable part of a conversation: everything the rules depend on, and nothing else.
///
/// Text variety comes from the session's random generator, which never touches the state, so
/// the same choices always lead to the same state and score whatever the seed.
#[derive(Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct State {
    /// Current node index.
    pub node: usize,
    /// Flags set.
    pub flags: Bits,
    /// Evidence held.
    pub evidence: Bits,
    /// Preparation ticked.
    pub prepared: Bits,
    /// Truths revealed.
    pub revealed: Bits,
    /// The drawn-truth variants that hold in this play (one per `truths` entry); fixed for
    /// the whole conversation.
    #[serde(default)]
    pub drawn: Bits,
    /// Mood, -100 to 100.
    pub mood: i32,
    /// Patience; at 0 the debtor ends the conversation.
    pub patience: i32,
    /// Visit counts of the nodes that conditions ask about, as `(slot, count)` sorted by
    /// slot; slots never entered are absent.
    pub visits: SmallVec<[(u32, u16); 4]>,
    /// Trainee turns taken.
    pub turn: u32,
}

impl State {
    /// How many times the node of visit slot `slot` has been entered.
    pub fn visits_of(&self, slot: usize) -> u16 {
        self.visits
            .binary_search_by_key(&(slot as u32), |&(s, _)| s)
            .map_or(0, |i| self.visits[i].1)
    }

    pub(super) fn add_visit(&mut self, slot: usize) {
        match self
            .visits
            .binary_search_by_key(&(slot as u32), |&(s, _)| s)
        {
            Ok(i) => self.visits[i].1 = self.visits[i].1.saturating_add(1),
            Err(i) => self.visits.insert(i, (slot as u32, 1)),
        }
    }
}

// By hand: the derived clone copies the small vectors element by element; the analyser clones
// a state for every transition it tries.
impl Clone for State {
    fn clone(&self) -> State {
        State {
            node: self.node,
            flags: self.flags.clone(),
            evidence: self.evidence.clone(),
            prepared: self.prepared.clone(),
            revealed: self.revealed.clone(),
            drawn: self.drawn.clone(),
            mood: self.mood,
            patience: self.patience,
            visits: SmallVec::from_slice(&self.visits),
            turn: self.turn,
        }
    }
}
