//! The `daycare` binary: parses the command line and hands over to the crate.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    daycare::cli::main()
}
