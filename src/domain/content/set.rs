//! The parsed content set: every file read (from disk or handed over in memory), what parsed,
//! and the problems found while reading and parsing. Validation takes it from here.

use std::path::{Path, PathBuf};

use super::files::{find_content_files, read_content_file};
use super::model::{Campaign, Persona, QuizBank, Scenario};
use super::parse::{Document, parse_document};
use super::source::SourceFile;
use crate::domain::diagnostics::Diagnostic;

/// Every file read, what parsed, and the parse diagnostics.
#[derive(Clone, Debug, Default)]
pub struct ContentSet {
    /// Every file, in load order.
    pub files: Vec<SourceFile>,
    /// Parsed personas with the index of their file.
    pub personas: Vec<(usize, Persona)>,
    /// Parsed scenarios with the index of their file.
    pub scenarios: Vec<(usize, Scenario)>,
    /// Parsed quiz banks with the index of their file.
    pub quiz_banks: Vec<(usize, QuizBank)>,
    /// Parsed campaigns with the index of their file.
    pub campaigns: Vec<(usize, Campaign)>,
    /// Problems found while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
}

impl ContentSet {
    /// Reads every `.ron` file under the given files and directories (recursively, sorted;
    /// see [`find_content_files`] for what is skipped or refused).
    pub fn load(paths: &[PathBuf]) -> ContentSet {
        let found = find_content_files(paths);
        let mut set = ContentSet {
            diagnostics: found.problems,
            ..ContentSet::default()
        };
        for path in found.files {
            match read_content_file(&path) {
                Ok(text) => set.add(path, text),
                Err((d, text)) => {
                    set.diagnostics.push(*d);
                    set.files.push(SourceFile::new(path, text));
                }
            }
        }
        set
    }

    /// Builds a set from in-memory sources (the game's asset loader and tests use this).
    pub fn from_sources(sources: impl IntoIterator<Item = (PathBuf, String)>) -> ContentSet {
        let mut set = ContentSet::default();
        for (path, text) in sources {
            set.add(path, text);
        }
        set
    }

    /// Parses one file and adds it.
    pub fn add(&mut self, path: PathBuf, text: String) {
        let parsed = parse_document(&path, &text);
        self.add_parsed(path, text, parsed);
    }

    /// Adds a file already parsed with [`parse_document`] (the game's asset loader does that).
    pub fn add_parsed(
        &mut self,
        path: PathBuf,
        text: String,
        parsed: Result<Document, Box<Diagnostic>>,
    ) {
        let index = self.files.len();
        match parsed {
            Ok(doc) => {
                match doc {
                    Document::Persona(p) => self.personas.push((index, *p)),
                    Document::Scenario(s) => self.scenarios.push((index, *s)),
                    Document::QuizBank(q) => self.quiz_banks.push((index, *q)),
                    Document::Campaign(c) => self.campaigns.push((index, *c)),
                }
                self.files.push(SourceFile::new(path, text));
            }
            Err(d) => {
                self.diagnostics.push(*d);
                self.files.push(SourceFile::new(path, text));
            }
        }
    }

    /// The text of the file at `path`, for rendering diagnostics.
    pub fn text_of(&self, path: &Path) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.text.as_str())
    }
}
