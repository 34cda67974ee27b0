//! A conversation in progress: start it, list the choices, choose, get events, save and
//! restore it, and read the scored result with its per-turn debrief.

use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::compiled::{Compiled, Cond, State, StepInfo};
use super::format;
use crate::domain::content::model::{Choice, Condition, Id, Node, Severity, Tone};
use crate::domain::engine::scoring::{ScoreSheet, judge_turn, passes};
use crate::domain::text::{Locale, Text, render_template};

use super::draw::draw;
pub use super::draw::shown_order;
pub use super::error::PlayError;
pub use super::record::{
    Alternative, AttemptResult, ChoiceView, DebriefTurn, DrawnTruth, Event, Speaker,
    TranscriptEntry, TurnRecord, ViolationRecord,
};

/// Options for starting a session beyond scenario, seed and locale.
#[derive(Clone, Debug, Default)]
pub struct Setup {
    /// Preparation ids the trainee ticked.
    pub prepared: Vec<String>,
    /// The trainee's name for `{trainee}` (defaults to a generic name per locale).
    pub trainee: Option<String>,
    /// Drawn-truth variant ids to fix instead of drawing them from the seed (golden
    /// playthroughs, a trainer demonstrating one case); draws not named are drawn as usual.
    pub truths: Vec<String>,
}

/// A conversation in progress.
#[derive(Clone, Debug)]
pub struct Session {
    content: Arc<Compiled>,
    seed: u64,
    locale: Locale,
    trainee: String,
    prepared: Vec<usize>,
    rng: Pcg64Mcg,
    state: State,
    sheet: ScoreSheet,
    turns: Vec<TurnRecord>,
    transcript: Vec<TranscriptEntry>,
    violations: Vec<ViolationRecord>,
    last_line: String,
}

/// Everything needed to resume a session exactly where it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    /// Format version of this record.
    pub version: u32,
    /// The scenario id.
    pub scenario: String,
    /// SHA-256 of the content it was played on; restore refuses other content.
    pub content_hash: String,
    /// The seed.
    pub seed: u64,
    /// The locale tag.
    pub lang: String,
    /// The trainee's name.
    pub trainee: String,
    /// Preparation indices.
    pub prepared: Vec<usize>,
    /// The generator, mid-stream.
    pub rng: Pcg64Mcg,
    /// The rules state.
    pub state: State,
    /// Running scores.
    pub sheet: ScoreSheet,
    /// Turns so far.
    pub turns: Vec<TurnRecord>,
    /// Transcript so far.
    pub transcript: Vec<TranscriptEntry>,
    /// Violations so far.
    pub violations: Vec<ViolationRecord>,
    /// The debtor's last line.
    pub last_line: String,
}

/// The name the debtor uses for a trainee who gave none.
pub fn default_trainee(locale: Locale) -> &'static str {
    locale.pick("小李", "Alex")
}

/// Starts a conversation with default setup: nothing prepared, a generic trainee name.
pub fn start(
    content: &Arc<Compiled>,
    seed: u64,
    locale: Locale,
) -> Result<(Session, Vec<Event>), PlayError> {
    Session::start(content, seed, locale, Setup::default())
}

impl Session {
    /// Starts a conversation. Returns the session and the opening events.
    pub fn start(
        content: &Arc<Compiled>,
        seed: u64,
        locale: Locale,
        setup: Setup,
    ) -> Result<(Session, Vec<Event>), PlayError> {
        let sc = &content.scenario;
        if !sc
            .locales
            .iter()
            .any(|l| Locale::from_tag(l) == Some(locale))
        {
            return Err(PlayError::UnsupportedLocale {
                scenario: sc.id.0.clone(),
                locale: locale.tag().to_owned(),
                supported: sc.locales.clone(),
            });
        }
        let mut prepared = Vec::new();
        for id in &setup.prepared {
            let i = sc
                .preparation
                .items
                .iter()
                .position(|p| p.id.0 == *id)
                .ok_or_else(|| PlayError::UnknownPrep {
                    id: id.clone(),
                    items: sc
                        .preparation
                        .items
                        .iter()
                        .map(|p| p.id.0.clone())
                        .collect(),
                })?;
            if !prepared.contains(&i) {
                prepared.push(i);
            }
        }
        if let Some(budget) = sc.preparation.budget
            && prepared.len() > budget as usize
        {
            return Err(PlayError::OverBudget {
                budget,
                given: prepared.len(),
            });
        }
        prepared.sort_unstable();
        let trainee = setup
            .trainee
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| default_trainee(locale).to_owned());
        let drawn = draw(content, seed, &setup.truths)?;
        let state = content.initial_state(&prepared, &drawn);
        let mut session = Session {
            content: Arc::clone(content),
            seed,
            locale,
            trainee,
            prepared,
            rng: Pcg64Mcg::seed_from_u64(seed),
            state,
            sheet: ScoreSheet::default(),
            turns: Vec::new(),
            transcript: Vec::new(),
            violations: Vec::new(),
            last_line: String::new(),
        };
        let mut events = Vec::new();
        session.arrive(&StepInfo::default(), &mut events);
        Ok((session, events))
    }

    /// The compiled content this session plays.
    pub fn content(&self) -> &Arc<Compiled> {
        &self.content
    }

    /// The session's locale.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The trainee's name as used in the dialogue.
    pub fn trainee(&self) -> &str {
        &self.trainee
    }

    /// The rules state (mood, patience, evidence…).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The transcript so far.
    pub fn transcript(&self) -> &[TranscriptEntry] {
        &self.transcript
    }

    /// Trainee turns taken.
    pub fn turn(&self) -> u32 {
        self.state.turn
    }

    /// The debtor's most recent line.
    pub fn last_line(&self) -> &str {
        &self.last_line
    }

    /// Whether the conversation has ended.
    pub fn is_ended(&self) -> bool {
        self.content.is_ended(&self.state)
    }

    /// The current node's id.
    pub fn node_id(&self) -> &str {
        self.content.scenario.nodes[self.state.node].id().as_str()
    }

    /// The choices to show now, in the order drawn for this turn from the seed (see
    /// [`shown_order`]): available ones numbered 1…n as shown, and locked ones the content
    /// asks to show, with the reason.
    pub fn choices(&self) -> Vec<ChoiceView> {
        let Node::Debtor(node) = &self.content.scenario.nodes[self.state.node] else {
            return Vec::new();
        };
        let compiled = &self.content.nodes[self.state.node];
        let mut number = 0;
        let mut out = Vec::new();
        for i in shown_order(
            self.seed,
            self.state.turn,
            self.state.node,
            node.choices.len(),
        ) {
            let choice = &node.choices[i];
            let available = compiled.choices[i]
                .when
                .iter()
                .all(|c| c.holds(&self.state));
            if !available && !choice.show_locked {
                continue;
            }
            if available {
                number += 1;
            }
            out.push(ChoiceView {
                id: choice.id.0.clone(),
                number: available.then_some(number),
                text: self.render(&choice.text),
                tone: choice.tone,
                available,
                locked_reason: (!available).then(|| self.locked_reason(choice, i)),
            });
        }
        out
    }

    /// Chooses by 1-based option number, as shown by [`Session::choices`].
    pub fn choose_number(&mut self, number: usize) -> Result<Vec<Event>, PlayError> {
        let available: Vec<ChoiceView> =
            self.choices().into_iter().filter(|c| c.available).collect();
        let pick = number.checked_sub(1).and_then(|i| available.get(i)).ok_or(
            PlayError::NoSuchOption {
                number,
                count: available.len(),
            },
        )?;
        let id = pick.id.clone();
        self.choose(&id)
    }

    /// Says the choice with id `id` and returns what happened.
    pub fn choose(&mut self, id: &str) -> Result<Vec<Event>, PlayError> {
        if self.is_ended() {
            return Err(PlayError::Ended);
        }
        let node_ix = self.state.node;
        let Node::Debtor(node) = &self.content.scenario.nodes[node_ix] else {
            return Err(PlayError::Ended);
        };
        let available = self.content.available(&self.state);
        let Some(ci) = node.choices.iter().position(|c| c.id.0 == id) else {
            return Err(PlayError::UnknownChoice {
                id: id.to_owned(),
                available: available
                    .iter()
                    .map(|&i| node.choices[i].id.0.clone())
                    .collect(),
            });
        };
        if available.is_empty() {
            return Err(PlayError::DeadEnd {
                node: node.id.0.clone(),
            });
        }
        if !available.contains(&ci) {
            return Err(PlayError::ChoiceLocked {
                id: id.to_owned(),
                reason: self.locked_reason(&node.choices[ci], ci),
            });
        }
        let content = Arc::clone(&self.content);
        let Node::Debtor(node) = &content.scenario.nodes[node_ix] else {
            return Err(PlayError::Ended);
        };
        let choice = &node.choices[ci];
        let compiled = &content.nodes[node_ix].choices[ci];
        let judgement = judge_turn(&content, &self.state, &available, ci);
        let turn = self.state.turn + 1;
        let said = self.render(&choice.text);
        let mut events = vec![Event::TraineeSaid {
            choice: choice.id.0.clone(),
            text: said.clone(),
            tone: choice.tone,
        }];
        self.transcript.push(TranscriptEntry {
            speaker: Speaker::Trainee,
            text: said.clone(),
            node: node.id.0.clone(),
            choice: Some(choice.id.0.clone()),
        });
        // A better line that only preparation would have unlocked says so, or the trainee
        // looks for it among the options.
        let better = (!judgement.was_best).then(|| {
            let best = &node.choices[judgement.best_choice];
            let text = self.render(&best.text);
            if available.contains(&judgement.best_choice) {
                text
            } else {
                format!(
                    "{text}{}{}{}",
                    self.locale.pick("（", " ("),
                    self.preparation_hint(best),
                    self.locale.pick("）", ")")
                )
            }
        });
        events.push(Event::Feedback {
            turn,
            text: self.render(&choice.feedback.text),
            principle: choice.feedback.principle.as_ref().map(|p| self.render(p)),
            course: choice.feedback.course.clone(),
            was_best: judgement.was_best,
            better,
        });
        if let Some(v) = &choice.violation {
            events.push(Event::Violation {
                rule: v.rule,
                severity: v.severity,
                explanation: self.render(&v.explanation),
            });
            self.violations.push(ViolationRecord {
                rule: v.rule,
                severity: v.severity,
                turn,
                choice: choice.id.0.clone(),
            });
        }
        self.sheet.add_turn(
            &judgement,
            compiled.violation.map_or(0.0, |s| s.penalty()),
            compiled.is_blocker(),
        );
        let debtor = self.last_line.clone();
        let info = content.step(&mut self.state, ci);
        self.sheet.evidence_points += i64::from(info.evidence_points);
        self.turns.push(TurnRecord {
            turn,
            node: node.id.0.clone(),
            debtor,
            choice: choice.id.0.clone(),
            said,
            judgement,
            gained: info
                .gained
                .iter()
                .map(|&g| content.scenario.evidence[g].id.0.clone())
                .collect(),
            mood: info.mood,
        });
        self.arrive(&info, &mut events);
        Ok(events)
    }

    /// Emits the consequences of a step and the new node's line.
    fn arrive(&mut self, info: &StepInfo, events: &mut Vec<Event>) {
        let content = Arc::clone(&self.content);
        let sc = &content.scenario;
        if info.mood.0 != info.mood.1 {
            events.push(Event::MoodChanged {
                from: info.mood.0,
                to: info.mood.1,
            });
        }
        if info.patience.0 != info.patience.1 {
            events.push(Event::PatienceChanged {
                from: info.patience.0,
                to: info.patience.1,
            });
        }
        if info.cut_short {
            events.push(Event::CutShort {
                patience: self.state.patience <= 0,
            });
        }
        let node = &sc.nodes[self.state.node];
        if let Some(scene) = node.scene() {
            let text = self.render(scene);
            self.transcript.push(TranscriptEntry {
                speaker: Speaker::Narrator,
                text: text.clone(),
                node: node.id().0.clone(),
                choice: None,
            });
            events.push(Event::Scene { text });
        }
        let line = self.pick_line(self.state.node);
        self.last_line.clone_from(&line);
        self.transcript.push(TranscriptEntry {
            speaker: Speaker::Debtor,
            text: line.clone(),
            node: node.id().0.clone(),
            choice: None,
        });
        events.push(Event::DebtorSaid {
            node: node.id().0.clone(),
            text: line,
        });
        // What the answer secured shows after the debtor says it.
        for &g in &info.gained {
            events.push(Event::EvidenceGained {
                id: sc.evidence[g].id.0.clone(),
                label: self.render(&sc.evidence[g].label),
            });
        }
        for &t in &info.revealed {
            let truth = &content.persona.hidden_truths[t];
            events.push(Event::TruthRevealed {
                id: truth.id.0.clone(),
                text: self.render(&truth.text),
            });
        }
        for &f in &info.flags_set {
            events.push(Event::FlagSet {
                flag: content.flags[f].0.clone(),
            });
        }
        if let Node::Ending(end) = node {
            events.push(Event::Ended {
                ending: end.id.0.clone(),
                outcome: end.outcome,
                summary: end.summary.as_ref().map(|s| self.render(s)),
            });
        }
    }

    /// Picks a line variant: conditional variants that hold beat unconditional ones; among
    /// the candidates one is drawn by weight with the seeded generator.
    fn pick_line(&mut self, node: usize) -> String {
        let lines = &self.content.nodes[node].lines;
        let holds = |l: &super::compiled::CLine| l.when.iter().all(|c| c.holds(&self.state));
        let specific: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].when.is_empty() && holds(&lines[i]))
            .collect();
        let candidates: Vec<usize> = if specific.is_empty() {
            (0..lines.len())
                .filter(|&i| lines[i].when.is_empty())
                .collect()
        } else {
            specific
        };
        let chosen = match candidates.len() {
            0 => 0,
            1 => candidates[0],
            _ => {
                let total: u64 = candidates.iter().map(|&i| u64::from(lines[i].weight)).sum();
                let mut roll = self.rng.random_range(0..total);
                let mut pick = candidates[0];
                for &i in &candidates {
                    let w = u64::from(lines[i].weight);
                    if roll < w {
                        pick = i;
                        break;
                    }
                    roll -= w;
                }
                pick
            }
        };
        let content = Arc::clone(&self.content);
        content.scenario.nodes[node]
            .lines()
            .get(chosen)
            .map(|l| self.render(&l.text))
            .unwrap_or_default()
    }

    /// Renders a text in the session's locale with its `{variables}` filled in.
    pub fn render(&self, text: &Text) -> String {
        render_text(&self.content, self.locale, &self.trainee, text)
    }

    fn locked_reason(&self, choice: &Choice, ci: usize) -> String {
        if let Some(hint) = &choice.locked_hint {
            return self.render(hint);
        }
        let compiled = &self.content.nodes[self.state.node].choices[ci];
        let reasons: Vec<String> = compiled
            .when
            .iter()
            .filter(|c| !c.holds(&self.state))
            .map(|c| self.describe(c))
            .collect();
        reasons.join(self.locale.pick("；", "; "))
    }

    fn describe(&self, c: &Cond) -> String {
        let sc = &self.content.scenario;
        let l = self.locale;
        match c {
            Cond::Prepared(i) => format!(
                "{}{}",
                l.pick("通话前没有准备：", "Not prepared: "),
                self.render(&sc.preparation.items[*i].label)
            ),
            Cond::Has(i) => format!(
                "{}{}",
                l.pick("还没有拿到：", "You do not have yet: "),
                self.render(&sc.evidence[*i].label)
            ),
            Cond::Revealed(_) => l
                .pick("你还没了解到相关情况", "You have not uncovered this yet")
                .to_owned(),
            Cond::MoodAtLeast(_) => l
                .pick(
                    "对方情绪还不够缓和",
                    "The debtor is not calm enough for this",
                )
                .to_owned(),
            Cond::MoodBelow(_) => l
                .pick("现在说这个不合时宜", "This does not fit the mood now")
                .to_owned(),
            Cond::PatienceAtLeast(_) => l
                .pick(
                    "对方已经没有耐心听这个了",
                    "The debtor has no patience left for this",
                )
                .to_owned(),
            Cond::Not(_) => l.pick("现在已经不适用", "No longer applies").to_owned(),
            _ => l.pick("时机未到", "Not yet").to_owned(),
        }
    }

    /// Captures the session so it can be resumed exactly.
    pub fn save(&self) -> SavedSession {
        SavedSession {
            version: 1,
            scenario: self.content.scenario.id.0.clone(),
            content_hash: self.content.content_hash.clone(),
            seed: self.seed,
            lang: self.locale.tag().to_owned(),
            trainee: self.trainee.clone(),
            prepared: self.prepared.clone(),
            rng: self.rng.clone(),
            state: self.state.clone(),
            sheet: self.sheet.clone(),
            turns: self.turns.clone(),
            transcript: self.transcript.clone(),
            violations: self.violations.clone(),
            last_line: self.last_line.clone(),
        }
    }

    /// Resumes a saved session on the same content.
    pub fn restore(content: &Arc<Compiled>, saved: SavedSession) -> Result<Session, PlayError> {
        let stale = || PlayError::StaleSave {
            scenario: saved.scenario.clone(),
        };
        if saved.scenario != content.scenario.id.0 || saved.content_hash != content.content_hash {
            return Err(stale());
        }
        let locale = Locale::from_tag(&saved.lang).ok_or_else(stale)?;
        if saved.state.node >= content.nodes.len()
            || saved
                .state
                .visits
                .iter()
                .any(|&(slot, _)| slot as usize >= content.visit_slots.len())
        {
            return Err(stale());
        }
        Ok(Session {
            content: Arc::clone(content),
            seed: saved.seed,
            locale,
            trainee: saved.trainee,
            prepared: saved.prepared,
            rng: saved.rng,
            state: saved.state,
            sheet: saved.sheet,
            turns: saved.turns,
            transcript: saved.transcript,
            violations: saved.violations,
            last_line: saved.last_line,
        })
    }
}

fn mentions_prepared(c: &Condition) -> bool {
    let mut ids = Vec::new();
    prepared_ids(c, &mut ids);
    !ids.is_empty()
}

/// The preparation items a condition asks for (not those it asks to be missing).
fn prepared_ids<'a>(c: &'a Condition, out: &mut Vec<&'a Id>) {
    match c {
        Condition::Prepared(id) => out.push(id),
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| prepared_ids(c, out)),
        _ => {}
    }
}

/// Renders `text` for `locale` with the scenario's `{variables}` filled in.
pub fn render_text(c: &Compiled, locale: Locale, trainee: &str, text: &Text) -> String {
    let p = &c.persona;
    render_template(text.resolve(locale), |name| {
        Some(match name {
            "amount" => format::amount(p.debt.amount, &p.debt.currency, locale),
            "amount_spoken" => {
                super::spoken::amount_spoken(p.debt.amount, &p.debt.currency, locale)
            }
            "invoices" => format::list(&p.debt.invoices, locale),
            "due_date" => format::date(&p.debt.due_date, locale),
            "days_overdue" => p.debt.days_overdue.to_string(),
            "debtor" => p.name.resolve(locale).to_owned(),
            "company" => p.company.resolve(locale).to_owned(),
            "role" => p.role.resolve(locale).to_owned(),
            "goods" => p.debt.goods.as_ref()?.resolve(locale).to_owned(),
            "supplier" => c.scenario.supplier.resolve(locale).to_owned(),
            "trainee" => trainee.to_owned(),
            _ => return None,
        })
    })
}

mod result;
#[cfg(test)]
mod tests;
