//! Rule packs: the versioned TOML file of word lists the audit runs with.
//!
//! A pack names itself (`[pack]`: name, version, description) and gives, per language
//! (`[languages.xx]`), the words of each class the detector's grammar is written over: AI nouns and their
//! modifiers, human nouns, transfer, contact, talk and request verbs, self-reference frames, negation and
//! so on (see [`crate::detect::lexicon::Class`] and `assets/rules/default.toml`). Candor embeds a default
//! pack; organisations can audit with their own. Every report records the pack's name, version and SHA-256
//! so a finding can be traced to the exact word lists that produced it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::detect::{Detector, LanguageLists, LexiconError};

/// The default pack, embedded so Candor works without any file next to it.
const DEFAULT_PACK: &str = include_str!("../../assets/rules/default.toml");

/// A loaded, compiled rule pack.
#[derive(Clone, Debug)]
pub struct RulePack {
    /// The pack's name, from `[pack] name`.
    pub name: String,
    /// The pack's version, from `[pack] version`.
    pub version: String,
    /// Lowercase hex SHA-256 of the pack's TOML bytes, to prove which lists an audit used.
    pub sha256: String,
    /// The compiled word lists.
    pub detector: Detector,
    /// The language every conversation is read in (`--language`); `None` detects it per conversation.
    pub language: Option<String>,
}

/// Why a rule pack could not be loaded. Messages are meant for the person who edits the pack.
#[derive(Debug, thiserror::Error)]
pub enum RulePackError {
    /// The text is not TOML, or its tables and keys are not shaped like a rule pack.
    #[error("The rule pack is not valid TOML: {0}")]
    Toml(String),
    /// A required `[pack]` field is empty.
    #[error("The rule pack's [pack] table needs a non-empty {0}.")]
    MissingField(&'static str),
    /// The pack has no `[languages.en]` table; English is applied to every conversation.
    #[error(
        "The rule pack needs a [languages.en] table: English words are used for every language."
    )]
    NoEnglish,
    /// A word list or entry cannot be used.
    #[error("{0}")]
    Lexicon(#[from] LexiconError),
}

/// The file as written: `[pack]`, `[languages.*]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackHeader,
    #[serde(default)]
    languages: BTreeMap<String, LanguageFile>,
}

/// `[pack]`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackHeader {
    name: String,
    version: String,
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "read by people; kept in the schema so typos are caught"
    )]
    description: String,
}

/// `[languages.xx]`: a name and word lists.
#[derive(Deserialize)]
struct LanguageFile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    suffix_exclude: Vec<String>,
    #[serde(default)]
    not_english: Vec<String>,
    #[serde(default)]
    not_typo: Vec<String>,
    #[serde(flatten)]
    lists: BTreeMap<String, Vec<String>>,
}

impl RulePack {
    /// The embedded default pack (`assets/rules/default.toml`).
    ///
    /// Compiled once per process and copied after. It never panics: should the embedded file ever fail to
    /// load, the result is a pack with no words, whose name says so; a unit test guarantees the shipped
    /// file loads.
    #[must_use]
    pub fn builtin() -> RulePack {
        Self::builtin_ref().clone()
    }

    /// The embedded default pack, shared: for reading its name, version and languages without copying
    /// its word lists (the app asks every frame).
    #[must_use]
    pub fn builtin_ref() -> &'static RulePack {
        static BUILTIN: OnceLock<RulePack> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            RulePack::from_toml(DEFAULT_PACK).unwrap_or_else(|_| RulePack {
                name: "candor-default (failed to load: no words)".to_owned(),
                version: "0.0.0".to_owned(),
                sha256: sha256_hex(DEFAULT_PACK),
                detector: Detector::default(),
                language: None,
            })
        })
    }

    /// Loads and compiles a pack from its TOML text.
    ///
    /// # Errors
    ///
    /// [`RulePackError`] when the text is not TOML shaped like a pack, lacks English, or has a list or
    /// entry that cannot be used.
    pub fn from_toml(src: &str) -> Result<RulePack, RulePackError> {
        let file: PackFile =
            toml::from_str(src).map_err(|e| RulePackError::Toml(toml_problem(src, &e)))?;
        if file.pack.name.trim().is_empty() {
            return Err(RulePackError::MissingField("name"));
        }
        if file.pack.version.trim().is_empty() {
            return Err(RulePackError::MissingField("version"));
        }
        if !file.languages.contains_key("en") {
            return Err(RulePackError::NoEnglish);
        }
        let languages: BTreeMap<String, LanguageLists> = file
            .languages
            .into_iter()
            .map(|(code, l)| {
                (
                    code,
                    LanguageLists {
                        name: l.name,
                        lists: l.lists,
                        suffix_exclude: l.suffix_exclude,
                        not_english: l.not_english,
                        not_typo: l.not_typo,
                    },
                )
            })
            .collect();
        let detector = Detector::build(&languages)?;
        Ok(RulePack {
            name: file.pack.name,
            version: file.pack.version,
            sha256: sha256_hex(src),
            detector,
            language: None,
        })
    }
}

/// Lowercase hex SHA-256 of the text's UTF-8 bytes.
fn sha256_hex(src: &str) -> String {
    let digest = Sha256::digest(src.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// A TOML error in one line: where it is and what is wrong ("line 133, column 11: unexpected `=` in
/// array"), without the multi-line source excerpt the parser draws.
fn toml_problem(src: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().trim_end_matches('.');
    match error.span() {
        Some(span) => {
            let before = src.get(..span.start).unwrap_or(src);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}.")
        }
        None => format!("{message}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Speaker;

    const MINIMAL: &str = r#"
[pack]
name = "mini"
version = "0.1.0"

[languages.en]
name = "English"
talk_verb = ["talk|speak"]
human_noun = ["human"]
negation = ["not", "don't"]
want_verb = ["want"]
"#;

    #[test]
    fn builtin_pack_loads_with_words() {
        let loaded = RulePack::from_toml(DEFAULT_PACK);
        assert!(
            loaded.is_ok(),
            "default pack failed: {}",
            loaded.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let pack = RulePack::builtin();
        assert_eq!(pack.name, "candor-default");
        assert_eq!(pack.sha256.len(), 64);
        for code in ["en", "de", "fr", "es", "it", "nl", "pt", "sv"] {
            assert!(pack.detector.language_index(code).is_some(), "{code}");
        }
        let en = pack.detector.language_index("en").unwrap_or(0);
        let cues = pack
            .detector
            .cues(en, Speaker::Company, "Hi, I'm a virtual assistant.");
        assert!(cues.disclosure.is_some());
    }

    #[test]
    fn sha256_is_of_the_bytes() {
        // SHA-256 of "abc", a published test vector.
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let pack = RulePack::from_toml(MINIMAL).expect("minimal pack loads");
        assert_eq!(pack.sha256, sha256_hex(MINIMAL));
    }

    #[test]
    fn minimal_pack_works() {
        let pack = RulePack::from_toml(MINIMAL).expect("minimal pack loads");
        assert_eq!(pack.name, "mini");
        let text = "Please, I want to TALK TO A HUMAN.";
        let cues = pack.detector.cues(0, Speaker::Customer, text);
        let m = cues.request.expect("request found");
        assert_eq!(m.as_str(text), "want to TALK TO A HUMAN");
        let cues = pack
            .detector
            .cues(0, Speaker::Customer, "I don't want to talk to a human");
        assert!(cues.request.is_none());
    }

    #[test]
    fn errors_are_plain() {
        let not_toml =
            RulePack::from_toml("[pack]\nname = \"x\"\nwords = [\"a\" = 1]").expect_err("not toml");
        let text = not_toml.to_string();
        assert!(
            text.starts_with("The rule pack is not valid TOML: line 3, column "),
            "{text}"
        );
        assert!(!text.contains('\n'), "one line, no source excerpt: {text}");
        let unknown_list = MINIMAL.replace("talk_verb", "talk_verbs");
        let err = RulePack::from_toml(&unknown_list).expect_err("unknown list");
        assert!(err.to_string().contains("\"talk_verbs\""), "{err}");
        let empty = MINIMAL.replace("[\"human\"]", "[\"  \"]");
        let err = RulePack::from_toml(&empty).expect_err("empty entry");
        assert!(err.to_string().contains("empty"), "{err}");
        let no_name = MINIMAL.replace("name = \"mini\"", "name = \"\"");
        assert!(matches!(
            RulePack::from_toml(&no_name),
            Err(RulePackError::MissingField("name"))
        ));
        let no_english = MINIMAL.replace("languages.en", "languages.de");
        assert!(matches!(
            RulePack::from_toml(&no_english),
            Err(RulePackError::NoEnglish)
        ));
    }
}
