//! What one action does to an account by the rules: whether anyone answers, what they say,
//! what the levers do, and what an authored conversation leaves behind.

use rand::RngExt;

use super::action::{Action, Addressees, Colleague, LetterKind};
use super::desk::Desk;
use super::note::Note;
use super::state::{ContactRecord, FollowUp, LetterSent, PendingConversation, Promise};
use crate::domain::content::model::{Contact, Lever, Outcome};
use crate::domain::engine::AttemptResult;

/// Working days from a promise to its date.
const PROMISE_DAYS: u32 = 3;

impl Desk {
    fn roll(&mut self, percent: i32) -> bool {
        let r: i32 = self.state.rng.random_range(0..100);
        r < percent
    }

    fn moved_by(&self, k: usize, lever: Lever) -> bool {
        self.campaign.accounts[k]
            .behaviour
            .moved_by
            .contains(&lever)
    }

    fn put_off_by(&self, k: usize, lever: Lever) -> bool {
        self.campaign.accounts[k]
            .behaviour
            .put_off_by
            .contains(&lever)
    }

    fn is_malicious(&self, k: usize) -> bool {
        self.campaign.accounts[k].behaviour.malicious.is_some()
    }

    /// Raises willingness by `gain` (twice as much through a lever that moves them).
    fn gain(&mut self, k: usize, gain: i32, lever: Option<Lever>) {
        let g = if lever.is_some_and(|l| self.moved_by(k, l)) {
            gain * 2
        } else {
            gain
        };
        let cap = if self.is_malicious(k) { 20 } else { 100 };
        let a = &mut self.state.accounts[k];
        a.willingness = (a.willingness + g).clamp(0, cap.max(a.willingness));
    }

    /// A lever they take badly: goodwill and willingness drop; below 20 goodwill the
    /// customer is lost.
    fn backfire(&mut self, k: usize, lever: Lever) {
        self.note(Some(k), Note::Backfired { lever });
        let a = &mut self.state.accounts[k];
        a.goodwill -= 30;
        a.willingness = (a.willingness - 15).max(0);
        if a.goodwill < 20 && !a.lost {
            a.lost = true;
            a.promises.clear();
            self.note(Some(k), Note::CustomerLost);
        }
    }

    /// Records a touch; a third call, message or visit to one account in a day is harassment.
    fn touch(&mut self, k: usize, reached: bool) {
        let day = self.state.day;
        let today = self.state.accounts[k]
            .contacts
            .iter()
            .filter(|c| c.day == day)
            .count();
        let a = &mut self.state.accounts[k];
        a.contacts.push(ContactRecord { day, reached });
        a.unlogged = Some(day);
        for b in a.broken.iter_mut().filter(|b| b.followed.is_none()) {
            b.followed = Some(day);
        }
        if today >= 2 {
            self.blocker(Some(k), Note::Harassment);
        }
    }

    /// Whether a call or message gets through to someone who decides.
    fn reaches(&mut self, k: usize) -> bool {
        let a = &self.state.accounts[k];
        if a.contact_left {
            self.note(Some(k), Note::NobodyThere);
            return false;
        }
        if a.silent {
            self.note(Some(k), Note::Unanswered);
            return false;
        }
        let reach = self.campaign.accounts[k].behaviour.reach as i32;
        if self.roll(reach) {
            self.state.accounts[k].unanswered = 0;
            return true;
        }
        self.note(Some(k), Note::Unanswered);
        let silent_after = self.campaign.accounts[k].behaviour.silent_after;
        let a = &mut self.state.accounts[k];
        a.unanswered += 1;
        if silent_after.is_some_and(|n| a.unanswered >= n) && !a.silent {
            a.silent = true;
            self.note(Some(k), Note::WentSilent);
        }
        false
    }

    /// What they could pay now and when: the due balance less what is disputed, by the next
    /// few days; before anything is due, the next invoice by its due date.
    fn payable(&self, k: usize) -> Option<(f64, u32)> {
        let a = &self.state.accounts[k];
        let today = self.today_offset();
        let due = (a.due_balance(today) - a.disputed).max(0.0);
        if due > 0.005 {
            return Some((due, self.state.day + PROMISE_DAYS));
        }
        let next = a
            .invoices
            .iter()
            .filter(|i| i.amount - i.paid > 0.005 && i.due_offset > today)
            .min_by_key(|i| i.due_offset)?;
        let day = self.workday_of_offset(next.due_offset)?;
        Some((next.amount - next.paid, day))
    }

    fn promise(&mut self, k: usize, amount: f64, due: u32, written: bool) {
        self.promise_of(k, amount, due, written, false);
    }

    /// Two instalments: half in a week, the rest in three.
    fn instalments(&mut self, k: usize, amount: f64, written: bool) {
        let half = (amount / 2.0 * 100.0).round() / 100.0;
        let day = self.state.day;
        self.promise_of(k, half, day + 5, written, true);
        self.promise_of(k, amount - half, day + 15, written, true);
    }

    fn promise_of(&mut self, k: usize, amount: f64, due: u32, written: bool, plan: bool) {
        let amount = (amount * 100.0).round() / 100.0;
        let made = self.state.day;
        let date = self.date_of(due).to_string();
        let a = &mut self.state.accounts[k];
        a.promises.push(Promise {
            amount,
            due,
            written,
            made,
            plan,
        });
        if written {
            a.evidence.written_promise.get_or_insert(made);
        }
        self.note(
            Some(k),
            Note::Promised {
                amount,
                due: date,
                written,
            },
        );
    }

    /// Someone who decides is on the line (or in the room): what they agree to.
    fn ask_for_payment(&mut self, k: usize, visit: bool) {
        if !self.state.accounts[k].promises.is_empty() {
            self.note(Some(k), Note::PromiseReaffirmed);
            return;
        }
        let Some((amount, due)) = self.payable(k) else {
            self.note(Some(k), Note::PutOff);
            return;
        };
        let b = &self.campaign.accounts[k].behaviour;
        let (instalments, malicious) = (b.instalments, b.malicious.is_some());
        let a = &self.state.accounts[k];
        let (cash, w, disputed) = (a.cash, a.willingness, a.disputed);
        if disputed > 0.005 && a.evidence.reconciliation.is_none() {
            self.note(Some(k), Note::Disputes { amount: disputed });
        }
        if malicious {
            if self.roll(50) {
                self.promise(k, amount, due, false);
            } else {
                self.note(Some(k), Note::PutOff);
            }
            return;
        }
        if !cash {
            if instalments && w >= 30 {
                self.instalments(k, amount, visit);
            } else {
                self.note(Some(k), Note::NoCash);
            }
            return;
        }
        let threshold = if visit { 35 } else { 55 };
        if w >= threshold {
            self.promise(k, amount, due, visit);
        } else if w >= 30 {
            self.note(Some(k), Note::PutOff);
        } else {
            self.note(Some(k), Note::Refused);
        }
    }

    /// Applies a non-ending action to account `k`; returns a conversation to play, if any.
    pub(super) fn act(&mut self, k: usize, action: &Action) -> Option<PendingConversation> {
        match action {
            Action::Call { .. } => {
                let reached = self.reaches(k);
                self.touch(k, reached);
                if !reached {
                    return None;
                }
                let weekly = self.touches_this_week(k);
                self.gain(k, if weekly > 3 { 2 } else { 4 }, None);
                if let Some(pending) = self.conversation(k, Contact::Call) {
                    return Some(pending);
                }
                self.ask_for_payment(k, false);
            }
            Action::Visit { .. } => {
                let a = &mut self.state.accounts[k];
                a.silent = false;
                a.unanswered = 0;
                self.touch(k, true);
                if self.put_off_by(k, Lever::Visit) {
                    self.backfire(k, Lever::Visit);
                    return None;
                }
                self.gain(k, 8, Some(Lever::Visit));
                self.warning_sign(k);
                if let Some(pending) = self.conversation(k, Contact::Visit) {
                    return Some(pending);
                }
                self.ask_for_payment(k, true);
            }
            Action::Message { .. } => {
                let reached = self.reaches(k);
                self.touch(k, reached);
                if !reached {
                    return None;
                }
                self.gain(k, 2, None);
                let verbal = self.state.accounts[k]
                    .promises
                    .iter()
                    .position(|p| !p.written);
                match verbal {
                    Some(i) if !self.is_malicious(k) && self.roll(75) => {
                        let day = self.state.day;
                        let a = &mut self.state.accounts[k];
                        a.promises[i].written = true;
                        a.evidence.written_promise.get_or_insert(day);
                        let (amount, due) = (a.promises[i].amount, a.promises[i].due);
                        let due = self.date_of(due).to_string();
                        self.note(Some(k), Note::ConfirmedInWriting { amount, due });
                    }
                    _ if self.roll(50) => {
                        let day = self.state.day;
                        let a = &mut self.state.accounts[k];
                        a.evidence.acknowledged.get_or_insert(day);
                        let amount = a.balance();
                        self.note(Some(k), Note::Acknowledged { amount });
                    }
                    _ => self.note(Some(k), Note::Reminded),
                }
            }
            Action::Letter { kind, to, .. } => {
                if *kind == LetterKind::TheirCustomers {
                    self.blocker(Some(k), Note::ToTheirCustomers);
                    return None;
                }
                let out_of_order = self.letter_out_of_order(k, *kind);
                let day = self.state.day;
                let a = &mut self.state.accounts[k];
                a.evidence.letters.push(LetterSent {
                    kind: *kind,
                    day,
                    to: *to,
                });
                a.unlogged = Some(day);
                for b in a.broken.iter_mut().filter(|b| b.followed.is_none()) {
                    b.followed = Some(day);
                }
                self.note(
                    Some(k),
                    Note::LetterSent {
                        kind: *kind,
                        to: *to,
                    },
                );
                let lever = if *kind == LetterKind::Legal {
                    Lever::LegalLetter
                } else {
                    Lever::Letter
                };
                // A letter the boss and finance never see moves the account less.
                let weight = match (lever, to) {
                    (Lever::LegalLetter, Addressees::DecisionMakers) => 8,
                    (Lever::LegalLetter, Addressees::ContactOnly) => 4,
                    (_, Addressees::DecisionMakers) => 5,
                    (_, Addressees::ContactOnly) => 2,
                };
                if self.put_off_by(k, lever) && (out_of_order || lever == Lever::Letter) {
                    self.backfire(k, lever);
                } else if !out_of_order {
                    self.gain(k, weight, Some(lever));
                }
            }
            Action::Reconcile { .. } => {
                self.state.accounts[k].reconciliation_due = Some(self.state.day + 2);
                self.note(Some(k), Note::ReconciliationSent);
            }
            Action::Colleague { who, .. } => self.colleague(k, *who),
            Action::StopSupply { .. } => {
                self.state.accounts[k].supply_stopped = Some(self.state.day);
                self.note(Some(k), Note::SupplyStopped);
                if self.put_off_by(k, Lever::StopSupply) {
                    self.backfire(k, Lever::StopSupply);
                } else {
                    self.gain(k, 6, Some(Lever::StopSupply));
                }
            }
            Action::HandOver { .. } => self.hand_over(k),
            Action::Log { next, in_days, .. } => {
                let day = self.state.day;
                let due = day + in_days;
                let date = self.date_of(due).to_string();
                let a = &mut self.state.accounts[k];
                a.unlogged = None;
                let promise = !a.promises.is_empty();
                a.follow_ups.push(FollowUp {
                    day,
                    next: *next,
                    due,
                    promise,
                });
                self.note(
                    Some(k),
                    Note::Logged {
                        next: *next,
                        due: date,
                    },
                );
            }
            Action::EndDay => {}
        }
        None
    }

    /// Within two weeks of a malicious debtor moving its assets, a visit or the sales
    /// colleague sees the warehouse being emptied.
    fn warning_sign(&mut self, k: usize) {
        let Some(moves) = self.campaign.accounts[k]
            .behaviour
            .malicious
            .as_ref()
            .map(|m| m.assets_moved_week)
        else {
            return;
        };
        let week = self.state.day / 5 + 1;
        if !self.state.accounts[k].warning_seen && week + 2 >= moves && week < moves {
            self.state.accounts[k].warning_seen = true;
            self.note(Some(k), Note::AssetsMoving);
        }
    }

    fn colleague(&mut self, k: usize, who: Colleague) {
        match who {
            Colleague::Sales => {
                let successor = self.state.accounts[k].contact_left;
                self.state.accounts[k].contact_left = false;
                if successor {
                    self.note(Some(k), Note::SalesHelped { successor });
                    return;
                }
                if self.moved_by(k, Lever::Sales) {
                    self.gain(k, 3, Some(Lever::Sales));
                    self.note(Some(k), Note::SalesHelped { successor });
                } else {
                    self.note(Some(k), Note::ColleagueAsked { who });
                }
                self.warning_sign(k);
            }
            Colleague::Manager => {
                if self.put_off_by(k, Lever::Manager) {
                    self.backfire(k, Lever::Manager);
                    return;
                }
                let a = &mut self.state.accounts[k];
                a.silent = false;
                a.unanswered = 0;
                self.gain(k, 4, Some(Lever::Manager));
                self.note(Some(k), Note::ManagerEscalated);
            }
            Colleague::Legal => {
                let enough = self.state.accounts[k].evidence.enough_for_legal();
                self.note(Some(k), Note::LegalAdvice { enough });
            }
        }
    }

    fn hand_over(&mut self, k: usize) {
        let day = self.state.day;
        self.note(Some(k), Note::HandedOver);
        let a = &mut self.state.accounts[k];
        a.handed_over = Some(day);
        a.promises.clear();
        a.reconciliation_due = None;
        if !a.evidence.enough_for_legal() {
            // Checked by the legal department in two days; see the world's day end.
            a.legal_pays = Some(day + 2);
            return;
        }
        let malicious = self.is_malicious(k);
        if malicious {
            let a = &mut self.state.accounts[k];
            a.legal_pays = Some(day + 10);
        } else {
            // A lawsuit against a customer who would have paid ends the relationship.
            let a = &mut self.state.accounts[k];
            a.lost = true;
            a.legal_pays = Some(day + 15);
            self.note(Some(k), Note::CustomerLost);
        }
    }

    fn touches_this_week(&self, k: usize) -> usize {
        let week = self.state.day / 5;
        self.state.accounts[k]
            .contacts
            .iter()
            .filter(|c| c.day / 5 == week)
            .count()
    }

    fn conversation(&mut self, k: usize, contact: Contact) -> Option<PendingConversation> {
        let scenario = self.authored(k, contact)?;
        let seed = self.conversation_seed(k);
        self.state.accounts[k].played.push(scenario.clone());
        Some(PendingConversation {
            account: k,
            scenario,
            seed,
            contact,
        })
    }

    /// What a finished conversation leaves on the account.
    pub(super) fn conversation_outcome(
        &mut self,
        k: usize,
        contact: Contact,
        result: &AttemptResult,
    ) {
        self.note(
            Some(k),
            Note::Conversation {
                scenario: result.scenario.clone(),
                outcome: result.outcome,
                score: (result.scores.overall * 10.0).round() / 10.0,
                passed: result.passed,
            },
        );
        let visit = contact == Contact::Visit;
        self.gain(k, if result.passed { 10 } else { -5 }, None);
        if result.scores.tone < 50.0 {
            self.state.accounts[k].goodwill -= 10;
        }
        let held = result.evidence.len();
        let total = held + result.evidence_missed.len();
        if total > 0 && held * 2 >= total {
            let day = self.state.day;
            self.state.accounts[k].evidence.recorded.get_or_insert(day);
        }
        let day = self.state.day;
        let payable = self.payable(k);
        match result.outcome {
            Outcome::Paid => {
                if let Some((amount, _)) = payable {
                    let paid = self.state.accounts[k].pay(day, amount);
                    self.note(Some(k), Note::Paid { amount: paid });
                }
            }
            Outcome::WrittenPromise => {
                if let Some((amount, due)) = payable {
                    self.promise(k, amount, due, true);
                }
            }
            Outcome::InstalmentPlan => {
                if let Some((amount, _)) = payable {
                    self.instalments(k, amount, true);
                }
            }
            Outcome::VerbalPromise => {
                if let Some((amount, due)) = payable {
                    self.promise(k, amount, due, visit);
                }
            }
            Outcome::PartialPayment => {
                if let Some((amount, _)) = payable {
                    let part = (amount * 0.3 * 100.0).round() / 100.0;
                    let paid = self.state.accounts[k].pay(day, part);
                    self.note(Some(k), Note::Paid { amount: paid });
                    self.promise(k, amount - paid, day + 8, false);
                }
            }
            Outcome::Escalated => self.gain(k, 5, None),
            Outcome::Refused => self.gain(k, -5, None),
            Outcome::HungUp => self.state.accounts[k].goodwill -= 5,
            Outcome::Violation => {}
        }
    }
}
