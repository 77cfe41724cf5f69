//! The terminal console staff work in: app state, actions, screens, widgets.
//! The only room that knows about terminals; it never speaks SQL.

use std::path::PathBuf;

use crate::registration::Clock;

/// Where the console finds its data.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    pub db: PathBuf,
    pub clock: Clock,
    /// Where logs are written (never the screen).
    pub log_dir: PathBuf,
}

/// Opens the console and runs until staff quit.
pub fn run(options: ConsoleOptions) -> anyhow::Result<()> {
    let _ = options;
    todo!("console")
}
