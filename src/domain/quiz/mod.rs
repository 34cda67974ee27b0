//! Self-assessment quizzes: question banks, drawing a quiz with the seeded generator, grading
//! with partial credit, the per-topic breakdown, and scenario recommendations for weak topics.
//!
//! Partial credit:
//! * **single**, **best_reply**, **true_false** — 1 for the right answer, else 0.
//! * **multiple** — (right options picked − wrong options picked) ÷ right options, at least 0;
//!   correct only when exactly the right options are picked.
//! * **order** — the share of pairs of steps in the right relative order; correct only when
//!   the whole order is right.

mod attempt;
mod code;

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use crate::domain::content::model::Difficulty;
pub use crate::domain::content::model::{Question, QuestionKind, QuizBank, QuizOption};
use crate::domain::text::Locale;

pub use attempt::{Marked, Phase, QuizAttempt};
pub use code::{CodeError, MAX_COUNT};

/// What to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct QuizSpec {
    /// How many questions.
    pub count: usize,
    /// Only these topics (all when empty).
    pub topics: Vec<String>,
    /// Only this difficulty (all when `None`).
    pub difficulty: Option<Difficulty>,
    /// The seed: the same seed gives the same quiz.
    pub seed: u64,
    /// Score needed to pass, 0 to 100.
    pub pass_mark: f64,
}

impl Default for QuizSpec {
    fn default() -> Self {
        QuizSpec {
            count: 10,
            topics: Vec::new(),
            difficulty: None,
            seed: 1,
            pass_mark: 70.0,
        }
    }
}

/// A question as drawn: where it comes from and the order its options are shown in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drawn {
    /// Index of the bank in the list given to [`draw`].
    pub bank: usize,
    /// Index of the question in its bank.
    pub question: usize,
    /// Option indices in the order they are shown (for `true_false`: empty).
    pub shown: Vec<usize>,
}

/// The one language a quiz drawn from `banks` is shown in to a trainee who chose `wanted`:
/// `wanted` when every bank is written in it, else its fallback (zh-TW: zh-CN) when every
/// bank is written in that; `None` when no such language serves them all.
pub fn quiz_locale(banks: &[QuizBank], wanted: Locale) -> Option<Locale> {
    std::iter::once(wanted).chain(wanted.fallback()).find(|&l| {
        banks
            .iter()
            .all(|b| b.locales.iter().any(|t| Locale::from_tag(t) == Some(l)))
    })
}

/// The letter option `i` (0-based, as shown) goes by: A, B, C… up to H.
pub fn option_letter(i: usize) -> char {
    const LETTERS: &[u8; 8] = b"ABCDEFGH";
    LETTERS.get(i).map_or('?', |&b| char::from(b))
}

impl Drawn {
    /// The letter option `id` is shown under; `T` and `F` for a true/false answer.
    pub fn letter_of(&self, q: &Question, id: &str) -> Option<char> {
        match (q.kind, id) {
            (QuestionKind::TrueFalse, "true") => Some('T'),
            (QuestionKind::TrueFalse, "false") => Some('F'),
            (QuestionKind::TrueFalse, _) => None,
            _ => self
                .shown
                .iter()
                .position(|&i| q.options.get(i).is_some_and(|o| o.id.0 == id))
                .map(option_letter),
        }
    }

    /// The letters for a response or key: `B → A → C` for an order, `A+C` otherwise.
    pub fn letters(&self, q: &Question, ids: &[String]) -> String {
        let letters: Vec<String> = ids
            .iter()
            .map(|id| self.letter_of(q, id).map_or("?".to_owned(), String::from))
            .collect();
        letters.join(if q.kind == QuestionKind::Order {
            " → "
        } else {
            "+"
        })
    }
}

/// A drawn quiz.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quiz {
    /// The spec it was drawn from (seed included).
    pub seed: u64,
    /// The pass mark.
    pub pass_mark: f64,
    /// The questions, in order.
    pub questions: Vec<Drawn>,
}

/// Why a quiz could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuizError {
    /// No question matches the filters.
    #[error("no question matches{}", .0)]
    NothingMatches(String),
}

/// Draws `spec.count` questions (fewer if fewer match) with the seeded generator and shuffles
/// each question's options. The same banks and spec always give the same quiz.
pub fn draw(banks: &[QuizBank], spec: &QuizSpec) -> Result<Quiz, QuizError> {
    let mut rng = Pcg64Mcg::seed_from_u64(spec.seed);
    let mut pool: Vec<(usize, usize)> = banks
        .iter()
        .enumerate()
        .flat_map(|(b, bank)| bank.questions.iter().enumerate().map(move |(q, _)| (b, q)))
        .filter(|&(b, q)| {
            let question = &banks[b].questions[q];
            (spec.topics.is_empty() || spec.topics.contains(&question.topic))
                && spec.difficulty.is_none_or(|d| d == question.difficulty)
        })
        .collect();
    if pool.is_empty() {
        let mut filters = Vec::new();
        if !spec.topics.is_empty() {
            filters.push(format!("topic {}", spec.topics.join(" or ")));
        }
        if let Some(d) = spec.difficulty {
            filters.push(format!("difficulty {}", d.key()));
        }
        let what = if filters.is_empty() {
            ": the banks are empty".to_owned()
        } else {
            format!(" {}", filters.join(" and "))
        };
        return Err(QuizError::NothingMatches(what));
    }
    pool.shuffle(&mut rng);
    pool.truncate(spec.count.max(1));
    let questions = pool
        .into_iter()
        .map(|(bank, question)| {
            let q = &banks[bank].questions[question];
            let mut shown: Vec<usize> = (0..q.options.len()).collect();
            shown.shuffle(&mut rng);
            Drawn {
                bank,
                question,
                shown,
            }
        })
        .collect();
    Ok(Quiz {
        seed: spec.seed,
        pass_mark: spec.pass_mark,
        questions,
    })
}

/// Credit for a response (option ids; for `order`, in the order given), 0 to 1, and whether
/// it is fully right.
pub fn grade_question(q: &Question, response: &[String]) -> (f64, bool) {
    match q.kind {
        QuestionKind::Single | QuestionKind::BestReply | QuestionKind::TrueFalse => {
            let right = response.len() == 1 && q.answer.first() == response.first();
            (if right { 1.0 } else { 0.0 }, right)
        }
        QuestionKind::Multiple => {
            let hits = response.iter().filter(|r| q.answer.contains(r)).count() as f64;
            let misses = response.iter().filter(|r| !q.answer.contains(r)).count() as f64;
            let total = q.answer.len().max(1) as f64;
            let exact = misses == 0.0
                && hits as usize == q.answer.len()
                && response.len() == q.answer.len();
            (((hits - misses) / total).max(0.0), exact)
        }
        QuestionKind::Order => {
            let pos = |id: &String| response.iter().position(|r| r == id);
            let n = q.answer.len();
            let mut pairs = 0usize;
            let mut right = 0usize;
            for i in 0..n {
                for j in i + 1..n {
                    pairs += 1;
                    if let (Some(a), Some(b)) = (pos(&q.answer[i]), pos(&q.answer[j]))
                        && a < b
                    {
                        right += 1;
                    }
                }
            }
            let exact = response == q.answer.as_slice();
            (
                if pairs == 0 {
                    1.0
                } else {
                    right as f64 / pairs as f64
                },
                exact,
            )
        }
    }
}

/// One graded question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradedQuestion {
    /// The question id.
    pub id: String,
    /// Its topic.
    pub topic: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// Credit, 0 to 1.
    pub credit: f64,
    /// Fully right.
    pub correct: bool,
    /// What was answered (option ids).
    pub given: Vec<String>,
    /// The key (option ids).
    pub expected: Vec<String>,
}

/// How a topic went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicScore {
    /// The topic id.
    pub topic: String,
    /// Questions asked on it.
    pub asked: usize,
    /// Fully right answers.
    pub correct: usize,
    /// Score on the topic, 0 to 100.
    pub score: f64,
}

/// A scenario recommended for a weak topic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The scenario id.
    pub scenario: String,
    /// The weak topic it practises.
    pub topic: String,
}

/// A graded quiz.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizResult {
    /// The seed the quiz was drawn with.
    pub seed: u64,
    /// Score, 0 to 100, one decimal.
    pub score: f64,
    /// Whether it reached the pass mark.
    pub passed: bool,
    /// The pass mark.
    pub pass_mark: f64,
    /// Each question.
    pub questions: Vec<GradedQuestion>,
    /// Each topic, weakest first.
    pub topics: Vec<TopicScore>,
    /// Scenarios that practise the weakest topics.
    pub recommendations: Vec<Recommendation>,
}

/// Grades `responses` (one per drawn question, option ids) and recommends scenarios for the
/// weakest topics: `scenario_tags` are `(scenario id, its syllabus tags)`.
pub fn grade<'a>(
    banks: &[QuizBank],
    quiz: &Quiz,
    responses: &[Vec<String>],
    scenario_tags: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> QuizResult {
    let mut graded = Vec::new();
    for (k, d) in quiz.questions.iter().enumerate() {
        let q = &banks[d.bank].questions[d.question];
        let response = responses.get(k).cloned().unwrap_or_default();
        let (credit, correct) = grade_question(q, &response);
        graded.push(GradedQuestion {
            id: q.id.0.clone(),
            topic: q.topic.clone(),
            kind: q.kind,
            credit,
            correct,
            given: response,
            expected: q.answer.clone(),
        });
    }
    let total: f64 = graded.iter().map(|g| g.credit).sum();
    let score = crate::domain::engine::scoring::round1(100.0 * total / graded.len().max(1) as f64);
    let mut by_topic: BTreeMap<&str, (usize, usize, f64)> = BTreeMap::new();
    for g in &graded {
        let e = by_topic.entry(&g.topic).or_default();
        e.0 += 1;
        e.1 += usize::from(g.correct);
        e.2 += g.credit;
    }
    let mut topics: Vec<TopicScore> = by_topic
        .into_iter()
        .map(|(topic, (asked, correct, credit))| TopicScore {
            topic: topic.to_owned(),
            asked,
            correct,
            score: crate::domain::engine::scoring::round1(100.0 * credit / asked as f64),
        })
        .collect();
    // Weakest first; ties by topic id so the order is stable.
    topics.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.topic.cmp(&b.topic)));
    let tags: Vec<(&str, &[String])> = scenario_tags.into_iter().collect();
    let mut recommendations: Vec<Recommendation> = Vec::new();
    for t in topics.iter().filter(|t| t.score < quiz.pass_mark) {
        // The questions' own suggestions first, then any scenario tagged with the topic.
        let mut candidates: Vec<String> = quiz
            .questions
            .iter()
            .map(|d| &banks[d.bank].questions[d.question])
            .filter(|q| q.topic == t.topic)
            .flat_map(|q| q.scenarios.iter().map(|s| s.0.clone()))
            .collect();
        let mut tagged: Vec<String> = tags
            .iter()
            .filter(|(_, ts)| ts.contains(&t.topic))
            .map(|(id, _)| (*id).to_owned())
            .collect();
        tagged.sort();
        candidates.extend(tagged);
        if let Some(s) = candidates.into_iter().find(|s| {
            tags.iter().any(|(id, _)| id == s) && !recommendations.iter().any(|r| r.scenario == *s)
        }) {
            recommendations.push(Recommendation {
                scenario: s,
                topic: t.topic.clone(),
            });
        }
        if recommendations.len() == 3 {
            break;
        }
    }
    QuizResult {
        seed: quiz.seed,
        passed: score >= quiz.pass_mark,
        pass_mark: quiz.pass_mark,
        score,
        questions: graded,
        topics,
        recommendations,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::content::model::Id;
    use crate::domain::text::Text;

    /// A question of `kind` with these option ids and key (test helper, shared with `attempt`).
    pub(crate) fn q(kind: QuestionKind, options: &[&str], answer: &[&str]) -> Question {
        Question {
            id: Id::from("q"),
            topic: "preparation".into(),
            difficulty: Difficulty::Easy,
            course: "001".into(),
            kind,
            prompt: Text::Plain("?".into()),
            debtor_line: None,
            options: options
                .iter()
                .map(|o| QuizOption {
                    id: Id::from(*o),
                    text: Text::Plain((*o).into()),
                })
                .collect(),
            answer: answer.iter().map(|a| (*a).to_owned()).collect(),
            explanation: Text::Plain("!".into()),
            scenarios: Vec::new(),
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn single_choice_is_all_or_nothing() {
        let question = q(QuestionKind::Single, &["a", "b", "c"], &["b"]);
        assert_eq!(grade_question(&question, &ids(&["b"])), (1.0, true));
        assert_eq!(grade_question(&question, &ids(&["a"])), (0.0, false));
        assert_eq!(grade_question(&question, &ids(&["a", "b"])), (0.0, false));
        assert_eq!(grade_question(&question, &[]), (0.0, false));
    }

    #[test]
    fn true_false_compares_the_word() {
        let question = q(QuestionKind::TrueFalse, &[], &["false"]);
        assert_eq!(grade_question(&question, &ids(&["false"])), (1.0, true));
        assert_eq!(grade_question(&question, &ids(&["true"])), (0.0, false));
    }

    #[test]
    fn multiple_choice_gives_partial_credit_and_punishes_wrong_picks() {
        let question = q(
            QuestionKind::Multiple,
            &["a", "b", "c", "d"],
            &["a", "c", "d"],
        );
        assert_eq!(
            grade_question(&question, &ids(&["a", "c", "d"])),
            (1.0, true)
        );
        let (credit, correct) = grade_question(&question, &ids(&["a", "c"]));
        assert!((credit - 2.0 / 3.0).abs() < 1e-9 && !correct);
        let (credit, _) = grade_question(&question, &ids(&["a", "b", "c"]));
        assert!((credit - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(grade_question(&question, &ids(&["b"])), (0.0, false));
    }

    #[test]
    fn order_gives_credit_for_pairs_in_the_right_order() {
        let question = q(
            QuestionKind::Order,
            &["a", "b", "c", "d"],
            &["a", "b", "c", "d"],
        );
        assert_eq!(
            grade_question(&question, &ids(&["a", "b", "c", "d"])),
            (1.0, true)
        );
        // One adjacent swap: 5 of 6 pairs right.
        let (credit, correct) = grade_question(&question, &ids(&["b", "a", "c", "d"]));
        assert!((credit - 5.0 / 6.0).abs() < 1e-9 && !correct);
        assert_eq!(
            grade_question(&question, &ids(&["d", "c", "b", "a"])),
            (0.0, false)
        );
    }

    fn bank(n: usize) -> QuizBank {
        QuizBank {
            id: Id::from("b"),
            title: Text::Plain("B".into()),
            locales: vec!["en".into()],
            questions: (0..n)
                .map(|i| Question {
                    id: Id(format!("q{i}")),
                    topic: if i % 2 == 0 {
                        "preparation".into()
                    } else {
                        "evidence_remittance".into()
                    },
                    ..q(QuestionKind::Single, &["a", "b", "c", "d"], &["a"])
                })
                .collect(),
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_quiz_and_another_seed_another() {
        let banks = [bank(30)];
        let spec = QuizSpec {
            count: 10,
            seed: 7,
            ..QuizSpec::default()
        };
        let a = draw(&banks, &spec).unwrap();
        assert_eq!(a, draw(&banks, &spec).unwrap());
        assert_eq!(a.questions.len(), 10);
        let b = draw(
            &banks,
            &QuizSpec {
                seed: 8,
                ..spec.clone()
            },
        )
        .unwrap();
        assert_ne!(a, b);
        let mut seen: Vec<_> = a.questions.iter().map(|d| d.question).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 10, "no question twice");
    }

    #[test]
    fn filters_select_topics_and_report_when_nothing_matches() {
        let banks = [bank(30)];
        let spec = QuizSpec {
            count: 50,
            topics: vec!["preparation".into()],
            ..QuizSpec::default()
        };
        let quiz = draw(&banks, &spec).unwrap();
        assert_eq!(quiz.questions.len(), 15);
        assert!(
            quiz.questions
                .iter()
                .all(|d| banks[0].questions[d.question].topic == "preparation")
        );
        let none = QuizSpec {
            topics: vec!["penalties".into()],
            ..QuizSpec::default()
        };
        assert!(matches!(
            draw(&banks, &none),
            Err(QuizError::NothingMatches(_))
        ));
    }

    #[test]
    fn grading_breaks_down_by_topic_and_recommends_for_the_weakest() {
        let banks = [bank(4)];
        let quiz = draw(
            &banks,
            &QuizSpec {
                count: 4,
                seed: 3,
                ..QuizSpec::default()
            },
        )
        .unwrap();
        // Right on preparation, wrong on remittance.
        let responses: Vec<Vec<String>> = quiz
            .questions
            .iter()
            .map(|d| {
                let q = &banks[0].questions[d.question];
                if q.topic == "preparation" {
                    ids(&["a"])
                } else {
                    ids(&["b"])
                }
            })
            .collect();
        let tags = [
            vec!["evidence_remittance".to_owned()],
            vec!["preparation".to_owned()],
        ];
        let result = grade(
            &banks,
            &quiz,
            &responses,
            [
                ("wired", tags[0].as_slice()),
                ("prep_call", tags[1].as_slice()),
            ],
        );
        assert_eq!(result.score, 50.0);
        assert!(!result.passed);
        assert_eq!(result.topics[0].topic, "evidence_remittance");
        assert_eq!(result.topics[0].score, 0.0);
        assert_eq!(
            result.recommendations,
            vec![Recommendation {
                scenario: "wired".into(),
                topic: "evidence_remittance".into()
            }]
        );
    }
}
