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
        self.conn.execute_batch(begin).map_err(|e| self.locked(e))?;
        match f(&self.conn) {
            Ok(value) => match self.conn.execute_batch(commit) {
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
    /// own savepoint. Used for bulk loading; other processes wait for the batch to end.
    pub fn begin_batch(&mut self) -> Result<()> {
        if !self.in_batch {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| self.locked(e))?;
            self.in_batch = true;
        }
        Ok(())
    }

    /// Commits the open batch, if any.
    pub fn commit_batch(&mut self) -> Result<()> {
        if self.in_batch {
            self.in_batch = false;
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }
}
