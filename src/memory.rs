//! Giving memory the program no longer uses back to the system.
//!
//! Opening a large log allocates and frees gigabytes on many threads: lines, records, conversations before
//! they are packed into the [`crate::store::ConversationStore`]. The allocator the binary uses (mimalloc)
//! keeps pages freed on other threads, and pages of threads that have ended, for reuse, and gives them back
//! only when the threads that own them allocate again. After loading, those threads have ended, so what
//! they used could stay resident for as long as the logs are open.

/// Asks the allocator to return every page it holds but does not use to the system. It takes a few
/// milliseconds; call it after a large job, on the thread that did it or any other.
///
/// When mimalloc is not the global allocator (the library used on its own, the tests), this only tidies
/// mimalloc's own, unused heap.
#[allow(
    unsafe_code,
    reason = "mimalloc's collection is a C function; it takes no arguments that could be invalid"
)]
pub fn release_unused() {
    // SAFETY: `mi_collect` reads and writes only mimalloc's own bookkeeping, under its own locks, and may
    // be called from any thread at any time (it is what mimalloc does itself when a thread ends).
    unsafe { libmimalloc_sys::mi_collect(true) }
}
