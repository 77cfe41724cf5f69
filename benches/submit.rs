//! Registrations submitted end to end through the Desk: the four real handlers, the
//! engine, and the store keeping each execution with its full history. One at a time as
//! the console submits them (own transactions), and many at once as `daycare submit` of
//! JSON Lines does (`Desk::submit_many`, short batches). On a file (WAL).
//!
//! `cargo bench --bench submit`; registrations per second = elements / time.

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use daycare::registration::samples::Samples;
use daycare::registration::{Clock, Desk};
use daycare::store::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default()
}

/// Registrations per bulk iteration.
const BULK: usize = 2_000;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let desk = Desk::open(&path, Clock::pinned(today())).unwrap();
    // Room for everyone, so most registrations go all the way to confirmation.
    Store::open(&path)
        .unwrap()
        .set_capacity(None, 100_000_000, "bench")
        .unwrap();
    let mut samples = Samples::new(42, today());

    let mut group = c.benchmark_group("submit");
    group.throughput(Throughput::Elements(1));
    group.bench_function("registration, one at a time (file)", |b| {
        b.iter(|| {
            let doc = samples.next().unwrap();
            rt.block_on(desk.submit(doc, None)).unwrap()
        })
    });
    group.throughput(Throughput::Elements(BULK as u64));
    group.sample_size(20);
    group.bench_function(format!("{BULK} registrations, submit_many (file)"), |b| {
        b.iter_batched(
            || samples.by_ref().take(BULK).collect::<Vec<_>>(),
            |docs| {
                let input = docs.into_iter().map(|doc| ((), Some(doc)));
                desk.submit_many(input).unwrap().for_each(|r| {
                    r.unwrap();
                })
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
