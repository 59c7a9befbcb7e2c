//! Texts that many findings and facts repeat, kept once per thread and shared.
//!
//! An audit keeps every finding and the facts of every conversation until the report is written. Most of
//! their texts repeat: a handful of languages and channels, explanations that differ only in a message
//! number, evidence quoted from the same greeting or template. Sharing one allocation per distinct text
//! keeps a million conversations' results small (measured in BENCHMARKS.md); the texts themselves, and so
//! every report, stay exactly as they were.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Distinct texts remembered per thread. Beyond this, texts are still returned, only not shared, so that
/// a log of all-different texts costs no more than without sharing.
const MAX_SHARED: usize = 8192;

/// Longest text worth looking up: long ones rarely repeat.
const MAX_SHARED_BYTES: usize = 512;

/// A text shared by every finding or conversation that repeats it, behind one thin pointer: 8 bytes in
/// each of a million records where an `Arc<str>` takes 16 (its length lives with the text).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct SharedText(Arc<Box<str>>);

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two values share one allocation.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::hash::Hash for SharedText {
    // As the text hashes, so that a set of them can be asked with a `&str`.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        Self(Arc::new(Box::from(text)))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        Self(Arc::new(text.into_boxed_str()))
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for SharedText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

thread_local! {
    static SHARED: RefCell<rustc_hash::FxHashSet<SharedText>> = RefCell::new(rustc_hash::FxHashSet::default());
}

/// `text` as a shared string: the same allocation as an equal text seen before on this thread, if any.
pub fn shared(text: &str) -> SharedText {
    if text.len() > MAX_SHARED_BYTES {
        return SharedText::from(text);
    }
    SHARED.with(|cell| {
        let Ok(mut set) = cell.try_borrow_mut() else {
            return SharedText::from(text);
        };
        if let Some(known) = set.get(text) {
            return known.clone();
        }
        let new = SharedText::from(text);
        if set.len() < MAX_SHARED {
            set.insert(new.clone());
        }
        new
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let a = shared("The AI never said it is an AI");
        let b = shared(&String::from("The AI never said it is an AI"));
        assert!(SharedText::ptr_eq(&a, &b));
        assert_eq!(std::mem::size_of::<SharedText>(), 8);
        assert_eq!(&*shared("other"), "other");
    }
}
