//! The week as it stands today: of each weekday's enrolled children, how many have not
//! started yet (their start date is still to come). Reads only; the dashboard tells
//! children who attend from places promised to children who start later.

use chrono::NaiveDate;

use super::{Result, Store};

impl Store {
    /// For Monday to Sunday, the enrolled children whose start date is after `today`
    /// (registrations of executions still RUNNING left out, as in `spots`). Reads the
    /// enrolled registrations only, on their status index: at most the week's capacity.
    pub fn starting_after(&self, today: NaiveDate) -> Result<[u32; 7]> {
        let mut stmt = self.db.sqlite()?.prepare_cached(
            "SELECT r.days FROM registrations r JOIN executions e ON e.name = r.execution_name \
             WHERE r.status = 'enrolled' AND r.start_date > ?1 AND e.status <> 'RUNNING'",
        )?;
        let mut later = [0u32; 7];
        let mut rows = stmt.query([today.format("%Y-%m-%d").to_string()])?;
        while let Some(row) = rows.next()? {
            let days: i64 = row.get(0)?;
            for (i, n) in later.iter_mut().enumerate() {
                if days & (1 << i) != 0 {
                    *n += 1;
                }
            }
        }
        Ok(later)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

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
        let Ok(mut store) = Store::open_in_memory() else {
            panic!("store")
        };
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap_or_default();
        enrol(&mut store, "started", day(1));
        enrol(&mut store, "today", day(10));
        enrol(&mut store, "later", day(20));
        assert_eq!(
            store.starting_after(day(10)).ok(),
            Some([1, 0, 1, 0, 0, 0, 0])
        );
        assert_eq!(store.starting_after(day(20)).ok(), Some([0; 7]));
        assert_eq!(
            store.starting_after(day(1)).ok(),
            Some([2, 0, 2, 0, 0, 0, 0])
        );
    }
}
