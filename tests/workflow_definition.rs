//! Definition validation: every problem reported, each naming its state and field.

use daycare::workflow::{StateKind, StateMachine};

fn errors(json: &str) -> Vec<String> {
    match StateMachine::parse(json) {
        Ok(_) => panic!("definition should be refused"),
        Err(list) => list.iter().map(|e| e.to_string()).collect(),
    }
}

fn has(list: &[String], needle: &str) -> bool {
    list.iter().any(|e| e.contains(needle))
}

#[test]
fn the_registration_workflow_parses_with_its_states_in_order() {
    let m = StateMachine::parse(include_str!("../data/registration.asl.json")).unwrap();
    assert_eq!(m.start_at(), "Check Information");
    let states = m.states();
    assert_eq!(states.len(), 13);
    assert_eq!(states[0].kind, StateKind::Task);
    assert_eq!(states[1].kind, StateKind::Choice);
    assert_eq!(states[1].transitions.len(), 3);
    assert!(
        states
            .iter()
            .find(|s| s.name == "Registered")
            .unwrap()
            .terminal
    );
    assert_eq!(m.resources().len(), 4);
    assert!(m.comment().unwrap().starts_with("Daycare"));
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let list = errors(
        r#"{"StartAt":"A","States":{
            "A":{"Type":"Task","Resource":"x","Next":"Missing","Bogus":1},
            "B":{"Type":"Pass","End":true},
            "C":{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"Nowhere"}],"Next":"A"}}}"#,
    );
    assert!(
        has(&list, r#"state "A", Next: names "Missing""#),
        "{list:?}"
    );
    assert!(
        has(&list, r#"state "A", Bogus: is not a field of a Task state"#),
        "{list:?}"
    );
    assert!(has(&list, r#"state "B", (unreachable)"#), "{list:?}");
    assert!(
        has(&list, r#"state "C", Choices[0].Next: names "Nowhere""#),
        "{list:?}"
    );
    assert!(
        has(&list, r#"state "C", Next: a Choice state takes no Next"#),
        "{list:?}"
    );
}

#[test]
fn start_at_must_exist_and_next_xor_end() {
    let list = errors(
        r#"{"StartAt":"Z","States":{"A":{"Type":"Pass"},"B":{"Type":"Pass","Next":"A","End":true}}}"#,
    );
    assert!(has(&list, "StartAt: names \"Z\""), "{list:?}");
    assert!(has(&list, r#"state "A", Next: is required"#), "{list:?}");
    assert!(
        has(
            &list,
            r#"state "B", Next: cannot be given together with End"#
        ),
        "{list:?}"
    );
}

#[test]
fn jsonata_fields_are_refused_in_the_other_language_and_distributed_map_clearly() {
    let list = errors(
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a","End":true}}}"#,
    );
    assert!(has(&list, "InputPath: belongs to JSONPath"), "{list:?}");
    let list =
        errors(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% 1 %}","End":true}}}"#);
    assert!(has(&list, "Output: belongs to JSONata"), "{list:?}");
    let list = errors(
        r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemReader":{},
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}"#,
    );
    assert!(
        has(
            &list,
            "ItemProcessor.ProcessorConfig.Mode: distributed Map is not supported"
        ),
        "{list:?}"
    );
    assert!(
        has(&list, "ItemReader: belongs to distributed Map"),
        "{list:?}"
    );
}

#[test]
fn error_names_are_checked_and_states_all_comes_last_and_alone() {
    let list = errors(
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"x","End":true,
        "Retry":[{"ErrorEquals":["States.ALL","Custom"]},{"ErrorEquals":["States.Tiemout"]}],
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"},{"ErrorEquals":["X"],"Next":"T"}]}}}"#,
    );
    assert!(
        has(
            &list,
            "Retry[0].ErrorEquals: States.ALL must be the only name"
        ),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            "Retry[0].ErrorEquals: States.ALL must be in the last"
        ),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            r#"Retry[1].ErrorEquals: "States.Tiemout" is not one of AWS's"#
        ),
        "{list:?}"
    );
    assert!(
        has(
            &list,
            "Catch[0].ErrorEquals: States.ALL must be in the last"
        ),
        "{list:?}"
    );
}

#[test]
fn nested_machines_are_validated_with_their_path() {
    let list = errors(
        r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"In","States":{"In":{"Type":"Pass","Next":"Gone"}}},
            {"States":{"X":{"Type":"Succeed"}}}]}}}"#,
    );
    assert!(
        has(&list, r#"state "P/In", Next: names "Gone""#),
        "{list:?}"
    );
    assert!(
        has(&list, r#"state "P", Branches[1].StartAt: is required"#),
        "{list:?}"
    );
}

#[test]
fn bad_paths_and_fields_are_named() {
    let list = errors(
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"no-dollar","ResultPath":"$.a[*]",
        "Parameters":{"x.$":"bad path"},"End":true},
        "W":{"Type":"Wait","Seconds":1,"Timestamp":"2020-01-01T00:00:00Z","Next":"A"}}}"#,
    );
    assert!(has(&list, r#"state "A", InputPath:"#), "{list:?}");
    assert!(has(&list, r#"state "A", ResultPath:"#), "{list:?}");
    assert!(has(&list, r#"state "A", Parameters:"#), "{list:?}");
    assert!(
        has(
            &list,
            r#"state "W", Timestamp: give only one of Seconds, Timestamp"#
        ),
        "{list:?}"
    );
}

#[test]
fn top_level_comment_version_and_timeout_are_accepted() {
    let m = StateMachine::parse(
        r#"{"Comment":"c","Version":"1.0","TimeoutSeconds":30,"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
    )
    .unwrap();
    assert_eq!(m.timeout_seconds(), Some(30));
    let list = errors(r#"{"StartAt":"A","Extra":1,"States":{"A":{"Type":"Pass","End":true}}}"#);
    assert!(
        has(&list, "Extra: is not a field of a state machine"),
        "{list:?}"
    );
}

#[test]
fn not_json_is_one_clear_error() {
    let list = errors("{ nope");
    assert_eq!(list.len(), 1);
    assert!(list[0].contains("is not valid JSON"));
}

#[test]
fn a_result_path_into_the_context_object_is_refused() {
    let list = errors(
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","ResultPath":"$$.Execution.x","End":true}}}"#,
    );
    assert!(has(&list, "state \"P\", ResultPath"), "{list:?}");
    assert!(has(&list, "read-only"), "{list:?}");
}
