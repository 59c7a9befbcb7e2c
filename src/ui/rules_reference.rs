//! Help ▸ Rules reference: every rule in plain words, with the provisions it relates to.

use egui::RichText;

use crate::rules::{DISCLAIMER, RuleId};

use super::theme::Palette;
use super::widgets;

/// The rules reference window, shown while `open` is true.
pub fn rules_reference_window(ctx: &egui::Context, open: &mut bool, palette: &Palette) {
    egui::Window::new("Rules reference")
        .open(open)
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .default_height(560.0)
        .show(ctx, |ui| {
            ui.label(RichText::new(DISCLAIMER).color(palette.muted));
            ui.add_space(6.0);
            egui::ScrollArea::vertical().show(ui, |ui| {
                for rule in RuleId::ALL {
                    ui.separator();
                    ui.horizontal(|ui| {
                        widgets::severity_badge(ui, rule.severity(), palette);
                        ui.label(RichText::new(rule.title()).size(16.0).strong());
                    });
                    ui.label(rule.description());
                    provisions_ui(ui, rule, palette);
                }
            });
        });
}

/// The provisions of a rule, each with its summary.
pub fn provisions_ui(ui: &mut egui::Ui, rule: RuleId, palette: &Palette) {
    for provision in rule.legal_basis() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(provision.citation).strong());
            ui.label(RichText::new(provision.summary).color(palette.muted));
        });
    }
}
