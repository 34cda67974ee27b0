//! Quiz codes: a short string a trainer writes on the board so the whole class draws the same
//! quiz — `10-4821`, or with filters `10-4821-preparation+collection_letters-hard`.

use super::QuizSpec;
use crate::domain::content::model::Difficulty;

/// Why a quiz code could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not `COUNT-SEED[-TOPIC+TOPIC][-DIFFICULTY]`.
    #[error("`{0}` is not a quiz code; a code looks like 10-4821 or 10-4821-preparation-hard")]
    Malformed(String),
    /// The count is zero or too large.
    #[error("a quiz has 1 to {max} questions, not {0}", max = MAX_COUNT)]
    Count(usize),
    /// A topic id that is not in the syllabus.
    #[error("`{0}` is not a syllabus topic")]
    Topic(String),
}

/// The most questions a code may ask for.
pub const MAX_COUNT: usize = 100;

impl QuizSpec {
    /// The code for this spec (count, seed, topics, difficulty; the pass mark is not part of it).
    pub fn code(&self) -> String {
        let mut code = format!("{}-{}", self.count, self.seed);
        if !self.topics.is_empty() {
            code.push('-');
            code.push_str(&self.topics.join("+"));
        }
        if let Some(d) = self.difficulty {
            code.push('-');
            code.push_str(d.key());
        }
        code
    }

    /// Reads a code made by [`QuizSpec::code`]; spaces around it and letter case are ignored.
    pub fn from_code(code: &str) -> Result<QuizSpec, CodeError> {
        let clean = code.trim().to_ascii_lowercase();
        let malformed = || CodeError::Malformed(code.trim().to_owned());
        let mut parts = clean.split('-');
        let count: usize = parts
            .next()
            .and_then(|c| c.parse().ok())
            .ok_or_else(malformed)?;
        if count == 0 || count > MAX_COUNT {
            return Err(CodeError::Count(count));
        }
        let seed: u64 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(malformed)?;
        let mut spec = QuizSpec {
            count,
            seed,
            ..QuizSpec::default()
        };
        for part in parts {
            let difficulty = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard]
                .into_iter()
                .find(|d| d.key() == part);
            match difficulty {
                Some(d) if spec.difficulty.is_none() => spec.difficulty = Some(d),
                Some(_) => return Err(malformed()),
                None if spec.topics.is_empty() && !part.is_empty() => {
                    for topic in part.split('+') {
                        if crate::domain::syllabus::topic(topic).is_none() {
                            return Err(CodeError::Topic(topic.to_owned()));
                        }
                        if !spec.topics.iter().any(|t| t == topic) {
                            spec.topics.push(topic.to_owned());
                        }
                    }
                }
                None => return Err(malformed()),
            }
        }
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_round_trips() {
        for spec in [
            QuizSpec {
                count: 10,
                seed: 4821,
                ..QuizSpec::default()
            },
            QuizSpec {
                count: 5,
                seed: 1,
                topics: vec!["preparation".into(), "collection_letters".into()],
                difficulty: Some(Difficulty::Hard),
                ..QuizSpec::default()
            },
            QuizSpec {
                count: 20,
                seed: u64::MAX,
                difficulty: Some(Difficulty::Easy),
                ..QuizSpec::default()
            },
        ] {
            assert_eq!(QuizSpec::from_code(&spec.code()), Ok(spec));
        }
    }

    #[test]
    fn codes_are_forgiving_about_case_and_spaces() {
        let spec = QuizSpec::from_code("  10-4821-Preparation-HARD ").unwrap();
        assert_eq!(spec.count, 10);
        assert_eq!(spec.seed, 4821);
        assert_eq!(spec.topics, ["preparation"]);
        assert_eq!(spec.difficulty, Some(Difficulty::Hard));
    }

    #[test]
    fn bad_codes_say_what_is_wrong() {
        assert!(matches!(
            QuizSpec::from_code("ten"),
            Err(CodeError::Malformed(_))
        ));
        assert!(matches!(
            QuizSpec::from_code("10"),
            Err(CodeError::Malformed(_))
        ));
        assert_eq!(QuizSpec::from_code("0-5"), Err(CodeError::Count(0)));
        assert_eq!(QuizSpec::from_code("500-5"), Err(CodeError::Count(500)));
        assert_eq!(
            QuizSpec::from_code("10-5-astrology"),
            Err(CodeError::Topic("astrology".into()))
        );
        assert!(matches!(
            QuizSpec::from_code("10-5-hard-easy"),
            Err(CodeError::Malformed(_))
        ));
        assert!(
            QuizSpec::from_code("10-5-hard-easy")
                .unwrap_err()
                .to_string()
                .contains("10-4821")
        );
    }
}
