//! The four task handlers behind `data/registration.asl.json`, with the tutorial's Lambda
//! contract: `{"statusCode": 200, "body": "<JSON-encoded registration>"}` to go on, or
//! `{"statusCode": 400, "body": "<sentence for staff>"}` to stop; 409 stops a child
//! already enrolled, and 422 a registration handed to confirmRegistration that does not
//! pass checkInformation's rules and the age range. No terminal, no SQL.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::Weekday;
use serde_json::{Value, json};

use super::Clock;
use super::document::{Child, Confirmed, Registration, handover};
use super::information::{check_information, problems_message};
use super::rules::{AGES, age_on, age_refusal, fees_for, spots_refusal};
use crate::store::{Confirmation, NewRegistration, Store};
use crate::workflow::{TaskContext, TaskFailure, TaskHandler};

/// Task handlers by name.
pub type Handlers = Vec<(&'static str, Arc<dyn TaskHandler>)>;

/// The handlers by the function names the definition's Lambda ARNs end with.
pub fn handlers(store: &Arc<Mutex<Store>>, clock: Clock) -> Handlers {
    handlers_keeping(store, clock, &Arc::default())
}

/// `handlers`, leaving each registration confirmRegistration keeps in `confirmed` for
/// whoever ran its execution (the desk) to take.
pub(super) fn handlers_keeping(
    store: &Arc<Mutex<Store>>,
    clock: Clock,
    confirmed: &Arc<Confirmations>,
) -> Handlers {
    let shared = Shared {
        store: Arc::clone(store),
        clock,
        handed_on: Arc::default(),
        confirmed: Arc::clone(confirmed),
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
    confirmed: Arc<Confirmations>,
}

impl Shared {
    fn store(&self) -> Result<MutexGuard<'_, Store>, TaskFailure> {
        lock(&self.store)
    }
}

/// The store, for a handler: a poisoned lock fails the task as a database error.
pub(super) fn lock(store: &Mutex<Store>) -> Result<MutexGuard<'_, Store>, TaskFailure> {
    store.lock().map_err(|_| {
        failure(
            "DatabaseError",
            "the database connection was lost after an earlier failure; restart daycare",
        )
    })
}

struct CheckInformation(Shared);
struct CheckAgeRange(Shared);
struct CheckSpotsAvailability(Shared);
struct ConfirmRegistration(Shared);

pub(super) fn failure(error: &str, cause: impl Into<String>) -> TaskFailure {
    TaskFailure {
        error: error.to_string(),
        cause: cause.into(),
    }
}

pub(super) fn database(e: crate::store::StoreError) -> TaskFailure {
    failure("DatabaseError", e.to_string())
}

/// The registration a handler last handed on, beside the text it handed on as `body`.
///
/// Each handler receives the registration as JSON text, and reading it is the costliest
/// part of most of them. When the text a handler receives is exactly the text the
/// previous one handed on, the registration it came from is taken from here instead:
/// reading that text would give the same registration back. Any other text (another
/// execution's in between, or a registration edited on the way) is read as usual, so
/// what a handler sees never depends on this.
#[derive(Default)]
struct HandedOn(Mutex<Option<Handed>>);

/// What a handler handed on.
struct Handed {
    body: String,
    registration: Registration,
    /// Whether `registration` is what checkInformation made of a document: true only
    /// along a chain of handlers from checkInformation's output, each taking it from
    /// here; a registration read from text is not known to be checked.
    checked: Checked,
}

/// Whether a registration passed checkInformation's rules on its way here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checked {
    Yes,
    Unknown,
}

impl HandedOn {
    /// The registration handed on as the body of `{"statusCode": 200, "body": …}`,
    /// kept for the next handler.
    fn accept(&self, registration: Registration, checked: Checked) -> Value {
        let body = registration.to_json();
        let output = handover::accept(body.clone());
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(Handed {
                body,
                registration,
                checked,
            });
        }
        output
    }

    /// The registration carried, JSON-encoded, in the previous step's `body`.
    fn decode(&self, input: &Value) -> Result<(Registration, Checked), TaskFailure> {
        let Some(body) = handover::body(input) else {
            return Err(failure("InvalidInput", EXPECTED));
        };
        if let Ok(mut slot) = self.0.lock()
            && slot.as_ref().is_some_and(|handed| handed.body == body)
            && let Some(handed) = slot.take()
        {
            return Ok((handed.registration, handed.checked));
        }
        match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(object)) => Registration::from_object(object)
                .map(|registration| (registration, Checked::Unknown))
                .map_err(|e| failure("InvalidInput", e)),
            _ => Err(failure("InvalidInput", EXPECTED)),
        }
    }
}

const EXPECTED: &str = "expected {\"statusCode\": 200, \"body\": \"<JSON-encoded registration>\"} from the previous step";

/// Registrations confirmRegistration kept, by execution name, until the desk that ran the
/// execution takes its own: so the desk reports the fees and start date without reading
/// them back out of the output. Holds the last few only: an execution run by anyone else
/// (another definition naming the same task) is never taken and soon dropped.
#[derive(Default)]
pub(super) struct Confirmations(Mutex<VecDeque<(String, Confirmed)>>);

impl Confirmations {
    const KEPT: usize = 32;

    fn put(&self, execution: String, confirmed: Confirmed) {
        if let Ok(mut kept) = self.0.lock() {
            if kept.len() == Self::KEPT {
                kept.pop_front();
            }
            kept.push_back((execution, confirmed));
        }
    }

    /// The registration the execution named `execution` confirmed, if it is still here.
    pub(super) fn take(&self, execution: &str) -> Option<Confirmed> {
        let mut kept = self.0.lock().ok()?;
        let at = kept.iter().rposition(|(name, _)| name == execution)?;
        kept.remove(at).map(|(_, confirmed)| confirmed)
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

pub(super) fn refuse_as(status: u16, message: String) -> Value {
    json!({"statusCode": status, "body": message})
}

/// The refusal naming full and closed days.
pub(super) fn no_spots(store: &Store, child: &str, full: &[Weekday]) -> Result<Value, TaskFailure> {
    let spots = store.spots().map_err(database)?;
    let days: Vec<(Weekday, bool)> = full
        .iter()
        .map(|d| (*d, spots.iter().any(|s| s.day == *d && s.closed())))
        .collect();
    Ok(refuse(spots_refusal(child, &days)))
}

fn already_enrolled(child: &Child, id: i64) -> Value {
    refuse_as(
        ALREADY_ENROLLED,
        format!(
            "{} (born {}) is already enrolled: registration {id}.",
            child.name(),
            child.date_of_birth
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
        let child = &registration.child;
        let enrolled = self
            .0
            .store()?
            .find_enrolled(&child.first_name, &child.last_name, child.date_of_birth)
            .map_err(database)?;
        Ok(match enrolled {
            Some(id) => already_enrolled(child, id),
            None => self.0.handed_on.accept(registration, Checked::Yes),
        })
    }
}

#[async_trait]
impl TaskHandler for CheckAgeRange {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let (mut registration, checked) = self.0.handed_on.decode(&input)?;
        let start = self.0.clock.start_date();
        let age = age_on(registration.child.date_of_birth, start);
        if !AGES.contains(&age) {
            return Ok(refuse(age_refusal(&registration.child.name(), age, start)));
        }
        registration.child.age = Some(age);
        Ok(self.0.handed_on.accept(registration, checked))
    }
}

#[async_trait]
impl TaskHandler for CheckSpotsAvailability {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let (registration, checked) = self.0.handed_on.decode(&input)?;
        let store = self.0.store()?;
        let full = store
            .unavailable_days(&registration.days, self.0.clock.start_date())
            .map_err(database)?;
        if full.is_empty() {
            drop(store);
            Ok(self.0.handed_on.accept(registration, checked))
        } else {
            no_spots(&store, &registration.child.name(), &full)
        }
    }
}

#[async_trait]
impl TaskHandler for ConfirmRegistration {
    async fn invoke(&self, input: Value, context: TaskContext) -> Result<Value, TaskFailure> {
        let (handed_on, checked) = self.0.handed_on.decode(&input)?;
        let confirmed = match self.rechecked(handed_on, checked) {
            Ok(confirmed) => confirmed,
            Err(refusal) => return Ok(refusal),
        };
        let body = confirmed.to_json();
        let child = &confirmed.registration.child;
        let new = NewRegistration {
            first_name: child.first_name.clone(),
            last_name: child.last_name.clone(),
            date_of_birth: child.date_of_birth,
            days: confirmed.registration.days.clone(),
            age: confirmed.age,
            fees: confirmed.fees,
            start_date: confirmed.start_date,
            execution_name: context.execution_name.clone(),
            document: body.clone(),
        };
        let mut store = self.0.store()?;
        match store.confirm(&new).map_err(database)? {
            Confirmation::Confirmed(_) => {
                drop(store);
                self.0.confirmed.put(context.execution_name, confirmed);
                Ok(handover::accept(body))
            }
            Confirmation::Unavailable(full) => no_spots(&store, &child.name(), &full),
            Confirmation::AlreadyEnrolled(id) => Ok(already_enrolled(child, id)),
        }
    }
}

impl ConfirmRegistration {
    /// The registration as it is to be kept, re-derived from what it was handed rather
    /// than trusted: checked again with checkInformation's rules unless it comes straight
    /// from checkInformation's own output (`Checked::Yes`), the age computed from the date
    /// of birth on the start date and kept within the range, the fees from that age.
    /// Whatever age, fees or start date an earlier step claimed is replaced. `Err` is the
    /// refusal (422) when the registration does not pass.
    fn rechecked(&self, handed_on: Registration, checked: Checked) -> Result<Confirmed, Value> {
        let clock = self.0.clock;
        let registration = match checked {
            Checked::Yes => handed_on,
            Checked::Unknown => {
                let document = serde_json::to_value(&handed_on).unwrap_or_default();
                check_information(document, clock.today())
                    .map_err(|problems| refuse_as(INVALID, problems_message(&problems)))?
            }
        };
        let start = clock.start_date();
        let age = age_on(registration.child.date_of_birth, start);
        let Some(fees) = fees_for(age).filter(|_| AGES.contains(&age)) else {
            return Err(refuse_as(
                INVALID,
                age_refusal(&registration.child.name(), age, start),
            ));
        };
        Ok(Confirmed::new(registration, age, fees, start))
    }
}

#[cfg(test)]
mod tests;
