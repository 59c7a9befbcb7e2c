//! Summary statistics over audited conversations: rates, escalation, satisfaction with confidence intervals.
//!
//! Everything is computed from [`ConversationFacts`] and [`Finding`]s in a fixed order, and every map is a
//! `BTreeMap`, so the same input always gives the same numbers, byte for byte.

use std::collections::BTreeMap;

use chrono::Datelike as _;
use serde::Serialize;

use crate::rules::{ConversationFacts, Finding, HandlingPath, RuleId, Severity};

/// How many conversations took each path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PathCounts {
    /// Handled by the AI alone.
    pub ai_only: u64,
    /// Handed from the AI to a human.
    pub escalated: u64,
    /// Handled by humans only.
    pub human_only: u64,
    /// Answered by nobody.
    pub no_agent: u64,
}

impl PathCounts {
    /// The count of one path.
    pub fn count(&self, path: HandlingPath) -> u64 {
        match path {
            HandlingPath::AiOnly => self.ai_only,
            HandlingPath::Escalated => self.escalated,
            HandlingPath::HumanOnly => self.human_only,
            HandlingPath::NoAgent => self.no_agent,
        }
    }

    fn add(&mut self, path: HandlingPath) {
        match path {
            HandlingPath::AiOnly => self.ai_only += 1,
            HandlingPath::Escalated => self.escalated += 1,
            HandlingPath::HumanOnly => self.human_only += 1,
            HandlingPath::NoAgent => self.no_agent += 1,
        }
    }
}

/// Requests for a human made to the AI.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HumanRequests {
    /// Conversations in which the customer asked for a human.
    pub conversations: u64,
    /// Of those, conversations where no human came.
    pub unmet: u64,
    /// Conversations escalated only after two or more requests.
    pub repeated: u64,
    /// Requests counted over all conversations.
    pub requests: u64,
}

/// A distribution summarised by its centre and tail.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Distribution {
    /// How many values.
    pub count: u64,
    /// The median, if there are values.
    pub median: Option<f64>,
    /// The 90th percentile (nearest rank).
    pub p90: Option<f64>,
    /// The mean.
    pub mean: Option<f64>,
}

impl Distribution {
    /// Summarises values (any order).
    pub fn of(mut values: Vec<f64>) -> Self {
        values.retain(|v| v.is_finite());
        values.sort_by(f64::total_cmp);
        let count = values.len();
        if count == 0 {
            return Self::default();
        }
        let median = if count % 2 == 1 {
            values.get(count / 2).copied()
        } else {
            values
                .get(count / 2 - 1)
                .zip(values.get(count / 2))
                .map(|(a, b)| (a + b) / 2.0)
        };
        let rank = ((0.9 * count as f64).ceil() as usize).clamp(1, count);
        Self {
            count: count as u64,
            median: median.map(round),
            p90: values.get(rank - 1).copied().map(round),
            mean: Some(round(values.iter().sum::<f64>() / count as f64)),
        }
    }
}

/// Satisfaction ratings of a group of conversations.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CsatStats {
    /// Conversations in the group.
    pub conversations: u64,
    /// Ratings given.
    pub responses: u64,
    /// Mean rating (1–5).
    pub mean: Option<f64>,
    /// 95% confidence interval of the mean.
    pub mean_ci95: Option<[f64; 2]>,
    /// Share of ratings that are 4 or 5.
    pub satisfied_share: Option<f64>,
    /// 95% (Wilson) confidence interval of that share.
    pub satisfied_share_ci95: Option<[f64; 2]>,
}

impl CsatStats {
    fn of(conversations: u64, ratings: &Ratings) -> Self {
        let n = ratings.len();
        if n == 0 {
            return Self {
                conversations,
                ..Self::default()
            };
        }
        let nf = n as f64;
        let mean = ratings.mean();
        let satisfied = ratings.satisfied() as f64;
        let share = satisfied / nf;
        let mean_ci95 = (n >= 2).then(|| {
            let half = t95(nf - 1.0) * (ratings.variance(mean) / nf).sqrt();
            // Ratings live on 1–5, so an interval past the scale says no more than its edge does.
            [round((mean - half).max(1.0)), round((mean + half).min(5.0))]
        });
        Self {
            conversations,
            responses: n,
            mean: Some(round(mean)),
            mean_ci95,
            satisfied_share: Some(round(share)),
            satisfied_share_ci95: Some(wilson(satisfied, nf)),
        }
    }
}

/// The satisfaction ratings of a group, kept as how often each value was given: a million ratings on a
/// 1–5 scale are a handful of entries, not a list of a million numbers held while the summary is made.
#[derive(Clone, Debug, Default)]
struct Ratings {
    /// Count per value, keyed so that the keys sort as the values do.
    counts: BTreeMap<u64, u64>,
}

impl FromIterator<f64> for Ratings {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut ratings = Self::default();
        for value in values {
            ratings.add(value);
        }
        ratings
    }
}

impl Ratings {
    /// A key that sorts as the value does (negative values included).
    fn key(value: f64) -> u64 {
        let bits = value.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        }
    }

    fn value(key: u64) -> f64 {
        f64::from_bits(if key >> 63 == 1 {
            key & !(1 << 63)
        } else {
            !key
        })
    }

    fn add(&mut self, value: f64) {
        *self.counts.entry(Self::key(value)).or_default() += 1;
    }

    fn merge(&mut self, other: &Self) {
        for (&key, &count) in &other.counts {
            *self.counts.entry(key).or_default() += count;
        }
    }

    fn merged<'r>(groups: impl IntoIterator<Item = &'r Self>) -> Self {
        let mut all = Self::default();
        for group in groups {
            all.merge(group);
        }
        all
    }

    /// Each value given, with how often, in ascending order.
    fn iter(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.counts
            .iter()
            .map(|(&key, &count)| (Self::value(key), count))
    }

    fn len(&self) -> u64 {
        self.counts.values().sum()
    }

    fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    fn mean(&self) -> f64 {
        self.iter().map(|(v, c)| v * c as f64).sum::<f64>() / self.len() as f64
    }

    /// The sample variance around `mean`.
    fn variance(&self, mean: f64) -> f64 {
        let n = self.len() as f64;
        if n < 2.0 {
            return 0.0;
        }
        self.iter()
            .map(|(v, c)| (v - mean).powi(2) * c as f64)
            .sum::<f64>()
            / (n - 1.0)
    }

    /// Ratings of 4 or 5.
    fn satisfied(&self) -> u64 {
        self.iter().filter(|&(v, _)| v >= 4.0).map(|(_, c)| c).sum()
    }
}

/// AI-only minus human-handled satisfaction, with intervals.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CsatDifference {
    /// AI-only mean minus human-handled mean.
    pub mean_difference: Option<f64>,
    /// 95% (Welch) confidence interval of the difference.
    pub mean_difference_ci95: Option<[f64; 2]>,
    /// AI-only satisfied share minus human-handled satisfied share.
    pub satisfied_share_difference: Option<f64>,
    /// 95% confidence interval of that difference.
    pub satisfied_share_difference_ci95: Option<[f64; 2]>,
}

/// Satisfaction overall and broken down.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CsatSummary {
    /// All rated conversations.
    #[serde(flatten)]
    pub overall: CsatStats,
    /// By handling path.
    pub by_path: BTreeMap<String, CsatStats>,
    /// AI-only and human-handled (escalated plus human-only) side by side.
    pub ai_only: CsatStats,
    /// Escalated plus human-only conversations.
    pub human_handled: CsatStats,
    /// AI-only minus human-handled.
    pub ai_only_vs_human_handled: CsatDifference,
    /// By channel.
    pub by_channel: BTreeMap<String, CsatStats>,
    /// By ISO week of the conversation start ("2026-W10").
    pub by_week: BTreeMap<String, CsatStats>,
    /// How many ratings of each value (rounded to whole stars) per path.
    pub distribution_by_path: BTreeMap<String, [u64; 5]>,
}

/// Conversation counts and rates for one group (a channel or a week).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GroupStats {
    /// Conversations.
    pub conversations: u64,
    /// Conversations with an AI.
    pub ai_involved: u64,
    /// Conversations the AI handed to a human.
    pub escalated: u64,
    /// Escalated share of AI-involved conversations.
    pub escalation_rate: Option<f64>,
    /// Disclosed share of AI-involved conversations.
    pub disclosure_rate: Option<f64>,
    /// Conversations with at least one finding.
    pub with_findings: u64,
    /// AI-involved conversations with a verdict (language covered): the disclosure rate's denominator.
    #[serde(skip)]
    pub assessed_ai: u64,
}

/// Everything the summary of an audit says.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Conversations audited.
    pub conversations: u64,
    /// Messages (and events) audited.
    pub messages: u64,
    /// Conversations in which an AI took part.
    pub ai_involved: u64,
    /// Conversations per handling path.
    pub paths: PathCounts,
    /// Share of AI-involved conversations that disclosed the AI.
    pub disclosure_rate: Option<f64>,
    /// Share of AI-involved conversations that disclosed at the first AI interaction.
    pub timely_disclosure_rate: Option<f64>,
    /// Share of AI-involved conversations that offered a human (or reached one).
    pub human_option_rate: Option<f64>,
    /// Share of AI-involved conversations handed to a human.
    pub escalation_rate: Option<f64>,
    /// Share of AI-involved conversations the AI kept (1 − escalation rate).
    pub containment_rate: Option<f64>,
    /// Transfers after which the AI carried on and no human came.
    pub failed_handoffs: u64,
    /// Requests for a human.
    pub human_requests: HumanRequests,
    /// Seconds from the first AI message to the first human message.
    pub seconds_to_escalation: Distribution,
    /// AI messages before the escalation.
    pub ai_turns_before_escalation: Distribution,
    /// Satisfaction.
    pub csat: CsatSummary,
    /// AI-involved conversations in a language the rule pack does not cover: no verdict was given, and
    /// the disclosure and human-option rates leave them out.
    pub not_assessed: u64,
    /// Those conversations per language code.
    pub not_assessed_by_language: BTreeMap<String, u64>,
    /// Conversations per language code, as detected (or set).
    pub by_language: BTreeMap<String, u64>,
    /// Findings per rule code (every rule listed).
    pub findings_by_rule: BTreeMap<String, u64>,
    /// Findings per severity (every severity listed).
    pub findings_by_severity: BTreeMap<String, u64>,
    /// Conversations with at least one finding.
    pub conversations_with_findings: u64,
    /// Counts and rates per channel.
    pub by_channel: BTreeMap<String, GroupStats>,
    /// Counts and rates per ISO week of the conversation start.
    pub by_week: BTreeMap<String, GroupStats>,
}

impl Summary {
    /// The languages of the conversations not assessed, for people: "Polish 3, Turkish 1".
    #[must_use]
    pub fn not_assessed_languages(&self) -> String {
        self.not_assessed_by_language
            .iter()
            .map(|(code, n)| format!("{} {n}", crate::detect::language_name(code)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Summarises facts and findings. `facts` should be in a fixed order for byte-identical sums.
pub fn summarize(facts: &[ConversationFacts], findings: &[Finding]) -> Summary {
    let mut summary = Summary::default();
    let flagged = Flagged::of(findings);
    summary.conversations_with_findings = flagged.count();

    let mut ai_involved = 0u64;
    // AI conversations with a verdict: the denominator of the compliance rates.
    let mut assessed_ai = 0u64;
    let (mut disclosed, mut timely, mut offered) = (0u64, 0u64, 0u64);
    let mut escalation_secs = Vec::new();
    let mut escalation_turns = Vec::new();
    let mut ratings_by_path: BTreeMap<HandlingPath, Ratings> = BTreeMap::new();
    let mut ratings_by_channel: BTreeMap<String, Ratings> = BTreeMap::new();
    let mut ratings_by_week: BTreeMap<String, Ratings> = BTreeMap::new();
    let mut conversations_by_path = PathCounts::default();
    let mut conversations_by_week: BTreeMap<String, u64> = BTreeMap::new();

    for fact in facts {
        summary.conversations += 1;
        summary.messages += fact.messages as u64;
        summary.paths.add(fact.path);
        conversations_by_path.add(fact.path);
        let week = fact.started_at.map(iso_week);
        let has_findings = flagged.contains(fact.source, fact.id.as_str());
        for group in [
            Some(
                summary
                    .by_channel
                    .entry(fact.channel.to_string())
                    .or_default(),
            ),
            week.clone().map(|w| summary.by_week.entry(w).or_default()),
        ]
        .into_iter()
        .flatten()
        {
            group.conversations += 1;
            if fact.ai_involved() {
                group.ai_involved += 1;
            }
            if fact.ai_involved() && fact.assessed {
                group.assessed_ai += 1;
                // Rates are finished below; here they hold counts.
                *group.disclosure_rate.get_or_insert(0.0) += f64::from(u8::from(fact.disclosed));
            }
            if fact.path == HandlingPath::Escalated {
                group.escalated += 1;
            }
            if has_findings {
                group.with_findings += 1;
            }
        }
        if let Some(week) = &week {
            *conversations_by_week.entry(week.clone()).or_default() += 1;
        }
        *summary
            .by_language
            .entry(fact.language.to_string())
            .or_default() += 1;
        if fact.ai_involved() {
            ai_involved += 1;
        }
        if fact.ai_involved() && !fact.assessed {
            summary.not_assessed += 1;
            *summary
                .not_assessed_by_language
                .entry(fact.language.to_string())
                .or_default() += 1;
        } else if fact.ai_involved() {
            assessed_ai += 1;
            disclosed += u64::from(fact.disclosed);
            timely += u64::from(fact.disclosed_in_time);
            offered += u64::from(fact.human_offered || fact.path == HandlingPath::Escalated);
        }
        if fact.human_requests > 0 {
            summary.human_requests.conversations += 1;
            summary.human_requests.requests += fact.human_requests as u64;
        }
        summary.human_requests.unmet += u64::from(fact.human_request_unmet);
        summary.failed_handoffs += fact.failed_handoffs as u64;
        if let Some(secs) = fact.secs_to_escalation {
            escalation_secs.push(secs);
        }
        if let Some(turns) = fact.ai_turns_before_escalation {
            escalation_turns.push(turns as f64);
        }
        if let Some(rating) = fact.csat {
            ratings_by_path.entry(fact.path).or_default().add(rating);
            ratings_by_channel
                .entry(fact.channel.to_string())
                .or_default()
                .add(rating);
            if let Some(week) = week {
                ratings_by_week.entry(week).or_default().add(rating);
            }
        }
    }
    for group in summary
        .by_channel
        .values_mut()
        .chain(summary.by_week.values_mut())
    {
        let disclosed = group.disclosure_rate.unwrap_or(0.0);
        group.disclosure_rate = rate(disclosed as u64, group.assessed_ai);
        group.escalation_rate = rate(group.escalated, group.ai_involved);
    }

    summary.ai_involved = ai_involved;
    summary.disclosure_rate = rate(disclosed, assessed_ai);
    summary.timely_disclosure_rate = rate(timely, assessed_ai);
    summary.human_option_rate = rate(offered, assessed_ai);
    summary.escalation_rate = rate(summary.paths.escalated, ai_involved);
    summary.containment_rate = rate(summary.paths.ai_only, ai_involved);
    summary.human_requests.repeated = findings
        .iter()
        .filter(|f| f.rule == RuleId::HumanRequestRepeated)
        .count() as u64;
    summary.seconds_to_escalation = Distribution::of(escalation_secs);
    summary.ai_turns_before_escalation = Distribution::of(escalation_turns);

    let all = Ratings::merged(ratings_by_path.values());
    let csat = &mut summary.csat;
    csat.overall = CsatStats::of(summary.conversations, &all);
    let none = Ratings::default();
    for path in HandlingPath::ALL {
        let ratings = ratings_by_path.get(&path).unwrap_or(&none);
        csat.by_path.insert(
            path.as_str().to_owned(),
            CsatStats::of(conversations_by_path.count(path), ratings),
        );
        let mut stars = [0u64; 5];
        for (rating, count) in ratings.iter() {
            let star = (rating.round() as usize).clamp(1, 5) - 1;
            if let Some(slot) = stars.get_mut(star) {
                *slot += count;
            }
        }
        csat.distribution_by_path
            .insert(path.as_str().to_owned(), stars);
    }
    let ai_only = ratings_by_path
        .get(&HandlingPath::AiOnly)
        .cloned()
        .unwrap_or_default();
    let human = Ratings::merged(
        [HandlingPath::Escalated, HandlingPath::HumanOnly]
            .iter()
            .filter_map(|p| ratings_by_path.get(p)),
    );
    csat.ai_only = CsatStats::of(conversations_by_path.ai_only, &ai_only);
    csat.human_handled = CsatStats::of(
        conversations_by_path.escalated + conversations_by_path.human_only,
        &human,
    );
    csat.ai_only_vs_human_handled = difference(&ai_only, &human);
    for (channel, ratings) in &ratings_by_channel {
        let conversations = summary
            .by_channel
            .get(channel)
            .map_or(0, |g| g.conversations);
        csat.by_channel
            .insert(channel.clone(), CsatStats::of(conversations, ratings));
    }
    for (week, ratings) in &ratings_by_week {
        let conversations = conversations_by_week.get(week).copied().unwrap_or(0);
        csat.by_week
            .insert(week.clone(), CsatStats::of(conversations, ratings));
    }

    for rule in RuleId::ALL {
        summary.findings_by_rule.insert(rule.code().to_owned(), 0);
    }
    for severity in Severity::ALL {
        summary
            .findings_by_severity
            .insert(severity.as_str().to_owned(), 0);
    }
    for finding in findings {
        *summary
            .findings_by_rule
            .entry(finding.rule.code().to_owned())
            .or_default() += 1;
        *summary
            .findings_by_severity
            .entry(finding.severity.as_str().to_owned())
            .or_default() += 1;
    }
    summary
}

/// The conversations that have findings.
enum Flagged<'f> {
    /// Findings in the audit's order (by conversation and input, as every audit returns them), searched
    /// where they are: a set of a million keys would be built only to be asked once per conversation.
    Sorted(&'f [Finding]),
    /// Findings in another order.
    Set(std::collections::BTreeSet<(usize, &'f str)>),
}

impl<'f> Flagged<'f> {
    fn of(findings: &'f [Finding]) -> Self {
        let key = |f: &'f Finding| (f.conversation_id.as_str(), f.source);
        if findings.is_sorted_by(|a, b| key(a) <= key(b)) {
            Self::Sorted(findings)
        } else {
            Self::Set(
                findings
                    .iter()
                    .map(|f| (f.source, f.conversation_id.as_str()))
                    .collect(),
            )
        }
    }

    /// How many conversations have findings.
    fn count(&self) -> u64 {
        match self {
            Self::Sorted(findings) => findings
                .chunk_by(|a, b| (&a.conversation_id, a.source) == (&b.conversation_id, b.source))
                .count() as u64,
            Self::Set(set) => set.len() as u64,
        }
    }

    fn contains(&self, source: usize, id: &str) -> bool {
        match self {
            Self::Sorted(findings) => {
                let at = findings
                    .partition_point(|f| (f.conversation_id.as_str(), f.source) < (id, source));
                findings
                    .get(at)
                    .is_some_and(|f| f.source == source && f.conversation_id == id)
            }
            Self::Set(set) => set.contains(&(source, id)),
        }
    }
}

/// The ISO week of a time, as "2026-W09".
pub fn iso_week(time: chrono::DateTime<chrono::Utc>) -> String {
    let week = time.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// `part / whole`, or `None` when there is nothing to divide.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round(part as f64 / whole as f64))
}

/// Rounds to six decimals, so exports read cleanly and do not show float noise.
fn round(value: f64) -> f64 {
    (value * 1.0e6).round() / 1.0e6
}

/// The two-sided 95% quantile of Student's t with `df` degrees of freedom (Cornish–Fisher expansion;
/// within 0.01 of the exact value for df ≥ 3 and exact in the limit).
fn t95(df: f64) -> f64 {
    const Z: f64 = 1.959_964;
    if df < 1.0 {
        return f64::NAN;
    }
    let z3 = Z.powi(3);
    let z5 = Z.powi(5);
    let z7 = Z.powi(7);
    Z + (z3 + Z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * Z) / (96.0 * df.powi(2))
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * Z) / (384.0 * df.powi(3))
}

/// Wilson score interval for `successes` of `n`.
fn wilson(successes: f64, n: f64) -> [f64; 2] {
    const Z: f64 = 1.959_964;
    let p = successes / n;
    let denominator = 1.0 + Z * Z / n;
    let centre = (p + Z * Z / (2.0 * n)) / denominator;
    let half = Z * (p * (1.0 - p) / n + Z * Z / (4.0 * n * n)).sqrt() / denominator;
    [
        round((centre - half).max(0.0)),
        round((centre + half).min(1.0)),
    ]
}

fn difference(a: &Ratings, b: &Ratings) -> CsatDifference {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    if a.is_empty() || b.is_empty() {
        return CsatDifference::default();
    }
    let (ma, mb) = (a.mean(), b.mean());
    let (va, vb) = (a.variance(ma) / na, b.variance(mb) / nb);
    let mean_difference_ci95 = (a.len() >= 2 && b.len() >= 2 && va + vb > 0.0).then(|| {
        // Welch–Satterthwaite degrees of freedom.
        let df = (va + vb).powi(2) / (va.powi(2) / (na - 1.0) + vb.powi(2) / (nb - 1.0));
        let half = t95(df) * (va + vb).sqrt();
        [
            round((ma - mb - half).max(-4.0)),
            round((ma - mb + half).min(4.0)),
        ]
    });
    let pa = a.satisfied() as f64 / na;
    let pb = b.satisfied() as f64 / nb;
    let half = 1.959_964 * (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    CsatDifference {
        mean_difference: Some(round(ma - mb)),
        mean_difference_ci95,
        satisfied_share_difference: Some(round(pa - pb)),
        satisfied_share_difference_ci95: Some([
            round((pa - pb - half).max(-1.0)),
            round((pa - pb + half).min(1.0)),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_kept_as_counts_give_the_same_figures_as_the_list() {
        let values = [4.5, 1.0, 3.25, 5.0, 4.5, 2.0, 5.0, 4.5, 1.0];
        let ratings: Ratings = values.into_iter().collect();
        assert_eq!(ratings.len(), values.len() as u64);
        assert_eq!(ratings.counts.len(), 5);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((ratings.mean() - mean).abs() < 1e-12);
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 8.0;
        assert!((ratings.variance(mean) - variance).abs() < 1e-12);
        assert_eq!(ratings.satisfied(), 5);
        let order: Vec<f64> = ratings.iter().map(|(v, _)| v).collect();
        assert_eq!(order, [1.0, 2.0, 3.25, 4.5, 5.0]);
        // Keys sort as values do, negative ones too.
        let keyed: Ratings = [-1.5, 0.0, -3.0, 2.0].into_iter().collect();
        let order: Vec<f64> = keyed.iter().map(|(v, _)| v).collect();
        assert_eq!(order, [-3.0, -1.5, 0.0, 2.0]);
    }

    #[test]
    fn distribution_median_and_p90() {
        let d = Distribution::of((1..=10).map(f64::from).collect());
        assert_eq!(d.median, Some(5.5));
        assert_eq!(d.p90, Some(9.0));
        assert_eq!(d.mean, Some(5.5));
        assert_eq!(Distribution::of(vec![]).median, None);
    }

    #[test]
    fn t_quantile_is_close_to_tables() {
        assert!((t95(10.0) - 2.228).abs() < 0.01);
        assert!((t95(30.0) - 2.042).abs() < 0.005);
        assert!((t95(1000.0) - 1.962).abs() < 0.002);
    }

    #[test]
    fn csat_interval_contains_the_mean() {
        let stats = CsatStats::of(4, &[5.0, 4.0, 2.0, 5.0].into_iter().collect());
        let [lo, hi] = stats.mean_ci95.unwrap();
        assert!(lo < 4.0 && 4.0 < hi);
        assert_eq!(stats.satisfied_share, Some(0.75));
    }

    #[test]
    fn mean_interval_stays_on_the_rating_scale() {
        let stats = CsatStats::of(3, &[1.0, 5.0, 5.0].into_iter().collect());
        let [lo, hi] = stats.mean_ci95.unwrap();
        assert!((1.0..=5.0).contains(&lo) && (1.0..=5.0).contains(&hi));
        assert!((hi - 5.0).abs() < 1e-9);
    }

    #[test]
    fn wilson_stays_in_unit_range() {
        let [lo, hi] = wilson(10.0, 10.0);
        assert!(lo > 0.6 && (hi - 1.0).abs() < 1e-9);
    }

    #[test]
    fn conversations_not_assessed_count_as_ai_but_not_in_the_compliance_rates() {
        let fact = |id: &str, assessed: bool, disclosed: bool| ConversationFacts {
            id: id.into(),
            language: if assessed { "en" } else { "pl" }.into(),
            assessed,
            source: 0,
            channel: "chat".into(),
            path: HandlingPath::AiOnly,
            messages: 2,
            disclosed,
            disclosed_in_time: disclosed,
            human_offered: disclosed,
            human_requests: 0,
            human_request_unmet: false,
            failed_handoffs: 0,
            secs_to_escalation: None,
            ai_turns_before_escalation: None,
            csat: None,
            started_at: None,
            ended_at: None,
        };
        let facts = [
            fact("a", true, true),
            fact("b", true, false),
            fact("c", false, false),
        ];
        let summary = summarize(&facts, &[]);
        assert_eq!(summary.ai_involved, 3);
        assert_eq!(summary.not_assessed, 1);
        assert_eq!(summary.not_assessed_by_language.get("pl"), Some(&1));
        assert_eq!(summary.disclosure_rate, Some(0.5));
        assert_eq!(summary.containment_rate, Some(1.0));
        assert_eq!(
            summary
                .by_channel
                .get("chat")
                .and_then(|g| g.disclosure_rate),
            Some(0.5)
        );
    }
}
