//! The execution's history as it is written: numbered events, each pointing at the
//! event that led to it, handed to the observer as they happen. Holds no state logic.

use std::sync::{Arc, Mutex, PoisonError};

use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};

use crate::workflow::history::{EventDetails, EventType, HistoryEvent};
use crate::workflow::task::Observer;

pub(super) struct Recorder {
    events: Mutex<Vec<HistoryEvent>>,
    observer: Option<Arc<dyn Observer>>,
    /// Wall-clock time at the start, and the monotonic clock then: an event's time is
    /// the start plus the elapsed time, which spares a calendar conversion per event.
    origin: (DateTime<Utc>, Instant),
}

impl Recorder {
    pub fn new(observer: Option<Arc<dyn Observer>>) -> Recorder {
        Recorder {
            events: Mutex::new(Vec::with_capacity(48)),
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

    /// Appends an event after `previous` and returns its id.
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
        let mut events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        let id = events.len() as u64 + 1;
        events.push(HistoryEvent {
            id,
            previous_event_id: previous,
            timestamp,
            event_type,
            details,
        });
        if let (Some(observer), Some(event)) = (&self.observer, events.last()) {
            observer.event(event);
        }
        id
    }

    pub fn into_events(self) -> Vec<HistoryEvent> {
        self.events
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Recorder {
    /// The id of the newest event (0 before the first).
    pub fn last_id(&self) -> u64 {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len() as u64
    }
}
