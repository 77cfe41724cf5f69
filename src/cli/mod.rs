//! The command line: parsing (clap) and dispatch to the console or to a subcommand.
//! Exit codes: 0 success, 1 refused or failed, 2 bad usage or bad input. Each
//! subcommand lives in its own file; none of them speaks SQL or draws a terminal UI.

mod args;
mod copy;
mod demo;
mod documents;
mod help;
mod lists;
mod records;
mod sheets;
mod submit;
mod table;
mod workflow;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::registration::{Clock, Desk, DeskError};
use crate::store::{Address, Create, Store, StoreError};

pub use args::{Cli, Command};

/// What went wrong, for the person at the keyboard; always exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Desk(#[from] DeskError),
    /// The command line or its input is wrong.
    #[error("{0}")]
    Usage(String),
    /// A file or stream could not be read or written.
    #[error("{0}")]
    Io(String),
    /// Something in this program failed (a thread, the runtime), not the input.
    #[error("{0}")]
    Internal(String),
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Refused) => ExitCode::from(1),
        Err(CliError::Reported) => ExitCode::from(2),
        Err(e) => {
            say(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// `--help` and `--version` as clap prints them; a usage error cleaned, since it quotes
/// the arguments as typed.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    eprint!("{}", crate::text::clean_block(&e.render().to_string()));
    eprintln!();
    ExitCode::from(2)
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    let json = cli.json;
    let export_dir = cli.export_dir.clone();
    let ctx = Context {
        db: cli.db.clone(),
        json,
        create: creation(cli.command.as_ref()),
        staff: cli.staff.clone(),
    };
    match cli.command {
        None => {
            // A --db the console could never open is refused before anything else.
            ctx.db_address()?;
            if !crate::console::has_terminal() {
                return Err(CliError::Usage(
                    "the console needs a terminal; see `daycare --help`".into(),
                ));
            }
            let clock = clock()?;
            let db = ctx.console_db()?;
            if let Address::Server(_) = &db {
                // A server that cannot be reached is said here, before the screen is
                // taken; a file is checked as it opens.
                drop(Store::open_address(&db, Create::FileAndFolders)?);
            }
            crate::console::run(crate::console::ConsoleOptions {
                db,
                clock,
                log_dir: log_dir(),
                export_dir: crate::console::export_folder(export_dir),
                staff: ctx.staff(),
            })
            .map_err(|e| CliError::Usage(format!("{e:#}")))?;
            Ok(Outcome::Success)
        }
        Some(Command::Submit { file, waitlist }) => submit::run(&ctx, &file, waitlist),
        Some(Command::Spots { set }) => lists::spots(&ctx, set),
        Some(Command::Executions {
            status,
            child,
            limit,
            csv,
        }) => lists::executions(&ctx, status.as_deref(), child, limit, csv),
        Some(Command::Execution { name, history }) => lists::execution(&ctx, &name, history),
        Some(Command::Registrations { all, csv: false }) => lists::registrations(&ctx, all),
        Some(Command::Registrations { all, csv: true }) => sheets::contacts(&ctx, all),
        Some(Command::Registration { id }) => sheets::registration(&ctx, id),
        Some(Command::Roster { day, csv }) => sheets::roster(&ctx, &day, csv),
        Some(Command::Withdraw { id, reason, on }) => {
            records::withdraw(&ctx, id, &reason, on.as_deref())
        }
        Some(Command::Amend {
            id,
            days,
            instructions,
            file,
        }) => records::amend(&ctx, id, days, instructions, file.as_deref()),
        Some(Command::Waitlist { command, csv }) => records::waitlist(&ctx, command, csv),
        Some(Command::Audit {
            child,
            since,
            kind,
            limit,
        }) => records::audit(&ctx, child, since.as_deref(), kind.as_deref(), limit),
        Some(Command::Demo { executions, seed }) => demo::run(&ctx, executions, seed),
        Some(Command::Copy { from, to }) => copy::run(&ctx, &from, &to),
        Some(Command::Workflow { command }) => workflow::run(&ctx, command),
        Some(Command::Completions { shell }) => help::completions(shell),
        Some(Command::Man) => help::man(),
    }
}

/// What every subcommand needs to know from the global flags.
pub(crate) struct Context {
    db: Option<PathBuf>,
    json: bool,
    /// What this command may create at a path given with `--db` or `DAYCARE_DB`.
    create: Create,
    /// `--staff` or `DAYCARE_STAFF`, if given.
    staff: Option<String>,
}

/// A path given by hand is never created by a command that only reads (a mistyped path
/// must not look like an empty daycare), and never gets folders made for it.
fn creation(command: Option<&Command>) -> Create {
    match command {
        Some(
            Command::Spots { set: None }
            | Command::Executions { .. }
            | Command::Execution { .. }
            | Command::Registrations { .. }
            | Command::Registration { .. }
            | Command::Roster { .. }
            | Command::Withdraw { .. }
            | Command::Amend { .. }
            | Command::Waitlist { .. }
            | Command::Audit { .. },
        ) => Create::No,
        _ => Create::File,
    }
}

impl Context {
    /// `--db`, else `DAYCARE_DB` (clap reads both), else the platform data directory;
    /// and what may be created there: everything at the default path, made on first use.
    /// A server other than PostgreSQL is refused here, shown with its password hidden.
    fn db_address(&self) -> Result<(Address, Create), CliError> {
        if let Some(db) = &self.db {
            return match Address::parse(db) {
                Address::Server(server) if !server.is_postgres() => Err(CliError::Usage(format!(
                    "{} is not a PostgreSQL address; this daycare keeps its data in an \
                         SQLite file or on a PostgreSQL server (postgres://USER@HOST/DB)",
                    crate::text::clean(server.shown())
                ))),
                address => Ok((address, self.create)),
            };
        }
        directories::ProjectDirs::from("", "", "daycare")
            .map(|dirs| {
                (
                    Address::File(dirs.data_dir().join("daycare.db")),
                    Create::FileAndFolders,
                )
            })
            .ok_or_else(|| {
                CliError::Usage(
                    "cannot find a home directory for the database; pass --db PATH".into(),
                )
            })
    }

    /// The console's database: a path given by hand must be in an existing folder; a
    /// new file there is created, said on stderr first. A server is as given.
    fn console_db(&self) -> Result<Address, CliError> {
        let (db, create) = self.db_address()?;
        let Address::File(db) = db else {
            return Ok(db);
        };
        if create == Create::FileAndFolders {
            return Ok(Address::File(db));
        }
        let folder = db.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(folder) = folder.filter(|f| !f.is_dir()) {
            return Err(StoreError::NoFolder {
                folder: folder.display().to_string(),
            }
            .into());
        }
        if !db.exists() {
            eprintln!(
                "daycare: creating a new daycare database at {}",
                crate::text::clean(&db.display().to_string())
            );
        }
        Ok(Address::File(db))
    }

    fn store(&self) -> Result<Store, CliError> {
        let (db, create) = self.db_address()?;
        let store = Store::open_address(&db, create)?;
        if let Some(why) = store.recovery_failed() {
            eprintln!(
                "daycare: runs left unfinished by a stopped process could not be closed ({}); they are not counted until they can be",
                crate::text::clean(why)
            );
        }
        Ok(store)
    }

    fn desk(&self) -> Result<Desk, CliError> {
        let (db, create) = self.db_address()?;
        let desk = Desk::open_address(&db, clock()?, create)?;
        Ok(match &self.staff {
            Some(staff) => desk.with_staff(staff),
            None => desk,
        })
    }

    /// Who is at the desk (see `registration::staff_name`).
    fn staff(&self) -> String {
        crate::registration::staff_name(self.staff.as_deref())
    }
}

fn clock() -> Result<Clock, CliError> {
    Clock::from_env().map_err(|e| CliError::Usage(e.to_string()))
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
        .map_err(|e| CliError::Internal(format!("cannot start the workflow runtime: {e}")))
}

/// A message for the person at the keyboard, on stderr, cleaned of control characters.
fn say(message: &str) {
    eprintln!("daycare: {}", crate::text::clean_block(message));
}

/// Prints one JSON document on stdout.
fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut text = json_text(value)?;
    text.push('\n');
    emit(&text);
    Ok(())
}

/// Pretty JSON with every character a terminal must not see escaped (`\u009b`, …).
fn json_text(value: &impl serde::Serialize) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(crate::text::escape_json)
        .map_err(|e| CliError::Io(format!("cannot write JSON: {e}")))
}

/// Text and a newline on stdout, each line cleaned of control characters.
fn emit_line(text: String) {
    emit(&(crate::text::clean_block(&text) + "\n"));
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// A file, or standard input for `-`, to read as a stream.
fn open_input(file: &std::path::Path) -> Result<Box<dyn std::io::BufRead>, CliError> {
    if file.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let opened = std::fs::File::open(file).map_err(|e| {
        CliError::Usage(format!(
            "cannot read {}: {e}",
            crate::text::clean(&file.display().to_string())
        ))
    })?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, opened)))
}

/// Reads a file, or standard input for `-`.
fn read_input(file: &std::path::Path) -> Result<String, CliError> {
    use std::io::Read;
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Io(format!("cannot read standard input: {e}")))?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
            .map_err(|e| CliError::Io(format!("cannot read {}: {e}", file.display())))
    }
}
