//! The shipped scenarios: they lint clean, their golden playthroughs hold, and plays are
//! deterministic and resumable.

use std::path::PathBuf;
use std::sync::Arc;

use dunning_dojo::domain::analysis::model_answer;
use dunning_dojo::domain::content::model::cites_a_course;
use dunning_dojo::domain::engine::{Compiled, Session, Setup};
use dunning_dojo::domain::text::Locale;
use serde::{Deserialize, Serialize};

use crate::support::{root, shipped};

#[derive(Debug, Serialize, Deserialize)]
struct Golden {
    name: String,
    seed: u64,
    lang: String,
    #[serde(default)]
    prepare: Vec<String>,
    /// Drawn-truth variants fixed for this playthrough (one golden per truth).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    truths: Vec<String>,
    choices: Vec<String>,
    expect: Expect,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Expect {
    outcome: String,
    ending: String,
    passed: bool,
    tone: f64,
    persistence: f64,
    evidence: f64,
    overall: f64,
    violations: Vec<String>,
    evidence_items: Vec<String>,
}

fn play(c: &Arc<Compiled>, g: &Golden) -> Expect {
    let locale = Locale::from_tag(&g.lang).expect("golden locale");
    let setup = Setup {
        prepared: g.prepare.clone(),
        trainee: None,
        truths: g.truths.clone(),
    };
    let (mut s, _) = Session::start(c, g.seed, locale, setup).expect("starts");
    for id in &g.choices {
        s.choose(id).unwrap_or_else(|e| panic!("{}: {e}", g.name));
    }
    let r = s
        .result()
        .unwrap_or_else(|| panic!("{}: did not end", g.name));
    Expect {
        outcome: r.outcome.key().to_owned(),
        ending: r.ending,
        passed: r.passed,
        tone: r.scores.tone,
        persistence: r.scores.persistence,
        evidence: r.scores.evidence,
        overall: r.scores.overall,
        violations: r
            .violations
            .iter()
            .map(|v| v.rule.key().to_owned())
            .collect(),
        evidence_items: r.evidence,
    }
}

fn golden_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/golden"))
        .expect("tests/golden exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn shipped_content_lints_without_errors_or_warnings() {
    let lib = shipped();
    let warnings: Vec<String> = lib.diagnostics.iter().map(|d| d.headline()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    assert!(lib.scenarios.len() >= 2);
}

/// Set `DOJO_BLESS=1` to rewrite the expectations after an intended content change; review
/// the diff before committing it.
#[test]
fn golden_playthroughs_hold() {
    let lib = shipped();
    let bless = std::env::var_os("DOJO_BLESS").is_some();
    let mut failures = Vec::new();
    let files = golden_files();
    for id in lib.scenarios.keys() {
        assert!(
            files
                .iter()
                .any(|f| f.file_stem().is_some_and(|s| s == id.as_str())),
            "scenario `{id}` has no tests/golden/{id}.json"
        );
    }
    for file in files {
        let id = file.file_stem().unwrap().to_string_lossy().into_owned();
        let c = lib
            .scenario(&id)
            .unwrap_or_else(|| panic!("{}: no such scenario", file.display()));
        let mut goldens: Vec<Golden> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for g in &mut goldens {
            let got = play(c, g);
            if got != g.expect {
                if bless {
                    g.expect = got;
                } else {
                    failures.push(format!(
                        "{} / {}:\n  expected {:?}\n  got      {:?}",
                        id, g.name, g.expect, got
                    ));
                }
            }
        }
        if bless {
            std::fs::write(
                &file,
                serde_json::to_string_pretty(&goldens).unwrap() + "\n",
            )
            .unwrap();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_scenario_has_a_passing_model_answer_of_ninety_or_more() {
    let lib = shipped();
    for (id, p) in &lib.scenarios {
        let best = model_answer(&p.compiled).unwrap_or_else(|| panic!("{id}: no model answer"));
        assert!(
            best.passed && best.scores.overall >= 90.0,
            "{id}: model answer {:?}",
            best.scores
        );
    }
}

#[test]
fn same_content_seed_and_choices_give_identical_results() {
    let lib = shipped();
    for (id, p) in &lib.scenarios {
        let best = model_answer(&p.compiled).unwrap();
        let declared = p.compiled.scenario.locales.iter();
        for locale in declared.filter_map(|t| Locale::from_tag(t)) {
            let run = |seed| {
                let setup = Setup {
                    prepared: best.prepared.clone(),
                    trainee: Some("Lin".into()),
                    truths: best.truths.clone(),
                };
                let (mut s, _) = Session::start(&p.compiled, seed, locale, setup).unwrap();
                for c in &best.choices {
                    s.choose(c).unwrap();
                }
                serde_json::to_string(&s.result().unwrap()).unwrap()
            };
            assert_eq!(run(77), run(77), "{id} {locale}");
        }
    }
}

#[test]
fn two_seeds_read_differently() {
    let lib = shipped();
    for (id, p) in &lib.scenarios {
        let best = model_answer(&p.compiled).unwrap();
        let lines = |seed| {
            let setup = Setup {
                prepared: best.prepared.clone(),
                trainee: None,
                truths: best.truths.clone(),
            };
            let (mut s, _) = Session::start(&p.compiled, seed, Locale::ZhCn, setup).unwrap();
            for c in &best.choices {
                s.choose(c).unwrap();
            }
            s.transcript()
                .iter()
                .map(|t| t.text.clone())
                .collect::<Vec<_>>()
        };
        assert_ne!(lines(1), lines(2), "{id}: seeds 1 and 2 read the same");
    }
}

#[test]
fn save_restore_continue_equals_an_uninterrupted_run() {
    let lib = shipped();
    for (id, p) in &lib.scenarios {
        let best = model_answer(&p.compiled).unwrap();
        let setup = || Setup {
            prepared: best.prepared.clone(),
            trainee: None,
            truths: best.truths.clone(),
        };
        let (mut whole, _) = Session::start(&p.compiled, 5, Locale::En, setup()).unwrap();
        for c in &best.choices {
            whole.choose(c).unwrap();
        }
        for cut in 0..best.choices.len() {
            let (mut first, _) = Session::start(&p.compiled, 5, Locale::En, setup()).unwrap();
            for c in &best.choices[..cut] {
                first.choose(c).unwrap();
            }
            let text = serde_json::to_string(&first.save()).unwrap();
            let mut resumed =
                Session::restore(&p.compiled, serde_json::from_str(&text).unwrap()).unwrap();
            for c in &best.choices[cut..] {
                resumed.choose(c).unwrap();
            }
            assert_eq!(
                serde_json::to_string(&resumed.result()).unwrap(),
                serde_json::to_string(&whole.result()).unwrap(),
                "{id}: cut at {cut}"
            );
        }
    }
}

/// The course bar for the scenario library (see the content issue): enough phone calls and
/// visits, distinct personas, and every scenario big enough, varied in its endings, and laid
/// with rule-breaking traps whose explanations cite the course.
#[test]
fn the_library_meets_the_course_bar() {
    use dunning_dojo::domain::content::model::{Channel, Node, Severity};
    use std::collections::BTreeSet;
    let lib = shipped();
    let scenarios: Vec<_> = lib.scenarios.values().map(|p| &p.compiled).collect();
    let phone = scenarios
        .iter()
        .filter(|c| c.scenario.channel == Channel::Phone)
        .count();
    let visit = scenarios.len() - phone;
    assert!(
        scenarios.len() >= 16 && phone >= 10 && visit >= 6,
        "{phone} calls and {visit} visits"
    );
    let personas: BTreeSet<&str> = scenarios.iter().map(|c| c.persona.id.as_str()).collect();
    assert!(personas.len() >= 12, "{} personas", personas.len());
    let mut problems = Vec::new();
    for c in &scenarios {
        let sc = &c.scenario;
        let id = sc.id.as_str();
        for l in ["zh-CN", "en"] {
            if !sc.locales.iter().any(|x| x == l) {
                problems.push(format!("{id}: not written in {l}"));
            }
        }
        let debtor_nodes = sc
            .nodes
            .iter()
            .filter(|n| matches!(n, Node::Debtor(_)))
            .count();
        if debtor_nodes < 20 {
            problems.push(format!("{id}: {debtor_nodes} debtor nodes (at least 20)"));
        }
        let outcomes: BTreeSet<_> = sc
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Ending(e) => Some(e.outcome),
                Node::Debtor(_) => None,
            })
            .collect();
        if outcomes.len() < 4 {
            problems.push(format!(
                "{id}: {} distinct outcomes (at least 4)",
                outcomes.len()
            ));
        }
        let mut rules = BTreeSet::new();
        for node in &sc.nodes {
            if let Node::Debtor(d) = node {
                for ch in &d.choices {
                    if let Some(v) = &ch.violation
                        && v.severity == Severity::Blocker
                    {
                        rules.insert(v.rule);
                        let cites = v
                            .explanation
                            .entries()
                            .iter()
                            .all(|(_, t)| cites_a_course(t));
                        if !cites {
                            problems.push(format!(
                                "{id}: the explanation of `{}` does not cite the course document",
                                ch.id
                            ));
                        }
                    }
                }
            }
        }
        if rules.len() < 3 {
            problems.push(format!(
                "{id}: {} kinds of prohibited conduct as traps (at least 3)",
                rules.len()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each scenario's golden file holds a soft playthrough — polite but accepting the excuse — and
/// it must score low on persistence and fail.
#[test]
fn soft_paths_score_low_on_persistence() {
    for file in golden_files() {
        let goldens: Vec<Golden> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let soft = goldens
            .iter()
            .find(|g| g.name.starts_with("soft"))
            .unwrap_or_else(|| panic!("{}: no playthrough named \"soft…\"", file.display()));
        assert!(
            soft.expect.persistence < 50.0 && !soft.expect.passed,
            "{}: {:?}",
            file.display(),
            soft.expect
        );
    }
}

#[test]
fn every_syllabus_topic_is_taught_and_the_readme_table_is_current() {
    use dunning_dojo::domain::syllabus::{coverage_table, uncovered};
    let lib = shipped();
    let pairs = || {
        lib.scenarios.values().map(|p| {
            (
                p.compiled.scenario.id.as_str(),
                p.compiled.scenario.tags.as_slice(),
            )
        })
    };
    let missing = uncovered(pairs());
    assert!(
        missing.is_empty(),
        "topics no scenario teaches: {missing:?}"
    );
    let readme = std::fs::read_to_string(crate::support::dialogues().join("README.md")).unwrap();
    let start = readme
        .find("<!-- coverage:start -->\n")
        .expect("the start marker")
        + "<!-- coverage:start -->\n".len();
    let end = readme
        .find("<!-- coverage:end -->")
        .expect("the end marker");
    let table = coverage_table(pairs());
    assert_eq!(
        &readme[start..end],
        table,
        "dialogues/README.md's coverage table is out of date: run `cargo run -- coverage` and paste it between the markers"
    );
}

/// A rebuild (as on a hot reload) reuses the analysis of unchanged scenarios; the library it
/// produces must be the one a fresh build produces.
#[test]
fn rebuilding_with_the_previous_library_changes_nothing() {
    use dunning_dojo::domain::content::ContentSet;
    use dunning_dojo::domain::library::Library;
    let fresh = shipped();
    let again = Library::build(
        ContentSet::load(&[crate::support::dialogues()]),
        Some(&fresh),
    );
    assert_eq!(fresh.diagnostics, again.diagnostics);
    for (id, p) in &fresh.scenarios {
        let q = &again.scenarios[id];
        assert_eq!(p.compiled.content_hash, q.compiled.content_hash);
        assert_eq!(
            p.analysis.exploration.max_evidence, q.analysis.exploration.max_evidence,
            "{id}"
        );
        assert_eq!(
            p.analysis.exploration.states, q.analysis.exploration.states,
            "{id}"
        );
    }
}
