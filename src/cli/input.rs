//! Reading lines that a person or a program types: bytes with a length cap, so an invalid or
//! endless line is answered and skipped instead of ending the session or filling memory.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

/// The longest line kept; the rest of a longer line is skipped up to its newline, never
/// buffered (a choice id or a quiz answer is a few dozen bytes).
pub const MAX_LINE: usize = 64 * 1024;

/// How much of a bad line an error message repeats, in characters.
const ECHO_CHARS: usize = 80;

/// One line read from the input.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// The input has ended.
    End,
    /// A line of text, without its line ending.
    Text(String),
    /// A line that cannot be used; the message says why and what to send instead.
    Bad(String),
}

/// Reads one line of at most [`MAX_LINE`] bytes.
pub fn read_line(input: &mut impl BufRead) -> io::Result<Line> {
    let mut buf = Vec::new();
    // One byte more than the cap tells an over-long line from one that fits exactly.
    let n = input
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(Line::End);
    }
    if buf.last() != Some(&b'\n') && buf.len() > MAX_LINE {
        input.skip_until(b'\n')?;
        return Ok(Line::Bad(format!(
            "the line starting `{}` is longer than {} KiB and was skipped; send one answer per line",
            clip(&String::from_utf8_lossy(&buf)),
            MAX_LINE / 1024
        )));
    }
    while buf.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
        buf.pop();
    }
    match String::from_utf8(buf) {
        Ok(text) => Ok(Line::Text(text)),
        Err(e) => Ok(Line::Bad(format!(
            "the line `{}` is not valid UTF-8 (byte {} cannot be read); send text in UTF-8",
            clip(&String::from_utf8_lossy(e.as_bytes())),
            e.utf8_error().valid_up_to() + 1
        ))),
    }
}

/// `text` when it is short, else its first 80 characters and an ellipsis: an error message
/// repeats enough of what was sent to recognise it, never all of it.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(ECHO_CHARS) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<Line> {
        let mut input = io::BufReader::with_capacity(1024, bytes);
        let mut out = Vec::new();
        loop {
            let line = read_line(&mut input).unwrap();
            if line == Line::End {
                return out;
            }
            out.push(line);
        }
    }

    #[test]
    fn lines_lose_their_endings_and_the_last_needs_no_newline() {
        assert_eq!(
            lines(b"intro\r\n\nfix_date"),
            [
                Line::Text("intro".into()),
                Line::Text(String::new()),
                Line::Text("fix_date".into())
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_answered_and_the_next_line_still_reads() {
        let got = lines(b"a\xff\xfeb\nintro\n");
        let Line::Bad(message) = &got[0] else {
            panic!("{got:?}")
        };
        assert!(message.contains("not valid UTF-8 (byte 2"), "{message}");
        assert_eq!(got[1], Line::Text("intro".into()));
    }

    #[test]
    fn an_over_long_line_is_skipped_to_its_newline_and_only_its_start_is_repeated() {
        let mut bytes = vec![b'x'; MAX_LINE * 3];
        bytes.extend_from_slice(b"\nintro\n");
        let got = lines(&bytes);
        assert_eq!(got.len(), 2, "{got:?}");
        let Line::Bad(message) = &got[0] else {
            panic!("{got:?}")
        };
        assert!(message.len() < 300, "{message}");
        assert!(
            message.contains(&format!("`{}…`", "x".repeat(80))),
            "{message}"
        );
        assert_eq!(got[1], Line::Text("intro".into()));
        // A line of exactly the cap still fits.
        let mut exact = vec![b'y'; MAX_LINE];
        exact.push(b'\n');
        assert_eq!(lines(&exact), [Line::Text("y".repeat(MAX_LINE))]);
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("短"), "短");
        let long = "催".repeat(81);
        assert_eq!(clip(&long), format!("{}…", "催".repeat(80)));
    }
}
