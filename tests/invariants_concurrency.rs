//! Spots are never over-taken: with capacity 3 and sixteen desk processes submitting
//! different children at the same moment, exactly three are enrolled and the rest are
//! refused. `postgres_invariants_concurrency` runs the same race on PostgreSQL.

mod cli_support;

use std::io::Write;
use std::process::Stdio;

use cli_support::{Db, finish};

fn child(i: usize) -> String {
    serde_json::json!({"registration_info": {
        "child": {"firstName": format!("Child{i}"), "lastName": "Racer", "dateOfBirth": "2023-01-0".to_string() + &(i % 9 + 1).to_string()},
        "parents": {"mother": {"firstName": "Ma", "lastName": "Racer", "phone": "555-010-0000"}},
        "daysOfWeek": ["Monday"]
    }})
    .to_string()
}

#[test]
fn sixteen_processes_racing_for_three_spots_enrol_exactly_three() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "3", "--day", "Monday"]).0, 0);
    // Every process starts, opens the database and waits on its standard input; then
    // all inputs are released together.
    let mut children: Vec<_> = (0..16)
        .map(|_| {
            db.command()
                .args(["submit", "-", "--json"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let inputs: Vec<_> = children
        .iter_mut()
        .map(|c| c.stdin.take().unwrap())
        .collect();
    for (i, mut input) in inputs.into_iter().enumerate() {
        input.write_all(child(i).as_bytes()).unwrap();
    }
    let results: Vec<serde_json::Value> = children
        .into_iter()
        .map(|c| {
            let (code, out, err) = finish(c.wait_with_output().unwrap());
            assert!(code == 0 || code == 1, "exit {code}: {err}");
            serde_json::from_str::<serde_json::Value>(&out).unwrap()["results"][0].clone()
        })
        .collect();
    let succeeded = results
        .iter()
        .filter(|r| r["status"] == "SUCCEEDED")
        .count();
    assert_eq!(succeeded, 3, "{results:#?}");
    for r in results.iter().filter(|r| r["status"] != "SUCCEEDED") {
        assert_eq!(r["error"], "NoSpotsAvailable", "{r}");
        assert!(
            r["cause"].as_str().unwrap().contains("Monday (full)"),
            "{r}"
        );
    }
    let (_, spots) = db.json(&["spots"]);
    assert_eq!(spots["spots"][0]["enrolled"], 3);
    assert_eq!(spots["spots"][0]["available"], 0);
}
