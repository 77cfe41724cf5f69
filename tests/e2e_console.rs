//! End-to-end: the real `daycare` binary in tmux, driven by keys, read by capturing the
//! pane. Each test has its own database, data folders and tmux socket, so they run in
//! parallel; every wait polls for text with a deadline instead of sleeping.

mod tmux_support;

use std::path::Path;

use tmux_support::Tmux;

const TUTORIAL: &str = include_str!("../fixtures/registrations/tutorial-example.json");

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

#[test]
fn registering_a_three_year_old_by_typing_succeeds_with_fees_750() {
    let t = Tmux::start("three", 120, 40);
    open_console(&t);
    t.keys(&["2"]);
    t.wait_for("▸ Child first name");
    for (text, tabs) in [
        ("Amara", 1),
        ("Okafor", 1),
        ("2023-05-10", 1),
        ("Ngozi", 1),
        ("Okafor", 2),
        ("555-0100", 5),
    ] {
        t.literal(text);
        for _ in 0..tabs {
            t.keys(&["Tab"]);
        }
    }
    t.wait_for("▸ Weekdays");
    t.keys(&["Space", "Right", "Right", "Space", "C-s"]);
    let screen = t.wait_for("SUCCEEDED");
    let screen = if screen.contains("Fees") {
        screen
    } else {
        t.wait_for("Fees")
    };
    assert!(screen.contains("Fees        750"), "{screen}");
    assert!(screen.contains("Start date  2026-09-15"), "{screen}");
    assert!(screen.contains("✓ Confirm Registration"), "{screen}");
    // The child now holds a spot on Monday and Wednesday.
    t.keys(&["4"]);
    let screen = t.wait_until("Amara on the children screen", |s| {
        s.contains("Enrolled children · 1")
    });
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Amara Okafor") && l.contains("Mon Wed") && l.contains("750")),
        "{screen}"
    );
}

#[test]
fn the_tutorial_example_loaded_from_a_file_is_refused_for_age() {
    let t = Tmux::start("tutorial", 120, 40);
    let file = t.write("tutorial.json", TUTORIAL);
    open_console(&t);
    t.keys(&["2", "C-o"]);
    t.wait_for("Registration file (JSON");
    t.literal(&file.display().to_string());
    t.keys(&["Enter"]);
    t.wait_for("Registration loaded");
    t.keys(&["Enter"]);
    let screen = t.wait_for("✗ FAILED");
    let screen = if screen.contains("aged 2 to 5") {
        screen
    } else {
        t.wait_for("aged 2 to 5")
    };
    assert!(screen.contains("AgeOutOfRange"), "{screen}");
    assert!(screen.contains("Mohamed Diallo"), "{screen}");
    assert!(
        screen.contains("✗ Age Out Of Range"),
        "the failing state is marked: {screen}"
    );
}

#[test]
fn a_capacity_change_is_seen_on_spots_and_going_below_enrolled_is_refused() {
    let t = Tmux::start("spots", 120, 40);
    let file = t.write("amara.json", THREE_YEAR_OLD);
    let submitted = t.cli(&["submit", file.to_str().unwrap()]);
    assert!(
        submitted.status.success(),
        "{}",
        String::from_utf8_lossy(&submitted.stderr)
    );
    open_console(&t);
    t.keys(&["5"]);
    t.wait_until("the spots table", |s| {
        s.contains("Spots per weekday") && s.contains("Tuesday")
    });
    t.keys(&["j", "e"]);
    t.wait_for("Spots on Tuesday: 20");
    t.keys(&["BSpace", "BSpace"]);
    t.literal("12");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Tuesday 20 → 12");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Tuesday") && l.contains(" 12 ")),
        "{screen}"
    );
    // Monday has Amara: it cannot go to 0.
    t.keys(&["k", "e", "BSpace", "BSpace", "0", "Enter"]);
    // Closing a day is asked first.
    t.wait_for("Close Monday?");
    t.keys(&["y"]);
    let screen = t.wait_for("Not changed");
    assert!(screen.contains("enrolled"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Monday") && l.contains(" 20 ")),
        "{screen}"
    );
}

#[test]
fn opening_an_execution_shows_a_state_input() {
    let t = Tmux::start("detail", 120, 40);
    let file = t.write("tutorial.json", TUTORIAL);
    let submitted = t.cli(&["submit", file.to_str().unwrap()]);
    assert_eq!(
        submitted.status.code(),
        Some(1),
        "the tutorial's child is refused"
    );
    open_console(&t);
    t.keys(&["3"]);
    t.wait_for("row 1 of 1");
    t.keys(&["Enter"]);
    t.wait_for("Input of Age Out Of Range");
    t.keys(&["g"]);
    let screen = t.wait_for("Input of Check Information");
    assert!(screen.contains("\"firstName\": \"Mohamed\""), "{screen}");
    assert!(screen.contains("Cause:"), "{screen}");
    t.keys(&["x"]);
    let screen = t.wait_for("History written to");
    let path = screen
        .lines()
        .find_map(|l| l.split("History written to ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    assert!(
        Path::new(&path).starts_with(t.dir.path().join("data").join("daycare").join("exports")),
        "written in the export folder, never the folder daycare runs in: {path}"
    );
    let text = std::fs::read_to_string(Path::new(&path)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["events"][0]["type"], "ExecutionStarted");
}

#[test]
fn a_small_terminal_shows_the_too_small_screen_and_q_quits() {
    let t = Tmux::start("small", 60, 20);
    t.console();
    let screen = t.wait_for("Terminal too small");
    assert!(screen.contains("80×24"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn q_leaves_the_shell_clean() {
    let t = Tmux::start("quit", 100, 30);
    open_console(&t);
    assert!(
        t.alternate_screen(),
        "the console uses the alternate screen"
    );
    t.keys(&["q"]);
    let screen = t.wait_for("daycare-exit=0");
    t.wait_until("prompt back", |s| s.trim_end().ends_with("ready$"));
    assert!(!t.alternate_screen(), "the alternate screen was left on");
    assert!(!screen.contains("Dashboard"), "{screen}");
    // The shell still echoes what is typed (raw mode is off).
    t.literal("echo typed-back");
    t.keys(&["Enter"]);
    t.wait_for("\ntyped-back");
    // Logs went to a file in the state folder, not to the screen.
    let log = std::fs::read_to_string(t.dir.path().join("state/daycare/logs/console.log")).unwrap();
    assert!(log.contains("first frame drawn"), "{log}");
}

/// Whether captured escapes hold a foreground or background colour (30–37, 38;…, 90–97, 40–47, 48;…).
fn has_colour(escaped: &str) -> bool {
    escaped
        .split('\u{1b}')
        .filter_map(|seq| seq.strip_prefix('['))
        .any(|seq| {
            let params = seq.split('m').next().unwrap_or("");
            params.split(';').any(|p| {
                matches!(
                    p.parse::<u32>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            })
        })
}

#[test]
fn no_color_draws_in_the_terminal_own_colours() {
    let plain = Tmux::start_with("nocolor", 100, 30, "NO_COLOR=1");
    open_console(&plain);
    let escaped = plain.screen_with_escapes();
    assert!(
        !has_colour(&escaped),
        "colour used under NO_COLOR:\n{escaped:?}"
    );
    assert!(
        escaped.contains("\u{1b}[7m"),
        "the selection is still shown, in reverse"
    );

    let coloured = Tmux::start("colour", 100, 30);
    open_console(&coloured);
    assert!(
        has_colour(&coloured.screen_with_escapes()),
        "colour is used without NO_COLOR"
    );
}

#[test]
fn resizing_at_any_time_redraws_to_fit() {
    let t = Tmux::start("resize", 100, 30);
    open_console(&t);
    assert!(
        t.run(&["resize-window", "-t", "main", "-x", "60", "-y", "20"])
            .status
            .success()
    );
    t.wait_for("Terminal too small");
    assert!(
        t.run(&["resize-window", "-t", "main", "-x", "120", "-y", "40"])
            .status
            .success()
    );
    let screen = t.wait_for("Spots this week");
    assert!(!screen.contains("Terminal too small"), "{screen}");
    assert!(
        screen.contains("daycare · today 2026-09-01"),
        "the wider bar shows the date: {screen}"
    );
}

#[test]
fn withdrawing_a_child_after_confirming_frees_the_spots() {
    let t = Tmux::start("withdraw", 120, 40);
    let file = t.write("amara.json", THREE_YEAR_OLD);
    assert!(t.cli(&["submit", file.to_str().unwrap()]).status.success());
    open_console(&t);
    t.keys(&["4"]);
    t.wait_until("the children", |s| s.contains("Enrolled children · 1"));
    t.keys(&["w"]);
    t.wait_for("Why does Amara Okafor leave?");
    t.literal("Moving away");
    t.keys(&["Enter"]);
    t.wait_for("Leaves from");
    t.keys(&["Enter"]);
    t.wait_for("Withdraw Amara Okafor today");
    t.keys(&["y"]);
    t.wait_for("Amara Okafor withdrawn");
    t.wait_for("Enrolled children · 0");
    t.keys(&["5"]);
    let screen = t.wait_until("Monday free again", |s| {
        s.lines()
            .any(|l| l.contains("Monday") && l.contains(" 20 ") && l.contains(" 0 "))
    });
    assert!(screen.contains("Wednesday"), "{screen}");
}

#[test]
fn a_file_that_is_not_a_daycare_database_is_explained_and_left_alone() {
    let t = Tmux::start("notdb", 100, 30);
    let text = "shopping list: milk, eggs\n";
    t.write("daycare.db", text);
    t.console();
    let screen = t.wait_for("The database cannot be used");
    assert!(screen.contains("not a daycare database"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
    assert_eq!(std::fs::read_to_string(t.db()).unwrap(), text);
}
