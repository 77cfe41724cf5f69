//! The waitlist: registrations refused for want of spots, kept with the days wanted, the
//! day added and priority notes, in the order staff see (the day added, then priority:
//! a sibling enrolled or a staff note; then arrival). An offer runs the registration
//! workflow again; its entry is settled with the offer's execution (`changes.rs`).
//! Every action here is recorded in the audit in its own transaction.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::{Value, json};

use super::audit::{self, AuditKind, NewAuditEntry};
use super::capacity::{mask, unmask};
use super::executions::from_micros;
use super::refold::fold;
use super::sql::{Db, params};
use super::{Result, Store, StoreError};

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaitlistStatus {
    Waiting,
    /// An offer enrolled the child (`registration_id`).
    Enrolled,
    /// Staff took the entry off (`closed_reason`).
    Removed,
}

/// One entry of the waitlist.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitlistEntry {
    pub id: i64,
    pub added_at: DateTime<Utc>,
    /// The desk's day when the entry was added: the first key of the order.
    pub added_on: NaiveDate,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    #[serde(serialize_with = "crate::weekday::serde_name::serialize_list")]
    pub days: Vec<Weekday>,
    /// The registration document as it was submitted, to run again when a spot is offered.
    pub document: Value,
    /// The execution refused for want of spots that put the child here.
    pub refused_execution: String,
    /// An enrolled registration that shares a parent with this child (found when added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sibling_of: Option<i64>,
    /// Staff's priority note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub staff: String,
    pub status: WaitlistStatus,
    /// The offer running now, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_execution: Option<String>,
    /// The last offer's execution, and why it was refused when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_offer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_refusal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<i64>,
}

impl WaitlistEntry {
    /// "First Last".
    pub fn child(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Whether the entry goes before others added the same day.
    pub fn priority(&self) -> bool {
        self.sibling_of.is_some() || self.notes.is_some()
    }
}

/// The order rule, for the screens that show the list.
pub const WAITLIST_ORDER: &str = "Order: the day added; on the same day, priority first (a sibling enrolled, or a staff note); then arrival.";

/// What `add_to_waitlist` keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWaitlistEntry<'a> {
    pub refused_execution: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub date_of_birth: NaiveDate,
    pub days: &'a [Weekday],
    pub document: &'a Value,
    pub sibling_of: Option<i64>,
    pub notes: Option<&'a str>,
    pub staff: &'a str,
    pub today: NaiveDate,
}

const COLUMNS: &str = "id, added_us, added_on, first_name, last_name, date_of_birth, days, \
     document, refused_execution, sibling_of, notes, staff, status, offer_execution, \
     last_offer, last_refusal, closed_reason, registration_id";

fn entry(r: &Row<'_>) -> rusqlite::Result<WaitlistEntry> {
    let document: String = r.get(7)?;
    let status: String = r.get(12)?;
    Ok(WaitlistEntry {
        id: r.get(0)?,
        added_at: from_micros(r.get(1)?),
        added_on: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        date_of_birth: r.get(5)?,
        days: unmask(r.get(6)?),
        document: serde_json::from_str(&document).unwrap_or(Value::Null),
        refused_execution: r.get(8)?,
        sibling_of: r.get(9)?,
        notes: r.get(10)?,
        staff: r.get(11)?,
        status: match status.as_str() {
            "enrolled" => WaitlistStatus::Enrolled,
            "removed" => WaitlistStatus::Removed,
            _ => WaitlistStatus::Waiting,
        },
        offer_execution: r.get(13)?,
        last_offer: r.get(14)?,
        last_refusal: r.get(15)?,
        closed_reason: r.get(16)?,
        registration_id: r.get(17)?,
    })
}

fn read(conn: &Connection, id: i64) -> Result<Option<WaitlistEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM waitlist WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], entry)
        .optional()?)
}

/// An entry that is waiting and has no offer running, or why not.
fn waiting(conn: &Connection, id: i64) -> Result<WaitlistEntry> {
    let found = read(conn, id)?.ok_or(StoreError::NoSuchWaitlistEntry(id))?;
    if found.status != WaitlistStatus::Waiting {
        return Err(StoreError::NotWaiting(id));
    }
    if let Some(execution) = &found.offer_execution {
        return Err(StoreError::OfferRunning {
            id,
            execution: execution.clone(),
        });
    }
    Ok(found)
}

fn days_value(days: &[Weekday]) -> Value {
    days.iter()
        .map(|d| Value::from(crate::weekday::name(*d)))
        .collect()
}

impl Store {
    /// Puts a refused registration on the waitlist, recorded in the audit: the new
    /// entry's id. A child already waiting, or an execution already listed, is refused.
    pub fn add_to_waitlist(&mut self, new: &NewWaitlistEntry<'_>) -> Result<i64> {
        self.write(|db| {
            let conn = db.sqlite()?;
            let folded = format!("{} {}", fold(new.first_name), fold(new.last_name));
            let already: Option<i64> = conn
                .prepare_cached(
                    "SELECT id FROM waitlist WHERE status = 'waiting' AND \
                     ((child_folded = ?1 AND date_of_birth = ?2) OR refused_execution = ?3)",
                )?
                .query_row((&folded, new.date_of_birth, new.refused_execution), |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(id) = already {
                return Err(StoreError::AlreadyWaiting(id));
            }
            conn.prepare_cached(
                "INSERT INTO waitlist (added_us, added_on, first_name, last_name, child_folded, \
                 date_of_birth, days, document, refused_execution, sibling_of, notes, staff, \
                 status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'waiting')",
            )?
            .execute(rusqlite::params![
                Utc::now().timestamp_micros(),
                new.today,
                new.first_name,
                new.last_name,
                folded,
                new.date_of_birth,
                mask(new.days),
                new.document.to_string(),
                new.refused_execution,
                new.sibling_of,
                new.notes,
                new.staff,
            ])?;
            let id = conn.last_insert_rowid();
            let child = format!("{} {}", new.first_name, new.last_name);
            let mut after = json!({ "days": days_value(new.days) });
            if let Some(sibling) = new.sibling_of {
                after["siblingOf"] = sibling.into();
            }
            if let Some(notes) = new.notes {
                after["notes"] = notes.into();
            }
            audit::record(
                db,
                &NewAuditEntry {
                    staff: new.staff,
                    kind: AuditKind::WaitlistAdd,
                    registration_id: None,
                    waitlist_id: Some(id),
                    child: Some(&child),
                    summary: format!(
                        "Put on the waitlist for {}",
                        crate::weekday::listed(new.days)
                    ),
                    before: None,
                    after: Some(after),
                    execution_name: Some(new.refused_execution),
                },
            )?;
            Ok(id)
        })
    }

    /// The entries waiting, in waitlist order (see `WAITLIST_ORDER`).
    pub fn waitlist(&self) -> Result<Vec<WaitlistEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM waitlist WHERE status = 'waiting' \
             ORDER BY added_on, (sibling_of IS NOT NULL OR notes IS NOT NULL) DESC, id"
        );
        let mut stmt = self.db.sqlite()?.prepare_cached(&sql)?;
        let list = stmt
            .query_map([], entry)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// One entry by id, whatever its status.
    pub fn waitlist_entry(&self, id: i64) -> Result<Option<WaitlistEntry>> {
        read(self.db.sqlite()?, id)
    }

    /// Takes an entry off the waitlist for `reason`, recorded in the audit.
    pub fn remove_from_waitlist(
        &mut self,
        id: i64,
        reason: &str,
        staff: &str,
    ) -> Result<WaitlistEntry> {
        self.write(|db| {
            let conn = db.sqlite()?;
            let mut found = waiting(conn, id)?;
            conn.prepare_cached(
                "UPDATE waitlist SET status = 'removed', closed_reason = ?2 WHERE id = ?1",
            )?
            .execute((id, reason))?;
            audit::record(
                db,
                &NewAuditEntry {
                    staff,
                    kind: AuditKind::WaitlistRemove,
                    registration_id: None,
                    waitlist_id: Some(id),
                    child: Some(&found.child()),
                    summary: format!("Taken off the waitlist: {reason}"),
                    before: Some(json!({ "status": "waiting" })),
                    after: Some(json!({ "status": "removed", "reason": reason })),
                    execution_name: None,
                },
            )?;
            found.status = WaitlistStatus::Removed;
            found.closed_reason = Some(reason.to_string());
            Ok(found)
        })
    }

    /// Marks an entry as being offered a spot by the execution `execution` (recorded
    /// RUNNING already): settled when that execution closes.
    pub fn begin_offer(&mut self, id: i64, execution: &str, staff: &str) -> Result<WaitlistEntry> {
        let found = self.write(|db| {
            let conn = db.sqlite()?;
            let mut found = waiting(conn, id)?;
            conn.prepare_cached(
                "UPDATE waitlist SET offer_execution = ?2, offer_staff = ?3 WHERE id = ?1",
            )?
            .execute((id, execution, staff))?;
            found.offer_execution = Some(execution.to_string());
            Ok(found)
        })?;
        self.settling.insert(execution.to_string());
        Ok(found)
    }
}

/// Settles the offer the execution `name` ran, if it ran one (see `changes::settle`).
pub(super) fn settle_offer(
    db: &Db,
    name: &str,
    succeeded: bool,
    cause: Option<&str>,
) -> Result<()> {
    let conn = db.sqlite()?;
    let found: Option<(i64, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, first_name || ' ' || last_name, offer_staff FROM waitlist \
             WHERE offer_execution = ?1",
        )?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((id, child, staff)) = found else {
        return Ok(());
    };
    let registration: Option<i64> = if succeeded {
        conn.prepare_cached("SELECT id FROM registrations WHERE execution_name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?
    } else {
        None
    };
    let (summary, after) = match registration {
        Some(registration) => {
            conn.prepare_cached(
                "UPDATE waitlist SET status = 'enrolled', registration_id = ?2, \
                 offer_execution = NULL, last_offer = ?3, last_refusal = NULL WHERE id = ?1",
            )?
            .execute(rusqlite::params![id, registration, name])?;
            (
                format!("Offered a spot: enrolled as registration {registration}"),
                json!({ "status": "enrolled", "registrationId": registration }),
            )
        }
        None => {
            let cause = cause.unwrap_or("the offer did not succeed");
            conn.prepare_cached(
                "UPDATE waitlist SET offer_execution = NULL, last_offer = ?2, last_refusal = ?3 \
                 WHERE id = ?1",
            )?
            .execute(rusqlite::params![id, name, cause])?;
            (
                format!("Offered a spot: refused, still waiting ({cause})"),
                json!({ "status": "waiting", "refusal": cause }),
            )
        }
    };
    audit::record(
        db,
        &NewAuditEntry {
            staff: staff.as_deref().unwrap_or("unknown"),
            kind: AuditKind::Offer,
            registration_id: registration,
            waitlist_id: Some(id),
            child: Some(&child),
            summary,
            before: Some(json!({ "status": "waiting" })),
            after: Some(after),
            execution_name: Some(name),
        },
    )
}
