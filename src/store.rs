//! The conversations kept while logs are open, compact and compressed.
//!
//! The app keeps every conversation for two reasons: to show a transcript when one is opened, and to audit
//! them all again when the rule pack or the language changes, without reading the files again. Kept as
//! [`Conversation`] values they take more memory than the file they came from (a 64-byte struct and a
//! `String` per message, room the lists grew into). A [`ConversationStore`] keeps each conversation as a
//! few bytes of metadata and its texts, packed one after the other into blocks of about 64 KiB, each
//! block compressed with LZ4. [`ConversationStore::get`] decompresses one block and builds the
//! [`Conversation`] again, field for field, in well under a millisecond; a re-audit decompresses each
//! block once ([`ConversationStore::block`]), on every core.
//!
//! A [`StoreBuilder`] packs conversations as they are audited (on the audit's worker threads, so the
//! conversations themselves are freed as soon as they are packed); [`ConversationStore::concat`] joins
//! the builders' stores and [`ConversationStore::permute`] puts them into the report's order.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{Conversation, EventKind, Message, Role};

/// Raw bytes packed into a block before it is compressed: large enough for LZ4 to find the repeats
/// between conversations (greetings, templates, metadata keys), small enough to decompress in tens of
/// microseconds when one conversation is opened.
const BLOCK_BYTES: usize = 64 * 1024;

/// One compressed block.
#[derive(Clone, Debug, Default)]
struct Block {
    /// The LZ4 block (no frame, no size prefix).
    compressed: Box<[u8]>,
    /// Its size decompressed, in bytes.
    raw_len: u32,
    /// The first of its conversations, as an index into [`ConversationStore::entries`].
    first: u32,
}

/// Where one packed conversation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    /// Its block, an index into [`ConversationStore::blocks`].
    block: u32,
    /// Its first byte in the decompressed block.
    start: u32,
    /// Its length in bytes.
    len: u32,
}

/// Conversations packed and compressed, read back one at a time or one block at a time.
///
/// Index `i` (as in [`ConversationStore::get`]) is the order the store was given by
/// [`ConversationStore::permute`], which for the app's logs is the order of `report.facts`.
#[derive(Clone, Debug, Default)]
pub struct ConversationStore {
    blocks: Vec<Block>,
    /// Every conversation in the order it was packed: block by block.
    entries: Vec<Entry>,
    /// For each index, its entry: the order the store is read in.
    order: Vec<u32>,
    /// For each entry, its index (the inverse of `order`).
    index_of_entry: Vec<u32>,
}

impl ConversationStore {
    /// Packs `conversations`, keeping their order.
    pub fn from_conversations<'a>(
        conversations: impl IntoIterator<Item = &'a Conversation>,
    ) -> Self {
        let mut builder = StoreBuilder::default();
        for conversation in conversations {
            builder.push(conversation);
        }
        builder.finish()
    }

    /// How many conversations it holds.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The conversation at `index`, built again from its packed bytes; `None` past the end (or, which
    /// does not happen with what a builder wrote, if its bytes cannot be read).
    pub fn get(&self, index: usize) -> Option<Conversation> {
        let entry = *self.entries.get(*self.order.get(index)? as usize)?;
        let raw = self.decompress(entry.block as usize)?;
        let bytes = raw.get(entry.start as usize..(entry.start + entry.len) as usize)?;
        decode(bytes)
    }

    /// Every conversation, in index order (each decompresses its block: for reading many, use
    /// [`ConversationStore::block`]).
    pub fn iter(&self) -> impl Iterator<Item = Conversation> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every conversation, in index order.
    pub fn to_vec(&self) -> Vec<Conversation> {
        let mut all: Vec<Option<Conversation>> = vec![None; self.len()];
        for block in 0..self.blocks() {
            for (index, conversation) in self.block(block) {
                if let Some(slot) = all.get_mut(index) {
                    *slot = Some(conversation);
                }
            }
        }
        all.into_iter().flatten().collect()
    }

    /// How many blocks there are.
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }

    /// The conversations of block `block` with their indices, decompressing it once.
    pub fn block(&self, block: usize) -> Vec<(usize, Conversation)> {
        let (Some(meta), Some(raw)) = (self.blocks.get(block), self.decompress(block)) else {
            return Vec::new();
        };
        let end = self
            .blocks
            .get(block + 1)
            .map_or(self.entries.len(), |next| next.first as usize);
        let first = meta.first as usize;
        let entries = self.entries.get(first..end).unwrap_or_default();
        entries
            .iter()
            .zip(first..)
            .filter_map(|(entry, e)| {
                let bytes = raw.get(entry.start as usize..(entry.start + entry.len) as usize)?;
                let index = *self.index_of_entry.get(e)? as usize;
                Some((index, decode(bytes)?))
            })
            .collect()
    }

    /// The bytes the store takes in memory (compressed blocks and the lists that find a conversation).
    pub fn heap_bytes(&self) -> usize {
        let blocks: usize = self.blocks.iter().map(|b| b.compressed.len()).sum();
        blocks
            + self.blocks.capacity() * size_of::<Block>()
            + self.entries.capacity() * size_of::<Entry>()
            + (self.order.capacity() + self.index_of_entry.capacity()) * size_of::<u32>()
    }

    /// The size of every conversation packed but not compressed, in bytes.
    pub fn raw_bytes(&self) -> usize {
        self.blocks.iter().map(|b| b.raw_len as usize).sum()
    }

    /// Joins stores: the conversations of the first, then those of the second, and so on.
    pub fn concat(parts: Vec<Self>) -> Self {
        let mut joined = Self::default();
        for part in parts {
            let block_base = joined.blocks.len() as u32;
            let entry_base = joined.entries.len() as u32;
            let index_base = joined.order.len() as u32;
            joined
                .blocks
                .extend(part.blocks.into_iter().map(|block| Block {
                    first: block.first + entry_base,
                    ..block
                }));
            joined
                .entries
                .extend(part.entries.into_iter().map(|entry| Entry {
                    block: entry.block + block_base,
                    ..entry
                }));
            joined
                .order
                .extend(part.order.into_iter().map(|e| e + entry_base));
            joined
                .index_of_entry
                .extend(part.index_of_entry.into_iter().map(|i| i + index_base));
        }
        joined
    }

    /// Reorders the conversations: the new index `i` is the one that was at `new_order[i]`. `new_order`
    /// must name every index once; otherwise the store is left as it was and `false` returned.
    pub fn permute(&mut self, new_order: &[usize]) -> bool {
        let mut seen = vec![false; self.order.len()];
        let mut order = Vec::with_capacity(self.order.len());
        for &old in new_order {
            match (seen.get_mut(old), self.order.get(old)) {
                (Some(seen @ false), Some(&entry)) => {
                    *seen = true;
                    order.push(entry);
                }
                _ => return false,
            }
        }
        if order.len() != self.order.len() {
            return false;
        }
        for (index, &entry) in order.iter().enumerate() {
            if let Some(slot) = self.index_of_entry.get_mut(entry as usize) {
                *slot = index as u32;
            }
        }
        self.order = order;
        true
    }

    fn decompress(&self, block: usize) -> Option<Vec<u8>> {
        let block = self.blocks.get(block)?;
        lz4_flex::block::decompress(&block.compressed, block.raw_len as usize).ok()
    }
}

/// Packs conversations one by one into a [`ConversationStore`].
#[derive(Debug, Default)]
pub struct StoreBuilder {
    store: ConversationStore,
    /// The block being filled, not yet compressed.
    open: Vec<u8>,
}

impl StoreBuilder {
    /// Packs one conversation after the others.
    pub fn push(&mut self, conversation: &Conversation) {
        let store = &mut self.store;
        let start = self.open.len();
        encode(conversation, &mut self.open);
        let entry = store.entries.len() as u32;
        store.entries.push(Entry {
            block: store.blocks.len() as u32,
            start: start as u32,
            len: (self.open.len() - start) as u32,
        });
        store.index_of_entry.push(store.order.len() as u32);
        store.order.push(entry);
        if self.open.len() >= BLOCK_BYTES {
            self.seal();
        }
    }

    /// How many conversations were packed.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether none were packed.
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// Forgets every conversation from index `len` on (a partly read file taken back).
    pub fn truncate(&mut self, len: usize) {
        let store = &mut self.store;
        let Some(&first_gone) = store.entries.get(len) else {
            return;
        };
        if first_gone.block as usize != store.blocks.len() {
            // The first conversation to go is in a sealed block: it becomes the open block again.
            let raw = store
                .decompress(first_gone.block as usize)
                .unwrap_or_default();
            self.open = raw;
            store.blocks.truncate(first_gone.block as usize);
        }
        self.open.truncate(first_gone.start as usize);
        store.entries.truncate(len);
        store.order.truncate(len);
        store.index_of_entry.truncate(len);
    }

    /// The store, with the last block compressed and every list trimmed to its length.
    pub fn finish(mut self) -> ConversationStore {
        self.seal();
        let mut store = self.store;
        store.blocks.shrink_to_fit();
        store.entries.shrink_to_fit();
        store.order.shrink_to_fit();
        store.index_of_entry.shrink_to_fit();
        store
    }

    fn seal(&mut self) {
        if self.open.is_empty() {
            return;
        }
        let store = &mut self.store;
        let first = store
            .entries
            .iter()
            .rposition(|e| e.block as usize != store.blocks.len())
            .map_or(0, |last_sealed| last_sealed + 1);
        store.blocks.push(Block {
            compressed: lz4_flex::block::compress(&self.open).into_boxed_slice(),
            raw_len: self.open.len() as u32,
            first: first as u32,
        });
        self.open.clear();
    }
}

// The packed form of a conversation. Integers are LEB128 varints; strings their length and UTF-8
// bytes; times whole seconds (each message's as the difference from the one before, zigzagged) and
// nanoseconds; ratings the bits of the `f64`, so that every value comes back exactly as it was.
//
// id, source, channel (0 = none, else length + 1, then bytes), csat (0 = none, 1 + 8 bytes), metadata
// (count, then key and value), message count, note count, then each message and each note: a flags
// byte (role: 2 bits, event: 3 bits, a time, a rating, internal), text, time, rating, line (the
// difference from the line before, zigzagged).

const HAS_TIME: u8 = 1 << 5;
const HAS_CSAT: u8 = 1 << 6;
const INTERNAL: u8 = 1 << 7;

fn encode(conversation: &Conversation, out: &mut Vec<u8>) {
    let Conversation {
        id,
        channel,
        csat,
        messages,
        source,
        metadata,
        notes,
    } = conversation;
    put_str(out, id);
    put_varint(out, *source as u64);
    match channel {
        Some(channel) => {
            put_varint(out, channel.len() as u64 + 1);
            out.extend_from_slice(channel.as_bytes());
        }
        None => put_varint(out, 0),
    }
    put_f64(out, *csat);
    put_varint(out, metadata.len() as u64);
    for (key, value) in metadata {
        put_str(out, key);
        put_str(out, value);
    }
    put_varint(out, messages.len() as u64);
    put_varint(out, notes.len() as u64);
    let (mut secs_before, mut line_before) = (0i64, 0u64);
    for message in messages.iter().chain(notes) {
        let Message {
            role,
            text,
            timestamp,
            event,
            csat,
            line,
            internal,
        } = message;
        let role_bits = match role {
            Role::Customer => 0,
            Role::Ai => 1,
            Role::HumanAgent => 2,
            Role::System => 3,
        };
        let event_bits = match event {
            None => 0,
            Some(EventKind::Handoff) => 1,
            Some(EventKind::Csat) => 2,
            Some(EventKind::Disclosure) => 3,
            Some(EventKind::HumanOption) => 4,
        };
        let mut flags = role_bits | event_bits << 2;
        if timestamp.is_some() {
            flags |= HAS_TIME;
        }
        if csat.is_some() {
            flags |= HAS_CSAT;
        }
        if *internal {
            flags |= INTERNAL;
        }
        out.push(flags);
        put_str(out, text);
        if let Some(time) = timestamp {
            let secs = time.timestamp();
            put_varint(out, zigzag(secs.wrapping_sub(secs_before)));
            put_varint(out, u64::from(time.timestamp_subsec_nanos()));
            secs_before = secs;
        }
        if let Some(csat) = csat {
            out.extend_from_slice(&csat.to_bits().to_le_bytes());
        }
        put_varint(out, zigzag(line.wrapping_sub(line_before) as i64));
        line_before = *line;
    }
}

fn decode(bytes: &[u8]) -> Option<Conversation> {
    let mut input = Reader { bytes };
    let id = input.string()?;
    let source = usize::try_from(input.varint()?).ok()?;
    let channel = match input.varint()? {
        0 => None,
        len => Some(input.str_of_len(len - 1)?),
    };
    let csat = input.f64()?;
    let mut metadata = BTreeMap::new();
    for _ in 0..input.varint()? {
        let key = input.string()?;
        metadata.insert(key, input.string()?);
    }
    let message_count = usize::try_from(input.varint()?).ok()?;
    let note_count = usize::try_from(input.varint()?).ok()?;
    // Each message takes at least three bytes, so a count the bytes cannot hold is no reason to reserve.
    let room = input.bytes.len() / 3;
    let mut messages = Vec::with_capacity(message_count.min(room));
    let mut notes = Vec::with_capacity(note_count.min(room));
    let (mut secs_before, mut line_before) = (0i64, 0u64);
    for n in 0..message_count.checked_add(note_count)? {
        let flags = input.byte()?;
        let role = match flags & 0b11 {
            0 => Role::Customer,
            1 => Role::Ai,
            2 => Role::HumanAgent,
            _ => Role::System,
        };
        let event = match (flags >> 2) & 0b111 {
            0 => None,
            1 => Some(EventKind::Handoff),
            2 => Some(EventKind::Csat),
            3 => Some(EventKind::Disclosure),
            4 => Some(EventKind::HumanOption),
            _ => return None,
        };
        let text = input.string()?;
        let timestamp = if flags & HAS_TIME == 0 {
            None
        } else {
            let secs = secs_before.wrapping_add(unzigzag(input.varint()?));
            let nanos = u32::try_from(input.varint()?).ok()?;
            secs_before = secs;
            Some(DateTime::<Utc>::from_timestamp(secs, nanos)?)
        };
        let csat = if flags & HAS_CSAT == 0 {
            None
        } else {
            Some(f64::from_bits(u64::from_le_bytes(input.array()?)))
        };
        let line = line_before.wrapping_add(unzigzag(input.varint()?) as u64);
        line_before = line;
        let message = Message {
            role,
            text,
            timestamp,
            event,
            csat,
            line,
            internal: flags & INTERNAL != 0,
        };
        if n < message_count {
            messages.push(message);
        } else {
            notes.push(message);
        }
    }
    input.bytes.is_empty().then_some(Conversation {
        id,
        channel,
        csat,
        messages,
        source,
        metadata,
        notes,
    })
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn put_f64(out: &mut Vec<u8>, value: Option<f64>) {
    match value {
        Some(value) => {
            out.push(1);
            out.extend_from_slice(&value.to_bits().to_le_bytes());
        }
        None => out.push(0),
    }
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Reads packed bytes from the front; every read is `None` when the bytes run out.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(first)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn take(&mut self, len: usize) -> Option<&[u8]> {
        let (taken, rest) = self.bytes.split_at_checked(len)?;
        self.bytes = rest;
        Some(taken)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn str_of_len(&mut self, len: u64) -> Option<String> {
        let bytes = self.take(usize::try_from(len).ok()?)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }

    fn string(&mut self) -> Option<String> {
        let len = self.varint()?;
        self.str_of_len(len)
    }

    fn f64(&mut self) -> Option<Option<f64>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(f64::from_bits(u64::from_le_bytes(self.array()?)))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(role: Role, text: &str, line: u64) -> Message {
        Message {
            role,
            text: text.to_owned(),
            timestamp: None,
            event: None,
            csat: None,
            line,
            internal: false,
        }
    }

    /// A conversation with every field set, and texts of every kind.
    fn full(id: &str, source: usize) -> Conversation {
        let at = |secs: i64, nanos: u32| DateTime::<Utc>::from_timestamp(secs, nanos);
        let mut metadata = BTreeMap::new();
        metadata.insert("queue".to_owned(), "Billing – DE".to_owned());
        metadata.insert(String::new(), String::new());
        Conversation {
            id: id.to_owned(),
            channel: Some("chat".to_owned()),
            csat: Some(4.5),
            messages: vec![
                Message {
                    timestamp: at(1_700_000_000, 123_456_789),
                    ..message(
                        Role::Customer,
                        "Kann ich mit einem Menschen sprechen? 😊",
                        2,
                    )
                },
                Message {
                    timestamp: at(1_699_999_000, 0),
                    event: Some(EventKind::Disclosure),
                    ..message(Role::System, "", 1)
                },
                Message {
                    timestamp: at(-86_400, 1_500_000_000),
                    ..message(
                        Role::Ai,
                        "Je suis un assistant virtuel. 日本語も話せます",
                        3,
                    )
                },
                Message {
                    event: Some(EventKind::Csat),
                    csat: Some(-0.0),
                    ..message(Role::System, "Rating", u64::MAX)
                },
                Message {
                    event: Some(EventKind::Handoff),
                    ..message(Role::HumanAgent, "Hi, I'm Ana", 0)
                },
                message(Role::System, "menu", 7),
                Message {
                    event: Some(EventKind::HumanOption),
                    csat: Some(f64::NAN),
                    ..message(Role::Ai, "Press 0 for an agent\n\ttab \"quoted\" \\", 8)
                },
            ],
            source,
            metadata,
            notes: vec![Message {
                internal: true,
                timestamp: at(1_700_000_100, 5),
                ..message(Role::HumanAgent, "internal: customer is VIP", 9)
            }],
        }
    }

    fn assert_same(a: &Conversation, b: &Conversation) {
        // Compared through their debug form, so that NaN ratings compare equal to themselves.
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn every_field_comes_back_as_it_was() {
        let conversations = vec![
            full("c-1", 0),
            Conversation::default(),
            Conversation {
                id: "ünïcödé — 会話".to_owned(),
                messages: vec![message(Role::Customer, "", 1)],
                source: usize::MAX >> 1,
                ..Conversation::default()
            },
            full("c-2", 3),
        ];
        let store = ConversationStore::from_conversations(&conversations);
        assert_eq!(store.len(), 4);
        for (i, conversation) in conversations.iter().enumerate() {
            assert_same(&store.get(i).unwrap(), conversation);
        }
        assert!(store.get(4).is_none());
        let all = store.to_vec();
        assert_eq!(all.len(), 4);
        for (got, want) in all.iter().zip(&conversations) {
            assert_same(got, want);
        }
    }

    #[test]
    fn many_blocks_read_one_by_one_and_block_by_block() {
        let conversations: Vec<_> = (0..3_000)
            .map(|i| {
                let mut c = full(&format!("conv-{i:05}"), i % 3);
                c.messages.truncate(i % 8);
                c
            })
            .collect();
        let store = ConversationStore::from_conversations(&conversations);
        assert!(store.blocks() > 3, "{} blocks", store.blocks());
        assert!(store.heap_bytes() < store.raw_bytes());
        for i in [0, 1, 777, 1_500, 2_999] {
            assert_same(&store.get(i).unwrap(), &conversations[i]);
        }
        let mut seen = vec![false; conversations.len()];
        for block in 0..store.blocks() {
            for (i, conversation) in store.block(block) {
                assert_same(&conversation, &conversations[i]);
                seen[i] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn joined_and_reordered_stores_keep_each_conversation_with_its_index() {
        let conversations: Vec<_> = (0..2_000).map(|i| full(&format!("{i}"), 0)).collect();
        let (a, b) = conversations.split_at(1_200);
        let mut store = ConversationStore::concat(vec![
            ConversationStore::from_conversations(a),
            ConversationStore::default(),
            ConversationStore::from_conversations(b),
        ]);
        assert_eq!(store.len(), 2_000);
        let reversed: Vec<usize> = (0..2_000).rev().collect();
        assert!(store.permute(&reversed));
        for i in [0, 1, 799, 800, 1_999] {
            assert_same(&store.get(i).unwrap(), &conversations[1_999 - i]);
        }
        for block in 0..store.blocks() {
            for (i, conversation) in store.block(block) {
                assert_same(&conversation, &conversations[1_999 - i]);
            }
        }
        // An order that misses or repeats an index changes nothing.
        assert!(!store.permute(&[0; 2_000]));
        assert!(!store.permute(&[0, 1]));
        assert_same(&store.get(0).unwrap(), &conversations[1_999]);
    }

    #[test]
    fn truncating_takes_back_the_last_conversations_even_from_sealed_blocks() {
        let conversations: Vec<_> = (0..1_000).map(|i| full(&format!("{i}"), 1)).collect();
        let mut builder = StoreBuilder::default();
        for c in &conversations[..600] {
            builder.push(c);
        }
        builder.truncate(250);
        assert_eq!(builder.len(), 250);
        for c in &conversations[250..1_000] {
            builder.push(c);
        }
        builder.truncate(1_000);
        let store = builder.finish();
        assert_eq!(store.len(), 1_000);
        for (i, got) in store.to_vec().iter().enumerate() {
            assert_same(got, &conversations[i]);
        }
    }

    #[test]
    fn damaged_bytes_read_as_nothing_rather_than_panicking() {
        let mut bytes = Vec::new();
        encode(&full("x", 0), &mut bytes);
        assert!(decode(&bytes).is_some());
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_none(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
