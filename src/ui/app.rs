//! The app shell: [`AuditApp`] holds the session, settings, jobs and per-view state, lays out the panels
//! each frame, and applies the [`Action`]s the views return (see `actions.rs`).

use std::path::PathBuf;

use crate::session::Session;

use super::chrome::{self, Notification};
use super::conversation_view::{self, ConversationState};
use super::conversations_table::{self, ConversationsState};
use super::dialogs::Dialogs;
use super::export_dialog::ExportDialogState;
use super::filter_bar::FilterBarState;
use super::findings_table::{self, FindingsState};
use super::jobs::Jobs;
use super::settings::{STORAGE_KEY, Settings};
use super::{empty_state, overview, problems};

pub use super::actions::Action;

/// The three main views.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// KPIs and charts.
    #[default]
    Overview,
    /// The findings table.
    Findings,
    /// Every conversation, with its status.
    Conversations,
    /// One conversation with its findings.
    Conversation,
}

impl View {
    /// Parses a view name (`overview`, `findings`, `conversations`, `conversation`), for
    /// `CANDOR_START_VIEW`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "overview" => Some(Self::Overview),
            "findings" => Some(Self::Findings),
            "conversations" => Some(Self::Conversations),
            "conversation" => Some(Self::Conversation),
            _ => None,
        }
    }
}

/// The Candor desktop app.
pub struct AuditApp {
    /// The open audit.
    pub session: Session,
    /// What is remembered between runs.
    pub settings: Settings,
    /// Background imports and exports.
    pub(crate) jobs: Jobs,
    pub(crate) dialogs: Dialogs,
    /// The main view shown.
    pub view: View,
    pub(crate) findings: FindingsState,
    pub(crate) conversations: ConversationsState,
    pub(crate) filter_bar: FilterBarState,
    /// The list (findings or conversations) the conversation view goes back to.
    pub(crate) last_list: View,
    pub(crate) conversation: ConversationState,
    pub(crate) export_dialog: Option<ExportDialogState>,
    pub(crate) show_about: bool,
    pub(crate) show_shortcuts: bool,
    /// File ▸ Open… or Add…, while shown.
    pub(crate) files_window: Option<super::files_window::FilesWindowState>,
    pub(crate) show_rules_reference: bool,
    pub(crate) show_problems: bool,
    /// The mapping window, while a file's columns are being mapped.
    pub(crate) mapping: Option<super::mapping::MappingState>,
    /// The path typed into the empty state's field.
    pub(crate) path_input: String,
    /// Messages for the user, newest last.
    pub notifications: Vec<Notification>,
    /// A view to switch to once the first logs have loaded (`CANDOR_START_VIEW`, for screenshots).
    pub(crate) start_view: Option<View>,
    pub(crate) applied_theme: Option<super::theme::Theme>,
    /// Whether the window was checked against the screen size (once it is known).
    pub(crate) fitted_to_screen: bool,
    /// What was loaded last, to audit it again when the rule pack or language changes.
    pub(crate) last_source: Option<super::jobs::LoadSource>,
}

impl AuditApp {
    /// An app with the given settings, saving review decisions under `review_dir`.
    pub fn new(settings: Settings, review_dir: Option<PathBuf>) -> Self {
        let session = Session::new(
            crate::session::Loaded::default(),
            review_dir,
            settings.reviewer.clone(),
        );
        Self {
            session,
            settings,
            jobs: Jobs::default(),
            dialogs: Dialogs::default(),
            view: View::Overview,
            findings: FindingsState::default(),
            conversations: ConversationsState::default(),
            filter_bar: FilterBarState::default(),
            last_list: View::Findings,
            conversation: ConversationState::default(),
            export_dialog: None,
            show_about: false,
            show_shortcuts: false,
            files_window: None,
            show_rules_reference: false,
            mapping: None,
            show_problems: false,
            path_input: String::new(),
            notifications: Vec::new(),
            start_view: None,
            applied_theme: None,
            fitted_to_screen: false,
            last_source: None,
        }
    }

    /// The app as eframe starts it: settings from storage, and `paths` (if any) opening at once.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>, paths: Vec<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, STORAGE_KEY))
            .unwrap_or_default();
        let review_dir = eframe::storage_dir(super::APP_ID).map(|dir| dir.join("reviews"));
        let mut settings = settings;
        if settings.reviewer.is_empty()
            && let Ok(name) = std::env::var("CANDOR_REVIEWER")
        {
            settings.reviewer = name;
        }
        // For screenshots of either theme, without touching the stored settings' file.
        if let Some(theme) = std::env::var("CANDOR_THEME")
            .ok()
            .and_then(|name| super::theme::Theme::parse(&name))
        {
            settings.theme = theme;
        }
        let mut app = Self::new(settings, review_dir);
        app.start_view = std::env::var("CANDOR_START_VIEW")
            .ok()
            .and_then(|v| View::parse(&v));
        if !paths.is_empty() {
            app.handle(
                Action::Session(crate::session::Command::OpenPaths(paths)),
                &cc.egui_ctx,
            );
        } else if std::env::var("CANDOR_SAMPLES").is_ok_and(|v| v == "1") {
            app.handle(
                Action::Session(crate::session::Command::LoadSamples),
                &cc.egui_ctx,
            );
        }
        app
    }

    /// Polls background work; call once per frame before [`Self::show`].
    pub fn poll(&mut self, ctx: &egui::Context) {
        for outcome in self.jobs.poll() {
            self.finish_job(outcome, ctx);
        }
        if let Some(result) = self.dialogs.poll() {
            self.finish_dialog(result, ctx);
        }
        if self.jobs.busy() || self.dialogs.is_open() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The review note being written on the findings view (for tests).
    pub fn findings_note(&self) -> &str {
        &self.findings.note
    }

    /// Waits for background jobs and applies their results (for tests).
    pub fn wait_for_jobs(&mut self, ctx: &egui::Context) {
        for outcome in self.jobs.wait() {
            self.finish_job(outcome, ctx);
        }
    }

    /// Draws the whole window and applies what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.settings.theme) {
            self.settings.theme.apply(&ctx);
            self.applied_theme = Some(self.settings.theme);
        }
        self.fit_to_screen(&ctx);
        let palette = self.settings.theme.palette();
        let mut actions = Vec::new();
        chrome::shortcuts(ui, self, &mut actions);
        super::review_keys::review_keys(ui, self, &mut actions);
        chrome::dropped_files(ui, &mut actions);

        egui::Panel::top("menu_bar").show(ui, |ui| chrome::menu_bar_ui(ui, self, &mut actions));
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            chrome::status_bar_ui(ui, self, &palette, &mut actions)
        });
        if self.show_problems && self.session.is_loaded() {
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(180.0)
                .min_size(80.0)
                .show(ui, |ui| {
                    let hide = self.settings.hide_personal_data;
                    problems::problems_ui(ui, &self.session, hide, &palette, &mut actions);
                });
        }
        if self.session.is_loaded() && self.jobs.load_progress().is_none() {
            egui::Panel::top("view_tabs").show(ui, |ui| {
                chrome::view_tabs_ui(ui, self, &palette, &mut actions)
            });
        }
        let exporting = self.export_dialog.is_some() || self.jobs.export_path().is_some();
        if self.notifications.iter().any(|n| !(exporting && n.opening)) {
            egui::Panel::top("notifications").show(ui, |ui| {
                chrome::notifications_ui(ui, &self.notifications, exporting, &palette, &mut actions)
            });
        }
        match self.view {
            View::Findings if self.session.is_loaded() && self.jobs.load_progress().is_none() => {
                findings_table::findings_view_ui(ui, self, &palette, &mut actions);
            }
            View::Conversations
                if self.session.is_loaded() && self.jobs.load_progress().is_none() =>
            {
                conversations_table::conversations_view_ui(ui, self, &palette, &mut actions);
            }
            View::Conversation
                if self.session.is_loaded() && self.jobs.load_progress().is_none() =>
            {
                conversation_view::conversation_view_ui(ui, self, &palette, &mut actions);
            }
            _ => {
                egui::CentralPanel::default().show(ui, |ui| {
                    if let Some((source, progress)) = self.jobs.load_progress() {
                        chrome::load_progress_ui(ui, source, progress, &mut actions);
                    } else if self.session.is_loaded() {
                        overview::overview_ui(
                            ui,
                            &self.session,
                            &mut self.filter_bar,
                            &palette,
                            &mut actions,
                        );
                    } else {
                        empty_state::empty_state_ui(ui, self, &palette, &mut actions);
                    }
                });
            }
        }
        chrome::about_window(&ctx, &mut self.show_about, self.session.report());
        super::rules_reference::rules_reference_window(
            &ctx,
            &mut self.show_rules_reference,
            &palette,
        );
        super::review_keys::shortcuts_window(&ctx, &mut self.show_shortcuts);
        if let Some(state) = &mut self.files_window {
            super::files_window::files_window_ui(&ctx, state, &palette, &mut actions);
        }
        if let Some(state) = &mut self.mapping {
            let hide = self.settings.hide_personal_data;
            super::mapping::mapping_window(&ctx, state, hide, &palette, &mut actions);
        }
        chrome::drop_overlay(&ctx, &palette);
        if let Some(state) = &mut self.export_dialog {
            super::export_dialog::export_dialog_ui(
                &ctx,
                state,
                &self.session,
                self.jobs.export_path().is_some(),
                &mut actions,
            );
        }
        for action in actions {
            self.handle(action, &ctx);
        }
    }
}

impl AuditApp {
    /// A window larger than the screen (the 1400×900 default on a 1024×700 laptop, or a remembered size
    /// from a larger monitor) is shrunk to fit once, so nothing starts out of sight.
    fn fit_to_screen(&mut self, ctx: &egui::Context) {
        if self.fitted_to_screen {
            return;
        }
        let (monitor, inner) = ctx.input(|i| {
            (
                i.viewport().monitor_size,
                i.viewport().inner_rect.map(|r| r.size()),
            )
        });
        let (Some(monitor), Some(inner)) = (monitor, inner) else {
            return;
        };
        self.fitted_to_screen = true;
        if inner.x > monitor.x || inner.y > monitor.y {
            ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(egui::Pos2::ZERO));
            ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(inner.min(monitor)));
        }
    }
}

impl eframe::App for AuditApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.settings);
    }
}
