//! The audit rules: what must be true of every AI-handled conversation, and the facts metrics are built from.
//!
//! Each rule is one [`Rule`] in a file of its own (its id, severity, title, legal basis, explanation and
//! check together); [`REGISTRY`] lists them in report order. [`analyse`] builds a [`Context`] for one
//! conversation — its language, how it was handled, and the cues the detector ([`crate::detect`]) found in
//! each message, computed once — and runs every rule over it. Everything is linear in the conversation's
//! length.

mod ai_identity_denied;
mod context;
mod disclosure_late;
mod disclosure_missing;
mod human_option_missing;
mod human_request_repeated;
mod human_request_unmet;
mod identity_question_unanswered;
pub mod legal;
pub mod pack;
mod shared_text;
mod short_id;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::Conversation;
pub use context::{Context, Hit};
pub use legal::{Law, Provision};
pub use pack::{RulePack, RulePackError};
pub use shared_text::{SharedText, shared};
pub use short_id::ShortId;

/// One rule of the audit: what it is called, how serious it is, which law it relates to, and its check.
///
/// Findings are indicators for a person to review, not legal conclusions: see [`DISCLAIMER`].
///
/// A new rule is one new file implementing this trait, one [`RuleId`] variant and one [`REGISTRY`] line.
pub trait Rule: Sync {
    /// The rule's id.
    fn id(&self) -> RuleId;
    /// A short title for people.
    fn title(&self) -> &'static str;
    /// What the rule checks, in one or two plain sentences.
    fn description(&self) -> &'static str;
    /// The provisions of law or guidance the rule relates to, each with a plain summary; at least one.
    fn legal_basis(&self) -> &'static [Provision];
    /// How serious a breach is.
    fn severity(&self) -> Severity;
    /// Checks one conversation and pushes a finding per breach.
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>);
}

/// What every report and the app say about findings and the law.
pub const DISCLAIMER: &str = "Findings are indicators for review, not legal advice: each marks a conversation a person should read, and the provisions show which rules of law or guidance it may concern.";

/// Every rule, in report order (the order of [`RuleId::ALL`]).
pub static REGISTRY: [&dyn Rule; 7] = [
    &disclosure_missing::DisclosureMissing,
    &disclosure_late::DisclosureLate,
    &human_option_missing::HumanOptionMissing,
    &human_request_unmet::HumanRequestUnmet,
    &human_request_repeated::HumanRequestRepeated,
    &identity_question_unanswered::IdentityQuestionUnanswered,
    &ai_identity_denied::AiIdentityDenied,
];

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
#[repr(u8)]
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

    /// The rule behind the id.
    pub fn rule(self) -> &'static dyn Rule {
        REGISTRY[self as usize]
    }

    /// A short title for people.
    pub fn title(self) -> &'static str {
        self.rule().title()
    }

    /// What the rule checks, in one or two plain sentences.
    pub fn description(self) -> &'static str {
        self.rule().description()
    }

    /// The provisions the rule relates to.
    pub fn legal_basis(self) -> &'static [Provision] {
        self.rule().legal_basis()
    }

    /// The laws and guidance the rule relates to, each once, in [`Law::ALL`] order.
    pub fn laws(self) -> Vec<Law> {
        let mut laws: Vec<Law> = self.legal_basis().iter().map(|p| p.law).collect();
        laws.sort_unstable();
        laws.dedup();
        laws
    }

    /// The citations of its provisions joined by "; " ("EU AI Act Art. 50(1); Utah Code §13-77-103").
    pub fn citations(self) -> String {
        self.legal_basis()
            .iter()
            .map(|p| p.citation)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// How serious a breach of the rule is.
    pub fn severity(self) -> Severity {
        self.rule().severity()
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
    pub conversation_id: ShortId,
    /// The rule that was broken.
    pub rule: RuleId,
    /// How serious it is.
    pub severity: Severity,
    /// The 0-based position of the message the finding is about, if it is about one.
    pub message_index: Option<usize>,
    /// The time of that message, if known.
    pub timestamp: Option<DateTime<Utc>>,
    /// The quoted text the finding rests on (empty when the finding is about something missing); shared
    /// with equal quotes of other findings ([`shared`]).
    pub evidence: SharedText,
    /// Why this is a finding, in one plain sentence; shared with equal explanations ([`shared`]).
    pub explanation: SharedText,
    /// Which input the conversation came from.
    #[serde(skip)]
    pub source: usize,
    /// Where the evidence sits inside the message text (byte range, 32-bit: a line is at most 16 MiB),
    /// for highlighting.
    #[serde(skip)]
    pub evidence_span: Option<(u32, u32)>,
    /// Further evidence in other messages ("had to ask repeatedly": every earlier request); empty for
    /// most findings.
    #[serde(skip)]
    pub more_evidence: Box<[MoreEvidence]>,
}

/// Evidence of a finding in another message than its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoreEvidence {
    /// The 0-based position of the message.
    pub message_index: usize,
    /// Where the evidence sits inside the message text (byte range).
    pub span: (usize, usize),
    /// The quoted text.
    pub evidence: String,
}

/// What the metrics need to know about one conversation; small, so a million of them fit easily.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConversationFacts {
    /// The conversation id (inline when short: [`ShortId`]).
    pub id: ShortId,
    /// The conversation's language (ISO 639-1 where it has one), as detected or set; shared ([`shared`]).
    pub language: SharedText,
    /// Whether the rules were applied: false for a language the rule pack does not cover.
    pub assessed: bool,
    /// Which input it came from.
    pub source: usize,
    /// The channel, or "unknown"; shared with the other conversations of that channel ([`shared`]).
    pub channel: SharedText,
    /// How it was handled.
    pub path: HandlingPath,
    /// Number of messages (and events).
    pub messages: u32,
    /// Whether the customer was told they dealt with an AI.
    pub disclosed: bool,
    /// Whether that happened at the first AI interaction.
    pub disclosed_in_time: bool,
    /// Whether a way to a human was offered.
    pub human_offered: bool,
    /// How often the customer asked for a human while with the AI.
    pub human_requests: u32,
    /// Whether a request for a human went unmet.
    pub human_request_unmet: bool,
    /// Transfers after which the AI carried on and no human came.
    pub failed_handoffs: u32,
    /// Seconds from the first AI message to the first human message, if escalated and timed.
    pub secs_to_escalation: Option<f64>,
    /// AI messages before the escalation, if escalated.
    pub ai_turns_before_escalation: Option<u32>,
    /// The satisfaction rating, 1–5.
    pub csat: Option<f64>,
    /// When the conversation started.
    pub started_at: Option<DateTime<Utc>>,
    /// The time of its last timed message, for the period a report covers.
    pub ended_at: Option<DateTime<Utc>>,
}

impl ConversationFacts {
    /// Whether an AI took part.
    pub fn ai_involved(&self) -> bool {
        matches!(self.path, HandlingPath::AiOnly | HandlingPath::Escalated)
    }
}

/// Applies every rule to one conversation, in the pack's language override or the detected language.
pub fn analyse(conversation: &Conversation, pack: &RulePack) -> (ConversationFacts, Vec<Finding>) {
    let ctx = Context::new(conversation, pack, pack.language.as_deref());
    let mut findings = Vec::new();
    if ctx.assessed && ctx.first_ai.is_some() {
        for rule in REGISTRY {
            rule.check(&ctx, &mut findings);
        }
    }
    (ctx.facts(), findings)
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
