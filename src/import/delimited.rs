//! CSV and TSV with a header row: delimiter detected, columns matched by synonyms.

use std::io::BufRead;

use serde_json::Value;

use super::fields::{Field, map_header};
use super::quotes::{QuoteGuard, record_line};
use super::record::{RawFields, RecordBuilder, escape_invalid_utf8};
use super::{Format, Grouper, ImportError, ImportProgress, InputReport, io_error};
use crate::model::Conversation;

/// The most frequent separator outside quotes in the header line, if there is one.
pub fn sniff_delimiter(header: &str) -> Option<u8> {
    let mut counts = [0usize; 4];
    let candidates = [b'\t', b',', b';', b'|'];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = candidates.iter().position(|&c| c == byte) {
            if let Some(count) = counts.get_mut(i) {
                *count += 1;
            }
        }
    }
    let (best, &count) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))?;
    (count > 0).then(|| candidates.get(best).copied()).flatten()
}

/// Reads the table: the header decides which column is which, then every row is one message.
pub fn read(
    reader: &mut impl BufRead,
    format: Format,
    builder: &mut RecordBuilder,
    grouper: &mut Grouper,
    report: &mut InputReport,
    progress: &ImportProgress,
    sink: &mut dyn FnMut(Conversation),
) -> Result<(), ImportError> {
    let header_line = {
        let head = reader.fill_buf().map_err(io_error)?;
        let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
        String::from_utf8_lossy(line).into_owned()
    };
    let delimiter = match format {
        Format::Tsv => b'\t',
        _ => sniff_delimiter(&header_line).unwrap_or(b','),
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(QuoteGuard::new(reader, delimiter));
    let headers = match csv.byte_headers() {
        Ok(headers) => headers.clone(),
        Err(err) => {
            report.error = Some(format!(
                "The header row could not be read: {}",
                plain_csv_error(&err)
            ));
            return Ok(());
        }
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_owned())
        .collect();
    let mapping = match builder.profile.as_deref() {
        Some(profile) => names.iter().map(|n| profile.classify(n)).collect(),
        None => map_header(names.iter().map(String::as_str)),
    };
    let has = |field: Field| mapping.contains(&Some(field));
    let wanted: Vec<String> = [Field::ConversationId, Field::Role, Field::Text]
        .into_iter()
        .filter(|&f| !has(f))
        .map(|f| format!("{} (e.g. {})", f.canonical(), f.examples()))
        .collect();
    if !wanted.is_empty() {
        report.error = Some(format!(
            "The table has no column for {}. Its columns are: {}. If these columns hold the \
             conversation, who wrote and what, map them with an import profile (in the app: Rules > How \
             logs are read; on the command line: candor audit --profile FILE)",
            wanted.join("; "),
            names.join(", ")
        ));
        return Ok(());
    }

    let mut record = csv::ByteRecord::new();
    loop {
        let read = csv.read_byte_record(&mut record);
        for broken in csv.get_mut().take_broken() {
            report.warn(Some(broken.line), broken.reason);
        }
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                if progress.cancelled() {
                    return Err(ImportError::Cancelled);
                }
                if let csv::ErrorKind::Io(io) = err.kind() {
                    return Err(io_error(std::io::Error::new(io.kind(), io.to_string())));
                }
                let line = record_line(&mut csv, err.position());
                report.skip(
                    line,
                    format!("the row could not be read: {}", plain_csv_error(&err)),
                );
                continue;
            }
        }
        if progress.cancelled() {
            return Err(ImportError::Cancelled);
        }
        // The CSV reader's own line count drifts after cells with line breaks; the guard knows the lines.
        let line = record_line(&mut csv, record.position()).unwrap_or(0);
        if record
            .iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        if record.len() != headers.len() {
            report.warn(
                Some(line),
                format!(
                    "the row has {} cells but the header has {}",
                    record.len(),
                    headers.len()
                ),
            );
        }
        let mut raw = RawFields {
            line,
            ..RawFields::default()
        };
        let mut bad_utf8 = false;
        for (i, cell) in record.iter().enumerate() {
            let text = match escape_invalid_utf8(cell, false) {
                None => String::from_utf8_lossy(cell).into_owned(),
                Some(escaped) => {
                    bad_utf8 = true;
                    escaped
                }
            };
            let value = Some(Value::String(text));
            match mapping.get(i).copied().flatten() {
                Some(Field::ConversationId) => raw.conversation_id = value,
                Some(Field::Role) => raw.role = value,
                Some(Field::Text) => raw.text = value,
                Some(Field::Timestamp) => raw.timestamp = value,
                Some(Field::Channel) => raw.channel = value,
                Some(Field::Event) => raw.event = value,
                Some(Field::Csat) => raw.csat = value,
                Some(Field::Internal) => raw.internal = value,
                None => {
                    if let (Some(name), Some(Value::String(text))) = (names.get(i), value) {
                        if !text.is_empty() && !name.is_empty() {
                            raw.extra.push((name.clone(), text));
                        }
                    }
                }
            }
        }
        if bad_utf8 {
            report.warn(
                Some(line),
                "the row contains bytes that are not valid UTF-8 text; they are shown as \\xNN",
            );
        }
        if let Some(record) = builder.build(raw, None, report) {
            grouper.push(record, report, sink)?;
        }
    }
    Ok(())
}

fn plain_csv_error(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::Utf8 { .. } => "it is not valid UTF-8 text".to_owned(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("it has {len} cells where {expected_len} were expected")
        }
        csv::ErrorKind::Io(io) => format!("reading failed ({io})"),
        _ => "it is not well-formed CSV".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c"), Some(b','));
        assert_eq!(sniff_delimiter("a;b;\"c,d\""), Some(b';'));
        assert_eq!(sniff_delimiter("a\tb\tc"), Some(b'\t'));
        assert_eq!(sniff_delimiter("just some words"), None);
    }
}
