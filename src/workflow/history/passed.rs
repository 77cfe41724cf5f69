//! Which states a run passed, read from its history events: the states it entered, in
//! order, and where it stands at each. Live progress and a kept execution's history
//! both answer through `Route`; event kinds are told by `EventType`'s methods.

use super::{ExecutionStatus, HistoryEvent};

/// Where a run stands at one state of its machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passage {
    /// Entered and left (or the run ended there well).
    Passed,
    /// The state the run is in now.
    Current,
    /// The last state entered by a run that did not succeed.
    FailedAt,
    /// Never entered.
    NotReached,
}

/// The route a run took: the states it entered, in the order it entered them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    entered: Vec<String>,
}

impl Route {
    /// The route recorded in a run's history.
    pub fn of(events: &[HistoryEvent]) -> Route {
        let mut route = Route::default();
        events.iter().for_each(|event| route.record(event));
        route
    }

    /// Follows one more event of a run as it happens: a state entered joins the route.
    pub fn record(&mut self, event: &HistoryEvent) {
        if event.event_type.is_state_entered()
            && let Some(name) = &event.details.name
        {
            self.entered.push(name.clone());
        }
    }

    /// The states entered so far, first to last.
    pub fn entered(&self) -> &[String] {
        &self.entered
    }

    /// Where a run whose status is `status` stands at `state`.
    pub fn passage(&self, state: &str, status: ExecutionStatus) -> Passage {
        let last = self.entered.last().map(String::as_str) == Some(state);
        if !self.entered.iter().any(|name| name == state) {
            Passage::NotReached
        } else if last && status == ExecutionStatus::Running {
            Passage::Current
        } else if last && status != ExecutionStatus::Succeeded {
            Passage::FailedAt
        } else {
            Passage::Passed
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::workflow::{EventDetails, EventType};

    fn event(id: u64, event_type: EventType, name: Option<&str>) -> HistoryEvent {
        HistoryEvent {
            id,
            previous_event_id: id.saturating_sub(1),
            timestamp: Utc::now(),
            event_type,
            details: EventDetails {
                name: name.map(str::to_string),
                ..Default::default()
            },
        }
    }

    fn refused_at_age() -> Vec<HistoryEvent> {
        vec![
            event(1, EventType::ExecutionStarted, None),
            event(2, EventType::TaskStateEntered, Some("Check Information")),
            event(3, EventType::TaskScheduled, None),
            event(4, EventType::TaskStateExited, Some("Check Information")),
            event(
                5,
                EventType::ChoiceStateEntered,
                Some("Information Complete?"),
            ),
            event(
                6,
                EventType::ChoiceStateExited,
                Some("Information Complete?"),
            ),
            event(7, EventType::FailStateEntered, Some("Age Out Of Range")),
            event(8, EventType::ExecutionFailed, None),
        ]
    }

    #[test]
    fn the_route_is_the_states_entered_in_order() {
        let route = Route::of(&refused_at_age());
        assert_eq!(
            route.entered(),
            [
                "Check Information",
                "Information Complete?",
                "Age Out Of Range"
            ]
        );
    }

    #[test]
    fn a_failed_run_failed_at_its_last_state_and_passed_the_others() {
        let route = Route::of(&refused_at_age());
        let failed = ExecutionStatus::Failed;
        assert_eq!(route.passage("Check Information", failed), Passage::Passed);
        assert_eq!(route.passage("Age Out Of Range", failed), Passage::FailedAt);
        assert_eq!(route.passage("Confirm", failed), Passage::NotReached);
        let succeeded = ExecutionStatus::Succeeded;
        assert_eq!(
            route.passage("Age Out Of Range", succeeded),
            Passage::Passed
        );
    }

    #[test]
    fn a_run_followed_live_is_in_its_last_state() {
        let mut route = Route::default();
        for event in &refused_at_age()[..3] {
            route.record(event);
        }
        let running = ExecutionStatus::Running;
        assert_eq!(
            route.passage("Check Information", running),
            Passage::Current
        );
        assert_eq!(
            route.passage("Information Complete?", running),
            Passage::NotReached
        );
    }
}
