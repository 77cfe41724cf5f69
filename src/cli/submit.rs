//! `daycare submit FILE|-`: one registration document, or JSON Lines for many, each run
//! through the workflow in turn. A line that is not JSON is reported with its number
//! (exit 2 at the end) and the other lines still run; any refusal makes the exit 1.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::encoder::Encoder;
use super::{CliError, Context, Outcome, print_json, read_input, runtime};
use crate::registration::{Desk, Kept, Outcome as Registered};
use crate::workflow::Execution;

/// Encoded executions kept together in one transaction. Each is still kept whole (its
/// end, history and any registration removal together); a result is printed only once
/// its execution is kept, and a crash before that leaves it RUNNING, closed as
/// interrupted at the next start.
const GROUP: usize = 16;

type Tag = (Option<usize>, Registered);

/// Results being kept and reported, in input order.
struct Done<W: Write> {
    results: Vec<Result>,
    refused: usize,
    json: bool,
    out: W,
    /// Encoded, not yet kept.
    ready: Vec<(Tag, Execution, Kept)>,
}

impl<W: Write> Done<W> {
    /// Takes what the encoder has finished (all of it, waiting, when `all`) and keeps
    /// it once `GROUP` are ready or when `all`.
    fn collect(
        &mut self,
        desk: &Desk,
        encoder: &mut Encoder<Tag>,
        all: bool,
    ) -> std::result::Result<(), CliError> {
        loop {
            let next = if all {
                encoder.next()?
            } else {
                encoder.try_next()?
            };
            let Some((tag, execution, kept)) = next else {
                break;
            };
            self.ready.push((tag, execution, kept?));
        }
        if self.ready.len() >= GROUP || (all && !self.ready.is_empty()) {
            self.keep(desk)?;
        }
        Ok(())
    }

    fn keep(&mut self, desk: &Desk) -> std::result::Result<(), CliError> {
        let lock = || {
            desk.store()
                .lock()
                .map_err(|_| CliError::Usage("the database connection was lost".into()))
        };
        let ready = std::mem::take(&mut self.ready);
        lock()?.begin_batch()?;
        let mut outcomes = Vec::with_capacity(ready.len());
        for ((line, outcome), execution, kept) in ready {
            if let Err(e) = desk.keep(&execution, kept) {
                // Nothing of this group is kept: its executions stay RUNNING.
                lock()?.rollback_batch();
                return Err(e.into());
            }
            outcomes.push((line, outcome));
        }
        lock()?.commit_batch()?;
        for (line, outcome) in outcomes {
            if !outcome.succeeded() {
                self.refused += 1;
            }
            self.report(Result::of(line, outcome))?;
        }
        Ok(())
    }

    fn report(&mut self, result: Result) -> std::result::Result<(), CliError> {
        if self.json {
            self.results.push(result);
        } else if result.status != "UNREADABLE" {
            writeln!(self.out, "{}", result.text())
                .map_err(|e| CliError::Usage(format!("cannot write the results: {e}")))?;
        }
        Ok(())
    }
}

/// One registration's result, as printed.
#[derive(Debug, Serialize)]
struct Result {
    /// The line of a JSON Lines input (1-based); absent for a single document.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    child: String,
    status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fees: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<String>,
}

impl Result {
    fn of(line: Option<usize>, outcome: Registered) -> Result {
        let s = outcome.execution;
        Result {
            line,
            name: Some(s.name),
            child: outcome.child,
            status: s.status.as_str().to_string(),
            fees: outcome.fees,
            start_date: outcome.start_date,
            error: s.error,
            cause: s.cause,
        }
    }

    fn text(&self) -> String {
        let name = self.name.as_deref().unwrap_or("-");
        let child = crate::text::clean(&self.child);
        match (&self.fees, &self.start_date, &self.error) {
            (Some(fees), Some(start), _) => {
                format!(
                    "{:<9}  {name}  {child}: fees {fees}, starts {start}",
                    self.status
                )
            }
            (_, _, Some(error)) => format!(
                "{:<9}  {name}  {child}: {error}: {}",
                self.status,
                crate::text::clean(self.cause.as_deref().unwrap_or(""))
            ),
            _ => format!("{:<9}  {name}  {child}", self.status),
        }
    }
}

/// The documents in the input: one JSON document, or one per non-blank line.
fn documents(text: &str) -> Vec<(Option<usize>, std::result::Result<Value, String>)> {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return vec![(None, Ok(value))];
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            (
                Some(i + 1),
                serde_json::from_str::<Value>(line).map_err(|e| e.to_string()),
            )
        })
        .collect()
}

pub fn run(ctx: &Context, file: &std::path::Path) -> std::result::Result<Outcome, CliError> {
    let text = read_input(file)?;
    let docs = documents(&text);
    if docs.is_empty() {
        return Err(CliError::Usage(format!(
            "{} holds no registration: give one JSON document or JSON Lines",
            file.display()
        )));
    }
    let desk = ctx.desk()?;
    let rt = runtime()?;
    let mut done = Done {
        results: Vec::new(),
        refused: 0,
        json: ctx.json,
        out: std::io::BufWriter::new(std::io::stdout().lock()),
        ready: Vec::new(),
    };
    let mut unreadable = 0usize;
    let mut encoder = Encoder::new()?;
    for (line, doc) in docs {
        match doc {
            Ok(doc) => {
                let (outcome, execution) = rt.block_on(desk.submit_unfinished(doc, None))?;
                encoder.send((line, outcome), execution)?;
                done.collect(&desk, &mut encoder, false)?;
            }
            Err(message) => {
                // Results are reported in input order: keep what is in flight first.
                done.collect(&desk, &mut encoder, true)?;
                unreadable += 1;
                let at = line.map(|l| format!("line {l}")).unwrap_or_default();
                eprintln!("daycare: {at} is not JSON ({message}); it was skipped");
                done.report(Result {
                    line,
                    name: None,
                    child: String::new(),
                    status: "UNREADABLE".into(),
                    fees: None,
                    start_date: None,
                    error: Some("InvalidJson".into()),
                    cause: Some(message),
                })?;
            }
        }
    }
    done.collect(&desk, &mut encoder, true)?;
    let Done {
        results,
        refused,
        mut out,
        ..
    } = done;
    out.flush()
        .map_err(|e| CliError::Usage(format!("cannot write the results: {e}")))?;
    drop(out);
    if ctx.json {
        print_json(&serde_json::json!({"results": results}))?;
    }
    Ok(if unreadable > 0 {
        return Err(CliError::Reported);
    } else if refused > 0 {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}
