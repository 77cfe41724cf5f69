//! Failures with AWS's error names (`States.Runtime`, `States.IntrinsicFailure`, a task's
//! own error, …): the one error value of a running execution, from evaluating data, from a
//! task handler or from a limit. Only the value and its constructors live here; nothing
//! decides retries or catches.

/// A failure, named as AWS names it: raised while evaluating data, returned by a task
/// handler (it becomes a `TaskFailed` event and is subject to Retry and Catch), or
/// ending the execution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct Failure {
    /// AWS's error name, e.g. `States.Runtime`, or the task's own.
    pub error: String,
    /// A sentence for people.
    pub cause: String,
}

/// A task handler's failure: the same value as every other [`Failure`].
pub type TaskFailure = Failure;

/// The longest message the engine writes (a cause, a problem in a definition): a
/// value quoted in one is cut rather than repeated whole.
pub(crate) const MAX_MESSAGE_CHARS: usize = 1_000;

/// `text` cut to at most `max` characters, ending in `…` when something was cut.
pub(crate) fn shorten(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max.saturating_sub(1))
        && text[cut..].chars().nth(1).is_some()
    {
        text.truncate(cut);
        text.push('…');
    }
    text
}

impl Failure {
    /// The cause as AWS records it in history and in DescribeExecution: absent when the
    /// failure gave none (a Fail state without Cause), never `""`.
    pub fn recorded_cause(&self) -> Option<String> {
        Some(self.cause.clone()).filter(|c| !c.is_empty())
    }

    /// A failure named `error`, its cause cut to the longest message the engine writes.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure {
            error: error.into(),
            cause: shorten(cause.into(), MAX_MESSAGE_CHARS),
        }
    }

    /// `States.Runtime`: the execution cannot go on, beyond every Retry and Catch.
    pub fn runtime(cause: impl Into<String>) -> Failure {
        Failure::new(names::RUNTIME, cause)
    }

    /// `States.IntrinsicFailure`: an intrinsic function was given arguments it cannot use.
    pub fn intrinsic(cause: impl Into<String>) -> Failure {
        Failure::new(names::INTRINSIC_FAILURE, cause)
    }

    /// `States.Runtime` for a path that selects nothing. AWS reports this as
    /// `Invalid path '$.x' : No results for path: $['x']`; we keep that wording.
    pub fn path_not_found(path: &str, normalized: &str) -> Failure {
        Failure::runtime(format!(
            "Invalid path '{path}': No results for path: {normalized}"
        ))
    }

    /// Whether this error carries the given AWS error name.
    pub fn is(&self, name: &str) -> bool {
        self.error == name
    }
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn shorten_cuts_at_a_character_and_marks_the_cut() {
        assert_eq!(shorten("abc".into(), 3), "abc");
        assert_eq!(shorten("abcd".into(), 3), "ab…");
        assert_eq!(shorten("ééééé".into(), 4), "ééé…");
        assert_eq!(shorten(String::new(), 3), "");
    }
}

/// AWS's predefined error names.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const PERMISSIONS: &str = "States.Permissions";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
    pub const RUNTIME: &str = "States.Runtime";
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
}
