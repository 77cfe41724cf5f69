//! Several connections in one process (the console keeps a desk and a reader) and other
//! processes share one database: nobody's commits are lost or hidden. Opening a second
//! connection must not drop the process's SQLite locks (POSIX locks vanish when any
//! descriptor of the file is closed), or another process would delete the WAL under us.

use chrono::NaiveDate;
use daycare::registration::{Clock, Desk};
use daycare::store::{ExecutionFilter, Store};
use serde_json::json;

fn child(first: &str) -> serde_json::Value {
    json!({"registration_info": {
        "child": {"firstName": first, "lastName": "Reader", "dateOfBirth": "2023-05-10"},
        "parents": {"mother": {"firstName": "Ana", "lastName": "Reader", "email": "ana@example.com"}},
        "daysOfWeek": ["Monday"]
    }})
}

fn submit_in_another_process(path: &std::path::Path, first: &str) {
    let dir = path.parent().unwrap();
    let file = dir.join(format!("{first}.json"));
    std::fs::write(&file, child(first).to_string()).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_daycare"))
        .arg("--db")
        .arg(path)
        .arg("submit")
        .arg(&file)
        .env("DAYCARE_TODAY", "2026-09-01")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

fn children(store: &Store) -> Vec<String> {
    let rows = store
        .executions(&ExecutionFilter::default(), None, 10)
        .unwrap()
        .rows;
    rows.into_iter().filter_map(|r| r.child).collect()
}

#[tokio::test]
async fn commits_of_this_process_and_others_are_all_kept_and_seen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let clock = Clock::pinned(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());

    // As the console: a desk, then a reader on the same file.
    let desk = Desk::open(&path, clock).unwrap();
    let reader = Store::open(&path).unwrap();

    submit_in_another_process(&path, "First");
    assert_eq!(children(&reader), ["First Reader"]);

    desk.submit(child("Second"), None).await.unwrap();
    submit_in_another_process(&path, "Third");

    assert_eq!(
        children(&reader),
        ["Third Reader", "Second Reader", "First Reader"]
    );
    drop((desk, reader));
    // And a fresh process, reading the file alone, finds all three.
    let fresh = Store::open(&path).unwrap();
    assert_eq!(children(&fresh).len(), 3);
}
