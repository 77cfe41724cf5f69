//! SQLite storage: capacity per weekday, registrations, executions and their
//! history, workflow definitions. The only place in the crate that speaks SQL;
//! it hands out domain types, never rows, and knows nothing of the rules.

mod address;
mod audit;
mod capacity;
mod census;
mod changes;
mod copy;
mod executions;
mod history;
mod leavers;
mod lockfile;
mod made_by;
mod open;
mod owner;
mod pg;
mod places;
mod records_schema;
mod refold;
mod registrations;
mod search;
pub(crate) mod sql;
#[cfg(test)]
pub(crate) mod testing;
mod today;
mod version;
mod waitlist;
mod week;
mod write;

pub use address::{Address, ServerAddress};
pub use audit::{AuditEntry, AuditFilter, AuditKind, NewAuditEntry};
pub use changes::{ChangeWhat, NewChange, Proposal, document_version};
pub use copy::{CopiedTable, CopyStep, End, copy};
pub use pg::{Postgres, Watch};
pub use waitlist::{NewWaitlistEntry, WAITLIST_ORDER, WaitlistEntry, WaitlistStatus};

pub use executions::{INTERRUPTED_CAUSE, INTERRUPTED_ERROR};
pub use history::{EncodedHistory, encode_history};
pub use open::{APPLICATION_ID, BUSY_TIMEOUT, Create};
pub use search::ListedExecution;
pub use version::Changes;
pub use write::Batch;

use crate::weekday::name as weekday_name;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::Serialize;
use serde_json::Value;

use crate::workflow::{ExecutionStatus, ExecutionSummary, HistoryEvent};

/// "1 spot", "2 spots": a count and its noun, singular for one.
fn counted(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why the store could not do what was asked. Messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a daycare database: {reason}; it was left unchanged")]
    NotADaycareDatabase { path: String, reason: String },
    #[error(
        "cannot set {} to {}: {} enrolled that day; withdraw some first or choose {enrolled} or more",
        weekday_name(*day),
        counted(*requested, "spot", "spots"),
        counted(*enrolled, "child is", "children are")
    )]
    BelowEnrolled {
        day: Weekday,
        enrolled: u32,
        requested: u32,
    },
    #[error("no registration {0}")]
    NoSuchRegistration(i64),
    #[error("no waitlist entry {0}")]
    NoSuchWaitlistEntry(i64),
    #[error("waitlist entry {0} is no longer waiting")]
    NotWaiting(i64),
    #[error(
        "waitlist entry {id} is being offered a spot now (execution {execution}); wait for it to end"
    )]
    OfferRunning { id: i64, execution: String },
    #[error("this child is already on the waitlist (entry {0})")]
    AlreadyWaiting(i64),
    #[error("{path} is read-only: the daycare cannot keep anything in it; it was left unchanged")]
    ReadOnly { path: String },
    #[error(
        "{path} is locked by another program and stayed locked for 5 seconds; close it there and try again (the file was left unchanged)"
    )]
    Locked { path: String },
    #[error("there is no daycare database at {path}; check the path (reading never creates one)")]
    NoDatabase { path: String },
    #[error("the folder {folder} does not exist; check the path, or create the folder first")]
    NoFolder { folder: String },
    #[error(
        "{path} was made by a newer daycare (schema {found}); this one understands {known}; it was left unchanged"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the disk holding {path} is full: nothing of this change was kept; free some space and try again"
    )]
    DiskFull { path: String },
    #[error(
        "execution {0} was closed as interrupted by another process before it finished; its registration was not kept"
    )]
    ClosedAsInterrupted(String),
    #[error("no execution named {0}")]
    NoSuchExecution(String),
    #[error("an execution named {0} already exists; choose another name")]
    ExecutionExists(String),
    #[error("nothing of this batch was kept: {0}")]
    BatchAbandoned(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server at `address` (shown with its password hidden) failed.
    #[error("the PostgreSQL database at {address}: {reason}")]
    Postgres { address: String, reason: String },
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One weekday's spots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DaySpots {
    #[serde(serialize_with = "crate::weekday::serde_name::serialize")]
    pub day: Weekday,
    pub capacity: u32,
    pub enrolled: u32,
}

impl DaySpots {
    pub fn available(&self) -> u32 {
        self.capacity.saturating_sub(self.enrolled)
    }
    /// A day with capacity 0 is closed.
    pub fn closed(&self) -> bool {
        self.capacity == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationStatus {
    Enrolled,
    Withdrawn,
}

/// What confirmRegistration asks the store to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRegistration {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub days: Vec<Weekday>,
    pub age: u32,
    pub fees: u32,
    pub start_date: NaiveDate,
    /// The execution that confirmed it.
    pub execution_name: String,
    /// The confirmed registration document as JSON text (child, parents, days,
    /// instructions, fees, start date).
    pub document: String,
}

/// A kept registration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    #[serde(serialize_with = "crate::weekday::serde_name::serialize_list")]
    pub days: Vec<Weekday>,
    pub age: u32,
    pub fees: u32,
    pub start_date: NaiveDate,
    pub status: RegistrationStatus,
    pub execution_name: String,
    pub document: Value,
    /// The day a withdrawal takes effect (ahead of today: still enrolled until then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaves_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdraw_reason: Option<String>,
}

impl Registration {
    /// Whether the child is enrolled on `day`: not withdrawn, and not left by then.
    pub fn enrolled_on(&self, day: NaiveDate) -> bool {
        self.status == RegistrationStatus::Enrolled && self.leaves_on.is_none_or(|on| on > day)
    }

    /// "First Last".
    pub fn child(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// The result of confirming: the new registration's id, or the requested days that are full or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed(i64),
    Unavailable(Vec<Weekday>),
    /// The child is already enrolled (the registration with this id).
    AlreadyEnrolled(i64),
}

/// One line of the executions list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRow {
    pub name: String,
    pub status: ExecutionStatus,
    pub start_date: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fees: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecutionFilter {
    pub status: Option<ExecutionStatus>,
    /// Case-insensitive substring of the child's name.
    pub child: Option<String>,
}

/// Where a page of executions ends; pass it back to read the next (older) page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    // CONTRACT: opaque to callers.
    key: (i64, i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub rows: Vec<ExecutionRow>,
    /// `None` when this was the last page.
    pub next: Option<Cursor>,
}

/// An execution as kept: its summary, the definition it ran and its full history.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredExecution {
    pub summary: ExecutionSummary,
    pub definition: String,
    pub events: Vec<HistoryEvent>,
    pub child: Option<String>,
    pub fees: Option<u32>,
}

/// Counts for the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ExecutionCounts {
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub running: u64,
}

/// Where the open `Batch` stands.
#[derive(Debug)]
enum BatchState {
    Open,
    /// A write in it failed and rolled it back: why.
    Abandoned(String),
}

/// A connection to a daycare database. `Send`; open one per thread that needs one.
pub struct Store {
    db: sql::Db,
    /// This process's owner lock beside the file, taken before it records its first
    /// RUNNING execution there (see `owner.rs`).
    owner_lock: Option<Arc<owner::Held>>,
    /// Why interrupted executions could not be closed at open (a full disk), if so.
    recovery_failed: Option<String>,
    /// The open `Batch`, if any.
    batch: Option<BatchState>,
    /// The last definition stored, and its hash.
    last_definition: Option<(String, String)>,
    /// Executions begun inside the open batch and not yet finished, by name: written
    /// once, when they finish (or as RUNNING when the batch commits first).
    begun: std::collections::HashMap<String, executions::Begun>,
    /// Executions this connection holds a change or an offer for (`changes.rs`): their
    /// closing settles it. Recovery looks in the tables instead.
    settling: std::collections::HashSet<String>,
    /// The file; `None` in memory.
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating it and its folders if missing) a daycare database: see `open_with`.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Create::FileAndFolders)
    }

    /// Opens a daycare database: WAL, foreign keys, busy timeout, migrations; `create`
    /// says what may be made when it is missing. A file that is not a daycare database is
    /// refused and never modified. A path that is a server's address (`Address::parse`)
    /// opens that server instead. Executions whose owner is gone are closed (see
    /// `recover_interrupted`); when that cannot be written (a full disk) the store still
    /// opens for reading and `recovery_failed` says why.
    pub fn open_with(path: &Path, create: Create) -> Result<Store> {
        if let Address::Server(server) = Address::parse(path) {
            return Store::open_address(&Address::Server(server), create);
        }
        let mut store = Store::from_connection(open::open_file(path, create)?);
        store.path = Some(open::plain(path));
        if let Err(e) = store.recover_interrupted() {
            let e = match e {
                StoreError::Sqlite(e) => open::classify(path, e),
                other => other,
            };
            tracing::warn!("interrupted executions could not be closed: {e}");
            store.recovery_failed = Some(e.to_string());
        }
        Ok(store)
    }

    /// Why executions left RUNNING by a process that is gone could not be closed when
    /// this store opened (they stay RUNNING, holding no spot for readers), if so.
    pub fn recovery_failed(&self) -> Option<&str> {
        self.recovery_failed.as_deref()
    }

    pub fn open_in_memory() -> Result<Store> {
        Ok(Store::from_db(sql::Db::Sqlite(open::open_memory()?)))
    }

    /// Opens the daycare database at `address`: an SQLite file (`open_with`) or a
    /// PostgreSQL server (`open_server`); any other server is refused by name.
    pub fn open_address(address: &Address, create: Create) -> Result<Store> {
        match address {
            Address::File(path) => Store::open_with(path, create),
            Address::Server(server) if server.is_postgres() => Store::open_server(server, create),
            Address::Server(server) => Err(StoreError::Postgres {
                address: server.shown().to_string(),
                reason: "this daycare speaks to PostgreSQL servers only (postgres:// or \
                         postgresql://)"
                    .into(),
            }),
        }
    }

    /// Opens the daycare database on a PostgreSQL server (see `Postgres::open`).
    /// Executions whose owner is gone are closed, as on a file (`open_with`).
    pub fn open_server(server: &ServerAddress, create: Create) -> Result<Store> {
        let mut store = Store::from_db(sql::Db::Postgres(Postgres::open(server, create)?));
        if let Err(e) = store.recover_interrupted() {
            tracing::warn!("interrupted executions could not be closed: {e}");
            store.recovery_failed = Some(e.to_string());
        }
        Ok(store)
    }

    fn from_connection(conn: rusqlite::Connection) -> Store {
        Store::from_db(sql::Db::Sqlite(conn))
    }

    fn from_db(db: sql::Db) -> Store {
        Store {
            db,
            owner_lock: None,
            recovery_failed: None,
            batch: None,
            last_definition: None,
            begun: std::collections::HashMap::new(),
            settling: std::collections::HashSet::new(),
            path: None,
        }
    }

    /// `PRAGMA integrity_check`: `Ok(())` when SQLite finds nothing wrong, else its report.
    /// PostgreSQL keeps its own pages sound and has no such check to ask; there, the
    /// counts its triggers keep are compared with the executions they count instead.
    pub fn integrity_check(&self) -> Result<(), String> {
        if let sql::Db::Postgres(_) = &self.db {
            let drift = self
                .db
                .query_vec(
                    "SELECT c.status, c.n, COUNT(e.id) FROM execution_counts c \
                     LEFT JOIN executions e ON e.status = c.status \
                     GROUP BY c.status, c.n HAVING c.n <> COUNT(e.id) \
                     UNION ALL SELECT e.status, 0, COUNT(*) FROM executions e \
                     WHERE NOT EXISTS (SELECT 1 FROM execution_counts c WHERE c.status = e.status) \
                     GROUP BY e.status",
                    &[],
                    |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)?)),
                )
                .map_err(|e| e.to_string())?;
            return match drift.as_slice() {
                [] => Ok(()),
                _ => Err(drift
                    .iter()
                    .map(|(status, kept, found)| format!("{status}: {kept} counted, {found} found"))
                    .collect::<Vec<_>>()
                    .join("\n")),
            };
        }
        let mut stmt = self
            .db
            .sqlite()
            .map_err(|e| e.to_string())?
            .prepare("PRAGMA integrity_check")
            .map_err(|e| e.to_string())?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())?
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        if lines == ["ok"] {
            Ok(())
        } else {
            Err(lines.join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sql::params;
    use super::testing::on_both;
    use crate::workflow::ExecutionSummary;

    #[test]
    fn a_sound_database_passes_its_check_and_a_drifted_count_fails_it() {
        on_both(|store| {
            let summary = ExecutionSummary::started("arn:m", "one", "{}".into());
            store.begin_execution(&summary, "{}", None).unwrap();
            assert_eq!(store.integrity_check(), Ok(()));
            if let super::sql::Db::Postgres(_) = store.db {
                store
                    .db
                    .execute(
                        "UPDATE execution_counts SET n = n + ?1 WHERE status = 'RUNNING'",
                        params![2i64],
                    )
                    .unwrap();
                assert_eq!(
                    store.integrity_check(),
                    Err("RUNNING: 3 counted, 1 found".to_string())
                );
            }
        });
    }
}
