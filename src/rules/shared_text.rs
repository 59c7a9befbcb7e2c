//! Texts that many findings and facts repeat, kept once per thread and shared.
//!
//! An audit keeps every finding and the facts of every conversation until the report is written. Most of
//! their texts repeat: a handful of languages and channels, explanations that differ only in a message
//! number, evidence quoted from the same greeting or template. Sharing one allocation per distinct text
//! keeps a million conversations' results small (measured in BENCHMARKS.md); the texts themselves, and so
//! every report, stay exactly as they were.

use std::cell::RefCell;
use std::sync::Arc;

/// Distinct texts remembered per thread. Beyond this, texts are still returned, only not shared, so that
/// a log of all-different texts costs no more than without sharing.
const MAX_SHARED: usize = 8192;

/// Longest text worth looking up: long ones rarely repeat.
const MAX_SHARED_BYTES: usize = 512;

thread_local! {
    static SHARED: RefCell<rustc_hash::FxHashSet<Arc<str>>> = RefCell::new(rustc_hash::FxHashSet::default());
}

/// `text` as a shared string: the same allocation as an equal text seen before on this thread, if any.
pub fn shared(text: &str) -> Arc<str> {
    if text.len() > MAX_SHARED_BYTES {
        return Arc::from(text);
    }
    SHARED.with(|cell| {
        let Ok(mut set) = cell.try_borrow_mut() else {
            return Arc::from(text);
        };
        if let Some(known) = set.get(text) {
            return Arc::clone(known);
        }
        let new: Arc<str> = Arc::from(text);
        if set.len() < MAX_SHARED {
            set.insert(Arc::clone(&new));
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
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*shared("other"), "other");
    }
}
