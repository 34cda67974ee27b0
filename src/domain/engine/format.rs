//! Locale-aware rendering of the debt's facts for `{amount}`, `{due_date}` and friends.

use crate::domain::text::Locale;

/// Formats an amount with thousands separators and two decimals, in the locale's style:
/// `286,400.00元` (CNY in Chinese), `CNY 286,400.00` in English.
pub fn amount(value: f64, currency: &str, locale: Locale) -> String {
    let cents = (value * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = format!("{sign}{grouped}.{:02}", cents % 100);
    match (locale, currency) {
        (Locale::ZhCn | Locale::ZhTw, "CNY") => format!("{number}元"),
        (Locale::ZhCn | Locale::ZhTw, other) => format!("{number} {other}"),
        (Locale::En, other) => format!("{other} {number}"),
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    s.parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| s.len() == 10)
}

/// Formats a `YYYY-MM-DD` date for reading aloud: `2026年9月30日`, `30 September 2026`.
/// Anything that does not parse is returned as written.
pub fn date(s: &str, locale: Locale) -> String {
    match parse_date(s) {
        Some(d) => match locale {
            Locale::ZhCn | Locale::ZhTw => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Locale::En => d.strftime("%-d %B %Y").to_string(),
        },
        None => s.to_owned(),
    }
}

/// Joins invoice numbers with the locale's list separator.
pub fn list(items: &[String], locale: Locale) -> String {
    items.join(locale.pick("、", ", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_thousands_in_both_locales() {
        assert_eq!(amount(286_400.0, "CNY", Locale::ZhCn), "286,400.00元");
        assert_eq!(amount(286_400.5, "CNY", Locale::En), "CNY 286,400.50");
        assert_eq!(amount(999.0, "USD", Locale::ZhCn), "999.00 USD");
        assert_eq!(amount(365_000.0, "CNY", Locale::ZhTw), "365,000.00元");
        assert_eq!(amount(1_234_567.891, "CNY", Locale::En), "CNY 1,234,567.89");
        assert_eq!(amount(0.0, "CNY", Locale::En), "CNY 0.00");
    }

    #[test]
    fn dates_read_naturally() {
        assert_eq!(date("2026-09-30", Locale::ZhCn), "2026年9月30日");
        assert_eq!(date("2025-10-19", Locale::ZhTw), "2025年10月19日");
        assert_eq!(date("2026-09-03", Locale::En), "3 September 2026");
        assert_eq!(date("not a date", Locale::En), "not a date");
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-9-3").is_none());
    }

    #[test]
    fn lists_use_the_locale_separator() {
        let inv = vec!["A-1".to_owned(), "A-2".to_owned()];
        assert_eq!(list(&inv, Locale::ZhCn), "A-1、A-2");
        assert_eq!(list(&inv, Locale::En), "A-1, A-2");
    }
}
