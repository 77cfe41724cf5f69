//! `daycare completions SHELL` and `daycare man`: the shell completion script and the
//! manual page, generated from the same clap command as `--help`, so they cannot drift.

use clap::CommandFactory;

use super::args::{ENVIRONMENT, EXAMPLES, EXIT_CODES};
use super::{Cli, CliError, Outcome, emit};

/// The completion script for `shell`, on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<Outcome, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "daycare", &mut script);
    emit(&String::from_utf8_lossy(&script));
    Ok(Outcome::Success)
}

/// The manual page, roff for `man`, on stdout: the command as clap_mangen renders it,
/// then a section per command with that command's full help.
pub fn man() -> Result<Outcome, CliError> {
    let mut command = Cli::command();
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let written = man
        .render_title(&mut page)
        .and_then(|()| man.render_name_section(&mut page))
        .and_then(|()| man.render_synopsis_section(&mut page))
        .and_then(|()| man.render_description_section(&mut page))
        .and_then(|()| man.render_options_section(&mut page))
        .and_then(|()| man.render_subcommands_section(&mut page));
    written.map_err(|e| CliError::Internal(format!("cannot write the manual page: {e}")))?;
    let mut page = String::from_utf8_lossy(&page).into_owned();
    for sub in command.get_subcommands_mut() {
        if sub.get_name() == "help" {
            continue;
        }
        page += &section(sub);
        let nested: Vec<String> = sub
            .get_subcommands_mut()
            .filter(|s| s.get_name() != "help")
            .map(section)
            .collect();
        page.extend(nested);
    }
    for (heading, text) in [
        ("EXAMPLES", EXAMPLES),
        ("ENVIRONMENT", ENVIRONMENT),
        ("EXIT STATUS", EXIT_CODES),
    ] {
        page += &literal(
            heading,
            text.split_once('\n').map_or(text, |(_, rest)| rest),
        );
    }
    emit(&page);
    Ok(Outcome::Success)
}

/// A section whose text is shown as laid out, not refilled.
fn literal(heading: &str, text: &str) -> String {
    let body: Vec<String> = text.lines().map(roff_line).collect();
    format!(".SH \"{heading}\"\n.nf\n{}\n.fi\n", body.join("\n"))
}

/// One command's section: its name as the heading, its long help kept as laid out.
fn section(command: &mut clap::Command) -> String {
    let name = command
        .get_bin_name()
        .unwrap_or(command.get_name())
        .to_owned();
    literal(
        &name.to_uppercase(),
        &command.render_long_help().to_string(),
    )
}

/// A line of text as roff shows it literally: backslashes escaped, and a leading `.` or
/// `'` kept from being read as a request.
fn roff_line(line: &str) -> String {
    let line = line.replace('\\', "\\e");
    if line.starts_with('.') || line.starts_with('\'') {
        format!("\\&{line}")
    } else {
        line
    }
}
