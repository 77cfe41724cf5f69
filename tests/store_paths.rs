//! The database path as given: a mistyped path never becomes an empty daycare, a path is
//! a plain path (never an SQLite URI), and a file made by a newer daycare or a special
//! file is refused with a sentence, unchanged; a server that cannot be reached is named
//! with its password hidden.

mod cli_support;

use std::path::Path;

use cli_support::{Db, daycare_at, finish, fixture};

fn run_in(dir: &Path, db: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = daycare_at(Path::new(db));
    cmd.current_dir(dir).args(args);
    finish(cmd.output().unwrap())
}

/// No Debug text: no struct or enum syntax of Rust in a message.
fn a_sentence(err: &str) {
    for debug in ["{", "}", "Error(", "Some(", "Err(", "::"] {
        assert!(!err.contains(debug), "Debug text in {err:?}");
    }
}

#[test]
fn a_read_on_a_missing_file_or_in_a_missing_folder_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped.db");
    let missing = missing.to_str().unwrap();
    for args in [
        &["spots"][..],
        &["executions"],
        &["execution", "x"],
        &["registrations"],
    ] {
        let (code, out, err) = run_in(dir.path(), missing, args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(err.contains("no daycare database"), "{err}");
        a_sentence(&err);
        assert!(!Path::new(missing).exists(), "{args:?} created the file");
    }
    let nested = dir.path().join("no/such/dir/x.db");
    for args in [
        &["spots"][..],
        &["spots", "set", "3"],
        &["submit", &fixture("age-3.json")],
    ] {
        let (code, _, err) = run_in(dir.path(), nested.to_str().unwrap(), args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("does not exist"), "{err}");
        assert!(!dir.path().join("no").exists(), "{args:?} created folders");
    }
    // A command that changes something creates the file in an existing folder.
    let (code, _, err) = run_in(dir.path(), missing, &["spots", "set", "3"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run_in(dir.path(), missing, &["spots"]);
    assert_eq!(code, 0);
    assert!(out.contains('3'), "{out}");
}

#[test]
fn a_path_that_looks_like_an_sqlite_uri_is_a_plain_path() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let foreign = dir.path().join("foreign.db");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    let uri = format!("file:{}", foreign.display());
    for args in [&["spots"][..], &["spots", "set", "3"]] {
        let (code, _, err) = run_in(&work, &uri, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        a_sentence(&err);
    }
    assert_eq!(
        std::fs::read(&foreign).unwrap(),
        before,
        "the foreign file changed"
    );
    assert!(!dir.path().join("foreign.db-wal").exists());
    assert!(
        !work.join("file:").exists(),
        "a folder named file: appeared"
    );

    // A file whose name starts with `file:` is that file.
    let (code, _, err) = run_in(&work, "file:x.db", &["spots", "set", "4"]);
    assert_eq!(code, 0, "{err}");
    assert!(work.join("file:x.db").is_file());
    assert!(!work.join("x.db").exists());
    let (_, out, _) = run_in(&work, "file:x.db", &["spots"]);
    assert!(out.contains('4'), "{out}");
}

#[test]
fn a_database_of_a_newer_daycare_is_refused_before_anything_changes() {
    let db = Db::new();
    assert_eq!(db.run(&["spots", "set", "3"]).0, 0);
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db.path).unwrap();
    for args in [&["spots"][..], &["submit", &fixture("age-3.json")]] {
        let (code, _, err) = db.run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains("made by a newer daycare (schema 99); this one understands"),
            "{err}"
        );
        a_sentence(&err);
    }
    assert_eq!(std::fs::read(&db.path).unwrap(), before, "the file changed");
    let wal = db.path.with_file_name("daycare.db-wal");
    assert!(!wal.exists(), "switched to WAL");
}

#[test]
fn a_special_file_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["spots"][..],
        &["spots", "set", "3"],
        &["submit", &fixture("age-3.json")],
    ] {
        let (code, _, err) = run_in(dir.path(), "/dev/null", args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("not a regular file"), "{err}");
        a_sentence(&err);
    }
}

#[test]
fn a_server_that_cannot_be_reached_is_named_with_its_password_hidden_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    // Port 1 of this machine: nothing listens there, so the connection is refused.
    let addresses = [
        (
            "postgres://amira:s3cret@127.0.0.1:1/daycare",
            "postgres://amira:***@127.0.0.1:1/daycare",
            "Connection refused",
        ),
        (
            "postgresql://amira@127.0.0.1:1/daycare?sslmode=require&password=s3cret",
            "postgresql://amira@127.0.0.1:1/daycare?sslmode=require&password=***",
            "sslmode=require",
        ),
        (
            "mysql://amira:s3cret@127.0.0.1:1/daycare",
            "mysql://amira:***@127.0.0.1:1/daycare",
            "not a PostgreSQL address",
        ),
    ];
    for (given, shown, why) in addresses {
        // Every kind of command, and the console (no command), through --db and DAYCARE_DB.
        for args in [
            &["spots"][..],
            &["spots", "set", "3"],
            &["registrations"],
            &[],
        ] {
            let (code, out, err) = run_in(dir.path(), given, args);
            let mut flag = daycare_at(&dir.path().join("unused.db"));
            flag.current_dir(dir.path())
                .arg("--db")
                .arg(given)
                .args(args);
            let (flag_code, flag_out, flag_err) = finish(flag.output().unwrap());
            for (code, out, err) in [(code, out, err), (flag_code, flag_out, flag_err)] {
                assert_eq!(code, 2, "{given} {args:?}: {out}{err}");
                if args.is_empty() && !why.contains("PostgreSQL") {
                    // The console wants a terminal before it connects anywhere.
                    assert!(err.contains("needs a terminal"), "{err}");
                } else {
                    assert!(err.contains(shown), "{err}");
                    assert!(err.contains(why), "{err}");
                }
                assert!(!err.contains("s3cret") && !out.contains("s3cret"), "{err}");
                a_sentence(&err);
            }
        }
    }
    // --help names DAYCARE_DB without its value.
    let mut help = daycare_at(Path::new(addresses[0].0));
    help.current_dir(dir.path()).arg("--help");
    let (code, out, err) = finish(help.output().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("DAYCARE_DB") && !out.contains("s3cret"),
        "{out}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files were created: {left:?}");
}
