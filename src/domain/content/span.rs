//! Byte spans of every value in a RON document, so validation errors point at `path:line:col`.
//!
//! `ron` reports positions only for its own parse errors; semantic checks (a dangling `next`,
//! a duplicate id) need the location of a value that parsed fine. This is a small structural
//! scanner over RON that records where each field, element and map entry sits. It never
//! fails hard: on anything it does not understand it stops and keeps what it has, so a lookup
//! falls back to the nearest enclosing value.

use std::ops::Range;

/// One step of a path into a document: a field or map key, or a sequence index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    /// A struct field name, or a string map key.
    Key(&'a str),
    /// An element of a sequence or tuple.
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(k: &'a str) -> Self {
        Seg::Key(k)
    }
}

impl From<usize> for Seg<'_> {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// Builds a path from a mix of keys and indices: `path!["nodes", 3, "next"]`.
#[macro_export]
macro_rules! path {
    ($($seg:expr),* $(,)?) => {
        [$($crate::domain::content::span::Seg::from($seg)),*]
    };
}

/// A value's span and, for containers, its children.
#[derive(Clone, Debug, Default)]
pub struct SpanNode {
    /// Byte range of the whole value.
    pub span: Range<usize>,
    /// The struct or variant name before `(`, if any.
    pub name: Option<String>,
    /// Named children (struct fields, string map keys) with the span of the key itself.
    pub fields: Vec<(String, Range<usize>, SpanNode)>,
    /// Positional children (sequence and tuple elements).
    pub items: Vec<SpanNode>,
}

impl SpanNode {
    /// The node at `path`, or `None` if the path leaves the document.
    pub fn get(&self, path: &[Seg<'_>]) -> Option<&SpanNode> {
        let mut node = self;
        for seg in path {
            node = match seg {
                Seg::Key(k) => &node.fields.iter().find(|(name, _, _)| name == k)?.2,
                Seg::Index(i) => node.items.get(*i)?,
            };
        }
        Some(node)
    }

    /// The span of the value at `path`, or of the deepest value on the way there.
    pub fn locate(&self, path: &[Seg<'_>]) -> Range<usize> {
        let mut node = self;
        for seg in path {
            let next = match seg {
                Seg::Key(k) => node
                    .fields
                    .iter()
                    .find(|(name, _, _)| name == k)
                    .map(|f| &f.2),
                Seg::Index(i) => node.items.get(*i),
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.span.clone()
    }

    /// The span of the key of field `key` at `path` (for "unknown field" style messages).
    pub fn locate_key(&self, path: &[Seg<'_>], key: &str) -> Option<Range<usize>> {
        self.get(path)?
            .fields
            .iter()
            .find(|(name, _, _)| name == key)
            .map(|f| f.1.clone())
    }
}

/// Scans `src` and returns the root value's span tree (empty when nothing could be read).
pub fn scan(src: &str) -> SpanNode {
    let mut p = Scanner::new(src, true);
    p.skip_trivia();
    p.skip_attributes();
    p.value(0).unwrap_or_default()
}

/// The span of the value at `path` in `src`, or of the deepest value on the way: what
/// `scan(src).locate(path)` gives, found without building the tree. Only the values on the
/// path are entered, the rest are skipped without keeping anything, and the walk stops at the
/// value; one lookup in a large file costs a fraction of a full scan.
pub fn locate(src: &str, path: &[Seg<'_>]) -> Range<usize> {
    let mut p = Scanner::new(src, false);
    p.skip_trivia();
    p.skip_attributes();
    p.find(path, 0).unwrap_or_default()
}

/// The name of the root struct (`Persona`, `Scenario`, `QuizBank`…), if the file has one.
pub fn root_name(src: &str) -> Option<String> {
    let mut p = Scanner::new(src, false);
    p.skip_trivia();
    p.skip_attributes();
    let start = p.pos;
    p.ident()
        .map(|r| src[r].to_owned())
        .filter(|_| p.pos > start)
}

const MAX_DEPTH: usize = 256;

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    /// Whether values keep their children (a tree is built) or only their span (skipping).
    build: bool,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str, build: bool) -> Scanner<'a> {
        Scanner { src, pos: 0, build }
    }
    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + n).copied()
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(b) = self.peek() {
                        self.pos += 1;
                        if b == b'\n' {
                            break;
                        }
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    match super::syntax::block_comment_end(self.src.as_bytes(), self.pos) {
                        Some(end) => self.pos = end,
                        None => {
                            self.pos = self.src.len();
                            return;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_attributes(&mut self) {
        // `#![enable(implicit_some)]` and friends.
        while self.peek() == Some(b'#') {
            while let Some(b) = self.peek() {
                self.pos += 1;
                if b == b']' {
                    break;
                }
            }
            self.skip_trivia();
        }
    }

    fn ident(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        if self.src[self.pos..].starts_with("r#") {
            self.pos += 2;
        }
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
                self.pos += 1;
            } else {
                break;
            }
        }
        // Identifiers must not start with a digit; numbers are handled elsewhere.
        (self.pos > start).then_some(start..self.pos)
    }

    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        let raw_hashes = if self.peek() == Some(b'r') {
            self.pos += 1;
            let mut n = 0;
            while self.peek() == Some(b'#') {
                n += 1;
                self.pos += 1;
            }
            Some(n)
        } else {
            if self.peek() == Some(b'b') {
                self.pos += 1;
            }
            None
        };
        if self.peek() != Some(b'"') {
            self.pos = start;
            return None;
        }
        self.pos += 1;
        match raw_hashes {
            Some(n) => {
                let closing = format!("\"{}", "#".repeat(n));
                let end = self.src[self.pos..].find(&closing)?;
                self.pos += end + closing.len();
            }
            None => loop {
                match self.peek()? {
                    b'\\' => self.pos += 2,
                    b'"' => {
                        self.pos += 1;
                        break;
                    }
                    _ => self.pos += 1,
                }
            },
        }
        Some(start..self.pos.min(self.src.len()))
    }

    fn scalar(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        if self.peek() == Some(b'\'') {
            self.pos += 1;
            loop {
                match self.peek()? {
                    b'\\' => self.pos += 2,
                    b'\'' => {
                        self.pos += 1;
                        break;
                    }
                    _ => self.pos += 1,
                }
            }
            return Some(start..self.pos);
        }
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-') {
                self.pos += 1;
            } else {
                break;
            }
        }
        (self.pos > start).then_some(start..self.pos)
    }

    fn value(&mut self, depth: usize) -> Option<SpanNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia();
        let start = self.pos;
        let b = self.peek()?;
        match b {
            b'"' => self.string().map(leaf),
            b'r' | b'b' if self.at_prefixed_string() => self.string().map(leaf),
            b'[' => {
                self.pos += 1;
                let items = self.elements(b']', depth)?;
                Some(SpanNode {
                    span: start..self.pos,
                    items,
                    ..SpanNode::default()
                })
            }
            b'{' => {
                self.pos += 1;
                let fields = self.map_entries(depth)?;
                Some(SpanNode {
                    span: start..self.pos,
                    fields,
                    ..SpanNode::default()
                })
            }
            b'(' => self.parenthesised(start, None, depth),
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let name = self.ident()?;
                let after = self.pos;
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    let name = self.build.then(|| self.src[name].to_owned());
                    self.parenthesised(start, name, depth)
                } else {
                    self.pos = after;
                    Some(leaf(start..after))
                }
            }
            _ => self.scalar().map(leaf),
        }
    }

    /// `( … )` after an optional name: a struct if it starts with `ident :`, else a tuple.
    fn parenthesised(
        &mut self,
        start: usize,
        name: Option<String>,
        depth: usize,
    ) -> Option<SpanNode> {
        self.pos += 1; // (
        self.skip_trivia();
        let save = self.pos;
        let is_struct = match self.ident() {
            Some(_) => {
                self.skip_trivia();
                self.peek() == Some(b':')
            }
            None => false,
        };
        self.pos = save;
        let mut node = SpanNode {
            name,
            ..SpanNode::default()
        };
        if is_struct {
            loop {
                self.skip_trivia();
                match self.peek()? {
                    b')' => {
                        self.pos += 1;
                        break;
                    }
                    b',' => self.pos += 1,
                    _ => {
                        let key = self.ident()?;
                        self.skip_trivia();
                        if self.peek()? != b':' {
                            return None;
                        }
                        self.pos += 1;
                        let value = self.value(depth + 1)?;
                        if self.build {
                            node.fields
                                .push((self.src[key.clone()].to_owned(), key, value));
                        }
                    }
                }
            }
        } else {
            node.items = self.elements(b')', depth)?;
        }
        node.span = start..self.pos;
        Some(node)
    }

    /// Whether a raw or byte string (`r"…"`, `r#"…"#`, `b"…"`) starts here.
    fn at_prefixed_string(&self) -> bool {
        matches!(self.peek_at(1), Some(b'"' | b'#'))
            && self.src[self.pos..]
                .trim_start_matches(['r', 'b', '#'])
                .starts_with('"')
    }

    /// Walks `path` into the value here (see [`locate`]): the span of the value at its end, or
    /// of the deepest container on the way that has no such child.
    fn find(&mut self, path: &[Seg<'_>], depth: usize) -> Option<Range<usize>> {
        let Some((seg, rest)) = path.split_first() else {
            return self.value(depth).map(|n| n.span);
        };
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia();
        let start = self.pos;
        let close = match self.peek()? {
            b'[' => b']',
            b'{' => b'}',
            b'(' => b')',
            b'r' | b'b' if self.at_prefixed_string() => return self.value(depth).map(|n| n.span),
            b if b.is_ascii_alphabetic() || b == b'_' => {
                self.ident()?;
                let after = self.pos;
                self.skip_trivia();
                if self.peek() != Some(b'(') {
                    return Some(start..after);
                }
                b')'
            }
            // A string or a scalar has no children.
            _ => return self.value(depth).map(|n| n.span),
        };
        let map = close == b'}';
        self.pos += 1;
        // Inside `( … )`, `ident :` starts a struct; otherwise the children are positional.
        let save = self.pos;
        self.skip_trivia();
        let named = map
            || (close == b')' && self.ident().is_some() && {
                self.skip_trivia();
                self.peek() == Some(b':')
            });
        self.pos = save;
        let mut index = 0;
        loop {
            self.skip_trivia();
            match self.peek()? {
                b if b == close => {
                    self.pos += 1;
                    return Some(start..self.pos);
                }
                b',' => self.pos += 1,
                _ if named => {
                    let src = self.src;
                    let key = if map {
                        src[self.value(depth + 1)?.span].trim_matches('"')
                    } else {
                        &src[self.ident()?]
                    };
                    self.skip_trivia();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    if *seg == Seg::Key(key) {
                        return self.find(rest, depth + 1);
                    }
                    self.value(depth + 1)?;
                }
                _ => {
                    if *seg == Seg::Index(index) {
                        return self.find(rest, depth + 1);
                    }
                    self.value(depth + 1)?;
                    index += 1;
                }
            }
        }
    }

    fn elements(&mut self, close: u8, depth: usize) -> Option<Vec<SpanNode>> {
        let mut items = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek()? {
                b if b == close => {
                    self.pos += 1;
                    return Some(items);
                }
                b',' => self.pos += 1,
                _ => {
                    let item = self.value(depth + 1)?;
                    if self.build {
                        items.push(item);
                    }
                }
            }
        }
    }

    fn map_entries(&mut self, depth: usize) -> Option<Vec<(String, Range<usize>, SpanNode)>> {
        let mut fields = Vec::new();
        loop {
            self.skip_trivia();
            match self.peek()? {
                b'}' => {
                    self.pos += 1;
                    return Some(fields);
                }
                b',' => self.pos += 1,
                _ => {
                    let key = self.value(depth + 1)?;
                    self.skip_trivia();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    let value = self.value(depth + 1)?;
                    if self.build {
                        let name = self.src[key.span.clone()].trim_matches('"').to_owned();
                        fields.push((name, key.span, value));
                    }
                }
            }
        }
    }
}

fn leaf(span: Range<usize>) -> SpanNode {
    SpanNode {
        span,
        ..SpanNode::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"#![enable(implicit_some)]
// a comment with "quotes" and (parens)
Scenario(
    id: "wired",
    /* nested /* block */ comment */
    title: {"zh-CN": "已经汇了", "en": "Already wired"},
    nodes: [
        Debtor(
            id: "open",
            choices: [
                (id: "ask", next: "slip", when: [Flag("x"), VisitsAtLeast("open", 2)]),
            ],
        ),
        Ending(id: "end", outcome: paid),
    ],
    weight: -1.5e3,
    ch: ')',
    raw: r#"a "quoted" ) thing"#,
)
"##;

    fn text_at<'a>(tree: &SpanNode, path: &[Seg<'_>]) -> &'a str {
        let r = tree.locate(path);
        // Leak-free borrow of the static test document.
        &DOC[r]
    }

    #[test]
    fn finds_fields_items_and_map_keys() {
        let tree = scan(DOC);
        assert_eq!(tree.name.as_deref(), Some("Scenario"));
        assert_eq!(text_at(&tree, &path!["id"]), r#""wired""#);
        assert_eq!(text_at(&tree, &path!["title", "en"]), r#""Already wired""#);
        assert_eq!(
            text_at(&tree, &path!["nodes", 0, "choices", 0, "next"]),
            r#""slip""#
        );
        assert_eq!(
            text_at(&tree, &path!["nodes", 0, "choices", 0, "when", 1, 0]),
            r#""open""#
        );
        assert_eq!(text_at(&tree, &path!["nodes", 1, "outcome"]), "paid");
        assert_eq!(text_at(&tree, &path!["weight"]), "-1.5e3");
        assert_eq!(text_at(&tree, &path!["ch"]), "')'");
        assert!(text_at(&tree, &path!["raw"]).ends_with("thing\"#"));
        assert_eq!(
            tree.get(&path!["nodes", 0]).unwrap().name.as_deref(),
            Some("Debtor")
        );
    }

    #[test]
    fn missing_paths_fall_back_to_the_nearest_parent() {
        let tree = scan(DOC);
        let parent = tree.locate(&path!["nodes", 1]);
        assert_eq!(tree.locate(&path!["nodes", 1, "nope", 4]), parent);
        assert!(tree.get(&path!["nodes", 9]).is_none());
    }

    #[test]
    fn key_spans_point_at_the_key() {
        let tree = scan(DOC);
        let r = tree.locate_key(&path!["nodes", 0], "choices").unwrap();
        assert_eq!(&DOC[r], "choices");
    }

    #[test]
    fn root_name_skips_attributes_and_comments() {
        assert_eq!(root_name(DOC).as_deref(), Some("Scenario"));
        assert_eq!(
            root_name("  // x\n Persona(id: \"a\")").as_deref(),
            Some("Persona")
        );
        assert_eq!(root_name("(id: 1)"), None);
        assert_eq!(root_name(""), None);
    }

    #[test]
    fn never_panics_on_truncated_or_odd_input() {
        for end in 0..=DOC.len() {
            if DOC.is_char_boundary(end) {
                let _ = scan(&DOC[..end]);
                let _ = locate(&DOC[..end], &path!["nodes", 0, "choices", 0, "when", 1, 0]);
            }
        }
        for odd in [
            "(((((", "[\"", "r#\"", "{:}", "'", "/*", "Foo(a:", "\"\\", "b\"x",
        ] {
            let _ = scan(odd);
            let _ = root_name(odd);
            let _ = locate(odd, &path!["a", 0, "b"]);
        }
        let deep = "[".repeat(10_000);
        let _ = scan(&deep);
        let _ = locate(&deep, &[Seg::Index(0); 300]);
    }

    /// Every path into `node` (and, under each container, one key and one index it lacks).
    fn paths(node: &SpanNode, prefix: Vec<Seg<'static>>, out: &mut Vec<Vec<Seg<'static>>>) {
        out.push(prefix.clone());
        for missing in [Seg::Key("no_such_key"), Seg::Index(9_999)] {
            let mut p = prefix.clone();
            p.extend([missing, Seg::Key("id")]);
            out.push(p);
        }
        for (name, _, child) in &node.fields {
            let mut p = prefix.clone();
            p.push(Seg::Key(String::leak(name.clone())));
            paths(child, p, out);
        }
        for (i, child) in node.items.iter().enumerate() {
            let mut p = prefix.clone();
            p.push(Seg::Index(i));
            paths(child, p, out);
        }
    }

    #[test]
    fn locate_finds_what_the_tree_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs = vec![DOC.to_owned()];
        for f in [
            "tests/fixtures/base/scenario.ron",
            "tests/fixtures/base/persona.ron",
            "tests/fixtures/base/quiz.ron",
        ] {
            docs.push(std::fs::read_to_string(root.join(f)).unwrap());
        }
        for doc in &docs {
            let tree = scan(doc);
            let mut all = Vec::new();
            paths(&tree, Vec::new(), &mut all);
            assert!(all.len() > 20);
            for p in &all {
                assert_eq!(locate(doc, p), tree.locate(p), "{p:?}");
            }
        }
        assert_eq!(locate("", &path!["id"]), 0..0);
        assert_eq!(locate("Foo(a: [1, 2", &path!["a", 1]), 11..12);
    }
}
