//! Redaction of personal data in what Candor shows and exports: e-mail addresses, phone numbers, payment
//! card numbers (with the Luhn check), IBANs (with their mod-97 checksum) and postal addresses (street
//! patterns of the eight covered languages and common postcodes).
//!
//! Rules always read the original text (a phone number in an AI's message may be its offer of a person);
//! redaction applies to the text a person reads: quotes, transcripts and exports. It is deterministic: the
//! same text gives the same result, so redacted exports stay byte-identical between runs.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// A kind of personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PiiKind {
    /// An e-mail address.
    Email,
    /// A payment card number that passes the Luhn check.
    Card,
    /// An IBAN whose checksum is right.
    Iban,
    /// A phone number.
    Phone,
    /// A postal address (a street with its number, or a postcode).
    Address,
}

impl PiiKind {
    /// Every kind, in the order they are looked for.
    pub const ALL: [PiiKind; 5] = [
        PiiKind::Email,
        PiiKind::Iban,
        PiiKind::Card,
        PiiKind::Phone,
        PiiKind::Address,
    ];

    /// The stable name used in exports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Card => "card",
            PiiKind::Iban => "iban",
            PiiKind::Phone => "phone",
            PiiKind::Address => "address",
        }
    }

    /// What replaces it in the text.
    #[must_use]
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "[e-mail]",
            PiiKind::Card => "[card number]",
            PiiKind::Iban => "[IBAN]",
            PiiKind::Phone => "[phone]",
            PiiKind::Address => "[address]",
        }
    }

    /// Words for people: "1 e-mail address", "2 e-mail addresses".
    #[must_use]
    pub fn counted(self, n: u64) -> String {
        let (one, many) = match self {
            PiiKind::Email => ("e-mail address", "e-mail addresses"),
            PiiKind::Card => ("card number", "card numbers"),
            PiiKind::Iban => ("IBAN", "IBANs"),
            PiiKind::Phone => ("phone number", "phone numbers"),
            PiiKind::Address => ("postal address", "postal addresses"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// How many of each kind were redacted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RedactionCounts {
    /// E-mail addresses.
    pub email: u64,
    /// Card numbers.
    pub card: u64,
    /// IBANs.
    pub iban: u64,
    /// Phone numbers.
    pub phone: u64,
    /// Postal addresses.
    pub address: u64,
}

impl RedactionCounts {
    fn slot(&mut self, kind: PiiKind) -> &mut u64 {
        match kind {
            PiiKind::Email => &mut self.email,
            PiiKind::Card => &mut self.card,
            PiiKind::Iban => &mut self.iban,
            PiiKind::Phone => &mut self.phone,
            PiiKind::Address => &mut self.address,
        }
    }

    /// The count of one kind.
    #[must_use]
    pub fn get(&self, kind: PiiKind) -> u64 {
        match kind {
            PiiKind::Email => self.email,
            PiiKind::Card => self.card,
            PiiKind::Iban => self.iban,
            PiiKind::Phone => self.phone,
            PiiKind::Address => self.address,
        }
    }

    /// Adds another count to this one.
    pub fn add(&mut self, other: &RedactionCounts) {
        for kind in PiiKind::ALL {
            *self.slot(kind) += other.get(kind);
        }
    }

    /// Everything redacted.
    #[must_use]
    pub fn total(&self) -> u64 {
        PiiKind::ALL.iter().map(|&k| self.get(k)).sum()
    }

    /// "3 e-mail addresses, 1 phone number" style summary; "nothing" when empty.
    #[must_use]
    pub fn describe(&self) -> String {
        let parts: Vec<String> = PiiKind::ALL
            .iter()
            .filter(|&&k| self.get(k) > 0)
            .map(|&k| k.counted(self.get(k)))
            .collect();
        if parts.is_empty() {
            "nothing".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// Letters of any script in the local part and the domain: "jörg.müller@example.de" and
/// "françois@exemple.fr" are addresses as much as "jane@example.com" (and a pattern of ASCII letters only
/// would miss them, or take only their tail and leave the name showing).
static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b[\p{L}\p{N}][\p{L}\p{N}._%+-]*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,24}\b").ok()
});

/// Two letters, two check digits, then 11–30 letters and digits, in groups of four or written together;
/// in capitals or, as people also type them, in small letters (the checksum tells an IBAN from words).
static IBAN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z]{2}|[a-z]{2})\d{2}(?i:[ ]?[A-Z0-9]{4}){2,7}(?i:[ ]?[A-Z0-9]{1,4})?\b")
        .ok()
});

/// 13 to 19 digits, written together or in groups separated by one space or hyphen.
static CARD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b\d(?:[ -]?\d){12,18}\b").ok());

/// An international number (+ or 00), a national number starting with 0, or the North American 3-3-4.
static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:\+|\b00)\d[\d\ ().\-/]{6,20}\d\b
        | \(0\d{1,4}\)[\ ]?\d[\d\ .\-/]{4,14}\d\b
        | \b0\d{1,4}[\ .\-/]?\d[\d\ .\-/]{4,14}\d\b
        | (?:\(\d{3}\)[\ ]?|\b\d{3}[\-.\ ])\d{3}[\-.\ ]\d{4}\b",
    )
    .ok()
});

/// Streets with their numbers in the eight covered languages (with the postcode and place that follow
/// them), and UK, Dutch and Swedish postcodes (other countries' five-digit postcodes are too much like
/// order numbers to redact without a street; a Dutch one only before a place name).
static ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:
        # en: 221B Baker Street, 10 Downing St
        \b\d{1,5}[A-Za-z]?\ (?:[A-Z][a-z]+\ ){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Close|Crescent|Square)\b\.?
        # de, nl, sv: Hauptstraße 5, Keizersgracht 12, Storgatan 3
        | \b[A-ZÄÖÜÅ][a-zäöüßåé]+(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|straat|laan|plein|gracht|kade|singel|gatan|vägen|gränd|torget|stigen|backen)\ \d{1,4}(?:\ ?[a-zA-Z]\b)?
        # fr: 12 rue de la Paix, 3 bis avenue Foch
        | \b\d{1,4}(?:\ ?(?:bis|ter))?,?\ (?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route)\ (?:(?:de|du|des|la|le|l’|l'|d’|d')\ ?)*[A-ZÀ-Ý][A-Za-zÀ-ÿ\-]*(?:\ [A-ZÀ-Ý][A-Za-zÀ-ÿ\-]*){0,3}
        # es, it, pt: Calle Mayor 5, via Roma 10, Rua XV de Novembro, 210 (a name after the street word)
        | \b(?i:calle|c/|avenida|avda\.?|plaza|paseo|via|viale|piazza|corso|largo|rua|praça|travessa|alameda)\ (?:(?:de|del|della|dei|di|da|do|dos|das)\ )?[A-ZÀ-Ý][\p{L}'’\-]*(?:\ (?:[A-ZÀ-Ý][\p{L}'’\-]*|de|del|della|delle|dei|degli|di|da|do|dos|das|du|des|la|las|los)){0,4},?\ (?:n\.?[ºo°]?\ ?)?\d{1,5}\b
        # postcodes: UK (SW1A 1AA), NL (1012 AB), SE (114 55 Stockholm)
        | \b[A-Z]{1,2}\d[A-Z\d]?\ \d[A-Z]{2}\b
        | \b[1-9]\d{3}\ ?[A-Z]{2}\ [A-Z][a-z]+
        | \b\d{3}\ \d{2}\ [A-ZÅÄÖ][a-zåäö]+\b
        )
        # After a street, its postcode and place go too: 12 rue de la Paix, 75002 Paris
        (?:,?\ (?:\d{5}|\d{4})\ [A-ZÀ-ÝÅÄÖ][\p{L}\-]+)?",
    )
    .ok()
});

fn pattern(kind: PiiKind) -> Option<&'static Regex> {
    match kind {
        PiiKind::Email => EMAIL.as_ref(),
        PiiKind::Iban => IBAN.as_ref(),
        PiiKind::Card => CARD.as_ref(),
        PiiKind::Phone => PHONE.as_ref(),
        PiiKind::Address => ADDRESS.as_ref(),
    }
}

/// Whether a match is really of its kind (checksums, digit counts); `after` is the text that follows it.
fn confirmed(kind: PiiKind, found: &str, after: &str) -> bool {
    // A number that goes on as a date, a time or a decimal ("dia 02/03", "at 07:55") is not a house number.
    let continues_number = {
        let mut rest = after.chars();
        matches!(
            (rest.next(), rest.next()),
            (Some('/' | ':'), _) | (Some('.' | ','), Some('0'..='9'))
        )
    };
    match kind {
        PiiKind::Card => luhn(found),
        PiiKind::Iban => iban_checksum(found),
        PiiKind::Phone => {
            let digits = found.bytes().filter(u8::is_ascii_digit).count();
            (8..=15).contains(&digits) && !is_date(found)
        }
        PiiKind::Address => !continues_number,
        PiiKind::Email => true,
    }
}

/// A day, month and year ("09/03/2026", "09.03.26"): eight digits starting with 0 like a national phone
/// number, and common in the evidence of fr/es/it/de/nl logs.
fn is_date(found: &str) -> bool {
    static DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:\d{4}|\d{2})$").ok()
    });
    DATE.as_ref()
        .is_some_and(|date| date.is_match(found.trim()))
}

/// The Luhn check of a card number (separators ignored).
#[must_use]
pub fn luhn(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// The ISO 13616 mod-97 check of an IBAN (spaces ignored).
#[must_use]
pub fn iban_checksum(iban: &str) -> bool {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.iter().chain(head) {
        let value = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        // Letters count as two digits (A = 10 … Z = 35).
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

/// One piece of personal data found in a text: where it is (byte offsets into the original) and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PiiMatch {
    /// The bytes it covers in the original text.
    pub range: std::ops::Range<usize>,
    /// What it is.
    pub kind: PiiKind,
}

/// Finds the personal data in `text`, sorted by position and never overlapping.
///
/// The kinds are looked for in the order of [`PiiKind::ALL`]; what one kind found is hidden from the next
/// (an IBAN's digits are not also read as a card number), as if it were already replaced.
#[must_use]
pub fn find(text: &str) -> Vec<PiiMatch> {
    let mut found: Vec<PiiMatch> = Vec::new();
    // The text the next kind searches: found pieces masked with ASCII of the same byte length, so that
    // offsets stay those of the original.
    let mut masked: Cow<'_, str> = Cow::Borrowed(text);
    for kind in PiiKind::ALL {
        let Some(regex) = pattern(kind) else {
            continue;
        };
        if !regex.is_match(&masked) {
            continue;
        }
        let mut new: Vec<PiiMatch> = Vec::new();
        for hit in regex.find_iter(&masked) {
            // A hit reaching into a piece already found is left to that piece: its offsets could fall
            // inside a character the mask replaced.
            let overlaps = found
                .iter()
                .any(|m| m.range.start < hit.end() && hit.start() < m.range.end);
            if !overlaps
                && confirmed(
                    kind,
                    hit.as_str(),
                    masked.get(hit.end()..).unwrap_or_default(),
                )
            {
                new.push(PiiMatch {
                    range: hit.range(),
                    kind,
                });
            }
        }
        if new.is_empty() {
            continue;
        }
        let mut next = masked.into_owned();
        for m in &new {
            // The placeholders start and end with brackets, so the mask does too.
            let mask = format!("[{}]", "#".repeat(m.range.len().saturating_sub(2)));
            if let Some(mask) = mask.get(..m.range.len()) {
                next.replace_range(m.range.clone(), mask);
            }
        }
        masked = Cow::Owned(next);
        found.extend(new);
    }
    found.sort_by_key(|m| m.range.start);
    found
}

/// Replaces every piece of personal data in `text` with a placeholder naming its kind, counting what was
/// replaced into `counts`. Text without any is returned borrowed.
pub fn redact<'t>(text: &'t str, counts: &mut RedactionCounts) -> Cow<'t, str> {
    redact_spans(text, &[], counts).0
}

/// [`redact`], also moving byte spans of the original text (highlighted evidence) onto the redacted
/// text. A span that ends or starts inside a redacted piece grows to cover its whole placeholder, so
/// a highlight never splits one.
pub fn redact_spans<'t>(
    text: &'t str,
    spans: &[(usize, usize)],
    counts: &mut RedactionCounts,
) -> (Cow<'t, str>, Vec<(usize, usize)>) {
    let found = find(text);
    if found.is_empty() {
        return (Cow::Borrowed(text), spans.to_vec());
    }
    let mut out = String::with_capacity(text.len());
    // For each piece: its original range and where its placeholder sits in `out`.
    let mut moved: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    let mut last = 0;
    for PiiMatch { range, kind } in found {
        out.push_str(text.get(last..range.start).unwrap_or_default());
        let start = out.len();
        out.push_str(kind.placeholder());
        moved.push((range.clone(), start..out.len()));
        *counts.slot(kind) += 1;
        last = range.end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    let position = |at: usize, is_end: bool| -> usize {
        // The end of the last piece before `at`, in the original and in the output.
        let mut before = (0, 0);
        for (old, new) in &moved {
            if at <= old.start {
                break;
            }
            if at < old.end {
                return if is_end { new.end } else { new.start };
            }
            before = (old.end, new.end);
        }
        before.1 + (at - before.0)
    };
    let spans = spans
        .iter()
        .map(|&(start, end)| (position(start, false), position(end, true)))
        .collect();
    (Cow::Owned(out), spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> (String, RedactionCounts) {
        let mut counts = RedactionCounts::default();
        let out = redact(text, &mut counts).into_owned();
        (out, counts)
    }

    #[test]
    fn emails_are_redacted() {
        let (out, counts) = r("write to jane.doe+bills@example.co.uk or ops@mail.example.com.");
        assert_eq!(out, "write to [e-mail] or [e-mail].");
        assert_eq!(counts.email, 2);
    }

    #[test]
    fn card_numbers_need_the_luhn_check() {
        // 4111 1111 1111 1111 is the classic test Visa number (Luhn-valid).
        let (out, counts) = r("my card is 4111 1111 1111 1111, order 4111111111111112");
        assert_eq!(out, "my card is [card number], order 4111111111111112");
        assert_eq!(counts.card, 1);
        assert!(luhn("5555-5555-5555-4444"));
        assert!(!luhn("1234 5678 9012 3456"));
    }

    #[test]
    fn ibans_need_their_checksum() {
        // The examples of the IBAN registry (valid) and one digit changed (invalid).
        let (out, counts) = r("IBAN DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432");
        assert_eq!(out, "IBAN [IBAN] or [IBAN]");
        assert_eq!(counts.iban, 2);
        let (out, counts) = r("IBAN DE89 3704 0044 0532 0130 01");
        assert_eq!(counts.iban, 0, "{out}");
        assert!(iban_checksum("NL91ABNA0417164300"));
        assert!(iban_checksum("FR1420041010050500013M02606"));
    }

    #[test]
    fn phone_numbers_in_common_shapes() {
        for (text, want) in [
            (
                "call me on +44 20 7946 0958 please",
                "call me on [phone] please",
            ),
            ("mein Handy: 0171 2345678", "mein Handy: [phone]"),
            ("ring (020) 7946 0958", "ring [phone]"),
            (
                "US: (415) 555-0132 or 415-555-0199",
                "US: [phone] or [phone]",
            ),
            ("mobiel 06-12345678", "mobiel [phone]"),
            ("ruf 0049 30 1234567 an", "ruf [phone] an"),
        ] {
            let (out, counts) = r(text);
            assert_eq!(out, want, "{text}");
            assert!(counts.phone >= 1);
        }
    }

    #[test]
    fn dates_amounts_and_order_numbers_are_not_phones() {
        for text in [
            "on 2025-06-02 at 10:30",
            "order AX876293 of 12.50 EUR",
            "ticket 4471 was closed",
            "reference 20250602",
            "dial 112 or 14 020",
            "la riceverai via email e avrai 1 € di sconto",
            "contratado via SMS no dia 02/03",
            "bestrid via formuläret inom 14 dagar",
            "a flight via Porto at 07:55",
            "bezwaar maken via Mijn Lindenveld binnen 6 weken",
            "Kies: 1) Storing 2) Factuur",
            "des frais de 86,50 € du 09/03/2026.",
            "el pedido salió del almacén el 07/01/2026 y",
            "Rechnung vom 03.04.2026 und 05-06-26",
        ] {
            let (out, counts) = r(text);
            assert_eq!(out, text);
            assert_eq!(counts.total(), 0, "{text}");
        }
    }

    #[test]
    fn street_addresses_in_the_covered_languages() {
        for text in [
            "I live at 221B Baker Street, London",
            "Rua XV de Novembro, 210 fica perto",
            "Agenzia Centro, via Mazzini 12",
            "Hotel Mar Azul, Avenida del Mediterráneo 42",
            "Lieferung an Hauptstraße 5 bitte",
            "envoyez-le au 12 rue de la Paix",
            "vivo en Calle Mayor 5",
            "abito in Via Roma 10",
            "moro na Rua Augusta, 100",
            "mijn adres is Keizersgracht 12",
            "jag bor på Storgatan 3",
            "postcode SW1A 1AA",
            "livrée au 12 rue des Tanneurs, 69002 Lyon.",
            "an Hauptstraße 5, 10115 Berlin bitte",
        ] {
            let (out, counts) = r(text);
            assert!(out.contains("[address]"), "{text} -> {out}");
            assert_eq!(counts.address, 1, "{text} -> {out}");
            assert!(
                !out.contains("69002") && !out.contains("10115"),
                "{text} -> {out}"
            );
        }
    }

    #[test]
    fn text_without_personal_data_is_not_copied() {
        let mut counts = RedactionCounts::default();
        assert!(matches!(
            redact("Hello, how can I help?", &mut counts),
            Cow::Borrowed(_)
        ));
        assert_eq!(counts.describe(), "nothing");
    }

    #[test]
    fn spans_follow_the_redacted_text() {
        let text = "mail me at jane@example.com, order 42 is late";
        let email = text.find("jane").unwrap();
        let order = text.find("order").unwrap();
        let spans = [(order, order + 8), (email + 2, email + 6)];
        let mut counts = RedactionCounts::default();
        let (out, spans) = redact_spans(text, &spans, &mut counts);
        assert_eq!(out, "mail me at [e-mail], order 42 is late");
        assert_eq!(&out[spans[0].0..spans[0].1], "order 42");
        // A span inside the address covers the whole placeholder, never a piece of the address.
        assert_eq!(&out[spans[1].0..spans[1].1], "[e-mail]");
        assert_eq!(counts.email, 1);
    }

    #[test]
    fn an_iban_is_not_also_a_card_or_phone() {
        let (out, counts) = r("pay to NL91ABNA0417164300 or DE89 3704 0044 0532 0130 00");
        assert_eq!(out, "pay to [IBAN] or [IBAN]");
        assert_eq!(counts.total(), 2);
    }

    #[test]
    fn emails_with_letters_beyond_ascii_are_redacted_whole() {
        let (out, counts) = r("jörg.müller@example.de und françois@exemple.fr");
        assert_eq!(out, "[e-mail] und [e-mail]");
        assert_eq!(counts.email, 2);
    }

    #[test]
    fn ibans_typed_in_small_letters_are_redacted_whole() {
        let (out, counts) = r("iban de89 3704 0044 0532 0130 00, gb82west12345698765432");
        assert_eq!(out, "iban [IBAN], [IBAN]");
        assert_eq!(counts.iban, 2);
        assert_eq!(counts.phone, 0);
    }

    #[test]
    fn every_pattern_compiles() {
        // A pattern that failed to build would redact nothing, silently: this is where that shows.
        for kind in PiiKind::ALL {
            assert!(pattern(kind).is_some(), "{kind:?}");
        }
        assert!(is_date("09/03/2026"));
    }

    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "jörg@exämple.de",
            "4111 1111 1111 1111",
            "+44 20 7946 0958",
            "DE89 3704 0044 0532 0130 00",
            "12 rue de la Paix, 75002 Paris",
            "09/03/2026",
            " ",
            "é",
            "0",
            "/",
            "@",
            ".",
            "Street",
            "ß",
            "🤖",
            "-",
            "[e-mail]",
        ]);
        prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Any text, any spans: no panic, and every moved span lies on the redacted text's characters.
        #[test]
        fn spans_stay_inside_the_redacted_text(text in pieces(), cuts in proptest::collection::vec((0usize..400, 0usize..400), 0..6)) {
            let spans: Vec<(usize, usize)> = cuts
                .into_iter()
                .map(|(a, b)| (a.min(b).min(text.len()), a.max(b).min(text.len())))
                .filter(|&(a, b)| text.is_char_boundary(a) && text.is_char_boundary(b))
                .collect();
            let mut counts = RedactionCounts::default();
            let (out, moved) = redact_spans(&text, &spans, &mut counts);
            proptest::prop_assert_eq!(moved.len(), spans.len());
            for (start, end) in moved {
                proptest::prop_assert!(start <= end && end <= out.len(), "{text:?} -> {out:?}");
                proptest::prop_assert!(out.is_char_boundary(start) && out.is_char_boundary(end));
            }
            proptest::prop_assert_eq!(redact(&text, &mut RedactionCounts::default()), out);
        }
    }

    #[test]
    fn counts_are_described_for_people() {
        let (_, counts) = r("a@b.example, c@d.example and +44 20 7946 0958");
        assert_eq!(counts.describe(), "2 e-mail addresses, 1 phone number");
    }
}
