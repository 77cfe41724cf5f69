//! Write transactions: each write is one `BEGIN IMMEDIATE` transaction, or part of a
//! `Batch` that many writes share (bulk loading). Nothing here knows a table.

use std::sync::{Mutex, MutexGuard};

use super::sql::Db;
use super::{BatchState, Result, Store, StoreError};

impl Store {
    /// Runs `f` atomically: in its own immediate transaction, or as part of the open
    /// batch. Any error rolls back what `f` did; inside a batch, the whole batch.
    pub(super) fn write<T>(&mut self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        if self.batch.is_some() {
            return self.write_in_batch(f);
        }
        // Cached statements on SQLite: parsing these on every write showed in profiles.
        self.db.begin_write().map_err(|e| self.sqlite(e))?;
        match f(&self.db) {
            Ok(value) => match self.db.commit() {
                Ok(()) => Ok(value),
                Err(e) => {
                    self.db.rollback();
                    Err(self.sqlite(e))
                }
            },
            Err(e) => {
                self.db.rollback();
                Err(self.sqlite(e))
            }
        }
    }

    /// A write inside the open batch. A batch is all or nothing: a write that fails
    /// rolls the whole batch back at once, and every write after it fails too, naming
    /// the first error, until the batch is ended. So no write needs a savepoint of its
    /// own, which would copy every page it touches first (a twentieth of bulk loading).
    fn write_in_batch<T>(&mut self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        if let Some(BatchState::Abandoned(first)) = &self.batch {
            return Err(StoreError::BatchAbandoned(first.clone()));
        }
        f(&self.db).map_err(|e| {
            let e = self.sqlite(e);
            self.abandon_batch(&e);
            e
        })
    }

    fn abandon_batch(&mut self, error: &StoreError) {
        self.db.rollback();
        self.forget_batch();
        self.batch = Some(BatchState::Abandoned(error.to_string()));
    }

    /// Forgets what the batch wrote or kept in memory once it is rolled back.
    fn forget_batch(&mut self) {
        self.begun.clear();
        // The definition may have been stored by the batch: store it again if needed.
        self.last_definition = None;
    }

    /// An SQLite error as the store reports it (a busy database becomes `Locked`).
    fn sqlite(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Sqlite(e) => self.locked(e),
            other => other,
        }
    }

    /// A busy database becomes `Locked` and a full disk `DiskFull`, naming the file.
    fn locked(&self, e: rusqlite::Error) -> StoreError {
        let path = || {
            self.path
                .as_ref()
                .map_or_else(|| "the database".into(), |p| p.display().to_string())
        };
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path: path() }
            }
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull { path: path() },
            _ => StoreError::Sqlite(e),
        }
    }

    /// Tunes this connection for loading many executions: checkpoints every ~256 MiB of
    /// WAL instead of ~16 MiB, and a page cache of `cache_mib` MiB for the index pages
    /// inserts touch in random order (at a million executions the name index alone is
    /// ~8,000 pages, 32 MiB). SQLite walks the whole cache at each commit, so a large
    /// cache suits few commits only.
    pub fn prefer_bulk_writes(&mut self, cache_mib: u32) -> Result<()> {
        // PostgreSQL keeps its own counsel on checkpoints and caches.
        let Db::Sqlite(conn) = &self.db else {
            return Ok(());
        };
        conn.pragma_update(None, "wal_autocheckpoint", 64_000)?;
        conn.pragma_update(None, "cache_size", -i64::from(cache_mib) * 1024)?;
        Ok(())
    }
}

/// A write transaction many writes share, all kept or none: begun by `Batch::begin`, kept
/// by `commit`, rolled back when dropped uncommitted. While it is open every write on
/// the store's connection joins it, including writes made by whoever else holds the
/// store meanwhile (the workflow's tasks), and executions begun in it are written once,
/// when they finish. Other connections' writes wait for it to end: keep batches short.
/// A write that fails in it rolls the whole batch back at once; every later write, and
/// `commit`, then fails naming that first error.
pub struct Batch<'s> {
    store: &'s Mutex<Store>,
    open: bool,
}

impl<'s> Batch<'s> {
    /// Opens a batch on `store`: waits (up to the busy timeout) for other writers to end.
    pub fn begin(store: &'s Mutex<Store>) -> Result<Batch<'s>> {
        let mut held = lock(store)?;
        if held.batch.is_some() {
            return Err(StoreError::Other(
                "a batch is already open on this connection".into(),
            ));
        }
        held.db.begin_write().map_err(|e| held.sqlite(e))?;
        // Executions begun in a batch are written when they finish (see
        // `begin_execution`), so a registration may name one before its row exists: the
        // schema checks those links when the batch commits (migration 0007).
        held.batch = Some(BatchState::Open);
        Ok(Batch { store, open: true })
    }

    /// Keeps everything written in the batch. Executions begun in it and not finished
    /// are written RUNNING first, as they would have been outside a batch.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        let mut held = lock(self.store)?;
        let committed = held.commit_open_batch();
        held.batch = None;
        committed
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        // A poisoned lock still holds a usable connection: roll back all the same.
        let mut held = self
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(BatchState::Open) = held.batch {
            held.db.rollback();
            held.forget_batch();
        }
        held.batch = None;
    }
}

fn lock(store: &Mutex<Store>) -> Result<MutexGuard<'_, Store>> {
    store.lock().map_err(|_| {
        StoreError::Other(
            "the database connection was lost after an earlier failure; restart daycare".into(),
        )
    })
}

impl Store {
    fn commit_open_batch(&mut self) -> Result<()> {
        if let Some(BatchState::Abandoned(first)) = self.batch.take() {
            self.forget_batch();
            return Err(StoreError::BatchAbandoned(first));
        }
        self.batch = Some(BatchState::Open);
        if !self.begun.is_empty() {
            // On failure the batch is already rolled back.
            self.write_begun()?;
        }
        self.db.commit().map_err(|e| {
            self.db.rollback();
            self.forget_batch();
            self.sqlite(e)
        })
    }
}
