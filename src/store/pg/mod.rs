//! PostgreSQL: a daycare database on a server, for desks on several machines. This part
//! opens one safely, as `open.rs` does a file: a database holding another program's
//! tables, or made by a newer daycare, is refused before anything is written; a new,
//! empty one gets the schema (`schema.sql`), by one opener at a time.
//!
//! The connection lives on a thread of its own and every statement runs there
//! (`Postgres::call`). The `postgres` client drives an async runtime of its own and
//! panics inside another one, and the desk calls the store from inside its runtime; on
//! its own thread the client is never inside one.

use std::sync::atomic::{AtomicBool, Ordering};

use postgres::fallible_iterator::FallibleIterator;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use super::address::ServerAddress;
use super::sql::Session;
use super::{APPLICATION_ID, Create, Result, StoreError};

/// The schema version `schema.sql` makes, the same number as SQLite's for the same
/// tables (`open.rs`).
pub const SCHEMA: i64 = 7;

type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// What a statement run on the connection's thread can fail with.
pub enum Failed {
    Postgres(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Failed {
    fn from(e: postgres::Error) -> Failed {
        Failed::Postgres(e)
    }
}

impl From<StoreError> for Failed {
    fn from(e: StoreError) -> Failed {
        Failed::Store(e)
    }
}

/// An open daycare database on a PostgreSQL server.
pub struct Postgres {
    server: ServerAddress,
    /// To open more connections (`watch`); boxed, being large.
    config: Box<postgres::Config>,
    jobs: Option<mpsc::Sender<Job>>,
    worker: Option<JoinHandle<()>>,
}

impl Postgres {
    /// Connects to `server` and checks, under the advisory lock every opener takes, that
    /// the database is a daycare's; an empty one gets the schema unless `create` is
    /// `Create::No`. Anything else is refused with the database left as it was.
    pub fn open(server: &ServerAddress, create: Create) -> Result<Postgres> {
        let config: postgres::Config =
            server.given().parse().map_err(|e| StoreError::Postgres {
                address: server.shown().to_string(),
                reason: server.scrub(&format!("the address cannot be read ({e})")),
            })?;
        if config.get_ssl_mode() == postgres::config::SslMode::Require {
            return Err(StoreError::Postgres {
                address: server.shown().to_string(),
                reason: "the address asks for TLS (sslmode=require), which this daycare \
                         does not offer: connect over a trusted network or an SSH tunnel with \
                         sslmode=disable or prefer"
                    .into(),
            });
        }
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready, connected) = mpsc::channel();
        let kept = config.clone();
        let worker = std::thread::Builder::new()
            .name("postgres".into())
            .spawn(move || {
                let mut session = match config.connect(postgres::NoTls) {
                    Ok(client) => Session::new(client),
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                for job in inbox {
                    job(&mut session);
                }
            })
            .map_err(|e| StoreError::Other(format!("cannot start the database thread: {e}")))?;
        let store = Postgres {
            server: server.clone(),
            config: Box::new(kept),
            jobs: Some(jobs),
            worker: Some(worker),
        };
        match connected.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(store.failure(Failed::Postgres(e))),
            Err(_) => return Err(store.stopped()),
        }
        let shown = server.shown().to_string();
        store.call(move |client| prepare(client, &shown, create))?;
        Ok(store)
    }

    /// The address, with its passwords hidden.
    pub fn shown(&self) -> &str {
        self.server.shown()
    }

    /// Runs `f` on the connection's thread and waits for its answer. Safe to call from
    /// inside an async runtime: only this thread ever touches the client.
    pub fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, Failed> + Send + 'static,
    ) -> Result<T> {
        self.session(move |s| f(&mut s.client))
    }

    /// As `call`, with the statements the connection has prepared (`sql.rs`).
    pub(in crate::store) fn session<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, Failed> + Send + 'static,
    ) -> Result<T> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.start(move |s| {
            let _ = reply.send(f(s));
        })?;
        match answer.recv() {
            Ok(answer) => answer.map_err(|e| self.failure(e)),
            Err(_) => Err(self.stopped()),
        }
    }

    /// Queues `job` on the connection's thread without waiting for it.
    pub(in crate::store) fn start(
        &self,
        job: impl FnOnce(&mut Session) + Send + 'static,
    ) -> Result<()> {
        let job: Job = Box::new(job);
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if sent { Ok(()) } else { Err(self.stopped()) }
    }

    /// Listens, on a connection and thread of its own, for the changes any desk commits
    /// (the schema announces each on the `daycare` channel, naming the table).
    pub fn watch(&self) -> Result<Watch> {
        // Connected on its thread, as every connection here: never inside the caller's
        // runtime.
        let config = (*self.config).clone();
        let (ready, listening) = mpsc::channel();
        let (changed, changes) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("postgres-watch".into())
            .spawn(move || {
                let mut client = match config
                    .connect(postgres::NoTls)
                    .and_then(|mut client| client.batch_execute("LISTEN daycare").map(|()| client))
                {
                    Ok(client) => client,
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                while !stopping.load(Ordering::Relaxed) {
                    let mut notifications = client.notifications();
                    // Wakes now and then to see whether the watch was dropped.
                    let mut waiting = notifications.timeout_iter(WATCH_WAKE);
                    match waiting.next() {
                        Ok(Some(n)) => {
                            if changed.send(n.payload().to_string()).is_err() {
                                return;
                            }
                        }
                        Ok(None) => {}
                        Err(_) => return,
                    }
                }
            })
            .map_err(|e| StoreError::Other(format!("cannot start the watching thread: {e}")))?;
        let watch = Watch {
            changes,
            stop,
            thread: Some(thread),
        };
        match listening.recv() {
            Ok(Ok(())) => Ok(watch),
            Ok(Err(e)) => Err(self.failure(Failed::Postgres(e))),
            Err(_) => Err(self.stopped()),
        }
    }

    /// The schema version the database holds.
    pub fn schema_version(&self) -> Result<i64> {
        self.call(|client| {
            Ok(client
                .query_one(
                    "SELECT version FROM daycare_schema WHERE application = 'daycare'",
                    &[],
                )?
                .get(0))
        })
    }

    /// A failure as the store reports it, naming the server without its password.
    pub(in crate::store) fn failure(&self, failed: Failed) -> StoreError {
        match failed {
            Failed::Store(e) => e,
            Failed::Postgres(e) => StoreError::Postgres {
                address: self.server.shown().to_string(),
                reason: self.server.scrub(&reason(&e)),
            },
        }
    }

    fn stopped(&self) -> StoreError {
        StoreError::Postgres {
            address: self.server.shown().to_string(),
            reason: "the connection's thread stopped".into(),
        }
    }
}

impl Drop for Postgres {
    /// Ends the connection: the thread leaves its loop once no job can come.
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// How often the watching thread looks whether it is still wanted.
const WATCH_WAKE: std::time::Duration = std::time::Duration::from_millis(200);

/// The tables other desks (and this one) changed, as their transactions commit.
pub struct Watch {
    changes: mpsc::Receiver<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    /// The next table changed, waiting at most `timeout`; `None` if none was.
    pub fn next_change(&self, timeout: std::time::Duration) -> Option<String> {
        self.changes.recv_timeout(timeout).ok()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The server's own sentence when it gave one, else the client's with what caused it
/// ("error connecting to server: Connection refused").
fn reason(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut reason = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let said = c.to_string();
        if !reason.contains(&said) {
            reason.push_str(": ");
            reason.push_str(&said);
        }
        cause = c.source();
    }
    reason
}

/// What is in the database, decided and acted on in one transaction that holds the
/// daycare's advisory lock, so racing openers make the schema once.
fn prepare(client: &mut postgres::Client, shown: &str, create: Create) -> Result<(), Failed> {
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&i64::from(APPLICATION_ID)],
    )?;
    let row = tx.query_one(
        "SELECT to_regclass('daycare_schema') IS NOT NULL, \
                (SELECT COUNT(*) FROM pg_catalog.pg_class c \
                   JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))",
        &[],
    )?;
    let (marked, objects): (bool, i64) = (row.get(0), row.get(1));
    if marked {
        let version: Option<i64> = tx
            .query_opt(
                "SELECT version FROM daycare_schema WHERE application = 'daycare'",
                &[],
            )?
            .map(|row| row.get(0));
        return match version {
            Some(SCHEMA) => Ok(()),
            Some(found) if found > SCHEMA => Err(StoreError::TooNew {
                path: shown.to_string(),
                found,
                known: SCHEMA,
            }
            .into()),
            _ => Err(StoreError::NotADaycareDatabase {
                path: shown.to_string(),
                reason: "its daycare_schema table names no schema this daycare ever made".into(),
            }
            .into()),
        };
    }
    if objects > 0 {
        return Err(StoreError::NotADaycareDatabase {
            path: shown.to_string(),
            reason: "it holds another program's tables".into(),
        }
        .into());
    }
    if create == Create::No {
        return Err(StoreError::Postgres {
            address: shown.to_string(),
            reason: "it holds no daycare data; its tables are made by the first command \
                     that writes to it, never by one that only reads"
                .into(),
        }
        .into());
    }
    tx.batch_execute(include_str!("schema.sql"))?;
    tx.commit()?;
    Ok(())
}
