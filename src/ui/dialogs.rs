//! Native file dialogs (the only rfd calls), shown from a worker thread so the window never freezes.
//!
//! rfd returns `None` at once when no dialog can be shown (no portal, no zenity); that looks like Cancel,
//! so a very quick empty answer is reported as [`DialogResult::Unavailable`] and the app points to the other
//! ways in (drag and drop, the path field, the command line).

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::export::ExportFormat;
use crate::session::ExportSelection;

/// Faster than this, an empty answer means no dialog was shown.
const UNAVAILABLE_WITHIN: Duration = Duration::from_millis(300);

/// What a dialog was opened for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Pick log files.
    OpenFiles,
    /// Pick log files to audit together with the open ones.
    AddFiles,
    /// Pick a folder of logs.
    OpenFolder,
    /// Pick a rule pack file.
    RulePack,
    /// An import profile to read logs with.
    ImportProfile,
    /// Pick where to save an export.
    Export {
        /// The format.
        format: ExportFormat,
        /// Which findings.
        selection: ExportSelection,
    },
}

/// What a dialog answered.
#[derive(Debug)]
pub enum DialogResult {
    /// The user picked these paths.
    Picked(DialogPurpose, Vec<PathBuf>),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown on this system (for this purpose).
    Unavailable(DialogPurpose),
}

/// The dialog currently open, if any.
#[derive(Default)]
pub struct Dialogs {
    open: Option<(Receiver<DialogResult>, DialogPurpose)>,
}

impl Dialogs {
    /// Whether a dialog is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Shows a dialog on a worker thread. Ignored while another dialog is open.
    pub fn show(&mut self, purpose: DialogPurpose, ctx: &egui::Context) {
        if self.open.is_some() {
            return;
        }
        let (sender, receiver) = mpsc::channel();
        let ctx = ctx.clone();
        let shown = purpose.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".to_owned())
            .spawn(move || {
                let started = Instant::now();
                let picked = pick(&purpose);
                let result = if !picked.is_empty() {
                    DialogResult::Picked(purpose, picked)
                } else if started.elapsed() < UNAVAILABLE_WITHIN {
                    DialogResult::Unavailable(purpose)
                } else {
                    DialogResult::Cancelled
                };
                sender.send(result).ok();
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.open = Some((receiver, shown));
        }
    }

    /// The answer of the open dialog, once it has one.
    pub fn poll(&mut self) -> Option<DialogResult> {
        let (receiver, _) = self.open.as_ref()?;
        match receiver.try_recv() {
            Ok(result) => {
                self.open = None;
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => self
                .open
                .take()
                .map(|(_, purpose)| DialogResult::Unavailable(purpose)),
        }
    }
}

fn pick(purpose: &DialogPurpose) -> Vec<PathBuf> {
    match purpose {
        DialogPurpose::OpenFiles | DialogPurpose::AddFiles => rfd::FileDialog::new()
            .set_title("Open conversation logs")
            .add_filter(
                "Conversation logs",
                &["jsonl", "ndjson", "json", "csv", "tsv"],
            )
            .add_filter("All files", &["*"])
            .pick_files()
            .unwrap_or_default(),
        DialogPurpose::OpenFolder => rfd::FileDialog::new()
            .set_title("Open a folder of conversation logs")
            .pick_folder()
            .into_iter()
            .collect(),
        DialogPurpose::RulePack => rfd::FileDialog::new()
            .set_title("Choose a rule pack")
            .add_filter("Rule packs", &["toml"])
            .pick_file()
            .into_iter()
            .collect(),
        DialogPurpose::ImportProfile => rfd::FileDialog::new()
            .set_title("Choose an import profile")
            .add_filter("Import profiles", &["toml"])
            .pick_file()
            .into_iter()
            .collect(),
        DialogPurpose::Export { format, .. } => rfd::FileDialog::new()
            .set_title("Export findings")
            .set_file_name(format!("candor-findings.{}", format.extension()))
            .add_filter(format.label(), &[format.extension()])
            .save_file()
            .into_iter()
            .collect(),
    }
}
