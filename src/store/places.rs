//! Where a row stands in the executions list: how many executions a filter lists, and
//! where the window holding row N starts, counted from whichever end of the list is
//! nearer, so the last rows are found as fast as the first. Reads only.

use rusqlite::types::Value;

use super::search::MATCHING_NAMES;
use super::{Cursor, ExecutionFilter, Result, Store};

/// A filter's conditions (without `WHERE`) and their parameters.
fn conditions(store: &Store, filter: &ExecutionFilter) -> Result<(String, Vec<Value>)> {
    let mut sql = String::from("1");
    let mut params = Vec::new();
    if let Some(names) = store.child_search(filter)? {
        sql.push_str(&format!(" AND child_folded IN ({MATCHING_NAMES})"));
        params.push(names);
    }
    if let Some(status) = filter.status {
        sql.push_str(" AND status = ?");
        params.push(Value::from(status.as_str().to_string()));
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
            (None, None) => self.db.sqlite()?.query_row(
                "SELECT coalesce(sum(n), 0) FROM execution_counts",
                [],
                |r| r.get(0),
            )?,
            (None, Some(status)) => self.db.sqlite()?.query_row(
                "SELECT coalesce(sum(n), 0) FROM execution_counts WHERE status = ?",
                [status.as_str()],
                |r| r.get(0),
            )?,
            (Some(_), _) => {
                let (sql, params) = conditions(self, filter)?;
                self.db
                    .sqlite()?
                    .prepare_cached(&format!("SELECT count(*) FROM executions WHERE {sql}"))?
                    .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?
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
        params.push(Value::from(i64::try_from(offset).unwrap_or(i64::MAX)));
        let mut stmt = self.db.sqlite()?.prepare_cached(&format!(
            "SELECT start_us, id FROM executions WHERE {sql} ORDER BY {order} LIMIT 1 OFFSET ?"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        match rows.next()? {
            Some(r) => Ok(Some(Cursor {
                key: (r.get(0)?, r.get(1)?),
            })),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{ExecutionFilter, Store};
    use crate::workflow::{ExecutionStatus, ExecutionSummary};

    #[test]
    fn the_window_at_any_row_starts_where_paging_would_reach_it() {
        let Ok(mut store) = Store::open_in_memory() else {
            panic!("store")
        };
        for i in 0..25 {
            let summary = ExecutionSummary::started("arn:m", &format!("run-{i:02}"), "{}".into());
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
    }
}
