//! The daycare's registration workflow: the four task handlers behind
//! `data/registration.asl.json`, the rules they apply (information, age, spots,
//! fees), the clock, and the `Desk` that runs a registration end to end.

mod bulk;
pub mod changes;
mod desk;
pub mod document;
mod handlers;
mod information;
pub mod limits;
mod names;
pub mod record;
mod records;
pub mod rules;
pub mod samples;
mod staff;

pub use bulk::Submissions;
pub use desk::{
    AMENDMENT_ARN, DEMO_STATE_MACHINE_ARN, Desk, STATE_MACHINE_ARN, WITHDRAWAL_ARN, child_name,
};
pub use document::{Confirmed, Registration};
pub use handlers::{Handlers, handlers};
pub use information::{check_information, problems_message};
pub use names::execution_name;
pub use records::{Change, NO_SPOTS, Offered, Waiting, refused_for_spots};
pub use staff::staff_name;

use chrono::{Local, NaiveDate};

use crate::store::StoreError;
use crate::workflow::ExecutionSummary;

/// The registration workflow, as shipped.
pub const DEFINITION: &str = include_str!("../../data/registration.asl.json");

/// The amendment workflow (a change to an enrolled child's registration), as shipped.
pub const AMENDMENT: &str = include_str!("../../data/amendment.asl.json");

/// The withdrawal workflow, as shipped.
pub const WITHDRAWAL: &str = include_str!("../../data/withdrawal.asl.json");

/// "Today", from one place. `DAYCARE_TODAY=YYYY-MM-DD` pins it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pinned: Option<NaiveDate>,
}

impl Clock {
    /// The system clock, unless `DAYCARE_TODAY` pins a date. A malformed value is an error.
    pub fn from_env() -> Result<Clock, BadToday> {
        match std::env::var("DAYCARE_TODAY") {
            Ok(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map(Clock::pinned)
                .map_err(|_| BadToday(crate::text::quote(&text, limits::QUOTED))),
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

/// `DAYCARE_TODAY` is set to something that is not a date: what it holds, cut short.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("DAYCARE_TODAY must be a date like 2026-09-01, not \"{0}\"")]
pub struct BadToday(pub String);

/// One problem with a registration document, tied to the field it concerns so a form can
/// show it beside that field. `field` is a dotted path: `child.firstName`,
/// `parents.mother.email`, `daysOfWeek`, or `child` for the child as a whole (duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
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
    #[error("the workflow definition is not valid: {}", .0.join("; "))]
    Definition(Vec<String>),
    #[error(
        "this database holds real registrations, and the demo would withdraw children and add invented ones; run the demo on a new file with --db PATH"
    )]
    RealData,
    /// What staff asked for cannot be done as asked; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// Something in this program failed (a thread, the runtime), not the input.
    #[error("{0}")]
    Internal(String),
}
