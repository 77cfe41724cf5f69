//! Snapshots of every screen at 80×24 and 120×40 (ratatui `TestBackend` + insta), with
//! the clock pinned and deterministic data, so a change in what staff see shows in review.

mod console_support;

use console_support::*;
use crossterm::event::KeyCode;
use daycare::console::action::{Msg, Tab};
use daycare::console::app::App;
use daycare::store::Page;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn check(name: &str, build: impl Fn(u16, u16) -> App) {
    for (w, h) in SIZES {
        let app = build(w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&app));
    }
}

fn dashboard(w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.on_msg(Msg::Dashboard {
        spots: spots(),
        counts: counts(),
        today: today_counts(),
        later: [0; 7],
        recent: rows(10),
    });
    app.on_msg(Msg::Waitlist(console_support::lists::waitlist()));
    app.on_msg(Msg::AgeingOut(2));
    app
}

#[test]
fn dashboard_screen() {
    check("dashboard", dashboard);
}

#[test]
fn register_empty_form() {
    check("register_empty", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('2'));
        app
    });
}

#[test]
fn register_with_problems() {
    check("register_problems", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('2'));
        typed(&mut app, "Amara");
        app.register.focus = Some(2);
        typed(&mut app, "2023-13-40");
        app.on_key(ctrl('s'));
        app
    });
}

fn loaded_tutorial(w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.on_key(key('2'));
    app.on_msg(Msg::FileLoaded(Ok(
        serde_json::from_str(TUTORIAL_INPUT).unwrap()
    )));
    app
}

#[test]
fn register_running() {
    check("register_running", |w, h| {
        let mut app = loaded_tutorial(w, h);
        app.on_key(code(KeyCode::Enter));
        app.on_msg(Msg::Progress(entered("Check Information", 2)));
        app.on_msg(Msg::Progress(entered("Information Complete?", 7)));
        app.on_msg(Msg::Progress(entered("Check Age Range", 9)));
        app
    });
}

#[test]
fn register_succeeded() {
    check("register_succeeded", |w, h| {
        let mut app = loaded_tutorial(w, h);
        app.on_key(code(KeyCode::Enter));
        for (i, name) in [
            "Check Information",
            "Information Complete?",
            "Check Age Range",
            "Age In Range?",
            "Check Spots Availability",
            "Spots Available?",
            "Confirm Registration",
            "Registration Confirmed?",
            "Registered",
        ]
        .iter()
        .enumerate()
        {
            app.on_msg(Msg::Progress(entered(name, i as u64 + 2)));
        }
        app.on_msg(Msg::Submitted(Ok(Box::new(succeeded_outcome()))));
        app
    });
}

#[test]
fn register_refused() {
    check("register_refused", |w, h| {
        let mut app = loaded_tutorial(w, h);
        app.on_key(code(KeyCode::Enter));
        for (i, name) in [
            "Check Information",
            "Information Complete?",
            "Check Age Range",
            "Age In Range?",
            "Age Out Of Range",
        ]
        .iter()
        .enumerate()
        {
            app.on_msg(Msg::Progress(entered(name, i as u64 + 2)));
        }
        let loaded = refused_execution();
        let mut outcome = succeeded_outcome();
        outcome.execution = loaded.summary.clone();
        outcome.child = "Mohamed Diallo".into();
        outcome.fees = None;
        outcome.age = None;
        outcome.start_date = None;
        app.on_msg(Msg::Submitted(Ok(Box::new(outcome))));
        app
    });
}

fn executions(w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.on_key(key('3'));
    let generation = app.executions.generation;
    app.on_msg(Msg::Executions {
        generation,
        index: 0,
        page: Page {
            rows: rows(60),
            next: None,
        },
    });
    app.on_key(key('j'));
    app
}

#[test]
fn executions_screen() {
    check("executions", executions);
}

#[test]
fn executions_filtered_prompt() {
    check("executions_filter_prompt", |w, h| {
        let mut app = executions(w, h);
        app.on_key(key('s'));
        app.on_key(key('/'));
        typed(&mut app, "amara");
        app
    });
}

fn detail(w: u16, h: u16) -> App {
    let mut app = executions(w, h);
    app.on_key(code(KeyCode::Enter));
    let mut loaded = refused_execution();
    loaded.summary.name = "registration-0999".into();
    app.on_msg(opened(loaded));
    app
}

#[test]
fn execution_detail_failed() {
    check("detail_failed", detail);
}

#[test]
fn execution_detail_input_of_a_task() {
    check("detail_task_input", |w, h| {
        let mut app = detail(w, h);
        app.on_key(key('g'));
        app.on_key(key('j'));
        app.on_key(key('j'));
        app
    });
}

#[test]
fn execution_detail_history_pane() {
    check("detail_history", |w, h| {
        let mut app = detail(w, h);
        // States, input, output, history.
        app.on_key(code(KeyCode::Tab));
        app.on_key(code(KeyCode::Tab));
        app.on_key(code(KeyCode::Tab));
        app.on_key(key('j'));
        app
    });
}

fn children_screen(w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(children()));
    app
}

#[test]
fn children_list() {
    check("children", children_screen);
}

#[test]
fn children_withdraw_confirmation() {
    check("children_confirm", |w, h| {
        let mut app = children_screen(w, h);
        app.on_key(key('w'));
        typed(&mut app, "Moving to Lyon");
        app.on_key(code(KeyCode::Enter));
        app.on_key(code(KeyCode::Enter));
        app
    });
}

#[test]
fn children_withdraw_reason_prompt() {
    check("children_withdraw_reason", |w, h| {
        let mut app = children_screen(w, h);
        app.on_key(key('w'));
        typed(&mut app, "Moving");
        app
    });
}

#[test]
fn children_withdraw_date_prompt() {
    check("children_withdraw_date", |w, h| {
        let mut app = children_screen(w, h);
        app.on_key(key('w'));
        typed(&mut app, "Moving to Lyon");
        app.on_key(code(KeyCode::Enter));
        app
    });
}

#[test]
fn children_found_by_a_parent_and_sorted_by_age() {
    check("children_found_sorted", |w, h| {
        let mut app = children_screen(w, h);
        app.on_key(key('s'));
        app.on_key(key('/'));
        typed(&mut app, "sofia");
        app.on_key(code(KeyCode::Enter));
        app
    });
}

#[test]
fn children_withdrawn_view() {
    check("children_withdrawn", |w, h| {
        let mut app = children_screen(w, h);
        app.on_key(key('v'));
        let mut lena = children()[1].clone();
        lena.status = daycare::store::RegistrationStatus::Withdrawn;
        app.on_msg(Msg::WithdrawnChildren(vec![lena]));
        app
    });
}

/// The record of the `n`th child of the list, opened with Enter and read.
fn record_screen(w: u16, h: u16, n: usize, withdrawn: bool) -> App {
    let mut app = children_screen(w, h);
    let mut child = app.children.rows[n].clone();
    if withdrawn {
        child.status = daycare::store::RegistrationStatus::Withdrawn;
    }
    for _ in 0..n {
        app.on_key(key('j'));
    }
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&child));
    app
}

#[test]
fn record_with_instructions_and_two_parents() {
    check("record", |w, h| record_screen(w, h, 0, false));
}

#[test]
fn record_of_a_withdrawn_child() {
    check("record_withdrawn", |w, h| record_screen(w, h, 1, true));
}

#[test]
fn record_with_changes_and_a_leaving_day() {
    check("record_changes", |w, h| {
        let mut app = children_screen(w, h);
        let mut child = app.children.rows[0].clone();
        child.leaves_on = Some(today() + chrono::Days::new(29));
        child.withdraw_reason = Some("The family moves to Lyon".into());
        app.on_key(code(KeyCode::Enter));
        app.on_msg(record_of(&child));
        let entry = |id: i64, minutes: i64, kind, summary: &str| daycare::store::AuditEntry {
            id,
            at: t0() + chrono::Duration::minutes(minutes),
            staff: "Ines".into(),
            kind,
            registration_id: Some(child.id),
            waitlist_id: None,
            child: Some(child.child()),
            summary: summary.into(),
            before: None,
            after: None,
            execution_name: None,
        };
        app.on_msg(Msg::RecordChanges {
            id: child.id,
            entries: vec![
                entry(
                    3,
                    120,
                    daycare::store::AuditKind::Withdrawal,
                    "Withdrawn from 2026-09-30: The family moves to Lyon",
                ),
                entry(
                    2,
                    60,
                    daycare::store::AuditKind::Amendment,
                    "Days: Mon Wed Fri → Mon Tue Wed Fri",
                ),
            ],
        });
        // The changes are at the end of the record.
        app.on_key(key('G'));
        app
    });
}

/// Amara's change form, Tuesday ticked, a refusal under it.
#[test]
fn record_change_form_refused() {
    check("record_amend", |w, h| {
        let mut app = record_screen(w, h, 0, false);
        app.on_key(key('e'));
        app.on_key(code(KeyCode::Right));
        app.on_key(key(' '));
        app.on_key(ctrl('s'));
        app.on_msg(Msg::Amended {
            id: 3,
            result: Err("No spot for Amara Okafor on Tuesday (full).".into()),
        });
        // On the mother's phone, caret in the field.
        for _ in 0..3 {
            app.on_key(code(KeyCode::Tab));
        }
        app
    });
}

#[test]
fn spots_screen() {
    check("spots", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('5'));
        app.on_msg(Msg::Spots(spots()));
        app.on_key(key('e'));
        app
    });
}

#[test]
fn help_screen() {
    check("help", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('?'));
        app
    });
}

#[test]
fn too_small_screen() {
    let mut app = app(120, 40);
    app.on_resize(60, 20);
    insta::assert_snapshot!("too_small_60x20", screen(&app));
}

#[test]
fn before_the_database_opens() {
    let app = App::new(
        clock(),
        daycare::console::theme::Theme::monochrome(),
        (80, 24),
    );
    assert_eq!(app.tab, Tab::Dashboard);
    insta::assert_snapshot!("opening_80x24", screen(&app));
}

#[test]
fn waitlist_screen() {
    check("waitlist", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('6'));
        app.on_msg(Msg::Waitlist(console_support::lists::waitlist()));
        app.on_key(key('j'));
        app
    });
}

#[test]
fn waitlist_offer_question() {
    check("waitlist_offer", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('6'));
        app.on_msg(Msg::Waitlist(console_support::lists::waitlist()));
        app.on_key(key('o'));
        app
    });
}

#[test]
fn audit_screen() {
    check("audit", |w, h| {
        let mut app = app(w, h);
        app.on_key(key('7'));
        app.on_msg(Msg::Audit {
            filter: Default::default(),
            entries: console_support::lists::audit(),
        });
        app.on_key(key('j'));
        app
    });
}

#[test]
fn execution_detail_refused_for_want_of_spots() {
    check("detail_no_spots", |w, h| {
        let mut app = app(w, h);
        let stored = console_support::lists::spots_refused_execution();
        app.open_execution(stored.summary.name.clone());
        app.on_msg(opened(stored));
        app
    });
}
