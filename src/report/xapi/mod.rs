//! The xAPI statements of the results, for a learning record store (LRS). Every result is a
//! session in the order cmi5 asks for: `initialized` first; one `answered` per conversation
//! turn or quiz question (timestamped when it was answered, with the options offered as
//! `choices` in every language the content has); `completed` with the duration; `passed` or
//! `failed` with the score (the only statements that carry one); `terminated` last. Statement
//! ids are UUID v5 of the result's registration, so sending twice stores nothing twice.

mod build;
mod catalog;
mod cmi5;

use serde_json::Value;

use super::ReportData;
use crate::store::{StatementSource, StoredAttempt, StoredCampaign, StoredQuiz};

pub use catalog::Catalog;
pub use cmi5::{CATEGORY_CMI5, CATEGORY_MOVEON, Cmi5Profile, EXT_MASTERY, EXT_SESSION};

/// The default IRI base (the reserved `.invalid` domain: set `--iri-base` to your LMS).
pub const DEFAULT_BASE: &str = "https://dunning-dojo.invalid/xapi/";

/// ISO 8601 duration from milliseconds (`PT83.250S`).
pub fn duration(ms: i64) -> String {
    format!("PT{}.{:03}S", ms / 1000, ms % 1000)
}

/// `iri` with a `/` at the end (added when missing), so paths can be appended.
pub fn with_slash(iri: &str) -> String {
    if iri.ends_with('/') {
        iri.to_owned()
    } else {
        format!("{iri}/")
    }
}

/// How statements are made: the IRI base, the language of names without a translation, whether
/// dialogue text goes into them, and the content they describe.
#[derive(Clone, Debug)]
pub struct Xapi {
    base: String,
    lang: String,
    dialogue_text: bool,
    catalog: Catalog,
    cmi5: Option<Cmi5Profile>,
}

impl Xapi {
    /// Statements under `base` (a `/` is added when missing) with names in `lang` where the
    /// catalog has none, dialogue text included, and no catalog (names are ids).
    pub fn new(base: &str, lang: &str) -> Xapi {
        Xapi {
            base: with_slash(base),
            lang: lang.to_owned(),
            dialogue_text: true,
            catalog: Catalog::default(),
            cmi5: None,
        }
    }

    /// Names, and the options of each turn, from `catalog`.
    pub fn with_catalog(mut self, catalog: Catalog) -> Xapi {
        self.catalog = catalog;
        self
    }

    /// Whether what was said (the debtor's lines, the trainee's lines, the options' texts)
    /// goes into statements; `false` leaves it out for privacy, keeping ids, scores and times.
    pub fn with_dialogue_text(mut self, on: bool) -> Xapi {
        self.dialogue_text = on;
        self
    }

    /// Statements in a cmi5 launch (see [`Cmi5Profile`]): the LMS's actor, registration,
    /// context template and AU, the cmi5 categories, and the verdict by its mastery score.
    pub fn with_cmi5(mut self, profile: Cmi5Profile) -> Xapi {
        self.cmi5 = Some(profile);
        self
    }

    /// The cmi5 profile, in a launch.
    pub fn cmi5(&self) -> Option<&Cmi5Profile> {
        self.cmi5.as_ref()
    }

    /// Every statement of `data`: attempts in play order, then quizzes, then campaigns.
    pub fn statements(&self, data: &ReportData) -> Vec<Value> {
        let mut out: Vec<Value> = data.attempts.iter().flat_map(|a| self.attempt(a)).collect();
        out.extend(data.quizzes.iter().flat_map(|q| self.quiz(q)));
        out.extend(data.campaigns.iter().flat_map(|c| self.campaign(c)));
        out
    }
}

impl StatementSource for Xapi {
    fn attempt(&self, attempt: &StoredAttempt) -> Vec<Value> {
        build::attempt(self, attempt)
    }

    fn quiz(&self, quiz: &StoredQuiz) -> Vec<Value> {
        build::quiz(self, quiz)
    }

    fn campaign(&self, campaign: &StoredCampaign) -> Vec<Value> {
        build::campaign(self, campaign)
    }
}

/// Checks an IRI base given by the trainer: it must be absolute `http://` or `https://` with a
/// host, and free of white space, control characters, a query or a fragment, because every
/// activity, account and extension id is the base with a path appended.
pub fn check_base(base: &str) -> Result<(), String> {
    let explain = |why: &str| {
        Err(format!(
            "--iri-base {base:?} {why}; give an absolute http(s) address such as https://lms.example.com/xapi/"
        ))
    };
    let lower = base.to_ascii_lowercase();
    let Some(rest) = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.starts_with(scheme).then(|| &base[scheme.len()..]))
    else {
        return explain("is not an http(s) IRI");
    };
    if let Some(c) = base
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(*c))
    {
        return explain(&format!("contains {c:?}"));
    }
    if base.contains(['?', '#']) {
        return explain("has a query or fragment");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return explain("has no host");
    }
    Ok(())
}

/// The statements as one pretty JSON array, or one compact statement per line.
pub fn render(statements: &[Value], ndjson: bool) -> String {
    if ndjson {
        statements.iter().map(|s| format!("{s}\n")).collect()
    } else {
        serde_json::to_string_pretty(statements).unwrap_or_else(|_| "[]".into()) + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_iri_bases_are_accepted() {
        for good in [
            DEFAULT_BASE,
            "https://lms.example.com/xapi",
            "HTTP://lms.example.com:8080/",
            "https://user@[::1]:8443/x/",
            "https://培训.example.cn/xapi/",
        ] {
            assert_eq!(check_base(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "lms.example.com/xapi/",
            "/xapi/",
            "ftp://lms.example.com/",
            "https://",
            "https:///xapi/",
            "https://:80/",
            "https://lms.example.com/x y/",
            "https://lms.example.com/\u{1b}[31m",
            "https://lms.example.com/?q=1",
            "https://lms.example.com/#top",
        ] {
            let err = check_base(bad).unwrap_err();
            assert!(err.contains("--iri-base"), "{err}");
        }
    }

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(duration(83_250), "PT83.250S");
        assert_eq!(duration(5), "PT0.005S");
    }
}
