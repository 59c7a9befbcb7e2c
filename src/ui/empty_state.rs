//! The first screen, before any logs are open: the ways in, and the recent files.

use egui::RichText;

use crate::session::Command;

use super::actions::{Action, parse_typed_paths};
use super::app::AuditApp;
use super::theme::Palette;

/// The welcome screen with "Open logs…", "Open folder…", "Try the sample logs", a path field and recent files.
pub fn empty_state_ui(
    ui: &mut egui::Ui,
    app: &mut AuditApp,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space((ui.available_height() * 0.12).max(24.0));
            ui.label(RichText::new("Candor").size(34.0).strong().color(palette.strong));
            ui.label(
                RichText::new("Audit how AI is used in customer service: AI disclosure, offers of a human, escalation and satisfaction")
                    .size(15.0)
                    .color(palette.muted),
            );
            ui.add_space(24.0);
            ui.horizontal(|ui| {
                let width = 3.0 * 170.0 + 2.0 * ui.spacing().item_spacing.x;
                ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                let size = egui::vec2(170.0, 40.0);
                if ui.add(egui::Button::new(RichText::new("Open logs…").size(16.0)).min_size(size)).clicked() {
                    actions.push(Action::PickFiles);
                }
                if ui.add(egui::Button::new(RichText::new("Open folder…").size(16.0)).min_size(size)).clicked() {
                    actions.push(Action::PickFolder);
                }
                let samples = RichText::new("Try the sample logs").size(16.0).color(palette.badge_text);
                if ui
                    .add(egui::Button::new(samples).fill(palette.accent).min_size(size))
                    .clicked()
                {
                    actions.push(Action::Session(Command::LoadSamples));
                }
            });
            ui.add_space(8.0);
            ui.label(
                RichText::new("JSON Lines, JSON, CSV and TSV exports of chat, messaging, email and voice logs. You can also drop files or folders onto this window.")
                    .color(palette.muted),
            );
            ui.add_space(20.0);
            let label = ui.label(RichText::new("Or type the path of a file or folder").color(palette.muted));
            ui.horizontal(|ui| {
                let width = 520.0 + 80.0;
                ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                let field = ui.add(
                    egui::TextEdit::singleline(&mut app.path_input)
                        .hint_text("/path/to/logs.jsonl")
                        .desired_width(520.0),
                )
                .labelled_by(label.id);
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Open").clicked() || entered) && !app.path_input.trim().is_empty() {
                    actions.push(Action::Session(Command::OpenPaths(parse_typed_paths(&app.path_input))));
                }
            });
            if !app.settings.recent.is_empty() {
                ui.add_space(24.0);
                ui.label(RichText::new("Recent files").strong());
                for path in &app.settings.recent {
                    if ui.link(path.display().to_string()).clicked() {
                        actions.push(Action::Session(Command::OpenPaths(vec![path.clone()])));
                    }
                }
            }
        });
    });
}
