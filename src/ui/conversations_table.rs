//! The conversations view: every conversation with its handling path, channel, language, start, CSAT,
//! finding count and review state; the shared filters; and the selected conversation's details, where a
//! whole conversation can be marked reviewed.

use egui::{Key, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use crate::session::{Command, ConversationStatus, Session};

use super::actions::Action;
use super::app::AuditApp;
use super::filter_bar::{FilterScope, filter_bar_ui};
use super::settings::TimeZoneChoice;
use super::theme::Palette;
use super::widgets;

const ROW_HEIGHT: f32 = 24.0;

/// What the conversations view keeps between frames.
#[derive(Debug, Default)]
pub struct ConversationsState {
    /// Scroll the table to this row once (after keyboard navigation).
    pub scroll_to_row: Option<usize>,
    /// The note on the conversation review being written.
    pub note: String,
    /// The conversation the note draft belongs to.
    pub note_for: Option<usize>,
    /// The selected conversation the list last scrolled to, so that one selected elsewhere (a finding
    /// opened, J/K on the conversation) is brought into view once.
    pub scrolled_to: Option<usize>,
}

/// The whole conversations view.
pub fn conversations_view_ui(
    ui: &mut egui::Ui,
    app: &mut AuditApp,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    keyboard(ui, &app.session, &mut app.conversations, actions);
    let open = app.session.open_conversation();
    if app.conversations.scrolled_to != open {
        app.conversations.scrolled_to = open;
        if let Some(row) = selected_row(&app.session) {
            app.conversations.scroll_to_row = Some(row);
        }
    }
    egui::Panel::right("conversation_details")
        .resizable(true)
        .default_size(340.0)
        .min_size(260.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                details_ui(
                    ui,
                    &app.session,
                    &mut app.conversations,
                    app.settings.time_zone,
                    palette,
                    actions,
                );
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        filter_bar_ui(
            ui,
            &app.session,
            &mut app.filter_bar,
            FilterScope::Conversations,
            palette,
            actions,
        );
        let shown = app.session.conversation_rows().len();
        let total = app.session.report().facts.len();
        ui.label(
            RichText::new(format!(
                "Showing {} of {} conversations",
                widgets::thousands(shown),
                widgets::thousands(total)
            ))
            .strong(),
        );
        ui.add_space(4.0);
        table_ui(
            ui,
            &app.session,
            &mut app.conversations,
            app.settings.time_zone,
            palette,
            actions,
        );
    });
}

/// The status of a conversation as coloured text.
pub fn status_text(status: &ConversationStatus, palette: &Palette) -> RichText {
    let text = RichText::new(status.label());
    match status {
        ConversationStatus::OpenFindings(_) => text.color(palette.error),
        ConversationStatus::Reviewed | ConversationStatus::Compliant => text.color(palette.good),
        ConversationStatus::NotAssessed(_) => text.color(palette.warning),
        ConversationStatus::FindingsReviewed(_) | ConversationStatus::NoAi => {
            text.color(palette.muted)
        }
    }
}

/// The position of the selected conversation among the shown ones.
pub fn selected_row(session: &Session) -> Option<usize> {
    let open = session.open_conversation()?;
    session.conversation_rows().iter().position(|&r| r == open)
}

/// The keys that move through the list: arrows and J/K move, Enter opens.
pub fn keyboard(
    ui: &egui::Ui,
    session: &Session,
    state: &mut ConversationsState,
    actions: &mut Vec<Action>,
) {
    if ui.ctx().text_edit_focused() || ui.ctx().any_popup_open() {
        return;
    }
    let (down, up, enter) = ui.input(|i| {
        (
            i.key_pressed(Key::ArrowDown) || i.key_pressed(Key::J),
            i.key_pressed(Key::ArrowUp) || i.key_pressed(Key::K),
            i.key_pressed(Key::Enter),
        )
    });
    if !(down || up || enter) {
        return;
    }
    if enter {
        if let Some(fact) = session.open_conversation() {
            actions.push(Action::Session(Command::OpenConversation(fact)));
        }
        return;
    }
    let rows = session.conversation_rows();
    let target = match (selected_row(session), down) {
        (Some(row), true) => (row + 1).min(rows.len().saturating_sub(1)),
        (Some(row), false) => row.saturating_sub(1),
        (None, _) => 0,
    };
    if let Some(&fact) = rows.get(target) {
        actions.push(Action::SelectConversation(fact));
        state.scroll_to_row = Some(target);
    }
}

fn header(ui: &mut egui::Ui, title: &str, help: &str) {
    ui.label(RichText::new(title).strong()).on_hover_text(help);
}

fn table_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut ConversationsState,
    zone: TimeZoneChoice,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let report = session.report();
    let rows = session.conversation_rows();
    if rows.is_empty() {
        ui.add_space(30.0);
        ui.vertical_centered(|ui| {
            ui.label(RichText::new("No conversations match the filters").size(16.0));
        });
        return;
    }
    ui.style_mut().interaction.selectable_labels = false;
    let open = session.open_conversation();
    // The table scrolls sideways in a narrow window rather than squeezing columns out of sight.
    egui::ScrollArea::horizontal()
        .id_salt("conversations_hscroll")
        .show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt("conversations_table")
                .striped(true)
                .resizable(true)
                .sense(Sense::click())
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::initial(150.0).at_least(90.0).clip(true))
                .column(Column::initial(170.0).at_least(110.0).clip(true))
                .column(Column::initial(96.0).at_least(60.0).clip(true))
                .column(Column::initial(80.0).at_least(50.0).clip(true))
                .column(Column::initial(90.0).at_least(60.0).clip(true))
                .column(Column::initial(150.0).at_least(90.0).clip(true))
                .column(Column::initial(56.0).at_least(44.0).clip(true))
                .column(Column::initial(70.0).at_least(60.0))
                .min_scrolled_height(0.0);
            if let Some(row) = state.scroll_to_row.take() {
                table = table.scroll_to_row(row, None);
            }
            table
                .header(26.0, |mut header_row| {
                    header_row.col(|ui| header(ui, "Conversation", "The conversation's id in the log"));
                    header_row.col(|ui| {
                        header(
                            ui,
                            "Status",
                            "Compliant: no rule flagged anything. Open findings: findings not yet decided. \
                             Not assessed: a language the rules do not cover. Reviewed: marked reviewed as a whole",
                        );
                    });
                    header_row.col(|ui| header(ui, "Path", "Who handled it: the AI alone, the AI then a person, a person only"));
                    header_row.col(|ui| header(ui, "Channel", "Chat, e-mail, voice and so on, as the log says"));
                    header_row.col(|ui| header(ui, "Language", "As detected, or as set in the Rules menu"));
                    header_row.col(|ui| header(ui, "Started", "The time of the first message"));
                    header_row.col(|ui| header(ui, "CSAT", "The customer's satisfaction rating, 1 to 5"));
                    header_row.col(|ui| header(ui, "Findings", "How many findings the rules raised"));
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                        let Some(&fact) = rows.get(row.index()) else {
                            return;
                        };
                        let Some(facts) = report.facts.get(fact) else {
                            return;
                        };
                        row.set_selected(open == Some(fact));
                        row.col(|ui| {
                            ui.label(facts.id.as_str());
                        });
                        row.col(|ui| {
                            ui.label(status_text(&session.conversation_status(fact), palette));
                        });
                        row.col(|ui| {
                            ui.label(super::findings_table::path_short(facts.path));
                        });
                        row.col(|ui| {
                            ui.label(&*facts.channel);
                        });
                        row.col(|ui| {
                            ui.label(crate::detect::language_name(&facts.language));
                        });
                        row.col(|ui| {
                            ui.label(widgets::time_text(facts.started_at, zone));
                        });
                        row.col(|ui| {
                            ui.label(facts.csat.map_or_else(|| "–".to_owned(), |c| format!("{c:.0}")));
                        });
                        row.col(|ui| {
                            ui.label(widgets::thousands(session.findings_of_conversation(fact).len()));
                        });
                        let response = row.response();
                        if response.double_clicked() {
                            actions.push(Action::Session(Command::OpenConversation(fact)));
                        } else if response.clicked() {
                            actions.push(Action::SelectConversation(fact));
                        }
                    });
                });
        });
}

fn details_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut ConversationsState,
    zone: TimeZoneChoice,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.add_space(6.0);
    // The details follow the filter: a conversation the filter hides is not shown.
    let Some(fact) = session
        .open_conversation()
        .filter(|_| selected_row(session).is_some())
    else {
        ui.label(
            RichText::new("Select a conversation to see its details and review it")
                .color(palette.muted),
        );
        ui.add_space(6.0);
        ui.label(
            RichText::new("J and K or the arrow keys move, Enter opens the conversation")
                .small()
                .color(palette.muted),
        );
        return;
    };
    let report = session.report();
    let Some(facts) = report.facts.get(fact) else {
        return;
    };
    ui.label(
        RichText::new(format!("Conversation {}", facts.id))
            .size(18.0)
            .strong(),
    );
    ui.label(status_text(&session.conversation_status(fact), palette));
    ui.add_space(6.0);
    egui::Grid::new("conversation_facts")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let mut row = |name: &str, value: String| {
                ui.label(RichText::new(name).color(palette.muted));
                ui.label(value);
                ui.end_row();
            };
            row("Handling path", facts.path.label().to_owned());
            row("Channel", facts.channel.to_string());
            row("Language", crate::detect::language_name(&facts.language));
            row("Started", widgets::time_text(facts.started_at, zone));
            row("Messages", widgets::thousands(facts.messages));
            row(
                "CSAT",
                facts
                    .csat
                    .map_or_else(|| "–".to_owned(), |c| format!("{c:.0} of 5")),
            );
            if let Some(input) = report.inputs.get(facts.source) {
                row("File", input.path.clone());
            }
        });
    ui.add_space(6.0);
    let findings = session.findings_of_conversation(fact);
    if findings.is_empty() {
        ui.label(RichText::new("No findings in this conversation").color(palette.muted));
    } else {
        ui.label(RichText::new(format!("Findings ({})", findings.len())).strong());
        for &index in &findings {
            if let Some(finding) = report.findings.get(index) {
                ui.horizontal_wrapped(|ui| {
                    widgets::severity_badge(ui, finding.severity, palette);
                    ui.label(finding.rule.title());
                    ui.label(widgets::review_text(session.review_status(index), palette));
                });
            }
        }
    }
    ui.add_space(6.0);
    if ui.button("Open conversation").clicked() {
        actions.push(Action::Session(Command::OpenConversation(fact)));
    }
    ui.separator();
    widgets::conversation_review_ui(
        ui,
        session,
        fact,
        (&mut state.note_for, &mut state.note),
        palette,
        actions,
    );
}
