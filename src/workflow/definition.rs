//! Parsing an ASL definition into typed values and validating it before it runs.
//! Errors name the state and the field. Nothing here evaluates data.

use std::fmt;

/// A parsed, validated state machine. Cheap to share (`Clone` or `Arc`).
#[derive(Debug, Clone)]
pub struct StateMachine {
    // CONTRACT: private fields are the engine's own business.
    source: String,
}

/// One problem found in a definition, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// Path of state names from the top, e.g. `["Process", "Inner"]`; empty for top-level fields.
    pub states: Vec<String>,
    /// The field at fault, e.g. `Next`, `ResultPath`, `Choices[0].Variable`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.states.is_empty() {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(
                f,
                "state \"{}\", {}: {}",
                self.states.join("/"),
                self.field,
                self.message
            )
        }
    }
}

/// The type of a state, as the `Type` field names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateKind {
    Task,
    Choice,
    Pass,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

/// An edge out of a state, for drawing the machine as a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// `Next`, `Default`, `Choices[0]`, `Catch[0]`, …
    pub label: String,
    pub target: String,
}

/// A read-only view of one top-level state, in definition order.
#[derive(Debug, Clone)]
pub struct StateView {
    pub name: String,
    pub kind: StateKind,
    /// The task's `Resource`, for Task states.
    pub resource: Option<String>,
    pub transitions: Vec<Transition>,
    /// `End: true`, or a Succeed/Fail state.
    pub terminal: bool,
}

impl StateMachine {
    /// Parses and validates a definition. Every problem is reported, not just the first.
    pub fn parse(json: &str) -> Result<StateMachine, Vec<DefinitionError>> {
        let _ = json;
        todo!("engine: parse and validate")
    }

    /// The definition text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn comment(&self) -> Option<&str> {
        todo!("engine")
    }

    pub fn start_at(&self) -> &str {
        todo!("engine")
    }

    /// Top-level states in the order the definition lists them.
    pub fn states(&self) -> Vec<StateView> {
        todo!("engine")
    }

    /// Every `Resource` named by a Task state, nested machines included.
    pub fn resources(&self) -> Vec<String> {
        todo!("engine")
    }
}
