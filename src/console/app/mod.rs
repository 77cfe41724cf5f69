//! The console's state and the one place it changes: keys and clicks become actions,
//! actions and background reports change state and ask for background work (`Command`s).
//! Nothing here touches the terminal, the database or the engine.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

mod actions;
pub mod edit;
mod lists;
mod records;
mod reports;

pub use records::Withdrawal;

use super::action::{Action, Command, Tab};
use super::keymap::{self, Context, Key};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::screens::{
    amend, audit, children, dashboard, detail, executions, record, register, spots, waitlist,
};
use super::theme::Theme;
use super::ui::Ui;
use crate::registration::Clock;

/// A line of news for staff, above the footer. It belongs to the screen and the moment
/// it was said: a screen change clears it, and it goes by itself after a while.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    pub said: Instant,
}

/// How long news stays on the status line; bad news stays longer.
pub const NEWS_LIFETIME: Duration = Duration::from_secs(8);
pub const WARNING_LIFETIME: Duration = Duration::from_secs(20);

impl Status {
    /// When it goes by itself.
    pub fn expires(&self) -> Instant {
        self.said
            + if self.error {
                WARNING_LIFETIME
            } else {
                NEWS_LIFETIME
            }
    }
}

/// What a prompt's answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// The executions list, by child's name (filters as staff type).
    ChildFilter,
    /// The children list, by name (filters as staff type).
    ChildrenFilter,
    /// The help, by key or words (filters as staff type).
    HelpFilter,
    File,
    Capacity(Option<chrono::Weekday>),
    /// The audit, by child's name (filters as staff type).
    AuditFilter,
    /// Why waitlist entry N comes off the list.
    RemoveReason(i64),
    /// An optional note for the refused registration going on the waitlist.
    WaitlistNote,
    /// Why the child in `App::withdrawal` leaves (required).
    WithdrawReason,
    /// From which day they leave (today or later).
    WithdrawDate,
    /// The weekday whose class list to write.
    RosterDay,
}

impl PromptKind {
    /// A filter applies on every key, not only on Enter.
    pub fn filters(self) -> bool {
        matches!(
            self,
            PromptKind::ChildFilter
                | PromptKind::ChildrenFilter
                | PromptKind::HelpFilter
                | PromptKind::AuditFilter
        )
    }
}

/// A one-line question at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub label: String,
    pub text: String,
    /// Where typing goes; `None` is the end.
    pub caret: edit::Caret,
    /// The text was filled in for staff: the first key typed replaces it.
    pub fresh: bool,
    /// Why the last answer was refused, shown inside the prompt beside the kept text.
    pub error: Option<String>,
    /// What the text was when the prompt opened (a filter goes back to it on Esc).
    pub before: String,
}

impl Prompt {
    /// An empty prompt.
    pub fn new(kind: PromptKind, label: impl Into<String>) -> Prompt {
        Prompt::filled(kind, label, String::new())
    }

    /// A prompt holding `text`, which the first key typed replaces.
    pub fn filled(kind: PromptKind, label: impl Into<String>, text: String) -> Prompt {
        Prompt {
            kind,
            label: label.into(),
            fresh: !text.is_empty(),
            before: text.clone(),
            text,
            caret: None,
            error: None,
        }
    }

    fn edit(&mut self, edit: edit::Edit) {
        if self.fresh && matches!(edit, edit::Edit::Insert(_)) {
            self.text.clear();
            self.caret = None;
        }
        self.fresh = false;
        self.error = None;
        edit::apply(&mut self.text, &mut self.caret, edit);
    }
}

/// What a confirmed question does.
#[derive(Debug, Clone)]
pub enum Then {
    Run(Command),
    Quit,
    /// Empty the registration form.
    NewForm,
    /// Offer a spot to waitlist entry N (and say it runs).
    Offer(i64),
    /// Close the record's change form, losing what was typed.
    DiscardAmend,
}

/// A yes/no question before something that cannot be undone; No is the default.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub message: String,
    pub on_yes: Then,
}

pub struct App {
    pub tab: Tab,
    /// An execution opened over the screen (over a record, when opened from one).
    pub detail: Option<detail::DetailState>,
    /// A child's record opened over the Children list.
    pub record: Option<record::RecordState>,
    /// The record's change form, open over the record.
    pub amend: Option<amend::AmendState>,
    /// A withdrawal being asked for (reason, then day, then to be sure).
    pub withdrawal: Option<Withdrawal>,
    pub help: bool,
    /// Lines of the help scrolled past.
    pub help_scroll: u16,
    /// Only the help lines matching this are shown (empty: all).
    pub help_filter: String,
    pub size: (u16, u16),
    pub clock: Clock,
    pub theme: Theme,
    pub status: Option<Status>,
    /// The database is open.
    pub ready: bool,
    /// Why the database cannot be used, when it cannot.
    pub unavailable: Option<String>,
    pub dashboard: dashboard::DashboardState,
    pub register: register::RegisterState,
    pub executions: executions::ExecutionsState,
    pub children: children::ChildrenState,
    pub spots: spots::SpotsState,
    pub waitlist: waitlist::WaitlistState,
    pub audit: audit::AuditState,
    pub prompt: Option<Prompt>,
    pub confirm: Option<Confirm>,
    pub quit: bool,
    /// Advances while something runs, for the spinner.
    pub tick: usize,
    /// Text to hand to the terminal's clipboard (OSC 52) once this key is answered.
    pub clipboard: Option<String>,
}

impl App {
    pub fn new(clock: Clock, theme: Theme, size: (u16, u16)) -> App {
        App {
            tab: Tab::Dashboard,
            detail: None,
            record: None,
            amend: None,
            withdrawal: None,
            help: false,
            help_scroll: 0,
            help_filter: String::new(),
            size,
            clock,
            theme,
            status: None,
            ready: false,
            unavailable: None,
            dashboard: Default::default(),
            register: Default::default(),
            executions: Default::default(),
            children: Default::default(),
            spots: Default::default(),
            waitlist: Default::default(),
            audit: Default::default(),
            prompt: None,
            confirm: None,
            quit: false,
            tick: 0,
            clipboard: None,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// What the screens draw with besides their own state.
    pub fn ui(&self) -> Ui<'_> {
        Ui {
            theme: &self.theme,
            today: self.clock.today(),
            start_date: self.clock.start_date(),
            tick: self.tick,
            ready: self.ready,
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub fn body(&self) -> Rect {
        layout::areas(self.area()).body
    }

    /// Something is running in the background that the screen shows progress for.
    pub fn busy(&self) -> bool {
        self.register.running()
            || self.executions.loading
            || (!self.ready && self.unavailable.is_none())
    }

    /// Which key table answers now.
    pub fn context(&self) -> Context {
        if self.too_small() {
            Context::TooSmall
        } else if self.help && self.prompt.is_none() {
            Context::Help
        } else if self.confirm.is_some() {
            Context::Confirm
        } else if self.prompt.is_some() {
            Context::Prompt
        } else {
            self.screen_context()
        }
    }

    /// The screen's own key table, whatever question, prompt or help is over it: what
    /// the help lists first.
    pub fn screen_context(&self) -> Context {
        if let Some(detail) = &self.detail {
            if detail.waitlistable() && !self.waitlist.listed(&detail.name) {
                Context::DetailRefused
            } else {
                Context::Detail
            }
        } else if let Some(amend) = &self.amend {
            amend.context()
        } else if self.record.is_some() {
            Context::Record
        } else {
            match self.tab {
                Tab::Dashboard => Context::Dashboard,
                Tab::Register => match self.register.context() {
                    Context::RegisterOutcome
                        if self
                            .register
                            .refused_for_spots()
                            .is_some_and(|name| !self.waitlist.listed(&name)) =>
                    {
                        Context::RegisterRefused
                    }
                    context => context,
                },
                Tab::Executions => Context::Executions,
                Tab::Children => Context::Children,
                Tab::Spots => Context::Spots,
                Tab::Waitlist => Context::Waitlist,
                Tab::Audit => Context::Audit,
            }
        }
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
            said: Instant::now(),
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
            said: Instant::now(),
        });
    }

    /// Clears the status line once its message is old at `now`; true when it did.
    pub fn expire(&mut self, now: Instant) -> bool {
        let old = self.status.as_ref().is_some_and(|s| s.expires() <= now);
        if old {
            self.status = None;
        }
        old
    }

    /// Puts `text` on the clipboard and says what it was.
    pub fn copy(&mut self, what: &str, text: String) {
        self.say(format!(
            "Copied {what} to the clipboard: {}",
            crate::text::quote(&text, 40)
        ));
        self.clipboard = Some(text);
    }

    /// The commands to run when the console starts.
    pub fn start(&mut self) -> Vec<Command> {
        vec![Command::LoadDashboard]
    }

    /// A key press: a focused field or prompt takes it first, then the keymap. A terminal
    /// sends Esc and a key typed fast after it as Alt+key, so Alt+key is Esc then the key
    /// (but for the word moves of a text field, Alt-B and Alt-F).
    pub fn on_key(&mut self, event: KeyEvent) -> Vec<Command> {
        if event.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let context = self.context();
        let alt = event.modifiers.contains(KeyModifiers::ALT)
            && !event.modifiers.contains(KeyModifiers::CONTROL);
        if alt && self.types_text(context) && self.consume(context, &event) {
            return self.after_edit(context);
        }
        if alt && event.code != KeyCode::Esc {
            let mut commands = self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            commands.extend(self.on_key(KeyEvent::new(
                event.code,
                event.modifiers.difference(KeyModifiers::ALT),
            )));
            return commands;
        }
        let key = Key::from_event(&event);
        if key != keymap::CTRL_C && self.consume(context, &event) {
            return self.after_edit(context);
        }
        match keymap::lookup(context, key) {
            Some(action) => self.apply(action),
            None => Vec::new(),
        }
    }

    /// Text pasted into the terminal (bracketed paste): into the field or prompt that has
    /// the keyboard, on one line; elsewhere it is ignored.
    pub fn on_paste(&mut self, text: &str) -> Vec<Command> {
        let context = self.context();
        match context {
            Context::Prompt => {
                if let Some(prompt) = self.prompt.as_mut() {
                    if prompt.fresh {
                        prompt.text.clear();
                        prompt.fresh = false;
                    }
                    prompt.error = None;
                    edit::paste(&mut prompt.text, &mut prompt.caret, text);
                }
            }
            Context::RegisterText => self
                .register
                .edit_text(|value, caret| edit::paste(value, caret, text)),
            Context::AmendText => {
                if let Some(amend) = self.amend.as_mut() {
                    amend.edit_text(|value, caret| edit::paste(value, caret, text));
                }
            }
            _ => return Vec::new(),
        }
        self.after_edit(context)
    }

    /// Whether a text field or prompt has the keyboard.
    fn types_text(&self, context: Context) -> bool {
        matches!(
            context,
            Context::Prompt | Context::RegisterText | Context::AmendText
        )
    }

    /// Gives a key to the focused text field or prompt. True when it was used (consumed).
    fn consume(&mut self, context: Context, event: &KeyEvent) -> bool {
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let edit = edit::Edit::of_key(event);
        match (context, edit) {
            (Context::Prompt, Some(edit)) => {
                let Some(prompt) = self.prompt.as_mut() else {
                    return false;
                };
                prompt.edit(edit);
                true
            }
            (Context::RegisterText, Some(edit)) => {
                self.register
                    .edit_text(|value, caret| edit::apply(value, caret, edit));
                true
            }
            (Context::AmendText, Some(edit)) => {
                if let Some(amend) = self.amend.as_mut() {
                    amend.edit_text(|value, caret| edit::apply(value, caret, edit));
                }
                true
            }
            // The day toggles take letters too, so a stray `q` or `1` does nothing.
            (Context::RegisterDays | Context::AmendDays, _) => {
                let ctrl = alt || event.modifiers.contains(KeyModifiers::CONTROL);
                matches!(event.code, KeyCode::Char(c) if !ctrl && !" xhl".contains(c))
            }
            _ => false,
        }
    }

    fn after_edit(&mut self, context: Context) -> Vec<Command> {
        if context == Context::Prompt {
            return self.live_filter();
        }
        self.register.recheck(self.clock.today());
        Vec::new()
    }

    /// A mouse event: wheel scrolls, a click picks a tab or a row (a second click opens it).
    pub fn on_mouse(&mut self, event: MouseEvent) -> Vec<Command> {
        let context = self.context();
        match event.kind {
            MouseEventKind::ScrollDown if context != Context::TooSmall => self.apply(Action::Down),
            MouseEventKind::ScrollUp if context != Context::TooSmall => self.apply(Action::Up),
            MouseEventKind::Down(MouseButton::Left)
                if context.globals()
                    || matches!(
                        context,
                        Context::RegisterText | Context::RegisterDays | Context::RegisterButton
                    ) =>
            {
                self.click(event.column, event.row)
            }
            _ => Vec::new(),
        }
    }

    fn click(&mut self, x: u16, y: u16) -> Vec<Command> {
        let areas = layout::areas(self.area());
        if layout::contains(areas.tabs, x, y) {
            return match layout::tab_at_in(x, areas.tabs.width) {
                Some(tab) => self.apply(Action::Go(tab)),
                None => Vec::new(),
            };
        }
        if self.detail.is_none() && self.record.is_some() {
            return Vec::new();
        }
        let rows_area = match (self.detail.is_some(), self.tab) {
            (true, _) => {
                if let Some(detail) = self.detail.as_mut() {
                    detail.click(areas.body, x, y);
                }
                return Vec::new();
            }
            (false, Tab::Executions) => executions::rows_area(areas.body),
            (false, Tab::Children) => layout::table_rows(areas.body),
            (false, Tab::Spots) => spots::rows_area(areas.body),
            (false, Tab::Dashboard) => dashboard::recent_rows_area(areas.body),
            (false, Tab::Waitlist) => waitlist::rows_area(areas.body),
            (false, Tab::Audit) => audit::rows_area(areas.body),
            (false, Tab::Register) => return Vec::new(),
        };
        if !layout::contains(rows_area, x, y) {
            return Vec::new();
        }
        let row = (y - rows_area.y) as usize;
        let (cursor, len) = match self.tab {
            Tab::Executions => (&mut self.executions.cursor, self.executions.rows.len()),
            Tab::Children => (&mut self.children.cursor, self.children.rows.len()),
            Tab::Spots => (&mut self.spots.cursor, self.spots.rows.len()),
            Tab::Dashboard => (&mut self.dashboard.cursor, self.dashboard.recent.len()),
            Tab::Waitlist => (&mut self.waitlist.cursor, self.waitlist.rows.len()),
            Tab::Audit => (&mut self.audit.cursor, self.audit.rows.len()),
            Tab::Register => return Vec::new(),
        };
        let before = cursor.selected;
        if cursor.click(row, len) && before == cursor.selected {
            return self.apply(Action::Open);
        }
        Vec::new()
    }

    pub fn on_resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let body = self.body();
        self.executions.fit(body);
        self.children.fit(body);
        self.move_record(Action::Refresh);
    }

    /// Scrolls the open record by a motion action (any other action only keeps it
    /// within its end, as after a resize or a new read). The fields are lent apart, so
    /// the record can move while the theme is lent to the drawing context.
    pub(super) fn move_record(&mut self, action: Action) {
        let body = self.body();
        let ui = Ui {
            theme: &self.theme,
            today: self.clock.today(),
            start_date: self.clock.start_date(),
            tick: self.tick,
            ready: self.ready,
        };
        if let Some(record) = self.record.as_mut() {
            record.scroll(action, &ui, body);
        }
    }

    /// One action, applied.
    pub fn apply(&mut self, action: Action) -> Vec<Command> {
        let context = self.context();
        match (context, action) {
            (_, Action::Quit) => {
                let asked = matches!(
                    self.confirm,
                    Some(Confirm {
                        on_yes: Then::Quit,
                        ..
                    })
                );
                let amending = self.amend.as_ref().is_some_and(|a| a.edited());
                if amending && !asked {
                    self.confirm = Some(Confirm {
                        message: "Quit and lose the changes typed into the record? They have not been saved.".into(),
                        on_yes: Then::Quit,
                    });
                } else if self.register.edited && !asked {
                    self.confirm = Some(Confirm {
                        message: "Quit and lose the registration typed in the form? It has not been submitted.".into(),
                        on_yes: Then::Quit,
                    });
                } else {
                    self.quit = true;
                }
                Vec::new()
            }
            (Context::Help, Action::Back) if !self.help_filter.is_empty() => {
                self.help_filter.clear();
                self.help_scroll = 0;
                Vec::new()
            }
            (Context::Help, Action::Back) => {
                self.help = false;
                Vec::new()
            }
            (Context::Help, Action::Filter) => {
                self.prompt = Some(Prompt::filled(
                    PromptKind::HelpFilter,
                    "Keys matching",
                    self.help_filter.clone(),
                ));
                Vec::new()
            }
            (Context::Help, action) => {
                self.scroll_help(action);
                Vec::new()
            }
            (_, Action::Help) => {
                self.help = true;
                self.help_scroll = 0;
                self.help_filter.clear();
                Vec::new()
            }
            (Context::Confirm, Action::Yes) => match self.confirm.take().map(|c| c.on_yes) {
                Some(Then::Run(command)) => vec![command],
                Some(Then::Quit) => {
                    self.quit = true;
                    Vec::new()
                }
                Some(Then::Offer(id)) => self.start_offer(id),
                Some(Then::NewForm) => {
                    self.register.apply(Action::NewForm);
                    Vec::new()
                }
                Some(Then::DiscardAmend) => {
                    self.amend = None;
                    self.say("Closed; the record was not changed.");
                    Vec::new()
                }
                None => Vec::new(),
            },
            (Context::Confirm, Action::No) => {
                self.confirm = None;
                self.say("Nothing was changed.");
                Vec::new()
            }
            (Context::Prompt, Action::Yes) => self.answer_prompt(),
            (Context::Prompt, Action::Complete) => match &self.prompt {
                Some(prompt) if prompt.kind == PromptKind::File => {
                    vec![Command::CompletePath(prompt.text.clone())]
                }
                _ => Vec::new(),
            },
            (Context::Prompt, Action::ClearField) => {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.text.clear();
                    prompt.caret = None;
                    prompt.fresh = false;
                    prompt.error = None;
                }
                self.live_filter()
            }
            (Context::Prompt, Action::Left | Action::Right | Action::Top | Action::Bottom) => {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.edit(caret_move(action));
                }
                Vec::new()
            }
            (Context::RegisterText, Action::ClearField) => {
                self.register.edit_text(|text, caret| {
                    text.clear();
                    *caret = None;
                });
                self.register.recheck(self.clock.today());
                Vec::new()
            }
            (Context::Prompt, Action::No) => self.cancel_prompt(),
            (_, Action::Go(tab)) => self.go(tab),
            (Context::DetailRefused, Action::PutOnWaitlist) => self.ask_waitlist_note(),
            (Context::Detail | Context::DetailRefused, Action::Back) => {
                self.detail = None;
                self.status = None;
                // Back on the record it was opened from, read again: it may have changed.
                match &self.record {
                    Some(record) => vec![Command::LoadRecord(record.id)],
                    None => Vec::new(),
                }
            }
            (Context::Detail | Context::DetailRefused, Action::Copy) => {
                self.copy_detail();
                Vec::new()
            }
            (Context::Detail | Context::DetailRefused, action) => {
                let body = self.body();
                match self.detail.as_mut() {
                    Some(detail) => detail.apply(action, body),
                    None => Vec::new(),
                }
            }
            (Context::Record, action) => self.apply_record(action),
            (Context::AmendText | Context::AmendDays | Context::AmendButton, action) => {
                self.apply_amend(action)
            }
            (Context::Dashboard, action) => self.apply_dashboard(action),
            (
                Context::RegisterText
                | Context::RegisterDays
                | Context::RegisterButton
                | Context::RegisterIdle
                | Context::RegisterOutcome,
                action,
            ) => self.apply_register(action),
            (Context::RegisterRefused, Action::PutOnWaitlist) => self.ask_waitlist_note(),
            (Context::RegisterRefused, action) => self.apply_register(action),
            (Context::Waitlist, action) => self.apply_waitlist(action),
            (Context::Audit, action) => self.apply_audit(action),
            (Context::Executions, action) => self.apply_executions(action),
            (Context::Children, action) => self.apply_children(action),
            (Context::Spots, action) => self.apply_spots(action),
            _ => Vec::new(),
        }
    }

    fn go(&mut self, tab: Tab) -> Vec<Command> {
        self.detail = None;
        self.record = None;
        self.amend = None;
        self.tab = tab;
        self.status = None;
        match tab {
            Tab::Dashboard => vec![Command::LoadDashboard],
            // One rule, whatever happened before: the Register tab opens with the keyboard
            // in the form (Esc leaves it).
            Tab::Register => {
                self.register.enter();
                Vec::new()
            }
            Tab::Executions => {
                if self.executions.stale || self.executions.rows.is_empty() {
                    vec![self.executions.reload()]
                } else {
                    Vec::new()
                }
            }
            Tab::Children => vec![self.children.load()],
            Tab::Spots => vec![Command::LoadSpots],
            Tab::Waitlist => vec![Command::LoadWaitlist],
            Tab::Audit => vec![self.audit.reload()],
        }
    }

    /// Opens a child's record over the Children list; the worker reads it.
    pub fn open_record(&mut self, id: i64) -> Vec<Command> {
        self.status = None;
        self.amend = None;
        self.record = Some(record::RecordState::new(id));
        vec![Command::LoadRecord(id)]
    }

    /// Opens an execution's detail over the current screen.
    pub fn open_execution(&mut self, name: String) -> Vec<Command> {
        self.status = None;
        self.detail = Some(detail::DetailState::new(name.clone()));
        vec![Command::LoadExecution(name)]
    }
}

/// The prompt's caret move for a motion action.
fn caret_move(action: Action) -> edit::Edit {
    match action {
        Action::Left => edit::Edit::Left,
        Action::Right => edit::Edit::Right,
        Action::Top => edit::Edit::Start,
        _ => edit::Edit::End,
    }
}
