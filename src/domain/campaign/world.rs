//! The world moves when a day ends: statements come back, legal action pays out or comes too
//! late, promises fall due and are kept or broken, payments arrive or do not, debts age and
//! moods drift; at a week's start the debtors' events happen.

use rand::RngExt;

use super::calendar::{RiskGrade, WORKDAYS};
use super::desk::Desk;
use super::note::Note;
use super::state::{BrokenPromise, WeekSnapshot};
use crate::domain::content::model::EventKind;

impl Desk {
    fn chance(&mut self, percent: f64) -> bool {
        let r: f64 = self.state.rng.random_range(0.0..100.0);
        r < percent
    }

    /// Ends the working day.
    pub(super) fn end_day(&mut self) {
        for k in 0..self.state.accounts.len() {
            self.day_end_for(k);
        }
        self.state.day += 1;
        self.state.minutes_used = 0;
        if self.state.day.is_multiple_of(WORKDAYS) {
            self.snapshot();
            if !self.is_over() {
                self.start_week();
            }
        }
    }

    fn day_end_for(&mut self, k: usize) {
        let day = self.state.day;
        let today = self.today_offset();
        if self.state.accounts[k].balance() <= 0.005 {
            return;
        }
        // A reconciliation statement comes back (once someone who decides is there to sign;
        // a malicious debtor signs only sometimes: signing costs nothing when you mean to run).
        if self.state.accounts[k].contact_left
            && self.state.accounts[k].reconciliation_due == Some(day)
        {
            self.state.accounts[k].reconciliation_due = Some(day + 1);
        }
        if self.state.accounts[k].reconciliation_due == Some(day) {
            self.state.accounts[k].reconciliation_due = None;
            let malicious = self.campaign.accounts[k].behaviour.malicious.is_some();
            if malicious && !self.chance(50.0) {
                self.state.accounts[k].refused_reconciliation = true;
                self.note(Some(k), Note::ReconciliationRefused);
            } else {
                let a = &mut self.state.accounts[k];
                let released = a.disputed;
                a.disputed = 0.0;
                a.evidence.reconciliation.get_or_insert(day);
                let moved = self.campaign.accounts[k]
                    .behaviour
                    .moved_by
                    .contains(&crate::domain::content::model::Lever::Reconciliation);
                let a = &mut self.state.accounts[k];
                a.willingness = (a.willingness + if moved { 10 } else { 3 }).min(100);
                self.note(Some(k), Note::ReconciliationSigned { released });
            }
        }
        // The legal department acts.
        if self.state.accounts[k].legal_pays == Some(day) {
            self.state.accounts[k].legal_pays = None;
            self.legal_day(k);
        }
        let a = &self.state.accounts[k];
        if a.lost && a.handed_over.is_none() {
            return;
        }
        // Promises falling due.
        let contacted_lately = a
            .contacts
            .iter()
            .any(|c| c.reached && c.day + 3 >= day && c.day <= day);
        let due: Vec<usize> = (0..a.promises.len())
            .filter(|&i| a.promises[i].due <= day)
            .collect();
        let b = &self.campaign.accounts[k].behaviour;
        let (verbal_kept, written_kept) = (f64::from(b.verbal_kept), f64::from(b.written_kept));
        for i in due.into_iter().rev() {
            let p = self.state.accounts[k].promises.remove(i);
            let mut chance = if p.written { written_kept } else { verbal_kept };
            if contacted_lately && p.due > p.made + 1 {
                chance += 10.0;
            }
            if !self.state.accounts[k].cash && !p.plan {
                chance *= 0.3;
            }
            if self.chance(chance.min(100.0)) {
                let paid = self.state.accounts[k].pay(day, p.amount);
                if paid > 0.0 {
                    self.note(Some(k), Note::PromiseKept { amount: paid });
                }
                let a = &mut self.state.accounts[k];
                a.willingness = (a.willingness + 5).min(100);
            } else {
                let a = &mut self.state.accounts[k];
                a.broken.push(BrokenPromise {
                    day,
                    amount: p.amount,
                    followed: None,
                });
                a.willingness = (a.willingness - 5).max(0);
                self.note(Some(k), Note::PromiseBroken { amount: p.amount });
            }
        }
        if self.state.accounts[k].handed_over.is_some() || self.state.accounts[k].lost {
            return;
        }
        let malicious = self.campaign.accounts[k].behaviour.malicious.is_some();
        let a = &self.state.accounts[k];
        // Invoices falling due today: a reminded customer pays on time far more often.
        let tomorrow = self.offset_of(day + 1);
        let reminded = a.contacts.iter().any(|c| c.reached && c.day + 7 >= day)
            || a.evidence.letters.iter().any(|l| l.day + 7 >= day);
        let falling: f64 = a
            .invoices
            .iter()
            .filter(|i| (today..tomorrow).contains(&i.due_offset))
            .map(|i| i.amount - i.paid)
            .sum();
        let (w, cash) = (a.willingness, a.cash);
        let standing = !a.promises.is_empty();
        if falling > 0.005 && cash && !malicious && !standing {
            let chance = if reminded { w as f64 } else { w as f64 / 3.0 };
            if self.chance(chance) {
                let paid = self.state.accounts[k].pay(day, falling);
                self.note(Some(k), Note::Paid { amount: paid });
            }
        }
        // Paying of their own accord when pressed enough.
        let a = &self.state.accounts[k];
        let payable = (a.due_balance(today) - a.disputed).max(0.0);
        if payable > 0.005 && cash && !malicious && a.promises.is_empty() {
            let chance = ((w - 70) as f64 * 0.5).clamp(0.0, 15.0);
            if chance > 0.0 && self.chance(chance) {
                let paid = self.state.accounts[k].pay(day, payable);
                self.note(Some(k), Note::Paid { amount: paid });
            }
        }
        // Silence and age wear willingness down.
        let a = &mut self.state.accounts[k];
        let overdue = a.age(today).is_some_and(|age| age > 0);
        let quiet = a.last_contact().is_none_or(|c| c + 5 <= day);
        if overdue && quiet {
            a.willingness = (a.willingness - 1).max(0);
        }
        if let Some(age) = a.age(tomorrow)
            && age > 0
            && age / 30 > (age - (tomorrow - today)) / 30
        {
            a.willingness = (a.willingness - 3).max(0);
        }
    }

    fn legal_day(&mut self, k: usize) {
        let a = &self.state.accounts[k];
        if a.handed_over.is_none() {
            return;
        }
        if !a.evidence.enough_for_legal() {
            let a = &mut self.state.accounts[k];
            a.handed_over = None;
            self.note(Some(k), Note::LegalReturned);
            return;
        }
        if a.assets_moved {
            self.note(Some(k), Note::LegalTooLate);
            return;
        }
        let malicious = self.campaign.accounts[k].behaviour.malicious.is_some();
        // A customer sued who had the means pays most of the time; a malicious debtor whose
        // assets were frozen in time always does.
        if malicious || self.chance(70.0) {
            let day = self.state.day;
            let balance = self.state.accounts[k].balance();
            let paid = self.state.accounts[k].pay(day, balance);
            self.note(Some(k), Note::LegalRecovered { amount: paid });
        }
    }

    /// The ledger at the end of a week.
    fn snapshot(&mut self) {
        let week = self.state.day / WORKDAYS;
        let end = self.offset_of(self.state.day.saturating_sub(1));
        let collected: f64 = self
            .state
            .accounts
            .iter()
            .flat_map(|a| &a.payments)
            .map(|p| p.1)
            .sum();
        let mut by_grade = [0.0; 5];
        for a in &self.state.accounts {
            for inv in &a.invoices {
                let open = inv.amount - inv.paid;
                if open <= 0.005 {
                    continue;
                }
                let grade = if a.lost || a.assets_moved {
                    RiskGrade::Dead
                } else {
                    RiskGrade::of_age(end - inv.due_offset)
                };
                let i = RiskGrade::ALL.iter().position(|g| *g == grade).unwrap_or(4);
                by_grade[i] += open;
            }
        }
        self.state.weeks.push(WeekSnapshot {
            week,
            collected: (collected * 100.0).round() / 100.0 + 0.0,
            by_grade,
        });
    }

    /// The debtors' events at the start of the week.
    pub(super) fn start_week(&mut self) {
        let week = self.state.day / WORKDAYS + 1;
        for k in 0..self.state.accounts.len() {
            let events: Vec<EventKind> = self.campaign.accounts[k]
                .behaviour
                .events
                .iter()
                .filter(|e| e.week == week)
                .map(|e| e.kind)
                .collect();
            for kind in events {
                let a = &mut self.state.accounts[k];
                match kind {
                    EventKind::ClientPays => {
                        a.cash = true;
                        a.willingness = (a.willingness + 10).min(100);
                    }
                    EventKind::CashShort => a.cash = false,
                    EventKind::ContactLeaves => a.contact_left = true,
                }
                // Cash running short is not announced: the desk learns it from what they say.
                if kind != EventKind::CashShort {
                    self.note(Some(k), Note::Event { kind });
                }
            }
            if let Some(m) = &self.campaign.accounts[k].behaviour.malicious
                && m.assets_moved_week == week
                && self.state.accounts[k].legal_pays.is_none()
                && self.state.accounts[k].balance() > 0.005
            {
                self.state.accounts[k].assets_moved = true;
                self.note(Some(k), Note::AssetsMoved);
            }
        }
    }
}
