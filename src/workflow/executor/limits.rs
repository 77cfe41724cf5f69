//! The limits an execution runs under, as AWS Step Functions sets them: a bounded
//! history, and the execution's `TimeoutSeconds` read on the runtime's clock between
//! states, so that work which never yields to a timer still stops.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::time::{Duration, Instant};

use super::recorder::{Full, Recorder};
use crate::workflow::error::{Failure, names};

/// AWS Step Functions service quotas (Standard workflows): "Maximum execution history
/// size: 25,000 events. If the execution history reaches this quota, the execution will
/// fail." (docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). AWS names no
/// error for it; the execution fails with `States.Runtime`, which no Retry or Catch handles.
pub(crate) const MAX_HISTORY_EVENTS: usize = 25_000;

/// The most payload text (inputs, outputs, parameters) one history holds. AWS keeps any
/// amount; this engine keeps histories in memory, so it bounds them: 512 payloads of the
/// full 256 KiB.
pub(crate) const MAX_HISTORY_BYTES: usize = 128 << 20;

/// The execution's deadline, and whether a limit has already stopped it.
pub(super) struct Limits {
    deadline: Option<(Instant, u64)>,
    timed_out: AtomicBool,
}

impl Limits {
    /// Starts the clock for an execution with `timeout_seconds`, if any.
    pub fn new(timeout_seconds: Option<u64>) -> Limits {
        let deadline = timeout_seconds.and_then(|secs| {
            Instant::now()
                .checked_add(Duration::from_secs(secs))
                .map(|at| (at, secs))
        });
        Limits {
            deadline,
            timed_out: AtomicBool::new(false),
        }
    }

    /// Between states: the execution may go on, or the failure that ends it. Once this
    /// has failed it keeps failing, and the failure is beyond every Retry and Catch.
    pub fn check(&self, rec: &Recorder) -> Result<(), Failure> {
        if let Some(full) = rec.full() {
            return Err(history_full(full));
        }
        match self.deadline {
            Some((at, secs)) if self.timed_out() || Instant::now() >= at => {
                self.timed_out.store(true, Ordering::Relaxed);
                Err(timed_out(secs))
            }
            _ => Ok(()),
        }
    }

    /// Whether the execution ran past its `TimeoutSeconds`.
    pub fn timed_out(&self) -> bool {
        self.timed_out.load(Ordering::Relaxed)
    }

    /// Marks the execution as timed out (its timer fired while it waited).
    pub fn time_out(&self) -> Failure {
        self.timed_out.store(true, Ordering::Relaxed);
        timed_out(self.deadline.map_or(0, |(_, secs)| secs))
    }
}

fn timed_out(secs: u64) -> Failure {
    Failure::new(
        names::TIMEOUT,
        format!("The execution did not finish within its TimeoutSeconds of {secs} seconds."),
    )
}

fn history_full(full: Full) -> Failure {
    let cause = match full {
        Full::Events => format!(
            "The execution's history reached {MAX_HISTORY_EVENTS} events, the most an execution may \
             record (as on AWS Step Functions). Split the work into smaller executions."
        ),
        Full::Bytes => format!(
            "The execution's history holds over {} MiB of inputs and outputs, the most this engine \
             keeps. Pass references to large data, or split the work into smaller executions.",
            MAX_HISTORY_BYTES >> 20
        ),
    };
    Failure::new(names::RUNTIME, cause)
}
