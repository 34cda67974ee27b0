//! The scenario's drawn truths on the compiled scenario: every way they can fall, the draw of
//! one play from its seed, and looking variants up.

use super::bits::Bits;
use super::compiled::Compiled;
use crate::domain::content::model::{TruthDraw, TruthVariant};

impl Compiled {
    /// Every way the scenario's drawn truths can fall: the sets of flattened variant indices,
    /// one variant per draw, in a fixed order (a scenario without draws has one, empty).
    pub fn truth_combos(&self) -> Vec<Bits> {
        let n = self.variant_count();
        let mut combos = vec![Bits::with_len(n)];
        let mut offset = 0;
        for draw in &self.scenario.truths {
            let mut next = Vec::with_capacity(combos.len() * draw.variants.len());
            for combo in &combos {
                for v in 0..draw.variants.len() {
                    let mut c = combo.clone();
                    c.insert(offset + v);
                    next.push(c);
                }
            }
            combos = next;
            offset += draw.variants.len();
        }
        combos
    }

    /// How many drawn-truth variants the scenario declares, over all its draws.
    pub fn variant_count(&self) -> usize {
        self.scenario.truths.iter().map(|t| t.variants.len()).sum()
    }

    /// Draws the truths of one play from `seed`, each in proportion to its variants' weights.
    ///
    /// The draw has its own generator (seeded from `seed` and a fixed salt), so it never
    /// shifts which line variants a seed picks.
    pub fn draw_truths(&self, seed: u64) -> Bits {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed ^ 0x7275_7468_5f64_7261);
        let mut drawn = Bits::with_len(self.variant_count());
        let mut offset = 0;
        for draw in &self.scenario.truths {
            let total: u64 = draw
                .variants
                .iter()
                .map(|v| u64::from(v.weight.max(1)))
                .sum();
            if total > 0 {
                let mut roll = rng.random_range(0..total);
                for (i, v) in draw.variants.iter().enumerate() {
                    let w = u64::from(v.weight.max(1));
                    if roll < w {
                        drawn.insert(offset + i);
                        break;
                    }
                    roll -= w;
                }
            }
            offset += draw.variants.len();
        }
        drawn
    }

    /// The flattened index of the drawn-truth variant `id`.
    pub fn variant_index(&self, id: &str) -> Option<usize> {
        self.scenario
            .truths
            .iter()
            .flat_map(|t| &t.variants)
            .position(|v| v.id.0 == id)
    }

    /// The draw and variant behind a flattened variant index.
    pub fn variant(&self, index: usize) -> Option<(&TruthDraw, &TruthVariant)> {
        let mut offset = 0;
        for draw in &self.scenario.truths {
            if index < offset + draw.variants.len() {
                return Some((draw, &draw.variants[index - offset]));
            }
            offset += draw.variants.len();
        }
        None
    }
}
