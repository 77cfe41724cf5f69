//! Workflow variables (`Assign`), with AWS's names, scopes and limits, and the scope an
//! expression reads besides the state's input: the context object `$$` and the
//! variables (`$name`). A state sees the variables its own scope assigned and, read
//! only, those of the scopes around it: each Map iteration and Parallel branch is a
//! scope of its own, whose assignments end with it. The values of one `Assign` are all
//! computed from the variables as they were when the state began, then set together.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::error::{Failure, names};

/// The longest variable name AWS accepts, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// The most JSON text one variable may hold, as AWS allows (256 KiB).
pub const MAX_VALUE_BYTES: usize = 256 * 1024;

/// The most JSON text one `Assign` may set in all, as AWS allows (256 KiB).
pub const MAX_ASSIGN_BYTES: usize = 256 * 1024;

/// The most JSON text the variables of an execution may hold at once (10 MiB).
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;

/// The name JSONata states use for the state's own data; no variable may take it.
pub const RESERVED: &str = "states";

/// Why a name cannot be a variable's, or `None` when it can: AWS takes a letter or `_`
/// first, then letters, digits and `_`, at most 80 characters, and never `states`.
pub fn name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_alphanumeric() || c == '_') {
        return Some(format!(
            "'{name}' is not a variable name: start with a letter or _, then letters, digits or _"
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Some(format!(
            "a variable name may be at most {MAX_NAME_CHARS} characters"
        ));
    }
    if name == RESERVED {
        return Some("$states is reserved for the state's own data".to_owned());
    }
    None
}

/// The variables a state can read.
#[derive(Debug, Clone, Default)]
pub struct Variables {
    /// The scopes around this one, merged and read only.
    outer: Arc<Map<String, Value>>,
    /// What this scope assigned.
    own: Map<String, Value>,
    /// The JSON text this scope's own variables hold, for the execution's limit.
    bytes: usize,
}

impl Variables {
    /// The value of `$name`, if it was assigned in this scope or one around it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.own.get(name).or_else(|| self.outer.get(name))
    }

    /// Every variable visible here, each name once (this scope's value first).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.own.iter().chain(
            self.outer
                .iter()
                .filter(|(name, _)| !self.own.contains_key(*name)),
        )
    }

    /// Whether no variable is visible at all (the common case, which costs nothing).
    pub fn is_empty(&self) -> bool {
        self.own.is_empty() && self.outer.is_empty()
    }

    /// A scope inside this one (a Map iteration, a Parallel branch): it reads every
    /// variable visible here and assigns only its own.
    pub fn inner(&self) -> Variables {
        if self.own.is_empty() {
            return Variables {
                outer: Arc::clone(&self.outer),
                own: Map::new(),
                bytes: self.bytes,
            };
        }
        let mut merged = (*self.outer).clone();
        for (name, value) in &self.own {
            merged.insert(name.clone(), value.clone());
        }
        Variables {
            outer: Arc::new(merged),
            own: Map::new(),
            bytes: self.bytes,
        }
    }

    /// Sets what one `Assign` computed, within AWS's limits, and returns each name with
    /// its value's JSON text, as `…StateExited` events show them (`assignedVariables`). A name that belongs to
    /// a scope around this one cannot be assigned here.
    pub fn assign(
        &mut self,
        state: &str,
        values: Map<String, Value>,
    ) -> Result<Map<String, Value>, Failure> {
        let mut shown = Map::new();
        let mut total = 0;
        for (name, value) in &values {
            if self.outer.contains_key(name) {
                return Err(Failure::new(
                    names::RUNTIME,
                    format!(
                        "State '{state}' cannot assign the variable '{name}': it belongs to an outer scope, which a Map iteration or a Parallel branch only reads."
                    ),
                ));
            }
            let text = value.to_string();
            if text.len() > MAX_VALUE_BYTES {
                return Err(too_big(
                    state,
                    format!("the variable '{name}' would hold {} bytes", text.len()),
                    MAX_VALUE_BYTES,
                ));
            }
            total += text.len();
            shown.insert(name.clone(), Value::String(text));
        }
        if total > MAX_ASSIGN_BYTES {
            return Err(too_big(
                state,
                format!("its Assign would set {total} bytes"),
                MAX_ASSIGN_BYTES,
            ));
        }
        let mut bytes = self.bytes;
        for (name, value) in values {
            let text_len = shown.get(&name).and_then(Value::as_str).map_or(0, str::len);
            if let Some(old) = self.own.insert(name, value) {
                bytes = bytes.saturating_sub(old.to_string().len());
            }
            bytes += text_len;
        }
        if bytes > MAX_TOTAL_BYTES {
            return Err(too_big(
                state,
                format!("the execution's variables would hold {bytes} bytes"),
                MAX_TOTAL_BYTES,
            ));
        }
        self.bytes = bytes;
        Ok(shown)
    }
}

fn too_big(state: &str, what: String, limit: usize) -> Failure {
    Failure::new(
        names::DATA_LIMIT_EXCEEDED,
        format!("State '{state}' exceeds a variable limit: {what}, over the {limit} allowed."),
    )
}

/// What an expression reads besides the state's input: the context object (`$$`) and
/// the variables in scope (`$name`).
#[derive(Debug, Clone)]
pub struct Scope<'v> {
    pub context: Value,
    pub variables: &'v Variables,
}

impl Scope<'static> {
    /// A scope with this context object and no variables.
    pub fn of(context: Value) -> Scope<'static> {
        static NONE: std::sync::LazyLock<Variables> = std::sync::LazyLock::new(Variables::default);
        Scope {
            context,
            variables: &NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn names_follow_aws_rules() {
        for good in ["x", "_tmp", "productName", "été", "a1_b2"] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in ["", "1x", "a-b", "a.b", "a b", "states", &"x".repeat(81)] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn an_inner_scope_reads_outer_variables_and_cannot_write_them() {
        let mut top = Variables::default();
        top.assign("A", values(json!({"x": 1}))).unwrap();
        let mut inner = top.inner();
        assert_eq!(inner.get("x"), Some(&json!(1)));
        let refused = inner.assign("B", values(json!({"x": 2}))).unwrap_err();
        assert_eq!(refused.error, names::RUNTIME);
        let shown = inner.assign("B", values(json!({"y": "two"}))).unwrap();
        assert_eq!(Value::Object(shown), json!({"y": "\"two\""}));
        // The inner scope's own variables end with it.
        assert_eq!(top.get("y"), None);
        assert_eq!(inner.get("y"), Some(&json!("two")));
    }

    #[test]
    fn limits_are_awss() {
        let mut vars = Variables::default();
        let big = "x".repeat(MAX_VALUE_BYTES);
        let refused = vars.assign("A", values(json!({"big": big}))).unwrap_err();
        assert_eq!(refused.error, names::DATA_LIMIT_EXCEEDED);
        let half = "x".repeat(MAX_ASSIGN_BYTES / 2);
        let refused = vars
            .assign("A", values(json!({"a": half, "b": half})))
            .unwrap_err();
        assert!(refused.cause.contains("its Assign"), "{}", refused.cause);
        assert!(vars.is_empty());
    }
}
