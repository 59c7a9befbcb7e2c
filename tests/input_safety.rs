//! Hostile inputs: nothing read is silently lost, and no input stalls an audit.

use candor::audit::{AuditOutcome, expand_paths};
use candor::import::InputReport;

use crate::common::{audit, repo_path};

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
