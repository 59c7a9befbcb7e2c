//! Text from logs made safe to show: bidirectional controls shown, never obeyed.
//!
//! A right-to-left override (U+202E) or isolate in a conversation id or file name makes a viewer draw the
//! text after it reversed, so `gpj.exe` reads as `exe.jpg` and one id can pass for another. Reports show
//! such a character as a visible marker (`<U+202E>`) instead. The JSON export keeps the text exact: JSON
//! readers show escapes, they do not reorder text.

use std::borrow::Cow;

/// Whether `c` changes the direction of the text around it.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Replaces every bidirectional control with a visible marker such as `<U+202E>`.
pub fn reveal_bidi(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_bidi_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&marker(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The visible marker of a character: `<U+202E>`.
pub fn marker(c: char) -> String {
    format!("<U+{:04X}>", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::reveal_bidi;

    #[test]
    fn bidi_controls_are_shown_not_obeyed() {
        assert_eq!(reveal_bidi("conv\u{202E}gpj.exe"), "conv<U+202E>gpj.exe");
        assert_eq!(
            reveal_bidi("\u{2066}a\u{2069}\u{200F}\u{061C}"),
            "<U+2066>a<U+2069><U+200F><U+061C>"
        );
        assert_eq!(reveal_bidi("plain"), "plain");
    }
}
