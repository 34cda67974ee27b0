//! Practice or exam: whether feedback follows each answer or waits for the end. One setting for
//! conversations and quizzes, and a column of every stored attempt.

use serde::{Deserialize, Serialize};

use crate::domain::text::Locale;

/// When the trainee sees feedback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Feedback after every answer.
    #[default]
    Practice,
    /// Feedback only at the end.
    Exam,
}

impl Mode {
    /// The name used in files, the store and exports.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Exam => "exam",
        }
    }

    /// Reads [`Mode::key`].
    pub fn from_key(key: &str) -> Option<Mode> {
        match key {
            "practice" => Some(Mode::Practice),
            "exam" => Some(Mode::Exam),
            _ => None,
        }
    }

    /// A label for the interface.
    pub fn label(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            Mode::Practice => ("练习", "Practice"),
            Mode::Exam => ("考试", "Exam"),
        };
        locale.pick(zh, en)
    }
}
