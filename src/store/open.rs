//! Opening a database safely: a file that is not a daycare database, is read-only, is
//! locked or was made by a newer daycare is refused before anything is written to it; a
//! new or empty file is initialised, by one process at a time. A path is always a plain
//! path, never an SQLite URI. Nothing here reads or writes daycare data.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};

use super::lockfile::LockFile;
use super::{Result, StoreError};

/// `PRAGMA application_id` of a daycare database: "DAYC" in ASCII.
pub const APPLICATION_ID: i32 = 0x4441_5943;

/// How long to wait for another process's write before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What opening may create when the database is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Nothing: a missing (or empty) file is refused. For reading.
    No,
    /// The file, in a folder that must exist.
    File,
    /// The file and any missing folders (the default database's place).
    FileAndFolders,
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_initial.sql")),
        M::up(include_str!("migrations/0002_enrolled_counts.sql")),
        M::up(include_str!("migrations/0003_owner_locks.sql")),
        M::up_with_hook(
            include_str!("migrations/0004_fold_keys.sql"),
            super::refold::refold,
        ),
        M::up(include_str!("migrations/0005_child_search.sql")),
        M::up_with_hook(
            include_str!("migrations/0006_records.sql"),
            super::records_schema::add_withdrawal_columns,
        ),
        M::up(include_str!("migrations/0007_deferred_execution_links.sql")).foreign_key_check(),
    ])
}

/// The schema version this daycare writes and understands.
const SCHEMA: i64 = 7;

/// What is at `path` before we touch it.
enum Found {
    /// No file.
    Missing,
    /// A file of zero bytes.
    Empty,
    /// An SQLite database with no schema and no application id.
    EmptySqlite,
    /// A daycare database at this schema version (never above `SCHEMA`).
    Daycare(i64),
}

impl Found {
    /// Whether opening must create or migrate the schema, which one process does at a time.
    fn needs_init(&self) -> bool {
        !matches!(self, Found::Daycare(SCHEMA))
    }
}

/// A path as SQLite must be given it so that it is never read as a URI: SQLite is built
/// to treat a file name starting `file:` as one, so a relative path gets `./` in front.
pub fn plain(path: &Path) -> PathBuf {
    let leads_with_dot = matches!(
        path.components().next(),
        Some(Component::CurDir | Component::ParentDir)
    );
    if path.is_relative() && !leads_with_dot {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// Opens `path` read-write after checking, read-only, that it is ours (or new). Creating
/// or migrating the schema is one step under `<db>-init.lock` that every racer waits for.
pub fn open_file(path: &Path, create: Create) -> Result<Connection> {
    let path = &plain(path);
    let found = patiently(|| inspect(path))?;
    if !found.needs_init() {
        return open_read_write(path, false);
    }
    allowed_to_create(path, &found, create)?;
    let init = LockFile::acquire(&init_lock_path(path)).map_err(|e| {
        StoreError::Other(format!(
            "cannot prepare {}: the lock file beside it could not be made ({e})",
            path.display()
        ))
    })?;
    // Another process may have initialised the file while we waited.
    let found = patiently(|| inspect(path))?;
    let conn = open_read_write(path, found.needs_init());
    init.remove();
    conn
}

/// `Create` says whether a missing file (and its folder) may be made.
fn allowed_to_create(path: &Path, found: &Found, create: Create) -> Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !p.is_dir());
    if let Some(parent) = parent
        && create != Create::FileAndFolders
    {
        return Err(StoreError::NoFolder {
            folder: parent.display().to_string(),
        });
    }
    if create == Create::No && matches!(found, Found::Missing | Found::Empty) {
        return Err(StoreError::NoDatabase {
            path: path.display().to_string(),
        });
    }
    let Some(parent) = parent else {
        return Ok(());
    };
    std::fs::create_dir_all(parent).map_err(|e| {
        StoreError::Other(format!(
            "cannot create the folder {} for the database: {e}",
            parent.display()
        ))
    })
}

fn init_lock_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push("-init.lock");
    path.with_file_name(name)
}

fn open_read_write(path: &Path, migrate: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if migrate {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&mut conn, migrate).map_err(|e| match e {
        StoreError::Sqlite(e) => classify(path, e),
        other => other,
    })?;
    Ok(conn)
}

/// A fresh in-memory database with the full schema.
pub fn open_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn, true)?;
    Ok(conn)
}

fn configure(conn: &mut Connection, migrate: bool) -> Result<()> {
    // journal_mode=WAL writes to the file, so it runs only once the file is known to be
    // ours. Switching can answer SQLITE_BUSY without waiting on the busy timeout.
    patiently(|| Ok(conn.pragma_update(None, "journal_mode", "WAL")?))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Checkpoint every ~16 MiB of WAL rather than every 4 MiB: each checkpoint costs two
    // fsyncs, which dominate bulk submission on a slow disk. The WAL is trimmed back to
    // 16 MiB after a checkpoint so it does not stay large.
    conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
    conn.pragma_update(None, "journal_size_limit", 16 * 1024 * 1024)?;
    // 16 MiB of page cache (SQLite's default is 2 MiB): the indexes of a million
    // executions stay in memory while a bulk submission appends to them.
    conn.pragma_update(None, "cache_size", -16_000)?;
    // Savepoints and statements that may need undoing copy each page they change to a
    // sub-journal first: in memory, not a temporary file, that copy is a memcpy instead
    // of a write system call (a tenth of bulk loading's time went to those writes).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // One registration runs about twenty distinct statements; rusqlite's default cache of
    // 16 evicted some on every run, and re-preparing them showed in profiles.
    conn.set_prepared_statement_cache_capacity(64);
    if migrate {
        // Foreign keys are off while the schema changes, as SQLite asks of a migration
        // that rebuilds a table; one that does checks every link before it commits.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        let migrated = migrations().to_latest(conn);
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Deferred);
        migrated.map_err(migration_error)?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// A migration's failure as a sentence (rusqlite_migration's own text is Debug text).
fn migration_error(e: rusqlite_migration::Error) -> StoreError {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
        _ => StoreError::Other(
            "the database's schema could not be brought up to date; it was left as it was".into(),
        ),
    }
}

/// Runs `f` again while the file is locked by a process that is starting up, for up to
/// `BUSY_TIMEOUT`: some of SQLite's busy answers (while another connection switches the
/// journal mode or recovers the WAL) come at once, without waiting on the busy timeout.
fn patiently<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(e) if is_busy(&e) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

fn is_busy(e: &StoreError) -> bool {
    match e {
        StoreError::Locked { .. } => true,
        StoreError::Sqlite(e) => matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        ),
        _ => false,
    }
}

/// Looks at the file without writing to it: not even a journal or WAL is created.
fn inspect(path: &Path) -> Result<Found> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
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
    if !meta.is_file() {
        return Err(not_ours(
            &shown,
            "it is not a regular file (a device, pipe or socket)",
        ));
    }
    if meta.permissions().readonly() {
        return Err(StoreError::ReadOnly { path: shown });
    }
    if meta.len() == 0 {
        return Ok(Found::Empty);
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
    // One statement, so one snapshot: read one by one, a process initialising the file
    // in between would show its tables without its application id.
    let (id, version, objects): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), \
             (SELECT user_version FROM pragma_user_version), \
             (SELECT COUNT(*) FROM sqlite_schema)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| classify(path, e))?;
    if id == i64::from(APPLICATION_ID) {
        if version > SCHEMA {
            return Err(StoreError::TooNew {
                path: shown,
                found: version,
                known: SCHEMA,
            });
        }
        return Ok(Found::Daycare(version));
    }
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
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { path: shown },
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen)
            if std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) =>
        {
            StoreError::ReadOnly { path: shown }
        }
        _ => StoreError::Sqlite(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_path_is_made_plain_once() {
        for (given, plain_path) in [
            ("daycare.db", "./daycare.db"),
            ("file:daycare.db", "./file:daycare.db"),
            ("data/daycare.db", "./data/daycare.db"),
            ("./daycare.db", "./daycare.db"),
            ("../daycare.db", "../daycare.db"),
            ("/tmp/daycare.db", "/tmp/daycare.db"),
        ] {
            assert_eq!(plain(Path::new(given)), Path::new(plain_path), "{given}");
        }
    }
}
