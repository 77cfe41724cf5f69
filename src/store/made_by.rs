//! Which registration an execution made: the link an execution's detail shows staff
//! (a registration exists if and only if its execution succeeded). Reads only.

use rusqlite::OptionalExtension;

use super::{Result, Store};

impl Store {
    /// The id of the registration execution `name` made, if it made one.
    pub fn registration_made_by(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .db
            .sqlite()?
            .prepare_cached("SELECT id FROM registrations WHERE execution_name = ?")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }
}
