//! The desk between registrations, on an in-memory database with today pinned:
//! amendments, withdrawals (today and ahead), the waitlist and offers, and the audit.

use chrono::{NaiveDate, Weekday};
use daycare::registration::{Clock, Desk, DeskError};
use daycare::store::{AuditFilter, AuditKind, WaitlistStatus};
use serde_json::{Map, Value, json};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

fn desk_on(day: NaiveDate) -> Desk {
    Desk::in_memory(Clock::pinned(day))
        .unwrap()
        .with_staff("Amira")
}

/// A registration document for a child born in 2022 (4 on the start date), with its own
/// parents so that no two are siblings unless asked.
fn child(first: &str, days: &[&str], phone: &str) -> Value {
    json!({"registration_info": {
        "child": {"firstName": first, "lastName": "Test", "dateOfBirth": "2022-03-04"},
        "parents": {"mother": {"firstName": "Mum", "lastName": first, "phone": phone}},
        "daysOfWeek": days,
        "specialInstructions": "Peanut allergy",
    }})
}

async fn enrol(desk: &Desk, first: &str, days: &[&str], phone: &str) -> i64 {
    let outcome = desk.submit(child(first, days, phone), None).await.unwrap();
    assert!(outcome.succeeded(), "{outcome:?}");
    desk.store_snapshot()
        .iter()
        .find(|r| r.first_name == first)
        .map(|r| r.id)
        .unwrap()
}

fn changes(value: Value) -> Map<String, Value> {
    daycare::registration::changes::changes_from(value).unwrap()
}

trait Snapshot {
    fn store_snapshot(&self) -> Vec<daycare::store::Registration>;
    fn enrolled(&self, day: Weekday) -> u32;
    fn audit(&self, kind: AuditKind) -> Vec<daycare::store::AuditEntry>;
}

impl Snapshot for Desk {
    fn store_snapshot(&self) -> Vec<daycare::store::Registration> {
        let mut all = Vec::new();
        for id in 1..100 {
            if let Some(r) = self.registration(id).unwrap() {
                all.push(r);
            }
        }
        all
    }

    fn enrolled(&self, day: Weekday) -> u32 {
        self.spots()
            .unwrap()
            .into_iter()
            .find(|s| s.day == day)
            .map(|s| s.enrolled)
            .unwrap()
    }

    fn audit(&self, kind: AuditKind) -> Vec<daycare::store::AuditEntry> {
        self.audit_entries(
            &AuditFilter {
                kind: Some(kind),
                ..AuditFilter::default()
            },
            100,
        )
        .unwrap()
    }
}

#[tokio::test]
async fn adding_a_full_day_is_refused_in_plain_words_and_changes_nothing() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Wed), 1).unwrap();
    let first = enrol(&desk, "Ada", &["Mon", "Wed"], "0611111111").await;
    let second = enrol(&desk, "Bea", &["Mon"], "0622222222").await;
    let change = desk
        .amend(second, changes(json!({"daysOfWeek": ["Mon", "Wed"]})), None)
        .await
        .unwrap();
    assert!(!change.succeeded());
    assert_eq!(change.execution.error.as_deref(), Some("NoSpotsAvailable"));
    assert_eq!(
        change.refusal(),
        Some("No spot for Bea Test on Wednesday (full).")
    );
    let kept = desk.registration(second).unwrap().unwrap();
    assert_eq!(kept.days, vec![Weekday::Mon]);
    assert_eq!(desk.enrolled(Weekday::Wed), 1);
    assert!(desk.audit(AuditKind::Amendment).is_empty());
    // The first child's registration is untouched.
    assert_eq!(
        desk.registration(first).unwrap().unwrap().days,
        vec![Weekday::Mon, Weekday::Wed]
    );
}

#[tokio::test]
async fn removing_a_day_frees_its_spot_at_once_and_is_audited() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Wed), 1).unwrap();
    let ada = enrol(&desk, "Ada", &["Mon", "Wed"], "0611111111").await;
    let change = desk
        .amend(ada, changes(json!({"daysOfWeek": ["Monday"]})), None)
        .await
        .unwrap();
    assert!(change.succeeded(), "{change:?}");
    assert_eq!(desk.enrolled(Weekday::Wed), 0);
    assert_eq!(desk.enrolled(Weekday::Mon), 1);
    let bea = desk
        .submit(child("Bea", &["Wed"], "0622222222"), None)
        .await
        .unwrap();
    assert!(bea.succeeded(), "the freed Wednesday is taken: {bea:?}");
    let audit = desk.audit(AuditKind::Amendment);
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].staff, "Amira");
    assert_eq!(audit[0].registration_id, Some(ada));
    assert_eq!(
        audit[0].before,
        Some(json!({"daysOfWeek": ["Monday", "Wednesday"]}))
    );
    assert_eq!(audit[0].after, Some(json!({"daysOfWeek": ["Monday"]})));
    assert_eq!(
        audit[0].execution_name.as_deref(),
        Some(change.execution.name.as_str())
    );
}

#[tokio::test]
async fn parents_and_instructions_change_under_the_registration_rules() {
    let desk = desk_on(today());
    let ada = enrol(&desk, "Ada", &["Mon"], "0611111111").await;
    let bad = desk
        .amend(
            ada,
            changes(json!({"parents": {"mother": {"firstName": "Mum", "lastName": "Ada", "email": "not-an-email"}}})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(bad.execution.error.as_deref(), Some("AmendmentInvalid"));
    assert!(bad.refusal().unwrap().contains("email"), "{bad:?}");
    let good = desk
        .amend(
            ada,
            changes(json!({
                "parents": {"father": {"firstName": "Dad", "lastName": "Ada", "email": "dad@example.com"}},
                "specialInstructions": null,
            })),
            None,
        )
        .await
        .unwrap();
    assert!(good.succeeded(), "{good:?}");
    let kept = desk.registration(ada).unwrap().unwrap();
    assert_eq!(
        kept.document["parents"]["father"]["email"],
        "dad@example.com"
    );
    assert!(kept.document["parents"].get("mother").is_none());
    assert!(kept.document.get("specialInstructions").is_none());
    // The confirmed fees and start date stay.
    assert_eq!(kept.document["fees"], 700);
    assert_eq!(kept.document["start_date"], "2026-09-15");
    let same = desk
        .amend(ada, changes(json!({"daysOfWeek": ["Mon"]})), None)
        .await
        .unwrap();
    assert_eq!(same.execution.error.as_deref(), Some("AmendmentInvalid"));
    assert!(
        same.refusal().unwrap().starts_with("Nothing changes"),
        "{same:?}"
    );
}

#[tokio::test]
async fn a_withdrawal_today_frees_the_spots_and_keeps_the_record_read_only() {
    let desk = desk_on(today());
    let ada = enrol(&desk, "Ada", &["Mon"], "0611111111").await;
    let change = desk.withdraw(ada, "Moving away", None, None).await.unwrap();
    assert!(change.succeeded(), "{change:?}");
    let kept = desk.registration(ada).unwrap().unwrap();
    assert_eq!(kept.status, daycare::store::RegistrationStatus::Withdrawn);
    assert_eq!(kept.withdraw_reason.as_deref(), Some("Moving away"));
    assert_eq!(kept.leaves_on, Some(today()));
    assert_eq!(desk.enrolled(Weekday::Mon), 0);
    let again = desk.withdraw(ada, "Twice", None, None).await.unwrap();
    assert_eq!(
        again.execution.error.as_deref(),
        Some("RegistrationNotWithdrawable")
    );
    let amend = desk
        .amend(ada, changes(json!({"daysOfWeek": ["Tue"]})), None)
        .await
        .unwrap();
    assert_eq!(
        amend.execution.error.as_deref(),
        Some("RegistrationNotChangeable")
    );
    assert!(amend.refusal().unwrap().contains("withdrawn"), "{amend:?}");
    assert_eq!(desk.audit(AuditKind::Withdrawal).len(), 1);
}

#[tokio::test]
async fn a_withdrawal_needs_a_reason_and_a_day_not_in_the_past() {
    let desk = desk_on(today());
    let ada = enrol(&desk, "Ada", &["Mon"], "0611111111").await;
    let blank = desk.withdraw(ada, "  ", None, None).await.unwrap();
    assert_eq!(blank.execution.error.as_deref(), Some("WithdrawalInvalid"));
    assert!(blank.refusal().unwrap().contains("reason"), "{blank:?}");
    let past = desk
        .withdraw(ada, "Moving", NaiveDate::from_ymd_opt(2026, 8, 1), None)
        .await
        .unwrap();
    assert_eq!(past.execution.error.as_deref(), Some("WithdrawalInvalid"));
    assert!(past.refusal().unwrap().contains("in the past"), "{past:?}");
    let missing = desk.withdraw(999, "Moving", None, None).await.unwrap_err();
    assert_eq!(missing.to_string(), "no registration 999");
    assert_eq!(desk.enrolled(Weekday::Mon), 1);
}

#[tokio::test]
async fn a_withdrawal_ahead_keeps_the_child_until_the_day_and_frees_the_spot_from_it() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Mon), 1).unwrap();
    let ada = enrol(&desk, "Ada", &["Mon"], "0611111111").await;
    // Ada leaves on 10 September; a child registering today starts on the 15th.
    let leaves = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
    let change = desk
        .withdraw(ada, "Moving", Some(leaves), None)
        .await
        .unwrap();
    assert!(change.succeeded(), "{change:?}");
    let kept = desk.registration(ada).unwrap().unwrap();
    assert!(kept.enrolled_on(today()));
    assert!(!kept.enrolled_on(leaves));
    assert_eq!(desk.enrolled(Weekday::Mon), 1, "still enrolled today");
    // Nobody may take Monday now (an amendment takes effect today)…
    let bea = enrol(&desk, "Bea", &["Tue"], "0622222222").await;
    let now = desk
        .amend(bea, changes(json!({"daysOfWeek": ["Mon", "Tue"]})), None)
        .await
        .unwrap();
    assert_eq!(now.execution.error.as_deref(), Some("NoSpotsAvailable"));
    // …but a registration starting after the 10th gets Ada's spot.
    let cleo = desk
        .submit(child("Cleo", &["Mon"], "0633333333"), None)
        .await
        .unwrap();
    assert!(cleo.succeeded(), "{cleo:?}");
    let again = desk.withdraw(ada, "Twice", None, None).await.unwrap();
    assert!(
        !again.succeeded(),
        "a child already leaving is not withdrawn twice"
    );
}

#[tokio::test]
async fn on_the_day_a_withdrawal_takes_effect_the_child_is_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let leaves = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
    let ada = {
        let desk = Desk::open(&path, Clock::pinned(today())).unwrap();
        let ada = enrol(&desk, "Ada", &["Mon"], "0611111111").await;
        let change = desk
            .withdraw(ada, "Moving", Some(leaves), None)
            .await
            .unwrap();
        assert!(change.succeeded(), "{change:?}");
        ada
    };
    let before = Desk::open(&path, Clock::pinned(leaves.pred_opt().unwrap())).unwrap();
    assert_eq!(
        before.registration(ada).unwrap().unwrap().status,
        daycare::store::RegistrationStatus::Enrolled
    );
    assert_eq!(before.enrolled(Weekday::Mon), 1);
    drop(before);
    let on_the_day = Desk::open(&path, Clock::pinned(leaves)).unwrap();
    assert_eq!(
        on_the_day.registration(ada).unwrap().unwrap().status,
        daycare::store::RegistrationStatus::Withdrawn
    );
    assert_eq!(on_the_day.enrolled(Weekday::Mon), 0);
}

#[tokio::test]
async fn the_waitlist_takes_only_refusals_for_spots_and_finds_siblings() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Fri), 1).unwrap();
    enrol(&desk, "Ada", &["Fri"], "06 11 11 11 11").await;
    let refused = desk
        .submit(child("Bea", &["Fri"], "0611111111"), None)
        .await
        .unwrap();
    assert_eq!(refused.execution.error.as_deref(), Some("NoSpotsAvailable"));
    let entry = desk
        .put_on_waitlist(&refused.execution.name, Some("  "))
        .unwrap();
    assert_eq!(entry.status, WaitlistStatus::Waiting);
    assert_eq!(entry.days, vec![Weekday::Fri]);
    assert_eq!(entry.notes, None, "a blank note is no note");
    assert!(
        entry.sibling_of.is_some(),
        "the same phone, digits compared"
    );
    let twice = desk.put_on_waitlist(&refused.execution.name, None);
    assert!(matches!(twice, Err(DeskError::Store(_))), "{twice:?}");
    let young = desk
        .submit(
            json!({"registration_info": {
                "child": {"firstName": "Tiny", "lastName": "Test", "dateOfBirth": "2026-01-01"},
                "parents": {"mother": {"firstName": "M", "lastName": "T", "phone": "0699999999"}},
                "daysOfWeek": ["Fri"]}}),
            None,
        )
        .await
        .unwrap();
    let err = desk
        .put_on_waitlist(&young.execution.name, None)
        .unwrap_err();
    assert!(
        err.to_string().contains("another reason (AgeOutOfRange)"),
        "{err}"
    );
    let ok = desk
        .submit(child("Cleo", &["Mon"], "0633333333"), None)
        .await
        .unwrap();
    let err = desk.put_on_waitlist(&ok.execution.name, None).unwrap_err();
    assert!(err.to_string().contains("succeeded"), "{err}");
    assert_eq!(desk.audit(AuditKind::WaitlistAdd).len(), 1);
}

#[tokio::test]
async fn the_waitlist_is_in_order_and_says_who_fits_as_spots_free_up() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Fri), 1).unwrap();
    let ada = enrol(&desk, "Ada", &["Fri"], "0611111111").await;
    let mut names = Vec::new();
    for (first, phone) in [
        ("Bea", "0622222222"),
        ("Cleo", "0633333333"),
        ("Dora", "0644444444"),
    ] {
        let refused = desk
            .submit(child(first, &["Fri"], phone), None)
            .await
            .unwrap();
        names.push(refused.execution.name);
    }
    desk.put_on_waitlist(&names[0], None).unwrap();
    desk.put_on_waitlist(&names[1], None).unwrap();
    desk.put_on_waitlist(&names[2], Some("Staff child"))
        .unwrap();
    let order: Vec<String> = desk
        .waitlist()
        .unwrap()
        .iter()
        .map(|w| w.entry.first_name.clone())
        .collect();
    assert_eq!(
        order,
        ["Dora", "Bea", "Cleo"],
        "same day: priority first, then arrival"
    );
    assert!(desk.waitlist().unwrap().iter().all(|w| !w.fits));
    // One Friday frees up: only the first in order fits.
    desk.withdraw(ada, "Moving", None, None).await.unwrap();
    let fits: Vec<bool> = desk.waitlist().unwrap().iter().map(|w| w.fits).collect();
    assert_eq!(fits, [true, false, false]);
    // More capacity: two more fit.
    desk.set_capacity(Some(Weekday::Fri), 3).unwrap();
    let fits: Vec<bool> = desk.waitlist().unwrap().iter().map(|w| w.fits).collect();
    assert_eq!(fits, [true, true, true]);
}

#[tokio::test]
async fn an_offer_enrols_and_closes_the_entry_or_keeps_it_with_the_reason() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Fri), 1).unwrap();
    let ada = enrol(&desk, "Ada", &["Fri"], "0611111111").await;
    let refused = desk
        .submit(child("Bea", &["Fri"], "0622222222"), None)
        .await
        .unwrap();
    let entry = desk.put_on_waitlist(&refused.execution.name, None).unwrap();
    let early = desk.offer(entry.id, None).await.unwrap();
    assert!(!early.outcome.succeeded());
    assert_eq!(early.entry.status, WaitlistStatus::Waiting);
    assert_eq!(
        early.entry.last_refusal.as_deref(),
        Some("No spot for Bea Test on Friday (full).")
    );
    desk.withdraw(ada, "Moving", None, None).await.unwrap();
    let offered = desk.offer(entry.id, None).await.unwrap();
    assert!(offered.outcome.succeeded(), "{offered:?}");
    assert_eq!(offered.entry.status, WaitlistStatus::Enrolled);
    let registration = offered.entry.registration_id.unwrap();
    assert_eq!(
        desk.registration(registration).unwrap().unwrap().first_name,
        "Bea"
    );
    assert!(desk.waitlist().unwrap().is_empty());
    let again = desk.offer(entry.id, None).await;
    assert!(again.is_err(), "an enrolled entry is not offered again");
    let offers = desk.audit(AuditKind::Offer);
    assert_eq!(offers.len(), 2, "the refusal and the success");
    assert!(offers[0].summary.contains("enrolled"), "{:?}", offers[0]);
    assert!(offers[1].summary.contains("refused"), "{:?}", offers[1]);
}

#[tokio::test]
async fn an_entry_comes_off_the_waitlist_only_with_a_reason() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Fri), 0).unwrap();
    let refused = desk
        .submit(child("Bea", &["Fri"], "0622222222"), None)
        .await
        .unwrap();
    let entry = desk.put_on_waitlist(&refused.execution.name, None).unwrap();
    assert!(desk.remove_from_waitlist(entry.id, " ").is_err());
    let removed = desk
        .remove_from_waitlist(entry.id, "Found another place")
        .unwrap();
    assert_eq!(removed.status, WaitlistStatus::Removed);
    assert!(desk.waitlist().unwrap().is_empty());
    assert!(desk.remove_from_waitlist(entry.id, "again").is_err());
    let audit = desk.audit(AuditKind::WaitlistRemove);
    assert_eq!(audit.len(), 1);
    assert_eq!(
        audit[0].after,
        Some(json!({"status": "removed", "reason": "Found another place"}))
    );
}

#[tokio::test]
async fn every_capacity_change_is_audited_with_before_and_after() {
    let desk = desk_on(today());
    desk.set_capacity(Some(Weekday::Mon), 12).unwrap();
    desk.set_capacity(None, 15).unwrap();
    let audit = desk.audit(AuditKind::Capacity);
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].summary, "Monday: 20 → 12 spots");
    assert_eq!(audit[1].before, Some(json!({"Monday": 20})));
    assert_eq!(audit[1].after, Some(json!({"Monday": 12})));
    assert_eq!(
        audit[0].after.as_ref().unwrap().as_object().unwrap().len(),
        5
    );
    assert!(audit.iter().all(|e| e.staff == "Amira"));
}
