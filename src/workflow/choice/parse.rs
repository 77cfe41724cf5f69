//! Turning a Choice rule's JSON into a typed rule, collecting every problem with the
//! field it is in (`And[1].Variable`). Nothing is evaluated here.

use serde_json::{Map, Value};

use super::Node;
use super::compare::{self, Kind, Literal, Op, Operand, Test};
use crate::workflow::paths::ReferencePath;

/// What an operator field asks for.
#[derive(Debug, Clone, Copy)]
enum Spec {
    Compare { kind: Kind, op: Op, path: bool },
    Matches,
    Is(fn(bool) -> Test),
    And,
    Or,
    Not,
}

fn spec(field: &str) -> Option<Spec> {
    let (base, path) = match field.strip_suffix("Path") {
        Some(base) => (base, true),
        None => (field, false),
    };
    let compare = |kind, rest: &str| {
        let op = match rest {
            "Equals" => Op::Equals,
            "LessThan" => Op::LessThan,
            "GreaterThan" => Op::GreaterThan,
            "LessThanEquals" => Op::LessThanEquals,
            "GreaterThanEquals" => Op::GreaterThanEquals,
            _ => return None,
        };
        if kind == Kind::Boolean && op != Op::Equals {
            return None;
        }
        Some(Spec::Compare { kind, op, path })
    };
    Some(match field {
        "StringMatches" => Spec::Matches,
        "IsPresent" => Spec::Is(Test::IsPresent),
        "IsNull" => Spec::Is(Test::IsNull),
        "IsNumeric" => Spec::Is(Test::IsNumeric),
        "IsString" => Spec::Is(Test::IsString),
        "IsBoolean" => Spec::Is(Test::IsBoolean),
        "IsTimestamp" => Spec::Is(Test::IsTimestamp),
        "And" => Spec::And,
        "Or" => Spec::Or,
        "Not" => Spec::Not,
        _ => {
            return if let Some(rest) = base.strip_prefix("String") {
                compare(Kind::String, rest)
            } else if let Some(rest) = base.strip_prefix("Numeric") {
                compare(Kind::Numeric, rest)
            } else if let Some(rest) = base.strip_prefix("Boolean") {
                compare(Kind::Boolean, rest)
            } else if let Some(rest) = base.strip_prefix("Timestamp") {
                compare(Kind::Timestamp, rest)
            } else {
                None
            };
        }
    })
}

/// Field names a rule may carry besides its operator.
const OTHER_FIELDS: &[&str] = &["Variable", "Next", "Comment"];

fn at(prefix: &str, field: &str) -> String {
    format!("{prefix}{field}")
}

/// Parses one rule; `prefix` is where it sits (`""`, `"And[1]."`), `top` whether `Next`
/// may appear. Problems go to `errors`; `None` means the rule could not be built.
pub(super) fn rule(
    source: &Value,
    prefix: &str,
    top: bool,
    errors: &mut Vec<(String, String)>,
) -> Option<Node> {
    let Value::Object(map) = source else {
        errors.push((
            prefix.trim_end_matches('.').to_string(),
            "a Choice rule must be a JSON object".to_string(),
        ));
        return None;
    };
    let mut operators = Vec::new();
    for key in map.keys() {
        match spec(key) {
            Some(spec) => operators.push((key.as_str(), spec)),
            None if OTHER_FIELDS.contains(&key.as_str()) => {}
            None => errors.push((
                at(prefix, key),
                "is not a Choice rule field; a rule has Variable and one operator such as \
                 StringEquals, NumericLessThan, IsPresent or And"
                    .to_string(),
            )),
        }
    }
    if !top && map.contains_key("Next") {
        errors.push((
            at(prefix, "Next"),
            "only top-level Choice rules have Next; rules inside And, Or and Not do not"
                .to_string(),
        ));
    }
    let (field, spec) = match operators.as_slice() {
        [one] => *one,
        [] => {
            errors.push((
                prefix.trim_end_matches('.').to_string(),
                "the rule has no operator; add one such as StringEquals, IsPresent or And"
                    .to_string(),
            ));
            return None;
        }
        many => {
            let names: Vec<&str> = many.iter().map(|(name, _)| *name).collect();
            errors.push((
                at(prefix, names[1]),
                format!(
                    "a rule has exactly one operator, but this one has {}; combine rules with And or Or",
                    names.join(" and ")
                ),
            ));
            return None;
        }
    };
    let value = &map[field];
    match spec {
        Spec::And | Spec::Or => {
            no_variable(map, prefix, field, errors);
            let Some(items) = value.as_array().filter(|items| !items.is_empty()) else {
                errors.push((
                    at(prefix, field),
                    format!("{field} takes a non-empty array of rules"),
                ));
                return None;
            };
            let nodes: Vec<Option<Node>> = items
                .iter()
                .enumerate()
                .map(|(i, item)| rule(item, &format!("{prefix}{field}[{i}]."), false, errors))
                .collect();
            let nodes: Option<Vec<Node>> = nodes.into_iter().collect();
            let nodes = nodes?;
            Some(if matches!(spec, Spec::And) {
                Node::And(nodes)
            } else {
                Node::Or(nodes)
            })
        }
        Spec::Not => {
            no_variable(map, prefix, field, errors);
            let inner = rule(value, &format!("{prefix}Not."), false, errors)?;
            Some(Node::Not(Box::new(inner)))
        }
        _ => {
            let variable = variable(map, prefix, errors);
            let test = leaf(spec, value, &at(prefix, field), errors);
            Some(Node::Test {
                variable: variable?,
                test: test?,
            })
        }
    }
}

fn no_variable(
    map: &Map<String, Value>,
    prefix: &str,
    field: &str,
    errors: &mut Vec<(String, String)>,
) {
    if map.contains_key("Variable") {
        errors.push((
            at(prefix, "Variable"),
            format!("{field} rules take no Variable; put it in the rules inside"),
        ));
    }
}

fn variable(
    map: &Map<String, Value>,
    prefix: &str,
    errors: &mut Vec<(String, String)>,
) -> Option<ReferencePath> {
    let field = at(prefix, "Variable");
    match map.get("Variable") {
        None => {
            errors.push((
                field,
                "is missing; name the value to test, e.g. $.status".to_string(),
            ));
            None
        }
        Some(Value::String(text)) => match ReferencePath::parse(text) {
            Ok(path) => Some(path),
            Err(message) => {
                errors.push((field, message));
                None
            }
        },
        Some(_) => {
            errors.push((
                field,
                "must be a string holding a reference path, e.g. $.status".to_string(),
            ));
            None
        }
    }
}

fn leaf(
    spec: Spec,
    value: &Value,
    field: &str,
    errors: &mut Vec<(String, String)>,
) -> Option<Test> {
    let mut fail = |message: String| {
        errors.push((field.to_string(), message));
        None
    };
    match spec {
        Spec::Compare {
            kind,
            op,
            path: true,
        } => match value.as_str().map(ReferencePath::parse) {
            Some(Ok(path)) => Some(Test::Compare {
                kind,
                op,
                operand: Operand::Path(path),
            }),
            Some(Err(message)) => fail(message),
            None => fail("must be a string holding a reference path, e.g. $.limit".to_string()),
        },
        Spec::Compare {
            kind,
            op,
            path: false,
        } => {
            let literal = match (kind, value) {
                (Kind::String, Value::String(s)) => Literal::String(s.clone()),
                (Kind::Numeric, Value::Number(n)) => Literal::Number(n.clone()),
                (Kind::Boolean, Value::Bool(b)) => Literal::Boolean(*b),
                (Kind::Timestamp, Value::String(s)) => match compare::timestamp(s) {
                    Some(t) => Literal::Timestamp(t),
                    None => {
                        return fail(format!(
                            "'{s}' is not a timestamp; write RFC 3339 with an uppercase T, e.g. 2016-03-14T01:59:00Z"
                        ));
                    }
                },
                (Kind::String, _) => return fail("must be a string".to_string()),
                (Kind::Numeric, _) => return fail("must be a number".to_string()),
                (Kind::Boolean, _) => return fail("must be true or false".to_string()),
                (Kind::Timestamp, _) => return fail("must be a timestamp string".to_string()),
            };
            Some(Test::Compare {
                kind,
                op,
                operand: Operand::Literal(literal),
            })
        }
        Spec::Matches => match value {
            Value::String(s) => match compare::pattern(s) {
                Ok(pattern) => Some(Test::Matches(pattern)),
                Err(message) => fail(message),
            },
            _ => fail("must be a string pattern, where * matches any text".to_string()),
        },
        Spec::Is(make) => match value {
            Value::Bool(b) => Some(make(*b)),
            _ => fail("must be true or false".to_string()),
        },
        Spec::And | Spec::Or | Spec::Not => None,
    }
}
