//! Choice rule tests: the specification's and developer guide's examples, every operator,
//! the refusal of coercion, and the validation messages with their fields.

use super::*;
use crate::workflow::error::names;
use crate::workflow::variables::Scope;
use serde_json::json;

fn rule(source: Value) -> Rule {
    Rule::parse(&source).unwrap()
}

fn check(source: Value, input: &Value) -> bool {
    rule(source).evaluate(input, &Scope::of(json!({}))).unwrap()
}

fn errors(source: Value) -> Vec<(String, String)> {
    Rule::parse(&source).unwrap_err()
}

#[test]
fn developer_guide_choice_rules() {
    let not_private =
        json!({"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"});
    assert!(check(
        not_private.clone(),
        &json!({"type": "Public", "value": 0})
    ));
    assert!(!check(not_private, &json!({"type": "Private"})));

    let zero = json!({"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"});
    assert!(check(zero.clone(), &json!({"value": 0})));
    assert!(!check(zero, &json!({"value": 3})));

    let twenties = json!({"And": [
        {"Variable": "$.value", "NumericGreaterThanEquals": 20},
        {"Variable": "$.value", "NumericLessThan": 30}
    ], "Next": "ValueInTwenties"});
    assert!(check(twenties.clone(), &json!({"value": 20})));
    assert!(check(twenties.clone(), &json!({"value": 29.9})));
    assert!(!check(twenties.clone(), &json!({"value": 30})));
    assert!(!check(twenties, &json!({"value": 19})));

    let later = json!({"Variable": "$.timestamp", "TimestampGreaterThan": "2016-03-14T01:59:00Z"});
    assert!(check(
        later.clone(),
        &json!({"timestamp": "2016-03-14T02:00:00Z"})
    ));
    assert!(check(
        later.clone(),
        &json!({"timestamp": "2016-03-14T03:00:00+01:00"})
    ));
    assert!(!check(later, &json!({"timestamp": "2016-03-14T01:59:00Z"})));

    let logs = json!({"Variable": "$.file", "StringMatches": "log-*.txt"});
    assert!(check(logs.clone(), &json!({"file": "log-2024-01-01.txt"})));
    assert!(check(logs.clone(), &json!({"file": "log-.txt"})));
    assert!(!check(logs, &json!({"file": "log-1.txt.gz"})));
}

/// The specification's DispatchEvent example: rules are tried in order and the first
/// match wins, so the missing `$.rating` in the last rule is never read.
#[test]
fn specification_dispatch_event_example() {
    let rules: Vec<Rule> = [
        json!({"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"}),
        json!({"And": [
            {"Variable": "$.value", "IsPresent": true},
            {"Variable": "$.value", "IsNumeric": true},
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30}
        ], "Next": "ValueInTwenties"}),
        json!({"Variable": "$.rating", "NumericGreaterThanPath": "$.auditThreshold", "Next": "StartAudit"}),
    ]
    .into_iter()
    .map(rule)
    .collect();
    let first_match = |input: Value| -> Result<Option<usize>, Failure> {
        for (i, r) in rules.iter().enumerate() {
            if r.evaluate(&input, &Scope::of(json!({})))? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    };
    assert_eq!(
        first_match(json!({"type": "Private", "value": 22})),
        Ok(Some(1))
    );
    assert_eq!(first_match(json!({"type": "Public"})), Ok(Some(0)));
    assert_eq!(
        first_match(json!({"type": "Private", "value": 5, "rating": 10, "auditThreshold": 5})),
        Ok(Some(2))
    );
    assert_eq!(
        first_match(json!({"type": "Private", "value": 5, "rating": 1, "auditThreshold": 5})),
        Ok(None)
    );
    // With no value and no rating, the last rule reads a missing Variable.
    assert!(first_match(json!({"type": "Private"})).is_err());
}

#[test]
fn every_comparison_operator_and_its_path_form() {
    let input = json!({
        "s": "b", "n": 5, "f": 5.0, "t": "2020-01-02T00:00:00Z", "yes": true,
        "other": {"s": "b", "n": 5, "t": "2020-01-02T00:00:00Z", "yes": true, "lo": "a", "big": 9}
    });
    let cases = [
        ("StringEquals", "$.s", json!("b"), "$.other.s", true),
        ("StringLessThan", "$.s", json!("c"), "$.other.lo", false),
        ("StringGreaterThan", "$.s", json!("a"), "$.other.lo", true),
        ("StringLessThanEquals", "$.s", json!("b"), "$.other.s", true),
        (
            "StringGreaterThanEquals",
            "$.s",
            json!("c"),
            "$.other.lo",
            true,
        ),
        ("NumericEquals", "$.f", json!(5), "$.other.n", true),
        ("NumericLessThan", "$.n", json!(6), "$.other.big", true),
        (
            "NumericGreaterThan",
            "$.n",
            json!(4.5),
            "$.other.big",
            false,
        ),
        ("NumericLessThanEquals", "$.n", json!(5), "$.other.n", true),
        (
            "NumericGreaterThanEquals",
            "$.n",
            json!(5.5),
            "$.other.n",
            true,
        ),
        ("BooleanEquals", "$.yes", json!(true), "$.other.yes", true),
        (
            "TimestampEquals",
            "$.t",
            json!("2020-01-02T01:00:00+01:00"),
            "$.other.t",
            true,
        ),
        (
            "TimestampLessThan",
            "$.t",
            json!("2020-01-03T00:00:00Z"),
            "$.other.t",
            false,
        ),
        (
            "TimestampGreaterThan",
            "$.t",
            json!("2020-01-01T00:00:00Z"),
            "$.other.t",
            false,
        ),
        (
            "TimestampLessThanEquals",
            "$.t",
            json!("2020-01-02T00:00:00Z"),
            "$.other.t",
            true,
        ),
        (
            "TimestampGreaterThanEquals",
            "$.t",
            json!("2020-01-03T00:00:00Z"),
            "$.other.t",
            true,
        ),
    ];
    for (op, variable, literal, path, path_result) in cases {
        let literal_result = !matches!(
            op,
            "StringGreaterThanEquals" | "NumericGreaterThanEquals" | "TimestampGreaterThanEquals"
        );
        assert_eq!(
            check(json!({"Variable": variable, op: literal}), &input),
            literal_result,
            "{op} {variable} {literal}"
        );
        let path_op = format!("{op}Path");
        assert_eq!(
            check(json!({"Variable": variable, path_op.clone(): path}), &input),
            path_result,
            "{path_op} {variable} {path}"
        );
    }
}

#[test]
fn no_coercion_between_types() {
    let input = json!({"n": "5", "s": 5, "b": "true", "t": 20200101, "x": null});
    assert!(!check(
        json!({"Variable": "$.n", "NumericEquals": 5}),
        &input
    ));
    assert!(!check(
        json!({"Variable": "$.s", "StringEquals": "5"}),
        &input
    ));
    assert!(!check(
        json!({"Variable": "$.b", "BooleanEquals": true}),
        &input
    ));
    assert!(!check(
        json!({"Variable": "$.t", "TimestampEquals": "2020-01-01T00:00:00Z"}),
        &input
    ));
    assert!(!check(
        json!({"Variable": "$.x", "StringEquals": "null"}),
        &input
    ));
    assert!(!check(
        json!({"Variable": "$.n", "NumericEqualsPath": "$.s"}),
        &input
    ));
    assert!(!check(
        json!({"Variable": "$.s", "StringMatches": "*"}),
        &input
    ));
    // A wrong-typed comparison is false, so Not of it is true.
    assert!(check(
        json!({"Not": {"Variable": "$.n", "NumericLessThan": 100}}),
        &input
    ));
}

#[test]
fn type_tests() {
    let input = json!({"n": 1.5, "s": "x", "b": false, "z": null, "t": "2024-02-29T12:00:00.5-05:00", "lt": "2024-02-29t12:00:00z", "d": "2024-02-29"});
    let is = |op: &str, path: &str, expected: bool| {
        check(json!({"Variable": path, op: expected}), &input)
    };
    assert!(
        is("IsNumeric", "$.n", true)
            && !is("IsNumeric", "$.s", true)
            && is("IsNumeric", "$.s", false)
    );
    assert!(is("IsString", "$.s", true) && !is("IsString", "$.z", true));
    assert!(is("IsBoolean", "$.b", true) && !is("IsBoolean", "$.s", true));
    assert!(is("IsNull", "$.z", true) && is("IsNull", "$.b", false));
    assert!(is("IsTimestamp", "$.t", true));
    assert!(
        !is("IsTimestamp", "$.lt", true),
        "lowercase t and z are not ASL timestamps"
    );
    assert!(
        !is("IsTimestamp", "$.d", true),
        "a date alone is not a timestamp"
    );
    assert!(is("IsPresent", "$.z", true), "null is present");
    assert!(is("IsPresent", "$.missing", false));
    assert!(!is("IsPresent", "$.missing", true));
}

#[test]
fn string_matches_escapes() {
    let m = |pattern: &str, text: &str| {
        check(
            json!({"Variable": "$.v", "StringMatches": pattern}),
            &json!({"v": text}),
        )
    };
    assert!(m("*", ""));
    assert!(m("a*b*c", "aXXbYYc"));
    assert!(!m("a*b*c", "aXXbYY"));
    assert!(m("**x", "yyx"));
    assert!(m("a\\*b", "a*b"));
    assert!(!m("a\\*b", "aXb"));
    assert!(m("a\\\\b", "a\\b"));
    assert!(m("\\\\*", "\\anything"));
    assert!(m("café*", "café au lait"));
    assert!(m("foo*.*", "foobar.zebra"));
    // An open escape is refused when the rule is parsed.
    let e = errors(json!({"Variable": "$.v", "StringMatches": "a\\b"}));
    assert_eq!(e[0].0, "StringMatches");
    assert!(e[0].1.contains("open escape"), "{e:?}");
    assert!(!m("exact", "exactly"));
}

#[test]
fn nested_and_or_not() {
    let source = json!({"Or": [
        {"And": [
            {"Variable": "$.age", "NumericGreaterThanEquals": 2},
            {"Not": {"Variable": "$.age", "NumericGreaterThan": 5}}
        ]},
        {"Variable": "$.override", "BooleanEquals": true}
    ]});
    assert!(check(source.clone(), &json!({"age": 3, "override": false})));
    assert!(!check(
        source.clone(),
        &json!({"age": 6, "override": false})
    ));
    assert!(check(source, &json!({"age": 6, "override": true})));
}

#[test]
fn a_missing_variable_fails_with_states_runtime() {
    let err = rule(json!({"Variable": "$.nope", "StringEquals": "x"}))
        .evaluate(&json!({}), &Scope::of(json!({})))
        .unwrap_err();
    assert_eq!(err.error, names::RUNTIME);
    assert!(err.cause.contains("$.nope"), "{}", err.cause);
    // So does a missing …Path operand.
    let err = rule(json!({"Variable": "$.a", "NumericEqualsPath": "$.gone"}))
        .evaluate(&json!({"a": 1}), &Scope::of(json!({})))
        .unwrap_err();
    assert!(err.cause.contains("$.gone"), "{}", err.cause);
    // And even a type test other than IsPresent.
    assert!(
        rule(json!({"Variable": "$.nope", "IsNull": true}))
            .evaluate(&json!({}), &Scope::of(json!({})))
            .is_err()
    );
    // Or stops at the first true rule, so a later missing variable is never read.
    let or = rule(
        json!({"Or": [{"Variable": "$.a", "IsPresent": true}, {"Variable": "$.nope", "StringEquals": "x"}]}),
    );
    assert_eq!(
        or.evaluate(&json!({"a": 1}), &Scope::of(json!({}))),
        Ok(true)
    );
}

#[test]
fn context_paths_as_variable_and_operand() {
    let context = Scope::of(json!({"State": {"RetryCount": 2}, "Execution": {"Name": "n1"}}));
    let r = rule(json!({"Variable": "$$.State.RetryCount", "NumericGreaterThanEquals": 2}));
    assert!(r.evaluate(&json!({}), &context).unwrap());
    let r = rule(json!({"Variable": "$.name", "StringEqualsPath": "$$.Execution.Name"}));
    assert!(r.evaluate(&json!({"name": "n1"}), &context).unwrap());
}

#[test]
fn validation_errors_name_the_field() {
    let e = errors(json!({"And": [
        {"Variable": "$.a", "StringEquals": "x"},
        {"Variable": "$.b[*]", "NumericEquals": 1}
    ]}));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "And[1].Variable");

    let e = errors(json!({"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1}));
    assert!(e[0].1.contains("exactly one operator"), "{e:?}");

    let e = errors(json!({"Variable": "$.a"}));
    assert!(e[0].1.contains("no operator"), "{e:?}");

    let e = errors(json!({"Variable": "$.a", "NumericEquals": "5"}));
    assert_eq!(
        e,
        vec![("NumericEquals".to_string(), "must be a number".to_string())]
    );

    let e = errors(json!({"Not": {"Variable": "$.a", "TimestampEquals": "2020-01-01"}}));
    assert_eq!(e[0].0, "Not.TimestampEquals");

    let e = errors(json!({"Or": []}));
    assert_eq!(e[0].0, "Or");
    assert!(e[0].1.contains("non-empty"));

    let e = errors(json!({"Or": [{"Variable": "$.a", "IsNull": true, "Next": "X"}]}));
    assert_eq!(e[0].0, "Or[0].Next");

    let e = errors(json!({"StringEquals": "x"}));
    assert_eq!(e[0].0, "Variable");

    let e = errors(json!({"Variable": "$.a", "StringEqualz": "x"}));
    assert!(e.iter().any(|(f, _)| f == "StringEqualz"), "{e:?}");

    let e = errors(json!({"Variable": "$.a", "BooleanLessThan": true}));
    assert!(e.iter().any(|(f, _)| f == "BooleanLessThan"), "{e:?}");

    let e = errors(json!({"Variable": "$.a", "StringEqualsPath": "$.b[0:1]"}));
    assert_eq!(e[0].0, "StringEqualsPath");

    let e = errors(json!({"Variable": "$.a", "IsPresent": "yes"}));
    assert_eq!(e[0].0, "IsPresent");

    assert!(!errors(json!("not a rule")).is_empty());
    // A top-level rule may carry Next and a Comment.
    assert!(
        Rule::parse(&json!({"Variable": "$.a", "IsNull": true, "Next": "X", "Comment": "c"}))
            .is_ok()
    );
}
