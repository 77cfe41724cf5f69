//! The console's keys as a busy desk meets them: keys in, actions, state and the drawn
//! screen out, with no terminal. Traps (spots, confirmations, quitting, Esc typed fast),
//! one rule for the Register tab, status news that belongs to its screen, filters as
//! staff type, the same motion keys everywhere, copying, and readline editing.

mod console_support;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use daycare::console::action::{Command, Msg, Tab};
use daycare::console::app::{App, Then};
use daycare::console::keymap::{self, Context};
use daycare::store::DaySpots;

use console_support::*;

fn alt(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
}

fn spots_screen() -> App {
    let mut app = console_support::app(120, 40);
    app.on_key(key('5'));
    app.on_msg(Msg::Spots(spots()));
    app
}

/// The status row: the one above the footer.
fn status_row(app: &App) -> String {
    let text = screen(app);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() - 2].to_string()
}

fn footer_hints(app: &App) -> Vec<&'static str> {
    keymap::footer(app.context())
        .into_iter()
        .map(|(_, hint)| hint)
        .collect()
}

// 1. Spots.

#[test]
fn the_first_key_typed_replaces_the_prefilled_capacity_and_a_big_cut_asks_first() {
    let mut app = spots_screen();
    app.on_key(key('j'));
    app.on_key(key('e'));
    assert_eq!(app.prompt.as_ref().unwrap().text, "20");
    typed(&mut app, "2");
    assert_eq!(
        app.prompt.as_ref().unwrap().text,
        "2",
        "typing replaces the value shown, it does not append (202)"
    );
    assert!(
        app.on_key(code(KeyCode::Enter)).is_empty(),
        "20 → 2 is less than half: asked first"
    );
    let message = app.confirm.as_ref().unwrap().message.clone();
    assert!(message.contains("Tuesday 20 → 2"), "{message}");
    assert!(
        app.on_key(code(KeyCode::Enter)).is_empty(),
        "Enter answers no"
    );
    assert!(app.confirm.is_none());
    app.on_key(key('e'));
    typed(&mut app, "30");
    assert!(
        matches!(
            app.on_key(code(KeyCode::Enter))[..],
            [Command::SetCapacity(Some(chrono::Weekday::Tue), 30)]
        ),
        "20 → 30 is an ordinary change: no question"
    );
    app.on_key(key('e'));
    typed(&mut app, "41");
    app.on_key(code(KeyCode::Enter));
    assert!(app.confirm.is_some(), "more than double asks");
    assert!(matches!(
        app.on_key(key('y'))[..],
        [Command::SetCapacity(Some(chrono::Weekday::Tue), 41)]
    ));
}

#[test]
fn backspace_edits_the_prefilled_capacity_instead_of_replacing_it() {
    let mut app = spots_screen();
    app.on_key(key('e'));
    app.on_key(code(KeyCode::Backspace));
    typed(&mut app, "5");
    assert_eq!(app.prompt.as_ref().unwrap().text, "25");
}

#[test]
fn opening_a_closed_day_asks_first() {
    let mut app = spots_screen();
    for _ in 0..5 {
        app.on_key(key('j'));
    }
    app.on_key(key('e'));
    typed(&mut app, "5");
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    let message = app.confirm.as_ref().unwrap().message.clone();
    assert!(message.contains("Saturday is closed"), "{message}");
    let text = screen(&app);
    assert!(
        text.contains("Enter no"),
        "the dialog names its keys: {text}"
    );
    assert!(matches!(
        app.on_key(key('y'))[..],
        [Command::SetCapacity(Some(chrono::Weekday::Sat), 5)]
    ));
}

#[test]
fn edit_all_changes_the_open_days_only_and_says_which() {
    let mut app = spots_screen();
    app.on_key(key('a'));
    let prompt = app.prompt.as_ref().unwrap();
    assert!(
        prompt
            .label
            .contains("every open day (Mon, Tue, Wed, Thu, Fri)"),
        "{}",
        prompt.label
    );
    typed(&mut app, "25");
    assert!(matches!(
        app.on_key(code(KeyCode::Enter))[..],
        [Command::SetCapacity(None, 25)]
    ));
}

#[test]
fn edit_all_on_a_closed_week_explains_how_to_open_a_day() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('5'));
    let closed: Vec<DaySpots> = spots()
        .into_iter()
        .map(|d| DaySpots {
            capacity: 0,
            enrolled: 0,
            ..d
        })
        .collect();
    app.on_msg(Msg::Spots(closed));
    app.on_key(key('a'));
    assert!(app.prompt.is_none());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Every day is closed")
    );
}

#[test]
fn a_bad_number_is_explained_inside_the_prompt_and_the_input_stays() {
    let mut app = spots_screen();
    app.on_key(key('e'));
    typed(&mut app, "2O");
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    assert_eq!(app.context(), Context::Prompt);
    let row = status_row(&app);
    assert!(row.contains("Spots on Monday: 2O"), "input kept: {row}");
    assert!(row.contains("not a number of spots"), "{row}");
    app.on_key(code(KeyCode::Backspace));
    typed(&mut app, "0");
    assert!(
        !status_row(&app).contains("not a number"),
        "the error goes once staff edit"
    );
    assert!(matches!(
        app.on_key(code(KeyCode::Enter))[..],
        [Command::SetCapacity(Some(chrono::Weekday::Mon), 20)]
    ));
}

// 2. Confirmations.

#[test]
fn enter_on_the_withdrawal_question_means_no_and_the_dialog_says_so() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(children()));
    app.on_key(key('w'));
    typed(&mut app, "Moving away");
    app.on_key(code(KeyCode::Enter));
    app.on_key(code(KeyCode::Enter));
    let text = screen(&app);
    assert!(
        text.contains("y yes · n/Esc/Enter no (the default is no)"),
        "{text}"
    );
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    assert_eq!(app.context(), Context::Children);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Nothing was changed")
    );
}

// 3. Quitting with a half-typed form.

#[test]
fn quitting_with_a_typed_form_asks_and_no_keeps_it() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    typed(&mut app, "Zo");
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('q'));
    assert!(!app.quit, "asked first");
    assert!(matches!(
        app.confirm.as_ref().map(|c| &c.on_yes),
        Some(Then::Quit)
    ));
    app.on_key(code(KeyCode::Enter));
    assert!(!app.quit);
    assert_eq!(app.register.values.text[0], "Zo");
    app.on_key(key('q'));
    app.on_key(key('y'));
    assert!(app.quit);
}

#[test]
fn ctrl_c_with_a_typed_form_asks_once_and_a_second_ctrl_c_quits() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    typed(&mut app, "Zo");
    app.on_key(ctrl('c'));
    assert!(!app.quit);
    let text = screen(&app);
    assert!(
        text.contains("Quit and lose the registration typed in the form?"),
        "{text}"
    );
    app.on_key(ctrl('c'));
    assert!(app.quit);
}

#[test]
fn an_untouched_or_submitted_form_quits_at_once() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('q'));
    assert!(app.quit, "nothing typed, nothing to lose");
}

#[test]
fn emptying_a_typed_form_with_n_asks_first() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    typed(&mut app, "Zo");
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('n'));
    assert_eq!(app.register.values.text[0], "Zo");
    app.on_key(key('y'));
    assert_eq!(app.register.values.text[0], "");
}

// 4. Esc then a key, arriving as Alt+key.

#[test]
fn esc_three_typed_fast_in_a_field_leaves_the_form_and_opens_screen_3() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    app.on_key(alt('3'));
    assert_eq!(app.tab, Tab::Executions);
    assert_eq!(
        app.register.values.text[0], "",
        "nothing typed into the field"
    );
}

#[test]
fn alt_q_in_a_field_is_esc_then_q() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    app.on_key(alt('q'));
    assert!(app.quit, "Esc leaves the empty form, q quits");
    let mut app = app_with_detail_open();
    app.on_key(alt('1'));
    assert!(app.detail.is_none());
    assert_eq!(app.tab, Tab::Dashboard);
}

/// Fills the form from the tutorial's document and submits it.
fn submit_tutorial(app: &mut App) {
    let document: serde_json::Value = serde_json::from_str(TUTORIAL_INPUT).unwrap();
    app.on_msg(Msg::FileLoaded(Ok(document)));
    assert!(app.register.submit(today()).is_ok());
}

fn app_with_detail_open() -> App {
    let mut app = console_support::app(120, 40);
    app.on_key(key('3'));
    app.open_execution("registration-0999".into());
    let mut loaded = refused_execution();
    loaded.summary.name = "registration-0999".into();
    app.on_msg(opened(loaded));
    app
}

// 5. One rule for the Register tab.

#[test]
fn key_2_always_puts_the_keyboard_in_the_form() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    assert_eq!(app.context(), Context::RegisterText);
    submit_tutorial(&mut app);
    app.on_msg(Msg::Submitted(Ok(Box::new(succeeded_outcome()))));
    app.on_key(key('1'));
    app.on_key(key('2'));
    assert_eq!(
        app.context(),
        Context::RegisterText,
        "after a submission too: 2 then n types n"
    );
    typed(&mut app, "n");
    assert!(app.register.values.text[0].ends_with('n'));
}

// 11. Status news belongs to its screen and moment.

#[test]
fn status_news_clears_on_a_screen_change_and_expires() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    submit_tutorial(&mut app);
    app.on_msg(Msg::Submitted(Ok(Box::new(succeeded_outcome()))));
    assert!(status_row(&app).contains("Enter opens the execution"));
    app.on_key(key('4'));
    assert!(
        !status_row(&app).contains("Enter opens the execution"),
        "the news stays on its screen"
    );
    app.say("Spots saved.");
    assert!(!app.expire(Instant::now()));
    assert!(app.expire(Instant::now() + Duration::from_secs(9)));
    assert!(app.status.is_none());
}

// 13. A run that never started.

#[test]
fn after_a_run_that_never_started_the_footer_offers_no_execution() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    submit_tutorial(&mut app);
    app.on_msg(Msg::Submitted(Err("the database is locked".into())));
    assert_eq!(app.context(), Context::RegisterIdle);
    assert!(!footer_hints(&app).contains(&"open execution"));
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    assert_eq!(
        app.context(),
        Context::RegisterText,
        "Enter goes back into the form"
    );
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('y'));
    assert!(app.clipboard.is_none(), "nothing to copy");
    app.on_key(key('q'));
    assert!(
        !app.quit,
        "the run kept nothing, so quitting asks before the form is lost"
    );

    let mut app = app_after_success();
    assert!(footer_hints(&app).contains(&"open execution"));
    app.on_key(key('y'));
    assert_eq!(app.clipboard.as_deref(), Some("registration-1000"));
}

fn app_after_success() -> App {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    submit_tutorial(&mut app);
    app.on_msg(Msg::Submitted(Ok(Box::new(succeeded_outcome()))));
    app
}

// 15. Filters as staff type.

#[test]
fn children_filter_as_you_type_ignoring_case_and_accents_and_esc_clears() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('4'));
    let mut rows = children();
    rows[1].first_name = "Léna".into();
    app.on_msg(Msg::Children(rows));
    app.on_key(key('/'));
    typed(&mut app, "LEN");
    assert_eq!(app.children.rows.len(), 1, "filtered while typing");
    assert_eq!(app.children.rows[0].first_name, "Léna");
    app.on_key(code(KeyCode::Enter));
    assert!(screen(&app).contains("1 of 3 named"));
    app.on_key(code(KeyCode::Esc));
    assert_eq!(app.children.rows.len(), 3, "Esc clears the filter");
    app.on_key(key('/'));
    typed(&mut app, "zzz");
    assert!(screen(&app).contains("No enrolled child has that name, and no parent of one"));
    app.on_key(code(KeyCode::Esc));
    assert_eq!(
        app.children.rows.len(),
        3,
        "Esc in the prompt puts back the filter it had"
    );
}

#[test]
fn executions_filter_as_you_type_and_esc_clears_the_filter() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('3'));
    app.on_key(key('/'));
    let commands = app.on_key(key('a'));
    assert!(
        matches!(&commands[..], [Command::LoadExecutions { filter, .. }] if filter.child.as_deref() == Some("a"))
    );
    app.on_key(code(KeyCode::Enter));
    assert_eq!(app.executions.filter.child.as_deref(), Some("a"));
    let commands = app.on_key(code(KeyCode::Esc));
    assert!(
        matches!(&commands[..], [Command::LoadExecutions { filter, .. }] if filter.child.is_none())
    );
    assert!(
        app.on_key(code(KeyCode::Esc)).is_empty(),
        "nothing left to clear"
    );
}

// 16. The same motion keys everywhere.

#[test]
fn lists_share_the_motion_keys() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(children()));
    app.on_key(key('G'));
    assert_eq!(app.children.cursor.selected, 2);
    app.on_key(ctrl('u'));
    assert_eq!(app.children.cursor.selected, 0);
    app.on_key(ctrl('d'));
    assert_eq!(app.children.cursor.selected, 2);
    app.on_key(code(KeyCode::Home));
    assert_eq!(app.children.cursor.selected, 0);

    let mut app = spots_screen();
    app.on_key(key('G'));
    assert_eq!(app.spots.cursor.selected, 6);
    app.on_key(code(KeyCode::PageUp));
    assert_eq!(app.spots.cursor.selected, 0);
    app.on_key(code(KeyCode::End));
    assert_eq!(app.spots.cursor.selected, 6);
}

#[test]
fn the_help_scrolls_with_the_motion_keys_and_stops_at_its_end() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('?'));
    app.on_key(key('G'));
    let last = app.help_scroll;
    assert!(last > 0);
    app.on_key(key('j'));
    app.on_key(code(KeyCode::PageDown));
    assert_eq!(app.help_scroll, last, "no scrolling into a blank box");
    let text = screen(&app);
    assert!(
        text.contains("Typing an answer"),
        "the last section shows: {text}"
    );
    app.on_key(key('g'));
    assert_eq!(app.help_scroll, 0);
}

#[test]
fn the_input_and_output_panes_scroll_on_their_own_and_stop_at_their_ends() {
    let mut app = app_with_detail_open();
    app.on_key(key('g'));
    app.on_key(code(KeyCode::Tab));
    for _ in 0..200 {
        app.on_key(key('j'));
    }
    let detail = app.detail.as_ref().unwrap();
    assert_eq!(detail.data_scroll as usize, detail.data.input.len() - 1);
    assert_eq!(detail.output_scroll, 0, "the output did not move");
    app.on_key(code(KeyCode::Tab));
    app.on_key(key('G'));
    let detail = app.detail.as_ref().unwrap();
    assert_eq!(detail.output_scroll as usize, detail.data.output.len() - 1);
    assert_eq!(
        detail.data_scroll as usize,
        detail.data.input.len() - 1,
        "the input stays"
    );
    app.on_key(key('y'));
    assert!(status_row(&app).contains("Copied Check Information's output"));
    app.on_key(code(KeyCode::Home));
    assert_eq!(app.detail.as_ref().unwrap().output_scroll, 0);
}

// 18. Copying.

#[test]
fn y_copies_the_selected_thing_and_says_what() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('3'));
    let generation = app.executions.generation;
    app.on_msg(Msg::Executions {
        generation,
        index: 0,
        page: daycare::store::Page {
            rows: rows(5),
            next: None,
        },
    });
    app.on_key(key('j'));
    app.on_key(key('y'));
    let name = app.executions.rows[1].name.clone();
    assert_eq!(app.clipboard.as_deref(), Some(name.as_str()));
    assert!(status_row(&app).contains(&format!(
        "Copied the execution name to the clipboard: {name}"
    )));

    let mut app = console_support::app(120, 40);
    app.on_key(key('4'));
    let mut rows = children();
    rows[0].document = serde_json::json!({"registration_info": {"parents": {
        "mother": {"firstName": "Ngozi", "lastName": "Okafor", "phone": "555-0100"}}}});
    app.on_msg(Msg::Children(rows));
    app.on_key(key('y'));
    assert_eq!(app.clipboard.as_deref(), Some("555-0100"));
    assert!(status_row(&app).contains("Copied Ngozi's phone"));

    let mut app = app_with_detail_open();
    app.on_key(key('g'));
    app.on_key(code(KeyCode::Tab));
    app.on_key(key('y'));
    assert!(
        app.clipboard
            .as_deref()
            .is_some_and(|t| t.contains("Mohamed"))
    );
    assert!(status_row(&app).contains("Copied Check Information's input"));
}

// 20. Readline keys in text fields.

#[test]
fn readline_keys_and_paste_in_a_field() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('2'));
    typed(&mut app, "Ana Maria");
    app.on_key(ctrl('w'));
    assert_eq!(app.register.values.text[0], "Ana ");
    typed(&mut app, "Lu");
    app.on_key(ctrl('a'));
    typed(&mut app, ">");
    app.on_key(ctrl('e'));
    typed(&mut app, "<");
    assert_eq!(app.register.values.text[0], ">Ana Lu<");
    app.on_key(alt('b'));
    app.on_key(alt('b'));
    typed(&mut app, "_");
    assert_eq!(app.register.values.text[0], ">_Ana Lu<");
    app.on_key(alt('f'));
    typed(&mut app, "!");
    assert_eq!(app.register.values.text[0], ">_Ana! Lu<");
    assert_eq!(
        app.context(),
        Context::RegisterText,
        "Alt-B/F stay in the field"
    );
    app.on_key(code(KeyCode::Tab));
    app.on_paste("Okafor\n");
    assert_eq!(app.register.values.text[1], "Okafor ");
}

#[test]
fn a_paste_into_a_prompt_replaces_what_was_filled_in() {
    let mut app = spots_screen();
    app.on_key(key('e'));
    app.on_paste("18");
    assert_eq!(app.prompt.as_ref().unwrap().text, "18");
    app.on_key(ctrl('a'));
    typed(&mut app, "1");
    assert_eq!(app.prompt.as_ref().unwrap().text, "118");
}

#[test]
fn the_help_filters_as_you_type_and_esc_clears_before_closing() {
    let mut app = console_support::app(120, 40);
    app.on_key(key('?'));
    app.on_key(key('/'));
    typed(&mut app, "WITHDRAW");
    let text = screen(&app);
    assert!(text.contains("Withdraw the child"), "{text}");
    assert!(!text.contains("Submit the registration"), "{text}");
    app.on_key(code(KeyCode::Enter));
    assert_eq!(app.context(), Context::Help);
    app.on_key(code(KeyCode::Esc));
    assert!(app.help, "the first Esc clears the filter");
    assert!(screen(&app).contains("Submit the registration"));
    app.on_key(code(KeyCode::Esc));
    assert!(!app.help);
}
