//! The command line's shape, as clap parses it. No behaviour here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The environment variables read, for the help and the manual page.
pub(super) const ENVIRONMENT: &str = "\
Environment:
  DAYCARE_DB     the database, as --db: a file or postgres://… (default: the platform data directory)
  DAYCARE_STAFF  who is at the desk, as --staff (default: the login name)
  DAYCARE_TODAY  pins today's date, YYYY-MM-DD (tests, demos); start dates are today + 14 days";

/// The exit codes, for the help and the manual page.
pub(super) const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a registration was refused, or an execution failed
  2  bad usage or bad input (a message on stderr)";

pub(super) const EXAMPLES: &str = "\
Examples:
  daycare                               open the console (no command)
  daycare submit child.json             register one child
  daycare executions --status failed    the refused runs, newest first
  daycare roster --day mon --csv        Monday's class list, for a spreadsheet
  daycare completions bash > ~/.local/share/bash-completion/completions/daycare";

/// A daycare's registration desk: registrations run through an Amazon States Language
/// workflow, kept in SQLite.
///
/// With no command, `daycare` opens the console (it needs a terminal); none of the
/// commands below opens it. Every console task has a command here, with --json for
/// scripts.
#[derive(Debug, Parser)]
#[command(
    name = "daycare",
    version,
    about = "A daycare's registration desk. Run `daycare` with no command to open the console.",
    after_help = format!("{EXAMPLES}\n\n{ENVIRONMENT}\n\n{EXIT_CODES}"),
)]
pub struct Cli {
    /// The database: an SQLite file (default: the platform data directory, e.g.
    /// ~/.local/share/daycare/daycare.db), or a PostgreSQL database
    /// (postgres://USER@HOST/DB) for desks on several machines. A command that only
    /// reads never creates it.
    // hide_env_values: --help would otherwise print DAYCARE_DB's value, password and all.
    #[arg(
        long,
        global = true,
        env = "DAYCARE_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,
    /// Print one JSON document (camelCase keys, as AWS Step Functions) instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Where the console writes exports (default: the Downloads folder, else Documents,
    /// else the daycare data folder's `exports`; never the current folder).
    #[arg(long, global = true, env = "DAYCARE_EXPORT_DIR", value_name = "DIR")]
    pub export_dir: Option<PathBuf>,
    /// Who is at the desk: the audit names them beside every change (default: the
    /// login name).
    #[arg(long, global = true, env = "DAYCARE_STAFF", value_name = "NAME")]
    pub staff: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run registrations through the workflow: one JSON document, or JSON Lines for many.
    ///
    /// The input is read as it runs, so it may be of any size. A line that is not UTF-8
    /// text or not JSON is reported with its number and the others still run; a leading
    /// byte order mark is ignored. A closing line on stderr counts the succeeded, refused
    /// and unreadable. Exit 1 if any was refused or unreadable, 2 only if none could run.
    #[command(after_help = example("daycare submit fixtures/registrations/age-3.json\n  daycare submit --json - < children.jsonl"))]
    Submit {
        /// The registration: a JSON file, a JSON Lines file, or - for standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Put each registration refused for want of spots on the waitlist.
        #[arg(long)]
        waitlist: bool,
    },
    /// Spots per weekday: capacity, enrolled, available.
    #[command(after_help = example("daycare spots\n  daycare spots set 18\n  daycare spots set 12 --day fri"))]
    Spots {
        #[command(subcommand)]
        set: Option<SpotsCommand>,
    },
    /// Executions, newest first.
    #[command(after_help = format!("{}\n\n{CSV}", example("daycare executions --status failed --limit 10\n  daycare executions --child diallo --json\n  daycare executions --status succeeded --limit 1000 --csv > runs.csv")))]
    Executions {
        /// Only this status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED (any case).
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Only children whose name holds this text (any case, accents aside).
        #[arg(long, value_name = "TEXT")]
        child: Option<String>,
        /// At most this many executions, newest first.
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Write the list as CSV for a spreadsheet (see CSV below) instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// One execution (DescribeExecution), or its history with --history.
    #[command(after_help = example("daycare execution diallo-awa-1a2b3c4d\n  daycare execution diallo-awa-1a2b3c4d --history --json"))]
    Execution {
        /// The execution's name, as `daycare executions` lists it (e.g. diallo-awa-1a2b3c4d).
        #[arg(value_name = "NAME")]
        name: String,
        /// The events, as GetExecutionHistory returns them.
        #[arg(long)]
        history: bool,
    },
    /// Registrations, newest first; with --csv, the contact sheet.
    #[command(after_help = format!("{}\n\n{CSV}", example("daycare registrations --all --json\n  daycare registrations --csv > contacts.csv")))]
    Registrations {
        /// Include withdrawn registrations (not with --csv).
        #[arg(long)]
        all: bool,
        /// Write the contact sheet as CSV (see CSV below): every enrolled child by last
        /// name, with date of birth, days, each parent's role, name, phone and email, and
        /// the special instructions.
        #[arg(long)]
        csv: bool,
    },
    /// One child's record: the child, their age, parents and how to reach them, special
    /// instructions, days, fees, start date, status and the execution that enrolled them.
    #[command(after_help = example("daycare registration 42\n  daycare registration 42 --json"))]
    Registration {
        /// The registration's number, the ID column of `daycare registrations`.
        #[arg(value_name = "ID", value_parser = registration_id)]
        id: i64,
    },
    /// The class list of one weekday: who comes that day, by last name, with their age,
    /// parents' names and phones, and special instructions.
    #[command(after_help = format!("{}\n\n{CSV}", example("daycare roster --day mon\n  daycare roster --day friday --csv > friday.csv")))]
    Roster {
        /// The day: Monday … Sunday, or Mon … Sun, any case.
        #[arg(long, value_name = "DAY")]
        day: String,
        /// Write the class list as CSV (see CSV below) instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// Withdraw a child, freeing their spots from the day it takes effect.
    ///
    /// Runs the withdrawal workflow (data/withdrawal.asl.json): kept as an execution and
    /// in the audit. A day ahead keeps the child enrolled until then. The record stays,
    /// read-only, with the reason. Exit 1 if it is refused (already withdrawn).
    #[command(after_help = example("daycare withdraw 42 --reason \"Moving to Lyon\" --on 2026-12-18"))]
    Withdraw {
        /// The registration's number, the ID column of `daycare registrations`.
        #[arg(value_name = "ID")]
        id: i64,
        /// Why the child leaves (kept on the record and in the audit).
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// The day it takes effect, YYYY-MM-DD: today (the default) or later.
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Change a child's days, parents and contacts, or special instructions.
    ///
    /// Runs the amendment workflow (data/amendment.asl.json) with the registration's own
    /// checks: a day added needs a free spot (else exit 1, naming the day), a day removed
    /// frees its spot at once. Give flags, or a JSON document of the fields to change
    /// (daysOfWeek, parents, specialInstructions; null removes the instructions).
    #[command(after_help = example("daycare amend 42 --days Mon,Wed,Fri\n  daycare amend 42 --instructions \"Peanut allergy\"\n  echo '{\"parents\": {…}}' | daycare amend 42 -"))]
    Amend {
        /// The registration's number.
        #[arg(value_name = "ID")]
        id: i64,
        /// The new days, comma-separated: Mon,Tue or Monday,Tuesday.
        #[arg(long, value_name = "DAYS")]
        days: Option<String>,
        /// The new special instructions ("" removes them).
        #[arg(long, value_name = "TEXT")]
        instructions: Option<String>,
        /// A JSON file of the fields to change, or - for standard input.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// The waitlist, in its order, with who fits now; or act on it.
    #[command(after_help = format!("{}\n\n{CSV}", example("daycare waitlist\n  daycare waitlist --csv > waitlist.csv\n  daycare waitlist add diallo-awa-1a2b3c4d --note \"twins\"\n  daycare waitlist offer 3")))]
    Waitlist {
        #[command(subcommand)]
        command: Option<WaitlistCommand>,
        /// Write the waitlist as CSV for a spreadsheet (see CSV below) instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// Who changed what, when: capacity, amendments, withdrawals, waitlist, offers.
    #[command(after_help = example("daycare audit --child sofia --since 2026-11-01"))]
    Audit {
        /// Only entries about children whose name holds this text (any case, accents aside).
        #[arg(long, value_name = "TEXT")]
        child: Option<String>,
        /// Only entries on or after this day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only this kind: capacity, amendment, withdrawal, waitlist-add, waitlist-remove, offer.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// At most this many entries, newest first.
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: usize,
    },
    /// Copy a whole daycare database into a new, empty one: an SQLite file or a
    /// PostgreSQL database (postgres://USER@HOST/DB), either way.
    ///
    /// Capacity, registrations, changes, the waitlist, the audit and every execution
    /// with its history are copied in one transaction, then read back from both and
    /// compared table by table: rows and a SHA-256 of them. A target that already holds
    /// daycare data is refused, and so is a source with executions still running.
    /// --db is not used.
    #[command(after_help = example("daycare copy --from ~/.local/share/daycare/daycare.db --to postgres://daycare@db.local/daycare"))]
    Copy {
        /// The database to copy: an SQLite file or a PostgreSQL address. The copy only
        /// reads it.
        #[arg(long, value_name = "FILE|ADDRESS")]
        from: PathBuf,
        /// The new database: a file (created in an existing folder) or an empty
        /// PostgreSQL database.
        #[arg(long, value_name = "FILE|ADDRESS")]
        to: PathBuf,
    },
    /// Fill the database with realistic executions through the real workflow.
    ///
    /// The demo withdraws children and adds invented ones, so it runs only on a new
    /// database or on one that holds nothing but demo data; any other database is
    /// refused (exit 2). Give a new file with --db PATH.
    #[command(after_help = example("daycare --db /tmp/demo.db demo --executions 10000"))]
    Demo {
        /// How many registrations to run through the workflow (some are refused, as at a
        /// real desk).
        #[arg(long, default_value_t = 100, value_name = "N")]
        executions: u64,
        /// The same seed gives the same children.
        #[arg(long, default_value_t = 1, value_name = "N")]
        seed: u64,
    },
    /// Run, check or show workflow definitions.
    #[command(after_help = example("daycare workflow validate my-workflow.asl.json"))]
    Workflow {
        #[command(subcommand)]
        command: WorkflowCommand,
    },
    /// Print a shell completion script on stdout.
    #[command(after_help = example("daycare completions bash > ~/.local/share/bash-completion/completions/daycare\n  daycare completions zsh > ~/.zfunc/_daycare\n  daycare completions fish > ~/.config/fish/completions/daycare.fish"))]
    Completions {
        /// The shell to complete in.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout.
    #[command(after_help = example("daycare man > daycare.1 && man ./daycare.1"))]
    Man,
}

/// What --csv writes, for the help of each command that has it.
const CSV: &str = "\
CSV:
  --csv writes CSV on stdout (RFC 4180: comma-separated, CRLF line ends, quoted where
  needed), UTF-8 with a byte order mark so spreadsheets read accents right. A cell that a
  spreadsheet would run as a formula starts with an apostrophe. Not with --json.";

/// An "Example:" block for a command's help.
fn example(lines: &str) -> String {
    format!("Example:\n  {lines}")
}

#[derive(Debug, Subcommand)]
pub enum WaitlistCommand {
    /// Put a registration refused for want of spots on the waitlist.
    #[command(after_help = example("daycare waitlist add diallo-awa-1a2b3c4d --note \"sibling starts in May\""))]
    Add {
        /// The refused execution's name, as `daycare executions` lists it.
        #[arg(value_name = "EXECUTION")]
        execution: String,
        /// A priority note: it puts the entry first among those added the same day.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Offer a spot: runs the registration workflow for the entry's child. Success
    /// enrols them and closes the entry; a refusal keeps it, with the reason (exit 1).
    #[command(after_help = example("daycare waitlist offer 3"))]
    Offer {
        /// The entry's number, the ID column of `daycare waitlist`.
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Take an entry off the waitlist.
    #[command(after_help = example("daycare waitlist remove 3 --reason \"Found another place\""))]
    Remove {
        /// The entry's number, the ID column of `daycare waitlist`.
        #[arg(value_name = "ID")]
        id: i64,
        /// Why it comes off (kept in the audit).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SpotsCommand {
    /// Set the capacity of one day (--day), or of every open day: a closed day (capacity
    /// 0) opens only when it is named with --day.
    #[command(after_help = example("daycare spots set 18\n  daycare spots set 0 --day wed"))]
    Set {
        /// How many children may come that day: a whole number, 0 or more (0 closes the
        /// day). It cannot go below the children already enrolled.
        #[arg(allow_negative_numbers = true, value_parser = spots_count, value_name = "SPOTS")]
        spots: u32,
        /// The day: Monday … Sunday, or Mon … Sun, any case.
        #[arg(long, value_name = "DAY")]
        day: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// Check a definition: exit 0 if valid, else 2 with one line per problem.
    /// A Task whose Resource is none of the built-in handlers is a problem.
    #[command(after_help = example("daycare workflow validate data/registration.asl.json"))]
    Validate {
        /// The definition, an Amazon States Language JSON file, or - for standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Run a definition once and print {"execution": …, "events": […]}.
    ///
    /// Task states run the daycare's built-in handlers. The shipped registration
    /// workflow runs on the daycare's database; any other definition runs on a scratch
    /// database in memory, discarded afterwards, unless --db (or DAYCARE_DB) names one.
    /// Standard error says which database it ran on.
    ///
    /// With --mocks and --test-case, no database is opened and no handler runs: every Task
    /// state answers from the test case's mocked responses in an AWS Step Functions Local
    /// mock configuration file (Return a result, or Throw an error, per invocation). The
    /// entry of StateMachines used is the one named as the machine in the execution's ARN
    /// (FILE's name without .json: definition for definition.json), else the only one; a
    /// Task state the test case does not mock is refused before the run.
    #[command(after_help = example("daycare workflow run data/registration.asl.json --input fixtures/registrations/age-3.json\n  daycare workflow run data/registration.asl.json --mocks fixtures/mocks/registration/mocks.json --test-case HappyPath --input fixtures/registrations/age-3.json"))]
    Run {
        /// The definition to run, an Amazon States Language JSON file, or - for standard
        /// input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The execution's input: a file, or - for standard input (default {}).
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// The execution's name (default: a UUID); letters, digits, - and _, at most 80.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// A Step Functions Local mock configuration file answering the Task states
        /// (with --test-case).
        #[arg(long, value_name = "FILE", requires = "test_case")]
        mocks: Option<PathBuf>,
        /// The test case of --mocks to run, e.g. HappyPath.
        #[arg(long, value_name = "NAME", requires = "mocks")]
        test_case: Option<String>,
    },
    /// Print the registration workflow's definition.
    #[command(after_help = example("daycare workflow show > registration.asl.json"))]
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

/// A registration's number, with a message that says where to find one.
fn registration_id(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err("a registration is named by its number, the ID column of `daycare registrations` (e.g. 42)".into()),
    }
}
