//! Spots per weekday: capacity, enrolled counts, and which requested days are full or
//! closed. Enrolled counts are kept per day by triggers on `registrations`, in the same
//! transaction as the change, so a check reads seven rows, never the registrations.

use super::leavers::leaving_by;
use super::sql::{Db, params};
use chrono::{NaiveDate, Weekday};

use super::{DaySpots, Result, Store, StoreError};

pub(super) fn mask(days: &[Weekday]) -> i64 {
    i64::from(crate::weekday::mask(days))
}

pub(super) fn unmask(mask: i64) -> Vec<Weekday> {
    crate::weekday::unmask(u8::try_from(mask & 0x7f).unwrap_or(0))
}

/// Monday to Sunday, read inside whatever transaction `db` is in. Enrolled counts are
/// kept by triggers on `registrations` (see migration 0002).
pub(super) fn read_spots(db: &Db) -> Result<Vec<DaySpots>> {
    let mut capacity = [0u32; 7];
    let mut enrolled = [0u32; 7];
    let rows = db.query_vec(
        "SELECT day, spots, enrolled FROM capacity ORDER BY day",
        &[],
        |r| Ok((r.get::<u8>(0)?, r.get::<u32>(1)?, r.get::<u32>(2)?)),
    )?;
    for (day, spots, taken) in rows {
        let day = usize::from(day);
        if day < 7 {
            capacity[day] = spots;
            enrolled[day] = taken;
        }
    }
    Ok(crate::weekday::WEEK
        .into_iter()
        .enumerate()
        .map(|(i, day)| DaySpots {
            day,
            capacity: capacity[i],
            enrolled: enrolled[i],
        })
        .collect())
}

/// Takes one child off the enrolled count of every day in `days` (a mask).
fn leave(spots: &mut [DaySpots], days: i64) {
    for s in spots.iter_mut() {
        if days & (1 << s.day.num_days_from_monday()) != 0 {
            s.enrolled = s.enrolled.saturating_sub(1);
        }
    }
}

/// `read_spots` as a reader sees them: without the registrations of executions still
/// RUNNING, nor the days a change still RUNNING holds (few rows, found by the
/// executions' status index and the pending changes' index).
fn settled_spots(db: &Db) -> Result<Vec<DaySpots>> {
    let mut spots = read_spots(db)?;
    db.for_each(
        "SELECT r.days FROM executions e JOIN registrations r ON r.execution_name = e.name \
         WHERE e.status = 'RUNNING' AND r.status = 'enrolled' \
         UNION ALL SELECT added FROM changes WHERE status = 'pending'",
        &[],
        |r| r.get::<i64>(0),
        |days| {
            leave(&mut spots, days);
            Ok::<(), StoreError>(())
        },
    )?;
    Ok(spots)
}

/// The spots as they will stand on `on` for a change made now: every child enrolled or
/// being enrolled counts, but not those whose withdrawal takes effect by then.
pub(super) fn spots_on(db: &Db, on: NaiveDate) -> Result<Vec<DaySpots>> {
    let mut spots = read_spots(db)?;
    for days in leaving_by(db, on)? {
        leave(&mut spots, days);
    }
    Ok(spots)
}

/// The requested days with no free spot on `on` and after, in week order.
pub(super) fn unavailable(db: &Db, days: &[Weekday], on: NaiveDate) -> Result<Vec<Weekday>> {
    let wanted = mask(days);
    Ok(spots_on(db, on)?
        .into_iter()
        .filter(|s| wanted & (1 << s.day.num_days_from_monday()) != 0 && s.available() == 0)
        .map(|s| s.day)
        .collect())
}

impl Store {
    /// Monday to Sunday, as a reader sees them: a half-finished registration (its
    /// execution still RUNNING) is not counted as enrolled, although it holds its spots
    /// for confirmation and `set_capacity` until its execution ends.
    pub fn spots(&self) -> Result<Vec<DaySpots>> {
        settled_spots(&self.db)
    }

    /// Sets one day's capacity, or every open day's when `day` is `None` (a closed day,
    /// capacity 0, opens only when it is named), and records it in the audit as done by
    /// `staff`. Refuses (changing nothing) when a day would go below its enrolled count.
    pub fn set_capacity(
        &mut self,
        day: Option<Weekday>,
        capacity: u32,
        staff: &str,
    ) -> Result<Vec<DaySpots>> {
        self.write(|db| {
            let spots = read_spots(db)?;
            let changed = |s: &&DaySpots| day.map_or(!s.closed(), |d| d == s.day);
            for s in spots.iter().filter(changed) {
                if s.enrolled > capacity {
                    return Err(StoreError::BelowEnrolled {
                        day: s.day,
                        enrolled: s.enrolled,
                        requested: capacity,
                    });
                }
            }
            match day {
                Some(d) => db.execute(
                    "UPDATE capacity SET spots = ?1 WHERE day = ?2",
                    params![capacity, d.num_days_from_monday()],
                )?,
                None => db.execute(
                    "UPDATE capacity SET spots = ?1 WHERE spots > 0",
                    params![capacity],
                )?,
            };
            let moved: Vec<&DaySpots> = spots
                .iter()
                .filter(changed)
                .filter(|s| s.capacity != capacity)
                .collect();
            if !moved.is_empty() {
                let values = |f: &dyn Fn(&DaySpots) -> u32| {
                    serde_json::Value::Object(
                        moved
                            .iter()
                            .map(|s| (crate::weekday::name(s.day).to_string(), f(s).into()))
                            .collect(),
                    )
                };
                let summary = moved
                    .iter()
                    .map(|s| {
                        format!(
                            "{}: {} → {}",
                            crate::weekday::name(s.day),
                            s.capacity,
                            super::counted(capacity, "spot", "spots")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                super::audit::record(
                    db,
                    &super::NewAuditEntry {
                        staff,
                        kind: super::AuditKind::Capacity,
                        registration_id: None,
                        waitlist_id: None,
                        child: None,
                        summary,
                        before: Some(values(&|s| s.capacity)),
                        after: Some(values(&|_| capacity)),
                        execution_name: None,
                    },
                )?;
            }
            settled_spots(db)
        })
    }

    /// The requested days that have no free spot (full or closed) for a child who
    /// would come from `on`.
    pub fn unavailable_days(&self, days: &[Weekday], on: NaiveDate) -> Result<Vec<Weekday>> {
        unavailable(&self.db, days, on)
    }

    /// Spots as a child starting on `on` would find them: the children whose withdrawal
    /// takes effect by then no longer count (see `spots_on`).
    pub fn spots_from(&self, on: NaiveDate) -> Result<Vec<DaySpots>> {
        spots_on(&self.db, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::on_both;

    #[test]
    fn a_new_database_has_twenty_spots_on_weekdays_and_is_closed_at_weekends() {
        on_both(|store| {
            let spots = store.spots().unwrap();
            assert_eq!(spots.len(), 7);
            assert!(
                spots[..5]
                    .iter()
                    .all(|s| s.capacity == 20 && s.enrolled == 0)
            );
            assert!(spots[5..].iter().all(DaySpots::closed));
            assert_eq!(
                store
                    .unavailable_days(&[Weekday::Mon, Weekday::Sat], chrono::NaiveDate::MIN)
                    .unwrap(),
                vec![Weekday::Sat]
            );
        });
    }

    #[test]
    fn capacity_can_be_set_for_one_day_or_all() {
        on_both(|store| {
            let spots = store.set_capacity(Some(Weekday::Wed), 3, "test").unwrap();
            assert_eq!(spots[2].capacity, 3);
            assert_eq!(spots[1].capacity, 20);
            let spots = store.set_capacity(None, 7, "test").unwrap();
            assert!(spots[..5].iter().all(|s| s.capacity == 7));
            assert!(
                spots[5..].iter().all(DaySpots::closed),
                "every day means every open day: the weekend stays closed"
            );
            let spots = store.set_capacity(Some(Weekday::Sat), 4, "test").unwrap();
            assert_eq!(spots[5].capacity, 4);
            assert_eq!(store.spots().unwrap(), spots);
            let filter = crate::store::AuditFilter {
                kind: Some(crate::store::AuditKind::Capacity),
                ..Default::default()
            };
            let audit = store.audit(&filter, 10).unwrap();
            assert_eq!(audit.len(), 3);
            assert_eq!(audit[0].summary, "Saturday: 0 → 4 spots");
            assert_eq!(audit[2].summary, "Wednesday: 20 → 3 spots");
        });
    }

    #[test]
    fn enrolled_counts_follow_registrations_in_and_out() {
        use crate::store::{Confirmation, NewRegistration};
        on_both(|store| {
            let summary = crate::workflow::ExecutionSummary::started("arn:m", "e", "{}".into());
            store.begin_execution(&summary, "{}", None).unwrap();
            let date = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
            let new = NewRegistration {
                first_name: "A".into(),
                last_name: "B".into(),
                date_of_birth: date,
                days: vec![Weekday::Mon, Weekday::Wed],
                age: 3,
                fees: 750,
                start_date: date,
                execution_name: "e".into(),
                document: "{}".into(),
            };
            let Confirmation::Confirmed(id) = store.confirm(&new).unwrap() else {
                panic!("not confirmed")
            };
            let enrolled = |s: &Store| {
                s.spots()
                    .unwrap()
                    .iter()
                    .map(|d| d.enrolled)
                    .collect::<Vec<_>>()
            };
            // Half-finished: not enrolled to a reader, but its spots are held.
            assert_eq!(enrolled(store), [0; 7]);
            assert_eq!(store.spots_from(date).unwrap()[2].enrolled, 1);
            let err = store
                .set_capacity(Some(Weekday::Wed), 0, "test")
                .unwrap_err();
            assert!(err.to_string().contains("1 child is enrolled"), "{err}");
            let mut done = summary.clone();
            done.status = crate::workflow::ExecutionStatus::Succeeded;
            done.stop_date = Some(chrono::Utc::now());
            let execution = crate::workflow::Execution {
                summary: done,
                events: Vec::new(),
            };
            store.finish_execution(&execution, Some(750)).unwrap();
            assert_eq!(enrolled(store), [1, 0, 1, 0, 0, 0, 0]);
            assert_eq!(
                store.withdraw_oldest(date, "moving", "test").unwrap(),
                Some(id)
            );
            assert_eq!(enrolled(store), [0; 7]);
        });
    }

    #[test]
    fn a_child_leaving_ahead_holds_spots_until_the_day() {
        use crate::store::{ChangeWhat, NewChange, NewRegistration, Proposal, document_version};
        use crate::workflow::{Execution, ExecutionStatus, ExecutionSummary};
        on_both(|store| {
            let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
            store.set_capacity(Some(Weekday::Tue), 1, "test").unwrap();
            let registration = NewRegistration {
                first_name: "A".into(),
                last_name: "B".into(),
                date_of_birth: day(1),
                days: vec![Weekday::Tue],
                age: 3,
                fees: 750,
                start_date: day(1),
                execution_name: "enrol".into(),
                document: "{}".into(),
            };
            let id = crate::store::testing::enrol(store, &registration, "{}");
            let mut summary = ExecutionSummary::started("arn:m", "leave", "{}".into());
            store.begin_execution(&summary, "{}", None).unwrap();
            let change = NewChange {
                execution_name: "leave".into(),
                registration_id: id,
                based_on: document_version("{}"),
                what: ChangeWhat::Withdraw {
                    on: day(20),
                    reason: "moving".into(),
                },
                today: day(4),
                staff: "test".into(),
                summary: "Leaves on 2026-05-20".into(),
                before: serde_json::json!({}),
                after: serde_json::json!({}),
            };
            assert_eq!(store.propose_change(&change).unwrap(), Proposal::Held);
            summary.status = ExecutionStatus::Succeeded;
            summary.stop_date = Some(summary.start_date);
            let execution = Execution {
                summary,
                events: Vec::new(),
            };
            store.finish_execution(&execution, None).unwrap();
            assert_eq!(store.spots_from(day(19)).unwrap()[1].enrolled, 1);
            assert_eq!(store.spots_from(day(20)).unwrap()[1].enrolled, 0);
            assert_eq!(
                store
                    .unavailable_days(&[Weekday::Mon, Weekday::Tue], day(19))
                    .unwrap(),
                vec![Weekday::Tue]
            );
            assert_eq!(
                store
                    .unavailable_days(&[Weekday::Mon, Weekday::Tue], day(20))
                    .unwrap(),
                Vec::<Weekday>::new()
            );
        });
    }

    #[test]
    fn masks_round_trip() {
        let days = vec![Weekday::Mon, Weekday::Thu, Weekday::Sun];
        assert_eq!(unmask(mask(&days)), days);
    }
}
