//! Lists people print: the class list of a weekday, the contact sheet, executions as
//! filtered, the waitlist. Each is CSV (RFC 4180, UTF-8 with a byte order mark for spreadsheets),
//! written a row at a time to any `io::Write`, from store types. No SQL and no terminal
//! here: the store reads, the CLI and the console choose where a sheet goes.
//!
//! A new sheet is a file here: its columns, a function from what the store hands over
//! to a row, and a function that feeds the store's list into `CsvSheet`.

mod csv_out;
mod executions;
mod folder;
mod people;
mod waitlist;

pub use crate::registration::record::{Contact, Record};
pub use csv_out::CsvSheet;
pub use executions::executions;
pub use folder::create_new;
pub use people::{contacts, each_by_name, each_on, parents_and_phones, roster};
pub use waitlist::waitlist;

use crate::store::StoreError;

/// Why a sheet could not be written. Messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the sheet: {0}")]
    Write(#[from] std::io::Error),
}

impl SheetError {
    /// The reader went away (`| head`): not worth a message.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, SheetError::Write(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
