//! Running the real `daycare` binary on a temporary database with today pinned.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const TODAY: &str = "2026-09-01";

pub struct Db {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("daycare.db");
        Db { dir, path }
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

pub fn daycare_at(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_daycare"));
    cmd.env("DAYCARE_DB", db)
        .env("DAYCARE_TODAY", TODAY)
        .env_remove("RUST_BACKTRACE")
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
