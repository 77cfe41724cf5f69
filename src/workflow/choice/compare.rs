//! The leaf tests of Choice rules: typed comparisons, StringMatches patterns and the
//! Is… type tests. A value of the wrong type never matches; nothing is coerced.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::{Number, Value};

use crate::workflow::paths::ReferencePath;

/// The type a comparison works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

impl Op {
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Equals => ordering == Ordering::Equal,
            Op::LessThan => ordering == Ordering::Less,
            Op::GreaterThan => ordering == Ordering::Greater,
            Op::LessThanEquals => ordering != Ordering::Greater,
            Op::GreaterThanEquals => ordering != Ordering::Less,
        }
    }
}

/// A comparison's right-hand side, already checked against the comparison's type.
#[derive(Debug, Clone)]
pub(super) enum Literal {
    String(String),
    Number(Number),
    Boolean(bool),
    Timestamp(DateTime<FixedOffset>),
}

#[derive(Debug, Clone)]
pub(super) enum Operand {
    Literal(Literal),
    /// The `…Path` forms: the value at another reference path.
    Path(ReferencePath),
}

#[derive(Debug, Clone)]
pub(super) enum Test {
    Compare {
        kind: Kind,
        op: Op,
        operand: Operand,
    },
    Matches(Pattern),
    IsPresent(bool),
    IsNull(bool),
    IsNumeric(bool),
    IsString(bool),
    IsBoolean(bool),
    IsTimestamp(bool),
}

/// Runs a leaf test. `operand` is the value a `…Path` operand points at.
pub(super) fn test(test: &Test, value: &Value, operand: Option<&Value>) -> bool {
    match test {
        Test::Compare {
            kind,
            op,
            operand: declared,
        } => {
            let ordering = match (declared, operand) {
                (Operand::Literal(literal), _) => order_literal(*kind, value, literal),
                (Operand::Path(_), Some(other)) => order_values(*kind, value, other),
                (Operand::Path(_), None) => None,
            };
            ordering.is_some_and(|o| op.accepts(o))
        }
        Test::Matches(pattern) => value.as_str().is_some_and(|s| pattern.matches(s)),
        Test::IsPresent(expected) => *expected,
        Test::IsNull(expected) => value.is_null() == *expected,
        Test::IsNumeric(expected) => value.is_number() == *expected,
        Test::IsString(expected) => value.is_string() == *expected,
        Test::IsBoolean(expected) => value.is_boolean() == *expected,
        Test::IsTimestamp(expected) => value.as_str().and_then(timestamp).is_some() == *expected,
    }
}

/// Orders `value` against a literal of the comparison's type; `None` when they cannot
/// be compared (a different type, or BooleanEquals's only question is equality).
fn order_literal(kind: Kind, value: &Value, literal: &Literal) -> Option<Ordering> {
    match (kind, value, literal) {
        (Kind::String, Value::String(a), Literal::String(b)) => Some(a.as_str().cmp(b)),
        (Kind::Numeric, Value::Number(a), Literal::Number(b)) => order_numbers(a, b),
        (Kind::Boolean, Value::Bool(a), Literal::Boolean(b)) => Some(a.cmp(b)),
        (Kind::Timestamp, Value::String(a), Literal::Timestamp(b)) => {
            timestamp(a).map(|a| a.cmp(b))
        }
        _ => None,
    }
}

fn order_values(kind: Kind, value: &Value, other: &Value) -> Option<Ordering> {
    match (kind, value, other) {
        (Kind::String, Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Kind::Numeric, Value::Number(a), Value::Number(b)) => order_numbers(a, b),
        (Kind::Boolean, Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Kind::Timestamp, Value::String(a), Value::String(b)) => {
            Some(timestamp(a)?.cmp(&timestamp(b)?))
        }
        _ => None,
    }
}

/// Numbers compare by value: `1` equals `1.0`; integers compare exactly.
fn order_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

pub(super) use crate::workflow::timestamp::parse as timestamp;

pub(super) use super::wildcard::{Pattern, pattern};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_follow_the_asl_profile() {
        assert!(timestamp("2016-03-14T01:59:00Z").is_some());
        assert!(timestamp("2016-03-14T01:59:00.123+05:30").is_some());
        assert!(timestamp("2016-03-14 01:59:00Z").is_none());
        assert!(timestamp("2016-03-14t01:59:00Z").is_none());
        assert!(timestamp("2016-03-14T01:59:00z").is_none());
        assert!(
            timestamp("2016-03-14T01:59:00").is_none(),
            "an offset is required"
        );
        assert!(timestamp("2016-02-30T01:59:00Z").is_none(), "no such day");
    }
}
