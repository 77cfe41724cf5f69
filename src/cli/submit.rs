//! `daycare submit FILE|-`: one registration document, or JSON Lines for many, handed to
//! the desk as the input is read (see `documents`), so memory stays flat whatever the
//! input's size; results are printed as the desk keeps them, `--json` ones too. A line
//! that is not UTF-8 text or not JSON is reported with its number and the other lines
//! still run. Exit 2 when nothing ran, 1 when anything was refused or unreadable.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::documents::{Documents, Piece, Problem};
use super::{CliError, Context, Outcome, json_text, open_input, say};
use crate::registration::Outcome as Registered;

/// Results reported, in input order.
struct Done<W: Write> {
    /// Results written so far.
    written: usize,
    refused: usize,
    json: bool,
    out: W,
}

impl<W: Write> Done<W> {
    /// Writes one result: a line of text, or one element of `{"results": [...]}`.
    fn report(&mut self, row: &Row) -> std::result::Result<(), CliError> {
        let text = if self.json {
            let opening = if self.written == 0 {
                "{\n  \"results\": [\n"
            } else {
                ",\n"
            };
            let element = json_text(row)?.replace('\n', "\n    ");
            format!("{opening}    {element}")
        } else if row.status == "UNREADABLE" {
            return Ok(());
        } else {
            row.text() + "\n"
        };
        self.written += 1;
        self.write(&text)
    }

    /// Ends the output: closes the `--json` document and flushes.
    fn finish(&mut self) -> std::result::Result<(), CliError> {
        if self.json {
            let closing = if self.written == 0 {
                "{\n  \"results\": []\n}\n"
            } else {
                "\n  ]\n}\n"
            };
            self.write(closing)?;
        }
        self.out
            .flush()
            .map_err(|e| CliError::Io(format!("cannot write the results: {e}")))
    }

    fn write(&mut self, text: &str) -> std::result::Result<(), CliError> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|e| CliError::Io(format!("cannot write the results: {e}")))
    }
}

/// One registration's result, as printed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
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

impl Row {
    fn of(line: Option<usize>, outcome: Registered) -> Row {
        let s = outcome.execution;
        Row {
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

    /// One line for a terminal, cleaned of control characters.
    fn text(&self) -> String {
        let name = self.name.as_deref().unwrap_or("-");
        let child = &self.child;
        let line = match (&self.fees, &self.start_date, &self.error) {
            (Some(fees), Some(start), _) => {
                format!(
                    "{:<9}  {name}  {child}: fees {fees}, starts {start}",
                    self.status
                )
            }
            (_, _, Some(error)) => format!(
                "{:<9}  {name}  {child}: {error}: {}",
                self.status,
                self.cause.as_deref().unwrap_or("")
            ),
            _ => format!("{:<9}  {name}  {child}", self.status),
        };
        crate::text::clean(&line)
    }
}

/// The row of a line that could not be read.
fn unreadable(line: usize, problem: &Problem) -> Row {
    Row {
        line: Some(line),
        name: None,
        child: String::new(),
        status: "UNREADABLE".into(),
        fees: None,
        start_date: None,
        error: Some(problem.error().into()),
        cause: Some(problem.describe(line)),
    }
}

pub fn run(
    ctx: &Context,
    file: &std::path::Path,
    waitlist: bool,
) -> std::result::Result<Outcome, CliError> {
    let read_error = |e: std::io::Error| {
        CliError::Usage(format!(
            "cannot read {}: {e}",
            crate::text::clean(&file.display().to_string())
        ))
    };
    let mut documents = Documents::new(open_input(file)?);
    let Some(first) = documents.next().transpose().map_err(read_error)? else {
        return Err(CliError::Usage(format!(
            "{} holds no registration: give one JSON document or JSON Lines",
            crate::text::clean(&file.display().to_string())
        )));
    };
    let desk = ctx.desk()?;
    let mut done = Done {
        written: 0,
        refused: 0,
        json: ctx.json,
        out: std::io::BufWriter::new(std::io::stdout().lock()),
    };
    let mut unreadable_lines = 0usize;
    let mut ran = 0usize;
    // Refused for want of spots, to put on the waitlist once every run is kept.
    let mut to_waitlist = Vec::new();
    // The documents to run, each tagged with its line; a line that is not a document goes
    // through in its place with why, and reading stops at the first read error.
    let mut read_failure = None;
    let pieces = std::iter::once(Ok(first))
        .chain(documents)
        .map_while(|piece| match piece {
            Ok(Piece::Document(line, doc)) => Some(((line, None), Some(doc))),
            Ok(Piece::Unreadable(line, problem)) => Some(((Some(line), Some(problem)), None)),
            Err(e) => {
                read_failure = Some(read_error(e));
                None
            }
        });
    let submit_all = || -> std::result::Result<(), CliError> {
        for submitted in desk.submit_many(pieces)? {
            match submitted? {
                ((line, _), Some(outcome)) => {
                    ran += 1;
                    if !outcome.succeeded() {
                        done.refused += 1;
                        if waitlist && crate::registration::refused_for_spots(&outcome.execution) {
                            to_waitlist.push(outcome.execution.name.clone());
                        }
                    }
                    done.report(&Row::of(line, outcome))?;
                }
                ((Some(line), Some(problem)), None) => {
                    unreadable_lines += 1;
                    say(&format!("{}; it was skipped", problem.describe(line)));
                    done.report(&unreadable(line, &problem))?;
                }
                (_, None) => {}
            }
        }
        Ok(())
    };
    let submitted = submit_all();
    // What was kept is reported, and the JSON document closed, even after an error.
    done.finish()?;
    submitted?;
    for execution in to_waitlist {
        let entry = desk.put_on_waitlist(&execution, None)?;
        say(&format!(
            "{} is on the waitlist (entry {}) for {}",
            entry.child(),
            entry.id,
            crate::weekday::listed(&entry.days)
        ));
    }
    if let Some(e) = read_failure {
        return Err(e);
    }
    if ran + unreadable_lines > 1 || unreadable_lines > 0 {
        say(&summary(ran - done.refused, done.refused, unreadable_lines));
    }
    exit(ran, done.refused, unreadable_lines)
}

/// How a submit ends: bad input (exit 2) only when nothing ran at all.
fn exit(ran: usize, refused: usize, unreadable: usize) -> std::result::Result<Outcome, CliError> {
    if ran == 0 && unreadable > 0 {
        Err(CliError::Reported)
    } else if refused > 0 || unreadable > 0 {
        Ok(Outcome::Refused)
    } else {
        Ok(Outcome::Success)
    }
}

/// The closing line on stderr: each kind of result counted.
fn summary(succeeded: usize, refused: usize, unreadable: usize) -> String {
    let total = succeeded + refused + unreadable;
    let noun = if total == 1 {
        "registration"
    } else {
        "registrations"
    };
    let mut line = format!("{total} {noun} read: {succeeded} succeeded, {refused} refused");
    if unreadable > 0 {
        let lines = if unreadable == 1 { "line" } else { "lines" };
        line += &format!(", {unreadable} unreadable {lines} skipped");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exits_2_only_when_nothing_ran() {
        assert!(matches!(exit(0, 0, 3), Err(CliError::Reported)));
        assert!(matches!(exit(2, 1, 3), Ok(Outcome::Refused)));
        assert!(matches!(exit(2, 0, 1), Ok(Outcome::Refused)));
        assert!(matches!(exit(2, 1, 0), Ok(Outcome::Refused)));
        assert!(matches!(exit(2, 0, 0), Ok(Outcome::Success)));
    }

    #[test]
    fn the_summary_counts_each_kind() {
        assert_eq!(
            summary(3, 2, 1),
            "6 registrations read: 3 succeeded, 2 refused, 1 unreadable line skipped"
        );
        assert_eq!(
            summary(2, 0, 0),
            "2 registrations read: 2 succeeded, 0 refused"
        );
    }
}
