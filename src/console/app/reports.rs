//! Reports from background work (loaded rows, outcomes, refusals) folded into the state.
//! Nothing here waits for anything: every report is already complete.

use super::App;
use crate::console::action::{Command, Msg, Tab};
use crate::console::screens::register::Workflow;
use crate::console::screens::spots;

impl App {
    /// A report from background work.
    pub fn on_msg(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Ready(machine) => {
                self.ready = true;
                self.register.workflow = Workflow::of(&machine);
                Vec::new()
            }
            Msg::Dashboard {
                spots,
                counts,
                today,
                recent,
            } => {
                self.dashboard.set(spots, counts, today, recent);
                Vec::new()
            }
            Msg::Executions {
                generation,
                index,
                page,
            } => {
                let body = self.body();
                self.executions.receive(generation, index, page, body);
                Vec::new()
            }
            Msg::Execution { stored, machine } => {
                if let Some(detail) = self.detail.as_mut()
                    && detail.name == stored.summary.name
                {
                    detail.load(*stored, &machine);
                }
                Vec::new()
            }
            Msg::Unavailable(reason) => {
                self.unavailable = Some(reason);
                Vec::new()
            }
            Msg::NoExecution(name) => {
                self.detail = None;
                self.warn(format!("No execution named {name} in this database."));
                Vec::new()
            }
            Msg::Children(rows) => {
                let body = self.body();
                self.children.set(rows, body);
                Vec::new()
            }
            Msg::Spots(rows) => {
                self.spots.set(rows);
                Vec::new()
            }
            Msg::CapacitySet(Ok(rows)) => {
                self.say(spots::changed_message(&self.spots.rows, &rows));
                self.spots.set(rows);
                vec![Command::LoadDashboard]
            }
            Msg::CapacitySet(Err(reason)) => {
                self.warn(format!("Not changed: {reason}"));
                Vec::new()
            }
            Msg::Withdrawn(Ok(registration)) => {
                self.say(format!(
                    "{} {} withdrawn; their spots on {} are free again.",
                    registration.first_name,
                    registration.last_name,
                    crate::weekday::listed(&registration.days)
                ));
                self.executions.stale = true;
                vec![
                    Command::LoadChildren,
                    Command::LoadSpots,
                    Command::LoadDashboard,
                ]
            }
            Msg::Withdrawn(Err(reason)) => {
                self.warn(format!("Not withdrawn: {reason}"));
                vec![Command::LoadChildren]
            }
            Msg::Progress(event) => {
                self.register.progress(&event);
                Vec::new()
            }
            Msg::Submitted(result) => {
                let message = self.register.finish(result);
                match message {
                    Ok(text) => self.say(text),
                    Err(text) => self.warn(text),
                }
                self.executions.stale = true;
                vec![Command::LoadDashboard]
            }
            Msg::FileLoaded(Ok(document)) => {
                self.register.load(&document, self.clock.today());
                self.tab = Tab::Register;
                self.say("Registration loaded into the form. Check it, then submit with Ctrl-S.");
                Vec::new()
            }
            Msg::FileLoaded(Err(reason)) => {
                self.warn(reason);
                Vec::new()
            }
            Msg::Exported(Ok(path)) => {
                self.say(format!("History written to {}", path.display()));
                Vec::new()
            }
            Msg::Exported(Err(reason)) | Msg::Failed(reason) => {
                self.warn(reason);
                self.executions.loading = false;
                Vec::new()
            }
        }
    }
}
