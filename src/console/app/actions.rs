//! What each screen does with an action: the per-screen half of `App::apply`, and
//! the answers to prompts. State changes only; work for the background comes back as commands.

use chrono::Weekday;

use super::{App, Confirm, Prompt, PromptKind, Then};
use crate::console::action::{Action, Command};
use crate::console::form::weekday_name;
use crate::console::screens::children;
use crate::store::DaySpots;

impl App {
    pub(super) fn apply_dashboard(&mut self, action: Action) -> Vec<Command> {
        let len = self.dashboard.recent.len();
        match action {
            Action::Refresh => return vec![Command::LoadDashboard],
            Action::Open => {
                if let Some(row) = self.dashboard.recent.get(self.dashboard.cursor.selected) {
                    return self.open_execution(row.name.clone());
                }
            }
            Action::Copy => match self.dashboard.recent.get(self.dashboard.cursor.selected) {
                Some(row) => {
                    let name = row.name.clone();
                    self.copy("the execution name", name);
                }
                None => self.say("Nothing to copy: no execution is selected."),
            },
            other => {
                self.dashboard.cursor.motion(other, len, len);
            }
        }
        Vec::new()
    }

    pub(super) fn apply_register(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::LoadFile => {
                self.prompt = Some(Prompt::new(
                    PromptKind::File,
                    "Registration file (JSON or JSON Lines)",
                ));
                Vec::new()
            }
            Action::Submit => {
                if self.register.running() {
                    self.warn("A registration is already running; wait for its outcome.");
                    return Vec::new();
                }
                match self.register.submit(self.clock.today()) {
                    Ok(document) => {
                        self.say("Running the registration workflow…");
                        vec![Command::Submit(document)]
                    }
                    Err(count) => {
                        self.warn(format!(
                            "{count} problem{} in the form, marked beside the fields. Fix and submit again.",
                            if count == 1 { "" } else { "s" }
                        ));
                        Vec::new()
                    }
                }
            }
            Action::Open => match self.register.outcome_name() {
                Some(name) => self.open_execution(name),
                None => {
                    self.register.focus = Some(0);
                    Vec::new()
                }
            },
            Action::Copy => {
                match self.register.outcome_name() {
                    Some(name) => self.copy("the execution name", name),
                    None => self.say("Nothing to copy yet: submit a registration first."),
                }
                Vec::new()
            }
            Action::NewForm if self.register.edited => {
                self.confirm = Some(Confirm {
                    message: "Empty the form? What was typed and not submitted is lost.".into(),
                    on_yes: Then::NewForm,
                });
                Vec::new()
            }
            other => {
                self.register.apply(other);
                if other == Action::Toggle {
                    self.register.recheck(self.clock.today());
                }
                Vec::new()
            }
        }
    }

    pub(super) fn apply_executions(&mut self, action: Action) -> Vec<Command> {
        let body = self.body();
        match action {
            Action::Open => match self.executions.selected() {
                Some(row) => {
                    let name = row.name.clone();
                    self.open_execution(name)
                }
                None => Vec::new(),
            },
            Action::Copy => {
                match self.executions.selected() {
                    Some(row) => {
                        let name = row.name.clone();
                        self.copy("the execution name", name);
                    }
                    None => self.say("Nothing to copy: no execution is selected."),
                }
                Vec::new()
            }
            Action::Filter => {
                self.prompt = Some(Prompt::filled(
                    PromptKind::ChildFilter,
                    "Child's name contains",
                    self.executions.filter.child.clone().unwrap_or_default(),
                ));
                Vec::new()
            }
            Action::CycleStatus => {
                self.executions.cycle_status();
                vec![self.executions.reload()]
            }
            Action::ClearFilter => {
                if self.executions.filter == Default::default() {
                    return Vec::new();
                }
                self.executions.filter = Default::default();
                self.say("Filters cleared: every execution is listed.");
                vec![self.executions.reload()]
            }
            Action::Refresh => vec![self.executions.reload()],
            Action::ExportSheet => vec![Command::ExportExecutions(self.executions.filter.clone())],
            other => self.executions.navigate(other, body).into_iter().collect(),
        }
    }

    pub(super) fn apply_children(&mut self, action: Action) -> Vec<Command> {
        let body = self.body();
        match action {
            Action::Open => match self.children.selected() {
                Some(child) => {
                    let id = child.id;
                    self.open_record(id)
                }
                None => Vec::new(),
            },
            Action::Withdraw => {
                match self.children.selected() {
                    Some(child) if self.children.view == children::View::Withdrawn => {
                        let text = children::already_withdrawn(child);
                        self.say(text);
                    }
                    Some(child) => {
                        let child = child.clone();
                        self.ask_withdrawal(&child);
                    }
                    None => {}
                }
                Vec::new()
            }
            Action::ExportRoster => {
                self.ask_roster_day();
                Vec::new()
            }
            Action::ExportContacts => {
                self.say("Writing the contact sheet…");
                vec![Command::ExportContacts]
            }
            Action::Filter => {
                self.prompt = Some(Prompt::filled(
                    PromptKind::ChildrenFilter,
                    "Child's or parent's name contains",
                    self.children.filter.clone(),
                ));
                Vec::new()
            }
            Action::ClearFilter => {
                self.children.set_filter("", body);
                Vec::new()
            }
            Action::CycleSort => {
                self.children.cycle_sort(body);
                Vec::new()
            }
            Action::ToggleWithdrawn => {
                self.status = None;
                vec![self.children.toggle_view()]
            }
            Action::Copy => {
                self.copy_child();
                Vec::new()
            }
            Action::Refresh => vec![self.children.load()],
            other => {
                self.children.navigate(other, body);
                Vec::new()
            }
        }
    }

    /// A child's record: Enter opens the execution that enrolled them, `y` copies a
    /// parent's phone (else email), Esc goes back to the list, the motion keys scroll.
    pub(super) fn apply_record(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Back => {
                self.record = None;
                self.status = None;
                if self.children.stale {
                    return vec![self.children.load()];
                }
                Vec::new()
            }
            Action::Open => match self.record.as_ref().and_then(|r| r.execution()) {
                Some(name) => {
                    let name = name.to_string();
                    self.open_execution(name)
                }
                None => Vec::new(),
            },
            Action::Amend => {
                self.open_amend();
                Vec::new()
            }
            Action::Withdraw => {
                self.withdraw_from_record();
                Vec::new()
            }
            Action::Copy => {
                match self.record.as_ref().and_then(|r| r.contact()) {
                    Some((what, value)) => self.copy(&what, value),
                    None => self.say("Nothing to copy: no parent's phone or email is on file."),
                }
                Vec::new()
            }
            other => {
                self.move_record(other);
                Vec::new()
            }
        }
    }

    /// Copies a parent's phone (else email) of the selected child, else the child's name.
    fn copy_child(&mut self) {
        let Some(child) = self.children.selected() else {
            self.say("Nothing to copy: no child is selected.");
            return;
        };
        let info = crate::registration::document::inner(&child.document);
        let contact = ["mother", "father"].into_iter().find_map(|parent| {
            let person = info.get("parents")?.get(parent)?;
            let first = person
                .get("firstName")
                .and_then(|v| v.as_str())
                .unwrap_or(parent);
            ["phone", "email"].into_iter().find_map(|field| {
                let value = person.get(field)?.as_str()?.trim();
                (!value.is_empty()).then(|| {
                    (
                        format!("{}'s {field}", crate::text::clean(first)),
                        value.to_string(),
                    )
                })
            })
        });
        match contact {
            Some((what, value)) => self.copy(&what, value),
            None => {
                let name = format!("{} {}", child.first_name, child.last_name);
                self.copy("the child's name", name);
            }
        }
    }

    /// In the detail: on the input or output pane, the selected state's input or output;
    /// elsewhere the execution's name.
    pub(super) fn copy_detail(&mut self) {
        use crate::console::screens::detail::Pane;
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        let (input, output) = detail.selected_io();
        let state = crate::text::clean(detail.selected_state().unwrap_or("the state"));
        let (what, text) = match detail.pane {
            Pane::Data => (format!("{state}'s input"), input.map(str::to_string)),
            Pane::Output => (format!("{state}'s output"), output.map(str::to_string)),
            Pane::States | Pane::History => {
                ("the execution name".to_string(), Some(detail.name.clone()))
            }
        };
        match text {
            Some(text) => self.copy(&what, text),
            None => self.say(format!("Nothing to copy: no {what} was recorded.")),
        }
    }

    pub(super) fn apply_spots(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::EditDay => {
                if let Some(day) = self.spots.rows.get(self.spots.cursor.selected) {
                    self.prompt = Some(Prompt::filled(
                        PromptKind::Capacity(Some(day.day)),
                        format!("Spots on {}", weekday_name(day.day)),
                        day.capacity.to_string(),
                    ));
                }
                Vec::new()
            }
            Action::EditAll => {
                let open = open_days(&self.spots.rows);
                if open.is_empty() {
                    self.warn("Every day is closed. Open a day by editing it (e).");
                    return Vec::new();
                }
                self.prompt = Some(Prompt::new(
                    PromptKind::Capacity(None),
                    format!("Spots on every open day ({})", short_days(&open)),
                ));
                Vec::new()
            }
            Action::Refresh => vec![Command::LoadSpots],
            Action::Copy => {
                self.say("Nothing to copy on this screen.");
                Vec::new()
            }
            other => {
                self.spots.cursor.motion(other, self.spots.rows.len(), 7);
                Vec::new()
            }
        }
    }

    /// Esc in a prompt: closes it; a filter goes back to what it was when the prompt opened.
    pub(super) fn cancel_prompt(&mut self) -> Vec<Command> {
        let Some(mut prompt) = self.prompt.take() else {
            return Vec::new();
        };
        if prompt.kind.filters() && prompt.text != prompt.before {
            prompt.text = prompt.before.clone();
            self.prompt = Some(prompt);
            let commands = self.live_filter();
            self.prompt = None;
            return commands;
        }
        Vec::new()
    }

    /// A filter prompt applies what is typed so far, on every key.
    pub(super) fn live_filter(&mut self) -> Vec<Command> {
        let Some(prompt) = self.prompt.as_ref() else {
            return Vec::new();
        };
        let text = prompt.text.trim().to_string();
        match prompt.kind {
            PromptKind::ChildFilter => {
                let child = (!text.is_empty()).then_some(text);
                if self.executions.filter.child == child {
                    return Vec::new();
                }
                self.executions.filter.child = child;
                vec![self.executions.reload()]
            }
            PromptKind::ChildrenFilter => {
                let body = self.body();
                self.children.set_filter(&text, body);
                Vec::new()
            }
            PromptKind::HelpFilter => {
                self.help_filter = text;
                self.help_scroll = 0;
                Vec::new()
            }
            PromptKind::AuditFilter => self.lists_live_filter(&text),
            PromptKind::File
            | PromptKind::Capacity(_)
            | PromptKind::RemoveReason(_)
            | PromptKind::WaitlistNote
            | PromptKind::WithdrawReason
            | PromptKind::WithdrawDate
            | PromptKind::RosterDay => Vec::new(),
        }
    }

    pub(super) fn answer_prompt(&mut self) -> Vec<Command> {
        let Some(prompt) = self.prompt.take() else {
            return Vec::new();
        };
        let text = prompt.text.trim().to_string();
        match prompt.kind {
            // Already applied while typing; Enter keeps it.
            PromptKind::ChildFilter
            | PromptKind::ChildrenFilter
            | PromptKind::HelpFilter
            | PromptKind::AuditFilter => Vec::new(),
            PromptKind::RemoveReason(_) | PromptKind::WaitlistNote => {
                self.answer_lists_prompt(prompt)
            }
            PromptKind::File => {
                if text.is_empty() {
                    return Vec::new();
                }
                vec![Command::ReadFile(text.into())]
            }
            PromptKind::WithdrawReason => self.answer_withdraw_reason(prompt),
            PromptKind::WithdrawDate => self.answer_withdraw_date(prompt),
            PromptKind::RosterDay => self.answer_roster_day(prompt),
            PromptKind::Capacity(day) => match text.parse::<u32>() {
                Ok(capacity) => self.set_capacity(day, capacity),
                Err(_) => {
                    let error = if text.is_empty() {
                        "type a whole number of spots, such as 20"
                    } else {
                        "not a number of spots; type a whole number, such as 20"
                    };
                    self.prompt = Some(Prompt {
                        error: Some(error.to_string()),
                        fresh: false,
                        ..prompt
                    });
                    Vec::new()
                }
            },
        }
    }

    /// Sets capacity, asking first when it opens a closed day or more than doubles or
    /// halves a day's spots (a mistyped number would change real places).
    fn set_capacity(&mut self, day: Option<Weekday>, capacity: u32) -> Vec<Command> {
        let changed: Vec<&DaySpots> = self
            .spots
            .rows
            .iter()
            .filter(|d| match day {
                Some(day) => d.day == day,
                None => !d.closed(),
            })
            .filter(|d| d.capacity != capacity)
            .collect();
        let command = Command::SetCapacity(day, capacity);
        let opened: Vec<Weekday> = changed
            .iter()
            .filter(|d| d.closed() && capacity > 0)
            .map(|d| d.day)
            .collect();
        let big: Vec<String> = changed
            .iter()
            .filter(|d| !d.closed())
            .filter(|d| {
                capacity > d.capacity.saturating_mul(2) || capacity.saturating_mul(2) < d.capacity
            })
            .map(|d| format!("{} {} → {capacity}", weekday_name(d.day), d.capacity))
            .collect();
        let message = if !opened.is_empty() {
            format!(
                "{} is closed. Open it with {capacity} spot{}?",
                short_days(&opened),
                if capacity == 1 { "" } else { "s" }
            )
        } else if capacity == 0 && !big.is_empty() {
            format!(
                "Close {}? ({})",
                short_days(&changed.iter().map(|d| d.day).collect::<Vec<_>>()),
                big.join(", ")
            )
        } else if !big.is_empty() {
            format!("That is a big change: {}. Save it?", big.join(", "))
        } else {
            return vec![command];
        };
        self.confirm = Some(Confirm {
            message,
            on_yes: Then::Run(command),
        });
        Vec::new()
    }

    /// The help scrolls with the list keys and stops at its last line.
    pub(super) fn scroll_help(&mut self, action: Action) {
        let visible = self.help_height();
        let rows = crate::console::render::help_rows(self).len();
        let last = u16::try_from(rows)
            .unwrap_or(u16::MAX)
            .saturating_sub(visible);
        let page = visible.max(1);
        self.help_scroll = match action {
            Action::Down => self.help_scroll.saturating_add(3),
            Action::Up => self.help_scroll.saturating_sub(3),
            Action::PageDown => self.help_scroll.saturating_add(page),
            Action::PageUp => self.help_scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            _ => self.help_scroll,
        }
        .min(last);
    }

    /// Lines of help shown at once (the overlay less its border).
    fn help_height(&self) -> u16 {
        self.size.1.saturating_sub(4).saturating_sub(2)
    }
}

fn open_days(rows: &[DaySpots]) -> Vec<Weekday> {
    rows.iter().filter(|d| !d.closed()).map(|d| d.day).collect()
}

/// "Mon–Fri" style lists: "Monday", or "Mon, Tue, Sat".
fn short_days(days: &[Weekday]) -> String {
    match days {
        [one] => weekday_name(*one).to_string(),
        many => many
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}
