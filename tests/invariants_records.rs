//! The invariants hold for every write the records add: desks racing to amend, to
//! offer a freed spot, or to take a spot a future withdrawal frees never overbook; a
//! process that dies between a change's last task and the end of its execution leaves
//! nothing half-done (the change is discarded, the spots it held are free, the audit
//! says nothing); a SIGKILL at any moment of a stream of changes leaves a sound
//! database; and the audit refuses every update and delete.

mod cli_support;

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::Duration;

use cli_support::{Db, check_invariants, finish};
use serde_json::{Value, json};

fn child(first: &str, days: &[&str], born: &str) -> String {
    json!({"registration_info": {
        "child": {"firstName": first, "lastName": "Racer", "dateOfBirth": born},
        "parents": {"mother": {"firstName": "Ma", "lastName": first, "phone": format!("555-01{:02}", first.len())}},
        "daysOfWeek": days
    }})
    .to_string()
}

/// Runs `daycare ARGS` with `document` on its standard input: (exit code, stdout, stderr).
fn run_with(db: &Db, args: &[&str], document: &str) -> (i32, String, String) {
    let mut run = db
        .command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    run.stdin
        .take()
        .unwrap()
        .write_all(document.as_bytes())
        .unwrap();
    finish(run.wait_with_output().unwrap())
}

fn submit(db: &Db, document: &str) -> Value {
    let (_, out, err) = run_with(db, &["submit", "-", "--json"], document);
    serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"))["results"][0]
        .clone()
}

/// Starts `daycare ARGS -` waiting on its standard input (each is released together).
fn waiting(db: &Db, args: &[&str]) -> Child {
    db.command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn enrolled_on(db: &Db, day: usize) -> u64 {
    let (_, spots) = db.json(&["spots"]);
    spots["spots"][day]["enrolled"].as_u64().unwrap()
}

#[test]
fn eight_desks_adding_a_day_with_two_spots_left_get_exactly_two() {
    let db = Db::new();
    for i in 0..8 {
        let r = submit(&db, &child(&format!("Kid{i}"), &["Tuesday"], "2023-01-05"));
        assert_eq!(r["status"], "SUCCEEDED", "{r}");
    }
    assert_eq!(db.run(&["spots", "set", "2", "--day", "Monday"]).0, 0);
    let mut racers: Vec<Child> = (1..=8)
        .map(|id| waiting(&db, &["amend", &id.to_string(), "-", "--json"]))
        .collect();
    let inputs: Vec<_> = racers.iter_mut().map(|c| c.stdin.take().unwrap()).collect();
    for mut input in inputs {
        input
            .write_all(br#"{"daysOfWeek": ["Monday", "Tuesday"]}"#)
            .unwrap();
    }
    let results: Vec<Value> = racers
        .into_iter()
        .map(|c| {
            let (code, out, err) = finish(c.wait_with_output().unwrap());
            assert!(code == 0 || code == 1, "exit {code}: {err}");
            serde_json::from_str(&out).unwrap()
        })
        .collect();
    let won = results.iter().filter(|r| r["succeeded"] == true).count();
    assert_eq!(won, 2, "{results:#?}");
    for r in results.iter().filter(|r| r["succeeded"] == false) {
        assert_eq!(r["execution"]["error"], "NoSpotsAvailable", "{r}");
        assert!(
            r["refusal"].as_str().unwrap().contains("Monday (full)"),
            "{r}"
        );
    }
    assert_eq!(enrolled_on(&db, 0), 2);
    check_invariants(&db);
}

#[test]
fn desks_offering_one_freed_spot_to_three_waiting_children_enrol_exactly_one() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "1", "--day", "Friday"]).0, 0);
    let first = submit(&db, &child("Ada", &["Friday"], "2023-01-05"));
    assert_eq!(first["status"], "SUCCEEDED");
    for name in ["Bea", "Cleo", "Dora"] {
        let document = child(name, &["Friday"], "2023-02-06");
        let (code, _, err) = run_with(&db, &["submit", "--waitlist", "-"], &document);
        assert_eq!(code, 1);
        assert!(err.contains("is on the waitlist"), "{err}");
    }
    assert_eq!(db.run(&["withdraw", "1", "--reason", "moving"]).0, 0);
    // Two desks for each entry, all at once.
    let offers: Vec<Child> = [1, 2, 3, 1, 2, 3]
        .iter()
        .map(|id| {
            db.command()
                .args(["waitlist", "offer", &id.to_string(), "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut enrolled = 0;
    for offer in offers {
        let (code, out, err) = finish(offer.wait_with_output().unwrap());
        assert!((0..=2).contains(&code), "exit {code}: {err}");
        if code == 0 {
            enrolled += 1;
            let v: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["entry"]["status"], "enrolled", "{v}");
        }
    }
    assert_eq!(enrolled, 1, "one spot, one child");
    assert_eq!(enrolled_on(&db, 4), 1);
    let (_, list) = db.json(&["waitlist"]);
    assert_eq!(list["waitlist"].as_array().unwrap().len(), 2);
    check_invariants(&db);
}

#[test]
fn a_spot_freed_ahead_goes_to_exactly_one_of_eight_racing_registrations() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "1", "--day", "Monday"]).0, 0);
    let first = submit(&db, &child("Ada", &["Monday"], "2023-01-05"));
    assert_eq!(first["status"], "SUCCEEDED");
    // Ada leaves before a child registering today would start (today + 14).
    let (code, out, err) = db.run(&["withdraw", "1", "--reason", "moving", "--on", "2026-09-08"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(enrolled_on(&db, 0), 1, "Ada is still enrolled today");
    let mut racers: Vec<Child> = (0..8)
        .map(|_| waiting(&db, &["submit", "-", "--json"]))
        .collect();
    let inputs: Vec<_> = racers.iter_mut().map(|c| c.stdin.take().unwrap()).collect();
    for (i, mut input) in inputs.into_iter().enumerate() {
        input
            .write_all(child(&format!("Kid{i}"), &["Monday"], "2023-03-07").as_bytes())
            .unwrap();
    }
    let won = racers
        .into_iter()
        .map(|c| {
            let (_, out, _) = finish(c.wait_with_output().unwrap());
            serde_json::from_str::<Value>(&out).unwrap()["results"][0]["status"] == "SUCCEEDED"
        })
        .filter(|won| *won)
        .count();
    assert_eq!(won, 1);
    check_invariants(&db);
}

/// A store that dies (is dropped, its owner lock released) with an execution RUNNING
/// after its last task wrote, and the next open.
mod crash_points {
    use super::*;
    use chrono::NaiveDate;
    use daycare::registration::{Clock, Desk};
    use daycare::store::{AuditFilter, ChangeWhat, NewChange, Proposal, Store, document_version};
    use daycare::workflow::ExecutionSummary;

    fn today() -> NaiveDate {
        NaiveDate::parse_from_str(cli_support::TODAY, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_amendment_cut_short_after_its_last_task_is_discarded_and_frees_its_days() {
        let db = Db::new();
        assert_eq!(db.run(&["spots", "set", "1", "--day", "Wednesday"]).0, 0);
        let r = submit(&db, &child("Ada", &["Monday"], "2023-01-05"));
        assert_eq!(r["status"], "SUCCEEDED");
        {
            let mut store = Store::open(&db.path).unwrap();
            let summary = ExecutionSummary::started("arn:amendment", "amend-cut", "{}".into());
            store
                .begin_execution(&summary, "{}", Some("Ada Racer"))
                .unwrap();
            let kept = store.registration(1).unwrap().unwrap();
            let mut after = kept.document.clone();
            after["daysOfWeek"] = json!(["Monday", "Wednesday"]);
            let proposal = store
                .propose_change(&NewChange {
                    execution_name: "amend-cut".into(),
                    registration_id: 1,
                    based_on: document_version(&kept.document.to_string()),
                    what: ChangeWhat::Amend {
                        days: vec![chrono::Weekday::Mon, chrono::Weekday::Wed],
                        document: after.to_string(),
                    },
                    today: today(),
                    staff: "test".into(),
                    summary: "Changed days".into(),
                    before: json!({}),
                    after: json!({}),
                })
                .unwrap();
            assert_eq!(proposal, Proposal::Held);
            // Wednesday's one spot is held: a reader does not count it, a writer does.
            assert_eq!(store.spots().unwrap()[2].enrolled, 0);
            assert_eq!(
                store
                    .unavailable_days(&[chrono::Weekday::Wed], today())
                    .unwrap(),
                vec![chrono::Weekday::Wed]
            );
        } // dies here
        // The next start, in another process (this one is its own owner, still alive).
        assert_eq!(db.run(&["spots"]).0, 0);
        let store = Store::open(&db.path).unwrap();
        assert_eq!(store.recovery_failed(), None);
        assert_eq!(store.execution_counts().unwrap().running, 0);
        let kept = store.registration(1).unwrap().unwrap();
        assert_eq!(kept.days, vec![chrono::Weekday::Mon], "nothing half-done");
        assert_eq!(store.spots().unwrap()[2].enrolled, 0);
        assert!(
            store
                .unavailable_days(&[chrono::Weekday::Wed], today())
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .audit(&AuditFilter::default(), 100)
                .unwrap()
                .iter()
                .all(|e| e.execution_name.as_deref() != Some("amend-cut"))
        );
        drop(store);
        check_invariants(&db);
    }

    #[test]
    fn a_withdrawal_cut_short_leaves_the_child_enrolled() {
        let db = Db::new();
        submit(&db, &child("Ada", &["Monday"], "2023-01-05"));
        {
            let mut store = Store::open(&db.path).unwrap();
            let summary = ExecutionSummary::started("arn:withdrawal", "withdraw-cut", "{}".into());
            store
                .begin_execution(&summary, "{}", Some("Ada Racer"))
                .unwrap();
            let kept = store.registration(1).unwrap().unwrap();
            let proposal = store
                .propose_change(&NewChange {
                    execution_name: "withdraw-cut".into(),
                    registration_id: 1,
                    based_on: document_version(&kept.document.to_string()),
                    what: ChangeWhat::Withdraw {
                        on: today(),
                        reason: "moving".into(),
                    },
                    today: today(),
                    staff: "test".into(),
                    summary: "Withdrawn".into(),
                    before: json!({}),
                    after: json!({}),
                })
                .unwrap();
            assert_eq!(proposal, Proposal::Held);
        }
        assert_eq!(
            db.run(&["spots"]).0,
            0,
            "the next start, in another process"
        );
        let store = Store::open(&db.path).unwrap();
        assert_eq!(store.execution_counts().unwrap().running, 0);
        let kept = store.registration(1).unwrap().unwrap();
        assert_eq!(kept.status, daycare::store::RegistrationStatus::Enrolled);
        assert_eq!(kept.leaves_on, None);
        drop(store);
        check_invariants(&db);
    }

    #[test]
    fn an_offer_cut_short_keeps_the_entry_waiting_and_takes_no_spot() {
        let db = Db::new();
        assert_eq!(db.run(&["spots", "set", "1", "--day", "Friday"]).0, 0);
        submit(&db, &child("Ada", &["Friday"], "2023-01-05"));
        let refused = submit(&db, &child("Bea", &["Friday"], "2023-01-05"));
        let name = refused["name"].as_str().unwrap().to_string();
        assert_eq!(db.run(&["waitlist", "add", &name]).0, 0);
        assert_eq!(db.run(&["withdraw", "1", "--reason", "moving"]).0, 0);
        {
            let mut store = Store::open(&db.path).unwrap();
            let summary = ExecutionSummary::started(
                &daycare::registration::STATE_MACHINE_ARN,
                "offer-cut",
                "{}".into(),
            );
            store
                .begin_execution(&summary, "{}", Some("Bea Racer"))
                .unwrap();
            store.begin_offer(1, "offer-cut", "test").unwrap();
            // Its confirmation went through: the spot is held.
            let new = cli_support::new_registration("Bea", "Racer", "offer-cut");
            let new = daycare::store::NewRegistration {
                days: vec![chrono::Weekday::Fri],
                ..new
            };
            assert!(matches!(
                store.confirm(&new).unwrap(),
                daycare::store::Confirmation::Confirmed(_)
            ));
        }
        assert_eq!(
            db.run(&["spots"]).0,
            0,
            "the next start, in another process"
        );
        let store = Store::open(&db.path).unwrap();
        let entry = store.waitlist_entry(1).unwrap().unwrap();
        assert_eq!(entry.status, daycare::store::WaitlistStatus::Waiting);
        assert_eq!(entry.offer_execution, None);
        assert!(entry.last_refusal.unwrap().contains("interrupted"));
        assert_eq!(store.spots().unwrap()[4].enrolled, 0);
        drop(store);
        check_invariants(&db);
        // And the next offer goes through.
        let desk = Desk::open(&db.path, Clock::pinned(today())).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let offered = runtime.block_on(desk.offer(1, None)).unwrap();
        assert!(offered.outcome.succeeded(), "{offered:?}");
    }
}

#[test]
fn sigkill_at_any_moment_of_a_stream_of_changes_leaves_a_sound_database() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "2", "--day", "Wednesday"]).0, 0);
    for i in 0..3 {
        let r = submit(&db, &child(&format!("Kid{i}"), &["Monday"], "2023-01-05"));
        assert_eq!(r["status"], "SUCCEEDED", "{r}");
    }
    let daycare = env!("CARGO_BIN_EXE_daycare");
    // One shell keeps changing registrations (days in and out of the full Wednesday,
    // instructions, a withdrawal ahead) until it is killed with everything it runs.
    let script = format!(
        "while :; do for id in 1 2 3; do \
         '{daycare}' amend $id --days Mon,Wed >/dev/null 2>&1; \
         '{daycare}' amend $id --instructions \"note $RANDOM\" >/dev/null 2>&1; \
         '{daycare}' amend $id --days Mon >/dev/null 2>&1; \
         done; done"
    );
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut interrupted = 0;
    for round in 0..12 {
        let mut shell = std::process::Command::new("sh")
            .args(["-c", &script])
            .env("DAYCARE_DB", &db.path)
            .env("DAYCARE_TODAY", cli_support::TODAY)
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(150 + rng % 400));
        // SIGKILL the whole group: the shell and the daycare it is running.
        let group = format!("-{}", shell.id());
        let killed = std::process::Command::new("kill")
            .args(["-KILL", "--", &group])
            .status()
            .unwrap();
        assert!(killed.success(), "round {round}");
        shell.wait().unwrap();
        // The daycare the shell ran is in the group too: wait until it has died (and its
        // owner lock with it), or the next open rightly sees its run as still owned.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::process::Command::new("kill")
            .args(["-0", "--", &group])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
        {
            assert!(
                std::time::Instant::now() < deadline,
                "round {round}: still alive"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let store = daycare::store::Store::open(&db.path).unwrap();
        assert_eq!(store.integrity_check(), Ok(()), "round {round}");
        assert_eq!(
            store.execution_counts().unwrap().running,
            0,
            "round {round}"
        );
        drop(store);
        interrupted = check_invariants(&db);
        assert!(enrolled_on(&db, 2) <= 2, "Wednesday never overbooked");
    }
    eprintln!("{interrupted} changes were cut short by a kill and closed as interrupted");
    let (_, audit) = db.json(&["audit", "--kind", "amendment", "--limit", "100000"]);
    assert!(
        !audit["audit"].as_array().unwrap().is_empty(),
        "the stream made changes before the kills"
    );
}

#[test]
fn the_audit_refuses_every_update_and_delete() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "12", "--day", "Monday"]).0, 0);
    let count = || db.integer_outside("SELECT COUNT(*) FROM audit");
    assert_eq!(count(), 1);
    let update = db.execute_outside("UPDATE audit SET staff = 'someone else'");
    assert!(
        update.unwrap_err().contains("append-only"),
        "an update is refused"
    );
    let delete = db.execute_outside("DELETE FROM audit");
    assert!(delete.unwrap_err().contains("append-only"));
    assert_eq!(count(), 1);
    let (_, audit) = db.json(&["audit"]);
    let staff = audit["audit"][0]["staff"].as_str().unwrap();
    assert!(!staff.is_empty() && staff != "someone else", "{audit}");
}
