//! The mapping step for files Candor does not recognise: a sample of the file's columns and values to
//! choose from, a first guess at the profile, and a preview of the first conversations as they would be
//! read with a profile. The app's mapping window is a view over these; nothing here knows egui.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::fields::Field;
use super::profile::ImportProfile;
use super::{Grouping, ImportProgress, InputReport, delimited, import_reader_with};
use crate::model::{Conversation, Role};

/// How much of a file is sampled and previewed.
const SAMPLE_BYTES: usize = 256 * 1024;

/// The start of a file, as columns and records of text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileSample {
    /// The column (or key) names, in file order.
    pub columns: Vec<String>,
    /// The first records: column name to its text.
    pub records: Vec<BTreeMap<String, String>>,
}

impl FileSample {
    /// The distinct values of a column in the sample, most frequent first (at most `limit`).
    #[must_use]
    pub fn values(&self, column: &str, limit: usize) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for record in &self.records {
            if let Some(v) = record
                .get(column)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            {
                *counts.entry(v).or_insert(0) += 1;
            }
        }
        let mut values: Vec<(String, usize)> =
            counts.into_iter().map(|(v, n)| (v.to_owned(), n)).collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values.truncate(limit);
        values
    }

    /// A first profile: each field mapped to the column its usual names point to, where one does.
    #[must_use]
    pub fn suggestion(&self) -> ImportProfile {
        let mut profile = ImportProfile::default();
        for column in &self.columns {
            let slot = match Field::classify(column) {
                Some(Field::ConversationId) => &mut profile.fields.conversation,
                Some(Field::Role) => &mut profile.fields.speaker,
                Some(Field::Text) => &mut profile.fields.text,
                Some(Field::Timestamp) => &mut profile.fields.time,
                Some(Field::Channel) => &mut profile.fields.channel,
                Some(Field::Csat) => &mut profile.fields.csat,
                Some(Field::Event) => &mut profile.fields.event,
                Some(Field::Internal) => &mut profile.fields.internal,
                None => continue,
            };
            if slot.is_none() {
                *slot = Some(column.clone());
            }
        }
        profile
    }
}

/// A first guess at who a speaker value is, from the words in it: "Lisa (Bot)" is the AI, "Kundin" the
/// customer, "Max (Mitarbeiter)" a person of the company. `None` when no word says.
#[must_use]
pub fn guess_speaker(value: &str) -> Option<Role> {
    if let Some(role) = Role::parse(value) {
        return Some(role);
    }
    let words: Vec<String> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let said = |role: Role| {
        words.iter().any(|w| {
            Role::parse(w) == Some(role)
                || match role {
                    Role::Ai => matches!(
                        w.as_str(),
                        "ki" | "ia" | "robot" | "robô" | "virtual" | "automated"
                    ),
                    Role::Customer => matches!(
                        w.as_str(),
                        "kunde"
                            | "kundin"
                            | "kund"
                            | "klant"
                            | "cliente"
                            | "utente"
                            | "usuario"
                            | "usuário"
                            | "besucher"
                            | "visiteur"
                            | "bezoeker"
                    ),
                    Role::HumanAgent => matches!(
                        w.as_str(),
                        "mitarbeiter"
                            | "mitarbeiterin"
                            | "berater"
                            | "beraterin"
                            | "conseiller"
                            | "conseillère"
                            | "agente"
                            | "operatore"
                            | "operador"
                            | "medewerker"
                            | "handläggare"
                            | "atendente"
                            | "asesor"
                            | "asesora"
                    ),
                    Role::System => false,
                }
        })
    };
    // The AI first: "Bot (agent)" is the bot.
    [Role::Ai, Role::HumanAgent, Role::Customer]
        .into_iter()
        .find(|&role| said(role))
}

/// Samples the start of a file given as bytes.
#[must_use]
pub fn sample_bytes(head: &[u8], max_records: usize) -> FileSample {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    let mut sample = FileSample::default();
    if text.trim_start().starts_with('{') {
        for line in text.lines().take(max_records) {
            let Ok(Value::Object(object)) = serde_json::from_str::<Value>(line.trim()) else {
                continue;
            };
            let mut record = BTreeMap::new();
            for (key, value) in object {
                if !sample.columns.contains(&key) {
                    sample.columns.push(key.clone());
                }
                let text = match value {
                    Value::String(s) => s,
                    Value::Null => continue,
                    other => other.to_string(),
                };
                record.insert(key, text);
            }
            sample.records.push(record);
        }
        return sample;
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = delimited::sniff_delimiter(first_line).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    if let Ok(headers) = reader.headers() {
        sample.columns = headers.iter().map(|h| h.trim().to_owned()).collect();
    }
    for row in reader.records().take(max_records).flatten() {
        let record = sample
            .columns
            .iter()
            .zip(row.iter())
            .map(|(c, v)| (c.clone(), v.to_owned()))
            .collect();
        sample.records.push(record);
    }
    sample
}

/// The first conversations of a file's start (see [`read_file_start`]) as they would be read with
/// `profile`, and the report of that reading.
#[must_use]
pub fn preview_bytes(
    name: &str,
    head: &[u8],
    profile: &ImportProfile,
) -> (Vec<Conversation>, InputReport) {
    // Whole lines only: a record cut at the end of the sample would be reported as broken.
    let end = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let bytes = head.get(..end).unwrap_or(head);
    let mut conversations = Vec::new();
    let report = import_reader_with(
        name,
        0,
        bytes,
        Grouping::Collect,
        &ImportProgress::default(),
        Some(Arc::new(profile.clone())),
        &mut |c| conversations.push(c),
    )
    .unwrap_or_default();
    (conversations, report)
}

/// The start of a file (its first 256 KB), read once for the sample and every preview.
pub fn read_file_start(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| {
        format!(
            "The file could not be opened: {}",
            crate::audit::plain_io_error(&e)
        )
    })?;
    let mut head = Vec::with_capacity(SAMPLE_BYTES);
    file.take(SAMPLE_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| {
            format!(
                "The file could not be read: {}",
                crate::audit::plain_io_error(&e)
            )
        })?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::profile::{FieldNames, SpeakerValues};
    use crate::model::Role;

    const CRM: &[u8] = b"Vorgang;Wer;Gesagt;Wann\n\
        V-1;Kundin;Hallo;2026-03-02T09:00:00Z\n\
        V-1;Lisa (Bot);Ich bin eine KI.;2026-03-02T09:00:05Z\n\
        V-2;Kundin;Wo ist mein Paket?;2026-03-02T10:00:00Z\n";

    #[test]
    fn speaker_values_are_guessed_from_their_words() {
        assert_eq!(guess_speaker("Lisa (Bot)"), Some(Role::Ai));
        assert_eq!(guess_speaker("Kundin"), Some(Role::Customer));
        assert_eq!(guess_speaker("Max (Mitarbeiter)"), Some(Role::HumanAgent));
        assert_eq!(guess_speaker("VISITOR"), Some(Role::Customer));
        assert_eq!(guess_speaker("Max Berger"), None);
    }

    #[test]
    fn a_sample_offers_columns_and_speaker_values() {
        let sample = sample_bytes(CRM, 100);
        assert_eq!(sample.columns, ["Vorgang", "Wer", "Gesagt", "Wann"]);
        assert_eq!(
            sample.values("Wer", 10),
            [("Kundin".to_owned(), 2), ("Lisa (Bot)".to_owned(), 1)]
        );
        // No usual names here except the time.
        let suggestion = sample.suggestion();
        assert_eq!(suggestion.fields.time, None);
        assert_eq!(suggestion.fields.conversation, None);
        let jsonl = sample_bytes(
            b"{\"ticket_id\":1,\"sender\":\"bot\",\"body\":\"Hi\"}\n",
            10,
        );
        let suggestion = jsonl.suggestion();
        assert_eq!(suggestion.fields.conversation.as_deref(), Some("ticket_id"));
        assert_eq!(suggestion.fields.speaker.as_deref(), Some("sender"));
        assert_eq!(suggestion.fields.text.as_deref(), Some("body"));
    }

    #[test]
    fn the_preview_reads_with_the_profile() {
        let profile = ImportProfile {
            name: "CRM".to_owned(),
            fields: FieldNames {
                conversation: Some("Vorgang".to_owned()),
                speaker: Some("Wer".to_owned()),
                text: Some("Gesagt".to_owned()),
                time: Some("Wann".to_owned()),
                ..FieldNames::default()
            },
            speakers: SpeakerValues {
                ai: vec!["Lisa (Bot)".to_owned()],
                customer: vec!["Kundin".to_owned()],
                ..SpeakerValues::default()
            },
        };
        let (conversations, report) = preview_bytes("crm.csv", CRM, &profile);
        assert_eq!(conversations.len(), 2, "{report:?}");
        let roles: Vec<Role> = conversations[0].messages.iter().map(|m| m.role).collect();
        assert_eq!(roles, [Role::Customer, Role::Ai]);
    }
}
