//! The app at scale: opens a large log in the real app, headless, and times what a user does with it.
//!
//! ```sh
//! cargo run --release --example app_bench -- FILE.jsonl
//! ```
//!
//! Opening runs in an egui_kittest harness, which reads the progress the screen shows (bytes and
//! conversations) every 100 ms and sets it beside what the process has really read (`rchar` in
//! `/proc/self/io`). The rest drives the same `AuditApp` through a plain `egui::Context`, one
//! `run_ui` + `tessellate` per frame (what eframe does on the CPU each frame, without the GPU upload and
//! without the accessibility tree the harness builds): frames while scrolling the findings table with
//! the mouse wheel, applying a filter and a sort (the command and the next frame), opening a
//! conversation, and auditing again with every conversation read as English. Memory is the process's
//! resident set from `/proc/self/status`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use candor::query::{FindingFilter, SortColumn, SortKey};
use candor::rules::RuleId;
use candor::session::Command;
use candor::ui::{Action, AuditApp, Settings, View};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

const SIZE: egui::Vec2 = egui::vec2(1400.0, 900.0);

/// The app's allocator (see src/main.rs), so that memory is measured as the app uses it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: app_bench FILE");
        std::process::exit(2);
    };
    let input_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let reviews = tempfile::tempdir().unwrap();
    println!("file: {} ({})", path.display(), megabytes(input_bytes));

    let mut app = open(&path, reviews.path().to_path_buf());
    let loaded_rss = memory("VmRSS");
    let loaded_hwm = memory("VmHWM");
    let report = app.session.report();
    println!(
        "loaded: {} conversations, {} findings",
        report.summary.conversations,
        report.findings.len()
    );
    println!(
        "memory after opening: resident {} ({:.0}% of the input), peak {} ({:.0}%)",
        megabytes(loaded_rss),
        percent(loaded_rss, input_bytes),
        megabytes(loaded_hwm),
        percent(loaded_hwm, input_bytes)
    );

    held_in_memory(&app);

    let ctx = egui::Context::default();
    let mut clock = Clock::default();
    app.handle(Action::ShowView(View::Findings), &ctx);
    for _ in 0..5 {
        frame(&ctx, &mut app, &mut clock, Vec::new());
    }

    // Scrolling: the pointer over the table, one wheel notch (50 points) a frame, then long flings.
    let over_table = egui::pos2(500.0, 500.0);
    let mut scroll = Vec::new();
    for i in 0..400 {
        let delta = if i % 50 < 40 { 50.0 } else { 20_000.0 };
        scroll.push(frame(&ctx, &mut app, &mut clock, wheel(over_table, -delta)));
    }
    report_frames("findings table, scrolling (400 frames)", &scroll);

    // With the page faults the step took: memory the allocator gave back and has to get again shows
    // here, and makes the same step slower in one run than in another.
    let timed = |label: &str, app: &mut AuditApp, clock: &mut Clock, action: Action| {
        let faults = page_faults();
        let start = Instant::now();
        app.handle(action, &ctx);
        let command = start.elapsed();
        frame(&ctx, app, clock, Vec::new());
        let took = start.elapsed();
        println!(
            "{label}: {} (command {}, {} page faults)",
            millis(took),
            millis(command),
            page_faults().saturating_sub(faults)
        );
        took
    };
    let mut rule = FindingFilter::default();
    rule.rules.insert(RuleId::DisclosureMissing);
    timed(
        "filter: rule = No AI disclosure",
        &mut app,
        &mut clock,
        Action::Session(Command::SetFilter(rule)),
    );
    let text = FindingFilter {
        text: "refund".to_owned(),
        ..FindingFilter::default()
    };
    timed(
        "filter: text search \"refund\"",
        &mut app,
        &mut clock,
        Action::Session(Command::SetFilter(text)),
    );
    {
        // Where a text search's time goes: the findings' query and the conversations' query.
        let filter = FindingFilter {
            text: "refund".to_owned(),
            ..FindingFilter::default()
        };
        let report = app.session.report();
        let start = Instant::now();
        let facts = candor::query::finding_facts(report);
        let took_facts = start.elapsed();
        let start = Instant::now();
        let rows = candor::query::query(
            report,
            &facts,
            &|_| candor::export::ReviewStatus::Open,
            &filter,
            SortKey::default(),
        );
        let took_findings = start.elapsed();
        let start = Instant::now();
        let conversations = candor::query::conversation_query(report, &filter);
        println!(
            "  of which: findings {} ({} rows), conversations {} ({} rows); finding_facts {}",
            millis(took_findings),
            rows.len(),
            millis(start.elapsed()),
            conversations.len(),
            millis(took_facts)
        );
    }
    timed(
        "filter: none",
        &mut app,
        &mut clock,
        Action::Session(Command::SetFilter(FindingFilter::default())),
    );
    for (label, column) in [
        ("sort: time", SortColumn::Time),
        ("sort: rule", SortColumn::Rule),
        ("sort: severity", SortColumn::Severity),
    ] {
        let sort = SortKey {
            column,
            descending: true,
        };
        timed(
            label,
            &mut app,
            &mut clock,
            Action::Session(Command::Sort(sort)),
        );
    }
    let mut scroll = Vec::new();
    for i in 0..200 {
        let delta = if i % 50 < 40 { 50.0 } else { 20_000.0 };
        scroll.push(frame(&ctx, &mut app, &mut clock, wheel(over_table, -delta)));
    }
    report_frames(
        "findings table sorted by severity, scrolling (200 frames)",
        &scroll,
    );

    // Opening conversations: the finding's conversation view, its first frame, and the frames after.
    let findings = app.session.report().findings.len();
    let mut opened = Vec::new();
    let mut after = Vec::new();
    for k in 0..20 {
        let finding = findings / 20 * k;
        let start = Instant::now();
        app.handle(Action::Session(Command::OpenFinding(finding)), &ctx);
        frame(&ctx, &mut app, &mut clock, Vec::new());
        opened.push(start.elapsed());
        for _ in 0..3 {
            after.push(frame(&ctx, &mut app, &mut clock, Vec::new()));
        }
    }
    report_frames("open a conversation (20, command + first frame)", &opened);
    report_frames("conversation view, the frames after", &after);

    app.handle(Action::ShowView(View::Conversations), &ctx);
    let mut scroll = Vec::new();
    for i in 0..200 {
        let delta = if i % 50 < 40 { 50.0 } else { 20_000.0 };
        scroll.push(frame(&ctx, &mut app, &mut clock, wheel(over_table, -delta)));
    }
    report_frames("conversations table, scrolling (200 frames)", &scroll);
    app.handle(Action::ShowView(View::Overview), &ctx);
    let overview: Vec<_> = (0..50)
        .map(|_| frame(&ctx, &mut app, &mut clock, Vec::new()))
        .collect();
    report_frames("overview (50 frames)", &overview);

    // Auditing again with every conversation read as English, frames drawn meanwhile.
    app.handle(Action::ShowView(View::Findings), &ctx);
    let notices = app.notifications.len();
    let start = Instant::now();
    app.handle(Action::SetLanguage(Some("en".to_owned())), &ctx);
    let mut during = Vec::new();
    while app.notifications.len() == notices && start.elapsed() < Duration::from_secs(600) {
        during.push(frame(&ctx, &mut app, &mut clock, wheel(over_table, -50.0)));
        std::thread::sleep(Duration::from_millis(16));
    }
    println!(
        "audit again (read as English): {} until the new findings are shown; {}",
        seconds(start.elapsed()),
        app.notifications
            .last()
            .map_or("no message", |n| n.text.as_str())
    );
    report_frames("frames while auditing again", &during);
    println!(
        "memory at the end: resident {} ({:.0}% of the input), peak {} ({:.0}%)",
        megabytes(memory("VmRSS")),
        percent(memory("VmRSS"), input_bytes),
        megabytes(memory("VmHWM")),
        percent(memory("VmHWM"), input_bytes)
    ); // Last, so that what an abandoned load leaves in the allocator is not counted above.
    drop(app);
    cancel_while_opening(&path, reviews.path().to_path_buf());
}

/// Opens `path` in the app as a user would, printing the progress the screen shows every 100 ms
/// beside what the process has read, and returns the app once the logs are open.
fn open(path: &std::path::Path, review_dir: PathBuf) -> AuditApp {
    let read_before = io_read();
    let start = Instant::now();
    let mut harness = start_opening(path, review_dir);
    println!("\n| seconds | shown on screen | read by the process |\n|---:|---|---:|");
    let mut next_print = Duration::ZERO;
    loop {
        harness.step();
        let elapsed = start.elapsed();
        let loading = harness.query_by_label("Opening logs…").is_some();
        if !loading && harness.state().session.is_loaded() {
            println!("| {:.1} | (open) | |", elapsed.as_secs_f64());
            println!("\nopened in {}\n", seconds(elapsed));
            break;
        }
        if elapsed >= next_print {
            let shown = screen_progress(&harness);
            println!(
                "| {:.1} | {shown} | {} |",
                elapsed.as_secs_f64(),
                megabytes(io_read().saturating_sub(read_before))
            );
            next_print += if elapsed < Duration::from_secs(2) {
                Duration::from_millis(250)
            } else {
                Duration::from_secs(1)
            };
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    for notification in &harness.state().notifications {
        println!("notice: {}", notification.text);
    }
    harness.into_state()
}

/// What the open logs hold, estimated from the sizes of their parts (heap bytes of strings and lists
/// plus the structs), to show where the app's memory goes.
fn held_in_memory(app: &AuditApp) {
    use std::mem::size_of;
    let session = &app.session;
    let report = session.report();
    // Ids up to 22 bytes are kept inside the struct.
    let id_heap = |id: &str| if id.len() > 22 { id.len() } else { 0 };
    // Shared texts (`candor::rules::shared`) are counted once, with their reference counts and the boxed
    // text's length.
    let mut seen = std::collections::BTreeSet::new();
    let mut shared = |s: &candor::rules::SharedText| {
        if seen.insert(s.as_ptr() as usize) {
            s.len() + 4 * size_of::<usize>()
        } else {
            0
        }
    };
    let store = session.conversations();
    let mut findings = 0usize;
    for f in &report.findings {
        findings += size_of::<candor::rules::Finding>()
            + id_heap(&f.conversation_id)
            + shared(&f.evidence)
            + shared(&f.explanation);
    }
    let mut facts = 0usize;
    for f in &report.facts {
        facts += size_of::<candor::rules::ConversationFacts>()
            + id_heap(&f.id)
            + shared(&f.channel)
            + shared(&f.language);
    }
    println!(
        "held: conversations {} (packed {}, compressed in {} blocks), findings {}, conversation facts {}",
        megabytes(store.heap_bytes() as u64),
        megabytes(store.raw_bytes() as u64),
        store.blocks(),
        megabytes(findings as u64),
        megabytes(facts as u64)
    );
}

/// The app in a headless harness, opening `path` as File ▸ Open does.
fn start_opening(path: &std::path::Path, review_dir: PathBuf) -> Harness<'static, AuditApp> {
    let settings = Settings {
        reviewer: "Bench".to_owned(),
        ..Settings::default()
    };
    let app = AuditApp::new(settings, Some(review_dir));
    let mut harness = Harness::builder().with_size(SIZE).build_ui_state(
        |ui, app: &mut AuditApp| {
            app.poll(ui.ctx());
            app.show(ui);
        },
        app,
    );
    harness.run_steps(2);
    let ctx = harness.ctx.clone();
    harness.state_mut().handle(
        Action::Session(Command::OpenPaths(vec![path.to_path_buf()])),
        &ctx,
    );
    harness
}

/// Starts opening `path`, presses Cancel after 3 s and says how long it took until the start screen
/// was back.
fn cancel_while_opening(path: &std::path::Path, review_dir: PathBuf) {
    let mut harness = start_opening(path, review_dir);
    let ctx = harness.ctx.clone();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(3) {
        harness.step();
        std::thread::sleep(Duration::from_millis(100));
    }
    let shown = screen_progress(&harness);
    let pressed = Instant::now();
    harness.state_mut().handle(Action::CancelLoad, &ctx);
    while harness.query_by_label("Opening logs…").is_some()
        && pressed.elapsed() < Duration::from_secs(120)
    {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    println!(
        "cancel after 3 s ({shown}): start screen back after {}, logs open: {}",
        millis(pressed.elapsed()),
        harness.state().session.is_loaded()
    );
}

/// The progress texts on the screen, joined.
fn screen_progress(harness: &Harness<'_, AuditApp>) -> String {
    let mut parts = Vec::new();
    for needle in [
        " MB of ",
        "conversations read so far",
        "Reading logs",
        "File ",
    ] {
        if let Some(node) = harness.query_by_label_contains(needle) {
            let accesskit = node.accesskit_node();
            // As kittest reads them: a plain label's text is its value.
            let label = if accesskit.role() == egui::accesskit::Role::Label {
                accesskit.value()
            } else {
                accesskit.label()
            }
            .unwrap_or_default();
            if !parts.contains(&label) {
                parts.push(label);
            }
        }
    }
    if harness.query_by_label_contains("All files read").is_some() {
        parts.push("All files read, preparing the tables".to_owned());
    }
    if parts.is_empty() {
        "(no progress shown)".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// Time for the frames' input, advanced 16 ms a frame.
#[derive(Default)]
struct Clock {
    seconds: f64,
}

/// Draws one frame of the app and tessellates it, as eframe does each frame; returns how long it took.
fn frame(
    ctx: &egui::Context,
    app: &mut AuditApp,
    clock: &mut Clock,
    events: Vec<egui::Event>,
) -> Duration {
    clock.seconds += 1.0 / 60.0;
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
        time: Some(clock.seconds),
        predicted_dt: 1.0 / 60.0,
        events,
        ..egui::RawInput::default()
    };
    let start = Instant::now();
    let output = ctx.run_ui(input, |ui| {
        app.poll(ui.ctx());
        app.show(ui);
    });
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    start.elapsed()
}

/// The pointer at `at` and one wheel movement of `delta_y` points.
fn wheel(at: egui::Pos2, delta_y: f32) -> Vec<egui::Event> {
    vec![
        egui::Event::PointerMoved(at),
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta_y),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        },
    ]
}

fn report_frames(label: &str, frames: &[Duration]) {
    let mut sorted = frames.to_vec();
    sorted.sort_unstable();
    let at = |q: f64| {
        let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    };
    println!(
        "{label}: p50 {}, p95 {}, max {}",
        millis(at(0.5)),
        millis(at(0.95)),
        millis(sorted.last().copied().unwrap_or_default())
    );
}

/// A field of `/proc/self/status` in bytes (0 where there is none).
fn memory(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.split_whitespace().next()?.parse::<u64>().ok()
            })
        })
        .map_or(0, |kib| kib * 1024)
}

/// Minor page faults of the process so far (field 10 of `/proc/self/stat`).
fn page_faults() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // The command name may hold spaces; the fields counted from after its ")".
            let rest = stat.rsplit_once(')')?.1;
            rest.split_whitespace().nth(7)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Bytes the process has read so far (`rchar` of `/proc/self/io`).
fn io_read() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|io| {
            io.lines()
                .find_map(|line| line.strip_prefix("rchar: ")?.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1_000_000.0)
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
