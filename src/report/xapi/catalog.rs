//! What the statements say about the content: scenario and campaign names in every language
//! the content has, the options a trainee was offered at each turn, and each quiz question
//! with its options.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::domain::content::model::{Node, QuestionKind, QuizBank};
use crate::domain::engine::Compiled;
use crate::domain::engine::session::render_text;
use crate::domain::library::Library;
use crate::domain::text::{Locale, Text};

/// The content the statements describe, by id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    scenarios: BTreeMap<String, Arc<Compiled>>,
    campaigns: BTreeMap<String, Text>,
    /// Each question id: its bank, and its index there.
    questions: BTreeMap<String, (Arc<QuizBank>, usize)>,
}

impl Catalog {
    /// Every playable scenario and campaign of `lib`.
    pub fn from_library(lib: &Library) -> Catalog {
        Catalog {
            scenarios: lib
                .scenarios
                .iter()
                .map(|(id, p)| (id.clone(), p.compiled.clone()))
                .collect(),
            campaigns: lib
                .campaigns
                .iter()
                .map(|(id, c)| (id.clone(), c.title.clone()))
                .collect(),
            questions: lib
                .quiz_banks
                .values()
                .flat_map(|b| {
                    b.questions
                        .iter()
                        .enumerate()
                        .map(|(k, q)| (q.id.0.clone(), (Arc::clone(b), k)))
                })
                .collect(),
        }
    }

    /// A scenario's title as an xAPI language map, in each language it declares; `None` when
    /// the scenario is not in the catalog.
    pub fn scenario_name(&self, id: &str) -> Option<Value> {
        let c = self.scenarios.get(id)?;
        Some(language_map(&c.scenario.locales, |l| {
            c.scenario
                .title
                .get(l)
                .map(|_| render_text(c, l, "", &c.scenario.title))
        }))
    }

    /// A campaign's title as an xAPI language map.
    pub fn campaign_name(&self, id: &str) -> Option<Value> {
        let title = self.campaigns.get(id)?;
        let mut m = Map::new();
        for l in Locale::ALL {
            if let Some(t) = title.get(l) {
                m.insert(l.tag().to_owned(), json!(t));
            }
        }
        Some(Value::Object(m))
    }

    /// The options offered at `node` of `scenario`: each choice id, with its line in every
    /// language the scenario declares when `text` (else the id alone). `None` when the node
    /// is not known (content changed since).
    pub fn choices(&self, scenario: &str, node: &str, trainee: &str, text: bool) -> Option<Value> {
        let c = self.scenarios.get(scenario)?;
        let choices = c.scenario.nodes.iter().find_map(|n| match n {
            Node::Debtor(d) if d.id.0 == node => Some(&d.choices),
            _ => None,
        })?;
        let list = choices
            .iter()
            .map(|choice| {
                let mut entry = json!({ "id": choice.id.0 });
                if text {
                    entry["description"] = language_map(&c.scenario.locales, |l| {
                        choice
                            .text
                            .get(l)
                            .map(|_| render_text(c, l, trainee, &choice.text))
                    });
                }
                entry
            })
            .collect();
        Some(Value::Array(list))
    }

    /// The interaction definition of quiz question `id` of kind `kind` (without its correct
    /// response): `choice`, `sequencing` or `true-false`; the options as `choices`; with `text`,
    /// the prompt as its name and a best reply's debtor line as its description, in every
    /// language the bank declares. A question not in the catalog gets its type alone.
    pub fn question(&self, id: &str, kind: QuestionKind, text: bool) -> Value {
        let mut definition = json!({
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": match kind {
                QuestionKind::TrueFalse => "true-false",
                QuestionKind::Order => "sequencing",
                QuestionKind::Single | QuestionKind::Multiple | QuestionKind::BestReply => "choice",
            },
        });
        let Some((bank, k)) = self.questions.get(id) else {
            return definition;
        };
        let q = &bank.questions[*k];
        let map = |t: &Text| language_map(&bank.locales, |l| t.get(l).map(str::to_owned));
        if text {
            definition["name"] = map(&q.prompt);
            if let Some(line) = &q.debtor_line {
                definition["description"] = map(line);
            }
        }
        if kind != QuestionKind::TrueFalse {
            let choices = q
                .options
                .iter()
                .map(|o| {
                    let mut entry = json!({ "id": o.id.0 });
                    if text {
                        entry["description"] = map(&o.text);
                    }
                    entry
                })
                .collect();
            definition["choices"] = Value::Array(choices);
        }
        definition
    }
}

/// A language map of what `text` gives for each locale of `tags` (a scenario's or a bank's).
fn language_map(tags: &[String], text: impl Fn(Locale) -> Option<String>) -> Value {
    let mut m = Map::new();
    for tag in tags {
        if let Some(l) = Locale::from_tag(tag)
            && let Some(t) = text(l)
        {
            m.insert(l.tag().to_owned(), json!(t));
        }
    }
    Value::Object(m)
}
