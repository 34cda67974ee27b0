//! The search: every situation a conversation can reach, what is offered and gained there,
//! where it gets stuck, and the most evidence a clean playthrough can gather.

use indexmap::IndexSet;
use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};

use crate::domain::content::model::{Condition, Node};
use crate::domain::engine::compiled::{Bits, Compiled, Cond, EvidenceMax, State};

/// How many distinct situations the analyser visits before it stops and reports a bound.
pub const STATE_BUDGET: usize = 200_000;

/// The reachable part of a scenario, found by visiting every situation a conversation can be in.
///
/// Situations are states with everything no later condition can read masked out (see
/// [`Liveness`]), so two paths that differ only in facts nobody asks about again count once.
/// The turn limit is treated as a safety valve and not modelled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Exploration {
    /// Per node: entered in some playthrough.
    pub reachable: Vec<bool>,
    /// Per node and choice: offered in some reachable state.
    pub choice_offered: Vec<Vec<bool>>,
    /// Per node and line: eligible in some reachable state.
    pub line_eligible: Vec<Vec<bool>>,
    /// Per evidence item: gained in some playthrough.
    pub evidence_gainable: Vec<bool>,
    /// Per node: some reachable state there offers no choice at all.
    pub stuck: Vec<bool>,
    /// Per node and choice: the choice is on a loop and carries evidence points, so a trainee
    /// could collect them again and again.
    pub farmable: Vec<Vec<bool>>,
    /// The most evidence (item weights plus points) a playthrough without a blocker
    /// violation can end with, over every way the truths can fall.
    pub max_evidence: i64,
    /// The same, for each way the drawn truths can fall (in [`Compiled::truth_combos`]
    /// order): the evidence axis of a play is normalised against the entry of its own truths.
    pub max_evidence_by_truth: Vec<i64>,
    /// Distinct situations visited.
    pub states: usize,
    /// Whether some playthrough spends the debtor's patience to zero (reaching `patience_out`
    /// other than by the turn limit).
    pub patience_runs_out: bool,
    /// True when [`STATE_BUDGET`] stopped the search: the facts above are then partial.
    pub bounded: bool,
}

impl Exploration {
    /// The evidence maxima found, as the engine carries them.
    pub fn evidence_max(&self) -> EvidenceMax {
        EvidenceMax {
            best: self.max_evidence,
            by_truth: self.max_evidence_by_truth.clone(),
        }
    }
}

/// What each node's future can still read: the state components worth telling apart there.
#[derive(Clone, Debug, Default, PartialEq)]
struct Live {
    flags: Bits,
    evidence: Bits,
    revealed: Bits,
    slots: Bits,
    mood: bool,
    patience: bool,
}

impl Live {
    fn union(&mut self, o: &Live) -> bool {
        let mut changed = self.flags.union(&o.flags);
        changed |= self.evidence.union(&o.evidence);
        changed |= self.revealed.union(&o.revealed);
        changed |= self.slots.union(&o.slots);
        changed |= !self.mood && o.mood;
        changed |= !self.patience && o.patience;
        self.mood |= o.mood;
        self.patience |= o.patience;
        changed
    }

    fn use_cond(&mut self, c: &Cond, caps: &mut Caps) {
        match c {
            Cond::Flag(i) => {
                self.flags.insert(*i);
            }
            Cond::Has(i) => {
                self.evidence.insert(*i);
            }
            Cond::Revealed(i) => {
                self.revealed.insert(*i);
            }
            // Preparation and drawn truths never change during a conversation.
            Cond::Prepared(_) | Cond::Truth(_) => {}
            Cond::MoodAtLeast(_) | Cond::MoodBelow(_) => self.mood = true,
            Cond::PatienceAtLeast(_) | Cond::PatienceBelow(_) => self.patience = true,
            Cond::VisitsAtLeast(slot, n) | Cond::VisitsBelow(slot, n) => {
                self.slots.insert(*slot);
                let cap = &mut caps.slots[*slot];
                *cap = (*cap).max(u16::try_from(*n).unwrap_or(u16::MAX));
            }
            Cond::TurnAtLeast(n) => caps.turn = Some(caps.turn.unwrap_or(0).max(*n)),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| self.use_cond(c, caps)),
            Cond::Not(c) => self.use_cond(c, caps),
        }
    }
}

/// Saturation points: counts above the highest threshold any condition tests are alike.
struct Caps {
    slots: Vec<u16>,
    turn: Option<u32>,
}

/// Per-node liveness of state components, by backward propagation over the graph.
struct Liveness {
    live: Vec<Live>,
    caps: Caps,
}

impl Liveness {
    fn new(c: &Compiled) -> Liveness {
        let n = c.nodes.len();
        let mut caps = Caps {
            slots: vec![0; c.visit_slots.len()],
            turn: None,
        };
        let mut live: Vec<Live> = vec![Live::default(); n];
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, node) in c.nodes.iter().enumerate() {
            let l = &mut live[i];
            for line in &node.lines {
                line.when.iter().for_each(|w| l.use_cond(w, &mut caps));
            }
            for ch in &node.choices {
                ch.when.iter().for_each(|w| l.use_cond(w, &mut caps));
                // The evidence value of a step depends on whether its items are already held.
                for &g in &ch.eff.gain {
                    l.evidence.insert(g);
                }
                l.patience |= ch.eff.patience != 0;
                preds[ch.next].push(i);
            }
            for &g in &node.ending_eff.gain {
                l.evidence.insert(g);
            }
            if node.ending.is_none() {
                preds[c.patience_out].push(i);
            }
        }
        // A node's future includes every node after it.
        let mut work: Vec<usize> = (0..n).collect();
        let mut queued = vec![true; n];
        while let Some(v) = work.pop() {
            queued[v] = false;
            let lv = live[v].clone();
            for &p in &preds[v] {
                if live[p].union(&lv) && !queued[p] {
                    queued[p] = true;
                    work.push(p);
                }
            }
        }
        Liveness { live, caps }
    }

    /// Forgets what nothing at or after the current node can read.
    fn mask(&self, s: &mut State) {
        let l = &self.live[s.node];
        s.flags.intersect(&l.flags);
        s.evidence.intersect(&l.evidence);
        s.revealed.intersect(&l.revealed);
        if !l.mood {
            s.mood = 0;
        }
        if !l.patience && s.patience > 0 {
            s.patience = 1;
        }
        s.visits.retain(|v| l.slots.has(v.0 as usize));
        for v in &mut s.visits {
            v.1 = v.1.min(self.caps.slots[v.0 as usize]);
        }
        s.turn = self.caps.turn.map_or(0, |cap| s.turn.min(cap));
    }
}

/// Preparation indices that some condition tests; only these change what can happen.
pub fn relevant_prep(c: &Compiled) -> Vec<usize> {
    fn walk(cond: &Condition, out: &mut Vec<String>) {
        match cond {
            Condition::Prepared(id) => out.push(id.0.clone()),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| walk(c, out)),
            Condition::Not(c) => walk(c, out),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    for node in &c.scenario.nodes {
        node.lines()
            .iter()
            .flat_map(|l| &l.when)
            .for_each(|w| walk(w, &mut ids));
        if let Node::Debtor(d) = node {
            d.choices
                .iter()
                .flat_map(|ch| &ch.when)
                .for_each(|w| walk(w, &mut ids));
        }
    }
    c.scenario
        .preparation
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| ids.contains(&item.id.0))
        .map(|(i, _)| i)
        .collect()
}

/// The preparation sets worth considering: every subset of the relevant items that fits the
/// budget (or, when there are too many, the empty set, singles and the largest sets).
pub fn prep_sets(c: &Compiled) -> Vec<Vec<usize>> {
    let relevant = relevant_prep(c);
    let budget = c
        .scenario
        .preparation
        .budget
        .map_or(usize::MAX, |b| b as usize);
    if relevant.len() <= 8 {
        (0u32..1 << relevant.len())
            .map(|mask| {
                relevant
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| mask & (1 << bit) != 0)
                    .map(|(_, &i)| i)
                    .collect::<Vec<_>>()
            })
            .filter(|set| set.len() <= budget)
            .collect()
    } else {
        let mut sets = vec![Vec::new()];
        sets.extend(relevant.iter().map(|&i| vec![i]));
        sets.push(relevant.iter().copied().take(budget).collect());
        sets
    }
}

/// One transition of the situation graph.
struct Edge {
    to: u32,
    node: u32,
    choice: u32,
    gain: i64,
    blocker: bool,
}

/// Visits every reachable situation (all relevant preparation sets) within [`STATE_BUDGET`].
pub fn explore(c: &Compiled) -> Exploration {
    let live = Liveness::new(c);
    let mut ex = Exploration {
        reachable: vec![false; c.nodes.len()],
        choice_offered: c
            .nodes
            .iter()
            .map(|n| vec![false; n.choices.len()])
            .collect(),
        line_eligible: c.nodes.iter().map(|n| vec![false; n.lines.len()]).collect(),
        evidence_gainable: vec![false; c.scenario.evidence.len()],
        stuck: vec![false; c.nodes.len()],
        farmable: c
            .nodes
            .iter()
            .map(|n| vec![false; n.choices.len()])
            .collect(),
        max_evidence: 0,
        max_evidence_by_truth: Vec::new(),
        states: 0,
        patience_runs_out: false,
        bounded: false,
    };

    // Breadth-first over masked situations, recording the graph.
    // Each situation is stored once; its position in the set is its index.
    let mut states: IndexSet<State, FxBuildHasher> = IndexSet::default();
    let mut edges: Vec<Vec<Edge>> = Vec::new();
    let mut starts = Vec::new();
    let intern = |s: State,
                  states: &mut IndexSet<State, FxBuildHasher>,
                  edges: &mut Vec<Vec<Edge>>|
     -> (u32, bool) {
        let (i, new) = states.insert_full(s);
        if new {
            edges.push(Vec::new());
        }
        (i as u32, new)
    };
    let mut queue = std::collections::VecDeque::new();
    let combos = c.truth_combos();
    let sets = prep_sets(c);
    for (k, drawn) in combos.iter().enumerate() {
        for set in &sets {
            let mut s = c.initial_state(set, drawn);
            live.mask(&mut s);
            let (i, new) = intern(s, &mut states, &mut edges);
            starts.push((k, i));
            if new {
                queue.push_back(i);
            }
        }
    }
    while let Some(i) = queue.pop_front() {
        let s = states[i as usize].clone();
        ex.reachable[s.node] = true;
        for (li, line) in c.nodes[s.node].lines.iter().enumerate() {
            if line.when.iter().all(|w| w.holds(&s)) {
                ex.line_eligible[s.node][li] = true;
            }
        }
        if c.is_ended(&s) {
            continue;
        }
        let available = c.available(&s);
        if available.is_empty() {
            ex.stuck[s.node] = true;
        }
        for ci in available {
            ex.choice_offered[s.node][ci] = true;
            let mut next = s.clone();
            let info = c.step_ignoring_turn_limit(&mut next, ci);
            for &g in &info.gained {
                ex.evidence_gainable[g] = true;
            }
            ex.patience_runs_out |= info.cut_short && next.patience <= 0;
            let gain = info
                .gained
                .iter()
                .map(|&g| i64::from(c.evidence_weights[g]))
                .sum::<i64>()
                + i64::from(info.evidence_points);
            live.mask(&mut next);
            if states.len() >= STATE_BUDGET && !states.contains(&next) {
                ex.bounded = true;
                continue;
            }
            let (j, new) = intern(next, &mut states, &mut edges);
            if new {
                queue.push_back(j);
            }
            edges[i as usize].push(Edge {
                to: j,
                node: s.node as u32,
                choice: ci as u32,
                gain,
                blocker: c.nodes[s.node].choices[ci].is_blocker(),
            });
        }
    }
    ex.states = states.len();

    // Best evidence still to come, per strongly connected group of situations, sinks first.
    let adjacency: Vec<Vec<usize>> = edges
        .iter()
        .map(|es| es.iter().map(|e| e.to as usize).collect())
        .collect();
    let (component, order) = strongly_connected(&adjacency);
    let mut value: Vec<Option<i64>> = vec![None; order.len()];
    for (k, members) in order.iter().enumerate() {
        let mut best: Option<i64> = None;
        for &v in members {
            if c.is_ended(&states[v]) {
                best = Some(best.map_or(0, |b| b.max(0)));
            }
            for e in &edges[v] {
                let target = component[e.to as usize];
                if target == k {
                    if e.gain > 0 {
                        ex.farmable[e.node as usize][e.choice as usize] = true;
                    }
                    continue;
                }
                if e.blocker {
                    continue;
                }
                if let Some(f) = value[target] {
                    let v = e.gain + f;
                    best = Some(best.map_or(v, |b| b.max(v)));
                }
            }
        }
        value[k] = best;
    }
    let all_items: i64 = c.evidence_weights.iter().map(|&w| i64::from(w)).sum();
    ex.max_evidence_by_truth = (0..combos.len())
        .map(|k| {
            let best = starts
                .iter()
                .filter(|&&(combo, _)| combo == k)
                .filter_map(|&(_, i)| value[component[i as usize]])
                .max()
                .unwrap_or(0)
                .max(0);
            // A partial search may miss the best path: never normalise against less than
            // what the items on offer are worth.
            if ex.bounded {
                best.max(all_items)
            } else {
                best
            }
        })
        .collect();
    ex.max_evidence = ex.max_evidence_by_truth.iter().copied().max().unwrap_or(0);
    ex
}

/// Tarjan's strongly connected components, iterative. Returns each vertex's component and
/// the components in the order found, which is reverse topological (sinks first).
pub fn strongly_connected(adj: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = adj.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut component = vec![usize::MAX; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if *k == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adj[v].get(*k) {
                *k += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = groups.len();
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                groups.push(group);
            }
        }
    }
    (component, groups)
}

#[cfg(test)]
mod tests;
