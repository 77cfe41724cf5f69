//! The engine's public face and an execution's life: the task handlers it knows; an
//! execution started (its name, ARNs and `ExecutionStarted`), run under its
//! `TimeoutSeconds` and a possible stop, and closed with its summary. Running the
//! states themselves is the rest of `executor/`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::limits::Limits;
use super::recorder::Recorder;
use super::{BoxFuture, Done, Run, Stop, flow, timestamp};
use crate::workflow::definition::{DefinitionError, StateMachine};
use crate::workflow::error::Failure;
use crate::workflow::history::{
    EventDetails, EventType, Execution, ExecutionStatus, ExecutionSummary,
};
use crate::workflow::naming::{self, DEFAULT_MACHINE_NAME, execution_arn, machine_parts};
use crate::workflow::task::{Handlers, Observer, TaskHandler};
use crate::workflow::variables::Variables;

/// How to start one execution.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// The execution's name; a UUID when `None`.
    pub name: Option<String>,
    /// The machine's ARN; `arn:aws:states:local:000000000000:stateMachine:StateMachine`
    /// (see `naming::state_machine_arn`) when `None`.
    /// The execution ARN is derived from it as AWS does (`…:execution:MACHINE:NAME`).
    pub state_machine_arn: Option<String>,
    /// The input as JSON text, when the caller has already written it (to record the
    /// execution before it starts, say): the history carries this text instead of the
    /// input being written again. It must be the input's compact JSON text.
    pub input_text: Option<String>,
    pub observer: Option<Arc<dyn Observer>>,
}

/// The interpreter, with the task handlers it knows. Cheap to share behind an `Arc`.
#[derive(Default, Clone)]
pub struct Engine {
    // CONTRACT: private fields are the engine's own business.
    handlers: Handlers,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Registers a handler by name. `Resource` values resolve to it when they equal the
    /// name or are a Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`,
    /// optionally with a version or alias) whose function name is `name`.
    pub fn register(&mut self, name: impl Into<String>, handler: Arc<dyn TaskHandler>) {
        self.handlers.add(name.into(), handler);
    }

    /// Every Task `Resource` in the machine resolves to a registered handler.
    pub fn check(&self, machine: &StateMachine) -> Result<(), Vec<DefinitionError>> {
        machine.check_resources(&self.handlers.names())
    }

    /// Runs one execution to its end and returns its summary and full history.
    /// Never panics on bad data: every failure is an execution that FAILED with AWS's error names.
    pub async fn run(
        &self,
        machine: &StateMachine,
        input: Value,
        options: RunOptions,
    ) -> Execution {
        execute(&self.handlers, machine, input, options, None).await
    }

    /// Like [`Engine::run`], but the execution stops as ABORTED (with an
    /// `ExecutionAborted` event) if `abort` completes first, as StopExecution does.
    pub async fn run_until(
        &self,
        machine: &StateMachine,
        input: Value,
        options: RunOptions,
        abort: impl Future<Output = ()> + Send,
    ) -> Execution {
        execute(
            &self.handlers,
            machine,
            input,
            options,
            Some(Box::pin(abort)),
        )
        .await
    }
}

/// How an execution ended, when it did not succeed: its status, the failure and the
/// last event recorded before it.
type Ending = (ExecutionStatus, Failure, u64);

/// Runs one execution to its end (see [`Engine::run`]).
async fn execute(
    handlers: &Handlers,
    machine: &StateMachine,
    input: Value,
    mut options: RunOptions,
    abort: Option<BoxFuture<'_, ()>>,
) -> Execution {
    let start_date = Utc::now();
    let input_text = match options.input_text.take() {
        Some(text) => {
            debug_assert_eq!(text, flow::text(&input), "RunOptions::input_text");
            text
        }
        None => flow::text(&input),
    };
    let run = Run::begin(handlers, machine, &input, start_date, options);
    let started = run.record_started(&input_text);
    let body = run.body(machine, input, &input_text, started);
    let outcome = match abort {
        None => body.await,
        Some(abort) => {
            tokio::select! {
                outcome = body => outcome,
                () = abort => Err((
                    ExecutionStatus::Aborted,
                    Failure::new("", "The execution was stopped before it finished."),
                    run.rec.last_id(),
                )),
            }
        }
    };
    run.finish(input_text, start_date, outcome)
}

impl<'e> Run<'e> {
    /// An execution about to start: its name (a UUID unless given), its ARNs, its clock.
    fn begin(
        handlers: &'e Handlers,
        machine: &StateMachine,
        input: &Value,
        start_date: DateTime<Utc>,
        options: RunOptions,
    ) -> Run<'e> {
        let machine_arn = options
            .state_machine_arn
            .unwrap_or_else(|| naming::state_machine_arn(DEFAULT_MACHINE_NAME));
        let name = options.name.unwrap_or_else(|| {
            uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .to_string()
        });
        Run {
            handlers,
            rec: Recorder::new(options.observer),
            limits: Limits::new(machine.timeout_seconds()),
            arn: execution_arn(&machine_arn, &name),
            role_arn: naming::role_arn(&machine_arn),
            machine_name: machine_parts(&machine_arn).1.to_owned(),
            name,
            machine_arn,
            start: timestamp(start_date),
            // Kept for `$$.Execution.Input` only when some state reads the context.
            input: if machine.uses_context() {
                input.clone()
            } else {
                Value::Null
            },
        }
    }

    /// The `ExecutionStarted` event, with the input and the role; its id.
    fn record_started(&self, input_text: &str) -> u64 {
        self.rec.record(
            0,
            EventType::ExecutionStarted,
            EventDetails {
                input: Some(input_text.to_owned()),
                role_arn: Some(self.role_arn.clone()),
                ..EventDetails::default()
            },
        )
    }

    /// The machine from its StartAt to an end, within the execution's `TimeoutSeconds`.
    async fn body(
        &self,
        machine: &StateMachine,
        input: Value,
        input_text: &str,
        started: u64,
    ) -> Result<Done, Ending> {
        if let Err(failure) = flow::check_size(input_text, "input", "(execution)") {
            return Err((ExecutionStatus::Failed, failure, started));
        }
        let body = self.machine(
            machine.machine(),
            input,
            Some(input_text.to_owned()),
            Variables::default(),
            started,
        );
        // The timer stops an execution that waits (on a task, a Wait state); the checks
        // between states stop one that is busy.
        let outcome = match machine.timeout_seconds() {
            None => body.await,
            Some(secs) => match tokio::time::timeout(Duration::from_secs(secs), body).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    let failure = self.limits.time_out();
                    return Err((ExecutionStatus::TimedOut, failure, self.rec.last_id()));
                }
            },
        };
        let outcome = outcome.and_then(|done| match self.limits.check(&self.rec) {
            Ok(()) => Ok(done),
            Err(failure) => Err(Stop {
                failure,
                last: done.last,
            }),
        });
        outcome.map_err(|s| {
            let status = if self.limits.timed_out() {
                ExecutionStatus::TimedOut
            } else {
                ExecutionStatus::Failed
            };
            (status, s.failure, s.last)
        })
    }

    /// The closing event (`ExecutionSucceeded`, `…Failed`, `…TimedOut` or `…Aborted`),
    /// and the execution as DescribeExecution and GetExecutionHistory give it.
    fn finish(
        self,
        input: String,
        start_date: DateTime<Utc>,
        outcome: Result<Done, Ending>,
    ) -> Execution {
        let (status, output, error, cause) = match outcome {
            Ok(done) => {
                self.rec.record_closing(
                    done.last,
                    EventType::ExecutionSucceeded,
                    EventDetails {
                        output: Some(done.text.clone()),
                        ..EventDetails::default()
                    },
                );
                (ExecutionStatus::Succeeded, Some(done.text), None, None)
            }
            Err((status, failure, last)) => {
                let event_type = match status {
                    ExecutionStatus::TimedOut => EventType::ExecutionTimedOut,
                    ExecutionStatus::Aborted => EventType::ExecutionAborted,
                    _ => EventType::ExecutionFailed,
                };
                let cause = failure.recorded_cause();
                let error = Some(failure.error).filter(|e| !e.is_empty());
                self.rec.record_closing(
                    last,
                    event_type,
                    EventDetails {
                        error: error.clone(),
                        cause: cause.clone(),
                        ..EventDetails::default()
                    },
                );
                (status, None, error, cause)
            }
        };
        let summary = ExecutionSummary {
            execution_arn: self.arn,
            state_machine_arn: self.machine_arn,
            name: self.name,
            status,
            start_date,
            stop_date: Some(Utc::now()),
            input,
            output,
            error,
            cause,
        };
        Execution {
            summary,
            events: self.rec.into_events(),
        }
    }
}
