//! The filter bar shared by the overview, the findings and the conversations: the search field, the
//! menus and the date fields, then the active filters as chips that name their values and can be removed
//! one by one.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use egui::RichText;

use crate::export::ReviewStatus;
use crate::query::{FilterPart, FindingFilter};
use crate::rules::{HandlingPath, Law, RuleId, Severity};
use crate::session::{Command, Session};

use super::actions::Action;
use super::theme::Palette;

/// How long after the last keystroke a search runs. A search scans every finding (about 150 ms over a
/// million in a release build), so running it on every keystroke would make typing stutter.
pub const SEARCH_DELAY_SECS: f64 = 0.25;

/// Wide enough for a date or its "YYYY-MM-DD" hint in the body font.
const DATE_FIELD_WIDTH: f32 = 104.0;

/// Which view the bar filters: each shows the filters that apply to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterScope {
    /// The overview: period and channels.
    Overview,
    /// The findings table: every filter.
    Findings,
    /// The conversations table: the filters that describe conversations.
    Conversations,
}

/// What the filter bar keeps between frames.
#[derive(Debug, Default)]
pub struct FilterBarState {
    /// The search text as typed but not yet applied, with the time (egui seconds) of the last keystroke.
    pub search_draft: Option<(String, f64)>,
    /// The first-day field as typed.
    pub from_text: String,
    /// The last-day field as typed.
    pub to_text: String,
    /// Said once after a drill-down replaced filters the user had set.
    pub replaced_note: Option<String>,
}

/// A dropdown of checkboxes over `options`; returns the new set when it changed. The chosen values show
/// as chips below the bar, so the button keeps its plain title.
fn multi_select<T: Ord + Clone>(
    ui: &mut egui::Ui,
    title: &str,
    chosen: &BTreeSet<T>,
    options: &[(T, String)],
) -> Option<BTreeSet<T>> {
    let mut changed = None;
    ui.menu_button(title, |ui| {
        let mut set = chosen.clone();
        for (value, name) in options {
            let mut on = set.contains(value);
            if ui.checkbox(&mut on, name).changed() {
                if on {
                    set.insert(value.clone());
                } else {
                    set.remove(value);
                }
                changed = Some(set.clone());
            }
        }
        ui.separator();
        if ui.button("Any").clicked() {
            changed = Some(BTreeSet::new());
            ui.close();
        }
    });
    changed
}

fn parse_day(text: &str) -> Option<Option<NaiveDate>> {
    let text = text.trim();
    if text.is_empty() {
        Some(None)
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Some)
    }
}

/// The search field. Typing waits [`SEARCH_DELAY_SECS`] after the last keystroke (or Enter) before the
/// search runs.
fn search_field_ui(
    ui: &mut egui::Ui,
    filter: &mut FindingFilter,
    state: &mut FilterBarState,
    scope: FilterScope,
    palette: &Palette,
) {
    let now = ui.input(|i| i.time);
    let label = ui.label(RichText::new("Search").color(palette.muted));
    let mut text = state
        .search_draft
        .as_ref()
        .map_or_else(|| filter.text.clone(), |(draft, _)| draft.clone());
    let hint = match scope {
        FilterScope::Conversations => "Conversation, channel, language",
        _ => "Evidence, conversation, rule",
    };
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .id_salt("search")
                .hint_text(hint)
                .desired_width(200.0),
        )
        .labelled_by(label.id);
    if search.changed() {
        state.search_draft = Some((text, now));
    }
    let Some((draft, edited_at)) = &state.search_draft else {
        return;
    };
    let waited = now - edited_at;
    if search.lost_focus() || waited >= SEARCH_DELAY_SECS {
        filter.text.clone_from(draft);
        state.search_draft = None;
    } else {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(
                SEARCH_DELAY_SECS - waited,
            ));
    }
}

/// Shows the filter's dates in the date fields when the filter changed elsewhere (a chart click, a chip,
/// "Clear filters"), unless the user is typing in them.
fn sync_date_fields(ui: &egui::Ui, filter: &FindingFilter, state: &mut FilterBarState) {
    let editing = ui.ctx().text_edit_focused();
    for (text, day) in [
        (&mut state.from_text, filter.from),
        (&mut state.to_text, filter.to),
    ] {
        if !editing && parse_day(text).is_some_and(|typed| typed != day) {
            *text = day.map(|d| d.to_string()).unwrap_or_default();
        }
    }
}

fn period_fields_ui(
    ui: &mut egui::Ui,
    filter: &mut FindingFilter,
    state: &mut FilterBarState,
    palette: &Palette,
) {
    let from_label = ui.label(RichText::new("From").color(palette.muted));
    let from = ui
        .add(
            egui::TextEdit::singleline(&mut state.from_text)
                .id_salt("from_date")
                .hint_text("YYYY-MM-DD")
                .desired_width(DATE_FIELD_WIDTH),
        )
        .on_hover_text("First day to show, e.g. 2026-01-31 (UTC)")
        .labelled_by(from_label.id);
    let to_label = ui.label(RichText::new("to").color(palette.muted));
    let to = ui
        .add(
            egui::TextEdit::singleline(&mut state.to_text)
                .id_salt("to_date")
                .hint_text("YYYY-MM-DD")
                .desired_width(DATE_FIELD_WIDTH),
        )
        .on_hover_text("Last day to show, e.g. 2026-03-31 (UTC)")
        .labelled_by(to_label.id);
    if from.changed()
        && let Some(day) = parse_day(&state.from_text)
    {
        filter.from = day;
    }
    if to.changed()
        && let Some(day) = parse_day(&state.to_text)
    {
        filter.to = day;
    }
    if parse_day(&state.from_text).is_none() || parse_day(&state.to_text).is_none() {
        ui.label(RichText::new("Dates are written like 2026-01-31").color(palette.error));
    }
}

fn shows(scope: FilterScope, part: &FilterPart) -> bool {
    match scope {
        FilterScope::Findings => true,
        FilterScope::Conversations => part.applies_to_conversations(),
        FilterScope::Overview => matches!(
            part,
            FilterPart::From(_) | FilterPart::To(_) | FilterPart::Channel(_)
        ),
    }
}

/// The filter fields and menus of `scope`, then the chips of the active filters. Pushes a `SetFilter`
/// when anything changed.
pub fn filter_bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut FilterBarState,
    scope: FilterScope,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let current = session.filter();
    let mut filter = current.clone();
    sync_date_fields(ui, current, state);
    ui.horizontal_wrapped(|ui| {
        if scope != FilterScope::Overview {
            search_field_ui(ui, &mut filter, state, scope, palette);
        }
        if scope == FilterScope::Findings {
            let rules: Vec<(RuleId, String)> = RuleId::ALL
                .iter()
                .map(|r| (*r, r.title().to_owned()))
                .collect();
            if let Some(set) = multi_select(ui, "Rule", &filter.rules, &rules) {
                filter.rules = set;
            }
            let laws: Vec<(Law, String)> = Law::ALL
                .iter()
                .map(|l| (*l, l.label().to_owned()))
                .collect();
            if let Some(set) = multi_select(ui, "Legal basis", &filter.laws, &laws) {
                filter.laws = set;
            }
            let severities: Vec<(Severity, String)> = Severity::ALL
                .iter()
                .rev()
                .map(|s| (*s, s.label().to_owned()))
                .collect();
            if let Some(set) = multi_select(ui, "Severity", &filter.severities, &severities) {
                filter.severities = set;
            }
        }
        let channels: Vec<(String, String)> = session
            .report()
            .summary
            .by_channel
            .keys()
            .map(|c| (c.clone(), c.clone()))
            .collect();
        if let Some(set) = multi_select(ui, "Channel", &filter.channels, &channels) {
            filter.channels = set;
        }
        if scope != FilterScope::Overview {
            let paths: Vec<(HandlingPath, String)> = HandlingPath::ALL
                .iter()
                .map(|p| (*p, p.label().to_owned()))
                .collect();
            if let Some(set) = multi_select(ui, "Path", &filter.paths, &paths) {
                filter.paths = set;
            }
            let languages: Vec<(String, String)> = session
                .report()
                .summary
                .by_language
                .keys()
                .map(|code| (code.clone(), crate::detect::language_name(code)))
                .collect();
            if let Some(set) = multi_select(ui, "Language", &filter.languages, &languages) {
                filter.languages = set;
            }
        }
        if scope == FilterScope::Findings {
            let reviews: Vec<(ReviewStatus, String)> = [
                ReviewStatus::Open,
                ReviewStatus::Confirmed,
                ReviewStatus::Dismissed,
            ]
            .iter()
            .map(|s| (*s, s.label().to_owned()))
            .collect();
            if let Some(set) = multi_select(ui, "Review", &filter.review, &reviews) {
                filter.review = set;
            }
        }
        period_fields_ui(ui, &mut filter, state, palette);
    });
    chips_ui(ui, current, &mut filter, state, scope, palette);
    if filter != *current {
        actions.push(Action::Session(Command::SetFilter(filter)));
    }
}

/// One removable chip per active filter value, and "Clear filters".
fn chips_ui(
    ui: &mut egui::Ui,
    current: &FindingFilter,
    filter: &mut FindingFilter,
    state: &mut FilterBarState,
    scope: FilterScope,
    palette: &Palette,
) {
    let parts = current.parts();
    let (shown, elsewhere): (Vec<&FilterPart>, Vec<&FilterPart>) =
        parts.iter().partition(|part| shows(scope, part));
    if shown.is_empty() && elsewhere.is_empty() {
        state.replaced_note = None;
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Filters").color(palette.muted));
        for part in &shown {
            let chip = egui::Button::new(format!("{} ×", part.label()))
                .fill(palette.selection)
                .corner_radius(10.0);
            if ui.add(chip).on_hover_text("Remove this filter").clicked() {
                *filter = filter.without(part);
                if matches!(part, FilterPart::Text(_)) {
                    state.search_draft = None;
                }
            }
        }
        if !elsewhere.is_empty() {
            let names: Vec<String> = elsewhere.iter().map(|p| p.label()).collect();
            let text = match scope {
                FilterScope::Overview => "Other filters apply to the lists only",
                _ => "Some filters apply to the findings only",
            };
            ui.label(RichText::new(text).small().color(palette.muted))
                .on_hover_text(names.join("\n"));
        }
        if ui.button("Clear filters").clicked() {
            *filter = FindingFilter::default();
            state.search_draft = None;
            state.from_text.clear();
            state.to_text.clear();
            state.replaced_note = None;
        }
    });
    if let Some(note) = &state.replaced_note {
        ui.label(RichText::new(note).small().color(palette.muted));
    }
}
