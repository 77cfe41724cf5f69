//! A second thread that serialises and compresses finished executions' histories while
//! the first runs the next ones and writes to the store (bulk commands, two cores).
//! It only prepares (`Kept::of`): keeping the execution stays with the thread that owns
//! the store.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, channel, sync_channel};
use std::thread::JoinHandle;

use super::CliError;
use crate::registration::{DeskError, Kept};
use crate::workflow::Execution;

/// Executions handed to the encoder at once: waking a thread per execution cost more
/// than encoding some of them.
const CHUNK: usize = 16;
/// How many chunks may wait to be encoded before the runner waits for the encoder.
const DEPTH: usize = 16;

type Encoded<T> = (T, Execution, Result<Kept, DeskError>);

/// Encodes histories in order on its own thread; hands them back in the order sent.
pub struct Encoder<T: Send + 'static> {
    to_worker: Option<SyncSender<Vec<(T, Execution)>>>,
    from_worker: Receiver<Vec<Encoded<T>>>,
    worker: Option<JoinHandle<()>>,
    /// Not yet handed to the worker.
    pending: Vec<(T, Execution)>,
    /// Chunks handed to the worker and not yet back.
    in_flight: usize,
    /// Back from the worker, not yet taken.
    ready: VecDeque<Encoded<T>>,
}

fn lost() -> CliError {
    CliError::Usage("the history encoder stopped unexpectedly; run the command again".into())
}

impl<T: Send + 'static> Encoder<T> {
    pub fn new() -> Result<Encoder<T>, CliError> {
        let (to_worker, inbox) = sync_channel::<Vec<(T, Execution)>>(DEPTH);
        let (outbox, from_worker) = channel();
        let worker = std::thread::Builder::new()
            .name("history-encoder".into())
            .spawn(move || {
                for chunk in inbox {
                    let encoded: Vec<Encoded<T>> = chunk
                        .into_iter()
                        .map(|(tag, execution)| {
                            let kept = Kept::of(&execution);
                            (tag, execution, kept)
                        })
                        .collect();
                    if outbox.send(encoded).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| CliError::Usage(format!("cannot start a thread: {e}")))?;
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
    pub fn send(&mut self, tag: T, execution: Execution) -> Result<(), CliError> {
        self.pending.push((tag, execution));
        if self.pending.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), CliError> {
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
    pub fn try_next(&mut self) -> Result<Option<Encoded<T>>, CliError> {
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
    pub fn next(&mut self) -> Result<Option<Encoded<T>>, CliError> {
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

impl<T: Send + 'static> Drop for Encoder<T> {
    fn drop(&mut self) {
        // Closing the queue ends the worker once it has encoded what it holds; its
        // results go to a channel that never blocks.
        self.to_worker = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
