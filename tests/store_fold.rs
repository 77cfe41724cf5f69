//! Names are the same child under `text::fold_key`; keys kept by an older daycare
//! (trimmed lower case) are re-folded when the file is opened, and two enrolled children
//! that the new key makes one do not stop the file from opening.

mod cli_support;

use chrono::NaiveDate;
use daycare::store::{Confirmation, Store};
use daycare::workflow::{Execution, ExecutionStatus, ExecutionSummary};

fn enrol(store: &mut Store, execution: &str, first: &str) {
    let mut summary = ExecutionSummary::started("arn:m", execution, "{}".into());
    store.begin_execution(&summary, "{}", Some(first)).unwrap();
    let new = cli_support::new_registration(first, "Diallo", execution);
    assert!(matches!(
        store.confirm(&new).unwrap(),
        Confirmation::Confirmed(_)
    ));
    summary.status = ExecutionStatus::Succeeded;
    summary.stop_date = Some(chrono::Utc::now());
    let done = Execution {
        summary,
        events: Vec::new(),
    };
    store.finish_execution(&done, Some(750)).unwrap();
}

#[test]
fn look_alike_names_are_one_child_and_old_keys_are_refolded_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let date = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    {
        let mut store = Store::open(&path).unwrap();
        enrol(&mut store, "a", "Zoe\u{308}"); // NFD, as macOS types it
        // Fullwidth letters and a zero-width space: the same child.
        let found = store.find_enrolled("Ｚoë\u{200b}", "Diallo", date).unwrap();
        assert!(found.is_some(), "look-alike name not found");
        enrol(&mut store, "b", "Mia");
    }
    {
        // As an older daycare kept them: lower case only, so "Zoë" NFD and a fullwidth
        // "Ｍia" are not the same keys as the new rule's.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE registrations SET first_folded = 'zoe\u{308}' WHERE execution_name = 'a';
             UPDATE registrations SET first_folded = 'ｍia' WHERE execution_name = 'b';
             UPDATE executions SET child_folded = 'ｍia' WHERE name = 'b';
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(
        store
            .find_enrolled("Zoë", "Diallo", date)
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .find_enrolled("MIA", "Diallo", date)
            .unwrap()
            .is_some()
    );
    let filter = daycare::store::ExecutionFilter {
        child: Some("mia".into()),
        ..Default::default()
    };
    assert_eq!(store.executions(&filter, None, 10).unwrap().rows.len(), 1);
}

#[test]
fn two_enrolled_children_that_the_new_key_makes_one_do_not_stop_the_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    {
        let mut store = Store::open(&path).unwrap();
        enrol(&mut store, "a", "Zoë");
        // Kept apart by an older key: a fullwidth "Ｚoë" that folded to itself.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE registrations SET first_folded = 'ｚoë' WHERE execution_name = 'a';",
        )
        .unwrap();
        drop(conn);
        enrol(&mut store, "b", "Zoë");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 3;").unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.registrations(false).unwrap().len(), 2);
}
