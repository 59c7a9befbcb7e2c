//! A conversation id kept without a heap allocation when it is short, as nearly all ids are.
//!
//! Every conversation's facts are kept until the report is written: a million of them. A `String` id
//! costs its 24 bytes plus an allocation; [`ShortId`] keeps ids of up to 22 bytes inside its own 24 bytes
//! and boxes longer ones. It reads as a `str` everywhere.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// Longest id kept inline.
const INLINE_BYTES: usize = 22;

/// A conversation id: inline when short, boxed otherwise; compares, orders and hashes as its text.
#[derive(Clone)]
pub struct ShortId(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE_BYTES] },
    Boxed(Box<str>),
}

impl ShortId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only whole UTF-8 texts are ever stored (see `From<&str>`), so this never falls back.
            Repr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Repr::Boxed(text) => text,
        }
    }

    /// The id's bytes, without the check [`Self::as_str`] makes: for sorting and searching, where byte
    /// order is the order of the texts.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Boxed(text) => text.as_bytes(),
        }
    }
}

impl From<&str> for ShortId {
    fn from(text: &str) -> Self {
        let mut bytes = [0u8; INLINE_BYTES];
        match (bytes.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(inline), Ok(len)) => {
                inline.copy_from_slice(text.as_bytes());
                Self(Repr::Inline { len, bytes })
            }
            _ => Self(Repr::Boxed(text.into())),
        }
    }
}

impl From<String> for ShortId {
    fn from(text: String) -> Self {
        Self::from(text.as_str())
    }
}

impl Default for ShortId {
    fn default() -> Self {
        Self::from("")
    }
}

impl Deref for ShortId {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ShortId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for ShortId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for ShortId {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ShortId {}

impl PartialOrd for ShortId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ShortId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl std::hash::Hash for ShortId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for ShortId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ShortId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ShortId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<ShortId> for String {
    fn eq(&self, other: &ShortId) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<ShortId> for &str {
    fn eq(&self, other: &ShortId) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Display for ShortId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ShortId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for ShortId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_ids_read_back_as_given() {
        for text in [
            "",
            "c1",
            "conv-000001",
            "ünïcödé — 会話",
            "a-very-long-conversation-id-0123456789",
        ] {
            let id = ShortId::from(text);
            assert_eq!(id.as_str(), text);
            assert_eq!(id, text);
        }
        assert_eq!(std::mem::size_of::<ShortId>(), 24);
        let (a, b) = (ShortId::from("a"), ShortId::from("b"));
        assert!(a < b);
    }
}
