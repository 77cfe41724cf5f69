//! Many registrations at once (`submit` of JSON Lines, `demo`): the desk runs them one
//! after another through the workflow and keeps them in short batches, while a second
//! thread encodes the finished executions' histories.
//!
//! The rules a batch keeps: a group of executions shares one write transaction, their
//! confirmations included, so a confirmation still re-checks spots and inserts in the
//! same transaction as everything before it; a group is closed after a few milliseconds
//! (`GROUP_TIME`) so other desks never wait longer than that to write; every execution of
//! a group is finished and its history encoded before the group commits, so each is
//! written once, whole; and an outcome is handed out only once its group is committed,
//! so nothing reported is lost by a crash (an uncommitted group is rolled back whole).

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Desk, DeskError, Outcome};
use crate::store::{Batch, EncodedHistory, encode_history};
use crate::workflow::Execution;

/// How long a group's transaction may stay open: other connections' writes wait this
/// long at most.
const GROUP_TIME: Duration = Duration::from_millis(10);
/// At most this many executions per group, however fast they run.
const GROUP_MAX: usize = 1024;

/// What bulk work runs under and does besides running documents.
pub(super) struct Plan {
    pub state_machine_arn: &'static str,
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
    /// Kept, not yet handed out.
    kept: VecDeque<(T, Option<Outcome>)>,
    ran: u64,
    ended: bool,
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
        desk.lock()?.prefer_bulk_writes()?;
        Ok(Submissions {
            desk,
            input,
            plan,
            runtime,
            encoder: Encoder::new()?,
            kept: VecDeque::new(),
            ran: 0,
            ended: false,
        })
    }

    /// Runs and keeps the next group: the input until `GROUP_TIME` has passed since its
    /// first document, `GROUP_MAX` documents, or the end.
    fn group(&mut self) -> Result<(), DeskError> {
        let desk = self.desk;
        let mut batch: Option<Batch<'_>> = None;
        let mut opened = Instant::now();
        let mut group = Vec::new();
        let mut documents = 0;
        while documents < GROUP_MAX && (batch.is_none() || opened.elapsed() < GROUP_TIME) {
            let Some((tag, document)) = self.input.next() else {
                self.ended = true;
                break;
            };
            let Some(document) = document else {
                group.push((tag, None));
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
            ))?;
            self.encoder.send(outcome.fees, execution)?;
            group.push((tag, Some(outcome)));
            documents += 1;
            while let Some((fees, execution, history)) = self.encoder.try_next()? {
                desk.keep(&execution, fees, history?)?;
            }
            self.ran += 1;
            if let Some(every) = self.plan.withdraw_every
                && self.ran.is_multiple_of(every)
            {
                desk.lock()?.withdraw_oldest()?;
            }
        }
        while let Some((fees, execution, history)) = self.encoder.next()? {
            desk.keep(&execution, fees, history?)?;
        }
        if let Some(batch) = batch {
            batch.commit()?;
        }
        self.kept.extend(group);
        Ok(())
    }
}

impl<T, I> Iterator for Submissions<'_, T, I>
where
    I: Iterator<Item = (T, Option<Value>)>,
{
    type Item = Result<(T, Option<Outcome>), DeskError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.kept.is_empty() && !self.ended {
            if let Err(e) = self.group() {
                self.ended = true;
                self.kept.clear();
                return Some(Err(e));
            }
        }
        self.kept.pop_front().map(Ok)
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
