//! Recovery at open closes only executions whose process is gone: a run still going in a
//! live process (here, this one) is left RUNNING when another connection opens the file.

mod cli_support;

use daycare::store::Store;
use daycare::workflow::{ExecutionStatus, ExecutionSummary};

#[test]
fn a_run_of_a_live_process_is_not_closed_by_another_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let mut running = Store::open(&path).unwrap();
    let summary = ExecutionSummary::started(
        "arn:aws:states:local:000000000000:stateMachine:registration",
        "live",
        "{}".into(),
    );
    running
        .begin_execution(&summary, "{}", Some("Awa Diallo"))
        .unwrap();

    let mut other = Store::open(&path).unwrap();
    assert_eq!(other.recover_interrupted().unwrap(), 0);
    let kept = other.execution("live").unwrap().unwrap();
    assert_eq!(kept.summary.status, ExecutionStatus::Running);
    assert_eq!(other.execution_counts().unwrap().running, 1);
}

fn registration(execution: &str) -> daycare::store::NewRegistration {
    cli_support::new_registration("Awa", "Diallo", execution)
}

#[test]
fn a_run_closed_as_interrupted_is_never_finished_again_nor_keeps_a_registration() {
    use daycare::store::StoreError;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let mut running = Store::open(&path).unwrap();
    let mut summary = ExecutionSummary::started("arn:m", "closed", "{}".into());
    running.begin_execution(&summary, "{}", None).unwrap();
    running.confirm(&registration("closed")).unwrap();
    // As if its owner were gone: a lock id nobody holds.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE executions SET owner = ?1 WHERE name = 'closed'",
            [uuid_nobody_holds()],
        )
        .unwrap();
    let other = Store::open(&path).unwrap();
    assert_eq!(
        other.execution("closed").unwrap().unwrap().summary.status,
        ExecutionStatus::Failed
    );

    // The first owner, still going, confirms and finishes: refused, nothing kept.
    let again = running.confirm(&registration("closed"));
    assert!(
        matches!(again, Err(StoreError::ClosedAsInterrupted(_))),
        "{again:?}"
    );
    summary.status = ExecutionStatus::Succeeded;
    summary.stop_date = Some(chrono::Utc::now());
    let execution = daycare::workflow::Execution {
        summary,
        events: Vec::new(),
    };
    let finished = running.finish_execution(&execution, Some(750));
    let err = finished.expect_err("a closed run must not be finished");
    assert!(err.to_string().contains("closed as interrupted"), "{err}");
    let kept = other.execution("closed").unwrap().unwrap();
    assert_eq!(kept.summary.status, ExecutionStatus::Failed);
    assert_eq!(
        kept.summary.cause.as_deref(),
        Some(daycare::store::INTERRUPTED_CAUSE)
    );
    assert!(other.registrations(true).unwrap().is_empty());
    assert!(other.spots().unwrap().iter().all(|d| d.enrolled == 0));
}

fn uuid_nobody_holds() -> String {
    "00000000-0000-4000-8000-000000000000".to_string()
}
