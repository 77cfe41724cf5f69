//! The engine's public face: the task handlers it knows, and how one execution is started
//! and run to its end. The running itself is the rest of `executor/`.

use std::sync::Arc;

use serde_json::Value;

use crate::workflow::definition::{DefinitionError, StateMachine};
use crate::workflow::history::Execution;
use crate::workflow::task::{Observer, TaskHandler};

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
    handlers: Vec<(String, Arc<dyn TaskHandler>)>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Registers a handler by name. `Resource` values resolve to it when they equal the
    /// name or are a Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`,
    /// optionally with a version or alias) whose function name is `name`.
    pub fn register(&mut self, name: impl Into<String>, handler: Arc<dyn TaskHandler>) {
        self.handlers.push((name.into(), handler));
    }

    /// The handler registered under `name`, if any.
    pub(crate) fn handler(&self, name: &str) -> Option<&Arc<dyn TaskHandler>> {
        self.handlers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, h)| h)
    }

    /// Every Task `Resource` in the machine resolves to a registered handler.
    pub fn check(&self, machine: &StateMachine) -> Result<(), Vec<DefinitionError>> {
        let known: Vec<&str> = self.handlers.iter().map(|(n, _)| n.as_str()).collect();
        machine.check_resources(&known)
    }

    /// Runs one execution to its end and returns its summary and full history.
    /// Never panics on bad data: every failure is an execution that FAILED with AWS's error names.
    pub async fn run(
        &self,
        machine: &StateMachine,
        input: Value,
        options: RunOptions,
    ) -> Execution {
        super::run(self, machine, input, options, None).await
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
        super::run(self, machine, input, options, Some(Box::pin(abort))).await
    }
}
