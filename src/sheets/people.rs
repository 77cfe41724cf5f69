//! The sheets about children: the class list of one weekday (who comes that day) and
//! the contact sheet (every enrolled child, their parents' contacts). Both list enrolled
//! children sorted by last name, then first name, accents and case aside.

use std::io::Write;

use chrono::{NaiveDate, Weekday};

use super::csv_out::CsvSheet;
use super::{Record, SheetError};
use crate::registration::limits;
use crate::store::{Registration, RegistrationStatus, Store, StoreError};
use crate::text::search_key;

/// Enrolled children that `keep` selects, as records, handed to `visit` sorted by last
/// name, then first name (`text::search_key`: Ángel sorts with Angel), then id. Only the
/// sort keys are held, a few bytes a child; each record is read again when its turn
/// comes, so one withdrawn in between is left out.
/// Stops at `visit`'s first error.
pub fn each_by_name<E: From<StoreError>>(
    store: &Store,
    today: NaiveDate,
    keep: impl Fn(&Registration) -> bool,
    mut visit: impl FnMut(Record) -> Result<(), E>,
) -> Result<(), E> {
    let mut keys = Vec::new();
    store.for_each_registration(false, |r| {
        if keep(&r) {
            keys.push((search_key(&r.last_name), search_key(&r.first_name), r.id));
        }
        Ok::<_, StoreError>(())
    })?;
    keys.sort_unstable();
    for (_, _, id) in keys {
        match store.registration(id).map_err(E::from)? {
            Some(r) if r.status == RegistrationStatus::Enrolled => visit(Record::new(r, today))?,
            _ => {}
        }
    }
    Ok(())
}

/// The children enrolled on `day`, sorted by name (see `each_by_name`).
pub fn each_on<E: From<StoreError>>(
    store: &Store,
    day: Weekday,
    today: NaiveDate,
    visit: impl FnMut(Record) -> Result<(), E>,
) -> Result<(), E> {
    each_by_name(store, today, |r| r.days.contains(&day), visit)
}

const ROSTER: &[&str] = &[
    "Child",
    "Date of birth",
    "Age",
    "Parents",
    "Special instructions",
    "Start date",
];

/// The class list of `day`: who comes that day, with their parents' names and phones
/// and their special instructions. How many children it lists.
pub fn roster(
    out: impl Write,
    store: &Store,
    day: Weekday,
    today: NaiveDate,
) -> Result<usize, SheetError> {
    let mut sheet = CsvSheet::new(out, ROSTER)?;
    each_on(store, day, today, |r| {
        Ok::<_, SheetError>(sheet.row(roster_row(&r))?)
    })?;
    Ok(sheet.finish()?)
}

fn roster_row(r: &Record) -> Vec<String> {
    vec![
        r.child(),
        r.date_of_birth.to_string(),
        r.age_today.to_string(),
        parents_and_phones(r),
        r.special_instructions.clone().unwrap_or_default(),
        r.start_date.to_string(),
    ]
}

/// "Aicha Cisse (mother) 123-456-7890; Ibrahim Martin (father) 098-765-4321".
pub fn parents_and_phones(r: &Record) -> String {
    let listed: Vec<String> = r
        .parents
        .iter()
        .map(|p| {
            let mut text = format!("{} ({})", p.name(), p.role);
            if let Some(phone) = &p.phone {
                text.push(' ');
                text.push_str(phone);
            }
            text.trim().to_string()
        })
        .collect();
    listed.join("; ")
}

/// The contact sheet's header: the child, then each parent a registration can list
/// (`limits::PARENTS`), then the instructions.
fn contacts_header() -> Vec<String> {
    let mut header: Vec<String> = ["ID", "Child", "Date of birth", "Days"]
        .map(String::from)
        .into();
    for n in 1..=limits::PARENTS {
        for what in ["role", "name", "phone", "email"] {
            header.push(format!("Parent {n} {what}"));
        }
    }
    header.push("Special instructions".into());
    header
}

/// The contact sheet: every enrolled child with each parent's role, name, phone and
/// email, and their special instructions. How many children it lists.
pub fn contacts(out: impl Write, store: &Store, today: NaiveDate) -> Result<usize, SheetError> {
    let header = contacts_header();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut sheet = CsvSheet::new(out, &header)?;
    each_by_name(
        store,
        today,
        |_| true,
        |r| Ok::<_, SheetError>(sheet.row(contacts_row(&r))?),
    )?;
    Ok(sheet.finish()?)
}

fn contacts_row(r: &Record) -> Vec<String> {
    let mut row = vec![
        r.id.to_string(),
        r.child(),
        r.date_of_birth.to_string(),
        r.days
            .iter()
            .map(|d| crate::weekday::short(*d))
            .collect::<Vec<_>>()
            .join(", "),
    ];
    for n in 0..limits::PARENTS {
        match r.parents.get(n) {
            Some(p) => row.extend([
                p.role.clone(),
                p.name(),
                p.phone.clone().unwrap_or_default(),
                p.email.clone().unwrap_or_default(),
            ]),
            None => row.extend(std::iter::repeat_n(String::new(), 4)),
        }
    }
    row.push(r.special_instructions.clone().unwrap_or_default());
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contact_sheet_has_a_column_group_for_every_parent_a_registration_may_list() {
        let header = contacts_header();
        assert_eq!(header.len(), 4 + 4 * limits::PARENTS + 1);
        assert_eq!(header[4], "Parent 1 role");
        assert_eq!(
            header.last().map(String::as_str),
            Some("Special instructions")
        );
    }
}
