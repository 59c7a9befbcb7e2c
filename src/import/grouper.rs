//! Assembling validated records into conversations.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::{Hash as _, Hasher as _};
use std::io::{self, BufRead as _, BufReader, BufWriter, Seek as _, Write as _};

use super::record::Record;
use super::{Grouping, ImportError, InputReport};
use crate::model::Conversation;

/// How many metadata fields one conversation keeps.
const MAX_METADATA: usize = 32;

/// How many temporary files records are split into under [`Grouping::Spill`]; one of them at a time is
/// assembled in memory, so memory is about the file size divided by this.
const SPILL_BUCKETS: usize = 64;

/// Collects records into conversations and hands finished ones to a sink.
pub struct Grouper {
    grouping: Grouping,
    source: usize,
    /// Under [`Grouping::Stream`], the conversation being assembled.
    current: Option<Conversation>,
    /// Under [`Grouping::Stream`], hashes of the ids already handed over. A hash collision only makes a
    /// file look interleaved, which is safe: it is then read again in collecting mode.
    finished: HashSet<u64>,
    /// Under [`Grouping::Collect`], every conversation in order of first appearance.
    collected: Vec<Conversation>,
    index: HashMap<String, usize>,
    /// Under [`Grouping::Spill`], the temporary files (deleted when closed) records wait in.
    buckets: Vec<BufWriter<File>>,
    /// Under [`Grouping::Spill`], conversation-level facts from JSON documents (channel, rating).
    spilled_facts: HashMap<String, (Option<String>, Option<f64>)>,
}

impl Grouper {
    /// A grouper that tags conversations with input `source`.
    pub fn new(grouping: Grouping, source: usize) -> Self {
        let mut buckets = Vec::new();
        let mut grouping = grouping;
        if grouping == Grouping::Spill {
            match (0..SPILL_BUCKETS)
                .map(|_| tempfile::tempfile().map(BufWriter::new))
                .collect::<io::Result<Vec<_>>>()
            {
                Ok(files) => buckets = files,
                // Without temporary files the records wait in memory instead: slower to fail than to read.
                Err(_) => grouping = Grouping::Collect,
            }
        }
        Self {
            grouping,
            source,
            current: None,
            finished: HashSet::new(),
            collected: Vec::new(),
            index: HashMap::new(),
            buckets,
            spilled_facts: HashMap::new(),
        }
    }

    /// Adds a record to its conversation, handing over the previous conversation when streaming.
    pub fn push(
        &mut self,
        record: Record,
        report: &mut InputReport,
        sink: &mut dyn FnMut(Conversation),
    ) -> Result<(), ImportError> {
        report.messages += 1;
        match self.grouping {
            Grouping::Stream => {
                let same = self
                    .current
                    .as_ref()
                    .is_some_and(|c| c.id == record.conversation_id);
                if !same {
                    if self.finished.contains(&id_hash(&record.conversation_id)) {
                        return Err(ImportError::Interleaved);
                    }
                    if let Some(done) = self.current.take() {
                        self.finished.insert(id_hash(&done.id));
                        hand_over(done, report, sink);
                    }
                    self.current = Some(self.new_conversation(&record.conversation_id));
                }
                if let Some(conversation) = self.current.as_mut() {
                    add(conversation, record);
                }
            }
            Grouping::Spill => {
                let bucket = (id_hash(&record.conversation_id) % SPILL_BUCKETS as u64) as usize;
                if let Some(file) = self.buckets.get_mut(bucket) {
                    serde_json::to_writer(&mut *file, &record).map_err(io::Error::from)?;
                    file.write_all(b"\n")?;
                }
            }
            Grouping::Collect => {
                let slot = match self.index.get(&record.conversation_id) {
                    Some(&slot) => slot,
                    None => {
                        let slot = self.collected.len();
                        self.collected
                            .push(self.new_conversation(&record.conversation_id));
                        self.index.insert(record.conversation_id.clone(), slot);
                        slot
                    }
                };
                if let Some(conversation) = self.collected.get_mut(slot) {
                    add(conversation, record);
                }
            }
        }
        Ok(())
    }

    /// Sets conversation-level facts (from a JSON conversation object) on the conversation being built.
    pub fn set_conversation_facts(&mut self, id: &str, channel: Option<String>, csat: Option<f64>) {
        if self.grouping == Grouping::Spill {
            self.spilled_facts.insert(id.to_owned(), (channel, csat));
            return;
        }
        let conversation = match self.grouping {
            Grouping::Spill => None,
            Grouping::Stream => self.current.as_mut().filter(|c| c.id == id),
            Grouping::Collect => self
                .index
                .get(id)
                .copied()
                .and_then(|slot| self.collected.get_mut(slot)),
        };
        if let Some(conversation) = conversation {
            if conversation.channel.is_none() {
                conversation.channel = channel;
            }
            if conversation.csat.is_none() {
                conversation.csat = csat;
            }
        }
    }

    /// Hands over what is left at the end of the file.
    pub fn finish(
        &mut self,
        report: &mut InputReport,
        sink: &mut dyn FnMut(Conversation),
    ) -> io::Result<()> {
        if let Some(done) = self.current.take() {
            hand_over(done, report, sink);
        }
        for conversation in std::mem::take(&mut self.collected) {
            hand_over(conversation, report, sink);
        }
        self.index.clear();
        for bucket in std::mem::take(&mut self.buckets) {
            self.assemble_bucket(bucket, report, sink)?;
        }
        Ok(())
    }

    /// Reads one spilled bucket back and hands over its conversations, in order of first appearance.
    fn assemble_bucket(
        &mut self,
        bucket: BufWriter<File>,
        report: &mut InputReport,
        sink: &mut dyn FnMut(Conversation),
    ) -> io::Result<()> {
        let mut file = bucket
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        let mut conversations: Vec<Conversation> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for line in BufReader::new(file).lines() {
            let record: Record = serde_json::from_str(&line?).map_err(io::Error::from)?;
            let slot = match index.get(&record.conversation_id) {
                Some(&slot) => slot,
                None => {
                    conversations.push(self.new_conversation(&record.conversation_id));
                    index.insert(record.conversation_id.clone(), conversations.len() - 1);
                    conversations.len() - 1
                }
            };
            if let Some(conversation) = conversations.get_mut(slot) {
                add(conversation, record);
            }
        }
        for mut conversation in conversations {
            if let Some((channel, csat)) = self.spilled_facts.remove(&conversation.id) {
                if conversation.channel.is_none() {
                    conversation.channel = channel;
                }
                if conversation.csat.is_none() {
                    conversation.csat = csat;
                }
            }
            hand_over(conversation, report, sink);
        }
        Ok(())
    }

    fn new_conversation(&self, id: &str) -> Conversation {
        Conversation {
            id: id.to_owned(),
            source: self.source,
            ..Conversation::default()
        }
    }
}

fn id_hash(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

fn add(conversation: &mut Conversation, record: Record) {
    let Record {
        conversation_id: _,
        channel,
        message,
        extra,
    } = record;
    if conversation.channel.is_none() {
        conversation.channel = channel;
    }
    for (key, value) in extra {
        if conversation.metadata.len() < MAX_METADATA {
            conversation.metadata.entry(key).or_insert(value);
        }
    }
    if message.internal {
        conversation.notes.push(message);
    } else {
        conversation.messages.push(message);
    }
}

/// Puts the messages in conversation order and settles the rating, then passes the conversation on.
fn hand_over(
    mut conversation: Conversation,
    report: &mut InputReport,
    sink: &mut dyn FnMut(Conversation),
) {
    // Order by time when every message has one; a partial set of times cannot order the rest, so file
    // order stands then. The sort is stable, so equal times keep file order.
    if conversation.messages.iter().all(|m| m.timestamp.is_some()) {
        conversation.messages.sort_by_key(|m| m.timestamp);
    }
    if let Some(rating) = conversation.messages.iter().rev().find_map(|m| m.csat) {
        conversation.csat = Some(rating);
    }
    report.conversations += 1;
    sink(conversation);
}
