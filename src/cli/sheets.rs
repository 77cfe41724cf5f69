//! The commands about children's records and the lists people print: `registration ID`
//! (one child's record), `roster --day DAY` (who comes that day), and `--csv` on
//! `registrations` (the contact sheet) and `executions`. The sheets themselves are
//! `crate::sheets`; this file chooses text, JSON or CSV and says what went wrong.

use super::lists::{stdout, weekday};
use super::table::{JsonList, Table};
use super::{CliError, Context, Outcome, clock, print_json};
use crate::sheets::{Record, SheetError};
use crate::text;

/// `--csv` and `--json` ask for two different documents on the same stdout.
pub(super) fn not_both(ctx: &Context, csv: bool) -> Result<(), CliError> {
    if csv && ctx.json {
        return Err(CliError::Usage(
            "--csv and --json cannot be used together: choose CSV for a spreadsheet or JSON for a script".into(),
        ));
    }
    Ok(())
}

/// A sheet written to stdout: a reader that went away (`| head`) is not an error.
pub(super) fn written(sheet: Result<usize, SheetError>) -> Result<Outcome, CliError> {
    match sheet {
        Ok(_) => Ok(Outcome::Success),
        Err(e) if e.is_closed_pipe() => Ok(Outcome::Success),
        Err(SheetError::Store(e)) => Err(e.into()),
        Err(e @ SheetError::Write(_)) => Err(CliError::Io(e.to_string())),
    }
}

/// `registrations --csv`: the contact sheet.
pub fn contacts(ctx: &Context, all: bool) -> Result<Outcome, CliError> {
    not_both(ctx, true)?;
    if all {
        return Err(CliError::Usage(
            "the contact sheet lists enrolled children only; leave out --all with --csv".into(),
        ));
    }
    let today = clock()?.today();
    let store = ctx.store()?;
    written(crate::sheets::contacts(stdout(), &store, today))
}

/// `roster --day DAY`: the class list, as a table, JSON or CSV.
pub fn roster(ctx: &Context, day: &str, csv: bool) -> Result<Outcome, CliError> {
    not_both(ctx, csv)?;
    let day = weekday(day)?;
    let today = clock()?.today();
    let store = ctx.store()?;
    if csv {
        return written(crate::sheets::roster(stdout(), &store, day, today));
    }
    if ctx.json {
        let mut list = JsonList::new(stdout(), "roster")?;
        crate::sheets::each_on(&store, day, today, |record| list.push(&record))?;
        list.finish();
        return Ok(Outcome::Success);
    }
    let mut table = Table::new(
        stdout(),
        &["CHILD", "BORN", "AGE", "START", "PARENTS", "INSTRUCTIONS"],
    );
    crate::sheets::each_on(&store, day, today, |r| {
        table.row(vec![
            r.child(),
            r.date_of_birth.to_string(),
            r.age_today.to_string(),
            r.start_date.to_string(),
            crate::sheets::parents_and_phones(&r),
            text::fit(r.special_instructions.as_deref().unwrap_or_default(), 60),
        ]);
        Ok::<_, CliError>(())
    })?;
    table.finish();
    Ok(Outcome::Success)
}

/// `registration ID`: one child's record.
pub fn registration(ctx: &Context, id: i64) -> Result<Outcome, CliError> {
    let today = clock()?.today();
    let store = ctx.store()?;
    let found = store.registration(id)?.ok_or_else(|| {
        CliError::Usage(format!(
            "no registration {id}; `daycare registrations --all` lists every registration with its ID"
        ))
    })?;
    let record = Record::new(found, today);
    if ctx.json {
        print_json(&record)?;
        return Ok(Outcome::Success);
    }
    let mut table = Table::new(stdout(), &["FIELD", "VALUE"]);
    for row in record_rows(&record) {
        table.row(row);
    }
    table.finish();
    Ok(Outcome::Success)
}

/// The record as FIELD / VALUE rows, special instructions first after the child: they
/// are why staff open a record. A value of several lines takes a row per line.
fn record_rows(r: &Record) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut field = |name: &str, value: &str| {
        let lines = text::clean_lines(value);
        if lines.is_empty() {
            rows.push(vec![name.to_string(), String::new()]);
        }
        for (i, line) in lines.into_iter().enumerate() {
            let name = if i == 0 { name } else { "" };
            rows.push(vec![name.to_string(), line]);
        }
    };
    field("id", &r.id.to_string());
    field("status", r.status_word());
    if let Some(on) = r.leaves_on {
        let reason = r.withdraw_reason.as_deref().unwrap_or("no reason given");
        field("withdrawn", &format!("from {on}: {reason}"));
    }
    field("child", &r.child());
    field("born", &r.date_of_birth.to_string());
    field(
        "age",
        &format!("{} today, {} on the start date", r.age_today, r.age),
    );
    if let Some(on) = r.ages_out_on {
        field("ages out", &format!("turns 6 on {on}"));
    }
    field(
        "instructions",
        r.special_instructions.as_deref().unwrap_or("none"),
    );
    for p in &r.parents {
        let contacts: Vec<&str> = [&p.phone, &p.email]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let name = p.name();
        let value = match (name.is_empty(), contacts.is_empty()) {
            (false, false) => format!("{name}, {}", contacts.join(", ")),
            (false, true) => name,
            (true, _) => contacts.join(", "),
        };
        field(&p.role, &value);
    }
    field("days", &crate::weekday::listed(&r.days));
    field("fees", &r.fees.to_string());
    field("start", &r.start_date.to_string());
    field("execution", &r.execution_name);
    rows
}
