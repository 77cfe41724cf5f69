//! An embedded interpreter for the Amazon States Language (JSONPath and JSONata,
//! with workflow variables), faithful to AWS Step Functions' documented and recorded
//! semantics, recording every run as AWS `HistoryEvent`s, and able to answer its tasks
//! from a Step Functions Local mock file. Generic: nothing in here knows what a
//! daycare is.
//!
//! CONTRACT (shared with `store/`, `registration/`, `console/`): the items
//! re-exported below keep their names and signatures; new items may be added.

pub mod choice;
pub mod definition;
pub mod error;
mod executor;
pub mod history;
pub mod intrinsics;
pub mod jsonata;
pub mod mocks;
pub mod naming;
pub mod paths;
mod task;
mod timestamp;
pub mod variables;

pub use definition::{DefinitionError, StateKind, StateMachine, StateView, Transition};
pub use error::{Failure, TaskFailure};
pub use executor::{Engine, RunOptions};
pub use history::{
    EventDetails, EventType, Execution, ExecutionStatus, ExecutionSummary, HistoryEvent,
    owning_states,
};
pub use mocks::{MockConfig, MockError, TestCase};
pub use naming::execution_arn;
pub use task::{Observer, TaskContext, TaskHandler};
