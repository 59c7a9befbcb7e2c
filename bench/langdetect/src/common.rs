use std::io::BufRead;
/// (lang, text) of every message in the eval corpora given on the command line.
pub fn messages() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for path in std::env::args().skip(1) {
        let file = std::fs::File::open(&path).unwrap();
        let mut lang = String::new();
        let mut conv = String::new();
        for line in std::io::BufReader::new(file).lines() {
            let line = line.unwrap();
            let v: serde_json::Value = match serde_json::from_str(&line) { Ok(v) => v, Err(_) => continue };
            let c = v["conversation_id"].as_str().unwrap_or("").to_string();
            if c != conv { conv = c; lang = v["lang"].as_str().unwrap_or("").to_string(); }
            let role = v["role"].as_str().unwrap_or("");
            if role != "customer" && role != "ai" && role != "human_agent" { continue; }
            if let Some(t) = v["text"].as_str() {
                // With CONVERSATIONS=1, one text per conversation: all its messages together.
                if std::env::var_os("CONVERSATIONS").is_some() && v.get("lang").is_none() {
                    if let Some(last) = out.last_mut() { last.1.push('\n'); last.1.push_str(t); continue; }
                }
                out.push((lang.clone(), t.to_string()));
            }
        }
    }
    out
}
pub fn report(name: &str, msgs: &[(String, String)], detect: &mut dyn FnMut(&str) -> Option<String>) {
    let covered = ["en","de","fr","es","it","nl","pt","sv"];
    let msgs: Vec<_> = msgs.iter().filter(|(l, _)| covered.contains(&l.as_str())).collect();
    let start = std::time::Instant::now();
    let got: Vec<Option<String>> = msgs.iter().map(|(_, t)| detect(t)).collect();
    let secs = start.elapsed().as_secs_f64();
    let buckets = [(0usize, 20usize, "<=20 chars"), (21, 60, "21-60"), (61, usize::MAX, ">60")];
    println!("{name}: {} messages, {:.1} µs/message", msgs.len(), secs * 1e6 / msgs.len() as f64);
    for (lo, hi, label) in buckets {
        let (mut n, mut ok) = (0, 0);
        for ((l, t), g) in msgs.iter().zip(&got) {
            let len = t.chars().count();
            if len < lo || len > hi { continue; }
            n += 1;
            if g.as_deref() == Some(l.as_str()) { ok += 1; }
        }
        println!("  {label:>11}: {ok}/{n} = {:.1}%", 100.0 * ok as f64 / n.max(1) as f64);
    }
    let ok = msgs.iter().zip(&got).filter(|((l, _), g)| g.as_deref() == Some(l.as_str())).count();
    println!("  {:>11}: {ok}/{} = {:.1}%", "all", msgs.len(), 100.0 * ok as f64 / msgs.len() as f64);
}
