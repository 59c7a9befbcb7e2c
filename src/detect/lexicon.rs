//! Lexicons: which words and short phrases of a language belong to which [`Class`].
//!
//! A language's lexicon is written in the rule pack as lists per class (`ai_noun = ["bot", "chatbot", …]`).
//! An entry is a word or a phrase in a small slot syntax that keeps lists short:
//!
//! * spaces separate slots; every slot must match one token, in order;
//! * `a|b|c` are alternatives for one slot; `_` joins words inside an alternative (`you_are|you're`);
//! * a slot ending in `?` is optional (`you're|you_are now? chatting|talking with|to`);
//! * an entry starting with `-` is a word ending (`-bot` matches "chatbot", "servicebot"), for languages
//!   that write compounds as one word; `suffix_exclude` lists the words that merely end alike ("angebot").
//!
//! Entries are folded like message words (lowercase, no accents), so "Téléphone" and "telephone" are one
//! entry. Words of five letters or more of the classes people misspell (nouns for people and AIs, the
//! verbs of requests) also match with one typo (a letter missing, added, changed or two swapped).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::text::{Tokens, fold};

macro_rules! classes {
    ($($(#[doc = $doc:literal])* $name:ident = $key:literal,)*) => {
        /// A word class of the lexicon; the grammar in [`super::frames`] is written over these.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Class { $($(#[doc = $doc])* $name,)* }

        impl Class {
            /// Every class, in declaration order.
            pub const ALL: &'static [Class] = &[$(Class::$name,)*];

            /// The key naming the class in a rule pack.
            #[must_use]
            pub fn key(self) -> &'static str {
                match self { $(Class::$name => $key,)* }
            }
        }
    };
}

classes! {
    /// A word that names an AI on its own: "bot", "chatbot", "AI", "language model".
    AiNoun = "ai_noun",
    /// A word that makes a head noun an AI: "virtual", "automated", "digital".
    AiModifier = "ai_modifier",
    /// An AI modifier that may stand apart from its head ("virtual banking assistant"); also list it
    /// under `ai_modifier`. "digital" is not one: "digital marketing specialist" is a person.
    AiModifierLoose = "ai_modifier_loose",
    /// A noun that is an AI only with an AI modifier: "assistant", "agent", "reply".
    AiHead = "ai_head",
    /// A noun after an AI word that makes that word a mere modifier: "bot protection", "AI features".
    NotAiHead = "not_ai_head",
    /// A noun for a person or team someone can be handed to: "agent", "advisor", "someone", "team".
    HumanNoun = "human_noun",
    /// Someone unspecified: "someone", "anyone", "the team"; a person only with a talk or transfer verb.
    GenericPerson = "generic_person",
    /// "They", "them", "ils", "ellos", "one": people named before in the message ("one of our engineers
    /// can help; shall I pass you over to them?", "a real person? I need to talk to one"). A person only
    /// after a person was named.
    ThirdPerson = "third_person",
    /// A place with people the customer can go to: "branch", "store", "agence".
    Place = "place",
    /// People who come to fix things: "technician", "engineer". Reachable by a call, not offered by a visit.
    FieldPerson = "field_person",
    /// A word saying a person is real: "real", "live", "human", "actual".
    HumanModifier = "human_modifier",
    /// A word before a human noun that makes it someone else: "travel agent", "estate agent".
    NotHumanModifier = "not_human_modifier",
    /// A word naming humanness itself, used in identity questions and denials: "human", "person", "real".
    Humanness = "humanness",
    /// Words that make the speaker the subject: "I'm", "this is", "you're chatting with", "you've reached".
    SelfFrame = "self_frame",
    /// "as" in "as an AI".
    AsFrame = "as_frame",
    /// Words that follow a name to introduce the speaker: "here", "speaking".
    PostSelf = "post_self",
    /// The channel or its replies as a subject: "this chat", "messages", "replies", "this service".
    ChannelNoun = "channel_noun",
    /// What happens to the channel: "answered", "powered", "generated", "uses", "automated".
    ChannelVerb = "channel_verb",
    /// What an AI will do for the customer, in banners: "will help", "can assist".
    ServiceVerb = "service_verb",
    /// Handing the customer over: "transfer", "connect", "put through", "pass".
    Transfer = "transfer_verb",
    /// Reaching someone: "call", "ring", "contact", "reach", "get back to".
    Contact = "contact_verb",
    /// The company calling the customer: "we'll call you back", "te llamamos", "ligamos-lhe", "Rückruf".
    /// An offer on its own: no person needs to be named.
    CallBack = "call_back",
    /// The customer asking to be called: "call me back", "rappelez-moi", "bel me terug". Whoever rings
    /// is a person, so it asks for one.
    CallMe = "call_me",
    /// Talking: "speak", "talk", "chat".
    Talk = "talk_verb",
    /// Going to a place, or coming round: "visit", "pop in", "passer", "besuchen".
    Visit = "visit_verb",
    /// Making an appointment: "book", "schedule", "prendre rendez-vous", "afspraak".
    Appointment = "appointment_verb",
    /// Wanting: "want", "need", "would like", "wanna".
    Want = "want_verb",
    /// Asking for something handed over: "give me", "get me", "let me".
    Give = "give_verb",
    /// Telling the customer what to type or press: "type", "reply", "press", "say".
    Instruct = "instruct_verb",
    /// Words that make what follows a condition or reported question: "if", "whether", "ob", "si".
    Conditional = "conditional",
    /// Prepositions that make a contact word a channel, not a verb: "by (e-mail)", "per", "via".
    Via = "channel_preposition",
    /// The customer addressed: "you", "Ihnen", "vous", "te".
    Addressee = "addressee",
    /// The customer as subject of a request: "I", "me", "can I", "could I".
    Requester = "requester",
    /// Second-person forms addressed to the AI in questions: "are you", "r u", "is this", "am I talking to".
    IdentityFrame = "identity_frame",
    /// Presence: "is there", "there's", "gibt es", "hay", "il y a", "c'è", "finns det".
    Presence = "presence_frame",
    /// Being available or around: "available", "around", "there", "online".
    Available = "available",
    /// Someone at work on the other end: "reading", "typing", "listening". Asked of "anyone", it asks
    /// whether a person answers ("is anyone even reading this?"); "is anybody there?" only asks whether
    /// someone is present.
    Attending = "attending",
    /// A modal of what will or would happen, not of what may be done: "will", "would", "würde". "If I
    /// cancel, would I have to speak to someone?" wonders; "if not, can I speak to someone?" asks.
    FutureModal = "future_modal",
    /// What only the living have or need: a pulse, a morning coffee, lunch. Said of the speaker in reply to
    /// "are you a bot?" ("last time I checked I had a pulse!"), it answers "a person".
    Alive = "alive",
    /// "There" and "here": a place in this conversation. "Is there a person there?" asks who is on the
    /// other end; "is there a person available?" asks whether one can be reached.
    Deictic = "deictic",
    /// Negation words: "not", "n't", "never", "no", "can't".
    Negation = "negation",
    /// Phrases that start with a negation word yet negate nothing: "no problem", "not sure".
    NegationExempt = "negation_exempt",
    /// Phrases declining a human: "no thanks", "no need", "never mind".
    Decline = "decline",
    /// Words that start a new clause: "but", "however".
    ClauseBreak = "clause_break",
    /// Articles, possessives and quantifiers: "a", "the", "your", "one of our".
    Determiner = "determiner",
    /// Adverbs and adjectives that may stand inside a noun phrase: "just", "friendly", "new".
    Filler = "filler",
    /// Words that end a noun phrase: prepositions, conjunctions, relative pronouns.
    Stop = "stop",
    /// Agreement: "yes", "yeah", "correct".
    Yes = "yes",
    /// Disagreement: "no", "nope".
    No = "no",
    /// Greetings and openers: "hi", "hello", "welcome", "thanks for contacting".
    Greeting = "greeting",
    /// Politeness and urgency words a bare request may carry: "please", "now", "asap".
    Polite = "polite",
    /// Question words that turn a negated request into a complaint: "why", "how come".
    WhyWord = "why_word",
    /// Things other than this conversation that may be asked about: "SMS", "e-mail", "letter", "seller".
    /// A question whether one of them is a bot is not about who is answering.
    ThirdParty = "third_party",
    /// The customer quoting themselves, which tells no story: "I said", "ho detto", "ik vroeg".
    OwnWords = "own_words",
    /// Past or reported speech that makes a human mention a story, not a request: "told", "said", "yesterday".
    Story = "story",
    /// Asked as in questioned: "asked", "fragte", "frågade" (not Dutch "vroeg", which also asks for).
    /// With a person right after it ("I asked the vets"), the customer put a question to someone;
    /// they asked for no one ("I asked for a person").
    Questioned = "questioned",
    /// Words of hesitation said between commas: "um", "like", "you know", "euh", "äh". "Can I talk to,
    /// like, a person?" is one clause; the commas around such a word close nothing.
    Hedge = "hedge",
    /// What the speaker would usually do: "I'd normally", "we would usually", "normalerweise würde
    /// ich". An offer after it is not made now ("I'd normally pass this to our team, but …").
    Habitual = "habitual",
    /// A family role: "dad", "Mutter", "maman". Claimed by the speaker ("as a dad of two myself", "ik
    /// ben zelf moeder"), it claims a human life.
    Family = "family",
    /// What a person has at home or in their life: "wardrobe", "suitcase", "car", "wife", "Koffer",
    /// "valigia". The speaker's own in a story ("when my own wardrobe was delivered last year", "ho perso
    /// la mia valigia") claims a human life.
    Belonging = "belonging",
    /// The speaker themself, stressed: "myself", "selbst", "moi-même", "zelf". After a trade said of
    /// the speaker ("I'm a chartered accountant myself") it claims a human life.
    SelfEmphasis = "self_emphasis",
    /// Years as a length of time: "years", "Jahren", "ans", "anni". The speaker at work somewhere for
    /// years ("I've been looking after fraud cases here for eight years") claims a working life.
    Years = "years",
    /// The question word for a person: "who", "wem", "qui", "chi". "Who can I speak to about this?" asks
    /// for someone.
    Who = "who",
    /// Where someone is: "at", "in", "bei", "dans", "op". The speaker at a place ("I'm the only one in
    /// the office tonight", "ich sitze in der Werkstatt") claims a body.
    Locative = "locative",
    /// "with", "mit", "avec", "con": "I'd rather go over this with one of your staff" wishes to deal
    /// with a person of the company.
    Comitative = "comitative",
    /// What is required, asked: "do I need to", "must I", "muss ich", "dois-je". "Do I need to talk to
    /// a doctor for a renewal?" asks about the process, it asks for no one.
    Necessity = "necessity",
    /// Words that take up an offer: "please do", "go ahead", "gerne", "vale", "pode ser". After "Shall I
    /// connect you with an adviser?" they say yes to it (and nothing else reads them).
    Accept = "accept",
    /// "or" between two answers to "what am I talking to": "a bot or a human?" asks, it requests no one.
    Alternative = "alternative",
    /// A relative clause of ability after a person: "who can", "som kan", "qui peut". "Is there anyone who
    /// can look at this?" asks for someone, not whether someone is there.
    AbleRelative = "able_relative",
    /// A telephone line or number as a noun: "line", "helpline", "numero", "Rufnummer". With a number
    /// after it, a way to reach people ("our claims line is open on 0800 …").
    PhoneLine = "phone_line",
    /// The customer's own: "your", "votre", "Ihre", "uw". "Your line 07700 …" is theirs, not ours.
    CustomerPossessive = "customer_possessive",
    /// "this", "diese", "cette", "questo": "this e-mail was written by our AI assistant" is said of the
    /// message itself, not of another e-mail.
    Demonstrative = "demonstrative",
    /// The company's own, in its messages: "our", "unser", "nostro". "Un nostro agente immobiliare ti
    /// ricontatta" is one of the company's people, though "agente immobiliare" alone is someone else.
    CompanyPossessive = "company_possessive",
    /// "can", "could", "kann", "peut", "puede": a question that starts with one and names a person as the
    /// subject asks that person to act ("can a human look at this?").
    Modal = "modal",
    /// The speaker as the subject, the word a sentence opens with: "I", "I'm", "ich", "je", "yo". A
    /// "no" right before it answers what was said ("no im an automated assistant"); a negation stands
    /// after the subject, not before it.
    Subject = "subject",
    /// People a customer has of their own, outside the company: "broker", "solicitor", "Makler",
    /// "courtier". "Contact your broker" sends the customer to them, it reaches no one of ours.
    OutsidePerson = "outside_person",
    /// A past that did not happen, in a condition: "if you'd paid us directly", "had you booked with
    /// us". What the main clause then offers is not on offer.
    Counterfactual = "counterfactual",
    /// The speaker's own: "my", "mein", "mon", "mijn". In a customer's message "my solicitor" is
    /// theirs, no one of the company's to ask for.
    OwnPossessive = "own_possessive",
    /// A tag that turns a statement into a question: "you're a bot, right", "c'est un robot, non",
    /// "du bist ein Bot, oder".
    TagQuestion = "tag_question",
}

/// A class set, one bit per [`Class`].
pub type ClassSet = u128;

/// The bit of a class.
#[must_use]
pub const fn bit(class: Class) -> ClassSet {
    1 << (class as u8)
}

/// Classes whose words are also matched with one typo.
const FUZZY: ClassSet = bit(Class::AiNoun)
    | bit(Class::HumanNoun)
    | bit(Class::Talk)
    | bit(Class::Transfer)
    | bit(Class::Want)
    | bit(Class::Humanness)
    | bit(Class::HumanModifier);

/// Classes of verbs, whose forms vary: near matches count in an assistant's text too.
const INFLECTED: ClassSet = bit(Class::Talk) | bit(Class::Transfer) | bit(Class::Want);

/// Shortest word matched with a typo.
const FUZZY_MIN_CHARS: usize = 5;

/// The most alternatives one entry may expand to; protects against packs that would blow up.
const MAX_EXPANSIONS: usize = 512;

/// The compiled word lists of one or more languages (a conversation's language plus English).
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Tells lexicons apart in the per-thread memo of word classes; a new value after every change.
    id: u64,
    /// One-word entries.
    words: HashMap<String, ClassSet>,
    /// Multi-word entries by their first word: the remaining words and the class.
    phrases: HashMap<String, Vec<(Vec<String>, Class)>>,
    /// Word endings (without the leading `-`) and their class.
    suffixes: Vec<(String, Class)>,
    /// Words that end like a suffix entry but are not of its class.
    suffix_exclude: HashSet<String>,
    /// Fuzzy-matchable words by first character.
    fuzzy: HashMap<char, Vec<(String, ClassSet)>>,
    /// Words one typo away from an entry that are words of their own ("advise", not "adviser").
    typo_exclude: HashSet<String>,
}

/// A problem with a lexicon entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryError {
    /// The class list the entry is in.
    pub class: String,
    /// The entry as written.
    pub entry: String,
    /// Why it is not usable.
    pub reason: String,
}

impl Lexicon {
    /// Adds the entries of one class.
    ///
    /// # Errors
    ///
    /// An [`EntryError`] for an entry that is empty or expands to too many phrases.
    pub fn add(&mut self, class: Class, entries: &[String]) -> Result<(), EntryError> {
        self.changed();
        for entry in entries {
            let trimmed = entry.trim();
            let error = |reason: &str| EntryError {
                class: class.key().to_owned(),
                entry: entry.clone(),
                reason: reason.to_owned(),
            };
            if trimmed.is_empty() {
                return Err(error("it is empty"));
            }
            if let Some(ending) = trimmed.strip_prefix('-') {
                let ending = fold(ending);
                if ending.is_empty() {
                    return Err(error("a word ending needs letters after the '-'"));
                }
                self.suffixes.push((ending, class));
                continue;
            }
            let phrases = expand(trimmed).ok_or_else(|| {
                error("it has too many alternatives; split it into several entries")
            })?;
            for phrase in phrases {
                let mut words = phrase.into_iter();
                let Some(first) = words.next() else { continue };
                let rest: Vec<String> = words.collect();
                if rest.is_empty() {
                    *self.words.entry(first.clone()).or_default() |= bit(class);
                    if bit(class) & FUZZY != 0 && first.chars().count() >= FUZZY_MIN_CHARS {
                        if let Some(c) = first.chars().next() {
                            let list = self.fuzzy.entry(c).or_default();
                            match list.iter_mut().find(|(w, _)| *w == first) {
                                Some((_, set)) => *set |= bit(class),
                                None => list.push((first, bit(class))),
                            }
                        }
                    }
                } else {
                    self.phrases.entry(first).or_default().push((rest, class));
                }
            }
        }
        Ok(())
    }

    /// Adds words that end like a suffix entry without being of its class.
    pub fn exclude_suffixes(&mut self, words: &[String]) {
        self.changed();
        self.suffix_exclude
            .extend(words.iter().map(|w| fold(w.trim())));
    }

    /// Adds words that are one typo away from an entry yet words of their own, never read as that entry.
    pub fn exclude_typos(&mut self, words: &[String]) {
        self.changed();
        self.typo_exclude
            .extend(words.iter().map(|w| fold(w.trim())));
    }

    /// Every word of every entry (phrases included), to tell languages apart by their words.
    pub fn all_words(&self) -> impl Iterator<Item = &str> {
        self.words
            .keys()
            .map(String::as_str)
            .chain(self.phrases.iter().flat_map(|(first, list)| {
                std::iter::once(first.as_str()).chain(
                    list.iter()
                        .flat_map(|(rest, _)| rest.iter().map(String::as_str)),
                )
            }))
    }

    /// Adds everything of another lexicon (used to add English to every language).
    #[allow(
        clippy::iter_over_hash_type,
        reason = "merging sets: the result does not depend on the order"
    )]
    pub fn merge(&mut self, other: &Lexicon) {
        self.merge_except(other, &[]);
    }

    /// Adds everything of another lexicon but its entries for the words in `except` (one-word entries,
    /// phrases that start with one, and their typo matches): words of this language that only look like
    /// the other's.
    #[allow(
        clippy::iter_over_hash_type,
        reason = "merging sets: the result does not depend on the order"
    )]
    pub fn merge_except(&mut self, other: &Lexicon, except: &[String]) {
        self.changed();
        let except: HashSet<String> = except.iter().map(|w| fold(w.trim())).collect();
        for (w, set) in other.words.iter().filter(|(w, _)| !except.contains(*w)) {
            *self.words.entry(w.clone()).or_default() |= set;
        }
        for (first, list) in other.phrases.iter().filter(|(w, _)| !except.contains(*w)) {
            self.phrases
                .entry(first.clone())
                .or_default()
                .extend(list.iter().cloned());
        }
        self.suffixes.extend(other.suffixes.iter().cloned());
        self.suffix_exclude
            .extend(other.suffix_exclude.iter().cloned());
        self.typo_exclude.extend(other.typo_exclude.iter().cloned());
        for (c, list) in &other.fuzzy {
            let mine = self.fuzzy.entry(*c).or_default();
            for (w, set) in list.iter().filter(|(w, _)| !except.contains(w)) {
                match mine.iter_mut().find(|(m, _)| m == w) {
                    Some((_, s)) => *s |= set,
                    None => mine.push((w.clone(), *set)),
                }
            }
        }
    }

    /// Marks every token of a message with the classes that start at it and where they end. With
    /// `typos`, every word is also read as a typo of an entry (what customers type); without, only verbs
    /// are (an assistant conjugates, it does not misspell: "Export" is a button, not an "expert").
    #[must_use]
    pub fn mark(&self, tokens: &Tokens, typos: bool) -> Marks {
        // The memo is lent out of the thread's store for the whole message (no borrow held meanwhile).
        let mut memo = MEMO.with_borrow_mut(|memos| memos.take(self.id));
        let marks = {
            let n = tokens.len();
            let mut marks = Marks::new(n);
            for i in 0..n {
                if !tokens.is_word(i) {
                    continue;
                }
                let word = tokens.word(i);
                let found = memo.lookup(word, |w| self.word_classes(w));
                // An assistant's verbs come in forms the lists may lack ("che la metta in contatto"):
                // those are still read as near matches; its nouns are not ("Export" is no "expert").
                // In the customer's text "our" is the customer's own ("our letting agent"): the company's
                // possessive is read only in the company's messages.
                let set = if typos {
                    (found.exact | found.typo) & !bit(Class::CompanyPossessive)
                } else {
                    found.exact | (found.inflected & INFLECTED)
                };
                let starts_phrase = found.starts_phrase;
                let mut rest = set;
                while rest != 0 {
                    let index = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    if let Some(class) = Class::ALL.get(index) {
                        marks.set(i, *class, i + 1);
                    }
                }
                if starts_phrase {
                    if let Some(list) = self.phrases.get(word) {
                        for (rest, class) in list {
                            if let Some(end) = match_rest(tokens, i + 1, rest) {
                                marks.set(i, *class, end);
                            }
                        }
                    }
                }
            }
            // "de la Mutuelle": a word both an article and "there" once its accent is gone (French
            // "la"/"là", Italian "la"/"là") is the article when typed without the accent and a word
            // follows it.
            for i in 0..n {
                let article_or_there =
                    marks.is(i, Class::Determiner) && marks.is(i, Class::Available);
                let unaccented = tokens
                    .tokens
                    .get(i)
                    .is_some_and(|t| t.end - t.start == (t.fend - t.fstart) as usize);
                if article_or_there && unaccented && tokens.is_word(i + 1) {
                    marks.clear(i, Class::Available);
                    marks.clear(i, Class::Deictic);
                }
            }
            marks
        };
        MEMO.with_borrow_mut(|memos| memos.put(self.id, memo));
        marks
    }

    /// Gives the lexicon a new identity after a change, so no memo answers for what it was.
    fn changed(&mut self) {
        self.id = next_id();
    }

    /// The classes of one word, and whether a phrase entry starts with it: the exact entry, else a
    /// suffix, the word with stretched letters squeezed, a verb with a clitic, one typo.
    fn word_classes(&self, word: &str) -> WordClasses {
        let starts_phrase = self.phrases.contains_key(word);
        let mut set = self.words.get(word).copied().unwrap_or(0);
        if set == 0 {
            set = self.suffix_classes(word);
        }
        if set == 0 {
            // "OPERATOREEE", "humaaan", "pleaseeee": stretched letters squeezed.
            if let Some(squeezed) = squeeze(word) {
                set = self.words.get(&squeezed).copied().unwrap_or(0);
            }
        }
        if set == 0 {
            set = self.clitic_classes(word);
        }
        let (typo, inflected) = if set == 0 {
            self.fuzzy_classes(word)
        } else {
            (0, 0)
        };
        WordClasses {
            exact: set,
            typo,
            inflected,
            starts_phrase,
        }
    }

    fn suffix_classes(&self, word: &str) -> ClassSet {
        let mut set = 0;
        for (ending, class) in &self.suffixes {
            if word.len() > ending.len() + 1
                && word.ends_with(ending.as_str())
                && !self.suffix_exclude.contains(word)
            {
                set |= bit(*class);
            }
        }
        set
    }

    /// Verbs with an attached pronoun ("llamarte", "richiamarla", "pasarle"): the verb's classes.
    fn clitic_classes(&self, word: &str) -> ClassSet {
        const CLITICS: &[&str] = &[
            "gliela", "glielo", "nos", "les", "los", "las", "gli", "la", "lo", "le", "li", "ti",
            "vi", "ci", "mi", "me", "te",
        ];
        const VERBS: ClassSet = bit(Class::Transfer)
            | bit(Class::Contact)
            | bit(Class::Talk)
            | bit(Class::Give)
            | bit(Class::Want);
        for clitic in CLITICS {
            if let Some(stem) = word.strip_suffix(clitic) {
                if stem.len() >= 4 && stem.ends_with(['r', 'e', 'a', 'i']) {
                    let set = self.words.get(stem).copied().unwrap_or(0) & VERBS;
                    if set != 0 {
                        return set;
                    }
                    // Italian drops the infinitive's last "e" before a clitic: "passarla" is
                    // "passare" + "la".
                    if stem.ends_with('r') {
                        let set = self.words.get(&format!("{stem}e")).copied().unwrap_or(0) & VERBS;
                        if set != 0 {
                            return set;
                        }
                    }
                }
            }
        }
        0
    }

    /// The classes of the entries `word` is one typo away from, and of those among them that share all
    /// but the word's last two letters (an ending changed: an inflection).
    fn fuzzy_classes(&self, word: &str) -> (ClassSet, ClassSet) {
        let count = word.chars().count();
        if count < FUZZY_MIN_CHARS || word.contains('\'') || self.typo_exclude.contains(word) {
            return (0, 0);
        }
        let Some(first) = word.chars().next() else {
            return (0, 0);
        };
        let (mut set, mut inflected) = (0, 0);
        if let Some(list) = self.fuzzy.get(&first) {
            for (candidate, classes) in list {
                if candidate.len().abs_diff(word.len()) <= 2 && within_one_edit(word, candidate) {
                    set |= classes;
                    let shared = word
                        .bytes()
                        .zip(candidate.bytes())
                        .take_while(|(a, b)| a == b)
                        .count();
                    // Five letters: only the last may change ("metta", not "metro" for "metto").
                    let shortest = word.len().min(candidate.len());
                    let ending = if shortest <= 5 { 1 } else { 2 };
                    if shared + ending >= shortest {
                        inflected |= classes;
                    }
                }
            }
        }
        (set, inflected)
    }
}

static NEXT_LEXICON_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A number no lexicon or detector has had before, to tell them apart in per-thread memos.
pub(crate) fn next_id() -> u64 {
    NEXT_LEXICON_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

thread_local! {
    /// Per thread, the classes of the words each lexicon has looked up: most words of a chat are
    /// not in any list, and finding that out (suffixes, squeezing, clitics, typos) costs far more than
    /// one more lookup. Bounded: a memo that grows past [`MEMO_WORDS`] starts over.
    static MEMO: std::cell::RefCell<Memos> = std::cell::RefCell::default();
}

/// Most words one lexicon's memo holds per thread.
const MEMO_WORDS: usize = 1 << 16;

/// The memos of one thread, one per lexicon it has used.
#[derive(Default)]
struct Memos {
    by_lexicon: Vec<(u64, Memo)>,
}

impl Memos {
    /// Lexicon `id`'s memo, lent out until [`Memos::put`] gives it back.
    fn take(&mut self, id: u64) -> Memo {
        match self.by_lexicon.iter().position(|(i, _)| *i == id) {
            Some(at) => self.by_lexicon.swap_remove(at).1,
            None => Memo::default(),
        }
    }

    fn put(&mut self, id: u64, memo: Memo) {
        // Lexicons of packs no longer in use are forgotten first.
        if self.by_lexicon.len() >= 32 {
            self.by_lexicon.remove(0);
        }
        self.by_lexicon.push((id, memo));
    }
}

/// What one word is to a lexicon.
#[derive(Clone, Copy)]
struct WordClasses {
    /// Its classes as written (also with a suffix, squeezed letters or a clitic).
    exact: ClassSet,
    /// The classes it has if it is a typo of an entry (only when it has no exact ones).
    typo: ClassSet,
    /// The part of `typo` from entries that differ only near the end of the word: another form of
    /// the same verb ("metta" for "metto"), not another word ("metro").
    inflected: ClassSet,
    /// Whether a phrase entry starts with it.
    starts_phrase: bool,
}

/// Word to its classes, for one lexicon.
#[derive(Default)]
struct Memo(HashMap<Box<str>, WordClasses>);

impl Memo {
    fn lookup(&mut self, word: &str, compute: impl FnOnce(&str) -> WordClasses) -> WordClasses {
        if let Some(found) = self.0.get(word) {
            return *found;
        }
        let found = compute(word);
        if self.0.len() >= MEMO_WORDS {
            self.0.clear();
        }
        self.0.insert(word.into(), found);
        found
    }
}

/// The word with every run of three or more equal letters cut to one, if it has such a run.
fn squeeze(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let stretched = chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    if !stretched {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in chars {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    Some(out)
}

/// Matches the remaining words of a phrase from token `at` on; words only, punctuation in between fails.
fn match_rest(tokens: &Tokens, at: usize, rest: &[String]) -> Option<usize> {
    let mut i = at;
    for word in rest {
        // "am i talkin to": a final "g" dropped, as typed and spoken.
        let dropped_g = || {
            word.len() > 5
                && word.ends_with("ing")
                && word.get(..word.len() - 1) == Some(tokens.word(i))
        };
        if !tokens.is_word(i) || (tokens.word(i) != word && !dropped_g()) {
            return None;
        }
        i += 1;
    }
    Some(i)
}

/// Number of classes (derived, so a new class cannot fall outside the per-token tables).
pub const CLASS_COUNT: usize = Class::ALL.len();

// A class set is a `u128`, one bit per class.
const _: () = assert!(CLASS_COUNT <= 128);

/// The classes found at each token of a message.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    starts: Vec<ClassSet>,
    /// The matches longer than one token, as (token, class, length in tokens), sorted by token and
    /// class: most words are matched alone, so a table of every class at every token would be almost
    /// all zeros (and zeroing it cost more than reading the words).
    long: Vec<(u32, u8, u8)>,
}

impl Marks {
    /// Marks for `n` tokens, none of them marked yet.
    fn new(n: usize) -> Self {
        Marks {
            starts: vec![0; n],
            long: Vec::new(),
        }
    }

    /// Where the long match of `class` at token `i` is (or would go) in [`Marks::long`].
    fn long_slot(&self, i: usize, class: Class) -> Result<usize, usize> {
        let key = (i as u64) << 8 | class as u64;
        self.long
            .binary_search_by_key(&key, |&(t, c, _)| u64::from(t) << 8 | u64::from(c))
    }

    fn set(&mut self, i: usize, class: Class, end: usize) {
        let Some(set) = self.starts.get_mut(i) else {
            return;
        };
        *set |= bit(class);
        let len = end.saturating_sub(i).min(u8::MAX as usize) as u8;
        if len <= 1 {
            return;
        }
        match self.long_slot(i, class) {
            Ok(at) => {
                if let Some(slot) = self.long.get_mut(at) {
                    slot.2 = slot.2.max(len);
                }
            }
            Err(at) => self.long.insert(at, (i as u32, class as u8, len)),
        }
    }

    /// Takes back the reading of token `i` as a one-word `class` (phrases starting there go too).
    fn clear(&mut self, i: usize, class: Class) {
        if let Some(set) = self.starts.get_mut(i) {
            *set &= !bit(class);
        }
        if let Ok(at) = self.long_slot(i, class) {
            self.long.remove(at);
        }
    }

    /// Reads tokens `i..end` as a `class` as well, for what the message's context says of them (the
    /// assistant's own name, given earlier, read as "you").
    pub fn add(&mut self, i: usize, class: Class, end: usize) {
        self.set(i, class, end);
    }

    /// Whether a word of `class` starts at token `i`.
    #[must_use]
    pub fn is(&self, i: usize, class: Class) -> bool {
        self.starts.get(i).is_some_and(|s| s & bit(class) != 0)
    }

    /// Whether a word of any class in `set` starts at token `i`.
    #[must_use]
    pub fn any(&self, i: usize, set: ClassSet) -> bool {
        self.starts.get(i).is_some_and(|s| s & set != 0)
    }

    /// The end (exclusive token index) of the `class` match starting at `i`.
    #[must_use]
    pub fn end(&self, i: usize, class: Class) -> Option<usize> {
        if !self.is(i, class) {
            return None;
        }
        if self.long.is_empty() {
            return Some(i + 1);
        }
        Some(match self.long_slot(i, class) {
            Ok(at) => i + self.long.get(at).map_or(1, |slot| slot.2 as usize),
            Err(_) => i + 1,
        })
    }

    /// Number of tokens marked.
    #[must_use]
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are no tokens.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

/// Expands an entry in slot syntax into its phrases (each a list of folded words); `None` when it would
/// expand to too many.
fn expand(entry: &str) -> Option<Vec<Vec<String>>> {
    let mut phrases: Vec<Vec<String>> = vec![Vec::new()];
    for slot in entry.split_whitespace() {
        let (slot, optional) = match slot.strip_suffix('?') {
            Some(s) if !s.is_empty() => (s, true),
            _ => (slot, false),
        };
        // Each alternative is tokenised like a message, so "s'il_vous_plait" and "KI-gestützt" split
        // into the same words messages do.
        let alternatives: Vec<Vec<String>> = slot
            .split('|')
            .filter(|a| !a.is_empty())
            .map(|a| {
                // A bare elision ("l'", "n'") is a word of its own, as the tokeniser splits it off.
                if a.ends_with(['\'', '’']) && !a.contains(['_', ' ']) {
                    return vec![fold(a)];
                }
                let spaced = a.replace('_', " ");
                let tokens = super::text::tokenize(&spaced);
                let mut words: Vec<String> = (0..tokens.len())
                    .filter(|&i| tokens.is_word(i))
                    .map(|i| tokens.word(i).to_owned())
                    .collect();
                // "en_tant_qu'": the last word is an elision, as in "qu'assistant".
                if a.ends_with(['\'', '’']) {
                    if let Some(last) = words.last_mut() {
                        last.push('\'');
                    }
                }
                words
            })
            .collect();
        let mut next = Vec::new();
        for phrase in &phrases {
            if optional {
                next.push(phrase.clone());
            }
            for alternative in &alternatives {
                let mut p = phrase.clone();
                p.extend(alternative.iter().cloned());
                next.push(p);
            }
        }
        if next.len() > MAX_EXPANSIONS {
            return None;
        }
        phrases = next;
    }
    phrases.retain(|p| !p.is_empty());
    Some(phrases)
}

/// Damerau–Levenshtein distance of at most one (one letter missing, added, changed, or two swapped).
fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return within_one_edit_of(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_one_edit_of(&a, &b)
}

/// Whether one letter is a likely typo for the other: neighbours on a keyboard (QWERTY, with the QWERTZ and
/// AZERTY swaps: "humsn" is a slip of the finger), or two vowels (spelt as heard: "humen"). Other
/// exchanges make a different word ("pagar" is not "pasar").
fn keyboard_neighbours(a: char, b: char) -> bool {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    if vowel(a) && vowel(b) {
        return true;
    }
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let place = |c: char| {
        ROWS.iter()
            .enumerate()
            .find_map(|(r, row)| row.find(c).map(|col| (r, col)))
    };
    if matches!(
        (a, b),
        ('y', 'z') | ('z', 'y') | ('a', 'q') | ('q', 'a') | ('w', 'z') | ('z', 'w')
    ) {
        return true;
    }
    let (Some((ra, ca)), Some((rb, cb))) = (place(a), place(b)) else {
        // Letters outside the basic keyboard (å, ø, ß…): any substitution may be a slip.
        return true;
    };
    // Rows are staggered: a key touches the one before and after in its row, and two in the rows next to it.
    match ra.abs_diff(rb) {
        0 => ca.abs_diff(cb) == 1,
        1 if ra < rb => cb == ca || cb + 1 == ca,
        1 => ca == cb || ca + 1 == cb,
        _ => false,
    }
}

/// A letter of the word, for the keyboard check.
trait Letter: PartialEq + Copy {
    fn letter(self) -> char;
}

impl Letter for u8 {
    fn letter(self) -> char {
        char::from(self)
    }
}

impl Letter for char {
    fn letter(self) -> char {
        self
    }
}

fn within_one_edit_of<T: Letter>(a: &[T], b: &[T]) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        // One substitution, or one transposition of neighbours.
        let rest_equal = |from: usize| a.get(from..) == b.get(from..);
        let slip = match (a.get(prefix), b.get(prefix)) {
            (Some(x), Some(y)) => keyboard_neighbours(x.letter(), y.letter()),
            _ => true,
        };
        return (slip && rest_equal(prefix + 1))
            || (a.get(prefix) == b.get(prefix + 1)
                && a.get(prefix + 1) == b.get(prefix)
                && rest_equal(prefix + 2));
    }
    let (long, short) = if la > lb { (a, b) } else { (b, a) };
    long.get(prefix + 1..) == short.get(prefix..)
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    #[test]
    fn slot_syntax_expands_alternatives_and_optional_slots() {
        let phrases = expand("you're|you_are now? chatting with|to").unwrap_or_default();
        assert_eq!(phrases.len(), 8);
        assert!(phrases.contains(&vec![
            "you".to_owned(),
            "are".to_owned(),
            "now".to_owned(),
            "chatting".to_owned(),
            "to".to_owned()
        ]));
    }

    #[test]
    fn one_typo_is_tolerated_for_long_words() {
        assert!(within_one_edit("represntative", "representative"));
        assert!(within_one_edit("agnet", "agent"));
        assert!(within_one_edit("humen", "human"));
        assert!(!within_one_edit("humanity", "human"));
        assert!(within_one_edit("humsn", "human"));
        assert!(!within_one_edit("pagar", "pasar"));
    }

    #[test]
    fn phrases_suffixes_and_typos_mark_tokens() {
        let mut lex = Lexicon::default();
        let list = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(
            lex.add(Class::AiNoun, &list(&["-bot", "language model"]))
                .is_ok()
        );
        assert!(
            lex.add(Class::HumanNoun, &list(&["representative"]))
                .is_ok()
        );
        lex.exclude_suffixes(&list(&["angebot"]));
        let t = tokenize("Ein Kundenbot, ein Angebot, a language model, a represntative");
        let m = lex.mark(&t, true);
        assert!(m.is(1, Class::AiNoun));
        assert!(!m.is(4, Class::AiNoun));
        assert_eq!(m.end(7, Class::AiNoun), Some(9));
        assert!(m.is(11, Class::HumanNoun));
    }
}
