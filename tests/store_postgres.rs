//! Opening a daycare database on PostgreSQL, against a real server: a new one gets the
//! schema once however many desks open it at the same moment, another program's database
//! or a newer daycare's is refused and left as it was, a password is never shown, and the
//! rules the schema keeps (enrolled counts, execution counts, child names, the
//! append-only audit) hold there as they do in SQLite.

mod postgres_support;

use std::path::Path;

use daycare::store::{Address, Create, Postgres, ServerAddress, StoreError};
use postgres_support::Database;

fn address(text: &str) -> ServerAddress {
    match Address::parse(Path::new(text)) {
        Address::Server(server) => server,
        Address::File(_) => panic!("{text} read as a file"),
    }
}

fn open(db: &Database, create: Create) -> Result<Postgres, StoreError> {
    Postgres::open(&address(&db.address), create)
}

/// The one value `sql` reads.
fn one<T: for<'a> postgres::types::FromSql<'a>>(client: &mut postgres::Client, sql: &str) -> T {
    client.query_one(sql, &[]).unwrap().get(0)
}

/// The tables of the database's own schema, sorted.
fn tables(client: &mut postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_new_database_gets_the_schema_once_and_opens_again_unchanged() {
    let db = Database::new();
    let store = open(&db, Create::File).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    drop(store);
    let mut client = db.client();
    let made = tables(&mut client);
    for table in [
        "audit",
        "capacity",
        "changes",
        "child_names",
        "daycare_schema",
        "definitions",
        "execution_counts",
        "executions",
        "history",
        "registrations",
        "waitlist",
    ] {
        assert!(
            made.contains(&table.to_string()),
            "{table} missing from {made:?}"
        );
    }
    client
        .execute("UPDATE capacity SET spots = 3 WHERE day = 0", &[])
        .unwrap();
    // Opening again (a reader too) changes nothing.
    open(&db, Create::No).unwrap();
    open(&db, Create::File).unwrap();
    assert_eq!(tables(&mut client), made);
    let spots: i64 = one(&mut client, "SELECT spots FROM capacity WHERE day = 0");
    assert_eq!(spots, 3);
    let markers: i64 = one(&mut client, "SELECT COUNT(*) FROM daycare_schema");
    assert_eq!(markers, 1);
}

#[test]
fn desks_opening_a_new_database_at_once_make_the_schema_once() {
    let db = Database::new();
    let opened: Vec<_> = std::thread::scope(|s| {
        let racers: Vec<_> = (0..8)
            .map(|_| s.spawn(|| open(&db, Create::File).map(|_| ())))
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    for result in opened {
        result.unwrap();
    }
    let markers: i64 = one(&mut db.client(), "SELECT COUNT(*) FROM daycare_schema");
    assert_eq!(markers, 1);
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let db = Database::new();
    let mut client = db.client();
    client
        .batch_execute(
            "CREATE TABLE invoices (id INT, total INT); INSERT INTO invoices VALUES (1, 90)",
        )
        .unwrap();
    for create in [Create::No, Create::File] {
        let err = open(&db, create)
            .err()
            .expect("opened another program's database");
        assert!(
            matches!(err, StoreError::NotADaycareDatabase { .. }),
            "{err}"
        );
        assert!(
            err.to_string().contains("another program's tables"),
            "{err}"
        );
        assert!(err.to_string().contains("left unchanged"), "{err}");
    }
    assert_eq!(tables(&mut client), ["invoices"]);
    let total: i32 = one(&mut client, "SELECT total FROM invoices");
    assert_eq!(total, 90);
}

#[test]
fn a_reader_never_creates_the_schema() {
    let db = Database::new();
    let err = open(&db, Create::No)
        .err()
        .expect("a reader made a database");
    assert!(err.to_string().contains("holds no daycare data"), "{err}");
    assert!(tables(&mut db.client()).is_empty());
}

#[test]
fn a_newer_daycares_database_is_refused_and_left_untouched() {
    let db = Database::new();
    drop(open(&db, Create::File).unwrap());
    let mut client = db.client();
    client
        .execute("UPDATE daycare_schema SET version = 99", &[])
        .unwrap();
    let err = open(&db, Create::File)
        .err()
        .expect("opened a newer schema");
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                known: 7,
                ..
            }
        ),
        "{err}"
    );
    let version: i64 = one(&mut client, "SELECT version FROM daycare_schema");
    assert_eq!(version, 99);
}

#[test]
fn a_password_is_never_shown_when_the_server_cannot_be_reached() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let given = format!("postgres://amira:s3cret@127.0.0.1:{port}/daycare?connect_timeout=5");
    let err = Postgres::open(&address(&given), Create::File)
        .err()
        .expect("connected to nothing");
    let text = err.to_string();
    assert!(matches!(err, StoreError::Postgres { .. }), "{text}");
    assert!(
        text.contains(&format!("postgres://amira:***@127.0.0.1:{port}/daycare")),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
    assert!(!format!("{err:?}").contains("s3cret"), "{err:?}");
}

#[test]
fn the_store_answers_from_inside_the_desks_runtime() {
    // The desk calls the store from inside a current-thread runtime, where the
    // synchronous client would panic if it ran on the calling thread.
    let db = Database::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let version = runtime.block_on(async {
        let store = open(&db, Create::File).unwrap();
        let watch = store.watch().unwrap();
        drop(watch);
        store.schema_version().unwrap()
    });
    assert_eq!(version, 7);
}

/// Statements as the store would run them, to see what the schema's triggers keep.
fn run(client: &mut postgres::Client, sql: &str) {
    client.batch_execute(sql).unwrap();
}

fn enrolled(client: &mut postgres::Client) -> Vec<i64> {
    client
        .query("SELECT enrolled FROM capacity ORDER BY day", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn execution_counts(client: &mut postgres::Client) -> Vec<(String, i64)> {
    client
        .query(
            "SELECT status, n FROM execution_counts ORDER BY status",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn the_schema_keeps_the_enrolled_counts_as_sqlites_does() {
    let db = Database::new();
    drop(open(&db, Create::File).unwrap());
    let mut c = db.client();
    run(
        &mut c,
        "INSERT INTO definitions VALUES ('h', '{}');
         INSERT INTO executions (name, execution_arn, state_machine_arn, status, start_us,
                                 input, definition_hash, child, child_folded)
         VALUES ('a', 'arn:a', 'arn:m', 'SUCCEEDED', 1, '{}', 'h', 'Zoë Okafor', 'zoë okafor'),
                ('b', 'arn:b', 'arn:m', 'SUCCEEDED', 2, '{}', 'h', 'Zoë Okafor', 'zoë okafor'),
                ('c', 'arn:c', 'arn:m', 'RUNNING', 3, '{}', 'h', NULL, NULL);",
    );
    // Monday and Wednesday (bits 0 and 2); Tuesday to Friday (bits 1 to 4).
    run(
        &mut c,
        "INSERT INTO registrations (first_name, last_name, first_folded, last_folded,
             date_of_birth, days, age, fees, start_date, status, execution_name, document)
         VALUES ('Zoë', 'Okafor', 'zoë', 'okafor', '2023-02-14', 5, 3, 750, '2026-12-15',
                 'enrolled', 'a', '{}'),
                ('Kofi', 'Mensah', 'kofi', 'mensah', '2022-05-01', 30, 4, 700, '2026-12-15',
                 'withdrawn', 'b', '{}');",
    );
    assert_eq!(enrolled(&mut c), [1, 0, 1, 0, 0, 0, 0]);
    run(
        &mut c,
        "UPDATE registrations SET days = 6 WHERE execution_name = 'a'",
    );
    assert_eq!(enrolled(&mut c), [0, 1, 1, 0, 0, 0, 0]);
    run(
        &mut c,
        "UPDATE registrations SET status = 'enrolled' WHERE execution_name = 'b'",
    );
    assert_eq!(enrolled(&mut c), [0, 2, 2, 1, 1, 0, 0]);
    run(
        &mut c,
        "UPDATE registrations SET status = 'withdrawn', days = 1 WHERE execution_name = 'a'",
    );
    assert_eq!(enrolled(&mut c), [0, 1, 1, 1, 1, 0, 0]);
    run(
        &mut c,
        "DELETE FROM registrations WHERE execution_name = 'b'",
    );
    assert_eq!(enrolled(&mut c), [0; 7]);
    // A pending change holds the days it adds until it is applied or discarded.
    run(
        &mut c,
        "UPDATE registrations SET status = 'enrolled' WHERE execution_name = 'a';
         INSERT INTO changes (execution_name, registration_id, kind, status, added, today,
                              staff, summary)
         SELECT 'c', id, 'amendment', 'pending', 16, '2026-12-01', 'amira', 'Fridays'
           FROM registrations WHERE execution_name = 'a';",
    );
    assert_eq!(enrolled(&mut c), [1, 0, 0, 0, 1, 0, 0]);
    run(
        &mut c,
        "UPDATE changes SET status = 'applied' WHERE execution_name = 'c'",
    );
    assert_eq!(enrolled(&mut c), [1, 0, 0, 0, 0, 0, 0]);
    // Execution counts and child names follow the executions.
    let counts = execution_counts(&mut c);
    assert_eq!(counts, [("RUNNING".into(), 1), ("SUCCEEDED".into(), 2)]);
    run(
        &mut c,
        "UPDATE executions SET status = 'FAILED' WHERE name = 'c'",
    );
    run(
        &mut c,
        "DELETE FROM history; UPDATE executions SET child_folded = 'kofi mensah' WHERE name = 'c'",
    );
    let counts = execution_counts(&mut c);
    assert_eq!(
        counts,
        [
            ("FAILED".into(), 1),
            ("RUNNING".into(), 0),
            ("SUCCEEDED".into(), 2)
        ]
    );
    let names: Vec<String> = c
        .query("SELECT folded::text FROM child_names ORDER BY folded", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["kofi mensah", "zoë okafor"]);
}

#[test]
fn a_registration_naming_no_execution_is_refused_at_commit() {
    let db = Database::new();
    drop(open(&db, Create::File).unwrap());
    let mut c = db.client();
    let err = c
        .batch_execute(
            "BEGIN;
             INSERT INTO registrations (first_name, last_name, first_folded, last_folded,
                 date_of_birth, days, age, fees, start_date, status, execution_name, document)
             VALUES ('Zoë', 'Okafor', 'zoë', 'okafor', '2023-02-14', 1, 3, 750,
                     '2026-12-15', 'enrolled', 'never-begun', '{}');
             COMMIT;",
        )
        .expect_err("kept a registration of no execution");
    assert!(
        err.to_string().contains("foreign key") || format!("{err:?}").contains("foreign key"),
        "{err:?}"
    );
    let _ = c.batch_execute("ROLLBACK");
    assert_eq!(enrolled(&mut c), [0; 7]);
}

#[test]
fn the_audit_is_append_only_on_postgres_too() {
    let db = Database::new();
    drop(open(&db, Create::File).unwrap());
    let mut c = db.client();
    run(
        &mut c,
        "INSERT INTO audit (at_us, staff, kind, summary) VALUES (1, 'amira', 'capacity', 'Monday 20 → 3')",
    );
    for (sql, word) in [
        ("UPDATE audit SET staff = 'someone else'", "never changed"),
        ("DELETE FROM audit", "never deleted"),
        ("TRUNCATE audit", "never deleted"),
    ] {
        let err = c
            .batch_execute(sql)
            .err()
            .unwrap_or_else(|| panic!("{sql} was allowed"));
        let message = err
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        assert!(
            message.contains("append-only") && message.contains(word),
            "{sql}: {err:?}"
        );
    }
    let kept: i64 = one(&mut c, "SELECT COUNT(*) FROM audit");
    assert_eq!(kept, 1);
}

#[test]
fn an_address_asking_for_tls_is_refused_with_the_reason() {
    let db = Database::new();
    let err = Postgres::open(
        &address(&format!("{}?sslmode=require", db.address)),
        Create::File,
    )
    .err()
    .expect("opened without the TLS the address asks for");
    let text = err.to_string();
    assert!(
        text.contains("sslmode=require") && text.contains("TLS"),
        "{text}"
    );
    assert!(tables(&mut db.client()).is_empty(), "something was written");
}

#[test]
fn a_change_another_desk_commits_is_heard_within_a_second() {
    let db = Database::new();
    let store = open(&db, Create::File).unwrap();
    let watch = store.watch().unwrap();
    let second = std::time::Duration::from_secs(1);
    let mut other = db.client();
    // Rolled back: never announced.
    run(
        &mut other,
        "BEGIN; UPDATE capacity SET spots = 4 WHERE day = 0; ROLLBACK;",
    );
    assert_eq!(
        watch.next_change(std::time::Duration::from_millis(300)),
        None
    );
    let started = std::time::Instant::now();
    run(&mut other, "UPDATE capacity SET spots = 5 WHERE day = 0");
    assert_eq!(watch.next_change(second).as_deref(), Some("capacity"));
    assert!(started.elapsed() < second, "{:?}", started.elapsed());
    run(
        &mut other,
        "INSERT INTO audit (at_us, staff, kind, summary) VALUES (1, 'amira', 'capacity', 'Monday 20 → 5')",
    );
    assert_eq!(watch.next_change(second).as_deref(), Some("audit"));
    drop(watch);
}
