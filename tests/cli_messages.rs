//! What the command line says when input is wrong or partly wrong: a malformed parent
//! contact, a negative number of spots, a bulk submit with refused and unreadable lines,
//! and the state each history event belongs to.

mod cli_support;

use cli_support::{Db, fixture};
use serde_json::{Value, json};

fn document(mother: Value) -> Value {
    json!({"registration_info": {
        "child": {"firstName": "Noah", "lastName": "Martin", "dateOfBirth": "2023-06-01"},
        "parents": {"mother": mother},
        "daysOfWeek": ["tue"]
    }})
}

fn write(db: &Db, name: &str, text: &str) -> String {
    let path = db.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_named_parent_with_a_malformed_phone_is_told_only_of_the_phone() {
    let db = Db::new();
    let doc = document(json!({"firstName": "Aicha", "lastName": "Cisse", "phone": "12"}));
    let file = write(&db, "bad-phone.json", &doc.to_string());
    let (code, out) = db.json(&["submit", &file]);
    assert_eq!(code, 1, "{out}");
    let cause = out["results"][0]["cause"].as_str().unwrap();
    assert!(
        cause.contains("the mother's phone \"12\" is not a phone number"),
        "{cause}"
    );
    assert!(!cause.contains("at least one parent"), "{cause}");

    // With no name at all, both are said, as before.
    let doc = document(json!({"phone": "12"}));
    let file = write(&db, "no-name.json", &doc.to_string());
    let (_, out) = db.json(&["submit", &file]);
    let cause = out["results"][0]["cause"].as_str().unwrap();
    assert!(cause.contains("is not a phone number"), "{cause}");
    assert!(cause.contains("at least one parent"), "{cause}");
}

#[test]
fn negative_spots_are_refused_with_a_plain_message() {
    let db = Db::new();
    let (code, _, err) = db.run(&["spots", "set", "-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("spots must be 0 or more"), "{err}");
    assert!(!err.contains("-- -1"), "no dead-end tip: {err}");
    let (code, _, err) = db.run(&["spots", "set", "-3", "--day", "mon"]);
    assert_eq!(code, 2);
    assert!(err.contains("spots must be 0 or more"), "{err}");
    let (code, _, err) = db.run(&["spots", "set", "many"]);
    assert_eq!(code, 2);
    assert!(err.contains("spots must be a whole number"), "{err}");
    let (_, spots) = db.json(&["spots"]);
    assert_eq!(
        spots["spots"][0]["capacity"], 20,
        "nothing changed: {spots}"
    );
}

#[test]
fn one_spot_and_one_child_are_singular() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-3.json").0, 0); // Tuesday and Thursday
    let (code, _, err) = db.run(&["spots", "set", "0", "--day", "tue"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot set Tuesday to 0 spots: 1 child is enrolled that day"),
        "{err}"
    );
    assert_eq!(db.submit_fixture("age-4.json").0, 0); // every weekday
    let (_, _, err) = db.run(&["spots", "set", "1", "--day", "tue"]);
    assert!(
        err.contains("cannot set Tuesday to 1 spot: 2 children are enrolled"),
        "{err}"
    );
}

#[test]
fn a_bulk_submit_with_refused_and_unreadable_lines_exits_1_and_counts_each_kind() {
    let db = Db::new();
    let good = std::fs::read_to_string(fixture("age-3.json")).unwrap();
    let good: Value = serde_json::from_str(&good).unwrap();
    let refused = std::fs::read_to_string(fixture("age-6.json")).unwrap();
    let refused: Value = serde_json::from_str(&refused).unwrap();
    let input = format!("{good}\n{{not json\n{refused}\n\u{1}garbage\n");
    let file = write(&db, "mixed.jsonl", &input);
    let (code, out, err) = db.run(&["submit", &file]);
    assert_eq!(code, 1, "something ran, so not exit 2: {out}{err}");
    assert!(err.contains("line 2 is not JSON"), "{err}");
    assert!(
        err.contains("4 registrations read: 1 succeeded, 1 refused, 2 unreadable lines skipped"),
        "{err}"
    );
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("registrations read"),
        "the summary closes: {err}"
    );
}

#[test]
fn a_bulk_submit_where_nothing_could_run_exits_2() {
    let db = Db::new();
    let file = write(&db, "junk.jsonl", "[1]\n{nope\nnope\n");
    let (code, _, err) = db.run(&["submit", &file]);
    assert!(err.contains("line 2 is not JSON"), "{err}");
    // [1] is JSON, so it ran (and was refused); only the unreadable lines are skipped.
    assert_eq!(code, 1, "{err}");
    let file = write(&db, "all-junk.jsonl", "{nope\nnope\n\u{1}\n");
    let (code, _, err) = db.run(&["submit", &file]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("3 registrations read: 0 succeeded, 0 refused, 3 unreadable lines skipped"),
        "{err}"
    );
}

#[test]
fn every_event_of_a_task_names_its_state_in_the_history_table() {
    let db = Db::new();
    let (_, result) = db.submit_fixture("age-3.json");
    let name = result["name"].as_str().unwrap();
    let (code, text, err) = db.run(&["execution", name, "--history"]);
    assert_eq!(code, 0, "{err}");
    let header = text.lines().next().unwrap();
    let state_at = header.find("STATE").unwrap();
    let error_at = header.find("ERROR").unwrap();
    let state_of = |kind: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.split_whitespace().nth(2) == Some(kind))
            .map(|l| {
                l.get(state_at..error_at.min(l.len()))
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            })
            .collect()
    };
    for kind in [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
    ] {
        assert_eq!(
            state_of(kind),
            [
                "Check Information",
                "Check Age Range",
                "Check Spots Availability",
                "Confirm Registration"
            ],
            "{kind}:\n{text}"
        );
    }
    assert_eq!(state_of("ExecutionSucceeded"), [""], "{text}");
}
