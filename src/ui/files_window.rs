//! File ▸ Open… and File ▸ Add…: a small window with a path field that works without a native file
//! dialog (Enter opens), and a button for the native dialog where there is one.

use egui::RichText;

use super::actions::{Action, parse_typed_paths};
use super::theme::Palette;

/// Whether the typed paths replace the open logs or join them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilesMode {
    /// Replace what is open.
    Open,
    /// Audit the typed paths together with what is open.
    Add,
}

/// What the files window holds while it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilesWindowState {
    /// Open or add.
    pub mode: FilesMode,
    /// The paths as typed: one per line or separated by ";".
    pub path: String,
    /// Put the cursor in the field on the first frame.
    pub focus: bool,
}

impl FilesWindowState {
    /// A fresh window for `mode`, with the cursor in the path field.
    pub fn new(mode: FilesMode) -> Self {
        Self {
            mode,
            path: String::new(),
            focus: true,
        }
    }
}

/// Shows the window; the actions open or add the typed paths, show the native dialog, or close it.
pub fn files_window_ui(
    ctx: &egui::Context,
    state: &mut FilesWindowState,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let (title, verb, explain) = match state.mode {
        FilesMode::Open => (
            "Open logs",
            "Open",
            "The logs that are open now are closed. Review decisions stay saved.",
        ),
        FilesMode::Add => (
            "Add logs",
            "Add",
            "The files are audited together with the logs that are open now.",
        ),
    };
    let mut open = true;
    egui::Window::new(title)
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(480.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(RichText::new(explain).color(palette.muted));
            ui.add_space(6.0);
            let label = ui.label("Path of a file or folder");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut state.path)
                        .hint_text("/path/to/logs.jsonl")
                        .desired_width(440.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut state.focus) {
                field.request_focus();
            }
            ui.label(
                RichText::new("Several paths: separate them with ;")
                    .small()
                    .color(palette.muted),
            );
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ready = !state.path.trim().is_empty();
                let clicked = ui.add_enabled(ready, egui::Button::new(verb)).clicked();
                if ready && (clicked || entered) {
                    let paths = parse_typed_paths(&state.path);
                    actions.push(match state.mode {
                        FilesMode::Open => {
                            Action::Session(crate::session::Command::OpenPaths(paths))
                        }
                        FilesMode::Add => Action::AddPaths(paths),
                    });
                    actions.push(Action::ShowFilesWindow(None));
                }
                if ui.button("Choose files…").clicked() {
                    actions.push(match state.mode {
                        FilesMode::Open => Action::PickFiles,
                        FilesMode::Add => Action::PickFilesToAdd,
                    });
                    actions.push(Action::ShowFilesWindow(None));
                }
                if ui.button("Cancel").clicked() {
                    actions.push(Action::ShowFilesWindow(None));
                }
            });
        });
    if !open {
        actions.push(Action::ShowFilesWindow(None));
    }
}
