//! AI_IDENTITY_DENIED: an AI message claims to be human.

use super::{Context, Finding, Provision, Rule, RuleId, Severity, legal};

/// An AI message claimed to be a human or denied being a bot.
pub struct AiIdentityDenied;

impl Rule for AiIdentityDenied {
    fn id(&self) -> RuleId {
        RuleId::AiIdentityDenied
    }

    fn title(&self) -> &'static str {
        "AI claimed to be human"
    }

    fn description(&self) -> &'static str {
        "An AI message claimed to be a human or denied being a bot."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[
            legal::CALIFORNIA_BOT_ACT,
            legal::UTAH_13_77_103,
            legal::EU_AI_ACT_50_1,
            legal::FTC_ACT_5,
        ]
    }

    fn severity(&self) -> Severity {
        Severity::Critical
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut questions = ctx.questions.iter().peekable();
        let mut asked = None;
        for denial in &ctx.denials {
            while let Some(q) = questions.next_if(|q| q.index < denial.index) {
                asked = Some(*q);
            }
            let context = match asked {
                Some(q) => format!(" in reply to \"{}\"", ctx.quote(q)),
                None => String::new(),
            };
            out.push(ctx.finding(
                self.id(),
                Some(denial.index),
                Some(denial.span),
                format!("An AI message claims to be human{context}"),
            ));
        }
    }
}
