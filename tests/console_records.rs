//! The Children list and a child's record, a key (or a background report) in, state and
//! commands out: finding by a parent's name, the orders, the withdrawn view, opening a
//! record, the execution from it, and back. No terminal is involved.

mod console_support;

use console_support::*;
use crossterm::event::KeyCode;
use daycare::console::action::{Command, Msg, Tab};
use daycare::console::app::App;
use daycare::console::keymap::Context;
use daycare::console::screens::children::{Sort, View};
use daycare::store::RegistrationStatus;

fn children_screen(width: u16, height: u16) -> App {
    let mut app = app(width, height);
    app.on_key(key('4'));
    app.on_msg(Msg::Children(children()));
    app
}

fn names(app: &App) -> Vec<String> {
    app.children
        .rows
        .iter()
        .map(|r| r.first_name.clone())
        .collect()
}

/// The record of the selected child, opened and read.
fn open_record(app: &mut App) -> i64 {
    let child = app.children.selected().unwrap().clone();
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(
        matches!(commands[..], [Command::LoadRecord(id)] if id == child.id),
        "{commands:?}"
    );
    app.on_msg(record_of(&child));
    child.id
}

#[test]
fn slash_finds_a_child_by_a_parent_s_name_without_accents() {
    let mut app = children_screen(120, 40);
    app.on_key(key('/'));
    typed(&mut app, "sofia");
    assert_eq!(names(&app), ["Yuki"], "Sofía is Yuki's mother");
    app.on_key(code(KeyCode::Enter));
    assert_eq!(app.context(), Context::Children);
    app.on_key(key('/'));
    app.on_key(ctrl('u'));
    typed(&mut app, "CHIDI");
    assert_eq!(names(&app), ["Amara"], "her father's first name");
    app.on_key(ctrl('u'));
    typed(&mut app, "schm");
    assert_eq!(names(&app), ["Lena"], "part of a name");
    app.on_key(code(KeyCode::Enter));
    app.on_key(code(KeyCode::Esc));
    assert_eq!(names(&app).len(), 3, "Esc clears the search");
}

#[test]
fn s_cycles_name_age_and_start_date_and_the_title_says_which() {
    let mut app = children_screen(120, 40);
    assert_eq!(app.children.sort, Sort::Name);
    assert_eq!(names(&app), ["Amara", "Lena", "Yuki"]);
    app.on_key(key('j'));
    app.on_key(key('s'));
    assert_eq!(app.children.sort, Sort::Age);
    assert_eq!(names(&app), ["Lena", "Yuki", "Amara"], "oldest first");
    assert_eq!(
        app.children.selected().map(|r| r.first_name.as_str()),
        Some("Lena"),
        "the selected child stays selected"
    );
    assert!(screen(&app).contains("· by age ·"), "{}", screen(&app));
    app.on_key(key('s'));
    assert_eq!(app.children.sort, Sort::Start);
    assert_eq!(
        names(&app),
        ["Yuki", "Amara", "Lena"],
        "earliest start first"
    );
    assert!(screen(&app).contains("by start date"));
    app.on_key(key('s'));
    assert_eq!(app.children.sort, Sort::Name);
    // A list read again keeps its order.
    app.on_key(key('s'));
    app.on_msg(Msg::Children(children()));
    assert_eq!(names(&app), ["Lena", "Yuki", "Amara"]);
}

#[test]
fn v_shows_the_withdrawn_children_and_back() {
    let mut app = children_screen(120, 40);
    let commands = app.on_key(key('v'));
    assert!(matches!(commands[..], [Command::LoadWithdrawnChildren]));
    assert_eq!(app.children.view, View::Withdrawn);
    assert!(app.children.rows.is_empty(), "nothing until it is read");
    app.on_msg(Msg::Children(children()));
    assert!(
        app.children.rows.is_empty(),
        "an enrolled list read before the switch is not shown as withdrawn"
    );
    let mut lena = children()[1].clone();
    lena.status = RegistrationStatus::Withdrawn;
    app.on_msg(Msg::WithdrawnChildren(vec![lena]));
    assert_eq!(names(&app), ["Lena"]);
    assert!(screen(&app).contains("Withdrawn children · 1"));
    assert!(
        matches!(app.on_key(key('r'))[..], [Command::LoadWithdrawnChildren]),
        "r reads the view shown"
    );
    assert!(app.on_key(key('w')).is_empty());
    assert!(
        app.confirm.is_none(),
        "a withdrawn child is not withdrawn twice"
    );
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("already withdrawn")
    );
    app.on_msg(Msg::WithdrawnChildren(Vec::new()));
    assert!(screen(&app).contains("No child has been withdrawn"));
    assert!(matches!(app.on_key(key('v'))[..], [Command::LoadChildren]));
    assert_eq!(app.children.view, View::Enrolled);
    app.on_key(key('1'));
    assert!(
        matches!(app.on_key(key('4'))[..], [Command::LoadChildren]),
        "the view stays when staff come back"
    );
}

#[test]
fn the_list_marks_who_ages_out_with_the_date() {
    let app = children_screen(80, 24);
    let text = screen(&app);
    let lena = text.lines().find(|l| l.contains("Lena")).unwrap();
    assert!(lena.contains("2026-10-20"), "{text}");
    let amara = text.lines().find(|l| l.contains("Amara")).unwrap();
    assert!(!amara.contains("2027"), "{text}");
    assert!(text.contains("Turns 6"), "the column says what the date is");
}

#[test]
fn enter_opens_the_record_and_esc_goes_back() {
    let mut app = children_screen(120, 40);
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(matches!(commands[..], [Command::LoadRecord(3)]));
    assert_eq!(app.context(), Context::Record);
    assert!(screen(&app).contains("Reading the record"));
    // A record read for another child (an old answer) is not shown.
    app.on_msg(record_of(&children()[1]));
    assert!(app.record.as_ref().unwrap().loaded.is_none());
    app.on_msg(record_of(&children()[0]));
    let text = screen(&app);
    assert!(text.contains("Special instructions"), "{text}");
    assert!(text.contains("EpiPen"), "{text}");
    assert!(text.contains("555-0101") && text.contains("chidi@example.com"));
    assert!(text.contains("registration 3 · enrolled"), "{text}");
    assert!(
        text.contains("by execution okafor-amara-00000003"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("2026-09-01 09:30  Enrolled by execution okafor-amara-00000003")),
        "the enrolment is the first change:\n{text}"
    );
    assert!(!app.record.as_ref().unwrap().read_only());
    assert!(app.on_key(code(KeyCode::Esc)).is_empty());
    assert_eq!(app.context(), Context::Children);
    assert!(app.record.is_none());
    assert_eq!(app.children.cursor.selected, 0);
}

#[test]
fn enter_on_the_record_opens_the_execution_and_esc_comes_back_to_the_record() {
    let mut app = children_screen(120, 40);
    open_record(&mut app);
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::LoadExecution(name)] if name == "okafor-amara-00000003"),
        "{commands:?}"
    );
    assert_eq!(app.context(), Context::Detail);
    let commands = app.on_key(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Record);
    assert!(
        matches!(commands[..], [Command::LoadRecord(3)]),
        "the record is read again: it may have changed meanwhile"
    );
    app.on_key(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Children);
}

#[test]
fn a_record_marks_a_child_who_ages_out_with_the_date() {
    let mut app = children_screen(80, 24);
    app.on_key(key('j'));
    open_record(&mut app);
    let text = screen(&app);
    assert!(
        text.contains("Ages out     Turns 6 on 2026-10-20, in 49 days"),
        "the age-out mark with its date:\n{text}"
    );
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('k'));
    open_record(&mut app);
    assert!(!screen(&app).contains("Ages out"), "Amara is 3");
}

#[test]
fn a_withdrawn_child_s_record_is_read_only_and_says_so() {
    let mut app = children_screen(80, 24);
    app.on_key(key('j'));
    let mut lena = app.children.selected().unwrap().clone();
    lena.status = RegistrationStatus::Withdrawn;
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&lena));
    let record = app.record.as_ref().unwrap();
    assert!(record.read_only());
    let text = screen(&app);
    assert!(
        text.contains("WITHDRAWN · this record is read-only"),
        "{text}"
    );
    assert!(text.contains("registration 2 · WITHDRAWN"), "{text}");
    assert!(
        !text.contains("Ages out"),
        "a withdrawn child frees no spot by ageing out:\n{text}"
    );
    assert!(text.contains("No special instructions"), "{text}");
}

#[test]
fn a_record_no_longer_kept_closes_with_a_sentence_and_the_list_is_read_again() {
    let mut app = children_screen(120, 40);
    app.on_key(code(KeyCode::Enter));
    let commands = app.on_msg(Msg::Record {
        id: 3,
        registration: None,
        enrolled_by: None,
    });
    assert!(matches!(commands[..], [Command::LoadChildren]));
    assert!(app.record.is_none());
    let status = app.status.as_ref().unwrap();
    assert!(status.error && status.text.contains("Registration 3"));
}

#[test]
fn a_change_elsewhere_reads_the_record_again_and_the_list_on_return() {
    let mut app = children_screen(120, 40);
    open_record(&mut app);
    assert!(matches!(
        app.on_msg(Msg::Changed)[..],
        [Command::LoadRecord(3)]
    ));
    assert!(matches!(
        app.on_key(code(KeyCode::Esc))[..],
        [Command::LoadChildren]
    ));
    app.on_msg(Msg::Children(children()));
    open_record(&mut app);
    assert!(
        app.on_key(code(KeyCode::Esc)).is_empty(),
        "nothing changed: nothing to read"
    );
}

#[test]
fn the_record_scrolls_and_stops_at_its_end() {
    let mut app = children_screen(80, 24);
    let mut amara = children()[0].clone();
    let parents: serde_json::Map<String, serde_json::Value> = (1..=12)
        .map(|n| {
            (
                format!("guardian{n}"),
                serde_json::json!({"firstName": "G", "lastName": format!("{n}"), "phone": format!("555-01{n:02}")}),
            )
        })
        .collect();
    amara.document["parents"] = parents.into();
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&amara));
    assert!(!screen(&app).contains("555-0112"), "the last is below");
    app.on_key(key('G'));
    let end = app.record.as_ref().unwrap().scroll;
    assert!(end > 0);
    let text = screen(&app);
    assert!(
        text.contains("2026-09-01 09:30  Enrolled") && text.contains("555-0112"),
        "the last line:\n{text}"
    );
    assert!(!text.contains("EpiPen"), "{text}");
    app.on_key(key('j'));
    assert_eq!(
        app.record.as_ref().unwrap().scroll,
        end,
        "j stops at the end"
    );
    app.on_key(key('g'));
    assert_eq!(app.record.as_ref().unwrap().scroll, 0);
    assert!(screen(&app).contains("EpiPen"));
    app.on_key(key('G'));
    app.on_resize(120, 40);
    assert_eq!(
        app.record.as_ref().unwrap().scroll,
        0,
        "in a taller window it all fits: nothing stays scrolled past"
    );
    assert!(screen(&app).contains("EpiPen"));
}

#[test]
fn y_copies_a_parent_s_phone_and_number_keys_leave_the_record() {
    let mut app = children_screen(120, 40);
    open_record(&mut app);
    app.on_key(key('y'));
    assert_eq!(app.clipboard.as_deref(), Some("555-0100"));
    assert!(app.status.as_ref().unwrap().text.contains("Ngozi's phone"));
    app.on_key(key('?'));
    let help = screen(&app);
    assert!(
        help.contains("Child's record") && help.contains("Open the execution that enrolled"),
        "the help lists the record's keys:\n{help}"
    );
    app.on_key(code(KeyCode::Esc));
    app.on_key(key('3'));
    assert_eq!(app.tab, Tab::Executions);
    assert!(app.record.is_none());
}

#[test]
fn the_footer_names_the_record_keys() {
    let mut app = children_screen(80, 24);
    open_record(&mut app);
    let text = screen(&app);
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("Enter open execution"), "{footer}");
    assert!(footer.contains("Esc back"), "{footer}");
}

#[test]
fn a_record_whose_document_cannot_be_read_still_shows_what_the_store_keeps() {
    let mut app = app(80, 24);
    app.on_key(key('4'));
    let odd = registration(9, "Ada", "Li", &["Monday"]);
    app.on_msg(Msg::Children(vec![odd.clone()]));
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&odd));
    let text = screen(&app);
    assert!(text.contains("Ada Li, born 2023-05-10"), "{text}");
    assert!(text.contains("The parents cannot be read"), "{text}");
    assert!(
        text.contains("cannot be read: the registration's document"),
        "{text}"
    );
    assert!(
        text.contains("No special instructions"),
        "nothing invented:\n{text}"
    );
}

#[test]
fn control_characters_in_a_record_never_reach_the_screen() {
    let mut app = children_screen(80, 24);
    let mut amara = children()[0].clone();
    amara.document["specialInstructions"] = "Peanuts\u{1b}[2J\u{7} \u{202e}allergy".into();
    amara.document["parents"]["mother"]["firstName"] = "Ng\u{1b}]52;c;ozi".into();
    app.on_key(code(KeyCode::Enter));
    app.on_msg(record_of(&amara));
    let text = screen(&app);
    for line in text.lines() {
        assert!(!line.chars().any(daycare::text::is_unsafe), "{line:?}");
    }
    assert!(text.contains("Peanuts[2J allergy"), "{text}");
    assert!(text.contains("Ng]52;c;ozi Okafor"), "{text}");
}

#[test]
fn a_second_click_on_a_child_opens_their_record() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut app = children_screen(120, 40);
    let click = |row: u16| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 10,
        row,
        modifiers: KeyModifiers::NONE,
    };
    // The tab bar, the list's border and its header come first: Lena is on row 4.
    assert!(app.on_mouse(click(4)).is_empty());
    assert_eq!(
        app.children.selected().map(|r| r.first_name.as_str()),
        Some("Lena")
    );
    assert!(matches!(
        app.on_mouse(click(4))[..],
        [Command::LoadRecord(2)]
    ));
    assert_eq!(app.context(), Context::Record);
    assert!(
        app.on_mouse(click(4)).is_empty(),
        "a click on the record opens nothing"
    );
}
