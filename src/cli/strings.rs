//! `strings export`, `strings import` and `strings coverage`: the content's texts out to a
//! translator (XLIFF 2.0 or CSV) and back into the RON files in place, and `lint`'s check for
//! translations whose source changed after they were imported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::Failure;
use super::strings_files::{Row, Sheet, read_csv, read_xliff, write_csv, write_xliff};
use crate::domain::content::files::{find_content_files, read_content_file};
use crate::domain::content::strings::{
    self, Record, Recorded, SOURCE_LOCALE, Site, apply, edit, source_hash,
};
use crate::domain::diagnostics::{Diagnostic, Level, codes, line_col};
use crate::domain::text::Locale;

/// The `strings` commands.
#[derive(Debug, Subcommand)]
pub enum StringsCommand {
    /// Write every text with its key, its zh-CN source, the language's current text and the
    /// source's hash, for a translator.
    Export {
        /// The language to translate into.
        #[arg(long, value_parser = target_locale)]
        locale: Locale,
        /// XLIFF 2.0 (translation tools) or CSV (a spreadsheet).
        #[arg(long, value_enum, default_value_t = StringsFormat::Xliff)]
        format: StringsFormat,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Write the translations in FILE (XLIFF or CSV, as exported) into the content files,
    /// changing only those string literals; refuses texts whose source changed since export.
    Import {
        /// The translated file.
        file: PathBuf,
    },
    /// How many texts each language has translated, lacks, and has stale.
    Coverage,
}

/// Formats of `strings export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StringsFormat {
    /// XLIFF 2.0.
    Xliff,
    /// CSV, UTF-8 with BOM (opens in Excel).
    Csv,
}

/// A language a translation can be made into: a supported one other than the source.
fn target_locale(s: &str) -> Result<Locale, String> {
    let l = super::parse_locale(s)?;
    if l.tag() == SOURCE_LOCALE {
        let targets: Vec<&str> = Locale::ALL
            .iter()
            .map(|l| l.tag())
            .filter(|t| *t != SOURCE_LOCALE)
            .collect();
        return Err(format!(
            "{SOURCE_LOCALE} is the source language; translate into {}",
            targets.join(" or ")
        ));
    }
    Ok(l)
}

/// One content file as the strings commands read and write it.
struct ContentFile {
    /// The path as found under the content folder.
    path: PathBuf,
    /// The path relative to the content folder, with `/`: the first part of every key.
    rel: String,
    /// The text after a byte-order mark, exactly as on disk otherwise.
    text: String,
    /// Whether the file starts with a byte-order mark (kept on write).
    bom: bool,
}

/// Runs a `strings` command on the content folder `content`.
pub fn run(content: &[PathBuf], command: &StringsCommand) -> Result<u8, Failure> {
    let root = match content {
        [one] if one.is_dir() => one.as_path(),
        _ => {
            return Err(Failure::usage(
                "`strings` works on one content folder: give it with --content DIR",
            ));
        }
    };
    match command {
        StringsCommand::Export {
            locale,
            format,
            output,
        } => export(root, *locale, *format, output),
        StringsCommand::Import { file } => import(root, file),
        StringsCommand::Coverage => coverage(root),
    }
}

fn read_files(root: &Path) -> Result<Vec<ContentFile>, Failure> {
    let found = find_content_files(&[root.to_owned()]);
    if let Some(d) = found.problems.iter().find(|d| d.level == Level::Error) {
        return Err(Failure::usage(d.headline()));
    }
    found
        .files
        .into_iter()
        .map(|path| {
            let text = read_content_file(&path).map_err(|(d, _)| Failure::usage(d.headline()))?;
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let (text, bom) = match text.strip_prefix('\u{feff}') {
                Some(rest) => (rest.to_owned(), true),
                None => (text, false),
            };
            Ok(ContentFile {
                path,
                rel,
                text,
                bom,
            })
        })
        .collect()
}

/// The sites of every file, in file order, or the first file that cannot be read for them.
fn all_sites(files: &[ContentFile], locale: &str) -> Result<Vec<Vec<Site>>, Failure> {
    files
        .iter()
        .map(|f| {
            strings::sites(&f.rel, &f.text, locale).map_err(|e| {
                let (l, c) = line_col(&f.text, e.at.start);
                Failure::usage(format!(
                    "{}:{l}:{c}: {}; run `dunning-dojo lint` and fix the file first",
                    f.path.display(),
                    e.message
                ))
            })
        })
        .collect()
}

fn target_of(site: &Site) -> &str {
    site.target.as_ref().map_or("", |(t, _)| t.as_str())
}

fn export(
    root: &Path,
    locale: Locale,
    format: StringsFormat,
    output: &Path,
) -> Result<u8, Failure> {
    let started = std::time::Instant::now();
    let files = read_files(root)?;
    let sites = all_sites(&files, locale.tag())?;
    let rows: Vec<Row> = sites
        .iter()
        .flatten()
        .map(|s| Row {
            key: s.key.clone(),
            hash: source_hash(&s.source),
            source: s.source.clone(),
            target: target_of(s).to_owned(),
        })
        .collect();
    let translated = rows.iter().filter(|r| !r.target.is_empty()).count();
    let sheet = Sheet {
        locale: locale.tag().to_owned(),
        rows,
    };
    let bytes = match format {
        StringsFormat::Xliff => write_xliff(&sheet).map_err(|e| e.to_string()),
        StringsFormat::Csv => write_csv(&sheet)
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
    }
    .map_err(|e| Failure::usage(format!("cannot write the translation file: {e}")))?;
    crate::report::write_file(output, &bytes).map_err(|e| Failure {
        message: format!("cannot write {}: {e}", output.display()),
        code: 1,
    })?;
    out!(
        "exported {} texts from {} files ({translated} with {} text) to {} in {} ms",
        sheet.rows.len(),
        files.len(),
        locale.tag(),
        output.display(),
        started.elapsed().as_millis()
    );
    Ok(0)
}

fn read_sheet(file: &Path) -> Result<Sheet, Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::usage(format!(
            "{} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel)",
            file.display()
        ))
    })?;
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let xml = match ext.as_str() {
        "xlf" | "xliff" | "xml" => true,
        "csv" => false,
        _ => text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<'),
    };
    let sheet = if xml {
        read_xliff(&text)
    } else {
        read_csv(&text)
    };
    sheet.map_err(|e| Failure::usage(format!("{}:{e}", file.display())))
}

/// The sidecar where imports record what each translation was made from.
fn sidecar(root: &Path, locale: &str) -> PathBuf {
    root.join(".translations").join(format!("{locale}.json"))
}

fn read_recorded(root: &Path, locale: &str) -> Result<Recorded, Failure> {
    let path = sidecar(root, locale);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "{}:{}:{}: {e}; delete the file to start the record afresh",
                path.display(),
                e.line(),
                e.column()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Recorded::new()),
        Err(e) => Err(Failure::usage(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// Why an entry of the translation file was not imported.
enum Refusal {
    Unknown,
    Twice,
    NoHash,
    Stale,
}

fn import(root: &Path, file: &Path) -> Result<u8, Failure> {
    let sheet = read_sheet(file)?;
    let locale = target_locale(&sheet.locale)
        .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?
        .tag();
    let files = read_files(root)?;
    let sites = all_sites(&files, locale)?;
    let index: BTreeMap<&str, (usize, usize)> = sites
        .iter()
        .enumerate()
        .flat_map(|(f, ss)| {
            ss.iter()
                .enumerate()
                .map(move |(i, s)| (s.key.as_str(), (f, i)))
        })
        .collect();
    let mut recorded = read_recorded(root, locale)?;
    let mut edits: Vec<Vec<strings::Edit>> = vec![Vec::new(); files.len()];
    // The translations each file must show after the import, by key.
    let mut accepted: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); files.len()];
    let mut refused: Vec<(&Row, Refusal)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let (mut written, mut unchanged, mut empty) = (0, 0, 0);
    for row in &sheet.rows {
        let Some(&(f, i)) = index.get(row.key.as_str()) else {
            refused.push((row, Refusal::Unknown));
            continue;
        };
        if !seen.insert(row.key.as_str()) {
            refused.push((row, Refusal::Twice));
            continue;
        }
        let site = &sites[f][i];
        if row.hash.is_empty() {
            refused.push((row, Refusal::NoHash));
            continue;
        }
        if row.hash != source_hash(&site.source) {
            refused.push((row, Refusal::Stale));
            continue;
        }
        if row.target.is_empty() {
            empty += 1;
            continue;
        }
        accepted[f].insert(&row.key, &row.target);
        if row.target == target_of(site) {
            unchanged += 1;
        } else {
            edits[f].push(edit(&files[f].text, site, locale, &row.target));
            written += 1;
        }
        recorded.insert(
            row.key.clone(),
            Record {
                source: row.hash.clone(),
                target: source_hash(&row.target),
            },
        );
    }
    for (((f, mut e), ss), want) in files.iter().zip(edits).zip(&sites).zip(&accepted) {
        if e.is_empty() {
            continue;
        }
        let new = apply(&f.text, &mut e);
        check_written(f, &new, ss, locale, want)?;
        let bytes = if f.bom { format!("\u{feff}{new}") } else { new };
        crate::report::write_file(&f.path, bytes.as_bytes()).map_err(|e| Failure {
            message: format!("cannot write {}: {e}", f.path.display()),
            code: 1,
        })?;
    }
    if written + unchanged > 0 {
        let path = sidecar(root, locale);
        let json = serde_json::to_string_pretty(&recorded).unwrap_or_default() + "\n";
        std::fs::create_dir_all(path.parent().unwrap_or(root))
            .and_then(|()| crate::report::write_file(&path, json.as_bytes()))
            .map_err(|e| Failure {
                message: format!("cannot write {}: {e}", path.display()),
                code: 1,
            })?;
    }
    for (row, why) in &refused {
        let why = match why {
            Refusal::Unknown => "no such text in the content (renamed or removed?)".to_owned(),
            Refusal::Twice => {
                "the key appears twice in the file; the first one was taken".to_owned()
            }
            Refusal::NoHash => {
                "it carries no source hash (the `source-hash` note or column was lost); export again".to_owned()
            }
            Refusal::Stale => {
                let (f, i) = index[row.key.as_str()];
                let (l, c) = line_col(&files[f].text, sites[f][i].source_span.start);
                format!(
                    "the {SOURCE_LOCALE} source changed since export ({}:{l}:{c}); export again and translate the new text",
                    files[f].path.display()
                )
            }
        };
        out!("refused {}: {why}", row.key);
    }
    out!(
        "imported {locale}: {written} written, {unchanged} unchanged, {empty} empty (left as they were), {} refused",
        refused.len()
    );
    Ok(u8::from(!refused.is_empty()))
}

/// Reads the edited file back and checks that every key still holds, with its source, and
/// shows the translation imported (or, where none was, the one it had), before anything is
/// written: a wrong edit stops the import instead of damaging content.
fn check_written(
    f: &ContentFile,
    new: &str,
    before: &[Site],
    locale: &str,
    want: &BTreeMap<&str, &str>,
) -> Result<(), Failure> {
    let after = strings::sites(&f.rel, new, locale).ok();
    let ok = after.as_ref().is_some_and(|after| {
        after.len() == before.len()
            && after.iter().zip(before).all(|(a, b)| {
                a.key == b.key
                    && a.source == b.source
                    && target_of(a) == want.get(a.key.as_str()).copied().unwrap_or(target_of(b))
            })
    });
    if ok {
        Ok(())
    } else {
        Err(Failure {
            message: format!(
                "{}: the translations could not be written without changing other texts; nothing was written to this file",
                f.path.display()
            ),
            code: 1,
        })
    }
}

fn coverage(root: &Path) -> Result<u8, Failure> {
    let files = read_files(root)?;
    out!("language  texts  translated  missing  stale");
    for locale in Locale::ALL.iter().filter(|l| l.tag() != SOURCE_LOCALE) {
        let sites = all_sites(&files, locale.tag())?;
        let recorded = read_recorded(root, locale.tag())?;
        let all: Vec<Site> = sites.into_iter().flatten().collect();
        let translated = all.iter().filter(|s| !target_of(s).is_empty()).count();
        let stale = strings::stale(&all, &recorded).len();
        out!(
            "{:<8}  {:>5}  {:>10}  {:>7}  {:>5}",
            locale.tag(),
            all.len(),
            translated,
            all.len() - translated,
            stale
        );
    }
    Ok(0)
}

/// `lint`'s warnings for translations whose source changed after they were imported, for
/// each content folder among `paths` that has a `.translations` record.
pub fn stale_diagnostics(paths: &[PathBuf]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for root in paths.iter().filter(|p| p.join(".translations").is_dir()) {
        let Ok(files) = read_files(root) else {
            continue;
        };
        for locale in Locale::ALL.iter().filter(|l| l.tag() != SOURCE_LOCALE) {
            let Ok(recorded) = read_recorded(root, locale.tag()) else {
                continue;
            };
            for f in &files {
                // A file that cannot be read for its texts has its own diagnostics already.
                let Ok(sites) = strings::sites(&f.rel, &f.text, locale.tag()) else {
                    continue;
                };
                for s in strings::stale(&sites, &recorded) {
                    let at = s.target.as_ref().map_or(&s.source_span, |(_, span)| span);
                    out.push(
                        Diagnostic::warning(
                            codes::STALE_TRANSLATION,
                            &f.path,
                            &f.text,
                            at.clone(),
                            format!(
                                "the {SOURCE_LOCALE} text changed after this {} translation was imported",
                                locale.tag()
                            ),
                        )
                        .with_label(format!("`{}`", s.key))
                        .with_help(format!(
                            "update the {0} text, or `dunning-dojo strings export --locale {0}`, translate and import",
                            locale.tag()
                        )),
                    );
                }
            }
        }
    }
    out
}
