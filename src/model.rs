//! The data model every part of Candor shares: conversations, messages and who spoke.
//!
//! Importers build these values from raw records; rules, metrics and exports only read them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person contacting the company.
    Customer,
    /// An AI agent, chatbot or virtual assistant.
    Ai,
    /// A human employee (agent, operator, representative).
    HumanAgent,
    /// The platform itself: banners, contact-flow prompts and events.
    System,
}

impl Role {
    /// Parses a role name or one of its aliases, case-insensitively.
    pub fn parse(raw: &str) -> Option<Self> {
        let lower = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let role = match lower.as_str() {
            "customer" | "user" | "client" | "consumer" | "visitor" | "end_user" | "enduser"
            | "contact" | "lead" | "caller" => Self::Customer,
            "ai" | "bot" | "assistant" | "chatbot" | "virtual_agent" | "ai_agent"
            | "virtual_assistant" | "custom_bot" | "ai_assistant" | "llm" | "automated" => Self::Ai,
            "human_agent" | "agent" | "human" | "operator" | "representative" | "rep" | "admin"
            | "staff" | "employee" | "advisor" | "support_agent" | "live_agent" => Self::HumanAgent,
            "system" | "platform" | "event" | "notice" => Self::System,
            _ => return None,
        };
        Some(role)
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Customer => "Customer",
            Self::Ai => "AI",
            Self::HumanAgent => "Human agent",
            Self::System => "System",
        }
    }

    /// The canonical name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Ai => "ai",
            Self::HumanAgent => "human_agent",
            Self::System => "system",
        }
    }
}

/// A platform event carried by a `system` message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The conversation was transferred to a human queue.
    Handoff,
    /// The customer gave a satisfaction rating.
    Csat,
    /// A banner or IVR notice told the customer they are talking to an AI.
    Disclosure,
    /// A button or menu item offered the customer a human.
    HumanOption,
}

impl EventKind {
    /// Parses an event name, case-insensitively, with a few common spellings.
    pub fn parse(raw: &str) -> Option<Self> {
        let lower = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let kind = match lower.as_str() {
            "handoff" | "hand_off" | "transfer" | "escalation" | "escalate"
            | "transfer_to_agent" | "transfer_to_human" => Self::Handoff,
            "csat" | "rating" | "survey" | "satisfaction" => Self::Csat,
            "disclosure" | "ai_disclosure" | "bot_disclosure" => Self::Disclosure,
            "human_option" | "human_offer" | "agent_option" => Self::HumanOption,
            _ => return None,
        };
        Some(kind)
    }

    /// The canonical name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Handoff => "handoff",
            Self::Csat => "csat",
            Self::Disclosure => "disclosure",
            Self::HumanOption => "human_option",
        }
    }
}

/// One message (or event) in a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who wrote it.
    pub role: Role,
    /// What it says; empty for pure events.
    pub text: String,
    /// When it was sent, if the log says.
    pub timestamp: Option<DateTime<Utc>>,
    /// The platform event it carries, for `system` messages.
    pub event: Option<EventKind>,
    /// A satisfaction rating carried on this line (1–5).
    pub csat: Option<f64>,
    /// The line (or record) number in the input file, 1-based, for provenance.
    pub line: u64,
    /// An internal note (a private comment, a note between agents): kept as evidence, never shown to the
    /// customer, so no rule reads it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
}

/// One conversation (contact, ticket, session) with its messages in order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Conversation {
    /// The conversation id as written in the log.
    pub id: String,
    /// The channel (chat, voice, email, …) if known.
    pub channel: Option<String>,
    /// The satisfaction rating of the conversation (the last one given), 1–5.
    pub csat: Option<f64>,
    /// Messages in conversation order.
    pub messages: Vec<Message>,
    /// Which input (index into the list of inputs) it came from.
    pub source: usize,
    /// Fields of the log the model does not use, kept for the reader.
    pub metadata: BTreeMap<String, String>,
    /// Internal notes (private comments, notes between agents), in file order: evidence for the reader,
    /// never customer-visible, so kept apart from the messages the rules read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
}

impl Conversation {
    /// When the conversation started: the earliest message time.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.messages.iter().filter_map(|m| m.timestamp).min()
    }
}
