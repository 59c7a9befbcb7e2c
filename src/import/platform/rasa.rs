//! Rasa: trackers (`GET /conversations/{id}/tracker` responses, alone, in a list, one per line, or under
//! a `tracker` key; `mongoexport` of the Mongo tracker store), event-broker streams (one event per line
//! with its `sender_id`, conversations interleaved, re-deliveries dropped) and dumps of the SQL tracker
//! store's `events` table (CSV with the event JSON in `data`).
//!
//! A conversation is a `sender_id`; its events are put in time order. `user` events are the customer's
//! (a clicked button payload such as `/deny` is shown as the button's title), `bot` events with text the
//! AI's; the buttons and quick replies a bot offered become one system line with their titles. A handoff
//! action (`action_handoff`, `action_human_handoff`, `action_handoff_to_human`, `action_transfer_to_human`)
//! is a handoff, placed after the messages it sent, at the `pause` that follows it if one does; a `pause`
//! on its own is a handoff too. Rasa has no rating of its own: a numeric value set in a rating slot (`csat`,
//! `csat_score`, `rating`, `satisfaction`) is the satisfaction rating. Rasa keeps no internal notes, and
//! human agents' replies travel outside the tracker. Bookkeeping events (actions, slots, sessions,
//! featurisation, `resume`) are counted and left out.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use serde_json::Value;

use super::{Export, at, header_has_all, items, number_at, read_json_or_csv, text_at, time};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records};
use crate::model::{EventKind, Role};

/// Actions that hand the conversation to a person.
pub const HANDOFF_ACTIONS: &[&str] = &[
    "action_handoff",
    "action_human_handoff",
    "action_handoff_to_human",
    "action_transfer_to_human",
];

/// Slots that hold the customer's satisfaction rating.
pub const RATING_SLOTS: &[&str] = &["csat", "csat_score", "rating", "satisfaction"];

/// The Rasa importer.
pub struct Rasa;

impl LogImporter for Rasa {
    fn id(&self) -> &'static str {
        "rasa"
    }

    fn name(&self) -> &'static str {
        "Rasa trackers and events"
    }

    fn reading(&self) -> &'static str {
        "User events are the customer's, bot events the AI's; handoff actions and pauses are handoffs, and a \
         rating slot is the satisfaction rating."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        if head.starts_with('{') || head.starts_with('[') {
            let tracker = head.has_key("sender_id") && head.has_key("events");
            let stream = head.has_key("sender_id")
                && head.has_key("event")
                && head.has_key("timestamp")
                && ["user", "bot", "action", "session_started", "slot"]
                    .iter()
                    .any(|kind| head.has_member("event", kind));
            return tracker || stream;
        }
        header_has_all(
            head.first_line(),
            &["sender_id", "type_name", "timestamp", "data"],
        )
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let export = read_json_or_csv(input, out)?;
        let mut senders = Senders::default();
        match export {
            Export::Json(values) => {
                for (line, value) in values {
                    let list: Vec<&Value> = match &value {
                        Value::Array(list) => list.iter().collect(),
                        other => vec![other],
                    };
                    for (n, item) in list.into_iter().enumerate() {
                        senders.add_value(item, line.max(n as u64 + 1), out);
                    }
                }
            }
            Export::Csv(rows) => {
                for row in rows {
                    let place = format!("Row on line {}", row.line);
                    let Some(sender) = row.get("sender_id") else {
                        out.skip(
                            &place,
                            "it names no sender_id, so it belongs to no conversation",
                        );
                        continue;
                    };
                    let Some(data) = row.get("data") else {
                        out.left_out(format!(
                            "Rasa \"{}\" events without data",
                            row.get("type_name").unwrap_or("unknown")
                        ));
                        continue;
                    };
                    let mut event: Value = match serde_json::from_str(data) {
                        Ok(v @ Value::Object(_)) => v,
                        _ => {
                            out.skip(&place, "its data column is not the event's JSON");
                            continue;
                        }
                    };
                    if let Value::Object(map) = &mut event {
                        if !map.contains_key("event") {
                            if let Some(kind) = row.get("type_name") {
                                map.insert("event".into(), Value::String(kind.to_owned()));
                            }
                        }
                        if !map.contains_key("timestamp") {
                            if let Some(ts) = row.get("timestamp") {
                                map.insert("timestamp".into(), Value::String(ts.to_owned()));
                            }
                        }
                    }
                    let order = row.get("id").and_then(|id| id.parse::<f64>().ok());
                    senders.add_event(sender, event, row.line, order, None);
                }
            }
        }
        for sender in std::mem::take(&mut senders.order) {
            if let Some(events) = senders.events.remove(&sender) {
                let fallback = senders.channels.get(&sender).cloned();
                read_conversation(&sender, events, fallback, out)?;
            }
        }
        Ok(())
    }
}

/// One event as found: its place in the file, an ordering key for equal times, and the event.
struct Found {
    line: u64,
    order: f64,
    event: Value,
}

/// Events gathered by sender, in the order senders first appear.
#[derive(Default)]
struct Senders {
    order: Vec<String>,
    events: HashMap<String, Vec<Found>>,
    channels: HashMap<String, String>,
    seen: HashSet<String>,
}

impl Senders {
    fn add_value(&mut self, value: &Value, record: u64, out: &mut Records<'_>) {
        let tracker = at(value, &["tracker"])
            .filter(|t| t.is_object())
            .unwrap_or(value);
        let Some(sender) = text_at(tracker, &["sender_id"]) else {
            out.skip(
                &format!("Record {record}"),
                "it names no sender_id, so it belongs to no conversation",
            );
            return;
        };
        if at(tracker, &["events"]).is_some() {
            let channel = text_at(tracker, &["latest_input_channel"]);
            for event in items(tracker, &["events"]) {
                self.add_event(&sender, event.clone(), record, None, channel.clone());
            }
        } else if at(tracker, &["event"]).is_some() {
            self.add_event(&sender, tracker.clone(), record, None, None);
        } else {
            out.skip(
                &format!("Record {record}"),
                "it is neither a Rasa tracker nor an event",
            );
        }
    }

    fn add_event(
        &mut self,
        sender: &str,
        event: Value,
        line: u64,
        order: Option<f64>,
        channel: Option<String>,
    ) {
        // Re-deliveries repeat the same event at the same time.
        let key = format!(
            "{sender}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            text_at(&event, &["event"]).unwrap_or_default(),
            at(&event, &["timestamp"])
                .map(Value::to_string)
                .unwrap_or_default(),
            text_at(&event, &["name"]).unwrap_or_default(),
            text_at(&event, &["text"]).unwrap_or_default(),
            at(&event, &["value"])
                .map(Value::to_string)
                .unwrap_or_default(),
        );
        if !self.seen.insert(key) {
            return;
        }
        if !self.events.contains_key(sender) {
            self.order.push(sender.to_owned());
        }
        if let Some(channel) = channel {
            self.channels.entry(sender.to_owned()).or_insert(channel);
        }
        let list = self.events.entry(sender.to_owned()).or_default();
        let order = order.unwrap_or(list.len() as f64);
        list.push(Found { line, order, event });
    }
}

/// Candor's channel for a Rasa input channel.
fn rasa_channel(raw: &str) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        "socketio" | "rest" | "webchat" | "slack" | "webexteams" | "callback" | "botframework"
        | "rocketchat" | "mattermost" | "hangouts" => "chat".to_owned(),
        "twilio" => "sms".to_owned(),
        "facebook" => "messenger".to_owned(),
        "telegram" => "app".to_owned(),
        "twilio_voice" | "audiocodes" | "genesys" => "voice".to_owned(),
        other => super::channel(other),
    }
}

/// The titles and payloads of the buttons or quick replies a bot event offered.
fn offered(event: &Value) -> Vec<(String, Option<String>)> {
    let mut offers = Vec::new();
    for key in ["buttons", "quick_replies"] {
        for button in items(event, &["data", key])
            .iter()
            .chain(items(event, &[key]))
        {
            if let Some(title) = text_at(button, &["title"]) {
                offers.push((title, text_at(button, &["payload"])));
            }
        }
    }
    offers
}

fn read_conversation(
    sender: &str,
    mut events: Vec<Found>,
    fallback_channel: Option<String>,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    // Time order; equal times keep the order they were written in.
    let mut last = 0.0;
    let mut keyed: Vec<(f64, Found)> = Vec::with_capacity(events.len());
    for found in events.drain(..) {
        let t = at(&found.event, &["timestamp"])
            .and_then(|v| match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .unwrap_or(last);
        last = t;
        keyed.push((t, found));
    }
    keyed.sort_by(|(ta, a), (tb, b)| ta.total_cmp(tb).then(a.order.total_cmp(&b.order)));

    let channel = keyed
        .iter()
        .filter(|(_, f)| text_at(&f.event, &["event"]).as_deref() == Some("user"))
        .find_map(|(_, f)| text_at(&f.event, &["input_channel"]))
        .or(fallback_channel)
        .map(|c| rasa_channel(&c));
    let base = PlatformMessage {
        conversation_id: sender.to_owned(),
        channel,
        ..PlatformMessage::default()
    };

    let mut buttons: Vec<(String, Option<String>)> = Vec::new();
    // A handoff action waiting for its messages to end: its time.
    let mut pending: Option<(Option<chrono::DateTime<chrono::Utc>>, u64)> = None;
    let flush = |pending: &mut Option<(Option<chrono::DateTime<chrono::Utc>>, u64)>,
                 out: &mut Records<'_>|
     -> Result<(), ImportError> {
        if let Some((timestamp, line)) = pending.take() {
            out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    event: Some(EventKind::Handoff),
                    timestamp,
                    line,
                    ..base.clone()
                },
                &format!("Conversation {sender}, handoff"),
            )?;
        }
        Ok(())
    };

    for (n, (_, found)) in keyed.iter().enumerate() {
        let event = &found.event;
        let place = format!("Conversation {sender}, event {}", n + 1);
        let timestamp = at(event, &["timestamp"]).and_then(time);
        let kind = text_at(event, &["event"]).unwrap_or_default();
        match kind.as_str() {
            "user" => {
                flush(&mut pending, out)?;
                let raw = text_at(event, &["text"]).unwrap_or_default();
                let text = if raw.trim_start().starts_with('/') {
                    buttons
                        .iter()
                        .find(|(_, payload)| payload.as_deref() == Some(raw.trim()))
                        .map_or(raw.clone(), |(title, _)| title.clone())
                } else {
                    raw
                };
                out.push(
                    PlatformMessage {
                        role: Some(Role::Customer),
                        text,
                        timestamp,
                        line: found.line,
                        ..base.clone()
                    },
                    &place,
                )?;
            }
            "bot" => {
                let text = text_at(event, &["text"]).unwrap_or_default();
                buttons = offered(event);
                if text.trim().is_empty() && buttons.is_empty() {
                    out.left_out("Rasa bot events without text (custom payloads, images)".into());
                    continue;
                }
                if !text.trim().is_empty() {
                    out.push(
                        PlatformMessage {
                            role: Some(Role::Ai),
                            text,
                            timestamp,
                            line: found.line,
                            ..base.clone()
                        },
                        &place,
                    )?;
                }
                if !buttons.is_empty() {
                    let titles: Vec<&str> = buttons.iter().map(|(t, _)| t.as_str()).collect();
                    out.push(
                        PlatformMessage {
                            role: Some(Role::System),
                            text: titles.join(" | "),
                            timestamp,
                            line: found.line,
                            ..base.clone()
                        },
                        &format!("{place} (buttons)"),
                    )?;
                }
            }
            "action" => {
                let name = text_at(event, &["name"]).unwrap_or_default();
                if HANDOFF_ACTIONS.contains(&name.as_str()) {
                    flush(&mut pending, out)?;
                    pending = Some((timestamp, found.line));
                } else {
                    if name != "action_listen" {
                        flush(&mut pending, out)?;
                    }
                    out.left_out("Rasa \"action\" events".into());
                }
            }
            "pause" => {
                // The pause a handoff action made, or a pause on its own: one handoff, at the pause.
                pending = Some((timestamp, found.line));
                flush(&mut pending, out)?;
            }
            "slot" => {
                let name = text_at(event, &["name"]).unwrap_or_default();
                let rating = RATING_SLOTS
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&name))
                    .then(|| number_at(event, &["value"]))
                    .flatten();
                match rating {
                    Some(r) if (1.0..=5.0).contains(&r) => out.push(
                        PlatformMessage {
                            role: Some(Role::System),
                            event: Some(EventKind::Csat),
                            csat: Some(r),
                            timestamp,
                            line: found.line,
                            ..base.clone()
                        },
                        &place,
                    )?,
                    Some(r) => out.warn(
                        &place,
                        format!(
                            "the rating {r} in slot \"{name}\" is outside 1–5 and was not counted"
                        ),
                    ),
                    None => out.left_out("Rasa \"slot\" events".into()),
                }
            }
            "" => out.skip(&place, "the record names no event type"),
            other => out.left_out(format!("Rasa \"{other}\" events")),
        }
    }
    flush(&mut pending, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_payloads_read_as_titles_and_channels_map() {
        let bot = serde_json::json!({"event": "bot", "data": {"buttons": [
            {"title": "No thanks", "payload": "/deny"}]}});
        let offers = offered(&bot);
        assert_eq!(offers.first().map(|(t, _)| t.as_str()), Some("No thanks"));
        assert_eq!(rasa_channel("twilio"), "sms");
        assert_eq!(rasa_channel("socketio"), "chat");
        assert_eq!(rasa_channel("facebook"), "messenger");
    }
}
