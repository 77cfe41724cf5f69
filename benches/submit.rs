//! Registrations submitted end to end through the Desk: the four real handlers, the
//! engine, and the store keeping each execution with its full history, one transaction
//! per step as `daycare submit` does. On a file (WAL) and in memory.
//!
//! `cargo bench --bench submit`; registrations per second = 1 / time per iteration.

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use daycare::registration::samples::Samples;
use daycare::registration::{Clock, Desk};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("submit");
    group.throughput(Throughput::Elements(1));
    for (label, desk) in [
        (
            "file",
            Desk::open(&dir.path().join("bench.db"), Clock::pinned(today())).unwrap(),
        ),
        ("memory", Desk::in_memory(Clock::pinned(today())).unwrap()),
    ] {
        // Room for everyone, so most registrations go all the way to confirmation.
        desk.store()
            .lock()
            .unwrap()
            .set_capacity(None, 10_000_000)
            .unwrap();
        let mut samples = Samples::new(42, today());
        group.bench_function(format!("registration ({label})"), |b| {
            b.iter(|| {
                let doc = samples.next().unwrap();
                rt.block_on(desk.submit(doc, None)).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
