//! The registration form's fields: what staff typed, turned into the workflow's input
//! document, and a loaded document turned back into fields. No drawing, no I/O.

use serde_json::{Map, Value, json};

/// What sits at one position of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A line of text; the path is where it goes in `registration_info` (and where
    /// checkInformation reports problems with it).
    Text(&'static str),
    Days,
    Submit,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
}

const fn text(label: &'static str, path: &'static str) -> Field {
    Field {
        label,
        kind: FieldKind::Text(path),
    }
}

/// The form, top to bottom (Tab order).
pub const FIELDS: [Field; 14] = [
    text("Child first name", "child.firstName"),
    text("Child last name", "child.lastName"),
    text("Date of birth", "child.dateOfBirth"),
    text("Mother first name", "parents.mother.firstName"),
    text("Mother last name", "parents.mother.lastName"),
    text("Mother email", "parents.mother.email"),
    text("Mother phone", "parents.mother.phone"),
    text("Father first name", "parents.father.firstName"),
    text("Father last name", "parents.father.lastName"),
    text("Father email", "parents.father.email"),
    text("Father phone", "parents.father.phone"),
    Field {
        label: "Weekdays",
        kind: FieldKind::Days,
    },
    text("Instructions", "specialInstructions"),
    Field {
        label: "Submit",
        kind: FieldKind::Submit,
    },
];

/// The form's weekday toggles, Monday first, as the store orders days.
pub use crate::weekday::WEEK as WEEKDAYS;
pub use crate::weekday::name as weekday_name;

/// The values in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormValues {
    /// One per field; only Text fields use theirs.
    pub text: [String; FIELDS.len()],
    pub days: [bool; 7],
}

impl FormValues {
    /// The workflow's input: `{"registration_info": {...}}`. A parent whose fields are all
    /// empty is left out; empty fields of a named parent are left out too.
    pub fn document(&self) -> Value {
        let mut info = Map::new();
        for (field, value) in FIELDS.iter().zip(&self.text) {
            if let FieldKind::Text(path) = field.kind {
                let value = value.trim();
                if value.is_empty()
                    && path != "child.firstName"
                    && path != "child.lastName"
                    && path != "child.dateOfBirth"
                {
                    continue;
                }
                insert(&mut info, path, Value::String(value.to_string()));
            }
        }
        let days: Vec<Value> = WEEKDAYS
            .iter()
            .zip(self.days)
            .filter(|(_, on)| *on)
            .map(|(day, _)| Value::String(weekday_name(*day).to_string()))
            .collect();
        info.insert("daysOfWeek".into(), Value::Array(days));
        // Keep the tutorial's key order: child, parents, daysOfWeek, specialInstructions.
        if let Some(instructions) = info.remove("specialInstructions") {
            info.insert("specialInstructions".into(), instructions);
        }
        json!({ crate::registration::document::INFO: Value::Object(info) })
    }

    /// Fills the form from a registration document (with or without the
    /// `registration_info` wrapper). Unknown fields are ignored; days are read as
    /// checkInformation reads them (full or three-letter names, any case).
    pub fn from_document(document: &Value) -> FormValues {
        let info = crate::registration::document::inner(document);
        let mut values = FormValues::default();
        for (index, field) in FIELDS.iter().enumerate() {
            if let FieldKind::Text(path) = field.kind {
                let found = path.split('.').try_fold(info, |node, key| node.get(key));
                values.text[index] = match found {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
            }
        }
        if let Some(Value::Array(days)) = info.get("daysOfWeek") {
            for day in days
                .iter()
                .filter_map(Value::as_str)
                .filter_map(crate::weekday::parse)
            {
                values.days[day.num_days_from_monday() as usize] = true;
            }
        }
        values
    }
}

fn insert(root: &mut Map<String, Value>, path: &str, value: Value) {
    let mut node = root;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            node.insert(part.to_string(), value);
            return;
        }
        let child = node
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        match child {
            Value::Object(map) => node = map,
            _ => return,
        }
    }
}

/// The index of the field a checkInformation problem path belongs to (the closest
/// field: `parents.mother` → mother's first name, `child` → child's first name).
pub fn field_for_problem(path: &str) -> Option<usize> {
    let path = path.strip_prefix("registration_info.").unwrap_or(path);
    if path.starts_with("daysOfWeek") {
        return FIELDS.iter().position(|f| f.kind == FieldKind::Days);
    }
    FIELDS
        .iter()
        .position(|f| matches!(f.kind, FieldKind::Text(p) if p == path))
        .or_else(|| {
            FIELDS
                .iter()
                .position(|f| matches!(f.kind, FieldKind::Text(p) if p.starts_with(path)))
        })
        .or_else(|| path.starts_with("parents").then_some(3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::samples::tutorial;

    #[test]
    fn a_loaded_document_round_trips_through_the_form() {
        let values = FormValues::from_document(&tutorial());
        assert_eq!(values.text[0], "Mohamed");
        assert_eq!(values.days, [true, true, true, true, true, false, false]);
        assert_eq!(values.document(), tutorial());
    }

    #[test]
    fn an_empty_parent_is_left_out() {
        let mut values = FormValues::from_document(&tutorial());
        for i in 7..=10 {
            values.text[i].clear();
        }
        let doc = values.document();
        assert!(doc["registration_info"]["parents"].get("father").is_none());
        assert_eq!(
            doc["registration_info"]["parents"]["mother"]["firstName"],
            "Aicha"
        );
    }

    #[test]
    fn problems_land_on_their_fields() {
        assert_eq!(field_for_problem("parents.mother.email"), Some(5));
        assert_eq!(field_for_problem("daysOfWeek"), Some(11));
        assert_eq!(field_for_problem("child"), Some(0));
        assert_eq!(field_for_problem("parents"), Some(3));
    }
}
