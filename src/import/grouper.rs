//! Assembling validated records into conversations.

use std::collections::{HashMap, HashSet};
use std::fs::File;
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
    /// Under [`Grouping::Stream`], the conversations being assembled (see [`Window`]).
    window: Window,
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
            window: Window::default(),
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
                self.window.records += 1;
                let now = self.window.records;
                match self.window.open.get_mut(record.conversation_id.as_str()) {
                    Some(open) => {
                        open.last_record = now;
                        add(&mut open.conversation, record);
                    }
                    None => {
                        if self.finished.contains(&id_hash(&record.conversation_id)) {
                            return Err(ImportError::Interleaved);
                        }
                        let mut conversation = self.new_conversation(&record.conversation_id);
                        add(&mut conversation, record);
                        self.window.start(conversation);
                    }
                }
                while let Some(done) = self.window.due() {
                    self.finished.insert(id_hash(&done.id));
                    hand_over(done, report, sink);
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
            Grouping::Stream => self.window.open.get_mut(id).map(|o| &mut o.conversation),
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
        while let Some(done) = self.window.pop_oldest() {
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

/// Records a conversation stays open for after its last one: a line a little out of place (exports merged
/// from several sources, a late event) still joins its conversation without reading the file again.
const WINDOW_RECORDS: u64 = 16_384;

/// Most conversations open at once; past it the oldest is handed over even if it is still active (a
/// later line of it makes the file count as interleaved, and it is read again with grouping).
const WINDOW_CONVERSATIONS: usize = 65_536;

/// The conversations being assembled under [`Grouping::Stream`], handed over in the order they started
/// once no record of theirs has come for [`WINDOW_RECORDS`] records.
#[derive(Default)]
struct Window {
    open: rustc_hash::FxHashMap<String, Open>,
    /// Ids in the order their conversations started.
    order: std::collections::VecDeque<String>,
    /// Records seen so far.
    records: u64,
}

struct Open {
    conversation: Conversation,
    last_record: u64,
}

impl Window {
    fn start(&mut self, conversation: Conversation) {
        self.order.push_back(conversation.id.clone());
        self.open.insert(
            conversation.id.clone(),
            Open {
                conversation,
                last_record: self.records,
            },
        );
    }

    /// The oldest conversation, if it is done waiting or too many are open.
    fn due(&mut self) -> Option<Conversation> {
        let id = self.order.front()?;
        let last = self.open.get(id.as_str()).map_or(0, |o| o.last_record);
        let waited = self.records.saturating_sub(last) > WINDOW_RECORDS;
        (waited || self.open.len() > WINDOW_CONVERSATIONS)
            .then(|| self.pop_oldest())
            .flatten()
    }

    /// The oldest conversation, whatever its state (at the end of the file).
    fn pop_oldest(&mut self) -> Option<Conversation> {
        let id = self.order.pop_front()?;
        self.open.remove(id.as_str()).map(|o| o.conversation)
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher as _;
    rustc_hash::FxBuildHasher.hash_one(id)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Message;

    fn record(id: &str, line: u64) -> Record {
        Record {
            conversation_id: id.to_owned(),
            channel: None,
            message: Message {
                role: crate::model::Role::Customer,
                text: format!("line {line}"),
                timestamp: None,
                event: None,
                csat: None,
                line,
                internal: false,
            },
            extra: Vec::new(),
        }
    }

    /// Streams `ids` (one record each, in order) and returns the conversations with their lines, or
    /// `None` if the grouper found the file interleaved.
    fn stream(ids: &[String]) -> Option<Vec<(String, Vec<u64>)>> {
        let mut grouper = Grouper::new(Grouping::Stream, 0);
        let mut report = InputReport::default();
        let mut out = Vec::new();
        let mut sink =
            |c: Conversation| out.push((c.id.clone(), c.messages.iter().map(|m| m.line).collect()));
        for (i, id) in ids.iter().enumerate() {
            grouper
                .push(record(id, i as u64 + 1), &mut report, &mut sink)
                .ok()?;
        }
        grouper.finish(&mut report, &mut sink).ok()?;
        Some(out)
    }

    #[test]
    fn a_line_a_little_out_of_place_joins_its_conversation() {
        // c0's last line comes after 100 lines of other conversations.
        let mut ids: Vec<String> = vec!["c0".to_owned(); 3];
        ids.extend((0..100).map(|i| format!("c{}", 1 + i / 5)));
        ids.push("c0".to_owned());
        let out = stream(&ids).unwrap_or_default();
        assert_eq!(out.len(), 21);
        assert_eq!(out.first(), Some(&("c0".to_owned(), vec![1, 2, 3, 104])));
    }

    #[test]
    fn a_line_far_out_of_place_makes_the_file_interleaved() {
        let mut ids: Vec<String> = vec!["c0".to_owned()];
        let far = WINDOW_RECORDS as usize + 10;
        ids.extend((0..far).map(|i| format!("c{}", 1 + i / 5)));
        ids.push("c0".to_owned());
        assert_eq!(stream(&ids), None);
    }
}
