use async_trait::async_trait;
use daycare::workflow::{Engine, RunOptions, StateMachine, TaskContext, TaskFailure, TaskHandler};
use serde_json::{Value, json};
use std::sync::Arc;
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

fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}
#[test]
#[ignore]
fn probe() {
    let machine = StateMachine::parse(include_str!("../data/registration.asl.json")).unwrap();
    let engine = engine();
    let input = input();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for _ in 0..20000 {
            engine
                .run(&machine, input.clone(), RunOptions::default())
                .await;
        }
        let n = 200_000u64;
        let c0 = cpu_ns();
        let w0 = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(
                engine
                    .run(&machine, input.clone(), RunOptions::default())
                    .await,
            );
        }
        let c = cpu_ns() - c0;
        let w = w0.elapsed();
        println!(
            "PROBE cpu {:.2} us/exec = {:.0} exec/s per cpu-second; wall {:.0} exec/s",
            c as f64 / n as f64 / 1000.0,
            n as f64 / (c as f64 / 1e9),
            n as f64 / w.as_secs_f64()
        );
    });
}
