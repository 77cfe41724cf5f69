//! The tutorial's scenarios from `fixtures/registrations/`, through the real binary with
//! today pinned to 2026-09-01 (so registrations start on 2026-09-15).

mod cli_support;

use cli_support::Db;

#[test]
fn the_tutorials_example_is_refused_because_the_child_is_too_old() {
    let db = Db::new();
    let (code, r) = db.submit_fixture("tutorial-example.json");
    assert_eq!(code, 1);
    assert_eq!(r["status"], "FAILED");
    assert_eq!(r["error"], "AgeOutOfRange");
    assert_eq!(
        r["cause"],
        "Mohamed Diallo would be 10 on 2026-09-15, the start date; the daycare takes children aged 2 to 5."
    );
}

#[test]
fn children_aged_two_to_five_are_registered_with_their_fees() {
    let db = Db::new();
    for (file, fees) in [
        ("age-2.json", 800),
        ("age-3.json", 750),
        ("age-4.json", 700),
        ("age-5.json", 650),
    ] {
        let (code, r) = db.submit_fixture(file);
        assert_eq!(
            (code, &r["status"]),
            (0, &"SUCCEEDED".into()),
            "{file}: {r}"
        );
        assert_eq!(r["fees"], fees, "{file}");
        assert_eq!(r["startDate"], "2026-09-15", "{file}");
    }
    let (_, regs) = db.json(&["registrations"]);
    let ages: Vec<u64> = regs["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["age"].as_u64().unwrap())
        .collect();
    assert_eq!(ages, [5, 4, 3, 2]);
}

#[test]
fn a_six_year_old_is_refused_with_the_age_date_and_range() {
    let db = Db::new();
    let (code, r) = db.submit_fixture("age-6.json");
    assert_eq!(code, 1);
    assert_eq!(r["error"], "AgeOutOfRange");
    let cause = r["cause"].as_str().unwrap();
    assert!(
        cause.contains("would be 6 on 2026-09-15") && cause.contains("2 to 5"),
        "{cause}"
    );
}

#[test]
fn missing_fields_are_all_listed() {
    let db = Db::new();
    let (code, r) = db.submit_fixture("missing-fields.json");
    assert_eq!(code, 1);
    assert_eq!(r["error"], "InformationIncomplete");
    let cause = r["cause"].as_str().unwrap();
    for expected in [
        "last name is missing",
        "date of birth is missing",
        "at least one parent",
    ] {
        assert!(cause.contains(expected), "{expected:?} not in {cause}");
    }
}

#[test]
fn malformed_and_future_birth_dates_are_refused() {
    let db = Db::new();
    let (_, r) = db.submit_fixture("malformed-date.json");
    assert_eq!(r["error"], "InformationIncomplete");
    assert!(r["cause"].as_str().unwrap().contains("YYYY-MM-DD"), "{r}");
    let (_, r) = db.submit_fixture("future-birth-date.json");
    assert_eq!(r["error"], "InformationIncomplete");
    assert!(
        r["cause"]
            .as_str()
            .unwrap()
            .contains("2027-01-01 is in the future"),
        "{r}"
    );
}

#[test]
fn weekend_days_are_closed() {
    let db = Db::new();
    let (code, r) = db.submit_fixture("weekend-days.json");
    assert_eq!(code, 1);
    assert_eq!(r["error"], "NoSpotsAvailable");
    assert_eq!(
        r["cause"],
        "No spot for Oskar Nowak on Saturday (closed) and Sunday (closed)."
    );
}

#[test]
fn unicode_names_are_registered_as_written() {
    let db = Db::new();
    let (code, r) = db.submit_fixture("unicode-names.json");
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["child"], "Zoë Łucja Nguyễn-Ødegård");
    let (_, regs) = db.json(&["registrations"]);
    assert_eq!(regs["registrations"][0]["lastName"], "Nguyễn-Ødegård");
    assert_eq!(
        regs["registrations"][0]["days"],
        serde_json::json!(["Monday", "Wednesday", "Friday"])
    );
}

#[test]
fn a_child_already_enrolled_is_refused_as_a_duplicate() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-3.json").0, 0);
    let (code, r) = db.submit_fixture("duplicate.json");
    assert_eq!(code, 1);
    assert_eq!(r["error"], "AlreadyEnrolled");
    assert!(
        r["cause"].as_str().unwrap().contains("already enrolled"),
        "{r}"
    );
}

#[test]
fn json_lines_run_each_registration_in_turn() {
    let db = Db::new();
    let (code, out) = db.json(&["submit", &cli_support::fixture("several.jsonl")]);
    assert_eq!(code, 1, "one of the three is refused");
    let statuses: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["SUCCEEDED", "FAILED", "SUCCEEDED"]);
    assert_eq!(out["results"][1]["line"], 2);
}
