//! The dialogue graph as Graphviz DOT or Mermaid, with choices labelled by id and tone.

use std::fmt::Write;

use crate::domain::content::model::{Node, Scenario};

/// Which diagram language to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

/// Writes the scenario's graph. Debtor nodes are boxes, endings are labelled with their
/// outcome, violation choices are drawn red (DOT) or with a ⚠ (Mermaid).
pub fn render(sc: &Scenario, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => dot(sc),
        GraphFormat::Mermaid => mermaid(sc),
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(sc: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(sc.id.as_str()));
    let _ = writeln!(out, "  rankdir=TB;");
    let _ = writeln!(out, "  node [fontname=\"Noto Sans CJK SC\"];");
    let _ = writeln!(out, "  edge [fontname=\"Noto Sans CJK SC\", fontsize=10];");
    let _ = writeln!(out, "  \"__start\" [shape=point];");
    let _ = writeln!(
        out,
        "  \"__start\" -> \"{}\";",
        dot_escape(sc.start.as_str())
    );
    for node in &sc.nodes {
        match node {
            Node::Debtor(d) => {
                let _ = writeln!(out, "  \"{}\" [shape=box];", dot_escape(d.id.as_str()));
            }
            Node::Ending(e) => {
                let _ = writeln!(
                    out,
                    "  \"{}\" [shape=doubleoctagon, label=\"{}\\n{}\"];",
                    dot_escape(e.id.as_str()),
                    dot_escape(e.id.as_str()),
                    e.outcome.key()
                );
            }
        }
    }
    for node in &sc.nodes {
        if let Node::Debtor(d) = node {
            for c in &d.choices {
                let style = if c.violation.is_some() {
                    ", color=red, fontcolor=red"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  \"{}\" -> \"{}\" [label=\"{} ({})\"{style}];",
                    dot_escape(d.id.as_str()),
                    dot_escape(c.next.as_str()),
                    dot_escape(c.id.as_str()),
                    c.tone.key()
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

fn mermaid_id(id: &str) -> String {
    format!("n_{id}")
}

fn mermaid(sc: &Scenario) -> String {
    let mut out = String::from("flowchart TD\n");
    let _ = writeln!(
        out,
        "  start((start)) --> {}",
        mermaid_id(sc.start.as_str())
    );
    for node in &sc.nodes {
        match node {
            Node::Debtor(d) => {
                let _ = writeln!(out, "  {}[\"{}\"]", mermaid_id(d.id.as_str()), d.id);
            }
            Node::Ending(e) => {
                let _ = writeln!(
                    out,
                    "  {}([\"{}: {}\"])",
                    mermaid_id(e.id.as_str()),
                    e.id,
                    e.outcome.key()
                );
            }
        }
    }
    for node in &sc.nodes {
        if let Node::Debtor(d) = node {
            for c in &d.choices {
                let warn = if c.violation.is_some() { "⚠ " } else { "" };
                let _ = writeln!(
                    out,
                    "  {} -->|\"{warn}{} ({})\"| {}",
                    mermaid_id(d.id.as_str()),
                    c.id,
                    c.tone.key(),
                    mermaid_id(c.next.as_str())
                );
            }
        }
    }
    out
}
