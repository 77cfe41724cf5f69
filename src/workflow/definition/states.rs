//! The typed form of a parsed definition: one struct per state type, with paths,
//! templates and rules already compiled. Built by `parse`, read by the executor;
//! nothing here touches raw JSON again.

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::StateKind;
use crate::workflow::choice::Rule;
use crate::workflow::intrinsics::Call;
use crate::workflow::jsonata::JsonataTemplate;
use crate::workflow::paths::{Path, ReferencePath, Template};

/// A state machine or a nested one (a Parallel branch, a Map's item processor).
#[derive(Debug, Clone)]
pub(crate) struct Machine {
    pub start: usize,
    pub states: Vec<State>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct State {
    pub name: String,
    pub input_path: InputPath,
    pub output_path: InputPath,
    /// Whether any path, template or rule of this state reads the context object `$$`.
    pub uses_context: bool,
    /// The variables the state sets once its work is done (`Assign`).
    pub assign: Option<Assign>,
    /// The fields of a state written in JSONata; its JSONPath fields then keep their
    /// defaults (the whole input in, the result out).
    pub jsonata: Option<Box<JsonataFields>>,
    pub body: Body,
}

/// `Assign`, in the state's query language: JSONPath's `"name.$": "$.path"` or
/// JSONata's `"name": "{% expression %}"`.
#[derive(Debug, Clone)]
pub(crate) enum Assign {
    JsonPath(Template),
    Jsonata(JsonataTemplate),
}

/// What a JSONata state computes with its expressions (`$states` bound).
#[derive(Debug, Clone, Default)]
pub(crate) struct JsonataFields {
    /// Task and Parallel: what the task or the branches are given (default: the input).
    pub arguments: Option<JsonataTemplate>,
    /// The state's output (default: the result, or the input where there is none).
    pub output: Option<JsonataTemplate>,
    /// Map: the array to iterate over (default: the input).
    pub items: Option<JsonataTemplate>,
    /// Map: each iteration's input.
    pub item_selector: Option<JsonataTemplate>,
    /// Map: MaxConcurrency given as an expression.
    pub max_concurrency: Option<JsonataTemplate>,
    /// Task: TimeoutSeconds given as an expression.
    pub timeout: Option<JsonataTemplate>,
    /// Wait: Seconds or Timestamp given as an expression.
    pub seconds: Option<JsonataTemplate>,
    pub timestamp: Option<JsonataTemplate>,
    /// Fail: Error and Cause given as expressions.
    pub error: Option<JsonataTemplate>,
    pub cause: Option<JsonataTemplate>,
}

impl State {
    pub fn kind(&self) -> StateKind {
        match &self.body {
            Body::Task(_) => StateKind::Task,
            Body::Choice(_) => StateKind::Choice,
            Body::Pass(_) => StateKind::Pass,
            Body::Wait(_) => StateKind::Wait,
            Body::Succeed => StateKind::Succeed,
            Body::Fail(_) => StateKind::Fail,
            Body::Parallel(_) => StateKind::Parallel,
            Body::Map(_) => StateKind::Map,
        }
    }
}

/// InputPath / OutputPath.
#[derive(Debug, Clone)]
pub(crate) enum InputPath {
    /// `$` or absent: the whole document.
    Whole,
    /// `null`: an empty object.
    Empty,
    Select(Path),
}

/// ResultPath.
#[derive(Debug, Clone)]
pub(crate) enum ResultPath {
    /// `$` or absent: the result replaces the input.
    Replace,
    /// `null`: the result is discarded, the input passes through.
    Discard,
    At(ReferencePath),
}

/// Where a state goes when it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    To(usize),
    End,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Task(Box<TaskState>),
    Choice(ChoiceState),
    Pass(PassState),
    Wait(WaitState),
    Succeed,
    Fail(FailState),
    Parallel(Box<ParallelState>),
    Map(Box<MapState>),
}

/// Retry and Catch of a Task, Parallel or Map state.
#[derive(Debug, Clone, Default)]
pub(crate) struct Handling {
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Debug, Clone)]
pub(crate) struct Retrier {
    pub errors: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub full_jitter: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Catcher {
    pub errors: Vec<String>,
    pub next: usize,
    pub result_path: ResultPath,
    /// The variables set from the error output when this catcher catches.
    pub assign: Option<Assign>,
    /// JSONata: the output when this catcher catches (default: the error output).
    pub output: Option<JsonataTemplate>,
}

/// Parameters, ResultSelector and ResultPath, shared by Task, Parallel and Map.
#[derive(Debug, Clone)]
pub(crate) struct ResultFlow {
    pub result_selector: Option<Template>,
    pub result_path: ResultPath,
}

#[derive(Debug, Clone)]
pub(crate) struct TaskState {
    pub resource: String,
    /// The handler name the resource resolves to; for `lambda:invoke`, the function a
    /// fixed `Parameters.FunctionName` names (empty when it is read from the input).
    pub function: String,
    pub integration: Integration,
    pub parameters: Option<Template>,
    pub flow: ResultFlow,
    pub timeout: Option<Amount>,
    pub handling: Handling,
    pub next: Next,
}

/// How a Task's `Resource` is called, and so how AWS records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Integration {
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`: the handler NAME, called
    /// with the parameters and recorded as `LambdaFunction…` events.
    LambdaFunction,
    /// `arn:aws:states:::lambda:invoke`: the handler `Parameters.FunctionName` names,
    /// called with `Parameters.Payload`, its result wrapped as Lambda's Invoke API returns
    /// it, recorded as `Task…` events.
    LambdaInvoke,
    /// Another `arn:aws:states:::` service integration, or an activity: nothing here
    /// calls it, unless a handler is registered under the resource itself.
    Service,
    /// Any other resource: a handler's name, recorded as `Task…` events.
    Local,
}

/// A whole number (seconds, a concurrency limit), given directly or read from the input.
#[derive(Debug, Clone)]
pub(crate) enum Amount {
    Fixed(u64),
    Path(ReferencePath),
}

#[derive(Debug, Clone)]
pub(crate) struct ChoiceState {
    pub choices: Vec<Choice>,
    pub default: Option<usize>,
}

/// One of a Choice state's rules: its test, the state it leads to, and, when it
/// matches, the variables it sets and (JSONata) the state's output.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub test: Test,
    pub next: usize,
    pub assign: Option<Assign>,
    pub output: Option<JsonataTemplate>,
}

#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// JSONPath: a rule over the input (`Variable`, comparisons, And/Or/Not).
    Rule(Rule),
    /// JSONata: an expression that must give true or false.
    Condition(JsonataTemplate),
}

#[derive(Debug, Clone)]
pub(crate) struct PassState {
    pub parameters: Option<Template>,
    pub result: Option<Value>,
    pub result_path: ResultPath,
    pub next: Next,
}

#[derive(Debug, Clone)]
pub(crate) enum WaitFor {
    Seconds(Amount),
    Timestamp(DateTime<FixedOffset>),
    TimestampPath(ReferencePath),
}

#[derive(Debug, Clone)]
pub(crate) struct WaitState {
    pub wait: WaitFor,
    pub next: Next,
}

/// Fail's Error/Cause: fixed text, a reference path, or an intrinsic call.
#[derive(Debug, Clone)]
pub(crate) enum Text {
    Fixed(String),
    Path(ReferencePath),
    Call(Call),
}

#[derive(Debug, Clone)]
pub(crate) struct FailState {
    pub error: Option<Text>,
    pub cause: Option<Text>,
}

#[derive(Debug, Clone)]
pub(crate) struct ParallelState {
    pub branches: Vec<Machine>,
    pub parameters: Option<Template>,
    pub flow: ResultFlow,
    pub handling: Handling,
    pub next: Next,
}

#[derive(Debug, Clone)]
pub(crate) struct MapState {
    pub processor: Machine,
    pub items_path: Option<ReferencePath>,
    pub item_selector: Option<Template>,
    /// 0 means no limit.
    pub max_concurrency: Option<Amount>,
    pub flow: ResultFlow,
    pub handling: Handling,
    pub next: Next,
}
