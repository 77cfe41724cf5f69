//! The Task state: resolve the handler, call it with Parameters, time it out,
//! retry and catch its failures, and record Scheduled/Started/Succeeded/Failed.
//! One attempt reads in its steps: the effective input, the timeout, the parameters,
//! the call (recorded as Scheduled and Started), its outcome, and the state's output.

use std::borrow::Cow;
use std::time::Duration;

use tokio::time::Instant;

use serde_json::Value;

use super::errors::{Attempted, Origin};
use super::{Run, Step, flow};
use crate::workflow::definition::states::{Amount, InputPath, ResultPath, State, TaskState};
use crate::workflow::error::{Failure, names};
use crate::workflow::history::{EventDetails, EventType};
use crate::workflow::task::{TaskContext, TaskHandler};

/// One attempt's handler and what it may reuse.
struct Call<'h> {
    handler: &'h dyn TaskHandler,
    /// The input itself, when nothing needs it after the call.
    owned: Option<Value>,
    /// The parameters' text, when they are the state input as it stands.
    params_text: Option<String>,
    retry_count: u32,
}

/// The resource as Task events show it: `resourceType`, `resource` and `region`.
struct Resource<'t> {
    kind: &'static str,
    name: &'t str,
    region: &'t str,
}

impl<'t> Resource<'t> {
    fn of(t: &'t TaskState) -> Resource<'t> {
        match &t.region {
            Some(region) => Resource {
                kind: "lambda",
                name: "invoke",
                region: region.as_str(),
            },
            None => Resource {
                kind: "local",
                name: t.function.as_str(),
                region: "local",
            },
        }
    }

    /// The details every Task event carries.
    fn details(&self) -> EventDetails {
        EventDetails {
            resource_type: Some(self.kind.to_owned()),
            resource: Some(self.name.to_owned()),
            ..EventDetails::default()
        }
    }
}

impl Run<'_> {
    pub(super) async fn task<C>(
        &self,
        st: &State,
        t: &TaskState,
        input: Value,
        input_text: Option<String>,
        ctx: &C,
        prev: &mut u64,
    ) -> Result<Step, Failure>
    where
        C: Fn(u32) -> Value + Sync,
    {
        let Some(handler) = self.handler(&t.function) else {
            return Err(Failure::new(
                names::RUNTIME,
                format!(
                    "No task handler is registered for resource '{}' of state '{}'. Register a handler named '{}'.",
                    t.resource, st.name, t.function
                ),
            ));
        };
        // With nothing that needs the raw input again (no retry, no Parameters or
        // InputPath, results replacing the input), the input moves into the handler.
        let whole = t.parameters.is_none() && matches!(st.input_path, InputPath::Whole);
        let consumable = whole
            && t.handling.retry.is_empty()
            && matches!(t.flow.result_path, ResultPath::Replace)
            && t.handling
                .catch
                .iter()
                .all(|c| matches!(c.result_path, ResultPath::Replace));
        let (mut owned, input) = if consumable {
            (Some(input), Value::Null)
        } else {
            (None, input)
        };
        let params_text = if whole { input_text } else { None };
        let raw = &input;
        let handling = (&t.handling, Origin::Task);
        self.retrying(handling, raw, ctx, prev, |retry_count, c, mut prev| {
            let call = Call {
                handler: handler.as_ref(),
                owned: owned.take(),
                params_text: params_text.clone(),
                retry_count,
            };
            async move {
                let outcome = self.attempt(st, t, call, raw, &c, &mut prev).await;
                Attempted {
                    outcome,
                    last: prev,
                    closing: None,
                }
            }
        })
        .await
    }

    async fn attempt(
        &self,
        st: &State,
        t: &TaskState,
        call: Call<'_>,
        input: &Value,
        c: &Value,
        prev: &mut u64,
    ) -> Result<Step, Failure> {
        let effective = match call.owned {
            Some(value) => Cow::Owned(value),
            None => flow::select(&st.input_path, input, c)?,
        };
        let timeout = timeout_seconds(st, t, &effective, c)?;
        let params = match &t.parameters {
            Some(tpl) => tpl.render(&effective, c)?,
            None => effective.into_owned(),
        };
        let params_text = call.params_text.unwrap_or_else(|| flow::text(&params));
        // Results are usually about the size of their input.
        let hint = params_text.len() + params_text.len() / 4 + 64;
        flow::check_size(&params_text, "parameters", &st.name)?;
        let resource = Resource::of(t);
        *prev = self.record_call(&resource, params_text, *prev);
        let context = TaskContext {
            execution_name: self.name.clone(),
            execution_arn: self.arn.clone(),
            state_name: st.name.clone(),
            retry_count: call.retry_count,
        };
        let outcome = invoke(call.handler, params, context, timeout).await;
        let (result, result_text) =
            self.record_outcome(st, &resource, outcome, timeout, hint, prev)?;
        output(st, t, input, result, result_text, c)
    }

    /// TaskScheduled (with the parameters) and TaskStarted, at one instant.
    fn record_call(&self, resource: &Resource<'_>, params_text: String, prev: u64) -> u64 {
        let scheduled = self.rec.now();
        let prev = self.rec.record_at(
            scheduled,
            prev,
            EventType::TaskScheduled,
            EventDetails {
                region: Some(resource.region.to_owned()),
                parameters: Some(params_text),
                ..resource.details()
            },
        );
        self.rec
            .record_at(scheduled, prev, EventType::TaskStarted, resource.details())
    }

    /// The call's end as history shows it: TaskTimedOut, TaskFailed, or TaskSucceeded
    /// with the result (and the result with its text, when it is within the limit).
    fn record_outcome(
        &self,
        st: &State,
        resource: &Resource<'_>,
        outcome: Option<Result<Value, Failure>>,
        timeout: Option<u64>,
        hint: usize,
        prev: &mut u64,
    ) -> Result<(Value, String), Failure> {
        let failed = |event_type, failure: Failure, prev: &mut u64| {
            *prev = self.rec.record(
                *prev,
                event_type,
                EventDetails {
                    error: Some(failure.error.clone()),
                    cause: failure.recorded_cause(),
                    ..resource.details()
                },
            );
            failure
        };
        match outcome {
            None => {
                let failure = Failure::new(
                    names::TIMEOUT,
                    format!(
                        "The task of state '{}' did not finish within {} seconds.",
                        st.name,
                        timeout.unwrap_or_default()
                    ),
                );
                Err(failed(EventType::TaskTimedOut, failure, prev))
            }
            Some(Err(e)) => {
                let Failure { error, cause } = failed(EventType::TaskFailed, e, prev);
                Err(Failure::new(error, cause))
            }
            Some(Ok(result)) => {
                let result_text = flow::text_sized(&result, hint);
                flow::check_size(&result_text, "result", &st.name)?;
                *prev = self.rec.record(
                    *prev,
                    EventType::TaskSucceeded,
                    EventDetails {
                        output: Some(result_text.clone()),
                        ..resource.details()
                    },
                );
                Ok((result, result_text))
            }
        }
    }
}

/// The task's time limit: TimeoutSeconds, or what TimeoutSecondsPath selects.
fn timeout_seconds(
    st: &State,
    t: &TaskState,
    effective: &Value,
    c: &Value,
) -> Result<Option<u64>, Failure> {
    match &t.timeout {
        None => Ok(None),
        Some(Amount::Fixed(s)) => Ok(Some(*s)),
        Some(Amount::Path(p)) => match p.lookup(effective, c).and_then(Value::as_u64) {
            Some(s) if s > 0 => Ok(Some(s)),
            _ => Err(Failure::new(
                names::RUNTIME,
                format!(
                    "TimeoutSecondsPath '{}' of state '{}' must select a whole number of 1 or more.",
                    p.as_str(),
                    st.name
                ),
            )),
        },
    }
}

/// Calls the handler, within `timeout` seconds if there is one: `None` when it ran out.
async fn invoke(
    handler: &dyn TaskHandler,
    params: Value,
    context: TaskContext,
    timeout: Option<u64>,
) -> Option<Result<Value, Failure>> {
    let invocation = handler.invoke(params, context);
    match timeout {
        None => Some(invocation.await),
        Some(secs) => {
            // The timer stops a handler that waits; the clock read after it returns
            // catches one that was busy all along and never let the timer fire.
            let limit = Duration::from_secs(secs);
            let begun = Instant::now();
            tokio::time::timeout(limit, invocation)
                .await
                .ok()
                .filter(|_| begun.elapsed() <= limit)
        }
    }
}

/// The state's output from the task's result: as it stands (its text reused) when
/// nothing reshapes it, else through ResultSelector, ResultPath and OutputPath.
fn output(
    st: &State,
    t: &TaskState,
    input: &Value,
    result: Value,
    result_text: String,
    c: &Value,
) -> Result<Step, Failure> {
    let plain = t.flow.result_selector.is_none()
        && matches!(t.flow.result_path, ResultPath::Replace)
        && matches!(st.output_path, InputPath::Whole);
    if plain {
        return Ok(Step {
            value: result,
            text: Some(result_text),
            next: t.next,
        });
    }
    let out = flow::result(&t.flow, input.clone(), result, c)?;
    Ok(Step {
        value: flow::output(&st.output_path, out, c)?,
        text: None,
        next: t.next,
    })
}
