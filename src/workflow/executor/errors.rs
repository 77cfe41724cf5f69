//! Retry and Catch: the one loop that runs a state's attempts under its retriers and
//! catchers (Task, Parallel and Map alike), which retrier or catcher an error matches,
//! how long to wait before the next attempt, and the `{"Error","Cause"}` document a
//! catcher passes on.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use serde_json::{Map, Value};

use super::{Run, Step, flow};
use crate::workflow::definition::states::{Catcher, Handling, Next, Retrier};
use crate::workflow::error::{Failure, names};
use crate::workflow::history::{EventDetails, EventType};
use crate::workflow::jsonata;
use crate::workflow::variables::Scope;

/// The longest wait between attempts: a year.
const MAX_DELAY_SECONDS: f64 = 31_536_000.0;

/// Where the failing state stood, for `States.TaskFailed` and `States.BranchFailed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Task,
    Branches,
}

/// Whether an ErrorEquals list covers an error.
fn matches(list: &[String], failure: &Failure, origin: Origin) -> bool {
    // Terminal errors: no retrier or catcher handles them, as on AWS.
    if failure.error == names::RUNTIME || failure.error == names::DATA_LIMIT_EXCEEDED {
        return false;
    }
    list.iter().any(|name| {
        *name == failure.error
            || name == names::ALL
            || (name == names::TASK_FAILED
                && origin == Origin::Task
                && failure.error != names::TIMEOUT)
            || (name == names::BRANCH_FAILED && origin == Origin::Branches)
    })
}

/// The attempts made so far under each retrier of one state.
struct Retries<'a> {
    retriers: &'a [Retrier],
    attempts: Vec<u32>,
    /// Retries so far, all retriers together (`$$.State.RetryCount`).
    total: u32,
}

impl<'a> Retries<'a> {
    fn new(handling: &'a Handling) -> Retries<'a> {
        Retries {
            retriers: &handling.retry,
            attempts: vec![0; handling.retry.len()],
            total: 0,
        }
    }

    /// How long to wait before retrying, or `None` when no retrier applies or the
    /// matching one has used up its attempts.
    fn delay(&mut self, failure: &Failure, origin: Origin) -> Option<Duration> {
        let i = self
            .retriers
            .iter()
            .position(|r| matches(&r.errors, failure, origin))?;
        let r = &self.retriers[i];
        let done = self.attempts[i];
        if done >= r.max_attempts {
            return None;
        }
        self.attempts[i] += 1;
        self.total += 1;
        let exponent = i32::try_from(done).unwrap_or(i32::MAX);
        // Huge backoffs are held to a year: as good as forever, and never infinite.
        let mut seconds =
            (r.interval_seconds * r.backoff_rate.powi(exponent)).min(MAX_DELAY_SECONDS);
        if let Some(max) = r.max_delay_seconds {
            seconds = seconds.min(max);
        }
        if r.full_jitter {
            seconds *= rand::rng().random::<f64>();
        }
        if !seconds.is_finite() || seconds < 0.0 {
            seconds = 0.0;
        }
        Some(Duration::from_secs_f64(seconds))
    }
}

/// The first catcher that covers the error.
fn catcher<'h>(handling: &'h Handling, failure: &Failure, origin: Origin) -> Option<&'h Catcher> {
    handling
        .catch
        .iter()
        .find(|c| matches(&c.errors, failure, origin))
}

/// A caught state's step: `{"Error","Cause"}` placed by the catcher's ResultPath, and
/// the variables its Assign computes from that error output.
fn caught(
    catcher: &Catcher,
    raw: Value,
    failure: Failure,
    scope: &Scope<'_>,
) -> Result<Step, Failure> {
    let mut doc = Map::new();
    doc.insert("Error".to_owned(), Value::String(failure.error));
    doc.insert("Cause".to_owned(), Value::String(failure.cause));
    let doc = Value::Object(doc);
    let states = || jsonata::states(&raw, &scope.context, None, Some(&doc));
    let assigned = flow::assign(catcher.assign.as_ref(), &doc, states, scope)?;
    let value = match &catcher.output {
        Some(output) => flow::jsonata_output(Some(output), Value::Null, states, scope)?,
        None => flow::place(&catcher.result_path, raw, doc)?,
    };
    Ok(Step {
        value,
        text: None,
        next: Next::To(catcher.next),
        assigned,
    })
}

/// What to do after a state's attempt failed.
enum Recovery {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Caught (the catcher's output and target) or not (the failure goes up).
    Done(Result<Step, Failure>),
}

/// Retry if a retrier allows it, else catch if a catcher covers the error, else fail.
fn recover(
    handling: &Handling,
    origin: Origin,
    retries: &mut Retries<'_>,
    failure: Failure,
    (raw, scope): (&Value, &Scope<'_>),
) -> Recovery {
    if let Some(delay) = retries.delay(&failure, origin) {
        return Recovery::Retry(delay);
    }
    let Some(c) = catcher(handling, &failure, origin) else {
        return Recovery::Done(Err(failure));
    };
    Recovery::Done(caught(c, raw.clone(), failure, scope))
}

impl Run<'_> {
    /// Runs a state's attempts until one succeeds or its failure is caught or goes up.
    ///
    /// Each attempt is given the retries so far (`$$.State.RetryCount`), the context
    /// object `ctx` makes for them, and the last event recorded; it hands back its
    /// outcome and its own last event. After a failure the first retrier that matches
    /// sets the wait before the next attempt; once none does, the first catcher that
    /// matches places `{"Error","Cause"}` into `raw`, the state's input. A failure once
    /// a limit has stopped the execution goes up past every retrier and catcher.
    pub(super) async fn retrying<'v, C, A, F>(
        &self,
        (handling, origin): (&Handling, Origin),
        raw: &Value,
        ctx: &C,
        prev: &mut u64,
        mut attempt: A,
    ) -> Result<Step, Failure>
    where
        C: Fn(u32) -> Scope<'v>,
        A: FnMut(u32, Scope<'v>, u64) -> F,
        F: Future<Output = Attempted>,
    {
        let mut retries = Retries::new(handling);
        loop {
            let attempted = attempt(retries.total, ctx(retries.total), *prev).await;
            *prev = attempted.last;
            let failure = match attempted.outcome {
                Ok(step) => return Ok(step),
                Err(failure) => failure,
            };
            // A Map or Parallel state's failed event is recorded once, when no retry
            // follows, as AWS records it.
            let closing = attempted.closing.map(|event| {
                let details = EventDetails {
                    error: Some(failure.error.clone()),
                    cause: failure.recorded_cause(),
                    ..EventDetails::default()
                };
                (event, details)
            });
            let close = |prev: &mut u64, closing: Option<(EventType, EventDetails)>| {
                if let Some((event, details)) = closing {
                    *prev = self.rec.record(*prev, event, details);
                }
            };
            if let Err(stopped) = self.limits.check(&self.rec) {
                close(prev, closing);
                return Err(stopped);
            }
            let scope = ctx(retries.total);
            match recover(handling, origin, &mut retries, failure, (raw, &scope)) {
                Recovery::Retry(delay) => tokio::time::sleep(delay).await,
                Recovery::Done(result) => {
                    close(prev, closing);
                    return result;
                }
            }
        }
    }
}

/// One attempt at a state that may be retried: its outcome, the last event it recorded,
/// and the event that closes the state if it failed and is not retried (Map's and
/// Parallel's failed events; a Task records its failure on each attempt).
pub(super) struct Attempted {
    pub(super) outcome: Result<Step, Failure>,
    pub(super) last: u64,
    pub(super) closing: Option<EventType>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(
        errors: &[&str],
        max_attempts: u32,
        max_delay: Option<f64>,
        jitter: bool,
    ) -> Retrier {
        Retrier {
            errors: errors.iter().map(|e| e.to_string()).collect(),
            interval_seconds: 2.0,
            max_attempts,
            backoff_rate: 3.0,
            max_delay_seconds: max_delay,
            full_jitter: jitter,
        }
    }

    fn failure(error: &str) -> Failure {
        Failure::new(error, "")
    }

    #[test]
    fn delays_grow_by_the_backoff_rate_up_to_max_attempts() {
        let handling = Handling {
            retry: vec![retrier(&["E"], 3, None, false)],
            catch: Vec::new(),
        };
        let mut r = Retries::new(&handling);
        let delays: Vec<_> = (0..4)
            .map(|_| r.delay(&failure("E"), Origin::Task))
            .collect();
        assert_eq!(
            delays,
            [
                Some(Duration::from_secs(2)),
                Some(Duration::from_secs(6)),
                Some(Duration::from_secs(18)),
                None
            ]
        );
        assert_eq!(r.total, 3);
    }

    #[test]
    fn max_delay_caps_and_full_jitter_stays_below_the_delay() {
        let handling = Handling {
            retry: vec![
                retrier(&["E"], 10, Some(5.0), false),
                retrier(&["J"], 50, None, true),
            ],
            catch: Vec::new(),
        };
        let mut r = Retries::new(&handling);
        r.delay(&failure("E"), Origin::Task);
        r.delay(&failure("E"), Origin::Task);
        assert_eq!(
            r.delay(&failure("E"), Origin::Task),
            Some(Duration::from_secs(5))
        );
        // Huge backoffs are held to a year rather than overflowing.
        for i in 0..50 {
            let d = r
                .delay(&failure("J"), Origin::Task)
                .map(|d| d.as_secs_f64());
            assert!(d.is_some_and(|d| d <= (2.0 * 3f64.powi(i)).min(31_536_000.0)));
        }
    }

    #[test]
    fn task_failed_skips_timeouts_and_terminal_errors_match_nothing() {
        let list = vec![names::TASK_FAILED.to_owned()];
        assert!(matches(&list, &failure("Custom"), Origin::Task));
        assert!(!matches(&list, &failure(names::TIMEOUT), Origin::Task));
        assert!(!matches(&list, &failure("Custom"), Origin::Branches));
        let all = vec![names::ALL.to_owned()];
        assert!(matches(&all, &failure(names::TIMEOUT), Origin::Task));
        assert!(!matches(&all, &failure(names::RUNTIME), Origin::Task));
        assert!(!matches(
            &all,
            &failure(names::DATA_LIMIT_EXCEEDED),
            Origin::Task
        ));
    }
}
