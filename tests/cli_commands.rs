//! Each subcommand through the real binary: output a user reads, JSON a script reads,
//! and the exit codes 0 (done), 1 (refused or failed), 2 (bad usage or input).

mod cli_support;

use cli_support::{Db, fixture};
use serde_json::json;

#[test]
fn spots_show_capacity_enrolled_and_available_and_set_refuses_below_enrolled() {
    let db = Db::new();
    let (code, text, _) = db.run(&["spots"]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("DAY        CAPACITY  ENROLLED  AVAILABLE\nMonday     20"),
        "{text}"
    );
    assert!(
        text.contains("Saturday   0         0         closed"),
        "{text}"
    );

    assert_eq!(db.submit_fixture("age-5.json").0, 0); // Friday
    let (code, spots) = db.json(&["spots", "set", "2", "--day", "fri"]);
    assert_eq!(code, 0);
    assert_eq!(
        spots["spots"][4],
        json!({"day": "Friday", "capacity": 2, "enrolled": 1, "available": 1, "closed": false})
    );

    let (code, _, err) = db.run(&["spots", "set", "0", "--day", "Friday"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot set Friday to 0 spots: 1 child is enrolled"),
        "{err}"
    );
    let (code, _, err) = db.run(&["spots", "set", "3", "--day", "Caturday"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a day of the week"), "{err}");
}

#[test]
fn executions_are_listed_newest_first_and_filtered() {
    let db = Db::new();
    for f in ["age-2.json", "tutorial-example.json", "age-4.json"] {
        db.submit_fixture(f);
    }
    let (code, out) = db.json(&["executions"]);
    assert_eq!(code, 0);
    let children: Vec<&str> = out["executions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["child"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["Sofía García", "Mohamed Diallo", "Awa Diallo"]);
    let (_, failed) = db.json(&["executions", "--status", "failed"]);
    assert_eq!(failed["executions"].as_array().unwrap().len(), 1);
    assert_eq!(failed["executions"][0]["error"], "AgeOutOfRange");
    let (_, diallo) = db.json(&["executions", "--child", "DIALLO", "--limit", "1"]);
    assert_eq!(diallo["executions"].as_array().unwrap().len(), 1);
    assert_eq!(diallo["executions"][0]["child"], "Mohamed Diallo");
    let (_, fees) = db.json(&["executions", "--status", "SUCCEEDED"]);
    assert_eq!(fees["executions"][0]["fees"], 700);
    let (code, _, err) = db.run(&["executions", "--status", "DONE"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a status"), "{err}");
}

#[test]
fn an_execution_is_described_as_aws_does_and_its_history_listed() {
    let db = Db::new();
    let (_, r) = db.submit_fixture("tutorial-example.json");
    let name = r["name"].as_str().unwrap();
    let (code, summary) = db.json(&["execution", name]);
    assert_eq!(code, 0);
    assert_eq!(summary["status"], "FAILED");
    assert_eq!(summary["error"], "AgeOutOfRange");
    assert_eq!(
        summary["executionArn"],
        format!("arn:aws:states:local:000000000000:execution:registration:{name}")
    );
    let input: serde_json::Value =
        serde_json::from_str(summary["input"].as_str().unwrap()).unwrap();
    assert_eq!(input["registration_info"]["child"]["firstName"], "Mohamed");

    let (code, history) = db.json(&["execution", name, "--history"]);
    assert_eq!(code, 0);
    let events = history["events"].as_array().unwrap();
    assert_eq!(events[0]["type"], "ExecutionStarted");
    assert_eq!(events[0]["id"], 1);
    let last = events.last().unwrap();
    assert_eq!(last["type"], "ExecutionFailed");
    assert_eq!(
        last["executionFailedEventDetails"]["error"],
        "AgeOutOfRange"
    );
    let (code, _, err) = db.run(&["execution", "nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("no execution named nobody"), "{err}");
}

#[test]
fn registrations_list_and_withdraw_frees_spots() {
    let db = Db::new();
    db.submit_fixture("age-3.json"); // Tuesday, Thursday
    let (code, text, _) = db.run(&["registrations"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("Noah Martin  2023-06-01  3    Tue,Thu  750   2026-09-15  enrolled"),
        "{text}"
    );
    let (code, text, _) = db.run(&["withdraw", "1", "--reason", "Moving away"]);
    assert_eq!(code, 0);
    assert!(text.contains("Tuesday, Thursday"), "{text}");
    let (_, spots) = db.json(&["spots"]);
    assert_eq!(spots["spots"][1]["enrolled"], 0);
    assert_eq!(db.json(&["registrations"]).1["registrations"], json!([]));
    assert_eq!(
        db.json(&["registrations", "--all"]).1["registrations"][0]["status"],
        "withdrawn"
    );
    let (code, _, err) = db.run(&["withdraw", "99", "--reason", "Moving away"]);
    assert_eq!(code, 2);
    assert!(err.contains("no registration 99"), "{err}");
    let (code, text, _) = db.run(&["withdraw", "1", "--reason", "Twice"]);
    assert_eq!(code, 1, "a second withdrawal is refused by the workflow");
    assert!(text.contains("is withdrawn"), "{text}");
    assert_eq!(db.run(&["withdraw", "1"]).0, 2, "the reason is required");
}

#[test]
fn a_bad_line_in_json_lines_is_reported_by_number_and_the_rest_still_run() {
    let db = Db::new();
    let good = std::fs::read_to_string(fixture("age-2.json")).unwrap();
    let good: serde_json::Value = serde_json::from_str(&good).unwrap();
    let input = db.dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        format!(
            "{good}\n{{oops\n\n{}\n",
            good.to_string().replace("Awa", "Binta")
        ),
    )
    .unwrap();
    let (code, out, err) = db.run(&["submit", input.to_str().unwrap()]);
    // Two ran: exit 1 (not all done), 2 only when nothing could run.
    assert_eq!(code, 1);
    assert!(err.contains("line 2 is not JSON"), "{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("SUCCEEDED")).count(),
        2,
        "{out}"
    );
    let (code, _, err) = db.run(&["submit", "/nonexistent.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent.json"), "{err}");
}

#[test]
fn submit_reads_standard_input() {
    use std::io::Write;
    let db = Db::new();
    let mut child = db
        .command()
        .args(["submit", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let doc = std::fs::read(fixture("age-2.json")).unwrap();
    child.stdin.take().unwrap().write_all(&doc).unwrap();
    let (code, out, _) = cli_support::finish(child.wait_with_output().unwrap());
    assert_eq!(code, 0);
    assert!(
        out.contains("Awa Diallo: fees 800, starts 2026-09-15"),
        "{out}"
    );
}

#[test]
fn workflow_show_validate_and_run() {
    let db = Db::new();
    let (code, shown, _) = db.run(&["workflow", "show"]);
    assert_eq!(code, 0);
    let shipped = format!("{}/data/registration.asl.json", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        shown.trim_end(),
        std::fs::read_to_string(&shipped).unwrap().trim_end()
    );
    assert_eq!(db.run(&["workflow", "validate", &shipped]).0, 0);
    for other in ["amendment", "withdrawal"] {
        let shipped = format!("{}/data/{other}.asl.json", env!("CARGO_MANIFEST_DIR"));
        let (code, out, err) = db.run(&["workflow", "validate", &shipped]);
        assert_eq!(code, 0, "{other}: {out}{err}");
    }

    let bad = db.dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Succeed"}}}"#).unwrap();
    let (code, out, err) = db.run(&["workflow", "validate", bad.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.lines().count() >= 2, "one line per problem: {err}");

    // The shipped workflow runs on the built-in handlers and the database.
    let (code, out, _) = db.run(&[
        "workflow",
        "run",
        &shipped,
        "--input",
        &fixture("age-4.json"),
        "--name",
        "run-1",
    ]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["execution"]["status"], "SUCCEEDED");
    assert_eq!(doc["execution"]["name"], "run-1");
    assert!(doc["events"].as_array().unwrap().len() > 20);
    assert_eq!(
        db.json(&["registrations"]).1["registrations"][0]["executionName"],
        "run-1"
    );
    // A refused run exits 1; the name must be new.
    let (code, out, _) = db.run(&[
        "workflow",
        "run",
        &shipped,
        "--input",
        &fixture("age-6.json"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["execution"]["error"],
        "AgeOutOfRange"
    );
    let (code, _, err) = db.run(&[
        "workflow",
        "run",
        &shipped,
        "--input",
        &fixture("age-3.json"),
        "--name",
        "run-1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = db.run(&["workflow", "run", &shipped, "--name", "two words"]);
    assert_eq!(code, 2);
    assert!(err.contains("contains ' '"), "{err}");
}

#[test]
fn bad_usage_and_a_bad_clock_exit_2() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "many"]).0, 2);
    let (code, _, err) = cli_support::finish(
        db.command()
            .env("DAYCARE_TODAY", "tomorrow")
            .args(["submit", &fixture("age-2.json")])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("DAYCARE_TODAY must be a date"), "{err}");
}

#[test]
fn demo_fills_the_database_through_the_real_workflow() {
    let db = Db::new();
    let (code, out) = db.json(&["demo", "--executions", "120"]);
    assert_eq!(code, 0);
    assert_eq!(out["executions"], 120);
    let (_, listed) = db.json(&["executions", "--limit", "1000"]);
    let listed = listed["executions"].as_array().unwrap();
    assert_eq!(listed.len(), 120);
    let errors: std::collections::HashSet<&str> =
        listed.iter().filter_map(|e| e["error"].as_str()).collect();
    assert!(errors.contains("AgeOutOfRange"), "{errors:?}");
    assert!(listed.iter().any(|e| e["status"] == "SUCCEEDED"));
    assert_eq!(cli_support::check_invariants(&db), 0);
}
