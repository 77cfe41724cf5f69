//! The parsing rules and the response numbering of mock configurations.

use serde_json::json;

use super::handler::MockHandler;
use super::*;
use crate::workflow::task::{TaskContext, TaskHandler};

fn config(responses: Value) -> Result<MockConfig, MockError> {
    MockConfig::parse(
        &json!({
            "StateMachines": {"M": {"TestCases": {"Happy": {"S": "R"}}}},
            "MockedResponses": {"R": responses},
        })
        .to_string(),
    )
}

fn response(value: Value) -> Result<MockedResponse, MockError> {
    MockedResponse::parse("R", &value)
}

fn ret(v: i64) -> Value {
    json!({"Return": v})
}

#[test]
fn single_numbers_and_inclusive_ranges_answer_in_order() {
    let r = response(json!({
        "0": {"Throw": {"Error": "E0", "Cause": "first"}},
        "1-2": {"Throw": {"Error": "E1", "Cause": "then twice"}},
        "3": ret(7),
    }))
    .unwrap();
    let errors: Vec<String> = (0..3)
        .map(|n| match r.answer(n) {
            Some(Answer::Throw(f)) => f.error.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(errors, ["E0", "E1", "E1"]);
    assert_eq!(r.answer(3), Some(&Answer::Return(json!(7))));
    assert_eq!(r.answer(4), None);
    assert_eq!(r.len(), 4);
}

#[test]
fn keys_are_read_in_number_order_whatever_their_order_in_the_file() {
    let r = response(json!({"2": ret(2), "0-1": ret(0)})).unwrap();
    assert_eq!(r.answer(1), Some(&Answer::Return(json!(0))));
    assert_eq!(r.answer(2), Some(&Answer::Return(json!(2))));
}

#[test]
fn malformed_keys_are_refused() {
    for key in [
        "", "a", "-1", "1-", "-", "2-1", " 0", "0 - 1", "1.5", "0-1-2",
    ] {
        let e = response(json!({ key: ret(1) })).unwrap_err();
        assert!(
            matches!(&e, MockError::Key { key: k, .. } if k == key),
            "{key:?}: {e}"
        );
    }
}

#[test]
fn invocations_start_at_zero_and_leave_no_gap() {
    let e = response(json!({"1": ret(1)})).unwrap_err();
    assert_eq!(
        e,
        MockError::Gap {
            response: "R".into(),
            missing: 0
        }
    );
    let e = response(json!({"0": ret(0), "2-3": ret(2)})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mocked response \"R\": no answer for invocation 1; invocations are numbered from 0 and must follow on without gaps"
    );
}

#[test]
fn overlapping_ranges_are_refused() {
    let e = response(json!({"0-2": ret(0), "2": ret(2)})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mocked response \"R\": \"2\" and \"0-2\" both cover invocation 2"
    );
    let e = response(json!({"0-3": ret(0), "1-2": ret(1)})).unwrap_err();
    assert!(matches!(e, MockError::Overlap { at: 1, .. }), "{e}");
}

#[test]
fn an_invocation_holds_exactly_one_of_return_and_throw() {
    let e = response(json!({"0": {"Return": 1, "Throw": {"Error": "E"}}})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mocked response \"R\", invocation \"0\": has both Return and Throw; give one of them"
    );
    let e = response(json!({"0": {"Retrun": 1}})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mocked response \"R\", invocation \"0\": needs a Return or a Throw (found \"Retrun\")"
    );
    let e = response(json!({"0": {"Return": 1, "Extra": 2}})).unwrap_err();
    assert!(
        e.to_string().contains("\"Extra\" is not a field here"),
        "{e}"
    );
    assert!(response(json!({})).is_err());
    assert!(response(json!([ret(1)])).is_err());
}

#[test]
fn a_return_of_null_is_a_result() {
    let r = response(json!({"0": {"Return": null}})).unwrap();
    assert_eq!(r.answer(0), Some(&Answer::Return(Value::Null)));
}

#[test]
fn a_throw_needs_a_string_error_and_takes_a_string_cause() {
    let r = response(json!({"0": {"Throw": {"Error": "States.Timeout"}}})).unwrap();
    assert_eq!(
        r.answer(0),
        Some(&Answer::Throw(Failure::new("States.Timeout", "")))
    );
    for bad in [
        json!({"Cause": "no error"}),
        json!({"Error": ""}),
        json!({"Error": 5}),
        json!({"Error": "E", "Cause": {"x": 1}}),
        json!({"Error": "E", "Message": "m"}),
        json!("E"),
    ] {
        let e = response(json!({"0": {"Throw": bad}})).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("mocked response \"R\", invocation \"0\", Throw"),
            "{e}"
        );
    }
}

#[test]
fn a_test_case_naming_an_undefined_response_is_refused() {
    let e = MockConfig::parse(
        &json!({
            "StateMachines": {"M": {"TestCases": {"Happy": {"S": "Missing"}}}},
            "MockedResponses": {"R": {"0": ret(1)}},
        })
        .to_string(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "state machine \"M\", test case \"Happy\": state \"S\" names the mocked response \"Missing\", which MockedResponses does not define (it defines \"R\")"
    );
}

#[test]
fn the_file_shape_is_checked() {
    assert!(matches!(MockConfig::parse("{"), Err(MockError::NotJson(_))));
    for (text, fragment) in [
        (json!([]), "(file): must be a JSON object"),
        (json!({"MockedResponses": {}}), "StateMachines: is missing"),
        (
            json!({"StateMachines": {}, "Mocks": {}}),
            "\"Mocks\" is not a field",
        ),
        (
            json!({"StateMachines": {"M": {}}}),
            "state machine \"M\": has no TestCases",
        ),
        (
            json!({"StateMachines": {"M": {"TestCases": {"C": {"S": 1}}}}}),
            "test case \"C\", state \"S\": must name a mocked response as a string",
        ),
    ] {
        let e = MockConfig::parse(&text.to_string()).unwrap_err();
        assert!(e.to_string().contains(fragment), "{e}");
    }
}

#[test]
fn the_machine_is_the_one_named_else_the_only_one() {
    let c = config(json!({"0": ret(1)})).unwrap();
    assert_eq!(c.pick_machine("M").unwrap(), "M");
    assert_eq!(c.pick_machine("other").unwrap(), "M");
    let two = MockConfig::parse(
        &json!({"StateMachines": {"A": {"TestCases": {}}, "B": {"TestCases": {}}}}).to_string(),
    )
    .unwrap();
    assert_eq!(two.pick_machine("B").unwrap(), "B");
    assert_eq!(
        two.pick_machine("C").unwrap_err().to_string(),
        "no state machine \"C\" in StateMachines; it has \"A\", \"B\""
    );
    assert_eq!(
        c.test_case("M", "Sad").unwrap_err().to_string(),
        "state machine \"M\" has no test case \"Sad\"; it has \"Happy\""
    );
}

const DEFINITION: &str = r#"{
    "StartAt": "S",
    "States": {
        "S": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
            "StartAt": "Inner", "States": {"Inner": {"Type": "Task", "Resource": "g", "End": true}}
        }, "End": true}
    }
}"#;

fn definition() -> StateMachine {
    StateMachine::parse(DEFINITION).unwrap()
}

#[test]
fn every_task_state_nested_ones_included_needs_a_mock() {
    let c = config(json!({"0": ret(1)})).unwrap();
    let case = c.test_case("M", "Happy").unwrap();
    assert_eq!(
        case.check(&definition()).unwrap_err().to_string(),
        "test case \"Happy\" mocks no response for Task state \"Inner\"; a mocked run calls no real task, so every Task state needs one (add \"Inner\": \"RESPONSE\" to the test case)"
    );
}

#[test]
fn a_mock_for_a_state_that_is_no_task_is_refused() {
    let c = MockConfig::parse(
        &json!({
            "StateMachines": {"M": {"TestCases": {"C": {"S": "R", "Inner": "R", "Each": "R"}}}},
            "MockedResponses": {"R": {"0": ret(1)}},
        })
        .to_string(),
    )
    .unwrap();
    let e = c
        .test_case("M", "C")
        .unwrap()
        .check(&definition())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "test case \"C\" mocks state \"Each\", which is no Task state of this definition; its Task states are \"S\", \"Inner\""
    );
}

fn context(state: &str, retry_count: u32) -> TaskContext {
    TaskContext {
        execution_name: "x".into(),
        execution_arn: "arn".into(),
        state_name: state.into(),
        retry_count,
    }
}

#[tokio::test]
async fn each_state_counts_its_own_invocations_and_runs_out() {
    let c = MockConfig::parse(
        &json!({
            "StateMachines": {"M": {"TestCases": {"C": {"S": "R", "Inner": "R"}}}},
            "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1": ret(2)}},
        })
        .to_string(),
    )
    .unwrap();
    let case = c.test_case("M", "C").unwrap();
    let handler = MockHandler::new(case.name.clone(), case.states.clone());
    let first = handler.invoke(json!({}), context("S", 0)).await;
    assert_eq!(first, Err(Failure::new("E", "c")));
    // Another state's count starts at 0 too.
    let inner = handler.invoke(json!({}), context("Inner", 0)).await;
    assert_eq!(inner, Err(Failure::new("E", "c")));
    assert_eq!(
        handler.invoke(json!({}), context("S", 1)).await,
        Ok(json!(2))
    );
    let out = handler
        .invoke(json!({}), context("S", 2))
        .await
        .unwrap_err();
    assert_eq!(out.error, "States.Runtime");
    assert!(
        out.cause.contains("'S' was invoked 3 times") && out.cause.contains("answers 2"),
        "{}",
        out.cause
    );
}

#[tokio::test]
async fn a_mocked_engine_runs_the_definition_with_no_other_handler() {
    let c = MockConfig::parse(
        &json!({
            "StateMachines": {"M": {"TestCases": {"C": {"S": "First", "Inner": "Each"}}}},
            "MockedResponses": {
                "First": {"0": {"Return": {"items": [1, 2, 3]}}},
                "Each": {"0-1": ret(10), "2": ret(30)},
            },
        })
        .to_string(),
    )
    .unwrap();
    let machine = definition();
    let case = c.test_case("M", "C").unwrap();
    case.check(&machine).unwrap();
    let engine = case.engine(&machine);
    engine.check(&machine).unwrap();
    let ex = engine
        .run(&machine, json!({}), crate::workflow::RunOptions::default())
        .await;
    assert_eq!(ex.summary.status.as_str(), "SUCCEEDED", "{:?}", ex.summary);
    let mut output: Vec<i64> =
        serde_json::from_str(ex.summary.output.as_deref().unwrap_or("[]")).unwrap();
    output.sort_unstable();
    assert_eq!(output, [10, 10, 30]);
}
