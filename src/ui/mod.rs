//! The desktop app: the only place egui, eframe and rfd appear.
//!
//! `app.rs` is the shell (panels and job polling), `actions.rs` applies what the views ask for, and each
//! view is a `*_ui` function that reads the [`crate::session::Session`] and returns actions.

mod actions;
mod app;
mod chrome;
mod conversation_view;
mod conversations_table;
mod dialogs;
mod empty_state;
mod export_dialog;
mod files_window;
mod filter_bar;
mod findings_table;
mod jobs;
mod mapping;
mod overview;
mod problems;
mod review_keys;
mod rules_reference;
mod settings;
mod theme;
mod widgets;

use std::path::PathBuf;
use std::process::ExitCode;

pub use actions::Action;
pub use app::{AuditApp, View};
pub use chrome::Notification;
pub use settings::{Settings, TimeZoneChoice};
pub use theme::Theme;

/// The id eframe stores settings under.
pub const APP_ID: &str = "candor";

/// Opens the main window, with `paths` loading if any are given.
pub fn run(paths: Vec<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Candor")
            .with_app_id(APP_ID)
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([900.0, 600.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    let result = eframe::run_native(
        "Candor",
        options,
        Box::new(move |cc| Ok(Box::new(AuditApp::from_creation_context(cc, paths)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "candor: the window could not be opened: {err}\nRun `candor audit FILE…` to audit without a window."
            );
            ExitCode::from(2)
        }
    }
}
