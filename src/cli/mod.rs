//! The command line: parsing (clap) and dispatch to the console or to a subcommand.
//! Exit codes: 0 success, 1 refused or failed, 2 bad usage or bad input. Each
//! subcommand lives in its own file; none of them speaks SQL or draws a terminal UI.

mod args;
mod demo;
mod lists;
mod submit;
mod table;
mod workflow;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::registration::{Clock, Desk, DeskError};
use crate::store::{Store, StoreError};

pub use args::{Cli, Command};

/// What went wrong, for the person at the keyboard; always exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Desk(#[from] DeskError),
    #[error("{0}")]
    Usage(String),
    /// Already reported, one line per problem, on stderr.
    #[error("")]
    Reported,
}

/// How a command ended, when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: a registration was refused or an execution failed.
    Refused,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Refused) => ExitCode::from(1),
        Err(CliError::Reported) => ExitCode::from(2),
        Err(e) => {
            eprintln!("daycare: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    let json = cli.json;
    let ctx = Context {
        db: cli.db.clone(),
        json,
    };
    match cli.command {
        None => {
            let clock = clock()?;
            let db = ctx.db_path()?;
            crate::console::run(crate::console::ConsoleOptions {
                db,
                clock,
                log_dir: log_dir(),
            })
            .map_err(|e| CliError::Usage(format!("{e:#}")))?;
            Ok(Outcome::Success)
        }
        Some(Command::Submit { file }) => submit::run(&ctx, &file),
        Some(Command::Spots { set }) => lists::spots(&ctx, set),
        Some(Command::Executions {
            status,
            child,
            limit,
        }) => lists::executions(&ctx, status.as_deref(), child, limit),
        Some(Command::Execution { name, history }) => lists::execution(&ctx, &name, history),
        Some(Command::Registrations { all }) => lists::registrations(&ctx, all),
        Some(Command::Withdraw { id }) => lists::withdraw(&ctx, id),
        Some(Command::Demo { executions, seed }) => demo::run(&ctx, executions, seed),
        Some(Command::Workflow { command }) => workflow::run(&ctx, command),
    }
}

/// What every subcommand needs to know from the global flags.
pub(crate) struct Context {
    db: Option<PathBuf>,
    json: bool,
}

impl Context {
    /// `--db`, else `DAYCARE_DB` (clap reads both), else the platform data directory.
    fn db_path(&self) -> Result<PathBuf, CliError> {
        if let Some(db) = &self.db {
            return Ok(db.clone());
        }
        directories::ProjectDirs::from("", "", "daycare")
            .map(|dirs| dirs.data_dir().join("daycare.db"))
            .ok_or_else(|| {
                CliError::Usage(
                    "cannot find a home directory for the database; pass --db PATH".into(),
                )
            })
    }

    fn store(&self) -> Result<Store, CliError> {
        Ok(Store::open(&self.db_path()?)?)
    }

    fn desk(&self) -> Result<Desk, CliError> {
        Ok(Desk::open(&self.db_path()?, clock()?)?)
    }
}

fn clock() -> Result<Clock, CliError> {
    Clock::from_env().map_err(CliError::Usage)
}

fn log_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "daycare")
        .map(|dirs| {
            dirs.state_dir()
                .map(|d| d.join("logs"))
                .unwrap_or_else(|| dirs.data_dir().join("logs"))
        })
        .unwrap_or_else(|| std::env::temp_dir().join("daycare-logs"))
}

/// A single-threaded runtime for the engine: the commands run one thing at a time.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the workflow runtime: {e}")))
}

/// Prints one JSON document on stdout.
fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    emit(&text);
    Ok(())
}

/// `emit` with a newline.
fn emit_line(mut text: String) {
    text.push('\n');
    emit(&text);
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Reads a file, or standard input for `-`.
fn read_input(file: &std::path::Path) -> Result<String, CliError> {
    use std::io::Read;
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
            .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))
    }
}
