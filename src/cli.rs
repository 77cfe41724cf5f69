//! The command line: parsing (clap) and dispatch to the console or to a subcommand.
//! Exit codes: 0 success, 1 refused or failed, 2 bad usage or bad input.

use std::process::ExitCode;

pub fn main() -> ExitCode {
    todo!("cli")
}
