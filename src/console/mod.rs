//! The terminal console staff work in: app state, actions, screens, widgets.
//! The only room that knows about terminals; it never speaks SQL (the store does).

use std::path::PathBuf;

use crate::store::Address;

use crate::registration::Clock;

pub mod action;
pub mod app;
mod event_loop;
pub mod form;
pub mod graph;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod render;
pub mod screens;
pub mod theme;
pub mod ui;
pub mod widgets;
mod worker;
mod worker_lists;

/// Where the console finds its data.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    pub db: Address,
    pub clock: Clock,
    /// Where logs are written (never the screen).
    pub log_dir: PathBuf,
    /// Where exports are written (see `export_folder`).
    pub export_dir: PathBuf,
    /// Who is at the desk: named in the audit of every change made here.
    pub staff: String,
}

/// The folder exports go to: the one asked for (`--export-dir`, `DAYCARE_EXPORT_DIR`),
/// else the platform's Downloads folder, else Documents, else `exports` in daycare's
/// data folder. Never the current folder, which may be anything.
pub fn export_folder(asked: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = asked {
        return dir;
    }
    let user = directories::UserDirs::new();
    let named = user.as_ref().and_then(|u| {
        u.download_dir()
            .or_else(|| u.document_dir())
            .map(PathBuf::from)
            .or_else(|| Some(u.home_dir().join("Downloads")).filter(|d| d.is_dir()))
    });
    named
        .or_else(|| {
            directories::ProjectDirs::from("", "", "daycare").map(|d| d.data_dir().join("exports"))
        })
        .unwrap_or_else(|| std::env::temp_dir().join("daycare-exports"))
}

/// Whether standard input and output are both terminals: the console reads keys from
/// one and draws on the other, and must not write escape codes into a pipe or a file.
pub fn has_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the console and runs until staff quit.
pub fn run(options: ConsoleOptions) -> anyhow::Result<()> {
    let _log = start_logging(&options.log_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(event_loop::run(options))
}

/// Logs go to `console.log` in the log directory, never to the screen. `DAYCARE_LOG`
/// sets the level (`debug` adds a line per key with how long it took).
fn start_logging(
    dir: &std::path::Path,
) -> anyhow::Result<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the log folder {}: {e}", dir.display()))?;
    let appender = tracing_appender::rolling::never(dir, "console.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("DAYCARE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Another subscriber may already be set (tests); then logs go there.
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    Ok(guard)
}
