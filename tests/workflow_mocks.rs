//! `daycare workflow run FILE --mocks MOCKS --test-case CASE`: the real binary answering
//! Task states from a Step Functions Local mock configuration. Every folder under
//! `fixtures/mocks/` holds `mocks.json`, `input.json` (or `input.CASE.json` for one test
//! case), `definition.json` (the `registration` folder runs the shipped
//! `data/registration.asl.json` itself) and `expected.json`: per test case, the status,
//! the output or the error and cause, and the event types in order. Refusals (a malformed
//! file, an unknown test case, a Task state left unmocked) exit 2 with one line naming
//! the fault, and a mocked run writes no database anywhere.
//!
//! `GOLDEN_BLESS=1 cargo test --test workflow_mocks` rewrites expected.json from what
//! the binary does now; review the diff before committing it.

mod cli_support;
mod workflow_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cli_support::{TODAY, finish};
use serde_json::{Value, json};
use workflow_support::Golden;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mocks")
}

fn read(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `daycare` with every place a database could be found pointed into `home`, and a
/// `--db` there too: a mocked run must create none of them.
fn daycare(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_daycare"));
    cmd.env("DAYCARE_DB", home.join("env.db"))
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("DAYCARE_TODAY", TODAY)
        .env_remove("RUST_BACKTRACE")
        .env_remove("DAYCARE_STAFF")
        .stdin(Stdio::null())
        .arg("--db")
        .arg(home.join("flag.db"));
    cmd
}

/// Runs `workflow run DEFINITION --mocks MOCKS --test-case CASE [--input INPUT]` in a
/// fresh home; (exit code, stdout, stderr), after checking nothing was written there.
fn run_mocked(
    definition: &Path,
    mocks: &Path,
    case: &str,
    input: Option<&Path>,
) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = daycare(home.path());
    cmd.args(["workflow", "run"])
        .arg(definition)
        .arg("--mocks")
        .arg(mocks)
        .args(["--test-case", case, "--name", "mocked"]);
    if let Some(input) = input {
        cmd.arg("--input").arg(input);
    }
    let outcome = finish(cmd.output().unwrap());
    let written: Vec<_> = fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        written.is_empty(),
        "a mocked run wrote {written:?}\nstderr: {}",
        outcome.2
    );
    outcome
}

fn definition_of(dir: &Path) -> PathBuf {
    let own = dir.join("definition.json");
    if own.exists() {
        own
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/registration.asl.json")
    }
}

/// What expected.json holds for one test case, from the binary's run of it.
fn outcome(dir: &Path, case: &str) -> Value {
    let own_input = dir.join(format!("input.{case}.json"));
    let input = if own_input.exists() {
        own_input
    } else {
        dir.join("input.json")
    };
    let (code, out, err) = run_mocked(
        &definition_of(dir),
        &dir.join("mocks.json"),
        case,
        Some(&input),
    );
    let doc: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{case}: not JSON ({e}): {out}\nstderr: {err}"));
    let execution = &doc["execution"];
    let status = execution["status"].as_str().unwrap_or("");
    assert_eq!(
        code,
        if status == "SUCCEEDED" { 0 } else { 1 },
        "{case}: exit code for {status}; stderr: {err}"
    );
    assert!(
        err.contains("no database is opened"),
        "{case}: stderr says no database is used: {err}"
    );
    let mut got = json!({ "status": status });
    if let Some(output) = execution["output"].as_str() {
        got["output"] = serde_json::from_str(output).unwrap();
    }
    for field in ["error", "cause"] {
        if let Some(text) = execution[field].as_str() {
            got[field] = json!(text);
        }
    }
    got["events"] = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    got
}

#[test]
fn golden_mocked_runs() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("mocks.json").exists())
        .collect();
    dirs.sort();
    let names: Vec<String> = dirs
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for wanted in [
        "catch",
        "nested",
        "registration",
        "retry",
        "return",
        "services",
        "timeout",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "fixtures/mocks/{wanted} is missing"
        );
    }
    let mut golden = Golden::new();
    for dir in &dirs {
        let mocks = read(&dir.join("mocks.json"));
        let cases: Vec<String> = mocks["StateMachines"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|m| m["TestCases"].as_object().unwrap().keys().cloned())
            .collect();
        let mut actual = serde_json::Map::new();
        for case in &cases {
            actual.insert(case.clone(), outcome(dir, case));
        }
        golden.check(dir, &Value::Object(actual));
    }
    golden.finish("mocked");
}

/// The events of one run whose type is one of `types`, in order.
fn events_of(out: &str, types: &[&str]) -> Vec<Value> {
    let doc: Value = serde_json::from_str(out).unwrap();
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| types.contains(&e["type"].as_str().unwrap_or("")))
        .cloned()
        .collect()
}

#[test]
fn retries_consume_the_numbered_responses_in_order() {
    let dir = root().join("retry");
    let (code, out, err) = run_mocked(
        &dir.join("definition.json"),
        &dir.join("mocks.json"),
        "ThrottledOnceThenFetched",
        None,
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["execution"]["output"],
        json!(r#"{"id":7,"name":"Amara"}"#)
    );
    let calls = events_of(&out, &["TaskScheduled", "LambdaFunctionScheduled"]);
    assert_eq!(calls.len(), 2, "one failed attempt, one retry");
}

#[test]
fn an_invocation_past_the_last_response_fails_the_execution() {
    let dir = root().join("retry");
    let (code, out, err) = run_mocked(
        &dir.join("definition.json"),
        &dir.join("mocks.json"),
        "AnswersRunOut",
        None,
    );
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["execution"]["error"], "States.Runtime");
    let cause = doc["execution"]["cause"].as_str().unwrap();
    assert!(
        cause.contains("'Fetch' was invoked 3 times")
            && cause.contains("'ThrottledTwice'")
            && cause.contains("answers 2"),
        "{cause}"
    );
}

/// Writes `text` as a file in a temporary folder and returns both.
fn file_with(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    (dir, path)
}

/// A refused run: exit 2, nothing on stdout, one line on stderr, which is returned.
fn refused(definition: &Path, mocks: &Path, case: &str) -> String {
    let (code, out, err) = run_mocked(definition, mocks, case, None);
    assert_eq!(code, 2, "stdout: {out}\nstderr: {err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().to_owned()
}

#[test]
fn a_malformed_mock_file_is_refused_naming_the_file_and_the_fault() {
    let definition = root().join("return/definition.json");
    let cases = [
        (
            r#"{"StateMachines": {"definition": {"TestCases": {"Greets": {"Greet": "Hello"}}}},
                "MockedResponses": {"Hello": {"0": {"Return": 1, "Throw": {"Error": "E", "Cause": "C"}}}}}"#,
            "mocked response \"Hello\", invocation \"0\": has both Return and Throw; give one of them",
        ),
        (
            r#"{"StateMachines": {"definition": {"TestCases": {"Greets": {"Greet": "Hello"}}}},
                "MockedResponses": {"Hello": {"0-1": {"Return": 1}, "1-2": {"Return": 2}}}}"#,
            "mocked response \"Hello\": \"1-2\" and \"0-1\" both cover invocation 1",
        ),
        (
            r#"{"StateMachines": {"definition": {"TestCases": {"Greets": {"Greet": "Hello"}}}},
                "MockedResponses": {"Hello": {"0": {"Return": 1}, "2": {"Return": 2}}}}"#,
            "mocked response \"Hello\": no answer for invocation 1",
        ),
        (
            r#"{"StateMachines": {"definition": {"TestCases": {"Greets": {"Greet": "Helo"}}}},
                "MockedResponses": {"Hello": {"0": {"Return": 1}}}}"#,
            "state machine \"definition\", test case \"Greets\": state \"Greet\" names the mocked response \"Helo\", which MockedResponses does not define (it defines \"Hello\")",
        ),
        (
            r#"{"StateMachines": {"definition": {"TestCases": {"Greets": {"Greet": "Hello"}}}},
                "MockedResponses": {"Hello": {"first": {"Return": 1}}}}"#,
            "mocked response \"Hello\": \"first\" is not an invocation number or range",
        ),
        ("{\"StateMachines\": ", "is not JSON"),
    ];
    for (text, message) in cases {
        let (_dir, mocks) = file_with("mocks.json", text);
        let line = refused(&definition, &mocks, "Greets");
        assert!(
            line.starts_with(&format!("daycare: {}: ", mocks.display())),
            "names the file: {line}"
        );
        assert!(line.contains(message), "{line}\n  wanted {message}");
    }
}

#[test]
fn an_unknown_test_case_is_refused_with_the_ones_there() {
    let dir = root().join("catch");
    let line = refused(
        &dir.join("definition.json"),
        &dir.join("mocks.json"),
        "Happy",
    );
    assert!(
        line.ends_with(
            "state machine \"definition\" has no test case \"Happy\"; it has \"Declined\", \"Uncaught\""
        ),
        "{line}"
    );
}

#[test]
fn a_task_state_the_test_case_does_not_mock_is_refused_before_running() {
    let (_dir, mocks) = file_with(
        "mocks.json",
        r#"{"StateMachines": {"definition": {"TestCases": {"Partial": {"Left": "One", "Right": "One"}}}},
            "MockedResponses": {"One": {"0": {"Return": 1}}}}"#,
    );
    let line = refused(&root().join("nested/definition.json"), &mocks, "Partial");
    assert!(
        line.contains("test case \"Partial\" mocks no response for Task state \"Item\""),
        "{line}"
    );
}

#[test]
fn the_machine_is_the_one_named_like_the_file_else_the_only_one() {
    let two = r#"{"StateMachines": {
            "definition": {"TestCases": {"Greets": {"Greet": "Hello"}}},
            "other": {"TestCases": {"Greets": {"Greet": "Bye"}}}},
        "MockedResponses": {"Hello": {"0": {"Return": "hello"}}, "Bye": {"0": {"Return": "bye"}}}}"#;
    let (_dir, mocks) = file_with("mocks.json", two);
    let (code, out, err) = run_mocked(
        &root().join("return/definition.json"),
        &mocks,
        "Greets",
        None,
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["execution"]["output"], json!(r#"{"greeting":"hello"}"#));

    // Named otherwise, with two entries: which one is meant cannot be told.
    let (_copy_dir, renamed) = file_with(
        "greeting.json",
        &fs::read_to_string(root().join("return/definition.json")).unwrap(),
    );
    let line = refused(&renamed, &mocks, "Greets");
    assert!(
        line.ends_with(
            "no state machine \"greeting\" in StateMachines; it has \"definition\", \"other\""
        ),
        "{line}"
    );
}

#[test]
fn mocks_and_test_case_each_need_the_other() {
    let home = tempfile::tempdir().unwrap();
    let definition = root().join("return/definition.json");
    for extra in [
        vec![
            "--mocks".to_owned(),
            root().join("return/mocks.json").display().to_string(),
        ],
        vec!["--test-case".to_owned(), "Greets".to_owned()],
    ] {
        let (code, _, err) = finish(
            daycare(home.path())
                .args(["workflow", "run"])
                .arg(&definition)
                .args(&extra)
                .output()
                .unwrap(),
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("required"), "{err}");
    }
}

#[test]
fn names_from_the_mock_file_never_reach_the_terminal_raw() {
    let (_dir, mocks) = file_with(
        "mocks.json",
        "{\"StateMachines\": {\"definition\": {\"TestCases\": {\"Greets\": {\"Greet\": \"He\\u001b[31mllo\"}}}}, \"MockedResponses\": {}}",
    );
    let line = refused(&root().join("return/definition.json"), &mocks, "Greets");
    assert!(!line.contains('\u{1b}'), "{line:?}");
    assert!(line.contains("names the mocked response"), "{line}");
}
