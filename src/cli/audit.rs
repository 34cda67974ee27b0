//! `audit`: does the wording give the best line away? A table per scenario, the naive
//! policies' pass rates over the library, and exit 1 when a limit is broken.

use super::{Failure, find};
use crate::domain::analysis::audit::{LibraryAudit, Policy, audit};
use crate::domain::library::Library;

/// Runs the audit over `ids` (every playable scenario when empty).
pub fn run(lib: &Library, ids: &[String], plays: usize, json: bool) -> Result<u8, Failure> {
    if plays == 0 {
        return Err(Failure::usage("--plays must be at least 1"));
    }
    let scenarios = if ids.is_empty() {
        lib.scenarios.values().map(|p| &*p.compiled).collect()
    } else {
        ids.iter()
            .map(|id| find(lib, id).map(|c| &**c))
            .collect::<Result<Vec<_>, _>>()?
    };
    if scenarios.is_empty() {
        return Err(Failure::usage(
            "no playable scenario to audit; run `dunning-dojo lint` first",
        ));
    }
    let report = audit(&scenarios, plays);
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print(&report);
    }
    Ok(u8::from(!report.failures.is_empty()))
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn print(r: &LibraryAudit) {
    out!(
        "{:<28} {:>4} {:>6} {:>6} {:>5} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "scenario",
        "dps",
        "long",
        "ratio",
        "firm1",
        "near",
        "truth",
        "prep",
        "first",
        "longst",
        "calm",
        "random",
        "model"
    );
    for s in &r.scenarios {
        let pass = |p: Policy| s.policies.get(&p).map_or(0.0, |x| x.pass_rate());
        let worst = |a: Policy, b: Policy| pass(a).max(pass(b));
        out!(
            "{:<28} {:>4} {:>6} {:>6.2} {:>5} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6}",
            s.id,
            s.decision_points,
            pct(s.best_longest_zh.max(s.best_longest_en)),
            s.best_length_ratio_zh.max(s.best_length_ratio_en),
            pct(s.best_only_firm),
            pct(s.near_miss_share),
            s.truth_combinations,
            format!("-{:.0}", s.preparation_cost),
            pct(pass(Policy::AlwaysFirst)),
            pct(worst(Policy::LongestZh, Policy::LongestEn)),
            pct(worst(
                Policy::LongestNotHostileZh,
                Policy::LongestNotHostileEn
            )),
            pct(pass(Policy::Random)),
            format!(
                "{}{}",
                s.model_overall,
                if s.model_passes { "" } else { "×" }
            ),
        );
    }
    out!();
    out!(
        "columns: dps = decision points met; long = best line is the longest (worse of zh/en); ratio = best line's length ÷ median of the others; firm1 = best is the only courteous-firm line; near = turns with a near-miss; truth = ways the drawn truths fall; prep = overall points lost by the model answer with nothing prepared; first/longst/calm/random = pass rate of always-first, always-longest, longest-not-hostile and random play; model = lowest model-answer overall"
    );
    out!();
    out!("library, {} seeded plays per scenario and policy:", r.plays);
    for (p, s) in &r.totals {
        let limit = p
            .limit()
            .map_or_else(String::new, |l| format!("   (limit {:.0}%)", 100.0 * l));
        out!(
            "  {:<24} passes {:>5.1}%   mean overall {:>5.1}{limit}",
            p.key(),
            100.0 * s.pass_rate(),
            s.mean_overall
        );
    }
    if r.failures.is_empty() {
        out!("audit passed");
    } else {
        for f in &r.failures {
            out!("× {f}");
        }
        out!(
            "audit FAILED: the options give the answer away (see dialogues/README.md, \"The answer-leak audit\")"
        );
    }
}
