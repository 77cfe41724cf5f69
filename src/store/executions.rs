//! Executions: recorded RUNNING before they start, closed with their full history in one
//! transaction, and closed as FAILED when their owner is gone (`owner.rs` says how that
//! is told); an execution so closed is never finished again. How a history is
//! compressed: `history.rs`; how executions are listed and searched: `search.rs`.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::history::{EncodedHistory, decode_history, encode_history};
use super::owner;
use super::refold::fold;
use super::sql::{Db, Row, params};
use super::{ExecutionCounts, Result, Store, StoreError, StoredExecution};
use crate::workflow::history::EventDetails;
use crate::workflow::{EventType, Execution, ExecutionStatus, ExecutionSummary, HistoryEvent};

/// The error and cause given to an execution whose process stopped mid-run.
pub const INTERRUPTED_ERROR: &str = "States.Runtime";
pub const INTERRUPTED_CAUSE: &str =
    "interrupted: the process running it stopped before it finished";

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub(super) fn from_micros(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

pub(super) fn status_of(text: &str) -> ExecutionStatus {
    ExecutionStatus::parse(text).unwrap_or(ExecutionStatus::Failed)
}

impl Store {
    fn definition_hash(&mut self, definition: &str) -> Result<String> {
        if let Some((text, hash)) = &self.last_definition
            && text == definition
        {
            return Ok(hash.clone());
        }
        let hash = format!("{:x}", Sha256::digest(definition.as_bytes()));
        self.write(|db| {
            db.execute(
                "INSERT INTO definitions (hash, source) VALUES (?1, ?2) \
                 ON CONFLICT (hash) DO NOTHING",
                params![&hash, definition],
            )?;
            Ok(())
        })?;
        self.last_definition = Some((definition.to_string(), hash.clone()));
        Ok(hash)
    }

    /// Records an execution as RUNNING before it starts. A name already taken is refused
    /// with `ExecutionExists`, writing nothing.
    ///
    /// Inside a batch the row is written once, when the execution finishes: until the
    /// batch commits no other connection can see it, so a RUNNING row that the same
    /// transaction would rewrite is work for nothing. An execution still unfinished when
    /// the batch commits is written RUNNING then, as it would have been at the start.
    pub fn begin_execution(
        &mut self,
        summary: &ExecutionSummary,
        definition: &str,
        child: Option<&str>,
    ) -> Result<()> {
        let definition_hash = self.definition_hash(definition)?;
        let begun = Begun {
            execution_arn: summary.execution_arn.clone(),
            state_machine_arn: summary.state_machine_arn.clone(),
            start_us: micros(summary.start_date),
            input: summary.input.clone(),
            definition_hash,
            child: child.map(str::to_string),
        };
        if self.batch.is_some() {
            if self.execution_exists(&summary.name)? {
                return Err(StoreError::ExecutionExists(summary.name.clone()));
            }
            self.begun.insert(summary.name.clone(), begun);
            return Ok(());
        }
        self.hold_owner_lock()?;
        self.write(|db| insert_running(db, &summary.name, &begun))
    }

    /// Takes this process's owner lock beside the file, once, before it records a
    /// RUNNING execution there: from then on nobody takes its runs for interrupted.
    fn hold_owner_lock(&mut self) -> Result<()> {
        if self.owner_lock.is_some() {
            return Ok(());
        }
        if let Db::Postgres(_) = &self.db {
            // Held by this connection's session until it ends (see `owner.rs`).
            self.db.batch(&owner::server_hold())?;
            self.owner_lock = Some(owner::Held::on_server());
            return Ok(());
        }
        let Some(path) = &self.path else {
            return Ok(());
        };
        let held = owner::hold(path).map_err(|e| {
            StoreError::Other(format!(
                "cannot record a running execution: the owner lock beside {} could not be taken ({e})",
                path.display()
            ))
        })?;
        self.owner_lock = Some(held);
        Ok(())
    }

    /// Writes the executions begun in this batch and not finished yet as RUNNING, so the
    /// batch can commit.
    pub(super) fn write_begun(&mut self) -> Result<()> {
        if let Err(e) = self.hold_owner_lock() {
            // The batch cannot commit: roll it back as any failed write in it would.
            return self.write(|_| Err::<(), _>(e));
        }
        let begun = std::mem::take(&mut self.begun);
        self.write(|db| {
            for (name, begun) in &begun {
                insert_running(db, name, begun)?;
            }
            Ok(())
        })
    }

    /// Records how an execution ended, with its full history, in one transaction. If it did
    /// not succeed, any registration it created is removed (a registration exists iff its
    /// execution SUCCEEDED). An execution that recovery closed as interrupted meanwhile
    /// stays closed: its registration is removed and `ClosedAsInterrupted` returned.
    pub fn finish_execution(&mut self, execution: &Execution, fees: Option<u32>) -> Result<()> {
        let history = encode_history(&execution.events)?;
        self.finish_execution_encoded(execution, fees, history)
    }

    /// `finish_execution` with the history already encoded (see `encode_history`).
    pub fn finish_execution_encoded(
        &mut self,
        execution: &Execution,
        fees: Option<u32>,
        history: EncodedHistory,
    ) -> Result<()> {
        let s = &execution.summary;
        let blob = history.0;
        let begun = self.begun.remove(&s.name);
        let settling = self.settling.remove(&s.name);
        let kept = self.write(|db| {
            let id = match &begun {
                Some(begun) => {
                    let id = insert_finished(db, s, begun, fees)?;
                    // A new row has no history yet; a plain insert spares SQLite the
                    // statement journal that replacing one would need.
                    db.execute(
                        "INSERT INTO history (execution_id, events) VALUES (?1, ?2)",
                        params![id, &blob],
                    )?;
                    Some(id)
                }
                None => match update_finished(db, s, fees)? {
                    Some(id) => {
                        db.execute(KEEP_HISTORY, params![id, &blob])?;
                        Some(id)
                    }
                    None => None,
                },
            };
            let succeeded = id.is_some() && s.status == ExecutionStatus::Succeeded;
            if !succeeded {
                delete_registration(db, &s.name)?;
            }
            // Closed by recovery meanwhile: recovery settled it.
            if settling && id.is_some() {
                super::changes::settle(db, &s.name, succeeded, s.cause.as_deref())?;
            }
            Ok(id)
        })?;
        match kept {
            Some(_) => Ok(()),
            None => Err(StoreError::ClosedAsInterrupted(s.name.clone())),
        }
    }

    /// Closes executions left RUNNING by an owner that is gone (its lock beside the file
    /// is free or missing, see `owner.rs`): FAILED, `States.Runtime`, a cause that says
    /// so, and no spot taken. In memory every owner is this process. Returns how many
    /// were closed.
    pub fn recover_interrupted(&mut self) -> Result<usize> {
        // Who to ask whether an owner is gone: the lock files beside an SQLite file, or
        // the server's advisory keys.
        let beside = match (&self.db, &self.path) {
            (Db::Postgres(_), _) => None,
            (Db::Sqlite(_), Some(path)) => Some(path.clone()),
            (Db::Sqlite(_), None) => return Ok(0),
        };
        // Look first without a write lock: usually nothing is RUNNING, and a reader must
        // not wait on another process's write.
        let orphans = self.db.query_one(
            "SELECT COUNT(*) FROM executions WHERE status = 'RUNNING'",
            &[],
            |r| r.get::<i64>(0),
        )?;
        if orphans == 0 {
            return Ok(0);
        }
        self.write(|db| {
            let running = db.query_vec(
                "SELECT id, name, start_us, input, owner FROM executions \
                 WHERE status = 'RUNNING'",
                &[],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<String>(1)?,
                        r.get::<i64>(2)?,
                        r.get::<String>(3)?,
                        r.get::<Option<String>>(4)?,
                    ))
                },
            )?;
            let now = Utc::now();
            let mut closed = 0;
            let mut gone = std::collections::HashMap::new();
            for (id, name, start, input, run_by) in running {
                let run_by = run_by.unwrap_or_default();
                let is_gone = match gone.get(&run_by) {
                    Some(known) => *known,
                    None => {
                        let is = match &beside {
                            Some(path) => owner::is_gone(path, &run_by),
                            None => owner_gone_on_server(db, &run_by)?,
                        };
                        gone.insert(run_by.clone(), is);
                        is
                    }
                };
                if !is_gone {
                    continue;
                }
                let events = interrupted_history(from_micros(start), now, input);
                db.execute(
                    "UPDATE executions SET status = 'FAILED', stop_us = ?2, error = ?3, cause = ?4, \
                     owner = NULL WHERE id = ?1",
                    params![id, micros(now), INTERRUPTED_ERROR, INTERRUPTED_CAUSE],
                )?;
                db.execute(KEEP_HISTORY, params![id, encode_history(&events)?.0])?;
                delete_registration(db, &name)?;
                super::changes::settle(db, &name, false, Some(INTERRUPTED_CAUSE))?;
                closed += 1;
            }
            Ok(closed)
        })
    }

    /// The execution named `name`, with its definition and its full history, if kept.
    pub fn execution(&self, name: &str) -> Result<Option<StoredExecution>> {
        let found = self.db.query_opt(
            "SELECT e.execution_arn, e.state_machine_arn, e.name, e.status, e.start_us, e.stop_us, \
             e.input, e.output, e.error, e.cause, d.source, e.child, e.fees, h.events \
             FROM executions e JOIN definitions d ON d.hash = e.definition_hash \
             LEFT JOIN history h ON h.execution_id = e.id WHERE e.name = ?1",
            params![name],
            |r| {
                let status: String = r.get(3)?;
                let stop: Option<i64> = r.get(5)?;
                Ok((
                    ExecutionSummary {
                        execution_arn: r.get(0)?,
                        state_machine_arn: r.get(1)?,
                        name: r.get(2)?,
                        status: status_of(&status),
                        start_date: from_micros(r.get(4)?),
                        stop_date: stop.map(from_micros),
                        input: r.get(6)?,
                        output: r.get(7)?,
                        error: r.get(8)?,
                        cause: r.get(9)?,
                    },
                    r.get::<String>(10)?,
                    r.get::<Option<String>>(11)?,
                    r.get::<Option<u32>>(12)?,
                    r.get::<Option<Vec<u8>>>(13)?,
                ))
            },
        )?;
        let Some((summary, definition, child, fees, blob)) = found else {
            return Ok(None);
        };
        let events = match blob {
            Some(blob) => decode_history(&blob)?,
            None => Vec::new(),
        };
        Ok(Some(StoredExecution {
            summary,
            definition,
            events,
            child,
            fees,
        }))
    }

    /// How many executions are kept, by status, from the counters triggers keep.
    pub fn execution_counts(&self) -> Result<ExecutionCounts> {
        let mut counts = ExecutionCounts::default();
        self.db.for_each(
            "SELECT status, n FROM execution_counts",
            &[],
            |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)),
            |(status, n)| {
                let n = u64::try_from(n).unwrap_or(0);
                counts.total += n;
                match status_of(&status) {
                    ExecutionStatus::Succeeded => counts.succeeded += n,
                    ExecutionStatus::Running => counts.running += n,
                    _ => counts.failed += n,
                }
                Ok::<(), StoreError>(())
            },
        )?;
        Ok(counts)
    }
}

/// What `begin_execution` records of an execution, kept until it is written.
pub(super) struct Begun {
    execution_arn: String,
    state_machine_arn: String,
    start_us: i64,
    input: String,
    definition_hash: String,
    child: Option<String>,
}

/// Writes an execution's row unless its name is taken (then it changes nothing).
macro_rules! insert_execution {
    () => {
        "INSERT INTO executions (name, execution_arn, state_machine_arn, \
         status, start_us, stop_us, input, output, error, cause, definition_hash, child, \
         child_folded, fees, owner) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
         ON CONFLICT (name) DO NOTHING"
    };
}
const INSERT_EXECUTION: &str = insert_execution!();

/// `INSERT_EXECUTION`, returning the new row's id (no row when the name is taken), for
/// PostgreSQL, which has no `last_insert_rowid()`.
const INSERT_FINISHED: &str = concat!(insert_execution!(), " RETURNING id");

/// Keeps ?2 as the history of execution ?1, replacing any it had.
const KEEP_HISTORY: &str = "INSERT INTO history (execution_id, events) VALUES (?1, ?2) \
     ON CONFLICT (execution_id) DO UPDATE SET events = excluded.events";

/// The row of an execution that is starting, owned by this process.
/// Whether `owner` is gone, asked of the server inside the recovering transaction (see
/// `owner.rs`): this process is never gone, an id this program does not draw always is.
fn owner_gone_on_server(db: &Db, owner: &str) -> Result<bool> {
    if owner == owner::id() {
        return Ok(false);
    }
    match owner::server_probe(owner) {
        Some(probe) => db.query_one(&probe, &[], |r| r.get::<bool>(0)),
        None => Ok(true),
    }
}

fn insert_running(db: &Db, name: &str, begun: &Begun) -> Result<()> {
    let inserted = db.execute(
        INSERT_EXECUTION,
        params![
            name,
            &begun.execution_arn,
            &begun.state_machine_arn,
            ExecutionStatus::Running.as_str(),
            begun.start_us,
            None::<i64>,
            &begun.input,
            None::<String>,
            None::<String>,
            None::<String>,
            &begun.definition_hash,
            &begun.child,
            begun.child.as_deref().map(fold),
            None::<u32>,
            owner::id(),
        ],
    )?;
    if inserted == 0 {
        return Err(StoreError::ExecutionExists(name.to_string()));
    }
    Ok(())
}

/// The whole row of an execution begun in this batch and finished: its id.
fn insert_finished(db: &Db, s: &ExecutionSummary, begun: &Begun, fees: Option<u32>) -> Result<i64> {
    let row = params![
        &s.name,
        &begun.execution_arn,
        &begun.state_machine_arn,
        s.status.as_str(),
        begun.start_us,
        s.stop_date.map(micros),
        &begun.input,
        &s.output,
        &s.error,
        &s.cause,
        &begun.definition_hash,
        &begun.child,
        begun.child.as_deref().map(fold),
        fees,
        None::<String>,
    ];
    let id = match db {
        // SQLite reads the new id off the connection: `RETURNING` costs it about a tenth
        // of bulk loading, which writes every execution here.
        Db::Sqlite(conn) => match db.execute(INSERT_EXECUTION, row)? {
            0 => None,
            _ => Some(conn.last_insert_rowid()),
        },
        Db::Postgres(_) => db.query_opt(INSERT_FINISHED, row, |r| r.get::<i64>(0))?,
    };
    id.ok_or_else(|| StoreError::ExecutionExists(s.name.clone()))
}

/// Closes the row `begin_execution` wrote if it is still RUNNING: its id, or `None` when
/// recovery closed it meanwhile.
fn update_finished(db: &Db, s: &ExecutionSummary, fees: Option<u32>) -> Result<Option<i64>> {
    let id = db.query_opt(
        // The start date stays the one recorded by begin_execution (when the run was
        // accepted, as AWS's startDate); rewriting it would move the row in the
        // start-date index for nothing.
        "UPDATE executions SET status = ?2, stop_us = ?3, output = ?4, \
         error = ?5, cause = ?6, fees = ?7, owner = NULL \
         WHERE name = ?1 AND status = 'RUNNING' RETURNING id",
        params![
            &s.name,
            s.status.as_str(),
            s.stop_date.map(micros),
            &s.output,
            &s.error,
            &s.cause,
            fees,
        ],
        |r| r.get::<i64>(0),
    )?;
    if id.is_none() && !exists(db, &s.name)? {
        return Err(StoreError::NoSuchExecution(s.name.clone()));
    }
    Ok(id)
}

fn exists(db: &Db, name: &str) -> Result<bool> {
    Ok(db
        .query_opt(
            "SELECT 1 FROM executions WHERE name = ?1",
            params![name],
            |_: &Row<'_>| Ok(()),
        )?
        .is_some())
}

fn delete_registration(db: &Db, execution: &str) -> Result<()> {
    db.execute(
        "DELETE FROM registrations WHERE execution_name = ?1",
        params![execution],
    )?;
    Ok(())
}

/// The history of an execution that was cut short: it started, then failed as interrupted.
fn interrupted_history(
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    input: String,
) -> Vec<HistoryEvent> {
    vec![
        HistoryEvent {
            id: 1,
            previous_event_id: 0,
            timestamp: start,
            event_type: EventType::ExecutionStarted,
            details: EventDetails {
                input: Some(input),
                ..EventDetails::default()
            },
        },
        HistoryEvent {
            id: 2,
            previous_event_id: 1,
            timestamp: now,
            event_type: EventType::ExecutionFailed,
            details: EventDetails {
                error: Some(INTERRUPTED_ERROR.to_string()),
                cause: Some(INTERRUPTED_CAUSE.to_string()),
                ..EventDetails::default()
            },
        },
    ]
}

impl Store {
    /// Whether an execution with this name is kept, or begun in the open batch.
    pub fn execution_exists(&self, name: &str) -> Result<bool> {
        if self.begun.contains_key(name) {
            return Ok(true);
        }
        exists(&self.db, name)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;
    use crate::store::testing::on_both;
    use crate::store::{Batch, Confirmation, NewRegistration};
    use crate::workflow::EventType;

    fn summary(name: &str) -> ExecutionSummary {
        ExecutionSummary::started("arn:m", name, "{}".into())
    }

    fn ended(name: &str, status: ExecutionStatus) -> Execution {
        let mut s = summary(name);
        s.status = status;
        s.stop_date = Some(Utc::now());
        s.output = Some("{}".into());
        let events = vec![HistoryEvent {
            id: 1,
            previous_event_id: 0,
            timestamp: s.start_date,
            event_type: EventType::ExecutionStarted,
            details: EventDetails::default(),
        }];
        Execution { summary: s, events }
    }

    fn confirm(store: &mut Store, execution: &str) -> Confirmation {
        let date = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let new = NewRegistration {
            first_name: execution.into(),
            last_name: "B".into(),
            date_of_birth: date,
            days: vec![Weekday::Mon],
            age: 3,
            fees: 750,
            start_date: date,
            execution_name: execution.into(),
            document: "{}".into(),
        };
        store.confirm(&new).unwrap()
    }

    fn status(store: &Store, name: &str) -> Option<ExecutionStatus> {
        store.execution(name).unwrap().map(|e| e.summary.status)
    }

    /// `store` shared as the desk shares it, for batches (a new in-memory store is left
    /// in its place).
    fn shared(store: &mut Store) -> std::sync::Mutex<Store> {
        std::sync::Mutex::new(std::mem::replace(store, Store::open_in_memory().unwrap()))
    }

    fn on(shared: &std::sync::Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
        shared.lock().unwrap()
    }

    #[test]
    fn a_taken_name_is_refused_in_and_out_of_a_batch() {
        on_both(|store| {
            let store = shared(store);
            on(&store)
                .begin_execution(&summary("a"), "{}", None)
                .unwrap();
            let again = on(&store).begin_execution(&summary("a"), "{}", None);
            assert!(matches!(again, Err(StoreError::ExecutionExists(n)) if n == "a"));
            let batch = Batch::begin(&store).unwrap();
            on(&store)
                .begin_execution(&summary("b"), "{}", None)
                .unwrap();
            for name in ["a", "b"] {
                let again = on(&store).begin_execution(&summary(name), "{}", None);
                assert!(
                    matches!(again, Err(StoreError::ExecutionExists(_))),
                    "{name}"
                );
            }
            batch.commit().unwrap();
            assert_eq!(status(&on(&store), "b"), Some(ExecutionStatus::Running));
            assert_eq!(on(&store).execution_counts().unwrap().running, 2);
        });
    }

    #[test]
    fn an_execution_begun_and_finished_in_a_batch_is_written_once_and_counted_once() {
        on_both(|s| {
            let store = shared(s);
            let batch = Batch::begin(&store).unwrap();
            on(&store)
                .begin_execution(&summary("a"), "{}", Some("A B"))
                .unwrap();
            assert!(on(&store).execution_exists("a").unwrap());
            assert_eq!(confirm(&mut on(&store), "a"), Confirmation::Confirmed(1));
            on(&store)
                .finish_execution(&ended("a", ExecutionStatus::Succeeded), Some(750))
                .unwrap();
            // Written once it finished: the batch's own reads see it.
            assert_eq!(status(&on(&store), "a"), Some(ExecutionStatus::Succeeded));
            batch.commit().unwrap();
            let store = on(&store);
            let kept = store.execution("a").unwrap().unwrap();
            assert_eq!(kept.summary.status, ExecutionStatus::Succeeded);
            assert_eq!(kept.fees, Some(750));
            assert_eq!(kept.child.as_deref(), Some("A B"));
            assert_eq!(kept.events.len(), 1);
            let counts = store.execution_counts().unwrap();
            assert_eq!((counts.total, counts.succeeded, counts.running), (1, 1, 0));
            assert_eq!(store.registrations(false).unwrap().len(), 1);
        });
    }

    #[test]
    fn a_batch_that_commits_first_keeps_unfinished_executions_running() {
        on_both(|s| {
            let store = shared(s);
            let batch = Batch::begin(&store).unwrap();
            on(&store)
                .begin_execution(&summary("a"), "{}", None)
                .unwrap();
            assert_eq!(confirm(&mut on(&store), "a"), Confirmation::Confirmed(1));
            batch.commit().unwrap();
            let mut store = on(&store);
            assert_eq!(status(&store, "a"), Some(ExecutionStatus::Running));
            store
                .finish_execution(&ended("a", ExecutionStatus::Failed), None)
                .unwrap();
            assert_eq!(status(&store, "a"), Some(ExecutionStatus::Failed));
            // It did not succeed: its registration went with it.
            assert!(store.registrations(true).unwrap().is_empty());
            let counts = store.execution_counts().unwrap();
            assert_eq!((counts.total, counts.failed, counts.running), (1, 1, 0));
        });
    }

    #[test]
    fn a_dropped_batch_forgets_what_it_began() {
        on_both(|s| {
            let store = shared(s);
            let batch = Batch::begin(&store).unwrap();
            on(&store)
                .begin_execution(&summary("a"), "{}", None)
                .unwrap();
            assert_eq!(confirm(&mut on(&store), "a"), Confirmation::Confirmed(1));
            drop(batch);
            let mut store = on(&store);
            assert!(!store.execution_exists("a").unwrap());
            assert!(store.registrations(true).unwrap().is_empty());
            store.begin_execution(&summary("a"), "{}", None).unwrap();
            assert_eq!(status(&store, "a"), Some(ExecutionStatus::Running));
        });
    }

    #[test]
    fn one_batch_at_a_time_on_a_connection() {
        on_both(|store| {
            let store = shared(store);
            let batch = Batch::begin(&store).unwrap();
            assert!(Batch::begin(&store).is_err());
            batch.commit().unwrap();
            Batch::begin(&store).unwrap().commit().unwrap();
        });
    }

    #[test]
    fn an_execution_is_kept_as_it_ended_with_its_history() {
        on_both(|store| {
            let mut running = summary("a");
            running.input = "{\"child\": 1}".into();
            store
                .begin_execution(&running, "{\"StartAt\": \"A\"}", Some("Zoë B"))
                .unwrap();
            assert!(store.execution_exists("a").unwrap());
            assert!(!store.execution_exists("b").unwrap());
            let kept = store.execution("a").unwrap().unwrap();
            assert_eq!(kept.summary.status, ExecutionStatus::Running);
            assert_eq!(kept.summary.input, "{\"child\": 1}");
            assert_eq!(kept.definition, "{\"StartAt\": \"A\"}");
            assert_eq!(kept.child.as_deref(), Some("Zoë B"));
            assert!(kept.events.is_empty() && kept.fees.is_none());

            let mut failed = ended("a", ExecutionStatus::Failed);
            failed.summary.input = running.input.clone();
            failed.summary.error = Some("States.TaskFailed".into());
            failed.summary.cause = Some("no spot".into());
            store.finish_execution(&failed, Some(120)).unwrap();
            let kept = store.execution("a").unwrap().unwrap();
            assert_eq!(kept.summary.status, ExecutionStatus::Failed);
            assert_eq!(kept.summary.error.as_deref(), Some("States.TaskFailed"));
            assert_eq!(kept.summary.cause.as_deref(), Some("no spot"));
            assert_eq!(kept.summary.output.as_deref(), Some("{}"));
            assert_eq!(
                kept.summary.stop_date.map(|t| t.timestamp_micros()),
                failed.summary.stop_date.map(|t| t.timestamp_micros())
            );
            assert_eq!(
                kept.summary.start_date.timestamp_micros(),
                running.start_date.timestamp_micros()
            );
            assert_eq!(kept.fees, Some(120));
            assert_eq!(kept.events.len(), 1);
            assert_eq!(kept.events[0].event_type, EventType::ExecutionStarted);

            // Closed already: finishing again is refused, and changes nothing.
            let again = store.finish_execution(&ended("a", ExecutionStatus::Succeeded), None);
            assert!(matches!(again, Err(StoreError::ClosedAsInterrupted(n)) if n == "a"));
            assert_eq!(status(store, "a"), Some(ExecutionStatus::Failed));
            let unknown = store.finish_execution(&ended("b", ExecutionStatus::Succeeded), None);
            assert!(matches!(unknown, Err(StoreError::NoSuchExecution(n)) if n == "b"));
            assert!(store.execution("b").unwrap().is_none());

            store.begin_execution(&summary("c"), "{}", None).unwrap();
            store
                .finish_execution(&ended("c", ExecutionStatus::Succeeded), None)
                .unwrap();
            store.begin_execution(&summary("d"), "{}", None).unwrap();
            let counts = store.execution_counts().unwrap();
            assert_eq!(
                counts,
                ExecutionCounts {
                    total: 3,
                    succeeded: 1,
                    failed: 1,
                    running: 1,
                }
            );
        });
    }

    #[test]
    fn a_kept_history_is_replaced_whole() {
        on_both(|store| {
            store.begin_execution(&summary("a"), "{}", None).unwrap();
            let id = store
                .db
                .query_one("SELECT id FROM executions WHERE name = 'a'", &[], |r| {
                    r.get::<i64>(0)
                })
                .unwrap();
            for events in [vec![1u8, 2, 3], vec![4u8]] {
                store.db.execute(KEEP_HISTORY, params![id, events]).unwrap();
            }
            let kept = store
                .db
                .query_vec("SELECT events FROM history", &[], |r| r.get::<Vec<u8>>(0))
                .unwrap();
            assert_eq!(kept, vec![vec![4u8]]);
        });
    }

    #[test]
    fn runs_whose_owner_is_gone_are_closed_as_interrupted() {
        on_both(closes_runs_whose_owner_is_gone);
    }

    #[test]
    fn on_postgres_a_run_whose_owner_is_still_connected_is_left_running() {
        let database = crate::store::testing::Database::new();
        let mut store = database.store();
        store
            .begin_execution(&summary("theirs"), "{}", None)
            .unwrap();
        let other = uuid::Uuid::new_v4().to_string();
        store
            .db
            .execute(
                "UPDATE executions SET owner = ?1 WHERE name = 'theirs'",
                params![&other],
            )
            .unwrap();
        // The other desk, connected from anywhere, holds its key as every desk does.
        let desk = Db::Postgres(database.postgres());
        desk.batch(&owner::server_hold_of(&other)).unwrap();
        assert_eq!(store.recover_interrupted().unwrap(), 0);
        assert_eq!(status(&store, "theirs"), Some(ExecutionStatus::Running));
        // Its connection ends (the desk stopped, or died): its key goes with it.
        drop(desk);
        let waited = std::time::Instant::now();
        let closed = loop {
            let closed = store.recover_interrupted().unwrap();
            if closed > 0 || waited.elapsed() > std::time::Duration::from_secs(5) {
                break closed;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(closed, 1);
        assert_eq!(status(&store, "theirs"), Some(ExecutionStatus::Failed));
    }

    fn closes_runs_whose_owner_is_gone(store: &mut Store) {
        store.begin_execution(&summary("mine"), "{}", None).unwrap();
        store.begin_execution(&summary("gone"), "{}", None).unwrap();
        store.begin_execution(&summary("done"), "{}", None).unwrap();
        store
            .finish_execution(&ended("done", ExecutionStatus::Succeeded), None)
            .unwrap();
        // In memory every owner is this process.
        assert_eq!(store.recover_interrupted().unwrap(), 0);
        let gone = uuid::Uuid::new_v4().to_string();
        store
            .db
            .execute(
                "UPDATE executions SET owner = ?1 WHERE name = 'gone'",
                params![&gone],
            )
            .unwrap();
        // A file with no owner lock for `gone` beside it, or a server where nobody holds
        // its key: that owner is gone.
        let dir = tempfile::tempdir().unwrap();
        if let Db::Sqlite(_) = store.db {
            store.path = Some(dir.path().join("daycare.db"));
        }
        assert_eq!(store.recover_interrupted().unwrap(), 1);
        store.path = None;
        let closed = store.execution("gone").unwrap().unwrap();
        assert_eq!(closed.summary.status, ExecutionStatus::Failed);
        assert_eq!(closed.summary.error.as_deref(), Some(INTERRUPTED_ERROR));
        assert_eq!(closed.summary.cause.as_deref(), Some(INTERRUPTED_CAUSE));
        assert!(closed.summary.stop_date.is_some());
        let types: Vec<EventType> = closed.events.iter().map(|e| e.event_type).collect();
        assert_eq!(
            types,
            [EventType::ExecutionStarted, EventType::ExecutionFailed]
        );
        assert_eq!(status(store, "mine"), Some(ExecutionStatus::Running));
        assert_eq!(status(store, "done"), Some(ExecutionStatus::Succeeded));
        let late = store.finish_execution(&ended("gone", ExecutionStatus::Succeeded), None);
        assert!(matches!(late, Err(StoreError::ClosedAsInterrupted(_))));
        let counts = store.execution_counts().unwrap();
        assert_eq!((counts.running, counts.failed, counts.succeeded), (1, 1, 1));
    }

    #[test]
    fn the_oldest_enrolled_child_is_withdrawn_first() {
        on_both(|store| {
            for name in ["a", "b"] {
                store.begin_execution(&summary(name), "{}", None).unwrap();
                confirm(store, name);
            }
            let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
            assert_eq!(store.withdraw_oldest(day, "demo", "test").unwrap(), Some(1));
            assert_eq!(store.withdraw_oldest(day, "demo", "test").unwrap(), Some(2));
            assert_eq!(store.withdraw_oldest(day, "demo", "test").unwrap(), None);
            assert!(store.spots().unwrap().iter().all(|d| d.enrolled == 0));
        });
    }

    #[test]
    fn a_failed_write_abandons_the_whole_batch_and_the_writes_after_it() {
        on_both(|s| {
            let store = shared(s);
            let batch = Batch::begin(&store).unwrap();
            on(&store)
                .begin_execution(&summary("a"), "{}", None)
                .unwrap();
            on(&store)
                .finish_execution(&ended("a", ExecutionStatus::Succeeded), None)
                .unwrap();
            let refused = on(&store).remove_from_waitlist(42, "gone", "test");
            assert!(matches!(refused, Err(StoreError::NoSuchWaitlistEntry(42))));
            // Rolled back at once: nothing of the batch is left.
            assert!(!on(&store).execution_exists("a").unwrap());
            let later = on(&store).begin_execution(&summary("b"), "{}", None);
            assert!(
                matches!(&later, Err(StoreError::BatchAbandoned(why)) if why.contains("42")),
                "{later:?}"
            );
            assert!(matches!(batch.commit(), Err(StoreError::BatchAbandoned(_))));
            // The batch is over: writes stand on their own again.
            on(&store)
                .begin_execution(&summary("b"), "{}", None)
                .unwrap();
            assert_eq!(status(&on(&store), "b"), Some(ExecutionStatus::Running));
            assert_eq!(on(&store).execution_counts().unwrap().total, 1);
            // Dropping an abandoned batch is just as well.
            let batch = Batch::begin(&store).unwrap();
            assert!(on(&store).remove_from_waitlist(42, "gone", "test").is_err());
            drop(batch);
            on(&store)
                .begin_execution(&summary("c"), "{}", None)
                .unwrap();
            assert_eq!(on(&store).execution_counts().unwrap().total, 2);
        });
    }
}
