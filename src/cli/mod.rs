//! The command line: clap definitions and dispatch. Each command is glue over `domain`.

/// `println!` for command output: when the reader has gone away (`| head`), exit quietly;
/// when stdout cannot be written for another reason (a full disk), say so and exit 1.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::cli::stdout_failed(&e);
        }
    }};
}

/// `print!` for command output, with the same error handling as `out!`.
macro_rules! out_inline {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut lock = std::io::stdout().lock();
        if let Err(e) = write!(lock, $($arg)*).and_then(|()| lock.flush()) {
            $crate::cli::stdout_failed(&e);
        }
    }};
}

mod audit;
mod campaign;
mod content_cmds;
mod input;
pub mod launch;
mod lrs;
mod play;
pub mod quiz;
pub mod record;
mod report;
#[cfg(feature = "scripted")]
mod soak;
mod strings;
mod strings_files;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::domain::analysis::{AnalysisCache, CACHE_ENV, CACHE_OFF};
use crate::domain::library::Library;
use crate::domain::text::Locale;

/// Dunning Dojo (催款道场): practise collecting overdue payments, by phone and in person.
#[derive(Debug, Parser)]
#[command(name = "dunning-dojo", version, about, long_about = None)]
pub struct Cli {
    /// Where the scenarios and personas are (a folder or files).
    #[arg(long, global = true, value_name = "PATH", default_value = "dialogues")]
    pub content: Vec<PathBuf>,
    /// The results database (default: `results.sqlite` in the per-user data folder, or the
    /// file named by the DUNNING_DOJO_DB environment variable).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// What to do; without a command the game window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scripted play of the game window, for tests and screenshots (test builds only).
    #[cfg(all(feature = "game", feature = "scripted"))]
    #[command(flatten)]
    pub game: GameArgs,
}

/// Scripted play of the game window (tests, screenshots): only in builds with the `scripted`
/// feature, so a player's `--help` shows none of it.
#[cfg(all(feature = "game", feature = "scripted"))]
#[derive(Debug, Default, clap::Args)]
#[group(id = "scripted", multiple = true, args = ["autoplay", "autoplay_quiz", "autoplay_campaign", "autoplay_lrs"])]
pub struct GameArgs {
    /// Play this scenario by script instead of waiting for a player.
    #[arg(long, value_name = "SCENARIO")]
    pub autoplay: Option<String>,
    /// Seed for the scripted run (the scenario's, and the campaign's).
    #[arg(
        long = "autoplay-seed",
        value_name = "N",
        default_value_t = 1,
        requires = "scripted"
    )]
    pub autoplay_seed: u64,
    /// Language of the scripted run.
    #[arg(long = "autoplay-lang", value_parser = parse_locale, requires = "scripted")]
    pub autoplay_lang: Option<Locale>,
    /// Answers for the scripted run: choice ids or option numbers, comma-separated.
    #[arg(
        long = "autoplay-choices",
        value_delimiter = ',',
        requires = "autoplay"
    )]
    pub autoplay_choices: Vec<String>,
    /// Preparation ids to tick in the scripted run.
    #[arg(
        long = "autoplay-prepare",
        value_delimiter = ',',
        requires = "autoplay"
    )]
    pub autoplay_prepare: Vec<String>,
    /// The trainee's name in the scripted run.
    #[arg(long = "autoplay-trainee", requires = "scripted")]
    pub autoplay_trainee: Option<String>,
    /// Take a quiz by script (after the scenario, if one is given): a quiz code such as 5-42.
    #[arg(long = "autoplay-quiz", value_name = "CODE")]
    pub autoplay_quiz: Option<String>,
    /// Answers for the scripted quiz, as `quiz --answers` takes them: B, A+C, T, C-A-B…
    #[arg(
        long = "autoplay-answers",
        value_delimiter = ',',
        requires = "autoplay_quiz"
    )]
    pub autoplay_answers: Vec<String>,
    /// After the scripted scenario, tour classroom mode with it: set the PIN, open a session,
    /// enter two teams, play one round and show the leaderboard (use a fresh --db).
    #[arg(long = "autoplay-classroom", requires = "autoplay")]
    pub autoplay_classroom: bool,
    /// Work this campaign's desk by key presses (a message and a log entry per account per
    /// day, then the day ends) after anything else scripted.
    #[arg(long = "autoplay-campaign", value_name = "CAMPAIGN")]
    pub autoplay_campaign: Option<String>,
    /// How many accounts the scripted campaign works each day.
    #[arg(
        long = "autoplay-campaign-accounts",
        default_value_t = 2,
        requires = "autoplay_campaign"
    )]
    pub autoplay_campaign_accounts: usize,
    /// After the scripted campaign, a classroom campaign round of it: PIN, session, two
    /// teams (the first works the desk, the second only ends the days), the leaderboard.
    #[arg(long = "autoplay-classroom-campaign", requires = "autoplay_campaign")]
    pub autoplay_classroom_campaign: bool,
    /// At the end of the script, set this LRS (its xAPI root) in classroom mode, typing the
    /// secret from DUNNING_DOJO_LRS_SECRET, and send the outbox (use a fresh --db).
    #[arg(long = "autoplay-lrs", value_name = "URL")]
    pub autoplay_lrs: Option<String>,
    /// The key the scripted LRS setting types.
    #[arg(
        long = "autoplay-lrs-key",
        default_value = "trainer",
        requires = "autoplay_lrs"
    )]
    pub autoplay_lrs_key: String,
    /// Write the scripted campaign's result JSON (as `campaign play --json-steps` ends) here.
    #[arg(
        long = "campaign-result",
        value_name = "FILE",
        requires = "autoplay_campaign"
    )]
    pub campaign_result: Option<PathBuf>,
    /// Save PNGs of each screen the scripted run passes here (title.png, briefing.png,
    /// debrief.png, quiz_question.png, quiz_result.png…).
    #[arg(long, value_name = "DIR", requires = "scripted")]
    pub screenshots: Option<PathBuf>,
    /// Write the result JSON (as `play --json` prints it) here.
    #[arg(long, value_name = "FILE", requires = "autoplay")]
    pub result: Option<PathBuf>,
    /// Write the quiz result JSON (as `quiz --json` prints its result) here.
    #[arg(long = "quiz-result", value_name = "FILE", requires = "autoplay_quiz")]
    pub quiz_result: Option<PathBuf>,
    /// Quit when the scripted run is done.
    #[arg(long, requires = "scripted")]
    pub exit: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the scenarios.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Language of the titles.
        #[arg(long, value_parser = parse_locale, default_value = "zh-CN")]
        lang: Locale,
    },
    /// Check content files and report every problem with file, line and column.
    Lint {
        /// Files or folders to check (default: dialogues/).
        paths: Vec<PathBuf>,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Play a scenario in the terminal, or scripted with --choices.
    Play(PlayArgs),
    /// Run many random playthroughs, or enumerate every path with --exhaustive.
    Sim {
        /// The scenario id.
        scenario: String,
        /// How many random runs.
        #[arg(long, default_value_t = 1000)]
        runs: usize,
        /// Seed of the random policy.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Enumerate every path instead (bounded by --limit).
        #[arg(long, conflicts_with = "model")]
        exhaustive: bool,
        /// Print the model answer: the best alternative at every turn, with the preparation
        /// that helps most (what `lint` requires to pass).
        #[arg(long)]
        model: bool,
        /// Most complete paths to enumerate.
        #[arg(long, default_value_t = 100_000)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check that the options do not give the answer away: how often the best line is the
    /// longest or the only courteous-firm one, near-misses, what skipping preparation costs,
    /// and how often naive policies pass. Exits 1 when a naive policy passes too often.
    Audit {
        /// Scenario ids (default: every scenario).
        scenarios: Vec<String>,
        /// Seeded plays per scenario and policy.
        #[arg(long, default_value_t = 200)]
        plays: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Take a self-assessment quiz in the terminal, or scripted with --answers.
    Quiz(QuizArgs),
    /// Campaign mode: a collection desk over simulated weeks (list, play, sim).
    #[command(subcommand)]
    Campaign(campaign::CampaignCommand),
    /// Print the syllabus coverage table: each topic and the scenarios that teach it.
    Coverage,
    /// Export results from the database: csv (Excel), xapi (learning record store), html
    /// (printable report with charts) or summary (the trainer's views in the terminal).
    Report(ReportArgs),
    /// The learning record store results are sent to (set, show, forget).
    #[command(subcommand)]
    Lrs(lrs::LrsCommand),
    /// Play what a learning management system launched (cmi5): the dunningdojo:// URL it
    /// opened. Sends initialized, the answers, completed and passed or failed, and terminated
    /// to the LMS, and records the result here too.
    Launch(launch::LaunchArgs),
    /// Write the cmi5 course structure (XML) an LMS imports: one AU per playable scenario and
    /// one for the quiz.
    Cmi5Course(launch::CourseArgs),
    /// Forget the trainer's classroom PIN; the next visit to classroom mode sets a new one.
    ResetPin,
    /// Record attempts in a loop (the crash test kills it mid-write; test builds only).
    #[cfg(feature = "scripted")]
    #[command(hide = true)]
    Soak {
        /// The scenario to play.
        scenario: String,
        /// How many attempts.
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
    /// Translation: export the texts for a translator (XLIFF or CSV), import the translations
    /// back into the content files in place, see how much each language has translated.
    #[command(subcommand)]
    Strings(strings::StringsCommand),
    /// Print the dialogue graph.
    Graph {
        /// The scenario id.
        scenario: String,
        /// Diagram language.
        #[arg(long, value_enum, default_value_t = GraphFormatArg::Dot)]
        format: GraphFormatArg,
    },
}

/// Arguments of `play`.
#[derive(Debug, clap::Args)]
pub struct PlayArgs {
    /// The scenario id.
    pub scenario: String,
    /// The seed: it draws the debtor's line variants, the order the options are shown in and
    /// the scenario's drawn truths. The same seed and answers always give the same result.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Fix a drawn truth instead of drawing it from the seed (a variant id; comma-separated
    /// for several), e.g. to demonstrate the case where the money really was sent.
    #[arg(long = "truth", value_delimiter = ',')]
    pub truths: Vec<String>,
    /// Language (default: the scenario's first locale).
    #[arg(long, value_parser = parse_locale)]
    pub lang: Option<Locale>,
    /// Scripted answers: choice ids or 1-based option numbers, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub choices: Option<Vec<String>>,
    /// Preparation checklist ids to tick, comma-separated (scripted play).
    #[arg(long, value_delimiter = ',')]
    pub prepare: Option<Vec<String>>,
    /// The trainee's name, as the debtor will use it. Given a name, the attempt is saved in
    /// the results database under it (see --db).
    #[arg(long)]
    pub trainee: Option<String>,
    /// The trainee's team, for the results database.
    #[arg(long, requires = "trainee")]
    pub team: Option<String>,
    /// Exam mode: no feedback until the debrief (recorded as an exam attempt).
    #[arg(long)]
    pub exam: bool,
    /// Print the result as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Line protocol for programs: one JSON object per turn, one choice id per stdin line.
    #[arg(long, conflicts_with = "choices")]
    pub json_steps: bool,
}

/// Arguments of `quiz`.
#[derive(Debug, clap::Args)]
pub struct QuizArgs {
    /// A quiz bank id (default: all banks).
    pub bank: Option<String>,
    /// How many questions, 1 to 100 (what a quiz code can carry).
    #[arg(
        long,
        default_value_t = 10,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
            .range(1..=crate::domain::quiz::MAX_COUNT as u64)
    )]
    pub count: usize,
    /// Only this syllabus topic (repeat for several).
    #[arg(long)]
    pub topic: Vec<String>,
    /// Only this difficulty.
    #[arg(long, value_enum)]
    pub difficulty: Option<DifficultyArg>,
    /// The seed: the same seed (with the same count and filters) gives the same quiz.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A quiz code such as 10-4821 or 10-4821-preparation-hard (count, seed, topics,
    /// difficulty), as shown after a quiz and in the game: the whole class gets the same quiz.
    #[arg(long, conflicts_with_all = ["count", "topic", "difficulty", "seed"])]
    pub code: Option<String>,
    /// Language.
    #[arg(long, value_parser = parse_locale)]
    pub lang: Option<Locale>,
    /// Scripted answers, one per question, comma-separated: a letter (B), letters for several
    /// (A+C), T or F, or letters in order (C-A-B).
    #[arg(long, value_delimiter = ',')]
    pub answers: Option<Vec<String>>,
    /// Save the result in the results database under this trainee (see --db).
    #[arg(long, conflicts_with = "print")]
    pub trainee: Option<String>,
    /// The trainee's team, for the results database.
    #[arg(long, requires = "trainee")]
    pub team: Option<String>,
    /// Exam mode: no marking until the end (recorded as an exam).
    #[arg(long)]
    pub exam: bool,
    /// Print the drawn quiz (questions and lettered options, no answers) and stop: a paper
    /// copy for the class, or, with --json, the layout a program needs to script --answers.
    #[arg(long, conflicts_with = "answers")]
    pub print: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// What to produce.
    #[arg(value_enum)]
    pub format: ReportFormat,
    /// Only this classroom session (its id, as `report summary` lists them).
    #[arg(long)]
    pub session: Option<i64>,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// xAPI: one statement per line instead of one JSON array.
    #[arg(long)]
    pub ndjson: bool,
    /// xAPI: the IRI under which activities, accounts and extensions are named (your
    /// learning system's address).
    #[arg(long, value_name = "IRI", default_value = crate::report::xapi::DEFAULT_BASE)]
    pub iri_base: String,
    /// Language of the HTML report and the summary.
    #[arg(long, value_parser = parse_locale, default_value = "zh-CN")]
    pub lang: Locale,
    /// xAPI: leave what was said (lines, options) out of the statements (ids, scores and
    /// times stay).
    #[arg(long)]
    pub no_dialogue_text: bool,
    /// xAPI: send to the LRS set with `lrs set` instead of writing a file: every result not
    /// sent yet, exactly once. Prints how many were sent, are pending and were refused.
    #[arg(long, conflicts_with_all = ["output", "ndjson", "session"])]
    pub send: bool,
    /// With --send: queue the statements the LRS refused before once more.
    #[arg(long, requires = "send")]
    pub retry_refused: bool,
    /// CSV: which table, each a file of its own so a spreadsheet can filter and sort it
    /// [default: attempts]. xapi, html and summary hold every kind of result.
    #[arg(long, value_enum)]
    pub what: Option<ReportWhat>,
}

/// The tables `report csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportWhat {
    /// One row per attempt.
    Attempts,
    /// One row per campaign result: scores, cash, what is left by risk grade.
    Campaigns,
}

/// Formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One row per attempt (or, with --what campaigns, per campaign result), UTF-8 with BOM
    /// (opens in Excel).
    Csv,
    /// xAPI statements (JSON).
    Xapi,
    /// A printable HTML report with a chart per session.
    Html,
    /// Sessions, leaderboards (and campaign boards), trainees, scenarios and campaigns in the
    /// terminal.
    Summary,
}

/// Difficulty filter for `quiz`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DifficultyArg {
    /// Easy.
    Easy,
    /// Medium.
    Medium,
    /// Hard.
    Hard,
}

impl From<DifficultyArg> for crate::domain::content::model::Difficulty {
    fn from(d: DifficultyArg) -> Self {
        match d {
            DifficultyArg::Easy => crate::domain::content::model::Difficulty::Easy,
            DifficultyArg::Medium => crate::domain::content::model::Difficulty::Medium,
            DifficultyArg::Hard => crate::domain::content::model::Difficulty::Hard,
        }
    }
}

/// Diagram language for `graph`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GraphFormatArg {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

/// Parses a language tag for clap.
pub fn parse_locale(s: &str) -> Result<Locale, String> {
    Locale::from_tag(s)
        .ok_or_else(|| format!("unknown language `{s}`: use {}", Locale::tags_list()))
}

/// Tells on stderr that `what` (content named by the user's `--lang wanted`) is shown in
/// `served`, its fallback (zh-TW: zh-CN), and which of `all` (content of the same kind: id and
/// `locales`) is written in `wanted`; says nothing when `served` is `wanted`.
fn fallback_note<'a>(
    wanted: Locale,
    served: Locale,
    what: &str,
    all: impl IntoIterator<Item = (&'a str, &'a [String])>,
) {
    if served == wanted {
        return;
    }
    let offering: Vec<&str> = all
        .into_iter()
        .filter(|(_, locales)| wanted.served_by(locales) == Some(wanted))
        .map(|(id, _)| id)
        .collect();
    let offering = if offering.is_empty() {
        "none yet".to_owned()
    } else {
        offering.join(", ")
    };
    eprintln!(
        "note: not written in {wanted}: {what}; shown in {served} (written in {wanted}: {offering})"
    );
}

/// A command failed: one sentence for the user, and the exit code.
#[derive(Debug, Clone)]
pub struct Failure {
    /// What went wrong and what to do.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

/// Runs a command and returns the process exit code.
pub fn run(cli: Cli, command: Command) -> ExitCode {
    let result = match command {
        Command::List { json, lang } => content_cmds::list(&load(&cli.content), json, lang),
        Command::Lint { paths, json } => {
            let paths = if paths.is_empty() {
                cli.content.clone()
            } else {
                paths
            };
            content_cmds::lint(&paths, json)
        }
        Command::Play(args) => play::play(&load(&cli.content), &args, cli.db.as_deref()),
        Command::Audit {
            scenarios,
            plays,
            json,
        } => audit::run(&load(&cli.content), &scenarios, plays, json),
        Command::Sim {
            scenario,
            runs,
            seed,
            exhaustive,
            model,
            limit,
            json,
        } => content_cmds::sim(
            &load(&cli.content),
            &scenario,
            runs,
            seed,
            exhaustive,
            model,
            limit,
            json,
        ),
        Command::Coverage => content_cmds::coverage(&load(&cli.content)),
        Command::Quiz(args) => quiz::quiz(&load(&cli.content), &args, cli.db.as_deref()),
        Command::Report(args) => report::report(&load(&cli.content), &args, cli.db.as_deref()),
        Command::ResetPin => record::reset_pin(cli.db.as_deref()),
        Command::Lrs(command) => lrs::run(&command, cli.db.as_deref()),
        Command::Launch(args) => launch::launch(&load(&cli.content), &args, cli.db.as_deref()),
        Command::Cmi5Course(args) => launch::course(&load(&cli.content), &args),
        #[cfg(feature = "scripted")]
        Command::Soak { scenario, count } => {
            soak::soak(&load(&cli.content), cli.db.as_deref(), &scenario, count)
        }
        Command::Campaign(command) => {
            campaign::run(&load(&cli.content), &command, cli.db.as_deref())
        }
        Command::Strings(command) => strings::run(&cli.content, &command),
        Command::Graph { scenario, format } => {
            content_cmds::graph(&load(&cli.content), &scenario, format)
        }
    };
    match result {
        Ok(code) => {
            // What is still buffered must reach the file too: a failed last write is a failure.
            if let Err(e) = std::io::stdout().flush() {
                stdout_failed(&e);
            }
            ExitCode::from(code)
        }
        Err(f) => {
            let _ = std::io::stdout().flush();
            print_failure(&f);
            ExitCode::from(f.code)
        }
    }
}

/// For `launch` in the game window: the checked launch (URL, statement options, the learner's
/// name), or the exit code after saying why in the terminal.
#[cfg(feature = "game")]
pub fn launch_for_window(
    cli: &Cli,
    args: &launch::LaunchArgs,
) -> Result<(crate::cmi5::LaunchUrl, crate::cmi5::Options, String), ExitCode> {
    launch::for_window(&load(&cli.content), args, cli.db.as_deref()).map_err(|f| {
        print_failure(&f);
        ExitCode::from(f.code)
    })
}

/// A failure that must still be told if stdout fails before the command ends: a save that
/// failed while the result it belongs to is being printed.
static PENDING: std::sync::Mutex<Option<Failure>> = std::sync::Mutex::new(None);

/// Registers `f` to be reported even if printing what comes before it fails.
fn defer_failure(f: &Failure) {
    if let Ok(mut pending) = PENDING.lock() {
        *pending = Some(f.clone());
    }
}

/// Stdout could not be written: exit quietly (0) when the reader has gone away (`| head`),
/// otherwise (a full disk, an I/O error) say so and exit 1. A deferred failure is told either
/// way, with its own exit code.
pub(crate) fn stdout_failed(e: &std::io::Error) -> ! {
    let pending = PENDING.lock().ok().and_then(|mut p| p.take());
    let mut code = 0;
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        print_failure(&Failure {
            message: format!("cannot write to standard output: {e}"),
            code: 1,
        });
        code = 1;
    }
    if let Some(f) = pending {
        print_failure(&f);
        code = code.max(f.code);
    }
    std::process::exit(i32::from(code))
}

/// `error: …` on stderr, in red where stderr is a terminal that shows colour.
fn print_failure(f: &Failure) {
    let red = anstyle::AnsiColor::Red.on_default();
    anstream::eprintln!("{red}error: {}{red:#}", f.message);
}

/// Loads the content, taking unchanged scenarios' analyses from the disk cache (see
/// [`AnalysisCache::from_env`]). A cache that cannot be written costs time, not the command:
/// it is said once, with what to do.
fn load(paths: &[PathBuf]) -> Library {
    let cache = AnalysisCache::from_env();
    let lib = Library::load_with(paths, &cache);
    if let Some(problem) = cache.problem() {
        eprintln!(
            "note: {problem}; analyses are redone on every run. Set {CACHE_ENV} to a writable folder, or to `{CACHE_OFF}`."
        );
    }
    lib
}

/// Finds a playable scenario or explains why not in one sentence.
fn find<'a>(
    lib: &'a Library,
    id: &str,
) -> Result<&'a std::sync::Arc<crate::domain::engine::Compiled>, Failure> {
    if id.trim().is_empty() {
        return Err(Failure::usage(
            "the scenario id is empty; `dunning-dojo list` shows the scenarios",
        ));
    }
    if let Some(c) = lib.scenario(id) {
        return Ok(c);
    }
    let broken = lib.diagnostics.iter().any(|d| {
        d.level == crate::domain::diagnostics::Level::Error
            && lib
                .sources
                .get(&d.path)
                .is_some_and(|t| t.contains(&format!("\"{id}\"")))
    });
    if broken {
        return Err(Failure::usage(format!(
            "scenario `{id}` has content errors; run `dunning-dojo lint` to see them"
        )));
    }
    let known: Vec<&str> = lib.scenarios.keys().map(String::as_str).collect();
    let hint = match crate::domain::diagnostics::suggest(id, &known) {
        Some(s) => format!("did you mean `{s}`?"),
        None if known.is_empty() => "no playable scenarios were found; check --content".to_owned(),
        None => format!("known scenarios: {}", known.join(", ")),
    };
    Err(Failure::usage(format!("unknown scenario `{id}`; {hint}")))
}
