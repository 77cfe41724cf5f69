//! Small task handlers for the engine's tests: echo, a closure, fail-N-times, slow.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use daycare::workflow::{
    Engine, Execution, RunOptions, StateMachine, TaskContext, TaskFailure, TaskHandler,
};
use serde_json::Value;

type Body = dyn Fn(Value, &TaskContext) -> Result<Value, TaskFailure> + Send + Sync;

/// A handler from a closure.
pub struct FnHandler(pub Box<Body>);

#[async_trait]
impl TaskHandler for FnHandler {
    async fn invoke(&self, input: Value, context: TaskContext) -> Result<Value, TaskFailure> {
        (self.0)(input, &context)
    }
}

pub fn handler(
    f: impl Fn(Value, &TaskContext) -> Result<Value, TaskFailure> + Send + Sync + 'static,
) -> Arc<dyn TaskHandler> {
    Arc::new(FnHandler(Box::new(f)))
}

pub fn echo() -> Arc<dyn TaskHandler> {
    handler(|v, _| Ok(v))
}

/// Fails with `error` the first `times` calls, then echoes; counts calls.
pub struct FailTimes {
    pub times: u32,
    pub error: String,
    pub calls: AtomicU32,
}

impl FailTimes {
    pub fn new(times: u32, error: &str) -> Arc<FailTimes> {
        Arc::new(FailTimes {
            times,
            error: error.to_owned(),
            calls: AtomicU32::new(0),
        })
    }

    pub fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl TaskHandler for FailTimes {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if n < self.times {
            return Err(TaskFailure {
                error: self.error.clone(),
                cause: format!("attempt {} failed", n + 1),
            });
        }
        Ok(input)
    }
}

/// Sleeps on the runtime clock, then echoes.
pub struct Slow(pub Duration);

#[async_trait]
impl TaskHandler for Slow {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        tokio::time::sleep(self.0).await;
        Ok(input)
    }
}

pub fn machine(json: &str) -> StateMachine {
    match StateMachine::parse(json) {
        Ok(m) => m,
        Err(errors) => panic!(
            "definition should be valid: {}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

pub async fn run(engine: &Engine, json: &str, input: Value) -> Execution {
    engine
        .run(&machine(json), input, RunOptions::default())
        .await
}

/// The event types, in AWS's spelling.
pub fn types(execution: &Execution) -> Vec<&'static str> {
    execution
        .events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect()
}

/// The execution's output, parsed.
pub fn output(execution: &Execution) -> Value {
    let text = execution.summary.output.as_deref().unwrap_or_else(|| {
        panic!(
            "no output: {:?} {:?}",
            execution.summary.error, execution.summary.cause
        )
    });
    serde_json::from_str(text).unwrap()
}

/// Golden fixtures: each folder's `expected.json` against what a run gives now, or,
/// under `GOLDEN_BLESS=1`, rewritten from it (review the diff before committing it).
pub struct Golden {
    bless: bool,
    failures: Vec<String>,
}

impl Golden {
    pub fn new() -> Golden {
        Golden {
            bless: std::env::var_os("GOLDEN_BLESS").is_some(),
            failures: Vec::new(),
        }
    }

    /// Compares `actual` with `dir/expected.json` (or writes it there when blessing).
    pub fn check(&mut self, dir: &std::path::Path, actual: &Value) {
        let path = dir.join("expected.json");
        if self.bless {
            std::fs::write(&path, serde_json::to_string_pretty(actual).unwrap() + "\n").unwrap();
            return;
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if *actual != expected {
            self.failures.push(format!(
                "{}:\n  expected {expected}\n  actual   {actual}",
                dir.file_name().unwrap().to_string_lossy()
            ));
        }
    }

    /// Fails naming every fixture that differed.
    pub fn finish(self, what: &str) {
        assert!(
            self.failures.is_empty(),
            "{} {what} fixture(s) differ (GOLDEN_BLESS=1 rewrites them):\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}
