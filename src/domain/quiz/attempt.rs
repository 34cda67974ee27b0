//! A quiz answered one question at a time: what is picked so far, when an answer can be
//! submitted, whether the explanation is showing (practice) or held back to the end (exam).
//! The game's quiz screen is a view of one of these.

use crate::domain::mode::Mode;

use super::{Drawn, Question, QuestionKind, Quiz, QuizBank, QuizError, QuizResult, QuizSpec};

/// Where the attempt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Picking options for the current question.
    Answering,
    /// Practice mode: the current question is answered and its explanation is showing.
    Reviewing,
    /// Every question is answered.
    Finished,
}

/// What submitting an answer gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marked {
    /// Credit, 0 to 1.
    pub credit: f64,
    /// Fully right.
    pub correct: bool,
}

/// A quiz being answered.
#[derive(Clone, Debug)]
pub struct QuizAttempt {
    banks: Vec<QuizBank>,
    spec: QuizSpec,
    quiz: Quiz,
    mode: Mode,
    responses: Vec<Vec<String>>,
    picked: Vec<String>,
    phase: Phase,
}

impl QuizAttempt {
    /// Draws the quiz for `spec` from `banks`.
    pub fn new(banks: Vec<QuizBank>, spec: QuizSpec, mode: Mode) -> Result<Self, QuizError> {
        let quiz = super::draw(&banks, &spec)?;
        Ok(QuizAttempt {
            banks,
            spec,
            quiz,
            mode,
            responses: Vec::new(),
            picked: Vec::new(),
            phase: Phase::Answering,
        })
    }

    /// The spec it was drawn from (its code reproduces the quiz).
    pub fn spec(&self) -> &QuizSpec {
        &self.spec
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The drawn quiz.
    pub fn quiz(&self) -> &Quiz {
        &self.quiz
    }

    /// The banks the quiz was drawn from.
    pub fn banks(&self) -> &[QuizBank] {
        &self.banks
    }

    /// Where the attempt is.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// How many questions.
    pub fn len(&self) -> usize {
        self.quiz.questions.len()
    }

    /// Whether the quiz has no questions (never, once drawn).
    pub fn is_empty(&self) -> bool {
        self.quiz.questions.is_empty()
    }

    /// The index of the question being answered or reviewed (`len()` once finished).
    pub fn index(&self) -> usize {
        match self.phase {
            Phase::Reviewing => self.responses.len() - 1,
            Phase::Answering | Phase::Finished => self.responses.len(),
        }
    }

    /// The question being answered or reviewed, as drawn.
    pub fn current(&self) -> Option<(&Question, &Drawn)> {
        let d = self.quiz.questions.get(self.index())?;
        Some((&self.banks[d.bank].questions[d.question], d))
    }

    /// The question `k` of the quiz, as drawn.
    pub fn question(&self, k: usize) -> Option<(&Question, &Drawn)> {
        let d = self.quiz.questions.get(k)?;
        Some((&self.banks[d.bank].questions[d.question], d))
    }

    /// The options picked so far for the current question (in the order picked).
    pub fn picked(&self) -> &[String] {
        &self.picked
    }

    /// The response given to question `k`, once submitted.
    pub fn response(&self, k: usize) -> Option<&[String]> {
        self.responses.get(k).map(Vec::as_slice)
    }

    /// Picks an option (`"true"`/`"false"` for true/false): replaces the pick for one-answer
    /// kinds, toggles it for `multiple`, appends the next step for `order` (picking a placed
    /// step takes it and the steps after it back). Returns whether anything changed.
    pub fn pick(&mut self, option: &str) -> bool {
        if self.phase != Phase::Answering {
            return false;
        }
        let Some((q, _)) = self.current() else {
            return false;
        };
        let kind = q.kind;
        let valid = match kind {
            QuestionKind::TrueFalse => option == "true" || option == "false",
            _ => q.options.iter().any(|o| o.id.0 == option),
        };
        if !valid {
            return false;
        }
        match kind {
            QuestionKind::Single | QuestionKind::BestReply | QuestionKind::TrueFalse => {
                if self.picked == [option] {
                    return false;
                }
                self.picked = vec![option.to_owned()];
            }
            QuestionKind::Multiple => match self.picked.iter().position(|p| p == option) {
                Some(i) => {
                    self.picked.remove(i);
                }
                None => self.picked.push(option.to_owned()),
            },
            QuestionKind::Order => match self.picked.iter().position(|p| p == option) {
                Some(i) => self.picked.truncate(i),
                None => self.picked.push(option.to_owned()),
            },
        }
        true
    }

    /// Clears the picks for the current question.
    pub fn clear(&mut self) {
        if self.phase == Phase::Answering {
            self.picked.clear();
        }
    }

    /// Whether the picks make a complete answer: one option, at least one for `multiple`,
    /// every step for `order`.
    pub fn can_submit(&self) -> bool {
        if self.phase != Phase::Answering {
            return false;
        }
        let Some((q, _)) = self.current() else {
            return false;
        };
        match q.kind {
            QuestionKind::Multiple => !self.picked.is_empty(),
            QuestionKind::Order => self.picked.len() == q.options.len(),
            _ => self.picked.len() == 1,
        }
    }

    /// Submits the picks. In practice mode the explanation shows until [`QuizAttempt::advance`];
    /// in exam mode the next question follows at once.
    pub fn submit(&mut self) -> Option<Marked> {
        if !self.can_submit() {
            return None;
        }
        let (q, _) = self.current()?;
        let (credit, correct) = super::grade_question(q, &self.picked);
        self.responses.push(std::mem::take(&mut self.picked));
        self.phase = match self.mode {
            Mode::Practice => Phase::Reviewing,
            Mode::Exam => self.after_answer(),
        };
        Some(Marked { credit, correct })
    }

    /// Leaves the explanation (practice mode) for the next question or the end.
    pub fn advance(&mut self) -> bool {
        if self.phase != Phase::Reviewing {
            return false;
        }
        self.phase = self.after_answer();
        true
    }

    fn after_answer(&self) -> Phase {
        if self.responses.len() >= self.quiz.questions.len() {
            Phase::Finished
        } else {
            Phase::Answering
        }
    }

    /// The graded result, once finished; `scenario_tags` as for [`super::grade`].
    pub fn result<'a>(
        &self,
        scenario_tags: impl IntoIterator<Item = (&'a str, &'a [String])>,
    ) -> Option<QuizResult> {
        (self.phase == Phase::Finished)
            .then(|| super::grade(&self.banks, &self.quiz, &self.responses, scenario_tags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content::model::Id;
    use crate::domain::text::Text;

    fn question(id: &str, kind: QuestionKind, options: &[&str], answer: &[&str]) -> Question {
        Question {
            id: Id::from(id),
            ..crate::domain::quiz::tests::q(kind, options, answer)
        }
    }

    fn banks() -> Vec<QuizBank> {
        vec![QuizBank {
            id: Id::from("b"),
            title: Text::Plain("B".into()),
            locales: vec!["en".into()],
            questions: vec![
                question("one", QuestionKind::Single, &["a", "b", "c"], &["b"]),
                question(
                    "many",
                    QuestionKind::Multiple,
                    &["a", "b", "c"],
                    &["a", "c"],
                ),
                question(
                    "steps",
                    QuestionKind::Order,
                    &["x", "y", "z"],
                    &["x", "y", "z"],
                ),
                question("tf", QuestionKind::TrueFalse, &[], &["true"]),
            ],
        }]
    }

    fn attempt(mode: Mode) -> QuizAttempt {
        let spec = QuizSpec {
            count: 4,
            seed: 3,
            ..QuizSpec::default()
        };
        QuizAttempt::new(banks(), spec, mode).unwrap()
    }

    /// Answers the current question right.
    fn right_answer(a: &QuizAttempt) -> Vec<String> {
        a.current().unwrap().0.answer.clone()
    }

    #[test]
    fn picking_follows_the_question_kind() {
        let mut a = attempt(Mode::Practice);
        while a.phase() != Phase::Finished {
            let kind = a.current().unwrap().0.kind;
            match kind {
                QuestionKind::Single => {
                    assert!(a.pick("a") && a.pick("b"));
                    assert_eq!(a.picked(), ["b"], "a new pick replaces the old");
                    assert!(!a.pick("b"), "the same pick changes nothing");
                }
                QuestionKind::Multiple => {
                    assert!(a.pick("a") && a.pick("b") && a.pick("b"));
                    assert_eq!(a.picked(), ["a"], "a second press un-picks");
                    a.pick("c");
                }
                QuestionKind::Order => {
                    assert!(a.pick("x") && a.pick("z"));
                    assert!(!a.can_submit(), "every step is needed");
                    a.pick("z");
                    assert_eq!(a.picked(), ["x"], "picking a placed step takes it back");
                    a.pick("y");
                    a.pick("z");
                }
                QuestionKind::TrueFalse => {
                    assert!(!a.pick("maybe"), "only true or false");
                    a.pick("true");
                }
                QuestionKind::BestReply => unreachable!(),
            }
            assert!(!a.pick("nonsense"), "unknown options are ignored");
            assert!(a.can_submit());
            let marked = a.submit().unwrap();
            assert!(marked.correct && marked.credit == 1.0);
            assert_eq!(a.phase(), Phase::Reviewing);
            assert!(!a.pick("a"), "no picking while the explanation shows");
            assert!(a.advance());
        }
        let r = a.result(std::iter::empty()).unwrap();
        assert_eq!(r.score, 100.0);
        assert!(r.passed);
    }

    #[test]
    fn nothing_is_submitted_before_the_answer_is_complete() {
        let mut a = attempt(Mode::Exam);
        assert!(!a.can_submit());
        assert_eq!(a.submit(), None);
        assert!(a.result(std::iter::empty()).is_none());
    }

    #[test]
    fn exam_mode_moves_on_without_explanations_and_grades_at_the_end() {
        let mut a = attempt(Mode::Exam);
        let mut wrong_once = false;
        while a.phase() != Phase::Finished {
            let k = a.index();
            let answer = right_answer(&a);
            let kind = a.current().unwrap().0.kind;
            if kind == QuestionKind::Single && !wrong_once {
                a.pick("c");
                wrong_once = true;
            } else {
                for id in &answer {
                    a.pick(id);
                }
            }
            a.submit().unwrap();
            assert_ne!(
                a.phase(),
                Phase::Reviewing,
                "exam mode holds explanations back"
            );
            assert!(a.response(k).is_some());
        }
        let r = a.result(std::iter::empty()).unwrap();
        assert_eq!(r.score, 75.0);
        assert_eq!(r.questions.iter().filter(|q| q.correct).count(), 3);
    }

    #[test]
    fn the_same_picks_on_the_same_seed_give_the_same_result() {
        let play = || {
            let mut a = attempt(Mode::Exam);
            while a.phase() != Phase::Finished {
                let (q, d) = a.current().unwrap();
                // Always the first option as shown (or "false"), whatever it is.
                let first = match q.kind {
                    QuestionKind::TrueFalse => "false".to_owned(),
                    _ => q.options[d.shown[0]].id.0.clone(),
                };
                let all: Vec<String> = d.shown.iter().map(|&i| q.options[i].id.0.clone()).collect();
                if q.kind == QuestionKind::Order {
                    for id in &all {
                        a.pick(id);
                    }
                } else {
                    a.pick(&first);
                }
                a.submit();
            }
            serde_json::to_string(&a.result(std::iter::empty()).unwrap()).unwrap()
        };
        assert_eq!(play(), play());
    }
}
