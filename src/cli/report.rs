//! `report`: the trainer's exports (CSV, xAPI, HTML) and a terminal summary of the results
//! database, read-only. A file is written whole or not at all and never onto the database;
//! damaged rows are named on stderr and left out.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::record::store_failure;
use super::{Failure, ReportArgs, ReportFormat, ReportWhat};
use crate::domain::library::Library;
use crate::domain::text::Locale;
use crate::report::{ReportData, csv, html, xapi};
use crate::store::Store;

/// The exit status of an export that left out damaged rows: the output was written, but not
/// everything is in it.
pub const PARTIAL: u8 = 3;

/// `report`.
pub fn report(lib: &Library, args: &ReportArgs, db: Option<&Path>) -> Result<u8, Failure> {
    xapi::check_base(&args.iri_base).map_err(Failure::usage)?;
    if args.what.is_some() && args.format != ReportFormat::Csv {
        return Err(Failure::usage(
            "--what chooses the table of `report csv`; xapi, html and summary hold every kind of result",
        ));
    }
    if args.send {
        if args.format != ReportFormat::Xapi {
            return Err(Failure::usage(
                "--send sends xAPI statements: `report xapi --send`",
            ));
        }
        return super::lrs::send(lib, db, args.retry_refused, PARTIAL);
    }
    let what = args.what.unwrap_or(ReportWhat::Attempts);
    // A report reads; it does not create an empty database where none was.
    let path = crate::store::resolve_path(db).map_err(store_failure)?;
    if !path.exists() {
        return Err(Failure {
            message: format!(
                "there is no results database at {} yet: results are saved by the game and by `play`/`quiz` with --trainee; pass --db to read another file",
                path.display()
            ),
            code: 1,
        });
    }
    if let Some(out) = &args.output {
        refuse_database(out, &path)?;
    }
    let store = Store::open_read_only(&path).map_err(store_failure)?;
    let titles = ReportData::titles(lib, args.lang);
    let data = ReportData::load(&store, args.session, titles).map_err(store_failure)?;
    let text = match args.format {
        ReportFormat::Csv => match what {
            ReportWhat::Attempts => csv::render(&data),
            ReportWhat::Campaigns => csv::render_campaigns(&data),
        }
        .map_err(|e| Failure {
            message: format!("cannot write the CSV: {e}"),
            code: 1,
        })?,
        ReportFormat::Xapi => {
            let statements = xapi::Xapi::new(&args.iri_base, args.lang.tag())
                .with_catalog(xapi::Catalog::from_library(lib))
                .with_dialogue_text(!args.no_dialogue_text)
                .statements(&data);
            xapi::render(&statements, args.ndjson)
        }
        ReportFormat::Html => {
            html::render(&data, args.lang, &crate::store::stamp(crate::store::now()))
        }
        ReportFormat::Summary => {
            summary(&store, &data, args.lang).map_err(|e| store_failure(e.in_file(store.path())))?
        }
    };
    match &args.output {
        Some(out) => {
            crate::report::write_file(out, text.as_bytes()).map_err(|e| Failure {
                message: format!(
                    "cannot write {}: {e} (a file that was there is unchanged)",
                    out.display()
                ),
                code: 1,
            })?;
            eprintln!(
                "wrote {} ({} attempt(s), {} quiz result(s), {} campaign result(s))",
                out.display(),
                data.attempts.len(),
                data.quizzes.len(),
                data.campaigns.len()
            );
        }
        None => print(&text)?,
    }
    if args.format == ReportFormat::Csv
        && what == ReportWhat::Attempts
        && !data.campaigns.is_empty()
    {
        eprintln!(
            "note: the {} campaign result(s) are a table of their own: `report csv --what campaigns`",
            data.campaigns.len()
        );
    }
    for s in &data.skipped {
        eprintln!("warning: skipped {s}");
    }
    if data.skipped.is_empty() {
        Ok(0)
    } else {
        eprintln!(
            "warning: {} damaged row(s) left out of the report (exit status {PARTIAL}); the rest is complete. Keep a copy of {} before repairing it",
            data.skipped.len(),
            path.display()
        );
        Ok(PARTIAL)
    }
}

/// Writes the report to stdout. A reader that stopped early (`| head`) is no error; any other
/// write error (a full disk behind `> file`) is, so a truncated report never exits 0.
fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write the report to standard output: {e}"),
            code: 1,
        }),
    }
}

/// The files SQLite keeps for the database at `db`: itself and its journals.
fn database_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .collect()
}

/// Where `path` would be written: its canonical form, or, for a file not made yet, its
/// folder's canonical form joined with its name.
fn canonical_target(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(path.file_name()?))
}

/// Refuses `-o` aimed at the results database or one of its journal files (a tab completion
/// away from `-o results.sqlite`), compared by canonical path, and on Unix by file identity
/// for hard links.
fn refuse_database(output: &Path, db: &Path) -> Result<(), Failure> {
    let refuse = || {
        Err(Failure::usage(format!(
            "-o {} is the results database {} (or one of its journal files); the report was not written and the database is untouched: choose another file name",
            output.display(),
            db.display()
        )))
    };
    let Some(target) = canonical_target(output) else {
        return Ok(());
    };
    let db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let files = database_files(&db);
    let same_name = |a: &Path, b: &Path| {
        if cfg!(any(windows, target_os = "macos")) {
            // Case-insensitive file systems: `R.SQLITE` is `r.sqlite`.
            a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
        } else {
            a == b
        }
    };
    if files.iter().any(|f| same_name(f, &target)) {
        return refuse();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let Ok(out) = std::fs::metadata(&target) {
            let same = |f: &PathBuf| {
                std::fs::metadata(f).is_ok_and(|m| m.dev() == out.dev() && m.ino() == out.ino())
            };
            if files.iter().any(same) {
                return refuse();
            }
        }
    }
    Ok(())
}

/// `text` with every control character shown as an escape (`\x1b`, `\x07`, `\x0a`; C1 controls
/// as `\u{9b}`), so a name typed with terminal escape codes cannot recolour, clear or rewrite
/// the trainer's terminal.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c as u32 {
            n @ (0..=0x1f | 0x7f) => format!("\\x{n:02x}"),
            n if c.is_control() => format!("\\u{{{n:x}}}"),
            _ => c.to_string(),
        })
        .collect::<String>()
        .into()
}

fn summary(
    store: &crate::store::Store,
    data: &ReportData,
    lang: Locale,
) -> Result<String, crate::store::StoreError> {
    use std::fmt::Write as _;
    let t = |zh, en| lang.pick(zh, en);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {}",
        t("结果库：", "Results database:"),
        visible(
            &store
                .path()
                .map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
        )
    );
    let _ = writeln!(o, "\n{}", t("== 课堂 ==", "== Sessions =="));
    if data.sessions.is_empty() {
        let _ = writeln!(o, "  {}", t("（还没有课堂）", "(none yet)"));
    }
    for s in &data.sessions {
        let i = &s.info;
        let _ = writeln!(
            o,
            "  [{}] {}  {}  {} {} · {} {} · {} {}{}{}",
            i.id,
            visible(&i.name),
            visible(&i.created_at),
            i.teams,
            t("队", "teams"),
            i.rounds,
            t("轮", "rounds"),
            i.attempts,
            t("次练习", "attempts"),
            match s.campaign_rounds.len() {
                0 => String::new(),
                n => format!(" · {n} {}", t("轮战役", "campaign rounds")),
            },
            if i.ended_at.is_some() {
                t("（已结束）", " (ended)")
            } else {
                ""
            }
        );
        if s.shows_scenario_board() {
            for (k, st) in s.leaderboard.standings.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "      {}. {} {} {:>6.1}  {} {:>5.1} {} {:>5.1} {} {:>5.1}  {}/{}",
                    k + 1,
                    pad(&visible(&st.team), 16),
                    t("总分", "total"),
                    st.total,
                    t("语气", "tone"),
                    st.tone,
                    t("坚持", "persist."),
                    st.persistence,
                    t("证据", "evidence"),
                    st.evidence,
                    st.passed,
                    st.attempts
                );
            }
            if let Some(b) = &s.leaderboard.best_team {
                let _ = writeln!(o, "      {} {}", t("最佳团队：", "Best team:"), visible(b));
            }
            if let Some((team, lift)) = &s.leaderboard.most_improved {
                let _ = writeln!(
                    o,
                    "      {} {} (+{lift:.1})",
                    t("进步最快：", "Most improved:"),
                    visible(team)
                );
            }
        }
        for c in &s.leaderboard.compliance {
            let _ = writeln!(
                o,
                "      × {} {} {}: {}",
                visible(c.team.as_deref().unwrap_or("-")),
                visible(&c.trainee),
                visible(&c.scenario),
                visible(&c.rules.join(", "))
            );
        }
        campaign_boards(&mut o, data, s, lang);
    }
    let _ = writeln!(o, "\n{}", t("== 学员 ==", "== Trainees =="));
    let _ = writeln!(
        o,
        "  {} {} {} {} {} {} {}",
        pad(t("学员", "trainee"), 16),
        lpad(t("次数", "attempts"), 8),
        lpad(t("首次", "first"), 6),
        lpad(t("最好", "best"), 6),
        lpad(t("平均", "average"), 7),
        lpad(t("提升", "lift"), 6),
        lpad(t("通过", "passed"), 6)
    );
    for s in &data.trainees {
        let _ = writeln!(
            o,
            "  {} {:>8} {:>6.1} {:>6.1} {:>7.1} {:>+6.1} {:>6}",
            pad(&visible(&s.trainee), 16),
            s.attempts,
            s.first,
            s.best,
            s.average,
            s.lift,
            s.passed
        );
    }
    let _ = writeln!(o, "\n{}", t("== 场景 ==", "== Scenarios =="));
    for s in &data.scenarios {
        let _ = writeln!(
            o,
            "  {}  {} {:.1}% ({}/{})  {} {:.1}",
            visible(&s.scenario),
            t("通过率", "pass rate"),
            s.pass_rate,
            s.passed,
            s.attempts,
            t("平均", "mean"),
            s.average
        );
        for m in &s.missed {
            let _ = writeln!(
                o,
                "      {}/{} {} {}: “{}”",
                m.missed,
                m.reached,
                t("人答错于", "missed at"),
                visible(&m.node),
                visible(&m.common_text)
            );
        }
    }
    campaign_results(&mut o, data, lang);
    Ok(o)
}

/// The boards of a session's campaign rounds: per team the share collected, ageing, rhythm,
/// total and passes, best first.
fn campaign_boards(
    o: &mut String,
    data: &ReportData,
    s: &crate::report::SessionReport,
    lang: Locale,
) {
    use std::fmt::Write as _;
    let t = |zh, en| lang.pick(zh, en);
    for b in &s.campaign_boards {
        let _ = writeln!(
            o,
            "    {} {}: {} ({}, {} {})",
            t("战役轮", "Campaign round"),
            b.round,
            visible(data.campaign_title(&b.campaign)),
            visible(&b.campaign),
            t("种子", "seed"),
            b.seed
        );
        for (k, st) in b.standings.iter().enumerate() {
            if st.results == 0 {
                let _ = writeln!(
                    o,
                    "      {}. {} {}",
                    k + 1,
                    pad(&visible(&st.team), 16),
                    t("（还没有结果）", "(no result yet)")
                );
                continue;
            }
            let _ = writeln!(
                o,
                "      {}. {} {} {:>6.1}  {} {:>5.1}%  {} {:>5.1} {} {:>5.1}  {}/{}",
                k + 1,
                pad(&visible(&st.team), 16),
                t("总分", "total"),
                st.total,
                t("收回", "collected"),
                st.collected_share,
                t("账龄", "ageing"),
                st.ageing,
                t("节奏", "rhythm"),
                st.rhythm,
                st.passed,
                st.results
            );
        }
        if let Some(best) = &b.best_team {
            let _ = writeln!(
                o,
                "      {} {}",
                t("本轮最佳：", "Best desk:"),
                visible(best)
            );
        }
    }
}

/// Every campaign result, one line each.
fn campaign_results(o: &mut String, data: &ReportData, lang: Locale) {
    use std::fmt::Write as _;
    if data.campaigns.is_empty() {
        return;
    }
    let t = |zh, en| lang.pick(zh, en);
    let _ = writeln!(o, "\n{}", t("== 战役 ==", "== Campaigns =="));
    for c in &data.campaigns {
        let r = &c.result;
        let money = |v| crate::domain::engine::format::amount(v, "CNY", lang);
        let _ = writeln!(
            o,
            "  #{} {} {}  {} {:.1} ({} {:.1} {} {:.1} {} {:.1} {} {:.1})  {} {} / {}  {}",
            c.id,
            pad(&visible(&c.trainee), 12),
            visible(data.campaign_title(&r.campaign)),
            t("总分", "total"),
            r.scores.total,
            t("回款", "cash"),
            r.scores.cash,
            t("账龄", "ageing"),
            r.scores.ageing,
            t("节奏", "rhythm"),
            r.scores.rhythm,
            t("证据", "evidence"),
            r.scores.evidence,
            t("收回", "collected"),
            money(r.collected),
            money(r.owed),
            if r.passed {
                t("通过", "passed")
            } else {
                t("未通过", "not passed")
            }
        );
    }
}

/// Pads to `width` terminal columns (a Chinese character takes two).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Right-aligns to `width` terminal columns.
fn lpad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}
