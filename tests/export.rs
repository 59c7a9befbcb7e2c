//! Exports are evidence: deterministic, with provenance, escaped, formula-safe.

use candor::export::{ExportFormat, ExportView, export};

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
        "timestamp",
        "evidence",
        "explanation",
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
