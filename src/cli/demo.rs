//! `daycare demo --executions N`: fills a database with N executions of seeded sample
//! registrations through the real workflow, withdrawing some children now and then so
//! spots free up; many executions share one transaction. One at a time: running them
//! concurrently measured slower (the store is one connection). Progress goes to stderr.

use std::time::Instant;

use super::{CliError, Context, Outcome, runtime};
use crate::registration::samples::Samples;

/// Executions per transaction.
const BATCH: u64 = 2_000;

pub fn run(ctx: &Context, executions: u64, seed: u64) -> Result<Outcome, CliError> {
    let desk = ctx.desk()?;
    let rt = runtime()?;
    let started = Instant::now();
    let mut samples = Samples::new(seed, desk.clock().today());
    let (mut succeeded, mut failed) = (0u64, 0u64);
    let mut last_report = Instant::now();
    let store = desk.store();
    let lock = || {
        store
            .lock()
            .map_err(|_| CliError::Usage("the database connection was lost".into()))
    };
    for i in 0..executions {
        if i.is_multiple_of(BATCH) {
            let mut s = lock()?;
            s.commit_batch()?;
            s.begin_batch()?;
        }
        let Some(doc) = samples.next() else { break };
        let outcome = rt.block_on(desk.submit(doc, None))?;
        if outcome.succeeded() {
            succeeded += 1;
        } else {
            failed += 1;
        }
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
    lock()?.commit_batch()?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "demo: {} executions in {secs:.1}s ({:.0}/s): {succeeded} succeeded, {failed} refused",
        succeeded + failed,
        (succeeded + failed) as f64 / secs.max(1e-9)
    );
    if ctx.json {
        super::print_json(&serde_json::json!({
            "executions": succeeded + failed,
            "succeeded": succeeded,
            "failed": failed,
            "seconds": secs,
        }))?;
    }
    Ok(Outcome::Success)
}
