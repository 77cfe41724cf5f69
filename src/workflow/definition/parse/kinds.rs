//! The fields of each state type: Task, Choice, Pass, Wait, Fail, Parallel and
//! inline Map (nested machines are parsed by the parent module).

use serde_json::{Map, Value};

use super::super::reader::{Fields, Problems};
use super::super::states::{
    Amount, Assign, Choice, ChoiceState, FailState, Integration, Machine, MapState, ParallelState,
    PassState, TaskState, Test, Text, WaitFor, WaitState,
};
use super::handling::handling;
use super::values::{
    amount, assign, exclusive, next_or_end, reference_path, result_flow, result_path, template,
};
use super::{Index, machine, target};
use crate::workflow::choice::Rule;
use crate::workflow::intrinsics::Call;
use crate::workflow::paths::ReferencePath;

/// The function a `lambda:invoke` Task's Parameters name, when they name it outright.
/// AWS requires `FunctionName` (or `FunctionName.$`) in its Parameters.
fn invoked_function(f: &Fields<'_>, p: &mut Problems) -> Option<String> {
    let params = f.peek("Parameters").and_then(Value::as_object);
    let fixed = params.and_then(|o| o.get("FunctionName"));
    match fixed {
        Some(Value::String(name)) => Some(super::super::invoked_function_name(name).to_owned()),
        Some(_) => {
            f.err(p, "Parameters.FunctionName", "must be a string");
            None
        }
        None if params.is_some_and(|o| o.contains_key("FunctionName.$")) => None,
        None => {
            f.err(
                p,
                "Parameters",
                "arn:aws:states:::lambda:invoke needs FunctionName (or FunctionName.$) in Parameters",
            );
            None
        }
    }
}

pub(super) fn task(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<TaskState> {
    let resource = f.required("Resource", p);
    let parameters = template(f, "Parameters", p);
    let flow = result_flow(f, p);
    let timeout = amount(f, "TimeoutSeconds", "TimeoutSecondsPath", p);
    if let Some(Amount::Fixed(0)) = timeout {
        f.err(p, "TimeoutSeconds", "must be at least 1");
    }
    // Heartbeats need a callback channel, which local handlers do not have: accepted, not enforced.
    amount(f, "HeartbeatSeconds", "HeartbeatSecondsPath", p);
    let handling = handling(f, index, p);
    let next = next_or_end(f, index, p);
    let resource = resource?;
    let (mut function, integration) = super::super::resolve(resource);
    if integration == Integration::LambdaInvoke {
        function = invoked_function(f, p).unwrap_or_default();
    }
    Some(TaskState {
        resource: resource.to_owned(),
        function,
        integration,
        parameters,
        flow,
        timeout,
        handling,
        next: next?,
    })
}

/// A Choice state's Default, in either query language.
fn default(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<usize> {
    f.string("Default", p)
        .and_then(|name| target(f, "Default", name, index, p))
}

/// A JSONata Choice: its rules' Conditions and targets, and its Default.
pub(super) fn jsonata_choice(
    f: &mut Fields<'_>,
    rules: &[super::jsonata::Rule],
    index: &Index<'_>,
    p: &mut Problems,
) -> Option<ChoiceState> {
    let before = p.count();
    let default = default(f, index, p);
    let mut choices = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let field = format!("Choices[{i}].Next");
        if let Some(next) = target(f, &field, &rule.next, index, p) {
            choices.push(Choice {
                test: Test::Condition(rule.condition.clone()),
                next,
                assign: rule.assign.clone().map(Assign::Jsonata),
                output: rule.output.clone(),
            });
        }
    }
    (p.count() == before).then_some(ChoiceState { choices, default })
}

pub(super) fn choice(
    f: &mut Fields<'_>,
    index: &Index<'_>,
    p: &mut Problems,
) -> Option<ChoiceState> {
    let before = p.count();
    let default = default(f, index, p);
    let mut choices = Vec::new();
    match f.array("Choices", p) {
        None if !f.has("Choices") => f.err(p, "Choices", "is required"),
        None => {}
        Some(list) if list.is_empty() => f.err(p, "Choices", "must hold at least one rule"),
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                let field = format!("Choices[{i}]");
                let Value::Object(obj) = item else {
                    p.add(&f.states, f.field(&field), "must be an object");
                    continue;
                };
                let next = match obj.get("Next") {
                    Some(Value::String(name)) => {
                        target(f, &format!("{field}.Next"), name, index, p)
                    }
                    Some(_) => {
                        p.add(
                            &f.states,
                            f.field(&format!("{field}.Next")),
                            "must be a state name",
                        );
                        None
                    }
                    None => {
                        p.add(
                            &f.states,
                            f.field(&format!("{field}.Next")),
                            "is required in a top-level rule",
                        );
                        None
                    }
                };
                let mut rule = obj.clone();
                rule.shift_remove("Next");
                let assign = rule.shift_remove("Assign").and_then(|source| {
                    let mut only = Map::new();
                    only.insert("Assign".to_owned(), source);
                    let mut af = Fields::new(&only, f.states.clone(), format!("{field}."));
                    assign(&mut af, p)
                });
                match Rule::parse(&Value::Object(rule)) {
                    Ok(rule) => {
                        if let Some(next) = next {
                            choices.push(Choice {
                                test: Test::Rule(rule),
                                next,
                                assign: assign.map(Assign::JsonPath),
                                output: None,
                            });
                        }
                    }
                    Err(problems) => {
                        for (sub, message) in problems {
                            let sub = if sub.is_empty() {
                                field.clone()
                            } else {
                                format!("{field}.{sub}")
                            };
                            p.add(&f.states, f.field(&sub), message);
                        }
                    }
                }
            }
        }
    }
    (p.count() == before).then_some(ChoiceState { choices, default })
}

pub(super) fn pass(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<PassState> {
    let parameters = template(f, "Parameters", p);
    let result = f.get("Result").cloned();
    let result_path = result_path(f, "ResultPath", p);
    let next = next_or_end(f, index, p)?;
    Some(PassState {
        parameters,
        result,
        result_path,
        next,
    })
}

pub(super) fn wait(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<WaitState> {
    const FORMS: [&str; 4] = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
    if FORMS.iter().all(|k| !f.has(k)) {
        f.err(
            p,
            "Seconds",
            "a Wait state needs one of Seconds, SecondsPath, Timestamp or TimestampPath",
        );
    }
    exclusive(f, &FORMS, p);
    let mut wait = amount(f, "Seconds", "SecondsPath", p).map(WaitFor::Seconds);
    if let Some(text) = f.string("Timestamp", p) {
        match crate::workflow::timestamp::parse(text) {
            Some(t) => wait = Some(WaitFor::Timestamp(t)),
            None => f.err(
                p,
                "Timestamp",
                format!("\"{text}\" is not an ISO 8601 timestamp like 2026-03-14T01:59:00Z"),
            ),
        }
    }
    if let Some(path) = reference_path(f, "TimestampPath", p) {
        wait = Some(WaitFor::TimestampPath(path));
    }
    let next = next_or_end(f, index, p)?;
    Some(WaitState { wait: wait?, next })
}

pub(super) fn fail(f: &mut Fields<'_>, p: &mut Problems) -> FailState {
    FailState {
        error: text(f, "Error", "ErrorPath", p),
        cause: text(f, "Cause", "CausePath", p),
    }
}

/// Fail's Error/ErrorPath or Cause/CausePath.
pub(super) fn text(
    f: &mut Fields<'_>,
    key: &'static str,
    path_key: &'static str,
    p: &mut Problems,
) -> Option<Text> {
    if f.has(key) && f.has(path_key) {
        f.err(
            p,
            path_key,
            format!("cannot be given together with {key}; keep one"),
        );
    }
    if let Some(path) = f.string(path_key, p) {
        let parsed = if Call::looks_like_call(path) {
            Call::parse(path).map(Text::Call)
        } else {
            ReferencePath::parse(path).map(Text::Path)
        };
        return match parsed {
            Ok(t) => Some(t),
            Err(e) => {
                f.err(p, path_key, e);
                None
            }
        };
    }
    f.string(key, p).map(|s| Text::Fixed(s.to_owned()))
}

pub(super) fn parallel(
    f: &mut Fields<'_>,
    index: &Index<'_>,
    p: &mut Problems,
) -> Option<ParallelState> {
    let mut branches = Some(Vec::new());
    match f.array("Branches", p) {
        None if !f.has("Branches") => f.err(p, "Branches", "is required"),
        None => {}
        Some(list) if list.is_empty() => f.err(p, "Branches", "must hold at least one branch"),
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                let prefix = format!("{}Branches[{i}].", f.prefix);
                let Value::Object(obj) = item else {
                    p.add(
                        &f.states,
                        prefix.trim_end_matches('.'),
                        "a branch must be an object with StartAt and States",
                    );
                    branches = None;
                    continue;
                };
                let mut bf = Fields::new(obj, f.states.clone(), prefix);
                let m = machine(&mut bf, p);
                bf.finish("a Parallel branch", p, |_| None);
                match (m, branches.as_mut()) {
                    (Some(m), Some(list)) => list.push(m),
                    _ => branches = None,
                }
            }
        }
    }
    let parameters = template(f, "Parameters", p);
    let flow = result_flow(f, p);
    let handling = handling(f, index, p);
    let next = next_or_end(f, index, p)?;
    Some(ParallelState {
        branches: branches?,
        parameters,
        flow,
        handling,
        next,
    })
}

pub(super) fn map(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<MapState> {
    let processor = match (f.has("ItemProcessor"), f.has("Iterator")) {
        (true, true) => {
            f.err(
                p,
                "Iterator",
                "cannot be given together with ItemProcessor; keep ItemProcessor",
            );
            None
        }
        (false, false) => {
            f.err(p, "ItemProcessor", "is required (or the older Iterator)");
            None
        }
        (true, false) => processor(f, "ItemProcessor", p),
        (false, true) => processor(f, "Iterator", p),
    };
    let items_path = match f.get("ItemsPath") {
        Some(Value::String(s)) if s == "$" => None,
        Some(_) => reference_path(f, "ItemsPath", p),
        None => None,
    };
    if f.has("ItemSelector") && f.has("Parameters") {
        f.err(
            p,
            "Parameters",
            "cannot be given together with ItemSelector; keep ItemSelector",
        );
    }
    let item_selector = template(f, "ItemSelector", p).or_else(|| template(f, "Parameters", p));
    let max_concurrency = amount(f, "MaxConcurrency", "MaxConcurrencyPath", p);
    let flow = result_flow(f, p);
    let handling = handling(f, index, p);
    let next = next_or_end(f, index, p)?;
    Some(MapState {
        processor: processor?,
        items_path,
        item_selector,
        max_concurrency,
        flow,
        handling,
        next,
    })
}

pub(super) fn processor(
    f: &mut Fields<'_>,
    key: &'static str,
    p: &mut Problems,
) -> Option<Machine> {
    let obj = f.object(key, p)?;
    let mut pf = Fields::new(obj, f.states.clone(), format!("{}{key}.", f.prefix));
    // The legacy Iterator takes a ProcessorConfig too (AWS runs one with Mode INLINE).
    if let Some(config) = pf.object("ProcessorConfig", p) {
        let mut cf = Fields::new(config, pf.states.clone(), pf.field("ProcessorConfig."));
        match cf.string("Mode", p) {
            None | Some("INLINE") => {}
            Some("DISTRIBUTED") => cf.err(
                p,
                "Mode",
                "distributed Map is not supported; use Mode INLINE (iterations run in this execution)",
            ),
            Some(other) => cf.err(p, "Mode", format!("\"{other}\" is not a mode; use INLINE")),
        }
        cf.string("ExecutionType", p);
        cf.finish("ProcessorConfig", p, |_| None);
    }
    let m = machine(&mut pf, p);
    pf.finish("an item processor", p, |_| None);
    m
}
