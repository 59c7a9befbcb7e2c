//! Candor's integration tests, compiled into one binary (one link instead of one per topic).

mod cli;
mod common;
mod export;
mod import;
mod rules;
