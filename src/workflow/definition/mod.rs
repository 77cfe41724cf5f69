//! Parsing an ASL definition into typed values and validating it before it runs.
//! Errors name the state and the field. Nothing here evaluates data.

mod parse;
mod reader;
pub(crate) mod states;

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::error::{MAX_MESSAGE_CHARS, shorten};
use super::naming::MAX_NAME_CHARS;
use states::{Body, Integration, Machine, Next};

/// A parsed, validated state machine. Cheap to share (`Clone` or `Arc`).
#[derive(Debug, Clone)]
pub struct StateMachine {
    // CONTRACT: private fields are the engine's own business.
    source: Arc<str>,
    machine: Arc<Machine>,
    timeout_seconds: Option<u64>,
}

/// One problem found in a definition, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// Path of state names from the top, e.g. `["Process", "Inner"]`; empty for top-level fields.
    pub states: Vec<String>,
    /// The field at fault, e.g. `Next`, `ResultPath`, `Choices[0].Variable`.
    pub field: String,
    pub message: String,
}

/// The longest state name or field shown in a problem: as long as AWS allows a name.
const SHOWN_NAME_CHARS: usize = MAX_NAME_CHARS;

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = shorten(self.field.clone(), SHOWN_NAME_CHARS);
        let message = shorten(self.message.clone(), MAX_MESSAGE_CHARS);
        if self.states.is_empty() {
            write!(f, "{field}: {message}")
        } else {
            let states: Vec<String> = self
                .states
                .iter()
                .map(|s| shorten(s.clone(), SHOWN_NAME_CHARS))
                .collect();
            write!(f, "state \"{}\", {field}: {message}", states.join("/"))
        }
    }
}

/// The type of a state, as the `Type` field names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateKind {
    Task,
    Choice,
    Pass,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

/// An edge out of a state, for drawing the machine as a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// `Next`, `Default`, `Choices[0]`, `Catch[0]`, …
    pub label: String,
    pub target: String,
}

/// A read-only view of one top-level state, in definition order.
#[derive(Debug, Clone)]
pub struct StateView {
    pub name: String,
    pub kind: StateKind,
    /// The task's `Resource`, for Task states.
    pub resource: Option<String>,
    pub transitions: Vec<Transition>,
    /// `End: true`, or a Succeed/Fail state.
    pub terminal: bool,
}

impl StateMachine {
    /// Parses and validates a definition. Every problem is reported, not just the first.
    pub fn parse(json: &str) -> Result<StateMachine, Vec<DefinitionError>> {
        let root: Value = serde_json::from_str(json).map_err(|e| {
            vec![DefinitionError {
                states: Vec::new(),
                field: "(definition)".to_owned(),
                message: format!("is not valid JSON: {e}"),
            }]
        })?;
        let mut problems = reader::Problems::default();
        let (machine, timeout_seconds) = parse::top(&root, &mut problems);
        match machine {
            Some(machine) if problems.list.is_empty() => Ok(StateMachine {
                source: Arc::from(json),
                machine: Arc::new(machine),
                timeout_seconds,
            }),
            _ => Err(problems.list),
        }
    }

    /// The definition text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn comment(&self) -> Option<&str> {
        self.machine.comment.as_deref()
    }

    pub fn start_at(&self) -> &str {
        &self.machine.states[self.machine.start].name
    }

    /// The top-level `TimeoutSeconds`, if any.
    pub fn timeout_seconds(&self) -> Option<u64> {
        self.timeout_seconds
    }

    /// Top-level states in the order the definition lists them.
    pub fn states(&self) -> Vec<StateView> {
        let m = &self.machine;
        m.states
            .iter()
            .map(|state| {
                let name_of = |i: usize| m.states[i].name.clone();
                let mut transitions = Vec::new();
                let mut next = |n: &Next| {
                    if let Next::To(i) = n {
                        transitions.push(Transition {
                            label: "Next".to_owned(),
                            target: name_of(*i),
                        });
                    }
                };
                let (resource, handling) = match &state.body {
                    Body::Task(t) => {
                        next(&t.next);
                        (Some(t.resource.clone()), Some(&t.handling))
                    }
                    Body::Pass(s) => {
                        next(&s.next);
                        (None, None)
                    }
                    Body::Wait(s) => {
                        next(&s.next);
                        (None, None)
                    }
                    Body::Parallel(s) => {
                        next(&s.next);
                        (None, Some(&s.handling))
                    }
                    Body::Map(s) => {
                        next(&s.next);
                        (None, Some(&s.handling))
                    }
                    Body::Choice(c) => {
                        for (i, target) in c.choices.iter().map(|c| c.next).enumerate() {
                            transitions.push(Transition {
                                label: format!("Choices[{i}]"),
                                target: name_of(target),
                            });
                        }
                        if let Some(d) = c.default {
                            transitions.push(Transition {
                                label: "Default".to_owned(),
                                target: name_of(d),
                            });
                        }
                        (None, None)
                    }
                    Body::Succeed | Body::Fail(_) => (None, None),
                };
                if let Some(h) = handling {
                    for (i, c) in h.catch.iter().enumerate() {
                        transitions.push(Transition {
                            label: format!("Catch[{i}]"),
                            target: name_of(c.next),
                        });
                    }
                }
                let terminal = match &state.body {
                    Body::Succeed | Body::Fail(_) => true,
                    Body::Choice(_) => false,
                    _ => !transitions.iter().any(|t| t.label == "Next"),
                };
                StateView {
                    name: state.name.clone(),
                    kind: state.kind(),
                    resource,
                    transitions,
                    terminal,
                }
            })
            .collect()
    }

    /// Every `Resource` named by a Task state, nested machines included.
    pub fn resources(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.visit_tasks(|_, task| {
            if !out.contains(&task.resource) {
                out.push(task.resource.clone());
            }
        });
        out
    }

    /// Every Task `Resource` resolves to one of the `known` handler names: a problem
    /// naming the state for each one that does not, with the names that would do.
    pub fn check_resources(&self, known: &[&str]) -> Result<(), Vec<DefinitionError>> {
        let mut known = known.to_vec();
        known.sort_unstable();
        known.dedup();
        let listed = if known.is_empty() {
            "it has none".to_owned()
        } else {
            format!("it knows {}", known.join(", "))
        };
        let mut problems = Vec::new();
        self.visit_tasks(|at, task| {
            // A function read from the input is looked up when the state runs.
            let later = task.integration == Integration::LambdaInvoke && task.function.is_empty();
            let answered = known.contains(&task.function.as_str())
                || known.contains(&task.resource.as_str());
            if later || answered {
                return;
            }
            let message = match task.integration {
                Integration::Service => unsupported(&task.resource),
                _ => format!(
                    "\"{}\" resolves to no task handler of this program, so it cannot run here; {listed}",
                    task.resource
                ),
            };
            problems.push(DefinitionError {
                states: at.to_vec(),
                field: "Resource".to_owned(),
                message,
            });
        });
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Calls `f` with the state path and the Task of every Task state, nested ones included.
    pub(crate) fn visit_tasks(&self, mut f: impl FnMut(&[String], &states::TaskState)) {
        fn walk(
            m: &Machine,
            at: &mut Vec<String>,
            f: &mut dyn FnMut(&[String], &states::TaskState),
        ) {
            for state in &m.states {
                at.push(state.name.clone());
                match &state.body {
                    Body::Task(t) => f(at, t),
                    Body::Parallel(p) => {
                        for b in &p.branches {
                            walk(b, at, f);
                        }
                    }
                    Body::Map(m) => walk(&m.processor, at, f),
                    _ => {}
                }
                at.pop();
            }
        }
        walk(&self.machine, &mut Vec::new(), &mut f);
    }

    /// Whether any state reads the context object `$$`.
    pub(crate) fn uses_context(&self) -> bool {
        self.source.contains("$$")
    }

    pub(crate) fn machine(&self) -> &Machine {
        &self.machine
    }
}

/// The handler name a `Resource` resolves to, and how it is called:
/// `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:VERSION_OR_ALIAS]` gives NAME;
/// `arn:PARTITION:states:::lambda:invoke` names its function in its Parameters;
/// other `arn:…:states:…` resources are AWS's services and activities; anything else
/// is a handler name as it stands.
pub(crate) fn resolve(resource: &str) -> (String, Integration) {
    let parts: Vec<&str> = resource.split(':').collect();
    let arn = parts.len() >= 6 && parts[0] == "arn";
    if arn
        && (parts.len() == 7 || parts.len() == 8)
        && parts[2] == "lambda"
        && parts[5] == "function"
        && !parts[6].is_empty()
    {
        return (parts[6].to_owned(), Integration::LambdaFunction);
    }
    if arn && parts[2] == "states" {
        let invoke = parts.len() == 7 && parts[5] == "lambda" && parts[6] == "invoke";
        let integration = if invoke {
            Integration::LambdaInvoke
        } else {
            Integration::Service
        };
        return (resource.to_owned(), integration);
    }
    (resource.to_owned(), Integration::Local)
}

/// Why a service integration or an activity cannot run here.
fn unsupported(resource: &str) -> String {
    let what = if resource.contains(":activity:") {
        "activities are not supported: nothing here hands out activity tasks".to_owned()
    } else if resource.ends_with(".waitForTaskToken") {
        "callbacks (.waitForTaskToken) are not supported: nothing here sends task tokens back"
            .to_owned()
    } else if resource.ends_with(".sync") {
        "the run-a-job pattern (.sync) is not supported".to_owned()
    } else {
        let service = resource.splitn(6, ':').nth(5).unwrap_or(resource);
        format!("the service integration {service} is not supported")
    };
    format!(
        "\"{resource}\": {what}; only Lambda runs here, as a function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME) or arn:aws:states:::lambda:invoke"
    )
}

/// The function a Lambda Invoke `FunctionName` names: a name, `NAME:QUALIFIER`, a
/// partial ARN `ACCOUNT:function:NAME[:QUALIFIER]` or a whole function ARN.
pub(crate) fn invoked_function_name(function: &str) -> &str {
    let after = match function.split_once(":function:") {
        Some((_, rest)) => rest,
        None => function,
    };
    after.split(':').next().unwrap_or(after)
}

#[cfg(test)]
mod tests {
    use super::states::Integration;
    use super::{invoked_function_name, resolve};

    #[test]
    fn lambda_arns_resolve_to_their_function_name() {
        assert_eq!(
            resolve("arn:aws:lambda:us-east-1:123456789012:function:checkAgeRange"),
            ("checkAgeRange".to_owned(), Integration::LambdaFunction)
        );
        assert_eq!(
            resolve("arn:aws:lambda:eu-west-1:123456789012:function:f:prod").0,
            "f"
        );
        assert_eq!(
            resolve("plainName"),
            ("plainName".to_owned(), Integration::Local)
        );
        assert_eq!(
            resolve("arn:aws:states:::lambda:invoke").1,
            Integration::LambdaInvoke
        );
        assert_eq!(
            resolve("arn:aws:states:::s3:getObject"),
            (
                "arn:aws:states:::s3:getObject".to_owned(),
                Integration::Service
            )
        );
        assert_eq!(
            resolve("arn:aws:states:us-east-1:123456789012:activity:approve").1,
            Integration::Service
        );
    }

    #[test]
    fn an_invoked_function_is_named_in_any_of_lambdas_forms() {
        for name in [
            "checkAgeRange",
            "checkAgeRange:prod",
            "123456789012:function:checkAgeRange",
            "arn:aws:lambda:us-east-1:123456789012:function:checkAgeRange:1",
        ] {
            assert_eq!(invoked_function_name(name), "checkAgeRange", "{name}");
        }
    }
}
