//! What a scenario allows: the reachable state space, the most evidence a clean playthrough
//! can gather, the model answer (the best alternative taken at every turn), every path
//! enumerated, and random-policy simulation.

use std::collections::BTreeMap;

use indexmap::IndexSet;
use rustc_hash::FxBuildHasher;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use crate::domain::content::model::{Condition, Node, Outcome};
use crate::domain::engine::compiled::{Bits, Compiled, Cond, State};
use crate::domain::scoring::{ScoreSheet, Scores, judge_turn, passes};

/// How many distinct situations the analyser visits before it stops and reports a bound.
pub const STATE_BUDGET: usize = 200_000;

/// The reachable part of a scenario, found by visiting every situation a conversation can be in.
///
/// Situations are states with everything no later condition can read masked out (see
/// [`Liveness`]), so two paths that differ only in facts nobody asks about again count once.
/// The turn limit is treated as a safety valve and not modelled.
#[derive(Clone, Debug, Default)]
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

/// One complete playthrough and how it scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathResult {
    /// Preparation item ids ticked.
    pub prepared: Vec<String>,
    /// The drawn-truth variant ids that held.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truths: Vec<String>,
    /// Choice ids, in order.
    pub choices: Vec<String>,
    /// The ending node id.
    pub ending: String,
    /// The ending's outcome.
    pub outcome: Outcome,
    /// The scores.
    pub scores: Scores,
    /// Whether it passed.
    pub passed: bool,
}

/// Plays from the start with `prepared` and the truths `drawn`, asking `policy` for a choice
/// index at each turn.
pub fn run_policy(
    c: &Compiled,
    prepared: &[usize],
    drawn: &Bits,
    mut policy: impl FnMut(&State, &[usize]) -> usize,
) -> Option<PathResult> {
    let mut s = c.initial_state(prepared, drawn);
    let mut sheet = ScoreSheet::default();
    let mut choices = Vec::new();
    while !c.is_ended(&s) {
        let available = c.available(&s);
        if available.is_empty() {
            return None;
        }
        let ci = policy(&s, &available);
        let j = judge_turn(c, &s, &available, ci);
        let choice = &c.nodes[s.node].choices[ci];
        sheet.add_turn(
            &j,
            choice.violation.map_or(0.0, |v| v.penalty()),
            choice.is_blocker(),
        );
        choices.push(node_choice_id(c, s.node, ci));
        let info = c.step(&mut s, ci);
        sheet.evidence_points += i64::from(info.evidence_points);
    }
    Some(finish(c, prepared, choices, &s, &sheet))
}

fn finish(
    c: &Compiled,
    prepared: &[usize],
    choices: Vec<String>,
    s: &State,
    sheet: &ScoreSheet,
) -> PathResult {
    let raw = c.evidence_weight(&s.evidence) + sheet.evidence_points;
    let scores = sheet.scores(
        raw,
        c.max_evidence_for(&s.drawn),
        &c.scenario.scoring.weights,
    );
    PathResult {
        prepared: prepared
            .iter()
            .map(|&i| c.scenario.preparation.items[i].id.0.clone())
            .collect(),
        truths: truth_ids(c, &s.drawn),
        choices,
        ending: c.scenario.nodes[s.node].id().0.clone(),
        outcome: c.nodes[s.node].ending.unwrap_or(Outcome::HungUp),
        passed: passes(&scores, sheet.blocker, c.scenario.scoring.pass_mark),
        scores,
    }
}

fn node_choice_id(c: &Compiled, node: usize, ci: usize) -> String {
    match &c.scenario.nodes[node] {
        crate::domain::content::model::Node::Debtor(d) => d.choices[ci].id.0.clone(),
        crate::domain::content::model::Node::Ending(_) => String::new(),
    }
}

/// The variant ids of a set of drawn truths, in the scenario's order.
pub fn truth_ids(c: &Compiled, drawn: &Bits) -> Vec<String> {
    drawn
        .iter()
        .filter_map(|i| c.variant(i).map(|(_, v)| v.id.0.clone()))
        .collect()
}

/// The model answer for every way the truths can fall (one entry for a scenario without
/// drawn truths), each with the truths it was played under.
pub fn model_answers(c: &Compiled) -> Vec<(Vec<String>, Option<PathResult>)> {
    c.truth_combos()
        .iter()
        .map(|drawn| (truth_ids(c, drawn), model_answer_for(c, drawn)))
        .collect()
}

/// The weakest of the per-truth model answers (`None` when one gets stuck): when it passes,
/// the model answer passes whatever is drawn. This is the "best path" the validator requires
/// to pass.
pub fn model_answer(c: &Compiled) -> Option<PathResult> {
    let mut worst: Option<PathResult> = None;
    for (_, answer) in model_answers(c) {
        let answer = answer?;
        if worst
            .as_ref()
            .is_none_or(|w| answer.scores.overall < w.scores.overall)
        {
            worst = Some(answer);
        }
    }
    worst
}

/// The model answer when the truths `drawn` hold: the best line on offer taken at every
/// turn, with the preparation set that makes it score highest.
pub fn model_answer_for(c: &Compiled, drawn: &Bits) -> Option<PathResult> {
    let mut best: Option<PathResult> = None;
    for set in prep_sets(c) {
        let result = run_policy(c, &set, drawn, |s, available| {
            let probe = available[0];
            judge_turn(c, s, available, probe).best_offered
        });
        if let Some(r) = result {
            let better = best.as_ref().is_none_or(|b| {
                r.scores.overall > b.scores.overall
                    || (r.scores.overall == b.scores.overall && r.prepared.len() < b.prepared.len())
            });
            if better {
                best = Some(r);
            }
        }
    }
    best
}

/// Summary of every path through a scenario (bounded).
#[derive(Clone, Debug, Serialize)]
pub struct PathsReport {
    /// Complete paths found.
    pub paths: usize,
    /// Paths that pass.
    pub passing: usize,
    /// True when `limit` stopped the enumeration.
    pub bounded: bool,
    /// The highest-scoring path.
    pub best: Option<PathResult>,
    /// The lowest-scoring path.
    pub worst: Option<PathResult>,
    /// Paths per outcome.
    pub outcomes: BTreeMap<String, usize>,
    /// Ending ids no enumerated path reached.
    pub unreached_endings: Vec<String>,
    /// Preparation sets enumerated (fully or until the limit).
    pub prep_sets_done: usize,
    /// Preparation sets not reached because of the limit.
    pub prep_sets_skipped: usize,
}

/// Enumerates every path from the start with `prepared` and the truths `drawn`, up to `limit`
/// complete paths.
pub fn enumerate_paths(
    c: &Compiled,
    prepared: &[usize],
    drawn: &Bits,
    limit: usize,
) -> PathsReport {
    struct Walk<'a> {
        c: &'a Compiled,
        prepared: &'a [usize],
        limit: usize,
        report: PathsReport,
        reached: Vec<bool>,
        choices: Vec<String>,
    }
    impl Walk<'_> {
        fn go(&mut self, s: &State, sheet: &ScoreSheet) {
            if self.report.paths >= self.limit {
                self.report.bounded = true;
                return;
            }
            if self.c.is_ended(s) {
                let r = finish(self.c, self.prepared, self.choices.clone(), s, sheet);
                self.reached[s.node] = true;
                self.report.paths += 1;
                self.report.passing += usize::from(r.passed);
                *self
                    .report
                    .outcomes
                    .entry(r.outcome.key().to_owned())
                    .or_default() += 1;
                if self
                    .report
                    .best
                    .as_ref()
                    .is_none_or(|b| r.scores.overall > b.scores.overall)
                {
                    self.report.best = Some(r.clone());
                }
                if self
                    .report
                    .worst
                    .as_ref()
                    .is_none_or(|w| r.scores.overall < w.scores.overall)
                {
                    self.report.worst = Some(r);
                }
                return;
            }
            let available = self.c.available(s);
            for &ci in &available {
                let j = judge_turn(self.c, s, &available, ci);
                let choice = &self.c.nodes[s.node].choices[ci];
                let mut sheet2 = sheet.clone();
                sheet2.add_turn(
                    &j,
                    choice.violation.map_or(0.0, |v| v.penalty()),
                    choice.is_blocker(),
                );
                let mut next = s.clone();
                let info = self.c.step(&mut next, ci);
                sheet2.evidence_points += i64::from(info.evidence_points);
                self.choices.push(node_choice_id(self.c, s.node, ci));
                self.go(&next, &sheet2);
                self.choices.pop();
            }
        }
    }
    let mut walk = Walk {
        c,
        prepared,
        limit,
        report: PathsReport {
            paths: 0,
            passing: 0,
            bounded: false,
            best: None,
            worst: None,
            outcomes: BTreeMap::new(),
            unreached_endings: Vec::new(),
            prep_sets_done: 1,
            prep_sets_skipped: 0,
        },
        reached: vec![false; c.nodes.len()],
        choices: Vec::new(),
    };
    walk.go(&c.initial_state(prepared, drawn), &ScoreSheet::default());
    let mut report = walk.report;
    report.unreached_endings = c
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| n.ending.is_some() && !walk.reached[*i])
        .map(|(i, _)| c.scenario.nodes[i].id().0.clone())
        .collect();
    report
}

/// Enumerates every path for every way the truths can fall and every preparation set worth
/// considering (see [`prep_sets`]), up to `limit` complete paths in all, and merges the
/// reports.
pub fn enumerate_all(c: &Compiled, limit: usize) -> PathsReport {
    let mut total: Option<PathsReport> = None;
    let mut reached: Vec<String> = Vec::new();
    let combos = c.truth_combos();
    let sets: Vec<(Bits, Vec<usize>)> = combos
        .iter()
        .flat_map(|d| prep_sets(c).into_iter().map(move |p| (d.clone(), p)))
        .collect();
    let count = sets.len();
    let mut done = 0;
    for (drawn, set) in sets {
        let left = limit.saturating_sub(total.as_ref().map_or(0, |t| t.paths));
        if left == 0 {
            if let Some(t) = total.as_mut() {
                t.bounded = true;
            }
            break;
        }
        done += 1;
        let r = enumerate_paths(c, &set, &drawn, left);
        for n in c
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.ending.is_some())
        {
            let id = &c.scenario.nodes[n.0].id().0;
            if !r.unreached_endings.contains(id) && !reached.contains(id) {
                reached.push(id.clone());
            }
        }
        total = Some(match total {
            None => r,
            Some(mut t) => {
                t.paths += r.paths;
                t.passing += r.passing;
                t.bounded |= r.bounded;
                for (k, v) in r.outcomes {
                    *t.outcomes.entry(k).or_default() += v;
                }
                if r.best.as_ref().is_some_and(|b| {
                    t.best
                        .as_ref()
                        .is_none_or(|tb| b.scores.overall > tb.scores.overall)
                }) {
                    t.best = r.best;
                }
                if r.worst.as_ref().is_some_and(|w| {
                    t.worst
                        .as_ref()
                        .is_none_or(|tw| w.scores.overall < tw.scores.overall)
                }) {
                    t.worst = r.worst;
                }
                t
            }
        });
    }
    let mut report = total.unwrap_or_else(|| enumerate_paths(c, &[], &c.draw_truths(0), limit));
    report.unreached_endings.retain(|id| !reached.contains(id));
    report.prep_sets_done = done.max(1);
    report.prep_sets_skipped = count.saturating_sub(done);
    report
}

/// Min, mean and max of one score over simulated runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    /// Lowest.
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Highest.
    pub max: f64,
}

/// Results of random-policy runs.
#[derive(Clone, Debug, Serialize)]
pub struct SimReport {
    /// Runs played.
    pub runs: usize,
    /// Share of runs that passed, 0 to 1.
    pub pass_rate: f64,
    /// Tone spread.
    pub tone: Spread,
    /// Persistence spread.
    pub persistence: Spread,
    /// Evidence spread.
    pub evidence: Spread,
    /// Overall spread.
    pub overall: Spread,
    /// Runs per outcome.
    pub outcomes: BTreeMap<String, usize>,
    /// Choices made in all runs.
    pub choices: usize,
}

/// Plays `runs` conversations choosing uniformly among the available lines (and a random
/// preparation within the budget), seeded by `seed`.
pub fn simulate(c: &Compiled, runs: usize, seed: u64) -> SimReport {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut results = Vec::with_capacity(runs);
    let mut choices = 0;
    let items = c.scenario.preparation.items.len();
    let budget = c.scenario.preparation.budget.map_or(items, |b| b as usize);
    for _ in 0..runs {
        let mut prepared: Vec<usize> = (0..items).filter(|_| rng.random_bool(0.5)).collect();
        prepared.truncate(budget);
        let drawn = c.draw_truths(rng.random());
        let r = run_policy(c, &prepared, &drawn, |_, available| {
            choices += 1;
            available[rng.random_range(0..available.len())]
        });
        if let Some(r) = r {
            results.push(r);
        }
    }
    let spread = |f: fn(&Scores) -> f64| {
        if results.is_empty() {
            return Spread::default();
        }
        let vals: Vec<f64> = results.iter().map(|r| f(&r.scores)).collect();
        Spread {
            min: vals.iter().copied().fold(f64::INFINITY, f64::min),
            mean: crate::domain::scoring::round1(vals.iter().sum::<f64>() / vals.len() as f64),
            max: vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    };
    let mut outcomes = BTreeMap::new();
    for r in &results {
        *outcomes.entry(r.outcome.key().to_owned()).or_default() += 1;
    }
    SimReport {
        runs: results.len(),
        pass_rate: if results.is_empty() {
            0.0
        } else {
            results.iter().filter(|r| r.passed).count() as f64 / results.len() as f64
        },
        tone: spread(|s| s.tone),
        persistence: spread(|s| s.persistence),
        evidence: spread(|s| s.evidence),
        overall: spread(|s| s.overall),
        outcomes,
        choices,
    }
}
