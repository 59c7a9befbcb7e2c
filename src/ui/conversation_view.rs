//! The conversation view: the transcript with role badges, times and inline system events, evidence
//! highlighted in its message, markers where something expected is missing, and the conversation's
//! findings beside it with their explanation and review controls.

use std::borrow::Cow;

use egui::text::LayoutJob;
use egui::{RichText, TextFormat};

use crate::model::{Conversation, EventKind, Role};
use crate::redact::{self, RedactionCounts};
use crate::rules::{Finding, RuleId};
use crate::session::{Command, SelectMode, Session};

use super::actions::Action;
use super::app::{AuditApp, View};
use super::settings::TimeZoneChoice;
use super::theme::Palette;
use super::widgets;

/// What the conversation view keeps between frames.
#[derive(Debug, Default)]
pub struct ConversationState {
    /// Scroll the transcript to this finding's message once.
    pub scroll_to_finding: Option<usize>,
    /// The review note being written.
    pub note: String,
    /// The finding the note belongs to.
    pub note_for: Option<usize>,
}

/// Where a finding with nothing to highlight is marked in the transcript.
fn missing_marker(finding: &Finding, conversation: &Conversation) -> Option<(usize, String)> {
    if finding.evidence_span.is_some() {
        return None;
    }
    let end = conversation.messages.len();
    let text = match finding.rule {
        RuleId::DisclosureMissing => "No AI disclosure before the first AI message".to_owned(),
        RuleId::DisclosureLate => {
            "No AI disclosure at the first AI message (it came later)".to_owned()
        }
        RuleId::HumanOptionMissing => {
            "No offer of a human anywhere in this conversation".to_owned()
        }
        RuleId::HumanRequestUnmet => "No human joined after this request".to_owned(),
        RuleId::IdentityQuestionUnanswered => {
            "The AI did not say it is an AI in its reply".to_owned()
        }
        rule => rule.title().to_owned(),
    };
    let at = match finding.rule {
        // The request itself is the message; the gap is after it.
        RuleId::HumanRequestUnmet | RuleId::IdentityQuestionUnanswered => {
            finding.message_index.map_or(end, |i| i + 1)
        }
        _ => finding.message_index.unwrap_or(end),
    };
    Some((at.min(end), text))
}

/// The whole conversation view.
pub fn conversation_view_ui(
    ui: &mut egui::Ui,
    app: &mut AuditApp,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let session = &app.session;
    let Some(fact) = session.open_conversation() else {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new("No conversation open").size(18.0));
                ui.label(
                    RichText::new(
                        "Open one from the findings or conversations list (double-click a row or press Enter)",
                    )
                    .color(palette.muted),
                );
                ui.horizontal(|ui| {
                    if ui.button("Go to findings").clicked() {
                        actions.push(Action::ShowView(View::Findings));
                    }
                    if ui.button("Go to conversations").clicked() {
                        actions.push(Action::ShowView(View::Conversations));
                    }
                });
            });
        });
        return;
    };
    let findings = session.findings_of_conversation(fact);
    egui::Panel::right("conversation_findings")
        .resizable(true)
        .default_size(380.0)
        .min_size(280.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.add_space(6.0);
                widgets::conversation_review_ui(
                    ui,
                    session,
                    fact,
                    (&mut app.conversations.note_for, &mut app.conversations.note),
                    palette,
                    actions,
                );
                ui.separator();
                findings_ui(
                    ui,
                    session,
                    &findings,
                    &mut app.conversation,
                    app.settings.time_zone,
                    app.settings.hide_personal_data,
                    palette,
                    actions,
                );
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        header_ui(
            ui,
            session,
            fact,
            (app.settings.time_zone, app.last_list),
            palette,
            actions,
        );
        ui.separator();
        match session.conversation(fact) {
            Some(conversation) => {
                transcript_ui(
                    ui,
                    session,
                    &conversation,
                    &findings,
                    &mut app.conversation,
                    app.settings.time_zone,
                    app.settings.hide_personal_data,
                    palette,
                    actions,
                );
            }
            None => {
                ui.label("The messages of this conversation are not available");
            }
        }
    });
}

fn header_ui(
    ui: &mut egui::Ui,
    session: &Session,
    fact: usize,
    (zone, back_to): (TimeZoneChoice, View),
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let report = session.report();
    let Some(facts) = report.facts.get(fact) else {
        return;
    };
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let back = if back_to == View::Conversations {
            "⏴ Back to conversations"
        } else {
            "⏴ Back to findings"
        };
        if ui.button(back).clicked() {
            actions.push(Action::ShowView(back_to));
        }
        ui.label(
            RichText::new(format!("Conversation {}", facts.id))
                .size(18.0)
                .strong(),
        );
    });
    ui.horizontal_wrapped(|ui| {
        let mut item = |name: &str, value: String| {
            ui.label(RichText::new(name).color(palette.muted));
            ui.label(value);
            ui.add_space(10.0);
        };
        item("Channel", facts.channel.to_string());
        item("Path", facts.path.label().to_owned());
        item("Started", widgets::time_text(facts.started_at, zone));
        item("Messages", facts.messages.to_string());
        item(
            "CSAT",
            facts
                .csat
                .map_or_else(|| "–".to_owned(), |c| format!("{c:.0} of 5")),
        );
        if let Some(input) = report.inputs.get(facts.source) {
            item("File", input.path.clone());
        }
    });
}

#[allow(clippy::too_many_arguments)]
fn transcript_ui(
    ui: &mut egui::Ui,
    session: &Session,
    conversation: &Conversation,
    findings: &[usize],
    state: &mut ConversationState,
    zone: TimeZoneChoice,
    hide: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let report = session.report();
    let cursor = session.cursor();
    let scroll_to = state.scroll_to_finding.take();
    let scroll_message = scroll_to
        .and_then(|f| report.findings.get(f))
        .and_then(|f| f.message_index.or(Some(conversation.messages.len())));
    let markers: Vec<(usize, usize, String)> = findings
        .iter()
        .filter_map(|&i| {
            let finding = report.findings.get(i)?;
            missing_marker(finding, conversation).map(|(at, text)| (at, i, text))
        })
        .collect();
    // A conversation over several days shows the date with each time, so "09:00" is never ambiguous.
    let mut days = conversation
        .messages
        .iter()
        .filter_map(|m| m.timestamp)
        .map(|t| zone.day(t));
    let first_day = days.next();
    let spans_days = days.any(|day| Some(day) != first_day);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.style_mut().interaction.selectable_labels = true;
            let width = ui.available_width();
            for at in 0..=conversation.messages.len() {
                for (_, finding, text) in markers.iter().filter(|(m, _, _)| *m == at) {
                    let response = marker_ui(
                        ui,
                        text,
                        *finding,
                        cursor == Some(*finding),
                        palette,
                        actions,
                    );
                    if scroll_message == Some(at) && scroll_to == Some(*finding) {
                        response.scroll_to_me(Some(egui::Align::Center));
                    }
                }
                let Some(message) = conversation.messages.get(at) else {
                    continue;
                };
                let highlights: Vec<(usize, (usize, usize))> = findings
                    .iter()
                    .filter_map(|&i| {
                        let finding = report.findings.get(i)?;
                        (finding.message_index == Some(at)).then_some(())?;
                        finding
                            .evidence_span
                            .map(|(start, end)| (i, (start as usize, end as usize)))
                    })
                    // Further evidence of a finding in this message ("had to ask repeatedly": every
                    // earlier request is highlighted too).
                    .chain(findings.iter().flat_map(|&i| {
                        report.findings.get(i).into_iter().flat_map(move |finding| {
                            finding
                                .more_evidence
                                .iter()
                                .filter(move |e| e.message_index == at)
                                .map(move |e| (i, e.span))
                        })
                    }))
                    .collect();
                let response = message_ui(
                    ui,
                    (at + 1, message),
                    &highlights,
                    width,
                    (zone, spans_days),
                    hide,
                    palette,
                );
                if scroll_message == Some(at)
                    && markers
                        .iter()
                        .all(|(m, f, _)| !(*m == at && scroll_to == Some(*f)))
                {
                    response.scroll_to_me(Some(egui::Align::Center));
                }
                for (finding, _) in &highlights {
                    if let Some(f) = report.findings.get(*finding) {
                        ui.horizontal(|ui| {
                            ui.add_space(110.0);
                            let text = RichText::new(format!("Finding: {}", f.rule.title()))
                                .small()
                                .color(palette.severity(f.severity));
                            if ui.link(text).clicked() {
                                actions.push(Action::Session(Command::SelectFinding {
                                    finding: Some(*finding),
                                    mode: SelectMode::Replace,
                                }));
                            }
                        });
                    }
                }
            }
            ui.add_space(12.0);
        });
}

/// A red dashed line where something was expected and is missing.
fn marker_ui(
    ui: &mut egui::Ui,
    text: &str,
    finding: usize,
    current: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) -> egui::Response {
    let stroke_width = if current { 2.0 } else { 1.0 };
    let response = egui::Frame::new()
        .fill(palette.missing)
        .stroke(egui::Stroke::new(stroke_width, palette.error))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(10, 4))
        .outer_margin(egui::Margin::symmetric(0, 2))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).strong().color(palette.error));
        })
        .response
        .interact(egui::Sense::click());
    if response.clicked() {
        actions.push(Action::Session(Command::SelectFinding {
            finding: Some(finding),
            mode: SelectMode::Replace,
        }));
    }
    response
}

fn event_label(event: EventKind) -> &'static str {
    match event {
        EventKind::Handoff => "Handoff to a human",
        EventKind::Csat => "Satisfaction rating",
        EventKind::Disclosure => "AI disclosure notice",
        EventKind::HumanOption => "Offer of a human",
    }
}

/// The text of a message with the evidence spans highlighted.
fn highlighted(
    text: &str,
    highlights: &[(usize, usize)],
    ui: &egui::Ui,
    palette: &Palette,
) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let normal = TextFormat {
        font_id: font.clone(),
        color: ui.visuals().text_color(),
        ..TextFormat::default()
    };
    let marked = TextFormat {
        font_id: font,
        color: palette.strong,
        background: palette.evidence,
        ..TextFormat::default()
    };
    let mut spans: Vec<(usize, usize)> = highlights
        .iter()
        .copied()
        .filter(|&(start, end)| {
            start < end
                && end <= text.len()
                && text.is_char_boundary(start)
                && text.is_char_boundary(end)
        })
        .collect();
    spans.sort_unstable();
    let mut job = LayoutJob::default();
    let mut at = 0;
    for (start, end) in spans {
        let start = start.max(at);
        if start >= end {
            continue;
        }
        job.append(text.get(at..start).unwrap_or_default(), 0.0, normal.clone());
        job.append(
            text.get(start..end).unwrap_or_default(),
            0.0,
            marked.clone(),
        );
        at = end;
    }
    job.append(text.get(at..).unwrap_or_default(), 0.0, normal);
    job.wrap.max_width = f32::INFINITY;
    job
}

/// One message of the transcript; `number` counts from 1, as explanations and exports do.
fn message_ui(
    ui: &mut egui::Ui,
    (number, message): (usize, &crate::model::Message),
    highlights: &[(usize, (usize, usize))],
    width: f32,
    (zone, spans_days): (TimeZoneChoice, bool),
    hide: bool,
    palette: &Palette,
) -> egui::Response {
    // Redacted text has other offsets, so the highlights move with it.
    let spans: Vec<(usize, usize)> = highlights.iter().map(|(_, span)| *span).collect();
    let (text, spans) = if hide {
        redact::redact_spans(&message.text, &spans, &mut RedactionCounts::default())
    } else {
        (Cow::Borrowed(message.text.as_str()), spans)
    };
    let time = message.timestamp.map_or_else(
        || format!("Message {number}"),
        |t| {
            let time = if spans_days {
                zone.format_day_clock(t)
            } else {
                zone.format_clock(t)
            };
            format!("Message {number} · {time}")
        },
    );
    if message.role == Role::System {
        // System events sit inline, centred and quiet.
        return ui
            .horizontal(|ui| {
                ui.add_space(110.0);
                egui::Frame::new()
                    .fill(palette.bubble(Role::System))
                    .stroke(egui::Stroke::new(1.0, palette.card_border))
                    .corner_radius(12.0)
                    .inner_margin(egui::Margin::symmetric(10, 3))
                    .show(ui, |ui| {
                        ui.set_max_width((width - 220.0).max(200.0));
                        ui.horizontal_wrapped(|ui| {
                            let name = message.event.map_or("System", event_label);
                            ui.label(RichText::new(name).small().strong().color(palette.muted));
                            if !text.is_empty() {
                                ui.label(highlighted(&text, &spans, ui, palette));
                            }
                            if let Some(csat) = message.csat {
                                ui.label(RichText::new(format!("{csat:.0} of 5")).strong());
                            }
                            ui.label(RichText::new(time).small().color(palette.muted));
                        });
                    });
            })
            .response;
    }
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(
            egui::vec2(100.0, 20.0),
            egui::Layout::top_down(egui::Align::RIGHT),
            |ui| {
                ui.set_width(100.0);
                widgets::role_badge(ui, message.role, palette);
                ui.label(RichText::new(time).small().color(palette.muted));
            },
        );
        ui.add_space(4.0);
        egui::Frame::new()
            .fill(palette.bubble(message.role))
            .stroke(egui::Stroke::new(1.0, palette.card_border))
            .corner_radius(8.0)
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_max_width((width - 140.0).max(200.0));
                let mut job = highlighted(&text, &spans, ui, palette);
                job.wrap.max_width = (width - 160.0).max(180.0);
                // Wrapping is asked for explicitly: in this horizontal row a label would otherwise run on
                // past the right edge.
                ui.add(egui::Label::new(job).wrap());
                if let Some(csat) = message.csat {
                    ui.label(
                        RichText::new(format!("Rated {csat:.0} of 5"))
                            .small()
                            .color(palette.muted),
                    );
                }
            });
    })
    .response
}

#[allow(clippy::too_many_arguments)]
fn findings_ui(
    ui: &mut egui::Ui,
    session: &Session,
    findings: &[usize],
    state: &mut ConversationState,
    zone: TimeZoneChoice,
    hide: bool,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let report = session.report();
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!(
            "Findings in this conversation ({})",
            findings.len()
        ))
        .strong()
        .size(15.0),
    );
    ui.add_space(4.0);
    if findings.is_empty() {
        ui.label(RichText::new("This conversation passed every rule").color(palette.muted));
        return;
    }
    let cursor = session.cursor().filter(|c| findings.contains(c));
    for &index in findings {
        let Some(finding) = report.findings.get(index) else {
            continue;
        };
        let current = cursor == Some(index);
        let frame = egui::Frame::new()
            .fill(if current {
                palette.selection
            } else {
                palette.card
            })
            .stroke(egui::Stroke::new(1.0, palette.card_border))
            .corner_radius(6.0)
            .inner_margin(egui::Margin::same(8))
            .outer_margin(egui::Margin::symmetric(0, 3));
        let response = frame
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    widgets::severity_badge(ui, finding.severity, palette);
                    ui.label(RichText::new(finding.rule.title()).strong());
                });
                ui.label(widgets::log_text(&finding.explanation, hide));
                if let Some(message) = finding.message_index {
                    ui.label(
                        RichText::new(format!(
                            "Message {} · {}",
                            message + 1,
                            widgets::time_text(finding.timestamp, zone)
                        ))
                        .small()
                        .color(palette.muted),
                    );
                }
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Review").small().color(palette.muted));
                    ui.label(widgets::review_text(session.review_status(index), palette));
                });
                if let Some(review) = session.review(index)
                    && !review.note.is_empty()
                {
                    ui.label(
                        RichText::new(format!("Note: {}", review.note))
                            .small()
                            .italics(),
                    );
                }
            })
            .response
            .interact(egui::Sense::click());
        if response.clicked() && !current {
            actions.push(Action::Session(Command::SelectFinding {
                finding: Some(index),
                mode: SelectMode::Replace,
            }));
        }
    }
    ui.add_space(6.0);
    ui.separator();
    let Some(current) = cursor.or_else(|| findings.first().copied()) else {
        return;
    };
    widgets::sync_note(session, Some(current), &mut state.note_for, &mut state.note);
    if let Some(finding) = report.findings.get(current) {
        ui.label(RichText::new(format!("Review: {}", finding.rule.title())).strong());
        ui.label(
            RichText::new(finding.rule.description())
                .small()
                .color(palette.muted),
        );
    }
    widgets::review_controls_ui(ui, session, &[current], &mut state.note, palette, actions);
}
