//! The waitlist: registrations refused for want of spots, kept with the days wanted, the
//! day added and priority notes, in the order staff see (the day added, then priority:
//! a sibling enrolled or a staff note; then arrival). An offer runs the registration
//! workflow again; its entry is settled with the offer's execution (`changes.rs`).
//! Every action here is recorded in the audit in its own transaction.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::Serialize;
use serde_json::{Value, json};

use super::audit::{self, AuditKind, NewAuditEntry};
use super::capacity::{mask, unmask};
use super::executions::from_micros;
use super::refold::fold;
use super::sql::{Db, Row, params};
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

fn entry(r: &Row<'_>) -> Result<WaitlistEntry> {
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

fn read(db: &Db, id: i64) -> Result<Option<WaitlistEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM waitlist WHERE id = ?1");
    db.query_opt(&sql, params![id], entry)
}

/// An entry that is waiting and has no offer running, or why not.
fn waiting(db: &Db, id: i64) -> Result<WaitlistEntry> {
    let found = read(db, id)?.ok_or(StoreError::NoSuchWaitlistEntry(id))?;
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
            let folded = format!("{} {}", fold(new.first_name), fold(new.last_name));
            let already = db.query_opt(
                "SELECT id FROM waitlist WHERE status = 'waiting' AND \
                 ((child_folded = ?1 AND date_of_birth = ?2) OR refused_execution = ?3)",
                params![&folded, new.date_of_birth, new.refused_execution],
                |r| r.get::<i64>(0),
            )?;
            if let Some(id) = already {
                return Err(StoreError::AlreadyWaiting(id));
            }
            let id = db.query_one(
                "INSERT INTO waitlist (added_us, added_on, first_name, last_name, child_folded, \
                 date_of_birth, days, document, refused_execution, sibling_of, notes, staff, \
                 status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'waiting') \
                 RETURNING id",
                params![
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
                ],
                |r| r.get::<i64>(0),
            )?;
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
        self.db.query_vec(&sql, &[], entry)
    }

    /// One entry by id, whatever its status.
    pub fn waitlist_entry(&self, id: i64) -> Result<Option<WaitlistEntry>> {
        read(&self.db, id)
    }

    /// Takes an entry off the waitlist for `reason`, recorded in the audit.
    pub fn remove_from_waitlist(
        &mut self,
        id: i64,
        reason: &str,
        staff: &str,
    ) -> Result<WaitlistEntry> {
        self.write(|db| {
            let mut found = waiting(db, id)?;
            db.execute(
                "UPDATE waitlist SET status = 'removed', closed_reason = ?2 WHERE id = ?1",
                params![id, reason],
            )?;
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
            let mut found = waiting(db, id)?;
            db.execute(
                "UPDATE waitlist SET offer_execution = ?2, offer_staff = ?3 WHERE id = ?1",
                params![id, execution, staff],
            )?;
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
    let found = db.query_opt(
        "SELECT id, first_name || ' ' || last_name, offer_staff FROM waitlist \
         WHERE offer_execution = ?1",
        params![name],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
            ))
        },
    )?;
    let Some((id, child, staff)) = found else {
        return Ok(());
    };
    let registration = if succeeded {
        db.query_opt(
            "SELECT id FROM registrations WHERE execution_name = ?1",
            params![name],
            |r| r.get::<i64>(0),
        )?
    } else {
        None
    };
    let (summary, after) = match registration {
        Some(registration) => {
            db.execute(
                "UPDATE waitlist SET status = 'enrolled', registration_id = ?2, \
                 offer_execution = NULL, last_offer = ?3, last_refusal = NULL WHERE id = ?1",
                params![id, registration, name],
            )?;
            (
                format!("Offered a spot: enrolled as registration {registration}"),
                json!({ "status": "enrolled", "registrationId": registration }),
            )
        }
        None => {
            let cause = cause.unwrap_or("the offer did not succeed");
            db.execute(
                "UPDATE waitlist SET offer_execution = NULL, last_offer = ?2, last_refusal = ?3 \
                 WHERE id = ?1",
                params![id, name, cause],
            )?;
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

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Weekday};
    use serde_json::json;

    use super::{NewWaitlistEntry, WaitlistEntry, WaitlistStatus};
    use crate::store::testing::{enrol, on_both};
    use crate::store::{AuditFilter, AuditKind, Confirmation, NewRegistration, Store, StoreError};
    use crate::workflow::{ExecutionStatus, ExecutionSummary};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn begin(store: &mut Store, name: &str) -> ExecutionSummary {
        let summary = ExecutionSummary::started("arn:m", name, "{}".into());
        let Ok(()) = store.begin_execution(&summary, "{}", None) else {
            panic!("{name} begun")
        };
        summary
    }

    fn finish(store: &mut Store, mut summary: ExecutionSummary, cause: Option<&str>) {
        summary.status = match cause {
            None => ExecutionStatus::Succeeded,
            Some(_) => ExecutionStatus::Failed,
        };
        summary.cause = cause.map(str::to_string);
        crate::store::testing::end(store, summary, None);
    }

    struct Wanted<'a> {
        first: &'a str,
        refused: &'a str,
        today: NaiveDate,
        sibling_of: Option<i64>,
        notes: Option<&'a str>,
    }

    /// Puts a child born on 2023-04-01 on the waitlist for Monday and Tuesday, its
    /// refused execution begun first.
    fn add(store: &mut Store, wanted: Wanted<'_>) -> Result<i64, StoreError> {
        if !matches!(store.execution_exists(wanted.refused), Ok(true)) {
            begin(store, wanted.refused);
        }
        let document = json!({ "child": wanted.first });
        store.add_to_waitlist(&NewWaitlistEntry {
            refused_execution: wanted.refused,
            first_name: wanted.first,
            last_name: "Ødegård",
            date_of_birth: day(2023, 4, 1),
            days: &[Weekday::Mon, Weekday::Tue],
            document: &document,
            sibling_of: wanted.sibling_of,
            notes: wanted.notes,
            staff: "Sam",
            today: wanted.today,
        })
    }

    fn plain<'a>(first: &'a str, refused: &'a str) -> Wanted<'a> {
        Wanted {
            first,
            refused,
            today: day(2026, 3, 2),
            sibling_of: None,
            notes: None,
        }
    }

    fn entry(store: &Store, id: i64) -> WaitlistEntry {
        match store.waitlist_entry(id) {
            Ok(Some(entry)) => entry,
            other => panic!("entry {id}: {other:?}"),
        }
    }

    fn waiting_ids(store: &Store) -> Vec<i64> {
        match store.waitlist() {
            Ok(list) => list.iter().map(|e| e.id).collect(),
            Err(e) => panic!("waitlist: {e}"),
        }
    }

    fn audit_of(store: &Store, waitlist_id: i64) -> Vec<(AuditKind, String)> {
        let filter = AuditFilter {
            waitlist_id: Some(waitlist_id),
            ..AuditFilter::default()
        };
        match store.audit(&filter, 10) {
            Ok(entries) => entries.into_iter().map(|e| (e.kind, e.summary)).collect(),
            Err(e) => panic!("audit: {e}"),
        }
    }

    #[test]
    fn entries_wait_in_order_and_a_child_waits_once() {
        on_both(|store| {
            let sibling = enrol(
                store,
                &NewRegistration {
                    first_name: "Big".into(),
                    last_name: "Ødegård".into(),
                    date_of_birth: day(2021, 1, 1),
                    days: vec![Weekday::Mon],
                    age: 5,
                    fees: 700,
                    start_date: day(2026, 1, 5),
                    execution_name: "sibling".into(),
                    document: "{}".into(),
                },
                "{}",
            );
            let Ok(ana) = add(store, plain("Ana", "ref-1")) else {
                panic!("Ana added")
            };
            let Ok(ben) = add(
                store,
                Wanted {
                    notes: Some("twins"),
                    ..plain("Ben", "ref-2")
                },
            ) else {
                panic!("Ben added")
            };
            let Ok(cleo) = add(
                store,
                Wanted {
                    today: day(2026, 3, 1),
                    ..plain("Cléo", "ref-3")
                },
            ) else {
                panic!("Cléo added")
            };
            let Ok(dan) = add(
                store,
                Wanted {
                    sibling_of: Some(sibling),
                    ..plain("Dan", "ref-4")
                },
            ) else {
                panic!("Dan added")
            };
            // The day added, then priority (a note or a sibling), then arrival.
            assert_eq!(waiting_ids(store), [cleo, ben, dan, ana]);

            let kept = entry(store, dan);
            assert_eq!(kept.child(), "Dan Ødegård");
            assert_eq!(kept.added_on, day(2026, 3, 2));
            assert_eq!(kept.date_of_birth, day(2023, 4, 1));
            assert_eq!(kept.days, [Weekday::Mon, Weekday::Tue]);
            assert_eq!(kept.document, json!({ "child": "Dan" }));
            assert_eq!(kept.refused_execution, "ref-4");
            assert_eq!(kept.sibling_of, Some(sibling));
            assert_eq!(kept.notes, None);
            assert_eq!(kept.staff, "Sam");
            assert_eq!(kept.status, WaitlistStatus::Waiting);
            assert_eq!(
                (kept.offer_execution, kept.last_offer, kept.registration_id),
                (None, None, None)
            );
            assert_eq!(entry(store, ben).notes.as_deref(), Some("twins"));
            assert!(matches!(store.waitlist_entry(dan + 100), Ok(None)));

            // The same child (any case), or the same refused execution: refused.
            assert!(matches!(
                add(store, plain("ANA", "ref-5")),
                Err(StoreError::AlreadyWaiting(id)) if id == ana
            ));
            assert!(matches!(
                add(store, plain("Eve", "ref-2")),
                Err(StoreError::AlreadyWaiting(id)) if id == ben
            ));
            assert_eq!(waiting_ids(store).len(), 4);
            assert_eq!(
                audit_of(store, ana),
                [(
                    AuditKind::WaitlistAdd,
                    "Put on the waitlist for Monday, Tuesday".to_string()
                )]
            );
        });
    }

    #[test]
    fn an_entry_taken_off_waits_no_more() {
        on_both(|store| {
            let Ok(ana) = add(store, plain("Ana", "ref-1")) else {
                panic!("added")
            };
            let Ok(removed) = store.remove_from_waitlist(ana, "found a place", "Kim") else {
                panic!("removed")
            };
            assert_eq!(removed.status, WaitlistStatus::Removed);
            assert_eq!(removed.closed_reason.as_deref(), Some("found a place"));
            assert_eq!(entry(store, ana), removed);
            assert_eq!(waiting_ids(store), Vec::<i64>::new());
            assert!(matches!(
                store.remove_from_waitlist(ana, "again", "Kim"),
                Err(StoreError::NotWaiting(id)) if id == ana
            ));
            assert!(matches!(
                store.remove_from_waitlist(ana + 100, "none", "Kim"),
                Err(StoreError::NoSuchWaitlistEntry(id)) if id == ana + 100
            ));
            assert!(matches!(
                store.begin_offer(ana, "offer", "Kim"),
                Err(StoreError::NotWaiting(_))
            ));
            assert_eq!(
                audit_of(store, ana)[0],
                (
                    AuditKind::WaitlistRemove,
                    "Taken off the waitlist: found a place".to_string()
                )
            );
            // Off the list, the child may wait again.
            let Ok(again) = add(store, plain("Ana", "ref-2")) else {
                panic!("added again")
            };
            assert_eq!(waiting_ids(store), [again]);
        });
    }

    #[test]
    fn an_offer_is_settled_with_its_execution() {
        on_both(|store| {
            let Ok(ana) = add(store, plain("Ana", "ref-1")) else {
                panic!("added")
            };
            let first = begin(store, "offer-1");
            let Ok(offered) = store.begin_offer(ana, "offer-1", "Kim") else {
                panic!("offered")
            };
            assert_eq!(offered.offer_execution.as_deref(), Some("offer-1"));
            assert_eq!(
                entry(store, ana).offer_execution.as_deref(),
                Some("offer-1")
            );
            assert!(matches!(
                store.begin_offer(ana, "offer-x", "Kim"),
                Err(StoreError::OfferRunning { id, execution }) if id == ana && execution == "offer-1"
            ));
            assert!(matches!(
                store.remove_from_waitlist(ana, "no", "Kim"),
                Err(StoreError::OfferRunning { .. })
            ));

            // Refused: still waiting, the refusal kept.
            finish(store, first, Some("no spot on Monday"));
            let refused = entry(store, ana);
            assert_eq!(refused.status, WaitlistStatus::Waiting);
            assert_eq!(refused.offer_execution, None);
            assert_eq!(refused.last_offer.as_deref(), Some("offer-1"));
            assert_eq!(refused.last_refusal.as_deref(), Some("no spot on Monday"));
            assert_eq!(waiting_ids(store), [ana]);

            // Enrolled: the entry names the registration.
            let second = begin(store, "offer-2");
            let Ok(_) = store.begin_offer(ana, "offer-2", "Kim") else {
                panic!("offered again")
            };
            let registration = NewRegistration {
                first_name: "Ana".into(),
                last_name: "Ødegård".into(),
                date_of_birth: day(2023, 4, 1),
                days: vec![Weekday::Mon, Weekday::Tue],
                age: 3,
                fees: 700,
                start_date: day(2026, 4, 1),
                execution_name: "offer-2".into(),
                document: "{}".into(),
            };
            let Ok(Confirmation::Confirmed(id)) = store.confirm(&registration) else {
                panic!("confirmed")
            };
            finish(store, second, None);
            let enrolled = entry(store, ana);
            assert_eq!(enrolled.status, WaitlistStatus::Enrolled);
            assert_eq!(enrolled.registration_id, Some(id));
            assert_eq!(enrolled.last_offer.as_deref(), Some("offer-2"));
            assert_eq!(enrolled.last_refusal, None);
            assert_eq!(enrolled.offer_execution, None);
            assert_eq!(waiting_ids(store), Vec::<i64>::new());
            let offers: Vec<String> = audit_of(store, ana)
                .into_iter()
                .filter(|(kind, _)| *kind == AuditKind::Offer)
                .map(|(_, summary)| summary)
                .collect();
            assert_eq!(
                offers,
                [
                    format!("Offered a spot: enrolled as registration {id}"),
                    "Offered a spot: refused, still waiting (no spot on Monday)".to_string(),
                ]
            );
        });
    }
}
