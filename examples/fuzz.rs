//! A mutation fuzzer for Candor's importers and rules that runs on the stable toolchain (cargo-fuzz needs
//! nightly): it takes the files of a seed corpus (every fixture: canonical logs and every platform export),
//! mutates them (flipped, inserted and deleted bytes, JSON and CSV punctuation, invalid UTF-8, control and
//! bidi characters, duplicated and spliced runs, long lines, truncation), and feeds each mutant through the
//! whole import (format detection, every importer), every rule and redaction (`--redact`), for a bounded
//! time.
//!
//! A mutant that panics, or takes longer than the per-input limit (a hang or super-linear case), is written
//! to `fuzz/crashes/` and the run fails. Every run first feeds the kept corpus unmutated: `fuzz/regressions/`
//! (inputs that once failed, kept after their fix) and the fixtures. Deterministic for a given `--seed`.
//!
//! `cargo run --release --example fuzz -- --seconds 60 [--seed N] [--limit-ms 2000] [CORPUS…]`
//! (scripts/fuzz.sh runs it).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use candor::audit::Auditor;
use candor::export::{self, ExportFormat, ExportView};
use candor::import::{Grouping, ImportProgress, import_reader};
use candor::rules::RulePack;

/// A small, fast, seeded generator (xorshift64*): the fuzzer needs repeatable, not strong, randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Pieces that break parsers in interesting ways.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"null",
    b"NaN",
    b"-1e999",
    b"18446744073709551616",
    b"\\u0000",
    b"\\ud800",
    b"\0",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\x1b[2J",
    "\u{202e}".as_bytes(),
    "\u{200b}".as_bytes(),
    b"=HYPERLINK(\"x\")",
    b"{\"conversation_id\":\"x\",\"role\":\"ai\",\"text\":\"I'm a bot\"}\n",
    b"conversation_id,role,text\n",
    b"are you a bot? I want a human agent please",
    b"2026-13-45T99:99:99Z",
];

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                if let Some(byte) = data.get_mut(i) {
                    *byte ^= 1 << rng.below(8);
                }
            }
            1 => {
                let i = rng.below(len + 1);
                data.insert(i, (rng.next() & 0xff) as u8);
            }
            2 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                data.drain(start..end);
            }
            3 => {
                let token = TOKENS
                    .get(rng.below(TOKENS.len()))
                    .copied()
                    .unwrap_or(b"\"");
                let i = rng.below(len + 1);
                data.splice(i..i, token.iter().copied());
            }
            4 if len > 0 => {
                // Duplicate a run (repeated lines, repeated conversations).
                let start = rng.below(len);
                let end = (start + 1 + rng.below(512)).min(len);
                let run: Vec<u8> = data.get(start..end).unwrap_or_default().to_vec();
                let times = 1 + rng.below(8);
                let at = rng.below(len + 1);
                for _ in 0..times {
                    data.splice(at..at, run.iter().copied());
                }
            }
            5 => {
                // Splice in a piece of another file.
                let other = corpus.get(rng.below(corpus.len())).map(Vec::as_slice);
                if let Some(other) = other.filter(|o| !o.is_empty()) {
                    let start = rng.below(other.len());
                    let end = (start + 1 + rng.below(1024)).min(other.len());
                    let at = rng.below(len + 1);
                    data.splice(
                        at..at,
                        other.get(start..end).unwrap_or_default().iter().copied(),
                    );
                }
            }
            6 if len > 0 => data.truncate(rng.below(len)),
            7 => {
                // A long line of one byte.
                let byte = *b"a\"{ ,0\\".get(rng.below(7)).unwrap_or(&b'a');
                let at = rng.below(len + 1);
                let n = 1 + rng.below(100_000);
                data.splice(at..at, std::iter::repeat_n(byte, n));
            }
            _ if len > 1 => {
                // Swap two lines.
                let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
                if lines.len() > 2 {
                    let mut lines: Vec<Vec<u8>> = lines.into_iter().map(<[u8]>::to_vec).collect();
                    let a = rng.below(lines.len());
                    let b = rng.below(lines.len());
                    lines.swap(a, b);
                    *data = lines.join(&b'\n');
                }
            }
            _ => {}
        }
    }
}

/// Imports and audits one input as the CLI would, with both groupings, then exports it redacted (as
/// `--redact` does) and redacts the whole input as one text (as the app's transcript does per message).
fn run_one(data: &[u8], pack: &RulePack) {
    let progress = ImportProgress::default();
    for grouping in [Grouping::Stream, Grouping::Collect] {
        let mut auditor = Auditor::new(pack, false);
        let mut sink = |c| auditor.add(c);
        let report = import_reader("fuzz", 0, Cursor::new(data), grouping, &progress, &mut sink);
        let inputs = report.map(|r| vec![r]).unwrap_or_default();
        let (report, _) = auditor.finish(inputs, chrono::Utc::now());
        if grouping == Grouping::Collect {
            let view = ExportView {
                redact: true,
                ..ExportView::all(&report)
            };
            let _ = export::export(&view, ExportFormat::Json, &mut std::io::sink());
        }
    }
    let text = String::from_utf8_lossy(data);
    let _ = candor::redact::redact(&text, &mut candor::redact::RedactionCounts::default());
}

fn files_under(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for entry in entries {
            files_under(&entry, out);
        }
    } else if path.is_file() {
        out.push(path.to_owned());
    }
}

fn save(kind: &str, data: &[u8]) -> PathBuf {
    let dir = Path::new("fuzz/crashes");
    let _ = std::fs::create_dir_all(dir);
    let name = format!(
        "{kind}-{}.bin",
        candor::import::sha256_hex(data).get(..16).unwrap_or("")
    );
    let path = dir.join(name);
    let _ = std::fs::write(&path, data);
    path
}

fn main() {
    let mut seconds = 60u64;
    let mut seed = 0x5eed_u64;
    let mut limit_ms = 2000u64;
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> u64 {
            args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("fuzz: {name} needs a number");
                std::process::exit(2);
            })
        };
        match arg.as_str() {
            "--seconds" => seconds = number("--seconds"),
            "--seed" => seed = number("--seed"),
            "--limit-ms" => limit_ms = number("--limit-ms"),
            _ => roots.push(PathBuf::from(arg)),
        }
    }
    if roots.is_empty() {
        roots = vec![
            PathBuf::from("fuzz/regressions"),
            PathBuf::from("tests/fixtures"),
        ];
    }
    let mut files = Vec::new();
    for root in &roots {
        files_under(root, &mut files);
    }
    let corpus: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .filter(|d| d.len() <= 1 << 20)
        .collect();
    if corpus.is_empty() {
        eprintln!("fuzz: no seed files found");
        std::process::exit(2);
    }
    eprintln!(
        "fuzz: {} seed files, {seconds} s, seed {seed}, {limit_ms} ms per input",
        corpus.len()
    );

    // The work runs on a thread the main thread watches: a hang is caught by its time, not waited out.
    let (to_worker, inputs) = mpsc::sync_channel::<Vec<u8>>(0);
    let (done, results) = mpsc::channel::<bool>();
    let worker = std::thread::Builder::new()
        .name("fuzz-worker".to_owned())
        .spawn(move || {
            let pack = RulePack::builtin();
            std::panic::set_hook(Box::new(|_| {}));
            for data in inputs {
                let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    run_one(&data, &pack)
                }))
                .is_ok();
                if done.send(ok).is_err() {
                    break;
                }
            }
        });
    if worker.is_err() {
        eprintln!("fuzz: the worker thread could not be started");
        std::process::exit(2);
    }

    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let mut runs = 0u64;
    let mut slowest = Duration::ZERO;
    // Seeds first, unmutated, then mutants until the time is up.
    let mut next_seed = 0;
    while start.elapsed() < Duration::from_secs(seconds) || next_seed < corpus.len() {
        let data = if let Some(seed_file) = corpus.get(next_seed) {
            next_seed += 1;
            seed_file.clone()
        } else {
            let mut data = corpus
                .get(rng.below(corpus.len()))
                .cloned()
                .unwrap_or_default();
            mutate(&mut rng, &mut data, &corpus);
            data
        };
        let began = Instant::now();
        if to_worker.send(data.clone()).is_err() {
            eprintln!("fuzz: the worker stopped");
            std::process::exit(1);
        }
        match results.recv_timeout(Duration::from_millis(limit_ms)) {
            Ok(true) => {}
            Ok(false) => {
                let path = save("panic", &data);
                eprintln!("fuzz: a panic on {} (run {runs})", path.display());
                std::process::exit(1);
            }
            Err(_) => {
                let path = save("slow", &data);
                eprintln!(
                    "fuzz: an input took longer than {limit_ms} ms: {} (run {runs})",
                    path.display()
                );
                std::process::exit(1);
            }
        }
        slowest = slowest.max(began.elapsed());
        runs += 1;
    }
    eprintln!(
        "fuzz: {runs} inputs in {:.0} s, no panic, slowest {} ms",
        start.elapsed().as_secs_f64(),
        slowest.as_millis()
    );
}
