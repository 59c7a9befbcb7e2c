//! One row per finding, RFC 4180, with spreadsheet formulas neutralised.

use std::io::Write;

use super::{ExportError, ExportView};
use crate::rules::Finding;

/// The provenance columns repeat on every row, so that any row copied out of the file still says which
/// input (by SHA-256), rule pack and tool version it came from.
const HEADER: [&str; 19] = [
    "conversation_id",
    "rule",
    "severity",
    "message_index",
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
    "input_sha256",
    "rule_pack",
    "rule_pack_sha256",
    "tool_version",
];

pub fn write(view: &ExportView<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(HEADER).map_err(csv_error)?;
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
        } = finding;
        let review = review.unwrap_or_default();
        let row = [
            conversation_id.clone(),
            rule.code().to_owned(),
            severity.as_str().to_owned(),
            message_index.map(|i| i.to_string()).unwrap_or_default(),
            timestamp
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .unwrap_or_default(),
            evidence.clone(),
            explanation.clone(),
            view.input_of(finding).to_owned(),
            view.channel_of(finding).to_owned(),
            view.path_of(finding).to_owned(),
            review.status.as_str().to_owned(),
            review.note,
            review.reviewer,
            review.reviewed_at,
            rule.title().to_owned(),
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
            .write_record(row.iter().map(|cell| neutralise(cell).into_owned()))
            .map_err(csv_error)?;
    }
    writer.flush()?;
    Ok(())
}

/// Prefixes a cell that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
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
    }
}
