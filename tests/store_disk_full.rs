//! A full disk and half-finished registrations. A registration whose execution is still
//! RUNNING holds its spot but is never shown as enrolled; on a full disk, where the
//! runs of a stopped process cannot be closed, reads still work and say so, and writes
//! are refused with a sentence.

mod cli_support;

use std::process::Command;

use chrono::{NaiveDate, Weekday};
use cli_support::{Db, TODAY};
use daycare::store::{Confirmation, NewRegistration, Store};
use daycare::workflow::ExecutionSummary;

/// Leaves, through the store, an execution RUNNING whose registration is confirmed, as
/// a process stopped between confirmation and finishing leaves it. Returns the store:
/// while it is open, its process (the owner) is alive.
fn half_finished(db: &Db) -> Store {
    let mut store = Store::open(&db.path).unwrap();
    let summary = ExecutionSummary::started("arn:m", "half", "{}".into());
    store
        .begin_execution(&summary, "{}", Some("Half Done"))
        .unwrap();
    let date = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let new = NewRegistration {
        first_name: "Half".into(),
        last_name: "Done".into(),
        date_of_birth: date,
        days: vec![Weekday::Tue],
        age: 3,
        fees: 750,
        start_date: date,
        execution_name: "half".into(),
        document: "{}".into(),
    };
    assert!(matches!(
        store.confirm(&new).unwrap(),
        Confirmation::Confirmed(_)
    ));
    store
}

fn tuesday_enrolled(spots: &serde_json::Value) -> u64 {
    spots["spots"][1]["enrolled"].as_u64().unwrap()
}

#[test]
fn a_half_finished_registration_holds_its_spot_but_is_never_shown_enrolled() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-3.json").0, 0);
    let owner = half_finished(&db);
    let (_, spots) = db.json(&["spots"]);
    assert_eq!(tuesday_enrolled(&spots), 1, "{spots}");
    let (_, regs) = db.json(&["registrations", "--all"]);
    let regs = regs["registrations"].as_array().unwrap();
    assert_eq!(regs.len(), 1, "{regs:?}");
    assert_ne!(regs[0]["executionName"], "half");
    // Its spot is held: Tuesday cannot go below two.
    let (code, _, err) = db.run(&["spots", "set", "1", "--day", "Tuesday"]);
    assert_eq!(code, 2);
    assert!(err.contains("2 children are enrolled"), "{err}");
    drop(owner);
}

#[test]
fn on_a_full_disk_reads_work_and_say_recovery_could_not_run() {
    let db = Db::new();
    assert_eq!(db.submit_fixture("age-3.json").0, 0);
    // The owner goes away: the next open must close "half" as interrupted, a write.
    drop(half_finished(&db));

    let full = db.dir.path().join("full");
    std::fs::create_dir(&full).unwrap();
    let out = |name: &str| db.dir.path().join(name).display().to_string();
    // A 1 MiB tmpfs in a mount namespace of its own, filled but for the 36 KiB SQLite
    // needs to share its WAL index (32 KiB) and one page: no WAL frame fits.
    let script = format!(
        r#"set -e
mount -t tmpfs -o size=1m tmpfs "{full}"
cp "{db}" "{full}/daycare.db"
dd if=/dev/zero of="{full}/reserve" bs=4096 count=9 2>/dev/null
dd if=/dev/zero of="{full}/fill" bs=4096 2>/dev/null || true
rm "{full}/reserve"
set +e
export DAYCARE_DB="{full}/daycare.db"
"{bin}" spots --json > "{spots}" 2> "{spots}.err"; echo $? > "{spots}.code"
"{bin}" registrations --all --json > "{regs}" 2> "{regs}.err"; echo $? > "{regs}.code"
"{bin}" spots set 9 > /dev/null 2> "{set}.err"; echo $? > "{set}.code"
"#,
        full = full.display(),
        db = db.path.display(),
        bin = env!("CARGO_BIN_EXE_daycare"),
        spots = out("spots"),
        regs = out("regs"),
        set = out("set"),
    );
    let status = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .env("DAYCARE_TODAY", TODAY)
        .status()
        .unwrap_or_else(|e| panic!("this test needs unshare (util-linux), run as root: {e}"));
    assert!(
        status.success(),
        "could not make a full tmpfs (this test must run as root)"
    );
    let read = |name: &str| std::fs::read_to_string(out(name)).unwrap();

    assert_eq!(read("spots.code").trim(), "0", "{}", read("spots.err"));
    assert!(
        read("spots.err").contains("could not be closed"),
        "{}",
        read("spots.err")
    );
    let spots: serde_json::Value = serde_json::from_str(&read("spots")).unwrap();
    assert_eq!(tuesday_enrolled(&spots), 1, "{spots}");

    assert_eq!(read("regs.code").trim(), "0", "{}", read("regs.err"));
    let regs: serde_json::Value = serde_json::from_str(&read("regs")).unwrap();
    assert_eq!(regs["registrations"].as_array().unwrap().len(), 1, "{regs}");

    assert_eq!(read("set.code").trim(), "2");
    assert!(read("set.err").contains("is full"), "{}", read("set.err"));

    // With space again, the next open closes the stopped run and frees its spot.
    let (_, spots) = db.json(&["spots"]);
    assert_eq!(tuesday_enrolled(&spots), 1);
    let (_, half) = db.json(&["execution", "half"]);
    assert_eq!(half["status"], "FAILED", "{half}");
}
