//! Fuzzing workflow definitions: random machines (states, fields, paths, rules) and
//! mutations of the golden fixtures, for a bounded number of cases. Each is validated
//! and, when valid, run on the built-in handlers over a scratch database. Nothing may
//! panic; every refusal names a state or a field; what the CLI would print has no line
//! over 2,000 characters and no control character. A sample also goes through the real
//! binary, whose stdout and stderr are held to the same rules.

mod cli_support;

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use daycare::registration::{Clock, Desk};
use daycare::workflow::{
    DefinitionError, Engine, Execution, ExecutionStatus, RunOptions, StateMachine,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

const MAX_LINE: usize = 2_000;

/// How many generated definitions were valid and ran (the generator must reach the engine).
static RAN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

// ---------------------------------------------------------------------------------
// Generation

/// State names: plain, odd Unicode, control characters, and one far too long.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-E]".prop_map(String::from),
        1 => Just("Ünïcødé ✓".to_owned()),
        1 => Just("\u{1b}]0;T\u{7}\u{1b}[2J\u{9b}\u{202e}".to_owned()),
        1 => Just("N".repeat(3_000)),
    ]
}

fn path() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("$")),
        Just(json!("$.a")),
        Just(json!("$.a.b")),
        Just(json!("$.list[0]")),
        Just(json!("$.list[*]")),
        Just(json!("$$.Execution.Input")),
        Just(json!("$$.Map.Item.Value")),
        Just(json!("$..a")),
        Just(json!("not a path")),
        Just(json!("$.".to_owned() + &"x".repeat(5_000))),
        Just(Value::Null),
        Just(json!(7)),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..100).prop_map(|n| json!(n)),
        "[a-z*\\\\]{0,6}".prop_map(Value::String),
        Just(json!("2026-09-01T00:00:00Z")),
        Just(json!("x".repeat(4_000))),
    ]
}

fn template() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop_oneof![
                "[a-c]".prop_map(String::from),
                "[a-c]".prop_map(|k| k + ".$"),
            ],
            prop_oneof![
                path(),
                scalar(),
                Just(json!("States.Format('{}-{}', $.a, $.b)")),
                Just(json!("States.ArrayRange(1, 5, 1)")),
                Just(json!("States.StringToJson($.a)")),
                Just(json!("States.Nope(1)")),
            ],
        ),
        0..4,
    )
    .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
}

fn rule() -> impl Strategy<Value = Value> {
    let op = prop_oneof![
        Just("StringEquals"),
        Just("StringMatches"),
        Just("NumericLessThan"),
        Just("NumericEqualsPath"),
        Just("BooleanEquals"),
        Just("TimestampEquals"),
        Just("IsPresent"),
        Just("IsNull"),
        Just("NoSuchOperator"),
    ];
    (path(), op, scalar(), name()).prop_map(|(variable, op, value, next)| {
        let mut r = Map::new();
        r.insert("Variable".into(), variable);
        r.insert(op.into(), value);
        r.insert("Next".into(), json!(next));
        Value::Object(r)
    })
}

const TYPES: [&str; 9] = [
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Bogus",
];

const RESOURCES: [&str; 4] = [
    "arn:aws:lambda:us-east-1:123456789012:function:checkInformation",
    "checkAgeRange",
    "arn:aws:lambda:us-east-1:1:function:nope",
    "arn:aws:states:::dynamodb:putItem",
];

/// One state's fields; `inner` is a machine for Parallel branches and Map processors.
fn state(inner: Value) -> impl Strategy<Value = Value> {
    (
        0..TYPES.len(),
        prop::option::of(name()),
        any::<bool>(),
        prop::collection::vec(
            (
                prop_oneof![
                    Just("InputPath"),
                    Just("OutputPath"),
                    Just("ResultPath"),
                    Just("ItemsPath"),
                    Just("SecondsPath"),
                    Just("CausePath"),
                ],
                path(),
            ),
            0..3,
        ),
        prop::option::of(template()),
        prop::collection::vec(rule(), 0..3),
        (0..RESOURCES.len(), prop::option::of(0u64..3)),
        prop::option::of(scalar()),
    )
        .prop_map(
            move |(kind, next, end, paths, params, rules, (resource, timeout), extra)| {
                let kind = TYPES[kind];
                let mut s = Map::new();
                s.insert("Type".into(), json!(kind));
                if let Some(next) = next {
                    s.insert("Next".into(), json!(next));
                }
                if end {
                    s.insert("End".into(), json!(true));
                }
                for (field, value) in paths {
                    s.insert(field.into(), value);
                }
                if let Some(params) = params {
                    s.insert("Parameters".into(), params);
                }
                match kind {
                    "Choice" => {
                        s.insert("Choices".into(), Value::Array(rules));
                    }
                    "Task" => {
                        s.insert("Resource".into(), json!(RESOURCES[resource]));
                        if let Some(t) = timeout {
                            s.insert("TimeoutSeconds".into(), json!(t));
                        }
                        s.insert(
                            "Retry".into(),
                            json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}]),
                        );
                    }
                    "Wait" => {
                        s.insert("Seconds".into(), json!(timeout.unwrap_or(0)));
                    }
                    "Parallel" => {
                        s.insert("Branches".into(), json!([inner.clone()]));
                    }
                    "Map" => {
                        s.insert("ItemProcessor".into(), inner.clone());
                    }
                    _ => {}
                }
                if let Some(extra) = extra {
                    s.insert("Unexpected".into(), extra);
                }
                Value::Object(s)
            },
        )
}

fn machine_with(inner: Value) -> impl Strategy<Value = Value> {
    (
        name(),
        prop::collection::vec((name(), state(inner)), 1..6),
        prop::option::of(0u64..3),
    )
        .prop_map(|(start, states, timeout)| {
            let mut m = Map::new();
            m.insert("StartAt".into(), json!(start));
            m.insert("States".into(), Value::Object(states.into_iter().collect()));
            if let Some(t) = timeout {
                m.insert("TimeoutSeconds".into(), json!(t));
            }
            Value::Object(m)
        })
}

/// A machine of up to two levels.
fn machine() -> impl Strategy<Value = Value> {
    let leaf = json!({"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}});
    machine_with(leaf).prop_flat_map(machine_with)
}

fn fixtures() -> &'static [Value] {
    static FIXTURES: OnceLock<Vec<Value>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workflows");
        let mut out: Vec<Value> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.path().join("definition.json"))
            .filter(|p| p.exists())
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect();
        out.push(
            serde_json::from_str(
                &std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/registration.asl.json"),
                )
                .unwrap(),
            )
            .unwrap(),
        );
        out
    })
}

/// Changes the `pick`th field of a document (depth first): replaced, or deleted.
fn mutate(doc: &mut Value, pick: usize, replacement: &Value, delete: bool) -> bool {
    fn walk(v: &mut Value, pick: &mut usize, replacement: &Value, delete: bool) -> bool {
        match v {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                for k in keys {
                    if *pick == 0 {
                        if delete {
                            map.remove(&k);
                        } else {
                            map.insert(k, replacement.clone());
                        }
                        return true;
                    }
                    *pick -= 1;
                    if let Some(child) = map.get_mut(&k)
                        && walk(child, pick, replacement, delete)
                    {
                        return true;
                    }
                }
                false
            }
            Value::Array(items) => items
                .iter_mut()
                .any(|child| walk(child, pick, replacement, delete)),
            _ => false,
        }
    }
    walk(doc, &mut { pick }, replacement, delete)
}

fn mutated_fixture() -> impl Strategy<Value = Value> {
    (
        0..fixtures().len(),
        prop::collection::vec(
            (
                0usize..200,
                prop_oneof![scalar(), path(), name().prop_map(Value::String)],
                any::<bool>(),
            ),
            1..4,
        ),
    )
        .prop_map(|(i, changes)| {
            let mut doc = fixtures()[i].clone();
            for (pick, replacement, delete) in changes {
                mutate(&mut doc, pick, &replacement, delete);
            }
            doc
        })
}

fn definition() -> impl Strategy<Value = Value> {
    prop_oneof![machine(), mutated_fixture()]
}

// ---------------------------------------------------------------------------------
// Checking

fn clock() -> Clock {
    Clock::pinned(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap())
}

/// A line as the CLI prints it: cleaned by the one sanitiser.
fn printed(line: &str) -> String {
    daycare::text::clean(line)
}

fn check_line(line: &str) -> Result<(), TestCaseError> {
    let count = line.chars().count();
    prop_assert!(
        count <= MAX_LINE,
        "a line of {} characters: {}…",
        count,
        line.chars().take(200).collect::<String>()
    );
    prop_assert!(
        !line
            .chars()
            .any(|c| c.is_control() || daycare::text::is_unsafe(c)),
        "a control character in {:?}",
        line
    );
    Ok(())
}

fn check_refusals(problems: &[DefinitionError]) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty(), "refused with no problem");
    for p in problems {
        prop_assert!(
            !p.states.is_empty() || !p.field.is_empty(),
            "a problem that names neither a state nor a field: {}",
            p
        );
        check_line(&printed(&format!("definition.json: {p}")))?;
    }
    Ok(())
}

fn check_execution(ex: &Execution) -> Result<(), TestCaseError> {
    if ex.summary.status != ExecutionStatus::Succeeded {
        // A failure says what went wrong, unless a Fail state without an Error chose so,
        // and then the history names that state.
        let error = ex.summary.error.as_deref().unwrap_or("");
        let fail_state = ex
            .events
            .iter()
            .any(|e| e.event_type.as_str() == "FailStateEntered");
        prop_assert!(
            !error.is_empty() || fail_state,
            "a failure with no error name: {:?}",
            ex.summary.cause
        );
        let cause = ex.summary.cause.as_deref().unwrap_or("");
        prop_assert!(
            cause.chars().count() <= MAX_LINE,
            "a cause of {} characters",
            cause.chars().count()
        );
    }
    prop_assert!(ex.events.len() <= 25_000);
    Ok(())
}

fn check(doc: &Value, engine: &Engine, rt: &tokio::runtime::Runtime) -> Result<(), TestCaseError> {
    let text = doc.to_string();
    let machine = match StateMachine::parse(&text).and_then(|m| engine.check(&m).map(|()| m)) {
        Ok(m) => m,
        Err(problems) => return check_refusals(&problems),
    };
    let input = json!({"a": "{\"b\": 1}", "b": 2, "list": [1, 2, 3]});
    let ex = rt.block_on(engine.run(&machine, input, RunOptions::default()));
    RAN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    check_execution(&ex)
}

#[test]
fn random_definitions_validate_and_run_within_the_rules() {
    let desk = Desk::in_memory(clock()).unwrap();
    // Paused time: Waits, retries and timeouts pass at once.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 1_000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&definition(), |doc| check(&doc, desk.engine(), &rt))
        .unwrap();
    let ran = RAN.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{ran} of 1,000 definitions were valid and ran");
    assert!(
        ran >= 100,
        "only {ran} of 1,000 definitions reached the engine"
    );
}

/// The real binary on a sample: what reaches stdout and stderr obeys the same rules.
#[test]
fn the_binary_prints_no_control_character_and_no_long_line() {
    let db = cli_support::Db::new();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let file = db.dir.path().join("definition.json");
    runner
        .run(&definition(), |doc| {
            std::fs::write(&file, doc.to_string()).unwrap();
            let file = file.to_str().unwrap();
            for args in [
                vec!["workflow", "validate", file],
                vec!["workflow", "run", file, "--json"],
            ] {
                let (code, out, err) = db.run(&args);
                prop_assert!((0..=2).contains(&code), "exit {}: {}", code, err);
                for line in err.lines() {
                    check_line(line)?;
                }
                // stdout of `run` is one JSON document: escapes only, nothing raw.
                prop_assert!(
                    !out.chars()
                        .any(|c| c != '\n' && (c.is_control() || daycare::text::is_unsafe(c))),
                    "a control character on stdout"
                );
            }
            Ok(())
        })
        .unwrap();
}
