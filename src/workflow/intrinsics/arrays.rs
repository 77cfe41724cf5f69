//! The array intrinsics: ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
//! ArrayLength, ArrayUnique. Arguments arrive evaluated; errors are plain sentences.

use serde_json::Value;

use super::values::{describe, integer, json_equal};

/// AWS refuses to build arrays longer than this with ArrayRange.
const MAX_RANGE: usize = 1000;

fn array(value: Value, what: &str) -> Result<Vec<Value>, String> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(format!("{what} must be an array, not {}", describe(&other))),
    }
}

fn two(args: Vec<Value>) -> (Value, Value) {
    let mut it = args.into_iter();
    (
        it.next().unwrap_or(Value::Null),
        it.next().unwrap_or(Value::Null),
    )
}

pub(super) fn partition(args: Vec<Value>) -> Result<Value, String> {
    let (items, size) = two(args);
    let items = array(items, "the first argument")?;
    let size = integer(&size, "the chunk size")?;
    let size = usize::try_from(size)
        .ok()
        .filter(|&s| s > 0)
        .ok_or_else(|| format!("the chunk size must be a positive integer, not {size}"))?;
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|chunk| Value::Array(chunk.to_vec()))
            .collect(),
    ))
}

pub(super) fn contains(args: Vec<Value>) -> Result<Value, String> {
    let (items, wanted) = two(args);
    let items = array(items, "the first argument")?;
    Ok(Value::Bool(
        items.iter().any(|item| json_equal(item, &wanted)),
    ))
}

pub(super) fn range(args: Vec<Value>) -> Result<Value, String> {
    let mut it = args.iter();
    let mut next = |what: &str| integer(it.next().unwrap_or(&Value::Null), what);
    let start = next("the start")?;
    let end = next("the end")?;
    let step = next("the step")?;
    if step == 0 {
        return Err("the step must not be 0".to_string());
    }
    let span = i128::from(end) - i128::from(start);
    let count = if span == 0 || (span > 0) == (step > 0) {
        span / i128::from(step) + 1
    } else {
        0
    };
    if count > MAX_RANGE as i128 {
        return Err(format!(
            "the range would hold {count} items; at most {MAX_RANGE} are allowed"
        ));
    }
    let mut out = Vec::new();
    let mut value = i128::from(start);
    for _ in 0..count {
        out.push(Value::from(value as i64));
        value += i128::from(step);
    }
    Ok(Value::Array(out))
}

pub(super) fn get_item(args: Vec<Value>) -> Result<Value, String> {
    let (items, index) = two(args);
    let items = array(items, "the first argument")?;
    let index = integer(&index, "the index")?;
    let len = items.len();
    usize::try_from(index)
        .ok()
        .and_then(|at| items.into_iter().nth(at))
        .ok_or_else(|| format!("index {index} is outside the array, which has {len} item(s)"))
}

pub(super) fn length(args: Vec<Value>) -> Result<Value, String> {
    let (items, _) = two(args);
    let items = array(items, "the argument")?;
    Ok(Value::from(items.len()))
}

pub(super) fn unique(args: Vec<Value>) -> Result<Value, String> {
    let (items, _) = two(args);
    let items = array(items, "the argument")?;
    let mut kept: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !kept.iter().any(|k| json_equal(k, &item)) {
            kept.push(item);
        }
    }
    Ok(Value::Array(kept))
}

#[cfg(test)]
mod tests {
    use crate::workflow::error::names;
    use crate::workflow::intrinsics::tests::eval;
    use serde_json::json;

    fn guide() -> serde_json::Value {
        json!({"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5, "index": 5})
    }

    #[test]
    fn developer_guide_examples() {
        let input = guide();
        assert_eq!(
            eval("States.ArrayPartition($.inputArray,4)", &input).unwrap(),
            json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]])
        );
        assert_eq!(
            eval("States.ArrayContains($.inputArray, $.lookingFor)", &input).unwrap(),
            json!(true)
        );
        assert_eq!(
            eval("States.ArrayRange(1, 9, 2)", &input).unwrap(),
            json!([1, 3, 5, 7, 9])
        );
        assert_eq!(
            eval("States.ArrayGetItem($.inputArray, $.index)", &input).unwrap(),
            json!(6)
        );
        assert_eq!(
            eval("States.ArrayLength($.inputArray)", &input).unwrap(),
            json!(9)
        );
        assert_eq!(
            eval(
                "States.ArrayUnique($.a)",
                &json!({"a": [1, 2, 3, 3, 3, 3, 3, 3, 4]})
            )
            .unwrap(),
            json!([1, 2, 3, 4])
        );
        assert_eq!(
            eval(
                "States.Array('Foo', 2020, $.someJson, null)",
                &json!({"someJson": {"random": "abcdefg"}})
            )
            .unwrap(),
            json!(["Foo", 2020, {"random": "abcdefg"}, null])
        );
    }

    #[test]
    fn edges_behave_sensibly() {
        let input = guide();
        assert_eq!(
            eval("States.ArrayContains($.inputArray, 10)", &input).unwrap(),
            json!(false)
        );
        assert_eq!(
            eval("States.ArrayContains(States.Array(1.0), 1)", &input).unwrap(),
            json!(true)
        );
        assert_eq!(
            eval("States.ArrayRange(5, 1, -2)", &input).unwrap(),
            json!([5, 3, 1])
        );
        assert_eq!(
            eval("States.ArrayRange(1, 5, -1)", &input).unwrap(),
            json!([])
        );
        assert_eq!(
            eval("States.ArrayRange(0, 999, 1)", &input)
                .unwrap()
                .as_array()
                .map(Vec::len),
            Some(1000)
        );
        assert_eq!(
            eval(
                "States.ArrayUnique(States.Array('x', 1, 'x', States.Array(1), States.Array(1)))",
                &input
            )
            .unwrap(),
            json!(["x", 1, [1]])
        );
        assert_eq!(
            eval("States.ArrayPartition(States.Array(), 3)", &input).unwrap(),
            json!([])
        );
    }

    #[test]
    fn bad_arguments_are_intrinsic_failures() {
        let input = guide();
        for (text, says) in [
            ("States.ArrayRange(0, 1000, 1)", "1001 items"),
            ("States.ArrayRange(1, 9, 0)", "must not be 0"),
            ("States.ArrayRange(1, 9.5, 1)", "integer"),
            ("States.ArrayPartition($.inputArray, 0)", "positive"),
            ("States.ArrayGetItem($.inputArray, 9)", "outside"),
            ("States.ArrayGetItem($.inputArray, -1)", "outside"),
            (
                "States.ArrayLength($.lookingFor)",
                "must be an array, not the number 5",
            ),
            ("States.ArrayContains('abc', 'a')", "must be an array"),
        ] {
            let err = eval(text, &input).unwrap_err();
            assert_eq!(err.error, names::INTRINSIC_FAILURE, "{text}");
            assert!(err.cause.contains(says), "{text}: {}", err.cause);
        }
    }
}
