//! The reading and small editing subcommands: spots (and spots set), executions,
//! execution, registrations, withdraw. Text tables by default, one JSON document with
//! --json; every list is written as it is read, so memory stays flat whatever its length.

use std::io::{BufWriter, Write};

use serde_json::json;

use super::args::SpotsCommand;
use super::table::{JsonList, Table};
use super::{CliError, Context, Outcome, print_json};
use crate::store::{DaySpots, ExecutionFilter, ExecutionRow, Registration};
use crate::weekday::{name as weekday_name, parse as parse_weekday};
use crate::workflow::{ExecutionStatus, HistoryEvent, owning_states};

/// Standard output, buffered for a long list.
pub(super) fn stdout() -> impl Write {
    BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn print_spots(ctx: &Context, spots: &[DaySpots]) -> Result<(), CliError> {
    if ctx.json {
        let mut list = JsonList::new(stdout(), "spots")?;
        for s in spots {
            list.push(&json!({
                "day": weekday_name(s.day),
                "capacity": s.capacity,
                "enrolled": s.enrolled,
                "available": s.available(),
                "closed": s.closed(),
            }))?;
        }
        list.finish();
        return Ok(());
    }
    let mut table = Table::new(stdout(), &["DAY", "CAPACITY", "ENROLLED", "AVAILABLE"]);
    for s in spots {
        table.row(vec![
            weekday_name(s.day).to_string(),
            s.capacity.to_string(),
            s.enrolled.to_string(),
            if s.closed() {
                "closed".to_string()
            } else {
                s.available().to_string()
            },
        ]);
    }
    table.finish();
    Ok(())
}

/// A day of the week as typed after --day.
pub(super) fn weekday(text: &str) -> Result<chrono::Weekday, CliError> {
    parse_weekday(text).ok_or_else(|| {
        CliError::Usage(format!(
            "“{}” is not a day of the week; use Monday … Sunday or Mon … Sun",
            crate::text::quote(text, 40)
        ))
    })
}

pub fn spots(ctx: &Context, set: Option<SpotsCommand>) -> Result<Outcome, CliError> {
    let mut store = ctx.store()?;
    let spots = match set {
        None => store.spots()?,
        Some(SpotsCommand::Set { spots, day }) => {
            let day = day.as_deref().map(weekday).transpose()?;
            store.set_capacity(day, spots, &ctx.staff())?
        }
    };
    print_spots(ctx, &spots)?;
    Ok(Outcome::Success)
}

pub fn executions(
    ctx: &Context,
    status: Option<&str>,
    child: Option<String>,
    limit: usize,
    csv: bool,
) -> Result<Outcome, CliError> {
    super::sheets::not_both(ctx, csv)?;
    let status = match status {
        None => None,
        Some(text) => Some(ExecutionStatus::parse(text).ok_or_else(|| {
            CliError::Usage(format!(
                "“{}” is not a status; use RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED",
                crate::text::quote(text, 40)
            ))
        })?),
    };
    let store = ctx.store()?;
    let filter = ExecutionFilter { status, child };
    if csv {
        return super::sheets::written(crate::sheets::executions(stdout(), &store, &filter, limit));
    }
    if ctx.json {
        let mut list = JsonList::new(stdout(), "executions")?;
        store.for_each_listed_execution(&filter, limit, |listed| list.push(&listed))?;
        list.finish();
        return Ok(Outcome::Success);
    }
    let mut table = Table::new(
        stdout(),
        &["STARTED (UTC)", "STATUS", "NAME", "CHILD", "FEES", "ERROR"],
    );
    store.for_each_execution(&filter, limit, |row| {
        table.row(execution_row(&row));
        Ok::<_, CliError>(())
    })?;
    table.finish();
    Ok(Outcome::Success)
}

fn execution_row(r: &ExecutionRow) -> Vec<String> {
    vec![
        r.start_date.format("%Y-%m-%d %H:%M:%S").to_string(),
        r.status.as_str().to_string(),
        r.name.clone(),
        r.child.clone().unwrap_or_default(),
        r.fees.map(|f| f.to_string()).unwrap_or_default(),
        r.error.clone().unwrap_or_default(),
    ]
}

pub fn execution(ctx: &Context, name: &str, history: bool) -> Result<Outcome, CliError> {
    let store = ctx.store()?;
    let found = store.execution(name)?.ok_or_else(|| {
        CliError::Usage(format!(
            "no execution named {}; see daycare executions",
            crate::text::quote(name, 100)
        ))
    })?;
    if history {
        print_history(ctx, &found.events)?;
    } else if ctx.json {
        print_json(&found.summary)?;
    } else {
        let s = &found.summary;
        let mut rows = vec![
            vec!["name".into(), s.name.clone()],
            vec!["status".into(), s.status.as_str().into()],
            vec!["child".into(), found.child.clone().unwrap_or_default()],
            vec!["started".into(), s.start_date.to_rfc3339()],
            vec![
                "stopped".into(),
                s.stop_date.map(|d| d.to_rfc3339()).unwrap_or_default(),
            ],
        ];
        if let Some(fees) = found.fees {
            rows.push(vec!["fees".into(), fees.to_string()]);
        }
        if let Some(error) = &s.error {
            rows.push(vec!["error".into(), error.clone()]);
        }
        if let Some(cause) = &s.cause {
            rows.push(vec!["cause".into(), cause.clone()]);
        }
        rows.push(vec!["arn".into(), s.execution_arn.clone()]);
        let mut table = Table::new(stdout(), &["FIELD", "VALUE"]);
        for row in rows {
            table.row(row);
        }
        table.finish();
    }
    Ok(Outcome::Success)
}

fn print_history(ctx: &Context, events: &[HistoryEvent]) -> Result<(), CliError> {
    if ctx.json {
        let mut list = JsonList::new(stdout(), "events")?;
        for event in events {
            list.push(event)?;
        }
        list.finish();
        return Ok(());
    }
    let mut table = Table::new(stdout(), &["ID", "TIME (UTC)", "TYPE", "STATE", "ERROR"]);
    // A Task's own events (LambdaFunctionScheduled, TaskStarted, …) carry no name: each is shown
    // under the state that was entered and not yet left along its previousEventId chain.
    let states = owning_states(events);
    for (e, state) in events.iter().zip(states) {
        table.row(vec![
            e.id.to_string(),
            e.timestamp.format("%H:%M:%S%.3f").to_string(),
            e.event_type.as_str().to_owned(),
            state.unwrap_or_default(),
            e.details.error.clone().unwrap_or_default(),
        ]);
    }
    table.finish();
    Ok(())
}

fn registration_row(r: &Registration) -> Vec<String> {
    vec![
        r.id.to_string(),
        format!("{} {}", r.first_name, r.last_name),
        r.date_of_birth.to_string(),
        r.age.to_string(),
        r.days
            .iter()
            .map(|d| crate::weekday::short(*d))
            .collect::<Vec<_>>()
            .join(","),
        r.fees.to_string(),
        r.start_date.to_string(),
        serde_json::to_value(r.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    ]
}

pub fn registrations(ctx: &Context, all: bool) -> Result<Outcome, CliError> {
    let store = ctx.store()?;
    if ctx.json {
        let mut list = JsonList::new(stdout(), "registrations")?;
        store.for_each_registration(all, |r| list.push(&r))?;
        list.finish();
        return Ok(Outcome::Success);
    }
    let mut table = Table::new(
        stdout(),
        &[
            "ID", "CHILD", "BORN", "AGE", "DAYS", "FEES", "START", "STATUS",
        ],
    );
    store.for_each_registration(all, |r| {
        table.row(registration_row(&r));
        Ok::<_, CliError>(())
    })?;
    table.finish();
    Ok(Outcome::Success)
}
