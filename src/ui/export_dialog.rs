//! The export dialog: format and selection, then the native save dialog (or a typed path).

use std::path::PathBuf;

use egui::RichText;

use crate::export::{ExportFormat, SignOff};
use crate::session::{Command, ExportSelection, Session};

use super::actions::Action;

/// What the export dialog has chosen so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDialogState {
    /// The format.
    pub format: ExportFormat,
    /// Which findings.
    pub selection: ExportSelection,
    /// A path typed in instead of using the save dialog.
    pub path: String,
    /// The organisation for the HTML report's sign-off block.
    pub organisation: String,
    /// The auditor for the HTML report's sign-off block.
    pub auditor: String,
}

impl Default for ExportDialogState {
    fn default() -> Self {
        Self {
            format: ExportFormat::Csv,
            selection: ExportSelection::All,
            path: String::new(),
            organisation: String::new(),
            auditor: String::new(),
        }
    }
}

/// Shows the export dialog as a window.
pub fn export_dialog_ui(
    ctx: &egui::Context,
    state: &mut ExportDialogState,
    session: &Session,
    exporting: bool,
    actions: &mut Vec<Action>,
) {
    let mut open = true;
    egui::Window::new("Export findings")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(440.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(RichText::new("Format").strong());
            for format in ExportFormat::ALL {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut state.format, format, format.label());
                    ui.label(RichText::new(format.purpose()).weak());
                });
            }
            if state.format == ExportFormat::Html {
                ui.add_space(6.0);
                ui.label(RichText::new("Sign-off (optional)").strong());
                let mut changed = false;
                egui::Grid::new("sign_off").num_columns(2).show(ui, |ui| {
                    for (name, value) in [
                        ("Organisation", &mut state.organisation),
                        ("Auditor", &mut state.auditor),
                    ] {
                        let label = ui.label(name);
                        changed |= ui
                            .add(egui::TextEdit::singleline(value).desired_width(260.0))
                            .labelled_by(label.id)
                            .changed();
                        ui.end_row();
                    }
                });
                if changed {
                    actions.push(Action::SetSignOff(SignOff {
                        organisation: state.organisation.clone(),
                        auditor: state.auditor.clone(),
                    }));
                }
            }
            ui.add_space(6.0);
            ui.label(RichText::new("Findings").strong());
            for selection in ExportSelection::ALL {
                let count = session.export_count(selection);
                ui.radio_value(&mut state.selection, selection, format!("{} ({count})", selection.label()));
            }
            ui.add_space(6.0);
            ui.label("Review decisions (status, note, reviewer and time) are included with every finding.");
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.add_enabled(!exporting, egui::Button::new("Choose file and export…")).clicked() {
                    actions.push(Action::PickExportPath {
                        format: state.format,
                        selection: state.selection,
                    });
                }
                if ui.button("Cancel").clicked() {
                    actions.push(Action::CloseExportDialog);
                }
            });
            ui.add_space(8.0);
            let label = ui.label("Or type where to save it");
            ui.horizontal(|ui| {
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.path)
                            .hint_text(format!("/path/to/findings.{}", state.format.extension()))
                            .desired_width(300.0),
                    )
                    .labelled_by(label.id);
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let ready = !exporting && !state.path.trim().is_empty();
                let clicked = ui.add_enabled(ready, egui::Button::new("Export")).clicked();
                if ready && (clicked || entered) {
                    actions.push(Action::Session(Command::Export {
                        format: state.format,
                        selection: state.selection,
                        path: PathBuf::from(state.path.trim()),
                    }));
                }
            });
        });
    if !open {
        actions.push(Action::CloseExportDialog);
    }
}
