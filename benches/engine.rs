//! Engine throughput: the four-step registration definition run end to end with
//! in-memory handlers that keep the tutorial's Lambda contract (`statusCode` and a
//! JSON-encoded `body`), history recorded. One current-thread runtime: one core.
//!
//! `cargo bench --bench engine`; executions per second = 1 / time per iteration.

use std::sync::Arc;

use async_trait::async_trait;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use daycare::workflow::{Engine, RunOptions, StateMachine, TaskContext, TaskFailure, TaskHandler};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Which of the tutorial's four functions a handler plays.
#[derive(Clone, Copy)]
enum Step {
    Check,
    Age,
    Spots,
    Confirm,
}

struct Fake(Step);

/// The registration document the handlers pass along, decoded as a typed
/// Lambda function would decode it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Registration {
    child: Child,
    parents: Parents,
    days_of_week: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    special_instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fees: Option<u32>,
    #[serde(
        default,
        rename = "start_date",
        skip_serializing_if = "Option::is_none"
    )]
    start_date: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Child {
    first_name: String,
    last_name: String,
    date_of_birth: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    age: Option<u32>,
}

#[derive(Serialize, Deserialize)]
struct Parents {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mother: Option<Parent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    father: Option<Parent>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parent {
    first_name: String,
    last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

fn failure(cause: &str) -> TaskFailure {
    TaskFailure {
        error: "BadInput".to_owned(),
        cause: cause.to_owned(),
    }
}

fn decode(input: &Value) -> Result<Registration, TaskFailure> {
    let body = input["body"].as_str().ok_or_else(|| failure("no body"))?;
    serde_json::from_str(body).map_err(|e| failure(&e.to_string()))
}

fn ok(doc: &Registration) -> Result<Value, TaskFailure> {
    let body = serde_json::to_string(doc).map_err(|e| failure(&e.to_string()))?;
    Ok(json!({"statusCode": 200, "body": body}))
}

#[async_trait]
impl TaskHandler for Fake {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        match self.0 {
            Step::Check => {
                let doc = Registration::deserialize(&input["registration_info"])
                    .map_err(|e| failure(&e.to_string()))?;
                ok(&doc)
            }
            Step::Age => {
                let mut doc = decode(&input)?;
                doc.child.age = Some(4);
                ok(&doc)
            }
            Step::Spots => ok(&decode(&input)?),
            Step::Confirm => {
                let mut doc = decode(&input)?;
                doc.fees = Some(700);
                doc.start_date = Some("2026-12-08".to_owned());
                ok(&doc)
            }
        }
    }
}

fn engine() -> Engine {
    let mut engine = Engine::new();
    for (name, step) in [
        ("checkInformation", Step::Check),
        ("checkAgeRange", Step::Age),
        ("checkSpotsAvailability", Step::Spots),
        ("confirmRegistration", Step::Confirm),
    ] {
        engine.register(name, Arc::new(Fake(step)));
    }
    engine
}

/// A four-year-old's registration (the tutorial's shape, in the age range).
fn input() -> Value {
    let text = include_str!("../fixtures/registrations/age-4.json");
    serde_json::from_str(text).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let machine = match StateMachine::parse(include_str!("../data/registration.asl.json")) {
        Ok(m) => m,
        Err(e) => panic!("registration definition is invalid: {e:?}"),
    };
    let engine = engine();
    let input = input();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("no runtime: {e}"),
    };
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    group.bench_function("registration_execution", |b| {
        b.to_async(&rt).iter(|| async {
            let ex = engine
                .run(&machine, input.clone(), RunOptions::default())
                .await;
            assert_eq!(ex.events.len(), 32);
            debug_assert!(
                ex.summary
                    .output
                    .as_deref()
                    .is_some_and(|o| o.contains("fees"))
            );
            ex
        })
    });
    let jsonata = match StateMachine::parse(include_str!(
        "../fixtures/definitions/registration-jsonata.asl.json"
    )) {
        Ok(m) => m,
        Err(e) => panic!("the JSONata registration definition is invalid: {e:?}"),
    };
    // The same workflow with its Choice rules and Causes written in JSONata.
    group.bench_function("registration_execution_jsonata", |b| {
        b.to_async(&rt).iter(|| async {
            let ex = engine
                .run(&jsonata, input.clone(), RunOptions::default())
                .await;
            assert_eq!(ex.events.len(), 32);
            ex
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
