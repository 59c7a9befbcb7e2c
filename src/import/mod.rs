//! Reading conversation logs.
//!
//! Every format is read in two steps: a format module (`jsonl`, `json`, `delimited`) turns the bytes into
//! loosely typed [`RawFields`], and the shared [`record`] step validates them into messages, which the
//! [`Grouper`] assembles into [`Conversation`]s. Files are streamed: no format holds the whole file in
//! memory, and conversations are handed to a sink as soon as they are complete.
//!
//! Bad records never stop an import. Each one becomes an [`ImportWarning`] naming the line and the reason
//! in plain words, and is counted in [`InputReport::skipped`].

mod delimited;
mod fields;
mod grouper;
pub mod importer;
mod json;
mod jsonl;
pub mod mapping;
pub mod platform;
pub mod profile;
pub(crate) mod quotes;
mod record;

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::model::Conversation;

pub use fields::Field;
pub(crate) use grouper::Grouper;
pub(crate) use record::RecordBuilder;

/// How many warnings one input keeps with their text; further ones are only counted.
pub const MAX_KEPT_WARNINGS: usize = 1000;

/// A log format Candor can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per line, one message per object.
    Jsonl,
    /// One JSON document with a list of conversations.
    Json,
    /// Comma (or semicolon, pipe) separated values with a header row.
    Csv,
    /// Tab separated values with a header row.
    Tsv,
}

impl Format {
    /// The short name shown to people and written to exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem with one record (or with the file as a whole) that did not stop the import.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ImportWarning {
    /// The 1-based line (or record, for JSON documents) the problem is on, if it is on one.
    pub line: Option<u64>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "Line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What happened when one input file was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct InputReport {
    /// The path as the user gave it.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The format that was detected, if any.
    pub format: Option<Format>,
    /// The platform export it was read as ("Intercom conversations"), when a platform importer read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Conversations read.
    pub conversations: u64,
    /// Messages (and events) read.
    pub messages: u64,
    /// Records that could not be used.
    pub skipped: u64,
    /// Problems found, at most [`MAX_KEPT_WARNINGS`] of them.
    pub warnings: Vec<ImportWarning>,
    /// Warnings beyond the kept ones, counted only.
    pub warnings_not_kept: u64,
    /// Why the file could not be read (at all, or past some point), if it could not.
    pub error: Option<String>,
}

impl InputReport {
    /// Records a warning, keeping its text while there is room.
    pub fn warn(&mut self, line: Option<u64>, message: impl Into<String>) {
        if self.warnings.len() < MAX_KEPT_WARNINGS {
            self.warnings.push(ImportWarning {
                line,
                message: message.into(),
            });
        } else {
            self.warnings_not_kept += 1;
        }
    }

    /// Records a record that had to be skipped, and why.
    pub fn skip(&mut self, line: Option<u64>, message: impl Into<String>) {
        self.skipped += 1;
        self.warn(line, message);
    }

    /// Takes over the skips and warnings of the part of the file read after this report's (a part read on
    /// another thread), in order, as if they had been written here.
    pub fn absorb(&mut self, later: InputReport) {
        self.skipped += later.skipped;
        for warning in later.warnings {
            self.warn(warning.line, warning.message);
        }
        self.warnings_not_kept += later.warnings_not_kept;
    }

    /// All warnings, kept or only counted.
    pub fn warning_count(&self) -> u64 {
        self.warnings.len() as u64 + self.warnings_not_kept
    }

    /// The kept warnings with repeats folded: one entry per reason, in order of first appearance, with
    /// how often it was given and where first. "Line 3: the record has no conversation id" fourteen
    /// times is one line for a person to read, not fourteen.
    #[must_use]
    pub fn grouped_warnings(&self) -> Vec<WarningGroup> {
        let mut groups: Vec<WarningGroup> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for warning in &self.warnings {
            // A place written into the message ("Conversation 12, part 3: …") is not part of the reason.
            let (place, reason) = match warning.message.split_once(": ") {
                Some((place, reason))
                    if warning.line.is_none()
                        && place.len() <= 80
                        && place.chars().any(|c| c.is_ascii_digit()) =>
                {
                    (Some(place.to_owned()), reason.to_owned())
                }
                _ => (None, warning.message.clone()),
            };
            let first = match (warning.line, place) {
                (Some(line), _) => format!("line {line}"),
                (None, Some(place)) => place,
                (None, None) => String::new(),
            };
            match index.get(&reason) {
                Some(&i) => {
                    if let Some(group) = groups.get_mut(i) {
                        group.count += 1;
                    }
                }
                None => {
                    index.insert(reason.clone(), groups.len());
                    groups.push(WarningGroup {
                        reason,
                        count: 1,
                        first,
                    });
                }
            }
        }
        groups
    }
}

/// Warnings with the same reason, folded into one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningGroup {
    /// What is wrong.
    pub reason: String,
    /// How often.
    pub count: u64,
    /// Where it was first found ("line 3", "Conversation 12, part 3"), empty for the whole file.
    pub first: String,
}

impl fmt::Display for WarningGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = self.first.chars();
        let place: String = first
            .next()
            .map(|c| c.to_uppercase().chain(first).collect())
            .unwrap_or_default();
        match (self.count, place.is_empty()) {
            (1, true) => f.write_str(&self.reason),
            (1, false) => write!(f, "{place}: {}", self.reason),
            (n, true) => write!(f, "{} ({n} times)", self.reason),
            (n, false) => write!(f, "{place}: {} (and {} more like it)", self.reason, n - 1),
        }
    }
}

/// Threads that read or audit in parallel: one per core (`CANDOR_WORKERS=N` overrides), one to eight.
pub fn worker_threads() -> usize {
    std::env::var("CANDOR_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
        .clamp(1, 8)
}

/// Progress of a running import, shared with whoever shows it.
#[derive(Debug, Default)]
pub struct ImportProgress {
    /// Bytes of the current file read so far.
    pub bytes_read: AtomicU64,
    /// Conversations completed so far (over all files of the run).
    pub conversations: AtomicU64,
    /// Set by the user to stop the import.
    pub cancel: AtomicBool,
}

impl ImportProgress {
    /// Whether the user asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// How conversations are assembled from records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// Hand each conversation to the sink once its lines have stopped coming for a while (a window of
    /// records, so lines a little out of place still join their conversation). Memory stays bounded, but
    /// a file whose conversations are interleaved further apart is detected and reported as
    /// [`ImportError::Interleaved`], so that the caller can read it again with [`Grouping::Collect`].
    Stream,
    /// Collect all records first, then hand the conversations over at the end of the file.
    Collect,
    /// Like [`Grouping::Collect`], but records wait in temporary files split by conversation id rather than
    /// in memory, so an interleaved file of any size is assembled in bounded memory. Used when the
    /// conversations are not kept afterwards (the command line).
    Spill,
}

/// Why an import stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The user cancelled.
    #[error("The import was cancelled")]
    Cancelled,
    /// The file mixes the lines of several conversations, which streaming cannot assemble.
    #[error("The conversations in this file are interleaved")]
    Interleaved,
    /// Reading the file failed.
    #[error("The file could not be read: {0}")]
    Io(#[from] io::Error),
}

/// Reads one log from `reader` and hands every conversation to `sink`.
///
/// `path` is only used in messages. `source` is stored in every conversation (the index of the input).
/// The returned report is complete even when the format could not be recognised (then `error` says why);
/// `Err` is returned only for cancellation, interleaving under [`Grouping::Stream`], or an I/O failure.
pub fn import_reader(
    path: &str,
    source: usize,
    reader: impl Read,
    grouping: Grouping,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
) -> Result<InputReport, ImportError> {
    import_reader_with(path, source, reader, grouping, progress, None, sink)
}

/// [`import_reader`] with an import profile: when the profile names fields, the file is read as
/// canonical JSON Lines, JSON or CSV with those fields; its speaker lists decide roles, also for platform
/// exports whose authors are identities.
pub fn import_reader_with(
    path: &str,
    source: usize,
    reader: impl Read,
    grouping: Grouping,
    progress: &ImportProgress,
    profile: Option<std::sync::Arc<profile::ImportProfile>>,
    sink: &mut dyn FnMut(Conversation),
) -> Result<InputReport, ImportError> {
    let options = ReadOptions {
        grouping,
        profile,
        regular_file: true,
    };
    import_input(path, source, reader, progress, options, sink)
}

/// How [`import_input`] reads one input.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// How conversations are assembled.
    pub grouping: Grouping,
    /// The import profile, if the user chose one.
    pub profile: Option<std::sync::Arc<profile::ImportProfile>>,
    /// Whether the input is a regular file. Only a regular file is read to its end (for its SHA-256)
    /// after it was found not to be a log: a pipe or device may never end.
    pub regular_file: bool,
}

/// [`import_reader_with`] with all its options.
pub fn import_input(
    path: &str,
    source: usize,
    reader: impl Read,
    progress: &ImportProgress,
    options: ReadOptions,
    sink: &mut dyn FnMut(Conversation),
) -> Result<InputReport, ImportError> {
    let ReadOptions {
        grouping,
        profile,
        regular_file,
    } = options;
    let mut report = InputReport {
        path: path.to_owned(),
        ..InputReport::default()
    };
    let mut hashing = HashingReader {
        inner: reader,
        hasher: Sha256::new(),
        bytes: 0,
        progress,
    };
    {
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .utf8_passthru(true)
            .strip_bom(true)
            .build(&mut hashing);
        // Look at the start of the file before choosing a format. The decoder hands out small first reads
        // (it sniffs for a byte-order mark), so the head is gathered explicitly rather than via fill_buf.
        let mut decoded = decoded;
        let raw_head = read_head(&mut decoded).map_err(io_error)?;
        let wide_text = sniff_wide_text(&raw_head);
        let utf32 = wide_text == Some(WideText::Utf32);
        let (head, stream) = match wide_text {
            Some(WideText::Utf16(encoding)) => {
                report.warn(
                    None,
                    format!(
                        "The file has no byte-order mark, but its bytes are those of {} text; it was read \
                         as {0}",
                        encoding.name()
                    ),
                );
                let mut wide = encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .build(io::Cursor::new(raw_head).chain(decoded));
                let head = read_head(&mut wide).map_err(io_error)?;
                (head, Box::new(wide) as Box<dyn Read + '_>)
            }
            Some(WideText::Utf32) => (Vec::new(), Box::new(io::empty()) as Box<dyn Read + '_>),
            None => (raw_head, Box::new(decoded) as Box<dyn Read + '_>),
        };
        // Old Mac exports end lines with CR alone; every reader here splits lines at LF.
        let cr_only = head.contains(&b'\r') && !head.contains(&b'\n');
        let (head, stream) = if cr_only {
            report.warn(
                None,
                "The lines of this file end with a carriage return alone (old Mac style); they were \
                 read as line breaks",
            );
            (
                cr_to_lf(head),
                Box::new(CrToLf { inner: stream }) as Box<dyn Read + '_>,
            )
        } else {
            (head, stream)
        };
        let detected = if utf32 {
            Detected::Unknown(
                "This file is UTF-32 text, which Candor does not read: save it as UTF-8 and audit it again"
                    .to_owned(),
            )
        } else {
            detect_format(&head)
        };
        let head_text = String::from_utf8_lossy(&head).into_owned();
        // A profile's field names apply to the files that have those columns (the user mapped such a file);
        // there no platform importer second-guesses them. Other files are read as usual, with the profile's
        // speaker lists only, so a profile left switched on does not break logs of another shape.
        let profile = profile.map(|p| {
            if p.fields == profile::FieldNames::default() || p.fields_present_in(&head_text) {
                p
            } else {
                std::sync::Arc::new(profile::ImportProfile {
                    fields: profile::FieldNames::default(),
                    ..(*p).clone()
                })
            }
        });
        let mapped = profile
            .as_deref()
            .is_some_and(|p| p.fields != profile::FieldNames::default());
        let platform =
            importer::recognise(&importer::Head { text: &head_text }).filter(|_| !mapped);
        let mut buffered =
            BufReader::with_capacity(256 * 1024, io::Cursor::new(head).chain(stream));
        let mut grouper = Grouper::new(grouping, source);
        let mut counted_sink = |conversation: Conversation| {
            progress.conversations.fetch_add(1, Ordering::Relaxed);
            sink(conversation);
        };
        match detected {
            Detected::Format(format) if platform.is_some() => {
                if let Some(platform) = platform {
                    report.format = Some(format);
                    report.platform = Some(platform.name().to_owned());
                    let mut records = importer::Records::new(
                        &mut grouper,
                        &mut report,
                        progress,
                        &mut counted_sink,
                    );
                    records.profile = profile.clone();
                    platform.read(&mut buffered, &mut records)?;
                    records.finish();
                }
            }
            Detected::Empty => report.warn(None, "The file is empty"),
            Detected::Unknown(reason) => report.error = Some(reason),
            Detected::Format(format) => {
                report.format = Some(format);
                let mut builder = RecordBuilder::default();
                builder.profile.clone_from(&profile);
                let result = match format {
                    Format::Jsonl => jsonl::read(
                        &mut buffered,
                        &mut builder,
                        &mut grouper,
                        &mut report,
                        progress,
                        &mut counted_sink,
                    ),
                    Format::Json => json::read(
                        &mut buffered,
                        &mut builder,
                        &mut grouper,
                        &mut report,
                        progress,
                        &mut counted_sink,
                    ),
                    Format::Csv | Format::Tsv => delimited::read(
                        &mut buffered,
                        format,
                        &mut builder,
                        &mut grouper,
                        &mut report,
                        progress,
                        &mut counted_sink,
                    ),
                };
                result?;
                builder.finish(&mut report);
            }
        }
        grouper
            .finish(&mut report, &mut counted_sink)
            .map_err(io_error)?;
        explain_nothing_read(&mut report);
    }
    report.bytes = hashing.bytes;
    if report.error.is_some() && !regular_file {
        // A pipe or device that is not a log is not read on: it may never end (`/dev/zero`).
        report.warn(
            None,
            "Candor stopped reading this input where it found it cannot be read as a log: it is not a \
             regular file and might never end, so it has no SHA-256",
        );
        return Ok(report);
    }
    // The hash covers the whole file even when parsing stopped early.
    io::copy(&mut hashing, &mut io::sink()).map_err(io_error)?;
    report.bytes = hashing.bytes;
    report.sha256 = hex(&hashing.hasher.finalize());
    Ok(report)
}

/// A file that gave no conversation although it had records says so in plain words, with what to do:
/// never a dashboard of zeros without a reason.
fn explain_nothing_read(report: &mut InputReport) {
    if report.conversations > 0 || report.error.is_some() || report.skipped == 0 {
        return;
    }
    let records = if report.skipped == 1 {
        "its one record".to_owned()
    } else {
        format!("any of its {} records", report.skipped)
    };
    report.error = Some(match &report.platform {
        Some(platform) => format!(
            "This looks like an export of {platform}, but Candor could not read {records} as a message \
             (the reasons are listed below)"
        ),
        None => format!(
            "Candor could not recognise this file as a conversation log: it could not read {records} as a \
             message with a conversation, a speaker and a text (the reasons are listed below). If the file \
             comes from a platform Candor does not read yet, map its columns with an import profile \
             (candor audit --profile FILE)"
        ),
    });
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// SHA-256 of a byte slice, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Passes bytes through while hashing and counting them.
struct HashingReader<'a, R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    progress: &'a ImportProgress,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.progress.cancelled() {
            // Not `Interrupted`: std's read loops retry that kind forever.
            return Err(io::Error::other(CancelMarker));
        }
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.hasher.update(read);
        self.bytes += n as u64;
        self.progress
            .bytes_read
            .store(self.bytes, Ordering::Relaxed);
        Ok(n)
    }
}

/// Text in a wide encoding, recognised without a byte-order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WideText {
    /// UTF-16, little or big endian.
    Utf16(&'static encoding_rs::Encoding),
    /// UTF-32 (either byte order), which is refused.
    Utf32,
}

/// Recognises UTF-16 and UTF-32 text without a byte-order mark by where its NUL bytes fall: logs are
/// mostly ASCII (keys, ids, punctuation), whose characters are one non-NUL byte padded with NULs.
fn sniff_wide_text(head: &[u8]) -> Option<WideText> {
    let sample = head.get(..4096).unwrap_or(head);
    if sample.len() < 8 {
        return None;
    }
    let mut nul_at = [0usize; 4];
    let mut total_at = [0usize; 4];
    for (i, &byte) in sample.iter().enumerate() {
        if let (Some(nul), Some(total)) = (nul_at.get_mut(i % 4), total_at.get_mut(i % 4)) {
            *total += 1;
            *nul += usize::from(byte == 0);
        }
    }
    // Whether the bytes at these offsets (mod 4) are mostly NUL, and those at the others mostly not.
    let pattern = |nul_offsets: [bool; 4]| {
        nul_offsets
            .iter()
            .zip(nul_at.iter().zip(total_at.iter()))
            .all(|(&nul, (&n, &t))| if nul { n * 10 >= t * 9 } else { n * 10 <= t })
    };
    if pattern([false, true, true, true]) || pattern([true, true, true, false]) {
        Some(WideText::Utf32)
    } else if pattern([false, true, false, true]) {
        Some(WideText::Utf16(encoding_rs::UTF_16LE))
    } else if pattern([true, false, true, false]) {
        Some(WideText::Utf16(encoding_rs::UTF_16BE))
    } else {
        None
    }
}

fn cr_to_lf(mut bytes: Vec<u8>) -> Vec<u8> {
    for byte in &mut bytes {
        if *byte == b'\r' {
            *byte = b'\n';
        }
    }
    bytes
}

/// Reads lines that end with CR alone as lines that end with LF.
struct CrToLf<R> {
    inner: R,
}

impl<R: Read> Read for CrToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for byte in buf.iter_mut().take(n) {
            if *byte == b'\r' {
                *byte = b'\n';
            }
        }
        Ok(n)
    }
}

enum Detected {
    Empty,
    Unknown(String),
    Format(Format),
}

/// How much of a file is looked at to recognise its format.
const HEAD_BYTES: usize = 64 * 1024;

/// Reads the start of the stream: [`HEAD_BYTES`], or the whole stream when it is shorter. Platform
/// exports are recognised by keys that may sit well inside a pretty-printed document.
fn read_head(reader: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    while head.len() < HEAD_BYTES {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        head.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    Ok(head)
}

/// Looks at the start of the (decoded) stream to decide the format, by content rather than file name.
fn detect_format(head: &[u8]) -> Detected {
    let text_start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let Some(&first) = head.get(text_start) else {
        return Detected::Empty;
    };
    if looks_binary(head) {
        return Detected::Unknown(
            "This is not a text file (it holds binary data, such as NUL bytes); Candor reads conversation \
             logs saved as text: JSON, JSON Lines, CSV or TSV"
                .to_owned(),
        );
    }
    let rest = head.get(text_start..).unwrap_or_default();
    // One odd line (a CSV header, a stray `[1,2,3]`) must not decide how the rest of a JSON Lines file is
    // read: when most lines of the head are complete JSON objects, it is JSON Lines, and the odd lines are
    // skipped with their line number and reason.
    if mostly_json_object_lines(head) {
        return Detected::Format(Format::Jsonl);
    }
    let first_line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line);
    let first_line = first_line.trim();
    match first {
        b'[' => Detected::Format(Format::Json),
        b'{' => {
            // A JSON document either starts with a lone brace (pretty-printed) or names its conversation list
            // first; anything else that starts with a brace is one message per line.
            let compact: String = first_line.chars().filter(|c| !c.is_whitespace()).collect();
            if compact == "{" || compact.starts_with("{\"conversations\"") {
                Detected::Format(Format::Json)
            } else {
                Detected::Format(Format::Jsonl)
            }
        }
        _ => match delimited::sniff_delimiter(first_line) {
            Some(b'\t') => Detected::Format(Format::Tsv),
            Some(_) => Detected::Format(Format::Csv),
            None => Detected::Unknown(
                "This does not look like a conversation log: it is not JSON, JSON Lines, CSV or TSV \
                 (the first line has no JSON object and no column separators)"
                    .to_owned(),
            ),
        },
    }
}

/// Whether the head holds so many control bytes (NUL and the like; tabs and line breaks aside) that it is
/// not text. A few stray ones in a text log are left to the line readers, which report them.
fn looks_binary(head: &[u8]) -> bool {
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    control * 20 > head.len()
}

/// Whether most of the non-blank lines of the head (at least two of them) are each a complete JSON object.
/// A JSON document spread over lines is not: its lines are brackets, keys and objects followed by commas.
fn mostly_json_object_lines(head: &[u8]) -> bool {
    let mut lines: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    // The last line may be cut off by the head's size limit; it is not judged.
    if head.len() >= HEAD_BYTES {
        lines.pop();
    }
    let (mut objects, mut others) = (0usize, 0usize);
    for line in lines {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let object = line.starts_with(b"{")
            && line.ends_with(b"}")
            && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
        if object {
            objects += 1;
        } else {
            others += 1;
        }
    }
    objects >= 2 && objects > others
}

/// Reads one line into `buf` (without the line break), refusing to hold more than `max_bytes` of it.
///
/// Returns `Ok(None)` at the end of input, `Ok(Some(true))` when the line was longer than the limit (then
/// `buf` holds only its start and the rest was discarded) and `Ok(Some(false))` otherwise.
pub(crate) fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max_bytes: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(pos) => (available.get(..pos).unwrap_or_default(), pos + 1, true),
            None => (available, available.len(), false),
        };
        if !too_long {
            if buf.len() + chunk.len() > max_bytes {
                too_long = true;
                let room = max_bytes.saturating_sub(buf.len());
                buf.extend_from_slice(chunk.get(..room).unwrap_or_default());
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        reader.consume(used);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(too_long))
}

/// Bytes an adapting reader has made and not yet handed out.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    bytes: Vec<u8>,
    taken: usize,
}

impl Pending {
    /// Whether every byte was handed out; then the buffer is emptied for the next batch.
    pub(crate) fn drained(&mut self) -> bool {
        let drained = self.taken >= self.bytes.len();
        if drained {
            self.bytes.clear();
            self.taken = 0;
        }
        drained
    }

    /// Adds bytes to hand out.
    pub(crate) fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Copies as many bytes as fit into `buf`.
    pub(crate) fn hand_out(&mut self, buf: &mut [u8]) -> usize {
        let ready = self.bytes.get(self.taken..).unwrap_or_default();
        let n = ready.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), ready.get(..n)) {
            to.copy_from_slice(from);
        }
        self.taken += n;
        n
    }
}

/// The error the hashing reader raises when the user cancels.
#[derive(Debug, thiserror::Error)]
#[error("cancelled")]
struct CancelMarker;

fn is_cancel(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|inner| inner.is::<CancelMarker>())
}

/// Turns an I/O error from the hashing reader back into a cancellation where it was one.
pub(crate) fn io_error(err: io::Error) -> ImportError {
    if is_cancel(&err) {
        ImportError::Cancelled
    } else {
        ImportError::Io(err)
    }
}

/// Lines longer than this are skipped with a warning rather than held in memory.
pub(crate) const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
