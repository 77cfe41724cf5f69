//! A submitter in another PID namespace (a container, a sandbox) shares the database with
//! readers on the host: no reader takes its live runs for interrupted, so every SUCCEEDED
//! execution keeps its registration and no execution is closed as interrupted.

mod cli_support;

use std::process::{Command, Stdio};

use cli_support::{Db, check_invariants, daycare_at, sample_lines};

#[test]
fn runs_of_a_submitter_in_another_pid_namespace_are_never_closed_by_host_readers() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "2000"]).0, 0);
    let input = db.dir.path().join("big.jsonl");
    std::fs::write(&input, sample_lines(7, 2_000)).unwrap();

    let mut submitter = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc"])
        .arg(env!("CARGO_BIN_EXE_daycare"))
        .arg("submit")
        .arg(&input)
        .env("DAYCARE_DB", &db.path)
        .env("DAYCARE_TODAY", cli_support::TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("this test needs unshare (util-linux), run as root: {e}"));

    // The host reads while the other namespace submits; each read opens the database
    // and runs recovery.
    let mut reads = 0;
    while submitter.try_wait().unwrap().is_none() {
        let out = daycare_at(&db.path).arg("spots").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        reads += 1;
    }
    let out = submitter.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("unshare:"),
        "unshare could not make a PID namespace (this test must run as root): {stderr}"
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "the submitter failed: {stderr}"
    );
    assert!(reads > 0, "the host never read during the submission");

    let interrupted = check_invariants(&db);
    assert_eq!(
        interrupted, 0,
        "a host reader closed live runs of the other namespace as interrupted"
    );
    let (_, execs) = db.json(&["executions", "--limit", "5000"]);
    assert_eq!(execs["executions"].as_array().unwrap().len(), 2_000);
}

/// Runs one execution in this (namespaced) process: recorded RUNNING and confirmed,
/// then, once stdin closes, finished SUCCEEDED. Run by the test below under `unshare`.
#[test]
#[ignore = "run as a helper process by a_live_run_in_another_pid_namespace_survives_host_opens"]
fn run_one_execution_helper() {
    use std::io::{Read, Write};
    let Ok(path) = std::env::var("DAYCARE_HELPER_DB") else {
        return;
    };
    let mut store = daycare::store::Store::open(std::path::Path::new(&path)).unwrap();
    let mut summary = daycare::workflow::ExecutionSummary::started("arn:m", "live", "{}".into());
    store
        .begin_execution(&summary, "{}", Some("Awa Diallo"))
        .unwrap();
    let new = cli_support::new_registration("Awa", "Diallo", "live");
    store.confirm(&new).unwrap();
    std::io::stdout().write_all(b"running\n").unwrap();
    std::io::stdout().flush().unwrap();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    summary.status = daycare::workflow::ExecutionStatus::Succeeded;
    summary.stop_date = Some(chrono::Utc::now());
    let done = daycare::workflow::Execution {
        summary,
        events: Vec::new(),
    };
    store.finish_execution(&done, Some(750)).unwrap();
}

#[test]
fn a_live_run_in_another_pid_namespace_survives_host_opens() {
    use std::io::BufRead;
    let db = Db::new();
    let mut helper = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc"])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "run_one_execution_helper",
            "--ignored",
            "--nocapture",
        ])
        .env("DAYCARE_HELPER_DB", &db.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("this test needs unshare (util-linux), run as root: {e}"));
    let mut lines = std::io::BufReader::new(helper.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.is_ok_and(|l| l.contains("running"))),
        "the helper did not start in a PID namespace (unshare needs root)"
    );
    // The host opens the database (running recovery) while the run is live.
    for _ in 0..3 {
        assert_eq!(db.run(&["spots"]).0, 0);
    }
    drop(helper.stdin.take());
    let out = helper.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the live run could not finish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        check_invariants(&db),
        0,
        "the live run was closed as interrupted"
    );
    let (_, live) = db.json(&["execution", "live"]);
    assert_eq!(live["status"], "SUCCEEDED", "{live}");
}
