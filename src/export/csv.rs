//! One row per finding, RFC 4180, with spreadsheet formulas neutralised.

use std::borrow::Cow;
use std::io::Write;

use super::{ExportError, ExportView, reveal_bidi};
use crate::rules::Finding;

/// The provenance columns repeat on every row, so that any row copied out of the file still says which
/// input (by SHA-256), rule pack and tool version it came from.
///
/// Messages are numbered from 1, as people count them and as the explanations say ("message 4"); the
/// JSON export also has the 0-based index.
const HEADER: [&str; 20] = [
    "conversation_id",
    "rule",
    "severity",
    "message_number",
    "timestamp",
    "evidence",
    "explanation",
    "input",
    "channel",
    "path",
    "review_status",
    "review_note",
    "reviewer",
    "reviewed_at",
    "rule_title",
    "legal_basis",
    "input_sha256",
    "rule_pack",
    "rule_pack_sha256",
    "tool_version",
];

pub fn write(view: &ExportView<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    // A redacted export says so on every row, like the provenance columns; without redaction the file
    // is exactly as before.
    let marker: &[&str] = if view.redact { &["yes"] } else { &[] };
    let header = HEADER.iter().chain(view.redact.then_some(&"redacted"));
    writer.write_record(header).map_err(csv_error)?;
    let report = view.report;
    let pack = format!("{} {}", report.rules.pack, report.rules.version);
    let tool = format!("{} {}", report.tool.name, report.tool.version);
    for (finding, review) in view.rows() {
        let Finding {
            conversation_id,
            rule,
            severity,
            message_index,
            timestamp,
            evidence,
            explanation,
            source: _,
            evidence_span: _,
            more_evidence: _,
        } = finding;
        let review = review.unwrap_or_default();
        let row = [
            conversation_id.to_string(),
            rule.code().to_owned(),
            severity.as_str().to_owned(),
            message_index
                .map(|i| (i + 1).to_string())
                .unwrap_or_default(),
            timestamp
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .unwrap_or_default(),
            view.text(evidence).into_owned(),
            view.text(explanation).into_owned(),
            view.input_of(finding).to_owned(),
            view.channel_of(finding).to_owned(),
            view.path_of(finding).to_owned(),
            review.status.label().to_owned(),
            review.note,
            review.reviewer,
            review.reviewed_at,
            rule.title().to_owned(),
            rule.citations(),
            report
                .inputs
                .get(finding.source)
                .map(|input| input.sha256.clone())
                .unwrap_or_default(),
            pack.clone(),
            report.rules.sha256.clone(),
            tool.clone(),
        ];
        writer
            .write_record(
                row.iter()
                    .map(|cell| neutralise(cell).into_owned())
                    .chain(marker.iter().map(|&m| m.to_owned())),
            )
            .map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}

/// Makes a cell safe for a spreadsheet: bidirectional controls shown as markers ([`reveal_bidi`]), and an
/// apostrophe before a cell a spreadsheet would run as a formula (the OWASP CSV-injection list).
///
/// Spreadsheets ignore leading spaces and invisible characters when they decide that a cell is a formula,
/// and accept full-width signs, so the test looks past any such prefix: ` =1+1`, `\u{200B}=1+1` and
/// `＝1+1` are all neutralised.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let cell = reveal_bidi(cell);
    let starts_formula = matches!(cell.chars().next(), Some('\t' | '\r'))
        || cell
            .chars()
            .find(|&c| !is_blank(c))
            .is_some_and(is_formula_sign);
    if starts_formula {
        format!("'{cell}").into()
    } else {
        cell
    }
}

/// The first characters that make a spreadsheet read a cell as a formula, with their full-width and small
/// forms.
fn is_formula_sign(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠' | '﹦' | '﹢' | '﹣' | '﹫'
    )
}

/// Characters a reader does not see at the start of a cell: white space, control characters (NUL
/// included) and the zero-width and formatting characters.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
                | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
                | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        )
}

fn csv_error(err: csv::Error) -> ExportError {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => ExportError::Io(io),
        other => ExportError::Format(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(neutralise("-"), "'-");
    }

    #[test]
    fn formulas_behind_invisible_or_blank_prefixes_are_neutralised() {
        for cell in [
            " =1+1",
            "\u{200B}=1+1",
            "\0=1+1",
            "\u{FEFF}+1",
            "\u{2060}\u{00A0}@SUM(A1)",
            "\u{3000}-1",
            "\n=1",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn full_width_and_small_formula_signs_are_neutralised() {
        for cell in [
            "＝1+1",
            "﹦1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            "﹢1",
            "﹣1",
            "﹫x",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn bidi_controls_in_cells_are_shown() {
        assert_eq!(neutralise("id\u{202E}fdp.exe"), "id<U+202E>fdp.exe");
        // The marker itself starts with '<', which no spreadsheet runs.
        assert_eq!(neutralise("\u{202E}=1"), "<U+202E>=1");
        assert_eq!(neutralise(" plain"), " plain");
    }
}
