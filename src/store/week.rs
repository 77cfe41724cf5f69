//! The week as it stands today: of each weekday's enrolled children, how many have not
//! started yet (their start date is still to come). Reads only; the dashboard tells
//! children who attend from places promised to children who start later.

use chrono::NaiveDate;

use super::sql::params;
use super::{Result, Store, StoreError};

impl Store {
    /// For Monday to Sunday, the enrolled children whose start date is after `today`
    /// (registrations of executions still RUNNING left out, as in `spots`). Reads the
    /// enrolled registrations only, on their status index: at most the week's capacity.
    pub fn starting_after(&self, today: NaiveDate) -> Result<[u32; 7]> {
        let mut later = [0u32; 7];
        self.db.for_each(
            "SELECT r.days FROM registrations r JOIN executions e ON e.name = r.execution_name \
             WHERE r.status = 'enrolled' AND r.start_date > ?1 AND e.status <> 'RUNNING'",
            params![today],
            |row| row.get::<i64>(0),
            |days| {
                for (i, n) in later.iter_mut().enumerate() {
                    if days & (1 << i) != 0 {
                        *n += 1;
                    }
                }
                Ok::<(), StoreError>(())
            },
        )?;
        Ok(later)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::store::testing::on_both;
    use crate::store::{NewRegistration, Store};

    fn enrol(store: &mut Store, name: &str, start: NaiveDate) {
        let registration = NewRegistration {
            first_name: name.into(),
            last_name: "Child".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
            days: vec![chrono::Weekday::Mon, chrono::Weekday::Wed],
            age: 4,
            fees: 700,
            start_date: start,
            execution_name: name.into(),
            document: "{}".into(),
        };
        crate::store::testing::enrol(store, &registration, "{}");
    }

    #[test]
    fn children_who_start_later_are_told_apart() {
        on_both(|store| {
            let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap_or_default();
            enrol(store, "started", day(1));
            enrol(store, "today", day(10));
            enrol(store, "later", day(20));
            assert_eq!(
                store.starting_after(day(10)).ok(),
                Some([1, 0, 1, 0, 0, 0, 0])
            );
            assert_eq!(store.starting_after(day(20)).ok(), Some([0; 7]));
            assert_eq!(
                store.starting_after(day(1)).ok(),
                Some([2, 0, 2, 0, 0, 0, 0])
            );
            // A registration whose run is still confirming is not counted.
            let summary =
                crate::workflow::ExecutionSummary::started("arn:m", "running", "{}".into());
            let Ok(()) = store.begin_execution(&summary, "{}", None) else {
                panic!("begun")
            };
            let running = NewRegistration {
                first_name: "running".into(),
                last_name: "Child".into(),
                date_of_birth: day(2),
                days: vec![chrono::Weekday::Fri],
                age: 4,
                fees: 700,
                start_date: day(30),
                execution_name: "running".into(),
                document: "{}".into(),
            };
            assert!(store.confirm(&running).is_ok());
            assert_eq!(
                store.starting_after(day(10)).ok(),
                Some([1, 0, 1, 0, 0, 0, 0])
            );
        });
    }
}
