//! `daycare workflow validate|run|show`: the engine exposed directly. `run` prints exactly
//! one JSON document, `{"execution": …, "events": […]}`. Task states resolve to the
//! daycare's built-in handlers: the shipped workflow runs on the daycare's database; any
//! other definition runs on a scratch database in memory unless a database is named
//! (`--db` or `DAYCARE_DB`), so a hand-written definition never changes real
//! registrations by accident; with `--mocks` and `--test-case` no database is opened at
//! all and the Task states answer from a Step Functions Local mock configuration.
//! `validate` reports every problem `run` would refuse.

use std::path::Path;

use serde_json::{Value, json};

use super::args::WorkflowCommand;
use super::{CliError, Context, Outcome, clock, print_json, read_input, runtime, say};
use crate::registration::{DEFINITION, Desk};
use crate::workflow::naming::{self, DEFAULT_MACHINE_NAME, MAX_NAME_CHARS, NameError};
use crate::workflow::{
    DefinitionError, ExecutionStatus, MockConfig, MockError, RunOptions, StateMachine,
};

pub fn run(ctx: &Context, command: WorkflowCommand) -> Result<Outcome, CliError> {
    match command {
        WorkflowCommand::Show => {
            super::emit_line(DEFINITION.trim_end().to_string());
            Ok(Outcome::Success)
        }
        WorkflowCommand::Validate { file } => validate(ctx, &file),
        WorkflowCommand::Run {
            file,
            input,
            name,
            mocks: Some(mocks),
            test_case: Some(case),
        } => execute_mocked(&file, &mocks, &case, input.as_deref(), name),
        WorkflowCommand::Run {
            file, input, name, ..
        } => execute(ctx, &file, input.as_deref(), name),
    }
}

fn validate(ctx: &Context, file: &Path) -> Result<Outcome, CliError> {
    let text = read_input(file)?;
    let checked = StateMachine::parse(&text).and_then(|machine| {
        let scratch = scratch_desk().map_err(|e| vec![unusable(&e)])?;
        scratch.engine().check(&machine)?;
        Ok(machine)
    });
    match checked {
        Ok(machine) if ctx.json => {
            print_json(&json!({"valid": true, "states": machine.states().len()}))?;
            Ok(Outcome::Success)
        }
        Ok(machine) => {
            super::emit_line(format!(
                "{} is a valid workflow ({} states)",
                file.display(),
                machine.states().len()
            ));
            Ok(Outcome::Success)
        }
        Err(problems) => {
            if ctx.json {
                let listed: Vec<Value> = problems.iter().map(problem_json).collect();
                print_json(&json!({"valid": false, "problems": listed}))?;
            }
            Err(report(file, &problems))
        }
    }
}

fn execute(
    ctx: &Context,
    file: &Path,
    input: Option<&Path>,
    name: Option<String>,
) -> Result<Outcome, CliError> {
    let text = read_input(file)?;
    let machine = StateMachine::parse(&text).map_err(|problems| report(file, &problems))?;
    let input = run_input(input)?;
    let name = run_name(name)?;
    let (desk, database) = if ctx.db.is_some() || is_shipped(&text) {
        let desk = ctx.desk()?;
        let (address, _) = ctx.db_address()?;
        (desk, format!("the database at {}", address.shown()))
    } else {
        let scratch = scratch_desk()?;
        (
            scratch,
            "a scratch database in memory, discarded afterwards (pass --db PATH to run on a daycare's database)"
                .to_owned(),
        )
    };
    desk.engine()
        .check(&machine)
        .map_err(|problems| report(file, &problems))?;
    let arn = naming::state_machine_arn(&machine_name(file));
    say(&format!("running {} on {database}", file.display()));
    let child = crate::registration::child_name(&input);
    let execution =
        runtime()?.block_on(desk.run(&machine, &arn, input, name, child.as_deref(), None))?;
    print_json(&execution)?;
    Ok(if execution.summary.status == ExecutionStatus::Succeeded {
        Outcome::Success
    } else {
        Outcome::Refused
    })
}

/// `run --mocks FILE --test-case NAME`: every Task state answers from the test case's
/// mocked responses. No database is opened and no built-in handler runs.
fn execute_mocked(
    file: &Path,
    mocks: &Path,
    case: &str,
    input: Option<&Path>,
    name: Option<String>,
) -> Result<Outcome, CliError> {
    let config = read_input(mocks)?;
    let refused = |e: MockError| {
        CliError::Usage(format!(
            "{}: {e}",
            crate::text::clean(&mocks.display().to_string())
        ))
    };
    let config = MockConfig::parse(&config).map_err(refused)?;
    let text = read_input(file)?;
    let machine = StateMachine::parse(&text).map_err(|problems| report(file, &problems))?;
    let machine_name = machine_name(file);
    let entry = config.pick_machine(&machine_name).map_err(refused)?;
    let test_case = config.test_case(entry, case).map_err(refused)?;
    test_case.check(&machine).map_err(refused)?;
    let engine = test_case.engine(&machine);
    engine
        .check(&machine)
        .map_err(|problems| report(file, &problems))?;
    let input = run_input(input)?;
    let name = run_name(name)?;
    say(&format!(
        "running {} with the mocked responses of test case \"{case}\" of \"{entry}\" in {}; no database is opened",
        file.display(),
        mocks.display()
    ));
    let options = RunOptions {
        name: Some(name),
        state_machine_arn: Some(naming::state_machine_arn(&machine_name)),
        ..RunOptions::default()
    };
    let execution = runtime()?.block_on(engine.run(&machine, input, options));
    print_json(&execution)?;
    Ok(if execution.summary.status == ExecutionStatus::Succeeded {
        Outcome::Success
    } else {
        Outcome::Refused
    })
}

/// The execution's input: the file given (or standard input for `-`), else `{}`.
fn run_input(input: Option<&Path>) -> Result<Value, CliError> {
    match input {
        None => Ok(Value::Object(Default::default())),
        Some(path) => serde_json::from_str(&read_input(path)?)
            .map_err(|e| CliError::Usage(format!("the input {} is not JSON: {e}", path.display()))),
    }
}

/// The execution's name: the one given, checked, else a new UUID.
fn run_name(name: Option<String>) -> Result<String, CliError> {
    let name = name.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    check_name(&name)?;
    Ok(name)
}

/// The built-in handlers on a database that lives only as long as this command.
fn scratch_desk() -> Result<Desk, CliError> {
    Ok(Desk::in_memory(clock()?)?)
}

/// Whether a definition is the shipped registration workflow (whatever its layout).
fn is_shipped(text: &str) -> bool {
    let shipped: Result<Value, _> = serde_json::from_str(DEFINITION);
    let given: Result<Value, _> = serde_json::from_str(text);
    matches!((shipped, given), (Ok(a), Ok(b)) if a == b)
}

/// A scratch database that could not be made, as a problem of the definition's check.
fn unusable(e: &CliError) -> DefinitionError {
    DefinitionError {
        states: Vec::new(),
        field: "(handlers)".to_owned(),
        message: format!("the built-in task handlers could not be set up: {e}"),
    }
}

/// Each problem on its own line of stderr, cleaned of control characters.
fn report(file: &Path, problems: &[DefinitionError]) -> CliError {
    for problem in problems {
        eprintln!(
            "{}",
            crate::text::clean(&format!("{}: {problem}", file.display()))
        );
    }
    CliError::Reported
}

fn problem_json(problem: &DefinitionError) -> Value {
    json!({
        "states": problem.states,
        "field": problem.field,
        "message": problem.message,
    })
}

/// The machine's name in its ARN: the file's stem, with anything AWS would refuse as `-`.
fn machine_name(file: &Path) -> String {
    file.file_stem()
        .and_then(|s| s.to_str())
        .and_then(naming::machine_name_from)
        .unwrap_or_else(|| DEFAULT_MACHINE_NAME.into())
}

/// AWS's rules for execution names (`naming::check_name`), as a usage error.
fn check_name(name: &str) -> Result<(), CliError> {
    match naming::check_name(name) {
        Ok(()) => Ok(()),
        Err(NameError::Refused(c)) => Err(CliError::Usage(format!(
            "the execution name {} contains {}; use letters, digits, - and _",
            crate::text::quote(name, 40),
            char_name(c)
        ))),
        Err(NameError::Length(count)) => Err(CliError::Usage(format!(
            "the execution name must be 1 to {MAX_NAME_CHARS} characters, not {count}"
        ))),
    }
}

/// A character for a message: itself when printable, else its code point.
fn char_name(c: char) -> String {
    if c.is_control() || crate::text::is_unsafe(c) {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}
