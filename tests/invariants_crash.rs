//! A process killed with SIGKILL in the middle of a bulk submission leaves a sound
//! database: integrity_check passes, and after the next start every execution is
//! SUCCEEDED or FAILED (interrupted ones FAILED with States.Runtime and a cause saying
//! so, holding no spot), and enrolled counts equal the confirmed registrations.

mod cli_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use cli_support::{Db, check_invariants, sample_lines};
use daycare::store::Store;

fn executions(db: &Db) -> usize {
    let (_, out) = db.json(&["executions", "--limit", "100000"]);
    out["executions"].as_array().map_or(0, Vec::len)
}

#[test]
fn sigkill_mid_bulk_submission_loses_nothing_committed_and_leaves_nothing_half_done() {
    let db = Db::new();
    // Room for many children, so confirmations (writes) happen all along.
    assert_eq!(db.run(&["spots", "set", "400"]).0, 0);
    let mut interrupted = 0;
    let mut seen = 0;
    for round in 0..3u64 {
        let input = db.dir.path().join(format!("batch{round}.jsonl"));
        std::fs::write(&input, sample_lines(round + 10, 20_000)).unwrap();
        let mut child = db
            .command()
            .args(["submit", input.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait (polling, with a deadline) until this round has written some executions.
        let deadline = Instant::now() + Duration::from_secs(60);
        while executions(&db) < seen + 50 + 37 * round as usize {
            assert!(Instant::now() < deadline, "the submission made no progress");
            assert!(
                child.try_wait().unwrap().is_none(),
                "finished before the kill"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        // The next start: opening closes what the dead process left RUNNING.
        let store = Store::open(&db.path).unwrap();
        assert_eq!(store.integrity_check(), Ok(()));
        assert_eq!(store.execution_counts().unwrap().running, 0);
        drop(store);
        interrupted = check_invariants(&db);
        seen = executions(&db);
    }
    assert!(
        interrupted >= 1,
        "no kill landed inside an execution in three tries"
    );
}
