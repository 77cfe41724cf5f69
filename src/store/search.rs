//! Executions listed newest first under a filter (status, part of the child's name), a
//! window at a time (keyset pagination) or handed over one by one, so a list of any
//! length is read in flat memory. A child search never reads every execution: it matches
//! the distinct folded names (`child_names`, a few per child), then reads only the runs
//! of the names that matched. How names are folded: `refold.rs`.

use rusqlite::Row;
use rusqlite::types::Value;

use super::executions::{from_micros, status_of};
use super::{Cursor, ExecutionFilter, ExecutionRow, Page, Result, Store, StoreError};
use crate::workflow::ExecutionStatus;

/// A child search gathers at most this many candidates from `executions_by_child`: the
/// newest runs of each matching name and status, a window's worth each. With more, the
/// matches are at least this many in every `total / this` executions, so walking all
/// executions newest first meets a window of them soon.
const CANDIDATES_AT_MOST: usize = 10_000;

const COLUMNS: &str =
    "name, status, start_us, stop_us, child, fees, error, id, execution_arn, state_machine_arn";
const ORDER: &str = "ORDER BY start_us DESC, id DESC";

/// The names a search matched, bound as one JSON array of strings (`names_json`).
pub(super) const MATCHING_NAMES: &str = "SELECT value FROM json_each(?)";

/// An execution's row in a list, and its key in the start-date order.
fn row(r: &Row<'_>) -> rusqlite::Result<(ExecutionRow, (i64, i64))> {
    let status: String = r.get(1)?;
    let stop: Option<i64> = r.get(3)?;
    Ok((
        ExecutionRow {
            name: r.get(0)?,
            status: status_of(&status),
            start_date: from_micros(r.get(2)?),
            stop_date: stop.map(from_micros),
            child: r.get(4)?,
            fees: r.get(5)?,
            error: r.get(6)?,
        },
        (r.get(2)?, r.get(7)?),
    ))
}

/// An execution as ListExecutions lists it: its ARNs, then its row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedExecution {
    pub execution_arn: String,
    pub state_machine_arn: String,
    #[serde(flatten)]
    pub row: ExecutionRow,
}

/// A row of `COLUMNS` with its ARNs.
fn listed_row(r: &Row<'_>) -> rusqlite::Result<(ListedExecution, (i64, i64))> {
    let (row, key) = row(r)?;
    let listed = ListedExecution {
        execution_arn: r.get(8)?,
        state_machine_arn: r.get(9)?,
        row,
    };
    Ok((listed, key))
}

impl Store {
    /// A window of executions, newest first (keyset pagination).
    pub fn executions(
        &self,
        filter: &ExecutionFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page> {
        let mut rows = Vec::new();
        self.visit_executions(filter, after, limit.saturating_add(1), |listed, key| {
            rows.push((listed.row, key));
            Ok::<_, StoreError>(())
        })?;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|&(_, key)| Cursor { key })
        } else {
            None
        };
        Ok(Page {
            rows: rows.into_iter().map(|(r, _)| r).collect(),
            next,
        })
    }

    /// At most `limit` executions, newest first, each handed to `visit` as it is read:
    /// the list is never held whole, whatever its length. Stops at `visit`'s first error.
    pub fn for_each_execution<E: From<StoreError>>(
        &self,
        filter: &ExecutionFilter,
        limit: usize,
        mut visit: impl FnMut(ExecutionRow) -> Result<(), E>,
    ) -> Result<(), E> {
        self.visit_executions(filter, None, limit, |listed, _| visit(listed.row))
    }

    /// As `for_each_execution`, each execution with its ARNs (the ListExecutions shape).
    pub fn for_each_listed_execution<E: From<StoreError>>(
        &self,
        filter: &ExecutionFilter,
        limit: usize,
        mut visit: impl FnMut(ListedExecution) -> Result<(), E>,
    ) -> Result<(), E> {
        self.visit_executions(filter, None, limit, |listed, _| visit(listed))
    }

    fn visit_executions<E: From<StoreError>>(
        &self,
        filter: &ExecutionFilter,
        after: Option<&Cursor>,
        limit: usize,
        mut visit: impl FnMut(ListedExecution, (i64, i64)) -> Result<(), E>,
    ) -> Result<(), E> {
        let (conditions, mut params) = conditions(filter, after);
        let child = filter
            .child
            .as_deref()
            .map(crate::text::search_key)
            .filter(|c| !c.is_empty());
        let sql = match child {
            None => format!("SELECT {COLUMNS} FROM executions WHERE 1{conditions} {ORDER} LIMIT ?"),
            Some(_) if limit == 0 => return Ok(()),
            Some(child) => {
                let names = self.matching_names(&child)?;
                if names.is_empty() {
                    return Ok(());
                }
                // The candidates and their rows are read in one snapshot.
                let _snapshot = Snapshot::take(self.db.sqlite()?)?;
                if let Some(newest) = self.newest_of(&names, filter.status, after, limit)? {
                    for id in newest {
                        let (row, key) = self.listed(id)?;
                        visit(row, key)?;
                    }
                    return Ok(());
                }
                // `+` keeps the name test off the child index: walk by start date (or by
                // status and start date) and keep the rows whose name matched.
                let names = serde_json::to_string(&names)
                    .map_err(|e| StoreError::Other(format!("cannot search by child: {e}")))?;
                params.insert(0, Value::from(names));
                format!(
                    "SELECT {COLUMNS} FROM executions WHERE +child_folded IN ({MATCHING_NAMES})\
                     {conditions} {ORDER} LIMIT ?"
                )
            }
        };
        params.push(Value::from(i64::try_from(limit).unwrap_or(i64::MAX)));
        self.stream(&sql, params, visit)
    }

    /// Runs a listing's statement, handing each row to `visit` as it is read.
    fn stream<E: From<StoreError>>(
        &self,
        sql: &str,
        params: Vec<Value>,
        mut visit: impl FnMut(ListedExecution, (i64, i64)) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .db
            .sqlite()?
            .prepare_cached(sql)
            .map_err(StoreError::from)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let (listed, key) = listed_row(r).map_err(StoreError::from)?;
            visit(listed, key)?;
        }
        Ok(())
    }

    /// The child search of `filter`, if it has one: the distinct folded names it
    /// matches, as the one parameter of `MATCHING_NAMES`.
    pub(super) fn child_search(&self, filter: &ExecutionFilter) -> Result<Option<Value>> {
        match filter.child.as_deref().map(crate::text::search_key) {
            Some(key) if !key.is_empty() => Ok(Some(names_json(&self.matching_names(&key)?)?)),
            _ => Ok(None),
        }
    }

    /// The distinct folded names whose search key holds `key` (a `text::search_key`): the
    /// names are few, a handful per child, and compared here rather than in SQL so that
    /// accents are ignored as `search_key` ignores them.
    fn matching_names(&self, key: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .db
            .sqlite()?
            .prepare_cached("SELECT folded FROM child_names")?;
        let mut rows = stmt.query([])?;
        let mut names = Vec::new();
        while let Some(row) = rows.next()? {
            let name: String = row.get(0)?;
            if crate::text::search_key(&name).contains(key) {
                names.push(name);
            }
        }
        Ok(names)
    }

    /// The ids of the newest `limit` executions of these names (with this status, older
    /// than `after`), newest first, read from `executions_by_child` alone: the newest
    /// `limit` of each name and status, merged. `None` when that would gather more than
    /// `CANDIDATES_AT_MOST`.
    fn newest_of(
        &self,
        names: &[String],
        status: Option<ExecutionStatus>,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Option<Vec<i64>>> {
        let statuses: Vec<String> = match status {
            Some(status) => vec![status.as_str().to_string()],
            None => self.statuses()?,
        };
        let (before, mut params) = match after {
            Some(c) => (
                " AND (start_us, id) < (?, ?)",
                vec![Value::from(c.key.0), Value::from(c.key.1)],
            ),
            None => ("", Vec::new()),
        };
        params.push(Value::from(i64::try_from(limit).unwrap_or(i64::MAX)));
        let mut stmt = self.db.sqlite()?.prepare_cached(&format!(
            "SELECT start_us, id FROM executions INDEXED BY executions_by_child \
             WHERE child_folded = ? AND status = ?{before} {ORDER} LIMIT ?"
        ))?;
        let mut candidates: Vec<(i64, i64)> = Vec::new();
        for name in names {
            for status in &statuses {
                let head = [Value::from(name.clone()), Value::from(status.clone())];
                let bound = head.iter().chain(&params);
                let mut rows = stmt.query(rusqlite::params_from_iter(bound))?;
                while let Some(r) = rows.next()? {
                    candidates.push((r.get(0)?, r.get(1)?));
                }
                if candidates.len() > CANDIDATES_AT_MOST {
                    return Ok(None);
                }
            }
        }
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        candidates.truncate(limit);
        Ok(Some(candidates.into_iter().map(|(_, id)| id).collect()))
    }

    /// Every status some execution has (the counters the dashboard reads).
    fn statuses(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .db
            .sqlite()?
            .prepare_cached("SELECT status FROM execution_counts WHERE n > 0")?;
        let statuses = stmt.query_map([], |r| r.get(0))?;
        Ok(statuses.collect::<rusqlite::Result<_>>()?)
    }

    /// One execution's row in a list, by id.
    fn listed(&self, id: i64) -> Result<(ListedExecution, (i64, i64))> {
        let sql = format!("SELECT {COLUMNS} FROM executions WHERE id = ?");
        Ok(self
            .db
            .sqlite()?
            .prepare_cached(&sql)?
            .query_row([id], listed_row)?)
    }
}

/// Reads that see one state of the database: a savepoint (inside a transaction already
/// open, or starting one), released when dropped. It writes nothing.
struct Snapshot<'a>(&'a rusqlite::Connection);

impl<'a> Snapshot<'a> {
    fn take(conn: &'a rusqlite::Connection) -> Result<Snapshot<'a>> {
        conn.execute_batch("SAVEPOINT listing")?;
        Ok(Snapshot(conn))
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.execute_batch("RELEASE listing") {
            tracing::warn!("a listing's read snapshot could not be released: {e}");
        }
    }
}

/// The conditions of a listing besides the child's name, and their parameters.
/// Names as the JSON array `MATCHING_NAMES` reads.
fn names_json(names: &[String]) -> Result<Value> {
    serde_json::to_string(names)
        .map(Value::from)
        .map_err(|e| StoreError::Other(format!("cannot search by child: {e}")))
}

fn conditions(filter: &ExecutionFilter, after: Option<&Cursor>) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(status) = filter.status {
        sql.push_str(" AND status = ?");
        params.push(Value::from(status.as_str().to_string()));
    }
    if let Some(cursor) = after {
        sql.push_str(" AND (start_us, id) < (?, ?)");
        params.push(Value::from(cursor.key.0));
        params.push(Value::from(cursor.key.1));
    }
    (sql, params)
}
