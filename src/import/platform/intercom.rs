//! Intercom: conversation objects from the Conversations API (`GET /conversations/{id}`), list and search
//! responses with their parts, and exports of one conversation object per line.
//!
//! Who wrote a part is decided by its author: an author flagged `from_ai_agent` or `is_ai_answer`, or of
//! type `bot`, is the AI (Fin is also listed among the admins, and some of its parts say `admin`: the flag
//! wins); `user`, `lead` and `contact` are the customer; `admin` and `team` are people. Notes are internal.
//! An assignment to a team or person made by the AI after it answered is a handoff. Ratings of the
//! conversation and of the AI agent are satisfaction ratings (1–5).

use std::io::BufRead;

use serde_json::Value;

use super::{at, channel, flag_at, html_text, items, number_at, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::model::{EventKind, Role};

/// The Intercom importer.
pub struct Intercom;

impl LogImporter for Intercom {
    fn id(&self) -> &'static str {
        "intercom"
    }

    fn name(&self) -> &'static str {
        "Intercom conversations"
    }

    fn reading(&self) -> &'static str {
        "Parts by users and leads are the customer's, parts by Fin or other bots (or flagged as AI answers) \
         the AI's, parts by admins a person's; notes are kept as internal evidence."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        head.has_key("conversation_parts")
            || head.has_member("type", "conversation.list")
            || (head.has_member("type", "conversation") && head.has_key("source"))
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        for (line, value) in read_values(input, out)? {
            let mut conversations = Vec::new();
            find_conversations(&value, 0, &mut conversations);
            if conversations.is_empty() {
                out.skip(
                    &format!("Record {line}"),
                    "it holds no Intercom conversation object (\"type\": \"conversation\")",
                );
            }
            for (n, conversation) in conversations.into_iter().enumerate() {
                read_conversation(conversation, line.max(n as u64 + 1), out)?;
            }
        }
        Ok(())
    }
}

/// The conversation objects in a value, wherever an envelope puts them: a list, `conversations`, `data`,
/// a script's own wrapper. A conversation object is not searched further (its parts are no conversations).
fn find_conversations<'v>(value: &'v Value, depth: usize, found: &mut Vec<&'v Value>) {
    const MAX_DEPTH: usize = 6;
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            let is_conversation = text_at(value, &["type"]).as_deref() == Some("conversation")
                || (map.contains_key("conversation_parts") && map.contains_key("id"));
            if is_conversation {
                found.push(value);
                return;
            }
            for child in map.values() {
                find_conversations(child, depth + 1, found);
            }
        }
        Value::Array(list) => {
            for child in list {
                find_conversations(child, depth + 1, found);
            }
        }
        _ => {}
    }
}

/// The role of a part's author.
fn author_role(part: &Value) -> Option<Role> {
    let ai = flag_at(part, &["author", "from_ai_agent"])
        || flag_at(part, &["author", "is_ai_answer"])
        || flag_at(part, &["from_ai_agent"])
        || flag_at(part, &["is_ai_answer"]);
    if ai {
        return Some(Role::Ai);
    }
    match text_at(part, &["author", "type"])?
        .to_ascii_lowercase()
        .as_str()
    {
        "bot" | "operator" => Some(Role::Ai),
        "user" | "lead" | "contact" => Some(Role::Customer),
        "admin" | "team" => Some(Role::HumanAgent),
        _ => None,
    }
}

fn read_conversation(
    conversation: &Value,
    record: u64,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let Some(id) = text_at(conversation, &["id"]) else {
        out.skip(
            &format!("Conversation {record}"),
            "it has no \"id\", so its messages cannot be kept together",
        );
        return Ok(());
    };
    let place = |what: &str| format!("Conversation {id}, {what}");
    let channel_name = text_at(conversation, &["channel", "initial"])
        .or_else(|| text_at(conversation, &["source", "type"]))
        .map(|raw| match raw.to_ascii_lowercase().as_str() {
            // Intercom's Messenger is its web and app chat, not Facebook's.
            "messenger" | "conversation" | "chat" => "chat".to_owned(),
            other => channel(other),
        });
    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: channel_name,
        line: record,
        ..PlatformMessage::default()
    };

    // The first message.
    if let Some(source) = at(conversation, &["source"]) {
        let text = text_at(source, &["body"])
            .map(|b| html_text(&b))
            .unwrap_or_default();
        out.push(
            PlatformMessage {
                role: author_role(source),
                text,
                timestamp: time_at(conversation, &["created_at"]),
                ..base.clone()
            },
            &place("first message"),
        )?;
    }

    let mut ai_spoke = false;
    for (n, part) in items(conversation, &["conversation_parts", "conversation_parts"])
        .iter()
        .enumerate()
    {
        let part_place = place(&format!("part {}", n + 1));
        let part_type = text_at(part, &["part_type"])
            .unwrap_or_default()
            .to_ascii_lowercase();
        let role = author_role(part);
        let body = text_at(part, &["body"])
            .map(|b| html_text(&b))
            .unwrap_or_default();
        let timestamp = time_at(part, &["created_at"]);
        let assignment = part_type.contains("assign");
        if assignment {
            let to_people = matches!(
                text_at(part, &["assigned_to", "type"]).as_deref(),
                Some("team" | "admin")
            );
            if to_people && role == Some(Role::Ai) && ai_spoke {
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        event: Some(EventKind::Handoff),
                        timestamp,
                        ..base.clone()
                    },
                    &part_place,
                )?;
                continue;
            }
            if body.is_empty() {
                out.left_out(format!("Intercom \"{part_type}\" records"));
                continue;
            }
        }
        let text = if part_type == "quick_reply" && body.is_empty() {
            items(part, &["reply_options"])
                .iter()
                .filter_map(|o| text_at(o, &["text"]))
                .collect::<Vec<_>>()
                .join(" | ")
        } else {
            body
        };
        let message_like =
            matches!(part_type.as_str(), "comment" | "note" | "quick_reply") || !text.is_empty();
        if !message_like || text.is_empty() {
            out.left_out(format!("Intercom \"{part_type}\" records"));
            continue;
        }
        if part_type == "call_summary" {
            out.left_out("Intercom call summaries".to_owned());
            continue;
        }
        if role == Some(Role::Ai) {
            ai_spoke = true;
        }
        out.push(
            PlatformMessage {
                role,
                text,
                timestamp,
                internal: part_type == "note",
                ..base.clone()
            },
            &part_place,
        )?;
    }

    // Ratings: of the conversation, and of the AI agent.
    for (rating, remark, created) in [
        (
            number_at(conversation, &["conversation_rating", "rating"]),
            text_at(conversation, &["conversation_rating", "remark"]),
            time_at(conversation, &["conversation_rating", "created_at"]),
        ),
        (
            number_at(conversation, &["ai_agent", "rating"]),
            text_at(conversation, &["ai_agent", "rating_remark"]),
            time_at(conversation, &["ai_agent", "created_at"]),
        ),
    ] {
        if let Some(rating) = rating {
            if !(1.0..=5.0).contains(&rating) {
                out.warn(
                    &place("rating"),
                    format!("the rating {rating} is outside 1–5 and was not counted"),
                );
                continue;
            }
            out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    text: remark.unwrap_or_default(),
                    event: Some(EventKind::Csat),
                    csat: Some(rating),
                    timestamp: created,
                    ..base.clone()
                },
                &place("rating"),
            )?;
        }
    }
    Ok(())
}
