//! The checks on campaign files: ids, locales, texts, the calendar, amounts and ranges, the
//! personas and scenarios they name, and whether each authored conversation fits its account.

use std::collections::{BTreeMap, BTreeSet};

use super::{FileCtx, check_id, check_text, join};
use crate::domain::content::model::{Campaign, Channel, Contact, Persona, Scenario};
use crate::domain::content::span::Seg;
use crate::domain::diagnostics::{codes, suggest};
use crate::domain::engine::format::parse_date;
use crate::domain::text::Locale;

/// What a campaign may name.
pub(super) struct Known<'a> {
    /// Personas by id.
    pub(super) personas: &'a BTreeMap<&'a str, &'a Persona>,
    /// Scenarios that parsed, by id.
    pub(super) scenarios: &'a BTreeMap<&'a str, &'a Scenario>,
    /// Scenario files that did not parse, by the id they seem to declare.
    pub(super) unparsed: &'a BTreeMap<String, &'a std::path::Path>,
}

/// Every check on one campaign.
pub(super) fn check_campaign(ctx: &mut FileCtx<'_>, c: &Campaign, known: &Known<'_>) {
    check_id(ctx, &c.id, &[Seg::Key("id")]);
    let locales = check_locales(ctx, &c.locales);
    for (key, text) in [
        ("title", &c.title),
        ("summary", &c.summary),
        ("supplier", &c.supplier),
    ] {
        check_text(ctx, &[Seg::Key(key)], text, &locales, None);
    }
    range(ctx, &[Seg::Key("weeks")], c.weeks.into(), 1, 26, "weeks");
    range(
        ctx,
        &[Seg::Key("hours_per_day")],
        c.hours_per_day.into(),
        4,
        12,
        "working hours per day",
    );
    range(
        ctx,
        &[Seg::Key("pass_mark")],
        c.pass_mark.into(),
        1,
        100,
        "the pass mark",
    );
    match parse_date(&c.start) {
        None => ctx.error(
            codes::BAD_DATE,
            &[Seg::Key("start")],
            format!("`{}` is not a date", c.start),
            "not YYYY-MM-DD",
            "write the first day as `YYYY-MM-DD`, a Monday".to_owned(),
        ),
        Some(d) if d.weekday() != jiff::civil::Weekday::Monday => ctx.error(
            codes::CAMPAIGN_CALENDAR,
            &[Seg::Key("start")],
            format!("{} is a {:?}, not a Monday", c.start, d.weekday()),
            "not a Monday",
            "a campaign runs in working weeks: start it on a Monday".to_owned(),
        ),
        Some(_) => {}
    }
    if c.accounts.is_empty() {
        ctx.error(
            codes::CAMPAIGN_CALENDAR,
            &[Seg::Key("accounts")],
            "the campaign has no accounts".to_owned(),
            "empty",
            "add at least one account".to_owned(),
        );
    }
    let mut ids = BTreeSet::new();
    for (i, a) in c.accounts.iter().enumerate() {
        let at = |more: &[Seg<'static>]| join(&[Seg::Key("accounts"), Seg::Index(i)], more);
        check_id(ctx, &a.id, &at(&[Seg::Key("id")]));
        if !ids.insert(a.id.as_str()) {
            ctx.error(
                codes::DUPLICATE_ID,
                &at(&[Seg::Key("id")]),
                format!("account id `{}` is used twice in this campaign", a.id),
                "duplicate account id",
                "give each account its own id".to_owned(),
            );
        }
        check_text(ctx, &at(&[Seg::Key("note")]), &a.note, &locales, None);
        let persona = known.personas.get(a.persona.as_str()).copied();
        if persona.is_none() {
            let ids: Vec<&str> = known.personas.keys().copied().collect();
            let help = suggest(a.persona.as_str(), &ids).map_or_else(
                || format!("known personas: {}", ids.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            ctx.error(
                codes::UNKNOWN_PERSONA,
                &at(&[Seg::Key("persona")]),
                format!("persona `{}` does not exist", a.persona),
                "no persona has this id",
                help,
            );
        }
        if a.invoices.is_empty() {
            ctx.error(
                codes::CAMPAIGN_CALENDAR,
                &at(&[Seg::Key("invoices")]),
                format!("account `{}` has no invoices", a.id),
                "empty",
                "list what the customer owes: `(id: \"…\", amount: 12000.00, due: \"YYYY-MM-DD\")`"
                    .to_owned(),
            );
        }
        for (k, inv) in a.invoices.iter().enumerate() {
            let inv_at =
                |f: &'static str| join(&at(&[Seg::Key("invoices"), Seg::Index(k)]), &[Seg::Key(f)]);
            let cents = inv.amount * 100.0;
            if !inv.amount.is_finite()
                || inv.amount <= 0.0
                || inv.amount > 1e12
                || (cents - cents.round()).abs() > 1e-6
            {
                ctx.error(
                    codes::BAD_AMOUNT,
                    &inv_at("amount"),
                    format!("{} is not an amount owed", inv.amount),
                    "bad amount",
                    "write a positive amount with at most two decimals".to_owned(),
                );
            }
            if parse_date(&inv.due).is_none() {
                ctx.error(
                    codes::BAD_DATE,
                    &inv_at("due"),
                    format!("`{}` is not a date", inv.due),
                    "not YYYY-MM-DD",
                    "write the due date as `YYYY-MM-DD`".to_owned(),
                );
            }
        }
        let b = &a.behaviour;
        let bat = |f: &'static str| at(&[Seg::Key("behaviour"), Seg::Key(f)]);
        range(
            ctx,
            &bat("willingness"),
            b.willingness.into(),
            0,
            100,
            "willingness",
        );
        range(
            ctx,
            &bat("verbal_kept"),
            b.verbal_kept.into(),
            0,
            100,
            "a percentage",
        );
        range(
            ctx,
            &bat("written_kept"),
            b.written_kept.into(),
            0,
            100,
            "a percentage",
        );
        range(ctx, &bat("reach"), b.reach.into(), 1, 100, "a percentage");
        if let Some(n) = b.silent_after {
            range(
                ctx,
                &bat("silent_after"),
                n.into(),
                1,
                20,
                "unanswered contacts",
            );
        }
        let owed: f64 = a.invoices.iter().map(|i| i.amount).sum();
        if !b.disputed.is_finite() || b.disputed < 0.0 || b.disputed > owed {
            ctx.error(
                codes::BAD_AMOUNT,
                &bat("disputed"),
                format!(
                    "the disputed part ({}) must be between 0 and what is owed ({owed})",
                    b.disputed
                ),
                "bad amount",
                None,
            );
        }
        if let Some(m) = &b.malicious
            && !(1..=c.weeks).contains(&m.assets_moved_week)
        {
            ctx.error(
                codes::CAMPAIGN_CALENDAR,
                &at(&[
                    Seg::Key("behaviour"),
                    Seg::Key("malicious"),
                    Seg::Key("assets_moved_week"),
                ]),
                format!(
                    "week {} is outside the campaign's {} weeks",
                    m.assets_moved_week, c.weeks
                ),
                "outside the campaign",
                "the assets must move within the campaign, or the lesson is never felt".to_owned(),
            );
        }
        for (k, e) in b.events.iter().enumerate() {
            if !(1..=c.weeks).contains(&e.week) {
                ctx.error(
                    codes::CAMPAIGN_CALENDAR,
                    &at(&[
                        Seg::Key("behaviour"),
                        Seg::Key("events"),
                        Seg::Index(k),
                        Seg::Key("week"),
                    ]),
                    format!(
                        "week {} is outside the campaign's {} weeks",
                        e.week, c.weeks
                    ),
                    "outside the campaign",
                    None,
                );
            }
        }
        for (k, u) in a.scenarios.iter().enumerate() {
            let use_at = |f: &'static str| {
                join(&at(&[Seg::Key("scenarios"), Seg::Index(k)]), &[Seg::Key(f)])
            };
            if let Some(file) = known.unparsed.get(u.scenario.as_str()) {
                ctx.warn(
                    codes::CAMPAIGN_UNKNOWN_SCENARIO,
                    &use_at("scenario"),
                    format!(
                        "scenario `{}` is in {}, which has errors; until it is fixed this contact is resolved by the rules",
                        u.scenario,
                        file.display()
                    ),
                    "scenario not loaded",
                    "fix the errors in that file; the rest of the campaign plays meanwhile"
                        .to_owned(),
                );
                continue;
            }
            let Some(sc) = known.scenarios.get(u.scenario.as_str()) else {
                let ids: Vec<&str> = known.scenarios.keys().copied().collect();
                let help = suggest(u.scenario.as_str(), &ids).map_or_else(
                    || "name a scenario from dialogues/scenarios".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                ctx.error(
                    codes::CAMPAIGN_UNKNOWN_SCENARIO,
                    &use_at("scenario"),
                    format!("scenario `{}` does not exist", u.scenario),
                    "no scenario has this id",
                    help,
                );
                continue;
            };
            if sc.persona != a.persona {
                ctx.error(
                    codes::CAMPAIGN_SCENARIO_MISMATCH,
                    &use_at("scenario"),
                    format!(
                        "scenario `{}` is played with persona `{}`, but this account is `{}`",
                        u.scenario, sc.persona, a.persona
                    ),
                    "another debtor",
                    "name a scenario written for this account's persona".to_owned(),
                );
            }
            let fits = matches!(
                (u.contact, sc.channel),
                (Contact::Call, Channel::Phone) | (Contact::Visit, Channel::Visit)
            );
            if !fits {
                ctx.error(
                    codes::CAMPAIGN_SCENARIO_MISMATCH,
                    &use_at("contact"),
                    format!(
                        "scenario `{}` is a {} but plays for a {:?}",
                        u.scenario,
                        sc.channel.key(),
                        u.contact
                    ),
                    "wrong contact",
                    "a call plays a phone scenario, a visit a visit scenario".to_owned(),
                );
            }
            if u.stages.is_empty() {
                ctx.error(
                    codes::CAMPAIGN_SCENARIO_MISMATCH,
                    &use_at("stages"),
                    "no ageing stage is given, so the conversation never plays".to_owned(),
                    "empty",
                    "list the stages it plays at, for example `[days_overdue, one_month]`"
                        .to_owned(),
                );
            }
            let missing: Vec<&str> = locales
                .iter()
                .filter(|l| !sc.locales.iter().any(|t| Locale::from_tag(t) == Some(**l)))
                .map(|l| l.tag())
                .collect();
            if !missing.is_empty() {
                ctx.error(
                    codes::MISSING_LOCALE,
                    &use_at("scenario"),
                    format!(
                        "scenario `{}` is not written in {}",
                        u.scenario,
                        missing.join(", ")
                    ),
                    "missing locale",
                    None,
                );
            }
        }
    }
}

fn check_locales(ctx: &mut FileCtx<'_>, tags: &[String]) -> Vec<Locale> {
    let mut locales = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        match Locale::from_tag(tag) {
            Some(l) if !locales.contains(&l) => locales.push(l),
            Some(_) => {}
            None => ctx.error(
                codes::BAD_LOCALES,
                &[Seg::Key("locales"), Seg::Index(i)],
                format!("`{tag}` is not a supported locale"),
                "unsupported locale",
                format!("supported locales are {}", Locale::tags_list()),
            ),
        }
    }
    if tags.is_empty() {
        ctx.error(
            codes::BAD_LOCALES,
            &[Seg::Key("locales")],
            "the campaign declares no locales".to_owned(),
            "empty",
            r#"write `locales: ["zh-CN", "en"]`"#.to_owned(),
        );
    }
    locales
}

fn range(ctx: &mut FileCtx<'_>, path: &[Seg<'_>], v: i64, lo: i64, hi: i64, what: &str) {
    if !(lo..=hi).contains(&v) {
        ctx.error(
            codes::OUT_OF_RANGE,
            path,
            format!("{v} is outside {lo}..={hi}"),
            "out of range",
            format!("{what} must be between {lo} and {hi}"),
        );
    }
}
