//! Executions listed newest first under a filter (status, part of the child's name), a
//! window at a time (keyset pagination) or handed over one by one, so a list of any
//! length is read in flat memory. A child search never reads every execution: it matches
//! the distinct folded names (`child_names`, a few per child), then reads only the runs
//! of the names that matched. How names are folded: `refold.rs`.
//!
//! The statements are the same on both engines but for what SQLite is told about its
//! indexes (`INDEXED BY`, a `+` that keeps a column off one) and how a JSON array of
//! names is read (`json_each` there, `json_array_elements_text` on PostgreSQL).

use super::sql::Twin;

use super::executions::{from_micros, status_of};
use super::sql::{Db, Param, Row, params};
use super::{BatchState, Cursor, ExecutionFilter, ExecutionRow, Page, Result, Store, StoreError};
use crate::workflow::ExecutionStatus;

/// A child search gathers at most this many candidates from `executions_by_child`: the
/// newest runs of each matching name and status, a window's worth each. With more, the
/// matches are at least this many in every `total / this` executions, so walking all
/// executions newest first meets a window of them soon.
const CANDIDATES_AT_MOST: usize = 10_000;

const COLUMNS: &str =
    "name, status, start_us, stop_us, child, fees, error, id, execution_arn, state_machine_arn";
const ORDER: &str = "ORDER BY start_us DESC, id DESC";

/// The names a child search matched, bound as one JSON array of strings (the parameter
/// `Store::child_search` gives). The two engines unpack a JSON array with functions of
/// their own: SQLite's `json_each` table, PostgreSQL's `json_array_elements_text` (the
/// parameter sent as text, which the server reads as JSON).
pub(super) const MATCHING_NAMES: Twin = Twin {
    sqlite: "SELECT value FROM json_each(?)",
    postgres: "SELECT value FROM json_array_elements_text(CAST(CAST(? AS TEXT) AS JSON))",
};

/// An execution's row in a list, and its key in the start-date order.
fn row(r: &Row<'_>) -> Result<(ExecutionRow, (i64, i64))> {
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
fn listed_row(r: &Row<'_>) -> Result<(ListedExecution, (i64, i64))> {
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
            None => {
                format!("SELECT {COLUMNS} FROM executions WHERE true{conditions} {ORDER} LIMIT ?")
            }
            Some(_) if limit == 0 => return Ok(()),
            Some(child) => {
                let names = self.matching_names(&child)?;
                if names.is_empty() {
                    return Ok(());
                }
                // The candidates and their rows are read in one snapshot.
                let _snapshot = Snapshot::take(self)?;
                if let Some(newest) = self.newest_of(&names, filter.status, after, limit)? {
                    for id in newest {
                        let (row, key) = self.listed(id)?;
                        visit(row, key)?;
                    }
                    return Ok(());
                }
                params.insert(0, Param::from(names_json(&names)?));
                let (sqlite_names, postgres_names) =
                    (MATCHING_NAMES.sqlite, MATCHING_NAMES.postgres);
                match self.db {
                    // `+` keeps the name test off the child index: walk by start date (or
                    // by status and start date) and keep the rows whose name matched.
                    Db::Sqlite(_) => format!(
                        "SELECT {COLUMNS} FROM executions WHERE +child_folded IN ({sqlite_names})\
                         {conditions} {ORDER} LIMIT ?"
                    ),
                    // PostgreSQL takes no such hint; its planner walks by start date for
                    // a small window and hashes the names over one scan for a large one.
                    Db::Postgres(_) => format!(
                        "SELECT {COLUMNS} FROM executions \
                         WHERE child_folded IN ({postgres_names})\
                         {conditions} {ORDER} LIMIT ?"
                    ),
                }
            }
        };
        params.push(Param::from(i64::try_from(limit).unwrap_or(i64::MAX)));
        self.db
            .for_each(&sql, &params, listed_row, |(listed, key)| {
                visit(listed, key)
            })
    }

    /// The child search of `filter`, if it has one: the distinct folded names it
    /// matches, as the one parameter of `MATCHING_NAMES`.
    pub(super) fn child_search(&self, filter: &ExecutionFilter) -> Result<Option<Param<'static>>> {
        match filter.child.as_deref().map(crate::text::search_key) {
            Some(key) if !key.is_empty() => {
                Ok(Some(Param::from(names_json(&self.matching_names(&key)?)?)))
            }
            _ => Ok(None),
        }
    }

    /// The distinct folded names whose search key holds `key` (a `text::search_key`): the
    /// names are few, a handful per child, and compared here rather than in SQL so that
    /// accents are ignored as `search_key` ignores them.
    fn matching_names(&self, key: &str) -> Result<Vec<String>> {
        let mut names = Vec::new();
        self.db.for_each(
            "SELECT folded FROM child_names",
            &[],
            |r| r.get::<String>(0),
            |name| {
                if crate::text::search_key(&name).contains(key) {
                    names.push(name);
                }
                Ok::<(), StoreError>(())
            },
        )?;
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
        let before = match after {
            Some(_) => " AND (start_us, id) < (?, ?)",
            None => "",
        };
        let sql = match self.db {
            // Told the index: SQLite would otherwise walk by start date.
            Db::Sqlite(_) => format!(
                "SELECT start_us, id FROM executions INDEXED BY executions_by_child \
                 WHERE child_folded = ? AND status = ?{before} {ORDER} LIMIT ?"
            ),
            Db::Postgres(_) => format!(
                "SELECT start_us, id FROM executions \
                 WHERE child_folded = ? AND status = ?{before} {ORDER} LIMIT ?"
            ),
        };
        let limit_param = Param::from(i64::try_from(limit).unwrap_or(i64::MAX));
        let mut candidates: Vec<(i64, i64)> = Vec::new();
        for name in names {
            for status in &statuses {
                let mut bound = vec![Param::from(name), Param::from(status)];
                if let Some(c) = after {
                    bound.extend([Param::from(c.key.0), Param::from(c.key.1)]);
                }
                bound.push(limit_param.clone());
                self.db.for_each(
                    &sql,
                    &bound,
                    |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)),
                    |key| {
                        candidates.push(key);
                        Ok::<(), StoreError>(())
                    },
                )?;
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
        self.db.query_vec(
            "SELECT status FROM execution_counts WHERE n > 0",
            &[],
            |r| r.get::<String>(0),
        )
    }

    /// One execution's row in a list, by id.
    fn listed(&self, id: i64) -> Result<(ListedExecution, (i64, i64))> {
        let sql = format!("SELECT {COLUMNS} FROM executions WHERE id = ?");
        self.db.query_one(&sql, params![id], listed_row)
    }
}

/// Reads that see one state of the database, until dropped; it writes nothing. On
/// SQLite a savepoint (inside a transaction already open, or starting one). On
/// PostgreSQL a read-only repeatable-read transaction, or nothing inside the open batch:
/// the batch holds the writer lock, so no other write comes between its reads.
struct Snapshot<'a> {
    db: &'a Db,
    /// What ends it, if anything was begun.
    end: Option<&'static str>,
}

impl<'a> Snapshot<'a> {
    fn take(store: &'a Store) -> Result<Snapshot<'a>> {
        let (begin, end) = match store.db {
            Db::Sqlite(_) => ("SAVEPOINT listing", "RELEASE listing"),
            Db::Postgres(_) if matches!(store.batch, Some(BatchState::Open)) => {
                return Ok(Snapshot {
                    db: &store.db,
                    end: None,
                });
            }
            Db::Postgres(_) => ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "COMMIT"),
        };
        store.db.batch(begin)?;
        Ok(Snapshot {
            db: &store.db,
            end: Some(end),
        })
    }
}

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        if let Some(end) = self.end
            && let Err(e) = self.db.batch(end)
        {
            tracing::warn!("a listing's read snapshot could not be released: {e}");
        }
    }
}

/// Names as the JSON array `MATCHING_NAMES` reads.
fn names_json(names: &[String]) -> Result<String> {
    serde_json::to_string(names)
        .map_err(|e| StoreError::Other(format!("cannot search by child: {e}")))
}

/// The conditions of a listing besides the child's name, and their parameters.
fn conditions(filter: &ExecutionFilter, after: Option<&Cursor>) -> (String, Vec<Param<'static>>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(status) = filter.status {
        sql.push_str(" AND status = ?");
        params.push(Param::from(status.as_str()));
    }
    if let Some(cursor) = after {
        sql.push_str(" AND (start_us, id) < (?, ?)");
        params.push(Param::from(cursor.key.0));
        params.push(Param::from(cursor.key.1));
    }
    (sql, params)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, Utc};

    use super::*;
    use crate::store::Batch;
    use crate::store::refold::fold;
    use crate::store::testing::on_both;
    use crate::workflow::{Execution, ExecutionSummary};

    fn base() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default()
    }

    /// Run `name`, started `i / 2` seconds after `base` (two runs share each start, so
    /// ties are broken by id), ended with `status` unless it is still running.
    fn record(store: &mut Store, i: i64, child: Option<&str>, status: ExecutionStatus) {
        let mut summary = ExecutionSummary::started("arn:m", &format!("run-{i}"), "{}".into());
        summary.execution_arn = format!("arn:e:run-{i}");
        summary.start_date = base() + TimeDelta::seconds(i / 2);
        store.begin_execution(&summary, "{}", child).unwrap();
        if status != ExecutionStatus::Running {
            summary.status = status;
            summary.stop_date = Some(summary.start_date + TimeDelta::seconds(1));
            let done = Execution {
                summary,
                events: Vec::new(),
            };
            store.finish_execution(&done, Some(10)).unwrap();
        }
    }

    const CHILDREN: [Option<&str>; 4] = [
        Some("Zoë Diallo"),
        Some("Léa Martin"),
        Some("Awa Diallo"),
        None,
    ];
    const STATUSES: [ExecutionStatus; 3] = [
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::Running,
    ];

    /// 24 runs, each child and status in turn.
    fn some_runs(store: &mut Store) {
        for i in 0..24 {
            record(store, i, CHILDREN[i as usize % 4], STATUSES[i as usize % 3]);
        }
    }

    /// The runs of `some_runs` that `filter` lists, newest first.
    fn expected(filter: &ExecutionFilter) -> Vec<String> {
        let key = filter.child.as_deref().map(crate::text::search_key);
        (0..24usize)
            .rev()
            .filter(|&i| filter.status.is_none_or(|s| s == STATUSES[i % 3]))
            .filter(|&i| match key.as_deref() {
                None | Some("") => true,
                Some(key) => {
                    CHILDREN[i % 4].is_some_and(|c| crate::text::search_key(c).contains(key))
                }
            })
            .map(|i| format!("run-{i}"))
            .collect()
    }

    /// Every page of a listing, `limit` at a time.
    fn paged(store: &Store, filter: &ExecutionFilter, limit: usize) -> Vec<String> {
        let mut names = Vec::new();
        let mut after = None;
        loop {
            let page = store.executions(filter, after.as_ref(), limit).unwrap();
            assert!(page.rows.len() <= limit);
            names.extend(page.rows.into_iter().map(|r| r.name));
            match page.next {
                Some(next) => after = Some(next),
                None => return names,
            }
        }
    }

    fn streamed(store: &Store, filter: &ExecutionFilter, limit: usize) -> Vec<String> {
        let mut names = Vec::new();
        store
            .for_each_execution(filter, limit, |row| {
                names.push(row.name);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        names
    }

    fn filters() -> Vec<ExecutionFilter> {
        let mut filters = Vec::new();
        for child in [
            None,
            Some(""),
            Some("diallo"),
            Some("LEA"),
            Some("zoe"),
            Some("x"),
        ] {
            for status in [
                None,
                Some(ExecutionStatus::Failed),
                Some(ExecutionStatus::Running),
            ] {
                filters.push(ExecutionFilter {
                    status,
                    child: child.map(str::to_string),
                });
            }
        }
        filters
    }

    #[test]
    fn a_listing_pages_and_streams_newest_first_under_its_filter() {
        on_both(|store| {
            some_runs(store);
            for filter in filters() {
                let all = expected(&filter);
                for limit in [1, 5, 100] {
                    assert_eq!(paged(store, &filter, limit), all, "{filter:?}, {limit}");
                    let first: Vec<String> = all.iter().take(limit).cloned().collect();
                    assert_eq!(streamed(store, &filter, limit), first, "{filter:?}");
                }
                assert!(streamed(store, &filter, 0).is_empty());
            }
            let diallo = ExecutionFilter {
                child: Some("diallo".into()),
                ..Default::default()
            };
            assert_eq!(expected(&diallo).len(), 12);
        });
    }

    #[test]
    fn a_listed_execution_carries_its_row_and_its_arns() {
        on_both(|store| {
            some_runs(store);
            // run-21 (Léa Martin) is the newest to succeed, run-18 (Awa Diallo) the one before.
            for (child, i, name) in [(None, 21, "Léa Martin"), (Some("awa"), 18, "Awa Diallo")] {
                let filter = ExecutionFilter {
                    status: Some(ExecutionStatus::Succeeded),
                    child: child.map(str::to_string),
                };
                let mut listed = Vec::new();
                store
                    .for_each_listed_execution(&filter, 1, |l| {
                        listed.push(l);
                        Ok::<_, StoreError>(())
                    })
                    .unwrap();
                let [one] = listed.as_slice() else {
                    panic!("one listed: {listed:?}")
                };
                assert_eq!(one.execution_arn, format!("arn:e:run-{i}"));
                assert_eq!(one.state_machine_arn, "arn:m");
                assert_eq!(one.row.name, format!("run-{i}"));
                assert_eq!(one.row.status, ExecutionStatus::Succeeded);
                assert_eq!(one.row.child.as_deref(), Some(name));
                assert_eq!(one.row.fees, Some(10));
                assert_eq!(one.row.error, None);
                let start = base() + TimeDelta::seconds(i / 2);
                assert_eq!(one.row.start_date, start);
                assert_eq!(one.row.stop_date, Some(start + TimeDelta::seconds(1)));
            }
        });
    }

    #[test]
    fn a_child_search_inside_a_batch_sees_what_the_batch_wrote() {
        on_both(|store| {
            let store =
                std::sync::Mutex::new(std::mem::replace(store, Store::open_in_memory().unwrap()));
            let on = || store.lock().unwrap();
            let batch = Batch::begin(&store).unwrap();
            some_runs(&mut on());
            let diallo = ExecutionFilter {
                child: Some("diallo".into()),
                ..Default::default()
            };
            // Finished runs are written at once; running ones when the batch commits.
            let finished: Vec<String> = expected(&diallo)
                .into_iter()
                .filter(|n| n.trim_start_matches("run-").parse::<usize>().unwrap() % 3 != 2)
                .collect();
            assert_eq!(paged(&on(), &diallo, 3), finished);
            batch.commit().unwrap();
            assert_eq!(paged(&on(), &diallo, 3), expected(&diallo));
        });
    }

    #[test]
    fn very_many_matches_are_found_the_same_walking_by_start_date() {
        on_both(|store| {
            // More runs of one name than a child search gathers from the child index
            // (CANDIDATES_AT_MOST): a window of all of them walks by start date instead.
            let runs = i64::try_from(CANDIDATES_AT_MOST).unwrap() + 500;
            store
                .begin_execution(
                    &ExecutionSummary::started("arn:m", "seed", "{}".into()),
                    "{}",
                    None,
                )
                .unwrap();
            let inserted = store
                .db
                .execute(
                    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1) \
                     INSERT INTO executions (name, execution_arn, state_machine_arn, status, \
                     start_us, input, definition_hash, child, child_folded) \
                     SELECT 'run-' || i, 'arn:e', 'arn:m', \
                     CASE WHEN i % 5 = 0 THEN 'FAILED' ELSE 'RUNNING' END, \
                     CAST(?2 AS BIGINT) + CAST(i / 2 AS BIGINT) * 1000000, '{}', \
                     (SELECT definition_hash FROM executions WHERE name = 'seed'), \
                     'Quetzal Rare', ?3 FROM n",
                    params![runs, base().timestamp_micros(), fold("Quetzal Rare")],
                )
                .unwrap();
            assert_eq!(inserted, usize::try_from(runs).unwrap());
            let newest_first: Vec<(i64, bool)> = (0..runs).rev().map(|i| (i, i % 5 == 0)).collect();
            for status in [None, Some(ExecutionStatus::Failed)] {
                let filter = ExecutionFilter {
                    status,
                    child: Some("rare".into()),
                };
                let all: Vec<String> = newest_first
                    .iter()
                    .filter(|(_, failed)| status.is_none() || *failed)
                    .map(|(i, _)| format!("run-{i}"))
                    .collect();
                for limit in [50, 12_000] {
                    let first: Vec<String> = all.iter().take(limit).cloned().collect();
                    assert_eq!(
                        streamed(store, &filter, limit),
                        first,
                        "{status:?}, {limit}"
                    );
                }
                assert_eq!(paged(store, &filter, 4_000), all, "{status:?}");
            }
        });
    }
}
