//! One launch session: the token fetched once, `LMS.LaunchData` and the learner's language
//! read, this registration's earlier results looked up, `initialized` sent; then the result's
//! statements under the cmi5 rules, and `terminated` last. Every send is retried with a
//! growing wait before the learner is told the LMS did not get it.

use std::thread::sleep;
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::error::{Cmi5Error, Problem};
use super::launch_data::{LaunchData, LaunchMode, STATE_ID};
use super::launch_url::{Au, LaunchUrl};
use crate::domain::library::Library;
use crate::domain::quiz::QuizSpec;
use crate::domain::text::Locale;
use crate::lrs::{Lrs, Posted, client::fetch_token};
use crate::report::xapi::{CATEGORY_CMI5, Catalog, Cmi5Profile, Xapi};
use crate::store::{StatementSource as _, StoredAttempt, StoredQuiz};

const VERBS: &str = "http://adlnet.gov/expapi/verbs/";

/// How a launch is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// The IRI base of the game's own activities and extensions (scenarios, turns).
    pub iri_base: String,
    /// Whether what was said goes into the statements.
    pub dialogue_text: bool,
    /// Sends per batch before giving up.
    pub tries: u32,
    /// The wait after the first failed send (doubling after each).
    pub first_wait: Duration,
    /// The language asked for (the learner's preference from the LMS otherwise, where the
    /// content has it, else the content's first).
    pub language: Option<Locale>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            iri_base: crate::report::xapi::DEFAULT_BASE.to_owned(),
            dialogue_text: true,
            tries: 4,
            first_wait: Duration::from_millis(500),
            language: None,
        }
    }
}

/// What to play, resolved against the content.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A scenario (its id, present in the library), to be played with `seed`.
    Scenario {
        /// The scenario id.
        id: String,
        /// The seed (from the session id, so each launch plays differently).
        seed: u64,
    },
    /// A quiz over `banks` (all when empty) drawn by `spec`.
    Quiz {
        /// The banks, by id; empty for every bank.
        banks: Vec<String>,
        /// What to draw (the seed from the session id unless the AU's url fixed a code).
        spec: QuizSpec,
    },
}

/// A finished result, as recorded on this computer.
#[derive(Clone, Copy, Debug)]
pub enum Played<'a> {
    /// A scenario attempt.
    Attempt(&'a StoredAttempt),
    /// A quiz result.
    Quiz(&'a StoredQuiz),
}

/// A statement cmi5 kept back, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withheld {
    /// Its verb (`completed`, `passed`, `failed`).
    pub verb: String,
    /// Why, in a sentence for the learner.
    pub why: String,
}

/// What one step of the launch sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The verbs the LRS took, in order (`answered` once per turn).
    pub sent: Vec<String>,
    /// Verdict statements not sent, with the reason.
    pub withheld: Vec<Withheld>,
}

/// What this registration already holds for the AU (cmi5 allows one `completed` and one
/// `passed` per registration, and no `failed` after a `passed`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Earlier {
    /// A `completed` is recorded.
    pub completed: bool,
    /// A `passed` is recorded.
    pub passed: bool,
}

/// A launch in progress. See the module `crate::cmi5` for the order of calls.
#[derive(Debug)]
pub struct Launch {
    url: LaunchUrl,
    data: LaunchData,
    lrs: Lrs,
    xapi: Xapi,
    what: Value,
    language: Locale,
    preferred: Option<Locale>,
    earlier: Earlier,
    initialized_at: jiff::Timestamp,
    last_at: jiff::Timestamp,
    options: Options,
    finished: bool,
    pending: Vec<Value>,
}

fn lrs_problem(e: impl std::fmt::Display) -> Cmi5Error {
    Cmi5Error::new(
        Problem::Lrs,
        format!(
            "the LMS's learning record store could not be read ({e}); nothing was played or sent: launch the course again from the LMS, and if it happens again tell its administrator"
        ),
    )
}

/// A seed from the session id: six digits, so a quiz code stays short to read out.
pub fn seed_of(session_id: &str) -> u64 {
    let digest = Sha256::digest(session_id.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes) % 1_000_000
}

/// What `url` plays, checked against `lib` before anything is asked of the LMS; the seed
/// comes from `session_id`.
pub fn resolve(url: &LaunchUrl, lib: &Library, session_id: &str) -> Result<Target, Cmi5Error> {
    let seed = seed_of(session_id);
    match &url.au {
        Au::Scenario(id) => {
            check_scenario(lib, id)?;
            Ok(Target::Scenario {
                id: id.clone(),
                seed,
            })
        }
        Au::Quiz { bank, count, code } => {
            check_bank(lib, bank.as_deref())?;
            let spec = match code {
                Some(code) => QuizSpec::from_code(code).map_err(|e| {
                    Cmi5Error::new(
                        Problem::Url,
                        format!(
                            "the quiz AU's `code`: {e}; fix the AU's url in the course structure"
                        ),
                    )
                })?,
                None => QuizSpec {
                    count: count.unwrap_or(QuizSpec::default().count),
                    seed,
                    ..QuizSpec::default()
                },
            };
            Ok(Target::Quiz {
                banks: bank.iter().cloned().collect(),
                spec,
            })
        }
    }
}

/// Checks that `url` names content `lib` has (before the token is spent on it).
pub fn check_content(url: &LaunchUrl, lib: &Library) -> Result<(), Cmi5Error> {
    match &url.au {
        Au::Scenario(id) => check_scenario(lib, id),
        Au::Quiz { bank, .. } => check_bank(lib, bank.as_deref()),
    }
}

fn check_scenario(lib: &Library, id: &str) -> Result<(), Cmi5Error> {
    if lib.scenario(id).is_some() {
        return Ok(());
    }
    Err(Cmi5Error::new(
        Problem::Target,
        format!(
            "the course launches scenario `{id}`, which this copy of the game does not have (or cannot play: `dunning-dojo lint` says why); update the game, or the course structure (`dunning-dojo cmi5-course`)"
        ),
    ))
}

fn check_bank(lib: &Library, bank: Option<&str>) -> Result<(), Cmi5Error> {
    let ok = match bank {
        Some(b) => lib.quiz_banks.contains_key(b),
        None => !lib.quiz_banks.is_empty(),
    };
    if ok {
        return Ok(());
    }
    Err(Cmi5Error::new(
        Problem::Target,
        format!(
            "the course launches quiz bank `{}`, which this copy of the game does not have; update the game, or the course structure (`dunning-dojo cmi5-course`)",
            bank.unwrap_or("all")
        ),
    ))
}

/// The languages `target` is written in, in the content's order (a quiz: those every bank has).
fn languages(lib: &Library, target: &Target) -> Vec<Locale> {
    match target {
        Target::Scenario { id, .. } => lib
            .scenario(id)
            .map(|c| {
                c.scenario
                    .locales
                    .iter()
                    .filter_map(|t| Locale::from_tag(t))
                    .collect()
            })
            .unwrap_or_default(),
        Target::Quiz { banks, .. } => {
            let all: Vec<_> = match banks.as_slice() {
                [] => lib.quiz_banks.values().collect(),
                ids => ids.iter().filter_map(|b| lib.quiz_banks.get(b)).collect(),
            };
            Locale::ALL
                .into_iter()
                .filter(|l| {
                    all.iter()
                        .all(|b| b.locales.iter().any(|t| Locale::from_tag(t) == Some(*l)))
                })
                .collect()
        }
    }
}

/// The first language of a cmi5 `languagePreference` list the game has.
pub fn preferred_language(list: &str) -> Option<Locale> {
    list.split(',').find_map(|tag| {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    })
}

impl Launch {
    /// Starts a launch: checks the URL's content against `lib`, fetches the token (once),
    /// reads `LMS.LaunchData` and the learner's language, looks up what this registration
    /// already holds, and sends `initialized`. Returns the launch and what to play.
    pub fn start(
        url: &LaunchUrl,
        lib: &Library,
        options: &Options,
    ) -> Result<(Launch, Target), Cmi5Error> {
        check_content(url, lib)?;
        let token = fetch_token(&url.fetch).map_err(|e| Cmi5Error::new(Problem::Token, e.0))?;
        let lrs = Lrs::with_authorization(&url.endpoint, token);
        let agent = url.actor.to_string();
        let registration = url.registration.to_string();
        let doc = lrs
            .get(
                "activities/state",
                &[
                    ("stateId", STATE_ID),
                    ("activityId", &url.activity_id),
                    ("agent", &agent),
                    ("registration", &registration),
                ],
            )
            .map_err(|e| {
                Cmi5Error::new(
                    Problem::LaunchData,
                    format!(
                        "the LMS's {STATE_ID} document could not be read ({e}); launch the course again from the LMS, and if it happens again tell its administrator"
                    ),
                )
            })?
            .ok_or_else(|| {
                Cmi5Error::new(
                    Problem::LaunchData,
                    format!(
                        "the LMS has no {STATE_ID} document for this launch at {}activities/state; cmi5 requires the LMS to write it before launching, so the launch cannot go on: tell the LMS's administrator",
                        url.endpoint
                    ),
                )
            })?;
        let data = LaunchData::from_json(&doc)?;
        let target = resolve(url, lib, &data.session_id)?;
        // cmi5 11: the learner's preferences are read at start; an LRS that keeps none, or
        // refuses (403), leaves the choice to the game.
        let preferred = lrs
            .get(
                "agents/profile",
                &[("agent", &agent), ("profileId", "cmi5LearnerPreferences")],
            )
            .ok()
            .flatten()
            .and_then(|p| {
                p["languagePreference"]
                    .as_str()
                    .and_then(preferred_language)
            });
        let earlier = earlier(&lrs, url)?;
        let xapi = Xapi::new(&options.iri_base, "en")
            .with_catalog(Catalog::from_library(lib))
            .with_dialogue_text(options.dialogue_text)
            .with_cmi5(Cmi5Profile {
                actor: url.actor.clone(),
                registration: url.registration,
                session_id: data.session_id.clone(),
                activity_id: url.activity_id.clone(),
                context_template: data.context_template.clone(),
                mastery_score: data.mastery_score,
            });
        let written = languages(lib, &target);
        let language = options
            .language
            .or(preferred.filter(|l| written.contains(l)))
            .or(written.first().copied())
            .unwrap_or(Locale::ZhCn);
        let what = match &target {
            Target::Scenario { id, .. } => xapi.scenario_activity(id),
            Target::Quiz { spec, .. } => xapi.quiz_activity(&spec.code()),
        };
        let now = crate::store::now();
        let mut launch = Launch {
            url: url.clone(),
            data,
            lrs,
            xapi,
            what,
            language,
            preferred,
            earlier,
            initialized_at: now,
            last_at: now,
            options: options.clone(),
            finished: false,
            pending: Vec::new(),
        };
        let initialized = launch.session_statement("initialized", now, None);
        launch.deliver(vec![initialized])?;
        Ok((launch, target))
    }

    /// The launch URL.
    pub fn url(&self) -> &LaunchUrl {
        &self.url
    }

    /// The LMS's launch data.
    pub fn data(&self) -> &LaunchData {
        &self.data
    }

    /// The learner's preferred language, when the LMS keeps one the game has.
    pub fn preferred_language(&self) -> Option<Locale> {
        self.preferred
    }

    /// The language to play in: the one asked for in [`Options`], else the learner's
    /// preference where the content has it, else the content's first.
    pub fn language(&self) -> Locale {
        self.language
    }

    /// Tells the launch the language played in, when the learner changes it (for the
    /// `terminated` statement's context).
    pub fn set_language(&mut self, language: Locale) {
        self.language = language;
    }

    /// What this registration held for the AU when the launch started.
    pub fn earlier(&self) -> Earlier {
        self.earlier
    }

    /// The LMS's return URL, to show or open when the learner is done.
    pub fn return_url(&self) -> Option<&str> {
        self.data.return_url.as_deref()
    }

    /// Sends a finished result: its `answered` statements (cmi5 allowed), then `completed`
    /// and `passed`/`failed` where cmi5 lets them be sent: only in Normal launch mode, no
    /// second `completed` or `passed` in the registration, no `failed` after a `passed`.
    /// Once per launch; statements the LRS did not take are tried again by
    /// [`Launch::terminate`].
    pub fn finish(&mut self, played: Played<'_>) -> Result<Report, Cmi5Error> {
        if self.finished {
            return Err(Cmi5Error::new(
                Problem::Order,
                "this launch already sent its result; cmi5 allows one per session",
            ));
        }
        self.finished = true;
        let all = match played {
            Played::Attempt(a) => self.xapi.attempt(a),
            Played::Quiz(q) => self.xapi.quiz(q),
        };
        let mut report = Report::default();
        let mut batch = Vec::new();
        for s in all {
            let verb = verb_of(&s);
            if verb == "initialized" || verb == "terminated" {
                // This session's own, sent by `start` and `terminate`.
                continue;
            }
            match self.why_withheld(&verb) {
                Some(why) => report.withheld.push(Withheld { verb, why }),
                None => {
                    report.sent.push(verb);
                    batch.push(s);
                }
            }
        }
        if let Some(last) = batch.iter().filter_map(|s| s["timestamp"].as_str()).max()
            && let Ok(t) = last.parse::<jiff::Timestamp>()
        {
            self.last_at = self.last_at.max(t);
        }
        self.deliver(batch)?;
        if report.sent.iter().any(|v| v == "passed") {
            self.earlier.passed = true;
        }
        if report.sent.iter().any(|v| v == "completed") {
            self.earlier.completed = true;
        }
        Ok(report)
    }

    /// Ends the session: `terminated` with the session's duration, after anything
    /// [`Launch::finish`] could not deliver.
    pub fn terminate(mut self) -> Result<Report, Cmi5Error> {
        let now = crate::store::now().max(self.last_at);
        let spent = now.duration_since(self.initialized_at).as_millis().max(0) as i64;
        let mut report = Report {
            sent: self.pending.iter().map(verb_of).collect(),
            withheld: Vec::new(),
        };
        let terminated = self.session_statement("terminated", now, Some(spent));
        self.deliver(vec![terminated])?;
        report.sent.push("terminated".to_owned());
        Ok(report)
    }

    fn session_statement(&self, verb: &str, at: jiff::Timestamp, ms: Option<i64>) -> Value {
        self.xapi
            .cmi5_session(
                verb,
                &crate::store::stamp(at),
                ms,
                &self.what,
                self.language.tag(),
            )
            .expect("a launch's statement maker has the cmi5 profile")
    }

    /// Why cmi5 keeps the statement with `verb` back in this launch, if it does.
    fn why_withheld(&self, verb: &str) -> Option<String> {
        let verdict = matches!(verb, "completed" | "passed" | "failed");
        if verdict && self.data.launch_mode != LaunchMode::Normal {
            return Some(format!(
                "the LMS launched this in {} mode, which records no result",
                self.data.launch_mode.as_str()
            ));
        }
        match verb {
            "completed" if self.earlier.completed => {
                Some("the LMS already has this course unit completed in your registration".into())
            }
            "passed" if self.earlier.passed => {
                Some("the LMS already has this course unit passed in your registration".into())
            }
            "failed" if self.earlier.passed => Some(
                "the LMS already has this course unit passed in your registration, and a pass stands"
                    .into(),
            ),
            _ => None,
        }
    }

    /// Posts `batch` after anything still pending, retrying an unreachable LRS with a
    /// doubling wait. A refused batch is dropped (sending it again would be refused again).
    fn deliver(&mut self, batch: Vec<Value>) -> Result<(), Cmi5Error> {
        self.pending.extend(batch);
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut wait = self.options.first_wait;
        let mut last = String::new();
        for attempt in 1..=self.options.tries.max(1) {
            match self.lrs.post_statements(&self.pending) {
                Posted::Stored | Posted::Duplicate => {
                    self.pending.clear();
                    return Ok(());
                }
                Posted::Refused { reason, .. } => {
                    let verbs = self.pending_verbs();
                    self.pending.clear();
                    return Err(self.not_delivered(&verbs, &format!("it refused them: {reason}")));
                }
                Posted::Unauthorised { reason, .. } => {
                    return Err(self.not_delivered(
                        &self.pending_verbs(),
                        &format!("it refused the launch's token: {reason}"),
                    ));
                }
                Posted::Unreachable { reason } => last = reason,
            }
            if attempt < self.options.tries {
                sleep(wait);
                wait = wait.saturating_mul(2);
            }
        }
        Err(self.not_delivered(
            &self.pending_verbs(),
            &format!(
                "it did not answer after {} tries: {last}",
                self.options.tries.max(1)
            ),
        ))
    }

    fn pending_verbs(&self) -> Vec<String> {
        self.pending.iter().map(verb_of).collect()
    }

    fn not_delivered(&self, verbs: &[String], why: &str) -> Cmi5Error {
        let mut names: Vec<&str> = Vec::new();
        for v in verbs {
            if !names.contains(&v.as_str()) {
                names.push(v);
            }
        }
        Cmi5Error::new(
            Problem::NotDelivered,
            format!(
                "the LMS did NOT get {} from this launch: its learning record store at {} {why}",
                names.join(", "),
                self.url.endpoint
            ),
        )
    }
}

/// What this registration already holds for the AU: its cmi5 defined `completed` and
/// `passed` statements. Read by registration alone and filtered here, because not every LRS
/// applies the `activity` and `verb` filters (ralph's file backend returns nothing with them).
pub fn earlier(lrs: &Lrs, url: &LaunchUrl) -> Result<Earlier, Cmi5Error> {
    let registration = url.registration.to_string();
    let statements = lrs
        .statements(&[("registration", &registration)])
        .map_err(lrs_problem)?;
    let mut e = Earlier::default();
    for s in &statements {
        let defined = s["context"]["contextActivities"]["category"]
            .as_array()
            .is_some_and(|c| c.iter().any(|a| a["id"] == CATEGORY_CMI5));
        if !defined || s["object"]["id"] != json!(url.activity_id) {
            continue;
        }
        match s["verb"]["id"].as_str().and_then(|v| v.strip_prefix(VERBS)) {
            Some("completed") => e.completed = true,
            Some("passed") => e.passed = true,
            _ => {}
        }
    }
    Ok(e)
}

/// The last part of a statement's verb id.
fn verb_of(statement: &Value) -> String {
    statement["verb"]["id"]
        .as_str()
        .and_then(|id| id.rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_preference_picks_the_first_the_game_has() {
        assert_eq!(preferred_language("fr-FR,en-US,zh-CN"), Some(Locale::En));
        assert_eq!(preferred_language("zh-Hans"), Some(Locale::ZhCn));
        assert_eq!(preferred_language("fr-FR,de"), None);
        assert_eq!(preferred_language(""), None);
    }

    fn url(au: Au) -> LaunchUrl {
        LaunchUrl {
            au,
            endpoint: "http://127.0.0.1:1/xapi/".into(),
            fetch: "http://127.0.0.1:1/fetch".into(),
            actor: json!({ "account": { "homePage": "https://lms", "name": "1" } }),
            registration: uuid::Uuid::from_u128(1),
            activity_id: "https://lms/au/1".into(),
        }
    }

    #[test]
    fn what_to_play_is_resolved_against_the_content() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        let lib = Library::load(&[dir]);
        let seed = seed_of("s-9");
        assert_eq!(
            resolve(&url(Au::Scenario("test_call".into())), &lib, "s-9"),
            Ok(Target::Scenario {
                id: "test_call".into(),
                seed
            })
        );
        let quiz = |count, code: Option<&str>| Au::Quiz {
            bank: Some("test_bank".into()),
            count,
            code: code.map(str::to_owned),
        };
        let Ok(Target::Quiz { banks, spec }) = resolve(&url(quiz(Some(4), None)), &lib, "s-9")
        else {
            panic!("a quiz of the fixture bank");
        };
        assert_eq!(
            (banks, spec.count, spec.seed),
            (vec!["test_bank".to_owned()], 4, seed)
        );
        let Ok(Target::Quiz { spec, .. }) = resolve(&url(quiz(None, Some("3-77"))), &lib, "s-9")
        else {
            panic!("a quiz by its code");
        };
        assert_eq!(spec.code(), "3-77");
        let bad_code = resolve(&url(quiz(None, Some("x"))), &lib, "s").unwrap_err();
        assert_eq!(bad_code.problem, Problem::Url);
        let unknown = resolve(&url(Au::Scenario("nope".into())), &lib, "s").unwrap_err();
        assert_eq!(unknown.problem, Problem::Target);
        assert!(unknown.message.contains("scenario `nope`"), "{unknown}");
        let no_bank = Au::Quiz {
            bank: Some("nope".into()),
            count: None,
            code: None,
        };
        let unknown = check_content(&url(no_bank), &lib).unwrap_err();
        assert!(unknown.message.contains("quiz bank `nope`"), "{unknown}");
    }

    #[test]
    fn a_launch_can_be_handed_to_another_thread() {
        // The game runs the blocking calls off its frame loop.
        fn send<T: Send + 'static>() {}
        send::<Launch>();
        send::<Target>();
        send::<Cmi5Error>();
    }

    #[test]
    fn seeds_are_short_and_follow_the_session() {
        assert_eq!(seed_of("s-1"), seed_of("s-1"));
        assert_ne!(seed_of("s-1"), seed_of("s-2"));
        assert!(seed_of("anything") < 1_000_000);
    }
}
