//! Rule packs: the versioned TOML file of phrase lists the audit runs with.
//!
//! A pack names itself (`[pack]`: name, version, description), describes each language it covers
//! (`[languages.xx]`: negation words, clause breaks, reusable regex fragments) and lists, per cue and per
//! language, the patterns that reveal the cue and the exclusions that cancel a match
//! (`[cues.human_offer.patterns]`, `[cues.human_offer.exclude]`). Candor embeds a default pack
//! (`assets/rules/default.toml`); organisations can audit with their own. Every report records the pack's
//! name, version and SHA-256 so a finding can be traced to the exact phrase lists that produced it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::phrases::{Cue, CueSpec, LanguageSpec, PatternError, PhraseBook};

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
    /// The compiled phrase lists.
    pub phrases: PhraseBook,
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
    /// A `[cues.…]` table names no cue Candor knows.
    #[error(
        "The rule pack has a table [cues.{0}], but there is no cue called \"{0}\". Known cues: \
         ai_disclosure, human_offer, human_request, identity_question, identity_denial."
    )]
    UnknownCue(String),
    /// A cue lists patterns for a language the pack does not describe.
    #[error(
        "The {cue} cue has patterns for language \"{language}\", but the pack has no [languages.{language}] \
         table (it needs at least its negation words)."
    )]
    UnknownLanguage {
        /// The cue's key.
        cue: String,
        /// The undeclared language code.
        language: String,
    },
    /// A pattern, exclusion, word list or fragment does not compile.
    #[error("{0}")]
    Pattern(#[from] PatternError),
}

/// The file as written: `[pack]`, `[languages.*]`, `[cues.*]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackHeader,
    #[serde(default)]
    languages: BTreeMap<String, LanguageFile>,
    #[serde(default)]
    cues: BTreeMap<String, CueFile>,
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

/// `[languages.xx]`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "read by people; kept in the schema so typos are caught"
    )]
    name: String,
    #[serde(default)]
    negation: Vec<String>,
    #[serde(default)]
    negation_exempt: Vec<String>,
    #[serde(default)]
    clause_breaks: Vec<String>,
    #[serde(default)]
    fragments: BTreeMap<String, String>,
}

/// `[cues.name]` with its `patterns` and `exclude` sub-tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "read by people; kept in the schema so typos are caught"
    )]
    description: String,
    #[serde(default)]
    patterns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    exclude: BTreeMap<String, Vec<String>>,
}

impl RulePack {
    /// The embedded default pack (`assets/rules/default.toml`).
    ///
    /// Compiled once per process and cloned after (regexes share their compiled form). It never panics:
    /// should the embedded file ever fail to load, the result is a pack with empty phrase lists, whose
    /// name says so; a unit test guarantees the shipped file loads.
    #[must_use]
    pub fn builtin() -> RulePack {
        static BUILTIN: OnceLock<RulePack> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                RulePack::from_toml(DEFAULT_PACK).unwrap_or_else(|_| RulePack {
                    name: "candor-default (failed to load: no phrases)".to_owned(),
                    version: "0.0.0".to_owned(),
                    sha256: sha256_hex(DEFAULT_PACK),
                    phrases: PhraseBook::empty(),
                })
            })
            .clone()
    }

    /// Loads and compiles a pack from its TOML text.
    ///
    /// # Errors
    ///
    /// [`RulePackError`] when the text is not TOML shaped like a pack, names an unknown cue or an
    /// undeclared language, or contains a pattern that does not compile.
    pub fn from_toml(src: &str) -> Result<RulePack, RulePackError> {
        let file: PackFile = toml::from_str(src).map_err(|e| RulePackError::Toml(e.to_string()))?;
        if file.pack.name.trim().is_empty() {
            return Err(RulePackError::MissingField("name"));
        }
        if file.pack.version.trim().is_empty() {
            return Err(RulePackError::MissingField("version"));
        }
        let languages: Vec<LanguageSpec> = file
            .languages
            .into_iter()
            .map(|(code, l)| LanguageSpec {
                code,
                negation: l.negation,
                negation_exempt: l.negation_exempt,
                clause_breaks: l.clause_breaks,
                fragments: l.fragments,
            })
            .collect();
        let mut cues = BTreeMap::new();
        for (key, cue_file) in file.cues {
            let Some(cue) = Cue::from_key(&key) else {
                return Err(RulePackError::UnknownCue(key));
            };
            for code in cue_file.patterns.keys().chain(cue_file.exclude.keys()) {
                if !languages.iter().any(|l| &l.code == code) {
                    return Err(RulePackError::UnknownLanguage {
                        cue: key.clone(),
                        language: code.clone(),
                    });
                }
            }
            cues.insert(
                cue,
                CueSpec {
                    patterns: cue_file.patterns,
                    exclude: cue_file.exclude,
                },
            );
        }
        let phrases = PhraseBook::build(&languages, &cues)?;
        Ok(RulePack {
            name: file.pack.name,
            version: file.pack.version,
            sha256: sha256_hex(src),
            phrases,
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

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[pack]
name = "mini"
version = "0.1.0"

[languages.en]
negation = ["not", "-n't"]

[cues.human_request.patterns]
en = ['\btalk to a human\b']
"#;

    #[test]
    fn builtin_pack_loads_with_phrases() {
        let loaded = RulePack::from_toml(DEFAULT_PACK);
        assert!(
            loaded.is_ok(),
            "default pack failed: {}",
            loaded.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let pack = RulePack::builtin();
        assert_eq!(pack.name, "candor-default");
        assert_eq!(pack.version, "1.0.0");
        assert_eq!(pack.sha256.len(), 64);
        assert!(
            pack.sha256
                .chars()
                .all(|c| matches!(c, '0'..='9' | 'a'..='f'))
        );
        for cue in Cue::ALL {
            assert!(pack.phrases.has_patterns(cue), "no patterns for {cue}");
        }
        assert!(
            pack.phrases
                .find(Cue::AiDisclosure, "Hi, I'm a virtual assistant.")
                .is_some()
        );
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
        let m = pack
            .phrases
            .find(Cue::HumanRequest, text)
            .expect("request found");
        assert_eq!(m.as_str(text), "TALK TO A HUMAN");
        assert!(
            pack.phrases
                .find(Cue::HumanRequest, "I don't talk to a human")
                .is_none()
        );
        assert!(pack.phrases.find(Cue::AiDisclosure, "I'm a bot").is_none());
    }

    #[test]
    fn bad_pattern_is_a_plain_error() {
        let src = MINIMAL.replace(
            r"en = ['\btalk to a human\b']",
            r"en = ['\bagent\b', 'human', '(unclosed']",
        );
        let err = RulePack::from_toml(&src).expect_err("bad pattern rejected");
        assert!(matches!(err, RulePackError::Pattern(_)));
        let text = err.to_string();
        assert!(
            text.starts_with("Pattern 3 of human_request (en) is not a valid pattern: "),
            "{text}"
        );
        assert!(!text.contains('\n'), "one line: {text}");
    }

    #[test]
    fn other_errors_are_plain() {
        let not_toml = RulePack::from_toml("[pack\nname=").expect_err("not toml");
        assert!(
            not_toml
                .to_string()
                .starts_with("The rule pack is not valid TOML: ")
        );

        let unknown_cue = MINIMAL.replace("cues.human_request", "cues.human_requests");
        let err = RulePack::from_toml(&unknown_cue).expect_err("unknown cue");
        assert!(
            matches!(err, RulePackError::UnknownCue(ref k) if k == "human_requests"),
            "{err}"
        );

        let unknown_language = MINIMAL.replace("en = ['", "pt = ['");
        let err = RulePack::from_toml(&unknown_language).expect_err("unknown language");
        assert!(err.to_string().contains("[languages.pt]"), "{err}");

        let unknown_fragment = MINIMAL.replace(r"\btalk to a human\b", r"\btalk to {someone}");
        let err = RulePack::from_toml(&unknown_fragment).expect_err("unknown fragment");
        assert!(
            err.to_string().contains("Pattern 1 of human_request (en)"),
            "{err}"
        );
        assert!(err.to_string().contains("{someone}"), "{err}");

        let empty_pattern = MINIMAL.replace(r"\btalk to a human\b", "  ");
        let err = RulePack::from_toml(&empty_pattern).expect_err("empty pattern");
        assert!(err.to_string().contains("empty"), "{err}");

        let no_name = MINIMAL.replace("name = \"mini\"", "name = \"\"");
        assert!(matches!(
            RulePack::from_toml(&no_name),
            Err(RulePackError::MissingField("name"))
        ));

        let typo = MINIMAL.replace("negation =", "negations =");
        let err = RulePack::from_toml(&typo).expect_err("unknown key");
        assert!(matches!(err, RulePackError::Toml(_)), "{err}");
    }
}
