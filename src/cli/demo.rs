//! `daycare demo --executions N`: fills a database with N executions of seeded sample
//! registrations through the real workflow, withdrawing some children now and then so
//! spots free up; many executions share one transaction. Demo executions run under their
//! own state machine ARN, so a database that holds anything else (real children) is
//! recognised and refused before anything is written. One at a time: running them
//! concurrently measured slower (the store is one connection); a second thread encodes
//! the histories meanwhile, and every execution of a batch is kept before it commits, so
//! a crash loses only the uncommitted batch. Progress goes to stderr.

use std::time::Instant;

use serde_json::Value;

use super::encoder::Encoder;
use super::{CliError, Context, Outcome, runtime};
use crate::registration::samples::Samples;
use crate::registration::{Desk, DeskError, execution_name};
use crate::store::StoreError;
use crate::workflow::{Execution, ExecutionStatus};

/// The state machine every demo execution runs under: the registration workflow, named
/// apart so demo data can always be told from real registrations.
pub const DEMO_STATE_MACHINE_ARN: &str =
    "arn:aws:states:local:000000000000:stateMachine:registration-demo";

/// Executions per transaction. Each commit writes every page it dirtied to the WAL, and
/// the name indexes take inserts in random order, so near a million executions a batch
/// dirties most of their pages whatever its size: 50,000 (about 150 MiB) writes them a
/// third as often as 20,000 did (1M: 57.5 s against 59.1 s); 100,000 gained no more.
const BATCH: u64 = 50_000;

pub fn run(ctx: &Context, executions: u64, seed: u64) -> Result<Outcome, CliError> {
    let desk = ctx.desk()?;
    refuse_real_data(&desk)?;
    let rt = runtime()?;
    let started = Instant::now();
    let mut samples = ahead(Samples::new(seed, desk.clock().today()), executions)?;
    let (mut succeeded, mut failed) = (0u64, 0u64);
    let mut last_report = Instant::now();
    let store = desk.store();
    let lock = || {
        store
            .lock()
            .map_err(|_| CliError::Usage("the database connection was lost".into()))
    };
    lock()?.prefer_bulk_writes()?;
    let mut encoder = Encoder::new()?;
    for i in 0..executions {
        if i.is_multiple_of(BATCH) {
            keep_all(&desk, &mut encoder)?;
            let mut s = lock()?;
            s.commit_batch()?;
            s.begin_batch()?;
        }
        let Some(doc) = samples.next() else { break };
        let execution = rt.block_on(run_sample(&desk, doc))?;
        if execution.summary.status == ExecutionStatus::Succeeded {
            succeeded += 1;
        } else {
            failed += 1;
        }
        encoder.send((), execution)?;
        while let Some(((), execution, kept)) = encoder.try_next()? {
            desk.keep(&execution, kept?)?;
        }
        // Children leave as others arrive, so the daycare stays busy but not full.
        if i.is_multiple_of(3) {
            lock()?.withdraw_oldest()?;
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
    keep_all(&desk, &mut encoder)?;
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

/// Demo data goes only into a new database or one that holds nothing but demo data: it
/// withdraws children and adds invented ones.
fn refuse_real_data(desk: &Desk) -> Result<(), CliError> {
    let store = desk
        .store()
        .lock()
        .map_err(|_| CliError::Usage("the database connection was lost".into()))?;
    if store.holds_only_runs_of(DEMO_STATE_MACHINE_ARN)? {
        return Ok(());
    }
    Err(CliError::Usage(
        "this database holds real registrations, and the demo would withdraw children and \
         add invented ones; run the demo on a new file with --db PATH"
            .into(),
    ))
}

/// Runs one sample registration under the demo's state machine ARN, recorded RUNNING
/// first; drawing another name when the first is taken.
async fn run_sample(desk: &Desk, doc: Value) -> Result<Execution, DeskError> {
    let info = &doc["registration_info"]["child"];
    let name_part = |key: &str| info[key].as_str().unwrap_or_default().trim().to_string();
    let (first, last) = (name_part("firstName"), name_part("lastName"));
    let child = format!("{first} {last}");
    let child = Some(child.trim()).filter(|c| !c.is_empty());
    let mut draws = 0;
    loop {
        let name = execution_name(&first, &last);
        let run = desk.run_unfinished(
            desk.machine(),
            DEMO_STATE_MACHINE_ARN,
            doc.clone(),
            name,
            child,
            None,
        );
        match run.await {
            Err(DeskError::Store(StoreError::ExecutionExists(_))) if draws < 8 => draws += 1,
            ran => return ran,
        }
    }
}

/// Keeps every execution still being encoded.
fn keep_all(desk: &Desk, encoder: &mut Encoder<()>) -> Result<(), CliError> {
    while let Some(((), execution, kept)) = encoder.next()? {
        desk.keep(&execution, kept?)?;
    }
    Ok(())
}

/// Sample documents made on their own thread, a chunk at a time, so making them does
/// not hold up the thread that runs executions (it is the busiest of the two).
fn ahead(
    samples: Samples,
    count: u64,
) -> Result<impl Iterator<Item = serde_json::Value>, CliError> {
    const CHUNK: usize = 64;
    let (to_runner, from_maker) = std::sync::mpsc::sync_channel::<Vec<serde_json::Value>>(8);
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
        .map_err(|e| CliError::Usage(format!("cannot start a thread: {e}")))?;
    Ok(from_maker.into_iter().flatten())
}
