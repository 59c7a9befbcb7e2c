//! Zendesk: tickets with their comments and sideloaded users (`GET /api/v2/tickets.json?include=users` with
//! each ticket's comments merged in, as export scripts write them, or one ticket per line), the incremental
//! ticket event export (`ticket_events[]` with comment events), Sunshine Conversations (Zendesk messaging)
//! v2 webhook bodies, one per line, and the Zendesk QA conversation import body (`data[]`).
//!
//! Who wrote a ticket comment is decided by the author's sideloaded user: an `end-user` is the customer, an
//! `agent` or `admin` a person. Without users (the incremental export), the ticket's requester is the
//! customer and every other author a person. Private comments (`public: false`) are internal notes. In
//! messaging, `user` messages are the customer's; `business` messages with the `AI` subtype or from the
//! answer bot are the AI's (a disclosure follows the first, as Zendesk appends its AI disclaimer), trigger
//! messages named "Automated Response" are the system's, other business messages a person's. Passing
//! control to a non-bot integration after the AI spoke is a handoff. In QA imports, `authorIsNotClient`
//! decides between customer and person (the format has no bot flag). Satisfaction `good` is 5, `bad` 1,
//! numbers 1–5 as they are (1–10 halved, rounded up); `offered` is no rating.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use serde_json::Value;

use super::{at, channel, flag_at, html_text, items, number_at, text_at, time_at};
use crate::import::ImportError;
use crate::import::importer::{Head, LogImporter, PlatformMessage, Records, read_values};
use crate::model::{EventKind, Role};

/// The Zendesk importer.
pub struct Zendesk;

impl LogImporter for Zendesk {
    fn id(&self) -> &'static str {
        "zendesk"
    }

    fn name(&self) -> &'static str {
        "Zendesk tickets and messaging"
    }

    fn reading(&self) -> &'static str {
        "Comments by end-users (or the requester) are the customer's, by agents and admins a person's; private \
         comments are kept as internal evidence. In messaging, business messages marked AI or from the answer \
         bot are the AI's, other business messages a person's."
    }

    fn recognise(&self, head: &Head<'_>) -> bool {
        let tickets = head.has_key("requester_id")
            && head.has_key("via")
            && head.has_key("author_id")
            && head.has_key("public");
        let incremental = head.has_key("ticket_events")
            || (head.has_key("child_events") && head.has_key("event_type"));
        let sunshine = head.has_key("events")
            && head.text.contains("\"conversation:")
            && (head.has_member("version", "v2") || head.has_key("trigger"))
            && head.has_key("payload");
        let qa = head.has_key("authorIsNotClient");
        tickets || incremental || sunshine || qa
    }

    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError> {
        let mut messaging = Messaging::default();
        let mut seen_events = HashSet::new();
        let mut requesters = HashMap::new();
        for (line, value) in read_values(input, out)? {
            if at(&value, &["ticket_events"]).is_some() || at(&value, &["child_events"]).is_some() {
                let audits: Vec<&Value> = match at(&value, &["ticket_events"]) {
                    Some(list) => list
                        .as_array()
                        .map(|l| l.iter().collect())
                        .unwrap_or_default(),
                    None => vec![&value],
                };
                for audit in audits {
                    read_audit(audit, line, &mut requesters, &mut seen_events, out)?;
                }
            } else if at(&value, &["events"]).is_some() {
                messaging.read_body(&value, line, out)?;
            } else if at(&value, &["data"]).is_some() {
                for (n, ticket) in items(&value, &["data"]).iter().enumerate() {
                    read_qa_ticket(ticket, line.max(n as u64 + 1), out)?;
                }
            } else {
                let users = user_roles(&value);
                let tickets: Vec<&Value> = match &value {
                    Value::Array(list) => list.iter().collect(),
                    _ if at(&value, &["tickets"]).is_some() => {
                        items(&value, &["tickets"]).iter().collect()
                    }
                    _ if at(&value, &["ticket"]).is_some() => {
                        at(&value, &["ticket"]).into_iter().collect()
                    }
                    _ => vec![&value],
                };
                for (n, ticket) in tickets.into_iter().enumerate() {
                    // A ticket may carry its own users (one ticket per line).
                    let mut users = users.clone();
                    users.extend(user_roles(ticket));
                    read_ticket(ticket, &users, line.max(n as u64 + 1), out)?;
                }
            }
        }
        Ok(())
    }
}

/// A satisfaction score as Candor counts it (1–5): `good` 5, `bad` 1, numbers 1–5 as they are, 6–10 halved
/// and rounded up. `offered`, `unoffered` and anything else are no rating.
fn csat_score(value: &Value) -> Option<f64> {
    let n = match value {
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "good" => return Some(5.0),
            "bad" => return Some(1.0),
            other => other.parse::<f64>().ok()?,
        },
        Value::Number(n) => n.as_f64()?,
        _ => return None,
    };
    if (1.0..=5.0).contains(&n) {
        Some(n)
    } else if n > 5.0 && n <= 10.0 {
        Some((n / 2.0).ceil())
    } else {
        None
    }
}

/// A ticket channel (`via.channel`, or the display strings of the incremental export) as Candor writes it;
/// `None` for the API, which says nothing about how the customer wrote.
fn ticket_channel(raw: &str) -> Option<String> {
    let lower = raw.trim().to_ascii_lowercase();
    Some(match lower.as_str() {
        "api" | "web service" | "web_service" | "rule" | "system" | "" => return None,
        "web" | "web form" | "web_form" => "web".to_owned(),
        "mail" | "email" => "email".to_owned(),
        "native_messaging" | "chat" | "messaging" => "chat".to_owned(),
        "voice" | "phone call (incoming)" | "phone call (outgoing)" => "voice".to_owned(),
        other => channel(other),
    })
}

/// The text of a comment: its plain body, else its body, else its HTML body as read.
fn comment_text(comment: &Value) -> String {
    if text_at(comment, &["type"]).as_deref() == Some("VoiceComment") {
        return text_at(comment, &["data", "transcription_text"]).unwrap_or_default();
    }
    text_at(comment, &["plain_body"])
        .or_else(|| text_at(comment, &["body"]))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .or_else(|| text_at(comment, &["html_body"]).map(|h| html_text(&h)))
        .unwrap_or_default()
}

/// Sideloaded users by id: their Zendesk role (`end-user`, `agent`, `admin`).
fn user_roles(value: &Value) -> HashMap<String, String> {
    items(value, &["users"])
        .iter()
        .filter_map(|u| Some((text_at(u, &["id"])?, text_at(u, &["role"])?)))
        .collect()
}

/// The role of a comment author.
fn author_role(
    author: Option<&str>,
    requester: Option<&str>,
    users: &HashMap<String, String>,
) -> Option<Role> {
    let author = author?;
    if let Some(role) = users.get(author) {
        return match role.to_ascii_lowercase().as_str() {
            "end-user" | "end_user" | "enduser" => Some(Role::Customer),
            "agent" | "admin" => Some(Role::HumanAgent),
            _ => None,
        };
    }
    let requester = requester?;
    if author == requester {
        Some(Role::Customer)
    } else if users.is_empty() {
        // Without sideloaded users, the requester is the customer and every other author works on the ticket.
        Some(Role::HumanAgent)
    } else {
        None
    }
}

fn read_ticket(
    ticket: &Value,
    users: &HashMap<String, String>,
    record: u64,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let Some(id) = text_at(ticket, &["id"]) else {
        out.skip(
            &format!("Ticket {record}"),
            "it has no \"id\", so its comments cannot be kept together",
        );
        return Ok(());
    };
    let requester = text_at(ticket, &["requester_id"]);
    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: text_at(ticket, &["via", "channel"]).and_then(|c| ticket_channel(&c)),
        line: record,
        ..PlatformMessage::default()
    };
    let comments = items(ticket, &["comments"]);
    if comments.is_empty() {
        out.warn(
            &format!("Ticket {id}"),
            "it has no comments (the tickets API does not include them; merge each ticket's comments in)",
        );
    }
    for (n, comment) in comments.iter().enumerate() {
        let place = format!("Ticket {id}, comment {}", n + 1);
        let author = text_at(comment, &["author_id"]);
        let role = author_role(author.as_deref(), requester.as_deref(), users);
        out.push(
            PlatformMessage {
                role,
                text: comment_text(comment),
                timestamp: time_at(comment, &["created_at"]),
                internal: at(comment, &["public"]).is_some() && !flag_at(comment, &["public"]),
                ..base.clone()
            },
            &place,
        )?;
    }
    if let Some(rating) = at(ticket, &["satisfaction_rating"]) {
        if let Some(score) = at(rating, &["score"]).and_then(csat_score) {
            out.push(
                PlatformMessage {
                    role: Some(Role::System),
                    text: text_at(rating, &["comment"]).unwrap_or_default(),
                    event: Some(EventKind::Csat),
                    csat: Some(score),
                    timestamp: time_at(rating, &["created_at"]),
                    ..base.clone()
                },
                &format!("Ticket {id}, satisfaction rating"),
            )?;
        }
    }
    Ok(())
}

/// One audit of the incremental ticket event export.
fn read_audit(
    audit: &Value,
    record: u64,
    requesters: &mut HashMap<String, (String, Option<String>)>,
    seen: &mut HashSet<String>,
    out: &mut Records<'_>,
) -> Result<(), ImportError> {
    let Some(ticket) = text_at(audit, &["ticket_id"]) else {
        out.skip(
            &format!("Ticket event {record}"),
            "it names no ticket_id, so it cannot be put in a conversation",
        );
        return Ok(());
    };
    let audit_time = time_at(audit, &["created_at"]).or_else(|| time_at(audit, &["timestamp"]));
    for child in items(audit, &["child_events"]) {
        let kind = text_at(child, &["event_type"]).unwrap_or_default();
        // Pages of the export repeat events: each is read once.
        if let Some(event_id) = text_at(child, &["id"]) {
            if !seen.insert(event_id) {
                continue;
            }
        }
        let place = format!(
            "Ticket {ticket}, event {}",
            text_at(child, &["id"]).unwrap_or_else(|| "without id".to_owned())
        );
        if kind == "Create" {
            if let Some(requester) = text_at(child, &["requester_id"]) {
                let via = text_at(child, &["via"])
                    .or_else(|| text_at(audit, &["via"]))
                    .and_then(|v| ticket_channel(&v));
                requesters.insert(ticket.clone(), (requester, via));
            }
        } else if kind == "Change" {
            if let Some(requester) = text_at(child, &["requester_id"]) {
                let via = requesters.get(&ticket).and_then(|(_, v)| v.clone());
                requesters.insert(ticket.clone(), (requester, via));
            }
        }
        let (requester, channel_name) = requesters
            .get(&ticket)
            .map_or((None, None), |(r, v)| (Some(r.clone()), v.clone()));
        let base = PlatformMessage {
            conversation_id: ticket.clone(),
            channel: channel_name,
            line: record,
            ..PlatformMessage::default()
        };
        match kind.as_str() {
            "Comment" | "VoiceComment" => {
                let author = text_at(child, &["author_id"]);
                let role = author_role(author.as_deref(), requester.as_deref(), &HashMap::new());
                if role.is_none() {
                    out.warn(
                        &place,
                        "the export does not say who requested this ticket (it was created before the export \
                         starts), so the comment's author cannot be told apart",
                    );
                }
                out.push(
                    PlatformMessage {
                        role,
                        text: comment_text(child),
                        timestamp: time_at(child, &["created_at"]).or(audit_time),
                        internal: at(child, &["public"]).is_some() && !flag_at(child, &["public"]),
                        ..base
                    },
                    &place,
                )?;
            }
            "SatisfactionRating" => {
                if let Some(score) = at(child, &["score"]).and_then(csat_score) {
                    out.push(
                        PlatformMessage {
                            role: Some(Role::System),
                            text: text_at(child, &["body"]).unwrap_or_default(),
                            event: Some(EventKind::Csat),
                            csat: Some(score),
                            timestamp: audit_time,
                            ..base
                        },
                        &place,
                    )?;
                } else {
                    out.left_out("Zendesk satisfaction offers without a rating".to_owned());
                }
            }
            other => out.left_out(format!(
                "Zendesk \"{}\" events",
                if other.is_empty() { "unnamed" } else { other }
            )),
        }
    }
    Ok(())
}

/// What is known of each messaging conversation so far.
#[derive(Default)]
struct Messaging {
    ai_spoke: HashSet<String>,
    disclosed: HashSet<String>,
}

/// The role of a Sunshine Conversations message author.
fn messaging_role(message: &Value) -> Option<Role> {
    let source = text_at(message, &["source", "type"]).unwrap_or_default();
    match text_at(message, &["author", "type"])?
        .to_ascii_lowercase()
        .as_str()
    {
        "user" => Some(Role::Customer),
        "business" => {
            let ai = items(message, &["author", "subtypes"])
                .iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case("AI")));
            if ai || source.eq_ignore_ascii_case("zd:answerBot") {
                Some(Role::Ai)
            } else if text_at(message, &["author", "displayName"])
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("Automated Response"))
            {
                // Trigger auto-replies are written through the agent workspace, but no person wrote them.
                Some(Role::System)
            } else {
                Some(Role::HumanAgent)
            }
        }
        _ => None,
    }
}

impl Messaging {
    fn read_body(
        &mut self,
        body: &Value,
        record: u64,
        out: &mut Records<'_>,
    ) -> Result<(), ImportError> {
        for (n, event) in items(body, &["events"]).iter().enumerate() {
            let kind = text_at(event, &["type"])
                .or_else(|| text_at(body, &["trigger"]))
                .unwrap_or_default();
            let place = format!("Webhook body {record}, event {}", n + 1);
            let payload = at(event, &["payload"]).unwrap_or(event);
            let Some(conversation) = text_at(payload, &["conversation", "id"]) else {
                out.skip(&place, "it names no conversation, so it was skipped");
                continue;
            };
            let created = time_at(event, &["createdAt"]);
            match kind.as_str() {
                "conversation:message" => {
                    let Some(message) = at(payload, &["message"]) else {
                        out.skip(&place, "the message event carries no message");
                        continue;
                    };
                    self.message(&conversation, message, created, record, &place, out)?;
                }
                "switchboard:passControl" => {
                    let target = text_at(
                        payload,
                        &[
                            "conversation",
                            "activeSwitchboardIntegration",
                            "integrationType",
                        ],
                    )
                    .or_else(|| {
                        text_at(
                            payload,
                            &["conversation", "activeSwitchboardIntegration", "name"],
                        )
                    })
                    .or_else(|| text_at(payload, &["switchboardIntegration", "integrationType"]))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                    let to_bot = target.contains("bot");
                    if !target.is_empty() && !to_bot && self.ai_spoke.contains(&conversation) {
                        out.push(
                            PlatformMessage {
                                conversation_id: conversation,
                                role: Some(Role::System),
                                event: Some(EventKind::Handoff),
                                timestamp: created,
                                line: record,
                                ..PlatformMessage::default()
                            },
                            &place,
                        )?;
                    } else {
                        out.left_out("Zendesk \"switchboard:passControl\" events".to_owned());
                    }
                }
                other => out.left_out(format!(
                    "Zendesk \"{}\" events",
                    if other.is_empty() { "unnamed" } else { other }
                )),
            }
        }
        Ok(())
    }

    fn message(
        &mut self,
        conversation: &str,
        message: &Value,
        created: Option<chrono::DateTime<chrono::Utc>>,
        record: u64,
        place: &str,
        out: &mut Records<'_>,
    ) -> Result<(), ImportError> {
        let role = messaging_role(message);
        let mut parts: Vec<String> = text_at(message, &["content", "text"]).into_iter().collect();
        for item in items(message, &["content", "items"]) {
            parts.extend(text_at(item, &["title"]));
            parts.extend(
                items(item, &["actions"])
                    .iter()
                    .filter_map(|a| text_at(a, &["text"])),
            );
        }
        parts.extend(
            items(message, &["content", "actions"])
                .iter()
                .filter_map(|a| text_at(a, &["text"])),
        );
        if parts.is_empty() {
            parts.extend(text_at(message, &["content", "altText"]));
        }
        let timestamp = time_at(message, &["received"]).or(created);
        let channel_name = (role == Some(Role::Customer))
            .then(|| text_at(message, &["source", "type"]))
            .flatten()
            .map(|s| match s.to_ascii_lowercase().as_str() {
                "ios" | "android" => "app".to_owned(),
                "web" => "web".to_owned(),
                other => channel(other),
            });
        let ai_with_disclaimer = items(message, &["author", "subtypes"])
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case("AI")));
        let text = parts.join(" | ");
        if role == Some(Role::Ai) && !text.trim().is_empty() {
            self.ai_spoke.insert(conversation.to_owned());
        }
        out.push(
            PlatformMessage {
                conversation_id: conversation.to_owned(),
                role,
                text: text.clone(),
                timestamp,
                channel: channel_name,
                line: record,
                ..PlatformMessage::default()
            },
            place,
        )?;
        // Zendesk appends its AI disclaimer to messages of the AI subtype; the payload does not carry it.
        if ai_with_disclaimer
            && !text.trim().is_empty()
            && self.disclosed.insert(conversation.to_owned())
        {
            out.push(
                PlatformMessage {
                    conversation_id: conversation.to_owned(),
                    role: Some(Role::System),
                    event: Some(EventKind::Disclosure),
                    timestamp,
                    line: record,
                    ..PlatformMessage::default()
                },
                place,
            )?;
        }
        Ok(())
    }
}

/// One conversation of a Zendesk QA import body.
fn read_qa_ticket(ticket: &Value, record: u64, out: &mut Records<'_>) -> Result<(), ImportError> {
    let Some(id) = text_at(ticket, &["id"]) else {
        out.skip(
            &format!("Conversation {record}"),
            "it has no \"id\", so its comments cannot be kept together",
        );
        return Ok(());
    };
    let base = PlatformMessage {
        conversation_id: id.clone(),
        channel: text_at(ticket, &["channel"]).map(|c| channel(&c)),
        line: record,
        ..PlatformMessage::default()
    };
    for (n, comment) in items(ticket, &["comments"]).iter().enumerate() {
        let place = format!("Conversation {id}, comment {}", n + 1);
        let role = match at(comment, &["authorIsNotClient"]) {
            Some(Value::Bool(true)) => Some(Role::HumanAgent),
            Some(Value::Bool(false)) => Some(Role::Customer),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(Role::HumanAgent),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(Role::Customer),
            _ => None,
        };
        out.push(
            PlatformMessage {
                role,
                text: text_at(comment, &["comment"])
                    .map(|c| html_text(&c))
                    .unwrap_or_default(),
                timestamp: time_at(comment, &["created"]),
                internal: at(comment, &["public"]).is_some() && !flag_at(comment, &["public"]),
                ..base.clone()
            },
            &place,
        )?;
    }
    // QA imports take good/bad or 1–5 only.
    let score = at(ticket, &["satisfactionScore"])
        .and_then(csat_score)
        .filter(|_| number_at(ticket, &["satisfactionScore"]).is_none_or(|n| n <= 5.0));
    if let Some(csat) = score {
        out.push(
            PlatformMessage {
                role: Some(Role::System),
                text: text_at(ticket, &["satisfactionComment"]).unwrap_or_default(),
                event: Some(EventKind::Csat),
                csat: Some(csat),
                ..base.clone()
            },
            &format!("Conversation {id}, satisfaction score"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automated_responses_through_the_agent_workspace_are_no_person() {
        let auto = serde_json::json!({"author": {"type": "business", "displayName": "Automated Response"},
            "source": {"type": "zd:agentWorkspace"}});
        assert_eq!(messaging_role(&auto), Some(Role::System));
        let ai = serde_json::json!({"author": {"type": "business", "subtypes": ["AI"], "displayName": "Rosa"},
            "source": {"type": "zd:agentWorkspace"}});
        assert_eq!(messaging_role(&ai), Some(Role::Ai));
        let person = serde_json::json!({"author": {"type": "business", "displayName": "Rosa"},
            "source": {"type": "zd:agentWorkspace"}});
        assert_eq!(messaging_role(&person), Some(Role::HumanAgent));
    }

    #[test]
    fn satisfaction_scores() {
        assert_eq!(csat_score(&serde_json::json!("good")), Some(5.0));
        assert_eq!(csat_score(&serde_json::json!("offered")), None);
        assert_eq!(csat_score(&serde_json::json!(9)), Some(5.0));
        assert_eq!(csat_score(&serde_json::json!("2")), Some(2.0));
    }
}
