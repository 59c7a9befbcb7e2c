//! Candor's integration tests, compiled into one binary (one link instead of one per topic).

// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accuracy;
mod cli;
mod common;
mod export;
mod import;
mod input_safety;
mod output_safety;
mod phrasing;
mod platforms;
mod redaction;
mod rules;

mod session;
#[cfg(feature = "gui")]
mod ui;
