//! The mapping window: for a file Candor did not recognise, choose which columns hold the conversation,
//! the speaker and the text, say who each speaker is, watch the first conversations as they will be read,
//! and save the choices as an import profile that reads the logs from then on.

use std::collections::BTreeMap;
use std::path::PathBuf;

use egui::RichText;

use crate::import::mapping::{self, FileSample};
use crate::import::profile::{FieldNames, ImportProfile, SpeakerValues};
use crate::model::{Conversation, Role};

use super::actions::Action;
use super::theme::Palette;
use super::widgets;

/// What a speaker value is mapped to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpeakerChoice {
    /// Not decided: records by this speaker are skipped.
    #[default]
    Unmapped,
    /// The customer.
    Customer,
    /// The AI agent or chatbot.
    Ai,
    /// A person of the company.
    HumanAgent,
    /// The platform: banners, prompts, events.
    System,
    /// Notes between colleagues, never shown to the customer.
    Internal,
}

impl SpeakerChoice {
    const ALL: [Self; 6] = [
        Self::Unmapped,
        Self::Customer,
        Self::Ai,
        Self::HumanAgent,
        Self::System,
        Self::Internal,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Unmapped => "Not mapped yet",
            Self::Customer => "Customer",
            Self::Ai => "AI agent",
            Self::HumanAgent => "Human agent",
            Self::System => "System notice",
            Self::Internal => "Internal note",
        }
    }
}

/// The state of an open mapping window.
pub struct MappingState {
    /// The file being mapped.
    pub path: PathBuf,
    sample: FileSample,
    /// The start of the file, read once when the window opens; the sample and every preview use it.
    head: Vec<u8>,
    /// The field choices so far.
    pub fields: FieldNames,
    /// Speaker value to what it means.
    pub speakers: BTreeMap<String, SpeakerChoice>,
    /// The profile's name.
    pub name: String,
    /// Where the profile is saved.
    pub save_as: String,
    preview: Vec<Conversation>,
    preview_skipped: u64,
    preview_stale: bool,
    /// Why the file or the profile could not be used, in plain words.
    pub error: Option<String>,
}

impl MappingState {
    /// Opens the mapping of `path`, with the usual column names already chosen.
    pub fn open(path: PathBuf) -> Self {
        let (head, error) = match mapping::read_file_start(&path) {
            Ok(head) => (head, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let sample = mapping::sample_bytes(&head, 2000);
        let suggestion = sample.suggestion();
        let stem = path
            .file_stem()
            .map_or_else(|| "logs".to_owned(), |s| s.to_string_lossy().into_owned());
        let save_as = path
            .with_file_name(format!("{stem}.candor-profile.toml"))
            .display()
            .to_string();
        Self {
            path,
            sample,
            head,
            fields: suggestion.fields,
            speakers: BTreeMap::new(),
            name: stem,
            save_as,
            preview: Vec::new(),
            preview_skipped: 0,
            preview_stale: true,
            error,
        }
    }

    /// The profile the choices make.
    #[must_use]
    pub fn profile(&self) -> ImportProfile {
        let mut speakers = SpeakerValues::default();
        for (value, choice) in &self.speakers {
            let list = match choice {
                SpeakerChoice::Unmapped => continue,
                SpeakerChoice::Customer => &mut speakers.customer,
                SpeakerChoice::Ai => &mut speakers.ai,
                SpeakerChoice::HumanAgent => &mut speakers.human_agent,
                SpeakerChoice::System => &mut speakers.system,
                SpeakerChoice::Internal => &mut speakers.internal,
            };
            list.push(value.clone());
        }
        ImportProfile {
            name: self.name.clone(),
            fields: self.fields.clone(),
            speakers,
        }
    }

    fn refresh_preview(&mut self) {
        if !self.preview_stale {
            return;
        }
        self.preview_stale = false;
        let name = self.path.display().to_string();
        let (conversations, report) = mapping::preview_bytes(&name, &self.head, &self.profile());
        self.preview = conversations;
        self.preview_skipped = report.skipped;
    }

    /// Writes the profile (atomically) to `save_as`; the path written to.
    pub fn save(&self) -> Result<PathBuf, String> {
        let path = PathBuf::from(self.save_as.trim());
        if self.save_as.trim().is_empty() {
            return Err("Say where to save the profile".to_owned());
        }
        let text = self.profile().to_toml();
        crate::export::write_atomically(&path, |out| {
            out.write_all(text.as_bytes())?;
            Ok(())
        })
        .map_err(|e| format!("The profile could not be saved: {e}"))?;
        Ok(path)
    }
}

/// Shows the mapping window while `state` is open.
pub fn mapping_window(
    ctx: &egui::Context,
    state: &mut MappingState,
    hide: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    state.refresh_preview();
    let file_name = state.path.file_name().map_or_else(
        || state.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    egui::Window::new(format!("Map the columns of {file_name}"))
        .collapsible(false)
        .resizable(true)
        .default_size([680.0, 600.0])
        .show(ctx, |ui| {
            // The choices scroll; saving stays in view below them.
            egui::ScrollArea::vertical()
                .max_height((ui.available_height() - 110.0).max(160.0))
                .show(ui, |ui| mapping_ui(ui, state, hide, palette));
            ui.separator();
            save_ui(ui, state, actions);
        });
}

fn mapping_ui(ui: &mut egui::Ui, state: &mut MappingState, hide: bool, palette: &Palette) {
    ui.label(
        "Candor did not recognise this file. Say which columns hold what and who each speaker is; the \
         first conversations below show how the file will be read.",
    );
    if let Some(error) = &state.error {
        ui.label(RichText::new(error).color(palette.error));
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Columns").strong());
    let columns = state.sample.columns.clone();
    let mut changed = false;
    let f = &mut state.fields;
    for (label, slot) in [
        ("Conversation", &mut f.conversation),
        ("Who wrote it", &mut f.speaker),
        ("Text", &mut f.text),
        ("Time (optional)", &mut f.time),
        ("Channel (optional)", &mut f.channel),
        ("Internal note flag (optional)", &mut f.internal),
    ] {
        changed |= column_choice(ui, label, slot, &columns);
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Who is who").strong());
    match state.fields.speaker.clone() {
        None => {
            ui.label(
                RichText::new("Choose the column that says who wrote each message")
                    .color(palette.muted),
            );
        }
        Some(column) => {
            let values = state.sample.values(&column, 40);
            if values.is_empty() {
                ui.label(
                    RichText::new("That column is empty in the first part of the file")
                        .color(palette.muted),
                );
            }
            for (value, count) in values {
                ui.horizontal(|ui| {
                    // A first guess from the value's words ("Lisa (Bot)"), to be checked; the preview
                    // follows it.
                    if !state.speakers.contains_key(&value) {
                        changed |= mapping::guess_speaker(&value).is_some();
                    }
                    let choice = state.speakers.entry(value.clone()).or_insert_with(|| {
                        match mapping::guess_speaker(&value) {
                            Some(Role::Ai) => SpeakerChoice::Ai,
                            Some(Role::Customer) => SpeakerChoice::Customer,
                            Some(Role::HumanAgent) => SpeakerChoice::HumanAgent,
                            Some(Role::System) => SpeakerChoice::System,
                            None => SpeakerChoice::Unmapped,
                        }
                    });
                    egui::ComboBox::from_label(&value)
                        .selected_text(choice.label())
                        .width(160.0)
                        .show_ui(ui, |ui| {
                            for option in SpeakerChoice::ALL {
                                changed |= ui
                                    .selectable_value(choice, option, option.label())
                                    .changed();
                            }
                        });
                    ui.label(RichText::new(format!("{count} in the sample")).color(palette.muted));
                });
            }
        }
    }
    if changed {
        state.preview_stale = true;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Preview").strong());
    ui.label(
        RichText::new(format!(
            "{} in the first part of the file; {} would be skipped",
            counted(state.preview.len() as u64, "conversation", "conversations"),
            counted(state.preview_skipped, "record", "records"),
        ))
        .color(palette.muted),
    );
    for conversation in state.preview.iter().take(3) {
        ui.label(RichText::new(format!("Conversation {}", conversation.id)).strong());
        for message in conversation.messages.iter().take(6) {
            // Redacted before it is cut, so that a cut never leaves part of a number showing.
            let text: String = widgets::log_text(&message.text, hide)
                .chars()
                .take(120)
                .collect();
            ui.label(format!("{}: {text}", message.role.label()));
        }
    }
}

/// The profile's name and file, and the buttons that save or cancel.
fn save_ui(ui: &mut egui::Ui, state: &mut MappingState, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        ui.label("Profile name");
        ui.text_edit_singleline(&mut state.name);
    });
    ui.horizontal(|ui| {
        ui.label("Save as");
        ui.add(egui::TextEdit::singleline(&mut state.save_as).desired_width(440.0));
    });
    ui.horizontal(|ui| {
        let ready = state.fields.conversation.is_some()
            && state.fields.speaker.is_some()
            && state.fields.text.is_some();
        if ui
            .add_enabled(ready, egui::Button::new("Save profile and read the logs"))
            .clicked()
        {
            match state.save() {
                Ok(path) => {
                    actions.push(Action::CloseMapping);
                    actions.push(Action::SetImportProfile(Some(path)));
                }
                Err(e) => state.error = Some(e),
            }
        }
        if ui.button("Cancel").clicked() {
            actions.push(Action::CloseMapping);
        }
    });
}

/// A choice of column for one field; whether it changed.
fn column_choice(
    ui: &mut egui::Ui,
    label: &str,
    slot: &mut Option<String>,
    columns: &[String],
) -> bool {
    const NONE: &str = "(not in this file)";
    let mut changed = false;
    egui::ComboBox::from_label(label)
        .selected_text(slot.as_deref().unwrap_or(NONE))
        .width(260.0)
        .show_ui(ui, |ui| {
            changed |= ui.selectable_value(slot, None, NONE).changed();
            for column in columns {
                changed |= ui
                    .selectable_value(slot, Some(column.clone()), column)
                    .changed();
            }
        });
    changed
}

/// "1 record", "2 records".
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
