//! Building the typed machine from definition JSON and checking what AWS checks
//! before a run: targets exist, every state is reachable, Next/End per type,
//! error names, paths. Every problem is collected; nothing here runs a state.

mod handling;
mod jsonata;
mod kinds;
mod values;

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::reader::{Fields, Problems, kind};
use super::states::{Assign, Body, InputPath, Machine, State};
use crate::workflow::jsonata::JsonataTemplate;
use crate::workflow::naming::MAX_NAME_CHARS;
use kinds::{choice, fail, jsonata_choice, map, parallel, pass, task, wait};
use values::input_path;

/// Names of the state types, keyed by `Type`.
pub(super) type Index<'a> = HashMap<&'a str, usize>;

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
    p.jsonata = query_language(&mut f, p) == Some(Language::Jsonata);
    f.string("Version", p);
    let timeout = f.uint("TimeoutSeconds", p);
    let machine = machine(&mut f, p);
    f.finish("a state machine", p, |_| None);
    (machine, timeout)
}

/// The two query languages a state's fields may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    JsonPath,
    Jsonata,
}

/// `QueryLanguage`, if given (and valid).
fn query_language(f: &mut Fields<'_>, p: &mut Problems) -> Option<Language> {
    match f.string("QueryLanguage", p)? {
        "JSONPath" => Some(Language::JsonPath),
        "JSONata" => Some(Language::Jsonata),
        other => {
            f.err(
                p,
                "QueryLanguage",
                format!("\"{other}\" is not a query language; use \"JSONPath\" or \"JSONata\""),
            );
            None
        }
    }
}

/// StartAt, States and Comment of a machine or nested machine; the caller reads
/// its other fields and reports unknown ones.
pub(super) fn machine(f: &mut Fields<'_>, p: &mut Problems) -> Option<Machine> {
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

pub(super) fn target(
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
    let jsonata = {
        let mut f = Fields::new(obj, at.clone(), String::new());
        match query_language(&mut f, p) {
            Some(Language::JsonPath) if p.jsonata => {
                f.err(
                    p,
                    "QueryLanguage",
                    "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata",
                );
                true
            }
            Some(language) => language == Language::Jsonata,
            None => p.jsonata,
        }
    };
    let ty = obj.get("Type").and_then(Value::as_str).unwrap_or_default();
    let split = jsonata.then(|| jsonata::split(obj, ty, &at, p));
    let obj = split.as_ref().map_or(obj, |s| &s.rest);
    let mut f = Fields::new(obj, at, String::new());
    f.string("Comment", p);
    f.string("QueryLanguage", p);
    let ty = f.required("Type", p)?;
    let (input_path, output_path) = if ty == "Fail" {
        (InputPath::Whole, InputPath::Whole)
    } else {
        (
            input_path(&mut f, "InputPath", p),
            input_path(&mut f, "OutputPath", p),
        )
    };
    let assign = match &split {
        Some(split) => split.assign.clone().map(Assign::Jsonata),
        None if ty == "Succeed" || ty == "Fail" => None,
        None => values::assign(&mut f, p).map(Assign::JsonPath),
    };
    let body = match ty {
        "Task" => task(&mut f, index, p).map(|t| Body::Task(Box::new(t))),
        "Choice" => match &split {
            Some(split) => jsonata_choice(&mut f, &split.rules, index, p).map(Body::Choice),
            None => choice(&mut f, index, p).map(Body::Choice),
        },
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
    f.finish(&format!("a {ty} state"), p, |key| {
        refused(ty, key).or_else(|| {
            if jsonata {
                None
            } else {
                jsonata::jsonata_only(key)
            }
        })
    });
    if p.count() > before {
        return None;
    }
    let mut body = body?;
    if let Some(split) = &split {
        attach_catchers(&mut body, &split.catchers);
    }
    let uses_context = serde_json::to_string(value)
        .map(|s| s.contains("$$") || s.contains("$states.context"))
        .unwrap_or(true);
    Some(State {
        name: name.to_owned(),
        input_path,
        output_path,
        uses_context,
        assign,
        jsonata: split.map(|s| Box::new(s.fields)),
        body,
    })
}

/// A JSONata state's catchers get the Assign and Output taken out for them.
fn attach_catchers(body: &mut Body, extras: &[(Option<JsonataTemplate>, Option<JsonataTemplate>)]) {
    let catchers = match body {
        Body::Task(t) => &mut t.handling.catch,
        Body::Parallel(s) => &mut s.handling.catch,
        Body::Map(s) => &mut s.handling.catch,
        _ => return,
    };
    for (catcher, (assign, output)) in catchers.iter_mut().zip(extras) {
        catcher.assign = assign.clone().map(Assign::Jsonata);
        catcher.output = output.clone();
    }
}

/// Why a field the engine recognises is refused in a state of type `ty`.
fn refused(ty: &str, key: &str) -> Option<&'static str> {
    match key {
        "Assign" if ty == "Succeed" || ty == "Fail" => {
            Some("Succeed and Fail states end the machine and assign no variables")
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
