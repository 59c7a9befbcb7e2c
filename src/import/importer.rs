//! Platform importers: one per export format of a contact-centre or chatbot platform, each recognising its
//! files by content, all feeding the same shared step.
//!
//! An importer reads its platform's records and hands over [`PlatformMessage`]s, already typed: the
//! platform decides who spoke (never guessed), whether a record was internal, which events are handoffs
//! and ratings. The shared [`Records`] step groups them into conversations through the same [`Grouper`]
//! the canonical formats use, counts what was left out and why, and reports problems by place.
//!
//! A new platform is one new file in `platform/` and one line in [`IMPORTERS`].

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::record::{Record, clip};
use super::{Grouper, ImportError, ImportProgress, InputReport, platform};
use crate::model::{Conversation, EventKind, Message, Role};

/// The start of a file, as an importer sees it to decide whether the file is one of its own.
pub struct Head<'a> {
    /// The first bytes of the file (up to 64 KB), decoded as text.
    pub text: &'a str,
}

impl Head<'_> {
    /// Whether the head names the JSON key `key` (as `"key":`).
    #[must_use]
    pub fn has_key(&self, key: &str) -> bool {
        let quoted = format!("\"{key}\"");
        let mut rest = self.text;
        while let Some(at) = rest.find(&quoted) {
            let after = rest.get(at + quoted.len()..).unwrap_or("");
            if after.trim_start().starts_with(':') {
                return true;
            }
            rest = after;
        }
        false
    }

    /// Whether the head holds the JSON member `"key": "value"` (spacing as written).
    #[must_use]
    pub fn has_member(&self, key: &str, value: &str) -> bool {
        let quoted = format!("\"{key}\"");
        let mut rest = self.text;
        while let Some(at) = rest.find(&quoted) {
            let after = rest.get(at + quoted.len()..).unwrap_or("");
            if let Some(v) = after.trim_start().strip_prefix(':') {
                if v.trim_start().starts_with(&format!("\"{value}\"")) {
                    return true;
                }
            }
            rest = after;
        }
        false
    }

    /// The first non-blank line.
    #[must_use]
    pub fn first_line(&self) -> &str {
        self.text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
    }

    /// Whether the text starts (after blanks) with `c`.
    #[must_use]
    pub fn starts_with(&self, c: char) -> bool {
        self.text.trim_start().starts_with(c)
    }
}

/// One platform's export format.
pub trait LogImporter: Sync {
    /// A short stable id, as in import reports: `"intercom"`.
    fn id(&self) -> &'static str;

    /// What people call the format: "Intercom conversations".
    fn name(&self) -> &'static str;

    /// How Candor reads it, in one plain sentence for the user (who is the customer, who the AI, …).
    fn reading(&self) -> &'static str;

    /// Whether a file starting with `head` is in this format. Decline anything uncertain: the next
    /// importer, and finally the canonical formats, get their turn.
    fn recognise(&self, head: &Head<'_>) -> bool;

    /// Reads the whole input.
    fn read(&self, input: &mut dyn BufRead, out: &mut Records<'_>) -> Result<(), ImportError>;
}

/// Every platform importer, tried in this order before the canonical formats.
pub static IMPORTERS: &[&dyn LogImporter] = &[
    &platform::intercom::Intercom,
    &platform::amazon_connect::AmazonConnect,
    &platform::zendesk::Zendesk,
    &platform::salesforce::Salesforce,
    &platform::liveperson::LivePerson,
    &platform::chatwoot::Chatwoot,
    &platform::freshchat::Freshchat,
    &platform::genesys::Genesys,
    &platform::rasa::Rasa,
    &platform::bot_framework::BotFramework,
    &platform::dialogflow_cx::DialogflowCx,
    &platform::twilio::Twilio,
];

/// The importer that recognises a file starting with `head`, if any.
#[must_use]
pub fn recognise(head: &Head<'_>) -> Option<&'static dyn LogImporter> {
    IMPORTERS.iter().copied().find(|i| i.recognise(head))
}

/// A message as a platform importer found it, already typed.
#[derive(Clone, Debug, Default)]
pub struct PlatformMessage {
    /// The conversation (contact, ticket, session) it belongs to.
    pub conversation_id: String,
    /// Who wrote it.
    pub role: Option<Role>,
    /// What the customer saw, as plain text.
    pub text: String,
    /// When it was sent.
    pub timestamp: Option<DateTime<Utc>>,
    /// The platform event it carries.
    pub event: Option<EventKind>,
    /// A satisfaction rating (1–5) it carries.
    pub csat: Option<f64>,
    /// Whether it is an internal note.
    pub internal: bool,
    /// The conversation's channel, if the record names it.
    pub channel: Option<String>,
    /// The 1-based line, or record number, in the file.
    pub line: u64,
}

/// The shared step platform importers write to: builds conversations, counts and reports.
pub struct Records<'a> {
    pub(crate) grouper: &'a mut Grouper,
    pub(crate) report: &'a mut InputReport,
    pub(crate) progress: &'a ImportProgress,
    pub(crate) sink: &'a mut dyn FnMut(Conversation),
    /// Records that are not messages (typing indicators, status changes), counted by kind.
    left_out: BTreeMap<String, u64>,
    /// The user's import profile, if any: its speaker lists decide roles where the platform has none.
    pub profile: Option<std::sync::Arc<super::profile::ImportProfile>>,
}

impl<'a> Records<'a> {
    pub(crate) fn new(
        grouper: &'a mut Grouper,
        report: &'a mut InputReport,
        progress: &'a ImportProgress,
        sink: &'a mut dyn FnMut(Conversation),
    ) -> Self {
        Self {
            grouper,
            report,
            progress,
            sink,
            left_out: BTreeMap::new(),
            profile: None,
        }
    }

    /// Adds one message. A message without a speaker, or without text, event or rating, is skipped with a
    /// warning naming `place`.
    pub fn push(&mut self, message: PlatformMessage, place: &str) -> Result<(), ImportError> {
        if self.progress.cancelled() {
            return Err(ImportError::Cancelled);
        }
        let Some(role) = message.role else {
            self.report.skip(
                None,
                format!("{place}: Candor cannot tell who wrote this record, so it was skipped"),
            );
            return Ok(());
        };
        if message.conversation_id.trim().is_empty() {
            self.report.skip(
                None,
                format!("{place}: the record names no conversation, so it was skipped"),
            );
            return Ok(());
        }
        let text = message.text.trim().to_owned();
        if text.is_empty() && message.event.is_none() && message.csat.is_none() {
            self.left_out("records without text".to_owned());
            return Ok(());
        }
        let record = Record {
            conversation_id: message.conversation_id,
            channel: message.channel,
            message: Message {
                role,
                text,
                timestamp: message.timestamp,
                event: message.event,
                csat: message.csat,
                line: message.line,
                internal: message.internal,
            },
            extra: Vec::new(),
        };
        self.grouper.push(record, self.report, self.sink)
    }

    /// Sets the channel and rating of a conversation already started.
    pub fn conversation_facts(&mut self, id: &str, channel: Option<String>, csat: Option<f64>) {
        self.grouper.set_conversation_facts(id, channel, csat);
    }

    /// Counts a record that is not a message (a typing indicator, a status change): left out, and said so
    /// once per kind at the end.
    pub fn left_out(&mut self, kind: String) {
        *self.left_out.entry(kind).or_insert(0) += 1;
    }

    /// A problem that did not stop the import.
    pub fn warn(&mut self, place: &str, message: impl Into<String>) {
        self.report
            .warn(None, format!("{place}: {}", message.into()));
    }

    /// A record that could not be used.
    pub fn skip(&mut self, place: &str, message: impl Into<String>) {
        self.report
            .skip(None, format!("{place}: {}", message.into()));
    }

    /// Whether the user asked to stop.
    pub fn check_cancel(&self) -> Result<(), ImportError> {
        if self.progress.cancelled() {
            Err(ImportError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Writes the once-per-file summary of what was left out.
    pub(crate) fn finish(self) {
        for (kind, count) in self.left_out {
            self.report.warn(
                None,
                format!("{count} {kind} are not messages the customer read and were left out"),
            );
        }
    }
}

/// Reads the whole input as one JSON document. `None` (with the reason in the report) when it is not one.
pub fn read_document(
    input: &mut dyn BufRead,
    out: &mut Records<'_>,
) -> Result<Option<Value>, ImportError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(super::io_error)?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(value) => Ok(Some(value)),
        Err(err) => {
            out.report.error = Some(format!(
                "The file is not valid JSON ({}, line {}, column {}), so it could not be read",
                super::jsonl::plain_json_error(&err),
                err.line(),
                err.column()
            ));
            Ok(None)
        }
    }
}

/// Reads the input as JSON: one document, or (when the whole is not one document) JSON Lines. Returns
/// each top-level value with its line number (1 for a document). Lines that are not JSON objects are
/// skipped and reported.
pub fn read_values(
    input: &mut dyn BufRead,
    out: &mut Records<'_>,
) -> Result<Vec<(u64, Value)>, ImportError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(super::io_error)?;
    let whole = serde_json::from_slice::<Value>(&bytes);
    let err = match whole {
        Ok(value) => return Ok(vec![(1, value)]),
        Err(err) => err,
    };
    // Exports written by hand or by scripts often leave a comma before a closing bracket.
    if let Some(repaired) = without_trailing_commas(&bytes) {
        if let Ok(value) = serde_json::from_slice::<Value>(&repaired) {
            out.report.warn(
                None,
                "the file has commas before closing brackets, which JSON does not allow; it was read as if they were not there",
            );
            return Ok(vec![(1, value)]);
        }
    }
    // One document spread over many lines (its first line is no JSON value of its own) that does not
    // parse is one problem, said once with its place, not a complaint about every line.
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .unwrap_or_default();
    if serde_json::from_slice::<Value>(first_line).is_err() {
        out.report.error = Some(format!(
            "The file is not valid JSON ({}, line {}, column {}), so it could not be read",
            super::jsonl::plain_json_error(&err),
            err.line(),
            err.column()
        ));
        return Ok(Vec::new());
    }
    let mut values = Vec::new();
    for_each_line(&mut bytes.as_slice(), out, &mut |line, value, _| {
        values.push((line, value));
        Ok(())
    })?;
    if values.is_empty() && out.report.error.is_none() {
        out.report.error = Some(
            "The file is neither one JSON document nor JSON Lines, so it could not be read".into(),
        );
    }
    Ok(values)
}

/// `bytes` with every comma that stands right before a closing `}` or `]` (outside strings) removed;
/// `None` when there is none.
fn without_trailing_commas(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut in_string, mut escaped, mut removed) = (false, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b',' {
            let next = bytes
                .get(i + 1..)
                .and_then(|rest| rest.iter().find(|c| !c.is_ascii_whitespace()));
            if matches!(next, Some(b'}' | b']')) {
                removed = true;
                continue;
            }
        }
        out.push(b);
    }
    removed.then_some(out)
}

/// Calls `each` with every JSON line of the input (1-based line numbers); lines that are not JSON objects
/// are skipped and reported.
pub fn for_each_line(
    input: &mut dyn BufRead,
    out: &mut Records<'_>,
    each: &mut dyn FnMut(u64, Value, &mut Records<'_>) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut reader = input;
    while let Some(too_long) = super::read_line_capped(&mut reader, &mut buf, super::MAX_LINE_BYTES)
        .map_err(super::io_error)?
    {
        line_no += 1;
        out.check_cancel()?;
        if too_long {
            out.report.skip(
                Some(line_no),
                "the line is too long to read and was skipped",
            );
            continue;
        }
        let text = String::from_utf8_lossy(&buf);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(trimmed) {
            Ok(value @ Value::Object(_)) => each(line_no, value, out)?,
            Ok(other) => out.report.skip(
                Some(line_no),
                format!(
                    "the line is {}, not a JSON object",
                    super::record::kind_of(&other)
                ),
            ),
            Err(err) => out.report.skip(
                Some(line_no),
                format!(
                    "the line is not valid JSON ({}): {}",
                    super::jsonl::plain_json_error(&err),
                    clip(trimmed)
                ),
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_commas_are_removed_outside_strings_only() {
        let fixed = without_trailing_commas(
            br#"{"a": [1, 2,], "b": "x,]", "c": {"d": 1,
        },}"#,
        )
        .unwrap();
        let value: Value = serde_json::from_slice(&fixed).unwrap();
        assert_eq!(value["b"], "x,]");
        assert_eq!(value["a"].as_array().map(Vec::len), Some(2));
        assert!(without_trailing_commas(br#"{"a": "1,}"}"#).is_none());
    }
}
