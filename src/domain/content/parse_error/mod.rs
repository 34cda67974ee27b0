//! A `ron` error turned into a diagnostic that points at the cause: an unclosed string,
//! bracket or comment at its opening, a missing comma between the two fields it separates,
//! and a value of the wrong type at the value itself, naming its field.
//!
//! `ron` reports where it stopped, which is often not where the mistake is. Two extra readings
//! run only when a file fails to parse, so a good file pays nothing: [`syntax::read_to`] reads
//! the tokens up to the stop, and a second deserialisation through `serde_path_to_error` gives
//! the field path of a type error, which the span tree turns into the value's position.

mod fields;
mod structure;

use std::ops::Range;
use std::path::Path;

use ron::error::{Error as RonError, SpannedError};

use self::fields::expected_value;
use super::syntax::ron_options;
use super::syntax::{self, Tok, Token};
use crate::domain::diagnostics::{Code, Diagnostic, codes, line_col, offset_of};

/// The help for a syntax error whose cause could not be narrowed down.
const SYNTAX_HELP: &str = "check for a missing comma, bracket or quote just before this point";

/// The diagnostic for `err`, raised while reading `text` (the content of `path`) as a `kind`
/// (`Persona`, `Scenario`, `QuizBank` or `Campaign`).
pub fn explain(path: &Path, text: &str, kind: &str, err: &SpannedError) -> Diagnostic {
    let at = offset_of(text, err.span.start.line, err.span.start.col);
    let end = offset_of(text, err.span.end.line, err.span.end.col).max(at);
    let why = Explainer {
        path,
        text,
        kind,
        err: &err.code,
        at,
        end,
    };
    if let RonError::ExceededRecursionLimit = err.code {
        return why.too_deep();
    }
    let cx = syntax::read_to(text, at);
    if let Some(quote) = cx.unclosed_string {
        return why.unclosed_string(quote);
    }
    if let Some(comment) = cx.unclosed_comment {
        return unclosed_comment(path, text, comment);
    }
    match &err.code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => why
            .unclosed_container(&cx)
            .unwrap_or_else(|| why.unknown_field(expected, found, outer.as_deref())),
        RonError::DuplicateStructField { field, outer } => {
            why.duplicate_field(field, outer.as_deref())
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => why.unknown_variant(expected, found, outer.as_deref()),
        RonError::MissingStructField { field, outer } => why
            .closed_early(&cx, field)
            .unwrap_or_else(|| why.missing_field(field, outer.as_deref())),
        code if expected_value(code).is_some() || matches!(code, RonError::Message(_)) => why
            .unclosed_container(&cx)
            .unwrap_or_else(|| why.wrong_value()),
        _ => why.syntax(&cx),
    }
}

/// The diagnostic for a file whose root is not `Persona(`, `Scenario(`, `QuizBank(` or `Campaign(`: `found`
/// is the name it starts with, if any.
pub fn unknown_kind(path: &Path, text: &str, found: Option<&str>) -> Diagnostic {
    // A block comment left open at the top hides the whole file.
    if let Some(comment) = syntax::read_to(text, text.len()).unclosed_comment {
        return unclosed_comment(path, text, comment);
    }
    let found = found.map_or_else(|| "no name".to_owned(), |n| format!("`{n}`"));
    Diagnostic::error(
        codes::UNKNOWN_KIND,
        path,
        text,
        0..text.len().min(1),
        format!("a content file must start with `Persona(`, `Scenario(`, `QuizBank(` or `Campaign(`; found {found}"),
    )
    .with_label("the root value")
    .with_help("write the kind of file before the opening parenthesis, for example `Scenario(id: \"…\", …)`")
}

/// A block comment opened at `at` and never closed.
fn unclosed_comment(path: &Path, text: &str, at: usize) -> Diagnostic {
    Diagnostic::error(
        codes::SYNTAX,
        path,
        text,
        at..at + 2,
        "this block comment is never closed: the file ends inside it",
    )
    .with_label("comment opened here")
    .with_help("close it with `*/` (comments nest: each `/*` needs its own `*/`)")
}

struct Explainer<'a> {
    path: &'a Path,
    text: &'a str,
    kind: &'a str,
    err: &'a RonError,
    /// Where `ron` stopped.
    at: usize,
    end: usize,
}

impl Explainer<'_> {
    fn error(
        &self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, self.path, self.text, span, message)
            .with_label(label)
            .with_help(help)
    }

    /// `ron`'s own span, at least one character wide.
    fn ron_span(&self) -> Range<usize> {
        if self.end > self.at {
            self.at..self.end
        } else {
            self.at..self.at + 1
        }
    }

    /// `line L, col C` of a byte offset.
    fn place(&self, at: usize) -> String {
        let (line, col) = line_col(self.text, at);
        format!("line {line}, col {col}")
    }

    fn too_deep(&self) -> Diagnostic {
        self.error(
            codes::SYNTAX,
            self.ron_span(),
            format!(
                "values are nested more than {} levels deep here; content this deep is not supported",
                ron_options().recursion_limit.unwrap_or_default()
            ),
            "here",
            "content files need only a few levels; look for brackets opened here and never closed, or split the condition",
        )
    }

    fn key_text(&self, key: &Range<usize>) -> &str {
        self.text[key.clone()].trim_matches('"')
    }

    /// True when `tok` is a key: a word or string followed by `:`.
    fn is_key(&self, tok: Token) -> bool {
        matches!(tok.kind, Tok::Word | Tok::Str { .. })
            && syntax::next_token(self.text, tok.end).is_some_and(|t| t.kind == Tok::Colon)
    }

    /// The generic syntax diagnostic: `ron`'s words, at the token where it stopped.
    fn fallback(&self, at: usize) -> Diagnostic {
        let span = if at > self.at && at < self.text.len() {
            at..at + 1
        } else {
            self.ron_span()
        };
        self.error(
            codes::SYNTAX,
            span,
            sentence(&self.err.to_string()),
            "here",
            SYNTAX_HELP,
        )
    }
}

/// `span` cut at the end of its first line (a whole map or struct would draw many lines).
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let end = text[span.clone()]
        .find('\n')
        .map_or(span.end, |i| span.start + i);
    span.start..end.max(span.start + 1).min(text.len().max(span.start))
}

/// At most 40 characters of `s`, on one line.
fn shorten(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default();
    match line.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None if line.len() < s.len() => format!("{line}…"),
        None => line.to_owned(),
    }
}

/// "1 value", "2 values".
fn values(n: usize) -> String {
    if n == 1 {
        "1 value".to_owned()
    } else {
        format!("{n} values")
    }
}

/// `ron`'s message as a sentence of ours: lower-case start.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
