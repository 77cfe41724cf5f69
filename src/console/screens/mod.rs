//! One module per screen: its state, how keys move it, and how it is drawn.

pub mod amend;
pub mod audit;
pub mod children;
pub mod dashboard;
pub mod detail;
pub mod executions;
pub mod record;
pub mod register;
pub mod spots;
pub mod waitlist;
