//! IDENTITY_QUESTION_UNANSWERED: "are you a bot?" and the AI's reply does not say.

use crate::model::Role;

use super::{Context, Finding, Provision, Rule, RuleId, Severity, legal};

/// The customer asked whether they talk to a bot, and the AI's next reply did not say it is one.
pub struct IdentityQuestionUnanswered;

impl Rule for IdentityQuestionUnanswered {
    fn id(&self) -> RuleId {
        RuleId::IdentityQuestionUnanswered
    }

    fn title(&self) -> &'static str {
        "\"Are you a bot?\" not answered"
    }

    fn description(&self) -> &'static str {
        "The customer asked whether they were talking to a bot or a person, and the AI's next reply did not say it is an AI."
    }

    fn legal_basis(&self) -> &'static [Provision] {
        &[legal::UTAH_13_77_103, legal::EU_AI_ACT_50_1]
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut disclosures = ctx.disclosures.iter().peekable();
        let mut denials = ctx.denials.iter().peekable();
        for question in &ctx.questions {
            let reply = ctx
                .messages
                .iter()
                .enumerate()
                .skip(question.index + 1)
                .take_while(|(_, m)| m.role != Role::Customer && m.role != Role::HumanAgent)
                .find(|(_, m)| m.role == Role::Ai)
                .map(|(i, _)| i);
            let Some(reply) = reply else { continue };
            let mut answered = false;
            while let Some(d) = disclosures.next_if(|d| d.index <= reply) {
                answered |= d.index == reply;
            }
            while let Some(d) = denials.next_if(|d| d.index <= reply) {
                answered |= d.index == reply;
            }
            if !answered {
                out.push(ctx.finding(
                    self.id(),
                    Some(reply),
                    None,
                    format!(
                        "The customer asked \"{}\" (message {}) and the AI's reply does not say it is an AI",
                        ctx.quote(*question),
                        question.index + 1
                    ),
                ));
            }
        }
    }
}
