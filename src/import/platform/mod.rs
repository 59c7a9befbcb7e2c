//! The platform importers, and what they share: reading paths in JSON, turning HTML bodies into the text
//! the customer read, and times in the shapes platforms write them.

pub mod amazon_connect;
pub mod bot_framework;
pub mod chatwoot;
pub mod dialogflow_cx;
pub mod freshchat;
pub mod genesys;
pub mod intercom;
pub mod liveperson;
pub mod rasa;
pub mod salesforce;
pub mod twilio;
pub mod zendesk;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::import::importer::Records;
use crate::import::quotes::{guarded_reader, next_row};

use super::record::{epoch_time, parse_time};

/// The value at a path of object keys.
#[must_use]
pub fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |v, key| v.get(key))
        .filter(|v| !v.is_null())
}

/// The text at a path (numbers as written), if any and not blank.
#[must_use]
pub fn text_at(value: &Value, path: &[&str]) -> Option<String> {
    match at(value, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The flag at a path: `true`, or `"true"`.
#[must_use]
pub fn flag_at(value: &Value, path: &[&str]) -> bool {
    match at(value, path) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The number at a path, also when written as text.
#[must_use]
pub fn number_at(value: &Value, path: &[&str]) -> Option<f64> {
    match at(value, path)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A time as platforms write it: RFC 3339 and common variants as text, or epoch seconds or milliseconds
/// as a number or numeric text.
#[must_use]
pub fn time(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(n) => n.as_f64().and_then(epoch_time),
        Value::String(s) => parse_time(s)
            .map(|(t, _)| t)
            .or_else(|| s.trim().parse::<f64>().ok().and_then(epoch_time)),
        _ => None,
    }
}

/// The time at a path.
#[must_use]
pub fn time_at(value: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    at(value, path).and_then(time)
}

/// The items of the array at a path (none when it is missing or not an array).
#[must_use]
pub fn items<'v>(value: &'v Value, path: &[&str]) -> &'v [Value] {
    at(value, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The text a customer read in an HTML body: tags removed (block ends and line breaks become spaces),
/// character references decoded, white space collapsed. Text without tags passes through, collapsed.
#[must_use]
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, rest.get(..lt).unwrap_or(""));
        let after = rest.get(lt..).unwrap_or("");
        // Only a real tag ("<p>", "</div>", "<br/>") is dropped; "a < b" stays.
        let is_tag = after
            .chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>').filter(|_| is_tag) {
            Some(gt) => {
                // Block ends and line breaks separate words; inline tags ("<b>", "<a>") do not.
                let name: String = after
                    .get(1..gt)
                    .unwrap_or("")
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push(' ');
                }
                rest = after.get(gt + 1..).unwrap_or("");
            }
            None => {
                out.push('<');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    push_decoded(&mut out, rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags that end a block of text (a space is kept where they stood).
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "pre",
];

/// Appends `text` with its HTML character references decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let after = rest.get(amp..).unwrap_or("");
        let entity_end = after.get(1..).and_then(|a| {
            a.find(';')
                .filter(|&semi| semi <= 10 && a.get(..semi).is_some_and(|e| !e.contains(' ')))
        });
        let decoded = entity_end.and_then(|semi| {
            let name = after.get(1..=semi)?;
            decode_entity(name).map(|c| (c, semi + 2))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "euro" => '€',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "ccedil" => 'ç',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "szlig" => 'ß',
        _ => return None,
    })
}

/// A channel name as Candor writes it (chat, email, voice, sms, whatsapp, messenger, …).
#[must_use]
pub fn channel(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    match lower.as_str() {
        "e-mail" | "mail" | "email" => "email",
        "phone" | "phone_call" | "call" | "voice" | "telephony" => "voice",
        "web" | "webchat" | "web_chat" | "chat" | "livechat" | "live_chat" | "messaging" => "chat",
        "facebook" | "messenger" | "facebook_messenger" => "messenger",
        "sms" | "text" => "sms",
        "whatsapp" => "whatsapp",
        other => return other.to_owned(),
    }
    .to_owned()
}

/// One row of a CSV export: its fields by lower-case header name, and the line it starts on.
pub struct CsvRow {
    /// The 1-based line the row starts on.
    pub line: u64,
    fields: HashMap<String, String>,
}

impl CsvRow {
    /// The field under header `name` (matched case-insensitively), if present and not blank.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .get(&name.to_ascii_lowercase())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// The header names (trimmed, lower case) of a CSV head line.
#[must_use]
pub fn csv_headers(first_line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first_line.as_bytes());
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| {
            r.iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a comma-separated export with a header row. Rows that cannot be read are skipped and reported.
pub fn csv_rows(bytes: &[u8], out: &mut Records<'_>) -> Vec<CsvRow> {
    let mut reader = guarded_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect(),
        Err(err) => {
            out.skip("The header row", format!("it could not be read ({err})"));
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    for n in 0u64.. {
        let Some((line, read)) = next_row(&mut reader, &mut record, out.report, n) else {
            break;
        };
        match read {
            Ok(()) => {
                let fields = headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect();
                rows.push(CsvRow { line, fields });
            }
            Err(err) => out.skip(
                &format!("Row {}", n + 1),
                format!("it could not be read as CSV ({err})"),
            ),
        }
    }
    rows
}

/// Reads the whole input into memory.
pub fn read_all(input: &mut dyn std::io::BufRead) -> Result<Vec<u8>, crate::import::ImportError> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(crate::import::io_error)?;
    Ok(bytes)
}

/// A platform export read whole: JSON (a document, or JSON Lines) or CSV rows, decided by its first
/// character.
pub enum Export {
    /// Top-level JSON values with their line numbers.
    Json(Vec<(u64, Value)>),
    /// CSV rows keyed by lowercase header.
    Csv(Vec<CsvRow>),
}

/// Reads a platform export that comes either as JSON or as CSV.
pub fn read_json_or_csv(
    input: &mut dyn std::io::BufRead,
    out: &mut Records<'_>,
) -> Result<Export, crate::import::ImportError> {
    let bytes = read_all(input)?;
    let is_json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[');
    Ok(if is_json {
        Export::Json(crate::import::importer::read_values(
            &mut bytes.as_slice(),
            out,
        )?)
    } else {
        Export::Csv(csv_rows(&bytes, out))
    })
}

/// Whether the header line names every one of `wanted` (lowercase).
#[must_use]
pub fn header_has_all(first_line: &str, wanted: &[&str]) -> bool {
    let headers = csv_headers(first_line);
    wanted.iter().all(|h| headers.iter().any(|x| x == h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_read_as_text() {
        assert_eq!(
            html_text("<p>Hi&nbsp;there &ndash; <b>bold</b></p><p>a &lt; b &amp; c</p>"),
            "Hi there – bold a < b & c"
        );
        assert_eq!(html_text("1 < 2 and AT&T"), "1 < 2 and AT&T");
        assert_eq!(html_text("it&#39;s &#x1F916;"), "it's 🤖");
    }

    #[test]
    fn times_in_platform_shapes() {
        let t = time(&serde_json::json!(1_739_870_400)).map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2025-02-18T09:20:00+00:00"));
        let ms = time(&serde_json::json!(1_739_870_400_000_i64)).map(|t| t.to_rfc3339());
        assert_eq!(ms.as_deref(), Some("2025-02-18T09:20:00+00:00"));
    }
}
