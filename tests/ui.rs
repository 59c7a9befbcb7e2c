//! The desktop app driven headless by labels, as a user would (egui_kittest, no GPU or display).
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use candor::export::ReviewStatus;
use candor::ui::{AuditApp, Settings, TimeZoneChoice, View};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

fn app(review_dir: &Path) -> AuditApp {
    let settings = Settings {
        reviewer: "Dana".to_owned(),
        ..Settings::default()
    };
    AuditApp::new(settings, Some(review_dir.to_path_buf()))
}

fn harness(app: AuditApp) -> Harness<'static, AuditApp> {
    harness_sized(app, egui::vec2(1400.0, 900.0))
}

fn harness_sized(app: AuditApp, size: egui::Vec2) -> Harness<'static, AuditApp> {
    Harness::builder()
        .with_size(size)
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut AuditApp| {
                app.poll(ui.ctx());
                app.show(ui);
            },
            app,
        )
}

/// Lets a click reach the app, waits for the background work it started, and settles.
fn settle(harness: &mut Harness<'static, AuditApp>) {
    harness.step();
    harness.step();
    let ctx = harness.ctx.clone();
    harness.state_mut().wait_for_jobs(&ctx);
    harness.run_steps(4);
}

/// Opens files through the path field of the empty state.
fn open_by_path(harness: &mut Harness<'static, AuditApp>, paths: &[PathBuf]) {
    let text = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(";");
    let field = harness.get_by_label("Or type the path of a file or folder");
    field.focus();
    field.type_text(&text);
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    settle(harness);
}

/// A log with certain findings: no disclosure, an AI denying it is one, and an AI-only conversation.
fn flagged_log(dir: &Path) -> PathBuf {
    let path = dir.join("flagged.jsonl");
    let lines = [
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:00Z","channel":"chat","role":"customer","text":"Hi, my bill is wrong"}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:10Z","channel":"chat","role":"ai","text":"I can look at that for you."}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:20Z","channel":"chat","role":"customer","text":"are you a bot?"}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:30Z","channel":"chat","role":"ai","text":"No, I'm a real person here to help."}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn sample_logs_show_the_kpis() {
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    harness.get_by_label("Try the sample logs").click();
    settle(&mut harness);

    let summary = harness.state().session.report().summary.clone();
    // The numbers the sample logs are known to give (see sample_logs/README.md).
    assert_eq!(summary.conversations, 410);
    assert_eq!(summary.ai_involved, 342);
    assert_eq!(summary.human_requests.unmet, 40);
    assert_eq!(harness.state().view, View::Overview);
    for shown in ["410", "342", "88.3%", "40"] {
        assert!(
            harness.query_all_by_label(shown).count() >= 1,
            "{shown} is not shown"
        );
    }
    harness.get_by_label("Conversations");
    assert!(
        harness
            .query_all_by_label(&summary.conversations.to_string())
            .count()
            >= 1
    );
    harness.get_by_label("AI disclosure rate");
    let disclosure = format!("{:.1}%", summary.disclosure_rate.unwrap() * 100.0);
    assert!(harness.query_all_by_label(&disclosure).count() >= 1);
    harness.get_by_label("Unmet requests for a human");
    assert!(
        harness
            .query_all_by_label(&summary.human_requests.unmet.to_string())
            .count()
            >= 1
    );
    harness.get_by_label("Findings by rule");
    harness.get_by_label("Handling paths");

    // Clicking a KPI that counts conversations lists exactly those conversations.
    harness.get_by_label("Unmet requests for a human").click();
    harness.run_steps(3);
    assert_eq!(harness.state().view, View::Conversations);
    assert!(harness.state().session.filter().drill.is_some());
    harness.get_by_label("Showing 40 of 410 conversations");
}

#[test]
fn open_a_finding_review_it_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = flagged_log(dir.path());
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, std::slice::from_ref(&log));
    let total = harness.state().session.report().findings.len();
    assert!(total >= 2, "expected findings, got {total}");

    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);
    harness.get_by_label(&format!("Showing {total} of {total} findings"));

    // Select the first row with the keyboard and open it with Enter.
    harness.key_press(Key::ArrowDown);
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().view, View::Conversation);
    harness.get_by_label("Conversation c1");
    harness.get_by_label("No AI disclosure before the first AI message");
    // The denial is highlighted in its message and flagged beneath it.
    harness.get_by_label("No, I'm a real person here to help.");
    // Messages are numbered from 1, as the explanations count them.
    harness.get_by_label("Message 4 · 10:00:30");
    harness.get_by_label_contains("Finding: AI claimed to be human");
    let session = &harness.state().session;
    let denial = session
        .report()
        .findings
        .iter()
        .position(|f| f.rule == candor::rules::RuleId::AiIdentityDenied)
        .unwrap();
    assert!(session.report().findings[denial].evidence_span.is_some());

    // Confirm the open finding.
    harness.get_by_label("Confirm violation").click();
    harness.run_steps(3);
    assert!(harness.query_all_by_label("Confirmed").count() >= 1);
    harness.get_by_label_contains("1 confirmed · 0 dismissed");

    // Dismiss the denial finding.
    harness
        .get_by_label_contains("Finding: AI claimed to be human")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Dismiss as false positive").click();
    harness.run_steps(3);
    harness.get_by_label_contains("1 confirmed · 1 dismissed");
    assert_eq!(
        harness.state().session.review_status(denial),
        ReviewStatus::Dismissed
    );
    drop(harness);

    // A new app on the same inputs and review folder restores the decisions.
    let mut reopened = harness_for_reopen(reviews.path());
    open_by_path(&mut reopened, &[log]);
    reopened.get_by_label_contains("1 confirmed · 1 dismissed");
    assert_eq!(
        reopened.state().session.review_status(denial),
        ReviewStatus::Dismissed
    );
}

fn harness_for_reopen(reviews: &Path) -> Harness<'static, AuditApp> {
    let mut harness = harness(app(reviews));
    harness.run();
    harness
}

/// Exports all findings in `format` (its label) to `out` through the export dialog's path field.
fn export_by_path(harness: &mut Harness<'static, AuditApp>, format: &str, out: &Path) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::E);
    harness.run_steps(3);
    harness.get_by_label("Export findings");
    harness.get_by_label(format).click();
    harness.run_steps(2);
    let field = harness.get_by_label("Or type where to save it");
    field.focus();
    field.type_text(&out.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    settle(harness);
}

#[test]
fn export_writes_the_chosen_rows() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[flagged_log(dir.path())]);
    let total = harness.state().session.report().findings.len();

    let out = dir.path().join("findings.csv");
    export_by_path(&mut harness, "CSV table", &out);

    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert_eq!(reader.records().count(), total);
    harness.get_by_label(&format!("Exported {total} findings as CSV table"));
}

#[test]
fn a_broken_file_shows_in_problems_while_the_others_load() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let bad =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad_invalid_json.jsonl");
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[bad.clone(), flagged_log(dir.path())]);

    let report = harness.state().session.report().clone();
    assert_eq!(report.inputs.len(), 2);
    assert!(
        report.facts.iter().any(|f| f.id == "c1"),
        "the good file loaded"
    );
    let bad_input = report
        .inputs
        .iter()
        .find(|i| i.path.ends_with("bad_invalid_json.jsonl"))
        .unwrap();
    let warning = bad_input
        .warnings
        .first()
        .expect("a warning for the broken line");
    assert!(warning.line.is_some());

    // The Problems panel opens by itself and names the file, the line and the reason.
    harness.get_by_label("Problems");
    harness.get_by_label(&bad_input.path);
    harness.get_by_label(&warning.to_string());
}

/// Opens the flagged log and switches to the findings view.
fn findings_of_flagged_log(dir: &Path, reviews: &Path) -> Harness<'static, AuditApp> {
    let mut harness = harness(app(reviews));
    harness.run();
    open_by_path(&mut harness, &[flagged_log(dir)]);
    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);
    harness
}

#[test]
fn the_time_zone_choice_changes_the_times_shown() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = findings_of_flagged_log(dir.path(), reviews.path());
    let time = {
        let session = &harness.state().session;
        let findings = &session.report().findings;
        session
            .rows()
            .iter()
            .find_map(|&row| findings[row].timestamp)
            .unwrap()
    };
    let utc = TimeZoneChoice::Utc.format(time);
    let local = TimeZoneChoice::Local.format(time);
    assert_ne!(utc, local);
    assert!(harness.query_all_by_label(&utc).count() >= 1);

    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Times in local time").click();
    harness.run_steps(3);
    assert_eq!(harness.state().settings.time_zone, TimeZoneChoice::Local);
    assert!(harness.query_all_by_label(&local).count() >= 1);
    assert_eq!(harness.query_all_by_label(&utc).count(), 0);
}

#[test]
fn about_shows_the_version_and_the_rule_pack() {
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("About Candor").click();
    harness.run_steps(3);
    let pack = candor::rules::RulePack::builtin();
    harness.get_by_label(&format!("Candor {}", env!("CARGO_PKG_VERSION")));
    harness.get_by_label(&pack.name);
    harness.get_by_label(&pack.version);
    harness.get_by_label(&pack.sha256);
}

#[test]
fn bulk_confirm_with_a_note_changes_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = findings_of_flagged_log(dir.path(), reviews.path());
    let total = harness.state().session.report().findings.len();
    assert!(total >= 2);

    harness.get_by_label("Select all shown").click();
    harness.run_steps(3);
    harness.get_by_label(&format!("Review {total} selected findings"));
    let note = harness.get_by_role(egui::accesskit::Role::MultilineTextInput);
    note.focus();
    note.type_text("Checked with the team lead");
    harness.run_steps(2);
    harness.get_by_label("Confirm violation").click();
    harness.run_steps(3);

    harness.get_by_label_contains(&format!("{total} confirmed · 0 dismissed · 0 not reviewed"));
    let session = &harness.state().session;
    for finding in 0..total {
        assert_eq!(session.review_status(finding), ReviewStatus::Confirmed);
        assert_eq!(
            session.review(finding).unwrap().note,
            "Checked with the team lead"
        );
    }
}

#[test]
fn search_waits_for_a_pause_in_typing() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = findings_of_flagged_log(dir.path(), reviews.path());
    let total = harness.state().session.report().findings.len();

    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("real person");
    // The keystrokes land, but the (slow on a million findings) query has not run yet.
    harness.step();
    assert!(harness.state().session.filter().text.is_empty());
    assert_eq!(harness.state().session.rows().len(), total);
    // Each harness step is a quarter of a second: the pause has passed, the search runs.
    harness.run_steps(3);
    assert_eq!(harness.state().session.filter().text, "real person");
    harness.get_by_label(
        "Showing 1 of 3 findings"
            .replace('3', &total.to_string())
            .as_str(),
    );
}

#[test]
fn dragging_files_over_the_window_says_what_dropping_does() {
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    assert!(
        harness
            .query_by_label("Drop files or folders to open them")
            .is_none()
    );
    harness.input_mut().hovered_files.push(egui::HoveredFile {
        path: Some(PathBuf::from("/tmp/logs.jsonl")),
        ..Default::default()
    });
    harness.run_steps(2);
    harness.get_by_label("Drop files or folders to open them");
    harness.input_mut().hovered_files.clear();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("Drop files or folders to open them")
            .is_none()
    );
}

#[test]
fn conversations_in_uncovered_languages_are_shown_as_not_assessed() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl");
    let lines = [
        r#"{"conversation_id":"pl1","role":"ai","text":"Dzień dobry, w czym mogę pomóc? Proszę opisać problem z zamówieniem."}"#,
        r#"{"conversation_id":"pl1","role":"customer","text":"Moja paczka nie dotarła, a zamówienie złożyłem tydzień temu."}"#,
        r#"{"conversation_id":"en1","role":"ai","text":"Hi, I'm a virtual assistant. Type agent to talk to a person."}"#,
        r#"{"conversation_id":"en1","role":"customer","text":"thanks, all sorted"}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[path]);
    let summary = harness.state().session.report().summary.clone();
    assert_eq!(summary.not_assessed, 1);
    harness.get_by_label_contains(
        "Not assessed: 1 AI conversation is in a language the rule pack does not cover (Polish 1)",
    );
    // Rules ▸ Read all as English: the open logs are audited again, and the Polish one gets a verdict.
    harness.get_by_label("Rules").click();
    harness.run_steps(2);
    harness.get_by_label("Read all as English").click();
    settle(&mut harness);
    assert_eq!(harness.state().settings.language.as_deref(), Some("en"));
    assert_eq!(harness.state().session.report().summary.not_assessed, 0);
    assert!(
        harness
            .state()
            .session
            .report()
            .findings
            .iter()
            .any(|f| f.conversation_id == "pl1")
    );
    harness.get_by_label("Rules").click();
    harness.run_steps(2);
    harness.get_by_label("Detect for each conversation").click();
    settle(&mut harness);
    assert_eq!(harness.state().session.report().summary.not_assessed, 1);
    // No finding for the Polish conversation.
    assert!(
        harness
            .state()
            .session
            .report()
            .findings
            .iter()
            .all(|f| f.conversation_id != "pl1")
    );
}

#[test]
fn an_unusable_rule_pack_is_reported_and_nothing_is_audited_with_another() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let pack = dir.path().join("broken.toml");
    std::fs::write(
        &pack,
        "[pack]\nname = \"broken\"\nversion = \"1\"\n[languages.en]\nai_nouns = [\"bot\"]\n",
    )
    .unwrap();
    let mut app = app(reviews.path());
    app.settings.rule_pack = Some(pack);
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("Try the sample logs").click();
    settle(&mut harness);
    assert!(!harness.state().session.is_loaded());
    harness.get_by_label_contains("The rule pack could not be used");
}

#[test]
fn an_import_profile_reads_an_unknown_shape_and_can_be_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = dir.path().join("crm.csv");
    std::fs::write(
        &log,
        "Vorgang;Wer;Gesagt\nV-1;Kundin;Meine Rechnung ist falsch\nV-1;Lisa (Bot);Ich bin Lisa, eine KI.\n",
    )
    .unwrap();
    let profile = dir.path().join("crm.toml");
    std::fs::write(
        &profile,
        "name = \"CRM\"\n[fields]\nconversation = \"Vorgang\"\nspeaker = \"Wer\"\ntext = \"Gesagt\"\n\
         [speakers]\nai = [\"* (Bot)\"]\ncustomer = [\"Kundin\"]\n",
    )
    .unwrap();
    let mut app = app(reviews.path());
    app.settings.import_profile = Some(profile);
    let mut harness = harness(app);
    harness.run();
    open_by_path(&mut harness, &[log]);
    assert_eq!(harness.state().session.report().inputs[0].conversations, 1);
    // Rules ▸ Recognise the format of each file: read again without the profile, the file is not a log.
    harness.get_by_label("Rules").click();
    harness.run_steps(2);
    harness.get_by_label_contains("With the import profile crm.toml");
    harness
        .get_by_label("Recognise the format of each file")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().settings.import_profile, None);
    let input = &harness.state().session.report().inputs[0];
    assert_eq!(input.conversations, 0);
    assert!(
        input
            .error
            .as_deref()
            .is_some_and(|e| e.contains("import profile")),
        "{:?}",
        input.error
    );
}

#[test]
fn a_file_that_is_not_recognised_can_be_mapped_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = dir.path().join("crm.csv");
    // Usual column names, but speakers Candor cannot tell apart on its own.
    std::fs::write(
        &log,
        "ticket_id,author,body\n\
         T-1,Kundin,Meine Rechnung ist falsch\n\
         T-1,Lisa (Bot),\"Ich bin Lisa, eine KI. Soll ich Sie mit einer Kollegin verbinden?\"\n\
         T-1,Kundin,Ja bitte\n\
         T-2,Lisa (Bot),Hallo! Ich bin eine KI.\n\
         T-2,Max Berger,Guten Tag, hier ist Max.\n",
    )
    .unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, std::slice::from_ref(&log));
    assert_eq!(harness.state().session.report().inputs[0].conversations, 0);
    harness.get_by_label("Map its columns…").click();
    harness.run_steps(3);
    harness.get_by_label_contains("Map the columns of crm.csv");
    // The usual names are already chosen, and speakers whose words say who they are ("Kundin", "Lisa
    // (Bot)"); a plain name is left to the user.
    harness.run_steps(3);
    harness
        .get_by_label("2 conversations in the first part of the file; 1 record would be skipped");
    harness.get_by_label("Max Berger").click();
    harness.run_steps(2);
    harness.get_by_label("Human agent").click();
    harness.run_steps(3);
    harness
        .get_by_label("2 conversations in the first part of the file; 0 records would be skipped");
    harness
        .get_by_label("Save profile and read the logs")
        .click();
    settle(&mut harness);
    let saved = harness.state().settings.import_profile.clone().unwrap();
    assert!(saved.exists());
    assert_eq!(harness.state().session.report().inputs[0].conversations, 2);
    // The saved profile is a file a person can read and reuse on the command line.
    let text = std::fs::read_to_string(saved).unwrap();
    assert!(text.contains("Lisa (Bot)"), "{text}");
}

#[test]
fn hide_personal_data_shows_placeholders_in_the_conversation_and_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = dir.path().join("pii.jsonl");
    let lines = [
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:00Z","channel":"chat","role":"customer","text":"My bill is wrong, write to jane.doe@example.com"}"#,
        r#"{"conversation_id":"c1","timestamp":"2026-01-05T10:00:10Z","channel":"chat","role":"ai","text":"I will write to jane.doe@example.com today."}"#,
    ];
    std::fs::write(&log, lines.join("\n")).unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[log]);
    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);
    harness.key_press(Key::ArrowDown);
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().view, View::Conversation);
    harness.get_by_label("My bill is wrong, write to jane.doe@example.com");

    harness.get_by_label("View").click();
    harness.run_steps(2);
    harness.get_by_label("Hide personal data").click();
    harness.run_steps(3);
    assert!(harness.state().settings.hide_personal_data);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.get_by_label("My bill is wrong, write to [e-mail]");
    harness.get_by_label("I will write to [e-mail] today.");
    assert_eq!(
        harness
            .query_all_by_label_contains("jane.doe@example.com")
            .count(),
        0
    );

    // The app's export goes through the same redaction and records it.
    let out = dir.path().join("audit.json");
    export_by_path(&mut harness, "JSON file", &out);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains("jane.doe@example.com"), "{written}");
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(json["redaction"]["enabled"], true);
    harness.get_by_label_contains("as JSON file, personal data hidden");
}

#[test]
fn legal_basis_column_filter_details_and_rules_reference() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = flagged_log(dir.path());
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[log]);
    let total = harness.state().session.report().findings.len();
    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);

    // The column names the laws of each finding's rule.
    harness.get_by_label("EU AI Act, California BOT Act");

    // Filter by one law: only the findings of rules citing it stay.
    harness
        .get_by_role_and_label(Role::Button, "Legal basis")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Utah AI disclosure law").click();
    harness.run_steps(3);
    let session = &harness.state().session;
    assert!(
        session
            .filter()
            .laws
            .contains(&candor::rules::Law::UtahAiDisclosure)
    );
    let shown = session.rows().to_vec();
    assert!(!shown.is_empty() && shown.len() < total, "{shown:?}");
    for &row in &shown {
        let rule = session.report().findings[row].rule;
        assert!(rule.citations().contains("Utah Code §13-77-103"), "{rule}");
    }
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.get_by_label(&format!("Showing {} of {total} findings", shown.len()));

    // The selected finding's details list its provisions with their summaries.
    harness.key_press(Key::ArrowDown);
    harness.run_steps(3);
    harness.get_by_label("Utah Code §13-77-103");
    harness.get_by_label(candor::rules::legal::UTAH_13_77_103.summary);
    harness.get_by_label("An indicator for review, not legal advice");

    // Help > Rules reference lists every rule with its provisions and the disclaimer.
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("Rules reference").click();
    harness.run_steps(3);
    harness.get_by_label(candor::rules::DISCLAIMER);
    for rule in candor::rules::RuleId::ALL {
        assert!(
            harness.query_all_by_label(rule.title()).count() >= 1,
            "{rule}"
        );
        for provision in rule.legal_basis() {
            assert!(
                harness.query_all_by_label(provision.summary).count() >= 1,
                "{}",
                provision.citation
            );
        }
    }
}

#[test]
fn export_dialog_signs_off_the_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = flagged_log(dir.path());
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[log]);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::E);
    harness.run_steps(3);
    harness.get_by_label("HTML report").click();
    harness.run_steps(2);
    for (field, text) in [
        ("Organisation", "Northwind Bank"),
        ("Auditor", "Dana Reyes"),
    ] {
        let input = harness.get_by_label(field);
        input.focus();
        input.type_text(text);
        harness.run_steps(2);
    }
    assert_eq!(harness.state().settings.organisation, "Northwind Bank");
    assert_eq!(harness.state().settings.auditor, "Dana Reyes");
    let out = dir.path().join("report.html");
    let field = harness.get_by_label("Or type where to save it");
    field.focus();
    field.type_text(&out.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    settle(&mut harness);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Northwind Bank") && html.contains("Dana Reyes"));
    assert!(html.contains("Not reviewed"));
}

/// A log with a flagged conversation (c1) and one that passes every rule (c2).
fn flagged_and_compliant_log(dir: &Path) -> PathBuf {
    let path = dir.join("mixed.jsonl");
    let mut text = std::fs::read_to_string(flagged_log(dir)).unwrap();
    for line in [
        r#"{"conversation_id":"c2","timestamp":"2026-01-06T09:00:00Z","channel":"email","role":"ai","text":"Hi, I'm a virtual assistant. Type agent to talk to a person."}"#,
        r#"{"conversation_id":"c2","timestamp":"2026-01-06T09:00:10Z","channel":"email","role":"customer","text":"thanks, all sorted"}"#,
    ] {
        text.push('\n');
        text.push_str(line);
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn conversations_view_opens_a_conversation_without_findings_and_marks_it_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = flagged_and_compliant_log(dir.path());
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, std::slice::from_ref(&log));
    let findings_of_c1 = harness.state().session.findings_of_conversation(0).len();
    assert!(findings_of_c1 >= 2);

    harness.get_by_label("Conversations (2 of 2)").click();
    harness.run_steps(3);
    assert_eq!(harness.state().view, View::Conversations);
    harness.get_by_label("Showing 2 of 2 conversations");
    harness.get_by_label(&format!("{findings_of_c1} open findings"));
    harness.get_by_label("Compliant");

    // Select c2 and open it: a conversation with no findings is reachable.
    harness.get_by_label("c2").click();
    harness.run_steps(3);
    harness.get_by_label("No findings in this conversation");
    harness.get_by_label("Open conversation").click();
    harness.run_steps(3);
    assert_eq!(harness.state().view, View::Conversation);
    harness.get_by_label("Conversation c2");
    harness.get_by_label("This conversation passed every rule");
    harness.get_by_label("⏴ Back to conversations");

    // Mark it reviewed with a note; the reviewer's name is recorded.
    let note = harness.get_by_label("Note on the conversation");
    note.focus();
    note.type_text("Sampled: disclosure and offer present");
    harness.run_steps(2);
    harness.get_by_label("Mark conversation reviewed").click();
    harness.run_steps(3);
    let review = harness
        .state()
        .session
        .conversation_review(1)
        .unwrap()
        .clone();
    assert_eq!(review.note, "Sampled: disclosure and offer present");
    assert_eq!(review.reviewer, "Dana");
    harness.get_by_label_contains("Reviewed by Dana");
    harness.get_by_label("⏴ Back to conversations").click();
    harness.run_steps(3);
    assert!(harness.query_all_by_label("Reviewed").count() >= 1);
    assert_eq!(
        harness.state().session.conversation_status(1),
        candor::session::ConversationStatus::Reviewed
    );
    drop(harness);

    // The review is saved with the finding reviews and restored when the same log is opened again.
    let mut reopened = harness_for_reopen(reviews.path());
    open_by_path(&mut reopened, &[log]);
    let restored = reopened.state().session.conversation_review(1).cloned();
    assert_eq!(restored, Some(review));
}

#[test]
fn drill_downs_list_exactly_the_cards_number_and_replace_earlier_filters() {
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    harness.get_by_label("Try the sample logs").click();
    settle(&mut harness);
    let summary = harness.state().session.report().summary.clone();

    // A filter set by hand first.
    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("refund");
    harness.run_steps(4);
    assert_eq!(harness.state().session.filter().text, "refund");
    harness.get_by_label("Overview").click();
    harness.run_steps(3);

    for (card, expected) in [
        ("AI-involved", summary.ai_involved),
        ("Unmet requests for a human", summary.human_requests.unmet),
        ("Conversations", summary.conversations),
    ] {
        harness.get_by_label("Overview").click();
        harness.run_steps(3);
        harness.get_by_label(card).click();
        harness.run_steps(3);
        assert_eq!(harness.state().view, View::Conversations, "{card}");
        let shown = harness.state().session.conversation_rows().len() as u64;
        assert_eq!(shown, expected, "{card}");
        // The earlier search does not stack on the drill-down.
        assert!(harness.state().session.filter().text.is_empty(), "{card}");
    }
    harness.get_by_label("Showing 410 of 410 conversations");

    // The first drill-down said that it replaced the search.
    harness.get_by_label("Overview").click();
    harness.run_steps(3);
    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("refund");
    harness.run_steps(4);
    harness.get_by_label("Overview").click();
    harness.run_steps(3);
    harness.get_by_label("Unmet requests for a human").click();
    harness.run_steps(3);
    harness.get_by_label("Your earlier filters were replaced by this selection from the overview");
    harness.get_by_label("From the overview: Unmet requests for a human ×");
}

#[test]
fn filter_chips_name_their_values_and_are_removed_one_by_one() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = findings_of_flagged_log(dir.path(), reviews.path());
    let total = harness.state().session.report().findings.len();
    let rules: Vec<candor::rules::RuleId> = {
        let mut rules: Vec<_> = harness
            .state()
            .session
            .report()
            .findings
            .iter()
            .map(|f| f.rule)
            .collect();
        rules.sort();
        rules.dedup();
        rules
    };
    assert!(rules.len() >= 2);
    for rule in &rules[..2] {
        // The filter menu sits above the table's "Rule" column header.
        harness
            .query_all_by_role_and_label(Role::Button, "Rule")
            .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
            .unwrap()
            .click();
        harness.run_steps(2);
        harness
            .get_by_role_and_label(Role::CheckBox, rule.title())
            .click();
        harness.run_steps(2);
        harness.key_press(Key::Escape);
        harness.run_steps(2);
    }
    let first = format!("Rule: {} ×", rules[0].title());
    let second = format!("Rule: {} ×", rules[1].title());
    harness.get_by_label(&first);
    harness.get_by_label(&second);
    let both = harness.state().session.rows().len();
    assert!(both < total);

    harness.get_by_label(&first).click();
    harness.run_steps(3);
    assert!(harness.query_by_label(&first).is_none());
    harness.get_by_label(&second);
    let filter = harness.state().session.filter().clone();
    assert_eq!(filter.rules.len(), 1);
    assert!(filter.rules.contains(&rules[1]));

    harness.get_by_label(&second).click();
    harness.run_steps(3);
    assert!(harness.query_by_label(&second).is_none());
    assert!(harness.state().session.filter().is_empty());
    harness.get_by_label(&format!("Showing {total} of {total} findings"));
}

/// The lowest widget named `header`, allowing for a sort arrow: a column header sits lower than a
/// filter button or a tab of the same name.
fn column_header<'h>(
    harness: &'h Harness<'static, AuditApp>,
    header: &'h str,
) -> egui_kittest::Node<'h> {
    // Buttons carry their text as a label, plain labels as a value.
    let by = egui_kittest::kittest::By::new().predicate(move |node| {
        node.label()
            .or_else(|| node.value())
            .is_some_and(|label| label.trim_end_matches([' ', '⏶', '⏷']) == header)
    });
    harness
        .query_all(by)
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap_or_else(|| panic!("no column header {header}"))
}

/// Scrolls each column header of the shown table into view and checks it lands inside the window,
/// left of the details panel (at least its narrowest width).
fn assert_headers_reachable(
    harness: &mut Harness<'static, AuditApp>,
    headers: &[&str],
    width: f32,
) {
    for header in headers {
        column_header(harness, header).scroll_to_me();
        harness.run_steps(3);
        let rect = column_header(harness, header).rect();
        assert!(
            rect.left() >= 0.0 && rect.right() <= width - 260.0,
            "{header} is out of reach at {rect:?}"
        );
    }
}

#[test]
fn every_column_header_is_reachable_at_1024_by_700() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let size = egui::vec2(1024.0, 700.0);
    let mut harness = harness_sized(app(reviews.path()), size);
    harness.run();
    open_by_path(&mut harness, &[flagged_and_compliant_log(dir.path())]);
    harness.get_by_label_contains("Findings (").click();
    harness.run_steps(3);
    assert_headers_reachable(
        &mut harness,
        &[
            "Severity",
            "Rule",
            "Legal basis",
            "Conversation",
            "Channel",
            "Path",
            "Time",
            "Review",
            "Evidence",
        ],
        size.x,
    );
    harness.get_by_label_contains("Conversations (").click();
    harness.run_steps(3);
    assert_headers_reachable(
        &mut harness,
        &[
            "Conversation",
            "Status",
            "Path",
            "Channel",
            "Language",
            "Started",
            "CSAT",
            "Findings",
        ],
        size.x,
    );
}

/// Presses a key and lets the app take it in.
fn press(harness: &mut Harness<'static, AuditApp>, key: Key) {
    harness.key_press(key);
    harness.run_steps(2);
}

#[test]
fn review_shortcuts_confirm_dismiss_note_and_move() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = findings_of_flagged_log(dir.path(), reviews.path());
    let rows = harness.state().session.rows().to_vec();
    assert!(rows.len() >= 2);

    // J selects the first finding, C confirms it.
    press(&mut harness, Key::J);
    assert_eq!(harness.state().session.cursor(), Some(rows[0]));
    press(&mut harness, Key::C);
    assert_eq!(
        harness.state().session.review_status(rows[0]),
        ReviewStatus::Confirmed
    );
    // J moves on, D dismisses, K goes back.
    press(&mut harness, Key::J);
    assert_eq!(harness.state().session.cursor(), Some(rows[1]));
    press(&mut harness, Key::D);
    assert_eq!(
        harness.state().session.review_status(rows[1]),
        ReviewStatus::Dismissed
    );
    press(&mut harness, Key::K);
    assert_eq!(harness.state().session.cursor(), Some(rows[0]));

    // N puts the cursor in the note, without typing an "n" into it; keys then type, not review.
    press(&mut harness, Key::N);
    let note_focused = harness
        .ctx
        .memory(|m| m.focused() == Some(egui::Id::unique("review_note")));
    assert!(note_focused, "the note field has the cursor");
    press(&mut harness, Key::D);
    assert_eq!(
        harness.state().session.review_status(rows[0]),
        ReviewStatus::Confirmed,
        "D in a text field types, it does not dismiss"
    );
    assert!(!harness.state().findings_note().contains('n'));

    // The search field also keeps the keys to itself.
    press(&mut harness, Key::Escape);
    let search = harness.get_by_label("Search");
    search.focus();
    search.type_text("c");
    press(&mut harness, Key::C);
    assert_eq!(
        harness.state().session.review_status(rows[1]),
        ReviewStatus::Dismissed
    );

    // Help > Keyboard shortcuts lists them.
    press(&mut harness, Key::Escape);
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("Keyboard shortcuts").click();
    harness.run_steps(3);
    harness.get_by_label("Next finding or conversation");
    harness.get_by_label("Dismiss as false positive (the selected findings)");
}

#[test]
fn conversation_list_moves_with_j_and_k_and_c_marks_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[flagged_and_compliant_log(dir.path())]);
    harness.get_by_label_contains("Conversations (").click();
    harness.run_steps(3);
    press(&mut harness, Key::J);
    press(&mut harness, Key::J);
    assert_eq!(harness.state().session.open_conversation(), Some(1));
    press(&mut harness, Key::K);
    assert_eq!(harness.state().session.open_conversation(), Some(0));
    press(&mut harness, Key::C);
    assert!(harness.state().session.conversation_review(0).is_some());
    // Enter opens it; J on the conversation goes to the next conversation of the list.
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().view, View::Conversation);
    press(&mut harness, Key::J);
    assert_eq!(harness.state().session.open_conversation(), Some(1));
    harness.get_by_label("Conversation c2");
}

#[test]
fn file_menu_opens_adds_and_closes_by_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[flagged_log(dir.path())]);
    assert_eq!(harness.state().session.report().inputs.len(), 1);

    // File > Add… with a typed path and Enter: both files are audited together.
    let other = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rule_disclosure_missing.jsonl");
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Add…").click();
    harness.run_steps(3);
    let field = harness.get_by_label("Path of a file or folder");
    field.focus();
    field.type_text(&other.display().to_string());
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(harness.state().session.report().inputs.len(), 2);
    assert!(harness.query_by_label("Add logs").is_none());

    // File > Open… (Ctrl+O) replaces them.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    let field = harness.get_by_label("Path of a file or folder");
    field.focus();
    field.type_text(&other.display().to_string());
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(harness.state().session.report().inputs.len(), 1);

    // File > Close returns to the start screen.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    assert!(!harness.state().session.is_loaded());
    harness.get_by_label("Or type the path of a file or folder");
}

#[test]
fn export_path_takes_enter_offers_open_report_and_banners_do_not_stack() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[flagged_log(dir.path())]);
    let total = harness.state().session.report().findings.len();
    let out = dir.path().join("by-enter.csv");
    for _ in 0..2 {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::E);
        harness.run_steps(3);
        let field = harness.get_by_label("Or type where to save it");
        field.focus();
        field.type_text(&out.display().to_string());
        harness.run_steps(1);
        harness.key_press(Key::Enter);
        settle(&mut harness);
    }
    assert!(out.exists());
    // The same export twice shows one banner, with a way to open the file.
    let banner = format!("Exported {total} findings as CSV table");
    assert_eq!(harness.query_all_by_label(&banner).count(), 1);
    harness.get_by_label("Open report");
}

#[test]
fn a_conversation_over_several_days_shows_dates_with_times() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let path = dir.path().join("two_days.jsonl");
    let lines = [
        r#"{"conversation_id":"d1","timestamp":"2026-01-05T23:50:00Z","channel":"email","role":"customer","text":"My card was charged twice"}"#,
        r#"{"conversation_id":"d1","timestamp":"2026-01-06T09:00:00Z","channel":"email","role":"ai","text":"I can look at that for you."}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[path]);
    harness.get_by_label_contains("Conversations (").click();
    harness.run_steps(3);
    harness.get_by_label("d1").click();
    harness.run_steps(2);
    harness.get_by_label("Open conversation").click();
    harness.run_steps(3);
    harness.get_by_label("Message 1 · Mon 2026-01-05 23:50:00");
    harness.get_by_label("Message 2 · Tue 2026-01-06 09:00:00");
}

#[test]
fn the_overview_follows_the_channel_filter_and_its_drill_downs_match() {
    use egui::accesskit::Role;
    let reviews = tempfile::tempdir().unwrap();
    let mut harness = harness(app(reviews.path()));
    harness.run();
    harness.get_by_label("Try the sample logs").click();
    settle(&mut harness);
    let (channel, expected) = {
        let report = harness.state().session.report();
        let (channel, stats) = report.summary.by_channel.iter().next().unwrap();
        (channel.clone(), stats.conversations)
    };
    assert!(expected < 410);
    harness
        .get_by_role_and_label(Role::Button, "Channel")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::CheckBox, &channel)
        .click();
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    let session = &harness.state().session;
    assert!(session.summary_is_scoped());
    assert_eq!(session.summary().conversations, expected);
    harness.get_by_label(&format!(
        "The figures below cover the {expected} conversations of this period and these channels"
    ));
    harness.get_by_label(&format!("Channel: {channel} ×"));

    // A card's drill-down lists exactly its scoped number.
    let unmet = harness.state().session.summary().human_requests.unmet;
    harness.get_by_label("Unmet requests for a human").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().session.conversation_rows().len() as u64,
        unmet
    );
}

/// The built-in rule pack under another name, without German: German conversations are then not assessed.
fn pack_without_german(dir: &Path) -> PathBuf {
    let default = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/rules/default.toml"),
    )
    .unwrap();
    let start = default.find("[languages.de]").unwrap();
    let end = default.find("[languages.fr]").unwrap();
    let pack = format!("{}{}", &default[..start], &default[end..])
        .replace("name = \"candor-default\"", "name = \"no-german\"");
    let path = dir.join("no-german.toml");
    std::fs::write(&path, pack).unwrap();
    path
}

#[test]
fn a_rule_pack_or_language_change_audits_the_open_logs_again_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = dir.path().join("two.jsonl");
    let lines = [
        r#"{"conversation_id":"c1","role":"ai","text":"I can look at that for you."}"#,
        r#"{"conversation_id":"c1","role":"customer","text":"are you a bot?"}"#,
        r#"{"conversation_id":"c1","role":"ai","text":"No, I'm a real person here to help."}"#,
        r#"{"conversation_id":"de1","role":"ai","text":"Guten Tag! Ich prüfe gerne Ihre Rechnung. Können Sie mir bitte Ihre Kundennummer nennen?"}"#,
        r#"{"conversation_id":"de1","role":"customer","text":"Meine Rechnung ist viel zu hoch, das kann doch nicht sein."}"#,
        r#"{"conversation_id":"de1","role":"ai","text":"Ich habe die Rechnung korrigiert, vielen Dank für Ihre Geduld."}"#,
    ];
    std::fs::write(&log, lines.join("\n")).unwrap();
    let pack = pack_without_german(dir.path());
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, std::slice::from_ref(&log));
    let before = harness.state().session.report().clone();
    assert!(before.findings.iter().any(|f| f.conversation_id == "de1"));
    let denial = before
        .findings
        .iter()
        .position(|f| f.rule == candor::rules::RuleId::AiIdentityDenied)
        .unwrap();
    harness
        .state_mut()
        .session
        .apply(
            candor::session::Command::SetReview {
                findings: vec![denial],
                status: ReviewStatus::Confirmed,
                note: String::new(),
            },
            chrono::Utc::now(),
        )
        .unwrap();
    // Reading the file again would now fail: whatever follows comes from memory.
    std::fs::remove_file(&log).unwrap();

    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .handle(candor::ui::Action::SetRulePack(Some(pack.clone())), &ctx);
    settle(&mut harness);
    let report = harness.state().session.report().clone();
    assert_eq!(report.rules.pack, "no-german");
    assert!(report.findings.iter().all(|f| f.conversation_id != "de1"));
    assert_eq!(report.summary.not_assessed, 1);
    assert_eq!(report.inputs, before.inputs);
    harness.get_by_label_contains("Audited again with rule pack no-german");
    harness.get_by_label_contains("The logs were not read again");
    assert!(
        harness
            .query_by_label_contains("could not be read")
            .is_none()
    );
    assert!(harness.state().notifications.iter().all(|n| !n.error));
    // The review decision followed its finding.
    let denial = report
        .findings
        .iter()
        .position(|f| f.rule == candor::rules::RuleId::AiIdentityDenied)
        .unwrap();
    assert_eq!(
        harness.state().session.review_status(denial),
        ReviewStatus::Confirmed
    );

    // Rules ▸ Read all as English, from memory too: the German conversation gets a verdict again.
    harness.get_by_label("Rules").click();
    harness.run_steps(2);
    harness.get_by_label("Read all as English").click();
    settle(&mut harness);
    let report = harness.state().session.report();
    assert_eq!(report.summary.not_assessed, 0);
    assert!(report.findings.iter().any(|f| f.conversation_id == "de1"));
    assert!(harness.state().notifications.iter().all(|n| !n.error));
    assert!(harness.state().session.is_loaded());
}

/// A canonical JSON Lines log of `conversations` short conversations.
fn large_log(dir: &Path, conversations: usize) -> PathBuf {
    use std::io::Write as _;
    let path = dir.join("large.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..conversations {
        for (role, text) in [
            (
                "customer",
                "Hello, my last bill is higher than usual, can you check it?",
            ),
            ("ai", "I can look at that for you. Which month do you mean?"),
            (
                "customer",
                "March, please. I want to talk to a person about it.",
            ),
            (
                "ai",
                "I have checked March: a one-off fee was added. Anything else?",
            ),
        ] {
            writeln!(
                out,
                r#"{{"conversation_id":"conv-{i:07}","channel":"chat","role":"{role}","text":"{text}"}}"#
            )
            .unwrap();
        }
    }
    out.flush().unwrap();
    path
}

#[test]
fn opening_a_large_file_shows_bytes_and_conversations_as_they_are_read_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = large_log(dir.path(), 60_000);
    let total_mb = format!(
        "of {:.1} MB",
        std::fs::metadata(&log).unwrap().len() as f64 / 1e6
    );
    let mut harness = harness(app(reviews.path()));
    harness.run();
    let ctx = harness.ctx.clone();
    harness.state_mut().handle(
        candor::ui::Action::Session(candor::session::Command::OpenPaths(vec![log])),
        &ctx,
    );
    // Step until the card shows bytes read of the file's size and some conversations.
    let started = std::time::Instant::now();
    let mut shown = None;
    while started.elapsed() < std::time::Duration::from_secs(120) {
        harness.step();
        let bytes = harness.query_by_label_contains(&total_mb).is_some();
        let conversations = harness
            .query_by_label_contains("conversations read so far")
            .and_then(|node| {
                // Plain labels carry their text as the node's value.
                let label = node.accesskit_node().value()?;
                let count: String = label.chars().take_while(|c| *c != ' ').collect();
                count.replace(',', "").parse::<u64>().ok()
            })
            .filter(|&n| n > 0);
        if let (true, Some(n)) = (bytes, conversations) {
            shown = Some(n);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let shown = shown.expect("the progress card showed bytes and conversations");
    assert!(shown < 60_000, "still reading when shown: {shown}");
    harness.get_by_label("Opening logs…");
    // The card's Cancel (the status bar has one too).
    harness.get_all_by_label("Cancel").next().unwrap().click();
    settle(&mut harness);
    assert!(!harness.state().session.is_loaded());
    assert!(harness.query_by_label("Opening logs…").is_none());
    harness.get_by_label_contains("Opening the logs was cancelled");
}

#[test]
fn auditing_again_shows_its_progress_and_a_cancel_keeps_the_findings_and_the_choice_shown() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = tempfile::tempdir().unwrap();
    let log = large_log(dir.path(), 20_000);
    let mut harness = harness(app(reviews.path()));
    harness.run();
    open_by_path(&mut harness, &[log]);
    let before = harness.state().session.report().clone();
    assert_eq!(before.summary.conversations, 20_000);

    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .handle(candor::ui::Action::SetLanguage(Some("de".to_owned())), &ctx);
    harness.step();
    // The status bar counts the conversations audited so far, of all of them, with Cancel beside it.
    let status = harness
        .get_by_label_contains("Auditing again with the new rules…")
        .accesskit_node()
        .value()
        .unwrap();
    assert!(status.ends_with(" of 20,000 conversations"), "{status}");
    assert_eq!(harness.state().settings.language.as_deref(), Some("de"));
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    assert_eq!(harness.state().settings.language, None);
    assert_eq!(harness.state().session.report(), &before);
    harness.get_by_label_contains(
        "Auditing again was cancelled: the findings shown are still those of rule pack candor-default",
    );
    assert!(
        harness
            .query_by_label_contains("Auditing again with the new rules…")
            .is_none()
    );
}
