//! Shows what `--redact` would replace in canonical JSON Lines files: each text with personal data, its
//! redacted form, and the totals. `cargo run --release --example redact_scan -- FILE…`

use std::io::BufRead;

fn main() -> std::io::Result<()> {
    let mut total = candor::redact::RedactionCounts::default();
    for path in std::env::args().skip(1) {
        let file = std::fs::File::open(&path)?;
        for line in std::io::BufReader::new(file).lines() {
            let line = line?;
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let Some(text) = value["text"].as_str() else {
                continue;
            };
            let mut counts = candor::redact::RedactionCounts::default();
            let redacted = candor::redact::redact(text, &mut counts);
            if counts.total() > 0 {
                println!("{text}\n  -> {redacted}");
                total.add(&counts);
            }
        }
    }
    println!("{}", total.describe());
    Ok(())
}
