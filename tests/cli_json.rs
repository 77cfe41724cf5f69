//! Every `--json` output speaks AWS's camelCase, and `executions --json` is shaped like
//! ListExecutions (plus the child and the fees).

mod cli_support;

use cli_support::{Db, fixture};
use serde_json::Value;

/// Every object key in `value` that is not camelCase, with its path; a registration's
/// `document` is the workflow's own payload and is not ours to rename.
fn not_camel(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let here = format!("{path}.{key}");
                let camel = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && key.chars().all(|c| c.is_ascii_alphanumeric());
                if !camel {
                    found.push(here.clone());
                }
                if key != "document" {
                    not_camel(inner, &here, found);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                not_camel(item, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

fn assert_camel(what: &str, value: &Value) {
    let mut found = Vec::new();
    not_camel(value, "", &mut found);
    assert!(found.is_empty(), "{what}: {found:?} in {value}");
}

#[test]
fn executions_are_listed_as_list_executions_lists_them() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-3.json").0, 0);
    assert_eq!(db.submit_fixture("age-6.json").0, 1);
    let (code, out) = db.json(&["executions"]);
    assert_eq!(code, 0);
    let listed = out["executions"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let keys = |e: &Value| e.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let refused = &listed[0];
    assert_eq!(
        keys(refused),
        [
            "executionArn",
            "stateMachineArn",
            "name",
            "status",
            "startDate",
            "stopDate",
            "child",
            "error"
        ]
    );
    assert_eq!(refused["error"], "AgeOutOfRange");
    let done = &listed[1];
    assert_eq!(
        keys(done),
        [
            "executionArn",
            "stateMachineArn",
            "name",
            "status",
            "startDate",
            "stopDate",
            "child",
            "fees"
        ]
    );
    let name = done["name"].as_str().unwrap();
    assert_eq!(
        done["executionArn"],
        format!(
            "{}:{name}",
            done["stateMachineArn"]
                .as_str()
                .unwrap()
                .replace(":stateMachine:", ":execution:")
        )
    );
    // The same ARNs and dates as DescribeExecution gives for it.
    let (_, described) = db.json(&["execution", name]);
    for key in ["executionArn", "stateMachineArn", "startDate", "stopDate"] {
        assert_eq!(done[key], described[key], "{key}");
    }
}

#[test]
fn every_json_output_is_camel_case() {
    let db = Db::new();
    let (_, submitted) = db.json(&["submit", &fixture("several.jsonl")]);
    assert_camel("submit", &submitted);
    let succeeded = submitted["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "SUCCEEDED")
        .cloned()
        .unwrap();
    assert!(succeeded["startDate"].is_string(), "{succeeded}");

    let (_, regs) = db.json(&["registrations", "--all"]);
    assert_camel("registrations", &regs);
    let first = &regs["registrations"][0];
    for key in [
        "id",
        "firstName",
        "lastName",
        "dateOfBirth",
        "startDate",
        "executionName",
    ] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    let id = first["id"].as_i64().unwrap().to_string();
    let (_, record) = db.json(&["registration", &id]);
    assert_camel("registration", &record);
    assert!(record["parents"][0]["firstName"].is_string(), "{record}");
    let (_, roster) = db.json(&["roster", "--day", "mon"]);
    assert_camel("roster", &roster);
    assert!(roster["roster"][0]["ageToday"].is_number(), "{roster}");
    let (_, withdrawn) = db.json(&["withdraw", &id, "--reason", "Moving away"]);
    assert_camel("withdraw", &withdrawn);
    assert!(withdrawn["registration"]["executionName"].is_string());
    assert_eq!(withdrawn["registration"]["withdrawReason"], "Moving away");

    for args in [
        vec!["executions"],
        vec!["spots"],
        vec!["spots", "set", "12", "--day", "mon"],
    ] {
        let (_, out) = db.json(&args);
        assert_camel(&args.join(" "), &out);
    }
    let name = regs["registrations"][0]["executionName"].as_str().unwrap();
    let (_, described) = db.json(&["execution", name]);
    assert_camel("execution", &described);
    let (_, history) = db.json(&["execution", name, "--history"]);
    assert_camel("execution --history", &history);

    let definition = format!("{}/data/registration.asl.json", env!("CARGO_MANIFEST_DIR"));
    let (_, valid) = db.json(&["workflow", "validate", &definition]);
    assert_camel("workflow validate", &valid);

    let demo = tempfile::tempdir().unwrap();
    let out = cli_support::daycare_at(&demo.path().join("demo.db"))
        .args(["demo", "--executions", "5", "--json"])
        .output()
        .unwrap();
    let demo: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_camel("demo", &demo);
}
