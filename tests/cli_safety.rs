//! The command line on inputs and data that are not what they should be, through the real
//! binary: the demo never touches real registrations; a line that is not UTF-8 text
//! stops only that line, and a byte order mark is fine; names full of control
//! characters reach no terminal raw, and `--json` gives them back exactly; and the
//! console without a terminal says so instead of panicking.

mod cli_support;

use std::process::{Command, Stdio};

use cli_support::{Db, fixture, sample_lines};
use daycare::store::{Confirmation, Store};
use daycare::workflow::{Execution, ExecutionStatus, ExecutionSummary};

// ---- the demo and real data ----

fn registrations(db: &Db) -> serde_json::Value {
    db.json(&["registrations", "--all"]).1
}

#[test]
fn demo_refuses_a_database_with_real_registrations() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-3.json").0, 0);
    let before = registrations(&db);
    let (code, out, err) = db.run(&["demo", "--executions", "20"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("holds real registrations"), "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(registrations(&db), before, "the real child was touched");
    let (_, executions) = db.json(&["executions"]);
    assert_eq!(executions["executions"].as_array().unwrap().len(), 1);
}

#[test]
fn demo_refuses_even_a_refused_real_registration() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-6.json").0, 1);
    assert_eq!(db.run(&["demo", "--executions", "5"]).0, 2);
}

#[test]
fn demo_runs_on_a_new_database_and_again_on_its_own_data() {
    let db = Db::new();
    assert_eq!(db.run(&["demo", "--executions", "30"]).0, 0);
    let (code, out, err) = db.run(&["demo", "--executions", "30", "--seed", "2"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, executions) = db.json(&["executions", "--limit", "100"]);
    assert_eq!(executions["executions"].as_array().unwrap().len(), 60);
    assert_eq!(cli_support::check_invariants(&db), 0);
}

#[test]
fn demo_without_db_refuses_the_default_database_when_it_holds_real_children() {
    let home = tempfile::tempdir().unwrap();
    let daycare = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_daycare"));
        cmd.env_remove("DAYCARE_DB")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("DAYCARE_TODAY", cli_support::TODAY)
            .stdin(Stdio::null())
            .args(args);
        cli_support::finish(cmd.output().unwrap())
    };
    assert_eq!(daycare(&["submit", &fixture("age-3.json")]).0, 0);
    assert!(home.path().join("data/daycare/daycare.db").exists());
    let (code, _, err) = daycare(&["demo", "--executions", "5"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--db"), "{err}");
}

#[test]
fn demo_help_says_it_runs_only_on_new_or_demo_databases() {
    let (code, out, _) = Db::new().run(&["demo", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("only on a new database"), "{out}");
}

// ---- bytes that are not text ----

#[test]
fn a_line_that_is_not_utf8_is_reported_by_number_and_the_other_99_run() {
    let db = Db::new();
    let mut lines: Vec<Vec<u8>> = sample_lines(3, 100)
        .lines()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    lines[6] = b"{\"registration_info\": \"caf\xe9\"}".to_vec();
    let input = db.dir.path().join("latin1.jsonl");
    std::fs::write(&input, lines.join(&b"\n"[..])).unwrap();
    let (code, out, err) = db.run(&["--json", "submit", input.to_str().unwrap()]);
    // Something ran, so the exit is 1 (not done in full), not 2 (nothing could run).
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("line 7 is not UTF-8 text"), "{err}");
    let results: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = results["results"].as_array().unwrap();
    assert_eq!(results.len(), 100);
    let unreadable: Vec<_> = results
        .iter()
        .filter(|r| r["status"] == "UNREADABLE")
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0]["line"], 7);
    let (_, executions) = db.json(&["executions", "--limit", "1000"]);
    assert_eq!(executions["executions"].as_array().unwrap().len(), 99);
}

#[test]
fn a_leading_byte_order_mark_is_accepted() {
    let db = Db::new();
    let single = db.dir.path().join("bom.json");
    let document = std::fs::read(fixture("age-3.json")).unwrap();
    std::fs::write(&single, [b"\xef\xbb\xbf".as_slice(), &document].concat()).unwrap();
    let (code, out) = db.json(&["submit", single.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["results"][0]["status"], "SUCCEEDED");
    assert!(out["results"][0].get("line").is_none(), "{out}");

    let lines = db.dir.path().join("bom.jsonl");
    let input = format!("\u{feff}{}", sample_lines(4, 3));
    std::fs::write(&lines, input).unwrap();
    let (code, out) = db.json(&["submit", lines.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "{out}");
    let results = out["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| r["status"] != "UNREADABLE"), "{out}");
}

// ---- control characters in names ----

const FIRST: &str = "Ann\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{85}o";
const LAST: &str = "Le\u{202e}live\u{7f}\u{2028}x\u{200d}\u{2066}y";

/// A registration kept with names as a careless older version (or a direct write) could
/// have stored them, made by the execution `execution`.
fn plant(db: &Db, execution: &str) {
    let mut store = Store::open(&db.path).unwrap();
    let arn = "arn:aws:states:local:000000000000:stateMachine:registration";
    let mut summary = ExecutionSummary::started(arn, execution, "{}".into());
    let child = format!("{FIRST} {LAST}");
    store.begin_execution(&summary, "{}", Some(&child)).unwrap();
    let new = cli_support::new_registration(FIRST, &format!("{LAST}{execution}"), execution);
    assert!(matches!(
        store.confirm(&new).unwrap(),
        Confirmation::Confirmed(_)
    ));
    summary.status = ExecutionStatus::Succeeded;
    summary.stop_date = Some(chrono::Utc::now());
    summary.error = Some(format!("Bad\u{1b}[31m{LAST}"));
    summary.cause = Some(format!("line one\n{FIRST}\u{9b}"));
    let done = Execution {
        summary,
        events: Vec::new(),
    };
    store.finish_execution(&done, Some(750)).unwrap();
}

/// No escape, bell, DEL, C1 control, bidi control or line separator.
fn assert_clean(what: &str, text: &str) {
    for (i, c) in text.chars().enumerate() {
        let unsafe_char = matches!(c, '\u{1b}' | '\u{7}' | '\u{7f}' | '\u{80}'..='\u{9f}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200d}')
            || (c.is_control() && c != '\n');
        assert!(!unsafe_char, "{what}: {:?} at {i} in {text:?}", c);
    }
}

fn run_clean(db: &Db, args: &[&str]) -> (i32, String) {
    let out = db.command().args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_clean(&format!("stdout of {args:?}"), &stdout);
    assert_clean(&format!("stderr of {args:?}"), &stderr);
    (out.status.code().unwrap_or(-1), stdout)
}

fn json_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn names_with_control_characters_reach_no_output_raw_and_json_keeps_them() {
    let db = Db::new();
    assert_eq!(db.run(&["spots"]).0, 0);
    plant(&db, "a");
    plant(&db, "b");
    // A sheet is CSV: CRLF ends its records; nothing else unsafe reaches it.
    for args in [
        &["registrations", "--csv"][..],
        &["roster", "--day", "mon", "--csv"],
        &["executions", "--csv"],
    ] {
        let out = db.command().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Ann]0;owned[2J31mo"), "{args:?}: {text:?}");
        assert_clean(&format!("{args:?}"), &text.replace("\r\n", "\n"));
    }
    for args in [
        &["registrations", "--all"][..],
        &["executions"],
        &["execution", "a"],
        &["execution", "a", "--history"],
        &["execution", "a", "--history", "--json"],
        &["registration", "2"],
        &["registration", "2", "--json"],
        &["roster", "--day", "mon"],
        &["roster", "--day", "mon", "--json"],
        &["withdraw", "1", "--reason", FIRST],
        &["registration", "1"],
        &["execution", FIRST],
        &["roster", "--day", FIRST],
        &["registration", FIRST],
        &["executions", "--status", LAST],
        &["spots", "set", "3", "--day", FIRST],
        &["withdraw", FIRST, "--reason", LAST],
        &[LAST],
    ] {
        run_clean(&db, args);
    }
    let (code, out) = run_clean(&db, &["withdraw", "2", "--reason", "moving", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json_of(&out)["registration"]["firstName"], FIRST);
    let (_, out) = run_clean(&db, &["registrations", "--all", "--json"]);
    let regs = json_of(&out);
    assert_eq!(regs["registrations"][0]["firstName"], FIRST);
    assert_eq!(regs["registrations"][0]["lastName"], format!("{LAST}b"));
    let (_, out) = run_clean(&db, &["executions", "--json"]);
    let listed = json_of(&out);
    let planted = listed["executions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "a")
        .unwrap()
        .clone();
    assert_eq!(planted["child"], format!("{FIRST} {LAST}"));
    let (_, out) = run_clean(&db, &["registration", "2", "--json"]);
    assert_eq!(json_of(&out)["firstName"], FIRST);
    let (_, out) = run_clean(&db, &["execution", "a", "--json"]);
    assert_eq!(json_of(&out)["cause"], format!("line one\n{FIRST}\u{9b}"));
}

#[test]
fn submit_results_show_no_control_characters_and_json_shows_the_name_normalised() {
    let db = Db::new();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("age-3.json")).unwrap()).unwrap();
    doc["registration_info"]["child"]["firstName"] = FIRST.into();
    doc["registration_info"]["child"]["lastName"] = LAST.into();
    let input = db.dir.path().join("evil.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let file = input.to_str().unwrap();
    run_clean(&db, &["submit", file]);
    let (_, out) = run_clean(&db, &["submit", file, "--json"]);
    // A submitted document's child is listed as the desk normalises names at the door.
    assert_eq!(
        json_of(&out)["results"][0]["child"],
        format!(
            "{} {}",
            daycare::text::normalize_name(FIRST),
            daycare::text::normalize_name(LAST)
        )
    );
    let lines = db.dir.path().join("evil.jsonl");
    std::fs::write(&lines, format!("{doc}\n{{\u{1b}[2J\u{9b}\n")).unwrap();
    let (code, _) = run_clean(&db, &["submit", lines.to_str().unwrap()]);
    // The first line ran; the unreadable second makes it 1, not 2.
    assert_eq!(code, 1);
}

// ---- the console needs a terminal ----

#[test]
fn the_console_without_a_terminal_says_so_and_writes_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = cli_support::daycare_at(&db)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "{:?}", out.stdout);
    assert_eq!(
        stderr.trim(),
        "daycare: the console needs a terminal; see `daycare --help`"
    );
    assert!(!db.exists(), "the database was opened without a terminal");
}
