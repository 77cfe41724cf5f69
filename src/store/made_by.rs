//! Which registration an execution made: the link an execution's detail shows staff
//! (a registration exists if and only if its execution succeeded). Reads only.

use super::sql::params;
use super::{Result, Store};

impl Store {
    /// The id of the registration execution `name` made, if it made one.
    pub fn registration_made_by(&self, name: &str) -> Result<Option<i64>> {
        self.db.query_opt(
            "SELECT id FROM registrations WHERE execution_name = ?",
            params![name],
            |r| r.get::<i64>(0),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::store::sql::params;
    use crate::store::testing::on_both;
    use crate::workflow::ExecutionSummary;

    #[test]
    fn an_execution_names_the_registration_it_made_and_no_other() {
        on_both(|store| {
            for name in ["made", "other"] {
                let summary = ExecutionSummary::started("arn:m", name, "{}".into());
                let Ok(()) = store.begin_execution(&summary, "{}", None) else {
                    panic!("{name} begun")
                };
            }
            // The row a confirmation writes, as it is kept.
            let Ok(1) = store.db.execute(
                "INSERT INTO registrations (id, first_name, last_name, first_folded, \
                 last_folded, date_of_birth, days, age, fees, start_date, status, \
                 execution_name, document) \
                 VALUES (7, 'A', 'B', 'a', 'b', '2023-01-01', 1, 3, 750, '2026-09-01', \
                 'enrolled', ?1, '{}')",
                params!["made"],
            ) else {
                panic!("registration kept")
            };
            assert_eq!(store.registration_made_by("made").ok(), Some(Some(7)));
            assert_eq!(store.registration_made_by("other").ok(), Some(None));
            assert_eq!(store.registration_made_by("nobody").ok(), Some(None));
        });
    }
}
