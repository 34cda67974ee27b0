//! Unit tests of the search on tiny hand-built graphs: what is reached, where play gets stuck,
//! what can be farmed, the evidence maximum, and the strongly connected components.

use super::*;
use crate::domain::content::model::{Persona, Scenario};

const PERSONA: &str = include_str!("../../../../tests/fixtures/base/persona.ron");

/// A choice: `id`, its extra fields (`when`, `effects`, `violation`), and where it leads.
fn choice(id: &str, extra: &str, next: &str) -> String {
    format!(
        "(id: \"{id}\", text: \"{id}\", tone: courteous_firm, {extra} feedback: (text: \"f\"), next: \"{next}\")"
    )
}

/// A debtor node with these choices.
fn node(id: &str, choices: &[String]) -> String {
    format!(
        "Debtor(id: \"{id}\", say: [(text: \"{id}\")], choices: [{}])",
        choices.join(", ")
    )
}

/// A scenario starting at the first node, with evidence `e1` (weight 1), `e2` (2) and `e5`
/// (5), and the endings `done` and `hangup` (patience out) after `nodes`.
fn compiled(nodes: &[String]) -> Compiled {
    let text = format!(
        "Scenario(id: \"tiny\", title: \"t\", persona: \"test_debtor\", channel: phone, stage: one_month, difficulty: easy, locales: [\"en\"], supplier: \"s\", objectives: [], briefing: \"b\",
          evidence: [(id: \"e1\", label: \"1\", weight: 1), (id: \"e2\", label: \"2\", weight: 2), (id: \"e5\", label: \"5\", weight: 5)],
          start: \"{}\", patience_out: \"hangup\",
          nodes: [{}, Ending(id: \"done\", outcome: verbal_promise, say: [(text: \"ok\")]), Ending(id: \"hangup\", outcome: hung_up, say: [(text: \"bye\")])])",
        nodes[0].split('"').nth(1).expect("a node id"),
        nodes.join(", ")
    );
    let opts = crate::domain::content::syntax::ron_options();
    let scenario: Scenario = opts.from_str(&text).expect("the test scenario parses");
    let persona: Persona = opts.from_str(PERSONA).expect("the fixture persona parses");
    Compiled::new(scenario, persona, &[&text]).expect("the test scenario compiles")
}

fn index(c: &Compiled, id: &str) -> usize {
    c.scenario
        .nodes
        .iter()
        .position(|n| n.id().as_str() == id)
        .expect("a node")
}

#[test]
fn only_what_the_conditions_allow_is_reached() {
    let c = compiled(&[
        node(
            "a",
            &[
                choice("to_b", "effects: (gain: [\"e1\"]),", "b"),
                choice("locked", "when: [Flag(\"never_set\")],", "c"),
            ],
        ),
        node("b", &[choice("end", "", "done")]),
        node(
            "c",
            &[choice("end_c", "effects: (gain: [\"e5\"]),", "done")],
        ),
    ]);
    let ex = explore(&c);
    let reached: Vec<&str> = c
        .scenario
        .nodes
        .iter()
        .zip(&ex.reachable)
        .filter(|(_, r)| **r)
        .map(|(n, _)| n.id().as_str())
        .collect();
    assert_eq!(reached, ["a", "b", "done"]);
    assert_eq!(ex.choice_offered[index(&c, "a")], [true, false]);
    assert_eq!(ex.evidence_gainable, [true, false, false]);
    assert_eq!(ex.stuck, [false; 5]);
    assert!(!ex.patience_runs_out);
    assert!(!ex.bounded);
    assert_eq!(ex.max_evidence, 1);
}

#[test]
fn a_node_whose_every_choice_is_closed_is_stuck() {
    let c = compiled(&[
        node(
            "a",
            &[
                choice("set", "effects: (set: [\"ready\"]),", "gate"),
                choice("skip", "", "gate"),
            ],
        ),
        node(
            "gate",
            &[choice("through", "when: [Flag(\"ready\")],", "done")],
        ),
    ]);
    let ex = explore(&c);
    let gate = index(&c, "gate");
    // Reached with the flag (passes) and without it (stuck).
    assert!(ex.reachable[gate]);
    assert!(ex.stuck[gate]);
    assert!(!ex.stuck[index(&c, "a")]);
    assert_eq!(ex.choice_offered[gate], [true]);
}

#[test]
fn points_on_a_loop_are_farmable_and_items_are_not() {
    let c = compiled(&[node(
        "a",
        &[
            choice("points", "effects: (evidence: 2),", "a"),
            choice("item", "effects: (gain: [\"e2\"]),", "a"),
            choice("leave", "effects: (evidence: 1),", "done"),
        ],
    )]);
    let ex = explore(&c);
    assert_eq!(ex.farmable[index(&c, "a")], [true, false, false]);
}

#[test]
fn the_evidence_maximum_takes_the_best_clean_path() {
    let blocker = "violation: (rule: insult, severity: blocker, explanation: \"no\"),";
    let c = compiled(&[
        node(
            "a",
            &[
                choice("first", "effects: (gain: [\"e1\"]),", "b"),
                choice("other", "effects: (gain: [\"e2\"]),", "done"),
                choice(
                    "rude",
                    &format!("{blocker} effects: (gain: [\"e5\"]),"),
                    "done",
                ),
            ],
        ),
        node(
            "b",
            &[choice(
                "then",
                "effects: (gain: [\"e2\"], evidence: 3),",
                "done",
            )],
        ),
    ]);
    let ex = explore(&c);
    // e1 (1) then e2 (2) plus 3 points beats e2 alone; the blocker's e5 never counts.
    assert_eq!(ex.max_evidence, 6);
    assert_eq!(ex.max_evidence_by_truth, vec![6; c.truth_combos().len()]);
    assert_eq!(ex.evidence_gainable, [true, true, true]);
    assert_eq!(ex.evidence_max().best, 6);
}

#[test]
fn strongly_connected_groups_come_sinks_first() {
    // 0 → 1 → 2 → 0 is a loop that leads on to 3; 4 loops on itself; 5 stands alone.
    let adj = vec![vec![1], vec![2], vec![0, 3], vec![], vec![4], vec![]];
    let (component, groups) = strongly_connected(&adj);
    let mut sorted: Vec<Vec<usize>> = groups
        .iter()
        .map(|g| {
            let mut g = g.clone();
            g.sort_unstable();
            g
        })
        .collect();
    sorted.sort();
    assert_eq!(sorted, [vec![0, 1, 2], vec![3], vec![4], vec![5]]);
    for (v, &k) in component.iter().enumerate() {
        assert!(groups[k].contains(&v), "vertex {v} is in its group");
    }
    // Every edge between groups points to a group found earlier (reverse topological order).
    for (v, out) in adj.iter().enumerate() {
        for &w in out {
            assert!(component[w] <= component[v], "{v} → {w}");
        }
    }
    assert!(component[3] < component[0]);
    assert_eq!(strongly_connected(&[]), (vec![], vec![]));
}
