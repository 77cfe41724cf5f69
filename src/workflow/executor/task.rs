//! The Task state: resolve the handler, call it with Parameters, time it out,
//! retry and catch its failures, and record Scheduled/Started/Succeeded/Failed.

use std::borrow::Cow;
use std::time::Duration;

use tokio::time::Instant;

use serde_json::Value;

use super::errors::{Origin, Recovery, Retries};
use super::{Failure, Run, Step, flow};
use crate::workflow::definition::states::{Amount, InputPath, ResultPath, State, TaskState};
use crate::workflow::error::names;
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

/// `resourceType`, `resource` and `region` as TaskScheduled shows them.
fn describe(t: &TaskState) -> (&'static str, &str, &str) {
    match &t.region {
        Some(region) => ("lambda", "invoke", region.as_str()),
        None => ("local", t.function.as_str(), "local"),
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
        let mut retries = Retries::new(&t.handling);
        loop {
            let c = ctx(retries.total);
            let call = Call {
                handler: handler.as_ref(),
                owned: owned.take(),
                params_text: params_text.clone(),
                retry_count: retries.total,
            };
            match self.attempt(st, t, call, &input, &c, prev).await {
                Ok(step) => return Ok(step),
                Err(failure) => {
                    match self.recover(&t.handling, Origin::Task, &mut retries, failure, &input) {
                        Recovery::Retry(delay) => tokio::time::sleep(delay).await,
                        Recovery::Done(result) => return result,
                    }
                }
            }
        }
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
        let (resource_type, resource, region) = describe(t);
        let effective = match call.owned {
            Some(value) => Cow::Owned(value),
            None => flow::select(&st.input_path, input, c)?,
        };
        let timeout = match &t.timeout {
            None => None,
            Some(Amount::Fixed(s)) => Some(*s),
            Some(Amount::Path(p)) => match p.lookup(&effective, c).and_then(Value::as_u64) {
                Some(s) if s > 0 => Some(s),
                _ => {
                    return Err(Failure::new(
                        names::RUNTIME,
                        format!(
                            "TimeoutSecondsPath '{}' of state '{}' must select a whole number of 1 or more.",
                            p.as_str(),
                            st.name
                        ),
                    ));
                }
            },
        };
        let params = match &t.parameters {
            Some(tpl) => tpl.render(&effective, c)?,
            None => effective.into_owned(),
        };
        let params_text = call.params_text.unwrap_or_else(|| flow::text(&params));
        // Results are usually about the size of their input.
        let hint = params_text.len() + params_text.len() / 4 + 64;
        flow::check_size(&params_text, "parameters", &st.name)?;
        let details = || EventDetails {
            resource_type: Some(resource_type.to_owned()),
            resource: Some(resource.to_owned()),
            ..EventDetails::default()
        };
        let scheduled = self.rec.now();
        *prev = self.rec.record_at(
            scheduled,
            *prev,
            EventType::TaskScheduled,
            EventDetails {
                region: Some(region.to_owned()),
                parameters: Some(params_text),
                ..details()
            },
        );
        *prev = self
            .rec
            .record_at(scheduled, *prev, EventType::TaskStarted, details());
        let invocation = call.handler.invoke(
            params,
            TaskContext {
                execution_name: self.name.clone(),
                execution_arn: self.arn.clone(),
                state_name: st.name.clone(),
                retry_count: call.retry_count,
            },
        );
        let outcome = match timeout {
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
        };
        let result = match outcome {
            None => {
                let failure = Failure::new(
                    names::TIMEOUT,
                    format!(
                        "The task of state '{}' did not finish within {} seconds.",
                        st.name,
                        timeout.unwrap_or_default()
                    ),
                );
                *prev = self.rec.record(
                    *prev,
                    EventType::TaskTimedOut,
                    EventDetails {
                        error: Some(failure.error.clone()),
                        cause: Some(failure.cause.clone()),
                        ..details()
                    },
                );
                return Err(failure);
            }
            Some(Err(e)) => {
                *prev = self.rec.record(
                    *prev,
                    EventType::TaskFailed,
                    EventDetails {
                        error: Some(e.error.clone()),
                        cause: Some(e.cause.clone()),
                        ..details()
                    },
                );
                return Err(Failure::new(e.error, e.cause));
            }
            Some(Ok(result)) => result,
        };
        let result_text = flow::text_sized(&result, hint);
        flow::check_size(&result_text, "result", &st.name)?;
        let plain = t.flow.result_selector.is_none()
            && matches!(t.flow.result_path, ResultPath::Replace)
            && matches!(st.output_path, InputPath::Whole);
        // When the result is the state's output as it stands, its text is reused.
        let output_text = plain.then(|| result_text.clone());
        *prev = self.rec.record(
            *prev,
            EventType::TaskSucceeded,
            EventDetails {
                output: Some(result_text),
                ..details()
            },
        );
        if plain {
            return Ok(Step {
                value: result,
                text: output_text,
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
}
