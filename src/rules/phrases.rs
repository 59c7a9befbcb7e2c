//! TEMPORARY stub until the phrase engine lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cue { AiDisclosure, HumanOffer, HumanRequest, IdentityQuestion, IdentityDenial }
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueMatch { pub start: usize, pub end: usize }
#[derive(Debug)]
pub struct PhraseBook;
impl PhraseBook {
    pub fn find(&self, cue: Cue, text: &str) -> Option<CueMatch> {
        let lower = text.to_lowercase();
        let words: &[&str] = match cue {
            Cue::AiDisclosure => &["virtual assistant", "i'm a bot", "i am an ai", "automated assistant"],
            Cue::HumanOffer => &["speak to an agent", "connect you", "transfer you"],
            Cue::HumanRequest => &["human", "agent", "real person"],
            Cue::IdentityQuestion => &["are you a bot", "real person?"],
            Cue::IdentityDenial => &["i'm a real person", "i'm not a bot"],
        };
        words.iter().find_map(|w| lower.find(w).map(|s| CueMatch { start: s, end: s + w.len() }))
    }
}
