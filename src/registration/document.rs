//! The registration document, typed: the child, the parents by role, the days, the
//! special instructions, and every other field kept as it came (`extra`, in its order),
//! so what the workflow hands on is what AWS Step Functions would hand on. Also the
//! tutorial's hand-over between the four tasks, `{"statusCode": 200, "body": "<JSON>"}`,
//! in one codec. No rules here: `information` checks a document, this only gives it shape.

use chrono::{NaiveDate, Weekday};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::weekday;

/// A registration, as checkInformation leaves it (names normalised, days in week order).
/// Serialises to the tutorial's `registration_info` shape: `child`, `parents`,
/// `daysOfWeek`, `specialInstructions`, then the other fields in the order they came.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registration {
    pub child: Child,
    #[serde(serialize_with = "parents_by_role")]
    pub parents: Vec<Parent>,
    #[serde(
        rename = "daysOfWeek",
        serialize_with = "weekday::serde_name::serialize_list"
    )]
    pub days: Vec<Weekday>,
    #[serde(
        rename = "specialInstructions",
        skip_serializing_if = "Option::is_none"
    )]
    pub instructions: Option<String>,
    /// Fields the daycare does not read, passed on unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Child {
    #[serde(rename = "firstName")]
    pub first_name: String,
    #[serde(rename = "lastName")]
    pub last_name: String,
    #[serde(rename = "dateOfBirth")]
    pub date_of_birth: NaiveDate,
    /// Set by checkAgeRange: whole years on the start date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One parent (or guardian), under the role the document lists them by ("mother").
/// A parent may be incomplete as long as another one is complete.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parent {
    #[serde(skip)]
    pub role: String,
    #[serde(rename = "firstName", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(rename = "lastName", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn parents_by_role<S: Serializer>(parents: &[Parent], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(parents.len()))?;
    for parent in parents {
        map.serialize_entry(&parent.role, parent)?;
    }
    map.end()
}

impl Child {
    /// "First Last".
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

impl Registration {
    /// The registration as JSON text (the tutorial's `body`).
    pub fn to_json(&self) -> String {
        // Serialising plain strings, numbers and maps cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A registration from a JSON object that has its shape, without checking any rule
    /// (see `check_information` for that): `Err` names what is missing or mistyped.
    pub fn from_object(mut object: Map<String, Value>) -> Result<Registration, String> {
        let child = match object.shift_remove("child") {
            Some(Value::Object(child)) => Child::from_object(child)?,
            _ => return Err(NO_CHILD.into()),
        };
        let parents = match object.shift_remove("parents") {
            Some(Value::Object(parents)) => parents
                .into_iter()
                .filter(|(_, parent)| !parent.is_null())
                .map(|(role, parent)| match parent {
                    Value::Object(fields) => Parent::from_object(role, fields),
                    _ => Err(format!(
                        "the parent \"{}\" is not an object",
                        crate::text::quote(&role, super::limits::ROLE)
                    )),
                })
                .collect::<Result<_, _>>()?,
            None | Some(Value::Null) => Vec::new(),
            Some(_) => return Err("the registration's parents are not an object".into()),
        };
        let days = match object.shift_remove("daysOfWeek") {
            Some(Value::Array(days)) => days
                .iter()
                .map(|d| d.as_str().and_then(weekday::parse))
                .collect::<Option<Vec<_>>>()
                .filter(|days| !days.is_empty()),
            _ => None,
        }
        .ok_or("the registration has no daysOfWeek")?;
        let instructions = match object.shift_remove("specialInstructions") {
            Some(Value::String(text)) => Some(text),
            None | Some(Value::Null) => None,
            Some(_) => return Err("the special instructions are not text".into()),
        };
        Ok(Registration {
            child,
            parents,
            days,
            instructions,
            extra: object,
        })
    }

    /// A registration from its JSON text (a hand-over's `body`).
    pub fn from_json(text: &str) -> Result<Registration, String> {
        match serde_json::from_str(text) {
            Ok(Value::Object(object)) => Registration::from_object(object),
            _ => Err("the registration is not a JSON object".into()),
        }
    }
}

const NO_CHILD: &str =
    "the registration has no child with firstName, lastName and dateOfBirth (YYYY-MM-DD)";

impl Child {
    fn from_object(mut object: Map<String, Value>) -> Result<Child, String> {
        let mut text = |key: &str| match object.shift_remove(key) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        };
        let (first, last, born) = (text("firstName"), text("lastName"), text("dateOfBirth"));
        let born = born.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let (Some(first_name), Some(last_name), Some(date_of_birth)) = (first, last, born) else {
            return Err(NO_CHILD.into());
        };
        let age = object
            .remove("age")
            .and_then(|a| a.as_u64())
            .and_then(|a| u32::try_from(a).ok());
        Ok(Child {
            first_name,
            last_name,
            date_of_birth,
            age,
            extra: object,
        })
    }
}

impl Parent {
    fn from_object(role: String, mut object: Map<String, Value>) -> Result<Parent, String> {
        let mut text = |key: &str| match object.shift_remove(key) {
            Some(Value::String(text)) => Ok(Some(text)),
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(format!("the {role}'s {key} is not text")),
        };
        Ok(Parent {
            first_name: text("firstName")?,
            last_name: text("lastName")?,
            email: text("email")?,
            phone: text("phone")?,
            extra: object,
            role,
        })
    }
}

/// A registration confirmRegistration kept: the registration with the child's age, the
/// fees and the start date it derived. Serialises as the registration with `fees` and
/// `start_date` after its other fields, as the tutorial's confirmation does.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirmed {
    pub registration: Registration,
    pub age: u32,
    pub fees: u32,
    pub start_date: NaiveDate,
}

impl Confirmed {
    /// `registration` confirmed at `age` with `fees` from `start_date`; any age, fees or
    /// start date it claimed is replaced.
    pub fn new(mut registration: Registration, age: u32, fees: u32, start: NaiveDate) -> Self {
        registration.child.age = Some(age);
        registration.extra.shift_remove("fees");
        registration.extra.shift_remove("start_date");
        Confirmed {
            registration,
            age,
            fees,
            start_date: start,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Serialize for Confirmed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape<'a> {
            #[serde(flatten)]
            registration: &'a Registration,
            fees: u32,
            start_date: String,
        }
        Shape {
            registration: &self.registration,
            fees: self.fees,
            start_date: self.start_date.to_string(),
        }
        .serialize(s)
    }
}

/// The tutorial's hand-over between tasks: `{"statusCode": 200, "body": "<registration>"}`.
pub mod handover {
    use serde_json::{Value, json};

    /// The status a task hands a registration on with.
    pub const OK: u16 = 200;

    /// `body` handed on: `{"statusCode": 200, "body": body}`.
    pub fn accept(body: String) -> Value {
        json!({"statusCode": OK, "body": body})
    }

    /// The body a task was handed, when it was handed a registration to go on with.
    pub fn body(input: &Value) -> Option<&str> {
        input.get("body").and_then(Value::as_str)
    }

    /// The registration inside a hand-over, or the document itself: the workflow's
    /// input wraps it in `registration_info`, and a task's output carries it as `body`.
    pub fn unwrap(document: &Value) -> std::borrow::Cow<'_, Value> {
        if let Some(body) = body(document)
            && let Ok(inner) = serde_json::from_str::<Value>(body)
        {
            return std::borrow::Cow::Owned(super::into_inner(inner));
        }
        std::borrow::Cow::Borrowed(super::inner(document))
    }
}

/// The key the workflow's input holds the registration under.
pub const INFO: &str = "registration_info";

/// The registration a workflow input holds (`{"registration_info": …}`), or the document
/// itself when it is the registration already.
pub fn inner(document: &Value) -> &Value {
    document.get(INFO).unwrap_or(document)
}

/// `inner`, taking the document.
pub fn into_inner(document: Value) -> Value {
    match document {
        Value::Object(mut top) => match top.remove(INFO) {
            Some(info) => info,
            None => Value::Object(top),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::samples::tutorial;
    use serde_json::json;

    #[test]
    fn the_tutorial_document_round_trips_in_its_order() {
        let info = tutorial()[INFO].clone();
        let Value::Object(object) = info.clone() else {
            panic!("an object")
        };
        let registration = Registration::from_object(object).unwrap();
        assert_eq!(registration.child.first_name, "Mohamed");
        assert_eq!(registration.parents.len(), 2);
        assert_eq!(registration.parents[0].role, "mother");
        assert_eq!(registration.days.len(), 5);
        assert_eq!(registration.to_json(), info.to_string());
    }

    #[test]
    fn unknown_fields_are_kept_in_their_order() {
        let info = json!({
            "child": {"firstName": "A", "lastName": "B", "dateOfBirth": "2023-01-01", "nickname": "Bee"},
            "parents": {"guardian": {"firstName": "C", "lastName": "B", "phone": "123456", "note": 1}},
            "daysOfWeek": ["Monday"],
            "zeta": 1,
            "alpha": [2],
        });
        let Value::Object(object) = info.clone() else {
            panic!("an object")
        };
        let registration = Registration::from_object(object).unwrap();
        assert_eq!(
            registration.extra.keys().collect::<Vec<_>>(),
            ["zeta", "alpha"]
        );
        assert_eq!(registration.to_json(), info.to_string());
    }

    #[test]
    fn a_confirmation_replaces_what_was_claimed() {
        let mut info = tutorial()[INFO].clone();
        info["fees"] = json!(1);
        info["start_date"] = json!("1999-01-01");
        info["child"]["age"] = json!(99);
        let Value::Object(object) = info else {
            panic!("an object")
        };
        let registration = Registration::from_object(object).unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 9, 15).unwrap();
        let confirmed = Confirmed::new(registration, 3, 750, start);
        let out: Value = serde_json::from_str(&confirmed.to_json()).unwrap();
        assert_eq!(out["fees"], 750);
        assert_eq!(out["start_date"], "2026-09-15");
        assert_eq!(out["child"]["age"], 3);
        let keys: Vec<_> = out.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "child",
                "parents",
                "daysOfWeek",
                "specialInstructions",
                "fees",
                "start_date"
            ]
        );
    }

    #[test]
    fn what_lacks_the_shape_is_named() {
        let no_child = Registration::from_json(r#"{"daysOfWeek": ["Mon"]}"#);
        assert!(no_child.unwrap_err().contains("no child"));
        let no_days = Registration::from_json(
            r#"{"child": {"firstName": "A", "lastName": "B", "dateOfBirth": "2023-01-01"}}"#,
        );
        assert!(no_days.unwrap_err().contains("daysOfWeek"));
        assert!(Registration::from_json("nope").is_err());
    }

    #[test]
    fn a_handover_is_unwrapped_in_one_place() {
        let document = tutorial();
        let inner = handover::unwrap(&document);
        assert_eq!(inner["child"]["firstName"], "Mohamed");
        let handed = handover::accept(inner.to_string());
        assert_eq!(handover::unwrap(&handed)["child"]["firstName"], "Mohamed");
    }
}
