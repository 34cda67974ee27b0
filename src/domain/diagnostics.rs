//! Located content diagnostics: stable `DDnnnn` codes, severities, and terminal rendering.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::{self, Config, DisplayStyle};
use serde::Serialize;

mod snippet;

/// The most characters kept of a message, label or help: a message quoting a huge value (a
/// 50 MB string after an unknown field) is shortened in the middle.
pub const MAX_MESSAGE_CHARS: usize = 600;

/// Whether a problem stops the content from being used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The file or scenario cannot be played until it is fixed.
    Error,
    /// Worth fixing; the content still plays.
    Warning,
}

/// A stable diagnostic code. The catalogue with explanations is in `dialogues/README.md`;
/// a test keeps the two in step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Code(pub u16);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DD{:04}", self.0)
    }
}

/// Every code the validator and quiz checker can emit, with a one-line title.
pub mod codes {
    use super::Code;

    /// RON syntax error.
    pub const SYNTAX: Code = Code(1);
    /// A value has the wrong type or an invalid value.
    pub const TYPE: Code = Code(2);
    /// A field the format does not have (often a typo).
    pub const UNKNOWN_FIELD: Code = Code(3);
    /// A required field is missing.
    pub const MISSING_FIELD: Code = Code(4);
    /// An enum value (tone, outcome, rule…) the format does not have.
    pub const UNKNOWN_VARIANT: Code = Code(5);
    /// The file cannot be read or is not UTF-8.
    pub const UNREADABLE: Code = Code(6);
    /// The file is not a Persona, Scenario or QuizBank.
    pub const UNKNOWN_KIND: Code = Code(7);
    /// A field is written twice.
    pub const DUPLICATE_FIELD: Code = Code(8);
    /// A path in the content folder is skipped: a folder or file reached again through a link,
    /// or a name ending in `.RON` rather than `.ron`.
    pub const SKIPPED_PATH: Code = Code(9);

    /// The same id is used twice.
    pub const DUPLICATE_ID: Code = Code(101);
    /// The scenario names a persona that does not exist.
    pub const UNKNOWN_PERSONA: Code = Code(102);
    /// A reference to a node that does not exist.
    pub const UNKNOWN_NODE: Code = Code(103);
    /// A reference to an evidence item the scenario does not declare.
    pub const UNKNOWN_EVIDENCE: Code = Code(104);
    /// A flag is tested but never set.
    pub const FLAG_NEVER_SET: Code = Code(105);
    /// A reference to a preparation item that does not exist.
    pub const UNKNOWN_PREP: Code = Code(106);
    /// A reference to a hidden truth the persona does not have.
    pub const UNKNOWN_TRUTH: Code = Code(107);
    /// An id is not `[a-z0-9_]+`.
    pub const BAD_ID: Code = Code(108);
    /// The start node or the patience-out node is of the wrong kind.
    pub const BAD_SPECIAL_NODE: Code = Code(109);
    /// A flag is set but never tested.
    pub const FLAG_NEVER_TESTED: Code = Code(110);
    /// A `Truth(…)` condition names no declared drawn-truth variant.
    pub const UNKNOWN_DRAWN_TRUTH: Code = Code(111);
    /// A drawn truth with fewer than two variants, or too many combinations.
    pub const BAD_TRUTH_DRAW: Code = Code(112);

    /// A node cannot be reached from the start.
    pub const UNREACHABLE_NODE: Code = Code(201);
    /// A debtor node has no choices, or none can ever be offered.
    pub const NO_WAY_OUT: Code = Code(202);
    /// An ending can never be reached.
    pub const UNREACHABLE_ENDING: Code = Code(203);
    /// An evidence item can never be gained.
    pub const EVIDENCE_NEVER_GAINED: Code = Code(204);
    /// A group of nodes loops with no way out.
    pub const CYCLE_NO_EXIT: Code = Code(205);
    /// The state search hit its bound; results about reachability are partial.
    pub const SEARCH_BOUNDED: Code = Code(206);
    /// A line or choice can never be shown because its conditions never hold.
    pub const NEVER_AVAILABLE: Code = Code(207);
    /// Evidence points on a choice that can be repeated in a loop.
    pub const FARMABLE_EVIDENCE: Code = Code(208);
    /// No line ever spends the debtor's patience to zero.
    pub const PATIENCE_NEVER_RUNS_OUT: Code = Code(209);

    /// A text lacks a locale the scenario declares.
    pub const MISSING_LOCALE: Code = Code(301);
    /// A text has a locale key that is not declared or not supported.
    pub const EXTRA_LOCALE: Code = Code(302);
    /// The scenario's locale list is empty or names an unsupported locale.
    pub const BAD_LOCALES: Code = Code(303);
    /// A plain (untranslated) string with Chinese text in a multi-locale scenario.
    pub const UNTRANSLATED: Code = Code(304);
    /// An empty text.
    pub const EMPTY_TEXT: Code = Code(305);
    /// A `{variable}` that does not exist.
    pub const UNKNOWN_VARIABLE: Code = Code(306);
    /// A translation whose source text changed after it was imported (`strings import`).
    pub const STALE_TRANSLATION: Code = Code(307);

    /// The best path (the model answer) does not pass.
    pub const BEST_PATH_FAILS: Code = Code(401);
    /// A prohibited-conduct violation that would not fail the attempt.
    pub const VIOLATION_DOES_NOT_FAIL: Code = Code(402);
    /// Scoring weights or pass mark out of range.
    pub const BAD_SCORING: Code = Code(404);
    /// A `violation` ending reachable without a violation.
    pub const VIOLATION_ENDING_WITHOUT_VIOLATION: Code = Code(405);
    /// A scenario with no violation trap at all.
    pub const NO_VIOLATION_TRAP: Code = Code(406);
    /// Along the model answer the best line is usually the longest: the wording gives the
    /// answer away.
    pub const ANSWER_GIVEN_AWAY: Code = Code(407);

    /// A number out of its range (mood, patience, weight, budget, max turns).
    pub const OUT_OF_RANGE: Code = Code(501);
    /// A date that is not `YYYY-MM-DD`.
    pub const BAD_DATE: Code = Code(502);
    /// An amount that is negative, not finite or has more than two decimals.
    pub const BAD_AMOUNT: Code = Code(503);
    /// A citation of a course document that does not exist.
    pub const UNKNOWN_COURSE: Code = Code(504);
    /// A node with no lines.
    pub const NO_LINES: Code = Code(505);
    /// A currency code that is not three capital letters.
    pub const BAD_CURRENCY: Code = Code(506);
    /// A scenario with no learning objectives.
    pub const NO_OBJECTIVES: Code = Code(507);
    /// An unknown syllabus tag.
    pub const UNKNOWN_TAG: Code = Code(508);

    /// A quiz question has no correct answer.
    pub const QUIZ_NO_CORRECT: Code = Code(601);
    /// A quiz answer key points at an option that does not exist.
    pub const QUIZ_BAD_KEY: Code = Code(602);
    /// A quiz question's shape does not fit its kind.
    pub const QUIZ_BAD_SHAPE: Code = Code(603);
    /// A quiz question cites an unknown topic.
    pub const QUIZ_UNKNOWN_TOPIC: Code = Code(604);
    /// A quiz question recommends a scenario that does not exist.
    pub const QUIZ_UNKNOWN_SCENARIO: Code = Code(605);
    /// A quiz explanation names an option by its id or letter, which the shuffle changes.
    pub const QUIZ_LETTER_IN_EXPLANATION: Code = Code(606);

    /// A campaign account names a scenario that does not exist.
    pub const CAMPAIGN_UNKNOWN_SCENARIO: Code = Code(701);
    /// A campaign's authored conversation does not fit its account (another persona, or a
    /// call playing a visit scenario).
    pub const CAMPAIGN_SCENARIO_MISMATCH: Code = Code(702);
    /// A campaign's calendar does not work: a start that is not a Monday, no invoices, or an
    /// event or deadline outside the campaign's weeks.
    pub const CAMPAIGN_CALENDAR: Code = Code(703);
}

/// One problem found in the content, with where it is and what to do.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub level: Level,
    /// The file, as given to the loader.
    pub path: PathBuf,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// 1-based line of the span start.
    pub line: usize,
    /// 1-based column (in characters) of the span start.
    pub col: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// A short label under the snippet.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span` of `src`.
    pub fn error(
        code: Code,
        path: &Path,
        src: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Level::Error, code, path, src, span, message)
    }

    /// A warning at `span` of `src`.
    pub fn warning(
        code: Code,
        path: &Path,
        src: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Level::Warning, code, path, src, span, message)
    }

    fn new(
        level: Level,
        code: Code,
        path: &Path,
        src: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let span = clamp_span(src, span);
        let (line, col) = line_col(src, span.start);
        Diagnostic {
            code,
            level,
            path: path.to_owned(),
            span,
            line,
            col,
            message: shorten(message.into()),
            label: String::new(),
            help: None,
        }
    }

    /// Adds the label shown under the snippet.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = shorten(label.into());
        self
    }

    /// Adds what to do about it.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(shorten(help.into()));
        self
    }

    /// `path:line:col: error[DDnnnn]: message`, the first line of the rendering.
    pub fn headline(&self) -> String {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {level}[{}]: {}",
            self.path.display(),
            self.line,
            self.col,
            self.code,
            self.message
        )
    }

    /// The headline followed by the source snippet and help, given the file's text.
    ///
    /// The snippet shows only the lines codespan draws, each cut to a window of
    /// [`snippet::MAX_LINE_CHARS`] characters around the error, with the file's own line and
    /// column numbers.
    pub fn render(&self, src: &str) -> String {
        let config = Config {
            display_style: DisplayStyle::Rich,
            ..Config::default()
        };
        let excerpt = snippet::Excerpt::new(
            self.path.display().to_string(),
            src,
            clamp_span(src, self.span.clone()),
            config.start_context_lines,
            config.end_context_lines,
        );
        let severity = match self.level {
            Level::Error => CsSeverity::Error,
            Level::Warning => CsSeverity::Warning,
        };
        let mut cs = CsDiagnostic::new(severity)
            .with_code(self.code.to_string())
            .with_message(&self.message)
            .with_labels(vec![
                Label::primary((), excerpt.span.clone()).with_message(&self.label),
            ]);
        if let Some(help) = &self.help {
            cs = cs.with_notes(vec![format!("help: {help}")]);
        }
        let mut out = self.headline();
        out.push('\n');
        match term::emit_into_string(&config, &excerpt, &cs) {
            // The rich rendering repeats the message as its own first line; the headline
            // above already carries it in the `path:line:col:` form, so drop the repeat.
            Ok(rich) => {
                out.push_str(
                    rich.split_once('\n')
                        .map_or("", |(_, rest)| rest)
                        .trim_end(),
                );
                out.push('\n');
            }
            Err(_) => {
                if let Some(help) = &self.help {
                    out.push_str(&format!("  = help: {help}\n"));
                }
            }
        }
        out
    }
}

/// `text` with its middle replaced by ` … ` when it is longer than [`MAX_MESSAGE_CHARS`].
fn shorten(text: String) -> String {
    let Some((cut, _)) = text.char_indices().nth(MAX_MESSAGE_CHARS) else {
        return text;
    };
    let half = MAX_MESSAGE_CHARS / 2;
    let head_end = text.char_indices().nth(half).map_or(cut, |(i, _)| i);
    let tail_start = text
        .char_indices()
        .rev()
        .nth(half - 1)
        .map_or(cut, |(i, _)| i);
    format!("{} … {}", &text[..head_end], &text[tail_start..])
}

/// Keeps a span inside the text and on character boundaries.
fn clamp_span(src: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(src.len());
    while !src.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, src.len());
    while !src.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// 1-based line and character column of byte offset `at`.
pub fn line_col(src: &str, at: usize) -> (usize, usize) {
    let at = clamp_span(src, at..at).start;
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..at].chars().count() + 1;
    (line, col)
}

/// Byte offset of a 1-based line and character column (clamped to the text).
pub fn offset_of(src: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let chars = l.char_indices().nth(col.saturating_sub(1));
            return offset + chars.map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    src.len()
}

/// Counts errors and warnings.
pub fn tally(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.level == Level::Error).count();
    (errors, diags.len() - errors)
}

/// The closest candidate to `found` by edit distance, when it is plausibly a typo.
pub fn suggest<'a>(found: &str, candidates: &'a [&'a str]) -> Option<&'a str> {
    let found_chars = found.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let near = (c.len() / 3).max(2);
            let apart = found_chars.abs_diff(c.chars().count());
            // When one is a prefix of the other the distance is the difference in length, and
            // it is never less than that: a huge `found` (a 5 MB field name) costs no search.
            let d = if found.starts_with(*c) || c.starts_with(found) {
                apart
            } else if apart > near {
                return None;
            } else {
                strsim::damerau_levenshtein(found, c)
            };
            (d <= near || found.starts_with(*c) || c.starts_with(found)).then_some((d, *c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let src = "第一行\n  中文 next: \"x\"";
        let at = src.find("next").unwrap();
        assert_eq!(line_col(src, at), (2, 6));
        assert_eq!(offset_of(src, 2, 6), at);
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 10_000), (2, 15));
    }

    #[test]
    fn render_starts_with_path_line_col_and_shows_the_snippet() {
        let src = "Scenario(\n    next: \"nowhere\",\n)\n";
        let at = src.find("\"nowhere\"").unwrap();
        let d = Diagnostic::error(
            codes::UNKNOWN_NODE,
            Path::new("dialogues/x.ron"),
            src,
            at..at + 9,
            "`next` points to node `nowhere`, which does not exist",
        )
        .with_label("no node has this id")
        .with_help("use one of the node ids of this scenario");
        let out = d.render(src);
        let first = out.lines().next().unwrap();
        assert_eq!(
            first,
            "dialogues/x.ron:2:11: error[DD0103]: `next` points to node `nowhere`, which does not exist"
        );
        assert!(out.contains("next: \"nowhere\""), "{out}");
        assert!(out.contains("^^^^^^^^^ no node has this id"), "{out}");
        assert!(out.contains("help: use one of"), "{out}");
        assert_eq!(out.matches("does not exist").count(), 1, "{out}");
    }

    #[test]
    fn spans_are_clamped_to_char_boundaries() {
        let src = "中文";
        let d = Diagnostic::warning(codes::EMPTY_TEXT, Path::new("a"), src, 1..100, "m");
        assert_eq!(d.span, 0..6);
        let _ = d.render(src);
    }
}
