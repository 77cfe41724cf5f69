//! Golden executions: every folder under `fixtures/workflows/` holds a definition,
//! an input and the expected outcome (status, output or error/cause, event types),
//! or, for a definition that must be refused, the expected error lines.
//!
//! `GOLDEN_BLESS=1 cargo test --test workflow_golden` rewrites expected.json from
//! what the engine does now; review the diff before committing it.

mod workflow_support;

use std::fs;
use std::path::Path;

use daycare::workflow::{Engine, RunOptions, StateMachine, TaskFailure};
use serde_json::{Value, json};
use workflow_support::{Golden, echo, handler};

/// The handlers golden definitions may name.
fn engine() -> Engine {
    let mut engine = Engine::new();
    engine.register("echo", echo());
    engine.register(
        "hello",
        handler(|v, _| {
            Ok(json!(format!(
                "Hello, {}!",
                v["who"].as_str().unwrap_or("world")
            )))
        }),
    );
    engine.register(
        "add",
        handler(|v, _| {
            Ok(json!(
                v["val1"].as_f64().unwrap_or(0.0) + v["val2"].as_f64().unwrap_or(0.0)
            ))
        }),
    );
    engine.register(
        "raise",
        handler(|v, _| {
            Err(TaskFailure {
                error: v["error"].as_str().unwrap_or("Failed").to_owned(),
                cause: v["cause"].as_str().unwrap_or("").to_owned(),
            })
        }),
    );
    engine
}

fn read(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a fixture's expected.json holds, computed from a run or a refusal.
async fn outcome(dir: &Path) -> Value {
    let definition = fs::read_to_string(dir.join("definition.json")).unwrap();
    let machine = match StateMachine::parse(&definition) {
        Ok(m) => m,
        Err(errors) => {
            return json!({ "invalid": errors.iter().map(|e| e.to_string()).collect::<Vec<_>>() });
        }
    };
    let input = if dir.join("input.json").exists() {
        read(&dir.join("input.json"))
    } else {
        json!({})
    };
    let options = RunOptions {
        name: Some("golden".to_owned()),
        ..RunOptions::default()
    };
    let ex = engine().run(&machine, input, options).await;
    let mut out = json!({ "status": ex.summary.status.as_str() });
    if let Some(output) = &ex.summary.output {
        out["output"] = serde_json::from_str(output).unwrap();
    }
    if let Some(error) = &ex.summary.error {
        out["error"] = json!(error);
    }
    if let Some(cause) = &ex.summary.cause {
        out["cause"] = json!(cause);
    }
    out["events"] = ex
        .events
        .iter()
        .map(|e| json!(e.event_type.as_str()))
        .collect();
    out
}

#[tokio::test(start_paused = true)]
async fn golden_workflows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workflows");
    let mut dirs: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("definition.json").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 20,
        "expected the golden fixtures under {}",
        root.display()
    );
    let mut golden = Golden::new();
    for dir in &dirs {
        golden.check(dir, &outcome(dir).await);
    }
    golden.finish("golden");
}
