//! Opening a database safely: a file that is not a daycare database, is read-only or is
//! locked is refused before anything is written to it; a new or empty file is initialised.
//! Nothing here reads or writes daycare data.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};

use super::{Result, StoreError};

/// `PRAGMA application_id` of a daycare database: "DAYC" in ASCII.
pub const APPLICATION_ID: i32 = 0x4441_5943;

/// How long to wait for another process's write before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_initial.sql")),
    M::up(include_str!("migrations/0002_enrolled_counts.sql")),
];

/// What is at `path` before we touch it.
enum Found {
    /// Missing or zero bytes: initialise it.
    New,
    /// An SQLite database with no schema and no application id: initialise it.
    EmptySqlite,
    /// A daycare database.
    Daycare,
}

/// Opens `path` read-write after checking, read-only, that it is ours (or new).
pub fn open_file(path: &Path) -> Result<Connection> {
    let found = inspect(path)?;
    if let Found::New = found
        && let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            StoreError::Other(format!(
                "cannot create the folder {} for the database: {e}",
                parent.display()
            ))
        })?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&mut conn).map_err(|e| match e {
        StoreError::Sqlite(e) => classify(path, e),
        other => other,
    })?;
    Ok(conn)
}

/// A fresh in-memory database with the full schema.
pub fn open_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &mut Connection) -> Result<()> {
    // journal_mode=WAL writes to the file, so it runs only once the file is known to be ours.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Checkpoint every ~16 MiB of WAL rather than every 4 MiB: each checkpoint costs two
    // fsyncs, which dominate bulk submission on a slow disk. The WAL is trimmed back to
    // 16 MiB after a checkpoint so it does not stay large.
    conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
    conn.pragma_update(None, "journal_size_limit", 16 * 1024 * 1024)?;
    // 16 MiB of page cache (SQLite's default is 2 MiB): the indexes of a million
    // executions stay in memory while a bulk submission appends to them.
    conn.pragma_update(None, "cache_size", -16_000)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Savepoints and statements that may need undoing copy each page they change to a
    // sub-journal first: in memory, not a temporary file, that copy is a memcpy instead
    // of a write system call (a tenth of bulk loading's time went to those writes).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    // One registration runs about twenty distinct statements; rusqlite's default cache of
    // 16 evicted some on every run, and re-preparing them showed in profiles.
    conn.set_prepared_statement_cache_capacity(64);
    let migrations = Migrations::from_slice(MIGRATIONS);
    if let Err(first) = migrations.to_latest(conn) {
        // Another process may have initialised the file between our version check and
        // our write lock; if the schema is now current, all is well.
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != MIGRATIONS.len() as i64 {
            return Err(StoreError::Other(format!(
                "cannot prepare the database: {first}"
            )));
        }
    }
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Deferred);
    Ok(())
}

/// Looks at the file without writing to it: not even a journal or WAL is created.
fn inspect(path: &Path) -> Result<Found> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::New),
        Err(e) => {
            return Err(StoreError::Other(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let shown = path.display().to_string();
    if meta.is_dir() {
        return Err(not_ours(&shown, "it is a folder"));
    }
    if meta.permissions().readonly() {
        return Err(StoreError::ReadOnly { path: shown });
    }
    if meta.len() == 0 {
        return Ok(Found::New);
    }
    // Only SQLite opens the file, never a plain file handle: POSIX locks belong to the
    // process and vanish when ANY descriptor of the file is closed, so reading the header
    // ourselves would silently drop the locks of this process's other connections, and
    // another process could then delete the WAL under them. SQLite's VFS shares one lock
    // state per file within a process. A file that is not SQLite fails below with
    // SQLITE_NOTADB, read-only, before anything is written.
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if id == APPLICATION_ID {
        return Ok(Found::Daycare);
    }
    let objects: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if id == 0 && objects == 0 {
        Ok(Found::EmptySqlite)
    } else if id == 0 {
        Err(not_ours(&shown, "it holds another program's tables"))
    } else {
        Err(not_ours(
            &shown,
            &format!("it belongs to another program (application id {id:#x})"),
        ))
    }
}

fn not_ours(path: &str, reason: &str) -> StoreError {
    StoreError::NotADaycareDatabase {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// Turns SQLite's codes into errors that say what happened to this file.
pub fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let shown = path.display().to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => not_ours(&shown, "it is not an SQLite database"),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            StoreError::Locked { path: shown }
        }
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen)
            if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) =>
        {
            StoreError::ReadOnly { path: shown }
        }
        _ => StoreError::Sqlite(e),
    }
}
