//! Retry and Catch end to end, on Task, Parallel and Map states alike: the waits between
//! attempts (IntervalSeconds, BackoffRate, MaxDelaySeconds, JitterStrategy), each
//! retrier's MaxAttempts, `$$.State.RetryCount`, and the catcher once retries run out.

mod workflow_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use daycare::workflow::{Engine, ExecutionStatus, TaskFailure};
use serde_json::json;
use workflow_support::*;

fn count(types: &[&str], which: &str) -> usize {
    types.iter().filter(|t| **t == which).count()
}

#[tokio::test(start_paused = true)]
async fn each_retrier_keeps_its_own_attempts_and_the_catcher_takes_the_last_failure() {
    // Fails with A on the first two attempts, then with B.
    let calls = Arc::new(AtomicU32::new(0));
    let seen = calls.clone();
    let mut engine = Engine::new();
    engine.register(
        "fails",
        handler(move |_, ctx| {
            seen.fetch_add(1, Ordering::SeqCst);
            Err(TaskFailure {
                error: if ctx.retry_count < 2 { "A" } else { "B" }.into(),
                cause: format!("retry {}", ctx.retry_count),
            })
        }),
    );
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"fails","Next":"Ok",
             "Retry":[
                {"ErrorEquals":["A"],"IntervalSeconds":10,"BackoffRate":5,"MaxDelaySeconds":20,"MaxAttempts":5},
                {"ErrorEquals":["B"],"IntervalSeconds":1,"MaxAttempts":1}],
             "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handled"}]},
        "Ok":{"Type":"Succeed"},
        "Handled":{"Type":"Pass","End":true}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"x": 1})).await;
    // 10 s, then 50 s held to 20 s, then B's own first wait of 1 s.
    assert_eq!(start.elapsed().as_secs(), 31);
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(count(&types(&ex), "TaskFailed"), 4);
    assert_eq!(
        output(&ex),
        json!({"x": 1, "err": {"Error": "B", "Cause": "retry 3"}})
    );
}

#[tokio::test(start_paused = true)]
async fn full_jitter_waits_no_longer_than_the_interval() {
    let flaky = FailTimes::new(1, "Flaky");
    let mut engine = Engine::new();
    engine.register("flaky", flaky.clone());
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"flaky","End":true,
        "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":8,"JitterStrategy":"FULL"}]}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"a": 1})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(flaky.calls(), 2);
    assert!(start.elapsed().as_secs_f64() <= 8.0);
}

#[tokio::test(start_paused = true)]
async fn a_parallel_state_is_caught_once_its_retries_run_out() {
    let flaky = FailTimes::new(u32::MAX, "E");
    let mut engine = Engine::new();
    engine.register("flaky", flaky.clone());
    let def = r#"{"StartAt":"P","States":{
        "P":{"Type":"Parallel","Next":"Ok",
             "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":1}],
             "Catch":[{"ErrorEquals":["States.BranchFailed"],"ResultPath":"$.err","Next":"Handled"}],
             "Branches":[{"StartAt":"F","States":{"F":{"Type":"Task","Resource":"flaky","End":true}}}]},
        "Ok":{"Type":"Succeed"},
        "Handled":{"Type":"Pass","End":true}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"x": 1})).await;
    assert_eq!(start.elapsed().as_secs(), 3);
    assert_eq!(flaky.calls(), 2);
    // Recorded once, after the last attempt, as AWS records it.
    assert_eq!(count(&types(&ex), "ParallelStateFailed"), 1);
    assert_eq!(count(&types(&ex), "ParallelStateStarted"), 2);
    assert_eq!(
        output(&ex),
        json!({"x": 1, "err": {"Error": "E", "Cause": "attempt 2 failed"}})
    );
}

#[tokio::test(start_paused = true)]
async fn a_map_state_retries_all_its_iterations_with_the_retry_count_in_their_context() {
    let flaky = FailTimes::new(1, "Flaky");
    let mut engine = Engine::new();
    engine.register("flaky", flaky.clone());
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":1,
        "ItemSelector":{"item.$":"$$.Map.Item.Value","retry.$":"$$.State.RetryCount"},
        "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":4,"BackoffRate":3}],
        "ItemProcessor":{"StartAt":"F","States":{"F":{"Type":"Task","Resource":"flaky","End":true}}}}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!([1, 2])).await;
    assert_eq!(start.elapsed().as_secs(), 4);
    // The first item fails once; the retry runs both items again.
    assert_eq!(flaky.calls(), 3);
    assert_eq!(
        output(&ex),
        json!([{"item": 1, "retry": 1}, {"item": 2, "retry": 1}])
    );
    let t = types(&ex);
    assert_eq!(count(&t, "MapStateStarted"), 2);
    // The retried attempt's failure is not a MapStateFailed: the state did not fail.
    assert_eq!(count(&t, "MapStateFailed"), 0);
    assert_eq!(count(&t, "MapIterationFailed"), 1);
    assert_eq!(count(&t, "MapStateSucceeded"), 1);
}
