//! Freshworks: Freshchat message pages (`GET /v2/conversations/{id}/messages`, `{"messages": […]}`,
//! newest first, one page per line or an array of them), Freshdesk tickets with their conversations
//! (`GET /api/v2/tickets/{id}?include=conversations`) and Freshdesk satisfaction ratings
//! (`GET /api/v2/surveys/satisfaction_ratings`).
//!
//! Freshchat: who wrote a message is its `actor_type`: `user` is the customer, `bot` (Freddy) the AI,
//! `agent` a person; `system` messages are the platform's and left out, except the first one after the
//! bot's last message before the first agent message (the assignment notice), which is the handoff.
//! Private messages are internal notes. Quick-reply buttons become a platform line with their labels.
//!
//! Freshdesk: the ticket's description is the requester's first message (the agent's, for outbound
//! e-mail); conversations marked `incoming` are the customer's, others a person's; private notes are
//! internal. Satisfaction ratings (Freshdesk's happiness scale, 103 … -103) become ratings 1–5.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{at, flag_at, html_text, items, number_at, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::model::{EventKind, Role};

/// The Freshchat and Freshdesk importer.
pub struct Freshchat;

impl LogImporter for Freshchat {
    fn id(&self) -> &'static str {
        "freshchat"
    }

    fn name(&self) -> &'static str {
        "Freshchat and Freshdesk conversations"
    }

    fn reading(&self) -> &'static str {
        "Freshchat messages by users are the customer's, by bots (Freddy) the AI's and by agents a \
         person's; Freshdesk ticket descriptions and incoming replies are the customer's, other replies a \
         person's; private messages and notes are kept as internal evidence."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        (head.has_key("message_parts") && head.has_key("actor_type"))
            || (head.has_key("requester_id") && head.has_key("description_text"))
            || (head.has_key("body_text") && head.has_key("incoming") && head.has_key("ticket_id"))
            || (head.has_key("default_question") && head.has_key("survey_id"))
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut chat: BTreeMap<String, Vec<(u64, Value)>> = BTreeMap::new();
        for (line, value) in read_values(input, out)? {
            let list: Vec<&Value> = match &value {
                Value::Array(list) => list.iter().collect(),
                other => vec![other],
            };
            for (n, item) in list.into_iter().enumerate() {
                let record = line.max(n as u64 + 1);
                if at(item, &["messages"]).is_some() {
                    for message in items(item, &["messages"]) {
                        add_chat(message, record, &mut chat, out);
                    }
                } else if at(item, &["message_parts"]).is_some() {
                    add_chat(item, record, &mut chat, out);
                } else if at(item, &["ratings"]).is_some() {
                    read_rating(item, record, out)?;
                } else if at(item, &["description_text"]).is_some()
                    || at(item, &["requester_id"]).is_some()
                {
                    read_ticket(item, record, out)?;
                } else if at(item, &["ticket_id"]).is_some() && at(item, &["incoming"]).is_some() {
                    let ticket = text_at(item, &["ticket_id"]).unwrap_or_default();
                    read_ticket_conversation(item, &ticket, None, record, 1, out)?;
                } else {
                    out.skip(
                        &format!("Record {record}"),
                        "it is neither a Freshchat message page, a Freshdesk ticket nor a rating, so it \
                         was skipped",
                    );
                }
            }
        }
        for (id, messages) in chat {
            read_chat(&id, messages, out)?;
        }
        Ok(())
    }
}

fn add_chat(
    message: &Value,
    record: u64,
    chat: &mut BTreeMap<String, Vec<(u64, Value)>>,
    out: &mut Records<'_>,
) {
    match text_at(message, &["conversation_id"]) {
        Some(id) => chat.entry(id).or_default().push((record, message.clone())),
        None => out.skip(
            &format!("Record {record}"),
            "the Freshchat message names no conversation, so it was skipped",
        ),
    }
}

/// Who wrote a Freshchat message.
fn chat_role(message: &Value) -> Option<Role> {
    if text_at(message, &["message_type"]).is_some_and(|t| t.eq_ignore_ascii_case("system")) {
        return Some(Role::System);
    }
    match text_at(message, &["actor_type"])?
        .to_ascii_lowercase()
        .as_str()
    {
        "user" => Some(Role::Customer),
        "bot" => Some(Role::Ai),
        "agent" => Some(Role::HumanAgent),
        "system" => Some(Role::System),
        _ => None,
    }
}

/// Every `label` under a value (quick-reply buttons, however they are nested).
fn labels(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Array(list) => list.iter().for_each(|v| labels(v, found)),
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if key == "label" && !s.trim().is_empty() => {
                        found.push(s.clone());
                    }
                    _ => labels(v, found),
                }
            }
        }
        _ => {}
    }
}

fn read_chat(
    id: &str,
    mut messages: Vec<(u64, Value)>,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    // Pages are newest first: order by time (then file order).
    messages.sort_by_key(|(_, m)| time_at(m, &["created_time"]));
    let roles: Vec<Option<Role>> = messages.iter().map(|(_, m)| chat_role(m)).collect();
    // The handoff: the first system message after the bot's last message before the first agent message.
    let first_agent = roles.iter().position(|r| *r == Some(Role::HumanAgent));
    let handoff = first_agent.and_then(|agent| {
        let last_bot = roles
            .get(..agent)?
            .iter()
            .rposition(|r| *r == Some(Role::Ai))?;
        (last_bot + 1..agent).find(|&i| roles.get(i) == Some(&Some(Role::System)))
    });
    for (i, (record, message)) in messages.iter().enumerate() {
        let place = format!(
            "Conversation {id}, message {}",
            text_at(message, &["id"]).unwrap_or_else(|| (i + 1).to_string())
        );
        let role = roles.get(i).copied().flatten();
        let text = items(message, &["message_parts"])
            .iter()
            .filter_map(|p| text_at(p, &["text", "content"]))
            .collect::<Vec<_>>()
            .join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let timestamp = time_at(message, &["created_time"]);
        let base = PlatformMessage {
            conversation_id: id.to_owned(),
            timestamp,
            line: *record,
            ..PlatformMessage::default()
        };
        if role == Some(Role::System) {
            if handoff == Some(i) {
                out.push(
                    PlatformMessage {
                        role,
                        text,
                        event: Some(EventKind::Handoff),
                        ..base
                    },
                    &place,
                )?;
            } else {
                out.left_out("Freshchat system messages".to_owned());
            }
            continue;
        }
        if role.is_none() {
            out.skip(
                &place,
                format!(
                    "its actor type {:?} is not one Freshchat writes (user, bot, agent, system), so it \
                     is not known who wrote it; it was skipped",
                    text_at(message, &["actor_type"]).unwrap_or_default()
                ),
            );
            continue;
        }
        let internal =
            text_at(message, &["message_type"]).is_some_and(|t| t.eq_ignore_ascii_case("private"));
        let mut buttons = Vec::new();
        if let Some(replies) = at(message, &["reply_parts"]) {
            labels(replies, &mut buttons);
        }
        if text.is_empty() && buttons.is_empty() {
            out.left_out("Freshchat messages without text (images, files)".to_owned());
            continue;
        }
        if !text.is_empty() {
            out.push(
                PlatformMessage {
                    role,
                    text,
                    internal,
                    ..base.clone()
                },
                &place,
            )?;
        }
        if !buttons.is_empty() {
            out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    text: buttons.join(" | "),
                    internal,
                    ..base
                },
                &format!("{place} (buttons)"),
            )?;
        }
    }
    Ok(())
}

/// The ticket `source` as a channel.
fn ticket_channel(source: Option<f64>) -> Option<String> {
    let name = match source? as i64 {
        1 | 10 => "email",
        2 | 9 => "web",
        3 => "voice",
        6 => "messenger",
        7 | 12 => "chat",
        13 => "whatsapp",
        _ => return None,
    };
    Some(name.to_owned())
}

/// The text of a Freshdesk body: `body_text`, else the HTML `body` without its quoted history.
fn body_text(value: &Value, text_key: &str, html_key: &str) -> String {
    if let Some(text) = text_at(value, &[text_key]) {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let html = text_at(value, &[html_key]).unwrap_or_default();
    let own = match html.find("freshdesk_quote") {
        Some(quote) => html
            .get(..quote)
            .and_then(|before| before.rfind('<').and_then(|lt| html.get(..lt)))
            .unwrap_or(&html),
        None => &html,
    };
    html_text(own)
}

fn read_ticket(ticket: &Value, record: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Some(id) = text_at(ticket, &["id"]) else {
        out.skip(
            &format!("Ticket record {record}"),
            "it has no \"id\", so its messages cannot be kept together",
        );
        return Ok(());
    };
    let source = number_at(ticket, &["source"]);
    let channel = ticket_channel(source);
    let outbound = source.is_some_and(|s| (s - 10.0).abs() < f64::EPSILON);
    let description = body_text(ticket, "description_text", "description");
    out.push(
        PlatformMessage {
            conversation_id: id.clone(),
            role: Some(if outbound {
                Role::HumanAgent
            } else {
                Role::Customer
            }),
            text: description,
            timestamp: time_at(ticket, &["created_at"]),
            channel: channel.clone(),
            line: record,
            ..PlatformMessage::default()
        },
        &format!("Ticket {id}, description"),
    )?;
    for (n, conversation) in items(ticket, &["conversations"]).iter().enumerate() {
        read_ticket_conversation(conversation, &id, channel.clone(), record, n + 1, out)?;
    }
    Ok(())
}

fn read_ticket_conversation(
    conversation: &Value,
    ticket: &str,
    channel: Option<String>,
    record: u64,
    number: usize,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let place = format!("Ticket {ticket}, conversation {number}");
    let private = flag_at(conversation, &["private"]);
    let role = match at(conversation, &["incoming"]) {
        _ if private => Some(Role::HumanAgent),
        Some(Value::Bool(true)) => Some(Role::Customer),
        Some(Value::Bool(false)) => Some(Role::HumanAgent),
        _ => None,
    };
    out.push(
        PlatformMessage {
            conversation_id: ticket.to_owned(),
            role,
            text: body_text(conversation, "body_text", "body"),
            timestamp: time_at(conversation, &["created_at"]),
            internal: private,
            channel,
            line: record,
            ..PlatformMessage::default()
        },
        &place,
    )
}

/// Freshdesk's happiness scale (103 … -103) as a rating 1–5.
fn happiness(value: f64) -> Option<f64> {
    #[allow(clippy::cast_possible_truncation)]
    let rating = match value.round() as i64 {
        103 => 5.0,
        102 | 101 => 4.0,
        100 => 3.0,
        -101 | -102 => 2.0,
        -103 => 1.0,
        _ => return None,
    };
    Some(rating)
}

fn read_rating(rating: &Value, record: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let place = format!(
        "Satisfaction rating {}",
        text_at(rating, &["id"]).unwrap_or_else(|| record.to_string())
    );
    let Some(ticket) = text_at(rating, &["ticket_id"]) else {
        out.skip(&place, "it names no ticket, so it was skipped");
        return Ok(());
    };
    let Some(raw) = number_at(rating, &["ratings", "default_question"]) else {
        out.skip(
            &place,
            "it has no answer to the default question, so it was skipped",
        );
        return Ok(());
    };
    let Some(csat) = happiness(raw) else {
        out.skip(
            &place,
            format!("the rating {raw} is not on Freshdesk's happiness scale (103 to -103), so it was skipped"),
        );
        return Ok(());
    };
    let timestamp: Option<DateTime<Utc>> = time_at(rating, &["created_at"]);
    out.push(
        PlatformMessage {
            conversation_id: ticket,
            role: Some(Role::System),
            text: text_at(rating, &["feedback"]).unwrap_or_default(),
            timestamp,
            event: Some(EventKind::Csat),
            csat: Some(csat),
            line: record,
            ..PlatformMessage::default()
        },
        &place,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happiness_scale_becomes_one_to_five() {
        assert_eq!(happiness(103.0), Some(5.0));
        assert_eq!(happiness(102.0), Some(4.0));
        assert_eq!(happiness(100.0), Some(3.0));
        assert_eq!(happiness(-102.0), Some(2.0));
        assert_eq!(happiness(-103.0), Some(1.0));
        assert_eq!(happiness(4.0), None);
    }

    #[test]
    fn a_private_message_keeps_its_actor() {
        let note = serde_json::json!({"actor_type": "agent", "message_type": "private"});
        assert_eq!(chat_role(&note), Some(Role::HumanAgent));
        let notice = serde_json::json!({"actor_type": "system", "message_type": "system"});
        assert_eq!(chat_role(&notice), Some(Role::System));
    }
}
