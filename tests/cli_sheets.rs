//! The lists people print and the child's record, through the real binary: CSV as
//! RFC 4180 with a byte order mark (CRLF, quoting, line breaks inside a cell), the class
//! list of a weekday with exactly the children who come that day, `registration ID` as
//! text and JSON, and the messages for a bad id, a bad day and --csv with --json.

mod cli_support;

use cli_support::Db;
use serde_json::{Value, json};

const BOM: char = '\u{feff}';

/// A registration document for the CLI, on `days`, with `instructions`.
fn child(first: &str, last: &str, days: &[&str], instructions: Option<&str>) -> Value {
    let mut info = json!({
        "child": {"firstName": first, "lastName": last, "dateOfBirth": "2023-03-04"},
        "parents": {
            "mother": {"firstName": "Ada", "lastName": last, "phone": "555-010-0100", "email": "ada@example.com"},
            "guardian": {"firstName": "Bo", "lastName": "Berg", "phone": "+1 (555) 010-0200"}
        },
        "daysOfWeek": days,
    });
    if let Some(text) = instructions {
        info["specialInstructions"] = text.into();
    }
    json!({ "registration_info": info })
}

/// Submits each document; the registrations' ids in that order.
fn enrol(db: &Db, documents: &[Value]) -> Vec<i64> {
    let lines: String = documents.iter().map(|d| format!("{d}\n")).collect();
    let file = db.dir.path().join("children.jsonl");
    std::fs::write(&file, lines).unwrap();
    let (code, out) = db.json(&["submit", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let (_, regs) = db.json(&["registrations"]);
    let mut ids: Vec<(String, i64)> = regs["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["executionName"].as_str().unwrap().to_string(),
                r["id"].as_i64().unwrap(),
            )
        })
        .collect();
    ids.sort_by_key(|(_, id)| *id);
    ids.into_iter().map(|(_, id)| id).collect()
}

const TRICKY_FIRST: &str = "Zoë \"Zo\"";
const TRICKY_LAST: &str = "Okafor, Jr.";
const INSTRUCTIONS: &str = "Peanut allergy.\nEpiPen in the blue bag.\u{202e}";

/// Four children: Okafor (the tricky names, Monday and Thursday), Adams (Tuesday, an
/// instruction a spreadsheet would run), Bello (Monday), Álvarez (Monday, withdrawn).
fn daycare() -> (Db, Vec<i64>) {
    let db = Db::new();
    let ids = enrol(
        &db,
        &[
            child(
                TRICKY_FIRST,
                TRICKY_LAST,
                &["Mon", "Thu"],
                Some(INSTRUCTIONS),
            ),
            child("Ann", "Adams", &["Tue"], Some("=SUM(1,2)")),
            child("Cy", "Bello", &["Monday"], None),
            child("Dee", "Álvarez", &["Monday"], None),
        ],
    );
    assert_eq!(ids.len(), 4);
    assert_eq!(
        db.run(&["withdraw", &ids[3].to_string(), "--reason", "moving"])
            .0,
        0
    );
    (db, ids)
}

/// A CSV document as a spreadsheet reads it: the rows, each a list of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix(BOM).expect("a byte order mark first");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Every record ends in CRLF; the only bare LF is the one inside the quoted instructions.
fn assert_crlf(text: &str) {
    assert!(text.ends_with("\r\n"), "{text:?}");
    let bare = text
        .match_indices('\n')
        .filter(|(i, _)| !text[..*i].ends_with('\r'));
    let inside: Vec<usize> = bare.map(|(i, _)| i).collect();
    for i in &inside {
        assert!(
            text[..*i].ends_with("Peanut allergy."),
            "a bare line feed outside the instructions at {i}: {text:?}"
        );
    }
}

#[test]
fn the_contact_sheet_is_rfc_4180_with_a_bom_and_quotes_what_needs_it() {
    let (db, ids) = daycare();
    let (code, text, err) = db.run(&["registrations", "--csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.starts_with("\u{feff}ID,Child,Date of birth,Days,Parent 1 role,"),
        "{text}"
    );
    assert_crlf(&text);
    // The quote doubled, the comma quoted, the line break kept inside quotes, the bidi
    // override gone.
    let expected = format!(
        "{},\"Zoë \"\"Zo\"\" Okafor, Jr.\",2023-03-04,\"Mon, Thu\",mother,\"Ada Okafor, Jr.\",555-010-0100,ada@example.com,guardian,Bo Berg,+1 (555) 010-0200,,",
        ids[0]
    );
    assert!(text.contains(&expected), "{expected}\nin\n{text}");
    assert!(
        text.contains(",\"Peanut allergy.\nEpiPen in the blue bag.\"\r\n"),
        "{text}"
    );
    assert!(!text.contains('\u{202e}'), "{text:?}");

    let rows = parse_csv(&text);
    assert_eq!(rows[0].len(), 4 + 4 * 4 + 1);
    let children: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    // Enrolled only (Álvarez is withdrawn), by last name.
    assert_eq!(
        children,
        ["Ann Adams", "Cy Bello", "Zoë \"Zo\" Okafor, Jr."]
    );
    let okafor = &rows[3];
    assert_eq!(
        okafor.last().unwrap(),
        "Peanut allergy.\nEpiPen in the blue bag."
    );
    // A cell a spreadsheet would run as a formula is kept as text.
    assert_eq!(rows[1].last().unwrap(), "'=SUM(1,2)");
}

#[test]
fn the_roster_lists_exactly_the_children_of_that_day_by_last_name() {
    let (db, _) = daycare();
    let (code, text, err) = db.run(&["roster", "--day", "monday"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("CHILD"), "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("Cy Bello "), "{text}");
    assert!(lines[2].starts_with("Zoë \"Zo\" Okafor, Jr. "), "{text}");
    assert!(
        lines[2].contains(
            "Ada Okafor, Jr. (mother) 555-010-0100; Bo Berg (guardian) +1 (555) 010-0200"
        ),
        "{text}"
    );
    assert!(
        lines[2].contains("Peanut allergy. EpiPen in the blue bag."),
        "{text}"
    );

    let (_, text, _) = db.run(&["roster", "--day", "Tue", "--csv"]);
    assert_crlf(&text);
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "Child",
            "Date of birth",
            "Age",
            "Parents",
            "Special instructions",
            "Start date"
        ]
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][0], "Ann Adams");
    assert_eq!(rows[1][2], "3");

    let (code, roster) = db.json(&["roster", "--day", "thu"]);
    assert_eq!(code, 0);
    let names: Vec<&str> = roster["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["lastName"].as_str().unwrap())
        .collect();
    assert_eq!(names, [TRICKY_LAST]);

    let (code, text, _) = db.run(&["roster", "--day", "sat", "--csv"]);
    assert_eq!(code, 0);
    assert_eq!(
        parse_csv(&text).len(),
        1,
        "only the header on a day nobody comes"
    );
}

#[test]
fn executions_as_csv_follow_the_list_s_filters() {
    let (db, _) = daycare();
    let (code, text, err) = db.run(&["executions", "--child", "okafor", "--csv"]);
    assert_eq!(code, 0, "{err}");
    assert_crlf(&text);
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "Name",
            "Status",
            "Started (UTC)",
            "Stopped (UTC)",
            "Child",
            "Fees",
            "Error"
        ]
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][1], "SUCCEEDED");
    assert_eq!(rows[1][4], "Zoë \"Zo\" Okafor, Jr.");
    let (_, text, _) = db.run(&["executions", "--limit", "2", "--csv"]);
    assert_eq!(parse_csv(&text).len(), 3);
    let (_, text, _) = db.run(&["executions", "--status", "failed", "--csv"]);
    assert_eq!(parse_csv(&text).len(), 1);
}

#[test]
fn a_record_is_shown_as_text_and_as_json() {
    let (db, ids) = daycare();
    let id = ids[0].to_string();
    let (code, text, err) = db.run(&["registration", &id]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = text.lines().collect();
    let at = |field: &str| {
        lines
            .iter()
            .position(|l| l.split("  ").next() == Some(field))
            .unwrap_or_else(|| panic!("no {field} in\n{text}"))
    };
    assert!(
        lines[at("child")].ends_with("Zoë \"Zo\" Okafor, Jr."),
        "{text}"
    );
    assert!(
        lines[at("age")].ends_with("3 today, 3 on the start date"),
        "{text}"
    );
    let instructions = at("instructions");
    assert!(lines[instructions].ends_with("  Peanut allergy."), "{text}");
    assert_eq!(lines[instructions + 1].trim(), "EpiPen in the blue bag.");
    assert!(
        lines[at("mother")].ends_with("Ada Okafor, Jr., 555-010-0100, ada@example.com"),
        "{text}"
    );
    assert!(
        lines[at("guardian")].ends_with("Bo Berg, +1 (555) 010-0200"),
        "{text}"
    );
    assert!(lines[at("days")].ends_with("Monday, Thursday"), "{text}");
    assert!(lines[at("status")].ends_with("enrolled"), "{text}");
    assert!(lines[at("execution")].contains("okafor"), "{text}");
    assert!(!text.contains('\u{202e}'), "{text:?}");

    let (code, record) = db.json(&["registration", &id]);
    assert_eq!(code, 0);
    assert_eq!(record["firstName"], TRICKY_FIRST);
    assert_eq!(record["lastName"], TRICKY_LAST);
    assert_eq!(record["ageToday"], 3);
    assert_eq!(record["days"], json!(["Monday", "Thursday"]));
    assert_eq!(record["specialInstructions"], INSTRUCTIONS);
    assert_eq!(record["status"], "enrolled");
    assert_eq!(
        record["parents"][1],
        json!({"role": "guardian", "firstName": "Bo", "lastName": "Berg", "phone": "+1 (555) 010-0200"})
    );
    let (_, listed) = db.json(&["executions", "--child", "okafor"]);
    assert_eq!(record["executionName"], listed["executions"][0]["name"]);

    let (_, withdrawn) = db.json(&["registration", &ids[3].to_string()]);
    assert_eq!(withdrawn["status"], "withdrawn");
}

#[test]
fn a_bad_id_a_bad_day_and_csv_with_json_are_told_plainly() {
    let (db, _) = daycare();
    let (code, out, err) = db.run(&["registration", "99"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert_eq!(
        err.trim(),
        "daycare: no registration 99; `daycare registrations --all` lists every registration with its ID"
    );
    let (code, _, err) = db.run(&["registration", "nine"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the ID column of `daycare registrations`"),
        "{err}"
    );

    let (code, out, err) = db.run(&["roster", "--day", "Caturday"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("“Caturday” is not a day of the week; use Monday … Sunday or Mon … Sun"),
        "{err}"
    );
    let (code, _, err) = db.run(&["roster"]);
    assert_eq!(code, 2);
    assert!(err.contains("--day"), "{err}");

    for args in [
        &["roster", "--day", "mon", "--csv", "--json"][..],
        &["registrations", "--csv", "--json"],
        &["executions", "--json", "--csv"],
    ] {
        let (code, out, err) = db.run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(
            err.contains("--csv and --json cannot be used together"),
            "{args:?}: {err}"
        );
    }
    let (code, _, err) = db.run(&["registrations", "--all", "--csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("enrolled children only"), "{err}");
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let (db, _) = daycare();
    let mut child = db
        .command()
        .args(["executions", "--csv", "--limit", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}
