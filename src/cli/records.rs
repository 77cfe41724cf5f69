//! The commands that change a child's record or the waitlist, and the audit: withdraw,
//! amend, waitlist (list, add, offer, remove), audit. Each change runs through the desk,
//! as a workflow execution where it can take or free a spot; exit 1 when it is refused.

use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::args::WaitlistCommand;
use super::table::{JsonList, Table};
use super::{CliError, Context, Outcome, emit_line, print_json, runtime};
use crate::registration::{Change, changes};
use crate::store::{AuditFilter, AuditKind, Registration, WAITLIST_ORDER};
use crate::weekday;

fn stdout() -> impl Write {
    BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn date(text: &str, what: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        CliError::Usage(format!(
            "{what} must be a date like 2026-12-18, not “{}”",
            crate::text::quote(text, 40)
        ))
    })
}

/// A change's outcome, with the registration as it now stands: printed, and exit 1
/// when it was refused.
fn report(
    ctx: &Context,
    change: &Change,
    kept: Option<&Registration>,
    done: String,
) -> Result<Outcome, CliError> {
    if ctx.json {
        print_json(&json!({
            "registrationId": change.registration_id,
            "succeeded": change.succeeded(),
            "refusal": change.refusal(),
            "execution": change.execution,
            "registration": kept,
        }))?;
    } else if let Some(refusal) = change.refusal() {
        emit_line(format!(
            "Refused: {refusal} Execution {}",
            change.execution.name
        ));
    } else {
        emit_line(format!("{done}; execution {}", change.execution.name));
    }
    Ok(if change.succeeded() {
        Outcome::Success
    } else {
        Outcome::Refused
    })
}

pub fn withdraw(
    ctx: &Context,
    id: i64,
    reason: &str,
    on: Option<&str>,
) -> Result<Outcome, CliError> {
    let on = on.map(|d| date(d, "--on")).transpose()?;
    let desk = ctx.desk()?;
    let change = runtime()?.block_on(desk.withdraw(id, reason, on, None))?;
    let child = change.child.clone().unwrap_or_default();
    let kept = desk.registration(id)?;
    let done = match kept.as_ref().and_then(|r| r.leaves_on.map(|on| (r, on))) {
        Some((r, on)) if on > desk.clock().today() => format!(
            "{child} (registration {id}) leaves on {on}; their spots on {} are free from that day",
            weekday::listed(&r.days)
        ),
        Some((r, _)) => format!(
            "Withdrew {child} (registration {id}); their spots on {} are free again",
            weekday::listed(&r.days)
        ),
        None => format!("Withdrew registration {id}"),
    };
    report(ctx, &change, kept.as_ref(), done)
}

pub fn amend(
    ctx: &Context,
    id: i64,
    days: Option<String>,
    instructions: Option<String>,
    file: Option<&Path>,
) -> Result<Outcome, CliError> {
    let mut asked = match file {
        Some(file) => {
            let text = read_text(file)?;
            let text = text.trim_start_matches('\u{feff}');
            let value: Value = serde_json::from_str(text).map_err(|e| {
                CliError::Usage(format!(
                    "{} is not a JSON document of the fields to change: {e}",
                    crate::text::clean(&file.display().to_string())
                ))
            })?;
            match value {
                Value::Object(fields) => fields,
                _ => {
                    return Err(CliError::Usage(format!(
                        "{} must hold a JSON object of the fields to change ({})",
                        crate::text::clean(&file.display().to_string()),
                        changes::CHANGEABLE.join(", ")
                    )));
                }
            }
        }
        None => Map::new(),
    };
    if let Some(days) = days {
        let list: Vec<Value> = days
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(Value::from)
            .collect();
        asked.insert("daysOfWeek".into(), Value::Array(list));
    }
    if let Some(text) = instructions {
        let value = if text.trim().is_empty() {
            Value::Null
        } else {
            Value::from(text)
        };
        asked.insert("specialInstructions".into(), value);
    }
    let asked = changes::changes_from(Value::Object(asked))
        .map_err(|e| CliError::Usage(format!("{e}: use --days, --instructions or a JSON FILE")))?;
    let desk = ctx.desk()?;
    let change = runtime()?.block_on(desk.amend(id, asked, None))?;
    let child = change.child.clone().unwrap_or_default();
    let kept = desk.registration(id)?;
    let days = kept
        .as_ref()
        .map(|r| weekday::listed(&r.days))
        .unwrap_or_default();
    report(
        ctx,
        &change,
        kept.as_ref(),
        format!("Changed {child}'s registration {id}; their days are {days}"),
    )
}

fn read_text(file: &Path) -> Result<String, CliError> {
    let shown = || crate::text::clean(&file.display().to_string());
    if file == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| CliError::Io(format!("cannot read standard input: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(file).map_err(|e| CliError::Io(format!("cannot read {}: {e}", shown())))
}

pub fn waitlist(
    ctx: &Context,
    command: Option<WaitlistCommand>,
    csv: bool,
) -> Result<Outcome, CliError> {
    super::sheets::not_both(ctx, csv)?;
    if csv && command.is_some() {
        return Err(CliError::Usage(
            "--csv writes the waitlist itself: use it without add, offer or remove".into(),
        ));
    }
    let desk = ctx.desk()?;
    match command {
        None => {
            let waiting = desk.waitlist()?;
            if csv {
                return super::sheets::written(crate::sheets::waitlist(stdout(), &waiting));
            }
            if ctx.json {
                print_json(&json!({ "order": WAITLIST_ORDER, "waitlist": waiting }))?;
                return Ok(Outcome::Success);
            }
            emit_line(WAITLIST_ORDER.to_string());
            let mut table = Table::new(
                stdout(),
                &[
                    "ID",
                    "CHILD",
                    "BORN",
                    "DAYS",
                    "ADDED",
                    "PRIORITY",
                    "FITS NOW",
                    "LAST OFFER",
                ],
            );
            for w in &waiting {
                let e = &w.entry;
                let mut priority = Vec::new();
                if let Some(sibling) = e.sibling_of {
                    priority.push(format!("sibling enrolled ({sibling})"));
                }
                if let Some(note) = &e.notes {
                    priority.push(note.clone());
                }
                table.row(vec![
                    e.id.to_string(),
                    e.child(),
                    e.date_of_birth.to_string(),
                    e.days
                        .iter()
                        .map(|d| weekday::short(*d))
                        .collect::<Vec<_>>()
                        .join(","),
                    e.added_on.to_string(),
                    priority.join("; "),
                    if w.fits { "yes" } else { "no" }.to_string(),
                    e.last_refusal.clone().unwrap_or_default(),
                ]);
            }
            table.finish();
            Ok(Outcome::Success)
        }
        Some(WaitlistCommand::Add { execution, note }) => {
            let entry = desk.put_on_waitlist(&execution, note.as_deref())?;
            if ctx.json {
                print_json(&json!({ "entry": entry }))?;
            } else {
                let sibling = entry
                    .sibling_of
                    .map(|s| format!("; a sibling is enrolled (registration {s})"))
                    .unwrap_or_default();
                emit_line(format!(
                    "{} is on the waitlist as entry {} for {}{sibling}",
                    entry.child(),
                    entry.id,
                    weekday::listed(&entry.days)
                ));
            }
            Ok(Outcome::Success)
        }
        Some(WaitlistCommand::Offer { id }) => {
            let offered = runtime()?.block_on(desk.offer(id, None))?;
            let outcome = &offered.outcome;
            if ctx.json {
                print_json(&json!({
                    "succeeded": outcome.succeeded(),
                    "execution": outcome.execution,
                    "fees": outcome.fees,
                    "startDate": outcome.start_date,
                    "entry": offered.entry,
                }))?;
            } else if outcome.succeeded() {
                emit_line(format!(
                    "{} is enrolled from {} (fees {}); waitlist entry {id} is closed; execution {}",
                    outcome.child,
                    outcome
                        .start_date
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    outcome.fees.map(|f| f.to_string()).unwrap_or_default(),
                    outcome.execution.name
                ));
            } else {
                emit_line(format!(
                    "Refused: {} {} stays on the waitlist. Execution {}",
                    outcome
                        .execution
                        .cause
                        .as_deref()
                        .unwrap_or("the offer failed."),
                    outcome.child,
                    outcome.execution.name
                ));
            }
            Ok(if outcome.succeeded() {
                Outcome::Success
            } else {
                Outcome::Refused
            })
        }
        Some(WaitlistCommand::Remove { id, reason }) => {
            let entry = desk.remove_from_waitlist(id, &reason)?;
            if ctx.json {
                print_json(&json!({ "entry": entry }))?;
            } else {
                emit_line(format!(
                    "{} (entry {id}) is off the waitlist: {}",
                    entry.child(),
                    entry.closed_reason.unwrap_or_default()
                ));
            }
            Ok(Outcome::Success)
        }
    }
}

pub fn audit(
    ctx: &Context,
    child: Option<String>,
    since: Option<&str>,
    kind: Option<&str>,
    limit: usize,
) -> Result<Outcome, CliError> {
    let since = since
        .map(|d| date(d, "--since"))
        .transpose()?
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
        .map(|t| t.with_timezone(&chrono::Utc));
    let kind = kind
        .map(|k| {
            AuditKind::parse(k).ok_or_else(|| {
                CliError::Usage(format!(
                    "“{}” is not a kind of audit entry; use {}",
                    crate::text::quote(k, 40),
                    AuditKind::ALL.map(AuditKind::as_str).join(", ")
                ))
            })
        })
        .transpose()?;
    let filter = AuditFilter {
        child,
        kind,
        since,
        ..AuditFilter::default()
    };
    let store = ctx.store()?;
    let entries = store.audit(&filter, limit)?;
    if ctx.json {
        let mut list = JsonList::new(stdout(), "audit")?;
        for e in &entries {
            list.push(e)?;
        }
        list.finish();
        return Ok(Outcome::Success);
    }
    let mut table = Table::new(stdout(), &["WHEN (UTC)", "WHO", "KIND", "CHILD", "WHAT"]);
    for e in entries {
        table.row(vec![
            e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            e.staff,
            e.kind.label().to_string(),
            e.child.unwrap_or_default(),
            e.summary,
        ]);
    }
    table.finish();
    Ok(Outcome::Success)
}
