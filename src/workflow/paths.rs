//! ASL paths as pure functions over JSON: JSONPath queries (`$…` on the input,
//! `$$…` on the context object), reference paths, payload templates and ResultPath.
//! Parsing happens once, at definition time; nothing here knows about states or tasks.

mod query;
mod reference;
mod segments;
mod template;

pub use query::Path;
pub use reference::ReferencePath;
pub(crate) use reference::describe;
pub use template::Template;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::variables::Scope;
    use serde_json::json;

    /// The developer guide's Lambda example: InputPath, then the task's result placed with
    /// ResultPath into the raw input, then OutputPath.
    #[test]
    fn input_result_and_output_paths_chain_as_in_the_developer_guide() {
        let raw = json!({
            "comment": "An input comment.",
            "data": {"val1": 23, "val2": 17},
            "extra": "foo",
            "lambda": {"who": "AWS Step Functions"}
        });
        let context = Scope::of(json!({}));
        let effective = Path::parse("$.lambda")
            .unwrap()
            .select(&raw, &context)
            .unwrap();
        assert_eq!(effective, json!({"who": "AWS Step Functions"}));
        let result = format!("Hello, {}!", effective["who"].as_str().unwrap());

        let mut placed = raw.clone();
        ReferencePath::parse("$.data.lambdaresult")
            .unwrap()
            .set(&mut placed, json!(result))
            .unwrap();
        let output = Path::parse("$.data")
            .unwrap()
            .select(&placed, &context)
            .unwrap();
        assert_eq!(
            output,
            json!({"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"})
        );
    }
}
