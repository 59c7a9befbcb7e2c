//! Import profiles: how to read a log whose shape Candor does not know, or whose speakers a platform does
//! not label (Twilio authors are identities, not roles).
//!
//! A profile names which column or key holds the conversation, speaker, text and time, and which speaker
//! values mean the AI, a human agent, the customer, the platform, or an internal note. It is a small TOML
//! file, saved once and reused (`candor audit --profile acme-twilio.toml …`):
//!
//! ```toml
//! name = "Acme on Twilio"
//!
//! [fields]
//! conversation = "conversation_sid"
//! speaker = "author"
//! text = "body"
//! time = "date_created"
//!
//! [speakers]
//! ai = ["acme-assistant", "bot-*"]
//! human_agent = ["*@acme.com"]
//! customer = ["whatsapp:+*", "+*"]
//! system = ["system"]
//! internal = []
//! ```
//!
//! Speaker values are matched case-insensitively; `*` stands for any run of characters. A speaker that no
//! list names is not guessed: its records are skipped and counted, with the value in the warning.

use serde::{Deserialize, Serialize};

use super::fields::{Field, normalise};
use crate::model::Role;

/// A saved way of reading one kind of log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportProfile {
    /// What the profile is for, shown in reports: "Acme on Twilio".
    #[serde(default)]
    pub name: String,
    /// Which column or key holds what.
    #[serde(default)]
    pub fields: FieldNames,
    /// Which speaker values mean whom.
    #[serde(default)]
    pub speakers: SpeakerValues,
}

/// Column or key names, as written in the file (matched without regard to case).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldNames {
    /// The conversation (ticket, session, contact) id.
    pub conversation: Option<String>,
    /// Who wrote the message.
    pub speaker: Option<String>,
    /// The message text.
    pub text: Option<String>,
    /// When it was sent.
    pub time: Option<String>,
    /// The channel.
    pub channel: Option<String>,
    /// A satisfaction rating.
    pub csat: Option<String>,
    /// A platform event.
    pub event: Option<String>,
    /// A flag marking internal notes.
    pub internal: Option<String>,
}

/// Speaker values per role, with `*` wildcards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerValues {
    /// The AI agent, chatbot or virtual assistant.
    #[serde(default)]
    pub ai: Vec<String>,
    /// People answering for the company.
    #[serde(default)]
    pub human_agent: Vec<String>,
    /// The customer.
    #[serde(default)]
    pub customer: Vec<String>,
    /// The platform: banners, prompts, events.
    #[serde(default)]
    pub system: Vec<String>,
    /// Speakers whose messages are internal notes (agents writing to each other).
    #[serde(default)]
    pub internal: Vec<String>,
}

/// What a speaker value stands for under a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// A role the rules read.
    Role(Role),
    /// An internal note (by a person of the company).
    Internal,
}

/// Why a profile file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be read.
    #[error("The import profile could not be read: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a valid profile.
    #[error("The import profile is not valid: {0}")]
    Invalid(String),
    /// The profile says nothing.
    #[error("The import profile names no fields and no speakers, so it would change nothing")]
    Empty,
}

impl ImportProfile {
    /// Reads a profile from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        let profile: Self =
            toml::from_str(text).map_err(|e| ProfileError::Invalid(e.message().to_owned()))?;
        if profile.fields == FieldNames::default() && profile.speakers == SpeakerValues::default() {
            return Err(ProfileError::Empty);
        }
        Ok(profile)
    }

    /// Reads a profile file.
    pub fn load(path: &std::path::Path) -> Result<Self, ProfileError> {
        Self::from_toml(&std::fs::read_to_string(path)?)
    }

    /// The profile as TOML, to save it.
    #[must_use]
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The field a key or column stands for: the profile's names first; a field the profile names is not
    /// also found by its usual synonyms elsewhere.
    #[must_use]
    pub fn classify(&self, key: &str) -> Option<Field> {
        let key_normal = normalise(key);
        let named = self.named_fields();
        if let Some((field, _)) = named.iter().find(|(_, name)| normalise(name) == key_normal) {
            return Some(*field);
        }
        Field::classify(key).filter(|field| !named.iter().any(|(f, _)| f == field))
    }

    /// The fields the profile names, with the names (or dotted paths into nested objects) it gives them.
    pub(crate) fn named_fields(&self) -> Vec<(Field, &str)> {
        let f = &self.fields;
        [
            (Field::ConversationId, &f.conversation),
            (Field::Role, &f.speaker),
            (Field::Text, &f.text),
            (Field::Timestamp, &f.time),
            (Field::Channel, &f.channel),
            (Field::Csat, &f.csat),
            (Field::Event, &f.event),
            (Field::Internal, &f.internal),
        ]
        .into_iter()
        .filter_map(|(field, name)| name.as_deref().map(|n| (field, n)))
        .collect()
    }

    /// Whether the start of a file has the columns or keys the profile names for the conversation, the
    /// speaker and the text (as a header cell or a JSON key), so that its field names apply to it.
    #[must_use]
    pub fn fields_present_in(&self, head: &str) -> bool {
        let first_line = head
            .trim_start_matches('\u{feff}')
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        let cells: Vec<String> = first_line
            .split([',', ';', '\t', '|'])
            .map(|c| normalise(c.trim().trim_matches('"')))
            .collect();
        let f = &self.fields;
        [&f.conversation, &f.speaker, &f.text]
            .into_iter()
            .flatten()
            .all(|name| {
                // A dotted path names a key inside an object: its last key is what the file shows.
                let name = name.rsplit('.').next().unwrap_or(name);
                let n = normalise(name);
                cells.contains(&n) || head.contains(&format!("\"{name}\""))
            })
    }

    /// Whether the profile lists any speaker values.
    #[must_use]
    pub fn maps_speakers(&self) -> bool {
        self.speakers != SpeakerValues::default()
    }

    /// What a speaker value stands for, if the profile lists it. Internal speakers are checked first, then
    /// the AI, system, human agents and customers, so a narrow pattern can win over a broad one.
    #[must_use]
    pub fn speaker(&self, value: &str) -> Option<Speaker> {
        let s = &self.speakers;
        let lists: [(&[String], Speaker); 5] = [
            (&s.internal, Speaker::Internal),
            (&s.ai, Speaker::Role(Role::Ai)),
            (&s.system, Speaker::Role(Role::System)),
            (&s.human_agent, Speaker::Role(Role::HumanAgent)),
            (&s.customer, Speaker::Role(Role::Customer)),
        ];
        let value = value.trim();
        lists
            .into_iter()
            .find(|(patterns, _)| patterns.iter().any(|p| wildcard_match(p, value)))
            .map(|(_, speaker)| speaker)
    }
}

/// Case-insensitive match of `text` against `pattern`, where `*` matches any run of characters.
#[must_use]
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.trim().to_lowercase().chars().collect();
    let text: Vec<char> = text.to_lowercase().chars().collect();
    // Iterative glob matching with one backtrack point (linear in practice, no recursion).
    let (mut p, mut t) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some(p);
                mark = t;
                p += 1;
            }
            Some(c) if Some(c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some(s) => {
                    p = s + 1;
                    mark += 1;
                    t = mark;
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_identities() {
        assert!(wildcard_match("whatsapp:+*", "WhatsApp:+4915112345678"));
        assert!(wildcard_match("*@acme.com", "jane.doe@acme.com"));
        assert!(wildcard_match("bot-*", "bot-"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "axxbyy"));
        assert!(!wildcard_match("+*", "agent_1"));
        assert!(wildcard_match("system", "System"));
    }

    #[test]
    fn a_profile_maps_fields_and_speakers() {
        let profile = ImportProfile::from_toml(
            r#"
            name = "Acme on Twilio"
            [fields]
            conversation = "conversation_sid"
            speaker = "author"
            [speakers]
            ai = ["acme-assistant"]
            human_agent = ["*@acme.com"]
            customer = ["+*"]
            internal = ["notes@acme.com"]
            "#,
        )
        .unwrap();
        assert_eq!(profile.classify("Author"), Some(Field::Role));
        // "role" would be the speaker by its usual name; the profile named another key.
        assert_eq!(profile.classify("role"), None);
        assert_eq!(profile.classify("body"), Some(Field::Text));
        assert_eq!(
            profile.speaker("ACME-Assistant"),
            Some(Speaker::Role(Role::Ai))
        );
        assert_eq!(profile.speaker("notes@acme.com"), Some(Speaker::Internal));
        assert_eq!(
            profile.speaker("jo@acme.com"),
            Some(Speaker::Role(Role::HumanAgent))
        );
        assert_eq!(
            profile.speaker("+15551234567"),
            Some(Speaker::Role(Role::Customer))
        );
        assert_eq!(profile.speaker("someone-else"), None);
    }

    #[test]
    fn bad_profiles_are_refused_in_plain_words() {
        assert!(matches!(
            ImportProfile::from_toml(""),
            Err(ProfileError::Empty)
        ));
        let err = ImportProfile::from_toml("[fields]\nspeeker = \"x\"").unwrap_err();
        assert!(err.to_string().contains("not valid"), "{err}");
    }
}
