//! AWS Step Functions' execution history: `HistoryEvent`s and the
//! DescribeExecution summary, serialised in AWS's JSON shape.

mod json;
pub mod passed;

pub use json::HistoryError;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::naming::execution_arn;

/// DescribeExecution's status values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl ExecutionStatus {
    /// AWS's spelling: `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }

    /// Parses AWS's spelling, any case.
    pub fn parse(text: &str) -> Option<ExecutionStatus> {
        [
            ExecutionStatus::Running,
            ExecutionStatus::Succeeded,
            ExecutionStatus::Failed,
            ExecutionStatus::TimedOut,
            ExecutionStatus::Aborted,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// DescribeExecution's fields. `input` and `output` are JSON-encoded strings, as AWS returns them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionSummary {
    pub execution_arn: String,
    pub state_machine_arn: String,
    pub name: String,
    pub status: ExecutionStatus,
    pub start_date: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stop_date: Option<DateTime<Utc>>,
    pub input: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cause: Option<String>,
}

impl ExecutionSummary {
    /// A run starting now under `name`: RUNNING, its ARN derived from the state
    /// machine's (see [`execution_arn`]), `input` JSON-encoded.
    pub fn started(state_machine_arn: &str, name: &str, input: String) -> ExecutionSummary {
        ExecutionSummary {
            execution_arn: execution_arn(state_machine_arn, name),
            state_machine_arn: state_machine_arn.to_string(),
            name: name.to_string(),
            status: ExecutionStatus::Running,
            start_date: Utc::now(),
            stop_date: None,
            input,
            output: None,
            error: None,
            cause: None,
        }
    }
}

/// A finished (or interrupted) run: its summary and its full history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Execution {
    #[serde(rename = "execution")]
    pub summary: ExecutionSummary,
    pub events: Vec<HistoryEvent>,
}

/// AWS's `HistoryEventType` values the engine emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    ExecutionAborted,
    TaskStateEntered,
    TaskStateExited,
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    // A Task whose Resource is a Lambda function ARN records these instead of Task….
    LambdaFunctionScheduled,
    LambdaFunctionScheduleFailed,
    LambdaFunctionStarted,
    LambdaFunctionStartFailed,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    PassStateEntered,
    PassStateExited,
    WaitStateEntered,
    WaitStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    ParallelStateEntered,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateExited,
    MapStateEntered,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapStateExited,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
}

/// One history event. Serialises exactly as AWS's GetExecutionHistory does:
/// `{"timestamp", "type", "id", "previousEventId", "<camelCaseType>EventDetails": {…}}`
/// (the engine owns the exact details field for each type).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: u64,
    pub previous_event_id: u64,
    pub timestamp: DateTime<Utc>,
    pub event_type: EventType,
    pub details: EventDetails,
}

/// The union of the fields AWS's `…EventDetails` objects carry. Which ones are
/// set depends on the event type; `input`/`output`/`parameters` are JSON-encoded strings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDetails {
    /// The state's name (StateEntered / StateExited).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resource_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parameters: Option<String>,
    /// Map iterations: the iteration's index.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub index: Option<u64>,
    /// MapStateStarted: how many iterations.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub length: Option<u64>,
    /// ExecutionStarted: the role the execution runs as.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role_arn: Option<String>,
    /// TaskScheduled: the region the service is called in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub region: Option<String>,
    /// …StateExited: each variable the state assigned, with its value's JSON text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    // Boxed: most events have none, and every event carries the field.
    pub assigned_variables: Option<Box<serde_json::Map<String, serde_json::Value>>>,
    /// TaskScheduled and LambdaFunctionScheduled: the state's TimeoutSeconds, when set.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub timeout_in_seconds: Option<u64>,
}

impl EventType {
    /// AWS's spelling, e.g. `TaskStateEntered`.
    pub fn as_str(self) -> &'static str {
        json::type_name(self)
    }

    /// Whether this is a `<Type>StateEntered` event.
    pub fn is_state_entered(self) -> bool {
        self.as_str().ends_with("StateEntered")
    }

    /// Whether this is a `<Type>StateExited` event.
    pub fn is_state_exited(self) -> bool {
        self.as_str().ends_with("StateExited")
    }
}

impl HistoryEvent {
    /// The state named by a StateEntered / StateExited event.
    pub fn state_name(&self) -> Option<&str> {
        if self.event_type.is_state_entered() || self.event_type.is_state_exited() {
            self.details.name.as_deref()
        } else {
            None
        }
    }
}

/// For each event, the state it belongs to (the innermost state entered and not
/// yet exited along its `previousEventId` chain), for history tables.
pub fn owning_states(events: &[HistoryEvent]) -> Vec<Option<String>> {
    let mut owners: Vec<Option<String>> = Vec::with_capacity(events.len());
    for event in events {
        let before = event
            .previous_event_id
            .checked_sub(1)
            .and_then(|i| owners.get(i as usize).cloned().flatten().map(|o| (i, o)));
        let owner = if event.event_type.is_state_entered() || event.event_type.is_state_exited() {
            event.details.name.clone()
        } else {
            match before {
                Some((i, name)) if !events[i as usize].event_type.is_state_exited() => Some(name),
                _ => None,
            }
        };
        owners.push(owner);
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_execution_arn_follows_its_state_machine_arn() {
        let summary = ExecutionSummary::started(
            "arn:aws:states:eu-west-1:123456789012:stateMachine:registration",
            "diallo-awa-1a2b3c4d",
            "{}".into(),
        );
        assert_eq!(
            summary.execution_arn,
            "arn:aws:states:eu-west-1:123456789012:execution:registration:diallo-awa-1a2b3c4d"
        );
        assert_eq!(summary.status, ExecutionStatus::Running);
    }
}
