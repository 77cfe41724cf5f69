//! Choice rules: parsing and evaluating comparisons, And/Or/Not, type tests and
//! StringMatches, with no coercion between types. Routing (`Next`, `Default`) is not
//! decided here: a rule only answers true or false.

mod compare;
mod parse;
mod wildcard;

use crate::workflow::variables::Scope;
use serde_json::Value;

use super::error::Failure;
use super::paths::ReferencePath;
use compare::{Operand, Test};

/// One parsed Choice rule (top-level rules carry `Next`; the executor keeps that).
#[derive(Debug, Clone)]
pub struct Rule {
    source: Value,
    node: Node,
}

#[derive(Debug, Clone)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Test { variable: ReferencePath, test: Test },
}

impl Rule {
    /// Parses a rule (without requiring `Next`, which the definition checks). Errors are
    /// `(field, message)` pairs relative to the rule, e.g. `("Variable", "…")`, `("And[1].StringEquals", "…")`.
    pub fn parse(source: &Value) -> Result<Rule, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let node = parse::rule(source, "", true, &mut errors);
        match node {
            Some(node) if errors.is_empty() => Ok(Rule {
                source: source.clone(),
                node,
            }),
            _ => Err(errors),
        }
    }

    /// The rule as written.
    pub fn source(&self) -> &Value {
        &self.source
    }

    /// Evaluates against the state input. A missing `Variable` (other than under
    /// `IsPresent`) is a `States.Runtime` error, as on AWS.
    pub fn evaluate(&self, input: &Value, scope: &Scope<'_>) -> Result<bool, Failure> {
        evaluate(&self.node, input, scope)
    }
}

fn evaluate(node: &Node, input: &Value, scope: &Scope<'_>) -> Result<bool, Failure> {
    match node {
        Node::And(rules) => {
            for rule in rules {
                if !evaluate(rule, input, scope)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Node::Or(rules) => {
            for rule in rules {
                if evaluate(rule, input, scope)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Node::Not(rule) => evaluate(rule, input, scope).map(|b| !b),
        Node::Test { variable, test } => {
            let value = variable.lookup(input, scope);
            if let Test::IsPresent(expected) = test {
                return Ok(value.is_some() == *expected);
            }
            let Some(value) = value else {
                return Err(missing(variable));
            };
            let operand = match test {
                Test::Compare {
                    operand: Operand::Path(path),
                    ..
                } => Some(path.lookup(input, scope).ok_or_else(|| missing(path))?),
                _ => None,
            };
            Ok(compare::test(test, value, operand))
        }
    }
}

/// AWS fails the execution when a rule reads a path that is not there.
fn missing(path: &ReferencePath) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}': The choice state's condition path references an invalid value.",
        path.as_str()
    ))
}

#[cfg(test)]
mod tests;
