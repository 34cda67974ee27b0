//! Checks on a scenario's drawn truths: well-formed draws and `Truth(…)` conditions that name
//! a declared variant.

use std::collections::BTreeSet;

use super::{FileCtx, OwnedPath, condition_refs, join, unique_ids, unknown_ref};
use crate::domain::content::model::{Condition, Scenario};
use crate::domain::content::span::Seg;
use crate::domain::diagnostics::codes;
use crate::domain::text::Text;

/// The most ways a scenario's truths may fall together: the analyser explores every one.
pub(super) const MAX_TRUTH_COMBINATIONS: usize = 16;

/// The texts of the drawn truths, for the locale checks.
pub(super) fn texts(sc: &Scenario) -> Vec<(OwnedPath, &Text)> {
    let mut v = Vec::new();
    for (ti, t) in sc.truths.iter().enumerate() {
        let base = [Seg::Key("truths"), Seg::Index(ti)];
        v.push((join(&base, &[Seg::Key("label")]), &t.label));
        for (vi, variant) in t.variants.iter().enumerate() {
            v.push((
                join(
                    &base,
                    &[Seg::Key("variants"), Seg::Index(vi), Seg::Key("text")],
                ),
                &variant.text,
            ));
        }
    }
    v
}

/// Draws need two or more variants with unique ids and positive weights, the combinations
/// stay within what the analyser explores, and every `Truth(…)` names a declared variant.
pub(super) fn check(ctx: &mut FileCtx<'_>, sc: &Scenario) {
    unique_ids(
        ctx,
        sc.truths.iter().map(|t| &t.id),
        &[Seg::Key("truths")],
        "drawn truth",
    );
    let mut variant_ids: BTreeSet<&str> = BTreeSet::new();
    let mut combinations: usize = 1;
    for (ti, t) in sc.truths.iter().enumerate() {
        let base = [Seg::Key("truths"), Seg::Index(ti)];
        if t.variants.len() < 2 {
            ctx.error(
                codes::BAD_TRUTH_DRAW,
                &join(&base, &[Seg::Key("variants")]),
                format!(
                    "drawn truth `{}` has {} variant(s); a draw needs at least two",
                    t.id,
                    t.variants.len()
                ),
                "nothing to draw",
                "add the other way it can be, or make it a hidden truth of the persona".to_owned(),
            );
        }
        combinations = combinations.saturating_mul(t.variants.len().max(1));
        for (vi, v) in t.variants.iter().enumerate() {
            let path = join(
                &base,
                &[Seg::Key("variants"), Seg::Index(vi), Seg::Key("id")],
            );
            if !variant_ids.insert(v.id.as_str()) {
                ctx.error(
                    codes::DUPLICATE_ID,
                    &path,
                    format!("drawn-truth variant id `{}` is used twice", v.id),
                    "duplicate id",
                    "give each variant its own id: `Truth(\"…\")` names one variant".to_owned(),
                );
            }
            if v.weight == 0 {
                ctx.error(
                    codes::OUT_OF_RANGE,
                    &join(
                        &base,
                        &[Seg::Key("variants"), Seg::Index(vi), Seg::Key("weight")],
                    ),
                    "a variant's weight must be at least 1".to_owned(),
                    "never drawn",
                    "give it a weight of 1 or more, or remove the variant".to_owned(),
                );
            }
        }
    }
    if combinations > MAX_TRUTH_COMBINATIONS {
        ctx.error(
            codes::BAD_TRUTH_DRAW,
            &[Seg::Key("truths")],
            format!(
                "the drawn truths can fall {combinations} ways; at most {MAX_TRUTH_COMBINATIONS} are supported, since every one is explored and scored"
            ),
            "too many combinations",
            "draw fewer facts, or fewer variants of each".to_owned(),
        );
    }
    let refs = condition_refs(sc, |c| match c {
        Condition::Truth(id) => Some(id),
        _ => None,
    });
    for (id, path) in refs {
        if !variant_ids.contains(id.as_str()) {
            unknown_ref(
                ctx,
                codes::UNKNOWN_DRAWN_TRUTH,
                "drawn-truth variant",
                id,
                &variant_ids,
                &path,
                "declare it under `truths: [(id: …, variants: [(id: …)])]`",
            );
        }
    }
}
