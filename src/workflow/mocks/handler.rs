//! The task handler of a mocked run: it answers each Task state from its mocked
//! response, by how many times that state has been invoked so far (retries, loops and
//! Map iterations all count), and fails the execution when the answers run out.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::Value;

use super::{Answer, MockedResponse};
use crate::workflow::error::{Failure, names};
use crate::workflow::task::{TaskContext, TaskHandler};

/// Answers every Task state from its mocked response, by the state's invocation count.
pub(super) struct MockHandler {
    case: String,
    states: BTreeMap<String, (String, Arc<MockedResponse>)>,
    /// Invocations so far, per state name.
    calls: Mutex<HashMap<String, u64>>,
}

impl MockHandler {
    /// A handler for test case `case`, whose states answer from `states`
    /// (state name → response name and answers), no invocation counted yet.
    pub(super) fn new(
        case: String,
        states: BTreeMap<String, (String, Arc<MockedResponse>)>,
    ) -> MockHandler {
        MockHandler {
            case,
            states,
            calls: Mutex::new(HashMap::new()),
        }
    }

    /// This state's invocation number, counting this one.
    fn next_call(&self, state: &str) -> u64 {
        // A poisoned count is still a count: the handler never panics while holding it.
        let mut calls = self
            .calls
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = calls.entry(state.to_owned()).or_insert(0);
        let this = *n;
        *n = n.saturating_add(1);
        this
    }
}

#[async_trait]
impl TaskHandler for MockHandler {
    async fn invoke(&self, _input: Value, context: TaskContext) -> Result<Value, Failure> {
        let state = context.state_name.as_str();
        let Some((response, answers)) = self.states.get(state) else {
            return Err(Failure::runtime(format!(
                "Test case '{}' has no mocked response for state '{state}'.",
                self.case
            )));
        };
        let n = self.next_call(state);
        match answers.answer(n) {
            Some(Answer::Return(result)) => Ok(result.clone()),
            Some(Answer::Throw(failure)) => Err(failure.clone()),
            None => Err(Failure::new(
                names::RUNTIME,
                format!(
                    "State '{state}' was invoked {} times, but the mocked response '{response}' of test case '{}' answers {} invocation(s).",
                    n.saturating_add(1),
                    self.case,
                    answers.len()
                ),
            )),
        }
    }
}
