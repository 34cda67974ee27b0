//! `quiz`: a self-assessment quiz in the terminal, or scripted with `--answers`.

use std::path::Path;

use serde::Serialize;

use super::input::{Line, read_line};
use super::{Failure, QuizArgs, record};
use crate::domain::library::Library;
use crate::domain::mode::Mode;
use crate::domain::quiz::{
    Drawn, Question, QuestionKind, QuizBank, QuizResult, QuizSpec, draw, grade, grade_question,
    option_letter, quiz_locale,
};
use crate::domain::text::Locale;
use crate::store::NewQuiz;

/// Turns typed input into option ids, using the letters as shown.
pub fn parse_response(bank: &QuizBank, d: &Drawn, input: &str) -> Result<Vec<String>, String> {
    let q = &bank.questions[d.question];
    let input = input.trim();
    if q.kind == QuestionKind::TrueFalse {
        return match input.to_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "对" | "是" | "正确" => Ok(vec!["true".into()]),
            "f" | "false" | "n" | "no" | "错" | "否" | "错误" => Ok(vec!["false".into()]),
            _ => Err("answer T (true) or F (false)".into()),
        };
    }
    let letters: Vec<char> = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '+' | '-' | ',' | '，' | '、'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut ids = Vec::new();
    for c in letters {
        let Some(pos) = (0..d.shown.len()).find(|&i| option_letter(i) == c) else {
            return Err(format!(
                "`{c}` is not an option; use the letters A to {}",
                option_letter(d.shown.len().saturating_sub(1))
            ));
        };
        let id = q.options[d.shown[pos]].id.0.clone();
        if ids.contains(&id) {
            return Err(format!("`{c}` is given twice"));
        }
        ids.push(id);
    }
    match q.kind {
        QuestionKind::Single | QuestionKind::BestReply if ids.len() != 1 => {
            Err("give one letter".into())
        }
        QuestionKind::Multiple if ids.is_empty() => {
            Err("give one or more letters, e.g. A+C".into())
        }
        QuestionKind::Order if ids.len() != d.shown.len() => Err(format!(
            "give all {} letters in order, e.g. {}",
            d.shown.len(),
            (0..d.shown.len())
                .rev()
                .map(option_letter)
                .collect::<String>()
        )),
        _ => Ok(ids),
    }
}

/// "✓ Right — why", or "× Not quite (50%) — the right answer is B+D — why".
fn marking(q: &Question, d: &Drawn, response: &[String], locale: Locale) -> String {
    let (credit, correct) = grade_question(q, response);
    let why = q.explanation.resolve(locale);
    if correct {
        return format!("{} — {why}", locale.pick("✓ 正确", "✓ Right"));
    }
    format!(
        "{} ({:.0}%) — {} {} — {why}",
        locale.pick("× 不对", "× Not quite"),
        credit * 100.0,
        locale.pick("正确答案：", "the right answer is"),
        d.letters(q, &q.answer)
    )
}

#[derive(Serialize)]
struct QuizOutput<'a> {
    banks: Vec<&'a str>,
    code: &'a str,
    lang: &'a str,
    count: usize,
    #[serde(flatten)]
    result: &'a QuizResult,
    recommended: Vec<Recommended<'a>>,
}

#[derive(Serialize)]
struct Recommended<'a> {
    scenario: &'a str,
    title: String,
    topic: &'a str,
}

/// `quiz`.
pub fn quiz(lib: &Library, args: &QuizArgs, db: Option<&Path>) -> Result<u8, Failure> {
    let started_at = crate::store::now();
    let mode = if args.exam {
        Mode::Exam
    } else {
        Mode::Practice
    };
    // The name and the database are checked before the first question (see `play`).
    let mut store = match args.trainee.as_deref() {
        Some(trainee) => {
            record::check_names(trainee, args.team.as_deref())?;
            Some(record::open_for_saving(db, lib)?)
        }
        None => None,
    };
    let banks = banks_of(lib, args.bank.as_deref())?;
    let locale = quiz_language(lib, &banks, args.lang.unwrap_or(Locale::ZhCn))?;
    for t in &args.topic {
        if crate::domain::syllabus::topic(t).is_none() {
            return Err(Failure::usage(format!(
                "`{t}` is not a syllabus topic; see `dunning-dojo coverage`"
            )));
        }
    }
    let spec = match &args.code {
        Some(code) => QuizSpec::from_code(code).map_err(|e| Failure::usage(e.to_string()))?,
        None => QuizSpec {
            count: args.count,
            topics: args.topic.clone(),
            difficulty: args.difficulty.map(Into::into),
            seed: args.seed,
            ..QuizSpec::default()
        },
    };
    let code = spec.code();
    let quiz = draw(&banks, &spec).map_err(|e| Failure::usage(e.to_string()))?;
    if args.print {
        print_quiz(&banks, &quiz, &code, locale, args.json);
        return Ok(0);
    }
    let scripted = args.answers.as_deref();
    let stdin = std::io::stdin();
    let Answered { responses, times } = answer(
        &banks,
        &quiz,
        scripted,
        (mode, locale, args.json),
        &mut stdin.lock(),
    )?;
    let result = grade(&banks, &quiz, &responses, lib.scenario_tags());
    let output = QuizOutput {
        banks: banks.iter().map(|b| b.id.as_str()).collect(),
        code: &code,
        lang: locale.tag(),
        count: quiz.questions.len(),
        result: &result,
        recommended: recommended(lib, &result, locale),
    };
    // Saved before anything of the result is printed; a failure is told after it (see `play`).
    let saved = match (&mut store, args.trainee.as_deref()) {
        (Some(store), Some(trainee)) => {
            record::save_quiz(
                store,
                &NewQuiz {
                    trainee,
                    team: None,
                    session: None,
                    code: &code,
                    locale: locale.tag(),
                    mode,
                    started_at,
                    ended_at: crate::store::now(),
                    answer_times: &times,
                    result: &result,
                },
                args.team.as_deref(),
                serde_json::to_value(&output).unwrap_or_default(),
            )
            .0
        }
        _ => record::Saved::NotAsked,
    };
    if args.json {
        out!(
            "{}",
            serde_json::to_string_pretty(&output).unwrap_or_default()
        );
        return saved.finish();
    }
    print_outcome(
        &banks,
        &quiz,
        &responses,
        &output,
        scripted.is_some() || mode == Mode::Exam,
    );
    saved.finish()
}

/// The banks a quiz draws from: `bank`, or every bank.
pub(super) fn banks_of(lib: &Library, bank: Option<&str>) -> Result<Vec<QuizBank>, Failure> {
    let banks: Vec<QuizBank> = match bank {
        Some(id) => match lib.quiz_banks.get(id) {
            Some(b) => vec![(**b).clone()],
            None => {
                let known: Vec<&str> = lib.quiz_banks.keys().map(String::as_str).collect();
                return Err(Failure::usage(format!(
                    "unknown quiz bank `{id}`; the banks are: {}",
                    if known.is_empty() {
                        "(none; run `dunning-dojo lint`)".to_owned()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        },
        None => lib.quiz_banks.values().map(|b| (**b).clone()).collect(),
    };
    if banks.is_empty() {
        return Err(Failure::usage(
            "no quiz banks were found; check --content and run `dunning-dojo lint`",
        ));
    }
    Ok(banks)
}

/// The one language of a quiz from `banks` when `requested`: that language, or its fallback
/// (zh-TW: zh-CN, with a note on stderr) when a bank lacks it; refused when a bank has neither.
pub(super) fn quiz_language(
    lib: &Library,
    banks: &[QuizBank],
    requested: Locale,
) -> Result<Locale, Failure> {
    let locale = quiz_locale(banks, requested).ok_or_else(|| {
        let b = banks
            .iter()
            .find(|b| {
                !b.locales
                    .iter()
                    .any(|t| Locale::from_tag(t) == Some(requested))
            })
            .map_or("", |b| b.id.as_str());
        Failure::usage(format!(
            "quiz bank `{b}` is not written in {}",
            requested.tag()
        ))
    })?;
    let lacking: Vec<String> = banks
        .iter()
        .filter(|b| requested.served_by(&b.locales) != Some(requested))
        .map(|b| format!("quiz bank `{}`", b.id))
        .collect();
    let all = lib.quiz_banks.values();
    super::fallback_note(
        requested,
        locale,
        &lacking.join(", "),
        all.map(|b| (b.id.as_str(), b.locales.as_slice())),
    );
    Ok(locale)
}

/// A quiz's answers: each question's response (option ids) and when it was given.
pub(super) struct Answered {
    /// One response per question, in the order asked.
    pub responses: Vec<Vec<String>>,
    /// When each was given.
    pub times: Vec<jiff::Timestamp>,
}

/// The answers to `quiz`: `scripted` (one per question, as `--answers` takes them) or asked
/// at the terminal, marking each in practice mode (`json` with a script shows nothing).
pub(super) fn answer(
    banks: &[QuizBank],
    quiz: &crate::domain::quiz::Quiz,
    scripted: Option<&[String]>,
    (mode, locale, json): (Mode, Locale, bool),
    input: &mut impl std::io::BufRead,
) -> Result<Answered, Failure> {
    if let Some(a) = scripted
        && a.len() != quiz.questions.len()
    {
        return Err(Failure::usage(format!(
            "the quiz has {} question(s) but {} answer(s) were given",
            quiz.questions.len(),
            a.len()
        )));
    }
    let mut responses = Vec::new();
    let mut times = Vec::new();
    for (k, d) in quiz.questions.iter().enumerate() {
        let bank = &banks[d.bank];
        let q = &bank.questions[d.question];
        let show = !json || scripted.is_none();
        if show && scripted.is_none() {
            print_question(bank, d, k, quiz.questions.len(), locale);
        }
        let response = match scripted {
            Some(a) => parse_response(bank, d, &a[k])
                .map_err(|e| Failure::usage(format!("answer {} (`{}`): {e}", k + 1, a[k])))?,
            None => loop {
                out_inline!("> ");
                match read_line(input) {
                    Ok(Line::End) => {
                        return Err(Failure::usage("input ended before the quiz did"));
                    }
                    Ok(Line::Text(line)) => match parse_response(bank, d, &line) {
                        Ok(r) => break r,
                        Err(e) => out!("  {e}"),
                    },
                    Ok(Line::Bad(why)) => out!("  {why}"),
                    Err(e) => return Err(Failure::usage(format!("cannot read the terminal: {e}"))),
                }
            },
        };
        if scripted.is_none() && mode == Mode::Practice {
            out!("  {}", marking(q, d, &response, locale));
            out!();
        }
        responses.push(response);
        times.push(crate::store::now());
    }
    Ok(Answered { responses, times })
}

/// The scenarios recommended for `result`'s weakest topics, with their titles.
fn recommended<'a>(lib: &Library, result: &'a QuizResult, locale: Locale) -> Vec<Recommended<'a>> {
    result
        .recommendations
        .iter()
        .map(|r| Recommended {
            scenario: &r.scenario,
            title: lib
                .scenario(&r.scenario)
                .map_or_else(String::new, |c| c.scenario.title.resolve(locale).to_owned()),
            topic: &r.topic,
        })
        .collect()
}

/// Prints `result` (the grade of `responses`) for a reader (`explain`: question by question,
/// for a run that has not seen the marking yet).
pub(super) fn print_graded(
    lib: &Library,
    banks: &[QuizBank],
    quiz: &crate::domain::quiz::Quiz,
    (responses, result): (&[Vec<String>], &QuizResult),
    (code, locale, explain): (&str, Locale, bool),
) {
    let output = QuizOutput {
        banks: banks.iter().map(|b| b.id.as_str()).collect(),
        code,
        lang: locale.tag(),
        count: quiz.questions.len(),
        result,
        recommended: recommended(lib, result, locale),
    };
    print_outcome(banks, quiz, responses, &output, explain);
}

/// Prints a graded quiz: score and verdict, topics, recommendations, and with `explain` each
/// question's marking.
fn print_outcome(
    banks: &[QuizBank],
    quiz: &crate::domain::quiz::Quiz,
    responses: &[Vec<String>],
    output: &QuizOutput<'_>,
    explain: bool,
) {
    let (result, code) = (output.result, output.code);
    let locale = Locale::from_tag(output.lang).unwrap_or(Locale::ZhCn);
    let verdict = if result.passed {
        locale.pick("通过", "PASSED")
    } else {
        locale.pick("未通过", "NOT PASSED")
    };
    out!("==== {} ====", locale.pick("测验结果", "Quiz result"));
    out!(
        "{} {:.1} / {}   {verdict}   ({} {})",
        locale.pick("得分", "Score"),
        result.score,
        result.pass_mark,
        locale.pick("题目代码", "quiz code"),
        code
    );
    out!("{}", locale.pick("按主题：", "By topic:"));
    for t in &result.topics {
        let name = crate::domain::syllabus::topic(&t.topic)
            .map_or(t.topic.as_str(), |x| locale.pick(x.zh, x.en));
        out!("  {:>5.1}  {name}  ({}/{})", t.score, t.correct, t.asked);
    }
    if !output.recommended.is_empty() {
        out!(
            "{}",
            locale.pick("建议练习的场景：", "Scenarios to practise:")
        );
        for r in &output.recommended {
            out!(
                "  {}  {}   (dunning-dojo play {})",
                r.scenario,
                r.title,
                r.scenario
            );
        }
    }
    // A scripted run, or an exam, has not seen the explanations yet.
    if explain {
        out!("{}", locale.pick("逐题解析：", "Question by question:"));
        for (k, (d, response)) in quiz.questions.iter().zip(responses).enumerate() {
            let q = &banks[d.bank].questions[d.question];
            out!("  {}. {}", k + 1, q.prompt.resolve(locale));
            out!("     {}", marking(q, d, response, locale));
        }
    }
}

#[derive(Serialize)]
struct PrintedQuestion<'a> {
    number: usize,
    id: &'a str,
    topic: &'a str,
    kind: QuestionKind,
    prompt: &'a str,
    debtor_line: Option<&'a str>,
    options: Vec<PrintedOption<'a>>,
}

#[derive(Serialize)]
struct PrintedOption<'a> {
    letter: char,
    id: &'a str,
    text: &'a str,
}

fn print_quiz(
    banks: &[QuizBank],
    quiz: &crate::domain::quiz::Quiz,
    code: &str,
    locale: Locale,
    json: bool,
) {
    if json {
        let printed: Vec<PrintedQuestion<'_>> = quiz
            .questions
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let q = &banks[d.bank].questions[d.question];
                PrintedQuestion {
                    number: k + 1,
                    id: q.id.as_str(),
                    topic: &q.topic,
                    kind: q.kind,
                    prompt: q.prompt.resolve(locale),
                    debtor_line: q.debtor_line.as_ref().map(|t| t.resolve(locale)),
                    options: d
                        .shown
                        .iter()
                        .enumerate()
                        .map(|(i, &o)| PrintedOption {
                            letter: option_letter(i),
                            id: q.options[o].id.as_str(),
                            text: q.options[o].text.resolve(locale),
                        })
                        .collect(),
                }
            })
            .collect();
        out!("{}", serde_json::to_string_pretty(&serde_json::json!({ "code": code, "seed": quiz.seed, "lang": locale.tag(), "questions": printed })).unwrap_or_default());
        return;
    }
    out!("{} {code}", locale.pick("题目代码", "Quiz code"));
    out!();
    for (k, d) in quiz.questions.iter().enumerate() {
        print_question(&banks[d.bank], d, k, quiz.questions.len(), locale);
        out!();
    }
}

fn print_question(bank: &QuizBank, d: &Drawn, k: usize, n: usize, locale: Locale) {
    let q = &bank.questions[d.question];
    let topic = crate::domain::syllabus::topic(&q.topic)
        .map_or(q.topic.as_str(), |t| locale.pick(t.zh, t.en));
    out!(
        "{} {}/{n} · {topic} · {}",
        locale.pick("第", "Question"),
        k + 1,
        q.kind.instruction(locale)
    );
    out!("{}", q.prompt.resolve(locale));
    if let Some(line) = &q.debtor_line {
        out!(
            "  {} {}",
            locale.pick("【对方】", "[Debtor]"),
            line.resolve(locale)
        );
    }
    if q.kind == QuestionKind::TrueFalse {
        out!(
            "  T) {}   F) {}",
            locale.pick("对", "True"),
            locale.pick("错", "False")
        );
    }
    for (i, &o) in d.shown.iter().enumerate() {
        out!(
            "  {}) {}",
            option_letter(i),
            q.options[o].text.resolve(locale)
        );
    }
}
