//! The xAPI export: statements a learning record store accepts. Per attempt `attempted`, one
//! `answered` per choice (the choice id as the response, whether it was the best line as the
//! success), `completed` with the score and duration, then `passed` or `failed`; per quiz
//! `completed` and `passed` / `failed`, with one `answered` per question. Statement ids are
//! UUID v5 of the attempt's registration, so exporting twice gives the same ids and an LRS
//! does not store a statement twice.

use serde_json::{Value, json};
use uuid::Uuid;

use super::ReportData;
use crate::store::{StoredAttempt, StoredCampaign, StoredQuiz};

/// The default IRI base (the reserved `.invalid` domain: set `--iri-base` to your LMS).
pub const DEFAULT_BASE: &str = "https://dunning-dojo.invalid/xapi/";

const ADL: &str = "http://adlnet.gov/expapi/verbs/";

/// ISO 8601 duration from milliseconds (`PT83.250S`).
pub fn duration(ms: i64) -> String {
    format!("PT{}.{:03}S", ms / 1000, ms % 1000)
}

struct Ctx<'a> {
    base: &'a str,
    lang: &'a str,
}

impl Ctx<'_> {
    fn iri(&self, rest: &str) -> String {
        format!("{}{}", self.base, rest)
    }

    fn ext(&self, name: &str) -> String {
        self.iri(&format!("extensions/{name}"))
    }

    fn verb(&self, name: &str, zh: &str) -> Value {
        json!({ "id": format!("{ADL}{name}"), "display": { "en-US": name, "zh-CN": zh } })
    }

    fn actor(&self, trainee: &str) -> Value {
        json!({
            "objectType": "Agent",
            "name": trainee,
            "account": { "homePage": self.iri("trainees"), "name": trainee },
        })
    }

    fn id(&self, registration: Uuid, what: &str) -> String {
        let name = format!("{}statements/{registration}/{what}", self.base);
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
    }

    /// A simulation activity at `path` under the base, named `name`.
    fn simulation(&self, path: &str, name: &str) -> Value {
        json!({
            "objectType": "Activity",
            "id": self.iri(path),
            "definition": {
                "name": lang_map(self.lang, name),
                "type": "http://adlnet.gov/expapi/activities/simulation",
            },
        })
    }

    /// The context of a played result: its registration, language, seed and content.
    fn context(&self, registration: Uuid, language: &str, seed: u64, content: &str) -> Value {
        json!({
            "registration": registration.to_string(),
            "platform": "Dunning Dojo",
            "language": language,
            "extensions": {
                self.ext("seed"): seed,
                self.ext("content-hash"): content,
            },
        })
    }

    /// Puts where a result was played into its `context`: the team as a group, the session
    /// and the round (`round_key`: scenario rounds and campaign rounds are numbered apart).
    fn place(
        &self,
        context: &mut Value,
        team: Option<&str>,
        session: Option<&str>,
        round: Option<u32>,
        round_key: &str,
    ) {
        if let Some(team) = team {
            context["team"] = self.team(session, team);
        }
        if let (Some(name), Some(ext)) = (session, context["extensions"].as_object_mut()) {
            ext.insert(self.ext("session"), json!(name));
            if let Some(n) = round {
                ext.insert(self.ext(round_key), json!(n));
            }
        }
    }

    fn team(&self, session: Option<&str>, team: &str) -> Value {
        // An identified group: the LRS keys it by account, so one team in one session is one
        // group however its members change.
        let key = match session {
            Some(s) => format!("{s}/{team}"),
            None => team.to_owned(),
        };
        json!({
            "objectType": "Group",
            "name": team,
            "account": { "homePage": self.iri("teams"), "name": key },
        })
    }
}

fn lang_map(lang: &str, text: &str) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(lang.to_owned(), Value::String(text.to_owned()));
    Value::Object(m)
}

fn attempt_statements(cx: &Ctx<'_>, data: &ReportData, a: &StoredAttempt) -> Vec<Value> {
    let r = &a.result;
    let scenario = cx.simulation(
        &format!("scenarios/{}", r.scenario),
        data.title(&r.scenario),
    );
    let mut context = cx.context(a.registration, &r.lang, r.seed, &r.content_hash);
    if let Some(ext) = context["extensions"].as_object_mut() {
        ext.insert(cx.ext("mode"), json!(a.mode.key()));
        ext.insert(cx.ext("persona"), json!(a.persona));
        ext.insert(cx.ext("channel"), json!(a.channel));
    }
    cx.place(
        &mut context,
        a.team.as_deref(),
        a.session_name.as_deref(),
        a.round,
        "round",
    );
    let actor = cx.actor(&a.trainee);
    let violations: Vec<&str> = r.violations.iter().map(|v| v.rule.key()).collect();
    let score = json!({
        "scaled": r.scores.overall / 100.0,
        "raw": r.scores.overall,
        "min": 0,
        "max": 100,
    });
    let result = json!({
        "score": score,
        "success": r.passed,
        "completion": true,
        "duration": duration(a.duration_ms),
        "extensions": {
            cx.ext("tone"): r.scores.tone,
            cx.ext("persistence"): r.scores.persistence,
            cx.ext("evidence"): r.scores.evidence,
            cx.ext("violations"): violations,
            cx.ext("outcome"): r.outcome.key(),
            cx.ext("evidence-items"): r.evidence,
        },
    });
    let mut out = vec![json!({
        "id": cx.id(a.registration, "attempted"),
        "actor": actor,
        "verb": cx.verb("attempted", "开始练习"),
        "object": scenario,
        "context": context,
        "timestamp": a.started_at,
    })];
    for t in &r.debrief {
        let mut choice_context = context.clone();
        choice_context["contextActivities"] = json!({ "parent": [scenario.clone()] });
        let mut choice_result = json!({
            "response": t.choice,
            "success": t.was_best,
            "extensions": {
                cx.ext("tone-tag"): t.tone.key(),
                cx.ext("tone"): t.tone_score,
                cx.ext("said"): t.said,
            },
        });
        if let (Some(v), Some(ext)) = (t.violation, choice_result["extensions"].as_object_mut()) {
            ext.insert(cx.ext("violation"), json!(v.key()));
        }
        out.push(json!({
            "id": cx.id(a.registration, &format!("answered/{}", t.turn)),
            "actor": actor,
            "verb": cx.verb("answered", "作答"),
            "object": {
                "objectType": "Activity",
                "id": cx.iri(&format!("scenarios/{}/nodes/{}", r.scenario, t.node)),
                "definition": {
                    "name": lang_map(cx.lang, &format!("{} · {}", data.title(&r.scenario), t.node)),
                    "description": lang_map(&r.lang, &t.debtor),
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "interactionType": "choice",
                },
            },
            "result": choice_result,
            "context": choice_context,
            "timestamp": a.started_at,
        }));
    }
    out.push(json!({
        "id": cx.id(a.registration, "completed"),
        "actor": actor,
        "verb": cx.verb("completed", "完成"),
        "object": scenario,
        "result": result,
        "context": context,
        "timestamp": a.ended_at,
    }));
    let (verb, zh) = if r.passed {
        ("passed", "通过")
    } else {
        ("failed", "未通过")
    };
    out.push(json!({
        "id": cx.id(a.registration, verb),
        "actor": actor,
        "verb": cx.verb(verb, zh),
        "object": scenario,
        "result": result,
        "context": context,
        "timestamp": a.ended_at,
    }));
    out
}

fn quiz_statements(cx: &Ctx<'_>, q: &StoredQuiz) -> Vec<Value> {
    let quiz = json!({
        "objectType": "Activity",
        "id": cx.iri(&format!("quizzes/{}", q.code)),
        "definition": {
            "name": lang_map(cx.lang, &format!("quiz {}", q.code)),
            "type": "http://adlnet.gov/expapi/activities/assessment",
        },
    });
    let mut context = json!({
        "registration": q.registration.to_string(),
        "platform": "Dunning Dojo",
        "language": q.locale,
        "extensions": { cx.ext("mode"): q.mode.key() },
    });
    if let Some(team) = &q.team {
        context["team"] = cx.team(None, team);
    }
    let actor = cx.actor(&q.trainee);
    let r = &q.result;
    let result = json!({
        "score": { "scaled": r.score / 100.0, "raw": r.score, "min": 0, "max": 100 },
        "success": r.passed,
        "completion": true,
        "duration": duration(q.duration_ms),
    });
    let mut out = Vec::new();
    for (k, g) in r.questions.iter().enumerate() {
        let mut cc = context.clone();
        cc["contextActivities"] = json!({ "parent": [quiz.clone()] });
        out.push(json!({
            "id": cx.id(q.registration, &format!("answered/{}", k + 1)),
            "actor": actor,
            "verb": cx.verb("answered", "作答"),
            "object": {
                "objectType": "Activity",
                "id": cx.iri(&format!("questions/{}", g.id)),
                "definition": {
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "interactionType": "choice",
                },
            },
            "result": {
                "response": g.given.join("[,]"),
                "success": g.correct,
                "score": { "scaled": g.credit, "raw": g.credit, "min": 0, "max": 1 },
            },
            "context": cc,
            "timestamp": q.started_at,
        }));
    }
    out.push(json!({
        "id": cx.id(q.registration, "completed"),
        "actor": actor,
        "verb": cx.verb("completed", "完成"),
        "object": quiz,
        "result": result,
        "context": context,
        "timestamp": q.ended_at,
    }));
    let (verb, zh) = if r.passed {
        ("passed", "通过")
    } else {
        ("failed", "未通过")
    };
    out.push(json!({
        "id": cx.id(q.registration, verb),
        "actor": actor,
        "verb": cx.verb(verb, zh),
        "object": quiz,
        "result": result,
        "context": context,
        "timestamp": q.ended_at,
    }));
    out
}

/// The statement of a campaign result: `passed` or `failed` on the campaign, with the total
/// as the score, the time at the desk as the duration, and the four parts of the score and the
/// cash (collected of owed) as extensions.
fn campaign_statement(cx: &Ctx<'_>, data: &ReportData, c: &StoredCampaign) -> Value {
    let r = &c.result;
    let campaign = cx.simulation(
        &format!("campaigns/{}", r.campaign),
        data.campaign_title(&r.campaign),
    );
    let mut context = cx.context(c.registration, &r.lang, r.seed, &r.content_hash);
    cx.place(
        &mut context,
        c.team.as_deref(),
        c.session_name.as_deref(),
        c.round,
        "campaign-round",
    );
    let (verb, zh) = if r.passed {
        ("passed", "通过")
    } else {
        ("failed", "未通过")
    };
    json!({
        "id": cx.id(c.registration, verb),
        "actor": cx.actor(&c.trainee),
        "verb": cx.verb(verb, zh),
        "object": campaign,
        "result": {
            "score": {
                "scaled": r.scores.total / 100.0,
                "raw": r.scores.total,
                "min": 0,
                "max": 100,
            },
            "success": r.passed,
            "completion": true,
            "duration": duration(c.duration_ms),
            "extensions": {
                cx.ext("cash"): r.scores.cash,
                cx.ext("ageing"): r.scores.ageing,
                cx.ext("rhythm"): r.scores.rhythm,
                cx.ext("evidence"): r.scores.evidence,
                cx.ext("collected"): r.collected,
                cx.ext("owed"): r.owed,
                cx.ext("blockers"): r.blockers,
            },
        },
        "context": context,
        "timestamp": c.ended_at,
    })
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

/// Every statement for `data`: attempts in play order, then quizzes, then campaign results. `base` ends with `/`
/// (added when missing); `lang` is the tag for activity names.
pub fn statements(data: &ReportData, base: &str, lang: &str) -> Vec<Value> {
    let base = if base.ends_with('/') {
        base.to_owned()
    } else {
        format!("{base}/")
    };
    let cx = Ctx { base: &base, lang };
    let mut out: Vec<Value> = data
        .attempts
        .iter()
        .flat_map(|a| attempt_statements(&cx, data, a))
        .collect();
    out.extend(data.quizzes.iter().flat_map(|q| quiz_statements(&cx, q)));
    out.extend(
        data.campaigns
            .iter()
            .map(|c| campaign_statement(&cx, data, c)),
    );
    out
}

/// The statements as one pretty JSON array, or one compact statement per line.
pub fn render(data: &ReportData, base: &str, lang: &str, ndjson: bool) -> String {
    let all = statements(data, base, lang);
    if ndjson {
        all.iter().map(|s| format!("{s}\n")).collect()
    } else {
        serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into()) + "\n"
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
