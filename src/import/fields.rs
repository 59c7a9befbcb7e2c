//! Which field of a record means what: column and key names matched by their many synonyms.

/// A field of a message record that Candor understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The conversation (ticket, session, contact) the message belongs to.
    ConversationId,
    /// Who wrote the message.
    Role,
    /// What the message says.
    Text,
    /// When it was sent.
    Timestamp,
    /// The channel (chat, voice, email…).
    Channel,
    /// A platform event (handoff, csat, disclosure, human_option).
    Event,
    /// A satisfaction rating.
    Csat,
    /// Whether the record is an internal note the customer never saw.
    Internal,
}

impl Field {
    /// Every field, in the order they are looked for.
    pub const ALL: [Self; 8] = [
        Self::ConversationId,
        Self::Role,
        Self::Text,
        Self::Timestamp,
        Self::Channel,
        Self::Event,
        Self::Csat,
        Self::Internal,
    ];

    /// The canonical name, as in JSON Lines files.
    pub fn canonical(self) -> &'static str {
        match self {
            Self::ConversationId => "conversation_id",
            Self::Role => "role",
            Self::Text => "text",
            Self::Timestamp => "timestamp",
            Self::Channel => "channel",
            Self::Event => "event",
            Self::Csat => "csat",
            Self::Internal => "internal",
        }
    }

    /// A few column names that mean this field, as people write them (for messages).
    pub fn examples(self) -> &'static str {
        match self {
            Self::ConversationId => "conversation_id, ticket_id, session_id, contact_id",
            Self::Role => "role, sender, author_type, speaker",
            Self::Text => "text, message, body, content",
            Self::Timestamp => "timestamp, created_at, time",
            Self::Channel => "channel",
            Self::Event => "event, event_type",
            Self::Csat => "csat, rating",
            Self::Internal => "internal, private, is_internal",
        }
    }

    /// Names that mean this field, normalised (lowercase letters and digits only), best first.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Self::ConversationId => &[
                "conversationid",
                "conversation",
                "ticketid",
                "ticket",
                "sessionid",
                "session",
                "contactid",
                "chatid",
                "threadid",
                "caseid",
                "dialogueid",
                "dialogid",
                "interactionid",
                "convid",
            ],
            Self::Role => &[
                "role",
                "sender",
                "sendertype",
                "authortype",
                "author",
                "speaker",
                "from",
                "participantrole",
                "participant",
                "sentby",
                "usertype",
            ],
            Self::Text => &[
                "text",
                "message",
                "body",
                "content",
                "utterance",
                "messagetext",
                "transcript",
                "comment",
            ],
            Self::Timestamp => &[
                "timestamp",
                "createdat",
                "time",
                "sentat",
                "datetime",
                "date",
                "absolutetime",
                "ts",
                "created",
            ],
            Self::Channel => &["channel", "medium", "channeltype", "via"],
            Self::Event => &["event", "eventtype", "type", "action"],
            Self::Csat => &[
                "csat",
                "rating",
                "csatscore",
                "satisfaction",
                "score",
                "csatrate",
            ],
            Self::Internal => &[
                "internal",
                "private",
                "isinternal",
                "isprivate",
                "internalnote",
            ],
        }
    }

    /// The field a key or column name stands for, if any.
    pub fn classify(name: &str) -> Option<Self> {
        let normal = normalise(name);
        Self::ALL
            .into_iter()
            .find(|field| field.synonyms().contains(&normal.as_str()))
    }
}

/// Lowercase letters and digits only: "Ticket ID" and "ticket_id" both become "ticketid".
pub fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Maps each column of a header to a field, preferring the best synonym when several columns match.
pub fn map_header<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Option<Field>> {
    let normals: Vec<String> = names.into_iter().map(normalise).collect();
    let mut mapping = vec![None; normals.len()];
    for field in Field::ALL {
        let best = field.synonyms().iter().find_map(|syn| {
            normals
                .iter()
                .enumerate()
                .find(|(i, n)| n.as_str() == *syn && mapping.get(*i) == Some(&None))
                .map(|(i, _)| i)
        });
        if let Some(slot) = best.and_then(|i| mapping.get_mut(i)) {
            *slot = Some(field);
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_are_recognised() {
        assert_eq!(Field::classify("Ticket ID"), Some(Field::ConversationId));
        assert_eq!(Field::classify("author_type"), Some(Field::Role));
        assert_eq!(Field::classify("created_at"), Some(Field::Timestamp));
        assert_eq!(Field::classify("\u{feff}body"), Some(Field::Text));
        assert_eq!(Field::classify("favourite colour"), None);
    }

    #[test]
    fn header_prefers_the_best_synonym() {
        let map = map_header(["id", "session_id", "conversation_id", "message"]);
        assert_eq!(
            map,
            vec![None, None, Some(Field::ConversationId), Some(Field::Text)]
        );
    }
}
