//! The checks on one scenario file on its own: ids, locales, texts, objectives, preparation,
//! evidence, scoring rules and every node and choice.

use super::*;

/// Per-file checks of a scenario; returns its valid locales.
pub(super) fn check_scenario(ctx: &mut FileCtx<'_>, sc: &Scenario) -> Vec<Locale> {
    check_id(ctx, &sc.id, &[Seg::Key("id")]);

    let mut locales = Vec::new();
    for (i, tag) in sc.locales.iter().enumerate() {
        match Locale::from_tag(tag) {
            Some(l) if locales.contains(&l) => ctx.warn(
                codes::BAD_LOCALES,
                &[Seg::Key("locales"), Seg::Index(i)],
                format!("locale `{tag}` is listed twice"),
                "duplicate",
                None,
            ),
            Some(l) => locales.push(l),
            None => ctx.error(
                codes::BAD_LOCALES,
                &[Seg::Key("locales"), Seg::Index(i)],
                format!("`{tag}` is not a supported locale"),
                "unsupported locale",
                format!("supported locales are {}", Locale::tags_list()),
            ),
        }
    }
    if sc.locales.is_empty() {
        ctx.error(
            codes::BAD_LOCALES,
            &[Seg::Key("locales")],
            "the scenario declares no locales".to_owned(),
            "empty",
            r#"write `locales: ["zh-CN", "en"]`"#.to_owned(),
        );
    }

    if sc.objectives.is_empty() {
        ctx.error(
            codes::NO_OBJECTIVES,
            &[Seg::Key("objectives")],
            "the scenario has no learning objectives".to_owned(),
            "empty",
            "add at least one objective citing the course document it teaches".to_owned(),
        );
    }
    for (i, o) in sc.objectives.iter().enumerate() {
        check_course(ctx, &o.course, &[Seg::Key("objectives"), Seg::Index(i)]);
    }
    let topics = syllabus::ids();
    for (i, tag) in sc.tags.iter().enumerate() {
        if syllabus::topic(tag).is_none() {
            let help = suggest(tag, &topics).map_or_else(
                || "see the coverage table in dialogues/README.md for the topic ids".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            ctx.error(
                codes::UNKNOWN_TAG,
                &[Seg::Key("tags"), Seg::Index(i)],
                format!("`{tag}` is not a syllabus topic"),
                "unknown topic",
                help,
            );
        }
    }

    // Ids: preparation, evidence, nodes, choices.
    let prep_ids = unique_ids(
        ctx,
        sc.preparation.items.iter().map(|x| &x.id),
        &[Seg::Key("preparation"), Seg::Key("items")],
        "preparation item",
    );
    if let Some(b) = sc.preparation.budget
        && (b == 0 || b as usize > sc.preparation.items.len())
    {
        ctx.error(
            codes::OUT_OF_RANGE,
            &[Seg::Key("preparation"), Seg::Key("budget")],
            format!(
                "budget {b} is not between 1 and the {} items",
                sc.preparation.items.len()
            ),
            "out of range",
            "remove `budget` to allow every item".to_owned(),
        );
    }
    let evidence_ids = unique_ids(
        ctx,
        sc.evidence.iter().map(|x| &x.id),
        &[Seg::Key("evidence")],
        "evidence item",
    );
    for (i, e) in sc.evidence.iter().enumerate() {
        if e.weight == 0 {
            ctx.error(
                codes::OUT_OF_RANGE,
                &[Seg::Key("evidence"), Seg::Index(i), Seg::Key("weight")],
                "evidence weight must be at least 1".to_owned(),
                "zero weight",
                None,
            );
        }
    }
    let w = &sc.scoring.weights;
    let ws = [w.tone, w.persistence, w.evidence];
    if ws.iter().any(|x| !x.is_finite() || *x < 0.0) || ws.iter().sum::<f64>() <= 0.0 {
        ctx.error(
            codes::BAD_SCORING,
            &[Seg::Key("scoring"), Seg::Key("weights")],
            "weights must be non-negative and not all zero".to_owned(),
            "invalid weights",
            "the defaults are 1.0 each".to_owned(),
        );
    }
    if sc.scoring.pass_mark > 100 {
        ctx.error(
            codes::BAD_SCORING,
            &[Seg::Key("scoring"), Seg::Key("pass_mark")],
            format!("pass mark {} is above 100", sc.scoring.pass_mark),
            "out of range",
            "the default is 70".to_owned(),
        );
    }
    if sc.max_turns == 0 {
        ctx.error(
            codes::OUT_OF_RANGE,
            &[Seg::Key("max_turns")],
            "max_turns must be at least 1".to_owned(),
            "zero",
            None,
        );
    }
    let node_ids = unique_ids(
        ctx,
        sc.nodes.iter().map(Node::id),
        &[Seg::Key("nodes")],
        "node",
    );
    let mut choice_ids: HashMap<&str, ()> = HashMap::new();
    for (ni, node) in sc.nodes.iter().enumerate() {
        if let Node::Debtor(d) = node {
            for (ci, c) in d.choices.iter().enumerate() {
                let path = [
                    Seg::Key("nodes"),
                    Seg::Index(ni),
                    Seg::Key("choices"),
                    Seg::Index(ci),
                    Seg::Key("id"),
                ];
                check_id(ctx, &c.id, &path);
                if choice_ids.insert(c.id.as_str(), ()).is_some() {
                    ctx.error(
                        codes::DUPLICATE_ID,
                        &path,
                        format!("choice id `{}` is used twice in this scenario", c.id),
                        "duplicate id",
                        "choice ids must be unique in the scenario so results can name them"
                            .to_owned(),
                    );
                }
            }
        }
    }
    // Special nodes.
    let by_id: HashMap<&str, &Node> = sc.nodes.iter().map(|n| (n.id().as_str(), n)).collect();
    let kind = |id: &Id| by_id.get(id.as_str()).map(|n| matches!(n, Node::Ending(_)));
    match kind(&sc.start) {
        None => unknown_node(ctx, &sc.start, &node_ids, &[Seg::Key("start")]),
        Some(true) => ctx.error(
            codes::BAD_SPECIAL_NODE,
            &[Seg::Key("start")],
            format!("the start node `{}` is an ending", sc.start),
            "ending",
            "start at a `Debtor(…)` node".to_owned(),
        ),
        Some(false) => {}
    }
    match kind(&sc.patience_out) {
        None => unknown_node(
            ctx,
            &sc.patience_out,
            &node_ids,
            &[Seg::Key("patience_out")],
        ),
        Some(false) => ctx.error(
            codes::BAD_SPECIAL_NODE,
            &[Seg::Key("patience_out")],
            format!(
                "`patience_out` must be an ending, and `{}` is a debtor node",
                sc.patience_out
            ),
            "not an ending",
            "point it at an `Ending(…)` such as the debtor hanging up".to_owned(),
        ),
        Some(true) => {}
    }

    // Flags set and tested.
    let mut set_flags: BTreeSet<&str> = BTreeSet::new();
    let mut tested: Vec<(&str, OwnedPath)> = Vec::new();
    let mut has_violation = false;
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        if node.lines().is_empty() {
            ctx.error(
                codes::NO_LINES,
                &join(&base, &[Seg::Key("say")]),
                format!("node `{}` has no lines", node.id()),
                "no lines",
                "add at least one `(text: …)` to `say`".to_owned(),
            );
        } else if node.lines().iter().all(|l| !l.when.is_empty()) {
            ctx.error(codes::NO_LINES, &join(&base, &[Seg::Key("say")]), format!("every line of node `{}` has conditions, so in some situations it has nothing to say", node.id()), "no fallback line", "leave one line without `when` as the fallback".to_owned());
        }
        for (li, line) in node.lines().iter().enumerate() {
            let lb = join(&base, &[Seg::Key("say"), Seg::Index(li), Seg::Key("when")]);
            check_conditions(
                ctx,
                sc,
                &line.when,
                &lb,
                &node_ids,
                &evidence_ids,
                &prep_ids,
                &mut tested,
            );
            if line.weight == 0 {
                ctx.error(
                    codes::OUT_OF_RANGE,
                    &join(
                        &base,
                        &[Seg::Key("say"), Seg::Index(li), Seg::Key("weight")],
                    ),
                    "line weight must be at least 1".to_owned(),
                    "zero",
                    None,
                );
            }
        }
        match node {
            Node::Debtor(d) => {
                if d.choices.is_empty() {
                    ctx.error(
                        codes::NO_WAY_OUT,
                        &join(&base, &[Seg::Key("choices")]),
                        format!(
                            "debtor node `{}` has no choices, so the conversation cannot go on",
                            d.id
                        ),
                        "no way out",
                        "add choices, or make it an `Ending(…)`".to_owned(),
                    );
                }
                for (ci, c) in d.choices.iter().enumerate() {
                    let cb = join(&base, &[Seg::Key("choices"), Seg::Index(ci)]);
                    if !node_ids.contains(c.next.as_str()) {
                        unknown_node(ctx, &c.next, &node_ids, &join(&cb, &[Seg::Key("next")]));
                    }
                    check_conditions(
                        ctx,
                        sc,
                        &c.when,
                        &join(&cb, &[Seg::Key("when")]),
                        &node_ids,
                        &evidence_ids,
                        &prep_ids,
                        &mut tested,
                    );
                    check_effects(
                        ctx,
                        &c.effects,
                        &join(&cb, &[Seg::Key("effects")]),
                        &evidence_ids,
                        &mut set_flags,
                    );
                    if let Some(course) = &c.feedback.course {
                        check_course(ctx, course, &join(&cb, &[Seg::Key("feedback")]));
                    }
                    if let Some(v) = &c.violation {
                        has_violation = true;
                        if v.rule.is_prohibited_conduct() && v.severity != Severity::Blocker {
                            ctx.error(
                                codes::VIOLATION_DOES_NOT_FAIL,
                                &join(&cb, &[Seg::Key("violation"), Seg::Key("severity")]),
                                format!("`{}` is prohibited conduct, but severity `{}` would let the attempt pass", v.rule.key(), v.severity.key()),
                                "must fail the attempt",
                                "prohibited conduct is an automatic fail in the course (002 第四章第三节): use `severity: blocker`".to_owned(),
                            );
                        }
                    }
                    if let Some(Node::Ending(e)) = by_id.get(c.next.as_str())
                        && e.outcome == Outcome::Violation
                        && c.violation.is_none()
                    {
                        ctx.warn(codes::VIOLATION_ENDING_WITHOUT_VIOLATION, &join(&cb, &[Seg::Key("next")]), format!("choice `{}` leads to the violation ending `{}` but carries no `violation`", c.id, e.id), "no violation", "add `violation: (rule: …, severity: blocker, explanation: …)` or point it at another ending".to_owned());
                    }
                }
            }
            Node::Ending(e) => {
                check_effects(
                    ctx,
                    &e.effects,
                    &join(&base, &[Seg::Key("effects")]),
                    &evidence_ids,
                    &mut set_flags,
                );
            }
        }
    }
    for (flag, path) in &tested {
        if !set_flags.contains(flag) {
            let known: Vec<&str> = set_flags.iter().copied().collect();
            let help = suggest(flag, &known).map_or_else(|| "set it with `effects: (set: [\"…\"])` on a choice, or test a `Prepared(…)` item instead".to_owned(), |s| format!("did you mean `{s}`?"));
            ctx.error(
                codes::FLAG_NEVER_SET,
                path,
                format!("flag `{flag}` is tested but nothing sets it"),
                "never set",
                help,
            );
        }
    }
    let tested_names: BTreeSet<&str> = tested.iter().map(|(f, _)| *f).collect();
    for (ni, node) in sc.nodes.iter().enumerate() {
        if let Node::Debtor(d) = node {
            for (ci, c) in d.choices.iter().enumerate() {
                for (fi, f) in c.effects.set.iter().enumerate() {
                    if !tested_names.contains(f.as_str()) {
                        ctx.warn(
                            codes::FLAG_NEVER_TESTED,
                            &[
                                Seg::Key("nodes"),
                                Seg::Index(ni),
                                Seg::Key("choices"),
                                Seg::Index(ci),
                                Seg::Key("effects"),
                                Seg::Key("set"),
                                Seg::Index(fi),
                            ],
                            format!("flag `{f}` is set but no condition tests it"),
                            "unused flag",
                            "test it with `Flag(\"…\")`, or remove it".to_owned(),
                        );
                    }
                }
            }
        }
    }
    if !has_violation {
        ctx.warn(codes::NO_VIOLATION_TRAP, &[Seg::Key("nodes")], "no choice in this scenario breaks a rule, so it never tests prohibited conduct".to_owned(), "no trap", "add at least one tempting line that threatens, insults or loses its temper, with a `violation`".to_owned());
    }

    for (path, text) in scenario_texts(sc) {
        check_text(ctx, &path, text, &locales, None);
    }
    locales
}
