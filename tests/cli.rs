//! The headless `candor audit` command, run as a user would.

use std::process::Command;

use crate::common::repo_path;

fn candor() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command.env("SOURCE_DATE_EPOCH", "1780000000");
    command
}

#[test]
fn audit_prints_json_to_stdout() {
    let output = candor()
        .arg("audit")
        .arg(repo_path("sample_logs"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "candor.audit/1");
    assert_eq!(json["generated_at"], "2026-05-28T20:26:40Z");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("audited"), "{stderr}");
}

#[test]
fn fail_on_sets_exit_status_one() {
    let output = candor()
        .args(["audit", "--quiet", "--fail-on", "critical"])
        .arg(repo_path("tests/fixtures/rule_identity_denied.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = candor()
        .args(["audit", "--quiet", "--fail-on", "critical"])
        .arg(repo_path("tests/fixtures/paths.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn unreadable_input_exits_two_but_audits_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let output = candor()
        .args(["audit", "--format", "csv", "--out"])
        .arg(&out)
        .arg(repo_path("tests/fixtures/not_a_log.txt"))
        .arg(repo_path("tests/fixtures/rule_disclosure_missing.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not_a_log.txt"), "{stderr}");
    assert!(
        stderr.contains("does not look like a conversation log"),
        "{stderr}"
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("DISCLOSURE_MISSING"));
}

#[test]
fn usage_errors_exit_two() {
    let output = candor()
        .args(["audit", "--format", "pdf", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = candor().args(["audit"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn html_report_to_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let output = candor()
        .args(["audit", "--quiet", "--format", "html", "--out"])
        .arg(&out)
        .arg(repo_path("sample_logs"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Candor audit report"));
}
