//! End-to-end, a child's record in the real `daycare` binary, in tmux: the tutorial's
//! registration (with a date of birth the daycare takes) submitted through the command
//! line, then found in the Children list by a parent's name, opened with Enter (its
//! instructions, a parent's phone, the age-out date), its execution opened from it, and
//! back; a change of days into a full day refused in plain words, leaving the record as
//! it was; and a class list written into the export folder. Each run has its own tmux
//! server, database and folders; every wait polls for text with a deadline. Without tmux the test fails, saying how to install it.

mod tmux_support;

use std::path::PathBuf;

use tmux_support::{BIN, Tmux};

const TUTORIAL: &str = include_str!("../fixtures/registrations/tutorial-example.json");

/// The tutorial's registration with a child of 5 on the start date (2026-09-15) who
/// turns 6 on 2026-10-20, 49 days after today: the daycare takes them, and they age out.
fn tutorial_of_age() -> String {
    assert!(TUTORIAL.contains("\"2016-07-01\""));
    TUTORIAL.replace("\"2016-07-01\"", "\"2020-10-20\"")
}

#[test]
fn a_child_s_record_opens_from_the_children_list_with_instructions_and_phones() {
    for (width, height) in [(80, 24), (120, 40)] {
        let t = Tmux::start(&format!("record{width}"), width, height);
        let file = t.dir.path().join("tutorial.json");
        std::fs::write(&file, tutorial_of_age()).unwrap();
        let out = t.cli(&["submit", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "the tutorial's child, born 2020, is enrolled: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );

        t.keys(&[&format!("{BIN}; echo daycare-exit=$?"), "Enter"]);
        t.wait_for("Recent executions");
        t.keys(&["4"]);
        let list = t.wait_for("row 1 of 1");
        let row = list
            .lines()
            .find(|l| l.contains("Mohamed Diallo"))
            .unwrap_or_else(|| panic!("no row for the child:\n{list}"));
        assert!(row.contains("2026-10-20"), "the age-out date:\n{list}");

        // Found by the mother's name, without its case.
        t.keys(&["/"]);
        t.literal("AICHA");
        t.wait_for("1 of 1 named");
        t.keys(&["Enter"]);

        t.keys(&["Enter"]);
        // A capture may land while the terminal is still drawing: wait for the last line.
        let record = t.wait_until("the record's changes", |s| {
            s.lines()
                .any(|l| l.contains("  Enrolled by execution diallo-mohamed-"))
        });
        for shown in [
            "Mohamed has a peanut allergy.",
            "123-456-7890",
            "098-765-4321",
            "aicha@example.com",
            "Turns 6 on 2026-10-20",
            "Record of Mohamed Diallo",
        ] {
            assert!(record.contains(shown), "{shown:?} missing:\n{record}");
        }
        assert!(
            record
                .lines()
                .any(|l| l.contains("  Enrolled by execution diallo-mohamed-")),
            "the enrolment is the first change:\n{record}"
        );
        assert!(
            !record.contains("Reading the record"),
            "the record was read:\n{record}"
        );

        // The execution that enrolled the child, and back to the record.
        t.keys(&["Enter"]);
        t.wait_for("SUCCEEDED  diallo-mohamed-");
        t.keys(&["Escape"]);
        t.wait_for("Record of Mohamed Diallo");
        t.keys(&["Escape"]);
        t.wait_until("the list", |s| {
            s.contains("Enrolled children") && !s.contains("Special instructions")
        });

        t.keys(&["q"]);
        t.wait_for("daycare-exit=0");
    }
}

/// Awa Diallo, 4, on Monday and Tuesday only.
fn awa() -> String {
    let mut document: serde_json::Value = serde_json::from_str(&tutorial_of_age()).unwrap();
    let info = &mut document["registration_info"];
    info["child"]["firstName"] = "Awa".into();
    info["child"]["dateOfBirth"] = "2022-03-01".into();
    info["daysOfWeek"] = serde_json::json!(["Monday", "Tuesday"]);
    info["specialInstructions"] = "Naps after lunch.".into();
    document.to_string()
}

/// Submits `document` through the command line; fails saying why it was not enrolled.
fn enrol(t: &Tmux, name: &str, document: &str) {
    let file = t.dir.path().join(name);
    std::fs::write(&file, document).unwrap();
    let out = t.cli(&["submit", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{name} is enrolled: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn adding_a_full_day_from_the_record_is_refused_plainly_and_changes_nothing() {
    for (width, height) in [(80, 24), (120, 40)] {
        let t = Tmux::start(&format!("amend{width}"), width, height);
        enrol(&t, "mohamed.json", &tutorial_of_age());
        enrol(&t, "awa.json", &awa());
        // Mohamed comes on Wednesday: with one spot, Wednesday is full.
        let out = t.cli(&["spots", "set", "1", "--day", "wed"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        t.keys(&[&format!("{BIN}; echo daycare-exit=$?"), "Enter"]);
        t.wait_for("Recent executions");
        t.keys(&["4"]);
        let list = t.wait_for("row 1 of 2");
        assert!(list.contains("Awa Diallo"), "{list}");
        // Sorted by name, Awa is the first row.
        t.keys(&["Enter"]);
        t.wait_for("Record of Awa Diallo");
        t.wait_for("Naps after lunch.");

        t.keys(&["e"]);
        t.wait_for("Change Awa Diallo's record");
        // Days: Monday, Tuesday, then Wednesday ticked.
        t.keys(&["Right", "Right", "Space"]);
        t.keys(&["C-s"]);
        let refused = t.wait_for("Wednesday (full)");
        assert!(
            refused.contains("No spot for Awa Diallo on Wednesday (full)."),
            "the refusal in plain words:\n{refused}"
        );
        assert!(
            refused.contains("Change Awa Diallo's record"),
            "the form stays open:\n{refused}"
        );

        // Closing the form asks, since a day was ticked; y discards.
        t.keys(&["Escape"]);
        t.wait_for("lose the changes");
        t.keys(&["y"]);
        t.wait_until("the record without the form", |s| {
            s.contains("Record of Awa Diallo") && !s.contains("Change Awa Diallo's record")
        });
        // Read again from the list: the days are as they were.
        t.keys(&["Escape"]);
        t.wait_for("row 1 of 2");
        t.keys(&["Enter"]);
        let record = t.wait_for("Record of Awa Diallo");
        let days = record
            .lines()
            .find(|l| l.contains("Days "))
            .unwrap_or_else(|| panic!("no days line:\n{record}"));
        assert!(
            days.contains("Monday, Tuesday") && !days.contains("Wednesday"),
            "the record is unchanged:\n{record}"
        );

        t.keys(&["q"]);
        t.wait_for("daycare-exit=0");
    }
}

#[test]
fn a_class_list_for_monday_is_written_into_the_export_folder() {
    let t = Tmux::start("roster", 120, 40);
    enrol(&t, "mohamed.json", &tutorial_of_age());
    let folder = t.dir.path().join("class lists");
    t.keys(&[
        &format!(
            "{BIN} --export-dir '{}'; echo daycare-exit=$?",
            folder.display()
        ),
        "Enter",
    ]);
    t.wait_for("Recent executions");
    t.keys(&["4"]);
    t.wait_for("row 1 of 1");
    t.keys(&["x"]);
    t.wait_for("Class list for which weekday");
    t.literal("Monday");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Class list for Monday written (1 row) to ");
    let path = screen
        .lines()
        .find_map(|l| l.split("Class list for Monday written (1 row) to ").nth(1))
        .map(|p| PathBuf::from(p.trim()))
        .unwrap_or_default();
    assert!(
        path.starts_with(&folder),
        "{} is in the export folder",
        path.display()
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a BOM for spreadsheets"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("Mohamed Diallo"), "{text}");

    // Again: a new file beside it, the first kept.
    t.keys(&["x"]);
    t.literal("mon");
    t.keys(&["Enter"]);
    t.wait_for("class-list-monday-2.csv");
    assert!(path.exists());

    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}

#[test]
fn a_withdrawal_from_the_children_list_takes_a_reason_and_a_day_ahead() {
    let t = Tmux::start("withdraw", 80, 24);
    enrol(&t, "mohamed.json", &tutorial_of_age());
    t.keys(&[&format!("{BIN}; echo daycare-exit=$?"), "Enter"]);
    t.wait_for("Recent executions");
    t.keys(&["4"]);
    t.wait_for("row 1 of 1");
    t.keys(&["w"]);
    t.wait_for("Why does Mohamed Diallo leave? (required)");
    // Nothing typed: the reason is asked for again.
    t.keys(&["Enter"]);
    t.wait_for("a reason is required");
    t.literal("The family moves to Lyon");
    t.keys(&["Enter"]);
    t.wait_for("Leaves from (YYYY-MM-DD, today or later): 2026-09-01");
    t.literal("2026-09-30");
    t.keys(&["Enter"]);
    t.wait_for("Withdraw Mohamed Diallo from 2026-09-30");
    // Enter answers No.
    t.keys(&["Enter"]);
    t.wait_for("Nothing was changed.");
    t.keys(&["w"]);
    t.wait_for("Why does Mohamed Diallo leave?");
    t.literal("The family moves to Lyon");
    t.keys(&["Enter"]);
    t.wait_for("Leaves from");
    t.literal("2026-09-30");
    t.keys(&["Enter"]);
    t.wait_for("Withdraw Mohamed Diallo from 2026-09-30");
    t.keys(&["y"]);
    t.wait_for("Mohamed Diallo leaves on 2026-09-30");
    // Still enrolled until then, the day and reason on the record.
    t.wait_for("row 1 of 1");
    t.keys(&["Enter"]);
    let record = t.wait_for("Leaves on 2026-09-30: The family moves to Lyon");
    assert!(record.contains("· enrolled"), "{record}");
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}
