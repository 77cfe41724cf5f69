//! The 18 intrinsic functions (`States.Format`, `States.Array`, …): parsing a call
//! once and evaluating it against the input and the context object.
//! Pure functions over JSON; the only outside world touched is randomness (UUID, MathRandom).

mod arrays;
mod parse;
mod values;

use crate::workflow::variables::Scope;
use serde_json::Value;

use super::error::Failure;
use parse::{Arg, Expr, Func};

/// A parsed intrinsic call, arguments included (nested calls, paths, literals).
#[derive(Debug, Clone)]
pub struct Call {
    text: String,
    expr: Expr,
}

impl Call {
    /// Whether a `.$` value is an intrinsic call rather than a path.
    pub fn looks_like_call(text: &str) -> bool {
        text.trim_start().starts_with("States.")
    }

    pub fn parse(text: &str) -> Result<Call, String> {
        let expr = parse::parse(text)
            .map_err(|m| format!("'{text}' is not a valid intrinsic call: {m}"))?;
        Ok(Call {
            text: text.to_string(),
            expr,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Failures are `States.IntrinsicFailure` (or `States.Runtime` for a path that selects nothing).
    pub fn evaluate(&self, input: &Value, scope: &Scope<'_>) -> Result<Value, Failure> {
        evaluate(&self.expr, input, scope)
    }
}

fn evaluate(expr: &Expr, input: &Value, scope: &Scope<'_>) -> Result<Value, Failure> {
    let mut args = Vec::with_capacity(expr.args.len());
    for (i, arg) in expr.args.iter().enumerate() {
        args.push(match arg {
            Arg::Literal(value) => value.clone(),
            // States.Format reads a literal template from its parsed pieces instead.
            Arg::Text(_) if i == 0 && expr.func == Func::Format => Value::Null,
            Arg::Text(text) => Value::String(text.value.clone()),
            Arg::Path(path) => path.select(input, scope)?,
            Arg::Call(call) => evaluate(call, input, scope)?,
        });
    }
    let name = expr.func.name();
    let result = match expr.func {
        Func::Format => values::format(&expr.args, args),
        Func::StringToJson => values::string_to_json(args),
        Func::JsonToString => values::json_to_string(args),
        Func::Array => Ok(Value::Array(args)),
        Func::ArrayPartition => arrays::partition(args),
        Func::ArrayContains => arrays::contains(args),
        Func::ArrayRange => arrays::range(args),
        Func::ArrayGetItem => arrays::get_item(args),
        Func::ArrayLength => arrays::length(args),
        Func::ArrayUnique => arrays::unique(args),
        Func::Base64Encode => values::base64_encode(args),
        Func::Base64Decode => values::base64_decode(args),
        Func::Hash => values::hash(args),
        Func::JsonMerge => values::json_merge(args),
        Func::MathRandom => values::math_random(args),
        Func::MathAdd => values::math_add(args),
        Func::StringSplit => values::string_split(args),
        Func::Uuid => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
    };
    result.map_err(|why| Failure::intrinsic(format!("{name}: {why}")))
}

/// The functions AWS gives JSONata (`$partition`, `$range`, `$hash`, `$parse`, `$uuid`),
/// computed by the same code as their intrinsic twins (`States.ArrayPartition`, …).
pub(crate) fn jsonata_function(name: &str, args: Vec<Value>) -> Option<Result<Value, String>> {
    Some(match name {
        "partition" => arrays::partition(args),
        "range" => arrays::range(args),
        "hash" => values::hash(args),
        "parse" => values::string_to_json(args),
        "uuid" => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::error::names;
    use crate::workflow::variables::Scope;
    use serde_json::json;

    pub(super) fn eval(text: &str, input: &Value) -> Result<Value, Failure> {
        Call::parse(text)
            .unwrap()
            .evaluate(input, &Scope::of(json!({})))
    }

    #[test]
    fn nested_calls_from_the_developer_guide() {
        let input = json!({"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe.v1/2.0.1"}});
        // The guide's version has three placeholders for two values, which AWS's own rule
        // (as many values as placeholders) refuses; with two it yields the version's start.
        let text = "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
        assert_eq!(eval(text, &input).unwrap(), json!("2.0"));
        assert!(Call::parse(&text.replacen("{}.{}", "{}.{}.{}", 1)).is_err());
    }

    #[test]
    fn context_paths_are_arguments_too() {
        let call = Call::parse("States.Format('run {}', $$.Execution.Name)").unwrap();
        let out = call
            .evaluate(
                &json!({}),
                &Scope::of(json!({"Execution": {"Name": "first"}})),
            )
            .unwrap();
        assert_eq!(out, json!("run first"));
    }

    #[test]
    fn a_path_argument_that_selects_nothing_is_states_runtime() {
        let err = eval("States.Array($.missing)", &json!({})).unwrap_err();
        assert_eq!(err.error, names::RUNTIME);
        assert!(err.cause.contains("$.missing"), "{}", err.cause);
    }

    #[test]
    fn failures_are_intrinsic_failures_naming_the_function() {
        let err = eval("States.ArrayLength($.n)", &json!({"n": 3})).unwrap_err();
        assert_eq!(err.error, names::INTRINSIC_FAILURE);
        assert!(err.cause.starts_with("States.ArrayLength"), "{}", err.cause);
    }

    #[test]
    fn uuid_is_a_fresh_version_4_uuid() {
        let a = eval("States.UUID()", &json!({})).unwrap();
        let b = eval("States.UUID()", &json!({})).unwrap();
        let parsed = uuid::Uuid::parse_str(a.as_str().unwrap()).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_ne!(a, b);
    }
}
