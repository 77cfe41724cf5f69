//! Where a row stands in the executions list: how many executions a filter lists, and
//! where the window holding row N starts, counted from whichever end of the list is
//! nearer, so the last rows are found as fast as the first. Reads only.

use super::search::MATCHING_NAMES;
use super::sql::{Param, params};
use super::{Cursor, ExecutionFilter, Result, Store};

/// A filter's conditions (without `WHERE`) and their parameters.
fn conditions(store: &Store, filter: &ExecutionFilter) -> Result<(String, Vec<Param<'static>>)> {
    let mut sql = String::from("true");
    let mut params = Vec::new();
    if let Some(names) = store.child_search(filter)? {
        let matching = store.db.text_of(&MATCHING_NAMES);
        sql.push_str(&format!(" AND child_folded IN ({matching})"));
        params.push(names);
    }
    if let Some(status) = filter.status {
        sql.push_str(" AND status = ?");
        params.push(Param::from(status.as_str()));
    }
    Ok((sql, params))
}

impl Store {
    /// How many executions `filter` lists. Without a child's name, read from the
    /// per-status counters; with one, counted on the child index.
    pub fn count_executions(&self, filter: &ExecutionFilter) -> Result<u64> {
        let child = filter
            .child
            .as_deref()
            .map(crate::text::search_key)
            .filter(|c| !c.is_empty());
        let n: i64 = match (child, filter.status) {
            (None, None) => self.db.query_one(
                "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM execution_counts",
                &[],
                |r| r.get::<i64>(0),
            )?,
            (None, Some(status)) => self.db.query_one(
                "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM execution_counts \
                 WHERE status = ?",
                params![status.as_str()],
                |r| r.get::<i64>(0),
            )?,
            (Some(_), _) => {
                let (sql, params) = conditions(self, filter)?;
                self.db.query_one(
                    &format!("SELECT count(*) FROM executions WHERE {sql}"),
                    &params,
                    |r| r.get::<i64>(0),
                )?
            }
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Where the listing of `filter` (newest first) that begins at row `row` (0 = the
    /// newest) starts: the cursor to pass to `executions`. `None` for the first row or
    /// past the end. Counts from the nearer end of the list.
    pub fn execution_cursor(&self, filter: &ExecutionFilter, row: u64) -> Result<Option<Cursor>> {
        let total = self.count_executions(filter)?;
        if row == 0 || row >= total {
            return Ok(None);
        }
        // The key of row `row - 1`, newest first.
        let (order, offset) = if row - 1 < total / 2 {
            ("start_us DESC, id DESC", row - 1)
        } else {
            ("start_us ASC, id ASC", total - row)
        };
        let (sql, mut params) = conditions(self, filter)?;
        params.push(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let key = self.db.query_opt(
            &format!(
                "SELECT start_us, id FROM executions WHERE {sql} ORDER BY {order} LIMIT 1 OFFSET ?"
            ),
            &params,
            |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)),
        )?;
        Ok(key.map(|key| Cursor { key }))
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::on_both;
    use crate::store::{ExecutionFilter, Store};
    use crate::workflow::{ExecutionStatus, ExecutionSummary};

    /// Every row from 1 on is where paging `filter` one row at a time would reach it.
    fn each_window_starts_where_paging_reaches_it(store: &Store, filter: &ExecutionFilter) {
        let Ok(total) = store.count_executions(filter) else {
            panic!("counted")
        };
        let Ok(listed) = store.executions(filter, None, 100) else {
            panic!("listed")
        };
        assert_eq!(listed.rows.len() as u64, total);
        for row in 1..total {
            let Ok(Some(cursor)) = store.execution_cursor(filter, row) else {
                panic!("a cursor for row {row}")
            };
            let Ok(page) = store.executions(filter, Some(&cursor), 1) else {
                panic!("read")
            };
            assert_eq!(
                page.rows[0].name, listed.rows[row as usize].name,
                "row {row}"
            );
        }
        assert!(matches!(store.execution_cursor(filter, 0), Ok(None)));
        assert!(matches!(store.execution_cursor(filter, total), Ok(None)));
    }

    #[test]
    fn the_window_at_any_row_starts_where_paging_would_reach_it() {
        on_both(|store| {
            for i in 0..25 {
                let summary =
                    ExecutionSummary::started("arn:m", &format!("run-{i:02}"), "{}".into());
                let Ok(()) = store.begin_execution(&summary, "{}", None) else {
                    panic!("begun")
                };
            }
            let all = ExecutionFilter::default();
            assert_eq!(store.count_executions(&all).ok(), Some(25));
            let running = ExecutionFilter {
                status: Some(ExecutionStatus::Running),
                child: None,
            };
            assert_eq!(store.count_executions(&running).ok(), Some(25));
            let Ok(listed) = store.executions(&all, None, 25) else {
                panic!("listed")
            };
            for row in [3u64, 12, 13, 20, 24] {
                let Ok(Some(cursor)) = store.execution_cursor(&all, row) else {
                    panic!("a cursor for row {row}")
                };
                let Ok(page) = store.executions(&all, Some(&cursor), 1) else {
                    panic!("read")
                };
                assert_eq!(
                    page.rows[0].name, listed.rows[row as usize].name,
                    "row {row}"
                );
            }
            assert!(matches!(store.execution_cursor(&all, 0), Ok(None)));
            assert!(matches!(store.execution_cursor(&all, 25), Ok(None)));
        });
    }

    #[test]
    fn a_child_s_runs_are_counted_and_placed_by_name_and_status() {
        on_both(|store| {
            for i in 0..12 {
                let child = if i % 3 == 0 { "Zoé Ödön" } else { "Ben Lee" };
                let mut summary =
                    ExecutionSummary::started("arn:m", &format!("run-{i:02}"), "{}".into());
                let Ok(()) = store.begin_execution(&summary, "{}", Some(child)) else {
                    panic!("begun")
                };
                if i % 2 == 0 {
                    summary.status = ExecutionStatus::Succeeded;
                    crate::store::testing::end(store, summary, None);
                }
            }
            let by = |child: &str, status| ExecutionFilter {
                status,
                child: Some(child.into()),
            };
            let count = |filter: &ExecutionFilter| store.count_executions(filter).ok();
            // Accents and case aside, part of the name.
            assert_eq!(count(&by("zoe", None)), Some(4));
            assert_eq!(count(&by("ODON", None)), Some(4));
            assert_eq!(count(&by("e", None)), Some(12));
            assert_eq!(count(&by("nobody", None)), Some(0));
            assert_eq!(count(&by("zoe", Some(ExecutionStatus::Succeeded))), Some(2));
            assert_eq!(count(&by("lee", Some(ExecutionStatus::Running))), Some(4));
            let succeeded = ExecutionFilter {
                status: Some(ExecutionStatus::Succeeded),
                child: None,
            };
            assert_eq!(count(&succeeded), Some(6));
            each_window_starts_where_paging_reaches_it(store, &by("lee", None));
            each_window_starts_where_paging_reaches_it(
                store,
                &by("e", Some(ExecutionStatus::Succeeded)),
            );
            each_window_starts_where_paging_reaches_it(store, &succeeded);
            assert!(matches!(
                store.execution_cursor(&by("nobody", None), 1),
                Ok(None)
            ));
        });
    }
}
