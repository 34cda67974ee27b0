//! Translation strings: a stable key for every language map in a content file, and the edits
//! that write a translation back into that one string literal, leaving every other byte alone.
//!
//! A key is the file (relative to the content root) and the path of the text in it, with ids
//! in place of indexes wherever the element has one:
//! `scenarios/wired_it_already.ron#nodes[opening].lines[0].text`. The texts are found in the
//! file's span tree, so every `{"zh-CN": …}` map is a translation unit whatever type it sits
//! in; plain strings (names, invoice numbers) are the same in every language and have no key.

use std::collections::BTreeMap;
use std::ops::Range;

use sha2::{Digest, Sha256};

use super::span::{self, SpanNode};

/// The language every translation is made from: the course's own.
pub const SOURCE_LOCALE: &str = "zh-CN";

/// One language map in a content file, seen from one target language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The stable key: `file#path`.
    pub key: String,
    /// The source (zh-CN) text, decoded.
    pub source: String,
    /// Byte span of the source string literal.
    pub source_span: Range<usize>,
    /// The target language's text and the span of its literal, if the map has that language.
    pub target: Option<(String, Range<usize>)>,
    /// Byte span of the whole `{ … }` map.
    pub map_span: Range<usize>,
    /// Byte offset where the map's last entry (its value) ends: new languages go after it.
    pub last_value_end: usize,
    /// Byte offset where the map's last entry's key starts: a new entry copies its indent.
    pub last_key_start: usize,
}

/// Content that cannot be read for translation: what and where (a byte span in the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteError {
    /// Where in the file.
    pub at: Range<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// The hash of a source text as the translation files carry it: the first 16 hex digits of its
/// SHA-256, enough to notice any edit, short enough for a spreadsheet column.
pub fn source_hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Every language map in `text` (the file at `rel` under the content root) with its key, as
/// seen from `locale`. A map whose strings cannot be decoded, or two maps with one key, are
/// errors: the file must pass `lint` first.
pub fn sites(rel: &str, text: &str, locale: &str) -> Result<Vec<Site>, SiteError> {
    let tree = span::scan(text);
    let mut out = Vec::new();
    walk(&tree, text, &format!("{rel}#"), locale, &mut out)?;
    let mut seen = BTreeMap::new();
    for s in &out {
        if let Some(first) = seen.insert(s.key.as_str(), s.map_span.clone()) {
            return Err(SiteError {
                at: s.map_span.clone(),
                message: format!(
                    "two texts have the key `{}` (the first at byte {}); give the elements distinct ids",
                    s.key, first.start
                ),
            });
        }
    }
    Ok(out)
}

/// Whether `node` is a language map: `{ "zh-CN": "…", … }` with string values only.
fn is_text_map(node: &SpanNode, src: &str) -> bool {
    src[node.span.clone()].starts_with('{')
        && node.fields.iter().any(|(k, _, _)| k == SOURCE_LOCALE)
        && node.fields.iter().all(|(k, _, v)| {
            k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && v.fields.is_empty()
                && v.items.is_empty()
                && matches!(src.as_bytes().get(v.span.start), Some(b'"' | b'r'))
        })
}

fn walk(
    node: &SpanNode,
    src: &str,
    path: &str,
    locale: &str,
    out: &mut Vec<Site>,
) -> Result<(), SiteError> {
    if is_text_map(node, src) {
        out.push(site(node, src, path, locale)?);
        return Ok(());
    }
    let root = path.ends_with('#');
    for (name, _, child) in &node.fields {
        let sep = if root { "" } else { "." };
        walk(child, src, &format!("{path}{sep}{name}"), locale, out)?;
    }
    let ids: Vec<Option<String>> = node.items.iter().map(|c| element_id(c, src)).collect();
    for (i, child) in node.items.iter().enumerate() {
        // An id names the element only when no sibling shares it; otherwise the index does.
        let label = match &ids[i] {
            Some(id) if ids.iter().filter(|o| o.as_ref() == Some(id)).count() == 1 => id.clone(),
            _ => i.to_string(),
        };
        walk(child, src, &format!("{path}[{label}]"), locale, out)?;
    }
    Ok(())
}

/// The `id: "…"` of a struct element, if it has a string id.
fn element_id(node: &SpanNode, src: &str) -> Option<String> {
    let (_, _, value) = node.fields.iter().find(|(k, _, _)| k == "id")?;
    decode(&src[value.span.clone()]).ok()
}

fn site(node: &SpanNode, src: &str, key: &str, locale: &str) -> Result<Site, SiteError> {
    let literal = |span: &Range<usize>| {
        decode(&src[span.clone()]).map_err(|e| SiteError {
            at: span.clone(),
            message: format!("cannot read this string for `{key}`: {e}"),
        })
    };
    let mut source = None;
    let mut target = None;
    for (k, _, v) in &node.fields {
        if k == SOURCE_LOCALE {
            source = Some((literal(&v.span)?, v.span.clone()));
        } else if k == locale {
            target = Some((literal(&v.span)?, v.span.clone()));
        }
    }
    let (source, source_span) = source.unwrap_or_default();
    let (last_key_start, last_value_end) = node
        .fields
        .last()
        .map_or((0, 0), |(_, k, v)| (k.start, v.span.end));
    Ok(Site {
        key: key.to_owned(),
        source,
        source_span,
        target,
        map_span: node.span.clone(),
        last_value_end,
        last_key_start,
    })
}

/// The string a RON string literal (`"…"` with escapes, or raw `r#"…"#`) stands for.
pub fn decode(literal: &str) -> Result<String, String> {
    ron::from_str::<String>(literal).map_err(|e| e.code.to_string())
}

/// `s` as a RON string literal: `"` and `\` escaped, line breaks and other control characters
/// as escapes so the literal stays on one line; everything else (Chinese, quotes “”) as it is.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One change to a file: the bytes in `at` become `with` (an empty range inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced.
    pub at: Range<usize>,
    /// The new bytes.
    pub with: String,
}

/// The edit that makes `site`'s `locale` text `new`: its literal replaced, or, when the map
/// has no such language yet, a new entry after the last one, laid out as that one is (on its
/// own line with the same indent in a map written over several lines, after `, ` on one line).
pub fn edit(src: &str, site: &Site, locale: &str, new: &str) -> Edit {
    if let Some((_, span)) = &site.target {
        return Edit {
            at: span.clone(),
            with: encode(new),
        };
    }
    let entry = format!("{}: {}", encode(locale), encode(new));
    let inside = &src[site.map_span.start + 1..site.last_key_start];
    let end = site.last_value_end;
    let rest = &src[end..site.map_span.end - 1];
    let comma = rest
        .trim_start_matches([' ', '\t'])
        .starts_with(',')
        .then(|| end + rest.find(',').unwrap_or(0) + 1);
    if inside.contains('\n') {
        let line_start = src[..site.last_key_start].rfind('\n').map_or(0, |i| i + 1);
        let indent = &src[line_start..site.last_key_start];
        let indent = if indent.trim().is_empty() { indent } else { "" };
        let nl = if src[..line_start].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        match comma {
            Some(at) => Edit {
                at: at..at,
                with: format!("{nl}{indent}{entry},"),
            },
            None => Edit {
                at: end..end,
                with: format!(",{nl}{indent}{entry}"),
            },
        }
    } else {
        match comma {
            Some(at) => Edit {
                at: at..at,
                with: format!(" {entry},"),
            },
            None => Edit {
                at: end..end,
                with: format!(", {entry}"),
            },
        }
    }
}

/// `src` with `edits` applied (they must not overlap).
pub fn apply(src: &str, edits: &mut [Edit]) -> String {
    edits.sort_by_key(|e| (e.at.start, e.at.end));
    let mut out = String::with_capacity(src.len() + 64);
    let mut at = 0;
    for e in edits.iter() {
        out.push_str(&src[at..e.at.start]);
        out.push_str(&e.with);
        at = e.at.end;
    }
    out.push_str(&src[at..]);
    out
}

/// What an import recorded for one text: the hashes of the source it was translated from and
/// of the translation it wrote.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// [`source_hash`] of the source at import.
    pub source: String,
    /// [`source_hash`] of the translation imported.
    pub target: String,
}

/// What the imports recorded for one language, by key (the `.translations/<locale>.json` file
/// beside the content).
pub type Recorded = BTreeMap<String, Record>;

/// The sites whose translation is stale: the source changed since the translation was imported
/// and the translation was not edited since.
pub fn stale<'a>(sites: &'a [Site], recorded: &Recorded) -> Vec<&'a Site> {
    sites
        .iter()
        .filter(|s| {
            let target = s.target.as_ref().map_or("", |(t, _)| t.as_str());
            recorded.get(&s.key).is_some_and(|r| {
                r.source != source_hash(&s.source) && r.target == source_hash(target)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "// c\nScenario(\n    id: \"s\",\n    title: {\"zh-CN\": \"标题\", \"en\": \"Title\"},\n    nodes: [\n        Debtor(\n            id: \"open\",\n            lines: [\n                (text: {\n                    \"zh-CN\": \"你好，\\\"老板\\\"\",\n                    \"en\": \"Hello\",\n                }),\n            ],\n        ),\n        Ending(id: \"end\", summary: {\"zh-CN\": \"完\"}),\n    ],\n    objectives: [(text: {\"zh-CN\": \"甲\", \"en\": \"A\"}), (text: {\"zh-CN\": \"乙\"\n    })],\n)\n";

    #[test]
    fn keys_use_ids_where_there_are_ids() {
        let s = sites("scenarios/s.ron", DOC, "en").unwrap();
        let keys: Vec<&str> = s.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "scenarios/s.ron#title",
                "scenarios/s.ron#nodes[open].lines[0].text",
                "scenarios/s.ron#nodes[end].summary",
                "scenarios/s.ron#objectives[0].text",
                "scenarios/s.ron#objectives[1].text",
            ]
        );
        assert_eq!(s[1].source, "你好，\"老板\"");
        assert_eq!(s[1].target.as_ref().unwrap().0, "Hello");
        assert!(s[2].target.is_none());
    }

    #[test]
    fn literals_round_trip_through_ron() {
        for s in [
            "plain",
            "“引号” \"q\" \\ back",
            "two\nlines\r\tand \u{7}",
            "",
        ] {
            assert_eq!(decode(&encode(s)).unwrap(), s);
        }
        assert_eq!(encode("中文“”"), "\"中文“”\"");
    }

    fn with(locale: &str, key: &str, new: &str) -> String {
        let s = sites("s.ron", DOC, locale).unwrap();
        let site = s.iter().find(|s| s.key.ends_with(key)).unwrap();
        let mut edits = [edit(DOC, site, locale, new)];
        apply(DOC, &mut edits)
    }

    #[test]
    fn a_changed_translation_replaces_only_its_literal() {
        let out = with("en", "#title", "New \"title\"");
        assert_eq!(out, DOC.replace("\"Title\"", "\"New \\\"title\\\"\""));
    }

    #[test]
    fn a_new_language_follows_the_map_layout() {
        let out = with("en", "[end].summary", "Done");
        assert!(
            out.contains("{\"zh-CN\": \"完\", \"en\": \"Done\"}"),
            "{out}"
        );
        let out = with("zh-TW", "lines[0].text", "你好");
        assert!(
            out.contains(
                "\"en\": \"Hello\",\n                    \"zh-TW\": \"你好\",\n                }"
            ),
            "{out}"
        );
        let out = with("en", "objectives[1].text", "B");
        assert!(
            out.contains("{\"zh-CN\": \"乙\", \"en\": \"B\"\n    }"),
            "{out}"
        );
        for (key, locale) in [("#title", "zh-TW"), ("[end].summary", "en")] {
            let out = with(locale, key, "x");
            let again = sites("s.ron", &out, locale).unwrap();
            let site = again.iter().find(|s| s.key.ends_with(key)).unwrap();
            assert_eq!(site.target.as_ref().unwrap().0, "x");
        }
    }

    #[test]
    fn a_new_entry_in_a_crlf_file_ends_its_line_with_crlf() {
        let doc = DOC.replace('\n', "\r\n");
        let s = sites("s.ron", &doc, "zh-TW").unwrap();
        let site = s.iter().find(|s| s.key.ends_with("lines[0].text")).unwrap();
        let out = apply(&doc, &mut [edit(&doc, site, "zh-TW", "你好")]);
        assert!(
            out.contains("\"en\": \"Hello\",\r\n                    \"zh-TW\": \"你好\",\r\n"),
            "{out}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn stale_compares_the_recorded_hash() {
        let s = sites("s.ron", DOC, "en").unwrap();
        let record = |source: &str, target: &str| Record {
            source: source_hash(source),
            target: source_hash(target),
        };
        let mut rec = Recorded::new();
        rec.insert(s[0].key.clone(), record(&s[0].source, "Title"));
        rec.insert(s[1].key.clone(), record("old words", "Hello"));
        rec.insert(
            s[3].key.clone(),
            record("old words", "edited by hand since"),
        );
        let stale: Vec<&str> = stale(&s, &rec).iter().map(|s| s.key.as_str()).collect();
        assert_eq!(stale, [s[1].key.as_str()]);
        assert_eq!(source_hash("标题").len(), 16);
    }
}
