//! End-to-end: the console's keys in the real `daycare` binary, in tmux. Spots prompts
//! and their questions, Esc typed fast before a key, quitting with a typed form, filters
//! as staff type, copying through OSC 52, and pasting into a field. Each test has its own
//! tmux server, database and folders; every wait polls for text with a deadline.

mod tmux_support;

use tmux_support::Tmux;

const THREE_YEAR_OLD: &str = r#"{"registration_info": {
  "child": {"firstName": "Amara", "lastName": "Okafor", "dateOfBirth": "2023-05-10"},
  "parents": {"mother": {"firstName": "Ngozi", "lastName": "Okafor", "phone": "555-0100"}},
  "daysOfWeek": ["Monday", "Wednesday"]
}}"#;

fn open_console(t: &Tmux) {
    t.console();
    t.wait_for("Spots this week");
    t.wait_until("the spots", |s| {
        s.contains("enrolled,") && s.contains("Places")
    });
}

/// Registers the three-year-old through the CLI, so the console has a child and a run.
fn register_amara(t: &Tmux) {
    let file = t.write("amara.json", THREE_YEAR_OLD);
    let out = t.cli(&["submit", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The row of the spots table for `day`, squeezed to single spaces.
fn day_row(screen: &str, day: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(&format!("│{day} ")) || l.trim_start_matches('│').starts_with(day))
        .unwrap_or_else(|| panic!("no {day} row in:\n{screen}"));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn spots_typing_replaces_the_value_and_big_changes_and_closed_days_ask_first() {
    for (width, height) in [(120, 40), (80, 24)] {
        let t = Tmux::start(&format!("spots{width}"), width, height);
        open_console(&t);
        t.keys(&["5"]);
        t.wait_for("Wednesday");
        t.keys(&["j", "e"]);
        t.wait_for("Spots on Tuesday: 20");
        t.literal("2");
        t.wait_for("Spots on Tuesday: 2");
        assert!(
            !t.screen().contains("Spots on Tuesday: 202"),
            "typing replaced the value"
        );
        t.keys(&["Enter"]);
        let screen = t.wait_for("Tuesday 20 → 2");
        assert!(
            screen.contains("Enter no"),
            "the dialog names its keys:\n{screen}"
        );
        t.keys(&["Enter"]);
        t.wait_for("Nothing was changed");
        assert!(
            day_row(&t.screen(), "Tuesday").contains("Tuesday 20"),
            "{}",
            t.screen()
        );

        // A bad number: said inside the prompt, the input kept.
        t.keys(&["e"]);
        t.literal("1x");
        t.keys(&["Enter"]);
        let screen = t.wait_for("not a number of spots");
        assert!(screen.contains("Spots on Tuesday: 1x"), "{screen}");
        t.keys(&["BSpace"]);
        t.literal("8");
        t.keys(&["Enter"]);
        t.wait_for("Tuesday 20 → 18");

        // Every open day: the weekend stays closed.
        t.keys(&["a"]);
        t.wait_for("every open day");
        t.literal("15");
        t.keys(&["Enter"]);
        t.wait_for("Spots saved");
        let screen = t.screen();
        assert!(day_row(&screen, "Monday").contains("Monday 15"), "{screen}");
        assert!(
            day_row(&screen, "Saturday").contains("Saturday 0"),
            "{screen}"
        );

        // Opening a closed day asks.
        t.keys(&["G", "e"]);
        t.wait_for("Spots on Sunday");
        t.literal("4");
        t.keys(&["Enter"]);
        t.wait_for("Sunday is closed. Open it with 4 spots?");
        t.keys(&["y"]);
        t.wait_for("Sunday 0 → 4");
        t.keys(&["q"]);
        t.wait_for("daycare-exit=0");
    }
}

#[test]
fn cli_spots_set_without_a_day_changes_the_open_days_only() {
    let t = Tmux::start("cli-spots", 80, 24);
    let out = t.cli(&["spots", "set", "9"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let row = |day: &str| {
        text.lines()
            .find(|l| l.starts_with(day))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert!(row("Friday").starts_with("Friday 9"), "{text}");
    assert!(row("Saturday").starts_with("Saturday 0"), "{text}");
    let out = t.cli(&["spots", "set", "3", "--day", "Sat"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.starts_with("Saturday") && l.split_whitespace().nth(1) == Some("3"))
    );
}

#[test]
fn esc_then_a_key_typed_fast_is_both_keys() {
    let t = Tmux::start("escfast", 120, 40);
    open_console(&t);
    t.keys(&["2"]);
    t.wait_for("▸ Child first name");
    // One write: the terminal sees ESC and "3" together, as Alt-3.
    t.keys(&["M-3"]);
    let screen = t.wait_for("Executions, newest first");
    assert!(
        !screen.contains("[3"),
        "nothing typed into the field:\n{screen}"
    );
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn quitting_with_a_typed_form_asks_and_ctrl_c_twice_quits() {
    let t = Tmux::start("quitform", 80, 24);
    open_console(&t);
    t.keys(&["2"]);
    t.wait_for("▸ Child first name");
    t.literal("Zo");
    t.keys(&["C-c"]);
    t.wait_for("Quit and lose the registration");
    t.keys(&["Enter"]);
    t.wait_for("Nothing was changed");
    assert!(
        t.screen().contains("[Zo"),
        "the form is kept:\n{}",
        t.screen()
    );
    t.keys(&["C-c"]);
    t.wait_for("Quit and lose the registration");
    t.keys(&["C-c"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn children_filter_as_you_type_and_esc_clears() {
    let t = Tmux::start("filter", 120, 40);
    register_amara(&t);
    open_console(&t);
    t.keys(&["4"]);
    t.wait_for("Enrolled children · 1");
    t.keys(&["/"]);
    t.literal("ÁMA");
    t.wait_for("1 of 1 named");
    t.literal("x");
    t.wait_for("No enrolled child has that name");
    t.keys(&["Enter", "Escape"]);
    t.wait_for("Enrolled children · 1");
    assert!(t.screen().contains("Amara Okafor"));
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn y_copies_through_osc_52_and_says_what() {
    let t = Tmux::start("copy", 120, 40);
    assert!(
        t.run(&["set-option", "-g", "set-clipboard", "on"])
            .status
            .success()
    );
    register_amara(&t);
    open_console(&t);
    t.keys(&["3"]);
    t.wait_for("row 1 of 1");
    t.keys(&["y"]);
    let screen = t.wait_for("Copied the execution name to the clipboard");
    let buffer = t.wait_buffer();
    assert!(
        screen.contains(&buffer),
        "the status line names what was copied:\n{screen}"
    );
    assert!(!buffer.is_empty());
    t.keys(&["4"]);
    t.wait_for("Enrolled children · 1");
    t.keys(&["y"]);
    t.wait_for("Copied Ngozi's phone");
    t.wait_until("the phone in tmux's buffer", |_| t.buffer() == "555-0100");
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn a_paste_and_readline_keys_edit_a_field() {
    let t = Tmux::start("paste", 120, 40);
    open_console(&t);
    t.keys(&["2"]);
    t.wait_for("▸ Child first name");
    assert!(t.run(&["set-buffer", "Ana\nMaría"]).status.success());
    assert!(
        t.run(&["paste-buffer", "-p", "-t", "main"])
            .status
            .success()
    );
    t.wait_for("[Ana María");
    t.keys(&["C-w"]);
    t.wait_until("the last word erased", |s| {
        s.contains("[Ana ") && !s.contains("María")
    });
    t.keys(&["C-a"]);
    t.literal(">");
    t.wait_for("[>Ana");
    t.keys(&["C-c"]);
    t.wait_for("Quit and lose");
    t.keys(&["y"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn status_news_expires_by_itself() {
    let t = Tmux::start("expire", 80, 24);
    open_console(&t);
    t.keys(&["5"]);
    t.wait_for("Wednesday");
    t.keys(&["e"]);
    t.wait_for("Spots on Monday");
    t.literal("1");
    t.keys(&["Enter"]);
    t.wait_for("Monday 20 → 1");
    t.keys(&["n"]);
    t.wait_for("Nothing was changed");
    // News lasts a few seconds, then the line is clear without a key.
    t.wait_until("the news to go", |s| !s.contains("Nothing was changed"));
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn key_2_lands_in_the_form_after_a_submission_too() {
    let t = Tmux::start("tab2", 120, 40);
    let file = t.write("amara.json", THREE_YEAR_OLD);
    open_console(&t);
    t.keys(&["2"]);
    t.wait_for("▸ Child first name");
    t.keys(&["C-o"]);
    t.wait_for("Registration file");
    t.literal(file.to_str().unwrap());
    t.keys(&["Enter"]);
    t.wait_for("▸ Submit");
    t.keys(&["Enter"]);
    t.wait_for("SUCCEEDED");
    t.keys(&["1"]);
    t.wait_for("Spots this week");
    t.keys(&["2"]);
    t.wait_for("▸ Child first name");
    t.literal("n");
    t.wait_for("[Amaran");
    t.keys(&["C-c"]);
    t.wait_for("Quit and lose");
    t.keys(&["y"]);
    t.wait_for("daycare-exit=0");
}
