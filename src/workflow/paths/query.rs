//! JSONPath queries (`InputPath`, `OutputPath`, `.$` values, intrinsic arguments): definite
//! paths walk the document directly; others go through RFC 9535 (serde_json_path).
//! Jayway-style text (`.name-with-dash`, `[?(@.x > 1)]`) is translated once, at parse time.

use std::borrow::Cow;

use serde_json::Value;
use serde_json_path::JsonPath;

use super::segments::{self, NotDefinite, Root, Segment};
use crate::workflow::error::Failure;
use crate::workflow::variables::Scope;

/// A parsed JSONPath (`$.a.b`, `$.items[0]`, `$..x`, `$.l[?(@.n > 1)]`) or a context
/// path (`$$.Execution.Id`). Parsed once, at definition time.
#[derive(Debug, Clone)]
pub struct Path {
    text: String,
    root: Root,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Names and indices only: selects at most one node, returned as is.
    Definite(Vec<Segment>),
    /// Wildcards, filters, slices, unions, `..`: selects a list, returned as an array.
    Indefinite(JsonPath),
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let (root, rest) = segments::split_root(text)?;
        let kind = match segments::parse_definite(rest) {
            Ok(segments) => Kind::Definite(segments),
            Err(NotDefinite::Invalid(message)) => {
                return Err(format!("'{text}' is not a valid path: {message}"));
            }
            Err(NotDefinite::Indefinite) => {
                let rfc =
                    to_rfc9535(rest).map_err(|m| format!("'{text}' is not a valid path: {m}"))?;
                let query = JsonPath::parse(&rfc).map_err(|e| {
                    format!(
                        "'{text}' is not a valid path ({}); filters follow RFC 9535, \
                         e.g. [?(@.price < 10 && @.kind == 'book')]; Jayway's =~, in and \
                         script expressions such as [(@.length-1)] are not supported",
                        e.message()
                    )
                })?;
                Kind::Indefinite(query)
            }
        };
        Ok(Path {
            text: text.to_string(),
            root,
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the path starts with `$$` and so reads the context object.
    pub fn is_context(&self) -> bool {
        self.root == Root::Context
    }

    /// What the path reads, for messages: the input, the context object or the variables.
    pub fn source(&self) -> &'static str {
        match self.root {
            Root::Input => "input",
            Root::Context => "context object",
            Root::Variable(_) => "variables",
        }
    }

    /// The root as AWS prints it: `$`, `$$` or `$name`.
    fn root_text(&self) -> String {
        segments::normalized(&self.root, &[])
    }

    /// Whether the path selects at most one node (names and indices only).
    pub fn is_definite(&self) -> bool {
        matches!(self.kind, Kind::Definite(_))
    }

    /// Selects from `input`, or from `context` for `$$` paths. A definite path yields its
    /// one value; an indefinite path yields an array of matches. Selecting nothing is a
    /// `States.Runtime` error naming the path.
    pub fn select(&self, input: &Value, scope: &Scope<'_>) -> Result<Value, Failure> {
        self.select_cow(input, scope).map(Cow::into_owned)
    }

    /// Like [`Path::select`], but borrows when the path is definite, so `$` costs nothing.
    pub fn select_cow<'v>(
        &self,
        input: &'v Value,
        scope: &'v Scope<'_>,
    ) -> Result<Cow<'v, Value>, Failure> {
        let Some(doc) = self.root.document(input, scope) else {
            return Err(Failure::path_not_found(&self.text, &self.root_text()));
        };
        match &self.kind {
            Kind::Definite(steps) => match segments::walk(doc, steps) {
                Some(node) => Ok(Cow::Borrowed(node)),
                // AWS fails with States.Runtime here (the spec names
                // States.ParameterPathFailure); we follow AWS.
                None => Err(Failure::path_not_found(
                    &self.text,
                    &segments::normalized(&self.root, steps),
                )),
            },
            // Whatever matches nothing is left out, and the result may be an empty list:
            // AWS gives `[]` for `$.items[*]`, `$.items[1:]` or `$.a.items[:1]` over a
            // missing key, where a definite path fails.
            Kind::Indefinite(query) => Ok(Cow::Owned(Value::Array(
                query.query(doc).all().into_iter().cloned().collect(),
            ))),
        }
    }
}

/// Rewrites the part after `$` into RFC 9535 syntax: dot names become bracketed names
/// (Jayway allows `-` and other characters RFC 9535 does not), brackets pass through.
fn to_rfc9535(rest: &str) -> Result<String, String> {
    let chars: Vec<char> = rest.chars().collect();
    let mut out = String::from("$");
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                i += 1;
                if chars.get(i) == Some(&'.') {
                    out.push_str("..");
                    i += 1;
                    if chars.get(i) == Some(&'[') {
                        continue;
                    }
                } else if chars.get(i) == Some(&'[') {
                    return Err("'.' must be followed by a name, not '['".to_string());
                }
                let (dot, next) = segments::read_dot_name(&chars, i)?;
                i = next;
                if dot.name.is_empty() {
                    return Err("a '.' is not followed by a name".to_string());
                }
                if dot.wildcard {
                    out.push_str("[*]");
                } else {
                    let escaped = dot.name.replace('\\', "\\\\").replace('\'', "\\'");
                    out.push_str(&format!("['{escaped}']"));
                }
            }
            '[' => {
                let end = closing_bracket(&chars, i)?;
                out.extend(&chars[i..=end]);
                i = end + 1;
            }
            other => {
                return Err(format!(
                    "unexpected '{other}'; steps are .name, ['name'], [index], [*], [a:b] or [?(...)]"
                ));
            }
        }
    }
    Ok(out)
}

/// Finds the `]` matching the `[` at `open`, skipping quoted text and nested brackets.
fn closing_bracket(chars: &[char], open: usize) -> Result<usize, String> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut i = open;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == '\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' | '(' => depth += 1,
                ']' | ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && c == ']' {
                        return Ok(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    Err("a '[' is never closed".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::error::names;
    use crate::workflow::variables::{Scope, Variables};
    use proptest::prelude::*;
    use serde_json::json;

    fn document() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            "[a-z]{0,3}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-c]", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn step() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-c]".prop_map(|n| format!(".{n}")),
            "[a-c]".prop_map(|n| format!("['{n}']")),
            (-3i64..4).prop_map(|i| format!("[{i}]")),
        ]
    }

    proptest! {
        // The fast lane for definite paths agrees with the RFC 9535 engine.
        #[test]
        fn definite_paths_agree_with_rfc9535(doc in document(), steps in proptest::collection::vec(step(), 0..4)) {
            let text = format!("${}", steps.concat());
            let path = Path::parse(&text).unwrap();
            prop_assert!(path.is_definite());
            let rfc = JsonPath::parse(&text).unwrap();
            let expected = rfc.query(&doc).at_most_one().unwrap().cloned();
            let got = path.select(&doc, &Scope::of(json!({}))).ok();
            prop_assert_eq!(got, expected);
        }
    }

    fn select(path: &str, input: &Value) -> Result<Value, Failure> {
        Path::parse(path)
            .unwrap()
            .select(input, &Scope::of(json!({})))
    }

    fn guide_input() -> Value {
        // The developer guide's InputPath/OutputPath example document.
        json!({
            "comment": "Example for InputPath.",
            "dataset1": {"val1": 1, "val2": 2, "val3": 3},
            "dataset2": {"val1": "a", "val2": "b", "val3": "c"}
        })
    }

    #[test]
    fn definite_paths_yield_the_single_value() {
        let input = guide_input();
        assert_eq!(select("$", &input).unwrap(), input);
        assert_eq!(
            select("$.dataset2", &input).unwrap(),
            json!({"val1": "a", "val2": "b", "val3": "c"})
        );
        assert_eq!(select("$.dataset1.val2", &input).unwrap(), json!(2));
        assert_eq!(select("$['dataset2']['val3']", &input).unwrap(), json!("c"));
        let list = json!({"a": [1, 2, 3]});
        assert_eq!(select("$.a[0]", &list).unwrap(), json!(1));
        assert_eq!(select("$.a[-1]", &list).unwrap(), json!(3));
    }

    #[test]
    fn indefinite_paths_yield_arrays_of_matches() {
        let input = json!({
            "a": [{"n": 1, "x": "one"}, {"n": 5, "x": "five"}, {"n": 7, "x": "seven"}],
            "b": {"n": 9}
        });
        assert_eq!(select("$.a[*].n", &input).unwrap(), json!([1, 5, 7]));
        assert_eq!(
            select("$.a[?(@.n > 1)].x", &input).unwrap(),
            json!(["five", "seven"])
        );
        assert_eq!(
            select("$.a[?(@.x == 'one')].n", &input).unwrap(),
            json!([1])
        );
        assert_eq!(select("$.a[0:2].n", &input).unwrap(), json!([1, 5]));
        assert_eq!(
            select("$.a[0,2].x", &input).unwrap(),
            json!(["one", "seven"])
        );
        assert_eq!(select("$..n", &input).unwrap(), json!([1, 5, 7, 9]));
        assert_eq!(select("$.b.*", &input).unwrap(), json!([9]));
        // A filter that matches nothing is an empty list, not an error; so is a name
        // missing after a wildcard, or before it (as AWS records it).
        assert_eq!(select("$.a[?(@.n > 100)]", &input).unwrap(), json!([]));
        assert_eq!(select("$.a[*].missing", &input).unwrap(), json!([]));
        assert_eq!(select("$..missing", &input).unwrap(), json!([]));
        assert_eq!(select("$.missing[*].n", &input).unwrap(), json!([]));
        assert_eq!(select("$.missing.items[:1]", &input).unwrap(), json!([]));
        // Jayway lets dot names carry dashes; RFC 9535 does not, so we translate.
        let dashed = json!({"my-list": [{"the-id": 4, "a.b": 5}]});
        assert_eq!(select("$.my-list[*].the-id", &dashed).unwrap(), json!([4]));
        assert_eq!(select("$.my-list[*].a\\.b", &dashed).unwrap(), json!([5]));
    }

    /// The specification's payload template example, whose paths include a slice.
    #[test]
    fn specification_slice_and_union_examples() {
        let input = json!({"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]});
        assert_eq!(select("$.vals[-3:]", &input).unwrap(), json!([30, 40, 50]));
        assert_eq!(select("$.vals[0]", &input).unwrap(), json!(0));
        assert_eq!(
            select("$.a[0,1]", &json!({"a": [1, 2, 3, 4]})).unwrap(),
            json!([1, 2])
        );
    }

    #[test]
    fn a_definite_path_that_selects_nothing_fails_with_states_runtime() {
        // The spec names States.ParameterPathFailure, but AWS fails executions with
        // States.Runtime here; we follow AWS.
        let err = select("$.dataset3.val1", &guide_input()).unwrap_err();
        assert_eq!(err.error, names::RUNTIME);
        assert!(err.cause.contains("'$.dataset3.val1'"), "{}", err.cause);
        assert!(err.cause.contains("$['dataset3']['val1']"), "{}", err.cause);
        assert!(select("$.comment[0]", &guide_input()).is_err());
    }

    #[test]
    fn context_paths_read_the_context_object() {
        let context = Scope::of(
            json!({"Execution": {"Id": "arn:x", "Input": {"k": 1}}, "State": {"Name": "S"}}),
        );
        let input = json!({"Execution": "not this"});
        let p = Path::parse("$$.Execution.Id").unwrap();
        assert!(p.is_context());
        assert_eq!(p.select(&input, &context).unwrap(), json!("arn:x"));
        assert_eq!(
            Path::parse("$$").unwrap().select(&input, &context).unwrap(),
            context.context
        );
        assert_eq!(
            Path::parse("$$..Name")
                .unwrap()
                .select(&input, &context)
                .unwrap(),
            json!(["S"])
        );
    }

    #[test]
    fn selecting_the_root_borrows_instead_of_cloning() {
        let input = guide_input();
        let context = Scope::of(json!({}));
        let cow = Path::parse("$")
            .unwrap()
            .select_cow(&input, &context)
            .unwrap();
        assert!(matches!(cow, Cow::Borrowed(_)));
    }

    #[test]
    fn malformed_paths_are_refused_with_the_text() {
        for text in [
            "",
            "a.b",
            "$.a[",
            "$.a[?(@.x >)]",
            "$.a.",
            "$1x",
            "$states.input",
        ] {
            let err = Path::parse(text).unwrap_err();
            assert!(!err.is_empty(), "{text}");
        }
        assert!(Path::parse("$.a[").unwrap_err().contains("'$.a['"));
    }

    #[test]
    fn variable_paths_read_the_variables_in_scope() {
        let mut variables = Variables::default();
        let mut values = serde_json::Map::new();
        values.insert("order".to_owned(), json!({"items": [{"v": 1}, {"v": 2}]}));
        variables.assign("A", values).unwrap();
        let scope = Scope {
            context: json!({}),
            variables: &variables,
        };
        let input = json!({"order": "not this"});
        let select = |text: &str| Path::parse(text).unwrap().select(&input, &scope);
        assert_eq!(select("$order.items[1].v").unwrap(), json!(2));
        assert_eq!(select("$order.items[*].v").unwrap(), json!([1, 2]));
        let missing = select("$nothing").unwrap_err();
        assert_eq!(missing.error, "States.Runtime");
        assert!(missing.cause.contains("$nothing"), "{}", missing.cause);
    }
}
