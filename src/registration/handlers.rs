//! The four task handlers behind `data/registration.asl.json`, with the tutorial's Lambda
//! contract: `{"statusCode": 200, "body": "<JSON-encoded registration>"}` to go on, or
//! `{"statusCode": 400, "body": "<sentence for staff>"}` to stop; 409 stops a child
//! already enrolled, and 422 a registration handed to confirmRegistration that does not
//! pass checkInformation's rules and the age range. No terminal, no SQL.

use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{NaiveDate, Weekday};
use serde_json::{Value, json};

use super::Clock;
use super::information::{check_information, problems_message};
use super::rules::{AGES, age_on, age_refusal, fees_for, parse_weekday, spots_refusal};
use crate::store::{Confirmation, NewRegistration, Store};
use crate::workflow::{TaskContext, TaskFailure, TaskHandler};

/// Task handlers by name.
pub type Handlers = Vec<(&'static str, Arc<dyn TaskHandler>)>;

/// The handlers by the function names the definition's Lambda ARNs end with.
pub fn handlers(store: &Arc<Mutex<Store>>, clock: Clock) -> Handlers {
    let shared = Shared {
        store: Arc::clone(store),
        clock,
        handed_on: Arc::default(),
    };
    vec![
        (
            "checkInformation",
            Arc::new(CheckInformation(shared.clone())),
        ),
        ("checkAgeRange", Arc::new(CheckAgeRange(shared.clone()))),
        (
            "checkSpotsAvailability",
            Arc::new(CheckSpotsAvailability(shared.clone())),
        ),
        ("confirmRegistration", Arc::new(ConfirmRegistration(shared))),
    ]
}

#[derive(Clone)]
struct Shared {
    store: Arc<Mutex<Store>>,
    clock: Clock,
    handed_on: Arc<HandedOn>,
}

impl Shared {
    fn store(&self) -> Result<MutexGuard<'_, Store>, TaskFailure> {
        self.store.lock().map_err(|_| {
            failure(
                "DatabaseError",
                "the database connection was lost after an earlier failure; restart daycare",
            )
        })
    }
}

struct CheckInformation(Shared);
struct CheckAgeRange(Shared);
struct CheckSpotsAvailability(Shared);
struct ConfirmRegistration(Shared);

fn failure(error: &str, cause: impl Into<String>) -> TaskFailure {
    TaskFailure {
        error: error.to_string(),
        cause: cause.into(),
    }
}

fn database(e: crate::store::StoreError) -> TaskFailure {
    failure("DatabaseError", e.to_string())
}

fn accept(registration: &Value) -> Value {
    json!({"statusCode": 200, "body": registration.to_string()})
}

/// The registration a handler last handed on, beside the text it handed on as `body`.
///
/// Each handler receives the registration as JSON text and parses it, the costliest
/// part of most of them. When the text a handler receives is exactly the text the
/// previous one handed on, the registration it came from is taken from here instead:
/// parsing that text would give the same registration back. Any other text (another
/// execution's in between, or a registration edited on the way) is parsed as usual,
/// so what a handler sees never depends on this.
#[derive(Default)]
struct HandedOn(Mutex<Option<(String, Value)>>);

impl HandedOn {
    /// `accept`, keeping the registration for the next handler.
    fn accept(&self, registration: Value) -> Value {
        let body = registration.to_string();
        let output = json!({"statusCode": 200, "body": body.clone()});
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((body, registration));
        }
        output
    }

    /// The registration carried, JSON-encoded, in the previous step's `body`.
    fn decode(&self, input: &Value) -> Result<Value, TaskFailure> {
        let body = input.get("body").and_then(Value::as_str);
        if let Some(body) = body
            && let Ok(mut slot) = self.0.lock()
            && slot.as_ref().is_some_and(|(text, _)| text == body)
            && let Some((_, registration)) = slot.take()
        {
            return Ok(registration);
        }
        body.and_then(|body| serde_json::from_str::<Value>(body).ok())
            .filter(Value::is_object)
            .ok_or_else(|| {
                failure(
                    "InvalidInput",
                    "expected {\"statusCode\": 200, \"body\": \"<JSON-encoded registration>\"} from the previous step",
                )
            })
    }
}

/// The tutorial's refusal: the step's own reason (no spot, age out of range, …).
const REFUSED: u16 = 400;
/// The child is already enrolled (the definition's `AlreadyEnrolled`).
const ALREADY_ENROLLED: u16 = 409;
/// confirmRegistration was handed a registration that does not pass the checks.
const INVALID: u16 = 422;

fn refuse(message: String) -> Value {
    refuse_as(REFUSED, message)
}

fn refuse_as(status: u16, message: String) -> Value {
    json!({"statusCode": status, "body": message})
}

/// The child's names and date of birth, as checkInformation left them.
struct Child {
    first: String,
    last: String,
    born: NaiveDate,
}

impl Child {
    fn of(registration: &Value) -> Result<Child, TaskFailure> {
        let child = &registration["child"];
        let text = |key: &str| child[key].as_str().map(str::to_string);
        let born = text("dateOfBirth").and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        match (text("firstName"), text("lastName"), born) {
            (Some(first), Some(last), Some(born)) => Ok(Child { first, last, born }),
            _ => Err(failure(
                "InvalidInput",
                "the registration has no child with firstName, lastName and dateOfBirth (YYYY-MM-DD)",
            )),
        }
    }

    fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

fn days_of(registration: &Value) -> Result<Vec<Weekday>, TaskFailure> {
    registration["daysOfWeek"]
        .as_array()
        .map(|days| {
            days.iter()
                .filter_map(|d| d.as_str().and_then(parse_weekday))
                .collect::<Vec<_>>()
        })
        .filter(|days| !days.is_empty())
        .ok_or_else(|| failure("InvalidInput", "the registration has no daysOfWeek"))
}

/// The refusal naming full and closed days.
fn no_spots(store: &Store, child: &Child, full: &[Weekday]) -> Result<Value, TaskFailure> {
    let spots = store.spots().map_err(database)?;
    let days: Vec<(Weekday, bool)> = full
        .iter()
        .map(|d| (*d, spots.iter().any(|s| s.day == *d && s.closed())))
        .collect();
    Ok(refuse(spots_refusal(&child.name(), &days)))
}

fn already_enrolled(child: &Child, id: i64) -> Value {
    refuse_as(
        ALREADY_ENROLLED,
        format!(
            "{} (born {}) is already enrolled: registration {id}.",
            child.name(),
            child.born
        ),
    )
}

#[async_trait]
impl TaskHandler for CheckInformation {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let registration = match check_information(input, self.0.clock.today()) {
            Ok(registration) => registration,
            Err(problems) => return Ok(refuse(problems_message(&problems))),
        };
        let child = Child::of(&registration)?;
        let enrolled = self
            .0
            .store()?
            .find_enrolled(&child.first, &child.last, child.born)
            .map_err(database)?;
        Ok(match enrolled {
            Some(id) => already_enrolled(&child, id),
            None => self.0.handed_on.accept(registration),
        })
    }
}

#[async_trait]
impl TaskHandler for CheckAgeRange {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let mut registration = self.0.handed_on.decode(&input)?;
        let child = Child::of(&registration)?;
        let start = self.0.clock.start_date();
        let age = age_on(child.born, start);
        if !AGES.contains(&age) {
            return Ok(refuse(age_refusal(&child.name(), age, start)));
        }
        registration["child"]["age"] = json!(age);
        Ok(self.0.handed_on.accept(registration))
    }
}

#[async_trait]
impl TaskHandler for CheckSpotsAvailability {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let registration = self.0.handed_on.decode(&input)?;
        let child = Child::of(&registration)?;
        let days = days_of(&registration)?;
        let store = self.0.store()?;
        let full = store.unavailable_days(&days).map_err(database)?;
        if full.is_empty() {
            drop(store);
            Ok(self.0.handed_on.accept(registration))
        } else {
            no_spots(&store, &child, &full)
        }
    }
}

#[async_trait]
impl TaskHandler for ConfirmRegistration {
    async fn invoke(&self, input: Value, context: TaskContext) -> Result<Value, TaskFailure> {
        let handed_on = self.0.handed_on.decode(&input)?;
        let (registration, new) = match self.rechecked(handed_on, context.execution_name)? {
            Ok(checked) => checked,
            Err(refusal) => return Ok(refusal),
        };
        let child = Child::of(&registration)?;
        let mut store = self.0.store()?;
        match store.confirm(&new).map_err(database)? {
            Confirmation::Confirmed(_) => Ok(accept(&registration)),
            Confirmation::Unavailable(full) => no_spots(&store, &child, &full),
            Confirmation::AlreadyEnrolled(id) => Ok(already_enrolled(&child, id)),
        }
    }
}

impl ConfirmRegistration {
    /// The registration as it is to be kept, re-derived from what it was handed rather
    /// than trusted: checked again with checkInformation's rules, the age computed from
    /// the date of birth on the start date and kept within the range, the fees from that
    /// age. Whatever age, fees or start date an earlier step claimed is replaced. `Ok(Err)`
    /// is the refusal (422) when the registration does not pass.
    fn rechecked(
        &self,
        handed_on: Value,
        execution_name: String,
    ) -> Result<Result<(Value, NewRegistration), Value>, TaskFailure> {
        let clock = self.0.clock;
        let mut registration = match check_information(handed_on, clock.today()) {
            Ok(registration) => registration,
            Err(problems) => return Ok(Err(refuse_as(INVALID, problems_message(&problems)))),
        };
        let child = Child::of(&registration)?;
        let days = days_of(&registration)?;
        let start = clock.start_date();
        let age = age_on(child.born, start);
        let Some(fees) = fees_for(age).filter(|_| AGES.contains(&age)) else {
            return Ok(Err(refuse_as(
                INVALID,
                age_refusal(&child.name(), age, start),
            )));
        };
        registration["child"]["age"] = json!(age);
        if let Some(fields) = registration.as_object_mut() {
            fields.insert("fees".into(), json!(fees));
            fields.insert("start_date".into(), json!(start.to_string()));
        }
        let new = NewRegistration {
            first_name: child.first,
            last_name: child.last,
            date_of_birth: child.born,
            days,
            age,
            fees,
            start_date: start,
            execution_name,
            document: registration.clone(),
        };
        Ok(Ok((registration, new)))
    }
}

#[cfg(test)]
mod tests;
