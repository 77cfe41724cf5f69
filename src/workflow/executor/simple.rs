//! The states that do their work in place: Choice, Pass, Wait, Succeed and Fail.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Step, flow};
use crate::workflow::definition::states::{
    Amount, ChoiceState, FailState, InputPath, JsonataFields, Next, PassState, State, Test, Text,
    WaitFor, WaitState,
};
use crate::workflow::error::{Failure, names};
use crate::workflow::jsonata::{self, JsonataTemplate};
use crate::workflow::variables::Scope;

/// Both paths are `$`: the output is the input, text included.
fn passes_through(st: &State) -> bool {
    matches!(st.input_path, InputPath::Whole) && matches!(st.output_path, InputPath::Whole)
}

pub(super) fn choice(
    st: &State,
    c: &ChoiceState,
    input: Value,
    input_text: Option<String>,
    ctx: &Scope<'_>,
) -> Result<Step, Failure> {
    let effective = flow::select(&st.input_path, &input, ctx)?;
    let states = || jsonata::states(&input, &ctx.context, None, None);
    // `$states`, built once for all the rules' Conditions.
    let conditions = c
        .choices
        .iter()
        .any(|c| matches!(c.test, Test::Condition(_)));
    let bound = if conditions { states() } else { Value::Null };
    let mut matched = None;
    for choice in &c.choices {
        let holds = match &choice.test {
            Test::Rule(rule) => rule.evaluate(&effective, ctx)?,
            Test::Condition(condition) => {
                match condition.value(&bound, ctx.variables, "Condition")? {
                    Value::Bool(b) => b,
                    other => {
                        return Err(Failure::new(
                            jsonata::QUERY_EVALUATION_ERROR,
                            format!(
                                "The Condition of a rule of state '{}' must give true or false, not {}.",
                                st.name,
                                flow::text(&other)
                            ),
                        ));
                    }
                }
            }
        };
        if holds {
            matched = Some((choice.next, choice.assign.as_ref(), choice.output.as_ref()));
            break;
        }
    }
    // A rule that matches sets its own variables and output; the Default, the state's.
    let output = st.jsonata.as_ref().and_then(|j| j.output.as_ref());
    let Some((next, assign, output)) =
        matched.or(c.default.map(|d| (d, st.assign.as_ref(), output)))
    else {
        return Err(Failure::new(
            names::NO_CHOICE_MATCHED,
            format!(
                "No Choice rule of state '{}' matched the input and there is no Default.",
                st.name
            ),
        ));
    };
    let assigned = flow::assign(assign, &effective, states, ctx)?;
    if st.jsonata.is_some() {
        return Ok(Step {
            value: flow::jsonata_output(output, input.clone(), states, ctx)?,
            text: None,
            next: Next::To(next),
            assigned,
        });
    }
    if passes_through(st) {
        return Ok(Step {
            value: input,
            text: input_text,
            next: Next::To(next),
            assigned,
        });
    }
    let effective = effective.into_owned();
    Ok(Step {
        value: flow::output(&st.output_path, effective, ctx)?,
        text: None,
        next: Next::To(next),
        assigned,
    })
}

pub(super) fn pass(
    st: &State,
    p: &PassState,
    input: Value,
    ctx: &Scope<'_>,
) -> Result<Step, Failure> {
    let result = match (&p.result, &p.parameters) {
        (Some(result), _) => result.clone(),
        (None, Some(t)) => {
            let effective = flow::select(&st.input_path, &input, ctx)?;
            t.render(&effective, ctx)?
        }
        (None, None) => flow::select(&st.input_path, &input, ctx)?.into_owned(),
    };
    let states = || jsonata::states(&input, &ctx.context, None, None);
    let assigned = flow::assign(st.assign.as_ref(), &result, states, ctx)?;
    if let Some(j) = &st.jsonata {
        return Ok(Step {
            value: flow::jsonata_output(j.output.as_ref(), input.clone(), states, ctx)?,
            text: None,
            next: p.next,
            assigned,
        });
    }
    let out = flow::place(&p.result_path, input, result)?;
    Ok(Step {
        value: flow::output(&st.output_path, out, ctx)?,
        text: None,
        next: p.next,
        assigned,
    })
}

pub(super) async fn wait(
    st: &State,
    w: &WaitState,
    input: Value,
    ctx: &Scope<'_>,
) -> Result<Step, Failure> {
    let effective = flow::select(&st.input_path, &input, ctx)?;
    let states = || jsonata::states(&input, &ctx.context, None, None);
    let expressed = st
        .jsonata
        .as_ref()
        .map(|j| wait_expressed(st, j, &states(), ctx))
        .transpose()?
        .flatten();
    let duration = match expressed.as_ref().unwrap_or(&w.wait) {
        WaitFor::Seconds(Amount::Fixed(s)) => Duration::from_secs(*s),
        WaitFor::Seconds(Amount::Path(p)) => {
            let value = p.lookup(&effective, ctx);
            match value.and_then(Value::as_u64) {
                Some(s) => Duration::from_secs(s),
                None => {
                    return Err(Failure::new(
                        names::RUNTIME,
                        format!(
                            "SecondsPath '{}' of state '{}' must select a whole number of 0 or more, but selected {}.",
                            p.as_str(),
                            st.name,
                            value.map_or_else(|| "nothing".to_owned(), flow::text)
                        ),
                    ));
                }
            }
        }
        WaitFor::Timestamp(t) => until(t.with_timezone(&Utc)),
        WaitFor::TimestampPath(p) => {
            let value = p.lookup(&effective, ctx);
            match value
                .and_then(Value::as_str)
                .and_then(crate::workflow::timestamp::parse)
            {
                Some(t) => until(t.with_timezone(&Utc)),
                None => {
                    return Err(Failure::new(
                        names::RUNTIME,
                        format!(
                            "TimestampPath '{}' of state '{}' must select an RFC 3339 timestamp like 2016-12-05T21:29:29Z, but selected {}.",
                            p.as_str(),
                            st.name,
                            value.map_or_else(|| "nothing".to_owned(), flow::text)
                        ),
                    ));
                }
            }
        }
    };
    if duration > LONGEST_WAIT {
        return Err(Failure::new(
            names::RUNTIME,
            format!(
                "Wait state delay is too long: state '{}' would wait {} seconds; the longest wait is {} seconds.",
                st.name,
                duration.as_secs(),
                LONGEST_WAIT.as_secs()
            ),
        ));
    }
    tokio::time::sleep(duration).await;
    let assigned = flow::assign(st.assign.as_ref(), &effective, states, ctx)?;
    if let Some(j) = &st.jsonata {
        return Ok(Step {
            value: flow::jsonata_output(j.output.as_ref(), input.clone(), states, ctx)?,
            text: None,
            next: w.next,
            assigned,
        });
    }
    let effective = effective.into_owned();
    Ok(Step {
        value: flow::output(&st.output_path, effective, ctx)?,
        text: None,
        next: w.next,
        assigned,
    })
}

/// A JSONata Wait's Seconds or Timestamp, when it is an expression.
fn wait_expressed(
    st: &State,
    j: &JsonataFields,
    states: &Value,
    ctx: &Scope<'_>,
) -> Result<Option<WaitFor>, Failure> {
    let wrong = |what: &str, value: &Value| {
        Failure::new(
            jsonata::QUERY_EVALUATION_ERROR,
            format!(
                "The {what} of Wait state '{}' must give {}, not {}.",
                st.name,
                if what == "Seconds" {
                    "a whole number of 0 or more"
                } else {
                    "an RFC 3339 timestamp like 2016-12-05T21:29:29Z"
                },
                flow::text(value)
            ),
        )
    };
    if let Some(seconds) = &j.seconds {
        let value = seconds.value(states, ctx.variables, "Seconds")?;
        return match value.as_u64() {
            Some(s) => Ok(Some(WaitFor::Seconds(Amount::Fixed(s)))),
            None => Err(wrong("Seconds", &value)),
        };
    }
    if let Some(timestamp) = &j.timestamp {
        let value = timestamp.value(states, ctx.variables, "Timestamp")?;
        return match value.as_str().and_then(crate::workflow::timestamp::parse) {
            Some(t) => Ok(Some(WaitFor::Timestamp(t))),
            None => Err(wrong("Timestamp", &value)),
        };
    }
    Ok(None)
}

/// The longest Wait AWS accepts, 2^31 seconds: a longer one fails at once.
const LONGEST_WAIT: Duration = Duration::from_secs(1 << 31);

/// How long until `t` (zero if it has passed).
fn until(t: DateTime<Utc>) -> Duration {
    (t - Utc::now()).to_std().unwrap_or(Duration::ZERO)
}

pub(super) fn succeed(
    st: &State,
    input: Value,
    input_text: Option<String>,
    ctx: &Scope<'_>,
) -> Result<Step, Failure> {
    if let Some(j) = &st.jsonata {
        let states = || jsonata::states(&input, &ctx.context, None, None);
        return Ok(Step {
            value: flow::jsonata_output(j.output.as_ref(), input.clone(), states, ctx)?,
            text: None,
            next: Next::End,
            assigned: None,
        });
    }
    if passes_through(st) {
        return Ok(Step {
            value: input,
            text: input_text,
            next: Next::End,
            assigned: None,
        });
    }
    let effective = flow::select(&st.input_path, &input, ctx)?.into_owned();
    Ok(Step {
        value: flow::output(&st.output_path, effective, ctx)?,
        text: None,
        next: Next::End,
        assigned: None,
    })
}

/// The failure a Fail state raises.
pub(super) fn fail(st: &State, f: &FailState, input: &Value, ctx: &Scope<'_>) -> Failure {
    if let Some(j) = &st.jsonata {
        let states = jsonata::states(input, &ctx.context, None, None);
        let text = |t: &Option<JsonataTemplate>, field: &str| -> Result<Option<String>, Failure> {
            let Some(t) = t else { return Ok(None) };
            Ok(match t.value(&states, ctx.variables, field)? {
                Value::String(s) => Some(s),
                other => Some(flow::text(&other)),
            })
        };
        return match (text(&j.error, "Error"), text(&j.cause, "Cause")) {
            (Ok(error), Ok(cause)) => Failure {
                error: error.or_else(|| text_of(&f.error)).unwrap_or_default(),
                cause: cause.or_else(|| text_of(&f.cause)).unwrap_or_default(),
            },
            (Err(failure), _) | (_, Err(failure)) => failure,
        };
    }
    let text = |t: &Option<Text>, what: &str| -> Result<Option<String>, Failure> {
        Ok(match t {
            None => None,
            Some(Text::Fixed(s)) => Some(s.clone()),
            Some(Text::Path(p)) => match p.lookup(input, ctx) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(Failure::new(
                        names::RUNTIME,
                        format!(
                            "{what} '{}' must select a string, but selected {}.",
                            p.as_str(),
                            flow::text(other)
                        ),
                    ));
                }
                None => {
                    return Err(Failure::new(
                        names::RUNTIME,
                        format!(
                            "{what} '{}' selected nothing from the state input.",
                            p.as_str()
                        ),
                    ));
                }
            },
            Some(Text::Call(c)) => match c.evaluate(input, ctx)? {
                Value::String(s) => Some(s),
                other => Some(flow::text(&other)),
            },
        })
    };
    let error = match text(&f.error, "ErrorPath") {
        Ok(e) => e,
        Err(failure) => return failure,
    };
    let cause = match text(&f.cause, "CausePath") {
        Ok(c) => c,
        Err(failure) => return failure,
    };
    Failure {
        error: error.unwrap_or_default(),
        cause: cause.unwrap_or_default(),
    }
}

/// Fail's fixed Error or Cause.
fn text_of(text: &Option<Text>) -> Option<String> {
    match text {
        Some(Text::Fixed(s)) => Some(s.clone()),
        _ => None,
    }
}
