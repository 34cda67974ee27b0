//! The translation files `strings export` writes and `strings import` reads: XLIFF 2.0 for
//! translation tools, CSV (BOM, CRLF, formula cells neutralised) for a spreadsheet.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use crate::domain::content::strings::SOURCE_LOCALE;
use crate::domain::diagnostics::line_col;
use crate::report::csv::{BOM, neutralise};

/// The XLIFF 2.0 core namespace.
pub const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// The note category that carries the source hash (XLIFF 2.0 `<note category>`).
const HASH_CATEGORY: &str = "source-hash";

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 5] = ["key", "locale", "source_hash", "source", "target"];

/// One text to translate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The stable key, `file#path`.
    pub key: String,
    /// The hash of the source as it was exported.
    pub hash: String,
    /// The source (zh-CN) text.
    pub source: String,
    /// The translation (empty: not translated).
    pub target: String,
}

/// A translation file: the target language and its rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The target language tag.
    pub locale: String,
    /// The texts, in content order.
    pub rows: Vec<Row>,
}

/// `sheet` as an XLIFF 2.0 document: one `<file>` per content file (`original` names it), one
/// `<unit>` per text with the key as its `name`, the source hash in a `source-hash` note, and
/// a `<target>` only where there is a translation.
pub fn write_xliff(sheet: &Sheet) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("xliff")
        .with_attributes([
            ("xmlns", XLIFF_NS),
            ("version", "2.0"),
            ("srcLang", SOURCE_LOCALE),
            ("trgLang", sheet.locale.as_str()),
        ])
        .write_inner_content(|w| {
            let mut files: Vec<(&str, Vec<(usize, &Row)>)> = Vec::new();
            for (i, row) in sheet.rows.iter().enumerate() {
                let file = row.key.split_once('#').map_or("", |(f, _)| f);
                match files.last_mut() {
                    Some((f, rows)) if *f == file => rows.push((i, row)),
                    _ => files.push((file, vec![(i, row)])),
                }
            }
            for (n, (file, rows)) in files.iter().enumerate() {
                w.create_element("file")
                    .with_attributes([("id", format!("f{}", n + 1).as_str()), ("original", file)])
                    .write_inner_content(|w| {
                        for (i, row) in rows {
                            write_unit(w, *i, row)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn write_unit(w: &mut Writer<Vec<u8>>, i: usize, row: &Row) -> std::io::Result<()> {
    // Unit ids are NMTOKENs (no `/` or `#`), so the key goes in `name`, which is free text.
    let state = if row.target.is_empty() {
        "initial"
    } else {
        "translated"
    };
    w.create_element("unit")
        .with_attributes([("id", format!("u{}", i + 1).as_str()), ("name", &row.key)])
        .write_inner_content(|w| {
            w.create_element("notes").write_inner_content(|w| {
                w.create_element("note")
                    .with_attribute(("category", HASH_CATEGORY))
                    .write_text_content(BytesText::new(&row.hash))?;
                Ok(())
            })?;
            w.create_element("segment")
                .with_attribute(("state", state))
                .write_inner_content(|w| {
                    // Line breaks and runs of spaces are part of the text.
                    w.create_element("source")
                        .with_attribute(("xml:space", "preserve"))
                        .write_text_content(BytesText::new(&row.source))?;
                    if !row.target.is_empty() {
                        w.create_element("target")
                            .with_attribute(("xml:space", "preserve"))
                            .write_text_content(BytesText::new(&row.target))?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

/// The element whose text is being collected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Hash,
    Source,
    Target,
}

/// Reads an XLIFF 2.0 document as [`write_xliff`] writes it (and as translation tools save it:
/// entities, character references and CDATA in the texts, extra elements ignored). Errors name
/// `line:col` in the file.
pub fn read_xliff(text: &str) -> Result<Sheet, String> {
    let mut reader = Reader::from_str(text);
    let at = |pos: u64| {
        let (l, c) = line_col(
            text,
            usize::try_from(pos).unwrap_or(usize::MAX).min(text.len()),
        );
        format!("{l}:{c}")
    };
    let mut locale = None;
    let mut xliff_at = None;
    let mut rows = Vec::new();
    let mut unit: Option<Row> = None;
    let mut field: Option<Field> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{}: not well-formed XML: {e}", at(reader.error_position())))?;
        let here = || at(reader.buffer_position());
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match e.local_name().as_ref() {
                "xliff" => {
                    if attr(e, "version")?.as_deref() != Some("2.0") {
                        return Err(format!(
                            "{}: this is not an XLIFF 2.0 document (`version=\"2.0\"` missing)",
                            here()
                        ));
                    }
                    locale = attr(e, "trgLang")?;
                    xliff_at = Some(here());
                }
                "unit" => {
                    let key = attr(e, "name")?.ok_or_else(|| {
                        format!("{}: a <unit> has no `name` (the text's key)", here())
                    })?;
                    unit = Some(Row {
                        key,
                        hash: String::new(),
                        source: String::new(),
                        target: String::new(),
                    });
                }
                // `<target/>` is an empty translation: nothing to collect.
                _ if matches!(event, Event::Empty(_)) => {}
                "note" if attr(e, "category")?.as_deref() == Some(HASH_CATEGORY) => {
                    field = Some(Field::Hash);
                }
                "source" => field = Some(Field::Source),
                "target" => field = Some(Field::Target),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "unit" => rows.extend(unit.take()),
                "note" | "source" | "target" => field = None,
                _ => {}
            },
            Event::Text(t) => push(&mut unit, field, &t.xml10_content()),
            Event::CData(t) => push(&mut unit, field, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r)
                        .map(Cow::Borrowed)
                        .ok_or_else(|| format!("{}: unknown entity `&{};`", here(), &*r))?,
                    Err(e) => return Err(format!("{}: {e}", here())),
                };
                push(&mut unit, field, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let locale = match (xliff_at, locale) {
        (Some(_), Some(l)) => l,
        (None, _) => {
            return Err("1:1: no <xliff> element: this is not an XLIFF document".to_owned());
        }
        (Some(at), None) => {
            return Err(format!(
                "{at}: <xliff> names no target language (`trgLang`)"
            ));
        }
    };
    Ok(Sheet { locale, rows })
}

fn push(unit: &mut Option<Row>, field: Option<Field>, s: &str) {
    if let (Some(row), Some(f)) = (unit.as_mut(), field) {
        match f {
            Field::Hash => row.hash.push_str(s.trim()),
            Field::Source => row.source.push_str(s),
            Field::Target => row.target.push_str(s),
        }
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        if a.key.local_name().as_ref() == name {
            let v = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// `sheet` as CSV text: BOM, header, CRLF line ends, cells a spreadsheet would take for a
/// formula prefixed with `'` (taken off again on import).
pub fn write_csv(sheet: &Sheet) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for r in &sheet.rows {
        w.write_record([
            r.key.as_str(),
            &sheet.locale,
            &r.hash,
            &neutralise(&r.source),
            &neutralise(&r.target),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{BOM}{}", String::from_utf8_lossy(&bytes)))
}

/// Reads the CSV [`write_csv`] writes, also as a spreadsheet saves it again (with or without
/// the BOM, CRLF or LF, quoted line breaks, columns in any order). Errors name the line.
pub fn read_csv(text: &str) -> Result<Sheet, String> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let at = |e: csv::Error| format!("{}: {e}", e.position().map_or(1, csv::Position::line));
    let header = r.headers().map_err(at)?.clone();
    let col = |name: &str| {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| {
            format!(
                "1: the CSV has no `{name}` column (it needs {})",
                CSV_HEADER.join(", ")
            )
        })
    };
    let [key, locale_col, hash, source, target] = [
        col("key")?,
        col("locale")?,
        col("source_hash")?,
        col("source")?,
        col("target")?,
    ];
    let mut locale: Option<String> = None;
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(at)?;
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |i: usize| rec.get(i).unwrap_or("");
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let this = cell(locale_col).trim();
        match &locale {
            None => locale = Some(this.to_owned()),
            Some(l) if l != this => {
                return Err(format!(
                    "{line}: language `{this}`, but the rows above are `{l}`; import one language per file"
                ));
            }
            Some(_) => {}
        }
        rows.push(Row {
            key: cell(key).trim().to_owned(),
            hash: cell(hash).trim().to_owned(),
            source: unneutralise(cell(source)),
            target: unneutralise(cell(target)),
        });
    }
    let locale = locale.ok_or("the CSV has no rows")?;
    Ok(Sheet { locale, rows })
}

/// A cell as written before [`neutralise`]: the `'` it put before a formula sign taken off, and
/// a spreadsheet's CRLF inside the cell read as the line break it was.
fn unneutralise(cell: &str) -> String {
    let cell = cell.replace("\r\n", "\n");
    match cell.strip_prefix('\'') {
        Some(rest) if neutralise(rest).starts_with('\'') => rest.to_owned(),
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            locale: "en".to_owned(),
            rows: vec![
                Row {
                    key: "scenarios/a.ron#title".to_owned(),
                    hash: "0123456789abcdef".to_owned(),
                    source: "“钱” <早> & \"汇\"\n了".to_owned(),
                    target: "=SUM(A1) <b> & ]]>".to_owned(),
                },
                Row {
                    key: "personas/b.ron#role".to_owned(),
                    hash: "fedcba9876543210".to_owned(),
                    source: "经理".to_owned(),
                    target: String::new(),
                },
            ],
        }
    }

    #[test]
    fn xliff_round_trips_and_escapes() {
        let bytes = write_xliff(&sheet()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("&lt;早&gt; &amp;"), "{text}");
        assert!(text.contains(r#"<file id="f2" original="personas/b.ron">"#));
        assert_eq!(read_xliff(&text).unwrap(), sheet());
    }

    #[test]
    fn xliff_entities_and_cdata_are_read() {
        let doc = r#"<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en"><file id="f"><unit id="u" name="k#x"><notes><note category="source-hash">h</note></notes><segment><source>&#x4e2d;</source><target><![CDATA[a<b]]> &quot;c&quot;</target></segment></unit></file></xliff>"#;
        let s = read_xliff(doc).unwrap();
        assert_eq!(s.rows[0].source, "中");
        assert_eq!(s.rows[0].target, "a<b \"c\"");
        let err = read_xliff("<xliff version=\"2.0\"><unit></xliff>").unwrap_err();
        assert!(err.starts_with("1:"), "{err}");
        assert!(
            read_xliff("<a/>")
                .unwrap_err()
                .starts_with("1:1: no <xliff>")
        );
        let err = read_xliff(r#"<xliff version="2.0"></xliff>"#).unwrap_err();
        assert!(
            err.ends_with("names no target language (`trgLang`)"),
            "{err}"
        );
    }

    #[test]
    fn csv_round_trips_as_a_spreadsheet_saves_it() {
        let text = write_csv(&sheet()).unwrap();
        assert!(text.starts_with(BOM) && text.contains("\r\n"));
        assert!(text.contains("'=SUM"));
        assert_eq!(read_csv(&text).unwrap(), sheet());
        let saved = text.replace("\"\n了", "\"\r\n了").replacen(BOM, "", 1);
        assert_eq!(read_csv(&saved).unwrap(), sheet());
    }
}
