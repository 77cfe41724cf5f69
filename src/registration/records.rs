//! What the desk does between registrations, each through the store's plain API and,
//! when it can take or free a spot, as a workflow execution: amending a registration,
//! withdrawing a child, the waitlist (putting a refused registration on it, taking an
//! entry off, offering a freed spot), and who on the waitlist now fits.

use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::changes::{REASON, amendment_input, withdrawal_input};
use super::document::{Parent, Registration};
use super::{AMENDMENT_ARN, WITHDRAWAL_ARN};
use super::{Desk, DeskError, Outcome, STATE_MACHINE_ARN, check_information, execution_name};
use crate::store::{NewWaitlistEntry, Store, StoreError, WaitlistEntry, WaitlistStatus};
use crate::workflow::{ExecutionStatus, ExecutionSummary, Observer};

/// How an amendment or a withdrawal ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub execution: ExecutionSummary,
    pub registration_id: i64,
    /// "First Last", when the registration exists.
    pub child: Option<String>,
}

impl Change {
    pub fn succeeded(&self) -> bool {
        self.execution.status == ExecutionStatus::Succeeded
    }

    /// Why it was refused, in the workflow's words, when it was.
    pub fn refusal(&self) -> Option<&str> {
        (!self.succeeded()).then(|| self.execution.cause.as_deref().unwrap_or("it failed"))
    }
}

/// How an offer from the waitlist ended: the registration's outcome, and the entry as
/// it now stands (enrolled, or still waiting with the refusal).
#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    pub outcome: Outcome,
    pub entry: WaitlistEntry,
}

/// A waitlist entry, and whether a spot is free for it now: every day it wants has a
/// spot left after the entries before it that fit took theirs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiting {
    #[serde(flatten)]
    pub entry: WaitlistEntry,
    pub fits: bool,
}

/// The error the registration workflow refuses a child with when a day is full or closed.
pub const NO_SPOTS: &str = "NoSpotsAvailable";

/// Whether an execution is a registration refused for want of spots: the only kind
/// that can go on the waitlist.
pub fn refused_for_spots(summary: &ExecutionSummary) -> bool {
    summary.state_machine_arn == *STATE_MACHINE_ARN
        && summary.status == ExecutionStatus::Failed
        && summary.error.as_deref() == Some(NO_SPOTS)
}

/// The reason or note staff typed, trimmed; `Err` says what is wrong with it.
fn staff_text(text: &str, what: &str) -> Result<String, DeskError> {
    let text = text.trim();
    if text.chars().count() > REASON {
        return Err(DeskError::Invalid(format!(
            "the {what} is longer than {REASON} characters"
        )));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(DeskError::Invalid(format!(
            "the {what} holds control characters"
        )));
    }
    Ok(text.to_string())
}

impl Desk {
    /// Spots per weekday, as a reader sees them.
    pub fn spots(&self) -> Result<Vec<crate::store::DaySpots>, DeskError> {
        Ok(self.lock()?.spots()?)
    }

    /// Sets one day's capacity, or every open day's (see `Store::set_capacity`), in the
    /// audit under this desk's staff name.
    pub fn set_capacity(
        &self,
        day: Option<chrono::Weekday>,
        capacity: u32,
    ) -> Result<Vec<crate::store::DaySpots>, DeskError> {
        Ok(self.lock()?.set_capacity(day, capacity, self.staff())?)
    }

    /// At most `limit` audit entries under `filter`, newest first.
    pub fn audit_entries(
        &self,
        filter: &crate::store::AuditFilter,
        limit: usize,
    ) -> Result<Vec<crate::store::AuditEntry>, DeskError> {
        Ok(self.lock()?.audit(filter, limit)?)
    }

    /// Registration `id` as kept, whatever its status.
    pub fn registration(&self, id: i64) -> Result<Option<crate::store::Registration>, DeskError> {
        Ok(self.lock()?.registration(id)?)
    }

    /// Changes registration `id`'s days, parents or special instructions (`changes`, by
    /// the document's field names) as an execution of the amendment workflow.
    pub async fn amend(
        &self,
        id: i64,
        changes: Map<String, Value>,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Change, DeskError> {
        let input = amendment_input(id, &changes, self.staff());
        self.change(
            id,
            "amend",
            &self.amendment,
            &AMENDMENT_ARN,
            input,
            observer,
        )
        .await
    }

    /// Withdraws registration `id` for `reason` from `on` (default today; a day ahead
    /// keeps the child enrolled until then) as an execution of the withdrawal workflow.
    pub async fn withdraw(
        &self,
        id: i64,
        reason: &str,
        on: Option<NaiveDate>,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Change, DeskError> {
        let on = on.unwrap_or_else(|| self.clock().today());
        let input = withdrawal_input(id, reason, on, self.staff());
        self.change(
            id,
            "withdraw",
            &self.withdrawal,
            &WITHDRAWAL_ARN,
            input,
            observer,
        )
        .await
    }

    async fn change(
        &self,
        id: i64,
        verb: &str,
        machine: &crate::workflow::StateMachine,
        arn: &str,
        input: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Change, DeskError> {
        self.settle_leavers()?;
        // A number that names no registration is a typo, not a change to record.
        let kept = self
            .lock()?
            .registration(id)?
            .ok_or(StoreError::NoSuchRegistration(id))?;
        let child = Some(kept.child());
        let (first, last) = (kept.first_name.clone(), kept.last_name.clone());
        let name = format!("{verb}-{}", execution_name(&first, &last));
        let name: String = name
            .chars()
            .take(crate::workflow::naming::MAX_NAME_CHARS)
            .collect();
        let execution = self
            .run(machine, arn, input, name, child.as_deref(), observer)
            .await?;
        Ok(Change {
            execution: execution.summary,
            registration_id: id,
            child,
        })
    }

    /// Puts the registration execution `execution` refused for want of spots on the
    /// waitlist, with staff's priority `notes`; a sibling already enrolled (a parent on
    /// file with the same phone or email) is found and noted.
    pub fn put_on_waitlist(
        &self,
        execution: &str,
        notes: Option<&str>,
    ) -> Result<WaitlistEntry, DeskError> {
        let notes = notes
            .map(|n| staff_text(n, "note"))
            .transpose()?
            .filter(|n| !n.is_empty());
        let today = self.clock().today();
        let mut store = self.lock()?;
        let stored = store
            .execution(execution)?
            .ok_or_else(|| StoreError::NoSuchExecution(execution.to_string()))?;
        let s = &stored.summary;
        if !refused_for_spots(s) {
            return Err(DeskError::Invalid(format!(
                "only a registration refused for want of spots can go on the waitlist; execution {execution} {}",
                match (&s.status, &s.error) {
                    (ExecutionStatus::Succeeded, _) => "succeeded".to_string(),
                    (_, Some(error)) if s.state_machine_arn == *STATE_MACHINE_ARN =>
                        format!("was refused for another reason ({error})"),
                    _ => "is not a registration".to_string(),
                }
            )));
        }
        let input: Value = serde_json::from_str(&s.input).map_err(|e| {
            DeskError::Invalid(format!("execution {execution}'s input is not JSON: {e}"))
        })?;
        let registration = check_information(input.clone(), today).map_err(|problems| {
            DeskError::Invalid(format!(
                "execution {execution}'s registration no longer passes the checks: {}",
                super::problems_message(&problems)
            ))
        })?;
        let child = &registration.child;
        if let Some(id) =
            store.find_enrolled(&child.first_name, &child.last_name, child.date_of_birth)?
        {
            return Err(DeskError::Invalid(format!(
                "{} is enrolled already (registration {id})",
                child.name()
            )));
        }
        let sibling_of = sibling_of(&store, &registration)?;
        let id = store.add_to_waitlist(&NewWaitlistEntry {
            refused_execution: execution,
            first_name: &child.first_name,
            last_name: &child.last_name,
            date_of_birth: child.date_of_birth,
            days: &registration.days,
            document: &input,
            sibling_of,
            notes: notes.as_deref(),
            staff: self.staff(),
            today,
        })?;
        store
            .waitlist_entry(id)?
            .ok_or_else(|| DeskError::Internal(format!("waitlist entry {id} vanished")))
    }

    /// Takes waitlist entry `id` off the list for `reason`.
    pub fn remove_from_waitlist(&self, id: i64, reason: &str) -> Result<WaitlistEntry, DeskError> {
        let reason = staff_text(reason, "reason")?;
        if reason.is_empty() {
            return Err(DeskError::Invalid(
                "the reason is missing: say why the entry comes off the waitlist".into(),
            ));
        }
        Ok(self
            .lock()?
            .remove_from_waitlist(id, &reason, self.staff())?)
    }

    /// The entries waiting, in waitlist order, each with whether it fits now (spots
    /// as a registration made today would find them on its start date).
    pub fn waitlist(&self) -> Result<Vec<Waiting>, DeskError> {
        let store = self.lock()?;
        Ok(fits(&store, self.clock().start_date())?)
    }

    /// Offers waitlist entry `id` a spot: runs the registration workflow on its
    /// registration. Success enrols the child and closes the entry; a refusal keeps the
    /// entry, with the reason.
    pub async fn offer(
        &self,
        id: i64,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Offered, DeskError> {
        self.settle_leavers()?;
        let entry = self
            .lock()?
            .waitlist_entry(id)?
            .ok_or(StoreError::NoSuchWaitlistEntry(id))?;
        if entry.status != WaitlistStatus::Waiting {
            return Err(StoreError::NotWaiting(id).into());
        }
        let (outcome, execution) = self
            .run_registration(
                &STATE_MACHINE_ARN,
                entry.document.clone(),
                observer,
                Some(id),
            )
            .await?;
        self.keep(
            &execution,
            outcome.fees,
            crate::store::encode_history(&execution.events)?,
        )?;
        let entry = self
            .lock()?
            .waitlist_entry(id)?
            .ok_or(StoreError::NoSuchWaitlistEntry(id))?;
        Ok(Offered { outcome, entry })
    }
}

/// The waiting entries in order, each marked whether it fits `on` (see `Waiting`).
pub fn fits(store: &Store, on: NaiveDate) -> Result<Vec<Waiting>, StoreError> {
    let mut free: Vec<(chrono::Weekday, u32)> = store
        .spots_from(on)?
        .into_iter()
        .map(|s| (s.day, s.available()))
        .collect();
    Ok(store
        .waitlist()?
        .into_iter()
        .map(|entry| {
            let has = |d: &chrono::Weekday| free.iter().any(|(day, n)| day == d && *n > 0);
            let fits = !entry.days.is_empty() && entry.days.iter().all(has);
            if fits {
                for (day, n) in free.iter_mut() {
                    if entry.days.contains(day) {
                        *n -= 1;
                    }
                }
            }
            Waiting { entry, fits }
        })
        .collect())
}

/// An enrolled registration with a parent in common with `registration` (the same
/// email, or the same phone number, digits compared), if any.
fn sibling_of(store: &Store, registration: &Registration) -> Result<Option<i64>, StoreError> {
    let contacts = |parents: &[Parent]| -> Vec<String> {
        parents
            .iter()
            .flat_map(|p| {
                let email = p
                    .email
                    .as_deref()
                    .map(|e| format!("@{}", e.trim().to_lowercase()));
                let phone = p.phone.as_deref().map(|p| {
                    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                    format!("#{digits}")
                });
                [email, phone.filter(|p| p.len() > 7)]
            })
            .flatten()
            .collect()
    };
    let wanted = contacts(&registration.parents);
    if wanted.is_empty() {
        return Ok(None);
    }
    let mut found = None;
    store.for_each_registration(false, |kept| {
        if found.is_some() {
            return Ok::<_, StoreError>(());
        }
        let Value::Object(object) = kept.document else {
            return Ok(());
        };
        if let Ok(other) = Registration::from_object(object)
            && contacts(&other.parents).iter().any(|c| wanted.contains(c))
        {
            found = Some(kept.id);
        }
        Ok(())
    })?;
    Ok(found)
}
