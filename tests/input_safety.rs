//! Hostile inputs: nothing read is silently lost, and no input stalls an audit.

use std::path::PathBuf;

use candor::audit::{AuditOutcome, expand_paths};
use candor::import::InputReport;

use crate::common::{audit, repo_path, temp_log};

const CHAT: &str = "sample_logs/support_chat_2026q1.jsonl";

/// The inputs that were read (not those that only carry a notice).
fn read_inputs(outcome: &AuditOutcome) -> Vec<&InputReport> {
    outcome
        .report
        .inputs
        .iter()
        .filter(|i| i.format.is_some() || i.error.is_some())
        .collect()
}

fn notices(outcome: &AuditOutcome) -> Vec<String> {
    outcome
        .report
        .inputs
        .iter()
        .flat_map(|i| i.warnings.iter().filter(|w| w.line.is_none()))
        .map(|w| w.message.clone())
        .collect()
}

fn folder_with_chat() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_path(CHAT), dir.path().join("chat.jsonl")).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn a_link_back_to_its_own_folder_does_not_count_files_again_or_hang() {
    let dir = folder_with_chat();
    std::os::unix::fs::symlink(".", dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("sub2")).unwrap();
    let outcome = audit(&[dir.path().to_path_buf()]);
    let alone = audit(&[repo_path(CHAT)]);
    assert_eq!(read_inputs(&outcome).len(), 1);
    assert_eq!(
        outcome.report.summary.conversations,
        alone.report.summary.conversations
    );
    let loops = notices(&outcome)
        .iter()
        .filter(|n| n.contains("leads back to a folder"))
        .count();
    assert_eq!(loops, 2, "one notice per link: {:?}", notices(&outcome));
}

#[test]
fn the_same_file_named_twice_is_audited_once_with_a_notice() {
    let dir = folder_with_chat();
    let file = dir.path().join("chat.jsonl");
    for paths in [
        vec![file.clone(), file.clone()],
        vec![dir.path().to_path_buf(), file.clone()],
    ] {
        let outcome = audit(&paths);
        assert_eq!(read_inputs(&outcome).len(), 1, "{paths:?}");
        assert_eq!(
            notices(&outcome)
                .iter()
                .filter(|n| n.contains("already read"))
                .count(),
            1
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_inside_a_folder_is_skipped_with_a_notice_instead_of_blocking() {
    let dir = folder_with_chat();
    let fifo = dir.path().join("feed.jsonl");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (files, problems) = expand_paths(&[dir.path().to_path_buf()]);
    assert_eq!(files, vec![dir.path().join("chat.jsonl")]);
    assert!(
        problems
            .iter()
            .any(|p| p.path.ends_with("feed.jsonl") && p.error.is_none()),
        "{problems:?}"
    );
}

#[test]
fn candor_reports_saved_in_the_audited_folder_are_not_read_as_logs() {
    let dir = folder_with_chat();
    let first = audit(&[dir.path().to_path_buf()]);
    for format in candor::export::ExportFormat::ALL {
        let mut bytes = Vec::new();
        let view = candor::export::ExportView::all(&first.report);
        candor::export::export(&view, format, &mut bytes).unwrap();
        let name = format!("report.{}", format.extension());
        std::fs::write(dir.path().join(&name), bytes).unwrap();
    }
    // A report under a log's name is recognised by its content.
    std::fs::copy(
        dir.path().join("report.json"),
        dir.path().join("report.txt"),
    )
    .unwrap();
    let second = audit(&[dir.path().to_path_buf()]);
    assert_eq!(read_inputs(&second).len(), 1);
    assert_eq!(
        second.report.summary.conversations,
        first.report.summary.conversations
    );
    assert!(
        notices(&second)
            .iter()
            .any(|n| n.contains("This is a Candor report, not a log"))
    );
}

fn one_file(name: &str, content: &[u8]) -> AuditOutcome {
    let (_dir, path) = temp_log(name, content);
    audit(&[path])
}

fn messages(outcome: &AuditOutcome) -> usize {
    outcome.conversations.iter().map(|c| c.messages.len()).sum()
}

fn ids(outcome: &AuditOutcome) -> Vec<String> {
    outcome.conversations.iter().map(|c| c.id).collect()
}

fn warnings_of(outcome: &AuditOutcome) -> Vec<(Option<u64>, String)> {
    outcome
        .report
        .inputs
        .iter()
        .flat_map(|i| i.warnings.iter().map(|w| (w.line, w.message.clone())))
        .collect()
}

#[test]
fn an_unclosed_quote_in_a_csv_cell_does_not_swallow_the_rows_after_it() {
    for (name, text) in [
        (
            "t.csv",
            "conversation_id,role,text\nc1,ai,\"Hello, I am a bot\nc1,customer,I want a person\nc1,human_agent,Hi, I am Ann\n",
        ),
        (
            "t.tsv",
            "conversation_id\trole\ttext\nc1\tai\t\"Hello I am a bot\nc1\tcustomer\tI want a person\nc1\thuman_agent\tHi I am Ann\n",
        ),
    ] {
        let outcome = one_file(name, text.as_bytes());
        assert_eq!(messages(&outcome), 3, "{name}: {:?}", warnings_of(&outcome));
        let warnings = warnings_of(&outcome);
        assert!(
            warnings
                .iter()
                .any(|(line, m)| *line == Some(2) && m.contains("never closed")),
            "{name}: {warnings:?}"
        );
        let first = &outcome.conversations.to_vec()[0].messages[0];
        assert!(first.text.starts_with("\"Hello"), "{:?}", first.text);
    }
}

#[test]
fn a_quoted_csv_cell_with_line_breaks_is_still_one_message() {
    let text = "conversation_id,role,text\r\nc1,ai,\"Hello,\r\nI am a \"\"virtual\"\" assistant\"\r\nc1,customer,thanks\r\nc1,ai,\"bye\nnow\"\r\n";
    let outcome = one_file("t.csv", text.as_bytes());
    assert_eq!(messages(&outcome), 3);
    assert_eq!(warnings_of(&outcome), Vec::new());
    let first = &outcome.conversations.to_vec()[0].messages[0];
    assert_eq!(first.text, "Hello,\r\nI am a \"virtual\" assistant");
    assert_eq!(outcome.conversations.to_vec()[0].messages[1].line, 4);
}

#[test]
fn a_stray_first_line_does_not_hide_the_rest_of_a_jsonl_file() {
    let body = "{\"conversation_id\":\"c1\",\"role\":\"ai\",\"text\":\"Hi, I am a virtual assistant\"}\n\
                {\"conversation_id\":\"c1\",\"role\":\"customer\",\"text\":\"hello\"}\n\
                {\"conversation_id\":\"c2\",\"role\":\"customer\",\"text\":\"hello\"}\n";
    for stray in ["[1,2,3]", "conversation_id,role,text", "not json at all"] {
        let outcome = one_file("t.jsonl", format!("{stray}\n{body}").as_bytes());
        assert_eq!(outcome.report.summary.conversations, 2, "{stray}");
        assert_eq!(messages(&outcome), 3, "{stray}");
        let input = &outcome.report.inputs[0];
        assert_eq!(input.skipped, 1, "{stray}");
        assert_eq!(input.warnings[0].line, Some(1), "{stray}");
    }
}

/// An interleaved log: three conversations whose lines alternate, so streaming must read it twice.
fn interleaved_log() -> String {
    let mut log = String::new();
    for i in 0..40 {
        for c in 0..3 {
            let role = if i % 2 == 0 { "ai" } else { "customer" };
            log.push_str(&format!(
                "{{\"conversation_id\":\"c{c}\",\"timestamp\":\"2026-01-01T00:00:{i:02}Z\",\"role\":\"{role}\",\"text\":\"message {i}: I am a virtual assistant\"}}\n"
            ));
        }
    }
    log
}

#[cfg(unix)]
#[test]
fn an_interleaved_log_read_from_a_pipe_is_audited_whole_with_the_hash_of_the_whole_stream() {
    let log = interleaved_log();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.jsonl");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let (fifo, log) = (fifo.clone(), log.clone());
        std::thread::Builder::new()
            .name("fifo-writer".to_owned())
            .spawn(move || std::fs::write(fifo, log).unwrap())
            .unwrap()
    };
    let outcome = audit(&[fifo]);
    writer.join().unwrap();
    let (_file_dir, file) = temp_log("same.jsonl", log.as_bytes());
    let from_file = audit(&[file]);
    let input = &outcome.report.inputs[0];
    assert_eq!(input.error, None);
    assert_eq!(input.conversations, 3);
    assert_eq!(input.messages, 120);
    assert_eq!(input.sha256, candor::import::sha256_hex(log.as_bytes()));
    assert_eq!(outcome.report.findings, from_file.report.findings);
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_input_that_is_not_a_log_ends_with_a_plain_error() {
    let started = std::time::Instant::now();
    let outcome = audit(&[PathBuf::from("/dev/zero")]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let input = &outcome.report.inputs[0];
    assert!(
        input.error.as_deref().unwrap().contains("not a text file"),
        "{input:?}"
    );
}

fn utf8_sample() -> String {
    "{\"conversation_id\":\"c1\",\"role\":\"ai\",\"text\":\"Hi, I am a virtual assistant. Grüße\"}\n\
     {\"conversation_id\":\"c1\",\"role\":\"customer\",\"text\":\"a person please\"}\n\
     {\"conversation_id\":\"c2\",\"role\":\"customer\",\"text\":\"hello\"}\n"
        .to_owned()
}

#[test]
fn utf16_without_a_byte_order_mark_is_read_and_the_encoding_named() {
    let text = utf8_sample();
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
        let outcome = one_file("t.jsonl", &bytes);
        assert_eq!(messages(&outcome), 3, "{name}");
        assert!(
            outcome.conversations.to_vec()[0].messages[0]
                .text
                .ends_with("Grüße")
        );
        assert!(
            warnings_of(&outcome).iter().any(|(_, m)| m.contains(name)),
            "{name}: {:?}",
            warnings_of(&outcome)
        );
    }
}

#[test]
fn utf32_is_refused_with_a_plain_message() {
    let bytes: Vec<u8> = utf8_sample()
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    let outcome = one_file("t.jsonl", &bytes);
    let error = outcome.report.inputs[0].error.clone().unwrap();
    assert!(
        error.contains("UTF-32") && error.contains("UTF-8"),
        "{error}"
    );
}

#[test]
fn lines_ending_in_a_carriage_return_alone_are_read_as_lines() {
    for (name, text) in [
        ("t.jsonl", utf8_sample()),
        (
            "t.csv",
            "conversation_id,role,text\nc1,ai,\"I am a bot,\nhow can I help\"\nc1,customer,hi\nc2,customer,yo\n"
                .to_owned(),
        ),
    ] {
        let outcome = one_file(name, text.replace('\n', "\r").as_bytes());
        assert_eq!(messages(&outcome), 3, "{name}");
        assert!(
            warnings_of(&outcome)
                .iter()
                .any(|(_, m)| m.contains("carriage return alone")),
            "{name}"
        );
    }
}

#[test]
fn a_bad_byte_in_a_json_document_does_not_end_its_import() {
    let mut doc = b"{\"conversations\":[\n{\"id\":\"c\xff\",\"messages\":[{\"role\":\"ai\",\"text\":\"caf\xe9\"}]},\n".to_vec();
    doc.extend_from_slice(
        b"{\"id\":\"c\xfe\",\"messages\":[{\"role\":\"ai\",\"text\":\"I am a virtual assistant\"}]}]}",
    );
    let outcome = one_file("t.json", &doc);
    assert_eq!(outcome.report.inputs[0].error, None);
    assert_eq!(ids(&outcome), vec!["c\\xFE", "c\\xFF"]);
    assert_eq!(
        outcome.conversations.to_vec()[1].messages[0].text,
        "caf\\xE9"
    );
    assert!(
        warnings_of(&outcome)
            .iter()
            .any(|(line, m)| *line == Some(2) && m.contains("3 byte(s) that are not valid UTF-8")),
        "{:?}",
        warnings_of(&outcome)
    );
}

#[test]
fn nan_in_a_json_document_is_named_as_the_reason_it_stops() {
    let doc = "{\"conversations\":[\
        {\"id\":\"c1\",\"messages\":[{\"role\":\"ai\",\"text\":\"I am a virtual assistant\"}]},\
        {\"id\":\"c2\",\"csat\":NaN,\"messages\":[]}]}";
    let outcome = one_file("t.json", doc.as_bytes());
    let error = outcome.report.inputs[0].error.clone().unwrap();
    assert!(error.contains("NaN"), "{error}");
    assert_eq!(outcome.report.summary.conversations, 1);
}

#[test]
fn two_json_conversations_with_the_same_id_are_reported_not_merged_in_silence() {
    let doc = "{\"conversations\":[\
        {\"id\":\"c1\",\"messages\":[{\"role\":\"ai\",\"text\":\"I am a virtual assistant\"}]},\
        {\"id\":\"c2\",\"messages\":[{\"role\":\"customer\",\"text\":\"hi\"}]},\
        {\"id\":\"c1\",\"messages\":[{\"role\":\"customer\",\"text\":\"hello\"}]}]}";
    let outcome = one_file("t.json", doc.as_bytes());
    assert!(
        warnings_of(&outcome)
            .iter()
            .any(|(_, m)| m.contains("Conversation 3 (id c1): conversation 1 has the same id")),
        "{:?}",
        warnings_of(&outcome)
    );
}

#[test]
fn a_channel_or_event_of_the_wrong_type_is_reported() {
    let log = "{\"conversation_id\":\"c1\",\"role\":\"ai\",\"text\":\"I am a bot\",\"channel\":{\"a\":1}}\n\
               {\"conversation_id\":\"c1\",\"role\":\"customer\",\"text\":\"hi\",\"event\":[1]}\n";
    let outcome = one_file("t.jsonl", log.as_bytes());
    let warnings = warnings_of(&outcome);
    assert!(warnings.contains(&(
        Some(1),
        "the channel is a nested object; it must be text, so it was not used".to_owned()
    )));
    assert!(warnings.contains(&(
        Some(2),
        "the event is a list; it must be text, so it was not used".to_owned()
    )));
    assert_eq!(messages(&outcome), 2);
}

#[test]
fn ids_that_differ_only_in_invalid_bytes_stay_distinct() {
    let mut log = Vec::new();
    log.extend_from_slice(
        b"{\"conversation_id\":\"c\xff\",\"role\":\"customer\",\"text\":\"one\"}\n",
    );
    log.extend_from_slice(
        b"{\"conversation_id\":\"c\xfe\",\"role\":\"customer\",\"text\":\"two\"}\n",
    );
    let outcome = one_file("t.jsonl", &log);
    assert_eq!(ids(&outcome), vec!["c\\xFE", "c\\xFF"]);
    assert_eq!(warnings_of(&outcome).len(), 2);
    let mut csv = b"conversation_id,role,text\n".to_vec();
    csv.extend_from_slice(b"c\xff,customer,one\nc\xfe,customer,two\n");
    let outcome = one_file("t.csv", &csv);
    assert_eq!(outcome.report.summary.conversations, 2);
}

fn escalation_log(ai_time: &str, agent_time: &str) -> String {
    format!(
        "{{\"conversation_id\":\"c1\",\"timestamp\":\"2026-03-02T09:00:00Z\",\"role\":\"customer\",\"text\":\"hi\"}}\n\
         {{\"conversation_id\":\"c1\",\"timestamp\":\"not a time\",\"role\":\"ai\",\"text\":\"Hi, I am a virtual assistant\"}}\n\
         {{\"conversation_id\":\"c1\",\"timestamp\":\"{ai_time}\",\"role\":\"ai\",\"text\":\"How can I help?\"}}\n\
         {{\"conversation_id\":\"c1\",\"timestamp\":\"2026-03-02T09:00:20Z\",\"role\":\"customer\",\"text\":\"I want a human\"}}\n\
         {{\"conversation_id\":\"c1\",\"timestamp\":\"{agent_time}\",\"role\":\"human_agent\",\"text\":\"Hello, I am Ann\"}}\n"
    )
}

#[test]
fn time_to_escalation_is_never_negative_and_skips_messages_without_a_usable_time() {
    let outcome = one_file(
        "t.jsonl",
        escalation_log("2026-03-02T09:00:10Z", "2026-03-02T09:01:10Z").as_bytes(),
    );
    let secs = &outcome.report.summary.seconds_to_escalation;
    assert_eq!((secs.count, secs.median), (1, Some(60.0)));
    assert!(
        warnings_of(&outcome)
            .iter()
            .any(|(line, m)| *line == Some(2) && m.contains("\"not a time\""))
    );
    // A clock that runs backwards gives no time rather than a negative one.
    let outcome = one_file(
        "t.jsonl",
        escalation_log("2026-03-02T09:00:10Z", "2026-03-02T08:00:00Z").as_bytes(),
    );
    let secs = &outcome.report.summary.seconds_to_escalation;
    assert_eq!(secs.count, 0);
    assert!(secs.median.is_none());
}

/// Property tests: invariants that must hold for any log of the canonical shape.
mod properties {
    use proptest::prelude::*;

    use super::{AuditOutcome, one_file};

    const TEXTS: [&str; 6] = [
        "Hello, I am a virtual assistant",
        "I want to talk to a human",
        "You can ask for an agent at any time",
        "Let me transfer you to a colleague",
        "thanks",
        "My order did not arrive",
    ];
    const ROLES: [&str; 4] = ["customer", "ai", "human_agent", "system"];

    /// One line of a log: a message (conversation, role, text, seconds or a bad time) or a broken line.
    #[derive(Clone, Debug)]
    enum Line {
        Message(usize, usize, usize, Option<u32>),
        Broken(usize),
    }

    fn line() -> impl Strategy<Value = Line> {
        prop_oneof![
            8 => (0..4usize, 0..ROLES.len(), 0..TEXTS.len(), proptest::option::weighted(0.9, 0..100_000u32))
                .prop_map(|(c, r, t, s)| Line::Message(c, r, t, s)),
            1 => (0..3usize).prop_map(Line::Broken),
        ]
    }

    /// The log's text; each message of a conversation gets a distinct time, so that the order of the
    /// lines does not decide the order of the messages.
    fn render(lines: &[Line]) -> String {
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            match *line {
                Line::Message(c, r, t, secs) => {
                    let time = match secs {
                        Some(secs) => {
                            let at = chrono::DateTime::from_timestamp(
                                1_767_225_600 + i64::from(secs) * 1000 + i as i64,
                                0,
                            )
                            .unwrap();
                            at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
                        }
                        None => "yesterday-ish".to_owned(),
                    };
                    out.push_str(&format!(
                        "{{\"conversation_id\":\"c{c}\",\"timestamp\":\"{time}\",\"role\":\"{}\",\"text\":\"{}\"}}\n",
                        ROLES[r], TEXTS[t]
                    ));
                }
                Line::Broken(0) => out.push_str("{\"conversation_id\":\"c1\",\"role\":\"ai\"\n"),
                Line::Broken(1) => out.push_str("{\"role\":\"ai\",\"text\":\"no id\"}\n"),
                Line::Broken(_) => {
                    out.push_str(
                        "{\"conversation_id\":\"c2\",\"role\":\"robot\",\"text\":\"x\"}\n",
                    );
                }
            }
        }
        out
    }

    fn audit_text(text: &str) -> AuditOutcome {
        one_file("p.jsonl", text.as_bytes())
    }

    fn lines_and_shuffle() -> impl Strategy<Value = (Vec<Line>, Vec<usize>)> {
        proptest::collection::vec(line(), 3..40).prop_flat_map(|lines| {
            let order: Vec<usize> = (0..lines.len()).collect();
            (Just(lines), Just(order).prop_shuffle())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn shuffling_the_lines_of_a_log_changes_no_finding((lines, order) in lines_and_shuffle()) {
            // Every message has a time, fixed per line before shuffling, so each message keeps its time.
            let lines: Vec<Line> = lines
                .into_iter()
                .map(|line| match line {
                    Line::Message(c, r, t, None) => Line::Message(c, r, t, Some(0)),
                    other => other,
                })
                .collect();
            let text = render(&lines);
            let rendered: Vec<&str> = text.lines().collect();
            let shuffled: String = order.iter().map(|&i| format!("{}\n", rendered[i])).collect();
            let a = audit_text(&text);
            let b = audit_text(&shuffled);
            prop_assume!(a.report.summary.conversations > 0);
            prop_assert_eq!(&a.report.findings, &b.report.findings);
            prop_assert_eq!(&a.report.summary, &b.report.summary);
        }

        #[test]
        fn every_record_is_in_a_conversation_or_counted_as_skipped(lines in proptest::collection::vec(line(), 1..40)) {
            let outcome = audit_text(&render(&lines));
            let input = &outcome.report.inputs[0];
            let in_conversations: usize = outcome
                .conversations
                .iter()
                .map(|c| c.messages.len() + c.notes.len())
                .sum();
            prop_assert_eq!(input.messages as usize, in_conversations);
            prop_assert_eq!(input.messages + input.skipped, lines.len() as u64);
            prop_assert!(input.warnings.len() as u64 >= input.skipped.min(1000));
        }

        #[test]
        fn rates_are_shares_and_times_to_escalation_are_never_negative(lines in proptest::collection::vec(line(), 1..40)) {
            let outcome = audit_text(&render(&lines));
            let summary = serde_json::to_value(&outcome.report.summary).unwrap();
            let mut stack = vec![("summary".to_owned(), summary)];
            while let Some((key, value)) = stack.pop() {
                match value {
                    serde_json::Value::Object(map) => stack.extend(map.into_iter()),
                    serde_json::Value::Array(items) => {
                        stack.extend(items.into_iter().map(|v| (key.clone(), v)));
                    }
                    serde_json::Value::Number(n) if key.ends_with("_rate") => {
                        let rate = n.as_f64().unwrap();
                        prop_assert!((0.0..=1.0).contains(&rate), "{} = {}", key, rate);
                    }
                    _ => {}
                }
            }
            for fact in &outcome.report.facts {
                prop_assert!(fact.secs_to_escalation.is_none_or(|s| s >= 0.0));
            }
            let secs = &outcome.report.summary.seconds_to_escalation;
            for value in [secs.median, secs.p90, secs.mean].into_iter().flatten() {
                prop_assert!(value >= 0.0);
            }
        }
    }
}

#[test]
fn an_unclosed_quote_in_a_platform_csv_export_does_not_swallow_the_rows_after_it() {
    let fixture = repo_path("tests/fixtures/platforms/salesforce/conversation_entries.csv");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let whole = audit(&[fixture]);
    // Line 3's last cell loses its closing quote.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert!(lines[2].ends_with("\"false\""));
    lines[2].pop();
    let broken = one_file("entries.csv", (lines.join("\n") + "\n").as_bytes());
    assert_eq!(
        broken.report.inputs[0].platform,
        whole.report.inputs[0].platform
    );
    assert_eq!(
        broken.report.summary.conversations,
        whole.report.summary.conversations
    );
    assert!(
        warnings_of(&broken)
            .iter()
            .any(|(line, m)| *line == Some(3) && m.contains("read with its quotes as text")),
        "{:?}",
        warnings_of(&broken)
    );
    assert_eq!(messages(&broken), messages(&whole));
}

/// Every input the fuzzer once failed on (kept in fuzz/regressions/ after its fix) imports and audits.
#[test]
fn inputs_the_fuzzer_once_failed_on_are_audited() {
    let dir = crate::common::repo_path("fuzz/regressions");
    let mut logs: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    logs.sort();
    assert!(!logs.is_empty());
    for log in logs {
        let outcome = crate::common::audit(std::slice::from_ref(&log));
        let input = &outcome.report.inputs[0];
        assert!(
            input.conversations > 0 || input.error.is_some(),
            "{}: {input:?}",
            log.display()
        );
    }
}
