//! `list`, `lint`, `sim` and `graph`: reports over the loaded content.

use std::path::PathBuf;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::{Failure, GraphFormatArg, find};
use crate::domain::analysis::{enumerate_all, model_answers, simulate};
use crate::domain::diagnostics::Diagnostic;
use crate::domain::graph::{GraphFormat, render};
use crate::domain::library::Library;
use crate::domain::text::Locale;

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    channel: &'a str,
    persona: &'a str,
    debtor_type: &'a str,
    stage: &'a str,
    difficulty: &'a str,
    locales: &'a [String],
    stale: bool,
}

/// `list`: the playable scenarios.
pub fn list(lib: &Library, json: bool, lang: Locale) -> Result<u8, Failure> {
    let entries: Vec<ListEntry<'_>> = lib
        .scenarios
        .values()
        .map(|p| {
            let sc = &p.compiled.scenario;
            ListEntry {
                id: sc.id.as_str(),
                title: sc.title.resolve(lang),
                channel: sc.channel.key(),
                persona: sc.persona.as_str(),
                debtor_type: p.compiled.persona.debtor_type.key(),
                stage: sc.stage.key(),
                difficulty: sc.difficulty.key(),
                locales: &sc.locales,
                stale: p.stale,
            }
        })
        .collect();
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&entries).unwrap_or_default()
        );
    } else {
        let header = [
            "ID",
            "TITLE",
            "CHANNEL",
            "PERSONA",
            "STAGE",
            "DIFFICULTY",
            "LOCALES",
        ];
        let rows: Vec<[String; 7]> = entries
            .iter()
            .map(|e| {
                [
                    e.id.to_owned(),
                    e.title.to_owned(),
                    e.channel.to_owned(),
                    e.persona.to_owned(),
                    e.stage.to_owned(),
                    e.difficulty.to_owned(),
                    e.locales.join(","),
                ]
            })
            .collect();
        let mut widths = header.map(UnicodeWidthStr::width);
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.width());
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.width()))))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        };
        out!("{}", line(&header.map(str::to_owned)));
        for r in &rows {
            out!("{}", line(r));
        }
    }
    let (errors, _) = lib.tally();
    if errors > 0 {
        eprintln!(
            "note: the content has {errors} error(s); scenarios with errors are not listed. Run `dunning-dojo lint`."
        );
    }
    Ok(0)
}

#[derive(Serialize)]
struct LintReport<'a> {
    errors: usize,
    warnings: usize,
    files: usize,
    diagnostics: &'a [Diagnostic],
}

/// `lint`: every problem in the given files and folders; exit 1 when there are errors.
pub fn lint(paths: &[PathBuf], json: bool) -> Result<u8, Failure> {
    let missing: Vec<String> = paths
        .iter()
        .filter(|p| !p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Failure::usage(format!(
            "no such file or folder: {}",
            missing.join(", ")
        )));
    }
    let mut lib = super::load(paths);
    // Translations whose source changed after import (a warning; see `strings import`).
    lib.diagnostics
        .extend(super::strings::stale_diagnostics(paths));
    lib.diagnostics
        .sort_by(|a, b| (&a.path, a.span.start).cmp(&(&b.path, b.span.start)));
    let (errors, warnings) = lib.tally();
    if json {
        let report = LintReport {
            errors,
            warnings,
            files: lib.sources.len(),
            diagnostics: &lib.diagnostics,
        };
        out!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        for d in &lib.diagnostics {
            out!(
                "{}",
                d.render(lib.sources.get(&d.path).map_or("", String::as_str))
            );
        }
        out!(
            "{} file(s) checked: {errors} error(s), {warnings} warning(s); {} playable scenario(s)",
            lib.sources.len(),
            lib.scenarios.len()
        );
    }
    Ok(u8::from(errors > 0))
}

/// `sim`: random-policy statistics, or every path with `--exhaustive`.
pub fn sim(
    lib: &Library,
    id: &str,
    runs: usize,
    seed: u64,
    exhaustive: bool,
    model: bool,
    limit: usize,
    json: bool,
) -> Result<u8, Failure> {
    let c = find(lib, id)?;
    if exhaustive {
        let report = enumerate_all(c, limit);
        if json {
            out!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        } else {
            out!(
                "scenario {id}: {} path(s) from {} start(s) ({} way(s) the truths fall × the preparation sets){}",
                report.paths,
                report.prep_sets_done,
                c.truth_combos().len(),
                if report.bounded {
                    format!(
                        " (stopped at --limit {limit}; {} preparation set(s) not enumerated)",
                        report.prep_sets_skipped
                    )
                } else {
                    String::new()
                }
            );
            out!("passing: {}", report.passing);
            for (outcome, n) in &report.outcomes {
                out!("  {outcome:<16} {n}");
            }
            for (label, path) in [("best", &report.best), ("worst", &report.worst)] {
                if let Some(p) = path {
                    print_path(label, p);
                }
            }
            if report.unreached_endings.is_empty() {
                out!("every ending is reached");
            } else if report.bounded {
                out!(
                    "endings not reached before the limit: {} (raise --limit, or see `lint`, which checks reachability exactly)",
                    report.unreached_endings.join(", ")
                );
            } else {
                out!(
                    "endings never reached: {}",
                    report.unreached_endings.join(", ")
                );
            }
        }
        return Ok(0);
    }
    if model {
        // One model answer per way the drawn truths can fall.
        let mut answers = Vec::new();
        for (truths, answer) in model_answers(c) {
            answers.push(answer.ok_or_else(|| {
                Failure::usage(format!(
                    "`{id}` has no model answer{}: following the best line gets stuck; run `dunning-dojo lint`",
                    if truths.is_empty() { String::new() } else { format!(" when {}", truths.join(", ")) }
                ))
            })?);
        }
        if json {
            // A scenario without drawn truths prints one object, as before; with them, a list.
            let text = match answers.as_slice() {
                [one] => serde_json::to_string_pretty(one),
                many => serde_json::to_string_pretty(many),
            };
            out!("{}", text.unwrap_or_default());
        } else {
            for best in &answers {
                let label = if best.truths.is_empty() {
                    "model answer".to_owned()
                } else {
                    format!("model answer when {}", best.truths.join(", "))
                };
                print_path(&label, best);
            }
        }
        return Ok(0);
    }
    let report = simulate(c, runs, seed);
    if json {
        out!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        out!("scenario {id}: {} random run(s), seed {seed}", report.runs);
        out!("pass rate: {:.1}%", report.pass_rate * 100.0);
        for (name, s) in [
            ("tone", report.tone),
            ("persistence", report.persistence),
            ("evidence", report.evidence),
            ("overall", report.overall),
        ] {
            out!(
                "  {name:<12} min {:>5.1}  mean {:>5.1}  max {:>5.1}",
                s.min,
                s.mean,
                s.max
            );
        }
        out!("outcomes:");
        for (outcome, n) in &report.outcomes {
            out!("  {outcome:<16} {n}");
        }
    }
    Ok(0)
}

fn print_path(label: &str, p: &crate::domain::analysis::PathResult) {
    out!(
        "{label}: overall {} (tone {}, persistence {}, evidence {}) → {} [{}]{}",
        p.scores.overall,
        p.scores.tone,
        p.scores.persistence,
        p.scores.evidence,
        p.ending,
        p.outcome.key(),
        if p.passed { ", passes" } else { ", fails" }
    );
    out!("  prepared: {}", p.prepared.join(","));
    out!("  choices: {}", p.choices.join(","));
}

/// `coverage`: the syllabus coverage table, as in `dialogues/README.md`; exit 1 when a topic
/// that needs a scenario has none.
pub fn coverage(lib: &Library) -> Result<u8, Failure> {
    out_inline!(
        "{}",
        crate::domain::syllabus::coverage_table(lib.scenario_tags())
    );
    let missing = crate::domain::syllabus::uncovered(lib.scenario_tags());
    if missing.is_empty() {
        Ok(0)
    } else {
        eprintln!("topics no scenario teaches: {}", missing.join(", "));
        Ok(1)
    }
}

/// `graph`: the dialogue graph as DOT or Mermaid.
pub fn graph(lib: &Library, id: &str, format: GraphFormatArg) -> Result<u8, Failure> {
    let c = find(lib, id)?;
    let f = match format {
        GraphFormatArg::Dot => GraphFormat::Dot,
        GraphFormatArg::Mermaid => GraphFormat::Mermaid,
    };
    out_inline!("{}", render(&c.scenario, f));
    Ok(0)
}
