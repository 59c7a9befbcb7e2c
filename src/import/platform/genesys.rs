//! Genesys Cloud: analytics conversation details (the details query `{"conversations": […], "totalHits"}`,
//! async job results pages `{"conversations": […], "cursor"}`, one page per line, or a single conversation)
//! and speech & text analytics transcripts (one document, or an array of them).
//!
//! Conversation details carry no message text. They give the path and timing facts: a handoff when a
//! bot flow (`botflow`) or IVR participant ends and a queue (`acd`) or agent segment starts at or after
//! that end (once per conversation, at the earliest such start; a queue the customer left is still a
//! handoff); each agent wrap-up note is an internal note by a person; a finished survey's promoter score
//! (0–10) becomes a rating 1–5 (half, rounded up, at least 1). Transfers between people are no handoffs.
//!
//! Transcripts: an `external` phrase is the customer's. `internal` covers every company-side speaker, so
//! the speaker is the non-customer participant whose time window holds the phrase: a bot flow is the AI,
//! an IVR or queue the platform (recorded prompts), an agent a person; without a window, a person. A queue
//! that follows a bot flow or IVR window is a handoff at its start.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{at, channel, items, number_at, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::model::{EventKind, Role};

/// The Genesys Cloud importer.
pub struct Genesys;

impl LogImporter for Genesys {
    fn id(&self) -> &'static str {
        "genesys"
    }

    fn name(&self) -> &'static str {
        "Genesys Cloud conversations"
    }

    fn reading(&self) -> &'static str {
        "Transcript phrases by the external party are the customer's; company-side phrases are the bot \
         flow's (AI), the IVR's or queue's (platform) or an agent's, as the participant time windows say; \
         conversation details give handoffs, wrap-up notes (internal) and survey scores."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        let details =
            head.has_key("segmentType") && head.has_key("purpose") && head.has_key("mediaType");
        let transcripts = head.has_key("communicationId")
            && head.has_key("phrases")
            && head.has_key("participantPurpose");
        details || transcripts
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        // Lines of one conversation may come from several documents; they are ordered per conversation.
        let mut lines: BTreeMap<String, Vec<PlatformMessage>> = BTreeMap::new();
        for (line, value) in read_values(input, out)? {
            let list: Vec<&Value> = match &value {
                Value::Array(list) => list.iter().collect(),
                Value::Object(_) if at(&value, &["conversations"]).is_some() => {
                    items(&value, &["conversations"]).iter().collect()
                }
                other => vec![other],
            };
            for (n, item) in list.into_iter().enumerate() {
                let record = line.max(n as u64 + 1);
                if at(item, &["transcripts"]).is_some() {
                    read_transcript(item, record, &mut lines, out);
                } else if at(item, &["participants"]).is_some() {
                    read_details(item, record, &mut lines, out);
                } else if at(item, &["results"]).is_some() {
                    out.skip(
                        &format!("Record {record}"),
                        "it is an aggregate (counts per group), not conversations, so it was skipped",
                    );
                } else {
                    out.skip(
                        &format!("Record {record}"),
                        "it is neither a conversation details record nor a transcript, so it was skipped",
                    );
                }
            }
        }
        for (id, mut list) in lines {
            list.sort_by_key(|m| m.timestamp);
            for (n, message) in list.into_iter().enumerate() {
                out.push(message, &format!("Conversation {id}, line {}", n + 1))?;
            }
        }
        Ok(())
    }
}

/// A Genesys media type (with its message type) as a channel.
fn media_channel(media: &str, message_type: Option<&str>) -> Option<String> {
    let media = media.to_ascii_lowercase();
    let name = match media.as_str() {
        "voice" | "call" | "callback" => "voice".to_owned(),
        "chat" => "chat".to_owned(),
        "email" => "email".to_owned(),
        "message" => match message_type.map(str::to_ascii_lowercase).as_deref() {
            Some("webmessaging" | "open" | "webchat") | None => "chat".to_owned(),
            Some("facebook") => "messenger".to_owned(),
            Some(other) => channel(other),
        },
        _ => return None,
    };
    Some(name)
}

/// The role a participant purpose stands for.
fn purpose_role(purpose: &str) -> Role {
    match purpose.to_ascii_lowercase().as_str() {
        "customer" | "external" => Role::Customer,
        "botflow" => Role::Ai,
        "agent" | "user" => Role::HumanAgent,
        _ => Role::System,
    }
}

fn is_bot_side(purpose: &str) -> bool {
    matches!(purpose.to_ascii_lowercase().as_str(), "botflow" | "ivr")
}

fn is_people_side(purpose: &str) -> bool {
    matches!(
        purpose.to_ascii_lowercase().as_str(),
        "acd" | "agent" | "user"
    )
}

/// A survey's promoter score (0–10) as a rating 1–5.
fn promoter_rating(score: f64) -> f64 {
    (score / 2.0).ceil().clamp(1.0, 5.0)
}

fn read_details(
    conversation: &Value,
    record: u64,
    lines: &mut BTreeMap<String, Vec<PlatformMessage>>,
    out: &mut Records<'_>,
) {
    let Some(id) = text_at(conversation, &["conversationId"]) else {
        out.skip(
            &format!("Conversation record {record}"),
            "it has no \"conversationId\", so it was skipped",
        );
        return;
    };
    let participants = items(conversation, &["participants"]);
    let channel_name = participants
        .iter()
        .filter(|p| {
            text_at(p, &["purpose"]).is_some_and(|pur| purpose_role(&pur) == Role::Customer)
        })
        .flat_map(|p| items(p, &["sessions"]))
        .find_map(|s| {
            media_channel(
                &text_at(s, &["mediaType"])?,
                text_at(s, &["messageType"]).as_deref(),
            )
        });
    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: channel_name,
        line: record,
        ..PlatformMessage::default()
    };
    let mut found: Vec<PlatformMessage> = Vec::new();

    // The handoff: a bot flow or IVR ends, then a queue or agent starts.
    let mut bot_ends: Vec<DateTime<Utc>> = Vec::new();
    let mut people_starts: Vec<DateTime<Utc>> = Vec::new();
    for participant in participants {
        let purpose = text_at(participant, &["purpose"]).unwrap_or_default();
        let segments: Vec<&Value> = items(participant, &["sessions"])
            .iter()
            .flat_map(|s| items(s, &["segments"]))
            .collect();
        if is_bot_side(&purpose) {
            // A flow still open has no end yet.
            if let Some(end) = segments
                .iter()
                .filter_map(|s| time_at(s, &["segmentEnd"]))
                .max()
            {
                bot_ends.push(end);
            }
        }
        if is_people_side(&purpose) {
            people_starts.extend(
                segments
                    .iter()
                    .filter_map(|s| time_at(s, &["segmentStart"])),
            );
        }
        // Wrap-up notes by agents.
        if purpose_role(&purpose) == Role::HumanAgent {
            for segment in &segments {
                let wrapup = text_at(segment, &["segmentType"])
                    .is_some_and(|t| t.eq_ignore_ascii_case("wrapup"));
                if let (true, Some(note)) = (wrapup, text_at(segment, &["wrapUpNote"])) {
                    found.push(PlatformMessage {
                        role: Some(Role::HumanAgent),
                        text: note,
                        internal: true,
                        timestamp: time_at(segment, &["segmentStart"]),
                        ..base.clone()
                    });
                }
            }
        }
    }
    if let Some(first_bot_end) = bot_ends.iter().min() {
        if let Some(start) = people_starts.iter().filter(|s| *s >= first_bot_end).min() {
            found.push(PlatformMessage {
                role: Some(Role::System),
                event: Some(EventKind::Handoff),
                timestamp: Some(*start),
                ..base.clone()
            });
        }
    }

    // Surveys.
    for (n, survey) in items(conversation, &["surveys"]).iter().enumerate() {
        let Some(score) = number_at(survey, &["surveyPromoterScore"]) else {
            out.left_out("Genesys surveys without a score".to_owned());
            continue;
        };
        if !(0.0..=10.0).contains(&score) {
            out.warn(
                &format!("Conversation {id}, survey {}", n + 1),
                format!("the promoter score {score} is outside 0–10 and was not counted"),
            );
            continue;
        }
        found.push(PlatformMessage {
            role: Some(Role::System),
            event: Some(EventKind::Csat),
            csat: Some(promoter_rating(score)),
            timestamp: time_at(survey, &["surveyCompletedDate"])
                .or_else(|| time_at(survey, &["eventTime"])),
            ..base.clone()
        });
    }
    if found.is_empty() {
        out.left_out("Genesys conversation details without notes, handoffs or surveys".to_owned());
    }
    lines.entry(id).or_default().extend(found);
}

/// A participant's time window in a transcript document.
struct Window {
    purpose: String,
    start: f64,
    end: f64,
}

fn read_transcript(
    document: &Value,
    record: u64,
    lines: &mut BTreeMap<String, Vec<PlatformMessage>>,
    out: &mut Records<'_>,
) {
    let Some(id) = text_at(document, &["conversationId"]) else {
        out.skip(
            &format!("Transcript {record}"),
            "it has no \"conversationId\", so it was skipped",
        );
        return;
    };
    let windows: Vec<Window> = items(document, &["participants"])
        .iter()
        .filter_map(|p| {
            Some(Window {
                purpose: text_at(p, &["participantPurpose"])?.to_ascii_lowercase(),
                start: number_at(p, &["startTimeMs"])?,
                end: number_at(p, &["endTimeMs"]).unwrap_or(f64::MAX),
            })
        })
        .collect();
    let message_type = items(document, &["transcripts"])
        .iter()
        .find_map(|t| text_at(t, &["messageType"]))
        .or_else(|| {
            items(document, &["participants"])
                .iter()
                .find_map(|p| text_at(p, &["messageType"]))
        });
    let channel_name =
        text_at(document, &["mediaType"]).and_then(|m| media_channel(&m, message_type.as_deref()));
    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: channel_name,
        line: record,
        ..PlatformMessage::default()
    };
    let found = lines.entry(id.clone()).or_default();

    // A queue after a bot flow or IVR window: the handoff.
    let first_bot_start = windows
        .iter()
        .filter(|w| is_bot_side(&w.purpose))
        .map(|w| w.start)
        .fold(None, |min: Option<f64>, s| {
            Some(min.map_or(s, |m| m.min(s)))
        });
    if let Some(bot_start) = first_bot_start {
        let queue = windows
            .iter()
            .filter(|w| w.purpose == "acd" && w.start >= bot_start)
            .map(|w| w.start)
            .fold(None, |min: Option<f64>, s| {
                Some(min.map_or(s, |m| m.min(s)))
            });
        if let Some(start) = queue {
            found.push(PlatformMessage {
                role: Some(Role::System),
                event: Some(EventKind::Handoff),
                timestamp: super::time(&Value::from(start)),
                ..base.clone()
            });
        }
    }

    for (t, transcript) in items(document, &["transcripts"]).iter().enumerate() {
        for (p, phrase) in items(transcript, &["phrases"]).iter().enumerate() {
            let text = text_at(phrase, &["decoratedText"])
                .or_else(|| text_at(phrase, &["text"]))
                .unwrap_or_default();
            if text.trim().is_empty() {
                continue;
            }
            let at_ms = number_at(phrase, &["startTimeMs"]);
            let purpose = text_at(phrase, &["participantPurpose"])
                .unwrap_or_default()
                .to_ascii_lowercase();
            let role = match purpose.as_str() {
                "external" | "customer" => Some(Role::Customer),
                "agent" | "user" => Some(Role::HumanAgent),
                "ivr" | "acd" => Some(Role::System),
                "botflow" => Some(Role::Ai),
                "internal" => Some(
                    at_ms
                        .and_then(|ms| {
                            windows
                                .iter()
                                .filter(|w| {
                                    purpose_role(&w.purpose) != Role::Customer
                                        && w.start <= ms
                                        && ms <= w.end
                                })
                                .max_by(|a, b| {
                                    a.start
                                        .partial_cmp(&b.start)
                                        .unwrap_or(std::cmp::Ordering::Equal)
                                })
                        })
                        .map_or(Role::HumanAgent, |w| purpose_role(&w.purpose)),
                ),
                _ => None,
            };
            if role.is_none() {
                out.skip(
                    &format!("Conversation {id}, transcript {}, phrase {}", t + 1, p + 1),
                    format!(
                        "its participant purpose {purpose:?} is not one Genesys writes, so it is not known \
                         who spoke; it was skipped"
                    ),
                );
                continue;
            }
            found.push(PlatformMessage {
                role,
                text,
                timestamp: at_ms.and_then(|ms| super::time(&Value::from(ms))),
                ..base.clone()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promoter_scores_become_ratings() {
        let ratings: Vec<f64> = [0.0, 2.0, 3.0, 6.0, 8.0, 9.0, 10.0]
            .iter()
            .map(|s| promoter_rating(*s))
            .collect();
        assert_eq!(ratings, vec![1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 5.0]);
    }

    #[test]
    fn an_ivr_is_no_bot() {
        assert_eq!(purpose_role("ivr"), Role::System);
        assert_eq!(purpose_role("botflow"), Role::Ai);
        assert!(is_bot_side("ivr"));
    }
}
