//! Long work on named background threads: loading logs and writing exports. Polled every frame, never
//! waited on from the UI thread (tests may wait with [`Jobs::wait`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::Utc;

use crate::export::ExportFormat;
use crate::import::profile::ImportProfile;
use crate::import::{ImportError, ImportProgress};
use crate::rules::RulePack;
use crate::session::{self, ExportJob, LoadProgress, ReauditJob, Reaudited, Session};

/// What is being loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadSource {
    /// Files and folders.
    Paths(Vec<PathBuf>),
    /// The embedded sample logs.
    Samples,
}

/// A finished job.
pub enum JobOutcome {
    /// Logs were loaded.
    Loaded {
        /// What was loaded.
        source: LoadSource,
        /// The session over them, made on the loading thread (boxed: the other outcomes are small).
        session: Box<Session>,
    },
    /// The user cancelled loading.
    LoadCancelled,
    /// The open conversations were audited again.
    Reaudited {
        /// What was audited (to check it is still what is open).
        job: Box<ReauditJob>,
        /// The new audit (boxed: it is large).
        done: Box<Reaudited>,
    },
    /// Auditing again did not finish: cancelled, or it failed (the message says how, in plain words).
    ReauditStopped {
        /// The rule pack and language of the findings still shown.
        shown: AuditChoice,
        /// `None` when the user cancelled.
        failure: Option<String>,
    },
    /// An export was written.
    Exported {
        /// Where.
        path: PathBuf,
        /// The format.
        format: ExportFormat,
        /// How many findings it holds.
        findings: usize,
        /// Whether personal data in it was replaced by placeholders.
        redacted: bool,
    },
    /// Something went wrong; the message says what, in plain words.
    Failed(String),
}

struct LoadJob {
    source: LoadSource,
    progress: Arc<LoadProgress>,
    handle: JoinHandle<Result<Session, ImportError>>,
}

/// The rule pack file and language an audit was made with (`None`: the built-in pack, detected languages).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditChoice {
    /// The rule pack file.
    pub rule_pack: Option<PathBuf>,
    /// The language every conversation is read in.
    pub language: Option<String>,
}

struct ReauditRun {
    job: ReauditJob,
    /// The choice of the findings shown while it runs, restored if it does not finish.
    shown: AuditChoice,
    progress: Arc<ImportProgress>,
    handle: JoinHandle<Result<Reaudited, ImportError>>,
}

/// Progress of auditing the open conversations again.
pub struct ReauditProgress {
    /// Conversations audited so far.
    pub done: u64,
    /// Conversations to audit.
    pub total: u64,
}

struct ExportRun {
    path: PathBuf,
    format: ExportFormat,
    findings: usize,
    redacted: bool,
    handle: JoinHandle<Result<(), String>>,
}

/// The running background jobs.
#[derive(Default)]
pub struct Jobs {
    load: Option<LoadJob>,
    reaudit: Option<ReauditRun>,
    export: Option<ExportRun>,
    failures: Vec<String>,
}

impl Jobs {
    /// Whether anything is running.
    pub fn busy(&self) -> bool {
        self.load.is_some() || self.reaudit.is_some() || self.export.is_some()
    }

    /// How far auditing the open conversations again has come, while it runs.
    pub fn reaudit_progress(&self) -> Option<ReauditProgress> {
        self.reaudit.as_ref().map(|run| ReauditProgress {
            done: run.progress.conversations.load(Ordering::Relaxed),
            total: run.job.conversations() as u64,
        })
    }

    /// Starts auditing the open conversations again with `pack`, replacing a re-audit still running.
    /// `shown` is the rule pack and language of the findings on screen, restored if this does not finish.
    pub fn start_reaudit(
        &mut self,
        job: ReauditJob,
        pack: RulePack,
        shown: AuditChoice,
        ctx: &egui::Context,
    ) {
        // The findings on screen are still those of the first choice, so that is what a cancel restores.
        let shown = match self.reaudit.take() {
            Some(run) => {
                run.progress.cancel.store(true, Ordering::Relaxed);
                run.shown
            }
            None => shown,
        };
        let progress = Arc::new(ImportProgress::default());
        let shared = Arc::clone(&progress);
        let job_copy = job.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("reaudit-logs".to_owned())
            .spawn(move || {
                let result = job_copy.run(&pack, &shared, Utc::now());
                crate::memory::release_unused();
                ctx.request_repaint();
                result
            });
        match spawned {
            Ok(handle) => {
                self.reaudit = Some(ReauditRun {
                    job,
                    shown,
                    progress,
                    handle,
                });
            }
            Err(err) => self
                .failures
                .push(format!("Auditing again could not be started: {err}")),
        }
    }

    /// Asks the running re-audit to stop; it reports [`JobOutcome::ReauditStopped`] soon after.
    pub fn cancel_reaudit(&self) {
        if let Some(run) = &self.reaudit {
            run.progress.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Stops a running re-audit and forgets it (the open logs are being replaced or closed).
    pub fn abandon_reaudit(&mut self) {
        self.cancel_reaudit();
        self.reaudit = None;
    }

    /// The running load and its progress.
    pub fn load_progress(&self) -> Option<(&LoadSource, &LoadProgress)> {
        self.load
            .as_ref()
            .map(|job| (&job.source, job.progress.as_ref()))
    }

    /// Where the running export writes to.
    pub fn export_path(&self) -> Option<&Path> {
        self.export.as_ref().map(|run| run.path.as_path())
    }

    /// Starts loading logs, cancelling a load that is still running. The session over them is made on
    /// the loading thread too (its tables sorted, saved review decisions read from `review_dir`), so
    /// that taking it in does not hold up drawing.
    pub fn start_load(
        &mut self,
        source: LoadSource,
        pack: RulePack,
        profile: Option<ImportProfile>,
        review_dir: Option<PathBuf>,
        ctx: &egui::Context,
    ) {
        self.cancel_load();
        self.abandon_reaudit();
        let progress = Arc::new(LoadProgress::default());
        let shared = Arc::clone(&progress);
        let job_source = source.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("import-logs".to_owned())
            .spawn(move || {
                let now = Utc::now();
                let result = match &job_source {
                    LoadSource::Paths(paths) => {
                        session::load_paths(paths, &pack, profile.as_ref(), &shared, now)
                    }
                    LoadSource::Samples => session::load_samples(&pack, &shared, now),
                };
                // The reviewer is set when the session is taken in: it may change meanwhile.
                let result = result.map(|loaded| Session::new(loaded, review_dir, ""));
                // Reading freed far more than the session keeps, on threads that have ended since.
                crate::memory::release_unused();
                ctx.request_repaint();
                result
            });
        match spawned {
            Ok(handle) => {
                self.load = Some(LoadJob {
                    source,
                    progress,
                    handle,
                });
            }
            Err(err) => self
                .failures
                .push(format!("The import could not be started: {err}")),
        }
    }

    /// Asks the running load to stop; it reports [`JobOutcome::LoadCancelled`] soon after.
    pub fn cancel_load(&self) {
        if let Some(job) = &self.load {
            job.progress.cancel();
        }
    }

    /// Starts writing an export.
    pub fn start_export(&mut self, job: ExportJob, path: PathBuf, ctx: &egui::Context) {
        if self.export.is_some() {
            self.failures
                .push("An export is already being written; wait until it is done".to_owned());
            return;
        }
        let (format, findings, redacted) = (job.format, job.findings.len(), job.redact);
        let target = path.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("export-findings".to_owned())
            .spawn(move || {
                let result = job.write_to(&target).map_err(|err| err.to_string());
                ctx.request_repaint();
                result
            });
        match spawned {
            Ok(handle) => {
                self.export = Some(ExportRun {
                    path,
                    format,
                    findings,
                    redacted,
                    handle,
                });
            }
            Err(err) => self
                .failures
                .push(format!("The export could not be started: {err}")),
        }
    }

    /// Collects the jobs that have finished.
    pub fn poll(&mut self) -> Vec<JobOutcome> {
        let mut outcomes: Vec<JobOutcome> =
            self.failures.drain(..).map(JobOutcome::Failed).collect();
        if self
            .load
            .as_ref()
            .is_some_and(|job| job.handle.is_finished())
            && let Some(job) = self.load.take()
        {
            outcomes.push(finish_load(job));
        }
        if self
            .reaudit
            .as_ref()
            .is_some_and(|run| run.handle.is_finished())
            && let Some(run) = self.reaudit.take()
        {
            outcomes.push(finish_reaudit(run));
        }
        if self
            .export
            .as_ref()
            .is_some_and(|run| run.handle.is_finished())
            && let Some(run) = self.export.take()
        {
            outcomes.push(finish_export(run));
        }
        outcomes
    }

    /// Waits for every running job and collects the outcomes (for tests and shutdown).
    pub fn wait(&mut self) -> Vec<JobOutcome> {
        while self.busy() {
            let done = self
                .load
                .as_ref()
                .is_none_or(|job| job.handle.is_finished())
                && self
                    .reaudit
                    .as_ref()
                    .is_none_or(|run| run.handle.is_finished())
                && self
                    .export
                    .as_ref()
                    .is_none_or(|run| run.handle.is_finished());
            if done {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        self.poll()
    }
}

fn finish_load(job: LoadJob) -> JobOutcome {
    match job.handle.join() {
        // Cancel pressed after the last byte was read, while the tables were being prepared: the user
        // asked not to open these logs, so they are not opened.
        Ok(Ok(_)) if job.progress.import.cancelled() => JobOutcome::LoadCancelled,
        Ok(Ok(session)) => JobOutcome::Loaded {
            source: job.source,
            session: Box::new(session),
        },
        Ok(Err(ImportError::Cancelled)) => JobOutcome::LoadCancelled,
        Ok(Err(err)) => JobOutcome::Failed(format!("The logs could not be opened: {err}")),
        Err(_) => JobOutcome::Failed(
            "The import stopped unexpectedly; the logs were not opened".to_owned(),
        ),
    }
}

fn finish_reaudit(run: ReauditRun) -> JobOutcome {
    let ReauditRun {
        job, shown, handle, ..
    } = run;
    match handle.join() {
        Ok(Ok(done)) => JobOutcome::Reaudited {
            job: Box::new(job),
            done: Box::new(done),
        },
        Ok(Err(ImportError::Cancelled)) => JobOutcome::ReauditStopped {
            shown,
            failure: None,
        },
        Ok(Err(err)) => {
            let reason = match &err {
                ImportError::Io(io) => io.to_string(),
                other => other.to_string(),
            };
            JobOutcome::ReauditStopped {
                shown,
                failure: Some(format!("Auditing again did not finish: {reason}")),
            }
        }
        Err(_) => JobOutcome::ReauditStopped {
            shown,
            failure: Some("Auditing again stopped unexpectedly".to_owned()),
        },
    }
}

fn finish_export(run: ExportRun) -> JobOutcome {
    match run.handle.join() {
        Ok(Ok(())) => JobOutcome::Exported {
            path: run.path,
            format: run.format,
            findings: run.findings,
            redacted: run.redacted,
        },
        Ok(Err(message)) => {
            JobOutcome::Failed(format!("{message}\nFile path: {}", run.path.display()))
        }
        Err(_) => JobOutcome::Failed(format!(
            "The export stopped unexpectedly\nFile path: {}",
            run.path.display()
        )),
    }
}
