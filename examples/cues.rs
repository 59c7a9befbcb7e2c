//! Shows what the detector reads in each message of labelled conversations: the language, and per message
//! the cues found with their evidence. For tuning on the dev corpus:
//!
//! ```text
//! cargo run --release --example cues -- eval/dev/en.jsonl en-d-004 en-d-013
//! ```

use std::path::PathBuf;

use candor::detect::Speaker;
use candor::import::ImportProgress;
use candor::model::Role;
use candor::rules::RulePack;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: cues FILE [CONVERSATION_ID…]");
        return;
    };
    let ids: Vec<String> = args.collect();
    let pack = RulePack::builtin();
    let progress = ImportProgress::default();
    let now = chrono::DateTime::from_timestamp(0, 0).unwrap_or_default();
    let Ok(outcome) =
        candor::audit::audit_paths(&[PathBuf::from(&path)], &pack, true, &progress, now)
    else {
        eprintln!("could not read {path}");
        return;
    };
    for c in &outcome.conversations {
        if !ids.is_empty() && !ids.contains(&c.id) {
            continue;
        }
        let text: String = c
            .messages
            .iter()
            .map(|m| m.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let lang = pack.detector.detect_language(&text).unwrap_or_default();
        println!(
            "== {} [{lang}] expect {}",
            c.id,
            c.metadata.get("expect").map_or("", String::as_str)
        );
        let index = pack.detector.language_index(&lang).unwrap_or(0);
        for (i, m) in c.messages.iter().enumerate() {
            let speaker = match m.role {
                Role::Customer => Speaker::Customer,
                _ => Speaker::Company,
            };
            let cues = pack.detector.cues(index, speaker, &m.text);
            let mut found = Vec::new();
            let mut add = |name: &str, span: Option<candor::detect::CueMatch>| {
                if let Some(s) = span {
                    found.push(format!("{name}={:?}", s.as_str(&m.text)));
                }
            };
            add("DISCLOSE", cues.disclosure);
            add("DENY", cues.denial);
            add("OFFER", cues.offer);
            add("REQUEST", cues.request);
            add("QUESTION", cues.question.map(|q| q.0));
            if let Some(a) = cues.answer {
                found.push(format!("answer={a:?}"));
            }
            println!(
                "{:>2} {:<11} {}\n             -> {}",
                i + 1,
                m.role.as_str(),
                m.text.replace('\n', " "),
                found.join("  ")
            );
        }
    }
}
