//! A state written in JSONata: its `{% … %}` fields compiled, the JSONPath-only fields
//! refused as AWS refuses them, and the rest handed to the state type's own parser.

use serde_json::{Map, Value};

use super::super::reader::Problems;
use super::super::states::JsonataFields;
use crate::workflow::jsonata::{JsonataTemplate, expression_text};
use crate::workflow::variables;

/// Fields only JSONPath states have.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Result",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "MaxConcurrencyPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
];

/// Fields only JSONata states have, and why a JSONPath state refuses each.
pub(super) fn jsonata_only(key: &str) -> Option<&'static str> {
    matches!(key, "Arguments" | "Output" | "Items" | "Condition").then_some(
        "belongs to JSONata; set \"QueryLanguage\": \"JSONata\" on the state or the state machine to use it",
    )
}

/// One Choice rule of a JSONata state: its Condition, Next, Output and Assign.
pub(super) struct Rule {
    pub condition: JsonataTemplate,
    pub next: String,
    pub output: Option<JsonataTemplate>,
    pub assign: Option<JsonataTemplate>,
}

/// What `split` takes out of a JSONata state.
pub(super) struct Split {
    /// The fields left for the state type's parser.
    pub rest: Map<String, Value>,
    pub fields: JsonataFields,
    pub assign: Option<JsonataTemplate>,
    /// Choice: its rules.
    pub rules: Vec<Rule>,
    /// Catch: each catcher's Assign and Output, in order.
    pub catchers: Vec<(Option<JsonataTemplate>, Option<JsonataTemplate>)>,
}

struct Splitter<'p> {
    states: Vec<String>,
    p: &'p mut Problems,
}

impl Splitter<'_> {
    fn compile(&mut self, field: &str, value: &Value) -> Option<JsonataTemplate> {
        match JsonataTemplate::compile(value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.p.add(&self.states, field, e);
                None
            }
        }
    }

    /// Assign: an object of variable names and values (expressions or JSON).
    fn assign(&mut self, field: &str, value: &Value) -> Option<JsonataTemplate> {
        let Value::Object(map) = value else {
            self.p.add(
                &self.states,
                field,
                "must be an object of variable names and values",
            );
            return None;
        };
        let mut ok = true;
        for key in map.keys() {
            if let Some(problem) = variables::name_problem(key) {
                self.p.add(&self.states, format!("{field}.{key}"), problem);
                ok = false;
            }
        }
        let compiled = self.compile(field, value);
        compiled.filter(|_| ok)
    }
}

/// Takes a JSONata state's own fields out of `obj`.
pub(super) fn split(
    obj: &Map<String, Value>,
    ty: &str,
    states: &[String],
    p: &mut Problems,
) -> Split {
    let mut s = Splitter {
        states: states.to_vec(),
        p,
    };
    let mut rest = obj.clone();
    let mut fields = JsonataFields::default();
    for key in JSONPATH_ONLY {
        if rest.shift_remove(*key).is_some() {
            s.p.add(
                &s.states,
                *key,
                "belongs to JSONPath, and this state's QueryLanguage is JSONata: use Arguments, Output and Assign with {% … %} expressions instead",
            );
        }
    }
    let takes = |key: &str| match key {
        "Arguments" => matches!(ty, "Task" | "Parallel"),
        "Output" => ty != "Fail",
        "Assign" => !matches!(ty, "Succeed" | "Fail"),
        "Items" | "ItemSelector" => ty == "Map",
        _ => true,
    };
    for key in ["Arguments", "Output", "Assign", "Items", "ItemSelector"] {
        if rest.contains_key(key) && !takes(key) {
            rest.shift_remove(key);
            s.p.add(&s.states, key, format!("is not a field of a {ty} state"));
        }
    }
    let mut assign = None;
    if let Some(v) = rest.shift_remove("Assign") {
        assign = s.assign("Assign", &v);
    }
    if let Some(v) = rest.shift_remove("Arguments") {
        fields.arguments = s.compile("Arguments", &v);
    }
    if let Some(v) = rest.shift_remove("Output") {
        fields.output = s.compile("Output", &v);
    }
    if let Some(v) = rest.shift_remove("Items") {
        fields.items = s.compile("Items", &v);
    }
    if let Some(v) = rest.shift_remove("ItemSelector") {
        fields.item_selector = s.compile("ItemSelector", &v);
    }
    // Fields that take a number or a string, or an expression in their place.
    let mut expressed = |key: &str, rest: &mut Map<String, Value>| -> Option<JsonataTemplate> {
        let is_expression = rest
            .get(key)
            .and_then(Value::as_str)
            .is_some_and(|t| expression_text(t).is_some());
        if !is_expression {
            return None;
        }
        let value = rest.shift_remove(key)?;
        s.compile(key, &value)
    };
    match ty {
        "Task" => {
            fields.timeout = expressed("TimeoutSeconds", &mut rest);
            // Heartbeats are accepted and not enforced, as in JSONPath.
            let _ = expressed("HeartbeatSeconds", &mut rest);
        }
        "Map" => fields.max_concurrency = expressed("MaxConcurrency", &mut rest),
        "Wait" => {
            fields.seconds = expressed("Seconds", &mut rest);
            fields.timestamp = expressed("Timestamp", &mut rest);
            if fields.seconds.is_some() || fields.timestamp.is_some() {
                // The Wait's own parser still sees how long to wait; the expression wins.
                rest.insert("Seconds".to_owned(), Value::from(0));
            }
        }
        "Fail" => {
            fields.error = expressed("Error", &mut rest);
            fields.cause = expressed("Cause", &mut rest);
        }
        _ => {}
    }
    let rules = if ty == "Choice" {
        choice_rules(&mut s, &mut rest)
    } else {
        Vec::new()
    };
    let catchers = catchers(&mut s, &mut rest);
    Split {
        rest,
        fields,
        assign,
        rules,
        catchers,
    }
}

/// A JSONata Choice's rules: each tests its Condition.
fn choice_rules(s: &mut Splitter<'_>, rest: &mut Map<String, Value>) -> Vec<Rule> {
    let Some(Value::Array(list)) = rest.shift_remove("Choices") else {
        s.p.add(
            &s.states,
            "Choices",
            "is required: a list of rules, each with a Condition and Next",
        );
        return Vec::new();
    };
    if list.is_empty() {
        s.p.add(&s.states, "Choices", "must hold at least one rule");
    }
    let mut rules = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let field = format!("Choices[{i}]");
        let Value::Object(obj) = item else {
            s.p.add(&s.states, field, "must be an object");
            continue;
        };
        let mut condition = None;
        let mut next = None;
        let mut output = None;
        let mut assign = None;
        for (key, value) in obj {
            let at = format!("{field}.{key}");
            match key.as_str() {
                "Condition" => match value.as_str().and_then(expression_text) {
                    Some(_) => condition = s.compile(&at, value),
                    None if value.is_boolean() => condition = s.compile(&at, value),
                    None => s.p.add(
                        &s.states,
                        at,
                        "must be a {% … %} expression that gives true or false",
                    ),
                },
                "Next" => match value.as_str() {
                    Some(name) => next = Some(name.to_owned()),
                    None => s.p.add(&s.states, at, "must be a state name"),
                },
                "Output" => output = s.compile(&at, value),
                "Assign" => assign = s.assign(&at, value),
                "Comment" => {}
                "Variable" | "And" | "Or" | "Not" => s.p.add(
                    &s.states,
                    at,
                    "belongs to JSONPath rules; a JSONata rule tests its Condition",
                ),
                other
                    if other.ends_with("Equals")
                        || other.ends_with("Than")
                        || other.ends_with("ThanEquals")
                        || other.ends_with("Path")
                        || other.starts_with("Is")
                        || other == "StringMatches" =>
                {
                    s.p.add(
                        &s.states,
                        at,
                        "belongs to JSONPath rules; a JSONata rule tests its Condition",
                    )
                }
                _ => s.p.add(&s.states, at, "is not a field of a Choice rule"),
            }
        }
        if condition.is_none() && !obj.contains_key("Condition") {
            s.p.add(&s.states, format!("{field}.Condition"), "is required");
        }
        if next.is_none() && !obj.contains_key("Next") {
            s.p.add(&s.states, format!("{field}.Next"), "is required");
        }
        if let (Some(condition), Some(next)) = (condition, next) {
            rules.push(Rule {
                condition,
                next,
                output,
                assign,
            });
        }
    }
    rules
}

/// Each catcher's Assign and Output, taken out so the catcher's own parser reads the rest.
fn catchers(
    s: &mut Splitter<'_>,
    rest: &mut Map<String, Value>,
) -> Vec<(Option<JsonataTemplate>, Option<JsonataTemplate>)> {
    let Some(Value::Array(list)) = rest.get_mut("Catch") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in list.iter_mut().enumerate() {
        let Value::Object(obj) = item else {
            out.push((None, None));
            continue;
        };
        let field = format!("Catch[{i}]");
        if obj.shift_remove("ResultPath").is_some() {
            s.p.add(
                &s.states,
                format!("{field}.ResultPath"),
                "belongs to JSONPath; a JSONata catcher shapes its output with Output",
            );
        }
        let assign = obj
            .shift_remove("Assign")
            .and_then(|v| s.assign(&format!("{field}.Assign"), &v));
        let output = obj
            .shift_remove("Output")
            .and_then(|v| s.compile(&format!("{field}.Output"), &v));
        out.push((assign, output));
    }
    out
}
