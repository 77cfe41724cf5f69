//! Retry and Catch: retriers, catchers and their ErrorEquals lists, with AWS's
//! rules for `States.` names and `States.ALL`.

use serde_json::Value;

use super::super::reader::{Fields, Problems, kind};
use super::super::states::{Assign, Catcher, Handling, Retrier};
use super::values::result_path;
use super::{Index, target};
use crate::workflow::error::names;

/// The error names AWS reserves; any other `States.` name is refused.
const KNOWN_ERRORS: &[&str] = &[
    names::ALL,
    names::HEARTBEAT_TIMEOUT,
    names::TIMEOUT,
    names::TASK_FAILED,
    names::PERMISSIONS,
    names::RESULT_PATH_MATCH_FAILURE,
    names::PARAMETER_PATH_FAILURE,
    names::BRANCH_FAILED,
    names::NO_CHOICE_MATCHED,
    names::INTRINSIC_FAILURE,
    names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
    names::ITEM_READER_FAILED,
    names::RESULT_WRITER_FAILED,
    names::RUNTIME,
    names::DATA_LIMIT_EXCEEDED,
    names::QUERY_EVALUATION_ERROR,
];

pub(super) fn handling(f: &mut Fields<'_>, index: &Index<'_>, p: &mut Problems) -> Handling {
    let mut out = Handling::default();
    if let Some(list) = f.array("Retry", p) {
        for (i, item) in list.iter().enumerate() {
            let prefix = format!("{}Retry[{i}].", f.prefix);
            let Value::Object(obj) = item else {
                p.add(&f.states, prefix, "a retrier must be an object");
                continue;
            };
            let mut rf = Fields::new(obj, f.states.clone(), prefix);
            let errors = error_names(&mut rf, i + 1 == list.len(), p);
            rf.string("Comment", p);
            let interval = rf.uint("IntervalSeconds", p).unwrap_or(1);
            if interval == 0 {
                rf.err(p, "IntervalSeconds", "must be at least 1");
            }
            let max_attempts = rf.uint("MaxAttempts", p).unwrap_or(3);
            let backoff_rate = rf.number("BackoffRate", p).unwrap_or(2.0);
            if backoff_rate < 1.0 {
                rf.err(p, "BackoffRate", "must be 1.0 or more");
            }
            let max_delay = rf.uint("MaxDelaySeconds", p);
            if max_delay == Some(0) {
                rf.err(p, "MaxDelaySeconds", "must be at least 1");
            }
            let full_jitter = match rf.string("JitterStrategy", p) {
                None | Some("NONE") => false,
                Some("FULL") => true,
                Some(other) => {
                    rf.err(
                        p,
                        "JitterStrategy",
                        format!("\"{other}\" is not a strategy; use FULL or NONE"),
                    );
                    false
                }
            };
            rf.finish("a retrier", p, |_| None);
            out.retry.push(Retrier {
                errors,
                interval_seconds: interval as f64,
                max_attempts: u32::try_from(max_attempts).unwrap_or(u32::MAX),
                backoff_rate,
                max_delay_seconds: max_delay.map(|d| d as f64),
                full_jitter,
            });
        }
    }
    if let Some(list) = f.array("Catch", p) {
        for (i, item) in list.iter().enumerate() {
            let prefix = format!("{}Catch[{i}].", f.prefix);
            let Value::Object(obj) = item else {
                p.add(&f.states, prefix, "a catcher must be an object");
                continue;
            };
            let mut cf = Fields::new(obj, f.states.clone(), prefix);
            let errors = error_names(&mut cf, i + 1 == list.len(), p);
            cf.string("Comment", p);
            let next = cf
                .required("Next", p)
                .and_then(|name| target(&cf, "Next", name, index, p));
            let result_path = result_path(&mut cf, "ResultPath", p);
            let assign = super::values::assign(&mut cf, p);
            cf.finish("a catcher", p, |_| None);
            if let Some(next) = next {
                out.catch.push(Catcher {
                    errors,
                    next,
                    result_path,
                    assign: assign.map(Assign::JsonPath),
                    output: None,
                });
            }
        }
    }
    out
}

/// ErrorEquals: a non-empty list of names; `States.` names must be AWS's, and
/// `States.ALL` must stand alone in the last retrier or catcher.
pub(super) fn error_names(f: &mut Fields<'_>, last: bool, p: &mut Problems) -> Vec<String> {
    let Some(list) = f.array("ErrorEquals", p) else {
        if !f.has("ErrorEquals") {
            f.err(p, "ErrorEquals", "is required");
        }
        return Vec::new();
    };
    if list.is_empty() {
        f.err(p, "ErrorEquals", "must name at least one error");
    }
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        match item {
            Value::String(name) => {
                if name.starts_with("States.") && !KNOWN_ERRORS.contains(&name.as_str()) {
                    f.err(
                        p,
                        "ErrorEquals",
                        format!(
                            "\"{name}\" is not one of AWS's States. error names; check its spelling"
                        ),
                    );
                }
                out.push(name.clone());
            }
            other => f.err(
                p,
                "ErrorEquals",
                format!("error names are strings, not {}", kind(other)),
            ),
        }
    }
    if out.iter().any(|n| n == names::ALL) {
        if out.len() > 1 {
            f.err(
                p,
                "ErrorEquals",
                "States.ALL must be the only name in its list",
            );
        }
        if !last {
            f.err(
                p,
                "ErrorEquals",
                "States.ALL must be in the last retrier or catcher",
            );
        }
    }
    out
}
