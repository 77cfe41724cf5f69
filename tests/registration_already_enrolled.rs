//! A child enrolled by another desk between the checks and the confirmation is refused as
//! `AlreadyEnrolled`, through the shipped workflow, not as a lack of spots.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, Weekday};
use daycare::registration::{Clock, Desk};
use daycare::store::{NewRegistration, Store};
use daycare::workflow::{
    EventType, Execution, ExecutionStatus, ExecutionSummary, HistoryEvent, Observer,
};
use serde_json::json;

/// Another desk, on its own connection, that enrols the same child the moment this one
/// enters "Confirm Registration".
struct OtherDesk {
    path: PathBuf,
    done: Mutex<bool>,
}

impl Observer for OtherDesk {
    fn event(&self, event: &HistoryEvent) {
        let entering = event.event_type == EventType::TaskStateEntered
            && event.details.name.as_deref() == Some("Confirm Registration");
        let mut done = self.done.lock().unwrap();
        if !entering || *done {
            return;
        }
        *done = true;
        let mut store = Store::open(&self.path).unwrap();
        let summary = ExecutionSummary::started("arn:other", "other-desk", "{}".into());
        store
            .begin_execution(&summary, "{}", Some("Awa Diallo"))
            .unwrap();
        let born = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
        let new = NewRegistration {
            first_name: "awa".into(),
            last_name: "DIALLO".into(),
            date_of_birth: born,
            days: vec![Weekday::Tue],
            age: 3,
            fees: 750,
            start_date: NaiveDate::from_ymd_opt(2026, 9, 15).unwrap(),
            execution_name: "other-desk".into(),
            document: "{}".into(),
        };
        store.confirm(&new).unwrap();
        let mut finished = summary;
        finished.status = ExecutionStatus::Succeeded;
        let execution = Execution {
            summary: finished,
            events: Vec::new(),
        };
        store.finish_execution(&execution, Some(750)).unwrap();
    }
}

#[tokio::test]
async fn a_child_enrolled_by_another_desk_meanwhile_is_refused_as_already_enrolled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let clock = Clock::pinned(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
    let desk = Desk::open(&path, clock).unwrap();
    let other = Arc::new(OtherDesk {
        path: path.clone(),
        done: Mutex::new(false),
    });
    let document = json!({"registration_info": {
        "child": {"firstName": "Awa", "lastName": "Diallo", "dateOfBirth": "2023-06-01"},
        "parents": {"mother": {"firstName": "Aicha", "lastName": "Cisse", "phone": "123-456-7890"}},
        "daysOfWeek": ["Monday"]
    }});
    let outcome = desk.submit(document, Some(other.clone())).await.unwrap();
    assert!(*other.done.lock().unwrap(), "the other desk ran");
    assert_eq!(outcome.execution.status, ExecutionStatus::Failed);
    assert_eq!(
        outcome.execution.error.as_deref(),
        Some("AlreadyEnrolled"),
        "{:?}",
        outcome.execution.cause
    );
    let cause = outcome.execution.cause.unwrap_or_default();
    assert!(cause.contains("already enrolled"), "{cause}");
}
