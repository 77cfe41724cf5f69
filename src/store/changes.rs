//! Changes to a registration that an execution makes (an amendment, a withdrawal). The
//! execution's last task proposes the change: in one write transaction it re-checks
//! the registration and the spots of any day added, and writes the change 'pending',
//! holding those spots. The transaction that closes the execution applies it (SUCCEEDED)
//! or discards it (anything else, recovery included) and records it in the audit. So a
//! change, like a registration, exists if and only if its execution succeeded, and a
//! crash at any moment leaves none half-made. The same goes for an offer from the
//! waitlist (`waitlist.rs`), settled here with the execution that ran it.

use chrono::{NaiveDate, Weekday};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::audit::{self, AuditKind, NewAuditEntry};
use super::capacity::{mask, unavailable};
use super::sql::{Db, params};
use super::{Result, Store, StoreError};

/// What a change does to the registration.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeWhat {
    /// New days and the whole new registration document (parents, instructions, …).
    Amend {
        days: Vec<Weekday>,
        document: String,
    },
    /// Leaves on `on` (today or later), for `reason`.
    Withdraw { on: NaiveDate, reason: String },
}

/// A change an execution proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChange {
    pub execution_name: String,
    pub registration_id: i64,
    /// The `document_version` of the registration the change was worked out from: if
    /// it is no longer the kept one's, another change came first and this one is `Stale`.
    pub based_on: String,
    pub what: ChangeWhat,
    pub today: NaiveDate,
    pub staff: String,
    /// One sentence for the audit: "Days: Monday, Tuesday → Monday, Wednesday".
    pub summary: String,
    pub before: Value,
    pub after: Value,
}

/// Whether a proposed change is held (applied when its execution succeeds) or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    Held,
    /// The days added that have no free spot.
    Unavailable(Vec<Weekday>),
    NoSuchRegistration,
    /// The child is withdrawn (or leaving on the date given).
    NotEnrolled {
        leaves_on: Option<NaiveDate>,
    },
    /// Another execution is changing this registration now.
    Busy {
        execution: String,
    },
    /// The registration changed since the change was worked out.
    Stale,
}

/// A short fingerprint of a registration's kept document (SHA-256, 16 hex digits): a
/// change names the version it was worked out from.
pub fn document_version(document: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = format!("{:x}", Sha256::digest(document.as_bytes()));
    digest[..16].to_string()
}

impl Store {
    /// Re-checks and holds a change (see the module comment) in one write transaction.
    pub fn propose_change(&mut self, change: &NewChange) -> Result<Proposal> {
        let proposal = self.write(|db| propose(db, change))?;
        if proposal == Proposal::Held {
            self.settling.insert(change.execution_name.clone());
        }
        Ok(proposal)
    }

    /// The change the execution `name` made or is making: its kind and whether it was
    /// applied, if it is one.
    pub fn change_made_by(&self, name: &str) -> Result<Option<(AuditKind, bool)>> {
        Ok(self
            .db
            .sqlite()?
            .prepare_cached("SELECT kind, status FROM changes WHERE execution_name = ?1")?
            .query_row([name], |r| {
                let kind: String = r.get(0)?;
                let status: String = r.get(1)?;
                Ok((kind, status))
            })
            .optional()?
            .map(|(kind, status)| {
                let kind = if kind == "withdrawal" {
                    AuditKind::Withdrawal
                } else {
                    AuditKind::Amendment
                };
                (kind, status == "applied")
            }))
    }
}

fn propose(db: &Db, change: &NewChange) -> Result<Proposal> {
    let conn = db.sqlite()?;
    let running = conn
        .prepare_cached("SELECT 1 FROM executions WHERE name = ?1 AND status = 'RUNNING'")?
        .query_row([&change.execution_name], |_| Ok(()))
        .optional()?;
    if running.is_none() {
        return Err(StoreError::ClosedAsInterrupted(
            change.execution_name.clone(),
        ));
    }
    super::leavers::settle(db, change.today)?;
    type Row = (i64, String, Option<NaiveDate>, String);
    let found: Option<Row> = conn
        .prepare_cached(
            "SELECT days, status, leaves_on, document FROM registrations r WHERE id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM executions e \
                             WHERE e.name = r.execution_name AND e.status = 'RUNNING')",
        )?
        .query_row([change.registration_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((days, status, leaves_on, document)) = found else {
        return Ok(Proposal::NoSuchRegistration);
    };
    let leaving = matches!(change.what, ChangeWhat::Withdraw { .. }) && leaves_on.is_some();
    if status != "enrolled" || leaving {
        return Ok(Proposal::NotEnrolled { leaves_on });
    }
    let busy: Option<String> = conn
        .prepare_cached(
            "SELECT execution_name FROM changes WHERE registration_id = ?1 AND status = 'pending'",
        )?
        .query_row([change.registration_id], |r| r.get(0))
        .optional()?;
    if let Some(execution) = busy {
        return Ok(Proposal::Busy { execution });
    }
    if document_version(&document) != change.based_on {
        return Ok(Proposal::Stale);
    }
    let (added, new_days, new_document, on, reason) = match &change.what {
        ChangeWhat::Amend {
            days: new,
            document,
        } => {
            let new = mask(new);
            let added = new & !days;
            let added_days = super::capacity::unmask(added);
            let full = unavailable(db, &added_days, change.today)?;
            if !full.is_empty() {
                return Ok(Proposal::Unavailable(full));
            }
            (added, Some(new), Some(document.as_str()), None, None)
        }
        ChangeWhat::Withdraw { on, reason } => (0, None, None, Some(*on), Some(reason.as_str())),
    };
    let kind = match change.what {
        ChangeWhat::Amend { .. } => "amendment",
        ChangeWhat::Withdraw { .. } => "withdrawal",
    };
    conn.prepare_cached(
        "INSERT INTO changes (execution_name, registration_id, kind, status, added, days, \
         document, leaves_on, reason, today, staff, summary, before, after) \
         VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(rusqlite::params![
        change.execution_name,
        change.registration_id,
        kind,
        added,
        new_days,
        new_document,
        on,
        reason,
        change.today,
        change.staff,
        change.summary,
        change.before.to_string(),
        change.after.to_string(),
    ])?;
    Ok(Proposal::Held)
}

/// Settles what the execution `name` was doing beside its own row, inside the
/// transaction that closes it: applies its change or takes its offer's registration
/// when it `succeeded`, else discards the change and keeps the offer's refusal
/// (`cause`). Nothing when it was doing neither.
pub(super) fn settle(db: &Db, name: &str, succeeded: bool, cause: Option<&str>) -> Result<()> {
    settle_change(db, name, succeeded)?;
    super::waitlist::settle_offer(db, name, succeeded, cause)
}

fn settle_change(db: &Db, name: &str, succeeded: bool) -> Result<()> {
    let conn = db.sqlite()?;
    type Pending = (
        i64,
        String,
        Option<i64>,
        Option<String>,
        Option<NaiveDate>,
        Option<String>,
        NaiveDate,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let pending: Option<Pending> = conn
        .prepare_cached(
            "UPDATE changes SET status = ?2 WHERE execution_name = ?1 AND status = 'pending' \
             RETURNING registration_id, kind, days, document, leaves_on, reason, today, staff, \
             summary, before, after",
        )?
        .query_row(
            (name, if succeeded { "applied" } else { "discarded" }),
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            },
        )
        .optional()?;
    let Some((id, kind, days, document, leaves_on, reason, today, staff, summary, before, after)) =
        pending
    else {
        return Ok(());
    };
    if !succeeded {
        return Ok(());
    }
    let kind = if kind == "withdrawal" {
        conn.prepare_cached(
            "UPDATE registrations SET leaves_on = ?2, withdraw_reason = ?3, \
             status = CASE WHEN ?2 <= ?4 THEN 'withdrawn' ELSE status END WHERE id = ?1",
        )?
        .execute(rusqlite::params![id, leaves_on, reason, today])?;
        AuditKind::Withdrawal
    } else {
        conn.prepare_cached(
            "UPDATE registrations SET days = coalesce(?2, days), \
             document = coalesce(?3, document) WHERE id = ?1",
        )?
        .execute(rusqlite::params![id, days, document])?;
        AuditKind::Amendment
    };
    let child: Option<String> = conn
        .prepare_cached("SELECT first_name || ' ' || last_name FROM registrations WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let value = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    audit::record(
        db,
        &NewAuditEntry {
            staff: &staff,
            kind,
            registration_id: Some(id),
            waitlist_id: None,
            child: child.as_deref(),
            summary,
            before: value(before),
            after: value(after),
            execution_name: Some(name),
        },
    )
}
