//! Measuring accuracy: `candor eval` audits labelled conversations and compares findings with the labels.
//!
//! A labelled corpus is canonical JSON Lines whose conversations carry, on their first line, `lang` (the
//! language a reader would say it is in) and `expect` (the rule codes a careful reviewer expects,
//! comma-separated; `none`; or `NOT_ASSESSED` for a language the pack does not cover). See
//! `eval/README.md`. Scores are per conversation: a rule is predicted for a conversation when at least
//! one of its findings is raised there.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::DateTime;

use crate::audit;
use crate::import::ImportProgress;
use crate::rules::{RuleId, RulePack};

/// The label for a conversation Candor does not assess.
pub const NOT_ASSESSED: &str = "NOT_ASSESSED";

/// One labelled conversation and what Candor found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The conversation id.
    pub id: String,
    /// The labelled language.
    pub lang: String,
    /// The language Candor read it in.
    pub detected: String,
    /// The expected codes.
    pub expected: BTreeSet<String>,
    /// The codes Candor raised.
    pub found: BTreeSet<String>,
    /// The writer's note on what the case tests.
    pub note: String,
}

impl Case {
    /// Whether Candor raised exactly the expected codes.
    #[must_use]
    pub fn exact(&self) -> bool {
        self.expected == self.found
    }
}

/// True and false positives and false negatives of one code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Raised and expected.
    pub tp: usize,
    /// Raised, not expected.
    pub fp: usize,
    /// Expected, not raised.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp); 1 when nothing was raised.
    #[must_use]
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn); 1 when nothing was expected.
    #[must_use]
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The result of an evaluation.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every labelled conversation.
    pub cases: Vec<Case>,
    /// Conversations in the inputs without labels (not scored).
    pub unlabelled: usize,
    /// Problems reading the inputs, as "file: reason".
    pub problems: Vec<String>,
}

/// The codes scored: every rule and "not assessed".
pub fn codes() -> Vec<&'static str> {
    RuleId::ALL
        .iter()
        .map(|r| r.code())
        .chain([NOT_ASSESSED])
        .collect()
}

impl Report {
    /// Counts per code over the cases `keep` selects.
    #[must_use]
    pub fn counts(&self, keep: impl Fn(&Case) -> bool) -> BTreeMap<&'static str, Counts> {
        let mut out: BTreeMap<&'static str, Counts> = BTreeMap::new();
        for case in self.cases.iter().filter(|c| keep(c)) {
            for code in codes() {
                let (e, f) = (case.expected.contains(code), case.found.contains(code));
                let c = out.entry(code).or_default();
                match (e, f) {
                    (true, true) => c.tp += 1,
                    (false, true) => c.fp += 1,
                    (true, false) => c.fn_ += 1,
                    (false, false) => {}
                }
            }
        }
        out
    }

    /// The languages labelled, sorted.
    #[must_use]
    pub fn languages(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self.cases.iter().map(|c| c.lang.as_str()).collect();
        set.into_iter().map(str::to_owned).collect()
    }

    /// The report as plain-text tables, with the mistakes when `mistakes` is set.
    #[must_use]
    pub fn render(&self, mistakes: bool) -> String {
        let mut out = String::new();
        let exact = self.cases.iter().filter(|c| c.exact()).count();
        let _ = writeln!(
            out,
            "{} labelled conversations, {} exactly right ({:.1}%){}",
            self.cases.len(),
            exact,
            100.0 * ratio(exact, self.cases.len()),
            if self.unlabelled > 0 {
                format!("; {} without labels were not scored", self.unlabelled)
            } else {
                String::new()
            }
        );
        for p in &self.problems {
            let _ = writeln!(out, "problem: {p}");
        }
        let _ = writeln!(out, "\nPer rule (all languages)");
        let _ = writeln!(
            out,
            "| rule | expected | found | correct | precision | recall |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        for (code, c) in self.counts(|_| true) {
            let _ = writeln!(
                out,
                "| {code} | {} | {} | {} | {:.2} | {:.2} |",
                c.tp + c.fn_,
                c.tp + c.fp,
                c.tp,
                c.precision(),
                c.recall()
            );
        }
        let _ = writeln!(out, "\nPer language");
        let _ = writeln!(
            out,
            "| language | conversations | exactly right | worst precision | worst recall |"
        );
        let _ = writeln!(out, "|---|---:|---:|---|---|");
        for lang in self.languages() {
            let cases: Vec<&Case> = self.cases.iter().filter(|c| c.lang == lang).collect();
            let right = cases.iter().filter(|c| c.exact()).count();
            let counts = self.counts(|c| c.lang == lang);
            let worst = |f: fn(&Counts) -> f64| {
                counts
                    .iter()
                    .filter(|(_, c)| c.tp + c.fp + c.fn_ > 0)
                    .map(|(code, c)| (f(c), *code))
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .map_or_else(|| "-".to_owned(), |(v, code)| format!("{v:.2} ({code})"))
            };
            let _ = writeln!(
                out,
                "| {lang} | {} | {} ({:.0}%) | {} | {} |",
                cases.len(),
                right,
                100.0 * ratio(right, cases.len()),
                worst(Counts::precision),
                worst(Counts::recall)
            );
        }
        if mistakes {
            let _ = writeln!(out, "\nMistakes");
            for case in self.cases.iter().filter(|c| !c.exact()) {
                let missed: Vec<&String> = case.expected.difference(&case.found).collect();
                let extra: Vec<&String> = case.found.difference(&case.expected).collect();
                let _ = writeln!(
                    out,
                    "{} [{}{}]: missed {:?}, extra {:?} — {}",
                    case.id,
                    case.lang,
                    if case.detected == case.lang {
                        String::new()
                    } else {
                        format!(", read as {}", case.detected)
                    },
                    missed,
                    extra,
                    case.note
                );
            }
        }
        out
    }
}

/// Audits the labelled conversations in `paths` with `pack` and compares.
///
/// # Errors
///
/// A plain message when the audit was cancelled (it never is here).
pub fn evaluate(paths: &[PathBuf], pack: &RulePack) -> Result<Report, String> {
    let progress = ImportProgress::default();
    let now = DateTime::from_timestamp(0, 0).unwrap_or_default();
    let outcome = audit::audit_paths(paths, pack, true, &progress, now)
        .map_err(|e| format!("the evaluation stopped: {e}"))?;
    let report = outcome.report;
    let mut problems = Vec::new();
    for input in &report.inputs {
        for w in &input.warnings {
            problems.push(format!("{}: {}", input.path, w));
        }
    }
    let mut found: BTreeMap<(&str, usize), BTreeSet<String>> = BTreeMap::new();
    for f in &report.findings {
        found
            .entry((f.conversation_id.as_str(), f.source))
            .or_default()
            .insert(f.rule.code().to_owned());
    }
    let mut cases = Vec::new();
    let mut unlabelled = 0;
    for (facts, conversation) in report.facts.iter().zip(outcome.conversations.to_vec()) {
        let Some(expect) = conversation.metadata.get("expect") else {
            unlabelled += 1;
            continue;
        };
        let expected: BTreeSet<String> = expect
            .split(',')
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty() && s != "NONE")
            .collect();
        let mut got = found
            .get(&(facts.id.as_str(), facts.source))
            .cloned()
            .unwrap_or_default();
        if !facts.assessed {
            got.insert(NOT_ASSESSED.to_owned());
        }
        cases.push(Case {
            id: facts.id.as_str().to_owned(),
            lang: conversation
                .metadata
                .get("lang")
                .cloned()
                .unwrap_or_default(),
            detected: facts.language.to_string(),
            expected,
            found: got,
            note: conversation
                .metadata
                .get("note")
                .cloned()
                .unwrap_or_default(),
        });
    }
    Ok(Report {
        cases,
        unlabelled,
        problems,
    })
}
