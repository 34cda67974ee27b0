//! The source a diagnostic is drawn against, cut to the lines the drawing shows and to a window
//! of each long line, so a one-line file of many megabytes prints a few hundred characters.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

/// The most characters of one source line shown; a longer line is shown as a window of this
/// width around the point of the error, with `…` where it was cut.
pub const MAX_LINE_CHARS: usize = 160;

/// Part of a file: the lines a diagnostic shows, each cut to a window, with their true line
/// and column numbers. It implements codespan's [`Files`] for one file.
pub struct Excerpt {
    name: String,
    text: String,
    lines: Vec<Line>,
    /// The diagnostic's span, in `text`.
    pub span: Range<usize>,
}

/// One shown line.
struct Line {
    /// 0-based line index in the file.
    index: usize,
    /// The line in the excerpt's text, with its newline.
    range: Range<usize>,
    /// Where the shown window of the file's line starts, in the file and in the excerpt.
    file_start: usize,
    text_start: usize,
    /// Bytes of the window (the file's `file_start..file_start + len`).
    len: usize,
    /// 1-based column, in the file, of the window's first character.
    first_col: usize,
}

impl Excerpt {
    /// The excerpt of `src` needed to draw `span` with codespan's `start_context_lines`
    /// (`after_start`) and `end_context_lines` (`before_end`): the lines it draws, plus the one
    /// line it fills in when a single line separates the two groups.
    pub fn new(
        name: String,
        src: &str,
        span: Range<usize>,
        after_start: usize,
        before_end: usize,
    ) -> Excerpt {
        let first = line_of(src, span.start);
        let last = line_of(src, span.end);
        let mut wanted: Vec<(usize, usize)> = lines_from(src, first.1, first.0, after_start + 2)
            .take_while(|(i, _)| *i <= last.0)
            .collect();
        let tail_from = last.0.saturating_sub(before_end + 1).max(first.0);
        let mut tail = Vec::new();
        let mut at = last;
        loop {
            tail.push(at);
            if at.0 == tail_from || at.0 == 0 {
                break;
            }
            let prev_end = at.1 - 1;
            at = (at.0 - 1, line_start(src, prev_end));
        }
        tail.reverse();
        wanted.extend(tail);
        wanted.sort_unstable();
        wanted.dedup();

        let mut text = String::new();
        let mut lines = Vec::with_capacity(wanted.len());
        for (index, start) in wanted {
            let end = line_end(src, start);
            let anchor = if index == first.0 {
                span.start
            } else if index == last.0 {
                span.end
            } else {
                start
            };
            let (from, to) = window(src, start..end, anchor);
            let line_start_in_text = text.len();
            if from > start {
                text.push('…');
            }
            let text_start = text.len();
            text.push_str(&src[from..to]);
            if to < end {
                text.push('…');
            }
            text.push('\n');
            lines.push(Line {
                index,
                range: line_start_in_text..text.len(),
                file_start: from,
                text_start,
                len: to - from,
                first_col: src[start..from].chars().count() + 1,
            });
        }
        let mut excerpt = Excerpt {
            name,
            text,
            lines,
            span: 0..0,
        };
        let start = excerpt.to_text(first.0, span.start);
        let end = excerpt.to_text(last.0, span.end).max(start);
        excerpt.span = start..end;
        excerpt
    }

    /// Where the file's byte `at`, on line `index`, is in the excerpt (clamped to the window).
    fn to_text(&self, index: usize, at: usize) -> usize {
        self.lines.iter().find(|l| l.index == index).map_or(0, |l| {
            l.text_start + at.saturating_sub(l.file_start).min(l.len)
        })
    }

    fn line(&self, index: usize) -> Option<&Line> {
        self.lines.iter().find(|l| l.index == index)
    }
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .iter()
            .find(|l| byte_index < l.range.end)
            .or(self.lines.last())
            .map_or(0, |l| l.index))
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        Ok(self.line(line_index).map_or(1, |l| {
            let at = byte_index.clamp(l.text_start, l.text_start + l.len);
            l.first_col + self.text[l.text_start..at].chars().count()
        }))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        // Lines between the shown ones are never drawn; an empty range keeps codespan's walk
        // over a long span cheap.
        Ok(self
            .line(line_index)
            .map_or(self.text.len()..self.text.len(), |l| l.range.clone()))
    }
}

/// The 0-based index and start offset of the line holding byte `at`.
fn line_of(src: &str, at: usize) -> (usize, usize) {
    let start = line_start(src, at);
    (
        src.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
        start,
    )
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line starting at `start`, before its `\n` (and a `\r` before that).
fn line_end(src: &str, start: usize) -> usize {
    let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    if end > start && src.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Up to `count` lines from the line `index` starting at `start`: (index, start offset).
fn lines_from(
    src: &str,
    start: usize,
    index: usize,
    count: usize,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    std::iter::successors(Some((index, start)), move |&(i, s)| {
        src[s..].find('\n').map(|n| (i + 1, s + n + 1))
    })
    .take(count)
}

/// The shown part of `line` (byte range in `src`): all of it when short, else
/// [`MAX_LINE_CHARS`] characters around `anchor`.
fn window(src: &str, line: Range<usize>, anchor: usize) -> (usize, usize) {
    let text = &src[line.clone()];
    if text.len() <= MAX_LINE_CHARS || text.char_indices().nth(MAX_LINE_CHARS).is_none() {
        return (line.start, line.end);
    }
    let anchor = anchor.clamp(line.start, line.end);
    let from = src[line.start..anchor]
        .char_indices()
        .rev()
        .nth(MAX_LINE_CHARS / 2 - 1)
        .map_or(line.start, |(i, _)| line.start + i);
    let to = src[from..line.end]
        .char_indices()
        .nth(MAX_LINE_CHARS)
        .map_or(line.end, |(i, _)| from + i);
    if to == line.end {
        // Near the end of the line: show the last MAX_LINE_CHARS characters.
        let from = src[line.clone()]
            .char_indices()
            .rev()
            .nth(MAX_LINE_CHARS - 1)
            .map_or(line.start, |(i, _)| line.start + i);
        return (from, to);
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_file_is_shown_whole_with_true_numbers() {
        let src = "a\nbb\nccc\n";
        let e = Excerpt::new("f".into(), src, 5..7, 3, 1);
        assert_eq!(e.text, "ccc\n");
        assert_eq!(&e.text[e.span.clone()], "cc");
        assert_eq!(e.line_index((), e.span.start).unwrap(), 2);
        assert_eq!(e.column_number((), 2, e.span.start).unwrap(), 1);
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_error() {
        let src = format!("{}ERR{}\nnext", "x".repeat(10_000), "y".repeat(10_000));
        let at = src.find("ERR").unwrap();
        let e = Excerpt::new("f".into(), &src, at..at + 3, 3, 1);
        assert!(
            e.text.chars().count() < MAX_LINE_CHARS + 4,
            "{}",
            e.text.len()
        );
        assert!(e.text.starts_with('…') && e.text.ends_with("…\n"));
        assert_eq!(&e.text[e.span.clone()], "ERR");
        assert_eq!(e.column_number((), 0, e.span.start).unwrap(), 10_001);
    }

    #[test]
    fn a_long_span_keeps_only_the_lines_drawn() {
        let src: String = (1..=1000).map(|i| format!("line {i}\n")).collect();
        let start = src.find("line 10\n").unwrap();
        let end = src.find("line 900\n").unwrap() + 4;
        let e = Excerpt::new("f".into(), &src, start..end, 3, 1);
        let shown: Vec<&str> = e.text.lines().collect();
        assert_eq!(
            shown,
            [
                "line 10", "line 11", "line 12", "line 13", "line 14", "line 898", "line 899",
                "line 900"
            ]
        );
        assert_eq!(e.line_index((), e.span.end).unwrap(), 899);
        assert_eq!(&e.text[e.line_range((), 899).unwrap()], "line 900\n");
    }

    #[test]
    fn windows_stay_on_character_boundaries() {
        let src = "中".repeat(5_000);
        for at in [0, 3, 7_500, 14_997] {
            let e = Excerpt::new("f".into(), &src, at..at + 3, 3, 1);
            assert_eq!(&e.text[e.span.clone()], "中");
        }
    }
}
