//! JSON Lines: one message per line.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::fields::Field;
use super::record::{RawFields, RecordBuilder, clip, escape_invalid_utf8};
use super::{
    Grouper, ImportError, ImportProgress, InputReport, MAX_LINE_BYTES, io_error, read_line_capped,
};
use crate::model::Conversation;

/// Reads every line, skipping (and reporting) the ones that are not usable messages.
pub fn read(
    reader: &mut impl BufRead,
    builder: &mut RecordBuilder,
    grouper: &mut Grouper,
    report: &mut InputReport,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
) -> Result<(), ImportError> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    while let Some(too_long) =
        read_line_capped(reader, &mut buf, MAX_LINE_BYTES).map_err(io_error)?
    {
        line_no += 1;
        if progress.cancelled() {
            return Err(ImportError::Cancelled);
        }
        if too_long {
            report.skip(
                Some(line_no),
                format!(
                    "the line is longer than {} MB and was skipped",
                    MAX_LINE_BYTES / (1024 * 1024)
                ),
            );
            continue;
        }
        let text = match escape_invalid_utf8(&buf, true) {
            None => String::from_utf8_lossy(&buf),
            Some(escaped) => {
                report.warn(
                    Some(line_no),
                    "the line contains bytes that are not valid UTF-8 text; they are shown as \\xNN",
                );
                std::borrow::Cow::Owned(escaped)
            }
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(object)) => object,
            Ok(other) => {
                report.skip(
                    Some(line_no),
                    format!(
                        "the line is {}, not a JSON object with one message",
                        super::record::kind_of(&other)
                    ),
                );
                continue;
            }
            Err(err) => {
                report.skip(
                    Some(line_no),
                    format!(
                        "the line is not valid JSON ({}, at column {}): {}",
                        plain_json_error(&err),
                        err.column(),
                        clip(trimmed)
                    ),
                );
                continue;
            }
        };
        let raw = raw_fields(object, line_no, builder.profile.as_deref());
        if let Some(record) = builder.build(raw, None, report) {
            grouper.push(record, report, sink)?;
        }
    }
    Ok(())
}

/// Sorts the keys of a JSON message object into the fields Candor understands; the rest become metadata.
pub fn raw_fields(
    object: Map<String, Value>,
    line: u64,
    profile: Option<&super::profile::ImportProfile>,
) -> RawFields {
    let mut raw = RawFields {
        line,
        ..RawFields::default()
    };
    // A profile may name a field inside a nested object by its path ("author.type"): those are looked up
    // first, so they win over a key of the same kind at the top.
    if let Some(profile) = profile {
        for (field, path) in profile.named_fields() {
            if !path.contains('.') {
                continue;
            }
            let found = path
                .split('.')
                .try_fold(None::<&Value>, |at, key| match at {
                    None => object.get(key).map(Some),
                    Some(Value::Object(inner)) => inner.get(key).map(Some),
                    Some(_) => None,
                })
                .flatten();
            if let Some(value) = found {
                *raw.slot(field) = Some(value.clone());
            }
        }
    }
    for (key, value) in object {
        let field = match profile {
            Some(profile) => profile.classify(&key),
            None => Field::classify(&key),
        };
        let slot = match field {
            Some(field) => raw.slot(field),
            None => {
                let text = match value {
                    Value::String(text) => text,
                    Value::Null => continue,
                    other => other.to_string(),
                };
                raw.extra.push((key, text));
                continue;
            }
        };
        // The first key of a kind wins, so that a canonical name written first is not overridden by a synonym.
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    raw
}

/// A plain-language version of a JSON syntax error.
pub fn plain_json_error(err: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    let message = err.to_string();
    // serde_json's own words, in plain ones; the category alone would call every one of these a
    // misplaced bracket.
    let specific = [
        ("recursion limit exceeded", "it is nested too deeply"),
        (
            "invalid unicode code point",
            "a text holds bytes that are not valid UTF-8",
        ),
        (
            "expected value",
            "a value is not valid JSON (such as NaN, Infinity or a word without quotes)",
        ),
        (
            "control character",
            "a text holds a raw control character (such as a tab or line break) that JSON requires to be escaped",
        ),
        (
            "invalid escape",
            "a text holds a backslash escape that JSON does not know",
        ),
        ("invalid number", "a number is not written as JSON requires"),
        ("number out of range", "a number is too large"),
        ("key must be a string", "a key is not in double quotes"),
        ("lone leading surrogate", "a text holds a broken \\u escape"),
        (
            "unexpected end of hex escape",
            "a text holds a broken \\u escape",
        ),
    ];
    if let Some((_, plain)) = specific.iter().find(|(raw, _)| message.starts_with(raw)) {
        return plain;
    }
    match err.classify() {
        Category::Eof => "it ends too early",
        Category::Syntax => "a bracket, quote or comma is wrong or missing",
        Category::Data => "a value has the wrong type",
        Category::Io => "it could not be read",
    }
}
