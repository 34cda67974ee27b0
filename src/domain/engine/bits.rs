//! A small set of integers as a bit vector: the flags, evidence, preparation and truths a
//! conversation state holds, compact enough to hash millions of states.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// A set of small integers (flags, evidence, prepared items, truths).
#[derive(Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bits(SmallVec<[u64; 2]>);

// By hand: one copy of the words rather than the derived element-by-element clone.
impl Clone for Bits {
    fn clone(&self) -> Bits {
        Bits(SmallVec::from_slice(&self.0))
    }
}

impl Bits {
    /// An empty set sized for `n` members.
    pub fn with_len(n: usize) -> Bits {
        Bits(smallvec::smallvec![0; n.div_ceil(64)])
    }

    /// Whether `i` is in the set.
    pub fn has(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Adds `i`; returns true when it was not there before.
    pub fn insert(&mut self, i: usize) -> bool {
        if self.0.len() <= i / 64 {
            self.0.resize(i / 64 + 1, 0);
        }
        let was = self.has(i);
        self.0[i / 64] |= 1 << (i % 64);
        !was
    }

    /// Removes `i`.
    pub fn remove(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    /// Keeps only members that are also in `other`.
    pub fn intersect(&mut self, other: &Bits) {
        for (i, w) in self.0.iter_mut().enumerate() {
            *w &= other.0.get(i).copied().unwrap_or(0);
        }
    }

    /// Adds every member of `other`; returns true when something was added.
    pub fn union(&mut self, other: &Bits) -> bool {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        let mut changed = false;
        for (i, w) in other.0.iter().enumerate() {
            let before = self.0[i];
            self.0[i] |= w;
            changed |= self.0[i] != before;
        }
        changed
    }

    /// The members, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| wi * 64 + b)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_insert_remove_iterate() {
        let mut b = Bits::with_len(3);
        assert!(b.insert(2));
        assert!(!b.insert(2));
        assert!(b.insert(130));
        assert!(b.has(130) && b.has(2) && !b.has(1));
        assert_eq!(b.iter().collect::<Vec<_>>(), [2, 130]);
        b.remove(2);
        assert_eq!(b.iter().collect::<Vec<_>>(), [130]);
    }
}
