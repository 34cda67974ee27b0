//! The translator's round trip through the binary: `strings export`, `strings import` (in place,
//! only the literals), stale entries refused, a spreadsheet's CSV, `lint`'s stale warning.

use std::path::{Path, PathBuf};

use crate::support::{dialogues, fixture, run, s, stderr, stdout};

/// A copy of `from` (a content folder) in a new temporary folder, as `<tmp>/content`.
fn copy(from: &Path) -> (tempfile::TempDir, PathBuf) {
    fn walk(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let dest = to.join(p.file_name().unwrap());
            if p.is_dir() {
                walk(&p, &dest);
            } else {
                std::fs::copy(&p, &dest).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    walk(from, &content);
    (tmp, content)
}

/// Every `.ron` file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "ron") {
                let rel = p.strip_prefix(root).unwrap().to_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn strings(content: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--content", s(content), "strings"];
    all.extend(args);
    run(&all, "")
}

fn export(content: &Path, format: &str) -> String {
    let file = content.parent().unwrap().join(format!("out.{format}"));
    let out = strings(
        content,
        &[
            "export",
            "--locale",
            "en",
            "--format",
            format,
            "-o",
            s(&file),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read_to_string(file).unwrap()
}

/// Writes `text` beside the content and imports it.
fn import(content: &Path, name: &str, text: &str) -> std::process::Output {
    let file = content.parent().unwrap().join(name);
    std::fs::write(&file, text).unwrap();
    strings(content, &["import", s(&file)])
}

#[test]
fn export_then_import_unchanged_leaves_every_shipped_file_byte_identical() {
    let (_tmp, content) = copy(&dialogues());
    let before = snapshot(&content);
    assert!(before.len() > 40);
    for format in ["xliff", "csv"] {
        let text = export(&content, format);
        let out = import(&content, &format!("back.{format}"), &text);
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        let said = stdout(&out);
        assert!(
            said.contains(" 0 written,") && said.contains(" 0 refused"),
            "{said}"
        );
        assert_eq!(snapshot(&content), before, "{format} changed a file");
    }
    let xliff = export(&content, "xliff");
    assert!(xliff.matches("<unit ").count() > 5000);
}

#[test]
fn a_changed_xliff_translation_lands_in_its_literal_only() {
    let (_tmp, content) = copy(&dialogues());
    let before = snapshot(&content);
    let xliff = export(&content, "xliff");
    let old = "<target xml:space=\"preserve\">“We wired it last week”</target>";
    assert_eq!(xliff.matches(old).count(), 1);
    let edited = xliff.replace(
        old,
        "<target xml:space=\"preserve\">“We sent it&quot; last week” &amp; &lt;then&gt; \\ more\nlines</target>",
    );
    let out = import(&content, "t.xlf", &edited);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("1 written, 8"), "{}", stdout(&out));
    let after = snapshot(&content);
    let file = Path::new("scenarios").join("wired_it_already.ron");
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        if *path != file {
            assert_eq!(a, b, "{} changed", path.display());
            continue;
        }
        let (a, b) = (
            std::str::from_utf8(a).unwrap(),
            std::str::from_utf8(b).unwrap(),
        );
        // Everything around the literal is byte for byte what it was.
        let old = r#""“We wired it last week”""#;
        let at = a.find(old).unwrap();
        let new = r#""“We sent it\" last week” & <then> \\ more\nlines""#;
        assert_eq!(b, format!("{}{new}{}", &a[..at], &a[at + old.len()..]));
    }
}

#[test]
fn a_stale_or_unknown_entry_is_refused_and_listed() {
    let (_tmp, content) = copy(&fixture("base"));
    let csv = export(&content, "csv");
    let scenario = content.join("scenario.ron");
    let src = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, src.replace("\"测试电话\"", "\"测试电话（新）\"")).unwrap();
    let edited = csv
        .replace(",Test call\r\n", ",Test call, changed\r\n")
        .replace(
            ",Call {debtor} about {amount}.",
            ",Ring {debtor} about {amount}.",
        )
        .replace("persona.ron#role,", "persona.ron#no_such_text,");
    let out = import(&content, "t.csv", &edited);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("refused scenario.ron#title: the zh-CN source changed since export (")
            && said.contains("scenario.ron:4:"),
        "{said}"
    );
    assert!(
        said.contains("refused persona.ron#no_such_text: no such text"),
        "{said}"
    );
    assert!(said.contains(" 2 refused"), "{said}");
    let now = std::fs::read_to_string(&scenario).unwrap();
    assert!(
        now.contains("\"en\": \"Test call\""),
        "the stale row was written"
    );
}

#[test]
fn an_xliff_unit_without_its_source_hash_is_refused() {
    let (_tmp, content) = copy(&fixture("base"));
    let xliff = export(&content, "xliff");
    assert!(xliff.contains(r#"<source xml:space="preserve">测试电话</source>"#));
    let (before, after) = xliff.split_once(r#"name="scenario.ron#title">"#).unwrap();
    let (notes, rest) = after.split_once("</notes>").unwrap();
    assert!(notes.contains("source-hash"));
    let edited = format!(r#"{before}name="scenario.ron#title">{rest}"#);
    let out = import(&content, "t.xlf", &edited);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("refused scenario.ron#title: it carries no source hash"),
        "{said}"
    );
}

#[test]
fn a_csv_saved_by_a_spreadsheet_imports() {
    let (_tmp, content) = copy(&fixture("base"));
    let csv = export(&content, "csv");
    assert!(csv.starts_with('\u{feff}') && csv.contains("\r\n"));
    // A spreadsheet writes the cell with a line break in it quoted, the break as CRLF.
    let edited = csv.replace(",Test call\r\n", ",\"Test\r\ncall, \"\"quoted\"\"\"\r\n");
    assert_ne!(edited, csv);
    let out = import(&content, "saved.csv", &edited);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("1 written"), "{}", stdout(&out));
    let now = std::fs::read_to_string(content.join("scenario.ron")).unwrap();
    assert!(
        now.contains(r#""en": "Test\ncall, \"quoted\"""#),
        "{}",
        now.lines().nth(3).unwrap()
    );
    let lint = run(&["lint", s(&content)], "");
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
}

#[test]
fn lint_warns_when_the_source_changes_after_an_import_and_coverage_counts_it() {
    let (_tmp, content) = copy(&fixture("base"));
    let xliff = export(&content, "xliff");
    let out = import(
        &content,
        "t.xlf",
        &xliff.replace(
            "<target xml:space=\"preserve\">Test call</target>",
            "<target xml:space=\"preserve\">A test call</target>",
        ),
    );
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("1 written"), "{}", stdout(&out));
    assert!(content.join(".translations/en.json").is_file());
    let scenario = content.join("scenario.ron");
    let src = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, src.replace("\"测试电话\"", "\"新的测试电话\"")).unwrap();
    let lint = run(&["lint", s(&content)], "");
    let said = stdout(&lint);
    let want = format!("{}:4:", s(&scenario));
    assert!(
        said.contains("warning[DD0307]") && said.contains(&want),
        "{said}"
    );
    let cov = stdout(&strings(&content, &["coverage"]));
    let en = cov.lines().find(|l| l.starts_with("en")).unwrap();
    assert!(en.trim_end().ends_with(" 1"), "{cov}");
    // Updating the translation by hand settles it.
    let src = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, src.replace("A test call", "A new test call")).unwrap();
    let lint = run(&["lint", s(&content)], "");
    assert!(!stdout(&lint).contains("DD0307"), "{}", stdout(&lint));
}

/// A model value as JSON.
fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

/// Every language-map text in `v` (a model serialized to JSON): the zh-CN string of each.
fn localized(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => match m.get("zh-CN") {
            Some(serde_json::Value::String(zh)) => out.push(zh.clone()),
            _ => m.values().for_each(|v| localized(v, out)),
        },
        serde_json::Value::Array(a) => a.iter().for_each(|v| localized(v, out)),
        _ => {}
    }
}

#[test]
fn every_language_map_of_the_shipped_model_has_a_key() {
    use dunning_dojo::domain::content::strings::sites;
    let lib = crate::support::shipped();
    let mut model = Vec::new();
    for p in lib.scenarios.values() {
        localized(&json(&p.compiled.scenario), &mut model);
    }
    for p in lib.personas.values() {
        localized(&json(p.as_ref()), &mut model);
    }
    for q in lib.quiz_banks.values() {
        localized(&json(q.as_ref()), &mut model);
    }
    for c in lib.campaigns.values() {
        localized(&json(c.as_ref()), &mut model);
    }
    let mut keyed = Vec::new();
    for (path, text) in snapshot(&dialogues()) {
        let text = String::from_utf8(text).unwrap();
        let rel = path.to_str().unwrap().replace('\\', "/");
        keyed.extend(
            sites(&rel, &text, "en")
                .unwrap()
                .into_iter()
                .map(|s| s.source),
        );
    }
    model.sort();
    keyed.sort();
    assert!(model.len() > 5000);
    assert_eq!(model.len(), keyed.len());
    assert!(model == keyed, "the keyed texts differ from the model's");
}
