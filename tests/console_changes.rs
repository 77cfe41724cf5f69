//! Changing a child's record from the console, a key (or a background report) in, state
//! and commands out: the change form (only what changed goes to the desk, a refusal keeps
//! what was typed, Esc with changes asks), withdrawing from the record, the record's
//! history, the class list and contact sheet, and a withdrawn registration's execution.

mod console_support;

use console_support::*;
use crossterm::event::KeyCode;
use daycare::console::action::{Command, Msg};
use daycare::console::app::App;
use daycare::console::keymap::Context;
use daycare::store::{AuditEntry, AuditKind, RegistrationStatus};
use serde_json::json;

/// Amara Okafor's record (Mon Wed Fri, two parents, a peanut allergy), open and read.
fn amara(width: u16, height: u16) -> App {
    let mut app = app(width, height);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(children()));
    let child = app.children.selected().unwrap().clone();
    assert_eq!(child.first_name, "Amara");
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&child));
    app
}

/// The change form's one Amend command: its registration and changes.
fn amend_of(commands: &[Command]) -> (i64, serde_json::Map<String, serde_json::Value>) {
    match commands {
        [Command::Amend { id, changes }] => (*id, changes.clone()),
        other => panic!("one amendment expected: {other:?}"),
    }
}

#[test]
fn e_opens_the_form_filled_from_the_record_and_saves_only_the_added_day() {
    let mut app = amara(120, 40);
    assert!(app.on_key(key('e')).is_empty());
    assert_eq!(app.context(), Context::AmendDays);
    let amend = app.amend.as_ref().unwrap();
    assert_eq!(amend.days, [true, false, true, false, true, false, false]);
    let values: Vec<&str> = amend.fields.iter().map(|f| f.value.as_str()).collect();
    assert!(
        values.contains(&"Ngozi") && values.contains(&"555-0101"),
        "{values:?}"
    );
    assert!(values.iter().any(|v| v.starts_with("Peanut allergy")));
    // Tuesday on.
    app.on_key(code(KeyCode::Right));
    app.on_key(key(' '));
    let (id, changes) = amend_of(&app.on_key(ctrl('s')));
    assert_eq!(id, 3);
    assert_eq!(
        serde_json::Value::Object(changes),
        json!({"daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Friday"]}),
        "only the days changed"
    );
    assert!(app.amend.as_ref().unwrap().saving);
    // While it runs, the form stays: its outcome comes to it.
    assert!(app.on_key(code(KeyCode::Esc)).is_empty());
    assert!(app.on_key(ctrl('s')).is_empty(), "saved once");
    assert!(app.amend.is_some());
    // Saved: the form closes and the record is read again.
    let commands = app.on_msg(Msg::Amended {
        id: 3,
        result: Ok(()),
    });
    assert!(app.amend.is_none());
    assert!(commands.iter().any(|c| matches!(c, Command::LoadRecord(3))));
    assert_eq!(app.context(), Context::Record);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Amara Okafor's record is changed")
    );
}

#[test]
fn a_refusal_is_said_plainly_and_the_form_keeps_what_was_typed() {
    let mut app = amara(80, 24);
    app.on_key(key('e'));
    app.on_key(code(KeyCode::Right));
    app.on_key(key(' '));
    app.on_key(ctrl('s'));
    let refusal = "No spot for Amara Okafor on Tuesday (full).";
    let commands = app.on_msg(Msg::Amended {
        id: 3,
        result: Err(refusal.into()),
    });
    assert!(commands.is_empty());
    let amend = app.amend.as_ref().expect("the form stays open");
    assert!(!amend.saving);
    assert!(amend.days[1], "Tuesday is still ticked");
    assert_eq!(amend.error.as_deref(), Some(refusal));
    let text = screen(&app);
    assert!(text.contains("Tuesday (full)"), "{text}");
}

#[test]
fn typing_in_a_field_never_triggers_a_shortcut() {
    let mut app = amara(120, 40);
    app.on_key(key('e'));
    // Mother's first name (Tab from the days).
    app.on_key(code(KeyCode::Tab));
    assert_eq!(app.context(), Context::AmendText);
    app.on_key(ctrl('u'));
    typed(&mut app, "q?1w5e y/");
    assert!(!app.quit, "q did not quit");
    assert!(!app.help, "? did not open the help");
    assert_eq!(
        app.tab,
        daycare::console::action::Tab::Children,
        "1 and 5 did not switch"
    );
    assert_eq!(app.amend.as_ref().unwrap().fields[0].value, "q?1w5e y/");
    // On the days, letters do nothing either.
    app.on_key(code(KeyCode::BackTab));
    assert_eq!(app.context(), Context::AmendDays);
    for c in ['q', '?', '2', 'w', 'e'] {
        assert!(app.on_key(key(c)).is_empty());
    }
    assert!(!app.quit && !app.help && app.amend.is_some());
    assert_eq!(
        app.amend.as_ref().unwrap().days,
        [true, false, true, false, true, false, false]
    );
}

#[test]
fn a_changed_parent_sends_every_parent_and_emptied_instructions_send_null() {
    let mut app = amara(120, 40);
    app.on_key(key('e'));
    // Mother's phone: days, first, last, phone.
    for _ in 0..3 {
        app.on_key(code(KeyCode::Tab));
    }
    app.on_key(ctrl('u'));
    typed(&mut app, "555-0177");
    // The instructions: after the father's four fields.
    for _ in 0..6 {
        app.on_key(code(KeyCode::Tab));
    }
    assert_eq!(
        app.amend.as_ref().unwrap().fields[8].label,
        "Instructions",
        "the instructions follow the parents"
    );
    app.on_key(ctrl('u'));
    let (_, changes) = amend_of(&app.on_key(ctrl('s')));
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes["specialInstructions"], serde_json::Value::Null);
    assert_eq!(
        changes["parents"],
        json!({
            "mother": {"firstName": "Ngozi", "lastName": "Okafor", "email": "ngozi@example.com", "phone": "555-0177"},
            "father": {"firstName": "Chidi", "lastName": "Okafor", "email": "chidi@example.com", "phone": "555-0101"}
        })
    );
}

#[test]
fn saving_nothing_changed_says_so_and_sends_nothing() {
    let mut app = amara(120, 40);
    app.on_key(key('e'));
    assert!(app.on_key(ctrl('s')).is_empty());
    let error = app.amend.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("nothing was changed"), "{error}");
}

#[test]
fn esc_with_changes_asks_and_enter_keeps_the_form() {
    let mut app = amara(120, 40);
    app.on_key(key('e'));
    // Unchanged, Esc just closes.
    app.on_key(code(KeyCode::Esc));
    assert!(app.amend.is_none());
    assert_eq!(app.context(), Context::Record);
    app.on_key(key('e'));
    app.on_key(key('x'));
    app.on_key(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Confirm);
    assert!(
        app.confirm
            .as_ref()
            .unwrap()
            .message
            .contains("lose the changes")
    );
    // Enter answers No: the form and what was typed stay.
    app.on_key(code(KeyCode::Enter));
    assert!(app.amend.as_ref().unwrap().edited());
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('y'));
    assert!(app.amend.is_none(), "yes discards");
    assert_eq!(app.context(), Context::Record);
    // Ctrl-C with changes asks too.
    app.on_key(key('e'));
    app.on_key(key('x'));
    app.on_key(ctrl('c'));
    assert!(!app.quit);
    assert_eq!(app.context(), Context::Confirm);
}

#[test]
fn a_withdrawn_record_cannot_be_changed_or_withdrawn_again() {
    let mut app = app(120, 40);
    app.on_key(key('4'));
    let mut child = children().remove(0);
    child.status = RegistrationStatus::Withdrawn;
    child.leaves_on = Some(today());
    child.withdraw_reason = Some("Moved to Lyon".into());
    app.on_msg(Msg::Children(vec![child.clone()]));
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&child));
    assert!(app.on_key(key('e')).is_empty());
    assert!(app.amend.is_none());
    assert!(app.status.as_ref().unwrap().text.contains("read-only"));
    assert!(app.on_key(key('w')).is_empty());
    assert!(app.prompt.is_none());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("already withdrawn")
    );
    let text = screen(&app);
    assert!(text.contains("Left on 2026-09-01: Moved to Lyon"), "{text}");
}

#[test]
fn w_on_the_record_asks_why_and_when_then_runs_the_withdrawal_and_reads_the_record_again() {
    let mut app = amara(120, 40);
    app.on_key(key('w'));
    assert_eq!(app.context(), Context::Prompt);
    typed(&mut app, "Moving to Lyon");
    app.on_key(code(KeyCode::Enter));
    app.on_key(ctrl('u'));
    typed(&mut app, "2026-09-30");
    app.on_key(code(KeyCode::Enter));
    let commands = app.on_key(key('y'));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    assert!(
        matches!(&commands[..], [Command::Withdraw { id: 3, reason, on }] if reason == "Moving to Lyon" && *on == day),
        "{commands:?}"
    );
    let mut leaving = children().remove(0);
    leaving.leaves_on = Some(day);
    leaving.withdraw_reason = Some("Moving to Lyon".into());
    let commands = app.on_msg(Msg::Withdrawn(Ok(leaving.clone())));
    assert!(commands.iter().any(|c| matches!(c, Command::LoadRecord(3))));
    app.on_msg(record_of(&leaving));
    let text = screen(&app);
    assert!(
        text.contains("Leaves on 2026-09-30: Moving to Lyon"),
        "{text}"
    );
}

fn entry(id: i64, minutes: i64, kind: AuditKind, summary: &str) -> AuditEntry {
    AuditEntry {
        id,
        at: t0() + chrono::Duration::minutes(minutes),
        staff: "Ines".into(),
        kind,
        registration_id: Some(3),
        waitlist_id: None,
        child: Some("Amara Okafor".into()),
        summary: summary.into(),
        before: None,
        after: None,
        execution_name: None,
    }
}

#[test]
fn the_record_lists_its_changes_newest_first_under_the_enrolment() {
    let mut app = amara(120, 40);
    app.on_msg(Msg::RecordChanges {
        id: 3,
        entries: vec![
            entry(2, 90, AuditKind::Amendment, "Instructions changed"),
            entry(
                1,
                60,
                AuditKind::Amendment,
                "Days: Mon Wed Fri → Mon Tue Wed Fri",
            ),
        ],
    });
    let whats: Vec<&str> = app
        .record
        .as_ref()
        .unwrap()
        .changes
        .iter()
        .map(|c| c.what.as_str())
        .collect();
    assert_eq!(
        whats,
        [
            "Enrolled by execution okafor-amara-00000003",
            "Instructions changed",
            "Days: Mon Wed Fri → Mon Tue Wed Fri"
        ]
    );
    let text = screen(&app);
    assert!(
        text.contains("2026-09-01 11:00") && text.contains("Ines"),
        "{text}"
    );
    // Another record's entries are not this one's.
    app.on_msg(Msg::RecordChanges {
        id: 99,
        entries: Vec::new(),
    });
    assert_eq!(app.record.as_ref().unwrap().changes.len(), 3);
}

#[test]
fn the_children_list_writes_a_class_list_for_a_weekday_and_the_contact_sheet() {
    let mut app = amara(120, 40);
    app.on_key(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Children);
    assert!(app.on_key(key('x')).is_empty());
    assert_eq!(app.context(), Context::Prompt);
    typed(&mut app, "someday");
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    assert!(
        app.prompt
            .as_ref()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("weekday")
    );
    app.on_key(ctrl('u'));
    typed(&mut app, "mon");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(
        matches!(commands[..], [Command::ExportRoster(chrono::Weekday::Mon)]),
        "{commands:?}"
    );
    app.on_msg(Msg::SheetWritten {
        what: "class list for Monday".into(),
        written: Ok(("/tmp/out/class-list-monday-2.csv".into(), 3)),
    });
    let status = app.status.as_ref().unwrap();
    assert!(!status.error);
    assert_eq!(
        status.text,
        "Class list for Monday written (3 rows) to /tmp/out/class-list-monday-2.csv"
    );
    let commands = app.on_key(key('X'));
    assert!(
        matches!(commands[..], [Command::ExportContacts]),
        "{commands:?}"
    );
    app.on_msg(Msg::SheetWritten {
        what: "contact sheet".into(),
        written: Err("cannot write into the export folder /x: denied.".into()),
    });
    assert!(app.status.as_ref().unwrap().error);
}

#[test]
fn a_succeeded_execution_whose_registration_was_withdrawn_says_so() {
    let mut app = app(120, 40);
    let mut stored = refused_execution();
    stored.summary.status = daycare::workflow::ExecutionStatus::Succeeded;
    stored.summary.error = None;
    stored.summary.cause = None;
    let name = stored.summary.name.clone();
    app.open_execution(name.clone());
    app.on_msg(opened(stored));
    app.on_msg(Msg::MadeRegistration {
        execution: name.clone(),
        id: 12,
    });
    app.on_msg(Msg::MadeRegistrationWithdrawn {
        execution: name,
        id: 12,
        on: today(),
        reason: Some("Moved to Lyon".into()),
    });
    let text = screen(&app);
    assert!(
        text.contains("Registration 12 was withdrawn on 2026-09-01: Moved to Lyon"),
        "{text}"
    );
}

#[test]
fn a_long_change_is_folded_at_words_never_cut() {
    let mut app = amara(80, 24);
    let reason = "Withdrawn from 2026-09-30: the family moves to Lyon in the autumn, where the father starts a new post";
    app.on_msg(Msg::RecordChanges {
        id: 3,
        entries: vec![entry(1, 60, AuditKind::Withdrawal, reason)],
    });
    app.on_key(key('G'));
    let text = screen(&app);
    let flat: String = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("where the father starts a new post"),
        "{text}"
    );
    assert!(!text.contains("Lyon…"), "{text}");
}
