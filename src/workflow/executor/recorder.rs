//! The execution's history as it is written: numbered events, each pointing at the
//! event that led to it, handed to the observer as they happen. Holds no state logic.
//! The history is bounded: once full it takes only the event that closes the execution.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};

use super::limits::{MAX_HISTORY_BYTES, MAX_HISTORY_EVENTS};
use crate::workflow::history::{EventDetails, EventType, HistoryEvent};
use crate::workflow::task::Observer;

/// Which bound a full history reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Full {
    Events,
    Bytes,
}

pub(super) struct Recorder {
    log: Mutex<Log>,
    /// 0 while there is room, else 1 + the `Full` reached (read without the lock).
    full: AtomicU8,
    observer: Option<Arc<dyn Observer>>,
    /// Wall-clock time at the start, and the monotonic clock then: an event's time is
    /// the start plus the elapsed time, which spares a calendar conversion per event.
    origin: (DateTime<Utc>, Instant),
}

struct Log {
    events: Vec<HistoryEvent>,
    /// Payload text held so far.
    bytes: usize,
}

/// The payload text an event holds.
fn payload(details: &EventDetails) -> usize {
    [&details.input, &details.output, &details.parameters]
        .iter()
        .map(|text| text.as_ref().map_or(0, String::len))
        .sum()
}

impl Recorder {
    pub fn new(observer: Option<Arc<dyn Observer>>) -> Recorder {
        Recorder {
            log: Mutex::new(Log {
                events: Vec::with_capacity(48),
                bytes: 0,
            }),
            full: AtomicU8::new(0),
            observer,
            origin: (Utc::now(), Instant::now()),
        }
    }

    /// The current wall-clock time.
    pub fn now(&self) -> DateTime<Utc> {
        let (wall, mono) = self.origin;
        TimeDelta::from_std(mono.elapsed())
            .ok()
            .and_then(|d| wall.checked_add_signed(d))
            .unwrap_or_else(Utc::now)
    }

    /// Appends an event after `previous` and returns its id. A full history takes
    /// nothing more: the newest id is returned and [`Recorder::full`] says why.
    pub fn record(&self, previous: u64, event_type: EventType, details: EventDetails) -> u64 {
        self.record_at(self.now(), previous, event_type, details)
    }

    /// [`Recorder::record`] with a time already read (events of one instant share it).
    pub fn record_at(
        &self,
        timestamp: DateTime<Utc>,
        previous: u64,
        event_type: EventType,
        details: EventDetails,
    ) -> u64 {
        self.push(false, timestamp, previous, event_type, details)
    }

    /// The event that closes the execution: always kept, in the place kept for it.
    pub fn record_closing(
        &self,
        previous: u64,
        event_type: EventType,
        details: EventDetails,
    ) -> u64 {
        self.push(true, self.now(), previous, event_type, details)
    }

    fn push(
        &self,
        closing: bool,
        timestamp: DateTime<Utc>,
        previous: u64,
        event_type: EventType,
        details: EventDetails,
    ) -> u64 {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        let size = payload(&details);
        if !closing {
            // One place is kept for the closing event.
            let over = if log.events.len() + 1 >= MAX_HISTORY_EVENTS {
                Some(Full::Events)
            } else if log.bytes + size > MAX_HISTORY_BYTES {
                Some(Full::Bytes)
            } else {
                None
            };
            if let Some(full) = over {
                let _ = self.full.compare_exchange(
                    0,
                    full as u8 + 1,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                return log.events.len() as u64;
            }
        }
        log.bytes += size;
        let id = log.events.len() as u64 + 1;
        log.events.push(HistoryEvent {
            id,
            previous_event_id: previous,
            timestamp,
            event_type,
            details,
        });
        if let (Some(observer), Some(event)) = (&self.observer, log.events.last()) {
            observer.event(event);
        }
        id
    }

    /// Which bound the history reached, if it is full.
    pub fn full(&self) -> Option<Full> {
        match self.full.load(Ordering::Relaxed) {
            0 => None,
            1 => Some(Full::Events),
            _ => Some(Full::Bytes),
        }
    }

    pub fn into_events(self) -> Vec<HistoryEvent> {
        self.log
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .events
    }

    /// The id of the newest event (0 before the first).
    pub fn last_id(&self) -> u64 {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .events
            .len() as u64
    }
}
