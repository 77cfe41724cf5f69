//! Whether someone else changed the database. On SQLite, its `data_version`, which moves
//! each time another connection (another desk, the command line, this process's desk)
//! commits: cheap enough to ask every second, and it reads no table. On PostgreSQL, the
//! `daycare` channel every commit is announced on (`pg/`), heard on a connection of its
//! own: nothing is asked of the server at all.

use std::time::Duration;

use super::sql::Db;
use super::{Result, Store, Watch};

impl Store {
    /// A number that changes when another connection commits a change to an SQLite
    /// database; the same number means nothing changed since it was last asked on this
    /// connection.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .db
            .sqlite()?
            .query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }

    /// What tells this connection's reader that the database changed (see `Changes`).
    pub fn changes(&self) -> Result<Changes> {
        match &self.db {
            Db::Sqlite(_) => Ok(Changes::Version(self.data_version().ok())),
            Db::Postgres(pg) => Ok(Changes::Announced(pg.watch()?)),
        }
    }
}

/// Whether the database changed since it was last asked: its version on SQLite, the
/// announcements heard on PostgreSQL.
pub enum Changes {
    Version(Option<i64>),
    Announced(Watch),
}

impl Changes {
    /// Whether anything changed since the last call (or since this was made), without
    /// waiting. `store` is the connection it was made from.
    pub fn changed(&mut self, store: &Store) -> bool {
        match self {
            Changes::Version(seen) => {
                let now = store.data_version().ok();
                let moved = now.is_some() && now != *seen;
                if moved {
                    *seen = now;
                }
                moved
            }
            Changes::Announced(watch) => {
                let mut heard = false;
                while watch.next_change(Duration::ZERO).is_some() {
                    heard = true;
                }
                heard
            }
        }
    }

    /// How often a reader should ask: the version is a question to the database, an
    /// announcement is already here when it is heard.
    pub fn interval(&self) -> Duration {
        match self {
            Changes::Version(_) => Duration::from_secs(1),
            Changes::Announced(_) => Duration::from_millis(200),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;
    use crate::store::testing::Database;

    #[test]
    fn the_version_moves_when_another_connection_commits() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("a temporary folder")
        };
        let path = dir.path().join("version.db");
        let (Ok(reader), Ok(mut writer)) = (Store::open(&path), Store::open(&path)) else {
            panic!("two connections open")
        };
        let Ok(before) = reader.data_version() else {
            panic!("version read")
        };
        assert_eq!(reader.data_version().ok(), Some(before), "nothing changed");
        let Ok(mut changes) = reader.changes() else {
            panic!("changes watched")
        };
        assert!(!changes.changed(&reader));
        let Ok(_) = writer.set_capacity(Some(chrono::Weekday::Mon), 7, "test") else {
            panic!("capacity set")
        };
        assert_ne!(reader.data_version().ok(), Some(before));
        assert!(changes.changed(&reader));
        assert!(!changes.changed(&reader), "said once");
    }

    #[test]
    fn another_connection_s_commit_is_heard_within_a_second_on_postgres() {
        let database = Database::new();
        let (reader, mut writer) = (database.store(), database.store());
        let Ok(mut changes) = reader.changes() else {
            panic!("changes watched")
        };
        assert!(!changes.changed(&reader));
        let Ok(_) = writer.set_capacity(Some(chrono::Weekday::Mon), 7, "test") else {
            panic!("capacity set")
        };
        let heard = std::time::Instant::now();
        while !changes.changed(&reader) {
            assert!(
                heard.elapsed() < std::time::Duration::from_secs(1),
                "heard within a second"
            );
            std::thread::sleep(changes.interval() / 4);
        }
        assert!(!changes.changed(&reader), "said once");
    }
}
