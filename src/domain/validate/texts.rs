//! Texts and languages: every text a player reads, complete in each declared locale, with
//! known variables and a known course document.

use super::*;

/// Every text of a persona with its path.
pub(super) fn persona_texts(persona: &Persona) -> Vec<(OwnedPath, &Text)> {
    let mut v: Vec<(OwnedPath, &Text)> = vec![
        (p(&[Seg::Key("name")]), &persona.name),
        (p(&[Seg::Key("company")]), &persona.company),
        (p(&[Seg::Key("role")]), &persona.role),
        (p(&[Seg::Key("temperament")]), &persona.temperament),
        (
            p(&[Seg::Key("debt"), Seg::Key("terms")]),
            &persona.debt.terms,
        ),
    ];
    if let Some(g) = &persona.debt.goods {
        v.push((p(&[Seg::Key("debt"), Seg::Key("goods")]), g));
    }
    for (i, t) in persona.hidden_truths.iter().enumerate() {
        v.push((
            p(&[Seg::Key("hidden_truths"), Seg::Index(i), Seg::Key("text")]),
            &t.text,
        ));
    }
    v
}

pub(super) fn check_persona_locales(
    ctx: &mut FileCtx<'_>,
    persona: &Persona,
    locales: &[Locale],
    scenario: &Scenario,
) {
    for (path, text) in persona_texts(persona) {
        check_text(ctx, &path, text, locales, Some(scenario.id.as_str()));
    }
}

/// Every text of a scenario with its path.
pub(super) fn scenario_texts(sc: &Scenario) -> Vec<(OwnedPath, &Text)> {
    let mut v: Vec<(OwnedPath, &Text)> = vec![
        (p(&[Seg::Key("title")]), &sc.title),
        (p(&[Seg::Key("supplier")]), &sc.supplier),
        (p(&[Seg::Key("briefing")]), &sc.briefing),
    ];
    v.extend(truths::texts(sc));
    for (i, o) in sc.objectives.iter().enumerate() {
        v.push((
            p(&[Seg::Key("objectives"), Seg::Index(i), Seg::Key("text")]),
            &o.text,
        ));
        if let Some(section) = &o.section {
            v.push((
                p(&[Seg::Key("objectives"), Seg::Index(i), Seg::Key("section")]),
                section,
            ));
        }
    }
    for (i, item) in sc.preparation.items.iter().enumerate() {
        let base = [Seg::Key("preparation"), Seg::Key("items"), Seg::Index(i)];
        v.push((join(&base, &[Seg::Key("label")]), &item.label));
        v.push((join(&base, &[Seg::Key("why")]), &item.why));
    }
    for (i, e) in sc.evidence.iter().enumerate() {
        v.push((
            p(&[Seg::Key("evidence"), Seg::Index(i), Seg::Key("label")]),
            &e.label,
        ));
    }
    for (ni, node) in sc.nodes.iter().enumerate() {
        let base = [Seg::Key("nodes"), Seg::Index(ni)];
        if let Some(s) = node.scene() {
            v.push((join(&base, &[Seg::Key("scene")]), s));
        }
        for (li, line) in node.lines().iter().enumerate() {
            v.push((
                join(&base, &[Seg::Key("say"), Seg::Index(li), Seg::Key("text")]),
                &line.text,
            ));
        }
        match node {
            Node::Debtor(d) => {
                for (ci, c) in d.choices.iter().enumerate() {
                    let cb = join(&base, &[Seg::Key("choices"), Seg::Index(ci)]);
                    v.push((join(&cb, &[Seg::Key("text")]), &c.text));
                    v.push((
                        join(&cb, &[Seg::Key("feedback"), Seg::Key("text")]),
                        &c.feedback.text,
                    ));
                    if let Some(pr) = &c.feedback.principle {
                        v.push((
                            join(&cb, &[Seg::Key("feedback"), Seg::Key("principle")]),
                            pr,
                        ));
                    }
                    if let Some(h) = &c.locked_hint {
                        v.push((join(&cb, &[Seg::Key("locked_hint")]), h));
                    }
                    if let Some(vi) = &c.violation {
                        v.push((
                            join(&cb, &[Seg::Key("violation"), Seg::Key("explanation")]),
                            &vi.explanation,
                        ));
                    }
                }
            }
            Node::Ending(e) => {
                if let Some(s) = &e.summary {
                    v.push((join(&base, &[Seg::Key("summary")]), s));
                }
            }
        }
    }
    v
}

pub(super) fn check_text(
    ctx: &mut FileCtx<'_>,
    path: &[Seg<'_>],
    text: &Text,
    locales: &[Locale],
    via: Option<&str>,
) {
    let via_note = via.map_or(String::new(), |s| format!(" (required by scenario `{s}`)"));
    match text {
        Text::Plain(s) => {
            if s.trim().is_empty() {
                ctx.error(
                    codes::EMPTY_TEXT,
                    path,
                    "this text is empty".to_owned(),
                    "empty",
                    "write the words, or remove the optional field".to_owned(),
                );
            }
            if locales.len() > 1 && locales.contains(&Locale::En) && has_han(s) {
                ctx.warn(
                    codes::UNTRANSLATED,
                    path,
                    format!("plain text in Chinese will show untranslated in `en`{via_note}"),
                    "one string for every locale",
                    r#"write it per locale: {"zh-CN": "…", "en": "…"}"#.to_owned(),
                );
            }
        }
        Text::Localized(map) => {
            for locale in locales {
                if !map
                    .iter()
                    .any(|(k, _)| Locale::from_tag(k) == Some(*locale))
                {
                    ctx.error(
                        codes::MISSING_LOCALE,
                        path,
                        format!("this text has no `{}` version{via_note}", locale.tag()),
                        "incomplete locales",
                        format!("add \"{}\": \"…\" to the map", locale.tag()),
                    );
                }
            }
            for (k, s) in map {
                let key_path: Vec<Seg<'_>> =
                    path.iter().copied().chain([Seg::Key(k.as_str())]).collect();
                match Locale::from_tag(k) {
                    None => ctx.error(
                        codes::EXTRA_LOCALE,
                        &key_path,
                        format!("`{k}` is not a supported locale"),
                        "unknown locale",
                        format!("supported locales are {}", Locale::tags_list()),
                    ),
                    Some(l) if !locales.contains(&l) && via.is_none() && ctx.undeclared.insert(k.clone()) => ctx.warn(
                        codes::EXTRA_LOCALE,
                        &key_path,
                        format!("`{k}` texts are written but `{k}` is not in this scenario's `locales`, so they are never shown"),
                        "undeclared locale (first of its texts)",
                        format!("add \"{k}\" to `locales`, or remove the `{k}` entries"),
                    ),
                    _ => {}
                }
                if s.trim().is_empty() {
                    ctx.error(
                        codes::EMPTY_TEXT,
                        &key_path,
                        format!("the `{k}` text is empty"),
                        "empty",
                        "write the words".to_owned(),
                    );
                }
            }
        }
    }
    for (_, s) in text.entries() {
        for ph in placeholders(s) {
            if !TEMPLATE_VARIABLES.contains(&ph.name) {
                let help = match suggest(ph.name, TEMPLATE_VARIABLES) {
                    Some(sug) => {
                        format!("did you mean `{{{sug}}}`? Write `{{{{` for a literal brace")
                    }
                    None => format!(
                        "variables: {}; write `{{{{` for a literal brace",
                        TEMPLATE_VARIABLES.join(", ")
                    ),
                };
                ctx.error(
                    codes::UNKNOWN_VARIABLE,
                    path,
                    format!("`{{{}}}` is not a variable", ph.name),
                    "unknown variable",
                    help,
                );
            }
        }
    }
}

/// Checks the course document cited in the `course` field of the value at `parent` (the
/// field is `seed:` in files from before the rename).
pub(super) fn check_course(ctx: &mut FileCtx<'_>, course: &str, parent: &[Seg<'static>]) {
    if !is_known_course(course) {
        let old_key = join(parent, &[Seg::Key("seed")]);
        let path = if ctx.file.tree().get(&old_key).is_some() {
            old_key
        } else {
            join(parent, &[Seg::Key("course")])
        };
        ctx.error(
            codes::UNKNOWN_COURSE,
            &path,
            format!("`{course}` is not one of the course documents"),
            "unknown course document",
            "cite one of 000, 001, 002, 003, 004 (the course documents in ../shared/seeds/)"
                .to_owned(),
        );
    }
}
