//! Background work, off the UI task: the registration desk (engine runs in spawned
//! tasks, progress forwarded event by event) and a reader thread with its own store
//! connection. Everything reports back as a `Msg`; nothing here draws.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::action::{Command, LoadedExecution, Msg};
use super::screens::dashboard::{RECENT, TodayCounts, day_bounds};
use crate::registration::{Clock, Desk};
use crate::store::{ExecutionFilter, Store};
use crate::workflow::{HistoryEvent, Observer, StateMachine};

/// Forwards the engine's history events to the console as they happen.
struct Forward(UnboundedSender<Msg>);

impl Observer for Forward {
    fn event(&self, event: &HistoryEvent) {
        let _ = self.0.send(Msg::Progress(event.clone()));
    }
}

/// Starts the background work; returns where to send commands.
pub fn spawn(db: PathBuf, clock: Clock, results: UnboundedSender<Msg>) -> UnboundedSender<Command> {
    let (commands, receiver) = unbounded_channel();
    tokio::spawn(serve(db, clock, receiver, results));
    commands
}

async fn serve(
    db: PathBuf,
    clock: Clock,
    mut commands: UnboundedReceiver<Command>,
    results: UnboundedSender<Msg>,
) {
    let opened = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || -> Result<(Desk, Store), String> {
            let desk = Desk::open(&db, clock).map_err(|e| e.to_string())?;
            let store = Store::open(&db).map_err(|e| e.to_string())?;
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
                format!("Cannot open {}: {reason}", db.display()),
            )
            .await;
        }
        Err(join) => {
            return refuse_all(
                commands,
                results,
                format!("Cannot open {}: {join}", db.display()),
            )
            .await;
        }
    };
    let machine = desk.machine().clone();
    let _ = results.send(Msg::Ready {
        states: machine.states(),
        start_at: machine.start_at().to_string(),
    });
    tracing::info!(db = %db.display(), "database open");

    let (reads, read_queue) = std::sync::mpsc::channel::<Command>();
    {
        let results = results.clone();
        std::thread::spawn(move || reader(store, machine, clock, read_queue, results));
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
            Command::ReadFile(path) => {
                let results = results.clone();
                tokio::spawn(async move {
                    let _ = results.send(Msg::FileLoaded(read_document(&path).await));
                });
            }
            Command::Export { name, events } => {
                let results = results.clone();
                tokio::spawn(async move {
                    let _ = results.send(Msg::Exported(export(&name, &events).await));
                });
            }
            other => {
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
    let text = tokio::fs::read_to_string(path).await.map_err(|e| {
        format!(
            "Cannot read {}: {e}. Check the path and try again.",
            path.display()
        )
    })?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a JSON registration: {e}", path.display()))
}

/// Writes the history as AWS GetExecutionHistory JSON into the current directory.
async fn export(name: &str, events: &[HistoryEvent]) -> Result<PathBuf, String> {
    let text = serde_json::to_string_pretty(&json!({ "events": events }))
        .map_err(|e| format!("Cannot write the history: {e}"))?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dir =
        std::env::current_dir().map_err(|e| format!("Cannot find the current directory: {e}"))?;
    let path = dir.join(format!("{safe}.history.json"));
    tokio::fs::write(&path, text).await.map_err(|e| {
        format!(
            "Cannot write {}: {e}. Start daycare from a folder you can write to.",
            path.display()
        )
    })?;
    Ok(path)
}

/// The reader thread: one store connection, requests answered in order.
fn reader(
    mut store: Store,
    machine: StateMachine,
    clock: Clock,
    queue: std::sync::mpsc::Receiver<Command>,
    results: UnboundedSender<Msg>,
) {
    while let Ok(command) = queue.recv() {
        let started = Instant::now();
        let label = command.label();
        let msg = read(&mut store, &machine, clock, command);
        tracing::debug!(
            us = started.elapsed().as_micros() as u64,
            command = label,
            "store request"
        );
        if results.send(msg).is_err() {
            return;
        }
    }
}

/// Today's executions, newest first a window at a time, never more than the cap.
fn count_today(store: &Store, clock: Clock) -> Result<TodayCounts, crate::store::StoreError> {
    let day = day_bounds(clock.today());
    let mut today = TodayCounts::default();
    let mut scanned = 0;
    let mut after = None;
    loop {
        let page = store.executions(&ExecutionFilter::default(), after.as_ref(), 500)?;
        if !today.add_window(&page.rows, day, &mut scanned) {
            return Ok(today);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(today),
        }
    }
}

fn read(store: &mut Store, machine: &StateMachine, clock: Clock, command: Command) -> Msg {
    let failed = |e: crate::store::StoreError| Msg::Failed(e.to_string());
    match command {
        Command::LoadDashboard => {
            let result = (|| {
                let spots = store.spots()?;
                let counts = store.execution_counts()?;
                let recent = store
                    .executions(&ExecutionFilter::default(), None, RECENT)?
                    .rows;
                let today = count_today(store, clock)?;
                Ok::<_, crate::store::StoreError>(Msg::Dashboard {
                    spots,
                    counts,
                    today,
                    recent,
                })
            })();
            result.unwrap_or_else(failed)
        }
        Command::LoadExecutions {
            filter,
            after,
            limit,
            generation,
            index,
        } => match store.executions(&filter, after.as_ref(), limit) {
            Ok(page) => Msg::Executions {
                generation,
                index,
                page,
            },
            Err(e) => failed(e),
        },
        Command::LoadExecution(name) => match store.execution(&name) {
            Ok(Some(stored)) => {
                let ran =
                    StateMachine::parse(&stored.definition).unwrap_or_else(|_| machine.clone());
                Msg::Execution(Box::new(LoadedExecution {
                    states: ran.states(),
                    start_at: ran.start_at().to_string(),
                    stored,
                }))
            }
            Ok(None) => Msg::NoExecution(name),
            Err(e) => failed(e),
        },
        Command::LoadChildren => store
            .registrations(false)
            .map(Msg::Children)
            .unwrap_or_else(failed),
        Command::LoadSpots => store.spots().map(Msg::Spots).unwrap_or_else(failed),
        Command::SetCapacity(day, capacity) => {
            Msg::CapacitySet(store.set_capacity(day, capacity).map_err(|e| e.to_string()))
        }
        Command::Withdraw(id) => Msg::Withdrawn(store.withdraw(id).map_err(|e| e.to_string())),
        Command::Submit(_) | Command::ReadFile(_) | Command::Export { .. } => {
            Msg::Failed("misrouted request".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::DEFINITION;
    use chrono::{NaiveDate, Weekday};

    fn setup() -> (Store, StateMachine, Clock) {
        let Ok(store) = Store::open_in_memory() else {
            panic!("an in-memory store opens")
        };
        let Ok(machine) = StateMachine::parse(DEFINITION) else {
            panic!("the shipped workflow parses")
        };
        let clock = Clock::pinned(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default());
        (store, machine, clock)
    }

    #[test]
    fn spots_are_read_and_changed_through_the_store() {
        let (mut store, machine, clock) = setup();
        let Msg::Spots(days) = read(&mut store, &machine, clock, Command::LoadSpots) else {
            panic!()
        };
        assert_eq!(days.len(), 7);
        let msg = read(
            &mut store,
            &machine,
            clock,
            Command::SetCapacity(Some(Weekday::Tue), 12),
        );
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
        let (mut store, machine, clock) = setup();
        let msg = read(
            &mut store,
            &machine,
            clock,
            Command::LoadExecution("nobody".into()),
        );
        assert!(
            matches!(msg, Msg::NoExecution(ref n) if n == "nobody"),
            "{msg:?}"
        );
        let msg = read(&mut store, &machine, clock, Command::Withdraw(42));
        assert!(matches!(msg, Msg::Withdrawn(Err(_))), "{msg:?}");
    }

    #[test]
    fn an_empty_database_gives_an_empty_dashboard() {
        let (mut store, machine, clock) = setup();
        let msg = read(&mut store, &machine, clock, Command::LoadDashboard);
        let Msg::Dashboard {
            today,
            recent,
            counts,
            ..
        } = msg
        else {
            panic!("{msg:?}")
        };
        assert_eq!((today.total(), recent.len(), counts.total), (0, 0, 0));
    }
}
