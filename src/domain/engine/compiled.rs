//! A scenario compiled for play: ids resolved to indices, conditions and effects ready to
//! evaluate, and the pure state-transition function shared by sessions and the analyser.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use smallvec::SmallVec;

use crate::domain::content::model::{
    Choice, Condition, Effects, Id, Node, Outcome, Persona, Scenario, Severity,
};

pub use super::bits::Bits;
pub use super::evidence::EvidenceMax;
pub use super::state::State;

pub use super::tone::{TONE_FLOOR, tone_base};

/// Why a scenario could not be compiled (only reachable for content that failed validation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// A reference to something that does not exist.
    #[error("scenario `{scenario}`: {what} `{id}` does not exist")]
    Dangling {
        /// The scenario.
        scenario: String,
        /// What kind of thing was referenced.
        what: &'static str,
        /// The missing id.
        id: String,
    },
    /// The persona given is not the one the scenario names.
    #[error("scenario `{scenario}` expects persona `{expected}`, got `{got}`")]
    WrongPersona {
        /// The scenario.
        scenario: String,
        /// The persona it names.
        expected: String,
        /// The persona supplied.
        got: String,
    },
}

/// A condition with ids resolved.
#[derive(Clone, Debug)]
pub enum Cond {
    /// Flag index is set.
    Flag(usize),
    /// Evidence index is held.
    Has(usize),
    /// Preparation index was ticked.
    Prepared(usize),
    /// Truth index is revealed.
    Revealed(usize),
    /// Drawn-truth variant index (flattened over the scenario's `truths`) holds in this play.
    Truth(usize),
    /// mood ≥ n.
    MoodAtLeast(i32),
    /// mood < n.
    MoodBelow(i32),
    /// patience ≥ n.
    PatienceAtLeast(i32),
    /// patience < n.
    PatienceBelow(i32),
    /// visits of tracked slot ≥ n.
    VisitsAtLeast(usize, u32),
    /// visits of tracked slot < n.
    VisitsBelow(usize, u32),
    /// turn ≥ n.
    TurnAtLeast(u32),
    /// all hold.
    All(Vec<Cond>),
    /// any holds.
    Any(Vec<Cond>),
    /// does not hold.
    Not(Box<Cond>),
}

impl Cond {
    /// Evaluates the condition against a state.
    pub fn holds(&self, s: &State) -> bool {
        match self {
            Cond::Flag(i) => s.flags.has(*i),
            Cond::Has(i) => s.evidence.has(*i),
            Cond::Prepared(i) => s.prepared.has(*i),
            Cond::Revealed(i) => s.revealed.has(*i),
            Cond::Truth(i) => s.drawn.has(*i),
            Cond::MoodAtLeast(n) => s.mood >= *n,
            Cond::MoodBelow(n) => s.mood < *n,
            Cond::PatienceAtLeast(n) => s.patience >= *n,
            Cond::PatienceBelow(n) => s.patience < *n,
            Cond::VisitsAtLeast(slot, n) => u32::from(s.visits_of(*slot)) >= *n,
            Cond::VisitsBelow(slot, n) => u32::from(s.visits_of(*slot)) < *n,
            Cond::TurnAtLeast(n) => s.turn >= *n,
            Cond::All(cs) => cs.iter().all(|c| c.holds(s)),
            Cond::Any(cs) => cs.iter().any(|c| c.holds(s)),
            Cond::Not(c) => !c.holds(s),
        }
    }
}

/// Effects with ids resolved.
#[derive(Clone, Debug, Default)]
pub struct Eff {
    /// Evidence points beyond items.
    pub evidence: i32,
    /// Mood change.
    pub mood: i32,
    /// Patience change.
    pub patience: i32,
    /// Evidence indices gained.
    pub gain: Vec<usize>,
    /// Flag indices set.
    pub set: Vec<usize>,
    /// Flag indices cleared.
    pub clear: Vec<usize>,
    /// Truth indices revealed.
    pub reveal: Vec<usize>,
}

/// A compiled choice.
#[derive(Clone, Debug)]
pub struct CChoice {
    /// Conditions (all must hold).
    pub when: Vec<Cond>,
    /// Effects.
    pub eff: Eff,
    /// Target node index.
    pub next: usize,
    /// Tone value: the tag's base plus the authored adjustment, floored at [`TONE_FLOOR`].
    pub tone_value: i32,
    /// Persistence value.
    pub persistence: i32,
    /// Violation severity, if any.
    pub violation: Option<Severity>,
}

impl CChoice {
    /// True for a choice whose violation fails the attempt.
    pub fn is_blocker(&self) -> bool {
        self.violation == Some(Severity::Blocker)
    }
}

/// A compiled line variant.
#[derive(Clone, Debug)]
pub struct CLine {
    /// Conditions (all must hold).
    pub when: Vec<Cond>,
    /// Relative weight.
    pub weight: u32,
}

/// A compiled node.
#[derive(Clone, Debug)]
pub struct CNode {
    /// Line variants.
    pub lines: Vec<CLine>,
    /// Choices (empty for endings).
    pub choices: Vec<CChoice>,
    /// The outcome when this is an ending.
    pub ending: Option<Outcome>,
    /// Effects applied on arrival at an ending.
    pub ending_eff: Eff,
}

/// What one transition did, for events and scoring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepInfo {
    /// Evidence indices newly gained (choice, then ending).
    pub gained: Vec<usize>,
    /// Truth indices newly revealed.
    pub revealed: Vec<usize>,
    /// Flag indices newly set.
    pub flags_set: Vec<usize>,
    /// Mood before and after.
    pub mood: (i32, i32),
    /// Patience before and after.
    pub patience: (i32, i32),
    /// Evidence points from `effects.evidence` (choice and ending).
    pub evidence_points: i32,
    /// True when the conversation was cut short by patience or the turn limit.
    pub cut_short: bool,
}

/// A scenario and its persona, compiled for play and analysis.
#[derive(Debug)]
pub struct Compiled {
    /// The scenario as authored.
    pub scenario: Scenario,
    /// The persona as authored.
    pub persona: Persona,
    /// SHA-256 of the scenario and persona sources: which content version a result used.
    pub content_hash: String,
    /// Compiled nodes, in file order.
    pub nodes: Vec<CNode>,
    /// Node index by id.
    pub node_index: HashMap<Id, usize>,
    /// Flag names by index.
    pub flags: Vec<Id>,
    /// Node index of each tracked visit slot.
    pub visit_slots: Vec<usize>,
    /// The visit slot of each node, if conditions ask about it.
    pub slot_of: Vec<Option<usize>>,
    /// Index of the start node.
    pub start: usize,
    /// Index of the patience-out ending.
    pub patience_out: usize,
    /// Evidence weights by index (same order as `scenario.evidence`).
    pub evidence_weights: Vec<u32>,
    /// The most evidence a clean playthrough can gather, which the evidence axis is normalised
    /// against. Compiling leaves it empty; the analyse stage sets it (see
    /// `analysis::AnalysisCache::analyse`), and the library hands out no scenario without it.
    pub evidence_max: EvidenceMax,
    /// Whether some choice's conditions test `Prepared(…)`: only then can preparation unlock
    /// lines that a turn is measured against.
    pub prep_gates_choices: bool,
}

fn mentions_prepared(c: &Cond) -> bool {
    match c {
        Cond::Prepared(_) => true,
        Cond::All(cs) | Cond::Any(cs) => cs.iter().any(mentions_prepared),
        Cond::Not(inner) => mentions_prepared(inner),
        _ => false,
    }
}

struct Interner<'a> {
    scenario: &'a Scenario,
    persona: &'a Persona,
    nodes: &'a HashMap<Id, usize>,
    flags: HashMap<Id, usize>,
    flag_names: Vec<Id>,
    slots: HashMap<usize, usize>,
    slot_nodes: Vec<usize>,
}

impl Interner<'_> {
    fn dangling(&self, what: &'static str, id: &Id) -> CompileError {
        CompileError::Dangling {
            scenario: self.scenario.id.0.clone(),
            what,
            id: id.0.clone(),
        }
    }

    fn flag(&mut self, id: &Id) -> usize {
        if let Some(&i) = self.flags.get(id) {
            return i;
        }
        let i = self.flag_names.len();
        self.flags.insert(id.clone(), i);
        self.flag_names.push(id.clone());
        i
    }

    fn node(&self, id: &Id) -> Result<usize, CompileError> {
        self.nodes
            .get(id)
            .copied()
            .ok_or_else(|| self.dangling("node", id))
    }

    fn evidence(&self, id: &Id) -> Result<usize, CompileError> {
        self.scenario
            .evidence
            .iter()
            .position(|e| &e.id == id)
            .ok_or_else(|| self.dangling("evidence item", id))
    }

    fn prep(&self, id: &Id) -> Result<usize, CompileError> {
        self.scenario
            .preparation
            .items
            .iter()
            .position(|e| &e.id == id)
            .ok_or_else(|| self.dangling("preparation item", id))
    }

    fn truth(&self, id: &Id) -> Result<usize, CompileError> {
        self.persona
            .hidden_truths
            .iter()
            .position(|e| &e.id == id)
            .ok_or_else(|| self.dangling("hidden truth", id))
    }

    fn variant(&self, id: &Id) -> Result<usize, CompileError> {
        self.scenario
            .truths
            .iter()
            .flat_map(|t| &t.variants)
            .position(|v| &v.id == id)
            .ok_or_else(|| self.dangling("drawn truth", id))
    }

    fn slot(&mut self, id: &Id) -> Result<usize, CompileError> {
        let node = self.node(id)?;
        if let Some(&s) = self.slots.get(&node) {
            return Ok(s);
        }
        let s = self.slot_nodes.len();
        self.slots.insert(node, s);
        self.slot_nodes.push(node);
        Ok(s)
    }

    fn cond(&mut self, c: &Condition) -> Result<Cond, CompileError> {
        Ok(match c {
            Condition::Flag(id) => Cond::Flag(self.flag(id)),
            Condition::Has(id) => Cond::Has(self.evidence(id)?),
            Condition::Prepared(id) => Cond::Prepared(self.prep(id)?),
            Condition::Revealed(id) => Cond::Revealed(self.truth(id)?),
            Condition::Truth(id) => Cond::Truth(self.variant(id)?),
            Condition::MoodAtLeast(n) => Cond::MoodAtLeast(*n),
            Condition::MoodBelow(n) => Cond::MoodBelow(*n),
            Condition::PatienceAtLeast(n) => Cond::PatienceAtLeast(*n),
            Condition::PatienceBelow(n) => Cond::PatienceBelow(*n),
            Condition::VisitsAtLeast(id, n) => Cond::VisitsAtLeast(self.slot(id)?, *n),
            Condition::VisitsBelow(id, n) => Cond::VisitsBelow(self.slot(id)?, *n),
            Condition::TurnAtLeast(n) => Cond::TurnAtLeast(*n),
            Condition::All(cs) => Cond::All(self.conds(cs)?),
            Condition::Any(cs) => Cond::Any(self.conds(cs)?),
            Condition::Not(c) => Cond::Not(Box::new(self.cond(c)?)),
        })
    }

    fn conds(&mut self, cs: &[Condition]) -> Result<Vec<Cond>, CompileError> {
        cs.iter().map(|c| self.cond(c)).collect()
    }

    fn eff(&mut self, e: &Effects) -> Result<Eff, CompileError> {
        Ok(Eff {
            evidence: e.evidence,
            mood: e.mood,
            patience: e.patience,
            gain: e
                .gain
                .iter()
                .map(|id| self.evidence(id))
                .collect::<Result<_, _>>()?,
            set: e.set.iter().map(|id| self.flag(id)).collect(),
            clear: e.clear.iter().map(|id| self.flag(id)).collect(),
            reveal: e
                .reveal
                .iter()
                .map(|id| self.truth(id))
                .collect::<Result<_, _>>()?,
        })
    }

    fn choice(&mut self, c: &Choice) -> Result<CChoice, CompileError> {
        Ok(CChoice {
            when: self.conds(&c.when)?,
            eff: self.eff(&c.effects)?,
            next: self.node(&c.next)?,
            tone_value: (tone_base(c.tone) + c.effects.tone).max(TONE_FLOOR),
            persistence: c.effects.persistence,
            violation: c.violation.as_ref().map(|v| v.severity),
        })
    }
}

impl Compiled {
    /// Compiles a scenario with its persona. `sources` are the file texts hashed into
    /// [`Compiled::content_hash`].
    pub fn new(
        scenario: Scenario,
        persona: Persona,
        sources: &[&str],
    ) -> Result<Compiled, CompileError> {
        if scenario.persona != persona.id {
            return Err(CompileError::WrongPersona {
                scenario: scenario.id.0.clone(),
                expected: scenario.persona.0.clone(),
                got: persona.id.0.clone(),
            });
        }
        let node_index: HashMap<Id, usize> = scenario
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id().clone(), i))
            .collect();
        let mut int = Interner {
            scenario: &scenario,
            persona: &persona,
            nodes: &node_index,
            flags: HashMap::new(),
            flag_names: Vec::new(),
            slots: HashMap::new(),
            slot_nodes: Vec::new(),
        };
        let mut nodes = Vec::with_capacity(scenario.nodes.len());
        for node in &scenario.nodes {
            let lines = node
                .lines()
                .iter()
                .map(|l| {
                    Ok(CLine {
                        when: int.conds(&l.when)?,
                        weight: l.weight.max(1),
                    })
                })
                .collect::<Result<Vec<_>, CompileError>>()?;
            let compiled = match node {
                Node::Debtor(d) => CNode {
                    lines,
                    choices: d
                        .choices
                        .iter()
                        .map(|c| int.choice(c))
                        .collect::<Result<_, _>>()?,
                    ending: None,
                    ending_eff: Eff::default(),
                },
                Node::Ending(e) => CNode {
                    lines,
                    choices: Vec::new(),
                    ending: Some(e.outcome),
                    ending_eff: int.eff(&e.effects)?,
                },
            };
            nodes.push(compiled);
        }
        let start = int.node(&scenario.start)?;
        let patience_out = int.node(&scenario.patience_out)?;
        let flags = std::mem::take(&mut int.flag_names);
        let visit_slots = std::mem::take(&mut int.slot_nodes);
        let mut slot_of = vec![None; nodes.len()];
        for (slot, &node) in visit_slots.iter().enumerate() {
            slot_of[node] = Some(slot);
        }
        let content_hash = Compiled::hash_sources(sources);
        let evidence_weights = scenario.evidence.iter().map(|e| e.weight).collect();
        let prep_gates_choices = nodes
            .iter()
            .flat_map(|n| &n.choices)
            .flat_map(|ch| &ch.when)
            .any(mentions_prepared);
        Ok(Compiled {
            scenario,
            persona,
            content_hash,
            nodes,
            node_index,
            flags,
            visit_slots,
            slot_of,
            start,
            patience_out,
            evidence_weights,
            evidence_max: EvidenceMax::default(),
            prep_gates_choices,
        })
    }

    /// SHA-256 (hex) of the source texts, as stored in [`Compiled::content_hash`].
    pub fn hash_sources(sources: &[&str]) -> String {
        let mut hasher = Sha256::new();
        for s in sources {
            hasher.update((s.len() as u64).to_le_bytes());
            hasher.update(s.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The state at the start of a conversation, with `prepared` ticked and the truths of
    /// `drawn` holding, before the first node is entered.
    pub fn initial_state(&self, prepared: &[usize], drawn: &Bits) -> State {
        let mut p = Bits::with_len(self.scenario.preparation.items.len());
        for &i in prepared {
            p.insert(i);
        }
        let mut s = State {
            node: self.start,
            flags: Bits::with_len(self.flags.len()),
            evidence: Bits::with_len(self.scenario.evidence.len()),
            prepared: p,
            revealed: Bits::with_len(self.persona.hidden_truths.len()),
            drawn: drawn.clone(),
            mood: self.persona.mood.clamp(-100, 100),
            patience: self.persona.patience,
            visits: SmallVec::new(),
            turn: 0,
        };
        self.enter(&mut s, self.start, &mut StepInfo::default());
        s
    }

    /// Choice indices of the current node whose conditions hold.
    pub fn available(&self, s: &State) -> Vec<usize> {
        self.nodes[s.node]
            .choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.when.iter().all(|w| w.holds(s)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Choice indices of the current node that are not available now but would be had the
    /// trainee prepared every item: the lines preparation unlocks here.
    pub fn unlockable_by_preparation(&self, s: &State) -> Vec<usize> {
        if !self.prep_gates_choices || self.nodes[s.node].choices.is_empty() {
            return Vec::new();
        }
        let mut all = s.clone();
        for i in 0..self.scenario.preparation.items.len() {
            all.prepared.insert(i);
        }
        let now = self.available(s);
        self.available(&all)
            .into_iter()
            .filter(|i| !now.contains(i))
            .collect()
    }

    /// The evidence maximum a play with the truths `drawn` is normalised against.
    pub fn max_evidence_for(&self, drawn: &Bits) -> i64 {
        let combos = self.truth_combos();
        combos
            .iter()
            .position(|c| c == drawn)
            .and_then(|k| self.evidence_max.by_truth.get(k).copied())
            .unwrap_or(self.evidence_max.best)
    }

    /// Whether the state is at an ending.
    pub fn is_ended(&self, s: &State) -> bool {
        self.nodes[s.node].ending.is_some()
    }

    /// Applies choice `ci` of the current node to `s`, moving to the next node.
    ///
    /// Assumes the choice is available; callers check with [`Compiled::available`].
    pub fn step(&self, s: &mut State, ci: usize) -> StepInfo {
        self.step_inner(s, ci, true)
    }

    /// Like [`Compiled::step`], but without the `max_turns` cut: the analyser reasons about
    /// what the conditions allow and treats the turn limit as a safety valve only.
    pub fn step_ignoring_turn_limit(&self, s: &mut State, ci: usize) -> StepInfo {
        self.step_inner(s, ci, false)
    }

    fn step_inner(&self, s: &mut State, ci: usize, turn_limit: bool) -> StepInfo {
        let choice = &self.nodes[s.node].choices[ci];
        let mut info = StepInfo {
            mood: (s.mood, s.mood),
            patience: (s.patience, s.patience),
            ..StepInfo::default()
        };
        apply(s, &choice.eff, &mut info);
        s.turn += 1;
        let mut next = choice.next;
        if self.nodes[next].ending.is_none()
            && (s.patience <= 0 || (turn_limit && s.turn >= self.scenario.max_turns))
        {
            next = self.patience_out;
            info.cut_short = true;
        }
        self.enter(s, next, &mut info);
        info.mood.1 = s.mood;
        info.patience.1 = s.patience;
        info
    }

    fn enter(&self, s: &mut State, node: usize, info: &mut StepInfo) {
        s.node = node;
        if let Some(slot) = self.slot_of[node] {
            s.add_visit(slot);
        }
        if self.nodes[node].ending.is_some() {
            apply(s, &self.nodes[node].ending_eff, info);
        }
    }

    /// Evidence raw value of a set of held items.
    pub fn evidence_weight(&self, held: &Bits) -> i64 {
        held.iter()
            .filter_map(|i| self.evidence_weights.get(i))
            .map(|&w| i64::from(w))
            .sum()
    }

    /// Evidence value of choice `ci` at state `s`: weight of new items (including those of the
    /// ending it leads to) plus its evidence points.
    pub fn choice_evidence_value(&self, s: &State, ci: usize) -> i64 {
        let choice = &self.nodes[s.node].choices[ci];
        let mut held = s.evidence.clone();
        let mut value = i64::from(choice.eff.evidence);
        let ending_eff = self.nodes[choice.next]
            .ending
            .map(|_| &self.nodes[choice.next].ending_eff);
        for eff in std::iter::once(&choice.eff).chain(ending_eff) {
            for &g in &eff.gain {
                if held.insert(g) {
                    value += i64::from(self.evidence_weights[g]);
                }
            }
        }
        if let Some(e) = ending_eff {
            value += i64::from(e.evidence);
        }
        value
    }
}

fn apply(s: &mut State, eff: &Eff, info: &mut StepInfo) {
    s.mood = (s.mood + eff.mood).clamp(-100, 100);
    s.patience += eff.patience;
    for &f in &eff.set {
        if s.flags.insert(f) {
            info.flags_set.push(f);
        }
    }
    for &f in &eff.clear {
        s.flags.remove(f);
    }
    for &g in &eff.gain {
        if s.evidence.insert(g) {
            info.gained.push(g);
        }
    }
    for &t in &eff.reveal {
        if s.revealed.insert(t) {
            info.revealed.push(t);
        }
    }
    info.evidence_points += eff.evidence;
}
