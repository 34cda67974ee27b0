//! What a session's seed draws besides the wording: the order the options are shown in and
//! the scenario's drawn truths.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

use super::bits::Bits;
use super::compiled::Compiled;
use super::error::PlayError;

/// The order the choices of a node are shown in at one turn: a permutation of `0..n` drawn
/// from the session's seed, the turn and the node, so the same seed, content and answers
/// always show the same order, and the best line sits in no fixed place.
///
/// It has a generator of its own (nothing is drawn from the line-variant generator), so a
/// saved session needs nothing extra to show the same order when resumed.
pub fn shown_order(seed: u64, turn: u32, node: usize, n: usize) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mix = seed
        ^ (u64::from(turn) << 32).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ (node as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
        ^ 0x6f72_6465_725f_7368;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Pcg64Mcg::seed_from_u64(mix));
    order
}

/// The truths of a play: the variants named in `fixed`, and the other draws from `seed`.
pub(super) fn draw(content: &Compiled, seed: u64, fixed: &[String]) -> Result<Bits, PlayError> {
    let mut drawn = content.draw_truths(seed);
    let variants = || {
        content
            .scenario
            .truths
            .iter()
            .flat_map(|t| &t.variants)
            .map(|v| v.id.0.clone())
            .collect::<Vec<_>>()
    };
    let mut fixed_draws = Vec::new();
    for id in fixed {
        let unknown = || PlayError::UnknownTruth {
            id: id.clone(),
            variants: variants(),
        };
        let index = content.variant_index(id).ok_or_else(unknown)?;
        let (question, _) = content.variant(index).ok_or_else(unknown)?;
        if fixed_draws.contains(&question.id) {
            return Err(unknown());
        }
        fixed_draws.push(question.id.clone());
        // Replace whatever the seed drew for the same question.
        for v in &question.variants {
            if let Some(i) = content.variant_index(&v.id.0) {
                drawn.remove(i);
            }
        }
        drawn.insert(index);
    }
    Ok(drawn)
}
