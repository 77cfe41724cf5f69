//! Changes to a registration that an execution makes (an amendment, a withdrawal). The
//! execution's last task proposes the change: in one write transaction it re-checks
//! the registration and the spots of any day added, and writes the change 'pending',
//! holding those spots. The transaction that closes the execution applies it (SUCCEEDED)
//! or discards it (anything else, recovery included) and records it in the audit. So a
//! change, like a registration, exists if and only if its execution succeeded, and a
//! crash at any moment leaves none half-made. The same goes for an offer from the
//! waitlist (`waitlist.rs`), settled here with the execution that ran it.

use chrono::{NaiveDate, Weekday};
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
        let found = self.db.query_opt(
            "SELECT kind, status FROM changes WHERE execution_name = ?1",
            params![name],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        Ok(found.map(|(kind, status)| {
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
    let running = db.query_opt(
        "SELECT 1 FROM executions WHERE name = ?1 AND status = 'RUNNING'",
        params![&change.execution_name],
        |_| Ok(()),
    )?;
    if running.is_none() {
        return Err(StoreError::ClosedAsInterrupted(
            change.execution_name.clone(),
        ));
    }
    super::leavers::settle(db, change.today)?;
    let found = db.query_opt(
        "SELECT days, status, leaves_on, document FROM registrations r WHERE id = ?1 \
         AND NOT EXISTS (SELECT 1 FROM executions e \
                         WHERE e.name = r.execution_name AND e.status = 'RUNNING')",
        params![change.registration_id],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<NaiveDate>>(2)?,
                r.get::<String>(3)?,
            ))
        },
    )?;
    let Some((days, status, leaves_on, document)) = found else {
        return Ok(Proposal::NoSuchRegistration);
    };
    let leaving = matches!(change.what, ChangeWhat::Withdraw { .. }) && leaves_on.is_some();
    if status != "enrolled" || leaving {
        return Ok(Proposal::NotEnrolled { leaves_on });
    }
    let busy = db.query_opt(
        "SELECT execution_name FROM changes WHERE registration_id = ?1 AND status = 'pending'",
        params![change.registration_id],
        |r| r.get::<String>(0),
    )?;
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
    db.execute(
        "INSERT INTO changes (execution_name, registration_id, kind, status, added, days, \
         document, leaves_on, reason, today, staff, summary, before, after) \
         VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            &change.execution_name,
            change.registration_id,
            kind,
            added,
            new_days,
            new_document,
            on,
            reason,
            change.today,
            &change.staff,
            &change.summary,
            change.before.to_string(),
            change.after.to_string(),
        ],
    )?;
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
    let pending = db.query_opt(
        "UPDATE changes SET status = ?2 WHERE execution_name = ?1 AND status = 'pending' \
         RETURNING registration_id, kind, days, document, leaves_on, reason, today, staff, \
         summary, before, after",
        params![name, if succeeded { "applied" } else { "discarded" }],
        |r| {
            Ok(Pending {
                id: r.get(0)?,
                kind: r.get(1)?,
                days: r.get(2)?,
                document: r.get(3)?,
                leaves_on: r.get(4)?,
                reason: r.get(5)?,
                today: r.get(6)?,
                staff: r.get(7)?,
                summary: r.get(8)?,
                before: r.get(9)?,
                after: r.get(10)?,
            })
        },
    )?;
    let Some(Pending {
        id,
        kind,
        days,
        document,
        leaves_on,
        reason,
        today,
        staff,
        summary,
        before,
        after,
    }) = pending
    else {
        return Ok(());
    };
    if !succeeded {
        return Ok(());
    }
    let kind = if kind == "withdrawal" {
        db.execute(
            "UPDATE registrations SET leaves_on = ?2, withdraw_reason = ?3, \
             status = CASE WHEN ?2 <= ?4 THEN 'withdrawn' ELSE status END WHERE id = ?1",
            params![id, leaves_on, reason, today],
        )?;
        AuditKind::Withdrawal
    } else {
        db.execute(
            "UPDATE registrations SET days = coalesce(?2, days), \
             document = coalesce(?3, document) WHERE id = ?1",
            params![id, days, document],
        )?;
        AuditKind::Amendment
    };
    let child = db.query_opt(
        "SELECT first_name || ' ' || last_name FROM registrations WHERE id = ?1",
        params![id],
        |r| r.get::<String>(0),
    )?;
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

/// A pending change as its settling reads it back.
struct Pending {
    id: i64,
    kind: String,
    days: Option<i64>,
    document: Option<String>,
    leaves_on: Option<NaiveDate>,
    reason: Option<String>,
    today: NaiveDate,
    staff: String,
    summary: String,
    before: Option<String>,
    after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::AuditFilter;
    use crate::store::testing::on_both;
    use Weekday::{Mon, Tue, Wed};
    use serde_json::json;

    const DOCUMENT: &str = r#"{"child":{"firstName":"Ada"},"daysOfWeek":["Monday"]}"#;
    const AMENDED: &str = r#"{"child":{"firstName":"Ada"},"daysOfWeek":["Monday","Wednesday"]}"#;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    use crate::store::testing::execution_row as execution;

    /// `first` Racer enrolled on `days` by the execution `enrol-{first}`, finished with
    /// `status`: the registration's id.
    fn enrolled(store: &Store, first: &str, days: &[Weekday], status: &str) -> i64 {
        let name = format!("enrol-{first}");
        execution(store, &name, status);
        store
            .db
            .query_one(
                "INSERT INTO registrations (first_name, last_name, first_folded, last_folded, \
                 date_of_birth, days, age, fees, start_date, status, execution_name, document) \
                 VALUES (?1, 'Racer', ?2, 'racer', '2023-01-05', ?3, 3, 100, '2026-01-05', \
                 'enrolled', ?4, ?5) RETURNING id",
                params![first, first.to_lowercase(), mask(days), &name, DOCUMENT],
                |r| r.get::<i64>(0),
            )
            .unwrap()
    }

    /// A registration's days, status, leaving day, reason and document.
    type Kept = (i64, String, Option<NaiveDate>, Option<String>, String);

    fn kept(store: &Store, id: i64) -> Kept {
        store
            .db
            .query_one(
                "SELECT days, status, leaves_on, withdraw_reason, document FROM registrations \
                 WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap()
    }

    fn change(execution: &str, registration_id: i64, what: ChangeWhat) -> NewChange {
        NewChange {
            execution_name: execution.into(),
            registration_id,
            based_on: document_version(DOCUMENT),
            what,
            today: today(),
            staff: "Sam".into(),
            summary: "Days: Monday → Monday, Wednesday".into(),
            before: json!({ "days": ["Monday"] }),
            after: json!({ "days": ["Monday", "Wednesday"] }),
        }
    }

    fn amend(execution: &str, registration_id: i64) -> NewChange {
        change(
            execution,
            registration_id,
            ChangeWhat::Amend {
                days: vec![Mon, Wed],
                document: AMENDED.into(),
            },
        )
    }

    fn settle_change_of(store: &mut Store, name: &str, succeeded: bool) {
        store
            .write(|db| settle_change(db, name, succeeded))
            .unwrap();
    }

    /// The audit entries of one kind, newest first.
    fn audit_of(store: &Store, kind: AuditKind) -> Vec<crate::store::AuditEntry> {
        let filter = AuditFilter {
            kind: Some(kind),
            ..AuditFilter::default()
        };
        store.audit(&filter, 100).unwrap()
    }

    /// Wednesday's enrolled count as the triggers keep it (held spots included).
    fn wednesday_held(store: &Store) -> i64 {
        store
            .db
            .query_one("SELECT enrolled FROM capacity WHERE day = 2", &[], |r| {
                r.get::<i64>(0)
            })
            .unwrap()
    }

    #[test]
    fn an_amendment_holds_the_days_it_adds_until_its_execution_succeeds() {
        on_both(|store| {
            store.set_capacity(Some(Wed), 1, "Sam").unwrap();
            let id = enrolled(store, "Ada", &[Mon], "SUCCEEDED");
            execution(store, "amend-1", "RUNNING");
            assert_eq!(store.change_made_by("amend-1").unwrap(), None);
            assert_eq!(
                store.propose_change(&amend("amend-1", id)).unwrap(),
                Proposal::Held
            );
            assert!(store.settling.contains("amend-1"));
            // Wednesday's one spot is held: a reader does not count it, a writer does.
            assert_eq!(wednesday_held(store), 1);
            assert_eq!(store.spots().unwrap()[2].enrolled, 0);
            assert_eq!(store.unavailable_days(&[Wed], today()).unwrap(), [Wed]);
            assert_eq!(
                store.change_made_by("amend-1").unwrap(),
                Some((AuditKind::Amendment, false))
            );
            execution(store, "amend-2", "RUNNING");
            assert_eq!(
                store.propose_change(&amend("amend-2", id)).unwrap(),
                Proposal::Busy {
                    execution: "amend-1".into()
                }
            );
            assert!(audit_of(store, AuditKind::Amendment).is_empty());

            settle_change_of(store, "amend-1", true);
            assert_eq!(
                kept(store, id),
                (
                    mask(&[Mon, Wed]),
                    "enrolled".into(),
                    None,
                    None,
                    AMENDED.into()
                )
            );
            assert_eq!(
                store.change_made_by("amend-1").unwrap(),
                Some((AuditKind::Amendment, true))
            );
            assert_eq!(wednesday_held(store), 1);
            assert_eq!(store.spots().unwrap()[2].enrolled, 1);
            let audit = audit_of(store, AuditKind::Amendment);
            assert_eq!(audit.len(), 1);
            let entry = &audit[0];
            assert_eq!(entry.staff, "Sam");
            assert_eq!(entry.registration_id, Some(id));
            assert_eq!(entry.child.as_deref(), Some("Ada Racer"));
            assert_eq!(entry.summary, "Days: Monday → Monday, Wednesday");
            assert_eq!(entry.before, Some(json!({ "days": ["Monday"] })));
            assert_eq!(
                entry.after,
                Some(json!({ "days": ["Monday", "Wednesday"] }))
            );
            assert_eq!(entry.execution_name.as_deref(), Some("amend-1"));

            // Settled once: settling again changes nothing.
            settle_change_of(store, "amend-1", true);
            assert_eq!(audit_of(store, AuditKind::Amendment).len(), 1);
            // Worked out from the document before the amendment: stale now.
            assert_eq!(
                store.propose_change(&amend("amend-2", id)).unwrap(),
                Proposal::Stale
            );
        });
    }

    #[test]
    fn a_discarded_change_frees_its_days_and_changes_nothing() {
        on_both(|store| {
            store.set_capacity(Some(Wed), 1, "Sam").unwrap();
            let id = enrolled(store, "Ada", &[Mon], "SUCCEEDED");
            execution(store, "amend-1", "RUNNING");
            assert_eq!(
                store.propose_change(&amend("amend-1", id)).unwrap(),
                Proposal::Held
            );
            assert_eq!(wednesday_held(store), 1);
            settle_change_of(store, "amend-1", false);
            assert_eq!(wednesday_held(store), 0);
            assert!(store.unavailable_days(&[Wed], today()).unwrap().is_empty());
            assert_eq!(
                kept(store, id),
                (mask(&[Mon]), "enrolled".into(), None, None, DOCUMENT.into())
            );
            assert_eq!(
                store.change_made_by("amend-1").unwrap(),
                Some((AuditKind::Amendment, false))
            );
            assert!(audit_of(store, AuditKind::Amendment).is_empty());
            // The registration is free for the next change.
            execution(store, "amend-2", "RUNNING");
            assert_eq!(
                store.propose_change(&amend("amend-2", id)).unwrap(),
                Proposal::Held
            );
        });
    }

    #[test]
    fn a_withdrawal_today_withdraws_and_one_ahead_keeps_the_child_until_the_day() {
        on_both(|store| {
            let withdraw = |execution: &str, id: i64, on: NaiveDate| {
                change(
                    execution,
                    id,
                    ChangeWhat::Withdraw {
                        on,
                        reason: "moving".into(),
                    },
                )
            };
            let ada = enrolled(store, "Ada", &[Mon], "SUCCEEDED");
            let bo = enrolled(store, "Bo", &[Tue], "SUCCEEDED");
            let ahead = today() + chrono::Days::new(7);

            execution(store, "withdraw-ada", "RUNNING");
            assert_eq!(
                store
                    .propose_change(&withdraw("withdraw-ada", ada, today()))
                    .unwrap(),
                Proposal::Held
            );
            // A withdrawal holds no spot.
            assert_eq!(store.spots().unwrap()[0].enrolled, 1);
            settle_change_of(store, "withdraw-ada", true);
            assert_eq!(
                kept(store, ada),
                (
                    mask(&[Mon]),
                    "withdrawn".into(),
                    Some(today()),
                    Some("moving".into()),
                    DOCUMENT.into()
                )
            );
            assert_eq!(store.spots().unwrap()[0].enrolled, 0);
            assert_eq!(
                store.change_made_by("withdraw-ada").unwrap(),
                Some((AuditKind::Withdrawal, true))
            );

            execution(store, "withdraw-bo", "RUNNING");
            assert_eq!(
                store
                    .propose_change(&withdraw("withdraw-bo", bo, ahead))
                    .unwrap(),
                Proposal::Held
            );
            settle_change_of(store, "withdraw-bo", true);
            assert_eq!(
                kept(store, bo),
                (
                    mask(&[Tue]),
                    "enrolled".into(),
                    Some(ahead),
                    Some("moving".into()),
                    DOCUMENT.into()
                )
            );
            assert_eq!(store.spots().unwrap()[1].enrolled, 1);
            let audit = audit_of(store, AuditKind::Withdrawal);
            assert_eq!(
                audit
                    .iter()
                    .map(|e| (e.registration_id, e.child.as_deref()))
                    .collect::<Vec<_>>(),
                [(Some(bo), Some("Bo Racer")), (Some(ada), Some("Ada Racer"))]
            );

            // Leaving already: no second withdrawal; withdrawn: no change at all.
            execution(store, "again", "RUNNING");
            assert_eq!(
                store.propose_change(&withdraw("again", bo, ahead)).unwrap(),
                Proposal::NotEnrolled {
                    leaves_on: Some(ahead)
                }
            );
            assert_eq!(
                store.propose_change(&amend("again", ada)).unwrap(),
                Proposal::NotEnrolled {
                    leaves_on: Some(today())
                }
            );
            // On the day, the proposal itself finds Bo gone.
            let mut late = amend("again", bo);
            late.today = ahead;
            assert_eq!(
                store.propose_change(&late).unwrap(),
                Proposal::NotEnrolled {
                    leaves_on: Some(ahead)
                }
            );
            assert_eq!(kept(store, bo).1, "withdrawn");
            assert_eq!(store.change_made_by("again").unwrap(), None);
        });
    }

    #[test]
    fn a_change_is_refused_when_its_days_are_full_or_its_registration_is_not_there() {
        on_both(|store| {
            store.set_capacity(Some(Wed), 0, "Sam").unwrap();
            let id = enrolled(store, "Ada", &[Mon], "SUCCEEDED");
            let unfinished = enrolled(store, "Bo", &[Mon], "RUNNING");
            execution(store, "amend-1", "RUNNING");
            assert_eq!(
                store.propose_change(&amend("amend-1", id)).unwrap(),
                Proposal::Unavailable(vec![Wed])
            );
            let mut stale = amend("amend-1", id);
            stale.based_on = document_version("{}");
            assert_eq!(store.propose_change(&stale).unwrap(), Proposal::Stale);
            assert_eq!(
                store.propose_change(&amend("amend-1", 99)).unwrap(),
                Proposal::NoSuchRegistration
            );
            assert_eq!(
                store.propose_change(&amend("amend-1", unfinished)).unwrap(),
                Proposal::NoSuchRegistration
            );
            execution(store, "finished", "SUCCEEDED");
            for name in ["finished", "never-begun"] {
                let refused = store.propose_change(&amend(name, id));
                assert!(
                    matches!(&refused, Err(StoreError::ClosedAsInterrupted(n)) if n == name),
                    "{refused:?}"
                );
            }
            assert!(store.settling.is_empty());
            let changes = store
                .db
                .query_one("SELECT COUNT(*) FROM changes", &[], |r| r.get::<i64>(0))
                .unwrap();
            assert_eq!(changes, 0);
            // Tuesday, the day this one adds, has spots.
            let mut fewer = change(
                "amend-1",
                id,
                ChangeWhat::Amend {
                    days: vec![Tue],
                    document: DOCUMENT.into(),
                },
            );
            fewer.summary = "Days: Monday → Tuesday".into();
            assert_eq!(store.propose_change(&fewer).unwrap(), Proposal::Held);
        });
    }
}
