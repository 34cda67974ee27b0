//! The statements of one attempt, quiz result or campaign result, in cmi5's order:
//! `initialized`, the `answered` turns, `completed`, `passed`/`failed`, `terminated`; under a
//! cmi5 profile (a launch from an LMS) shaped as cmi5 defined and allowed statements.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Xapi, duration};
use crate::domain::content::model::Severity;
use crate::store::{StoredAttempt, StoredCampaign, StoredQuiz};

const ADL: &str = "http://adlnet.gov/expapi/verbs/";

/// An ADL verb with its display names.
fn verb(name: &str) -> Value {
    let zh = match name {
        "initialized" => "开始",
        "answered" => "作答",
        "completed" => "完成",
        "passed" => "通过",
        "failed" => "未通过",
        _ => "结束",
    };
    json!({ "id": format!("{ADL}{name}"), "display": { "en-US": name, "zh-CN": zh } })
}

/// The RFC 3339 stamp `ms` milliseconds after `at` (`at` itself when it does not parse).
fn later(at: &str, ms: i64) -> String {
    at.parse::<jiff::Timestamp>()
        .ok()
        .and_then(|t| t.checked_add(jiff::SignedDuration::from_millis(ms)).ok())
        .map_or_else(|| at.to_owned(), crate::store::stamp)
}

/// Milliseconds between two RFC 3339 stamps (0 when either does not parse or they run
/// backwards).
fn millis_between(from: &str, to: &str) -> i64 {
    match (
        from.parse::<jiff::Timestamp>(),
        to.parse::<jiff::Timestamp>(),
    ) {
        (Ok(a), Ok(b)) => b.duration_since(a).as_millis().max(0) as i64,
        _ => 0,
    }
}

impl Xapi {
    fn iri(&self, rest: &str) -> String {
        format!("{}{}", self.base, rest)
    }

    fn ext(&self, name: &str) -> String {
        self.iri(&format!("extensions/{name}"))
    }

    fn actor(&self, trainee: &str) -> Value {
        if let Some(p) = &self.cmi5 {
            return p.actor.clone();
        }
        json!({
            "objectType": "Agent",
            "name": trainee,
            "account": { "homePage": self.iri("trainees"), "name": trainee },
        })
    }

    /// The deterministic id of the statement `what` of the result `registration`.
    fn id(&self, registration: Uuid, what: &str) -> String {
        if let Some(p) = &self.cmi5 {
            return p.id(&self.base, what);
        }
        let name = format!("{}statements/{registration}/{what}", self.base);
        Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes()).to_string()
    }

    fn name(&self, known: Option<Value>, fallback: &str) -> Value {
        known
            .filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
            .unwrap_or_else(|| {
                let mut m = Map::new();
                m.insert(self.lang.clone(), json!(fallback));
                Value::Object(m)
            })
    }

    /// A scenario as an activity (the object of its attempts).
    pub fn scenario_activity(&self, scenario: &str) -> Value {
        self.activity(
            &format!("scenarios/{scenario}"),
            self.name(self.catalog.scenario_name(scenario), scenario),
            "http://adlnet.gov/expapi/activities/simulation",
        )
    }

    /// A quiz, by its code, as an activity (the object of its results).
    pub fn quiz_activity(&self, code: &str) -> Value {
        self.activity(
            &format!("quizzes/{code}"),
            self.name(None, &format!("quiz {code}")),
            "http://adlnet.gov/expapi/activities/assessment",
        )
    }

    /// A cmi5 defined statement about the launch session itself (`initialized` or
    /// `terminated`) at `at`, about `what` (see [`Xapi::scenario_activity`]) played in
    /// `language`; `duration_ms` for `terminated`. `None` without a cmi5 profile.
    pub fn cmi5_session(
        &self,
        verb: &str,
        at: &str,
        duration_ms: Option<i64>,
        what: &Value,
        language: &str,
    ) -> Option<Value> {
        let p = self.cmi5.as_ref()?;
        let frame = Frame {
            x: self,
            registration: p.registration,
            actor: p.actor.clone(),
            object: what.clone(),
            context: json!({
                "platform": "Dunning Dojo",
                "language": language,
                "extensions": {},
            }),
            started_at: at,
            ended_at: at,
            duration_ms: duration_ms.unwrap_or(0),
        };
        let result = duration_ms.map(|ms| json!({ "duration": duration(ms) }));
        Some(frame.statement(verb, result, at))
    }

    /// An activity at `path` under the base.
    fn activity(&self, path: &str, name: Value, kind: &str) -> Value {
        json!({
            "objectType": "Activity",
            "id": self.iri(path),
            "definition": { "name": name, "type": kind },
        })
    }

    /// A played result's context: registration, language and, when it has them, seed,
    /// content and where in a classroom it was played (`round_key`: scenario and campaign
    /// rounds are numbered apart).
    fn context(&self, registration: Uuid, language: &str, place: Place<'_>) -> Value {
        let mut ext = Map::new();
        for (k, v) in place.extensions {
            ext.insert(self.ext(k), v.clone());
        }
        if let Some(session) = place.session {
            ext.insert(self.ext("session"), json!(session));
            if let Some(n) = place.round {
                ext.insert(self.ext(place.round_key), json!(n));
            }
        }
        let mut context = json!({
            "registration": registration.to_string(),
            "platform": "Dunning Dojo",
            "language": language,
            "extensions": ext,
        });
        if let Some(team) = place.team {
            // An identified group: one team in one session is one group however its members
            // change.
            let key = match place.session {
                Some(s) => format!("{s}/{team}"),
                None => team.to_owned(),
            };
            context["team"] = json!({
                "objectType": "Group",
                "name": team,
                "account": { "homePage": self.iri("teams"), "name": key },
            });
        }
        context
    }
}

/// Where a result was played, and the extensions of its context.
struct Place<'a> {
    team: Option<&'a str>,
    session: Option<&'a str>,
    round: Option<u32>,
    round_key: &'a str,
    extensions: Vec<(&'a str, Value)>,
}

/// The frame every result shares: `initialized` at the start, then (after the caller's
/// `answered`) `completed`, `passed`/`failed` with the score and `terminated`.
struct Frame<'a> {
    x: &'a Xapi,
    registration: Uuid,
    actor: Value,
    object: Value,
    context: Value,
    started_at: &'a str,
    ended_at: &'a str,
    duration_ms: i64,
}

impl Frame<'_> {
    /// A statement about the result itself; under a cmi5 profile a cmi5 defined one, about
    /// the AU, with the moveOn category when its result has `success` or `completion`.
    fn statement(&self, what: &str, result: Option<Value>, at: &str) -> Value {
        let (object, context) = match &self.x.cmi5 {
            Some(p) => {
                let moveon = result
                    .as_ref()
                    .is_some_and(|r| r.get("success").is_some() || r.get("completion").is_some());
                (p.au(), p.context(&self.context, &self.object, true, moveon))
            }
            None => (self.object.clone(), self.context.clone()),
        };
        let mut s = json!({
            "id": self.x.id(self.registration, what),
            "actor": self.actor,
            "verb": verb(what),
            "object": object,
            "context": context,
            "timestamp": at,
        });
        if let Some(r) = result {
            s["result"] = r;
        }
        s
    }

    /// The context of a statement about a part of the result (an `answered` turn): the
    /// result's activity is its parent; under a cmi5 profile a cmi5 allowed statement, whose
    /// parent is the AU.
    fn part_context(&self) -> Value {
        match &self.x.cmi5 {
            Some(p) => p.context(&self.context, &self.object, false, false),
            None => {
                let mut context = self.context.clone();
                context["contextActivities"] = json!({ "parent": [self.object.clone()] });
                context
            }
        }
    }

    fn initialized(&self) -> Value {
        self.statement("initialized", None, self.started_at)
    }

    /// `completed`, the verdict with `score` (scaled `scaled`) and `extensions`, and
    /// `terminated`. The game's verdict is `passed`; `blocked` says it failed for a compliance
    /// blocker whatever the score. Under a cmi5 profile the LMS's mastery score decides (see
    /// [`Cmi5Profile`]) and is named in the verdict's context.
    fn close(
        &self,
        (passed, blocked): (bool, bool),
        (score, scaled): (Value, f64),
        extensions: Value,
    ) -> Vec<Value> {
        let spent = duration(self.duration_ms);
        let judged = self
            .x
            .cmi5
            .as_ref()
            .map(|p| p.verdict(scaled, passed, blocked));
        let passed = judged.map_or(passed, |v| v.passed);
        let verdict = if passed { "passed" } else { "failed" };
        let mut result = json!({
            "success": passed,
            "duration": spent,
            "extensions": extensions,
        });
        if judged.is_none_or(|v| v.with_score) {
            result["score"] = score;
        }
        // A millisecond apart, after the last turn (which may share the end's millisecond), so
        // an LRS ordering by timestamp sees completed, the verdict, then terminated, last.
        let at = |ms| later(self.ended_at, ms);
        let mut judgement = self.statement(verdict, Some(result), &at(2));
        if let Some(m) = judged.and_then(|v| v.mastery) {
            judgement["context"]["extensions"][super::EXT_MASTERY] = json!(m);
        }
        vec![
            self.statement(
                "completed",
                Some(json!({ "completion": true, "duration": spent })),
                &at(1),
            ),
            judgement,
            self.statement("terminated", Some(json!({ "duration": spent })), &at(3)),
        ]
    }
}

/// A 0–100 score as xAPI wants it (raw an integer between min and max), with its scaled value.
fn score(points: f64) -> (Value, f64) {
    let scaled = (points / 100.0).clamp(0.0, 1.0);
    let score = json!({
        "scaled": scaled,
        "raw": points.round().clamp(0.0, 100.0) as i64,
        "min": 0,
        "max": 100,
    });
    (score, scaled)
}

/// The statements of an attempt.
pub(super) fn attempt(x: &Xapi, a: &StoredAttempt) -> Vec<Value> {
    let r = &a.result;
    let object = x.scenario_activity(&r.scenario);
    let context = x.context(
        a.registration,
        &r.lang,
        Place {
            team: a.team.as_deref(),
            session: a.session_name.as_deref(),
            round: a.round,
            round_key: "round",
            extensions: vec![
                ("seed", json!(r.seed)),
                ("content-hash", json!(r.content_hash)),
                ("mode", json!(a.mode.key())),
                ("persona", json!(a.persona)),
                ("channel", json!(a.channel)),
            ],
        },
    );
    let frame = Frame {
        x,
        registration: a.registration,
        actor: x.actor(&a.trainee),
        object,
        context,
        started_at: &a.started_at,
        ended_at: &a.ended_at,
        duration_ms: a.duration_ms,
    };
    let mut out = vec![frame.initialized()];
    let mut previous = a.started_at.as_str();
    for (k, t) in r.debrief.iter().enumerate() {
        // Attempts saved before turn times were kept have none: their turns carry the start.
        let at = a
            .turn_times
            .get(k)
            .map_or(a.started_at.as_str(), String::as_str);
        let mut ext = Map::new();
        ext.insert(x.ext("tone-tag"), json!(t.tone.key()));
        ext.insert(x.ext("tone"), json!(t.tone_score));
        if let Some(v) = t.violation {
            ext.insert(x.ext("violation"), json!(v.key()));
        }
        if x.dialogue_text {
            ext.insert(x.ext("said"), json!(t.said));
        }
        let mut definition = json!({
            "name": node_name(x, &r.scenario, &t.node),
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice",
        });
        if x.dialogue_text {
            let mut line = Map::new();
            line.insert(r.lang.clone(), json!(t.debtor));
            definition["description"] = Value::Object(line);
        }
        if let Some(choices) = x
            .catalog
            .choices(&r.scenario, &t.node, &r.trainee, x.dialogue_text)
        {
            definition["choices"] = choices;
        }
        let best = t
            .best_alternative
            .as_ref()
            .map_or(t.choice.as_str(), |b| b.choice.as_str());
        definition["correctResponsesPattern"] = json!([best]);
        out.push(json!({
            "id": x.id(a.registration, &format!("answered/{}", t.turn)),
            "actor": frame.actor,
            "verb": verb("answered"),
            "object": {
                "objectType": "Activity",
                "id": x.iri(&format!("scenarios/{}/nodes/{}", r.scenario, t.node)),
                "definition": definition,
            },
            "result": {
                "response": t.choice,
                "success": t.was_best,
                "duration": duration(millis_between(previous, at)),
                "extensions": ext,
            },
            "context": frame.part_context(),
            "timestamp": at,
        }));
        previous = at;
    }
    let violations: Vec<&str> = r.violations.iter().map(|v| v.rule.key()).collect();
    let mut ext = Map::new();
    ext.insert(x.ext("tone"), json!(r.scores.tone));
    ext.insert(x.ext("persistence"), json!(r.scores.persistence));
    ext.insert(x.ext("evidence"), json!(r.scores.evidence));
    ext.insert(x.ext("overall"), json!(r.scores.overall));
    ext.insert(x.ext("violations"), json!(violations));
    ext.insert(x.ext("outcome"), json!(r.outcome.key()));
    ext.insert(x.ext("evidence-items"), json!(r.evidence));
    let blocked = r.violations.iter().any(|v| v.severity == Severity::Blocker);
    out.extend(frame.close(
        (r.passed, blocked),
        score(r.scores.overall),
        Value::Object(ext),
    ));
    out
}

/// A turn's name: the scenario's name and the node, in each language the scenario has.
fn node_name(x: &Xapi, scenario: &str, node: &str) -> Value {
    match x.catalog.scenario_name(scenario) {
        Some(Value::Object(m)) if !m.is_empty() => Value::Object(
            m.into_iter()
                .map(|(lang, title)| {
                    (
                        lang,
                        json!(format!("{} · {node}", title.as_str().unwrap_or(scenario))),
                    )
                })
                .collect(),
        ),
        _ => x.name(None, &format!("{scenario} · {node}")),
    }
}

/// The statements of a quiz result.
pub(super) fn quiz(x: &Xapi, q: &StoredQuiz) -> Vec<Value> {
    let object = x.quiz_activity(&q.code);
    let context = x.context(
        q.registration,
        &q.locale,
        Place {
            team: q.team.as_deref(),
            session: None,
            round: None,
            round_key: "round",
            extensions: vec![("mode", json!(q.mode.key()))],
        },
    );
    let frame = Frame {
        x,
        registration: q.registration,
        actor: x.actor(&q.trainee),
        object,
        context,
        started_at: &q.started_at,
        ended_at: &q.ended_at,
        duration_ms: q.duration_ms,
    };
    let r = &q.result;
    let mut out = vec![frame.initialized()];
    let mut previous = q.started_at.as_str();
    for (k, g) in r.questions.iter().enumerate() {
        // Results saved before answers were timed carry the end of the quiz.
        let at = q
            .answer_times
            .get(k)
            .map_or(q.ended_at.as_str(), String::as_str);
        let mut definition = x.catalog.question(&g.id, g.kind, x.dialogue_text);
        definition["correctResponsesPattern"] = json!([g.expected.join("[,]")]);
        out.push(json!({
            "id": x.id(q.registration, &format!("answered/{}", k + 1)),
            "actor": frame.actor,
            "verb": verb("answered"),
            "object": {
                "objectType": "Activity",
                "id": x.iri(&format!("questions/{}", g.id)),
                "definition": definition,
            },
            "result": {
                "response": g.given.join("[,]"),
                "success": g.correct,
                "duration": duration(millis_between(previous, at)),
                "extensions": { x.ext("credit"): g.credit },
            },
            "context": frame.part_context(),
            "timestamp": at,
        }));
        previous = at;
    }
    let ext = json!({ x.ext("pass-mark"): r.pass_mark });
    out.extend(frame.close((r.passed, false), score(r.score), ext));
    out
}

/// The statements of a campaign result: its frame, with the four parts of the score and the
/// cash (collected of owed) on the verdict.
pub(super) fn campaign(x: &Xapi, c: &StoredCampaign) -> Vec<Value> {
    let r = &c.result;
    let object = x.activity(
        &format!("campaigns/{}", r.campaign),
        x.name(x.catalog.campaign_name(&r.campaign), &r.campaign),
        "http://adlnet.gov/expapi/activities/simulation",
    );
    let context = x.context(
        c.registration,
        &r.lang,
        Place {
            team: c.team.as_deref(),
            session: c.session_name.as_deref(),
            round: c.round,
            round_key: "campaign-round",
            extensions: vec![
                ("seed", json!(r.seed)),
                ("content-hash", json!(r.content_hash)),
            ],
        },
    );
    let frame = Frame {
        x,
        registration: c.registration,
        actor: x.actor(&c.trainee),
        object,
        context,
        started_at: &c.started_at,
        ended_at: &c.ended_at,
        duration_ms: c.duration_ms,
    };
    let ext = json!({
        x.ext("total"): r.scores.total,
        x.ext("cash"): r.scores.cash,
        x.ext("ageing"): r.scores.ageing,
        x.ext("rhythm"): r.scores.rhythm,
        x.ext("evidence"): r.scores.evidence,
        x.ext("collected"): r.collected,
        x.ext("owed"): r.owed,
        x.ext("blockers"): r.blockers,
    });
    let mut out = vec![frame.initialized()];
    out.extend(frame.close((r.passed, false), score(r.scores.total), ext));
    out
}
