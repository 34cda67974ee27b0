//! The shipped quiz banks: enough questions, every kind, both languages, explanations and
//! sources on every question, working answer keys, and reproducible quizzes.

use std::collections::BTreeMap;

use dunning_dojo::domain::content::model::is_known_course;
use dunning_dojo::domain::quiz::{QuestionKind, QuizSpec, draw, grade};
use dunning_dojo::domain::text::{Locale, Text, has_han};

use crate::support::{run, shipped, stdout};

fn both_languages(t: &Text, what: &str) {
    let zh = t.get(Locale::ZhCn).unwrap_or_default();
    let en = t.get(Locale::En).unwrap_or_default();
    assert!(
        has_han(zh),
        "{what}: the Chinese text is missing or not Chinese: {zh:?}"
    );
    assert!(
        !en.trim().is_empty() && !has_han(en),
        "{what}: the English text is missing or not English: {en:?}"
    );
}

#[test]
fn the_banks_hold_eighty_questions_of_every_kind_in_both_languages() {
    let lib = shipped();
    let questions: Vec<_> = lib.quiz_banks.values().flat_map(|b| &b.questions).collect();
    assert!(questions.len() >= 80, "only {} questions", questions.len());
    let mut kinds: BTreeMap<QuestionKind, usize> = BTreeMap::new();
    for q in &questions {
        *kinds.entry(q.kind).or_default() += 1;
        let id = q.id.as_str();
        both_languages(&q.prompt, &format!("{id} prompt"));
        both_languages(&q.explanation, &format!("{id} explanation"));
        if let Some(line) = &q.debtor_line {
            both_languages(line, &format!("{id} debtor line"));
        }
        for o in &q.options {
            both_languages(&o.text, &format!("{id} option {}", o.id));
        }
        assert!(
            is_known_course(&q.course),
            "{id} cites unknown course document {}",
            q.course
        );
        assert!(
            dunning_dojo::domain::syllabus::topic(&q.topic).is_some(),
            "{id} has unknown topic {}",
            q.topic
        );
    }
    for kind in [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
        QuestionKind::Order,
        QuestionKind::BestReply,
    ] {
        assert!(
            kinds.get(&kind).copied().unwrap_or(0) >= 5,
            "fewer than five {} questions: {kinds:?}",
            kind.key()
        );
    }
    // True/false keys are not all one way.
    let trues = questions
        .iter()
        .filter(|q| q.kind == QuestionKind::TrueFalse && q.answer == ["true"])
        .count();
    let tfs = kinds[&QuestionKind::TrueFalse];
    assert!(
        trues * 5 >= tfs && trues * 5 <= tfs * 4,
        "{trues} of {tfs} are true"
    );
}

#[test]
fn every_key_answers_its_question_fully_in_both_languages() {
    let lib = shipped();
    for locale in [Locale::ZhCn, Locale::En] {
        let banks = lib.quiz_banks_in(locale);
        let total: usize = banks.iter().map(|b| b.questions.len()).sum();
        let spec = QuizSpec {
            count: total,
            seed: 11,
            ..QuizSpec::default()
        };
        let quiz = draw(&banks, &spec).unwrap();
        assert_eq!(quiz.questions.len(), total);
        let keys: Vec<Vec<String>> = quiz
            .questions
            .iter()
            .map(|d| banks[d.bank].questions[d.question].answer.clone())
            .collect();
        let r = grade(&banks, &quiz, &keys, lib.scenario_tags());
        assert_eq!(r.score, 100.0);
        assert!(r.questions.iter().all(|q| q.correct));
        assert!(r.recommendations.is_empty());
    }
}

#[test]
fn every_topic_quizzed_has_a_scenario_to_recommend_or_is_quiz_only() {
    let lib = shipped();
    let tags: Vec<(&str, &[String])> = lib.scenario_tags().collect();
    for q in lib.quiz_banks.values().flat_map(|b| &b.questions) {
        let topic = dunning_dojo::domain::syllabus::topic(&q.topic).unwrap();
        let tagged = tags.iter().any(|(_, t)| t.contains(&q.topic));
        assert!(
            tagged || !q.scenarios.is_empty() || !topic.needs_scenario,
            "{}: topic {} has no scenario to recommend",
            q.id,
            q.topic
        );
    }
}

#[test]
fn a_wrong_quiz_recommends_scenarios_for_its_weakest_topics() {
    let lib = shipped();
    let banks = lib.quiz_banks_in(Locale::En);
    let spec = QuizSpec {
        count: 20,
        seed: 5,
        ..QuizSpec::default()
    };
    let quiz = draw(&banks, &spec).unwrap();
    let nothing: Vec<Vec<String>> = vec![Vec::new(); quiz.questions.len()];
    let r = grade(&banks, &quiz, &nothing, lib.scenario_tags());
    assert_eq!(r.score, 0.0);
    assert!(!r.recommendations.is_empty() && r.recommendations.len() <= 3);
    for rec in &r.recommendations {
        assert!(
            lib.scenario(&rec.scenario).is_some(),
            "{} is playable",
            rec.scenario
        );
        assert!(r.topics.iter().any(|t| t.topic == rec.topic));
    }
}

#[test]
fn the_same_code_prints_the_same_quiz_and_another_code_another() {
    let print = |code: &str| {
        let o = run(
            &["quiz", "--code", code, "--print", "--json", "--lang", "en"],
            "",
        );
        assert!(o.status.success());
        stdout(&o)
    };
    let a = print("10-4821");
    assert_eq!(a, print("10-4821"));
    assert_ne!(a, print("10-4822"));
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["code"], "10-4821");
    assert_eq!(v["questions"].as_array().unwrap().len(), 10);
}

/// The share of one-answer questions whose right option is strictly the longest, in `locale`.
fn longest_is_right(locale: Locale) -> (usize, usize, Vec<String>) {
    let lib = shipped();
    let mut asked = 0;
    let mut giveaways = Vec::new();
    for q in lib.quiz_banks.values().flat_map(|b| &b.questions) {
        if !matches!(q.kind, QuestionKind::Single | QuestionKind::BestReply) {
            continue;
        }
        asked += 1;
        let len = |id: &str| {
            q.options
                .iter()
                .find(|o| o.id.as_str() == id)
                .map_or(0, |o| o.text.resolve(locale).chars().count())
        };
        let right = len(&q.answer[0]);
        if q.options
            .iter()
            .all(|o| o.id.as_str() == q.answer[0] || len(o.id.as_str()) < right)
        {
            giveaways.push(q.id.0.clone());
        }
    }
    (giveaways.len(), asked, giveaways)
}

#[test]
fn the_right_option_is_not_usually_the_longest() {
    // Guessing "the longest" must not pay: with four options chance is a quarter; allow some
    // more (a good reply often needs a few more words), but not most of the time.
    for locale in [Locale::ZhCn, Locale::En] {
        let (n, asked, which) = longest_is_right(locale);
        assert!(
            n * 100 <= asked * 35,
            "{n} of {asked} one-answer questions ({}) have the longest option right: {which:?}",
            locale.tag()
        );
    }
}
