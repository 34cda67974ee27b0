//! `play`: an interactive terminal session, a scripted run, or the JSON line protocol.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::input::{Line, clip, read_line};
use super::{Failure, PlayArgs, find, record};
use crate::domain::engine::session::{default_trainee, render_text};
use crate::domain::engine::{
    AttemptResult, ChoiceView, Compiled, Event, PlayError, Session, Setup,
};
use crate::domain::library::Library;
use crate::domain::mode::Mode;
use crate::domain::text::Locale;

/// `play`.
pub fn play(lib: &Library, args: &PlayArgs, db: Option<&Path>) -> Result<u8, Failure> {
    let c = find(lib, &args.scenario)?;
    let started_at = crate::store::now();
    let mode = if args.exam {
        Mode::Exam
    } else {
        Mode::Practice
    };
    let feedback = mode == Mode::Practice;
    // The name and the database are checked before playing, so neither is found wrong after
    // the trainee's time is spent.
    let mut store = match args.trainee.as_deref() {
        Some(trainee) => {
            record::check_names(trainee, args.team.as_deref())?;
            Some(record::open_for_saving(db, lib)?)
        }
        None => None,
    };
    // Saved before anything of the result is printed (a closed stdout cannot stop it); a
    // failure is told after the debrief, which is always shown.
    let mut save = |result: &AttemptResult, turn_times: &[jiff::Timestamp]| match (
        &mut store,
        args.trainee.as_deref(),
    ) {
        (Some(store), Some(trainee)) => {
            record::save_play(
                store,
                &record::PlayRecord {
                    trainee,
                    team: args.team.as_deref(),
                    mode,
                    started_at,
                    turn_times,
                },
                c,
                result,
            )
            .0
        }
        _ => record::Saved::NotAsked,
    };
    let locale = match args.lang {
        // zh-TW plays a scenario without zh-TW texts in zh-CN, saying so; a language the
        // scenario cannot be served in is refused by `Session::start` with the ones it has.
        Some(l) => {
            let served = l.served_by(&c.scenario.locales).unwrap_or(l);
            let what = format!("scenario `{}`", c.scenario.id.as_str());
            let all = lib.scenarios.values().map(|p| &p.compiled.scenario);
            super::fallback_note(
                l,
                served,
                &what,
                all.map(|sc| (sc.id.as_str(), sc.locales.as_slice())),
            );
            served
        }
        None => first_locale(c),
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let interactive = args.choices.is_none() && !args.json_steps;
    let prepared = match (&args.prepare, interactive) {
        (Some(p), _) => p.clone(),
        (None, true) => ask_preparation(c, locale, args.trainee.as_deref(), &mut input)?,
        (None, false) => Vec::new(),
    };
    let setup = Setup {
        prepared,
        trainee: args.trainee.clone(),
        truths: args.truths.clone(),
    };
    let (mut session, opening) =
        Session::start(c, args.seed, locale, setup).map_err(play_failure)?;
    // When each turn was answered, for the statements sent to an LRS.
    let mut times = Vec::new();

    if args.json_steps {
        let mut out = JsonOut::default();
        let result = json_steps(&mut session, opening, &mut input, &mut out, &mut times)?;
        let saved = save(&result, &times);
        out.line(&serde_json::to_string(&result).unwrap_or_default());
        return out.finish(saved);
    }
    let shown = Shown {
        locale,
        feedback,
        quiet: args.json,
    };
    let Some(result) = converse(
        &mut session,
        &opening,
        args.choices.as_deref(),
        shown,
        &mut input,
        &mut times,
    )?
    else {
        return Ok(0);
    };
    let saved = save(&result, &times);
    if args.json {
        out!(
            "{}",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        );
    } else {
        print_result(&result, locale);
    }
    saved.finish()
}

/// The language a scenario is played in when none is asked for: its first.
pub(super) fn first_locale(c: &Compiled) -> Locale {
    c.scenario
        .locales
        .iter()
        .find_map(|t| Locale::from_tag(t))
        .unwrap_or(Locale::ZhCn)
}

/// How a conversation is shown in the terminal.
#[derive(Clone, Copy)]
pub(super) struct Shown {
    /// The language.
    pub locale: Locale,
    /// Whether each turn's feedback is shown (practice, not exam).
    pub feedback: bool,
    /// A scripted run printing only its JSON result shows nothing of the conversation.
    pub quiet: bool,
}

/// Plays `session` (which said `opening`) to its end: by `script` (choice ids or 1-based
/// numbers) or by asking at the terminal. `None` when the trainee left with `q` (which is
/// told). Each turn's time goes onto `times`.
pub(super) fn converse(
    session: &mut Session,
    opening: &[Event],
    script: Option<&[String]>,
    shown: Shown,
    input: &mut impl BufRead,
    times: &mut Vec<jiff::Timestamp>,
) -> Result<Option<AttemptResult>, Failure> {
    let Shown {
        locale,
        feedback,
        quiet,
    } = shown;
    if let Some(script) = script {
        if !quiet {
            print_events(opening, locale, feedback);
        }
        for (k, item) in script.iter().enumerate() {
            if session.is_ended() {
                return Err(Failure::usage(format!(
                    "the conversation ended after {k} choice(s), but {} more were given",
                    script.len() - k
                )));
            }
            let events = choose(session, item.trim(), times).map_err(|e| {
                Failure::usage(format!("choice {} (`{}`): {e}", k + 1, item.trim()))
            })?;
            if !quiet {
                print_events(&events, locale, feedback);
            }
        }
        if !session.is_ended() {
            let next: Vec<String> = session
                .choices()
                .into_iter()
                .filter(|c| c.available)
                .map(|c| c.id)
                .collect();
            return Err(Failure::usage(format!(
                "the conversation has not ended after {} choice(s); the next choices are: {}",
                script.len(),
                next.join(", ")
            )));
        }
    } else {
        print_events(opening, locale, feedback);
        loop {
            if session.is_ended() {
                break;
            }
            print_choices(&session.choices(), locale);
            let Some(line) = prompt(input, "> ")? else {
                return Err(Failure::usage(locale.pick(
                    "输入已结束，对话未完成",
                    "input ended before the conversation did",
                )));
            };
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if line.eq_ignore_ascii_case("q") {
                out!(
                    "{}",
                    locale.pick(
                        "已退出，本次练习不计分。",
                        "You left the conversation; this attempt is not scored."
                    )
                );
                return Ok(None);
            }
            match choose(session, line, times) {
                Ok(events) => print_events(&events, locale, feedback),
                Err(e) => out!("  {}", clipped(e)),
            }
        }
    }
    session
        .result()
        .map(Some)
        .ok_or_else(|| Failure::usage("the conversation has not ended"))
}

/// Chooses by 1-based number or by id; a taken turn's time goes onto `times`.
pub(super) fn choose(
    session: &mut Session,
    item: &str,
    times: &mut Vec<jiff::Timestamp>,
) -> Result<Vec<Event>, PlayError> {
    let events = match item.parse::<usize>() {
        Ok(n) => session.choose_number(n),
        Err(_) => session.choose(item),
    }?;
    times.push(crate::store::now());
    Ok(events)
}

fn play_failure(e: PlayError) -> Failure {
    Failure::usage(e.to_string())
}

/// Shows `text` and reads the answer; a line that cannot be read is explained and asked again.
pub(super) fn prompt(input: &mut impl BufRead, text: &str) -> Result<Option<String>, Failure> {
    loop {
        out_inline!("{text}");
        match read_line(input) {
            Ok(Line::End) => return Ok(None),
            Ok(Line::Text(line)) => return Ok(Some(line)),
            Ok(Line::Bad(why)) => out!("  {why}"),
            Err(e) => return Err(Failure::usage(format!("cannot read the terminal: {e}"))),
        }
    }
}

/// Shows the briefing and asks which preparation items to tick.
pub(super) fn ask_preparation(
    c: &Arc<Compiled>,
    locale: Locale,
    trainee: Option<&str>,
    input: &mut impl BufRead,
) -> Result<Vec<String>, Failure> {
    let sc = &c.scenario;
    let name = trainee
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(default_trainee(locale));
    let r = |t| render_text(c, locale, name, t);
    out!("== {} ==", r(&sc.title));
    out!("{}", r(&sc.briefing));
    let d = &c.persona.debt;
    out!(
        "{} {} · {} · {} {}",
        locale.pick("对方：", "Debtor:"),
        r(&c.persona.name),
        r(&c.persona.company),
        locale.pick("欠款", "owes"),
        crate::domain::engine::format::amount(d.amount, &d.currency, locale)
    );
    if sc.preparation.items.is_empty() {
        return Ok(Vec::new());
    }
    let budget = sc
        .preparation
        .budget
        .map_or(sc.preparation.items.len(), |b| b as usize);
    out!();
    out!(
        "{} {budget}{}",
        locale.pick(
            "通话前准备（时间有限，最多选",
            "Before you start, prepare (you have time for"
        ),
        locale.pick(" 项）：", " items):")
    );
    for (i, item) in sc.preparation.items.iter().enumerate() {
        out!("  {}. {}", i + 1, r(&item.label));
    }
    loop {
        let Some(line) = prompt(
            input,
            locale.pick(
                "输入编号，用逗号分隔（直接回车则不准备）：",
                "Numbers, comma-separated (Enter for none): ",
            ),
        )?
        else {
            return Ok(Vec::new());
        };
        let picks: Result<Vec<usize>, _> = line
            .split([',', '，', ' '])
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse::<usize>())
            .collect();
        match picks {
            Ok(p)
                if p.len() <= budget
                    && p.iter()
                        .all(|&n| (1..=sc.preparation.items.len()).contains(&n)) =>
            {
                return Ok(p
                    .iter()
                    .map(|&n| sc.preparation.items[n - 1].id.0.clone())
                    .collect());
            }
            _ => out!(
                "  {}",
                locale.pick(
                    "请输入列表中的编号，且不超过可准备的数量。",
                    "Use numbers from the list, no more than you have time for."
                )
            ),
        }
    }
}

pub(super) fn print_events(events: &[Event], locale: Locale, feedback: bool) {
    for e in events {
        match e {
            Event::Scene { text } => out!("\n  ({text})"),
            Event::DebtorSaid { text, .. } => {
                out!("\n{} {text}", locale.pick("【对方】", "[Debtor]"))
            }
            Event::TraineeSaid { text, .. } => {
                out!("{} {text}", locale.pick("【你】", "[You]"))
            }
            Event::Feedback {
                text,
                was_best,
                better,
                ..
            } if feedback => {
                let mark = if *was_best { "✓" } else { "·" };
                out!("  {mark} {text}");
                if let Some(b) = better {
                    out!("    {} {b}", locale.pick("更好的说法：", "Better:"));
                }
            }
            Event::EvidenceGained { label, .. } => {
                out!("  + {} {label}", locale.pick("取得证据：", "Evidence:"))
            }
            Event::TruthRevealed { text, .. } => {
                out!("  ! {} {text}", locale.pick("了解到：", "Uncovered:"))
            }
            Event::Violation { explanation, .. } => {
                out!("  × {} {explanation}", locale.pick("违规：", "Violation:"))
            }
            Event::MoodChanged { from, to } => {
                out!("  {} {from} → {to}", locale.pick("对方情绪", "Mood"))
            }
            Event::CutShort { patience } => out!(
                "  {}",
                if *patience {
                    locale.pick("对方已经失去耐心。", "The debtor has run out of patience.")
                } else {
                    locale.pick(
                        "通话时间太长，对方要结束了。",
                        "This has gone on too long for the debtor.",
                    )
                }
            ),
            _ => {}
        }
    }
}

pub(super) fn print_choices(choices: &[ChoiceView], locale: Locale) {
    out!();
    for c in choices {
        match (c.number, &c.locked_reason) {
            (Some(n), _) => out!("  {n}. {}", c.text),
            (None, reason) => out!(
                "  -. {}  [{}{}]",
                c.text,
                locale.pick("不可用：", "locked: "),
                reason.as_deref().unwrap_or("")
            ),
        }
    }
}

pub(super) fn print_result(r: &AttemptResult, locale: Locale) {
    out!();
    out!("==== {} ====", locale.pick("复盘", "Debrief"));
    let verdict = if r.passed {
        locale.pick("通过", "PASSED")
    } else {
        locale.pick("未通过", "NOT PASSED")
    };
    out!(
        "{}: {} / {}   {verdict}",
        locale.pick("总分", "Overall"),
        r.scores.overall,
        r.pass_mark
    );
    if !r.violations.is_empty() {
        out!(
            "{}",
            locale.pick(
                "合规问题（任何阻断级违规都直接判为不通过）：",
                "Compliance (any blocker fails the attempt):"
            )
        );
        for v in &r.violations {
            out!(
                "  × {} {}: {}",
                locale.pick("第", "turn"),
                v.turn,
                v.rule.label(locale)
            );
        }
    }
    out!(
        "  {} {}   {} {}   {} {}",
        locale.pick("语气", "Tone"),
        r.scores.tone,
        locale.pick("坚持", "Persistence"),
        r.scores.persistence,
        locale.pick("证据", "Evidence"),
        r.scores.evidence
    );
    out!(
        "{}: {} ({})",
        locale.pick("结果", "Outcome"),
        r.outcome.label(locale),
        r.ending
    );
    if let Some(s) = &r.summary {
        out!("  {s}");
    }
    for d in &r.drawn {
        out!(
            "{} {}: {}",
            locale.pick("这一次的真相 ·", "What was true this time ·"),
            d.label,
            d.text
        );
    }
    out!(
        "{}: {}",
        locale.pick("取得的证据", "Evidence gathered"),
        if r.evidence.is_empty() {
            "-".to_owned()
        } else {
            r.evidence.join(", ")
        }
    );
    out!(
        "{}: {}",
        locale.pick("遗漏的证据", "Evidence missed"),
        if r.evidence_missed.is_empty() {
            "-".to_owned()
        } else {
            r.evidence_missed.join(", ")
        }
    );
    for t in &r.debrief {
        out!();
        out!("{} {}. {}", locale.pick("回合", "Turn"), t.turn, t.said);
        let p = t
            .persistence_score
            .map_or("-".to_owned(), |p| p.to_string());
        out!(
            "   {} {}  {} {p}  {}",
            locale.pick("语气", "tone"),
            t.tone_score,
            locale.pick("坚持", "persistence"),
            if t.evidence_gained.is_empty() {
                String::new()
            } else {
                format!("+{}", t.evidence_gained.join(","))
            }
        );
        out!("   {}", t.feedback);
        if let Some(b) = &t.best_alternative {
            out!("   {} {}", locale.pick("更好的说法：", "Better:"), b.text);
            if let Some(why) = &b.locked_reason {
                out!("   ({why})");
            }
        }
    }
}

#[derive(Serialize)]
struct Step<'a> {
    turn: u32,
    debtor: &'a str,
    events: &'a [Event],
    choices: Vec<StepChoice>,
}

#[derive(Serialize)]
struct StepChoice {
    id: String,
    /// The option number as shown (`None` for a locked line).
    number: Option<usize>,
    text: String,
    tone: crate::domain::content::model::Tone,
    available: bool,
}

/// Standard output of the line protocol: a write that fails (the caller closed the pipe, a
/// full disk) is remembered instead of ending the process, so the attempt is still saved.
#[derive(Default)]
pub(super) struct JsonOut {
    failed: Option<std::io::Error>,
}

impl JsonOut {
    /// Tells how saving went after the result line: the receipt or the save's failure, and,
    /// when the caller stopped reading, that the protocol did not finish (the result is saved,
    /// or kept in a file, all the same).
    pub(super) fn finish(self, saved: record::Saved) -> Result<u8, Failure> {
        match self.failed {
            None => saved.finish(),
            Some(e) => {
                let code = saved.finish().unwrap_or_else(|f| {
                    super::print_failure(&f);
                    f.code
                });
                Err(Failure {
                    message: format!(
                        "cannot write to standard output ({e}); the result line was not delivered"
                    ),
                    code: code.max(1),
                })
            }
        }
    }

    pub(super) fn line(&mut self, text: &str) {
        if self.failed.is_some() {
            return;
        }
        let mut lock = std::io::stdout().lock();
        if let Err(e) = writeln!(lock, "{text}").and_then(|()| lock.flush()) {
            self.failed = Some(e);
        }
    }
}

/// A choice error that repeats at most the start of what was typed.
pub(super) fn clipped(e: PlayError) -> String {
    match e {
        PlayError::UnknownChoice { id, available } => PlayError::UnknownChoice {
            id: clip(&id).into_owned(),
            available,
        },
        PlayError::ChoiceLocked { id, reason } => PlayError::ChoiceLocked {
            id: clip(&id).into_owned(),
            reason,
        },
        other => other,
    }
    .to_string()
}

/// Plays by the line protocol; the caller prints the result line after saving it. Each
/// taken turn's time goes onto `times`.
pub(super) fn json_steps(
    session: &mut Session,
    opening: Vec<Event>,
    input: &mut impl BufRead,
    out: &mut JsonOut,
    times: &mut Vec<jiff::Timestamp>,
) -> Result<AttemptResult, Failure> {
    let mut events = opening;
    let error = |out: &mut JsonOut, message: String| {
        out.line(&serde_json::json!({ "error": message }).to_string());
    };
    while !session.is_ended() {
        let step = Step {
            turn: session.turn() + 1,
            debtor: session.last_line(),
            events: &events,
            choices: session
                .choices()
                .into_iter()
                .map(|c| StepChoice {
                    id: c.id,
                    number: c.number,
                    text: c.text,
                    tone: c.tone,
                    available: c.available,
                })
                .collect(),
        };
        out.line(&serde_json::to_string(&step).unwrap_or_default());
        loop {
            let line = match read_line(input) {
                Ok(Line::End) => {
                    return Err(Failure::usage("stdin ended before the conversation did"));
                }
                Ok(Line::Text(line)) => line,
                Ok(Line::Bad(why)) => {
                    error(out, why);
                    continue;
                }
                Err(e) => return Err(Failure::usage(format!("cannot read stdin: {e}"))),
            };
            let id = line.trim();
            if id.is_empty() {
                continue;
            }
            match session.choose(id) {
                Ok(ev) => {
                    times.push(crate::store::now());
                    events = ev;
                    break;
                }
                Err(e) => error(out, clipped(e)),
            }
        }
    }
    session
        .result()
        .ok_or_else(|| Failure::usage("the conversation has not ended"))
}
