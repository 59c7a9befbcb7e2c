//! HUMAN_REQUEST_UNMET: the customer asked for a person and none came.

use super::{Context, Finding, Provision, Rule, RuleId, Severity, legal};

/// The customer asked for a person, and no human agent joined and no transfer followed.
pub struct HumanRequestUnmet;

impl Rule for HumanRequestUnmet {
    fn id(&self) -> RuleId {
        RuleId::HumanRequestUnmet
    }

    fn title(&self) -> &'static str {
        "Request for a human not met"
    }

    fn description(&self) -> &'static str {
        "While talking to the AI, the customer asked for a person, and no human agent joined and no transfer followed (the CFPB's 'doom loop')."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[legal::CFPB_CHATBOTS]
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut unmet = ctx.requests.iter().filter(|r| !ctx.met_after(r.index));
        let Some(first) = unmet.next() else { return };
        let count = 1 + unmet.count();
        // "Shall I pass you to a specialist?" — "yes please": the evidence is a bare yes, so say what
        // it answered.
        let accepted = ctx.accepted_offer == Some(first.index);
        let asked = match (accepted, count) {
            (false, 1) => "The customer asked for a person".to_owned(),
            (false, n) => format!("The customer asked for a person {n} times"),
            (true, n) => {
                let again = match n - 1 {
                    0 => String::new(),
                    1 => ", and asked once more".to_owned(),
                    more => format!(", and asked {more} more times"),
                };
                format!(
                    "The customer said yes when the AI offered to put them through to a person{again}"
                )
            }
        };
        out.push(ctx.finding(
            self.id(),
            Some(first.index),
            Some(first.span),
            format!("{asked} and no human agent joined and no transfer followed"),
        ));
    }
}
