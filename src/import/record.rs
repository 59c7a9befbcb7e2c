//! The shared second step of every importer: loosely typed fields in, a validated message out.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use serde_json::Value;

use super::InputReport;
use super::fields::Field;
use super::profile::Speaker;
use crate::model::{EventKind, Message, Role};

/// One record as a format module found it, before validation.
#[derive(Debug, Default)]
pub struct RawFields {
    /// The 1-based line (or record) number.
    pub line: u64,
    /// Conversation id as found (text or number).
    pub conversation_id: Option<Value>,
    /// Role as found.
    pub role: Option<Value>,
    /// Text as found.
    pub text: Option<Value>,
    /// Timestamp as found.
    pub timestamp: Option<Value>,
    /// Channel as found.
    pub channel: Option<Value>,
    /// Event as found.
    pub event: Option<Value>,
    /// Rating as found.
    pub csat: Option<Value>,
    /// Whether the record is an internal note, as found.
    pub internal: Option<Value>,
    /// Every other field, as text.
    pub extra: Vec<(String, String)>,
}

impl RawFields {
    /// Where the value of `field` goes.
    pub fn slot(&mut self, field: Field) -> &mut Option<Value> {
        match field {
            Field::ConversationId => &mut self.conversation_id,
            Field::Role => &mut self.role,
            Field::Text => &mut self.text,
            Field::Timestamp => &mut self.timestamp,
            Field::Channel => &mut self.channel,
            Field::Event => &mut self.event,
            Field::Csat => &mut self.csat,
            Field::Internal => &mut self.internal,
        }
    }
}

/// A validated record: the message plus what it says about its conversation.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// The conversation it belongs to.
    pub conversation_id: String,
    /// The channel, if the record names one.
    pub channel: Option<String>,
    /// The message itself.
    pub message: Message,
    /// Other fields, kept as conversation metadata.
    pub extra: Vec<(String, String)>,
}

/// Validates records, remembering per-file facts such as whether naive times were already reported.
#[derive(Debug, Default)]
pub struct RecordBuilder {
    naive_times: u64,
    first_naive_line: Option<u64>,
    /// The import profile in use, if the user chose one: its field names and speaker values.
    pub profile: Option<std::sync::Arc<super::profile::ImportProfile>>,
    /// Speaker values no list of the profile names, with how often each was seen.
    unmapped_speakers: std::collections::BTreeMap<String, u64>,
    /// Where the current record is, for formats without line numbers (JSON documents), e.g.
    /// "Conversation 12 (id c12), message 3". When set, warnings carry this instead of a line.
    pub place: Option<String>,
}

impl RecordBuilder {
    /// Validates one record. Problems are written to `report`; `None` means the record was skipped.
    ///
    /// `default_id` is used when the record itself names no conversation (records nested in a JSON
    /// conversation).
    pub fn build(
        &mut self,
        raw: RawFields,
        default_id: Option<&str>,
        report: &mut InputReport,
    ) -> Option<Record> {
        let line = Some(raw.line);
        let conversation_id = match raw.conversation_id.as_ref().map(id_text) {
            Some(Ok(id)) if !id.is_empty() => id,
            Some(Err(kind)) => {
                self.skip(
                    report,
                    line,
                    format!("the conversation id is {kind}; it must be text or a whole number"),
                );
                return None;
            }
            _ => match default_id {
                Some(id) => id.to_owned(),
                None => {
                    self.skip(report, line, "the record has no conversation id, so it cannot be placed in a conversation");
                    return None;
                }
            },
        };

        let event_text = self.text_field(raw.event.as_ref(), "event", line, report);
        let channel = self.text_field(raw.channel.as_ref(), "channel", line, report);
        let event = match event_text {
            Some(name) => match EventKind::parse(&name) {
                Some(kind) => Some(kind),
                // Exports often label ordinary messages with a type column; those are not events.
                None if is_plain_message_type(&name) => None,
                None => {
                    self.warn(
                        report,
                        line,
                        format!(
                            "unknown event \"{}\"; the line is kept as an ordinary message",
                            clip(&name)
                        ),
                    );
                    None
                }
            },
            None => None,
        };

        // Under a profile, speaker values map to roles by its lists; an unlisted value is not guessed.
        let mut internal = raw.internal.as_ref().is_some_and(truthy);
        let mut raw = raw;
        if let Some(profile) = self.profile.as_deref().filter(|p| p.maps_speakers()) {
            let value = raw.role.as_ref().and_then(non_empty_text);
            match value.as_deref().map(|v| (v, profile.speaker(v))) {
                Some((_, Some(Speaker::Role(role)))) => {
                    raw.role = Some(Value::String(role.as_str().to_owned()));
                }
                Some((_, Some(Speaker::Internal))) => {
                    raw.role = Some(Value::String(Role::HumanAgent.as_str().to_owned()));
                    internal = true;
                }
                // Candor's own role names ("ai", "customer", "agent") need no profile.
                Some((v, None)) if Role::parse(v).is_some() => {}
                Some((v, None)) => {
                    if self.unmapped_speakers.len() < 1000 || self.unmapped_speakers.contains_key(v)
                    {
                        *self.unmapped_speakers.entry(clip(v)).or_insert(0) += 1;
                    }
                    report.skipped += 1;
                    return None;
                }
                None => {}
            }
        }
        let role =
            match raw.role.as_ref() {
                Some(Value::String(name)) if !name.trim().is_empty() => match Role::parse(name) {
                    Some(role) => role,
                    None => {
                        self.skip(report, line,
                        format!(
                            "unknown role \"{}\" (expected customer, ai, human_agent or system)",
                            clip(name)
                        ),
                    );
                        return None;
                    }
                },
                Some(Value::String(_) | Value::Null) | None if event.is_some() => Role::System,
                Some(Value::String(_) | Value::Null) | None => {
                    self.skip(
                        report,
                        line,
                        "the record does not say who wrote it (no role)",
                    );
                    return None;
                }
                Some(other) => {
                    self.skip(
                        report,
                        line,
                        format!(
                            "the role is {}; it must be text such as \"customer\" or \"ai\"",
                            kind_of(other)
                        ),
                    );
                    return None;
                }
            };

        let text = match raw.text {
            Some(Value::String(text)) => text,
            Some(Value::Null) | None => String::new(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => {
                self.skip(
                    report,
                    line,
                    format!("the message text is {}; it must be text", kind_of(&other)),
                );
                return None;
            }
        };
        if text.trim().is_empty() && event.is_none() && raw.csat.is_none() {
            self.skip(report, line, "the message has no text");
            return None;
        }

        let timestamp = raw
            .timestamp
            .as_ref()
            .and_then(|value| self.timestamp(value, raw.line, report));
        let csat = raw
            .csat
            .as_ref()
            .and_then(|value| self.csat(value, raw.line, report));
        if event == Some(EventKind::Csat) && csat.is_none() {
            self.warn(report, line, "a satisfaction event without a usable rating");
        }

        Some(Record {
            conversation_id,
            channel,
            message: Message {
                role,
                text,
                timestamp,
                event,
                csat,
                line: raw.line,
                internal,
            },
            extra: raw.extra,
        })
    }

    /// A field that must be text (a number is read as text); any other type is reported, not dropped
    /// in silence.
    fn text_field(
        &self,
        value: Option<&Value>,
        what: &str,
        line: Option<u64>,
        report: &mut InputReport,
    ) -> Option<String> {
        let value = value?;
        if matches!(value, Value::Bool(_) | Value::Array(_) | Value::Object(_)) {
            self.warn(
                report,
                line,
                format!(
                    "the {what} is {}; it must be text, so it was not used",
                    kind_of(value)
                ),
            );
            return None;
        }
        non_empty_text(value)
    }

    fn timestamp(
        &mut self,
        value: &Value,
        line: u64,
        report: &mut InputReport,
    ) -> Option<DateTime<Utc>> {
        match value {
            Value::Null => None,
            Value::String(text) if text.trim().is_empty() => None,
            Value::String(text) => match parse_time(text) {
                Some((time, naive)) => {
                    if naive {
                        self.naive_times += 1;
                        self.first_naive_line.get_or_insert(line);
                    }
                    Some(time)
                }
                None => {
                    self.warn(report, Some(line),
                        format!(
                            "the time \"{}\" is not a date and time Candor understands (expected e.g. 2026-03-02T09:00:40Z); the message is kept without a time",
                            clip(text)
                        ),
                    );
                    None
                }
            },
            Value::Number(n) => match n.as_f64().and_then(epoch_time) {
                Some(time) => Some(time),
                None => {
                    self.warn(
                        report,
                        Some(line),
                        format!("the time {n} is out of range; the message is kept without a time"),
                    );
                    None
                }
            },
            other => {
                self.warn(
                    report,
                    Some(line),
                    format!(
                        "the time is {}; the message is kept without a time",
                        kind_of(other)
                    ),
                );
                None
            }
        }
    }

    fn csat(&self, value: &Value, line: u64, report: &mut InputReport) -> Option<f64> {
        let number = match value {
            Value::Null => return None,
            Value::Number(n) => n.as_f64(),
            Value::String(text) if text.trim().is_empty() => return None,
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(rating) if (1.0..=5.0).contains(&rating) => Some(rating),
            Some(rating) => {
                self.warn(report, Some(line),
                    format!("the satisfaction rating {rating} is outside the 1–5 scale and was not counted"),
                );
                None
            }
            None => {
                self.warn(
                    report,
                    Some(line),
                    format!(
                        "the satisfaction rating {} is not a number and was not counted",
                        clip(&value.to_string())
                    ),
                );
                None
            }
        }
    }

    fn warn(&self, report: &mut InputReport, line: Option<u64>, message: impl Into<String>) {
        match &self.place {
            Some(place) => report.warn(None, format!("{place}: {}", message.into())),
            None => report.warn(line, message),
        }
    }

    fn skip(&self, report: &mut InputReport, line: Option<u64>, message: impl Into<String>) {
        report.skipped += 1;
        self.warn(report, line, message);
    }

    /// A builder with the same settings and nothing seen yet, for reading part of a file on another thread.
    pub fn fresh(&self) -> RecordBuilder {
        RecordBuilder {
            profile: self.profile.clone(),
            place: self.place.clone(),
            ..RecordBuilder::default()
        }
    }

    /// Takes over what a [`RecordBuilder::fresh`] builder saw in the part of the file after this one's.
    pub fn absorb(&mut self, later: RecordBuilder) {
        self.naive_times += later.naive_times;
        if self.first_naive_line.is_none() {
            self.first_naive_line = later.first_naive_line;
        }
        for (value, count) in later.unmapped_speakers {
            if self.unmapped_speakers.len() < 1000 || self.unmapped_speakers.contains_key(&value) {
                *self.unmapped_speakers.entry(value).or_insert(0) += count;
            }
        }
    }

    /// Writes the once-per-file warnings.
    pub fn finish(&self, report: &mut InputReport) {
        for (value, count) in &self.unmapped_speakers {
            report.warn(
                None,
                format!(
                    "{} by the speaker \"{value}\" {} skipped: the import profile does not say who that is (add the value to one of its speaker lists)",
                    if *count == 1 { "1 record".to_owned() } else { format!("{count} records") },
                    if *count == 1 { "was" } else { "were" },
                ),
            );
        }
        if self.naive_times > 0 {
            report.warn(
                self.first_naive_line,
                format!(
                    "{} time(s) have no time zone, starting on this line; they were read as UTC",
                    self.naive_times
                ),
            );
        }
    }
}

/// Whether a flag field says yes: `true`, `1`, `"true"`, `"yes"`.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => matches!(
            text.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "1" | "y" | "internal" | "private"
        ),
        _ => false,
    }
}

/// Event or type values that mean "an ordinary message".
fn is_plain_message_type(name: &str) -> bool {
    matches!(
        name.trim().to_ascii_lowercase().as_str(),
        "message" | "text" | "msg" | "chat" | "reply" | "comment" | "note"
    )
}

/// Parses a time; the flag says it had no zone and was taken as UTC.
pub fn parse_time(text: &str) -> Option<(DateTime<Utc>, bool)> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some((time.with_timezone(&Utc), false));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some((time.with_timezone(&Utc), false));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some((Utc.from_utc_datetime(&naive), true));
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date
            .and_hms_opt(0, 0, 0)
            .map(|naive| (Utc.from_utc_datetime(&naive), true));
    }
    None
}

/// Seconds (or milliseconds, when the number is that large) since 1970.
pub(crate) fn epoch_time(value: f64) -> Option<DateTime<Utc>> {
    let secs = if value.abs() > 1.0e11 {
        value / 1000.0
    } else {
        value
    };
    if !secs.is_finite() {
        return None;
    }
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1.0e9) as u32;
    DateTime::from_timestamp(whole as i64, nanos)
}

fn id_text(value: &Value) -> Result<String, &'static str> {
    match value {
        Value::String(text) => Ok(text.trim().to_owned()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        Value::Null => Ok(String::new()),
        other => Err(kind_of(other)),
    }
}

fn non_empty_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A plain name for a JSON value's type.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a nested object",
    }
}

/// Bytes as text, with every byte that is not valid UTF-8 written as `\xNN`, so that two ids that differ
/// only in such bytes stay two ids (a lossy conversion would make both `\u{fffd}`). With `in_json`, the
/// backslash is itself escaped, for text that is then parsed as JSON. `None` when the bytes are valid.
pub fn escape_invalid_utf8(bytes: &[u8], in_json: bool) -> Option<String> {
    use std::fmt::Write as _;
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut text = String::with_capacity(bytes.len() + 16);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            let slash = if in_json { "\\\\" } else { "\\" };
            let _ = write!(text, "{slash}x{byte:02X}");
        }
    }
    Some(text)
}

/// Shortens untrusted text quoted in a warning.
pub fn clip(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_with_and_without_zone() {
        let (t, naive) = parse_time("2026-03-02T09:00:40Z").unwrap();
        assert!(!naive);
        assert_eq!(t.to_rfc3339(), "2026-03-02T09:00:40+00:00");
        let (t, naive) = parse_time("2026-03-02 10:00:40+01:00").unwrap();
        assert!(!naive);
        assert_eq!(t.to_rfc3339(), "2026-03-02T09:00:40+00:00");
        let (_, naive) = parse_time("2026-03-02T09:00:40").unwrap();
        assert!(naive);
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn epoch_seconds_and_millis() {
        assert_eq!(epoch_time(1_772_442_040.0), epoch_time(1_772_442_040_000.0));
    }
}
