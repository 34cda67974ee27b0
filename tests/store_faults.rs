//! The results database and its exports under faults, through the binary: `-o` aimed at the
//! database, full disks and a full stdout, files from a newer build, read-only copies, edited
//! and damaged rows, hostile names in the summary and the CSV, and bad `--iri-base` values.

use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dunning_dojo::domain::analysis::model_answer;
use dunning_dojo::domain::engine::{AttemptResult, Session, Setup};
use dunning_dojo::domain::mode::Mode;
use dunning_dojo::domain::text::Locale;
use dunning_dojo::store::{NewAttempt, Store};
use rusqlite::Connection;

use crate::support::{root, run, s, shipped, stderr, stdout};

/// The scenario every test here plays.
pub const SCENARIO: &str = "courtesy_reminder";

/// The model answer of [`SCENARIO`] as `play` takes it: (choices, preparation).
pub fn script() -> (String, String) {
    let lib = shipped();
    let model = model_answer(lib.scenario(SCENARIO).expect("shipped")).expect("a model answer");
    (model.choices.join(","), model.prepared.join(","))
}

/// `play` of [`SCENARIO`] by `script`, recording into `db` under `trainee`.
pub fn play_command(db: &Path, script: &(String, String), trainee: &str, seed: u64) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"));
    cmd.args(["--db", s(db), "play", SCENARIO, "--seed", &seed.to_string()])
        .args(["--choices", &script.0, "--prepare", &script.1])
        .args(["--trainee", trainee])
        .current_dir(root())
        .stdin(Stdio::null());
    cmd
}

fn played() -> AttemptResult {
    let lib = shipped();
    let c = lib.scenario(SCENARIO).expect("shipped");
    let model = model_answer(c).expect("a model answer");
    let setup = Setup {
        prepared: model.prepared.clone(),
        trainee: None,
        truths: model.truths.clone(),
    };
    let (mut session, _) = Session::start(c, 1, Locale::En, setup).expect("starts");
    for choice in &model.choices {
        session.choose(choice).expect("model choice");
    }
    session.result().expect("ended")
}

/// A results database at `dir/results.sqlite` with one attempt per trainee, ids from 1.
fn results_db(dir: &Path, trainees: &[&str]) -> PathBuf {
    let path = dir.join("results.sqlite");
    let result = played();
    let mut store = Store::open(&path).unwrap();
    let t0: jiff::Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
    for (k, trainee) in trainees.iter().enumerate() {
        store
            .record_attempt(&NewAttempt {
                trainee,
                team: None,
                round: None,
                persona: "test",
                channel: "phone",
                mode: Mode::Practice,
                started_at: t0 + jiff::SignedDuration::from_secs(k as i64),
                ended_at: t0 + jiff::SignedDuration::from_secs(k as i64 + 60),
                turn_times: &[],
                result: &result,
            })
            .unwrap();
    }
    path
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Skips a part of a test the machine cannot do, loudly; on CI it must be possible.
fn skip(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI must be able to {what}"
    );
    eprintln!("SKIPPED: cannot {what} on this machine");
}

/// A small tmpfs mounted at a folder, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|st| st.success());
        if !ok {
            skip(&format!("mount a {size} tmpfs (needs root)"));
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }

    fn read_only(&self) {
        let st = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success(), "remounting the tmpfs read-only");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn report_output_onto_the_database_or_its_journals_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(dir.path(), &["王芳", "李雷"]);
    let before = bytes(&db);
    let hard = dir.path().join("hard-link.sqlite");
    std::fs::hard_link(&db, &hard).unwrap();
    let soft = dir.path().join("soft-link.csv");
    std::os::unix::fs::symlink(&db, &soft).unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let targets = [
        db.clone(),
        PathBuf::from(format!("{}-wal", s(&db))),
        PathBuf::from(format!("{}-shm", s(&db))),
        PathBuf::from(format!("{}-journal", s(&db))),
        sub.join("../results.sqlite"),
        hard,
        soft,
    ];
    for target in &targets {
        // Every format takes the same path to the file; two are tried on the database itself.
        let formats: &[&str] = if target == &db {
            &["csv", "xapi"]
        } else {
            &["csv"]
        };
        for format in formats {
            let o = run(&["--db", s(&db), "report", format, "-o", s(target)], "");
            assert_eq!(
                o.status.code(),
                Some(2),
                "{}: {}",
                target.display(),
                stderr(&o)
            );
            assert!(
                stderr(&o).contains("is the results database"),
                "{}",
                stderr(&o)
            );
            assert_eq!(
                bytes(&db),
                before,
                "-o {} changed the database",
                target.display()
            );
        }
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(!PathBuf::from(format!("{}{suffix}", s(&db))).exists());
    }
    // The database is whole and a real output beside it is still written.
    let out = dir.path().join("results.csv");
    let o = run(&["--db", s(&db), "report", "csv", "-o", s(&out)], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&bytes(&out)).contains("李雷"));
}

#[test]
fn a_report_that_cannot_be_written_to_stdout_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(dir.path(), &["王芳"]);
    for format in ["xapi", "csv", "summary"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
            .args(["--db", s(&db), "report", format])
            .current_dir(root())
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("cannot write the report to standard output"),
            "{}",
            stderr(&o)
        );
    }
    // A reader that goes away early (`| head`) is not an error.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dunning-dojo"))
        .args(["--db", s(&db), "report", "xapi"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_full_disk_leaves_the_previous_report_intact() {
    let dir = tempfile::tempdir().unwrap();
    let trainees: Vec<String> = (0..12).map(|k| format!("trainee {k}")).collect();
    let names: Vec<&str> = trainees.iter().map(String::as_str).collect();
    let db = results_db(dir.path(), &names);
    let disk = dir.path().join("disk");
    let Some(_mount) = Tmpfs::mount(&disk, "64k") else {
        return;
    };
    let keep = disk.join("keep.json");
    let old = b"[\"the report from last week\"]\n".repeat(20);
    std::fs::write(&keep, &old).unwrap();
    // Fill what is left of the disk.
    let mut filler = std::fs::File::create(disk.join("filler")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    drop(filler);
    let o = run(&["--db", s(&db), "report", "xapi", "-o", s(&keep)], "");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    assert!(stderr(&o).contains("unchanged"), "{}", stderr(&o));
    assert_eq!(bytes(&keep), old, "the previous report was damaged");
    let mut left: Vec<String> = std::fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["filler", "keep.json"],
        "a temporary file was left behind"
    );
    // With room again, the report replaces the old one whole, with the old file's mode.
    std::fs::remove_file(disk.join("filler")).unwrap();
    std::fs::set_permissions(&keep, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run(&["--db", s(&db), "report", "csv", "-o", s(&keep)], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&bytes(&keep)).contains("trainee 11"));
    assert_eq!(std::fs::metadata(&keep).unwrap().mode() & 0o777, 0o640);
}

/// A rollback-journal file (as an older tool or SQLite's shell leaves it) with `version`.
fn rollback_file(path: &Path, version: i64) -> Vec<u8> {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("CREATE TABLE other_app (x); INSERT INTO other_app VALUES (1);")
        .unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    drop(conn);
    let b = bytes(path);
    assert_eq!(&b[18..20], &[1, 1], "a rollback-journal header");
    b
}

#[test]
fn a_file_from_a_newer_build_is_refused_before_anything_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite");
    let before = rollback_file(&path, 99);
    let script = script();
    for args in [vec!["reset-pin"], vec!["play"], vec!["report", "csv"]] {
        let o = if args == ["play"] {
            play_command(&path, &script, "王芳", 1).output().unwrap()
        } else {
            run(&[&["--db", s(&path)], &args[..]].concat(), "")
        };
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("schema version 99, newer than this build"),
            "{}",
            stderr(&o)
        );
        assert_eq!(bytes(&path), before, "{args:?} changed the file");
        assert!(!dir.path().join("future.sqlite-wal").exists());
    }
}

#[test]
fn reports_read_without_changing_the_file_and_refuse_what_they_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(dir.path(), &["王芳", "李雷"]);
    let want = stdout(&run(&["--db", s(&db), "report", "csv"], ""));
    assert!(want.contains("李雷"));
    // A copy switched back to a rollback journal stays one: no WAL switch, no migration.
    let rollback = dir.path().join("rollback.sqlite");
    std::fs::copy(&db, &rollback).unwrap();
    Connection::open(&rollback)
        .unwrap()
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
    let before = bytes(&rollback);
    assert_eq!(&before[18..20], &[1, 1]);
    let o = run(&["--db", s(&rollback), "report", "csv"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), want);
    assert_eq!(bytes(&rollback), before, "the report changed the file");
    assert!(!dir.path().join("rollback.sqlite-wal").exists());
    // An empty file has no results tables; a report says so instead of creating them.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let o = run(&["--db", s(&empty), "report", "summary"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("schema version 0 and reports read version"),
        "{}",
        stderr(&o)
    );
    assert_eq!(bytes(&empty), b"");
    // A read-only file system: even root cannot write there.
    let ro = dir.path().join("ro");
    if let Some(mount) = Tmpfs::mount(&ro, "1m") {
        std::fs::copy(&db, ro.join("archive.sqlite")).unwrap();
        mount.read_only();
        let o = run(
            &["--db", s(&ro.join("archive.sqlite")), "report", "csv"],
            "",
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), want);
    }
    // An archived copy: a 0444 file in a 0555 folder, read by an ordinary user.
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    let copy = archive.join("results.sqlite");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let as_nobody = as_root()
        && Command::new("setpriv")
            .args([
                "--reuid",
                "nobody",
                "--regid",
                "nogroup",
                "--clear-groups",
                "true",
            ])
            .status()
            .is_ok_and(|st| st.success());
    if as_nobody {
        let o = Command::new("setpriv")
            .args(["--reuid", "nobody", "--regid", "nogroup", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_dunning-dojo"))
            .args(["--db", s(&copy), "report", "csv"])
            .current_dir(root())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), want);
        // And writing there is refused with an error that names the file.
        let o = Command::new("setpriv")
            .args(["--reuid", "nobody", "--regid", "nogroup", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_dunning-dojo"))
            .args(["--db", s(&copy), "reset-pin"])
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(s(&copy)), "{}", stderr(&o));
    } else {
        skip("run the binary as `nobody` (needs root and setpriv)");
    }
    std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs SQL on `db` behind the program's back, as a hand edit or a damaged disk would.
fn tamper(db: &Path, sql: &str) {
    Connection::open(db).unwrap().execute_batch(sql).unwrap();
}

#[test]
fn an_edited_or_damaged_row_is_named_and_left_out_of_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(dir.path(), &["王芳", "李雷", "韩梅梅", "Tom"]);
    tamper(
        &db,
        "UPDATE attempts SET result = json_set(result, '$.scores.overall', 100,
            '$.passed', json('false')), overall = 100 WHERE id = 3;
         UPDATE attempts SET result = CAST(substr(CAST(result AS BLOB), 1, 40) || X'FFFE'
            || substr(CAST(result AS BLOB), 43) AS TEXT) WHERE id = 2;",
    );
    for format in ["csv", "xapi", "html", "summary"] {
        let o = run(&["--db", s(&db), "report", format, "--lang", "en"], "");
        assert_eq!(o.status.code(), Some(3), "{format}: {}", stderr(&o));
        let err = stderr(&o);
        for id in [2, 3] {
            assert!(
                err.contains(&format!(
                    "skipped attempt #{id}: stored result fails its checksum (edited or damaged)"
                )),
                "{format}: {err}"
            );
        }
        assert!(err.contains("2 damaged row(s)"), "{err}");
        let text = stdout(&o);
        for kept in ["王芳", "Tom"] {
            assert!(text.contains(kept), "{format} lost {kept}: {text}");
        }
        for gone in ["李雷", "韩梅梅"] {
            assert!(!text.contains(gone), "{format} kept {gone}");
        }
    }
    let out = stdout(&run(&["--db", s(&db), "report", "csv"], ""));
    assert_eq!(out.lines().count(), 3, "header and two good rows: {out}");
}

#[test]
fn a_damaged_file_is_never_written_into() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(dir.path(), &["王芳", "李雷", "韩梅梅"]);
    let (root_page, page_size): (i64, i64) = {
        let conn = Connection::open(&db).unwrap();
        (
            conn.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'attempts'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
            conn.query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap(),
        )
    };
    let mut file = bytes(&db);
    // An impossible b-tree page type where the attempts table starts.
    file[((root_page - 1) * page_size) as usize] = 0x07;
    std::fs::write(&db, &file).unwrap();
    let o = play_command(&db, &script(), "Tom", 1).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("the results database {} is damaged", s(&db))),
        "{err}"
    );
    assert!(err.contains("Make a copy"), "{err}");
    assert!(!err.contains("saved as attempt"), "{err}");
    assert_eq!(bytes(&db), file, "play wrote into a damaged file");
    // A report says which file fails, and does not change it either.
    let o = run(&["--db", s(&db), "report", "csv"], "");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(s(&db)), "{}", stderr(&o));
    assert_eq!(bytes(&db), file);
}

#[test]
fn the_summary_shows_control_characters_in_names_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(
        dir.path(),
        &["Evil\u{1b}[31mRed\u{7}", "Two\nLines", "C1\u{9b}2J"],
    );
    let o = run(&["--db", s(&db), "report", "summary", "--lang", "en"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the terminal: {text:?}"
    );
    assert!(text.contains(r"Evil\x1b[31mRed\x07"), "{text}");
    assert!(text.contains(r"Two\x0aLines"), "{text}");
    assert!(text.contains(r"C1\u{9b}2J"), "{text}");
}

#[test]
fn csv_neutralises_full_width_and_hidden_formula_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(
        dir.path(),
        &[
            "＝1+1",
            "＋SUM(A1)",
            "－2",
            "＠cmd",
            "\u{200b}=1+1",
            "\u{2060}＝HYPERLINK(1)",
            "王芳",
        ],
    );
    let o = run(&["--db", s(&db), "report", "csv"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let mut reader = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let trainees: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_owned()).collect();
    assert_eq!(
        trainees,
        [
            "'＝1+1",
            "'＋SUM(A1)",
            "'－2",
            "'＠cmd",
            "'\u{200b}=1+1",
            "'\u{2060}＝HYPERLINK(1)",
            "王芳"
        ]
    );
}

#[test]
fn the_iri_base_must_be_an_absolute_http_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = results_db(dir.path(), &["王芳"]);
    for bad in [
        "",
        "javascript:alert(1)",
        "lms.example.com/xapi",
        "https://",
    ] {
        let o = run(&["--db", s(&db), "report", "xapi", "--iri-base", bad], "");
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("--iri-base"), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    let o = run(
        &[
            "--db",
            s(&db),
            "report",
            "xapi",
            "--iri-base",
            "https://lms.example.com/xapi",
        ],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("https://lms.example.com/xapi/scenarios/courtesy_reminder"));
}
