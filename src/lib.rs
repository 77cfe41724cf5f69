//! daycare: a terminal console for a daycare's registration desk.
//!
//! The rooms, and which way they lean: `console` → (`registration`, `workflow`,
//! `store`); `sheets` (lists people print) → (`registration`, `store`);
//! `registration` → (`workflow`, `store`); `store` → `workflow`
//! (history types only); `workflow` depends on nothing of ours.
#![forbid(unsafe_code)]

pub mod cli;
pub mod console;
pub mod registration;
pub mod sheets;
pub mod store;
pub mod text;
pub mod weekday;
pub mod workflow;
