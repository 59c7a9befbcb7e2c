//! DISCLOSURE_MISSING: an AI took part but nothing told the customer it is an AI.

use super::{Context, Finding, Provision, Rule, RuleId, Severity, legal};

/// An AI took part but never said it is an AI, and no notice did.
pub struct DisclosureMissing;

impl Rule for DisclosureMissing {
    fn id(&self) -> RuleId {
        RuleId::DisclosureMissing
    }

    fn title(&self) -> &'static str {
        "No AI disclosure"
    }

    fn description(&self) -> &'static str {
        "An AI took part in the conversation, but no AI message and no platform notice told the customer they were dealing with an AI."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[legal::EU_AI_ACT_50_1, legal::CALIFORNIA_BOT_ACT]
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(first_ai) = ctx.first_ai else { return };
        if ctx.disclosures.is_empty() {
            let count = ctx.ai_messages();
            out.push(ctx.finding(
                self.id(),
                Some(first_ai),
                None,
                format!(
                    "The AI took part ({count} AI {}) but never told the customer it is an AI, and no notice did",
                    if count == 1 { "message" } else { "messages" }
                ),
            ));
        }
    }
}
