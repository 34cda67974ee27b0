//! The corpus of broken content: each file in `tests/fixtures/broken/` names, on its first
//! line, the code it must produce and where (`// expect: DD0103 at 59:97`).

use std::path::PathBuf;

use dunning_dojo::domain::library::Library;

use crate::support::fixture;

struct Expectation {
    code: String,
    line: usize,
    col: usize,
}

fn expectation(path: &PathBuf) -> Expectation {
    let bytes = std::fs::read(path).expect("fixture readable");
    let first = String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or_default())
        .into_owned();
    let rest = first.strip_prefix("// expect: ").unwrap_or_else(|| {
        panic!(
            "{}: first line must be `// expect: DDnnnn at L:C`",
            path.display()
        )
    });
    let (code, at) = rest.split_once(" at ").expect("`CODE at L:C`");
    let (line, col) = at.trim().split_once(':').expect("L:C");
    Expectation {
        code: code.to_owned(),
        line: line.parse().expect("line number"),
        col: col.parse().expect("column number"),
    }
}

#[test]
fn every_broken_fixture_reports_its_code_at_its_line() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture("broken"))
        .expect("broken fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 40,
        "the corpus shrank to {} files",
        paths.len()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let exp = expectation(path);
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        // A broken persona is checked with the good scenario, a scenario with the good persona,
        // and a quiz bank or a campaign with both (they name scenarios).
        let kind = text.lines().nth(1).unwrap_or_default();
        let partners = if kind.starts_with("Persona") {
            vec![fixture("base/scenario.ron")]
        } else if kind.starts_with("QuizBank") || kind.starts_with("Campaign") {
            vec![fixture("base/persona.ron"), fixture("base/scenario.ron")]
        } else {
            vec![fixture("base/persona.ron")]
        };
        let lib = Library::load(&[partners, vec![path.clone()]].concat());
        let hit = lib.diagnostics.iter().any(|d| {
            &d.path == path
                && d.code.to_string() == exp.code
                && d.line == exp.line
                && d.col == exp.col
        });
        if !hit {
            let got: Vec<String> = lib.diagnostics.iter().map(|d| d.headline()).collect();
            failures.push(format!(
                "{}: expected {} at {}:{}, got:\n  {}",
                path.display(),
                exp.code,
                exp.line,
                exp.col,
                got.join("\n  ")
            ));
        }
        // A broken file is never playable.
        if exp.code.starts_with("DD0")
            && lib.diagnostics.iter().any(|d| {
                &d.path == path && d.level == dunning_dojo::domain::diagnostics::Level::Error
            })
        {
            assert!(
                lib.scenarios.values().all(|p| &p.path != path),
                "{} has errors but is playable",
                path.display()
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_covers_every_documented_code() {
    let readme = std::fs::read_to_string(crate::support::dialogues().join("README.md")).unwrap();
    let documented: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| DD"))
        .map(|l| &l[..4])
        .collect();
    let corpus: String = std::fs::read_dir(fixture("broken"))
        .unwrap()
        .map(|e| {
            let bytes = std::fs::read(e.unwrap().path()).unwrap();
            String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or_default())
                .into_owned()
        })
        .collect();
    // Codes that need a situation a small fixture cannot produce: a search cut short, and a
    // link or a `.RON` name (tests/content_files.rs makes those), and a stale translation,
    // which needs an import record beside a content folder (tests/strings.rs makes one).
    let exempt = ["0206", "0009", "0307"];
    let missing: Vec<&&str> = documented
        .iter()
        .filter(|c| !exempt.contains(c) && !corpus.contains(&format!("DD{c}")))
        .collect();
    assert!(
        missing.is_empty(),
        "documented codes with no broken fixture: {missing:?}"
    );
}

#[test]
fn the_readme_documents_every_code_the_validator_uses() {
    let readme = std::fs::read_to_string(crate::support::dialogues().join("README.md")).unwrap();
    let source =
        std::fs::read_to_string(crate::support::root().join("src/domain/diagnostics.rs")).unwrap();
    let used: Vec<u16> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split("Code(").nth(1))
        .filter_map(|l| l.trim_end_matches(");").parse().ok())
        .collect();
    assert!(used.len() > 30);
    for code in used {
        let id = format!("| DD{code:04} |");
        // Quiz codes are documented with the quiz format.
        assert!(
            readme.contains(&id) || code >= 600,
            "DD{code:04} is not in dialogues/README.md"
        );
    }
}
