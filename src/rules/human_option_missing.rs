//! HUMAN_OPTION_MISSING: the AI handled the conversation alone and never offered a person.

use super::{Context, Finding, HandlingPath, Provision, Rule, RuleId, Severity, legal};

/// The AI handled the conversation alone and never offered a way to a person.
pub struct HumanOptionMissing;

impl Rule for HumanOptionMissing {
    fn id(&self) -> RuleId {
        RuleId::HumanOptionMissing
    }

    fn title(&self) -> &'static str {
        "No offer of a human"
    }

    fn description(&self) -> &'static str {
        "The AI handled the conversation alone and never offered a way to reach a person."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[legal::CFPB_CHATBOTS]
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        if ctx.path == HandlingPath::AiOnly && ctx.offers.is_empty() {
            out.push(ctx.finding(
                self.id(),
                None,
                None,
                format!(
                    "The AI handled the whole conversation ({} messages) and never offered a way to reach a person",
                    ctx.messages.len()
                ),
            ));
        }
    }
}
