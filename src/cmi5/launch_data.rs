//! `LMS.LaunchData`, the State document the LMS writes before a launch (cmi5 section 10):
//! the context template (with the session id), the launch mode, moveOn, the mastery score,
//! the launch parameters and the return URL.

use serde_json::Value;

use super::error::{Cmi5Error, Problem};
use crate::report::xapi::EXT_SESSION;

/// The state id of the document.
pub const STATE_ID: &str = "LMS.LaunchData";

/// How the LMS launched the AU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchMode {
    /// Results count: `completed`, `passed`/`failed` are sent.
    Normal,
    /// Looking around: only `initialized`, the turns and `terminated` are sent.
    Browse,
    /// Revisiting finished material: as Browse.
    Review,
}

impl LaunchMode {
    /// The cmi5 name.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchMode::Normal => "Normal",
            LaunchMode::Browse => "Browse",
            LaunchMode::Review => "Review",
        }
    }
}

/// What the LMS needs to consider the AU satisfied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveOn {
    /// `passed`.
    Passed,
    /// `completed`.
    Completed,
    /// Both.
    CompletedAndPassed,
    /// Either.
    CompletedOrPassed,
    /// Nothing: satisfied at registration.
    NotApplicable,
}

impl MoveOn {
    /// The cmi5 name.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveOn::Passed => "Passed",
            MoveOn::Completed => "Completed",
            MoveOn::CompletedAndPassed => "CompletedAndPassed",
            MoveOn::CompletedOrPassed => "CompletedOrPassed",
            MoveOn::NotApplicable => "NotApplicable",
        }
    }

    fn from_name(name: &str) -> Option<MoveOn> {
        [
            MoveOn::Passed,
            MoveOn::Completed,
            MoveOn::CompletedAndPassed,
            MoveOn::CompletedOrPassed,
            MoveOn::NotApplicable,
        ]
        .into_iter()
        .find(|m| m.as_str() == name)
    }
}

/// The launch data of one launch.
#[derive(Clone, Debug, PartialEq)]
pub struct LaunchData {
    /// The template of every statement's context (the session id in its extensions, the
    /// publisher id under `contextActivities.grouping`).
    pub context_template: Value,
    /// The session id (from the template).
    pub session_id: String,
    /// How the AU was launched.
    pub launch_mode: LaunchMode,
    /// What satisfies the AU (`None` when the LMS left it out).
    pub move_on: Option<MoveOn>,
    /// The mastery score, 0 to 1: `passed` needs a scaled score at or above it.
    pub mastery_score: Option<f64>,
    /// The course designer's launch parameters.
    pub launch_parameters: Option<String>,
    /// Where the learner goes back to in the LMS when done.
    pub return_url: Option<String>,
}

fn bad(message: String) -> Cmi5Error {
    Cmi5Error::new(
        Problem::LaunchData,
        format!(
            "the LMS's {STATE_ID} document {message}; cmi5 requires it, so the launch cannot go on: launch the course again from the LMS, and if it happens again tell its administrator"
        ),
    )
}

impl LaunchData {
    /// Practice, or exam when the course designer's launch parameters say `exam` (no
    /// feedback until the debrief).
    pub fn mode(&self) -> crate::domain::mode::Mode {
        let exam = self.launch_parameters.as_deref().is_some_and(|p| {
            p.split([',', ';', '&', ' '])
                .any(|t| matches!(t.trim(), "exam" | "mode=exam"))
        });
        if exam {
            crate::domain::mode::Mode::Exam
        } else {
            crate::domain::mode::Mode::Practice
        }
    }

    /// Reads the document; a missing or malformed required value is an error naming it.
    pub fn from_json(doc: &Value) -> Result<LaunchData, Cmi5Error> {
        if !doc.is_object() {
            return Err(bad("is not a JSON object".to_owned()));
        }
        let template = &doc["contextTemplate"];
        if !template.is_object() {
            return Err(bad("has no contextTemplate object".to_owned()));
        }
        let session_id = match &template["extensions"][EXT_SESSION] {
            Value::String(s) if !s.trim().is_empty() => s.clone(),
            _ => {
                return Err(bad(format!(
                    "has no session id in contextTemplate.extensions[{EXT_SESSION}]"
                )));
            }
        };
        let launch_mode = match doc["launchMode"].as_str() {
            Some("Normal") => LaunchMode::Normal,
            Some("Browse") => LaunchMode::Browse,
            Some("Review") => LaunchMode::Review,
            Some(other) => {
                return Err(bad(format!(
                    "has launchMode {other:?}, not Normal, Browse or Review"
                )));
            }
            None => return Err(bad("has no launchMode".to_owned())),
        };
        let move_on = match &doc["moveOn"] {
            Value::Null => None,
            Value::String(name) => Some(MoveOn::from_name(name).ok_or_else(|| {
                bad(format!(
                    "has moveOn {name:?}, not Passed, Completed, CompletedAndPassed, CompletedOrPassed or NotApplicable"
                ))
            })?),
            other => return Err(bad(format!("has moveOn {other}, not a string"))),
        };
        let mastery_score = match &doc["masteryScore"] {
            Value::Null => None,
            v => match v.as_f64() {
                Some(m) if (0.0..=1.0).contains(&m) => Some(m),
                _ => {
                    return Err(bad(format!(
                        "has masteryScore {v}, not a decimal from 0 to 1"
                    )));
                }
            },
        };
        let text = |key: &str| -> Result<Option<String>, Cmi5Error> {
            match &doc[key] {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                other => Err(bad(format!("has {key} {other}, not a string"))),
            }
        };
        Ok(LaunchData {
            context_template: template.clone(),
            session_id,
            launch_mode,
            move_on,
            mastery_score,
            launch_parameters: text("launchParameters")?,
            return_url: text("returnURL")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({
            "contextTemplate": {
                "contextActivities": { "grouping": [{ "id": "https://pub/au/1" }] },
                "extensions": { EXT_SESSION: "s-1" },
            },
            "launchMode": "Normal",
            "moveOn": "CompletedAndPassed",
            "masteryScore": 0.8,
            "returnURL": "https://lms.example.com/course/1",
        })
    }

    #[test]
    fn a_full_document_reads() {
        let d = LaunchData::from_json(&doc()).unwrap();
        assert_eq!(d.session_id, "s-1");
        assert_eq!(d.launch_mode, LaunchMode::Normal);
        assert_eq!(d.move_on, Some(MoveOn::CompletedAndPassed));
        assert_eq!(d.mastery_score, Some(0.8));
        assert_eq!(d.launch_parameters, None);
        assert_eq!(
            d.return_url.as_deref(),
            Some("https://lms.example.com/course/1")
        );
    }

    #[test]
    fn each_broken_value_is_named() {
        let broken = |key: &str, value: Value| {
            let mut d = doc();
            if value.is_null() {
                d.as_object_mut().unwrap().remove(key);
            } else {
                d[key] = value;
            }
            let e = LaunchData::from_json(&d).unwrap_err();
            assert_eq!(e.problem, Problem::LaunchData);
            e.to_string()
        };
        assert!(broken("contextTemplate", Value::Null).contains("has no contextTemplate"));
        assert!(
            broken("contextTemplate", json!({ "extensions": {} })).contains("has no session id")
        );
        assert!(broken("launchMode", Value::Null).contains("has no launchMode"));
        assert!(broken("launchMode", json!("Exam")).contains("launchMode \"Exam\""));
        assert!(broken("moveOn", json!("Done")).contains("moveOn \"Done\""));
        assert!(broken("masteryScore", json!(1.5)).contains("masteryScore 1.5"));
        assert!(broken("masteryScore", json!("0.8")).contains("not a decimal"));
        assert!(broken("returnURL", json!(3)).contains("returnURL 3"));
        let e = LaunchData::from_json(&json!([])).unwrap_err().to_string();
        assert!(
            e.starts_with("CMI5-04 ") && e.contains("launch the course again"),
            "{e}"
        );
    }
}
