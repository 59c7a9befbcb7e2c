//! JSON documents: `{"conversations": [...]}` or a top-level list of conversations, read as a stream.
//!
//! The document is never held whole: a serde visitor walks the conversation list and hands each
//! conversation object on as soon as it has been read, so a multi-gigabyte export works.

use std::fmt;
use std::io::BufRead;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::fields::{Field, normalise};
use super::jsonl::{plain_json_error, raw_fields};
use super::record::{RecordBuilder, kind_of};
use super::{Grouper, ImportError, ImportProgress, InputReport, Pending};
use crate::model::Conversation;

struct Context<'a> {
    builder: &'a mut RecordBuilder,
    grouper: &'a mut Grouper,
    report: &'a mut InputReport,
    progress: &'a ImportProgress,
    sink: &'a mut dyn FnMut(Conversation),
    /// Conversations seen so far (1-based numbering in messages).
    count: u64,
    /// Messages seen so far, used as the record number.
    records: u64,
    /// An error that must stop the import, carried out of the serde visitor.
    stop: Option<ImportError>,
    found_list: bool,
    /// The ids of the conversations read so far, with their number, to report an id given twice.
    ids: std::collections::HashMap<String, u64>,
}

/// Reads the document, handing conversations on as they complete.
pub fn read(
    reader: &mut impl BufRead,
    builder: &mut RecordBuilder,
    grouper: &mut Grouper,
    report: &mut InputReport,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
) -> Result<(), ImportError> {
    let mut context = Context {
        builder,
        grouper,
        report,
        progress,
        sink,
        count: 0,
        records: 0,
        stop: None,
        found_list: false,
        ids: std::collections::HashMap::new(),
    };
    let mut escaper = Utf8Escaper::new(reader);
    let mut deserializer = serde_json::Deserializer::from_reader(&mut escaper);
    let result = Document(&mut context).deserialize(&mut deserializer);
    context.builder.place = None;
    if let Some(stop) = context.stop.take() {
        return Err(stop);
    }
    match result {
        Ok(()) => {
            if let Err(err) = deserializer.end() {
                context.report.warn(
                    Some(err.line() as u64),
                    format!(
                        "there is unexpected text after the end of the JSON document ({})",
                        plain_json_error(&err)
                    ),
                );
            }
            if !context.found_list {
                context.report.error = Some(
                    "The JSON document has no \"conversations\" list and is not a list of conversations, and \
                     Candor does not recognise it as one of the platform exports it reads (see the list of \
                     formats in Candor's README)"
                        .to_owned(),
                );
            }
        }
        Err(_) if context.progress.cancelled() => return Err(ImportError::Cancelled),
        Err(err) if err.is_io() => {
            return Err(super::io_error(std::io::Error::other(err.to_string())));
        }
        Err(err) => {
            context.report.error = Some(format!(
                "The file stops being valid JSON at line {}, column {} ({}); the {} conversation(s) before that point were read",
                err.line(),
                err.column(),
                plain_json_error(&err),
                context.count.saturating_sub(1)
            ));
        }
    }
    if let Some(line) = escaper.first_invalid_line {
        context.report.warn(
            Some(line),
            format!(
                "the document contains {} byte(s) that are not valid UTF-8 text, the first on this line; \
                 they are shown as \\xNN",
                escaper.invalid
            ),
        );
    }
    Ok(())
}

struct Document<'c, 'a>(&'c mut Context<'a>);

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of conversations or an object with a \"conversations\" list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        ConversationList(self.0).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if normalise(&key) == "conversations" {
                map.next_value_seed(ConversationList(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct ConversationList<'c, 'a>(&'c mut Context<'a>);

impl<'de> DeserializeSeed<'de> for ConversationList<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ConversationList<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of conversations")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let context = self.0;
        context.found_list = true;
        loop {
            context.count += 1;
            let Some(value) = seq.next_element::<Value>()? else {
                break;
            };
            if context.progress.cancelled() {
                context.stop = Some(ImportError::Cancelled);
            } else if let Err(err) = context.conversation(value) {
                context.stop = Some(err);
            }
            if context.stop.is_some() {
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

impl Context<'_> {
    fn conversation(&mut self, value: Value) -> Result<(), ImportError> {
        let number = self.count;
        let Value::Object(object) = value else {
            self.report.skip(
                None,
                format!(
                    "Conversation {number}: it is {}, not a conversation object",
                    kind_of(&value)
                ),
            );
            return Ok(());
        };
        let mut id = None;
        let mut channel = None;
        let mut csat = None;
        let mut messages = None;
        let mut extra: Vec<(String, String)> = Vec::new();
        for (key, value) in object {
            let normal = normalise(&key);
            if matches!(
                normal.as_str(),
                "messages" | "turns" | "transcript" | "utterances" | "parts"
            ) {
                messages = Some(value);
            } else if normal == "id" || Field::classify(&key) == Some(Field::ConversationId) {
                id.get_or_insert(value);
            } else if Field::classify(&key) == Some(Field::Channel) {
                channel.get_or_insert(value);
            } else if Field::classify(&key) == Some(Field::Csat) {
                csat.get_or_insert(value);
            } else {
                match value {
                    Value::String(text) => extra.push((key, text)),
                    Value::Null => {}
                    other => extra.push((key, other.to_string())),
                }
            }
        }
        let id = match id {
            Some(Value::String(text)) if !text.trim().is_empty() => text.trim().to_owned(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            _ => {
                self.report.skip(
                    None,
                    format!("Conversation {number}: it has no usable id (\"id\" or \"conversation_id\"), so it was skipped"),
                );
                return Ok(());
            }
        };
        if let Some(earlier) = self.ids.get(&id) {
            self.report.warn(
                None,
                format!(
                    "Conversation {number} (id {id}): conversation {earlier} has the same id; their messages \
                     were audited as one conversation"
                ),
            );
        } else {
            self.ids.insert(id.clone(), number);
        }
        let Some(Value::Array(messages)) = messages else {
            self.report.skip(
                None,
                format!("Conversation {number} (id {id}): it has no \"messages\" list, so it was skipped"),
            );
            return Ok(());
        };
        let mut first = true;
        for (index, message) in messages.into_iter().enumerate() {
            self.records += 1;
            let place = format!("Conversation {number} (id {id}), message {}", index + 1);
            let Value::Object(object) = message else {
                self.report.skip(
                    None,
                    format!("{place}: it is {}, not a message object", kind_of(&message)),
                );
                continue;
            };
            self.builder.place = Some(place);
            let mut raw = raw_fields(object, self.records, self.builder.profile.as_deref());
            if first {
                raw.extra.append(&mut extra);
            }
            // A conversation's channel of the wrong type is reported once, below, not for every message.
            if raw.channel.is_none() && matches!(channel, Some(Value::String(_) | Value::Number(_)))
            {
                raw.channel.clone_from(&channel);
            }
            // Messages inside a conversation belong to it, whatever id they may repeat.
            raw.conversation_id = None;
            if let Some(record) = self.builder.build(raw, Some(&id), self.report) {
                first = false;
                self.grouper.push(record, self.report, self.sink)?;
            }
        }
        self.builder.place = None;
        let rating = match csat {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(text)) => text.trim().parse().ok(),
            _ => None,
        };
        if let Some(r) = rating.filter(|r| !(1.0..=5.0).contains(r)) {
            self.report.warn(
                None,
                format!("Conversation {number} (id {id}): the rating {r} is outside the 1–5 scale and was not counted"),
            );
        }
        let rating = rating.filter(|r| (1.0..=5.0).contains(r));
        let channel = match channel {
            Some(Value::String(text)) if !text.trim().is_empty() => Some(text.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            None | Some(Value::Null | Value::String(_)) => None,
            Some(other) => {
                self.report.warn(
                    None,
                    format!(
                        "Conversation {number} (id {id}): the channel is {}; it must be text, so it was not used",
                        kind_of(&other)
                    ),
                );
                None
            }
        };
        self.grouper.set_conversation_facts(&id, channel, rating);
        if first {
            self.report.warn(
                None,
                format!("Conversation {number} (id {id}) has no usable messages"),
            );
        }
        Ok(())
    }
}

/// Passes a JSON document through with every byte that is not valid UTF-8 written as the JSON text `\\xNN`,
/// so that one bad byte inside a string does not end the import of the whole document (and two ids that
/// differ only in such bytes stay two ids).
struct Utf8Escaper<R> {
    inner: R,
    /// Bytes ready to hand out.
    out: Pending,
    /// The start of a character cut off at the end of the last chunk.
    carry: Vec<u8>,
    /// Lines handed out so far, to say where the first bad byte is.
    lines: u64,
    /// Bytes escaped so far.
    invalid: u64,
    first_invalid_line: Option<u64>,
}

impl<R: BufRead> Utf8Escaper<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            out: Pending::default(),
            carry: Vec::new(),
            lines: 1,
            invalid: 0,
            first_invalid_line: None,
        }
    }

    fn fill(&mut self) -> std::io::Result<bool> {
        let chunk = self.inner.fill_buf()?;
        let end = chunk.is_empty();
        if end && self.carry.is_empty() {
            return Ok(false);
        }
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(chunk);
        let used = chunk.len();
        self.inner.consume(used);
        let mut rest = data.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    self.pass(valid.as_bytes());
                    break;
                }
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    self.pass(valid);
                    let bad = match err.error_len() {
                        Some(n) => n,
                        // A character cut off by the chunk's end: wait for the rest of it.
                        None if !end => {
                            self.carry = after.to_vec();
                            break;
                        }
                        None => after.len(),
                    };
                    let (bad, after) = after.split_at(bad.min(after.len()));
                    for byte in bad {
                        self.invalid += 1;
                        self.first_invalid_line.get_or_insert(self.lines);
                        self.out
                            .extend_from_slice(format!("\\\\x{byte:02X}").as_bytes());
                    }
                    rest = after;
                }
            }
        }
        Ok(true)
    }

    fn pass(&mut self, bytes: &[u8]) {
        self.lines += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        self.out.extend_from_slice(bytes);
    }
}

impl<R: BufRead> std::io::Read for Utf8Escaper<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out.drained() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        Ok(self.out.hand_out(buf))
    }
}
