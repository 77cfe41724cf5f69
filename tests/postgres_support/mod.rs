//! A PostgreSQL server for the tests: `DAYCARE_TEST_POSTGRES` names a role on it that may
//! create databases (`.ci/postgres start` prints one). Each test gets a database of its
//! own, dropped when the test ends. Without a server the tests fail, saying how to start
//! one: they never pass by skipping.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

/// The server the tests use, or a failure that says how to get one.
pub fn server() -> String {
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

/// A new, empty database on the test server; dropped with this value.
pub struct Database {
    pub name: String,
    pub address: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Database {
    pub fn new() -> Database {
        let name = format!(
            "daycare_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = admin();
        // One statement each: several in one call would share a transaction, where
        // neither may run.
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let address = with_database(&server(), &name);
        Database { name, address }
    }

    /// A plain client on this database, for looking at it from outside the store.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.address, postgres::NoTls).unwrap()
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
    let address = server();
    postgres::Client::connect(&address, postgres::NoTls).unwrap_or_else(|e| {
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
