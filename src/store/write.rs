//! Write transactions: each write is one `BEGIN IMMEDIATE` transaction, or part of a
//! batch that many writes share (bulk loading). Nothing here knows a table.

use rusqlite::Connection;

use super::{Result, Store, StoreError};

impl Store {
    /// Runs `f` atomically: in its own immediate transaction, or as part of the open
    /// batch. Any error rolls back what `f` did; inside a batch, the whole batch.
    pub(super) fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.in_batch {
            return self.write_in_batch(f);
        }
        // Cached statements: parsing these on every write showed in profiles.
        self.run_cached("BEGIN IMMEDIATE")
            .map_err(|e| self.locked(e))?;
        match f(&self.conn) {
            Ok(value) => match self.run_cached("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(self.locked(e))
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(self.sqlite(e))
            }
        }
    }

    /// A write inside the open batch. A batch is all or nothing: a write that fails
    /// rolls the whole batch back at once, and every write after it fails too, naming
    /// the first error, until the batch is ended. So no write needs a savepoint of its
    /// own, which would copy every page it touches first (a twentieth of bulk loading).
    fn write_in_batch<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if let Some(first) = &self.abandoned {
            return Err(StoreError::BatchAbandoned(first.clone()));
        }
        f(&self.conn).map_err(|e| {
            let e = self.sqlite(e);
            self.abandon_batch(&e);
            e
        })
    }

    fn abandon_batch(&mut self, error: &StoreError) {
        let _ = self.conn.execute_batch("ROLLBACK");
        self.forget_batch();
        self.abandoned = Some(error.to_string());
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

    fn run_cached(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute([])?;
        Ok(())
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

    /// Starts a batch: the writes until `commit_batch` share one transaction, all kept
    /// or none; executions begun in it are written when they finish. Used for bulk
    /// loading; other processes wait for the batch to end.
    pub fn begin_batch(&mut self) -> Result<()> {
        if !self.in_batch {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| self.locked(e))?;
            // Executions begun in a batch are written when they finish (see
            // `begin_execution`), so a registration may name one before its row exists:
            // foreign keys are checked when the batch commits. SQLite turns this off
            // again at COMMIT and ROLLBACK.
            self.conn.pragma_update(None, "defer_foreign_keys", "ON")?;
            self.in_batch = true;
        }
        Ok(())
    }

    /// Commits the open batch, if any, and ends it. A batch abandoned after a failed
    /// write commits nothing and returns that write's error again.
    pub fn commit_batch(&mut self) -> Result<()> {
        if !self.in_batch {
            return Ok(());
        }
        let committed = self.commit_open_batch();
        self.in_batch = false;
        self.abandoned = None;
        committed
    }

    fn commit_open_batch(&mut self) -> Result<()> {
        if let Some(first) = self.abandoned.take() {
            self.forget_batch();
            return Err(StoreError::BatchAbandoned(first));
        }
        if !self.begun.is_empty() {
            // On failure the batch is already rolled back.
            self.write_begun()?;
        }
        self.conn.execute_batch("COMMIT").map_err(|e| {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.forget_batch();
            self.locked(e)
        })
    }

    /// Abandons the open batch, if any: none of its writes are kept.
    pub fn rollback_batch(&mut self) {
        if self.in_batch {
            self.in_batch = false;
            if self.abandoned.take().is_none() {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.forget_batch();
            }
        }
    }

    /// Tunes this connection for loading many executions: checkpoints every ~256 MiB of
    /// WAL instead of ~16 MiB, and a 256 MiB page cache that holds a whole batch's dirty
    /// pages, so the name index's pages, which inserts touch in random order, are written
    /// once per batch and once per checkpoint rather than spilled along the way (at a
    /// million executions that index alone is ~8,000 pages).
    pub fn prefer_bulk_writes(&mut self) -> Result<()> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 64_000)?;
        self.conn.pragma_update(None, "cache_size", -256_000)?;
        Ok(())
    }
}
