//! Changing a child's record from the console: the change form (`e`), a withdrawal asked
//! for in three steps (why, from which day, sure?), the class list and contact sheet
//! exports, and the reports that answer them. State changes only; the desk's work goes
//! out as commands.

use chrono::{NaiveDate, Weekday};

use super::{App, Confirm, Prompt, PromptKind, Then};
use crate::console::action::{Action, Command};
use crate::console::screens::amend::AmendState;
use crate::console::screens::children::short_days;
use crate::registration::changes::REASON;
use crate::store::Registration;
use crate::text::{clean, quote};

/// A withdrawal being asked for: whose, and the reason once given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub id: i64,
    /// "First Last".
    pub child: String,
    pub days: Vec<Weekday>,
    pub reason: String,
}

impl App {
    /// The first step of a withdrawal: asks why the child leaves.
    pub(super) fn ask_withdrawal(&mut self, child: &Registration) {
        let withdrawal = Withdrawal {
            id: child.id,
            child: clean(&child.child()),
            days: child.days.clone(),
            reason: String::new(),
        };
        self.prompt = Some(Prompt::new(
            PromptKind::WithdrawReason,
            format!("Why does {} leave? (required)", withdrawal.child),
        ));
        self.withdrawal = Some(withdrawal);
    }

    /// The reason given: kept, then the day is asked (today, filled in).
    pub(super) fn answer_withdraw_reason(&mut self, prompt: Prompt) -> Vec<Command> {
        let reason = prompt.text.trim().to_string();
        let error = if reason.is_empty() {
            Some("a reason is required: say why the child leaves".to_string())
        } else if reason.chars().count() > REASON {
            Some(format!("at most {REASON} characters"))
        } else {
            None
        };
        let Some(withdrawal) = self.withdrawal.as_mut().filter(|_| error.is_none()) else {
            self.prompt = Some(Prompt {
                error,
                fresh: false,
                ..prompt
            });
            return Vec::new();
        };
        withdrawal.reason = reason;
        self.prompt = Some(Prompt::filled(
            PromptKind::WithdrawDate,
            "Leaves from (YYYY-MM-DD, today or later)",
            self.today().to_string(),
        ));
        Vec::new()
    }

    /// The day given: checked, then the question before withdrawing (No by default).
    pub(super) fn answer_withdraw_date(&mut self, prompt: Prompt) -> Vec<Command> {
        let today = self.today();
        let text = prompt.text.trim();
        let on = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(on) if on >= today => on,
            Ok(_) => {
                let error = format!("that day has passed; give today ({today}) or a later day");
                self.prompt = Some(Prompt {
                    error: Some(error),
                    fresh: false,
                    ..prompt
                });
                return Vec::new();
            }
            Err(_) => {
                self.prompt = Some(Prompt {
                    error: Some(format!("type a day as YYYY-MM-DD, such as {today}")),
                    fresh: false,
                    ..prompt
                });
                return Vec::new();
            }
        };
        let Some(withdrawal) = self.withdrawal.take() else {
            return Vec::new();
        };
        self.confirm = Some(Confirm {
            message: withdraw_question(&withdrawal, on, today),
            on_yes: Then::Run(Command::Withdraw {
                id: withdrawal.id,
                reason: withdrawal.reason,
                on,
            }),
        });
        Vec::new()
    }

    /// The Children list's `x`: asks for the weekday of the class list.
    pub(super) fn ask_roster_day(&mut self) {
        self.prompt = Some(Prompt::new(
            PromptKind::RosterDay,
            "Class list for which weekday (Mon … Sun)",
        ));
    }

    pub(super) fn answer_roster_day(&mut self, prompt: Prompt) -> Vec<Command> {
        match crate::weekday::parse(prompt.text.trim()) {
            Some(day) => {
                self.say(format!(
                    "Writing the class list for {}…",
                    crate::weekday::name(day)
                ));
                vec![Command::ExportRoster(day)]
            }
            None => {
                self.prompt = Some(Prompt {
                    error: Some("type a weekday, such as Monday or Mon".into()),
                    fresh: false,
                    ..prompt
                });
                Vec::new()
            }
        }
    }

    /// `e` on a record: the change form, filled from the record (not on a withdrawn one).
    pub(super) fn open_amend(&mut self) {
        let Some(record) = self.record.as_ref() else {
            return;
        };
        let Some(loaded) = record.loaded.as_ref() else {
            self.say("The record is still being read; try again in a moment.");
            return;
        };
        let child = clean(&loaded.registration.child());
        if record.read_only() {
            self.warn(format!(
                "{child} is withdrawn: the record is read-only and cannot be changed."
            ));
            return;
        }
        match &loaded.document {
            Ok(document) => {
                self.status = None;
                self.amend = Some(AmendState::of(
                    loaded.registration.id,
                    child,
                    &loaded.registration.days,
                    document,
                ));
            }
            Err(reason) => self.warn(format!(
                "This record cannot be changed here: its document cannot be read ({})",
                clean(reason)
            )),
        }
    }

    /// `w` on a record: the withdrawal's questions (not on a withdrawn one).
    pub(super) fn withdraw_from_record(&mut self) {
        let Some(loaded) = self.record.as_ref().and_then(|r| r.loaded.as_ref()) else {
            return;
        };
        let registration = loaded.registration.clone();
        if self.record.as_ref().is_some_and(|r| r.read_only()) {
            let child = clean(&registration.child());
            self.say(format!("{child} is already withdrawn."));
            return;
        }
        self.ask_withdrawal(&registration);
    }

    /// A key in the change form: Ctrl-S saves what changed, Esc closes (asking first
    /// when something was changed), the rest moves and toggles.
    pub(super) fn apply_amend(&mut self, action: Action) -> Vec<Command> {
        let Some(amend) = self.amend.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Submit | Action::Back if amend.saving => {
                self.warn("The changes are being saved; wait for the outcome.");
                Vec::new()
            }
            Action::Submit => match amend.changes() {
                Ok(changes) => {
                    amend.saving = true;
                    amend.error = None;
                    let id = amend.id;
                    self.say("Saving: running the amendment…");
                    vec![Command::Amend { id, changes }]
                }
                Err(why) => {
                    amend.error = Some(why);
                    Vec::new()
                }
            },
            Action::Back if amend.edited() => {
                self.confirm = Some(Confirm {
                    message: format!(
                        "Close the form and lose the changes typed for {}? They have not been saved.",
                        amend.child
                    ),
                    on_yes: Then::DiscardAmend,
                });
                Vec::new()
            }
            Action::Back => {
                self.amend = None;
                Vec::new()
            }
            other => {
                amend.apply(other);
                Vec::new()
            }
        }
    }

    /// An amendment ended: saved, the form closes and the record is read again; refused,
    /// the form stays with what was typed and the reason in plain words.
    pub(super) fn amended(&mut self, id: i64, result: Result<(), String>) -> Vec<Command> {
        let Some(amend) = self.amend.as_mut().filter(|a| a.id == id) else {
            return Vec::new();
        };
        amend.saving = false;
        match result {
            Ok(()) => {
                let child = amend.child.clone();
                self.amend = None;
                self.say(format!("{child}'s record is changed."));
                self.executions.stale = true;
                self.children.stale = true;
                vec![Command::LoadRecord(id), Command::LoadDashboard]
            }
            Err(reason) => {
                let reason = clean(&reason);
                amend.error = Some(reason.clone());
                self.warn(format!("Not changed: {reason}"));
                Vec::new()
            }
        }
    }

    /// A withdrawal ended well: what it means, and every view of it read again.
    pub(super) fn withdrawn(&mut self, registration: &Registration) -> Vec<Command> {
        let child = clean(&registration.child());
        let days = crate::weekday::listed(&registration.days);
        let today = self.today();
        match registration.leaves_on.filter(|on| *on > today) {
            Some(on) => self.say(format!(
                "{child} leaves on {on}; their spots on {days} are free from then."
            )),
            None => self.say(format!(
                "{child} withdrawn; their spots on {days} are free again."
            )),
        }
        self.executions.stale = true;
        let mut commands = vec![
            self.children.load(),
            Command::LoadSpots,
            Command::LoadDashboard,
        ];
        if let Some(record) = self.record.as_ref().filter(|r| r.id == registration.id) {
            commands.push(Command::LoadRecord(record.id));
        }
        commands
    }
}

/// "Withdraw Awa Diallo today? …" with the reason and what happens to the spots.
pub fn withdraw_question(withdrawal: &Withdrawal, on: NaiveDate, today: NaiveDate) -> String {
    let reason = quote(&withdrawal.reason, 80);
    let days = clean(&short_days(&withdrawal.days));
    if on == today {
        format!(
            "Withdraw {} today, for \"{reason}\"? Their spots on {days} become free. This cannot be undone.",
            withdrawal.child
        )
    } else {
        format!(
            "Withdraw {} from {on}, for \"{reason}\"? They stay enrolled until then; their spots on {days} free from that day. This cannot be undone.",
            withdrawal.child
        )
    }
}
