//! The non-array intrinsics: Format, StringToJson, JsonToString, Base64Encode/Decode, Hash,
//! JsonMerge, MathRandom, MathAdd, StringSplit; and the argument checks they share.
//! Arguments arrive evaluated; errors are plain sentences the caller prefixes with the name.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::Value;

use super::parse::Arg;

/// AWS's limit on the data Base64Encode, Base64Decode and Hash accept.
const MAX_DATA_CHARS: usize = 10_000;

pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_string(),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// An integer argument; `2.0` counts, `2.5` and `"2"` do not.
pub(super) fn integer(value: &Value, what: &str) -> Result<i64, String> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    if let Some(f) = value.as_f64()
        && f.fract() == 0.0
        && f >= i64::MIN as f64
        && f <= i64::MAX as f64
    {
        return Ok(f as i64);
    }
    Err(format!(
        "{what} must be an integer, not {}",
        describe(value)
    ))
}

/// A number rounded to the nearest integer, halves upward (as Java's `Math.round`): AWS
/// rounds non-integer arguments of MathAdd and MathRandom this way.
fn rounded(value: &Value, what: &str) -> Result<i64, String> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    match value.as_f64().map(|f| (f + 0.5).floor()) {
        Some(r) if r >= i64::MIN as f64 && r < i64::MAX as f64 => Ok(r as i64),
        _ => Err(format!("{what} must be a number, not {}", describe(value))),
    }
}

fn string(value: Value, what: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(format!("{what} must be a string, not {}", describe(&other))),
    }
}

fn limited(value: Value, what: &str) -> Result<String, String> {
    let s = string(value, what)?;
    let chars = s.chars().count();
    if chars > MAX_DATA_CHARS {
        return Err(format!(
            "{what} has {chars} characters; at most {MAX_DATA_CHARS} are allowed"
        ));
    }
    Ok(s)
}

/// JSON equality where `1` and `1.0` are the same number.
pub(super) fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_f64() || y.is_f64() {
                x.as_f64() == y.as_f64()
            } else {
                x == y
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn args_n<const N: usize>(args: Vec<Value>) -> [Value; N] {
    let mut it = args.into_iter();
    std::array::from_fn(|_| it.next().unwrap_or(Value::Null))
}

/// A value as States.Format writes it: strings as they are; an object or array as AWS's
/// Java runtime writes a map or list (`{Arg1=1, Arg2=[]}`, `[a, b]`), all the way down.
fn formatted(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                formatted(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                formatted(item, out);
            }
            out.push('}');
        }
    }
}

pub(super) fn format(parsed: &[Arg], mut values: Vec<Value>) -> Result<Value, String> {
    let rest = values.split_off(1.min(values.len()));
    let from_input: Vec<String>;
    let pieces: &[String] = match parsed.first() {
        Some(Arg::Text(text)) => &text.pieces,
        _ => {
            let [template] = args_n::<1>(values);
            from_input = string(template, "the template")?
                .split("{}")
                .map(str::to_string)
                .collect();
            &from_input
        }
    };
    let holes = pieces.len() - 1;
    if holes != rest.len() {
        return Err(format!(
            "the template has {holes} placeholder(s) {{}} but {} value(s) follow it",
            rest.len()
        ));
    }
    let mut out = String::with_capacity(pieces.iter().map(String::len).sum::<usize>() + 16);
    for (i, piece) in pieces.iter().enumerate() {
        out.push_str(piece);
        if let Some(value) = rest.get(i) {
            formatted(value, &mut out);
        }
    }
    Ok(Value::String(out))
}

pub(super) fn string_to_json(args: Vec<Value>) -> Result<Value, String> {
    let [text] = args_n::<1>(args);
    let text = string(text, "the argument")?;
    // AWS reads an empty or blank string as null.
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| format!("the string is not valid JSON ({e})"))
}

pub(super) fn json_to_string(args: Vec<Value>) -> Result<Value, String> {
    let [value] = args_n::<1>(args);
    serde_json::to_string(&value)
        .map(Value::String)
        .map_err(|e| format!("the value cannot be written as JSON ({e})"))
}

pub(super) fn base64_encode(args: Vec<Value>) -> Result<Value, String> {
    let [data] = args_n::<1>(args);
    let data = limited(data, "the data")?;
    Ok(Value::String(STANDARD.encode(data.as_bytes())))
}

pub(super) fn base64_decode(args: Vec<Value>) -> Result<Value, String> {
    let [data] = args_n::<1>(args);
    let data = limited(data, "the data")?;
    let bytes = STANDARD
        .decode(data.trim())
        .or_else(|_| STANDARD_NO_PAD.decode(data.trim()))
        .map_err(|e| format!("the data is not valid Base64 ({e})"))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| "the decoded data is not UTF-8 text".to_string())
}

pub(super) fn hash(args: Vec<Value>) -> Result<Value, String> {
    use sha2::Digest as _;
    let [data, algorithm] = args_n::<2>(args);
    let data = limited(data, "the data")?;
    let algorithm = string(algorithm, "the algorithm")?;
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm.as_str() {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(format!(
                "'{other}' is not a supported algorithm; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
            ));
        }
    };
    Ok(Value::String(
        digest.iter().map(|b| format!("{b:02x}")).collect(),
    ))
}

pub(super) fn json_merge(args: Vec<Value>) -> Result<Value, String> {
    let [first, second, deep] = args_n::<3>(args);
    match deep {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(
                "only shallow merging is supported: the third argument must be false".to_string(),
            );
        }
        other => {
            return Err(format!(
                "the third argument must be the boolean false, not {}",
                describe(&other)
            ));
        }
    }
    let (Value::Object(mut merged), Value::Object(later)) = (first, second) else {
        return Err("the first two arguments must both be JSON objects".to_string());
    };
    for (key, value) in later {
        merged.insert(key, value);
    }
    Ok(Value::Object(merged))
}

pub(super) fn math_random(args: Vec<Value>) -> Result<Value, String> {
    let seeded = args.len() == 3;
    let [start, end, seed] = args_n::<3>(args);
    let start = rounded(&start, "the start")?;
    let end = rounded(&end, "the end")?;
    if start > end {
        return Err(format!(
            "the start ({start}) must not be greater than the end ({end})"
        ));
    }
    let n = if seeded {
        let seed = rounded(&seed, "the seed")?;
        StdRng::seed_from_u64(seed as u64).random_range(start..=end)
    } else {
        rand::rng().random_range(start..=end)
    };
    Ok(Value::from(n))
}

pub(super) fn math_add(args: Vec<Value>) -> Result<Value, String> {
    let [a, b] = args_n::<2>(args);
    let a = rounded(&a, "the first value")?;
    let b = rounded(&b, "the second value")?;
    a.checked_add(b)
        .map(Value::from)
        .ok_or_else(|| format!("{a} + {b} does not fit in a 64-bit integer"))
}

pub(super) fn string_split(args: Vec<Value>) -> Result<Value, String> {
    let [text, delimiters] = args_n::<2>(args);
    let text = string(text, "the first argument")?;
    let delimiters = string(delimiters, "the delimiter")?;
    if delimiters.is_empty() {
        return Err("the delimiter must not be empty".to_string());
    }
    Ok(Value::Array(
        text.split(|c| delimiters.contains(c))
            .filter(|part| !part.is_empty())
            .map(|part| Value::String(part.to_string()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::workflow::intrinsics::tests::eval;
    use serde_json::json;

    #[test]
    fn format_examples_from_the_developer_guide() {
        let input = json!({"name": "Arnav", "template": "Hello, my name is {}."});
        assert_eq!(
            eval("States.Format('Hello, my name is {}.', $.name)", &input).unwrap(),
            json!("Hello, my name is Arnav.")
        );
        assert_eq!(
            eval("States.Format($.template, $.name)", &input).unwrap(),
            json!("Hello, my name is Arnav.")
        );
        assert_eq!(
            eval(
                "States.Format('Your name is {}, we are in the year {}', $.name, 2020)",
                &input
            )
            .unwrap(),
            json!("Your name is Arnav, we are in the year 2020")
        );
    }

    #[test]
    fn format_escapes_and_value_kinds() {
        let input = json!({"obj": {"a": 1}});
        assert_eq!(
            eval(
                "States.Format('\\{\\} {} \\'q\\' \\\\ {} {} {}', 'x', 2.5, true, null)",
                &input
            )
            .unwrap(),
            json!("{} x 'q' \\ 2.5 true null")
        );
        // Objects and arrays as AWS's Java runtime writes maps and lists.
        let nested = json!({"o": {"Arg1": 1, "Arg2": []}, "a": ["x", 2, {"k": "v"}, null]});
        assert_eq!(
            eval("States.Format('{} and {}', $.o, $.a)", &nested).unwrap(),
            json!("{Arg1=1, Arg2=[]} and [x, 2, {k=v}, null]")
        );
        assert_eq!(
            eval("States.Format('{}', $.obj)", &input).unwrap(),
            json!("{a=1}")
        );
        let err = eval("States.Format($.t, 1)", &json!({"t": "no holes"})).unwrap_err();
        assert!(err.cause.contains("0 placeholder"), "{}", err.cause);
    }

    #[test]
    fn json_conversions_from_the_developer_guide() {
        let input = json!({
            "escapedJsonString": "{\"foo\": \"bar\"}",
            "someJson": {"name": "Foo", "year": 2020}
        });
        assert_eq!(
            eval("States.StringToJson($.escapedJsonString)", &input).unwrap(),
            json!({"foo": "bar"})
        );
        assert_eq!(
            eval("States.JsonToString($.someJson)", &input).unwrap(),
            json!("{\"name\":\"Foo\",\"year\":2020}")
        );
        let err = eval("States.StringToJson('{nope')", &input).unwrap_err();
        assert!(err.cause.contains("not valid JSON"), "{}", err.cause);
    }

    #[test]
    fn base64_and_hash_from_the_developer_guide() {
        let input = json!({"input": "Data to encode", "base64": "RGF0YSB0byBlbmNvZGU=", "Data": "input data", "Algorithm": "SHA-1"});
        assert_eq!(
            eval("States.Base64Encode($.input)", &input).unwrap(),
            json!("RGF0YSB0byBlbmNvZGU=")
        );
        assert_eq!(
            eval("States.Base64Decode($.base64)", &input).unwrap(),
            json!("Data to encode")
        );
        assert_eq!(
            eval("States.Hash($.Data, $.Algorithm)", &input).unwrap(),
            json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
        );
        assert_eq!(
            eval("States.Hash('input data', 'MD5')", &input).unwrap(),
            json!("812f45842bc6d66ee14572ce20db8e86")
        );
        assert_eq!(
            eval("States.Hash('abc', 'SHA-256')", &input).unwrap(),
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            eval("States.Hash('abc', 'SHA-384')", &input).unwrap(),
            json!(
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
            )
        );
        assert_eq!(
            eval("States.Hash('abc', 'SHA-512')", &input).unwrap(),
            json!(
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            )
        );
        let err = eval("States.Hash('abc', 'SHA-3')", &input).unwrap_err();
        assert!(err.cause.contains("SHA-3"), "{}", err.cause);
        let long = json!({"s": "x".repeat(10_001)});
        assert!(
            eval("States.Base64Encode($.s)", &long)
                .unwrap_err()
                .cause
                .contains("10000")
        );
        assert!(eval("States.Base64Decode('***')", &input).is_err());
    }

    #[test]
    fn json_merge_from_the_developer_guide_is_shallow() {
        let input = json!({"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}});
        assert_eq!(
            eval("States.JsonMerge($.json1, $.json2, false)", &input).unwrap(),
            json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})
        );
        let err = eval(
            "States.JsonMerge($.json1, $.deep, false)",
            &json!({"json1": {}, "deep": [1]}),
        )
        .unwrap_err();
        assert!(err.cause.contains("objects"), "{}", err.cause);
        let err = eval(
            "States.JsonMerge($.json1, $.json2, $.t)",
            &json!({"json1": {}, "json2": {}, "t": true}),
        )
        .unwrap_err();
        assert!(err.cause.contains("shallow"), "{}", err.cause);
    }

    #[test]
    fn math_from_the_developer_guide() {
        assert_eq!(
            eval(
                "States.MathAdd($.value1, $.step)",
                &json!({"value1": 111, "step": -1})
            )
            .unwrap(),
            json!(110)
        );
        // Non-integers are rounded to the nearest integer, halves upward, as AWS does.
        assert_eq!(
            eval("States.MathAdd(1.6, 1)", &json!({})).unwrap(),
            json!(3)
        );
        assert_eq!(
            eval("States.MathAdd(1.5, 0)", &json!({})).unwrap(),
            json!(2)
        );
        assert_eq!(
            eval("States.MathAdd(-1.5, 0)", &json!({})).unwrap(),
            json!(-1)
        );
        let err = eval("States.MathAdd('1', 1)", &json!({})).unwrap_err();
        assert!(err.cause.contains("a string"), "{}", err.cause);
        for _ in 0..50 {
            let n = eval(
                "States.MathRandom($.start, $.end)",
                &json!({"start": 1, "end": 999}),
            )
            .unwrap();
            let n = n.as_i64().unwrap();
            assert!((1..=999).contains(&n), "{n}");
        }
        let a = eval("States.MathRandom(1, 1000000, 42)", &json!({})).unwrap();
        let b = eval("States.MathRandom(1, 1000000, 42)", &json!({})).unwrap();
        assert_eq!(a, b, "the same seed gives the same number");
        assert_eq!(
            eval("States.MathRandom(5, 5)", &json!({})).unwrap(),
            json!(5)
        );
        assert!(eval("States.MathRandom(6, 5)", &json!({})).is_err());
    }

    #[test]
    fn string_split_from_the_developer_guide() {
        let input = json!({"inputString": "1,2,3,4,5", "splitter": ","});
        assert_eq!(
            eval("States.StringSplit($.inputString, $.splitter)", &input).unwrap(),
            json!(["1", "2", "3", "4", "5"])
        );
        assert_eq!(
            eval("States.StringSplit('This,is+a,test+string', ',+')", &input).unwrap(),
            json!(["This", "is", "a", "test", "string"])
        );
        assert_eq!(
            eval("States.StringSplit(',a,,b,', ',')", &input).unwrap(),
            json!(["a", "b"])
        );
    }
}
