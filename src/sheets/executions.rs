//! The executions sheet: executions as the list filters them (status, part of the
//! child's name, how many), newest first.

use std::io::Write;

use super::SheetError;
use super::csv_out::CsvSheet;
use crate::store::{ExecutionFilter, ExecutionRow, Store};

const COLUMNS: &[&str] = &[
    "Name",
    "Status",
    "Started (UTC)",
    "Stopped (UTC)",
    "Child",
    "Fees",
    "Error",
];

/// At most `limit` executions under `filter`, newest first. How many it lists.
pub fn executions(
    out: impl Write,
    store: &Store,
    filter: &ExecutionFilter,
    limit: usize,
) -> Result<usize, SheetError> {
    let mut sheet = CsvSheet::new(out, COLUMNS)?;
    store.for_each_execution(filter, limit, |r| Ok::<_, SheetError>(sheet.row(row(&r))?))?;
    Ok(sheet.finish()?)
}

const TIME: &str = "%Y-%m-%d %H:%M:%S";

fn row(r: &ExecutionRow) -> Vec<String> {
    vec![
        r.name.clone(),
        r.status.as_str().to_string(),
        r.start_date.format(TIME).to_string(),
        r.stop_date
            .map(|d| d.format(TIME).to_string())
            .unwrap_or_default(),
        r.child.clone().unwrap_or_default(),
        r.fees.map(|f| f.to_string()).unwrap_or_default(),
        r.error.clone().unwrap_or_default(),
    ]
}
