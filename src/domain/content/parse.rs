//! The one parse path: a RON file's text becomes a typed document plus its span tree, or a
//! located diagnostic. The CLI, the game's asset loaders and the tests all call [`parse_document`].

use std::path::Path;

use super::model::{Campaign, Persona, QuizBank, Scenario};
use super::source::normalise;
use super::span;
use crate::domain::content::syntax::ron_options;
use crate::domain::diagnostics::Diagnostic;

/// A parsed content file of any kind.
#[derive(Clone, Debug)]
pub enum Document {
    /// A debtor persona.
    Persona(Box<Persona>),
    /// A scenario and its dialogue graph.
    Scenario(Box<Scenario>),
    /// A bank of quiz questions.
    QuizBank(Box<QuizBank>),
    /// A campaign: a collection desk over simulated weeks.
    Campaign(Box<Campaign>),
}

/// Parses `text` (the content of `path`) into a document.
///
/// The kind is chosen by the root name (`Persona(…)`, `Scenario(…)`, `QuizBank(…)` or `Campaign(…)`), so files
/// can live in any folder. The text is read as [`normalise`] gives it, and diagnostics point
/// into that text.
pub fn parse_document(path: &Path, text: &str) -> Result<Document, Box<Diagnostic>> {
    let text = normalise(text);
    let text = text.as_ref();
    let kind = span::root_name(text);
    let opts = ron_options();
    let doc = match kind.as_deref() {
        Some("Persona") => opts
            .from_str::<Persona>(text)
            .map(|p| Document::Persona(Box::new(p))),
        Some("Scenario") => opts
            .from_str::<Scenario>(text)
            .map(|s| Document::Scenario(Box::new(s))),
        Some("QuizBank") => opts
            .from_str::<QuizBank>(text)
            .map(|q| Document::QuizBank(Box::new(q))),
        Some("Campaign") => opts
            .from_str::<Campaign>(text)
            .map(|c| Document::Campaign(Box::new(c))),
        other => {
            return Err(Box::new(super::parse_error::unknown_kind(
                path, text, other,
            )));
        }
    };
    match doc {
        Ok(doc) => Ok(doc),
        Err(err) => Err(Box::new(super::parse_error::explain(
            path,
            text,
            kind.as_deref().unwrap_or_default(),
            &err,
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::diagnostics::codes;
    use crate::domain::diagnostics::suggest;

    fn fixture(name: &str) -> String {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        std::fs::read_to_string(dir.join(name)).unwrap()
    }

    fn err(src: &str) -> Diagnostic {
        *parse_document(Path::new("f.ron"), src).expect_err("should fail")
    }

    #[test]
    fn unknown_kind_is_reported() {
        let d = err("Sceanrio(id: \"x\")");
        assert_eq!(d.code, codes::UNKNOWN_KIND);
        assert_eq!(err("").code, codes::UNKNOWN_KIND);
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        let d = err("Persona(id: \"a\", nmae: \"x\")");
        assert_eq!(d.code, codes::UNKNOWN_FIELD);
        assert!(
            d.help.as_deref().unwrap().contains("did you mean `name`"),
            "{d:?}"
        );
        assert_eq!((d.line, d.col), (1, 18));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_a_type_error() {
        assert_eq!(err("Persona(id: \"a\", mood: \"calm\")").code, codes::TYPE);
        assert_eq!(err("Persona(id: 3)").code, codes::TYPE);
    }

    #[test]
    fn missing_field_and_syntax_errors_have_codes() {
        assert_eq!(err("Persona(id: \"a\")").code, codes::MISSING_FIELD);
        assert_eq!(err("Persona(id: \"a\" name: \"b\")").code, codes::SYNTAX);
    }

    #[test]
    fn a_byte_order_mark_is_read_past_and_positions_ignore_it() {
        let src = "\u{feff}Persona(id: \"a\", nmae: \"x\")";
        let d = err(src);
        assert_eq!(d.code, codes::UNKNOWN_FIELD);
        assert_eq!((d.line, d.col), (1, 18));
        let with_bom = format!("\u{feff}{}", fixture("persona.ron"));
        assert!(parse_document(Path::new("p.ron"), &with_bom).is_ok());
    }

    #[test]
    fn old_mac_line_ends_count_as_lines() {
        assert_eq!(normalise("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert!(matches!(normalise("a\r\nb"), std::borrow::Cow::Borrowed(_)));
        let d = err("// a comment\rPersona(\r  id: \"a\",\r  nmae: \"x\")");
        assert_eq!(d.code, codes::UNKNOWN_FIELD);
        assert_eq!((d.line, d.col), (4, 3));
    }

    #[test]
    fn too_deep_nesting_says_so_in_plain_words() {
        let base = fixture("scenario.ron");
        let nested = format!("{}MoodBelow(-10){}", "Not(".repeat(300), ")".repeat(300));
        let deep = base.replacen("MoodBelow(-10)", &nested, 1);
        assert_ne!(deep, base);
        let d = err(&deep);
        let at = base.find("MoodBelow(-10)").unwrap();
        assert_eq!(d.line, crate::domain::diagnostics::line_col(&base, at).0);
        assert_eq!(d.code, codes::SYNTAX);
        assert!(
            d.message
                .starts_with("values are nested more than 128 levels deep here;"),
            "{d:?}"
        );
        assert!(!d.message.contains("serde_stacker"), "{d:?}");
    }

    #[test]
    fn suggest_only_offers_near_misses() {
        assert_eq!(
            suggest("courteous_frim", &["courteous_firm", "neutral"]),
            Some("courteous_firm")
        );
        assert_eq!(suggest("xyz", &["courteous_firm", "neutral"]), None);
        assert_eq!(
            suggest("soft_ending", &["soft_end", "promise"]),
            Some("soft_end")
        );
        assert_eq!(suggest("name", &["nmae", "id"]), Some("nmae"));
        let huge = format!("name{}", "x".repeat(1_000_000));
        assert_eq!(suggest(&huge, &["id", "name"]), Some("name"));
        assert_eq!(suggest(&"x".repeat(1_000_000), &["id", "name"]), None);
    }
}
