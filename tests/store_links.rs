//! The links from a registration, a change or a waitlist entry to its execution are
//! checked when a transaction commits: a file of the schema before (links checked at
//! each statement) is rebuilt at open with every row and count kept, and a link to an
//! execution that never exists is still refused.

mod cli_support;

use daycare::store::{Confirmation, Store};
use daycare::workflow::{Execution, ExecutionStatus, ExecutionSummary};

fn enrol(store: &mut Store, execution: &str, first: &str) -> i64 {
    let mut summary = ExecutionSummary::started("arn:m", execution, "{}".into());
    store.begin_execution(&summary, "{}", Some(first)).unwrap();
    let new = cli_support::new_registration(first, "Diallo", execution);
    let Confirmation::Confirmed(id) = store.confirm(&new).unwrap() else {
        panic!("{first} not confirmed")
    };
    summary.status = ExecutionStatus::Succeeded;
    summary.stop_date = Some(chrono::Utc::now());
    let done = Execution {
        summary,
        events: Vec::new(),
    };
    store.finish_execution(&done, Some(750)).unwrap();
    id
}

/// The SQL of the tables that link to an execution.
fn linking_tables(conn: &rusqlite::Connection) -> Vec<String> {
    conn.prepare(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' \
         AND name IN ('registrations', 'changes', 'waitlist') ORDER BY name",
    )
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Each registration's id, execution and status; each day's spots and enrolled count.
type Snapshot = (Vec<(i64, String, String)>, Vec<(i64, i64, i64)>);

fn snapshot(conn: &rusqlite::Connection) -> Snapshot {
    let registrations = conn
        .prepare("SELECT id, execution_name, status FROM registrations ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let capacity = conn
        .prepare("SELECT day, spots, enrolled FROM capacity ORDER BY day")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (registrations, capacity)
}

#[test]
fn a_file_whose_links_are_checked_at_each_statement_is_rebuilt_with_every_row_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    {
        let mut store = Store::open(&path).unwrap();
        enrol(&mut store, "run-a", "Awa");
        enrol(&mut store, "run-b", "Binta");
    }
    let before = {
        // As the schema before kept them: every link to an execution checked at once.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, ' DEFERRABLE INITIALLY DEFERRED', '')
                 WHERE type = 'table' AND name IN ('registrations', 'changes', 'waitlist');
             PRAGMA writable_schema = OFF;
             PRAGMA user_version = 6;",
        )
        .unwrap();
        drop(conn);
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert!(
            linking_tables(&conn)
                .iter()
                .all(|sql| !sql.contains("DEFERRABLE")),
            "the old shape was made"
        );
        snapshot(&conn)
    };
    assert_eq!(before.0.len(), 2);
    assert!(before.1.iter().any(|&(_, _, enrolled)| enrolled == 2));

    let store = Store::open(&path).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7);
    let tables = linking_tables(&conn);
    assert_eq!(tables.len(), 3);
    for sql in &tables {
        let links = sql.matches("REFERENCES executions (name)").count();
        let deferred = sql
            .matches("REFERENCES executions (name) DEFERRABLE INITIALLY DEFERRED")
            .count();
        assert!(links > 0 && links == deferred, "{sql}");
    }
    assert_eq!(snapshot(&conn), before, "rows and enrolled counts kept");
    let objects: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE tbl_name IN \
             ('registrations', 'changes', 'waitlist') AND type IN ('index', 'trigger')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // registrations: 3 indexes and 5 triggers, its UNIQUE one besides; changes: 1 index,
    // 2 triggers and its key; waitlist: 2 indexes and its 2 UNIQUE ones.
    assert_eq!(objects, 9 + 4 + 4);
}

#[test]
fn a_registration_naming_an_execution_that_never_exists_is_refused_and_nothing_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let mut store = Store::open(&path).unwrap();
    let ghost = cli_support::new_registration("Ghost", "Diallo", "never-begun");
    let refused = store.confirm(&ghost);
    assert!(refused.is_err(), "{refused:?}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (registrations, capacity) = snapshot(&conn);
    assert!(registrations.is_empty());
    assert!(capacity.iter().all(|&(_, _, enrolled)| enrolled == 0));

    // The same in a batch: the whole batch is refused when it commits.
    drop(conn);
    let holder = std::sync::Mutex::new(store);
    let batch = daycare::store::Batch::begin(&holder).unwrap();
    let confirmed = holder.lock().unwrap().confirm(&ghost);
    assert!(matches!(confirmed, Ok(Confirmation::Confirmed(_))));
    assert!(batch.commit().is_err());
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(snapshot(&conn).0.is_empty());
}
