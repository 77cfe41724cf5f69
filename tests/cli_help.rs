//! The command line explains itself: every argument described, the environment and exit
//! codes listed, an example per command, shell completions and a manual page.

mod cli_support;

use clap::CommandFactory;
use cli_support::Db;

/// Every command and subcommand but clap's own `help`, with its full name.
fn commands() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, command: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let name = format!("{prefix} {}", sub.get_name());
            out.push((name.clone(), sub.clone()));
            walk(&name, sub, out);
        }
    }
    let mut out = Vec::new();
    walk("daycare", &daycare::cli::Cli::command(), &mut out);
    out
}

#[test]
fn every_argument_of_every_command_is_described() {
    let mut undescribed = Vec::new();
    let top = daycare::cli::Cli::command();
    let all = std::iter::once(("daycare".to_owned(), top)).chain(commands());
    for (name, command) in all {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                undescribed.push(format!("{name} {id}"));
            }
        }
    }
    assert!(undescribed.is_empty(), "no description: {undescribed:?}");
}

#[test]
fn every_command_gives_an_example() {
    let db = Db::new();
    for (name, _) in commands() {
        let mut args: Vec<&str> = name.split(' ').skip(1).collect();
        args.push("--help");
        let (code, out, err) = db.run(&args);
        assert_eq!(code, 0, "{name}: {err}");
        let example = out
            .split_once("Example:\n")
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| panic!("{name} --help has no example:\n{out}"));
        let first = example.lines().next().unwrap_or_default().trim();
        assert!(first.starts_with("daycare"), "{name}: {first}");
    }
}

#[test]
fn the_arguments_people_asked_about_are_explained() {
    let db = Db::new();
    let help = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--help");
        let (code, out, err) = db.run(&all);
        assert_eq!(code, 0, "{err}");
        out
    };
    let described = |text: &str, what: &str, words: &str| {
        let line = text
            .lines()
            .skip_while(|l| !l.trim_start().starts_with(what))
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(line.contains(words), "{what}: {line:?} in\n{text}");
    };
    described(
        &help(&["withdraw"]),
        "<ID>",
        "ID column of `daycare registrations`",
    );
    described(&help(&["spots", "set"]), "<SPOTS>", "0 or more");
    described(
        &help(&["execution"]),
        "<NAME>",
        "as `daycare executions` lists it",
    );
    described(
        &help(&["executions"]),
        "--limit",
        "At most this many executions",
    );
    described(
        &help(&["demo"]),
        "--executions",
        "How many registrations to run",
    );
    described(
        &help(&["workflow", "run"]),
        "<FILE>",
        "The definition to run",
    );
}

#[test]
fn the_top_level_help_says_how_to_open_the_console_and_lists_environment_and_exit_codes() {
    let db = Db::new();
    for flag in ["-h", "--help"] {
        let (code, out, _) = db.run(&[flag]);
        assert_eq!(code, 0);
        let lower = out.to_lowercase();
        assert!(
            lower.contains("with no command, `daycare` opens the console")
                || lower.contains("run `daycare` with no command to open the console"),
            "{flag}: {out}"
        );
        for needed in [
            "DAYCARE_DB",
            "DAYCARE_TODAY",
            "Exit codes:",
            "0  success",
            "1  a registration was refused",
            "2  bad usage or bad input",
            "completions",
            "man",
        ] {
            assert!(out.contains(needed), "{flag}: {needed:?} missing in\n{out}");
        }
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    let db = Db::new();
    for (shell, marker) in [
        ("bash", "_daycare()"),
        ("zsh", "#compdef daycare"),
        ("fish", "complete -c daycare"),
        ("elvish", "daycare"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = db.run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {marker} missing");
        for sub in ["submit", "executions", "workflow", "withdraw"] {
            assert!(out.contains(sub), "{shell} does not complete {sub}");
        }
    }
    let (code, _, err) = db.run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("possible values"), "{err}");
}

#[test]
fn the_manual_page_covers_every_command_the_environment_and_exit_status() {
    let db = Db::new();
    let (code, page, err) = db.run(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains(".TH daycare 1"), "not a man page: {page}");
    for heading in ["NAME", "SYNOPSIS", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES"] {
        assert!(
            page.contains(&format!(".SH {heading}"))
                || page.contains(&format!(".SH \"{heading}\"")),
            "{heading} missing"
        );
    }
    for (name, _) in commands() {
        let heading = format!(".SH \"{}\"", name.to_uppercase());
        assert!(page.contains(&heading), "{heading} missing");
    }
    assert!(page.contains("DAYCARE_TODAY"));
    // Nothing in it starts a line as a request by accident.
    for line in page.lines() {
        assert!(
            !line.starts_with('\'') || line.starts_with(".el"),
            "stray request: {line}"
        );
    }
}

#[test]
fn help_is_wrapped_between_words_to_a_readable_width() {
    let db = Db::new();
    for (name, _) in commands() {
        let mut args: Vec<&str> = name.split(' ').skip(1).collect();
        args.push("--help");
        let (_, out, _) = db.run(&args);
        for line in out.lines() {
            // Examples are commands to copy, kept whole.
            if line.trim_start().starts_with("daycare ") {
                continue;
            }
            assert!(
                daycare::text::width(line) <= 100,
                "{name}: a line of {} columns: {line}",
                daycare::text::width(line)
            );
        }
    }
}
