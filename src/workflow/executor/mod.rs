//! Runs a parsed machine: one state after another, recording AWS history as it
//! goes. Failures are values (AWS error names), never panics. Knows nothing of
//! what the tasks do; handlers come from the engine (`engine.rs`, which also starts
//! and closes each execution).

mod engine;
mod errors;
mod fanout;
pub(crate) mod flow;
pub(crate) mod limits;
mod recorder;
mod simple;
mod task;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use crate::workflow::definition::states::{Body, Machine, Next, State};
use crate::workflow::error::Failure;
use crate::workflow::history::{EventDetails, EventType};
use crate::workflow::task::{Handlers, TaskHandler};
use crate::workflow::variables::{Scope, Variables};
pub use engine::{Engine, RunOptions};
use limits::Limits;
use recorder::Recorder;

/// What a state hands on: its output (and the output's text when already known).
pub(super) struct Step {
    pub value: Value,
    pub text: Option<String>,
    pub next: Next,
    /// What the state's `Assign` computed, set once the state is done.
    pub assigned: Option<Map<String, Value>>,
}

/// A machine (or branch, or iteration) that ran to its end.
pub(super) struct Done {
    pub value: Value,
    pub text: String,
    pub last: u64,
}

/// A machine that failed, and the last event it recorded.
pub(super) struct Stop {
    pub failure: Failure,
    pub last: u64,
}

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One execution in progress.
pub(super) struct Run<'e> {
    handlers: &'e Handlers,
    rec: Recorder,
    limits: Limits,
    name: String,
    arn: String,
    machine_arn: String,
    machine_name: String,
    role_arn: String,
    start: String,
    input: Value,
}

/// A time as the context object and history give it: RFC 3339, in milliseconds, UTC.
fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Run<'_> {
    pub(super) fn handler(&self, function: &str) -> Option<&Arc<dyn TaskHandler>> {
        self.handlers.get(function)
    }

    /// The region of the state machine's ARN (`local` for the local ones), where AWS
    /// calls its services.
    pub(super) fn region(&self) -> &str {
        match self.machine_arn.split(':').nth(3) {
            Some(region) if !region.is_empty() => region,
            _ => "local",
        }
    }

    /// The context object `$$` for a state. `State.RetryCount` exists only in the
    /// states that can retry (Task, Parallel, Map), as on AWS: `retry_count` is `None`
    /// for the others.
    pub(super) fn context(
        &self,
        state: &str,
        entered: &str,
        retry_count: Option<u32>,
        item: Option<(usize, &Value)>,
    ) -> Value {
        let mut ctx = json!({
            "Execution": {
                "Id": self.arn,
                "Input": self.input,
                "Name": self.name,
                "RoleArn": self.role_arn,
                "StartTime": self.start,
            },
            "State": {
                "EnteredTime": entered,
                "Name": state,
            },
            "StateMachine": {
                "Id": self.machine_arn,
                "Name": self.machine_name,
            },
        });
        if let Some(retry_count) = retry_count {
            ctx["State"]["RetryCount"] = retry_count.into();
        }
        if let (Some((index, value)), Value::Object(map)) = (item, &mut ctx) {
            map.insert(
                "Map".to_owned(),
                json!({ "Item": { "Index": index, "Value": value } }),
            );
        }
        ctx
    }

    /// Runs a machine from its StartAt to an end, after event `prev`, with the
    /// variables of its scope.
    pub(super) fn machine<'s>(
        &'s self,
        m: &'s Machine,
        input: Value,
        input_text: Option<String>,
        mut variables: Variables,
        prev: u64,
    ) -> BoxFuture<'s, Result<Done, Stop>> {
        Box::pin(async move {
            let mut prev = prev;
            let mut idx = m.start;
            let mut value = input;
            let mut text = input_text.unwrap_or_else(|| flow::text(&value));
            loop {
                if let Err(failure) = self.limits.check(&self.rec) {
                    return Err(Stop {
                        failure,
                        last: prev,
                    });
                }
                let st = &m.states[idx];
                let entered = self.rec.now();
                let too_big = flow::check_size(&text, "input", &st.name);
                // Only these states can hand the input text on as it stands.
                let kept = matches!(st.body, Body::Task(_) | Body::Choice(_) | Body::Succeed)
                    .then(|| text.clone());
                prev = self.rec.record_at(
                    entered,
                    prev,
                    entered_type(&st.body),
                    EventDetails {
                        name: Some(st.name.clone()),
                        input: Some(text),
                        ..EventDetails::default()
                    },
                );
                if let Err(failure) = too_big {
                    return Err(Stop {
                        failure,
                        last: prev,
                    });
                }
                let step = self
                    .state(st, (value, kept), &variables, entered, &mut prev)
                    .await;
                let assigned = step.and_then(|mut step| match step.assigned.take() {
                    Some(values) => variables
                        .assign(&st.name, values)
                        .map(|shown| (step, shown)),
                    None => Ok((step, Map::new())),
                });
                let (step, assigned) = match assigned {
                    Ok(done) => done,
                    Err(failure) => {
                        return Err(Stop {
                            failure,
                            last: prev,
                        });
                    }
                };
                let out_text = step.text.unwrap_or_else(|| flow::text(&step.value));
                if let Err(failure) = flow::check_size(&out_text, "output", &st.name) {
                    return Err(Stop {
                        failure,
                        last: prev,
                    });
                }
                if let Some(exited) = exited_type(&st.body) {
                    prev = self.rec.record(
                        prev,
                        exited,
                        EventDetails {
                            name: Some(st.name.clone()),
                            output: Some(out_text.clone()),
                            assigned_variables: (!assigned.is_empty()).then(|| Box::new(assigned)),
                            ..EventDetails::default()
                        },
                    );
                }
                match step.next {
                    Next::End => {
                        return Ok(Done {
                            value: step.value,
                            text: out_text,
                            last: prev,
                        });
                    }
                    Next::To(i) => {
                        idx = i;
                        value = step.value;
                        text = out_text;
                    }
                }
            }
        })
    }

    async fn state(
        &self,
        st: &State,
        (input, input_text): (Value, Option<String>),
        variables: &Variables,
        entered: DateTime<Utc>,
        prev: &mut u64,
    ) -> Result<Step, Failure> {
        // Formatting a timestamp costs; only the context object needs it.
        let entered = if st.uses_context {
            timestamp(entered)
        } else {
            String::new()
        };
        let retries = matches!(st.body, Body::Task(_) | Body::Parallel(_) | Body::Map(_));
        let ctx = |retry: u32| Scope {
            context: if st.uses_context {
                self.context(&st.name, &entered, Some(retry).filter(|_| retries), None)
            } else {
                Value::Null
            },
            variables,
        };
        match &st.body {
            Body::Task(t) => self.task(st, t, input, input_text, &ctx, prev).await,
            Body::Choice(c) => simple::choice(st, c, input, input_text, &ctx(0)),
            Body::Pass(p) => simple::pass(st, p, input, &ctx(0)),
            Body::Wait(w) => simple::wait(st, w, input, &ctx(0)).await,
            Body::Succeed => simple::succeed(st, input, input_text, &ctx(0)),
            Body::Fail(f) => Err(simple::fail(st, f, &input, &ctx(0))),
            Body::Parallel(p) => self.parallel(st, p, input, &ctx, prev).await,
            Body::Map(m) => self.map(st, m, input, &entered, &ctx, prev).await,
        }
    }
}

fn entered_type(body: &Body) -> EventType {
    match body {
        Body::Task(_) => EventType::TaskStateEntered,
        Body::Choice(_) => EventType::ChoiceStateEntered,
        Body::Pass(_) => EventType::PassStateEntered,
        Body::Wait(_) => EventType::WaitStateEntered,
        Body::Succeed => EventType::SucceedStateEntered,
        Body::Fail(_) => EventType::FailStateEntered,
        Body::Parallel(_) => EventType::ParallelStateEntered,
        Body::Map(_) => EventType::MapStateEntered,
    }
}

fn exited_type(body: &Body) -> Option<EventType> {
    Some(match body {
        Body::Task(_) => EventType::TaskStateExited,
        Body::Choice(_) => EventType::ChoiceStateExited,
        Body::Pass(_) => EventType::PassStateExited,
        Body::Wait(_) => EventType::WaitStateExited,
        Body::Succeed => EventType::SucceedStateExited,
        Body::Fail(_) => return None,
        Body::Parallel(_) => EventType::ParallelStateExited,
        Body::Map(_) => EventType::MapStateExited,
    })
}
