//! JSON Lines: one message per line.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::fields::Field;
use super::record::{RawFields, Record, RecordBuilder, clip, escape_invalid_utf8};
use super::{
    Grouper, ImportError, ImportProgress, InputReport, MAX_LINE_BYTES, io_error, read_line_capped,
};
use crate::model::Conversation;

/// Bytes of whole lines handed to a parsing thread at once.
const CHUNK_BYTES: usize = 1 << 20;

/// Reads every line, skipping (and reporting) the ones that are not usable messages.
///
/// With more than one core the lines are parsed on several threads, a chunk of whole lines each, and put
/// back in file order before they are grouped into conversations: the outcome (records, warnings, their
/// order) is the same as reading line by line.
pub fn read(
    reader: &mut impl BufRead,
    builder: &mut RecordBuilder,
    grouper: &mut Grouper,
    report: &mut InputReport,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
) -> Result<(), ImportError> {
    read_with_threads(
        reader,
        builder,
        grouper,
        report,
        progress,
        sink,
        super::worker_threads(),
    )
}

/// [`read`] with `threads` parsing threads (one: on the calling thread).
fn read_with_threads(
    reader: &mut impl BufRead,
    builder: &mut RecordBuilder,
    grouper: &mut Grouper,
    report: &mut InputReport,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
    threads: usize,
) -> Result<(), ImportError> {
    if threads < 2 {
        return read_serial(reader, builder, grouper, report, progress, sink);
    }
    let mut parsed = Ordered::default();
    let (jobs, inbox) = std::sync::mpsc::sync_channel::<Chunk>(threads * 2);
    let inbox = std::sync::Mutex::new(inbox);
    let (done, results) = std::sync::mpsc::channel::<Parsed>();
    std::thread::scope(|scope| {
        for i in 0..threads {
            let inbox = &inbox;
            let done = done.clone();
            let template = builder.fresh();
            let parser = std::thread::Builder::new().name(format!("candor-parse-{i}"));
            let started = parser.spawn_scoped(scope, move || {
                loop {
                    let job = match inbox.lock() {
                        Ok(inbox) => inbox.recv(),
                        Err(_) => break,
                    };
                    let Ok(job) = job else { break };
                    if done.send(parse_chunk(job, &template)).is_err() {
                        break;
                    }
                }
            });
            // A thread that cannot start leaves the chunks to the others (and at least one always runs:
            // otherwise the file is read on this thread).
            if started.is_err() && i == 0 {
                return read_serial(reader, builder, grouper, report, progress, sink);
            }
        }
        drop(done);
        let mut deliver = |mut part: Parsed, chunks: &mut Chunker| -> Result<(), ImportError> {
            chunks.recycle(std::mem::take(&mut part.buffer));
            parsed.insert(part);
            while let Some(part) = parsed.next_in_order() {
                report.absorb(part.report);
                builder.absorb(part.builder);
                for record in part.records {
                    grouper.push(record, report, sink)?;
                }
            }
            Ok(())
        };
        let mut in_flight = 0usize;
        let mut chunks = Chunker::default();
        let outcome = loop {
            if progress.cancelled() {
                break Err(ImportError::Cancelled);
            }
            // Bounded work in flight: memory stays a few chunks whatever the file's size.
            while in_flight >= threads * 2 {
                let Ok(part) = results.recv() else { break };
                in_flight -= 1;
                deliver(part, &mut chunks)?;
            }
            match chunks.next(reader) {
                Err(err) => break Err(io_error(err)),
                Ok(None) => break Ok(()),
                Ok(Some(Piece::Lines(chunk))) => {
                    if jobs.send(chunk).is_err() {
                        break Ok(());
                    }
                    in_flight += 1;
                }
                Ok(Some(Piece::Ready(part))) => {
                    if let Err(err) = deliver(*part, &mut chunks) {
                        break Err(err);
                    }
                }
            }
        };
        drop(jobs);
        outcome?;
        while in_flight > 0 {
            let Ok(part) = results.recv() else { break };
            in_flight -= 1;
            deliver(part, &mut chunks)?;
        }
        Ok(())
    })
}

/// Reads line by line on the calling thread.
fn read_serial(
    reader: &mut impl BufRead,
    builder: &mut RecordBuilder,
    grouper: &mut Grouper,
    report: &mut InputReport,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
) -> Result<(), ImportError> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut keys = KeyCache::default();
    while let Some(too_long) =
        read_line_capped(reader, &mut buf, MAX_LINE_BYTES).map_err(io_error)?
    {
        line_no += 1;
        if progress.cancelled() {
            return Err(ImportError::Cancelled);
        }
        if too_long {
            skip_too_long(report, line_no);
            continue;
        }
        if let Some(record) = parse_line(&buf, line_no, builder, report, &mut keys) {
            grouper.push(record, report, sink)?;
        }
    }
    Ok(())
}

fn skip_too_long(report: &mut InputReport, line_no: u64) {
    report.skip(
        Some(line_no),
        format!(
            "the line is longer than {} MB and was skipped",
            MAX_LINE_BYTES / (1024 * 1024)
        ),
    );
}

/// One line (without its line break) as a record, or `None` with the reason written to `report`.
fn parse_line(
    line: &[u8],
    line_no: u64,
    builder: &mut RecordBuilder,
    report: &mut InputReport,
    keys: &mut KeyCache,
) -> Option<Record> {
    let text = match std::str::from_utf8(line) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            report.warn(
                Some(line_no),
                "the line contains bytes that are not valid UTF-8 text; they are shown as \\xNN",
            );
            std::borrow::Cow::Owned(
                escape_invalid_utf8(line, true)
                    .unwrap_or_else(|| String::from_utf8_lossy(line).into_owned()),
            )
        }
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    // The usual line: read its keys straight into the fields, without building a JSON object first.
    // Anything unusual (not an object, not valid JSON, a profile reaching into nested objects) takes the
    // general way below, which also words the problem.
    if !builder.profile.as_deref().is_some_and(has_nested_paths) {
        let mut de = serde_json::Deserializer::from_str(trimmed);
        let seed = LineSeed {
            line: line_no,
            profile: builder.profile.as_deref(),
            keys,
        };
        if let Ok(Some(raw)) = serde::de::DeserializeSeed::deserialize(seed, &mut de)
            .and_then(|raw| de.end().map(|()| raw))
        {
            return builder.build(raw, None, report);
        }
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
            return None;
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
            return None;
        }
    };
    let raw = raw_fields(object, line_no, builder.profile.as_deref());
    builder.build(raw, None, report)
}

/// Whether a profile names a field inside a nested object ("author.type").
fn has_nested_paths(profile: &super::profile::ImportProfile) -> bool {
    profile
        .named_fields()
        .iter()
        .any(|(_, path)| path.contains('.'))
}

/// The field each key of the lines means: the same few keys on every line, classified once.
#[derive(Default)]
struct KeyCache {
    known: Vec<(Box<str>, Option<Field>)>,
}

impl KeyCache {
    /// The key's field and a number that tells keys apart.
    fn classify(
        &mut self,
        key: &str,
        profile: Option<&super::profile::ImportProfile>,
    ) -> (usize, Option<Field>) {
        if let Some(at) = self.known.iter().position(|(k, _)| **k == *key) {
            return (at, self.known.get(at).and_then(|(_, f)| *f));
        }
        let field = match profile {
            Some(profile) => profile.classify(key),
            None => Field::classify(key),
        };
        // A file with endless distinct keys is classified key by key (numbered past the cache).
        if self.known.len() < 64 {
            self.known.push((key.into(), field));
            (self.known.len() - 1, field)
        } else {
            (usize::MAX, field)
        }
    }
}

/// Reads one JSON object into [`RawFields`] as [`raw_fields`] sorts a parsed object: the first key of a
/// kind fills its field (a repeated key, its last value), every other key becomes metadata. `None` for
/// a value that is not an object.
struct LineSeed<'k> {
    line: u64,
    profile: Option<&'k super::profile::ImportProfile>,
    keys: &'k mut KeyCache,
}

impl<'de> serde::de::DeserializeSeed<'de> for LineSeed<'_> {
    type Value = Option<RawFields>;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for LineSeed<'_> {
    type Value = Option<RawFields>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object with one message")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut raw = RawFields {
            line: self.line,
            ..RawFields::default()
        };
        // Which key filled each field, so that a repeated key replaces its value as a parsed object would.
        let mut filled_by: Vec<(Field, usize)> = Vec::new();
        while let Some(key) = map.next_key::<KeyText<'de>>()? {
            let key = key.0;
            let (index, field) = self.keys.classify(&key, self.profile);
            let value: Value = map.next_value()?;
            match field {
                Some(field) => match filled_by.iter().find(|(f, _)| *f == field) {
                    None => {
                        *raw.slot(field) = Some(value);
                        filled_by.push((field, index));
                    }
                    Some((_, by)) if *by == index && index != usize::MAX => {
                        *raw.slot(field) = Some(value);
                    }
                    Some(_) => {}
                },
                None => {
                    let text = match value {
                        Value::String(text) => Some(text),
                        Value::Null => None,
                        other => Some(other.to_string()),
                    };
                    match (raw.extra.iter().position(|(k, _)| *k == *key), text) {
                        (Some(at), Some(text)) => {
                            if let Some(slot) = raw.extra.get_mut(at) {
                                slot.1 = text;
                            }
                        }
                        (Some(at), None) => {
                            raw.extra.remove(at);
                        }
                        (None, Some(text)) => raw.extra.push((key.into_owned(), text)),
                        (None, None) => {}
                    }
                }
            }
        }
        Ok(Some(raw))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A key, borrowed from the line when it has no escapes.
struct KeyText<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for KeyText<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = KeyText<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
                Ok(KeyText(std::borrow::Cow::Borrowed(key)))
            }
            fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
                Ok(KeyText(std::borrow::Cow::Owned(key.to_owned())))
            }
        }
        de.deserialize_str(KeyVisitor)
    }
}

/// Whole lines of the file, numbered from `first_line`.
struct Chunk {
    seq: u64,
    first_line: u64,
    bytes: Vec<u8>,
}

/// What the lines of one chunk gave.
struct Parsed {
    seq: u64,
    records: Vec<Record>,
    report: InputReport,
    builder: RecordBuilder,
    /// The chunk's buffer, handed back to be filled again.
    buffer: Vec<u8>,
}

fn parse_chunk(chunk: Chunk, template: &RecordBuilder) -> Parsed {
    let mut builder = template.fresh();
    let mut report = InputReport::default();
    // About one record per 150 bytes of JSON Lines: sized once rather than regrown.
    let mut records = Vec::with_capacity(chunk.bytes.len() / 150 + 1);
    let mut line_no = chunk.first_line;
    let mut keys = KeyCache::default();
    let mut rest = chunk.bytes.as_slice();
    while !rest.is_empty() {
        let (line, after) = match memchr::memchr(b'\n', rest) {
            Some(at) => (
                rest.get(..at).unwrap_or_default(),
                rest.get(at + 1..).unwrap_or_default(),
            ),
            None => (rest, &[][..]),
        };
        rest = after;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > MAX_LINE_BYTES {
            skip_too_long(&mut report, line_no);
        } else if let Some(record) = parse_line(line, line_no, &mut builder, &mut report, &mut keys)
        {
            records.push(record);
        }
        line_no += 1;
    }
    Parsed {
        seq: chunk.seq,
        records,
        report,
        builder,
        buffer: chunk.bytes,
    }
}

/// Parsed chunks waiting for their turn.
#[derive(Default)]
struct Ordered {
    next: u64,
    waiting: std::collections::BTreeMap<u64, Parsed>,
}

impl Ordered {
    fn insert(&mut self, part: Parsed) {
        self.waiting.insert(part.seq, part);
    }

    fn next_in_order(&mut self) -> Option<Parsed> {
        let part = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some(part)
    }
}

/// What [`Chunker::next`] gives: whole lines to parse, or a result already known (a line too long to read).
enum Piece {
    Lines(Chunk),
    Ready(Box<Parsed>),
}

/// Cuts a stream into chunks of whole lines.
#[derive(Default)]
struct Chunker {
    seq: u64,
    /// The number of the next line.
    line: u64,
    /// The start of a line whose end has not been read yet.
    pending: Vec<u8>,
    /// Inside a line too long to read, until its end.
    skipping: bool,
    done: bool,
    /// Buffers of parsed chunks, filled again rather than allocated anew.
    spare: Vec<Vec<u8>>,
}

impl Chunker {
    fn next(&mut self, reader: &mut impl BufRead) -> std::io::Result<Option<Piece>> {
        if self.line == 0 {
            self.line = 1;
        }
        loop {
            if self.done {
                return Ok(None);
            }
            let mut block = self.spare.pop().unwrap_or_default();
            block.clear();
            block.reserve(self.pending.len() + CHUNK_BYTES);
            block.extend_from_slice(&self.pending);
            self.pending.clear();
            let target = block.len() + CHUNK_BYTES;
            while block.len() < target {
                let available = match reader.fill_buf() {
                    Ok(bytes) => bytes,
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(err) => return Err(err),
                };
                if available.is_empty() {
                    self.done = true;
                    break;
                }
                let take = available.len().min(target - block.len());
                block.extend_from_slice(available.get(..take).unwrap_or_default());
                reader.consume(take);
            }
            if self.skipping {
                match memchr::memchr(b'\n', &block) {
                    Some(at) => {
                        block.drain(..=at);
                        self.skipping = false;
                    }
                    None => continue,
                }
            }
            let cut = if self.done {
                Some(block.len())
            } else {
                memchr::memrchr(b'\n', &block).map(|at| at + 1)
            };
            let Some(cut) = cut else {
                // No line ends in the block: keep reading, unless the line is already too long.
                if block.len() > MAX_LINE_BYTES {
                    let seq = self.take_seq();
                    let mut report = InputReport::default();
                    skip_too_long(&mut report, self.line);
                    self.line += 1;
                    self.skipping = true;
                    return Ok(Some(Piece::Ready(Box::new(Parsed {
                        seq,
                        records: Vec::new(),
                        report,
                        builder: RecordBuilder::default(),
                        buffer: Vec::new(),
                    }))));
                }
                self.pending = block;
                continue;
            };
            self.pending
                .extend_from_slice(block.get(cut..).unwrap_or_default());
            block.truncate(cut);
            if block.is_empty() {
                self.recycle(block);
                continue;
            }
            let first_line = self.line;
            let breaks = memchr::memchr_iter(b'\n', &block).count() as u64;
            self.line += breaks + u64::from(block.last() != Some(&b'\n'));
            let seq = self.take_seq();
            return Ok(Some(Piece::Lines(Chunk {
                seq,
                first_line,
                bytes: block,
            })));
        }
    }

    /// Keeps a parsed chunk's buffer for the next chunk.
    fn recycle(&mut self, buffer: Vec<u8>) {
        if buffer.capacity() > 0 && self.spare.len() < 16 {
            self.spare.push(buffer);
        }
    }

    fn take_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq - 1
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Grouping;

    /// Reads `bytes` with `threads` parsing threads: the conversations (id and message texts) and the report.
    fn read_all(bytes: &[u8], threads: usize) -> (Vec<(String, Vec<String>)>, InputReport) {
        let mut builder = RecordBuilder::default();
        let mut grouper = Grouper::new(Grouping::Collect, 0);
        let mut report = InputReport::default();
        let progress = ImportProgress::default();
        let mut out = Vec::new();
        let mut sink = |c: Conversation| {
            out.push((
                c.id.clone(),
                c.messages.iter().map(|m| m.text.clone()).collect(),
            ));
        };
        let mut reader = std::io::BufReader::with_capacity(4096, bytes);
        let result = read_with_threads(
            &mut reader,
            &mut builder,
            &mut grouper,
            &mut report,
            &progress,
            &mut sink,
            threads,
        );
        assert!(result.is_ok());
        let finished = grouper.finish(&mut report, &mut sink);
        assert!(finished.is_ok());
        builder.finish(&mut report);
        (out, report)
    }

    /// Several chunks' worth of lines with bad ones spread over them: blank lines, broken JSON, bytes
    /// that are not UTF-8, CRLF endings, a time without zone, no line break at the end.
    fn messy_log() -> Vec<u8> {
        let mut log = Vec::new();
        for i in 0..40_000u32 {
            let line = match i % 997 {
                0 => "{not json".to_owned(),
                1 => String::new(),
                2 => "[1, 2]".to_owned(),
                3 => format!(
                    r#"{{"conversation_id":"c{}","timestamp":"2026-01-01T10:00:00","role":"customer","text":"naive time"}}"#,
                    i / 7
                ),
                _ => format!(
                    r#"{{"conversation_id":"c{}","role":"{}","text":"message {i} with some words in it"}}"#,
                    i / 7,
                    if i % 2 == 0 { "customer" } else { "ai" }
                ),
            };
            log.extend_from_slice(line.as_bytes());
            if i % 5000 == 4 {
                log.extend_from_slice(b"\xff");
            }
            log.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
        }
        log.extend_from_slice(br#"{"conversation_id":"last","role":"ai","text":"no line break"}"#);
        log
    }

    #[test]
    fn parsing_on_several_threads_gives_what_one_thread_gives() {
        let log = messy_log();
        assert!(log.len() > 2 * CHUNK_BYTES, "the test needs several chunks");
        let (one, one_report) = read_all(&log, 1);
        for threads in [2, 3] {
            let (many, many_report) = read_all(&log, threads);
            assert_eq!(one, many);
            assert_eq!(one_report.skipped, many_report.skipped);
            assert_eq!(one_report.messages, many_report.messages);
            assert_eq!(one_report.warning_count(), many_report.warning_count());
            let lines = |r: &InputReport| -> Vec<(Option<u64>, String)> {
                r.warnings
                    .iter()
                    .map(|w| (w.line, w.message.clone()))
                    .collect()
            };
            assert_eq!(lines(&one_report), lines(&many_report));
        }
        assert!(one_report.skipped > 0);
        assert!(one.iter().any(|(id, _)| id == "last"));
    }

    #[test]
    fn keys_read_straight_into_fields_as_a_parsed_object_sorts_them() {
        let lines = [
            r#"{"conversation_id":"c1","role":"ai","text":"hi","timestamp":"2026-01-01T10:00:00Z"}"#,
            r#"{"ticket_id":7,"author_type":"agent","body":"x","conversation_id":"c2","tags":["a",1],"n":null}"#,
            r#"{"conversation_id":"c1","text":"first","text":"second","note":"a","note":null,"x":{"y":1}}"#,
            r#"{"conversation_id":"c1","message":"m","text":"t","extra":"e","extra":"f"}"#,
            r#"{"conversation\u005fid":"esc","r\u00f4le":"ai","text":"a \"quoted\" word"}"#,
            r#"{}"#,
        ];
        for line in lines {
            let mut keys = KeyCache::default();
            let seed = LineSeed {
                line: 3,
                profile: None,
                keys: &mut keys,
            };
            let mut de = serde_json::Deserializer::from_str(line);
            let fast = serde::de::DeserializeSeed::deserialize(seed, &mut de)
                .ok()
                .flatten();
            let object: Map<String, Value> = serde_json::from_str(line).unwrap_or_default();
            let slow = raw_fields(object, 3, None);
            assert_eq!(format!("{fast:?}"), format!("{:?}", Some(slow)), "{line}");
        }
    }

    #[test]
    fn a_line_too_long_to_read_is_skipped_and_counted() {
        let mut log = Vec::new();
        log.extend_from_slice(br#"{"conversation_id":"a","role":"ai","text":"before"}"#);
        log.push(b'\n');
        log.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        log.push(b'\n');
        log.extend_from_slice(br#"{"conversation_id":"a","role":"customer","text":"after"}"#);
        log.push(b'\n');
        for threads in [1, 2] {
            let (conversations, report) = read_all(&log, threads);
            assert_eq!(
                conversations,
                vec![(
                    "a".to_owned(),
                    vec!["before".to_owned(), "after".to_owned()]
                )]
            );
            assert_eq!(report.skipped, 1);
            assert_eq!(report.warnings.first().and_then(|w| w.line), Some(2));
        }
    }
}
