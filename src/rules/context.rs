//! What the rules know about one conversation, worked out once: its language, how it was handled, where
//! the AI's first turn ends, and the cues in each message.

use crate::detect::text::{Tokens, tokenize};
use crate::detect::{Answer, Asked, CueMatch, Detector, MessageCues, Tally};
use crate::model::{Conversation, EventKind, Message, Role};

use super::{ConversationFacts, Finding, HandlingPath, RuleId, RulePack, ShortId, excerpt};

/// Most bytes of a conversation's text read to tell its language.
const LANGUAGE_SAMPLE_BYTES: usize = 2048;

/// A cue found in one message.
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    /// The message's position.
    pub index: usize,
    /// Where in its text.
    pub span: CueMatch,
}

/// One conversation seen by the rules.
pub struct Context<'a> {
    /// The conversation.
    pub conversation: &'a Conversation,
    /// Its messages.
    pub messages: &'a [Message],
    /// Its language code.
    pub language: String,
    /// Whether the pack covers that language.
    pub assessed: bool,
    /// The first AI message.
    pub first_ai: Option<usize>,
    /// The last message of the AI's first turn: the AI messages and notices from the first AI message
    /// until the customer's next message.
    pub first_turn_end: Option<usize>,
    /// How the conversation was handled.
    pub path: HandlingPath,
    /// Where the customer reached (or was sent to) a human.
    pub escalation_point: Option<usize>,
    /// A transfer the log ends on (no AI message after it).
    pub final_handoff: Option<usize>,
    /// Transfers after which the AI carried on and no human came.
    pub failed_handoffs: usize,
    /// The first human agent message after the first AI message.
    pub first_human_after_ai: Option<usize>,
    /// Disclosures by the AI or platform.
    pub disclosures: Vec<Hit>,
    /// Offers of a human.
    pub offers: Vec<Hit>,
    /// AI messages claiming to be human.
    pub denials: Vec<Hit>,
    /// Requests for a human made while no human had answered.
    pub requests: Vec<Hit>,
    /// The request that was a yes to the AI's offer to put the customer through (its message index):
    /// only a first ask can be one.
    pub accepted_offer: Option<usize>,
    /// Identity questions asked while no human had answered.
    pub questions: Vec<Hit>,
    /// `human_after[i]`: a human agent message comes after message `i`.
    human_after: Vec<bool>,
}

impl<'a> Context<'a> {
    /// Works out everything the rules need, in a few linear passes.
    pub fn new(conversation: &'a Conversation, pack: &RulePack, language: Option<&str>) -> Self {
        let messages = conversation.messages.as_slice();
        let n = messages.len();
        let detector = &pack.detector;
        // Each message is tokenised once: the first ones (the language sample) are kept for the cue pass.
        let mut tokens = Tokenised::new(messages);
        let (language, customer_lang, company_lang) = match language {
            Some(code) => {
                let code = code.trim().to_ascii_lowercase();
                (code.clone(), code.clone(), code)
            }
            None => {
                let mut tally = |roles: &[Role]| {
                    let mut tally = detector.tally();
                    for i in sample(messages, roles) {
                        tally.add(tokens.tally(i, detector));
                    }
                    tally
                };
                // No text to tell by: read it as English, the pack's base language.
                let both = [Role::Customer, Role::Ai];
                let overall = detector
                    .decide_language(&tally(&both), || sample_text(messages, &both))
                    .unwrap_or_else(|| "en".to_owned());
                // Each side is read in its own language when that is covered: a customer may write
                // Spanish to an assistant that answers in English.
                // Only when the side's own text says so clearly: short customer messages are easily
                // misread, and the conversation as a whole is the better guide.
                let mut side = |roles: &[Role]| {
                    let tally = tally(roles);
                    tally
                        .winner()
                        .filter(|&i| {
                            // A side in another language than the whole: trusted when the whole reads
                            // as English and the side uses words of its own language (an English bot
                            // and a Spanish customer).
                            detector.language_codes().nth(i) != Some(overall.as_str())
                                && overall == "en"
                                && tally.exclusive_words(i) > 0
                        })
                        .and_then(|i| detector.language_codes().nth(i))
                        .map_or_else(|| overall.clone(), str::to_owned)
                };
                // Sides can only differ from an English whole; do the work only then.
                let (customer, company) = if overall == "en" {
                    (side(&[Role::Customer]), side(&[Role::Ai, Role::System]))
                } else {
                    (overall.clone(), overall.clone())
                };
                (overall, customer, company)
            }
        };
        let lang_index = detector.language_index(&language);
        let assessed = lang_index.is_some();
        let customer_index = detector.language_index(&customer_lang).or(lang_index);
        let company_index = detector.language_index(&company_lang).or(lang_index);

        let first_ai = messages.iter().position(|m| m.role == Role::Ai);
        let first_turn_end = first_ai.map(|first| {
            messages
                .iter()
                .enumerate()
                .skip(first + 1)
                .find(|(_, m)| m.role == Role::Customer || m.role == Role::HumanAgent)
                .map_or(n.saturating_sub(1), |(i, _)| i - 1)
        });
        let mut human_after = vec![false; n];
        let mut ai_after = vec![false; n];
        for i in (0..n.saturating_sub(1)).rev() {
            let next = &messages[i + 1];
            human_after[i] = human_after[i + 1] || next.role == Role::HumanAgent;
            ai_after[i] = ai_after[i + 1] || next.role == Role::Ai;
        }
        let first_human_after_ai = first_ai.and_then(|ai| {
            messages
                .iter()
                .enumerate()
                .skip(ai + 1)
                .find(|(_, m)| m.role == Role::HumanAgent)
                .map(|(i, _)| i)
        });
        let handoffs: Vec<usize> = (0..n)
            .filter(|&i| messages[i].event == Some(EventKind::Handoff))
            .collect();
        let final_handoff = handoffs.iter().copied().find(|&i| !ai_after[i]);
        let failed_handoffs = handoffs
            .iter()
            .filter(|&&i| ai_after[i] && !human_after[i])
            .count();
        let path = match first_ai {
            Some(_) if first_human_after_ai.is_some() || final_handoff.is_some() => {
                HandlingPath::Escalated
            }
            Some(_) => HandlingPath::AiOnly,
            None if messages.iter().any(|m| m.role == Role::HumanAgent) => HandlingPath::HumanOnly,
            None => HandlingPath::NoAgent,
        };
        let escalation_point = match (first_human_after_ai, final_handoff) {
            (Some(h), Some(t)) => Some(h.min(t)),
            (h, t) => h.or(t),
        };

        let mut ctx = Context {
            conversation,
            messages,
            language,
            assessed,
            first_ai,
            first_turn_end,
            path,
            escalation_point,
            final_handoff,
            failed_handoffs,
            first_human_after_ai,
            disclosures: Vec::new(),
            offers: Vec::new(),
            denials: Vec::new(),
            requests: Vec::new(),
            accepted_offer: None,
            questions: Vec::new(),
            human_after,
        };
        let (Some(_), Some(customer_lang), Some(company_lang), Some(_)) =
            (lang_index, customer_index, company_index, first_ai)
        else {
            return ctx;
        };

        // The cues, message by message. Only what the customer said before a human joined counts as said
        // to the AI; an AI reply to an identity question may answer it with a bare yes or no.
        let mut human_joined = false;
        let mut pending_question: Option<Asked> = None;
        // Whether the customer's last message asked for a person.
        let mut pending_request = false;
        // Whether the AI's last message ended asking whether to put the customer through to a person
        // ("Shall I connect you with an adviser?"): a yes to it asks for one.
        let mut offer_asked = false;
        // Whether the customer's last message named an AI ("you're a bot lol").
        let mut customer_named_ai = false;
        // The name the assistant gave itself ("I'm Poppy."), folded: "is poppy a robot?" asks about it.
        let mut assistant_name: Option<String> = None;
        for (index, m) in messages.iter().enumerate() {
            let whole = CueMatch {
                start: 0,
                end: m.text.len(),
            };
            match m.role {
                Role::Ai => {
                    let mut cues =
                        detector.company_cues(company_lang, &m.text, || tokens.take(index));
                    // "Yes, Ivo is an automated assistant": the assistant speaking of itself by the
                    // name it gave. Read again only when it says nothing of itself otherwise.
                    if let Some(name) = assistant_name.as_deref()
                        && cues.disclosure.is_none()
                        && cues.denial.is_none()
                        && m.text
                            .as_bytes()
                            .windows(name.len())
                            .any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
                    {
                        let own = tokens.take(index);
                        if (0..own.len()).any(|k| own.word(k) == name) {
                            cues = detector.company_cues_named(company_lang, &own, name);
                        }
                    }
                    remember_name(&mut assistant_name, &cues, &m.text);
                    // "I want a human" — "You're already talking to one!": said to be the person asked for.
                    // "u sound like a bot" — "I promise I'm not!": told it is one, it says no.
                    let asked = pending_question.take().or_else(|| {
                        (cues.answered(Answer::Same) && pending_request)
                            .then_some(Asked::Human)
                            .or_else(|| {
                                (cues.answered(Answer::NotMe) && customer_named_ai)
                                    .then_some(Asked::Ai)
                            })
                    });
                    pending_request = false;
                    let (disclosure, mut denial) = answer_to(asked, &cues);
                    // "No robots here — every candle is poured by hand", from an AI that has said
                    // what it is, was not asked and was not told of bots: about something else.
                    if cues.bare_denial
                        && asked.is_none()
                        && !customer_named_ai
                        && denial == cues.denial
                        && !ctx.disclosures.is_empty()
                    {
                        denial = None;
                    }
                    if let Some(span) = disclosure {
                        ctx.disclosures.push(Hit { index, span });
                    }
                    if let Some(span) = denial {
                        ctx.denials.push(Hit { index, span });
                    }
                    if let Some(span) = cues.offer {
                        ctx.offers.push(Hit { index, span });
                    }
                    offer_asked = cues.offer_asked;
                }
                Role::System => {
                    // An event says what the notice is; its text may say more ("this chat is
                    // automated; type ADVISOR for a person" tagged only as a disclosure).
                    let cues = detector.company_cues(company_lang, &m.text, || tokens.take(index));
                    remember_name(&mut assistant_name, &cues, &m.text);
                    let disclosure = (m.event == Some(EventKind::Disclosure))
                        .then_some(whole)
                        .or(cues.disclosure)
                        .or(cues.ai_named);
                    let offer = (m.event == Some(EventKind::HumanOption))
                        .then_some(whole)
                        .or(cues.offer);
                    if let Some(span) = disclosure {
                        ctx.disclosures.push(Hit { index, span });
                    }
                    if let Some(span) = offer {
                        ctx.offers.push(Hit { index, span });
                    }
                }
                Role::HumanAgent => {
                    human_joined = true;
                    pending_question = None;
                    pending_request = false;
                }
                Role::Customer if !human_joined => {
                    let cues = detector.customer_cues(
                        customer_lang,
                        &tokens.take(index),
                        assistant_name.as_deref(),
                    );
                    customer_named_ai = cues.ai_named.is_some();
                    // "Would you like me to connect you with an agent?" — "yes pls": accepted, asked for
                    // (a first ask; after one, a yes asks nothing again).
                    let accepted = cues.yes.filter(|_| {
                        cues.request.is_none() && offer_asked && ctx.requests.is_empty()
                    });
                    if accepted.is_some() {
                        ctx.accepted_offer = Some(index);
                    }
                    let request = cues.request.or(accepted);
                    offer_asked = false;
                    pending_request = request.is_some();
                    if let Some(span) = request {
                        ctx.requests.push(Hit { index, span });
                    }
                    match cues.question {
                        Some((span, asked)) => {
                            ctx.questions.push(Hit { index, span });
                            pending_question = Some(asked);
                        }
                        None => pending_question = None,
                    }
                }
                Role::Customer => {}
            }
        }
        ctx
    }

    /// Whether a human agent message comes after message `index`.
    pub fn human_after(&self, index: usize) -> bool {
        self.human_after.get(index).copied().unwrap_or(false)
    }

    /// Whether a request at `index` was met: a human message or the final transfer comes after it.
    pub fn met_after(&self, index: usize) -> bool {
        self.human_after(index) || self.final_handoff.is_some_and(|t| t > index)
    }

    /// Number of AI messages.
    pub fn ai_messages(&self) -> usize {
        self.messages.iter().filter(|m| m.role == Role::Ai).count()
    }

    /// The quoted evidence of a hit, cut for an explanation.
    pub fn quote(&self, hit: Hit) -> String {
        self.messages
            .get(hit.index)
            .and_then(|m| m.text.get(hit.span.start..hit.span.end))
            .map(excerpt)
            .unwrap_or_default()
    }

    /// A finding about message `index` (if any), quoting `span` of it (or an excerpt when `None`).
    pub fn finding(
        &self,
        rule: RuleId,
        index: Option<usize>,
        span: Option<CueMatch>,
        explanation: String,
    ) -> Finding {
        // Findings are kept until the end of the audit: a million of them share their repeated texts
        // rather than each holding a copy.
        let explanation = super::shared(&explanation);
        let message = index.and_then(|i| self.messages.get(i));
        let (evidence, evidence_span) = match (message, span) {
            (Some(m), Some(s)) => (
                super::shared(m.text.get(s.start..s.end).unwrap_or_default()),
                // 32-bit offsets: a line is at most 16 MiB.
                u32::try_from(s.start).ok().zip(u32::try_from(s.end).ok()),
            ),
            (Some(m), None) => (super::shared(&excerpt(&m.text)), None),
            _ => (super::shared(""), None),
        };
        Finding {
            conversation_id: ShortId::from(self.conversation.id.as_str()),
            rule,
            severity: rule.severity(),
            message_index: index,
            timestamp: message.and_then(|m| m.timestamp),
            evidence,
            explanation,
            source: self.conversation.source,
            evidence_span,
            more_evidence: Box::default(),
        }
    }

    /// Further evidence for a finding: the cue `hit` in its message.
    pub fn more_evidence(&self, hit: &Hit) -> super::MoreEvidence {
        super::MoreEvidence {
            message_index: hit.index,
            span: (hit.span.start, hit.span.end),
            evidence: self
                .messages
                .get(hit.index)
                .and_then(|m| m.text.get(hit.span.start..hit.span.end))
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// The facts the metrics need.
    pub fn facts(&self) -> ConversationFacts {
        let messages = self.messages;
        let ai_involved = self.first_ai.is_some() && self.assessed;
        let first_disclosure = self.disclosures.first();
        let secs_to_escalation = self
            .first_ai
            .zip(self.first_human_after_ai)
            .and_then(|(a, h)| {
                // Messages without a usable time (reported when the log was read) do not count: the
                // clock starts at the first AI message that has one and stops at the first message of
                // the person who took over that has one. A clock that runs backwards gives no time.
                let person = messages.get(h)?.role;
                let start = messages
                    .get(a..h)?
                    .iter()
                    .filter(|m| m.role == Role::Ai)
                    .find_map(|m| m.timestamp)?;
                let end = messages
                    .get(h..)?
                    .iter()
                    .filter(|m| m.role == person)
                    .find_map(|m| m.timestamp)?;
                let secs = (end - start).num_milliseconds() as f64 / 1000.0;
                (secs >= 0.0).then_some(secs)
            });
        let ai_turns_before_escalation = self.escalation_point.map(|point| {
            messages
                .iter()
                .take(point)
                .filter(|m| m.role == Role::Ai)
                .count()
        });
        ConversationFacts {
            id: self.conversation.id.as_str().into(),
            language: super::shared(&self.language),
            assessed: self.assessed,
            source: self.conversation.source,
            channel: super::shared(self.conversation.channel.as_deref().unwrap_or("unknown")),
            path: self.path,
            messages: count(messages.len()),
            disclosed: ai_involved && first_disclosure.is_some(),
            disclosed_in_time: ai_involved
                && first_disclosure
                    .zip(self.first_turn_end)
                    .is_some_and(|(d, end)| d.index <= end),
            human_offered: ai_involved && !self.offers.is_empty(),
            human_requests: count(self.requests.len()),
            human_request_unmet: ai_involved
                && self.path != HandlingPath::NoAgent
                && self.requests.iter().any(|r| !self.met_after(r.index)),
            failed_handoffs: count(self.failed_handoffs),
            secs_to_escalation,
            ai_turns_before_escalation: ai_turns_before_escalation.map(count),
            csat: self.conversation.csat,
            started_at: self.conversation.started_at(),
            ended_at: messages.iter().filter_map(|m| m.timestamp).max(),
        }
    }
}

/// A count kept in the facts (32 bits: no conversation has four billion messages; one that did would
/// show the largest count rather than a wrong one).
/// Keeps the first name the assistant gives itself.
fn remember_name(name: &mut Option<String>, cues: &MessageCues, text: &str) {
    if name.is_none() {
        *name = cues
            .self_name
            .and_then(|span| Detector::folded_name(text, span));
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads an AI message as an answer to the identity question before it: "Yes" to "are you a bot?"
/// discloses, "Yes" to "are you human?" denies, and so on. Returns (disclosure, denial).
fn answer_to(asked: Option<Asked>, cues: &MessageCues) -> (Option<CueMatch>, Option<CueMatch>) {
    let (mut disclosure, mut denial) = (cues.disclosure, cues.denial);
    // A yes or no to "human or bot?" picks no side.
    let picks = |asked: Asked, answer: Answer| {
        !(asked == Asked::Either
            && matches!(
                answer,
                Answer::Yes | Answer::No | Answer::NotMe | Answer::Same
            ))
    };
    let answer = cues
        .answer
        .filter(|&(answer, _)| asked.is_none_or(|asked| picks(asked, answer)));
    if let (Some(asked), Some((answer, sentence))) = (asked, answer) {
        let says_ai = matches!(
            (asked, answer),
            (Asked::Ai, Answer::Yes | Answer::Same)
                | (Asked::Human, Answer::No | Answer::NotMe)
                | (_, Answer::Ai)
        );
        if says_ai && denial.is_none() {
            disclosure.get_or_insert(sentence);
        } else if !says_ai && disclosure.is_none() {
            denial.get_or_insert(sentence);
        }
    }
    // "Are you a bot?" — "I'm one of the colleagues here in Utrecht": presenting as a person answers
    // the question with a claim to be one.
    if asked.is_some() && disclosure.is_none() && denial.is_none() {
        denial = cues.human_role;
    }
    (disclosure, denial)
}

/// The messages the language is told from: what `roles` wrote, up to a few kilobytes.
fn sample<'m>(messages: &'m [Message], roles: &'m [Role]) -> impl Iterator<Item = usize> + 'm {
    let mut bytes = 0;
    messages
        .iter()
        .enumerate()
        .filter(|(_, m)| roles.contains(&m.role) && !m.text.trim().is_empty())
        .take_while(move |(_, m)| {
            let more = bytes <= LANGUAGE_SAMPLE_BYTES;
            bytes += m.text.len() + 1;
            more
        })
        .map(|(i, _)| i)
}

/// The text of the [`sample`] messages, one per line, for statistics.
fn sample_text(messages: &[Message], roles: &[Role]) -> String {
    let mut out = String::new();
    for i in sample(messages, roles) {
        if let Some(m) = messages.get(i) {
            out.push_str(&m.text);
            out.push('\n');
        }
    }
    out
}

/// The messages of a conversation tokenised on demand, each once: those read for the language are kept
/// until the cue pass takes them; the others are tokenised when taken. Only a bounded sample is ever
/// held, so memory does not grow with the conversation.
struct Tokenised<'m> {
    messages: &'m [Message],
    kept: Vec<Option<Tokens>>,
    /// What each kept message's words say about its language (a message is in up to two samples).
    tallies: Vec<Option<Tally>>,
    empty: Tokens,
    no_words: Tally,
}

impl<'m> Tokenised<'m> {
    fn new(messages: &'m [Message]) -> Self {
        Self {
            messages,
            kept: Vec::new(),
            tallies: Vec::new(),
            empty: Tokens::default(),
            no_words: Tally::default(),
        }
    }

    /// What message `i`'s words say about its language.
    fn tally(&mut self, i: usize, detector: &Detector) -> &Tally {
        if self.tallies.len() <= i {
            self.tallies.resize_with(i + 1, || None);
        }
        if self.tallies.get(i).is_some_and(Option::is_none) {
            let company = self
                .messages
                .get(i)
                .filter(|m| matches!(m.role, Role::Ai | Role::System));
            let tally = match company {
                // An assistant's message was most likely read before: its words are counted once.
                Some(m) => detector.company_tally(&m.text, || self.get(i)),
                None => {
                    let mut tally = detector.tally();
                    detector.count_words(self.get(i), &mut tally);
                    tally
                }
            };
            if let Some(slot) = self.tallies.get_mut(i) {
                *slot = Some(tally);
            }
        }
        self.tallies
            .get(i)
            .and_then(Option::as_ref)
            .unwrap_or(&self.no_words)
    }

    /// Message `i`'s tokens, kept for later.
    fn get(&mut self, i: usize) -> &Tokens {
        let Some(m) = self.messages.get(i) else {
            return &self.empty;
        };
        if self.kept.len() <= i {
            self.kept.resize_with(i + 1, || None);
        }
        match self.kept.get_mut(i) {
            Some(slot) => slot.get_or_insert_with(|| tokenize(&m.text)),
            None => &self.empty,
        }
    }

    /// Message `i`'s tokens, no longer kept.
    fn take(&mut self, i: usize) -> Tokens {
        match self.kept.get_mut(i).and_then(Option::take) {
            Some(tokens) => tokens,
            None => self
                .messages
                .get(i)
                .map(|m| tokenize(&m.text))
                .unwrap_or_default(),
        }
    }
}
