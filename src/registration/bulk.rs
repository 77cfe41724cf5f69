//! Many registrations at once (`submit` of JSON Lines, `demo`): the desk runs them one
//! after another through the workflow and keeps them in short batches, while a second
//! thread encodes the finished executions' histories.
//!
//! The rules a batch keeps: a group of executions shares one write transaction, their
//! confirmations included, so a confirmation still re-checks spots and inserts in the
//! same transaction as everything before it; a group is closed after a few milliseconds
//! (`SHORT_GROUPS`) so other desks never wait longer than that to write; an execution whose
//! history is encoded by then is written once, whole, and the few still being encoded
//! are written RUNNING and finished in the next group, as single submissions are; and an
//! outcome is handed out only once its execution's end is committed, so nothing reported
//! is lost by a crash (an uncommitted group is rolled back whole, and an execution left
//! RUNNING is closed as interrupted at the next start, its registration with it).
//!
//! The workflow runs on the thread that writes, not on one of its own: three of its four
//! tasks read or write the store, and handing the one connection back and forth between
//! a runner and a writer cost more than running beside each other saved (30,000 demo
//! executions took 5.0 s that way against 3.3 s this way, with a lock handover for
//! nearly every execution).

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Desk, DeskError, Outcome};
use crate::store::{Batch, EncodedHistory, encode_history};
use crate::workflow::Execution;

/// How long a group's transaction may stay open when staff may be writing at another
/// desk meanwhile: their writes wait this long at most.
/// The reason the demo gives for each child it withdraws.
const DEMO_LEAVING: &str = "demo: moved away";

pub(super) const SHORT_GROUPS: Duration = Duration::from_millis(10);
/// The same for demo data, in a database that holds nothing else (the demo refuses any
/// other), so no staff member's write waits on it; readers never wait for a writer.
/// Every commit rewrites each index page its inserts touched, at random places in the
/// name and child indexes, so the fewer commits the less is written: 100,000 demo
/// executions took 11.6 s in 10 ms groups and 6.3 s in 100 ms ones, and a million took
/// 136 s in 1 s groups against 81 s in groups of 50,000.
pub(super) const DEMO_GROUPS: Duration = Duration::from_secs(60);
/// At most this many executions per group of `submit`, however fast they run.
pub(super) const SHORT_GROUP_MAX: usize = 4096;
/// At most this many per demo group: a group's dirty pages stay in the page cache.
pub(super) const DEMO_GROUP_MAX: usize = 50_000;

/// What bulk work runs under and does besides running documents.
pub(super) struct Plan {
    pub state_machine_arn: &'static str,
    /// How long a group's transaction may stay open (`SHORT_GROUPS`, `DEMO_GROUPS`).
    pub group_time: Duration,
    /// How many executions a group holds at most.
    pub group_max: usize,
    /// The store's page cache while it runs, MiB: small for `submit`, whose memory stays
    /// flat whatever its input; large for the demo, so a whole group's pages stay in it.
    pub cache_mib: u32,
    /// Withdraw the oldest enrolled child after every this many executions (the demo,
    /// so the daycare stays busy but not full).
    pub withdraw_every: Option<u64>,
}

/// The outcomes of many registrations, in input order, each handed out once it is kept.
/// An input item without a document (`None`) is handed back in its place, untouched: a
/// line that could not be read, say. After an error nothing more is run or returned.
pub struct Submissions<'d, T, I> {
    desk: &'d Desk,
    input: I,
    plan: Plan,
    runtime: tokio::runtime::Runtime,
    encoder: Encoder,
    /// Run (or passed through), not yet handed out, in input order.
    waiting: VecDeque<(T, Option<Outcome>)>,
    /// Documents at the front of `waiting` whose executions are kept and committed.
    committed: usize,
    ran: u64,
    /// The input is used up.
    drained: bool,
    failed: bool,
}

impl<'d, T, I> Submissions<'d, T, I>
where
    I: Iterator<Item = (T, Option<Value>)>,
{
    pub(super) fn new(desk: &'d Desk, input: I, plan: Plan) -> Result<Self, DeskError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| DeskError::Internal(format!("cannot start the workflow runtime: {e}")))?;
        desk.lock()?.prefer_bulk_writes(plan.cache_mib)?;
        Ok(Submissions {
            desk,
            input,
            plan,
            runtime,
            encoder: Encoder::new()?,
            waiting: VecDeque::new(),
            committed: 0,
            ran: 0,
            drained: false,
            failed: false,
        })
    }

    /// Runs the next group in one batch: the input until the plan's group time has passed since
    /// the group's first document, the plan's most documents, or the end. Executions still
    /// being encoded when the group ends are written RUNNING with it and kept in the next
    /// group (the encoder is never waited for, but at the very end), so their outcomes
    /// wait for that group.
    fn group(&mut self) -> Result<(), DeskError> {
        let desk = self.desk;
        let mut batch: Option<Batch<'_>> = None;
        let mut opened = Instant::now();
        let mut documents = 0;
        let mut kept = 0;
        while documents < self.plan.group_max
            && (batch.is_none() || opened.elapsed() < self.plan.group_time)
        {
            let Some((tag, document)) = self.input.next() else {
                self.drained = true;
                break;
            };
            let Some(document) = document else {
                self.waiting.push_back((tag, None));
                continue;
            };
            if batch.is_none() {
                batch = Some(Batch::begin(desk.shared_store())?);
                opened = Instant::now();
            }
            let (outcome, execution) = self.runtime.block_on(desk.run_registration(
                self.plan.state_machine_arn,
                document,
                None,
                None,
            ))?;
            self.encoder.send(outcome.fees, execution)?;
            self.waiting.push_back((tag, Some(outcome)));
            documents += 1;
            while let Some((fees, execution, history)) = self.encoder.try_next()? {
                desk.keep(&execution, fees, history?)?;
                kept += 1;
            }
            self.ran += 1;
            if let Some(every) = self.plan.withdraw_every
                && self.ran.is_multiple_of(every)
            {
                let today = desk.clock().today();
                desk.lock()?
                    .withdraw_oldest(today, DEMO_LEAVING, desk.staff())?;
            }
        }
        if self.drained {
            if batch.is_none() && self.encoder.busy() {
                batch = Some(Batch::begin(desk.shared_store())?);
            }
            while let Some((fees, execution, history)) = self.encoder.next()? {
                desk.keep(&execution, fees, history?)?;
                kept += 1;
            }
        }
        if let Some(batch) = batch {
            batch.commit()?;
        }
        self.committed += kept;
        Ok(())
    }

    /// The next item that may be handed out: passed through, or kept and committed.
    fn ready(&mut self) -> Option<(T, Option<Outcome>)> {
        match self.waiting.front() {
            Some((_, None)) => self.waiting.pop_front(),
            Some((_, Some(_))) if self.committed > 0 => {
                self.committed -= 1;
                self.waiting.pop_front()
            }
            _ => None,
        }
    }
}

impl<T, I> Iterator for Submissions<'_, T, I>
where
    I: Iterator<Item = (T, Option<Value>)>,
{
    type Item = Result<(T, Option<Outcome>), DeskError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ready) = self.ready() {
                return Some(Ok(ready));
            }
            if self.failed || (self.drained && !self.encoder.busy()) {
                return None;
            }
            if let Err(e) = self.group() {
                self.failed = true;
                self.waiting.clear();
                return Some(Err(e));
            }
        }
    }
}

/// Executions handed to the encoder at once: waking a thread per execution cost more
/// than encoding some of them.
const CHUNK: usize = 8;
/// How many chunks may wait to be encoded before the runner waits for the encoder.
const DEPTH: usize = 16;

/// A finished execution to encode, with the fees its registration names.
type ToEncode = (Option<u32>, Execution);
/// An execution with what keeping it needs: its fees and its history, encoded.
type Encoded = (Option<u32>, Execution, Result<EncodedHistory, DeskError>);

/// A second thread that serialises and compresses finished executions' histories, in
/// order, while the first runs the next ones and writes to the store. It only prepares:
/// keeping the execution stays with the thread that owns the store.
struct Encoder {
    to_worker: Option<SyncSender<Vec<ToEncode>>>,
    from_worker: Receiver<Vec<Encoded>>,
    worker: Option<JoinHandle<()>>,
    /// Not yet handed to the worker.
    pending: Vec<ToEncode>,
    /// Chunks handed to the worker and not yet back.
    in_flight: usize,
    /// Back from the worker, not yet taken.
    ready: VecDeque<Encoded>,
}

fn lost() -> DeskError {
    DeskError::Internal("the history encoder stopped unexpectedly; run the command again".into())
}

impl Encoder {
    fn new() -> Result<Encoder, DeskError> {
        let (to_worker, inbox) = sync_channel::<Vec<ToEncode>>(DEPTH);
        let (outbox, from_worker) = channel();
        let worker = std::thread::Builder::new()
            .name("history-encoder".into())
            .spawn(move || {
                for chunk in inbox {
                    let encoded: Vec<Encoded> = chunk
                        .into_iter()
                        .map(|(fees, execution)| {
                            let history = encode_history(&execution.events).map_err(Into::into);
                            (fees, execution, history)
                        })
                        .collect();
                    if outbox.send(encoded).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| DeskError::Internal(format!("cannot start a thread: {e}")))?;
        Ok(Encoder {
            to_worker: Some(to_worker),
            from_worker,
            worker: Some(worker),
            pending: Vec::with_capacity(CHUNK),
            in_flight: 0,
            ready: VecDeque::new(),
        })
    }

    /// Queues an execution to encode; waits only when `DEPTH` chunks are already queued.
    fn send(&mut self, fees: Option<u32>, execution: Execution) -> Result<(), DeskError> {
        self.pending.push((fees, execution));
        if self.pending.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), DeskError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK));
        let sender = self.to_worker.as_ref().ok_or_else(lost)?;
        sender.send(chunk).map_err(|_| lost())?;
        self.in_flight += 1;
        Ok(())
    }

    /// Whether any execution sent is not yet taken back.
    fn busy(&self) -> bool {
        !self.pending.is_empty() || self.in_flight > 0 || !self.ready.is_empty()
    }

    /// The next encoded execution if one is ready, without waiting.
    fn try_next(&mut self) -> Result<Option<Encoded>, DeskError> {
        if self.ready.is_empty() && self.in_flight > 0 {
            match self.from_worker.try_recv() {
                Ok(chunk) => {
                    self.in_flight -= 1;
                    self.ready.extend(chunk);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => return Err(lost()),
            }
        }
        Ok(self.ready.pop_front())
    }

    /// The next encoded execution, waiting for it; `None` when nothing is left.
    fn next(&mut self) -> Result<Option<Encoded>, DeskError> {
        if self.ready.is_empty() {
            self.flush()?;
            if self.in_flight > 0 {
                let chunk = self.from_worker.recv().map_err(|_| lost())?;
                self.in_flight -= 1;
                self.ready.extend(chunk);
            }
        }
        Ok(self.ready.pop_front())
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // Closing the queue ends the worker once it has encoded what it holds; its
        // results go to a channel that never blocks.
        self.to_worker = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
