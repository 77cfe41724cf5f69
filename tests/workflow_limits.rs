//! The limits every execution runs under: 25,000 history events, a bounded history,
//! and `TimeoutSeconds` (execution and Task) enforced for handlers that never yield.

mod workflow_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use daycare::workflow::{Engine, ExecutionStatus, TaskFailure};
use serde_json::json;
use workflow_support::*;

const PASS_LOOP: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"P"}}}"#;

/// A handler that is busy (blocks its thread) for `busy`, and refuses after `most` calls
/// so that an engine which misses the deadline ends with that refusal instead.
fn busy(busy: Duration, most: u32) -> Arc<dyn daycare::workflow::TaskHandler> {
    let calls = AtomicU32::new(0);
    handler(move |v, _| {
        if calls.fetch_add(1, Ordering::SeqCst) >= most {
            return Err(TaskFailure {
                error: "RanPastTheDeadline".into(),
                cause: "the engine kept going after TimeoutSeconds".into(),
            });
        }
        std::thread::sleep(busy);
        Ok(v)
    })
}

#[tokio::test]
async fn a_pass_loop_fails_when_its_history_reaches_25000_events() {
    let ex = run(&Engine::new(), PASS_LOOP, json!({"n": 1})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
    assert!(
        ex.summary
            .cause
            .as_deref()
            .unwrap_or("")
            .contains("25000 events"),
        "{:?}",
        ex.summary.cause
    );
    assert_eq!(ex.events.len(), 25_000);
    assert_eq!(types(&ex).last(), Some(&"ExecutionFailed"));
    // The closing event follows the last one kept.
    let last = &ex.events[ex.events.len() - 1];
    assert_eq!(last.previous_event_id, 24_999);
}

#[tokio::test]
async fn the_history_limit_is_beyond_every_catch_and_retry() {
    let def = r#"{"StartAt":"Par","States":{
        "Par":{"Type":"Parallel","End":true,
               "Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","Next":"P"}}}],
               "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3}],
               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
        "Caught":{"Type":"Succeed"}}}"#;
    let ex = run(&Engine::new(), def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
    assert!(ex.events.len() <= 25_000);
}

#[tokio::test]
async fn a_map_of_1000_over_a_map_of_1000_fails_at_the_history_limit() {
    let def = include_str!("../fixtures/workflows/limits/map1000x1000.json");
    let ex = run(&Engine::new(), def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
    assert_eq!(ex.events.len(), 25_000);
}

#[tokio::test]
async fn a_history_of_large_payloads_is_bounded_in_bytes() {
    let big = "x".repeat(200_000);
    let ex = run(&Engine::new(), PASS_LOOP, json!({ "big": big })).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
    assert!(
        ex.summary.cause.as_deref().unwrap_or("").contains("MiB"),
        "{:?}",
        ex.summary.cause
    );
    assert!(ex.events.len() < 1_000, "{} events", ex.events.len());
}

#[tokio::test]
async fn a_busy_loop_times_out_at_the_execution_timeout_seconds() {
    let mut engine = Engine::new();
    engine.register("busy", busy(Duration::from_millis(300), 20));
    let def = r#"{"TimeoutSeconds":1,"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"busy","Next":"T"}}}"#;
    let ex = run(&engine, def, json!({})).await;
    assert_eq!(
        ex.summary.status,
        ExecutionStatus::TimedOut,
        "{:?}",
        ex.summary.error
    );
    assert_eq!(ex.summary.error.as_deref(), Some("States.Timeout"));
    assert_eq!(types(&ex).last(), Some(&"ExecutionTimedOut"));
}

#[tokio::test]
async fn the_execution_timeout_is_beyond_every_catch() {
    let mut engine = Engine::new();
    engine.register("busy", busy(Duration::from_millis(300), 20));
    let def = r#"{"TimeoutSeconds":1,"StartAt":"Par","States":{
        "Par":{"Type":"Parallel","End":true,
               "Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"busy","Next":"T"}}}],
               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
        "Caught":{"Type":"Succeed"}}}"#;
    let ex = run(&engine, def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::TimedOut);
    assert!(!types(&ex).contains(&"SucceedStateEntered"));
}

#[tokio::test]
async fn a_busy_task_past_its_timeout_seconds_times_out() {
    let mut engine = Engine::new();
    engine.register("busy", busy(Duration::from_millis(1_200), 1));
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"busy","TimeoutSeconds":1,"End":true,
             "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Caught"}]},
        "Caught":{"Type":"Pass","End":true}}}"#;
    let ex = run(&engine, def, json!({})).await;
    // A state's own timeout can be caught, as on AWS.
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    assert!(types(&ex).contains(&"TaskTimedOut"), "{:?}", types(&ex));
    assert!(!types(&ex).contains(&"TaskSucceeded"));
}

#[tokio::test(start_paused = true)]
async fn paused_time_still_times_out_an_execution_that_waits() {
    let def = r#"{"TimeoutSeconds":30,"StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":10,"Next":"W"}}}"#;
    let ex = run(&Engine::new(), def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::TimedOut);
    assert_eq!(types(&ex).last(), Some(&"ExecutionTimedOut"));
}
