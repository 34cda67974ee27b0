//! Lint never panics, whatever the input: truncated, mutated and random files.

use std::path::PathBuf;

use dunning_dojo::domain::content::ContentSet;
use dunning_dojo::domain::library::Library;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::support::{dialogues, fixture};

fn corpus() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in [dialogues(), fixture("base"), fixture("broken")] {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "ron") {
                    files.push((
                        p.clone(),
                        String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
                    ));
                }
            }
        }
    }
    files.sort();
    files
}

fn lint_pair(persona: &str, text: String) {
    let set = ContentSet::from_sources([
        (PathBuf::from("persona.ron"), persona.to_owned()),
        (PathBuf::from("mutant.ron"), text),
    ]);
    let lib = Library::build(set, None);
    for d in &lib.diagnostics {
        let _ = d.render(lib.sources.get(&d.path).map_or("", String::as_str));
    }
}

#[test]
fn truncated_files_never_panic() {
    let persona = std::fs::read_to_string(fixture("base/persona.ron")).unwrap();
    for (_, text) in corpus() {
        let cuts: Vec<usize> = (0..text.len())
            .step_by(97)
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for cut in cuts {
            lint_pair(&persona, text[..cut].to_owned());
        }
    }
}

#[test]
fn randomly_mutated_files_never_panic() {
    let persona = std::fs::read_to_string(fixture("base/persona.ron")).unwrap();
    let mut rng = Pcg64Mcg::seed_from_u64(2026);
    let pieces = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "\"",
        "next",
        "Debtor(",
        "Ending(",
        "-1",
        "99999999999",
        "é",
        "中",
        "/*",
        "r#\"",
        "\\",
    ];
    for (_, text) in corpus() {
        let chars: Vec<char> = text.chars().collect();
        for _ in 0..40 {
            let mut c = chars.clone();
            for _ in 0..rng.random_range(1..4usize) {
                if c.is_empty() {
                    break;
                }
                let at = rng.random_range(0..c.len());
                match rng.random_range(0..3u8) {
                    0 => {
                        c.remove(at);
                    }
                    1 => {
                        let piece = pieces[rng.random_range(0..pieces.len())];
                        for (k, ch) in piece.chars().enumerate() {
                            c.insert(at + k, ch);
                        }
                    }
                    _ => {
                        let end = (at + rng.random_range(1..40usize)).min(c.len());
                        c.drain(at..end);
                    }
                }
            }
            lint_pair(&persona, c.into_iter().collect());
        }
    }
}

#[test]
fn garbage_and_empty_input_never_panic() {
    let persona = std::fs::read_to_string(fixture("base/persona.ron")).unwrap();
    for text in [
        "",
        " ",
        "Scenario",
        "Scenario(",
        "Persona()",
        "Scenario(nodes: [Debtor(say: [], choices: [])])",
        "\u{feff}Scenario()",
        "((((((((((((",
    ] {
        lint_pair(&persona, text.to_owned());
    }
    lint_pair(&persona, "[".repeat(100_000));
}

#[test]
fn the_domain_never_imports_bevy() {
    let mut stack = vec![crate::support::root().join("src/domain")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                checked += 1;
                let text = std::fs::read_to_string(&p).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    assert!(
                        !(code.contains("bevy::")
                            || code.contains("bevy_") && code.contains("::")
                            || code.contains("use bevy")),
                        "{}:{}: src/domain must stay free of Bevy: {line}",
                        p.display(),
                        n + 1
                    );
                }
            }
        }
    }
    assert!(checked > 10);
}
