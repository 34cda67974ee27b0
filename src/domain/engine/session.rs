//! A conversation in progress: start it, list the choices, choose, get events, save and
//! restore it, and read the scored result with its per-turn debrief.

use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::compiled::{Bits, Compiled, Cond, State, StepInfo};
use super::format;
use crate::domain::content::model::{Choice, Condition, Id, Node, Outcome, Rule, Severity, Tone};
use crate::domain::scoring::{ScoreSheet, Scores, TurnJudgement, judge_turn, passes};
use crate::domain::text::{Locale, Text, render_template};

/// What can go wrong while playing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// The choice id is not one of the current node's choices.
    #[error("`{id}` is not a choice here; the choices are: {}", .available.join(", "))]
    UnknownChoice {
        /// What was asked for.
        id: String,
        /// The ids that can be chosen now.
        available: Vec<String>,
    },
    /// The choice exists but its conditions do not hold.
    #[error("`{id}` cannot be chosen now: {reason}")]
    ChoiceLocked {
        /// The choice.
        id: String,
        /// Why.
        reason: String,
    },
    /// The option number is not in the list.
    #[error("option {number} does not exist; choose 1 to {count}")]
    NoSuchOption {
        /// The number given.
        number: usize,
        /// How many options there are.
        count: usize,
    },
    /// The conversation is over.
    #[error("the conversation has ended")]
    Ended,
    /// The scenario is not written in this locale.
    #[error("scenario `{scenario}` is not available in `{locale}`; it is written in {}", .supported.join(", "))]
    UnsupportedLocale {
        /// The scenario.
        scenario: String,
        /// The locale asked for.
        locale: String,
        /// The locales it declares.
        supported: Vec<String>,
    },
    /// A preparation id the scenario does not have.
    #[error("`{id}` is not on this scenario's preparation checklist; the items are: {}", .items.join(", "))]
    UnknownPrep {
        /// The id given.
        id: String,
        /// The checklist ids.
        items: Vec<String>,
    },
    /// More preparation than the scenario allows time for.
    #[error("there is time to prepare {budget} items, not {given}")]
    OverBudget {
        /// The limit.
        budget: u32,
        /// How many were given.
        given: usize,
    },
    /// No choice can be offered (content that failed validation).
    #[error(
        "node `{node}` offers no choice in this situation; run `dunning-dojo lint` on the scenario"
    )]
    DeadEnd {
        /// The node.
        node: String,
    },
    /// A drawn-truth variant the scenario does not declare, or two for the same draw.
    #[error("`{id}` is not a drawn truth of this scenario (or its draw is already fixed); the variants are: {}", .variants.join(", "))]
    UnknownTruth {
        /// The id given.
        id: String,
        /// The variant ids.
        variants: Vec<String>,
    },
    /// A saved session belongs to other content.
    #[error(
        "this save was made on a different version of scenario `{scenario}` and cannot be resumed"
    )]
    StaleSave {
        /// The scenario.
        scenario: String,
    },
}

/// Who is speaking in a transcript entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The debtor.
    Debtor,
    /// The trainee.
    Trainee,
    /// Narration: what the trainee sees or hears.
    Narrator,
}

/// One line of the transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said, in the session's locale.
    pub text: String,
    /// The node it belongs to.
    pub node: String,
    /// For trainee lines, the choice id.
    pub choice: Option<String>,
}

/// Something that happened, for a view to present.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Narration before a line.
    Scene {
        /// What the trainee sees or hears.
        text: String,
    },
    /// The debtor speaks.
    DebtorSaid {
        /// The node.
        node: String,
        /// The line.
        text: String,
    },
    /// The trainee's chosen line.
    TraineeSaid {
        /// The choice id.
        choice: String,
        /// The line.
        text: String,
        /// Its tone tag.
        tone: Tone,
    },
    /// Authored feedback on the line (a practice-mode view shows it; an exam view holds it).
    Feedback {
        /// The turn, 1-based.
        turn: u32,
        /// Why it works or not.
        text: String,
        /// The principle.
        principle: Option<String>,
        /// The course document.
        seed: Option<String>,
        /// Whether this was the best alternative.
        was_best: bool,
        /// The best alternative's text, when another line was better.
        better: Option<String>,
    },
    /// The debtor's mood changed.
    MoodChanged {
        /// Before.
        from: i32,
        /// After.
        to: i32,
    },
    /// The debtor's patience changed.
    PatienceChanged {
        /// Before.
        from: i32,
        /// After.
        to: i32,
    },
    /// Evidence gained.
    EvidenceGained {
        /// The item id.
        id: String,
        /// Its label.
        label: String,
    },
    /// A hidden truth uncovered.
    TruthRevealed {
        /// The truth id.
        id: String,
        /// What is true.
        text: String,
    },
    /// A flag was set.
    FlagSet {
        /// The flag.
        flag: String,
    },
    /// The trainee broke a rule.
    Violation {
        /// The rule.
        rule: Rule,
        /// Its severity.
        severity: Severity,
        /// Why it is not allowed.
        explanation: String,
    },
    /// Patience ran out or the turn limit was reached.
    CutShort {
        /// Patience ran out (`true`) or too many turns (`false`).
        patience: bool,
    },
    /// The conversation ended.
    Ended {
        /// The ending node.
        ending: String,
        /// Its outcome.
        outcome: Outcome,
        /// The summary for the debrief.
        summary: Option<String>,
    },
}

/// A choice as shown to the trainee.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChoiceView {
    /// The choice id.
    pub id: String,
    /// 1-based option number among available choices (`None` when locked).
    pub number: Option<usize>,
    /// The line.
    pub text: String,
    /// Its tone tag.
    pub tone: Tone,
    /// Whether it can be chosen now.
    pub available: bool,
    /// Why not, for locked choices.
    pub locked_reason: Option<String>,
}

/// A violation as recorded in the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViolationRecord {
    /// The rule.
    pub rule: Rule,
    /// Its severity.
    pub severity: Severity,
    /// The turn it happened, 1-based.
    pub turn: u32,
    /// The choice id.
    pub choice: String,
}

/// One turn, as stored for the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// 1-based turn number.
    pub turn: u32,
    /// The debtor node the turn was taken at.
    pub node: String,
    /// The debtor's line the trainee answered.
    pub debtor: String,
    /// The choice id.
    pub choice: String,
    /// What the trainee said.
    pub said: String,
    /// How it measured up.
    pub judgement: TurnJudgement,
    /// Evidence ids gained.
    pub gained: Vec<String>,
    /// Mood before and after.
    pub mood: (i32, i32),
}

/// One turn of the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DebriefTurn {
    /// 1-based turn number.
    pub turn: u32,
    /// The node.
    pub node: String,
    /// The debtor's line.
    pub debtor: String,
    /// The choice id.
    pub choice: String,
    /// What the trainee said.
    pub said: String,
    /// Its tone tag.
    pub tone: Tone,
    /// Share of the best tone available, 0 to 100.
    pub tone_score: f64,
    /// Persistence: position between weakest and strongest available, 0 to 100 (`None` when
    /// every option was equal).
    pub persistence_score: Option<f64>,
    /// Evidence ids gained.
    pub evidence_gained: Vec<String>,
    /// Mood before and after.
    pub mood: (i32, i32),
    /// Authored feedback.
    pub feedback: String,
    /// The principle.
    pub principle: Option<String>,
    /// The course document.
    pub seed: Option<String>,
    /// The violation, if any.
    pub violation: Option<Rule>,
    /// Whether this was the best alternative.
    pub was_best: bool,
    /// The best alternative, when another line was better.
    pub best_alternative: Option<Alternative>,
}

/// A better line the trainee could have said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The choice id.
    pub choice: String,
    /// The line.
    pub text: String,
    /// Its tone tag.
    pub tone: Tone,
    /// Its feedback.
    pub feedback: String,
    /// Why the trainee could not say it, when only preparation would have unlocked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_reason: Option<String>,
}

/// One of the scenario's drawn truths as it fell in this play, revealed in the debrief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrawnTruth {
    /// The draw's id.
    pub id: String,
    /// What was in doubt.
    pub label: String,
    /// The variant that held.
    pub variant: String,
    /// What was true.
    pub text: String,
}

/// The scored result of a finished conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// The scenario id.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// The locale tag.
    pub lang: String,
    /// The trainee's name as used in the dialogue.
    pub trainee: String,
    /// SHA-256 of the content played.
    pub content_hash: String,
    /// Preparation ids ticked.
    pub prepared: Vec<String>,
    /// The outcome.
    pub outcome: Outcome,
    /// The ending id.
    pub ending: String,
    /// The ending's summary.
    pub summary: Option<String>,
    /// Whether the attempt passed.
    pub passed: bool,
    /// The pass mark.
    pub pass_mark: u32,
    /// The scores.
    pub scores: Scores,
    /// Violations, in order.
    pub violations: Vec<ViolationRecord>,
    /// Evidence ids held at the end, in the scenario's order.
    pub evidence: Vec<String>,
    /// Evidence ids not gathered, in the scenario's order.
    pub evidence_missed: Vec<String>,
    /// Hidden truth ids uncovered.
    pub truths: Vec<String>,
    /// How the scenario's drawn truths fell in this play (empty when it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drawn: Vec<DrawnTruth>,
    /// Trainee turns taken.
    pub turns: u32,
    /// Everything said.
    pub transcript: Vec<TranscriptEntry>,
    /// Per-turn review.
    pub debrief: Vec<DebriefTurn>,
}

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
            seed: choice.feedback.seed.clone(),
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

    /// The result, once the conversation has ended.
    pub fn result(&self) -> Option<AttemptResult> {
        let Node::Ending(end) = &self.content.scenario.nodes[self.state.node] else {
            return None;
        };
        let c = &self.content;
        let sc = &c.scenario;
        let raw = c.evidence_weight(&self.state.evidence) + self.sheet.evidence_points;
        let scores = self.sheet.scores(
            raw,
            c.max_evidence_for(&self.state.drawn),
            &sc.scoring.weights,
        );
        let debrief = self.turns.iter().map(|t| self.debrief_turn(t)).collect();
        Some(AttemptResult {
            scenario: sc.id.0.clone(),
            seed: self.seed,
            lang: self.locale.tag().to_owned(),
            trainee: self.trainee.clone(),
            content_hash: c.content_hash.clone(),
            prepared: self
                .prepared
                .iter()
                .map(|&i| sc.preparation.items[i].id.0.clone())
                .collect(),
            outcome: end.outcome,
            ending: end.id.0.clone(),
            summary: end.summary.as_ref().map(|s| self.render(s)),
            passed: passes(&scores, self.sheet.blocker, sc.scoring.pass_mark),
            pass_mark: sc.scoring.pass_mark,
            scores,
            violations: self.violations.clone(),
            evidence: sc
                .evidence
                .iter()
                .enumerate()
                .filter(|(i, _)| self.state.evidence.has(*i))
                .map(|(_, e)| e.id.0.clone())
                .collect(),
            evidence_missed: sc
                .evidence
                .iter()
                .enumerate()
                .filter(|(i, _)| !self.state.evidence.has(*i))
                .map(|(_, e)| e.id.0.clone())
                .collect(),
            truths: self
                .state
                .revealed
                .iter()
                .map(|i| c.persona.hidden_truths[i].id.0.clone())
                .collect(),
            drawn: self
                .state
                .drawn
                .iter()
                .filter_map(|i| c.variant(i))
                .map(|(d, v)| DrawnTruth {
                    id: d.id.0.clone(),
                    label: self.render(&d.label),
                    variant: v.id.0.clone(),
                    text: self.render(&v.text),
                })
                .collect(),
            turns: self.state.turn,
            transcript: self.transcript.clone(),
            debrief,
        })
    }

    fn debrief_turn(&self, t: &TurnRecord) -> DebriefTurn {
        let sc = &self.content.scenario;
        let node = sc.nodes.iter().find(|n| n.id().0 == t.node);
        let choices: &[Choice] = match node {
            Some(Node::Debtor(d)) => &d.choices,
            _ => &[],
        };
        let chosen = choices.iter().find(|c| c.id.0 == t.choice);
        let j = &t.judgement;
        let (lo, hi) = j.persistence_range;
        DebriefTurn {
            turn: t.turn,
            node: t.node.clone(),
            debtor: t.debtor.clone(),
            choice: t.choice.clone(),
            said: t.said.clone(),
            tone: chosen.map_or(Tone::Neutral, |c| c.tone),
            tone_score: crate::domain::scoring::round1(100.0 * j.tone_fraction()),
            // A rule-breaking line earns no persistence (as in the total), however pushy.
            persistence_score: (hi > lo).then(|| {
                let blocker = chosen
                    .and_then(|c| c.violation.as_ref())
                    .is_some_and(|v| v.severity == Severity::Blocker);
                if blocker {
                    0.0
                } else {
                    crate::domain::scoring::round1(100.0 * j.persistence_fraction())
                }
            }),
            evidence_gained: t.gained.clone(),
            mood: t.mood,
            feedback: chosen
                .map(|c| self.render(&c.feedback.text))
                .unwrap_or_default(),
            principle: chosen
                .and_then(|c| c.feedback.principle.as_ref())
                .map(|p| self.render(p)),
            seed: chosen.and_then(|c| c.feedback.seed.clone()),
            violation: chosen.and_then(|c| c.violation.as_ref()).map(|v| v.rule),
            was_best: j.was_best,
            best_alternative: (!j.was_best)
                .then(|| choices.get(j.best_choice))
                .flatten()
                .map(|b| Alternative {
                    choice: b.id.0.clone(),
                    text: self.render(&b.text),
                    tone: b.tone,
                    feedback: self.render(&b.feedback.text),
                    locked_reason: (j.best_choice != j.best_offered
                        && b.when.iter().any(mentions_prepared))
                    .then(|| self.preparation_hint(b)),
                }),
        }
    }

    /// "Needs preparation: …" for a line that preparation unlocks.
    fn preparation_hint(&self, choice: &Choice) -> String {
        if let Some(hint) = &choice.locked_hint {
            return self.render(hint);
        }
        let sc = &self.content.scenario;
        let mut ids = Vec::new();
        choice.when.iter().for_each(|c| prepared_ids(c, &mut ids));
        let labels: Vec<String> = ids
            .iter()
            .filter_map(|id| sc.preparation.items.iter().find(|p| &p.id == *id))
            .map(|p| self.render(&p.label))
            .collect();
        format!(
            "{}{}",
            self.locale.pick("需要事先准备：", "Needs preparation: "),
            labels.join(self.locale.pick("；", "; "))
        )
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

/// The order the choices of a node are shown in at one turn: a permutation of `0..n` drawn
/// from the session's seed, the turn and the node, so the same seed, content and answers
/// always show the same order, and the best line sits in no fixed place.
///
/// It has a generator of its own (nothing is drawn from the line-variant generator), so a
/// saved session needs nothing extra to show the same order when resumed.
pub fn shown_order(seed: u64, turn: u32, node: usize, n: usize) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mix = seed
        ^ (u64::from(turn) << 32).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ (node as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
        ^ 0x6f72_6465_725f_7368;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Pcg64Mcg::seed_from_u64(mix));
    order
}

/// The truths of a play: the variants named in `fixed`, and the other draws from `seed`.
fn draw(content: &Compiled, seed: u64, fixed: &[String]) -> Result<Bits, PlayError> {
    let mut drawn = content.draw_truths(seed);
    let variants = || {
        content
            .scenario
            .truths
            .iter()
            .flat_map(|t| &t.variants)
            .map(|v| v.id.0.clone())
            .collect::<Vec<_>>()
    };
    let mut fixed_draws = Vec::new();
    for id in fixed {
        let unknown = || PlayError::UnknownTruth {
            id: id.clone(),
            variants: variants(),
        };
        let index = content.variant_index(id).ok_or_else(unknown)?;
        let (question, _) = content.variant(index).ok_or_else(unknown)?;
        if fixed_draws.contains(&question.id) {
            return Err(unknown());
        }
        fixed_draws.push(question.id.clone());
        // Replace whatever the seed drew for the same question.
        for v in &question.variants {
            if let Some(i) = content.variant_index(&v.id.0) {
                drawn.remove(i);
            }
        }
        drawn.insert(index);
    }
    Ok(drawn)
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::domain::content::{ContentSet, Library};
    use crate::domain::diagnostics::Level;

    const PERSONA: &str = include_str!("../../../tests/fixtures/base/persona.ron");
    const SCENARIO: &str = include_str!("../../../tests/fixtures/base/scenario.ron");

    fn library(scenario: &str) -> Library {
        Library::build(
            ContentSet::from_sources([
                (PathBuf::from("persona.ron"), PERSONA.to_owned()),
                (PathBuf::from("scenario.ron"), scenario.to_owned()),
            ]),
            None,
        )
    }

    fn fixture() -> Arc<Compiled> {
        let lib = library(SCENARIO);
        let errors: Vec<_> = lib
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .collect();
        assert!(errors.is_empty(), "fixture has errors: {errors:#?}");
        Arc::clone(lib.scenario("test_call").expect("fixture compiles"))
    }

    fn play(c: &Arc<Compiled>, seed: u64, setup: Setup, choices: &[&str]) -> Session {
        let (mut s, _) = Session::start(c, seed, Locale::En, setup).expect("starts");
        for id in choices {
            s.choose(id).unwrap_or_else(|e| panic!("choice {id}: {e}"));
        }
        s
    }

    #[test]
    fn model_path_scores_full_marks_and_passes() {
        let c = fixture();
        let s = play(
            &c,
            1,
            Setup::default(),
            &["intro", "who_covers", "fix_date"],
        );
        let r = s.result().expect("ended");
        assert_eq!(r.outcome, Outcome::VerbalPromise);
        assert_eq!(
            (r.scores.tone, r.scores.persistence, r.scores.evidence),
            (100.0, 100.0, 100.0)
        );
        assert!(r.passed);
        assert_eq!(
            r.evidence,
            ["amount_confirmed", "date_committed", "contact"]
        );
        assert_eq!(r.truths, ["approved"]);
        assert!(
            r.debrief
                .iter()
                .all(|t| t.was_best && t.best_alternative.is_none())
        );
    }

    #[test]
    fn soft_path_scores_low_on_persistence_and_names_the_better_line() {
        let c = fixture();
        let r = play(&c, 1, Setup::default(), &["intro", "wait"])
            .result()
            .unwrap();
        assert_eq!(r.outcome, Outcome::Refused);
        assert!(r.scores.persistence < 50.0, "{:?}", r.scores);
        assert!(!r.passed);
        let t2 = &r.debrief[1];
        assert!(!t2.was_best);
        assert_eq!(
            t2.best_alternative.as_ref().map(|b| b.choice.as_str()),
            Some("who_covers")
        );
        assert_eq!(r.evidence_missed, ["date_committed", "contact"]);
    }

    #[test]
    fn violation_fails_even_with_high_score() {
        let c = fixture();
        let r = play(
            &c,
            1,
            Setup::default(),
            &["intro", "yell", "who_covers", "fix_date"],
        )
        .result()
        .unwrap();
        assert!(r.scores.overall >= 70.0, "{:?}", r.scores);
        assert!(!r.passed);
        assert_eq!(r.violations.len(), 1);
        assert_eq!(
            (r.violations[0].rule, r.violations[0].turn),
            (Rule::LostTemper, 2)
        );
    }

    #[test]
    fn major_violation_costs_fifteen_points() {
        let c = fixture();
        let clean = play(
            &c,
            1,
            Setup::default(),
            &["intro", "who_covers", "fix_date"],
        )
        .result()
        .unwrap();
        let r = play(&c, 1, Setup::default(), &["intro", "discount", "fix_date"])
            .result()
            .unwrap();
        assert_eq!(r.violations[0].severity, Severity::Major);
        assert!(
            r.scores.overall <= clean.scores.overall - 15.0,
            "{:?}",
            r.scores
        );
    }

    #[test]
    fn mood_dependent_variant_wins_when_it_applies() {
        let c = fixture();
        let s = play(&c, 3, Setup::default(), &["intro", "yell"]);
        assert_eq!(s.last_line(), "That has to wait for the manager.");
    }

    #[test]
    fn locked_choices_are_listed_with_a_reason_and_refused() {
        let c = fixture();
        let mut s = play(&c, 1, Setup::default(), &["intro"]);
        let choices = s.choices();
        let locked = choices
            .iter()
            .find(|c| c.id == "cite_statement")
            .expect("shown");
        assert!(!locked.available);
        assert_eq!(locked.number, None);
        assert_eq!(
            locked.locked_reason.as_deref(),
            Some("Not prepared: Statement")
        );
        assert!(
            !choices.iter().any(|c| c.id == "thanks_bye"),
            "hidden locked choice listed"
        );
        assert!(matches!(
            s.choose("cite_statement"),
            Err(PlayError::ChoiceLocked { .. })
        ));
        let err = s.choose("nope").unwrap_err();
        assert!(err.to_string().contains("who_covers"), "{err}");
    }

    #[test]
    fn preparation_unlocks_lines_and_is_checked() {
        let c = fixture();
        let setup = Setup {
            prepared: vec!["statement".into()],
            trainee: None,
            truths: Vec::new(),
        };
        let s = play(&c, 1, setup, &["intro"]);
        assert!(
            s.choices()
                .iter()
                .any(|c| c.id == "cite_statement" && c.available)
        );
        let over = Setup {
            prepared: vec!["statement".into(), "notebook".into()],
            trainee: None,
            truths: Vec::new(),
        };
        assert!(matches!(
            Session::start(&c, 1, Locale::En, over),
            Err(PlayError::OverBudget {
                budget: 1,
                given: 2
            })
        ));
        let unknown = Setup {
            prepared: vec!["laptop".into()],
            trainee: None,
            truths: Vec::new(),
        };
        assert!(matches!(
            Session::start(&c, 1, Locale::En, unknown),
            Err(PlayError::UnknownPrep { .. })
        ));
    }

    #[test]
    fn numbers_choose_among_available_options_in_the_order_shown() {
        let c = fixture();
        let (mut s, _) = Session::start(&c, 1, Locale::En, Setup::default()).unwrap();
        let first_shown = s
            .choices()
            .into_iter()
            .find(|v| v.number == Some(1))
            .unwrap();
        let mut same = s.clone();
        s.choose_number(1).unwrap();
        same.choose(&first_shown.id).unwrap();
        assert_eq!(s.node_id(), same.node_id());
        assert!(matches!(
            s.choose_number(9),
            Err(PlayError::NoSuchOption { number: 9, .. })
        ));
    }

    #[test]
    fn patience_running_out_ends_the_call_and_revisits_change_the_line() {
        let c = fixture();
        let (mut s, _) = Session::start(
            &c,
            5,
            Locale::En,
            Setup {
                trainee: Some("Mei".into()),
                truths: Vec::new(),
                ..Setup::default()
            },
        )
        .unwrap();
        let events = s.choose("chat").unwrap();
        assert!(
            events.contains(&Event::DebtorSaid {
                node: "open".into(),
                text: "You again, Mei.".into()
            }),
            "{events:?}"
        );
        for _ in 0..2 {
            s.choose("chat").unwrap();
        }
        let events = s.choose("chat").unwrap();
        assert!(
            events.contains(&Event::CutShort { patience: true }),
            "{events:?}"
        );
        let r = s.result().expect("ended");
        assert_eq!((r.outcome, r.ending.as_str()), (Outcome::HungUp, "hangup"));
        assert!(matches!(s.choose("intro"), Err(PlayError::Ended)));
    }

    #[test]
    fn same_seed_and_choices_give_identical_results() {
        let c = fixture();
        let run = |seed| {
            serde_json::to_string(
                &play(
                    &c,
                    seed,
                    Setup::default(),
                    &["chat", "intro", "who_covers", "fix_date"],
                )
                .result(),
            )
            .unwrap()
        };
        assert_eq!(run(42), run(42));
        let differs = (0..20).any(|seed| run(seed) != run(42));
        assert!(differs, "seeds never change the wording");
    }

    #[test]
    fn score_does_not_depend_on_the_seed() {
        let c = fixture();
        let scores: Vec<_> = (0..10)
            .map(|seed| {
                play(&c, seed, Setup::default(), &["chat", "intro", "wait"])
                    .result()
                    .unwrap()
                    .scores
            })
            .collect();
        assert!(scores.windows(2).all(|w| w[0] == w[1]));
    }

    #[test]
    fn save_and_restore_continues_exactly() {
        let c = fixture();
        let full = play(
            &c,
            9,
            Setup::default(),
            &["chat", "intro", "who_covers", "fix_date"],
        )
        .result()
        .unwrap();
        let half = play(&c, 9, Setup::default(), &["chat", "intro"]);
        let json = serde_json::to_string(&half.save()).unwrap();
        let saved: SavedSession = serde_json::from_str(&json).unwrap();
        let mut resumed = Session::restore(&c, saved).unwrap();
        resumed.choose("who_covers").unwrap();
        resumed.choose("fix_date").unwrap();
        assert_eq!(
            serde_json::to_string(&resumed.result().unwrap()).unwrap(),
            serde_json::to_string(&full).unwrap()
        );
    }

    #[test]
    fn restore_refuses_changed_content() {
        let c = fixture();
        let saved = play(&c, 1, Setup::default(), &["intro"]).save();
        let edited = library(&SCENARIO.replace("Busy lately?", "Keeping busy?"));
        let other = edited.scenario("test_call").unwrap();
        assert!(matches!(
            Session::restore(other, saved),
            Err(PlayError::StaleSave { .. })
        ));
    }

    #[test]
    fn chinese_rendering_fills_variables_in_chinese() {
        let c = fixture();
        let (s, events) = Session::start(&c, 1, Locale::ZhCn, Setup::default()).unwrap();
        assert!(matches!(events.last(), Some(Event::DebtorSaid { .. })));
        let intro = s.choices().into_iter().find(|c| c.id == "intro").unwrap();
        assert_eq!(
            intro.text,
            "孙主管您好，我是华建管桩的小李，关于HT-1001、HT-1002的52,000.00元。"
        );
    }

    #[test]
    fn unsupported_locale_is_refused() {
        let c = fixture();
        let zh_only =
            library(&SCENARIO.replace(r#"locales: ["zh-CN", "en"]"#, r#"locales: ["zh-CN"]"#));
        let zc = zh_only
            .scenario("test_call")
            .expect("still valid with one locale");
        assert!(matches!(
            Session::start(zc, 1, Locale::En, Setup::default()),
            Err(PlayError::UnsupportedLocale { .. })
        ));
        assert!(Session::start(&c, 1, Locale::En, Setup::default()).is_ok());
    }

    #[test]
    fn the_order_shown_is_drawn_from_the_seed_and_repeats_with_it() {
        let a = shown_order(7, 3, 2, 6);
        assert_eq!(a, shown_order(7, 3, 2, 6), "same seed, turn and node");
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..6).collect::<Vec<_>>(), "a permutation");
        // Over many seeds every line is shown first now and then: no fixed place.
        let firsts: std::collections::BTreeSet<usize> =
            (0..200).map(|seed| shown_order(seed, 0, 0, 4)[0]).collect();
        assert_eq!(firsts.len(), 4, "{firsts:?}");
        // Another turn at the same node reorders too.
        assert!((0..50).any(|seed| shown_order(seed, 1, 0, 4) != shown_order(seed, 2, 0, 4)));
    }

    #[test]
    fn numbers_follow_the_order_shown_and_survive_save_and_restore() {
        let c = fixture();
        let (s, _) = Session::start(&c, 11, Locale::En, Setup::default()).unwrap();
        let shown: Vec<String> = s.choices().into_iter().map(|v| v.id).collect();
        let restored = Session::restore(s.content(), s.save()).unwrap();
        let again: Vec<String> = restored.choices().into_iter().map(|v| v.id).collect();
        assert_eq!(shown, again);
        let numbers: Vec<Option<usize>> = s.choices().into_iter().map(|v| v.number).collect();
        let available = numbers.iter().filter(|n| n.is_some()).count();
        assert_eq!(
            numbers.iter().flatten().copied().collect::<Vec<_>>(),
            (1..=available).collect::<Vec<_>>(),
            "available lines are numbered 1..n top to bottom"
        );
    }
}
