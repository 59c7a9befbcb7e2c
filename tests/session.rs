//! The session behind the app: commands, review persistence and exports, without a window.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use candor::export::{ExportFormat, ReviewStatus};
use candor::query::{FindingFilter, SortColumn, SortKey};
use candor::rules::{RuleId, RulePack};
use candor::session::{self, Command, ExportSelection, LoadProgress, SelectMode, Session};
use chrono::{DateTime, Utc};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn open(paths: &[PathBuf], review_dir: &Path) -> Session {
    let loaded = session::load_paths(
        paths,
        &RulePack::builtin(),
        None,
        &LoadProgress::default(),
        now(),
    )
    .unwrap();
    Session::new(loaded, Some(review_dir.to_path_buf()), "Dana")
}

/// Logs with a finding for sure: an AI that never discloses or offers a human, and a denial.
fn flagged_log(dir: &Path) -> PathBuf {
    let path = dir.join("flagged.jsonl");
    let lines = [
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:00Z","channel":"chat","role":"customer","text":"Hi, my bill is wrong"}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:10Z","channel":"chat","role":"ai","text":"I can look at that for you."}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:20Z","channel":"chat","role":"customer","text":"are you a bot?"}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:30Z","channel":"chat","role":"ai","text":"No, I'm a real person here to help."}"#,
        r#"{"conversation_id":"c2","timestamp":"2026-01-12T09:00:00Z","channel":"voice","role":"customer","text":"Cancel my plan"}"#,
        r#"{"conversation_id":"c2","timestamp":"2026-01-12T09:00:05Z","channel":"voice","role":"ai","text":"Sure, that is done."}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn samples_load_from_the_binary() {
    let loaded =
        session::load_samples(&RulePack::builtin(), &LoadProgress::default(), now()).unwrap();
    assert_eq!(loaded.report.inputs.len(), session::SAMPLE_LOGS.len());
    assert!(loaded.report.summary.conversations > 0);
    assert_eq!(loaded.conversations.len(), loaded.report.facts.len());
    let session = Session::new(loaded, None, "");
    assert!(session.is_loaded());
    assert_eq!(session.rows().len(), session.report().findings.len());
}

#[test]
fn kept_conversations_are_those_audited_and_keeping_them_changes_no_finding() {
    let paths = [PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_logs")];
    let progress = candor::import::ImportProgress::default();
    let pack = RulePack::builtin();
    let kept = candor::audit::audit_paths(&paths, &pack, true, &progress, now()).unwrap();
    let not_kept = candor::audit::audit_paths(&paths, &pack, false, &progress, now()).unwrap();
    assert_eq!(kept.report, not_kept.report);
    assert!(not_kept.conversations.is_empty());
    let conversations = kept.conversations.to_vec();
    assert_eq!(conversations.len(), kept.report.facts.len());
    // Each conversation sits beside its own facts, and auditing it alone gives the same facts and
    // findings: what a re-audit reads is what was read from the files.
    for (conversation, facts) in conversations.iter().zip(&kept.report.facts) {
        let (again, findings) = candor::rules::analyse(conversation, &pack);
        assert_eq!(&again, facts);
        let reported: Vec<_> = kept
            .report
            .findings
            .iter()
            .filter(|f| f.conversation_id == facts.id && f.source == facts.source)
            .cloned()
            .collect();
        let mut findings = findings;
        candor::audit::sort_findings(&mut findings);
        assert_eq!(findings, reported);
    }
}

#[test]
fn filter_sort_and_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[flagged_log(dir.path())], dir.path());
    let total = session.report().findings.len();
    assert!(total >= 2, "expected findings, got {total}");

    let mut filter = FindingFilter::default();
    filter.rules.insert(RuleId::DisclosureMissing);
    session.apply(Command::SetFilter(filter), now()).unwrap();
    assert!(
        session
            .rows()
            .iter()
            .all(|&i| session.report().findings[i].rule == RuleId::DisclosureMissing)
    );
    assert!(!session.rows().is_empty());

    session
        .apply(Command::SetFilter(FindingFilter::default()), now())
        .unwrap();
    session
        .apply(
            Command::Sort(SortKey::default().toggled(SortColumn::Severity)),
            now(),
        )
        .unwrap();
    let severities: Vec<_> = session
        .rows()
        .iter()
        .map(|&i| session.report().findings[i].severity)
        .collect();
    assert!(severities.windows(2).all(|w| w[0] >= w[1]));

    let first = session.rows()[0];
    session.apply(Command::OpenFinding(first), now()).unwrap();
    let fact = session.open_conversation().unwrap();
    assert_eq!(
        session.report().facts[fact].id,
        session.report().findings[first].conversation_id
    );
    assert!(session.findings_of_conversation(fact).contains(&first));
    assert!(session.conversation(fact).is_some());
}

#[test]
fn reviews_survive_reopening_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let flagged = flagged_log(dir.path());
    let other = fixture("rule_disclosure_missing.jsonl");

    let mut session = open(&[flagged.clone(), other.clone()], reviews.path());
    let total = session.report().findings.len();
    session
        .apply(
            Command::SetReview {
                findings: vec![0],
                status: ReviewStatus::Confirmed,
                note: "Clear breach".to_owned(),
            },
            now(),
        )
        .unwrap();
    session
        .apply(
            Command::SetReview {
                findings: vec![1],
                status: ReviewStatus::Dismissed,
                note: String::new(),
            },
            now(),
        )
        .unwrap();
    let counts = session.review_counts().clone();
    assert_eq!(counts[&ReviewStatus::Confirmed], 1);
    assert_eq!(counts[&ReviewStatus::Dismissed], 1);
    assert_eq!(counts[&ReviewStatus::Open], total - 2);
    let file = session.review_file().unwrap();
    assert!(file.exists());
    let key0 = session.finding_key(&session.report().findings[0]);

    // The same inputs, given in the other order, restore the decisions.
    let reopened = open(&[other, flagged], reviews.path());
    assert_eq!(reopened.review_file().unwrap(), file);
    let index = reopened
        .report()
        .findings
        .iter()
        .position(|f| reopened.finding_key(f) == key0)
        .unwrap();
    let review = reopened.review(index).unwrap();
    assert_eq!(review.status, ReviewStatus::Confirmed);
    assert_eq!(review.note, "Clear breach");
    assert_eq!(review.reviewer, "Dana");
    assert_eq!(review.reviewed_at, "2026-05-28T20:26:40Z");
    assert_eq!(reopened.review_counts()[&ReviewStatus::Dismissed], 1);

    // Other inputs do not see them.
    let unrelated = open(&[fixture("rule_disclosure_missing.jsonl")], reviews.path());
    assert_ne!(unrelated.review_file().unwrap(), file);
    assert_eq!(unrelated.review_counts()[&ReviewStatus::Confirmed], 0);
}

#[test]
fn reopening_a_finding_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[flagged_log(dir.path())], dir.path());
    let review = |status| Command::SetReview {
        findings: vec![0, 1],
        status,
        note: String::new(),
    };
    session
        .apply(review(ReviewStatus::Confirmed), now())
        .unwrap();
    assert_eq!(session.review_status(1), ReviewStatus::Confirmed);
    session.apply(review(ReviewStatus::Open), now()).unwrap();
    assert!(session.review(0).is_none());
    assert!(session.review(1).is_none());
}

#[test]
fn review_filter_follows_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[flagged_log(dir.path())], dir.path());
    let mut filter = FindingFilter::default();
    filter.review.insert(ReviewStatus::Open);
    session.apply(Command::SetFilter(filter), now()).unwrap();
    let before = session.rows().len();
    session
        .apply(
            Command::SetReview {
                findings: vec![session.rows()[0]],
                status: ReviewStatus::Dismissed,
                note: String::new(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(session.rows().len(), before - 1);
}

#[test]
fn selection_modes() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[flagged_log(dir.path())], dir.path());
    let rows = session.rows().to_vec();
    assert!(rows.len() >= 3);
    let select = |finding, mode| Command::SelectFinding {
        finding: Some(finding),
        mode,
    };
    session
        .apply(select(rows[0], SelectMode::Replace), now())
        .unwrap();
    session
        .apply(select(rows[2], SelectMode::Range), now())
        .unwrap();
    assert_eq!(session.selected().len(), 3);
    session
        .apply(select(rows[1], SelectMode::Toggle), now())
        .unwrap();
    assert_eq!(session.selected().len(), 2);
    session.apply(Command::SelectAllShown, now()).unwrap();
    assert_eq!(session.selected().len(), rows.len());
}

#[test]
fn exports_match_the_cli_writers_and_carry_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[flagged_log(dir.path())], dir.path());
    session
        .apply(
            Command::SetReview {
                findings: vec![0],
                status: ReviewStatus::Confirmed,
                note: "Checked with the team lead".to_owned(),
            },
            now(),
        )
        .unwrap();

    let all = dir.path().join("all.csv");
    session
        .apply(
            Command::Export {
                format: ExportFormat::Csv,
                selection: ExportSelection::All,
                path: all.clone(),
            },
            now(),
        )
        .unwrap();
    let text = std::fs::read_to_string(&all).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), session.report().findings.len());
    assert!(text.contains("Checked with the team lead"));
    assert!(text.contains("Dana"));

    let confirmed = dir.path().join("confirmed.csv");
    session
        .apply(
            Command::Export {
                format: ExportFormat::Csv,
                selection: ExportSelection::Confirmed,
                path: confirmed.clone(),
            },
            now(),
        )
        .unwrap();
    let mut reader = csv::Reader::from_path(&confirmed).unwrap();
    assert_eq!(reader.records().count(), 1);

    // Without reviews, the app's export of everything is byte-identical to the CLI's writer.
    let fresh = tempfile::tempdir().unwrap();
    let clean = open(&[flagged_log(dir.path())], fresh.path());
    for format in ExportFormat::ALL {
        let mut app_bytes = Vec::new();
        clean
            .export_job(format, ExportSelection::All)
            .write(&mut app_bytes)
            .unwrap();
        let mut cli_bytes = Vec::new();
        candor::export::export(
            &candor::export::ExportView::all(clean.report()),
            format,
            &mut cli_bytes,
        )
        .unwrap();
        assert_eq!(app_bytes, cli_bytes, "{format} differs");
    }
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let session = open(
        &[
            fixture("bad_invalid_json.jsonl"),
            flagged_log(dir.path()),
            dir.path().join("missing.jsonl"),
        ],
        dir.path(),
    );
    let inputs = &session.report().inputs;
    assert_eq!(inputs.len(), 3);
    let bad = inputs
        .iter()
        .find(|i| i.path.ends_with("bad_invalid_json.jsonl"))
        .unwrap();
    assert!(bad.warnings.iter().any(|w| w.line.is_some()));
    let missing = inputs
        .iter()
        .find(|i| i.path.ends_with("missing.jsonl"))
        .unwrap();
    assert!(missing.error.is_some());
    assert!(session.report().facts.iter().any(|f| f.id == "c1"));
}

#[test]
fn conversation_reviews_are_saved_beside_finding_reviews_and_old_files_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let flagged = flagged_log(dir.path());
    let mut session = open(std::slice::from_ref(&flagged), reviews.path());
    assert_eq!(
        session.conversation_status(0),
        session::ConversationStatus::OpenFindings(session.findings_of_conversation(0).len())
    );
    session
        .apply(
            Command::SetReview {
                findings: vec![0],
                status: ReviewStatus::Confirmed,
                note: String::new(),
            },
            now(),
        )
        .unwrap();
    session
        .apply(
            Command::ReviewConversation {
                fact: 0,
                reviewed: true,
                note: " Whole transcript read ".to_owned(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(
        session.conversation_status(0),
        session::ConversationStatus::Reviewed
    );
    let file = session.review_file().unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // The format tag is unchanged: older versions keep the new list as an unknown field.
    assert_eq!(saved["format"], "candor.reviews/1");
    assert_eq!(saved["reviews"].as_array().unwrap().len(), 1);
    let stored = &saved["conversation_reviews"][0];
    assert_eq!(stored["conversation_id"], "c1");
    assert_eq!(stored["note"], "Whole transcript read");
    assert_eq!(stored["reviewer"], "Dana");

    let reopened = open(std::slice::from_ref(&flagged), reviews.path());
    let review = reopened.conversation_review(0).unwrap();
    assert_eq!(review.note, "Whole transcript read");
    assert_eq!(review.reviewed_at, "2026-05-28T20:26:40Z");
    assert_eq!(reopened.review_status(0), ReviewStatus::Confirmed);

    // A file written before conversation reviews existed reads as before.
    let mut old = saved.clone();
    old.as_object_mut().unwrap().remove("conversation_reviews");
    std::fs::write(&file, serde_json::to_vec(&old).unwrap()).unwrap();
    let mut from_old = open(std::slice::from_ref(&flagged), reviews.path());
    assert!(from_old.conversation_review(0).is_none());
    assert_eq!(from_old.review_status(0), ReviewStatus::Confirmed);

    // Clearing the mark removes it from the file.
    from_old
        .apply(
            Command::ReviewConversation {
                fact: 0,
                reviewed: true,
                note: String::new(),
            },
            now(),
        )
        .unwrap();
    from_old
        .apply(
            Command::ReviewConversation {
                fact: 0,
                reviewed: false,
                note: String::new(),
            },
            now(),
        )
        .unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(saved.get("conversation_reviews").is_none());
    assert!(
        open(&[flagged], reviews.path())
            .conversation_review(0)
            .is_none()
    );
}

#[test]
fn a_drill_down_replaces_filters_but_keeps_the_period_and_channels() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[flagged_log(dir.path())], dir.path());
    let mut filter = FindingFilter {
        text: "bill".to_owned(),
        ..FindingFilter::default()
    };
    filter.rules.insert(RuleId::DisclosureMissing);
    filter.channels.insert("chat".to_owned());
    session.apply(Command::SetFilter(filter), now()).unwrap();
    let drill = candor::query::Drill::of("All", &session.report().facts, |_| true);
    session.apply(Command::Drill(Some(drill)), now()).unwrap();
    let after = session.filter();
    assert!(after.rules.is_empty() && after.text.is_empty());
    assert!(after.channels.contains("chat"));
    assert!(after.drill.is_some());
    assert_eq!(session.conversation_rows(), &[0]);
}

/// A log whose Polish conversation is not assessed unless every conversation is read as English.
fn mixed_language_log(dir: &Path) -> PathBuf {
    let path = dir.join("mixed.jsonl");
    let lines = [
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:10Z","channel":"chat","role":"ai","text":"I can look at that for you."}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:20Z","channel":"chat","role":"customer","text":"are you a bot?"}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:30Z","channel":"chat","role":"ai","text":"No, I'm a real person here to help."}"#,
        r#"{"conversation_id":"pl1","role":"ai","text":"Dzień dobry, w czym mogę pomóc? Proszę opisać problem z zamówieniem."}"#,
        r#"{"conversation_id":"pl1","role":"customer","text":"Moja paczka nie dotarła, a zamówienie złożyłem tydzień temu."}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn reaudit_without_reading_the_files_again_equals_a_fresh_audit_and_keeps_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let log = mixed_language_log(dir.path());
    let mut english = RulePack::builtin();
    english.language = Some("en".to_owned());
    // What opening the file with English forced gives: the reference.
    let fresh = session::load_paths(
        std::slice::from_ref(&log),
        &english,
        None,
        &LoadProgress::default(),
        now(),
    )
    .unwrap()
    .report;

    let mut session = open(std::slice::from_ref(&log), dir.path());
    let before = session.report().clone();
    assert_eq!(before.summary.not_assessed, 1);
    let denial = before
        .findings
        .iter()
        .position(|f| f.rule == RuleId::AiIdentityDenied)
        .unwrap();
    session
        .apply(
            Command::SetReview {
                findings: vec![denial],
                status: ReviewStatus::Confirmed,
                note: "checked".to_owned(),
            },
            now(),
        )
        .unwrap();
    // The file is gone: a re-audit that read it again would fail.
    std::fs::remove_file(&log).unwrap();

    let job = session.reaudit_job().unwrap();
    assert_eq!(job.conversations(), 2);
    let progress = candor::import::ImportProgress::default();
    let report = job.run(&english, &progress, now()).unwrap();
    assert_eq!(
        progress
            .conversations
            .load(std::sync::atomic::Ordering::Relaxed),
        2
    );
    assert!(session.take_reaudit(&job, report).is_ok());

    let after = session.report();
    assert_eq!(after.findings, fresh.findings);
    assert_eq!(after.facts, fresh.facts);
    assert_eq!(after.summary, fresh.summary);
    // The inputs are as first read: same hash, no error.
    assert_eq!(after.inputs, before.inputs);
    assert!(after.inputs.iter().all(|input| input.error.is_none()));
    assert_eq!(after.summary.not_assessed, 0);
    assert!(after.findings.iter().any(|f| f.conversation_id == "pl1"));
    // The decision follows its finding by key.
    let denial = after
        .findings
        .iter()
        .position(|f| f.rule == RuleId::AiIdentityDenied)
        .unwrap();
    assert_eq!(session.review_status(denial), ReviewStatus::Confirmed);
    assert_eq!(session.rows().len(), after.findings.len());
}

#[test]
fn a_cancelled_or_stale_reaudit_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[mixed_language_log(dir.path())], dir.path());
    let before = session.report().clone();
    let job = session.reaudit_job().unwrap();
    let progress = candor::import::ImportProgress::default();
    progress
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(matches!(
        job.run(&RulePack::builtin(), &progress, now()),
        Err(candor::import::ImportError::Cancelled)
    ));
    // A re-audit of logs that are no longer open is refused.
    let mut english = RulePack::builtin();
    english.language = Some("en".to_owned());
    let report = job
        .run(&english, &candor::import::ImportProgress::default(), now())
        .unwrap();
    session.replace(
        session::load_paths(
            &[flagged_log(dir.path())],
            &RulePack::builtin(),
            None,
            &LoadProgress::default(),
            now(),
        )
        .unwrap(),
    );
    let reopened = session.report().clone();
    assert_ne!(reopened, before);
    assert!(session.take_reaudit(&job, report).is_err());
    assert_eq!(session.report(), &reopened);
    // Nothing open, nothing to audit again.
    assert!(Session::default().reaudit_job().is_none());
}

#[test]
fn a_filter_or_decision_changed_while_auditing_again_is_applied_to_the_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = open(&[mixed_language_log(dir.path())], dir.path());
    let job = session.reaudit_job().unwrap();
    // While the job runs: a filter and a decision.
    let mut filter = FindingFilter::default();
    filter.rules.insert(RuleId::AiIdentityDenied);
    session.apply(Command::SetFilter(filter), now()).unwrap();
    session
        .apply(
            Command::SetReview {
                findings: session.rows().to_vec(),
                status: ReviewStatus::Dismissed,
                note: String::new(),
            },
            now(),
        )
        .unwrap();
    let mut english = RulePack::builtin();
    english.language = Some("en".to_owned());
    let done = job
        .run(&english, &candor::import::ImportProgress::default(), now())
        .unwrap();
    assert!(session.take_reaudit(&job, done).is_ok());
    let report = session.report();
    assert!(!session.rows().is_empty());
    assert!(
        session
            .rows()
            .iter()
            .all(|&i| report.findings[i].rule == RuleId::AiIdentityDenied
                && session.review_status(i) == ReviewStatus::Dismissed)
    );
    assert!(report.findings.iter().any(|f| f.conversation_id == "pl1"));
}
