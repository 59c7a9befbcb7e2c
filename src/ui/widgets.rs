//! Small pieces shared by the views: badges and the review controls.

use std::borrow::Cow;

use egui::RichText;

use crate::export::ReviewStatus;
use crate::model::Role;
use crate::rules::Severity;
use crate::session::{Command, Session};

use super::actions::Action;
use super::settings::TimeZoneChoice;
use super::theme::Palette;

/// Log text as shown on screen: with personal data replaced by placeholders when `hide` is on (the
/// "Hide personal data" setting).
pub fn log_text(text: &str, hide: bool) -> Cow<'_, str> {
    if hide {
        crate::redact::redact(text, &mut crate::redact::RedactionCounts::default())
    } else {
        Cow::Borrowed(text)
    }
}

/// The id of the finding review's note field, which the N key focuses.
pub const REVIEW_NOTE_ID: &str = "review_note";

/// The id of the conversation review's note field, which the N key focuses.
pub const CONVERSATION_NOTE_ID: &str = "conversation_note";

/// A coloured pill with the palette's badge text colour.
pub fn badge(
    ui: &mut egui::Ui,
    text: &str,
    fill: egui::Color32,
    palette: &Palette,
) -> egui::Response {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(
                RichText::new(text)
                    .small()
                    .strong()
                    .color(palette.badge_text),
            );
        })
        .response
}

/// The badge of a severity.
pub fn severity_badge(ui: &mut egui::Ui, severity: Severity, palette: &Palette) -> egui::Response {
    badge(ui, severity.label(), palette.severity(severity), palette)
}

/// The badge of who wrote a message.
pub fn role_badge(ui: &mut egui::Ui, role: Role, palette: &Palette) -> egui::Response {
    badge(ui, role.label(), palette.role(role), palette)
}

/// A review decision as coloured text.
pub fn review_text(status: ReviewStatus, palette: &Palette) -> RichText {
    let text = RichText::new(status.label()).color(palette.review(status));
    if status == ReviewStatus::Open {
        text
    } else {
        text.strong()
    }
}

/// A count with thousands separators, as people read it: 12,345.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && digit.is_ascii_digit() {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// An optional time, formatted for the chosen zone.
pub fn time_text(time: Option<chrono::DateTime<chrono::Utc>>, zone: TimeZoneChoice) -> String {
    time.map_or_else(|| "–".to_owned(), |t| zone.format(t))
}

/// "Dana, 3 minutes ago": who decided and when, in words.
fn reviewed_by(reviewer: &str, reviewed_at: &str) -> String {
    let by = if reviewer.is_empty() {
        "unnamed reviewer"
    } else {
        reviewer
    };
    format!("{by}, {}", crate::export::human_review_time(reviewed_at))
}

/// Note field and Confirm violation / Dismiss as false positive / Reopen buttons for `findings`.
///
/// `note` is the draft the caller keeps between frames.
pub fn review_controls_ui(
    ui: &mut egui::Ui,
    session: &Session,
    findings: &[usize],
    note: &mut String,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let Some(&first) = findings.first() else {
        return;
    };
    if findings.len() == 1 {
        ui.horizontal(|ui| {
            ui.label("Review");
            ui.label(review_text(session.review_status(first), palette));
        });
        if let Some(review) = session.review(first) {
            ui.label(
                RichText::new(format!(
                    "By {}",
                    reviewed_by(&review.reviewer, &review.reviewed_at)
                ))
                .small()
                .color(palette.muted),
            );
        }
    } else {
        ui.label(RichText::new(format!("Review {} selected findings", findings.len())).strong());
    }
    ui.add(
        egui::TextEdit::multiline(note)
            .id(egui::Id::unique(REVIEW_NOTE_ID))
            .hint_text("Note (optional): why you confirmed or dismissed it")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    ui.horizontal(|ui| {
        let set = |status: ReviewStatus, note: &str| {
            Action::Session(Command::SetReview {
                findings: findings.to_vec(),
                status,
                note: note.to_owned(),
            })
        };
        if ui
            .button(RichText::new("Confirm violation").color(palette.error))
            .on_hover_text("It is a real problem")
            .clicked()
        {
            actions.push(set(ReviewStatus::Confirmed, note));
        }
        if ui
            .button(RichText::new("Dismiss as false positive").color(palette.good))
            .on_hover_text("It is a false positive")
            .clicked()
        {
            actions.push(set(ReviewStatus::Dismissed, note));
        }
        let reviewed = findings.iter().any(|&f| session.review(f).is_some());
        if ui
            .add_enabled(reviewed, egui::Button::new("Reopen"))
            .on_hover_text("Clear the decision")
            .clicked()
        {
            actions.push(set(ReviewStatus::Open, ""));
        }
    });
    if session.reviewer().is_empty() {
        ui.label(
            RichText::new("Tip: type your name in the Reviewer field at the top so it is recorded with decisions")
                .small()
                .color(palette.muted),
        );
    }
}

/// The review of a whole conversation: who marked it reviewed and when, a note, and the buttons.
///
/// `(note_for, note)` is the draft the caller keeps between frames, with the conversation it belongs to.
pub fn conversation_review_ui(
    ui: &mut egui::Ui,
    session: &Session,
    fact: usize,
    (note_for, note): (&mut Option<usize>, &mut String),
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let review = session.conversation_review(fact);
    if *note_for != Some(fact) {
        *note_for = Some(fact);
        *note = review.map(|r| r.note.clone()).unwrap_or_default();
    }
    ui.label(RichText::new("Conversation review").strong());
    match review {
        Some(review) => {
            ui.label(
                RichText::new(format!(
                    "Reviewed by {}",
                    reviewed_by(&review.reviewer, &review.reviewed_at)
                ))
                .color(palette.good),
            );
        }
        None => {
            ui.label(RichText::new("Not reviewed as a whole").color(palette.muted));
        }
    }
    let label = ui.label(
        RichText::new("Note on the conversation")
            .small()
            .color(palette.muted),
    );
    ui.add(
        egui::TextEdit::multiline(note)
            .id(egui::Id::unique(CONVERSATION_NOTE_ID))
            .hint_text("What you checked, and what you found")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        let mark = if review.is_some() {
            "Update conversation review"
        } else {
            "Mark conversation reviewed"
        };
        if ui
            .button(mark)
            .on_hover_text("Record that you reviewed this whole conversation, with your name, the time and the note")
            .clicked()
        {
            actions.push(Action::Session(Command::ReviewConversation {
                fact,
                reviewed: true,
                note: note.clone(),
            }));
        }
        if ui
            .add_enabled(review.is_some(), egui::Button::new("Clear conversation review"))
            .clicked()
        {
            note.clear();
            actions.push(Action::Session(Command::ReviewConversation {
                fact,
                reviewed: false,
                note: String::new(),
            }));
        }
    });
}

/// Keeps a note draft in step with the finding it is for: loads the saved note when the finding changes.
pub fn sync_note(
    session: &Session,
    finding: Option<usize>,
    note_for: &mut Option<usize>,
    note: &mut String,
) {
    if *note_for != finding {
        *note_for = finding;
        *note = finding
            .and_then(|f| session.review(f))
            .map(|r| r.note.clone())
            .unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        assert_eq!(super::thousands(0u64), "0");
        assert_eq!(super::thousands(999u64), "999");
        assert_eq!(super::thousands(1_000u64), "1,000");
        assert_eq!(super::thousands(1_234_567u64), "1,234,567");
    }
}
