//! The cmi5 course structure an LMS imports (`dunning-dojo cmi5-course`): one AU per playable
//! scenario (`dunningdojo://play/<id>`, its pass mark as the mastery score) and one for the
//! quiz, each titled and described in the languages the content has.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::launch_url::SCHEME;
use crate::domain::engine::session::{default_trainee, render_text};
use crate::domain::library::Library;
use crate::domain::quiz::QuizSpec;
use crate::domain::text::Locale;

/// The course structure's XML namespace (and its schema's location).
pub const NAMESPACE: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";

/// Questions in the course's quiz AU.
pub const QUIZ_COUNT: usize = 10;

/// Text in each language, as `(language tag, text)`.
type Langs = Vec<(&'static str, String)>;

/// One AU of the course.
#[derive(Clone, Debug, PartialEq)]
pub struct AuEntry {
    /// The publisher's id of the AU.
    pub id: String,
    /// Its launch URL (the LMS appends the launch parameters).
    pub url: String,
    /// The mastery score, 0 to 1.
    pub mastery_score: f64,
    /// Title per language.
    pub title: Langs,
    /// Description per language.
    pub description: Langs,
}

/// The AUs of `lib`'s course under `iri_base` (ending in `/`): playable scenarios in id
/// order, then the quiz when there are quiz banks.
pub fn aus(lib: &Library, iri_base: &str) -> Vec<AuEntry> {
    let mut out: Vec<AuEntry> = lib
        .scenarios
        .iter()
        .map(|(id, p)| {
            let c = &p.compiled;
            let langs = |text| -> Langs {
                let mut declared: Vec<Locale> = Locale::ALL
                    .into_iter()
                    .filter(|l| {
                        c.scenario
                            .locales
                            .iter()
                            .any(|t| Locale::from_tag(t) == Some(*l))
                    })
                    .collect();
                if declared.is_empty() {
                    // The XSD wants at least one langstring.
                    declared.push(Locale::ZhCn);
                }
                declared
                    .into_iter()
                    .map(|l| (l.tag(), render_text(c, l, default_trainee(l), text)))
                    .collect()
            };
            AuEntry {
                id: format!("{iri_base}au/scenarios/{id}"),
                url: format!("{SCHEME}://play/{id}"),
                mastery_score: f64::from(c.scenario.scoring.pass_mark) / 100.0,
                title: langs(&c.scenario.title),
                description: langs(&c.scenario.briefing),
            }
        })
        .collect();
    if !lib.quiz_banks.is_empty() {
        let banks = |l: Locale| {
            lib.quiz_banks
                .values()
                .map(|b| b.title.resolve(l).to_owned())
                .collect::<Vec<_>>()
                .join(l.pick("、", ", "))
        };
        out.push(AuEntry {
            id: format!("{iri_base}au/quiz"),
            url: format!("{SCHEME}://quiz/all?count={QUIZ_COUNT}"),
            mastery_score: QuizSpec::default().pass_mark / 100.0,
            title: vec![
                ("zh-CN", "自测题".into()),
                ("en", "Self-assessment quiz".into()),
            ],
            description: vec![
                (
                    "zh-CN",
                    format!(
                        "从以下题库随机抽取 {QUIZ_COUNT} 题：{}。",
                        banks(Locale::ZhCn)
                    ),
                ),
                (
                    "en",
                    format!("{QUIZ_COUNT} questions drawn from: {}.", banks(Locale::En)),
                ),
            ],
        });
    }
    out
}

/// A mastery score as the XSD's decimal: `0.7`, `0.85`, `1`.
fn decimal(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn langstrings(w: &mut Writer<Vec<u8>>, name: &str, texts: &Langs) -> std::io::Result<()> {
    w.create_element(name).write_inner_content(|w| {
        for (lang, text) in texts {
            w.create_element("langstring")
                .with_attribute(("lang", *lang))
                .write_text_content(BytesText::new(text))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The course structure XML of `lib` under `iri_base` (an absolute IRI; a `/` is added).
pub fn course_structure(lib: &Library, iri_base: &str) -> std::io::Result<Vec<u8>> {
    let base = crate::report::xapi::with_slash(iri_base);
    let aus = aus(lib, &base);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("courseStructure")
        .with_attribute(("xmlns", NAMESPACE))
        .write_inner_content(|w| {
            w.create_element("course")
                .with_attribute(("id", format!("{base}course").as_str()))
                .write_inner_content(|w| {
                    langstrings(
                        w,
                        "title",
                        &vec![
                            ("zh-CN", "催款道场".into()),
                            ("en", "Dunning Dojo".into()),
                        ],
                    )?;
                    langstrings(
                        w,
                        "description",
                        &vec![
                            (
                                "zh-CN",
                                "练习催收逾期的企业欠款：电话与上门的对话场景，以及自测题。".into(),
                            ),
                            (
                                "en",
                                "Practise collecting overdue business payments: phone and visit conversations, and a self-assessment quiz.".into(),
                            ),
                        ],
                    )
                })?;
            for au in &aus {
                w.create_element("au")
                    .with_attributes([
                        ("id", au.id.as_str()),
                        ("launchMethod", "OwnWindow"),
                        ("moveOn", "CompletedAndPassed"),
                        ("masteryScore", decimal(au.mastery_score).as_str()),
                    ])
                    .write_inner_content(|w| {
                        langstrings(w, "title", &au.title)?;
                        langstrings(w, "description", &au.description)?;
                        w.create_element("url")
                            .write_text_content(BytesText::new(&au.url))?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastery_scores_are_plain_decimals() {
        assert_eq!(decimal(0.7), "0.7");
        assert_eq!(decimal(0.85), "0.85");
        assert_eq!(decimal(1.0), "1");
        assert_eq!(decimal(0.0), "0");
    }
}
