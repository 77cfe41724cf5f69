//! Registrations: confirming one (re-checking spots in the same write transaction),
//! listing, finding an enrolled child, withdrawing. The rules that decide whether a
//! child may register live in `registration/`, not here.
//!
//! A registration whose execution is still RUNNING is half-finished: it holds its spots
//! (the capacity check at confirmation counts it, so nothing is ever overbooked) but no
//! reader sees it as enrolled until its execution SUCCEEDED.

use chrono::NaiveDate;

use super::capacity::{mask, unavailable, unmask};
use super::refold::fold;
use super::sql::{Db, Row, params};
use super::{
    Confirmation, NewRegistration, Registration, RegistrationStatus, Result, Store, StoreError,
};

/// Keeps only registrations whose execution has ended (see the module comment); `r` is
/// the registrations table. A lookup by the executions' unique name.
const SETTLED: &str = "NOT EXISTS (SELECT 1 FROM executions e \
                       WHERE e.name = r.execution_name AND e.status = 'RUNNING')";

const COLUMNS: &str = "id, first_name, last_name, date_of_birth, days, age, fees, start_date, \
                       status, execution_name, document, leaves_on, withdraw_reason";

/// The enrolled registration of a child (folded last name ?1, folded first name ?2, date
/// of birth ?3), half-finished ones included.
const ENROLLED_CHILD: &str = "SELECT id FROM registrations WHERE status = 'enrolled' \
                              AND last_folded = ?1 AND first_folded = ?2 AND date_of_birth = ?3";

fn registration(row: &Row<'_>) -> Result<Registration> {
    let document: String = row.get(10)?;
    let status: String = row.get(8)?;
    Ok(Registration {
        id: row.get(0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        date_of_birth: row.get(3)?,
        days: unmask(row.get(4)?),
        age: row.get(5)?,
        fees: row.get(6)?,
        start_date: row.get(7)?,
        status: if status == "withdrawn" {
            RegistrationStatus::Withdrawn
        } else {
            RegistrationStatus::Enrolled
        },
        execution_name: row.get(9)?,
        document: serde_json::from_str(&document).unwrap_or(serde_json::Value::Null),
        leaves_on: row.get(11)?,
        withdraw_reason: row.get(12)?,
    })
}

/// The enrolled registration of this child, if any, inside whatever transaction `db` is in.
fn enrolled_child(
    db: &Db,
    first_name: &str,
    last_name: &str,
    date_of_birth: NaiveDate,
) -> Result<Option<i64>> {
    db.query_opt(
        ENROLLED_CHILD,
        params![fold(last_name), fold(first_name), date_of_birth],
        |r| r.get::<i64>(0),
    )
}

impl Store {
    /// An enrolled registration for this child (names compared by `text::fold_key`),
    /// half-finished ones included: the duplicate check must see a child whose run is
    /// still confirming, as confirmation does.
    pub fn find_enrolled(
        &self,
        first_name: &str,
        last_name: &str,
        date_of_birth: NaiveDate,
    ) -> Result<Option<i64>> {
        enrolled_child(&self.db, first_name, last_name, date_of_birth)
    }

    /// Re-checks availability and inserts the registration in one write transaction. An
    /// execution that recovery already closed as interrupted cannot confirm anything.
    pub fn confirm(&mut self, registration: &NewRegistration) -> Result<Confirmation> {
        self.write(|db| {
            let closed = db.query_opt(
                "SELECT 1 FROM executions WHERE name = ?1 AND status <> 'RUNNING'",
                params![&registration.execution_name],
                |_| Ok(()),
            )?;
            if closed.is_some() {
                return Err(StoreError::ClosedAsInterrupted(
                    registration.execution_name.clone(),
                ));
            }
            let full = unavailable(db, &registration.days, registration.start_date)?;
            if !full.is_empty() {
                return Ok(Confirmation::Unavailable(full));
            }
            let existing = enrolled_child(
                db,
                &registration.first_name,
                &registration.last_name,
                registration.date_of_birth,
            )?;
            if let Some(id) = existing {
                return Ok(Confirmation::AlreadyEnrolled(id));
            }
            // OR ROLLBACK: a write that fails ends its transaction anyway (`write`), and
            // a statement that cannot fail halfway needs no statement journal, which
            // would copy every page this insert and its trigger touch first. (PostgreSQL
            // has no such clause: the statement layer drops it there.)
            let id = db.query_one(
                "INSERT OR ROLLBACK INTO registrations (first_name, last_name, first_folded, \
                 last_folded, date_of_birth, days, age, fees, start_date, status, \
                 execution_name, document) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'enrolled', ?10, ?11) RETURNING id",
                params![
                    &registration.first_name,
                    &registration.last_name,
                    fold(&registration.first_name),
                    fold(&registration.last_name),
                    registration.date_of_birth,
                    mask(&registration.days),
                    registration.age,
                    registration.fees,
                    registration.start_date,
                    &registration.execution_name,
                    &registration.document,
                ],
                |r| r.get::<i64>(0),
            )?;
            Ok(Confirmation::Confirmed(id))
        })
    }

    /// Enrolled registrations (and withdrawn ones when asked), newest first; never a
    /// half-finished one.
    pub fn registrations(&self, include_withdrawn: bool) -> Result<Vec<Registration>> {
        let mut list = Vec::new();
        self.for_each_registration(include_withdrawn, |r| {
            list.push(r);
            Ok::<_, StoreError>(())
        })?;
        Ok(list)
    }

    /// `registrations`, each handed to `visit` as it is read: the list is never held
    /// whole, whatever its length. Stops at `visit`'s first error.
    pub fn for_each_registration<E: From<StoreError>>(
        &self,
        include_withdrawn: bool,
        visit: impl FnMut(Registration) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = if include_withdrawn {
            format!("SELECT {COLUMNS} FROM registrations r WHERE {SETTLED} ORDER BY id DESC")
        } else {
            format!(
                "SELECT {COLUMNS} FROM registrations r WHERE status = 'enrolled' AND {SETTLED} \
                 ORDER BY id DESC"
            )
        };
        self.db.for_each(&sql, &[], registration, visit)
    }

    /// The newest `limit` withdrawn registrations, newest first (a daycare that has run
    /// for years has withdrawn many more children than it holds).
    pub fn withdrawn_registrations(&self, limit: usize) -> Result<Vec<Registration>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM registrations r WHERE status = 'withdrawn' \
             ORDER BY id DESC LIMIT ?1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.db.query_vec(&sql, params![limit], registration)
    }

    /// The dates of birth of the enrolled children (settled ones) born from `from` to
    /// `to`: a count the dashboard narrows with the age rules, without reading any
    /// registration's document.
    pub fn enrolled_born_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>> {
        let sql = format!(
            "SELECT date_of_birth FROM registrations r WHERE status = 'enrolled' \
             AND date_of_birth BETWEEN ?1 AND ?2 AND {SETTLED}"
        );
        self.db
            .query_vec(&sql, params![from, to], |r| r.get::<NaiveDate>(0))
    }

    /// One registration by id.
    pub fn registration(&self, id: i64) -> Result<Option<Registration>> {
        let sql = format!("SELECT {COLUMNS} FROM registrations WHERE id = ?1");
        self.db.query_opt(&sql, params![id], registration)
    }
}

impl Store {
    /// Withdraws the longest-enrolled registration still enrolled, if any, as of
    /// `today`, for `reason`, recorded in the audit as done by `staff`: its id.
    pub fn withdraw_oldest(
        &mut self,
        today: NaiveDate,
        reason: &str,
        staff: &str,
    ) -> Result<Option<i64>> {
        self.write(|db| {
            let withdrawn = db.query_opt(
                "UPDATE registrations SET status = 'withdrawn', leaves_on = ?1, \
                 withdraw_reason = ?2 WHERE id = \
                 (SELECT id FROM registrations WHERE status = 'enrolled' ORDER BY id LIMIT 1) \
                 RETURNING id, first_name || ' ' || last_name",
                params![today, reason],
                |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
            )?;
            let Some((id, child)) = withdrawn else {
                return Ok(None);
            };
            super::audit::record(
                db,
                &super::NewAuditEntry {
                    staff,
                    kind: super::AuditKind::Withdrawal,
                    registration_id: Some(id),
                    waitlist_id: None,
                    child: Some(&child),
                    summary: format!("Withdrawn from {today}: {reason}"),
                    before: Some(serde_json::json!({ "status": "enrolled" })),
                    after: Some(serde_json::json!({
                        "status": "withdrawn", "leavesOn": today, "reason": reason
                    })),
                    execution_name: None,
                },
            )?;
            Ok(Some(id))
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Weekday};

    use crate::store::testing::{enrol, on_both};
    use crate::store::{
        AuditFilter, AuditKind, Confirmation, NewRegistration, RegistrationStatus, Store,
        StoreError,
    };
    use crate::workflow::{Execution, ExecutionStatus, ExecutionSummary};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn child(first: &str, born: NaiveDate, days: &[Weekday], execution: &str) -> NewRegistration {
        NewRegistration {
            first_name: first.into(),
            last_name: "Lefèvre".into(),
            date_of_birth: born,
            days: days.to_vec(),
            age: 3,
            fees: 700,
            start_date: day(2026, 9, 1),
            execution_name: execution.into(),
            document: format!("{{\"child\":\"{first}\"}}"),
        }
    }

    fn begin(store: &mut Store, name: &str) -> ExecutionSummary {
        let summary = ExecutionSummary::started("arn:m", name, "{}".into());
        let Ok(()) = store.begin_execution(&summary, "{}", None) else {
            panic!("{name} begun")
        };
        summary
    }

    fn succeed(store: &mut Store, mut summary: ExecutionSummary) {
        summary.status = ExecutionStatus::Succeeded;
        summary.stop_date = Some(summary.start_date);
        let execution = Execution {
            summary,
            events: Vec::new(),
        };
        let Ok(()) = store.finish_execution(&execution, Some(700)) else {
            panic!("finished")
        };
    }

    fn ids(list: Result<Vec<crate::store::Registration>, StoreError>) -> Vec<i64> {
        match list {
            Ok(list) => list.iter().map(|r| r.id).collect(),
            Err(e) => panic!("listed: {e}"),
        }
    }

    #[test]
    fn a_confirmed_child_is_found_at_once_and_listed_once_its_run_succeeded() {
        on_both(|store| {
            let born = day(2023, 2, 1);
            let run = begin(store, "run-a");
            let léa = child("Léa", born, &[Weekday::Mon, Weekday::Wed], "run-a");
            let Ok(Confirmation::Confirmed(id)) = store.confirm(&léa) else {
                panic!("confirmed")
            };
            // Found under any case, half-finished as it is; listed by id only.
            assert_eq!(
                store.find_enrolled("LÉA", "lefèvre", born).ok(),
                Some(Some(id))
            );
            assert_eq!(
                store.find_enrolled("Léa", "Lefèvre", day(2023, 2, 2)).ok(),
                Some(None)
            );
            assert_eq!(ids(store.registrations(false)), Vec::<i64>::new());
            assert_eq!(ids(store.registrations(true)), Vec::<i64>::new());
            let Ok(Some(kept)) = store.registration(id) else {
                panic!("read by id")
            };
            assert_eq!(kept.first_name, "Léa");
            assert_eq!(kept.date_of_birth, born);
            assert_eq!(kept.days, [Weekday::Mon, Weekday::Wed]);
            assert_eq!((kept.age, kept.fees), (3, 700));
            assert_eq!(kept.start_date, day(2026, 9, 1));
            assert_eq!(kept.status, RegistrationStatus::Enrolled);
            assert_eq!(kept.execution_name, "run-a");
            assert_eq!(kept.document, serde_json::json!({ "child": "Léa" }));
            assert_eq!((kept.leaves_on, kept.withdraw_reason), (None, None));
            assert!(matches!(store.registration(id + 1), Ok(None)));

            // The same child again, while the first run still confirms: refused.
            begin(store, "run-b");
            let again = child("LÉA", born, &[Weekday::Tue], "run-b");
            assert_eq!(
                store.confirm(&again).ok(),
                Some(Confirmation::AlreadyEnrolled(id))
            );

            succeed(store, run);
            assert_eq!(ids(store.registrations(false)), [id]);
            // A run that has ended confirms nothing more.
            let late = child("Noé", born, &[Weekday::Mon], "run-a");
            assert!(matches!(
                store.confirm(&late),
                Err(StoreError::ClosedAsInterrupted(name)) if name == "run-a"
            ));

            // Saturday is closed: nothing is kept.
            begin(store, "run-c");
            let weekend = child("Noé", born, &[Weekday::Mon, Weekday::Sat], "run-c");
            assert_eq!(
                store.confirm(&weekend).ok(),
                Some(Confirmation::Unavailable(vec![Weekday::Sat]))
            );
            assert_eq!(store.find_enrolled("Noé", "Lefèvre", born).ok(), Some(None));
        });
    }

    #[test]
    fn listing_hands_over_newest_first_and_stops_at_the_first_error() {
        on_both(|store| {
            let born = day(2022, 5, 5);
            let first = enrol(store, &child("Ana", born, &[Weekday::Mon], "run-1"), "{}");
            let second = enrol(store, &child("Ben", born, &[Weekday::Tue], "run-2"), "{}");
            let mut seen = Vec::new();
            let stopped = store.for_each_registration(false, |r| {
                seen.push(r.id);
                Err::<(), _>(StoreError::Other("enough".into()))
            });
            assert!(matches!(stopped, Err(StoreError::Other(why)) if why == "enough"));
            assert_eq!(seen, [second]);
            let mut all = Vec::new();
            let walked = store.for_each_registration(true, |r| {
                all.push(r.first_name);
                Ok::<(), StoreError>(())
            });
            assert!(walked.is_ok());
            assert_eq!(all, ["Ben", "Ana"]);
            assert_eq!(ids(store.registrations(false)), [second, first]);
        });
    }

    #[test]
    fn the_oldest_enrolled_child_is_withdrawn_and_the_audit_says_so() {
        on_both(|store| {
            let born = day(2022, 5, 5);
            let today = day(2026, 10, 1);
            let first = enrol(store, &child("Ana", born, &[Weekday::Mon], "run-1"), "{}");
            let second = enrol(store, &child("Ben", born, &[Weekday::Mon], "run-2"), "{}");
            assert_eq!(
                store.withdraw_oldest(today, "moving", "Sam").ok(),
                Some(Some(first))
            );
            let Ok(Some(gone)) = store.registration(first) else {
                panic!("read")
            };
            assert_eq!(gone.status, RegistrationStatus::Withdrawn);
            assert_eq!(gone.leaves_on, Some(today));
            assert_eq!(gone.withdraw_reason.as_deref(), Some("moving"));
            assert_eq!(ids(store.registrations(false)), [second]);
            assert_eq!(ids(store.registrations(true)), [second, first]);
            assert_eq!(ids(store.withdrawn_registrations(10)), [first]);
            assert_eq!(store.spots().ok().map(|s| s[0].enrolled), Some(1));
            assert_eq!(store.find_enrolled("Ana", "Lefèvre", born).ok(), Some(None));

            let filter = AuditFilter {
                registration_id: Some(first),
                ..AuditFilter::default()
            };
            let Ok(entries) = store.audit(&filter, 10) else {
                panic!("audit read")
            };
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].kind, AuditKind::Withdrawal);
            assert_eq!(entries[0].staff, "Sam");
            assert_eq!(entries[0].child.as_deref(), Some("Ana Lefèvre"));
            assert_eq!(entries[0].summary, "Withdrawn from 2026-10-01: moving");

            assert_eq!(
                store.withdraw_oldest(today, "moving", "Sam").ok(),
                Some(Some(second))
            );
            assert_eq!(
                store.withdraw_oldest(today, "moving", "Sam").ok(),
                Some(None)
            );
            assert_eq!(ids(store.withdrawn_registrations(10)), [second, first]);
            assert_eq!(ids(store.withdrawn_registrations(1)), [second]);
            assert_eq!(ids(store.withdrawn_registrations(0)), Vec::<i64>::new());
        });
    }

    #[test]
    fn births_between_two_days_count_settled_enrolled_children_only() {
        on_both(|store| {
            for (name, born) in [
                ("old", day(2021, 3, 1)),
                ("mid", day(2022, 6, 15)),
                ("end", day(2022, 12, 31)),
                ("young", day(2023, 1, 1)),
            ] {
                enrol(store, &child(name, born, &[Weekday::Fri], name), "{}");
            }
            // Half-finished: not counted.
            begin(store, "running");
            let running = child("running", day(2022, 1, 1), &[Weekday::Fri], "running");
            assert!(matches!(
                store.confirm(&running),
                Ok(Confirmation::Confirmed(_))
            ));
            let between = |store: &Store, from, to| {
                let Ok(mut born) = store.enrolled_born_between(from, to) else {
                    panic!("read")
                };
                born.sort();
                born
            };
            assert_eq!(
                between(store, day(2022, 1, 1), day(2022, 12, 31)),
                [day(2022, 6, 15), day(2022, 12, 31)]
            );
            assert!(matches!(
                store.withdraw_oldest(day(2026, 1, 1), "moved", "Sam"),
                Ok(Some(_))
            ));
            assert_eq!(
                between(store, day(2020, 1, 1), day(2030, 1, 1)),
                [day(2022, 6, 15), day(2022, 12, 31), day(2023, 1, 1)]
            );
        });
    }
}
