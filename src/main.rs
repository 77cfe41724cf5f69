//! The `daycare` binary: parses the command line and hands over to the crate.
#![forbid(unsafe_code)]

/// Small, short-lived allocations dominate a workflow run (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    daycare::cli::main()
}
