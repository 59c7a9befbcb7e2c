//! Chatwoot: message lists from the API (`GET …/conversations/{id}/messages`, `{meta, payload}`, one or an
//! array of them), webhook bodies (one per line: `message_created`, `message_updated`,
//! `conversation_status_changed`), CSAT survey responses from the API (`GET …/csat_survey_responses`) and
//! the CSAT report download (CSV).
//!
//! Who wrote a message is decided by its type and sender: incoming messages are the customer's; outgoing
//! ones are a person's when sent by a user (agent), the AI's when sent by an agent bot or a Captain
//! assistant, and the platform's when they have no sender (automation rules, campaigns, auto-replies).
//! Activity messages are status records and left out, except a conversation marked open by the AI
//! (Captain's handoff), which is a handoff; in webhooks, a status change from pending to open after the
//! AI spoke is a handoff too. Templates (the CSAT survey, e-mail collection) are the platform's. Private
//! messages are internal notes, with their sender's role. An answered CSAT survey carries its rating
//! (1–5); the CSAT API and report give one rating line per response. Options of a select or cards
//! message become a platform line with their titles; Markdown emphasis is removed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{at, items, number_at, text_at, time, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::import::quotes::{guarded_reader, next_row};
use crate::model::{EventKind, Role};

/// The Chatwoot importer.
pub struct Chatwoot;

/// The header the CSAT report download starts with.
const CSAT_REPORT_HEADER: &str = "agent name,rating,feedback comment,";

impl LogImporter for Chatwoot {
    fn id(&self) -> &'static str {
        "chatwoot"
    }

    fn name(&self) -> &'static str {
        "Chatwoot conversations"
    }

    fn reading(&self) -> &'static str {
        "Incoming messages are the customer's, outgoing ones by agent bots or Captain the AI's and by \
         users a person's; messages without a sender are automations; private messages are kept as \
         internal evidence."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        let csv = head
            .first_line()
            .to_ascii_lowercase()
            .starts_with(CSAT_REPORT_HEADER);
        let messages = head.has_key("payload")
            && head.has_key("content_attributes")
            && head.has_key("inbox_id")
            && head.has_key("message_type");
        let webhook = [
            "message_created",
            "message_updated",
            "conversation_status_changed",
            "conversation_created",
            "conversation_updated",
        ]
        .iter()
        .any(|e| head.has_member("event", e))
            && head.text.contains("\"Channel::");
        let csat = head.has_key("feedback_message")
            && head.has_key("rating")
            && head.has_key("message_id")
            && head.has_key("conversation_id");
        csv || messages || webhook || csat
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(crate::import::io_error)?;
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if !matches!(first, Some(b'{' | b'[')) {
            return read_csat_report(&bytes, out);
        }
        let mut state = Collected::default();
        for (line, value) in read_values(&mut bytes.as_slice(), out)? {
            match value {
                Value::Array(list) => {
                    for (n, item) in list.iter().enumerate() {
                        collect(item, line.max(n as u64 + 1), &mut state, out)?;
                    }
                }
                other => collect(&other, line, &mut state, out)?,
            }
        }
        for (id, messages) in state.conversations {
            let channel = state.channels.get(&id).cloned();
            read_conversation(&id, channel, messages, out)?;
        }
        Ok(())
    }
}

/// What one message (or status change) in a conversation holds, before ordering.
#[derive(Clone)]
struct Item {
    /// The message, or the status change record.
    value: Value,
    /// Whether it is a webhook `conversation_status_changed` record.
    status_change: bool,
    time: Option<DateTime<Utc>>,
    id: f64,
    record: u64,
}

#[derive(Default)]
struct Collected {
    /// Messages by conversation id, in file order.
    conversations: BTreeMap<String, Vec<Item>>,
    /// Where a webhook message id sits, to apply later updates in place.
    by_message: HashMap<String, (String, usize)>,
    channels: HashMap<String, String>,
}

/// Sorts one top-level value into the collected conversations (or reads it at once, for CSAT records).
fn collect(
    value: &Value,
    record: u64,
    state: &mut Collected,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    if at(value, &["payload"]).is_some() {
        for message in items(value, &["payload"]) {
            add_message(message, record, state, out);
        }
        return Ok(());
    }
    if at(value, &["rating"]).is_some() && at(value, &["message_id"]).is_some() {
        return read_csat_response(value, record, out);
    }
    if let Some(event) = text_at(value, &["event"]) {
        if let Some(channel) = text_at(value, &["conversation", "channel"])
            .or_else(|| text_at(value, &["channel"]))
            .and_then(|c| channel_name(&c))
        {
            let id = text_at(value, &["conversation", "id"]).or_else(|| {
                (event.starts_with("conversation_")).then(|| text_at(value, &["id"]))?
            });
            if let Some(id) = id {
                state.channels.insert(id, channel);
            }
        }
        match event.as_str() {
            "message_created" | "message_updated" => {
                add_message(value, record, state, out);
            }
            "conversation_status_changed" => {
                let Some(id) = text_at(value, &["id"]) else {
                    out.skip(
                        &format!("Record {record}"),
                        "the status change names no conversation, so it was skipped",
                    );
                    return Ok(());
                };
                state.conversations.entry(id).or_default().push(Item {
                    value: value.clone(),
                    status_change: true,
                    time: time_at(value, &["timestamp"]),
                    id: f64::MAX,
                    record,
                });
            }
            other => out.left_out(format!("Chatwoot \"{other}\" webhook events")),
        }
        return Ok(());
    }
    if at(value, &["message_type"]).is_some() {
        add_message(value, record, state, out);
        return Ok(());
    }
    out.skip(
        &format!("Record {record}"),
        "it is neither a Chatwoot message, a webhook event nor a CSAT response, so it was skipped",
    );
    Ok(())
}

fn add_message(message: &Value, record: u64, state: &mut Collected, out: &mut Records<'_>) {
    let Some(conversation) = text_at(message, &["conversation_id"])
        .or_else(|| text_at(message, &["conversation", "id"]))
    else {
        out.skip(
            &format!("Record {record}"),
            "the message names no conversation, so it was skipped",
        );
        return;
    };
    let message_id = text_at(message, &["id"]);
    let item = Item {
        value: message.clone(),
        status_change: false,
        time: time_at(message, &["created_at"]),
        id: number_at(message, &["id"]).unwrap_or(f64::MAX),
        record,
    };
    if let Some(mid) = &message_id {
        if let Some((conv, index)) = state.by_message.get(mid) {
            if let Some(existing) = state
                .conversations
                .get_mut(conv)
                .and_then(|list| list.get_mut(*index))
            {
                // A later version of the same message (an update, or a repeat) supersedes it in place.
                let time = existing.time;
                *existing = Item { time, ..item };
                return;
            }
        }
    }
    let list = state.conversations.entry(conversation.clone()).or_default();
    list.push(item);
    if let Some(mid) = message_id {
        state.by_message.insert(mid, (conversation, list.len() - 1));
    }
}

/// Chatwoot's channel type as Candor names channels (`Channel::Api` names none).
fn channel_name(raw: &str) -> Option<String> {
    let name = match raw.trim_start_matches("Channel::") {
        "WebWidget" => "web",
        "Whatsapp" => "whatsapp",
        "Email" => "email",
        "Sms" | "TwilioSms" => "sms",
        "FacebookPage" => "messenger",
        "Instagram" => "instagram",
        "Telegram" => "telegram",
        "Line" => "line",
        _ => return None,
    };
    Some(name.to_owned())
}

/// The message type as Chatwoot's enum: integer in the API, name in webhooks.
fn message_type(message: &Value) -> Option<&'static str> {
    match at(message, &["message_type"])? {
        Value::Number(n) => match n.as_u64()? {
            0 => Some("incoming"),
            1 => Some("outgoing"),
            2 => Some("activity"),
            3 => Some("template"),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "incoming" | "0" => Some("incoming"),
            "outgoing" | "1" => Some("outgoing"),
            "activity" | "2" => Some("activity"),
            "template" | "3" => Some("template"),
            _ => None,
        },
        _ => None,
    }
}

/// The sender's kind: `sender_type` (API) or `sender.type` (webhooks), normalised.
fn sender_kind(message: &Value) -> Option<String> {
    text_at(message, &["sender_type"])
        .or_else(|| text_at(message, &["sender", "type"]))
        .map(|s| s.to_ascii_lowercase().replace("::", "_"))
}

/// Who wrote a message; `None` when it cannot be told.
fn role_of(message: &Value) -> Option<Role> {
    match message_type(message)? {
        "incoming" => Some(Role::Customer),
        "activity" | "template" => Some(Role::System),
        _ => match sender_kind(message).as_deref() {
            Some("user") => Some(Role::HumanAgent),
            Some("agentbot" | "agent_bot" | "captain_assistant" | "captain_assistant_") => {
                Some(Role::Ai)
            }
            Some("contact") => Some(Role::Customer),
            None => Some(Role::System),
            Some(_) => None,
        },
    }
}

/// Markdown emphasis removed (`**x**`, `__x__`, `_x_`, `*x*`, `` `x` ``), line breaks as spaces.
fn plain(markdown: &str) -> String {
    let text = markdown
        .replace("**", "")
        .replace("__", "")
        .replace('`', "");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '*' | '_') {
            let before = i
                .checked_sub(1)
                .and_then(|p| chars.get(p))
                .is_some_and(|p| p.is_alphanumeric());
            let after = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            // An emphasis marker touches a word on one side only ("_x_"); "snake_case" and "2 * 3" stay.
            if before != after {
                continue;
            }
        }
        out.push(*c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name in "Conversation was marked open by NAME" or "… by NAME (reason)".
fn opened_by(content: &str) -> Option<&str> {
    let rest = content
        .trim()
        .strip_prefix("Conversation was marked open by ")?;
    let name = match rest.find(" (") {
        Some(at) => rest.get(..at)?,
        None => rest,
    };
    Some(name.trim())
}

#[allow(clippy::too_many_lines)]
fn read_conversation(
    id: &str,
    channel: Option<String>,
    mut list: Vec<Item>,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    list.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then(a.id.partial_cmp(&b.id).unwrap_or(std::cmp::Ordering::Equal))
    });
    let ai_names: HashSet<String> = list
        .iter()
        .filter(|i| !i.status_change && role_of(&i.value) == Some(Role::Ai))
        .filter_map(|i| text_at(&i.value, &["sender", "name"]))
        .collect();
    let base = PlatformMessage {
        conversation_id: id.to_owned(),
        channel,
        ..PlatformMessage::default()
    };
    let mut ai_spoke = false;
    for item in list {
        let value = &item.value;
        let place = match text_at(value, &["id"]) {
            Some(mid) if !item.status_change => format!("Conversation {id}, message {mid}"),
            _ => format!("Conversation {id}, record {}", item.record),
        };
        let line = PlatformMessage {
            line: item.record,
            timestamp: item.time,
            ..base.clone()
        };
        if item.status_change {
            let pending_to_open = status_changes(value).iter().any(|(from, to)| {
                from.eq_ignore_ascii_case("pending") && to.eq_ignore_ascii_case("open")
            });
            if pending_to_open && ai_spoke {
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        event: Some(EventKind::Handoff),
                        ..line
                    },
                    &place,
                )?;
            } else {
                out.left_out("Chatwoot status changes".to_owned());
            }
            continue;
        }
        let kind = message_type(value);
        let role = role_of(value);
        let content = text_at(value, &["content"]).unwrap_or_default();
        let content_type = text_at(value, &["content_type"]).unwrap_or_default();
        let internal = super::flag_at(value, &["private"]);
        if kind == Some("activity") {
            let by_ai = opened_by(&content).is_some_and(|name| ai_names.contains(name));
            if by_ai {
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        text: content,
                        event: Some(EventKind::Handoff),
                        ..line
                    },
                    &place,
                )?;
            } else {
                out.left_out("Chatwoot activity messages".to_owned());
            }
            continue;
        }
        if kind.is_none() {
            out.skip(
                &place,
                "its message type is not one Chatwoot writes (incoming, outgoing, activity, template), \
                 so it was skipped",
            );
            continue;
        }
        if role.is_none() {
            out.skip(
                &place,
                format!(
                    "its sender type {:?} is not one Candor knows, so it is not known who wrote it; it \
                     was skipped",
                    sender_kind(value).unwrap_or_default()
                ),
            );
            continue;
        }
        let text = if kind == Some("incoming") {
            content.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            plain(&content)
        };
        let rating = number_at(
            value,
            &[
                "content_attributes",
                "submitted_values",
                "csat_survey_response",
                "rating",
            ],
        );
        let rating = match rating {
            Some(r) if content_type == "input_csat" && (1.0..=5.0).contains(&r) => Some(r),
            Some(r) if content_type == "input_csat" => {
                out.warn(
                    &place,
                    format!("the rating {r} is outside 1–5 and was not counted"),
                );
                None
            }
            _ => None,
        };
        if role == Some(Role::Ai) && !internal {
            ai_spoke = true;
        }
        out.push(
            PlatformMessage {
                role,
                text,
                internal,
                event: rating.map(|_| EventKind::Csat),
                csat: rating,
                ..line.clone()
            },
            &place,
        )?;
        if matches!(content_type.as_str(), "input_select" | "cards") {
            let titles: Vec<String> = items(value, &["content_attributes", "items"])
                .iter()
                .filter_map(|i| text_at(i, &["title"]))
                .collect();
            if !titles.is_empty() {
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        text: titles.join(" | "),
                        internal,
                        ..line
                    },
                    &format!("{place} (options)"),
                )?;
            }
        }
    }
    Ok(())
}

/// The status changes of a `conversation_status_changed` record: (previous, current).
fn status_changes(value: &Value) -> Vec<(String, String)> {
    let one = |v: &Value| {
        Some((
            text_at(v, &["status", "previous_value"])?,
            text_at(v, &["status", "current_value"])?,
        ))
    };
    match at(value, &["changed_attributes"]) {
        Some(Value::Array(list)) => list.iter().filter_map(one).collect(),
        Some(obj @ Value::Object(_)) => one(obj).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// One CSAT survey response from the API.
fn read_csat_response(
    value: &Value,
    record: u64,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let place = format!(
        "CSAT response {}",
        text_at(value, &["id"]).unwrap_or(record.to_string())
    );
    let Some(conversation) = text_at(value, &["conversation_id"]) else {
        out.skip(&place, "it names no conversation, so it was skipped");
        return Ok(());
    };
    rating_line(
        &conversation,
        number_at(value, &["rating"]),
        text_at(value, &["feedback_message"]).unwrap_or_default(),
        time_at(value, &["created_at"]),
        record,
        &place,
        out,
    )
}

fn rating_line(
    conversation: &str,
    rating: Option<f64>,
    text: String,
    timestamp: Option<DateTime<Utc>>,
    record: u64,
    place: &str,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    match rating {
        Some(r) if (1.0..=5.0).contains(&r) => out.push(
            PlatformMessage {
                conversation_id: conversation.to_owned(),
                role: Some(Role::System),
                text,
                timestamp,
                event: Some(EventKind::Csat),
                csat: Some(r),
                line: record,
                ..PlatformMessage::default()
            },
            place,
        ),
        Some(r) => {
            out.skip(
                place,
                format!("the rating {r} is outside 1–5, so it was skipped"),
            );
            Ok(())
        }
        None => {
            out.skip(place, "it has no rating, so it was skipped");
            Ok(())
        }
    }
}

/// The CSAT report download: one rating per row; the trailing "Reporting period" line is no record.
fn read_csat_report(bytes: &[u8], out: &mut Records<'_>) -> Result<(), ImportError> {
    let mut reader = guarded_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(err) => {
            out.skip("The header line", format!("it could not be read ({err})"));
            return Ok(());
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (rating, feedback, link, recorded) = (
        column("rating"),
        column("feedback comment"),
        column("link to the conversation"),
        column("recorded date"),
    );
    let mut record = csv::StringRecord::new();
    for n in 0u64.. {
        let Some((line, read)) = next_row(&mut reader, &mut record, out.report, n) else {
            break;
        };
        let row = read.map(|()| &record);
        out.check_cancel()?;
        let place = format!("Line {line}");
        let row = match row {
            Ok(row) => row,
            Err(err) => {
                out.skip(&place, format!("the row could not be read ({err})"));
                continue;
            }
        };
        if row.len() <= 1 {
            out.left_out("Chatwoot report period lines".to_owned());
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let Some(conversation) = cell(link).and_then(|l| {
            l.split(['?', '#'])
                .next()
                .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
        }) else {
            out.skip(
                &place,
                "it has no link to the conversation, so it was skipped",
            );
            continue;
        };
        let timestamp = cell(recorded).and_then(|t| {
            let t = t.trim_end_matches("UTC").trim().to_owned();
            time(&Value::String(t))
        });
        let score = cell(rating).and_then(|r| r.parse::<f64>().ok());
        rating_line(
            &conversation,
            score,
            cell(feedback).unwrap_or_default(),
            timestamp,
            line,
            &place,
            out,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_decides_the_role_of_outgoing_messages() {
        let captain = serde_json::json!({"message_type": 1, "sender_type": "Captain::Assistant"});
        assert_eq!(role_of(&captain), Some(Role::Ai));
        let bot = serde_json::json!({"message_type": "outgoing", "sender": {"type": "agent_bot"}});
        assert_eq!(role_of(&bot), Some(Role::Ai));
        let automation = serde_json::json!({"message_type": 1, "sender_type": null,
            "content_attributes": {"automation_rule_id": 31}});
        assert_eq!(role_of(&automation), Some(Role::System));
        let agent = serde_json::json!({"message_type": 1, "sender_type": "User"});
        assert_eq!(role_of(&agent), Some(Role::HumanAgent));
    }

    #[test]
    fn markdown_emphasis_is_removed() {
        assert_eq!(
            plain("an **estimated** _reading_ of `x`"),
            "an estimated reading of x"
        );
        assert_eq!(plain("snake_case and 2 * 3"), "snake_case and 2 * 3");
        assert_eq!(
            opened_by("Conversation was marked open by Aria (asked)"),
            Some("Aria")
        );
    }
}
