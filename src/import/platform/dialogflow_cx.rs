//! Google Dialogflow CX: the interaction-logging export to BigQuery (rows as JSON Lines or a JSON array, with
//! JSON or legacy string columns, or as CSV), and the Conversation History API (`ListConversations` pages
//! or single conversations with their interactions).
//!
//! Dialogflow logs only the virtual agent's side. Each turn is read in order (`turn_position`, or the
//! interaction's `createTime`): what the customer typed or said (turns started by an event, an intent or
//! DTMF have no customer line), then each text the agent answered (the AI), then the chips and buttons it
//! showed as one system line. A `liveAgentHandoff` or `telephonyTransferCall` in the answer is a handoff;
//! the human agent's side is in the contact-centre product, not here. Answer feedback is the satisfaction
//! rating: thumbs up is 5, thumbs down 1. Dialogflow keeps no internal notes; streaming drafts, the
//! derived copies of the agent's words and conversation signals are not read.

use std::collections::HashMap;
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{Export, at, header_has_all, items, read_json_or_csv, text_at, time};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records};
use crate::model::{EventKind, Role};

/// The Dialogflow CX importer.
pub struct DialogflowCx;

impl LogImporter for DialogflowCx {
    fn id(&self) -> &'static str {
        "dialogflow_cx"
    }

    fn name(&self) -> &'static str {
        "Dialogflow CX interaction logs"
    }

    fn reading(&self) -> &'static str {
        "The customer's input and the virtual agent's answers per turn; live-agent handoffs and call \
         transfers are handoffs, thumbs up and down are ratings of 5 and 1."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        if head.starts_with('{') || head.starts_with('[') {
            let bigquery = head.has_key("conversation_name") && head.has_key("turn_position");
            let history = head.has_key("interactions")
                && head.has_key("queryResult")
                && head.text.contains("/conversations/");
            return bigquery || history;
        }
        header_has_all(
            head.first_line(),
            &["conversation_name", "turn_position", "response"],
        )
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let export = read_json_or_csv(input, out)?;
        let mut turns = Turns::default();
        match export {
            Export::Json(values) => {
                for (line, value) in values {
                    turns.add(&value, line, out);
                }
            }
            Export::Csv(rows) => {
                for row in rows {
                    let fields: Map<String, Value> = [
                        "conversation_name",
                        "turn_position",
                        "request_time",
                        "request",
                        "response",
                        "bot_answer_feedback",
                    ]
                    .iter()
                    .filter_map(|k| {
                        row.get(k)
                            .map(|v| ((*k).to_owned(), Value::String(v.into())))
                    })
                    .collect();
                    turns.row(&Value::Object(fields), row.line, out);
                }
            }
        }
        for id in std::mem::take(&mut turns.order) {
            if let Some(mut list) = turns.conversations.remove(&id) {
                list.sort_by(|a, b| {
                    a.position
                        .total_cmp(&b.position)
                        .then(a.time.cmp(&b.time))
                        .then(a.line.cmp(&b.line))
                });
                let channel = turns.channels.get(&id).cloned().or_else(|| {
                    list.iter()
                        .any(|t| {
                            at(&t.request, &["queryInput", "audio"]).is_some()
                                || text_at(&t.response, &["queryResult", "transcript"]).is_some()
                        })
                        .then(|| "voice".to_owned())
                });
                for (n, turn) in list.iter().enumerate() {
                    read_turn(&id, n + 1, turn, channel.clone(), out)?;
                }
            }
        }
        Ok(())
    }
}

/// One turn: the request, the response and the feedback, with what orders it.
struct Turn {
    position: f64,
    time: Option<DateTime<Utc>>,
    line: u64,
    request: Value,
    response: Value,
    feedback: Option<Value>,
}

/// Turns gathered by conversation, in the order conversations first appear.
#[derive(Default)]
struct Turns {
    order: Vec<String>,
    conversations: HashMap<String, Vec<Turn>>,
    channels: HashMap<String, String>,
}

/// A JSON column: an object as is, or JSON text parsed (legacy string columns, CSV cells).
fn json_column(value: Option<&Value>) -> Option<Value> {
    match value? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => serde_json::from_str::<Value>(s)
            .ok()
            .filter(|v| !v.is_null()),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

/// A BigQuery TIMESTAMP as extracts write it (`2025-03-11 10:02:03.118402 UTC`), or any platform time.
fn bq_time(value: &Value) -> Option<DateTime<Utc>> {
    if let Value::String(s) = value {
        let trimmed = s.trim();
        if let Some(bare) = trimmed.strip_suffix(" UTC") {
            let iso = format!("{}Z", bare.trim().replacen(' ', "T", 1));
            if let Some(t) = time(&Value::String(iso)) {
                return Some(t);
            }
        }
    }
    time(value)
}

impl Turns {
    fn push(&mut self, id: String, turn: Turn) {
        if !self.conversations.contains_key(&id) {
            self.order.push(id.clone());
        }
        self.conversations.entry(id).or_default().push(turn);
    }

    fn add(&mut self, value: &Value, line: u64, out: &mut Records<'_>) {
        match value {
            Value::Array(list) => {
                for (n, item) in list.iter().enumerate() {
                    self.add(item, line.max(n as u64 + 1), out);
                }
            }
            Value::Object(_) if at(value, &["conversations"]).is_some() => {
                for (n, conversation) in items(value, &["conversations"]).iter().enumerate() {
                    self.conversation(conversation, line.max(n as u64 + 1), out);
                }
            }
            Value::Object(_) if at(value, &["conversation_name"]).is_some() => {
                self.row(value, line, out);
            }
            Value::Object(_) if at(value, &["name"]).is_some() => {
                self.conversation(value, line, out);
            }
            _ => out.skip(
                &format!("Record {line}"),
                "it is neither a BigQuery row nor a Dialogflow conversation",
            ),
        }
    }

    /// A row of the BigQuery export.
    fn row(&mut self, row: &Value, line: u64, out: &mut Records<'_>) {
        let Some(id) = text_at(row, &["conversation_name"]) else {
            out.skip(
                &format!("Row on line {line}"),
                "it has no conversation_name, so it belongs to no conversation",
            );
            return;
        };
        let position = match at(row, &["turn_position"]) {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let time = at(row, &["request_time"]).and_then(bq_time);
        let Some(response) = json_column(at(row, &["response"])) else {
            out.skip(
                &format!("Conversation {id}, turn on line {line}"),
                "its response is missing or not valid JSON",
            );
            return;
        };
        self.push(
            id,
            Turn {
                position: position.unwrap_or(f64::MAX),
                time,
                line,
                request: json_column(at(row, &["request"])).unwrap_or(Value::Null),
                response,
                feedback: json_column(at(row, &["bot_answer_feedback"])),
            },
        );
    }

    /// A conversation of the Conversation History API.
    fn conversation(&mut self, conversation: &Value, line: u64, out: &mut Records<'_>) {
        let Some(id) = text_at(conversation, &["name"]) else {
            out.skip(
                &format!("Conversation {line}"),
                "it has no \"name\", so its turns cannot be kept together",
            );
            return;
        };
        let interactions = items(conversation, &["interactions"]);
        if interactions.is_empty() {
            out.left_out("Dialogflow CX conversations without interactions (metadata only)".into());
            return;
        }
        match text_at(conversation, &["type"]).as_deref() {
            Some("TEXT") => {
                self.channels.insert(id.clone(), "chat".to_owned());
            }
            Some("AUDIO") => {
                self.channels.insert(id.clone(), "voice".to_owned());
            }
            _ => {}
        }
        for interaction in interactions {
            self.push(
                id.clone(),
                Turn {
                    position: 0.0,
                    time: at(interaction, &["createTime"]).and_then(bq_time),
                    line,
                    request: at(interaction, &["request"])
                        .cloned()
                        .unwrap_or(Value::Null),
                    response: at(interaction, &["response"])
                        .cloned()
                        .unwrap_or(Value::Null),
                    feedback: at(interaction, &["answerFeedback"]).cloned(),
                },
            );
        }
    }
}

/// The option texts of Dialogflow Messenger rich content (chips and buttons).
fn rich_options(payload: &Value, options: &mut Vec<String>) {
    for group in items(payload, &["richContent"]) {
        let elements: Vec<&Value> = match group {
            Value::Array(list) => list.iter().collect(),
            other => vec![other],
        };
        for element in elements {
            match text_at(element, &["type"]).as_deref() {
                Some("chips") => options.extend(
                    items(element, &["options"])
                        .iter()
                        .filter_map(|o| text_at(o, &["text"])),
                ),
                Some("button") => options.extend(text_at(element, &["text"])),
                _ => {}
            }
        }
    }
}

fn read_turn(
    id: &str,
    n: usize,
    turn: &Turn,
    channel: Option<String>,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let place = format!("Conversation {id}, turn {n}");
    let base = PlatformMessage {
        conversation_id: id.to_owned(),
        timestamp: turn.time,
        channel,
        line: turn.line,
        ..PlatformMessage::default()
    };
    let result = at(&turn.response, &["queryResult"]).unwrap_or(&Value::Null);

    // 1. What the customer typed or said.
    let triggered = ["triggerEvent", "triggerIntent", "dtmf"]
        .iter()
        .any(|k| at(result, &[k]).is_some());
    let said = text_at(result, &["text"])
        .or_else(|| text_at(result, &["transcript"]))
        .or_else(|| {
            (!triggered)
                .then(|| text_at(&turn.request, &["queryInput", "text", "text"]))
                .flatten()
        });
    if let Some(text) = said {
        out.push(
            PlatformMessage {
                role: Some(Role::Customer),
                text,
                ..base.clone()
            },
            &format!("{place}, customer input"),
        )?;
    }

    // 2.–4. The agent's answers, the options it showed, a handoff.
    let messages = items(result, &["responseMessages"]);
    let texts: Vec<String> = messages
        .iter()
        .flat_map(|m| items(m, &["text", "text"]))
        .filter_map(|t| t.as_str().map(str::to_owned))
        .filter(|t| !t.trim().is_empty())
        .collect();
    let spoken: Vec<String> = messages
        .iter()
        .filter_map(|m| text_at(m, &["outputAudioText", "text"]))
        .filter(|t| !texts.iter().any(|x| x.trim() == t.trim()))
        .collect();
    for text in texts.into_iter().chain(spoken) {
        out.push(
            PlatformMessage {
                role: Some(Role::Ai),
                text,
                ..base.clone()
            },
            &format!("{place}, answer"),
        )?;
    }
    let mut options = Vec::new();
    for message in messages {
        if let Some(payload) = at(message, &["payload"]) {
            rich_options(payload, &mut options);
        }
    }
    if !options.is_empty() {
        out.push(
            PlatformMessage {
                role: Some(Role::System),
                text: options.join(" | "),
                ..base.clone()
            },
            &format!("{place}, options"),
        )?;
    }
    let handoff = messages.iter().any(|m| {
        at(m, &["liveAgentHandoff"]).is_some() || at(m, &["telephonyTransferCall"]).is_some()
    });
    if handoff {
        out.push(
            PlatformMessage {
                role: Some(Role::System),
                event: Some(EventKind::Handoff),
                ..base.clone()
            },
            &format!("{place}, handoff"),
        )?;
    }

    // 5. Answer feedback.
    if let Some(feedback) = &turn.feedback {
        let rating = match text_at(feedback, &["rating"]).as_deref() {
            Some("THUMBS_UP") => Some(5.0),
            Some("THUMBS_DOWN") => Some(1.0),
            Some(other) => {
                if other != "RATING_UNSPECIFIED" {
                    out.warn(
                        &format!("{place}, feedback"),
                        format!(
                            "the rating \"{other}\" is not thumbs up or down and was not counted"
                        ),
                    );
                }
                None
            }
            None => None,
        };
        if let Some(rating) = rating {
            out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    event: Some(EventKind::Csat),
                    csat: Some(rating),
                    text: text_at(feedback, &["ratingReason", "feedback"]).unwrap_or_default(),
                    ..base
                },
                &format!("{place}, feedback"),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigquery_times_and_string_columns_read() {
        let t = bq_time(&Value::String("2025-03-11 10:02:03.118402 UTC".into()));
        assert_eq!(
            t.map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-03-11T10:02:03.118402+00:00")
        );
        let column = Value::String(r#"{"rating":"THUMBS_UP"}"#.into());
        assert_eq!(
            json_column(Some(&column)).and_then(|v| text_at(&v, &["rating"])),
            Some("THUMBS_UP".to_owned())
        );
        assert!(json_column(Some(&Value::String(String::new()))).is_none());
    }
}
