//! The source stage: a content file's text as every later stage reads it (byte-order mark
//! dropped, lone CRs read as LF), the UTF-8 check with its diagnostic, and the file's span
//! tree, scanned only when a diagnostic needs a location.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::span::{self, Seg, SpanNode};
use crate::domain::diagnostics::{Diagnostic, codes};

/// A content file's text, and its span tree once diagnostics need it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given to the loader.
    pub path: PathBuf,
    /// The full text.
    pub text: String,
    /// Spans of every value, scanned on first use: clean files never pay for it.
    tree: OnceLock<SpanNode>,
    /// Values located so far without the tree.
    lookups: AtomicUsize,
}

/// Values located by walking the text before the whole span tree is built: a file with a
/// warning or two (a large scenario's length tell) never pays for the tree; one with many
/// problems builds it once.
const LOOKUPS_BEFORE_TREE: usize = 4;

impl Clone for SourceFile {
    fn clone(&self) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            text: self.text.clone(),
            tree: self.tree.clone(),
            lookups: AtomicUsize::new(self.lookups.load(Ordering::Relaxed)),
        }
    }
}

impl SourceFile {
    /// A file with its text, kept as [`normalise`] reads it (the text diagnostics point into).
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let text = match normalise(&text) {
            Cow::Borrowed(same) if same.len() == text.len() => text,
            other => other.into_owned(),
        };
        SourceFile {
            path,
            text,
            tree: OnceLock::new(),
            lookups: AtomicUsize::new(0),
        }
    }

    /// The span tree of the file (scanned now if needed).
    pub fn tree(&self) -> &SpanNode {
        self.tree.get_or_init(|| span::scan(&self.text))
    }

    /// The span of the value at `path`, or of the deepest value on the way (as
    /// [`SpanNode::locate`] gives it): by walking the text for the first few, then from the tree.
    pub fn locate(&self, path: &[Seg<'_>]) -> Range<usize> {
        if let Some(tree) = self.tree.get() {
            return tree.locate(path);
        }
        if self.lookups.fetch_add(1, Ordering::Relaxed) < LOOKUPS_BEFORE_TREE {
            return span::locate(&self.text, path);
        }
        self.tree().locate(path)
    }
}

/// The text a content file is read as: without a leading byte-order mark (Windows Notepad and
/// many Chinese editors write one), and with old-Mac line ends (a CR alone) read as LF.
///
/// Positions in diagnostics are positions in this text. A lone CR becomes one LF byte, so every
/// byte after the mark keeps its offset; CRLF is left as it is.
pub fn normalise(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lone_cr = |(i, b): (usize, &u8)| *b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n');
    if !text.as_bytes().iter().enumerate().any(lone_cr) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A file's bytes as text, or the diagnostic for a file that is not UTF-8 with the lossy text
/// to show it against (the command line's reader and the game's asset loader both use this).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, (Box<Diagnostic>, String)> {
    String::from_utf8(bytes).map_err(|e| {
        let lossy = String::from_utf8_lossy(e.as_bytes());
        // The first bad byte, in the text as shown: without a leading byte-order mark.
        let bom = if lossy.starts_with('\u{feff}') { 3 } else { 0 };
        let at = e.utf8_error().valid_up_to().saturating_sub(bom);
        let text = normalise(&lossy).into_owned();
        let d = Diagnostic::error(
            codes::UNREADABLE,
            path,
            &text,
            at..at + 1,
            "the file is not valid UTF-8 text",
        )
        .with_help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")");
        (Box::new(d), text)
    })
}
