//! The audit: who changed what and when (capacity, amendments, withdrawals, waitlist
//! actions, offers), with the values before and after. Rows are only ever added, in the
//! same transaction as the change they record; the schema refuses updates and deletes
//! (and, on PostgreSQL, emptying the table with TRUNCATE).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::executions::from_micros;
use super::sql::{Db, Param, Row, Twin, params};
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

fn entry(row: &Row<'_>) -> Result<AuditEntry> {
    let kind: String = row.get(3)?;
    let value = |i: usize| -> Result<Option<Value>> {
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

/// The query `audit` and `for_each_audit_entry` run for `filter` and `limit` (none:
/// every entry), and its parameters, the text on each engine: they differ only in how
/// the child's folded name is searched. It names only the filters given, each by a
/// parameter of its own: one registration's or entry's entries are then found by their
/// index (an `?N IS NULL OR` form would walk the whole audit), and PostgreSQL never
/// meets a parameter it cannot type. The child is a plain substring of the folded name:
/// SQLite's `instr`, PostgreSQL's `strpos` (neither engine has the other's; `LIKE`
/// would take `%` and `_` in a name for wildcards).
fn audit_query(filter: &AuditFilter, limit: Option<usize>) -> (Twin<String>, Vec<Param<'static>>) {
    let mut params: Vec<Param<'static>> = Vec::new();
    let child = filter
        .child
        .as_deref()
        .map(crate::text::search_key)
        .filter(|c| !c.is_empty())
        .map(|c| {
            params.push(c.into());
            params.len()
        });
    let mut conditions = Vec::new();
    let mut narrow = |condition: &str, value: Param<'static>| {
        params.push(value);
        conditions.push(format!("{condition} ?{}", params.len()));
    };
    if let Some(kind) = filter.kind {
        narrow("kind =", kind.as_str().into());
    }
    if let Some(since) = filter.since {
        narrow("at_us >=", since.timestamp_micros().into());
    }
    if let Some(id) = filter.registration_id {
        narrow("registration_id =", id.into());
    }
    if let Some(id) = filter.waitlist_id {
        narrow("waitlist_id =", id.into());
    }
    let limit = match limit {
        Some(n) => {
            params.push(i64::try_from(n).unwrap_or(i64::MAX).into());
            format!(" LIMIT ?{}", params.len())
        }
        None => String::new(),
    };
    let text = |contains: &str| {
        let all: Vec<String> = child
            .map(|n| format!("{contains}(child_folded, ?{n}) > 0"))
            .into_iter()
            .chain(conditions.iter().cloned())
            .collect();
        let only = if all.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", all.join(" AND "))
        };
        format!(
            "SELECT id, at_us, staff, kind, registration_id, waitlist_id, child, summary, \
             before, after, execution_name FROM audit{only} ORDER BY id DESC{limit}"
        )
    };
    let sql = Twin {
        sqlite: text("instr"),
        postgres: text("strpos"),
    };
    (sql, params)
}

impl Store {
    /// Audit entries under `filter`, newest first, each handed to `visit` as it is read.
    pub fn for_each_audit_entry<E: From<StoreError>>(
        &self,
        filter: &AuditFilter,
        visit: impl FnMut(AuditEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let (sql, params) = audit_query(filter, None);
        self.db.for_each(&sql, &params, entry, visit)
    }

    /// At most `limit` audit entries under `filter`, newest first.
    pub fn audit(&self, filter: &AuditFilter, limit: usize) -> Result<Vec<AuditEntry>> {
        let (sql, params) = audit_query(filter, Some(limit));
        self.db.query_vec(&sql, &params, entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::on_both;
    use crate::text::search_key;
    use serde_json::json;

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
            (
                AuditFilter {
                    child: Some("Léa".into()),
                    kind: Some(AuditKind::Offer),
                    waitlist_id: Some(1),
                    ..AuditFilter::default()
                },
                "audit_by_waitlist",
            ),
        ] {
            let (sql, params) = audit_query(&filter, Some(5));
            let audit = plan(&store, &sql.sqlite, rusqlite::params_from_iter(&params));
            assert!(audit.contains(index), "{audit}");
        }
        let leaving = plan(
            &store,
            super::super::leavers::LEAVING.sqlite,
            ["2026-09-01"],
        );
        assert!(leaving.contains("registrations_leaving"), "{leaving}");
    }

    /// Adds an entry at `at_us` (microseconds), as `record` would: its id.
    fn add(
        store: &Store,
        at_us: i64,
        kind: AuditKind,
        child: Option<&str>,
        registration_id: Option<i64>,
        waitlist_id: Option<i64>,
    ) -> i64 {
        store
            .db
            .query_one(
                "INSERT INTO audit (at_us, staff, kind, registration_id, waitlist_id, child, \
                 child_folded, summary) VALUES (?1, 'Sam', ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                params![
                    at_us,
                    kind.as_str(),
                    registration_id,
                    waitlist_id,
                    child,
                    child.map(search_key),
                    format!("at {at_us}"),
                ],
                |r| r.get::<i64>(0),
            )
            .unwrap()
    }

    fn ids(store: &Store, filter: AuditFilter, limit: usize) -> Vec<i64> {
        store
            .audit(&filter, limit)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect()
    }

    #[test]
    fn every_filter_narrows_and_the_newest_comes_first() {
        on_both(|store| {
            let a = add(store, 1_000, AuditKind::Capacity, None, None, None);
            let b = add(
                store,
                2_000,
                AuditKind::Amendment,
                Some("Léa Dupont"),
                Some(1),
                None,
            );
            let c = add(
                store,
                3_000,
                AuditKind::Withdrawal,
                Some("Zoé Martin"),
                Some(2),
                None,
            );
            let d = add(
                store,
                4_000,
                AuditKind::WaitlistAdd,
                Some("Léa Dupont"),
                None,
                Some(7),
            );
            let e = add(
                store,
                5_000,
                AuditKind::Offer,
                Some("Léa Dupont"),
                Some(1),
                Some(7),
            );
            let all = AuditFilter::default;
            let child = |name: &str| AuditFilter {
                child: Some(name.into()),
                ..all()
            };
            assert_eq!(ids(store, all(), 100), [e, d, c, b, a]);
            assert_eq!(ids(store, all(), 2), [e, d]);
            assert_eq!(ids(store, all(), 0), Vec::<i64>::new());
            assert_eq!(ids(store, child("LEA"), 100), [e, d, b]);
            assert_eq!(ids(store, child("a dup"), 100), [e, d, b]);
            assert_eq!(ids(store, child("zoe"), 100), [c]);
            // A plain substring: no wildcards, and a name with no letters narrows nothing.
            assert_eq!(ids(store, child("%"), 100), Vec::<i64>::new());
            assert_eq!(ids(store, child("l_a"), 100), Vec::<i64>::new());
            assert_eq!(ids(store, child("  "), 100), [e, d, c, b, a]);
            let kind = AuditFilter {
                kind: Some(AuditKind::Amendment),
                ..all()
            };
            assert_eq!(ids(store, kind, 100), [b]);
            let since = AuditFilter {
                since: DateTime::from_timestamp_micros(3_000),
                ..all()
            };
            assert_eq!(ids(store, since, 100), [e, d, c]);
            let registration = AuditFilter {
                registration_id: Some(1),
                ..all()
            };
            assert_eq!(ids(store, registration, 100), [e, b]);
            let waitlist = AuditFilter {
                waitlist_id: Some(7),
                ..all()
            };
            assert_eq!(ids(store, waitlist, 100), [e, d]);
            let both = AuditFilter {
                registration_id: Some(1),
                waitlist_id: Some(7),
                ..all()
            };
            assert_eq!(ids(store, both, 100), [e]);
            let every = AuditFilter {
                child: Some("léa".into()),
                kind: Some(AuditKind::WaitlistAdd),
                since: DateTime::from_timestamp_micros(4_000),
                registration_id: None,
                waitlist_id: Some(7),
            };
            assert_eq!(ids(store, every, 1), [d]);
        });
    }

    #[test]
    fn a_recorded_entry_reads_back_whole_and_every_entry_streams() {
        on_both(|store| {
            let before = Utc::now();
            store
                .write(|db| {
                    record(
                        db,
                        &NewAuditEntry {
                            staff: "Sam",
                            kind: AuditKind::Amendment,
                            registration_id: Some(3),
                            waitlist_id: None,
                            child: Some("Zoë Brontë"),
                            summary: "Days: Monday → Monday, Wednesday".into(),
                            before: Some(json!({ "days": ["Monday"] })),
                            after: Some(json!({ "days": ["Monday", "Wednesday"] })),
                            execution_name: Some("amend-1"),
                        },
                    )?;
                    // More than the rows PostgreSQL sends at a time.
                    for i in 0..600 {
                        record(
                            db,
                            &NewAuditEntry {
                                staff: "Sam",
                                kind: AuditKind::Capacity,
                                registration_id: None,
                                waitlist_id: None,
                                child: None,
                                summary: format!("capacity {i}"),
                                before: None,
                                after: None,
                                execution_name: None,
                            },
                        )?;
                    }
                    Ok(())
                })
                .unwrap();
            let found = store
                .audit(
                    &AuditFilter {
                        child: Some("zoe bronte".into()),
                        ..AuditFilter::default()
                    },
                    10,
                )
                .unwrap();
            assert_eq!(found.len(), 1);
            let entry = &found[0];
            assert!(entry.at >= before && entry.at <= Utc::now(), "{}", entry.at);
            assert_eq!(
                (entry.staff.as_str(), entry.kind, entry.registration_id),
                ("Sam", AuditKind::Amendment, Some(3))
            );
            assert_eq!(entry.waitlist_id, None);
            assert_eq!(entry.child.as_deref(), Some("Zoë Brontë"));
            assert_eq!(entry.summary, "Days: Monday → Monday, Wednesday");
            assert_eq!(entry.before, Some(json!({ "days": ["Monday"] })));
            assert_eq!(
                entry.after,
                Some(json!({ "days": ["Monday", "Wednesday"] }))
            );
            assert_eq!(entry.execution_name.as_deref(), Some("amend-1"));

            let mut streamed = Vec::new();
            store
                .for_each_audit_entry(&AuditFilter::default(), |e| {
                    streamed.push(e.summary);
                    Ok::<(), StoreError>(())
                })
                .unwrap();
            assert_eq!(streamed.len(), 601);
            assert_eq!(streamed[0], "capacity 599");
            assert_eq!(streamed[600], entry.summary);

            let mut seen = 0;
            let stopped = store.for_each_audit_entry(
                &AuditFilter {
                    kind: Some(AuditKind::Capacity),
                    ..AuditFilter::default()
                },
                |_| {
                    seen += 1;
                    if seen == 3 {
                        return Err(StoreError::Other("enough".into()));
                    }
                    Ok(())
                },
            );
            assert!(matches!(stopped, Err(StoreError::Other(ref m)) if m == "enough"));
            assert_eq!(seen, 3);
        });
    }

    #[test]
    fn the_audit_refuses_every_update_and_delete() {
        on_both(|store| {
            let first = add(store, 1_000, AuditKind::Capacity, None, None, None);
            add(
                store,
                2_000,
                AuditKind::Offer,
                Some("Léa Dupont"),
                Some(1),
                Some(7),
            );
            let kept = || {
                store
                    .db
                    .query_vec(
                        "SELECT id, at_us, staff, kind, summary FROM audit ORDER BY id",
                        &[],
                        |r| {
                            Ok((
                                r.get::<i64>(0)?,
                                r.get::<i64>(1)?,
                                r.get::<String>(2)?,
                                r.get::<String>(3)?,
                                r.get::<String>(4)?,
                            ))
                        },
                    )
                    .unwrap()
            };
            let rows = kept();
            assert_eq!(rows.len(), 2);
            let refused = |result: Result<usize>, what: &str| match result {
                Err(e) => assert!(e.to_string().contains("append-only"), "{what}: {e}"),
                Ok(n) => panic!("{what} changed {n} rows"),
            };
            refused(
                store.db.execute("UPDATE audit SET staff = 'Eve'", &[]),
                "an update",
            );
            refused(
                store.db.execute(
                    "UPDATE audit SET summary = ?2 WHERE id = ?1",
                    params![first, "nothing happened"],
                ),
                "an update of one row",
            );
            refused(
                store
                    .db
                    .execute("DELETE FROM audit WHERE id = ?1", params![first]),
                "a delete of one row",
            );
            refused(store.db.execute("DELETE FROM audit", &[]), "a delete");
            if let Db::Postgres(_) = store.db {
                let truncated = store.db.batch("TRUNCATE audit");
                assert!(
                    matches!(&truncated, Err(e) if e.to_string().contains("append-only")),
                    "{truncated:?}"
                );
            }
            assert_eq!(kept(), rows);
        });
    }
}
