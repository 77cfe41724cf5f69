//! What the engine calls out to: the task handlers a Task state's `Resource` resolves
//! to, with the context of each call, and the observers that watch a run's history.
//! The engine itself lives in `executor/`.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use super::error::Failure;
use super::history::HistoryEvent;

/// What a handler knows about the call, like a Lambda function's context.
#[derive(Debug, Clone)]
pub struct TaskContext {
    pub execution_name: String,
    pub execution_arn: String,
    pub state_name: String,
    /// 0 on the first attempt, 1 on the first retry, …
    pub retry_count: u32,
}

/// Local code a Task state's `Resource` resolves to. Its failure becomes a `TaskFailed`
/// event and is subject to Retry and Catch.
#[async_trait]
pub trait TaskHandler: Send + Sync {
    async fn invoke(&self, input: Value, context: TaskContext) -> Result<Value, Failure>;
}

/// Receives history events as they happen (the console draws live progress from them).
pub trait Observer: Send + Sync {
    fn event(&self, event: &HistoryEvent);
}

/// The task handlers known by name, in the order they were registered.
#[derive(Default, Clone)]
pub(crate) struct Handlers(Vec<(String, Arc<dyn TaskHandler>)>);

impl Handlers {
    pub fn add(&mut self, name: String, handler: Arc<dyn TaskHandler>) {
        self.0.push((name, handler));
    }

    /// The first handler registered under `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn TaskHandler>> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, h)| h)
    }

    /// Every name registered.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|(n, _)| n.as_str()).collect()
    }
}
