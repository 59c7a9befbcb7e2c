//! Accuracy on the evaluation corpus (`eval/`, see its README): the held-out test half, written blind to
//! the detector, must not fall below the figures published in README.md, and the dev half must stay where
//! tuning left it.
//!
//! Every rule on the test half must keep issue 6's targets (precision ≥ 0.95, recall ≥ 0.90); where an
//! earlier rule pack measured more, the floor is that figure rounded down, so a change that loses accuracy
//! fails here.

use candor::eval::{Counts, Report, evaluate};
use candor::rules::RulePack;

use crate::common::repo_path;

/// The targets for every rule on the test half.
const TARGET_PRECISION: f64 = 0.95;
const TARGET_RECALL: f64 = 0.90;

fn report(half: &str) -> Report {
    let report = evaluate(&[repo_path(&format!("eval/{half}"))], &RulePack::builtin()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.unlabelled, 0);
    report
}

fn exact_share(report: &Report, lang: Option<&str>) -> f64 {
    let cases: Vec<_> = report
        .cases
        .iter()
        .filter(|c| lang.is_none_or(|l| c.lang == l))
        .collect();
    cases.iter().filter(|c| c.exact()).count() as f64 / cases.len().max(1) as f64
}

fn check_floors(report: &Report, floors: &[(&str, f64, f64)]) {
    let counts = report.counts(|_| true);
    let mut low = Vec::new();
    for (code, precision, recall) in floors {
        let c: Counts = counts.get(code).copied().unwrap_or_default();
        if c.precision() < *precision || c.recall() < *recall {
            low.push(format!(
                "{code}: precision {:.2} (floor {precision}), recall {:.2} (floor {recall})",
                c.precision(),
                c.recall()
            ));
        }
    }
    assert!(
        low.is_empty(),
        "accuracy fell:\n{}\n\n{}",
        low.join("\n"),
        report.render(true)
    );
}

#[test]
fn test_half_stays_at_published_accuracy() {
    let report = report("test");
    assert!(report.cases.len() >= 280, "{}", report.cases.len());
    for lang in ["en", "de", "fr", "es", "it", "nl", "pt", "sv"] {
        let n = report.cases.iter().filter(|c| c.lang == lang).count();
        assert!(n >= 30, "{lang}: {n} conversations");
    }
    check_floors(
        &report,
        &[
            ("AI_IDENTITY_DENIED", 0.95, 0.94),
            ("DISCLOSURE_LATE", 0.95, 0.94),
            ("DISCLOSURE_MISSING", 0.95, 0.97),
            ("HUMAN_OPTION_MISSING", TARGET_PRECISION, 0.95),
            ("HUMAN_REQUEST_REPEATED", 0.95, 0.94),
            ("HUMAN_REQUEST_UNMET", 0.95, 0.97),
            ("IDENTITY_QUESTION_UNANSWERED", TARGET_PRECISION, 0.97),
            ("NOT_ASSESSED", 0.95, TARGET_RECALL),
        ],
    );
    assert!(exact_share(&report, None) >= 0.90);
    assert!(exact_share(&report, Some("en")) >= 0.90);
}

#[test]
fn dev_half_stays_where_tuning_left_it() {
    let report = report("dev");
    assert!(
        // 96.9% after batches 65–68 joined it (each measured unseen at 90–98% first, then tuned on in part).
        exact_share(&report, None) >= 0.968,
        "{}",
        report.render(true)
    );
}

#[test]
fn languages_outside_the_pack_are_not_assessed() {
    let report = report("test");
    let other: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.expected.contains("NOT_ASSESSED"))
        .collect();
    assert!(other.len() >= 10);
    let right = other
        .iter()
        .filter(|c| c.found.contains("NOT_ASSESSED"))
        .count();
    assert!(right + 1 >= other.len(), "{right} of {}", other.len());
    // A conversation that is not assessed gets no findings.
    for case in &other {
        if case.found.contains("NOT_ASSESSED") {
            assert_eq!(case.found.len(), 1, "{}: {:?}", case.id, case.found);
        }
    }
}
