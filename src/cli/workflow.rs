//! `daycare workflow validate|run|show`: the engine exposed directly. `run` prints exactly
//! one JSON document, `{"execution": …, "events": […]}`; Task states resolve to the
//! daycare's built-in handlers on the database.

use serde_json::Value;

use super::args::WorkflowCommand;
use super::{CliError, Context, Outcome, print_json, read_input, runtime};
use crate::registration::DEFINITION;
use crate::workflow::{ExecutionStatus, StateMachine};

/// Parses and validates, reporting each problem on its own line of stderr.
fn load(ctx: &Context, file: &std::path::Path) -> Result<StateMachine, CliError> {
    let text = read_input(file)?;
    let _ = ctx;
    StateMachine::parse(&text).map_err(|errors| {
        for e in &errors {
            eprintln!("{}: {e}", file.display());
        }
        CliError::Reported
    })
}

pub fn run(ctx: &Context, command: WorkflowCommand) -> Result<Outcome, CliError> {
    match command {
        WorkflowCommand::Show => {
            super::emit_line(DEFINITION.trim_end().to_string());
            Ok(Outcome::Success)
        }
        WorkflowCommand::Validate { file } => {
            let machine = load(ctx, &file)?;
            if !ctx.json {
                super::emit_line(format!(
                    "{} is a valid workflow ({} states)",
                    file.display(),
                    machine.states().len()
                ));
            } else {
                print_json(&serde_json::json!({"valid": true, "states": machine.states().len()}))?;
            }
            Ok(Outcome::Success)
        }
        WorkflowCommand::Run { file, input, name } => {
            let machine = load(ctx, &file)?;
            let input: Value = match input {
                None => Value::Object(Default::default()),
                Some(path) => serde_json::from_str(&read_input(&path)?).map_err(|e| {
                    CliError::Usage(format!("the input {} is not JSON: {e}", path.display()))
                })?,
            };
            let desk = ctx.desk()?;
            if let Err(errors) = desk.engine().check(&machine) {
                for e in &errors {
                    eprintln!("{}: {e}", file.display());
                }
                return Err(CliError::Reported);
            }
            let machine_name: String = file
                .file_stem()
                .and_then(|s| s.to_str())
                .map(|s| {
                    s.chars()
                        .map(|c| {
                            if c.is_alphanumeric() || c == '-' || c == '_' {
                                c
                            } else {
                                '-'
                            }
                        })
                        .collect()
                })
                .filter(|s: &String| !s.is_empty() && s != "-")
                .unwrap_or_else(|| "StateMachine".into());
            let arn = format!("arn:aws:states:local:000000000000:stateMachine:{machine_name}");
            let name = name.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            check_name(&name)?;
            let execution =
                runtime()?.block_on(desk.run(&machine, &arn, input, name, None, None))?;
            print_json(&execution)?;
            Ok(if execution.summary.status == ExecutionStatus::Succeeded {
                Outcome::Success
            } else {
                Outcome::Refused
            })
        }
    }
}

/// AWS's rules for execution names: 1 to 80 characters, none of them whitespace,
/// brackets, wildcards, control characters or `"#%\\^|~`$&,;:/`.
fn check_name(name: &str) -> Result<(), CliError> {
    let bad = name
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c));
    let count = name.chars().count();
    if let Some(c) = bad {
        Err(CliError::Usage(format!(
            "the execution name {name:?} contains {c:?}; use letters, digits, - and _"
        )))
    } else if count == 0 || count > 80 {
        Err(CliError::Usage(format!(
            "the execution name must be 1 to 80 characters, not {count}"
        )))
    } else {
        Ok(())
    }
}
