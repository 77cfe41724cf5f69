//! Registrations: confirming one (re-checking spots in the same write transaction),
//! listing, finding an enrolled child, withdrawing. The rules that decide whether a
//! child may register live in `registration/`, not here.
//!
//! A registration whose execution is still RUNNING is half-finished: it holds its spots
//! (the capacity check at confirmation counts it, so nothing is ever overbooked) but no
//! reader sees it as enrolled until its execution SUCCEEDED.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};

use super::capacity::{mask, unavailable, unmask};
use super::refold::fold;
use super::{
    Confirmation, NewRegistration, Registration, RegistrationStatus, Result, Store, StoreError,
};

/// Keeps only registrations whose execution has ended (see the module comment); `r` is
/// the registrations table. A lookup by the executions' unique name.
const SETTLED: &str = "NOT EXISTS (SELECT 1 FROM executions e \
                       WHERE e.name = r.execution_name AND e.status = 'RUNNING')";

const COLUMNS: &str = "id, first_name, last_name, date_of_birth, days, age, fees, start_date, \
                       status, execution_name, document, leaves_on, withdraw_reason";

fn registration(row: &Row<'_>) -> rusqlite::Result<Registration> {
    let document: String = row.get(10)?;
    let status: String = row.get(8)?;
    Ok(Registration {
        id: row.get(0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        date_of_birth: row.get(3)?,
        days: unmask(row.get(4)?),
        age: row.get(5)?,
        fees: row.get(6)?,
        start_date: row.get(7)?,
        status: if status == "withdrawn" {
            RegistrationStatus::Withdrawn
        } else {
            RegistrationStatus::Enrolled
        },
        execution_name: row.get(9)?,
        document: serde_json::from_str(&document).unwrap_or(serde_json::Value::Null),
        leaves_on: row.get(11)?,
        withdraw_reason: row.get(12)?,
    })
}

impl Store {
    /// An enrolled registration for this child (names compared by `text::fold_key`),
    /// half-finished ones included: the duplicate check must see a child whose run is
    /// still confirming, as confirmation does.
    pub fn find_enrolled(
        &self,
        first_name: &str,
        last_name: &str,
        date_of_birth: NaiveDate,
    ) -> Result<Option<i64>> {
        let mut stmt = self.db.sqlite()?.prepare_cached(
            "SELECT id FROM registrations WHERE status = 'enrolled' AND last_folded = ?1 \
             AND first_folded = ?2 AND date_of_birth = ?3",
        )?;
        Ok(stmt
            .query_row((fold(last_name), fold(first_name), date_of_birth), |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Re-checks availability and inserts the registration in one write transaction. An
    /// execution that recovery already closed as interrupted cannot confirm anything.
    pub fn confirm(&mut self, registration: &NewRegistration) -> Result<Confirmation> {
        self.write(|db| {
            let conn = db.sqlite()?;
            let closed = conn
                .prepare_cached("SELECT 1 FROM executions WHERE name = ?1 AND status <> 'RUNNING'")?
                .query_row([&registration.execution_name], |_| Ok(()))
                .optional()?;
            if closed.is_some() {
                return Err(StoreError::ClosedAsInterrupted(
                    registration.execution_name.clone(),
                ));
            }
            let full = unavailable(db, &registration.days, registration.start_date)?;
            if !full.is_empty() {
                return Ok(Confirmation::Unavailable(full));
            }
            let existing: Option<i64> = conn
                .prepare_cached(
                    "SELECT id FROM registrations WHERE status = 'enrolled' AND last_folded = ?1 \
                     AND first_folded = ?2 AND date_of_birth = ?3",
                )?
                .query_row(
                    (
                        fold(&registration.last_name),
                        fold(&registration.first_name),
                        registration.date_of_birth,
                    ),
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                return Ok(Confirmation::AlreadyEnrolled(id));
            }
            // OR ROLLBACK: a write that fails ends its transaction anyway (`write`), and
            // a statement that cannot fail halfway needs no statement journal, which
            // would copy every page this insert and its trigger touch first.
            conn.prepare_cached(
                "INSERT OR ROLLBACK INTO registrations (first_name, last_name, first_folded, last_folded, \
                 date_of_birth, days, age, fees, start_date, status, execution_name, document) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'enrolled', ?10, ?11)",
            )?
            .execute(rusqlite::params![
                registration.first_name,
                registration.last_name,
                fold(&registration.first_name),
                fold(&registration.last_name),
                registration.date_of_birth,
                mask(&registration.days),
                registration.age,
                registration.fees,
                registration.start_date,
                registration.execution_name,
                registration.document,
            ])?;
            Ok(Confirmation::Confirmed(conn.last_insert_rowid()))
        })
    }

    /// Enrolled registrations (and withdrawn ones when asked), newest first; never a
    /// half-finished one.
    pub fn registrations(&self, include_withdrawn: bool) -> Result<Vec<Registration>> {
        let mut list = Vec::new();
        self.for_each_registration(include_withdrawn, |r| {
            list.push(r);
            Ok::<_, StoreError>(())
        })?;
        Ok(list)
    }

    /// `registrations`, each handed to `visit` as it is read: the list is never held
    /// whole, whatever its length. Stops at `visit`'s first error.
    pub fn for_each_registration<E: From<StoreError>>(
        &self,
        include_withdrawn: bool,
        mut visit: impl FnMut(Registration) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = if include_withdrawn {
            format!("SELECT {COLUMNS} FROM registrations r WHERE {SETTLED} ORDER BY id DESC")
        } else {
            format!(
                "SELECT {COLUMNS} FROM registrations r WHERE status = 'enrolled' AND {SETTLED} \
                 ORDER BY id DESC"
            )
        };
        let mut stmt = self
            .db
            .sqlite()?
            .prepare_cached(&sql)
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            visit(registration(row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// The newest `limit` withdrawn registrations, newest first (a daycare that has run
    /// for years has withdrawn many more children than it holds).
    pub fn withdrawn_registrations(&self, limit: usize) -> Result<Vec<Registration>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM registrations r WHERE status = 'withdrawn' \
             ORDER BY id DESC LIMIT ?1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let list = self
            .db
            .sqlite()?
            .prepare_cached(&sql)?
            .query_map([limit], registration)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// The dates of birth of the enrolled children (settled ones) born from `from` to
    /// `to`: a count the dashboard narrows with the age rules, without reading any
    /// registration's document.
    pub fn enrolled_born_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>> {
        let sql = format!(
            "SELECT date_of_birth FROM registrations r WHERE status = 'enrolled' \
             AND date_of_birth BETWEEN ?1 AND ?2 AND {SETTLED}"
        );
        let born = self
            .db
            .sqlite()?
            .prepare_cached(&sql)?
            .query_map((from, to), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(born)
    }

    /// One registration by id.
    pub fn registration(&self, id: i64) -> Result<Option<Registration>> {
        let sql = format!("SELECT {COLUMNS} FROM registrations WHERE id = ?1");
        Ok(self
            .db
            .sqlite()?
            .prepare_cached(&sql)?
            .query_row([id], registration)
            .optional()?)
    }
}

impl Store {
    /// Withdraws the longest-enrolled registration still enrolled, if any, as of
    /// `today`, for `reason`, recorded in the audit as done by `staff`: its id.
    pub fn withdraw_oldest(
        &mut self,
        today: NaiveDate,
        reason: &str,
        staff: &str,
    ) -> Result<Option<i64>> {
        self.write(|db| {
            let conn = db.sqlite()?;
            let withdrawn: Option<(i64, String)> = conn
                .prepare_cached(
                    "UPDATE registrations SET status = 'withdrawn', leaves_on = ?1, \
                     withdraw_reason = ?2 WHERE id = \
                     (SELECT id FROM registrations WHERE status = 'enrolled' ORDER BY id LIMIT 1) \
                     RETURNING id, first_name || ' ' || last_name",
                )?
                .query_row((today, reason), |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((id, child)) = withdrawn else {
                return Ok(None);
            };
            super::audit::record(
                db,
                &super::NewAuditEntry {
                    staff,
                    kind: super::AuditKind::Withdrawal,
                    registration_id: Some(id),
                    waitlist_id: None,
                    child: Some(&child),
                    summary: format!("Withdrawn from {today}: {reason}"),
                    before: Some(serde_json::json!({ "status": "enrolled" })),
                    after: Some(serde_json::json!({
                        "status": "withdrawn", "leavesOn": today, "reason": reason
                    })),
                    execution_name: None,
                },
            )?;
            Ok(Some(id))
        })
    }
}
