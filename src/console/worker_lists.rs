//! Background work for the waitlist, the audit and the sheets: the desk's waitlist
//! actions in tasks of their own, and on the reader's connection the audit window, the
//! dashboard's age-out count and the CSV exports. Everything reports back as a `Msg`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Command, Msg};
use super::screens::audit::WINDOW;
use super::worker::Reader;
use crate::registration::Desk;
use crate::store::ExecutionFilter;

/// How many executions an export of the list writes at most.
const EXPORT_LIMIT: usize = 1_000_000;

/// Runs one of the desk's waitlist commands in a task of its own.
pub(super) fn serve(
    desk: &Desk,
    exports: &Arc<PathBuf>,
    command: Command,
    results: &UnboundedSender<Msg>,
) {
    let desk = desk.clone();
    let results = results.clone();
    let exports = exports.clone();
    tokio::spawn(async move {
        let msg = match command {
            Command::Offer(id) => Msg::Offered(
                desk.offer(id, None)
                    .await
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            ),
            other => blocking(desk, &exports, other).await,
        };
        let _ = results.send(msg);
    });
}

/// The desk's synchronous calls, off the async threads.
async fn blocking(desk: Desk, exports: &Path, command: Command) -> Msg {
    let exports = exports.to_path_buf();
    let done = tokio::task::spawn_blocking(move || match command {
        Command::LoadWaitlist => desk
            .waitlist()
            .map(Msg::Waitlist)
            .unwrap_or_else(|e| Msg::Failed(e.to_string())),
        Command::PutOnWaitlist { execution, note } => Msg::Waitlisted(
            desk.put_on_waitlist(&execution, note.as_deref())
                .map_err(|e| e.to_string()),
        ),
        Command::RemoveFromWaitlist { id, reason } => Msg::RemovedFromWaitlist(
            desk.remove_from_waitlist(id, &reason)
                .map_err(|e| e.to_string()),
        ),
        Command::ExportWaitlist => Msg::SheetWritten {
            what: "waitlist".into(),
            written: export_waitlist(&desk, &exports),
        },
        _ => Msg::Failed("misrouted request".into()),
    });
    done.await
        .unwrap_or_else(|e| Msg::Failed(format!("The desk stopped: {e}")))
}

fn export_waitlist(desk: &Desk, dir: &Path) -> Result<(PathBuf, usize), String> {
    let waiting = desk.waitlist().map_err(|e| e.to_string())?;
    let stem = format!("waitlist-{}", desk.clock().today());
    write_sheet(dir, &stem, |file| crate::sheets::waitlist(file, &waiting))
}

/// A new CSV file in the export folder (never one already there), written by `write`:
/// where it went and how many rows, or why not.
pub(super) fn write_sheet(
    dir: &Path,
    stem: &str,
    write: impl FnOnce(
        &mut std::io::BufWriter<std::fs::File>,
    ) -> Result<usize, crate::sheets::SheetError>,
) -> Result<(PathBuf, usize), String> {
    let (path, file) = crate::sheets::create_new(dir, stem, "csv").map_err(|e| {
        format!(
            "cannot write into the export folder {}: {e}. Choose another with --export-dir.",
            dir.display()
        )
    })?;
    let mut out = std::io::BufWriter::new(file);
    let rows = write(&mut out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::io::Write::flush(&mut out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((path, rows))
}

impl Reader {
    /// How many enrolled children turn 6 soon, for the dashboard: the few born in the
    /// window, read by date of birth alone, then the age rule.
    pub(super) fn ageing_out(&self) -> Msg {
        use crate::registration::rules::{ages_out, ages_out_born_between};
        let today = self.clock.today();
        let Some((from, to)) = ages_out_born_between(today) else {
            return Msg::AgeingOut(0);
        };
        match self.store.enrolled_born_between(from, to) {
            Ok(born) => Msg::AgeingOut(
                born.into_iter()
                    .filter(|b| ages_out(*b, today).is_some())
                    .count(),
            ),
            Err(e) => Msg::Failed(format!("The children ageing out could not be counted: {e}")),
        }
    }

    /// The audit window and the executions sheet, read on this connection.
    pub(super) fn read_lists(&mut self, command: Command) -> Msg {
        match command {
            Command::LoadAudit(filter) => match self.store.audit(&filter, WINDOW) {
                Ok(entries) => Msg::Audit { filter, entries },
                Err(e) => Msg::Failed(e.to_string()),
            },
            Command::ExportExecutions(filter) => Msg::SheetWritten {
                what: "executions".into(),
                written: self.export_executions(&filter),
            },
            _ => Msg::Failed("misrouted request".into()),
        }
    }

    fn export_executions(&self, filter: &ExecutionFilter) -> Result<(PathBuf, usize), String> {
        let stem = format!("executions-{}", self.clock.today());
        write_sheet(&self.exports, &stem, |file| {
            crate::sheets::executions(file, &self.store, filter, EXPORT_LIMIT)
        })
    }
}
