//! Lock files beside a database: an exclusive `flock` that the kernel drops the moment
//! its holder dies, in whatever PID namespace or container it ran. Never taken on the
//! database file itself (see `open.rs`: SQLite's own POSIX locks live there).
//!
//! A lock file may be removed by whoever holds its lock. So that nobody ends up holding
//! the lock of a file that is no longer at its path, a lock is only good once the path
//! still names the very file that was locked; otherwise the taker tries again.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// An exclusive lock held on the file at `path` until dropped (or `remove`d).
#[derive(Debug)]
pub struct LockFile {
    file: File,
    path: PathBuf,
}

/// What trying the lock of an existing lock file found.
pub enum Probe {
    /// Someone holds it.
    Held,
    /// Nobody held it: now we do.
    Taken(LockFile),
    /// There is no such file.
    Missing,
}

impl LockFile {
    /// Waits for the lock on `path`, creating the file if needed.
    pub fn acquire(path: &Path) -> io::Result<LockFile> {
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)?;
            file.lock()?;
            if still_at(&file, path)? {
                return Ok(LockFile {
                    file,
                    path: path.to_path_buf(),
                });
            }
        }
    }

    /// Takes the lock on an existing file if nobody holds it now; never waits or creates.
    pub fn probe(path: &Path) -> io::Result<Probe> {
        let file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Probe::Missing),
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(Probe::Held),
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if !still_at(&file, path)? {
            // Removed by its last holder after we opened it: nobody holds it any more.
            return Ok(Probe::Missing);
        }
        Ok(Probe::Taken(LockFile {
            file,
            path: path.to_path_buf(),
        }))
    }

    /// Removes the file while still holding its lock, then lets the lock go. A file that
    /// cannot be removed is left; it is harmless.
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
        drop(self.file);
    }
}

/// Whether `path` still names the file `file` has open.
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let held = file.metadata()?;
    match std::fs::metadata(path) {
        Ok(now) => Ok(now.dev() == held.dev() && now.ino() == held.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> io::Result<bool> {
    Ok(path.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_seen_held_and_a_released_one_can_be_taken_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        assert!(matches!(LockFile::probe(&path).unwrap(), Probe::Missing));
        let held = LockFile::acquire(&path).unwrap();
        assert!(matches!(LockFile::probe(&path).unwrap(), Probe::Held));
        drop(held);
        let Probe::Taken(taken) = LockFile::probe(&path).unwrap() else {
            panic!("a released lock must be free")
        };
        taken.remove();
        assert!(!path.exists());
        // A lock taken again after removal is on a new file at the path.
        let again = LockFile::acquire(&path).unwrap();
        assert!(path.exists());
        assert!(matches!(LockFile::probe(&path).unwrap(), Probe::Held));
        drop(again);
    }
}
