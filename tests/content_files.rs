//! Content files as editors and file systems really make them (a byte-order mark, old-Mac line
//! ends, link loops, named pipes, devices, huge lines, one broken scenario), through `lint` and
//! `quiz` as a trainer runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dunning_dojo::domain::diagnostics::Level;
use dunning_dojo::domain::library::Library;

use crate::support::{dialogues, fixture, run, s, stderr, stdout};

/// A copy of the shipped content folder to spoil.
fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&dialogues(), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs the binary and fails the test if it has not finished within `secs` seconds.
fn run_within(secs: u64, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Drain stdout and stderr while waiting, so a chatty run cannot block on a full pipe.
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let (out, err) = (read(Box::new(out)), read(Box::new(err)));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`dunning-dojo {}` did not finish in {secs} s",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// The last line of `lint`'s output: "N file(s) checked: …".
fn summary(out: &Output) -> String {
    stdout(out).lines().last().unwrap_or_default().to_owned()
}

fn shipped_summary() -> String {
    summary(&run(&["lint", s(&dialogues())], ""))
}

/// `quiz --code 10-4821 --print --json` (10 of the shipped banks' questions) on `content`.
fn printed_quiz(content: &Path) -> String {
    let out = run(
        &[
            "--content",
            s(content),
            "quiz",
            "--code",
            "10-4821",
            "--print",
            "--json",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

fn with_bom(path: &Path) {
    let text = std::fs::read(path).unwrap();
    std::fs::write(path, [b"\xef\xbb\xbf".as_slice(), &text].concat()).unwrap();
}

#[test]
fn files_saved_with_a_byte_order_mark_are_read() {
    let dir = shipped_copy();
    for f in [
        "scenarios/courtesy_reminder.ron",
        "personas/zhao_jianguo.ron",
        "quizzes/phone_and_excuses.ron",
    ] {
        with_bom(&dir.path().join(f));
    }
    let lint = run(&["lint", s(dir.path())], "");
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
    assert_eq!(summary(&lint), shipped_summary());
    assert_eq!(printed_quiz(dir.path()), printed_quiz(&dialogues()));

    // Positions in a file with a mark are positions in the editor, which does not show it.
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "\u{feff}Persona(id: \"a\", nmae: \"x\")").unwrap();
    let out = run(&["lint", s(&bad)], "");
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("{}:1:18: error[DD0003]", s(&bad))),
        "{text}"
    );
    assert!(text.contains("┌─ ") && text.contains(":1:18\n"), "{text}");
}

#[test]
fn old_mac_line_ends_are_read_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let crs = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text.replace("\r\n", "\n").replace('\n', "\r")).unwrap();
        p
    };
    let persona = std::fs::read_to_string(fixture("base/persona.ron")).unwrap();
    let scenario = std::fs::read_to_string(fixture("base/scenario.ron")).unwrap();
    let p = crs("persona.ron", &persona);
    let sc = crs("scenario.ron", &scenario);
    let ok = run(&["lint", s(&p), s(&sc)], "");
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(
        summary(&ok).ends_with("1 playable scenario(s)"),
        "{}",
        summary(&ok)
    );
    let broken = crs(
        "broken.ron",
        "// a comment\nPersona(\n  id: \"a\",\n  nmae: \"x\")\n",
    );
    let out = stdout(&run(&["lint", s(&broken)], ""));
    assert!(
        out.starts_with(&format!("{}:4:3: error[DD0003]", s(&broken))),
        "{out}"
    );
}

/// Removes the comma after the scenario's `id` so the file no longer parses.
fn break_scenario(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let id_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("id: \""))
        .unwrap()
        .to_owned();
    let broken = text.replacen(&id_line, id_line.trim_end_matches(','), 1);
    assert_ne!(broken, text);
    std::fs::write(path, broken).unwrap();
}

#[test]
fn a_broken_scenario_costs_its_recommendations_not_the_quiz() {
    let dir = shipped_copy();
    break_scenario(&dir.path().join("scenarios/courtesy_reminder.ron"));
    // A typo in a recommendation is the same kind of mistake: one recommendation lost.
    let bank = dir.path().join("quizzes/phone_and_excuses.ron");
    let text = std::fs::read_to_string(&bank).unwrap();
    let typo = text.replacen(
        "scenarios: [\"wired_it_already\"",
        "scenarios: [\"wired_it_alredy\"",
        1,
    );
    assert_ne!(typo, text);
    std::fs::write(&bank, typo).unwrap();

    assert_eq!(printed_quiz(dir.path()), printed_quiz(&dialogues()));

    let lint = run(&["lint", s(dir.path())], "");
    let text = stdout(&lint);
    let scenario = dir.path().join("scenarios/courtesy_reminder.ron");
    assert!(
        text.contains(&format!(
            "warning[DD0605]: scenario `courtesy_reminder` is in {}, which has errors; this recommendation is left out until that file is fixed",
            s(&scenario)
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "warning[DD0605]: scenario `wired_it_alredy` does not exist; this recommendation is left out"
        ),
        "{text}"
    );
    assert!(
        text.contains("help: did you mean `wired_it_already`?"),
        "{text}"
    );
    // The broken scenario is the only error.
    assert!(
        summary(&lint).contains(": 1 error(s)"),
        "{}",
        summary(&lint)
    );

    let lib = Library::load(&[dir.path().to_owned()]);
    assert_eq!(lib.quiz_banks.len(), 4);
    let questions: usize = lib.quiz_banks.values().map(|b| b.questions.len()).sum();
    let shipped: usize = crate::support::shipped()
        .quiz_banks
        .values()
        .map(|b| b.questions.len())
        .sum();
    assert_eq!(questions, shipped);
    for b in lib.quiz_banks.values() {
        for q in &b.questions {
            for sc in &q.scenarios {
                assert!(
                    lib.scenarios.contains_key(sc.as_str()),
                    "{} recommends {sc}",
                    q.id
                );
            }
        }
    }
    let dd0605: Vec<_> = lib.diagnostics.iter().filter(|d| d.code.0 == 605).collect();
    assert!(dd0605.len() > 4 && dd0605.iter().all(|d| d.level == Level::Warning));
}

#[cfg(unix)]
#[test]
fn link_loops_end_at_once_and_load_each_file_once() {
    let dir = shipped_copy();
    std::os::unix::fs::symlink(".", dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("b")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("scenarios/up")).unwrap();
    let lint = run_within(60, &["lint", s(dir.path())]);
    let text = stdout(&lint);
    assert_eq!(lint.status.code(), Some(0), "{text}");
    let want = shipped_summary().replace("0 warning(s)", "3 warning(s)");
    assert_eq!(summary(&lint), want);
    for link in ["a", "b", "scenarios/up"] {
        let p = dir.path().join(link);
        assert!(
            text.contains(&format!(
                "{}:1:1: warning[DD0009]: skipped `{}`: it is the folder",
                s(&p),
                s(&p)
            )),
            "{text}"
        );
    }
    let play = run_within(60, &["--content", s(dir.path()), "list", "--json"]);
    assert!(play.status.success(), "{}", stderr(&play));
}

#[cfg(unix)]
#[test]
fn named_pipes_and_devices_are_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.ron");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let out = run_within(30, &["lint", s(dir.path())]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stdout(&out).starts_with(&format!(
                "{}:1:1: error[DD0006]: this is a named pipe (FIFO), not an ordinary file",
                s(&fifo)
            )),
            "{}",
            stdout(&out)
        );
        let direct = run_within(30, &["lint", s(&fifo)]);
        assert_eq!(direct.status.code(), Some(1));
    } else {
        eprintln!("mkfifo is not available: the named-pipe case is skipped");
    }
    let zero = run_within(30, &["lint", "/dev/zero"]);
    assert_eq!(zero.status.code(), Some(1));
    assert!(
        stdout(&zero).starts_with(
            "/dev/zero:1:1: error[DD0006]: this is a device, not an ordinary file, so it is not read"
        ),
        "{}",
        stdout(&zero)
    );
}

#[test]
fn files_over_the_size_limit_are_refused_and_odd_names_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.ron");
    // Sparse: no disk space is used, but 65 MiB would be read.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let upper = dir.path().join("Upper.RON");
    std::fs::copy(fixture("base/persona.ron"), &upper).unwrap();
    let out = run_within(30, &["lint", s(dir.path())]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "{}:1:1: error[DD0006]: the file is 65 MiB, more than the 64 MiB a content file may have",
            s(&big)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}:1:1: warning[DD0009]: skipped: content files end in `.ron` in small letters, not `.RON`",
            s(&upper)
        )),
        "{text}"
    );
}

#[test]
fn a_huge_one_line_file_prints_a_short_located_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("long.ron");
    let filler = "x".repeat(5_000_000);
    std::fs::write(
        &path,
        format!("Persona(id: \"a\", name: \"{filler}\", oops: \"{filler}\")"),
    )
    .unwrap();
    let out = run_within(60, &["lint", s(&path)]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.len() < 10_000, "{} bytes of output", text.len());
    let col = "Persona(id: \"a\", name: \"".len() + filler.len() + "\", ".len() + 1;
    assert!(
        text.starts_with(&format!("{}:1:{col}: error[DD0003]", s(&path))),
        "{}",
        &text[..text.len().min(500)]
    );
    assert!(text.contains(&format!(":1:{col}\n")), "{text}");
    assert!(text.contains("…xxxx") && text.contains("oops"), "{text}");

    // A message quoting a huge value is shortened too.
    std::fs::write(&path, format!("Persona(id: \"a\", {filler}: 1)")).unwrap();
    let out = run_within(60, &["lint", s(&path)]);
    assert!(stdout(&out).len() < 10_000, "{} bytes", stdout(&out).len());
    assert!(stdout(&out).contains("error[DD0003]"));
}

#[test]
fn nesting_too_deep_is_explained_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = std::fs::read_to_string(fixture("base/scenario.ron")).unwrap();
    let nested = format!("{}MoodBelow(-10){}", "Not(".repeat(500), ")".repeat(500));
    let deep = scenario.replacen("MoodBelow(-10)", &nested, 1);
    assert_ne!(deep, scenario);
    let path = dir.path().join("deep.ron");
    std::fs::write(&path, deep).unwrap();
    let out = run_within(60, &["lint", s(&fixture("base/persona.ron")), s(&path)]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("error[DD0001]: values are nested more than 128 levels deep here; content this deep is not supported"),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert!(!text.contains("serde_stacker"));
    assert!(text.len() < 10_000, "{} bytes", text.len());
}

#[test]
fn files_citing_the_course_with_the_old_seed_key_still_load() {
    use dunning_dojo::domain::content::model::Node;
    use dunning_dojo::domain::content::parse::{Document, parse_document};
    // The fixtures are written with the old key, `seed:`; the shipped files with `course:`.
    for name in ["scenario.ron", "quiz.ron"] {
        let old = std::fs::read_to_string(fixture("base").join(name)).unwrap();
        assert!(
            old.contains("seed: \"00"),
            "{name} no longer uses the old key"
        );
        let new = old.replace("seed:", "course:");
        let read = |text: &str| parse_document(Path::new(name), text).expect("parses");
        match (read(&old), read(&new)) {
            (Document::Scenario(a), Document::Scenario(b)) => {
                assert_eq!(a, b);
                assert_eq!(a.objectives[0].course, "001");
                let cited: Vec<&str> = a
                    .nodes
                    .iter()
                    .filter_map(|n| match n {
                        Node::Debtor(d) => Some(&d.choices),
                        Node::Ending(_) => None,
                    })
                    .flatten()
                    .filter_map(|c| c.feedback.course.as_deref())
                    .collect();
                assert!(cited.contains(&"002"), "{cited:?}");
            }
            (Document::QuizBank(a), Document::QuizBank(b)) => {
                assert_eq!(a, b);
                assert_eq!(a.questions[0].course, "001");
            }
            _ => panic!("{name}: not the kind expected"),
        }
    }
    // Through the binary: the old key lints clean, like the new one.
    let dir = tempfile::tempdir().unwrap();
    for name in ["persona.ron", "scenario.ron", "quiz.ron"] {
        let old = std::fs::read_to_string(fixture("base").join(name)).unwrap();
        std::fs::write(dir.path().join(name), old.replace("seed:", "course:")).unwrap();
    }
    for folder in [fixture("base"), dir.path().to_owned()] {
        let out = run(&["lint", s(&folder)], "");
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        assert!(
            summary(&out).contains(": 0 error(s), 0 warning(s)"),
            "{}",
            summary(&out)
        );
    }
}
