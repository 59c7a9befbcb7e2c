//! Platform exports: every fixture in `tests/fixtures/platforms/<platform>/` is read and compared with
//! its `.expected.jsonl` (written with the fixture, from the platform's published schema): the same
//! conversations, and in each the same messages in order with the same speaker, text, event, rating,
//! internal flag and time.

use std::collections::BTreeMap;
use std::path::Path;

use candor::import::profile::ImportProfile;
use candor::import::{Grouping, ImportProgress, import_reader_with};
use candor::model::Conversation;
use serde_json::Value;

use crate::common::repo_path;

/// The platforms whose importers exist, with the name each report must carry and the import profile
/// (in the platform's folder) their expected files assume, for platforms without roles.
const IMPLEMENTED: &[(&str, &str, Option<&str>)] = &[
    ("intercom", "Intercom conversations", None),
    ("twilio", "Twilio Conversations", Some("profile.toml")),
    (
        "amazon_connect",
        "Amazon Connect transcripts and Lex logs",
        None,
    ),
    ("zendesk", "Zendesk tickets and messaging", None),
    (
        "salesforce",
        "Salesforce conversation entries and chat transcripts",
        None,
    ),
    ("liveperson", "LivePerson conversations", None),
    ("chatwoot", "Chatwoot conversations", None),
    ("freshchat", "Freshchat and Freshdesk conversations", None),
    ("genesys", "Genesys Cloud conversations", None),
    ("rasa", "Rasa trackers and events", None),
    (
        "bot_framework",
        "Bot Framework and Copilot Studio transcripts",
        None,
    ),
    ("dialogflow_cx", "Dialogflow CX interaction logs", None),
];

/// One message as compared: role, text, event, rating, internal, time (RFC 3339, seconds).
type Line = (String, String, String, String, bool, String);

fn expected(path: &Path) -> BTreeMap<String, Vec<Line>> {
    let mut out: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).unwrap();
        let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let time = v
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| {
                t.with_timezone(&chrono::Utc)
                    .format("%Y-%m-%dT%H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default();
        let csat = v
            .get("csat")
            .and_then(Value::as_f64)
            .map(|c| format!("{c}"))
            .unwrap_or_default();
        out.entry(get("conversation_id")).or_default().push((
            get("role"),
            collapse(&get("text")),
            get("event"),
            csat,
            v.get("internal").and_then(Value::as_bool).unwrap_or(false),
            time,
        ));
    }
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn actual(conversations: &[Conversation]) -> BTreeMap<String, Vec<Line>> {
    let mut out: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for c in conversations {
        // Notes are kept apart from the messages; compared in time order with them. A message without a
        // time (a rating at the end of a ticket) keeps its place after the message before it.
        let mut last = None;
        let mut all: Vec<(
            Option<chrono::DateTime<chrono::Utc>>,
            &candor::model::Message,
        )> = c
            .messages
            .iter()
            .map(|m| {
                last = m.timestamp.or(last);
                (last, m)
            })
            .chain(c.notes.iter().map(|m| (m.timestamp, m)))
            .collect();
        all.sort_by_key(|(t, _)| *t);
        let all = all.into_iter().map(|(_, m)| m);
        let lines = out.entry(c.id.clone()).or_default();
        for m in all {
            lines.push((
                m.role.as_str().to_owned(),
                collapse(&m.text),
                m.event.map(|e| e.as_str().to_owned()).unwrap_or_default(),
                m.csat.map(|c| format!("{c}")).unwrap_or_default(),
                m.internal,
                m.timestamp
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
                    .unwrap_or_default(),
            ));
        }
    }
    out
}

#[test]
fn platform_fixtures_read_as_their_schema_says() {
    let mut failures = Vec::new();
    for (platform, name, profile) in IMPLEMENTED {
        let dir = repo_path(&format!("tests/fixtures/platforms/{platform}"));
        let mut pairs = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(stem) = file.strip_suffix(".expected.jsonl") else {
                continue;
            };
            let fixture = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    let f = p.file_name().unwrap().to_string_lossy();
                    f.starts_with(&format!("{stem}.")) && !f.ends_with(".expected.jsonl")
                })
                .unwrap();
            let profile =
                profile.map(|p| std::sync::Arc::new(ImportProfile::load(&dir.join(p)).unwrap()));
            pairs += 1;
            let mut conversations = Vec::new();
            let report = import_reader_with(
                &fixture.display().to_string(),
                0,
                std::fs::File::open(&fixture).unwrap(),
                Grouping::Collect,
                &ImportProgress::default(),
                profile,
                &mut |c| conversations.push(c),
            )
            .unwrap();
            if report.platform.as_deref() != Some(*name) {
                failures.push(format!(
                    "{file}: read as {:?} / {:?}, expected {name}; {:?}",
                    report.platform, report.format, report.error
                ));
                continue;
            }
            let (want, got) = (expected(&path), actual(&conversations));
            if want != got {
                let mut diff = format!("{stem}: conversations differ\n");
                for id in want
                    .keys()
                    .chain(got.keys())
                    .collect::<std::collections::BTreeSet<_>>()
                {
                    let (w, g) = (want.get(id), got.get(id));
                    if w != g {
                        let (w, g) = (
                            w.cloned().unwrap_or_default(),
                            g.cloned().unwrap_or_default(),
                        );
                        let at = (0..w.len().max(g.len()))
                            .find(|&i| w.get(i) != g.get(i))
                            .unwrap_or(0);
                        diff.push_str(&format!(
                            "  {id} ({} vs {} lines), first difference at line {}:\n    want {:?}\n    got  {:?}\n",
                            w.len(),
                            g.len(),
                            at + 1,
                            w.get(at),
                            g.get(at)
                        ));
                    }
                }
                failures.push(diff);
            }
        }
        assert!(pairs > 0, "no fixtures for {platform}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn messy_platform_documents_are_read_or_refused_in_one_line() {
    let read = |text: &str| {
        let mut conversations = Vec::new();
        let report = import_reader_with(
            "export.json",
            0,
            text.as_bytes(),
            Grouping::Collect,
            &ImportProgress::default(),
            None,
            &mut |c| conversations.push(c),
        )
        .unwrap();
        (conversations, report)
    };
    // A script's own envelope around Intercom conversations, with trailing commas.
    let wrapped = r#"{
      "exported": "2026-03-01",
      "items": [
        {"example": {"type": "conversation", "id": "77", "created_at": 1739870400,
          "source": {"type": "conversation", "body": "<p>Is my card blocked?</p>",
                     "author": {"type": "user", "id": "u1"}},
          "conversation_parts": {"type": "conversation_part.list", "conversation_parts": [
            {"type": "conversation_part", "part_type": "comment", "body": "<p>I'm Fin, an AI agent.</p>",
             "created_at": 1739870405, "author": {"type": "admin", "id": "9", "from_ai_agent": true}},
          ]},
        }},
      ],
    }"#;
    let (conversations, report) = read(wrapped);
    assert_eq!(report.platform.as_deref(), Some("Intercom conversations"));
    assert_eq!(conversations.len(), 1, "{report:?}");
    assert_eq!(conversations[0].messages.len(), 2);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("commas before closing brackets")),
        "{:?}",
        report.warnings
    );
    // A pretty-printed document that is broken is one problem with its place, not one per line.
    let broken = wrapped.replace("\"items\": [", "\"items\": [[");
    let (_, report) = read(&broken);
    assert!(
        report
            .error
            .as_deref()
            .is_some_and(|e| e.contains("not valid JSON")),
        "{report:?}"
    );
    assert!(report.warnings.len() <= 1, "{:?}", report.warnings);
}

#[test]
fn a_profile_left_on_does_not_break_logs_of_another_shape() {
    let profile = std::sync::Arc::new(
        ImportProfile::from_toml(
            "[fields]\nconversation = \"Vorgang\"\nspeaker = \"Wer\"\ntext = \"Gesagt\"\n\
             [speakers]\nai = [\"* (Bot)\"]\ncustomer = [\"Kundin\"]\n",
        )
        .unwrap(),
    );
    let read = |path: &std::path::Path| {
        let mut conversations = Vec::new();
        let report = import_reader_with(
            &path.display().to_string(),
            0,
            std::fs::File::open(path).unwrap(),
            Grouping::Collect,
            &ImportProgress::default(),
            Some(profile.clone()),
            &mut |c| conversations.push(c),
        )
        .unwrap();
        (conversations.len(), report)
    };
    // Candor's own JSON Lines, with its own role names.
    let (n, report) = read(&repo_path("tests/fixtures/rule_disclosure_missing.jsonl"));
    assert!(n > 0 && report.skipped == 0, "{report:?}");
    // A platform export is still recognised.
    let (n, report) = read(&repo_path(
        "tests/fixtures/platforms/intercom/conversations_list.json",
    ));
    assert_eq!(report.platform.as_deref(), Some("Intercom conversations"));
    assert_eq!(n, 3);
}
