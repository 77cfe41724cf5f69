//! Reports from background work (loaded rows, outcomes, refusals) folded into the state.
//! Nothing here waits for anything: every report is already complete.

use super::App;
use crate::console::action::{Command, Msg, Tab};
use crate::console::screens::register::Workflow;
use crate::console::screens::{children, spots};

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
                later,
                recent,
            } => {
                self.dashboard.set(spots, counts, today, recent);
                self.dashboard.later = later;
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
                self.children.receive(children::View::Enrolled, rows, body);
                Vec::new()
            }
            Msg::WithdrawnChildren(rows) => {
                let body = self.body();
                self.children.receive(children::View::Withdrawn, rows, body);
                Vec::new()
            }
            Msg::Record {
                id,
                registration,
                enrolled_by,
            } => {
                let Some(record) = self.record.as_mut().filter(|r| r.id == id) else {
                    return Vec::new();
                };
                match registration {
                    Some(registration) => {
                        record.load(*registration, enrolled_by.map(|e| *e));
                        self.move_record(crate::console::action::Action::Refresh);
                    }
                    None => {
                        self.record = None;
                        self.amend = None;
                        self.warn(format!(
                            "Registration {id} is not in this database any more; the list is read again."
                        ));
                        return vec![self.children.load()];
                    }
                }
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
            Msg::Withdrawn(Ok(registration)) => self.withdrawn(&registration),
            Msg::RecordChanges { id, entries } => {
                if let Some(record) = self.record.as_mut().filter(|r| r.id == id) {
                    record.set_audit(entries);
                    self.move_record(crate::console::action::Action::Refresh);
                }
                Vec::new()
            }
            Msg::Amended { id, result } => self.amended(id, result),
            Msg::MadeRegistrationWithdrawn {
                execution,
                id,
                on,
                reason,
            } => {
                let today = self.clock.today();
                if let Some(detail) = self.detail.as_mut()
                    && detail.name == execution
                {
                    let verb = if on > today {
                        "leaves"
                    } else {
                        "was withdrawn"
                    };
                    let why = reason
                        .map(|r| format!(": {}", crate::text::clean(&r)))
                        .unwrap_or_default();
                    detail.withdrawn = Some(format!("Registration {id} {verb} on {on}{why}"));
                }
                Vec::new()
            }
            Msg::Withdrawn(Err(reason)) => {
                self.warn(format!("Not withdrawn: {reason}"));
                vec![self.children.load()]
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
            Msg::PathCompleted { typed, completed } => {
                if let Some(prompt) = self.prompt.as_mut()
                    && prompt.kind == super::PromptKind::File
                    && prompt.text == typed
                {
                    prompt.text = completed;
                    prompt.caret = None;
                    prompt.fresh = false;
                    prompt.error = None;
                }
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
            Msg::Changed => self.on_changed(),
            Msg::MadeRegistration { execution, id } => {
                if let Some(detail) = self.detail.as_mut()
                    && detail.name == execution
                {
                    detail.registration = Some(id);
                }
                Vec::new()
            }
            Msg::ExecutionsTotal { generation, total } => {
                self.executions.counted(generation, total);
                Vec::new()
            }
            msg @ (Msg::Waitlist(_)
            | Msg::Audit { .. }
            | Msg::AgeingOut(_)
            | Msg::Waitlisted(_)
            | Msg::Offered(_)
            | Msg::RemovedFromWaitlist(_)
            | Msg::SheetWritten { .. }) => self.on_lists_msg(msg),
            Msg::Exported(Err(reason)) | Msg::Failed(reason) => {
                self.warn(reason);
                self.executions.loading = false;
                Vec::new()
            }
        }
    }
}

impl App {
    /// The database changed elsewhere: the screen in front reads what it shows again
    /// (the Executions list only its loaded window); the others read theirs when opened.
    fn on_changed(&mut self) -> Vec<Command> {
        if self.tab != Tab::Executions || self.detail.is_some() {
            self.executions.stale = true;
        }
        if self.detail.is_some() {
            if self.record.is_some() {
                self.children.stale = true;
            }
            return Vec::new();
        }
        if let Some(record) = &self.record {
            self.children.stale = true;
            return vec![Command::LoadRecord(record.id)];
        }
        match self.tab {
            Tab::Dashboard => vec![Command::LoadDashboard],
            Tab::Executions => vec![self.executions.refresh()],
            Tab::Children => vec![self.children.load()],
            Tab::Spots => vec![Command::LoadSpots],
            Tab::Waitlist => vec![Command::LoadWaitlist],
            Tab::Audit => vec![self.audit.reload()],
            Tab::Register => Vec::new(),
        }
    }
}

/// "Class list for Monday" from "class list for Monday".
pub(super) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
