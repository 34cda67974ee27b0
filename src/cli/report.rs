//! `report`: the trainer's exports (CSV, xAPI, HTML) and a terminal summary of the results
//! database.

use std::path::Path;

use super::record::{open_store, store_failure};
use super::{Failure, ReportArgs, ReportFormat};
use crate::domain::content::Library;
use crate::domain::text::Locale;
use crate::report::{ReportData, csv, html, xapi};

/// `report`.
pub fn report(lib: &Library, args: &ReportArgs, db: Option<&Path>) -> Result<u8, Failure> {
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
    let store = open_store(Some(&path))?;
    let titles = ReportData::titles(lib, args.lang);
    let data = ReportData::load(&store, args.session, titles).map_err(store_failure)?;
    let text = match args.format {
        ReportFormat::Csv => csv::render(&data).map_err(|e| Failure {
            message: format!("cannot write the CSV: {e}"),
            code: 1,
        })?,
        ReportFormat::Xapi => xapi::render(&data, &args.iri_base, args.lang.tag(), args.ndjson),
        ReportFormat::Html => html::render(
            &data,
            args.lang == Locale::ZhCn,
            &crate::store::stamp(crate::store::now()),
        ),
        ReportFormat::Summary => summary(&store, &data, args.lang).map_err(store_failure)?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Failure {
                message: format!("cannot write {}: {e}", path.display()),
                code: 1,
            })?;
            eprintln!(
                "wrote {} ({} attempt(s), {} quiz result(s))",
                path.display(),
                data.attempts.len(),
                data.quizzes.len()
            );
        }
        None => out_inline!("{text}"),
    }
    Ok(0)
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
        store
            .path()
            .map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
    );
    let _ = writeln!(o, "\n{}", t("== 课堂 ==", "== Sessions =="));
    if data.sessions.is_empty() {
        let _ = writeln!(o, "  {}", t("（还没有课堂）", "(none yet)"));
    }
    for s in &data.sessions {
        let i = &s.info;
        let _ = writeln!(
            o,
            "  [{}] {}  {}  {} {} · {} {} · {} {}{}",
            i.id,
            i.name,
            i.created_at,
            i.teams,
            t("队", "teams"),
            i.rounds,
            t("轮", "rounds"),
            i.attempts,
            t("次练习", "attempts"),
            if i.ended_at.is_some() {
                t("（已结束）", " (ended)")
            } else {
                ""
            }
        );
        for (k, st) in s.leaderboard.standings.iter().enumerate() {
            let _ = writeln!(
                o,
                "      {}. {} {} {:>6.1}  {} {:>5.1} {} {:>5.1} {} {:>5.1}  {}/{}",
                k + 1,
                pad(&st.team, 16),
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
            let _ = writeln!(o, "      {} {b}", t("最佳团队：", "Best team:"));
        }
        if let Some((team, lift)) = &s.leaderboard.most_improved {
            let _ = writeln!(
                o,
                "      {} {team} (+{lift:.1})",
                t("进步最快：", "Most improved:")
            );
        }
        for c in &s.leaderboard.compliance {
            let _ = writeln!(
                o,
                "      ✗ {} {} {}: {}",
                c.team.as_deref().unwrap_or("-"),
                c.trainee,
                c.scenario,
                c.rules.join(", ")
            );
        }
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
            pad(&s.trainee, 16),
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
            s.scenario,
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
                m.node,
                m.common_text
            );
        }
    }
    Ok(o)
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
