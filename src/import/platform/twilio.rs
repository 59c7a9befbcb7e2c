//! Twilio: Conversations API list pages (`{"messages": […], "meta": {"key": "messages"}}`, also
//! `participants` pages, one page per line or in an array), script dumps of
//! `{"conversation", "participants", "messages"}`, and Programmable Chat channel message pages.
//!
//! Twilio has no roles: an author is an identity. Who spoke is decided, in this order, by the message's
//! app attributes (`{"role": "bot"}`), by the user's import profile (`--profile`, speaker lists with `*`
//! wildcards), and by what Twilio itself fixes: `system` is the platform; `whatsapp:+…`, `messenger:…` and
//! bare phone numbers are customers (the business writes from its proxy address, never as an author);
//! participants with an SMS or WhatsApp binding are customers; Flex agents (identities with `_40` for
//! `@`) are people. Any other author is not guessed: its messages are skipped with a warning naming it,
//! to be mapped in a profile. A person joining after the AI answered is a handoff; a `csat` in the
//! conversation's attributes is its rating.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{at, channel, items, number_at, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::import::profile::Speaker;
use crate::model::{EventKind, Role};

/// The Twilio importer.
pub struct Twilio;

impl LogImporter for Twilio {
    fn id(&self) -> &'static str {
        "twilio"
    }

    fn name(&self) -> &'static str {
        "Twilio Conversations"
    }

    fn reading(&self) -> &'static str {
        "Twilio names authors, not roles: phone and WhatsApp authors are customers, \"system\" is the \
         platform, Flex agents are people; bots and other identities are read through an import profile."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        let api =
            head.text.contains("conversations.twilio.com") || head.text.contains("chat.twilio.com");
        api || (head.has_key("conversation_sid") && head.has_key("participant_sid"))
            || (head.has_key("channel_sid") && head.has_key("from") && head.has_key("index"))
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut conversations: BTreeMap<String, Gathered> = BTreeMap::new();
        for (line, value) in read_values(input, out)? {
            let pages: Vec<&Value> = match &value {
                Value::Array(list) => list.iter().collect(),
                other => vec![other],
            };
            for page in pages {
                gather(page, line, &mut conversations);
            }
        }
        for (id, gathered) in conversations {
            emit(&id, gathered, out)?;
        }
        Ok(())
    }
}

/// Everything found about one conversation, from however many pages.
#[derive(Default)]
struct Gathered {
    messages: Vec<(u64, Value)>,
    participants: Vec<Value>,
    attributes: Option<Value>,
}

fn gather(page: &Value, line: u64, conversations: &mut BTreeMap<String, Gathered>) {
    // A dump object: {"conversation": {...}, "participants": [...], "messages": [...]}.
    if let Some(conversation) = at(page, &["conversation"]) {
        if let Some(sid) = text_at(conversation, &["sid"]) {
            let entry = conversations.entry(sid).or_default();
            entry.attributes = attributes(conversation);
        }
    }
    for p in items(page, &["participants"]) {
        if let Some(sid) = text_at(p, &["conversation_sid"]) {
            conversations
                .entry(sid)
                .or_default()
                .participants
                .push(p.clone());
        }
    }
    for m in items(page, &["messages"]) {
        let sid = text_at(m, &["conversation_sid"]).or_else(|| text_at(m, &["channel_sid"]));
        if let Some(sid) = sid {
            conversations
                .entry(sid)
                .or_default()
                .messages
                .push((line, m.clone()));
        }
    }
}

/// An `attributes` field: Twilio writes it as a JSON string.
fn attributes(value: &Value) -> Option<Value> {
    match at(value, &["attributes"])? {
        Value::String(s) => serde_json::from_str(s).ok(),
        other @ Value::Object(_) => Some(other.clone()),
        _ => None,
    }
}

/// The role Twilio itself fixes for an author, before any profile: the platform, phone numbers and
/// messaging addresses, Flex agent identities.
fn built_in_role(author: &str) -> Option<Role> {
    let a = author.trim().to_ascii_lowercase();
    if a == "system" {
        return Some(Role::System);
    }
    let phone = a
        .strip_prefix('+')
        .is_some_and(|digits| digits.len() >= 7 && digits.chars().all(|c| c.is_ascii_digit()));
    if phone || a.starts_with("whatsapp:") || a.starts_with("messenger:") || a.starts_with("sms:") {
        return Some(Role::Customer);
    }
    // Flex encodes an e-mail login: "dana_2Ekim_40orbit-telecom_2Ecom".
    if a.contains("_40") && a.contains("_2e") {
        return Some(Role::HumanAgent);
    }
    None
}

fn emit(id: &str, gathered: Gathered, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Gathered {
        mut messages,
        participants,
        attributes: conversation_attributes,
    } = gathered;
    messages.sort_by_key(|(_, m)| number_at(m, &["index"]).map_or(i64::MAX, |n| n as i64));

    // Roles of participants, by sid and by identity.
    let participant_role = |p: &Value| -> Option<Role> {
        if at(p, &["messaging_binding"]).is_some() {
            return Some(Role::Customer);
        }
        let attrs = attributes(p);
        if let Some(kind) = attrs.as_ref().and_then(|a| text_at(a, &["member_type"])) {
            if let Some(role) = Role::parse(&kind) {
                return Some(role);
            }
        }
        text_at(p, &["identity"]).and_then(|i| speaker_role(&i, out.profile.as_deref()))
    };
    let mut by_sid: BTreeMap<String, Role> = BTreeMap::new();
    let mut joins: Vec<(DateTime<Utc>, Role)> = Vec::new();
    let mut binding_channel = None;
    for p in &participants {
        if let Some(kind) = text_at(p, &["messaging_binding", "type"]) {
            binding_channel.get_or_insert(channel(&kind));
        }
        if let Some(role) = participant_role(p) {
            if let Some(sid) = text_at(p, &["sid"]) {
                by_sid.insert(sid, role);
            }
            if let Some(t) = time_at(p, &["date_created"]) {
                joins.push((t, role));
            }
        }
    }
    let channel_name = binding_channel
        .or_else(|| {
            conversation_attributes
                .as_ref()
                .and_then(|a| text_at(a, &["channel"]))
                .map(|c| channel(&c))
        })
        .or_else(|| {
            // Chat identities without a messaging binding: a web or in-app chat.
            (!participants.is_empty() || !messages.is_empty()).then(|| "chat".to_owned())
        });
    let base = PlatformMessage {
        conversation_id: id.to_owned(),
        channel: channel_name,
        ..PlatformMessage::default()
    };

    let mut ai_since: Option<DateTime<Utc>> = None;
    let mut handed_off = false;
    let mut joins = joins.into_iter().peekable();
    for (n, (line, m)) in messages.iter().enumerate() {
        let place = format!("Conversation {id}, message {}", n + 1);
        let timestamp = time_at(m, &["date_created"]);
        // A person who joined after the AI answered, before this message: the handoff.
        while let Some((t, role)) = joins.next_if(|(t, _)| timestamp.is_none_or(|ts| *t <= ts)) {
            if role == Role::HumanAgent && !handed_off && ai_since.is_some_and(|a| a <= t) {
                handed_off = true;
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        event: Some(EventKind::Handoff),
                        timestamp: Some(t),
                        line: *line,
                        ..base.clone()
                    },
                    &format!("Conversation {id}, participant joining"),
                )?;
            }
        }
        let author = text_at(m, &["author"]).or_else(|| text_at(m, &["from"]));
        let app_role = attributes(m)
            .and_then(|a| text_at(&a, &["role"]))
            .and_then(|r| Role::parse(&r));
        let role = app_role
            .or_else(|| {
                author
                    .as_deref()
                    .and_then(|a| speaker_role(a, out.profile.as_deref()))
            })
            .or_else(|| text_at(m, &["participant_sid"]).and_then(|s| by_sid.get(&s).copied()));
        let internal = author.as_deref().is_some_and(|a| {
            out.profile
                .as_deref()
                .is_some_and(|p| p.speaker(a) == Some(Speaker::Internal))
        });
        if role.is_none() && !internal {
            out.skip(
                &place,
                format!(
                    "Twilio does not say who the author \"{}\" is; map it in an import profile (--profile)",
                    author.as_deref().unwrap_or("(none)")
                ),
            );
            continue;
        }
        let Some(text) = text_at(m, &["body"]) else {
            out.left_out("Twilio messages with media only".to_owned());
            continue;
        };
        if role == Some(Role::Ai) {
            ai_since.get_or_insert(timestamp.unwrap_or_default());
        }
        out.push(
            PlatformMessage {
                role: role.or(Some(Role::HumanAgent)),
                text,
                timestamp,
                internal,
                line: *line,
                ..base.clone()
            },
            &place,
        )?;
    }
    if let Some(csat) = conversation_attributes
        .as_ref()
        .and_then(|a| number_at(a, &["csat"]))
    {
        if (1.0..=5.0).contains(&csat) {
            out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    event: Some(EventKind::Csat),
                    csat: Some(csat),
                    ..base.clone()
                },
                &format!("Conversation {id}, rating"),
            )?;
        }
    }
    Ok(())
}

/// The role of an author identity: the profile's speaker lists first, then what Twilio fixes.
fn speaker_role(
    author: &str,
    profile: Option<&crate::import::profile::ImportProfile>,
) -> Option<Role> {
    match profile.and_then(|p| p.speaker(author)) {
        Some(Speaker::Role(role)) => Some(role),
        Some(Speaker::Internal) => Some(Role::HumanAgent),
        None => built_in_role(author),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_fixes_only_what_it_knows() {
        assert_eq!(built_in_role("system"), Some(Role::System));
        assert_eq!(built_in_role("whatsapp:+34612345678"), Some(Role::Customer));
        assert_eq!(built_in_role("+15551234567"), Some(Role::Customer));
        assert_eq!(
            built_in_role("dana_2Ekim_40orbit-telecom_2Ecom"),
            Some(Role::HumanAgent)
        );
        // A bot's identity is the deployment's choice: not guessed.
        assert_eq!(built_in_role("orbit-assistant"), None);
        assert_eq!(built_in_role("+12"), None);
    }
}
