//! Syntax mistakes found from the tokens up to where `ron` stopped: a string, bracket or
//! comment never closed, a comma or colon missing, a bracket extra or closed too early.

use ron::error::Error as RonError;

use super::{Explainer, shorten, values};
use crate::domain::content::syntax::{self, Context, Frame, Tok, Token, closer};
use crate::domain::diagnostics::{Diagnostic, codes, line_col};

impl Explainer<'_> {
    pub(super) fn unclosed_string(&self, quote: usize) -> Diagnostic {
        let runs_to = match syntax::next_token(self.text, quote) {
            Some(Token {
                kind: Tok::Str { closed: true },
                end,
                ..
            }) => format!(
                "it runs on to the `\"` at {}, which was meant to open the next string",
                self.place(end - 1)
            ),
            _ => "the file ends inside it".to_owned(),
        };
        self.error(
            codes::SYNTAX,
            quote..quote + 1,
            format!("this string is never closed: {runs_to}"),
            "string opened here",
            "add the closing `\"` where the text ends (a quote inside a text is written `\\\"`)",
        )
    }

    /// What a bracket is, for messages: "the `[` of `tags`", "`Debtor(`", "this `(`".
    pub(super) fn bracket(&self, frame: &Frame) -> String {
        let open = frame.open as char;
        match (&frame.name, &frame.key) {
            (Some(name), _) => format!("`{}{open}`", &self.text[name.clone()]),
            (None, Some(key)) => format!("the `{open}` of `{}`", self.key_text(key)),
            (None, None) => format!("this `{open}`"),
        }
    }

    pub(super) fn never_closed(&self, frame: &Frame, before: String) -> Diagnostic {
        let close = closer(frame.open) as char;
        self.error(
            codes::SYNTAX,
            frame.at..frame.at + 1,
            format!("{} is never closed: {before}", self.bracket(frame)),
            "opened here",
            format!("add the `{close}` that closes it where its value ends"),
        )
    }

    /// The syntax errors: a bracket never closed or closed by the wrong bracket, a missing
    /// comma, an extra bracket, text after the end.
    pub(super) fn syntax(&self, cx: &Context) -> Diagnostic {
        let top = cx.open.last();
        let found = cx.found;
        let Some(found) = found else {
            return match top {
                Some(frame) => self.never_closed(frame, "the file ends first".to_owned()),
                None => self.error(
                    codes::SYNTAX,
                    self.ron_span(),
                    "the file ends before its value does",
                    "here",
                    "write the whole value, e.g. `Scenario( … )`; see dialogues/README.md",
                ),
            };
        };
        let shown = shorten(&self.text[found.span()]);
        if matches!(self.err, RonError::TrailingCharacters) {
            return self.trailing(cx, found);
        }
        if let RonError::InvalidEscape(_) = self.err {
            return self.bad_escape();
        }
        if let (RonError::ExpectedMapColon, Some(key)) = (self.err, cx.before) {
            let key = shorten(&self.text[key.span()]);
            return self.error(
                codes::SYNTAX,
                found.span(),
                format!("missing `:` after `{key}`"),
                "expected `:` before this",
                format!("write `{key}: ` and then its value"),
            );
        }
        if let Tok::Close(c) = found.kind {
            return match top {
                None => self.error(
                    codes::SYNTAX,
                    found.span(),
                    format!("an extra `{}`: nothing is open here", c as char),
                    "extra bracket",
                    "delete it",
                ),
                Some(frame) if closer(frame.open) != c => self.never_closed(
                    frame,
                    format!(
                        "a `{}` comes first, at {}",
                        c as char,
                        self.place(found.start)
                    ),
                ),
                Some(_) => self.fallback(found.start),
            };
        }
        if let Some(d) = self.unclosed_container(cx) {
            return d;
        }
        if let Some(d) = self.too_many_values(cx, found) {
            return d;
        }
        let Some(frame) = top else {
            return self.fallback(found.start);
        };
        let after_value = cx.before.is_some_and(|b| {
            matches!(
                b.kind,
                Tok::Word | Tok::Str { .. } | Tok::Char | Tok::Close(_)
            )
        });
        let starts_value = matches!(
            found.kind,
            Tok::Word | Tok::Str { .. } | Tok::Char | Tok::Open(_)
        );
        if found.start < self.at && found.kind == Tok::Word {
            return self.malformed_word(frame, found);
        }
        if !(after_value && starts_value) {
            return self.fallback(found.start);
        }
        // A new line that starts no deeper than the bracket's own line belongs outside it.
        if let Some(frame) = self.left_open(cx, found) {
            return self.never_closed(
                frame,
                format!("the next value starts at {} first", self.place(found.start)),
            );
        }
        let before = cx.before.map_or(0..0, |b| b.span());
        let after = format!(
            "add `,` after `{}` on line {}",
            shorten(&self.text[before.clone()]),
            line_col(self.text, before.end.saturating_sub(1)).0
        );
        let is_key = self.is_key(found);
        let message = match (frame.open, &frame.last_key) {
            (b'(', Some(last)) if is_key => format!(
                "missing comma between the fields `{}` and `{shown}`",
                self.key_text(last)
            ),
            (b'{', _) => format!(
                "missing comma between two entries of {}",
                self.container_name(frame)
            ),
            (b'[', _) => format!(
                "missing comma between two items of {}",
                self.container_name(frame)
            ),
            _ => format!("missing comma before `{shown}`"),
        };
        self.error(
            codes::SYNTAX,
            found.span(),
            message,
            "expected `,` before this",
            after,
        )
    }

    /// "`tags`" or "this list".
    pub(super) fn container_name(&self, frame: &Frame) -> String {
        match (&frame.key, frame.open) {
            (Some(key), _) => format!("`{}`", self.key_text(key)),
            (None, b'[') => "this list".to_owned(),
            (None, _) => "this map".to_owned(),
        }
    }

    /// The innermost open bracket, when `found` starts a line of its own no deeper than the
    /// line that bracket opened on: by the file's layout, `found` belongs outside it. The root
    /// value is never taken for unclosed this way (its fields may be written flush left).
    fn left_open<'c>(&self, cx: &'c Context, found: Token) -> Option<&'c Frame> {
        let frame = cx.open.last().filter(|_| cx.open.len() > 1)?;
        (syntax::starts_line(self.text, found.start)
            && syntax::indent_of_line(self.text, found.start)
                <= syntax::indent_of_line(self.text, frame.at))
        .then_some(frame)
    }

    /// A bracket never closed: the next field of the enclosing value follows, on a line of
    /// its own no deeper than the line the bracket opened on.
    pub(super) fn unclosed_container(&self, cx: &Context) -> Option<Diagnostic> {
        let found = cx.found.filter(|f| self.is_key(*f))?;
        let frame = self.left_open(cx, found)?;
        Some(self.never_closed(
            frame,
            format!(
                "the next field, `{}`, starts at {} first",
                shorten(self.key_text(&found.span())),
                self.place(found.start)
            ),
        ))
    }

    /// A variant such as `VisitsAtLeast("open", 2, 3)` given more values than it takes.
    pub(super) fn too_many_values(&self, cx: &Context, found: Token) -> Option<Diagnostic> {
        let frame = cx.open.last()?;
        let name = frame.name.clone()?;
        let tuple = frame.open == b'(' && frame.last_key.is_none() && frame.items > 0;
        let extra = matches!(self.err, RonError::ExpectedStructLikeEnd)
            && cx.before.is_some_and(|b| b.kind == Tok::Comma);
        (tuple && extra).then(|| {
            let name = &self.text[name];
            self.error(
                codes::TYPE,
                found.span(),
                format!(
                    "`{name}(…)` takes {}; this one is extra",
                    values(frame.items)
                ),
                "extra value",
                format!("delete it; dialogues/README.md shows how `{name}` is written"),
            )
        })
    }

    /// A backslash in a string that starts no escape `ron` knows.
    pub(super) fn bad_escape(&self) -> Diagnostic {
        let slash = self.text[..self.end.max(self.at).min(self.text.len())]
            .rfind('\\')
            .filter(|i| *i >= self.at)
            .unwrap_or(self.at);
        let escape = self.text[slash..].chars().take(2).collect::<String>();
        self.error(
            codes::SYNTAX,
            slash..slash + escape.len(),
            format!("`{escape}` is not an escape a string can hold"),
            "unknown escape",
            r#"write a backslash itself as `\\`; the escapes are `\n`, `\t`, `\"`, `\\` and `\u{…}`"#,
        )
    }

    /// `12.5` where a whole number belongs, or another word `ron` could read only part of.
    pub(super) fn malformed_word(&self, frame: &Frame, found: Token) -> Diagnostic {
        let word = shorten(&self.text[found.span()]);
        let field = frame.last_key.as_ref().map_or_else(
            || "this value".to_owned(),
            |k| format!("`{}`", self.key_text(k)),
        );
        let message = if word.parse::<f64>().is_ok() {
            format!("{field} must be a whole number; found `{word}`")
        } else {
            format!("{field} cannot be read: `{word}` is not a value")
        };
        self.error(
            codes::TYPE,
            found.span(),
            message,
            "this value",
            "check the value against the format in dialogues/README.md",
        )
    }

    /// Text after the file's value ended: usually a bracket closed too early before it.
    pub(super) fn trailing(&self, cx: &Context, found: Token) -> Diagnostic {
        let ended = cx
            .before
            .map_or_else(String::new, |b| format!(" (at {})", self.place(b.start)));
        let message = match found.kind {
            Tok::Close(c) => format!(
                "an extra `{}`: the `{}(…)` already ended{ended}",
                c as char, self.kind
            ),
            _ => format!("the file goes on after the `{}(…)` ended{ended}", self.kind),
        };
        self.error(
            codes::SYNTAX,
            found.span(),
            message,
            "after the end",
            "look for an extra `)` or one typed too early before this point: a content file holds one value",
        )
    }

    /// A `)` that closes a value before its last fields: the field `missing` is written after
    /// it, at the same depth.
    pub(super) fn closed_early(&self, cx: &Context, missing: &str) -> Option<Diagnostic> {
        let found = cx.found?;
        if found.kind != Tok::Close(b')') {
            return None;
        }
        let after = syntax::keys_after(self.text, found.end);
        let next = *after.first()?;
        after
            .iter()
            .any(|k| self.key_text(&k.span()) == missing)
            .then(|| {
            self.error(
                codes::SYNTAX,
                found.span(),
                format!(
                    "this `)` closes the value too early: `{}` at {} and what follows are left outside it",
                    shorten(self.key_text(&next.span())),
                    self.place(next.start)
                ),
                "closes too early",
                "delete this `)` (or move it after the value's last field)",
            )
        })
    }
}
