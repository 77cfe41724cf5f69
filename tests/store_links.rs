//! The links from a registration, a change or a waitlist entry to its execution are
//! checked when a transaction commits: a file of the schema before (links checked at
//! each statement) is rebuilt when the real binary opens it, with every row and count
//! kept, and a link to an execution that never exists is still refused.

mod cli_support;

use cli_support::Db;
use daycare::store::{Confirmation, Store};

/// Every row `sql` selects, each read by `read`.
fn rows<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], read)
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The SQL of the tables that link to an execution.
fn linking_tables(conn: &rusqlite::Connection) -> Vec<String> {
    rows(
        conn,
        "SELECT sql FROM sqlite_schema WHERE type = 'table' \
         AND name IN ('registrations', 'changes', 'waitlist') ORDER BY name",
        |r| r.get(0),
    )
}

/// Each registration's id, execution and status; each waitlist entry's id, refused
/// execution and status; each day's spots and enrolled count.
type Snapshot = (
    Vec<(i64, String, String)>,
    Vec<(i64, String, String)>,
    Vec<(i64, i64, i64)>,
);

fn triple<A, B, C>(r: &rusqlite::Row<'_>) -> rusqlite::Result<(A, B, C)>
where
    A: rusqlite::types::FromSql,
    B: rusqlite::types::FromSql,
    C: rusqlite::types::FromSql,
{
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn snapshot(conn: &rusqlite::Connection) -> Snapshot {
    (
        rows(
            conn,
            "SELECT id, execution_name, status FROM registrations ORDER BY id",
            triple,
        ),
        rows(
            conn,
            "SELECT id, refused_execution, status FROM waitlist ORDER BY id",
            triple,
        ),
        rows(
            conn,
            "SELECT day, spots, enrolled FROM capacity ORDER BY day",
            triple,
        ),
    )
}

#[test]
fn a_file_whose_links_are_checked_at_each_statement_is_rebuilt_with_every_row_kept() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "1"]).0, 0);
    // Two children enrolled; the third finds Monday to Thursday full and waits.
    for fixture in ["age-2.json", "age-3.json"] {
        let (code, result) = db.submit_fixture(fixture);
        assert_eq!((code, result["status"].as_str()), (0, Some("SUCCEEDED")));
    }
    let (_, out, err) = db.run(&["submit", "--waitlist", &cli_support::fixture("age-4.json")]);
    assert!(err.contains("on the waitlist"), "{out}{err}");
    let before = {
        // As the schema before kept them: every link to an execution checked at once.
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = replace(sql, ' DEFERRABLE INITIALLY DEFERRED', '')
                 WHERE type = 'table' AND name IN ('registrations', 'changes', 'waitlist');
             PRAGMA writable_schema = OFF;
             PRAGMA user_version = 6;",
        )
        .unwrap();
        drop(conn);
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        assert!(
            linking_tables(&conn)
                .iter()
                .all(|sql| !sql.contains("DEFERRABLE")),
            "the old shape was made"
        );
        snapshot(&conn)
    };
    assert_eq!((before.0.len(), before.1.len()), (2, 1));
    // A day each at least, one spot each: two enrolled children hold two days or more.
    assert!(
        before
            .2
            .iter()
            .map(|&(_, _, enrolled)| enrolled)
            .sum::<i64>()
            >= 2
    );

    // The binary opens the old file, rebuilds it and reads the same records from it.
    let (code, out, err) = db.run(&["registrations"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Awa Diallo") && out.contains("Noah Martin"),
        "{out}"
    );
    let (code, out, err) = db.run(&["waitlist"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Sofía García"), "{out}");

    let conn = rusqlite::Connection::open(&db.path).unwrap();
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
    let (registrations, _, capacity) = snapshot(&conn);
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
