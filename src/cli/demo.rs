//! `daycare demo --executions N`: fills a database with N executions of seeded sample
//! registrations through the real workflow, withdrawing some children now and then so
//! spots free up. Several executions run at once (one per core), sharing one transaction
//! per batch; progress goes to stderr.

use std::time::Instant;

use tokio::task::JoinSet;

use super::{CliError, Context, Outcome};
use crate::registration::samples::Samples;
use crate::registration::{DeskError, Outcome as Registered};

/// Executions per transaction.
const BATCH: u64 = 2_000;

#[derive(Default)]
struct Tally {
    succeeded: u64,
    failed: u64,
}

impl Tally {
    fn add(
        &mut self,
        joined: Result<Result<Registered, DeskError>, tokio::task::JoinError>,
    ) -> Result<(), CliError> {
        let outcome = joined.map_err(|e| CliError::Usage(format!("a demo run stopped: {e}")))??;
        if outcome.succeeded() {
            self.succeeded += 1;
        } else {
            self.failed += 1;
        }
        Ok(())
    }
}

pub fn run(ctx: &Context, executions: u64, seed: u64) -> Result<Outcome, CliError> {
    let desk = ctx.desk()?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_time()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the workflow runtime: {e}")))?;
    let started = Instant::now();
    let mut samples = Samples::new(seed, desk.clock().today());
    let mut tally = Tally::default();
    let in_flight = workers * 4;
    let store = desk.store().clone();
    let lock = || {
        store
            .lock()
            .map_err(|_| CliError::Usage("the database connection was lost".into()))
    };
    rt.block_on(async {
        let mut running = JoinSet::new();
        let mut last_report = Instant::now();
        for i in 0..executions {
            if i.is_multiple_of(BATCH) {
                let mut s = lock()?;
                s.commit_batch()?;
                s.begin_batch()?;
            }
            while running.len() >= in_flight {
                if let Some(joined) = running.join_next().await {
                    tally.add(joined)?;
                }
            }
            let Some(doc) = samples.next() else { break };
            let desk = desk.clone();
            running.spawn(async move { desk.submit(doc, None).await });
            // Children leave as others arrive, so the daycare stays busy but not full.
            if i.is_multiple_of(3) {
                let mut s = lock()?;
                if let Some(id) = s.oldest_enrolled()? {
                    s.withdraw(id)?;
                }
            }
            if last_report.elapsed().as_secs() >= 1 {
                last_report = Instant::now();
                eprintln!(
                    "demo: {} of {executions} executions ({:.0}/s)",
                    i + 1,
                    (i + 1) as f64 / started.elapsed().as_secs_f64()
                );
            }
        }
        while let Some(joined) = running.join_next().await {
            tally.add(joined)?;
        }
        Ok::<(), CliError>(())
    })?;
    lock()?.commit_batch()?;
    let total = tally.succeeded + tally.failed;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "demo: {total} executions in {secs:.1}s ({:.0}/s): {} succeeded, {} refused",
        total as f64 / secs.max(1e-9),
        tally.succeeded,
        tally.failed
    );
    if ctx.json {
        super::print_json(&serde_json::json!({
            "executions": total,
            "succeeded": tally.succeeded,
            "failed": tally.failed,
            "seconds": secs,
        }))?;
    }
    Ok(Outcome::Success)
}
