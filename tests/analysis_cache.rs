//! The analysis cache on disk, as the user meets it: a warm cache gives the very results a fresh
//! analysis gives, a stale or damaged entry is never trusted (and is written again), and a cache
//! folder that is deleted, cannot be written or is turned off never fails a command.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use dunning_dojo::domain::analysis::{AnalysisCache, CACHE_ENV, CACHE_OFF};
use dunning_dojo::domain::library::Library;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{dialogues, fixture, run_env, s, stderr, stdout};

/// Runs the binary with its analysis cache in `cache`.
fn run_in(cache: &Path, args: &[&str]) -> Output {
    run_env(args, "", &[(CACHE_ENV, cache.as_os_str())])
}

/// The cache entries in `folder`, sorted.
fn entries(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(folder)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "json"));
    found.sort();
    found
}

/// A scripted play of the fixture whose evidence score depends on the analysed maximum.
fn play_args(base: &str) -> Vec<&str> {
    vec![
        "--content",
        base,
        "play",
        "test_call",
        "--seed",
        "3",
        "--lang",
        "en",
        "--choices",
        "intro,who_covers,fix_date",
        "--json",
    ]
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn analyses_read_back_from_disk_equal_fresh_ones() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = Library::load(&[dialogues()]);
    let _cold = Library::load_with(&[dialogues()], &AnalysisCache::in_folder(dir.path()));
    let written = entries(dir.path());
    assert_eq!(written.len(), fresh.scenarios.len());
    let stamps: Vec<_> = written
        .iter()
        .map(|p| fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    let warm = Library::load_with(&[dialogues()], &AnalysisCache::in_folder(dir.path()));
    assert_eq!(fresh.diagnostics, warm.diagnostics);
    assert_eq!(
        fresh.scenarios.keys().collect::<Vec<_>>(),
        warm.scenarios.keys().collect::<Vec<_>>()
    );
    for (id, p) in &fresh.scenarios {
        let q = &warm.scenarios[id];
        assert_eq!(p.analysis, q.analysis, "{id}");
        assert_eq!(p.compiled.evidence_max, q.compiled.evidence_max, "{id}");
        assert!(
            p.analysis.model.is_some(),
            "{id}: the model answer is checked"
        );
    }
    // Every analysis was read, none searched and written again.
    let again: Vec<_> = written
        .iter()
        .map(|p| fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    assert_eq!(stamps, again);
}

#[test]
fn a_warm_cache_prints_what_a_fresh_analysis_prints() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let base = s(&fixture("base")).to_owned();
    let commands: [Vec<&str>; 3] = [
        vec!["list", "--json"],
        vec!["lint", "--json", "dialogues"],
        play_args(&base),
    ];
    for args in commands {
        let off = run_env(&args, "", &[(CACHE_ENV, OsStr::new(CACHE_OFF))]);
        let cold = run_in(&cache, &args);
        let warm = run_in(&cache, &args);
        assert!(off.status.success(), "{args:?}: {}", stderr(&off));
        for out in [&cold, &warm] {
            assert_eq!(off.status.code(), out.status.code(), "{args:?}");
            assert_eq!(stdout(&off), stdout(out), "{args:?}");
            assert_eq!(stderr(&off), stderr(out), "{args:?}");
        }
    }
    assert!(!entries(&cache).is_empty());
}

#[test]
fn a_stale_or_damaged_entry_is_never_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path();
    let base = s(&fixture("base")).to_owned();
    let play = play_args(&base);
    let fresh = run_in(cache, &play);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    let hash = json(&fresh)["content_hash"].as_str().unwrap().to_owned();
    let entry = cache.join(format!("{hash}.json"));
    let written = fs::read_to_string(&entry).expect("the play wrote its scenario's analysis");
    let (head, body) = written.split_once('\n').unwrap();
    let header: Value = serde_json::from_str(head).unwrap();
    let rules = header["rules"].as_str().unwrap().to_owned();

    // A forged analysis: every evidence maximum doubled.
    let mut analysis: Value = serde_json::from_str(body).unwrap();
    let ex = &mut analysis["exploration"];
    ex["max_evidence"] = (ex["max_evidence"].as_i64().unwrap() * 2).into();
    for m in ex["max_evidence_by_truth"].as_array_mut().unwrap() {
        *m = (m.as_i64().unwrap() * 2).into();
    }
    let forged = analysis.to_string();
    let entry_with = |rules: &str, content_hash: &str, sha256: &str, body: &str| {
        let mut h = header.clone();
        h["rules"] = rules.into();
        h["content_hash"] = content_hash.into();
        h["sha256"] = sha256.into();
        format!("{h}\n{body}")
    };

    // Under this program's rules, for this content and with a matching checksum, the forged
    // entry is believed: the cache really is read (and the cases below could fail).
    fs::write(
        &entry,
        entry_with(&rules, &hash, &hex_sha256(&forged), &forged),
    )
    .unwrap();
    let believed = json(&run_in(cache, &play));
    assert_eq!(believed["scores"]["evidence"], 50.0);
    assert_eq!(json(&fresh)["scores"]["evidence"], 100.0);

    let other_hash = "0".repeat(64);
    let cases = [
        (
            "another program's rules",
            entry_with(
                "0.0.1+0000000000000000",
                &hash,
                &hex_sha256(&forged),
                &forged,
            ),
        ),
        (
            "another content's hash",
            entry_with(&rules, &other_hash, &hex_sha256(&forged), &forged),
        ),
        (
            "a body that does not match its checksum",
            entry_with(&rules, &hash, &hex_sha256(body), &forged),
        ),
        ("a truncated file", written[..written.len() / 2].to_owned()),
        ("a header alone", format!("{head}\n")),
        ("an empty file", String::new()),
        ("not an entry at all", "\u{0}\u{1}garbage".to_owned()),
    ];
    for (what, text) in cases {
        fs::write(&entry, text).unwrap();
        let out = run_in(cache, &play);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&fresh), "{what}");
        assert_eq!(stderr(&out), "", "{what}");
        assert_eq!(
            fs::read_to_string(&entry).unwrap(),
            written,
            "{what}: the entry is written again"
        );
    }
}

#[test]
fn a_deleted_or_unwritable_cache_folder_never_fails_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let list = ["list", "--json"];
    let first = run_in(&cache, &list);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!entries(&cache).is_empty());
    fs::remove_dir_all(&cache).unwrap();
    let again = run_in(&cache, &list);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stdout(&first), stdout(&again));
    assert!(!entries(&cache).is_empty(), "the folder is made again");

    // A folder that cannot be made (its parent is a file): the command works, and says once
    // why it is slow and what to do, though every scenario's entry failed to be written.
    let file = dir.path().join("a_file");
    fs::write(&file, "not a folder").unwrap();
    let blocked = run_in(&file.join("cache"), &list);
    assert!(blocked.status.success(), "{}", stderr(&blocked));
    assert_eq!(stdout(&first), stdout(&blocked));
    let err = stderr(&blocked);
    assert_eq!(
        err.matches("note: cannot write the analysis cache").count(),
        1,
        "{err}"
    );
    assert!(err.contains(CACHE_ENV), "{err}");
}

/// Without the variable the cache is in the user's cache folder; `off` keeps nothing on disk.
#[cfg(target_os = "linux")]
#[test]
fn the_cache_lives_in_the_users_cache_folder_unless_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let on = dir.path().join("on");
    let off = dir.path().join("off");
    let list = ["list", "--json"];
    let with = run_env(
        &list,
        "",
        &[
            (CACHE_ENV, OsStr::new("")),
            ("XDG_CACHE_HOME", on.as_os_str()),
        ],
    );
    assert!(with.status.success(), "{}", stderr(&with));
    assert!(!entries(&on.join("dunning-dojo/analysis")).is_empty());
    let without = run_env(
        &list,
        "",
        &[
            (CACHE_ENV, OsStr::new(CACHE_OFF)),
            ("XDG_CACHE_HOME", off.as_os_str()),
        ],
    );
    assert!(without.status.success(), "{}", stderr(&without));
    assert_eq!(stdout(&with), stdout(&without));
    assert!(!off.exists());
}
