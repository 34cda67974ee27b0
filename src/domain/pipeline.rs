//! The content pipeline runs one way: no file of `src/domain` names a module of a later stage.

use std::path::{Path, PathBuf};

/// The stages, in order, and the modules in each (a module is in the stage of the longest entry
/// that starts its path). Production code may name modules of its own stage and earlier ones.
const STAGES: &[(&str, &[&str])] = &[
    (
        "foundations",
        &[
            "text",
            "diagnostics",
            "mode",
            "syllabus",
            "pin",
            "content/model",
            "content/span",
            "content/syntax",
        ],
    ),
    ("sources", &["content/source", "content/files"]),
    ("parse", &["content/parse", "content/set", "content"]),
    ("compile", &["engine"]),
    ("analyse", &["analysis"]),
    ("validate", &["validate"]),
    ("library", &["library"]),
    (
        "users of the library",
        &["quiz", "classroom", "campaign", "graph", "pipeline"],
    ),
];

/// The stage of a module path (`["analysis", "search"]`), as an index into [`STAGES`].
fn stage_of(module: &[String]) -> Option<usize> {
    let joined = module.join("/");
    STAGES
        .iter()
        .enumerate()
        .flat_map(|(i, (_, prefixes))| prefixes.iter().map(move |p| (i, *p)))
        .filter(|(_, p)| joined == *p || joined.starts_with(&format!("{p}/")))
        .max_by_key(|(_, p)| p.len())
        .map(|(i, _)| i)
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("src/domain is readable")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/domain`: `analysis/search.rs` → `analysis::search`,
/// `content/mod.rs` → `content`.
fn module_of(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).expect("under the root");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The module paths `code` (production code of the module `module`) names through
/// `crate::domain::…` or `super::…`, each cut to the longest known module.
fn references(module: &[String], code: &str, known: &[Vec<String>]) -> Vec<Vec<String>> {
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let preceded = code[..at].chars().next_back().is_some_and(is_ident);
        let (mut base, skip) = if !preceded && rest.starts_with("crate::domain::") {
            (Vec::new(), "crate::domain::".len())
        } else if !preceded && rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut skip = 0;
            while code[at + skip..].starts_with("super::") {
                base.pop();
                skip += "super::".len();
            }
            (base, skip)
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        at += skip;
        // The path goes on while segments follow; a `{…}` group names each of its items.
        let tail = &code[at..];
        let path_len = tail
            .find(|c: char| !(is_ident(c) || c == ':'))
            .unwrap_or(tail.len());
        base.extend(
            tail[..path_len]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        let mut targets = vec![base.clone()];
        if tail[path_len..].starts_with('{') {
            let group = &tail[path_len + 1..];
            let end = group.find('}').unwrap_or(group.len());
            targets = group[..end]
                .split(',')
                .filter(|item| !item.trim().is_empty())
                .map(|item| {
                    let mut t = base.clone();
                    t.extend(
                        item.trim()
                            .split("::")
                            .map(|s| s.trim().to_owned())
                            .filter(|s| is_ident_word(s) && s != "self"),
                    );
                    t
                })
                .collect();
        }
        for t in targets {
            let longest = (0..=t.len())
                .rev()
                .find(|&n| known.iter().any(|k| k.as_slice() == &t[..n]))
                .unwrap_or(0);
            if longest > 0 {
                found.push(t[..longest].to_vec());
            }
        }
        at += path_len;
    }
    found
}

fn is_ident_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn domain_modules() -> (PathBuf, Vec<PathBuf>, Vec<Vec<String>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let modules = files.iter().map(|f| module_of(&root, f)).collect();
    (root, files, modules)
}

#[test]
fn the_content_pipeline_runs_one_way() {
    let (root, files, modules) = domain_modules();
    let mut wrong = Vec::new();
    for (file, module) in files.iter().zip(&modules) {
        // Unit-test files may build whatever fixture they need.
        if module.is_empty() || module.last().is_some_and(|m| m == "tests") {
            continue;
        }
        let Some(from) = stage_of(module) else {
            wrong.push(format!(
                "{}: in no stage; add it to STAGES",
                module.join("::")
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable");
        // The tests module closes each file: what comes before it is the production code.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for target in references(module, code, &modules) {
            if let Some(to) = stage_of(&target).filter(|&to| to > from) {
                wrong.push(format!(
                    "{} ({}) names {} ({})",
                    file.strip_prefix(&root).unwrap_or(file).display(),
                    STAGES[from].0,
                    target.join("::"),
                    STAGES[to].0
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the content pipeline must run one way:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_pipeline_check_sees_a_backward_import() {
    let (_, _, modules) = domain_modules();
    let module = |p: &str| p.split('/').map(str::to_owned).collect::<Vec<_>>();
    let code = "use std::fmt;\nuse crate::domain::content::{\n    model::Id,\n    ContentSet,\n};\nfn f() { super::super::library::Library::load(&[]); }\n";
    let named = references(&module("engine/session"), code, &modules);
    assert_eq!(
        named,
        vec![
            module("content/model"),
            module("content"),
            module("library")
        ]
    );
    let stages: Vec<_> = named.iter().map(|m| stage_of(m)).collect();
    assert_eq!(stages, vec![Some(0), Some(2), Some(6)]);
    assert!(stage_of(&module("engine/session")) < stage_of(&module("library")));
    assert_eq!(stage_of(&module("nowhere")), None);
}
