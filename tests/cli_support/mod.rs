//! Running the real `daycare` binary on a temporary database with today pinned.
//!
//! The database is an SQLite file, or, in a suite whose crate is named `postgres_…` (a
//! file that includes another suite whole, `#[path = "…"] mod suite;`), a new database
//! on the test PostgreSQL server (`postgres_support`): the same tests, on both engines.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

#[path = "../postgres_support/mod.rs"]
pub mod postgres_support;

pub const TODAY: &str = "2026-09-01";

/// Whether this suite runs on PostgreSQL (see the module comment).
pub fn on_postgres() -> bool {
    env!("CARGO_CRATE_NAME").starts_with("postgres_")
}

pub struct Db {
    pub dir: tempfile::TempDir,
    /// The file, or the server's address (`--db` takes either).
    pub path: PathBuf,
    /// The database on the test server, dropped with this value.
    server: Option<postgres_support::Database>,
}

impl Db {
    /// A new daycare database (made here: a command given a path by hand creates only
    /// when it changes something).
    pub fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let (path, server) = if on_postgres() {
            let database = postgres_support::Database::new();
            (PathBuf::from(&database.address), Some(database))
        } else {
            (dir.path().join("daycare.db"), None)
        };
        drop(daycare::store::Store::open(&path).unwrap());
        Db { dir, path, server }
    }

    /// A plain client on the server's database, to look at it from outside the store.
    pub fn client(&self) -> Option<postgres::Client> {
        self.server.as_ref().map(postgres_support::Database::client)
    }

    /// Runs `sql` from outside the store, on whichever engine holds the database: the
    /// rows it changed, or the engine's refusal.
    pub fn execute_outside(&self, sql: &str) -> Result<u64, String> {
        match self.client() {
            Some(mut client) => client.execute(sql, &[]).map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |db| db.message().to_string())
            }),
            None => rusqlite::Connection::open(&self.path)
                .and_then(|conn| conn.execute(sql, []))
                .map(|n| n as u64)
                .map_err(|e| e.to_string()),
        }
    }

    /// The one integer `sql` selects, read from outside the store on either engine.
    pub fn integer_outside(&self, sql: &str) -> i64 {
        match self.client() {
            Some(mut client) => client.query_one(sql, &[]).unwrap().get(0),
            None => rusqlite::Connection::open(&self.path)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
        }
    }

    pub fn command(&self) -> Command {
        daycare_at(&self.path)
    }

    /// Runs `daycare ARGS` and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        finish(self.command().args(args).output().unwrap())
    }

    /// Runs with --json and parses stdout.
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = args.to_vec();
        all.push("--json");
        let (code, out, err) = self.run(&all);
        let value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
        (code, value)
    }

    /// Submits a fixture; the one result.
    pub fn submit_fixture(&self, name: &str) -> (i32, serde_json::Value) {
        let (code, out) = self.json(&["submit", &fixture(name)]);
        (code, out["results"][0].clone())
    }
}

/// What confirmRegistration would hand the store for this child (3 years old, Mondays,
/// fees 750), confirmed by `execution`: for tests that drive the store directly.
pub fn new_registration(
    first: &str,
    last: &str,
    execution: &str,
) -> daycare::store::NewRegistration {
    let date = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    daycare::store::NewRegistration {
        first_name: first.into(),
        last_name: last.into(),
        date_of_birth: date,
        days: vec![chrono::Weekday::Mon],
        age: 3,
        fees: 750,
        start_date: date,
        execution_name: execution.into(),
        document: "{}".into(),
    }
}

pub fn daycare_at(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_daycare"));
    cmd.env("DAYCARE_DB", db)
        .env("DAYCARE_TODAY", TODAY)
        .env_remove("RUST_BACKTRACE")
        .env_remove("DAYCARE_STAFF")
        .stdin(Stdio::null());
    cmd
}

pub fn finish(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn fixture(name: &str) -> String {
    format!(
        "{}/fixtures/registrations/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `n` seeded sample registrations as JSON Lines.
pub fn sample_lines(seed: u64, n: usize) -> String {
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    daycare::registration::samples::Samples::new(seed, today)
        .take(n)
        .map(|d| d.to_string() + "\n")
        .collect()
}

/// Checks, through the CLI's JSON, that: every execution ended (SUCCEEDED or FAILED);
/// a registration exists iff its execution SUCCEEDED; enrolled counts per day equal the
/// enrolled registrations on that day; no day is over capacity. Returns how many
/// executions were closed as interrupted.
pub fn check_invariants(db: &Db) -> usize {
    use std::collections::{HashMap, HashSet};
    let (_, execs) = db.json(&["executions", "--limit", "1000000"]);
    let execs = execs["executions"].as_array().unwrap().clone();
    let (_, regs) = db.json(&["registrations", "--all"]);
    let regs = regs["registrations"].as_array().unwrap().clone();
    let (_, spots) = db.json(&["spots"]);
    let (_, audit) = db.json(&["audit", "--limit", "1000000"]);
    let changed: HashSet<String> = audit["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "amendment" || a["kind"] == "withdrawal")
        .filter_map(|a| a["executionName"].as_str().map(str::to_string))
        .collect();
    let mut interrupted = 0;
    let mut succeeded = HashSet::new();
    let mut changes_succeeded = HashSet::new();
    for e in &execs {
        let status = e["status"].as_str().unwrap();
        assert!(status == "SUCCEEDED" || status == "FAILED", "{e}");
        let machine = e["stateMachineArn"].as_str().unwrap();
        // Changes run the amendment and withdrawal workflows; every other succeeded run
        // confirmed a registration (confirmRegistration is the only way to succeed).
        let change = machine.ends_with(":amendment") || machine.ends_with(":withdrawal");
        let registration = !change;
        if status == "SUCCEEDED" && registration {
            succeeded.insert(e["name"].as_str().unwrap().to_string());
        }
        if status == "SUCCEEDED" && change {
            changes_succeeded.insert(e["name"].as_str().unwrap().to_string());
        }
        if e["error"] == "States.Runtime" {
            interrupted += 1;
            let name = e["name"].as_str().unwrap();
            let (_, full) = db.json(&["execution", name]);
            assert_eq!(full["cause"], daycare::store::INTERRUPTED_CAUSE, "{full}");
        }
    }
    let registered: HashSet<String> = regs
        .iter()
        .map(|r| r["executionName"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        registered, succeeded,
        "a registration exists iff its execution SUCCEEDED"
    );
    assert_eq!(
        changed, changes_succeeded,
        "a change is applied (and audited) iff its execution SUCCEEDED"
    );
    let mut per_day: HashMap<String, u64> = HashMap::new();
    for r in regs.iter().filter(|r| r["status"] == "enrolled") {
        for d in r["days"].as_array().unwrap() {
            *per_day.entry(d.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    // No day is over capacity on any date: a child counts from their start date until
    // the day their withdrawal takes effect. The dates where that can change are today,
    // the start dates and the leaving dates.
    let text = |r: &serde_json::Value, key: &str| r[key].as_str().map(str::to_string);
    let mut dates: Vec<String> = vec![TODAY.to_string()];
    for r in regs.iter().filter(|r| r["status"] == "enrolled") {
        dates.extend(text(r, "startDate"));
        dates.extend(text(r, "leavesOn"));
    }
    for s in spots["spots"].as_array().unwrap() {
        let day = s["day"].as_str().unwrap();
        let enrolled = s["enrolled"].as_u64().unwrap();
        assert_eq!(enrolled, per_day.get(day).copied().unwrap_or(0), "{day}");
        let capacity = s["capacity"].as_u64().unwrap();
        for date in &dates {
            let present = regs
                .iter()
                .filter(|r| r["status"] == "enrolled")
                .filter(|r| r["days"].as_array().unwrap().iter().any(|d| d == day))
                .filter(|r| text(r, "startDate").is_none_or(|start| start <= *date))
                .filter(|r| text(r, "leavesOn").is_none_or(|leaves| leaves > *date))
                .count() as u64;
            assert!(present <= capacity, "{day} over capacity on {date}");
        }
    }
    interrupted
}
