//! The desktop app. The only place egui, eframe and rfd appear.

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the main window (placeholder until the app lands: prints help).
pub fn run(paths: Vec<PathBuf>) -> ExitCode {
    let _ = paths;
    use clap::CommandFactory as _;
    let _ = crate::cli::Cli::command().print_help();
    ExitCode::SUCCESS
}
