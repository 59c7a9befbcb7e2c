//! The command line: `candor audit …` for batch and scripted use, and the arguments of the app.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::audit::{self, AuditReport};
use crate::export::{self, ExportError, ExportFormat, ExportView};
use crate::import::ImportProgress;
use crate::import::profile::ImportProfile;
use crate::rules::{RulePack, Severity};

/// Audit customer-service conversation logs for AI disclosure, human options, escalation and satisfaction.
#[derive(Debug, Parser)]
#[command(name = "candor", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command, the desktop app opens (with these logs, if any are given).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Log files or folders to open in the app.
    #[arg(value_name = "FILE_OR_FOLDER")]
    pub paths: Vec<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit logs without a window and write the results.
    Audit(AuditArgs),
    /// Measure accuracy on labelled conversations (see eval/README.md): precision and recall per rule and
    /// per language, and the mistakes.
    Eval(EvalArgs),
}

/// Arguments of `candor eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Use this rule pack (TOML) instead of the built-in one.
    #[arg(long, value_name = "PACK.toml")]
    pub rules: Option<PathBuf>,
    /// Do not list the conversations Candor got wrong.
    #[arg(long)]
    pub no_mistakes: bool,
    /// Labelled corpus files or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Arguments of `candor audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Write to this file (atomically) instead of standard output. Candor refuses to write over one of
    /// the logs it audits, a folder, a device, a named pipe or socket, or through a symbolic link.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Write to --out even where Candor refuses by default: over an input log, straight into a device
    /// or named pipe, or to the file a symbolic link points to (never over a folder).
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Exit with status 1 when any finding is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    /// Use this rule pack (TOML) instead of the built-in one.
    #[arg(long, value_name = "PACK.toml")]
    pub rules: Option<PathBuf>,
    /// Read every conversation as this language (a code such as `de`) instead of detecting it.
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
    /// Read the logs with this import profile (TOML): which columns or keys hold the conversation,
    /// speaker, text and time, and which speaker values mean the AI, a person, the customer or a note.
    #[arg(long, value_name = "PROFILE.toml")]
    pub profile: Option<PathBuf>,
    /// Replace personal data (e-mail addresses, phone numbers, card numbers, IBANs, postal addresses) in
    /// the log text the output quotes (evidence, explanations, reading problems) with placeholders that
    /// name their kind, such as "[e-mail]" or "[card number]". The rules still read the original text;
    /// the output records that it was redacted and how much.
    #[arg(long)]
    pub redact: bool,
    /// The organisation audited, named in the HTML report's sign-off block.
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
    /// The person responsible for the audit, named in the HTML report's sign-off block.
    #[arg(long, value_name = "NAME")]
    pub auditor: Option<String>,
    /// Do not print the summary and reading problems to standard error.
    #[arg(long, short)]
    pub quiet: bool,
    /// Log files or folders (folders are searched for .jsonl, .json, .csv, .tsv files).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Output formats of `candor audit`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputFormat {
    /// The full audit as JSON.
    Json,
    /// One row per finding.
    Csv,
    /// A self-contained HTML report.
    Html,
}

impl From<OutputFormat> for ExportFormat {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Json => Self::Json,
            OutputFormat::Csv => Self::Csv,
            OutputFormat::Html => Self::Html,
        }
    }
}

/// Severities on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SeverityArg {
    /// Low and above.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(arg: SeverityArg) -> Self {
        match arg {
            SeverityArg::Low => Self::Low,
            SeverityArg::Medium => Self::Medium,
            SeverityArg::High => Self::High,
            SeverityArg::Critical => Self::Critical,
        }
    }
}

/// The time written into reports: now, or `SOURCE_DATE_EPOCH` when set, for reproducible output.
pub fn report_time() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now)
}

/// Loads the rule pack named on the command line, or the built-in one; prints why not and gives `None`.
fn load_pack(rules: Option<&PathBuf>) -> Option<RulePack> {
    let Some(path) = rules else {
        return Some(RulePack::builtin());
    };
    match std::fs::read_to_string(path).map_err(|e| audit::plain_io_error(&e)) {
        Ok(text) => match RulePack::from_toml(&text) {
            Ok(pack) => Some(pack),
            Err(err) => {
                eprintln!(
                    "candor: the rule pack could not be used: {}\nFile path: {}",
                    terminal_safe(&err.to_string()),
                    terminal_safe(&path.display().to_string())
                );
                None
            }
        },
        Err(reason) => {
            eprintln!(
                "candor: the rule pack could not be read: {reason}\nFile path: {}",
                terminal_safe(&path.display().to_string())
            );
            None
        }
    }
}

/// Runs `candor eval`: prints accuracy tables. Exit status 0, or 2 when the pack or inputs are unusable.
pub fn run_eval(args: &EvalArgs) -> ExitCode {
    let Some(pack) = load_pack(args.rules.as_ref()) else {
        return ExitCode::from(2);
    };
    match crate::eval::evaluate(&args.paths, &pack) {
        Ok(report) if report.cases.is_empty() => {
            eprintln!(
                "candor: no labelled conversations found (conversations need \"expect\" and \"lang\" on their first line; see eval/README.md)"
            );
            ExitCode::from(2)
        }
        Ok(report) => {
            print!("{}", terminal_safe_lines(&report.render(!args.no_mistakes)));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("candor: {}", terminal_safe(&err.to_string()));
            ExitCode::from(2)
        }
    }
}

/// Runs `candor audit`. Exit status: 0 success, 1 `--fail-on` met, 2 usage error or unreadable input.
pub fn run_audit(args: &AuditArgs) -> ExitCode {
    let Some(mut pack) = load_pack(args.rules.as_ref()) else {
        return ExitCode::from(2);
    };
    pack.language = args
        .language
        .as_ref()
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty());
    let profile = match args.profile.as_ref().map(|p| (p, ImportProfile::load(p))) {
        None => None,
        Some((_, Ok(profile))) => Some(profile),
        Some((path, Err(err))) => {
            eprintln!(
                "candor: {}: {}",
                terminal_safe(&path.display().to_string()),
                terminal_safe(&err.to_string())
            );
            return ExitCode::from(2);
        }
    };
    let progress = ImportProgress::default();
    let outcome = match audit::audit_paths_with(
        &args.paths,
        &pack,
        profile.as_ref(),
        false,
        &progress,
        report_time(),
    ) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("candor: {}", terminal_safe(&err.to_string()));
            return ExitCode::from(2);
        }
    };
    let report = outcome.report;
    if !args.quiet {
        print_problems(&report, args.redact);
    }
    let view = ExportView {
        redact: args.redact,
        sign_off: export::SignOff {
            organisation: args.organisation.clone().unwrap_or_default(),
            auditor: args.auditor.clone().unwrap_or_default(),
        },
        ..ExportView::all(&report)
    };
    let format = ExportFormat::from(args.format);
    let written = match &args.out {
        Some(path) => {
            let inputs = input_files(&args.paths, &report);
            export::write_export(path, &inputs, args.force, |out| {
                export::export(&view, format, out)
            })
        }
        None if stdout_was_closed() => {
            eprintln!(
                "candor: The report was not written: standard output is closed; use --out to write it to a file"
            );
            return ExitCode::from(2);
        }
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            export::export(&view, format, &mut lock).and_then(|()| lock.flush().map_err(Into::into))
        }
    };
    if let Err(err) = written {
        eprintln!("candor: {}", terminal_safe(&err.to_string()));
        if let ExportError::Refused(refusal) = &err
            && refusal.can_be_forced()
        {
            eprintln!("candor: choose another file, or add --force to write it anyway");
        }
        if let Some(path) = &args.out {
            eprintln!("File path: {}", terminal_safe(&path.display().to_string()));
        }
        return ExitCode::from(2);
    }
    if !args.quiet {
        print_summary(&report, args.out.as_ref());
        if let Some(counts) = view.redaction(format) {
            eprintln!("candor: personal data redacted: {}", counts.describe());
        }
    }
    let unreadable = report.inputs.iter().any(|input| input.error.is_some());
    if unreadable {
        return ExitCode::from(2);
    }
    if let Some(threshold) = args.fail_on.map(Severity::from)
        && report.findings.iter().any(|f| f.severity >= threshold)
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The files a report is made from: those named on the command line and those read from folders. An
/// output that is one of them is refused, so a report never replaces the log it describes.
fn input_files(paths: &[PathBuf], report: &AuditReport) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = paths.iter().filter(|p| p.is_file()).cloned().collect();
    files.extend(report.inputs.iter().map(|input| PathBuf::from(&input.path)));
    files
}

/// Whether standard output was closed when Candor started (`candor audit … >&-`). Rust's runtime opens
/// `/dev/null` read-write in place of a closed standard descriptor, so that a file opened later cannot
/// take its number; a report printed there would silently vanish. A shell's `>/dev/null` opens it
/// write-only, so the read-write mode tells the two apart. Linux only; elsewhere this says `false`.
fn stdout_was_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        let is_null =
            std::fs::read_link("/proc/self/fd/1").is_ok_and(|t| t == Path::new("/dev/null"));
        let read_write = std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        });
        is_null && read_write
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Removes unfinished temporary report files when Candor is interrupted (Ctrl-C) or terminated, then
/// exits with status 130; without it the hidden `.candor-*.tmp` files stay beside the output.
pub fn remove_temp_files_on_interrupt() {
    let handler = || {
        export::remove_unfinished_files();
        std::process::exit(130);
    };
    // Without the handler an interrupt still stops Candor, only leaving the temporary file: not worth
    // refusing to start over.
    ctrlc::set_handler(handler).ok();
}

/// Text from logs made inert for a terminal: control characters (ESC, BEL, the C1 range, …) are shown as
/// escapes, and bidirectional controls as markers such as `<U+202E>`, instead of being obeyed.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else if export::is_bidi_control(c) {
            out.push_str(&export::marker(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// [`terminal_safe`] line by line, for multi-line text such as tables that quote logs.
fn terminal_safe_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => terminal_safe(line) + "\n",
            None => terminal_safe(line),
        })
        .collect()
}

/// Prints every input's reading problems; with `redact`, personal data they quote from the logs (an
/// unknown speaker value, a time that is not one) is replaced as in the report.
fn print_problems(report: &AuditReport, redact: bool) {
    let shown = |text: &str| {
        if redact {
            crate::redact::redact(text, &mut crate::redact::RedactionCounts::default()).into_owned()
        } else {
            text.to_owned()
        }
    };
    const SHOWN: usize = 20;
    let stderr = io::stderr();
    let mut err = stderr.lock();
    for input in &report.inputs {
        if let Some(error) = &input.error {
            let _ = writeln!(
                err,
                "candor: {}\nFile path: {}",
                terminal_safe(&shown(error)),
                terminal_safe(&input.path)
            );
        }
        let groups = input.grouped_warnings();
        for group in groups.iter().take(SHOWN) {
            let _ = writeln!(
                err,
                "candor: {}: {}",
                terminal_safe(&input.path),
                terminal_safe(&shown(&group.to_string()))
            );
        }
        let shown: u64 = groups.iter().take(SHOWN).map(|g| g.count).sum();
        let rest = input.warning_count().saturating_sub(shown);
        if rest > 0 {
            let _ = writeln!(
                err,
                "candor: {}: … and {rest} more problems; all are listed in the JSON export",
                terminal_safe(&input.path)
            );
        }
    }
}

fn print_summary(report: &AuditReport, out: Option<&PathBuf>) {
    let s = &report.summary;
    let by_severity: Vec<String> = crate::rules::Severity::ALL
        .iter()
        .rev()
        .map(|sev| {
            format!(
                "{} {}",
                s.findings_by_severity
                    .get(sev.as_str())
                    .copied()
                    .unwrap_or(0),
                sev
            )
        })
        .collect();
    let skipped: u64 = report.inputs.iter().map(|i| i.skipped).sum();
    // Notices about paths that were not read (a file named twice, a link back into its folder, a report
    // of Candor's) are not files audited.
    let files = report
        .inputs
        .iter()
        .filter(|i| !i.sha256.is_empty() || i.error.is_some())
        .count();
    eprintln!(
        "candor: audited {} from {}; {} skipped; {} ({})",
        plural(s.conversations, "conversation", "conversations")
            + &format!(" ({})", plural(s.messages, "message", "messages")),
        plural(files as u64, "file", "files"),
        plural(skipped, "record", "records"),
        plural(report.findings.len() as u64, "finding", "findings"),
        by_severity.join(", ")
    );
    if s.not_assessed > 0 {
        eprintln!(
            "candor: {} AI conversation(s) not assessed, in a language the rule pack does not cover ({}); use --language to read them as one it does",
            s.not_assessed,
            s.not_assessed_languages()
        );
    }
    if let Some(path) = out {
        eprintln!(
            "candor: written to {}",
            terminal_safe(&path.display().to_string())
        );
    }
}

/// Opens the desktop app (or, in a build without it, explains how to use the command line).
pub fn run_app(paths: Vec<PathBuf>) -> ExitCode {
    #[cfg(feature = "gui")]
    {
        crate::ui::run(paths)
    }
    #[cfg(not(feature = "gui"))]
    {
        let _ = paths;
        use clap::CommandFactory as _;
        let _ = Cli::command().print_help();
        ExitCode::from(2)
    }
}

/// "1 file", "2 files".
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
