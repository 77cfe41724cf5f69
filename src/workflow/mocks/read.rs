//! Reading a mock configuration: the file's shape, the invocation keys (`"0"`, `"1-2"`)
//! numbered from 0 without gaps or overlaps, and each invocation's one `Return` or
//! `Throw`. Every problem is a [`MockError`] naming the response, test case or state.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::workflow::paths::describe as kind;

use super::{Answer, MockConfig, MockError, MockedResponse, listed};
use crate::workflow::error::Failure;

fn shape(at: impl Into<String>, message: impl Into<String>) -> MockError {
    MockError::Shape {
        at: at.into(),
        message: message.into(),
    }
}

/// The object at `at`, or a problem saying what it should be.
fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>, MockError> {
    value
        .as_object()
        .ok_or_else(|| shape(at, format!("must be a JSON object, not {}", kind(value))))
}

impl MockConfig {
    /// Reads a mock configuration and checks it whole: every test case names defined
    /// responses; every response numbers its invocations from 0 without gaps or
    /// overlaps, each with exactly one of `Return` and `Throw`.
    pub fn parse(text: &str) -> Result<MockConfig, MockError> {
        let root: Value =
            serde_json::from_str(text).map_err(|e| MockError::NotJson(e.to_string()))?;
        let root = object(&root, "(file)")?;
        for key in root.keys() {
            if key != "StateMachines" && key != "MockedResponses" {
                return Err(shape(
                    "(file)",
                    format!(
                        "\"{key}\" is not a field here; a mock configuration has StateMachines and MockedResponses"
                    ),
                ));
            }
        }
        let empty = Value::Object(Map::new());
        let responses_value = root.get("MockedResponses").unwrap_or(&empty);
        let mut responses = BTreeMap::new();
        for (name, value) in object(responses_value, "MockedResponses")? {
            responses.insert(name.clone(), Arc::new(MockedResponse::parse(name, value)?));
        }
        let machines_value = root
            .get("StateMachines")
            .ok_or_else(|| shape("StateMachines", "is missing; it holds the test cases"))?;
        let mut machines = BTreeMap::new();
        for (machine, value) in object(machines_value, "StateMachines")? {
            let at = format!("state machine \"{machine}\"");
            let entry = object(value, &at)?;
            if let Some(other) = entry.keys().find(|k| *k != "TestCases") {
                return Err(shape(
                    at,
                    format!("\"{other}\" is not a field here; it has TestCases only"),
                ));
            }
            let cases_value = entry
                .get("TestCases")
                .ok_or_else(|| shape(&at, "has no TestCases"))?;
            let mut cases = BTreeMap::new();
            for (case, states) in object(cases_value, &format!("{at}, TestCases"))? {
                let case_at = format!("{at}, test case \"{case}\"");
                let mut mocked = BTreeMap::new();
                for (state, response) in object(states, &case_at)? {
                    let response = response.as_str().ok_or_else(|| {
                        shape(
                            format!("{case_at}, state \"{state}\""),
                            format!(
                                "must name a mocked response as a string, not {}",
                                kind(response)
                            ),
                        )
                    })?;
                    if !responses.contains_key(response) {
                        let defined: Vec<String> = responses.keys().cloned().collect();
                        return Err(MockError::UnknownResponse {
                            machine: machine.clone(),
                            case: case.clone(),
                            state: state.clone(),
                            response: response.to_owned(),
                            known: if defined.is_empty() {
                                String::new()
                            } else {
                                format!(" (it defines {})", listed(&defined))
                            },
                        });
                    }
                    mocked.insert(state.clone(), response.to_owned());
                }
                cases.insert(case.clone(), mocked);
            }
            machines.insert(machine.clone(), cases);
        }
        Ok(MockConfig {
            machines,
            responses,
        })
    }
}

/// An invocation key: `"3"` or the inclusive range `"1-2"`.
fn invocations(key: &str) -> Option<(u64, u64)> {
    let number = |s: &str| {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            s.parse::<u64>().ok()
        }
    };
    match key.split_once('-') {
        None => number(key).map(|n| (n, n)),
        Some((from, to)) => {
            let (from, to) = (number(from)?, number(to)?);
            (from <= to).then_some((from, to))
        }
    }
}

impl MockedResponse {
    /// One entry of MockedResponses, named `name` for messages.
    pub fn parse(name: &str, value: &Value) -> Result<MockedResponse, MockError> {
        let entries = object(value, &format!("mocked response \"{name}\""))?;
        let mut answers: Vec<(u64, u64, Answer, &str)> = Vec::new();
        for (key, entry) in entries {
            let (from, to) = invocations(key).ok_or_else(|| MockError::Key {
                response: name.to_owned(),
                key: key.clone(),
            })?;
            let answer = Answer::parse(name, key, entry)?;
            answers.push((from, to, answer, key));
        }
        if answers.is_empty() {
            return Err(shape(
                format!("mocked response \"{name}\""),
                "has no invocations; give at least \"0\"",
            ));
        }
        answers.sort_by_key(|(from, to, _, _)| (*from, *to));
        let mut next = 0u64;
        for (i, (from, _, _, key)) in answers.iter().enumerate() {
            if *from > next {
                return Err(MockError::Gap {
                    response: name.to_owned(),
                    missing: next,
                });
            }
            if i > 0 && *from < next {
                return Err(MockError::Overlap {
                    response: name.to_owned(),
                    key: (*key).to_owned(),
                    other: answers[i - 1].3.to_owned(),
                    at: *from,
                });
            }
            next = answers[i].1.saturating_add(1);
        }
        Ok(MockedResponse {
            answers: answers
                .into_iter()
                .map(|(from, to, answer, _)| (from, to, answer))
                .collect(),
        })
    }
}

impl Answer {
    fn parse(response: &str, key: &str, value: &Value) -> Result<Answer, MockError> {
        let at = format!("mocked response \"{response}\", invocation \"{key}\"");
        let fields = object(value, &at)?;
        let others: Vec<String> = fields
            .keys()
            .filter(|k| *k != "Return" && *k != "Throw")
            .cloned()
            .collect();
        match (fields.get("Return"), fields.get("Throw")) {
            (Some(_), Some(_)) => Err(MockError::Both {
                response: response.to_owned(),
                key: key.to_owned(),
            }),
            (None, None) => Err(MockError::Neither {
                response: response.to_owned(),
                key: key.to_owned(),
                extra: if others.is_empty() {
                    String::new()
                } else {
                    format!(" (found {})", listed(&others))
                },
            }),
            _ if !others.is_empty() => Err(shape(
                at,
                format!(
                    "{} is not a field here; an invocation holds one Return or one Throw",
                    listed(&others)
                ),
            )),
            (Some(result), None) => Ok(Answer::Return(result.clone())),
            (None, Some(throw)) => {
                let at = format!("{at}, Throw");
                let throw = object(throw, &at)?;
                if let Some(other) = throw.keys().find(|k| *k != "Error" && *k != "Cause") {
                    return Err(shape(
                        at,
                        format!("\"{other}\" is not a field here; a Throw has Error and Cause"),
                    ));
                }
                let text = |field: &str| match throw.get(field) {
                    None => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(other) => Err(shape(
                        format!("{at}.{field}"),
                        format!("must be a string, not {}", kind(other)),
                    )),
                };
                let error = text("Error")?.filter(|e| !e.is_empty()).ok_or_else(|| {
                    shape(&at, "needs an Error, the error name Retry and Catch match")
                })?;
                let cause = text("Cause")?.unwrap_or_default();
                Ok(Answer::Throw(Failure::new(error, cause)))
            }
        }
    }
}
