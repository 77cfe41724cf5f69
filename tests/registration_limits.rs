//! Text is bounded at the door: long fields are refused with the field named and only a
//! short prefix quoted, and a large document is refused for staff before the engine sees
//! it, through the real binary.

mod cli_support;

use cli_support::Db;
use serde_json::{Value, json};

fn registration() -> Value {
    json!({"registration_info": {
        "child": {"firstName": "Awa", "lastName": "Diallo", "dateOfBirth": "2023-06-01"},
        "parents": {"mother": {"firstName": "Aicha", "lastName": "Cisse", "phone": "123-456-7890"}},
        "daysOfWeek": ["Monday"]
    }})
}

/// Submits one document; (exit code, the result).
fn submit(db: &Db, document: &Value) -> (i32, Value) {
    let file = db.dir.path().join("one.json");
    std::fs::write(&file, document.to_string()).unwrap();
    let (code, out) = db.json(&["submit", file.to_str().unwrap()]);
    (code, out["results"][0].clone())
}

fn cause(result: &Value) -> &str {
    result["cause"].as_str().unwrap_or_default()
}

#[test]
fn a_100000_character_date_of_birth_is_not_echoed() {
    let db = Db::new();
    let mut doc = registration();
    doc["registration_info"]["child"]["dateOfBirth"] = json!("1".repeat(100_000));
    let (code, r) = submit(&db, &doc);
    assert_eq!(
        (code, &r["error"]),
        (1, &json!("InformationIncomplete")),
        "{r}"
    );
    assert!(
        cause(&r).chars().count() < 300,
        "{} characters",
        cause(&r).len()
    );

    doc["registration_info"]["child"]["dateOfBirth"] = json!("1".repeat(20_000));
    let (_, r) = submit(&db, &doc);
    assert!(cause(&r).contains("date of birth"), "{r}");
    assert!(
        cause(&r).chars().count() < 300,
        "{} characters",
        cause(&r).len()
    );
}

#[test]
fn a_3000_character_name_is_refused_with_the_field_named() {
    let db = Db::new();
    let mut doc = registration();
    doc["registration_info"]["child"]["firstName"] = json!("A".repeat(3_000));
    let (code, r) = submit(&db, &doc);
    assert_eq!(
        (code, &r["error"]),
        (1, &json!("InformationIncomplete")),
        "{r}"
    );
    assert!(
        cause(&r).contains("first name is longer than 100 characters"),
        "{r}"
    );
    assert!(r["child"].as_str().unwrap().chars().count() <= 120, "{r}");
    let (_, regs) = db.json(&["registrations"]);
    assert_eq!(regs["registrations"], json!([]));
}

#[test]
fn long_instructions_are_refused_with_the_field_named() {
    let db = Db::new();
    let mut doc = registration();
    doc["registration_info"]["specialInstructions"] = json!("x".repeat(2_001));
    let (_, r) = submit(&db, &doc);
    assert_eq!(r["error"], "InformationIncomplete", "{r}");
    assert!(
        cause(&r).contains("special instructions are longer than 2000"),
        "{r}"
    );
}

#[test]
fn large_documents_are_refused_for_staff_not_by_the_engine() {
    let db = Db::new();
    for bytes in [255 * 1024, 300 * 1024] {
        let mut doc = registration();
        doc["registration_info"]["notes"] = json!("n".repeat(bytes));
        let (code, r) = submit(&db, &doc);
        assert_eq!(
            (code, &r["error"]),
            (1, &json!("InformationIncomplete")),
            "{bytes}: {r}"
        );
        assert!(cause(&r).contains("over the 64 KiB"), "{bytes}: {r}");
        assert!(!cause(&r).contains("States."), "{r}");
        assert!(cause(&r).len() < 300, "{r}");
    }
}
