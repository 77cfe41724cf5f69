//! Choice rules: parsing and evaluating comparisons, And/Or/Not, type tests and
//! StringMatches, with no coercion between types.

use serde_json::Value;

use super::error::RuntimeError;

/// One parsed Choice rule (top-level rules carry `Next`; the executor keeps that).
#[derive(Debug, Clone)]
pub struct Rule {
    source: Value,
}

impl Rule {
    /// Parses a rule (without requiring `Next`, which the definition checks). Errors are
    /// `(field, message)` pairs relative to the rule, e.g. `("Variable", "…")`, `("And[1].StringEquals", "…")`.
    pub fn parse(source: &Value) -> Result<Rule, Vec<(String, String)>> {
        let _ = source;
        todo!("choice")
    }

    /// Evaluates against the state input. A missing `Variable` (other than under
    /// `IsPresent`) is a `States.Runtime` error, as on AWS.
    pub fn evaluate(&self, input: &Value, context: &Value) -> Result<bool, RuntimeError> {
        let _ = (input, context, &self.source);
        todo!("choice")
    }
}
