//! Analyses kept by content hash: in memory for the life of the process (a hot reload searches
//! only what changed) and, given a folder, on disk, so a command started again on unchanged
//! content skips the search.
//!
//! An entry on disk is one file, `<content hash>.json`: a header line naming the entry's format,
//! the program's rules fingerprint, the content hash and the SHA-256 of the body, then the
//! analysis as JSON. An entry whose header does not match, whose body does not hash to the
//! header's value or does not read back, or that does not fit the compiled scenario is ignored
//! and written again: the cache can be deleted, truncated or shared between versions and never
//! changes a result. Entries are written to a temporary file and renamed into place.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Analysis, analyse};
use crate::domain::engine::Compiled;

/// The environment variable naming the cache folder, or [`CACHE_OFF`] to keep nothing on disk.
pub const CACHE_ENV: &str = "DUNNING_DOJO_CACHE";

/// The value of [`CACHE_ENV`] that turns the disk cache off.
pub const CACHE_OFF: &str = "off";

/// What every entry's header starts with; bump the number when the file layout changes.
const FORMAT: &str = "dunning-dojo analysis 1";

/// The rules fingerprint of this program (see `build.rs`): the package version and a hash of
/// the domain code and the locked dependencies.
const RULES: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("DUNNING_DOJO_RULES"));

/// Entries kept on disk; past this the oldest are removed when a new one is written. Each is
/// a few kilobytes (a 2,000-node scenario's is about 100 KB).
const MAX_ENTRIES: usize = 256;

/// Analyses by content hash, in memory and optionally in a folder on disk.
#[derive(Debug, Default)]
pub struct AnalysisCache {
    memory: Mutex<HashMap<String, Arc<Analysis>>>,
    folder: Option<PathBuf>,
    /// The first problem writing to the folder, kept to be reported once.
    problem: Mutex<Option<String>>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    rules: String,
    content_hash: String,
    sha256: String,
}

impl AnalysisCache {
    /// A cache in memory only.
    pub fn in_memory() -> AnalysisCache {
        AnalysisCache::default()
    }

    /// A cache that also keeps its entries in `folder` (made when first written to).
    pub fn in_folder(folder: impl Into<PathBuf>) -> AnalysisCache {
        AnalysisCache {
            folder: Some(folder.into()),
            ..AnalysisCache::default()
        }
    }

    /// The cache the command line and the game use: the folder named by [`CACHE_ENV`] (none
    /// when it says [`CACHE_OFF`]), else `analysis` in the per-user cache folder
    /// (`~/.cache/dunning-dojo` on Linux, `%LOCALAPPDATA%\dunning-dojo\cache` on Windows,
    /// `~/Library/Caches/dunning-dojo` on macOS), else memory only.
    pub fn from_env() -> AnalysisCache {
        match std::env::var_os(CACHE_ENV) {
            Some(v) if v == CACHE_OFF => AnalysisCache::in_memory(),
            Some(v) if !v.is_empty() => AnalysisCache::in_folder(v),
            _ => directories::ProjectDirs::from("", "", "dunning-dojo")
                .map_or_else(AnalysisCache::in_memory, |d| {
                    AnalysisCache::in_folder(d.cache_dir().join("analysis"))
                }),
        }
    }

    /// The folder entries are kept in, if any.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// The first problem met writing to the folder (the commands still work without it).
    pub fn problem(&self) -> Option<String> {
        self.problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The analysis of `c` (see [`analyse`]): from memory, else from the folder, else searched
    /// now and kept. Either way `c`'s evidence maxima are set from it.
    pub fn analyse(&self, c: &mut Compiled, check_model: bool) -> Arc<Analysis> {
        let hash = c.content_hash.clone();
        let known = self.memory().get(&hash).cloned();
        let found = known.filter(|a| a.fits(c, check_model)).or_else(|| {
            let read = self.read(&hash).filter(|a| a.fits(c, check_model))?;
            let read = Arc::new(read);
            self.memory().insert(hash.clone(), Arc::clone(&read));
            Some(read)
        });
        if let Some(a) = found {
            c.evidence_max = a.exploration.evidence_max();
            return a;
        }
        let a = Arc::new(analyse(c, check_model));
        self.memory().insert(hash.clone(), Arc::clone(&a));
        self.write(&hash, &a);
        a
    }

    /// Keeps an analysis already made (the previous library's, on a hot reload) in memory.
    pub fn remember(&self, content_hash: &str, analysis: Arc<Analysis>) {
        self.memory().insert(content_hash.to_owned(), analysis);
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Analysis>>> {
        self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn entry(&self, hash: &str) -> Option<PathBuf> {
        // The hash names a file: only a SHA-256 in hex may (it is one; this keeps it so).
        let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        self.folder
            .as_ref()
            .filter(|_| hex)
            .map(|f| f.join(format!("{hash}.json")))
    }

    fn read(&self, hash: &str) -> Option<Analysis> {
        let bytes = fs::read(self.entry(hash)?).ok()?;
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let (head, body) = (&bytes[..newline], &bytes[newline + 1..]);
        let header: Header = serde_json::from_slice(head).ok()?;
        let intact = header.format == FORMAT
            && header.rules == RULES
            && header.content_hash == hash
            && header.sha256 == hex_sha256(body);
        intact.then(|| serde_json::from_slice(body).ok())?
    }

    fn write(&self, hash: &str, analysis: &Analysis) {
        let (Some(folder), Some(path)) = (&self.folder, self.entry(hash)) else {
            return;
        };
        let body = match serde_json::to_vec(analysis) {
            Ok(b) => b,
            Err(e) => return self.note(format!("cannot write the analysis: {e}")),
        };
        let header = Header {
            format: FORMAT.to_owned(),
            rules: RULES.to_owned(),
            content_hash: hash.to_owned(),
            sha256: hex_sha256(&body),
        };
        let written = fs::create_dir_all(folder)
            .and_then(|()| tempfile::NamedTempFile::new_in(folder))
            .and_then(|mut tmp| {
                serde_json::to_writer(&mut tmp, &header)?;
                tmp.write_all(b"\n")?;
                tmp.write_all(&body)?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            });
        match written {
            Ok(()) => prune(folder),
            Err(e) => self.note(format!(
                "cannot write the analysis cache in {}: {e}",
                folder.display()
            )),
        }
    }

    fn note(&self, problem: String) {
        self.problem
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(problem);
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Removes the oldest entries past [`MAX_ENTRIES`]. Only files named like an entry are touched:
/// the folder may be one the user named, holding other things.
fn prune(folder: &Path) {
    let Ok(dir) = fs::read_dir(folder) else {
        return;
    };
    let is_entry = |name: &str| {
        name.strip_suffix(".json")
            .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = dir
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(is_entry))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if entries.len() <= MAX_ENTRIES {
        return;
    }
    entries.sort();
    let extra = entries.len() - MAX_ENTRIES;
    for (_, path) in entries.into_iter().take(extra) {
        // Another process may have removed it already; either way it is gone.
        let _ = fs::remove_file(path);
    }
}
