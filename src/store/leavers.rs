//! Withdrawals dated ahead: the child stays enrolled until the day, and from that day
//! holds no spot. Checks for a day read the few enrolled registrations that have a
//! leaving date (an index of them alone); the status turns 'withdrawn' once the day
//! has come, at the desk's next write.

use super::sql::{Db, Twin, params};
use super::{Result, Store};
use chrono::NaiveDate;

/// The day masks of the enrolled registrations that will have left by ?1. SQLite is
/// told the index: it would otherwise walk every enrolled registration by status, on
/// every confirmation. PostgreSQL has no such clause and its planner needs none.
pub(super) const LEAVING: Twin = Twin {
    sqlite: "SELECT days FROM registrations INDEXED BY registrations_leaving \
             WHERE status = 'enrolled' AND leaves_on IS NOT NULL AND leaves_on <= ?1",
    postgres: "SELECT days FROM registrations \
               WHERE status = 'enrolled' AND leaves_on IS NOT NULL AND leaves_on <= ?1",
};

/// Withdraws the registrations that have left by ?1 (the index as in `LEAVING`).
const SETTLE: Twin = Twin {
    sqlite: "UPDATE registrations INDEXED BY registrations_leaving SET status = 'withdrawn' \
             WHERE status = 'enrolled' AND leaves_on IS NOT NULL AND leaves_on <= ?1",
    postgres: "UPDATE registrations SET status = 'withdrawn' \
               WHERE status = 'enrolled' AND leaves_on IS NOT NULL AND leaves_on <= ?1",
};

/// The day masks of the enrolled registrations that will have left by `on`.
pub(super) fn leaving_by(db: &Db, on: NaiveDate) -> Result<Vec<i64>> {
    db.query_vec(&LEAVING, params![on], |r| r.get(0))
}

/// Turns every registration whose leaving day has come (by `today`) 'withdrawn',
/// freeing its spots in the counts: inside whatever transaction `db` is in.
pub(super) fn settle(db: &Db, today: NaiveDate) -> Result<usize> {
    db.execute(&SETTLE, params![today])
}

impl Store {
    /// Withdraws the children whose leaving day has come by `today`: how many. Cheap when
    /// there are none (an index of leaving registrations), and a read when nothing is due.
    pub fn settle_leavers(&mut self, today: NaiveDate) -> Result<usize> {
        if leaving_by(&self.db, today)?.is_empty() {
            return Ok(0);
        }
        self.write(|db| settle(db, today))
    }
}
