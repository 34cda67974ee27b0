//! The campaign calendar: working days, dates, the age of an invoice, the ageing stage a
//! conversation plays at, and the risk grade of what is left.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::domain::content::model::DebtStage;
use crate::domain::text::Locale;

/// Working days in a week.
pub const WORKDAYS: u32 = 5;

/// The date of working day `day` (0-based) of a campaign starting on the Monday `start`.
pub fn date_of(start: Date, day: u32) -> Date {
    let offset = i64::from(day / WORKDAYS * 7 + day % WORKDAYS);
    start
        .checked_add(jiff::Span::new().days(offset))
        .unwrap_or(start)
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |s| i64::from(s.get_days()))
}

/// The first working day (0-based) on or after `date`; `None` when it is before the start.
pub fn workday_on_or_after(start: Date, date: Date) -> Option<u32> {
    let days = days_between(start, date);
    if days < 0 {
        return None;
    }
    let days = u32::try_from(days).ok()?;
    let (weeks, rest) = (days / 7, days % 7);
    Some(weeks * WORKDAYS + rest.min(WORKDAYS))
}

/// The ageing stage of a debt `age` calendar days past its due date (negative: not yet due).
pub fn stage_of(age: i64) -> DebtStage {
    match age {
        i64::MIN..=0 => DebtStage::BeforeDue,
        1..=20 => DebtStage::DaysOverdue,
        21..=60 => DebtStage::OneMonth,
        61..=135 => DebtStage::ThreeMonths,
        136..=270 => DebtStage::SixMonths,
        _ => DebtStage::OneYear,
    }
}

/// The course's risk grades of a debt (002: 未收款 → 催收款 → 准呆账 → 呆账 → 死账).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskGrade {
    /// Not yet due.
    NotDue,
    /// Under collection: up to three months overdue.
    Collecting,
    /// Doubtful: three to six months.
    Doubtful,
    /// Bad: six months to a year.
    Bad,
    /// Dead: over a year, the customer lost, or the debtor's assets gone.
    Dead,
}

impl RiskGrade {
    /// Every grade, best first.
    pub const ALL: [RiskGrade; 5] = [
        RiskGrade::NotDue,
        RiskGrade::Collecting,
        RiskGrade::Doubtful,
        RiskGrade::Bad,
        RiskGrade::Dead,
    ];

    /// The grade of an amount `age` days past due.
    pub fn of_age(age: i64) -> RiskGrade {
        match age {
            i64::MIN..=0 => RiskGrade::NotDue,
            1..=90 => RiskGrade::Collecting,
            91..=180 => RiskGrade::Doubtful,
            181..=365 => RiskGrade::Bad,
            _ => RiskGrade::Dead,
        }
    }

    /// How much of an amount left in this grade counts as lost in the ageing score.
    pub fn weight(self) -> f64 {
        match self {
            RiskGrade::NotDue => 0.0,
            RiskGrade::Collecting => 0.25,
            RiskGrade::Doubtful => 0.5,
            RiskGrade::Bad => 0.75,
            RiskGrade::Dead => 1.0,
        }
    }

    /// The snake_case name used in JSON and exports.
    pub fn key(self) -> &'static str {
        match self {
            RiskGrade::NotDue => "not_due",
            RiskGrade::Collecting => "collecting",
            RiskGrade::Doubtful => "doubtful",
            RiskGrade::Bad => "bad",
            RiskGrade::Dead => "dead",
        }
    }

    /// The course's name for it.
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            RiskGrade::NotDue => ("未收款", "Not yet due"),
            RiskGrade::Collecting => ("催收款", "Under collection"),
            RiskGrade::Doubtful => ("准呆账", "Doubtful"),
            RiskGrade::Bad => ("呆账", "Bad"),
            RiskGrade::Dead => ("死账", "Dead"),
        };
        locale.pick(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends() {
        let monday: Date = "2026-11-02".parse().unwrap();
        assert_eq!(date_of(monday, 0).to_string(), "2026-11-02");
        assert_eq!(date_of(monday, 4).to_string(), "2026-11-06");
        assert_eq!(date_of(monday, 5).to_string(), "2026-11-09");
        let saturday: Date = "2026-11-07".parse().unwrap();
        assert_eq!(workday_on_or_after(monday, saturday), Some(5));
        assert_eq!(
            workday_on_or_after(monday, "2026-11-04".parse().unwrap()),
            Some(2)
        );
        assert_eq!(
            workday_on_or_after(monday, "2026-10-30".parse().unwrap()),
            None
        );
    }

    #[test]
    fn stages_and_grades_follow_the_ladder() {
        assert_eq!(stage_of(-3), DebtStage::BeforeDue);
        assert_eq!(stage_of(5), DebtStage::DaysOverdue);
        assert_eq!(stage_of(45), DebtStage::OneMonth);
        assert_eq!(stage_of(400), DebtStage::OneYear);
        assert_eq!(RiskGrade::of_age(-1), RiskGrade::NotDue);
        assert_eq!(RiskGrade::of_age(90), RiskGrade::Collecting);
        assert_eq!(RiskGrade::of_age(91), RiskGrade::Doubtful);
        assert_eq!(RiskGrade::of_age(366), RiskGrade::Dead);
    }
}
