//! Opening files: a daycare database is created or reopened; anything else is refused
//! with a message that says why, and left byte-for-byte unchanged.

use daycare::store::{Store, StoreError};

fn refused_unchanged(path: &std::path::Path) -> StoreError {
    let before = std::fs::read(path).unwrap();
    let err = Store::open(path).err().expect("the file must be refused");
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "the file was modified"
    );
    err
}

#[test]
fn a_new_file_is_created_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/daycare.db");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .set_capacity(Some(chrono::Weekday::Mon), 4, "test")
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.spots().unwrap()[0].capacity, 4);
    assert!(store.integrity_check().is_ok());
}

#[test]
fn an_empty_file_is_initialised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.spots().unwrap().len(), 7);
}

#[test]
fn a_text_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "shopping list: milk, bread\n".repeat(200)).unwrap();
    let err = refused_unchanged(&path);
    assert!(
        matches!(err, StoreError::NotADaycareDatabase { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
}

#[test]
fn another_programs_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        // Another program's SQLite file, made with SQLite itself.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
            .unwrap();
    }
    let err = refused_unchanged(&path);
    assert!(
        matches!(err, StoreError::NotADaycareDatabase { .. }),
        "{err}"
    );
    assert!(!dir.path().join("other.db-wal").exists());
}

#[test]
fn a_read_only_file_is_refused_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let err = refused_unchanged(&path);
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("read-only"), "{err}");
}
