//! LivePerson: Messaging Interactions (messaging history) API search responses
//! (`{"_metadata": …, "conversationHistoryRecords": […]}`), and exports of one conversation record per line.
//!
//! Who wrote a message is decided by `sentBy` and the agent participants: a consumer message is the
//! customer's; an agent message is looked up by its `participantId` among `agentParticipants` (by `agentId`
//! or `agentPid`), whose `userTypeName` decides (Bot → AI, Human → person, System → the platform; the
//! participant's `role` and `permission` decide nothing, bots are often "AGENTMANAGER"). An agent message
//! with no matching participant is a person's only when the conversation's latest agent is a Human;
//! otherwise the speaker is unknown and the message is skipped with a warning. Agent messages in a
//! post-conversation survey dialog (`dialogType` `POST_SURVEY`) are the platform's survey prompts.
//! Messages for the audience `AGENTS_AND_MANAGERS` are internal notes.
//!
//! A transfer made by a bot is a handoff; when a human joins after the bot spoke and no bot transfer lies
//! between, the join is the handoff. The conversation's `csat` (or `csatRate`, 1–5) is a satisfaction
//! rating, put on the survey question when the survey dialog holds it, else on a line at the end.
//! Quick replies and rich-content buttons become a platform line with their titles.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{at, channel, html_text, items, number_at, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::model::{EventKind, Role};

/// The LivePerson importer.
pub struct LivePerson;

impl LogImporter for LivePerson {
    fn id(&self) -> &'static str {
        "liveperson"
    }

    fn name(&self) -> &'static str {
        "LivePerson conversations"
    }

    fn reading(&self) -> &'static str {
        "Consumer messages are the customer's; agent messages are the AI's or a person's as the agent \
         participant's user type (Bot or Human) says; messages for agents and managers only are kept as \
         internal evidence."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        head.has_key("conversationHistoryRecords")
            || (head.has_key("messageRecords") && head.has_key("conversationId"))
            || (head.has_key("sentBy")
                && head.has_key("participantId")
                && head.has_key("messageData"))
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        for (line, value) in read_values(input, out)? {
            let records: Vec<&Value> = match &value {
                Value::Array(list) => list.iter().collect(),
                Value::Object(_) if at(&value, &["conversationHistoryRecords"]).is_some() => {
                    items(&value, &["conversationHistoryRecords"])
                        .iter()
                        .collect()
                }
                Value::Object(_) => vec![&value],
                _ => Vec::new(),
            };
            for (n, record) in records.into_iter().enumerate() {
                read_record(record, line.max(n as u64 + 1), out)?;
            }
        }
        Ok(())
    }
}

/// A value that is a placeholder for "missing": `"undefined"`, `"null"`, `-1`.
fn real_text(value: Option<String>) -> Option<String> {
    value.filter(|v| !matches!(v.trim(), "undefined" | "null" | "-1" | ""))
}

/// The kind of agent participant, from `userTypeName` (or the numeric `userType`).
fn participant_role(participant: &Value) -> Option<Role> {
    let name = text_at(participant, &["userTypeName"]).map(|n| n.to_ascii_lowercase());
    match name.as_deref() {
        Some("bot") => return Some(Role::Ai),
        Some("human") => return Some(Role::HumanAgent),
        Some("system") => return Some(Role::System),
        _ => {}
    }
    match text_at(participant, &["userType"]).as_deref() {
        Some("2") => Some(Role::Ai),
        Some("1") => Some(Role::HumanAgent),
        Some("0") => Some(Role::System),
        _ => None,
    }
}

/// A time: `timeL` (epoch milliseconds) when real, else the `time` text.
fn when(value: &Value, long: &str, text: &str) -> Option<DateTime<Utc>> {
    number_at(value, &[long])
        .filter(|t| *t > 0.0)
        .and_then(|_| time_at(value, &[long]))
        .or_else(|| real_text(text_at(value, &[text])).and_then(|t| super::time(&Value::String(t))))
}

/// The texts of a rich-content card: its `text` elements, and its buttons' titles.
fn rich_content(element: &Value, texts: &mut Vec<String>, buttons: &mut Vec<String>) {
    match element {
        Value::Array(list) => {
            for item in list {
                rich_content(item, texts, buttons);
            }
        }
        Value::Object(_) => {
            match text_at(element, &["type"]).as_deref() {
                Some("text") => texts.extend(text_at(element, &["text"])),
                Some("button") => buttons.extend(text_at(element, &["title"])),
                _ => {}
            }
            if let Some(children) = at(element, &["elements"]) {
                rich_content(children, texts, buttons);
            }
        }
        _ => {}
    }
}

/// A JSON document written as a string inside JSON.
fn inner_json(value: &Value, path: &[&str]) -> Option<Value> {
    match at(value, path)? {
        Value::String(s) => serde_json::from_str(s).ok(),
        other @ Value::Object(_) => Some(other.clone()),
        _ => None,
    }
}

/// One message before ordering: its time, `seq`, and the lines it makes.
struct Pending {
    time: Option<DateTime<Utc>>,
    seq: f64,
    message: PlatformMessage,
    place: String,
}

#[allow(clippy::too_many_lines)]
fn read_record(record: &Value, number: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Some(id) = real_text(text_at(record, &["info", "conversationId"]))
        .or_else(|| real_text(text_at(record, &["conversationId"])))
    else {
        out.skip(
            &format!("Conversation record {number}"),
            "it has no \"info.conversationId\", so its messages cannot be kept together",
        );
        return Ok(());
    };
    let place = |what: &str| format!("Conversation {id}, {what}");
    let channel_name = real_text(text_at(record, &["info", "source"]))
        .or_else(|| {
            items(record, &["messageRecords"])
                .iter()
                .find_map(|m| real_text(text_at(m, &["source"])))
        })
        .map(|raw| match raw.to_ascii_uppercase().as_str() {
            "SHARK" | "WEB" => "web".to_owned(),
            "APP" => "app".to_owned(),
            other => channel(other),
        });
    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: channel_name,
        line: number,
        ..PlatformMessage::default()
    };

    // Agent participants by agentId and agentPid.
    let mut agents: HashMap<String, Role> = HashMap::new();
    let mut joins: Vec<(DateTime<Utc>, Role)> = Vec::new();
    for participant in items(record, &["agentParticipants"]) {
        let Some(role) = participant_role(participant) else {
            continue;
        };
        for key in ["agentId", "agentPid"] {
            if let Some(agent) = real_text(text_at(participant, &[key])) {
                agents.insert(agent, role);
            }
        }
        if let Some(t) = when(participant, "timeL", "time") {
            joins.push((t, role));
        }
    }
    let latest_is_human = real_text(text_at(record, &["info", "latestAgentId"]))
        .and_then(|a| agents.get(&a).copied())
        == Some(Role::HumanAgent);
    let survey_dialogs: HashSet<String> = items(record, &["dialogs"])
        .iter()
        .filter(|d| {
            text_at(d, &["dialogType"]).is_some_and(|t| t.eq_ignore_ascii_case("POST_SURVEY"))
        })
        .filter_map(|d| text_at(d, &["dialogId"]))
        .collect();
    let questions: HashSet<String> = items(record, &["conversationSurveys"])
        .iter()
        .flat_map(|s| items(s, &["surveyData"]))
        .filter_map(|q| text_at(q, &["question"]))
        .map(|q| q.trim().to_owned())
        .collect();
    let csat = ["csat", "csatRate"]
        .iter()
        .find_map(|key| number_at(record, &["info", key]).filter(|c| *c != -1.0));
    let csat = match csat {
        Some(c) if (1.0..=5.0).contains(&c) => Some(c),
        Some(c) => {
            out.warn(
                &place("rating"),
                format!("the rating {c} is outside 1–5 and was not counted"),
            );
            None
        }
        None => None,
    };
    let mut csat_placed = false;

    let mut pending: Vec<Pending> = Vec::new();
    let mut bot_times: Vec<DateTime<Utc>> = Vec::new();
    for (n, message) in items(record, &["messageRecords"]).iter().enumerate() {
        let message_place = place(&format!("message {}", n + 1));
        let time = when(message, "timeL", "time");
        let seq = number_at(message, &["seq"]).unwrap_or(0.0);
        let dialog = text_at(message, &["dialogId"]).unwrap_or_default();
        let in_survey = survey_dialogs.contains(&dialog);
        let sent_by = text_at(message, &["sentBy"]).map(|s| s.to_ascii_lowercase());
        let role = match sent_by.as_deref() {
            Some("consumer") => Some(Role::Customer),
            Some("agent") if in_survey => Some(Role::System),
            Some("agent") => {
                let participant = real_text(text_at(message, &["participantId"]));
                match participant.and_then(|p| agents.get(&p).copied()) {
                    Some(role) => Some(role),
                    None if latest_is_human => Some(Role::HumanAgent),
                    None => None,
                }
            }
            Some("system") => Some(Role::System),
            _ => None,
        };
        if role.is_none() {
            out.skip(
                &message_place,
                "the agent who sent it is not among the conversation's agent participants, so it is \
                 not known whether a bot or a person wrote it; it was skipped",
            );
            continue;
        }
        let kind = text_at(message, &["type"])
            .unwrap_or_default()
            .to_ascii_uppercase();
        let mut buttons = Vec::new();
        let text = if kind == "RICH_CONTENT" {
            let mut texts = Vec::new();
            match inner_json(message, &["messageData", "richContent", "content"]) {
                Some(card) => rich_content(&card, &mut texts, &mut buttons),
                None => out.warn(
                    &message_place,
                    "its rich content could not be read as JSON, so its text is missing",
                ),
            }
            texts.join(" ")
        } else {
            let raw = text_at(message, &["messageData", "msg", "text"]).unwrap_or_default();
            if kind == "TEXT_HTML" {
                html_text(&raw)
            } else {
                raw
            }
        };
        if let Some(replies) = inner_json(message, &["messageData", "quickReplies", "content"]) {
            buttons.extend(
                items(&replies, &["replies"])
                    .iter()
                    .filter_map(|r| text_at(r, &["title"])),
            );
        }
        if text.trim().is_empty() && buttons.is_empty() {
            out.left_out(format!("LivePerson \"{kind}\" messages without text"));
            continue;
        }
        let internal = text_at(message, &["audience"])
            .is_some_and(|a| a.eq_ignore_ascii_case("AGENTS_AND_MANAGERS"));
        if role == Some(Role::Ai) && !internal {
            bot_times.extend(time);
        }
        let is_question = in_survey
            && role == Some(Role::System)
            && csat.is_some()
            && !csat_placed
            && questions.contains(text.trim());
        if is_question {
            csat_placed = true;
        }
        if !text.trim().is_empty() {
            pending.push(Pending {
                time,
                seq,
                message: PlatformMessage {
                    role,
                    text,
                    timestamp: time,
                    internal,
                    event: is_question.then_some(EventKind::Csat),
                    csat: if is_question { csat } else { None },
                    ..base.clone()
                },
                place: message_place.clone(),
            });
        }
        if !buttons.is_empty() {
            pending.push(Pending {
                time,
                seq,
                message: PlatformMessage {
                    role: Some(Role::System),
                    text: buttons.join(" | "),
                    timestamp: time,
                    internal,
                    ..base.clone()
                },
                place: format!("{message_place} (buttons)"),
            });
        }
    }

    // Handoffs: transfers made by a bot; else a person joining after the bot spoke.
    let is_bot = |agent: Option<String>| {
        real_text(agent).and_then(|a| agents.get(&a).copied()) == Some(Role::Ai)
    };
    let mut handoffs: Vec<DateTime<Utc>> = Vec::new();
    for (n, transfer) in items(record, &["transfers"]).iter().enumerate() {
        let by_bot =
            is_bot(text_at(transfer, &["sourceAgentId"])) || is_bot(text_at(transfer, &["by"]));
        if !by_bot {
            out.left_out("LivePerson transfers not made by a bot".to_owned());
            continue;
        }
        match when(transfer, "timeL", "time") {
            Some(t) => handoffs.push(t),
            None => out.warn(
                &place(&format!("transfer {}", n + 1)),
                "the bot's transfer has no time, so the handoff could not be placed",
            ),
        }
    }
    let transfer_times = handoffs.clone();
    for (joined, role) in &joins {
        if *role != Role::HumanAgent {
            continue;
        }
        let Some(last_bot) = bot_times.iter().filter(|t| *t < joined).max() else {
            continue;
        };
        let covered = transfer_times.iter().any(|t| t >= last_bot && t <= joined);
        if !covered && !handoffs.contains(joined) {
            handoffs.push(*joined);
        }
    }
    for t in handoffs {
        pending.push(Pending {
            time: Some(t),
            seq: f64::MAX,
            message: PlatformMessage {
                role: Some(Role::System),
                event: Some(EventKind::Handoff),
                timestamp: Some(t),
                ..base.clone()
            },
            place: place("transfer"),
        });
    }

    // Messages in time order, then by seq; lines of one message keep their order.
    pending.sort_by(|a, b| {
        a.time.cmp(&b.time).then(
            a.seq
                .partial_cmp(&b.seq)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    let last_time = pending.iter().filter_map(|p| p.time).max();
    for p in pending {
        out.push(p.message, &p.place)?;
    }
    if let (Some(rating), false) = (csat, csat_placed) {
        let end = when(record, "endTimeL", "endTime")
            .or_else(|| at(record, &["info"]).and_then(|info| when(info, "endTimeL", "endTime")))
            .or(last_time);
        out.push(
            PlatformMessage {
                role: Some(Role::System),
                event: Some(EventKind::Csat),
                csat: Some(rating),
                timestamp: end,
                ..base.clone()
            },
            &place("rating"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bot_with_a_manager_role_is_still_a_bot() {
        let bot = serde_json::json!({"userType": "2", "userTypeName": "Bot", "role": "AGENTMANAGER",
            "permission": "MANAGER"});
        assert_eq!(participant_role(&bot), Some(Role::Ai));
        let human = serde_json::json!({"userType": "1", "role": "ASSIGNED_AGENT"});
        assert_eq!(participant_role(&human), Some(Role::HumanAgent));
        assert_eq!(
            participant_role(&serde_json::json!({"role": "AGENT"})),
            None
        );
    }
}
