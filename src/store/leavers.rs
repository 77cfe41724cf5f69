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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::capacity::mask;
    use crate::store::testing::on_both;
    use chrono::Weekday::{self, Mon, Tue, Wed};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    /// `first` Racer enrolled on `days` by a succeeded execution, leaving on `leaves_on`:
    /// the registration's id.
    fn enrolled(store: &Store, first: &str, days: &[Weekday], leaves_on: Option<NaiveDate>) -> i64 {
        let name = format!("enrol-{first}");
        crate::store::testing::execution_row(store, &name, "SUCCEEDED");
        store
            .db
            .query_one(
                "INSERT INTO registrations (first_name, last_name, first_folded, last_folded, \
                 date_of_birth, days, age, fees, start_date, status, execution_name, document, \
                 leaves_on, withdraw_reason) \
                 VALUES (?1, 'Racer', ?2, 'racer', '2023-01-05', ?3, 3, 100, '2026-01-05', \
                 'enrolled', ?4, '{}', ?5, 'moving') RETURNING id",
                params![first, first.to_lowercase(), mask(days), &name, leaves_on],
                |r| r.get::<i64>(0),
            )
            .unwrap()
    }

    fn status(store: &Store, id: i64) -> String {
        store
            .db
            .query_one(
                "SELECT status FROM registrations WHERE id = ?1",
                params![id],
                |r| r.get::<String>(0),
            )
            .unwrap()
    }

    fn leaving(store: &Store, on: NaiveDate) -> Vec<i64> {
        let mut masks = leaving_by(&store.db, on).unwrap();
        masks.sort_unstable();
        masks
    }

    #[test]
    fn children_leave_on_their_day_and_not_before() {
        on_both(|store| {
            let ada = enrolled(store, "Ada", &[Mon], Some(day(9)));
            let bo = enrolled(store, "Bo", &[Tue, Wed], Some(day(16)));
            let cy = enrolled(store, "Cy", &[Wed], None);
            assert_eq!(leaving(store, day(8)), Vec::<i64>::new());
            assert_eq!(leaving(store, day(9)), [mask(&[Mon])]);
            assert_eq!(leaving(store, day(20)), [mask(&[Mon]), mask(&[Tue, Wed])]);

            assert_eq!(store.settle_leavers(day(8)).unwrap(), 0);
            assert_eq!(
                [ada, bo, cy].map(|id| status(store, id)),
                ["enrolled", "enrolled", "enrolled"]
            );
            assert_eq!(store.spots().unwrap()[0].enrolled, 1);

            assert_eq!(store.settle_leavers(day(9)).unwrap(), 1);
            assert_eq!(
                [ada, bo, cy].map(|id| status(store, id)),
                ["withdrawn", "enrolled", "enrolled"]
            );
            // The day's counts free Ada's spot.
            assert_eq!(store.spots().unwrap()[0].enrolled, 0);
            assert_eq!(store.spots().unwrap()[2].enrolled, 2);
            assert_eq!(store.settle_leavers(day(9)).unwrap(), 0);

            assert_eq!(store.settle_leavers(day(31)).unwrap(), 1);
            assert_eq!(
                [ada, bo, cy].map(|id| status(store, id)),
                ["withdrawn", "withdrawn", "enrolled"]
            );
            assert_eq!(store.spots().unwrap()[2].enrolled, 1);
            assert_eq!(leaving(store, day(31)), Vec::<i64>::new());
        });
    }
}
