//! The registration desk: the engine with the four handlers, the shipped workflow and
//! the store, running a registration end to end and keeping its execution. It draws
//! nothing and writes no SQL: it calls the store's plain API.

use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::NaiveDate;
use serde_json::Value;

use super::bulk::{self, Plan, Submissions};
use super::document::{self, Confirmed, Registration, handover};
use super::handlers::{Confirmations, handlers_keeping};
use super::{Clock, DEFINITION, DeskError, Outcome, Problem, execution_name, limits};
use crate::store::{Address, Create, EncodedHistory, Store, StoreError, encode_history};
use crate::workflow::{
    Engine, EventDetails, EventType, Execution, ExecutionStatus, ExecutionSummary, HistoryEvent,
    Observer, RunOptions, StateMachine, naming,
};

/// The registration workflow's state machine ARN (local: no AWS account).
pub static STATE_MACHINE_ARN: LazyLock<String> =
    LazyLock::new(|| naming::state_machine_arn("registration"));

/// The state machine every demo execution runs under: the registration workflow, named
/// apart so demo data can always be told from real registrations.
pub static DEMO_STATE_MACHINE_ARN: LazyLock<String> =
    LazyLock::new(|| naming::state_machine_arn("registration-demo"));

/// The amendment workflow's state machine ARN.
pub static AMENDMENT_ARN: LazyLock<String> =
    LazyLock::new(|| naming::state_machine_arn("amendment"));

/// The withdrawal workflow's state machine ARN.
pub static WITHDRAWAL_ARN: LazyLock<String> =
    LazyLock::new(|| naming::state_machine_arn("withdrawal"));

/// The registration desk: the engine with the registration, amendment and withdrawal
/// handlers, the three workflows, the store, and who is at the desk. Cheap to clone;
/// share it between tasks.
#[derive(Clone)]
pub struct Desk {
    store: Arc<Mutex<Store>>,
    /// What confirmRegistration confirmed, for the outcome of the run that confirmed it.
    confirmed: Arc<Confirmations>,
    clock: Clock,
    engine: Arc<Engine>,
    machine: Arc<StateMachine>,
    pub(super) amendment: Arc<StateMachine>,
    pub(super) withdrawal: Arc<StateMachine>,
    /// The staff member at the desk, named in the audit (see `staff_name`).
    staff: Arc<str>,
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

    /// `open_with` on the database at `address`, a file or a server.
    pub fn open_address(
        address: &Address,
        clock: Clock,
        create: Create,
    ) -> Result<Desk, DeskError> {
        Desk::with_store(Store::open_address(address, create)?, clock)
    }

    /// The same on an in-memory database (tests, benchmarks).
    pub fn in_memory(clock: Clock) -> Result<Desk, DeskError> {
        Desk::with_store(Store::open_in_memory()?, clock)
    }

    fn with_store(store: Store, clock: Clock) -> Result<Desk, DeskError> {
        let store = Arc::new(Mutex::new(store));
        let confirmed = Arc::new(Confirmations::default());
        let mut engine = Engine::new();
        let handlers = handlers_keeping(&store, clock, &confirmed)
            .into_iter()
            .chain(super::changes::handlers(&store, clock));
        for (name, handler) in handlers {
            engine.register(name, handler);
        }
        let ready = |definition: &str| {
            let machine = StateMachine::parse(definition).map_err(|errors| {
                DeskError::Definition(errors.iter().map(ToString::to_string).collect())
            })?;
            engine.check(&machine).map_err(|errors| {
                DeskError::Definition(errors.iter().map(ToString::to_string).collect())
            })?;
            Ok::<_, DeskError>(Arc::new(machine))
        };
        let machine = ready(DEFINITION)?;
        let amendment = ready(super::AMENDMENT)?;
        let withdrawal = ready(super::WITHDRAWAL)?;
        let desk = Desk {
            store,
            confirmed,
            clock,
            engine: Arc::new(engine),
            machine,
            amendment,
            withdrawal,
            staff: super::staff_name(None).into(),
        };
        desk.settle_leavers()?;
        Ok(desk)
    }

    /// This desk with `staff` at it (the audit names them).
    pub fn with_staff(mut self, staff: &str) -> Desk {
        self.staff = super::staff_name(Some(staff)).into();
        self
    }

    /// Who is at the desk.
    pub fn staff(&self) -> &str {
        &self.staff
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Withdraws the children whose withdrawal took effect by today.
    pub(super) fn settle_leavers(&self) -> Result<(), DeskError> {
        self.lock()?.settle_leavers(self.clock.today())?;
        Ok(())
    }

    pub fn machine(&self) -> &StateMachine {
        &self.machine
    }

    /// The engine with the four registration handlers, to run other definitions with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(super) fn lock(&self) -> Result<std::sync::MutexGuard<'_, Store>, DeskError> {
        self.store.lock().map_err(|_| lost())
    }

    pub(super) fn shared_store(&self) -> &Mutex<Store> {
        &self.store
    }

    /// Runs one registration document through the workflow, keeping the execution and
    /// its history. A refusal is an `Outcome` that did not succeed, not an error.
    pub async fn submit(
        &self,
        document: Value,
        observer: Option<Arc<dyn Observer>>,
    ) -> Result<Outcome, DeskError> {
        self.settle_leavers()?;
        let (outcome, execution) = self
            .run_registration(&STATE_MACHINE_ARN, document, observer, None)
            .await?;
        self.keep(&execution, outcome.fees, encode_history(&execution.events)?)?;
        Ok(outcome)
    }

    /// Runs many registration documents through the workflow, one after another, and
    /// keeps them in short batches (see `bulk`): the outcomes in input order, each once
    /// it is kept. An item without a document is handed back in its place.
    pub fn submit_many<T, I>(
        &self,
        documents: I,
    ) -> Result<Submissions<'_, T, I::IntoIter>, DeskError>
    where
        I: IntoIterator<Item = (T, Option<Value>)>,
    {
        let plan = Plan {
            state_machine_arn: &STATE_MACHINE_ARN,
            group_time: bulk::SHORT_GROUPS,
            group_max: bulk::SHORT_GROUP_MAX,
            cache_mib: 32,
            withdraw_every: None,
        };
        Submissions::new(self, documents.into_iter(), plan)
    }

    /// `submit_many` for demo data: under the demo's state machine, withdrawing the
    /// oldest child after every third execution so spots free up. Refused on a database
    /// that holds anything but demo data (real children), before anything is written.
    pub fn demo<T, I>(&self, samples: I) -> Result<Submissions<'_, T, I::IntoIter>, DeskError>
    where
        I: IntoIterator<Item = (T, Option<Value>)>,
    {
        if !self.lock()?.holds_only_runs_of(&DEMO_STATE_MACHINE_ARN)? {
            return Err(DeskError::RealData);
        }
        let plan = Plan {
            state_machine_arn: &DEMO_STATE_MACHINE_ARN,
            group_time: bulk::DEMO_GROUPS,
            group_max: bulk::DEMO_GROUP_MAX,
            cache_mib: 256,
            withdraw_every: Some(3),
        };
        Submissions::new(self, samples.into_iter(), plan)
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
        let summary = self.begin(machine, state_machine_arn, &input, &name, child)?;
        let execution = self.run_begun(machine, summary, input, observer).await;
        let fees = confirmed_registration(&execution).map(|c| c.fees);
        // Encode outside the lock so other submissions can use the store meanwhile.
        self.keep(&execution, fees, encode_history(&execution.events)?)?;
        Ok(execution)
    }

    // An execution's life: `run_registration` (or `begin` and `run_begun`) records it
    // RUNNING and runs it; `keep` keeps how it ended, with its history encoded on
    // whatever thread. Until it is kept the execution stays RUNNING (closed as
    // interrupted if the process dies) and its outcome is not final.

    /// Runs one registration document through the shipped workflow under a new
    /// execution name, recorded RUNNING first (or, in a batch, when it is kept). A
    /// document larger than a registration may be never reaches the engine: its
    /// execution fails at the door as information incomplete, naming the size.
    /// With `offer`, the run is the offer of a spot to that waitlist entry: marked on
    /// the entry once the execution is recorded, settled when it is kept.
    pub(super) async fn run_registration(
        &self,
        state_machine_arn: &str,
        document: Value,
        observer: Option<Arc<dyn Observer>>,
        offer: Option<i64>,
    ) -> Result<(Outcome, Execution), DeskError> {
        let (first, last) = child_names(&document);
        let child = format!("{first} {last}");
        let child = child.trim();
        // Eight hex digits per child's name collide now and then among a million
        // executions of the same few names: draw again rather than refuse the child.
        let mut draws = 0;
        let summary = loop {
            let name = execution_name(&first, &last);
            let named = Some(child).filter(|c| !c.is_empty());
            match self.begin(&self.machine, state_machine_arn, &document, &name, named) {
                Err(DeskError::Store(StoreError::ExecutionExists(_))) if draws < 8 => draws += 1,
                begun => break begun?,
            }
        };
        let taken = match offer {
            Some(id) => self
                .lock()?
                .begin_offer(id, &summary.name, &self.staff)
                .err(),
            None => None,
        };
        // The execution's input is the document's compact JSON text.
        let execution = match (taken, limits::too_big(summary.input.len())) {
            (Some(e), _) => {
                // Another desk offered this entry first, or took it off: this run ends
                // before it starts, and says why.
                let execution = failed_at_the_door(summary, OFFER_NOT_POSSIBLE, e.to_string());
                self.keep(&execution, None, encode_history(&execution.events)?)?;
                return Err(e.into());
            }
            (None, Some(message)) => refused_at_the_door(summary, &message),
            (None, None) => {
                self.run_begun(&self.machine, summary, document, observer)
                    .await
            }
        };
        let confirmed = self
            .confirmed
            .take(&execution.summary.name)
            .filter(|_| execution.summary.status == ExecutionStatus::Succeeded);
        let confirmed = confirmed.or_else(|| confirmed_registration(&execution));
        let outcome = Outcome {
            child: child.to_string(),
            age: confirmed.as_ref().map(|c| c.age),
            fees: confirmed.as_ref().map(|c| c.fees),
            start_date: confirmed.as_ref().map(|c| c.start_date),
            execution: execution.summary.clone(),
        };
        Ok((outcome, execution))
    }

    /// Keeps how a begun execution ended, with its history encoded, in one transaction
    /// (or as part of the open batch).
    pub(super) fn keep(
        &self,
        execution: &Execution,
        fees: Option<u32>,
        history: EncodedHistory,
    ) -> Result<(), DeskError> {
        self.lock()?
            .finish_execution_encoded(execution, fees, history)?;
        Ok(())
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
    DeskError::Internal(
        "the database connection was lost after an earlier failure; restart daycare".into(),
    )
}

/// The child's name as executions list it ("First Last"), from a registration document,
/// or from the tutorial's `{"statusCode", "body"}` hand-over whose body holds one.
/// `None` when the document names no child.
pub fn child_name(document: &Value) -> Option<String> {
    let (first, last) = child_names(&handover::unwrap(document));
    let name = format!("{first} {last}").trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// The child's first and last names as the document gives them, normalised as names are
/// kept and cut to the longest name accepted, for listing the execution.
fn child_names(document: &Value) -> (String, String) {
    let info = document::inner(document);
    let text = |key: &str| {
        let name = info["child"][key].as_str().unwrap_or_default();
        crate::text::quote(&crate::text::normalize_name(name), limits::NAME)
    };
    (text("firstName"), text("lastName"))
}

/// The execution of a document refused before the engine saw it: started and failed as
/// the workflow fails incomplete information, with `message` as the reason.
fn refused_at_the_door(summary: ExecutionSummary, message: &str) -> Execution {
    let cause = super::problems_message(&[Problem {
        field: document::INFO.into(),
        message: message.into(),
    }]);
    failed_at_the_door(summary, INFORMATION_INCOMPLETE, cause)
}

/// The error of an offer whose waitlist entry was taken or offered meanwhile.
const OFFER_NOT_POSSIBLE: &str = "OfferNotPossible";

/// An execution that failed before the engine ran it, with `error` and `cause`.
fn failed_at_the_door(mut summary: ExecutionSummary, error: &str, cause: String) -> Execution {
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
                error: Some(error.into()),
                cause: Some(cause.clone()),
                ..EventDetails::default()
            },
        ),
    ];
    summary.status = ExecutionStatus::Failed;
    summary.stop_date = Some(now);
    summary.error = Some(error.into());
    summary.cause = Some(cause);
    Execution { summary, events }
}

/// The error the workflow fails incomplete information with (its "Information
/// Incomplete" state's).
const INFORMATION_INCOMPLETE: &str = "InformationIncomplete";

/// The registration a succeeded execution of the registration workflow confirmed, read
/// from its output (the last task's `{statusCode, body}`, or the output itself).
fn confirmed_registration(execution: &Execution) -> Option<Confirmed> {
    if execution.summary.status != ExecutionStatus::Succeeded {
        return None;
    }
    let output: Value = serde_json::from_str(execution.summary.output.as_deref()?).ok()?;
    let inner = handover::unwrap(&output);
    let number = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
    let age = number(&inner["child"]["age"])?;
    let fees = number(&inner["fees"])?;
    let start = inner["start_date"].as_str()?;
    let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").ok()?;
    let Value::Object(object) = inner.into_owned() else {
        return None;
    };
    let registration = Registration::from_object(object).ok()?;
    Some(Confirmed::new(registration, age, fees, start))
}
