//! `launch URL` (a cmi5 launch from an LMS, played in the terminal) and `cmi5-course` (the
//! course structure the LMS imports). Glue over [`crate::cmi5`]: everything that can be
//! checked on this computer is checked before the LMS's one-time token is fetched.

use std::path::{Path, PathBuf};

use super::play::{Shown, ask_preparation, converse, print_result};
use super::quiz::{Answered, answer, banks_of, print_graded, quiz_language};
use super::record::{self, PlayRecord, Saved};
use super::{Failure, find, parse_locale};
use crate::cmi5::{Au, Cmi5Error, Launch, LaunchUrl, Options, Played, Report, Target};
use crate::domain::engine::{Session, Setup};
use crate::domain::library::Library;
use crate::domain::mode::Mode;
use crate::domain::quiz::{draw, grade};
use crate::domain::text::Locale;
use crate::lrs::LrsConfig;
use crate::report::xapi::{DEFAULT_BASE, check_base};
use crate::store::{NewQuiz, Store, StoredAttempt, StoredQuiz, stamp};

/// Arguments of `launch`.
#[derive(Debug, clap::Args)]
pub struct LaunchArgs {
    /// The URL the LMS launched: dunningdojo://play/<scenario>?endpoint=…&fetch=…&actor=…&registration=…&activityId=…
    /// (or dunningdojo://quiz/<bank or all>?…). Quote it in a shell.
    pub url: String,
    /// Scripted answers for a scenario, as `play --choices` takes them.
    #[arg(long, value_delimiter = ',', conflicts_with = "answers")]
    pub choices: Option<Vec<String>>,
    /// Preparation checklist ids to tick (scripted play of a scenario).
    #[arg(long, value_delimiter = ',', conflicts_with = "answers")]
    pub prepare: Option<Vec<String>>,
    /// Scripted answers for a quiz, as `quiz --answers` takes them.
    #[arg(long, value_delimiter = ',')]
    pub answers: Option<Vec<String>>,
    /// Language (default: the learner's preference kept by the LMS, else the content's first).
    #[arg(long, value_parser = parse_locale)]
    pub lang: Option<Locale>,
    /// The IRI base of the game's own activities and extensions in the statements (default:
    /// the one set with `lrs set`, else https://dunning-dojo.invalid/xapi/).
    #[arg(long, value_name = "IRI")]
    pub iri_base: Option<String>,
    /// Play in this terminal instead of the game window (what a build without the game, and
    /// scripted play with --choices or --answers, always do).
    #[arg(long)]
    pub terminal: bool,
}

impl LaunchArgs {
    /// Whether the launch plays in the terminal rather than the game window.
    pub fn in_terminal(&self) -> bool {
        self.terminal || self.choices.is_some() || self.answers.is_some() || !cfg!(feature = "game")
    }
}

/// What the game window needs for a launch: the checked URL, how statements are made, and the
/// learner's name as the LMS gives it. Checked before the window opens, so a bad link is told
/// in the terminal at once (exit 2) and the LMS is not asked anything yet.
pub fn for_window(
    lib: &Library,
    args: &LaunchArgs,
    db: Option<&Path>,
) -> Result<(LaunchUrl, Options, String), Failure> {
    let (url, _store, options, trainee) = prepare(lib, args, db)?;
    Ok((url, options, trainee))
}

/// Arguments of `cmi5-course`.
#[derive(Debug, clap::Args)]
pub struct CourseArgs {
    /// Where to write the course structure XML.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The IRI under which the course and its AUs are named (your organisation's address).
    #[arg(long, value_name = "IRI", default_value = DEFAULT_BASE)]
    pub iri_base: String,
}

/// `cmi5-course`.
pub fn course(lib: &Library, args: &CourseArgs) -> Result<u8, Failure> {
    check_base(&args.iri_base).map_err(Failure::usage)?;
    let aus = crate::cmi5::course::aus(lib, &crate::report::xapi::with_slash(&args.iri_base));
    if aus.is_empty() {
        return Err(Failure::usage(
            "there is nothing to put in a course: no playable scenario and no quiz bank; check --content and run `dunning-dojo lint`",
        ));
    }
    let bytes = crate::cmi5::course::course_structure(lib, &args.iri_base)
        .map_err(|e| Failure::usage(format!("cannot write the course structure: {e}")))?;
    crate::report::write_file(&args.output, &bytes).map_err(|e| Failure {
        message: format!(
            "cannot write {}: {e} (a file that was there is unchanged)",
            args.output.display()
        ),
        code: 1,
    })?;
    out!(
        "wrote {} ({} AUs: {} scenarios{}); import it into the LMS as a cmi5 course",
        args.output.display(),
        aus.len(),
        lib.scenarios.len(),
        if lib.quiz_banks.is_empty() {
            ""
        } else {
            " and the quiz"
        }
    );
    Ok(0)
}

fn cmi5_failure(e: Cmi5Error) -> Failure {
    Failure {
        code: if e.problem.is_local() { 2 } else { 1 },
        message: e.to_string(),
    }
}

/// A result played in a launch, recorded (or, when recording failed, kept in a file).
enum Finished {
    Attempt(Box<StoredAttempt>, Saved),
    Quiz(Box<StoredQuiz>, Saved),
}

impl Finished {
    fn played(&self) -> Played<'_> {
        match self {
            Finished::Attempt(a, _) => Played::Attempt(a),
            Finished::Quiz(q, _) => Played::Quiz(q),
        }
    }

    fn saved(self) -> Saved {
        match self {
            Finished::Attempt(_, s) | Finished::Quiz(_, s) => s,
        }
    }
}

/// Checks, before the LMS is asked, that the flags fit what the URL plays and that `--lang`
/// is one it is written in.
fn check_flags(lib: &Library, url: &LaunchUrl, args: &LaunchArgs) -> Result<(), Failure> {
    match &url.au {
        Au::Scenario(id) => {
            if args.answers.is_some() {
                return Err(Failure::usage(
                    "--answers is for a quiz; this launch plays a scenario: give --choices",
                ));
            }
            let c = find(lib, id)?;
            if let Some(l) = args.lang
                && !c
                    .scenario
                    .locales
                    .iter()
                    .any(|t| Locale::from_tag(t) == Some(l))
            {
                return Err(Failure::usage(format!(
                    "scenario `{id}` is not written in {}",
                    l.tag()
                )));
            }
        }
        Au::Quiz { bank, .. } => {
            if args.choices.is_some() || args.prepare.is_some() {
                return Err(Failure::usage(
                    "--choices and --prepare are for a scenario; this launch is a quiz: give --answers",
                ));
            }
            if let Some(l) = args.lang {
                quiz_language(lib, &banks_of(lib, bank.as_deref())?, l)?;
            }
        }
    }
    Ok(())
}

/// How the launch names the game's own activities: `--iri-base`, else the LRS setting's.
fn options(store: &Store, args: &LaunchArgs) -> Result<Options, Failure> {
    let config = LrsConfig::load(store).map_err(|message| Failure { message, code: 1 })?;
    let iri_base = match (args.iri_base.as_deref(), &config) {
        (Some(b), _) => b.trim().to_owned(),
        (None, Some(c)) => c.iri_base.clone(),
        (None, None) => DEFAULT_BASE.to_owned(),
    };
    check_base(&iri_base).map_err(Failure::usage)?;
    Ok(Options {
        iri_base,
        dialogue_text: config.is_none_or(|c| c.dialogue_text),
        language: args.lang,
        ..Options::default()
    })
}

/// Everything checked before the LMS is asked anything: the URL, the content it names, the
/// flags, the LMS's name for the learner and the results database (open for saving); with
/// the statement options.
fn prepare(
    lib: &Library,
    args: &LaunchArgs,
    db: Option<&Path>,
) -> Result<(LaunchUrl, Store, Options, String), Failure> {
    let url = LaunchUrl::parse(&args.url).map_err(cmi5_failure)?;
    crate::cmi5::check_content(&url, lib).map_err(cmi5_failure)?;
    check_flags(lib, &url, args)?;
    let trainee = url.trainee();
    if let Some(problem) = record::name_problem(&trainee) {
        return Err(Failure::usage(format!(
            "the LMS's name for you {problem}; ask the LMS's administrator"
        )));
    }
    let store = record::open_for_saving(db, lib)?;
    let options = options(&store, args)?;
    Ok((url, store, options, trainee))
}

/// `launch`.
pub fn launch(lib: &Library, args: &LaunchArgs, db: Option<&Path>) -> Result<u8, Failure> {
    let (url, mut store, options, trainee) = prepare(lib, args, db)?;
    let (mut launch, target) = Launch::start(&url, lib, &options).map_err(cmi5_failure)?;
    let data = launch.data();
    eprintln!(
        "launched by the LMS ({} mode, session {}) for {trainee}",
        data.launch_mode.as_str(),
        data.session_id
    );
    let played = play(lib, args, &launch, &target, &mut store, &trainee);
    let finished = match &played {
        Ok(Some(f)) => Some(launch.finish(f.played())),
        _ => None,
    };
    let return_url = launch.return_url().map(str::to_owned);
    let terminated = launch.terminate();
    let mut problems = Vec::new();
    if let Some(report) = &finished {
        tell(report, &mut problems);
    }
    if let Err(e) = &terminated
        && finished.as_ref().is_none_or(Result::is_ok)
    {
        problems.push(e.to_string());
    }
    if let Some(url) = return_url {
        out!("Back to your course: {url}");
    }
    let saved = match played {
        Ok(Some(f)) => f.saved(),
        Ok(None) => Saved::NotAsked,
        Err(f) => Saved::No(f),
    };
    if problems.is_empty() {
        return saved.finish();
    }
    let kept = match &saved {
        Saved::Yes(_) => "Your result is saved on this computer",
        _ => "Your result is not in the LMS",
    };
    let code = saved.finish().map_or_else(
        |f| {
            super::print_failure(&f);
            f.code
        },
        |_| 1,
    );
    Err(Failure {
        message: format!(
            "{}\n{kept}: tell your trainer, or launch the course again from the LMS.",
            problems.join("\n")
        ),
        code: code.max(1),
    })
}

/// What the LMS was sent, for the learner; a failure goes onto `problems`.
fn tell(report: &Result<Report, Cmi5Error>, problems: &mut Vec<String>) {
    match report {
        Ok(r) => {
            let mut verdicts: Vec<&str> = r
                .sent
                .iter()
                .map(String::as_str)
                .filter(|v| *v != "answered")
                .collect();
            verdicts.dedup();
            let turns = r.sent.iter().filter(|v| *v == "answered").count();
            out!(
                "The LMS got: {} answer(s){}",
                turns,
                if verdicts.is_empty() {
                    String::new()
                } else {
                    format!(", {}", verdicts.join(", "))
                }
            );
            for w in &r.withheld {
                out!("Not sent to the LMS: {} ({})", w.verb, w.why);
            }
        }
        Err(e) => problems.push(e.to_string()),
    }
}

/// Plays the target in the terminal and records the result; `None` when the learner left.
fn play(
    lib: &Library,
    args: &LaunchArgs,
    launch: &Launch,
    target: &Target,
    store: &mut Store,
    trainee: &str,
) -> Result<Option<Finished>, Failure> {
    let mode = launch.data().mode();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    match target {
        Target::Scenario { id, seed } => {
            let c = find(lib, id)?;
            let locale = launch.language();
            let prepared = match (&args.prepare, &args.choices) {
                (Some(p), _) => p.clone(),
                (None, None) => ask_preparation(c, locale, Some(trainee), &mut input)?,
                (None, Some(_)) => Vec::new(),
            };
            let started_at = crate::store::now();
            let setup = Setup {
                prepared,
                trainee: Some(trainee.to_owned()),
                truths: Vec::new(),
            };
            let (mut session, opening) = Session::start(c, *seed, locale, setup)
                .map_err(|e| Failure::usage(e.to_string()))?;
            let mut times = Vec::new();
            let shown = Shown {
                locale,
                feedback: mode == Mode::Practice,
                quiet: false,
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
                return Ok(None);
            };
            let rec = PlayRecord {
                trainee,
                team: None,
                mode,
                started_at,
                turn_times: &times,
            };
            let (saved, stored) = record::save_play(store, &rec, c, &result);
            print_result(&result, locale);
            let stored = stored.unwrap_or_else(|| {
                // Not recorded (the failure names the file it is kept in): the LMS still gets it.
                let ended_at = crate::store::now();
                StoredAttempt {
                    id: 0,
                    registration: launch.url().registration,
                    trainee: trainee.to_owned(),
                    team: None,
                    session: None,
                    session_name: None,
                    round: None,
                    persona: c.persona.id.0.clone(),
                    channel: c.scenario.channel.key().to_owned(),
                    mode,
                    started_at: stamp(started_at),
                    ended_at: stamp(ended_at),
                    duration_ms: ended_at.duration_since(started_at).as_millis().max(0) as i64,
                    checksum: String::new(),
                    turn_times: times.iter().map(|t| stamp(*t)).collect(),
                    result: result.clone(),
                }
            });
            Ok(Some(Finished::Attempt(Box::new(stored), saved)))
        }
        Target::Quiz { banks, spec } => {
            let banks = banks_of(lib, banks.first().map(String::as_str))?;
            let locale = quiz_language(lib, &banks, launch.language())?;
            let code = spec.code();
            let quiz = draw(&banks, spec).map_err(|e| Failure::usage(e.to_string()))?;
            let started_at = crate::store::now();
            let scripted = args.answers.as_deref();
            let Answered { responses, times } =
                answer(&banks, &quiz, scripted, (mode, locale, false), &mut input)?;
            let result = grade(&banks, &quiz, &responses, lib.scenario_tags());
            let new = NewQuiz {
                trainee,
                team: None,
                session: None,
                code: &code,
                locale: locale.tag(),
                mode,
                started_at,
                ended_at: crate::store::now(),
                answer_times: &times,
                result: &result,
            };
            let printed =
                serde_json::json!({ "code": code, "lang": locale.tag(), "result": result });
            let (saved, stored) = record::save_quiz(store, &new, None, printed);
            let explain = scripted.is_some() || mode == Mode::Exam;
            print_graded(
                lib,
                &banks,
                &quiz,
                (&responses, &result),
                (&code, locale, explain),
            );
            let stored = stored.unwrap_or_else(|| StoredQuiz {
                id: 0,
                registration: launch.url().registration,
                trainee: trainee.to_owned(),
                team: None,
                session: None,
                code: code.clone(),
                locale: locale.tag().to_owned(),
                mode,
                started_at: stamp(new.started_at),
                ended_at: stamp(new.ended_at),
                duration_ms: new
                    .ended_at
                    .duration_since(new.started_at)
                    .as_millis()
                    .max(0) as i64,
                checksum: String::new(),
                answer_times: times.iter().map(|t| stamp(*t)).collect(),
                result: result.clone(),
            });
            Ok(Some(Finished::Quiz(Box::new(stored), saved)))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::cmi5::LaunchData;

    #[test]
    fn launch_parameters_saying_exam_give_an_exam() {
        let data = |p: Option<&str>| {
            let mut doc = json!({
                "contextTemplate": { "extensions": { crate::report::xapi::EXT_SESSION: "s" } },
                "launchMode": "Normal",
            });
            if let Some(p) = p {
                doc["launchParameters"] = json!(p);
            }
            LaunchData::from_json(&doc).unwrap()
        };
        assert_eq!(data(None).mode(), Mode::Practice);
        assert_eq!(data(Some("exam")).mode(), Mode::Exam);
        assert_eq!(data(Some("lang=en, mode=exam")).mode(), Mode::Exam);
        assert_eq!(data(Some("examples=1")).mode(), Mode::Practice);
    }
}
