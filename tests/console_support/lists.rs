//! Test data for the waitlist and audit screens: entries in waitlist order, audit
//! entries newest first, and a registration refused for want of spots.

use chrono::{Duration, NaiveDate, Weekday};
use serde_json::json;

use daycare::registration::{Outcome, STATE_MACHINE_ARN, Waiting};
use daycare::store::{AuditEntry, AuditKind, StoredExecution, WaitlistEntry, WaitlistStatus};

use super::{refused_execution, succeeded_outcome, t0};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One waiting entry.
pub fn entry(id: i64, first: &str, last: &str, days: &[Weekday], fits: bool) -> Waiting {
    Waiting {
        entry: WaitlistEntry {
            id,
            added_at: t0() + Duration::minutes(id),
            added_on: date(2026, 8, 20 + id as u32),
            first_name: first.into(),
            last_name: last.into(),
            date_of_birth: date(2022, 3, id as u32),
            days: days.to_vec(),
            document: json!({}),
            refused_execution: format!("registration-09{id:02}"),
            sibling_of: None,
            notes: None,
            staff: "maria".into(),
            status: WaitlistStatus::Waiting,
            offer_execution: None,
            last_offer: None,
            last_refusal: None,
            closed_reason: None,
            registration_id: None,
        },
        fits,
    }
}

/// Three children waiting: the first fits, the second has a sibling enrolled and a note,
/// the third was offered a spot and refused.
pub fn waitlist() -> Vec<Waiting> {
    use Weekday::*;
    let mut second = entry(2, "Sofía", "Núñez", &[Mon, Tue, Wed], false);
    second.entry.sibling_of = Some(4);
    second.entry.notes = Some("twins due in May".into());
    let mut third = entry(3, "Yuki", "Tanaka", &[Fri], false);
    third.entry.last_offer = Some("registration-0950".into());
    third.entry.last_refusal = Some("There is no spot left on Friday.".into());
    vec![entry(1, "Ana", "Díaz", &[Fri], true), second, third]
}

/// One audit entry.
pub fn audit_entry(id: i64, kind: AuditKind, child: Option<&str>, summary: &str) -> AuditEntry {
    AuditEntry {
        id,
        at: t0() - Duration::minutes(id * 7),
        staff: "maria".into(),
        kind,
        registration_id: child.map(|_| id),
        waitlist_id: None,
        child: child.map(str::to_string),
        summary: summary.into(),
        before: None,
        after: None,
        execution_name: None,
    }
}

/// Audit entries, newest first.
pub fn audit() -> Vec<AuditEntry> {
    let mut capacity = audit_entry(1, AuditKind::Capacity, None, "Friday: 20 → 1 spots");
    capacity.before = Some(json!({"Friday": 20}));
    capacity.after = Some(json!({"Friday": 1}));
    let mut withdrawal = audit_entry(
        2,
        AuditKind::Withdrawal,
        Some("Amara Okafor"),
        "Withdrawn from 2026-09-01: moving",
    );
    withdrawal.execution_name = Some("withdraw-amara-okafor-1".into());
    vec![
        capacity,
        withdrawal,
        audit_entry(
            3,
            AuditKind::WaitlistAdd,
            Some("Ana Díaz"),
            "Put on the waitlist for Friday",
        ),
        audit_entry(
            4,
            AuditKind::Offer,
            Some("Ana Díaz"),
            "Offered a spot: enrolled",
        ),
        audit_entry(
            5,
            AuditKind::Amendment,
            Some("Zoë Martín"),
            "Days: Mon, Tue → Mon, Tue, Wed",
        ),
    ]
}

/// The tutorial's example, refused because Friday is full.
pub fn spots_refused_execution() -> StoredExecution {
    let mut stored = refused_execution();
    stored.summary.state_machine_arn = STATE_MACHINE_ARN.clone();
    stored.summary.error = Some("NoSpotsAvailable".into());
    stored.summary.cause = Some("There is no spot left on Friday.".into());
    stored
}

/// A submission's outcome, refused for want of spots.
pub fn spots_refused_outcome() -> Outcome {
    let mut outcome = succeeded_outcome();
    outcome.execution.state_machine_arn = STATE_MACHINE_ARN.clone();
    outcome.execution.name = "registration-1001".into();
    outcome.execution.status = daycare::workflow::ExecutionStatus::Failed;
    outcome.execution.error = Some("NoSpotsAvailable".into());
    outcome.execution.cause = Some("There is no spot left on Friday.".into());
    outcome.execution.output = None;
    outcome.age = None;
    outcome.fees = None;
    outcome.start_date = None;
    outcome
}
