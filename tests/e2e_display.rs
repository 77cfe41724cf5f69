//! End-to-end, the console as a desk sees it: the real `daycare` binary in tmux, read by
//! capturing the pane. What another desk does shows without a key; nothing the footer
//! and status line must say is cut off. Every wait polls with a deadline.

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

impl Tmux {
    fn start(name: &str, width: u16, height: u16, env: &str) -> Tmux {
        let found = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "tmux is not installed: these end-to-end tests need it (apt-get install tmux)"
        );
        let dir = TempDir::new().unwrap();
        let socket = format!("daycare-display-{name}-{}", std::process::id());
        let tmux = Tmux { socket, dir };
        let home = tmux.dir.path();
        let shell = format!(
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME={home} XDG_STATE_HOME={home}/state \
             XDG_DATA_HOME={home}/data DAYCARE_DB={db} DAYCARE_TODAY=2026-09-01 {env} \
             PS1='ready$ ' bash --norc --noprofile",
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
        assert!(out.status.success(), "tmux did not start");
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

    fn shell(&self, line: &str) {
        assert!(
            self.run(&["send-keys", "-t", "main", "-l", line])
                .status
                .success()
        );
        self.keys(&["Enter"]);
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_within(text, TIMEOUT, |s| s.contains(text))
    }

    fn wait_within(&self, what: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
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

    /// The command line, as a second desk: the same database, another process.
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

    fn submit(&self, document: &str) {
        let path = self.dir.path().join("registration.json");
        std::fs::write(&path, document).unwrap();
        let out = self.cli(&["submit", &path.display().to_string()]);
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "submit ran: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Opens the console and waits until the dashboard has read the database.
    fn console(&self) {
        self.shell(&format!("{BIN}; echo daycare-exit=$?"));
        self.wait_for("Spots ");
        self.wait_for("Places");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

const AMARA: &str = r#"{"registration_info": {
  "child": {"firstName": "Amara", "lastName": "Okafor", "dateOfBirth": "2023-05-10"},
  "parents": {"mother": {"firstName": "Ngozi", "lastName": "Okafor", "phone": "555-0100"}},
  "daysOfWeek": ["Monday", "Wednesday"]
}}"#;

/// Another desk's work shows within two seconds, with no key pressed (a second of
/// polling, a read, a frame; the margin covers a loaded test machine).
const LIVE: Duration = Duration::from_millis(2_500);

#[test]
fn what_the_command_line_does_shows_on_every_screen_without_a_key() {
    let t = Tmux::start("live", 120, 40, "");
    t.console();
    t.keys(&["3"]);
    t.wait_for("No executions yet");
    t.submit(AMARA);
    let screen = t.wait_within("the run on Executions", LIVE, |s| {
        s.contains("Amara Okafor")
    });
    assert!(screen.contains("SUCCEEDED"), "{screen}");

    t.keys(&["1"]);
    t.wait_for("Recent executions");
    t.wait_for("Amara Okafor");
    t.cli(&["spots", "set", "9", "--day", "tuesday"]);
    t.wait_within("Tuesday's 9 spots on the Dashboard", LIVE, |s| {
        s.lines()
            .any(|l| l.contains("Tue") && l.contains("0/9 enrolled"))
    });

    t.keys(&["5"]);
    t.wait_for("Tuesday");
    t.cli(&["spots", "set", "11", "--day", "thursday"]);
    t.wait_within("Thursday's 11 spots on Spots", LIVE, |s| {
        s.lines()
            .any(|l| l.contains("Thursday") && l.contains("11"))
    });

    t.keys(&["4"]);
    t.wait_for("Amara");
    let out = t.cli(&["registrations", "--json"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let id = text
        .split("\"id\":")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())
        })
        .unwrap_or_else(|| panic!("an id in {text}"))
        .to_string();
    let out = t.cli(&["withdraw", &id, "--reason", "Moving away"]);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{:?}",
        out
    );
    t.wait_within("Amara gone from Children", LIVE, |s| !s.contains("Amara"));
}

#[test]
fn the_footer_always_offers_help_and_quit() {
    for (w, h) in [(120, 40), (80, 24)] {
        let t = Tmux::start(&format!("footer{w}"), w, h, "");
        t.console();
        for tab in ["1", "3", "4", "5"] {
            t.keys(&[tab]);
            std::thread::sleep(Duration::from_millis(100));
            let screen = t.wait_within("? help and q quit", TIMEOUT, |s| {
                let footer = s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
                footer.contains("? help") && footer.contains("q quit")
            });
            let footer = screen.lines().rfind(|l| !l.trim().is_empty());
            let footer = footer.unwrap_or("").trim_end();
            assert!(
                footer.ends_with("q quit"),
                "the last hint is whole at {w}×{h}: {footer:?}"
            );
        }
    }
}

#[test]
fn a_new_database_says_how_to_begin() {
    let t = Tmux::start("empty", 80, 24, "");
    t.console();
    t.wait_for("No registrations yet — press 2 to register a child.");
}

/// Opens the newest execution's detail from the Executions screen.
fn open_newest(t: &Tmux) {
    t.keys(&["3"]);
    // The Dashboard shows the child's name too: wait for the Executions list itself.
    t.wait_within("the Executions list", TIMEOUT, |s| {
        s.contains("row 1 of") && s.contains("Amara Okafor")
    });
    t.keys(&["Enter"]);
    // The history's table is drawn once the execution is read.
    t.wait_for("History · ");
}

fn exported(t: &Tmux) -> PathBuf {
    let screen = t.wait_for("History written to ");
    let line = screen
        .lines()
        .find(|l| l.contains("History written to "))
        .unwrap_or("");
    let path = line
        .split("History written to ")
        .nth(1)
        .unwrap_or("")
        .trim();
    PathBuf::from(path)
}

#[test]
fn exports_go_to_the_export_folder_and_never_overwrite() {
    let t = Tmux::start("export", 120, 40, "");
    // A folder with a space in its name, not yet made: the console makes it.
    let folder = t.dir.path().join("exports here");
    t.submit(AMARA);
    t.shell(&format!("export DAYCARE_EXPORT_DIR='{}'", folder.display()));
    t.console();
    open_newest(&t);
    t.keys(&["x"]);
    let first = exported(&t);
    assert!(first.starts_with(&folder), "{first:?} in {folder:?}");
    assert!(first.is_file(), "{first:?} written");
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("\"events\""), "{text}");
    t.keys(&["x"]);
    t.wait_for("history-2.json");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "a second export is a second file: {names:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        text,
        "the first is untouched"
    );
    let here: Vec<_> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .collect();
    assert!(here.is_empty() || here.iter().all(|e| e.file_name() == "registration.json"));
}

#[test]
fn without_a_folder_named_exports_go_to_the_data_folder_not_the_current_one() {
    let t = Tmux::start("export-default", 120, 40, "");
    t.submit(AMARA);
    t.console();
    open_newest(&t);
    t.keys(&["x"]);
    let path = exported(&t);
    let expected = t.dir.path().join("data").join("daycare").join("exports");
    assert!(path.starts_with(&expected), "{path:?} in {expected:?}");
    assert!(path.is_file());
}

#[test]
fn a_narrow_status_line_keeps_the_exported_file_s_name() {
    let t = Tmux::start("export-narrow", 80, 24, "");
    t.submit(AMARA);
    t.console();
    open_newest(&t);
    t.keys(&["x"]);
    let screen = t.wait_for("History written to ");
    let folder = t.dir.path().join("data").join("daycare").join("exports");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let status = screen
        .lines()
        .find(|l| l.contains("History written to "))
        .unwrap_or("");
    assert!(
        status.trim_end().ends_with(&names[0]),
        "{status:?} names {}",
        names[0]
    );
}

#[test]
fn the_command_line_s_tables_line_up_wide_names_in_a_terminal() {
    let t = Tmux::start("cli-table", 120, 40, "");
    t.submit(AMARA);
    t.submit(
        &AMARA
            .replace("\"Amara\"", "\"小龙\"")
            .replace("\"Okafor\", \"dateOfBirth\"", "\"李\", \"dateOfBirth\""),
    );
    t.shell(&format!(
        "{BIN} executions; {BIN} registrations; echo listed-$?"
    ));
    let screen = t.wait_for("listed-0");
    // Where the fees start, in terminal columns, on each row that names a child.
    let column_of = |line: &str, what: &str| {
        line.find(what)
            .map(|at| unicode_width::UnicodeWidthStr::width(&line[..at]))
    };
    for header in ["STARTED", "ID  CHILD"] {
        let rows: Vec<&str> = screen
            .lines()
            .skip_while(|l| !l.starts_with(header))
            .take(3)
            .collect();
        assert_eq!(rows.len(), 3, "{screen}");
        let fees: Vec<Option<usize>> = rows
            .iter()
            .map(|l| column_of(l, if l.starts_with(header) { "FEES" } else { "750" }))
            .collect();
        assert!(
            fees.iter().all(|c| c.is_some() && *c == fees[0]),
            "{header}: {fees:?}\n{screen}"
        );
        assert!(rows.iter().any(|l| l.contains("小龙 李")), "{screen}");
    }
}
