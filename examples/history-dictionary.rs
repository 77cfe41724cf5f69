//! Trains the zstd dictionary that executions' histories are kept with (see
//! `src/store/history.rs`). It runs sample registrations through the real workflow on
//! an in-memory database, as `daycare demo` does, withdrawing a child now and then so
//! that some are confirmed and some refused. Then it trains on their histories and
//! reports how much the dictionary saves on histories it was not trained on.
//!
//! ```text
//! cargo run --release --example history-dictionary -- data/history-2.zdict
//! ```
//!
//! A shipped dictionary never changes: add the new file to `DICTIONARIES` and keep the
//! old ones, or the histories compressed with them could no longer be read.

use std::process::ExitCode;

use daycare::registration::samples::Samples;
use daycare::registration::{Clock, Desk};

/// Dictionary size: 16 KiB held everything shared between histories; 32 and 64 KiB
/// compressed no better.
const SIZE: usize = 16 * 1024;
const TRAIN: usize = 20_000;
const CHECK: usize = 2_000;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: history-dictionary OUTPUT");
        return ExitCode::from(2);
    };
    match run(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("history-dictionary: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let training = histories(11, TRAIN)?;
    let dictionary = zstd::dict::from_samples(&training, SIZE)?;
    std::fs::write(path, &dictionary)?;
    let (mut alone, mut shared) = (0, 0);
    let mut compressor = zstd::bulk::Compressor::with_dictionary(3, &dictionary)?;
    for history in histories(12, CHECK)? {
        alone += zstd::bulk::compress(&history, 3)?.len();
        shared += compressor.compress(&history)?.len();
    }
    println!(
        "{path}: {} bytes, id {}; {CHECK} other histories: {} bytes each alone, {} with it",
        dictionary.len(),
        zstd::zstd_safe::get_dict_id_from_dict(&dictionary).map_or(0, |id| id.get()),
        alone / CHECK,
        shared / CHECK
    );
    Ok(())
}

/// The JSON of `count` registrations' histories, from seeded sample children.
fn histories(seed: u64, count: usize) -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
    let clock = Clock::system();
    // A desk on a scratch file, and a second connection to it that withdraws children
    // now and then so spots stay free, as the demo does.
    let scratch = tempfile::tempdir()?;
    let path = scratch.path().join("histories.db");
    let desk = Desk::open(&path, clock)?;
    let mut store = daycare::store::Store::open(&path)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let mut out = Vec::with_capacity(count);
    for (i, document) in Samples::new(seed, clock.today()).take(count).enumerate() {
        let name = format!("history-{i}");
        let arn = daycare::registration::DEMO_STATE_MACHINE_ARN.as_str();
        let run = desk.run(desk.machine(), arn, document, name, None, None);
        let execution = runtime.block_on(run)?;
        out.push(serde_json::to_vec(&execution.events)?);
        if i % 3 == 0 {
            store.withdraw_oldest(clock.today(), "sample: moved away", "sample")?;
        }
    }
    Ok(out)
}
