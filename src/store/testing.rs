//! For the crate's unit tests: a child enrolled through the store as a succeeded
//! registration execution leaves them (begun, confirmed, finished), and a test body run
//! on both engines, a new in-memory SQLite store and a new PostgreSQL database.
//!
//! PostgreSQL comes from `DAYCARE_TEST_POSTGRES`, a role that may create databases
//! (`.ci/postgres start` prints one). Without it the test fails, saying how to start one:
//! it never passes by skipping.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Address, Confirmation, Create, NewRegistration, Store};
use crate::workflow::{Execution, ExecutionStatus, ExecutionSummary};

/// Enrols `registration` under its execution name, running `definition`: its id.
pub(crate) fn enrol(store: &mut Store, registration: &NewRegistration, definition: &str) -> i64 {
    let name = &registration.execution_name;
    let mut summary = ExecutionSummary::started("arn:m", name, "{}".into());
    let Ok(()) = store.begin_execution(&summary, definition, None) else {
        panic!("{name} begun")
    };
    let Ok(Confirmation::Confirmed(id)) = store.confirm(registration) else {
        panic!("{name} confirmed")
    };
    summary.status = ExecutionStatus::Succeeded;
    end(store, summary, Some(registration.fees));
    id
}

/// Ends the execution `summary` began, with the status and cause it now carries, at the
/// moment it started, with no events.
pub(crate) fn end(store: &mut Store, mut summary: ExecutionSummary, fees: Option<u32>) {
    summary.stop_date = Some(summary.start_date);
    let name = summary.name.clone();
    let execution = Execution {
        summary,
        events: Vec::new(),
    };
    if let Err(e) = store.finish_execution(&execution, fees) {
        panic!("{name} finished: {e}")
    }
}

/// An execution row named `name` with `status`, as the executions table keeps one,
/// written directly (its definition too): for tests of what other tables link to it.
pub(crate) fn execution_row(store: &Store, name: &str, status: &str) {
    let written = store
        .db
        .execute(
            "INSERT INTO definitions (hash, source) VALUES ('h', '{}') \
             ON CONFLICT (hash) DO NOTHING",
            &[],
        )
        .and_then(|_| {
            store.db.execute(
                "INSERT INTO executions (name, execution_arn, state_machine_arn, status, \
                 start_us, input, definition_hash) VALUES (?1, ?2, 'arn:m', ?3, 0, '{}', 'h')",
                super::sql::params![name, format!("arn:e:{name}"), status],
            )
        });
    if let Err(e) = written {
        panic!("execution {name} written: {e}");
    }
}

/// Runs `test` on a new in-memory SQLite store, then on a new database on the test
/// PostgreSQL server; a failure names the engine.
pub(crate) fn on_both(test: impl Fn(&mut Store)) {
    let Ok(mut sqlite) = Store::open_in_memory() else {
        panic!("an in-memory SQLite store opens")
    };
    run_named("SQLite", || test(&mut sqlite));
    let database = Database::new();
    let mut postgres = database.store();
    run_named("PostgreSQL", || test(&mut postgres));
}

fn run_named(engine: &str, test: impl FnOnce()) {
    if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(test)) {
        eprintln!("the test failed on {engine}");
        std::panic::resume_unwind(panic);
    }
}

/// The test server's address, or a failure that says how to get one.
pub(crate) fn server() -> String {
    match std::env::var("DAYCARE_TEST_POSTGRES") {
        Ok(address) if !address.is_empty() => address,
        _ => panic!(
            "DAYCARE_TEST_POSTGRES is not set: these tests need a PostgreSQL server. Start a \
             throwaway one with `eval \"$(.ci/postgres start)\"` (it needs PostgreSQL's \
             server programs: apt-get install postgresql), or point it at a role that may \
             create databases: DAYCARE_TEST_POSTGRES=postgres://USER@HOST:PORT/postgres"
        ),
    }
}

/// A new, empty database on the test server, dropped with this value.
pub(crate) struct Database {
    name: String,
    address: String,
}

impl Database {
    pub(crate) fn new() -> Database {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "daycare_unit_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = admin();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            if let Err(e) = admin.batch_execute(&sql) {
                panic!("{sql} on the test server: {e}");
            }
        }
        let address = with_database(&server(), &name);
        Database { name, address }
    }

    /// A connection of the store's own kind on this database, with no schema made.
    pub(crate) fn postgres(&self) -> super::Postgres {
        let Address::Server(server) = Address::parse(std::path::Path::new(&self.address)) else {
            panic!("{} is a server address", self.address)
        };
        match super::Postgres::open(&server, Create::FileAndFolders) {
            Ok(pg) => pg,
            Err(e) => panic!("the test database opens: {e}"),
        }
    }

    /// A store on this database, its schema made.
    pub(crate) fn store(&self) -> Store {
        let Address::Server(server) = Address::parse(std::path::Path::new(&self.address)) else {
            panic!("{} is a server address", self.address)
        };
        match Store::open_server(&server, Create::FileAndFolders) {
            Ok(store) => store,
            Err(e) => panic!("the test database opens: {e}"),
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&server(), postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn admin() -> postgres::Client {
    postgres::Client::connect(&server(), postgres::NoTls).unwrap_or_else(|e| {
        panic!("cannot reach the test server DAYCARE_TEST_POSTGRES ({e}); is it running?")
    })
}

/// `address` with its database (the path after the host) replaced by `name`.
fn with_database(address: &str, name: &str) -> String {
    let (base, query) = match address.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (address, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}
