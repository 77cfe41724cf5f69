//! Console state tests: a key (or a background report) in, state and commands out.
//! No terminal is involved.

mod console_support;

use console_support::*;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use daycare::console::action::{Command, Msg, Tab};
use daycare::console::app::PromptKind;
use daycare::console::graph::Mark;
use daycare::console::keymap::Context;
use daycare::store::{ExecutionFilter, Page, Store};
use daycare::workflow::{ExecutionStatus, ExecutionSummary};

fn loaded_dashboard() -> daycare::console::app::App {
    let mut app = app(120, 40);
    app.on_msg(Msg::Dashboard {
        spots: spots(),
        counts: counts(),
        today: today_counts(),
        later: [0; 7],
        recent: rows(10),
    });
    app
}

// Global conventions.

#[test]
fn q_quits_and_number_keys_switch_screens_in_order() {
    let mut app = app(120, 40);
    app.on_key(key('3'));
    assert_eq!(app.tab, Tab::Executions);
    app.on_key(key('5'));
    assert_eq!(app.tab, Tab::Spots);
    app.on_key(key('q'));
    assert!(app.quit);
}

#[test]
fn switching_to_a_screen_reads_its_data() {
    let mut app = app(120, 40);
    assert!(matches!(app.on_key(key('4'))[..], [Command::LoadChildren]));
    assert!(matches!(app.on_key(key('5'))[..], [Command::LoadSpots]));
    assert!(matches!(
        app.on_key(key('3'))[..],
        [Command::LoadExecutions { after: None, .. }]
    ));
}

#[test]
fn question_mark_opens_help_and_escape_closes_it() {
    let mut app = app(120, 40);
    app.on_key(key('?'));
    assert_eq!(app.context(), Context::Help);
    app.on_key(key('q'));
    assert!(app.quit, "q still quits from the help");
    let mut app = app_at_help();
    app.on_key(code(KeyCode::Esc));
    assert!(!app.help);
}

#[test]
fn the_help_scrolls_with_j_and_k() {
    let mut app = app_at_help();
    app.on_key(key('j'));
    app.on_key(key('j'));
    assert_eq!(app.help_scroll, 6);
    app.on_key(key('k'));
    assert_eq!(app.help_scroll, 3);
    let help = help_text(&app);
    for context in Context::ALL {
        for binding in context.bindings() {
            assert!(help.contains(binding.help), "help lacks {:?}", binding.help);
        }
    }
}

fn help_text(app: &daycare::console::app::App) -> String {
    daycare::console::render::help_lines(app)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn app_at_help() -> daycare::console::app::App {
    let mut app = app(120, 40);
    app.on_key(key('?'));
    app
}

#[test]
fn too_small_screen_still_quits_on_q_even_from_a_field() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    assert_eq!(app.context(), Context::RegisterText);
    app.on_resize(60, 20);
    assert_eq!(app.context(), Context::TooSmall);
    app.on_key(key('q'));
    assert!(app.quit);
}

#[test]
fn clicking_a_tab_switches_to_it() {
    let mut app = app(120, 40);
    let x = daycare::console::layout::tab_label(Tab::Dashboard).len() as u16 + 3;
    app.on_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: 0,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.tab, Tab::Register);
    // A click on a tab works even from inside the form.
    let x = daycare::console::layout::tab_label(Tab::Dashboard).len() as u16
        + 1
        + daycare::console::layout::tab_label(Tab::Register).len() as u16
        + 2;
    app.on_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: 0,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.tab, Tab::Executions);
}

// Dashboard.

#[test]
fn dashboard_enter_opens_the_selected_recent_execution() {
    let mut app = loaded_dashboard();
    app.on_key(key('j'));
    app.on_key(key('j'));
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::LoadExecution(name)] if name == "registration-0998"));
    assert_eq!(app.context(), Context::Detail);
    app.on_key(code(KeyCode::Esc));
    assert_eq!(
        (app.context(), app.tab),
        (Context::Dashboard, Tab::Dashboard)
    );
}

#[test]
fn scrolling_the_wheel_moves_the_selection() {
    let mut app = loaded_dashboard();
    app.on_mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 5,
        row: 15,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.dashboard.cursor.selected, 1);
}

// Register.

#[test]
fn typing_q_or_1_in_a_name_types_it() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    typed(&mut app, "q1?");
    assert!(!app.quit);
    assert_eq!(app.tab, Tab::Register);
    assert_eq!(app.register.values.text[0], "q1?");
    app.on_key(code(KeyCode::Backspace));
    assert_eq!(app.register.values.text[0], "q1");
    app.on_key(ctrl('u'));
    assert_eq!(app.register.values.text[0], "", "Ctrl-U clears the field");
}

#[test]
fn the_caret_moves_and_typing_goes_where_it_is() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    typed(&mut app, "Zoe");
    app.on_key(code(KeyCode::Left));
    app.on_key(code(KeyCode::Backspace));
    typed(&mut app, "ö");
    assert_eq!(app.register.values.text[0], "Zöe");
    app.on_key(code(KeyCode::Home));
    app.on_key(code(KeyCode::Delete));
    typed(&mut app, "Z");
    app.on_key(code(KeyCode::End));
    typed(&mut app, "!");
    assert_eq!(app.register.values.text[0], "Zöe!");
    app.on_key(code(KeyCode::Tab));
    typed(&mut app, "Okafor");
    assert_eq!(
        app.register.values.text[1], "Okafor",
        "a new field types at its end"
    );
}

#[test]
fn ctrl_c_quits_from_inside_a_field() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    app.on_key(ctrl('c'));
    assert!(app.quit);
}

#[test]
fn tab_and_shift_tab_move_between_fields_and_escape_leaves_the_form() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    app.on_key(code(KeyCode::Tab));
    app.on_key(code(KeyCode::Tab));
    assert_eq!(app.register.focus, Some(2));
    app.on_key(code(KeyCode::BackTab));
    assert_eq!(app.register.focus, Some(1));
    app.on_key(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::RegisterIdle);
    app.on_key(key('3'));
    assert_eq!(
        app.tab,
        Tab::Executions,
        "outside the form, number keys switch again"
    );
}

#[test]
fn weekdays_toggle_with_space_and_letters_do_nothing() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    for _ in 0..11 {
        app.on_key(code(KeyCode::Tab));
    }
    assert_eq!(app.context(), Context::RegisterDays);
    app.on_key(key(' '));
    app.on_key(code(KeyCode::Right));
    app.on_key(code(KeyCode::Right));
    app.on_key(key(' '));
    app.on_key(key('q'));
    assert!(!app.quit);
    assert_eq!(
        app.register.values.days,
        [true, false, true, false, false, false, false]
    );
}

#[test]
fn submitting_an_empty_form_marks_every_problem_beside_its_field() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    let commands = app.on_key(ctrl('s'));
    assert!(
        commands.is_empty(),
        "nothing is submitted while the form has problems"
    );
    let fields: Vec<&str> = app
        .register
        .problems
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert!(
        fields.iter().any(|f| f.starts_with("child.firstName")),
        "{fields:?}"
    );
    assert!(
        fields.iter().any(|f| f.starts_with("daysOfWeek")),
        "{fields:?}"
    );
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    let text = screen(&app);
    assert!(text.contains("✗"), "{text}");
    // Fixing the first name removes its problem without submitting again.
    app.register.focus = Some(0);
    typed(&mut app, "Amara");
    assert!(
        !app.register
            .problems
            .iter()
            .any(|p| p.field == "child.firstName")
    );
}

fn filled_form() -> daycare::console::app::App {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    for (i, text) in [
        "Amara",
        "Okafor",
        "2023-05-10",
        "Ngozi",
        "Okafor",
        "ngozi@example.com",
        "555-0100",
    ]
    .iter()
    .enumerate()
    {
        app.register.focus = Some(i);
        typed(&mut app, text);
    }
    app.register.focus = Some(11);
    app.on_key(key(' '));
    app.register.focus = Some(13);
    app
}

#[test]
fn submit_runs_the_workflow_and_states_light_up_then_the_outcome_opens() {
    let mut app = filled_form();
    let commands = app.on_key(code(KeyCode::Enter));
    let [Command::Submit(document)] = &commands[..] else {
        panic!("{commands:?}")
    };
    assert_eq!(document["registration_info"]["child"]["firstName"], "Amara");
    assert_eq!(
        document["registration_info"]["daysOfWeek"],
        serde_json::json!(["Monday"])
    );
    assert!(
        document["registration_info"]["parents"]
            .get("father")
            .is_none()
    );
    assert!(app.register.running());
    assert!(
        app.on_key(ctrl('s')).is_empty(),
        "a second submit waits for the first"
    );

    app.on_msg(Msg::Progress(entered("Check Information", 2)));
    app.on_msg(Msg::Progress(entered("Check Age Range", 9)));
    let text = screen(&app);
    assert!(text.contains("✓ Check Information"), "{text}");
    assert!(
        !text.contains("✓ Check Age Range"),
        "the running state is not done yet: {text}"
    );

    app.on_msg(Msg::Submitted(Ok(Box::new(succeeded_outcome()))));
    let text = screen(&app);
    assert!(text.contains("SUCCEEDED"), "{text}");
    assert!(text.contains("Fees        750"), "{text}");
    assert!(text.contains("2026-09-15"), "{text}");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::LoadExecution(name)] if name == "registration-1000"));
}

#[test]
fn a_refusal_shows_the_reason_in_staff_words() {
    let mut app = filled_form();
    app.on_key(code(KeyCode::Enter));
    let mut outcome = succeeded_outcome();
    outcome.execution.status = ExecutionStatus::Failed;
    outcome.execution.error = Some("AgeOutOfRange".into());
    outcome.execution.cause =
        Some("Amara Okafor is 7 on 2026-09-15; the daycare takes children aged 2 to 5.".into());
    outcome.fees = None;
    app.on_msg(Msg::Submitted(Ok(Box::new(outcome))));
    let text = screen(&app);
    assert!(
        text.contains("FAILED") && text.contains("AgeOutOfRange"),
        "{text}"
    );
    assert!(text.contains("aged 2 to 5"), "{text}");
}

#[test]
fn a_json_file_fills_the_form() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    app.on_key(ctrl('o'));
    assert_eq!(app.prompt.as_ref().map(|p| p.kind), Some(PromptKind::File));
    typed(&mut app, "/tmp/x.json");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(matches!(&commands[..], [Command::ReadFile(p)] if p.to_str() == Some("/tmp/x.json")));
    app.on_msg(Msg::FileLoaded(Ok(
        serde_json::from_str(TUTORIAL_INPUT).unwrap()
    )));
    assert_eq!(app.register.values.text[0], "Mohamed");
    assert_eq!(app.register.values.days[..2], [true, true]);
    assert_eq!(app.context(), Context::RegisterButton, "Enter now submits");
}

#[test]
fn tab_in_the_file_prompt_completes_the_path_typed_and_only_that() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    app.on_key(ctrl('o'));
    typed(&mut app, "fixtures/registrations/tut");
    let commands = app.on_key(code(KeyCode::Tab));
    assert!(
        matches!(&commands[..], [Command::CompletePath(t)] if t == "fixtures/registrations/tut"),
        "{commands:?}"
    );
    app.on_msg(Msg::PathCompleted {
        typed: "fixtures/registrations/tut".into(),
        completed: "fixtures/registrations/tutorial-example.json".into(),
    });
    let prompt = app.prompt.as_ref().map(|p| p.text.as_str());
    assert_eq!(prompt, Some("fixtures/registrations/tutorial-example.json"));
    // A completion of something no longer typed is dropped.
    typed(&mut app, "x");
    app.on_msg(Msg::PathCompleted {
        typed: "fixtures/registrations/tut".into(),
        completed: "elsewhere".into(),
    });
    let prompt = app.prompt.as_ref().map(|p| p.text.as_str());
    assert_eq!(
        prompt,
        Some("fixtures/registrations/tutorial-example.jsonx")
    );
}

// Executions.

fn a_cursor() -> daycare::store::Cursor {
    let mut store = Store::open_in_memory().unwrap();
    for n in 0..3 {
        let mut summary = ExecutionSummary::started("arn:m", &format!("e{n}"), "{}".into());
        summary.start_date = t0();
        store.begin_execution(&summary, "{}", Some("Ann")).unwrap();
    }
    store
        .executions(&ExecutionFilter::default(), None, 2)
        .unwrap()
        .next
        .unwrap()
}

fn executions_screen(rows_loaded: i64, more: bool) -> daycare::console::app::App {
    let mut app = app(120, 40);
    app.on_key(key('3'));
    let generation = app.executions.generation;
    let page = Page {
        rows: rows(rows_loaded),
        next: more.then(a_cursor),
    };
    app.on_msg(Msg::Executions {
        generation,
        index: 0,
        page,
    });
    app
}

#[test]
fn executions_ask_for_the_next_window_only_near_the_end() {
    let mut app = executions_screen(200, true);
    assert!(app.on_key(key('j')).is_empty());
    app.on_key(key('G'));
    assert_eq!(app.executions.cursor.selected, 199);
    let generation = app.executions.generation;
    let page = Page {
        rows: rows(50),
        next: None,
    };
    app.on_msg(Msg::Executions {
        generation,
        index: 1,
        page,
    });
    assert_eq!(app.executions.rows.len(), 250);
    assert_eq!(app.executions.cursor.selected, 199);
    assert!(
        app.on_key(key('G')).is_empty(),
        "the last window has no successor"
    );
    assert_eq!(app.executions.cursor.selected, 249);
}

#[test]
fn only_a_bounded_window_of_rows_is_kept_and_scrolling_back_reads_it_again() {
    use daycare::console::screens::executions::{PAGE, WINDOWS};
    let mut app = executions_screen(PAGE as i64, true);
    for index in 1..=WINDOWS + 2 {
        let commands = app.on_key(key('G'));
        let [
            Command::LoadExecutions {
                index: asked,
                after: Some(_),
                ..
            },
        ] = &commands[..]
        else {
            panic!("window {index}: {commands:?}")
        };
        assert_eq!(*asked, index);
        let generation = app.executions.generation;
        let page = Page {
            rows: rows(PAGE as i64),
            next: Some(a_cursor()),
        };
        app.on_msg(Msg::Executions {
            generation,
            index,
            page,
        });
        assert!(
            app.executions.rows.len() <= WINDOWS * PAGE,
            "never more than {WINDOWS} windows"
        );
    }
    assert_eq!(app.executions.first, 3, "the oldest windows were let go");
    let far = app.executions.position();
    assert!(
        far >= (WINDOWS + 2) * PAGE - 1,
        "position counts from the newest row: {far}"
    );
    // Back up to the top of what is kept: the dropped window is read again by its cursor.
    let mut asked = None;
    for _ in 0..WINDOWS * PAGE {
        let commands = app.on_key(key('k'));
        if let [Command::LoadExecutions { index, after, .. }] = &commands[..] {
            asked = Some((*index, after.is_some()));
            break;
        }
    }
    assert_eq!(asked, Some((2, true)));
    let before = app.executions.position();
    let generation = app.executions.generation;
    app.on_msg(Msg::Executions {
        generation,
        index: 2,
        page: Page {
            rows: rows(PAGE as i64),
            next: Some(a_cursor()),
        },
    });
    assert_eq!(
        app.executions.position(),
        before,
        "the selection stays on the same row"
    );
    assert_eq!(app.executions.first, 2);
    assert!(app.executions.rows.len() <= WINDOWS * PAGE);
    // g goes back to the newest rows by reading them again.
    let commands = app.on_key(key('g'));
    assert!(matches!(
        &commands[..],
        [Command::LoadExecutions {
            index: 0,
            after: None,
            ..
        }]
    ));
}

#[test]
fn going_down_near_the_end_reads_more_with_the_cursor() {
    let mut app = executions_screen(40, true);
    let commands = app.on_key(code(KeyCode::PageDown));
    assert!(
        matches!(
            &commands[..],
            [Command::LoadExecutions { after: Some(_), .. }]
        ),
        "{commands:?}"
    );
    assert!(app.on_key(key('j')).is_empty(), "one request at a time");
}

#[test]
fn filter_by_child_and_cycle_status() {
    let mut app = executions_screen(20, false);
    app.on_key(key('/'));
    typed(&mut app, "amar");
    // The list filters as staff type; Enter only closes the prompt.
    let commands = app.on_key(key('a'));
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    let [
        Command::LoadExecutions {
            filter,
            after: None,
            ..
        },
    ] = &commands[..]
    else {
        panic!("{commands:?}")
    };
    assert_eq!(filter.child.as_deref(), Some("amara"));
    let commands = app.on_key(key('s'));
    let [Command::LoadExecutions { filter, .. }] = &commands[..] else {
        panic!()
    };
    assert_eq!(filter.status, Some(ExecutionStatus::Succeeded));
    app.on_key(key('s'));
    assert_eq!(app.executions.filter.status, Some(ExecutionStatus::Failed));
    app.on_key(key('c'));
    assert_eq!(app.executions.filter, ExecutionFilter::default());
}

#[test]
fn an_answer_for_an_old_filter_is_ignored() {
    let mut app = executions_screen(20, false);
    let old = app.executions.generation;
    app.on_key(key('s'));
    app.on_msg(Msg::Executions {
        generation: old,
        index: 0,
        page: Page {
            rows: rows(3),
            next: None,
        },
    });
    assert_eq!(app.executions.rows.len(), 20);
}

#[test]
fn clicking_a_row_selects_it_and_a_second_click_opens_it() {
    let mut app = executions_screen(20, false);
    let area = daycare::console::screens::executions::rows_area(app.body());
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 10,
        row: area.y + 4,
        modifiers: KeyModifiers::NONE,
    };
    assert!(app.on_mouse(click).is_empty());
    assert_eq!(app.executions.cursor.selected, 4);
    let commands = app.on_mouse(click);
    assert!(matches!(&commands[..], [Command::LoadExecution(n)] if n == "registration-0996"));
}

// Execution detail.

#[test]
fn detail_starts_on_the_failed_state_and_shows_its_input() {
    let mut app = executions_screen(20, false);
    app.on_key(key('j'));
    app.on_key(code(KeyCode::Enter));
    let mut loaded = refused_execution();
    loaded.summary.name = "registration-0999".into();
    app.on_msg(opened(loaded));
    let detail = app.detail.as_ref().unwrap();
    assert_eq!(detail.selected_state(), Some("Age Out Of Range"));
    let marks: Vec<Mark> = detail.marks.clone();
    // States in the definition's order: … "Age In Range?", "Age Out Of Range",
    // "Check Spots Availability", …
    assert_eq!(marks[6], Mark::Failed);
    assert_eq!(marks[0], Mark::Passed);
    assert_eq!(marks[7], Mark::Untouched);
    app.on_key(key('g'));
    assert_eq!(
        app.detail.as_ref().unwrap().selected_state(),
        Some("Check Information")
    );
    let (input, _) = app.detail.as_ref().unwrap().selected_io();
    assert!(input.is_some_and(|i| i.contains("Mohamed")));
    let commands = app.on_key(key('x'));
    assert!(matches!(&commands[..], [Command::Export { events, .. }] if events.len() == 17));
    app.on_key(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Executions);
}

// Children.

#[test]
fn withdrawing_asks_why_and_from_when_then_to_be_sure_and_no_changes_nothing() {
    let mut app = app(120, 40);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(children()));
    app.on_key(key('j'));
    let ask = |app: &mut daycare::console::app::App| {
        assert!(app.on_key(key('w')).is_empty());
        assert_eq!(app.context(), Context::Prompt);
        // A reason is required: Enter on nothing keeps the question, saying so.
        assert!(app.on_key(code(KeyCode::Enter)).is_empty());
        let prompt = app.prompt.as_ref().unwrap();
        assert!(prompt.error.as_deref().unwrap().contains("required"));
        // Typed letters are the reason, never shortcuts (q would quit, 1 switch tabs).
        typed(app, "q1 moving away");
        assert!(!app.quit);
        app.on_key(code(KeyCode::Enter));
        let prompt = app.prompt.as_ref().unwrap();
        assert_eq!(
            prompt.text,
            today().to_string(),
            "the day is today unless changed"
        );
        // A day gone by is refused in the prompt.
        app.on_key(ctrl('u'));
        typed(app, "2020-01-01");
        app.on_key(code(KeyCode::Enter));
        assert!(
            app.prompt
                .as_ref()
                .unwrap()
                .error
                .as_deref()
                .unwrap()
                .contains("passed")
        );
        app.on_key(ctrl('u'));
        typed(app, &(today() + chrono::Days::new(10)).to_string());
        assert!(app.on_key(code(KeyCode::Enter)).is_empty());
        assert_eq!(app.context(), Context::Confirm);
        let message = &app.confirm.as_ref().unwrap().message;
        assert!(message.contains("Lena Schmidt"), "{message}");
        assert!(message.contains("q1 moving away"), "{message}");
        assert!(message.contains("stay enrolled until then"), "{message}");
    };
    ask(&mut app);
    // Enter answers No.
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    assert_eq!(app.context(), Context::Children);
    ask(&mut app);
    let commands = app.on_key(key('y'));
    let on = today() + chrono::Days::new(10);
    assert!(
        matches!(&commands[..], [Command::Withdraw { id: 2, reason, on: day }] if reason == "q1 moving away" && *day == on),
        "{commands:?}"
    );
    let mut leaving = registration(2, "Lena", "Schmidt", &["Tuesday"]);
    leaving.leaves_on = Some(on);
    leaving.withdraw_reason = Some("q1 moving away".into());
    let commands = app.on_msg(Msg::Withdrawn(Ok(leaving)));
    assert!(
        commands.iter().any(|c| matches!(c, Command::LoadSpots)),
        "freed spots are read again"
    );
    let status = &app.status.as_ref().unwrap().text;
    assert!(
        status.contains("Tuesday") && status.contains(&format!("leaves on {on}")),
        "{status}"
    );
}

// Spots.

#[test]
fn editing_a_day_sends_the_new_capacity_and_a_refusal_shows_the_reason() {
    let mut app = app(120, 40);
    app.on_key(key('5'));
    app.on_msg(Msg::Spots(spots()));
    app.on_key(key('j'));
    app.on_key(key('e'));
    assert_eq!(app.prompt.as_ref().unwrap().text, "20");
    app.on_key(code(KeyCode::Backspace));
    app.on_key(code(KeyCode::Backspace));
    typed(&mut app, "abc");
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    let prompt = app.prompt.as_ref().unwrap();
    assert!(prompt.error.is_some(), "not a number, said in the prompt");
    assert_eq!(prompt.text, "abc", "what was typed stays");
    app.on_key(ctrl('u'));
    typed(&mut app, "12");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(matches!(
        commands[..],
        [Command::SetCapacity(Some(chrono::Weekday::Tue), 12)]
    ));
    app.on_msg(Msg::CapacitySet(Err(
        "cannot set Tue to 12 spots: 20 children are enrolled that day".into(),
    )));
    let text = screen(&app);
    assert!(text.contains("20 children are enrolled"), "{text}");
}

#[test]
fn editing_all_days_at_once() {
    let mut app = app(120, 40);
    app.on_key(key('5'));
    app.on_msg(Msg::Spots(spots()));
    app.on_key(key('a'));
    typed(&mut app, "25");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(matches!(commands[..], [Command::SetCapacity(None, 25)]));
    let mut after = spots();
    after.iter_mut().for_each(|d| d.capacity = 25);
    app.on_msg(Msg::CapacitySet(Ok(after)));
    assert!(app.status.as_ref().unwrap().text.contains("Monday 20 → 25"));
    assert_eq!(app.spots.rows[0].capacity, 25);
}

#[test]
fn control_characters_from_data_never_reach_the_screen() {
    let mut app = app(120, 40);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(vec![registration(
        1,
        "Evil\u{1b}[2J",
        "Name\u{7}",
        &["Monday"],
    )]));
    let text = screen(&app);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
    assert!(text.contains("Evil[2J Name"), "{text}");
}

#[test]
fn tab_moves_through_states_data_and_history() {
    let mut app = executions_screen(20, false);
    app.on_key(key('j'));
    app.on_key(code(KeyCode::Enter));
    app.on_msg(opened(refused_execution()));
    app.on_key(code(KeyCode::Tab));
    app.on_key(key('j'));
    app.on_key(key('j'));
    let detail = app.detail.as_ref().unwrap();
    assert_eq!(detail.data_scroll, 2, "j scrolls the input and output");
    assert_eq!(
        detail.selected_state(),
        Some("Age Out Of Range"),
        "the state stays selected"
    );
    // The output pane comes next and scrolls on its own.
    app.on_key(code(KeyCode::Tab));
    app.on_key(code(KeyCode::Tab));
    app.on_key(key('j'));
    assert_eq!(app.detail.as_ref().unwrap().history.selected, 1);
    app.on_key(code(KeyCode::Tab));
    app.on_key(key('k'));
    let detail = app.detail.as_ref().unwrap();
    assert_eq!(
        detail.data_scroll, 0,
        "a new state shows its data from the top"
    );
    assert_ne!(detail.selected_state(), Some("Age Out Of Range"));
}

#[test]
fn the_data_panes_follow_the_selection_with_bodies_decoded() {
    let mut app = executions_screen(20, false);
    app.on_key(key('j'));
    app.on_key(code(KeyCode::Enter));
    app.on_msg(opened(refused_execution()));
    let data = &app.detail.as_ref().unwrap().data;
    assert_eq!(data.name, "Age Out Of Range");
    assert!(
        data.output
            .iter()
            .any(|l| l.contains("no output recorded here"))
    );
    app.on_key(key('g'));
    let data = &app.detail.as_ref().unwrap().data;
    assert_eq!(data.name, "Check Information");
    assert!(
        data.output
            .iter()
            .any(|l| l.contains("\"firstName\": \"Mohamed\"")),
        "the body string is shown as JSON: {:?}",
        data.output
    );
    // States, input, output, history.
    app.on_key(code(KeyCode::Tab));
    app.on_key(code(KeyCode::Tab));
    app.on_key(code(KeyCode::Tab));
    app.on_key(key('j'));
    let data = &app.detail.as_ref().unwrap().data;
    assert_eq!(data.name, "event 2 (TaskStateEntered)");
    assert!(data.input.iter().any(|l| l.contains("peanut allergy")));
}

#[test]
fn an_unusable_database_is_explained_and_q_still_quits() {
    let mut app = app(80, 24);
    app.on_msg(Msg::Unavailable(
        "/tmp/x is not a daycare database: it is not an SQLite database; it was left unchanged"
            .into(),
    ));
    let text = screen(&app);
    assert!(text.contains("The database cannot be used"), "{text}");
    assert!(text.contains("not a daycare database"), "{text}");
    app.on_key(key('q'));
    assert!(app.quit);
}
