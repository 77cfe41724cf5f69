//! The command line's shape, as clap parses it. No behaviour here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A daycare's registration desk. With no command, opens the console.
#[derive(Debug, Parser)]
#[command(name = "daycare", version, about)]
pub struct Cli {
    /// The database file (default: the platform data directory, e.g.
    /// ~/.local/share/daycare/daycare.db).
    #[arg(long, global = true, env = "DAYCARE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run registrations through the workflow: one JSON document, or JSON Lines for many.
    /// The input is read as it runs, so it may be of any size. A line that is not UTF-8
    /// text or not JSON is reported with its number and the others still run; a leading
    /// byte order mark is ignored.
    Submit {
        /// A file, or - for standard input.
        file: PathBuf,
    },
    /// Spots per weekday: capacity, enrolled, available.
    Spots {
        #[command(subcommand)]
        set: Option<SpotsCommand>,
    },
    /// Executions, newest first.
    Executions {
        /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
        #[arg(long)]
        status: Option<String>,
        /// Part of the child's name, any case.
        #[arg(long)]
        child: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One execution (DescribeExecution), or its history with --history.
    Execution {
        name: String,
        /// The events, as GetExecutionHistory returns them.
        #[arg(long)]
        history: bool,
    },
    /// Registrations, newest first.
    Registrations {
        /// Include withdrawn registrations.
        #[arg(long)]
        all: bool,
    },
    /// Withdraw a registration, freeing its spots.
    Withdraw { id: i64 },
    /// Fill the database with realistic executions through the real workflow.
    ///
    /// The demo withdraws children and adds invented ones, so it runs only on a new
    /// database or on one that holds nothing but demo data; any other database is
    /// refused (exit 2). Give a new file with --db PATH.
    Demo {
        #[arg(long, default_value_t = 100)]
        executions: u64,
        /// The same seed gives the same children.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Run, check or show workflow definitions.
    Workflow {
        #[command(subcommand)]
        command: WorkflowCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum SpotsCommand {
    /// Set the capacity of one day (--day) or of every day.
    Set {
        /// How many children may come that day: a whole number, 0 or more (0 closes the day).
        #[arg(allow_negative_numbers = true, value_parser = spots_count)]
        spots: u32,
        /// Monday … Sunday, or Mon … Sun.
        #[arg(long)]
        day: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// Check a definition: exit 0 if valid, else 2 with one line per problem.
    /// A Task whose Resource is none of the built-in handlers is a problem.
    Validate { file: PathBuf },
    /// Run a definition once and print {"execution": …, "events": […]}.
    ///
    /// Task states run the daycare's built-in handlers. The shipped registration
    /// workflow runs on the daycare's database; any other definition runs on a scratch
    /// database in memory, discarded afterwards, unless --db (or DAYCARE_DB) names one.
    /// Standard error says which database it ran on.
    Run {
        file: PathBuf,
        /// The execution's input: a file, or - for standard input (default {}).
        #[arg(long)]
        input: Option<PathBuf>,
        /// The execution's name (default: a UUID).
        #[arg(long)]
        name: Option<String>,
    },
    /// Print the registration workflow's definition.
    Show,
}

/// A number of spots, with a message that says what is wanted.
fn spots_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err("spots must be 0 or more".into()),
        Ok(n) => u32::try_from(n).map_err(|_| format!("spots must be at most {}", u32::MAX)),
        Err(_) => Err("spots must be a whole number, 0 or more".into()),
    }
}
