//! The `candor` binary: the desktop app, or `candor audit …` without a window.

use std::process::ExitCode;

use clap::Parser as _;

/// Audits allocate many small strings on several threads and free them on others; mimalloc does that
/// with far less contention than the system allocator (measured in BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = candor::cli::Cli::parse();
    candor::cli::remove_temp_files_on_interrupt();
    match cli.command {
        Some(candor::cli::Command::Audit(args)) => candor::cli::run_audit(&args),
        Some(candor::cli::Command::Eval(args)) => candor::cli::run_eval(&args),
        None => candor::cli::run_app(cli.paths),
    }
}
