//! The 18 intrinsic functions (`States.Format`, `States.Array`, …): parsing a call
//! once and evaluating it against the input and the context object.

use serde_json::Value;

use super::error::RuntimeError;

/// A parsed intrinsic call, arguments included (nested calls, paths, literals).
#[derive(Debug, Clone)]
pub struct Call {
    text: String,
}

impl Call {
    /// Whether a `.$` value is an intrinsic call rather than a path.
    pub fn looks_like_call(text: &str) -> bool {
        text.trim_start().starts_with("States.")
    }

    pub fn parse(text: &str) -> Result<Call, String> {
        let _ = text;
        todo!("intrinsics")
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Failures are `States.IntrinsicFailure` (or `States.Runtime` for a path that selects nothing).
    pub fn evaluate(&self, input: &Value, context: &Value) -> Result<Value, RuntimeError> {
        let _ = (input, context);
        todo!("intrinsics")
    }
}
