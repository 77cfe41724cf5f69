//! `daycare workflow validate|run` as people use them: the real binary on the repro
//! definitions in `fixtures/workflows/limits/`. Runs end within the engine's limits,
//! validation finds what running would refuse, a hand-written definition cannot reach
//! a real database by default, and nothing from a definition reaches a terminal raw.

mod cli_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cli_support::{Db, TODAY, finish};
use serde_json::Value;

fn limits(name: &str) -> String {
    format!(
        "{}/fixtures/workflows/limits/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `daycare` with no database named anywhere: the default one lives under `home`.
fn without_db(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_daycare"));
    cmd.env_remove("DAYCARE_DB")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("DAYCARE_TODAY", TODAY)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null());
    cmd
}

fn run_json(out: &str, err: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"))
}

/// Whether text holds a character no terminal should be sent: C0 (but line breaks),
/// DEL or C1.
fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c))
}

#[test]
fn a_pass_loop_ends_at_the_history_limit() {
    let db = Db::new();
    let (code, out, err) = db.run(&["workflow", "run", &limits("loop.json")]);
    assert_eq!(code, 1, "{err}");
    let doc = run_json(&out, &err);
    let status = doc["execution"]["status"].as_str().unwrap_or("");
    assert!(
        status == "FAILED" || status == "TIMED_OUT",
        "{}",
        doc["execution"]
    );
    assert!(doc["events"].as_array().map_or(0, Vec::len) <= 25_000);
}

#[test]
fn a_map_of_1000_over_a_map_of_1000_fails_with_the_history_limit() {
    let db = Db::new();
    let (code, out, err) = db.run(&["workflow", "run", &limits("map1000x1000.json")]);
    assert_eq!(code, 1, "{err}");
    let doc = run_json(&out, &err);
    assert_eq!(doc["execution"]["status"], "FAILED");
    assert_eq!(doc["execution"]["error"], "States.Runtime");
    assert!(
        doc["execution"]["cause"]
            .as_str()
            .unwrap_or("")
            .contains("25000 events"),
        "{}",
        doc["execution"]
    );
    assert_eq!(doc["events"].as_array().map_or(0, Vec::len), 25_000);
}

#[test]
fn string_matches_over_250_kb_completes() {
    let db = Db::new();
    let (code, out, err) = db.run(&[
        "workflow",
        "run",
        &limits("stringmatches.json"),
        "--input",
        &limits("stringmatches_in.json"),
    ]);
    let doc = run_json(&out, &err);
    assert_eq!(code, 0, "{}", doc["execution"]);
    assert_eq!(doc["execution"]["status"], "SUCCEEDED");
}

#[test]
fn validate_refuses_an_unknown_resource_and_lists_the_known_ones() {
    let db = Db::new();
    let (code, out, err) = db.run(&["workflow", "validate", &limits("unk.json")]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("state \"T\", Resource"), "{err}");
    assert!(err.contains("function:nope"), "{err}");
    for known in [
        "checkInformation",
        "checkAgeRange",
        "checkSpotsAvailability",
        "confirmRegistration",
    ] {
        assert!(err.contains(known), "{err}");
    }
    // `run` refuses it the same way.
    let (run_code, _, run_err) = db.run(&["workflow", "run", &limits("unk.json")]);
    assert_eq!(run_code, 2);
    assert_eq!(run_err.lines().last(), err.lines().last());
    // And --json says so on stdout, with the problem's state and field.
    let (code, doc) = db.json(&["workflow", "validate", &limits("unk.json")]);
    assert_eq!(code, 2);
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["problems"][0]["states"][0], "T");
    assert_eq!(doc["problems"][0]["field"], "Resource");
}

#[test]
fn another_definition_runs_on_a_scratch_database_unless_one_is_named() {
    let home = tempfile::tempdir().unwrap();
    let confirm = format!(
        "{}/fixtures/workflows/limits/confirm.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let input = format!(
        "{}/fixtures/workflows/limits/confirm_in.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, out, err) = finish(
        without_db(home.path())
            .args(["workflow", "run", &confirm, "--input", &input])
            .output()
            .unwrap(),
    );
    assert!(code == 0 || code == 1, "{code}: {err}");
    run_json(&out, &err);
    assert!(err.contains("scratch database"), "{err}");
    let made: Vec<PathBuf> = walk(home.path());
    assert!(made.is_empty(), "a database was made: {made:?}");

    // Named explicitly, the database is used, and stderr says which.
    let db = Db::new();
    let (_, _, err) = db.run(&[
        "workflow", "run", &confirm, "--input", &input, "--name", "named-1",
    ]);
    assert!(err.contains(&db.path.display().to_string()), "{err}");
    let (_, listed) = db.json(&["executions"]);
    assert!(listed.to_string().contains("named-1"), "{listed}");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn run_help_says_which_database_is_used() {
    let (code, out, _) = finish(
        Command::new(env!("CARGO_BIN_EXE_daycare"))
            .args(["workflow", "run", "--help"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("scratch database"), "{out}");
}

#[test]
fn state_names_from_a_definition_never_reach_the_terminal_raw() {
    let db = Db::new();
    for args in [
        vec!["workflow", "validate", &limits("inj.json") as &str],
        vec!["workflow", "run", &limits("inj.json")],
    ] {
        let (code, out, err) = db.run(&args);
        assert_eq!(code, 2);
        assert!(!has_control(&out) && !has_control(&err), "{err:?}");
        assert!(err.contains("PWNED"), "the name is still shown: {err:?}");
    }
    // A valid machine whose state names hold DEL and C1: --json escapes them.
    let def = db.dir.path().join("c1.json");
    std::fs::write(
        &def,
        r#"{"StartAt":"A\u009bB\u007f","States":{"A\u009bB\u007f":{"Type":"Pass","End":true}}}"#,
    )
    .unwrap();
    let def = def.to_str().unwrap();
    let (code, out, err) = db.run(&["workflow", "run", def, "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(!has_control(&out) && !has_control(&err), "{out}");
    assert!(out.contains(r"A\u009bB\u007f"), "{out}");
    let (code, out, err) = db.run(&["workflow", "validate", def]);
    assert_eq!(code, 0, "{err}");
    assert!(!has_control(&out) && !has_control(&err), "{out:?}");
}

#[test]
fn executions_recorded_by_workflow_run_carry_the_childs_name() {
    let db = Db::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let definition = format!("{root}/data/registration.asl.json");
    let input = format!("{root}/fixtures/registrations/age-3.json");
    let (code, out, err) = db.run(&["workflow", "run", &definition, "--input", &input]);
    assert_eq!(code, 0, "{out}\n{err}");
    let (code, listed) = db.json(&["executions"]);
    assert_eq!(code, 0);
    let rows = listed["executions"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 1, "{listed}");
    assert_eq!(rows[0]["child"], "Noah Martin", "{listed}");
}

/// The registration workflow written in JSONata runs the daycare's handlers to the same
/// end, through the same states, as the shipped JSONPath one: for a child in range and
/// for one out of range.
#[test]
fn the_registration_workflow_in_jsonata_runs_as_the_jsonpath_one_does() {
    let jsonata = format!(
        "{}/fixtures/definitions/registration-jsonata.asl.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let shipped = format!("{}/data/registration.asl.json", env!("CARGO_MANIFEST_DIR"));
    for input in ["age-3.json", "age-6.json"] {
        let input = cli_support::fixture(input);
        let run = |definition: &str| {
            let db = Db::new();
            let (_, out, err) = db.run(&[
                "workflow", "run", definition, "--input", &input, "--name", "same",
            ]);
            let ex = run_json(&out, &err);
            let types: Vec<Value> = ex["events"]
                .as_array()
                .map(|events| events.iter().map(|e| e["type"].clone()).collect())
                .unwrap_or_default();
            let summary = &ex["execution"];
            (
                summary["status"].clone(),
                summary["output"].clone(),
                summary["error"].clone(),
                summary["cause"].clone(),
                types,
            )
        };
        let (a, b) = (run(&jsonata), run(&shipped));
        assert_eq!(a, b, "{input}");
        assert!(!a.4.is_empty(), "{input}: no events");
    }
}
