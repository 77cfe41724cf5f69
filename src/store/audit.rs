//! The audit: who changed what and when (capacity, amendments, withdrawals, waitlist
//! actions, offers), with the values before and after. Rows are only ever added, in the
//! same transaction as the change they record; the schema refuses updates and deletes.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row};
use serde::Serialize;
use serde_json::Value;

use super::executions::from_micros;
use super::sql::{Db, params};
use super::{Result, Store, StoreError};

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditKind {
    Capacity,
    Amendment,
    Withdrawal,
    WaitlistAdd,
    WaitlistRemove,
    Offer,
}

impl AuditKind {
    pub const ALL: [AuditKind; 6] = [
        AuditKind::Capacity,
        AuditKind::Amendment,
        AuditKind::Withdrawal,
        AuditKind::WaitlistAdd,
        AuditKind::WaitlistRemove,
        AuditKind::Offer,
    ];

    /// The kind as stored and as `--kind` takes it: `capacity`, `waitlist-add`, …
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Capacity => "capacity",
            AuditKind::Amendment => "amendment",
            AuditKind::Withdrawal => "withdrawal",
            AuditKind::WaitlistAdd => "waitlist-add",
            AuditKind::WaitlistRemove => "waitlist-remove",
            AuditKind::Offer => "offer",
        }
    }

    /// For people: "Capacity", "Waitlist: added", …
    pub fn label(self) -> &'static str {
        match self {
            AuditKind::Capacity => "Capacity",
            AuditKind::Amendment => "Amendment",
            AuditKind::Withdrawal => "Withdrawal",
            AuditKind::WaitlistAdd => "Waitlist: added",
            AuditKind::WaitlistRemove => "Waitlist: removed",
            AuditKind::Offer => "Offer",
        }
    }

    /// `as_str`'s text back, any case.
    pub fn parse(text: &str) -> Option<AuditKind> {
        let text = text.trim().to_ascii_lowercase();
        AuditKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One entry of the audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff: String,
    pub kind: AuditKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child: Option<String>,
    /// One sentence for people: "Monday: 20 → 3 spots".
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// The execution that made the change, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_name: Option<String>,
}

/// What to add to the audit (its id and time are the store's).
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry<'a> {
    pub staff: &'a str,
    pub kind: AuditKind,
    pub registration_id: Option<i64>,
    pub waitlist_id: Option<i64>,
    pub child: Option<&'a str>,
    pub summary: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub execution_name: Option<&'a str>,
}

/// Which entries to read. Every field narrows; the default reads all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// Part of the child's name (any case, accents aside).
    pub child: Option<String>,
    pub kind: Option<AuditKind>,
    /// Only entries at or after this moment.
    pub since: Option<DateTime<Utc>>,
    pub registration_id: Option<i64>,
    pub waitlist_id: Option<i64>,
}

/// Adds an entry inside whatever transaction `db` is in: the change's own.
pub(super) fn record(db: &Db, entry: &NewAuditEntry<'_>) -> Result<()> {
    let json = |v: &Option<Value>| v.as_ref().map(Value::to_string);
    db.execute(
        "INSERT INTO audit (at_us, staff, kind, registration_id, waitlist_id, child, \
         child_folded, summary, before, after, execution_name) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            Utc::now().timestamp_micros(),
            entry.staff,
            entry.kind.as_str(),
            entry.registration_id,
            entry.waitlist_id,
            entry.child,
            entry.child.map(crate::text::search_key),
            &entry.summary,
            json(&entry.before),
            json(&entry.after),
            entry.execution_name,
        ],
    )?;
    Ok(())
}

fn entry(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let kind: String = row.get(3)?;
    let value = |i: usize| -> rusqlite::Result<Option<Value>> {
        let text: Option<String> = row.get(i)?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    };
    Ok(AuditEntry {
        id: row.get(0)?,
        at: from_micros(row.get(1)?),
        staff: row.get(2)?,
        // The schema's CHECK admits only these kinds.
        kind: AuditKind::parse(&kind).unwrap_or(AuditKind::Capacity),
        registration_id: row.get(4)?,
        waitlist_id: row.get(5)?,
        child: row.get(6)?,
        summary: row.get(7)?,
        before: value(8)?,
        after: value(9)?,
        execution_name: row.get(10)?,
    })
}

/// The query `read_audit` runs for `filter` (parameters ?1 child, ?2 kind, ?3 since,
/// ?4 registration, ?5 waitlist entry, ?6 limit). One registration's or entry's entries
/// are found by their index: the `IS NULL OR` form alone would walk the whole audit.
fn audit_sql(filter: &AuditFilter) -> String {
    let key = if filter.registration_id.is_some() {
        "registration_id = ?4 AND"
    } else if filter.waitlist_id.is_some() {
        "waitlist_id = ?5 AND"
    } else {
        ""
    };
    format!(
        "SELECT id, at_us, staff, kind, registration_id, waitlist_id, child, summary, \
         before, after, execution_name FROM audit WHERE {key} \
         (?1 IS NULL OR instr(child_folded, ?1) > 0) \
         AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR at_us >= ?3) \
         AND (?4 IS NULL OR registration_id = ?4) AND (?5 IS NULL OR waitlist_id = ?5) \
         ORDER BY id DESC LIMIT ?6"
    )
}

impl Store {
    /// Audit entries under `filter`, newest first, each handed to `visit` as it is read.
    pub fn for_each_audit_entry<E: From<StoreError>>(
        &self,
        filter: &AuditFilter,
        visit: impl FnMut(AuditEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        self.read_audit(filter, None, visit)
    }

    /// At most `limit` audit entries under `filter`, newest first.
    pub fn audit(&self, filter: &AuditFilter, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut list = Vec::new();
        self.read_audit(filter, Some(limit), |e| {
            list.push(e);
            Ok::<_, StoreError>(())
        })?;
        Ok(list)
    }

    fn read_audit<E: From<StoreError>>(
        &self,
        filter: &AuditFilter,
        limit: Option<usize>,
        mut visit: impl FnMut(AuditEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = audit_sql(filter);
        let mut stmt = self
            .db
            .sqlite()?
            .prepare_cached(&sql)
            .map_err(StoreError::from)?;
        let child = filter
            .child
            .as_deref()
            .map(crate::text::search_key)
            .filter(|c| !c.is_empty());
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut rows = stmt
            .query(rusqlite::params![
                child,
                filter.kind.map(AuditKind::as_str),
                filter.since.map(|t| t.timestamp_micros()),
                filter.registration_id,
                filter.waitlist_id,
                limit,
            ])
            .map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            visit(entry(row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(store: &Store, sql: &str, params: impl rusqlite::Params) -> String {
        let mut stmt = store
            .db
            .sqlite()
            .unwrap()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt.query_map(params, |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn one_registration_s_entries_and_the_leaving_children_are_found_by_index() {
        let store = Store::open_in_memory().unwrap();
        let none = None::<String>;
        for (filter, index) in [
            (
                AuditFilter {
                    registration_id: Some(1),
                    ..AuditFilter::default()
                },
                "audit_by_registration",
            ),
            (
                AuditFilter {
                    waitlist_id: Some(1),
                    ..AuditFilter::default()
                },
                "audit_by_waitlist",
            ),
        ] {
            let sql = audit_sql(&filter);
            let params = (
                &none,
                &none,
                &none,
                filter.registration_id,
                filter.waitlist_id,
                5,
            );
            let audit = plan(&store, &sql, params);
            assert!(audit.contains(index), "{audit}");
        }
        let leaving = plan(
            &store,
            super::super::leavers::LEAVING.sqlite,
            ["2026-09-01"],
        );
        assert!(leaving.contains("registrations_leaving"), "{leaving}");
    }
}
