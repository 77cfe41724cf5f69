//! The executor end to end: states, data flow, errors, history.

mod workflow_support;

use std::sync::Arc;
use std::time::Duration;

use daycare::workflow::{Engine, ExecutionStatus, RunOptions, TaskFailure};
use serde_json::json;
use workflow_support::*;

#[tokio::test]
async fn task_then_succeed_records_aws_history() {
    let mut engine = Engine::new();
    engine.register(
        "double",
        handler(|v, _| Ok(json!({"n": v["n"].as_i64().unwrap() * 2}))),
    );
    let ex = run(
        &engine,
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"double","Next":"Done"},"Done":{"Type":"Succeed"}}}"#,
        json!({"n": 21}),
    )
    .await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&ex), json!({"n": 42}));
    assert_eq!(
        types(&ex),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    for (i, e) in ex.events.iter().enumerate() {
        assert_eq!(e.id, i as u64 + 1);
        assert_eq!(e.previous_event_id, i as u64);
    }
    let json = serde_json::to_value(&ex).unwrap();
    let entered = &json["events"][1];
    assert_eq!(entered["type"], "TaskStateEntered");
    assert_eq!(entered["stateEnteredEventDetails"]["name"], "T");
    assert_eq!(entered["stateEnteredEventDetails"]["input"], r#"{"n":21}"#);
    assert_eq!(
        json["events"][4]["taskSucceededEventDetails"]["output"],
        r#"{"n":42}"#
    );
    assert_eq!(json["execution"]["status"], "SUCCEEDED");
    assert_eq!(json["execution"]["output"], r#"{"n":42}"#);
    // The AWS shape reads back into the same events.
    let back: daycare::workflow::Execution = serde_json::from_value(json).unwrap();
    assert_eq!(back, ex);
}

#[tokio::test]
async fn a_lambda_function_arn_is_recorded_as_aws_records_lambda() {
    let mut engine = Engine::new();
    engine.register("hello", handler(|_, _| Ok(json!("hi"))));
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:hello:live";
    let def = format!(
        r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{arn}","TimeoutSeconds":30,"End":true}}}}}}"#
    );
    let m = machine(&def);
    assert!(engine.check(&m).is_ok());
    let ex = engine.run(&m, json!({"a": 1}), RunOptions::default()).await;
    assert_eq!(output(&ex), json!("hi"));
    assert_eq!(
        types(&ex)[2..5],
        [
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded"
        ]
    );
    let json = serde_json::to_value(&ex).unwrap();
    assert_eq!(
        json["events"][2]["lambdaFunctionScheduledEventDetails"],
        json!({
            "resource": arn,
            "input": "{\"a\":1}",
            "inputDetails": {"truncated": false},
            "timeoutInSeconds": 30
        })
    );
    // LambdaFunctionStarted carries no details, as on AWS.
    assert_eq!(json["events"][3].as_object().map(|o| o.len()), Some(4));
    assert_eq!(
        json["events"][4]["lambdaFunctionSucceededEventDetails"],
        json!({"output": "\"hi\"", "outputDetails": {"truncated": false}})
    );
    let back: daycare::workflow::Execution = serde_json::from_value(json).unwrap();
    assert_eq!(back, ex);
}

#[tokio::test]
async fn a_lambda_function_failure_or_timeout_is_recorded_as_lambdas() {
    let mut engine = Engine::new();
    engine.register(
        "boom",
        handler(|v, _| {
            Err(TaskFailure {
                error: v["error"].as_str().unwrap_or("Boom").into(),
                cause: "it broke".into(),
            })
        }),
    );
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:boom","End":true}}}"#;
    let ex = run(&engine, def, json!({})).await;
    assert_eq!(types(&ex).last(), Some(&"ExecutionFailed"));
    assert_eq!(types(&ex)[4], "LambdaFunctionFailed");
    let json = serde_json::to_value(&ex).unwrap();
    assert_eq!(
        json["events"][4]["lambdaFunctionFailedEventDetails"],
        json!({"error": "Boom", "cause": "it broke"})
    );
    // A handler that says it ran out of time is recorded as timed out.
    let ex = run(&engine, def, json!({"error": "States.Timeout"})).await;
    assert_eq!(types(&ex)[4], "LambdaFunctionTimedOut");
    assert_eq!(ex.summary.error.as_deref(), Some("States.Timeout"));
}

#[tokio::test]
async fn lambda_invoke_calls_the_function_its_parameters_name() {
    let mut engine = Engine::new();
    engine.register(
        "greet",
        handler(|v, _| Ok(json!(format!("hello {}", v["who"].as_str().unwrap_or("?"))))),
    );
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:greet:$LATEST","Payload":{"who.$":"$.name"}},
        "ResultSelector":{"said.$":"$.Payload","status.$":"$.StatusCode"},"End":true}}}"#;
    let m = machine(def);
    assert!(engine.check(&m).is_ok());
    let ex = engine
        .run(&m, json!({"name": "Awa"}), RunOptions::default())
        .await;
    assert_eq!(output(&ex), json!({"said": "hello Awa", "status": 200}));
    assert_eq!(
        types(&ex)[2..5],
        ["TaskScheduled", "TaskStarted", "TaskSucceeded"]
    );
    let json = serde_json::to_value(&ex).unwrap();
    let scheduled = &json["events"][2]["taskScheduledEventDetails"];
    assert_eq!(scheduled["resourceType"], "lambda");
    assert_eq!(scheduled["resource"], "invoke");
    assert_eq!(scheduled["region"], "local");
    let succeeded: serde_json::Value = serde_json::from_str(
        json["events"][4]["taskSucceededEventDetails"]["output"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(succeeded["ExecutedVersion"], "$LATEST");
    assert_eq!(succeeded["Payload"], "hello Awa");
    // A function read from the input that does not exist fails as Lambda says so.
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName.$":"$.f"},"End":true}}}"#;
    let m = machine(def);
    assert!(engine.check(&m).is_ok());
    let ex = engine
        .run(&m, json!({"f": "nobody"}), RunOptions::default())
        .await;
    assert_eq!(
        ex.summary.error.as_deref(),
        Some("Lambda.ResourceNotFoundException")
    );
    assert_eq!(types(&ex)[4], "TaskFailed");
}

#[tokio::test]
async fn check_refuses_what_cannot_run_here_and_says_why() {
    let engine = Engine::new();
    let refused = |resource: &str| {
        let def = format!(
            r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{resource}","Parameters":{{"FunctionName":"f"}},"End":true}}}}}}"#
        );
        let errors = engine.check(&machine(&def)).unwrap_err();
        errors[0].message.clone()
    };
    assert!(
        refused("arn:aws:states:::s3:getObject")
            .contains("the service integration s3:getObject is not supported"),
    );
    assert!(refused("arn:aws:states:::lambda:invoke.waitForTaskToken").contains("callbacks"));
    assert!(
        refused("arn:aws:states:us-east-1:123456789012:activity:approve").contains("activities")
    );
    assert!(refused("arn:aws:states:::lambda:invoke").contains("resolves to no task handler"));
}

#[tokio::test]
async fn check_names_the_state_of_an_unknown_resource() {
    let engine = Engine::new();
    let m = machine(
        r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"Inner","States":{"Inner":{"Type":"Task","Resource":"nope","End":true}}}]}}}"#,
    );
    let errors = engine.check(&m).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].states, ["P", "Inner"]);
    assert_eq!(errors[0].field, "Resource");
}

#[tokio::test]
async fn handler_failure_fails_the_execution_with_its_error() {
    let mut engine = Engine::new();
    engine.register(
        "boom",
        handler(|_, _| {
            Err(TaskFailure {
                error: "Boom".into(),
                cause: "it broke".into(),
            })
        }),
    );
    let ex = run(
        &engine,
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"boom","End":true}}}"#,
        json!({}),
    )
    .await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("Boom"));
    assert_eq!(ex.summary.cause.as_deref(), Some("it broke"));
    assert_eq!(
        types(&ex),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "ExecutionFailed"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn retry_waits_with_backoff_then_succeeds() {
    let flaky = FailTimes::new(2, "Flaky");
    let mut engine = Engine::new();
    engine.register("flaky", flaky.clone());
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"flaky","End":true,
        "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":3,"BackoffRate":2}]}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"a": 1})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(flaky.calls(), 3);
    // 3 s, then 6 s.
    assert_eq!(start.elapsed().as_secs(), 9);
    let scheduled = types(&ex).iter().filter(|t| **t == "TaskScheduled").count();
    assert_eq!(scheduled, 3);
}

#[tokio::test(start_paused = true)]
async fn max_attempts_zero_never_retries_and_catch_takes_over() {
    let flaky = FailTimes::new(1, "Flaky");
    let mut engine = Engine::new();
    engine.register("flaky", flaky.clone());
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"flaky","Next":"Ok",
             "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}],
             "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Handled"}]},
        "Ok":{"Type":"Succeed"},
        "Handled":{"Type":"Pass","End":true}}}"#;
    let ex = run(&engine, def, json!({"a": 1})).await;
    assert_eq!(flaky.calls(), 1);
    assert_eq!(
        output(&ex),
        json!({"a": 1, "err": {"Error": "Flaky", "Cause": "attempt 1 failed"}})
    );
    assert!(types(&ex).contains(&"TaskStateExited"));
    assert!(types(&ex).contains(&"PassStateEntered"));
}

#[tokio::test(start_paused = true)]
async fn task_timeout_is_states_timeout_and_task_failed_does_not_match_it() {
    let mut engine = Engine::new();
    engine.register("slow", Arc::new(Slow(Duration::from_secs(30))));
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"slow","TimeoutSeconds":5,"End":true,
             "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}]},
        "Caught":{"Type":"Succeed"}}}"#;
    let ex = run(&engine, def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Timeout"));
    assert!(types(&ex).contains(&"TaskTimedOut"));
}

#[tokio::test(start_paused = true)]
async fn timeout_seconds_path_reads_the_input() {
    let mut engine = Engine::new();
    engine.register("slow", Arc::new(Slow(Duration::from_secs(30))));
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"slow","TimeoutSecondsPath":"$.limit","End":true}}}"#;
    let ex = run(&engine, def, json!({"limit": 60})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    let ex = run(&engine, def, json!({"limit": 10})).await;
    assert_eq!(ex.summary.error.as_deref(), Some("States.Timeout"));
}

#[tokio::test(start_paused = true)]
async fn wait_sleeps_on_the_runtime_clock() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":10,"Next":"W2"},
        "W2":{"Type":"Wait","SecondsPath":"$.s","End":true}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"s": 5})).await;
    assert_eq!(start.elapsed().as_secs(), 15);
    assert_eq!(output(&ex), json!({"s": 5}));
    assert_eq!(
        types(&ex),
        [
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn wait_timestamp_in_the_past_does_not_wait() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.at","End":true}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"at": "2001-01-01T00:00:00Z"})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(start.elapsed().as_secs(), 0);
    let ex = run(&engine, def, json!({"at": "soon"})).await;
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
}

#[tokio::test]
async fn fail_state_takes_error_and_cause_from_paths() {
    let engine = Engine::new();
    let def =
        r#"{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}}"#;
    let ex = run(&engine, def, json!({"e": "Nope", "c": "because"})).await;
    assert_eq!(ex.summary.error.as_deref(), Some("Nope"));
    assert_eq!(ex.summary.cause.as_deref(), Some("because"));
    assert_eq!(
        types(&ex),
        ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    );
    // A CausePath that selects nothing fails with States.Runtime, as AWS does.
    let ex = run(&engine, def, json!({"e": "Nope"})).await;
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
}

#[tokio::test]
async fn payload_over_256_kib_is_data_limit_exceeded_and_cannot_be_caught() {
    let mut engine = Engine::new();
    engine.register("big", handler(|_, _| Ok(json!("x".repeat(262_145)))));
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"big","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}]},
        "C":{"Type":"Succeed"}}}"#;
    let ex = run(&engine, def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(
        ex.summary.error.as_deref(),
        Some("States.DataLimitExceeded")
    );
}

#[tokio::test]
async fn parallel_outputs_branches_in_order_and_fails_with_a_branch_error() {
    let mut engine = Engine::new();
    engine.register("add1", handler(|v, _| Ok(json!(v.as_i64().unwrap() + 1))));
    engine.register(
        "boom",
        handler(|_, _| {
            Err(TaskFailure {
                error: "Boom".into(),
                cause: "c".into(),
            })
        }),
    );
    let def = |second: &str| {
        format!(
            r#"{{"StartAt":"P","States":{{"P":{{"Type":"Parallel","End":true,"Branches":[
            {{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"add1","End":true}}}}}},
            {{"StartAt":"B","States":{{"B":{{"Type":"Task","Resource":"{second}","End":true}}}}}}]}}}}}}"#
        )
    };
    let ex = run(&engine, &def("add1"), json!(1)).await;
    assert_eq!(output(&ex), json!([2, 2]));
    let t = types(&ex);
    assert_eq!(t[1..3], ["ParallelStateEntered", "ParallelStateStarted"]);
    assert_eq!(
        t[t.len() - 3..],
        [
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "ExecutionSucceeded"
        ]
    );
    let ex = run(&engine, &def("boom"), json!(1)).await;
    assert_eq!(ex.summary.error.as_deref(), Some("Boom"));
    assert!(types(&ex).contains(&"ParallelStateFailed"));
}

#[tokio::test]
async fn map_runs_each_item_in_order_with_item_index_and_value() {
    let mut engine = Engine::new();
    engine.register("echo", echo());
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items","MaxConcurrency":2,
        "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","tag.$":"$.tag"},
        "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"E","States":{"E":{"Type":"Task","Resource":"echo","End":true}}}}}}"#;
    let ex = run(&engine, def, json!({"tag": "t", "items": ["a", "b", "c"]})).await;
    assert_eq!(
        output(&ex),
        json!([{"i":0,"v":"a","tag":"t"},{"i":1,"v":"b","tag":"t"},{"i":2,"v":"c","tag":"t"}])
    );
    let t = types(&ex);
    assert_eq!(t.iter().filter(|x| **x == "MapIterationStarted").count(), 3);
    assert_eq!(
        t.iter().filter(|x| **x == "MapIterationSucceeded").count(),
        3
    );
    let json = serde_json::to_value(&ex).unwrap();
    assert_eq!(
        json["events"][2]["mapStateStartedEventDetails"]["length"],
        3
    );
}

#[tokio::test(start_paused = true)]
async fn map_max_concurrency_bounds_the_iterations_running_at_once() {
    let mut engine = Engine::new();
    engine.register("slow", Arc::new(Slow(Duration::from_secs(10))));
    let def = |n: u32| {
        format!(
            r#"{{"StartAt":"M","States":{{"M":{{"Type":"Map","End":true,"MaxConcurrency":{n},
            "Iterator":{{"StartAt":"S","States":{{"S":{{"Type":"Task","Resource":"slow","End":true}}}}}}}}}}}}"#
        )
    };
    let start = tokio::time::Instant::now();
    run(&engine, &def(2), json!([1, 2, 3, 4])).await;
    assert_eq!(start.elapsed().as_secs(), 20);
    let start = tokio::time::Instant::now();
    run(&engine, &def(0), json!([1, 2, 3, 4])).await;
    assert_eq!(start.elapsed().as_secs(), 10);
}

#[tokio::test]
async fn context_object_reaches_parameters() {
    let mut engine = Engine::new();
    engine.register("echo", echo());
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"echo","End":true,
        "Parameters":{"name.$":"$$.Execution.Name","state.$":"$$.State.Name","retry.$":"$$.State.RetryCount",
                      "input.$":"$$.Execution.Input","machine.$":"$$.StateMachine.Name"}}}}"#;
    let ex = engine
        .run(
            &machine(def),
            json!({"x": 1}),
            RunOptions {
                name: Some("run-1".into()),
                ..RunOptions::default()
            },
        )
        .await;
    assert_eq!(
        output(&ex),
        json!({"name": "run-1", "state": "T", "retry": 0, "input": {"x": 1}, "machine": "StateMachine"})
    );
    assert_eq!(
        ex.summary.execution_arn,
        "arn:aws:states:local:000000000000:execution:StateMachine:run-1"
    );
}

#[tokio::test]
async fn observer_sees_every_event_as_it_is_recorded() {
    use std::sync::Mutex;
    struct Seen(Mutex<Vec<u64>>);
    impl daycare::workflow::Observer for Seen {
        fn event(&self, e: &daycare::workflow::HistoryEvent) {
            self.0.lock().unwrap().push(e.id);
        }
    }
    let seen = Arc::new(Seen(Mutex::new(Vec::new())));
    let engine = Engine::new();
    let ex = engine
        .run(
            &machine(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#),
            json!({}),
            RunOptions {
                observer: Some(seen.clone()),
                ..RunOptions::default()
            },
        )
        .await;
    assert_eq!(
        *seen.0.lock().unwrap(),
        ex.events.iter().map(|e| e.id).collect::<Vec<_>>()
    );
}

#[test]
fn run_future_is_send_so_it_can_be_spawned() {
    fn is_send<T: Send>(_: &T) {}
    let engine = Engine::new();
    let m = machine(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#);
    let fut = engine.run(&m, json!({}), RunOptions::default());
    is_send(&fut);
}

/// The registration definition with four in-test handlers that mimic the
/// tutorial's Lambda contract (`statusCode` and a JSON-encoded `body`).
fn registration_engine(age_ok: bool) -> Engine {
    let mut engine = Engine::new();
    engine.register(
        "checkInformation",
        handler(|v, _| Ok(json!({"statusCode": 200, "body": v.to_string()}))),
    );
    engine.register(
        "checkAgeRange",
        handler(move |v, _| {
            if age_ok {
                Ok(json!({"statusCode": 200, "body": v["body"]}))
            } else {
                Ok(json!({"statusCode": 400, "body": "Child is 7, outside 2 to 5"}))
            }
        }),
    );
    engine.register("checkSpotsAvailability", handler(|v, _| Ok(v)));
    engine.register("confirmRegistration", handler(|v, _| Ok(v)));
    engine
}

#[tokio::test]
async fn registration_workflow_succeeds_through_all_four_tasks() {
    let engine = registration_engine(true);
    let m = machine(include_str!("../data/registration.asl.json"));
    engine.check(&m).unwrap();
    let ex = engine
        .run(&m, json!({"registration_info": {}}), RunOptions::default())
        .await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    let t = types(&ex);
    assert_eq!(t.len(), 32);
    assert_eq!(t.iter().filter(|x| **x == "ChoiceStateExited").count(), 4);
    assert_eq!(t[t.len() - 1], "ExecutionSucceeded");
}

#[tokio::test]
async fn registration_workflow_stops_at_the_fail_state_with_the_body_as_cause() {
    let engine = registration_engine(false);
    let m = machine(include_str!("../data/registration.asl.json"));
    let ex = engine
        .run(&m, json!({"registration_info": {}}), RunOptions::default())
        .await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("AgeOutOfRange"));
    assert_eq!(
        ex.summary.cause.as_deref(),
        Some("Child is 7, outside 2 to 5")
    );
    let t = types(&ex);
    assert_eq!(t[t.len() - 2..], ["FailStateEntered", "ExecutionFailed"]);
}

#[tokio::test(start_paused = true)]
async fn machine_timeout_seconds_times_the_execution_out() {
    let mut engine = Engine::new();
    engine.register("slow", Arc::new(Slow(Duration::from_secs(120))));
    let def = r#"{"TimeoutSeconds":60,"StartAt":"T","States":{"T":{"Type":"Task","Resource":"slow","End":true}}}"#;
    let ex = run(&engine, def, json!({})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::TimedOut);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Timeout"));
    let last = ex.events.last().unwrap();
    assert_eq!(last.event_type.as_str(), "ExecutionTimedOut");
    assert_eq!(last.previous_event_id, last.id - 1);
}

#[tokio::test(start_paused = true)]
async fn run_until_aborts_a_running_execution() {
    let mut engine = Engine::new();
    engine.register("slow", Arc::new(Slow(Duration::from_secs(120))));
    let m =
        machine(r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"slow","End":true}}}"#);
    let ex = engine
        .run_until(
            &m,
            json!({}),
            RunOptions::default(),
            tokio::time::sleep(Duration::from_secs(5)),
        )
        .await;
    assert_eq!(ex.summary.status, ExecutionStatus::Aborted);
    assert_eq!(types(&ex).last(), Some(&"ExecutionAborted"));
    // An abort that never comes changes nothing.
    let ex = engine
        .run_until(&m, json!({}), RunOptions::default(), std::future::pending())
        .await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
}

#[tokio::test]
async fn result_selector_and_output_path_shape_the_task_output() {
    let mut engine = Engine::new();
    engine.register(
        "stats",
        handler(|_, _| Ok(json!({"meta": {"n": 3}, "rows": [1, 2, 3]}))),
    );
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"stats","End":true,
        "ResultSelector":{"count.$":"$.meta.n","first.$":"$.rows[0]"},"ResultPath":"$.stats","OutputPath":"$.stats"}}}"#;
    let ex = run(&engine, def, json!({"keep": true})).await;
    assert_eq!(output(&ex), json!({"count": 3, "first": 1}));
    // TaskSucceeded shows the raw result, the state's exit shows the shaped output.
    let json = serde_json::to_value(&ex).unwrap();
    assert_eq!(
        json["events"][4]["taskSucceededEventDetails"]["output"],
        r#"{"meta":{"n":3},"rows":[1,2,3]}"#
    );
    assert_eq!(
        json["events"][5]["stateExitedEventDetails"]["output"],
        r#"{"count":3,"first":1}"#
    );
}

#[tokio::test]
async fn result_path_through_a_non_object_is_caught_as_result_path_match_failure() {
    let mut engine = Engine::new();
    engine.register("echo", echo());
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"echo","ResultPath":"$.s.inner","Next":"Ok",
             "Catch":[{"ErrorEquals":["States.ResultPathMatchFailure"],"ResultPath":"$.err","Next":"Caught"}]},
        "Ok":{"Type":"Succeed"},"Caught":{"Type":"Pass","End":true}}}"#;
    let ex = run(&engine, def, json!({"s": "text"})).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&ex)["err"]["Error"], "States.ResultPathMatchFailure");
}

#[tokio::test]
async fn branch_failed_catches_a_failing_map_iteration() {
    let mut engine = Engine::new();
    engine.register(
        "boom",
        handler(|_, _| {
            Err(TaskFailure {
                error: "Boom".into(),
                cause: "c".into(),
            })
        }),
    );
    let def = r#"{"StartAt":"M","States":{
        "M":{"Type":"Map","Next":"Ok","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"boom","End":true}}},
             "Catch":[{"ErrorEquals":["States.BranchFailed"],"Next":"Caught"}]},
        "Ok":{"Type":"Succeed"},"Caught":{"Type":"Pass","End":true}}}"#;
    let ex = run(&engine, def, json!([1, 2])).await;
    assert_eq!(output(&ex), json!({"Error": "Boom", "Cause": "c"}));
}

#[test]
fn owning_states_attributes_task_events_to_their_state() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let engine = registration_engine(true);
    let m = machine(include_str!("../data/registration.asl.json"));
    let ex = rt.block_on(engine.run(&m, json!({}), RunOptions::default()));
    let owners = daycare::workflow::owning_states(&ex.events);
    assert_eq!(owners[0], None);
    assert_eq!(owners[2].as_deref(), Some("Check Information"));
    assert_eq!(owners[4].as_deref(), Some("Check Information"));
    assert_eq!(owners[6].as_deref(), Some("Information Complete?"));
    assert_eq!(owners.last().unwrap(), &None);
}

#[tokio::test]
async fn choice_rules_may_carry_comments_and_an_empty_map_gives_an_empty_array() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Comment":"is it a list?","Variable":"$.items","IsPresent":true,"Next":"M"}],"Default":"Done"},
        "M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true},
        "Done":{"Type":"Succeed"}}}"#;
    let ex = run(&engine, def, json!({"items": []})).await;
    assert_eq!(output(&ex), json!([]));
    assert!(types(&ex).contains(&"MapStateSucceeded"));
    let ex = run(&engine, def, json!({"items": "not a list"})).await;
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
}

#[tokio::test]
async fn each_branch_chains_its_events_from_the_parallel_start() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"#;
    let ex = run(&engine, def, json!({})).await;
    let started = ex
        .events
        .iter()
        .find(|e| e.event_type.as_str() == "ParallelStateStarted")
        .unwrap();
    let entered: Vec<_> = ex
        .events
        .iter()
        .filter(|e| e.event_type.as_str() == "PassStateEntered")
        .collect();
    assert_eq!(entered.len(), 2);
    assert!(entered.iter().all(|e| e.previous_event_id == started.id));
    for e in &ex.events {
        assert!(e.previous_event_id < e.id, "event {} points forward", e.id);
    }
}

#[tokio::test(start_paused = true)]
async fn a_parallel_state_retries_all_its_branches() {
    let flaky = FailTimes::new(1, "Flaky");
    let mut engine = Engine::new();
    engine.register("flaky", flaky.clone());
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
        "Retry":[{"ErrorEquals":["States.BranchFailed"],"IntervalSeconds":2}],
        "Branches":[{"StartAt":"F","States":{"F":{"Type":"Task","Resource":"flaky","End":true}}}]}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(&engine, def, json!({"x": 1})).await;
    assert_eq!(output(&ex), json!([{"x": 1}]));
    assert_eq!(flaky.calls(), 2);
    assert_eq!(start.elapsed().as_secs(), 2);
    let t = types(&ex);
    assert_eq!(
        t.iter().filter(|x| **x == "ParallelStateStarted").count(),
        2
    );
    // The retried attempt is not a failed state, as AWS records it.
    assert_eq!(t.iter().filter(|x| **x == "ParallelStateFailed").count(), 0);
    assert_eq!(
        t.iter().filter(|x| **x == "ParallelStateSucceeded").count(),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn context_paths_read_the_context_object_in_fail_and_wait_fields() {
    let engine = Engine::new();
    // SecondsPath reads `$$.Execution.Input`, not the (different) state input.
    let def = r#"{"StartAt":"Shape","States":{
        "Shape":{"Type":"Pass","Result":{"s":99},"Next":"W"},
        "W":{"Type":"Wait","SecondsPath":"$$.Execution.Input.s","Next":"F"},
        "F":{"Type":"Fail","ErrorPath":"$$.State.Name","CausePath":"$$.Execution.Input.why"}}}"#;
    let start = tokio::time::Instant::now();
    let ex = run(
        &engine,
        def,
        json!({"s": 3, "why": "from the execution input"}),
    )
    .await;
    assert_eq!(start.elapsed().as_secs(), 3);
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("F"));
    assert_eq!(
        ex.summary.cause.as_deref(),
        Some("from the execution input")
    );
}

#[tokio::test]
async fn input_text_written_beforehand_is_the_history_s_input() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;
    let input = json!({"child": {"firstName": "Zoë"}, "days": ["Monday"]});
    let ex = engine
        .run(
            &machine(def),
            input.clone(),
            RunOptions {
                input_text: Some(input.to_string()),
                ..RunOptions::default()
            },
        )
        .await;
    assert_eq!(ex.summary.input, input.to_string());
    assert_eq!(
        ex.events[0].details.input.as_deref(),
        Some(input.to_string().as_str())
    );
    assert_eq!(output(&ex), input);
}

/// A text that is not the input's is a caller's mistake, caught in debug builds.
#[cfg(debug_assertions)]
#[tokio::test]
#[should_panic(expected = "RunOptions::input_text")]
async fn input_text_that_is_not_the_input_is_refused_in_debug_builds() {
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;
    Engine::new()
        .run(
            &machine(def),
            json!({"n": 1}),
            RunOptions {
                input_text: Some(r#"{"n":2}"#.into()),
                ..RunOptions::default()
            },
        )
        .await;
}

#[tokio::test]
async fn a_state_that_assigns_shows_its_variables_in_its_exited_event() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"name":"Awa","days.$":"$.days"},"Next":"B"},
        "B":{"Type":"Pass","End":true}}}"#;
    let ex = run(&engine, def, json!({"days": ["MON", "FRI"]})).await;
    let json = serde_json::to_value(&ex).unwrap();
    let exited = &json["events"][2];
    assert_eq!(exited["type"], "PassStateExited");
    assert_eq!(
        exited["stateExitedEventDetails"]["assignedVariables"],
        json!({"name": "\"Awa\"", "days": "[\"MON\",\"FRI\"]"})
    );
    assert_eq!(
        exited["stateExitedEventDetails"]["assignedVariablesDetails"],
        json!({"truncated": false})
    );
    // A state that assigns nothing shows no assignedVariables.
    let quiet = &json["events"][4]["stateExitedEventDetails"];
    assert!(quiet.get("assignedVariables").is_none(), "{quiet}");
    let back: daycare::workflow::Execution = serde_json::from_value(json).unwrap();
    assert_eq!(back, ex);
}

#[tokio::test]
async fn what_a_map_iteration_assigns_ends_with_it() {
    let engine = Engine::new();
    let def = r#"{"StartAt":"M","States":{
        "M":{"Type":"Map","ItemProcessor":{"StartAt":"Own","States":{
            "Own":{"Type":"Pass","Assign":{"mine.$":"$"},"End":true}}},"Next":"After"},
        "After":{"Type":"Pass","Parameters":{"mine.$":"$mine"},"End":true}}}"#;
    let ex = run(&engine, def, json!([1, 2])).await;
    assert_eq!(ex.summary.status, ExecutionStatus::Failed);
    assert_eq!(ex.summary.error.as_deref(), Some("States.Runtime"));
    assert!(
        ex.summary
            .cause
            .as_deref()
            .is_some_and(|c| c.contains("$mine")),
        "{:?}",
        ex.summary.cause
    );
}
