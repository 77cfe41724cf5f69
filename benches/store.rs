//! The store's hot paths: keeping a finished execution with its history, and reading
//! the newest page of executions (plain, by status, and the next page by cursor) from
//! a database of 200,000 executions.
//!
//! `cargo bench --bench store`.

use chrono::{Duration, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use daycare::store::{ExecutionFilter, Store};
use daycare::workflow::history::EventDetails;
use daycare::workflow::{EventType, Execution, ExecutionStatus, ExecutionSummary, HistoryEvent};

const DEFINITION: &str = daycare::registration::DEFINITION;

/// An execution shaped like a registration's: ~20 events repeating the same document.
fn execution(i: u64) -> Execution {
    let start = Utc::now() - Duration::seconds(1_000_000 - i as i64);
    let doc = format!(
        r#"{{"registration_info":{{"child":{{"firstName":"Child{i}","lastName":"Bench","dateOfBirth":"2023-01-01"}},"daysOfWeek":["Monday","Friday"]}}}}"#
    );
    let events = (1..=20u64)
        .map(|id| HistoryEvent {
            id,
            previous_event_id: id - 1,
            timestamp: start,
            event_type: if id == 1 {
                EventType::ExecutionStarted
            } else {
                EventType::TaskStateEntered
            },
            details: EventDetails {
                input: Some(doc.clone()),
                name: Some("Check Information".into()),
                ..EventDetails::default()
            },
        })
        .collect();
    Execution {
        summary: ExecutionSummary {
            execution_arn: format!("arn:aws:states:local:000000000000:execution:registration:e{i}"),
            state_machine_arn: "arn:aws:states:local:000000000000:stateMachine:registration".into(),
            name: format!("e{i}"),
            status: if i.is_multiple_of(3) {
                ExecutionStatus::Failed
            } else {
                ExecutionStatus::Succeeded
            },
            start_date: start,
            stop_date: Some(start),
            input: doc.clone(),
            output: Some(doc),
            error: None,
            cause: None,
        },
        events,
    }
}

fn keep(store: &mut Store, e: &Execution) {
    let mut running = e.summary.clone();
    running.status = ExecutionStatus::Running;
    store
        .begin_execution(&running, DEFINITION, Some("Child Bench"))
        .unwrap();
    store.finish_execution(e, Some(750)).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let shared = std::sync::Mutex::new(Store::open(&dir.path().join("bench.db")).unwrap());
    let batch = daycare::store::Batch::begin(&shared).unwrap();
    for i in 0..200_000 {
        keep(&mut shared.lock().unwrap(), &execution(i));
    }
    batch.commit().unwrap();
    let mut store = shared.into_inner().unwrap();

    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    let mut next = 1_000_000u64;
    group.bench_function("keep execution with history (own transactions)", |b| {
        b.iter(|| {
            next += 1;
            keep(&mut store, &execution(next));
        })
    });
    let all = ExecutionFilter::default();
    group.bench_function("newest 50 of 200k", |b| {
        b.iter(|| store.executions(&all, None, 50).unwrap())
    });
    let failed = ExecutionFilter {
        status: Some(ExecutionStatus::Failed),
        child: None,
    };
    group.bench_function("newest 50 FAILED of 200k", |b| {
        b.iter(|| store.executions(&failed, None, 50).unwrap())
    });
    let first = store.executions(&all, None, 50).unwrap();
    let cursor = first.next.unwrap();
    group.bench_function("next 50 by cursor", |b| {
        b.iter(|| store.executions(&all, Some(&cursor), 50).unwrap())
    });
    group.bench_function("counts", |b| b.iter(|| store.execution_counts().unwrap()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
