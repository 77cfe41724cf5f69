//! The registration desk: the engine with the four handlers, the shipped workflow and
//! the store, running a registration end to end and keeping its execution. It draws
//! nothing and writes no SQL: it calls the store's plain API.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde_json::Value;

use super::{Clock, DEFINITION, DeskError, Outcome, Problem, execution_name, handlers, limits};
use crate::store::{Create, EncodedHistory, Store, StoreError, encode_history};
use crate::workflow::{
    Engine, EventDetails, EventType, Execution, ExecutionStatus, ExecutionSummary, HistoryEvent,
    Observer, RunOptions, StateMachine,
};

/// The registration workflow's state machine ARN (local: no AWS account).
pub const STATE_MACHINE_ARN: &str = "arn:aws:states:local:000000000000:stateMachine:registration";

/// What keeping a finished execution takes besides the execution: its history encoded
/// and the fees its registration names. Making it is most of the cost of keeping an
/// execution and needs no store, so bulk commands make it on another thread.
pub struct Kept {
    history: EncodedHistory,
    fees: Option<u32>,
}

impl Kept {
    pub fn of(execution: &Execution) -> Result<Kept, DeskError> {
        Ok(Kept {
            history: encode_history(&execution.events)?,
            fees: fees_of(execution),
        })
    }
}

/// The registration desk: the engine with the four handlers, the workflow, the store.
/// Cheap to clone; share it between tasks.
#[derive(Clone)]
pub struct Desk {
    store: Arc<Mutex<Store>>,
    clock: Clock,
    engine: Arc<Engine>,
    machine: Arc<StateMachine>,
}

impl Desk {
    /// Opens the database at `path` (creating it), closes executions a dead process left
    /// RUNNING, and gets the workflow ready.
    pub fn open(path: &Path, clock: Clock) -> Result<Desk, DeskError> {
        Desk::open_with(path, clock, Create::FileAndFolders)
    }

    /// `open`, creating at most what `create` allows when the database is missing.
    pub fn open_with(path: &Path, clock: Clock, create: Create) -> Result<Desk, DeskError> {
        Desk::with_store(Store::open_with(path, create)?, clock)
    }

    /// The same on an in-memory database (tests, benchmarks).
    pub fn in_memory(clock: Clock) -> Result<Desk, DeskError> {
        Desk::with_store(Store::open_in_memory()?, clock)
    }

    fn with_store(store: Store, clock: Clock) -> Result<Desk, DeskError> {
        let store = Arc::new(Mutex::new(store));
        let mut engine = Engine::new();
        for (name, handler) in handlers(&store, clock) {
            engine.register(name, handler);
        }
        let machine = StateMachine::parse(DEFINITION).map_err(|errors| {
            DeskError::Definition(errors.iter().map(ToString::to_string).collect())
        })?;
        engine.check(&machine).map_err(|errors| {
            DeskError::Definition(errors.iter().map(ToString::to_string).collect())
        })?;
        Ok(Desk {
            store,
            clock,
            engine: Arc::new(engine),
            machine: Arc::new(machine),
        })
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn machine(&self) -> &StateMachine {
        &self.machine
    }

    /// The engine with the four registration handlers, to run other definitions with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The shared store connection, for reads between submissions.
    pub fn store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Store>, DeskError> {
        self.store.lock().map_err(|_| lost())
    }

    /// Runs one registration document through the workflow, keeping the execution and
    /// its history. A refusal is an `Outcome` that did not succeed, not an error.
    pub async fn submit(
        &self,
        document: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Outcome, DeskError> {
        let (outcome, execution) = self.submit_unfinished(document, observer).await?;
        self.keep(&execution, Kept::of(&execution)?)?;
        Ok(outcome)
    }

    /// `submit` without its last step: the execution is recorded RUNNING and has run, but
    /// is kept only once it is passed to `keep` with what `Kept::of` makes of it. Lets bulk
    /// loading encode histories on another thread. Until then the execution stays
    /// RUNNING (closed as interrupted if the process dies) and the outcome is not final.
    pub async fn submit_unfinished(
        &self,
        document: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<(Outcome, Execution), DeskError> {
        let (first, last) = child_names(&document);
        let child = format!("{first} {last}").trim().to_string();
        let execution = self.run_registration(document, observer).await?;
        let output = confirmed_registration(&execution);
        let output = output.as_ref();
        let outcome = Outcome {
            child,
            age: output
                .and_then(|o| o["child"]["age"].as_u64())
                .and_then(|a| u32::try_from(a).ok()),
            fees: output
                .and_then(|o| o["fees"].as_u64())
                .and_then(|f| u32::try_from(f).ok()),
            start_date: output
                .and_then(|o| o["start_date"].as_str())
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            execution: execution.summary.clone(),
        };
        Ok((outcome, execution))
    }

    /// Runs one registration document through the workflow under a new execution name,
    /// recorded RUNNING first; pass the execution to `keep` to keep how it ended. A
    /// document larger than a registration may be never reaches the engine: its execution
    /// fails at the door as information incomplete, naming the size.
    pub async fn run_registration(
        &self,
        document: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Execution, DeskError> {
        let (first, last) = child_names(&document);
        let child = format!("{first} {last}");
        let child = Some(child.trim()).filter(|c| !c.is_empty());
        // Eight hex digits per child's name collide now and then among a million
        // executions of the same few names: draw again rather than refuse the child.
        let mut draws = 0;
        let summary = loop {
            let name = execution_name(&first, &last);
            match self.begin(&self.machine, STATE_MACHINE_ARN, &document, &name, child) {
                Err(DeskError::Store(StoreError::ExecutionExists(_))) if draws < 8 => draws += 1,
                begun => break begun?,
            }
        };
        if let Some(message) = limits::oversized(&document) {
            return Ok(refused_at_the_door(summary, &message));
        }
        Ok(self
            .run_begun(&self.machine, summary, document, observer)
            .await)
    }

    /// Keeps how an execution started by `submit_unfinished` or `run_unfinished` ended,
    /// with what `Kept::of` made of it (on whatever thread), in one transaction.
    pub fn keep(&self, execution: &Execution, kept: Kept) -> Result<(), DeskError> {
        self.lock()?
            .finish_execution_encoded(execution, kept.fees, kept.history)?;
        Ok(())
    }

    /// Runs any definition on this desk's engine and keeps the execution: recorded
    /// RUNNING first, then closed with its history. `name` must be new.
    pub async fn run(
        &self,
        machine: &StateMachine,
        state_machine_arn: &str,
        input: Value,
        name: String,
        child: Option<&str>,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Execution, DeskError> {
        let execution = self
            .run_unfinished(machine, state_machine_arn, input, name, child, observer)
            .await?;
        // Encode outside the lock so other submissions can use the store meanwhile.
        self.keep(&execution, Kept::of(&execution)?)?;
        Ok(execution)
    }

    /// `run` without keeping the end: recorded RUNNING, then run; pass the execution to
    /// `keep` to keep it.
    pub async fn run_unfinished(
        &self,
        machine: &StateMachine,
        state_machine_arn: &str,
        input: Value,
        name: String,
        child: Option<&str>,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Execution, DeskError> {
        let summary = self.begin(machine, state_machine_arn, &input, &name, child)?;
        Ok(self.run_begun(machine, summary, input, observer).await)
    }

    /// Records an execution RUNNING under a new name (`ExecutionExists` if it is taken).
    fn begin(
        &self,
        machine: &StateMachine,
        state_machine_arn: &str,
        input: &Value,
        name: &str,
        child: Option<&str>,
    ) -> Result<ExecutionSummary, DeskError> {
        let summary = ExecutionSummary::started(state_machine_arn, name, input.to_string());
        self.lock()?
            .begin_execution(&summary, machine.source(), child)?;
        Ok(summary)
    }

    /// Runs an execution `begin` recorded.
    async fn run_begun(
        &self,
        machine: &StateMachine,
        summary: ExecutionSummary,
        input: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Execution {
        let options = RunOptions {
            name: Some(summary.name),
            state_machine_arn: Some(summary.state_machine_arn),
            input_text: Some(summary.input),
            observer,
        };
        self.engine.run(machine, input, options).await
    }
}

fn lost() -> DeskError {
    DeskError::Other(
        "the database connection was lost after an earlier failure; restart daycare".into(),
    )
}

/// The child's first and last names as the document gives them, normalised as names are
/// kept and cut to the longest name accepted, for listing the execution.
/// The child's name as executions list it ("First Last"), from a registration document,
/// or from the tutorial's `{"statusCode", "body"}` hand-over whose body holds one.
/// `None` when the document names no child.
pub fn child_name(document: &Value) -> Option<String> {
    let handed_over: Option<Value> = document
        .get("body")
        .and_then(Value::as_str)
        .and_then(|body| serde_json::from_str(body).ok());
    let (first, last) = child_names(handed_over.as_ref().unwrap_or(document));
    let name = format!("{first} {last}").trim().to_string();
    (!name.is_empty()).then_some(name)
}

fn child_names(document: &Value) -> (String, String) {
    let info = document.get("registration_info").unwrap_or(document);
    let text = |key: &str| {
        let name = info["child"][key].as_str().unwrap_or_default();
        crate::text::quote(&crate::text::normalize_name(name), limits::NAME)
    };
    (text("firstName"), text("lastName"))
}

/// The execution of a document refused before the engine saw it: started and failed as
/// the workflow fails incomplete information, with `message` as the reason.
fn refused_at_the_door(mut summary: ExecutionSummary, message: &str) -> Execution {
    let cause = super::problems_message(&[Problem {
        field: "registration_info".into(),
        message: message.into(),
    }]);
    let now = chrono::Utc::now();
    let event = |id: u64, event_type: EventType, details: EventDetails| HistoryEvent {
        id,
        previous_event_id: id - 1,
        timestamp: now,
        event_type,
        details,
    };
    let events = vec![
        event(1, EventType::ExecutionStarted, EventDetails::default()),
        event(
            2,
            EventType::ExecutionFailed,
            EventDetails {
                error: Some(INFORMATION_INCOMPLETE.into()),
                cause: Some(cause.clone()),
                ..EventDetails::default()
            },
        ),
    ];
    summary.status = ExecutionStatus::Failed;
    summary.stop_date = Some(now);
    summary.error = Some(INFORMATION_INCOMPLETE.into());
    summary.cause = Some(cause);
    Execution { summary, events }
}

/// The error the workflow fails incomplete information with (its "Information
/// Incomplete" state's).
const INFORMATION_INCOMPLETE: &str = "InformationIncomplete";

/// The confirmed registration a succeeded execution ends with: its output's `body`
/// decoded (the last task's `{statusCode, body}`), or the output itself.
pub fn confirmed_registration(execution: &Execution) -> Option<Value> {
    if execution.summary.status != ExecutionStatus::Succeeded {
        return None;
    }
    let output: Value = serde_json::from_str(execution.summary.output.as_deref()?).ok()?;
    match output.get("body").and_then(Value::as_str) {
        Some(body) => serde_json::from_str(body).ok(),
        None => Some(output),
    }
}

/// The fees a succeeded execution's registration names.
fn fees_of(execution: &Execution) -> Option<u32> {
    confirmed_registration(execution)?["fees"]
        .as_u64()
        .and_then(|f| u32::try_from(f).ok())
}
