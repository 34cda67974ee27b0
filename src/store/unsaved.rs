//! When a result cannot be saved: keep it in a JSON file of its own, so nothing the trainee
//! did is lost. The terminal and the game both use this.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `record` (with the error and the database it was meant for) to a new file
/// `dunning-dojo-unsaved-{kind}-{time}-{pid}.json` in the first of `folders` that takes it.
/// Returns its path, or every folder tried with why it failed.
pub fn keep_unsaved(
    kind: &str,
    error: &str,
    database: &str,
    mut record: serde_json::Value,
    folders: &[PathBuf],
) -> Result<PathBuf, Vec<String>> {
    record["unsaved"] = kind.into();
    record["error"] = error.into();
    record["database"] = database.into();
    let text = serde_json::to_string_pretty(&record).unwrap_or_default();
    let name = format!(
        "dunning-dojo-unsaved-{kind}-{}-{}.json",
        super::now().strftime("%Y%m%d-%H%M%S%.3f"),
        std::process::id()
    );
    let mut tried = Vec::new();
    for dir in folders {
        let path = dir.join(&name);
        match write_new(&path, &text) {
            Ok(()) => return Ok(path),
            Err(e) => tried.push(format!("{}: {e}", path.display())),
        }
    }
    Err(tried)
}

/// Writes a file that must not exist yet; a partly written one is removed.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if written.is_err() {
        drop(file);
        let _ = std::fs::remove_file(path);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_writable_folder_keeps_the_record() {
        let good = tempfile::tempdir().unwrap();
        let missing = good.path().join("no/such/folder");
        let path = keep_unsaved(
            "attempt",
            "database is locked",
            "r.sqlite",
            serde_json::json!({"result": {"overall": 88.5}}),
            &[missing, good.path().to_path_buf()],
        )
        .unwrap();
        assert!(path.starts_with(good.path()));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["error"], "database is locked");
        assert_eq!(v["result"]["overall"], 88.5);
    }

    #[test]
    fn no_writable_folder_says_where_it_tried() {
        let tried = keep_unsaved(
            "quiz",
            "x",
            "r.sqlite",
            serde_json::json!({}),
            &[PathBuf::from("/proc/no-such-dir")],
        )
        .unwrap_err();
        assert_eq!(tried.len(), 1);
        assert!(tried[0].contains("/proc/no-such-dir"));
    }
}
