//! A self-contained HTML report: inline styles, no scripts, no network, all log text escaped.

use std::io::Write;

use minijinja::{Environment, Value, context, escape_formatter};
use serde::Serialize;

use super::{
    ExportError, ExportView, ReviewStatus, count_of, human_review_time, human_time, reveal_bidi,
};
use crate::metrics::CsatStats;
use crate::rules::{DISCLAIMER, HandlingPath, Provision, RuleId};

/// The most findings the HTML report lists; the CSV and JSON exports carry all of them.
pub const MAX_HTML_ROWS: usize = 20_000;

#[derive(Serialize)]
struct RuleRow {
    code: &'static str,
    title: &'static str,
    severity: &'static str,
    description: &'static str,
    legal_basis: &'static [Provision],
    count: u64,
}

#[derive(Serialize)]
struct PathRow {
    label: &'static str,
    conversations: u64,
    responses: u64,
    mean: String,
    share: String,
}

#[derive(Serialize)]
struct FindingRow {
    conversation_id: String,
    channel: String,
    path: String,
    title: &'static str,
    citations: String,
    severity: &'static str,
    message: String,
    timestamp: String,
    evidence: String,
    explanation: String,
    review: &'static str,
    reviewed: bool,
    /// "by Dana, 30 Nov 2026 14:05 UTC", empty when not reviewed.
    reviewed_by: String,
    note: String,
}

#[derive(Serialize)]
struct InputRow {
    path: String,
    format: String,
    conversations: u64,
    messages: u64,
    skipped: u64,
    sha256: String,
    error: Option<String>,
    warnings: Vec<String>,
    /// "3 problems while reading".
    warning_title: String,
}

pub fn write(view: &ExportView<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let report = view.report;
    let s = &report.summary;
    let mut env = Environment::new();
    // The ".html" name turns on HTML auto-escaping for every value, so log text cannot inject markup.
    env.add_template(
        "report.html",
        include_str!("../../assets/templates/report.html"),
    )
    .map_err(template_error)?;
    // Every value shown passes through here: bidirectional controls in log text become visible markers,
    // so an id or file name cannot reorder the text around it.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text) if text.chars().any(super::is_bidi_control) => {
            let revealed = reveal_bidi(text).into_owned();
            let revealed = if value.is_safe() {
                Value::from_safe_string(revealed)
            } else {
                Value::from(revealed)
            };
            escape_formatter(out, state, &revealed)
        }
        _ => escape_formatter(out, state, value),
    });
    let template = env.get_template("report.html").map_err(template_error)?;

    let mut counts = std::collections::BTreeMap::new();
    for (finding, _) in view.rows() {
        *counts.entry(finding.rule).or_insert(0u64) += 1;
    }
    let rule_rows: Vec<RuleRow> = RuleId::ALL
        .into_iter()
        .map(|rule| RuleRow {
            code: rule.code(),
            title: rule.title(),
            severity: rule.severity().as_str(),
            description: rule.description(),
            legal_basis: rule.legal_basis(),
            count: counts.get(&rule).copied().unwrap_or(0),
        })
        .collect();
    let path_rows: Vec<PathRow> = HandlingPath::ALL
        .into_iter()
        .map(|path| {
            let stats = s
                .csat
                .by_path
                .get(path.as_str())
                .cloned()
                .unwrap_or_default();
            PathRow {
                label: path.label(),
                conversations: s.paths.count(path),
                responses: stats.responses,
                mean: mean_text(&stats),
                share: share_text(&stats),
            }
        })
        .collect();
    let diff = &s.csat.ai_only_vs_human_handled;
    let diff = context! {
        mean => with_interval(diff.mean_difference, diff.mean_difference_ci95, false),
        share => with_interval(diff.satisfied_share_difference, diff.satisfied_share_difference_ci95, true),
    };
    let esc = context! {
        median => duration(s.seconds_to_escalation.median),
        p90 => duration(s.seconds_to_escalation.p90),
        count => s.seconds_to_escalation.count,
    };
    let pct = context! {
        disclosure_rate => percent(s.disclosure_rate),
        timely_disclosure_rate => percent(s.timely_disclosure_rate),
        human_option_rate => percent(s.human_option_rate),
        escalation_rate => percent(s.escalation_rate),
        containment_rate => percent(s.containment_rate),
    };
    let rows: Vec<FindingRow> = view
        .rows()
        .take(MAX_HTML_ROWS)
        .map(|(finding, review)| {
            let review = review.unwrap_or_default();
            let reviewed = review.status != ReviewStatus::Open;
            let reviewer = if review.reviewer.trim().is_empty() {
                "an unnamed reviewer"
            } else {
                review.reviewer.as_str()
            };
            FindingRow {
                conversation_id: finding.conversation_id.to_string(),
                channel: view.channel_of(finding).to_owned(),
                path: view.path_of(finding).replace('_', " "),
                title: finding.rule.title(),
                citations: finding.rule.citations(),
                severity: finding.severity.as_str(),
                message: finding
                    .message_index
                    .map(|i| (i + 1).to_string())
                    .unwrap_or_default(),
                timestamp: finding
                    .timestamp
                    .map(|t| t.format("%-d %b %Y %H:%M:%S UTC").to_string())
                    .unwrap_or_default(),
                evidence: view.text(&finding.evidence).into_owned(),
                explanation: view.text(&finding.explanation).into_owned(),
                review: review.status.label(),
                reviewed,
                reviewed_by: if reviewed {
                    format!("by {reviewer}, {}", human_review_time(&review.reviewed_at))
                } else {
                    String::new()
                },
                note: review.note,
            }
        })
        .collect();
    let inputs: Vec<InputRow> = report
        .inputs
        .iter()
        .map(|input| InputRow {
            path: input.path.clone(),
            format: input.format.map(|f| f.to_string()).unwrap_or_default(),
            conversations: input.conversations,
            messages: input.messages,
            skipped: input.skipped,
            sha256: input.sha256.clone(),
            error: input.error.as_deref().map(|e| view.text(e).into_owned()),
            warnings: input
                .warnings
                .iter()
                .map(|w| view.text(&w.to_string()).into_owned())
                .collect(),
            warning_title: format!(
                "{} while reading",
                count_of(
                    usize::try_from(input.warning_count()).unwrap_or(usize::MAX),
                    "problem",
                    "problems"
                )
            ),
        })
        .collect();
    let scope = Scope::of(view);
    let html = template
        .render(context! {
            generated_at => human_time(report.generated_at),
            generated_at_iso => report.generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            disclaimer => DISCLAIMER,
            scope => scope,
            organisation => view.sign_off.organisation.trim(),
            auditor => view.sign_off.auditor.trim(),
            tool => &report.tool,
            rules => &report.rules,
            selection => &view.selection,
            redaction => view.redaction(super::ExportFormat::Html).map(|counts| counts.describe()),
            s => s,
            pct => pct,
            rule_rows => rule_rows,
            path_rows => path_rows,
            diff => diff,
            esc => esc,
            finding_count => view.findings.len(),
            truncated => view.findings.len() > MAX_HTML_ROWS,
            rows => rows,
            inputs => inputs,
        })
        .map_err(template_error)?;
    out.write_all(html.as_bytes())?;
    Ok(())
}

/// What the audit covered: the period of the conversations, the languages and how many files.
#[derive(Serialize)]
struct Scope {
    /// "2 Jan 2026 08:00 UTC to 31 Mar 2026 17:45 UTC", or empty when no message has a time.
    period: String,
    /// "English 350, German 23".
    assessed: String,
    /// "Polish 3", or empty.
    not_assessed: String,
    /// "4 files".
    files: String,
}

impl Scope {
    fn of(view: &ExportView<'_>) -> Self {
        let facts = &view.report.facts;
        let first = facts.iter().filter_map(|f| f.started_at).min();
        let last = facts
            .iter()
            .filter_map(|f| f.ended_at.or(f.started_at))
            .max();
        let period = match (first, last) {
            (Some(first), Some(last)) => format!("{} to {}", human_time(first), human_time(last)),
            _ => String::new(),
        };
        let mut assessed = std::collections::BTreeMap::<&str, usize>::new();
        let mut not_assessed = std::collections::BTreeMap::<&str, usize>::new();
        for fact in facts {
            let side = if fact.assessed {
                &mut assessed
            } else {
                &mut not_assessed
            };
            *side.entry(&*fact.language).or_default() += 1;
        }
        let names = |languages: &std::collections::BTreeMap<&str, usize>| {
            languages
                .iter()
                .map(|(code, n)| format!("{} {n}", crate::detect::language_name(code)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Self {
            period,
            assessed: names(&assessed),
            not_assessed: names(&not_assessed),
            files: count_of(view.report.inputs.len(), "file", "files"),
        }
    }
}

fn template_error(err: minijinja::Error) -> ExportError {
    ExportError::Format(err.to_string())
}

/// A rate as a percentage, or a dash when there is nothing to measure.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// Seconds as people read them: "45 s", "19 min 49 s", "18 h 1 min", "3 d 4 h".
pub fn duration(seconds: Option<f64>) -> String {
    let Some(seconds) = seconds.filter(|s| s.is_finite()) else {
        return "–".to_owned();
    };
    let total = seconds.max(0.0).round() as u64;
    let (days, hours, minutes, secs) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs} s"),
        (0, 0, _) => format!("{minutes} min {secs} s"),
        (0, _, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} d {hours} h"),
    }
}

fn mean_text(stats: &CsatStats) -> String {
    with_interval(stats.mean, stats.mean_ci95, false)
}

fn share_text(stats: &CsatStats) -> String {
    with_interval(stats.satisfied_share, stats.satisfied_share_ci95, true)
}

/// "4.12 (3.90 to 4.34)" or, for shares, "61.0% (55.2% to 66.5%)".
pub fn with_interval(value: Option<f64>, interval: Option<[f64; 2]>, as_percent: bool) -> String {
    let show = |v: f64| {
        if as_percent {
            format!("{:.1}%", v * 100.0)
        } else {
            format!("{v:.2}")
        }
    };
    match (value, interval) {
        (Some(v), Some([lo, hi])) => format!("{} ({} to {})", show(v), show(lo), show(hi)),
        (Some(v), None) => show(v),
        _ => "–".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Some(45.0)), "45 s");
        assert_eq!(duration(Some(1189.0)), "19 min 49 s");
        assert_eq!(duration(Some(64_697.0)), "17 h 58 min");
        assert_eq!(duration(Some(273_600.0)), "3 d 4 h");
        assert_eq!(duration(None), "–");
    }
}
