//! Recovery at open closes only executions whose process is gone: a run still going in a
//! live process (here, this one) is left RUNNING when another connection opens the file.

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
