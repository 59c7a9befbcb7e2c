//! Microsoft Bot Framework and Copilot Studio: activity transcripts (the Emulator's `.transcript` arrays,
//! Direct Line pages `{"activities": …}`, one activity per line from transcript stores), Dataverse
//! `conversationtranscript` records (Web API pages, single records, or the table exported as CSV, with the
//! transcript as a JSON string in `content`), and Copilot Studio's "Download sessions" CSV.
//!
//! Who wrote a message is decided by `from.role` only: `user` (or `1` in Dataverse) is the customer, `bot`
//! and `skill` (or `0`) the AI; the sender id is never used (Dataverse gives both sides the same one). A
//! message's text is read as the customer saw it (HTML and Teams mentions reduced to text, card titles and
//! text blocks added); suggested actions become one system line with their titles. A `handoff.initiate`
//! event (or a legacy `handoff` activity) is a handoff; the copy of the conversation it carries is not read
//! again. A Copilot Studio `CSATSurveyResponse` trace is the satisfaction rating (1–5). In the sessions
//! CSV, `User says:` lines are the customer's and `Bot says:` lines the AI's, and an `Escalated` outcome
//! is a handoff. These shapes hold no internal notes, and the human side of a handoff is in the engagement
//! hub, not here. Typing, traces, reactions and other events are counted and left out.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::{Map, Value};

use super::{
    CsvRow, Export, at, csv_headers, html_text, items, number_at, read_json_or_csv, text_at, time,
    time_at,
};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records};
use crate::model::{EventKind, Role};

/// The Bot Framework importer.
pub struct BotFramework;

impl LogImporter for BotFramework {
    fn id(&self) -> &'static str {
        "bot_framework"
    }

    fn name(&self) -> &'static str {
        "Bot Framework and Copilot Studio transcripts"
    }

    fn reading(&self) -> &'static str {
        "Activities from the user are the customer's and from the bot the AI's (by their role, never their \
         id); handoff.initiate events are handoffs and Copilot Studio survey responses are ratings."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        if head.starts_with('{') || head.starts_with('[') {
            let activities = head.has_key("channelId")
                && head.has_key("conversation")
                && head.has_key("from")
                && head.has_key("type");
            let dataverse = head.has_key("conversationtranscriptid")
                || head.has_member("schematype", "powervirtualagents");
            return activities || dataverse;
        }
        let headers = csv_headers(head.first_line());
        let has = |h: &str| headers.iter().any(|x| x == h);
        (has("sessionid") && has("chattranscript"))
            || (has("conversationtranscriptid") && has("content"))
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let export = read_json_or_csv(input, out)?;
        let mut gathered = Gathered::default();
        match export {
            Export::Json(values) => {
                for (line, value) in values {
                    gathered.add(&value, line, out);
                }
            }
            Export::Csv(rows) => {
                for row in rows {
                    if row.get("chattranscript").is_some() || row.get("sessionid").is_some() {
                        read_session(&row, out)?;
                    } else {
                        let record: Map<String, Value> =
                            ["content", "name", "conversationtranscriptid"]
                                .iter()
                                .filter_map(|k| {
                                    row.get(k)
                                        .map(|v| ((*k).to_owned(), Value::String(v.into())))
                                })
                                .collect();
                        gathered.record(&Value::Object(record), row.line, out);
                    }
                }
            }
        }
        for id in std::mem::take(&mut gathered.order) {
            if let Some(activities) = gathered.conversations.remove(&id) {
                read_conversation(&id, &activities, out)?;
            }
        }
        Ok(())
    }
}

/// Activities gathered by conversation, in the order conversations first appear.
#[derive(Default)]
struct Gathered {
    order: Vec<String>,
    conversations: HashMap<String, Vec<(u64, Value)>>,
}

impl Gathered {
    fn push(&mut self, id: String, line: u64, activity: Value) {
        if !self.conversations.contains_key(&id) {
            self.order.push(id.clone());
        }
        self.conversations
            .entry(id)
            .or_default()
            .push((line, activity));
    }

    fn add(&mut self, value: &Value, line: u64, out: &mut Records<'_>) {
        match value {
            Value::Array(list) => {
                for (n, item) in list.iter().enumerate() {
                    self.add(item, line.max(n as u64 + 1), out);
                }
            }
            Value::Object(_) if at(value, &["value"]).is_some_and(Value::is_array) => {
                for (n, record) in items(value, &["value"]).iter().enumerate() {
                    self.record(record, line.max(n as u64 + 1), out);
                }
            }
            Value::Object(_) if at(value, &["content"]).is_some() => self.record(value, line, out),
            Value::Object(_) if at(value, &["activities"]).is_some() => {
                for activity in items(value, &["activities"]) {
                    self.activity(activity, None, line, out);
                }
            }
            Value::Object(_) => self.activity(value, None, line, out),
            _ => out.skip(
                &format!("Record {line}"),
                "it is not a Bot Framework activity",
            ),
        }
    }

    fn activity(
        &mut self,
        activity: &Value,
        owner: Option<&str>,
        line: u64,
        out: &mut Records<'_>,
    ) {
        let id = owner
            .map(str::to_owned)
            .or_else(|| text_at(activity, &["conversation", "id"]));
        match id {
            Some(id) => self.push(id, line, activity.clone()),
            None => out.skip(
                &format!("Activity on record {line}"),
                "it names no conversation, so it was skipped",
            ),
        }
    }

    /// A Dataverse `conversationtranscript` record, with its transcript as JSON text in `content`.
    fn record(&mut self, record: &Value, line: u64, out: &mut Records<'_>) {
        let id = text_at(record, &["name"])
            .map(|name| match name.rsplit_once('_') {
                Some((conversation, _bot)) if !conversation.is_empty() => conversation.to_owned(),
                _ => name,
            })
            .or_else(|| text_at(record, &["conversationtranscriptid"]));
        let place = format!(
            "Transcript {}",
            id.clone().unwrap_or_else(|| format!("on record {line}"))
        );
        let content = match at(record, &["content"]) {
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(v) => v,
                Err(err) => {
                    out.skip(&place, format!("its content is not valid JSON ({err})"));
                    return;
                }
            },
            Some(v @ Value::Object(_)) => v.clone(),
            _ => {
                out.skip(&place, "it has no transcript content");
                return;
            }
        };
        for activity in items(&content, &["activities"]) {
            self.activity(activity, id.as_deref(), line, out);
        }
    }
}

/// Candor's channel for a Bot Framework channel id.
fn bf_channel(raw: &str) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        "webchat" | "directline" | "emulator" | "msteams" | "pva-studio" | "lcw" | "test" => {
            "chat".to_owned()
        }
        "facebook" => "messenger".to_owned(),
        "sms" | "twilio-sms" => "sms".to_owned(),
        "telephony" => "voice".to_owned(),
        other => super::channel(other),
    }
}

/// The speaker of an activity, from `from.role` only.
fn role_of(activity: &Value) -> Option<Role> {
    match at(activity, &["from", "role"])? {
        Value::Number(n) => match n.as_i64()? {
            0 => Some(Role::Ai),
            1 => Some(Role::Customer),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "user" | "1" => Some(Role::Customer),
            "bot" | "skill" | "0" => Some(Role::Ai),
            _ => None,
        },
        _ => None,
    }
}

/// The visible texts of an adaptive card element and its children.
fn adaptive_texts(element: &Value, texts: &mut Vec<String>) {
    if text_at(element, &["type"]).as_deref() == Some("TextBlock") {
        if let Some(text) = text_at(element, &["text"]) {
            texts.push(text);
        }
    }
    for key in ["body", "items", "columns", "inlines"] {
        for child in items(element, &[key]) {
            adaptive_texts(child, texts);
        }
    }
    if text_at(element, &["type"]).as_deref() == Some("TextRun") {
        if let Some(text) = text_at(element, &["text"]) {
            texts.push(text);
        }
    }
}

/// The text of a message as the customer saw it: the text, then its cards' titles and text.
fn message_text(activity: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(text) = text_at(activity, &["text"]) {
        parts.push(html_text(&text));
    }
    for attachment in items(activity, &["attachments"]) {
        let kind = text_at(attachment, &["contentType"]).unwrap_or_default();
        let content = at(attachment, &["content"]);
        let Some(content) = content else { continue };
        if kind.ends_with("card.adaptive") {
            let mut texts = Vec::new();
            adaptive_texts(content, &mut texts);
            parts.extend(texts.iter().map(|t| html_text(t)));
        } else if kind.starts_with("application/vnd.microsoft.card.") {
            for key in ["title", "subtitle", "text"] {
                if let Some(t) = text_at(content, &[key]) {
                    parts.push(html_text(&t));
                }
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

fn read_conversation(
    id: &str,
    activities: &[(u64, Value)],
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let channel = activities
        .iter()
        .find_map(|(_, a)| text_at(a, &["channelId"]))
        .map(|c| bf_channel(&c));
    let base = PlatformMessage {
        conversation_id: id.to_owned(),
        channel,
        ..PlatformMessage::default()
    };
    for (n, (line, activity)) in activities.iter().enumerate() {
        let place = format!("Conversation {id}, activity {}", n + 1);
        let kind = text_at(activity, &["type"]).unwrap_or_default();
        let name = text_at(activity, &["name"]).unwrap_or_default();
        let timestamp = time_at(activity, &["timestamp"]);
        let this = PlatformMessage {
            timestamp,
            line: *line,
            ..base.clone()
        };
        match kind.as_str() {
            "message" => {
                let text = message_text(activity);
                let suggestions: Vec<String> = items(activity, &["suggestedActions", "actions"])
                    .iter()
                    .filter_map(|a| text_at(a, &["title"]))
                    .collect();
                if text.is_empty() && suggestions.is_empty() {
                    if at(activity, &["value"]).is_some() {
                        out.left_out("Bot Framework card submissions".into());
                    } else {
                        out.left_out("Bot Framework messages without text".into());
                    }
                    continue;
                }
                if !text.is_empty() {
                    out.push(
                        PlatformMessage {
                            role: role_of(activity),
                            text,
                            ..this.clone()
                        },
                        &place,
                    )?;
                }
                if !suggestions.is_empty() {
                    out.push(
                        PlatformMessage {
                            role: Some(Role::System),
                            text: suggestions.join(" | "),
                            ..this
                        },
                        &format!("{place} (suggested actions)"),
                    )?;
                }
            }
            "handoff" => out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    event: Some(EventKind::Handoff),
                    ..this
                },
                &place,
            )?,
            "event" if name.eq_ignore_ascii_case("handoff.initiate") => out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    event: Some(EventKind::Handoff),
                    ..this
                },
                &place,
            )?,
            "trace"
                if text_at(activity, &["valueType"]).as_deref() == Some("CSATSurveyResponse") =>
            {
                let score = number_at(activity, &["value", "score"])
                    .or_else(|| number_at(activity, &["value", "rating"]));
                match score {
                    Some(s) if (1.0..=5.0).contains(&s) => out.push(
                        PlatformMessage {
                            role: Some(Role::System),
                            event: Some(EventKind::Csat),
                            csat: Some(s),
                            text: text_at(activity, &["value", "comment"]).unwrap_or_default(),
                            ..this
                        },
                        &place,
                    )?,
                    Some(s) => out.warn(
                        &place,
                        format!("the survey score {s} is outside 1–5 and was not counted"),
                    ),
                    None => out.warn(&place, "the survey response holds no numeric score"),
                }
            }
            "event" => out.left_out(format!("Bot Framework \"{name}\" events")),
            "trace" => out.left_out("Bot Framework traces".into()),
            "" => out.skip(&place, "the activity has no type"),
            other => out.left_out(format!("Bot Framework \"{other}\" activities")),
        }
    }
    Ok(())
}

/// The turns of a Copilot Studio `ChatTranscript` cell: `User says: …; Bot says: …;`, split only where a
/// new speaker starts (bot text may itself hold `;`).
fn session_turns(transcript: &str) -> (String, Vec<(Role, String)>) {
    const MARKERS: [(&str, Role); 2] = [("User says:", Role::Customer), ("Bot says:", Role::Ai)];
    let mut starts: Vec<(usize, usize, Role)> = Vec::new();
    for (marker, role) in MARKERS {
        let mut from = 0;
        while let Some(found) = transcript.get(from..).and_then(|rest| rest.find(marker)) {
            let idx = from + found;
            let before = transcript.get(..idx).unwrap_or("").trim_end();
            if before.is_empty() || before.ends_with(';') {
                starts.push((idx, marker.len(), role));
            }
            from = idx + marker.len();
        }
    }
    starts.sort_by_key(|s| s.0);
    let lead = starts
        .first()
        .map_or(transcript, |s| transcript.get(..s.0).unwrap_or(""))
        .trim()
        .to_owned();
    let mut turns = Vec::new();
    for (i, (idx, len, role)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(transcript.len(), |next| next.0);
        let text = transcript.get(idx + len..end).unwrap_or("").trim();
        let text = text.strip_suffix(';').unwrap_or(text).trim();
        turns.push((*role, text.to_owned()));
    }
    (lead, turns)
}

/// One row of the Copilot Studio sessions CSV.
fn read_session(row: &CsvRow, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Some(id) = row.get("sessionid") else {
        out.skip(
            &format!("Row on line {}", row.line),
            "it has no SessionId, so its messages cannot be kept together",
        );
        return Ok(());
    };
    let place = format!("Session {id}");
    let start = row
        .get("startdatetime")
        .and_then(|t| time(&Value::String(t.to_owned())));
    let (lead, turns) = session_turns(row.get("chattranscript").unwrap_or(""));
    if !lead.is_empty() {
        out.warn(
            &place,
            "the start of the transcript names no speaker (\"User says:\" or \"Bot says:\") and was left out",
        );
    }
    for (n, (role, text)) in turns.into_iter().enumerate() {
        out.push(
            PlatformMessage {
                conversation_id: id.to_owned(),
                role: Some(role),
                text,
                timestamp: if n == 0 { start } else { None },
                line: row.line,
                ..PlatformMessage::default()
            },
            &format!("{place}, turn {}", n + 1),
        )?;
    }
    if row
        .get("sessionoutcome")
        .is_some_and(|o| o.eq_ignore_ascii_case("escalated"))
    {
        out.push(
            PlatformMessage {
                conversation_id: id.to_owned(),
                role: Some(Role::System),
                event: Some(EventKind::Handoff),
                line: row.line,
                ..PlatformMessage::default()
            },
            &format!("{place}, outcome"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_transcripts_split_only_where_a_speaker_starts() {
        let (lead, turns) = session_turns(
            "User says: hours?; Bot says: Mon-Fri 8-6; Sat 9-1. I'm a bot; User says: thanks;",
        );
        assert!(lead.is_empty());
        let texts: Vec<&str> = turns.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["hours?", "Mon-Fri 8-6; Sat 9-1. I'm a bot", "thanks"]
        );
        assert_eq!(turns.get(1).map(|t| t.0), Some(Role::Ai));
    }

    #[test]
    fn roles_come_from_the_role_not_the_id() {
        let bot = serde_json::json!({"from": {"id": "same", "role": 0}});
        let user = serde_json::json!({"from": {"id": "same", "role": 1}});
        let unknown = serde_json::json!({"from": {"id": "hub"}});
        assert_eq!(role_of(&bot), Some(Role::Ai));
        assert_eq!(role_of(&user), Some(Role::Customer));
        assert_eq!(role_of(&unknown), None);
    }
}
