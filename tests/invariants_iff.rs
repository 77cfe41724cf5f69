//! A registration exists if and only if its execution SUCCEEDED, through refusals of
//! every kind, full days and withdrawals.

mod cli_support;

use cli_support::{Db, check_invariants, sample_lines};

#[test]
fn registrations_match_succeeded_executions_through_a_busy_day() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "6"]).0, 0);
    let input = db.dir.path().join("many.jsonl");
    std::fs::write(&input, sample_lines(3, 150)).unwrap();
    let (code, out) = db.json(&["submit", input.to_str().unwrap()]);
    assert_eq!(code, 1, "some are refused");
    let results = out["results"].as_array().unwrap();
    let errors: std::collections::HashSet<&str> =
        results.iter().filter_map(|r| r["error"].as_str()).collect();
    for expected in ["NoSpotsAvailable", "AgeOutOfRange", "InformationIncomplete"] {
        assert!(
            errors.contains(expected),
            "{expected} missing from {errors:?}"
        );
    }
    assert_eq!(check_invariants(&db), 0);

    // Withdrawing frees a spot without breaking the rule: the registration stays (withdrawn).
    let (_, regs) = db.json(&["registrations"]);
    let id = regs["registrations"][0]["id"].as_i64().unwrap();
    let (_, before) = db.json(&["spots"]);
    let (code, withdrawn) = db.json(&["withdraw", &id.to_string(), "--reason", "Moving away"]);
    assert_eq!(code, 0);
    let (_, after) = db.json(&["spots"]);
    for day in withdrawn["registration"]["days"].as_array().unwrap() {
        let enrolled = |spots: &serde_json::Value| {
            spots["spots"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["day"] == *day)
                .unwrap()["enrolled"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(enrolled(&after), enrolled(&before) - 1, "{day}");
    }
    let (code, out, _) = db.run(&["withdraw", &id.to_string(), "--reason", "Twice"]);
    assert_eq!(code, 1, "refused by the withdrawal workflow");
    assert!(out.contains("is withdrawn"), "{out}");
    assert_eq!(check_invariants(&db), 0);
}
