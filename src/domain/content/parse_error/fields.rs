//! Mistakes in a value that parsed as RON: an unknown, missing or repeated field, an unknown
//! variant, a value of the wrong type. The field path comes from deserialising again through
//! `serde_path_to_error`; the span tree turns it into the value's position.

use std::ops::Range;

use ron::error::Error as RonError;
use serde::Deserialize;
use serde_path_to_error::Segment;

use super::{Explainer, first_line, sentence, shorten, values};
use crate::domain::content::model::{Campaign, QuizBank};
use crate::domain::content::model::{Persona, Scenario};
use crate::domain::content::span::{self, SpanNode};
use crate::domain::content::syntax;
use crate::domain::content::syntax::ron_options;
use crate::domain::diagnostics::suggest;
use crate::domain::diagnostics::{Diagnostic, codes};

impl Explainer<'_> {
    /// Where the value at the error's field path is, in the span tree.
    fn located<'t>(&self, tree: &'t SpanNode) -> Vec<Step<'t>> {
        let Some(path) = error_path(self.kind, self.text) else {
            return Vec::new();
        };
        walk(self.text, tree, &path)
    }

    pub(super) fn missing_field(&self, field: &str, outer: Option<&str>) -> Diagnostic {
        let tree = span::scan(self.text);
        let steps = self.located(&tree);
        let node = steps.last().map_or(&tree, |s| s.node);
        // `Debtor` rather than `DebtorNode`: the name the file uses.
        let what = match steps.last().map(|s| &s.label) {
            Some(Label::Variant(v)) => v.as_str(),
            _ => outer.unwrap_or("value"),
        };
        let id = node
            .fields
            .iter()
            .find(|(k, _, _)| k == "id")
            .map(|(_, _, v)| format!(" (id {})", shorten(&self.text[v.span.clone()])))
            .unwrap_or_default();
        let span = if node.span.is_empty() {
            self.ron_span()
        } else {
            // The name and its opening bracket: `Scenario(`, `Debtor(` or `(`.
            let open = self.text[node.span.clone()]
                .find('(')
                .map_or(node.span.start + 1, |i| node.span.start + i + 1);
            node.span.start..open
        };
        self.error(
            codes::MISSING_FIELD,
            span,
            format!("the required field `{field}` is missing from this `{what}`{id}"),
            format!("this `{what}` needs `{field}`"),
            format!("add `{field}: …` to this value; see dialogues/README.md for what it holds"),
        )
    }

    pub(super) fn unknown_field(
        &self,
        expected: &[&str],
        found: &str,
        outer: Option<&str>,
    ) -> Diagnostic {
        let help = suggest(found, expected).map_or_else(
            || format!("the fields allowed here are: {}", expected.join(", ")),
            |s| {
                format!(
                    "did you mean `{s}`? The fields allowed here are: {}",
                    expected.join(", ")
                )
            },
        );
        self.error(
            codes::UNKNOWN_FIELD,
            self.ron_span(),
            format!("`{}` has no field `{found}`", outer.unwrap_or("this value")),
            "unknown field",
            help,
        )
    }

    pub(super) fn duplicate_field(&self, field: &str, outer: Option<&str>) -> Diagnostic {
        let tree = span::scan(self.text);
        let steps = self.located(&tree);
        let node = steps.last().map_or(&tree, |s| s.node);
        let first = node
            .fields
            .iter()
            .find(|(k, r, _)| k == field && r.start < self.at)
            .map(|(_, r, _)| format!(" (the first is at {})", self.place(r.start)))
            .unwrap_or_default();
        self.error(
            codes::DUPLICATE_FIELD,
            self.ron_span(),
            format!(
                "`{field}` is written twice in this `{}`",
                outer.unwrap_or("value")
            ),
            "written again here",
            format!("keep one `{field}` and delete the other{first}"),
        )
    }

    pub(super) fn unknown_variant(
        &self,
        expected: &[&str],
        found: &str,
        outer: Option<&str>,
    ) -> Diagnostic {
        let tree = span::scan(self.text);
        let steps = self.located(&tree);
        let field = field_phrase(&steps);
        let kind = outer.map_or_else(String::new, |o| format!(" `{o}`"));
        let allowed = expected
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = match field {
            Some(field) => {
                format!(
                    "{field} cannot be `{found}`: it is not a{kind} value; use one of {allowed}"
                )
            }
            None => format!("`{found}` is not a{kind} value; use one of {allowed}"),
        };
        self.error(
            codes::UNKNOWN_VARIANT,
            self.ron_span(),
            message,
            "unknown value",
            suggest(found, expected).map_or_else(
                || "use one of the values listed in the message".to_owned(),
                |s| format!("did you mean `{s}`?"),
            ),
        )
    }

    /// A value of the wrong type or out of range, reported at the value with its field.
    pub(super) fn wrong_value(&self) -> Diagnostic {
        let tree = span::scan(self.text);
        let steps = self.located(&tree);
        let Some(last) = steps.last() else {
            return self.unlocated_type_error();
        };
        let arity = matches!(self.err, RonError::ExpectedDifferentLength { .. });
        // A newtype variant's own value (`MoodBelow("x")`): point inside the parentheses.
        let (node, field) = match (&last.label, last.node.items.as_slice()) {
            (Label::Variant(v), _) if arity => (last.node, format!("`{v}(…)`")),
            (Label::Variant(v), [inner]) => (inner, format!("the value of `{v}(…)`")),
            _ => (
                last.node,
                field_phrase(&steps).unwrap_or_else(|| "this value".to_owned()),
            ),
        };
        let value = first_line(self.text, node.span.clone());
        let shown = shorten(&self.text[value.clone()]);
        // Inside a map, where a key belongs: `{"zh-CN": "…", en: "…"}`.
        let inner = syntax::next_token(self.text, self.at)
            .filter(|t| t.start > node.span.start && t.end < node.span.end);
        if let (Some(key), Some(b'{')) = (inner, self.text.as_bytes().get(node.span.start)) {
            let key = shorten(&self.text[key.span()]);
            return self.error(
                codes::TYPE,
                inner.map_or(value, |t| t.span()),
                format!("{field}: the key `{key}` must be a text in double quotes"),
                "this key",
                format!("write `\"{}\"`", key.trim_matches('"')),
            );
        }
        if let RonError::Message(m) = self.err {
            // A duplicate language in a text: point at the second key.
            if let Some(key) = duplicate_key(&node.fields) {
                return self.error(
                    codes::DUPLICATE_FIELD,
                    key.clone(),
                    format!("{field}: {m}"),
                    "written again here",
                    "keep one entry per language and delete the other",
                );
            }
            return self.error(
                codes::TYPE,
                value,
                format!("{field}: {m}"),
                "this value",
                "check the value against the format in dialogues/README.md",
            );
        }
        if let RonError::ExpectedDifferentLength { expected, found } = self.err {
            let takes = expected
                .split_whitespace()
                .find_map(|w| w.parse::<usize>().ok())
                .map_or_else(|| expected.clone(), values);
            return self.error(
                codes::TYPE,
                value,
                format!("{field} takes {takes}; found {}", values(*found)),
                "this value",
                "dialogues/README.md shows how it is written",
            );
        }
        let expected = expected_value(self.err).unwrap_or_default();
        let message = match self.err {
            RonError::IntegerOutOfBounds if shown.starts_with('-') => {
                format!("{field} cannot be negative; found `{shown}`")
            }
            RonError::IntegerOutOfBounds => format!("{field} is too large; found `{shown}`"),
            RonError::InvalidValueForType { found, .. } => {
                format!("{field} must be {expected}; found {found}")
            }
            _ => format!("{field} must be {expected}; found `{shown}`"),
        };
        self.error(
            codes::TYPE,
            value,
            message,
            "this value",
            "check the value against the format in dialogues/README.md",
        )
    }

    /// A type error whose field could not be found: `ron`'s words at the next token.
    pub(super) fn unlocated_type_error(&self) -> Diagnostic {
        let at = syntax::next_token(self.text, self.at).map_or(self.at, |t| t.start);
        let span = if at > self.at {
            at..at + 1
        } else {
            self.ron_span()
        };
        self.error(
            codes::TYPE,
            span,
            sentence(&self.err.to_string()),
            "here",
            "check the value against the format in dialogues/README.md",
        )
    }
}

/// One step of a field path, found in the span tree.
struct Step<'t> {
    label: Label,
    node: &'t SpanNode,
    /// True for an entry of a `{…}` map (a language in a text) rather than a struct field.
    in_map: bool,
}

enum Label {
    Key(String),
    Index(usize),
    Variant(String),
}

/// What a type error expected, in words, for the type errors `ron` reports.
pub(super) fn expected_value(code: &RonError) -> Option<String> {
    Some(match code {
        RonError::ExpectedInteger => "a whole number".to_owned(),
        RonError::ExpectedFloat => "a number".to_owned(),
        RonError::ExpectedBoolean => "`true` or `false`".to_owned(),
        RonError::ExpectedString => "a text in double quotes".to_owned(),
        RonError::ExpectedChar => "a character in single quotes".to_owned(),
        RonError::ExpectedArray => "a list in square brackets, `[…]`".to_owned(),
        RonError::ExpectedMap => "a map in braces, `{…}`".to_owned(),
        RonError::ExpectedOption => "a value or `None`".to_owned(),
        RonError::ExpectedUnit => "`()`".to_owned(),
        RonError::ExpectedStructLike => "a value in parentheses, `(…)`".to_owned(),
        RonError::ExpectedNamedStructLike(name) => format!("`{name}(…)`"),
        RonError::ExpectedDifferentStructName { expected, .. } => format!("`{expected}(…)`"),
        RonError::IntegerOutOfBounds => "a number in range".to_owned(),
        RonError::InvalidValueForType { expected, .. } => expected.clone(),
        RonError::ExpectedDifferentLength { expected, .. } => expected.clone(),
        _ => return None,
    })
}

/// The field path of the error in `text`, by deserialising it again with the path tracked.
fn error_path(kind: &str, text: &str) -> Option<serde_path_to_error::Path> {
    fn tracked<'a, T: Deserialize<'a>>(text: &'a str) -> Option<serde_path_to_error::Path> {
        let mut de = ron::Deserializer::from_str_with_options(text, &ron_options()).ok()?;
        serde_path_to_error::deserialize::<_, T>(&mut de)
            .err()
            .map(|e| e.path().clone())
    }
    match kind {
        "Persona" => tracked::<Persona>(text),
        "Scenario" => tracked::<Scenario>(text),
        "QuizBank" => tracked::<QuizBank>(text),
        "Campaign" => tracked::<Campaign>(text),
        _ => None,
    }
}

/// Follows `path` down the span tree as far as it goes.
fn walk<'t>(text: &str, tree: &'t SpanNode, path: &serde_path_to_error::Path) -> Vec<Step<'t>> {
    let mut node = tree;
    let mut steps = Vec::new();
    for seg in path {
        let (label, next, in_map) = match seg {
            Segment::Map { key } => {
                let Some((_, _, child)) = node.fields.iter().find(|(k, _, _)| k == key) else {
                    break;
                };
                let in_map = text.as_bytes().get(node.span.start) == Some(&b'{');
                (Label::Key(key.clone()), child, in_map)
            }
            Segment::Seq { index } => {
                let Some(child) = node.items.get(*index) else {
                    break;
                };
                (Label::Index(*index), child, false)
            }
            Segment::Enum { variant } => {
                // `Not(Flag("x"))`: the inner variant is the single value of the outer one.
                let child = match node.items.as_slice() {
                    [inner]
                        if node.name.as_deref() != Some(variant.as_str())
                            && inner.name.as_deref() == Some(variant.as_str()) =>
                    {
                        inner
                    }
                    _ => node,
                };
                (Label::Variant(variant.clone()), child, false)
            }
            Segment::Unknown => break,
        };
        steps.push(Step {
            label,
            node: next,
            in_map,
        });
        node = next;
    }
    steps
}

/// How a message names the value at the end of `steps`: "`max_turns`", "`tags[0]`",
/// "`title.en`", "value 2 of `VisitsAtLeast(…)`".
fn field_phrase(steps: &[Step<'_>]) -> Option<String> {
    let mut path: Option<String> = None;
    let mut variant: Option<&str> = None;
    for step in steps {
        match &step.label {
            Label::Key(k) if step.in_map => {
                path = Some(path.map_or_else(|| k.clone(), |p| format!("{p}.{k}")));
            }
            Label::Key(k) => path = Some(k.clone()),
            Label::Index(i) => match variant {
                Some(v) => return Some(format!("value {} of `{v}(…)`", i + 1)),
                None => path = path.map(|p| format!("{p}[{i}]")),
            },
            Label::Variant(v) => {
                variant = Some(v);
                continue;
            }
        }
        variant = None;
    }
    path.map(|p| format!("`{p}`"))
}

/// The key span of the second entry with a key seen before, if any.
fn duplicate_key(fields: &[(String, Range<usize>, SpanNode)]) -> Option<&Range<usize>> {
    fields
        .iter()
        .enumerate()
        .find(|(i, (k, _, _))| fields[..*i].iter().any(|(seen, _, _)| seen == k))
        .map(|(_, (_, r, _))| r)
}
