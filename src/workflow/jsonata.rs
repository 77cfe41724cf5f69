//! JSONata, as AWS Step Functions runs it: `{% … %}` expressions in a state's fields,
//! evaluated by `jsonata-core` with `$states` (the state's input, result, error output
//! and context object) and the workflow variables bound, AWS's own functions added
//! (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`), and every failure
//! reported as `States.QueryEvaluationError`, which Retry and Catch may handle.

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError, EvaluatorOptions};
use jsonata_core::value::JValue;
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Map, Number, Value};

use super::error::Failure;
use super::intrinsics::jsonata_function;
use super::variables::Variables;

/// AWS's error for an expression that could not be evaluated.
pub use super::error::names::QUERY_EVALUATION_ERROR;

/// The functions AWS adds to JSONata's own.
const AWS_FUNCTIONS: &[&str] = &["partition", "range", "hash", "uuid", "parse"];

/// One JSONata expression, parsed once.
#[derive(Debug, Clone)]
pub struct Expression {
    text: String,
    ast: AstNode,
}

impl Expression {
    /// Parses the text between `{%` and `%}`.
    pub fn parse(text: &str) -> Result<Expression, String> {
        let ast = jsonata_core::parser::parse(text)
            .map_err(|e| format!("'{}' is not a JSONata expression: {e}", text.trim()))?;
        Ok(Expression {
            text: text.trim().to_owned(),
            ast,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value, or `None` when the expression gives nothing (JSONata's undefined).
    pub fn evaluate(
        &self,
        states: &Value,
        variables: &Variables,
        field: &str,
    ) -> Result<Option<Value>, Failure> {
        // Only what the expression names is converted and bound: the conversion costs
        // more than most expressions do.
        let mut context = Context::new();
        if self.text.contains("$states") {
            context.bind("states".to_owned(), to_jvalue(states));
        }
        for (name, value) in variables.iter() {
            if self.text.contains(name.as_str()) {
                context.bind(name.clone(), to_jvalue(value));
            }
        }
        let mut evaluator = Evaluator::with_options(context, limits());
        add_aws_functions(&mut evaluator, &self.text).map_err(|e| self.failed(field, &e))?;
        let value = evaluator
            .evaluate(&self.ast, &JValue::Undefined)
            .map_err(|e| self.failed(field, &e))?;
        if value.is_undefined() {
            return Ok(None);
        }
        from_jvalue(&value)
            .map(Some)
            .map_err(|why| self.failure(field, &why))
    }

    fn failed(&self, field: &str, e: &EvaluatorError) -> Failure {
        self.failure(field, e.message())
    }

    fn failure(&self, field: &str, why: &str) -> Failure {
        Failure::new(
            QUERY_EVALUATION_ERROR,
            format!(
                "The JSONata expression '{}' specified for the field '{field}' could not be evaluated: {why}",
                self.text
            ),
        )
    }
}

/// How far one expression may go: a runaway recursion or an endless sequence fails
/// with States.QueryEvaluationError instead of holding the execution.
fn limits() -> EvaluatorOptions {
    EvaluatorOptions {
        timeout_ms: Some(MAX_EVALUATION_MS),
        max_stack_depth: Some(MAX_STACK_DEPTH),
        max_sequence_length: Some(MAX_SEQUENCE),
        ..EvaluatorOptions::default()
    }
}

/// The longest one expression may run, in milliseconds.
pub const MAX_EVALUATION_MS: u64 = 5_000;
/// How deep one expression's evaluation may nest.
const MAX_STACK_DEPTH: usize = 2_000;
/// The longest sequence one expression may build (paths, `$map`, ranges, …).
const MAX_SEQUENCE: usize = 1_000_000;

/// AWS's functions that `text` names, registered on one evaluator.
fn add_aws_functions(evaluator: &mut Evaluator, text: &str) -> Result<(), EvaluatorError> {
    for name in AWS_FUNCTIONS.iter().filter(|name| text.contains(*name)) {
        evaluator.register_fn(*name, move |args: &[JValue]| {
            let args = args
                .iter()
                .map(from_jvalue)
                .collect::<Result<Vec<_>, _>>()
                .map_err(EvaluatorError::TypeError)?;
            match jsonata_function(name, args) {
                Some(Ok(value)) => Ok(to_jvalue(&value)),
                Some(Err(why)) => Err(EvaluatorError::EvaluationError(format!("${name}: {why}"))),
                None => Err(EvaluatorError::ReferenceError(format!(
                    "${name} is not a function"
                ))),
            }
        })?;
    }
    if !text.contains("$random") {
        return Ok(());
    }
    // AWS's $random takes an optional seed, for the same number every time.
    evaluator.register_fn_override("random", |args: &[JValue]| match args.first() {
        None => Ok(JValue::from(rand::rng().random::<f64>())),
        Some(seed) => match seed.as_f64() {
            Some(seed) if seed.fract() == 0.0 => Ok(JValue::from(
                StdRng::seed_from_u64(seed as u64).random::<f64>(),
            )),
            _ => Err(EvaluatorError::TypeError(
                "$random: the seed must be a whole number".to_owned(),
            )),
        },
    })
}

/// A JSON value whose strings may be `{% … %}` expressions, compiled once (Arguments,
/// Output, Assign, Items, ItemSelector, and the single-value fields).
#[derive(Debug, Clone)]
pub struct JsonataTemplate {
    source: Value,
    node: Node,
}

#[derive(Debug, Clone)]
enum Node {
    Constant(Value),
    Expression(Expression),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

/// The expression a string holds, if it is written `{% … %}`.
pub fn expression_text(text: &str) -> Option<&str> {
    text.strip_prefix("{%")?.strip_suffix("%}")
}

impl JsonataTemplate {
    /// Compiles a field's value, checking every `{% … %}` string parses.
    pub fn compile(source: &Value) -> Result<JsonataTemplate, String> {
        Ok(JsonataTemplate {
            source: source.clone(),
            node: compile(source)?,
        })
    }

    pub fn source(&self) -> &Value {
        &self.source
    }

    /// The value, or `None` when the whole field is one expression that gives nothing.
    /// An object's field or an array's item that gives nothing is left out.
    pub fn render(
        &self,
        states: &Value,
        variables: &Variables,
        field: &str,
    ) -> Result<Option<Value>, Failure> {
        render(&self.node, states, variables, field)
    }

    /// Like [`JsonataTemplate::render`], but a field that gives nothing is an error.
    pub fn value(
        &self,
        states: &Value,
        variables: &Variables,
        field: &str,
    ) -> Result<Value, Failure> {
        self.render(states, variables, field)?.ok_or_else(|| {
            Failure::new(
                QUERY_EVALUATION_ERROR,
                format!("The JSONata expression specified for the field '{field}' returned nothing (undefined)."),
            )
        })
    }
}

fn compile(value: &Value) -> Result<Node, String> {
    Ok(match value {
        Value::String(text) => match expression_text(text) {
            Some(inner) => Node::Expression(Expression::parse(inner)?),
            None => Node::Constant(value.clone()),
        },
        Value::Object(map) => {
            let fields = map
                .iter()
                .map(|(k, v)| compile(v).map(|n| (k.clone(), n)))
                .collect::<Result<Vec<_>, _>>()?;
            if fields.iter().all(|(_, n)| matches!(n, Node::Constant(_))) {
                Node::Constant(value.clone())
            } else {
                Node::Object(fields)
            }
        }
        Value::Array(items) => {
            let nodes = items.iter().map(compile).collect::<Result<Vec<_>, _>>()?;
            if nodes.iter().all(|n| matches!(n, Node::Constant(_))) {
                Node::Constant(value.clone())
            } else {
                Node::Array(nodes)
            }
        }
        other => Node::Constant(other.clone()),
    })
}

fn render(
    node: &Node,
    states: &Value,
    variables: &Variables,
    field: &str,
) -> Result<Option<Value>, Failure> {
    Ok(match node {
        Node::Constant(value) => Some(value.clone()),
        Node::Expression(e) => e.evaluate(states, variables, field)?,
        Node::Object(fields) => {
            let mut map = Map::new();
            for (key, child) in fields {
                if let Some(value) = render(child, states, variables, field)? {
                    map.insert(key.clone(), value);
                }
            }
            Some(Value::Object(map))
        }
        Node::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if let Some(value) = render(item, states, variables, field)? {
                    out.push(value);
                }
            }
            Some(Value::Array(out))
        }
    })
}

/// `$states` for one evaluation: the state's input, its context object, and, where
/// they exist, its result and error output.
pub fn states(
    input: &Value,
    context: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
) -> Value {
    let mut states = Map::new();
    states.insert("input".to_owned(), input.clone());
    if let Some(result) = result {
        states.insert("result".to_owned(), result.clone());
    }
    if let Some(error_output) = error_output {
        states.insert("errorOutput".to_owned(), error_output.clone());
    }
    states.insert("context".to_owned(), context.clone());
    Value::Object(states)
}

fn to_jvalue(value: &Value) -> JValue {
    match value {
        Value::Null => JValue::Null,
        Value::Bool(b) => JValue::from(*b),
        Value::Number(n) => JValue::from(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JValue::from(s.as_str()),
        Value::Array(items) => JValue::from(items.iter().map(to_jvalue).collect::<Vec<_>>()),
        Value::Object(map) => JValue::from(
            map.iter()
                .map(|(k, v)| (k.clone(), to_jvalue(v)))
                .collect::<indexmap::IndexMap<_, _>>(),
        ),
    }
}

fn from_jvalue(value: &JValue) -> Result<Value, String> {
    Ok(match value {
        JValue::Null | JValue::Undefined => Value::Null,
        JValue::Bool(b) => Value::Bool(*b),
        JValue::Number(n) => number(*n)?,
        JValue::String(s) => Value::String(s.to_string()),
        JValue::Array(items) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_undefined() && !v.is_function())
                .map(from_jvalue)
                .collect::<Result<_, _>>()?,
        ),
        JValue::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map.iter() {
                if !v.is_undefined() && !v.is_function() {
                    out.insert(k.clone(), from_jvalue(v)?);
                }
            }
            Value::Object(out)
        }
        other if other.is_function() => {
            return Err("the value is a function, which JSON cannot hold".to_owned());
        }
        _ => return Err("the value is not JSON".to_owned()),
    })
}

/// A JSONata number as JSON: whole numbers as integers, as AWS writes them.
fn number(n: f64) -> Result<Value, String> {
    if !n.is_finite() {
        return Err(format!("the number {n} cannot be written as JSON"));
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return Ok(Value::from(n as i64));
    }
    Number::from_f64(n)
        .map(Value::Number)
        .ok_or_else(|| format!("the number {n} cannot be written as JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str, input: Value) -> Result<Option<Value>, Failure> {
        let states = states(&input, &json!({"Execution": {"Name": "e1"}}), None, None);
        Expression::parse(text)
            .unwrap()
            .evaluate(&states, &Variables::default(), "Output")
    }

    fn value(text: &str) -> Value {
        eval(text, json!({})).unwrap().unwrap()
    }

    #[test]
    fn states_and_variables_are_bound() {
        let mut vars = Variables::default();
        let mut values = Map::new();
        values.insert("fee".into(), json!(650));
        vars.assign("A", values).unwrap();
        let states = states(
            &json!({"days": 3}),
            &json!({"State": {"Name": "S"}}),
            Some(&json!("r")),
            None,
        );
        let e = Expression::parse(
            "$states.input.days * $fee & ' ' & $states.result & $states.context.State.Name",
        )
        .unwrap();
        assert_eq!(
            e.evaluate(&states, &vars, "Output").unwrap(),
            Some(json!("1950 rS"))
        );
    }

    #[test]
    fn jsonata_s_own_functions_run() {
        assert_eq!(value("$uppercase('awa')"), json!("AWA"));
        assert_eq!(value("$sum([1, 2, 3.5])"), json!(6.5));
        assert_eq!(value("$count([1, 2])"), json!(2));
        assert_eq!(value("$join(['a', 'b'], '-')"), json!("a-b"));
        assert_eq!(value("$substring('Diallo', 0, 3)"), json!("Dia"));
        assert_eq!(value("$split('a,b', ',')"), json!(["a", "b"]));
        assert_eq!(
            value("$map([1, 2], function($v) { $v * 10 })"),
            json!([10, 20])
        );
        assert_eq!(
            value("$filter([1, 2, 3], function($v) { $v > 1 })"),
            json!([2, 3])
        );
        assert_eq!(
            value("$reduce([1, 2, 3], function($a, $b) { $a + $b })"),
            json!(6)
        );
        assert_eq!(value("$replace('a-b', /-/, '+')"), json!("a+b"));
        assert_eq!(value("$contains('peanut allergy', /allerg/)"), json!(true));
        assert_eq!(
            value("$formatNumber(1234.5, '#,##0.00')"),
            json!("1,234.50")
        );
        assert_eq!(value("$fromMillis(0)"), json!("1970-01-01T00:00:00.000Z"));
        assert_eq!(value("$toMillis('1970-01-01T00:00:01.000Z')"), json!(1000));
        assert_eq!(value("[3, 1, 2]^($)"), json!([1, 2, 3]));
        assert_eq!(value("{'a': 1, 'b': 2} ~> $keys()"), json!(["a", "b"]));
        assert_eq!(value("$exists($states.input.nothing)"), json!(false));
    }

    #[test]
    fn aws_functions_run() {
        assert_eq!(
            value("$partition([1, 2, 3, 4, 5], 2)"),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_eq!(value("$range(0, 10, 5)"), json!([0, 5, 10]));
        assert_eq!(
            value("$hash('input data', 'MD5')"),
            json!("812f45842bc6d66ee14572ce20db8e86")
        );
        assert_eq!(value("$parse('{\"a\": [true]}')"), json!({"a": [true]}));
        let uuid = value("$uuid()");
        assert_eq!(uuid.as_str().map(str::len), Some(36));
        let random = value("$random()").as_f64().unwrap_or(-1.0);
        assert!((0.0..1.0).contains(&random), "{random}");
        assert_eq!(value("$random(7)"), value("$random(7)"));
    }

    #[test]
    fn nothing_is_none_and_failures_are_query_evaluation_errors() {
        assert_eq!(eval("$states.input.missing", json!({})).unwrap(), None);
        let failure = eval("1 + 'a'", json!({})).unwrap_err();
        assert_eq!(failure.error, QUERY_EVALUATION_ERROR);
        assert!(failure.cause.contains("T2002"), "{}", failure.cause);
        let failure = eval("$range(0, 1, 0)", json!({})).unwrap_err();
        assert!(failure.cause.contains("$range"), "{}", failure.cause);
        assert!(Expression::parse("$states.input.").is_err());
    }

    #[test]
    fn templates_evaluate_their_expressions_and_drop_what_gives_nothing() {
        let t = JsonataTemplate::compile(&json!({
            "name": "{% $states.input.name %}",
            "gone": "{% $states.input.missing %}",
            "list": ["{% 1 + 1 %}", "{% $states.input.missing %}", "plain"],
            "fixed": {"a": "{not an expression}"}
        }))
        .unwrap();
        let states = states(&json!({"name": "Awa"}), &json!({}), None, None);
        assert_eq!(
            t.value(&states, &Variables::default(), "Output").unwrap(),
            json!({"name": "Awa", "list": [2, "plain"], "fixed": {"a": "{not an expression}"}})
        );
        let nothing = JsonataTemplate::compile(&json!("{% $states.input.missing %}")).unwrap();
        let failure = nothing
            .value(&states, &Variables::default(), "Output")
            .unwrap_err();
        assert_eq!(failure.error, QUERY_EVALUATION_ERROR);
    }

    #[test]
    fn a_runaway_expression_stops_with_a_query_evaluation_error() {
        let failure =
            eval("($f := function($n) { $f($n + 1) + 1 }; $f(0))", json!({})).unwrap_err();
        assert_eq!(failure.error, QUERY_EVALUATION_ERROR);
        let failure = eval("$count([1..10000000])", json!({})).unwrap_err();
        assert_eq!(failure.error, QUERY_EVALUATION_ERROR);
    }

    #[test]
    fn numbers_come_back_as_json_writes_them() {
        assert_eq!(value("2 * 3"), json!(6));
        assert!(value("2 * 3").is_i64());
        assert_eq!(value("1 / 4"), json!(0.25));
        let failure = eval("1 / 0", json!({})).unwrap_err();
        assert!(
            failure.cause.contains("cannot be written as JSON") || failure.cause.contains("D"),
            "{}",
            failure.cause
        );
    }
}
