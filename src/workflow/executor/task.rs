//! The Task state: resolve the handler, call it with Parameters, time it out,
//! retry and catch its failures, and record Scheduled/Started/Succeeded/Failed.
//! One attempt reads in its steps: the effective input, the timeout, the parameters,
//! the call (recorded as Scheduled and Started), its outcome, and the state's output.

use std::borrow::Cow;
use std::time::Duration;

use tokio::time::Instant;

use serde_json::{Map, Value};

use super::errors::{Attempted, Origin};
use super::{Run, Step, flow};
use crate::workflow::definition::invoked_function_name;
use crate::workflow::definition::states::{
    Amount, InputPath, Integration, ResultPath, State, TaskState,
};
use crate::workflow::error::{Failure, names};
use crate::workflow::history::{EventDetails, EventType};
use crate::workflow::jsonata;
use crate::workflow::task::{TaskContext, TaskHandler};
use crate::workflow::variables::Scope;

/// One attempt's handler and what it may reuse.
struct Call<'h> {
    /// The handler, when the resource names it (`None` for `lambda:invoke`, whose
    /// function is named by the parameters).
    handler: Option<&'h dyn TaskHandler>,
    /// The input itself, when nothing needs it after the call.
    owned: Option<Value>,
    /// The parameters' text, when they are the state input as it stands.
    params_text: Option<String>,
    retry_count: u32,
}

/// How the call is recorded: AWS records a Task whose Resource is a Lambda function ARN
/// as `LambdaFunction…` events, and every other Task (service integrations such as
/// `lambda:invoke`, and local handlers) as `Task…` events with the resource's type,
/// name and region.
enum Form<'t> {
    Lambda {
        arn: &'t str,
    },
    Task {
        kind: &'t str,
        name: &'t str,
        region: &'t str,
    },
}

impl<'t> Form<'t> {
    fn of(t: &'t TaskState, machine_region: &'t str) -> Form<'t> {
        match t.integration {
            Integration::LambdaFunction => Form::Lambda { arn: &t.resource },
            Integration::LambdaInvoke => Form::Task {
                kind: "lambda",
                name: "invoke",
                region: machine_region,
            },
            Integration::Service => {
                // arn:aws:states:::SERVICE:API, or aws-sdk:SERVICE:API, as AWS names
                // them in events: resourceType SERVICE (aws-sdk:SERVICE), resource API.
                let service = t.resource.splitn(6, ':').nth(5).unwrap_or_default();
                match service.rfind(':') {
                    Some(at) if at > 0 => Form::Task {
                        kind: &service[..at],
                        name: &service[at + 1..],
                        region: machine_region,
                    },
                    _ => Form::Task {
                        kind: "local",
                        name: &t.resource,
                        region: machine_region,
                    },
                }
            }
            Integration::Local => Form::Task {
                kind: "local",
                name: &t.function,
                region: machine_region,
            },
        }
    }

    /// The details every `Task…` event carries.
    fn task_details(&self) -> EventDetails {
        match self {
            Form::Task { kind, name, .. } => EventDetails {
                resource_type: Some((*kind).to_owned()),
                resource: Some((*name).to_owned()),
                ..EventDetails::default()
            },
            Form::Lambda { .. } => EventDetails::default(),
        }
    }

    fn scheduled(&self, params_text: String, timeout: Option<u64>) -> (EventType, EventDetails) {
        match self {
            Form::Lambda { arn } => (
                EventType::LambdaFunctionScheduled,
                EventDetails {
                    resource: Some((*arn).to_owned()),
                    input: Some(params_text),
                    timeout_in_seconds: timeout,
                    ..EventDetails::default()
                },
            ),
            Form::Task { region, .. } => (
                EventType::TaskScheduled,
                EventDetails {
                    region: Some((*region).to_owned()),
                    parameters: Some(params_text),
                    timeout_in_seconds: timeout,
                    ..self.task_details()
                },
            ),
        }
    }

    fn started(&self) -> EventType {
        match self {
            Form::Lambda { .. } => EventType::LambdaFunctionStarted,
            Form::Task { .. } => EventType::TaskStarted,
        }
    }

    fn succeeded(&self) -> EventType {
        match self {
            Form::Lambda { .. } => EventType::LambdaFunctionSucceeded,
            Form::Task { .. } => EventType::TaskSucceeded,
        }
    }

    fn failed(&self) -> EventType {
        match self {
            Form::Lambda { .. } => EventType::LambdaFunctionFailed,
            Form::Task { .. } => EventType::TaskFailed,
        }
    }

    fn timed_out(&self) -> EventType {
        match self {
            Form::Lambda { .. } => EventType::LambdaFunctionTimedOut,
            Form::Task { .. } => EventType::TaskTimedOut,
        }
    }
}

impl Run<'_> {
    pub(super) async fn task<'v, C>(
        &self,
        st: &State,
        t: &TaskState,
        input: Value,
        input_text: Option<String>,
        ctx: &C,
        prev: &mut u64,
    ) -> Result<Step, Failure>
    where
        C: Fn(u32) -> Scope<'v> + Sync,
    {
        let handler = match t.integration {
            // A handler registered under the resource itself answers for the service (a
            // mocked response, say): its result is the service's whole response.
            Integration::LambdaInvoke => self.handler(&t.resource).map(AsRef::as_ref),
            _ => match self.handler(&t.function) {
                Some(handler) => Some(handler.as_ref()),
                None => {
                    return Err(Failure::new(
                        names::RUNTIME,
                        format!(
                            "No task handler is registered for resource '{}' of state '{}'. Register a handler named '{}'.",
                            t.resource, st.name, t.function
                        ),
                    ));
                }
            },
        };
        // With nothing that needs the raw input again (no retry, no Parameters or
        // InputPath, results replacing the input), the input moves into the handler.
        // A JSONata state reads its input again ($states.input) after the call.
        let whole = t.parameters.is_none()
            && st.jsonata.is_none()
            && matches!(st.input_path, InputPath::Whole);
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
                handler,
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
        c: &Scope<'_>,
        prev: &mut u64,
    ) -> Result<Step, Failure> {
        let effective = match call.owned {
            Some(value) => Cow::Owned(value),
            None => flow::select(&st.input_path, input, c)?,
        };
        let timeout = timeout_seconds(st, t, &effective, c)?;
        let params = match (
            &t.parameters,
            st.jsonata.as_ref().and_then(|j| j.arguments.as_ref()),
        ) {
            (_, Some(arguments)) => {
                let states = jsonata::states(&effective, &c.context, None, None);
                arguments.value(&states, c.variables, "Arguments")?
            }
            (Some(tpl), None) => tpl.render(&effective, c)?,
            (None, None) => effective.into_owned(),
        };
        let params_text = call.params_text.unwrap_or_else(|| flow::text(&params));
        // Results are usually about the size of their input.
        let hint = params_text.len() + params_text.len() / 4 + 64;
        flow::check_size(&params_text, "parameters", &st.name)?;
        let form = Form::of(t, self.region());
        *prev = self.record_call(&form, params_text, timeout, *prev);
        let context = TaskContext {
            execution_name: self.name.clone(),
            execution_arn: self.arn.clone(),
            state_name: st.name.clone(),
            retry_count: call.retry_count,
        };
        let outcome = match call.handler {
            Some(handler) => invoke(handler, params, context, timeout).await,
            None => self.invoke_lambda(params, context, timeout).await,
        };
        let (result, result_text) = self.record_outcome(st, &form, outcome, timeout, hint, prev)?;
        output(st, t, input, result, result_text, c)
    }

    /// `lambda:invoke`: the function `FunctionName` names, called with `Payload` (`{}`
    /// when there is none), its result as the Invoke API returns it.
    async fn invoke_lambda(
        &self,
        params: Value,
        context: TaskContext,
        timeout: Option<u64>,
    ) -> Option<Result<Value, Failure>> {
        let Value::Object(mut params) = params else {
            return Some(Err(Failure::new(
                names::RUNTIME,
                "The Parameters of arn:aws:states:::lambda:invoke must be an object.",
            )));
        };
        let Some(Value::String(function)) = params.get("FunctionName") else {
            return Some(Err(Failure::new(
                names::RUNTIME,
                "The Parameters of arn:aws:states:::lambda:invoke must give FunctionName as a string.",
            )));
        };
        let name = invoked_function_name(function);
        let Some(handler) = self.handler(name) else {
            return Some(Err(Failure::new(
                "Lambda.ResourceNotFoundException",
                format!(
                    "Function not found: {function} (Service: Lambda, Status Code: 404, Error Code: ResourceNotFoundException)"
                ),
            )));
        };
        let payload = params
            .shift_remove("Payload")
            .unwrap_or_else(|| Value::Object(Map::new()));
        let outcome = invoke(handler.as_ref(), payload, context, timeout).await?;
        Some(outcome.map(|result| {
            let mut response = Map::new();
            response.insert("ExecutedVersion".into(), "$LATEST".into());
            response.insert("Payload".into(), result);
            response.insert(
                "SdkHttpMetadata".into(),
                Value::Object(Map::from_iter([("HttpStatusCode".into(), 200.into())])),
            );
            response.insert("StatusCode".into(), 200.into());
            Value::Object(response)
        }))
    }

    /// The call's Scheduled event (with the parameters) and its Started event, at one instant.
    fn record_call(
        &self,
        form: &Form<'_>,
        params_text: String,
        timeout: Option<u64>,
        prev: u64,
    ) -> u64 {
        let scheduled = self.rec.now();
        let (event_type, details) = form.scheduled(params_text, timeout);
        let prev = self.rec.record_at(scheduled, prev, event_type, details);
        self.rec
            .record_at(scheduled, prev, form.started(), form.task_details())
    }

    /// The call's end as history shows it: TimedOut (the time limit passed, or the
    /// handler said `States.Timeout`), Failed, or Succeeded with the result (and the
    /// result with its text, when it is within the limit).
    fn record_outcome(
        &self,
        st: &State,
        form: &Form<'_>,
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
                    ..form.task_details()
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
                Err(failed(form.timed_out(), failure, prev))
            }
            Some(Err(e)) => {
                let kind = if e.error == names::TIMEOUT {
                    form.timed_out()
                } else {
                    form.failed()
                };
                let Failure { error, cause } = failed(kind, e, prev);
                Err(Failure::new(error, cause))
            }
            Some(Ok(result)) => {
                let result_text = flow::text_sized(&result, hint);
                flow::check_size(&result_text, "result", &st.name)?;
                *prev = self.rec.record(
                    *prev,
                    form.succeeded(),
                    EventDetails {
                        output: Some(result_text.clone()),
                        ..form.task_details()
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
    c: &Scope<'_>,
) -> Result<Option<u64>, Failure> {
    if let Some(timeout) = st.jsonata.as_ref().and_then(|j| j.timeout.as_ref()) {
        let states = jsonata::states(effective, &c.context, None, None);
        let value = timeout.value(&states, c.variables, "TimeoutSeconds")?;
        return match value.as_u64() {
            Some(s) if s > 0 => Ok(Some(s)),
            _ => Err(Failure::new(
                jsonata::QUERY_EVALUATION_ERROR,
                format!(
                    "The TimeoutSeconds of state '{}' must give a whole number of 1 or more, not {}.",
                    st.name,
                    flow::text(&value)
                ),
            )),
        };
    }
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
    c: &Scope<'_>,
) -> Result<Step, Failure> {
    let states = || jsonata::states(input, &c.context, Some(&result), None);
    let assigned = flow::assign(st.assign.as_ref(), &result, states, c)?;
    if let Some(j) = &st.jsonata {
        let value = match &j.output {
            Some(_) => flow::jsonata_output(j.output.as_ref(), Value::Null, states, c)?,
            None => result,
        };
        return Ok(Step {
            value,
            text: None,
            next: t.next,
            assigned,
        });
    }
    let plain = t.flow.result_selector.is_none()
        && matches!(t.flow.result_path, ResultPath::Replace)
        && matches!(st.output_path, InputPath::Whole);
    if plain {
        return Ok(Step {
            value: result,
            text: Some(result_text),
            next: t.next,
            assigned,
        });
    }
    let out = flow::result(&t.flow, input.clone(), result, c)?;
    Ok(Step {
        value: flow::output(&st.output_path, out, c)?,
        text: None,
        next: t.next,
        assigned,
    })
}
