//! Reading the fields of one JSON object while collecting every problem, so a
//! definition's errors are all reported at once. Knows no ASL rules of its own.

use serde_json::{Map, Value};

use super::DefinitionError;
use crate::workflow::error::{MAX_MESSAGE_CHARS, shorten};

/// Every problem found so far in a definition.
#[derive(Debug, Default)]
pub(super) struct Problems {
    pub list: Vec<DefinitionError>,
    /// Whether the state machine's QueryLanguage is JSONata (its states' default).
    pub jsonata: bool,
}

impl Problems {
    pub fn add(&mut self, states: &[String], field: impl Into<String>, message: impl Into<String>) {
        let error = DefinitionError {
            states: states.to_vec(),
            field: field.into(),
            message: shorten(message.into(), MAX_MESSAGE_CHARS),
        };
        // Two checks may notice the same thing; say it once.
        if !self.list.contains(&error) {
            self.list.push(error);
        }
    }

    pub fn count(&self) -> usize {
        self.list.len()
    }
}

/// One object's fields, with the names read so far (the rest are unknown fields).
pub(super) struct Fields<'a> {
    obj: &'a Map<String, Value>,
    seen: Vec<&'static str>,
    /// The state path the object belongs to.
    pub states: Vec<String>,
    /// Prefix for field names, e.g. `Retry[0].` or `Branches[1].`.
    pub prefix: String,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>, states: Vec<String>, prefix: String) -> Fields<'a> {
        Fields {
            obj,
            seen: Vec::new(),
            states,
            prefix,
        }
    }

    /// The field name as errors show it.
    pub fn field(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    pub fn err(&self, p: &mut Problems, key: &str, message: impl Into<String>) {
        p.add(&self.states, self.field(key), message);
    }

    pub fn has(&self, key: &str) -> bool {
        self.obj.contains_key(key)
    }

    /// The raw value, read without marking the field as known.
    pub fn peek(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key)
    }

    /// The raw value, marking the field as known.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.seen.push(key);
        self.obj.get(key)
    }

    pub fn string(&mut self, key: &'static str, p: &mut Problems) -> Option<&'a str> {
        match self.get(key)? {
            Value::String(s) => Some(s),
            other => {
                self.err(p, key, format!("must be a string, not {}", kind(other)));
                None
            }
        }
    }

    /// A required string field.
    pub fn required(&mut self, key: &'static str, p: &mut Problems) -> Option<&'a str> {
        if !self.has(key) {
            self.seen.push(key);
            self.err(p, key, "is required");
            return None;
        }
        self.string(key, p)
    }

    pub fn boolean(&mut self, key: &'static str, p: &mut Problems) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.err(
                    p,
                    key,
                    format!("must be true or false, not {}", kind(other)),
                );
                None
            }
        }
    }

    /// A non-negative whole number.
    pub fn uint(&mut self, key: &'static str, p: &mut Problems) -> Option<u64> {
        let value = self.get(key)?;
        match value.as_u64() {
            Some(n) => Some(n),
            None => {
                self.err(
                    p,
                    key,
                    format!("must be a whole number of 0 or more, not {value}"),
                );
                None
            }
        }
    }

    /// A non-negative number (integer or not).
    pub fn number(&mut self, key: &'static str, p: &mut Problems) -> Option<f64> {
        let value = self.get(key)?;
        match value.as_f64() {
            Some(n) if n >= 0.0 => Some(n),
            _ => {
                self.err(
                    p,
                    key,
                    format!("must be a number of 0 or more, not {value}"),
                );
                None
            }
        }
    }

    /// A JSON object field.
    pub fn object(
        &mut self,
        key: &'static str,
        p: &mut Problems,
    ) -> Option<&'a Map<String, Value>> {
        match self.get(key)? {
            Value::Object(m) => Some(m),
            other => {
                self.err(p, key, format!("must be an object, not {}", kind(other)));
                None
            }
        }
    }

    /// A JSON array field.
    pub fn array(&mut self, key: &'static str, p: &mut Problems) -> Option<&'a Vec<Value>> {
        match self.get(key)? {
            Value::Array(a) => Some(a),
            other => {
                self.err(p, key, format!("must be an array, not {}", kind(other)));
                None
            }
        }
    }

    /// Reports every field that was never read. `why` gives a specific reason for
    /// fields the engine knows but refuses.
    pub fn finish(self, what: &str, p: &mut Problems, why: impl Fn(&str) -> Option<&'static str>) {
        for key in self.obj.keys() {
            if self.seen.iter().any(|k| k == key) {
                continue;
            }
            let message = match why(key) {
                Some(reason) => reason.to_string(),
                None => format!("is not a field of {what}; remove it or check its spelling"),
            };
            p.add(&self.states, format!("{}{}", self.prefix, key), message);
        }
    }
}

/// A JSON type's name, for messages.
pub(super) use crate::workflow::paths::describe as kind;
