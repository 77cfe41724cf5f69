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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{WaitlistEntry, WaitlistStatus};
    use chrono::{NaiveDate, TimeZone, Utc, Weekday};

    fn waiting(id: i64, first: &str, fits: bool) -> Waiting {
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        Waiting {
            entry: WaitlistEntry {
                id,
                added_at: Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap(),
                added_on: day,
                first_name: first.into(),
                last_name: "Núñez".into(),
                date_of_birth: NaiveDate::from_ymd_opt(2022, 3, 4).unwrap(),
                days: vec![Weekday::Mon, Weekday::Fri],
                document: serde_json::json!({}),
                refused_execution: "registration-1".into(),
                sibling_of: (id == 2).then_some(7),
                notes: (id == 2).then(|| "=twins, \"May\"".into()),
                staff: "maria".into(),
                status: WaitlistStatus::Waiting,
                offer_execution: None,
                last_offer: None,
                last_refusal: (id == 1).then(|| "No spot on Friday".into()),
                closed_reason: None,
                registration_id: None,
            },
            fits,
        }
    }

    #[test]
    fn the_sheet_keeps_the_waitlist_order_and_says_who_fits() {
        let mut out = Vec::new();
        let rows = waitlist(
            &mut out,
            &[waiting(2, "Sofía", true), waiting(1, "Ana", false)],
        );
        assert_eq!(rows.unwrap(), 2);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(
            text.starts_with('\u{feff}'),
            "a byte order mark for spreadsheets"
        );
        assert_eq!(
            lines[1],
            "1,2,Sofía Núñez,2022-03-04,\"Monday, Friday\",2026-09-01,yes,7,\"'=twins, \"\"May\"\"\","
        );
        assert_eq!(
            lines[2],
            "2,1,Ana Núñez,2022-03-04,\"Monday, Friday\",2026-09-01,no,,,No spot on Friday"
        );
    }
}
