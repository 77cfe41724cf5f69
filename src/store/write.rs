//! Write transactions: each write is one `BEGIN IMMEDIATE` transaction, or a savepoint
//! inside a batch that many writes share (bulk loading). Nothing here knows a table.

use rusqlite::Connection;

use super::{Result, Store, StoreError};

impl Store {
    /// Runs `f` atomically: in its own immediate transaction, or in a savepoint of the
    /// open batch. Any error rolls back what `f` did.
    pub(super) fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let (begin, commit, rollback) = if self.in_batch {
            ("SAVEPOINT w", "RELEASE w", "ROLLBACK TO w; RELEASE w")
        } else {
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        };
        // Cached statements: parsing these on every write showed in profiles.
        self.run_cached(begin).map_err(|e| self.locked(e))?;
        match f(&self.conn) {
            Ok(value) => match self.run_cached(commit) {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = self.conn.execute_batch(rollback);
                    Err(self.locked(e))
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch(rollback);
                Err(match e {
                    StoreError::Sqlite(e) => self.locked(e),
                    other => other,
                })
            }
        }
    }

    fn run_cached(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute([])?;
        Ok(())
    }

    /// A busy database becomes `Locked`, naming the file.
    fn locked(&self, e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Locked {
                    path: self.path.clone().unwrap_or_else(|| "the database".into()),
                }
            }
            _ => StoreError::Sqlite(e),
        }
    }

    /// Starts a batch: the writes until `commit_batch` share one transaction, each in its
    /// own savepoint; executions begun in it are written when they finish. Used for bulk loading; other processes wait for the batch to end.
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

    /// Commits the open batch, if any.
    pub fn commit_batch(&mut self) -> Result<()> {
        if self.in_batch {
            if !self.begun.is_empty() {
                self.write_begun()?;
            }
            self.in_batch = false;
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// Abandons the open batch, if any: none of its writes are kept.
    pub fn rollback_batch(&mut self) {
        if self.in_batch {
            self.in_batch = false;
            self.begun.clear();
            // The definition may have been stored by the batch: store it again if needed.
            self.last_definition = None;
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Tunes this connection for loading many executions: checkpoints every ~256 MiB of
    /// WAL instead of ~16 MiB and a 64 MiB page cache, so the name index's pages, which
    /// inserts touch in random order, are written back once per checkpoint rather than
    /// once per few batches (at a million executions that index alone is ~8,000 pages).
    pub fn prefer_bulk_writes(&mut self) -> Result<()> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 64_000)?;
        self.conn.pragma_update(None, "cache_size", -64_000)?;
        Ok(())
    }
}
