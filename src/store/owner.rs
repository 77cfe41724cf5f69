//! Who runs a RUNNING execution, and whether they are still there.
//!
//! Each process has an owner id, a random UUID drawn once and kept for its lifetime, and
//! records it on the executions it runs. Before it writes the first one it takes an
//! exclusive lock on `<db>-owners/<id>.lock` beside the database and holds it until its
//! last connection to that database closes. The kernel drops the lock the moment the
//! process dies, however it dies. So an execution's owner is gone exactly when its lock
//! file is missing or its lock can be taken: that is true across PID namespaces,
//! containers and `/proc` restrictions, where process ids say nothing.
//!
//! On PostgreSQL, where desks run on several machines and no file is shared, the lock is
//! an advisory lock on the server: each connection that records RUNNING executions holds
//! its owner's key in shared mode for as long as it is connected, and the server lets it
//! go the moment the connection ends, however the desk ended (a crash, a lost network:
//! once the server notices, by TCP keepalive or the connection's close). An owner is
//! gone when its key can be taken exclusively. That holds across hosts, unlike a PID.
//!
//! A lock rather than a lease renewed in the database: a lease needs a clock shared by
//! every desk and a renewal that keeps writing even while the disk is full, and a
//! paused process would lose a lease it still acts on; a lock needs neither.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::lockfile::{LockFile, Probe};

/// This process's owner id, the same for its whole life.
pub fn id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| uuid::Uuid::new_v4().to_string())
}

/// This process's hold on its owner lock beside one database. Shared by all of the
/// process's connections to that database; released when the last one closes.
#[derive(Debug)]
pub struct Held {
    lock: Option<LockFile>,
}

impl Held {
    /// The hold a PostgreSQL connection keeps on the server (`server_hold`), which ends
    /// with the connection: nothing to release here.
    pub fn on_server() -> Arc<Held> {
        Arc::new(Held { lock: None })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(lock) = self.lock.take() {
            lock.remove();
        }
    }
}

/// The folder of owner lock files beside `db`.
fn folder(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push("-owners");
    db.with_file_name(name)
}

fn lock_path(db: &Path, owner: &str) -> PathBuf {
    folder(db).join(format!("{owner}.lock"))
}

/// Takes (or shares, if this process already holds it) this process's owner lock
/// beside `db`.
pub fn hold(db: &Path) -> io::Result<Arc<Held>> {
    static HELD: OnceLock<Mutex<HashMap<PathBuf, Weak<Held>>>> = OnceLock::new();
    let held = HELD.get_or_init(Mutex::default);
    let mut held = held
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = lock_path(db, id());
    if let Some(live) = held.get(&path).and_then(Weak::upgrade) {
        return Ok(live);
    }
    std::fs::create_dir_all(folder(db))?;
    let live = Arc::new(Held {
        lock: Some(LockFile::acquire(&path)?),
    });
    held.insert(path, Arc::downgrade(&live));
    Ok(live)
}

/// Whether the owner `owner` of executions in `db` is gone: true only when its lock file
/// is missing or its lock could be taken (then it is removed). When it cannot be told
/// (the folder cannot be read), the owner is taken to be alive: closing a run that is
/// still going would be worse than leaving one RUNNING.
pub fn is_gone(db: &Path, owner: &str) -> bool {
    if owner == id() {
        return false;
    }
    if !is_owner_id(owner) {
        // Not an id this program draws (an older daycare recorded a process id here):
        // there is no lock to ask, and that process cannot still be running this one's
        // schema.
        return true;
    }
    match LockFile::probe(&lock_path(db, owner)) {
        Ok(Probe::Missing) => true,
        Ok(Probe::Taken(lock)) => {
            lock.remove();
            true
        }
        Ok(Probe::Held) | Err(_) => false,
    }
}

/// The first key of every owner's advisory lock on PostgreSQL: the daycare's application
/// id plus one, apart from the writers' lock (`sql.rs`) and the openers' one-key lock.
const SERVER_SPACE: i32 = super::APPLICATION_ID + 1;

/// The second key of `owner`'s advisory lock on PostgreSQL: the first 32 bits of its
/// UUID (v4: random). Two owners sharing a key would only make one look alive while
/// the other is: recovery then waits, it never closes a live run.
fn server_key(owner: &str) -> Option<i32> {
    let uuid = uuid::Uuid::parse_str(owner).ok()?;
    let [a, b, c, d, ..] = *uuid.as_bytes();
    Some(i32::from_be_bytes([a, b, c, d]))
}

/// The statement that holds this process's owner lock on a PostgreSQL connection until
/// the connection ends.
pub fn server_hold() -> String {
    server_hold_of(id())
}

/// The statement that holds `owner`'s lock on a PostgreSQL connection.
pub(super) fn server_hold_of(owner: &str) -> String {
    let key = server_key(owner).unwrap_or_default();
    format!("SELECT pg_advisory_lock_shared({SERVER_SPACE}, {key})")
}

/// The statement that asks the server whether `owner` is gone: true when its lock can
/// be taken exclusively, which it then holds to the end of the asking transaction.
/// `None` when `owner` is not an id this program draws (see `is_gone`: gone).
pub fn server_probe(owner: &str) -> Option<String> {
    let key = server_key(owner)?;
    Some(format!(
        "SELECT pg_try_advisory_xact_lock({SERVER_SPACE}, {key})"
    ))
}

/// A UUID as `id` draws them: nothing that could name another path.
fn is_owner_id(owner: &str) -> bool {
    uuid::Uuid::parse_str(owner).is_ok() && !owner.contains(['/', '\\', '.'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_id_is_stable_and_this_process_is_never_gone() {
        assert_eq!(id(), id());
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("daycare.db");
        assert!(!is_gone(&db, id()));
        let other = uuid::Uuid::new_v4().to_string();
        assert!(is_gone(&db, &other), "no lock file: gone");
        assert!(is_gone(&db, "12345"), "not an owner id: gone");
    }

    #[test]
    fn a_held_owner_lock_is_alive_and_shared_and_removed_with_the_last_holder() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("daycare.db");
        let first = hold(&db).unwrap();
        let second = hold(&db).unwrap();
        let path = lock_path(&db, id());
        assert!(path.exists());
        assert!(matches!(LockFile::probe(&path).unwrap(), Probe::Held));
        drop(first);
        assert!(matches!(LockFile::probe(&path).unwrap(), Probe::Held));
        drop(second);
        assert!(!path.exists());
    }
}
