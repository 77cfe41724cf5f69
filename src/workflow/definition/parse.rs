//! Building the typed machine from definition JSON and checking what AWS checks
//! before a run: targets exist, every state is reachable, Next/End per type,
//! error names, paths. Every problem is collected; nothing here runs a state.

use std::collections::HashMap;

use chrono::DateTime;
use serde_json::{Map, Value};

use super::reader::{Fields, Problems, kind};
use super::states::{
    Amount, Body, Catcher, ChoiceState, FailState, Handling, InputPath, Machine, MapState, Next,
    ParallelState, PassState, ResultFlow, ResultPath, Retrier, State, TaskState, Text, WaitFor,
    WaitState,
};
use crate::workflow::choice::Rule;
use crate::workflow::error::names;
use crate::workflow::intrinsics::Call;
use crate::workflow::paths::{Path, ReferencePath, Template};

/// AWS's limit on a state's name.
const MAX_NAME_CHARS: usize = 80;

/// The error names AWS reserves; any other `States.` name is refused.
const KNOWN_ERRORS: &[&str] = &[
    names::ALL,
    names::HEARTBEAT_TIMEOUT,
    names::TIMEOUT,
    names::TASK_FAILED,
    names::PERMISSIONS,
    names::RESULT_PATH_MATCH_FAILURE,
    names::PARAMETER_PATH_FAILURE,
    names::BRANCH_FAILED,
    names::NO_CHOICE_MATCHED,
    names::INTRINSIC_FAILURE,
    names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
    names::ITEM_READER_FAILED,
    names::RESULT_WRITER_FAILED,
    names::RUNTIME,
    names::DATA_LIMIT_EXCEEDED,
];

/// Names of the state types, keyed by `Type`.
type Index<'a> = HashMap<&'a str, usize>;

/// The top-level machine and its `TimeoutSeconds`.
pub(super) fn top(root: &Value, p: &mut Problems) -> (Option<Machine>, Option<u64>) {
    let Value::Object(obj) = root else {
        p.add(
            &[],
            "(definition)",
            format!(
                "must be a JSON object with StartAt and States, not {}",
                kind(root)
            ),
        );
        return (None, None);
    };
    let mut f = Fields::new(obj, Vec::new(), String::new());
    query_language(&mut f, p);
    f.string("Version", p);
    let timeout = f.uint("TimeoutSeconds", p);
    let machine = machine(&mut f, p);
    f.finish("a state machine", p, |_| None);
    (machine, timeout)
}

fn query_language(f: &mut Fields<'_>, p: &mut Problems) {
    match f.string("QueryLanguage", p) {
        None | Some("JSONPath") => {}
        Some("JSONata") => f.err(
            p,
            "QueryLanguage",
            "JSONata is not supported: this engine runs the JSONPath query language only; \
             remove QueryLanguage or set it to \"JSONPath\"",
        ),
        Some(other) => f.err(
            p,
            "QueryLanguage",
            format!("\"{other}\" is not a query language; use \"JSONPath\""),
        ),
    }
}

/// StartAt, States and Comment of a machine or nested machine; the caller reads
/// its other fields and reports unknown ones.
fn machine(f: &mut Fields<'_>, p: &mut Problems) -> Option<Machine> {
    let before = p.count();
    let comment = f.string("Comment", p).map(str::to_owned);
    let start = f.required("StartAt", p);
    let states = match f.get("States") {
        None => {
            f.err(p, "States", "is required");
            None
        }
        Some(Value::Object(m)) if m.is_empty() => {
            f.err(p, "States", "must name at least one state");
            None
        }
        Some(Value::Object(m)) => Some(m),
        Some(other) => {
            f.err(
                p,
                "States",
                format!("must be an object, not {}", kind(other)),
            );
            None
        }
    };
    let states = states?;
    let index: Index<'_> = states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let start = start.and_then(|s| target(f, "StartAt", s, &index, p));
    let mut parsed = Vec::with_capacity(states.len());
    for (name, value) in states {
        let mut at = f.states.clone();
        at.push(name.clone());
        if name.chars().count() > MAX_NAME_CHARS {
            p.add(
                &at,
                "(name)",
                format!("a state name may have at most {MAX_NAME_CHARS} characters"),
            );
        }
        parsed.push(state(name, value, &index, at, p));
    }
    if let Some(start) = start {
        unreachable_states(f, states, &index, start, p);
    }
    if p.count() > before {
        return None;
    }
    Some(Machine {
        start: start?,
        states: parsed.into_iter().collect::<Option<Vec<_>>>()?,
        comment,
    })
}

fn unreachable_states(
    f: &Fields<'_>,
    states: &Map<String, Value>,
    index: &Index<'_>,
    start: usize,
    p: &mut Problems,
) {
    let values: Vec<&Value> = states.values().collect();
    let mut seen = vec![false; values.len()];
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        for name in raw_targets(values[i]) {
            if let Some(&j) = index.get(name) {
                stack.push(j);
            }
        }
    }
    for (name, reached) in states.keys().zip(seen) {
        if !reached {
            let mut at = f.states.clone();
            at.push(name.clone());
            p.add(
                &at,
                "(unreachable)",
                "no Next, Default, Choice rule or Catch leads here from StartAt; connect it or remove it",
            );
        }
    }
}

/// The names a state's JSON points to, read leniently (for reachability).
pub(super) fn raw_targets(state: &Value) -> Vec<&str> {
    fn name(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str)
    }
    let mut out: Vec<&str> = Vec::new();
    out.extend(name(state.get("Next")));
    out.extend(name(state.get("Default")));
    for list in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = state.get(list) {
            out.extend(items.iter().filter_map(|item| name(item.get("Next"))));
        }
    }
    out
}

fn target(
    f: &Fields<'_>,
    field: &str,
    name: &str,
    index: &Index<'_>,
    p: &mut Problems,
) -> Option<usize> {
    match index.get(name) {
        Some(&i) => Some(i),
        None => {
            let mut known: Vec<&str> = index.keys().copied().collect();
            known.sort_unstable();
            p.add(
                &f.states,
                f.field(field),
                format!(
                    "names \"{name}\", which is not a state here (states: {})",
                    known.join(", ")
                ),
            );
            None
        }
    }
}

fn state(
    name: &str,
    value: &Value,
    index: &Index<'_>,
    at: Vec<String>,
    p: &mut Problems,
) -> Option<State> {
    let before = p.count();
    let Value::Object(obj) = value else {
        p.add(
            &at,
            "(state)",
            format!("must be an object, not {}", kind(value)),
        );
        return None;
    };
    let mut f = Fields::new(obj, at, String::new());
    f.string("Comment", p);
    query_language(&mut f, p);
    let ty = f.required("Type", p)?;
    let (input_path, output_path) = if ty == "Fail" {
        (InputPath::Whole, InputPath::Whole)
    } else {
        (
            input_path(&mut f, "InputPath", p),
            input_path(&mut f, "OutputPath", p),
        )
    };
    let body = match ty {
        "Task" => task(&mut f, index, p).map(|t| Body::Task(Box::new(t))),
        "Choice" => choice(&mut f, index, p).map(Body::Choice),
        "Pass" => pass(&mut f, index, p).map(Body::Pass),
        "Wait" => wait(&mut f, index, p).map(Body::Wait),
        "Succeed" => Some(Body::Succeed),
        "Fail" => Some(Body::Fail(fail(&mut f, p))),
        "Parallel" => parallel(&mut f, index, p).map(|s| Body::Parallel(Box::new(s))),
        "Map" => map(&mut f, index, p).map(|s| Body::Map(Box::new(s))),
        other => {
            f.err(
                p,
                "Type",
                format!(
                    "\"{other}\" is not a state type; use Task, Choice, Pass, Wait, Succeed, Fail, Parallel or Map"
                ),
            );
            return None;
        }
    };
    f.finish(&format!("a {ty} state"), p, |key| refused(ty, key));
    if p.count() > before {
        return None;
    }
    let uses_context = serde_json::to_string(value)
        .map(|s| s.contains("$$"))
        .unwrap_or(true);
    Some(State {
        name: name.to_owned(),
        input_path,
        output_path,
        uses_context,
        body: body?,
    })
}

/// Why a field the engine recognises is refused in a state of type `ty`.
fn refused(ty: &str, key: &str) -> Option<&'static str> {
    match key {
        "Assign" | "Arguments" | "Output" | "Items" => {
            Some("belongs to JSONata or workflow variables, which this engine does not support")
        }
        "Credentials" => Some("cross-account task credentials are not supported"),
        "ItemReader"
        | "ItemBatcher"
        | "ResultWriter"
        | "ToleratedFailurePercentage"
        | "ToleratedFailureCount"
        | "ToleratedFailurePercentagePath"
        | "ToleratedFailureCountPath"
        | "Label"
            if ty == "Map" =>
        {
            Some("belongs to distributed Map, which is not supported; use an inline Map")
        }
        "Next" | "End" if ty == "Choice" => {
            Some("a Choice state takes no Next or End: its Choices and Default pick the next state")
        }
        "Next" | "End" if ty == "Succeed" || ty == "Fail" => {
            Some("Succeed and Fail states end the machine and take no Next or End")
        }
        _ => None,
    }
}

fn input_path(f: &mut Fields<'_>, key: &'static str, p: &mut Problems) -> InputPath {
    match f.get(key) {
        None => InputPath::Whole,
        Some(Value::Null) => InputPath::Empty,
        Some(Value::String(s)) if s == "$" => InputPath::Whole,
        Some(Value::String(s)) => match Path::parse(s) {
            Ok(path) => InputPath::Select(path),
            Err(e) => {
                f.err(p, key, e);
                InputPath::Whole
            }
        },
        Some(other) => {
            f.err(
                p,
                key,
                format!("must be a path or null, not {}", kind(other)),
            );
            InputPath::Whole
        }
    }
}

fn result_path(f: &mut Fields<'_>, key: &'static str, p: &mut Problems) -> ResultPath {
    match f.get(key) {
        None => ResultPath::Replace,
        Some(Value::Null) => ResultPath::Discard,
        Some(Value::String(s)) if s == "$" => ResultPath::Replace,
        Some(Value::String(s)) => match ReferencePath::parse(s) {
            Ok(path) => ResultPath::At(path),
            Err(e) => {
                f.err(p, key, e);
                ResultPath::Replace
            }
        },
        Some(other) => {
            f.err(
                p,
                key,
                format!("must be a reference path or null, not {}", kind(other)),
            );
            ResultPath::Replace
        }
    }
}

fn reference_path(
    f: &mut Fields<'_>,
    key: &'static str,
    p: &mut Problems,
) -> Option<ReferencePath> {
    let text = f.string(key, p)?;
    match ReferencePath::parse(text) {
        Ok(path) => Some(path),
        Err(e) => {
            f.err(p, key, e);
            None
        }
    }
}

fn template(f: &mut Fields<'_>, key: &'static str, p: &mut Problems) -> Option<Template> {
    let value = f.get(key)?;
    match Template::compile(value) {
        Ok(t) => Some(t),
        Err(e) => {
            f.err(p, key, e);
            None
        }
    }
}

fn next_or_end(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<Next> {
    let had_next = f.has("Next");
    let next = f.string("Next", p);
    let end = f.boolean("End", p).unwrap_or(false);
    match (next, end) {
        (Some(_), true) => {
            f.err(
                p,
                "Next",
                "cannot be given together with End: true; keep one of them",
            );
            None
        }
        (Some(name), false) => target(f, "Next", name, index, p).map(Next::To),
        (None, true) => Some(Next::End),
        (None, false) => {
            if !had_next {
                f.err(
                    p,
                    "Next",
                    "is required (or End: true to end the machine here)",
                );
            }
            None
        }
    }
}

/// A whole number given directly (`key`) or read from the input (`path_key`).
fn amount(
    f: &mut Fields<'_>,
    key: &'static str,
    path_key: &'static str,
    p: &mut Problems,
) -> Option<Amount> {
    exclusive(f, &[key, path_key], p);
    let path = reference_path(f, path_key, p);
    let fixed = f.uint(key, p);
    path.map(Amount::Path).or(fixed.map(Amount::Fixed))
}

/// Reports fields of which at most one may be given.
fn exclusive(f: &Fields<'_>, keys: &[&str], p: &mut Problems) {
    let given: Vec<&str> = keys.iter().copied().filter(|k| f.has(k)).collect();
    if given.len() > 1 {
        f.err(
            p,
            given[1],
            format!("give only one of {}", given.join(", ")),
        );
    }
}

fn task(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<TaskState> {
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
    let (function, region) = super::function_name(resource);
    Some(TaskState {
        resource: resource.to_owned(),
        function,
        region,
        parameters,
        flow,
        timeout,
        handling,
        next: next?,
    })
}

fn result_flow(f: &mut Fields<'_>, p: &mut Problems) -> ResultFlow {
    ResultFlow {
        result_selector: template(f, "ResultSelector", p),
        result_path: result_path(f, "ResultPath", p),
    }
}

fn choice(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<ChoiceState> {
    let before = p.count();
    let default = f
        .string("Default", p)
        .and_then(|name| target(f, "Default", name, index, p));
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
                rule.remove("Next");
                match Rule::parse(&Value::Object(rule)) {
                    Ok(rule) => {
                        if let Some(next) = next {
                            choices.push((rule, next));
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

fn pass(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<PassState> {
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

fn wait(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<WaitState> {
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
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => wait = Some(WaitFor::Timestamp(t)),
            Err(_) => f.err(
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

fn fail(f: &mut Fields<'_>, p: &mut Problems) -> FailState {
    FailState {
        error: text(f, "Error", "ErrorPath", p),
        cause: text(f, "Cause", "CausePath", p),
    }
}

/// Fail's Error/ErrorPath or Cause/CausePath.
fn text(
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

fn parallel(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<ParallelState> {
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

fn map(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<MapState> {
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

fn processor(f: &mut Fields<'_>, key: &'static str, p: &mut Problems) -> Option<Machine> {
    let obj = f.object(key, p)?;
    let mut pf = Fields::new(obj, f.states.clone(), format!("{}{key}.", f.prefix));
    if key == "ItemProcessor"
        && let Some(config) = pf.object("ProcessorConfig", p)
    {
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

fn handling(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Handling {
    let mut out = Handling::default();
    if let Some(list) = f.array("Retry", p) {
        for (i, item) in list.iter().enumerate() {
            let prefix = format!("{}Retry[{i}].", f.prefix);
            let Value::Object(obj) = item else {
                p.add(&f.states, prefix, "a retrier must be an object");
                continue;
            };
            let mut rf = Fields::new(obj, f.states.clone(), prefix);
            let errors = error_names(&mut rf, i + 1 == list.len(), p);
            rf.string("Comment", p);
            let interval = rf.uint("IntervalSeconds", p).unwrap_or(1);
            if interval == 0 {
                rf.err(p, "IntervalSeconds", "must be at least 1");
            }
            let max_attempts = rf.uint("MaxAttempts", p).unwrap_or(3);
            let backoff_rate = rf.number("BackoffRate", p).unwrap_or(2.0);
            if backoff_rate < 1.0 {
                rf.err(p, "BackoffRate", "must be 1.0 or more");
            }
            let max_delay = rf.uint("MaxDelaySeconds", p);
            if max_delay == Some(0) {
                rf.err(p, "MaxDelaySeconds", "must be at least 1");
            }
            let full_jitter = match rf.string("JitterStrategy", p) {
                None | Some("NONE") => false,
                Some("FULL") => true,
                Some(other) => {
                    rf.err(
                        p,
                        "JitterStrategy",
                        format!("\"{other}\" is not a strategy; use FULL or NONE"),
                    );
                    false
                }
            };
            rf.finish("a retrier", p, |_| None);
            out.retry.push(Retrier {
                errors,
                interval_seconds: interval as f64,
                max_attempts: u32::try_from(max_attempts).unwrap_or(u32::MAX),
                backoff_rate,
                max_delay_seconds: max_delay.map(|d| d as f64),
                full_jitter,
            });
        }
    }
    if let Some(list) = f.array("Catch", p) {
        for (i, item) in list.iter().enumerate() {
            let prefix = format!("{}Catch[{i}].", f.prefix);
            let Value::Object(obj) = item else {
                p.add(&f.states, prefix, "a catcher must be an object");
                continue;
            };
            let mut cf = Fields::new(obj, f.states.clone(), prefix);
            let errors = error_names(&mut cf, i + 1 == list.len(), p);
            cf.string("Comment", p);
            let next = cf
                .required("Next", p)
                .and_then(|name| target(&cf, "Next", name, index, p));
            let result_path = result_path(&mut cf, "ResultPath", p);
            cf.finish("a catcher", p, |_| None);
            if let Some(next) = next {
                out.catch.push(Catcher {
                    errors,
                    next,
                    result_path,
                });
            }
        }
    }
    out
}

/// ErrorEquals: a non-empty list of names; `States.` names must be AWS's, and
/// `States.ALL` must stand alone in the last retrier or catcher.
fn error_names(f: &mut Fields<'_>, last: bool, p: &mut Problems) -> Vec<String> {
    let Some(list) = f.array("ErrorEquals", p) else {
        if !f.has("ErrorEquals") {
            f.err(p, "ErrorEquals", "is required");
        }
        return Vec::new();
    };
    if list.is_empty() {
        f.err(p, "ErrorEquals", "must name at least one error");
    }
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        match item {
            Value::String(name) => {
                if name.starts_with("States.") && !KNOWN_ERRORS.contains(&name.as_str()) {
                    f.err(
                        p,
                        "ErrorEquals",
                        format!(
                            "\"{name}\" is not one of AWS's States. error names; check its spelling"
                        ),
                    );
                }
                out.push(name.clone());
            }
            other => f.err(
                p,
                "ErrorEquals",
                format!("error names are strings, not {}", kind(other)),
            ),
        }
    }
    if out.iter().any(|n| n == names::ALL) {
        if out.len() > 1 {
            f.err(
                p,
                "ErrorEquals",
                "States.ALL must be the only name in its list",
            );
        }
        if !last {
            f.err(
                p,
                "ErrorEquals",
                "States.ALL must be in the last retrier or catcher",
            );
        }
    }
    out
}
