//! The frame around the views: menus, keyboard shortcuts, drag and drop, view tabs, status bar,
//! notifications, import progress and the About window.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};

use crate::audit::AuditReport;
use crate::export::ReviewStatus;
use crate::session::{Command, LoadProgress};

use super::actions::Action;
use super::app::{AuditApp, View};
use super::files_window::FilesMode;
use super::jobs::LoadSource;
use super::settings::TimeZoneChoice;
use super::theme::{Palette, Theme};
use super::widgets::thousands;

/// Ctrl+O: open logs.
pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Ctrl+E: export.
pub const EXPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
/// Ctrl+Q: quit.
pub const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// A message for the user, shown until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Whether something went wrong.
    pub error: bool,
    /// What happened.
    pub text: String,
    /// A file it is about (shown with the message).
    pub path: Option<PathBuf>,
    /// About opening files: hidden while the export window is open, where it would only confuse.
    pub opening: bool,
    /// The file is a report the user may want to open ("Open report").
    pub openable: bool,
}

impl Notification {
    /// Good news or plain information.
    pub fn info(text: impl Into<String>, path: Option<PathBuf>) -> Self {
        Self {
            error: false,
            text: text.into(),
            path,
            opening: false,
            openable: false,
        }
    }

    /// A finished export, with "Open report".
    pub fn exported(text: impl Into<String>, path: PathBuf) -> Self {
        Self {
            openable: true,
            ..Self::info(text, Some(path))
        }
    }

    /// Something went wrong opening files.
    pub fn opening_error(text: impl Into<String>) -> Self {
        Self {
            opening: true,
            ..Self::error(text)
        }
    }

    /// Something went wrong.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            error: true,
            text: text.into(),
            path: None,
            opening: false,
            openable: false,
        }
    }
}

/// Keyboard shortcuts that work everywhere.
pub fn shortcuts(ui: &mut egui::Ui, app: &AuditApp, actions: &mut Vec<Action>) {
    ui.input_mut(|input| {
        if input.consume_shortcut(&OPEN_SHORTCUT) {
            actions.push(Action::ShowFilesWindow(Some(FilesMode::Open)));
        }
        if input.consume_shortcut(&EXPORT_SHORTCUT) && app.session.is_loaded() {
            actions.push(Action::OpenExportDialog);
        }
        if input.consume_shortcut(&QUIT_SHORTCUT) {
            actions.push(Action::Quit);
        }
    });
}

/// Files and folders dropped onto the window open as logs.
pub fn dropped_files(ui: &egui::Ui, actions: &mut Vec<Action>) {
    let paths: Vec<PathBuf> = ui.input(|input| {
        input
            .raw
            .dropped_files
            .iter()
            .map(|file| file.path().to_path_buf())
            .filter(|path| !path.as_os_str().is_empty())
            .collect()
    });
    if !paths.is_empty() {
        actions.push(Action::Session(Command::OpenPaths(paths)));
    }
}

/// While files are dragged over the window, a veil over everything saying what dropping them does.
pub fn drop_overlay(ctx: &egui::Context, palette: &Palette) {
    let hovered = ctx.input(|input| input.raw.hovered_files.len());
    if hovered == 0 {
        return;
    }
    let screen = ctx.content_rect();
    egui::Area::new(egui::Id::unique("drop_overlay"))
        .order(egui::Order::Foreground)
        .fixed_pos(screen.min)
        .interactable(false)
        .show(ctx, |ui| {
            ui.set_min_size(screen.size());
            ui.painter().rect_filled(screen, 0.0, palette.drop_veil);
            ui.painter().rect_stroke(
                screen.shrink(12.0),
                12.0,
                egui::Stroke::new(3.0, palette.accent),
                egui::StrokeKind::Inside,
            );
            ui.scope_builder(egui::UiBuilder::new().max_rect(screen), |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(screen.height() * 0.42);
                    ui.label(
                        RichText::new("Drop files or folders to open them")
                            .size(26.0)
                            .strong()
                            .color(palette.strong),
                    );
                    let what = if hovered == 1 {
                        "They replace the logs that are open now".to_owned()
                    } else {
                        format!("{hovered} items · they replace the logs that are open now")
                    };
                    ui.label(RichText::new(what).size(15.0).color(palette.muted));
                });
            });
        });
}

/// File, View and Help menus.
pub fn menu_bar_ui(ui: &mut egui::Ui, app: &AuditApp, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            let shortcut = ui.ctx().format_shortcut(&OPEN_SHORTCUT);
            if ui
                .add(egui::Button::new("Open…").shortcut_text(shortcut))
                .on_hover_text(
                    "Open log files or a folder by typing its path, or with the file dialog",
                )
                .clicked()
            {
                actions.push(Action::ShowFilesWindow(Some(FilesMode::Open)));
            }
            let loaded = app.session.is_loaded();
            if ui
                .add_enabled(loaded, egui::Button::new("Add…"))
                .on_hover_text("Audit more files together with the open ones")
                .clicked()
            {
                actions.push(Action::ShowFilesWindow(Some(FilesMode::Add)));
            }
            if ui.button("Open folder…").clicked() {
                actions.push(Action::PickFolder);
            }
            if ui
                .add_enabled(loaded, egui::Button::new("Close"))
                .on_hover_text("Close the open logs; review decisions stay saved")
                .clicked()
            {
                actions.push(Action::CloseLogs);
            }
            ui.add_enabled_ui(!app.settings.recent.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in &app.settings.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(Action::Session(Command::OpenPaths(vec![path.clone()])));
                        }
                    }
                    ui.separator();
                    if ui.button("Clear recent files").clicked() {
                        actions.push(Action::ClearRecent);
                    }
                });
            });
            if ui.button("Try the sample logs").clicked() {
                actions.push(Action::Session(Command::LoadSamples));
            }
            ui.separator();
            let shortcut = ui.ctx().format_shortcut(&EXPORT_SHORTCUT);
            let export = egui::Button::new("Export…").shortcut_text(shortcut);
            if ui.add_enabled(app.session.is_loaded(), export).clicked() {
                actions.push(Action::OpenExportDialog);
            }
            ui.separator();
            let shortcut = ui.ctx().format_shortcut(&QUIT_SHORTCUT);
            if ui
                .add(egui::Button::new("Quit").shortcut_text(shortcut))
                .clicked()
            {
                actions.push(Action::Quit);
            }
        });
        ui.menu_button("View", |ui| {
            for theme in Theme::ALL {
                if ui
                    .radio(app.settings.theme == theme, theme.label())
                    .clicked()
                {
                    actions.push(Action::SetTheme(theme));
                }
            }
            ui.separator();
            for zone in TimeZoneChoice::ALL {
                if ui
                    .radio(app.settings.time_zone == zone, zone.label())
                    .clicked()
                {
                    actions.push(Action::SetTimeZone(zone));
                }
            }
            ui.separator();
            let hide = app.settings.hide_personal_data;
            if ui
                .checkbox(&mut hide.clone(), "Hide personal data")
                .clicked()
            {
                actions.push(Action::HidePersonalData(!hide));
            }
            if ui
                .checkbox(&mut app.show_problems.clone(), "Problems panel")
                .clicked()
            {
                actions.push(Action::ShowProblems(!app.show_problems));
            }
        });
        ui.menu_button("Rules", |ui| {
            ui.label(RichText::new("Language of the conversations").strong());
            if ui
                .radio(
                    app.settings.language.is_none(),
                    "Detect for each conversation",
                )
                .clicked()
            {
                actions.push(Action::SetLanguage(None));
            }
            let builtin = crate::rules::RulePack::builtin_ref();
            for code in builtin.detector.language_codes() {
                let name = builtin.detector.language_name(code).unwrap_or(code);
                if ui
                    .radio(
                        app.settings.language.as_deref() == Some(code),
                        format!("Read all as {name}"),
                    )
                    .clicked()
                {
                    actions.push(Action::SetLanguage(Some(code.to_owned())));
                }
            }
            ui.separator();
            ui.label(RichText::new("Rule pack").strong());
            if ui
                .radio(app.settings.rule_pack.is_none(), "Built-in rule pack")
                .clicked()
            {
                actions.push(Action::SetRulePack(None));
            }
            if let Some(path) = &app.settings.rule_pack {
                let name = file_label(path);
                let _ = ui.radio(true, name);
            }
            if ui.button("Choose a rule pack file…").clicked() {
                actions.push(Action::PickRulePack);
            }
            ui.separator();
            ui.label(RichText::new("How logs are read").strong());
            if ui
                .radio(
                    app.settings.import_profile.is_none(),
                    "Recognise the format of each file",
                )
                .clicked()
            {
                actions.push(Action::SetImportProfile(None));
            }
            if let Some(path) = &app.settings.import_profile {
                let name = file_label(path);
                let _ = ui.radio(true, format!("With the import profile {name}"));
            }
            if ui.button("Choose an import profile…").clicked() {
                actions.push(Action::PickImportProfile);
            }
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Rules reference").clicked() {
                actions.push(Action::ShowRulesReference(true));
            }
            if ui.button("Keyboard shortcuts").clicked() {
                actions.push(Action::ShowShortcuts(true));
            }
            if ui.button("About Candor").clicked() {
                actions.push(Action::ShowAbout(true));
            }
        });
    });
}

/// The tabs that switch between the main views, with the reviewer name at the right.
pub fn view_tabs_ui(
    ui: &mut egui::Ui,
    app: &AuditApp,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let session = &app.session;
        let count = |shown: usize, total: usize| {
            format!(
                "{} of {}",
                super::widgets::thousands(shown),
                super::widgets::thousands(total)
            )
        };
        let tabs = [
            (View::Overview, "Overview".to_owned()),
            (
                View::Findings,
                format!(
                    "Findings ({})",
                    count(session.rows().len(), session.report().findings.len())
                ),
            ),
            (
                View::Conversations,
                format!(
                    "Conversations ({})",
                    count(
                        session.conversation_rows().len(),
                        session.report().facts.len()
                    )
                ),
            ),
            (View::Conversation, "Conversation".to_owned()),
        ];
        for (view, label) in tabs {
            let text = RichText::new(label).size(15.0);
            if ui.selectable_label(app.view == view, text).clicked() && app.view != view {
                actions.push(Action::ShowView(view));
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut name = app.session.reviewer().to_owned();
            let field = egui::TextEdit::singleline(&mut name)
                .hint_text("Your name")
                .desired_width(150.0);
            if ui.add(field).changed() {
                actions.push(Action::Session(Command::SetReviewer(name)));
            }
            ui.label(RichText::new("Reviewer").color(palette.muted));
        });
    });
    ui.add_space(2.0);
}

/// Files, conversations, findings, review progress and the rule pack, along the bottom.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    app: &AuditApp,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        let session = &app.session;
        let report = session.report();
        if let Some((_, progress)) = app.jobs.load_progress() {
            ui.spinner();
            ui.label(format!(
                "Reading logs… {} conversations so far",
                super::widgets::thousands(progress.import.conversations.load(Ordering::Relaxed))
            ));
            if ui.small_button("Cancel").clicked() {
                actions.push(Action::CancelLoad);
            }
            ui.separator();
        }
        if let Some(progress) = app.jobs.reaudit_progress() {
            ui.spinner();
            ui.label(format!(
                "Auditing again with the new rules… {} of {} conversations",
                thousands(progress.done.min(progress.total)),
                thousands(progress.total)
            ))
            .on_hover_text(
                "The open logs are checked again in memory; the findings shown are those of the \
                 earlier rules until this is done",
            );
            if ui.small_button("Cancel").clicked() {
                actions.push(Action::CancelReaudit);
            }
            ui.separator();
        }
        if let Some(path) = app.jobs.export_path() {
            ui.spinner();
            ui.label(format!("Exporting to {}…", path.display()));
            ui.separator();
        }
        if session.is_loaded() {
            let files = report.inputs.len();
            ui.label(format!(
                "{files} {} · {} conversations · {} findings",
                if files == 1 { "file" } else { "files" },
                thousands(report.summary.conversations),
                thousands(report.findings.len())
            ));
            ui.separator();
            let counts = session.review_counts();
            let count = |status| counts.get(&status).copied().unwrap_or(0);
            ui.label(format!(
                "{} confirmed · {} dismissed · {} not reviewed",
                thousands(count(ReviewStatus::Confirmed)),
                thousands(count(ReviewStatus::Dismissed)),
                thousands(count(ReviewStatus::Open))
            ));
            ui.separator();
            let problems = problem_count(report);
            let text = if problems == 0 {
                RichText::new("No problems reading the logs").color(palette.muted)
            } else {
                RichText::new(format!("{problems} problems reading the logs"))
                    .color(palette.warning)
            };
            if ui.link(text).clicked() {
                actions.push(Action::ShowProblems(!app.show_problems));
            }
        } else if app.jobs.load_progress().is_none() {
            ui.label(RichText::new("No logs open").color(palette.muted));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let pack = if report.rules.pack.is_empty() {
                let builtin = crate::rules::RulePack::builtin_ref();
                format!("Rule pack {} {}", builtin.name, builtin.version)
            } else {
                format!("Rule pack {} {}", report.rules.pack, report.rules.version)
            };
            ui.label(RichText::new(pack).color(palette.muted));
            if let Some(err) = app.session.save_error() {
                ui.label(RichText::new("Review decisions not saved").color(palette.error))
                    .on_hover_text(err);
            }
        });
    });
}

/// Problems over all inputs: unreadable files plus warnings.
pub fn problem_count(report: &AuditReport) -> u64 {
    report
        .inputs
        .iter()
        .map(|input| input.warning_count() + u64::from(input.error.is_some()))
        .sum()
}

/// The notifications, newest first, each with a Dismiss button.
pub fn notifications_ui(
    ui: &mut egui::Ui,
    notifications: &[Notification],
    exporting: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    let shown = notifications
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, n)| !(exporting && n.opening))
        .take(3);
    for (index, notification) in shown {
        let color = if notification.error {
            palette.error
        } else {
            palette.good
        };
        egui::Frame::new()
            .fill(palette.card)
            .stroke(egui::Stroke::new(1.0, color))
            .corner_radius(6.0)
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.label(&notification.text);
                        if let Some(path) = &notification.path {
                            ui.label(
                                RichText::new(path.display().to_string())
                                    .monospace()
                                    .color(palette.muted),
                            );
                        }
                    });
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.button("Dismiss").clicked() {
                            actions.push(Action::DismissNotification(index));
                        }
                        if notification.openable
                            && let Some(path) = &notification.path
                            && ui.button("Open report").clicked()
                        {
                            actions.push(Action::OpenReport(path.clone()));
                        }
                    });
                });
            });
    }
    ui.add_space(2.0);
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The import progress card: file, bytes and conversations so far, with Cancel.
pub fn load_progress_ui(
    ui: &mut egui::Ui,
    source: &LoadSource,
    progress: &LoadProgress,
    actions: &mut Vec<Action>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.3);
        ui.heading(match source {
            LoadSource::Samples => "Opening the sample logs…",
            LoadSource::Paths(_) => "Opening logs…",
        });
        ui.add_space(8.0);
        let total = progress.files_total.load(Ordering::Relaxed);
        let done = progress.files_done.load(Ordering::Relaxed);
        let current = progress.current.lock().ok().and_then(|c| c.clone());
        let read = progress.import.bytes_read.load(Ordering::Relaxed);
        let conversations = thousands(progress.import.conversations.load(Ordering::Relaxed));
        if total > 0 && done >= total {
            // Every file is read; sorting the findings and building the tables still takes a moment
            // with millions of conversations, and a full bar that does not move would look stuck.
            ui.spinner();
            ui.label(format!(
                "All files read ({conversations} conversations). Sorting the findings and \
                 preparing the tables…"
            ));
        } else if let Some((name, bytes)) = current {
            ui.label(format!(
                "File {} of {}: {name}",
                (done + 1).min(total.max(1)),
                total.max(1)
            ));
            let fraction = if bytes > 0 {
                read as f32 / bytes as f32
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(fraction.clamp(0.0, 1.0))
                    .desired_width(420.0)
                    .text(format!("{} of {}", megabytes(read), megabytes(bytes))),
            );
        } else {
            ui.spinner();
        }
        if total == 0 || done < total {
            ui.label(format!("{conversations} conversations read so far"));
        }
        ui.add_space(8.0);
        if ui.button("Cancel").clicked() {
            actions.push(Action::CancelLoad);
        }
    });
}

/// The About window: version, rule pack and what the tool checks.
pub fn about_window(ctx: &egui::Context, open: &mut bool, report: &AuditReport) {
    egui::Window::new("About Candor")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .default_width(420.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.heading(format!("Candor {}", env!("CARGO_PKG_VERSION")));
            ui.label(env!("CARGO_PKG_DESCRIPTION"));
            ui.add_space(6.0);
            let pack = if report.rules.pack.is_empty() {
                crate::audit::PackInfo::of(crate::rules::RulePack::builtin_ref())
            } else {
                report.rules.clone()
            };
            egui::Grid::new("about_pack")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    ui.label("Rule pack");
                    ui.label(&pack.pack);
                    ui.end_row();
                    ui.label("Version");
                    ui.label(&pack.version);
                    ui.end_row();
                    ui.label("SHA-256");
                    ui.add(
                        egui::Label::new(RichText::new(&pack.sha256).monospace().small()).wrap(),
                    )
                    .on_hover_text("Identifies the exact rule pack file the audit used");
                    ui.end_row();
                });
            ui.add_space(6.0);
            ui.label(RichText::new("Rules checked").strong());
            for rule in crate::rules::RuleId::ALL {
                ui.label(format!("• {} ({})", rule.title(), rule.severity().label()));
            }
            ui.add_space(6.0);
            ui.label(format!("License {}", env!("CARGO_PKG_LICENSE")));
        });
}

/// The name of a file as shown in menus: its file name, or the whole path when it has none.
fn file_label(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
