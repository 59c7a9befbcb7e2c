//! The detector: finds the language cues the rules rely on by composing meaning from words.
//!
//! Each message is tokenised once ([`text`]), its words are marked with the classes of the conversation's
//! lexicon ([`lexicon`]: the conversation's language plus English, since customers and assistants switch),
//! and a small grammar of frames over those classes ([`frames`]) finds disclosures, denials, offers of a
//! human, requests for a human and identity questions. Everything is linear in the message length.
//!
//! The conversation's language comes from [`detect_language`] (the `whatlang` crate, restricted to the
//! pack's languages when its guess is unreliable). A conversation in a language the pack does not cover gets
//! no verdict: the audit marks it "not assessed".

pub mod frames;
pub mod lexicon;
pub mod text;

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

pub use frames::{Answer, Asked};
use frames::{TokenSpan, View};
use lexicon::{Class, EntryError, Lexicon};

/// Where a cue was found: a byte range of the message text covering the evidence phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueMatch {
    /// Byte offset of the first character of the phrase.
    pub start: usize,
    /// Byte offset just past the last character of the phrase.
    pub end: usize,
}

impl CueMatch {
    /// The matched phrase within `text`, or "" if it does not fit.
    #[must_use]
    pub fn as_str(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Who wrote a message, as far as the detector cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// The AI or the platform: disclosures, denials, offers.
    Company,
    /// The customer: requests and identity questions.
    Customer,
}

/// The cues found in one message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessageCues {
    /// The AI or platform says the customer deals with an AI.
    pub disclosure: Option<CueMatch>,
    /// The AI claims to be human.
    pub denial: Option<CueMatch>,
    /// The denial names no speaker ("No robots here"): after the AI has disclosed, and not answering
    /// "are you a bot?", it is read as about something else (how candles are made).
    pub bare_denial: bool,
    /// A way to a person is offered.
    pub offer: Option<CueMatch>,
    /// The offer is asked, last in the message ("Shall I connect you with an adviser?"): a yes after it
    /// accepts.
    pub offer_asked: bool,
    /// The customer's message opens with a yes: the sentence.
    pub yes: Option<CueMatch>,
    /// The customer asks for a person.
    pub request: Option<CueMatch>,
    /// The customer asks whether they talk to an AI, and about which side.
    pub question: Option<(CueMatch, Asked)>,
    /// The message starts with yes or no, and the sentence the answer was read from ("Dear Ms
    /// Adeyemi, thank you. Not at all — …" answers in its second).
    pub answer: Option<(Answer, CueMatch)>,
    /// The speaker presents itself as a person in a role ("sono una collega dell'assistenza", "I'm one of
    /// the team here"): a denial when it answers "are you a bot?".
    pub human_role: Option<CueMatch>,
    /// An AI named anywhere, not negated ("How did our AI assistant do today?"): in a platform notice it
    /// tells the customer an AI took part; in a customer's message, bots are what the AI's next words
    /// may be about ("you're a bot lol" — "Nope, not a robot!").
    pub ai_named: Option<CueMatch>,
    /// The name the AI or platform gives the assistant ("I'm Poppy."): in the customer's later messages
    /// that name is the one answering ("is Poppy a robot?").
    pub self_name: Option<CueMatch>,
}

impl MessageCues {
    /// Whether the message starts with this answer.
    pub fn answered(&self, answer: Answer) -> bool {
        self.answer.is_some_and(|(a, _)| a == answer)
    }
}

/// The word lists of one language as written in a pack.
#[derive(Clone, Debug, Default)]
pub struct LanguageLists {
    /// The language's name for people ("German").
    pub name: String,
    /// Class key to entries.
    pub lists: BTreeMap<String, Vec<String>>,
    /// Words that end like a suffix entry but are not of its class.
    pub suffix_exclude: Vec<String>,
    /// Common words of this language that English entries must not claim when English is added to it
    /// (Swedish "vet", "knows", is no English "vet").
    pub not_english: Vec<String>,
    /// Words one typo away from an entry that are words of their own ("advise" is no "adviser").
    pub not_typo: Vec<String>,
}

/// A language the detector covers.
#[derive(Clone, Debug)]
struct Language {
    code: String,
    name: String,
    /// This language's words plus English.
    lexicon: Lexicon,
    /// This language's own one-word entries, to tell languages apart.
    own: HashSet<String>,
}

/// A problem in a pack's word lists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// A list names no class Candor knows.
    #[error(
        "The list \"{list}\" of language \"{language}\" is not a word class Candor knows (for example ai_noun, human_noun, talk_verb)."
    )]
    UnknownList {
        /// The language code.
        language: String,
        /// The list's key.
        list: String,
    },
    /// An entry cannot be used.
    #[error("The entry \"{}\" in {} of language \"{language}\" cannot be used: {}.", .error.entry, .error.class, .error.reason)]
    Entry {
        /// The language code.
        language: String,
        /// What is wrong.
        error: EntryError,
    },
}

/// The compiled lexicons of a pack, one per language, each with English added.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    languages: Vec<Language>,
    /// Words of more than two letters that belong to a language other than English and not to English:
    /// word to the set of those languages (bit per language index).
    foreign: FxHashMap<String, u32>,
    /// Every word of every covered language: word to the languages it belongs to (bit per language index,
    /// the first 64 languages), so that one lookup tells all the votes a word casts.
    owners: FxHashMap<String, u64>,
    /// Tells detectors apart in the per-thread memo of company messages.
    id: u64,
}

/// What the words of a sample of text say about its language, gathered message by message so that each
/// message is tokenised once.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Per covered language, how many of the words are its own.
    votes: Vec<usize>,
    /// Words with at least one letter.
    words: usize,
    /// Distinct words of more than two letters that belong to a language other than English and not to
    /// English, with the languages they belong to.
    exclusive: FxHashMap<String, u64>,
}

impl Detector {
    /// Compiles the word lists of a pack.
    ///
    /// # Errors
    ///
    /// [`LexiconError`] for a list that is no class or an entry that cannot be used.
    pub fn build(languages: &BTreeMap<String, LanguageLists>) -> Result<Detector, LexiconError> {
        let mut own = Vec::new();
        for (code, lists) in languages {
            let mut lexicon = Lexicon::default();
            // The words that tell the language: every list but the everyday nouns shared across
            // languages ("auto", "sofa", "kind"), which would make an English message about a Velo
            // bike read as French.
            let mut signal = Lexicon::default();
            for (key, entries) in &lists.lists {
                let Some(class) = Class::ALL.iter().find(|c| c.key() == key) else {
                    return Err(LexiconError::UnknownList {
                        language: code.clone(),
                        list: key.clone(),
                    });
                };
                let entry_error = |error| LexiconError::Entry {
                    language: code.clone(),
                    error,
                };
                lexicon.add(*class, entries).map_err(entry_error)?;
                if *class != Class::Belonging {
                    signal.add(*class, entries).map_err(entry_error)?;
                }
            }
            lexicon.exclude_suffixes(&lists.suffix_exclude);
            lexicon.exclude_typos(&lists.not_typo);
            let words: HashSet<String> = signal.all_words().map(str::to_owned).collect();
            own.push((code.clone(), lists.name.clone(), lexicon, words));
        }
        let english = own
            .iter()
            .find(|(code, _, _, _)| code == "en")
            .map(|(_, _, lex, _)| lex.clone());
        let languages: Vec<Language> = own
            .into_iter()
            .map(|(code, name, mut lexicon, own)| {
                if let Some(en) = english.as_ref().filter(|_| code != "en") {
                    let not_english = languages.get(&code).map_or(&[][..], |l| &l.not_english[..]);
                    lexicon.merge_except(en, not_english);
                }
                Language {
                    code,
                    name,
                    lexicon,
                    own,
                }
            })
            .collect();
        let mut foreign: FxHashMap<String, u32> = FxHashMap::default();
        let english_words: HashSet<String> = languages
            .iter()
            .find(|l| l.code == "en")
            .map(|l| l.own.clone())
            .unwrap_or_default();
        for (i, l) in languages.iter().enumerate().take(32) {
            if l.code == "en" {
                continue;
            }
            #[allow(
                clippy::iter_over_hash_type,
                reason = "building a set: the result does not depend on the order"
            )]
            for w in &l.own {
                if w.chars().count() > 2 && !english_words.contains(w) {
                    *foreign.entry(w.clone()).or_default() |= 1 << i;
                }
            }
        }
        let mut owners: FxHashMap<String, u64> = FxHashMap::default();
        for (i, l) in languages.iter().enumerate().take(64) {
            #[allow(
                clippy::iter_over_hash_type,
                reason = "building a map of sets: the result does not depend on the order"
            )]
            for w in &l.own {
                *owners.entry(w.clone()).or_default() |= 1 << i;
            }
        }
        Ok(Detector {
            languages,
            foreign,
            owners,
            id: lexicon::next_id(),
        })
    }

    /// The codes of the languages covered, in pack order.
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// The name of a covered language.
    #[must_use]
    pub fn language_name(&self, code: &str) -> Option<&str> {
        self.languages
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.name.as_str())
    }

    /// Index of a covered language.
    #[must_use]
    pub fn language_index(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }

    /// Whether the detector has any words at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.languages.is_empty()
    }

    /// Each token of `text` with the word classes it starts, as the lexicon of language `language` reads
    /// it: what a rule-pack author looks at when a phrase is not read as expected.
    #[must_use]
    pub fn explain(&self, language: usize, text: &str) -> Vec<(String, Vec<&'static str>)> {
        let Some(lang) = self.languages.get(language) else {
            return Vec::new();
        };
        let tokens = text::tokenize(text);
        let marks = lang.lexicon.mark(&tokens, true);
        (0..tokens.len())
            .map(|i| {
                let classes = lexicon::Class::ALL
                    .iter()
                    .filter(|c| marks.is(i, **c))
                    .map(|c| c.key())
                    .collect();
                (tokens.word(i).to_owned(), classes)
            })
            .collect()
    }

    /// The cues in one message, read with the lexicon of language `language` (an index from
    /// [`Detector::language_index`]).
    #[must_use]
    pub fn cues(&self, language: usize, speaker: Speaker, text: &str) -> MessageCues {
        self.cues_in(language, speaker, &text::tokenize(text))
    }

    /// [`Detector::cues`] of a message already tokenised.
    #[must_use]
    pub fn cues_in(&self, language: usize, speaker: Speaker, tokens: &text::Tokens) -> MessageCues {
        self.cues_named(language, speaker, tokens, None)
    }

    /// [`Detector::cues_in`], with the assistant's own name (folded, as [`text::Tokens::word`] gives it)
    /// read as "you" in the customer's words and as "this" (the one speaking) in the company's.
    fn cues_named(
        &self,
        language: usize,
        speaker: Speaker,
        tokens: &text::Tokens,
        assistant: Option<&str>,
    ) -> MessageCues {
        let Some(lang) = self.languages.get(language) else {
            return MessageCues::default();
        };
        let mut marks = lang.lexicon.mark(tokens, speaker == Speaker::Customer);
        if let Some(name) = assistant {
            for i in 0..tokens.len() {
                if !(tokens.is_word(i) && tokens.word(i) == name) {
                    continue;
                }
                if speaker == Speaker::Company {
                    // "Yes, Ivo is an automated assistant", as "this is an automated assistant".
                    marks.add(i, Class::SelfFrame, i + 1);
                } else {
                    marks.add(i, Class::Addressee, i + 1);
                    marks.add(i, Class::IdentityFrame, i + 1);
                    // "is Poppy a robot", as "is this a robot": the verb and the name ask.
                    if i > 0 && marks.is(i - 1, Class::ChannelVerb) {
                        marks.add(i - 1, Class::IdentityFrame, i + 1);
                    }
                }
            }
        }
        let view = View::new(tokens, &marks);
        let to_match = |span: TokenSpan| -> Option<CueMatch> {
            let first = tokens.tokens.get(span.start)?;
            let last = tokens.tokens.get(span.end.checked_sub(1)?)?;
            Some(CueMatch {
                start: first.start,
                end: last.end.max(first.start),
            })
        };
        let mut cues = MessageCues::default();
        match speaker {
            Speaker::Company => {
                let identity = view.identity_statements();
                cues.disclosure = identity.disclosure.and_then(to_match);
                cues.denial = identity.denial.and_then(to_match);
                cues.bare_denial = identity.bare;
                // "You're talking to a real person" is a denial, not an offer of one; an offer
                // elsewhere in the message still counts.
                let offer = view.offer_apart_from(identity.denial);
                cues.offer_asked = offer.is_some() && view.offer_asked_last();
                cues.offer = offer.and_then(to_match);
                cues.answer = view
                    .answer()
                    .and_then(|(answer, span)| Some((answer, to_match(span)?)));
                cues.human_role = view.human_role().and_then(to_match);
                cues.ai_named = view.ai_named().and_then(to_match);
                cues.self_name = view.self_name().and_then(to_match);
            }
            Speaker::Customer => {
                let question = view.identity_question();
                // "speak. to. someone.": read again as one sentence when the stops stress words.
                cues.request = view
                    .request(question)
                    .or_else(|| view.unclapped().and_then(|v| v.request(question)))
                    .and_then(to_match);
                cues.ai_named = view.ai_named_as_speaker().and_then(to_match);
                cues.question =
                    question.and_then(|(span, asked)| to_match(span).map(|m| (m, asked)));
                cues.yes = view.says_yes().and_then(to_match);
            }
        }
        cues
    }
}

impl Detector {
    /// The language a text is written in, as an ISO 639-1 code where one exists; `None` for a text with no
    /// letters.
    #[must_use]
    pub fn detect_language(&self, text: &str) -> Option<String> {
        let mut tally = self.tally();
        self.count_words(&text::tokenize(text), &mut tally);
        self.decide_language(&tally, || text.to_owned())
    }

    /// An empty [`Tally`] for this detector's languages.
    #[must_use]
    pub fn tally(&self) -> Tally {
        Tally {
            votes: vec![0; self.languages.len()],
            ..Tally::default()
        }
    }

    /// Adds the words of one tokenised text (one message of a sample) to `tally`.
    pub fn count_words(&self, tokens: &text::Tokens, tally: &mut Tally) {
        let english = self.language_index("en").filter(|&i| i < 64);
        for i in 0..tokens.len() {
            if !tokens.is_word(i) {
                continue;
            }
            let w = tokens.word(i);
            if !w.chars().any(char::is_alphabetic) {
                continue;
            }
            tally.words += 1;
            let Some(&set) = self.owners.get(w) else {
                continue;
            };
            let mut rest = set;
            while rest != 0 {
                let l = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                if let Some(v) = tally.votes.get_mut(l) {
                    *v += 1;
                }
            }
            let english_word = english.is_some_and(|en| set & (1 << en) != 0);
            let others = english.map_or(set, |en| set & !(1 << en));
            if !english_word
                && others != 0
                && w.chars().count() > 2
                && !tally.exclusive.contains_key(w)
            {
                tally.exclusive.insert(w.to_owned(), others);
            }
        }
    }

    /// The language a sample's words say, as [`Detector::detect_language`] explains; `sample` gives the
    /// sample's text, asked for only when statistics are needed.
    ///
    /// Two signals are combined. The pack's own words vote first: the covered language whose articles,
    /// pronouns, prepositions and cue words the text uses most. When that vote is clear (a fifth of the
    /// words or more, well ahead of the next language) it decides, which is cheap and right for chat
    /// messages too short for statistics. Otherwise `whatlang` (trigram statistics) is asked: it is trusted
    /// when it is sure, and it is what tells a language outside the pack ("not assessed"); when it is unsure
    /// (short French is often read as Italian), the vote decides again.
    #[must_use]
    pub fn decide_language(
        &self,
        tally: &Tally,
        sample: impl FnOnce() -> String,
    ) -> Option<String> {
        let votes = &tally.votes;
        let words = tally.words;
        let best = votes.iter().copied().max().unwrap_or(0);
        let second = {
            let mut sorted = votes.clone();
            sorted.sort_unstable();
            sorted.iter().rev().nth(1).copied().unwrap_or(0)
        };
        let clear = words > 0 && best * 5 >= words && best >= second * 3 / 2 + 2;
        let mut pick = None;
        if clear {
            pick = votes.iter().position(|&v| v == best);
        } else {
            // whatlang on a bounded sample: its cost grows with the text.
            let text = sample();
            let sample = text
                .get(..floor_char_boundary(&text, 1200))
                .unwrap_or(&text);
            let guess = whatlang::detect(sample).map(|i| (iso639_1(i.lang()), i.is_reliable()));
            if let Some((code, reliable)) = guess {
                let covered = self.language_index(code);
                if reliable {
                    match covered {
                        Some(i) if votes.get(i).copied().unwrap_or(0) * 3 >= best * 2 => {
                            pick = Some(i);
                        }
                        None if best * 3 < words.max(1) => return Some(code.to_owned()),
                        _ => {}
                    }
                }
            }
            if pick.is_none() {
                if best == 0 {
                    return guess.map(|(code, _)| code.to_owned());
                }
                // The most votes; on a tie, whatlang's guess if it is among them, else pack order.
                let tied: Vec<usize> = (0..votes.len()).filter(|&i| votes[i] == best).collect();
                pick = guess
                    .and_then(|(code, _)| self.language_index(code))
                    .filter(|i| tied.contains(i))
                    .or_else(|| tied.first().copied());
            }
        }
        let mut pick = pick?;
        // Mostly English with a few sentences in another covered language (an assistant that switches
        // to the customer's language): take that language, whose lexicon includes English anyway. Two
        // distinct words of its own are enough, one in a short text.
        if let Some(en) = self.language_index("en").filter(|en| *en == pick) {
            // Names and loanwords ("Nova", "SIM") must not turn English into Portuguese: a tenth of
            // the words and at least two distinct ones.
            let needed = (words / 10).max(2);
            if let Some((i, n)) = (0..self.languages.len())
                .filter(|i| *i != en)
                .map(|i| (i, tally.exclusive_words(i)))
                .max_by_key(|(_, n)| *n)
            {
                if n >= needed {
                    pick = i;
                }
            }
        }
        self.languages.get(pick).map(|l| l.code.clone())
    }

    /// The covered language a text's own words vote for, without statistics; `None` without a clear
    /// winner. Used for one side of a conversation (what the customer wrote), cheaply.
    #[must_use]
    pub fn vote_language(&self, text: &str) -> Option<usize> {
        let mut tally = self.tally();
        self.count_words(&text::tokenize(text), &mut tally);
        tally.winner()
    }

    /// The covered language other than English that a text uses words of most, if any: for a message
    /// in another language inside an English conversation.
    #[must_use]
    pub fn foreign_language(&self, tokens: &text::Tokens) -> Option<usize> {
        let mut counts = [0usize; 32];
        let mut seen: HashSet<&str> = HashSet::default();
        for i in 0..tokens.len() {
            let w = tokens.word(i);
            if let Some(&set) = self.foreign.get(w) {
                if seen.insert(w) {
                    for (l, count) in counts.iter_mut().enumerate() {
                        if set & (1 << l) != 0 {
                            *count += 1;
                        }
                    }
                }
            }
        }
        // One word of its own is enough only in a short message ("No soy un bot.").
        let words = (0..tokens.len()).filter(|&i| tokens.is_word(i)).count();
        let needed = if words <= 5 { 1 } else { 2 };
        let best = counts.iter().copied().max().unwrap_or(0);
        (best >= needed)
            .then(|| counts.iter().position(|&c| c == best))
            .flatten()
    }

    /// [`Detector::cues_switching`] of a message from the company (the AI or the platform), remembered per
    /// thread: assistants repeat themselves (greetings, menus, "is there anything else?"), so most of their
    /// messages were read before. `tokens` is asked for only when the text is new.
    pub fn company_cues(
        &self,
        language: usize,
        text: &str,
        tokens: impl FnOnce() -> text::Tokens,
    ) -> MessageCues {
        remembered(&COMPANY_CUES, (self.id, language), text, || {
            self.cues_switching(language, Speaker::Company, &tokens())
        })
    }

    /// [`Detector::company_cues`] of a message that names the assistant (`assistant`, folded), read
    /// afresh: "Yes, Ivo is an automated assistant" speaks of itself by name.
    #[must_use]
    pub fn company_cues_named(
        &self,
        language: usize,
        tokens: &text::Tokens,
        assistant: &str,
    ) -> MessageCues {
        self.switching_named(language, Speaker::Company, tokens, Some(assistant))
    }

    /// What a company message's words say about its language ([`Detector::count_words`] on a fresh
    /// tally), remembered per thread like [`Detector::company_cues`]. `tokens` is asked for only when the
    /// text is new.
    pub fn company_tally<'t>(
        &self,
        text: &str,
        tokens: impl FnOnce() -> &'t text::Tokens,
    ) -> Tally {
        remembered(&COMPANY_TALLIES, (self.id, 0), text, || {
            let mut tally = self.tally();
            self.count_words(tokens(), &mut tally);
            tally
        })
    }

    /// The cues in one tokenised message read with `language`; when that is English and nothing is found,
    /// read again with the other language the message uses words of ("No soy un bot." in an English chat).
    #[must_use]
    pub fn cues_switching(
        &self,
        language: usize,
        speaker: Speaker,
        tokens: &text::Tokens,
    ) -> MessageCues {
        self.switching_named(language, speaker, tokens, None)
    }

    /// [`Detector::cues_switching`] of a customer's message, with the name the assistant gave itself
    /// earlier (folded) read as "you": "is Poppy a robot?" asks what the one answering is.
    #[must_use]
    pub fn customer_cues(
        &self,
        language: usize,
        tokens: &text::Tokens,
        assistant: Option<&str>,
    ) -> MessageCues {
        self.switching_named(language, Speaker::Customer, tokens, assistant)
    }

    fn switching_named(
        &self,
        language: usize,
        speaker: Speaker,
        tokens: &text::Tokens,
        assistant: Option<&str>,
    ) -> MessageCues {
        let cues = self.cues_named(language, speaker, tokens, assistant);
        let english = self.languages.get(language).is_some_and(|l| l.code == "en");
        if !english || cues != MessageCues::default() {
            return cues;
        }
        match self.foreign_language(tokens) {
            Some(other) => self.cues_named(other, speaker, tokens, assistant),
            None => cues,
        }
    }

    /// The name an assistant gives itself in `text` ([`MessageCues::self_name`]), folded as the
    /// customer's words are: "Poppy's" is "poppy".
    #[must_use]
    pub fn folded_name(text: &str, span: CueMatch) -> Option<String> {
        let tokens = text::tokenize(span.as_str(text));
        let word = tokens.word(0);
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .unwrap_or(word);
        (!word.is_empty()).then(|| word.to_owned())
    }

    /// How many distinct words of `text` belong to language `code` and not to English.
    #[must_use]
    pub fn foreign_words(&self, text: &str, code: &str) -> usize {
        let Some(i) = self.language_index(code) else {
            return 0;
        };
        let mut tally = self.tally();
        self.count_words(&text::tokenize(text), &mut tally);
        tally.exclusive_words(i)
    }
}

impl Tally {
    /// Adds what another text's words said (another message of the same sample).
    pub fn add(&mut self, other: &Tally) {
        if self.votes.len() < other.votes.len() {
            self.votes.resize(other.votes.len(), 0);
        }
        for (mine, theirs) in self.votes.iter_mut().zip(&other.votes) {
            *mine += theirs;
        }
        self.words += other.words;
        #[allow(
            clippy::iter_over_hash_type,
            reason = "a union of sets: the result does not depend on the order"
        )]
        for (word, set) in &other.exclusive {
            if !self.exclusive.contains_key(word) {
                self.exclusive.insert(word.clone(), *set);
            }
        }
    }

    /// The covered language with the most votes, if one has more than every other.
    #[must_use]
    pub fn winner(&self) -> Option<usize> {
        let best = self.votes.iter().copied().max().unwrap_or(0);
        let winners = self.votes.iter().filter(|&&v| v == best).count();
        (best > 0 && winners == 1)
            .then(|| self.votes.iter().position(|&v| v == best))
            .flatten()
    }

    /// How many distinct words of the sample belong to language `index` and not to English.
    #[must_use]
    pub fn exclusive_words(&self, index: usize) -> usize {
        if index >= 64 {
            return 0;
        }
        #[allow(
            clippy::iter_over_hash_type,
            reason = "counting: the result does not depend on the order"
        )]
        self.exclusive
            .values()
            .filter(|set| **set & (1 << index) != 0)
            .count()
    }
}

/// Longest company message remembered by [`Detector::company_cues`].
const COMPANY_MEMO_TEXT_BYTES: usize = 1024;

/// Most company messages remembered per thread; a memo that grows past it starts over.
const COMPANY_MEMO_ENTRIES: usize = 1 << 13;

/// Values remembered per text on one thread, keyed by a hash of who made them (detector, language) and
/// the text; the text is kept so that a hash collision is never taken for a hit. Each entry is boxed: the
/// table keeps up to twice as many slots as entries, and a slot of a pointer is 16 bytes where an entry
/// inline would be hundreds.
type TextMemo<V> = FxHashMap<u64, Box<((u64, usize), Box<str>, V)>>;

thread_local! {
    static COMPANY_CUES: std::cell::RefCell<TextMemo<MessageCues>> = std::cell::RefCell::default();
    static COMPANY_TALLIES: std::cell::RefCell<TextMemo<Tally>> = std::cell::RefCell::default();
}

/// `compute()` for `text`, or what it gave before for the same owner and text on this thread. Long texts
/// are not remembered; a memo that grows past [`COMPANY_MEMO_ENTRIES`] starts over.
fn remembered<V: Clone>(
    memo: &'static std::thread::LocalKey<std::cell::RefCell<TextMemo<V>>>,
    owner: (u64, usize),
    text: &str,
    compute: impl FnOnce() -> V,
) -> V {
    if text.len() > COMPANY_MEMO_TEXT_BYTES {
        return compute();
    }
    let key = {
        use std::hash::BuildHasher as _;
        rustc_hash::FxBuildHasher.hash_one((owner, text))
    };
    let known = memo.with_borrow(|m| {
        m.get(&key)
            .filter(|entry| entry.0 == owner && *entry.1 == *text)
            .map(|entry| entry.2.clone())
    });
    if let Some(value) = known {
        return value;
    }
    let value = compute();
    memo.with_borrow_mut(|m| {
        if m.len() >= COMPANY_MEMO_ENTRIES {
            m.clear();
        }
        m.insert(key, Box::new((owner, text.into(), value.clone())));
    });
    value
}

/// The largest char boundary at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The two-letter code of a language where it has one, else its three-letter code.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang;
    match lang {
        Lang::Eng => "en",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Por => "pt",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Pol => "pl",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Ron => "ro",
        Lang::Hun => "hu",
        Lang::Tur => "tr",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Ell => "el",
        Lang::Jpn => "ja",
        Lang::Cmn => "zh",
        Lang::Kor => "ko",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Hin => "hi",
        Lang::Cat => "ca",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Bul => "bg",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Slv => "sl",
        Lang::Ind => "id",
        Lang::Vie => "vi",
        Lang::Tha => "th",
        other => other.code(),
    }
}

/// The name of a language for people, for codes the pack does not cover.
#[must_use]
pub fn language_name(code: &str) -> String {
    let name = whatlang::Lang::all()
        .iter()
        .find(|l| iso639_1(**l) == code)
        .map(|l| l.eng_name().to_owned());
    name.unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use crate::rules::RulePack;

    use super::Speaker;

    fn request(lang: &str, text: &str) -> Option<String> {
        let pack = RulePack::builtin();
        let index = pack.detector.language_index(lang)?;
        let cues = pack.detector.cues(index, Speaker::Customer, text);
        cues.request.map(|m| m.as_str(text).to_owned())
    }

    #[test]
    fn requests_with_the_verb_last_are_found() {
        assert!(
            request(
                "de",
                "kann ich bitte mit einem mitarbeiter sprechen, meine rechnung ist zu hoch"
            )
            .is_some()
        );
        assert!(request("nl", "kan ik iemand spreken").is_some());
        assert!(request("de", "Verbinden Sie mich bitte.").is_some());
        assert!(request("en", "OPERATOREEE").is_none());
        assert!(request("it", "OPERATOREEE").is_some());
    }

    #[test]
    fn language_is_told_by_the_packs_words_when_whatlang_is_unsure() {
        let pack = RulePack::builtin();
        let detect = |t: &str| pack.detector.detect_language(t).unwrap_or_default();
        assert_eq!(detect("Je suis Léa, votre assistante virtuelle."), "fr");
        assert_eq!(detect("Quiero hablar con un agente"), "es");
        assert_eq!(
            detect("Hej! Jag heter Alva och är bankens digitala assistent."),
            "sv"
        );
    }
}
