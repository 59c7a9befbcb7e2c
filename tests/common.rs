//! Helpers shared by the integration tests.

use std::path::PathBuf;

use candor::audit::{AuditOutcome, audit_paths};
use candor::import::ImportProgress;
use candor::rules::RulePack;
use chrono::{DateTime, Utc};

/// A path inside the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A fixed time, so reports are reproducible.
pub fn fixed_now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

/// Audits paths with the built-in pack, keeping the conversations.
pub fn audit(paths: &[PathBuf]) -> AuditOutcome {
    let pack = RulePack::builtin();
    audit_paths(paths, &pack, true, &ImportProgress::default(), fixed_now()).unwrap()
}

/// Audits one fixture file.
pub fn audit_fixture(name: &str) -> AuditOutcome {
    audit(&[repo_path(&format!("tests/fixtures/{name}"))])
}

/// Writes a temporary log file with the given content and returns its folder (kept alive) and path.
pub fn temp_log(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path)
}
