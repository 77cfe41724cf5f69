//! Whether someone else changed the database: SQLite's `data_version`, which moves each
//! time another connection (another desk, the command line, this process's desk)
//! commits. Cheap enough to ask every second; reads no table.

use super::{Result, Store};

impl Store {
    /// A number that changes when another connection commits a change to the database;
    /// the same number means nothing changed since it was last asked on this connection.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .db
            .sqlite()?
            .query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

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
        let Ok(_) = writer.set_capacity(Some(chrono::Weekday::Mon), 7, "test") else {
            panic!("capacity set")
        };
        assert_ne!(reader.data_version().ok(), Some(before));
    }
}
