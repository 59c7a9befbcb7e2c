//! The audit rules: what must be true of every AI-handled conversation, and the facts metrics are built from.
//!
//! [`analyse`] looks at one conversation. It finds the language cues (disclosures, offers of a human,
//! requests for a human, identity questions and denials) with the rule pack's [`phrases::PhraseBook`], works
//! out how the conversation was handled, and applies every [`RuleId`] to produce [`Finding`]s, each with the
//! message, the quoted evidence and a one-sentence explanation.

pub mod pack;
pub mod phrases;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Conversation, EventKind, Message, Role};
pub use pack::{RulePack, RulePackError};
use phrases::{Cue, CueMatch};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// A gap in good practice or a late obligation.
    Medium,
    /// A likely breach of a transparency obligation.
    High,
    /// Active deception.
    Critical,
}

impl Severity {
    /// Every severity, least serious first.
    pub const ALL: [Self; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The lowercase name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
            Self::Critical => "Critical",
        }
    }

    /// Parses a severity name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(raw.trim()))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rules of the default pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RuleId {
    /// An AI took part but never said it is an AI.
    #[serde(rename = "DISCLOSURE_MISSING")]
    DisclosureMissing,
    /// The AI said it is an AI, but not at the first interaction.
    #[serde(rename = "DISCLOSURE_LATE")]
    DisclosureLate,
    /// The AI handled the conversation alone and never offered a human.
    #[serde(rename = "HUMAN_OPTION_MISSING")]
    HumanOptionMissing,
    /// The customer asked for a human and never got one.
    #[serde(rename = "HUMAN_REQUEST_UNMET")]
    HumanRequestUnmet,
    /// The customer had to ask for a human two or more times.
    #[serde(rename = "HUMAN_REQUEST_REPEATED")]
    HumanRequestRepeated,
    /// The customer asked whether they talk to a bot, and the AI did not say.
    #[serde(rename = "IDENTITY_QUESTION_UNANSWERED")]
    IdentityQuestionUnanswered,
    /// The AI claimed to be human.
    #[serde(rename = "AI_IDENTITY_DENIED")]
    AiIdentityDenied,
}

impl RuleId {
    /// Every rule, in report order.
    pub const ALL: [Self; 7] = [
        Self::DisclosureMissing,
        Self::DisclosureLate,
        Self::HumanOptionMissing,
        Self::HumanRequestUnmet,
        Self::HumanRequestRepeated,
        Self::IdentityQuestionUnanswered,
        Self::AiIdentityDenied,
    ];

    /// The rule code used in exports.
    pub fn code(self) -> &'static str {
        match self {
            Self::DisclosureMissing => "DISCLOSURE_MISSING",
            Self::DisclosureLate => "DISCLOSURE_LATE",
            Self::HumanOptionMissing => "HUMAN_OPTION_MISSING",
            Self::HumanRequestUnmet => "HUMAN_REQUEST_UNMET",
            Self::HumanRequestRepeated => "HUMAN_REQUEST_REPEATED",
            Self::IdentityQuestionUnanswered => "IDENTITY_QUESTION_UNANSWERED",
            Self::AiIdentityDenied => "AI_IDENTITY_DENIED",
        }
    }

    /// A short title for people.
    pub fn title(self) -> &'static str {
        match self {
            Self::DisclosureMissing => "No AI disclosure",
            Self::DisclosureLate => "Late AI disclosure",
            Self::HumanOptionMissing => "No offer of a human",
            Self::HumanRequestUnmet => "Request for a human not met",
            Self::HumanRequestRepeated => "Had to ask repeatedly for a human",
            Self::IdentityQuestionUnanswered => "\"Are you a bot?\" not answered",
            Self::AiIdentityDenied => "AI claimed to be human",
        }
    }

    /// What the rule checks, in one or two plain sentences.
    pub fn description(self) -> &'static str {
        match self {
            Self::DisclosureMissing => {
                "An AI took part in the conversation, but no AI message and no platform notice told the customer they were dealing with an AI (EU AI Act Art. 50, California BOT Act)."
            }
            Self::DisclosureLate => {
                "The customer was told they were dealing with an AI, but not in the AI's first message or a notice before it (EU AI Act: at the latest at the first interaction)."
            }
            Self::HumanOptionMissing => {
                "The AI handled the conversation alone and never offered a way to reach a person."
            }
            Self::HumanRequestUnmet => {
                "While talking to the AI, the customer asked for a person, and no human agent joined and no transfer followed (CFPB 'doom loop')."
            }
            Self::HumanRequestRepeated => {
                "The customer reached a person only after asking for one two or more times."
            }
            Self::IdentityQuestionUnanswered => {
                "The customer asked whether they were talking to a bot or a person, and the AI's next reply did not say it is an AI (Utah AI disclosure on request)."
            }
            Self::AiIdentityDenied => "An AI message claimed to be a human or denied being a bot.",
        }
    }

    /// How serious a breach of the rule is.
    pub fn severity(self) -> Severity {
        match self {
            Self::DisclosureMissing
            | Self::HumanRequestUnmet
            | Self::IdentityQuestionUnanswered => Severity::High,
            Self::DisclosureLate | Self::HumanOptionMissing | Self::HumanRequestRepeated => {
                Severity::Medium
            }
            Self::AiIdentityDenied => Severity::Critical,
        }
    }

    /// Parses a rule code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How a conversation was handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandlingPath {
    /// The AI handled it alone.
    AiOnly,
    /// The AI handed it to a human.
    Escalated,
    /// Only human agents answered.
    HumanOnly,
    /// Nobody answered.
    NoAgent,
}

impl HandlingPath {
    /// Every path.
    pub const ALL: [Self; 4] = [
        Self::AiOnly,
        Self::Escalated,
        Self::HumanOnly,
        Self::NoAgent,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AiOnly => "ai_only",
            Self::Escalated => "escalated",
            Self::HumanOnly => "human_only",
            Self::NoAgent => "no_agent",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::AiOnly => "AI only",
            Self::Escalated => "Escalated to a human",
            Self::HumanOnly => "Human only",
            Self::NoAgent => "No agent",
        }
    }

    /// Whether a human handled (part of) the conversation.
    pub fn human_handled(self) -> bool {
        matches!(self, Self::Escalated | Self::HumanOnly)
    }
}

/// One breach of a rule in one conversation, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The conversation.
    pub conversation_id: String,
    /// The rule that was broken.
    pub rule: RuleId,
    /// How serious it is.
    pub severity: Severity,
    /// The 0-based position of the message the finding is about, if it is about one.
    pub message_index: Option<usize>,
    /// The time of that message, if known.
    pub timestamp: Option<DateTime<Utc>>,
    /// The quoted text the finding rests on (empty when the finding is about something missing).
    pub evidence: String,
    /// Why this is a finding, in one plain sentence.
    pub explanation: String,
    /// Which input the conversation came from.
    #[serde(skip)]
    pub source: usize,
    /// Where the evidence sits inside the message text (byte range), for highlighting.
    #[serde(skip)]
    pub evidence_span: Option<(usize, usize)>,
}

/// What the metrics need to know about one conversation; small, so a million of them fit easily.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConversationFacts {
    /// The conversation id.
    pub id: String,
    /// Which input it came from.
    pub source: usize,
    /// The channel, or "unknown".
    pub channel: String,
    /// How it was handled.
    pub path: HandlingPath,
    /// Number of messages (and events).
    pub messages: usize,
    /// Whether the customer was told they dealt with an AI.
    pub disclosed: bool,
    /// Whether that happened at the first AI interaction.
    pub disclosed_in_time: bool,
    /// Whether a way to a human was offered.
    pub human_offered: bool,
    /// How often the customer asked for a human while with the AI.
    pub human_requests: usize,
    /// Whether a request for a human went unmet.
    pub human_request_unmet: bool,
    /// Transfers after which the AI carried on and no human came.
    pub failed_handoffs: usize,
    /// Seconds from the first AI message to the first human message, if escalated and timed.
    pub secs_to_escalation: Option<f64>,
    /// AI messages before the escalation, if escalated.
    pub ai_turns_before_escalation: Option<usize>,
    /// The satisfaction rating, 1–5.
    pub csat: Option<f64>,
    /// When the conversation started.
    pub started_at: Option<DateTime<Utc>>,
}

impl ConversationFacts {
    /// Whether an AI took part.
    pub fn ai_involved(&self) -> bool {
        matches!(self.path, HandlingPath::AiOnly | HandlingPath::Escalated)
    }
}

/// A cue found in one message.
#[derive(Clone, Copy, Debug)]
struct Hit {
    index: usize,
    span: CueMatch,
}

/// Applies every rule to one conversation.
pub fn analyse(conversation: &Conversation, pack: &RulePack) -> (ConversationFacts, Vec<Finding>) {
    let phrases = &pack.phrases;
    let messages = &conversation.messages;
    let first_ai = messages.iter().position(|m| m.role == Role::Ai);
    let ai_after = |index: usize| messages.iter().skip(index + 1).any(|m| m.role == Role::Ai);
    let human_after = |index: usize| {
        messages
            .iter()
            .skip(index + 1)
            .any(|m| m.role == Role::HumanAgent)
    };

    let first_human_after_ai = first_ai.and_then(|ai| {
        messages
            .iter()
            .enumerate()
            .skip(ai + 1)
            .find(|(_, m)| m.role == Role::HumanAgent)
            .map(|(i, _)| i)
    });
    let handoffs: Vec<usize> = indices(messages, |m| m.event == Some(EventKind::Handoff));
    // A transfer the log ends on (no AI message after it) counts as reaching a human; the human part is
    // often logged elsewhere.
    let final_handoff = handoffs.iter().copied().find(|&i| !ai_after(i));
    let failed_handoffs = handoffs
        .iter()
        .filter(|&&i| ai_after(i) && !human_after(i))
        .count();

    let path = match first_ai {
        Some(_) if first_human_after_ai.is_some() || final_handoff.is_some() => {
            HandlingPath::Escalated
        }
        Some(_) => HandlingPath::AiOnly,
        None if messages.iter().any(|m| m.role == Role::HumanAgent) => HandlingPath::HumanOnly,
        None => HandlingPath::NoAgent,
    };
    // Where the customer reached (or was sent to) a human: the earlier of the transfer and the first
    // human message.
    let escalation_point = match (first_human_after_ai, final_handoff) {
        (Some(h), Some(t)) => Some(h.min(t)),
        (h, t) => h.or(t),
    };

    let mut findings = Vec::new();
    let mut finding =
        |rule: RuleId, index: Option<usize>, span: Option<CueMatch>, explanation: String| {
            let message = index.and_then(|i| messages.get(i));
            let (evidence, evidence_span) = match (message, span) {
                (Some(m), Some(s)) => (
                    m.text.get(s.start..s.end).unwrap_or_default().to_owned(),
                    Some((s.start, s.end)),
                ),
                (Some(m), None) => (excerpt(&m.text), None),
                _ => (String::new(), None),
            };
            findings.push(Finding {
                conversation_id: conversation.id.clone(),
                rule,
                severity: rule.severity(),
                message_index: index,
                timestamp: message.and_then(|m| m.timestamp),
                evidence,
                explanation,
                source: conversation.source,
                evidence_span,
            });
        };

    // Disclosures: AI messages that say so, disclosure events, and platform notices that say so.
    let disclosures: Vec<Hit> = hits(messages, |m| match m.role {
        Role::Ai => phrases.find(Cue::AiDisclosure, &m.text),
        Role::System if m.event == Some(EventKind::Disclosure) => Some(CueMatch {
            start: 0,
            end: m.text.len(),
        }),
        Role::System if m.event.is_none() => phrases.find(Cue::AiDisclosure, &m.text),
        _ => None,
    });
    let offers: Vec<Hit> = hits(messages, |m| match m.role {
        Role::Ai => phrases.find(Cue::HumanOffer, &m.text),
        Role::System if m.event == Some(EventKind::HumanOption) => Some(CueMatch {
            start: 0,
            end: m.text.len(),
        }),
        Role::System if m.event.is_none() => phrases.find(Cue::HumanOffer, &m.text),
        _ => None,
    });
    let denials: Vec<Hit> = hits(messages, |m| {
        (m.role == Role::Ai)
            .then(|| phrases.find(Cue::IdentityDenial, &m.text))
            .flatten()
    });
    // Only what the customer said before a human joined counts as said to the AI.
    let with_ai = |i: usize| {
        first_ai.is_some() && messages.iter().take(i).all(|m| m.role != Role::HumanAgent)
    };
    let requests: Vec<Hit> = hits(messages, |m| {
        (m.role == Role::Customer)
            .then(|| phrases.find(Cue::HumanRequest, &m.text))
            .flatten()
    })
    .into_iter()
    .filter(|h| with_ai(h.index))
    .collect();
    let questions: Vec<Hit> = hits(messages, |m| {
        (m.role == Role::Customer)
            .then(|| phrases.find(Cue::IdentityQuestion, &m.text))
            .flatten()
    })
    .into_iter()
    .filter(|h| with_ai(h.index))
    .collect();

    let mut disclosed = false;
    let mut disclosed_in_time = false;
    let mut human_offered = false;
    let mut human_request_unmet = false;

    if let Some(first_ai) = first_ai {
        let first_disclosure = disclosures.first();
        disclosed = first_disclosure.is_some();
        disclosed_in_time = first_disclosure.is_some_and(|d| d.index <= first_ai);
        match first_disclosure {
            None => finding(
                RuleId::DisclosureMissing,
                Some(first_ai),
                None,
                format!(
                    "The AI took part ({} AI message(s)) but never told the customer it is an AI, and no notice did",
                    messages.iter().filter(|m| m.role == Role::Ai).count()
                ),
            ),
            Some(late) if late.index > first_ai => finding(
                RuleId::DisclosureLate,
                Some(first_ai),
                None,
                format!(
                    "The first AI message (message {}) does not say it is an AI; that was only said in message {}: \"{}\"",
                    first_ai + 1,
                    late.index + 1,
                    quote(messages, *late)
                ),
            ),
            Some(_) => {}
        }

        human_offered = !offers.is_empty();
        if path == HandlingPath::AiOnly && !human_offered {
            finding(
                RuleId::HumanOptionMissing,
                None,
                None,
                format!(
                    "The AI handled the whole conversation ({} messages) and never offered a way to reach a person",
                    messages.len()
                ),
            );
        }

        // A request is met by a human message or a final transfer that comes after it.
        let met_after = |i: usize| human_after(i) || final_handoff.is_some_and(|t| t > i);
        if let Some(first_unmet) = requests.iter().find(|r| !met_after(r.index)) {
            human_request_unmet = true;
            let unmet = requests.iter().filter(|r| !met_after(r.index)).count();
            finding(
                RuleId::HumanRequestUnmet,
                Some(first_unmet.index),
                Some(first_unmet.span),
                format!(
                    "The customer asked for a person{} and no human agent joined and no transfer followed",
                    if unmet > 1 {
                        format!(" {unmet} times")
                    } else {
                        String::new()
                    }
                ),
            );
        }
        if let Some(point) = escalation_point {
            let before: Vec<&Hit> = requests.iter().filter(|r| r.index < point).collect();
            if let Some(second) = before.get(1) {
                finding(
                    RuleId::HumanRequestRepeated,
                    Some(second.index),
                    Some(second.span),
                    format!(
                        "The customer asked for a person {} times (messages {}) before reaching one",
                        before.len(),
                        before
                            .iter()
                            .map(|r| (r.index + 1).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }

        for question in &questions {
            let reply = messages
                .iter()
                .enumerate()
                .skip(question.index + 1)
                .find(|(_, m)| m.role == Role::Ai)
                .map(|(i, _)| i);
            let Some(reply) = reply else { continue };
            let answered = disclosures.iter().any(|d| d.index == reply);
            let denied = denials.iter().any(|d| d.index == reply);
            if !answered && !denied {
                finding(
                    RuleId::IdentityQuestionUnanswered,
                    Some(reply),
                    None,
                    format!(
                        "The customer asked \"{}\" (message {}) and the AI's reply does not say it is an AI",
                        quote(messages, *question),
                        question.index + 1
                    ),
                );
            }
        }
        for denial in &denials {
            let asked = questions.iter().rev().find(|q| q.index < denial.index);
            let context = match asked {
                Some(q) => format!(" in reply to \"{}\"", quote(messages, *q)),
                None => String::new(),
            };
            finding(
                RuleId::AiIdentityDenied,
                Some(denial.index),
                Some(denial.span),
                format!("An AI message claims to be human{context}"),
            );
        }
    }

    let secs_to_escalation = first_ai.zip(first_human_after_ai).and_then(|(a, h)| {
        let start = messages.get(a)?.timestamp?;
        let end = messages.get(h)?.timestamp?;
        Some((end - start).num_milliseconds() as f64 / 1000.0)
    });
    let ai_turns_before_escalation = escalation_point.map(|point| {
        messages
            .iter()
            .take(point)
            .filter(|m| m.role == Role::Ai)
            .count()
    });

    let facts = ConversationFacts {
        id: conversation.id.clone(),
        source: conversation.source,
        channel: conversation
            .channel
            .clone()
            .unwrap_or_else(|| "unknown".to_owned()),
        path,
        messages: messages.len(),
        disclosed,
        disclosed_in_time,
        human_offered,
        human_requests: requests.len(),
        human_request_unmet,
        failed_handoffs,
        secs_to_escalation,
        ai_turns_before_escalation,
        csat: conversation.csat,
        started_at: conversation.started_at(),
    };
    (facts, findings)
}

fn indices(messages: &[Message], keep: impl Fn(&Message) -> bool) -> Vec<usize> {
    messages
        .iter()
        .enumerate()
        .filter(|(_, m)| keep(m))
        .map(|(i, _)| i)
        .collect()
}

fn hits(messages: &[Message], find: impl Fn(&Message) -> Option<CueMatch>) -> Vec<Hit> {
    messages
        .iter()
        .enumerate()
        .filter_map(|(index, m)| find(m).map(|span| Hit { index, span }))
        .collect()
}

fn quote(messages: &[Message], hit: Hit) -> String {
    messages
        .get(hit.index)
        .and_then(|m| m.text.get(hit.span.start..hit.span.end))
        .map(excerpt)
        .unwrap_or_default()
}

/// The start of a text, cut at a word boundary, for quoting.
pub fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 200;
    let text = text.trim();
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > MAX_CHARS / 2 => cut.get(..space).unwrap_or(&cut).to_owned(),
        _ => cut,
    };
    format!("{cut}…")
}
