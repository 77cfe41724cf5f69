//! `daycare demo --executions N`: fills a database with N executions of seeded sample
//! registrations through the real workflow, the desk withdrawing some children now and
//! then so spots free up (see `Desk::demo`). A database that holds anything but demo data
//! (real children) is refused before anything is written. Samples are made on their own
//! thread; progress goes to stderr.

use std::time::Instant;

use serde_json::Value;

use super::{CliError, Context, Outcome};
use crate::registration::samples::Samples;

pub fn run(ctx: &Context, executions: u64, seed: u64) -> Result<Outcome, CliError> {
    let desk = ctx.desk()?;
    let started = Instant::now();
    let samples = ahead(Samples::new(seed, desk.clock().today()), executions)?;
    let (mut succeeded, mut failed) = (0u64, 0u64);
    let mut last_report = Instant::now();
    for ran in desk.demo(samples.map(|doc| ((), Some(doc))))? {
        let ((), outcome) = ran?;
        match outcome {
            Some(outcome) if outcome.succeeded() => succeeded += 1,
            Some(_) => failed += 1,
            None => {}
        }
        if last_report.elapsed().as_secs() >= 1 {
            last_report = Instant::now();
            let done = succeeded + failed;
            eprintln!(
                "demo: {done} of {executions} executions ({:.0}/s)",
                done as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
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

/// Sample documents made on their own thread, a chunk at a time, so making them does
/// not hold up the thread that runs executions (it is the busiest of the two).
fn ahead(samples: Samples, count: u64) -> Result<impl Iterator<Item = Value>, CliError> {
    const CHUNK: usize = 64;
    let (to_runner, from_maker) = std::sync::mpsc::sync_channel::<Vec<Value>>(8);
    let mut samples = samples.take(usize::try_from(count).unwrap_or(usize::MAX));
    std::thread::Builder::new()
        .name("samples".into())
        .spawn(move || {
            loop {
                let chunk: Vec<_> = samples.by_ref().take(CHUNK).collect();
                if chunk.is_empty() || to_runner.send(chunk).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| CliError::Internal(format!("cannot start a thread: {e}")))?;
    Ok(from_maker.into_iter().flatten())
}
