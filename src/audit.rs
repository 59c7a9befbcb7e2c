//! Running an audit: inputs in, an [`AuditReport`] out.
//!
//! [`Auditor`] is the pure part: it takes conversations one at a time, keeps only their small
//! [`ConversationFacts`] and their findings (unless asked to keep the conversations for viewing), and
//! [`Auditor::finish`] sorts everything into a deterministic order. [`audit_paths`] adds the file handling
//! the CLI and the app share: folders are expanded, each file is streamed, and a file whose conversations
//! are interleaved is read a second time in collecting mode.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::import::{self, Grouping, ImportError, ImportProgress, InputReport};
use crate::metrics::{self, Summary};
use crate::model::Conversation;
use crate::rules::{self, ConversationFacts, Finding, RulePack};

/// The name and version of the tool that made a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ToolInfo {
    /// Always "candor".
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        Self {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Which rule pack an audit used.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PackInfo {
    /// The pack's name.
    pub pack: String,
    /// The pack's version.
    pub version: String,
    /// SHA-256 of the pack file.
    pub sha256: String,
}

impl PackInfo {
    /// Describes a loaded pack.
    pub fn of(pack: &RulePack) -> Self {
        Self {
            pack: pack.name.clone(),
            version: pack.version.clone(),
            sha256: pack.sha256.clone(),
        }
    }
}

/// The result of an audit: provenance, per-input reports, the summary and the findings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditReport {
    /// The tool that made it.
    pub tool: ToolInfo,
    /// When it was made.
    pub generated_at: DateTime<Utc>,
    /// The rule pack used.
    pub rules: PackInfo,
    /// One report per input file.
    pub inputs: Vec<InputReport>,
    /// Rates, counts and satisfaction.
    pub summary: Summary,
    /// Every finding, sorted by conversation, message and rule.
    pub findings: Vec<Finding>,
    /// Facts of every conversation, sorted by id and input.
    pub facts: Vec<ConversationFacts>,
}

/// Audits conversations one at a time.
pub struct Auditor<'p> {
    pack: &'p RulePack,
    keep_conversations: bool,
    facts: Vec<ConversationFacts>,
    findings: Vec<Finding>,
    conversations: Vec<Conversation>,
}

/// A point an [`Auditor`] can be rolled back to.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    facts: usize,
    findings: usize,
    conversations: usize,
}

impl<'p> Auditor<'p> {
    /// An auditor applying `pack`. With `keep_conversations`, the conversations are kept for viewing.
    pub fn new(pack: &'p RulePack, keep_conversations: bool) -> Self {
        Self {
            pack,
            keep_conversations,
            facts: Vec::new(),
            findings: Vec::new(),
            conversations: Vec::new(),
        }
    }

    /// Audits one conversation.
    pub fn add(&mut self, conversation: Conversation) {
        let (facts, mut findings) = rules::analyse(&conversation, self.pack);
        self.facts.push(facts);
        self.findings.append(&mut findings);
        if self.keep_conversations {
            self.conversations.push(conversation);
        }
    }

    /// Remembers the current point, to undo a partly read file.
    pub fn mark(&self) -> Mark {
        Mark {
            facts: self.facts.len(),
            findings: self.findings.len(),
            conversations: self.conversations.len(),
        }
    }

    /// Forgets everything added since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        self.facts.truncate(mark.facts);
        self.findings.truncate(mark.findings);
        self.conversations.truncate(mark.conversations);
    }

    /// Sorts everything into its deterministic order and computes the summary.
    ///
    /// The kept conversations are returned in the same order as `report.facts`.
    pub fn finish(self, inputs: Vec<InputReport>, now: DateTime<Utc>) -> (AuditReport, Vec<Conversation>) {
        let Self {
            pack,
            keep_conversations,
            facts,
            mut findings,
            conversations,
        } = self;
        let mut order: Vec<usize> = (0..facts.len()).collect();
        order.sort_by(|&a, &b| {
            let (fa, fb) = (&facts[a], &facts[b]);
            (fa.id.as_str(), fa.source).cmp(&(fb.id.as_str(), fb.source))
        });
        let mut facts: Vec<Option<ConversationFacts>> = facts.into_iter().map(Some).collect();
        let sorted_facts: Vec<ConversationFacts> = order
            .iter()
            .filter_map(|&i| facts.get_mut(i).and_then(Option::take))
            .collect();
        let sorted_conversations = if keep_conversations {
            let mut conversations: Vec<Option<Conversation>> = conversations.into_iter().map(Some).collect();
            order
                .iter()
                .filter_map(|&i| conversations.get_mut(i).and_then(Option::take))
                .collect()
        } else {
            Vec::new()
        };
        sort_findings(&mut findings);
        let summary = metrics::summarize(&sorted_facts, &findings);
        let report = AuditReport {
            tool: ToolInfo::default(),
            generated_at: now,
            rules: PackInfo::of(pack),
            inputs,
            summary,
            findings,
            facts: sorted_facts,
        };
        (report, sorted_conversations)
    }
}

/// Sorts findings by conversation, input, message, rule and evidence: the order every export uses.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.conversation_id.as_str(),
            a.source,
            a.message_index,
            a.rule,
            a.evidence.as_str(),
        )
            .cmp(&(
                b.conversation_id.as_str(),
                b.source,
                b.message_index,
                b.rule,
                b.evidence.as_str(),
            ))
    });
}

/// File endings read when a folder is given.
pub const LOG_EXTENSIONS: [&str; 7] = ["jsonl", "ndjson", "json", "csv", "tsv", "txt", "log"];

/// Expands folders into the log files inside them (recursively, sorted); files are kept as given.
///
/// Folders that cannot be listed become an input report with the reason.
pub fn expand_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputReport>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_folder(path, &mut files, &mut problems);
        } else {
            files.push(path.clone());
        }
    }
    (files, problems)
}

fn collect_folder(folder: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<InputReport>) {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) => {
            problems.push(InputReport {
                path: folder.display().to_string(),
                error: Some(format!("The folder could not be opened: {}", plain_io_error(&err))),
                ..InputReport::default()
            });
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if child.is_dir() {
            collect_folder(&child, files, problems);
        } else if child
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| LOG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            files.push(child);
        }
    }
}

/// A file-system error in plain words.
pub fn plain_io_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "it does not exist".to_owned(),
        ErrorKind::PermissionDenied => "permission was denied".to_owned(),
        ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        ErrorKind::InvalidData => "its content could not be decoded".to_owned(),
        _ => format!("the system reported: {err}"),
    }
}

/// What [`audit_paths`] produced.
pub struct AuditOutcome {
    /// The report.
    pub report: AuditReport,
    /// The conversations, when they were kept, in the order of `report.facts`.
    pub conversations: Vec<Conversation>,
}

/// Imports and audits files and folders. A file that cannot be read gets an input report saying why; the
/// others are audited as usual. Returns `Err` only when cancelled.
pub fn audit_paths(
    paths: &[PathBuf],
    pack: &RulePack,
    keep_conversations: bool,
    progress: &ImportProgress,
    now: DateTime<Utc>,
) -> Result<AuditOutcome, ImportError> {
    let (files, mut inputs) = expand_paths(paths);
    let mut auditor = Auditor::new(pack, keep_conversations);
    for path in &files {
        let source = inputs.len();
        let report = audit_file(path, source, &mut auditor, progress)?;
        inputs.push(report);
    }
    let (report, conversations) = auditor.finish(inputs, now);
    Ok(AuditOutcome {
        report,
        conversations,
    })
}

/// Imports one file into the auditor, streaming when the file allows it.
pub fn audit_file(
    path: &Path,
    source: usize,
    auditor: &mut Auditor<'_>,
    progress: &ImportProgress,
) -> Result<InputReport, ImportError> {
    let name = path.display().to_string();
    let mark = auditor.mark();
    let counted_before = progress
        .conversations
        .load(std::sync::atomic::Ordering::Relaxed);
    for grouping in [Grouping::Stream, Grouping::Collect] {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(err) => {
                return Ok(InputReport {
                    path: name,
                    error: Some(format!("The file could not be opened: {}", plain_io_error(&err))),
                    ..InputReport::default()
                });
            }
        };
        let mut sink = |conversation: Conversation| auditor.add(conversation);
        match import::import_reader(&name, source, file, grouping, progress, &mut sink) {
            Ok(report) => return Ok(report),
            Err(ImportError::Interleaved) => {
                auditor.rollback(mark);
                progress
                    .conversations
                    .store(counted_before, std::sync::atomic::Ordering::Relaxed);
            }
            Err(ImportError::Io(err)) => {
                auditor.rollback(mark);
                return Ok(InputReport {
                    path: name,
                    error: Some(format!("The file could not be read: {}", plain_io_error(&err))),
                    ..InputReport::default()
                });
            }
            Err(ImportError::Cancelled) => return Err(ImportError::Cancelled),
        }
    }
    // Collecting never reports interleaving, so this is not reached; say so plainly if it ever is.
    Ok(InputReport {
        path: name,
        error: Some("The file could not be assembled into conversations".to_owned()),
        ..InputReport::default()
    })
}
