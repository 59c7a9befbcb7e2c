//! Import of every canonical format and of bad input of every kind: nothing panics, nothing is dropped
//! silently, every problem names its line.

use candor::audit::AuditOutcome;
use candor::import::{Format, Grouping, ImportProgress, import_reader};
use candor::rules::HandlingPath;

use crate::common::{audit, audit_fixture, repo_path, temp_log};

fn messages_of(outcome: &AuditOutcome, id: &str) -> usize {
    outcome
        .conversations
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| panic!("no conversation {id}"), |c| c.messages.len())
}

fn warning_lines(outcome: &AuditOutcome) -> Vec<Option<u64>> {
    outcome.report.inputs[0]
        .warnings
        .iter()
        .map(|w| w.line)
        .collect()
}

#[test]
fn invalid_json_line_is_skipped_and_named() {
    let outcome = audit_fixture("bad_invalid_json.jsonl");
    assert_eq!(warning_lines(&outcome), vec![Some(3)]);
    assert_eq!(outcome.report.inputs[0].skipped, 1);
    assert!(
        outcome.report.inputs[0].warnings[0]
            .message
            .contains("not valid JSON")
    );
    assert_eq!(messages_of(&outcome, "ok_1"), 4);
    assert_eq!(messages_of(&outcome, "ok_2"), 2);
}

#[test]
fn wrong_types_are_reported() {
    let outcome = audit_fixture("bad_wrong_types.jsonl");
    assert_eq!(warning_lines(&outcome), vec![Some(5), Some(6), Some(7)]);
    assert_eq!(outcome.report.inputs[0].skipped, 2);
    assert_eq!(messages_of(&outcome, "wt_1"), 2);
    let ok = outcome
        .conversations
        .iter()
        .find(|c| c.id == "ok_1")
        .unwrap();
    assert_eq!(ok.csat, Some(5.0));
    assert!(
        outcome.report.findings.is_empty(),
        "{:?}",
        outcome.report.findings
    );
}

#[test]
fn invalid_utf8_is_reported_not_fatal() {
    let outcome = audit_fixture("bad_invalid_utf8.jsonl");
    let input = &outcome.report.inputs[0];
    assert!(input.error.is_none());
    assert!(
        input
            .warnings
            .iter()
            .any(|w| w.line == Some(3) && w.message.contains("UTF-8"))
    );
    assert_eq!(messages_of(&outcome, "ok_2"), 2);
}

#[test]
fn empty_file_is_a_warning() {
    let outcome = audit_fixture("empty.jsonl");
    let input = &outcome.report.inputs[0];
    assert!(input.error.is_none());
    assert_eq!(input.conversations, 0);
    assert!(input.warnings[0].message.contains("empty"));
}

#[test]
fn csv_with_bom_and_utf16_give_the_same_result() {
    let utf8 = audit_fixture("bom_utf8.csv");
    let utf16 = audit_fixture("utf16le_bom.csv");
    for outcome in [&utf8, &utf16] {
        let input = &outcome.report.inputs[0];
        assert!(input.warnings.is_empty(), "{:?}", input.warnings);
        assert_eq!(input.format, Some(Format::Csv));
        assert_eq!(messages_of(outcome, "csv_1"), 3);
        assert_eq!(messages_of(outcome, "csv_2"), 2);
    }
    assert_eq!(utf8.conversations.to_vec(), utf16.conversations.to_vec());
    assert_eq!(utf8.report.findings, utf16.report.findings);
}

#[test]
fn crlf_line_endings() {
    let outcome = audit_fixture("crlf.jsonl");
    assert!(outcome.report.inputs[0].warnings.is_empty());
    for conversation in outcome.conversations.iter() {
        for message in &conversation.messages {
            assert!(!message.text.ends_with('\r'));
        }
    }
    assert_eq!(messages_of(&outcome, "ok_1"), 4);
}

#[test]
fn huge_line_is_read() {
    let outcome = audit_fixture("huge_line.jsonl");
    assert!(outcome.report.inputs[0].warnings.is_empty());
    let ok = outcome
        .conversations
        .iter()
        .find(|c| c.id == "ok_1")
        .unwrap();
    assert_eq!(ok.messages.len(), 5);
    // The long line has the earliest time, so it sorts first.
    assert!(ok.messages.iter().any(|m| m.text.len() == 3_145_728));
}

#[test]
fn missing_fields_are_named() {
    let outcome = audit_fixture("missing_fields.jsonl");
    assert_eq!(warning_lines(&outcome), vec![Some(5), Some(6), Some(7)]);
    assert_eq!(outcome.report.inputs[0].skipped, 3);
    let messages: Vec<&str> = outcome.report.inputs[0]
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(messages[0].contains("conversation id"), "{messages:?}");
    assert!(messages[1].contains("role"), "{messages:?}");
    assert!(messages[2].contains("no text"), "{messages:?}");
}

#[test]
fn semicolon_csv() {
    let outcome = audit_fixture("semicolon.csv");
    assert!(
        outcome.report.inputs[0].warnings.is_empty(),
        "{:?}",
        outcome.report.inputs[0].warnings
    );
    assert_eq!(messages_of(&outcome, "sc_1"), 3);
    let sc1 = outcome
        .report
        .facts
        .iter()
        .find(|f| f.id == "sc_1")
        .unwrap();
    assert_eq!(&*sc1.channel, "chat");
    assert_eq!(sc1.path, HandlingPath::AiOnly);
}

#[test]
fn naive_times_are_utc_with_one_warning() {
    let outcome = audit_fixture("naive_times.jsonl");
    let warnings = &outcome.report.inputs[0].warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("UTC"));
    let nt1 = outcome
        .report
        .facts
        .iter()
        .find(|f| f.id == "nt_1")
        .unwrap();
    assert_eq!(
        nt1.started_at.unwrap().to_rfc3339(),
        "2026-03-05T10:00:00+00:00"
    );
}

#[test]
fn prose_is_rejected_with_a_reason() {
    let outcome = audit_fixture("not_a_log.txt");
    let input = &outcome.report.inputs[0];
    assert_eq!(input.conversations, 0);
    assert!(
        input
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("does not look like a conversation log")
    );
}

#[test]
fn top_level_array_json() {
    let outcome = audit_fixture("array.json");
    let input = &outcome.report.inputs[0];
    assert_eq!(input.format, Some(Format::Json));
    assert!(input.warnings.is_empty(), "{:?}", input.warnings);
    let arr1 = outcome
        .report
        .facts
        .iter()
        .find(|f| f.id == "arr_1")
        .unwrap();
    assert_eq!(&*arr1.channel, "messaging");
    assert_eq!(arr1.csat, Some(4.0));
    let num = outcome.report.facts.iter().find(|f| f.id == "42").unwrap();
    assert_eq!(num.path, HandlingPath::Escalated);
    assert_eq!(num.csat, Some(5.0));
}

#[test]
fn interleaved_lines_are_grouped() {
    let outcome = audit_fixture("interleaved_aliases.jsonl");
    assert!(outcome.report.inputs[0].warnings.is_empty());
    assert_eq!(messages_of(&outcome, "il_1"), 4);
    assert_eq!(messages_of(&outcome, "7"), 3);
    assert_eq!(messages_of(&outcome, "il_3"), 3);
    // Streaming mode detects the interleaving; the auditor reads the file again and gets the same answer.
    let streamed = candor::audit::audit_paths(
        &[repo_path("tests/fixtures/interleaved_aliases.jsonl")],
        &candor::rules::RulePack::builtin(),
        false,
        &ImportProgress::default(),
        crate::common::fixed_now(),
    )
    .unwrap();
    assert_eq!(streamed.report.facts, outcome.report.facts);
    assert_eq!(streamed.report.findings, outcome.report.findings);
}

#[test]
fn interleaved_file_regrouped_on_disk_matches_in_memory() {
    // 300 conversations whose lines are dealt out round-robin, as a message-level export sorted by time is.
    let mut log = String::new();
    let turns = [
        ("ai", "Hello! How can I help?"),
        ("customer", "I want to talk to a human"),
        ("ai", "I'm a virtual assistant; let me try first."),
        ("customer", "are you a bot?"),
        ("ai", "I'm here to help!"),
    ];
    for (step, (role, text)) in turns.iter().enumerate() {
        for conversation in 0..300 {
            let line = serde_json::json!({
                "conversation_id": format!("c{conversation}"),
                "timestamp": format!("2026-03-02T09:{:02}:{:02}Z", step, conversation % 60),
                "role": role,
                "text": text,
                "channel": if conversation % 2 == 0 { "chat" } else { "voice" },
            });
            log.push_str(&line.to_string());
            log.push('\n');
        }
    }
    let (_dir, path) = temp_log("interleaved.jsonl", log.as_bytes());
    let pack = candor::rules::RulePack::builtin();
    let run = |keep: bool| {
        candor::audit::audit_paths(
            std::slice::from_ref(&path),
            &pack,
            keep,
            &ImportProgress::default(),
            crate::common::fixed_now(),
        )
        .unwrap()
        .report
    };
    // Kept conversations are regrouped in memory; otherwise through temporary files.
    let in_memory = run(true);
    let on_disk = run(false);
    assert_eq!(in_memory.summary.conversations, 300);
    assert_eq!(on_disk.facts, in_memory.facts);
    assert_eq!(on_disk.findings, in_memory.findings);
    assert_eq!(on_disk.inputs, in_memory.inputs);
    assert!(on_disk.findings.len() >= 600);
}

#[test]
fn csv_synonyms_and_multiline_cells() {
    let outcome = audit_fixture("csv_synonyms.csv");
    assert!(
        outcome.report.inputs[0].warnings.is_empty(),
        "{:?}",
        outcome.report.inputs[0].warnings
    );
    let t1 = outcome
        .report
        .facts
        .iter()
        .find(|f| f.id == "T-1001")
        .unwrap();
    assert_eq!(t1.path, HandlingPath::Escalated);
    assert_eq!(t1.csat, Some(4.0));
    assert_eq!(messages_of(&outcome, "T-1001"), 5);
}

#[test]
fn a_bad_file_does_not_stop_the_batch() {
    let outcome = audit(&[
        repo_path("tests/fixtures/not_a_log.txt"),
        repo_path("tests/fixtures/does_not_exist.jsonl"),
        repo_path("tests/fixtures/rule_disclosure_missing.jsonl"),
    ]);
    let inputs = &outcome.report.inputs;
    assert_eq!(inputs.len(), 3);
    assert!(inputs[0].error.is_some());
    assert!(
        inputs[1]
            .error
            .as_deref()
            .unwrap()
            .contains("does not exist")
    );
    assert!(inputs[2].error.is_none());
    assert_eq!(inputs[2].conversations, 5);
}

#[test]
fn json_document_streams_and_reports_truncation() {
    let doc = br#"{"conversations":[{"id":"a","messages":[{"role":"ai","text":"Hi, I'm a virtual assistant."}]},{"id":"b","messages":[{"role":"ai","text":"Hello"#;
    let (_dir, path) = temp_log("t.json", doc);
    let outcome = audit(&[path]);
    let input = &outcome.report.inputs[0];
    assert_eq!(input.conversations, 1);
    assert!(
        input
            .error
            .as_deref()
            .unwrap()
            .contains("stops being valid JSON"),
        "{input:?}"
    );
}

#[test]
fn sha256_covers_the_whole_file() {
    let content = b"{\"conversation_id\":\"a\",\"role\":\"ai\",\"text\":\"hi\"}\nnot json at all\n";
    let report = import_reader(
        "x",
        0,
        &content[..],
        Grouping::Collect,
        &ImportProgress::default(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report.sha256, candor::import::sha256_hex(content));
    assert_eq!(report.bytes, content.len() as u64);
}

#[test]
fn cancellation_stops_the_import() {
    let progress = ImportProgress::default();
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let content = b"{\"conversation_id\":\"a\",\"role\":\"ai\",\"text\":\"hi\"}\n";
    let result = import_reader(
        "x",
        0,
        &content[..],
        Grouping::Collect,
        &progress,
        &mut |_| {},
    );
    assert!(matches!(
        result,
        Err(candor::import::ImportError::Cancelled)
    ));
}

#[test]
fn sample_logs_cover_every_path_and_rule() {
    let outcome = audit(&[repo_path("sample_logs")]);
    let summary = &outcome.report.summary;
    assert!(summary.conversations >= 300, "{}", summary.conversations);
    assert_eq!(outcome.report.inputs.len(), 4);
    for path in HandlingPath::ALL {
        assert!(summary.paths.count(path) > 0, "{path:?}");
    }
    for (rule, count) in &summary.findings_by_rule {
        assert!(*count > 0, "no {rule} in the sample logs");
    }
    // The samples include some malformed lines, reported with their line numbers.
    let skipped: u64 = outcome.report.inputs.iter().map(|i| i.skipped).sum();
    assert!(skipped > 0);
}
