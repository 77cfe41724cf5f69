//! A day's executions counted by status, for the dashboard: exact, one query, each
//! status counted on the `executions_by_status` index (never a scan of the table).
//! A day is the local calendar day; its bounds are worked out here, once.

use chrono::{DateTime, Days, Local, NaiveDate, NaiveTime, Utc};

use super::sql::params;
use super::{ExecutionCounts, Result, Store, StoreError};
use crate::workflow::ExecutionStatus;

/// Counts one status's executions started in `[?1, ?2)`, for every status ever recorded
/// (`execution_counts` holds one row per status): a covering index range per status.
const COUNT_BETWEEN: &str = "SELECT c.status, \
     (SELECT count(*) FROM executions e \
      WHERE e.status = c.status AND e.start_us >= ?1 AND e.start_us < ?2) \
     FROM execution_counts c";

/// The instants a local calendar day starts and ends: `[start, end)`. A midnight that a
/// clock change skips counts from the first instant after it.
fn day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let at_midnight = |d: NaiveDate| {
        d.and_time(NaiveTime::MIN)
            .and_local_timezone(Local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| d.and_time(NaiveTime::MIN).and_utc())
    };
    (at_midnight(day), at_midnight(day + Days::new(1)))
}

impl Store {
    /// The executions started on local calendar day `day`, by status (see `day_bounds`).
    pub fn counts_on(&self, day: NaiveDate) -> Result<ExecutionCounts> {
        let (start, end) = day_bounds(day);
        self.counts_between(start, end)
    }

    /// The executions started in `[start, end)`, by status. Timed-out and aborted runs
    /// count as failed, as in `execution_counts`.
    fn counts_between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<ExecutionCounts> {
        let mut counts = ExecutionCounts::default();
        self.db.for_each(
            COUNT_BETWEEN,
            params![start.timestamp_micros(), end.timestamp_micros()],
            |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)),
            |(status, n)| {
                let n = u64::try_from(n).unwrap_or(0);
                counts.total += n;
                match ExecutionStatus::parse(&status) {
                    Some(ExecutionStatus::Succeeded) => counts.succeeded += n,
                    Some(ExecutionStatus::Running) => counts.running += n,
                    _ => counts.failed += n,
                }
                Ok::<(), StoreError>(())
            },
        )?;
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::store::testing::on_both;
    use crate::workflow::{Execution, ExecutionSummary};

    fn run(store: &mut Store, name: &str, at: DateTime<Utc>, status: ExecutionStatus) {
        let mut summary = ExecutionSummary::started("arn:m", name, "{}".into());
        summary.start_date = at;
        store.begin_execution(&summary, "{}", None).unwrap();
        if status != ExecutionStatus::Running {
            summary.status = status;
            summary.stop_date = Some(at + TimeDelta::milliseconds(5));
            let execution = Execution {
                summary,
                events: Vec::new(),
            };
            store.finish_execution(&execution, None).unwrap();
        }
    }

    #[test]
    fn a_day_counts_exactly_the_runs_started_within_it() {
        on_both(|store| {
            let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
            let (start, end) = day_bounds(day);
            let just = TimeDelta::microseconds(1);
            run(store, "yesterday", start - just, ExecutionStatus::Succeeded);
            run(store, "first", start, ExecutionStatus::Succeeded);
            run(
                store,
                "noon",
                start + TimeDelta::hours(12),
                ExecutionStatus::Failed,
            );
            run(store, "late", end - just, ExecutionStatus::TimedOut);
            run(
                store,
                "going",
                start + TimeDelta::hours(1),
                ExecutionStatus::Running,
            );
            run(store, "tomorrow", end, ExecutionStatus::Failed);
            let today = store.counts_on(day).unwrap();
            assert_eq!(
                today,
                ExecutionCounts {
                    total: 4,
                    succeeded: 1,
                    failed: 2,
                    running: 1,
                }
            );
            let next = store.counts_on(day + Days::new(1)).unwrap();
            assert_eq!((next.total, next.failed), (1, 1));
        });
    }

    #[test]
    fn a_busy_day_is_counted_in_full() {
        on_both(|store| {
            let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
            let (start, _) = day_bounds(day);
            for i in 0..2_500 {
                let at = start + TimeDelta::seconds(i);
                run(store, &format!("r{i}"), at, ExecutionStatus::Succeeded);
            }
            assert_eq!(store.counts_on(day).unwrap().succeeded, 2_500);
        });
    }

    #[test]
    fn each_status_is_counted_on_its_index() {
        let store = Store::open_in_memory().unwrap();
        let mut stmt = store
            .db
            .sqlite()
            .unwrap()
            .prepare(&format!("EXPLAIN QUERY PLAN {COUNT_BETWEEN}"))
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map((0, 1), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("COVERING INDEX executions_by_status")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step == "SCAN e"),
            "the executions table is never scanned: {plan:?}"
        );
    }
}
