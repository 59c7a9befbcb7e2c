//! What Candor writes, and where: reports never replace inputs, devices, pipes or links; they get the
//! user's permissions; an interrupt leaves no temporary file; failures to write say so; closed outputs are
//! errors; log text reaches terminals, CSV and HTML inert.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use candor::export::{self, ExportError, ExportFormat};
use candor::rules::RulePack;
use candor::session::{self, ExportSelection, LoadProgress, Session};

fn candor() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
    command.env("SOURCE_DATE_EPOCH", "1780000000");
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// One conversation in which the AI never says it is an AI: at least one finding.
fn conversation_lines(id: &str) -> String {
    let id = serde_json::to_string(id).unwrap();
    [
        ("10:00:00", "customer", "Hi, my bill is wrong"),
        ("10:00:10", "ai", "I can look at that for you."),
        ("10:00:20", "customer", "are you a bot?"),
        ("10:00:30", "ai", "Let me check your account details now."),
    ]
    .iter()
    .map(|(time, role, text)| {
        format!(
            "{{\"conversation_id\":{id},\"timestamp\":\"2026-01-05T{time}Z\",\"channel\":\"chat\",\"role\":\"{role}\",\"text\":\"{text}\"}}\n"
        )
    })
    .collect()
}

/// A folder with one small log.
fn log_in_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("chat.jsonl");
    std::fs::write(&log, conversation_lines("c1")).unwrap();
    (dir, log)
}

fn audit_to(log: &Path, out: &Path, extra: &[&str]) -> Output {
    candor()
        .args(["audit", "--quiet", "--format", "csv"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg(log)
        .output()
        .unwrap()
}

fn temp_files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(export::TEMP_PREFIX))
        .collect()
}

// 1. Targets that must not be replaced.

#[test]
fn out_equal_to_an_input_is_refused() {
    let (_dir, log) = log_in_folder();
    let before = std::fs::read(&log).unwrap();
    let output = audit_to(&log, &log, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("one of the logs being audited"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("--force"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&log).unwrap(), before);
}

#[test]
fn out_equal_to_an_input_read_from_a_folder_is_refused() {
    let (dir, log) = log_in_folder();
    let before = std::fs::read(&log).unwrap();
    let output = candor()
        .args(["audit", "--quiet", "--out"])
        .arg(&log)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(std::fs::read(&log).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn out_that_is_a_hard_link_to_an_input_is_refused() {
    let (dir, log) = log_in_folder();
    let link = dir.path().join("report.csv");
    std::fs::hard_link(&log, &link).unwrap();
    let output = audit_to(&log, &link, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(&log).unwrap(),
        conversation_lines("c1").as_bytes()
    );
}

#[test]
fn force_replaces_an_input_when_asked() {
    let (_dir, log) = log_in_folder();
    let output = audit_to(&log, &log, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .starts_with("conversation_id,")
    );
}

#[test]
fn out_on_a_folder_is_refused_even_with_force() {
    let (dir, log) = log_in_folder();
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let output = audit_to(&log, &folder, extra);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("it is a folder"),
            "{}",
            stderr(&output)
        );
        assert!(folder.is_dir());
    }
}

#[cfg(unix)]
#[test]
fn out_through_a_symlink_is_refused_and_force_writes_the_file_it_points_to() {
    let (dir, log) = log_in_folder();
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old report").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let output = audit_to(&log, &link, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "old report");

    let output = audit_to(&log, &link, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .starts_with("conversation_id,")
    );
}

#[cfg(unix)]
#[test]
fn out_on_a_device_is_refused_and_force_writes_into_it() {
    use std::os::unix::fs::FileTypeExt as _;
    let (_dir, log) = log_in_folder();
    let null = Path::new("/dev/null");
    let output = audit_to(&log, null, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("a device"), "{}", stderr(&output));
    let output = audit_to(&log, null, &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::metadata(null)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[cfg(unix)]
#[test]
fn out_on_a_named_pipe_is_refused() {
    let (dir, log) = log_in_folder();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let output = audit_to(&log, &fifo, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("named pipe"),
        "{}",
        stderr(&output)
    );
    assert!(temp_files_in(dir.path()).is_empty());
}

#[test]
fn audit_help_documents_force() {
    let output = candor().args(["audit", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("--force"), "{help}");
}

#[test]
fn app_export_over_an_input_is_refused() {
    let (dir, log) = log_in_folder();
    let loaded = session::load_paths(
        std::slice::from_ref(&log),
        &RulePack::builtin(),
        None,
        &LoadProgress::default(),
        crate::common::fixed_now(),
    )
    .unwrap();
    let session = Session::new(loaded, None, "Dana");
    let job = session.export_job(ExportFormat::Csv, ExportSelection::All);
    let err = job.write_to(&log).unwrap_err();
    assert!(matches!(err, ExportError::Refused(_)), "{err}");
    assert_eq!(
        std::fs::read(&log).unwrap(),
        conversation_lines("c1").as_bytes()
    );
    job.write_to(&dir.path().join("report.csv")).unwrap();
}

// 2. Permissions.

#[cfg(unix)]
fn audit_with_umask(umask: &str, log: &Path, out: &Path) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(["audit", "--quiet", "--out"])
        .arg(out)
        .arg(log)
        .output()
        .unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn new_reports_get_the_users_permissions() {
    let (dir, log) = log_in_folder();
    let out = dir.path().join("report.json");
    let output = audit_with_umask("022", &log, &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(mode(&out), 0o644);
    let private = dir.path().join("private.json");
    audit_with_umask("077", &log, &private);
    assert_eq!(mode(&private), 0o600);
}

#[cfg(unix)]
#[test]
fn replaced_reports_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let (dir, log) = log_in_folder();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let output = audit_with_umask("022", &log, &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(mode(&out), 0o640);
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "old");
}

// 3. Interrupts.

#[cfg(unix)]
#[test]
fn interrupt_mid_write_leaves_no_temp_file_and_the_old_report() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("big.jsonl");
    let big: String = (0..12_000)
        .map(|i| conversation_lines(&format!("c{i}")))
        .collect();
    std::fs::write(&log, big).unwrap();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "old report").unwrap();

    let mut child = candor()
        .args(["audit", "--quiet", "--out"])
        .arg(&out)
        .arg(&log)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the report is being written, then interrupt it as Ctrl-C would.
    let start = Instant::now();
    while temp_files_in(dir.path()).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the audit finished before it could be interrupted; make the input larger"
        );
        assert!(start.elapsed() < Duration::from_secs(300));
        std::thread::sleep(Duration::from_millis(1));
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(temp_files_in(dir.path()), Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old report");
}

// 4. Failures to write.

#[test]
fn a_full_disk_is_reported_as_a_failure_to_write() {
    let err = ExportError::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
    assert_eq!(
        err.to_string(),
        "The report could not be written: there is no space left on the disk"
    );
    // The old report stays and no temporary file is left when writing fails halfway.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "old report").unwrap();
    let result = export::write_atomically(&out, |w| {
        w.write_all(b"half a rep")?;
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull).into())
    });
    assert!(result.unwrap_err().to_string().contains("no space left"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old report");
    assert!(temp_files_in(dir.path()).is_empty());
}

#[test]
fn a_missing_folder_is_reported_as_a_failure_to_write() {
    let (dir, log) = log_in_folder();
    let output = audit_to(&log, &dir.path().join("nowhere/report.csv"), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("could not be written: the folder does not exist"),
        "{}",
        stderr(&output)
    );
}

// 5. Closed standard output.

#[cfg(target_os = "linux")]
#[test]
fn closed_stdout_is_an_error() {
    let (_dir, log) = log_in_folder();
    let output = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" audit --quiet \"$1\" >&-")
        .arg(env!("CARGO_BIN_EXE_candor"))
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("standard output is closed"),
        "{}",
        stderr(&output)
    );
    // Sending the report to /dev/null on purpose is still fine.
    let output = candor()
        .args(["audit", "--quiet"])
        .arg(&log)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn stdout_a_closed_pipe_is_an_error() {
    let (_dir, log) = log_in_folder();
    let mut child = candor()
        .args(["audit", "--quiet"])
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("could not be written"),
        "{}",
        stderr(&output)
    );
}

// 6. Terminal, HTML and CSV see log text inert.

const HOSTILE: &str = "x\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}gpj.exe\u{2066}";

fn assert_inert(text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}'] {
        assert!(!text.contains(c), "{c:?} reached the output: {text:?}");
    }
}

#[test]
fn log_text_and_file_names_reach_stderr_inert() {
    let dir = tempfile::tempdir().unwrap();
    // A file name and a broken line that quote control and bidi characters.
    let log = dir.path().join(format!("{HOSTILE}.jsonl"));
    let role = serde_json::to_string(&format!("robot{HOSTILE}")).unwrap();
    let bad_line = format!("{{\"conversation_id\":\"c2\",\"role\":{role},\"text\":\"hi\"}}\n");
    std::fs::write(&log, conversation_lines("c1") + &bad_line).unwrap();
    let output = candor().arg("audit").arg(&log).output().unwrap();
    let err = stderr(&output);
    assert_inert(&err);
    assert!(err.contains("<U+202E>"), "{err}");
    assert!(err.contains("\\u{1b}"), "{err}");
    assert!(err.contains("\\u{9b}"), "{err}");
}

#[test]
fn bidi_controls_are_shown_in_csv_and_html_and_kept_in_json() {
    let id = format!("c1{HOSTILE}");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("chat.jsonl");
    std::fs::write(&log, conversation_lines(&id)).unwrap();
    let report = |format: &str| {
        let output = candor()
            .args(["audit", "--quiet", "--format", format])
            .arg(&log)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    for format in ["csv", "html"] {
        let text = report(format);
        assert!(!text.contains(['\u{202e}', '\u{2066}']), "{format}");
        assert!(
            text.contains("<U+202E>gpj.exe") || text.contains("&lt;U+202E&gt;gpj.exe"),
            "{format}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json["findings"][0]["conversation_id"], id.as_str());
}

// 7. CSV formulas.

#[test]
fn csv_cells_never_start_a_formula_even_behind_invisible_characters() {
    let dir = tempfile::tempdir().unwrap();
    // A file name with a leading space before a formula, and ids hiding formulas behind invisible or
    // full-width characters.
    let name = " =1+1.jsonl";
    let lines: String = [
        "\u{200b}=HYPERLINK(\"http://x\")",
        "\u{feff}+1",
        "\u{2060}@SUM(A1)",
        "＝1+1",
        "﹦1+1",
        "－1",
    ]
    .iter()
    .map(|id| conversation_lines(id))
    .collect();
    std::fs::write(dir.path().join(name), lines).unwrap();
    let output = candor()
        .args(["audit", "--quiet", "--format", "csv", name])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let mut rows = 0;
    for record in reader.records() {
        rows += 1;
        for cell in &record.unwrap() {
            let first_visible = cell.chars().find(|c| {
                !c.is_whitespace()
                    && !c.is_control()
                    && !matches!(c, '\u{200b}' | '\u{feff}' | '\u{2060}')
            });
            assert!(
                !matches!(
                    first_visible,
                    Some('=' | '+' | '-' | '@' | '＝' | '﹦' | '＋' | '－' | '＠')
                ),
                "{cell:?}"
            );
        }
    }
    assert!(rows >= 6, "{rows} rows");
}

// 8. The app's review store.

/// Two conversations without disclosure: at least two findings.
fn review_session(dir: &Path) -> Session {
    let log = dir.join("chat.jsonl");
    if !log.exists() {
        std::fs::write(&log, conversation_lines("c1") + &conversation_lines("c2")).unwrap();
    }
    let loaded = session::load_paths(
        &[log],
        &RulePack::builtin(),
        None,
        &LoadProgress::default(),
        crate::common::fixed_now(),
    )
    .unwrap();
    Session::new(loaded, Some(dir.join("reviews")), "Dana")
}

fn confirm(session: &mut Session, finding: usize) {
    session
        .apply(
            session::Command::SetReview {
                findings: vec![finding],
                status: candor::export::ReviewStatus::Confirmed,
                note: String::new(),
            },
            crate::common::fixed_now(),
        )
        .unwrap();
}

fn set_aside_files(path: &Path) -> Vec<PathBuf> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{name}.unreadable-"))
        })
        .collect()
}

#[test]
fn corrupt_review_file_is_set_aside_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = review_session(dir.path()).review_file().unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{ half a file").unwrap();

    let mut session = review_session(dir.path());
    let notice = session.review_notice().unwrap().to_owned();
    // Set aside, saving goes on: no "not saved" warning in the status bar.
    assert_eq!(session.save_error(), None);
    assert!(notice.contains("could not be read"), "{notice}");
    assert!(notice.contains("unreadable-20260528T"), "{notice}");
    let aside = set_aside_files(&path);
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), "{ half a file");

    confirm(&mut session, 0);
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), "{ half a file");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["format"], "candor.reviews/1");
}

#[test]
fn review_file_from_a_newer_version_is_set_aside_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = review_session(dir.path()).review_file().unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let newer = r#"{"format":"candor.reviews/2","decisions":{}}"#;
    std::fs::write(&path, newer).unwrap();

    let mut session = review_session(dir.path());
    let notice = session.review_notice().unwrap().to_owned();
    assert!(notice.contains("newer version of Candor"), "{notice}");
    confirm(&mut session, 0);
    let aside = set_aside_files(&path);
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), newer);
}

#[test]
fn unknown_review_fields_and_decisions_are_kept_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = review_session(dir.path());
    confirm(&mut first, 0);
    let path = first.review_file().unwrap();
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    file["future"] = serde_json::json!({"kept": true});
    file["reviews"][0]["tags"] = serde_json::json!(["billing"]);
    let unknown = serde_json::json!({"conversation_id": "zz", "status": "escalated"});
    file["reviews"]
        .as_array_mut()
        .unwrap()
        .push(unknown.clone());
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();

    let mut session = review_session(dir.path());
    assert_eq!(session.save_error(), None);
    assert_eq!(
        session.review_status(0),
        candor::export::ReviewStatus::Confirmed
    );
    confirm(&mut session, 1);
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["future"]["kept"], true);
    let reviews = saved["reviews"].as_array().unwrap();
    assert!(reviews.iter().any(|r| r["tags"][0] == "billing"), "{saved}");
    assert!(reviews.contains(&unknown), "{saved}");
    assert_eq!(reviews.len(), 3, "{saved}");
}

#[test]
fn decisions_saved_by_another_window_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = review_session(dir.path());
    let mut second = review_session(dir.path());
    confirm(&mut first, 0);
    confirm(&mut second, 1);
    let path = second.review_file().unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["reviews"].as_array().unwrap().len(), 2, "{saved}");
    let reopened = review_session(dir.path());
    assert_eq!(
        reopened.review_status(0),
        candor::export::ReviewStatus::Confirmed
    );
    assert_eq!(
        reopened.review_status(1),
        candor::export::ReviewStatus::Confirmed
    );
}

/// Where the burst writer below keeps its review file; set only in the child process.
const BURST_DIR: &str = "CANDOR_TEST_REVIEW_BURST_DIR";

/// The child of `acknowledged_review_decisions_survive_a_kill_mid_burst`: confirms finding after finding and
/// writes "ack N" to standard output once each decision is saved. Does nothing in a normal test run.
#[test]
fn review_burst_child() {
    let Some(dir) = std::env::var_os(BURST_DIR) else {
        return;
    };
    let mut session = review_session(Path::new(&dir));
    let mut out = std::io::stdout();
    for finding in 0..session.report().findings.len() {
        confirm(&mut session, finding);
        // Straight to the process's standard output, past the test harness's capture.
        writeln!(out, "ack {finding}").unwrap();
        out.flush().unwrap();
    }
    // Wait to be killed.
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn acknowledged_review_decisions_survive_a_kill_mid_burst() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("chat.jsonl");
    let lines: String = (0..150)
        .map(|i| conversation_lines(&format!("c{i}")))
        .collect();
    std::fs::write(&log, lines).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "output_safety::review_burst_child",
            "--test-threads",
            "1",
        ])
        .env(BURST_DIR, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acked = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("ack ") {
            acked.push(n.parse::<usize>().unwrap());
            // Kill it in the middle of the burst, without warning (SIGKILL).
            if acked.len() == 40 {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(acked.len(), 40, "the child stopped early");
    let session = review_session(dir.path());
    assert_eq!(session.save_error(), None);
    assert_eq!(
        session.review_notice(),
        None,
        "the review file was left unreadable"
    );
    for finding in acked {
        assert_eq!(
            session.review_status(finding),
            candor::export::ReviewStatus::Confirmed,
            "decision {finding} was acknowledged but is lost"
        );
    }
}
