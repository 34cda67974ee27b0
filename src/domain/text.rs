//! Player-facing text: a plain string or a per-locale map, locales, and `{variable}` templates.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A locale the product ships content and interface strings for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Locale {
    /// Simplified Chinese (`zh-CN`), the course's own language.
    ZhCn,
    /// English (`en`).
    En,
    /// Traditional Chinese as read in Taiwan (`zh-TW`): content translated through
    /// `strings export`/`import`; the interface shows the Simplified text (see [`Locale::pick`]).
    ZhTw,
}

impl Locale {
    /// Every supported locale, in display order.
    pub const ALL: [Locale; 3] = [Locale::ZhCn, Locale::ZhTw, Locale::En];

    /// The BCP 47 tag used in content files and on the command line.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
            Locale::ZhTw => "zh-TW",
        }
    }

    /// The language's name in itself, for a language button or list: `繁體中文`.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "简体中文",
            Locale::En => "English",
            Locale::ZhTw => "繁體中文",
        }
    }

    /// The supported tags for a message: `` `zh-CN`, `zh-TW` or `en` ``.
    pub fn tags_list() -> String {
        let tags: Vec<String> = Locale::ALL
            .iter()
            .map(|l| format!("`{}`", l.tag()))
            .collect();
        match tags.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => tags.concat(),
        }
    }

    /// Parses a tag as written in content files (`zh-CN`, `en`, `zh-TW`); case-insensitive.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The locale whose content this locale's readers read when a text or a scenario lacks
    /// their own: zh-TW readers read Simplified Chinese. English has none: an English reader is
    /// not assumed to read Chinese, so a scenario without `en` is not played in `en`.
    pub fn fallback(self) -> Option<Locale> {
        match self {
            Locale::ZhTw => Some(Locale::ZhCn),
            Locale::ZhCn | Locale::En => None,
        }
    }

    /// The locale a reader who chose `self` is served in by content offered in `offered`
    /// (tags, as in a scenario's `locales`): `self` when offered, else its [`fallback`] when
    /// that is offered, else `None`.
    ///
    /// [`fallback`]: Locale::fallback
    pub fn served_by(self, offered: &[String]) -> Option<Locale> {
        let offers = |l: Locale| offered.iter().any(|t| Locale::from_tag(t) == Some(l));
        std::iter::once(self)
            .chain(self.fallback())
            .find(|&l| offers(l))
    }

    /// The locale the interface is shown in: interface strings are written in Simplified
    /// Chinese and English only, so zh-TW shows the Simplified interface. Content (scenario,
    /// persona and quiz texts) is shown in zh-TW wherever its file declares zh-TW in `locales`.
    pub fn interface(self) -> Locale {
        match self {
            Locale::ZhCn | Locale::ZhTw => Locale::ZhCn,
            Locale::En => Locale::En,
        }
    }

    /// The locale content offered in `offered` is shown in to a reader who chose `self` in the
    /// game: [`served_by`], else the first supported locale offered (a scenario without `en`
    /// plays in its own language rather than not at all), else `self`.
    ///
    /// [`served_by`]: Locale::served_by
    pub fn closest_in(self, offered: &[String]) -> Locale {
        self.served_by(offered)
            .or_else(|| offered.iter().find_map(|t| Locale::from_tag(t)))
            .unwrap_or(self)
    }

    /// Picks the text for this locale out of a pair, so interface strings stay side by side.
    ///
    /// For zh-TW this is the Simplified text: see [`Locale::interface`].
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self.interface() {
            Locale::En => en,
            Locale::ZhCn | Locale::ZhTw => zh,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.tag())
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tag = String::deserialize(d)?;
        Locale::from_tag(&tag).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown locale `{tag}`: supported locales are {}",
                Locale::tags_list()
            ))
        })
    }
}

/// A piece of player-facing text: the same words for every locale, or one entry per locale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    /// One string for every locale (names, invoice numbers, figures).
    Plain(String),
    /// One string per locale tag, in file order, exactly as written (checked by the validator).
    Localized(Vec<(String, String)>),
}

impl Text {
    /// The text for `locale`; a plain string serves every locale. `None` when the map lacks it.
    pub fn get(&self, locale: Locale) -> Option<&str> {
        match self {
            Text::Plain(s) => Some(s),
            Text::Localized(map) => map
                .iter()
                .find(|(k, _)| Locale::from_tag(k) == Some(locale))
                .map(|(_, v)| v.as_str()),
        }
    }

    /// The text for `locale`, else for its [`Locale::fallback`] (zh-TW shows zh-CN), else any
    /// other entry so a display never goes blank.
    ///
    /// The validator rejects texts missing a locale their file declares, so beyond the
    /// declared fallback this only shows on content that failed validation and was loaded anyway.
    pub fn resolve(&self, locale: Locale) -> &str {
        self.get(locale)
            .or_else(|| locale.fallback().and_then(|f| self.get(f)))
            .or_else(|| match self {
                Text::Plain(s) => Some(s.as_str()),
                Text::Localized(map) => map.first().map(|(_, v)| v.as_str()),
            })
            .unwrap_or("")
    }

    /// Every string in this text with the locale tag it belongs to (`None` for plain text).
    pub fn entries(&self) -> Vec<(Option<&str>, &str)> {
        match self {
            Text::Plain(s) => vec![(None, s.as_str())],
            Text::Localized(map) => map
                .iter()
                .map(|(k, v)| (Some(k.as_str()), v.as_str()))
                .collect(),
        }
    }

    /// Builds a two-locale text; used by generated content and tests.
    pub fn pair(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text::Localized(vec![
            ("zh-CN".to_owned(), zh.into()),
            ("en".to_owned(), en.into()),
        ])
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Plain(p) => s.serialize_str(p),
            Text::Localized(map) => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    r#"a string, or a map of locale to string such as {"zh-CN": "…", "en": "…"}"#,
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out: Vec<(String, String)> = Vec::with_capacity(2);
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    if out.iter().any(|(seen, _)| *seen == k) {
                        return Err(de::Error::custom(format!(
                            "locale `{k}` appears twice in one text"
                        )));
                    }
                    out.push((k, v));
                }
                Ok(Text::Localized(out))
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

/// The names a `{variable}` in content may use, filled from the persona, scenario and player.
pub const TEMPLATE_VARIABLES: &[&str] = &[
    "amount",
    "amount_spoken",
    "invoices",
    "due_date",
    "days_overdue",
    "debtor",
    "company",
    "role",
    "goods",
    "supplier",
    "trainee",
];

/// A `{name}` found in a text, with its byte range inside that text.
#[derive(Debug, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// The variable name between the braces.
    pub name: &'a str,
    /// Byte offset of the opening brace.
    pub start: usize,
}

/// Lists the `{name}` placeholders in `text`; `{{` and `}}` are literal braces.
pub fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                if let Some(len) = text[i + 1..].find('}') {
                    out.push(Placeholder {
                        name: &text[i + 1..i + 1 + len],
                        start: i,
                    });
                    i += len + 2;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Replaces each `{name}` with `lookup(name)` (left as written when `lookup` has no value).
pub fn render_template(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    if !text.contains(['{', '}']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let Some(stripped) = tail.strip_prefix('{')
            && let Some(end) = stripped.find('}')
        {
            let name = &stripped[..end];
            rest = &stripped[end + 1..];
            match lookup(name) {
                // "Huajian Co., Ltd." ending a sentence must not print "Ltd..".
                Some(v) if v.ends_with('.') && rest.starts_with('.') && !rest.starts_with("..") => {
                    out.push_str(&v[..v.len() - 1]);
                }
                Some(v) => out.push_str(&v),
                None => out.push_str(&tail[..end + 2]),
            }
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// True when `s` holds Han characters: used to spot untranslated plain strings.
pub fn has_han(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Text {
        ron::from_str(src).expect("valid text")
    }

    #[test]
    fn plain_text_serves_every_locale() {
        let t = parse(r#""HD-2026-0318""#);
        assert_eq!(t.get(Locale::ZhCn), Some("HD-2026-0318"));
        assert_eq!(t.get(Locale::En), Some("HD-2026-0318"));
    }

    #[test]
    fn localized_text_picks_its_locale_and_reports_gaps() {
        let t = parse(r#"{"zh-CN": "您好", "en": "Hello"}"#);
        assert_eq!(t.get(Locale::ZhCn), Some("您好"));
        assert_eq!(t.get(Locale::En), Some("Hello"));
        let only_zh = parse(r#"{"zh-CN": "您好"}"#);
        assert_eq!(only_zh.get(Locale::En), None);
        assert_eq!(only_zh.resolve(Locale::En), "您好");
    }

    #[test]
    fn text_rejects_numbers_with_a_helpful_message() {
        let err = ron::from_str::<Text>("42").unwrap_err();
        assert!(err.to_string().contains("map of locale to string"), "{err}");
    }

    #[test]
    fn duplicate_locale_key_is_an_error() {
        let err = ron::from_str::<Text>(r#"{"en": "a", "en": "b"}"#).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }

    #[test]
    fn locale_tags_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Locale::from_tag("ZH-cn"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_tag("zh-tw"), Some(Locale::ZhTw));
        assert_eq!(Locale::from_tag("fr"), None);
    }

    #[test]
    fn zh_tw_falls_back_to_zh_cn_and_english_does_not() {
        let tags = |ts: &[&str]| ts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        let both = tags(&["zh-CN", "en"]);
        assert_eq!(Locale::ZhTw.served_by(&both), Some(Locale::ZhCn));
        assert_eq!(Locale::ZhTw.closest_in(&both), Locale::ZhCn);
        let three = tags(&["zh-CN", "en", "zh-TW"]);
        assert_eq!(Locale::ZhTw.served_by(&three), Some(Locale::ZhTw));
        let zh_only = tags(&["zh-CN"]);
        assert_eq!(Locale::En.served_by(&zh_only), None);
        assert_eq!(Locale::En.closest_in(&zh_only), Locale::ZhCn);
        assert_eq!(Locale::ZhTw.closest_in(&tags(&["en"])), Locale::En);
        assert_eq!(Locale::ZhTw.pick("简", "en"), "简");
        assert_eq!(Locale::ZhTw.interface(), Locale::ZhCn);
    }

    #[test]
    fn a_zh_tw_text_resolves_to_zh_cn_when_it_has_no_zh_tw_entry() {
        let t = parse(r#"{"en": "Account", "zh-CN": "账款"}"#);
        assert_eq!(t.resolve(Locale::ZhTw), "账款");
        let t = parse(r#"{"zh-CN": "账款", "en": "Account", "zh-TW": "帳款"}"#);
        assert_eq!(t.resolve(Locale::ZhTw), "帳款");
        assert_eq!(t.resolve(Locale::ZhCn), "账款");
    }

    #[test]
    fn the_supported_tags_are_listed_for_messages() {
        assert_eq!(Locale::tags_list(), "`zh-CN`, `zh-TW` or `en`");
    }

    #[test]
    fn placeholders_are_found_and_double_braces_are_literal() {
        let found: Vec<_> = placeholders("欠款{amount}，{{不是变量}}，{debtor}")
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(found, ["amount", "debtor"]);
    }

    #[test]
    fn templates_fill_known_values_and_keep_unknown_ones() {
        let out = render_template("Hi {debtor}, {{literal}} {nope}", |n| {
            (n == "debtor").then(|| "Mr Zhao".to_owned())
        });
        assert_eq!(out, "Hi Mr Zhao, {literal} {nope}");
        assert_eq!(render_template("no braces", |_| None), "no braces");
        let ltd = |_: &str| Some("Co., Ltd.".to_owned());
        assert_eq!(render_template("Call {c}.", ltd), "Call Co., Ltd.");
        assert_eq!(render_template("{c}, then", ltd), "Co., Ltd., then");
        assert_eq!(render_template("{c}...", ltd), "Co., Ltd....");
        assert_eq!(
            render_template("dangling { brace", |_| None),
            "dangling { brace"
        );
    }

    #[test]
    fn han_detection() {
        assert!(has_han("赵建国"));
        assert!(!has_han("Zhao Jianguo ¥"));
    }
}
