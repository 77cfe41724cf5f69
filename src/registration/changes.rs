//! The task handlers behind `data/amendment.asl.json` and `data/withdrawal.asl.json`,
//! with the registration workflow's contract (`{"statusCode", "body"}`): an amendment
//! is checked with checkInformation's own rules on the changed registration, the days
//! it adds are checked for spots, and the change is proposed to the store, which holds
//! it until the execution closes (see `store/changes.rs`). No terminal, no SQL.

use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{NaiveDate, Weekday};
use serde_json::{Map, Value, json};

use super::Clock;
use super::document::{Registration, handover};
use super::handlers::{Handlers, database, failure, lock, no_spots, refuse_as};
use super::information::{check_information, problems_message};
use crate::store::{
    self, ChangeWhat, NewChange, Proposal, RegistrationStatus, Store, document_version,
};
use crate::weekday;
use crate::workflow::{TaskContext, TaskFailure, TaskHandler};

/// The fields an amendment may change, as the registration document names them.
pub const CHANGEABLE: [&str; 3] = ["daysOfWeek", "parents", "specialInstructions"];

/// The longest withdrawal reason kept, in characters.
pub const REASON: usize = 500;

const REFUSED: u16 = 400;
const NOT_CHANGEABLE: u16 = 404;
const CONFLICT: u16 = 409;

/// The handlers by the function names the two definitions' Lambda ARNs end with.
pub(super) fn handlers(store: &Arc<Mutex<Store>>, clock: Clock) -> Handlers {
    let shared = Shared {
        store: Arc::clone(store),
        clock,
    };
    vec![
        ("checkAmendment", Arc::new(CheckAmendment(shared.clone()))),
        ("checkAddedDays", Arc::new(CheckAddedDays(shared.clone()))),
        ("applyAmendment", Arc::new(ApplyAmendment(shared.clone()))),
        ("checkWithdrawal", Arc::new(CheckWithdrawal(shared.clone()))),
        ("applyWithdrawal", Arc::new(ApplyWithdrawal(shared))),
    ]
}

/// The workflow input of an amendment: `{"amendment": {registrationId, changes, staff}}`.
pub fn amendment_input(registration_id: i64, changes: &Map<String, Value>, staff: &str) -> Value {
    json!({"amendment": {"registrationId": registration_id, "changes": changes, "staff": staff}})
}

/// The workflow input of a withdrawal: `{"withdrawal": {registrationId, reason,
/// effectiveDate, staff}}`.
pub fn withdrawal_input(registration_id: i64, reason: &str, on: NaiveDate, staff: &str) -> Value {
    json!({"withdrawal": {
        "registrationId": registration_id,
        "reason": reason,
        "effectiveDate": on.to_string(),
        "staff": staff,
    }})
}

/// The changes an amendment document asks for, checked for their keys only (their
/// values are checked as part of the changed registration): `Err` says what is wrong.
pub fn changes_from(document: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(changes) = document else {
        return Err(format!(
            "a change must be a JSON object of the fields to change ({})",
            CHANGEABLE.join(", ")
        ));
    };
    if let Some(key) = changes.keys().find(|k| !CHANGEABLE.contains(&k.as_str())) {
        return Err(format!(
            "\"{}\" cannot be changed; a change may set {}",
            crate::text::quote(key, super::limits::QUOTED),
            CHANGEABLE.join(", ")
        ));
    }
    if changes.is_empty() {
        return Err(format!(
            "nothing to change: give at least one of {}",
            CHANGEABLE.join(", ")
        ));
    }
    Ok(changes)
}

#[derive(Clone)]
struct Shared {
    store: Arc<Mutex<Store>>,
    clock: Clock,
}

impl Shared {
    fn store(&self) -> Result<MutexGuard<'_, Store>, TaskFailure> {
        lock(&self.store)
    }

    /// The enrolled registration `id`, or the 404 refusal saying why it cannot change.
    fn changeable(&self, id: i64, withdrawing: bool) -> Result<store::Registration, Value> {
        let found = self.store().map_err(|f| refuse_as(REFUSED, f.cause))?;
        let found = found
            .registration(id)
            .map_err(|e| refuse_as(REFUSED, e.to_string()))?;
        let Some(registration) = found else {
            return Err(refuse_as(
                NOT_CHANGEABLE,
                format!("There is no registration {id}."),
            ));
        };
        let today = self.clock.today();
        if !registration.enrolled_on(today) {
            return Err(refuse_as(
                NOT_CHANGEABLE,
                format!(
                    "{} (registration {id}) is withdrawn; a withdrawn child's record is kept as it was.",
                    registration.child()
                ),
            ));
        }
        if withdrawing && let Some(on) = registration.leaves_on {
            return Err(refuse_as(
                NOT_CHANGEABLE,
                format!(
                    "{} (registration {id}) is already withdrawn from {on}.",
                    registration.child()
                ),
            ));
        }
        debug_assert!(registration.status == RegistrationStatus::Enrolled);
        Ok(registration)
    }
}

struct CheckAmendment(Shared);
struct CheckAddedDays(Shared);
struct ApplyAmendment(Shared);
struct CheckWithdrawal(Shared);
struct ApplyWithdrawal(Shared);

/// The JSON object a previous task of the same workflow handed on as `body`.
fn handed_on(input: &Value, expected: &str) -> Result<Value, TaskFailure> {
    let expected = || failure("InvalidInput", format!("expected {expected}"));
    let body = handover::body(input).ok_or_else(expected)?;
    serde_json::from_str(body).map_err(|_| expected())
}

/// What an amendment hands on between its tasks, as the `body` JSON text.
#[derive(Debug, Clone, PartialEq)]
struct Amended {
    registration_id: i64,
    staff: String,
    /// The kept registration before the change, and after it.
    before: Registration,
    after: Registration,
    based_on: String,
}

impl Amended {
    fn to_body(&self) -> Value {
        let value = |r: &Registration| serde_json::to_value(r).unwrap_or_default();
        handover::accept(
            json!({
                "registrationId": self.registration_id,
                "staff": self.staff,
                "before": value(&self.before),
                "after": value(&self.after),
                "addedDays": days(&self.added()),
                "removedDays": days(&self.removed()),
                "basedOn": self.based_on,
            })
            .to_string(),
        )
    }

    fn from_input(input: &Value) -> Result<Amended, TaskFailure> {
        const WHAT: &str = "the amendment checked by checkAmendment";
        let body = handed_on(input, WHAT)?;
        let expected = || failure("InvalidInput", format!("expected {WHAT}"));
        let registration = |key: &str| match body.get(key) {
            Some(Value::Object(o)) => Registration::from_object(o.clone()).map_err(|_| expected()),
            _ => Err(expected()),
        };
        Ok(Amended {
            registration_id: body["registrationId"].as_i64().ok_or_else(expected)?,
            staff: body["staff"].as_str().unwrap_or("unknown").to_string(),
            before: registration("before")?,
            after: registration("after")?,
            based_on: body["basedOn"].as_str().ok_or_else(expected)?.to_string(),
        })
    }

    fn added(&self) -> Vec<Weekday> {
        let before = self.before.days.clone();
        self.after
            .days
            .iter()
            .copied()
            .filter(|d| !before.contains(d))
            .collect()
    }

    fn removed(&self) -> Vec<Weekday> {
        let after = self.after.days.clone();
        self.before
            .days
            .iter()
            .copied()
            .filter(|d| !after.contains(d))
            .collect()
    }

    /// The fields that changed, before and after, and one sentence for the audit.
    fn described(&self) -> (String, Value, Value) {
        let (b, a) = (&self.before, &self.after);
        let mut before = Map::new();
        let mut after = Map::new();
        let mut said = Vec::new();
        if b.days != a.days {
            before.insert("daysOfWeek".into(), days(&b.days));
            after.insert("daysOfWeek".into(), days(&a.days));
            said.push(format!(
                "days {} → {}",
                weekday::listed(&b.days),
                weekday::listed(&a.days)
            ));
        }
        let parents = |r: &Registration| {
            serde_json::to_value(r)
                .map(|v| v["parents"].clone())
                .unwrap_or_default()
        };
        if parents(b) != parents(a) {
            before.insert("parents".into(), parents(b));
            after.insert("parents".into(), parents(a));
            said.push("parents and contacts".into());
        }
        if b.instructions != a.instructions {
            before.insert("specialInstructions".into(), b.instructions.clone().into());
            after.insert("specialInstructions".into(), a.instructions.clone().into());
            said.push("special instructions".into());
        }
        let summary = format!("Changed {}", super::rules::join_and(&said));
        (summary, Value::Object(before), Value::Object(after))
    }
}

fn days(list: &[Weekday]) -> Value {
    list.iter()
        .map(|d| Value::from(weekday::name(*d)))
        .collect()
}

#[async_trait]
impl TaskHandler for CheckAmendment {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let request = &input["amendment"];
        let Some(id) = request["registrationId"].as_i64() else {
            return Ok(refuse_as(
                REFUSED,
                "The amendment names no registration (registrationId).".into(),
            ));
        };
        let changes = match changes_from(request["changes"].clone()) {
            Ok(changes) => changes,
            Err(message) => return Ok(refuse_as(REFUSED, capitalised(&message))),
        };
        let staff = request["staff"].as_str().unwrap_or("unknown").to_string();
        let kept = match self.0.changeable(id, false) {
            Ok(kept) => kept,
            Err(refusal) => return Ok(refusal),
        };
        let text = kept.document.to_string();
        let Value::Object(mut document) = kept.document.clone() else {
            return Err(failure(
                "InvalidInput",
                format!("registration {id} has no document"),
            ));
        };
        let before =
            Registration::from_object(document.clone()).map_err(|e| failure("InvalidInput", e))?;
        for (key, value) in changes {
            if value.is_null() {
                document.shift_remove(&key);
            } else {
                document.insert(key, value);
            }
        }
        let mut after = match check_information(Value::Object(document), self.0.clock.today()) {
            Ok(after) => after,
            Err(problems) => return Ok(refuse_as(REFUSED, problems_message(&problems))),
        };
        after.child.age = before.child.age;
        if after == before {
            return Ok(refuse_as(
                REFUSED,
                format!(
                    "Nothing changes: {}'s registration already says that.",
                    before.child.name()
                ),
            ));
        }
        let amended = Amended {
            registration_id: id,
            staff,
            before,
            after,
            based_on: document_version(&text),
        };
        Ok(amended.to_body())
    }
}

#[async_trait]
impl TaskHandler for CheckAddedDays {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let amended = Amended::from_input(&input)?;
        let added = amended.added();
        let store = self.0.store()?;
        let full = store
            .unavailable_days(&added, self.0.clock.today())
            .map_err(database)?;
        if full.is_empty() {
            return Ok(input);
        }
        no_spots(&store, &amended.after.child.name(), &full)
    }
}

#[async_trait]
impl TaskHandler for ApplyAmendment {
    async fn invoke(&self, input: Value, context: TaskContext) -> Result<Value, TaskFailure> {
        let amended = Amended::from_input(&input)?;
        let (summary, before, after) = amended.described();
        // The kept document is the confirmed one: its fees and start date come along
        // among the fields the change leaves alone.
        let document = serde_json::to_value(&amended.after).unwrap_or_default();
        let change = NewChange {
            execution_name: context.execution_name,
            registration_id: amended.registration_id,
            based_on: amended.based_on.clone(),
            what: ChangeWhat::Amend {
                days: amended.after.days.clone(),
                document: document.to_string(),
            },
            today: self.0.clock.today(),
            staff: amended.staff.clone(),
            summary,
            before,
            after,
        };
        let child = amended.after.child.name();
        let mut store = self.0.store()?;
        let proposal = store.propose_change(&change).map_err(database)?;
        match proposal {
            Proposal::Held => Ok(handover::accept(document.to_string())),
            Proposal::Unavailable(full) => no_spots(&store, &child, &full),
            other => Ok(not_held(other, amended.registration_id, &child)),
        }
    }
}

/// What a withdrawal hands on between its tasks.
struct Withdrawing {
    registration_id: i64,
    child: String,
    reason: String,
    on: NaiveDate,
    staff: String,
    based_on: String,
}

impl Withdrawing {
    fn to_body(&self) -> Value {
        handover::accept(
            json!({
                "registrationId": self.registration_id,
                "child": self.child,
                "reason": self.reason,
                "effectiveDate": self.on.to_string(),
                "staff": self.staff,
                "basedOn": self.based_on,
            })
            .to_string(),
        )
    }

    fn from_input(input: &Value) -> Result<Withdrawing, TaskFailure> {
        const WHAT: &str = "the withdrawal checked by checkWithdrawal";
        let body = handed_on(input, WHAT)?;
        let expected = || failure("InvalidInput", format!("expected {WHAT}"));
        let text = |key: &str| body[key].as_str().map(str::to_string).ok_or_else(expected);
        Ok(Withdrawing {
            registration_id: body["registrationId"].as_i64().ok_or_else(expected)?,
            child: text("child")?,
            reason: text("reason")?,
            on: text("effectiveDate")?.parse().map_err(|_| expected())?,
            staff: text("staff")?,
            based_on: text("basedOn")?,
        })
    }
}

#[async_trait]
impl TaskHandler for CheckWithdrawal {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let request = &input["withdrawal"];
        let Some(id) = request["registrationId"].as_i64() else {
            return Ok(refuse_as(
                REFUSED,
                "The withdrawal names no registration (registrationId).".into(),
            ));
        };
        let today = self.0.clock.today();
        let mut problems = Vec::new();
        let reason = request["reason"]
            .as_str()
            .map(str::trim)
            .unwrap_or_default();
        if reason.is_empty() {
            problems.push("the reason is missing: say why the child leaves".to_string());
        } else if reason.chars().count() > REASON {
            problems.push(format!("the reason is longer than {REASON} characters"));
        } else if reason.chars().any(|c| c.is_control() && c != '\n') {
            problems.push("the reason holds control characters".to_string());
        }
        let on = match &request["effectiveDate"] {
            Value::Null => Some(today),
            Value::String(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(on) if on < today => {
                    problems.push(format!(
                        "the withdrawal date {on} is in the past; it can be today ({today}) or later"
                    ));
                    None
                }
                Ok(on) => Some(on),
                Err(_) => {
                    problems.push(format!(
                        "the withdrawal date \"{}\" is not a date like {today}",
                        crate::text::quote(text, super::limits::QUOTED)
                    ));
                    None
                }
            },
            _ => {
                problems.push(format!("the withdrawal date is not a date like {today}"));
                None
            }
        };
        if !problems.is_empty() {
            return Ok(refuse_as(
                REFUSED,
                capitalised(&format!("{}.", problems.join("; "))),
            ));
        }
        let kept = match self.0.changeable(id, true) {
            Ok(kept) => kept,
            Err(refusal) => return Ok(refusal),
        };
        Ok(Withdrawing {
            registration_id: id,
            child: kept.child(),
            reason: reason.to_string(),
            on: on.unwrap_or(today),
            staff: request["staff"].as_str().unwrap_or("unknown").to_string(),
            based_on: document_version(&kept.document.to_string()),
        }
        .to_body())
    }
}

#[async_trait]
impl TaskHandler for ApplyWithdrawal {
    async fn invoke(&self, input: Value, context: TaskContext) -> Result<Value, TaskFailure> {
        let w = Withdrawing::from_input(&input)?;
        let today = self.0.clock.today();
        let summary = if w.on == today {
            format!("Withdrawn: {}", w.reason)
        } else {
            format!("Withdrawn from {}: {}", w.on, w.reason)
        };
        let change = NewChange {
            execution_name: context.execution_name,
            registration_id: w.registration_id,
            based_on: w.based_on.clone(),
            what: ChangeWhat::Withdraw {
                on: w.on,
                reason: w.reason.clone(),
            },
            today,
            staff: w.staff.clone(),
            summary,
            before: json!({"status": "enrolled"}),
            after: json!({"status": "withdrawn", "leavesOn": w.on.to_string(), "reason": w.reason}),
        };
        let proposal = self.0.store()?.propose_change(&change).map_err(database)?;
        Ok(match proposal {
            Proposal::Held => handover::accept(
                json!({
                    "registrationId": w.registration_id,
                    "child": w.child,
                    "reason": w.reason,
                    "effectiveDate": w.on.to_string(),
                })
                .to_string(),
            ),
            other => not_held(other, w.registration_id, &w.child),
        })
    }
}

/// The refusal for a change the store did not hold (spots aside).
fn not_held(proposal: Proposal, id: i64, child: &str) -> Value {
    match proposal {
        Proposal::Held | Proposal::Unavailable(_) => refuse_as(REFUSED, String::new()),
        Proposal::NoSuchRegistration => {
            refuse_as(NOT_CHANGEABLE, format!("There is no registration {id}."))
        }
        Proposal::NotEnrolled { leaves_on } => refuse_as(
            NOT_CHANGEABLE,
            match leaves_on {
                Some(on) => format!("{child} (registration {id}) is withdrawn from {on}."),
                None => format!("{child} (registration {id}) is withdrawn."),
            },
        ),
        Proposal::Busy { execution } => refuse_as(
            CONFLICT,
            format!(
                "{child}'s registration is being changed by execution {execution}; try again when it ends."
            ),
        ),
        Proposal::Stale => refuse_as(
            CONFLICT,
            format!(
                "{child}'s registration changed while this change was checked; open it again and redo the change."
            ),
        ),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
