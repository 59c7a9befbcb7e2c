//! Running an audit: inputs in, an [`AuditReport`] out.
//!
//! [`Auditor`] is the pure part: it takes conversations one at a time, keeps only their small
//! [`ConversationFacts`] and their findings (unless asked to keep the conversations for viewing), and
//! [`Auditor::finish`] sorts everything into a deterministic order. [`audit_paths`] adds the file handling
//! the CLI and the app share: folders are expanded, each file is streamed, and a file whose conversations
//! are interleaved is read a second time in collecting mode.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::import::profile::ImportProfile;
use crate::import::{self, Grouping, ImportError, ImportProgress, InputReport};
use crate::metrics::{self, Summary};
use crate::model::Conversation;
use crate::rules::{self, ConversationFacts, Finding, RulePack};
use crate::store::{ConversationStore, StoreBuilder};

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

/// Audits conversations as they arrive, on worker threads.
///
/// Conversations are handed to workers in batches, so reading the next file and applying the rules run at
/// the same time on different cores. The order in which workers finish does not matter: [`Auditor::finish`]
/// sorts everything into one deterministic order.
pub struct Auditor {
    keep_conversations: bool,
    pack: PackInfo,
    pack_rules: std::sync::Arc<RulePack>,
    workers: Vec<Worker>,
    next_worker: usize,
    pending: Vec<Conversation>,
    /// Everything added is tagged with the current generation, so that a partly read file can be undone.
    generation: u32,
    /// Results computed on the calling thread, when no worker thread could be started.
    inline: WorkerOutput,
    /// The import profile files are read with, if the user chose one.
    profile: Option<std::sync::Arc<ImportProfile>>,
}

/// A point an [`Auditor`] can be rolled back to.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    generation: u32,
}

/// Conversations handed to a worker at once.
const BATCH: usize = 256;

/// Batches moved into the report between two requests to the allocator to give back what they held.
const RELEASE_EVERY_BATCHES: usize = 256;

enum Job {
    Batch(u32, Vec<Conversation>),
    Rollback(u32),
}

struct Worker {
    jobs: std::sync::mpsc::SyncSender<Job>,
    handle: std::thread::JoinHandle<WorkerOutput>,
}

#[derive(Default)]
struct WorkerOutput {
    /// The facts and findings of each batch, in the order the batches came. Kept apart rather than in one
    /// growing list, so that no list is ever copied to a larger one (which holds both for a moment), and
    /// so that [`Auditor::finish`] can free each batch as soon as it is moved into the report.
    batches: Vec<BatchOutput>,
    /// The kept conversations, packed as they are audited (so each is freed right after).
    conversations: StoreBuilder,
    /// Where each generation starts in the lists (generations only grow), so a rollback is a
    /// truncation and no per-item tag is needed.
    segments: Vec<Segment>,
}

/// What one batch of conversations gave.
struct BatchOutput {
    facts: Vec<ConversationFacts>,
    findings: Vec<Finding>,
}

impl Auditor {
    /// An auditor applying `pack`. With `keep_conversations`, the conversations are kept for viewing.
    pub fn new(pack: &RulePack, keep_conversations: bool) -> Self {
        let count = import::worker_threads();
        let pack_info = PackInfo::of(pack);
        let shared = std::sync::Arc::new(pack.clone());
        let workers = (0..count)
            .filter_map(|i| {
                let (jobs, inbox) = std::sync::mpsc::sync_channel::<Job>(4);
                // The word lists are read-only: every worker shares the one pack.
                let pack = std::sync::Arc::clone(&shared);
                std::thread::Builder::new()
                    .name(format!("candor-audit-{i}"))
                    .spawn(move || work(&inbox, &pack, keep_conversations))
                    .ok()
                    .map(|handle| Worker { jobs, handle })
            })
            .collect();
        Self {
            keep_conversations,
            pack: pack_info,
            pack_rules: shared,
            workers,
            next_worker: 0,
            pending: Vec::with_capacity(BATCH),
            generation: 0,
            inline: WorkerOutput::default(),
            profile: None,
        }
    }

    /// Reads every following file with `profile` (field names and speaker values).
    pub fn set_profile(&mut self, profile: Option<ImportProfile>) {
        self.profile = profile.map(std::sync::Arc::new);
    }

    /// Whether the conversations are kept for viewing (otherwise only their facts and findings are).
    pub fn keeps_conversations(&self) -> bool {
        self.keep_conversations
    }

    /// Audits one conversation (perhaps later, on a worker thread).
    pub fn add(&mut self, conversation: Conversation) {
        self.pending.push(conversation);
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        let job = Job::Batch(self.generation, batch);
        let count = self.workers.len();
        let Some(worker) = self.workers.get(self.next_worker % count.max(1)) else {
            self.inline
                .apply(job, &self.pack_rules, self.keep_conversations);
            return;
        };
        self.next_worker = self.next_worker.wrapping_add(1);
        // A worker only stops when its queue is closed, so sending cannot fail while `self` lives.
        let _ = worker.jobs.send(job);
    }

    /// Remembers the current point, to undo a partly read file.
    pub fn mark(&mut self) -> Mark {
        self.flush();
        self.generation += 1;
        Mark {
            generation: self.generation,
        }
    }

    /// Forgets everything added since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        self.pending.clear();
        self.inline.apply(
            Job::Rollback(mark.generation),
            &self.pack_rules,
            self.keep_conversations,
        );
        for worker in &self.workers {
            let _ = worker.jobs.send(Job::Rollback(mark.generation));
        }
        self.generation += 1;
    }

    /// Sorts everything into its deterministic order and computes the summary.
    ///
    /// The kept conversations are returned in the same order as `report.facts`.
    pub fn finish(
        mut self,
        inputs: Vec<InputReport>,
        now: DateTime<Utc>,
    ) -> (AuditReport, ConversationStore) {
        self.flush();
        let mut parts = vec![std::mem::take(&mut self.inline)];
        for Worker { jobs, handle } in self.workers {
            drop(jobs);
            if let Ok(part) = handle.join() {
                parts.push(part);
            }
        }
        // Sized exactly, then filled batch by batch, each batch freed as soon as it is moved, so that
        // little is ever held twice: the two lists are new memory, touched only as they are filled. The
        // order (parts, then their batches) is the order the places below count in.
        let batches = || parts.iter().flat_map(|part| &part.batches);
        let mut facts = Vec::with_capacity(batches().map(|b| b.facts.len()).sum());
        let mut findings = Vec::with_capacity(batches().map(|b| b.findings.len()).sum());
        // The batches are freed on this thread but were allocated on the workers, which have ended: the
        // allocator gives their pages back only when asked, so it is asked every few thousand batches,
        // before the lists being filled outgrow what was freed.
        let mut moved = 0usize;
        let mut release_now_and_then = || {
            moved += 1;
            if moved % RELEASE_EVERY_BATCHES == 0 {
                crate::memory::release_unused();
            }
        };
        for part in &mut parts {
            for mut batch in std::mem::take(&mut part.batches) {
                facts.append(&mut batch.facts);
                findings.append(&mut batch.findings);
                drop(batch);
                release_now_and_then();
            }
        }
        crate::memory::release_unused();
        let stores: Vec<_> = parts
            .into_iter()
            .map(|part| part.conversations.finish())
            .collect();
        // Each part packed its conversations in the order of its facts, so sorting the facts with
        // their places gives the order the conversations are to be read in.
        let mut conversations = ConversationStore::concat(stores);
        // The facts are sorted through their places (8 bytes each) and then moved into that order where
        // they are, so that a million of them are never held twice.
        let order = sorted_order(&facts);
        permute_in_place(&mut facts, &order);
        if !conversations.is_empty() {
            conversations.permute(&order);
        }
        let report = assemble(self.pack, inputs, facts, findings, now);
        (report, conversations)
    }
}

/// The places of `facts` in their report order: by id and input, the place breaking ties so that the
/// order never depends on which worker finished first.
fn sorted_order(facts: &[ConversationFacts]) -> Vec<usize> {
    // Bytes order as the texts do.
    let key = |place: usize| facts.get(place).map(|f| (f.id.as_bytes(), f.source));
    let mut order: Vec<usize> = (0..facts.len()).collect();
    order.sort_unstable_by(|&a, &b| (key(a), a).cmp(&(key(b), b)));
    order
}

/// Puts `items` into `order` (`items[k]` becomes the item that was at `order[k]`) with swaps, following
/// each cycle of the permutation once; `order` must be a permutation of the places of `items`.
fn permute_in_place<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut place = start;
        loop {
            if let Some(flag) = done.get_mut(place) {
                *flag = true;
            }
            let Some(&from) = order.get(place) else {
                break;
            };
            if from == start || from >= items.len() {
                break;
            }
            items.swap(place, from);
            place = from;
        }
    }
}

/// The last step of every audit: findings into their deterministic order, then the summary.
fn assemble(
    pack: PackInfo,
    inputs: Vec<InputReport>,
    facts: Vec<ConversationFacts>,
    mut findings: Vec<Finding>,
    now: DateTime<Utc>,
) -> AuditReport {
    sort_findings(&mut findings);
    let summary = metrics::summarize(&facts, &findings);
    AuditReport {
        tool: ToolInfo::default(),
        generated_at: now,
        rules: pack,
        inputs,
        summary,
        findings,
        facts,
    }
}

/// Audits conversations already in memory again, with another rule pack or language, on every core.
///
/// This is the app's answer to a rule-pack change: the files are not read again, so `inputs` (their
/// hashes and reading problems) are kept as they were. The rules, the order of the findings and the
/// summary are those of [`Auditor`]; `report.facts` follows the order of `conversations`, which is
/// already the audit's order when they come from [`Auditor::finish`]. Each worker claims a block of the
/// store at a time and decompresses it once. Progress is counted in `progress.conversations`;
/// `progress.cancel` stops it with [`ImportError::Cancelled`].
pub fn reaudit(
    conversations: &ConversationStore,
    pack: &RulePack,
    inputs: Vec<InputReport>,
    progress: &ImportProgress,
    now: DateTime<Utc>,
) -> Result<AuditReport, ImportError> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Each worker claims blocks until none are left, so a slow block does not hold up the others.
    let claim_blocks = || {
        let mut done = Vec::new();
        loop {
            if progress.cancelled() {
                return Err(ImportError::Cancelled);
            }
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= conversations.blocks() {
                return Ok(done);
            }
            let chunk = conversations.block(block);
            let mut facts = Vec::with_capacity(chunk.len());
            let mut findings = Vec::new();
            for (index, conversation) in &chunk {
                let (fact, mut found) = rules::analyse(conversation, pack);
                facts.push((*index, fact));
                findings.append(&mut found);
            }
            progress
                .conversations
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            done.push((facts, findings));
        }
    };
    let chunks = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..import::worker_threads())
            .filter_map(|i| {
                std::thread::Builder::new()
                    .name(format!("candor-reaudit-{i}"))
                    .spawn_scoped(scope, claim_blocks)
                    .ok()
            })
            .collect();
        // The calling thread works too, so the audit finishes even when no helper could be started.
        let own = claim_blocks();
        // Every helper is joined before anything is returned: a scope re-raises a panic it had to join.
        let joined: Vec<_> = helpers.into_iter().map(|helper| helper.join()).collect();
        let mut chunks = own?;
        for part in joined {
            let stopped = || std::io::Error::other("a worker of the audit stopped unexpectedly");
            chunks.append(&mut part.map_err(|_| stopped())??);
        }
        Ok::<_, ImportError>(chunks)
    })?;
    let mut placed = Vec::with_capacity(conversations.len());
    let mut findings = Vec::new();
    for (mut part_facts, mut part_findings) in chunks {
        placed.append(&mut part_facts);
        findings.append(&mut part_findings);
    }
    // Blocks hold conversations in the order they were read; each conversation's facts go back to its
    // place in the store's order directly, in linear time, rather than by sorting a million of them.
    let mut slots: Vec<Option<ConversationFacts>> = Vec::new();
    slots.resize_with(conversations.len(), || None);
    for (index, facts) in placed {
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(facts);
        }
    }
    let facts = slots.into_iter().flatten().collect();
    Ok(assemble(PackInfo::of(pack), inputs, facts, findings, now))
}

/// Where one generation's results start.
#[derive(Clone, Copy)]
struct Segment {
    generation: u32,
    batches: usize,
    conversations: usize,
}

/// A worker: applies the rules to each batch it is sent, until its queue closes.
fn work(
    inbox: &std::sync::mpsc::Receiver<Job>,
    pack: &RulePack,
    keep_conversations: bool,
) -> WorkerOutput {
    let mut output = WorkerOutput::default();
    while let Ok(job) = inbox.recv() {
        output.apply(job, pack, keep_conversations);
    }
    output
}

impl WorkerOutput {
    fn apply(&mut self, job: Job, pack: &RulePack, keep_conversations: bool) {
        let output = self;
        match job {
            Job::Batch(generation, batch) => {
                if output
                    .segments
                    .last()
                    .is_none_or(|s| s.generation != generation)
                {
                    output.segments.push(Segment {
                        generation,
                        batches: output.batches.len(),
                        conversations: output.conversations.len(),
                    });
                }
                let mut done = BatchOutput {
                    facts: Vec::with_capacity(batch.len()),
                    findings: Vec::new(),
                };
                for conversation in batch {
                    let (facts, mut findings) = rules::analyse(&conversation, pack);
                    done.facts.push(facts);
                    done.findings.append(&mut findings);
                    if keep_conversations {
                        // Kept for as long as the logs are open, packed and compressed here, on the
                        // worker; the conversation itself is freed right away.
                        output.conversations.push(&conversation);
                    }
                }
                // Kept until the report is written: without the slack of a growing list.
                done.findings.shrink_to_fit();
                output.batches.push(done);
            }
            Job::Rollback(generation) => {
                let first = output
                    .segments
                    .iter()
                    .position(|s| s.generation >= generation);
                if let Some(start) = first.and_then(|i| output.segments.get(i)).copied() {
                    output.batches.truncate(start.batches);
                    output.conversations.truncate(start.conversations);
                }
                if let Some(i) = first {
                    output.segments.truncate(i);
                }
            }
        }
    }
}

/// Sorts findings by conversation, input, message, rule, evidence and explanation: the order every export uses.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_unstable_by(|a, b| {
        (
            a.conversation_id.as_str(),
            a.source,
            a.message_index,
            a.rule,
            &*a.evidence,
            &*a.explanation,
        )
            .cmp(&(
                b.conversation_id.as_str(),
                b.source,
                b.message_index,
                b.rule,
                &*b.evidence,
                &*b.explanation,
            ))
    });
}

/// File endings read when a folder is given.
pub const LOG_EXTENSIONS: [&str; 7] = ["jsonl", "ndjson", "json", "csv", "tsv", "txt", "log"];

/// Expands folders into the log files inside them (recursively, sorted); files are kept as given.
///
/// Each real file is read once, however it is reached (twice on the command line, through a folder and by
/// name, through a link): the later mentions become a notice. Links that lead back to a folder being
/// listed are not followed. Inside folders only regular files are read: a pipe, socket or device there
/// could block or never end, and Candor's own reports are recognised by their content and left alone.
/// Folders that cannot be listed become an input report with the reason; notices become an input report
/// with a warning and no error.
pub fn expand_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputReport>) {
    let mut walk = Walk::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.folder(path, &meta),
            Ok(meta) => {
                // A file named on the command line is read even when it is not a regular file: that is
                // how a pipe (`/dev/stdin`, `<(cat log)`) is given.
                if walk.first_visit(path, &meta) {
                    walk.files.push(path.clone());
                }
            }
            // Opening it will say why it cannot be read.
            Err(_) => walk.files.push(path.clone()),
        }
    }
    (walk.files, walk.problems)
}

/// The identity of a file or folder on disk, the same however it is reached.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FileKey {
    /// Device and inode number.
    #[cfg(unix)]
    Inode(u64, u64),
    /// The canonical path, where inodes are not available.
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

#[cfg(unix)]
fn file_key(_path: &Path, meta: &std::fs::Metadata) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt as _;
    Some(FileKey::Inode(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_key(path: &Path, _meta: &std::fs::Metadata) -> Option<FileKey> {
    std::fs::canonicalize(path).ok().map(FileKey::Path)
}

/// The state of a folder expansion: what was found, and what was already seen.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<InputReport>,
    /// Every file and folder visited, with the path it was first reached by.
    seen: std::collections::BTreeMap<FileKey, PathBuf>,
    /// The folders being listed, outermost first: a link to one of them is a loop.
    open_folders: Vec<FileKey>,
}

impl Walk {
    /// Records a visit; says (once) and returns false when the same file or folder was visited before.
    fn first_visit(&mut self, path: &Path, meta: &std::fs::Metadata) -> bool {
        let Some(key) = file_key(path, meta) else {
            return true;
        };
        if self.open_folders.contains(&key) {
            self.notice(
                path,
                "This link leads back to a folder that contains it; it was not followed, so that no \
                 file is read twice",
            );
            return false;
        }
        if let Some(first) = self.seen.get(&key) {
            let what = if meta.is_dir() { "folder" } else { "file" };
            let message = format!(
                "This {what} was already read as {}; it is read only once",
                first.display()
            );
            self.notice(path, message);
            return false;
        }
        self.seen.insert(key, path.to_path_buf());
        true
    }

    /// An input report that only tells something, without an error.
    fn notice(&mut self, path: &Path, message: impl Into<String>) {
        let mut report = InputReport {
            path: path.display().to_string(),
            ..InputReport::default()
        };
        report.warn(None, message);
        self.problems.push(report);
    }

    fn folder(&mut self, folder: &Path, meta: &std::fs::Metadata) {
        if !self.first_visit(folder, meta) {
            return;
        }
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(err) => {
                self.problems.push(InputReport {
                    path: folder.display().to_string(),
                    error: Some(format!(
                        "The folder could not be opened: {}",
                        plain_io_error(&err)
                    )),
                    ..InputReport::default()
                });
                return;
            }
        };
        let key = file_key(folder, meta);
        if let Some(key) = key.clone() {
            self.open_folders.push(key);
        }
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            self.child(&child);
        }
        if key.is_some() {
            self.open_folders.pop();
        }
    }

    fn child(&mut self, child: &Path) {
        let name = child.file_name().and_then(|n| n.to_str());
        if name.is_some_and(|n| n.starts_with('.')) {
            return;
        }
        let Ok(meta) = std::fs::metadata(child) else {
            // A broken link or a file that vanished: opening it will say why it cannot be read.
            if has_log_extension(child) {
                self.files.push(child.to_path_buf());
            }
            return;
        };
        if meta.is_dir() {
            self.folder(child, &meta);
            return;
        }
        if !has_log_extension(child) {
            return;
        }
        if !meta.is_file() {
            self.notice(
                child,
                "This is not a regular file (it is a pipe, socket or device), so it was not read: \
                 inside a folder only regular files are read. Name it on its own to read it",
            );
            return;
        }
        if !self.first_visit(child, &meta) {
            return;
        }
        if is_candor_report(child) {
            self.notice(
                child,
                "This is a Candor report, not a log; it was not read as one",
            );
            return;
        }
        self.files.push(child.to_path_buf());
    }
}

fn has_log_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LOG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Whether the file starts like one of Candor's own exports (JSON, CSV or HTML report), so that a report
/// saved into the audited folder is not read as a log on the next run.
pub fn is_candor_report(path: &Path) -> bool {
    let mut head = Vec::with_capacity(1024);
    let read = File::open(path).and_then(|file| file.take(1024).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}');
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.starts_with("{\"schema\":\"candor.audit/")
        || text.starts_with("conversation_id,rule,severity,message_number,")
        || text.starts_with("conversation_id,rule,severity,message_index,")
        || text.contains("<title>Candor audit report</title>")
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
    pub conversations: ConversationStore,
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
    audit_paths_with(paths, pack, None, keep_conversations, progress, now)
}

/// [`audit_paths`] reading every file with an import profile.
pub fn audit_paths_with(
    paths: &[PathBuf],
    pack: &RulePack,
    profile: Option<&ImportProfile>,
    keep_conversations: bool,
    progress: &ImportProgress,
    now: DateTime<Utc>,
) -> Result<AuditOutcome, ImportError> {
    audit_paths_observed(
        paths,
        pack,
        profile,
        keep_conversations,
        progress,
        now,
        &mut |_| {},
    )
}

/// What [`audit_paths_observed`] tells its observer as it goes.
#[derive(Clone, Copy, Debug)]
pub enum FileEvent<'p> {
    /// The files to read are known (after folders were expanded).
    Total(usize),
    /// A file is about to be read: its path and size in bytes.
    Start(&'p Path, u64),
    /// That file is done.
    Done,
}

/// [`audit_paths_with`] telling `observe` which file it is reading: the one pipeline of the command
/// line and the app (which shows the progress).
pub fn audit_paths_observed(
    paths: &[PathBuf],
    pack: &RulePack,
    profile: Option<&ImportProfile>,
    keep_conversations: bool,
    progress: &ImportProgress,
    now: DateTime<Utc>,
    observe: &mut dyn FnMut(FileEvent<'_>),
) -> Result<AuditOutcome, ImportError> {
    let (files, mut inputs) = expand_paths(paths);
    let mut auditor = Auditor::new(pack, keep_conversations);
    auditor.set_profile(profile.cloned());
    observe(FileEvent::Total(files.len()));
    for path in &files {
        observe(FileEvent::Start(
            path,
            std::fs::metadata(path).map_or(0, |m| m.len()),
        ));
        let source = inputs.len();
        let report = audit_file(path, source, &mut auditor, progress)?;
        inputs.push(report);
        observe(FileEvent::Done);
    }
    let (report, conversations) = auditor.finish(inputs, now);
    Ok(AuditOutcome {
        report,
        conversations,
    })
}

/// Imports one file into the auditor, streaming when the file allows it.
///
/// A regular file is opened again when its conversations turn out interleaved. Anything else (a pipe such
/// as `/dev/stdin` or `<(cat log)`, a device) can be read only once: its bytes are kept in an anonymous
/// temporary file as they are read, and the second reading starts from there, so it sees the whole stream
/// and the SHA-256 covers the whole stream.
pub fn audit_file(
    path: &Path,
    source: usize,
    auditor: &mut Auditor,
    progress: &ImportProgress,
) -> Result<InputReport, ImportError> {
    let name = path.display().to_string();
    let regular = std::fs::metadata(path).map_or(true, |meta| meta.is_file());
    if regular {
        let mut open = || File::open(path).map(|file| Box::new(file) as Box<dyn Read>);
        return audit_opened(&name, source, &mut open, true, auditor, progress);
    }
    let opened = File::open(path).and_then(|stream| Ok((stream, tempfile::tempfile()?)));
    let (stream, spool) = match opened {
        Ok(opened) => opened,
        Err(err) => {
            return Ok(InputReport {
                path: name,
                error: Some(format!(
                    "The file could not be opened: {}",
                    plain_io_error(&err)
                )),
                ..InputReport::default()
            });
        }
    };
    let mut passes = 0;
    let mut open = || -> std::io::Result<Box<dyn Read>> {
        passes += 1;
        let rest = stream.try_clone()?;
        let mut kept = spool.try_clone()?;
        if passes == 1 {
            Ok(Box::new(Spooling {
                inner: rest,
                spool: kept,
            }))
        } else {
            std::io::Seek::rewind(&mut kept)?;
            Ok(Box::new(kept.chain(rest)))
        }
    };
    audit_opened(&name, source, &mut open, false, auditor, progress)
}

/// Passes a stream through while keeping a copy of every byte in a spool file.
struct Spooling {
    inner: File,
    spool: File,
}

impl Read for Spooling {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        std::io::Write::write_all(&mut self.spool, buf.get(..n).unwrap_or_default())?;
        Ok(n)
    }
}

/// Imports one log into the auditor. `open` gives a fresh reader over the log each time it is called: the
/// log is streamed first, and read a second time with grouping if its conversations turn out interleaved.
///
/// Opening and reading failures become an input report that says why; only cancellation is an `Err`.
pub fn audit_source<'r>(
    name: &str,
    source: usize,
    open: &mut dyn FnMut() -> std::io::Result<Box<dyn Read + 'r>>,
    auditor: &mut Auditor,
    progress: &ImportProgress,
) -> Result<InputReport, ImportError> {
    audit_opened(name, source, open, true, auditor, progress)
}

/// [`audit_source`], saying whether the log is a regular file (see [`import::ReadOptions::regular_file`]).
fn audit_opened<'r>(
    name: &str,
    source: usize,
    open: &mut dyn FnMut() -> std::io::Result<Box<dyn Read + 'r>>,
    regular_file: bool,
    auditor: &mut Auditor,
    progress: &ImportProgress,
) -> Result<InputReport, ImportError> {
    let unreadable = |error: String| InputReport {
        path: name.to_owned(),
        error: Some(error),
        ..InputReport::default()
    };
    let mark = auditor.mark();
    let counted_before = progress.conversations.load(Ordering::Relaxed);
    // When the conversations are not kept, an interleaved file is regrouped through temporary files, so
    // memory stays bounded whatever the file's size; when they are kept, memory holds them anyway.
    let regroup = if auditor.keeps_conversations() {
        Grouping::Collect
    } else {
        Grouping::Spill
    };
    for grouping in [Grouping::Stream, regroup] {
        let reader = match open() {
            Ok(reader) => reader,
            Err(err) => {
                return Ok(unreadable(format!(
                    "The file could not be opened: {}",
                    plain_io_error(&err)
                )));
            }
        };
        let options = import::ReadOptions {
            grouping,
            profile: auditor.profile.clone(),
            regular_file,
        };
        let mut sink = |conversation: Conversation| auditor.add(conversation);
        match import::import_input(name, source, reader, progress, options, &mut sink) {
            Ok(report) => return Ok(report),
            Err(ImportError::Interleaved) => {
                auditor.rollback(mark);
                progress
                    .conversations
                    .store(counted_before, Ordering::Relaxed);
            }
            Err(ImportError::Io(err)) => {
                auditor.rollback(mark);
                return Ok(unreadable(format!(
                    "The file could not be read: {}",
                    plain_io_error(&err)
                )));
            }
            Err(ImportError::Cancelled) => return Err(ImportError::Cancelled),
        }
    }
    // Collecting never reports interleaving, so this is not reached; say so plainly if it ever is.
    Ok(unreadable(
        "The file could not be assembled into conversations".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::permute_in_place;

    #[test]
    fn permuting_in_place_follows_every_cycle() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Two cycles (0 2 4) and (1 5), and 3 in its place.
        let order = [2, 5, 4, 3, 0, 1];
        let expected: Vec<char> = order.iter().map(|&i| items[i]).collect();
        permute_in_place(&mut items, &order);
        assert_eq!(items, expected);
    }
}
