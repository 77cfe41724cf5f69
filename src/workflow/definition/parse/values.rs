//! The value fields many states share: InputPath/OutputPath, ResultPath,
//! reference paths, payload templates, Next/End and value-or-path numbers.

use super::super::reader::{Fields, Problems, kind};
use super::super::states::{Amount, InputPath, Next, ResultFlow, ResultPath};
use super::{Index, target};
use crate::workflow::paths::{Path, ReferencePath, Template};
use serde_json::Value;

pub(super) fn input_path(f: &mut Fields<'_>, key: &'static str, p: &mut Problems) -> InputPath {
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

pub(super) fn result_path(f: &mut Fields<'_>, key: &'static str, p: &mut Problems) -> ResultPath {
    match f.get(key) {
        None => ResultPath::Replace,
        Some(Value::Null) => ResultPath::Discard,
        Some(Value::String(s)) if s == "$" => ResultPath::Replace,
        Some(Value::String(s)) => match ReferencePath::parse(s) {
            Ok(path) if path.is_context() => {
                f.err(
                    p,
                    key,
                    format!("{s:?} names the context object, which is read-only; a result can only go into the state's input (a path starting with \"$.\")"),
                );
                ResultPath::Replace
            }
            Ok(path) if path.is_variable() => {
                f.err(
                    p,
                    key,
                    format!("{s:?} names a variable; variables are set with Assign, and a result can only go into the state's input (a path starting with \"$.\")"),
                );
                ResultPath::Replace
            }
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

pub(super) fn reference_path(
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

pub(super) fn template(
    f: &mut Fields<'_>,
    key: &'static str,
    p: &mut Problems,
) -> Option<Template> {
    let value = f.get(key)?;
    match Template::compile(value) {
        Ok(t) => Some(t),
        Err(e) => {
            f.err(p, key, e);
            None
        }
    }
}

/// `Assign`: an object whose keys (less a `.$` suffix) are variable names AWS accepts,
/// compiled like Parameters.
pub(super) fn assign(f: &mut Fields<'_>, p: &mut Problems) -> Option<Template> {
    let value = f.get("Assign")?;
    let Value::Object(map) = value else {
        f.err(
            p,
            "Assign",
            "must be an object of variable names and values",
        );
        return None;
    };
    let mut ok = true;
    for key in map.keys() {
        let name = key.strip_suffix(".$").unwrap_or(key);
        if let Some(problem) = crate::workflow::variables::name_problem(name) {
            f.err(p, &format!("Assign.{key}"), problem);
            ok = false;
        }
    }
    match Template::compile(value) {
        Ok(t) if ok => Some(t),
        Ok(_) => None,
        Err(e) => {
            f.err(p, "Assign", e);
            None
        }
    }
}

pub(super) fn next_or_end(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Option<Next> {
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
pub(super) fn amount(
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
pub(super) fn exclusive(f: &Fields<'_>, keys: &[&str], p: &mut Problems) {
    let given: Vec<&str> = keys.iter().copied().filter(|k| f.has(k)).collect();
    if given.len() > 1 {
        f.err(
            p,
            given[1],
            format!("give only one of {}", given.join(", ")),
        );
    }
}

pub(super) fn result_flow(f: &mut Fields<'_>, p: &mut Problems) -> ResultFlow {
    ResultFlow {
        result_selector: template(f, "ResultSelector", p),
        result_path: result_path(f, "ResultPath", p),
    }
}
