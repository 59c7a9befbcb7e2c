//! Tokenising a message once: words, numbers, punctuation and emoji, each with its place in the original
//! text and a folded form (lowercase, accents removed, every apostrophe straight) that lexicons are matched
//! against.
//!
//! Folding is what lets one lexicon entry cover the ways people type a word: "Téléphone", "telephone" and
//! "TELEPHONE" fold alike, and so do "I’m" and "I'm". Cost is linear in the text: one pass over its
//! characters.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Letters, digits, apostrophes inside a word.
    Word,
    /// A punctuation mark that ends a sentence: `.`, `!`, `?`, `…`, or a line break.
    SentenceEnd,
    /// A punctuation mark that ends a clause but not the sentence: `,`, `;`, `:`, dashes, brackets.
    ClauseMark,
    /// An opening or closing bracket or a quote mark.
    Bracket,
    /// A pictograph such as 🤖 or 👋.
    Emoji,
    /// Anything else (symbols, `/`, `&`, `#`…).
    Other,
}

/// One token of a message.
#[derive(Clone, Debug)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Byte range in the original text.
    pub start: usize,
    /// End of the byte range in the original text.
    pub end: usize,
    /// Byte range of the folded form in [`Tokens::folded`].
    pub fstart: u32,
    /// End of the folded form.
    pub fend: u32,
    /// Whether the word starts with a capital letter (names, brands).
    pub capitalised: bool,
    /// Whether the word has two letters or more and all are capitals ("US", "AGENT").
    pub all_caps: bool,
    /// The raw character for punctuation (`?`, `:`, `[`…), `'\0'` for words.
    pub mark: char,
    /// Whether a hyphen joins the word to the one before ("KI-Assistent", "RT-55").
    pub joined: bool,
}

/// A tokenised message.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    /// Folded words, one after the other (no separators); tokens index into it.
    pub folded: String,
    /// The tokens in order.
    pub tokens: Vec<Token>,
}

impl Tokens {
    /// The folded form of token `i`, or "" for a token that is not there.
    #[must_use]
    pub fn word(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.folded.get(t.fstart as usize..t.fend as usize))
            .unwrap_or("")
    }

    /// Number of tokens.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The folded words with at least one letter, in order (numbers left out).
    #[must_use]
    pub fn words(&self) -> Vec<&str> {
        (0..self.len())
            .filter(|&i| self.is_word(i))
            .map(|i| self.word(i))
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect()
    }

    /// Whether token `i` is a word.
    #[must_use]
    pub fn is_word(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.kind == Kind::Word)
    }

    /// Whether token `i` is the punctuation mark `c`.
    #[must_use]
    pub fn is_mark(&self, i: usize, c: char) -> bool {
        self.tokens.get(i).is_some_and(|t| t.mark == c)
    }
}

/// Elided words that stand before an apostrophe in French and Italian; split off as words of their own.
const ELISIONS: &[&str] = &[
    "l'", "d'", "j'", "c'", "qu'", "n'", "s'", "m'", "t'", "dell'", "all'", "nell'", "dall'",
    "sull'", "un'", "quest'", "quell'", "po'",
];

/// Apostrophes of every kind a chat client produces.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

/// Pictographs and the symbols chat clients render as emoji.
fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// Splits `text` into tokens and folds every word.
#[must_use]
pub fn tokenize(text: &str) -> Tokens {
    let mut out = Tokens {
        folded: String::with_capacity(text.len()),
        tokens: Vec::with_capacity(text.len() / 4 + 1),
    };
    let mut chars = text.char_indices().peekable();
    let mut joined = false;
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() {
            let hyphen_before = std::mem::take(&mut joined);
            let fstart = out.folded.len() as u32;
            let mut end = at + c.len_utf8();
            let mut letters = usize::from(c.is_alphabetic());
            let mut lower = c.is_lowercase();
            fold_into(c, &mut out.folded);
            while let Some(&(next_at, next)) = chars.peek() {
                if next.is_alphanumeric() || next == '\u{200D}' || is_combining(next) {
                    if !is_combining(next) && next != '\u{200D}' {
                        letters += usize::from(next.is_alphabetic());
                        lower |= next.is_lowercase();
                        fold_into(next, &mut out.folded);
                    }
                } else if is_apostrophe(next) {
                    // An apostrophe inside a word ("don't", "l'agent") belongs to it; a closing quote
                    // ("agent'") does not.
                    let mut ahead = text.get(next_at + next.len_utf8()..).unwrap_or("").chars();
                    if !ahead.next().is_some_and(char::is_alphanumeric) {
                        break;
                    }
                    out.folded.push('\'');
                } else {
                    break;
                }
                end = next_at + next.len_utf8();
                chars.next();
            }
            let fend = out.folded.len() as u32;
            // Elided articles and pronouns ("l'agent", "j'ai", "dell'assistente") are words of their own.
            let word = out.folded.get(fstart as usize..fend as usize).unwrap_or("");
            let split = ELISIONS
                .iter()
                .find(|e| word.len() > e.len() && word.starts_with(**e))
                .map(|e| e.len());
            let capitalised = c.is_uppercase();
            let all_caps = letters >= 2 && !lower;
            if let Some(cut) = split {
                // The original text has the same prefix up to its apostrophe (of any width).
                let raw_cut = text
                    .get(at..end)
                    .and_then(|raw| raw.char_indices().find(|(_, ch)| is_apostrophe(*ch)))
                    .map_or(at, |(i, ch)| at + i + ch.len_utf8());
                out.tokens.push(Token {
                    kind: Kind::Word,
                    start: at,
                    end: raw_cut,
                    fstart,
                    fend: fstart + cut as u32,
                    capitalised,
                    all_caps,
                    mark: '\0',
                    joined: hyphen_before,
                });
                let rest_cap = text
                    .get(raw_cut..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_uppercase);
                out.tokens.push(Token {
                    kind: Kind::Word,
                    start: raw_cut,
                    end,
                    fstart: fstart + cut as u32,
                    fend,
                    capitalised: rest_cap,
                    all_caps,
                    mark: '\0',
                    joined: false,
                });
            } else {
                out.tokens.push(Token {
                    kind: Kind::Word,
                    start: at,
                    end,
                    fstart,
                    fend,
                    capitalised,
                    all_caps,
                    mark: '\0',
                    joined: hyphen_before,
                });
            }
            continue;
        }
        // A dot between letters or digits ("acme.com", "3.5", "e.g") ends nothing.
        let inner_dot = c == '.'
            && text
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_some_and(char::is_alphanumeric)
            && text
                .get(at + 1..)
                .and_then(|a| a.chars().next())
                .is_some_and(char::is_alphanumeric);
        let kind = match c {
            '.' if inner_dot => Kind::Other,
            '.' | '!' | '?' | '…' | '\n' | '\r' | '¿' | '¡' | '。' | '！' | '？' => {
                Kind::SentenceEnd
            }
            // A hyphen inside a word ("AI-powered", "KI-Assistent") joins two words; it is no token.
            '-' if text
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_some_and(char::is_alphanumeric)
                && text
                    .get(at + 1..)
                    .and_then(|a| a.chars().next())
                    .is_some_and(char::is_alphanumeric) =>
            {
                joined = true;
                continue;
            }
            ',' | ';' | ':' | '—' | '–' | '-' | '|' | '•' => Kind::ClauseMark,
            // A middle dot between spaces separates the parts of a signature or a header ("— Juniper ·
            // AI assistant · FitHub"); inside a word ("col·legi") it joins nothing we read.
            '·' | '∙' | '⋅'
                if text
                    .get(..at)
                    .and_then(|b| b.chars().next_back())
                    .is_some_and(char::is_whitespace) =>
            {
                Kind::ClauseMark
            }
            '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”' | '«' | '»' | '„' | '<' | '>' => {
                Kind::Bracket
            }
            c if is_apostrophe(c) => Kind::Bracket,
            c if c.is_whitespace() || c == '\u{FE0F}' || c == '\u{200D}' => continue,
            c if is_emoji(c) => Kind::Emoji,
            _ => Kind::Other,
        };
        let pos = out.folded.len() as u32;
        out.tokens.push(Token {
            kind,
            start: at,
            end: at + c.len_utf8(),
            fstart: pos,
            fend: pos,
            capitalised: false,
            all_caps: false,
            mark: c,
            joined: false,
        });
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

/// Lowercases `c`, drops its accent and pushes the result.
fn fold_into(c: char, out: &mut String) {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            'a'
        }
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'ń' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            'o'
        }
        'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ß' => {
            out.push_str("ss");
            return;
        }
        'æ' | 'Æ' => {
            out.push_str("ae");
            return;
        }
        'œ' | 'Œ' => {
            out.push_str("oe");
            return;
        }
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push(folded);
}

/// Folds a lexicon entry the way message words are folded (lowercase, no accents, straight apostrophes).
#[must_use]
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else {
            fold_into(c, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let t = tokenize(text);
        (0..t.len()).map(|i| t.word(i).to_owned()).collect()
    }

    #[test]
    fn folds_case_accents_and_apostrophes() {
        assert_eq!(
            words("I’m Léa, l'assistante"),
            ["i'm", "lea", "", "l'", "assistante"]
        );
        assert_eq!(words("GROSSE Straße"), ["grosse", "strasse"]);
    }

    #[test]
    fn keeps_offsets_of_the_original_text() {
        let text = "Hi 👋 I’m Ava";
        let t = tokenize(text);
        let last = t.tokens.last().map(|t| &text[t.start..t.end]);
        assert_eq!(last, Some("Ava"));
        assert_eq!(t.tokens[1].kind, Kind::Emoji);
    }

    #[test]
    fn a_closing_quote_is_not_part_of_the_word() {
        assert_eq!(words("type 'agent' now"), ["type", "", "agent", "", "now"]);
    }
}
