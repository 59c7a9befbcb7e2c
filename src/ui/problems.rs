//! The Problems panel: per file, what could not be read, with the line and the reason.

use egui::RichText;

use crate::import::Format;
use crate::session::Session;

use super::actions::Action;
use super::theme::Palette;
use super::widgets;

/// Lists every input with problems: unreadable files first-class, then each warning with its line.
pub fn problems_ui(
    ui: &mut egui::Ui,
    session: &Session,
    hide: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Problems").strong());
        ui.label(
            RichText::new("Lines that could not be used were skipped; everything else was read")
                .color(palette.muted),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Close").clicked() {
                actions.push(Action::ShowProblems(false));
            }
        });
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            let mut any = false;
            for input in &session.report().inputs {
                if input.error.is_none()
                    && input.warnings.is_empty()
                    && input.warnings_not_kept == 0
                {
                    continue;
                }
                any = true;
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&input.path).monospace().strong());
                    ui.label(
                        RichText::new(format!(
                            "{} conversations read, {} lines skipped",
                            input.conversations, input.skipped
                        ))
                        .color(palette.muted),
                    );
                });
                ui.indent(&input.path, |ui| {
                    if let Some(error) = &input.error {
                        ui.label(
                            RichText::new(widgets::log_text(error, hide)).color(palette.error),
                        );
                    }
                    // A table or JSON Lines file that gave nothing: its columns can be mapped.
                    let mappable = matches!(
                        input.format,
                        Some(Format::Csv | Format::Tsv | Format::Jsonl)
                    ) && input.platform.is_none();
                    if input.conversations == 0
                        && mappable
                        && ui.button("Map its columns…").clicked()
                    {
                        actions.push(Action::OpenMapping(std::path::PathBuf::from(&input.path)));
                    }
                    for group in input.grouped_warnings() {
                        ui.label(widgets::log_text(&group.to_string(), hide));
                    }
                    if input.warnings_not_kept > 0 {
                        ui.label(
                            RichText::new(format!(
                                "… and {} more problems",
                                input.warnings_not_kept
                            ))
                            .color(palette.muted),
                        );
                    }
                });
            }
            if !any {
                ui.label(
                    RichText::new("Every file was read without problems").color(palette.muted),
                );
            }
        });
}
