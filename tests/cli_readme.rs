//! The README's command-line session is what the binary prints today: each `$ daycare …`
//! line of it is run in order on a new database, and its output compared, with only the
//! parts that change from run to run (a name's random suffix, the clock) masked.

mod cli_support;

use cli_support::Db;

/// The README's first session block after "## The command line": (command, output).
fn session() -> Vec<(String, String)> {
    let readme = include_str!("../README.md");
    let (_, after) = readme
        .split_once("## The command line")
        .expect("the README has a command-line section");
    let (_, block) = after.split_once("```\n").expect("it shows a session");
    let (block, _) = block.split_once("```").expect("the session ends");
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            let command = command.split(" #").next().unwrap_or_default().trim();
            steps.push((command.to_owned(), String::new()));
        } else if let Some((_, output)) = steps.last_mut() {
            output.push_str(line);
            output.push('\n');
        }
    }
    steps
}

/// Masks an execution name's 8-hex-digit suffix and a table's UTC time of day.
fn masked(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut words: Vec<String> = Vec::new();
        for word in line.split(' ') {
            let hex = word.len() > 9
                && word.as_bytes()[word.len() - 9] == b'-'
                && word[word.len() - 8..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
            let time = word.len() == 8
                && word.as_bytes()[2] == b':'
                && word.as_bytes()[5] == b':'
                && word.chars().filter(char::is_ascii_digit).count() == 6;
            let date = word.len() == 10
                && word.starts_with("20")
                && word.as_bytes()[4] == b'-'
                && line.starts_with(word);
            words.push(if hex {
                format!("{}-XXXXXXXX", &word[..word.len() - 9])
            } else if time {
                "HH:MM:SS".into()
            } else if date {
                "YYYY-MM-DD".into()
            } else {
                word.to_owned()
            });
        }
        out.push_str(words.join(" ").trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_readme_session_is_what_the_binary_prints() {
    let db = Db::new();
    let steps = session();
    assert!(steps.len() >= 8, "{steps:?}");
    let mut staff = None;
    for (command, expected) in steps {
        if let Some(today) = command.strip_prefix("export DAYCARE_TODAY=") {
            assert_eq!(
                today,
                cli_support::TODAY,
                "the session pins the tests' today"
            );
            continue;
        }
        if let Some(name) = command.strip_prefix("export DAYCARE_STAFF=") {
            staff = Some(name.to_string());
            continue;
        }
        let args: Vec<&str> = command
            .strip_prefix("daycare ")
            .unwrap_or_else(|| panic!("not a daycare command: {command}"))
            .split_whitespace()
            .collect();
        let mut run = db.command();
        if let Some(name) = &staff {
            run.env("DAYCARE_STAFF", name);
        }
        let out = run
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            masked(&printed),
            masked(&expected),
            "`{command}` prints something else than the README shows"
        );
    }
}

#[test]
fn the_readme_keeps_the_two_set_up_commands_and_the_newcomer_s_steps() {
    let readme = include_str!("../README.md");
    for needed in [
        "cargo run --release   # opens the console on a fresh embedded database",
        "cargo test            # runs the tests",
        "cargo install --path .",
        "DAYCARE_DB=/tmp/try.db cargo run --release",
        "Rust 1.95",
        "rustup",
        "C compiler",
        "tmux",
    ] {
        assert!(readme.contains(needed), "the README lost {needed:?}");
    }
}
