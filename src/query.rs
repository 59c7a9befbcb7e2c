//! Which findings the table shows: a [`FindingFilter`] and a [`SortKey`] over the findings of a report,
//! turned into row indices by [`query`].
//!
//! The result is a `Vec<usize>` of indices into `report.findings`, so the table, the exports of "the
//! filtered findings" and the bulk review actions all speak about the same rows. The work is one pass over
//! the findings plus one sort, which keeps a million findings well under a second; callers cache the rows
//! and run the query again only when the filter, the sort or a review changes.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use crate::audit::AuditReport;
use crate::export::ReviewStatus;
use crate::rules::{ConversationFacts, Finding, HandlingPath, Law, RuleId, Severity};

/// A set of conversations chosen by clicking a chart or a KPI ("drill-down").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drill {
    /// What was clicked, in plain words ("Week 2026-W03", "Unmet requests for a human").
    pub label: String,
    /// Membership by index into `report.facts`.
    pub conversations: Vec<bool>,
}

impl Drill {
    /// The conversations of `facts` for which `keep` holds.
    pub fn of(
        label: impl Into<String>,
        facts: &[ConversationFacts],
        keep: impl Fn(&ConversationFacts) -> bool,
    ) -> Self {
        Self {
            label: label.into(),
            conversations: facts.iter().map(keep).collect(),
        }
    }

    /// How many conversations are in the set.
    pub fn len(&self) -> usize {
        self.conversations.iter().filter(|&&member| member).count()
    }

    /// Whether no conversation is in the set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn contains(&self, fact: Option<usize>) -> bool {
        fact.and_then(|i| self.conversations.get(i).copied())
            .unwrap_or(false)
    }
}

/// What the findings table shows. Every empty set means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// Only these rules.
    pub rules: BTreeSet<RuleId>,
    /// Only findings of rules that relate to one of these laws.
    pub laws: BTreeSet<Law>,
    /// Only these severities.
    pub severities: BTreeSet<Severity>,
    /// Only these channels (as in `ConversationFacts::channel`).
    pub channels: BTreeSet<String>,
    /// Only conversations handled this way.
    pub paths: BTreeSet<HandlingPath>,
    /// Only conversations in these languages (codes as in `ConversationFacts::language`).
    pub languages: BTreeSet<String>,
    /// Only findings on or after this day (UTC), by the finding's time or else the conversation start.
    pub from: Option<NaiveDate>,
    /// Only findings on or before this day (UTC).
    pub to: Option<NaiveDate>,
    /// Only findings with these review decisions.
    pub review: BTreeSet<ReviewStatus>,
    /// Free text, matched case-insensitively against conversation id, evidence, explanation and rule.
    pub text: String,
    /// Only findings of these conversations.
    pub drill: Option<Drill>,
}

impl FindingFilter {
    /// Whether the filter lets every finding through.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The filter in a few words, for export provenance ("rule: DISCLOSURE_MISSING; text: refund").
    pub fn describe(&self) -> String {
        fn join<T>(items: &BTreeSet<T>, name: impl Fn(&T) -> String) -> String {
            items.iter().map(name).collect::<Vec<_>>().join(", ")
        }
        let mut parts = Vec::new();
        if !self.rules.is_empty() {
            parts.push(format!(
                "rule: {}",
                join(&self.rules, |r| r.code().to_owned())
            ));
        }
        if !self.laws.is_empty() {
            parts.push(format!(
                "legal basis: {}",
                join(&self.laws, |l| l.label().to_owned())
            ));
        }
        if !self.severities.is_empty() {
            parts.push(format!(
                "severity: {}",
                join(&self.severities, |s| s.as_str().to_owned())
            ));
        }
        if !self.channels.is_empty() {
            parts.push(format!("channel: {}", join(&self.channels, Clone::clone)));
        }
        if !self.paths.is_empty() {
            parts.push(format!(
                "path: {}",
                join(&self.paths, |p| p.as_str().to_owned())
            ));
        }
        if !self.languages.is_empty() {
            parts.push(format!(
                "language: {}",
                join(&self.languages, |code| crate::detect::language_name(code))
            ));
        }
        if let Some(from) = self.from {
            parts.push(format!("from: {from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to: {to}"));
        }
        if !self.review.is_empty() {
            parts.push(format!(
                "review: {}",
                join(&self.review, |s| s.as_str().to_owned())
            ));
        }
        if !self.text.trim().is_empty() {
            parts.push(format!("text: {}", self.text.trim()));
        }
        if let Some(drill) = &self.drill {
            parts.push(format!("conversations: {}", drill.label));
        }
        if parts.is_empty() {
            "no filter".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// One value of a filter, as shown on a chip the user can remove ("Rule: No AI disclosure").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterPart {
    /// A rule.
    Rule(RuleId),
    /// A legal basis.
    Law(Law),
    /// A severity.
    Severity(Severity),
    /// A channel.
    Channel(String),
    /// A handling path.
    Path(HandlingPath),
    /// A language code.
    Language(String),
    /// The first day.
    From(NaiveDate),
    /// The last day.
    To(NaiveDate),
    /// A review decision.
    Review(ReviewStatus),
    /// The search text.
    Text(String),
    /// The conversations chosen on the overview.
    Drill(String),
}

impl FilterPart {
    /// The chip's words: "Rule: No AI disclosure", "From: 2026-01-05".
    pub fn label(&self) -> String {
        match self {
            Self::Rule(rule) => format!("Rule: {}", rule.title()),
            Self::Law(law) => format!("Legal basis: {}", law.label()),
            Self::Severity(severity) => format!("Severity: {}", severity.label()),
            Self::Channel(channel) => format!("Channel: {channel}"),
            Self::Path(path) => format!("Path: {}", path.label()),
            Self::Language(code) => format!("Language: {}", crate::detect::language_name(code)),
            Self::From(day) => format!("From: {day}"),
            Self::To(day) => format!("To: {day}"),
            Self::Review(status) => format!("Review: {}", status.label()),
            Self::Text(text) => format!("Search: “{text}”"),
            Self::Drill(label) => format!("From the overview: {label}"),
        }
    }

    /// Whether this part narrows the conversations list too, not only the findings.
    pub fn applies_to_conversations(&self) -> bool {
        !matches!(
            self,
            Self::Rule(_) | Self::Law(_) | Self::Severity(_) | Self::Review(_)
        )
    }
}

impl FindingFilter {
    /// Every value the filter holds, in the order the filter bar shows them.
    pub fn parts(&self) -> Vec<FilterPart> {
        let mut parts: Vec<FilterPart> = Vec::new();
        if let Some(drill) = &self.drill {
            parts.push(FilterPart::Drill(drill.label.clone()));
        }
        parts.extend(self.rules.iter().copied().map(FilterPart::Rule));
        parts.extend(self.laws.iter().copied().map(FilterPart::Law));
        parts.extend(self.severities.iter().copied().map(FilterPart::Severity));
        parts.extend(self.channels.iter().cloned().map(FilterPart::Channel));
        parts.extend(self.paths.iter().copied().map(FilterPart::Path));
        parts.extend(self.languages.iter().cloned().map(FilterPart::Language));
        parts.extend(self.from.map(FilterPart::From));
        parts.extend(self.to.map(FilterPart::To));
        parts.extend(self.review.iter().copied().map(FilterPart::Review));
        if !self.text.trim().is_empty() {
            parts.push(FilterPart::Text(self.text.trim().to_owned()));
        }
        parts
    }

    /// The filter without one of its values.
    #[must_use]
    pub fn without(&self, part: &FilterPart) -> Self {
        let mut filter = self.clone();
        match part {
            FilterPart::Rule(rule) => {
                filter.rules.remove(rule);
            }
            FilterPart::Law(law) => {
                filter.laws.remove(law);
            }
            FilterPart::Severity(severity) => {
                filter.severities.remove(severity);
            }
            FilterPart::Channel(channel) => {
                filter.channels.remove(channel);
            }
            FilterPart::Path(path) => {
                filter.paths.remove(path);
            }
            FilterPart::Language(code) => {
                filter.languages.remove(code);
            }
            FilterPart::From(_) => filter.from = None,
            FilterPart::To(_) => filter.to = None,
            FilterPart::Review(status) => {
                filter.review.remove(status);
            }
            FilterPart::Text(_) => filter.text.clear(),
            FilterPart::Drill(_) => filter.drill = None,
        }
        filter
    }

    /// The filter a drill-down from the overview sets: the overview's period and channels stay (the
    /// overview counted within them), everything else is replaced by `drill`.
    #[must_use]
    pub fn for_drill(&self, drill: Drill) -> Self {
        self.overview_scope().with_drill(drill)
    }

    /// Only the period and channels: what the overview's figures follow.
    #[must_use]
    pub fn overview_scope(&self) -> Self {
        Self {
            from: self.from,
            to: self.to,
            channels: self.channels.clone(),
            ..Self::default()
        }
    }

    /// This filter with `drill` set.
    #[must_use]
    pub fn with_drill(mut self, drill: Drill) -> Self {
        self.drill = Some(drill);
        self
    }

    /// Whether setting `next` drops values of this filter other than an earlier drill-down, so that the
    /// app can say earlier filters were replaced.
    pub fn replaced_by(&self, next: &Self) -> bool {
        self.parts()
            .iter()
            .any(|part| !matches!(part, FilterPart::Drill(_)) && !next.parts().contains(part))
    }
}

/// Whether a conversation is inside the period and channels of `filter` (what the overview counts).
pub fn in_overview_scope(filter: &FindingFilter, fact: &ConversationFacts) -> bool {
    (filter.channels.is_empty() || filter.channels.contains(&*fact.channel))
        && in_period(filter, fact.started_at)
}

/// Whether a finding is inside the period and channels of `filter`, dated as the findings list dates it
/// (its own time, else its conversation's start), so the overview's counts equal the list's.
pub fn finding_in_overview_scope(
    filter: &FindingFilter,
    finding: &Finding,
    fact: Option<&ConversationFacts>,
) -> bool {
    (filter.channels.is_empty() || fact.is_some_and(|f| filter.channels.contains(&*f.channel)))
        && in_period(filter, finding_time(finding, fact))
}

fn in_period(filter: &FindingFilter, time: Option<DateTime<Utc>>) -> bool {
    if filter.from.is_none() && filter.to.is_none() {
        return true;
    }
    time.map(|t| t.date_naive()).is_some_and(|day| {
        filter.from.is_none_or(|from| day >= from) && filter.to.is_none_or(|to| day <= to)
    })
}

/// The conversations (indices into `report.facts`, in report order) that pass the parts of `filter` that
/// describe conversations: drill-down, channel, path, language, period (by the conversation's start) and
/// search (in the conversation id, channel and language). Rule, legal basis, severity and review filters
/// are about findings and do not narrow this list.
pub fn conversation_query(report: &AuditReport, filter: &FindingFilter) -> Vec<usize> {
    let needle = text_matcher(&filter.text);
    // Channels and languages repeat across a million conversations: each distinct one is searched once,
    // here, and the per-conversation check is a set lookup (none at all when nothing matched).
    let mut channels = BTreeSet::new();
    let mut languages = BTreeSet::new();
    if let Some(needle) = &needle {
        let summary = &report.summary;
        if summary.conversations == report.facts.len() as u64 {
            // The summary counts every conversation by channel and language: its keys are all there are.
            channels.extend(summary.by_channel.keys().map(String::as_str));
            languages.extend(summary.by_language.keys().map(String::as_str));
        } else {
            channels.extend(report.facts.iter().map(|f| &*f.channel));
            languages.extend(report.facts.iter().map(|f| &*f.language));
        }
        channels.retain(|channel| needle.is_match(channel));
        languages.retain(|code| needle.is_match(&crate::detect::language_name(code)));
    }
    let keep = |index: usize, fact: &ConversationFacts, needle: Option<&TextMatcher>| -> bool {
        filter
            .drill
            .as_ref()
            .is_none_or(|drill| drill.contains(Some(index)))
            && (filter.channels.is_empty() || filter.channels.contains(&*fact.channel))
            && (filter.paths.is_empty() || filter.paths.contains(&fact.path))
            && (filter.languages.is_empty() || filter.languages.contains(&*fact.language))
            && in_period(filter, fact.started_at)
            && needle.is_none_or(|needle| {
                (!channels.is_empty() && channels.contains(&*fact.channel))
                    || (!languages.is_empty() && languages.contains(&*fact.language))
                    || needle.is_match(&fact.id)
            })
    };
    filter_in_parallel(&report.facts, needle.as_ref(), &keep)
}

/// The columns the table can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// Report order: conversation, message, rule.
    #[default]
    Conversation,
    /// Rule code.
    Rule,
    /// Severity.
    Severity,
    /// Channel.
    Channel,
    /// Handling path.
    Path,
    /// Time of the finding (or the conversation start).
    Time,
    /// Evidence text.
    Evidence,
    /// Review decision.
    Review,
}

/// A sort order: a column and a direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SortKey {
    /// The column.
    pub column: SortColumn,
    /// Largest first.
    pub descending: bool,
}

impl SortKey {
    /// Sorting by `column`; clicking the same column again flips the direction.
    pub fn toggled(self, column: SortColumn) -> Self {
        if self.column == column {
            Self {
                column,
                descending: !self.descending,
            }
        } else {
            Self {
                column,
                // Severity reads best most serious first; everything else starts ascending.
                descending: column == SortColumn::Severity,
            }
        }
    }
}

/// For each finding of `report`, the index of its conversation in `report.facts`.
pub fn finding_facts(report: &AuditReport) -> Vec<Option<usize>> {
    report
        .findings
        .iter()
        .map(|finding| fact_of(report, finding))
        .collect()
}

/// The index in `report.facts` of the conversation a finding belongs to.
pub fn fact_of(report: &AuditReport, finding: &Finding) -> Option<usize> {
    report
        .facts
        .binary_search_by(|f| {
            (f.id.as_bytes(), f.source).cmp(&(finding.conversation_id.as_bytes(), finding.source))
        })
        .ok()
}

/// The day a finding is dated by: its own time, else its conversation's start.
fn finding_time(finding: &Finding, fact: Option<&ConversationFacts>) -> Option<DateTime<Utc>> {
    finding
        .timestamp
        .or_else(|| fact.and_then(|f| f.started_at))
}

/// A case-insensitive literal search.
#[derive(Clone, Debug)]
enum TextMatcher {
    /// An ASCII needle (lowercased) whose letters have no case partner outside ASCII: matched byte by
    /// byte, ignoring ASCII case, which is what the regex engine's Unicode case folding does for such a
    /// needle, several times faster on the short texts of findings and conversation ids. `anchor` is
    /// the position of its rarest byte in English text, searched for first.
    Ascii { needle: Vec<u8>, anchor: usize },
    /// Any other needle, through the regex engine (Unicode case folding).
    Unicode(regex::Regex),
}

impl TextMatcher {
    fn is_match(&self, haystack: &str) -> bool {
        match self {
            Self::Ascii { needle, anchor } => {
                contains_ignore_ascii_case(haystack.as_bytes(), needle, *anchor)
            }
            Self::Unicode(regex) => regex.is_match(haystack),
        }
    }
}

/// Letters from the most to the least frequent in English: the later a needle's letter comes, the fewer
/// places in a text it stands, so the fewer candidates to check. Other bytes count as rarest.
const LETTERS_BY_FREQUENCY: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";

fn rarest_byte(needle: &[u8]) -> usize {
    let rank = |b: u8| {
        LETTERS_BY_FREQUENCY
            .iter()
            .position(|&l| l == b)
            .unwrap_or(LETTERS_BY_FREQUENCY.len())
    };
    (0..needle.len())
        .max_by_key(|&i| needle.get(i).map_or(0, |&b| rank(b)))
        .unwrap_or(0)
}

/// Whether `haystack` contains `needle` (lowercase ASCII), ignoring ASCII case. Candidates are the
/// places of the needle's byte at `anchor`, found in either case with a vectorised search.
fn contains_ignore_ascii_case(haystack: &[u8], needle: &[u8], anchor: usize) -> bool {
    let Some(&key) = needle.get(anchor) else {
        return true;
    };
    let mut from = anchor;
    while let Some(found) = haystack
        .get(from..)
        .and_then(|tail| memchr::memchr2(key, key.to_ascii_uppercase(), tail))
    {
        let start = from + found - anchor;
        if haystack
            .get(start..start + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
        {
            return true;
        }
        from += found + 1;
    }
    false
}

/// The matcher for a search text (`None` when it is blank). Unicode case folding gives `k` and `s` a
/// partner outside ASCII (the Kelvin sign, the long s), so needles with them go to the regex engine.
fn text_matcher(needle: &str) -> Option<TextMatcher> {
    let needle = needle.trim();
    if needle.is_empty() {
        return None;
    }
    let folds_outside_ascii = needle
        .bytes()
        .any(|b| matches!(b.to_ascii_lowercase(), b'k' | b's'));
    if needle.is_ascii() && !folds_outside_ascii {
        let needle = needle.to_ascii_lowercase().into_bytes();
        let anchor = rarest_byte(&needle);
        return Some(TextMatcher::Ascii { needle, anchor });
    }
    regex::RegexBuilder::new(&regex::escape(needle))
        .case_insensitive(true)
        .build()
        .ok()
        .map(TextMatcher::Unicode)
}

/// The findings of `report` that pass `filter`, as indices into `report.findings`, sorted by `sort`.
///
/// `facts` is [`finding_facts`] of the report (computed once per report), and `review` gives the review
/// decision of a finding by index. Ties keep report order, so the result is deterministic.
pub fn query(
    report: &AuditReport,
    facts: &[Option<usize>],
    review: &(dyn Fn(usize) -> ReviewStatus + Sync),
    filter: &FindingFilter,
    sort: SortKey,
) -> Vec<usize> {
    let needle = text_matcher(&filter.text);
    // Which rules the legal-basis filter lets through, worked out once rather than per finding.
    let rule_allowed = RuleId::ALL.map(|rule| {
        filter.laws.is_empty() || rule.laws().iter().any(|law| filter.laws.contains(law))
    });
    // A rule's code and title are the same for all its findings: searched once per rule.
    let rule_text_hit = RuleId::ALL.map(|rule| {
        needle
            .as_ref()
            .is_some_and(|n| n.is_match(rule.code()) || n.is_match(rule.title()))
    });
    let fact = |index: usize| indexed_fact(report, facts, index);
    let keep = |index: usize, finding: &Finding, needle: Option<&TextMatcher>| -> bool {
        let facts_of = fact(index);
        (filter.rules.is_empty() || filter.rules.contains(&finding.rule))
            && rule_allowed
                .get(finding.rule as usize)
                .copied()
                .unwrap_or(false)
            && (filter.severities.is_empty() || filter.severities.contains(&finding.severity))
            && (filter.channels.is_empty()
                || facts_of.is_some_and(|f| filter.channels.contains(&*f.channel)))
            && (filter.paths.is_empty() || facts_of.is_some_and(|f| filter.paths.contains(&f.path)))
            && (filter.languages.is_empty()
                || facts_of.is_some_and(|f| filter.languages.contains(&*f.language)))
            && (filter.from.is_none() && filter.to.is_none() || {
                let day = finding_time(finding, facts_of).map(|t| t.date_naive());
                day.is_some_and(|day| {
                    filter.from.is_none_or(|from| day >= from)
                        && filter.to.is_none_or(|to| day <= to)
                })
            })
            && (filter.review.is_empty() || filter.review.contains(&review(index)))
            && filter
                .drill
                .as_ref()
                .is_none_or(|drill| drill.contains(facts.get(index).copied().flatten()))
            && needle.is_none_or(|needle| {
                rule_text_hit
                    .get(finding.rule as usize)
                    .copied()
                    .unwrap_or(false)
                    || needle.is_match(&finding.conversation_id)
                    || needle.is_match(&finding.evidence)
                    || needle.is_match(&finding.explanation)
            })
    };
    let mut rows = filter_in_parallel(&report.findings, needle.as_ref(), &keep);
    sort_rows(report, facts, review, &mut rows, sort);
    rows
}

/// Sorts finding rows (indices into `report.findings`) by `sort`; report order breaks ties, so the result
/// does not depend on the order the rows come in, and is deterministic.
pub fn sort_rows(
    report: &AuditReport,
    facts: &[Option<usize>],
    review: &(dyn Fn(usize) -> ReviewStatus + Sync),
    rows: &mut Vec<usize>,
    sort: SortKey,
) {
    let fact = |index: usize| indexed_fact(report, facts, index);
    let findings = &report.findings;
    let descending = sort.descending;
    match sort.column {
        SortColumn::Conversation => {
            rows.sort_unstable();
            if descending {
                rows.reverse();
            }
        }
        SortColumn::Rule => count_into_place(rows, descending, |i| {
            findings.get(i).map(|f| f.rule as usize)
        }),
        SortColumn::Severity => count_into_place(rows, descending, |i| {
            findings.get(i).map(|f| f.severity as usize)
        }),
        SortColumn::Path => {
            count_into_place(rows, descending, |i| fact(i).map(|f| f.path as usize))
        }
        SortColumn::Review => count_into_place(rows, descending, |i| Some(review(i) as usize)),
        SortColumn::Time => sort_by_integer(rows, descending, |i| {
            let finding = findings.get(i)?;
            finding_time(finding, fact(i)).map(|t| t.timestamp_millis())
        }),
        SortColumn::Channel => sort_by_text(rows, descending, |i| fact(i).map(|f| &*f.channel)),
        SortColumn::Evidence => {
            sort_by_text(rows, descending, |i| findings.get(i).map(|f| &*f.evidence))
        }
    }
}

/// Sorts rows by a key of a handful of values (rule, severity, path, review state) by counting them into
/// place: report order within each value, a missing key first.
fn count_into_place(rows: &mut Vec<usize>, descending: bool, key: impl Fn(usize) -> Option<usize>) {
    rows.sort_unstable();
    let bucket = |index: usize| -> usize {
        let value = key(index).map_or(0, |v| (v + 1).min(SMALL_KEYS - 1));
        if descending {
            SMALL_KEYS - 1 - value
        } else {
            value
        }
    };
    let buckets: Vec<u8> = rows.iter().map(|&i| bucket(i) as u8).collect();
    let mut starts = [0usize; SMALL_KEYS];
    for &b in &buckets {
        if let Some(count) = starts.get_mut(usize::from(b)) {
            *count += 1;
        }
    }
    let mut next = 0;
    for slot in &mut starts {
        (*slot, next) = (next, next + *slot);
    }
    let mut sorted = vec![0; rows.len()];
    for (&row, &b) in rows.iter().zip(&buckets) {
        if let Some(at) = starts.get_mut(usize::from(b)) {
            if let Some(place) = sorted.get_mut(*at) {
                *place = row;
            }
            *at += 1;
        }
    }
    *rows = sorted;
}

/// Sorts rows by a 64-bit key (times): one integer per row, the key (65 bits) above the row's index (63
/// bits), sorted as plain integers, several times faster than comparing keys through a closure. A
/// missing key sorts first; report order breaks ties.
fn sort_by_integer(rows: &mut Vec<usize>, descending: bool, key: impl Fn(usize) -> Option<i64>) {
    let mut keyed: Vec<u128> = rows
        .iter()
        .map(|&index| {
            let primary = key(index).map_or(0, |v| u128::from(v.abs_diff(i64::MIN)) + 1);
            let primary = if descending {
                (u128::from(u64::MAX) + 1) - primary
            } else {
                primary
            };
            (primary << 63) | index as u128
        })
        .collect();
    keyed.sort_unstable();
    rows.clear();
    let index_bits = (1u128 << 63) - 1;
    rows.extend(keyed.into_iter().map(|key| (key & index_bits) as usize));
}

/// Sorts rows by text (channel, evidence), the key computed once per row rather than twice per
/// comparison. A missing key sorts first; report order breaks ties.
fn sort_by_text<'a>(
    rows: &mut Vec<usize>,
    descending: bool,
    key: impl Fn(usize) -> Option<&'a str>,
) {
    let mut keyed: Vec<(Option<&str>, usize)> = rows.iter().map(|&i| (key(i), i)).collect();
    keyed.sort_unstable_by(|a, b| {
        let primary = a.0.cmp(&b.0);
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then(a.1.cmp(&b.1))
    });
    *rows = keyed.into_iter().map(|(_, i)| i).collect();
}

/// How many values a small sort key has at most (rules, severities, paths, review states, and missing):
/// such keys are sorted by counting.
const SMALL_KEYS: usize = 32;

/// The conversation facts of finding `index`, through the finding-to-facts index.
fn indexed_fact<'r>(
    report: &'r AuditReport,
    facts: &[Option<usize>],
    index: usize,
) -> Option<&'r ConversationFacts> {
    facts
        .get(index)
        .copied()
        .flatten()
        .and_then(|i| report.facts.get(i))
}

/// The indices of the items (findings or conversations) `keep` accepts, in order, checked on all cores.
///
/// Each thread gets its own copy of the text matcher: a shared regex makes threads queue for its scratch
/// space, which is slower than one thread alone.
fn filter_in_parallel<T: Sync>(
    findings: &[T],
    needle: Option<&TextMatcher>,
    keep: &(dyn Fn(usize, &T, Option<&TextMatcher>) -> bool + Sync),
) -> Vec<usize> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    let chunk = findings.len().div_ceil(threads).max(1);
    let run = |number: usize, part: &[T]| -> Vec<usize> {
        let offset = number * chunk;
        let needle = needle.cloned();
        part.iter()
            .enumerate()
            .filter(|(i, finding)| keep(offset + i, finding, needle.as_ref()))
            .map(|(i, _)| offset + i)
            .collect()
    };
    if threads == 1 || findings.len() < 10_000 {
        return run(0, findings);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = findings
            .chunks(chunk)
            .enumerate()
            .map(|(number, part)| {
                let worker = std::thread::Builder::new()
                    .name(format!("candor-query-{number}"))
                    .spawn_scoped(scope, move || run(number, part));
                (number, part, worker)
            })
            .collect();
        let mut rows = Vec::new();
        for (number, part, worker) in handles {
            // A chunk whose thread could not start (or stopped) is done here, so no row is ever lost.
            match worker.map(std::thread::ScopedJoinHandle::join) {
                Ok(Ok(mut found)) => rows.append(&mut found),
                _ => rows.append(&mut run(number, part)),
            }
        }
        rows
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Finding, HandlingPath};

    fn facts(id: &str, channel: &str, path: HandlingPath, day: u32) -> ConversationFacts {
        ConversationFacts {
            language: "en".into(),
            assessed: true,
            id: id.into(),
            source: 0,
            channel: channel.into(),
            path,
            messages: 3,
            disclosed: false,
            disclosed_in_time: false,
            human_offered: false,
            human_requests: 0,
            human_request_unmet: false,
            failed_handoffs: 0,
            secs_to_escalation: None,
            ai_turns_before_escalation: None,
            csat: None,
            started_at: DateTime::parse_from_rfc3339(&format!("2026-01-{day:02}T10:00:00Z"))
                .ok()
                .map(|t| t.with_timezone(&Utc)),
            ended_at: None,
        }
    }

    fn finding(id: &str, rule: RuleId, evidence: &str) -> Finding {
        Finding {
            conversation_id: id.into(),
            rule,
            severity: rule.severity(),
            message_index: Some(1),
            timestamp: None,
            evidence: evidence.into(),
            explanation: format!("Because of {evidence}").into(),
            source: 0,
            evidence_span: None,
            more_evidence: Box::default(),
        }
    }

    fn report() -> AuditReport {
        AuditReport {
            facts: vec![
                facts("a", "chat", HandlingPath::AiOnly, 5),
                facts("b", "voice", HandlingPath::Escalated, 12),
                facts("c", "email", HandlingPath::AiOnly, 20),
            ],
            findings: vec![
                finding("a", RuleId::DisclosureMissing, ""),
                finding("a", RuleId::HumanOptionMissing, ""),
                finding("b", RuleId::AiIdentityDenied, "I'm a real person"),
                finding("c", RuleId::HumanRequestUnmet, "Let me talk to a HUMAN"),
            ],
            ..AuditReport::default()
        }
    }

    /// The test reviews: finding 2 confirmed, the rest open.
    fn review(i: usize) -> ReviewStatus {
        if i == 2 {
            ReviewStatus::Confirmed
        } else {
            ReviewStatus::Open
        }
    }

    fn run(filter: &FindingFilter, sort: SortKey) -> Vec<usize> {
        let report = report();
        let facts = finding_facts(&report);
        let review = |i: usize| review(i);
        query(&report, &facts, &review, filter, sort)
    }

    #[test]
    fn empty_filter_keeps_report_order() {
        assert_eq!(
            run(&FindingFilter::default(), SortKey::default()),
            vec![0, 1, 2, 3]
        );
    }

    #[test]
    fn filters_combine() {
        let mut filter = FindingFilter::default();
        filter.paths.insert(HandlingPath::AiOnly);
        assert_eq!(run(&filter, SortKey::default()), vec![0, 1, 3]);
        filter.channels.insert("email".to_owned());
        assert_eq!(run(&filter, SortKey::default()), vec![3]);
        let mut by_severity = FindingFilter::default();
        by_severity.severities.insert(Severity::Critical);
        assert_eq!(run(&by_severity, SortKey::default()), vec![2]);
        let mut by_review = FindingFilter::default();
        by_review.review.insert(ReviewStatus::Open);
        assert_eq!(run(&by_review, SortKey::default()), vec![0, 1, 3]);
    }

    #[test]
    fn legal_basis_filter_keeps_the_rules_citing_that_law() {
        let mut filter = FindingFilter::default();
        filter.laws.insert(Law::CfpbChatbots);
        // HUMAN_OPTION_MISSING and HUMAN_REQUEST_UNMET cite the CFPB; the disclosure rules do not.
        assert_eq!(run(&filter, SortKey::default()), vec![1, 3]);
        filter.laws.insert(Law::FtcAct);
        assert_eq!(run(&filter, SortKey::default()), vec![1, 2, 3]);
        assert!(
            filter
                .describe()
                .contains("legal basis: CFPB chatbot guidance, FTC Act")
        );
        let mut utah = FindingFilter::default();
        utah.laws.insert(Law::UtahAiDisclosure);
        assert_eq!(run(&utah, SortKey::default()), vec![2]);
    }

    #[test]
    fn text_is_case_insensitive() {
        let filter = FindingFilter {
            text: "human".to_owned(),
            ..FindingFilter::default()
        };
        // Matches the rule of 1 (HUMAN_OPTION_MISSING), the title of 2 ("AI claimed to be human") and the
        // evidence of 3 ("HUMAN").
        assert_eq!(run(&filter, SortKey::default()), vec![1, 2, 3]);
    }

    #[test]
    fn date_range_uses_conversation_start() {
        let filter = FindingFilter {
            from: NaiveDate::from_ymd_opt(2026, 1, 10),
            to: NaiveDate::from_ymd_opt(2026, 1, 15),
            ..FindingFilter::default()
        };
        assert_eq!(run(&filter, SortKey::default()), vec![2]);
    }

    #[test]
    fn drill_down_limits_to_conversations() {
        let report = report();
        let filter = FindingFilter {
            drill: Some(Drill::of("AI only", &report.facts, |f| f.id == "c")),
            ..FindingFilter::default()
        };
        assert_eq!(run(&filter, SortKey::default()), vec![3]);
    }

    #[test]
    fn sorting_is_stable_and_reversible() {
        let severity = SortKey::default().toggled(SortColumn::Severity);
        assert!(severity.descending);
        assert_eq!(run(&FindingFilter::default(), severity), vec![2, 0, 3, 1]);
        assert_eq!(
            run(
                &FindingFilter::default(),
                severity.toggled(SortColumn::Severity)
            ),
            vec![1, 0, 3, 2]
        );
        let reversed = SortKey {
            column: SortColumn::Conversation,
            descending: true,
        };
        assert_eq!(run(&FindingFilter::default(), reversed), vec![3, 2, 1, 0]);
    }

    /// Sorting rows already sorted by something else gives what a fresh query gives (the app re-sorts the
    /// rows it shows), for every column and both directions; numbers with missing values and times.
    #[test]
    fn resorting_agrees_with_a_fresh_query() {
        let mut report = report();
        for (k, finding) in report.findings.iter_mut().enumerate() {
            // Two with the same time (a tie), one without (it falls back to its conversation's start,
            // the latest of all).
            finding.timestamp = [Some(20), Some(5), None, Some(5)][k].map(|minutes| {
                chrono::DateTime::from_timestamp(minutes * 60, 0).unwrap_or_default()
            });
        }
        let facts = finding_facts(&report);
        let review = |i: usize| review(i);
        let all = FindingFilter::default();
        for column in [
            SortColumn::Conversation,
            SortColumn::Rule,
            SortColumn::Severity,
            SortColumn::Channel,
            SortColumn::Path,
            SortColumn::Time,
            SortColumn::Evidence,
            SortColumn::Review,
        ] {
            for descending in [false, true] {
                let sort = SortKey { column, descending };
                let fresh = query(&report, &facts, &review, &all, sort);
                for start in [vec![3, 1, 0, 2], vec![2, 3, 0, 1]] {
                    let mut rows = start;
                    sort_rows(&report, &facts, &review, &mut rows, sort);
                    assert_eq!(rows, fresh, "{sort:?}");
                }
            }
        }
        let by_time = |descending| {
            let sort = SortKey {
                column: SortColumn::Time,
                descending,
            };
            query(&report, &facts, &review, &all, sort)
        };
        // By time, report order breaking the tie; reversed, the tie still in report order.
        assert_eq!(by_time(false), vec![1, 3, 0, 2]);
        assert_eq!(by_time(true), vec![2, 0, 1, 3]);
    }

    #[test]
    fn describe_names_every_part() {
        let mut filter = FindingFilter::default();
        assert_eq!(filter.describe(), "no filter");
        filter.rules.insert(RuleId::DisclosureLate);
        filter.text = " refund ".to_owned();
        assert_eq!(filter.describe(), "rule: DISCLOSURE_LATE; text: refund");
    }

    #[test]
    fn a_million_findings() {
        let mut report = report();
        report.findings = (0..1_000_000)
            .map(|i| {
                finding(
                    ["a", "b", "c"][i % 3],
                    RuleId::ALL[i % 7],
                    "some evidence text",
                )
            })
            .collect();
        crate::audit::sort_findings(&mut report.findings);
        let facts = finding_facts(&report);
        let filter = FindingFilter {
            text: "EVIDENCE".to_owned(),
            ..FindingFilter::default()
        };
        let rows = query(
            &report,
            &facts,
            &|_| ReviewStatus::Open,
            &filter,
            SortKey::default().toggled(SortColumn::Rule),
        );
        assert_eq!(rows.len(), 1_000_000);
    }

    #[test]
    fn each_filter_value_is_a_part_that_removes_alone() {
        let mut filter = FindingFilter {
            text: " refund ".to_owned(),
            from: NaiveDate::from_ymd_opt(2026, 1, 5),
            ..FindingFilter::default()
        };
        filter.rules.insert(RuleId::DisclosureMissing);
        filter.rules.insert(RuleId::AiIdentityDenied);
        filter.languages.insert("da".to_owned());
        let parts = filter.parts();
        assert_eq!(parts.len(), 5);
        let labels: Vec<String> = parts.iter().map(FilterPart::label).collect();
        assert!(
            labels.contains(&"Search: “refund”".to_owned()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"From: 2026-01-05".to_owned()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"Language: Danish".to_owned()),
            "{labels:?}"
        );
        let fewer = filter.without(&FilterPart::Rule(RuleId::DisclosureMissing));
        assert_eq!(fewer.rules.len(), 1);
        assert_eq!(fewer.parts().len(), 4);
        assert!(filter.replaced_by(&FindingFilter::default()));
        assert!(!FindingFilter::default().replaced_by(&filter));
        let empty = parts.iter().fold(filter, |f, part| f.without(part));
        assert!(empty.is_empty());
    }

    #[test]
    fn ascii_search_agrees_with_unicode_case_folding() {
        let texts = [
            "Refund please",
            "no REFUND",
            "refun",
            "a refund",
            "Überweisung refundiert",
            "ſtop",
            "\u{212A}elvin",
            "",
        ];
        for needle in [
            "refund", "REF", "d", "fund ", "stop", "kelvin", "über", "a r",
        ] {
            let fast = text_matcher(needle).unwrap();
            let regex = regex::RegexBuilder::new(&regex::escape(needle.trim()))
                .case_insensitive(true)
                .build()
                .unwrap();
            for text in texts {
                assert_eq!(
                    fast.is_match(text),
                    regex.is_match(text),
                    "{needle:?} in {text:?}"
                );
            }
        }
        // Needles with k or s, and non-ASCII ones, go to the regex engine.
        assert!(matches!(
            text_matcher("stop"),
            Some(TextMatcher::Unicode(_))
        ));
        assert!(matches!(
            text_matcher("über"),
            Some(TextMatcher::Unicode(_))
        ));
        assert!(matches!(
            text_matcher(" refund "),
            Some(TextMatcher::Ascii { .. })
        ));
        assert!(text_matcher("  ").is_none());
    }
}
