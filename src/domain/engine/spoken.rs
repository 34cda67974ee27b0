//! Amounts as people say them on the phone, for `{amount_spoken}`: `二十八万六千四` and
//! "286,400 yuan" rather than the statement's `286,400.00元`.

use crate::domain::text::Locale;

/// One piece of a Chinese number reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Digit(u8),
    Unit(Unit),
    Zero,
}

/// The place units, lowest first; `Wan` and `Yi` close a group of four digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Shi,
    Bai,
    Qian,
    Wan,
    Yi,
}

impl Unit {
    fn han(self) -> char {
        match self {
            Unit::Shi => '十',
            Unit::Bai => '百',
            Unit::Qian => '千',
            Unit::Wan => '万',
            Unit::Yi => '亿',
        }
    }
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The reading of one group of four digits (1..=9999), with zeros inside it as `Zero`.
fn group(n: u64, out: &mut Vec<Tok>) {
    let places = [
        (1000, Some(Unit::Qian)),
        (100, Some(Unit::Bai)),
        (10, Some(Unit::Shi)),
        (1, None),
    ];
    let mut pending_zero = false;
    let mut started = false;
    for (value, unit) in places {
        let d = (n / value % 10) as u8;
        if d == 0 {
            pending_zero |= started;
            continue;
        }
        if pending_zero {
            out.push(Tok::Zero);
            pending_zero = false;
        }
        out.push(Tok::Digit(d));
        if let Some(u) = unit {
            out.push(Tok::Unit(u));
        }
        started = true;
    }
}

/// The full reading of a whole number: 286400 → 二十八万六千四百.
fn tokens(n: u64) -> Vec<Tok> {
    if n == 0 {
        return vec![Tok::Digit(0)];
    }
    let groups = [
        (n / 100_000_000, Some(Unit::Yi)),
        (n / 10_000 % 10_000, Some(Unit::Wan)),
        (n % 10_000, None),
    ];
    let mut out = Vec::new();
    let mut higher = false;
    for (g, unit) in groups {
        if g == 0 {
            continue;
        }
        // A group below 1000 after a higher group is read with a zero: 十万零五百.
        if higher && g < 1000 && out.last() != Some(&Tok::Zero) {
            out.push(Tok::Zero);
        }
        group(g, &mut out);
        if let Some(u) = unit {
            out.push(Tok::Unit(u));
        }
        higher = true;
    }
    // 一十二万 is read 十二万 at the start.
    if out.len() >= 2 && out[0] == Tok::Digit(1) && out[1] == Tok::Unit(Unit::Shi) {
        out.remove(0);
    }
    out
}

/// Colloquial Chinese: the unit of the last digit is dropped when it follows the next higher
/// place directly (六千四百 → 六千四, 五万二千 → 五万二), and 2 before 百, 千, 万 or 亿 is 两.
fn colloquial(mut toks: Vec<Tok>) -> String {
    let n = toks.len();
    if n >= 3
        && let (Tok::Unit(prev), Tok::Digit(_), Tok::Unit(last)) =
            (toks[n - 3], toks[n - 2], toks[n - 1])
    {
        let next_up = match last {
            Unit::Shi => Some(Unit::Bai),
            Unit::Bai => Some(Unit::Qian),
            Unit::Qian => Some(Unit::Wan),
            Unit::Wan | Unit::Yi => None,
        };
        // 千 then a digit then 百, or 万 then a digit then 千 (a new group), and so on.
        if next_up == Some(prev) || (last == Unit::Qian && prev == Unit::Yi) {
            toks.pop();
        }
    }
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            // 两 for a 2 that opens the number or a group (两千五, 两万二, 四十一万两千八,
            // 十万零两百); inside a group it stays 二 (六千二百四, 十二万).
            Tok::Digit(2)
                if matches!(
                    toks.get(i + 1),
                    Some(Tok::Unit(Unit::Bai | Unit::Qian | Unit::Wan | Unit::Yi))
                ) && matches!(
                    i.checked_sub(1).map(|j| toks[j]),
                    None | Some(Tok::Zero | Tok::Unit(Unit::Wan | Unit::Yi))
                ) =>
            {
                s.push('两');
            }
            Tok::Digit(d) => s.push(DIGITS[usize::from(*d)]),
            Tok::Unit(u) => s.push(u.han()),
            Tok::Zero => s.push('零'),
        }
    }
    s
}

/// The Traditional form of the few characters a reading uses that differ between the scripts.
fn traditional(c: char) -> char {
    match c {
        '万' => '萬',
        '亿' => '億',
        '两' => '兩',
        '负' => '負',
        c => c,
    }
}

/// The amount as said aloud: `二十八万六千四` (yuan, the unit left to the sentence; with jiao
/// and fen, `…元五角`), `286,400 yuan` in English. Other currencies keep their code.
pub fn amount_spoken(value: f64, currency: &str, locale: Locale) -> String {
    let cents = (value * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = cents / 100;
    match locale {
        Locale::ZhCn | Locale::ZhTw => {
            let mut s = format!(
                "{}{}",
                if sign.is_empty() { "" } else { "负" },
                colloquial(tokens(whole))
            );
            let (jiao, fen) = ((cents % 100) / 10, cents % 10);
            if jiao + fen > 0 {
                s.push('元');
                if jiao > 0 {
                    s.push(DIGITS[jiao as usize]);
                    s.push('角');
                }
                if fen > 0 {
                    s.push(DIGITS[fen as usize]);
                    s.push('分');
                }
            }
            if currency != "CNY" {
                s.push(' ');
                s.push_str(currency);
            }
            if locale == Locale::ZhTw {
                // The reading is content, said inside a Traditional sentence: its script follows.
                s = s.chars().map(traditional).collect();
            }
            s
        }
        Locale::En => {
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            let number = if cents.is_multiple_of(100) {
                format!("{sign}{grouped}")
            } else {
                format!("{sign}{grouped}.{:02}", cents % 100)
            };
            match currency {
                "CNY" => format!("{number} yuan"),
                other => format!("{number} {other}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(n: f64) -> String {
        amount_spoken(n, "CNY", Locale::ZhCn)
    }

    #[test]
    fn chinese_amounts_read_as_people_say_them() {
        assert_eq!(zh(286_400.0), "二十八万六千四");
        assert_eq!(zh(52_000.0), "五万二");
        assert_eq!(zh(1_286_000.0), "一百二十八万六");
        assert_eq!(zh(48_750.0), "四万八千七百五");
        assert_eq!(zh(508_200.0), "五十万八千二");
        assert_eq!(zh(174_900.0), "十七万四千九");
        assert_eq!(zh(365_000.0), "三十六万五");
        assert_eq!(zh(19_800.0), "一万九千八");
        assert_eq!(zh(100_000.0), "十万");
        assert_eq!(zh(120_000.0), "十二万");
        assert_eq!(zh(2_500.0), "两千五");
        assert_eq!(zh(22_000.0), "两万二");
        assert_eq!(zh(200_000.0), "二十万");
        assert_eq!(zh(6_040.0), "六千零四十");
        assert_eq!(zh(100_500.0), "十万零五百");
        assert_eq!(zh(105_000.0), "十万五");
        assert_eq!(zh(83_100.0), "八万三千一");
        assert_eq!(zh(16_178.25), "一万六千一百七十八元二角五分");
        assert_eq!(zh(0.0), "零");
        assert_eq!(zh(220_000.0), "二十二万");
        assert_eq!(zh(2_000_000.0), "两百万");
        assert_eq!(zh(156_240.0), "十五万六千二百四");
        assert_eq!(zh(412_800.0), "四十一万两千八");
        assert_eq!(zh(1_200.0), "一千二");
    }

    #[test]
    fn traditional_readings_use_traditional_characters() {
        let tw = |n: f64| amount_spoken(n, "CNY", Locale::ZhTw);
        assert_eq!(tw(365_000.0), "三十六萬五");
        assert_eq!(tw(22_000.0), "兩萬二");
        assert_eq!(tw(2_000_000.0), "兩百萬");
        assert_eq!(tw(300_000_000.0), "三億");
        assert_eq!(tw(-1_200.0), "負一千二");
        assert_eq!(tw(16_178.25), "一萬六千一百七十八元二角五分");
    }

    #[test]
    fn english_amounts_drop_the_decimals_and_say_yuan() {
        assert_eq!(amount_spoken(286_400.0, "CNY", Locale::En), "286,400 yuan");
        assert_eq!(
            amount_spoken(16_178.25, "CNY", Locale::En),
            "16,178.25 yuan"
        );
        assert_eq!(amount_spoken(999.0, "USD", Locale::En), "999 USD");
    }
}
