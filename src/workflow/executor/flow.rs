//! The data flow between a state's input and output, in AWS's order: InputPath,
//! (Parameters and the work, done by the caller), ResultSelector, ResultPath into
//! the raw input, OutputPath; plus the 256 KiB payload limit.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::workflow::definition::states::Assign;
use crate::workflow::definition::states::{InputPath, ResultFlow, ResultPath};
use crate::workflow::error::{Failure, names};
use crate::workflow::jsonata::JsonataTemplate;
use crate::workflow::variables::Scope;

/// AWS's limit on a state's input or output, in bytes of JSON text.
pub(crate) const MAX_PAYLOAD_BYTES: usize = 262_144;

/// InputPath or OutputPath: the whole document, `{}` for null, or the selection.
pub(super) fn select<'v>(
    path: &InputPath,
    input: &'v Value,
    context: &'v Scope<'_>,
) -> Result<Cow<'v, Value>, Failure> {
    match path {
        InputPath::Whole => Ok(Cow::Borrowed(input)),
        InputPath::Empty => Ok(Cow::Owned(Value::Object(Map::new()))),
        InputPath::Select(p) => p.select_cow(input, context),
    }
}

/// OutputPath on an owned value, without a copy when it is the whole document.
pub(super) fn output(
    path: &InputPath,
    value: Value,
    context: &Scope<'_>,
) -> Result<Value, Failure> {
    match path {
        InputPath::Whole => Ok(value),
        other => select(other, &value, context).map(Cow::into_owned),
    }
}

/// ResultPath: places `result` into the raw state input.
pub(super) fn place(path: &ResultPath, raw: Value, result: Value) -> Result<Value, Failure> {
    match path {
        ResultPath::Replace => Ok(result),
        ResultPath::Discard => Ok(raw),
        ResultPath::At(p) => {
            let mut target = raw;
            p.set(&mut target, result)?;
            Ok(target)
        }
    }
}

/// `Assign`: what it computes, to be set once the state is done. In JSONPath `$` is
/// `dollar` (the state's result, its input, or a catcher's error output); in JSONata
/// `$states` is what `states` makes.
pub(super) fn assign(
    assign: Option<&Assign>,
    dollar: &Value,
    states: impl FnOnce() -> Value,
    scope: &Scope<'_>,
) -> Result<Option<Map<String, Value>>, Failure> {
    let values = match assign {
        None => return Ok(None),
        Some(Assign::JsonPath(template)) => template.render(dollar, scope)?,
        Some(Assign::Jsonata(template)) => template.value(&states(), scope.variables, "Assign")?,
    };
    match values {
        Value::Object(values) => Ok(Some(values)),
        _ => Ok(None),
    }
}

/// A JSONata state's output: its `Output` evaluated with `$states`, or `default`.
pub(super) fn jsonata_output(
    output: Option<&JsonataTemplate>,
    default: Value,
    states: impl FnOnce() -> Value,
    scope: &Scope<'_>,
) -> Result<Value, Failure> {
    match output {
        None => Ok(default),
        Some(template) => template.value(&states(), scope.variables, "Output"),
    }
}

/// ResultSelector then ResultPath.
pub(super) fn result(
    flow: &ResultFlow,
    raw: Value,
    result: Value,
    context: &Scope<'_>,
) -> Result<Value, Failure> {
    let result = match &flow.result_selector {
        Some(t) => t.render(&result, context)?,
        None => result,
    };
    place(&flow.result_path, raw, result)
}

/// A value as JSON text, as history events carry it.
pub(super) fn text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// [`text`] into a buffer of about `hint` bytes, sparing the regrowth of a large one.
pub(super) fn text_sized(value: &Value, hint: usize) -> String {
    let mut buffer = Vec::with_capacity(hint);
    match serde_json::to_writer(&mut buffer, value) {
        Ok(()) => String::from_utf8(buffer).unwrap_or_else(|_| text(value)),
        Err(_) => text(value),
    }
}

/// Fails with `States.DataLimitExceeded` when a payload is over 256 KiB.
pub(super) fn check_size(text: &str, what: &str, state: &str) -> Result<(), Failure> {
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(Failure::new(
            names::DATA_LIMIT_EXCEEDED,
            format!(
                "The {what} of state '{state}' is {} bytes, over the limit of {MAX_PAYLOAD_BYTES} bytes (256 KiB). \
                 Pass a reference to large data instead of the data itself.",
                text.len()
            ),
        ));
    }
    Ok(())
}
