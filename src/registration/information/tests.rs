//! checkInformation's rules on documents a form might send: every problem listed, each
//! tied to its field; normalisation of names and weekdays.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

fn good() -> Value {
    json!({"registration_info": {
        "child": {"firstName": "  Léa ", "lastName": "Nguyễn", "dateOfBirth": "2023-05-04"},
        "parents": {"mother": {"firstName": "Mai", "lastName": "Nguyễn", "email": "mai@example.org"}},
        "daysOfWeek": ["wed", "MONDAY", "Mon"],
        "specialInstructions": " Naps at noon. "
    }})
}

fn fields(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn a_complete_registration_is_normalised() {
    let out = serde_json::to_value(check_information(good(), today()).unwrap()).unwrap();
    assert_eq!(out["child"]["firstName"], "Léa");
    assert_eq!(out["daysOfWeek"], json!(["Monday", "Wednesday"]));
    assert_eq!(out["specialInstructions"], "Naps at noon.");
    assert_eq!(out["parents"]["mother"]["email"], "mai@example.org");
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let doc = json!({"registration_info": {
        "child": {"firstName": "", "dateOfBirth": "2023-5-4"},
        "parents": {"mother": {"firstName": "Mai"}},
        "daysOfWeek": []
    }});
    let problems = check_information(doc.clone(), today()).unwrap_err();
    assert_eq!(
        fields(&problems),
        [
            "child.firstName",
            "child.lastName",
            "child.dateOfBirth",
            "parents",
            "daysOfWeek"
        ]
    );
    let message = problems_message(&problems);
    assert!(message.contains("first name is missing"), "{message}");
    assert!(message.contains("YYYY-MM-DD"), "{message}");
}

#[test]
fn dates_must_be_real_strict_and_not_in_the_future() {
    for bad in [
        "2023-02-30",
        "2023/02/03",
        "03-02-2023",
        "2023-2-03",
        "yesterday",
    ] {
        let mut doc = good();
        doc["registration_info"]["child"]["dateOfBirth"] = json!(bad);
        let problems = check_information(doc.clone(), today()).unwrap_err();
        assert_eq!(fields(&problems), ["child.dateOfBirth"], "{bad}");
    }
    let mut doc = good();
    doc["registration_info"]["child"]["dateOfBirth"] = json!("2026-09-02");
    let problems = check_information(doc.clone(), today()).unwrap_err();
    assert!(problems[0].message.contains("future"));
    doc["registration_info"]["child"]["dateOfBirth"] = json!("2026-09-01");
    assert!(check_information(doc.clone(), today()).is_ok());
}

#[test]
fn control_characters_in_names_are_refused() {
    let mut doc = good();
    doc["registration_info"]["child"]["lastName"] = json!("Ngu\u{1b}[31myen");
    let problems = check_information(doc.clone(), today()).unwrap_err();
    assert_eq!(fields(&problems), ["child.lastName"]);
    assert!(problems[0].message.contains("control characters"));
}

#[test]
fn a_parent_needs_a_name_and_a_way_to_reach_them() {
    let mut doc = good();
    doc["registration_info"]["parents"] = json!({"mother": {"firstName": "Mai", "lastName": "N"}, "father": {"phone": "555-0100 22"}});
    assert_eq!(
        fields(&check_information(doc.clone(), today()).unwrap_err()),
        ["parents"]
    );
    doc["registration_info"]["parents"] =
        json!({"father": {"firstName": "Tuan", "lastName": "N", "phone": "+1 (555) 010-0222"}});
    assert!(check_information(doc.clone(), today()).is_ok());
    doc["registration_info"]["parents"] =
        json!({"father": {"firstName": "Tuan", "lastName": "N", "email": "not-an-email"}});
    assert_eq!(
        fields(&check_information(doc.clone(), today()).unwrap_err()),
        ["parents.father.email"]
    );
    // A malformed contact is no contact for a parent who has no name.
    doc["registration_info"]["parents"] = json!({"father": {"email": "not-an-email"}});
    assert_eq!(
        fields(&check_information(doc.clone(), today()).unwrap_err()),
        ["parents.father.email", "parents"]
    );
}

#[test]
fn a_named_parent_with_a_malformed_contact_is_told_only_of_the_contact() {
    let mut doc = good();
    doc["registration_info"]["parents"] =
        json!({"mother": {"firstName": "Mai", "lastName": "N", "phone": "12"}});
    let problems = check_information(doc.clone(), today()).unwrap_err();
    assert_eq!(fields(&problems), ["parents.mother.phone"]);
    assert!(
        problems
            .iter()
            .all(|p| !p.message.contains("at least one parent")),
        "{problems:?}"
    );
    // A parent with a bad contact and no name: both are said.
    doc["registration_info"]["parents"] = json!({"mother": {"firstName": "Mai", "phone": "12"}});
    let problems = check_information(doc, today()).unwrap_err();
    assert_eq!(fields(&problems), ["parents.mother.phone", "parents"]);
}

#[test]
fn unknown_weekdays_are_named() {
    let mut doc = good();
    doc["registration_info"]["daysOfWeek"] = json!(["Mon", "Funday"]);
    let problems = check_information(doc.clone(), today()).unwrap_err();
    assert!(problems[0].message.contains("Funday"), "{:?}", problems);
}

#[test]
fn a_missing_document_says_what_is_expected() {
    let problems = check_information(json!("hello"), today()).unwrap_err();
    assert_eq!(fields(&problems), ["registration_info"]);
    let problems = check_information(json!({"registration_info": {}}), today()).unwrap_err();
    assert_eq!(fields(&problems), ["child", "parents", "daysOfWeek"]);
}

fn refused(edit: impl FnOnce(&mut Value)) -> Vec<Problem> {
    let mut doc = good();
    edit(&mut doc["registration_info"]);
    check_information(doc, today()).unwrap_err()
}

fn longest(problems: &[Problem]) -> usize {
    problems
        .iter()
        .map(|p| p.message.chars().count() + p.field.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn a_huge_date_of_birth_is_quoted_by_a_short_prefix() {
    let problems = refused(|info| info["child"]["dateOfBirth"] = json!("9".repeat(50_000)));
    assert_eq!(fields(&problems), ["child.dateOfBirth"]);
    assert!(longest(&problems) < 200, "{}", longest(&problems));
    assert!(problems[0].message.contains("\"9999"), "{:?}", problems);
}

#[test]
fn names_and_contacts_over_their_limits_are_refused_with_the_field_named() {
    let problems = refused(|info| info["child"]["firstName"] = json!("a".repeat(101)));
    assert_eq!(fields(&problems), ["child.firstName"]);
    assert!(problems[0].message.contains("longer than 100 characters"));
    let problems = refused(|info| info["child"]["lastName"] = json!("b".repeat(3_000)));
    assert_eq!(fields(&problems), ["child.lastName"]);
    assert!(longest(&problems) < 200);
    let ok = {
        let mut doc = good();
        doc["registration_info"]["child"]["firstName"] = json!("é".repeat(100));
        check_information(doc, today())
    };
    assert!(ok.is_ok(), "100 characters are accepted");

    let problems = refused(|info| {
        info["parents"]["mother"]["email"] = json!(format!("{}@example.org", "m".repeat(300)));
        info["parents"]["father"] =
            json!({"firstName": "T", "lastName": "N", "phone": "1".repeat(40)});
    });
    assert_eq!(
        fields(&problems),
        ["parents.mother.email", "parents.father.phone"]
    );
    assert!(longest(&problems) < 200);
}

#[test]
fn instructions_days_and_parents_are_bounded() {
    let problems = refused(|info| info["specialInstructions"] = json!("x".repeat(2_001)));
    assert_eq!(fields(&problems), ["specialInstructions"]);
    assert!(problems[0].message.contains("2000 characters"));
    let mut doc = good();
    doc["registration_info"]["specialInstructions"] = json!("x".repeat(2_000));
    assert!(check_information(doc, today()).is_ok());

    let problems = refused(|info| info["daysOfWeek"] = json!(vec!["Mon"; 15]));
    assert_eq!(fields(&problems), ["daysOfWeek"]);
    let problems = refused(|info| info["daysOfWeek"] = json!(["x".repeat(5_000), "Funday"]));
    assert_eq!(fields(&problems), ["daysOfWeek"]);
    assert!(longest(&problems) < 200, "{problems:?}");

    let problems = refused(|info| {
        for i in 0..5 {
            info["parents"][format!("guardian{i}")] =
                json!({"firstName": "A", "lastName": "B", "phone": "555 0100"});
        }
    });
    assert_eq!(fields(&problems), ["parents"]);
    let problems = refused(|info| info["parents"]["r".repeat(10_000)] = json!(1));
    assert!(longest(&problems) < 200, "{problems:?}");
}

#[test]
fn a_document_over_64_kib_is_refused_before_any_field() {
    let problems = refused(|info| info["notes"] = json!("n".repeat(255 * 1024)));
    assert_eq!(fields(&problems), ["registration_info"]);
    assert!(
        problems[0].message.contains("over the 64 KiB"),
        "{problems:?}"
    );
}

#[test]
fn names_are_kept_composed_and_without_invisible_characters() {
    let out = {
        let mut doc = good();
        doc["registration_info"]["child"]["firstName"] = json!("\u{feff}Zoe\u{308}\u{200b} ");
        serde_json::to_value(check_information(doc, today()).unwrap()).unwrap()
    };
    assert_eq!(out["child"]["firstName"], "Zoë");
}
