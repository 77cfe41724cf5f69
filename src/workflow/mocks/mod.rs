//! Step Functions Local's mock configuration: test cases that answer Task states from
//! mocked responses (`Return` a result or `Throw` an error) instead of calling anything,
//! so a definition's paths can be tried offline. The file is read and checked in `read`,
//! its answers played back by the task handler in `handler`; nothing here runs a real task.

mod handler;
mod read;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::definition::StateMachine;
use super::error::Failure;
use super::executor::Engine;
use super::task::TaskHandler;
use handler::MockHandler;

/// A mock configuration file, read and checked: its state machines' test cases and the
/// mocked responses they name.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Machine name → test case name → state name → response name.
    machines: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    responses: BTreeMap<String, Arc<MockedResponse>>,
}

/// One mocked response: what each invocation of a state answers, by invocation number
/// (0 the first call, retries and later visits counting on).
#[derive(Debug, Clone, PartialEq)]
pub struct MockedResponse {
    /// Inclusive ranges of invocation numbers, in order, from 0 without gaps.
    answers: Vec<(u64, u64, Answer)>,
}

/// What one invocation of a mocked Task gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `Return`: the task's result.
    Return(Value),
    /// `Throw`: the task fails with this error and cause (subject to Retry and Catch).
    Throw(Failure),
}

/// What is wrong with a mock configuration, or with using one of its test cases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MockError {
    #[error("is not JSON: {0}")]
    NotJson(String),
    /// A field is missing or has the wrong shape; `at` says where.
    #[error("{at}: {message}")]
    Shape { at: String, message: String },
    #[error(
        "mocked response \"{response}\": \"{key}\" is not an invocation number or range; use \"0\", \"1\", … or an inclusive range such as \"1-2\""
    )]
    Key { response: String, key: String },
    #[error(
        "mocked response \"{response}\", invocation \"{key}\": has both Return and Throw; give one of them"
    )]
    Both { response: String, key: String },
    #[error(
        "mocked response \"{response}\", invocation \"{key}\": needs a Return or a Throw{extra}"
    )]
    Neither {
        response: String,
        key: String,
        /// Fields found instead, as ` (found "X", "Y")`, or empty.
        extra: String,
    },
    #[error("mocked response \"{response}\": \"{key}\" and \"{other}\" both cover invocation {at}")]
    Overlap {
        response: String,
        key: String,
        other: String,
        at: u64,
    },
    #[error(
        "mocked response \"{response}\": no answer for invocation {missing}; invocations are numbered from 0 and must follow on without gaps"
    )]
    Gap { response: String, missing: u64 },
    #[error(
        "state machine \"{machine}\", test case \"{case}\": state \"{state}\" names the mocked response \"{response}\", which MockedResponses does not define{known}"
    )]
    UnknownResponse {
        machine: String,
        case: String,
        state: String,
        response: String,
        /// ` (it defines A, B)`, or empty.
        known: String,
    },
    #[error("no state machine \"{wanted}\" in StateMachines; it has {}", listed(.names))]
    NoMachine { wanted: String, names: Vec<String> },
    #[error(
        "state machine \"{machine}\" has no test case \"{case}\"; it has {}",
        listed(.cases)
    )]
    UnknownCase {
        machine: String,
        case: String,
        cases: Vec<String>,
    },
    #[error(
        "test case \"{case}\" mocks no response for Task state \"{state}\"; a mocked run calls no real task, so every Task state needs one (add \"{state}\": \"RESPONSE\" to the test case)"
    )]
    Unmocked { case: String, state: String },
    #[error(
        "test case \"{case}\" mocks state \"{state}\", which is no Task state of this definition{tasks}"
    )]
    NotATask {
        case: String,
        state: String,
        /// `; its Task states are A, B`, or empty.
        tasks: String,
    },
}

/// Names for a message: quoted, comma-separated, or "none".
fn listed(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl MockConfig {
    /// The state machines the file configures, sorted.
    pub fn machine_names(&self) -> Vec<String> {
        self.machines.keys().cloned().collect()
    }

    /// The entry for a machine: the one named `preferred` (a definition's name), else the
    /// only one when there is exactly one.
    pub fn pick_machine(&self, preferred: &str) -> Result<&str, MockError> {
        if let Some((name, _)) = self.machines.get_key_value(preferred) {
            return Ok(name);
        }
        let mut names = self.machines.keys();
        match (names.next(), names.next()) {
            (Some(only), None) => Ok(only),
            _ => Err(MockError::NoMachine {
                wanted: preferred.to_owned(),
                names: self.machine_names(),
            }),
        }
    }

    /// One test case of one machine, ready to answer its Task states.
    pub fn test_case(&self, machine: &str, case: &str) -> Result<TestCase, MockError> {
        let cases = self
            .machines
            .get(machine)
            .ok_or_else(|| MockError::NoMachine {
                wanted: machine.to_owned(),
                names: self.machine_names(),
            })?;
        let states = cases.get(case).ok_or_else(|| MockError::UnknownCase {
            machine: machine.to_owned(),
            case: case.to_owned(),
            cases: cases.keys().cloned().collect(),
        })?;
        let mut mocked = BTreeMap::new();
        for (state, response) in states {
            // Every name was checked when the file was read.
            if let Some(answers) = self.responses.get(response) {
                mocked.insert(state.clone(), (response.clone(), Arc::clone(answers)));
            }
        }
        Ok(TestCase {
            machine: machine.to_owned(),
            name: case.to_owned(),
            states: mocked,
        })
    }
}

impl MockedResponse {
    /// The answer for invocation `n` (0 the first), if the response has one.
    pub fn answer(&self, n: u64) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|(from, to, _)| (*from..=*to).contains(&n))
            .map(|(_, _, answer)| answer)
    }

    /// How many invocations the response answers.
    pub fn len(&self) -> u64 {
        self.answers
            .last()
            .map_or(0, |(_, to, _)| to.saturating_add(1))
    }

    /// Never true for a response read from a file (it answers invocation 0 at least).
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

/// One test case: the mocked response of each Task state it names, and how many times
/// each state has been invoked so far in the run.
pub struct TestCase {
    machine: String,
    name: String,
    /// State name → (response name, its answers).
    states: BTreeMap<String, (String, Arc<MockedResponse>)>,
}

impl fmt::Debug for TestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestCase")
            .field("machine", &self.machine)
            .field("name", &self.name)
            .field("states", &self.states.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl TestCase {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn machine(&self) -> &str {
        &self.machine
    }

    /// Every Task state of `definition` (nested ones included) has a mocked response,
    /// and every state the test case names is a Task state there.
    pub fn check(&self, definition: &StateMachine) -> Result<(), MockError> {
        let mut tasks: Vec<String> = Vec::new();
        definition.visit_tasks(|at, _| {
            if let Some(state) = at.last()
                && !tasks.contains(state)
            {
                tasks.push(state.clone());
            }
        });
        if let Some(state) = tasks.iter().find(|s| !self.states.contains_key(*s)) {
            return Err(MockError::Unmocked {
                case: self.name.clone(),
                state: state.clone(),
            });
        }
        if let Some(state) = self.states.keys().find(|s| !tasks.contains(s)) {
            return Err(MockError::NotATask {
                case: self.name.clone(),
                state: state.clone(),
                tasks: if tasks.is_empty() {
                    "; it has no Task states".to_owned()
                } else {
                    format!("; its Task states are {}", listed(&tasks))
                },
            });
        }
        Ok(())
    }

    /// An engine whose every task handler `definition` names answers from this test
    /// case, counting each state's invocations afresh. Call [`TestCase::check`] first.
    pub fn engine(&self, definition: &StateMachine) -> Engine {
        let handler: Arc<dyn TaskHandler> =
            Arc::new(MockHandler::new(self.name.clone(), self.states.clone()));
        let mut functions: Vec<String> = Vec::new();
        definition.visit_tasks(|_, task| {
            // Under the resource too: a mocked service integration (lambda:invoke, s3:…)
            // answers with the service's whole response, as Step Functions Local does.
            for name in [&task.function, &task.resource] {
                if !name.is_empty() && !functions.contains(name) {
                    functions.push(name.clone());
                }
            }
        });
        let mut engine = Engine::new();
        for function in functions {
            engine.register(function, Arc::clone(&handler));
        }
        engine
    }
}
