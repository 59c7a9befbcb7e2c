//! The overview: KPI cards and charts of the audit. Clicking a card or a bar lists the findings of those
//! conversations (drill-down).

use egui::{RichText, Sense};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Legend, Line, Plot, PlotPoint, Points, Text};

use crate::metrics::{CsatStats, iso_week};
use crate::query::{Drill, FindingFilter, in_overview_scope};
use crate::rules::{ConversationFacts, HandlingPath, RuleId, Severity};
use crate::session::Session;

use super::actions::Action;
use super::app::View;
use super::filter_bar::{FilterBarState, FilterScope, filter_bar_ui};
use super::theme::Palette;
use super::widgets;
use super::widgets::thousands;

const CHART_HEIGHT: f32 = 230.0;

/// A share as a percentage, or a dash when there is nothing to divide.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn mean(stats: &CsatStats) -> String {
    stats
        .mean
        .map_or_else(|| "–".to_owned(), |m| format!("{m:.2}"))
}

fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(
        || "too few ratings for a range".to_owned(),
        |[lo, hi]| format!("likely {lo:.2} to {hi:.2}"),
    )
}

/// What a "95% interval" means, for hover text.
const INTERVAL_HELP: &str = "The likely range (95% interval): if many similar sets of conversations were \
    rated, the true average would fall inside this range 95 times out of 100. Overlapping ranges mean the \
    difference may be chance.";

/// Everything on the overview.
pub fn overview_ui(
    ui: &mut egui::Ui,
    session: &Session,
    filter_bar: &mut FilterBarState,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add_space(4.0);
            filter_bar_ui(
                ui,
                session,
                filter_bar,
                FilterScope::Overview,
                palette,
                actions,
            );
            if session.summary_is_scoped() {
                ui.label(
                    RichText::new(format!(
                        "The figures below cover the {} conversations of this period and these channels",
                        widgets::thousands(session.summary().conversations)
                    ))
                    .color(palette.muted),
                );
            }
            ui.add_space(6.0);
            not_assessed_notice(ui, session, palette);
            kpi_cards_ui(ui, session, palette, actions);
            ui.add_space(10.0);
            charts_ui(ui, session, palette, actions);
            ui.add_space(6.0);
        });
}

/// A drill-down to the conversations (within the overview's period and channels) for which `keep` holds.
fn drill(session: &Session, label: &str, keep: impl Fn(&ConversationFacts) -> bool) -> Action {
    let filter = session.filter();
    let drill = Drill::of(label, &session.report().facts, |f| {
        in_overview_scope(filter, f) && keep(f)
    });
    Action::DrillDown {
        filter: filter.for_drill(drill),
        view: View::Conversations,
    }
}

/// A drill-down that narrows the overview's period and channels with `change`.
fn drill_filter(session: &Session, view: View, change: impl FnOnce(&mut FindingFilter)) -> Action {
    let mut filter = session.filter().overview_scope();
    change(&mut filter);
    Action::DrillDown { filter, view }
}

/// A clickable KPI card with its plain-language explanation on hover. Returns true when clicked.
fn kpi_card(
    ui: &mut egui::Ui,
    palette: &Palette,
    (title, value, detail): (&str, &str, &str),
    help: &str,
) -> bool {
    let frame = egui::Frame::new()
        .fill(palette.card)
        .stroke(egui::Stroke::new(1.0, palette.card_border))
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(14, 10));
    let response = frame
        .show(ui, |ui| {
            ui.style_mut().interaction.selectable_labels = false;
            ui.set_width(ui.available_width());
            ui.set_min_height(84.0);
            ui.vertical(|ui| {
                ui.label(RichText::new(title).color(palette.muted));
                ui.label(
                    RichText::new(value)
                        .size(26.0)
                        .strong()
                        .color(palette.strong),
                );
                ui.add(egui::Label::new(RichText::new(detail).color(palette.muted)).wrap());
            });
        })
        .response
        .interact(Sense::click())
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(help);
    response.clicked()
}

/// A notice for AI conversations in languages the rule pack does not cover: they got no verdict, and
/// the rates leave them out. Never shown when every conversation was assessed.
fn not_assessed_notice(ui: &mut egui::Ui, session: &Session, palette: &Palette) {
    let summary = session.summary();
    if summary.not_assessed == 0 {
        return;
    }
    let languages = summary.not_assessed_languages();
    let count = summary.not_assessed;
    egui::Frame::new()
        .fill(palette.card)
        .stroke(egui::Stroke::new(1.0, palette.warning))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                egui::RichText::new(format!(
                    "Not assessed: {} AI {} in a language the rule pack does not cover ({}). \
                     They have no findings, and the disclosure and human-option rates leave them out.",
                    widgets::thousands(count),
                    if count == 1 {
                        "conversation is"
                    } else {
                        "conversations are"
                    },
                    languages
                ))
                .color(palette.text),
            );
        });
    ui.add_space(6.0);
}

#[allow(clippy::too_many_lines)]
fn kpi_cards_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: &Palette,
    actions: &mut Vec<Action>,
) {
    let summary = session.summary();
    let csat = &summary.csat;
    let difference = &csat.ai_only_vs_human_handled;
    let files = session.report().inputs.len();
    ui.columns(4, |columns| {
        if let [first, second, third, fourth] = columns {
            if kpi_card(
                first,
                palette,
                (
                    "Conversations",
                    &thousands(summary.conversations),
                    &format!(
                        "{} messages in {files} {}",
                        thousands(summary.messages),
                        if files == 1 { "file" } else { "files" }
                    ),
                ),
                "Every conversation read from the logs, in the chosen period and channels.\nClick to list them.",
            ) {
                actions.push(drill_filter(session, View::Conversations, |_| {}));
            }
            if kpi_card(
                second,
                palette,
                (
                    "AI-involved",
                    &thousands(summary.ai_involved),
                    &format!(
                        "{} of conversations",
                        percent(
                            (summary.conversations > 0)
                                .then(|| summary.ai_involved as f64 / summary.conversations as f64)
                        )
                    ),
                ),
                "Conversations in which an AI answered at least once: the ones the disclosure and human-option rules apply to.\nClick to list them.",
            ) {
                actions.push(drill(
                    session,
                    "AI-involved conversations",
                    ConversationFacts::ai_involved,
                ));
            }
            if kpi_card(
                third,
                palette,
                (
                    "AI disclosure rate",
                    &percent(summary.disclosure_rate),
                    &format!(
                        "Disclosed in the AI's first turn {}",
                        percent(summary.timely_disclosure_rate)
                    ),
                ),
                "Of the AI conversations the rules assessed, the share in which the customer was told they were talking to an AI. \
                 The second figure counts only disclosures at the AI's first message, as the EU AI Act asks.\n\
                 Click to list the AI conversations without a disclosure at the first message.",
            ) {
                actions.push(drill(
                    session,
                    "AI conversations without a timely disclosure",
                    |f| f.ai_involved() && f.assessed && !f.disclosed_in_time,
                ));
            }
            if kpi_card(
                fourth,
                palette,
                (
                    "Human option rate",
                    &percent(summary.human_option_rate),
                    "AI conversations that offered or reached a person",
                ),
                "Of the AI conversations the rules assessed, the share in which the customer was offered a way to a person, or was handed to one.\n\
                 Click to list the AI conversations without one.",
            ) {
                actions.push(drill(
                    session,
                    "AI conversations without an offer of a human",
                    |f| {
                        f.ai_involved()
                            && f.assessed
                            && !(f.human_offered || f.path == HandlingPath::Escalated)
                    },
                ));
            }
        }
    });
    ui.add_space(4.0);
    ui.columns(4, |columns| {
        if let [first, second, third, fourth] = columns {
            if kpi_card(
                first,
                palette,
                (
                    "Escalation rate",
                    &percent(summary.escalation_rate),
                    &format!(
                        "AI kept {} · {} failed handoffs",
                        percent(summary.containment_rate),
                        thousands(summary.failed_handoffs)
                    ),
                ),
                "Escalation: the share of AI conversations handed to a person. \
                 Containment (\"AI kept\"): the share the AI handled to the end without a person. \
                 A failed handoff is a transfer after which the AI carried on and no person came.\n\
                 Click to list the escalated conversations.",
            ) {
                actions.push(drill_filter(session, View::Conversations, |f| {
                    f.paths.insert(HandlingPath::Escalated);
                }));
            }
            if kpi_card(
                second,
                palette,
                (
                    "Unmet requests for a human",
                    &thousands(summary.human_requests.unmet),
                    &format!(
                        "of {} conversations with a request",
                        thousands(summary.human_requests.conversations)
                    ),
                ),
                "Conversations in which the customer asked for a person and none came.\nClick to list them.",
            ) {
                actions.push(drill(session, "Unmet requests for a human", |f| {
                    f.human_request_unmet
                }));
            }
            if kpi_card(
                third,
                palette,
                (
                    "CSAT, AI only vs human-handled",
                    &format!("{} vs {}", mean(&csat.ai_only), mean(&csat.human_handled)),
                    &format!(
                        "Average of 1–5 · AI only {} ({} ratings) · human {}",
                        interval(csat.ai_only.mean_ci95),
                        thousands(csat.ai_only.responses),
                        interval(csat.human_handled.mean_ci95)
                    ),
                ),
                &format!(
                    "CSAT is the customer's satisfaction rating from 1 to 5. The first number is the average for conversations \
                     the AI handled alone, the second for those a person handled or joined.\n{INTERVAL_HELP}\n\
                     Click to list the conversations with a rating."
                ),
            ) {
                actions.push(drill(session, "Conversations with a CSAT rating", |f| {
                    f.csat.is_some()
                }));
            }
            let delta = difference
                .mean_difference
                .map_or_else(|| "–".to_owned(), |d| format!("{d:+.2}"));
            if kpi_card(
                fourth,
                palette,
                (
                    "CSAT difference, AI only minus human",
                    &delta,
                    &format!(
                        "{} · rated 4 or 5: {}",
                        interval(difference.mean_difference_ci95),
                        difference
                            .satisfied_share_difference
                            .map_or_else(|| "–".to_owned(), |d| format!("{:+.1} points", d * 100.0))
                    ),
                ),
                &format!(
                    "How much higher (+) or lower (−) AI-only conversations were rated than human-handled ones, on average.\n\
                     Satisfied share: the share of ratings of 4 or 5; the difference is in percentage points.\n{INTERVAL_HELP}\n\
                     Click to list the AI-only conversations with a rating."
                ),
            ) {
                actions.push(drill(
                    session,
                    "AI-only conversations with a CSAT rating",
                    |f| f.path == HandlingPath::AiOnly && f.csat.is_some(),
                ));
            }
        }
    });
}

/// A chart inside a card with a title; returns the clicked plot point.
fn chart_card(
    ui: &mut egui::Ui,
    palette: &Palette,
    title: &str,
    (hint, help): (&str, &str),
    build: impl FnOnce(&mut egui::Ui) -> Option<PlotPoint>,
) -> Option<PlotPoint> {
    egui::Frame::new()
        .fill(palette.card)
        .stroke(egui::Stroke::new(1.0, palette.card_border))
        .corner_radius(8.0)
        .inner_margin(egui::Margin::same(12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(title).strong().size(15.0))
                    .on_hover_text(help);
                ui.label(RichText::new(hint).color(palette.muted))
                    .on_hover_text(help);
            });
            build(ui)
        })
        .inner
}

/// A plot set up for categorical bars: no zoom or drag, fixed height.
fn category_plot(id: &str) -> Plot<'_> {
    Plot::new(id)
        .height(CHART_HEIGHT)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .show_grid([false, true])
}

/// Shows a plot and returns the pointer position of a click on it.
fn clicked_point<'a>(
    plot: Plot<'a>,
    ui: &mut egui::Ui,
    items: impl FnOnce(&mut egui_plot::PlotUi<'a>) + 'a,
) -> Option<PlotPoint> {
    plot.show(ui, |plot_ui| {
        items(plot_ui);
        if plot_ui.response().clicked() {
            plot_ui.pointer_coordinate()
        } else {
            None
        }
    })
    .inner
}

fn index_at(value: f64, len: usize) -> Option<usize> {
    let rounded = value.round();
    (rounded >= 0.0 && (rounded as usize) < len).then_some(rounded as usize)
}

/// The plot position (bar centre) of a rule in the findings-by-rule chart: the first rule on top.
fn rule_position(index: usize) -> f64 {
    (RuleId::ALL.len() - 1 - index) as f64
}

/// The rule whose bar is at a plot position of the findings-by-rule chart.
fn rule_at(position: f64) -> Option<RuleId> {
    let from_bottom = index_at(position, RuleId::ALL.len())?;
    RuleId::ALL
        .get(RuleId::ALL.len() - 1 - from_bottom)
        .copied()
}

/// Horizontal bars, one per rule with its full title beside it and its count at its end, coloured by
/// severity (the legend names the colours). Returns the rule of a clicked bar.
fn findings_by_rule_ui(ui: &mut egui::Ui, session: &Session, palette: &Palette) -> Option<RuleId> {
    let summary = session.summary();
    let count_of = |rule: RuleId| {
        summary
            .findings_by_rule
            .get(rule.code())
            .copied()
            .unwrap_or(0)
    };
    let most = RuleId::ALL.iter().map(|r| count_of(*r)).max().unwrap_or(0);
    // One chart per severity, most serious first, so the legend explains the colours.
    let charts: Vec<BarChart> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|&severity| {
            let bars: Vec<Bar> = RuleId::ALL
                .iter()
                .enumerate()
                .filter(|(_, rule)| rule.severity() == severity)
                .map(|(i, rule)| {
                    Bar::new(rule_position(i), count_of(*rule) as f64)
                        .name(rule.title())
                        .fill(palette.severity(severity))
                        .width(0.7)
                })
                .collect();
            (!bars.is_empty()).then(|| {
                BarChart::new(severity.label(), bars)
                    .color(palette.severity(severity))
                    .horizontal()
                    .element_formatter(Box::new(|bar, _| {
                        format!("{}\n{} findings", bar.name, widgets::thousands(bar.value))
                    }))
            })
        })
        .collect();
    let counts: Vec<Text> = RuleId::ALL
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            Text::new(
                "",
                PlotPoint::new(count_of(*rule) as f64, rule_position(i)),
                RichText::new(format!(" {}", widgets::thousands(count_of(*rule))))
                    .size(13.0)
                    .color(palette.strong),
            )
            .anchor(egui::Align2::LEFT_CENTER)
        })
        .collect();
    let clicked = chart_card(
        ui,
        palette,
        "Findings by rule",
        (
            "click a bar to list them",
            "How many findings each rule raised, coloured by severity. Point at a bar for its count; click it to list those findings.",
        ),
        |ui| {
            let labels = AxisHints::new_y()
                .formatter(|mark, _| {
                    rule_at(mark.value).map_or_else(String::new, |r| r.title().to_owned())
                })
                // Every rule has its own row, so no label may be hidden for lack of room.
                .label_spacing(8.0..=10.0);
            let plot = category_plot("findings_by_rule")
                .show_grid(false)
                // The counts stand beside the bars, so a count axis would only repeat them.
                .show_axes([false, true])
                .custom_y_axes(vec![labels])
                .y_grid_spacer(|_| {
                    (0..RuleId::ALL.len())
                        .map(|i| GridMark {
                            value: i as f64,
                            step_size: 1.0,
                        })
                        .collect()
                })
                .include_x(0.0)
                // Room at the right for the count beside the longest bar and for the legend.
                .include_x((most as f64 * 1.3).max(1.0))
                .include_y(-0.5)
                .include_y(RuleId::ALL.len() as f64 - 0.5)
                .legend(Legend::default().position(egui_plot::Corner::RightBottom));
            clicked_point(plot, ui, move |plot_ui| {
                for chart in charts {
                    plot_ui.bar_chart(chart);
                }
                for count in counts {
                    plot_ui.text(count);
                }
            })
        },
    );
    clicked.and_then(|point| rule_at(point.y))
}

/// The drill-down for a click on a weekly chart: the conversations that started in the clicked week.
fn week_drill(session: &Session, weeks: &[String], clicked: Option<PlotPoint>) -> Option<Action> {
    let week = clicked
        .and_then(|p| index_at(p.x, weeks.len()))
        .and_then(|i| weeks.get(i))?
        .clone();
    Some(drill(session, &format!("Week {week}"), move |f| {
        f.started_at.map(iso_week).as_deref() == Some(week.as_str())
    }))
}

fn charts_ui(ui: &mut egui::Ui, session: &Session, palette: &Palette, actions: &mut Vec<Action>) {
    let summary = session.summary();
    let gap = ui.spacing().item_spacing.x;

    ui.columns(2, |columns| {
        let [left, right] = columns else {
            return;
        };
        // Findings by rule, coloured by severity.
        {
            let ui = left;
            if let Some(rule) = findings_by_rule_ui(ui, session, palette) {
                actions.push(drill_filter(session, View::Findings, |f| {
                    f.rules.insert(rule);
                }));
            }
        }
        // Handling paths.
        {
            let ui = right;
            let bars: Vec<Bar> = HandlingPath::ALL
                .iter()
                .enumerate()
                .map(|(i, path)| {
                    Bar::new(i as f64, summary.paths.count(*path) as f64)
                        .name(path.label())
                        .fill(palette.series(i))
                        .width(0.6)
                })
                .collect();
            let clicked = chart_card(
                ui,
                palette,
                "Handling paths",
                (
                    "who handled each conversation",
                    "How many conversations the AI handled alone, handed to a person, a person handled alone, or nobody answered. Click a bar to list them.",
                ),
                |ui| {
                    let plot = category_plot("handling_paths").x_axis_formatter(|mark, _| {
                        let index = mark.value.round();
                        if (mark.value - index).abs() > 1e-6 {
                            return String::new();
                        }
                        // Short names, so no label is dropped for lack of room in a narrow window.
                        HandlingPath::ALL
                            .get(index as usize)
                            .map(|p| super::findings_table::path_short(*p).to_owned())
                            .unwrap_or_default()
                    });
                    clicked_point(plot, ui, move |plot_ui| {
                        plot_ui.bar_chart(BarChart::new("Conversations", bars).element_formatter(
                            Box::new(|bar, _| {
                                format!("{}\n{} conversations", bar.name, widgets::thousands(bar.value))
                            }),
                        ));
                    })
                },
            );
            if let Some(path) = clicked
                .and_then(|p| index_at(p.x, HandlingPath::ALL.len()))
                .and_then(|i| HandlingPath::ALL.get(i).copied())
            {
                actions.push(drill_filter(session, View::Conversations, |f| {
                    f.paths.insert(path);
                }));
            }
        }
    });
    ui.add_space(gap);

    let weeks: Vec<String> = summary.by_week.keys().cloned().collect();
    ui.columns(2, |columns| {
        let [left, right] = columns else {
            return;
        };
        // Escalation rate by week.
        {
            let ui = left;
            let bars: Vec<Bar> = summary
                .by_week
                .iter()
                .enumerate()
                .map(|(i, (week, stats))| {
                    Bar::new(i as f64, stats.escalation_rate.unwrap_or(0.0) * 100.0)
                        .name(format!(
                            "{week}: {} of {} AI conversations escalated",
                            stats.escalated, stats.ai_involved
                        ))
                        .fill(palette.series(0))
                        .width(0.7)
                })
                .collect();
            let labels = weeks.clone();
            let clicked = chart_card(
                ui,
                palette,
                "Escalation rate by week",
                (
                    "% of AI conversations handed to a person",
                    "For each week (by the conversation's start), the share of AI conversations that were handed to a person. Point at a bar for the counts; click it to list that week's conversations.",
                ),
                |ui| {
                    let plot = category_plot("escalation_by_week")
                        .include_y(0.0)
                        .x_axis_formatter(move |mark, _| week_label(&labels, mark.value))
                        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value));
                    clicked_point(plot, ui, move |plot_ui| {
                        plot_ui.bar_chart(
                            BarChart::new("Escalation rate", bars).element_formatter(Box::new(
                                |bar, _| format!("{}\n{:.1}%", bar.name, bar.value),
                            )),
                        );
                    })
                },
            );
            if let Some(action) = week_drill(session, &weeks, clicked) {
                actions.push(action);
            }
        }
        // CSAT by week.
        {
            let ui = right;
            // One point per week that has the value: the mean and the two ends of its interval.
            let series = |value: fn(&crate::metrics::CsatStats) -> Option<f64>| -> Vec<[f64; 2]> {
                weeks
                    .iter()
                    .enumerate()
                    .filter_map(|(i, week)| {
                        summary
                            .csat
                            .by_week
                            .get(week)
                            .and_then(value)
                            .map(|v| [i as f64, v])
                    })
                    .collect()
            };
            let points = series(|s| s.mean);
            let lows = series(|s| s.mean_ci95.map(|[lo, _]| lo));
            let highs = series(|s| s.mean_ci95.map(|[_, hi]| hi));
            let labels = weeks.clone();
            let color = palette.series(1);
            let muted = palette.muted;
            let clicked = chart_card(
                ui,
                palette,
                "Average CSAT by week",
                (
                    "average rating 1–5 with its likely range",
                    "For each week, the average satisfaction rating (1 to 5) and, dashed, its likely range. The likely range (95% interval) is where the true average would fall 95 times out of 100; few ratings give a wide range. Click a week to list its conversations.",
                ),
                |ui| {
                    let hover_labels = labels.clone();
                    let plot = category_plot("csat_by_week")
                        .include_y(1.0)
                        .include_y(5.0)
                        .x_axis_formatter(move |mark, _| week_label(&labels, mark.value))
                        .label_formatter(move |hover| match hover {
                            egui_plot::HoverPosition::NearDataPoint {
                                plot_name,
                                position,
                                ..
                            } => Some(format!(
                                "Week {}\n{plot_name}: {:.2}",
                                week_label(&hover_labels, position.x),
                                position.y
                            )),
                            egui_plot::HoverPosition::Elsewhere { .. } => None,
                        });
                    clicked_point(plot, ui, move |plot_ui| {
                        plot_ui.line(
                            Line::new("Likely range, low", lows)
                                .color(muted)
                                .style(egui_plot::LineStyle::dashed_dense()),
                        );
                        plot_ui.line(
                            Line::new("Likely range, high", highs)
                                .color(muted)
                                .style(egui_plot::LineStyle::dashed_dense()),
                        );
                        plot_ui.line(
                            Line::new("Average CSAT", points.clone())
                                .color(color)
                                .width(2.0),
                        );
                        plot_ui
                            .points(Points::new("Average CSAT", points).color(color).radius(3.5));
                    })
                },
            );
            if let Some(action) = week_drill(session, &weeks, clicked) {
                actions.push(action);
            }
        }
    });
    ui.add_space(gap);

    // CSAT distribution by path.
    let offsets = [-0.3, -0.1, 0.1, 0.3];
    let charts: Vec<BarChart> = HandlingPath::ALL
        .iter()
        .enumerate()
        .map(|(p, path)| {
            let counts = summary
                .csat
                .distribution_by_path
                .get(path.as_str())
                .copied()
                .unwrap_or_default();
            let offset = offsets.get(p).copied().unwrap_or(0.0);
            let total: u64 = counts.iter().sum();
            let bars = counts
                .iter()
                .enumerate()
                .map(|(star, &count)| {
                    let share = if total > 0 {
                        count as f64 / total as f64 * 100.0
                    } else {
                        0.0
                    };
                    let stars = if star == 0 { "star" } else { "stars" };
                    Bar::new(star as f64 + 1.0 + offset, share)
                        .name(format!(
                            "{}, {} {stars}: {} of {} ratings",
                            path.label(),
                            star + 1,
                            widgets::thousands(count),
                            widgets::thousands(total)
                        ))
                        .width(0.18)
                })
                .collect();
            BarChart::new(path.label(), bars).color(palette.series(p))
        })
        .collect();
    let clicked = chart_card(
        ui,
        palette,
        "CSAT distribution by handling path",
        (
            "share of each path's ratings per star; click a bar to list them",
            "For each handling path, which share of its ratings gave 1, 2, 3, 4 or 5 stars, so paths with few ratings compare fairly. Point at a bar for the count.",
        ),
        |ui| {
            let plot = category_plot("csat_distribution")
                .legend(Legend::default().position(egui_plot::Corner::LeftTop))
                .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
                .x_axis_formatter(|mark, _| {
                    let index = mark.value.round();
                    if (mark.value - index).abs() > 1e-6 || !(1.0..=5.0).contains(&index) {
                        return String::new();
                    }
                    if index == 1.0 {
                        "1 star".to_owned()
                    } else {
                        format!("{index:.0} stars")
                    }
                });
            clicked_point(plot, ui, move |plot_ui| {
                for chart in charts {
                    plot_ui.bar_chart(chart.element_formatter(Box::new(|bar, _| {
                        format!("{}\n{:.1}% of this path's ratings", bar.name, bar.value)
                    })));
                }
            })
        },
    );
    if let Some(point) = clicked {
        let star = point.x.round();
        let offset = point.x - star;
        let path = offsets
            .iter()
            .position(|o| (offset - o).abs() <= 0.1)
            .and_then(|i| HandlingPath::ALL.get(i).copied());
        if let (Some(path), true) = (path, (1.0..=5.0).contains(&star)) {
            actions.push(drill(
                session,
                &format!("{}, CSAT {star:.0}", path.label()),
                move |f| f.path == path && f.csat.is_some_and(|c| c.round() == star),
            ));
        }
    }
}

fn week_label(weeks: &[String], value: f64) -> String {
    let index = value.round();
    if (value - index).abs() > 1e-6 || index < 0.0 {
        return String::new();
    }
    weeks
        .get(index as usize)
        .map(|w| {
            w.split_once('-')
                .map_or_else(|| w.clone(), |(year, week)| format!("{week} {year}"))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{RuleId, rule_at, rule_position};

    #[test]
    fn every_rule_bar_maps_back_to_its_rule() {
        for (i, rule) in RuleId::ALL.iter().enumerate() {
            assert_eq!(rule_at(rule_position(i)), Some(*rule));
            // A click anywhere on the bar (0.7 wide) counts.
            assert_eq!(rule_at(rule_position(i) + 0.3), Some(*rule));
        }
        assert_eq!(rule_at(-1.0), None);
        assert_eq!(rule_at(RuleId::ALL.len() as f64), None);
    }
}
