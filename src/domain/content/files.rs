//! Finding and reading content files: the one folder walker the CLI and the game share, and a
//! reader that refuses what is not an ordinary, reasonably sized file before opening it.

use std::collections::BTreeMap;
use std::fs::{self, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::domain::diagnostics::{Diagnostic, codes};

/// The largest content file read. The shipped files are a few hundred KB; the limit only stops
/// a wrong file (a disk image, `/dev/zero`) from filling the memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The content files found under some paths, and why anything else was left out.
#[derive(Debug, Default)]
pub struct Found {
    /// The files to read, folders walked in sorted order.
    pub files: Vec<PathBuf>,
    /// Skipped links and odd names (warnings); special or oversized files (errors).
    pub problems: Vec<Diagnostic>,
}

/// Every `.ron` file under the given files and folders, recursively and sorted.
///
/// A folder or file reached a second time (through a symbolic link, or named twice) is skipped
/// with a warning, so a link loop ends at once and nothing loads twice. Files that are not
/// ordinary files (a named pipe, a device) or are larger than [`MAX_FILE_BYTES`] are refused
/// with an error and never opened. A name ending in `.RON` or `.Ron` is skipped with a warning:
/// the game's asset server matches the extension exactly, so accepting it here alone would make
/// the command line and the game see different content.
pub fn find_content_files(paths: &[PathBuf]) -> Found {
    let mut walk = Walk::default();
    for p in paths {
        match fs::metadata(p) {
            Ok(md) if md.is_dir() => walk.folder(p),
            Ok(md) => walk.file(p, Some(&md)),
            // The reader reports why it cannot be read, at the file.
            Err(_) => walk.file(p, None),
        }
    }
    walk.found
}

#[derive(Default)]
struct Walk {
    found: Found,
    /// Canonical folder -> the path it was first read under.
    folders: BTreeMap<PathBuf, PathBuf>,
    /// Canonical file -> the path it was first read under.
    files: BTreeMap<PathBuf, PathBuf>,
}

impl Walk {
    fn folder(&mut self, dir: &Path) {
        let canonical = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => return self.cannot_read_folder(dir, &e),
        };
        if let Some(first) = self.folders.get(&canonical) {
            let message = format!(
                "skipped `{}`: it is the folder `{}` again (through a link), which is already read",
                dir.display(),
                first.display()
            );
            self.found.problems.push(
                Diagnostic::warning(codes::SKIPPED_PATH, dir, "", 0..0, message).with_help(
                    "nothing is missing; remove the link if it is not needed (a link to a folder above it makes a loop)",
                ),
            );
            return;
        }
        self.folders.insert(canonical, dir.to_owned());
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.cannot_read_folder(dir, &e),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            // `metadata` follows links: a link to a folder is walked (once), a dangling link is
            // handed to the reader, which says it cannot be read.
            let md = fs::metadata(&p).ok();
            if md.as_ref().is_some_and(Metadata::is_dir) {
                self.folder(&p);
                continue;
            }
            match p.extension().and_then(|e| e.to_str()) {
                Some("ron") => self.file(&p, md.as_ref()),
                Some(e) if e.eq_ignore_ascii_case("ron") => self.found.problems.push(
                    Diagnostic::warning(
                        codes::SKIPPED_PATH,
                        &p,
                        "",
                        0..0,
                        format!(
                            "skipped: content files end in `.ron` in small letters, not `.{e}`"
                        ),
                    )
                    .with_help("rename the file to end in `.ron`"),
                ),
                _ => {}
            }
        }
    }

    fn file(&mut self, path: &Path, md: Option<&Metadata>) {
        if let Some(refusal) = md.and_then(|md| refuse(path, md)) {
            self.found.problems.push(refusal);
            return;
        }
        if let Ok(canonical) = fs::canonicalize(path) {
            if let Some(first) = self.files.get(&canonical) {
                let message = format!(
                    "skipped: this is `{}` again (through a link, or named twice), which is already read",
                    first.display()
                );
                self.found.problems.push(
                    Diagnostic::warning(codes::SKIPPED_PATH, path, "", 0..0, message)
                        .with_help("nothing is missing; remove the extra link if it is not needed"),
                );
                return;
            }
            self.files.insert(canonical, path.to_owned());
        }
        self.found.files.push(path.to_owned());
    }

    fn cannot_read_folder(&mut self, dir: &Path, e: &std::io::Error) {
        self.found.problems.push(
            Diagnostic::error(
                codes::UNREADABLE,
                dir,
                "",
                0..0,
                format!("cannot read the folder: {e}"),
            )
            .with_help("check the path and the folder's permissions"),
        );
    }
}

/// Why `path` (with metadata `md`, links followed) is not read, if it is not: it is not an
/// ordinary file, or it is over [`MAX_FILE_BYTES`].
fn refuse(path: &Path, md: &Metadata) -> Option<Diagnostic> {
    let unreadable = |message: String, help: &str| {
        Some(Diagnostic::error(codes::UNREADABLE, path, "", 0..0, message).with_help(help))
    };
    if !md.is_file() {
        return unreadable(
            format!(
                "this is {}, not an ordinary file, so it is not read",
                special_kind(md)
            ),
            "content files are ordinary `.ron` text files; put the file itself here",
        );
    }
    if md.len() > MAX_FILE_BYTES {
        return unreadable(
            format!(
                "the file is {} MiB, more than the {} MiB a content file may have, so it is not read",
                md.len().div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "content files are a few hundred KB: check that this is the right file, or split it",
        );
    }
    None
}

#[cfg(unix)]
fn special_kind(md: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = md.file_type();
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_md: &Metadata) -> &'static str {
    "a special file"
}

/// Reads a content file as text: its metadata is checked first (nothing special or oversized
/// is opened), then at most [`MAX_FILE_BYTES`] are read.
///
/// On failure the diagnostic comes with the text to show it against: the lossy text of a file
/// that is not UTF-8, or nothing.
pub fn read_content_file(path: &Path) -> Result<String, (Box<Diagnostic>, String)> {
    let cannot_read = |e: std::io::Error| {
        let d = Diagnostic::error(
            codes::UNREADABLE,
            path,
            "",
            0..0,
            format!("cannot read the file: {e}"),
        )
        .with_help("check the path and the file's permissions");
        (Box::new(d), String::new())
    };
    let md = fs::metadata(path).map_err(cannot_read)?;
    if let Some(d) = refuse(path, &md) {
        return Err((Box::new(d), String::new()));
    }
    let file = fs::File::open(path).map_err(cannot_read)?;
    let mut bytes = Vec::new();
    // The file may have grown since its metadata was read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let md_now = fs::metadata(path).unwrap_or(md);
        let d = refuse(path, &md_now).unwrap_or_else(|| {
            Diagnostic::error(
                codes::UNREADABLE,
                path,
                "",
                0..0,
                "the file grew past the size a content file may have while it was read",
            )
        });
        return Err((Box::new(d), String::new()));
    }
    super::source::decode(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_back_to_the_folder_is_skipped_and_every_file_found_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/a.ron"), "Persona()").unwrap();
        fs::write(dir.path().join("b.ron"), "Persona()").unwrap();
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(".", dir.path().join("loop1")).unwrap();
            std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
            std::os::unix::fs::symlink("b.ron", dir.path().join("c.ron")).unwrap();
        }
        let found = find_content_files(&[dir.path().to_owned()]);
        let names: Vec<String> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["b.ron", "sub/a.ron"]);
        if cfg!(unix) {
            assert_eq!(found.problems.len(), 3, "{:?}", found.problems);
            assert!(found.problems.iter().all(|d| d.code == codes::SKIPPED_PATH));
            assert!(
                found.problems[1].message.contains("loop1"),
                "{:?}",
                found.problems
            );
        }
    }

    #[test]
    fn an_upper_case_extension_is_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("X.RON"), "Persona()").unwrap();
        let found = find_content_files(&[dir.path().to_owned()]);
        assert!(found.files.is_empty());
        assert_eq!(found.problems.len(), 1);
        assert!(found.problems[0].message.contains("`.RON`"));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_without_being_read() {
        let found = find_content_files(&[PathBuf::from("/dev/zero")]);
        assert!(found.files.is_empty());
        assert_eq!(found.problems[0].code, codes::UNREADABLE);
        assert!(found.problems[0].message.contains("a device"));
        let (d, _) = read_content_file(Path::new("/dev/zero")).unwrap_err();
        assert!(d.message.contains("not an ordinary file"), "{d:?}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.ron");
        let f = fs::File::create(&big).unwrap();
        // Sparse: no disk space is used.
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let (d, text) = read_content_file(&big).unwrap_err();
        assert!(d.message.contains("65 MiB, more than the 64 MiB"), "{d:?}");
        assert!(text.is_empty());
    }

    #[test]
    fn a_file_that_is_not_utf8_points_at_the_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("latin1.ron");
        fs::write(&p, b"\xef\xbb\xbfPersona(\n  id: \"caf\xe9\")").unwrap();
        let (d, text) = read_content_file(&p).unwrap_err();
        assert_eq!((d.line, d.col), (2, 11), "{text:?}");
    }
}
