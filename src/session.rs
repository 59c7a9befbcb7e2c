//! What the app holds while logs are open: the audit, the conversations, the review decisions and what the
//! findings table shows, changed only through [`Command`]s.
//!
//! The UI never edits a [`Session`] directly: its widgets return a [`Command`] and one place applies it, so
//! every behaviour here can be tested without a window. Commands that take long (opening files, exporting)
//! have synchronous versions here ([`load_paths`], [`load_samples`], [`ExportJob::write_to`]); the app runs
//! the same functions on background threads.
//!
//! Review decisions are saved after every change in a small JSON file, named after the SHA-256 of the
//! inputs, in a folder the caller chooses. Opening the same files again (in any order) restores them.

use crate::import::profile::ImportProfile;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::audit::{self, AuditReport, Auditor};
use crate::export::{self, ExportError, ExportFormat, ExportView, Review, ReviewStatus, SignOff};
use crate::import::{self, ImportError, ImportProgress, InputReport};
use crate::model::Conversation;
use crate::query::{self, Drill, FindingFilter, SortKey};
use crate::rules::{Finding, RulePack};
use crate::store::ConversationStore;

/// The sample logs, embedded so that "Try the sample logs" works wherever the binary is.
pub const SAMPLE_LOGS: [(&str, &[u8]); 4] = [
    (
        "sample_logs/support_chat_2026q1.jsonl",
        include_bytes!("../sample_logs/support_chat_2026q1.jsonl"),
    ),
    (
        "sample_logs/messaging_export.json",
        include_bytes!("../sample_logs/messaging_export.json"),
    ),
    (
        "sample_logs/helpdesk_tickets.csv",
        include_bytes!("../sample_logs/helpdesk_tickets.csv"),
    ),
    (
        "sample_logs/voice_ivr_transcripts.tsv",
        include_bytes!("../sample_logs/voice_ivr_transcripts.tsv"),
    ),
];

/// The format tag written into review files.
const REVIEW_FILE_FORMAT: &str = "candor.reviews/1";

/// An audit with the conversations kept for viewing, ready to become a [`Session`].
#[derive(Debug, Default)]
pub struct Loaded {
    /// The audit.
    pub report: AuditReport,
    /// The conversations, in the order of `report.facts`.
    pub conversations: ConversationStore,
}

/// The open conversations, shared with a background thread that audits them again with another rule pack
/// or language (see [`Session::reaudit_job`]). Nothing is read from disk: the files' hashes and reading
/// problems stay as they were.
#[derive(Clone, Debug)]
pub struct ReauditJob {
    conversations: Arc<ConversationStore>,
    inputs: Vec<InputReport>,
    /// What the tables showed when the job started: if it is still so when the job is done, the
    /// job's rows are used as they are, and nothing is sorted on the UI thread.
    filter: FindingFilter,
    sort: SortKey,
    stored_reviews: BTreeMap<FindingKey, Review>,
}

impl ReauditJob {
    /// How many conversations will be audited.
    pub fn conversations(&self) -> usize {
        self.conversations.len()
    }

    /// Audits the conversations with `pack` (and its language), through the audit pipeline of
    /// [`audit::reaudit`]. Progress is counted in `progress.conversations`; `Err` only when cancelled
    /// or a worker stopped. What the session needs beyond the report is worked out here too, so that
    /// [`Session::take_reaudit`] is quick on the UI thread.
    pub fn run(
        &self,
        pack: &RulePack,
        progress: &ImportProgress,
        now: DateTime<Utc>,
    ) -> Result<Reaudited, ImportError> {
        let inputs = self.inputs.clone();
        let report = audit::reaudit(&self.conversations, pack, inputs, progress, now)?;
        let finding_facts = query::finding_facts(&report);
        let reviews = reviews_by_key(&report, &self.stored_reviews);
        let (rows, conversation_rows) =
            shown_rows(&report, &finding_facts, &reviews, &self.filter, self.sort);
        let scoped_summary = scoped_summary(&report, &finding_facts, &self.filter);
        Ok(Reaudited {
            report,
            finding_facts,
            reviews,
            rows,
            conversation_rows,
            scoped_summary,
        })
    }
}

/// The result of a [`ReauditJob`], ready for [`Session::take_reaudit`].
#[derive(Debug)]
pub struct Reaudited {
    report: AuditReport,
    finding_facts: Vec<Option<usize>>,
    reviews: Vec<Option<Box<Review>>>,
    rows: Vec<usize>,
    conversation_rows: Vec<usize>,
    scoped_summary: Option<crate::metrics::Summary>,
}

impl Reaudited {
    /// The new audit.
    pub fn report(&self) -> &AuditReport {
        &self.report
    }
}

/// Progress of loading several files, shared with whoever shows it.
#[derive(Debug, Default)]
pub struct LoadProgress {
    /// Bytes and conversations read, and the cancel flag.
    pub import: ImportProgress,
    /// Files to read.
    pub files_total: AtomicUsize,
    /// Files finished.
    pub files_done: AtomicUsize,
    /// The file being read and its size in bytes.
    pub current: Mutex<Option<(String, u64)>>,
}

impl LoadProgress {
    fn start_file(&self, name: &str, bytes: u64) {
        if let Ok(mut current) = self.current.lock() {
            *current = Some((name.to_owned(), bytes));
        }
    }

    fn finish_file(&self) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
    }

    /// Asks the running load to stop.
    pub fn cancel(&self) {
        self.import.cancel.store(true, Ordering::Relaxed);
    }
}

/// Imports and audits files and folders with the built-in rule pack, keeping the conversations.
///
/// This is [`audit::audit_paths`] with progress per file. Returns `Err` only when cancelled; unreadable
/// files are described in `report.inputs`.
pub fn load_paths(
    paths: &[PathBuf],
    pack: &RulePack,
    profile: Option<&ImportProfile>,
    progress: &LoadProgress,
    now: DateTime<Utc>,
) -> Result<Loaded, ImportError> {
    // The command line's pipeline, with the progress shown per file.
    let outcome = audit::audit_paths_observed(
        paths,
        pack,
        profile,
        true,
        &progress.import,
        now,
        &mut |event| match event {
            audit::FileEvent::Total(n) => progress.files_total.store(n, Ordering::Relaxed),
            audit::FileEvent::Start(path, bytes) => {
                progress.start_file(&path.display().to_string(), bytes);
            }
            audit::FileEvent::Done => progress.finish_file(),
        },
    )?;
    Ok(Loaded {
        report: outcome.report,
        conversations: outcome.conversations,
    })
}

/// Imports and audits the embedded sample logs.
pub fn load_samples(
    pack: &RulePack,
    progress: &LoadProgress,
    now: DateTime<Utc>,
) -> Result<Loaded, ImportError> {
    let sources = SAMPLE_LOGS.iter().map(|&(name, bytes)| {
        let audit_one = move |source: usize, auditor: &mut Auditor, import: &ImportProgress| {
            let mut open = || Ok(Box::new(bytes) as Box<dyn std::io::Read + '_>);
            audit::audit_source(name, source, &mut open, auditor, import)
        };
        (name.to_owned(), bytes.len() as u64, audit_one)
    });
    load_sources(Vec::new(), sources, pack, None, progress, now)
}

/// Audits each `(name, size in bytes, auditing step)` source in turn, keeping the conversations and
/// reporting progress per source. `inputs` holds reports made before (unlistable folders, notices).
fn load_sources<A>(
    mut inputs: Vec<InputReport>,
    sources: impl ExactSizeIterator<Item = (String, u64, A)>,
    pack: &RulePack,
    profile: Option<&ImportProfile>,
    progress: &LoadProgress,
    now: DateTime<Utc>,
) -> Result<Loaded, ImportError>
where
    A: FnOnce(usize, &mut Auditor, &ImportProgress) -> Result<InputReport, ImportError>,
{
    let mut auditor = Auditor::new(pack, true);
    auditor.set_profile(profile.cloned());
    progress.files_total.store(sources.len(), Ordering::Relaxed);
    for (name, bytes, audit_one) in sources {
        progress.start_file(&name, bytes);
        let source = inputs.len();
        inputs.push(audit_one(source, &mut auditor, &progress.import)?);
        progress.finish_file();
    }
    let (report, conversations) = auditor.finish(inputs, now);
    Ok(Loaded {
        report,
        conversations,
    })
}

/// Which findings an export contains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ExportSelection {
    /// Every finding.
    #[default]
    All,
    /// The findings the table shows.
    Filtered,
    /// Only findings a reviewer confirmed.
    Confirmed,
}

impl ExportSelection {
    /// Every selection.
    pub const ALL: [Self; 3] = [Self::All, Self::Filtered, Self::Confirmed];

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All findings",
            Self::Filtered => "Filtered findings",
            Self::Confirmed => "Confirmed findings only",
        }
    }
}

/// How a click changes the selected findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectMode {
    /// Select only this one.
    Replace,
    /// Add or remove this one (Ctrl+click).
    Toggle,
    /// Select the shown rows from the last selected one to this one (Shift+click).
    Range,
}

/// Everything the user can ask of a session.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open log files or folders (replacing what is open).
    OpenPaths(Vec<PathBuf>),
    /// Open the embedded sample logs.
    LoadSamples,
    /// Show only the findings that pass this filter.
    SetFilter(FindingFilter),
    /// Show a set of conversations chosen on the overview, replacing every filter but the overview's
    /// period and channels (`None` removes only the drill-down).
    Drill(Option<Drill>),
    /// Sort the findings.
    Sort(SortKey),
    /// Select a finding (by index into `report.findings`), or clear the selection.
    SelectFinding {
        /// The finding, or `None` to clear.
        finding: Option<usize>,
        /// How the selection changes.
        mode: SelectMode,
    },
    /// Select every shown finding.
    SelectAllShown,
    /// Open a conversation (by index into `report.facts`).
    OpenConversation(usize),
    /// Select a finding and open its conversation.
    OpenFinding(usize),
    /// Record a review decision on findings (indices into `report.findings`).
    SetReview {
        /// The findings.
        findings: Vec<usize>,
        /// The decision; `Open` with an empty note clears the review.
        status: ReviewStatus,
        /// The reviewer's note.
        note: String,
    },
    /// Mark a whole conversation (by index into `report.facts`) reviewed, or clear that mark.
    ReviewConversation {
        /// The conversation.
        fact: usize,
        /// Reviewed (`true`) or not (`false`, which clears the mark and its note).
        reviewed: bool,
        /// The reviewer's note.
        note: String,
    },
    /// Set the name recorded with review decisions.
    SetReviewer(String),
    /// Write findings to a file.
    Export {
        /// The format.
        format: ExportFormat,
        /// Which findings.
        selection: ExportSelection,
        /// Where.
        path: PathBuf,
    },
}

/// Why a command could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Opening logs was cancelled.
    #[error("{0}")]
    Import(#[from] ImportError),
    /// The export failed.
    #[error("{0}")]
    Export(#[from] ExportError),
    /// The review decisions could not be saved.
    #[error("The review decisions could not be saved: {0}")]
    SaveReviews(String),
}

/// Identifies a finding across runs: the same conversation of the same file, rule and message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FindingKey {
    /// The conversation id.
    pub conversation_id: String,
    /// SHA-256 of the input file the conversation came from.
    pub input_sha256: String,
    /// The rule code.
    pub rule: String,
    /// The message the finding is about.
    pub message_index: Option<usize>,
}

/// Identifies a conversation across runs: its id and the SHA-256 of its input file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ConversationKey {
    /// The conversation id.
    pub conversation_id: String,
    /// SHA-256 of the input file the conversation came from.
    pub input_sha256: String,
}

/// A whole conversation marked reviewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationReview {
    /// The reviewer's note.
    #[serde(default)]
    pub note: String,
    /// Who marked it.
    #[serde(default)]
    pub reviewer: String,
    /// When, RFC 3339.
    pub reviewed_at: String,
}

/// One stored conversation review, as written in the review file's `conversation_reviews` list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct StoredConversationReview {
    #[serde(flatten)]
    key: ConversationKey,
    #[serde(flatten)]
    review: ConversationReview,
}

/// Where a conversation stands, as the conversations list says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConversationStatus {
    /// A whole-conversation review was recorded.
    Reviewed,
    /// Findings without a review decision.
    OpenFindings(usize),
    /// Every finding has a decision, but the conversation itself is not marked reviewed.
    FindingsReviewed(usize),
    /// Assessed, and no rule flagged anything.
    Compliant,
    /// No AI took part, so the rules did not apply.
    NoAi,
    /// In a language the rule pack does not cover: no verdict.
    NotAssessed(String),
}

impl ConversationStatus {
    /// The status in words: "Compliant", "2 open findings", "Not assessed: Danish", "Reviewed".
    pub fn label(&self) -> String {
        match self {
            Self::Reviewed => "Reviewed".to_owned(),
            Self::OpenFindings(1) => "1 open finding".to_owned(),
            Self::OpenFindings(n) => format!("{n} open findings"),
            Self::FindingsReviewed(1) => "1 finding, decided".to_owned(),
            Self::FindingsReviewed(n) => format!("{n} findings, all decided"),
            Self::Compliant => "Compliant".to_owned(),
            Self::NoAi => "No AI involved".to_owned(),
            Self::NotAssessed(language) => format!("Not assessed: {language}"),
        }
    }
}

/// One stored review decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct StoredReview {
    #[serde(flatten)]
    key: FindingKey,
    #[serde(flatten)]
    review: Review,
}

/// The names [`StoredReview`] reads; any other field of a stored decision is kept as it is.
const STORED_REVIEW_FIELDS: [&str; 8] = [
    "conversation_id",
    "input_sha256",
    "rule",
    "message_index",
    "status",
    "note",
    "reviewer",
    "reviewed_at",
];

type JsonMap = serde_json::Map<String, serde_json::Value>;

/// The review file on disk. Decisions are read one by one, so that a decision this version cannot read
/// (a newer status, say) is written back untouched instead of lost.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct ReviewFile {
    format: String,
    inputs: Vec<String>,
    reviews: Vec<serde_json::Value>,
    /// Whole conversations marked reviewed. Added within format 1: older versions keep the list as an
    /// unknown field, and files without it read as none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    conversation_reviews: Vec<serde_json::Value>,
    /// Fields a newer version added, kept on save.
    #[serde(flatten)]
    extra: JsonMap,
}

/// What the review file holds beyond the decisions this version understands, kept so that saving never
/// loses it; and the decisions cleared since loading, so that merging with the file does not bring them
/// back.
#[derive(Clone, Debug, Default)]
struct ReviewFileRest {
    /// Unknown top-level fields.
    extra: JsonMap,
    /// Unknown fields of each decision.
    review_extra: BTreeMap<FindingKey, JsonMap>,
    /// Decisions this version could not read, as they were.
    unreadable: Vec<serde_json::Value>,
    /// Decisions cleared in this session.
    cleared: std::collections::BTreeSet<FindingKey>,
    /// Conversation reviews this version could not read, as they were.
    unreadable_conversations: Vec<serde_json::Value>,
    /// Conversation reviews cleared in this session.
    cleared_conversations: std::collections::BTreeSet<ConversationKey>,
    /// The file could not be read nor set aside: saving would destroy it, so decisions stay in memory.
    blocked: bool,
}

/// The decisions of a review file, or why it cannot be used.
struct ReadReviews {
    reviews: BTreeMap<FindingKey, Review>,
    conversations: BTreeMap<ConversationKey, ConversationReview>,
    rest: ReviewFileRest,
}

/// Reads a review file's bytes: `Err` says, in words, why it cannot be used.
fn parse_review_file(bytes: &[u8]) -> Result<ReadReviews, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|err| format!("it is not valid JSON ({err})"))?;
    let format = value.get("format").and_then(serde_json::Value::as_str);
    match format {
        Some(REVIEW_FILE_FORMAT) => {}
        Some(other) if other.starts_with("candor.reviews/") => {
            return Err(format!(
                "it was written by a newer version of Candor (format {other})"
            ));
        }
        _ => return Err("it is not a Candor review file".to_owned()),
    }
    let file: ReviewFile = serde_json::from_value(value)
        .map_err(|err| format!("its content is not as expected ({err})"))?;
    let mut read = ReadReviews {
        reviews: BTreeMap::new(),
        conversations: BTreeMap::new(),
        rest: ReviewFileRest {
            extra: file.extra,
            ..ReviewFileRest::default()
        },
    };
    for raw in file.reviews {
        match serde_json::from_value::<StoredReview>(raw.clone()) {
            Ok(StoredReview { key, review }) => {
                if let serde_json::Value::Object(mut fields) = raw {
                    fields.retain(|name, _| !STORED_REVIEW_FIELDS.contains(&name.as_str()));
                    if !fields.is_empty() {
                        read.rest.review_extra.insert(key.clone(), fields);
                    }
                }
                read.reviews.insert(key, review);
            }
            Err(_) => read.rest.unreadable.push(raw),
        }
    }
    for raw in file.conversation_reviews {
        match serde_json::from_value::<StoredConversationReview>(raw.clone()) {
            Ok(StoredConversationReview { key, review }) => {
                read.conversations.insert(key, review);
            }
            Err(_) => read.rest.unreadable_conversations.push(raw),
        }
    }
    Ok(read)
}

/// An export ready to run on any thread: owns (a share of) everything it needs.
#[derive(Clone, Debug)]
pub struct ExportJob {
    /// The audit.
    pub report: Arc<AuditReport>,
    /// The findings to write, in order.
    pub findings: Vec<usize>,
    /// The review of every finding of the report, by index.
    pub reviews: Vec<Option<Box<Review>>>,
    /// The selection, in words, for provenance.
    pub selection: String,
    /// The format.
    pub format: ExportFormat,
    /// Whether personal data in log text is replaced by placeholders (the app's "Hide personal data").
    pub redact: bool,
    /// The organisation and auditor for the HTML report's sign-off block.
    pub sign_off: SignOff,
}

impl ExportJob {
    /// Writes the export through the same writers as `candor audit`.
    pub fn write(&self, out: &mut dyn std::io::Write) -> Result<(), ExportError> {
        let reviews = |i: usize| self.reviews.get(i).cloned().flatten().map(|review| *review);
        let view = ExportView {
            report: &self.report,
            findings: self.findings.clone(),
            reviews: &reviews,
            selection: self.selection.clone(),
            redact: self.redact,
            sign_off: self.sign_off.clone(),
        };
        export::export(&view, self.format, out)
    }

    /// Writes the export to `path` atomically, refusing a target that is one of the audited logs, a
    /// folder, a device, a pipe or a symbolic link (the same check as `candor audit --out`).
    pub fn write_to(&self, path: &Path) -> Result<(), ExportError> {
        let inputs: Vec<PathBuf> = self
            .report
            .inputs
            .iter()
            .map(|input| PathBuf::from(&input.path))
            .collect();
        export::write_export(path, &inputs, false, |out| self.write(out))
    }
}

/// The open audit and what the user is doing with it.
#[derive(Debug, Default)]
pub struct Session {
    report: Arc<AuditReport>,
    /// Shared with a running re-audit, which reads them on another thread.
    conversations: Arc<ConversationStore>,
    /// The open conversation, built from the store once when it is opened rather than every frame.
    transcript: Option<(usize, Arc<Conversation>)>,
    /// For each finding, its conversation's index in `report.facts`.
    finding_facts: Vec<Option<usize>>,
    /// Review decisions by finding key, including keys no current finding has (kept, never dropped).
    stored_reviews: BTreeMap<FindingKey, Review>,
    /// The review of each finding, by index. Boxed: most findings have none, and an empty slot then
    /// takes 8 bytes instead of 80 (37 MB at a million findings).
    reviews: Vec<Option<Box<Review>>>,
    /// Where review files live; `None` keeps decisions in memory only.
    review_dir: Option<PathBuf>,
    /// Who is reviewing.
    reviewer: String,
    filter: FindingFilter,
    sort: SortKey,
    /// The shown findings: the cached result of the query.
    rows: Vec<usize>,
    /// Selected findings, sorted.
    selected: Vec<usize>,
    /// The finding the keyboard moves from.
    cursor: Option<usize>,
    /// The open conversation, by index into `report.facts`.
    open_conversation: Option<usize>,
    /// Problems loading or saving reviews, for the user.
    save_error: Option<String>,
    /// Something the user must know about the review file that did not stop saving (it was set aside).
    review_notice: Option<String>,
    /// What the review file holds beyond the decisions, kept on save.
    review_rest: ReviewFileRest,
    /// How many findings have each review decision (kept up to date, so the UI can show it every frame).
    counts: BTreeMap<ReviewStatus, usize>,
    /// Whole conversations marked reviewed, including keys no open conversation has (kept, never dropped).
    conversation_reviews: BTreeMap<ConversationKey, ConversationReview>,
    /// The shown conversations (indices into `report.facts`): the cached result of the conversation query.
    conversation_rows: Vec<usize>,
    /// The summary of the conversations inside the filter's period and channels, when those narrow it.
    scoped_summary: Option<crate::metrics::Summary>,
}

impl Session {
    /// A session over loaded logs, restoring review decisions saved in `review_dir` for the same inputs.
    pub fn new(loaded: Loaded, review_dir: Option<PathBuf>, reviewer: impl Into<String>) -> Self {
        let Loaded {
            report,
            conversations,
        } = loaded;
        let finding_facts = query::finding_facts(&report);
        let mut session = Self {
            reviews: vec![None; report.findings.len()],
            report: Arc::new(report),
            conversations: Arc::new(conversations),
            finding_facts,
            review_dir,
            reviewer: reviewer.into(),
            ..Self::default()
        };
        session.restore_reviews();
        session.count_reviews();
        session.refresh_rows();
        session
    }

    /// Whether any logs are open.
    pub fn is_loaded(&self) -> bool {
        !self.report.inputs.is_empty()
    }

    /// The audit.
    pub fn report(&self) -> &AuditReport {
        &self.report
    }

    /// A shared handle on the audit, for background exports.
    pub fn report_arc(&self) -> Arc<AuditReport> {
        Arc::clone(&self.report)
    }

    /// The conversation at `fact` (an index into `report.facts`), if kept: the open one as it was
    /// built when opened, any other built from the store now.
    pub fn conversation(&self, fact: usize) -> Option<Cow<'_, Conversation>> {
        match &self.transcript {
            Some((open, conversation)) if *open == fact => Some(Cow::Borrowed(conversation)),
            _ => self.conversations.get(fact).map(Cow::Owned),
        }
    }

    /// Every kept conversation, packed, in the order of `report.facts`.
    pub fn conversations(&self) -> &ConversationStore {
        &self.conversations
    }

    /// Opens the conversation at `fact` (or none), building its transcript from the store.
    fn open(&mut self, fact: Option<usize>) {
        self.open_conversation = fact;
        if self.transcript.as_ref().map(|(open, _)| *open) != fact {
            self.transcript = fact.and_then(|fact| {
                let conversation = self.conversations.get(fact)?;
                Some((fact, Arc::new(conversation)))
            });
        }
    }

    /// The index in `report.facts` of a finding's conversation.
    pub fn fact_of_finding(&self, finding: usize) -> Option<usize> {
        self.finding_facts.get(finding).copied().flatten()
    }

    /// The findings of a conversation (indices into `report.findings`), in report order.
    pub fn findings_of_conversation(&self, fact: usize) -> Vec<usize> {
        let Some(facts) = self.report.facts.get(fact) else {
            return Vec::new();
        };
        let key = (facts.id.as_str(), facts.source);
        let findings = &self.report.findings;
        let start = findings.partition_point(|f| (f.conversation_id.as_str(), f.source) < key);
        let end = findings.partition_point(|f| (f.conversation_id.as_str(), f.source) <= key);
        (start..end).collect()
    }

    /// The shown conversations, as indices into `report.facts`, in report order.
    pub fn conversation_rows(&self) -> &[usize] {
        &self.conversation_rows
    }

    /// The overview's figures: the audit's summary, or that of the filter's period and channels.
    pub fn summary(&self) -> &crate::metrics::Summary {
        self.scoped_summary.as_ref().unwrap_or(&self.report.summary)
    }

    /// Whether the overview's figures are narrowed by the filter's period or channels.
    pub fn summary_is_scoped(&self) -> bool {
        self.scoped_summary.is_some()
    }

    /// The stable key of a conversation (by index into `report.facts`).
    pub fn conversation_key(&self, fact: usize) -> Option<ConversationKey> {
        let facts = self.report.facts.get(fact)?;
        Some(ConversationKey {
            conversation_id: facts.id.as_str().to_owned(),
            input_sha256: self
                .report
                .inputs
                .get(facts.source)
                .map(|input| input.sha256.clone())
                .unwrap_or_default(),
        })
    }

    /// The whole-conversation review of a conversation, if it was marked reviewed.
    pub fn conversation_review(&self, fact: usize) -> Option<&ConversationReview> {
        let key = self.conversation_key(fact)?;
        self.conversation_reviews.get(&key)
    }

    /// Where a conversation stands: reviewed, open findings, compliant or not assessed.
    pub fn conversation_status(&self, fact: usize) -> ConversationStatus {
        if self.conversation_review(fact).is_some() {
            return ConversationStatus::Reviewed;
        }
        let findings = self.findings_of_conversation(fact);
        let open = findings
            .iter()
            .filter(|&&f| self.review_status(f) == ReviewStatus::Open)
            .count();
        let Some(facts) = self.report.facts.get(fact) else {
            return ConversationStatus::Compliant;
        };
        if open > 0 {
            ConversationStatus::OpenFindings(open)
        } else if !findings.is_empty() {
            ConversationStatus::FindingsReviewed(findings.len())
        } else if !facts.assessed && facts.ai_involved() {
            ConversationStatus::NotAssessed(crate::detect::language_name(&facts.language))
        } else if !facts.ai_involved() {
            ConversationStatus::NoAi
        } else {
            ConversationStatus::Compliant
        }
    }

    /// The review of a finding, if it has one.
    pub fn review(&self, finding: usize) -> Option<&Review> {
        self.reviews.get(finding).and_then(Option::as_deref)
    }

    /// The review decision of a finding (`Open` when unreviewed).
    pub fn review_status(&self, finding: usize) -> ReviewStatus {
        self.review(finding)
            .map_or(ReviewStatus::Open, |r| r.status)
    }

    /// How many findings are open, confirmed and dismissed.
    pub fn review_counts(&self) -> &BTreeMap<ReviewStatus, usize> {
        &self.counts
    }

    fn count_reviews(&mut self) {
        let mut counts = BTreeMap::from([
            (ReviewStatus::Open, 0),
            (ReviewStatus::Confirmed, 0),
            (ReviewStatus::Dismissed, 0),
        ]);
        for index in 0..self.reviews.len() {
            *counts.entry(self.review_status(index)).or_default() += 1;
        }
        self.counts = counts;
    }

    /// How many findings an export selection covers (cheap, for showing every frame).
    pub fn export_count(&self, selection: ExportSelection) -> usize {
        match selection {
            ExportSelection::All => self.report.findings.len(),
            ExportSelection::Filtered => self.rows.len(),
            ExportSelection::Confirmed => self
                .counts
                .get(&ReviewStatus::Confirmed)
                .copied()
                .unwrap_or(0),
        }
    }

    /// The name recorded with review decisions.
    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    /// The current filter.
    pub fn filter(&self) -> &FindingFilter {
        &self.filter
    }

    /// The current sort order.
    pub fn sort(&self) -> SortKey {
        self.sort
    }

    /// The shown findings, as indices into `report.findings`, in table order.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// The selected findings, sorted by index.
    pub fn selected(&self) -> &[usize] {
        &self.selected
    }

    /// The finding the keyboard cursor is on.
    pub fn cursor(&self) -> Option<usize> {
        self.cursor
    }

    /// The open conversation, as an index into `report.facts`.
    pub fn open_conversation(&self) -> Option<usize> {
        self.open_conversation
    }

    /// Why saving review decisions last failed, if it did.
    pub fn save_error(&self) -> Option<&str> {
        self.save_error.as_deref()
    }

    /// What the user must know about the review file that did not stop saving: it could not be read and
    /// was set aside. Shown once after loading.
    pub fn review_notice(&self) -> Option<&str> {
        self.review_notice.as_deref()
    }

    /// The path of the review file of these inputs, if reviews are saved.
    pub fn review_file(&self) -> Option<PathBuf> {
        let dir = self.review_dir.as_ref()?;
        let inputs = self.input_hashes();
        if inputs.is_empty() {
            return None;
        }
        let digest = Sha256::digest(inputs.join("\n").as_bytes());
        let name = import::hex(&digest);
        Some(dir.join(format!("reviews-{}.json", name.get(..16).unwrap_or(&name))))
    }

    /// The sorted SHA-256s of the inputs that were read.
    fn input_hashes(&self) -> Vec<String> {
        let mut hashes: Vec<String> = self
            .report
            .inputs
            .iter()
            .filter(|input| !input.sha256.is_empty())
            .map(|input| input.sha256.clone())
            .collect();
        hashes.sort();
        hashes.dedup();
        hashes
    }

    /// The stable key of a finding.
    pub fn finding_key(&self, finding: &Finding) -> FindingKey {
        FindingKey {
            conversation_id: finding.conversation_id.to_string(),
            input_sha256: self
                .report
                .inputs
                .get(finding.source)
                .map(|input| input.sha256.clone())
                .unwrap_or_default(),
            rule: finding.rule.code().to_owned(),
            message_index: finding.message_index,
        }
    }

    /// The findings an export selection covers.
    pub fn export_findings(&self, selection: ExportSelection) -> Vec<usize> {
        match selection {
            ExportSelection::All => (0..self.report.findings.len()).collect(),
            ExportSelection::Filtered => self.rows.clone(),
            ExportSelection::Confirmed => (0..self.report.findings.len())
                .filter(|&i| self.review_status(i) == ReviewStatus::Confirmed)
                .collect(),
        }
    }

    /// An export of `selection` that can run on another thread.
    pub fn export_job(&self, format: ExportFormat, selection: ExportSelection) -> ExportJob {
        let label = match selection {
            ExportSelection::All => "all findings".to_owned(),
            ExportSelection::Filtered => format!("filtered: {}", self.filter.describe()),
            ExportSelection::Confirmed => "confirmed only".to_owned(),
        };
        ExportJob {
            report: self.report_arc(),
            findings: self.export_findings(selection),
            reviews: self.reviews.clone(),
            selection: label,
            format,
            redact: false,
            sign_off: SignOff::default(),
        }
    }

    /// Carries out a command. `now` is the time recorded with review decisions and new audits.
    pub fn apply(&mut self, command: Command, now: DateTime<Utc>) -> Result<(), SessionError> {
        match command {
            Command::OpenPaths(paths) => {
                let loaded = load_paths(
                    &paths,
                    &RulePack::builtin(),
                    None,
                    &LoadProgress::default(),
                    now,
                )?;
                self.replace(loaded);
            }
            Command::LoadSamples => {
                let loaded = load_samples(&RulePack::builtin(), &LoadProgress::default(), now)?;
                self.replace(loaded);
            }
            Command::SetFilter(filter) => {
                if filter != self.filter {
                    self.filter = filter;
                    self.refresh_rows();
                }
            }
            Command::Drill(Some(drill)) => {
                self.filter = self.filter.for_drill(drill);
                self.refresh_rows();
            }
            Command::Drill(None) => {
                self.filter.drill = None;
                self.refresh_rows();
            }
            Command::Sort(sort) => {
                if sort != self.sort {
                    self.sort = sort;
                    self.resort_rows();
                }
            }
            Command::SelectFinding { finding, mode } => self.select(finding, mode),
            Command::SelectAllShown => {
                self.selected = self.rows.clone();
                self.selected.sort_unstable();
            }
            Command::OpenConversation(fact) => {
                if fact < self.report.facts.len() {
                    self.open(Some(fact));
                }
            }
            Command::OpenFinding(finding) => {
                if finding < self.report.findings.len() {
                    self.select(Some(finding), SelectMode::Replace);
                    self.open(self.fact_of_finding(finding));
                }
            }
            Command::SetReview {
                findings,
                status,
                note,
            } => {
                self.set_review(&findings, status, &note, now);
                self.save_reviews()?;
            }
            Command::ReviewConversation {
                fact,
                reviewed,
                note,
            } => {
                self.review_conversation(fact, reviewed, &note, now);
                self.save_reviews()?;
            }
            Command::SetReviewer(name) => self.reviewer = name,
            Command::Export {
                format,
                selection,
                path,
            } => {
                self.export_job(format, selection).write_to(&path)?;
            }
        }
        Ok(())
    }

    /// The open conversations and their inputs, to audit again on another thread with another rule pack
    /// or language; `None` when no logs are open or their conversations were not kept.
    pub fn reaudit_job(&self) -> Option<ReauditJob> {
        let kept = self.conversations.len() == self.report.facts.len();
        (self.is_loaded() && kept).then(|| ReauditJob {
            conversations: Arc::clone(&self.conversations),
            inputs: self.report.inputs.clone(),
            filter: self.filter.clone(),
            sort: self.sort,
            stored_reviews: self.stored_reviews.clone(),
        })
    }

    /// Takes in the result of a [`ReauditJob`]: the new findings replace the old ones, and review
    /// decisions follow them by finding key (decisions on findings the new rules do not make are kept in
    /// the review file). The filter, the sort and the open conversation stay; the selection is cleared,
    /// because finding numbers change.
    ///
    /// Returns the replaced audit, for the caller to free where that does not hold up drawing, or gives
    /// `done` back unused when the job was made from other logs than those open now.
    pub fn take_reaudit(
        &mut self,
        job: &ReauditJob,
        done: Reaudited,
    ) -> Result<Arc<AuditReport>, Box<Reaudited>> {
        let same_logs = Arc::ptr_eq(&job.conversations, &self.conversations)
            && done.report.facts.len() == self.conversations.len();
        if !same_logs {
            return Err(Box::new(done));
        }
        let Reaudited {
            report,
            finding_facts,
            reviews,
            rows,
            conversation_rows,
            scoped_summary,
        } = done;
        let unchanged = job.filter == self.filter
            && job.sort == self.sort
            && job.stored_reviews == self.stored_reviews;
        self.finding_facts = finding_facts;
        let replaced = std::mem::replace(&mut self.report, Arc::new(report));
        self.selected.clear();
        self.cursor = None;
        if unchanged {
            self.reviews = reviews;
            self.rows = rows;
            self.conversation_rows = conversation_rows;
            self.scoped_summary = scoped_summary;
        } else {
            // A filter, sort or review decision changed while the job ran: worked out again here.
            self.reviews = reviews_by_key(&self.report, &self.stored_reviews);
            self.refresh_rows();
        }
        self.count_reviews();
        Ok(replaced)
    }

    /// The folder review files are saved in, if any.
    pub fn review_dir(&self) -> Option<&Path> {
        self.review_dir.as_deref()
    }

    /// Replaces the open logs, keeping the reviewer and the review folder.
    pub fn replace(&mut self, loaded: Loaded) {
        let review_dir = self.review_dir.take();
        let reviewer = std::mem::take(&mut self.reviewer);
        *self = Self::new(loaded, review_dir, reviewer);
    }

    fn select(&mut self, finding: Option<usize>, mode: SelectMode) {
        let Some(finding) = finding.filter(|&f| f < self.report.findings.len()) else {
            self.selected.clear();
            self.cursor = None;
            return;
        };
        match mode {
            SelectMode::Replace => self.selected = vec![finding],
            SelectMode::Toggle => match self.selected.binary_search(&finding) {
                Ok(at) => {
                    self.selected.remove(at);
                }
                Err(at) => self.selected.insert(at, finding),
            },
            SelectMode::Range => {
                let anchor = self
                    .cursor
                    .and_then(|c| self.rows.iter().position(|&r| r == c));
                let target = self.rows.iter().position(|&r| r == finding);
                match (anchor, target) {
                    (Some(a), Some(b)) => {
                        let (lo, hi) = (a.min(b), a.max(b));
                        self.selected = self
                            .rows
                            .get(lo..=hi)
                            .map(<[usize]>::to_vec)
                            .unwrap_or_default();
                        self.selected.sort_unstable();
                    }
                    _ => self.selected = vec![finding],
                }
            }
        }
        self.cursor = Some(finding);
    }

    fn set_review(
        &mut self,
        findings: &[usize],
        status: ReviewStatus,
        note: &str,
        now: DateTime<Utc>,
    ) {
        let reviewed_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        for &index in findings {
            let Some(finding) = self.report.findings.get(index) else {
                continue;
            };
            let key = self.finding_key(finding);
            let review =
                (status != ReviewStatus::Open || !note.trim().is_empty()).then(|| Review {
                    status,
                    note: note.trim().to_owned(),
                    reviewer: self.reviewer.clone(),
                    reviewed_at: reviewed_at.clone(),
                });
            match &review {
                Some(review) => {
                    self.review_rest.cleared.remove(&key);
                    self.stored_reviews.insert(key, review.clone());
                }
                None => {
                    self.stored_reviews.remove(&key);
                    self.review_rest.cleared.insert(key);
                }
            }
            if let Some(slot) = self.reviews.get_mut(index) {
                *slot = review.map(Box::new);
            }
        }
        self.count_reviews();
        // Only a filter or sort that looks at reviews changes the rows.
        if !self.filter.review.is_empty() || self.sort.column == query::SortColumn::Review {
            self.refresh_rows();
        }
    }

    fn review_conversation(&mut self, fact: usize, reviewed: bool, note: &str, now: DateTime<Utc>) {
        let Some(key) = self.conversation_key(fact) else {
            return;
        };
        if reviewed {
            let review = ConversationReview {
                note: note.trim().to_owned(),
                reviewer: self.reviewer.clone(),
                reviewed_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            };
            self.review_rest.cleared_conversations.remove(&key);
            self.conversation_reviews.insert(key, review);
        } else {
            self.conversation_reviews.remove(&key);
            self.review_rest.cleared_conversations.insert(key);
        }
    }

    fn refresh_rows(&mut self) {
        (self.rows, self.conversation_rows) = shown_rows(
            &self.report,
            &self.finding_facts,
            &self.reviews,
            &self.filter,
            self.sort,
        );
        // The details follow the filter: a finding the filter hides is neither selected nor shown.
        let mut shown = vec![false; self.report.findings.len()];
        for &row in &self.rows {
            if let Some(slot) = shown.get_mut(row) {
                *slot = true;
            }
        }
        let is_shown = |f: &usize| shown.get(*f).copied().unwrap_or(false);
        self.selected.retain(is_shown);
        if self.cursor.is_some_and(|c| !is_shown(&c)) {
            self.cursor = None;
        }
        self.refresh_scoped_summary();
    }

    /// Sorts the rows shown anew: the filter is unchanged, so neither the rows nor the conversations
    /// shown change, only the findings' order.
    fn resort_rows(&mut self) {
        let reviews = &self.reviews;
        let review = |i: usize| review_status(reviews, i);
        query::sort_rows(
            &self.report,
            &self.finding_facts,
            &review,
            &mut self.rows,
            self.sort,
        );
    }

    /// Recomputes the overview's figures for the filter's period and channels (only when they narrow it).
    fn refresh_scoped_summary(&mut self) {
        self.scoped_summary = scoped_summary(&self.report, &self.finding_facts, &self.filter);
    }

    fn restore_reviews(&mut self) {
        let Some(path) = self.review_file() else {
            return;
        };
        let read = match std::fs::read(&path) {
            Ok(bytes) => parse_review_file(&bytes),
            // No file yet: nothing reviewed.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return,
            Err(err) => Err(audit::plain_io_error(&err)),
        };
        let read = match read {
            Ok(read) => read,
            Err(reason) => {
                self.set_unreadable_aside(&path, &reason);
                return;
            }
        };
        self.stored_reviews = read.reviews;
        self.conversation_reviews = read.conversations;
        self.review_rest = read.rest;
        self.apply_stored_reviews();
    }

    /// Gives each finding the stored decision with its key.
    fn apply_stored_reviews(&mut self) {
        self.reviews = reviews_by_key(&self.report, &self.stored_reviews);
    }

    /// Renames a review file that cannot be used to `<name>.unreadable-<UTC time>`, so that the next
    /// decision starts a new file instead of overwriting it, and tells the user.
    fn set_unreadable_aside(&mut self, path: &Path, reason: &str) {
        let stamp = self.report.generated_at.format("%Y%m%dT%H%M%SZ");
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let aside = (0..100)
            .map(|n| match n {
                0 => path.with_file_name(format!("{name}.unreadable-{stamp}")),
                n => path.with_file_name(format!("{name}.unreadable-{stamp}-{n}")),
            })
            .find(|candidate| std::fs::symlink_metadata(candidate).is_err());
        let moved = aside
            .as_ref()
            .map(|aside| std::fs::rename(path, aside).map(|()| aside));
        match moved {
            Some(Ok(aside)) => {
                self.review_notice = Some(format!(
                    "The saved review decisions could not be read: {reason}. The file was kept as {}, and new decisions are saved in a new file\nFile path: {}",
                    aside.display(),
                    path.display()
                ));
            }
            _ => {
                self.review_rest.blocked = true;
                self.save_error = Some(format!(
                    "The saved review decisions could not be read: {reason}. The file could not be set aside either, so new decisions are not saved, to keep it intact\nFile path: {}",
                    path.display()
                ));
            }
        }
    }

    fn save_reviews(&mut self) -> Result<(), SessionError> {
        let Some(path) = self.review_file() else {
            return Ok(());
        };
        if self.review_rest.blocked {
            let message = format!(
                "the existing file could not be read, and is kept as it is\nFile path: {}",
                path.display()
            );
            return Err(SessionError::SaveReviews(message));
        }
        self.merge_saved_reviews(&path);
        let rest = &self.review_rest;
        let reviews = self
            .stored_reviews
            .iter()
            .filter_map(|(key, review)| {
                let stored = StoredReview {
                    key: key.clone(),
                    review: review.clone(),
                };
                let mut value = serde_json::to_value(stored).ok()?;
                if let (serde_json::Value::Object(fields), Some(extra)) =
                    (&mut value, rest.review_extra.get(key))
                {
                    for (name, field) in extra {
                        fields.entry(name.clone()).or_insert_with(|| field.clone());
                    }
                }
                Some(value)
            })
            .chain(rest.unreadable.iter().cloned())
            .collect();
        let conversation_reviews = self
            .conversation_reviews
            .iter()
            .filter_map(|(key, review)| {
                serde_json::to_value(StoredConversationReview {
                    key: key.clone(),
                    review: review.clone(),
                })
                .ok()
            })
            .chain(rest.unreadable_conversations.iter().cloned())
            .collect();
        let file = ReviewFile {
            format: REVIEW_FILE_FORMAT.to_owned(),
            inputs: self.input_hashes(),
            reviews,
            conversation_reviews,
            extra: rest.extra.clone(),
        };
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(ExportError::from)
            .and_then(|()| {
                // Written atomically, with the file and its folder synced, so a crash leaves the old
                // decisions or the new ones, never half a file.
                export::write_atomically(&path, |out| {
                    serde_json::to_writer_pretty(&mut *out, &file)
                        .map_err(|e| ExportError::Format(e.to_string()))?;
                    out.write_all(b"\n")?;
                    Ok(())
                })
            });
        match result {
            Ok(()) => {
                self.save_error = None;
                Ok(())
            }
            Err(err) => {
                let reason = match &err {
                    ExportError::Io(io) => export::plain_write_error(io),
                    other => other.to_string(),
                };
                let message = format!("{reason}\nFile path: {}", path.display());
                self.save_error = Some(format!(
                    "The review decisions could not be saved: {message}"
                ));
                Err(SessionError::SaveReviews(message))
            }
        }
    }

    /// Adds the decisions saved meanwhile by another window on the same logs, so that saving keeps them:
    /// a decision made here wins, and one cleared here stays cleared.
    fn merge_saved_reviews(&mut self, path: &Path) {
        let Ok(bytes) = std::fs::read(path) else {
            return;
        };
        let Ok(saved) = parse_review_file(&bytes) else {
            return;
        };
        let rest = &mut self.review_rest;
        for (key, review) in saved.reviews {
            if !rest.cleared.contains(&key) {
                self.stored_reviews.entry(key).or_insert(review);
            }
        }
        for (key, review) in saved.conversations {
            if !rest.cleared_conversations.contains(&key) {
                self.conversation_reviews.entry(key).or_insert(review);
            }
        }
        for raw in saved.rest.unreadable_conversations {
            if !rest.unreadable_conversations.contains(&raw) {
                rest.unreadable_conversations.push(raw);
            }
        }
        for (key, extra) in saved.rest.review_extra {
            rest.review_extra.entry(key).or_insert(extra);
        }
        for (name, value) in saved.rest.extra {
            rest.extra.entry(name).or_insert(value);
        }
        for raw in saved.rest.unreadable {
            if !rest.unreadable.contains(&raw) {
                rest.unreadable.push(raw);
            }
        }
    }
}

/// The review of each finding of `report`, from decisions stored by finding key. Each decision finds its
/// findings by binary search (findings are sorted by conversation and input), so this costs the number
/// of decisions, not of findings: a million findings with no decisions take no time.
fn reviews_by_key(
    report: &AuditReport,
    stored: &BTreeMap<FindingKey, Review>,
) -> Vec<Option<Box<Review>>> {
    let mut reviews = vec![None; report.findings.len()];
    let mut sources: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, input) in report.inputs.iter().enumerate() {
        sources
            .entry(input.sha256.as_str())
            .or_default()
            .push(index);
    }
    let findings = &report.findings;
    for (key, review) in stored {
        let Some(inputs) = sources.get(key.input_sha256.as_str()) else {
            continue;
        };
        for &source in inputs {
            let at = (key.conversation_id.as_str(), source);
            let start = findings.partition_point(|f| (f.conversation_id.as_str(), f.source) < at);
            let end = findings.partition_point(|f| (f.conversation_id.as_str(), f.source) <= at);
            for index in start..end {
                let matches = findings.get(index).is_some_and(|f| {
                    f.rule.code() == key.rule && f.message_index == key.message_index
                });
                if let (true, Some(slot)) = (matches, reviews.get_mut(index)) {
                    *slot = Some(Box::new(review.clone()));
                }
            }
        }
    }
    reviews
}

/// The findings the table shows (in its order) and the conversations the list shows.
fn shown_rows(
    report: &AuditReport,
    finding_facts: &[Option<usize>],
    reviews: &[Option<Box<Review>>],
    filter: &FindingFilter,
    sort: SortKey,
) -> (Vec<usize>, Vec<usize>) {
    let review = |i: usize| review_status(reviews, i);
    let rows = query::query(report, finding_facts, &review, filter, sort);
    (rows, query::conversation_query(report, filter))
}

/// The review decision of finding `i` (open when there is none).
fn review_status(reviews: &[Option<Box<Review>>], i: usize) -> ReviewStatus {
    reviews
        .get(i)
        .and_then(Option::as_ref)
        .map_or(ReviewStatus::Open, |r| r.status)
}

/// The overview's figures for the filter's period and channels, when those narrow it.
fn scoped_summary(
    report: &AuditReport,
    finding_facts: &[Option<usize>],
    filter: &FindingFilter,
) -> Option<crate::metrics::Summary> {
    if filter.from.is_none() && filter.to.is_none() && filter.channels.is_empty() {
        return None;
    }
    let facts: Vec<_> = report
        .facts
        .iter()
        .filter(|fact| query::in_overview_scope(filter, fact))
        .cloned()
        .collect();
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .zip(finding_facts)
        .filter(|(finding, fact)| {
            query::finding_in_overview_scope(
                filter,
                finding,
                fact.and_then(|f| report.facts.get(f)),
            )
        })
        .map(|(finding, _)| finding.clone())
        .collect();
    Some(crate::metrics::summarize(&facts, &findings))
}
