//! End-to-end, the console as a desk sees it: the real `daycare` binary in tmux, read by
//! capturing the pane. What another desk does shows without a key; nothing the footer
//! and status line must say is cut off. Every wait polls with a deadline.

mod tmux_support;

use std::path::PathBuf;
use std::time::Duration;

use tmux_support::{BIN, TIMEOUT, Tmux};

const AMARA: &str = r#"{"registration_info": {
  "child": {"firstName": "Amara", "lastName": "Okafor", "dateOfBirth": "2023-05-10"},
  "parents": {"mother": {"firstName": "Ngozi", "lastName": "Okafor", "phone": "555-0100"}},
  "daysOfWeek": ["Monday", "Wednesday"]
}}"#;

/// Another desk's work shows within two seconds, with no key pressed (a second of
/// polling, a read, a frame; the margin covers a loaded test machine).
/// Opens the console and waits for the dashboard's first frame.
fn open_console(t: &Tmux) {
    t.console();
    t.wait_for("Spots ");
    t.wait_for("Places");
}

const LIVE: Duration = Duration::from_millis(2_500);

#[test]
fn what_the_command_line_does_shows_on_every_screen_without_a_key() {
    let t = Tmux::start_with("live", 120, 40, "");
    open_console(&t);
    t.keys(&["3"]);
    t.wait_for("No executions yet");
    t.submit(AMARA);
    let screen = t.wait_within("the run on Executions", LIVE, |s| {
        s.contains("Amara Okafor")
    });
    assert!(screen.contains("SUCCEEDED"), "{screen}");

    t.keys(&["1"]);
    t.wait_for("Recent executions");
    t.wait_for("Amara Okafor");
    t.cli(&["spots", "set", "9", "--day", "tuesday"]);
    t.wait_within("Tuesday's 9 spots on the Dashboard", LIVE, |s| {
        s.lines()
            .any(|l| l.contains("Tue") && l.contains("0/9 enrolled"))
    });

    t.keys(&["5"]);
    t.wait_for("Tuesday");
    t.cli(&["spots", "set", "11", "--day", "thursday"]);
    t.wait_within("Thursday's 11 spots on Spots", LIVE, |s| {
        s.lines()
            .any(|l| l.contains("Thursday") && l.contains("11"))
    });

    t.keys(&["4"]);
    t.wait_for("Amara");
    let out = t.cli(&["registrations", "--json"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let id = text
        .split("\"id\":")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())
        })
        .unwrap_or_else(|| panic!("an id in {text}"))
        .to_string();
    let out = t.cli(&["withdraw", &id, "--reason", "Moving away"]);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{:?}",
        out
    );
    t.wait_within("Amara gone from Children", LIVE, |s| !s.contains("Amara"));
}

#[test]
fn the_footer_always_offers_help_and_quit() {
    for (w, h) in [(120, 40), (80, 24)] {
        let t = Tmux::start_with(&format!("footer{w}"), w, h, "");
        open_console(&t);
        for tab in ["1", "3", "4", "5"] {
            t.keys(&[tab]);
            std::thread::sleep(Duration::from_millis(100));
            let screen = t.wait_within("? help and q quit", TIMEOUT, |s| {
                let footer = s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
                footer.contains("? help") && footer.contains("q quit")
            });
            let footer = screen.lines().rfind(|l| !l.trim().is_empty());
            let footer = footer.unwrap_or("").trim_end();
            assert!(
                footer.ends_with("q quit"),
                "the last hint is whole at {w}×{h}: {footer:?}"
            );
        }
    }
}

#[test]
fn a_new_database_says_how_to_begin() {
    let t = Tmux::start_with("empty", 80, 24, "");
    open_console(&t);
    t.wait_for("No registrations yet — press 2 to register a child.");
}

/// Opens the newest execution's detail from the Executions screen.
fn open_newest(t: &Tmux) {
    t.keys(&["3"]);
    // The Dashboard shows the child's name too: wait for the Executions list itself.
    t.wait_within("the Executions list", TIMEOUT, |s| {
        s.contains("row 1 of") && s.contains("Amara Okafor")
    });
    t.keys(&["Enter"]);
    // The history's table is drawn once the execution is read.
    t.wait_for("History · ");
}

fn exported(t: &Tmux) -> PathBuf {
    let screen = t.wait_for("History written to ");
    let line = screen
        .lines()
        .find(|l| l.contains("History written to "))
        .unwrap_or("");
    let path = line
        .split("History written to ")
        .nth(1)
        .unwrap_or("")
        .trim();
    PathBuf::from(path)
}

#[test]
fn exports_go_to_the_export_folder_and_never_overwrite() {
    let t = Tmux::start_with("export", 120, 40, "");
    // A folder with a space in its name, not yet made: the console makes it.
    let folder = t.dir.path().join("exports here");
    t.submit(AMARA);
    t.shell(&format!("export DAYCARE_EXPORT_DIR='{}'", folder.display()));
    open_console(&t);
    open_newest(&t);
    t.keys(&["x"]);
    let first = exported(&t);
    assert!(first.starts_with(&folder), "{first:?} in {folder:?}");
    assert!(first.is_file(), "{first:?} written");
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("\"events\""), "{text}");
    t.keys(&["x"]);
    t.wait_for("history-2.json");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "a second export is a second file: {names:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        text,
        "the first is untouched"
    );
    let here: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .collect();
    assert!(here.is_empty() || here.iter().all(|e| e.file_name() == "registration.json"));
}

#[test]
fn without_a_folder_named_exports_go_to_the_data_folder_not_the_current_one() {
    let t = Tmux::start_with("export-default", 120, 40, "");
    t.submit(AMARA);
    open_console(&t);
    open_newest(&t);
    t.keys(&["x"]);
    let path = exported(&t);
    let expected = t.dir.path().join("data").join("daycare").join("exports");
    assert!(path.starts_with(&expected), "{path:?} in {expected:?}");
    assert!(path.is_file());
}

#[test]
fn a_narrow_status_line_keeps_the_exported_file_s_name() {
    let t = Tmux::start_with("export-narrow", 80, 24, "");
    t.submit(AMARA);
    open_console(&t);
    open_newest(&t);
    t.keys(&["x"]);
    let screen = t.wait_for("History written to ");
    let folder = t.dir.path().join("data").join("daycare").join("exports");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let status = screen
        .lines()
        .find(|l| l.contains("History written to "))
        .unwrap_or("");
    assert!(
        status.trim_end().ends_with(&names[0]),
        "{status:?} names {}",
        names[0]
    );
}

#[test]
fn the_command_line_s_tables_line_up_wide_names_in_a_terminal() {
    let t = Tmux::start_with("cli-table", 120, 40, "");
    t.submit(AMARA);
    t.submit(
        &AMARA
            .replace("\"Amara\"", "\"小龙\"")
            .replace("\"Okafor\", \"dateOfBirth\"", "\"李\", \"dateOfBirth\""),
    );
    t.shell(&format!(
        "{BIN} executions; {BIN} registrations; echo listed-$?"
    ));
    let screen = t.wait_for("listed-0");
    // Where the fees start, in terminal columns, on each row that names a child.
    let column_of = |line: &str, what: &str| {
        line.find(what)
            .map(|at| unicode_width::UnicodeWidthStr::width(&line[..at]))
    };
    for header in ["STARTED", "ID  CHILD"] {
        let rows: Vec<&str> = screen
            .lines()
            .skip_while(|l| !l.starts_with(header))
            .take(3)
            .collect();
        assert_eq!(rows.len(), 3, "{screen}");
        let fees: Vec<Option<usize>> = rows
            .iter()
            .map(|l| column_of(l, if l.starts_with(header) { "FEES" } else { "750" }))
            .collect();
        assert!(
            fees.iter().all(|c| c.is_some() && *c == fees[0]),
            "{header}: {fees:?}\n{screen}"
        );
        assert!(rows.iter().any(|l| l.contains("小龙 李")), "{screen}");
    }
}
