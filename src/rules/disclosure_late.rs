//! DISCLOSURE_LATE: the customer was told, but not at the first interaction.

use super::{Context, Finding, Provision, Rule, RuleId, Severity, legal};

/// The AI said it is an AI, but not in its first turn.
pub struct DisclosureLate;

impl Rule for DisclosureLate {
    fn id(&self) -> RuleId {
        RuleId::DisclosureLate
    }

    fn title(&self) -> &'static str {
        "Late AI disclosure"
    }

    fn description(&self) -> &'static str {
        "The customer was told they were dealing with an AI, but not in the AI's first turn (its messages and notices before the customer's next message), where the EU AI Act asks for it at the latest."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[legal::EU_AI_ACT_50_1, legal::EU_AI_ACT_50_5]
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(first_ai), Some(turn_end)) = (ctx.first_ai, ctx.first_turn_end) else {
            return;
        };
        let Some(first) = ctx.disclosures.first() else {
            return;
        };
        if first.index > turn_end {
            out.push(ctx.finding(
                self.id(),
                Some(first_ai),
                None,
                format!(
                    "The AI's first turn (from message {}) does not say it is an AI; that was only said in message {}: \"{}\"",
                    first_ai + 1,
                    first.index + 1,
                    ctx.quote(*first)
                ),
            ));
        }
    }
}
