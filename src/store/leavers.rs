//! Withdrawals dated ahead: the child stays enrolled until the day, and from that day
//! holds no spot. Checks for a day read the few enrolled registrations that have a
//! leaving date (an index of them alone); the status turns 'withdrawn' once the day
//! has come, at the desk's next write.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::{Result, Store};

/// The day masks of the enrolled registrations that will have left by ?1. The index is
/// named: SQLite would otherwise walk every enrolled registration by status, on every
/// confirmation.
pub(super) const LEAVING: &str = "SELECT days FROM registrations INDEXED BY registrations_leaving \
     WHERE status = 'enrolled' AND leaves_on IS NOT NULL AND leaves_on <= ?1";

/// The day masks of the enrolled registrations that will have left by `on`.
pub(super) fn leaving_by(conn: &Connection, on: NaiveDate) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(LEAVING)?;
    let days = stmt
        .query_map([on], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(days)
}

/// Turns every registration whose leaving day has come (by `today`) 'withdrawn',
/// freeing its spots in the counts: inside whatever transaction `conn` is in.
pub(super) fn settle(conn: &Connection, today: NaiveDate) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE registrations INDEXED BY registrations_leaving SET status = 'withdrawn' \
             WHERE status = 'enrolled' AND leaves_on IS NOT NULL AND leaves_on <= ?1",
        )?
        .execute([today])?)
}

impl Store {
    /// Withdraws the children whose leaving day has come by `today`: how many. Cheap when
    /// there are none (an index of leaving registrations), and a read when nothing is due.
    pub fn settle_leavers(&mut self, today: NaiveDate) -> Result<usize> {
        if leaving_by(self.db.sqlite()?, today)?.is_empty() {
            return Ok(0);
        }
        self.write(|db| settle(db.sqlite()?, today))
    }
}
