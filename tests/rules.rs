//! Every rule, positive and negative, on the hand-made fixtures whose conversation ids name the expected
//! findings (`…__expect_none`, `…__expect_rule_a+rule_b`; see tests/fixtures/README.md).

use std::collections::BTreeSet;

use candor::rules::{HandlingPath, RuleId};

use crate::common::{audit, audit_fixture, temp_log};

/// The findings a fixture id promises.
fn expected(id: &str) -> Option<BTreeSet<String>> {
    let (_, spec) = id.split_once("__expect_")?;
    if spec == "none" {
        return Some(BTreeSet::new());
    }
    let rules: BTreeSet<String> = spec.split('+').map(str::to_uppercase).collect();
    // Ids that name a path ("expect_ai_only") rather than rules promise no findings.
    if rules.iter().all(|r| RuleId::parse(r).is_some()) {
        Some(rules)
    } else {
        Some(BTreeSet::new())
    }
}

fn check_fixture(name: &str) {
    let outcome = audit_fixture(name);
    let report = &outcome.report;
    assert!(
        report.inputs.iter().all(|i| i.error.is_none()),
        "{name}: {:?}",
        report.inputs
    );
    assert!(
        report.inputs.iter().all(|i| i.warnings.is_empty()),
        "{name}: {:?}",
        report.inputs[0].warnings
    );
    let mut failures = Vec::new();
    for fact in &report.facts {
        let Some(want) = expected(&fact.id) else {
            continue;
        };
        let got: BTreeSet<String> = report
            .findings
            .iter()
            .filter(|f| f.conversation_id == fact.id)
            .map(|f| f.rule.code().to_owned())
            .collect();
        if got != want {
            let details: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.conversation_id == fact.id)
                .map(|f| format!("{} «{}» {}", f.rule, f.evidence, f.explanation))
                .collect();
            failures.push(format!(
                "{}: expected {want:?}, got {got:?}\n    {}",
                fact.id,
                details.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
fn disclosure_missing() {
    check_fixture("rule_disclosure_missing.jsonl");
}

#[test]
fn disclosure_late() {
    check_fixture("rule_disclosure_late.jsonl");
}

#[test]
fn human_option_missing() {
    check_fixture("rule_human_option_missing.jsonl");
}

#[test]
fn human_request_unmet() {
    check_fixture("rule_human_request_unmet.jsonl");
    let outcome = audit_fixture("rule_human_request_unmet.jsonl");
    assert_eq!(outcome.report.summary.failed_handoffs, 1);
    // A yes to an offered person is the evidence, and the explanation says what it answered.
    let accepted = outcome
        .report
        .findings
        .iter()
        .find(|f| f.conversation_id.starts_with("hru_pos_accepted_offer"))
        .expect("the accepted offer is a finding");
    assert_eq!(accepted.evidence, "yes please");
    assert!(
        accepted.explanation.starts_with(
            "The customer said yes when the AI offered to put them through to a person"
        ),
        "{}",
        accepted.explanation
    );
}

#[test]
fn human_request_repeated() {
    check_fixture("rule_human_request_repeated.jsonl");
}

#[test]
fn every_request_of_a_repeated_request_is_evidence() {
    let outcome = audit_fixture("rule_human_request_repeated.jsonl");
    let repeated: Vec<_> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.rule == RuleId::HumanRequestRepeated)
        .collect();
    assert!(!repeated.is_empty());
    for finding in repeated {
        // The finding quotes the second request and carries the others, the first among them.
        assert!(
            !finding.more_evidence.is_empty(),
            "{}",
            finding.conversation_id
        );
        assert!(
            finding
                .more_evidence
                .iter()
                .any(|more| Some(more.message_index) < finding.message_index)
        );
        for more in &finding.more_evidence {
            assert_ne!(Some(more.message_index), finding.message_index);
            assert!(!more.evidence.is_empty());
        }
    }
    let view = candor::export::ExportView::all(&outcome.report);
    let mut json = Vec::new();
    candor::export::export(&view, candor::export::ExportFormat::Json, &mut json).unwrap();
    let json = String::from_utf8(json).unwrap();
    assert!(
        json.contains("\"more_evidence\""),
        "the JSON names the other requests"
    );
}

#[test]
fn identity_question_unanswered() {
    check_fixture("rule_identity_unanswered.jsonl");
}

#[test]
fn identity_denied() {
    check_fixture("rule_identity_denied.jsonl");
}

#[test]
fn negations_do_not_trigger() {
    check_fixture("negations.jsonl");
}

#[test]
fn handling_paths() {
    check_fixture("paths.jsonl");
    let outcome = audit_fixture("paths.jsonl");
    for fact in &outcome.report.facts {
        let want = match fact.id.rsplit_once("__expect_").map(|(_, p)| p) {
            Some("ai_only") => HandlingPath::AiOnly,
            Some("escalated") => HandlingPath::Escalated,
            Some("human_only") => HandlingPath::HumanOnly,
            Some("no_agent") => HandlingPath::NoAgent,
            other => panic!("unexpected id {other:?}"),
        };
        assert_eq!(fact.path, want, "{}", fact.id);
    }
    assert_eq!(outcome.report.summary.failed_handoffs, 1);
}

#[test]
fn denial_in_reply_to_question_is_reported_as_denial_only() {
    let log = br#"{"conversation_id":"d","role":"ai","text":"Hello, how can I help?"}
{"conversation_id":"d","role":"customer","text":"Am I talking to a bot?"}
{"conversation_id":"d","role":"ai","text":"No, I'm a real person here to help!"}
"#;
    let (_dir, path) = temp_log("d.jsonl", log);
    let outcome = audit(&[path]);
    let rules: Vec<RuleId> = outcome.report.findings.iter().map(|f| f.rule).collect();
    assert!(rules.contains(&RuleId::AiIdentityDenied), "{rules:?}");
    assert!(
        !rules.contains(&RuleId::IdentityQuestionUnanswered),
        "{rules:?}"
    );
    // A denial is never a disclosure.
    assert!(rules.contains(&RuleId::DisclosureMissing), "{rules:?}");
    let denial = outcome
        .report
        .findings
        .iter()
        .find(|f| f.rule == RuleId::AiIdentityDenied)
        .unwrap();
    assert_eq!(denial.message_index, Some(2));
    assert!(
        denial.evidence.to_lowercase().contains("real person"),
        "{}",
        denial.evidence
    );
}

#[test]
fn findings_carry_evidence_and_explanation() {
    let outcome = audit_fixture("rule_human_request_unmet.jsonl");
    for finding in &outcome.report.findings {
        assert!(!finding.explanation.is_empty());
        if finding.rule == RuleId::HumanRequestUnmet {
            assert!(finding.message_index.is_some());
            assert!(!finding.evidence.is_empty());
            let (start, end) = finding.evidence_span.unwrap();
            assert!(start < end);
        }
    }
}

/// One AI opener per conversation; says whether the conversation counts as disclosed.
fn disclosed(openers: &[&str]) -> Vec<bool> {
    let mut log = String::new();
    for (i, text) in openers.iter().enumerate() {
        let line =
            serde_json::json!({"conversation_id": format!("c{i:03}"), "role": "ai", "text": text});
        log.push_str(&line.to_string());
        log.push('\n');
    }
    let (_dir, path) = temp_log("openers.jsonl", log.as_bytes());
    let outcome = audit(&[path]);
    outcome.report.facts.iter().map(|f| f.disclosed).collect()
}

#[test]
fn human_job_titles_are_not_disclosures() {
    let openers = [
        "Hi, I'm Dana, a support agent at Acme.",
        "I'm a customer service representative.",
        "Hello, I'm your help agent today.",
        "I'm Tom, a customer service agent.",
        "This is Maria from the support team.",
        "I'm a digital marketing specialist.",
        "Hi, I'm the smart home support advisor.",
    ];
    assert_eq!(disclosed(&openers), vec![false; openers.len()]);
}

#[test]
fn disclosures_in_many_phrasings() {
    let openers = [
        "Hey, I'm Sam — an AI-powered assistant for Contoso.",
        "Hello and welcome to Acme Bank. I'm Aria, Acme's virtual banking assistant.",
        "I'm a virtual customer service representative.",
        "Before we start: I'm an AI, so I may make mistakes.",
        "Just a heads-up: I'm not a real person, I'm an automated helper.",
        "Hi, you've reached Acme's automated assistant.",
        "I’m Acme’s AI assistant.",
        "Hola, soy el asistente virtual de Acme.",
        "Hallo, ich bin der digitale Assistent von Acme.",
        "Bonjour, je suis l'assistant virtuel d'Acme.",
    ];
    assert_eq!(disclosed(&openers), vec![true; openers.len()]);
}

#[test]
fn platform_notices_disclose_and_offer() {
    // A notice (system line without an event) before the first AI message counts as a timely disclosure.
    let disclosing = [
        "This call may be recorded. You are speaking with an automated assistant.",
        "Thanks for calling Acme. Our virtual agent will help you today.",
        "You're now chatting with Acme's AI assistant.",
        "Calls are answered by an automated system.",
        "This chat uses AI to answer your questions.",
    ];
    // A notice that offers a person counts as an offer of a human.
    let offering = [
        "Press 0 at any time to speak to an agent.",
        "Say 'agent' to be connected to a representative.",
        "Need a person? Tap 'Chat with us' to reach our team.",
        "To speak with a member of our team, call 0800 000 000.",
    ];
    let mut log = String::new();
    let mut push = |id: String, role: &str, text: &str| {
        let line = serde_json::json!({"conversation_id": id, "role": role, "text": text});
        log.push_str(&line.to_string());
        log.push('\n');
    };
    for (i, notice) in disclosing.iter().enumerate() {
        push(format!("d{i}"), "system", notice);
        push(
            format!("d{i}"),
            "ai",
            "How can I help? Say agent at any time to reach a person.",
        );
    }
    for (i, notice) in offering.iter().enumerate() {
        push(format!("o{i}"), "ai", "Hi, I'm Acme's virtual assistant.");
        push(format!("o{i}"), "system", notice);
        push(format!("o{i}"), "ai", "What can I do for you?");
    }
    let (_dir, path) = temp_log("notices.jsonl", log.as_bytes());
    let outcome = audit(&[path]);
    let unexpected: Vec<String> = outcome
        .report
        .findings
        .iter()
        .map(|f| format!("{} {}", f.conversation_id, f.rule))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    for fact in &outcome.report.facts {
        assert!(fact.disclosed_in_time, "{}", fact.id);
        assert!(fact.human_offered, "{}", fact.id);
    }
}
