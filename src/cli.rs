//! The command line: `candor audit …` for batch and scripted use, and the arguments of the app.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::audit::{self, AuditReport};
use crate::export::{self, ExportFormat, ExportView};
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
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
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
                    "candor: the rule pack could not be used: {err}\nFile path: {}",
                    path.display()
                );
                None
            }
        },
        Err(reason) => {
            eprintln!(
                "candor: the rule pack could not be read: {reason}\nFile path: {}",
                path.display()
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
            print!("{}", report.render(!args.no_mistakes));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("candor: {err}");
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
            eprintln!("candor: {}: {err}", path.display());
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
            eprintln!("candor: {err}");
            return ExitCode::from(2);
        }
    };
    let report = outcome.report;
    if !args.quiet {
        print_problems(&report);
    }
    let view = ExportView::all(&report);
    let format = ExportFormat::from(args.format);
    let written = match &args.out {
        Some(path) => export::write_atomically(path, |out| export::export(&view, format, out)),
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            export::export(&view, format, &mut lock).and_then(|()| lock.flush().map_err(Into::into))
        }
    };
    if let Err(err) = written {
        eprintln!("candor: {err}");
        return ExitCode::from(2);
    }
    if !args.quiet {
        print_summary(&report, args.out.as_ref());
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

/// Text from logs made inert for a terminal: control characters (ESC, BEL, …) and bidirectional
/// overrides are shown as escapes instead of being obeyed.
fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn print_problems(report: &AuditReport) {
    const SHOWN: usize = 20;
    let stderr = io::stderr();
    let mut err = stderr.lock();
    for input in &report.inputs {
        if let Some(error) = &input.error {
            let _ = writeln!(
                err,
                "candor: {}\nFile path: {}",
                terminal_safe(error),
                terminal_safe(&input.path)
            );
        }
        let groups = input.grouped_warnings();
        for group in groups.iter().take(SHOWN) {
            let _ = writeln!(
                err,
                "candor: {}: {}",
                terminal_safe(&input.path),
                terminal_safe(&group.to_string())
            );
        }
        let shown: u64 = groups.iter().take(SHOWN).map(|g| g.count).sum();
        let rest = input.warning_count().saturating_sub(shown);
        if rest > 0 {
            let _ = writeln!(
                err,
                "candor: {}: … and {rest} more problems; all are listed in the JSON export",
                input.path
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
    eprintln!(
        "candor: audited {} conversations ({} messages) from {} file(s); {} record(s) skipped; {} findings ({})",
        s.conversations,
        s.messages,
        report.inputs.len(),
        skipped,
        report.findings.len(),
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
        eprintln!("candor: written to {}", path.display());
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
