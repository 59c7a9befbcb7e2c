//! The provisions of law and guidance the rules relate to, as data: a citation people can look up and
//! one plain sentence on what the provision asks.
//!
//! Each rule names its provisions in its own [`super::Rule::legal_basis`]; the constants here only keep
//! the wording of a provision cited by several rules in one place. The citations were checked against the
//! published texts (November 2026): Regulation (EU) 2024/1689 Art. 50, California Business and
//! Professions Code §17941 (SB 1001, 2018), Utah Code §13-77-103 (SB 226, 2025), the CFPB Issue Spotlight
//! of 6 June 2023 and 15 U.S.C. §45.

use serde::Serialize;

/// A law or a regulator's guidance, as the findings table filters by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Law {
    /// Regulation (EU) 2024/1689, the EU AI Act.
    EuAiAct,
    /// California's BOT Act (Business and Professions Code §§17940–17943).
    CaliforniaBotAct,
    /// Utah's disclosure rules for generative AI (Utah Code Title 13, Chapter 77).
    UtahAiDisclosure,
    /// The US Consumer Financial Protection Bureau's guidance on chatbots.
    CfpbChatbots,
    /// Section 5 of the US Federal Trade Commission Act.
    FtcAct,
}

impl Law {
    /// Every law, in the order lists show them.
    pub const ALL: [Self; 5] = [
        Self::EuAiAct,
        Self::CaliforniaBotAct,
        Self::UtahAiDisclosure,
        Self::CfpbChatbots,
        Self::FtcAct,
    ];

    /// The short name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::EuAiAct => "EU AI Act",
            Self::CaliforniaBotAct => "California BOT Act",
            Self::UtahAiDisclosure => "Utah AI disclosure law",
            Self::CfpbChatbots => "CFPB chatbot guidance",
            Self::FtcAct => "FTC Act",
        }
    }
}

/// One provision a rule relates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Provision {
    /// The law or guidance it belongs to.
    #[serde(skip)]
    pub law: Law,
    /// How to cite it ("EU AI Act Art. 50(1)").
    pub citation: &'static str,
    /// What it asks, in one plain sentence.
    pub summary: &'static str,
}

/// EU AI Act Art. 50(1): tell people they are dealing with an AI.
pub const EU_AI_ACT_50_1: Provision = Provision {
    law: Law::EuAiAct,
    citation: "EU AI Act Art. 50(1)",
    summary: "People must be told that they are interacting with an AI system, unless that is obvious from the context.",
};

/// EU AI Act Art. 50(5): when and how that is said.
pub const EU_AI_ACT_50_5: Provision = Provision {
    law: Law::EuAiAct,
    citation: "EU AI Act Art. 50(5)",
    summary: "That information must be given clearly and at the latest at the first interaction.",
};

/// California's BOT Act.
pub const CALIFORNIA_BOT_ACT: Provision = Provision {
    law: Law::CaliforniaBotAct,
    citation: "California B&P Code §17941",
    summary: "A bot must not mislead people in California about being a bot to sell them something; a clear and conspicuous statement that it is a bot avoids liability.",
};

/// Utah's rule on answering "am I talking to an AI?".
pub const UTAH_13_77_103: Provision = Provision {
    law: Law::UtahAiDisclosure,
    citation: "Utah Code §13-77-103",
    summary: "A business using generative AI with a consumer must say that it is AI and not a human when the consumer clearly asks.",
};

/// The CFPB's warning about chatbot "doom loops".
pub const CFPB_CHATBOTS: Provision = Provision {
    law: Law::CfpbChatbots,
    citation: "CFPB Issue Spotlight: Chatbots in consumer finance (2023)",
    summary: "Chatbots that keep customers in loops and away from a human when they need one can harm them and break consumer finance law.",
};

/// Section 5 of the FTC Act.
pub const FTC_ACT_5: Provision = Provision {
    law: Law::FtcAct,
    citation: "FTC Act §5 (15 U.S.C. §45)",
    summary: "Deceptive practices in commerce are unlawful, including misleading people about whether they deal with a person.",
};

#[cfg(test)]
mod tests {
    use super::super::RuleId;

    #[test]
    fn every_rule_cites_a_provision_with_a_summary() {
        for rule in RuleId::ALL {
            let basis = rule.legal_basis();
            assert!(!basis.is_empty(), "{rule}");
            for provision in basis {
                assert!(!provision.citation.is_empty(), "{rule}");
                assert!(
                    provision.summary.ends_with('.'),
                    "{rule}: {}",
                    provision.citation
                );
            }
        }
    }

    #[test]
    fn ai_claiming_to_be_human_cites_the_disclosure_laws() {
        let citations = RuleId::AiIdentityDenied.citations();
        for cited in [
            "California B&P Code §17941",
            "EU AI Act Art. 50(1)",
            "Utah Code §13-77-103",
        ] {
            assert!(citations.contains(cited), "{citations}");
        }
    }
}
