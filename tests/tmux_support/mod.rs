//! The end-to-end tests' harness: the real `daycare` binary in a tmux server of the
//! test's own (its own socket, database and data folders, so tests run in parallel),
//! driven by keys and read by capturing the pane. Every wait polls for text with a
//! deadline instead of sleeping. A missing tmux fails the test, saying how to install it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const TIMEOUT: Duration = Duration::from_secs(20);
pub const BIN: &str = env!("CARGO_BIN_EXE_daycare");

/// A tmux server of our own with one shell in a `width`×`height` window.
pub struct Tmux {
    socket: String,
    pub dir: TempDir,
}

pub fn tmux_available() {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "tmux is not installed: the end-to-end console tests need it. Install it (apt-get install tmux, brew install tmux) and run again."
    );
}

impl Tmux {
    pub fn start(name: &str, width: u16, height: u16) -> Tmux {
        Tmux::start_with(name, width, height, "")
    }

    /// As `start`, with extra `NAME=value` settings for the shell.
    pub fn start_with(name: &str, width: u16, height: u16, env: &str) -> Tmux {
        tmux_available();
        let dir = TempDir::new().unwrap();
        let socket = format!("daycare-e2e-{name}-{}", std::process::id());
        let tmux = Tmux { socket, dir };
        let home = tmux.dir.path();
        let shell = format!(
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME={home} XDG_STATE_HOME={home}/state XDG_DATA_HOME={home}/data \
             DAYCARE_DB={db} DAYCARE_TODAY=2026-09-01 {env} PS1='ready$ ' bash --norc --noprofile",
            home = home.display(),
            db = tmux.db().display(),
        );
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "-s",
            "main",
            "-c",
            &home.display().to_string(),
            &shell,
        ]);
        assert!(
            out.status.success(),
            "tmux did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux.wait_for("ready$");
        tmux
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("daycare.db")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    /// Types a command line into the shell.
    pub fn shell(&self, line: &str) {
        self.literal(line);
        self.keys(&["Enter"]);
    }

    /// Opens the console (DAYCARE_DB and DAYCARE_TODAY are already set in the shell).
    pub fn console(&self) {
        self.shell(&format!("{BIN}; echo daycare-exit=$?"));
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    pub fn literal(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "main", "-l", text])
                .status
                .success()
        );
    }

    /// The pane with its colours and attributes, as escape sequences.
    pub fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-e", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// Polls the pane until `text` shows, or fails showing what was there.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut last = String::new();
        loop {
            let screen = self.screen();
            // A capture can land while the terminal is still drawing a frame: the screen
            // counts once two captures in a row agree.
            if ok(&screen) && screen == last {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("waited {TIMEOUT:?} for {what:?}; the screen shows:\n{screen}");
            }
            last = screen;
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn alternate_screen(&self) -> bool {
        let out = self.run(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("DAYCARE_DB", self.db())
            .env("DAYCARE_TODAY", "2026-09-01")
            .env("HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .output()
            .unwrap()
    }

    /// Submits one registration document through the command line.
    pub fn submit(&self, document: &str) {
        let path = self.dir.path().join("registration.json");
        std::fs::write(&path, document).unwrap();
        let out = self.cli(&["submit", &path.display().to_string()]);
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "submit ran: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

impl Tmux {
    /// `wait_until` with a deadline of its own (a live refresh has a promise to keep).
    pub fn wait_within(&self, what: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("waited {limit:?} for {what:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Tmux {
    /// tmux's newest paste buffer (where OSC 52 copies land with set-clipboard on).
    pub fn buffer(&self) -> String {
        String::from_utf8_lossy(&self.run(&["show-buffer"]).stdout).into_owned()
    }

    pub fn wait_buffer(&self) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let buffer = self.buffer();
            if !buffer.is_empty() {
                return buffer;
            }
            assert!(
                Instant::now() < deadline,
                "nothing reached tmux's clipboard"
            );
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}
