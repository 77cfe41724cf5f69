//! `daycare submit FILE|-`: one registration document, or JSON Lines for many, each run
//! through the workflow in turn. A line that is not JSON is reported with its number
//! (exit 2 at the end) and the other lines still run; any refusal makes the exit 1.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::{CliError, Context, Outcome, print_json, read_input, runtime};
use crate::registration::Outcome as Registered;

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
        let child = super::table::clean(&self.child);
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
                super::table::clean(self.cause.as_deref().unwrap_or(""))
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
    let mut results = Vec::new();
    let (mut unreadable, mut refused) = (0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (line, doc) in docs {
        let result = match doc {
            Ok(doc) => {
                let outcome = rt.block_on(desk.submit(doc, None))?;
                if !outcome.succeeded() {
                    refused += 1;
                }
                Result::of(line, outcome)
            }
            Err(message) => {
                unreadable += 1;
                let at = line.map(|l| format!("line {l}")).unwrap_or_default();
                eprintln!("daycare: {at} is not JSON ({message}); it was skipped");
                Result {
                    line,
                    name: None,
                    child: String::new(),
                    status: "UNREADABLE".into(),
                    fees: None,
                    start_date: None,
                    error: Some("InvalidJson".into()),
                    cause: Some(message),
                }
            }
        };
        if ctx.json {
            results.push(result);
        } else if result.status != "UNREADABLE" {
            writeln!(out, "{}", result.text())
                .map_err(|e| CliError::Usage(format!("cannot write the results: {e}")))?;
        }
    }
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
