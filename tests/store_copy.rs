//! `daycare copy`: a site's database moved from an SQLite file to PostgreSQL and back,
//! through the real binary against a real server. What the desk reads from the file at
//! the end is what it read from the first one; a target holding data is refused; a
//! password is never shown.

mod cli_support;

use cli_support::postgres_support::Database;
use cli_support::{Db, daycare_at, finish, fixture};
use serde_json::Value;

/// A file holding every kind of record: children enrolled, amended and withdrawn, one
/// on the waitlist, one refused, the audit of each change, capacity set by hand.
fn a_site() -> Db {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "2"]).0, 0);
    for name in ["age-2.json", "age-3.json"] {
        let (code, result) = db.submit_fixture(name);
        assert_eq!(
            (code, result["status"].as_str()),
            (0, Some("SUCCEEDED")),
            "{result}"
        );
    }
    let (code, out, err) = db.run(&["spots", "set", "1", "--day", "Monday"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, err) = db.run(&["submit", "--waitlist", &fixture("age-4.json")]);
    assert!(
        err.contains("on the waitlist") || out.contains("on the waitlist"),
        "{out}{err}"
    );
    let (code, _, err) = db.run(&["submit", &fixture("age-6.json")]);
    assert_ne!(code, 0, "{err}");
    let (code, _, err) = db.run(&["amend", "1", "--instructions", "Naps after lunch"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = db.run(&["withdraw", "2", "--reason", "moving"]);
    assert_eq!(code, 0, "{err}");
    db
}

/// Everything the desk shows of a database, as JSON, every execution's history too.
fn what_the_desk_reads(run: impl Fn(&[&str]) -> (i32, String, String)) -> Vec<Value> {
    let json = |args: &[&str]| -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let (code, out, err) = run(&all);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str(&out).unwrap()
    };
    let executions = json(&["executions", "--limit", "1000"]);
    let mut seen = vec![
        json(&["spots"]),
        json(&["registrations", "--all"]),
        json(&["waitlist"]),
        json(&["audit"]),
        executions.clone(),
    ];
    for execution in executions["executions"].as_array().unwrap() {
        let name = execution["name"].as_str().unwrap();
        seen.push(json(&["execution", name, "--history"]));
    }
    seen
}

/// Triggers of the daycare's own that are switched off.
fn disabled_triggers(server: &Database) -> i64 {
    let row = server.client().query_one(
        "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'",
        &[],
    );
    row.unwrap().get(0)
}

fn copy(args: &[&str]) -> (i32, String, String) {
    let mut cmd = daycare_at(std::path::Path::new("/nonexistent/unused.db"));
    cmd.arg("copy").args(args);
    finish(cmd.output().unwrap())
}

#[test]
fn a_site_moved_to_postgres_and_back_reads_the_same() {
    let site = a_site();
    let before = what_the_desk_reads(|args| site.run(args));
    assert!(
        before.len() > 6,
        "every execution is read: {}",
        before.len()
    );
    let server = Database::new();
    let from = site.path.to_str().unwrap();

    let (code, there, err) = copy(&["--from", from, "--to", &server.address, "--json"]);
    assert_eq!(code, 0, "{err}");
    let there: Value = serde_json::from_str(&there).unwrap();
    let rows = |copied: &Value, table: &str| -> u64 {
        copied["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .and_then(|t| t["rows"].as_u64())
            .unwrap_or_else(|| panic!("{table} missing: {copied}"))
    };
    assert_eq!(rows(&there, "registrations"), 2);
    assert_eq!(rows(&there, "waitlist"), 1);
    assert_eq!(rows(&there, "capacity"), 7);
    assert!(rows(&there, "audit") >= 4, "{there}");
    assert!(rows(&there, "history") >= 6, "{there}");

    assert_eq!(
        disabled_triggers(&server),
        0,
        "a counting trigger was left off"
    );

    let back = site.dir.path().join("back.db");
    let (code, out, err) = copy(&["--from", &server.address, "--to", back.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("executions") && out.contains("SHA-256"),
        "{out}"
    );
    let (code, again, err) = copy(&[
        "--from",
        &server.address,
        "--to",
        site.dir.path().join("again.db").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let again: Value = serde_json::from_str(&again).unwrap();
    // The same rows and checksums on the way back as on the way there.
    assert_eq!(again["tables"], there["tables"]);

    let after = what_the_desk_reads(|args| finish(daycare_at(&back).args(args).output().unwrap()));
    assert_eq!(after, before);
}

#[test]
fn a_target_holding_data_is_refused_and_left_as_it_was() {
    let site = a_site();
    let server = Database::new();
    let from = site.path.to_str().unwrap();
    let (code, _, err) = copy(&["--from", from, "--to", &server.address]);
    assert_eq!(code, 0, "{err}");
    let audit_rows = |server: &Database| -> i64 {
        let row = server.client().query_one("SELECT COUNT(*) FROM audit", &[]);
        row.unwrap().get(0)
    };
    let kept = audit_rows(&server);
    let (code, _, err) = copy(&["--from", from, "--to", &server.address]);
    assert_eq!(code, 2);
    assert!(err.contains("already holds daycare data"), "{err}");
    assert_eq!(audit_rows(&server), kept);
    // A file holding data is refused the same way.
    let other = a_site();
    let (code, _, err) = copy(&["--from", from, "--to", other.path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("already holds daycare data"), "{err}");
}

#[test]
fn a_password_is_never_shown_and_other_servers_are_refused() {
    let site = a_site();
    let from = site.path.to_str().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let to = format!("postgres://amira:s3cret@127.0.0.1:{port}/daycare");
    let (code, out, err) = copy(&["--from", from, "--to", &to]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains(&format!("amira:***@127.0.0.1:{port}")),
        "{err}"
    );
    assert!(!err.contains("s3cret") && !out.contains("s3cret"), "{err}");
    let (code, _, err) = copy(&[
        "--from",
        from,
        "--to",
        "mysql://amira:s3cret@db.local/daycare",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a PostgreSQL address") && !err.contains("s3cret"),
        "{err}"
    );
}

#[test]
fn a_copy_that_fails_part_way_keeps_nothing() {
    // SQLite text may hold a NUL character; PostgreSQL's cannot, so the copy fails at
    // that row, after every table before it was written.
    let site = a_site();
    let conn = rusqlite::Connection::open(&site.path).unwrap();
    conn.execute(
        "UPDATE registrations SET withdraw_reason = ?1 WHERE id = 2",
        ["moving\u{0}away"],
    )
    .unwrap();
    drop(conn);
    let server = Database::new();
    let (code, _, err) = copy(&[
        "--from",
        site.path.to_str().unwrap(),
        "--to",
        &server.address,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nothing was copied"), "{err}");
    let mut client = server.client();
    for table in [
        "definitions",
        "executions",
        "history",
        "registrations",
        "audit",
    ] {
        let rows: i64 = client
            .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(rows, 0, "{table} kept rows of a failed copy");
    }
    assert_eq!(
        disabled_triggers(&server),
        0,
        "a counting trigger was left off"
    );
    // The schema stays, empty: the same copy goes through once the source is mended.
    let conn = rusqlite::Connection::open(&site.path).unwrap();
    conn.execute(
        "UPDATE registrations SET withdraw_reason = 'moving away' WHERE id = 2",
        [],
    )
    .unwrap();
    drop(conn);
    let (code, _, err) = copy(&[
        "--from",
        site.path.to_str().unwrap(),
        "--to",
        &server.address,
    ]);
    assert_eq!(code, 0, "{err}");
}
