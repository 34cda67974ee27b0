//! Checks on the compiled graph: reachability, dead ends and closed loops, evidence that
//! can never be gained, patience, the model answer and the length tell.

use super::*;

/// Checks that need the persona and the compiled graph: truth references, reachability,
/// dead ends, cycles, evidence that can never be gained, and the model answer.
pub(super) fn check_graph(ctx: &mut FileCtx<'_>, c: &Compiled, analysis: &Analysis) {
    let sc = &c.scenario;
    let n = c.nodes.len();
    let node_path = |i: usize| p(&[Seg::Key("nodes"), Seg::Index(i), Seg::Key("id")]);

    // Structural reachability along `next` (patience_out can always be reached).
    let mut reach = vec![false; n];
    let mut stack = vec![c.start, c.patience_out];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reach[i], true) {
            continue;
        }
        stack.extend(c.nodes[i].choices.iter().map(|ch| ch.next));
    }
    let ex = &analysis.exploration;
    for (i, &reached) in reach.iter().enumerate() {
        let ending = c.nodes[i].ending.is_some();
        let code = if ending {
            codes::UNREACHABLE_ENDING
        } else {
            codes::UNREACHABLE_NODE
        };
        let what = if ending { "ending" } else { "node" };
        if !reached {
            ctx.error(
                code,
                &node_path(i),
                format!(
                    "{what} `{}` cannot be reached: no choice leads to it",
                    sc.nodes[i].id()
                ),
                "unreachable",
                "point a choice's `next` at it, or delete it".to_owned(),
            );
        } else if !ex.reachable[i] && !ex.bounded && i != c.patience_out {
            // The patience-out ending can always be reached through the turn limit.
            ctx.error(
                code,
                &node_path(i),
                format!(
                    "{what} `{}` cannot be reached: the conditions on the way never allow it",
                    sc.nodes[i].id()
                ),
                "unreachable",
                "check the `when` conditions of the choices leading here".to_owned(),
            );
        }
    }

    // Cycles with no exit: strongly connected groups of debtor nodes with no edge out.
    for group in closed_cycles(c) {
        let names: Vec<&str> = group.iter().map(|&i| sc.nodes[i].id().as_str()).collect();
        ctx.error(
            codes::CYCLE_NO_EXIT,
            &node_path(group[0]),
            format!("nodes {} form a loop with no way out", names.join(" → ")),
            "closed loop",
            "give one of these nodes a choice that leads out of the loop, towards an ending"
                .to_owned(),
        );
    }

    // Dead ends in reachable states, and choices or lines never offered.
    for i in 0..n {
        if ex.stuck[i] {
            ctx.error(
                codes::NO_WAY_OUT,
                &node_path(i),
                format!(
                    "at node `{}` there are situations where no choice's conditions hold",
                    sc.nodes[i].id()
                ),
                "stuck",
                "add a choice without `when`, or loosen the conditions".to_owned(),
            );
        }
        if !ex.reachable[i] || ex.bounded {
            continue;
        }
        if let Node::Debtor(d) = &sc.nodes[i] {
            for (ci, ch) in d.choices.iter().enumerate() {
                if ex.farmable[i][ci] {
                    ctx.warn(
                        codes::FARMABLE_EVIDENCE,
                        &[Seg::Key("nodes"), Seg::Index(i), Seg::Key("choices"), Seg::Index(ci), Seg::Key("effects"), Seg::Key("evidence")],
                        format!("choice `{}` gives evidence points and can be repeated in a loop, so they can be collected again and again", ch.id),
                        "repeatable points",
                        "give the points for an evidence item gained once (`gain`), or move them to a choice outside the loop".to_owned(),
                    );
                }
                if !ex.choice_offered[i][ci] {
                    ctx.warn(
                        codes::NEVER_AVAILABLE,
                        &[
                            Seg::Key("nodes"),
                            Seg::Index(i),
                            Seg::Key("choices"),
                            Seg::Index(ci),
                            Seg::Key("id"),
                        ],
                        format!(
                            "choice `{}` is never offered: its conditions never hold here",
                            ch.id
                        ),
                        "never offered",
                        "check its `when`".to_owned(),
                    );
                }
            }
        }
        for (li, line) in sc.nodes[i].lines().iter().enumerate() {
            if !line.when.is_empty() && !ex.line_eligible[i][li] {
                ctx.warn(
                    codes::NEVER_AVAILABLE,
                    &[
                        Seg::Key("nodes"),
                        Seg::Index(i),
                        Seg::Key("say"),
                        Seg::Index(li),
                    ],
                    "this line is never said: its conditions never hold when the node is entered"
                        .to_owned(),
                    "never said",
                    "check its `when`".to_owned(),
                );
            }
        }
    }

    // Evidence that can never be gained.
    for (ei, e) in sc.evidence.iter().enumerate() {
        let named = sc.nodes.iter().any(|node| match node {
            Node::Debtor(d) => d.choices.iter().any(|ch| ch.effects.gain.contains(&e.id)),
            Node::Ending(end) => end.effects.gain.contains(&e.id),
        });
        let path = p(&[Seg::Key("evidence"), Seg::Index(ei), Seg::Key("id")]);
        if !named {
            ctx.error(
                codes::EVIDENCE_NEVER_GAINED,
                &path,
                format!(
                    "evidence `{}` is never gained: no choice or ending has it in `gain`",
                    e.id
                ),
                "never gained",
                "add it to the `gain` of the choice that secures it".to_owned(),
            );
        } else if !ex.evidence_gainable[ei] && !ex.bounded {
            ctx.error(
                codes::EVIDENCE_NEVER_GAINED,
                &path,
                format!(
                    "evidence `{}` is never gained: the choices that gain it are never reached",
                    e.id
                ),
                "never gained",
                "check the conditions on the way to those choices".to_owned(),
            );
        }
    }
    if !ex.bounded && !ex.patience_runs_out {
        ctx.warn(
            codes::PATIENCE_NEVER_RUNS_OUT,
            &[Seg::Key("patience_out")],
            format!(
                "no playthrough spends the debtor's patience ({}) to zero, so `{}` is reached only by the turn limit",
                c.persona.patience,
                sc.patience_out
            ),
            "only by the turn limit",
            "give impatient, pushy or repetitive lines that lead on to debtor nodes a negative `patience` effect".to_owned(),
        );
    }
    if ex.bounded {
        ctx.warn(codes::SEARCH_BOUNDED, &[Seg::Key("nodes")], format!("the scenario has more than {} reachable situations; reachability checks are partial", crate::domain::analysis::STATE_BUDGET), "very large", "split the scenario, or reduce flags and mood-dependent branches".to_owned());
    }

    // The model answer must pass (not checked while the scoring rules themselves are invalid).
    let Some(model) = &analysis.model else {
        return;
    };
    match &model.answer {
        None => ctx.error(codes::BEST_PATH_FAILS, &[Seg::Key("id")], "following the best alternative at each turn gets stuck before an ending".to_owned(), "no best path", "run `dunning-dojo sim` on it to see where".to_owned()),
        Some(best) if !best.passed => ctx.error(
            codes::BEST_PATH_FAILS,
            &[Seg::Key("scoring")],
            format!(
                "the best path scores {} (tone {}, persistence {}, evidence {}) and does not pass the mark of {}",
                best.scores.overall, best.scores.tone, best.scores.persistence, best.scores.evidence, sc.scoring.pass_mark
            ),
            "best path fails",
            format!("best path: {}; make the strongest line at each turn also gather the evidence, or lower the pass mark", best.choices.join(" → ")),
        ),
        Some(_) => {
            // The length tell: a trainee who picks the longest line should not find the answer.
            let Some(([zh, en], points)) = model.longest else {
                return;
            };
            let worst = zh.max(en);
            if points >= 5 && worst > LONGEST_SHARE_LIMIT {
                ctx.warn(
                    codes::ANSWER_GIVEN_AWAY,
                    &[Seg::Key("nodes")],
                    format!(
                        "along the model answer the best line is also the longest at {:.0}% of {points} decision points (Chinese {:.0}%, English {:.0}%); a trainee who picks the longest line finds the answer",
                        100.0 * worst,
                        100.0 * zh,
                        100.0 * en
                    ),
                    "the answer is the longest line",
                    format!("one ask per line; make a calm wrong line the longer one at more turns (at most {:.0}%); `dunning-dojo audit` shows every tell", 100.0 * LONGEST_SHARE_LIMIT),
                );
            }
        }
    }
}

/// The most decision points along the model answer where the best line may also be the
/// longest before `lint` warns (DD0407).
const LONGEST_SHARE_LIMIT: f64 = 0.40;

/// Groups of debtor nodes that loop among themselves with no choice leading outside.
pub(super) fn closed_cycles(c: &Compiled) -> Vec<Vec<usize>> {
    let adjacency: Vec<Vec<usize>> = c
        .nodes
        .iter()
        .map(|n| n.choices.iter().map(|ch| ch.next).collect())
        .collect();
    let (_, groups) = strongly_connected(&adjacency);
    groups
        .into_iter()
        .filter(|g| {
            let looped = g.len() > 1 || adjacency[g[0]].contains(&g[0]);
            let exits = g
                .iter()
                .any(|&v| adjacency[v].iter().any(|w| !g.contains(w)));
            let has_ending = g.iter().any(|&v| c.nodes[v].ending.is_some());
            looped && !exits && !has_ending
        })
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect()
}
