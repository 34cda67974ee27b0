//! Where a RON syntax error really is: the file is read token by token up to the point `ron`
//! gave up, keeping the brackets still open, the field each one belongs to, and any string or
//! comment that never closed, so a diagnostic can point at the cause rather than the symptom.
//!
//! RON strings may span lines, so a string missing its closing quote runs on to the next quote
//! in the file and `ron` only notices lines later ("expected comma"). A real string is always
//! followed by a separator, a closing bracket, a colon or a comment; a "string" followed by a
//! letter closed on a quote that was meant to open the next string. That is the string whose
//! own closing quote is missing.

use std::ops::Range;

use ron::extensions::Extensions;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A string (`"…"`, `r#"…"#`, `b"…"`); `closed` is false when the file ends inside it.
    Str {
        /// Whether the closing quote was found.
        closed: bool,
    },
    /// A character literal such as `'a'`.
    Char,
    /// An identifier, number, `true`/`false` or other bare word.
    Word,
    /// `(`, `[` or `{`.
    Open(u8),
    /// `)`, `]` or `}`.
    Close(u8),
    /// `,`.
    Comma,
    /// `:`.
    Colon,
    /// A block comment the file ends inside.
    OpenComment,
    /// Anything else (a stray character).
    Other,
}

/// One token and its byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Tok,
    /// Where it is.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

impl Token {
    /// The byte range.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A bracket still open at the point of the error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// `(`, `[` or `{`.
    pub open: u8,
    /// Where the bracket is.
    pub at: usize,
    /// The field or key whose value this bracket opens (`tags` in `tags: [`), if any.
    pub key: Option<Range<usize>>,
    /// The name written before `(` (`Debtor` in `Debtor(`), if any.
    pub name: Option<Range<usize>>,
    /// The last field or key written inside this bracket so far.
    pub last_key: Option<Range<usize>>,
    /// How many commas this bracket holds so far.
    pub items: usize,
}

/// The file read up to an error.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Brackets open at the error, outermost first.
    pub open: Vec<Frame>,
    /// The first token at or after the error (`None` at the end of the file).
    pub found: Option<Token>,
    /// The token just before `found`.
    pub before: Option<Token>,
    /// The opening quote of the first string that never closes where it should.
    pub unclosed_string: Option<usize>,
    /// A block comment the file ends inside.
    pub unclosed_comment: Option<usize>,
}

/// The closing bracket for an opening one.
pub fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// Reads `src` up to byte `error` (where `ron` stopped) and one token past it.
pub fn read_to(src: &str, error: usize) -> Context {
    let mut lexer = Lexer { src, pos: 0 };
    let mut cx = Context::default();
    // The key waiting for its value: set at `key :`, taken by the value's opening bracket.
    let mut value_of: Option<Range<usize>> = None;
    let mut before: Option<Token> = None;
    while let Some(tok) = lexer.next() {
        if cx.unclosed_string.is_none() && is_unclosed_string(src, &tok) {
            cx.unclosed_string = Some(tok.start);
        }
        if tok.kind == Tok::OpenComment {
            cx.unclosed_comment = Some(tok.start);
        }
        if tok.end > error || tok.start >= error {
            cx.found = Some(tok);
            break;
        }
        match tok.kind {
            Tok::Colon => {
                if let Some(key) = before.filter(|b| matches!(b.kind, Tok::Word | Tok::Str { .. }))
                {
                    value_of = Some(key.span());
                    if let Some(frame) = cx.open.last_mut() {
                        frame.last_key = Some(key.span());
                    }
                }
            }
            Tok::Open(b) => {
                let name = before
                    .filter(|t| t.kind == Tok::Word && t.end == tok.start)
                    .map(|t| t.span());
                cx.open.push(Frame {
                    open: b,
                    at: tok.start,
                    key: value_of.take(),
                    name,
                    last_key: None,
                    items: 0,
                });
            }
            Tok::Close(_) => {
                cx.open.pop();
                value_of = None;
            }
            Tok::Comma => {
                value_of = None;
                if let Some(frame) = cx.open.last_mut() {
                    frame.items += 1;
                }
            }
            _ => {}
        }
        before = Some(tok);
    }
    // A string spanning lines, with the error on the line where it ends, ran on past the end
    // of its own line: its closing quote is missing.
    if cx.unclosed_string.is_none()
        && let Some(b) = before
        && matches!(b.kind, Tok::Str { .. })
        && src[b.span()].contains('\n')
        && cx
            .found
            .is_some_and(|f| !src[b.end..f.start.max(b.end)].contains('\n'))
    {
        cx.unclosed_string = Some(b.start);
    }
    cx.before = before;
    cx
}

/// True when `tok` is a string that cannot have closed where it did: the file ends inside it,
/// or its closing quote is followed by something no string is ever followed by.
fn is_unclosed_string(src: &str, tok: &Token) -> bool {
    match tok.kind {
        Tok::Str { closed: false } => true,
        Tok::Str { closed: true } => src.as_bytes().get(tok.end).is_some_and(|&b| {
            !(b.is_ascii_whitespace() || matches!(b, b',' | b')' | b']' | b'}' | b':' | b'/'))
        }),
        _ => false,
    }
}

/// The end of the block comment opening at `at` (just past its `*/`), or `None` when the
/// text ends inside it. Block comments nest in RON.
pub fn block_comment_end(src: &[u8], at: usize) -> Option<usize> {
    let mut pos = at + 2;
    let mut depth = 1;
    while depth > 0 {
        match (src.get(pos), src.get(pos + 1)) {
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                pos += 2;
            }
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                pos += 2;
            }
            (Some(_), _) => pos += 1,
            (None, _) => return None,
        }
    }
    Some(pos)
}

/// True when a string starts here: `"`, `r"`, `r#"`, `b"` or `br#"`.
fn is_string_start(rest: &str) -> bool {
    let r = rest.strip_prefix('b').unwrap_or(rest);
    let r = r.strip_prefix('r').map_or(r, |r| r.trim_start_matches('#'));
    r.starts_with('"')
}

/// The column (in characters) of the first non-blank character on the line holding `at`.
pub fn indent_of_line(src: &str, at: usize) -> usize {
    let line_start = src[..at.min(src.len())].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .count()
}

/// True when only blanks stand between the start of its line and `at`.
pub fn starts_line(src: &str, at: usize) -> bool {
    let at = at.min(src.len());
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..at].chars().all(|c| c == ' ' || c == '\t')
}

/// The keys (`name:`) written after byte `from` at the same depth, up to the bracket that
/// closes the value they are in.
pub fn keys_after(src: &str, from: usize) -> Vec<Token> {
    let mut lexer = Lexer { src, pos: from };
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut last: Option<Token> = None;
    while let Some(tok) = lexer.next() {
        match tok.kind {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) if depth == 0 => break,
            Tok::Close(_) => depth -= 1,
            Tok::Colon if depth == 0 => keys.extend(last),
            _ => {}
        }
        last = Some(tok).filter(|t| matches!(t.kind, Tok::Word | Tok::Str { .. }));
    }
    keys
}

/// The token after byte `after`, if any.
pub fn next_token(src: &str, after: usize) -> Option<Token> {
    Lexer { src, pos: after }.next()
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    /// Skips blanks and comments; returns the start of an unclosed block comment, if any.
    fn skip_trivia(&mut self) -> Option<usize> {
        loop {
            match (self.byte(self.pos), self.byte(self.pos + 1)) {
                (Some(b), _) if b.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    self.pos = self.src[self.pos..]
                        .find('\n')
                        .map_or(self.src.len(), |i| self.pos + i);
                }
                (Some(b'/'), Some(b'*')) => {
                    match block_comment_end(self.src.as_bytes(), self.pos) {
                        Some(end) => self.pos = end,
                        None => {
                            let start = self.pos;
                            self.pos = self.src.len();
                            return Some(start);
                        }
                    }
                }
                _ => return None,
            }
        }
    }

    fn token(&mut self, kind: Tok, start: usize) -> Option<Token> {
        Some(Token {
            kind,
            start,
            end: self.pos.min(self.src.len()),
        })
    }

    fn next(&mut self) -> Option<Token> {
        if let Some(start) = self.skip_trivia() {
            return self.token(Tok::OpenComment, start);
        }
        let start = self.pos;
        let b = self.byte(start)?;
        let rest = &self.src[start..];
        if is_string_start(rest) {
            let closed = self.string();
            return self.token(Tok::Str { closed }, start);
        }
        self.pos += 1;
        let kind = match b {
            b'(' | b'[' | b'{' => Tok::Open(b),
            b')' | b']' | b'}' => Tok::Close(b),
            b',' => Tok::Comma,
            b':' => Tok::Colon,
            b'\'' => {
                self.char_literal();
                Tok::Char
            }
            b if b.is_ascii_alphanumeric()
                || b >= 0x80
                || matches!(b, b'_' | b'.' | b'+' | b'-') =>
            {
                while self.byte(self.pos).is_some_and(|b| {
                    b.is_ascii_alphanumeric()
                        || b >= 0x80
                        || matches!(b, b'_' | b'.' | b'+' | b'-' | b'#')
                }) {
                    self.pos += 1;
                }
                Tok::Word
            }
            _ => {
                // Keep tokens on character boundaries.
                while !self.src.is_char_boundary(self.pos) {
                    self.pos += 1;
                }
                Tok::Other
            }
        };
        self.token(kind, start)
    }

    /// Reads a string from its prefix or opening quote; false when the file ends inside it.
    fn string(&mut self) -> bool {
        let mut hashes = None;
        if self.byte(self.pos) == Some(b'b') {
            self.pos += 1;
        }
        if self.byte(self.pos) == Some(b'r') {
            self.pos += 1;
            let n = self.src[self.pos..]
                .bytes()
                .take_while(|b| *b == b'#')
                .count();
            self.pos += n;
            hashes = Some(n);
        }
        self.pos += 1; // the opening quote
        match hashes {
            Some(n) => {
                let closing = format!("\"{}", "#".repeat(n));
                match self.src[self.pos..].find(&closing) {
                    Some(i) => {
                        self.pos += i + closing.len();
                        true
                    }
                    None => {
                        self.pos = self.src.len();
                        false
                    }
                }
            }
            None => loop {
                match self.byte(self.pos) {
                    Some(b'\\') => self.pos += 2,
                    Some(b'"') => {
                        self.pos += 1;
                        return true;
                    }
                    Some(_) => self.pos += 1,
                    None => {
                        self.pos = self.src.len();
                        return false;
                    }
                }
            },
        }
    }

    fn char_literal(&mut self) {
        // `'a'`, `'\n'`, `'中'`: a few bytes up to the closing quote on the same line.
        let rest = &self.src[self.pos..];
        let escaped = rest.starts_with('\\');
        let close = rest
            .char_indices()
            .skip(if escaped { 2 } else { 1 })
            .take(8)
            .find(|(_, c)| *c == '\'' || *c == '\n');
        if let Some((i, '\'')) = close {
            self.pos += i + 1;
        }
    }
}

/// The RON options every content file is read with: `Some(…)` may be omitted around optional
/// values, and enum variants holding a struct are written `Debtor(id: …)` rather than
/// `Debtor((id: …))`.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, needle: &str) -> usize {
        src.find(needle).expect("needle in source")
    }

    #[test]
    fn a_string_missing_its_quote_is_found_at_its_opening() {
        let src = "(a: \"one, b: \"two\", c: 3)";
        let cx = read_to(src, at(src, "two"));
        assert_eq!(cx.unclosed_string, Some(at(src, "\"one")));
        let src = "(a: \"one\nb: 1, c: \"x\")";
        let cx = read_to(src, at(src, "x\""));
        assert_eq!(cx.unclosed_string, Some(at(src, "\"one")));
        let src = "(a: \"one)";
        assert_eq!(read_to(src, src.len()).unclosed_string, Some(4));
    }

    #[test]
    fn good_strings_comments_and_chars_are_not_suspects() {
        let src = "(a: \"x\", /* \"q */ b: r#\"a \"quoted\" b\"#, c: '\"', d: \"it's\")";
        let cx = read_to(src, src.len());
        assert_eq!(cx.unclosed_string, None);
        assert!(cx.open.is_empty());
    }

    #[test]
    fn open_brackets_remember_their_field_and_name() {
        let src = "Scenario(\n  tags: [\"a\",\n  nodes: [Debtor(id: \"x\"";
        let cx = read_to(src, at(src, "nodes"));
        assert_eq!(cx.open.len(), 2);
        assert_eq!(&src[cx.open[1].key.clone().unwrap()], "tags");
        assert_eq!(&src[cx.open[0].name.clone().unwrap()], "Scenario");
        assert_eq!(cx.found.map(|t| &src[t.span()]), Some("nodes"));
        let cx = read_to(src, src.len());
        assert_eq!(cx.open.len(), 4);
        assert_eq!(&src[cx.open[3].name.clone().unwrap()], "Debtor");
        assert_eq!(&src[cx.open[3].last_key.clone().unwrap()], "id");
        assert_eq!(cx.found, None);
    }

    #[test]
    fn an_unclosed_block_comment_is_reported() {
        let src = "(a: 1, /* never closed";
        assert_eq!(
            read_to(src, src.len()).unclosed_comment,
            Some(at(src, "/*"))
        );
    }

    #[test]
    fn keys_after_stay_at_their_depth() {
        let src = "(a: (b: 1), c: [d], \"e\": (f: 2)) g: 3";
        let keys: Vec<&str> = keys_after(src, at(src, ")") + 1)
            .iter()
            .map(|t| &src[t.span()])
            .collect();
        assert_eq!(keys, ["c", "\"e\""]);
    }

    #[test]
    fn lines_and_indents() {
        let src = "a\n    b: 1\n  c";
        assert_eq!(indent_of_line(src, at(src, "1")), 4);
        assert!(starts_line(src, at(src, "b")));
        assert!(!starts_line(src, at(src, "1")));
    }
}
