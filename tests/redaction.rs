//! `candor audit --redact`: personal data in customer messages never reaches the exports, the exports
//! say what was redacted, and the rules still read the original text.

use std::process::Command;

use crate::common::temp_log;

const EMAIL: &str = "maria.lopez@example.com";
const PHONE: &str = "0171 2345678";
/// The classic Visa test number, Luhn-valid.
const CARD: &str = "4111 1111 1111 1111";
/// The example of the IBAN registry, checksum right.
const IBAN: &str = "DE89 3704 0044 0532 0130 00";
/// The number an AI gives to reach a person: redacted on paper, but still an offer of a human.
const OFFERED_PHONE: &str = "+44 20 7946 0958";

/// Customers give their details; one AI echoes them back without saying it is an AI (so its message is
/// quoted as evidence), another offers a phone number to reach a person.
fn log() -> String {
    let lines = [
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:00Z","channel":"chat","role":"ai","text":"Hello, I'm an AI assistant. How can I help?"}"#.to_owned(),
        format!(r#"{{"conversation_id":"c1","timestamp":"2026-01-05T10:00:10Z","channel":"chat","role":"customer","text":"My card {CARD} was charged twice, refund it to {IBAN}"}}"#),
        format!(r#"{{"conversation_id":"c1","timestamp":"2026-01-05T10:00:20Z","channel":"chat","role":"ai","text":"To speak to a person, call our billing team on {OFFERED_PHONE}."}}"#),
        format!(r#"{{"conversation_id":"c2","timestamp":"2026-01-05T11:00:00Z","channel":"chat","role":"customer","text":"Please update my details: {EMAIL}, {PHONE}, card {CARD}, IBAN {IBAN}"}}"#),
        format!(r#"{{"conversation_id":"c2","timestamp":"2026-01-05T11:00:10Z","channel":"chat","role":"ai","text":"Thanks Maria, I have saved {EMAIL}, {PHONE}, card {CARD} and IBAN {IBAN}."}}"#),
    ];
    lines.join("\n")
}

fn audit(log: &std::path::Path, format: &str, redact: bool) -> (String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .args(["audit", "--format", format]);
    if redact {
        command.arg("--redact");
    }
    let output = command.arg(log).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    (String::from_utf8(output.stdout).unwrap(), stderr)
}

/// The (conversation, rule) pairs of a JSON audit.
fn outcomes(json: &serde_json::Value) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["conversation_id"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn redacted_exports_hold_no_personal_data_and_say_so() {
    let (_dir, path) = temp_log("pii.jsonl", log().as_bytes());
    for format in ["csv", "json", "html"] {
        let (plain, _) = audit(&path, format, false);
        // Without --redact the details are there: the check below could catch a leak.
        for value in [EMAIL, PHONE, CARD, IBAN] {
            assert!(
                plain.contains(value),
                "{format} without --redact lacks {value}"
            );
        }
        let (redacted, stderr) = audit(&path, format, true);
        for value in [EMAIL, PHONE, CARD, IBAN, OFFERED_PHONE, "4111111111111111"] {
            assert!(
                !redacted.contains(value),
                "{format} with --redact shows {value}"
            );
        }
        assert!(redacted.contains("[e-mail]"), "{redacted}");
        assert!(
            stderr.contains(
                "personal data redacted: 1 e-mail address, 1 IBAN, 1 card number, 1 phone number"
            ),
            "{stderr}"
        );
        // Same input, same options: the same bytes.
        assert_eq!(audit(&path, format, true).0, redacted, "{format}");
    }

    let (csv, _) = audit(&path, "csv", true);
    let mut rows = csv.lines();
    assert!(rows.next().unwrap().ends_with(",redacted"));
    assert!(rows.all(|row| row.ends_with(",yes")), "{csv}");

    let (html, _) = audit(&path, "html", true);
    assert!(
        html.contains(
            "Personal data redacted: 1 e-mail address, 1 IBAN, 1 card number, 1 phone number"
        ),
        "{html}"
    );

    let (json, _) = audit(&path, "json", true);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["redaction"]["enabled"], true);
    let counts = &json["redaction"]["counts"];
    for kind in ["email", "phone", "card", "iban"] {
        assert_eq!(counts[kind], 1, "{kind}: {counts}");
    }
}

#[test]
fn rules_read_the_original_text() {
    let (_dir, path) = temp_log("pii.jsonl", log().as_bytes());
    let plain: serde_json::Value = serde_json::from_str(&audit(&path, "json", false).0).unwrap();
    let redacted: serde_json::Value = serde_json::from_str(&audit(&path, "json", true).0).unwrap();
    assert_eq!(outcomes(&plain), outcomes(&redacted));
    assert_eq!(plain["summary"], redacted["summary"]);
    // The phone number c1's AI gives is its offer of a person, redacted or not.
    for json in [&plain, &redacted] {
        assert!(
            !outcomes(json).contains(&("c1".to_owned(), "HUMAN_OPTION_MISSING".to_owned())),
            "{json}"
        );
    }
    assert!(outcomes(&plain).contains(&("c2".to_owned(), "HUMAN_OPTION_MISSING".to_owned())));
}

#[test]
fn without_redact_nothing_changes() {
    let (_dir, path) = temp_log("pii.jsonl", log().as_bytes());
    let (json, stderr) = audit(&path, "json", false);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json.get("redaction").is_none());
    assert!(!stderr.contains("redacted"), "{stderr}");
    let (csv, _) = audit(&path, "csv", false);
    assert!(csv.lines().next().unwrap().ends_with(",tool_version"));
    let (html, _) = audit(&path, "html", false);
    assert!(!html.contains("Personal data redacted"));
}

#[test]
fn reading_problems_that_quote_the_log_are_redacted_too() {
    // An unknown speaker value and a time that is not one are quoted in the reading problems.
    let log = [
        r#"{"conversation_id":"c1","role":"ai","text":"Hello"}"#.to_owned(),
        format!(r#"{{"conversation_id":"c1","role":"{EMAIL}","text":"hi"}}"#),
        format!(
            r#"{{"conversation_id":"c1","role":"customer","timestamp":"call {PHONE}","text":"hi"}}"#
        ),
    ]
    .join("\n");
    let (_dir, path) = temp_log("problems.jsonl", log.as_bytes());
    for format in ["json", "html"] {
        let (plain, stderr) = audit(&path, format, false);
        assert!(plain.contains(EMAIL) && stderr.contains(EMAIL), "{format}");
        let (redacted, stderr) = audit(&path, format, true);
        for value in [EMAIL, PHONE] {
            assert!(!redacted.contains(value), "{format} shows {value}");
            assert!(!stderr.contains(value), "{stderr}");
        }
        assert!(
            stderr.contains("personal data redacted: 1 e-mail address, 1 phone number"),
            "{stderr}"
        );
    }
    // The CSV holds no reading problems, so nothing of theirs is counted for it.
    let (_, stderr) = audit(&path, "csv", true);
    assert!(
        stderr.contains("personal data redacted: nothing"),
        "{stderr}"
    );
}
