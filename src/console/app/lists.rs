//! The waitlist and audit half of the app: their keys, their prompts (a removal's
//! reason, a note for a refused registration going on the list, the audit's child
//! filter), exports of lists as CSV, and the reports that answer them.

use super::{App, Confirm, Prompt, PromptKind, Then};
use crate::console::action::{Action, Command, Msg, Tab};
use crate::console::screens::waitlist;
use crate::text::clean;

impl App {
    pub(super) fn apply_waitlist(&mut self, action: Action) -> Vec<Command> {
        let body = self.body();
        match action {
            Action::Offer if self.waitlist.offering.is_some() => {
                self.warn("An offer is running; wait for its outcome.");
            }
            Action::Offer => match self.waitlist.selected() {
                Some(entry) => {
                    self.confirm = Some(Confirm {
                        message: waitlist::offer_question(entry),
                        on_yes: Then::Offer(entry.entry.id),
                    });
                }
                None => self.say("Nothing to offer: nobody is waiting."),
            },
            Action::RemoveEntry => match self.waitlist.selected() {
                Some(entry) => {
                    self.prompt = Some(Prompt::new(
                        PromptKind::RemoveReason(entry.entry.id),
                        format!(
                            "Why does {} come off the waitlist",
                            clean(&entry.entry.child())
                        ),
                    ));
                }
                None => self.say("Nothing to remove: nobody is waiting."),
            },
            Action::ExportSheet => return vec![Command::ExportWaitlist],
            Action::Refresh => return vec![Command::LoadWaitlist],
            other => self.waitlist.navigate(other, body),
        }
        Vec::new()
    }

    pub(super) fn apply_audit(&mut self, action: Action) -> Vec<Command> {
        let body = self.body();
        match action {
            Action::Filter => {
                self.prompt = Some(Prompt::filled(
                    PromptKind::AuditFilter,
                    "Child's name contains",
                    self.audit.filter.child.clone().unwrap_or_default(),
                ));
                Vec::new()
            }
            Action::CycleStatus => {
                self.audit.cycle_kind();
                vec![self.audit.reload()]
            }
            Action::ClearFilter => {
                if self.audit.filter == Default::default() {
                    return Vec::new();
                }
                self.audit.filter = Default::default();
                self.audit.cursor.first();
                self.say("Filters cleared: every entry is listed.");
                vec![self.audit.reload()]
            }
            Action::Refresh => vec![self.audit.reload()],
            other => {
                self.audit.navigate(other, body);
                Vec::new()
            }
        }
    }

    /// Yes to an offer: it runs on the desk, and the status line says so meanwhile.
    pub(super) fn start_offer(&mut self, id: i64) -> Vec<Command> {
        let child = self
            .waitlist
            .rows
            .iter()
            .find(|w| w.entry.id == id)
            .map(|w| clean(&w.entry.child()))
            .unwrap_or_else(|| format!("entry {id}"));
        self.waitlist.offering = Some(id);
        self.say(format!(
            "Offering {child} a spot: running the registration workflow…"
        ));
        vec![Command::Offer(id)]
    }

    /// `W` on a refusal for want of spots: asks for an optional note first.
    pub(super) fn ask_waitlist_note(&mut self) -> Vec<Command> {
        let execution = match &self.detail {
            Some(detail) if detail.waitlistable() => Some(detail.name.clone()),
            Some(_) => None,
            None => self.register.refused_for_spots(),
        };
        let Some(execution) = execution else {
            return Vec::new();
        };
        self.waitlist.note_for = Some(execution);
        self.prompt = Some(Prompt::new(
            PromptKind::WaitlistNote,
            "Priority note for the waitlist (optional; Enter for none)",
        ));
        Vec::new()
    }

    /// Every key in the audit's child filter.
    pub(super) fn lists_live_filter(&mut self, text: &str) -> Vec<Command> {
        if self.audit.set_child(text) {
            vec![self.audit.reload()]
        } else {
            Vec::new()
        }
    }

    /// Enter in one of this half's prompts.
    pub(super) fn answer_lists_prompt(&mut self, prompt: Prompt) -> Vec<Command> {
        let text = prompt.text.trim().to_string();
        match prompt.kind {
            PromptKind::RemoveReason(id) => {
                if text.is_empty() {
                    self.prompt = Some(Prompt {
                        error: Some("a reason is needed".into()),
                        fresh: false,
                        ..prompt
                    });
                    return Vec::new();
                }
                vec![Command::RemoveFromWaitlist { id, reason: text }]
            }
            PromptKind::WaitlistNote => match self.waitlist.note_for.take() {
                Some(execution) => vec![Command::PutOnWaitlist {
                    execution,
                    note: (!text.is_empty()).then_some(text),
                }],
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Reports for the waitlist, the audit, the dashboard's lists line and the sheets.
    pub(super) fn on_lists_msg(&mut self, msg: Msg) -> Vec<Command> {
        let body = self.body();
        match msg {
            Msg::Waitlist(rows) => {
                let lists = self.dashboard.lists.get_or_insert_with(Default::default);
                lists.waiting = rows.len();
                lists.fit = rows
                    .iter()
                    .filter(|w| w.fits)
                    .map(|w| w.entry.child())
                    .collect();
                self.waitlist.set(rows, body);
                Vec::new()
            }
            Msg::Audit { filter, entries } => {
                self.audit.set(filter, entries, body);
                Vec::new()
            }
            Msg::AgeingOut(n) => {
                self.dashboard
                    .lists
                    .get_or_insert_with(Default::default)
                    .ageing_out = n;
                Vec::new()
            }
            Msg::Waitlisted(Ok(entry)) => {
                self.waitlist.put.push(entry.refused_execution.clone());
                let sibling = entry
                    .sibling_of
                    .map(|s| format!(", sibling of registration {s}"))
                    .unwrap_or_default();
                self.say(format!(
                    "{} is on the waitlist as entry {} for {}{sibling}.",
                    clean(&entry.child()),
                    entry.id,
                    crate::weekday::listed(&entry.days)
                ));
                self.after_waitlist_change()
            }
            Msg::Waitlisted(Err(reason)) => {
                self.warn(format!("Not put on the waitlist: {reason}"));
                Vec::new()
            }
            Msg::Offered(Ok(offered)) => {
                self.waitlist.offering = None;
                match waitlist::offered_news(&offered) {
                    Ok(news) => self.say(news),
                    Err(news) => self.warn(news),
                }
                self.executions.stale = true;
                self.after_waitlist_change()
            }
            Msg::Offered(Err(reason)) => {
                self.waitlist.offering = None;
                self.warn(format!("The offer could not run: {reason}"));
                self.after_waitlist_change()
            }
            Msg::RemovedFromWaitlist(Ok(entry)) => {
                self.say(format!(
                    "{} is off the waitlist (entry {}).",
                    clean(&entry.child()),
                    entry.id
                ));
                self.after_waitlist_change()
            }
            Msg::RemovedFromWaitlist(Err(reason)) => {
                self.warn(format!("Not removed: {reason}"));
                Vec::new()
            }
            Msg::SheetWritten {
                what,
                written: Ok((path, rows)),
            } => {
                self.say(format!(
                    "{} written ({rows} row{}) to {}",
                    super::reports::capitalised(&what),
                    if rows == 1 { "" } else { "s" },
                    clean(&path.display().to_string())
                ));
                Vec::new()
            }
            Msg::SheetWritten {
                what,
                written: Err(reason),
            } => {
                self.warn(format!("The {what} was not written: {}", clean(&reason)));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The waitlist changed: what shows it reads it again.
    fn after_waitlist_change(&mut self) -> Vec<Command> {
        match self.tab {
            Tab::Waitlist => vec![Command::LoadWaitlist],
            Tab::Dashboard => vec![Command::LoadDashboard],
            Tab::Audit => vec![self.audit.reload()],
            _ => Vec::new(),
        }
    }
}
