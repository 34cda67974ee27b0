//! Helpers shared by the integration modules: paths, loading, running the CLI.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dunning_dojo::domain::analysis::CACHE_ENV;
use dunning_dojo::domain::diagnostics::Level;
use dunning_dojo::domain::library::Library;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped content folder.
pub fn dialogues() -> PathBuf {
    root().join("dialogues")
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Loads the shipped content and fails the test if it has any error.
pub fn shipped() -> Library {
    let lib = Library::load(&[dialogues()]);
    let errors: Vec<String> = lib
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.render(lib.sources.get(&d.path).map_or("", String::as_str)))
        .collect();
    assert!(
        errors.is_empty(),
        "shipped content has errors:\n{}",
        errors.join("\n")
    );
    lib
}

/// Runs the binary with `args` (content from the shipped folder unless overridden) and stdin.
///
/// Its analysis cache is a folder of the test build's own, not the user's.
pub fn run(args: &[&str], stdin: &str) -> Output {
    run_env(args, stdin, &[])
}

/// [`run`] with environment variables set (after the test cache folder, so they can replace it).
pub fn run_env(args: &[&str], stdin: &str, env: &[(&str, &OsStr)]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("analysis-cache");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
        .args(args)
        .env(CACHE_ENV, cache)
        .envs(env.iter().copied())
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin accepts input");
    child.wait_with_output().expect("the binary finishes")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A path as a `&str` for command arguments.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// The option numbers a player sees for `ids` when playing the fixture with `seed`: the
/// order is shuffled per seed and turn, so numbers must be read off the screen.
pub fn shown_numbers(seed: u64, ids: &str) -> String {
    use dunning_dojo::domain::engine::{Session, Setup};
    let lib = dunning_dojo::domain::library::Library::load(&[fixture("base")]);
    let c = lib.scenario("test_call").expect("the fixture loads");
    let (mut s, _) = Session::start(
        c,
        seed,
        dunning_dojo::domain::text::Locale::En,
        Setup::default(),
    )
    .unwrap();
    let mut numbers = Vec::new();
    for id in ids.split(',') {
        let view = s.choices().into_iter().find(|v| v.id == id).unwrap();
        numbers.push(view.number.expect("available").to_string());
        s.choose(id).unwrap();
    }
    numbers.join(",")
}

/// The last part of an xAPI statement's verb id (`passed`, `answered`, …).
pub fn verb_of(statement: &serde_json::Value) -> String {
    statement["verb"]["id"]
        .as_str()
        .and_then(|id| id.rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}
