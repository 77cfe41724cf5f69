//! The waitlist sheet: the entries waiting, in waitlist order, with whether each fits
//! now, its priority and its last offer's refusal. The order rule heads no column: it is
//! the sheet's row order, as the screens say it.

use std::io::Write;

use super::SheetError;
use super::csv_out::CsvSheet;
use crate::registration::Waiting;

const COLUMNS: &[&str] = &[
    "Position",
    "Entry",
    "Child",
    "Born",
    "Days wanted",
    "Added",
    "Fits now",
    "Sibling of registration",
    "Note",
    "Last offer refused",
];

/// The waiting entries as `Desk::waitlist` orders them. How many it lists.
pub fn waitlist(out: impl Write, waiting: &[Waiting]) -> Result<usize, SheetError> {
    let mut sheet = CsvSheet::new(out, COLUMNS)?;
    for (at, w) in waiting.iter().enumerate() {
        sheet.row(row(at + 1, w))?;
    }
    Ok(sheet.finish()?)
}

fn row(position: usize, w: &Waiting) -> Vec<String> {
    let e = &w.entry;
    vec![
        position.to_string(),
        e.id.to_string(),
        e.child(),
        e.date_of_birth.to_string(),
        crate::weekday::listed(&e.days),
        e.added_on.to_string(),
        if w.fits { "yes" } else { "no" }.to_string(),
        e.sibling_of.map(|s| s.to_string()).unwrap_or_default(),
        e.notes.clone().unwrap_or_default(),
        e.last_refusal.clone().unwrap_or_default(),
    ]
}
