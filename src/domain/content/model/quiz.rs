//! The quiz bank model: a `QuizBank(…)` file's questions, options and keys, as read from RON.
//! Drawing, grading and quiz codes live in `domain::quiz`.

use serde::{Deserialize, Serialize};

use super::{Difficulty, Id};
use crate::domain::text::{Locale, Text};

/// A bank of questions (a `QuizBank(…)` file).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizBank {
    /// Stable id.
    pub id: Id,
    /// Title shown to trainees.
    pub title: Text,
    /// Locales every text must be complete in.
    pub locales: Vec<String>,
    /// The questions.
    pub questions: Vec<Question>,
}

/// The kinds of question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One right option among several.
    Single,
    /// Several right options; all of them are needed.
    Multiple,
    /// A statement that is true or false.
    TrueFalse,
    /// Steps to put in order.
    Order,
    /// A debtor's line and four candidate replies; one is best.
    BestReply,
}

impl QuestionKind {
    /// The snake_case name used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Order => "order",
            QuestionKind::BestReply => "best_reply",
        }
    }

    /// How to answer, for the interface.
    pub fn instruction(self, locale: Locale) -> &'static str {
        match self {
            QuestionKind::Single => locale.pick("单选：选出一个正确答案。", "Choose one answer."),
            QuestionKind::Multiple => locale.pick(
                "多选：选出所有正确答案（全部选对才算对）。",
                "Choose every right answer (all of them are needed).",
            ),
            QuestionKind::TrueFalse => locale.pick("判断：对还是错？", "True or false?"),
            QuestionKind::Order => locale.pick(
                "排序：按正确的先后顺序依次选择。",
                "Put the steps in order: pick them first to last.",
            ),
            QuestionKind::BestReply => locale.pick(
                "最佳回应：对方这样说，你怎么回答最好？",
                "Best reply: the debtor says this — what is your best answer?",
            ),
        }
    }
}

/// One question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id, unique across all banks.
    pub id: Id,
    /// The syllabus topic.
    pub topic: String,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// The course document it comes from, `000` to `004` (`seed:` in older files).
    #[serde(alias = "seed")]
    pub course: String,
    /// What kind of question.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: Text,
    /// The debtor's line, for `best_reply`.
    #[serde(default)]
    pub debtor_line: Option<Text>,
    /// The options (none for `true_false`).
    #[serde(default)]
    pub options: Vec<QuizOption>,
    /// The key: the right option ids; for `order`, every option id in order; for
    /// `true_false`, `["true"]` or `["false"]`.
    pub answer: Vec<String>,
    /// Why the right answer is right.
    pub explanation: Text,
    /// Scenarios that practise this question's point.
    #[serde(default)]
    pub scenarios: Vec<Id>,
}

/// An option of a question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    /// Stable id within the question.
    pub id: Id,
    /// What it says.
    pub text: Text,
}
