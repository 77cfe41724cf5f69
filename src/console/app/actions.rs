//! What each screen does with an action: the per-screen half of `App::apply`, and
//! the answers to prompts. State changes only; work for the background comes back as commands.

use super::{App, Confirm, Prompt, PromptKind};
use crate::console::action::{Action, Command};
use crate::console::form::weekday_name;
use crate::console::screens::children;

impl App {
    pub(super) fn apply_dashboard(&mut self, action: Action) -> Vec<Command> {
        let len = self.dashboard.recent.len();
        match action {
            Action::Down => self.dashboard.cursor.step(1, len, len),
            Action::Up => self.dashboard.cursor.step(-1, len, len),
            Action::Refresh => return vec![Command::LoadDashboard],
            Action::Open => {
                if let Some(row) = self.dashboard.recent.get(self.dashboard.cursor.selected) {
                    return self.open_execution(row.name.clone());
                }
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn apply_register(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::LoadFile => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::File,
                    label: "Registration file (JSON)".into(),
                    text: String::new(),
                });
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
            Action::Filter => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::ChildFilter,
                    label: "Child's name contains".into(),
                    text: self.executions.filter.child.clone().unwrap_or_default(),
                });
                Vec::new()
            }
            Action::CycleStatus => {
                self.executions.cycle_status();
                vec![self.executions.reload()]
            }
            Action::ClearFilter => {
                self.executions.filter = Default::default();
                vec![self.executions.reload()]
            }
            Action::Refresh => vec![self.executions.reload()],
            other => self.executions.navigate(other, body).into_iter().collect(),
        }
    }

    pub(super) fn apply_children(&mut self, action: Action) -> Vec<Command> {
        let body = self.body();
        match action {
            Action::Withdraw => {
                if let Some(child) = self.children.selected() {
                    self.confirm = Some(Confirm {
                        message: children::withdraw_question(child),
                        on_yes: Command::Withdraw(child.id),
                    });
                }
                Vec::new()
            }
            Action::Refresh => vec![Command::LoadChildren],
            other => {
                self.children.navigate(other, body);
                Vec::new()
            }
        }
    }

    pub(super) fn apply_spots(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::EditDay => {
                if let Some(day) = self.spots.rows.get(self.spots.cursor.selected) {
                    self.prompt = Some(Prompt {
                        kind: PromptKind::Capacity(Some(day.day)),
                        label: format!("Spots on {}", weekday_name(day.day)),
                        text: day.capacity.to_string(),
                    });
                }
                Vec::new()
            }
            Action::EditAll => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Capacity(None),
                    label: "Spots on every day".into(),
                    text: String::new(),
                });
                Vec::new()
            }
            Action::Refresh => vec![Command::LoadSpots],
            Action::Down => {
                self.spots.cursor.step(1, self.spots.rows.len(), 7);
                Vec::new()
            }
            Action::Up => {
                self.spots.cursor.step(-1, self.spots.rows.len(), 7);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn answer_prompt(&mut self) -> Vec<Command> {
        let Some(prompt) = self.prompt.take() else {
            return Vec::new();
        };
        let text = prompt.text.trim().to_string();
        match prompt.kind {
            PromptKind::ChildFilter => {
                self.executions.filter.child = (!text.is_empty()).then_some(text);
                vec![self.executions.reload()]
            }
            PromptKind::File => {
                if text.is_empty() {
                    return Vec::new();
                }
                vec![Command::ReadFile(text.into())]
            }
            PromptKind::Capacity(day) => match text.parse::<u32>() {
                Ok(capacity) => vec![Command::SetCapacity(day, capacity)],
                Err(_) => {
                    self.warn(format!(
                        "\"{}\" is not a number of spots; type a whole number such as 20.",
                        crate::text::quote(&text, 40)
                    ));
                    self.prompt = Some(Prompt {
                        text: String::new(),
                        ..prompt
                    });
                    Vec::new()
                }
            },
        }
    }
}
