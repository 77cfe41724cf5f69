//! Reference paths: paths that name exactly one node (`$`, `$.a.b`, `$['x y'][2]`), read
//! with `get` and written with `set` (ResultPath). Never wildcards, filters or slices.

use serde_json::{Map, Value};

use super::segments::{self, NotDefinite, Root, Segment};
use crate::workflow::error::{Failure, names};
use crate::workflow::variables::Scope;

/// A reference path: a path that names one node (`$`, `$.a.b`, `$['x y'][2]`), as ResultPath,
/// Choice `Variable`, `…Path` comparisons, ErrorPath/CausePath and SecondsPath take.
#[derive(Debug, Clone)]
pub struct ReferencePath {
    text: String,
    root: Root,
    segments: Vec<Segment>,
}

impl ReferencePath {
    pub fn parse(text: &str) -> Result<ReferencePath, String> {
        let (root, rest) = segments::split_root(text)?;
        let segments = segments::parse_definite(rest).map_err(|why| match why {
            NotDefinite::Indefinite => format!(
                "'{text}' is not a reference path: wildcards, filters, slices, unions and '..' \
                 may select many nodes; name one node, e.g. $.a.b or $.a[0]"
            ),
            NotDefinite::Invalid(message) => format!("'{text}' is not a valid path: {message}"),
        })?;
        Ok(ReferencePath {
            text: text.to_string(),
            root,
            segments,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the path starts with `$$` and so reads the context object.
    pub fn is_context(&self) -> bool {
        self.root == Root::Context
    }

    /// Whether the path starts with `$name` and so reads a variable.
    pub fn is_variable(&self) -> bool {
        matches!(self.root, Root::Variable(_))
    }

    /// Whether the path is `$` (or `$$`) alone: the whole document.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// The node it names, if present. The walk starts at `input` whatever the root marker;
    /// use [`ReferencePath::lookup`] when the path may be a `$$` context path.
    pub fn get<'v>(&self, input: &'v Value) -> Option<&'v Value> {
        segments::walk(input, &self.segments)
    }

    /// The node it names, starting from the context object for `$$` paths, from a
    /// variable for `$name` paths and from `input` otherwise.
    pub fn lookup<'v>(&self, input: &'v Value, scope: &'v Scope<'_>) -> Option<&'v Value> {
        self.get(self.root.document(input, scope)?)
    }

    /// Like [`ReferencePath::lookup`], but a missing node is a `States.Runtime` error naming
    /// the path, as AWS reports it.
    pub fn require<'v>(
        &self,
        input: &'v Value,
        scope: &'v Scope<'_>,
    ) -> Result<&'v Value, Failure> {
        self.lookup(input, scope)
            .ok_or_else(|| Failure::path_not_found(&self.text, &self.normalized()))
    }

    /// The normalized form AWS prints in messages, e.g. `$['a'][0]`.
    pub fn normalized(&self) -> String {
        segments::normalized(&self.root, &self.segments)
    }

    /// ResultPath: puts `value` at this path inside `target`, creating missing objects.
    /// `$` replaces the whole target. Fails with `States.ResultPathMatchFailure` when the
    /// path runs through a non-object.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), Failure> {
        match self.root {
            Root::Context => {
                return Err(self.mismatch("the context object ($$) cannot be written to"));
            }
            Root::Variable(_) => {
                return Err(self.mismatch("a variable is set with Assign, not ResultPath"));
            }
            Root::Input => {}
        }
        let Some((last, parents)) = self.segments.split_last() else {
            *target = value;
            return Ok(());
        };
        let mut node = target;
        for (depth, segment) in parents.iter().enumerate() {
            node = match segment {
                Segment::Name(name) => match node {
                    Value::Object(map) => map
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new())),
                    other => return Err(self.through(depth, other)),
                },
                Segment::Index(index) => match node {
                    Value::Array(items) => {
                        let len = items.len();
                        match index_for_write(*index, len).and_then(|at| items.get_mut(at)) {
                            Some(item) => item,
                            None => return Err(self.out_of_range(depth, *index, len)),
                        }
                    }
                    other => return Err(self.through(depth, other)),
                },
            };
        }
        let depth = parents.len();
        match (last, node) {
            (Segment::Name(name), Value::Object(map)) => {
                map.insert(name.clone(), value);
                Ok(())
            }
            (Segment::Index(index), Value::Array(items)) => {
                let len = items.len();
                match index_for_write(*index, len).and_then(|at| items.get_mut(at)) {
                    Some(slot) => {
                        *slot = value;
                        Ok(())
                    }
                    None => Err(self.out_of_range(depth, *index, len)),
                }
            }
            (_, other) => Err(self.through(depth, other)),
        }
    }

    fn mismatch(&self, why: &str) -> Failure {
        Failure::new(
            names::RESULT_PATH_MATCH_FAILURE,
            format!(
                "Unable to apply ResultPath '{}' to the state input: {why}",
                self.text
            ),
        )
    }

    fn through(&self, depth: usize, node: &Value) -> Failure {
        let at = segments::normalized(&self.root, &self.segments[..depth]);
        let step = &self.segments[depth];
        let wanted = match step {
            Segment::Name(_) => "an object",
            Segment::Index(_) => "an array",
        };
        self.mismatch(&format!(
            "{at} is {}, not {wanted}, so it cannot hold {}",
            describe(node),
            segments::normalized(&self.root, &self.segments[..=depth])
        ))
    }

    fn out_of_range(&self, depth: usize, index: i64, len: usize) -> Failure {
        let at = segments::normalized(&self.root, &self.segments[..depth]);
        self.mismatch(&format!(
            "index {index} is outside the array at {at}, which has {len} item(s)"
        ))
    }
}

/// Writes only go to existing array items: arrays never grow through ResultPath.
fn index_for_write(index: i64, len: usize) -> Option<usize> {
    segments::resolve_index(index, len)
}

/// "a string", "a number", … for messages.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::variables::Scope;
    use proptest::prelude::*;
    use serde_json::json;

    fn path(text: &str) -> ReferencePath {
        ReferencePath::parse(text).unwrap()
    }

    #[test]
    fn reads_names_indices_and_quoted_names() {
        let doc = json!({"a": {"b": [10, {"x y": "found"}]}, "it's": 1});
        assert_eq!(path("$").get(&doc), Some(&doc));
        assert_eq!(path("$.a.b[0]").get(&doc), Some(&json!(10)));
        assert_eq!(path("$.a.b[1]['x y']").get(&doc), Some(&json!("found")));
        assert_eq!(
            path("$['a'][\"b\"][-1]").get(&doc),
            Some(&json!({"x y": "found"}))
        );
        assert_eq!(path("$[\"it's\"]").get(&doc), Some(&json!(1)));
        // A quoted name is read as written: a backslash stays in it, and only keeps the
        // quote after it from closing the name (as AWS reads $['Test\\"Name"']).
        let odd = json!({"Test\\\\\"Name\"": "as written", "Test\\\"Name\"": "unescaped"});
        assert_eq!(
            path("$['Test\\\\\"Name\"']").get(&odd),
            Some(&json!("as written"))
        );
        assert_eq!(
            path("$['it\\'s']").get(&json!({"it\\'s": 2})),
            Some(&json!(2))
        );
        assert_eq!(path("$.a.missing").get(&doc), None);
        assert_eq!(path("$.a.b[2]").get(&doc), None);
        assert_eq!(path("$.a.b.c").get(&doc), None);
    }

    #[test]
    fn specification_reference_path_examples() {
        let doc = json!({"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}});
        assert_eq!(path("$.foo").get(&doc), Some(&json!(123)));
        assert_eq!(path("$.bar").get(&doc), Some(&json!(["a", "b", "c"])));
        assert_eq!(path("$.car.cdr").get(&doc), Some(&json!(true)));

        // Backslashes escape any character in a dot name.
        let names = |text: &str| path(text).segments;
        let n = |s: &str| Segment::Name(s.to_string());
        assert_eq!(names("$.store\\.book"), vec![n("store.book")]);
        assert_eq!(names("$.\\stor\\e.boo\\k"), vec![n("store"), n("book")]);
        assert_eq!(names("$.foo.\\.bar"), vec![n("foo"), n(".bar")]);
        assert_eq!(
            names("$.foo\\@bar.baz\\[\\[.\\?pretty"),
            vec![n("foo@bar"), n("baz[["), n("?pretty")]
        );
        assert_eq!(names("$.&Ж中"), vec![n("&Ж中")]);
        assert_eq!(
            names("$.ledgers[0][22][315].foo"),
            vec![
                n("ledgers"),
                Segment::Index(0),
                Segment::Index(22),
                Segment::Index(315),
                n("foo")
            ]
        );
        assert_eq!(
            names("$['store'][0]['book']"),
            vec![n("store"), Segment::Index(0), n("book")]
        );
        // The escaped forms survive normalization.
        let odd = path("$.store\\.book['it\\'s']");
        assert_eq!(
            ReferencePath::parse(&odd.normalized()).unwrap().segments,
            odd.segments
        );
    }

    #[test]
    fn refuses_paths_that_select_many_nodes() {
        for text in [
            "$.a[*]",
            "$..a",
            "$.a.*",
            "$.a[0:2]",
            "$.a[0,1]",
            "$.a[?(@.x > 1)]",
            "$.a@b",
            "$.a,b",
        ] {
            let err = ReferencePath::parse(text).unwrap_err();
            assert!(err.contains("not a reference path"), "{text}: {err}");
        }
        assert!(
            ReferencePath::parse("a.b")
                .unwrap_err()
                .contains("must start with $")
        );
        assert!(
            ReferencePath::parse("$.a[")
                .unwrap_err()
                .contains("never closed")
        );
        assert!(ReferencePath::parse("").is_err());
        assert!(
            ReferencePath::parse("$.")
                .unwrap_err()
                .contains("followed by a name")
        );
        assert!(
            ReferencePath::parse("$.[0]")
                .unwrap_err()
                .contains("followed by a name")
        );
    }

    #[test]
    fn context_paths_read_the_context_object() {
        let input = json!({"Execution": "input"});
        let context = Scope::of(json!({"Execution": {"Name": "run-1"}}));
        let p = path("$$.Execution.Name");
        assert!(p.is_context());
        assert_eq!(p.lookup(&input, &context), Some(&json!("run-1")));
        assert_eq!(
            path("$.Execution").lookup(&input, &context),
            Some(&json!("input"))
        );
        let err = path("$$.Execution.Id")
            .require(&input, &context)
            .unwrap_err();
        assert_eq!(err.error, names::RUNTIME);
        assert!(err.cause.contains("$$.Execution.Id"), "{}", err.cause);
    }

    #[test]
    fn result_path_examples_from_the_developer_guide() {
        // ResultPath "$" replaces the input with the result.
        let mut doc = json!({"comment": "An input comment."});
        path("$").set(&mut doc, json!("Hello, world")).unwrap();
        assert_eq!(doc, json!("Hello, world"));

        // ResultPath "$.taskresult" keeps the input and adds the result.
        let mut doc = json!({"comment": "This is a test", "details": "Default example", "who": "AWS Step Functions"});
        path("$.taskresult")
            .set(&mut doc, json!("Hello, AWS Step Functions!"))
            .unwrap();
        assert_eq!(
            doc,
            json!({"comment": "This is a test", "details": "Default example",
                   "who": "AWS Step Functions", "taskresult": "Hello, AWS Step Functions!"})
        );

        // A nested ResultPath replaces the node and creates missing objects.
        let mut doc = json!({"master": {"detail": [1, 2, 3]}});
        path("$.master.detail").set(&mut doc, json!(6)).unwrap();
        assert_eq!(doc, json!({"master": {"detail": 6}}));
        path("$.new.deeper.leaf")
            .set(&mut doc, json!(true))
            .unwrap();
        assert_eq!(doc["new"], json!({"deeper": {"leaf": true}}));
    }

    #[test]
    fn writing_through_a_non_object_is_a_result_path_match_failure() {
        let mut doc = json!({"name": "Ada", "n": 3, "list": [1, {"k": 0}]});
        for (text, mentions) in [
            ("$.name.first", "a string"),
            ("$.n.x", "a number"),
            ("$.list.x", "an array"),
        ] {
            let err = path(text).set(&mut doc, json!(1)).unwrap_err();
            assert_eq!(err.error, names::RESULT_PATH_MATCH_FAILURE, "{text}");
            assert!(err.cause.contains(mentions), "{text}: {}", err.cause);
            assert!(err.cause.contains(text), "{text}: {}", err.cause);
        }
        let err = path("$.list[5]").set(&mut doc, json!(1)).unwrap_err();
        assert!(err.cause.contains("index 5"), "{}", err.cause);
        let err = path("$$.Execution").set(&mut doc, json!(1)).unwrap_err();
        assert_eq!(err.error, names::RESULT_PATH_MATCH_FAILURE);
        // A string input cannot take a field.
        let mut text = json!("just text");
        assert!(path("$.result").set(&mut text, json!(1)).is_err());
        // Existing array items can be replaced.
        path("$.list[1].k").set(&mut doc, json!(9)).unwrap();
        path("$.list[0]").set(&mut doc, json!("first")).unwrap();
        assert_eq!(doc["list"], json!(["first", {"k": 9}]));
    }

    fn name() -> impl Strategy<Value = String> {
        "[a-zA-Z_][a-zA-Z0-9_ '-]{0,6}"
    }

    proptest! {
        #[test]
        fn set_then_get_roundtrips(
            names in proptest::collection::vec(name(), 0..5),
            value in any::<i64>(),
            bracketed in any::<bool>(),
        ) {
            let text: String = std::iter::once("$".to_string())
                .chain(names.iter().map(|n| {
                    if bracketed || n.contains(' ') || n.contains('\'') {
                        format!("['{}']", n.replace('\'', "\\'"))
                    } else {
                        format!(".{n}")
                    }
                }))
                .collect();
            let p = ReferencePath::parse(&text).unwrap();
            let mut doc = json!({"~keep": true});
            p.set(&mut doc, json!(value)).unwrap();
            prop_assert_eq!(p.get(&doc), Some(&json!(value)));
            if let Some(first) = names.first()
                && first != "~keep"
            {
                prop_assert_eq!(&doc["~keep"], &json!(true));
            }
            // Reparsing the normalized form names the same node.
            let again = ReferencePath::parse(&p.normalized()).unwrap();
            prop_assert_eq!(again.get(&doc), Some(&json!(value)));
        }
    }
}
