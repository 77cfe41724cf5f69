//! Background work, off the UI task: the registration desk (engine runs in spawned
//! tasks, progress forwarded event by event) and a reader thread with its own store
//! connection. Everything reports back as a `Msg`; nothing here draws.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::ConsoleOptions;
use super::action::{Command, Msg};
use super::screens::dashboard::RECENT;
use super::screens::executions::PAGE;
use crate::registration::{Clock, Desk};
use crate::store::{
    Address, AuditFilter, Changes, Create, Cursor, ExecutionFilter, Page, Store, StoreError,
};
use crate::workflow::{HistoryEvent, Observer, StateMachine};

/// Forwards the engine's history events to the console as they happen.
struct Forward(UnboundedSender<Msg>);

impl Observer for Forward {
    fn event(&self, event: &HistoryEvent) {
        let _ = self.0.send(Msg::Progress(event.clone()));
    }
}

/// Starts the background work; returns where to send commands.
pub fn spawn(options: &ConsoleOptions, results: UnboundedSender<Msg>) -> UnboundedSender<Command> {
    let (commands, receiver) = unbounded_channel();
    let exports = Arc::new(options.export_dir.clone());
    tokio::spawn(serve(
        options.db.clone(),
        options.clock,
        options.staff.clone(),
        exports,
        receiver,
        results,
    ));
    commands
}

async fn serve(
    db: Address,
    clock: Clock,
    staff: String,
    exports: Arc<PathBuf>,
    mut commands: UnboundedReceiver<Command>,
    results: UnboundedSender<Msg>,
) {
    let opened = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || -> Result<(Desk, Store), String> {
            let desk = Desk::open_address(&db, clock, Create::FileAndFolders)
                .map_err(|e| e.to_string())?
                .with_staff(&staff);
            let store =
                Store::open_address(&db, Create::FileAndFolders).map_err(|e| e.to_string())?;
            Ok((desk, store))
        })
        .await
    };
    let (desk, store) = match opened {
        Ok(Ok(pair)) => pair,
        Ok(Err(reason)) => {
            return refuse_all(
                commands,
                results,
                format!("Cannot open {}: {reason}", db.shown()),
            )
            .await;
        }
        Err(join) => {
            return refuse_all(
                commands,
                results,
                format!("Cannot open {}: {join}", db.shown()),
            )
            .await;
        }
    };
    let machine = desk.machine().clone();
    let _ = results.send(Msg::Ready(machine.clone()));
    tracing::info!(db = %db.shown(), "database open");

    let (reads, read_queue) = std::sync::mpsc::channel::<Command>();
    {
        let results = results.clone();
        let staff = desk.staff().to_string();
        let exports = exports.clone();
        std::thread::spawn(move || {
            let mut reader = Reader::new(store, machine, clock);
            reader.staff = staff;
            reader.exports = exports.as_ref().clone();
            reader_loop(reader, read_queue, results)
        });
    }
    while let Some(command) = commands.recv().await {
        match command {
            Command::Submit(document) => {
                let desk = desk.clone();
                let results = results.clone();
                tokio::spawn(async move {
                    let started = Instant::now();
                    let observer: Arc<dyn Observer> = Arc::new(Forward(results.clone()));
                    let outcome = desk.submit(document, Some(observer)).await;
                    tracing::info!(
                        ms = started.elapsed().as_millis() as u64,
                        ok = outcome.is_ok(),
                        "registration submitted"
                    );
                    let _ = results.send(Msg::Submitted(
                        outcome.map(Box::new).map_err(|e| e.to_string()),
                    ));
                });
            }
            Command::Withdraw { id, reason, on } => {
                let desk = desk.clone();
                let results = results.clone();
                tokio::spawn(async move {
                    let withdrawn = async {
                        let change = desk
                            .withdraw(id, &reason, Some(on), None)
                            .await
                            .map_err(|e| e.to_string())?;
                        if let Some(refusal) = change.refusal() {
                            return Err(refusal.to_string());
                        }
                        desk.registration(id)
                            .map_err(|e| e.to_string())?
                            .ok_or_else(|| format!("registration {id} vanished"))
                    };
                    let _ = results.send(Msg::Withdrawn(withdrawn.await));
                });
            }
            Command::Amend { id, changes } => {
                let desk = desk.clone();
                let results = results.clone();
                tokio::spawn(async move {
                    let result = match desk.amend(id, changes, None).await {
                        Ok(change) => match change.refusal() {
                            Some(refusal) => Err(refusal.to_string()),
                            None => Ok(()),
                        },
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = results.send(Msg::Amended { id, result });
                });
            }
            Command::CompletePath(typed) => {
                let results = results.clone();
                tokio::spawn(async move {
                    let completed = complete_path(&typed).await;
                    let _ = results.send(Msg::PathCompleted { typed, completed });
                });
            }
            Command::ReadFile(path) => {
                let results = results.clone();
                tokio::spawn(async move {
                    let _ = results.send(Msg::FileLoaded(read_document(&path).await));
                });
            }
            command @ (Command::LoadWaitlist
            | Command::PutOnWaitlist { .. }
            | Command::Offer(_)
            | Command::RemoveFromWaitlist { .. }
            | Command::ExportWaitlist) => {
                super::worker_lists::serve(&desk, &exports, command, &results);
            }
            Command::Export { name, events } => {
                let results = results.clone();
                let exports = exports.clone();
                tokio::spawn(async move {
                    let _ = results.send(Msg::Exported(export(&exports, &name, &events).await));
                });
            }
            other => {
                // The dashboard shows the waitlist's line too, read through the desk.
                if matches!(other, Command::LoadDashboard) {
                    super::worker_lists::serve(&desk, &exports, Command::LoadWaitlist, &results);
                }
                if reads.send(other).is_err() {
                    let _ = results.send(Msg::Failed(
                        "The database reader stopped; restart daycare.".into(),
                    ));
                }
            }
        }
    }
}

/// The database could not be opened: every request is answered with the reason.
async fn refuse_all(
    mut commands: UnboundedReceiver<Command>,
    results: UnboundedSender<Msg>,
    reason: String,
) {
    tracing::error!(%reason, "database not opened");
    let _ = results.send(Msg::Unavailable(reason.clone()));
    while commands.recv().await.is_some() {
        let _ = results.send(Msg::Failed(reason.clone()));
    }
}

async fn read_document(path: &Path) -> Result<Value, String> {
    let path = home_expanded(path);
    let text = tokio::fs::read_to_string(&path).await.map_err(|e| {
        format!(
            "Cannot read {}: {e}. Check the path and try again.",
            path.display()
        )
    })?;
    first_document(&text, path.extension().is_some_and(|e| e == "jsonl"))
        .map_err(|e| format!("{} is not a JSON registration: {e}", path.display()))
}

/// How far a typed path completes: to the one entry of its folder it names the start of
/// (a folder gets its `/`), or to the longest start the entries it names share. What
/// does not complete (no folder, no entry) comes back as typed.
async fn complete_path(typed: &str) -> String {
    let (folder, start) = match typed.rfind('/') {
        Some(at) => (&typed[..=at], &typed[at + 1..]),
        None => ("", typed),
    };
    let read_in = home_expanded(Path::new(if folder.is_empty() { "." } else { folder }));
    let Ok(mut entries) = tokio::fs::read_dir(&read_in).await else {
        return typed.to_string();
    };
    let mut names = Vec::new();
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(start) && (start.starts_with('.') || !name.starts_with('.')) {
            let folder = entry.file_type().await.is_ok_and(|t| t.is_dir());
            names.push((name, folder));
        }
    }
    format!("{folder}{}", completion(start, &names))
}

/// The completion of `start` among `names` (name, whether a folder).
fn completion(start: &str, names: &[(String, bool)]) -> String {
    match names {
        [] => start.to_string(),
        [(name, true)] => format!("{name}/"),
        [(name, false)] => name.clone(),
        [(first, _), rest @ ..] => {
            let mut shared = first.as_str();
            for (name, _) in rest {
                let common = shared
                    .char_indices()
                    .zip(name.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(shared.len().min(name.len()), |((at, _), _)| at);
                shared = &shared[..common];
            }
            shared.to_string()
        }
    }
}

/// `~` and `~/…` as the home folder, as a shell reads them.
fn home_expanded(path: &Path) -> PathBuf {
    let Ok(rest) = path.strip_prefix("~") else {
        return path.to_path_buf();
    };
    match directories::BaseDirs::new() {
        Some(dirs) => dirs.home_dir().join(rest),
        None => path.to_path_buf(),
    }
}

/// The registration a file holds: the whole text, or for JSON Lines the first line that
/// is not blank (the form takes one registration at a time).
fn first_document(text: &str, json_lines: bool) -> Result<Value, serde_json::Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if json_lines {
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
    } else {
        text
    };
    serde_json::from_str(text)
}

/// Writes the history as AWS GetExecutionHistory JSON into the export folder (created
/// when missing), as `NAME.history.json`, or `NAME.history-2.json` and so on when that
/// file exists: nothing is ever overwritten.
async fn export(dir: &Path, name: &str, events: &[HistoryEvent]) -> Result<PathBuf, String> {
    let text = serde_json::to_string_pretty(&json!({ "events": events }))
        .map_err(|e| format!("Cannot write the history: {e}"))?;
    let safe = crate::workflow::naming::file_safe(name);
    tokio::fs::create_dir_all(dir).await.map_err(|e| {
        format!(
            "Cannot create the export folder {}: {e}. Choose another with --export-dir.",
            dir.display()
        )
    })?;
    for n in 1..=1000u32 {
        let file = if n == 1 {
            format!("{safe}.history.json")
        } else {
            format!("{safe}.history-{n}.json")
        };
        let path = dir.join(file);
        let opened = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await;
        let mut out = match opened {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "Cannot write {}: {e}. Choose a folder you can write to with --export-dir.",
                    path.display()
                ));
            }
        };
        use tokio::io::AsyncWriteExt;
        let written = async {
            out.write_all(text.as_bytes()).await?;
            out.flush().await
        };
        return match written.await {
            Ok(()) => Ok(path),
            Err(e) => Err(format!("Cannot write {}: {e}", path.display())),
        };
    }
    Err(format!(
        "{} already holds 1,000 exports of {safe}; move some away and try again.",
        dir.display()
    ))
}

/// The most changes a record lists.
const RECORD_CHANGES: usize = 200;

/// How often the reader asks whether another connection changed the database, when it
/// cannot be told (`Changes::interval` says otherwise).
const POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// The reader thread: one store connection, requests answered in order, and a look at
/// the database's version between them (see `POLL`).
fn reader_loop(
    mut reader: Reader,
    queue: std::sync::mpsc::Receiver<Command>,
    results: UnboundedSender<Msg>,
) {
    let mut changes = reader.store.changes();
    if let Err(e) = &changes {
        tracing::warn!("other desks' changes will not be seen: {e}");
    }
    let every = changes.as_ref().map_or(POLL, Changes::interval);
    let mut polled = Instant::now();
    loop {
        // Now and then (`Changes::interval`), whether anyone else changed the database:
        // then the screen in front reads what it shows again.
        if polled.elapsed() >= every {
            polled = Instant::now();
            if let Ok(changes) = &mut changes
                && changes.changed(&reader.store)
                && results.send(Msg::Changed).is_err()
            {
                return;
            }
        }
        let command = match queue.recv_timeout(every.saturating_sub(polled.elapsed())) {
            Ok(command) => command,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let started = Instant::now();
        let label = command.label();
        let answers = reader.answer(command);
        tracing::debug!(
            us = started.elapsed().as_micros() as u64,
            command = label,
            "store request"
        );
        for msg in answers {
            if results.send(msg).is_err() {
                return;
            }
        }
    }
}

/// The machines executions ran, each parsed once: by a hash of its definition's text,
/// checked against the text itself, so two definitions never share a drawing.
struct Machines {
    /// The workflow this desk runs: shown for a kept definition that no longer parses.
    current: StateMachine,
    parsed: HashMap<u64, StateMachine>,
}

impl Machines {
    fn get(&mut self, definition: &str) -> StateMachine {
        let mut hasher = DefaultHasher::new();
        definition.hash(&mut hasher);
        let key = hasher.finish();
        if let Some(machine) = self.parsed.get(&key)
            && machine.source() == definition
        {
            return machine.clone();
        }
        match StateMachine::parse(definition) {
            Ok(machine) => {
                self.parsed.insert(key, machine.clone());
                machine
            }
            Err(_) => self.current.clone(),
        }
    }
}

/// What the reader thread holds: its store connection, the clock and the machines read.
pub(super) struct Reader {
    pub(super) store: Store,
    pub(super) clock: Clock,
    machines: Machines,
    /// Who is at the desk, for the audit of a capacity change.
    pub(super) staff: String,
    /// Where sheets are written.
    pub(super) exports: PathBuf,
}

impl Reader {
    fn new(store: Store, machine: StateMachine, clock: Clock) -> Reader {
        Reader {
            store,
            clock,
            machines: Machines {
                current: machine,
                parsed: HashMap::new(),
            },
            staff: crate::registration::staff_name(None),
            exports: std::env::temp_dir(),
        }
    }

    /// The reports answering `command`: a window of executions comes with the list's
    /// total; every other request has one answer.
    fn answer(&mut self, command: Command) -> Vec<Msg> {
        match command {
            Command::LoadExecutions {
                filter,
                after,
                limit,
                generation,
                index,
            } => match self.window(&filter, after, limit, index) {
                Ok((page, total)) => vec![
                    Msg::Executions {
                        generation,
                        index,
                        page,
                    },
                    Msg::ExecutionsTotal { generation, total },
                ],
                Err(e) => vec![Msg::Failed(e.to_string())],
            },
            Command::LoadExecution(name) => {
                let made = self.store.registration_made_by(&name);
                let mut answers = vec![self.read(Command::LoadExecution(name.clone()))];
                if let Ok(Some(id)) = made {
                    answers.push(Msg::MadeRegistration {
                        execution: name.clone(),
                        id,
                    });
                    // A registration withdrawn since (or leaving) is said on its execution.
                    if let Ok(Some(kept)) = self.store.registration(id)
                        && let Some(on) = kept.leaves_on
                    {
                        answers.push(Msg::MadeRegistrationWithdrawn {
                            execution: name,
                            id,
                            on,
                            reason: kept.withdraw_reason,
                        });
                    }
                }
                answers
            }
            Command::LoadDashboard => {
                let mut answers = vec![self.read(Command::LoadDashboard)];
                answers.push(self.ageing_out());
                answers
            }
            Command::LoadRecord(id) => {
                let filter = AuditFilter {
                    registration_id: Some(id),
                    ..AuditFilter::default()
                };
                let changes = self.store.audit(&filter, RECORD_CHANGES);
                let mut answers = vec![self.read(Command::LoadRecord(id))];
                match changes {
                    Ok(entries) => answers.push(Msg::RecordChanges { id, entries }),
                    Err(e) => answers.push(Msg::Failed(format!(
                        "The record's changes could not be read: {e}"
                    ))),
                }
                answers
            }
            Command::ExportRoster(day) => {
                let what = format!("class list for {}", crate::weekday::name(day));
                let stem = format!("class-list-{}", crate::weekday::name(day).to_lowercase());
                let today = self.clock.today();
                let store = &self.store;
                let written = super::worker_lists::write_sheet(&self.exports, &stem, |out| {
                    crate::sheets::roster(out, store, day, today)
                });
                vec![Msg::SheetWritten { what, written }]
            }
            Command::ExportContacts => {
                let today = self.clock.today();
                let store = &self.store;
                let written =
                    super::worker_lists::write_sheet(&self.exports, "contact-sheet", |out| {
                        crate::sheets::contacts(out, store, today)
                    });
                vec![Msg::SheetWritten {
                    what: "contact sheet".into(),
                    written,
                }]
            }
            other => vec![self.read(other)],
        }
    }

    /// Window number `index` of the executions `filter` lists, and how many it lists.
    /// A window asked for by its number alone (the last, say) is found from the nearer
    /// end of the list.
    fn window(
        &mut self,
        filter: &ExecutionFilter,
        after: Option<Cursor>,
        limit: usize,
        index: usize,
    ) -> Result<(Page, u64), StoreError> {
        let after = match after {
            None if index > 0 => self.store.execution_cursor(filter, (index * PAGE) as u64)?,
            after => after,
        };
        let page = self.store.executions(filter, after.as_ref(), limit)?;
        let total = self.store.count_executions(filter)?;
        Ok((page, total))
    }

    fn read(&mut self, command: Command) -> Msg {
        let failed = |e: StoreError| Msg::Failed(e.to_string());
        let store = &mut self.store;
        match command {
            Command::LoadDashboard => {
                let result = (|| {
                    Ok::<_, StoreError>(Msg::Dashboard {
                        spots: store.spots()?,
                        counts: store.execution_counts()?,
                        today: store.counts_on(self.clock.today())?,
                        later: store.starting_after(self.clock.today())?,
                        recent: store
                            .executions(&ExecutionFilter::default(), None, RECENT)?
                            .rows,
                    })
                })();
                result.unwrap_or_else(failed)
            }
            // A window of executions is read in one place, with the list's total.
            command @ Command::LoadExecutions { .. } => self
                .answer(command)
                .into_iter()
                .next()
                .unwrap_or_else(|| Msg::Failed("The executions could not be read.".into())),
            Command::LoadExecution(name) => match store.execution(&name) {
                Ok(Some(stored)) => Msg::Execution {
                    machine: self.machines.get(&stored.definition),
                    stored: Box::new(stored),
                },
                Ok(None) => Msg::NoExecution(name),
                Err(e) => failed(e),
            },
            Command::LoadChildren => store
                .registrations(false)
                .map(Msg::Children)
                .unwrap_or_else(failed),
            Command::LoadWithdrawnChildren => store
                .withdrawn_registrations(WITHDRAWN_SHOWN)
                .map(Msg::WithdrawnChildren)
                .unwrap_or_else(failed),
            Command::LoadRecord(id) => match store.registration(id) {
                Ok(registration) => {
                    // The record shows the enrolment's date; without it, still the record.
                    let enrolled_by = registration.as_ref().and_then(|r| {
                        store
                            .execution(&r.execution_name)
                            .ok()
                            .flatten()
                            .map(|e| Box::new(e.summary))
                    });
                    Msg::Record {
                        id,
                        registration: registration.map(Box::new),
                        enrolled_by,
                    }
                }
                Err(e) => failed(e),
            },
            Command::LoadSpots => store.spots().map(Msg::Spots).unwrap_or_else(failed),
            Command::SetCapacity(day, capacity) => Msg::CapacitySet(
                store
                    .set_capacity(day, capacity, &self.staff)
                    .map_err(|e| e.to_string()),
            ),
            command @ (Command::LoadAudit(_) | Command::ExportExecutions(_)) => {
                self.read_lists(command)
            }
            Command::Submit(_)
            | Command::Withdraw { .. }
            | Command::Amend { .. }
            | Command::ExportRoster(_)
            | Command::ExportContacts
            | Command::ReadFile(_)
            | Command::CompletePath(_)
            | Command::Export { .. }
            | Command::LoadWaitlist
            | Command::PutOnWaitlist { .. }
            | Command::Offer(_)
            | Command::RemoveFromWaitlist { .. }
            | Command::ExportWaitlist => Msg::Failed("misrouted request".into()),
        }
    }
}

/// How many withdrawn children the Children list's withdrawn view holds: the newest.
const WITHDRAWN_SHOWN: usize = 2_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::DEFINITION;
    use crate::workflow::{ExecutionStatus, ExecutionSummary};
    use chrono::{NaiveDate, Weekday};

    fn setup() -> Reader {
        let Ok(store) = Store::open_in_memory() else {
            panic!("an in-memory store opens")
        };
        let Ok(machine) = StateMachine::parse(DEFINITION) else {
            panic!("the shipped workflow parses")
        };
        let clock = Clock::pinned(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default());
        Reader::new(store, machine, clock)
    }

    #[test]
    fn a_path_completes_to_its_one_entry_or_the_start_its_entries_share() {
        let names = |list: &[(&str, bool)]| -> Vec<(String, bool)> {
            list.iter().map(|(n, d)| (n.to_string(), *d)).collect()
        };
        assert_eq!(
            completion("tu", &names(&[("tutorial.json", false)])),
            "tutorial.json"
        );
        assert_eq!(
            completion("fix", &names(&[("fixtures", true)])),
            "fixtures/"
        );
        let ages = names(&[("age-2.json", false), ("age-3.json", false)]);
        assert_eq!(completion("a", &ages), "age-");
        assert_eq!(completion("zz", &[]), "zz");
        let rt = tokio::runtime::Builder::new_current_thread().build();
        let Ok(rt) = rt else { panic!("a runtime") };
        let dir = env!("CARGO_MANIFEST_DIR");
        let done = rt.block_on(complete_path(&format!(
            "{dir}/fixtures/registrations/tutorial-ex"
        )));
        assert_eq!(
            done,
            format!("{dir}/fixtures/registrations/tutorial-example.json")
        );
        assert_eq!(
            rt.block_on(complete_path("/no/such/folder/x")),
            "/no/such/folder/x"
        );
    }

    #[test]
    fn a_registration_file_may_be_json_lines_and_start_with_a_tilde() {
        let lines = "\n{\"registration_info\": {\"child\": {}}}\n{\"second\": 2}\n";
        let Ok(first) = first_document(lines, true) else {
            panic!("the first line is read")
        };
        assert!(first.get("registration_info").is_some());
        assert!(
            first_document(lines, false).is_err(),
            "two documents are not one"
        );
        assert!(first_document("\u{feff}{\"a\": 1}", false).is_ok());
        let home = home_expanded(Path::new("~/daycare/a.json"));
        assert!(!home.starts_with("~"), "{}", home.display());
        assert!(home.ends_with("daycare/a.json"));
        assert_eq!(home_expanded(Path::new("a~b.json")), Path::new("a~b.json"));
    }

    #[test]
    fn spots_are_read_and_changed_through_the_store() {
        let mut reader = setup();
        let Msg::Spots(days) = reader.read(Command::LoadSpots) else {
            panic!()
        };
        assert_eq!(days.len(), 7);
        let msg = reader.read(Command::SetCapacity(Some(Weekday::Tue), 12));
        let Msg::CapacitySet(Ok(days)) = msg else {
            panic!("{msg:?}")
        };
        assert_eq!(
            days.iter()
                .find(|d| d.day == Weekday::Tue)
                .map(|d| d.capacity),
            Some(12)
        );
    }

    #[test]
    fn a_missing_execution_or_child_is_reported_not_panicked() {
        let mut reader = setup();
        let msg = reader.read(Command::LoadExecution("nobody".into()));
        assert!(
            matches!(msg, Msg::NoExecution(ref n) if n == "nobody"),
            "{msg:?}"
        );
    }

    #[test]
    fn an_empty_database_gives_an_empty_dashboard() {
        let mut reader = setup();
        let msg = reader.read(Command::LoadDashboard);
        let Msg::Dashboard {
            today,
            recent,
            counts,
            ..
        } = msg
        else {
            panic!("{msg:?}")
        };
        assert_eq!((today.total, recent.len(), counts.total), (0, 0, 0));
    }

    fn kept(reader: &mut Reader, name: &str, definition: &str) {
        let mut summary = ExecutionSummary::started("arn:m", name, "{}".into());
        let store = &mut reader.store;
        let Ok(()) = store.begin_execution(&summary, definition, None) else {
            panic!("begun")
        };
        summary.status = ExecutionStatus::Succeeded;
        crate::store::testing::end(store, summary, None);
    }

    /// A child enrolled by a run named `name`, as the desk keeps one: begun, confirmed, ended.
    fn enrolled(reader: &mut Reader, name: &str, first: &str) -> i64 {
        enrolled_born(reader, name, first, "2022-03-01")
    }

    fn enrolled_born(reader: &mut Reader, name: &str, first: &str, born: &str) -> i64 {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let registration = crate::store::NewRegistration {
            first_name: first.into(),
            last_name: "Diallo".into(),
            date_of_birth: date(born),
            days: vec![Weekday::Mon],
            age: 4,
            fees: 700,
            start_date: date("2026-09-15"),
            execution_name: name.into(),
            document: json!({"child": {"firstName": first}, "specialInstructions": "Naps"})
                .to_string(),
        };
        crate::store::testing::enrol(&mut reader.store, &registration, DEFINITION)
    }

    #[test]
    fn a_record_comes_with_the_run_that_enrolled_the_child_and_withdrawn_children_apart() {
        let mut reader = setup();
        let awa = enrolled(&mut reader, "diallo-awa-1", "Awa");
        let _omar = enrolled(&mut reader, "diallo-omar-2", "Omar");
        let msg = reader.read(Command::LoadRecord(awa));
        let Msg::Record {
            id,
            registration: Some(registration),
            enrolled_by: Some(run),
        } = msg
        else {
            panic!("{msg:?}")
        };
        assert_eq!((id, registration.first_name.as_str()), (awa, "Awa"));
        assert_eq!(registration.document["specialInstructions"], "Naps");
        assert_eq!(run.name, "diallo-awa-1");
        assert!(matches!(
            reader.read(Command::LoadRecord(999)),
            Msg::Record {
                id: 999,
                registration: None,
                ..
            }
        ));
        // The longest enrolled (Awa) leaves.
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default();
        let Ok(Some(left)) = reader.store.withdraw_oldest(day, "moving", "test") else {
            panic!("withdrawn")
        };
        assert_eq!(left, awa);
        let names = |msg: Msg| match msg {
            Msg::Children(rows) | Msg::WithdrawnChildren(rows) => {
                rows.into_iter().map(|r| r.first_name).collect::<Vec<_>>()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(names(reader.read(Command::LoadChildren)), ["Omar"]);
        let withdrawn = reader.read(Command::LoadWithdrawnChildren);
        assert!(matches!(withdrawn, Msg::WithdrawnChildren(_)));
        assert_eq!(names(withdrawn), ["Awa"]);
    }

    #[test]
    fn a_record_comes_with_its_audit_and_a_withdrawn_registration_s_execution_says_so() {
        let mut reader = setup();
        let awa = enrolled(&mut reader, "diallo-awa-1", "Awa");
        let answers = reader.answer(Command::LoadRecord(awa));
        assert!(
            matches!(&answers[..], [Msg::Record { .. }, Msg::RecordChanges { id, entries }] if *id == awa && entries.is_empty()),
            "{answers:?}"
        );
        let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default();
        let Ok(Some(_)) = reader.store.withdraw_oldest(day, "moving to Lyon", "Ines") else {
            panic!("withdrawn")
        };
        let answers = reader.answer(Command::LoadRecord(awa));
        let Some(Msg::RecordChanges { entries, .. }) = answers.get(1) else {
            panic!("{answers:?}")
        };
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].staff, "Ines");
        let answers = reader.answer(Command::LoadExecution("diallo-awa-1".into()));
        assert!(
            answers.iter().any(|m| matches!(m,
                Msg::MadeRegistrationWithdrawn { id, on, reason: Some(reason), .. }
                    if *id == awa && *on == day && reason == "moving to Lyon")),
            "{answers:?}"
        );
    }

    #[test]
    fn a_class_list_goes_into_a_new_file_of_the_export_folder_each_time() {
        let mut reader = setup();
        enrolled(&mut reader, "diallo-awa-1", "Awa");
        let Ok(dir) = tempfile::TempDir::new() else {
            panic!("a temporary folder")
        };
        reader.exports = dir.path().join("exports");
        let mut paths = Vec::new();
        for _ in 0..2 {
            let answers = reader.answer(Command::ExportRoster(Weekday::Mon));
            let [
                Msg::SheetWritten {
                    what,
                    written: Ok((path, _)),
                },
            ] = &answers[..]
            else {
                panic!("{answers:?}")
            };
            assert_eq!(what, "class list for Monday");
            paths.push(path.clone());
        }
        assert_eq!(
            paths,
            [
                reader.exports.join("class-list-monday.csv"),
                reader.exports.join("class-list-monday-2.csv")
            ]
        );
        let Ok(text) = std::fs::read_to_string(&paths[0]) else {
            panic!("written")
        };
        assert!(text.starts_with('\u{feff}'), "{text}");
        let answers = reader.answer(Command::ExportContacts);
        assert!(
            matches!(&answers[..], [Msg::SheetWritten { written: Ok((path, _)), .. }] if path.ends_with("contact-sheet.csv")),
            "{answers:?}"
        );
    }

    #[test]
    fn executions_of_one_definition_share_one_parsed_machine() {
        let mut reader = setup();
        let other = r#"{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}"#;
        kept(&mut reader, "a", DEFINITION);
        kept(&mut reader, "b", DEFINITION);
        kept(&mut reader, "c", other);
        let mut start_ats = Vec::new();
        for name in ["a", "b", "c", "a"] {
            let Msg::Execution { machine, .. } = reader.read(Command::LoadExecution(name.into()))
            else {
                panic!("{name} opens")
            };
            start_ats.push(machine.start_at().to_string());
        }
        assert_eq!(
            start_ats,
            [
                "Check Information",
                "Check Information",
                "Done",
                "Check Information"
            ]
        );
        assert_eq!(
            reader.machines.parsed.len(),
            2,
            "each definition parsed once"
        );
    }

    #[test]
    fn the_audit_names_the_desk_s_staff_and_sheets_go_to_the_export_folder() {
        let mut reader = setup();
        let Ok(exports) = tempfile::tempdir() else {
            panic!("a temporary folder")
        };
        reader.staff = "maria".into();
        reader.exports = exports.path().join("exports");
        let msg = reader.read(Command::SetCapacity(Some(Weekday::Fri), 1));
        assert!(matches!(msg, Msg::CapacitySet(Ok(_))), "{msg:?}");
        let msg = reader.read(Command::LoadAudit(crate::store::AuditFilter::default()));
        let Msg::Audit { entries, .. } = msg else {
            panic!("{msg:?}")
        };
        let staff: Vec<&str> = entries.iter().map(|e| e.staff.as_str()).collect();
        assert_eq!(staff, ["maria"]);

        kept(&mut reader, "a", DEFINITION);
        let mut written = Vec::new();
        for _ in 0..2 {
            let msg = reader.read(Command::ExportExecutions(ExecutionFilter::default()));
            let Msg::SheetWritten {
                written: Ok((path, rows)),
                ..
            } = msg
            else {
                panic!("{msg:?}")
            };
            assert_eq!(rows, 1);
            written.push(path);
        }
        assert_eq!(
            written,
            [
                exports.path().join("exports/executions-2026-09-01.csv"),
                exports.path().join("exports/executions-2026-09-01-2.csv"),
            ],
            "a new file each time, never the current folder"
        );

        let answers = reader.answer(Command::LoadDashboard);
        assert!(
            matches!(answers[..], [Msg::Dashboard { .. }, Msg::AgeingOut(0)]),
            "{answers:?}"
        );
    }

    #[test]
    fn the_dashboard_counts_the_enrolled_children_who_turn_6_within_60_days() {
        let mut reader = setup();
        // Today is 2026-09-01: the 60 days run to 2026-10-31.
        enrolled_born(&mut reader, "a", "Soon", "2020-10-20");
        enrolled_born(&mut reader, "b", "Last", "2020-10-31");
        enrolled_born(&mut reader, "c", "Later", "2020-11-01");
        enrolled_born(&mut reader, "d", "Younger", "2022-03-01");
        let answers = reader.answer(Command::LoadDashboard);
        assert!(
            matches!(answers[..], [Msg::Dashboard { .. }, Msg::AgeingOut(2)]),
            "{answers:?}"
        );
    }
}
