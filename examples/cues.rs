//! Shows what the detector reads in each message of labelled conversations: the language, and per message
//! the cues found with their evidence. For tuning on the dev corpus:
//!
//! ```text
//! cargo run --release --example cues -- eval/dev/en.jsonl en-d-004 en-d-013
//! ```

use std::path::PathBuf;

use candor::import::ImportProgress;
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
    for c in &outcome.conversations.to_vec() {
        if !ids.is_empty() && !ids.contains(&c.id) {
            continue;
        }
        // The same view the rules get: language per conversation and side, first turn, answers.
        let ctx = candor::rules::Context::new(c, &pack, None);
        let (_, findings) = candor::rules::analyse(c, &pack);
        let found: Vec<&str> = findings.iter().map(|f| f.rule.code()).collect();
        println!(
            "== {} [{}] expect {} / found {}",
            c.id,
            ctx.language,
            c.metadata.get("expect").map_or("", String::as_str),
            found.join(",")
        );
        let lists = [
            ("DISCLOSE", &ctx.disclosures),
            ("DENY", &ctx.denials),
            ("OFFER", &ctx.offers),
            ("REQUEST", &ctx.requests),
            ("QUESTION", &ctx.questions),
        ];
        for (i, m) in c.messages.iter().enumerate() {
            let mut cues = Vec::new();
            for (name, hits) in &lists {
                for h in hits.iter().filter(|h| h.index == i) {
                    cues.push(format!("{name}={:?}", h.span.as_str(&m.text)));
                }
            }
            println!(
                "{:>2} {:<11} {}\n             -> {}",
                i + 1,
                m.role.as_str(),
                m.text.replace('\n', " "),
                cues.join("  ")
            );
            // CUES_TOKENS=1: the word classes of every token, as the conversation's lexicon reads them.
            if std::env::var_os("CUES_TOKENS").is_some() {
                if let Some(index) = pack.detector.language_index(&ctx.language) {
                    let words: Vec<String> = pack
                        .detector
                        .explain(index, &m.text)
                        .into_iter()
                        .map(|(w, classes)| {
                            if classes.is_empty() {
                                w
                            } else {
                                format!("{w}[{}]", classes.join(","))
                            }
                        })
                        .collect();
                    println!("             .. {}", words.join(" "));
                    if matches!(
                        m.role,
                        candor::model::Role::Ai | candor::model::Role::System
                    ) {
                        let cues =
                            pack.detector
                                .cues(index, candor::detect::Speaker::Company, &m.text);
                        println!("             .. answer {:?}", cues.answer.map(|(a, _)| a));
                    }
                }
            }
        }
    }
}
