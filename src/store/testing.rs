//! For the crate's unit tests: a child enrolled through the store as a succeeded
//! registration execution leaves them (begun, confirmed, finished).

use super::{Confirmation, NewRegistration, Store};
use crate::workflow::{Execution, ExecutionStatus, ExecutionSummary};

/// Enrols `registration` under its execution name, running `definition`: its id.
pub(crate) fn enrol(store: &mut Store, registration: &NewRegistration, definition: &str) -> i64 {
    let name = &registration.execution_name;
    let mut summary = ExecutionSummary::started("arn:m", name, "{}".into());
    let Ok(()) = store.begin_execution(&summary, definition, None) else {
        panic!("{name} begun")
    };
    let Ok(Confirmation::Confirmed(id)) = store.confirm(registration) else {
        panic!("{name} confirmed")
    };
    summary.status = ExecutionStatus::Succeeded;
    summary.stop_date = Some(summary.start_date);
    let execution = Execution {
        summary,
        events: Vec::new(),
    };
    let Ok(()) = store.finish_execution(&execution, Some(registration.fees)) else {
        panic!("{name} finished")
    };
    id
}
