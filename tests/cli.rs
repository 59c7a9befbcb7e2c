//! The headless `candor audit` command, run as a user would.

use std::process::Command;

use crate::common::repo_path;

/// Fails the test with the command's own words when it did not succeed.
fn assert_success(output: &std::process::Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

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
    assert_success(&output);
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

#[test]
fn eval_prints_tables_and_mistakes() {
    let output = candor()
        .arg("eval")
        .arg(repo_path("eval/test/en.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("labelled conversations"), "{stdout}");
    assert!(stdout.contains("| DISCLOSURE_MISSING |"), "{stdout}");
    assert!(stdout.contains("| en | 48 |"), "{stdout}");
}

#[test]
fn eval_without_labels_is_a_usage_error() {
    let output = candor()
        .arg("eval")
        .arg(repo_path("tests/fixtures/paths.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no labelled conversations"), "{stderr}");
}

#[test]
fn language_override_reads_every_conversation_as_that_language() {
    // A Polish conversation is not assessed, unless the auditor says to read it as English.
    let (_dir, path) = crate::common::temp_log(
        "pl.jsonl",
        "{\"conversation_id\":\"p1\",\"role\":\"ai\",\"text\":\"Dzień dobry, w czym mogę pomóc? Proszę opisać problem z zamówieniem.\"}\n\
         {\"conversation_id\":\"p1\",\"role\":\"customer\",\"text\":\"Moja paczka nie dotarła, a zamówienie złożyłem tydzień temu.\"}\n"
            .as_bytes(),
    );
    let run = |extra: &[&str]| {
        let output = candor()
            .arg("audit")
            .args(extra)
            .arg(&path)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let detected = run(&[]);
    assert_eq!(detected["summary"]["not_assessed"], 1);
    assert_eq!(detected["findings"].as_array().map(Vec::len), Some(0));
    let english = run(&["--language", "en"]);
    assert_eq!(english["summary"]["not_assessed"], 0);
    assert!(
        english["findings"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );
}

#[test]
fn a_profile_maps_an_unknown_shape_and_its_speakers() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("export.csv");
    // Columns and speaker values Candor has no synonyms for.
    std::fs::write(
        &log,
        "Vorgang;Wer;Gesagt;Wann\n\
         V-1;Kundin;Hallo, meine Rechnung ist falsch;2026-03-02T09:00:00Z\n\
         V-1;Lisa (Bot);Ich bin Lisa, eine KI. Soll ich Sie mit einer Kollegin verbinden?;2026-03-02T09:00:05Z\n\
         V-1;Notiz Team;Kundin ruft zum dritten Mal an;2026-03-02T09:00:06Z\n\
         V-1;Max Berger;Guten Tag, hier ist Max vom Kundenservice.;2026-03-02T09:01:00Z\n\
         V-1;Unbekannt;???;2026-03-02T09:02:00Z\n",
    )
    .unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "name = \"Stadtwerke CRM\"\n\
         [fields]\nconversation = \"Vorgang\"\nspeaker = \"Wer\"\ntext = \"Gesagt\"\ntime = \"Wann\"\n\
         [speakers]\nai = [\"* (Bot)\"]\ncustomer = [\"Kundin\", \"Kunde\"]\nhuman_agent = [\"Max *\"]\n\
         internal = [\"Notiz *\"]\n",
    )
    .unwrap();
    let output = candor()
        .args(["audit", "--quiet", "--profile"])
        .arg(&profile)
        .arg(&log)
        .output()
        .unwrap();
    assert_success(&output);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let input = &json["inputs"][0];
    assert_eq!(input["conversations"], 1, "{input}");
    // The unknown speaker is skipped and named, not guessed.
    assert_eq!(input["skipped"], 1, "{input}");
    let warnings = input["warnings"].to_string();
    assert!(warnings.contains("Unbekannt"), "{warnings}");
    // Disclosed in the first turn, a person answered after: no disclosure or escalation finding.
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(codes.is_empty(), "{codes:?}");

    // Without the profile the file cannot be read as a log.
    let output = candor()
        .args(["audit", "--quiet"])
        .arg(&log)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["inputs"][0]["conversations"], 0);
}

#[test]
fn a_profile_reaches_fields_inside_nested_json_objects() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("export.jsonl");
    std::fs::write(
        &log,
        r#"{"session": {"id": "s1"}, "author": {"type": "assistant"}, "body": {"plain": "Hello, how can I help?"}}
{"session": {"id": "s1"}, "author": {"type": "visitor"}, "body": {"plain": "Can I speak to a human please"}}
{"session": {"id": "s1"}, "author": {"type": "assistant"}, "body": {"plain": "Sure, one moment."}}
"#,
    )
    .unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "name = \"nested\"\n[fields]\nconversation = \"session.id\"\nspeaker = \"author.type\"\n\
         text = \"body.plain\"\n[speakers]\nai = [\"assistant\"]\ncustomer = [\"visitor\"]\n",
    )
    .unwrap();
    let output = candor()
        .args(["audit", "--quiet", "--profile"])
        .arg(&profile)
        .arg(&log)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let input = &json["inputs"][0];
    assert_eq!(input["conversations"], 1, "{input}");
    assert_eq!(input["messages"], 3, "{input}");
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"HUMAN_REQUEST_UNMET"), "{codes:?}");
}

#[test]
fn a_broken_profile_is_refused_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(&profile, "[fields]\nspeeker = \"Wer\"\n").unwrap();
    let output = candor()
        .args(["audit", "--quiet", "--profile"])
        .arg(&profile)
        .arg(repo_path("sample_logs"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("import profile is not valid"), "{stderr}");
}

#[test]
fn html_report_names_the_organisation_and_auditor() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let output = candor()
        .args(["audit", "--quiet", "--format", "html"])
        .args([
            "--organisation",
            "Northwind Bank",
            "--auditor",
            "Dana Reyes",
        ])
        .arg("--out")
        .arg(&out)
        .arg(repo_path("tests/fixtures/paths.jsonl"))
        .output()
        .unwrap();
    assert_success(&output);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Northwind Bank"));
    assert!(html.contains("Dana Reyes"));
    // SOURCE_DATE_EPOCH 1780000000, in words.
    assert!(html.contains("28 May 2026 20:26 UTC"), "{html}");
}
