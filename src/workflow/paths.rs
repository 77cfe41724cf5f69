//! ASL paths as pure functions over JSON: JSONPath queries (`$…` on the input,
//! `$$…` on the context object), reference paths, payload templates and ResultPath.

use serde_json::Value;

use super::error::RuntimeError;

/// A parsed JSONPath (`$.a.b`, `$.items[0]`, `$..x`, `$.l[?(@.n > 1)]`) or a context
/// path (`$$.Execution.Id`). Parsed once, at definition time.
#[derive(Debug, Clone)]
pub struct Path {
    text: String,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let _ = text;
        todo!("paths")
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Selects from `input`, or from `context` for `$$` paths. A definite path yields its
    /// one value; an indefinite path yields an array of matches. Selecting nothing is a
    /// `States.Runtime` error naming the path.
    pub fn select(&self, input: &Value, context: &Value) -> Result<Value, RuntimeError> {
        let _ = (input, context);
        todo!("paths")
    }
}

/// A reference path: a path that names one node (`$`, `$.a.b`, `$['x y'][2]`), as ResultPath,
/// Choice `Variable`, `…Path` comparisons, ErrorPath/CausePath and SecondsPath take.
#[derive(Debug, Clone)]
pub struct ReferencePath {
    text: String,
}

impl ReferencePath {
    pub fn parse(text: &str) -> Result<ReferencePath, String> {
        let _ = text;
        todo!("paths")
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The node it names, if present.
    pub fn get<'v>(&self, input: &'v Value) -> Option<&'v Value> {
        let _ = input;
        todo!("paths")
    }

    /// ResultPath: puts `value` at this path inside `target`, creating missing objects.
    /// `$` replaces the whole target. Fails with `States.ResultPathMatchFailure` when the
    /// path runs through a non-object.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), RuntimeError> {
        let _ = (target, value);
        todo!("paths")
    }
}

/// A compiled payload template (Parameters, ResultSelector, ItemSelector): `"k.$"` keys
/// take a path, a context path or an intrinsic call; other values are copied.
#[derive(Debug, Clone)]
pub struct Template {
    source: Value,
}

impl Template {
    /// Compiles a template, checking every `.$` value parses. Errors name the key.
    pub fn compile(source: &Value) -> Result<Template, String> {
        let _ = source;
        todo!("paths")
    }

    pub fn source(&self) -> &Value {
        &self.source
    }

    /// Renders the template against the effective input and the context object.
    pub fn render(&self, input: &Value, context: &Value) -> Result<Value, RuntimeError> {
        let _ = (input, context);
        todo!("paths")
    }
}
