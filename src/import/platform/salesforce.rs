//! Salesforce Service Cloud: `ConversationEntry` records as Data Loader CSV or REST query JSON, enhanced
//! messaging entries (`{"conversationEntries": […]}` of one messaging session), and `LiveChatTranscript`
//! records with their HTML `Body` (and `LiveChatTranscriptEvents`).
//!
//! Who wrote an entry is decided by its `ActorType` (or the enhanced `sender.role`): `EndUser` is the
//! customer, `Bot`/`Chatbot` the AI, `Agent` and `Supervisor` people, `System` the system; `Router` entries
//! are left out. `BotEscalated` is a handoff; `ChatbotEndedTransferNotConfigured` is a failed transfer and
//! no handoff. In enhanced entries, an agent joining or a transfer routed after the AI spoke is a handoff.
//! In a live chat body, speakers named in an `Agent …` header are people, `Visitor` is the customer, a
//! speaker that transfers the chat to an agent (or a bot that accepted it) is the AI, and when no speaker is
//! called `Visitor` the one remaining speaker is the visitor under their pre-chat name; a "Chat transferred"
//! line after the AI spoke is a handoff. Message times in a body are offsets from its `Chat Started` line.
//! These objects carry no satisfaction ratings.

use std::collections::HashSet;
use std::io::BufRead;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::{at, html_text, items, text_at, time, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::import::quotes::{guarded_reader, next_row};
use crate::model::{EventKind, Role};

/// The Salesforce importer.
pub struct Salesforce;

impl LogImporter for Salesforce {
    fn id(&self) -> &'static str {
        "salesforce"
    }

    fn name(&self) -> &'static str {
        "Salesforce conversation entries and chat transcripts"
    }

    fn reading(&self) -> &'static str {
        "Entries by the EndUser are the customer's, by bots (Einstein, Agentforce) the AI's, by agents and \
         supervisors a person's; in live chat transcripts the agents named in the header are people and the \
         visitor is the customer."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        let first = head.first_line().to_ascii_lowercase();
        let csv = ["actortype", "entrytype", "conversationid", "entrytime"]
            .iter()
            .all(|k| first.contains(k))
            && !head.starts_with('{')
            && !head.starts_with('[');
        let entries = head.has_member("type", "ConversationEntry")
            || (head.has_key("ActorType")
                && head.has_key("EntryType")
                && head.has_key("ConversationId"));
        let live_chat = head.has_member("type", "LiveChatTranscript")
            || (head.has_key("Body") && head.text.contains("Chat Started:"));
        let enhanced = head.has_key("conversationEntries")
            && (head.has_key("sender") || head.has_key("entryPayload"));
        csv || entries || live_chat || enhanced
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(crate::import::io_error)?;
        let text = String::from_utf8_lossy(&bytes);
        let start = text.trim_start();
        if !start.starts_with('{') && !start.starts_with('[') {
            return read_csv(&bytes, out);
        }
        let mut entries = Vec::new();
        for (line, value) in read_values(&mut bytes.as_slice(), out)? {
            let records: Vec<&Value> = match &value {
                Value::Array(list) => list.iter().collect(),
                _ if at(&value, &["records"]).is_some() => {
                    items(&value, &["records"]).iter().collect()
                }
                _ => vec![&value],
            };
            for (n, record) in records.into_iter().enumerate() {
                let number = line.max(n as u64 + 1);
                if at(record, &["conversationEntries"]).is_some() {
                    read_enhanced(record, number, out)?;
                } else if field(record, "Body").is_some() {
                    read_live_chat(record, number, out)?;
                } else if let Value::Object(map) = record {
                    entries.push(Entry::from_json(map, number));
                } else {
                    out.skip(&format!("Record {number}"), "it is not a Salesforce record");
                }
            }
        }
        push_entries(entries, out)
    }
}

/// A field of a record, its name matched case-insensitively.
fn field<'v>(record: &'v Value, name: &str) -> Option<&'v Value> {
    record
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

/// One core `ConversationEntry`, from CSV or JSON.
struct Entry {
    conversation: Option<String>,
    actor_type: String,
    entry_type: String,
    message: String,
    time: Option<DateTime<Utc>>,
    seq: Option<f64>,
    line: u64,
}

fn value_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl Entry {
    fn from_json(map: &Map<String, Value>, line: u64) -> Self {
        let record = Value::Object(map.clone());
        let get = |name: &str| value_text(field(&record, name));
        Self {
            conversation: Some(get("ConversationId")).filter(|c| !c.trim().is_empty()),
            actor_type: get("ActorType"),
            entry_type: get("EntryType"),
            message: get("Message"),
            time: field(&record, "EntryTime").and_then(time),
            seq: get("Seq").trim().parse().ok(),
            line,
        }
    }
}

fn read_csv(bytes: &[u8], out: &mut Records<'_>) -> Result<(), ImportError> {
    let mut reader = guarded_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(err) => {
            out.skip(
                "Header line",
                format!("it could not be read as CSV ({err})"),
            );
            return Ok(());
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (conv, actor, kind, message, entry_time, seq) = (
        column("conversationid"),
        column("actortype"),
        column("entrytype"),
        column("message"),
        column("entrytime"),
        column("seq"),
    );
    let mut entries = Vec::new();
    let mut record = csv::StringRecord::new();
    for n in 0u64.. {
        let Some((line, read)) = next_row(&mut reader, &mut record, out.report, n) else {
            break;
        };
        let row = read.map(|()| &record);
        out.check_cancel()?;
        let row = match row {
            Ok(row) => row,
            Err(err) => {
                out.skip(
                    &format!("Row {line}"),
                    format!("it could not be read as CSV ({err})"),
                );
                continue;
            }
        };
        let line = row.position().map_or(line, |p| p.line());
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("").to_owned();
        entries.push(Entry {
            conversation: Some(cell(conv)).filter(|c| !c.trim().is_empty()),
            actor_type: cell(actor),
            entry_type: cell(kind),
            message: cell(message),
            time: Some(cell(entry_time))
                .filter(|t| !t.trim().is_empty())
                .and_then(|t| time(&Value::String(t))),
            seq: cell(seq).trim().parse().ok(),
            line,
        });
    }
    push_entries(entries, out)
}

/// The Candor role of an actor type or sender role.
fn actor_role(actor: &str) -> Option<Role> {
    match actor.trim().to_ascii_lowercase().as_str() {
        "enduser" | "end_user" | "customer" => Some(Role::Customer),
        "bot" | "chatbot" => Some(Role::Ai),
        "agent" | "supervisor" => Some(Role::HumanAgent),
        "system" => Some(Role::System),
        _ => None,
    }
}

/// Puts core entries in order (by session, then time and sequence) and hands them over.
fn push_entries(mut entries: Vec<Entry>, out: &mut Records<'_>) -> Result<(), ImportError> {
    entries.sort_by(|a, b| {
        (&a.conversation, a.time)
            .cmp(&(&b.conversation, b.time))
            .then(
                a.seq
                    .partial_cmp(&b.seq)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
    });
    for entry in entries {
        let place = format!("Line {}", entry.line);
        let Some(conversation) = entry.conversation else {
            out.skip(
                &place,
                "the entry names no ConversationId, so it was skipped",
            );
            continue;
        };
        let channel = conversation.starts_with("0LQ").then(|| "voice".to_owned());
        let base = PlatformMessage {
            conversation_id: conversation,
            channel,
            timestamp: entry.time,
            line: entry.line,
            ..PlatformMessage::default()
        };
        let text = entry
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match entry.entry_type.trim().to_ascii_lowercase().as_str() {
            "text" | "" => {
                if actor_role(&entry.actor_type).is_none()
                    && entry.actor_type.eq_ignore_ascii_case("router")
                {
                    out.left_out("Salesforce router entries".to_owned());
                    continue;
                }
                out.push(
                    PlatformMessage {
                        role: actor_role(&entry.actor_type),
                        text,
                        ..base
                    },
                    &place,
                )?;
            }
            "botescalated" => out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    text,
                    event: Some(EventKind::Handoff),
                    ..base
                },
                &place,
            )?,
            _ => out.left_out(format!(
                "Salesforce \"{}\" entries",
                entry.entry_type.trim()
            )),
        }
    }
    Ok(())
}

/// Enhanced messaging entries of one session.
fn read_enhanced(response: &Value, record: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let mut entries: Vec<(Option<DateTime<Utc>>, usize, &Value)> =
        items(response, &["conversationEntries"])
            .iter()
            .enumerate()
            .map(|(n, e)| {
                let t = time_at(e, &["serverReceivedTimestamp"])
                    .or_else(|| time_at(e, &["transcriptedTimestamp"]))
                    .or_else(|| time_at(e, &["clientTimestamp"]));
                (t, n, e)
            })
            .collect();
    // The API returns the newest entries first.
    entries.sort_by_key(|(t, n, _)| (*t, std::cmp::Reverse(*n)));
    let session =
        text_at(response, &["conversationId"]).or_else(|| text_at(response, &["sessionId"]));
    let mut ai_spoke = HashSet::new();
    for (timestamp, n, entry) in entries {
        let place = format!("Response {record}, entry {}", n + 1);
        let Some(conversation) = items(entry, &["relatedRecords"])
            .iter()
            .filter_map(Value::as_str)
            .find(|r| r.starts_with("0Mw"))
            .map(str::to_owned)
            .or_else(|| text_at(entry, &["conversationId"]))
            .or_else(|| session.clone())
        else {
            out.skip(
                &place,
                "the entry names no messaging session, so it was skipped",
            );
            continue;
        };
        // MIAW writes the payload as JSON inside a string.
        let payload = match at(entry, &["entryPayload"]) {
            Some(Value::String(s)) => serde_json::from_str::<Value>(s).unwrap_or(Value::Null),
            Some(v) => v.clone(),
            None => Value::Null,
        };
        let kind = text_at(entry, &["entryType"])
            .or_else(|| text_at(&payload, &["entryType"]))
            .unwrap_or_else(|| "Message".to_owned());
        let role_name = text_at(entry, &["sender", "role"]).unwrap_or_default();
        let base = PlatformMessage {
            conversation_id: conversation.clone(),
            timestamp,
            line: record,
            ..PlatformMessage::default()
        };
        match kind.to_ascii_lowercase().as_str() {
            "message" => {
                if role_name.eq_ignore_ascii_case("router") {
                    out.left_out("Salesforce router entries".to_owned());
                    continue;
                }
                let text = text_at(entry, &["messageText"])
                    .or_else(|| text_at(&payload, &["abstractMessage", "staticContent", "text"]))
                    .unwrap_or_default();
                let role = actor_role(&role_name);
                if role == Some(Role::Ai) && !text.trim().is_empty() {
                    ai_spoke.insert(conversation.clone());
                }
                out.push(
                    PlatformMessage {
                        role,
                        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                        ..base
                    },
                    &place,
                )?;
            }
            "participantchanged" | "routingresult" => {
                let agent_joined = items(&payload, &["entries"]).iter().any(|e| {
                    text_at(e, &["operation"]).is_some_and(|o| o.eq_ignore_ascii_case("add"))
                        && text_at(e, &["participant", "role"])
                            .is_some_and(|r| r.eq_ignore_ascii_case("agent"))
                });
                let transfer = text_at(&payload, &["routingType"])
                    .is_some_and(|t| t.eq_ignore_ascii_case("transfer"));
                if (agent_joined || transfer) && ai_spoke.contains(&conversation) {
                    out.push(
                        PlatformMessage {
                            role: Some(Role::System),
                            event: Some(EventKind::Handoff),
                            ..base
                        },
                        &place,
                    )?;
                } else {
                    out.left_out(format!("Salesforce \"{kind}\" entries"));
                }
            }
            _ => out.left_out(format!("Salesforce \"{kind}\" entries")),
        }
    }
    Ok(())
}

/// The start time of a live chat body: its `Chat Started: Tuesday, November 05, 2024, 13:02:11 (+0000)` line.
fn chat_started(line: &str) -> Option<DateTime<Utc>> {
    let rest = line.strip_prefix("Chat Started:")?.trim();
    // Drop the weekday.
    let rest = rest.split_once(", ").map_or(rest, |(_, r)| r);
    let cleaned = rest.replace(['(', ')'], "");
    DateTime::parse_from_str(cleaned.trim(), "%B %d, %Y, %H:%M:%S %z")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An offset as a live chat body writes it: `( 1h 2m 5s )`.
fn chat_offset(text: &str) -> Option<Duration> {
    let mut total = 0i64;
    for part in text.split_whitespace() {
        let (number, unit) = part.split_at(part.find(|c: char| !c.is_ascii_digit())?);
        let n: i64 = number.parse().ok()?;
        total += match unit {
            "h" => n * 3600,
            "m" => n * 60,
            "s" => n,
            _ => return None,
        };
    }
    Some(Duration::seconds(total))
}

/// The lines of a live chat body: `(centred, text)`.
fn body_lines(body: &str) -> Vec<(bool, String)> {
    let mut marked = body.to_owned();
    for (from, to) in [
        ("<br>", "\n"),
        ("<br/>", "\n"),
        ("<br />", "\n"),
        ("<BR>", "\n"),
        ("</p>", "\n"),
        ("</P>", "\n"),
        ("<p ", "\n\u{1}<p "),
        ("<p>", "\n\u{1}<p>"),
    ] {
        marked = marked.replace(from, to);
    }
    marked
        .lines()
        .filter_map(|l| {
            let centred = l.starts_with('\u{1}');
            let text = html_text(l.trim_start_matches('\u{1}'));
            (!text.is_empty()).then_some((centred, text))
        })
        .collect()
}

/// The quoted names of a `Chat transferred From "X" To "Y"` line.
fn transfer_names(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("Chat transferred From \"")?;
    let (from, rest) = rest.split_once('"')?;
    let rest = rest.trim_start().strip_prefix("To \"")?;
    let (to, _) = rest.split_once('"')?;
    Some((from.to_owned(), to.to_owned()))
}

fn read_live_chat(
    transcript: &Value,
    record: u64,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let Some(id) = field(transcript, "Id")
        .map(|v| value_text(Some(v)))
        .filter(|s| !s.is_empty())
    else {
        out.skip(
            &format!("Transcript {record}"),
            "it has no Id, so its lines cannot be kept together",
        );
        return Ok(());
    };
    let body = value_text(field(transcript, "Body"));
    let lines = body_lines(&body);
    let mut agents = HashSet::new();
    let mut bots = HashSet::new();
    let mut start = field(transcript, "StartTime").and_then(time);
    for (centred, line) in &lines {
        if !centred {
            continue;
        }
        if let Some(name) = line.strip_prefix("Agent ") {
            agents.insert(name.trim().to_owned());
        } else if let Some(t) = chat_started(line) {
            start = Some(t);
        }
    }
    for (centred, line) in &lines {
        if let Some((from, _)) = transfer_names(line).filter(|_| *centred) {
            if !agents.contains(&from) {
                bots.insert(from);
            }
        }
    }
    // A bot that accepted the chat is named in the event's Detail, without an agent id.
    for event in items(transcript, &["LiveChatTranscriptEvents", "records"]) {
        let accept =
            text_at(event, &["Type"]).is_some_and(|t| t == "Accept" || t == "ChatbotEndChat");
        if accept && at(event, &["AgentId"]).is_none() {
            if let Some(name) = text_at(event, &["Detail"]) {
                bots.insert(name.trim().to_owned());
            }
        }
    }
    let messages: Vec<(Option<Duration>, String, String)> = lines
        .iter()
        .filter(|(centred, _)| !centred)
        .filter_map(|(_, line)| {
            let rest = line.strip_prefix('(')?;
            let (offset, rest) = rest.split_once(')')?;
            let (speaker, text) = rest.trim_start().split_once(": ")?;
            Some((
                chat_offset(offset),
                speaker.trim().to_owned(),
                text.trim().to_owned(),
            ))
        })
        .collect();
    let visitor_named = messages.iter().any(|(_, s, _)| s == "Visitor");
    let unknown: HashSet<&str> = messages
        .iter()
        .map(|(_, s, _)| s.as_str())
        .filter(|s| !agents.contains(*s) && !bots.contains(*s) && *s != "Visitor")
        .collect();
    // Without a speaker called Visitor, the one speaker neither agent nor bot is the visitor.
    let pre_chat_name = (!visitor_named && unknown.len() == 1)
        .then(|| unknown.iter().next().map(|s| (*s).to_owned()))
        .flatten();

    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: Some("chat".to_owned()),
        line: record,
        ..PlatformMessage::default()
    };
    let mut ai_spoke = false;
    let mut n = 0;
    for (centred, line) in &lines {
        if *centred {
            if transfer_names(line).is_some() && ai_spoke {
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        text: line.clone(),
                        event: Some(EventKind::Handoff),
                        ..base.clone()
                    },
                    &format!("Transcript {id}, transfer line"),
                )?;
            } else {
                out.left_out("Salesforce live chat header lines".to_owned());
            }
            continue;
        }
        let Some((offset, speaker, text)) = messages.get(n).cloned() else {
            continue;
        };
        n += 1;
        let role = if agents.contains(&speaker) {
            Some(Role::HumanAgent)
        } else if bots.contains(&speaker) {
            Some(Role::Ai)
        } else if speaker == "Visitor" || pre_chat_name.as_deref() == Some(speaker.as_str()) {
            Some(Role::Customer)
        } else {
            None
        };
        if role == Some(Role::Ai) {
            ai_spoke = true;
        }
        out.push(
            PlatformMessage {
                role,
                text,
                timestamp: start.zip(offset).map(|(s, o)| s + o),
                ..base.clone()
            },
            &format!("Transcript {id}, line {n} ({speaker})"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_chat_bodies_read_with_offsets() {
        let start = chat_started("Chat Started: Thursday, November 07, 2024, 09:15:00 (-0500)");
        assert_eq!(
            start.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-11-07T14:15:00+00:00")
        );
        assert_eq!(chat_offset("1m 5s"), Some(Duration::seconds(65)));
        assert_eq!(
            transfer_names("Chat transferred From \"Skyline Bot\" To \"Emma W\""),
            Some(("Skyline Bot".to_owned(), "Emma W".to_owned()))
        );
    }

    #[test]
    fn bots_are_ai_in_either_schema() {
        assert_eq!(actor_role("BOT"), Some(Role::Ai));
        assert_eq!(actor_role("Chatbot"), Some(Role::Ai));
        assert_eq!(actor_role("Supervisor"), Some(Role::HumanAgent));
        assert_eq!(actor_role("Router"), None);
    }
}
