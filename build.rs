//! Build script: a fingerprint of the rules, so a cached analysis is never trusted by a program
//! whose rules differ from the one that wrote it.
//!
//! What the analyser finds depends on the domain code (how content is read, compiled, searched
//! and scored) and on the exact crates it is built with. The fingerprint hashes every file under
//! `src/domain` and `Cargo.lock`; `domain::analysis::AnalysisCache` stores it beside each entry
//! and ignores entries written under another.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=src/domain");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    collect(Path::new("src/domain"), &mut files);
    files.sort();
    files.push(PathBuf::from("Cargo.lock"));
    // FNV-1a (64-bit): stable across Rust versions, unlike the standard library's hasher; it
    // only has to change when a file does.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &files {
        feed(f.to_string_lossy().as_bytes());
        feed(&[0]);
        // A file that cannot be read still changes the fingerprint by its absence.
        feed(&fs::read(f).unwrap_or_default());
        feed(&[0]);
    }
    println!("cargo::rustc-env=DUNNING_DOJO_RULES={hash:016x}");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
