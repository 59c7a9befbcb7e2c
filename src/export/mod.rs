//! Writing audit results as evidence: JSON, CSV and a self-contained HTML report.
//!
//! Every writer takes a `&mut dyn Write` and an [`ExportView`]: the report plus the findings to include and
//! their review decisions. Same report, same selection, same bytes.

mod csv;
mod html;
mod json;
mod output;
mod text;

pub use output::{
    Plan, Refusal, TEMP_PREFIX, check_target, plain_write_error, remove_unfinished_files,
    write_atomically, write_export,
};
pub use text::{is_bidi_control, marker, reveal_bidi};

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::audit::AuditReport;
use crate::redact::{self, RedactionCounts};
use crate::rules::Finding;

/// The formats Candor exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The full audit as JSON (`candor.audit/1`).
    Json,
    /// One row per finding.
    Csv,
    /// A self-contained HTML report.
    Html,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Csv, Self::Json, Self::Html];

    /// The usual file ending.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Html => "html",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Json => "JSON file",
            Self::Csv => "CSV table",
            Self::Html => "HTML report",
        }
    }

    /// What the format is for, in a few words.
    pub fn purpose(self) -> &'static str {
        match self {
            Self::Json => "everything, for other programs",
            Self::Csv => "one row per finding, for spreadsheets",
            Self::Html => "a report to read, print or hand over",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Who the report is for and who made it, for the HTML report's sign-off block. Empty fields leave a
/// line to fill in by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignOff {
    /// The organisation audited.
    pub organisation: String,
    /// The person responsible for the audit.
    pub auditor: String,
}

/// A time as people read it in a report: "30 Nov 2026 14:05 UTC".
pub fn human_time(time: DateTime<Utc>) -> String {
    time.format("%-d %b %Y %H:%M UTC").to_string()
}

/// A review time (RFC 3339) as people read it; text that is not a time is shown as it is.
pub fn human_review_time(reviewed_at: &str) -> String {
    DateTime::parse_from_rfc3339(reviewed_at.trim()).map_or_else(
        |_| reviewed_at.to_owned(),
        |t| human_time(t.with_timezone(&Utc)),
    )
}

/// A count with its noun in the right number: "1 finding", "3 findings".
pub fn count_of(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A reviewer's decision on a finding.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Not reviewed yet.
    #[default]
    Open,
    /// The reviewer agrees it is a problem.
    Confirmed,
    /// The reviewer judged it a false positive.
    Dismissed,
}

impl ReviewStatus {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Not reviewed",
            Self::Confirmed => "Confirmed",
            Self::Dismissed => "Dismissed",
        }
    }
}

/// A review decision as exported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Review {
    /// The decision.
    pub status: ReviewStatus,
    /// The reviewer's note.
    pub note: String,
    /// Who decided.
    pub reviewer: String,
    /// When, RFC 3339.
    pub reviewed_at: String,
}

/// What to export: the report, which findings (by index into `report.findings`), and their reviews.
pub struct ExportView<'a> {
    /// The audit.
    pub report: &'a AuditReport,
    /// Indices of the findings to include, in export order.
    pub findings: Vec<usize>,
    /// The review of each finding of the report, by index; `None` for unreviewed.
    pub reviews: &'a dyn Fn(usize) -> Option<Review>,
    /// Says which selection this is ("all findings", "filtered: …", "confirmed only").
    pub selection: String,
    /// Whether personal data in log text (evidence, explanations, reading problems) is replaced by
    /// placeholders such as "[e-mail]"; see [`crate::redact`].
    pub redact: bool,
    /// The organisation and auditor named in the HTML report's sign-off block.
    pub sign_off: SignOff,
}

impl<'a> ExportView<'a> {
    /// Every finding, no reviews.
    pub fn all(report: &'a AuditReport) -> Self {
        Self {
            report,
            findings: (0..report.findings.len()).collect(),
            reviews: &|_| None,
            selection: "all findings".to_owned(),
            redact: false,
            sign_off: SignOff::default(),
        }
    }

    /// Log text as the export shows it: redacted when [`Self::redact`] is on, as it is otherwise.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.redact {
            redact::redact(text, &mut RedactionCounts::default())
        } else {
            Cow::Borrowed(text)
        }
    }

    /// What redaction takes out of this export in `format` (every text [`Self::text`] is applied to), or
    /// `None` when it is off. Counted in a pass of its own, so that a report can say it before the
    /// findings.
    pub fn redaction(&self, format: ExportFormat) -> Option<RedactionCounts> {
        if !self.redact {
            return None;
        }
        let mut counts = RedactionCounts::default();
        for (finding, _) in self.rows() {
            redact::redact(&finding.evidence, &mut counts);
            redact::redact(&finding.explanation, &mut counts);
        }
        // The CSV has no reading problems, so what they would lose is not counted for it.
        let inputs = if format == ExportFormat::Csv {
            &[][..]
        } else {
            &self.report.inputs[..]
        };
        for input in inputs {
            for warning in &input.warnings {
                redact::redact(&warning.message, &mut counts);
            }
            if let Some(error) = &input.error {
                redact::redact(error, &mut counts);
            }
        }
        Some(counts)
    }

    fn rows(&self) -> impl Iterator<Item = (&'a Finding, Option<Review>)> + '_ {
        self.findings.iter().filter_map(|&i| {
            self.report
                .findings
                .get(i)
                .map(|finding| (finding, (self.reviews)(i)))
        })
    }

    /// The facts of the finding's conversation (facts are sorted by id and input).
    fn facts_of(&self, finding: &Finding) -> Option<&'a crate::rules::ConversationFacts> {
        let facts = &self.report.facts;
        facts
            .binary_search_by(|f| {
                // Bytes order as the texts do.
                (f.id.as_bytes(), f.source)
                    .cmp(&(finding.conversation_id.as_bytes(), finding.source))
            })
            .ok()
            .and_then(|i| facts.get(i))
    }

    fn path_of(&self, finding: &Finding) -> &'static str {
        self.facts_of(finding).map_or("", |f| f.path.as_str())
    }

    fn channel_of(&self, finding: &Finding) -> &'a str {
        self.facts_of(finding).map_or("", |f| &*f.channel)
    }

    fn input_of(&self, finding: &Finding) -> &'a str {
        self.report
            .inputs
            .get(finding.source)
            .map_or("", |input| input.path.as_str())
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing failed.
    #[error("The report could not be written: {}", plain_write_error(.0))]
    Io(#[from] io::Error),
    /// The target was refused before anything was written.
    #[error("The report was not written: {0}")]
    Refused(Refusal),
    /// Serialising failed.
    #[error("The export could not be produced: {0}")]
    Format(String),
}

/// Writes the view in the chosen format.
pub fn export(
    view: &ExportView<'_>,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        ExportFormat::Json => json::write(view, out),
        ExportFormat::Csv => csv::write(view, out),
        ExportFormat::Html => html::write(view, out),
    }
}
