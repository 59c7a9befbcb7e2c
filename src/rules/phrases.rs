//! The phrase matcher: finds the five language cues the audit rules rely on.
//!
//! A [`PhraseBook`] is compiled once from a rule pack (see [`super::pack`]) and then asked, message by
//! message, whether a [`Cue`] occurs and where ([`PhraseBook::find`]). Patterns are case-insensitive,
//! Unicode-aware regular expressions written per cue and per language. On top of the patterns the matcher
//! applies two checks that keep phrase lists short:
//!
//! * **Negation** — a match is dropped when a negation word of its language (`not`, `n't`, `never`,
//!   `unable`, `no`, …) stands in the same clause just before it, so "I can't transfer you to an agent" is
//!   not an offer and "I don't want a human" is not a request. Patterns that need a negation to mean what
//!   they mean ("I'm not a human" as a disclosure) simply contain it.
//! * **Exclusions** — a match is dropped when an exclusion pattern of the cue overlaps it, so "travel
//!   agent" or "user agent" never count as a human.
//!
//! Speed matters (the matcher runs on millions of messages), so every cue also has a prefilter: one regex
//! made of all its patterns with the word-boundary assertions removed. It matches a superset of what the
//! real patterns match, never needs the slow Unicode word-boundary path, and lets messages without any
//! relevant phrase return after a single linear scan.
//!
//! Pattern syntax, as written in the pack (see [`expand_pattern`]): ordinary regex, plus `{name}` to insert
//! a language fragment, a space for "one or more whitespace characters" and a straight apostrophe for any
//! apostrophe (`'`, `’`, `‘`, `ʼ`).

use std::collections::BTreeMap;
use std::fmt;

use regex::{Regex, RegexBuilder};

/// How many words before a match are searched for a negation. Negations that matter sit close to the
/// phrase ("I can't transfer you", "there is no option to speak to a human"); looking further back mostly
/// picks up unrelated "no"s from earlier in a long clause.
const NEGATION_WINDOW_WORDS: usize = 6;

/// How many bytes before a match an overlapping exclusion may start ("real estate agent" before "agent").
const EXCLUSION_LOOKBACK: usize = 64;

/// Punctuation that ends a clause, for every language. Clause-break words come from the pack.
const CLAUSE_PUNCTUATION: &str = r#"[.!?;:,\n\r()\[\]"“”«»¿¡…—–]|\s-\s"#;

/// Every apostrophe a chat client may produce; a straight `'` in a pattern stands for all of them.
const APOSTROPHES: &str = "'’‘ʼ";

/// A bound on candidate matches examined per language and message, so pathological input cannot make
/// one message expensive.
const MAX_CANDIDATES: usize = 64;

/// Compiled size limit per regex; the prefilters of large packs need more than the crate's default.
const REGEX_SIZE_LIMIT: usize = 64 * 1024 * 1024;

/// Lazy-DFA cache per regex (and thread). The crate's 2 MiB default is too small for the combined cue
/// regexes: the cache then thrashes and matching falls back to a much slower engine.
const DFA_CACHE_LIMIT: usize = 16 * 1024 * 1024;

/// A language cue the audit rules look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cue {
    /// The AI (or a platform banner) says the customer is dealing with an AI, bot or automated system.
    AiDisclosure,
    /// The AI or platform offers a way to reach a human.
    HumanOffer,
    /// The customer asks for a human.
    HumanRequest,
    /// The customer asks whether they are talking to a bot, an AI or a human.
    IdentityQuestion,
    /// The AI claims to be human ("I'm a real person", "I'm not a bot").
    IdentityDenial,
}

impl Cue {
    /// Every cue, in declaration order.
    pub const ALL: [Cue; 5] = [
        Cue::AiDisclosure,
        Cue::HumanOffer,
        Cue::HumanRequest,
        Cue::IdentityQuestion,
        Cue::IdentityDenial,
    ];

    /// The key naming the cue in a rule pack (`[cues.human_offer]`) and in messages.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Cue::AiDisclosure => "ai_disclosure",
            Cue::HumanOffer => "human_offer",
            Cue::HumanRequest => "human_request",
            Cue::IdentityQuestion => "identity_question",
            Cue::IdentityDenial => "identity_denial",
        }
    }

    /// The cue a rule-pack key names, if any.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Cue> {
        Cue::ALL.into_iter().find(|cue| cue.key() == key)
    }

    /// Position in [`Cue::ALL`], used to index per-cue tables.
    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Cue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a cue was found: a byte range of the message text, on char boundaries, covering the evidence
/// phrase (for example "I'm a virtual assistant"), not the whole message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueMatch {
    /// Byte offset of the first character of the phrase.
    pub start: usize,
    /// Byte offset just past the last character of the phrase.
    pub end: usize,
}

impl CueMatch {
    /// The matched phrase within `text` (the text the match was found in), or "" if it does not fit.
    #[must_use]
    pub fn as_str(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// What one language contributes to a phrase book, as written in the pack.
#[derive(Clone, Debug, Default)]
pub struct LanguageSpec {
    /// Language code, e.g. `en`.
    pub code: String,
    /// Negation words, matched as whole words. An entry starting with `-` is a word ending (`-n't`).
    pub negation: Vec<String>,
    /// Phrases starting with a negation word that do not negate anything ("no problem").
    pub negation_exempt: Vec<String>,
    /// Words that start a new clause ("but", "however"), in addition to punctuation.
    pub clause_breaks: Vec<String>,
    /// Named regex fragments usable in this language's patterns as `{name}`.
    pub fragments: BTreeMap<String, String>,
}

/// The patterns of one cue, as written in the pack: language code to list of patterns.
#[derive(Clone, Debug, Default)]
pub struct CueSpec {
    /// Patterns whose match is the cue, per language.
    pub patterns: BTreeMap<String, Vec<String>>,
    /// Patterns whose match, where it overlaps a cue match, cancels it, per language.
    pub exclude: BTreeMap<String, Vec<String>>,
}

/// A pattern, word or fragment of a pack that cannot be compiled, with the place it was found at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// Where the bad entry is, for people: "Pattern 3 of `human_request` (en)".
    pub location: String,
    /// Why it is bad, in plain words or as the regex engine put it.
    pub reason: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a valid pattern: {}",
            self.location, self.reason
        )
    }
}

impl std::error::Error for PatternError {}

/// The compiled per-language helpers: negation and clause detection.
#[derive(Clone, Debug)]
struct Language {
    /// Any negation word; `None` when the language lists none.
    negation: Option<Regex>,
    /// Phrases that start with a negation word but do not negate.
    exempt: Option<Regex>,
    /// Clause boundaries: punctuation and clause-break words.
    breaks: Regex,
}

/// All patterns of one cue in one language, combined into one regex.
#[derive(Clone, Debug)]
struct LanguagePatterns {
    /// Index into [`PhraseBook::languages`].
    language: usize,
    regex: Regex,
}

/// Everything compiled for one cue.
#[derive(Clone, Debug, Default)]
struct CueRules {
    /// Superset matcher over every language; `None` when the cue has no patterns at all.
    prefilter: Option<Regex>,
    per_language: Vec<LanguagePatterns>,
    /// All exclusions of the cue, every language together.
    exclude: Option<Regex>,
}

/// The compiled phrase lists of a rule pack: answers "does this cue occur in this text, and where?".
#[derive(Clone, Debug, Default)]
pub struct PhraseBook {
    languages: Vec<Language>,
    cues: [CueRules; 5],
}

impl PhraseBook {
    /// A book without any phrases: it never finds anything. Used when a pack cannot be loaded.
    #[must_use]
    pub fn empty() -> PhraseBook {
        PhraseBook::default()
    }

    /// Compiles the phrase lists of a pack.
    ///
    /// `cues` may name languages that `languages` does not describe; their patterns then get no negation
    /// handling (the pack loader reports such packs as errors before getting here).
    ///
    /// # Errors
    ///
    /// A [`PatternError`] naming the first pattern, exclusion, word or fragment that does not compile.
    pub fn build(
        languages: &[LanguageSpec],
        cues: &BTreeMap<Cue, CueSpec>,
    ) -> Result<PhraseBook, PatternError> {
        let mut book = PhraseBook::default();
        let empty_fragments = BTreeMap::new();
        for spec in languages {
            book.languages.push(compile_language(spec)?);
        }
        for (&cue, spec) in cues {
            let mut rules = CueRules::default();
            let mut prefilter_parts = Vec::new();
            for (code, patterns) in &spec.patterns {
                let (language, fragments) =
                    if let Some(i) = languages.iter().position(|l| &l.code == code) {
                        (
                            i,
                            languages.get(i).map_or(&empty_fragments, |l| &l.fragments),
                        )
                    } else {
                        // An undeclared language gets a helper without negation words.
                        book.languages.push(compile_language(&LanguageSpec {
                            code: code.clone(),
                            ..LanguageSpec::default()
                        })?);
                        (book.languages.len() - 1, &empty_fragments)
                    };
                let expanded = expand_list("Pattern", cue, code, patterns, fragments)?;
                if expanded.is_empty() {
                    continue;
                }
                let combined = alternation(&expanded);
                let regex = compile(&combined).map_err(|reason| PatternError {
                    location: format!("The combined patterns of {cue} ({code})"),
                    reason,
                })?;
                prefilter_parts.push(strip_word_boundaries(&combined));
                rules
                    .per_language
                    .push(LanguagePatterns { language, regex });
            }
            if !prefilter_parts.is_empty() {
                let source = alternation(&prefilter_parts);
                rules.prefilter = Some(compile(&source).map_err(|reason| PatternError {
                    location: format!("The prefilter of {cue}"),
                    reason,
                })?);
            }
            let mut exclusions = Vec::new();
            for (code, patterns) in &spec.exclude {
                let fragments = languages
                    .iter()
                    .find(|l| &l.code == code)
                    .map_or(&empty_fragments, |l| &l.fragments);
                exclusions.extend(expand_list("Exclusion", cue, code, patterns, fragments)?);
            }
            if !exclusions.is_empty() {
                rules.exclude =
                    Some(
                        compile(&alternation(&exclusions)).map_err(|reason| PatternError {
                            location: format!("The combined exclusions of {cue}"),
                            reason,
                        })?,
                    );
            }
            if let Some(slot) = book.cues.get_mut(cue.index()) {
                *slot = rules;
            }
        }
        Ok(book)
    }

    /// First match of the cue in the text, honouring negation and exclusions.
    ///
    /// "First" means the leftmost acceptable phrase over all languages. The span is trimmed of surrounding
    /// whitespace and punctuation, so it can be quoted as evidence as it stands.
    #[must_use]
    pub fn find(&self, cue: Cue, text: &str) -> Option<CueMatch> {
        let rules = self.cues.get(cue.index())?;
        // The cheap path: most messages contain nothing any pattern could match.
        if !rules.prefilter.as_ref()?.is_match(text) {
            return None;
        }
        let mut best: Option<CueMatch> = None;
        for patterns in &rules.per_language {
            let Some(language) = self.languages.get(patterns.language) else {
                continue;
            };
            let mut at = 0;
            for _ in 0..MAX_CANDIDATES {
                let Some(m) = patterns.regex.find_at(text, at) else {
                    break;
                };
                if best.is_some_and(|b| b.start <= m.start()) {
                    break;
                }
                if let Some(span) = trim_span(text, m.start(), m.end()) {
                    if !excluded(rules.exclude.as_ref(), text, span)
                        && !language.negated(text, span.start)
                    {
                        best = Some(span);
                        break;
                    }
                }
                // Retry just after this start: a shorter or later phrase may still be acceptable.
                match next_char_boundary(text, m.start()) {
                    Some(next) => at = next,
                    None => break,
                }
            }
        }
        best
    }

    /// Whether the book has at least one pattern for the cue.
    #[must_use]
    pub fn has_patterns(&self, cue: Cue) -> bool {
        self.cues
            .get(cue.index())
            .is_some_and(|rules| rules.prefilter.is_some())
    }
}

impl Language {
    /// Whether a negation word stands in the clause before `start`, within a few words.
    fn negated(&self, text: &str, start: usize) -> bool {
        let Some(negation) = &self.negation else {
            return false;
        };
        let from = self.clause_start(text, start);
        let mut at = from;
        while let Some(m) = negation.find_at(text, at) {
            if m.end() > start {
                break;
            }
            let exempt = self
                .exempt
                .as_ref()
                .and_then(|e| e.find_at(text, m.start()))
                .is_some_and(|e| e.start() == m.start());
            if !exempt {
                return true;
            }
            at = m.end();
        }
        false
    }

    /// Start of the negation window for a match at `start`: the later of the clause start and a few words
    /// back.
    fn clause_start(&self, text: &str, start: usize) -> usize {
        let mut from = word_window_start(text, start, NEGATION_WINDOW_WORDS);
        let mut at = from;
        while let Some(m) = self.breaks.find_at(text, at) {
            if m.end() > start {
                break;
            }
            from = m.end();
            at = if m.end() > m.start() {
                m.end()
            } else {
                match next_char_boundary(text, m.end()) {
                    Some(next) => next,
                    None => break,
                }
            };
        }
        from
    }
}

/// Compiles the negation and clause helpers of a language.
fn compile_language(spec: &LanguageSpec) -> Result<Language, PatternError> {
    let code = &spec.code;
    let word_list = |what: &str, words: &[String]| -> Result<Option<Regex>, PatternError> {
        let mut whole = Vec::new();
        let mut endings = Vec::new();
        for word in words.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
            match word.strip_prefix('-') {
                Some(ending) => endings.push(literal(ending)),
                None => whole.push(literal(word)),
            }
        }
        let mut parts = Vec::new();
        if !whole.is_empty() {
            parts.push(format!(r"\b(?:{})\b", whole.join("|")));
        }
        if !endings.is_empty() {
            parts.push(format!(r"(?:{})\b", endings.join("|")));
        }
        if parts.is_empty() {
            return Ok(None);
        }
        compile(&parts.join("|"))
            .map(Some)
            .map_err(|reason| PatternError {
                location: format!("The {what} list of language {code}"),
                reason,
            })
    };
    let negation = word_list("negation", &spec.negation)?;
    let exempt = word_list("negation_exempt", &spec.negation_exempt)?;
    let breaks = match word_list("clause_breaks", &spec.clause_breaks)? {
        Some(words) => compile(&format!("{CLAUSE_PUNCTUATION}|{}", words.as_str())),
        None => compile(CLAUSE_PUNCTUATION),
    }
    .map_err(|reason| PatternError {
        location: format!("The clause_breaks list of language {code}"),
        reason,
    })?;
    Ok(Language {
        negation,
        exempt,
        breaks,
    })
}

/// Expands and validates every pattern of one list, naming the culprit (1-based) on error.
fn expand_list(
    kind: &str,
    cue: Cue,
    code: &str,
    patterns: &[String],
    fragments: &BTreeMap<String, String>,
) -> Result<Vec<String>, PatternError> {
    let mut out = Vec::with_capacity(patterns.len());
    for (i, pattern) in patterns.iter().enumerate() {
        let location = || format!("{kind} {} of {cue} ({code})", i + 1);
        if pattern.trim().is_empty() {
            return Err(PatternError {
                location: location(),
                reason: "it is empty, and an empty pattern would match every message".to_owned(),
            });
        }
        let expanded = expand_pattern(pattern, fragments).map_err(|reason| PatternError {
            location: location(),
            reason,
        })?;
        // Compile alone first so a mistake is reported against its own number, not the combined regex.
        let regex = compile(&expanded).map_err(|reason| PatternError {
            location: location(),
            reason,
        })?;
        if regex.is_match("") {
            return Err(PatternError {
                location: location(),
                reason: "it matches empty text, so it would match every message".to_owned(),
            });
        }
        out.push(expanded);
    }
    Ok(out)
}

/// Turns a pack pattern into a plain regex: inserts `{name}` fragments (recursively), makes a space mean
/// "whitespace" and a straight apostrophe mean "any apostrophe".
///
/// A run of spaces becomes `\s+`, or `\s` when a quantifier follows (so `a ?b` means "a, maybe one
/// whitespace, b"); inside a `[…]` class a space becomes `\s`. `{2,3}`-style repetitions, `\p{L}` and
/// other escapes are left alone.
///
/// # Errors
///
/// A plain-language reason when a fragment is unknown or fragments refer to each other in a loop.
pub fn expand_pattern(
    pattern: &str,
    fragments: &BTreeMap<String, String>,
) -> Result<String, String> {
    let inlined = inline_fragments(pattern, fragments, 0)?;
    Ok(normalise_spacing(&inlined))
}

/// How deep fragments may refer to fragments; deeper means a loop.
const MAX_FRAGMENT_DEPTH: usize = 8;

/// Replaces `{name}` by `(?:fragment)`, leaving escapes and `{n,m}` repetitions untouched.
fn inline_fragments(
    pattern: &str,
    fragments: &BTreeMap<String, String>,
    depth: usize,
) -> Result<String, String> {
    if depth > MAX_FRAGMENT_DEPTH {
        return Err("its fragments refer to each other in a loop".to_owned());
    }
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                    // `\p{Letter}`, `\x{2019}`, `\b{start}`: copy the braces verbatim. (`\b{i_am}` is a
                    // boundary followed by a fragment, so only the four boundary keywords count.)
                    let rest = chars.clone().collect::<String>();
                    let special_boundary = ["{start}", "{end}", "{start-half}", "{end-half}"]
                        .iter()
                        .any(|k| rest.starts_with(k));
                    let braced = matches!(next, 'p' | 'P' | 'x' | 'u' | 'U')
                        || (matches!(next, 'b' | 'B') && special_boundary);
                    if braced && chars.peek() == Some(&'{') {
                        for inner in chars.by_ref() {
                            out.push(inner);
                            if inner == '}' {
                                break;
                            }
                        }
                    }
                }
            }
            '{' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_lowercase() || *n == '_') =>
            {
                let mut name = String::new();
                let mut closed = false;
                for inner in chars.by_ref() {
                    if inner == '}' {
                        closed = true;
                        break;
                    }
                    name.push(inner);
                }
                if !closed {
                    return Err(format!("the fragment reference {{{name} is never closed"));
                }
                let Some(body) = fragments.get(&name) else {
                    return Err(format!(
                        "it uses {{{name}}}, but the language defines no fragment named \"{name}\""
                    ));
                };
                let body = inline_fragments(body, fragments, depth + 1)?;
                out.push_str("(?:");
                out.push_str(&body);
                out.push(')');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Spaces to `\s+`/`\s`, apostrophes to the apostrophe class (see [`expand_pattern`]).
fn normalise_spacing(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut class_depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal, not the end of the class.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            ' ' if class_depth > 0 => out.push_str(r"\s"),
            ' ' => {
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                if matches!(chars.peek(), Some('*' | '+' | '?' | '{')) {
                    out.push_str(r"\s");
                } else {
                    out.push_str(r"\s+");
                }
            }
            '\'' if class_depth > 0 => out.push_str(APOSTROPHES),
            '\'' => {
                out.push('[');
                out.push_str(APOSTROPHES);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// A word-list entry as a regex: escaped, with the pack's space and apostrophe conventions.
fn literal(word: &str) -> String {
    normalise_spacing(&regex::escape(word))
}

/// `(?:a)|(?:b)|…`
fn alternation(parts: &[String]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str("(?:");
        out.push_str(part);
        out.push(')');
    }
    out
}

/// Removes `\b`, `\B` and `\b{…}` assertions. The result matches wherever the original does (assertions
/// only ever reject), and without them the fast lazy DFA handles non-ASCII text too.
fn strip_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b' | 'B') => {
                if chars.peek() == Some(&'{') {
                    for inner in chars.by_ref() {
                        if inner == '}' {
                            break;
                        }
                    }
                }
            }
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Compiles with the matcher's flags: case-insensitive, Unicode, `^`/`$` at line ends (CRLF-aware).
fn compile(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .case_insensitive(true)
        .multi_line(true)
        .crlf(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_CACHE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::Syntax(text) => text
                .lines()
                .rev()
                .find(|line| line.starts_with("error:"))
                .map_or_else(
                    || text.clone(),
                    |line| line.trim_start_matches("error: ").to_owned(),
                ),
            other => other.to_string(),
        })
}

/// Whether an exclusion match overlaps `span`.
fn excluded(exclude: Option<&Regex>, text: &str, span: CueMatch) -> bool {
    let Some(exclude) = exclude else {
        return false;
    };
    let mut at = floor_char_boundary(text, span.start.saturating_sub(EXCLUSION_LOOKBACK));
    for _ in 0..MAX_CANDIDATES {
        let Some(m) = exclude.find_at(text, at) else {
            return false;
        };
        if m.start() >= span.end {
            return false;
        }
        if m.end() > span.start {
            return true;
        }
        match next_char_boundary(text, m.start()) {
            Some(next) => at = next,
            None => return false,
        }
    }
    false
}

/// The match without leading and trailing whitespace or punctuation; `None` if nothing is left.
fn trim_span(text: &str, start: usize, end: usize) -> Option<CueMatch> {
    let phrase = text.get(start..end)?;
    let keep = |c: char| c.is_alphanumeric();
    let lead = phrase.find(keep)?;
    let tail = phrase
        .char_indices()
        .rev()
        .find(|&(_, c)| keep(c))
        .map(|(i, c)| i + c.len_utf8())?;
    Some(CueMatch {
        start: start + lead,
        end: start + tail,
    })
}

/// Byte offset where the `words`-th whitespace-separated word before `start` begins.
fn word_window_start(text: &str, start: usize, words: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start.min(bytes.len());
    let is_space = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_whitespace);
    for _ in 0..words {
        while i > 0 && is_space(i - 1) {
            i -= 1;
        }
        if i == 0 {
            return 0;
        }
        while i > 0 && !is_space(i - 1) {
            i -= 1;
        }
    }
    // Only ever stops after ASCII whitespace or at 0, both char boundaries.
    i
}

/// The char boundary just after the character starting at `at`, or `None` at the end.
fn next_char_boundary(text: &str, at: usize) -> Option<usize> {
    let c = text.get(at..)?.chars().next()?;
    Some(at + c.len_utf8())
}

/// The largest char boundary at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::super::pack::RulePack;
    use super::*;

    /// The default pack, compiled once for all tests.
    fn pack() -> &'static RulePack {
        static PACK: OnceLock<RulePack> = OnceLock::new();
        PACK.get_or_init(|| {
            RulePack::from_toml(include_str!("../../assets/rules/default.toml"))
                .expect("default pack loads")
        })
    }

    fn find(cue: Cue, text: &str) -> Option<&str> {
        pack().phrases.find(cue, text).map(|m| m.as_str(text))
    }

    /// Checks every sentence and reports all misclassifications at once.
    fn check(cue: Cue, positives: &[&str], negatives: &[&str]) {
        let mut wrong = Vec::new();
        for text in positives {
            if find(cue, text).is_none() {
                wrong.push(format!("missed:     {text}"));
            }
        }
        for text in negatives {
            if let Some(hit) = find(cue, text) {
                wrong.push(format!("false hit:  {text}   [{hit}]"));
            }
        }
        assert!(wrong.is_empty(), "{cue}:\n{}", wrong.join("\n"));
    }

    #[test]
    fn ai_disclosure() {
        check(
            Cue::AiDisclosure,
            &[
                "Hi! I'm a virtual assistant. How can I help?",
                "I am an AI-powered assistant for Acme Bank.",
                "Hi, I'm Ava, a virtual agent for Acme.",
                "You're chatting with Max, our AI assistant.",
                "This chat is powered by AI.",
                "This is an automated message.",
                "Our replies are automated responses and may contain mistakes.",
                "I'm not a human, but I can help with most questions.",
                "I'm not a real person, I'm the Acme assistant.",
                "I'm not a live agent.",
                "I am a bot.",
                "im a bot lol",
                "I’m an AI assistant.",
                "I'M A VIRTUAL ASSISTANT!!!",
                "I'm just a bot, so I may not understand everything.",
                "As an AI language model, I cannot give legal advice.",
                "I am a large language model trained by Acme.",
                "You are talking to an automated system.",
                "Hi, this is our virtual assistant! Tell us how we can help.",
                "I'm Acme's digital assistant.",
                "Hi, I'm Nova, Northwind Mobile's virtual assistant.",
                "This conversation is with Northwind's AI assistant.",
                "Reminder: this chat is handled by an AI assistant.",
                "I'm the Acme bot.",
                "I’m an AI agent and I can help you track parcels.",
                "Hello, I am   an automated   assistant.",
                "My name is Sam, your AI assistant.",
                "Please note: responses are generated by AI.",
                "This is an AI-generated response.",
                "I'm a chatbot.",
                "I am an artificial intelligence.",
                "You're now chatting with an AI.",
                "Soy un asistente virtual de Acme.",
                "No soy una persona real, pero puedo ayudarte.",
                "Ich bin ein virtueller Assistent.",
                "Ich bin kein Mensch.",
                "Je suis un assistant virtuel.",
                "Je ne suis pas un humain.",
                "Vous discutez avec un assistant virtuel.",
            ],
            &[
                "I'm not a bot.",
                "I am a real person.",
                "No, I'm not an AI, I'm Sarah from support.",
                "Your account has bot protection enabled.",
                "Our anti-bot checks flagged your login.",
                "The automated payment system failed last night.",
                "Check out the new AI features in our product.",
                "We use automated fraud detection to keep you safe.",
                "(bot) Hello",
                "Bot: Hello there",
                "I'm Sarah, a senior agent on the billing team.",
                "I'm happy to help with that.",
                "The chatbot on your website is broken.",
                "I am your travel agent for this trip.",
                "I'm a machine learning engineer.",
                "I'm a real person, not a bot.",
                "I’m not a bot, promise.",
                "I'm not an automated system.",
                "Our AI team is hiring.",
                "Is this a bot?",
                "I'm sorry, our automated system is down.",
            ],
        );
    }

    #[test]
    fn human_offer() {
        check(
            Cue::HumanOffer,
            &[
                "Would you like to speak to an agent?",
                "Would you like to speak with a live agent?",
                "I can connect you to a representative.",
                "I can transfer you to a member of our team.",
                "I can transfer you to a specialist.",
                "I can connect you with someone from our support team.",
                "I can transfer you to a person if you prefer.",
                "Type 'agent' at any time to reach a person.",
                "Type ‘agent’ at any time.",
                "You can ask for a human at any time.",
                "Here are three offers. You can also ask for a human agent at any time.",
                "Call us at 0800 123 456 to speak with a representative.",
                "Press 0 to talk to an advisor.",
                "Let me get a human agent for you.",
                "I'll transfer you to a colleague.",
                "I'm connecting you with our support team now.",
                "Reply HUMAN to chat with our team.",
                "Would you like me to transfer you to a human agent?",
                "I'm transferring you to a guide now.",
                "Transferring to a guide…",
                "You are now being placed in queue to chat with an agent.",
                "An agent will be with you shortly.",
                "Our agents are available 24/7 if you need them.",
                "If you'd prefer, I can put you through to someone on our billing team.",
                "I recommend contacting a human agent who can look into this.",
                "I'd be happy to connect you with a specialist.",
                "Unfortunately I can't issue a refund. However, I can transfer you to a human agent.",
                "I'M CONNECTING YOU WITH A REPRESENTATIVE.",
                "Let me escalate this to a supervisor.",
                "Business accounts are handled by a dedicated team, I'm transferring you now.",
                "Cancellations are handled by our retention team, let me transfer you.",
                "Sure, one moment while I connect you.",
                "Transferring you to the next available agent.",
                "If you'd rather talk to a human agent about it, just say so.",
                "No problem, I'm transferring you now. An agent will join shortly.",
                "There is an option to talk to a person.",
                "Puedo transferirte a un agente.",
                "¿Quieres hablar con un asesor?",
                "Ich verbinde Sie mit einem Mitarbeiter.",
                "Möchten Sie mit einem Mitarbeiter sprechen?",
                "Je peux vous transférer à un conseiller.",
                "Souhaitez-vous parler à un conseiller ?",
            ],
            &[
                "I can't transfer you to an agent.",
                "I can’t transfer you to an agent, sorry.",
                "Sorry, no agents are available.",
                "There is no option to speak to a human.",
                "I'm unable to connect you.",
                "I'm unable to connect you to an agent right now.",
                "Our agents are not available right now.",
                "I cannot put you through to a representative.",
                "Please ask your travel agent about the booking.",
                "Your insurance agent can update the policy.",
                "Please enter your agent ID.",
                "The user agent string is outdated.",
                "Contact your real estate agent for the keys.",
                "The agent in your policy is listed as John Smith.",
                "I have transferred $500 to Amy's checking account.",
                "How much would you like to transfer, and to whom?",
                "Your transfer to Diego was successful.",
                "Press 1 to check your balance.",
                "I'll send the receipt to your email.",
                "i dont have the ability to transfer you to an agent",
                "Transferring is not possible; no representative is free.",
                "I'm not able to connect you with a human.",
                "I'm sorry, all our agents are busy right now.",
                "I need to talk to a human",
            ],
        );
    }

    #[test]
    fn human_request() {
        check(
            Cue::HumanRequest,
            &[
                "I want to talk to a human",
                "can I speak to a real person?",
                "agent",
                "Agent please",
                "representative!!",
                "human",
                "HUMAN",
                "operator",
                "get me a person",
                "let me talk to someone",
                "transfer me to an agent",
                "I need a live agent",
                "connect me with customer service rep",
                "speak to a manager",
                "is there a human I can talk to",
                "I'd like to chat with a real person",
                "I’d like to chat with a real person",
                "stop, real person please",
                "talk to a human being",
                "put me through to someone real",
                "The agent was rude, I want another agent.",
                "Yes, please transfer me to a human agent.",
                "Please connect me with someone who can help further.",
                "I would appreciate being transferred to someone who may have the authority to help.",
                "Is there someone else I can talk to?",
                "I WANT A HUMAN NOW",
                "Can I get a real person please",
                "i need to speak with an actual human",
                "How do I reach a real person?",
                "  Live agent.  ",
                "Quiero hablar con una persona.",
                "Agente, por favor",
                "Ich möchte mit einem Menschen sprechen.",
                "Mitarbeiter bitte",
                "Je veux parler à un humain.",
                "Conseiller svp",
            ],
            &[
                "I don't want a human",
                "I dont want a human, the bot is fine",
                "no need for an agent",
                "my travel agent booked this",
                "my insurance agent said it's covered",
                "the agent was rude last time",
                "I already spoke to a representative yesterday",
                "that was human error",
                "bot protection blocked me",
                "thanks, no need to transfer me",
                "are you a real person?",
                "Ok, I want to transfer to someone's savings.",
                "I would like to transfer $500 to Amy.",
                "Confirming a transfer of $720 to Mahmoud.",
                "I need my agent ID reset",
                "I never asked to speak to a manager.",
                "No, I don't need to talk to anyone.",
                "The person on the phone said it was fine.",
                "I'm a real estate agent myself.",
                "Human resources told me to ask here.",
                "I want to make a transfer.",
            ],
        );
    }

    #[test]
    fn identity_question() {
        check(
            Cue::IdentityQuestion,
            &[
                "are you a bot?",
                "Are you a real person?",
                "am I talking to a human",
                "is this a robot",
                "is this automated?",
                "are you AI?",
                "r u a bot",
                "is this an actual person or a machine?",
                "is this ChatGPT?",
                "are you human",
                "am I chatting with a computer?",
                "is anyone real there?",
                "you're a bot, aren't you?",
                "ARE YOU A BOT",
                "you’re a bot, aren’t you?",
                "Am I speaking to a real person?",
                "wait, is this a bot?",
                "Is this chat automated?",
                "Bot?",
                "are you even a real human",
                "Aren't you just a robot?",
                "ur a bot right",
                "Is it a bot?",
                "Are these responses automated?",
                "Is there a real person on the other end?",
                "are you a person or a bot",
                "¿Eres un bot?",
                "¿Estoy hablando con un humano?",
                "Bist du ein Bot?",
                "Rede ich mit einem Menschen?",
                "Êtes-vous un humain ?",
                "Est-ce que je parle à un robot ?",
            ],
            &[
                "is this account automated?",
                "are you open on Sunday?",
                "Are you able to help me with my bill?",
                "is this the right number?",
                "are you there?",
                "Is this a good time to call?",
                "I'm not a bot, I just typed fast.",
                "I want to talk to a human",
                "can I speak to a real person?",
                "Is this robot vacuum still under warranty?",
                "Are you a member of the rewards program?",
                "Is this available in blue?",
                "Are you sure?",
                "Is it automated billing or do I pay by hand?",
                "bot protection blocked me",
            ],
        );
    }

    #[test]
    fn identity_denial() {
        check(
            Cue::IdentityDenial,
            &[
                "I'm a real person",
                "I am human",
                "I'm not a bot",
                "No, I'm not an AI",
                "you're not talking to a machine",
                "I'm a real human being",
                "this is a real person",
                "I'm a live agent",
                "Yes, I am human",
                "rest assured, I'm a person",
                "I’m not a bot, I promise.",
                "I'M A REAL PERSON!",
                "im not a robot",
                "I am a human agent from the support team.",
                "You're talking to a real person.",
                "Nope, not a bot!",
                "I'm real.",
                "I'm definitely a human.",
                "I'm not an automated system.",
                "It's a real human replying to you.",
                "I am a real person, not a bot.",
                "Human here, how can I help?",
                "I'm 100% human.",
                "Soy una persona real.",
                "No soy un bot.",
                "Ich bin ein Mensch.",
                "Ich bin kein Bot.",
                "Je suis un humain.",
                "Je ne suis pas un robot.",
            ],
            &[
                "I'm not a real person",
                "I'm not human",
                "I'll connect you with a real person",
                "a real person will review your case",
                "I'm a virtual assistant.",
                "I'm an AI, not a human.",
                "are you a real person?",
                "Is this a real person?",
                "I'm not sure.",
                "I am not a human agent.",
                "A human will call you back.",
                "You can speak to a real person by calling us.",
                "I'm real sorry about that.",
                "I am not a human, I am a bot.",
                "I'm a real estate expert.",
                "No soy una persona real.",
                "Ich bin kein Mensch.",
                "Je ne suis pas un humain.",
            ],
        );
    }

    #[test]
    fn evidence_is_the_phrase() {
        let cases = [
            (
                Cue::AiDisclosure,
                "Hi! I'm a virtual assistant. How can I help?",
                "I'm a virtual assistant",
            ),
            (
                Cue::AiDisclosure,
                "Hello, I’m Ava, a virtual agent for Acme.",
                "I’m Ava, a virtual agent",
            ),
            (
                Cue::HumanOffer,
                "Sure. Would you like to speak with a live agent?",
                "Would you like to speak with a live agent",
            ),
            (
                Cue::HumanOffer,
                "One moment, I'm connecting you with our support team now.",
                "connecting you with our support team",
            ),
            (
                Cue::HumanRequest,
                "stop, real person please",
                "real person please",
            ),
            (Cue::HumanRequest, "representative!!", "representative"),
            (Cue::HumanRequest, "  HUMAN  ", "HUMAN"),
            (
                Cue::HumanRequest,
                "ugh. transfer me to an agent now",
                "transfer me to an agent",
            ),
            (
                Cue::IdentityQuestion,
                "hmm… are you a bot?",
                "are you a bot",
            ),
            (Cue::IdentityQuestion, "¿Eres un bot?", "Eres un bot"),
            (
                Cue::IdentityDenial,
                "Sorry? I'm not a bot, I'm Sam.",
                "I'm not a bot",
            ),
            (
                Cue::IdentityDenial,
                "Rest assured, I'm a person.",
                "I'm a person",
            ),
        ];
        for (cue, text, want) in cases {
            let m = pack()
                .phrases
                .find(cue, text)
                .unwrap_or_else(|| panic!("{cue} not found in {text:?}"));
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            assert_eq!(m.as_str(text), want, "{cue} in {text:?}");
        }
    }

    #[test]
    fn negation_is_scoped_to_the_clause() {
        // Negation before the phrase, in the same clause, cancels it …
        check(
            Cue::HumanOffer,
            &[
                "No problem! I can transfer you to an agent.",
                "No problem, I can transfer you to an agent.",
                "No worries I can transfer you to an agent.",
                "I can't help with refunds, but I can transfer you to an agent.",
                "I wasn't able to find the booking. I can transfer you to an agent.",
                "I’m unable to change the date; however, I can connect you with a specialist.",
            ],
            &[
                "I do not think I can transfer you to an agent.",
                "I am not able to transfer you to an agent.",
                "Sadly there's no way to speak to a human here.",
                "Unfortunately, I won’t be able to connect you with a representative.",
                "I can never transfer you to an agent.",
                "I CANNOT CONNECT YOU TO AN AGENT.",
            ],
        );
        check(
            Cue::HumanRequest,
            &[
                "Never mind, I want a human",
                "I don't know, just get me a human",
                "I didn’t ask for a bot, I want a real person",
                "not happy. I want to speak to a manager",
            ],
            &[
                "I don’t need an agent",
                "i dont need to talk to a person",
                "I never wanted to talk to a human anyway",
                "I'd rather not speak to a representative",
            ],
        );
    }

    #[test]
    fn real_log_phrasing() {
        // Paraphrased from the public sample logs the project checks against (SGD banking, tau-bench
        // airline, an Amazon Connect bot-to-human deployment, Amazon Connect docs, Twitter support).
        check(
            Cue::HumanOffer,
            &[
                "I'm unable to cancel it directly. I will need to transfer you to a human agent for further assistance. Please hold on.",
                "Since neither condition applies here, I'm unable to process the refund.\n\nIf you need further assistance, I can transfer you to a human agent.",
                "Unfortunately, I am unable to offer a higher amount through this system. If you would like to discuss this further, I can transfer you to a human agent.",
                "I'll connect you to a Guide for help with your hosting plan.",
                "One moment, connecting you to a guide...",
                "You are now being placed in queue to chat with an agent.",
            ],
            &[
                "Do you want to make a transfer?",
                "I have successfully initiated your transfer.",
                "Confirming a $1,290 transfer to Jasbir from your savings to their checking account.",
                "Okay! You wish to transfer $1,800 to Khadija's checking account from your savings account?",
                "Participant Shyam joined with role AGENT",
                "Hello, thanks for reaching Example Corp. This is Jane. How may I help you?",
            ],
        );
        check(
            Cue::HumanRequest,
            &[
                "Yes, please transfer me to a human agent.",
                "Could you connect me with a human agent?",
                "Yes, I would appreciate that. Please connect me with someone who can help further.",
                "Is there any escalation process or someone else I can talk to?",
            ],
            &[
                "I would like to transfer 1250 dollars.",
                "Please confirm: transfer $1,640 from my savings account to the checking account of Philip.",
                "Ok, I want to transfer to someone's savings.",
                "who would you like to transfer the money to?",
                "it says domain already taken someone else",
                "Okay, I'll try to find it and contact a human agent if needed. Thanks!",
            ],
        );
        check(
            Cue::AiDisclosure,
            &["Hi, this is our virtual assistant! 👋 Tell us how we can help."],
            &[
                "This is an example of what the virtual contact center can enable you to do.",
                "Thank you very much. Just waiting on my system here.",
            ],
        );
    }

    #[test]
    fn odd_input_is_safe() {
        let book = &pack().phrases;
        for cue in Cue::ALL {
            assert_eq!(book.find(cue, ""), None);
            assert_eq!(book.find(cue, "   \n\t "), None);
            assert_eq!(book.find(cue, "日本語のテキストです。"), None);
            assert_eq!(
                PhraseBook::empty().find(cue, "I'm a bot. agent please"),
                None
            );
        }
        // A long message full of near misses stays bounded and still finds the real phrase at the end.
        let long = format!(
            "{} transfer me to an agent",
            "I can't transfer you to an agent. ".repeat(2000)
        );
        let m = book
            .find(Cue::HumanRequest, &long)
            .expect("found at the end");
        assert_eq!(m.as_str(&long), "transfer me to an agent");
        // Line breaks count as whitespace and as clause ends.
        assert!(
            book.find(Cue::AiDisclosure, "I am a\nvirtual\r\nassistant")
                .is_some()
        );
        assert!(book.find(Cue::HumanRequest, "hello\r\nagent\r\n").is_some());
    }

    #[test]
    fn pattern_syntax() {
        let mut fragments = BTreeMap::new();
        fragments.insert("i_am".to_owned(), "(?:i'?m|i am)".to_owned());
        fragments.insert("bot".to_owned(), "(?:{i_am} a bot)".to_owned());
        fragments.insert("loop".to_owned(), "{loop}".to_owned());
        let expand = |p: &str| expand_pattern(p, &fragments);
        assert_eq!(expand("a b").as_deref(), Ok(r"a\s+b"));
        assert_eq!(expand("a   b").as_deref(), Ok(r"a\s+b"));
        assert_eq!(expand("chat ?bot").as_deref(), Ok(r"chat\s?bot"));
        assert_eq!(expand("[- ]").as_deref(), Ok(r"[-\s]"));
        assert_eq!(expand("don't").as_deref(), Ok("don['’‘ʼ]t"));
        assert_eq!(expand("[a']").as_deref(), Ok("[a'’‘ʼ]"));
        assert_eq!(expand(r"\p{L}{2,3}").as_deref(), Ok(r"\p{L}{2,3}"));
        assert_eq!(expand(r"\b{start}x").as_deref(), Ok(r"\b{start}x"));
        assert_eq!(
            expand(r"\b{i_am}").as_deref(),
            Ok(r"\b(?:(?:i['’‘ʼ]?m|i\s+am))")
        );
        assert_eq!(
            expand("{bot}").as_deref(),
            Ok(r"(?:(?:(?:(?:i['’‘ʼ]?m|i\s+am))\s+a\s+bot))")
        );
        assert!(expand("{nope}").is_err_and(|e| e.contains("{nope}")));
        assert!(expand("{loop}").is_err_and(|e| e.contains("loop")));
        assert_eq!(strip_word_boundaries(r"\bab\B\\b\b{start}c"), r"ab\\bc");
    }

    #[test]
    fn cue_keys_round_trip() {
        for cue in Cue::ALL {
            assert_eq!(Cue::from_key(cue.key()), Some(cue));
            assert_eq!(cue.to_string(), cue.key());
        }
        assert_eq!(Cue::from_key("nope"), None);
    }
}
