//! Amazon Connect: chat transcripts as Connect writes them to S3 (`Version` "2019-08-26", `Transcript[]`) and
//! as `GetTranscript` returns them, Contact Lens analysis files (chat and voice, one per file or one per
//! line), transcripts with camelCase keys as API wrappers return them (`data.transcripts[]`), and Amazon Lex
//! V2 conversation logs (one CloudWatch entry per line, `message-version` "2.0"), and Contact Lens
//! real-time segment streams (one STARTED / SEGMENTS / COMPLETED / FAILED event per line, voice and chat):
//! their `Transcript` segments are the messages, in time order per contact; partial `Utterance`s,
//! categories, issues and summaries are left out and counted.
//!
//! Who wrote an item is decided by its `ParticipantRole`: `CUSTOMER` is the customer; `AGENT` and
//! `SUPERVISOR` are people; `CUSTOM_BOT` is the AI, and so is `SYSTEM` with the display name `BOT` (that is
//! how the Lex bot of a Connect flow writes); other `SYSTEM` items are flow prompts and queue notices. Items
//! without a role are skipped. An agent or supervisor joining after the AI spoke, and a succeeded transfer,
//! are handoffs; a join in a chat without AI is not. Typing, receipts, joins and leaves are left out and
//! counted. Interactive messages (list pickers, quick replies) read as their title, subtitle and options.
//! Connect keeps no satisfaction rating in these files. In Lex logs, the input transcript is the customer's
//! and each bot message the AI's, at the entry's time; entries are grouped by session and put in time order.

use std::collections::HashMap;
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{at, channel, html_text, items, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::model::{EventKind, Role};

/// The Amazon Connect importer.
pub struct AmazonConnect;

impl LogImporter for AmazonConnect {
    fn id(&self) -> &'static str {
        "amazon_connect"
    }

    fn name(&self) -> &'static str {
        "Amazon Connect transcripts and Lex logs"
    }

    fn reading(&self) -> &'static str {
        "Items by the CUSTOMER are the customer's, by CUSTOM_BOT or the Lex bot (SYSTEM named BOT) the AI's, by \
         agents and supervisors a person's; other SYSTEM items are flow messages. In Lex logs the input \
         transcript is the customer's and the bot's messages the AI's."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        let transcript = head.has_key("Transcript")
            && (head.has_key("InitialContactId")
                || head.has_key("AWSAccountId")
                || (head.has_key("JobStatus") && head.has_key("ConversationCharacteristics")));
        let camel = head.has_key("transcripts")
            && head.has_key("participantRole")
            && head.has_key("absoluteTime");
        let lex = head.has_key("message-version")
            && head.has_key("sessionId")
            && (head.has_key("inputTranscript") || head.has_key("operationName"));
        let stream = head.has_key("ContactId")
            && head.has_key("InstanceId")
            && (head.has_key("StreamingEventType") || head.has_key("EventType"))
            && (head.has_key("Segments")
                || head.has_key("LanguageCode")
                || head.has_key("StreamingSettings"));
        transcript || camel || lex || stream
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut lex = Vec::new();
        let mut streams = Streams::default();
        for (line, value) in read_values(input, out)? {
            let values: Vec<&Value> = match &value {
                Value::Array(list) => list.iter().collect(),
                _ => vec![&value],
            };
            for (n, value) in values.into_iter().enumerate() {
                let record = line.max(n as u64 + 1);
                if at(value, &["message-version"]).is_some() {
                    lex_entry(value, record, &mut lex, out);
                } else if stream_event(value).is_some() {
                    streams.add(value, record, out);
                } else if at(value, &["Transcript"]).is_some() {
                    contact(value, record, out)?;
                } else if at(value, &["data", "transcripts"]).is_some() {
                    wrapped(value, record, out)?;
                } else {
                    out.skip(
                        &format!("Record {record}"),
                        "it is neither a Connect transcript nor a Lex log entry",
                    );
                }
            }
        }
        // Lex writes a session's turns to several log streams: put each session in time order.
        lex.sort_by(|a, b| {
            (&a.message.conversation_id, a.message.timestamp)
                .cmp(&(&b.message.conversation_id, b.message.timestamp))
        });
        for turn in lex {
            out.push(turn.message, &turn.place)?;
        }
        streams.finish(out)
    }
}

/// The kind of a real-time segment stream event (`STARTED`, `SEGMENTS`, `COMPLETED`, `FAILED`): chat
/// streams name it `StreamingEventType`, voice streams `EventType`.
fn stream_event(value: &Value) -> Option<String> {
    at(value, &["ContactId"])?;
    text_at(value, &["StreamingEventType"])
        .or_else(|| text_at(value, &["EventType"]))
        .map(|kind| kind.to_ascii_uppercase())
}

/// The contacts of a real-time segment stream, gathered over its lines: a contact's segments arrive in
/// several events, interleaved with other contacts'.
#[derive(Default)]
struct Streams {
    /// Contact ids in the order they first appear.
    order: Vec<String>,
    contacts: HashMap<String, StreamContact>,
}

#[derive(Default)]
struct StreamContact {
    channel: Option<String>,
    /// The line of the contact's first event.
    line: u64,
    /// (time or offset in ms, arrival order, transcript item in the shape `transcript` reads).
    items: Vec<(i64, usize, Value)>,
    seen: std::collections::HashSet<String>,
}

impl Streams {
    fn add(&mut self, event: &Value, record: u64, out: &mut Records<'_>) {
        let Some(id) = text_at(event, &["ContactId"]) else {
            out.skip(
                &format!("Record {record}"),
                "it names no ContactId, so its segments cannot be kept together",
            );
            return;
        };
        let kind = stream_event(event).unwrap_or_default();
        if kind == "FAILED" {
            out.warn(
                &format!("Contact {id}"),
                "Contact Lens reports that its real-time analysis failed, so the transcript may be incomplete",
            );
        }
        let contact = self.contacts.entry(id.clone()).or_insert_with(|| {
            self.order.push(id.clone());
            StreamContact {
                line: record,
                ..StreamContact::default()
            }
        });
        if contact.channel.is_none() {
            contact.channel = text_at(event, &["Channel"]).map(|c| channel(&c));
        }
        if kind != "SEGMENTS" {
            out.left_out(format!("Contact Lens {kind} events"));
            return;
        }
        for segment in items(event, &["Segments"]) {
            let Some(object) = segment.as_object() else {
                out.left_out("Contact Lens segments that are not objects".to_owned());
                continue;
            };
            for (name, body) in object {
                contact.add_segment(name, body, out);
            }
        }
    }

    fn finish(self, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut contacts = self.contacts;
        for id in self.order {
            let Some(mut contact) = contacts.remove(&id) else {
                continue;
            };
            contact
                .items
                .sort_by_key(|(time, arrival, _)| (*time, *arrival));
            let items: Vec<Value> = contact.items.into_iter().map(|(_, _, item)| item).collect();
            transcript(
                &id,
                Some(contact.channel.unwrap_or_else(|| "chat".to_owned())),
                &items,
                &HashMap::new(),
                contact.line,
                out,
            )?;
        }
        Ok(())
    }
}

impl StreamContact {
    /// One segment: a `Transcript` (a message) or an `Event` (joins, leaves, transfers) becomes a transcript
    /// item; partial utterances and analysis results are counted as left out.
    fn add_segment(&mut self, name: &str, body: &Value, out: &mut Records<'_>) {
        match name {
            "Transcript" | "Event" => {}
            "Utterance" => {
                out.left_out(
                    "Contact Lens partial utterances (their full Transcript segments are read)"
                        .to_owned(),
                );
                return;
            }
            other => {
                out.left_out(format!("Contact Lens {other} segments"));
                return;
            }
        }
        // A segment may be published again when the stream is replayed: keep each identical segment once.
        if !self.seen.insert(format!("{name}/{body}")) {
            out.left_out("Contact Lens segments published twice".to_owned());
            return;
        }
        let absolute = at(body, &["Time", "AbsoluteTime"]).or_else(|| at(body, &["AbsoluteTime"]));
        let order = absolute
            .and_then(super::time)
            .map(|t| t.timestamp_millis())
            .or_else(|| at(body, &["BeginOffsetMillis"]).and_then(Value::as_i64))
            .unwrap_or(i64::MAX);
        let mut item = serde_json::Map::new();
        for key in [
            "ParticipantRole",
            "ParticipantId",
            "DisplayName",
            "Content",
            "ContentType",
        ] {
            if let Some(value) = at(body, &[key]) {
                item.insert(key.to_owned(), value.clone());
            }
        }
        if name == "Event" {
            if let Some(kind) = text_at(body, &["EventType"]) {
                item.insert("ContentType".to_owned(), Value::String(kind));
            }
        }
        if let Some(time) = absolute {
            item.insert("AbsoluteTime".to_owned(), time.clone());
        }
        let arrival = self.items.len();
        self.items.push((order, arrival, Value::Object(item)));
    }
}

/// A member written in PascalCase (`ContentType`) or camelCase (`contentType`).
fn member<'v>(value: &'v Value, pascal: &str) -> Option<&'v Value> {
    at(value, &[pascal]).or_else(|| {
        let mut chars = pascal.chars();
        let camel: String = chars
            .next()
            .map(|c| c.to_ascii_lowercase())
            .into_iter()
            .chain(chars)
            .collect();
        at(value, &[camel.as_str()])
    })
}

fn member_text(value: &Value, pascal: &str) -> Option<String> {
    match member(value, pascal)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A contact: the S3 transcript, a `GetTranscript` response or a Contact Lens file.
fn contact(value: &Value, record: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Some(id) = text_at(value, &["ContactId"])
        .or_else(|| text_at(value, &["CustomerMetadata", "ContactId"]))
        .or_else(|| text_at(value, &["InitialContactId"]))
    else {
        out.skip(
            &format!("Transcript {record}"),
            "it names no ContactId, so its messages cannot be kept together",
        );
        return Ok(());
    };
    let channel_name =
        Some(text_at(value, &["Channel"]).map_or_else(|| "chat".to_owned(), |c| channel(&c)));
    // Contact Lens voice items name only the participant; its role is in `Participants`.
    let roles: HashMap<String, String> = items(value, &["Participants"])
        .iter()
        .filter_map(|p| {
            Some((
                text_at(p, &["ParticipantId"])?,
                text_at(p, &["ParticipantRole"])?,
            ))
        })
        .collect();
    transcript(
        &id,
        channel_name,
        items(value, &["Transcript"]),
        &roles,
        record,
        out,
    )
}

/// An API wrapper `{status, data: {contactId, transcripts[]}}` with camelCase items.
fn wrapped(value: &Value, record: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Some(id) =
        text_at(value, &["data", "contactId"]).or_else(|| text_at(value, &["data", "id"]))
    else {
        out.skip(
            &format!("Response {record}"),
            "it names no contactId, so its messages cannot be kept together",
        );
        return Ok(());
    };
    transcript(
        &id,
        Some("chat".to_owned()),
        items(value, &["data", "transcripts"]),
        &HashMap::new(),
        record,
        out,
    )
}

/// The Candor role of a transcript participant.
fn role_of(participant_role: &str, display_name: Option<&str>) -> Option<Role> {
    match participant_role.to_ascii_uppercase().as_str() {
        "CUSTOMER" => Some(Role::Customer),
        "AGENT" | "SUPERVISOR" => Some(Role::HumanAgent),
        "CUSTOM_BOT" => Some(Role::Ai),
        // The Lex bot of a Connect flow writes as SYSTEM with the display name BOT.
        "SYSTEM" if display_name.is_some_and(|d| d.trim().eq_ignore_ascii_case("BOT")) => {
            Some(Role::Ai)
        }
        "SYSTEM" => Some(Role::System),
        _ => None,
    }
}

fn transcript(
    id: &str,
    channel_name: Option<String>,
    transcript: &[Value],
    roles: &HashMap<String, String>,
    record: u64,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let base = PlatformMessage {
        conversation_id: id.to_owned(),
        channel: channel_name,
        line: record,
        ..PlatformMessage::default()
    };
    let mut ai_spoke = false;
    for (n, item) in transcript.iter().enumerate() {
        let place = format!("Contact {id}, item {}", n + 1);
        let content = member_text(item, "Content");
        let participant_role = member_text(item, "ParticipantRole")
            .or_else(|| member_text(item, "ParticipantId").and_then(|p| roles.get(&p).cloned()));
        let display =
            member_text(item, "DisplayName").or_else(|| member_text(item, "ParticipantName"));
        let role = participant_role
            .as_deref()
            .and_then(|r| role_of(r, display.as_deref()));
        let content_type = member_text(item, "ContentType")
            .or_else(|| content.as_deref().and_then(wrapper_event))
            .unwrap_or_default();
        let kind = member_text(item, "Type")
            .unwrap_or_default()
            .to_ascii_uppercase();
        let timestamp = member(item, "AbsoluteTime").and_then(super::time);

        if let Some(event) = content_type.strip_prefix("application/vnd.amazonaws.connect.event.") {
            let person_joined = event == "participant.joined" && role == Some(Role::HumanAgent);
            if (person_joined && ai_spoke) || event == "transfer.succeeded" {
                out.push(
                    PlatformMessage {
                        role: Some(Role::System),
                        text: content.unwrap_or_default(),
                        event: Some(EventKind::Handoff),
                        timestamp,
                        ..base.clone()
                    },
                    &place,
                )?;
            } else {
                out.left_out(format!("Amazon Connect \"{event}\" events"));
            }
            continue;
        }
        if kind == "EVENT"
            || kind == "TYPING"
            || kind.starts_with("MESSAGE_")
            || kind == "CONNECTION_ACK"
        {
            out.left_out(format!(
                "Amazon Connect \"{}\" events",
                kind.to_ascii_lowercase()
            ));
            continue;
        }
        let text = if kind == "ATTACHMENT" {
            member(item, "Attachments")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|a| member_text(a, "AttachmentName"))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default()
        } else {
            content
                .map(|c| message_text(&content_type, &c))
                .unwrap_or_default()
        };
        if role == Some(Role::Ai) && !text.trim().is_empty() {
            ai_spoke = true;
        }
        out.push(
            PlatformMessage {
                role,
                text,
                timestamp,
                ..base.clone()
            },
            &place,
        )?;
    }
    Ok(())
}

/// The content type of a status line, for API wrappers that drop `contentType`: they write joins, leaves
/// and idling in fixed words ("Participant Priya joined with role AGENT").
fn wrapper_event(content: &str) -> Option<String> {
    let event = if content.starts_with("Participant ") {
        if content.contains(" joined with role ")
            || content.ends_with(" has started a conversation")
        {
            "participant.joined"
        } else if content.ends_with(" left the conversation") {
            "participant.left"
        } else if content.ends_with(" went idle") {
            "participant.idle"
        } else if content.ends_with(" got disconnected") {
            "participant.disconnected"
        } else if content.ends_with(" returned") || content.ends_with(" is back") {
            "participant.returned"
        } else {
            return None;
        }
    } else if content == "Conversation rehydrated/resumed" {
        "chat.rehydrated"
    } else if content == "Conversation closed" || content == "Conversation ended" {
        "chat.ended"
    } else {
        return None;
    };
    Some(format!("application/vnd.amazonaws.connect.event.{event}"))
}

/// The text the customer read in a message of content type `content_type`.
fn message_text(content_type: &str, content: &str) -> String {
    let lower = content_type.to_ascii_lowercase();
    if lower == "text/markdown" {
        return markdown_text(content);
    }
    if lower.starts_with("application/vnd.amazonaws.connect.message.interactive")
        || lower == "application/json"
    {
        if let Ok(value) = serde_json::from_str::<Value>(content) {
            let shown = interactive_text(&value);
            if !shown.is_empty() {
                return shown;
            }
        }
    }
    content.to_owned()
}

/// An interactive message (list picker, quick reply, panel) or its response: title, subtitle and the titles
/// of its elements, joined with ` | `.
fn interactive_text(value: &Value) -> String {
    let content = at(value, &["data", "content"]).unwrap_or(value);
    let mut parts: Vec<String> = ["title", "subtitle"]
        .iter()
        .filter_map(|k| text_at(content, &[k]))
        .collect();
    parts.extend(
        items(content, &["elements"])
            .iter()
            .filter_map(|e| text_at(e, &["title"])),
    );
    parts.join(" | ")
}

/// Markdown with its emphasis markers removed.
fn markdown_text(text: &str) -> String {
    let mut out = text.to_owned();
    for marker in ["**", "__", "~~", "`"] {
        out = out.replace(marker, "");
    }
    out.replace('*', "")
}

/// One Lex turn, waiting to be put in time order.
struct LexTurn {
    message: PlatformMessage,
    place: String,
}

fn lex_entry(entry: &Value, record: u64, turns: &mut Vec<LexTurn>, out: &mut Records<'_>) {
    let place = format!("Lex log entry {record}");
    let Some(session) = text_at(entry, &["sessionId"]) else {
        out.skip(
            &place,
            "it names no sessionId, so it cannot be put in a conversation",
        );
        return;
    };
    let timestamp: Option<DateTime<Utc>> = time_at(entry, &["timestamp"]);
    if timestamp.is_none() {
        out.warn(
            &place,
            "it has no readable timestamp, so its place in the session may be wrong",
        );
    }
    let channel_name =
        text_at(entry, &["inputMode"]).map(|m| match m.to_ascii_lowercase().as_str() {
            "speech" | "dtmf" => "voice".to_owned(),
            _ => "chat".to_owned(),
        });
    let base = PlatformMessage {
        conversation_id: session,
        channel: channel_name,
        timestamp,
        line: record,
        ..PlatformMessage::default()
    };
    if let Some(said) = text_at(entry, &["inputTranscript"]) {
        turns.push(LexTurn {
            message: PlatformMessage {
                role: Some(Role::Customer),
                text: said,
                ..base.clone()
            },
            place: format!("{place}, input"),
        });
    }
    for (n, message) in items(entry, &["messages"]).iter().enumerate() {
        let text = lex_message_text(message);
        if text.trim().is_empty() {
            out.left_out("Lex messages without text".to_owned());
            continue;
        }
        turns.push(LexTurn {
            message: PlatformMessage {
                role: Some(Role::Ai),
                text,
                ..base.clone()
            },
            place: format!("{place}, message {}", n + 1),
        });
    }
}

/// The text of one Lex bot message.
fn lex_message_text(message: &Value) -> String {
    let content = text_at(message, &["content"]).unwrap_or_default();
    match text_at(message, &["contentType"])
        .unwrap_or_default()
        .as_str()
    {
        "SSML" => ssml_text(&content),
        "ImageResponseCard" => {
            let card = at(message, &["imageResponseCard"]).unwrap_or(&Value::Null);
            let mut parts: Vec<String> = ["title", "subtitle"]
                .iter()
                .filter_map(|k| text_at(card, &[k]))
                .collect();
            parts.extend(
                items(card, &["buttons"])
                    .iter()
                    .filter_map(|b| text_at(b, &["text"])),
            );
            parts.join(" | ")
        }
        _ => content,
    }
}

/// What a caller heard from SSML: `<break>` is a pause (a space), other tags go without a trace.
fn ssml_text(ssml: &str) -> String {
    let mut out = String::with_capacity(ssml.len());
    let mut rest = ssml;
    while let Some(lt) = rest.find('<') {
        out.push_str(rest.get(..lt).unwrap_or(""));
        let after = rest.get(lt..).unwrap_or("");
        let Some(gt) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let name: String = after
            .get(1..gt)
            .unwrap_or("")
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(name.as_str(), "break" | "p" | "s") {
            out.push(' ');
        }
        rest = after.get(gt + 1..).unwrap_or("");
    }
    out.push_str(rest);
    // Character references as in HTML.
    html_text(&out.replace('<', "&lt;"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lex_bot_in_a_connect_chat_is_the_ai() {
        assert_eq!(role_of("SYSTEM", Some("BOT")), Some(Role::Ai));
        assert_eq!(
            role_of("SYSTEM", Some("SYSTEM_MESSAGE")),
            Some(Role::System)
        );
        assert_eq!(role_of("SUPERVISOR", Some("[PII]")), Some(Role::HumanAgent));
        assert_eq!(role_of("", None), None);
    }

    #[test]
    fn wrapper_status_lines_are_events() {
        assert_eq!(
            wrapper_event("Participant Priya joined with role AGENT").as_deref(),
            Some("application/vnd.amazonaws.connect.event.participant.joined")
        );
        assert_eq!(wrapper_event("Participant guide, please call me"), None);
    }

    #[test]
    fn ssml_reads_as_heard() {
        assert_eq!(
            ssml_text(
                "<speak>Sure.<break time=\"300ms\"/>Your balance is <say-as interpret-as=\"currency\">$42.17</say-as>.</speak>"
            ),
            "Sure. Your balance is $42.17."
        );
    }
}
