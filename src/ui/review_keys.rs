//! Review at speed: C confirms, D dismisses, N goes to the note, J and K move to the next or previous
//! finding or conversation. The keys are ignored while a text field has the cursor or a window such as
//! Export is open, so typing a note never triggers them.

use egui::{Event, Key, Modifiers, RichText};

use crate::export::ReviewStatus;
use crate::session::Command;

use super::actions::Action;
use super::app::{AuditApp, View};
use super::widgets::{CONVERSATION_NOTE_ID, REVIEW_NOTE_ID};

/// Every keyboard shortcut with what it does, as Help ▸ Keyboard shortcuts lists them.
pub const SHORTCUTS: [(&str, &str); 11] = [
    (
        "C",
        "Confirm violation (the selected findings; in the conversations list, mark the conversation reviewed)",
    ),
    ("D", "Dismiss as false positive (the selected findings)"),
    ("N", "Write a note on the selected finding or conversation"),
    ("J or Down arrow", "Next finding or conversation"),
    ("K or Up arrow", "Previous finding or conversation"),
    ("Enter", "Open the selected conversation"),
    ("Escape", "Leave a text field, so the keys above work again"),
    ("Ctrl+O", "Open logs"),
    ("Ctrl+E", "Export"),
    ("Ctrl+Q", "Quit"),
    (
        "Shift or Ctrl + click",
        "Select several findings for one decision",
    ),
];

/// Carries out C, D, N, and J/K on the conversation view (the lists move with J/K themselves).
pub fn review_keys(ui: &mut egui::Ui, app: &mut AuditApp, actions: &mut Vec<Action>) {
    let ctx = ui.ctx().clone();
    let busy = app.export_dialog.is_some() || app.files_window.is_some() || app.mapping.is_some();
    if !app.session.is_loaded() || busy || ctx.text_edit_focused() || ctx.any_popup_open() {
        return;
    }
    let pressed = |key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
    let (confirm, dismiss, note) = (pressed(Key::C), pressed(Key::D), pressed(Key::N));
    let (next, previous) = match app.view {
        View::Conversation => (pressed(Key::J), pressed(Key::K)),
        _ => (false, false),
    };
    if note {
        // The "n" would otherwise be typed into the note it focuses.
        ui.input_mut(|i| {
            i.events
                .retain(|e| !matches!(e, Event::Text(t) if t.eq_ignore_ascii_case("n")));
        });
    }
    let session = &app.session;
    match app.view {
        View::Overview => {}
        View::Conversations => {
            let Some(fact) = session.open_conversation() else {
                return;
            };
            if confirm {
                actions.push(Action::Session(Command::ReviewConversation {
                    fact,
                    reviewed: true,
                    note: app.conversations.note.clone(),
                }));
            }
            if note {
                ctx.memory_mut(|m| m.request_focus(egui::Id::unique(CONVERSATION_NOTE_ID)));
            }
        }
        View::Findings | View::Conversation => {
            let (targets, draft) = if app.view == View::Findings {
                let targets = if session.selected().len() > 1 {
                    session.selected().to_vec()
                } else {
                    session.cursor().into_iter().collect()
                };
                (targets, &app.findings.note)
            } else {
                let findings = session
                    .open_conversation()
                    .map(|fact| session.findings_of_conversation(fact))
                    .unwrap_or_default();
                let current = session
                    .cursor()
                    .filter(|c| findings.contains(c))
                    .or_else(|| findings.first().copied());
                (current.into_iter().collect(), &app.conversation.note)
            };
            for (wanted, status) in [
                (confirm, ReviewStatus::Confirmed),
                (dismiss, ReviewStatus::Dismissed),
            ] {
                if wanted && !targets.is_empty() {
                    actions.push(Action::Session(Command::SetReview {
                        findings: targets.clone(),
                        status,
                        note: draft.clone(),
                    }));
                }
            }
            if note {
                let id = if targets.is_empty() {
                    CONVERSATION_NOTE_ID
                } else {
                    REVIEW_NOTE_ID
                };
                ctx.memory_mut(|m| m.request_focus(egui::Id::unique(id)));
            }
        }
    }
    if next || previous {
        move_in_conversation_view(app, next, actions);
    }
}

/// J/K on the conversation view: the next or previous finding of the findings list, or the next or
/// previous conversation when the conversations list opened it.
fn move_in_conversation_view(app: &AuditApp, forward: bool, actions: &mut Vec<Action>) {
    let session = &app.session;
    let step = |position: Option<usize>, len: usize| -> Option<usize> {
        match position {
            Some(p) if forward => (p + 1 < len).then_some(p + 1),
            Some(p) => p.checked_sub(1),
            None => (len > 0).then_some(0),
        }
    };
    if app.last_list == View::Conversations {
        let rows = session.conversation_rows();
        let position = session
            .open_conversation()
            .and_then(|open| rows.iter().position(|&r| r == open));
        if let Some(&fact) = step(position, rows.len()).and_then(|p| rows.get(p)) {
            actions.push(Action::Session(Command::OpenConversation(fact)));
        }
    } else {
        let rows = session.rows();
        let position = session
            .cursor()
            .and_then(|cursor| rows.iter().position(|&r| r == cursor));
        if let Some(&finding) = step(position, rows.len()).and_then(|p| rows.get(p)) {
            actions.push(Action::Session(Command::OpenFinding(finding)));
        }
    }
}

/// Help ▸ Keyboard shortcuts.
pub fn shortcuts_window(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label("The review keys work when no text field has the cursor.");
            ui.add_space(6.0);
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([16.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(RichText::new(keys).strong());
                        ui.add(egui::Label::new(what).wrap());
                        ui.end_row();
                    }
                });
        });
}
