//! The records commands on a temporary database: amend, withdraw, waitlist (and its
//! CSV), audit; their text, JSON, exit codes and messages.

mod cli_support;

use cli_support::Db;

/// Noah (Tue, Thu), Awa (Mon, Wed), Sofía (Mon to Fri); Friday full at 1.
fn desk() -> Db {
    let db = Db::new();
    db.submit_fixture("age-3.json");
    db.submit_fixture("age-2.json");
    db.submit_fixture("age-4.json");
    assert_eq!(db.run(&["spots", "set", "1", "--day", "Friday"]).0, 0);
    db
}

#[test]
fn amend_changes_days_and_refuses_a_full_day_in_plain_words() {
    let db = desk();
    let (code, out, _) = db.run(&["amend", "1", "--days", "Tue,Fri"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("Refused: No spot for Noah Martin on Friday (full)."),
        "{out}"
    );
    let (code, amended) = db.json(&["amend", "1", "--days", "Mon,Tue,Thu"]);
    assert_eq!(code, 0, "{amended}");
    assert_eq!(amended["succeeded"], true);
    assert_eq!(amended["execution"]["status"], "SUCCEEDED");
    assert_eq!(
        amended["registration"]["days"],
        serde_json::json!(["Monday", "Tuesday", "Thursday"])
    );
    let (code, out, err) = db.run(&["amend", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("nothing to change"), "{out}{err}");
    let (code, _, err) = db.run(&["amend", "99", "--days", "Mon"]);
    assert_eq!(code, 2);
    assert!(err.contains("no registration 99"), "{err}");
    let (code, out, _) = db.run(&["amend", "1", "--days", "Someday"]);
    assert_eq!(code, 1, "the workflow's own checks refuse it");
    assert!(out.contains("Someday"), "{out}");
}

#[test]
fn amend_takes_a_json_document_of_the_fields_to_change() {
    let db = desk();
    let file = db.dir.path().join("change.json");
    std::fs::write(
        &file,
        r#"{"parents": {"guardian": {"firstName": "Ama", "lastName": "Martin", "phone": "555-0199"}}, "specialInstructions": "Lactose intolerant"}"#,
    )
    .unwrap();
    let (code, out, err) = db.run(&["amend", "1", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, record) = db.json(&["registration", "1"]);
    assert_eq!(record["specialInstructions"], "Lactose intolerant");
    assert_eq!(record["parents"][0]["role"], "guardian");
    std::fs::write(&file, r#"{"child": {"firstName": "X"}}"#).unwrap();
    let (code, _, err) = db.run(&["amend", "1", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("\"child\" cannot be changed"), "{err}");
}

#[test]
fn withdraw_ahead_keeps_the_child_until_the_day_and_the_record_says_so() {
    let db = desk();
    let (code, out, err) = db.run(&["withdraw", "2", "--reason", "moving", "--on", "2026-09-20"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("leaves on 2026-09-20"), "{out}");
    let (_, record) = db.json(&["registration", "2"]);
    assert_eq!(record["status"], "enrolled");
    assert_eq!(record["leavesOn"], "2026-09-20");
    assert_eq!(record["withdrawReason"], "moving");
    let (_, text, _) = db.run(&["registration", "2"]);
    assert!(text.contains("from 2026-09-20: moving"), "{text}");
    let (code, _, err) = db.run(&["withdraw", "3", "--reason", "x", "--on", "next week"]);
    assert_eq!(code, 2);
    assert!(err.contains("--on must be a date like"), "{err}");
    let (code, out, _) = db.run(&["withdraw", "3", "--reason", "x", "--on", "2026-08-01"]);
    assert_eq!(code, 1);
    assert!(out.contains("in the past"), "{out}");
}

#[test]
fn the_waitlist_lists_in_order_offers_and_writes_csv() {
    let db = desk();
    let (code, _, err) = db.run(&["submit", "--waitlist", &cli_support::fixture("age-5.json")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Kwame Mensah is on the waitlist (entry 1) for Friday"),
        "{err}"
    );
    let (_, listed) = db.json(&["waitlist"]);
    assert!(
        listed["order"]
            .as_str()
            .unwrap()
            .starts_with("Order: the day added")
    );
    assert_eq!(listed["waitlist"][0]["fits"], false);
    assert_eq!(
        listed["waitlist"][0]["siblingOf"], 3,
        "the parents are on file"
    );
    let (code, csv, _) = db.run(&["waitlist", "--csv"]);
    assert_eq!(code, 0);
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte order mark for spreadsheets"
    );
    assert!(csv.contains("\r\n") && csv.contains("Kwame"), "{csv}");
    assert_eq!(db.run(&["waitlist", "--csv", "--json"]).0, 2);
    let (code, out, _) = db.run(&["waitlist", "offer", "1"]);
    assert_eq!(code, 1, "Friday is still full");
    assert!(out.contains("stays on the waitlist"), "{out}");
    assert_eq!(db.run(&["amend", "3", "--days", "Mon,Tue"]).0, 0);
    let (code, offered) = db.json(&["waitlist", "offer", "1"]);
    assert_eq!(code, 0, "{offered}");
    assert_eq!(offered["entry"]["status"], "enrolled");
    assert_eq!(db.json(&["waitlist"]).1["waitlist"], serde_json::json!([]));
    let (code, _, err) = db.run(&["waitlist", "remove", "1", "--reason", "late"]);
    assert_eq!(code, 2);
    assert!(err.contains("no longer waiting"), "{err}");
    let (code, _, err) = db.run(&["waitlist", "add", "nobody-12345678"]);
    assert_eq!(code, 2);
    assert!(err.contains("no execution named nobody-12345678"), "{err}");
}

#[test]
fn the_audit_names_who_did_what_and_filters() {
    let db = desk();
    let staff = |args: &[&str]| {
        let out = db
            .command()
            .env("DAYCARE_STAFF", "amira")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    };
    staff(&["amend", "2", "--instructions", "Naps at noon"]);
    db.run(&["--staff", "bo", "withdraw", "1", "--reason", "moving"]);
    let (_, all) = db.json(&["audit"]);
    let entries = all["audit"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{all}");
    assert_eq!(entries[0]["kind"], "withdrawal");
    assert_eq!(entries[0]["staff"], "bo");
    assert_eq!(entries[1]["kind"], "amendment");
    assert_eq!(entries[1]["staff"], "amira");
    assert_eq!(entries[1]["after"]["specialInstructions"], "Naps at noon");
    assert_eq!(entries[2]["kind"], "capacity");
    let (_, awa) = db.json(&["audit", "--child", "AWA"]);
    assert_eq!(awa["audit"].as_array().unwrap().len(), 1);
    let (_, kinds) = db.json(&["audit", "--kind", "capacity"]);
    assert_eq!(kinds["audit"][0]["summary"], "Friday: 20 → 1 spot");
    let (_, later) = db.json(&["audit", "--since", "2999-01-01"]);
    assert_eq!(later["audit"], serde_json::json!([]));
    let (code, _, err) = db.run(&["audit", "--kind", "gossip"]);
    assert_eq!(code, 2);
    assert!(err.contains("capacity, amendment, withdrawal"), "{err}");
    let (_, text, _) = db.run(&["audit"]);
    assert!(text.starts_with("WHEN (UTC)"), "{text}");
}
