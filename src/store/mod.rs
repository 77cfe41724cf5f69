//! SQLite storage: capacity per weekday, registrations, executions and their
//! history, workflow definitions. The only place in the crate that speaks SQL;
//! it hands out domain types, never rows.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::Serialize;
use serde_json::Value;

use crate::workflow::{Execution, ExecutionStatus, ExecutionSummary, HistoryEvent};

/// Why the store could not do what was asked. Messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a daycare database: {reason}; it was left unchanged")]
    NotADaycareDatabase { path: String, reason: String },
    #[error("cannot set {day} to {requested} spots: {enrolled} children are enrolled that day")]
    BelowEnrolled {
        day: Weekday,
        enrolled: u32,
        requested: u32,
    },
    #[error("no registration {0}")]
    NoSuchRegistration(i64),
    #[error("registration {0} is already withdrawn")]
    AlreadyWithdrawn(i64),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One weekday's spots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DaySpots {
    #[serde(serialize_with = "serialize_weekday")]
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

fn serialize_weekday<S: serde::Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&day.to_string())
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
    /// The confirmed registration document (child, parents, days, instructions, fees, start date).
    pub document: Value,
}

/// A kept registration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registration {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub days: Vec<String>,
    pub age: u32,
    pub fees: u32,
    pub start_date: NaiveDate,
    pub status: RegistrationStatus,
    pub execution_name: String,
    pub document: Value,
}

/// The result of confirming: the new registration's id, or the requested days that are full or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed(i64),
    Unavailable(Vec<Weekday>),
}

/// One line of the executions list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionRow {
    pub name: String,
    pub status: ExecutionStatus,
    pub start_date: DateTime<Utc>,
    pub stop_date: Option<DateTime<Utc>>,
    pub child: Option<String>,
    pub fees: Option<u32>,
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

/// A connection to a daycare database. `Send`; open one per thread that needs one.
pub struct Store {
    conn: rusqlite::Connection,
}

impl Store {
    /// Opens (creating if missing) a daycare database: WAL, foreign keys, busy timeout,
    /// migrations. A file that is not a daycare database is refused and never modified.
    pub fn open(path: &Path) -> Result<Store> {
        let _ = path;
        todo!("store")
    }

    pub fn open_in_memory() -> Result<Store> {
        todo!("store")
    }

    /// Closes executions left RUNNING by a process that died: FAILED, `States.Runtime`,
    /// a cause that says so, and no spot taken. Returns how many were closed.
    pub fn recover_interrupted(&mut self) -> Result<usize> {
        todo!("store")
    }

    /// Monday to Sunday.
    pub fn spots(&self) -> Result<Vec<DaySpots>> {
        todo!("store")
    }

    /// Sets one day's capacity, or every day's when `day` is `None`. Refuses (changing
    /// nothing) when a day would go below its enrolled count.
    pub fn set_capacity(&mut self, day: Option<Weekday>, capacity: u32) -> Result<Vec<DaySpots>> {
        let _ = (day, capacity);
        todo!("store")
    }

    /// The requested days that have no free spot (full or closed).
    pub fn unavailable_days(&self, days: &[Weekday]) -> Result<Vec<Weekday>> {
        let _ = days;
        todo!("store")
    }

    /// An enrolled registration for this child (names compared trimmed and case-folded).
    pub fn find_enrolled(
        &self,
        first_name: &str,
        last_name: &str,
        date_of_birth: NaiveDate,
    ) -> Result<Option<i64>> {
        let _ = (first_name, last_name, date_of_birth);
        todo!("store")
    }

    /// Re-checks availability and inserts the registration in one write transaction.
    pub fn confirm(&mut self, registration: &NewRegistration) -> Result<Confirmation> {
        let _ = registration;
        todo!("store")
    }

    /// Enrolled registrations (and withdrawn ones when asked), newest first.
    pub fn registrations(&self, include_withdrawn: bool) -> Result<Vec<Registration>> {
        let _ = include_withdrawn;
        todo!("store")
    }

    /// Withdraws an enrolled registration, freeing its spots.
    pub fn withdraw(&mut self, id: i64) -> Result<Registration> {
        let _ = id;
        todo!("store")
    }

    /// Records an execution as RUNNING before it starts.
    pub fn begin_execution(
        &mut self,
        summary: &ExecutionSummary,
        definition: &str,
        child: Option<&str>,
    ) -> Result<()> {
        let _ = (summary, definition, child);
        todo!("store")
    }

    /// Records how an execution ended, with its full history, in one transaction. If it did
    /// not succeed, any registration it created is removed (a registration exists iff its
    /// execution SUCCEEDED).
    pub fn finish_execution(&mut self, execution: &Execution, fees: Option<u32>) -> Result<()> {
        let _ = (execution, fees);
        todo!("store")
    }

    /// A window of executions, newest first (keyset pagination).
    pub fn executions(
        &self,
        filter: &ExecutionFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page> {
        let _ = (filter, after, limit);
        todo!("store")
    }

    pub fn execution(&self, name: &str) -> Result<Option<StoredExecution>> {
        let _ = name;
        todo!("store")
    }

    pub fn execution_counts(&self) -> Result<ExecutionCounts> {
        todo!("store")
    }
}
