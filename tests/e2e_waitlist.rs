//! End-to-end: the waitlist in the real `daycare` binary, in tmux. Friday has one spot;
//! the second child for Friday is refused, goes on the waitlist from its execution's
//! detail (`W`), the first is withdrawn from the command line, the Waitlist screen says
//! the second now fits, and an offer (`o`, confirmed) enrols them. The Audit screen names
//! the staff member. Every wait polls for text with a deadline.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(20);
const BIN: &str = env!("CARGO_BIN_EXE_daycare");

/// A tmux server of our own with one shell in a `width`×`height` window.
struct Tmux {
    socket: String,
    dir: TempDir,
}

fn tmux_available() {
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
    /// As `start`, with extra `NAME=value` settings for the shell.
    fn start_with(name: &str, width: u16, height: u16, env: &str) -> Tmux {
        tmux_available();
        let dir = TempDir::new().unwrap();
        let socket = format!("daycare-wl-{name}-{}", std::process::id());
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

    fn db(&self) -> PathBuf {
        self.dir.path().join("daycare.db")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    /// Types a command line into the shell.
    fn shell(&self, line: &str) {
        self.literal(line);
        self.keys(&["Enter"]);
    }

    /// Opens the console (DAYCARE_DB and DAYCARE_TODAY are already set in the shell).
    fn console(&self) {
        self.shell(&format!("{BIN}; echo daycare-exit=$?"));
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    fn literal(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "main", "-l", text])
                .status
                .success()
        );
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// Polls the pane until `text` shows, or fails showing what was there.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("waited {TIMEOUT:?} for {what:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    fn cli(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("DAYCARE_DB", self.db())
            .env("DAYCARE_TODAY", "2026-09-01")
            .env("HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .output()
            .unwrap()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
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

fn child(first: &str, last: &str, born: &str, phone: &str) -> String {
    format!(
        r#"{{"registration_info": {{
  "child": {{"firstName": "{first}", "lastName": "{last}", "dateOfBirth": "{born}"}},
  "parents": {{"mother": {{"firstName": "Rana", "lastName": "{last}", "phone": "{phone}"}}}},
  "daysOfWeek": ["Friday"]
}}}}"#
    )
}

fn cli_ok(t: &Tmux, args: &[&str]) -> String {
    let out = t.cli(args);
    assert!(
        out.status.success(),
        "daycare {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_refused_child_waits_then_takes_the_spot_a_withdrawal_frees() {
    let t = Tmux::start_with(
        "offer",
        80,
        24,
        "DAYCARE_STAFF=maria DAYCARE_EXPORT_DIR=exports",
    );
    cli_ok(&t, &["spots", "set", "--day", "Friday", "1"]);
    let amara = t.write(
        "amara.json",
        &child("Amara", "Okafor", "2023-05-10", "555-0100"),
    );
    let bilal = t.write(
        "bilal.json",
        &child("Bilal", "Haddad", "2022-11-02", "555-0177"),
    );
    cli_ok(&t, &["submit", amara.to_str().unwrap()]);
    let refused = t.cli(&["submit", bilal.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stdout).into_owned();
    assert!(
        !refused.status.success() && said.contains("NoSpotsAvailable"),
        "{said}"
    );

    t.console();
    t.wait_until("the spots", |s| {
        s.contains("enrolled,") && s.contains("Places")
    });
    t.wait_for("Ageing out within 60 days");
    // The refused execution, from the Executions list.
    t.keys(&["3"]);
    t.wait_for("Amara Okafor");
    t.keys(&["/"]);
    t.literal("bilal");
    t.keys(&["Enter"]);
    t.wait_until("only Bilal's execution", |s| {
        s.contains("Bilal Haddad") && !s.contains("Amara Okafor")
    });
    t.keys(&["Enter"]);
    let detail = t.wait_for("Error: NoSpotsAvailable");
    assert!(
        detail.contains("W waitlist"),
        "the footer offers W:\n{detail}"
    );
    t.keys(&["W"]);
    t.wait_for("Priority note");
    t.keys(&["Enter"]);
    t.wait_for("Bilal Haddad is on the waitlist as entry 1 for Friday");

    t.keys(&["Escape"]);
    t.keys(&["6"]);
    t.wait_for("Order: the day added");
    // Friday is full: Bilal waits, and does not fit yet.
    let before = t.wait_for("1 waiting, 0 fit now");
    assert!(before.contains("does not fit now"), "{before}");

    // The first child leaves; the console sees the change and says who fits now.
    let withdrawn = cli_ok(&t, &["withdraw", "1", "--reason", "moving"]);
    assert!(withdrawn.to_lowercase().contains("withdr"), "{withdrawn}");
    // The dashboard says so on its own, as it reads again after the change.
    t.keys(&["1"]);
    t.wait_for("Waitlist: 1 waiting, 1 fits now: Bilal Haddad");
    t.keys(&["6"]);
    t.wait_for("1 fits now");

    // The list as a sheet, into the export folder, a new file each time.
    t.keys(&["E"]);
    t.wait_for("Waitlist written (1 row)");
    t.keys(&["E"]);
    t.wait_for("waitlist-2026-09-01-2.csv");
    let sheet =
        std::fs::read_to_string(t.dir.path().join("exports/waitlist-2026-09-01.csv")).unwrap();
    assert!(
        sheet.contains("Bilal Haddad") && sheet.contains(",yes,"),
        "{sheet}"
    );
    assert!(
        !t.dir.path().join("waitlist-2026-09-01.csv").exists(),
        "never the current folder"
    );

    t.keys(&["o"]);
    t.wait_for("Offer Bilal Haddad a spot on Friday?");
    t.keys(&["y"]);
    let enrolled = t.wait_for("Bilal Haddad is enrolled from 2026-09-15");
    assert!(enrolled.contains("fees"), "{enrolled}");
    t.wait_for("Nobody is waiting");
    let listed = cli_ok(&t, &["registrations"]);
    assert!(
        listed
            .lines()
            .any(|l| l.contains("Bilal Haddad") && l.contains("enrolled")),
        "{listed}"
    );

    // The audit names who did it.
    t.keys(&["7"]);
    let audit = t.wait_for("Waitlist: added");
    assert!(audit.contains("maria"), "{audit}");
    assert!(audit.contains("Offer"), "{audit}");
    t.keys(&["q"]);
    t.wait_for("daycare-exit=0");
}
