//! Everything the views can ask for, and the one place that carries it out.
//!
//! Session [`Command`]s are applied to the core; those that take long (opening logs, exporting) are run
//! on background threads through `jobs.rs` instead of synchronously.

use std::path::PathBuf;

use chrono::Utc;

use crate::export::ExportFormat;
use crate::import::profile::ImportProfile;
use crate::rules::RulePack;
use crate::session::{Command, ExportJob, ExportSelection, ReauditJob, Reaudited};

use super::app::{AuditApp, View};
use super::chrome::Notification;
use super::dialogs::{DialogPurpose, DialogResult};
use super::export_dialog::ExportDialogState;
use super::files_window::{FilesMode, FilesWindowState};
use super::jobs::{AuditChoice, JobOutcome, LoadSource};
use super::settings::TimeZoneChoice;
use super::theme::Theme;

/// What a view asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A change to the session.
    Session(Command),
    /// Switch the main view.
    ShowView(View),
    /// Select a conversation in the conversations list (by index into `report.facts`) without leaving it.
    SelectConversation(usize),
    /// A click on the overview: show `filter` (which replaces the earlier one) in `view`.
    DrillDown {
        /// The new filter.
        filter: crate::query::FindingFilter,
        /// Findings or conversations, by what the clicked figure counts.
        view: View,
    },
    /// Show the native dialog to pick log files.
    PickFiles,
    /// Show the native dialog to pick files to add to the open ones.
    PickFilesToAdd,
    /// Show the native dialog to pick a folder.
    PickFolder,
    /// Show File ▸ Open… or Add… (`None` closes it).
    ShowFilesWindow(Option<FilesMode>),
    /// Audit these paths together with the open ones.
    AddPaths(Vec<PathBuf>),
    /// Close the open logs.
    CloseLogs,
    /// Open an exported report with the system's opener.
    OpenReport(PathBuf),
    /// Show or hide Help ▸ Keyboard shortcuts.
    ShowShortcuts(bool),
    /// Open the export dialog.
    OpenExportDialog,
    /// Close the export dialog.
    CloseExportDialog,
    /// Show the native save dialog for an export.
    PickExportPath {
        /// The format.
        format: ExportFormat,
        /// Which findings.
        selection: ExportSelection,
    },
    /// Stop the running import.
    CancelLoad,
    /// Stop auditing the open logs again (the findings shown stay).
    CancelReaudit,
    /// Change the colour scheme.
    SetTheme(Theme),
    /// Change how times are shown.
    SetTimeZone(TimeZoneChoice),
    /// Show personal data in log text as placeholders, or as it is.
    HidePersonalData(bool),
    /// Show or hide the About window.
    ShowAbout(bool),
    /// Show or hide the rules reference (Help menu).
    ShowRulesReference(bool),
    /// Remember the organisation and auditor for the HTML report's sign-off block.
    SetSignOff(crate::export::SignOff),
    /// Show or hide the Problems panel.
    ShowProblems(bool),
    /// Remove a notification.
    DismissNotification(usize),
    /// Forget the recent files.
    ClearRecent,
    /// Read every conversation as this language, or detect it (`None`); audits the open logs again.
    SetLanguage(Option<String>),
    /// Show the native dialog to pick a rule pack file.
    PickRulePack,
    /// Audit with this rule pack file, or the built-in pack (`None`); audits the open logs again.
    SetRulePack(Option<PathBuf>),
    /// Ask for an import profile file.
    PickImportProfile,
    /// Open the mapping window for a file Candor did not recognise.
    OpenMapping(PathBuf),
    /// Close the mapping window.
    CloseMapping,
    /// Read logs with this import profile, or recognise their format when `None`; re-reads the open logs.
    SetImportProfile(Option<PathBuf>),
    /// Close the window.
    Quit,
}

impl AuditApp {
    /// Carries out an action.
    pub fn handle(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Session(command) => self.apply_command(command, ctx),
            Action::ShowView(view) => self.show_view(view),
            Action::SelectConversation(fact) => {
                self.apply_to_session(Command::OpenConversation(fact));
            }
            Action::DrillDown { filter, view } => {
                let replaced = self.session.filter().replaced_by(&filter);
                self.filter_bar.replaced_note = replaced.then(|| {
                    "Your earlier filters were replaced by this selection from the overview"
                        .to_owned()
                });
                self.filter_bar.search_draft = None;
                self.apply_to_session(Command::SetFilter(filter));
                self.findings.scroll_to_top = true;
                self.show_view(view);
            }
            Action::PickFiles => self.dialogs.show(DialogPurpose::OpenFiles, ctx),
            Action::PickFilesToAdd => self.dialogs.show(DialogPurpose::AddFiles, ctx),
            Action::PickFolder => self.dialogs.show(DialogPurpose::OpenFolder, ctx),
            Action::ShowFilesWindow(mode) => {
                self.files_window = mode.map(FilesWindowState::new);
            }
            Action::AddPaths(paths) => self.add_paths(paths, ctx),
            Action::CloseLogs => self.close_logs(),
            Action::OpenReport(path) => {
                if let Err(message) = open_with_system(&path) {
                    self.notify(Notification::error(message));
                }
            }
            Action::ShowShortcuts(show) => self.show_shortcuts = show,
            Action::OpenExportDialog => {
                if self.session.is_loaded() && self.export_dialog.is_none() {
                    self.export_dialog = Some(ExportDialogState {
                        organisation: self.settings.organisation.clone(),
                        auditor: self.settings.auditor.clone(),
                        ..ExportDialogState::default()
                    });
                }
            }
            Action::CloseExportDialog => self.export_dialog = None,
            Action::PickExportPath { format, selection } => {
                self.dialogs
                    .show(DialogPurpose::Export { format, selection }, ctx);
            }
            Action::CancelLoad => self.jobs.cancel_load(),
            Action::CancelReaudit => self.jobs.cancel_reaudit(),
            Action::SetTheme(theme) => self.settings.theme = theme,
            Action::SetTimeZone(time_zone) => self.settings.time_zone = time_zone,
            Action::HidePersonalData(hide) => self.settings.hide_personal_data = hide,
            Action::ShowAbout(show) => self.show_about = show,
            Action::ShowRulesReference(show) => self.show_rules_reference = show,
            Action::SetSignOff(sign_off) => {
                self.settings.organisation = sign_off.organisation;
                self.settings.auditor = sign_off.auditor;
            }
            Action::ShowProblems(show) => self.show_problems = show,
            Action::DismissNotification(index) => {
                if index < self.notifications.len() {
                    self.notifications.remove(index);
                }
            }
            Action::ClearRecent => self.settings.recent.clear(),
            Action::SetLanguage(language) => {
                let shown = self.audit_choice();
                self.settings.language = language;
                self.reaudit(shown, ctx);
            }
            Action::PickRulePack => self.dialogs.show(DialogPurpose::RulePack, ctx),
            Action::SetRulePack(path) => {
                let shown = self.audit_choice();
                self.settings.rule_pack = path;
                self.reaudit(shown, ctx);
            }
            Action::PickImportProfile => self.dialogs.show(DialogPurpose::ImportProfile, ctx),
            Action::OpenMapping(path) => {
                self.mapping = Some(super::mapping::MappingState::open(path));
            }
            Action::CloseMapping => self.mapping = None,
            Action::SetImportProfile(path) => {
                self.settings.import_profile = path;
                self.reread(ctx);
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Shows a notification, replacing an identical one so the same message never stacks.
    pub(crate) fn notify(&mut self, notification: Notification) {
        self.notifications.retain(|n| *n != notification);
        self.notifications.push(notification);
    }

    /// Audits `paths` together with the open files; with the sample logs (or nothing) open, opens them.
    fn add_paths(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        if paths.is_empty() {
            return;
        }
        let mut all = match (&self.last_source, self.session.is_loaded()) {
            (Some(LoadSource::Paths(open)), true) => open.clone(),
            (Some(LoadSource::Samples), true) => {
                self.notify(Notification::info(
                    "The sample logs cannot be combined with files, so the files were opened on their own",
                    None,
                ));
                Vec::new()
            }
            _ => Vec::new(),
        };
        for path in paths {
            if !all.contains(&path) {
                all.push(path);
            }
        }
        self.start_load(LoadSource::Paths(all), ctx);
    }

    /// Closes the open logs and returns to the start screen. Review decisions are already saved.
    fn close_logs(&mut self) {
        self.jobs.abandon_reaudit();
        let empty = crate::session::Session::new(
            crate::session::Loaded::default(),
            self.session.review_dir().map(std::path::Path::to_path_buf),
            self.session.reviewer(),
        );
        free_in_background(std::mem::replace(&mut self.session, empty));
        self.last_source = None;
        self.findings = Default::default();
        self.conversation = Default::default();
        self.conversations = Default::default();
        self.filter_bar = Default::default();
        self.export_dialog = None;
        self.show_problems = false;
        self.view = View::Overview;
    }

    /// Switches the main view, remembering which list the conversation view goes back to.
    pub(crate) fn show_view(&mut self, view: View) {
        if matches!(view, View::Findings | View::Conversations) {
            self.last_list = view;
        }
        self.view = view;
    }

    fn apply_command(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::OpenPaths(paths) => {
                if !paths.is_empty() {
                    self.start_load(LoadSource::Paths(paths), ctx);
                }
            }
            Command::LoadSamples => self.start_load(LoadSource::Samples, ctx),
            Command::Export {
                format,
                selection,
                path,
            } => {
                let job = ExportJob {
                    redact: self.settings.hide_personal_data,
                    sign_off: crate::export::SignOff {
                        organisation: self.settings.organisation.clone(),
                        auditor: self.settings.auditor.clone(),
                    },
                    ..self.session.export_job(format, selection)
                };
                self.jobs.start_export(job, path, ctx);
                self.export_dialog = None;
            }
            Command::SetReviewer(name) => {
                self.settings.reviewer.clone_from(&name);
                self.apply_to_session(Command::SetReviewer(name));
            }
            Command::OpenFinding(finding) => {
                self.apply_to_session(Command::OpenFinding(finding));
                self.conversation.scroll_to_finding = Some(finding);
                self.view = View::Conversation;
            }
            Command::OpenConversation(fact) => {
                self.apply_to_session(Command::OpenConversation(fact));
                self.view = View::Conversation;
            }
            Command::SetFilter(filter) => {
                self.apply_to_session(Command::SetFilter(filter));
                self.findings.scroll_to_top = true;
            }
            Command::Drill(drill) => {
                self.apply_to_session(Command::Drill(drill));
                self.findings.scroll_to_top = true;
            }
            other => self.apply_to_session(other),
        }
    }

    fn apply_to_session(&mut self, command: Command) {
        if let Err(err) = self.session.apply(command, Utc::now()) {
            self.notify(Notification::error(err.to_string()));
        }
    }

    /// Takes in the result of a finished background job.
    pub(crate) fn finish_job(&mut self, outcome: JobOutcome, _ctx: &egui::Context) {
        match outcome {
            JobOutcome::Loaded { source, session } => {
                // Problems with the user's own files open the panel; the sample logs' deliberate bad lines
                // are only counted in the status bar.
                let problems = match &source {
                    LoadSource::Samples => 0,
                    LoadSource::Paths(_) => session
                        .report()
                        .inputs
                        .iter()
                        .filter(|input| input.error.is_some() || input.warning_count() > 0)
                        .count(),
                };
                if let LoadSource::Paths(paths) = &source {
                    self.settings.remember(paths);
                }
                let reviewer = self.session.reviewer().to_owned();
                free_in_background(std::mem::replace(&mut self.session, *session));
                self.session
                    .apply(Command::SetReviewer(reviewer), Utc::now())
                    .ok();
                self.findings = Default::default();
                self.conversation = Default::default();
                self.conversations = Default::default();
                self.filter_bar = Default::default();
                self.show_problems = problems > 0;
                self.view = self.start_view.take().unwrap_or(View::Overview);
                if self.view != View::Overview {
                    self.open_first_finding_for_start_view();
                }
                if let Some(err) = self
                    .session
                    .save_error()
                    .or_else(|| self.session.review_notice())
                {
                    self.notify(Notification::error(err.to_owned()));
                }
            }
            JobOutcome::LoadCancelled => {
                self.notify(Notification::info("Opening the logs was cancelled", None));
            }
            JobOutcome::Reaudited { job, done } => self.finish_reaudit(&job, *done),
            JobOutcome::ReauditStopped { shown, failure } => {
                // The menu shows what the findings on screen were made with.
                self.settings.rule_pack = shown.rule_pack;
                self.settings.language = shown.language;
                let rules = &self.session.report().rules;
                let kept = format!(
                    "the findings shown are still those of rule pack {} {}",
                    rules.pack, rules.version
                );
                match failure {
                    None => self.notify(Notification::info(
                        format!("Auditing again was cancelled: {kept}"),
                        None,
                    )),
                    Some(message) => self.notify(Notification::error(format!("{message}; {kept}"))),
                }
            }
            JobOutcome::Exported {
                path,
                format,
                findings,
                redacted,
            } => {
                let hidden = if redacted {
                    ", personal data hidden"
                } else {
                    ""
                };
                self.notify(Notification::exported(
                    format!(
                        "Exported {} as {}{hidden}",
                        crate::export::count_of(findings, "finding", "findings"),
                        format.label()
                    ),
                    path,
                ));
            }
            JobOutcome::Failed(message) => self.notify(Notification::error(message)),
        }
    }

    /// For screenshots started on the findings or conversation view: select a finding with evidence.
    fn open_first_finding_for_start_view(&mut self) {
        let report = self.session.report();
        // The most serious finding with highlighted evidence shows the most of the app.
        let finding = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.evidence_span.is_some())
            .max_by_key(|(i, f)| (f.severity, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
            .or_else(|| (!report.findings.is_empty()).then_some(0));
        if let Some(finding) = finding {
            self.apply_to_session(Command::OpenFinding(finding));
            self.conversation.scroll_to_finding = Some(finding);
            self.findings.scroll_to_row = self.session.rows().iter().position(|&r| r == finding);
        }
    }

    /// The rule pack the settings ask for, with their language; a plain message when the file cannot be
    /// used.
    pub(crate) fn audit_pack(&self) -> Result<RulePack, String> {
        let mut pack = match &self.settings.rule_pack {
            None => RulePack::builtin(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    format!(
                        "The rule pack could not be read: {}. File path: {}",
                        crate::audit::plain_io_error(&e),
                        path.display()
                    )
                })?;
                RulePack::from_toml(&text).map_err(|e| {
                    format!(
                        "The rule pack could not be used: {e} File path: {}",
                        path.display()
                    )
                })?
            }
        };
        pack.language.clone_from(&self.settings.language);
        Ok(pack)
    }

    /// The import profile the settings ask for; a plain message when the file cannot be used.
    pub(crate) fn import_profile(&self) -> Result<Option<ImportProfile>, String> {
        match &self.settings.import_profile {
            None => Ok(None),
            Some(path) => ImportProfile::load(path)
                .map(Some)
                .map_err(|e| format!("{e}. File path: {}", path.display())),
        }
    }

    /// Starts auditing `source` with the pack, language and import profile of the settings.
    pub(crate) fn start_load(&mut self, source: LoadSource, ctx: &egui::Context) {
        match self
            .audit_pack()
            .and_then(|pack| Ok((pack, self.import_profile()?)))
        {
            Ok((pack, profile)) => {
                self.last_source = Some(source.clone());
                let review_dir = self.session.review_dir().map(std::path::Path::to_path_buf);
                self.jobs.start_load(source, pack, profile, review_dir, ctx);
            }
            Err(message) => self.notify(Notification::error(message)),
        }
    }

    /// The rule pack file and language the settings ask for.
    fn audit_choice(&self) -> AuditChoice {
        AuditChoice {
            rule_pack: self.settings.rule_pack.clone(),
            language: self.settings.language.clone(),
        }
    }

    /// Audits the open logs again after the rule pack or language changed (`shown` is the choice before):
    /// the conversations in memory go through the rules again on a background thread, without reading
    /// the files. While logs are still being opened, opening starts again with the new choice instead.
    fn reaudit(&mut self, shown: AuditChoice, ctx: &egui::Context) {
        let job = self.session.reaudit_job();
        match (job, self.jobs.load_progress().is_some()) {
            (Some(job), false) => match self.audit_pack() {
                Ok(pack) => self.jobs.start_reaudit(job, pack, shown, ctx),
                Err(message) => {
                    self.settings.rule_pack = shown.rule_pack;
                    self.settings.language = shown.language;
                    self.notify(Notification::error(message));
                }
            },
            _ => self.reread(ctx),
        }
    }

    /// Reads and audits the open logs again (after the import profile changed).
    fn reread(&mut self, ctx: &egui::Context) {
        if let Some(source) = self.last_source.clone()
            && (self.session.is_loaded() || self.jobs.load_progress().is_some())
        {
            self.start_load(source, ctx);
        }
    }

    /// Shows the findings of a finished re-audit, with review decisions carried over by finding key.
    fn finish_reaudit(&mut self, job: &ReauditJob, done: Reaudited) {
        let before = self.session.report().findings.len();
        let rules = &done.report().rules;
        let (pack, version) = (rules.pack.clone(), rules.version.clone());
        let after = done.report().findings.len();
        match self.session.take_reaudit(job, done) {
            Ok(replaced) => free_in_background(replaced),
            // Other logs were opened meanwhile: this audit is of logs no longer open.
            Err(stale) => {
                free_in_background(stale);
                return;
            }
        }
        // Finding numbers changed: drop what pointed at the old ones.
        self.findings = Default::default();
        self.conversation.scroll_to_finding = None;
        self.conversation.note_for = None;
        let language = match &self.settings.language {
            Some(code) => format!(
                ", every conversation read as {}",
                crate::detect::language_name(code)
            ),
            None => String::new(),
        };
        let findings = |n: usize| match n {
            1 => "1 finding".to_owned(),
            n => format!("{} findings", super::widgets::thousands(n)),
        };
        self.notify(Notification::info(
            format!(
                "Audited again with rule pack {pack} {version}{language}: {} (before: {}). \
                 The logs were not read again; review decisions were kept",
                findings(after),
                findings(before)
            ),
            None,
        ));
    }

    /// Takes in the answer of a native dialog.
    pub(crate) fn finish_dialog(&mut self, result: DialogResult, ctx: &egui::Context) {
        match result {
            DialogResult::Picked(DialogPurpose::OpenFiles | DialogPurpose::OpenFolder, paths) => {
                self.handle(Action::Session(Command::OpenPaths(paths)), ctx);
            }
            DialogResult::Picked(DialogPurpose::RulePack, paths) => {
                if let Some(path) = paths.into_iter().next() {
                    self.handle(Action::SetRulePack(Some(path)), ctx);
                }
            }
            DialogResult::Picked(DialogPurpose::ImportProfile, paths) => {
                if let Some(path) = paths.into_iter().next() {
                    self.handle(Action::SetImportProfile(Some(path)), ctx);
                }
            }
            DialogResult::Picked(DialogPurpose::Export { format, selection }, paths) => {
                if let Some(path) = paths.into_iter().next() {
                    self.handle(Action::Session(Command::Export { format, selection, path }), ctx);
                }
            }
            DialogResult::Cancelled => {}
            DialogResult::Picked(DialogPurpose::AddFiles, paths) => {
                self.handle(Action::AddPaths(paths), ctx);
            }
            DialogResult::Unavailable(DialogPurpose::Export { .. }) => {
                // The export window stays open: its path field is the way on.
                self.notify(Notification::error(
                    "No file dialog is available on this system. Type where to save the file in the \
                     export window's path field and press Enter"
                        .to_owned(),
                ));
            }
            DialogResult::Unavailable(_) => self.notify(Notification::opening_error(
                "No file dialog is available on this system. Type the path in File > Open… (Ctrl+O), \
                 or drag files onto the window"
                    .to_owned(),
            )),
        }
    }
}

/// Frees something large (the audit of logs no longer shown) on a thread of its own: freeing a million
/// findings and conversations takes long enough to be seen as a frozen frame. Where no thread can be
/// started it is freed here.
fn free_in_background<T: Send + 'static>(large: T) {
    std::thread::Builder::new()
        .name("free-old-audit".to_owned())
        .spawn(move || {
            drop(large);
            crate::memory::release_unused();
        })
        .ok();
}

/// Opens `path` with the program the system uses for its type (a browser for an HTML report), or says
/// in plain words why that did not work.
fn open_with_system(path: &std::path::Path) -> Result<(), String> {
    let mut command = if cfg!(target_os = "windows") {
        let mut command = std::process::Command::new("cmd");
        // "start" is built into cmd; its first quoted argument is a window title.
        command.args(["/C", "start", ""]);
        command
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            // Reap the opener when it exits, so it leaves no zombie process behind.
            std::thread::Builder::new()
                .name("report-opener".to_owned())
                .spawn(move || child.wait().ok())
                .ok();
            Ok(())
        }
        Err(err) => Err(format!(
            "The report could not be opened: no program to open it was found ({}). Open it from your file manager\nFile path: {}",
            crate::audit::plain_io_error(&err),
            path.display()
        )),
    }
}

/// Paths typed into a field: one per line, or separated by ";".
pub fn parse_typed_paths(text: &str) -> Vec<PathBuf> {
    text.split(['\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect()
}
