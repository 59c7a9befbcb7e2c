//! Exports are evidence: deterministic, with provenance, escaped, formula-safe.

use candor::export::{ExportFormat, ExportView, Review, ReviewStatus, SignOff, export};
use candor::rules::RuleId;

use serde_json::Value;

use crate::common::{audit, repo_path, temp_log};

fn render(outcome: &candor::audit::AuditOutcome, format: ExportFormat) -> Vec<u8> {
    let mut out = Vec::new();
    export(&ExportView::all(&outcome.report), format, &mut out).unwrap();
    out
}

#[test]
fn exports_are_byte_identical_across_runs() {
    let paths = [repo_path("tests/fixtures")];
    let a = audit(&paths);
    let b = audit(&paths);
    for format in ExportFormat::ALL {
        assert_eq!(render(&a, format), render(&b, format), "{format}");
    }
}

#[test]
fn json_has_the_documented_shape() {
    let outcome = audit(&[repo_path("tests/fixtures/rule_disclosure_missing.jsonl")]);
    let json: Value = serde_json::from_slice(&render(&outcome, ExportFormat::Json)).unwrap();
    assert_eq!(json["schema"], "candor.audit/1");
    assert_eq!(json["tool"]["name"], "candor");
    assert_eq!(json["rules"]["sha256"].as_str().unwrap().len(), 64);
    let input = &json["inputs"][0];
    assert_eq!(input["format"], "jsonl");
    assert_eq!(input["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(input["conversations"], 5);
    for key in [
        "conversations",
        "messages",
        "ai_involved",
        "paths",
        "disclosure_rate",
        "timely_disclosure_rate",
        "human_option_rate",
        "escalation_rate",
        "containment_rate",
        "human_requests",
        "seconds_to_escalation",
        "csat",
        "findings_by_rule",
    ] {
        assert!(json["summary"].get(key).is_some(), "summary.{key}");
    }
    for key in ["ai_only", "escalated", "human_only", "no_agent"] {
        assert!(json["summary"]["paths"].get(key).is_some());
        assert!(json["summary"]["csat"]["by_path"].get(key).is_some());
    }
    let finding = &json["findings"][0];
    for key in [
        "conversation_id",
        "rule",
        "severity",
        "message_index",
        "message_number",
        "timestamp",
        "evidence",
        "explanation",
        "legal_basis",
    ] {
        assert!(finding.get(key).is_some(), "finding.{key}");
    }
    assert_eq!(json["summary"]["findings_by_rule"]["DISCLOSURE_MISSING"], 2);
}

#[test]
fn csv_neutralises_formulas_and_quotes_cells() {
    let log = br#"{"conversation_id":"=cmd|' /C calc'!A0","role":"ai","text":"=HYPERLINK(\"http://evil\",\"click\"), yes"}
"#;
    let (_dir, path) = temp_log("evil.jsonl", log);
    let outcome = audit(&[path]);
    let csv = String::from_utf8(render(&outcome, ExportFormat::Csv)).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "conversation_id");
    let sha = headers.iter().position(|h| h == "input_sha256").unwrap();
    let pack = headers
        .iter()
        .position(|h| h == "rule_pack_sha256")
        .unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert_eq!(&rows[0][sha], outcome.report.inputs[0].sha256);
    assert_eq!(&rows[0][pack], outcome.report.rules.sha256);
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unsafe cell {cell:?}"
            );
        }
    }
    assert!(csv.contains("\r\n"));
}

#[test]
fn html_escapes_log_text_and_records_provenance() {
    let log = br#"{"conversation_id":"<script>alert(1)</script>","role":"ai","text":"<img src=x onerror=alert(1)> hello"}
"#;
    let (_dir, path) = temp_log("xss.jsonl", log);
    let outcome = audit(&[path]);
    let html = String::from_utf8(render(&outcome, ExportFormat::Html)).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains(&outcome.report.inputs[0].sha256));
    assert!(html.contains(&outcome.report.rules.sha256));
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    // Self-contained: nothing is fetched from the network.
    assert!(!html.contains("http://") || html.matches("http://").count() == 0);
    assert!(!html.contains("<link"));
}

#[test]
fn atomic_write_replaces_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    std::fs::write(&target, "old").unwrap();
    candor::export::write_atomically(&target, |out| {
        out.write_all(b"new")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1);
}

/// A view of every finding with one review decision on the first finding of `rule`.
fn reviewed_view<'a>(
    outcome: &'a candor::audit::AuditOutcome,
    reviews: &'a dyn Fn(usize) -> Option<Review>,
) -> ExportView<'a> {
    ExportView {
        reviews,
        sign_off: SignOff {
            organisation: "Northwind Bank".to_owned(),
            auditor: "Dana Reyes".to_owned(),
        },
        ..ExportView::all(&outcome.report)
    }
}

fn write(view: &ExportView<'_>, format: ExportFormat) -> String {
    let mut out = Vec::new();
    export(view, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn confirmed_denial(outcome: &candor::audit::AuditOutcome) -> impl Fn(usize) -> Option<Review> {
    let denial = outcome
        .report
        .findings
        .iter()
        .position(|f| f.rule == RuleId::AiIdentityDenied)
        .unwrap();
    move |i| {
        (i == denial).then(|| Review {
            status: ReviewStatus::Confirmed,
            note: "Clear denial".to_owned(),
            reviewer: "Dana".to_owned(),
            reviewed_at: "2026-11-30T14:05:09Z".to_owned(),
        })
    }
}

#[test]
fn every_export_states_the_legal_basis_of_each_finding() {
    let outcome = audit(&[repo_path("tests/fixtures/rule_identity_denied.jsonl")]);
    let reviews = confirmed_denial(&outcome);
    let view = reviewed_view(&outcome, &reviews);

    let csv = write(&view, ExportFormat::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (rule, basis) = (column("rule"), column("legal_basis"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let denial = rows
        .iter()
        .find(|r| &r[rule] == "AI_IDENTITY_DENIED")
        .unwrap();
    assert_eq!(
        &denial[basis],
        "California B&P Code §17941; Utah Code §13-77-103; EU AI Act Art. 50(1); FTC Act §5 (15 U.S.C. §45)"
    );

    let json: Value = serde_json::from_str(&write(&view, ExportFormat::Json)).unwrap();
    for finding in json["findings"].as_array().unwrap() {
        let basis = finding["legal_basis"].as_array().unwrap();
        assert!(!basis.is_empty(), "{finding}");
        for provision in basis {
            assert!(provision["citation"].as_str().unwrap().len() > 5);
            assert!(provision["summary"].as_str().unwrap().ends_with('.'));
        }
    }

    let html = write(&view, ExportFormat::Html);
    assert!(html.contains("Rules and their legal basis"));
    assert!(html.contains(candor::rules::DISCLAIMER));
    for rule in RuleId::ALL {
        for provision in rule.legal_basis() {
            assert!(html.contains(provision.summary), "{}", provision.citation);
        }
    }
}

#[test]
fn messages_are_numbered_from_one_for_people_and_the_json_keeps_the_index() {
    let outcome = audit(&[repo_path("tests/fixtures/rule_identity_denied.jsonl")]);
    let denial = outcome
        .report
        .findings
        .iter()
        .find(|f| f.rule == RuleId::AiIdentityDenied)
        .unwrap();
    let index = denial.message_index.unwrap();
    let view = ExportView::all(&outcome.report);

    let json: Value = serde_json::from_str(&write(&view, ExportFormat::Json)).unwrap();
    let row = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "AI_IDENTITY_DENIED")
        .unwrap();
    assert_eq!(row["message_index"], index);
    assert_eq!(row["message_number"], index + 1);

    let csv = write(&view, ExportFormat::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert!(!headers.iter().any(|h| h == "message_index"));
    let number = headers.iter().position(|h| h == "message_number").unwrap();
    let rule = headers.iter().position(|h| h == "rule").unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[rule] == "AI_IDENTITY_DENIED")
        .unwrap();
    assert_eq!(row[number], (index + 1).to_string());
}

#[test]
fn csv_review_states_read_as_in_the_app() {
    let outcome = audit(&[repo_path("tests/fixtures/rule_identity_denied.jsonl")]);
    let reviews = confirmed_denial(&outcome);
    let csv = write(&reviewed_view(&outcome, &reviews), ExportFormat::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let status = headers.iter().position(|h| h == "review_status").unwrap();
    let states: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[status].to_owned())
        .collect();
    assert!(states.contains(&"Confirmed".to_owned()));
    assert!(states.contains(&"Not reviewed".to_owned()));
    assert!(!states.contains(&"open".to_owned()));
}

#[test]
fn html_report_stands_as_evidence() {
    let outcome = audit(&[repo_path("tests/fixtures/rule_identity_denied.jsonl")]);
    let reviews = confirmed_denial(&outcome);
    let view = reviewed_view(&outcome, &reviews);
    let html = write(&view, ExportFormat::Html);
    // Who reviewed and when, in words; the others say they were not reviewed.
    assert!(html.contains("by Dana, 30 Nov 2026 14:05 UTC"), "{html}");
    assert!(html.contains("Not reviewed"));
    assert!(html.contains("Clear denial"));
    // The period covered, from the first to the last message of the conversations.
    let first = outcome
        .report
        .facts
        .iter()
        .filter_map(|f| f.started_at)
        .min()
        .unwrap();
    let last = outcome
        .report
        .facts
        .iter()
        .filter_map(|f| f.ended_at)
        .max()
        .unwrap();
    assert!(first < last);
    let period = format!(
        "{} to {}",
        first.format("%-d %b %Y %H:%M UTC"),
        last.format("%-d %b %Y %H:%M UTC")
    );
    assert!(html.contains(&period), "{period}");
    // Scope: files with hashes, the rule pack, the languages.
    assert!(html.contains(&outcome.report.inputs[0].sha256));
    assert!(html.contains(&format!(
        "{} version {}",
        outcome.report.rules.pack, outcome.report.rules.version
    )));
    assert!(html.contains("Languages assessed"));
    assert!(html.contains("English"));
    // Sign-off and generated time in words, no raw ISO times in the text.
    assert!(html.contains("Northwind Bank") && html.contains("Dana Reyes"));
    assert!(html.contains("Signature"));
    assert!(!html.contains("T14:05:09Z"));
    // Print styling: repeated table headers, rows kept whole, page breaks between sections.
    for rule in [
        "@media print",
        "thead { display: table-header-group; }",
        "break-inside: avoid",
        "break-before: page",
    ] {
        assert!(html.contains(rule), "{rule}");
    }
    // Same input and reviews, same bytes.
    assert_eq!(html, write(&view, ExportFormat::Html));
}

#[test]
fn languages_not_assessed_are_listed_with_counts() {
    let log = r#"{"conversation_id":"pl1","role":"ai","text":"Dzien dobry, jestem asystentem. W czym moge pomoc w sprawie rachunku?"}
{"conversation_id":"pl1","role":"customer","text":"Mam problem z fakturą, która przyszła w tym miesiącu, i chciałbym ją wyjaśnić."}
"#;
    let (_dir, path) = temp_log("pl.jsonl", log.as_bytes());
    let outcome = audit(&[path]);
    let html = write(&ExportView::all(&outcome.report), ExportFormat::Html);
    assert!(html.contains("Polish 1"), "{html}");
}

#[test]
fn a_candor_csv_in_an_audited_folder_is_recognised() {
    let outcome = audit(&[repo_path("tests/fixtures/rule_identity_denied.jsonl")]);
    let csv = write(&ExportView::all(&outcome.report), ExportFormat::Csv);
    let (_dir, path) = temp_log("report.csv", csv.as_bytes());
    assert!(candor::audit::is_candor_report(&path));
}
