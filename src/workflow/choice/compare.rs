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
    Matches(Vec<PatternPiece>),
    IsPresent(bool),
    IsNull(bool),
    IsNumeric(bool),
    IsString(bool),
    IsBoolean(bool),
    IsTimestamp(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PatternPiece {
    Char(char),
    /// `*`: any run of characters, including none.
    Any,
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
        Test::Matches(pattern) => value
            .as_str()
            .is_some_and(|s| matches(pattern, &s.chars().collect::<Vec<_>>())),
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

/// An ASL timestamp: RFC 3339 with an uppercase `T` and, for UTC, an uppercase `Z`.
pub(super) fn timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.as_bytes().get(10) != Some(&b'T') || text.ends_with('z') {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}

/// Splits a StringMatches pattern: `*` matches anything, `\*` is a star and `\\` a
/// backslash. Any other backslash is an open escape, which the spec forbids.
pub(super) fn pattern(text: &str) -> Result<Vec<PatternPiece>, String> {
    let mut pieces = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ ('*' | '\\')) => pieces.push(PatternPiece::Char(next)),
                _ => {
                    return Err(format!(
                        "'{text}' has an open escape: a backslash must be followed by * (a \
                         literal star) or by another backslash (a literal backslash)"
                    ));
                }
            },
            '*' => {
                if pieces.last() != Some(&PatternPiece::Any) {
                    pieces.push(PatternPiece::Any);
                }
            }
            other => pieces.push(PatternPiece::Char(other)),
        }
    }
    Ok(pieces)
}

/// Wildcard matching with a single backtrack point: linear in practice.
fn matches(pattern: &[PatternPiece], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(PatternPiece::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(PatternPiece::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|piece| *piece == PatternPiece::Any)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The obvious exponential definition, to check the fast matcher against.
    fn naive(pattern: &[PatternPiece], text: &[char]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((PatternPiece::Any, rest)) => (0..=text.len()).any(|i| naive(rest, &text[i..])),
            Some((PatternPiece::Char(c), rest)) => {
                text.first() == Some(c) && naive(rest, &text[1..])
            }
        }
    }

    proptest! {
        #[test]
        fn fast_matcher_agrees_with_the_definition(pattern in "[ab*]{0,8}", text in "[ab]{0,10}") {
            let pieces = super::pattern(&pattern).unwrap();
            let chars: Vec<char> = text.chars().collect();
            prop_assert_eq!(matches(&pieces, &chars), naive(&pieces, &chars));
        }
    }

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
