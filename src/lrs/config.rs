//! The trainer's LRS setting: endpoint, key, secret, IRI base and whether dialogue text goes
//! into statements. Kept in the results database's settings (so the game and the command line
//! share it), each field overridable from the environment. The secret is never shown back.

use crate::report::xapi::{self, Catalog, Xapi};
use crate::store::Store;

use super::client::{Lrs, Secret};

/// Environment variables that override the stored setting, field by field.
pub const ENV_ENDPOINT: &str = "DUNNING_DOJO_LRS_ENDPOINT";
/// The key (user name) for basic authorisation.
pub const ENV_KEY: &str = "DUNNING_DOJO_LRS_KEY";
/// The secret (password) for basic authorisation.
pub const ENV_SECRET: &str = "DUNNING_DOJO_LRS_SECRET";
/// The IRI base of activities and extensions.
pub const ENV_IRI_BASE: &str = "DUNNING_DOJO_LRS_IRI_BASE";
/// `0`/`no`/`off` leaves dialogue text out of statements.
pub const ENV_DIALOGUE_TEXT: &str = "DUNNING_DOJO_LRS_DIALOGUE_TEXT";

const ENDPOINT: &str = "lrs.endpoint";
const KEY: &str = "lrs.key";
const SECRET: &str = "lrs.secret";
const IRI_BASE: &str = "lrs.iri_base";
const DIALOGUE_TEXT: &str = "lrs.dialogue_text";

/// Where statements are sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LrsConfig {
    /// The xAPI root (`https://lrs.example.com/xAPI/`).
    pub endpoint: String,
    /// The key (basic authorisation's user name).
    pub key: String,
    /// The secret (basic authorisation's password).
    pub secret: Secret,
    /// The IRI base of activities, accounts and extensions.
    pub iri_base: String,
    /// Whether dialogue text goes into statements (off: ids, scores and times only).
    pub dialogue_text: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn yes(v: &str) -> bool {
    !matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "0" | "no" | "off" | "false"
    )
}

impl LrsConfig {
    /// The setting in `store`, each field overridden by its environment variable; `None` when
    /// no endpoint is set anywhere (no LRS: nothing is queued or sent).
    pub fn load(store: &Store) -> Result<Option<LrsConfig>, String> {
        let stored = |key: &str| store.setting(key).map_err(|e| e.to_string());
        let Some(endpoint) = env(ENV_ENDPOINT).map_or_else(|| stored(ENDPOINT), |v| Ok(Some(v)))?
        else {
            return Ok(None);
        };
        let field = |var: &str, key: &str| -> Result<String, String> {
            Ok(env(var)
                .map_or_else(|| stored(key), |v| Ok(Some(v)))?
                .unwrap_or_default())
        };
        let iri_base = field(ENV_IRI_BASE, IRI_BASE)?;
        let dialogue_text = field(ENV_DIALOGUE_TEXT, DIALOGUE_TEXT)?;
        Ok(Some(LrsConfig {
            endpoint,
            key: field(ENV_KEY, KEY)?,
            secret: Secret::new(field(ENV_SECRET, SECRET)?),
            iri_base: if iri_base.is_empty() {
                xapi::DEFAULT_BASE.to_owned()
            } else {
                iri_base
            },
            dialogue_text: dialogue_text.is_empty() || yes(&dialogue_text),
        }))
    }

    /// Checks the setting before it is saved or used: an absolute http(s) endpoint and IRI
    /// base, a key and a secret.
    pub fn check(&self) -> Result<(), String> {
        xapi::check_base(&self.endpoint)
            .map_err(|e| e.replace("--iri-base", "the LRS endpoint"))?;
        xapi::check_base(&self.iri_base)?;
        if self.key.trim().is_empty() {
            return Err("the LRS needs a key (the user name it gave you)".into());
        }
        if self.secret.is_empty() {
            return Err("the LRS needs a secret (the password it gave you)".into());
        }
        Ok(())
    }

    /// Saves the setting into `store` (after [`LrsConfig::check`]).
    pub fn save(&self, store: &mut Store) -> Result<(), String> {
        self.check()?;
        let text = if self.dialogue_text { "yes" } else { "no" };
        store
            .set_settings(&[
                (ENDPOINT, Some(&self.endpoint)),
                (KEY, Some(&self.key)),
                (SECRET, Some(self.secret.expose())),
                (IRI_BASE, Some(&self.iri_base)),
                (DIALOGUE_TEXT, Some(text)),
            ])
            .map_err(|e| e.to_string())
    }

    /// Removes the stored setting (statements already queued stay queued).
    pub fn forget(store: &mut Store) -> Result<(), String> {
        store
            .set_settings(&[
                (ENDPOINT, None),
                (KEY, None),
                (SECRET, None),
                (IRI_BASE, None),
                (DIALOGUE_TEXT, None),
            ])
            .map_err(|e| e.to_string())
    }

    /// The client for this LRS.
    pub fn client(&self) -> Lrs {
        Lrs::basic(&self.endpoint, &self.key, &self.secret)
    }

    /// The statement maker for this setting, describing `catalog`'s content.
    pub fn statements(&self, catalog: Catalog, lang: &str) -> Xapi {
        Xapi::new(&self.iri_base, lang)
            .with_catalog(catalog)
            .with_dialogue_text(self.dialogue_text)
    }
}
