//! What the app remembers between runs: theme, reviewer name, time zone and recent files. Never logs or
//! findings.

use std::path::PathBuf;

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};

use super::theme::Theme;

/// How many recent files and folders are remembered.
const MAX_RECENT: usize = 8;

/// The key under which eframe stores the settings.
pub const STORAGE_KEY: &str = "candor.settings";

/// In which time zone times are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeZoneChoice {
    /// Coordinated universal time, as in the logs and exports.
    #[default]
    Utc,
    /// The computer's time zone.
    Local,
}

impl TimeZoneChoice {
    /// Both choices.
    pub const ALL: [Self; 2] = [Self::Utc, Self::Local];

    /// The name shown in the View menu.
    pub fn label(self) -> &'static str {
        match self {
            Self::Utc => "Times in UTC",
            Self::Local => "Times in local time",
        }
    }

    /// A time as shown in tables and transcripts.
    pub fn format(self, time: DateTime<Utc>) -> String {
        match self {
            Self::Utc => time.format("%Y-%m-%d %H:%M UTC").to_string(),
            Self::Local => time
                .with_timezone(&Local)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        }
    }

    /// The calendar day of a time in this zone.
    pub fn day(self, time: DateTime<Utc>) -> chrono::NaiveDate {
        match self {
            Self::Utc => time.date_naive(),
            Self::Local => time.with_timezone(&Local).date_naive(),
        }
    }

    /// A date and time of day with seconds, for transcripts that span several days.
    pub fn format_day_clock(self, time: DateTime<Utc>) -> String {
        match self {
            Self::Utc => time.format("%a %Y-%m-%d %H:%M:%S").to_string(),
            Self::Local => time
                .with_timezone(&Local)
                .format("%a %Y-%m-%d %H:%M:%S")
                .to_string(),
        }
    }

    /// A time of day with seconds, for transcripts.
    pub fn format_clock(self, time: DateTime<Utc>) -> String {
        match self {
            Self::Utc => time.format("%H:%M:%S").to_string(),
            Self::Local => time.with_timezone(&Local).format("%H:%M:%S").to_string(),
        }
    }
}

/// The persisted settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Light or dark.
    pub theme: Theme,
    /// The name recorded with review decisions.
    pub reviewer: String,
    /// How times are shown.
    pub time_zone: TimeZoneChoice,
    /// Recently opened files and folders, newest first.
    pub recent: Vec<PathBuf>,
    /// The language every conversation is read in; `None` detects it per conversation.
    pub language: Option<String>,
    /// A rule pack file to audit with instead of the built-in one.
    pub rule_pack: Option<PathBuf>,
    /// The import profile logs are read with, if one was chosen.
    #[serde(default)]
    pub import_profile: Option<PathBuf>,
    /// Whether personal data (e-mail addresses, phone numbers, card numbers, IBANs, postal addresses) in
    /// log text is shown as placeholders on screen and in exports. The rules always read the original.
    pub hide_personal_data: bool,
    /// The organisation named in the HTML report's sign-off block.
    pub organisation: String,
    /// The auditor named in the HTML report's sign-off block.
    pub auditor: String,
}

impl Settings {
    /// Remembers opened paths, newest first, without duplicates.
    pub fn remember(&mut self, paths: &[PathBuf]) {
        for path in paths.iter().rev() {
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            self.recent.retain(|p| *p != path);
            self.recent.insert(0, path);
        }
        self.recent.truncate(MAX_RECENT);
    }
}
