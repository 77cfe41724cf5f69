//! The daycare's registration workflow: the four task handlers behind
//! `data/registration.asl.json`, the rules they apply (information, age, spots,
//! fees), the clock, and the `Desk` that runs a registration end to end.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{Local, NaiveDate};
use serde_json::Value;

use crate::store::{Store, StoreError};
use crate::workflow::{ExecutionSummary, Observer, StateMachine};

/// The registration workflow, as shipped.
pub const DEFINITION: &str = include_str!("../../data/registration.asl.json");

/// "Today", from one place. `DAYCARE_TODAY=YYYY-MM-DD` pins it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pinned: Option<NaiveDate>,
}

impl Clock {
    /// The system clock, unless `DAYCARE_TODAY` pins a date. A malformed value is an error.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var("DAYCARE_TODAY") {
            Ok(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map(Clock::pinned)
                .map_err(|_| format!("DAYCARE_TODAY must be a date like 2026-09-01, not {text:?}")),
            Err(_) => Ok(Clock::system()),
        }
    }

    pub fn system() -> Clock {
        Clock { pinned: None }
    }

    pub fn pinned(date: NaiveDate) -> Clock {
        Clock { pinned: Some(date) }
    }

    pub fn today(&self) -> NaiveDate {
        self.pinned.unwrap_or_else(|| Local::now().date_naive())
    }

    /// Registrations start two weeks from today.
    pub fn start_date(&self) -> NaiveDate {
        self.today() + chrono::Days::new(14)
    }
}

/// One problem with a registration document, tied to the field it concerns so a form can
/// show it beside that field. `field` is a dotted path: `child.firstName`,
/// `parents.mother.email`, `daysOfWeek`, or `child` for the child as a whole (duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// checkInformation's rules, without the store: every problem, in form order, or the
/// normalised document (`registration_info` contents: names trimmed, weekdays normalised).
pub fn check_information(document: &Value, today: NaiveDate) -> Result<Value, Vec<Problem>> {
    let _ = (document, today);
    todo!("registration")
}

/// How one registration ended, for staff.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub execution: ExecutionSummary,
    /// "First Last", or what could be read of it.
    pub child: String,
    pub age: Option<u32>,
    pub fees: Option<u32>,
    pub start_date: Option<NaiveDate>,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        self.execution.status == crate::workflow::ExecutionStatus::Succeeded
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

/// The registration desk: the engine with the four handlers, the workflow, the store.
/// Cheap to clone; share it between tasks.
#[derive(Clone)]
pub struct Desk {
    // CONTRACT: private fields are registration's own business.
    store: Arc<Mutex<Store>>,
    clock: Clock,
}

impl Desk {
    /// Opens the database at `path` (creating it), closes executions a dead process left
    /// RUNNING, and gets the workflow ready.
    pub fn open(path: &Path, clock: Clock) -> Result<Desk, DeskError> {
        let _ = (path, clock);
        todo!("registration")
    }

    /// The same on an in-memory database (tests, benchmarks).
    pub fn in_memory(clock: Clock) -> Result<Desk, DeskError> {
        let _ = clock;
        todo!("registration")
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn machine(&self) -> &StateMachine {
        todo!("registration")
    }

    /// The shared store connection, for reads between submissions.
    pub fn store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    /// Runs one registration document through the workflow, keeping the execution and
    /// its history. A refusal is an `Outcome` that did not succeed, not an error.
    pub async fn submit(
        &self,
        document: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Outcome, DeskError> {
        let _ = (document, observer);
        todo!("registration")
    }
}
