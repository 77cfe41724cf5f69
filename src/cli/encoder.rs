//! A second thread that serialises and compresses finished executions' histories while
//! the first runs the next ones and writes to the store (bulk commands, two cores).
//! It only encodes: keeping the execution stays with the thread that owns the store.

use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, channel, sync_channel};
use std::thread::JoinHandle;

use super::CliError;
use crate::store::{EncodedHistory, StoreError, encode_history};
use crate::workflow::Execution;

/// How many executions may wait to be encoded before the runner waits for the encoder.
const DEPTH: usize = 256;

type Encoded<T> = (T, Execution, Result<EncodedHistory, StoreError>);

/// Encodes histories in order on its own thread; hands them back in the order sent.
pub struct Encoder<T: Send + 'static> {
    to_worker: Option<SyncSender<(T, Execution)>>,
    from_worker: Receiver<Encoded<T>>,
    worker: Option<JoinHandle<()>>,
    in_flight: usize,
}

fn lost() -> CliError {
    CliError::Usage("the history encoder stopped unexpectedly; run the command again".into())
}

impl<T: Send + 'static> Encoder<T> {
    pub fn new() -> Result<Encoder<T>, CliError> {
        let (to_worker, inbox) = sync_channel::<(T, Execution)>(DEPTH);
        let (outbox, from_worker) = channel();
        let worker = std::thread::Builder::new()
            .name("history-encoder".into())
            .spawn(move || {
                for (tag, execution) in inbox {
                    let history = encode_history(&execution.events);
                    if outbox.send((tag, execution, history)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| CliError::Usage(format!("cannot start a thread: {e}")))?;
        Ok(Encoder {
            to_worker: Some(to_worker),
            from_worker,
            worker: Some(worker),
            in_flight: 0,
        })
    }

    /// Queues an execution to encode; waits only when `DEPTH` are already queued.
    pub fn send(&mut self, tag: T, execution: Execution) -> Result<(), CliError> {
        let sender = self.to_worker.as_ref().ok_or_else(lost)?;
        sender.send((tag, execution)).map_err(|_| lost())?;
        self.in_flight += 1;
        Ok(())
    }

    /// The next encoded execution if one is ready, without waiting.
    pub fn try_next(&mut self) -> Result<Option<Encoded<T>>, CliError> {
        match self.from_worker.try_recv() {
            Ok(done) => {
                self.in_flight -= 1;
                Ok(Some(done))
            }
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => {
                if self.in_flight == 0 {
                    Ok(None)
                } else {
                    Err(lost())
                }
            }
        }
    }

    /// The next encoded execution, waiting for it; `None` when nothing is in flight.
    pub fn next(&mut self) -> Result<Option<Encoded<T>>, CliError> {
        if self.in_flight == 0 {
            return Ok(None);
        }
        let done = self.from_worker.recv().map_err(|_| lost())?;
        self.in_flight -= 1;
        Ok(Some(done))
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
