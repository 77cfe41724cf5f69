//! A process killed with SIGKILL in the middle of a bulk submission leaves a sound
//! database: integrity_check passes, and after the next start every execution is
//! SUCCEEDED or FAILED (interrupted ones FAILED with States.Runtime and a cause saying
//! so, holding no spot), enrolled counts equal the confirmed registrations, and every
//! result the process printed before it died is kept, as it was printed; what it had not
//! printed may be gone, never half kept.

mod cli_support;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use cli_support::{Db, check_invariants, sample_lines};
use daycare::store::Store;

fn executions(db: &Db) -> usize {
    let (_, out) = db.json(&["executions", "--limit", "100000"]);
    out["executions"].as_array().map_or(0, Vec::len)
}

/// Every execution kept, by name: its status.
fn kept(db: &Db) -> HashMap<String, String> {
    let (_, out) = db.json(&["executions", "--limit", "1000000"]);
    out["executions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap().to_string();
            (name, e["status"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn sigkill_mid_bulk_submission_loses_nothing_committed_and_leaves_nothing_half_done() {
    let db = Db::new();
    // Room for many children, so confirmations (writes) happen all along.
    assert_eq!(db.run(&["spots", "set", "400"]).0, 0);
    let mut seen = 0;
    let mut printed_in_all = 0;
    for round in 0..3u64 {
        let input = db.dir.path().join(format!("batch{round}.jsonl"));
        std::fs::write(&input, sample_lines(round + 10, 20_000)).unwrap();
        let mut child = db
            .command()
            .args(["submit", input.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // What it prints, read as it goes: "STATUS  name  child: …". The kill may cut
        // the last line short: only whole lines count as printed.
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
            let whole = text.rfind('\n').map_or("", |end| &text[..end]);
            whole.lines().map(str::to_string).collect::<Vec<_>>()
        });
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
        let printed = reader.join().unwrap();

        // The next start: opening closes what the dead process left RUNNING.
        let store = Store::open(&db.path).unwrap();
        assert_eq!(store.integrity_check(), Ok(()));
        assert_eq!(store.execution_counts().unwrap().running, 0);
        drop(store);
        check_invariants(&db);
        let kept = kept(&db);
        for line in &printed {
            let mut words = line.split_whitespace();
            let (Some(status), Some(name)) = (words.next(), words.next()) else {
                panic!("an unexpected result line: {line:?}")
            };
            assert_eq!(
                kept.get(name).map(String::as_str),
                Some(status),
                "printed but not kept as printed: {line}"
            );
        }
        printed_in_all += printed.len();
        seen = kept.len();
    }
    assert!(printed_in_all > 0, "nothing was printed before the kills");
}
