//! What the statements say about the content: scenario and campaign names in every language
//! the content has, and the options a trainee was offered at each turn.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::domain::content::model::Node;
use crate::domain::engine::Compiled;
use crate::domain::engine::session::render_text;
use crate::domain::library::Library;
use crate::domain::text::{Locale, Text};

/// The content the statements describe, by id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    scenarios: BTreeMap<String, Arc<Compiled>>,
    campaigns: BTreeMap<String, Text>,
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
        }
    }

    /// A scenario's title as an xAPI language map, in each language it declares; `None` when
    /// the scenario is not in the catalog.
    pub fn scenario_name(&self, id: &str) -> Option<Value> {
        let c = self.scenarios.get(id)?;
        Some(language_map(c, |l| {
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
                    entry["description"] = language_map(c, |l| {
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
}

/// A language map of what `text` gives for each locale the scenario declares.
fn language_map(c: &Compiled, text: impl Fn(Locale) -> Option<String>) -> Value {
    let mut m = Map::new();
    for tag in &c.scenario.locales {
        if let Some(l) = Locale::from_tag(tag)
            && let Some(t) = text(l)
        {
            m.insert(l.tag().to_owned(), json!(t));
        }
    }
    Value::Object(m)
}
