//! Many processes starting at once on a database that does not exist yet: creating and
//! migrating it is one step that every racer waits for, so every one of them succeeds.

mod cli_support;

use std::process::Stdio;

use cli_support::{daycare_at, finish};

#[test]
fn eight_processes_creating_one_new_database_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..30 {
        let path = dir.path().join(format!("round{round}.db"));
        let racers: Vec<_> = (0..8)
            .map(|_| {
                daycare_at(&path)
                    .args(["spots", "set", "12", "--day", "Monday"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for racer in racers {
            let (code, _, err) = finish(racer.wait_with_output().unwrap());
            assert_eq!(code, 0, "round {round}: {err}");
        }
        let (code, out, err) = finish(daycare_at(&path).arg("spots").output().unwrap());
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("12"), "{out}");
    }
}
