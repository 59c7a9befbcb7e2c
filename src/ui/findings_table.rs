//! The findings view: filters, the virtualised findings table, and the details and review of the
//! selected findings.

use egui::{Key, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use crate::query::{SortColumn, SortKey};
use crate::rules::{HandlingPath, RuleId};
use crate::session::{Command, SelectMode, Session};

use super::actions::Action;
use super::app::AuditApp;
use super::filter_bar::{FilterBarState, FilterScope, filter_bar_ui};
use super::settings::TimeZoneChoice;
use super::theme::Palette;
use super::widgets;

const ROW_HEIGHT: f32 = 24.0;

/// The starting width of the Legal basis column, the last one.
const LEGAL_BASIS_WIDTH: f32 = 200.0;

/// What the findings view keeps between frames.
#[derive(Debug, Default)]
pub struct FindingsState {
    /// Scroll the table back to the top (after the filter changed).
    pub scroll_to_top: bool,
    /// Scroll to this row (after keyboard navigation).
    pub scroll_to_row: Option<usize>,
    /// The review note being written.
    pub note: String,
    /// The finding the note draft belongs to.
    pub note_for: Option<usize>,
}

/// The whole findings view.
pub fn findings_view_ui(
    ui: &mut egui::Ui,
    app: &mut AuditApp,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    keyboard(ui, &app.session, &mut app.findings, actions);
    egui::Panel::right("finding_details")
        .resizable(true)
        .default_size(360.0)
        .min_size(280.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                details_ui(
                    ui,
                    &app.session,
                    &mut app.findings,
                    app.settings.time_zone,
                    app.settings.hide_personal_data,
                    palette,
                    actions,
                );
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        filters_ui(ui, &app.session, &mut app.filter_bar, palette, actions);
        ui.add_space(4.0);
        table_ui(
            ui,
            &app.session,
            &mut app.findings,
            app.settings.time_zone,
            app.settings.hide_personal_data,
            palette,
            actions,
        );
    });
}

/// Arrow keys move the selection, Enter opens the conversation.
fn keyboard(
    ui: &egui::Ui,
    session: &Session,
    state: &mut FindingsState,
    actions: &mut Vec<Action>,
) {
    if ui.ctx().text_edit_focused() {
        return;
    }
    let (down, up, enter) = ui.input(|i| {
        (
            i.key_pressed(Key::ArrowDown) || i.key_pressed(Key::J),
            i.key_pressed(Key::ArrowUp) || i.key_pressed(Key::K),
            i.key_pressed(Key::Enter),
        )
    });
    // Finding the cursor's row scans the rows, so do it only when a key asks for it, not every frame.
    if !(down || up || enter) {
        return;
    }
    let rows = session.rows();
    let position = session
        .cursor()
        .and_then(|c| rows.iter().position(|&r| r == c));
    let target = match (down, up, position) {
        (true, _, Some(p)) => Some((p + 1).min(rows.len().saturating_sub(1))),
        (true, _, None) | (_, true, None) => (!rows.is_empty()).then_some(0),
        (_, true, Some(p)) => Some(p.saturating_sub(1)),
        _ => None,
    };
    if let Some(row) = target
        && let Some(&finding) = rows.get(row)
    {
        actions.push(Action::Session(Command::SelectFinding {
            finding: Some(finding),
            mode: SelectMode::Replace,
        }));
        state.scroll_to_row = Some(row);
    }
    if enter && let Some(finding) = session.cursor() {
        actions.push(Action::Session(Command::OpenFinding(finding)));
    }
}

fn filters_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut FilterBarState,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    filter_bar_ui(ui, session, state, FilterScope::Findings, palette, actions);
    ui.horizontal(|ui| {
        let shown = session.rows().len();
        let total = session.report().findings.len();
        ui.label(
            RichText::new(format!(
                "Showing {} of {} findings",
                widgets::thousands(shown),
                widgets::thousands(total)
            ))
            .strong(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .add_enabled(shown > 0, egui::Button::new("Select all shown"))
                .clicked()
            {
                actions.push(Action::Session(Command::SelectAllShown));
            }
            let selected = session.selected().len();
            if selected > 1 {
                ui.label(RichText::new(format!("{selected} selected")).color(palette.muted));
            }
        });
    });
}

fn sort_header(
    ui: &mut egui::Ui,
    title: &str,
    column: SortColumn,
    sort: SortKey,
    actions: &mut Vec<Action>,
) {
    let arrow = match (sort.column == column, sort.descending) {
        (true, false) => " ⏶",
        (true, true) => " ⏷",
        _ => "",
    };
    let button = egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false);
    if ui
        .add(button)
        .on_hover_text("Sort by this column")
        .clicked()
    {
        actions.push(Action::Session(Command::Sort(sort.toggled(column))));
    }
}

fn table_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut FindingsState,
    zone: TimeZoneChoice,
    hide: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let report = session.report();
    let rows = session.rows();
    if rows.is_empty() {
        ui.add_space(30.0);
        ui.vertical_centered(|ui| {
            if report.findings.is_empty() {
                ui.label(
                    RichText::new("No findings: every conversation passed every rule").size(16.0),
                );
            } else {
                ui.label(RichText::new("No findings match the filters").size(16.0));
            }
        });
        return;
    }
    ui.style_mut().interaction.selectable_labels = false;
    // Evidence takes the room the other columns leave in a wide window (measured here, outside the
    // scrolling area, whose width has no end); in a narrow one the table scrolls sideways instead of
    // squeezing columns out of sight.
    // Legal basis comes last: it is in the details and the filter too, so it is the column to scroll to.
    let others = 78.0 + 170.0 + 96.0 + 60.0 + 80.0 + 124.0 + 92.0 + LEGAL_BASIS_WIDTH;
    let spacing = 9.0 * ui.spacing().item_spacing.x + 16.0;
    let evidence_width = (ui.available_width() - others - spacing).max(220.0);
    egui::ScrollArea::horizontal()
        .id_salt("findings_hscroll")
        .show(ui, |ui| {
            columns_ui(
                ui,
                session,
                state,
                (zone, hide, evidence_width),
                palette,
                actions,
            );
        });
}

/// The table itself: a header of every column, and only the visible rows drawn.
fn columns_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut FindingsState,
    (zone, hide, evidence_width): (TimeZoneChoice, bool, f32),
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let report = session.report();
    let rows = session.rows();
    let sort = session.sort();
    let mut table = TableBuilder::new(ui)
        .id_salt("findings_table")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(78.0))
        .column(Column::initial(170.0).at_least(90.0).clip(true))
        .column(Column::initial(96.0).at_least(60.0).clip(true))
        .column(Column::initial(60.0).at_least(40.0).clip(true))
        .column(Column::initial(80.0).at_least(50.0).clip(true))
        .column(Column::initial(124.0).at_least(60.0).clip(true))
        .column(Column::initial(92.0).at_least(70.0).clip(true))
        .column(Column::initial(evidence_width).at_least(120.0).clip(true))
        .column(Column::initial(LEGAL_BASIS_WIDTH).at_least(70.0).clip(true))
        .min_scrolled_height(0.0);
    if std::mem::take(&mut state.scroll_to_top) {
        table = table.scroll_to_row(0, Some(egui::Align::TOP));
    }
    if let Some(row) = state.scroll_to_row.take() {
        table = table.scroll_to_row(row, None);
    }
    let selected = session.selected();
    table
        .header(26.0, |mut header| {
            header.col(|ui| sort_header(ui, "Severity", SortColumn::Severity, sort, actions));
            header.col(|ui| sort_header(ui, "Rule", SortColumn::Rule, sort, actions));
            header
                .col(|ui| sort_header(ui, "Conversation", SortColumn::Conversation, sort, actions));
            header.col(|ui| sort_header(ui, "Channel", SortColumn::Channel, sort, actions));
            header.col(|ui| sort_header(ui, "Path", SortColumn::Path, sort, actions));
            header.col(|ui| sort_header(ui, "Time", SortColumn::Time, sort, actions));
            header.col(|ui| sort_header(ui, "Review", SortColumn::Review, sort, actions));
            header.col(|ui| sort_header(ui, "Evidence", SortColumn::Evidence, sort, actions));
            header.col(|ui| {
                ui.label(RichText::new("Legal basis").strong())
                    .on_hover_text(
                        "The laws and guidance the rule relates to; filter with Legal basis above",
                    );
            });
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                let Some(&index) = rows.get(row.index()) else {
                    return;
                };
                let Some(finding) = report.findings.get(index) else {
                    return;
                };
                let facts = session
                    .fact_of_finding(index)
                    .and_then(|f| report.facts.get(f));
                row.set_selected(selected.binary_search(&index).is_ok());
                row.col(|ui| {
                    widgets::severity_badge(ui, finding.severity, palette);
                });
                row.col(|ui| {
                    ui.label(finding.rule.title());
                });
                row.col(|ui| {
                    ui.label(finding.conversation_id.as_str());
                });
                row.col(|ui| {
                    ui.label(facts.map_or("", |f| &*f.channel));
                });
                row.col(|ui| {
                    ui.label(facts.map_or("", |f| path_short(f.path)));
                });
                row.col(|ui| {
                    ui.label(widgets::time_text(
                        finding
                            .timestamp
                            .or_else(|| facts.and_then(|f| f.started_at)),
                        zone,
                    ));
                });
                row.col(|ui| {
                    ui.label(widgets::review_text(session.review_status(index), palette));
                });
                row.col(|ui| {
                    let evidence = if finding.evidence.is_empty() {
                        RichText::new(widgets::log_text(&finding.explanation, hide))
                            .italics()
                            .color(palette.muted)
                    } else {
                        RichText::new(format!("“{}”", widgets::log_text(&finding.evidence, hide)))
                    };
                    ui.add(egui::Label::new(evidence).truncate());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(law_labels(finding.rule)).truncate());
                });
                let response = row.response();
                if response.double_clicked() {
                    actions.push(Action::Session(Command::OpenFinding(index)));
                } else if response.clicked() {
                    let modifiers = response.ctx.input(|i| i.modifiers);
                    let mode = if modifiers.shift {
                        SelectMode::Range
                    } else if modifiers.command {
                        SelectMode::Toggle
                    } else {
                        SelectMode::Replace
                    };
                    actions.push(Action::Session(Command::SelectFinding {
                        finding: Some(index),
                        mode,
                    }));
                }
            });
        });
}

/// The laws a rule relates to, for the table: "EU AI Act, California BOT Act".
fn law_labels(rule: RuleId) -> String {
    rule.laws()
        .iter()
        .map(|l| l.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A handling path in a few characters, for the table.
pub fn path_short(path: HandlingPath) -> &'static str {
    match path {
        HandlingPath::AiOnly => "AI only",
        HandlingPath::Escalated => "Escalated",
        HandlingPath::HumanOnly => "Human only",
        HandlingPath::NoAgent => "No agent",
    }
}

fn details_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut FindingsState,
    zone: TimeZoneChoice,
    hide: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    ui.add_space(6.0);
    let report = session.report();
    let Some(index) = session.cursor() else {
        // "Select all shown" selects without a cursor: offer the bulk decision straight away.
        let selected = session.selected();
        if !selected.is_empty() {
            widgets::sync_note(session, None, &mut state.note_for, &mut state.note);
            let count = match selected.len() {
                1 => "1 finding selected".to_owned(),
                n => format!("{n} findings selected"),
            };
            ui.label(RichText::new(count).size(18.0).strong());
            ui.add_space(6.0);
            widgets::review_controls_ui(ui, session, selected, &mut state.note, palette, actions);
            return;
        }
        ui.label(
            RichText::new("Select a finding to see its details and review it").color(palette.muted),
        );
        ui.add_space(6.0);
        ui.label(RichText::new("J and K (or the arrow keys) move, Enter opens the conversation, C confirms, D dismisses and N writes a note. Ctrl+click or Shift+click selects several findings for a bulk decision. Help > Keyboard shortcuts lists every key.").small().color(palette.muted));
        return;
    };
    let Some(finding) = report.findings.get(index) else {
        return;
    };
    widgets::sync_note(session, Some(index), &mut state.note_for, &mut state.note);
    let fact = session.fact_of_finding(index);
    let facts = fact.and_then(|f| report.facts.get(f));
    widgets::severity_badge(ui, finding.severity, palette);
    ui.label(RichText::new(finding.rule.title()).size(18.0).strong())
        .on_hover_text(format!("Rule code in exports: {}", finding.rule.code()));
    ui.label(RichText::new(finding.rule.description()).color(palette.muted));
    ui.add_space(6.0);
    ui.label(RichText::new("Legal basis").strong());
    super::rules_reference::provisions_ui(ui, finding.rule, palette);
    ui.label(
        RichText::new("An indicator for review, not legal advice")
            .small()
            .color(palette.muted),
    );
    ui.add_space(6.0);
    ui.label(RichText::new("Why it was flagged").strong());
    ui.label(widgets::log_text(&finding.explanation, hide));
    if !finding.evidence.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("Evidence").strong());
        egui::Frame::new()
            .fill(palette.evidence)
            .corner_radius(4.0)
            .inner_margin(egui::Margin::symmetric(6, 4))
            .show(ui, |ui| {
                let evidence = widgets::log_text(&finding.evidence, hide);
                ui.label(RichText::new(format!("“{evidence}”")).color(palette.strong));
            });
    }
    ui.add_space(6.0);
    egui::Grid::new("finding_facts")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let mut row = |name: &str, value: String| {
                ui.label(RichText::new(name).color(palette.muted));
                ui.label(value);
                ui.end_row();
            };
            row("Conversation", finding.conversation_id.to_string());
            if let Some(facts) = facts {
                row("Channel", facts.channel.to_string());
                row("Handling path", facts.path.label().to_owned());
                row("Started", widgets::time_text(facts.started_at, zone));
            }
            if let Some(message) = finding.message_index {
                row(
                    "Message",
                    format!(
                        "{} ({})",
                        message + 1,
                        widgets::time_text(finding.timestamp, zone)
                    ),
                );
            }
            if let Some(input) = report.inputs.get(finding.source) {
                row("File", input.path.clone());
            }
        });
    ui.add_space(6.0);
    if fact.is_some() && ui.button("Open conversation").clicked() {
        actions.push(Action::Session(Command::OpenFinding(index)));
    }
    ui.separator();
    let selected = session.selected();
    let targets: Vec<usize> = if selected.len() > 1 {
        selected.to_vec()
    } else {
        vec![index]
    };
    widgets::review_controls_ui(ui, session, &targets, &mut state.note, palette, actions);
}
