//! The shape of the house: no import circle among the files of a layer. A file depends on
//! another when it names it (`crate::…`, `super::…`); a module naming its own children
//! (declaring or re-exporting them) is its namespace and does not count. The files of
//! `src/game` and of `src/domain` must form no circle, so each part can be read from its own
//! folder down. (The domain's stage order is checked in `domain::pipeline`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/<layer>`, by module path (`["game", "practice", "adapter"]`).
fn modules(src: &Path, layer: &str) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.join(layer)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|p| p == "mod") {
                    parts.pop();
                }
                out.insert(parts, path);
            }
        }
    }
    out
}

/// The deepest known module a path names.
fn resolve<'a>(
    mods: &'a BTreeMap<Vec<String>, PathBuf>,
    parts: &[String],
) -> Option<&'a Vec<String>> {
    (1..=parts.len())
        .rev()
        .find_map(|k| mods.get_key_value(&parts[..k]).map(|(m, _)| m))
}

/// The paths after `prefix::` in `text` (`crate::game::state::Screen` → game, state, Screen).
fn paths_after<'t>(text: &'t str, prefix: &str) -> Vec<Vec<&'t str>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        out.push(rest[..end].split("::").filter(|p| !p.is_empty()).collect());
    }
    out
}

/// The dependency edges among the files of `src/<layer>` (unit-test modules left out).
fn edges(src: &Path, layer: &str) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mods = modules(src, layer);
    let mut graph = BTreeMap::new();
    for (me, path) in &mods {
        let text = std::fs::read_to_string(path).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        // `super` is the enclosing module for `a/b.rs` and `a/b/mod.rs` alike.
        let parent = &me[..me.len() - 1];
        let owned = |p: Vec<&str>| p.into_iter().map(str::to_owned).collect::<Vec<_>>();
        let named = paths_after(text, "crate::").into_iter().map(owned).chain(
            paths_after(text, "super::")
                .into_iter()
                .map(|p| parent.iter().cloned().chain(owned(p)).collect()),
        );
        let declared = text.lines().filter_map(|line| {
            let l = line.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(me.iter().cloned().chain([name.trim().to_owned()]).collect())
        });
        // A module declaring and re-exporting its own children is its namespace, not an
        // import: a circle needs a child or a sibling that leads back.
        let deps = named
            .chain(declared)
            .filter_map(|parts: Vec<String>| resolve(&mods, &parts).filter(|m| *m != me).cloned())
            .filter(|m| !m.starts_with(me))
            .collect();
        graph.insert(me.clone(), deps);
    }
    graph
}

/// The circles (strongly connected groups of two or more files) in `graph`.
fn circles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    let nodes: Vec<&Vec<String>> = graph.keys().collect();
    let reach = |from: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for d in graph.get(&n).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    stack.push(d.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&Vec<String>, BTreeSet<Vec<String>>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        let group: Vec<String> = nodes
            .iter()
            .filter(|m| reached[*n].contains(**m) && reached[**m].contains(*n))
            .map(|m| m.join("::"))
            .collect();
        if group.len() > 1 && !out.contains(&group) {
            out.push(group);
        }
    }
    out
}

/// Fails naming each circle in `src/<layer>` and the imports that close it.
fn assert_no_circle(layer: &str) {
    let graph = edges(Path::new("src"), layer);
    let found = circles(&graph);
    let mut report = String::new();
    for group in &found {
        report.push_str(&format!("\ncircle of {} files:", group.len()));
        for (from, deps) in &graph {
            let from = from.join("::");
            for to in deps.iter().map(|d| d.join("::")) {
                if group.contains(&from) && group.contains(&to) {
                    report.push_str(&format!("\n  {from} -> {to}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "import circles in src/{layer}:{report}");
}

#[test]
fn the_game_has_no_import_circle() {
    assert_no_circle("game");
}

#[test]
fn the_domain_has_no_import_circle() {
    assert_no_circle("domain");
}

#[test]
fn a_circle_is_found_when_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src/toy");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("mod.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::toy::b::B;\n").unwrap();
    std::fs::write(src.join("b.rs"), "use super::a::A;\n").unwrap();
    // A child using its parent's items is not a circle by itself.
    std::fs::create_dir_all(src.join("c")).unwrap();
    std::fs::write(
        src.join("c/mod.rs"),
        "mod d;\npub use d::D;\npub struct C;\n",
    )
    .unwrap();
    std::fs::write(src.join("c/d.rs"), "use super::C;\n").unwrap();
    let found = circles(&edges(&dir.path().join("src"), "toy"));
    assert_eq!(found, vec![vec!["toy::a".to_owned(), "toy::b".to_owned()]]);
}
