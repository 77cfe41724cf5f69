//! Payload templates (Parameters, ResultSelector, ItemSelector): compiled once into a tree
//! of constants, paths and intrinsic calls, then rendered per state visit.
//! Keys ending in `.$` lose the suffix and take the selected value; the rest is copied.

use serde_json::{Map, Value};

use super::query::Path;
use crate::workflow::error::Failure;
use crate::workflow::intrinsics::Call;
use crate::workflow::variables::Scope;

/// A compiled payload template (Parameters, ResultSelector, ItemSelector): `"k.$"` keys
/// take a path, a context path or an intrinsic call; other values are copied.
#[derive(Debug, Clone)]
pub struct Template {
    source: Value,
    root: Node,
}

#[derive(Debug, Clone)]
enum Node {
    /// A subtree without `.$` keys, copied as is.
    Constant(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// A `.$` value; `field` is the key as written (with `.$`), for messages.
    Dynamic {
        field: String,
        expr: Expr,
    },
}

#[derive(Debug, Clone)]
enum Expr {
    Path(Path),
    Call(Call),
}

impl Template {
    /// Compiles a template, checking every `.$` value parses. Errors name the key.
    pub fn compile(source: &Value) -> Result<Template, String> {
        let root = compile_node(source, "")?;
        Ok(Template {
            source: source.clone(),
            root,
        })
    }

    pub fn source(&self) -> &Value {
        &self.source
    }

    /// Renders the template against the effective input and the context object.
    pub fn render(&self, input: &Value, scope: &Scope<'_>) -> Result<Value, Failure> {
        render_node(&self.root, input, scope)
    }
}

fn compile_node(value: &Value, at: &str) -> Result<Node, String> {
    match value {
        Value::Object(map) => {
            let mut fields = Vec::with_capacity(map.len());
            let mut dynamic = false;
            for (key, item) in map {
                let shown = join(at, key);
                if let Some(name) = key.strip_suffix(".$") {
                    if map.contains_key(name) {
                        return Err(format!(
                            "'{}' is given twice, as '{name}' and '{key}'; keep one",
                            join(at, name)
                        ));
                    }
                    let Value::String(text) = item else {
                        return Err(format!(
                            "'{shown}' must be a string holding a path or an intrinsic call, \
                             because its name ends in .$ (found {})",
                            super::reference::describe(item)
                        ));
                    };
                    let expr = compile_expr(text).map_err(|m| format!("'{shown}': {m}"))?;
                    fields.push((name.to_string(), Node::Dynamic { field: shown, expr }));
                    dynamic = true;
                } else {
                    let node = compile_node(item, &shown)?;
                    dynamic |= !matches!(node, Node::Constant(_));
                    fields.push((key.clone(), node));
                }
            }
            Ok(if dynamic {
                Node::Object(fields)
            } else {
                Node::Constant(value.clone())
            })
        }
        Value::Array(items) => {
            let nodes = items
                .iter()
                .enumerate()
                .map(|(i, item)| compile_node(item, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if nodes.iter().all(|n| matches!(n, Node::Constant(_))) {
                Node::Constant(value.clone())
            } else {
                Node::Array(nodes)
            })
        }
        other => Ok(Node::Constant(other.clone())),
    }
}

fn compile_expr(text: &str) -> Result<Expr, String> {
    if Call::looks_like_call(text) {
        Call::parse(text).map(Expr::Call)
    } else if text.starts_with('$') {
        Path::parse(text).map(Expr::Path)
    } else {
        Err(format!(
            "'{text}' is neither a path (starting with $ or $$) nor an intrinsic call \
             (States.…); drop the .$ suffix to use it as a plain string"
        ))
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn render_node(node: &Node, input: &Value, scope: &Scope<'_>) -> Result<Value, Failure> {
    match node {
        Node::Constant(value) => Ok(value.clone()),
        Node::Object(fields) => {
            let mut map = Map::with_capacity(fields.len());
            for (key, child) in fields {
                map.insert(key.clone(), render_node(child, input, scope)?);
            }
            Ok(Value::Object(map))
        }
        Node::Array(items) => items
            .iter()
            .map(|item| render_node(item, input, scope))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Node::Dynamic { field, expr } => match expr {
            Expr::Path(path) => path.select(input, scope).map_err(|e| {
                let source = path.source();
                Failure::new(
                    e.error,
                    format!(
                        "The JsonPath argument for the field '{field}' could not be found in the {source}: {}",
                        e.cause
                    ),
                )
            }),
            Expr::Call(call) => call.evaluate(input, scope).map_err(|e| {
                Failure::new(e.error, format!("The field '{field}': {}", e.cause))
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::error::names;
    use crate::workflow::variables::Scope;
    use serde_json::json;

    #[test]
    fn parameters_example_from_the_developer_guide() {
        let template = Template::compile(&json!({
            "comment": "Selecting what I care about.",
            "MyDetails": {
                "size.$": "$.product.details.size",
                "exists.$": "$.product.availability",
                "StaticValue": "foo"
            }
        }))
        .unwrap();
        let input = json!({
            "comment": "Example for Parameters.",
            "product": {
                "details": {"color": "blue", "size": "small", "material": "cotton"},
                "availability": "in stock",
                "sku": "2317",
                "cost": "$23"
            }
        });
        assert_eq!(
            template.render(&input, &Scope::of(json!({}))).unwrap(),
            json!({
                "comment": "Selecting what I care about.",
                "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}
            })
        );
    }

    #[test]
    fn payload_template_examples_from_the_specification() {
        let template = Template::compile(&json!({
            "flagged": true,
            "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
            "weekday.$": "$$.DayOfWeek",
            "formattedOutput.$": "States.Format('Today is {}', $$.DayOfWeek)"
        }))
        .unwrap();
        let input = json!({"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]});
        let context = Scope::of(json!({"DayOfWeek": "TUESDAY"}));
        assert_eq!(
            template.render(&input, &context).unwrap(),
            json!({
                "flagged": true,
                "parts": {"first": 0, "last3": [30, 40, 50]},
                "weekday": "TUESDAY",
                "formattedOutput": "Today is TUESDAY"
            })
        );

        let greeting = Template::compile(&json!({
            "greeting.$": "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)"
        }))
        .unwrap();
        assert_eq!(
            greeting
                .render(
                    &json!({"firstName": "John", "lastName": "Doe"}),
                    &Scope::of(json!({}))
                )
                .unwrap(),
            json!({"greeting": "Welcome to John Doe's playlist."})
        );
    }

    #[test]
    fn result_selector_example_from_the_developer_guide() {
        let template = Template::compile(&json!({
            "ClusterId.$": "$.output.ClusterId",
            "ResourceType.$": "$.resourceType",
            "StaticValue": "foo"
        }))
        .unwrap();
        let result = json!({
            "resourceType": "elasticmapreduce",
            "resource": "createCluster.sync",
            "output": {"SdkHttpMetadata": {"HttpStatusCode": 200}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}
        });
        assert_eq!(
            template.render(&result, &Scope::of(json!({}))).unwrap(),
            json!({"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce", "StaticValue": "foo"})
        );
    }

    #[test]
    fn context_paths_and_arrays_are_rendered() {
        let template = Template::compile(&json!({
            "execution.$": "$$.Execution.Id",
            "items": [{"v.$": "$.a"}, 2, "plain"],
            "all.$": "$"
        }))
        .unwrap();
        let input = json!({"a": 1});
        let context = Scope::of(json!({"Execution": {"Id": "exec-1"}}));
        assert_eq!(
            template.render(&input, &context).unwrap(),
            json!({"execution": "exec-1", "items": [{"v": 1}, 2, "plain"], "all": {"a": 1}})
        );
    }

    // The specification names States.ParameterPathFailure here, but AWS fails the
    // execution with States.Runtime; we follow AWS.
    #[test]
    fn a_path_that_selects_nothing_names_the_field() {
        let template = Template::compile(&json!({"deep": {"x.$": "$.missing"}})).unwrap();
        let err = template
            .render(&json!({}), &Scope::of(json!({})))
            .unwrap_err();
        assert_eq!(err.error, names::RUNTIME);
        assert!(err.cause.contains("'deep.x.$'"), "{}", err.cause);
        assert!(err.cause.contains("$.missing"), "{}", err.cause);
    }

    #[test]
    fn compile_errors_name_the_key() {
        let err = Template::compile(&json!({"a": {"n.$": 5}})).unwrap_err();
        assert!(err.contains("'a.n.$'") && err.contains("a number"), "{err}");
        let err = Template::compile(&json!({"p.$": "$.a["})).unwrap_err();
        assert!(err.contains("'p.$'"), "{err}");
        let err = Template::compile(&json!({"p.$": "hello"})).unwrap_err();
        assert!(
            err.contains("'p.$'") && err.contains("plain string"),
            "{err}"
        );
        let err = Template::compile(&json!({"p": 1, "p.$": "$.a"})).unwrap_err();
        assert!(err.contains("twice"), "{err}");
    }

    #[test]
    fn keys_without_the_suffix_keep_path_like_strings_as_text() {
        let template = Template::compile(&json!({"literal": "$.not.a.path"})).unwrap();
        assert_eq!(
            template.render(&json!({}), &Scope::of(json!({}))).unwrap(),
            json!({"literal": "$.not.a.path"})
        );
    }
}
