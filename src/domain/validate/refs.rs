//! References between parts of a scenario: unique ids, nodes, conditions and effects that
//! name evidence, preparation, flags and truths, and did-you-mean help.

use super::*;

pub(super) fn unique_ids<'a>(
    ctx: &mut FileCtx<'_>,
    ids: impl Iterator<Item = &'a Id>,
    base: &[Seg<'static>],
    what: &str,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        let path = join(base, &[Seg::Index(i), Seg::Key("id")]);
        check_id(ctx, id, &path);
        if !seen.insert(id.as_str()) {
            ctx.error(
                codes::DUPLICATE_ID,
                &path,
                format!("{what} id `{id}` is used twice"),
                "duplicate id",
                format!("give each {what} its own id"),
            );
        }
    }
    seen
}

pub(super) fn unknown_node(
    ctx: &mut FileCtx<'_>,
    id: &Id,
    node_ids: &BTreeSet<&str>,
    path: &[Seg<'_>],
) {
    let known: Vec<&str> = node_ids.iter().copied().collect();
    let help = suggest(id.as_str(), &known).map_or_else(
        || "use the id of a node in this scenario's `nodes`".to_owned(),
        |s| format!("did you mean `{s}`?"),
    );
    ctx.error(
        codes::UNKNOWN_NODE,
        path,
        format!("node `{id}` does not exist"),
        "no node has this id",
        help,
    );
}

pub(super) fn check_conditions<'a>(
    ctx: &mut FileCtx<'_>,
    sc: &Scenario,
    conds: &'a [Condition],
    base: &[Seg<'static>],
    node_ids: &BTreeSet<&str>,
    evidence_ids: &BTreeSet<&str>,
    prep_ids: &BTreeSet<&str>,
    tested: &mut Vec<(&'a str, OwnedPath)>,
) {
    for (i, c) in conds.iter().enumerate() {
        let path = join(base, &[Seg::Index(i)]);
        check_condition(ctx, sc, c, &path, node_ids, evidence_ids, prep_ids, tested);
    }
}

pub(super) fn check_condition<'a>(
    ctx: &mut FileCtx<'_>,
    sc: &Scenario,
    c: &'a Condition,
    path: &[Seg<'static>],
    node_ids: &BTreeSet<&str>,
    evidence_ids: &BTreeSet<&str>,
    prep_ids: &BTreeSet<&str>,
    tested: &mut Vec<(&'a str, OwnedPath)>,
) {
    let arg = join(path, &[Seg::Index(0)]);
    match c {
        Condition::Flag(f) => tested.push((f.as_str(), arg)),
        Condition::Has(e) if !evidence_ids.contains(e.as_str()) => {
            unknown_ref(
                ctx,
                codes::UNKNOWN_EVIDENCE,
                "evidence item",
                e,
                evidence_ids,
                &arg,
                "declare it in `evidence`",
            );
        }
        Condition::Prepared(x) if !prep_ids.contains(x.as_str()) => {
            unknown_ref(
                ctx,
                codes::UNKNOWN_PREP,
                "preparation item",
                x,
                prep_ids,
                &arg,
                "declare it in `preparation.items`",
            );
        }
        Condition::VisitsAtLeast(n, _) | Condition::VisitsBelow(n, _)
            if !node_ids.contains(n.as_str()) =>
        {
            unknown_node(ctx, n, node_ids, &arg);
        }
        Condition::All(cs) | Condition::Any(cs) => {
            check_conditions(ctx, sc, cs, &arg, node_ids, evidence_ids, prep_ids, tested);
        }
        Condition::Not(inner) => check_condition(
            ctx,
            sc,
            inner,
            &arg,
            node_ids,
            evidence_ids,
            prep_ids,
            tested,
        ),
        _ => {}
    }
}

pub(super) fn unknown_ref(
    ctx: &mut FileCtx<'_>,
    code: Code,
    what: &str,
    id: &Id,
    known: &BTreeSet<&str>,
    path: &[Seg<'_>],
    fix: &str,
) {
    let list: Vec<&str> = known.iter().copied().collect();
    let help = suggest(id.as_str(), &list)
        .map_or_else(|| fix.to_owned(), |s| format!("did you mean `{s}`?"));
    ctx.error(
        code,
        path,
        format!("{what} `{id}` does not exist"),
        "unknown id",
        help,
    );
}

pub(super) fn check_effects<'a>(
    ctx: &mut FileCtx<'_>,
    e: &'a Effects,
    base: &[Seg<'static>],
    evidence_ids: &BTreeSet<&str>,
    set_flags: &mut BTreeSet<&'a str>,
) {
    for (i, g) in e.gain.iter().enumerate() {
        if !evidence_ids.contains(g.as_str()) {
            unknown_ref(
                ctx,
                codes::UNKNOWN_EVIDENCE,
                "evidence item",
                g,
                evidence_ids,
                &join(base, &[Seg::Key("gain"), Seg::Index(i)]),
                "declare it in the scenario's `evidence`",
            );
        }
    }
    for f in &e.set {
        set_flags.insert(f.as_str());
    }
}

/// `{goods}` needs the persona's `debt.goods`.
pub(super) fn check_goods_variable(ctx: &mut FileCtx<'_>, sc: &Scenario, persona: &Persona) {
    if persona.debt.goods.is_some() {
        return;
    }
    for (path, text) in scenario_texts(sc) {
        if text
            .entries()
            .iter()
            .any(|(_, s)| placeholders(s).iter().any(|p| p.name == "goods"))
        {
            ctx.error(
                codes::UNKNOWN_VARIABLE,
                &path,
                format!("`{{goods}}` is used but persona `{}` has no `debt.goods`", persona.id),
                "nothing to fill in",
                "add `goods: {\"zh-CN\": \"…\", \"en\": \"…\"}` to the persona's `debt`, or write the goods out".to_owned(),
            );
        }
    }
}

/// Every id that `pick` finds in the scenario's conditions (line variants and choices, nested
/// in `All`/`Any`/`Not` too), with the path of the argument.
pub(super) fn condition_refs<'a>(
    sc: &'a Scenario,
    pick: fn(&'a Condition) -> Option<&'a Id>,
) -> Vec<(&'a Id, OwnedPath)> {
    fn walk<'a>(
        conds: &'a [Condition],
        base: &[Seg<'static>],
        pick: fn(&'a Condition) -> Option<&'a Id>,
        out: &mut Vec<(&'a Id, OwnedPath)>,
    ) {
        for (i, c) in conds.iter().enumerate() {
            let path = join(base, &[Seg::Index(i)]);
            if let Some(id) = pick(c) {
                out.push((id, join(&path, &[Seg::Index(0)])));
            }
            match c {
                Condition::All(cs) | Condition::Any(cs) => {
                    walk(cs, &join(&path, &[Seg::Index(0)]), pick, out)
                }
                Condition::Not(inner) => walk(
                    std::slice::from_ref(inner.as_ref()),
                    &join(&path, &[Seg::Index(0)]),
                    pick,
                    out,
                ),
                _ => {}
            }
        }
    }
    let mut refs = Vec::new();
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        for (li, line) in node.lines().iter().enumerate() {
            let at = join(&base, &[Seg::Key("say"), Seg::Index(li), Seg::Key("when")]);
            walk(&line.when, &at, pick, &mut refs);
        }
        if let Node::Debtor(d) = node {
            for (ci, c) in d.choices.iter().enumerate() {
                let at = join(
                    &base,
                    &[Seg::Key("choices"), Seg::Index(ci), Seg::Key("when")],
                );
                walk(&c.when, &at, pick, &mut refs);
            }
        }
    }
    refs
}

/// `Revealed(…)` conditions and `reveal` effects must name one of the persona's hidden truths.
pub(super) fn check_truth_refs(ctx: &mut FileCtx<'_>, sc: &Scenario, persona: &Persona) {
    let known: BTreeSet<&str> = persona
        .hidden_truths
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let fix = format!("add it to `hidden_truths` of persona `{}`", persona.id);
    let mut refs = condition_refs(sc, |c| match c {
        Condition::Revealed(id) => Some(id),
        _ => None,
    });
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        let mut effects: Vec<(&Effects, OwnedPath)> = Vec::new();
        match node {
            Node::Debtor(d) => {
                for (ci, c) in d.choices.iter().enumerate() {
                    let cb = join(&base, &[Seg::Key("choices"), Seg::Index(ci)]);
                    effects.push((&c.effects, join(&cb, &[Seg::Key("effects")])));
                }
            }
            Node::Ending(e) => effects.push((&e.effects, join(&base, &[Seg::Key("effects")]))),
        }
        for (eff, eb) in effects {
            for (i, id) in eff.reveal.iter().enumerate() {
                refs.push((id, join(&eb, &[Seg::Key("reveal"), Seg::Index(i)])));
            }
        }
    }
    for (id, path) in refs {
        if !known.contains(id.as_str()) {
            unknown_ref(
                ctx,
                codes::UNKNOWN_TRUTH,
                "hidden truth",
                id,
                &known,
                &path,
                &fix,
            );
        }
    }
}
