//! The JSON export (`candor.audit/1`): provenance, inputs, summary and findings.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use super::{ExportError, ExportView, Review};
use crate::import::{Format, ImportWarning};
use crate::metrics::Summary;
use crate::redact::RedactionCounts;
use crate::rules::{Finding, Provision, RuleId, Severity};

/// The schema name written into every JSON export.
pub const SCHEMA: &str = "candor.audit/1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: &'a crate::audit::ToolInfo,
    generated_at: String,
    rules: &'a crate::audit::PackInfo,
    selection: &'a str,
    inputs: Vec<Input<'a>>,
    summary: &'a Summary,
    /// Present only in redacted exports, so that documents without it stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    redaction: Option<Redaction>,
    findings: Rows<'a, 'a>,
}

#[derive(Serialize)]
struct Redaction {
    enabled: bool,
    counts: RedactionCounts,
}

#[derive(Serialize)]
struct Input<'a> {
    path: &'a str,
    sha256: &'a str,
    format: Option<Format>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<&'a str>,
    bytes: u64,
    conversations: u64,
    messages: u64,
    skipped: u64,
    warnings: Cow<'a, [ImportWarning]>,
    warnings_not_kept: u64,
    error: Option<Cow<'a, str>>,
}

/// Evidence of a finding in another message.
#[derive(Serialize)]
struct MoreRow<'a> {
    message_index: usize,
    message_number: usize,
    evidence: Cow<'a, str>,
}

#[derive(Serialize)]
struct Row<'a> {
    conversation_id: &'a str,
    rule: RuleId,
    severity: Severity,
    message_index: Option<usize>,
    /// The same message counted from 1, as the explanations and the other exports count.
    message_number: Option<usize>,
    timestamp: Option<String>,
    evidence: Cow<'a, str>,
    explanation: Cow<'a, str>,
    input: &'a str,
    channel: &'a str,
    path: &'a str,
    legal_basis: &'static [Provision],
    /// Evidence in other messages (every earlier request of "had to ask repeatedly"); left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    more_evidence: Vec<MoreRow<'a>>,
    review: Option<Review>,
}

pub fn write(view: &ExportView<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let report = view.report;
    let inputs = report
        .inputs
        .iter()
        .map(|input| Input {
            path: &input.path,
            sha256: &input.sha256,
            format: input.format,
            platform: input.platform.as_deref(),
            bytes: input.bytes,
            conversations: input.conversations,
            messages: input.messages,
            skipped: input.skipped,
            warnings: if view.redact {
                Cow::Owned(
                    input
                        .warnings
                        .iter()
                        .map(|w| ImportWarning {
                            line: w.line,
                            message: view.text(&w.message).into_owned(),
                        })
                        .collect(),
                )
            } else {
                Cow::Borrowed(&input.warnings)
            },
            warnings_not_kept: input.warnings_not_kept,
            error: input.error.as_deref().map(|e| view.text(e)),
        })
        .collect();
    let document = Document {
        schema: SCHEMA,
        tool: &report.tool,
        generated_at: report
            .generated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        rules: &report.rules,
        selection: &view.selection,
        inputs,
        summary: &report.summary,
        redaction: view
            .redaction(super::ExportFormat::Json)
            .map(|counts| Redaction {
                enabled: true,
                counts,
            }),
        findings: Rows(view),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(|err| {
        // A full disk or a closed pipe is a failure to write, not to produce the report.
        if err.is_io() {
            ExportError::Io(err.into())
        } else {
            ExportError::Format(err.to_string())
        }
    })?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The findings, serialised one by one as they are read, so a large export is never held in memory twice.
struct Rows<'v, 'a>(&'v ExportView<'a>);

impl Serialize for Rows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        serializer.collect_seq(view.rows().map(|(finding, review)| {
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
                more_evidence,
            } = finding;
            Row {
                conversation_id,
                rule: *rule,
                severity: *severity,
                message_index: *message_index,
                message_number: message_index.map(|i| i + 1),
                timestamp: timestamp
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                evidence: view.text(evidence),
                explanation: view.text(explanation),
                input: view.input_of(finding),
                channel: view.channel_of(finding),
                path: view.path_of(finding),
                legal_basis: rule.legal_basis(),
                more_evidence: more_evidence
                    .iter()
                    .map(|e| MoreRow {
                        message_index: e.message_index,
                        message_number: e.message_index + 1,
                        evidence: view.text(&e.evidence),
                    })
                    .collect(),
                review: review
                    .filter(|r| r.status != super::ReviewStatus::Open || !r.note.is_empty()),
            }
        }))
    }
}
