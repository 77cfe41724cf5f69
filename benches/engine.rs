//! Engine throughput: the four-step registration definition run end to end with
//! in-memory handlers that keep the tutorial's Lambda contract (`statusCode` and a
//! JSON-encoded `body`), history recorded. One current-thread runtime: one core.
//!
//! `cargo bench --bench engine`; executions per second = 1 / time per iteration.

use std::sync::Arc;

use async_trait::async_trait;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use daycare::workflow::{Engine, RunOptions, StateMachine, TaskContext, TaskFailure, TaskHandler};
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

fn failure(cause: &str) -> TaskFailure {
    TaskFailure {
        error: "BadInput".to_owned(),
        cause: cause.to_owned(),
    }
}

fn decode(input: &Value) -> Result<Value, TaskFailure> {
    let body = input["body"].as_str().ok_or_else(|| failure("no body"))?;
    serde_json::from_str(body).map_err(|e| failure(&e.to_string()))
}

fn ok(doc: &Value) -> Value {
    json!({"statusCode": 200, "body": serde_json::to_string(doc).unwrap_or_default()})
}

#[async_trait]
impl TaskHandler for Fake {
    async fn invoke(&self, input: Value, _: TaskContext) -> Result<Value, TaskFailure> {
        match self.0 {
            Step::Check => Ok(ok(&input["registration_info"])),
            Step::Age => {
                let mut doc = decode(&input)?;
                doc["child"]["age"] = json!(4);
                Ok(ok(&doc))
            }
            Step::Spots => Ok(ok(&decode(&input)?)),
            Step::Confirm => {
                let mut doc = decode(&input)?;
                doc["fees"] = json!(700);
                doc["start_date"] = json!("2026-12-08");
                Ok(ok(&doc))
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

fn input() -> Value {
    json!({"registration_info": {
        "child": {"firstName": "Mohamed", "lastName": "Diallo", "dateOfBirth": "2022-07-01"},
        "parents": {
            "mother": {"firstName": "Aicha", "lastName": "Cisse", "email": "aicha@example.com", "phone": "123-456-7890"},
            "father": {"firstName": "Ibrahim", "lastName": "Diallo", "email": "ibrahim@example.com", "phone": "098-765-4321"}
        },
        "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "specialInstructions": "Mohamed has a peanut allergy."
    }})
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
            ex
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
