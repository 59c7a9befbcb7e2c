//! The `candor` binary: the desktop app, or `candor audit …` without a window.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = candor::cli::Cli::parse();
    candor::cli::remove_temp_files_on_interrupt();
    match cli.command {
        Some(candor::cli::Command::Audit(args)) => candor::cli::run_audit(&args),
        Some(candor::cli::Command::Eval(args)) => candor::cli::run_eval(&args),
        None => candor::cli::run_app(cli.paths),
    }
}
