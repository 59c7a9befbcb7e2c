//! HUMAN_REQUEST_REPEATED: the customer reached a person only after asking more than once.

use super::{Context, Finding, Provision, Rule, RuleId, Severity, legal};

/// The customer reached a person only after asking for one twice or more.
pub struct HumanRequestRepeated;

impl Rule for HumanRequestRepeated {
    fn id(&self) -> RuleId {
        RuleId::HumanRequestRepeated
    }

    fn title(&self) -> &'static str {
        "Had to ask repeatedly for a human"
    }

    fn description(&self) -> &'static str {
        "The customer reached a person only after asking for one more than once."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[legal::CFPB_CHATBOTS]
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(point) = ctx.escalation_point else {
            return;
        };
        let before: Vec<_> = ctx.requests.iter().filter(|r| r.index < point).collect();
        if let Some(second) = before.get(1) {
            let mut finding = ctx.finding(
                self.id(),
                Some(second.index),
                Some(second.span),
                format!(
                    "The customer asked for a person {} times (messages {}) before reaching one",
                    before.len(),
                    before
                        .iter()
                        .map(|r| (r.index + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            // Every other request is evidence too: the transcript highlights them all.
            finding.more_evidence = before
                .iter()
                .filter(|r| r.index != second.index)
                .map(|r| ctx.more_evidence(r))
                .collect();
            out.push(finding);
        }
    }
}
