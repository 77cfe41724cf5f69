//! What kind of data a database holds, as a whole: whether every execution and every
//! registration in it came from one state machine (the demo's, say), so a command can
//! refuse to touch a database that holds anything else. Reads only.

use super::sql::params;
use super::{Result, Store};

impl Store {
    /// Whether every execution ran under `state_machine_arn` and every registration was
    /// made by such an execution (true for a new database). One pass over each table.
    pub fn holds_only_runs_of(&self, state_machine_arn: &str) -> Result<bool> {
        self.db.query_one(
            "SELECT NOT EXISTS (SELECT 1 FROM executions WHERE state_machine_arn <> ?1) \
             AND NOT EXISTS (SELECT 1 FROM registrations r WHERE NOT EXISTS \
                 (SELECT 1 FROM executions e \
                  WHERE e.name = r.execution_name AND e.state_machine_arn = ?1))",
            params![state_machine_arn],
            |row| row.get::<bool>(0),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::on_both;
    use crate::workflow::ExecutionSummary;

    const DEMO: &str = "arn:aws:states:local:000000000000:stateMachine:demo";
    const REAL: &str = "arn:aws:states:local:000000000000:stateMachine:registration";

    #[test]
    fn a_new_database_or_one_of_demo_runs_only_holds_only_demo_runs() {
        on_both(|store| {
            assert!(store.holds_only_runs_of(DEMO).unwrap());
            let demo = ExecutionSummary::started(DEMO, "demo-a", "{}".into());
            store.begin_execution(&demo, "{}", None).unwrap();
            assert!(store.holds_only_runs_of(DEMO).unwrap());
            let real = ExecutionSummary::started(REAL, "real-b", "{}".into());
            store.begin_execution(&real, "{}", None).unwrap();
            assert!(!store.holds_only_runs_of(DEMO).unwrap());
            assert!(!store.holds_only_runs_of(REAL).unwrap());
        });
    }
}
