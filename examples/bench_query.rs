//! Measures how long the findings table takes to filter and sort 1,000,000 findings (what the app does when
//! a filter or sort changes). Run with `cargo run --release --example bench_query`.

use std::time::Instant;

use candor::audit::AuditReport;
use candor::export::ReviewStatus;
use candor::query::{FindingFilter, SortColumn, SortKey, finding_facts, query};
use candor::rules::{ConversationFacts, Finding, HandlingPath, RuleId};

const FINDINGS: usize = 1_000_000;
const EVIDENCE: [&str; 6] = [
    "Hi, thanks for contacting Northwind Mobile! How can I help you today?",
    "talk to a human",
    "No, I'm a real person here to help!",
    "I'm here to help you with anything about your account! What would you like to do next?",
    "representative please",
    "",
];

fn main() {
    let conversations = FINDINGS / 2;
    let mut facts: Vec<ConversationFacts> = (0..conversations)
        .map(|i| ConversationFacts {
            language: "en".into(),
            assessed: true,
            id: format!("conv-{i:07}").into(),
            source: 0,
            channel: ["chat", "voice", "email", "social"][i % 4].into(),
            path: HandlingPath::ALL[i % 4],
            messages: 8,
            disclosed: i % 3 != 0,
            disclosed_in_time: i % 5 != 0,
            human_offered: i % 2 == 0,
            human_requests: (i % 3) as u32,
            human_request_unmet: i % 7 == 0,
            failed_handoffs: 0,
            secs_to_escalation: None,
            ai_turns_before_escalation: None,
            csat: None,
            started_at: chrono::DateTime::from_timestamp(1_767_225_600 + (i as i64) * 60, 0),
            ended_at: None,
        })
        .collect();
    facts.sort_by(|a, b| a.id.cmp(&b.id));
    let mut findings: Vec<Finding> = (0..FINDINGS)
        .map(|i| {
            let rule = RuleId::ALL[i % RuleId::ALL.len()];
            Finding {
                conversation_id: format!("conv-{:07}", i / 2).into(),
                rule,
                severity: rule.severity(),
                message_index: Some(i % 9),
                timestamp: chrono::DateTime::from_timestamp(1_767_225_600 + (i as i64) * 30, 0),
                evidence: EVIDENCE[i % EVIDENCE.len()].into(),
                explanation: format!("{} in message {}", rule.description(), i % 9 + 1).into(),
                source: 0,
                evidence_span: None,
                more_evidence: Box::default(),
            }
        })
        .collect();
    candor::audit::sort_findings(&mut findings);
    let report = AuditReport {
        facts,
        findings,
        ..AuditReport::default()
    };
    let started = Instant::now();
    let finding_to_facts = finding_facts(&report);
    println!(
        "{:<44} {:>8.1} ms",
        "index findings to conversations (once per load)",
        ms(started)
    );

    let cases: Vec<(&str, FindingFilter, SortKey)> = vec![
        (
            "no filter, default sort",
            FindingFilter::default(),
            SortKey::default(),
        ),
        (
            "no filter, sort by time",
            FindingFilter::default(),
            SortKey::default().toggled(SortColumn::Time),
        ),
        (
            "no filter, sort by rule",
            FindingFilter::default(),
            SortKey::default().toggled(SortColumn::Rule),
        ),
        (
            "text \"refund\" (no match)",
            text("refund"),
            SortKey::default(),
        ),
        (
            "text \"human\" (many matches)",
            text("human"),
            SortKey::default(),
        ),
        (
            "text \"conv-0004\" (an id prefix)",
            text("conv-0004"),
            SortKey::default(),
        ),
        (
            "rule + channel filter",
            {
                let mut filter = FindingFilter::default();
                filter.rules.insert(RuleId::HumanRequestUnmet);
                filter.channels.insert("voice".to_owned());
                filter
            },
            SortKey::default(),
        ),
    ];
    for (name, filter, sort) in cases {
        let mut best = f64::MAX;
        let mut rows = 0;
        for _ in 0..3 {
            let started = Instant::now();
            rows = query(
                &report,
                &finding_to_facts,
                &|_| ReviewStatus::Open,
                &filter,
                sort,
            )
            .len();
            best = best.min(ms(started));
        }
        println!("{name:<44} {best:>8.1} ms  ({rows} rows)");
    }
}

fn text(needle: &str) -> FindingFilter {
    FindingFilter {
        text: needle.to_owned(),
        ..FindingFilter::default()
    }
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}
