//! A file that is not a daycare database, is read-only or is locked gives a clear
//! error and exit 2, and is left byte-for-byte unchanged.

mod cli_support;

use std::os::unix::fs::PermissionsExt;

use cli_support::{Db, daycare_at, finish};

fn refused(path: &std::path::Path, expected: &str) {
    refused_on(path, &["spots"], expected)
}

fn refused_on(path: &std::path::Path, args: &[&str], expected: &str) {
    let before = std::fs::read(path).unwrap();
    let (code, out, err) = finish(daycare_at(path).args(args).output().unwrap());
    assert_eq!(code, 2, "stdout: {out}");
    assert!(err.contains(expected), "{err:?} does not say {expected:?}");
    assert!(err.contains("unchanged"), "{err}");
    let after = std::fs::read(path).unwrap();
    let changed: Vec<usize> = (0..before.len().max(after.len()))
        .filter(|i| before.get(*i) != after.get(*i))
        .take(20)
        .collect();
    assert!(
        changed.is_empty(),
        "daycare {args:?} modified the file ({} to {} bytes, first changes at {changed:?})",
        before.len(),
        after.len()
    );
}

#[test]
fn a_text_file_is_not_a_daycare_database() {
    let db = Db::new();
    std::fs::write(&db.path, "Dear diary,\n".repeat(100)).unwrap();
    refused(
        &db.path,
        "is not a daycare database: it is not an SQLite database",
    );
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let db = Db::new();
    std::fs::remove_file(&db.path).unwrap();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);")
        .unwrap();
    drop(conn);
    refused(&db.path, "is not a daycare database");
}

#[test]
fn a_read_only_database_is_refused() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "20"]).0, 0);
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    refused(&db.path, "is read-only");
}

/// Holds the database's write lock from another process until its stdin closes. Run by
/// the test below as a child process (POSIX locks are per process, so the holder must not
/// share the test's process).
#[test]
#[ignore = "run as a helper process by a_database_locked_past_the_timeout_is_refused"]
fn hold_write_lock_helper() {
    let Ok(path) = std::env::var("DAYCARE_HOLD_LOCK") else {
        return;
    };
    let holder = daycare::store::Store::open(std::path::Path::new(&path)).unwrap();
    let holder = std::sync::Mutex::new(holder);
    let batch = daycare::store::Batch::begin(&holder).unwrap();
    use std::io::{Read, Write};
    std::io::stdout().write_all(b"held\n").unwrap();
    std::io::stdout().flush().unwrap();
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
    drop(batch);
}

#[test]
fn a_database_locked_past_the_timeout_is_refused() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "20"]).0, 0);
    let mut holder = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hold_write_lock_helper",
            "--ignored",
            "--nocapture",
        ])
        .env("DAYCARE_HOLD_LOCK", &db.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(holder.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.unwrap().contains("held")),
        "the helper did not take the lock"
    );
    // Readers still read (WAL); a write waits for the busy timeout and then gives up.
    assert_eq!(db.run(&["spots"]).0, 0);
    refused_on(
        &db.path,
        &["spots", "set", "5"],
        "is locked by another program",
    );
    refused_on(
        &db.path,
        &["submit", &cli_support::fixture("age-3.json")],
        "is locked by another program",
    );
    drop(holder.stdin.take());
    holder.wait().unwrap();
    // Once the lock is gone the same write goes through.
    assert_eq!(db.run(&["spots", "set", "5"]).0, 0);
}
