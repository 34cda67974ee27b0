//! The end of a campaign: cash collected (weighted by how early), the ageing of what is left,
//! the rhythm of contacts and letters, the evidence file per account, compliance, and the
//! turning points a review names.

use serde::{Deserialize, Serialize};

use super::action::{Addressees, LetterKind};
use super::calendar::{RiskGrade, WORKDAYS};
use super::desk::Desk;
use super::state::{ActionRecord, LogLine, WeekSnapshot};
use crate::domain::text::Locale;

/// The points of each part (they add up to 100).
pub const CASH_POINTS: f64 = 40.0;
/// Ageing points.
pub const AGEING_POINTS: f64 = 20.0;
/// Rhythm points.
pub const RHYTHM_POINTS: f64 = 20.0;
/// Evidence points.
pub const EVIDENCE_POINTS: f64 = 20.0;

/// The four parts of a campaign score, each out of its points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignScores {
    /// Cash collected, weighted by how early (of 40).
    pub cash: f64,
    /// The ageing of what is left (of 20).
    pub ageing: f64,
    /// Rhythm: contacts per week, letters on schedule, logs, follow-ups (of 20).
    pub rhythm: f64,
    /// The evidence file (of 20).
    pub evidence: f64,
    /// The total (0–100).
    pub total: f64,
}

/// One account at the end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountOutcome {
    /// The account id.
    pub id: String,
    /// The persona id.
    pub persona: String,
    /// What was owed.
    pub owed: f64,
    /// What was collected.
    pub collected: f64,
    /// What is left.
    pub left: f64,
    /// The risk grade of what is left (none when all is paid).
    pub grade: Option<RiskGrade>,
    /// Touches per week it was open, on average.
    pub touches_per_week: f64,
    /// The evidence items held: reconciliation, written promise or acknowledgement, letter
    /// with receipt, recorded confirmation.
    pub evidence: [bool; 4],
    /// Promises made and broken.
    pub promises_broken: u32,
    /// Handed over to legal.
    pub handed_over: bool,
    /// The customer was lost.
    pub lost: bool,
}

/// A turning point: a day the campaign turned on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurningPoint {
    /// The working day.
    pub day: u32,
    /// The date.
    pub date: String,
    /// The account id.
    pub account: Option<String>,
    /// What happened, in the campaign's locale.
    pub text: String,
    /// Good news (true) or a mistake or a loss (false).
    pub good: bool,
}

/// The result of a finished campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignResult {
    /// The campaign id.
    pub campaign: String,
    /// The seed.
    pub seed: u64,
    /// The locale tag.
    pub lang: String,
    /// The trainee.
    pub trainee: String,
    /// SHA-256 of the content played.
    pub content_hash: String,
    /// The scores.
    pub scores: CampaignScores,
    /// Whether it passed (score at or above the pass mark, and nothing unlawful).
    pub passed: bool,
    /// The pass mark.
    pub pass_mark: u32,
    /// Everything owed at the start.
    pub owed: f64,
    /// Everything collected.
    pub collected: f64,
    /// What is left, by risk grade, in [`RiskGrade::ALL`] order.
    pub left_by_grade: [f64; 5],
    /// Per account.
    pub accounts: Vec<AccountOutcome>,
    /// What broke the law.
    pub blockers: Vec<String>,
    /// The turning points, in order.
    pub turning_points: Vec<TurningPoint>,
    /// The ledger week by week.
    pub weeks: Vec<WeekSnapshot>,
    /// Every action, in order.
    pub actions: Vec<ActionRecord>,
    /// The desk log.
    pub log: Vec<LogLine>,
}

fn round1(v: f64) -> f64 {
    // `+ 0.0` turns an empty sum's -0.0 into 0.0, so nothing prints as "-0".
    (v * 10.0).round() / 10.0 + 0.0
}

impl Desk {
    /// The result, once the campaign is over.
    pub fn result(&self) -> Option<CampaignResult> {
        if !self.is_over() {
            return None;
        }
        let locale = self.locale();
        let length = self.length();
        let end = self.offset_of(length.saturating_sub(1));
        let weight = |day: u32| 1.0 - 0.5 * f64::from(day.min(length)) / f64::from(length);
        let (mut got, mut ideal, mut owed, mut lost_weight) = (0.0, 0.0, 0.0, 0.0);
        let mut left_by_grade = [0.0; 5];
        let mut accounts = Vec::new();
        let (mut cadence_sum, mut cadence_n) = (0.0, 0u32);
        let (mut letters_sum, mut letters_n) = (0.0, 0u32);
        let (mut logs_done, mut logs_n) = (0u32, 0u32);
        let (mut follow_sum, mut follow_n) = (0.0, 0u32);
        let (mut evidence_sum, mut evidence_weight) = (0.0, 0.0);
        for (k, a) in self.state.accounts.iter().enumerate() {
            let account_owed: f64 = a.invoices.iter().map(|i| i.amount).sum();
            owed += account_owed;
            for inv in &a.invoices {
                let due_day = self.workday_of_offset(inv.due_offset.max(0)).unwrap_or(0);
                if due_day < length {
                    ideal += inv.amount * weight(due_day);
                }
            }
            let collected: f64 = a.payments.iter().map(|p| p.1).sum();
            got += a.payments.iter().map(|p| p.1 * weight(p.0)).sum::<f64>();
            let grade = a.grade(end);
            for inv in &a.invoices {
                let open = inv.amount - inv.paid;
                if open <= 0.005 {
                    continue;
                }
                let g = if a.lost || a.assets_moved {
                    RiskGrade::Dead
                } else {
                    RiskGrade::of_age(end - inv.due_offset)
                };
                left_by_grade[RiskGrade::ALL.iter().position(|x| *x == g).unwrap_or(4)] += open;
                lost_weight += open * g.weight();
            }
            // A customer lost is half of what they were worth lost, whatever legal recovers:
            // the course counts the customer with the money (one year: both lost).
            if a.lost {
                lost_weight += 0.5 * account_owed;
            }
            // Rhythm: for each week the account was overdue and worked, touches against three.
            let mut weeks_open = 0u32;
            let mut touches_total = 0usize;
            for week in 0..self.campaign.weeks {
                let first = week * WORKDAYS;
                let open = self.open_at(k, first);
                if !open {
                    continue;
                }
                let touches = self.touches_in(k, first, first + WORKDAYS);
                weeks_open += 1;
                touches_total += touches;
                // Three touches a week is the rhythm; more than five to one customer is
                // pestering, not persistence, and earns nothing.
                cadence_sum += if touches > 5 {
                    0.0
                } else {
                    (touches.min(3) as f64) / 3.0
                };
                cadence_n += 1;
            }
            // Letters: on schedule, in order and to the people who decide.
            if let Some(score) = self.letter_schedule(k) {
                letters_sum += score;
                letters_n += 1;
            }
            // Logs after contact days.
            let mut contact_days: Vec<u32> = a.contacts.iter().map(|c| c.day).collect();
            contact_days.dedup();
            logs_n += contact_days.len() as u32;
            logs_done += contact_days
                .iter()
                .filter(|d| a.follow_ups.iter().any(|f| f.day == **d))
                .count() as u32;
            for b in &a.broken {
                follow_n += 1;
                follow_sum += match b.followed {
                    Some(d) if d <= b.day + 2 => 1.0,
                    Some(d) if d <= b.day + 5 => 0.5,
                    _ => 0.0,
                };
            }
            // Evidence, for accounts that were ever overdue and not paid on time.
            let items = a.evidence.items();
            let was_overdue = a.invoices.iter().any(|i| i.due_offset < end);
            if was_overdue {
                let held = items.iter().filter(|x| **x).count() as f64 / 4.0;
                evidence_sum += held * account_owed;
                evidence_weight += account_owed;
            }
            accounts.push(AccountOutcome {
                id: a.id.clone(),
                persona: self.campaign.accounts[k].persona.0.clone(),
                owed: account_owed,
                collected: round2(collected),
                left: round2(a.balance()),
                grade,
                touches_per_week: if weeks_open == 0 {
                    0.0
                } else {
                    round1(touches_total as f64 / f64::from(weeks_open))
                },
                evidence: items,
                promises_broken: a.broken.len() as u32,
                handed_over: a.handed_over.is_some(),
                lost: a.lost,
            });
        }
        let ratio = |sum: f64, n: f64| if n > 0.0 { sum / n } else { 1.0 };
        let cash = CASH_POINTS * (got / ideal.max(1.0)).min(1.0);
        let ageing = AGEING_POINTS * (1.0 - (lost_weight / owed.max(1.0)).min(1.0));
        let rhythm = RHYTHM_POINTS
            * (0.45 * ratio(cadence_sum, f64::from(cadence_n))
                + 0.2 * ratio(letters_sum, f64::from(letters_n))
                + 0.2 * ratio(f64::from(logs_done), f64::from(logs_n))
                + 0.15 * ratio(follow_sum, f64::from(follow_n)));
        let evidence = EVIDENCE_POINTS * ratio(evidence_sum, evidence_weight);
        let total = cash + ageing + rhythm + evidence;
        let scores = CampaignScores {
            cash: round1(cash),
            ageing: round1(ageing),
            rhythm: round1(rhythm),
            evidence: round1(evidence),
            total: round1(total),
        };
        let blockers: Vec<String> = self
            .state
            .blockers
            .iter()
            .map(|b| b.note.text(locale))
            .collect();
        let passed = blockers.is_empty() && scores.total >= f64::from(self.campaign.pass_mark);
        let collected = round2(accounts.iter().map(|a| a.collected).sum());
        Some(CampaignResult {
            campaign: self.state.campaign.clone(),
            seed: self.state.seed,
            lang: self.state.lang.clone(),
            trainee: self.state.trainee.clone(),
            content_hash: self.state.content_hash.clone(),
            passed,
            pass_mark: self.campaign.pass_mark,
            owed: round2(owed),
            collected,
            left_by_grade: left_by_grade.map(round2),
            accounts,
            blockers,
            turning_points: self.turning_points(locale),
            weeks: self.state.weeks.clone(),
            actions: self.state.actions.clone(),
            log: self.state.log.clone(),
            scores,
        })
    }

    /// Whether account `k` has something overdue at working day `day` and is still worked.
    fn open_at(&self, k: usize, day: u32) -> bool {
        let a = &self.state.accounts[k];
        let at = self.offset_of(day);
        let paid_before: f64 = a.payments.iter().filter(|p| p.0 < day).map(|p| p.1).sum();
        let due: f64 = a
            .invoices
            .iter()
            .filter(|i| i.due_offset < at)
            .map(|i| i.amount)
            .sum();
        let handed = a.handed_over.is_some_and(|h| h < day);
        due - paid_before > 0.005 && !handed && !a.lost
    }

    /// Touches (calls, messages, visits, letters) of account `k` in working days `from..to`.
    fn touches_in(&self, k: usize, from: u32, to: u32) -> usize {
        let id = &self.state.accounts[k].id;
        self.state
            .actions
            .iter()
            .filter(|r| (from..to).contains(&r.day))
            .filter(|r| r.action.is_touch() && r.action.account() == Some(id))
            .count()
    }

    /// How well account `k`'s letters kept the schedule (first 3–7 days before the due date,
    /// second within 15 days overdue, third within 30 and after the second) and went to the
    /// people who decide (half the credit for the contact alone); `None` when no letter was
    /// due in the campaign.
    pub(super) fn letter_schedule(&self, k: usize) -> Option<f64> {
        let a = &self.state.accounts[k];
        let length = self.length();
        let end = self.offset_of(length.saturating_sub(1));
        let due = a.invoices.iter().map(|i| i.due_offset).min()?;
        let letters = &a.evidence.letters;
        let age_at = |day: u32| self.offset_of(day) - due;
        let paid_at = |day: u32| {
            let paid: f64 = a.payments.iter().filter(|p| p.0 <= day).map(|p| p.1).sum();
            let owed: f64 = a.invoices.iter().map(|i| i.amount).sum();
            paid >= owed - 0.005
        };
        let mut expected = 0.0;
        let mut kept = 0.0;
        let sent = |kind: LetterKind| letters.iter().find(|l| l.kind == kind);
        // A letter to the contact alone is on the schedule but not to the people who decide:
        // half the credit.
        let to_whom = |l: &super::state::LetterSent| match l.to {
            Addressees::DecisionMakers => 1.0,
            Addressees::ContactOnly => 0.5,
        };
        // The first letter, when the due date falls in the campaign.
        if due >= 7 {
            expected += 1.0;
            if let Some(l) = sent(LetterKind::Reminder)
                && (3..=7).contains(&-age_at(l.day))
            {
                kept += to_whom(l);
            }
        }
        // The second, when the account was still unpaid 15 days after the due date.
        let day15 = self.workday_of_offset(due + 15);
        if due + 15 <= end && day15.is_none_or(|d| !paid_at(d)) {
            expected += 1.0;
            if let Some(l) = sent(LetterKind::Overdue)
                && (1..=15).contains(&age_at(l.day))
            {
                kept += to_whom(l);
            } else if let Some(l) = sent(LetterKind::Overdue)
                && age_at(l.day) > 15
            {
                kept += 0.5 * to_whom(l);
            }
        }
        // The third, when unpaid 30 days after the due date and no handover yet.
        let day30 = self.workday_of_offset(due + 30);
        if due + 30 <= end && day30.is_none_or(|d| !paid_at(d)) {
            expected += 1.0;
            if a.handed_over.is_some() {
                kept += 1.0;
            } else if let Some(l) = sent(LetterKind::Legal) {
                kept += to_whom(l);
            }
        }
        // A legal letter out of order undoes the schedule.
        let out_of_order = letters.iter().any(|l| {
            l.kind == LetterKind::Legal
                && (age_at(l.day) < 15
                    || !letters
                        .iter()
                        .any(|o| o.kind == LetterKind::Overdue && o.day <= l.day))
        });
        if out_of_order {
            return Some(0.0);
        }
        (expected > 0.0).then(|| kept / expected)
    }

    /// The days the campaign turned on, in order.
    fn turning_points(&self, locale: Locale) -> Vec<TurningPoint> {
        use super::note::Note;
        let mut out = Vec::new();
        let length = self.length();
        for line in &self.state.log {
            let account = line.account.map(|k| self.state.accounts[k].id.clone());
            let name = line
                .account
                .map(|k| self.account_name(k))
                .unwrap_or_default();
            let date = self.date_of(line.day).to_string();
            let mut push = |text: String, good: bool| {
                out.push(TurningPoint {
                    day: line.day,
                    date: date.clone(),
                    account: account.clone(),
                    text,
                    good,
                });
            };
            match &line.note {
                Note::PromiseBroken { amount } => {
                    let k = line.account.unwrap_or(0);
                    let next = self.state.accounts[k]
                        .contacts
                        .iter()
                        .map(|c| c.day)
                        .find(|d| *d > line.day)
                        .or_else(|| {
                            self.state.accounts[k]
                                .evidence
                                .letters
                                .iter()
                                .map(|l| l.day)
                                .find(|d| *d > line.day)
                        });
                    let money = crate::domain::engine::format::amount(*amount, "CNY", locale);
                    // Interface wording: zh-TW reads the Simplified text (see `Locale::pick`).
                    let text = match (next, locale) {
                        (Some(d), Locale::ZhCn | Locale::ZhTw) if d <= line.day + 2 => {
                            format!("{name}：承诺的{money}没到账，你第{}天就跟进了。", d + 1)
                        }
                        (Some(d), Locale::En) if d <= line.day + 2 => format!(
                            "{name}: the promise of {money} broke and you followed up on day {}.",
                            d + 1
                        ),
                        (Some(d), Locale::ZhCn | Locale::ZhTw) => {
                            format!("{name}：承诺的{money}没到账，你直到第{}天才再联系。", d + 1)
                        }
                        (Some(d), Locale::En) => format!(
                            "{name}: the promise of {money} broke and you did not call until day {}.",
                            d + 1
                        ),
                        (None, Locale::ZhCn | Locale::ZhTw) => {
                            format!("{name}：承诺的{money}没到账，之后再没有跟进。")
                        }
                        (None, Locale::En) => format!(
                            "{name}: the promise of {money} broke and you never followed up."
                        ),
                    };
                    let good = next.is_some_and(|d| d <= line.day + 2);
                    push(text, good);
                }
                Note::WentSilent
                | Note::Backfired { .. }
                | Note::CustomerLost
                | Note::AssetsMoved
                | Note::LegalTooLate
                | Note::LegalReturned
                | Note::Harassment
                | Note::ToTheirCustomers
                | Note::ConversationViolation { .. } => {
                    push(
                        format!("{name}{}{}", sep(locale), line.note.text(locale)),
                        false,
                    );
                }
                Note::PromiseKept { .. }
                | Note::LegalRecovered { .. }
                | Note::ReconciliationSigned { .. } => {
                    push(
                        format!("{name}{}{}", sep(locale), line.note.text(locale)),
                        true,
                    );
                }
                Note::Paid { .. } if line.day < length => {
                    push(
                        format!("{name}{}{}", sep(locale), line.note.text(locale)),
                        true,
                    );
                }
                _ => {}
            }
        }
        // Long silences with an overdue account.
        for (k, _) in self.state.accounts.iter().enumerate() {
            let mut days: Vec<u32> = self.state.accounts[k]
                .contacts
                .iter()
                .map(|c| c.day)
                .collect();
            days.insert(0, 0);
            days.push(length);
            for pair in days.windows(2) {
                let (from, to) = (pair[0], pair[1]);
                if to >= from + 10 && self.open_at(k, from) && self.open_at(k, to.min(length - 1)) {
                    let name = self.account_name(k);
                    let text = match locale {
                        Locale::ZhCn | Locale::ZhTw => format!(
                            "{name}：逾期中，却从第{}天到第{}天没有任何联系。",
                            from + 1,
                            to.min(length)
                        ),
                        Locale::En => format!(
                            "{name}: overdue, and not a single contact from day {} to day {}.",
                            from + 1,
                            to.min(length)
                        ),
                    };
                    out.push(TurningPoint {
                        day: from,
                        date: self.date_of(from).to_string(),
                        account: Some(self.state.accounts[k].id.clone()),
                        text,
                        good: false,
                    });
                }
            }
        }
        out.sort_by_key(|t| t.day);
        out
    }

    /// The debtor's company name in `locale`, or the account id.
    pub fn account_name(&self, k: usize) -> String {
        self.people
            .get(k)
            .map(|p| p.company.clone())
            .unwrap_or_else(|| self.state.accounts[k].id.clone())
    }
}

fn sep(locale: Locale) -> &'static str {
    locale.pick("：", ": ")
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0 + 0.0
}
