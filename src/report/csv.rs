//! The CSV exports: one row per attempt ([`render`]) or one row per campaign result
//! ([`render_campaigns`]), each a file of its own so a spreadsheet sees one table with one
//! header it can filter and sort. UTF-8 with a byte-order mark so Excel reads Chinese, and
//! every cell that a spreadsheet would take for a formula neutralised.

use super::{ReportData, seconds};

/// The byte-order mark Excel needs to read UTF-8.
pub const BOM: &str = "\u{feff}";

/// The header row.
pub const HEADER: [&str; 26] = [
    "attempt",
    "registration",
    "trainee",
    "team",
    "session",
    "round",
    "scenario",
    "title",
    "persona",
    "channel",
    "mode",
    "locale",
    "seed",
    "content_hash",
    "started",
    "ended",
    "duration_s",
    "outcome",
    "passed",
    "overall",
    "tone",
    "persistence",
    "evidence",
    "turns",
    "violations",
    "evidence_items",
];

/// Whether a spreadsheet may read a cell starting with `c` as a formula: `=`, `+`, `-`, `@`,
/// tab, carriage return, and the full-width and small forms of the four signs, which some
/// spreadsheets (and their East Asian input methods) fold into the ASCII ones.
fn is_trigger(c: char) -> bool {
    matches!(
        c,
        '=' | '+'
            | '-'
            | '@'
            | '\t'
            | '\r'
            | '＝'
            | '＋'
            | '－'
            | '＠'
            | '\u{FE66}'
            | '\u{FE62}'
            | '\u{FE63}'
            | '\u{FE6B}'
    )
}

/// Characters that show nothing (zero-width spaces and joiners, direction marks, the word
/// joiner, a stray byte-order mark…), which a spreadsheet may drop before it looks for `=`.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
    )
}

/// A cell a spreadsheet would read as a formula gets a leading apostrophe, the OWASP advice
/// against CSV injection: one that starts with a trigger (see `is_trigger`), also after
/// invisible characters or white space.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let first = cell
        .chars()
        .find(|&c| !(is_invisible(c) || (c.is_whitespace() && !matches!(c, '\t' | '\r'))));
    match first {
        Some(c) if is_trigger(c) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The header row of the campaign results.
pub const CAMPAIGN_HEADER: [&str; 32] = [
    "campaign_result",
    "registration",
    "trainee",
    "team",
    "session",
    "round",
    "campaign",
    "title",
    "locale",
    "seed",
    "content_hash",
    "started",
    "ended",
    "duration_s",
    "passed",
    "total",
    "cash",
    "ageing",
    "rhythm",
    "evidence",
    "owed",
    "collected",
    "collected_pct",
    "left_not_due",
    "left_collecting",
    "left_doubtful",
    "left_bad",
    "left_dead",
    "accounts",
    "actions",
    "turning_points",
    "blockers",
];

/// `header` and `rows` as CSV text, BOM first, CRLF line ends, every cell neutralised.
fn table<const N: usize>(
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<String, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{BOM}{}", String::from_utf8_lossy(&bytes)))
}

/// The attempts as CSV text, BOM first.
pub fn render(data: &ReportData) -> Result<String, ::csv::Error> {
    let rows = data.attempts.iter().map(|a| {
        let r = &a.result;
        let violations: Vec<&str> = r.violations.iter().map(|v| v.rule.key()).collect();
        [
            a.id.to_string(),
            a.registration.to_string(),
            a.trainee.clone(),
            a.team.clone().unwrap_or_default(),
            a.session_name.clone().unwrap_or_default(),
            a.round.map(|n| n.to_string()).unwrap_or_default(),
            r.scenario.clone(),
            data.title(&r.scenario).to_owned(),
            a.persona.clone(),
            a.channel.clone(),
            a.mode.key().to_owned(),
            r.lang.clone(),
            r.seed.to_string(),
            r.content_hash.clone(),
            a.started_at.clone(),
            a.ended_at.clone(),
            seconds(a.duration_ms),
            r.outcome.key().to_owned(),
            r.passed.to_string(),
            r.scores.overall.to_string(),
            r.scores.tone.to_string(),
            r.scores.persistence.to_string(),
            r.scores.evidence.to_string(),
            r.turns.to_string(),
            violations.join(";"),
            r.evidence.join(";"),
        ]
    });
    table(HEADER, rows)
}

/// The campaign results as CSV text, BOM first: one row per result with its scores, the cash
/// and what is left by risk grade (columns `left_…` in
/// [`RiskGrade::ALL`](crate::domain::campaign::RiskGrade::ALL) order). Amounts are
/// plain numbers with two decimals, so a spreadsheet sums them.
pub fn render_campaigns(data: &ReportData) -> Result<String, ::csv::Error> {
    // `+ 0.0` turns -0 (Rust's sum of nothing) into 0, which a spreadsheet reads as a number
    // rather than as text neutralised for starting with `-`.
    let money = |v: f64| format!("{:.2}", v + 0.0);
    let number = |v: f64| (v + 0.0).to_string();
    let rows = data.campaigns.iter().map(|c| {
        let r = &c.result;
        let [not_due, collecting, doubtful, bad, dead] = r.left_by_grade.map(money);
        [
            c.id.to_string(),
            c.registration.to_string(),
            c.trainee.clone(),
            c.team.clone().unwrap_or_default(),
            c.session_name.clone().unwrap_or_default(),
            c.round.map(|n| n.to_string()).unwrap_or_default(),
            r.campaign.clone(),
            data.campaign_title(&r.campaign).to_owned(),
            r.lang.clone(),
            r.seed.to_string(),
            r.content_hash.clone(),
            c.started_at.clone(),
            c.ended_at.clone(),
            seconds(c.duration_ms),
            r.passed.to_string(),
            number(r.scores.total),
            number(r.scores.cash),
            number(r.scores.ageing),
            number(r.scores.rhythm),
            number(r.scores.evidence),
            money(r.owed),
            money(r.collected),
            format!("{:.1}", 100.0 * r.collected / r.owed.max(0.01) + 0.0),
            not_due,
            collecting,
            doubtful,
            bad,
            dead,
            r.accounts.len().to_string(),
            r.actions.len().to_string(),
            r.turning_points.len().to_string(),
            r.blockers.join(";"),
        ]
    });
    table(CAMPAIGN_HEADER, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_nothing_else() {
        for bad in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for fine in ["王芳", "Acme = fine", "12.5", "", "'quoted"] {
            assert_eq!(neutralise(fine), fine);
        }
    }

    #[test]
    fn full_width_signs_and_invisible_prefixes_are_neutralised_too() {
        for bad in [
            "＝1+1",
            "＋1",
            "－2",
            "＠cmd",
            "\u{200b}=1+1",
            "\u{200b}\u{200d}+1",
            "\u{feff}@x",
            "\u{2060}－2",
            "\u{200e}＝HYPERLINK(\"x\")",
            "\u{3000}=1",
            " \u{a0}=1",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in ["\u{200b}王芳", "\u{200b}", "全角＝在中间", "a\u{200b}=1"] {
            assert_eq!(neutralise(fine), fine, "{fine:?}");
        }
    }
}
