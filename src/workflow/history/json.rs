//! HistoryEvent in AWS's GetExecutionHistory JSON shape: `timestamp`, `type`, `id`,
//! `previousEventId` and one `…EventDetails` object named after the event type.

use chrono::{DateTime, Utc};
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{EventDetails, EventType, HistoryEvent};

/// Why an event in AWS's shape could not be read (beyond JSON that is not an event at all).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The timestamp names no time this engine can hold (an epoch past year 262143, say).
    #[error("timestamp is out of range")]
    TimestampOutOfRange,
    /// The `…EventDetails` object does not have AWS's fields.
    #[error("{key}: {source}")]
    Details {
        key: String,
        #[source]
        source: serde_json::Error,
    },
}

pub(super) fn type_name(t: EventType) -> &'static str {
    use EventType::*;
    match t {
        ExecutionStarted => "ExecutionStarted",
        ExecutionSucceeded => "ExecutionSucceeded",
        ExecutionFailed => "ExecutionFailed",
        ExecutionTimedOut => "ExecutionTimedOut",
        ExecutionAborted => "ExecutionAborted",
        TaskStateEntered => "TaskStateEntered",
        TaskStateExited => "TaskStateExited",
        TaskScheduled => "TaskScheduled",
        TaskStarted => "TaskStarted",
        TaskSucceeded => "TaskSucceeded",
        TaskFailed => "TaskFailed",
        TaskTimedOut => "TaskTimedOut",
        LambdaFunctionScheduled => "LambdaFunctionScheduled",
        LambdaFunctionScheduleFailed => "LambdaFunctionScheduleFailed",
        LambdaFunctionStarted => "LambdaFunctionStarted",
        LambdaFunctionStartFailed => "LambdaFunctionStartFailed",
        LambdaFunctionSucceeded => "LambdaFunctionSucceeded",
        LambdaFunctionFailed => "LambdaFunctionFailed",
        LambdaFunctionTimedOut => "LambdaFunctionTimedOut",
        ChoiceStateEntered => "ChoiceStateEntered",
        ChoiceStateExited => "ChoiceStateExited",
        PassStateEntered => "PassStateEntered",
        PassStateExited => "PassStateExited",
        WaitStateEntered => "WaitStateEntered",
        WaitStateExited => "WaitStateExited",
        SucceedStateEntered => "SucceedStateEntered",
        SucceedStateExited => "SucceedStateExited",
        FailStateEntered => "FailStateEntered",
        ParallelStateEntered => "ParallelStateEntered",
        ParallelStateStarted => "ParallelStateStarted",
        ParallelStateSucceeded => "ParallelStateSucceeded",
        ParallelStateFailed => "ParallelStateFailed",
        ParallelStateExited => "ParallelStateExited",
        MapStateEntered => "MapStateEntered",
        MapStateStarted => "MapStateStarted",
        MapStateSucceeded => "MapStateSucceeded",
        MapStateFailed => "MapStateFailed",
        MapStateExited => "MapStateExited",
        MapIterationStarted => "MapIterationStarted",
        MapIterationSucceeded => "MapIterationSucceeded",
        MapIterationFailed => "MapIterationFailed",
    }
}

/// The name of the details object AWS uses for an event type, if it has one.
fn details_key(t: EventType) -> Option<&'static str> {
    use EventType::*;
    Some(match t {
        ExecutionStarted => "executionStartedEventDetails",
        ExecutionSucceeded => "executionSucceededEventDetails",
        ExecutionFailed => "executionFailedEventDetails",
        ExecutionTimedOut => "executionTimedOutEventDetails",
        ExecutionAborted => "executionAbortedEventDetails",
        TaskScheduled => "taskScheduledEventDetails",
        TaskStarted => "taskStartedEventDetails",
        TaskSucceeded => "taskSucceededEventDetails",
        TaskFailed => "taskFailedEventDetails",
        TaskTimedOut => "taskTimedOutEventDetails",
        LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
        LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
        LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
        LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
        LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
        LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
        MapStateStarted => "mapStateStartedEventDetails",
        MapIterationStarted => "mapIterationStartedEventDetails",
        MapIterationSucceeded => "mapIterationSucceededEventDetails",
        MapIterationFailed => "mapIterationFailedEventDetails",
        LambdaFunctionStarted
        | ParallelStateStarted
        | ParallelStateSucceeded
        | ParallelStateFailed
        | MapStateSucceeded
        | MapStateFailed => return None,
        FailStateEntered => "stateEnteredEventDetails",
        t if t.is_state_entered() => "stateEnteredEventDetails",
        _ => "stateExitedEventDetails",
    })
}

/// `{"truncated": false}`: the engine never truncates a payload.
struct NotTruncated;

impl Serialize for NotTruncated {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("truncated", &false)?;
        m.end()
    }
}

/// The details object, with AWS's `inputDetails`/`outputDetails` beside input/output.
struct AwsDetails<'a>(&'a EventDetails);

impl Serialize for AwsDetails<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_map(None)?;
        if let Some(v) = &d.resource_type {
            m.serialize_entry("resourceType", v)?;
        }
        if let Some(v) = &d.resource {
            m.serialize_entry("resource", v)?;
        }
        if let Some(v) = &d.region {
            m.serialize_entry("region", v)?;
        }
        if let Some(v) = &d.name {
            m.serialize_entry("name", v)?;
        }
        if let Some(v) = &d.index {
            m.serialize_entry("index", v)?;
        }
        if let Some(v) = &d.length {
            m.serialize_entry("length", v)?;
        }
        if let Some(v) = &d.parameters {
            m.serialize_entry("parameters", v)?;
        }
        if let Some(v) = &d.input {
            m.serialize_entry("input", v)?;
            m.serialize_entry("inputDetails", &NotTruncated)?;
        }
        if let Some(v) = &d.timeout_in_seconds {
            m.serialize_entry("timeoutInSeconds", v)?;
        }
        if let Some(v) = &d.output {
            m.serialize_entry("output", v)?;
            m.serialize_entry("outputDetails", &NotTruncated)?;
        }
        if let Some(v) = &d.assigned_variables {
            m.serialize_entry("assignedVariables", v)?;
            m.serialize_entry("assignedVariablesDetails", &NotTruncated)?;
        }
        if let Some(v) = &d.error {
            m.serialize_entry("error", v)?;
        }
        if let Some(v) = &d.cause {
            m.serialize_entry("cause", v)?;
        }
        if let Some(v) = &d.role_arn {
            m.serialize_entry("roleArn", v)?;
        }
        m.end()
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("timestamp", &self.timestamp)?;
        m.serialize_entry("type", type_name(self.event_type))?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("previousEventId", &self.previous_event_id)?;
        if let Some(key) = details_key(self.event_type) {
            m.serialize_entry(key, &AwsDetails(&self.details))?;
        }
        m.end()
    }
}

/// AWS's JSON API gives times as epoch seconds; its CLI and this engine as ISO 8601.
#[derive(Deserialize)]
#[serde(untagged)]
enum Time {
    Iso(DateTime<Utc>),
    Epoch(f64),
}

impl Time {
    fn into_utc(self) -> Option<DateTime<Utc>> {
        match self {
            Time::Iso(t) => Some(t),
            Time::Epoch(secs) if secs.is_finite() => {
                let whole = secs.floor();
                let nanos = ((secs - whole) * 1e9).round().clamp(0.0, 999_999_999.0);
                DateTime::from_timestamp(whole as i64, nanos as u32)
            }
            Time::Epoch(_) => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent {
    timestamp: Time,
    #[serde(rename = "type")]
    event_type: EventType,
    id: u64,
    #[serde(default)]
    previous_event_id: u64,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl<'de> Deserialize<'de> for HistoryEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawEvent::deserialize(d)?;
        let details = match raw
            .rest
            .into_iter()
            .find(|(k, _)| k.ends_with("EventDetails"))
        {
            Some((key, v)) => EventDetails::deserialize(v)
                .map_err(|source| D::Error::custom(HistoryError::Details { key, source }))?,
            None => EventDetails::default(),
        };
        let timestamp = raw
            .timestamp
            .into_utc()
            .ok_or_else(|| D::Error::custom(HistoryError::TimestampOutOfRange))?;
        Ok(HistoryEvent {
            id: raw.id,
            previous_event_id: raw.previous_event_id,
            timestamp,
            event_type: raw.event_type,
            details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: EventType, details: EventDetails) -> Value {
        let e = HistoryEvent {
            id: 3,
            previous_event_id: 2,
            timestamp: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            event_type,
            details,
        };
        serde_json::to_value(&e).unwrap()
    }

    #[test]
    fn details_go_under_aws_key_for_each_type() {
        let entered = event(
            EventType::ChoiceStateEntered,
            EventDetails {
                name: Some("C".into()),
                input: Some("{}".into()),
                ..Default::default()
            },
        );
        assert_eq!(entered["type"], "ChoiceStateEntered");
        assert_eq!(entered["previousEventId"], 2);
        assert_eq!(entered["stateEnteredEventDetails"]["name"], "C");
        assert_eq!(
            entered["stateEnteredEventDetails"]["inputDetails"]["truncated"],
            false
        );
        let failed = event(
            EventType::ExecutionFailed,
            EventDetails {
                error: Some("E".into()),
                cause: Some("why".into()),
                ..Default::default()
            },
        );
        assert_eq!(failed["executionFailedEventDetails"]["cause"], "why");
        let map = event(
            EventType::MapStateStarted,
            EventDetails {
                length: Some(2),
                ..Default::default()
            },
        );
        assert_eq!(map["mapStateStartedEventDetails"]["length"], 2);
        let started = event(EventType::ParallelStateStarted, EventDetails::default());
        assert_eq!(started.as_object().map(|o| o.len()), Some(4));
    }

    #[test]
    fn reads_back_what_it_writes() {
        let details = EventDetails {
            resource_type: Some("lambda".into()),
            resource: Some("invoke".into()),
            region: Some("us-east-1".into()),
            parameters: Some("{\"a\":1}".into()),
            ..Default::default()
        };
        let json = event(EventType::TaskScheduled, details.clone());
        let back: HistoryEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back.details, details);
        assert_eq!(back.event_type, EventType::TaskScheduled);
        assert_eq!(back.id, 3);
    }

    #[test]
    fn names_what_it_cannot_read() {
        let details = serde_json::json!({
            "timestamp": 1_700_000_000, "type": "TaskFailed", "id": 4,
            "taskFailedEventDetails": {"error": 7}
        });
        let e = serde_json::from_value::<HistoryEvent>(details).unwrap_err();
        assert!(e.to_string().starts_with("taskFailedEventDetails: "), "{e}");
        let time = serde_json::json!({"timestamp": 1e300, "type": "TaskFailed", "id": 4});
        let e = serde_json::from_value::<HistoryEvent>(time).unwrap_err();
        assert_eq!(e.to_string(), HistoryError::TimestampOutOfRange.to_string());
    }

    #[test]
    fn reads_aws_api_epoch_timestamps() {
        let json = serde_json::json!({
            "timestamp": 1_700_000_000.5, "type": "ExecutionSucceeded", "id": 9, "previousEventId": 8,
            "executionSucceededEventDetails": {"output": "{}", "outputDetails": {"truncated": false}}
        });
        let e: HistoryEvent = serde_json::from_value(json).unwrap();
        assert_eq!(e.timestamp.timestamp_millis(), 1_700_000_000_500);
        assert_eq!(e.details.output.as_deref(), Some("{}"));
    }
}
